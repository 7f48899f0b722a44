"""Ingest with a worker pool: the same articles, people, quotes and figures as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import db as dbmod
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
