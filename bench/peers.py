"""The systems Citebot is measured against, over the same folded text and the same queries.

Peer: Whoosh (whoosh-reloaded, pure Python) with jieba's ChineseAnalyzer, one document per
article. Baseline: a LIKE scan over Citebot's own `paragraphs.folded` column in SQLite.

Both get the text Citebot indexes (folded: Traditional → Simplified, NFKC, casefold) and the
query folded the same way, so neither loses on script or width: what differs is the index.
Each command's query text becomes "documents containing every term": /quote X, /who X and
/source X → X; /figure A B → A and B; /figure 192.6亿美元 → 192.6亿美元. A term is one
whitespace-separated piece of the query; Whoosh requires all of its analyzer's tokens, LIKE
requires it as a substring of one paragraph. A peer's answer is its first five articles.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from store.text import fold


def query_text(ask: str) -> str:
    """The text after the command word: what both peers search for."""
    return ask.split(None, 1)[1] if " " in ask.strip() else ""


def terms(ask: str) -> list[str]:
    return [t for t in fold(query_text(ask)).split() if t]


# -- Whoosh -----------------------------------------------------------------------------------
def whoosh_schema():
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    return Schema(id=ID(stored=True), content=TEXT(analyzer=ChineseAnalyzer()))


def whoosh_build(index_dir: Path, docs: Iterable[tuple[str, str]], procs: int = 2) -> dict:
    """Index (article id, folded text) pairs with Whoosh's own multi-process writer (both
    cores, as Citebot's index gets); returns MB indexed and seconds."""
    from whoosh import index

    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), whoosh_schema())
    w = ix.writer(limitmb=128, procs=procs) if procs > 1 else ix.writer(limitmb=128)
    nbytes = 0
    t0 = time.perf_counter()
    for aid, text in docs:
        nbytes += len(text.encode("utf-8"))
        w.add_document(id=aid, content=text)
    w.commit()
    dt = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in index_dir.iterdir())
    return {"mb": nbytes / 1e6, "seconds": dt, "index_bytes": size, "procs": procs}


class WhooshPeer:
    def __init__(self, index_dir: Path):
        from whoosh import index

        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.analyzer = self.ix.schema["content"].analyzer

    def search(self, ask: str, limit: int = 5) -> list[str]:
        from whoosh.query import And, Term

        parts = []
        for t in terms(ask):
            parts += [Term("content", tok.text) for tok in self.analyzer(t)]
        if not parts:
            return []
        hits = self.searcher.search(And(parts), limit=limit)
        return [h["id"] for h in hits]

    def close(self) -> None:
        self.searcher.close()


# -- LIKE -------------------------------------------------------------------------------------
def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class LikePeer:
    """select distinct article_id from paragraphs where folded like '%term%' … limit 5."""

    def __init__(self, db_path: Path):
        self.conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def search(self, ask: str, limit: int = 5) -> list[str]:
        ts = terms(ask)
        if not ts:
            return []
        where = " and ".join("folded like ? escape '\\'" for _ in ts)
        rows = self.conn.execute(f"select distinct article_id from paragraphs where {where} limit ?",
                                 [*map(_like, ts), limit])
        return [r[0] for r in rows]

    def close(self) -> None:
        self.conn.close()


def dir_size(path: Path) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
