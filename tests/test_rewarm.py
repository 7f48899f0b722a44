"""A serving store reads its name lists again in the background after an index run
(store.rewarm): the next question, a misspelt name included, finds them in memory."""

from __future__ import annotations

import gc
import time
import weakref

from commands import run
from store import db as dbmod
from store.ingest import index_paths
from store.search import Store
from tests.conftest import writer_and_serving


def _serving(tmp_path, every: float = 0.02):
    """One article indexed; a serving (preloaded) store on it that looks every `every` seconds."""
    arts, writer, serving = writer_and_serving(tmp_path, every)
    serving.preload()
    return arts, writer, serving


def _add_article(arts, writer) -> None:
    """Another writer (a `citebot index` run) adds an article with a new speaker."""
    (arts / "a2.txt").write_text("乙文\n\n李大仁表示：“第二篇的话。”\n", "utf-8")
    assert index_paths(writer, [arts]).added == ["a2"]


def _read_by(store: Store) -> list[str]:
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    return statements


def _wait_for_round(store: Store, rounds: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while store._rewarmer.rounds < rounds:
        assert time.monotonic() < deadline, "the lists were not read again"
        time.sleep(0.01)


def test_after_an_index_run_the_next_misspelt_name_is_answered_from_memory(tmp_path):
    arts, writer, serving = _serving(tmp_path)
    _add_article(arts, writer)
    _wait_for_round(serving, 1)  # no question asked: the lists were read in the background
    statements = _read_by(serving)
    assert [p.name for p in run("/who 李大人", serving).results] == ["李大仁"]  # a near miss, in pinyin
    (hit,) = run("/quote 李大仁", serving).results
    assert hit.text == "第二篇的话" and hit.source.title == "乙文"
    assert not [s for s in statements if "aliases" in s or "people" in s]  # all of it from memory
    cold = Store(dbmod.connect(tmp_path / "c.db", readonly=True))
    for ask in ("/who 李大人", "/who 王小明", "/quote 王小明", "/quote 李大仁", "/who wang xiaoming"):
        assert run(ask, serving).to_dict() == run(ask, cold).to_dict(), ask


def test_a_misspelt_name_asked_while_the_lists_are_read_waits_for_them(tmp_path, monkeypatch):
    """Asked at once, before the background reading is done: the answer waits for it rather
    than read every alias itself alongside."""
    arts, writer, serving = _serving(tmp_path, every=60)  # no look of its own: only the store's poke
    read_kept = Store.read_kept

    def slow(self, db):
        time.sleep(0.3)
        return read_kept(self, db)

    monkeypatch.setattr(Store, "read_kept", slow)
    _add_article(arts, writer)
    serving.refresh_every = 0  # the question looks at the file: it sees the run, drops the lists, pokes
    statements = _read_by(serving)
    assert [p.name for p in run("/who 李大人", serving).results] == ["李大仁"]
    assert serving._rewarmer.rounds == 1
    assert [s for s in statements if "from aliases where folded = '李大人'" in s]  # the exact name: one statement
    assert not [s for s in statements if "from aliases" in s and "from aliases where" not in s]  # not every alias


def test_lists_are_not_read_again_when_no_article_changed(tmp_path):
    arts, writer, serving = _serving(tmp_path)
    kept = serving._alias_index
    writer.execute("create table if not exists other (x)")
    writer.execute("insert into other values (1)")  # a commit that is not an article
    assert not index_paths(writer, [arts]).changed
    time.sleep(0.2)  # ten looks
    run("/who 王小民", serving)
    assert serving._rewarmer.rounds == 0 and serving._alias_index is kept


def test_the_background_reader_ends_with_its_store(tmp_path):
    _arts, _writer, serving = _serving(tmp_path)
    reader = serving._rewarmer
    assert reader.is_alive()
    gone = weakref.ref(serving)
    del serving
    gc.collect()
    assert gone() is None
    reader.join(timeout=10)
    assert not reader.is_alive()


def test_a_store_in_memory_has_no_background_reader():
    store = Store(dbmod.memory())
    store.preload()
    assert store._rewarmer is None
