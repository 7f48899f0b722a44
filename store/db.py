"""The SQLite file: where it lives, how it is opened, and its tables.

One file holds everything (articles, paragraphs, people and aliases, quotes, figures,
mentions and their full-text indexes), opened in WAL mode so the console, the Slack
server and a digest run can read while an index run writes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import sqlite_utils

log = logging.getLogger(__name__)

DEFAULT_DB = Path("data") / "citebot.db"
SCHEMA_VERSION = 8  # 2: bigram full-text tables, contentless, rowid = -id; 3: folded quotes and sentences;
# 4: covering indexes for a person's card (aliases, articles); 5: the card kept in the person's row;
# 6: the first page of their quotes on the card; 7: which extraction wrote each article
# (articles.extracted_by, store.extract.VERSION: NULL in a store upgraded from before it);
# 8: quote_speakers, who said the quotes no one person said

# What /who shows of a person besides the people row, kept in that row (written by
# store.ingest.refresh_cards whenever an article naming them is written or removed), so a
# lookup reads one row rather than three indexes: the names as written (not pinyin), in the
# order they were found, and the ids of the articles naming them, in id order, each joined
# by the unit separator (no name or id holds it), how many quotes are theirs, and the first
# CARD_PAGE of those in answer order (a JSON array of quote rows: store.search._first_page).
CARD_COLUMNS = {"card_names": str, "card_articles": str, "card_quotes": int, "card_page": str}
CARD_PAGE = 5
QUOTE_PAGE_COLS = "id, article_id, paragraph, text, kind, speaker, speaker_type, person_id, role"
QUOTE_ORDER = "score desc, article_id, paragraph, start"  # a person's quotes in answer order, on the card and off it


def quotes_of(people: str) -> str:
    """A select of the quotes said by the people `people` names (an SQL expression: one id, or
    a list in parentheses for `in`), with QUOTE_PAGE_COLS and what QUOTE_ORDER sorts by: their
    own (person_id: read from idx_quotes_person_card alone), and those a group they are in said
    (QUOTE_SPEAKERS), each once."""
    op = "=" if not people.startswith("(") else "in"
    cols = f"{QUOTE_PAGE_COLS}, score, start"
    return (f"select {cols} from quotes where person_id {op} {people} union select"
            f" {', '.join('q.' + c for c in cols.split(', '))} from quote_speakers s join quotes q on q.id = s.quote_id"
            f" where s.person_id {op} {people}")

# The meta key counting articles written or removed (store.ingest.count_change), which a
# long-running reader compares to know whether its copies in memory are current.
GENERATION = "generation"


def generation(conn: sqlite3.Connection) -> int:
    """How many articles were ever written or removed (GENERATION); -1 before the first, or in
    a file that is not a store yet."""
    try:
        row = conn.execute("select value from meta where key = ?", [GENERATION]).fetchone()
    except sqlite3.OperationalError:
        return -1
    return int(row[0]) if row else -1

# Full-text tables: one per searchable kind. A row's rowid is minus the id of its row in the
# kind's table, so FTS5's fastest order, ascending rowid, is newest first. They are
# contentless (content=''): the text lives in the kind's table, the index only its tokens
# (store.text.index_text), so deleting a row gives its tokens again (store.ingest).
FTS_TABLES = {
    "paragraphs_fts": ("text",),
    "quotes_fts": ("text",),
    "figures_fts": ("text", "subject"),
}

# A quote said by an organisation (彭博社称……) or a named group (汉纳斯与张惠美……写道) has no
# person_id: one row here per name that said it, the name folded (`key`), and for a group's
# member the person that name is in the article. /quote finds an organisation's quotes by its
# name, and a person's quotes include those their group said (on their card too).
QUOTE_SPEAKERS = {"quote_id": int, "person_id": int, "key": str}

# Indexes the lookups read from alone (covering): a name to its people, a person's quotes
# in answer order, figures by value. Created with the schema, and by every connect for
# stores made before them.
QUERY_INDEXES = (
    "create index if not exists idx_aliases_folded_person on aliases(folded, person_id, kind)",
    "create index if not exists idx_aliases_person_cover on aliases(person_id, id, kind, alias)",
    "create index if not exists idx_mentions_person_article on mentions(person_id, article_id)",
    # /who by a post (微软首席执行官是谁？): every role scanned from this, not from the wide people rows
    "create index if not exists idx_people_role on people(role, minor, card_quotes)",
    "create index if not exists idx_quotes_person_score on quotes(person_id, score desc, article_id, paragraph, start)",
    # a /quote card whole, in answer order: the five quotes a name asks for are one or two pages
    "create index if not exists idx_quotes_person_card on quotes(person_id, score desc, article_id, paragraph, start,"
    " id, text, kind, speaker, speaker_type, role) where person_id is not null",
    "create index if not exists idx_quote_speakers_person on quote_speakers(person_id, quote_id)"
    " where person_id is not null",
    "create index if not exists idx_quote_speakers_key on quote_speakers(key, quote_id)",
    "create index if not exists idx_figures_unit_by_value"
    " on figures(unit, value, value_max, core desc, article_id, paragraph)",
    "create index if not exists idx_figures_by_value on figures(value, value_max, core desc, article_id, paragraph)",
    "create index if not exists idx_figures_unit_ranges on figures(unit, value_max, value, core, article_id, paragraph)"
    " where value_max is not null",
    "create index if not exists idx_figures_ranges on figures(value_max, value, core, article_id, paragraph)"
    " where value_max is not null",
)

# Version 1's indexes that version 2's lookups no longer read (QUERY_INDEXES replaces them).
OLD_INDEXES = ("idx_aliases_folded", "idx_aliases_person_id", "idx_mentions_person_id", "idx_quotes_person_id",
               "idx_figures_value", "idx_figures_unit_value", "idx_figures_unit_range", "idx_figures_value_cover")


def article_count(db: sqlite_utils.Database) -> int:
    """How many articles the store holds."""
    return db.conn.execute("select count(*) from articles").fetchone()[0]


def marks(values) -> str:
    """One `?` per value, comma-separated: the placeholders of an `in (…)` list."""
    return ",".join("?" for _ in values)


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The database path: --db, else CITEBOT_DB, else data/citebot.db."""
    return Path(path or os.environ.get("CITEBOT_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike | None = None, readonly: bool = False) -> sqlite_utils.Database:
    """Open (and create, unless readonly) the database with the schema in place."""
    p = db_path(path)
    if readonly:
        if not p.exists():
            raise FileNotFoundError(p)
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, check_same_thread=False)
        return sqlite_utils.Database(conn)
    p.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(p), check_same_thread=False, timeout=30, isolation_level=None)
    db = sqlite_utils.Database(conn)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


def memory() -> sqlite_utils.Database:
    """An in-memory database with the schema, for tests and benchmarks."""
    conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    db = sqlite_utils.Database(conn)
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    if "articles" in db.table_names():
        version = schema_version(db)
        if version < SCHEMA_VERSION:
            # here, not at the top: store.ingest needs this module (folding and tokens are store.text's)
            from store.ingest import fill_folded, rebuild_fulltext, refresh_cards

            log.warning("Upgrading the store to version %d (once%s)…", SCHEMA_VERSION,
                        "; the full-text index is rebuilt from the texts it keeps, about a second per 100 articles"
                        if version < 2 else "")

            with db.conn:
                if version < 3:
                    for table in ("quotes", "figures"):
                        if "folded" not in db[table].columns_dict:
                            db.execute(f"alter table {table} add column folded text")
                    fill_folded(db)
                for old in OLD_INDEXES:
                    db.execute(f"drop index if exists {old}")
                if version < 2:
                    create_fulltext(db, replace=True)
                    rebuild_fulltext(db)
                if version < 6:
                    for col, kind in CARD_COLUMNS.items():
                        if col not in db["people"].columns_dict:
                            db["people"].add_column(col, kind)
                    refresh_cards(db)
                if version < 7 and "extracted_by" not in db["articles"].columns_dict:
                    db["articles"].add_column("extracted_by", int)  # NULL: older than any; read again on the next index run
                if version < 8:
                    from store.ingest import fill_quote_speakers

                    create_quote_speakers(db)
                    fill_quote_speakers(db)
                    refresh_cards(db)
                db.execute("update meta set value = ? where key = 'schema_version'", [str(SCHEMA_VERSION)])
        for sql in QUERY_INDEXES:
            db.execute(sql)
        return
    with db.conn:
        db["articles"].create(
            {
                "id": str, "path": str, "title": str, "display_title": str, "outlet": str,
                "published": str, "url": str, "copy_url": str, "author": str, "script": str,
                "translated": str, "content_hash": str, "indexed_at": str, "paragraphs": int,
                "extracted_by": int,
            },
            pk="id",
        )
        db["paragraphs"].create(
            {"id": int, "article_id": str, "n": int, "text": str, "folded": str},
            pk="id", foreign_keys=[("article_id", "articles", "id")],
        )
        db["people"].create(
            {"id": int, "name": str, "full_name": str, "name_en": str, "role": str, "minor": int, **CARD_COLUMNS},
            pk="id",
        )
        db["aliases"].create(
            {"id": int, "person_id": int, "article_id": str, "alias": str, "folded": str, "kind": str},
            pk="id", foreign_keys=[("person_id", "people", "id"), ("article_id", "articles", "id")],
        )
        db["mentions"].create(
            {"id": int, "person_id": int, "article_id": str, "paragraph": int, "count": int, "role": str},
            pk="id", foreign_keys=[("person_id", "people", "id"), ("article_id", "articles", "id")],
        )
        db["quotes"].create(
            {
                "id": int, "article_id": str, "paragraph": int, "start": int, "end": int,
                "text": str, "kind": str, "speaker": str, "speaker_type": str,
                "person_id": int, "role": str, "score": float, "folded": str,
            },
            pk="id", foreign_keys=[("article_id", "articles", "id")],
        )
        db["figures"].create(
            {
                "id": int, "article_id": str, "paragraph": int, "start": int, "end": int,
                "raw": str, "kind": str, "value": float, "value_max": float, "unit": str,
                "qualifier": str, "subject": str, "context": str, "core": int, "folded": str,
            },
            pk="id", foreign_keys=[("article_id", "articles", "id")],
        )
        create_fulltext(db)
        create_quote_speakers(db)
        db["paragraphs"].create_index(["article_id", "n"], unique=True)
        db["aliases"].create_index(["article_id"])
        db["mentions"].create_index(["article_id"])
        db["quotes"].create_index(["article_id"])
        db["figures"].create_index(["article_id"])
        for sql in QUERY_INDEXES:
            db.execute(sql)
        db["meta"].create({"key": str, "value": str}, pk="key")
        db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)})


def schema_version(db: sqlite_utils.Database) -> int:
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def create_quote_speakers(db: sqlite_utils.Database) -> None:
    if "quote_speakers" not in db.table_names():
        db["quote_speakers"].create(QUOTE_SPEAKERS, foreign_keys=[("quote_id", "quotes", "id")])


def create_fulltext(db: sqlite_utils.Database, replace: bool = False) -> None:
    for table, cols in FTS_TABLES.items():
        if replace:
            db.execute(f"drop table if exists {table}")
        db.execute(f"create virtual table {table} using fts5({', '.join(cols)}, content='', tokenize='unicode61')")
