"""Extraction replaced by the generator's answer keys: a store of the real shape, built fast.

The benchmark uses it only where real extraction would not fit its time budget (large N),
and labels every figure measured on such a store "answer-key build". Everything but
extraction is Citebot's own code: read_article, write_article, the full-text tokens, one
transaction per article. What it cannot stand for: indexing throughput, and recall (the
keys are perfect extraction, so recall on such a store is an upper bound).
"""

from __future__ import annotations

import re

from store.extract import Extraction, FigureFound, PersonFound, QuoteFound
from store.sources import Article
from store.text import fold

_SENTENCE_END = re.compile(r"[。！？!?]")


def _find(paragraphs, needle: str, folded: bool = False) -> tuple[int, int, int] | None:
    """(paragraph number, start, end) of the first place the text stands, else None."""
    if not needle:
        return None
    key = fold(needle) if folded else needle
    for p in paragraphs:
        i = (p.folded if folded else p.text).find(key)
        if i >= 0:
            return p.n, i, i + len(key)
    return None


def _sentence(text: str, start: int, end: int) -> str:
    a = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        a = m.end()
    m = _SENTENCE_END.search(text, end)
    return text[a: m.end() if m else len(text)].strip()


def extraction_from_key(art: Article, key: dict) -> Extraction:
    """The answer key of one generated article as an Extraction, with offsets found in the text."""
    paras = art.paragraphs
    by_n = {p.n: p for p in paras}
    people = []
    for p in key["people"]:
        forms = [p["name"], p["full_name"], *p["aliases"]]
        where = sorted({q.n for q in paras for f in forms if f and fold(f) in q.folded})
        people.append(PersonFound(p["name"], p["full_name"], p["name_en"], p["role"], list(p["aliases"]),
                                  where, bool(p["minor"])))
    roles = {p["name"]: p["role"] for p in key["people"]}
    quotes = []
    for q in key["quotes"]:
        at = _find(paras, q["text"]) or _find(paras, q["text"], folded=True)
        if at is None:
            continue
        n, s, e = at
        quotes.append(QuoteFound(n, s, e, by_n[n].text[s:e], q["kind"], q["speaker"], q["speaker_type"],
                                 roles.get(q["speaker"])))
    figures = []
    for f in key["figures"]:
        at = _find(paras, f["raw"]) or _find(paras, f["raw"], folded=True)
        if at is None:
            continue
        n, s, e = at
        text = by_n[n].text
        figures.append(FigureFound(n, s, e, text[s:e], f["kind"], f["value"], f["value_max"], f["unit"],
                                   f["qualifier"], f["subject"] or "", _sentence(text, s, e), bool(f["core"])))
    return Extraction(people, quotes, figures)
