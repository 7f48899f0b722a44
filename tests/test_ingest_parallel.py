"""Ingest with a worker pool: the same articles, people, quotes and figures as one process."""

from __future__ import annotations

import time
from multiprocessing.pool import ThreadPool
from pathlib import Path

import pytest

from store import db as dbmod
from store import ingest
from store.ingest import index_paths
from tests.conftest import seed_folder
from tests.conftest import store_rows as rows


@pytest.fixture
def folder(tmp_path) -> Path:
    d = seed_folder(tmp_path, 4)
    (d / "zz_bad.txt").write_bytes(b"\xff\xfe\x00\x81 not utf-8")
    return d


def test_two_workers_write_what_one_does(tmp_path, folder):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    r1 = index_paths(dbmod.connect(one), [folder])
    r2 = index_paths(dbmod.connect(two), [folder], workers=2)
    assert r2.added == r1.added and len(r2.added) == 4
    assert [p for p, _ in r2.failed] == [p for p, _ in r1.failed] == [str(folder / "zz_bad.txt")]
    assert rows(two) == rows(one)


def test_parallel_reindex_is_a_no_op_and_picks_up_changes(tmp_path, folder):
    path = tmp_path / "c.db"
    db = dbmod.connect(path)
    index_paths(db, [folder], workers=2)
    again = index_paths(db, [folder], workers=2)
    assert again.added == [] and again.updated == [] and len(again.unchanged) == 4
    target = sorted(folder.glob("*.txt"))[0]
    target.write_text(target.read_text("utf-8") + "\n测试者王小明说：“这是新加的一句话。”\n", "utf-8")
    report = index_paths(db, [folder], workers=2)
    assert report.updated == [target.stem] and len(report.unchanged) == 3
    n = db.execute("select count(*) from paragraphs where text like '%新加的一句话%'").fetchone()[0]
    assert n == 1


def test_progress_reaches_the_end(tmp_path, folder):
    seen = []
    index_paths(dbmod.connect(tmp_path / "c.db"), [folder], lambda name, done, total: seen.append((done, total)),
                workers=2)
    assert seen[-1] == (5, 5)


def test_the_workers_run_at_most_a_window_ahead_of_the_writer():
    """A writer slower than its workers (reading articles again, which also deletes) must not
    have every prepared article waiting in memory: pool.imap hands out all of them at once."""
    started: list[int] = []

    def work(x: int) -> int:
        started.append(x)
        return x * 2

    out: list[int] = []
    with ThreadPool(2) as pool:
        for result in ingest._ahead(pool, work, range(50), window=4):
            if not out:
                time.sleep(0.05)  # a slow first write: the workers get every chance to run ahead
            assert len(started) <= min(len(out) + 1 + 4, 50)
            out.append(result)
    assert out == [x * 2 for x in range(50)]
