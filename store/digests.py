"""Digest subscriptions and the claims that make each slot post exactly once.

A slot is claimed by inserting (subscription, slot) under a UNIQUE constraint before
anything is posted, so two processes racing on one slot cannot both win. A claim that is
never confirmed (a crash between post and confirm) is found again after its lease runs
out, and the runner checks the channel's history before posting again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from store.ingest import transaction


@dataclass
class Subscription:
    id: int
    team_id: str
    channel_id: str
    user_id: str
    frequency: str  # daily, weekdays or weekly
    weekday: int | None  # 0 = Monday, for weekly
    time: str  # HH:MM in tz
    tz: str
    quiet: bool
    status: str  # active or paused
    paused_reason: str | None
    notified: bool
    created_at: str
    last_slot: str | None  # the last slot posted (UTC ISO)
    cutoff: str | None  # articles after this sequence number go in the next digest


@dataclass
class Claim:
    subscription_id: int
    slot: str
    state: str  # claimed, posted or skipped
    claimed_at: str
    owner: str
    ts: str | None
    attempts: int


def ensure_tables(db: sqlite_utils.Database) -> None:
    if "subscriptions" in db.table_names():
        return
    db.execute("""
        create table if not exists subscriptions (
            id integer primary key, team_id text not null, channel_id text not null, user_id text,
            frequency text not null, weekday integer, time text not null, tz text not null,
            quiet integer not null default 0, status text not null default 'active', paused_reason text,
            notified integer not null default 0, created_at text not null, last_slot text, cutoff text,
            unique (team_id, channel_id))""")
    db.execute("""
        create table if not exists digest_claims (
            subscription_id integer not null references subscriptions(id) on delete cascade,
            slot text not null, state text not null, claimed_at text not null, owner text not null,
            ts text, attempts integer not null default 0, error text,
            primary key (subscription_id, slot))""")
    db.execute("""
        create table if not exists leases (
            name text primary key, owner text not null, expires_at text not null)""")


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat(timespec="seconds")


def _sub(r: dict) -> Subscription:
    return Subscription(r["id"], r["team_id"], r["channel_id"], r["user_id"], r["frequency"], r["weekday"],
                        r["time"], r["tz"], bool(r["quiet"]), r["status"], r["paused_reason"], bool(r["notified"]),
                        r["created_at"], r["last_slot"], r["cutoff"])


def subscribe(db: sqlite_utils.Database, team_id: str, channel_id: str, user_id: str, frequency: str,
              weekday: int | None, time: str, tz: str, quiet: bool, now: dt.datetime, cutoff: int) -> Subscription:
    """Create or replace the channel's subscription; articles after sequence `cutoff` count as new."""
    ensure_tables(db)
    with transaction(db):
        db.execute(
            "insert into subscriptions (team_id, channel_id, user_id, frequency, weekday, time, tz, quiet,"
            " status, created_at, cutoff) values (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)"
            " on conflict (team_id, channel_id) do update set user_id = excluded.user_id,"
            " frequency = excluded.frequency, weekday = excluded.weekday, time = excluded.time, tz = excluded.tz,"
            " quiet = excluded.quiet, status = 'active', paused_reason = null, notified = 0",
            [team_id, channel_id, user_id, frequency, weekday, time, tz, int(quiet), _iso(now), str(cutoff)])
    return get(db, team_id, channel_id)


def get(db: sqlite_utils.Database, team_id: str, channel_id: str) -> Subscription | None:
    ensure_tables(db)
    rows = list(db.query("select * from subscriptions where team_id = ? and channel_id = ?", [team_id, channel_id]))
    return _sub(rows[0]) if rows else None


def by_id(db: sqlite_utils.Database, sub_id: int) -> Subscription | None:
    rows = list(db.query("select * from subscriptions where id = ?", [sub_id]))
    return _sub(rows[0]) if rows else None


def unsubscribe(db: sqlite_utils.Database, team_id: str, channel_id: str) -> bool:
    ensure_tables(db)
    cur = db.execute("delete from subscriptions where team_id = ? and channel_id = ?", [team_id, channel_id])
    return cur.rowcount > 0


def list_for_team(db: sqlite_utils.Database, team_id: str) -> list[Subscription]:
    ensure_tables(db)
    return [_sub(r) for r in db.query("select * from subscriptions where team_id = ? order by channel_id", [team_id])]


def active(db: sqlite_utils.Database) -> list[Subscription]:
    ensure_tables(db)
    return [_sub(r) for r in db.query("select * from subscriptions where status = 'active' order by id")]


def claim(db: sqlite_utils.Database, sub_id: int, slot: str, owner: str, now: dt.datetime,
          lease: dt.timedelta) -> Claim | None:
    """Take the slot, or a claim on it whose lease ran out; None if someone else holds it or it is done."""
    with transaction(db):
        rows = list(db.query("select * from digest_claims where subscription_id = ? and slot = ?", [sub_id, slot]))
        if not rows:
            db.execute("insert into digest_claims (subscription_id, slot, state, claimed_at, owner, attempts)"
                       " values (?, ?, 'claimed', ?, ?, 1)", [sub_id, slot, _iso(now), owner])
            return Claim(sub_id, slot, "claimed", _iso(now), owner, None, 1)
        r = rows[0]
        if r["state"] != "claimed":
            return None
        expired = dt.datetime.fromisoformat(r["claimed_at"]) + lease <= now
        if not expired and r["owner"] != owner:
            return None
        db.execute("update digest_claims set claimed_at = ?, owner = ?, attempts = attempts + 1"
                   " where subscription_id = ? and slot = ?", [_iso(now), owner, sub_id, slot])
        return Claim(sub_id, slot, "claimed", _iso(now), owner, r["ts"], r["attempts"] + 1)


def was_claimed_before(db: sqlite_utils.Database, sub_id: int, slot: str) -> bool:
    """Whether an earlier attempt at this slot may have posted (the claim was taken over)."""
    rows = list(db.query("select attempts from digest_claims where subscription_id = ? and slot = ?",
                         [sub_id, slot]))
    return bool(rows) and rows[0]["attempts"] > 1


def confirm(db: sqlite_utils.Database, sub_id: int, slot: str, state: str, ts: str | None, cutoff: str | None) -> None:
    """The slot is done (posted or skipped): record it and move the subscription on."""
    with transaction(db):
        db.execute("update digest_claims set state = ?, ts = ? where subscription_id = ? and slot = ?",
                   [state, ts, sub_id, slot])
        db.execute("update subscriptions set last_slot = ?, cutoff = coalesce(?, cutoff) where id = ?",
                   [slot, cutoff, sub_id])


def release(db: sqlite_utils.Database, sub_id: int, slot: str, error: str) -> None:
    """Give a claim back after a failed post so the next run retries it."""
    db.execute("update digest_claims set claimed_at = '1970-01-01T00:00:00+00:00', error = ?"
               " where subscription_id = ? and slot = ? and state = 'claimed'", [error, sub_id, slot])


def pause(db: sqlite_utils.Database, sub_id: int, reason: str) -> bool:
    """Pause a subscription; True the first time, so the subscriber is told once."""
    with transaction(db):
        r = list(db.query("select notified from subscriptions where id = ?", [sub_id]))
        db.execute("update subscriptions set status = 'paused', paused_reason = ?, notified = 1 where id = ?",
                   [reason, sub_id])
    return bool(r) and not r[0]["notified"]


def take_lease(db: sqlite_utils.Database, name: str, owner: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
    """Hold a named lease (the one scheduler per deployment); renewable by its owner."""
    ensure_tables(db)
    with transaction(db):
        rows = list(db.query("select owner, expires_at from leases where name = ?", [name]))
        if rows and rows[0]["owner"] != owner and dt.datetime.fromisoformat(rows[0]["expires_at"]) > now:
            return False
        db.execute("insert into leases (name, owner, expires_at) values (?, ?, ?) on conflict (name) do update"
                   " set owner = excluded.owner, expires_at = excluded.expires_at", [name, owner, _iso(now + ttl)])
    return True
