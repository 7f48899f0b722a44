"""Socket Mode, many workspaces through OAuth, the manifest, settings and the serve command."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from pathlib import Path

import pytest
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.slack.app import create_app
from bot.slack.listeners import registered
from bot.slack.settings import BOT_SCOPES, Settings, SettingsError
from store import delivered
from tests.slack.blocks import results
from tests.slack.conftest import SECRET, make_settings
from tests.slack.harness import AppServer, SlackSide, http

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "manifest.json").read_text("utf-8"))


# -- Socket Mode ------------------------------------------------------------------------------
def test_socket_mode_builds_the_same_app_and_answers_without_a_network(seeded_db, recorder, tmp_path, served):
    from bot.slack.serve import socket_mode_handler
    from store.search import Store

    settings = make_settings(recorder, tmp_path, app_token="xapp-1-A0APP001-test", signing_secret=None)
    assert settings.socket_mode
    settings.check()
    app = create_app(settings, Store.open(seeded_db))
    handler = socket_mode_handler(app, settings)  # built, never connected
    try:
        assert handler.app is app and handler.client.app_token == settings.app_token
        assert handler.client.web_client.base_url == recorder.api_url
        assert sorted(registered(app)) == sorted(registered(served.app))
        # An envelope as Socket Mode delivers it, through the handler, acked on the socket.
        acks = []
        handler.client.send_socket_mode_response = acks.append
        url = recorder.response_url("socket-mode")
        payload = {"command": "/source", "text": "小院高墙", "team_id": "T0TEAM01", "channel_id": "C0CHAN01",
                   "user_id": "U0ASKER1", "response_url": url, "trigger_id": "1.2.3", "api_app_id": "A0APP001"}
        req = SocketModeRequest(type="slash_commands", envelope_id="env-1", payload=payload)
        start = time.monotonic()
        handler.handle(handler.client, req)
        assert time.monotonic() - start < 3
        assert [a.envelope_id for a in acks] == ["env-1"]
        message = recorder.wait_for("/response/socket-mode")[0].data
        assert results(message["blocks"])
    finally:
        handler.close()


# -- OAuth, many workspaces -------------------------------------------------------------------
def test_oauth_install_then_answers_with_the_installed_token(seeded_db, recorder, tmp_path):
    from store.search import Store

    settings = make_settings(recorder, tmp_path, bot_token=None, client_id="111.222", client_secret="shh-secret")
    assert settings.oauth
    settings.check()
    app = create_app(settings, Store.open(seeded_db))
    server = AppServer(app, settings)
    try:
        page = http("GET", server.base + "/slack/install")
        assert page.status in (200, 302)
        text = page.body.decode() + page.headers.get("location", "")
        state = re.search(r"state=([\w-]+)", text).group(1)
        scopes = urllib.parse.unquote(re.search(r"scope=([^&\"']+)", text).group(1)).split(",")
        assert sorted(scopes) == sorted(BOT_SCOPES)
        cookie = page.headers["set-cookie"].split(";")[0]
        done = http("GET", f"{server.base}/slack/oauth_redirect?code=c0de&state={state}", headers={"Cookie": cookie})
        assert done.status == 200, done.body
        exchange = recorder.wait_for("/api/oauth.v2.access")[-1]
        assert "code=c0de" in exchange.body.decode()
        assert Path(settings.state_db).exists()

        recorder.oauth_installs["xoxb-installed-token"] = "T0OAUTH1"
        other = SlackSide(server.base, SECRET, recorder)
        other.mention("/source 小院高墙", channel="COAUTH01", team="T0OAUTH1")
        posted = recorder.wait_for_post("COAUTH01")[0]
        assert posted.headers["authorization"] == "Bearer xoxb-installed-token"
        assert results(posted.data["blocks"])
        # a team that never installed the app gets no answer, only Bolt's word to install it
        other.command("/source 小院高墙", name="oauth-stranger", team="T0NOTINS")
        told = recorder.wait_for("/response/oauth-stranger")[0].data
        assert "blocks" not in told and "install" in told["text"]
    finally:
        server.close()


# -- the manifest matches the code ----------------------------------------------------------
def test_manifest_declares_exactly_what_the_listeners_handle(served):
    mine = registered(served.app)
    commands = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert commands == {name for kind, name in mine if kind == "command"}
    assert events == {name for kind, name in mine if kind == "event"}
    assert len(mine) == len(set(mine)), "each listener registered once"
    if any(kind == "action" for kind, _ in mine):
        assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True


def test_manifest_scopes_and_settings():
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert "user" not in MANIFEST["oauth_config"]["scopes"]
    assert MANIFEST["settings"]["socket_mode_enabled"] is True
    assert MANIFEST["features"]["app_home"]["messages_tab_enabled"] is True  # people can DM the bot
    for c in MANIFEST["features"]["slash_commands"]:
        assert c["description"] and c["usage_hint"]
        assert len(c["description"]) <= 100 and len(c["usage_hint"]) <= 100
        assert c.get("should_escape") is False


# -- settings ------------------------------------------------------------------------------
def test_settings_from_env_and_secrets_never_in_repr():
    s = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "sec", "PORT": "8123",
                           "SLACK_API_URL": "http://127.0.0.1:9/api"})
    assert (s.port, s.api_url, s.socket_mode, s.oauth) == (8123, "http://127.0.0.1:9/api/", False, False)
    assert "xoxb-1" not in repr(s) and "sec" not in repr(s)
    assert Settings.from_env({}).api_url == "https://slack.com/api/"
    assert Settings.from_env({}).port == 3000
    assert Settings.from_env({"PORT": "8123"}, port=9000).port == 9000
    assert Settings.from_env({"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2"}).oauth


@pytest.mark.parametrize("env,problem", [
    ({}, "No Slack settings: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "HTTP mode needs SLACK_SIGNING_SECRET"),
    ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_WORKERS": "0", "SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_WORKERS must be at least 1"),
    ({"PORT": "abc"}, r"PORT must be a whole number, not 'abc'\."),
    ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_APP_TOKEN": "xoxb-wrong", "SLACK_BOT_TOKEN": "xoxb-1"}, "xapp-"),
    ({"SLACK_CLIENT_ID": "111.222"}, "SLACK_CLIENT_ID is set without SLACK_CLIENT_SECRET"),
    ({"SLACK_CLIENT_SECRET": "shh", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET is set without SLACK_CLIENT_ID"),
])
def test_settings_say_what_is_missing(env, problem):
    with pytest.raises(SettingsError, match=problem):
        Settings.from_env(env).check()  # from_env itself raises for a bad number


def test_serve_without_settings_exits_with_a_message(monkeypatch, capsys, seeded_db):
    import argparse

    from bot.slack.serve import serve

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert serve(argparse.Namespace(db=str(seeded_db), port=None, host=None)) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err


# -- the delivery store --------------------------------------------------------------------
def test_claims_are_first_come_and_expire(tmp_path):
    db = tmp_path / "events.db"
    assert delivered.claim(db, "event:Ev1", ttl=60, now=1000)
    assert not delivered.claim(db, "event:Ev1", ttl=60, now=1030)
    assert delivered.claim(db, "event:Ev2", ttl=60, now=1030)
    assert delivered.claim(db, "event:Ev1", ttl=60, now=1061)  # expired, so new again
    delivered.forget(db, "event:Ev2")
    assert delivered.claim(db, "event:Ev2", ttl=60, now=1062)


@pytest.mark.parametrize("stale", [False, True])
def test_citebot_serve_runs_http_mode_from_the_environment(seeded_db, recorder, tmp_path, stale):
    """The real command in its own process: settings from the environment, waitress on --port.
    A store with articles an older extraction wrote is served, and the log says what to index."""
    import os
    import shutil
    import sqlite3
    import subprocess
    import sys
    import threading

    if stale:
        seeded_db = Path(shutil.copy(seeded_db, tmp_path / "older.db"))
        with sqlite3.connect(seeded_db) as conn:
            conn.execute("update articles set extracted_by = 1")

    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k not in ("PORT", "HOST")}
    env.update(SLACK_BOT_TOKEN="xoxb-serve-test", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=recorder.api_url,
               SLACK_STATE_DB=str(tmp_path / "slack.db"))
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "--db", str(seeded_db), "serve", "--port", "0",
                             "--host", "127.0.0.1"], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
                            stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    found = threading.Event()

    def read():
        for line in proc.stderr:
            lines.append(line)
            if "listening on" in line:
                found.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert found.wait(20), "".join(lines)
        base = re.search(r"listening on (http://127\.0\.0\.1:\d+)", "".join(lines)).group(1)
        assert json.loads(http("GET", base + "/healthz").body)["ok"] is True
        SlackSide(base, SECRET, recorder).command("/source 小院高墙", name="serve-cli")
        assert results(recorder.wait_for("/response/serve-cli")[0].data["blocks"])
        assert not any("xoxb-serve-test" in line for line in lines)
        assert any("read by an older version of Citebot" in line for line in lines) is stale
    finally:
        proc.terminate()
        proc.wait(10)


def test_log_lines_never_show_a_token():
    import logging

    from bot.slack.serve import RedactTokens

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token %s and %s", ("xoxb-123-456-abc", "xapp-1-A-2"),
                               None)
    RedactTokens().filter(record)
    assert "123" not in record.getMessage() and "A-2" not in record.getMessage()
    assert record.getMessage() == "token xoxb-… and xapp-…"


def test_rotated_tokens_and_tracebacks_are_redacted_too():
    """An OAuth install with token rotation logs xoxe.xoxb-… access and xoxe-… refresh tokens
    (at DEBUG); an exception's text may hold a token too."""
    import logging

    from bot.slack.serve import RedactTokens

    record = logging.LogRecord("x", logging.DEBUG, __file__, 1, "%s", ('{"access_token": "xoxe.xoxb-1-SECRETA",'
                                                                      ' "refresh_token": "xoxe-1-SECRETB"}',), None)
    RedactTokens().filter(record)
    assert "SECRET" not in record.getMessage() and "xoxe.xoxb-…" in record.getMessage()
    try:
        raise RuntimeError("refused xoxb-9-SECRETC")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RedactTokens().filter(record)
    line = logging.Formatter().format(record)
    assert "RuntimeError" in line and "SECRETC" not in line


def test_socket_mode_with_a_refused_app_token_says_so_and_exits_2(seeded_db, recorder, tmp_path):
    """apps.connections.open answering invalid_auth (a revoked xapp- token, or one without
    connections:write): a sentence naming the setting, no traceback, and the token not shown."""
    import os
    import subprocess
    import sys

    recorder.fail("/api/apps.connections.open", status=200, body={"ok": False, "error": "invalid_auth"}, times=5)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN="xoxb-serve-test", SLACK_APP_TOKEN="xapp-1-A0REVOKED-secret",
               SLACK_API_URL=recorder.api_url, SLACK_STATE_DB=str(tmp_path / "slack.db"), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "bot.cli", "--db", str(seeded_db), "serve"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert "Slack did not accept SLACK_APP_TOKEN (invalid_auth)" in out.stderr
    assert "Traceback" not in out.stderr and "A0REVOKED-secret" not in out.stderr
