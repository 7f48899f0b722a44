"""The HTTP app as Slack uses it: signed requests, acks, buttons, retries, rate limits, failures."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse

import pytest

from bot.slack.render import MORE_ACTION, SHARE_ACTION, read_button_value
from commands import run
from tests.slack.blocks import block, button, results, visible
from tests.slack.conftest import BOT_TOKEN, SECRET
from tests.slack.harness import BOT_USER, http

QUIET = 0.6  # how long to watch for a reply that must not come


def _answer(recorder, name: str) -> dict:
    return recorder.wait_for(f"/response/{name}")[0].data


# -- verification -----------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["wrong secret", "five minutes old", "unsigned", "tampered", "timestamp not a number"])
def test_a_request_not_signed_by_slack_now_gets_401_and_no_answer(how, slack, recorder):
    name = f"unsigned-{how.replace(' ', '-')}"
    body = urllib.parse.urlencode({"command": "/quote", "text": "纳德拉", "team_id": "T0TEAM01",
                                   "channel_id": "C0CHAN01", "user_id": "U0ASKER1",
                                   "response_url": recorder.response_url(name)}).encode()
    if how == "wrong secret":
        reply = slack.post(body, "application/x-www-form-urlencoded", secret="not-the-secret")
    elif how == "five minutes old":
        reply = slack.post(body, "application/x-www-form-urlencoded", ts=int(time.time()) - 5 * 60 - 5)
    elif how == "unsigned":
        reply = http("POST", slack.base + "/slack/events", body, {"Content-Type": "application/x-www-form-urlencoded"})
    elif how == "timestamp not a number":  # Bolt's check raised on it, and the error handler answered the body's URL
        reply = http("POST", slack.base + "/slack/events", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                                   "X-Slack-Request-Timestamp": "not-a-number",
                                                                   "X-Slack-Signature": "v0=00"})
    else:
        from tests.slack.harness import signed_headers

        headers = signed_headers(body, SECRET)
        reply = http("POST", slack.base + "/slack/events", body.replace(b"C0CHAN01", b"C0CHAN02"), headers)
    assert reply.status == 401
    time.sleep(QUIET)
    assert not recorder.calls_to(f"/response/{name}")


def test_url_verification_challenge_is_answered(slack):
    reply = slack.post(json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}).encode(),
                       "application/json")
    assert reply.status == 200 and b"c-123" in reply.body


# -- slash commands ---------------------------------------------------------------------------
def test_a_command_is_acked_empty_then_answered_ephemerally(slack, recorder):
    reply, _ = slack.command("/source 小院高墙", name="acked")
    assert reply.status == 200 and reply.seconds < 3 and reply.body == b""
    message = _answer(recorder, "acked")
    assert message["response_type"] == "ephemeral"
    assert block(message["blocks"], "question")["text"]["text"] == "/source 小院高墙"
    assert results(message["blocks"]) and button(message["blocks"], SHARE_ACTION)


@pytest.mark.parametrize("ask,intro", [
    ("/cite help", None),
    ("/cite", None),
    ("/cite frobnicate", "There is no /cite frobnicate command."),
    ("/cite qoute", "did you mean /cite quote?"),
])
def test_help_empty_and_unknown_subcommands_teach_the_commands(ask, intro, slack, recorder):
    name = "help-" + ask.replace("/", "").replace(" ", "-")
    slack.command(ask, name=name)
    message = _answer(recorder, name)
    text = block(message["blocks"], "message")["text"]["text"]
    for example in ("`/quote 纳德拉`", "`/figure 训练成本`", "`/who 納德拉`", "`/source 小院高墙`", "`/cite help`"):
        assert example in text
    if intro:
        assert intro in text
    assert not results(message["blocks"])


@pytest.mark.parametrize("ask", ["/quote", "/figure", "/who", "/source"])
def test_an_empty_command_says_how_to_use_it(ask, slack, recorder):
    slack.command(ask, name="empty-" + ask[1:])
    text = visible(block(_answer(recorder, "empty-" + ask[1:])["blocks"], "message")["text"]["text"])
    assert f"{ask} " in text and "Try:" in text


def test_slack_escapes_in_command_text_are_undone(slack, recorder):
    slack.command("/source 小院高墙 &amp; &lt;x&gt;", name="unescape")
    header = block(_answer(recorder, "unescape")["blocks"], "question")["text"]["text"]
    assert header == "/source 小院高墙 & <x>"


def test_share_posts_the_answer_once_in_the_channel_saying_who_shared_it(slack, recorder):
    slack.command("/source 小院高墙", name="share")
    ephemeral = _answer(recorder, "share")
    value = button(ephemeral["blocks"], SHARE_ACTION)["value"]
    reply = slack.click(SHARE_ACTION, value, recorder.response_url("share-click"), channel="CSHARE01")
    assert reply.status == 200 and reply.seconds < 3
    posted = recorder.wait_for_post("CSHARE01")[0].data
    time.sleep(QUIET)
    assert len(recorder.posts_to("CSHARE01")) == 1
    assert posted["blocks"][1]["block_id"] == "shared-by" and "<@U0ASKER1>" in json.dumps(posted["blocks"])
    assert [(u["kind"], u["text"], u["from"]) for u in results(posted["blocks"])] == \
        [(u["kind"], u["text"], u["from"]) for u in results(ephemeral["blocks"])]
    assert button(posted["blocks"], SHARE_ACTION) is None
    assert "Shared by <@U0ASKER1>" in posted["text"]
    assert posted.get("thread_ts") is None


def test_a_share_click_delivered_twice_posts_once(slack, recorder):
    """A signed click replayed within Slack's five minutes (the same trigger_id) posted again."""
    slack.command("/source 小院高墙", name="share-twice")
    value = button(_answer(recorder, "share-twice")["blocks"], SHARE_ACTION)["value"]
    payload = {"type": "block_actions", "user": {"id": "U0ASKER1"}, "trigger_id": "9.9.twice",
               "team": {"id": "T0TEAM01"}, "channel": {"id": "CSHARE02"},
               "container": {"type": "message", "message_ts": "1.1", "channel_id": "CSHARE02", "is_ephemeral": True},
               "response_url": recorder.response_url("share-twice-click"),
               "actions": [{"action_id": SHARE_ACTION, "block_id": "actions", "type": "button", "value": value,
                            "action_ts": "1.000001"}]}
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    assert [slack.post(body, "application/x-www-form-urlencoded").status for _ in range(3)] == [200] * 3
    recorder.wait_for_post("CSHARE02")
    time.sleep(QUIET)
    assert len(recorder.posts_to("CSHARE02")) == 1


def test_sharing_a_page_that_has_emptied_posts_nothing_publicly(slack, recorder):
    """A button's page past the end now (the answer changed since it was shown): the user is
    told, and nothing is posted for the channel ('No more results' for everyone, before)."""
    from bot.slack.render import button_value

    value = button_value("/quote 纳德拉", 500)
    slack.click(SHARE_ACTION, value, recorder.response_url("share-empty"), channel="CSHARE03")
    told = recorder.wait_for("/response/share-empty")[0].data
    assert "Nothing to share" in json.dumps(told, ensure_ascii=False) and told["response_type"] == "ephemeral"
    time.sleep(QUIET)
    assert recorder.posts_to("CSHARE03") == []


def test_share_where_the_bot_is_not_a_member_posts_through_the_response_url(slack, recorder):
    slack.command("/source 小院高墙", name="share2")
    value = button(_answer(recorder, "share2")["blocks"], SHARE_ACTION)["value"]
    recorder.fail("/api/chat.postMessage", status=200, body={"ok": False, "error": "not_in_channel"})
    slack.click(SHARE_ACTION, value, recorder.response_url("share2-click"), channel="CNOTMEMB")
    message = _answer(recorder, "share2-click")
    assert message["response_type"] == "in_channel" and message["replace_original"] is False
    assert results(message["blocks"]) and "<@U0ASKER1>" in json.dumps(message["blocks"])


def _ask_with_pages(store) -> str:
    for ask in ("/source DeepSeek", "/source 中国", "/source 美国", "/quote 加夫", "/source AI"):
        if run(ask, store).has_more:
            return ask
    pytest.fail("no seed query has a second page")


def test_more_replaces_the_answer_with_the_next_page(slack, recorder, store):
    ask = _ask_with_pages(store)
    slack.command(ask, name="more")
    first = _answer(recorder, "more")
    more = button(first["blocks"], MORE_ACTION)
    assert more, "a first page with more results offers More"
    _ask, offset, public = read_button_value(more["value"])
    assert (_ask, public) == (ask, False) and offset == len(results(first["blocks"]))
    reply = slack.click(MORE_ACTION, more["value"], recorder.response_url("more-click"))
    assert reply.status == 200 and reply.seconds < 3
    second = _answer(recorder, "more-click")
    assert second["replace_original"] is True
    page = results(second["blocks"])
    assert [u["n"] for u in page] == list(range(offset + 1, offset + 1 + len(page)))
    expected = run(ask, store, offset=offset)
    assert len(page) == len(expected.results) > 0
    assert [u["text"] for u in page] != [u["text"] for u in results(first["blocks"])]
    assert block(second["blocks"], "page")


def test_a_failure_is_a_short_ephemeral_message_not_silence_nor_a_trace(slack, recorder, monkeypatch):
    def broken(*args, **kw):
        raise RuntimeError("database is on fire at /secret/path.py line 3")

    monkeypatch.setattr("bot.slack.service.run", broken)
    slack.command("/quote 纳德拉", name="broken")
    message = _answer(recorder, "broken")
    assert message["response_type"] == "ephemeral"
    shown = json.dumps(message, ensure_ascii=False)
    assert "Sorry" in shown and len(message["text"]) < 200
    assert "Traceback" not in shown and "RuntimeError" not in shown and "fire" not in shown


def test_commands_are_acked_while_slow_answers_are_being_worked_out(slack, recorder, monkeypatch):
    """Slack waits 3 s for an ack. Answers ran on Bolt's listener threads (8) and take turns on
    the store: with answers of a second each, 5 of 16 commands sent at once went unacked
    (Slack's operation_timeout). Listener threads now only ack; answers run on a pool of their
    own (Citebot.later). Every command is acked and, in time, answered."""
    import threading

    from commands import run as real_run

    def slow(*args, **kw):
        time.sleep(1.0)
        return real_run(*args, **kw)

    monkeypatch.setattr("bot.slack.service.run", slow)
    replies: list = []
    senders = [threading.Thread(target=lambda i=i: replies.append(slack.command("/who 纳德拉", name=f"slow-{i}")[0]))
               for i in range(16)]
    for t in senders:
        t.start()
    for t in senders:
        t.join(30)
    assert len(replies) == 16 and [r.status for r in replies] == [200] * 16
    monkeypatch.undo()  # the rest of the queue answers at full speed
    for i in range(16):
        assert recorder.wait_for(f"/response/slow-{i}", timeout=30)


def test_a_response_url_rate_limit_is_waited_out(slack, recorder):
    recorder.fail("/response/ratelimited", status=429, headers={"Retry-After": "1"})
    slack.command("/source 小院高墙", name="ratelimited")
    calls = recorder.wait_for("/response/ratelimited", count=2, timeout=15)
    assert calls[1].at - calls[0].at >= 0.9
    assert results(calls[1].data["blocks"])


# -- mentions and direct messages ------------------------------------------------------------
def test_a_mention_is_answered_in_its_thread_with_the_mention_removed(slack, recorder):
    reply, event = slack.mention("小院高墙的出处", channel="CMENTION")
    assert reply.status == 200 and reply.seconds < 3
    posted = recorder.wait_for_post("CMENTION")[0]
    assert posted.data["thread_ts"] == event["ts"]
    assert block(posted.data["blocks"], "question")["text"]["text"] == "小院高墙的出处"
    assert posted.headers["authorization"] == f"Bearer {BOT_TOKEN}"


def test_a_mention_inside_a_thread_answers_in_that_thread(slack, recorder):
    ts = f"{time.time():.6f}"
    ev = {"type": "app_mention", "user": "U0ASKER1", "text": f"<@{BOT_USER}> 小院高墙", "ts": ts,
          "thread_ts": "1700000000.000001", "channel": "CTHREAD1", "event_ts": ts}
    slack.event(ev)
    assert recorder.wait_for_post("CTHREAD1")[0].data["thread_ts"] == "1700000000.000001"


def test_a_mention_delivered_three_times_is_answered_once(slack, recorder):
    reply, event = slack.mention("/source 小院高墙", channel="CRETRY01", event_id="EvRETRY0001")
    assert reply.status == 200
    for n in (1, 2):
        again = slack.event(event, event_id="EvRETRY0001", retry=n)
        assert again.status == 200 and again.seconds < 3
    posted = recorder.wait_for_post("CRETRY01")
    time.sleep(QUIET)
    assert len(recorder.posts_to("CRETRY01")) == 1
    assert posted[0].data["thread_ts"] == event["ts"]


def test_the_same_message_as_mention_and_dm_is_answered_once(slack, recorder):
    ts = f"{time.time():.6f}"
    text = f"<@{BOT_USER}> /source 小院高墙"
    slack.event({"type": "app_mention", "user": "U0ASKER1", "text": text, "ts": ts, "channel": "DBOTH001"})
    slack.event({"type": "message", "channel_type": "im", "user": "U0ASKER1", "text": text, "ts": ts,
                 "channel": "DBOTH001"})
    recorder.wait_for_post("DBOTH001")
    time.sleep(QUIET)
    assert len(recorder.posts_to("DBOTH001")) == 1


def test_a_direct_message_is_answered_in_the_dm_not_a_thread(slack, recorder):
    reply, _ = slack.direct_message("小院高墙", channel="DDIRECT1")
    assert reply.status == 200
    posted = recorder.wait_for_post("DDIRECT1")[0].data
    assert posted.get("thread_ts") is None
    assert results(posted["blocks"]) and button(posted["blocks"], SHARE_ACTION) is None


@pytest.mark.parametrize("extra", [{"bot_id": "B0OTHER1"}, {"subtype": "message_changed"}, {"user": BOT_USER}])
def test_bot_messages_and_edits_are_not_answered(extra, slack, recorder):
    channel = "DIGN" + "".join(extra).upper()[:4]
    ts = f"{time.time():.6f}"
    ev = {"type": "message", "channel_type": "im", "user": "U0ASKER1", "text": "小院高墙", "ts": ts,
          "channel": channel, **extra}
    assert slack.event(ev).status == 200
    time.sleep(QUIET)
    assert not recorder.posts_to(channel)


def test_a_web_api_rate_limit_is_waited_out_and_the_answer_delivered(slack, recorder):
    recorder.fail("/api/chat.postMessage", status=429, headers={"Retry-After": "1"})
    slack.mention("/source 小院高墙", channel="CRATE001")
    calls = recorder.wait_for_post("CRATE001", count=2, timeout=15)
    assert calls[1].at - calls[0].at >= 0.9
    assert results(calls[1].data["blocks"])


def test_a_web_api_server_error_is_retried(slack, recorder):
    recorder.fail("/api/chat.postMessage", status=503, body="unavailable")
    slack.mention("/source 小院高墙", channel="C5XX0001")
    calls = recorder.wait_for_post("C5XX0001", count=2, timeout=15)
    assert results(calls[1].data["blocks"])


def test_an_answer_slack_refuses_is_followed_by_a_short_ephemeral_notice(slack, recorder):
    recorder.fail("/api/chat.postMessage", status=200, body={"ok": False, "error": "invalid_blocks"})
    _, event = slack.mention("/source 小院高墙", channel="CREFUSE1")
    told = recorder.wait_for("/api/chat.postEphemeral", where=lambda c: c.data.get("channel") == "CREFUSE1")
    assert told[0].data["user"] == "U0ASKER1" and told[0].data["thread_ts"] == event["ts"]
    assert "Sorry" in told[0].data["text"] and told[0].data["blocks"][0]["block_id"] == "notice"
    assert len(recorder.posts_to("CREFUSE1")) == 1


def test_a_mention_that_cannot_be_answered_gets_an_ephemeral_notice(slack, recorder, monkeypatch):
    monkeypatch.setattr("bot.slack.service.run", lambda *a, **k: 1 / 0)
    _, event = slack.mention("小院高墙", channel="CBROKEN1")
    told = recorder.wait_for("/api/chat.postEphemeral", where=lambda c: c.data.get("channel") == "CBROKEN1")
    assert "Sorry" in told[0].data["text"] and "ZeroDivision" not in json.dumps(told[0].data)
    time.sleep(QUIET)
    assert not recorder.posts_to("CBROKEN1")


# -- the server ---------------------------------------------------------------------------
def test_healthz_and_unknown_paths(served):
    reply = http("GET", served.base + "/healthz")
    assert reply.status == 200 and json.loads(reply.body) == {"ok": True, "articles": 5}
    assert http("GET", served.base + "/nope").status == 404
    install = http("GET", served.base + "/slack/install")  # one workspace: no install page, but a pointer
    assert install.status == 404 and b"SLACK_CLIENT_ID" in install.body


def test_logs_carry_ids_and_never_a_token(slack, recorder, caplog):
    caplog.set_level(logging.DEBUG)
    slack.command("/source 小院高墙", name="logs")
    _answer(recorder, "logs")
    slack.mention("/source 小院高墙", channel="CLOGS001", event_id="EvLOGS00001")
    recorder.wait_for_post("CLOGS001")
    time.sleep(0.2)
    lines = [r.getMessage() for r in caplog.records]
    assert any("team=T0TEAM01" in line and "channel=C0CHAN01" in line for line in lines)
    assert any("event=EvLOGS00001" in line and "channel=CLOGS001" in line for line in lines)
    for line in lines:
        assert BOT_TOKEN not in line and SECRET not in line


def test_more_on_a_public_answer_keeps_it_public(slack, recorder, store):
    ask = _ask_with_pages(store)
    slack.mention(ask, channel="CMOREPUB")
    posted = recorder.wait_for_post("CMOREPUB")[0].data
    assert button(posted["blocks"], SHARE_ACTION) is None  # already public
    more = button(posted["blocks"], MORE_ACTION)
    assert read_button_value(more["value"])[2] is True
    slack.click(MORE_ACTION, more["value"], recorder.response_url("more-public"), ephemeral=False,
                channel="CMOREPUB")
    page = _answer(recorder, "more-public")
    assert page["replace_original"] is True and results(page["blocks"])
    assert button(page["blocks"], SHARE_ACTION) is None
