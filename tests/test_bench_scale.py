"""The bench's scale store: grown step by step, it is the store one answer-key build makes."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.run import Budget, Corpus, grow_store, phase_index
from store import db as dbmod
from store.ingest import fulltext_segments

TABLES = ("articles", "paragraphs", "people", "aliases", "mentions", "quotes", "figures")


def _rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    out = {}
    for t in TABLES:
        cols = [r[1] for r in conn.execute(f"pragma table_info({t})") if r[1] not in ("indexed_at", "path")]  # the view it was read from
        out[t] = conn.execute(f"select {', '.join(cols)} from {t} order by rowid").fetchall()
    for fts in dbmod.FTS_TABLES:  # what the full-text index finds, token by token
        out[fts] = [conn.execute(f"select count(*) from {fts} where {fts} match ?", [tok]).fetchone()
                    for tok in ("公司", "芯片", "数据", "2024")]
    conn.close()
    return out


def test_a_grown_store_is_the_one_build_of_all_its_articles(tmp_path):
    corpus = Corpus(tmp_path / "work", seed=3)
    corpus.extend(20)
    grown = tmp_path / "grown.db"
    phase_index(str(corpus.view(20)), 20, 1, str(grown), "keys")

    res = grow_store(corpus, grown, 20, 50, Budget(600), reserve=0, sizes=(20, 10))

    assert res["n"] == 50 and [r["articles"] for r in res["steps"]] == [20, 10]
    assert res["merge"] is not None and all(r["merge_left"] for r in res["steps"])
    # the steps rendered ahead were finished, and the corpus holds exactly what it says
    assert corpus.n == 50
    assert len((corpus.dir / "answers.jsonl").read_text("utf-8").splitlines()) == 50
    once = tmp_path / "once.db"
    phase_index(str(corpus.view(50)), 50, 1, str(once), "keys")
    assert _rows(grown) == _rows(once)
    conn = dbmod.connect(grown)
    assert {t: fulltext_segments(conn, t) for t in dbmod.FTS_TABLES} == {t: 1 for t in dbmod.FTS_TABLES}


def test_growing_stops_where_the_budget_does(tmp_path):
    corpus = Corpus(tmp_path / "work", seed=3)
    corpus.extend(10)
    db = tmp_path / "s.db"
    phase_index(str(corpus.view(10)), 10, 1, str(db), "keys")
    budget = Budget(5.0)
    time.sleep(0.01)
    # a step of 10 articles at 1 s each, 20% slower, does not fit in what is left
    res = grow_store(corpus, db, 10, 30, budget, reserve=0, sizes=(10,), per_article=1.0)
    assert res == {"n": 10, "steps": [], "merge": None}
    assert corpus.n == 10
