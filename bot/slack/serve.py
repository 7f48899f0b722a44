"""`citebot serve`: Socket Mode when SLACK_APP_TOKEN is set, else HTTP behind waitress.

HTTP paths: POST /slack/events (commands, events and buttons), GET /slack/install and
/slack/oauth_redirect (many workspaces), GET /healthz. waitress is a production WSGI
server in pure Python: it runs in-process, so tests start the real thing on a loopback port.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.slack.app import create_app
from bot.slack.settings import Settings, SettingsError

log = logging.getLogger("citebot.slack")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Slack's payloads are a few kilobytes
OAUTH_PATHS = ("/slack/install", "/slack/oauth_redirect")
ONE_WORKSPACE = ("This Citebot serves one workspace (SLACK_BOT_TOKEN). To install it into others, set "
                 "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead (docs/slack.md).\n")


def wsgi_app(app: App) -> Callable:
    """Bolt's WSGI adapter (events, install, OAuth redirect) plus a health check."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health(app, start_response)
        if path in OAUTH_PATHS and app.oauth_flow is None:
            return _text(start_response, "404 Not Found", ONE_WORKSPACE)
        return slack(environ, start_response)

    return application


def _text(start_response: Callable, status: str, text: str) -> Iterable[bytes]:
    data = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


def _health(app: App, start_response: Callable) -> Iterable[bytes]:
    bot = getattr(app, "citebot", None)
    try:
        articles = bot.article_count() if bot else None
        status, body = "200 OK", {"ok": True, "articles": articles}
    except Exception as e:  # the database is gone or locked
        status, body = "503 Service Unavailable", {"ok": False, "error": type(e).__name__}
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def http_server(app: App, settings: Settings, host: str | None = None, port: int | None = None):
    """A waitress server bound to host:port (port 0: a free one; see .effective_port).
    Call .run() to serve (blocks) and .close() to stop."""
    from waitress.server import create_server

    return create_server(
        wsgi_app(app), host=host or settings.host, port=settings.port if port is None else port,
        threads=settings.http_threads, ident="citebot", max_request_body_size=MAX_BODY,
        clear_untrusted_proxy_headers=True,
    )


def socket_mode_handler(app: App, settings: Settings):
    """Bolt's Socket Mode handler (slack_sdk's built-in client); .start() connects and blocks."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, app_token=settings.app_token, logger=logging.getLogger("citebot.slack.socket"))


class RedactTokens(logging.Filter):
    """Belt and braces: no log line ever carries a Slack token, whatever logged it: bot, user
    and app tokens, and rotated ones with their refresh tokens (xoxe.xoxb-…, xoxe-…), in the
    message or in a traceback logged with it."""

    TOKEN = re.compile(r"\b(xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+")

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if self.TOKEN.search(msg):
            record.msg, record.args = self.TOKEN.sub(r"\1-…", msg), None
        if record.exc_info and not record.exc_text:  # formatted here, redacted, and what the handler prints
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.TOKEN.sub(r"\1-…", record.exc_text)
        return True


def configure_logging(level: int | str | None = None) -> None:
    """Log lines to stderr, tokens redacted; once per process. The level: CITEBOT_LOG_LEVEL
    (DEBUG, INFO, WARNING…), else INFO."""
    root = logging.getLogger()
    if any(any(isinstance(f, RedactTokens) for f in h.filters) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root.addHandler(handler)
    wanted = level or os.environ.get("CITEBOT_LOG_LEVEL", "").strip().upper() or "INFO"
    known = isinstance(wanted, int) or wanted in logging.getLevelNamesMapping()
    root.setLevel(wanted if known else "INFO")
    if not known:
        log.warning("CITEBOT_LOG_LEVEL=%s is not a level (DEBUG, INFO, WARNING, ERROR): logging at INFO", wanted)


def start_digests(app: App, settings: Settings, store, interval: float | None = None):
    """The digest scheduler for this process; it posts only while it holds the lease. It reads
    and writes the store through a connection of its own: holding the answers' lock while it
    posted (a 429's Retry-After of 8 s) kept every answer, and so every ack, waiting."""
    from bot.slack.digests import Scheduler, SlackPoster
    from store.search import Store

    installs = app.oauth_flow.settings.installation_store if app.oauth_flow else None
    path = store.path()
    own, lock = (Store.open(path), None) if path else (store, app.citebot._lock)  # in memory: one connection
    scheduler = Scheduler(own, SlackPoster(settings, installs), interval=interval or settings.digest_interval,
                          lock=lock)
    scheduler.start()
    return scheduler


def serve(args) -> int:
    """Connect to Slack as the environment says; returns an exit code."""
    from commands import warm
    from store.search import Store

    try:
        settings = Settings.from_env(port=getattr(args, "port", None), host=getattr(args, "host", None))
        settings.check()
    except SettingsError as e:
        print(f"citebot serve: {e} See docs/slack.md.", file=sys.stderr)
        return 2
    configure_logging()
    from bot.cli import existing_store

    store = Store.open(existing_store(getattr(args, "db", None)))  # a mistyped --db makes no empty store
    warm(store)  # before the first request, not during it
    if not store.article_count():
        log.warning("the index is empty: run `citebot index` first, or `make run`")
    else:
        from bot.cli import stale_notice

        if notice := stale_notice(args, store):
            log.warning("%s", notice)
    try:
        app = create_app(settings, store)
    except BoltError as e:  # auth.test refused the token
        print(f"citebot serve: Slack did not accept SLACK_BOT_TOKEN ({e}).", file=sys.stderr)
        return 2
    except OSError as e:  # no route to Slack (or to SLACK_API_URL)
        print(f"citebot serve: cannot reach Slack at {settings.api_url} ({getattr(e, 'reason', e)}).",
              file=sys.stderr)
        return 2
    log.info("Citebot for Slack: %s", settings.describe())
    scheduler = start_digests(app, settings, store)
    if settings.socket_mode:
        try:
            socket_mode_handler(app, settings).start()
        except SlackApiError as e:  # apps.connections.open refused the app-level token
            print(f"citebot serve: Slack did not accept SLACK_APP_TOKEN ({e.response.get('error', e)}): it needs"
                  " the connections:write scope (Basic Information → App-Level Tokens). See docs/slack.md.",
                  file=sys.stderr)
            return 2
        finally:
            scheduler.stop()
        return 0
    server = http_server(app, settings)
    log.info("listening on http://%s:%s%s", settings.host, server.effective_port, EVENTS_PATH)
    try:
        server.run()
    finally:
        scheduler.stop()
        server.close()
    return 0
