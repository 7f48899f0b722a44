"""Delivery keys already handled, so a retried or repeated event is answered once.

A platform adapter claims a key (an event id, a channel and message time) before it does
the work; the first claim wins, across threads and processes sharing the file. Keys expire
after a TTL, so the table stays small. Plain functions over a SQLite file; nothing here
knows which chat platform the keys come from.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

_SCHEMA = "create table if not exists delivered (key text primary key, at real not null)"


def _connect(path: str | os.PathLike) -> sqlite3.Connection:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(p), timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(_SCHEMA)
    return conn


def claim(path: str | os.PathLike, key: str, ttl: float = 3600.0, now: float | None = None) -> bool:
    """True the first time `key` is claimed within `ttl` seconds, False for a repeat."""
    now = time.time() if now is None else now
    conn = _connect(path)
    try:
        conn.execute("delete from delivered where at < ?", [now - ttl])
        try:
            conn.execute("insert into delivered (key, at) values (?, ?)", [key, now])
        except sqlite3.IntegrityError:
            return False
        return True
    finally:
        conn.close()


def forget(path: str | os.PathLike, key: str) -> None:
    """Release a claim (when the work could not even start, so a retry may do it)."""
    conn = _connect(path)
    try:
        conn.execute("delete from delivered where key = ?", [key])
    finally:
        conn.close()
