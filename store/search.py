"""Typed queries over the store: people, quotes, figures and passages.

User text reaches SQLite only as bound parameters, and FTS5 only through
`store.text.match_expression`, which quotes every token: nothing a user types is SQL or
FTS5 syntax. People are looked up exactly by any folded alias first, then with
rapidfuzz over the aliases (Latin and pinyin forms for typos, Han forms for near misses).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property

import sqlite_utils
from rapidfuzz import fuzz, process

from store import db as dbmod
from store.figures import Amount
from store.text import HAN, fold, is_han, match_expression, query_terms


@dataclass
class ArticleRecord:
    id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    copy_url: str | None
    indexed_at: str | None = None


@dataclass
class PersonRecord:
    id: int
    name: str
    full_name: str | None
    name_en: str | None
    role: str | None
    aliases: list[str]
    articles: list[str]
    quotes: int
    minor: bool = False


@dataclass
class QuoteHit:
    id: int
    article: ArticleRecord
    paragraph: int
    text: str
    kind: str
    speaker: str
    speaker_type: str
    person_id: int | None
    role: str | None


@dataclass
class FigureHit:
    id: int
    article: ArticleRecord
    paragraph: int
    raw: str
    kind: str
    value: float
    value_max: float | None
    unit: str | None
    qualifier: str
    subject: str
    context: str


@dataclass
class PassageHit:
    article: ArticleRecord
    paragraph: int
    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Page:
    """One page of hits and how many there are in all."""

    hits: list
    total: int


class Store:
    """A read handle on the database with the queries commands need."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._articles: dict[str, ArticleRecord] = {}
        self._names: dict[int, tuple[str, str | None]] = {}

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> Store:
        return cls(dbmod.connect(path))

    # -- articles -------------------------------------------------------------------------
    def article_count(self) -> int:
        return self.db.execute("select count(*) from articles").fetchone()[0]

    def article(self, article_id: str) -> ArticleRecord:
        if article_id not in self._articles:
            r = next(self.db.query("select * from articles where id = ?", [article_id]))
            self._articles[article_id] = ArticleRecord(
                r["id"], r["title"] or r["display_title"], r["outlet"], r["published"], r["url"],
                r["copy_url"], r["indexed_at"])
        return self._articles[article_id]

    def article_seq(self) -> int:
        """The sequence number of the newest article (rowid order is indexing order)."""
        return self.db.execute("select coalesce(max(rowid), 0) from articles").fetchone()[0]

    def articles_since(self, seq: int) -> list[tuple[int, ArticleRecord]]:
        """Articles indexed after sequence number seq, oldest first: what a digest lists."""
        rows = list(self.db.query("select rowid as seq, id from articles where rowid > ? order by rowid", [seq]))
        return [(r["seq"], self.article(r["id"])) for r in rows]

    def top_quotes(self, article_id: str, n: int = 2) -> list[QuoteHit]:
        """An article's most quotable quotes: direct, by a named speaker, a full sentence."""
        rows = self.db.query("select * from quotes where article_id = ? order by score desc, paragraph limit ?",
                             [article_id, n])
        return [self._quote(r) for r in rows]

    def key_figures(self, article_id: str, n: int = 2) -> list[FigureHit]:
        rows = self.db.query("select * from figures where article_id = ? order by core desc, kind = 'money' desc,"
                             " paragraph limit ?", [article_id, n])
        return [self._figure(r) for r in rows]

    def invalidate(self) -> None:
        """Forget cached rows (after an index run in the same process)."""
        self._articles.clear()
        self._names.clear()
        self.__dict__.pop("_alias_index", None)
        self.__dict__.pop("_fuzzy_forms", None)

    # -- people ---------------------------------------------------------------------------
    @cached_property
    def _alias_index(self) -> tuple[list[str], list[int]]:
        rows = self.db.execute("select folded, person_id from aliases").fetchall()
        return [r[0] for r in rows], [r[1] for r in rows]

    @cached_property
    def _fuzzy_forms(self) -> dict[bool, tuple[list[str], list[list[int]]]]:
        """Each distinct alias once, with the positions of its rows in _alias_index: for all
        aliases (False), and for those with a character that is not Han (True), the only ones
        a probe without Han characters can score above zero against (fuzz.ratio counts shared
        characters)."""
        forms, _ids = self._alias_index
        where: dict[str, list[int]] = {}
        for i, f in enumerate(forms):
            where.setdefault(f, []).append(i)
        out: dict[bool, tuple[list[str], list[list[int]]]] = {False: (list(where), list(where.values()))}
        latin = [f for f in where if not _HAN_ONLY.fullmatch(f)]
        out[True] = (latin, [where[f] for f in latin])
        return out

    def find_people(self, query: str, limit: int = 5) -> list[PersonRecord]:
        """People by any name form: exact first, then close spellings."""
        key = fold(query).strip()
        if not key:
            return []
        exact = [r["person_id"] for r in self.db.query(
            "select distinct person_id from aliases where folded = ?", [key])]
        if exact:
            return [self.person(i) for i in exact[:limit]]
        return [self.person(i) for i in self._fuzzy_people(key, limit)]

    def _fuzzy_people(self, key: str, limit: int) -> list[int]:
        forms, ids = self._alias_index
        if not forms:
            return []
        han = any(is_han(c) for c in key)
        if han:
            from pypinyin import lazy_pinyin  # imported here: 0.2 s that most answers never need

            # A typo in Han script is usually a same-sounding character: compare pinyin,
            # and ask for a close match, since two short Han names share little by chance.
            probe = "".join(lazy_pinyin(key.replace("·", "")))
            cutoff = 88 if len(probe) >= 6 else 101
        else:
            probe = key
            cutoff = 85 if len(key) >= 5 else 101
        if cutoff > 100:
            return []
        # Scored once per distinct alias, then expanded to every alias row in the order
        # process.extract over all rows gives: score, then row position.
        uniq, positions = self._fuzzy_forms[not any(is_han(c) for c in probe)]
        matches = process.extract(probe, uniq, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        rows = sorted((-score, pos) for _form, score, u in matches for pos in positions[u])[: limit * 4]
        out: list[int] = []
        for _score, pos in rows:
            if ids[pos] not in out:
                out.append(ids[pos])
        return out[:limit]

    def person(self, person_id: int) -> PersonRecord:
        r = next(self.db.query("select * from people where id = ?", [person_id]))
        aliases = []
        for a in self.db.query(
                "select alias, kind from aliases where person_id = ? and kind != 'pinyin' order by id", [person_id]):
            if a["alias"] not in aliases and a["alias"] != r["name"]:
                aliases.append(a["alias"])
        articles = [m["article_id"] for m in self.db.query(
            "select distinct article_id from mentions where person_id = ? order by article_id", [person_id])]
        quotes = self.db.execute("select count(*) from quotes where person_id = ?", [person_id]).fetchone()[0]
        return PersonRecord(r["id"], r["name"], r["full_name"], r["name_en"], r["role"], aliases, articles,
                            quotes, bool(r["minor"]))

    # -- quotes ---------------------------------------------------------------------------
    def quotes_by_people(self, person_ids: list[int], limit: int = 5, offset: int = 0) -> Page:
        """A person's quotes, most quotable first."""
        if not person_ids:
            return Page([], 0)
        marks = ",".join("?" for _ in person_ids)
        total = self.db.execute(f"select count(*) from quotes where person_id in ({marks})", person_ids).fetchone()[0]
        rows = self.db.query(
            f"select * from quotes where person_id in ({marks}) order by score desc, article_id, paragraph, start"
            " limit ? offset ?", [*person_ids, limit, offset])
        return Page([self._quote(r) for r in rows], total)

    def search_quotes(self, text: str, limit: int = 5, offset: int = 0) -> Page:
        """Quotes containing the words, best match first."""
        return self._fts_page("quotes", "quotes_fts", text, limit, offset, self._quote,
                              order="bm25(quotes_fts, 1.0, 2.0) - t.score * 0.5")

    def _quote(self, r: dict) -> QuoteHit:
        speaker, role = r["speaker"], r["role"]
        if r["person_id"] is not None:  # one person, one name, whichever form the article used
            name, person_role = self._person_name(r["person_id"])
            speaker, role = name, role or person_role
        return QuoteHit(r["id"], self.article(r["article_id"]), r["paragraph"], r["text"], r["kind"],
                        speaker, r["speaker_type"], r["person_id"], role)

    def _person_name(self, person_id: int) -> tuple[str, str | None]:
        if person_id not in self._names:
            row = self.db.execute("select name, role from people where id = ?", [person_id]).fetchone()
            self._names[person_id] = (row[0], row[1]) if row else ("?", None)
        return self._names[person_id]

    # -- figures --------------------------------------------------------------------------
    def search_figures(self, text: str, limit: int = 5, offset: int = 0) -> Page:
        """Figures whose subject or sentence has the words, nearest to the words first.

        A sentence often holds several figures (约2000块英伟达专用芯片, 远低于…1.6万余块):
        bm25 ranks the sentence, the distance from the words to each figure ranks within it.
        """
        window = max(FIGURE_WINDOW, offset + limit)
        page = self._fts_page("figures", "figures_fts", text, window, 0, self._figure,
                              order="bm25(figures_fts, 1.0, 2.0, 4.0, 6.0) - t.core * 2.0",
                              cols=("chars", "words"), subject=True)
        terms = ["".join(t) for t in query_terms(text, split_words=True)]
        ranked = sorted(enumerate(page.hits), key=lambda ih: (_distance(ih[1], terms), ih[0]))
        return Page([h for _, h in ranked][offset: offset + limit], page.total)

    def figures_by_amount(self, amount: Amount, limit: int = 5, offset: int = 0) -> Page:
        """Figures of that value: equal first, then ranges holding it, then within 10%.

        The candidates are two index ranges (value within 10% or equal; ranges holding the
        value), read from covering indexes where the store has them (store.ingest adds them),
        so neither the count nor the order reads the figures table; only the page's rows do.
        """
        v = amount.value
        lo, hi = (v * 0.9, v * 1.1) if v >= 0 else (v * 1.1, v * 0.9)
        eps = 1e-9 * max(1, abs(v))  # "equal": abs(value - v) <= eps, inside [v - eps, v + eps]
        unit_sql, unit = (" and unit = ?", [amount.unit]) if amount.unit else ("", [])
        keys = "id, value, value_max, core, article_id, paragraph"
        cte = (f"with c as (select {keys} from figures where value between ? and ?{unit_sql}"
               f" union select {keys} from figures where value_max >= ? and value <= ?{unit_sql})")
        params = [min(lo, v - eps), max(hi, v + eps), *unit, v, v, *unit]
        total = self.db.execute(f"{cte} select count(*) from c", params).fetchone()[0]
        if not total:
            return Page([], 0)
        ids = [r[0] for r in self.db.execute(
            f"{cte} select id from c order by (abs(value - ?) <= 1e-9 * max(1, abs(?))) desc,"
            f" value_max is null desc, abs(value - ?), core desc, article_id, paragraph limit ? offset ?",
            [*params, v, v, v, limit, offset])]
        rows = {r["id"]: r for r in self.db.query(
            f"select * from figures where id in ({','.join('?' for _ in ids)})", ids)}
        return Page([self._figure(rows[i]) for i in ids], total)

    def _figure(self, r: dict) -> FigureHit:
        return FigureHit(r["id"], self.article(r["article_id"]), r["paragraph"], r["raw"], r["kind"], r["value"],
                         r["value_max"], r["unit"], r["qualifier"], r["subject"], r["context"])

    # -- passages -------------------------------------------------------------------------
    def search_passages(self, text: str, limit: int = 5, offset: int = 0) -> Page:
        """Paragraphs that discuss it: the best paragraph of each article first."""
        page = self._fts_page("paragraphs", "paragraphs_fts", text, 200, 0, self._passage,
                              order="bm25(paragraphs_fts, 1.0, 2.0)")
        firsts, rest, seen = [], [], set()
        for hit in page.hits:
            (rest if hit.article.id in seen else firsts).append(hit)
            seen.add(hit.article.id)
        ordered = firsts + rest
        terms = [t for t in query_terms(text, split_words=True)]
        for hit in ordered[offset: offset + limit]:
            hit.highlights = _highlights(hit.text, terms)
        return Page(ordered[offset: offset + limit], max(page.total, len(ordered)))

    def _passage(self, r: dict) -> PassageHit:
        return PassageHit(self.article(r["article_id"]), r["n"], r["text"])

    # -- everything, for export -----------------------------------------------------------
    def all_quotes(self):
        for r in self.db.query("select * from quotes order by article_id, paragraph, start"):
            yield self._quote(r)

    def all_figures(self):
        for r in self.db.query("select * from figures order by article_id, paragraph, start"):
            yield self._figure(r)

    def all_people(self):
        for r in self.db.query("select id from people order by id"):
            yield self.person(r["id"])

    # -- shared ---------------------------------------------------------------------------
    def _fts_page(self, table, fts, text, limit, offset, make, order, cols=("chars", "words"), subject=False):
        """Hits for every term as a phrase first, then for the query's jieba words.

        英伟达芯片 as a phrase finds 低端英伟达芯片; split into 英伟达 + 芯片 it also finds
        英伟达专用芯片. Phrase hits rank first; word hits fill the rest of the page.
        """
        exprs = []
        for split in (False, True):
            terms = query_terms(text, split_words=split)
            expr = match_expression(terms, *cols)
            if expr and subject:
                expr = f"({expr}) OR ({match_expression(terms, 'subject_chars', 'subject_words')})"
            if expr and expr not in exprs:
                exprs.append(expr)
        if not exprs:
            return Page([], 0)
        widest = exprs[-1]
        probe = [r[0] for r in self.db.execute(f"select rowid from {fts} where {fts} match ? limit 2", [widest])]
        if len(probe) < 2:  # nothing to rank: bm25 would read every query phrase's hits in the whole table
            rows = list(self.db.query(f"select * from {table} where id = ?", probe)) if probe and not offset else []
            return Page([make(r) for r in rows], len(probe))
        params: list = [widest]
        first = ""
        if len(exprs) > 1:
            first = f"({fts}.rowid in (select rowid from {fts} where {fts} match ?)) desc, "
            params.append(exprs[0])
        rows = list(self.db.query(
            f"select t.* from {fts} join {table} t on t.id = {fts}.rowid where {fts} match ?"
            f" order by {first}{order} limit ? offset ?", [*params, limit, offset]))
        if rows and len(rows) < limit:  # the last page: the total is known without counting
            total = offset + len(rows)
        else:  # every match is read again, only where there are more than a page of them
            total = self.db.execute(f"select count(*) from {fts} where {fts} match ?", [widest]).fetchone()[0]
        if not total:
            return Page([], 0)
        return Page([make(r) for r in rows], total)


_HAN_ONLY = re.compile(f"[{HAN}· ]*")
FIGURE_WINDOW = 100  # candidates re-ranked by distance; bm25 order beyond that


def _distance(f: FigureHit, terms: list[str]) -> float:
    """How far, in characters, the query words stand from the figure in its sentence."""
    ctx = fold(f.context)
    at = ctx.find(fold(f.raw))
    if at < 0 or not terms:
        return 1000.0
    end = at + len(f.raw)
    total = 0.0
    for term in terms:
        best = 200.0
        i = ctx.find(term)
        while i >= 0:
            gap = at - (i + len(term)) if i < at else max(0, i - end)
            best = min(best, gap)
            i = ctx.find(term, i + 1)
        total += best
    return total / len(terms)


def _highlights(text: str, terms: list[list[str]]) -> list[tuple[int, int]]:
    """Where each query term stands in the text, as [start, end) offsets."""
    folded = fold(text)
    spans = []
    for toks in terms:
        needle = "".join(toks)
        start = 0
        compact, index = _compact(folded)
        while (i := compact.find(needle, start)) >= 0:
            spans.append((index[i], index[i + len(needle) - 1] + 1))
            start = i + len(needle)
    return sorted(set(spans))


def _compact(folded: str) -> tuple[str, list[int]]:
    """The folded text without punctuation or spaces, and where each character came from."""
    chars, index = [], []
    for i, c in enumerate(folded):
        if c.isalnum():
            chars.append(c)
            index.append(i)
    return "".join(chars), index
