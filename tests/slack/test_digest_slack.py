"""Digests through Slack: `/cite digest` over signed HTTP, and the runner posting through the
recording Web API server with a controllable clock and an index that grows between slots."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import urllib.parse

import pytest

from bot.slack.digests import EVENT_TYPE, Scheduler, SlackPoster, run_once
from store import db as dbmod
from store import digests as subs
from store.ingest import index_paths
from store.search import Store
from tests.conftest import SEEDS
from tests.slack.conftest import BOT_TOKEN, make_settings

DAY0 = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


class Crash(BaseException):
    pass


@pytest.fixture
def env(tmp_path, recorder):
    arts = tmp_path / "arts"
    arts.mkdir()
    shutil.copy(SEEDS / "sources.toml", arts / "sources.toml")
    path = tmp_path / "d.db"
    db = dbmod.connect(path)
    store = Store(db)
    settings = make_settings(recorder, tmp_path)
    return {"db": db, "path": path, "arts": arts, "store": store, "poster": SlackPoster(settings),
            "settings": settings}


def add(env, name):
    shutil.copy(SEEDS / name, env["arts"] / name)
    index_paths(env["db"], [env["arts"] / name])


def subscribe(env, channel, text="daily 09:00 UTC", team="T0TEAM01"):
    from commands import digest as dg

    subs.ensure_tables(env["db"])
    ans = dg.handle(env["db"], env["store"], text, team, channel, "U0SUB", None, DAY0)
    assert ans.message.startswith("Subscribed")
    return subs.get(env["db"], team, channel)


def answered(recorder, url) -> dict:
    """What the app sent to a command's response_url."""
    return recorder.wait_for(urllib.parse.urlsplit(url).path)[0].data


def slot_of(call):
    meta = call.data.get("metadata") or {}
    assert meta.get("event_type") == EVENT_TYPE
    return meta["event_payload"]["slot"]


def test_subscribe_over_signed_http_uses_the_subscribers_zone(slack, recorder):
    reply, url = slack.command("/cite digest daily 09:00", channel="C0DIGEST1")
    assert reply.status == 200
    body = answered(recorder, url)
    text = json.dumps(body, ensure_ascii=False)
    assert "Subscribed" in text and "Asia/Shanghai" in text
    assert recorder.calls_to("/api/users.info")
    assert "Subscribed <#C0DIGEST1>:" in text and "&lt;#" not in text  # a channel link, not its markup escaped


def test_subscribing_where_the_bot_is_not_a_member_says_to_invite_it_first(slack, recorder):
    """A digest was taken in a channel the bot is not in, and paused at its first post."""
    recorder.fail("/api/conversations.history", status=200, body={"ok": False, "error": "not_in_channel"})
    reply, url = slack.command("/cite digest daily 09:00 UTC", channel="C0NOTMEMB")
    assert reply.status == 200
    text = json.dumps(answered(recorder, url), ensure_ascii=False)
    assert "Invite me first" in text and "Subscribed" not in text
    _, listed = slack.command("/cite digest list", channel="C0NOTMEMB")
    assert "C0NOTMEMB" not in json.dumps(answered(recorder, listed), ensure_ascii=False)


def test_bad_schedule_over_http_teaches_with_an_example(slack, recorder):
    reply, url = slack.command("/cite digest daily 25:00", channel="C0DIGEST2")
    text = json.dumps(answered(recorder, url), ensure_ascii=False)
    assert "not a time of day" in text and "/cite digest daily 09:00" in text


def test_list_shows_only_this_workspace(slack, recorder):
    _, other = slack.command("/cite digest weekly mon 08:00 Europe/Paris", channel="C0OTHERWS", team="T0OTHER1")
    _, mine = slack.command("/cite digest daily 07:30 UTC", channel="C0DIGEST3")
    answered(recorder, other), answered(recorder, mine)
    _, url = slack.command("/cite digest list", channel="C0DIGEST3")
    text = json.dumps(answered(recorder, url), ensure_ascii=False)
    assert "C0DIGEST3" in text and "C0OTHERWS" not in text


def test_ten_days_over_the_web_api(env, recorder):
    channel = "C0TENDAYS"
    subscribe(env, channel)
    arrivals = {0: SEED_FILES[:1], 3: SEED_FILES[1:3], 8: SEED_FILES[3:]}
    expected = []
    for day in range(10):
        for name in arrivals.get(day, []):
            add(env, name)
        expected.append(arrivals.get(day, []))
        at = DAY0 + dt.timedelta(days=day, hours=9, minutes=2)
        run_once(env["store"], env["poster"], at, "p1")
        run_once(env["store"], env["poster"], at + dt.timedelta(minutes=30), "p1")
    posts = recorder.posts_to(channel)
    assert len(posts) == 10
    assert len({slot_of(c) for c in posts}) == 10
    for call, names in zip(posts, expected, strict=True):
        text = json.dumps(call.data["blocks"], ensure_ascii=False)
        for name in SEED_FILES:
            art = name.removesuffix(".txt")
            listed = (env["store"].article(art).title in text) if name in names else False
            assert listed == (name in names)
        if not names:
            assert "Nothing new since the last digest" in text


def test_rate_limited_post_is_retried_and_posted_once(env, recorder):
    channel = "C0RATELIM"
    subscribe(env, channel)
    recorder.fail("/api/chat.postMessage", 429, headers={"Retry-After": "1"})
    report = run_once(env["store"], env["poster"], DAY0 + dt.timedelta(hours=9, minutes=1), "p1")
    assert report.posted and not report.failed
    attempts = recorder.posts_to(channel)
    assert [c.status for c in attempts] == [429, 200]  # refused once, then accepted
    assert attempts[1].at - attempts[0].at >= 0.9  # after Retry-After
    assert len(recorder.delivered_to(channel)) == 1


def test_crash_after_post_is_found_in_the_channel_history(env, recorder, monkeypatch):
    channel = "C0CRASHED"
    sub = subscribe(env, channel)
    at = DAY0 + dt.timedelta(hours=9, minutes=1)
    real = subs.confirm

    def crash(*a, **k):
        raise Crash()

    monkeypatch.setattr(subs, "confirm", crash)
    with pytest.raises(Crash):
        run_once(env["store"], env["poster"], at, "p1")
    monkeypatch.setattr(subs, "confirm", real)
    assert len(recorder.posts_to(channel)) == 1
    report = run_once(env["store"], env["poster"], at + dt.timedelta(minutes=10), "p2")
    assert report.recovered and not report.posted
    assert len(recorder.posts_to(channel)) == 1
    assert recorder.calls_to("/api/conversations.history", lambda c: c.data.get("channel") == channel)
    assert subs.by_id(env["db"], sub.id).last_slot == slot_of(recorder.posts_to(channel)[0])


def test_archived_channel_pauses_and_the_subscriber_hears_once(env, recorder):
    channel = "C0ARCHIVD"
    sub = subscribe(env, channel)
    recorder.fail("/api/chat.postMessage", 200, body={"ok": False, "error": "is_archived"})
    for day in range(3):
        run_once(env["store"], env["poster"], DAY0 + dt.timedelta(days=day, hours=10), "p1")
    assert recorder.delivered_to(channel) == []
    assert len(recorder.posts_to(channel)) == 1  # one refused attempt, then paused: no loop
    dms = recorder.posts_to("U0SUB")
    assert len([c for c in dms if channel in c.data.get("text", "")]) == 1
    assert [c for c in dms if f"<#{channel}>" in c.data.get("text", "")]  # the channel linked in the DM
    assert subs.by_id(env["db"], sub.id).status == "paused"


def test_digest_run_cli_posts_what_is_due(env, recorder, tmp_path):
    channel = "C0CRONJOB"
    subscribe(env, channel)
    add(env, SEED_FILES[2])
    env["db"].conn.close()
    cmd = [sys.executable, "-m", "bot.cli", "digest", "run", "--db", str(env["path"]),
           "--at", "2026-03-02T09:05:00+00:00"]
    envvars = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": recorder.api_url,
               "SLACK_STATE_DB": str(tmp_path / "slack.db")}
    out = subprocess.run(cmd, env=envvars, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "1 posted" in out.stdout
    again = subprocess.run(cmd, env=envvars, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert "0 posted" in again.stdout
    assert len(recorder.posts_to(channel)) == 1
    assert BOT_TOKEN not in out.stdout + out.stderr


def test_one_scheduler_per_deployment(env, recorder):
    channel = "C0LEASED1"
    subscribe(env, channel)
    other_db = dbmod.connect(env["path"])  # a second worker process's connection
    first = Scheduler(env["store"], env["poster"], interval=30)
    second = Scheduler(Store(other_db), env["poster"], interval=30)
    at = DAY0 + dt.timedelta(hours=9, minutes=1)
    assert first.tick(at) is not None
    assert second.tick(at + dt.timedelta(seconds=5)) is None  # the lease is held
    assert second.tick(at + dt.timedelta(minutes=5)) is not None  # the holder went quiet: take over
    assert len(recorder.posts_to(channel)) == 1


def test_two_processes_racing_on_one_slot_post_once(env, recorder, tmp_path):
    channel = "C0RACING1"
    subscribe(env, channel)
    env["db"].conn.close()
    cmd = [sys.executable, "-m", "bot.cli", "digest", "run", "--db", str(env["path"]),
           "--at", "2026-03-02T09:05:00+00:00"]
    envvars = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": recorder.api_url,
               "SLACK_STATE_DB": str(tmp_path / "slack.db")}
    procs = [subprocess.Popen(cmd, env=envvars, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert sorted(o[0].split(",")[0] for o in outs) == ["digests: 0 posted", "digests: 1 posted"]
    assert len(recorder.delivered_to(channel)) == 1


def test_digest_outside_a_request_rotates_the_token(env, recorder, tmp_path):
    """An OAuth install whose bot token is about to expire is refreshed before the post."""
    import sqlite3
    import time

    from slack_sdk.oauth.installation_store import Installation
    from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

    channel = "C0ROTATE1"
    subscribe(env, channel, team="T0ROTATE")
    settings = make_settings(recorder, tmp_path, bot_token=None, client_id="111.222", client_secret="shh")
    path = tmp_path / "installs.db"
    installs = SQLite3InstallationStore(database=str(path), client_id="111.222")
    installs.save(Installation(app_id="A0APP001", team_id="T0ROTATE", user_id="U0INSTALL", bot_id="B0BOT001",
                               bot_user_id="UBOT0001", bot_token="xoxe.xoxb-old", bot_refresh_token="xoxe-1-old",
                               bot_token_expires_at=int(time.time()) + 60, bot_scopes="chat:write"))
    with sqlite3.connect(path) as conn:  # installed this morning (the store stamps rows itself)
        for table in ("slack_installations", "slack_bots"):
            conn.execute(f"update {table} set installed_at = datetime('now', '-12 hours')")
    recorder.fail("/api/oauth.v2.access", 200, body={
        "ok": True, "token_type": "bot", "access_token": "xoxe.xoxb-new", "refresh_token": "xoxe-1-new",
        "expires_in": 43200, "team": {"id": "T0ROTATE"}})
    report = run_once(env["store"], SlackPoster(settings, installs), DAY0 + dt.timedelta(hours=9, minutes=1), "p1")
    assert report.posted
    refresh = recorder.calls_to("/api/oauth.v2.access")[-1].data
    assert refresh["grant_type"] == "refresh_token" and refresh["refresh_token"] == "xoxe-1-old"
    assert recorder.delivered_to(channel)[0].headers["authorization"] == "Bearer xoxe.xoxb-new"
    saved = installs.find_installation(enterprise_id=None, team_id="T0ROTATE")
    assert (saved.bot_token, saved.bot_refresh_token) == ("xoxe.xoxb-new", "xoxe-1-new")


def test_a_digest_being_posted_holds_up_no_answer(env, recorder):
    """The scheduler posts through a connection of its own: an answer asked while a post waits
    (a 429's Retry-After, a slow Slack) comes back before the post is done."""
    import threading

    from bot.slack.app import create_app
    from bot.slack.serve import start_digests

    add(env, SEED_FILES[0])
    subscribe(env, "C0SLOWPST")
    app = create_app(env["settings"], env["store"], token_verification=False)
    scheduler = start_digests(app, env["settings"], env["store"], interval=3600)
    scheduler.stop()  # ticked by hand below
    entered, release, done = threading.Event(), threading.Event(), threading.Event()
    real_post = scheduler.poster.post

    def slow_post(*args, **kwargs):
        entered.set()
        release.wait(20)
        try:
            return real_post(*args, **kwargs)
        finally:
            done.set()

    scheduler.poster.post = slow_post
    ticking = threading.Thread(target=scheduler.tick, args=(DAY0 + dt.timedelta(hours=9, minutes=1),))
    ticking.start()
    assert entered.wait(20)
    answer = app.citebot.answer("/source DeepSeek")
    assert answer is not None and answer.results and not done.is_set()  # answered while the post waited
    release.set()
    ticking.join(20)
    assert done.is_set() and len(recorder.posts_to("C0SLOWPST")) == 1


def test_a_digest_of_many_articles_fits_one_message_and_says_what_it_shows(env):
    """Five new articles with two quotes and two figures each are more than one Slack message
    holds (50 blocks): the digest shows fewer of each an article, every article it lists whole,
    and says how many it shows; nothing is cut by the renderer."""
    from bot.slack.render import DIGEST_RESULTS, render
    from commands import digest as dg
    from commands.results import PassageResult

    for name in SEED_FILES:
        add(env, name)
    for budget in (DIGEST_RESULTS, 7):
        digest = dg.build(env["store"], 0, "Citebot digest", max_results=budget)
        titles = [r for r in digest.results if isinstance(r, PassageResult)]
        assert len(digest.results) <= budget and titles
        blocks = render(digest, ephemeral=False).to_dict()["blocks"]
        assert not [b for b in blocks if b.get("block_id") == "cut"]
        shown = f"(the first {len(titles)} shown)"
        assert (shown in digest.message) == (len(titles) < len(SEED_FILES)), digest.message
    everything = dg.build(env["store"], 0, "Citebot digest")
    assert len(everything.results) > DIGEST_RESULTS  # the seeds need the budget
