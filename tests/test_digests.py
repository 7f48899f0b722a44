"""Digest scheduling and the exactly-once runner, with a controllable clock.

The poster here records posts like a channel's history would (with the slot in each
message's metadata); tests/slack/test_digest_slack.py drives the same runner through the
Slack adapter and the recording Web API server.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import threading
import time

import pytest

from commands import digest as dg
from store import db as dbmod
from store import digests as subs
from store.ingest import index_paths
from store.search import Store
from tests.conftest import SEEDS

UTC = dt.UTC
DAY0 = dt.datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # a Monday


class Crash(BaseException):
    """A process dying: not an Exception, so nothing in the runner catches it."""


class Channel:
    """Records posts the way a Slack channel's history would."""

    def __init__(self, gone: str | None = None):
        self.posts: list[dict] = []
        self.notes: list[str] = []
        self.gone = gone
        self.crash_before_post = False
        self.lock = threading.Lock()

    def post(self, sub, slot, digest):
        if self.crash_before_post:
            self.crash_before_post = False
            raise Crash("before post")
        if self.gone:
            raise dg.ChannelGone(self.gone)
        time.sleep(0.01)  # widen the window for racing processes
        with self.lock:
            ts = f"{len(self.posts) + 1}.000"
            self.posts.append({"sub": sub.id, "slot": slot, "ts": ts, "digest": digest})
        return ts

    def find_posted(self, sub, slot):
        return next((p["ts"] for p in self.posts if p["sub"] == sub.id and p["slot"] == slot), None)

    def notify(self, sub, text):
        self.notes.append(text)


@pytest.fixture
def env(tmp_path):
    arts = tmp_path / "arts"
    arts.mkdir()
    shutil.copy(SEEDS / "sources.toml", arts / "sources.toml")
    path = tmp_path / "d.db"
    db = dbmod.connect(path)
    subs.ensure_tables(db)
    return {"db": db, "path": path, "arts": arts, "store": Store(db)}


def add_article(env, name: str) -> None:
    shutil.copy(SEEDS / name, env["arts"] / name)
    index_paths(env["db"], [env["arts"] / name])


def subscribe(env, text="daily 09:00 UTC", team="T1", channel="C1", now=DAY0):
    ans = dg.handle(env["db"], env["store"], text, team, channel, "U1", None, now)
    assert ans.message.startswith("Subscribed"), ans.message
    return subs.get(env["db"], team, channel)


SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("quiet", [False, True])
def test_ten_days_list_exactly_the_new_articles(env, quiet):
    sub = subscribe(env, "daily 09:00 UTC" + (" --quiet" if quiet else ""))
    ch = Channel()
    arrivals = {1: SEED_FILES[:2], 4: SEED_FILES[2:3], 7: SEED_FILES[3:]}
    expected = []
    for day in range(10):
        for name in arrivals.get(day, []):
            add_article(env, name)
        expected.append([n.removesuffix(".txt") for n in arrivals.get(day, [])])
        now = DAY0 + dt.timedelta(days=day, hours=9, minutes=1)
        dg.run_due(env["db"], env["store"], ch, now, owner="p1")
        dg.run_due(env["db"], env["store"], ch, now + dt.timedelta(minutes=5), owner="p1")  # same slot again
    listed = [[r.source.article for r in p["digest"].results if r.kind == "source"] for p in ch.posts]
    if quiet:
        assert listed == [e for e in expected if e]
    else:
        assert len(ch.posts) == 10
        assert listed == expected
        assert ch.posts[2]["digest"].message == "Nothing new since the last digest."
    assert len({p["slot"] for p in ch.posts}) == len(ch.posts)
    assert subs.by_id(env["db"], sub.id).status == "active"


def test_run_twice_for_one_slot_posts_once(env):
    subscribe(env)
    ch = Channel()
    at = DAY0 + dt.timedelta(hours=10)
    first = dg.run_due(env["db"], env["store"], ch, at, owner="cron-1")
    second = dg.run_due(env["db"], env["store"], ch, at, owner="cron-2")
    assert len(first.posted) == 1 and not second.posted
    assert len(ch.posts) == 1


def test_two_processes_racing_post_once(env):
    subscribe(env)
    ch = Channel()
    at = DAY0 + dt.timedelta(hours=10)
    barrier = threading.Barrier(2)
    reports = []

    def worker(owner):
        db = dbmod.connect(env["path"])  # its own connection, as another process would have
        barrier.wait()
        reports.append(dg.run_due(db, Store(db), ch, at, owner=owner))

    threads = [threading.Thread(target=worker, args=(f"proc-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ch.posts) == 1
    assert sum(len(r.posted) for r in reports) == 1


def test_crash_after_post_before_confirm_posts_nothing_more(env, monkeypatch):
    sub = subscribe(env)
    ch = Channel()
    at = DAY0 + dt.timedelta(hours=9, minutes=1)
    real_confirm = subs.confirm

    def crash(*a, **k):
        raise Crash("after post")

    monkeypatch.setattr(subs, "confirm", crash)
    with pytest.raises(Crash):
        dg.run_due(env["db"], env["store"], ch, at, owner="p1")
    assert len(ch.posts) == 1
    monkeypatch.setattr(subs, "confirm", real_confirm)
    # restart: within the lease nothing happens; after it, history shows the post
    dg.run_due(env["db"], env["store"], ch, at + dt.timedelta(minutes=1), owner="p2")
    report = dg.run_due(env["db"], env["store"], ch, at + dt.timedelta(minutes=10), owner="p2")
    assert report.recovered == [(sub.id, ch.posts[0]["slot"])]
    assert len(ch.posts) == 1
    assert subs.by_id(env["db"], sub.id).last_slot == ch.posts[0]["slot"]


def test_crash_before_post_posts_once_on_restart(env):
    subscribe(env)
    ch = Channel()
    ch.crash_before_post = True
    at = DAY0 + dt.timedelta(hours=9, minutes=1)
    with pytest.raises(Crash):
        dg.run_due(env["db"], env["store"], ch, at, owner="p1")
    assert ch.posts == []
    dg.run_due(env["db"], env["store"], ch, at + dt.timedelta(minutes=10), owner="p2")
    dg.run_due(env["db"], env["store"], ch, at + dt.timedelta(minutes=20), owner="p2")
    assert len(ch.posts) == 1


def test_three_days_of_downtime_give_one_catch_up_post(env):
    subscribe(env)
    ch = Channel()
    dg.run_due(env["db"], env["store"], ch, DAY0 + dt.timedelta(hours=9, minutes=1), owner="p")
    add_article(env, SEED_FILES[0])
    back = DAY0 + dt.timedelta(days=3, hours=15)  # slots of days 1, 2 and 3 were missed
    dg.run_due(env["db"], env["store"], ch, back, owner="p")
    dg.run_due(env["db"], env["store"], ch, back + dt.timedelta(hours=1), owner="p")
    assert len(ch.posts) == 2
    assert ch.posts[1]["slot"].startswith("2026-03-05T09:00")
    assert [r.source.article for r in ch.posts[1]["digest"].results if r.kind == "source"] == [
        SEED_FILES[0].removesuffix(".txt")]


def test_archived_channel_pauses_and_tells_the_subscriber_once(env):
    sub = subscribe(env)
    ch = Channel(gone="is_archived")
    for day in range(3):
        dg.run_due(env["db"], env["store"], ch, DAY0 + dt.timedelta(days=day, hours=10), owner="p")
    assert ch.posts == []
    assert len(ch.notes) == 1 and "paused" in ch.notes[0]
    assert subs.by_id(env["db"], sub.id).status == "paused"


def test_failed_post_is_retried_not_lost(env):
    subscribe(env)
    ch = Channel()
    calls = {"n": 0}
    real = ch.post

    def flaky(sub, slot, digest):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("ratelimited")
        return real(sub, slot, digest)

    ch.post = flaky
    at = DAY0 + dt.timedelta(hours=9, minutes=1)
    assert dg.run_due(env["db"], env["store"], ch, at, owner="p").failed
    assert dg.run_due(env["db"], env["store"], ch, at + dt.timedelta(minutes=1), owner="p").posted
    assert len(ch.posts) == 1


def test_workspaces_never_see_each_other(env):
    subscribe(env, team="T1", channel="C1")
    subscribe(env, "weekly mon 08:00 Asia/Shanghai", team="T2", channel="C9")
    listed = dg.handle(env["db"], env["store"], "list", "T1", "C1", "U1", None, DAY0).message
    assert "C1" in listed and "C9" not in listed
    off = dg.handle(env["db"], env["store"], "off", "T1", "C9", "U1", None, DAY0).message
    assert "has no digest" in off
    assert "<" not in listed + off  # the commands write no Slack markup (docs/DESIGN: commands know no Slack)
    assert subs.get(env["db"], "T2", "C9") is not None


@pytest.mark.parametrize("text,error", [
    ("daily 25:00", "not a time of day"),
    ("daily 9am", "not a time of day"),
    ("hourly 09:00", "not a frequency"),
    ("weekly 09:00", "needs a day"),
    ("daily 09:00 Mars/Olympus", "not a time zone"),
    ("daily", "At what time"),
])
def test_bad_schedules_get_a_clear_message_with_an_example(env, text, error):
    ans = dg.handle(env["db"], env["store"], text, "T1", "C1", "U1", None, DAY0)
    assert error in ans.message and "/cite digest daily 09:00" in ans.message
    assert subs.get(env["db"], "T1", "C1") is None


def test_time_zone_defaults_to_the_subscribers_then_utc(env):
    dg.handle(env["db"], env["store"], "daily 09:00", "T1", "C1", "U1", "Asia/Shanghai", DAY0)
    assert subs.get(env["db"], "T1", "C1").tz == "Asia/Shanghai"
    dg.handle(env["db"], env["store"], "daily 09:00", "T1", "C2", "U1", None, DAY0)
    assert subs.get(env["db"], "T1", "C2").tz == "UTC"


def test_slots_follow_the_schedule_in_its_zone(env):
    sub = subscribe(env, "weekdays 09:00 Asia/Shanghai")
    fri = dt.datetime(2026, 3, 6, 12, 0, tzinfo=UTC)  # Friday 20:00 in Shanghai
    assert dg.latest_slot(sub, fri) == dt.datetime(2026, 3, 6, 1, 0, tzinfo=UTC)
    sun = dt.datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    assert dg.latest_slot(sub, sun) == dt.datetime(2026, 3, 6, 1, 0, tzinfo=UTC)
    assert dg.next_slot(sub, sun) == dt.datetime(2026, 3, 9, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("text,now", [
    ("daily 02:30 America/New_York", dt.datetime(2026, 3, 7, 12, 0, tzinfo=UTC)),  # the day before clocks go forward
    ("weekly sun 02:30 America/New_York", dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
    ("daily 02:30 Europe/Paris", dt.datetime(2026, 3, 28, 12, 0, tzinfo=UTC)),
    ("daily 01:30 America/New_York", dt.datetime(2026, 10, 31, 12, 0, tzinfo=UTC)),  # a time that happens twice
])
def test_a_time_the_clocks_skip_or_repeat_still_has_a_next_slot(env, text, now):
    """02:30 on the night summer time begins does not exist: subscribing the day before hung
    the whole bot (next_slot looped, holding the answer lock). Each slot is after the last,
    once a day (or week), and the subscription is answered."""
    ans = {}
    worker = threading.Thread(target=lambda: ans.update(a=dg.handle(env["db"], env["store"], text, "T1", "C1", "U1",
                                                                     None, now)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "subscribing did not return"
    assert ans["a"].message.startswith("Subscribed")
    sub = subs.get(env["db"], "T1", "C1")
    slots, at = [], now
    for _ in range(4):
        at = dg.next_slot(sub, at)
        slots.append(at)
    gaps = {round((b - a).total_seconds() / 3600) for a, b in itertools.pairwise(slots)}
    assert slots[0] > now and gaps <= ({23, 24, 25} if "daily" in text else {167, 168, 169}), slots
    for slot in slots:
        assert dg.latest_slot(sub, slot) == slot


def test_a_subscription_whose_history_cannot_be_read_does_not_stop_the_others(env):
    """After a crash the runner reads a channel's history before posting again; when that read
    fails (a missing scope, a 5xx after the retries) only that digest waits for the next run."""
    first = subscribe(env, channel="C1")
    second = subscribe(env, channel="C2")
    ch = Channel()
    ch.crash_before_post = True
    at = DAY0 + dt.timedelta(hours=9, minutes=1)
    with pytest.raises(Crash):  # the first subscription's claim is left behind
        dg.run_due(env["db"], env["store"], ch, at, owner="p1")

    def unreadable(sub, slot):
        if sub.id == first.id:
            raise RuntimeError("missing_scope")
        return Channel.find_posted(ch, sub, slot)

    ch.find_posted = unreadable
    report = dg.run_due(env["db"], env["store"], ch, at + dt.timedelta(minutes=10), owner="p2")
    assert [p["sub"] for p in ch.posts] == [second.id]
    assert [(f[0], "missing_scope" in f[2]) for f in report.failed] == [(first.id, True)]
    ch.find_posted = lambda sub, slot: Channel.find_posted(ch, sub, slot)
    dg.run_due(env["db"], env["store"], ch, at + dt.timedelta(minutes=20), owner="p2")
    assert sorted(p["sub"] for p in ch.posts) == sorted([first.id, second.id])  # retried, once each
