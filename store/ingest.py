"""Indexing: read → normalise → segment → extract → write, each article whole or not at all.

Re-indexing an unchanged file does nothing (content hash), unless an older extraction
wrote its rows (store.extract.VERSION): then it is read again; a changed file replaces its
rows; a file that cannot be read or decoded is reported by name and skipped while the
rest of the batch lands; an exception while writing an article rolls that article back.
Articles are committed in groups (see Commits): an article is never half written, and a
crash loses at most the last group, which the next run writes again. A bulk run (a tenth
of the store or more) ends by merging each full-text index into one segment (merge_fulltext).

With workers > 1, a process pool does the CPU work of each article (read → fold →
extract → tokenise) and this process only writes, in the order the files were listed.
Everything comes out as with one worker: an article's extraction depends on its text alone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from pypinyin import Style, lazy_pinyin, pinyin

from store import db as dbmod
from store.extract import VERSION as EXTRACTION_VERSION
from store.extract import Extraction, PersonFound, extract
from store.lexicon import COMPOUND_SURNAMES, SURNAMES
from store.sources import Article, ArticleError, article_files, read_article
from store.text import fold, index_text, is_han, simplified


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    reread: list[str] = field(default_factory=list)  # unchanged files an older extraction had read
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    @property
    def changed(self) -> int:
        return len(self.added) + len(self.updated) + len(self.reread)

    def written(self, art: Article, row: dict | None) -> None:
        """Count an article just written, given its row as it was before (_existing)."""
        if row is None:
            self.added.append(art.id)
        elif row["content_hash"] == art.content_hash:
            self.reread.append(art.id)
        else:
            self.updated.append(art.id)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


class Commits:
    """An index run's writes, committed every ARTICLES_PER_COMMIT articles or COMMIT_EVERY
    seconds, whichever comes first, each article under its own savepoint.

    A commit per article cost the writer 10–20% more CPU (FTS5 flushes its pending terms to
    a new segment at every commit, and merges them later), and the writer is one of the
    three processes sharing two cores. An article that fails rolls back alone; another
    process sees new articles within COMMIT_EVERY seconds; `close` commits what is done,
    also when the run is interrupted."""

    def __init__(self, db: sqlite_utils.Database, clock: Callable[[], float] = time.monotonic):
        self.db, self.clock = db, clock
        self.pending = 0
        self.since = 0.0

    @contextmanager
    def article(self) -> Iterator[None]:
        conn = self.db.conn
        if not self.pending:
            conn.execute("BEGIN IMMEDIATE")
            self.since = self.clock()
        conn.execute("SAVEPOINT article")
        self.pending += 1
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO article")
            conn.execute("RELEASE article")
            raise
        conn.execute("RELEASE article")
        if self.pending >= ARTICLES_PER_COMMIT or self.clock() - self.since >= COMMIT_EVERY:
            self.close()

    def close(self) -> None:
        if self.pending and self.db.conn.in_transaction:  # SQLite may have rolled back itself (disk full)
            self.db.conn.execute("COMMIT")
        self.pending = 0


ARTICLES_PER_COMMIT = 20
COMMIT_EVERY = 1.0  # seconds


Progress = Callable[[str, int, int], None]  # (file name, done, total)


def index_paths(db: sqlite_utils.Database, paths: list[Path], progress: Progress | None = None,
                workers: int = 1) -> IndexReport:
    """Index every article file named or found in the folders named.

    workers > 1 extracts and tokenises in that many processes while this one writes.
    """
    report = IndexReport()
    files = article_files(paths)
    ensure_query_indexes(db)
    commits = Commits(db)
    bulk = is_bulk(db, len(files))
    with bulk_load(db, merge_late=bulk):
        try:
            if workers > 1 and len(files) > 1:
                _index_parallel(db, files, progress, workers, report, commits)
            else:
                _index_sequential(db, files, progress, report, commits)
        finally:
            commits.close()
    if bulk and report.changed:
        if progress:
            progress("(merging the search index)", len(files), len(files))
        merge_fulltext(db)
    return report


def _index_sequential(db: sqlite_utils.Database, files: list[Path], progress: Progress | None,
                      report: IndexReport, commits: Commits) -> None:
    cache: dict[Path, dict] = {}
    for i, path in enumerate(files, 1):
        if progress:
            progress(path.name, i - 1, len(files))
        try:
            art = read_article(path, cache)
        except ArticleError as e:
            report.failed.append((str(path), str(e)))
            continue
        row = _existing(db, art.id)
        if _current(row, art):
            report.unchanged.append(art.id)
            continue
        try:
            ex = extract(art.paragraphs)
            _write(db, commits, art, ex, row)
        except Exception as e:  # one bad article must not stop the batch
            report.failed.append((str(path), f"{type(e).__name__}: {e}"))
            continue
        report.written(art, row)
    if progress:
        progress("", len(files), len(files))


@contextmanager
def bulk_load(db: sqlite_utils.Database, cache_mb: int = 32, checkpoint_pages: int = 10000,
              merge_late: bool = False) -> Iterator[None]:
    """For an index run: a larger page cache and fewer WAL checkpoints (both per connection,
    restored after). Articles are committed in groups (Commits).

    merge_late, for a run that ends with merge_fulltext: the full-text indexes merge their
    segments less often meanwhile (FTS5 automerge LATE_AUTOMERGE, restored after), since
    the end merges them all anyway: 6% less writer CPU building 2,000 articles."""
    conn = db.conn
    cache = conn.execute("pragma cache_size").fetchone()[0]
    ckpt = conn.execute("pragma wal_autocheckpoint").fetchone()[0]
    conn.execute(f"pragma cache_size = {-1024 * cache_mb}")
    conn.execute(f"pragma wal_autocheckpoint = {checkpoint_pages}")
    automerge = {t: _fts_config(db, t, "automerge", DEFAULT_AUTOMERGE) for t in dbmod.FTS_TABLES} if merge_late else {}
    for table in automerge:
        _set_fts_config(db, table, "automerge", LATE_AUTOMERGE)
    try:
        yield
    finally:
        conn.execute(f"pragma cache_size = {int(cache)}")
        conn.execute(f"pragma wal_autocheckpoint = {int(ckpt)}")
        for table, value in automerge.items():
            _set_fts_config(db, table, "automerge", value)


# A run indexing at least this share of the store's articles (the first build, a bulk load)
# ends by merging each full-text index into one segment (merge_fulltext); smaller runs leave
# merging to FTS5's automerge, which keeps a few segments a level.
BULK_SHARE = 0.1
DEFAULT_AUTOMERGE = 4  # FTS5's own default
LATE_AUTOMERGE = 16


def is_bulk(db: sqlite_utils.Database, files: int) -> bool:
    """Whether a run over this many files is a bulk load (BULK_SHARE of the store or more)."""
    return files > 0 and files >= BULK_SHARE * dbmod.article_count(db)


def merge_fulltext(db: sqlite_utils.Database) -> None:
    """Merge each full-text index into one segment (FTS5 'optimize'), as Whoosh's writer
    leaves its index after a commit.

    A phrase query reads every segment's list for each of its tokens; the bulk runs that
    call this leave 12–30 segments a table at N=10,000. Merged, /source and /figure answer
    20–40% faster at N=1,000–40,000 (p50). It rewrites the indexes: 0.2 s at N=1,000, 1.7 s
    at 10,000, 7 s at 40,000, in 50 MB."""
    with transaction(db):
        for table in dbmod.FTS_TABLES:
            db.conn.execute(f"insert into {table}({table}) values ('optimize')")


def fulltext_segments(db: sqlite_utils.Database, table: str) -> int:
    """How many segments a full-text index has: the segment id is the top bits of each row
    id of its %_data table (FTS5's file format: id >> 37, 0 for its own records)."""
    return db.conn.execute(f"select count(distinct id >> 37) from {table}_data where id >> 37 > 0").fetchone()[0]


def _fts_config(db: sqlite_utils.Database, table: str, key: str, default: int) -> int:
    row = db.conn.execute(f"select v from {table}_config where k = ?", [key]).fetchone()
    return int(row[0]) if row else default


def _set_fts_config(db: sqlite_utils.Database, table: str, key: str, value: int) -> None:
    db.conn.execute(f"insert into {table}({table}, rank) values ('{key}', {int(value)})")


def ensure_query_indexes(db: sqlite_utils.Database) -> None:
    """The lookups' covering indexes (store.db.QUERY_INDEXES), for stores made before them."""
    for sql in dbmod.QUERY_INDEXES:
        db.execute(sql)


def _write(db: sqlite_utils.Database, commits: Commits, art: Article, ex: Extraction, row: dict | None,
           columns: Columns | None = None) -> None:
    """Write an article, replacing its rows if the store has it (row, from _existing).

    An unchanged file read again (by a newer extraction) keeps its row, so its place in
    indexing order (a digest lists articles indexed since its last post, and an upgrade is
    no news), and its paragraphs and their full-text rows when they are as this version
    writes them: only what extraction found is replaced (as fast as a first build; replacing
    everything took twice as long)."""
    with commits.article():
        again = row is not None and row["content_hash"] == art.content_hash
        text = again and _same_paragraphs(db, art)
        if row is not None:
            delete_article(db, art.id, keep_row=again, keep_text=text)
        write_article(db, art, ex, columns, row_kept=again, text_kept=text)


def _same_paragraphs(db: sqlite_utils.Database, art: Article) -> bool:
    """Whether the stored paragraphs are the article's, folded as this version folds them."""
    stored = db.execute("select n, text, folded from paragraphs where article_id = ? order by n", [art.id]).fetchall()
    return stored == [(p.n, p.text, p.folded) for p in art.paragraphs]


# -- the parallel path -------------------------------------------------------------------------

_known: dict[str, str] = {}  # in a worker: article id → content hash in the database, written by this extraction
_sources: dict[Path, dict] = {}


def _init_worker(known: dict[str, str]) -> None:
    global _known
    _known = known


def _prepare(path: Path) -> tuple:
    """In a worker: one file read, extracted and tokenised, or why it could not be."""
    try:
        art = read_article(path, _sources)
    except ArticleError as e:
        return ("failed", path, str(e))
    if _known.get(art.id) == art.content_hash:
        return ("unchanged", path, art)
    try:
        ex = extract(art.paragraphs)
        return ("ready", path, art, ex, article_columns(art, ex))
    except Exception as e:
        return ("failed", path, f"{type(e).__name__}: {e}")


AHEAD = 32  # articles the workers may have prepared and the writer not yet taken


def _ahead(pool, fn: Callable, items: Iterable, window: int = AHEAD) -> Iterator:
    """fn of each item, in order, as pool.imap gives them, but with at most `window` handed
    out and not yet taken: imap hands out every item at once, and a writer slower than its
    workers (reading a store's articles again, where it also deletes) held every result
    waiting in memory (600 MB at 10,000 articles)."""
    todo = iter(items)
    pending = deque(pool.apply_async(fn, (item,)) for item in itertools.islice(todo, window))
    while pending:
        result = pending.popleft().get()
        pending.extend(pool.apply_async(fn, (item,)) for item in itertools.islice(todo, 1))
        yield result


def _index_parallel(db: sqlite_utils.Database, files: list[Path], progress: Progress | None, workers: int,
                    report: IndexReport, commits: Commits) -> None:
    known = {r["id"]: r["content_hash"] for r in db.query("select id, content_hash from articles where extracted_by = ?",
                                                          [EXTRACTION_VERSION])}
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(known,)) as pool:
        for i, res in enumerate(_ahead(pool, _prepare, files), 1):
            status, path = res[0], res[1]
            if progress:
                progress(path.name, i - 1, len(files))
            if status == "failed":
                report.failed.append((str(path), res[2]))
                continue
            art = res[2]
            row = _existing(db, art.id)  # checked again: an earlier file of this batch may share the id
            if _current(row, art):
                report.unchanged.append(art.id)
                continue
            try:
                if status == "unchanged":  # known when the batch began, gone or changed since
                    ex, columns = extract(art.paragraphs), None
                else:
                    ex, columns = res[3], res[4]
                _write(db, commits, art, ex, row, columns)
            except Exception as e:
                report.failed.append((str(path), f"{type(e).__name__}: {e}"))
                continue
            report.written(art, row)
    if progress:
        progress("", len(files), len(files))


@dataclass
class Columns:
    """What an article's rows need besides the extraction, worked out in a worker so the
    writing process only writes: full-text tokens of each paragraph, quote and figure (in
    the extraction's order), each speaker's folded name and each person's name forms."""

    paragraphs: list[str]
    quotes: list[str]
    figures: list[tuple[str, str]]  # (sentence, subject)
    speakers: list[str]
    forms: list[list[tuple[str, str]]]  # alias_forms of each person
    quotes_folded: list[str]
    figures_folded: list[str]  # each figure's sentence


def article_columns(art: Article, ex: Extraction) -> Columns:
    """The Columns of one article, each distinct text tokenised once."""
    memo: dict[str, str] = {}

    def tokens(text: str) -> str:
        if text not in memo:
            memo[text] = index_text(text)
        return memo[text]

    quotes = [fold(q.text) for q in ex.quotes]
    sentences = [fold(f.context) for f in ex.figures]
    return Columns(
        [tokens(p.folded) for p in art.paragraphs],
        [tokens(q) for q in quotes],
        [(tokens(s), tokens(fold(f.subject or ""))) for s, f in zip(sentences, ex.figures, strict=True)],
        [fold(q.speaker) for q in ex.quotes],
        [alias_forms(p) for p in ex.people],
        quotes,
        sentences,
    )


def _existing(db: sqlite_utils.Database, article_id: str) -> dict | None:
    rows = list(db.query("select id, content_hash, extracted_by from articles where id = ?", [article_id]))
    return rows[0] if rows else None


def _current(row: dict | None, art: Article) -> bool:
    """Whether the stored article is this file, as this version's extraction reads it."""
    return row is not None and row["content_hash"] == art.content_hash and row["extracted_by"] == EXTRACTION_VERSION


def stale_articles(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(id, path) of the articles an older extraction wrote (store.extract.VERSION): they keep
    what it found until their files are indexed again."""
    return db.execute("select id, path from articles where extracted_by is not ? order by id",
                      [EXTRACTION_VERSION]).fetchall()


def _fulltext_rows(db: sqlite_utils.Database, where: str = "", params: list | None = None,
                   text: bool = True) -> dict[str, list]:
    """(rowid, tokens…) of every indexed text (with text=False, only what extraction found),
    from the texts kept in the store's tables: a contentless full-text table can only delete
    a row given the tokens it was made of."""
    p = params or []
    return {
        **({"paragraphs_fts": [(-i, index_text(t)) for i, t in db.execute(f"select id, folded from paragraphs {where}",
                                                                          p)]} if text else {}),
        "quotes_fts": [(-i, index_text(t)) for i, t in db.execute(f"select id, folded from quotes {where}", p)],
        "figures_fts": [(-i, index_text(c), index_text(fold(s or ""))) for i, c, s in
                        db.execute(f"select id, folded, subject from figures {where}", p)],
    }


def fill_folded(db: sqlite_utils.Database) -> None:
    """The folded text of every quote and figure sentence, for a store made before it was kept:
    lookups rank candidates on it, and folding at query time cost more than the lookup."""
    for table, col in (("quotes", "text"), ("figures", "context")):
        rows = [(fold(t), i) for i, t in db.execute(f"select id, {col} from {table}")]
        db.conn.executemany(f"update {table} set folded = ? where id = ?", rows)


def _fulltext_insert(db: sqlite_utils.Database, fts: str, rows: list[tuple], command: str | None = None) -> None:
    cols = dbmod.FTS_TABLES[fts]
    if command:  # the 'delete' command of a contentless table: rowid and the tokens it was made of
        sql = f"insert into {fts}({fts}, rowid, {', '.join(cols)}) values ('{command}', ?, {', '.join('?' for _ in cols)})"
    else:
        sql = f"insert into {fts}(rowid, {', '.join(cols)}) values (?, {', '.join('?' for _ in cols)})"
    db.conn.executemany(sql, rows)


def rebuild_fulltext(db: sqlite_utils.Database) -> None:
    """Fill the (empty) full-text tables from the store's texts: after a change of tokens."""
    for fts, rows in _fulltext_rows(db).items():
        _fulltext_insert(db, fts, rows)


def delete_article(db: sqlite_utils.Database, article_id: str, keep_row: bool = False,
                   keep_text: bool = False) -> None:
    """Remove an article and everything extracted from it; people left with no alias go too,
    and the others' cards are written again. keep_row keeps the article's row, keep_text its
    paragraphs (and their full-text rows): for write_article(row_kept=…, text_kept=…)."""
    # everyone the article names has a mention (its aliases and quotes are theirs): write_article's rule too
    named = [r[0] for r in db.execute("select person_id from mentions where article_id = ?", [article_id])]
    for fts, rows in _fulltext_rows(db, "where article_id = ?", [article_id], text=not keep_text).items():
        _fulltext_insert(db, fts, rows, command="delete")
    db.execute("delete from quote_speakers where quote_id in (select id from quotes where article_id = ?)", [article_id])
    for table in ("quotes", "figures", "mentions", "aliases") + (() if keep_text else ("paragraphs",)):
        db.execute(f"delete from {table} where article_id = ?", [article_id])
    # only the people it named can be left with no alias (every person not in the list was
    # scanned for each article: a tenth of the writer's time when reading a store again)
    db.conn.executemany("delete from people where id = ? and not exists"
                        " (select 1 from aliases where person_id = people.id)", [(i,) for i in sorted(set(named))])
    if not keep_row:
        db.execute("delete from articles where id = ?", [article_id])
    refresh_cards(db, named)
    count_change(db)


def missing_articles(db: sqlite_utils.Database, folders: list[Path], seen: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(id, path) of the articles indexed from files in these folders (as the folders were
    named then) whose files are gone, but for the ids in `seen` (found again, perhaps moved)."""
    roots = tuple(os.path.join(os.path.normpath(str(f)), "") for f in folders)
    seen = set(seen)
    return [(aid, path) for aid, path in db.execute("select id, path from articles order by id")
            if aid not in seen and os.path.normpath(path).startswith(roots) and not os.path.exists(path)]


def remove_articles(db: sqlite_utils.Database, article_ids: list[str]) -> None:
    """Take these articles and everything extracted from them out of the store, in one transaction."""
    with transaction(db):
        for aid in article_ids:
            delete_article(db, aid)


def count_change(db: sqlite_utils.Database) -> None:
    """One more article written or removed (store.db.GENERATION): how a long-running reader
    (store.search.Store.refresh) knows, cheaply, that what it keeps in memory may be stale."""
    db.execute(f"insert into meta (key, value) values ('{dbmod.GENERATION}', 1)"
               " on conflict (key) do update set value = value + 1")


def _page_of(quotes: str) -> str:
    """The first CARD_PAGE of these quotes in QUOTE_ORDER, as a JSON array of QUOTE_PAGE_COLS rows."""
    return (f"(select json_group_array(json_array({dbmod.QUOTE_PAGE_COLS})) from (select {dbmod.QUOTE_PAGE_COLS}"
            f" from ({quotes}) order by {dbmod.QUOTE_ORDER} limit {dbmod.CARD_PAGE}))")


# What a person's card holds (store.db.CARD_COLUMNS), worked out from the rows it sums up.
_CARD_OF = {
    "card_names": "(select group_concat(alias, char(31)) from"
                  " (select alias from aliases where person_id = people.id and kind != 'pinyin' order by id))",
    "card_articles": "(select group_concat(article_id, char(31)) from"
                     " (select distinct article_id from mentions where person_id = people.id order by article_id))",
    "card_quotes": "(select count(*) from quotes where person_id = people.id)"
                   " + (select count(*) from quote_speakers where person_id = people.id)",
    # store.search._first_page's rows (QUOTE_PAGE_COLS) in QUOTE_ORDER, as quotes_by_people reads them:
    # their own quotes, and those a group they are in said (store.db.QUOTE_SPEAKERS), read as one
    # list only for someone in a group (twice the time: 21 against 11 µs a person)
    "card_page": "case when exists (select 1 from quote_speakers where person_id = people.id)"
                 f" then {_page_of(dbmod.quotes_of('people.id'))}"
                 f" else {_page_of('select * from quotes where person_id = people.id')} end",
}
_CARD_SQL = "update people set " + ", ".join(f"{col} = {expr}" for col, expr in _CARD_OF.items())


def refresh_cards(db: sqlite_utils.Database, person_ids: list[int] | None = None) -> None:
    """Write these people's cards (everyone's with None) from their aliases, mentions and quotes."""
    if person_ids is None:
        db.execute(_CARD_SQL)
    elif person_ids:
        db.conn.executemany(f"{_CARD_SQL} where id = ?", [(i,) for i in sorted(set(person_ids))])


def stale_cards(db: sqlite_utils.Database) -> list[int]:
    """People whose card differs from their rows: none, unless a writer skipped refresh_cards."""
    differs = " or ".join(f"{col} is not {expr}" for col, expr in _CARD_OF.items())
    return [r[0] for r in db.execute(f"select id from people where {differs}")]


def write_article(db: sqlite_utils.Database, art: Article, ex: Extraction, columns: Columns | None = None,
                  row_kept: bool = False, text_kept: bool = False) -> None:
    """Write one article's rows; columns (from article_columns, in a worker) saves the work.
    row_kept, text_kept: its row, its paragraphs are in the store already (delete_article).

    Row ids are given here (after the largest in use), so each table's rows go in with one
    executemany and the full-text rows can name them (rowid = -id, see store.db).
    """
    c = article_columns(art, ex) if columns is None else columns
    conn = db.conn
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    record = {
        "id": art.id, "path": art.path, "display_title": art.display_title,
        "content_hash": art.content_hash, "indexed_at": now, "paragraphs": len(art.paragraphs),
        "extracted_by": EXTRACTION_VERSION,
        **{k: art.meta.get(k) for k in ("title", "outlet", "published", "url", "copy_url", "author",
                                         "script", "translated")},
    }
    if row_kept:
        conn.execute(f"update articles set {', '.join(f'{k} = ?' for k in record)} where id = ?",
                     [*record.values(), art.id])
    else:
        _insert(db, "articles", record)
    if not text_kept:
        first = _next_id(db, "paragraphs")
        conn.executemany("insert into paragraphs (id, article_id, n, text, folded) values (?, ?, ?, ?, ?)",
                         [(first + i, art.id, p.n, p.text, p.folded) for i, p in enumerate(art.paragraphs)])
        _fulltext_insert(db, "paragraphs_fts", [(-(first + i), t) for i, t in enumerate(c.paragraphs)])

    person_ids = {}
    mentions = []
    for person, forms in zip(ex.people, c.forms, strict=True):
        pid = _merge_person(db, art.id, person, forms)
        for key in _person_keys(person):
            person_ids.setdefault(key, pid)
        mentions.append((pid, art.id, min(person.paragraphs) if person.paragraphs else None,
                         len(person.paragraphs), person.role))
    conn.executemany("insert into mentions (person_id, article_id, paragraph, count, role) values (?, ?, ?, ?, ?)",
                     mentions)

    first = first_quote = _next_id(db, "quotes")
    conn.executemany(
        "insert into quotes (id, article_id, paragraph, start, end, text, kind, speaker, speaker_type, person_id,"
        " role, score, folded) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(first + i, art.id, q.paragraph, q.start, q.end, q.text, q.kind, q.speaker, q.speaker_type,
          person_ids.get(key) if q.speaker_type == "person" else None, q.role, _quote_score(q.text, q.kind), folded)
         for i, (q, key, folded) in enumerate(zip(ex.quotes, c.speakers, c.quotes_folded, strict=True))])
    _fulltext_insert(db, "quotes_fts", [(-(first + i), t) for i, t in enumerate(c.quotes)])

    first = _next_id(db, "figures")
    conn.executemany(
        "insert into figures (id, article_id, paragraph, start, end, raw, kind, value, value_max, unit, qualifier,"
        " subject, context, core, folded) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(first + i, art.id, f.paragraph, f.start, f.end, f.raw, f.kind, f.value, f.value_max, f.unit, f.qualifier,
          f.subject, f.context, int(f.core), folded)
         for i, (f, folded) in enumerate(zip(ex.figures, c.figures_folded, strict=True))])
    _fulltext_insert(db, "figures_fts", [(-(first + i), ctx, subj) for i, (ctx, subj) in enumerate(c.figures)])
    conn.executemany("insert into quote_speakers (quote_id, person_id, key) values (?, ?, ?)",
                     [(first_quote + i, pid, key) for i, q in enumerate(ex.quotes) for pid, key in
                      _quote_speakers(q.speaker, q.speaker_type, person_ids)])
    refresh_cards(db, [m[0] for m in mentions])
    count_change(db)


def _quote_speakers(speaker: str, speaker_type: str, person_ids: dict[str, int]) -> list[tuple[int | None, str]]:
    """(person id or None, folded name) of each name that said a quote no one person said
    (store.db.QUOTE_SPEAKERS): an organisation's name; each of a group's names (汉纳斯、张惠美),
    with the person it is in the article."""
    if speaker_type == "org" and speaker:
        return [(None, fold(speaker))]
    if speaker_type == "group" and speaker:
        return [(person_ids.get(key), key) for key in dict.fromkeys(fold(n) for n in speaker.split("、") if n.strip())]
    return []


def fill_quote_speakers(db: sqlite_utils.Database) -> None:
    """quote_speakers for the quotes of a store made before it (schema 8): a group's names are
    matched to the people of the same article by their aliases."""
    db.execute("delete from quote_speakers")
    rows = []
    for qid, aid, speaker, stype in db.execute("select id, article_id, speaker, speaker_type from quotes"
                                              " where person_id is null and speaker_type in ('org', 'group')"):
        people = {}
        if stype == "group":
            people = dict(db.execute("select folded, min(person_id) from aliases where article_id = ? group by folded",
                                     [aid]).fetchall())
        rows += [(qid, pid, key) for pid, key in _quote_speakers(speaker, stype, people)]
    db.conn.executemany("insert into quote_speakers (quote_id, person_id, key) values (?, ?, ?)", rows)


def _insert(db: sqlite_utils.Database, table: str, row: dict) -> int:
    """A plain INSERT: sqlite-utils' own insert commits, which would end our transaction."""
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = db.conn.execute(f"insert into {table} ({cols}) values ({marks})", list(row.values()))
    return cur.lastrowid


def _next_id(db: sqlite_utils.Database, table: str) -> int:
    return db.conn.execute(f"select coalesce(max(id), 0) + 1 from {table}").fetchone()[0]


def _quote_score(text: str, kind: str) -> float:
    """How quotable a quote is: direct words over a paraphrase, a sentence over a phrase.

    Within a tier, order in the article decides (news puts the key quote first), so the
    score is a tier, not a length.
    """
    sentence = _EIGHT_ALNUM.match(text) is not None
    return (2.0 if kind == "direct" else 0.0) + (1.0 if sentence else 0.0)


# At least eight letters or digits (str.isalnum's, which is [^\W_]), found in C and stopping
# at the eighth: the writer scores every quote (a generator over each character was 3% of it).
_EIGHT_ALNUM = re.compile(r"(?:[\W_]*[^\W_]){8}")


def _person_keys(p: PersonFound) -> set[str]:
    return {fold(x) for x in [p.name, p.full_name, *p.aliases] if x}


def alias_forms(p: PersonFound) -> list[tuple[str, str]]:
    """(alias, kind) for every form a person may be looked up by."""
    forms: list[tuple[str, str]] = [(p.name, "name")]
    if p.full_name and p.full_name != p.name:
        forms.append((p.full_name, "full"))
    han = p.full_name or p.name
    if p.name_en:
        forms.append((p.name_en, "en"))
        last = p.name_en.replace("-", " ").split()[-1]
        if last != p.name_en and not is_pinyin_of(p.name_en, han):
            forms.append((last, "en_family" if is_family_name_of(last, han) else "en_last"))
    forms += [(a, "en_family" if is_family_name_of(a, han) else "alias") for a in p.aliases]
    for name in dict.fromkeys([p.name, p.full_name]):  # in this order: a set's order changes with each process
        if name and all(is_han(c) or c == "·" for c in name):
            forms.append(("".join(lazy_pinyin(simplified(name).replace("·", ""))), "pinyin"))
            if "·" in name:
                forms.append((name.split("·")[-1], "surname"))
    seen: set[str] = set()
    out = []
    for alias, kind in forms:
        key = fold(alias)
        if key and key not in seen:
            seen.add(key)
            out.append((alias, kind))
    return out


def is_pinyin_of(en: str, han: str) -> bool:
    """Whether an English rendering is a Chinese name in pinyin, family name first or last
    (梁文锋: Liang Wenfeng, Wenfeng Liang; any reading of a character with several).

    Then its last word may be the given name, which unrelated people share (马倩丽 and
    高倩丽 are both Qianli), not a surname to know the person by, as Nadella is for
    Satya Nadella: alias_forms gives it no en_last form, which _merge_person would join
    people on."""
    letters = "".join(c for c in en.lower() if "a" <= c <= "z")
    chars = [c for c in simplified(han) if is_han(c)]
    if not letters or not 2 <= len(chars) <= 4:
        return False
    readings = _readings(chars)
    return any(_spells(letters, readings[k:] + readings[:k]) for k in range(3))  # family name of 1 or 2 last


def is_family_name_of(word: str, han: str) -> bool:
    """Whether a word in Latin script is the family name of a Chinese name in pinyin (Ma for
    马化腾, Pony Ma; Ouyang for 欧阳娜娜). Such a word is a name the person is looked up by,
    but one that many people share (马云, Jack Ma, is Ma too): alias_forms makes it an
    en_family form, which _merge_person does not join people on, where a Western surname
    (Nadella for 纳德拉, Satya Nadella) is an en_last form that it does."""
    letters = word.lower()
    chars = [c for c in simplified(han) if is_han(c)]
    if not letters.isascii() or not letters.isalpha() or "·" in han or not 2 <= len(chars) <= 4:
        return False
    family = chars[:2] if "".join(chars[:2]) in COMPOUND_SURNAMES and len(chars) > 2 else chars[:1]
    return "".join(family) in _FAMILY_NAMES and _spells(letters, _readings(family))


_FAMILY_NAMES = frozenset(SURNAMES | COMPOUND_SURNAMES)


def _readings(chars: list[str]) -> list[list[str]]:
    """Every pinyin reading of each character, ü written u, yu or v as English renderings do."""
    return [[r2 for r in rs for r2 in {r, r.replace("v", "u"), r.replace("v", "yu")}]  # 吕: lv, lu, lyu
            for rs in pinyin("".join(chars), style=Style.NORMAL, heteronym=True)]


def _spells(letters: str, readings: list[list[str]]) -> bool:
    """Whether the letters are one reading of each character in turn."""
    ends = {0}
    for options in readings:
        ends = {e + len(r) for e in ends for r in options if letters.startswith(r, e)}
        if not ends:
            return False
    return len(letters) in ends


_NOT_JOINED_ON = ("pinyin", "en_family")  # name forms many people share


def _merge_person(db: sqlite_utils.Database, article_id: str, p: PersonFound,
                  forms: list[tuple[str, str]]) -> int:
    """The person's id: an existing person sharing a name form (not pinyin, not a Chinese
    family name in pinyin: see is_family_name_of), else a new one."""
    keys = [fold(a) for a, kind in forms if kind not in _NOT_JOINED_ON and len(fold(a)) >= 2]
    found = None
    if keys:
        rows = list(db.query(f"select person_id from aliases where folded in ({dbmod.marks(keys)})"
                             f" and kind not in ({dbmod.marks(_NOT_JOINED_ON)}) limit 1", [*keys, *_NOT_JOINED_ON]))
        found = rows[0]["person_id"] if rows else None
    if found is None:
        found = _insert(db, "people", {"name": simplified(p.name), "full_name": simplified(p.full_name or p.name),
                                       "name_en": p.name_en, "role": p.role, "minor": int(p.minor)})
    else:
        db.execute(
            "update people set role = coalesce(role, ?), name_en = coalesce(name_en, ?),"
            " minor = min(minor, ?) where id = ?", [p.role, p.name_en, int(p.minor), found])
        cur = next(db.query("select full_name from people where id = ?", [found]))
        full = simplified(p.full_name or "")
        if len(full) > len(cur["full_name"] or ""):
            db.execute("update people set full_name = ? where id = ?", [full, found])
    db.conn.executemany(
        "insert into aliases (person_id, article_id, alias, folded, kind) values (?, ?, ?, ?, ?)",
        [(found, article_id, a, fold(a), kind) for a, kind in forms],
    )
    return found
