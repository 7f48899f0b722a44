"""Typed queries over the store: people, quotes, figures and passages.

User text reaches SQLite only as bound parameters, and FTS5 only through
`store.text.match_expression`, which quotes every token: nothing a user types is SQL or
FTS5 syntax. People are looked up exactly by any folded alias first, then with
rapidfuzz over the aliases (Latin and pinyin forms for typos, Han forms for near misses).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import sqlite_utils
from rapidfuzz import fuzz, process

from store import db as dbmod
from store import rewarm
from store.figures import Amount
from store.spelling import TypoIndex, one_typo_apart
from store.text import HAN, fold, is_han, match_expression, query_terms, simplified


@dataclass(slots=True)  # slots: the store keeps one per article in memory (Store._load_catalogue)
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
class NameMatch:
    """The people a name means, best first, and whether it is one of their names as written."""

    person_ids: list[int]
    exact: bool


@dataclass
class Page:
    """One page of hits and how many there are in all."""

    hits: list
    total: int


class Store:
    """A read handle on the database with the queries commands need."""

    # What a serving process keeps in memory for names, /who and first pages of quotes: read
    # again after an index run (by store.rewarm.Rewarmer in the background, once preloaded).
    KEPT = ("_alias_index", "_alias_rows", "_fuzzy_forms", "_typo_index", "_named_index", "_cards", "_pages",
            "_written_names", "_roles")

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._articles: dict[str, ArticleRecord] = {}
        self._catalogued = False
        self._catalogue_at = ""  # the newest indexed_at the catalogue has read
        self._changes = db.conn.total_changes  # writes through this handle, as refresh last saw them
        self._generation = self._read_generation()
        self.refresh_every = REFRESH_EVERY
        self._clock = time.monotonic
        self._looked: float | None = None  # when refresh last looked at the file
        self._preloaded = False  # preload ran: a process that answers many questions keeps a TypoIndex
        # Held for one whole answer (commands.run): the KEPT lists are dropped and replaced
        # between answers, never during one.
        self.answering = threading.Condition(threading.RLock())
        self.kept_at = -1  # the generation the KEPT lists in memory were read at (-1: none, or unknown)
        self._rewarmer: rewarm.Rewarmer | None = None

    def refresh(self, force: bool = False) -> None:
        """Bring what this handle keeps in memory up to date with the file, if an article was
        written or removed since it last looked: articles indexed since are read again (a
        re-indexed article's new title and link), name lookups' lists (KEPT) are dropped unless
        they are newer, and read again: in the background in a serving process (preload:
        store.rewarm), else when next needed.

        Called before every command. A write through this handle is seen at once; another
        process's, within `refresh_every` seconds (reading the counter costs a few µs, a tenth
        of a warm /quote answer, so it is not read for every answer). Only an article written
        or removed costs more."""
        now, changes = self._clock(), self.db.conn.total_changes
        if not force and self._looked is not None and changes == self._changes and now - self._looked < self.refresh_every:
            return
        self._looked, self._changes = now, changes
        generation = self._read_generation()
        if generation == self._generation:
            return
        self._generation = generation
        if self._catalogued:
            self._read_articles("where indexed_at >= ?", [self._catalogue_at])
        with self.answering:
            if self.kept_at < generation:  # the rewarmer may have read them since already
                self.drop_kept()
                if self._rewarmer is not None:
                    self._rewarmer.poke()

    def drop_kept(self) -> None:
        """Forget the KEPT lists (until read again)."""
        for name in self.KEPT:
            self.__dict__.pop(name, None)
        self.kept_at = -1

    def read_kept(self, db: sqlite_utils.Database) -> dict:
        """The KEPT lists as read through another connection (a rewarmer's), not yet this store's."""
        shadow = Store(db)
        shadow._preloaded = self._preloaded
        return {name: getattr(shadow, name) for name in self.KEPT}

    def take_kept(self, at: int, kept: dict) -> None:
        """Keep lists read at generation `at`, unless this handle has seen a later one since."""
        if at >= self._generation:
            self.__dict__.update(kept)
            self.kept_at = at

    def _await_kept(self) -> None:
        """In a serving process, a lookup that needs every alias waits while the rewarmer reads
        them (after an index run) rather than read them alongside it."""
        rewarmer = self._rewarmer
        if rewarmer is None or "_alias_index" in self.__dict__:
            return
        with self.answering:
            self.answering.wait_for(rewarmer.settled, rewarm.WAIT)

    def _read_generation(self) -> int:
        """How many articles were ever written or removed (store.db.GENERATION)."""
        return dbmod.generation(self.db.conn)

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> Store:
        return cls(dbmod.connect(path))

    # -- articles -------------------------------------------------------------------------
    def article_count(self) -> int:
        return dbmod.article_count(self.db)

    def article(self, article_id: str) -> ArticleRecord:
        """An article's record, from memory: the first call reads every article's (see
        _load_catalogue); one indexed since is read alone."""
        record = self._articles.get(article_id)
        if record is None and not self._catalogued:
            self._load_catalogue()
            record = self._articles.get(article_id)
        if record is None:
            r = self.db.conn.execute(f"select {_ARTICLE_COLS} from articles where id = ?", [article_id]).fetchone()
            if r is None:
                raise KeyError(article_id)
            record = self._articles[article_id] = _article_record(r)
        return record

    def _load_catalogue(self) -> None:
        """Every article's record in one statement. Each answer cites up to five articles;
        read one by one they were a third of a /quote answer's time (a cold page each), and
        the records are small (about 400 bytes each: 4 MB for 10,000 articles)."""
        self._catalogued = True
        self._read_articles()

    def _read_articles(self, where: str = "", params: list | None = None) -> None:
        for r in self.db.conn.execute(f"select {_ARTICLE_COLS} from articles {where}", params or []):
            self._articles[r[0]] = record = _article_record(r)
            self._catalogue_at = max(self._catalogue_at, record.indexed_at or "")

    def article_seq(self) -> int:
        """The sequence number of the newest article (rowid order is indexing order)."""
        return self.db.execute("select coalesce(max(rowid), 0) from articles").fetchone()[0]

    def articles_since(self, seq: int) -> list[tuple[int, ArticleRecord]]:
        """Articles indexed after sequence number seq, oldest first: what a digest lists."""
        rows = list(self.db.query("select rowid as seq, id from articles where rowid > ? order by rowid", [seq]))
        return [(r["seq"], self.article(r["id"])) for r in rows]

    def top_quotes(self, article_id: str, n: int = 2) -> list[QuoteHit]:
        """An article's most quotable quotes: direct, by a named speaker, a full sentence."""
        rows = self.db.conn.execute(f"select {_QUOTE_COLS} from quotes q {_QUOTE_JOINS} where q.article_id = ?"
                                    " order by q.score desc, q.paragraph limit ?", [article_id, n])
        return [self._quote_row(r) for r in rows]

    def key_figures(self, article_id: str, n: int = 2) -> list[FigureHit]:
        rows = self.db.query("select * from figures where article_id = ? order by core desc, kind = 'money' desc,"
                             " paragraph limit ?", [article_id, n])
        return [self._figure(r) for r in rows]

    # -- people ---------------------------------------------------------------------------
    def preload(self) -> None:
        """Read what the first name that is no alias would (every alias, for close spellings;
        pypinyin, for one in Han script), and what exact names, quote pages and /who then
        answer from (_named_index, _cards, _pages): a long-running process calls this as it
        starts (commands.warm), so no user waits 0.4 s (N=10,000) for it. About 80 MB at
        N=10,000. It also builds the index of names one typo apart (_typo_index: 0.56 s, 5 MB
        at N=10,000). And every article's record (_load_catalogue: 40 ms and 4 MB at
        N=10,000), which the first answer citing an article would otherwise read.

        Once an article is written or removed, by this process or another, the lists (KEPT)
        are read again in the background (store.rewarm), not by the next question."""
        from pypinyin import lazy_pinyin

        lazy_pinyin("预载")
        self._preloaded = True
        if not self._catalogued:
            self._load_catalogue()
        at = self._read_generation()
        for name in self.KEPT:
            getattr(self, name)  # cached properties: reading them builds them
        with self.answering:
            self.kept_at = max(self.kept_at, at)
        self._watch()

    def path(self) -> str:
        """The file this store reads ('' for one in memory)."""
        return next((r[2] for r in self.db.conn.execute("pragma database_list") if r[1] == "main"), "")

    def _watch(self) -> None:
        """Start reading the KEPT lists again in the background after an index run
        (store.rewarm), for a store in a file (another process can write to it)."""
        if self._rewarmer is not None and self._rewarmer.is_alive():
            return
        path = self.path()
        if path:
            self._rewarmer = rewarm.Rewarmer(self, path, self.refresh_every)
            self._rewarmer.start()

    @property
    def _serving(self) -> bool:
        """Whether the alias lists are in memory (preload, or a fuzzy lookup): then exact names,
        /who and first pages of quotes answer from memory too; a one-shot process asks the file."""
        return "_alias_rows" in self.__dict__

    @cached_property
    def _alias_index(self) -> tuple[list[str], list[int], list[bool]]:
        """Every alias row: its folded form, its person, whether it is a name as written (not pinyin)."""
        rows = self.db.execute("select folded, person_id, kind != 'pinyin' from aliases").fetchall()
        return [r[0] for r in rows], [r[1] for r in rows], [bool(r[2]) for r in rows]

    @cached_property
    def _alias_rows(self) -> dict[str, list[int]]:
        """Each distinct folded alias → the positions of its rows in _alias_index."""
        where: dict[str, list[int]] = {}
        for i, f in enumerate(self._alias_index[0]):
            where.setdefault(f, []).append(i)
        return where

    @cached_property
    def _named_index(self) -> dict[str, tuple[tuple[int, bool], ...]]:
        """Each distinct folded alias → (person id, named so other than in pinyin) of each of
        its people, oldest first: an exact name's answer worked out once, not per lookup (a
        name has an alias row for every article that uses it)."""
        _forms, ids, written = self._alias_index
        out: dict[str, tuple[tuple[int, bool], ...]] = {}
        for key, positions in self._alias_rows.items():
            named: dict[int, bool] = {}
            for pos in positions:
                named[ids[pos]] = named.get(ids[pos], False) or written[pos]
            out[key] = tuple(sorted(named.items()))
        return out

    @cached_property
    def _cards(self) -> dict[int, tuple]:
        """Each person's row of _PERSON_COLS (their card: names, articles, how many quotes):
        what /who answers and a quote page joins in, from memory once the alias lists are
        (a serving process)."""
        return {r[0]: r for r in self.db.conn.execute(_ALL_PEOPLE_SQL)}

    @cached_property
    def _pages(self) -> dict[int, bytes]:
        """Each quoted person's first page of quotes (their card's, store.db.CARD_COLUMNS), as
        the JSON it is kept in (UTF-8 bytes: 14 MB at N=10,000, 18 as str)."""
        return dict(self.db.conn.execute("select id, cast(card_page as blob) from people where card_quotes > 0"))

    @cached_property
    def _fuzzy_forms(self) -> dict[bool, tuple[list[str], list[list[int]]]]:
        """Each distinct alias once, with the positions of its rows in _alias_index: for all
        aliases (False), and for those with a character that is not Han (True), the only ones
        a probe without Han characters can score above zero against (fuzz.ratio counts shared
        characters)."""
        where = self._alias_rows
        out: dict[bool, tuple[list[str], list[list[int]]]] = {False: (list(where), list(where.values()))}
        latin = [f for f in where if not _HAN_ONLY.fullmatch(f)]
        out[True] = (latin, [where[f] for f in latin])
        return out

    @cached_property
    def _typo_index(self) -> TypoIndex:
        """The Latin and pinyin forms one typo from a name, found in a few lookups."""
        return TypoIndex(self._fuzzy_forms[True][0])

    def find_people(self, query: str, limit: int = 5) -> list[PersonRecord]:
        """People by any name form: exact first, then close spellings."""
        return self.people_called(query, limit)[0]

    def people_called(self, query: str, limit: int = 5) -> tuple[list[PersonRecord], bool]:
        """What /who answers: the people a name means, and whether it is one of their names as
        written (see match_names). A name that is an alias is read in one statement."""
        key = fold(query).strip()
        if not key:
            return [], False
        named = self._named_in_memory(key)
        if named is None:  # the alias lists are not in memory: people and their cards in one statement
            rows = self.db.conn.execute(_PEOPLE_NAMED_SQL, [key, key, limit]).fetchall()
            if rows:
                return [_person_record(r[:-1]) for r in rows], any(r[-1] for r in rows)
        elif named:
            people = self.people(list(named)[:limit])
            return people, any(named[p.id] for p in people)
        return self.people(self._fuzzy_people(key, limit)), False

    def people_with_role(self, query: str, limit: int = 5) -> list[PersonRecord]:
        """People whose role holds the words (微软首席执行官, OpenAI的CEO), the most quoted first:
        for a question that names a post, not a person. A scan of every role, so only asked
        when no name matched."""
        key = _role_key(simplified(query))
        if len(key) < (2 if any(is_han(c) for c in key) else 3):  # not /who de: inside any Latin word
            return []
        if not self._preloaded:  # one question: the roles' covering index (14 ms at N=45,000)
            like = "%" + re.sub(r"([%_\\])", r"\\\1", key) + "%"
            return self.people([i for (i,) in self.db.conn.execute(
                "select id from people where replace(replace(role, ' ', ''), '的', '') like ? escape '\\'"
                " order by minor, card_quotes desc, id limit ?", [like, limit])])
        self._await_kept()
        text, starts, ids = self._roles  # a serving process: every role in one string, found in C
        found = {ids[i] for i in _holding(text, starts, key.casefold())}
        cards = self._cards
        return self.people(sorted(found, key=lambda i: (cards[i][5], -(cards[i][8] or 0), i))[:limit])

    @cached_property
    def _roles(self) -> tuple[str, list[int], list[int]]:
        """Every person's role, casefolded, as ' role \n' in one string, with where each starts
        and whose it is: people_with_role in a serving process (see _written_names)."""
        ids = [pid for pid, card in self._cards.items() if card[4]]
        return (*_joined([_role_key(self._cards[pid][4]).casefold() for pid in ids]), ids)

    def match_names(self, query: str, limit: int = 5, near: bool = True) -> NameMatch:
        """Who a name means, without reading their records: what /quote needs.

        Exact when an alias other than a pinyin spelling matches the folded query (the
        person's name as written somewhere); pinyin and fuzzy matches are near misses, looked
        for only when `near` (a caller that wants a name as written skips them: they may read
        every name).
        """
        key = fold(query).strip()
        if not key:
            return NameMatch([], False)
        exact = self._named_in_memory(key)
        if exact is None:
            exact = {}
            for pid, kind in self.db.conn.execute("select person_id, kind from aliases where folded = ?", [key]):
                exact[pid] = exact.get(pid, False) or kind != "pinyin"
        if exact:
            return NameMatch(list(exact)[:limit], any(exact.values()))
        return NameMatch(self._fuzzy_people(key, limit) if near else [], False)

    def _named_in_memory(self, key: str) -> dict[int, bool] | None:
        """The people a folded name is an alias of (person id → named so other than in pinyin,
        oldest person first), from memory once the alias lists are (preload, or a fuzzy lookup):
        a dictionary lookup instead of a statement. None when they are not: one exact name is
        not worth reading them all."""
        if not self._serving:
            return None
        return dict(self._named_index.get(key, ()))

    def _fuzzy_people(self, key: str, limit: int) -> list[int]:
        self._await_kept()
        forms, ids, _written = self._alias_index
        if not forms:
            return []
        han = any(is_han(c) for c in key)
        if han:
            from pypinyin import lazy_pinyin  # imported here: 0.2 s that most answers never need

            # A typo in Han script is usually a same-sounding character: compare pinyin,
            # and ask for a close match, since two short Han names share little by chance.
            probe = "".join(lazy_pinyin(key.replace("·", "")))
            cutoff = typo_cutoff = 88 if len(probe) >= 6 else 101
        else:
            probe = key
            cutoff = 85 if len(key) >= 5 else 101
            # One typo from a name counts for less than a fuzzy score: Amodie for Amodei (83), and
            # in four letters only a letter left out (Trum, Bidn), not a word that differs in one.
            typo_cutoff = 80 if len(key) >= 5 else 85 if len(key) == 4 else 101
        if min(cutoff, typo_cutoff) > 100:
            return self._part_of_names(key, limit)
        # Scored once per distinct alias, then expanded to every alias row in the order
        # process.extract over all rows gives: score, then row position.
        latin = not any(is_han(c) for c in probe)
        positions = self._fuzzy_forms[latin][1]
        matches = self._close_forms(probe, cutoff, latin, typo_cutoff)
        if len(probe) < 5:
            matches = [m for m in matches if len(m[0]) == len(probe) + 1]
        # under the fuzzy cutoff, only a name that begins as typed: Trum is Trump, Rump is a word
        matches = [m for m in matches if m[1] >= cutoff or m[0][:1].casefold() == probe[:1].casefold()]
        rows = sorted((-score, pos) for _form, score, u in matches for pos in positions[u])[: limit * 4]
        out: list[int] = []
        for _score, pos in rows:
            if ids[pos] not in out:
                out.append(ids[pos])
        return out[:limit] or self._part_of_names(key, limit)

    def _part_of_names(self, key: str, limit: int) -> list[int]:
        """The people a name is part of, when it is no one's name and close to none: a given name
        (Satya, Donald: whole words of a Latin name) or two or more characters of a Han one
        (萨提亚 of 萨提亚·纳德拉, 纳德 of 纳德拉). Names as written only, not pinyin spellings;
        older people first. A last resort: it reads every distinct name (10 ms at N=10,000)."""
        han = any(is_han(c) for c in key)
        if (han and len(key.replace("·", "")) < 2) or (not han and len(key) < 3):
            return []
        needle = key if han else f" {key} "  # a Latin name's whole words
        text, starts, names = self._written_names
        _forms, ids, written = self._alias_index
        found: set[int] = set()
        for form in (names[i] for i in _holding(text, starts, needle)):
            if form != key:
                found.update(ids[p] for p in self._alias_rows[form] if written[p])
        return sorted(found)[:limit]

    @cached_property
    def _written_names(self) -> tuple[str, list[int], list[str]]:
        """Every distinct name as written (not only a pinyin spelling), each as ' name \n' in one
        string, with where each starts: _part_of_names finds a fragment with str.find, in C,
        where testing each name in Python took 7-9 ms at N=10,000 and every /quote of words
        that are no one's name paid it. The separators keep a fragment inside one name."""
        _forms, _ids, written = self._alias_index
        names = [f for f, positions in self._alias_rows.items() if any(written[p] for p in positions)]
        return (*_joined(names), names)

    def _close_forms(self, probe: str, cutoff: float, latin: bool,
                     typo_cutoff: float | None = None) -> list[tuple[str, float, int]]:
        """The forms a name that is no alias may be a misspelling of, as process.extract gives
        them (form, score, position): those one typo from it that score at least `typo_cutoff`
        (default `cutoff`), or when there are none, every form that scores at least `cutoff`.

        The nearest first: a name one letter off is the one meant, and such forms are found
        through _typo_index in a few lookups where scoring every form grows with the corpus
        (0.09 against 8 ms at N=50,000). Only a name no form is one typo from (no one's, or
        misspelt twice) is scored against every form. A one-shot process builds no index and
        scores every form, keeping the same ones."""
        uniq = self._fuzzy_forms[latin][0]
        typo_cutoff = cutoff if typo_cutoff is None else typo_cutoff

        def every(least: float) -> list[tuple[str, float, int]]:
            return process.extract(probe, uniq, scorer=fuzz.ratio, score_cutoff=least, limit=None)

        if latin and self._preloaded:
            near = [(uniq[u], score, u) for u in self._typo_index.near(probe)
                    if (score := fuzz.ratio(probe, uniq[u])) >= typo_cutoff]
            return near or (every(cutoff) if cutoff <= 100 else [])
        scored = every(min(cutoff, typo_cutoff))
        return ([m for m in scored if m[1] >= typo_cutoff and one_typo_apart(probe, m[0])]
                or [m for m in scored if m[1] >= cutoff])

    def person(self, person_id: int) -> PersonRecord:
        return self.people([person_id])[0]

    def people(self, person_ids: list[int]) -> list[PersonRecord]:
        """Records in the order asked, one statement for all: a /who answer is one round trip
        (none in a serving process: _cards)."""
        if not person_ids:
            return []
        if self._serving:
            cards = self._cards
            return [_person_record(cards[i]) for i in person_ids if i in cards]
        rows = {r[0]: r for r in self.db.conn.execute(_PEOPLE_SQL.format(marks=dbmod.marks(person_ids)), person_ids)}
        return [_person_record(rows[i]) for i in person_ids if i in rows]  # gone since an alias list was read

    # -- quotes ---------------------------------------------------------------------------
    def quotes_by_people(self, person_ids: list[int], limit: int = 5, offset: int = 0) -> Page:
        """A person's quotes, most quotable first, with speaker names and sources joined in."""
        if not person_ids:
            return Page([], 0)
        if len(person_ids) == 1 and offset == 0 and limit == dbmod.CARD_PAGE:
            return self._first_page(person_ids[0])
        theirs = dbmod.quotes_of(f"({dbmod.marks(person_ids)})")  # said alone or in a group
        rows = self.db.conn.execute(
            f"select {_QUOTE_COLS} from ({theirs}) q {_QUOTE_JOINS} order by {_QUOTE_ORDER} limit ? offset ?",
            [*person_ids, *person_ids, limit, offset]).fetchall()
        if rows and len(rows) < limit:  # the last page: the total is known without counting
            total = offset + len(rows)
        else:
            total = self.db.execute(f"select count(*) from ({theirs})", [*person_ids, *person_ids]).fetchone()[0]
        return Page([self._quote_row(r) for r in rows], total)

    def quotes_by_people_about(self, person_ids: list[int], text: str, limit: int = 5, offset: int = 0) -> Page:
        """These people's quotes holding every word of the text as written (/quote 特朗普 警钟),
        in answer order: their quotes are read and checked here (a person's are tens, not
        thousands)."""
        terms = _Query.of(text).whole
        if not person_ids or not terms:
            return Page([], 0)
        theirs = dbmod.quotes_of(f"({dbmod.marks(person_ids)})")
        rows = [r[:-1] for r in self.db.conn.execute(
            f"select {_QUOTE_COLS}, f.folded from ({theirs}) q {_QUOTE_JOINS} join quotes f on f.id = q.id"
            f" order by {_QUOTE_ORDER}", [*person_ids, *person_ids]) if _holds_all(r[-1] or "", terms)]
        return Page([self._quote_row(r) for r in rows[offset: offset + limit]], len(rows))

    def quotes_by_speaker(self, name: str, limit: int = 5, offset: int = 0) -> Page:
        """Quotes said by an organisation, or a group, of that name (store.db.QUOTE_SPEAKERS):
        /quote 彭博社 for what Bloomberg reported. The name as the article wrote it, any script."""
        key = fold(name).strip()
        if not key:
            return Page([], 0)
        said = "select quote_id from quote_speakers where key = ?"
        total = self.db.conn.execute(f"select count(*) from ({said})", [key]).fetchone()[0]
        if not total:
            return Page([], 0)
        rows = self.db.conn.execute(
            f"select {_QUOTE_COLS} from quotes q {_QUOTE_JOINS} where q.id in ({said})"
            f" order by {_QUOTE_ORDER} limit ? offset ?", [key, limit, offset]).fetchall()
        return Page([self._quote_row(r) for r in rows], total)

    def _first_page(self, person_id: int) -> Page:
        """A person's first page of quotes, kept on their card: from memory in a serving
        process (_pages, _cards), else one row by its key. Reading the page from the quote
        index was a fifth of a /quote answer between other kinds of question (five rows of
        nine columns from an index of long rows)."""
        if self._serving:
            card, page = self._cards.get(person_id), self._pages.get(person_id)
            name, role, total = (card[1], card[4], card[8]) if card else (None, None, 0)
        else:
            row = self.db.conn.execute("select name, role, card_quotes, card_page from people where id = ?",
                                       [person_id]).fetchone()
            name, role, total, page = row or (None, None, 0, None)
        if not total or not page:
            return Page([], 0)
        return Page([self._quote_row((*q, name, role)) for q in json.loads(page)], total)

    def search_quotes(self, text: str, limit: int = 5, offset: int = 0) -> Page:
        """Quotes containing the words, best match first (then the most quotable)."""
        q = _Query.of(text)
        ranked = self._fts_rank("quotes_fts", "select id, folded, score from quotes", q,
                                lambda r: r[1], lambda r, f: _tf_score(f, q.words) + r[2] * 0.5)
        ids = [r[0] for r in ranked[offset: offset + limit]]
        rows = {r[0]: r for r in self.db.conn.execute(
            f"select {_QUOTE_COLS} from quotes q {_QUOTE_JOINS} where q.id in ({dbmod.marks(ids)})", ids)}
        return Page([self._quote_row(rows[i]) for i in ids], len(ranked))

    def _quote_row(self, r: tuple) -> QuoteHit:
        """A QuoteHit from a row of _QUOTE_COLS (the person's name joined in; the article from memory)."""
        qid, aid, para, text, kind, speaker, stype, pid, role, pname, prole = r
        if pid is not None and pname is not None:  # one person, one name, whichever form the article used
            speaker, role = pname, role or prole
        return QuoteHit(qid, self.article(aid), para, text, kind, speaker, stype, pid, role)

    # -- figures --------------------------------------------------------------------------
    def search_figures(self, text: str, limit: int = 5, offset: int = 0) -> Page:
        """Figures whose subject or sentence has the words, nearest to the words first.

        A sentence often holds several figures (约2000块英伟达专用芯片, 远低于…1.6万余块):
        the words' weight ranks the sentences (in the subject four times their weight in the
        sentence), the distance from the words to each figure ranks the best FIGURE_WINDOW.
        """
        q = _Query.of(text)
        ranked = self._fts_rank(
            "figures_fts", "select id, folded, subject, core, raw from figures", q,
            lambda r: r[1] + "\n" + fold(r[2] or ""),
            lambda r, f: 4.0 * _tf_score(fold(r[2] or ""), q.words) + _tf_score(r[1], q.words) + 2.0 * r[3])
        window = sorted(ranked[:FIGURE_WINDOW], key=lambda r: _distance(r[1], r[4], q.words))  # stable: ties keep rank
        ids = [r[0] for r in (window + ranked[FIGURE_WINDOW:])[offset: offset + limit]]
        rows = {r["id"]: r for r in self.db.query(f"select * from figures where id in ({dbmod.marks(ids)})", ids)}
        return Page([self._figure(rows[i]) for i in ids], len(ranked))

    def figures_by_amount(self, amount: Amount, limit: int = 5, offset: int = 0) -> Page:
        """Figures of that value: equal first, then others within 10% (nearest first), then ranges
        holding it.

        Each group is read from a covering index in answer order and stops at CANDIDATES
        (the within-10% group outward from the value, below and above), so the cost does not
        grow with how many figures share a common value such as 50%. Only the page's rows are
        read from the figures table.
        """
        v = amount.value
        lo, hi = (v * 0.9, v * 1.1) if v >= 0 else (v * 1.1, v * 0.9)
        eps = 1e-9 * max(1, abs(v))  # "equal": within eps
        unit_sql, unit = ("unit = ? and ", [amount.unit]) if amount.unit else ("", [])
        keys = "select id, value, value_max, core, article_id, paragraph from figures where " + unit_sql
        n = CANDIDATES
        groups = [
            (keys + "value between ? and ? order by value, value_max, core desc, article_id, paragraph limit ?",
             [v - eps, v + eps, n]),
            # ranges holding it, among the RANGE_SCAN whose upper end is nearest above it: a bounded
            # read, where every range ending above a small value would be most of the index
            (f"select * from ({keys}value_max is not null and value_max >= ? order by value_max limit ?)"
             " where value <= ? limit ?", [v, RANGE_SCAN, v, n]),
            (keys + "value > ? and value <= ? order by value limit ?", [v + eps, max(hi, v + eps), n]),
            (keys + "value < ? and value >= ? order by value desc limit ?", [v - eps, min(lo, v - eps), n]),
        ]
        found: dict[int, tuple] = {}
        for sql, params in groups:
            for r in self.db.conn.execute(sql, [*unit, *params]):
                found.setdefault(r[0], r)
        ranked = sorted(found.values(), key=lambda r: (abs(r[1] - v) > eps, r[2] is not None, abs(r[1] - v),
                                                       -r[3], r[4], r[5]))
        ids = [r[0] for r in ranked[offset: offset + limit]]
        rows = {r["id"]: r for r in self.db.query(f"select * from figures where id in ({dbmod.marks(ids)})", ids)}
        return Page([self._figure(rows[i]) for i in ids], len(ranked))

    def _figure(self, r: dict) -> FigureHit:
        return FigureHit(r["id"], self.article(r["article_id"]), r["paragraph"], r["raw"], r["kind"], r["value"],
                         r["value_max"], r["unit"], r["qualifier"], r["subject"], r["context"])

    # -- passages -------------------------------------------------------------------------
    def search_passages(self, text: str, limit: int = 5, offset: int = 0) -> Page:
        """Paragraphs that discuss it: the best paragraph of each article first."""
        q = _Query.of(text)
        ranked = self._fts_rank("paragraphs_fts", "select id, folded, article_id, n, text from paragraphs", q,
                                lambda r: r[1], lambda r, f: _tf_score(f, q.words))
        firsts, rest, seen = [], [], set()
        for r in ranked:
            (rest if r[2] in seen else firsts).append(r)
            seen.add(r[2])
        hits = []
        for _id, folded, article_id, n, para in (firsts + rest)[offset: offset + limit]:
            hits.append(PassageHit(self.article(article_id), n, para, _highlights(folded, q.split)))
        return Page(hits, len(ranked))

    # -- everything, for export -----------------------------------------------------------
    def all_quotes(self):
        for r in self.db.conn.execute(f"select {_QUOTE_COLS} from quotes q {_QUOTE_JOINS}"
                                      " order by q.article_id, q.paragraph, q.start"):
            yield self._quote_row(r)

    def all_figures(self):
        for r in self.db.query("select * from figures order by article_id, paragraph, start"):
            yield self._figure(r)

    def all_people(self):
        for r in self.db.query("select id from people order by id"):
            yield self.person(r["id"])

    # -- shared ---------------------------------------------------------------------------
    def _fts_rank(self, fts: str, select: str, q: _Query, folded, score) -> list[tuple]:
        """The rows (of `select`) matching the query's jieba words: those holding every term
        as written first, each group by score, best first.

        英伟达芯片 as written finds 低端英伟达芯片; split into 英伟达 + 芯片 it also finds
        英伟达专用芯片, ranked after. One full-text query reads the newest CANDIDATES
        matches (the index gives newest first and stops at the limit), so a lookup's cost
        does not grow with how many articles use a common word, and a news desk sees recent
        coverage first. Which of them hold the terms as written, and their scores, are
        worked out here from their folded text (`folded(row)`); FTS5's bm25 would cost one
        pass over every match of every query phrase. All candidates hold every word, so term
        frequency and length (`score(row, folded)`) order them much as bm25 would.
        """
        expr = match_expression(q.split)  # in any column: a figure's words may stand in its subject
        if not expr:
            return []
        ids = [-r for (r,) in self.db.conn.execute(
            f"select rowid from {fts} where {fts} match ? order by rowid limit ?", [expr, CANDIDATES])]
        if not ids:
            return []
        keyed = []
        for r in self.db.conn.execute(f"{select} where id in ({dbmod.marks(ids)})", ids):
            f = folded(r)
            keyed.append(((not _holds_all(f, q.whole), -score(r, f), -r[0]), r))
        keyed.sort(key=lambda kr: kr[0])
        return [r for _, r in keyed]


CANDIDATES = 200  # matches a full-text lookup reads and ranks: the newest
REFRESH_EVERY = 0.5  # seconds between looks for another process's writes (Store.refresh)


@dataclass
class _Query:
    """What a full-text lookup needs of the user's text, worked out once per lookup."""

    split: list[list[str]]  # each jieba word's character tokens: what the index is asked for
    words: list[str]  # the same as strings: what scores, distances and highlights look for
    whole: list[str]  # each whitespace-separated term as written: ranked first where it stands

    @classmethod
    def of(cls, text: str) -> _Query:
        split = query_terms(text, split_words=True)
        return cls(split, ["".join(t) for t in split], ["".join(t) for t in query_terms(text)])


def _joined(items: list[str]) -> tuple[str, list[int]]:
    """The items as ' item \n' in one string, and where each starts: found with str.find, in C
    (_holding), where testing each in Python grows with the store. The separators keep a match
    inside one item, and let ' word ' match a whole word of one."""
    starts, at = [], 0
    for item in items:
        starts.append(at)
        at += len(item) + 3
    return "".join(f" {item} \n" for item in items), starts


def _holding(text: str, starts: list[int], needle: str) -> Iterator[int]:
    """The index of each item of a _joined string holding the needle, once a match."""
    at = text.find(needle)
    while at >= 0:
        yield bisect_right(starts, at) - 1
        at = text.find(needle, at + 1)


def _role_key(role: str) -> str:
    """A role as people_with_role compares it: without spaces or 的, so Anthropic的首席执行官
    is in 初创公司Anthropic首席执行官 and OpenAI联合创始人 in OpenAI 联合创始人."""
    return "".join(role.split()).replace("的", "")


def _holds_all(folded: str, terms: list[str]) -> bool:
    """Whether every term stands in the text, punctuation between its characters allowed
    (as a phrase of the index's tokens matches)."""
    compact = None
    for term in terms:
        if term in folded:
            continue
        compact = compact or _PUNCT_RE.sub("", folded)
        if term not in compact:
            return False
    return True


def _tf_score(folded: str, terms: list[str]) -> float:
    """BM25's term-frequency part (k1 = 1.2, b = 0.75, 100 characters an average text):
    more uses of the words weigh more, with diminishing returns, and in a shorter text more."""
    norm = 1.2 * (0.25 + 0.75 * len(folded) / 100)
    total = 0.0
    for term in terms:
        tf = folded.count(term)
        total += tf / (tf + norm)
    return total


def _article_record(r: tuple) -> ArticleRecord:
    """An ArticleRecord from a row of _ARTICLE_COLS: the title, else the one derived from the text."""
    return ArticleRecord(r[0], r[1] or r[2], *r[3:])


def _person_record(r: tuple) -> PersonRecord:
    pid, name, full_name, name_en, role, minor, aliases, articles, quotes = r
    names = [a for a in dict.fromkeys(aliases.split(_SEP)) if a != name] if aliases else []
    return PersonRecord(pid, name, full_name, name_en, role, names, articles.split(_SEP) if articles else [], quotes,
                        bool(minor))


# A person's names and article ids come as one string each (their card, store.db.CARD_COLUMNS),
# joined by the unit separator: splitting it is a tenth of the cost of decoding a JSON array.
_SEP = "\x1f"


_PERSON_COLS = "p.id, p.name, p.full_name, p.name_en, p.role, p.minor, p.card_names, p.card_articles, p.card_quotes"
_PEOPLE_SQL = f"select {_PERSON_COLS} from people p where p.id in ({{marks}})"
_ALL_PEOPLE_SQL = f"select {_PERSON_COLS} from people p"
# The people a folded name is an alias of, each with whether it is a name as written (not pinyin).
_PEOPLE_NAMED_SQL = (
    f"select {_PERSON_COLS}, (select max(kind != 'pinyin') from aliases x where x.folded = ? and x.person_id = p.id)"
    " from people p where p.id in (select person_id from aliases where folded = ?) order by p.id limit ?")
_QUOTE_COLS = ", ".join(f"q.{c}" for c in dbmod.QUOTE_PAGE_COLS.split(", ")) + ", p.name, p.role"  # a card page's, and the speaker
_QUOTE_ORDER = ", ".join(f"q.{c}" for c in dbmod.QUOTE_ORDER.split(", "))
_QUOTE_JOINS = "left join people p on p.id = q.person_id"
_ARTICLE_COLS = "id, title, display_title, outlet, published, url, copy_url, indexed_at"
_PUNCT_RE = re.compile(r"[\W_]+")  # what _compact drops: punctuation, spaces, underscores
_HAN_ONLY = re.compile(f"[{HAN}· ]*")
RANGE_SCAN = 2000  # ranges read, nearest upper end first, to find those holding a value
FIGURE_WINDOW = 100  # candidates re-ranked by distance; score order beyond that


def _distance(ctx: str, raw: str, terms: list[str]) -> float:
    """How far, in characters, the query words stand from the figure in its (folded) sentence."""
    at = ctx.find(fold(raw))
    if at < 0 or not terms:
        return 1000.0
    end = at + len(raw)
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


def _highlights(folded: str, terms: list[list[str]]) -> list[tuple[int, int]]:
    """Where each query term stands in a folded text, as [start, end) offsets (folding keeps
    offsets, so they hold in the original text too).

    A term is looked for as it is first; only a term not found so (its characters split by
    punctuation, as a phrase match allows) is looked for in the text without punctuation.
    """
    spans = []
    compact: tuple[str, list[int]] | None = None
    for toks in terms:
        needle = "".join(toks)
        found = _find_all(folded, needle)
        if not found:
            compact = compact or _compact(folded)
            found = [(compact[1][i], compact[1][j - 1] + 1) for i, j in _find_all(compact[0], needle)]
        spans += found
    return sorted(set(spans))


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    out = []
    i = text.find(needle) if needle else -1
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + len(needle))
    return out


def _compact(folded: str) -> tuple[str, list[int]]:
    """The folded text without punctuation or spaces, and where each character came from."""
    chars, index = [], []
    for i, c in enumerate(folded):
        if c.isalnum():
            chars.append(c)
            index.append(i)
    return "".join(chars), index
