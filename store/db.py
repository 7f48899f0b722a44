"""The SQLite file: where it lives, how it is opened, and its tables.

One file holds everything (articles, paragraphs, people and aliases, quotes, figures,
mentions and their full-text indexes), opened in WAL mode so the console, the Slack
server and a digest run can read while an index run writes.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

DEFAULT_DB = Path("data") / "citebot.db"
SCHEMA_VERSION = 1

# Full-text tables: one per searchable kind, rowid = the row id of the kind's table.
FTS_TABLES = {
    "paragraphs_fts": ("chars", "words"),
    "quotes_fts": ("chars", "words"),
    "figures_fts": ("chars", "words", "subject_chars", "subject_words"),
}


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
        return
    with db.conn:
        db["articles"].create(
            {
                "id": str, "path": str, "title": str, "display_title": str, "outlet": str,
                "published": str, "url": str, "copy_url": str, "author": str, "script": str,
                "translated": str, "content_hash": str, "indexed_at": str, "paragraphs": int,
            },
            pk="id",
        )
        db["paragraphs"].create(
            {"id": int, "article_id": str, "n": int, "text": str, "folded": str},
            pk="id", foreign_keys=[("article_id", "articles", "id")],
        )
        db["people"].create(
            {"id": int, "name": str, "full_name": str, "name_en": str, "role": str, "minor": int},
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
                "person_id": int, "role": str, "score": float,
            },
            pk="id", foreign_keys=[("article_id", "articles", "id")],
        )
        db["figures"].create(
            {
                "id": int, "article_id": str, "paragraph": int, "start": int, "end": int,
                "raw": str, "kind": str, "value": float, "value_max": float, "unit": str,
                "qualifier": str, "subject": str, "context": str, "core": int,
            },
            pk="id", foreign_keys=[("article_id", "articles", "id")],
        )
        for table, cols in FTS_TABLES.items():
            db.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(cols)}, tokenize='unicode61')"
            )
        db["paragraphs"].create_index(["article_id", "n"], unique=True)
        db["aliases"].create_index(["folded"])
        db["aliases"].create_index(["person_id"])
        db["aliases"].create_index(["article_id"])
        db["mentions"].create_index(["person_id"])
        db["mentions"].create_index(["article_id"])
        db["quotes"].create_index(["person_id"])
        db["quotes"].create_index(["article_id"])
        db["figures"].create_index(["article_id"])
        db["figures"].create_index(["value"])
        db["meta"].create({"key": str, "value": str}, pk="key")
        db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)})
