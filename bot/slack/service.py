"""What the listeners share: answering through the commands, responding with retries,
remembering which events were handled, and the ids that go in log lines."""

from __future__ import annotations

import difflib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.slack.render import Rendered, notice
from bot.slack.settings import Settings
from commands import run
from commands.help import help_text
from commands.parse import COMMANDS
from commands.results import Answer
from store import delivered
from store.search import Store

log = logging.getLogger("citebot.slack")

SORRY = "Sorry, something went wrong while answering that. Please try again in a minute."
HTTP_TIMEOUT = 15


def retry_handlers() -> list:
    """Fresh handlers for one client: connection errors, 429 with Retry-After, 5xx."""
    return [ConnectionErrorRetryHandler(max_retry_count=1), RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2)]


def where(body: dict | None, event: dict | None = None) -> str:
    """team=… channel=… user=… event=… for log lines: ids only, never tokens or text."""
    body = body or {}
    event = event if event is not None else (body.get("event") or {})
    team = body.get("team_id") or (body.get("team") or {}).get("id") or event.get("team")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or event.get("channel")
    user = body.get("user_id") or (body.get("user") or {}).get("id") or event.get("user")
    bits = {"team": team, "channel": channel, "user": user, "event": body.get("event_id"),
            "ts": event.get("ts")}
    return " ".join(f"{k}={v}" for k, v in bits.items() if isinstance(v, str) and v)


class Citebot:
    """What every listener shares: the store, the settings and clients with retries."""

    def __init__(self, settings: Settings, store: Store):
        self.settings = settings
        self.store = store
        # One SQLite connection serves the whole app; queries take milliseconds, so the
        # listener threads take turns rather than share a connection mid-query.
        self._lock = threading.Lock()
        # Answers are worked out and sent from a pool of their own (later): Bolt's listener
        # threads only ack, so an ack never waits behind answers (Slack allows 3 s).
        self._answers = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="citebot-answer")

    def later(self, work: Callable[[], None], ids: str = "", url: str | None = None) -> None:
        """Run a listener's answering part on the answers' pool, after its ack. A failure is
        logged and, given the response_url, told to the user as a short message."""

        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("answering failed %s", ids)
                if url:
                    self.respond(url, error_message(), ids)

        self._answers.submit(run)

    def answer(self, ask: str, offset: int = 0, ids: str = "") -> Answer | None:
        """commands.run, with an unknown /cite subcommand answered by the help; None on a failure."""
        try:
            with self._lock:
                answer = run(ask, self.store, offset=offset)
        except Exception:
            log.exception("answering failed %s", ids)
            return None
        return _teach_unknown_subcommand(ask, answer)

    def digest(self, text: str, command: dict, client, ids: str = "") -> Answer | None:
        """`/cite digest …` in a channel: subscribe, off, list or preview (bot/slack/digests.py)."""
        from bot.slack.digests import handle_command

        try:
            return handle_command(self.store, client, text, command.get("team_id") or "",
                                  command.get("channel_id") or "", command.get("user_id") or "", lock=self._lock)
        except Exception:
            log.exception("digest command failed %s", ids)
            return None

    def article_count(self) -> int:
        with self._lock:
            return self.store.article_count()

    def webhook(self, url: str) -> WebhookClient:
        return WebhookClient(url=url, timeout=HTTP_TIMEOUT, retry_handlers=retry_handlers())

    def respond(self, url: str | None, message: dict, ids: str = "") -> bool:
        """Send to a response_url; log (never raise) when Slack refuses or is unreachable."""
        if not url:
            log.warning("no response_url to answer on %s", ids)
            return False
        try:
            resp = self.webhook(url).send_dict(message)
        except Exception as e:  # a network failure after the retries
            log.warning("response_url unreachable %s: %s", ids, type(e).__name__)
            return False
        if resp.status_code != 200:
            log.warning("response_url refused the answer %s: HTTP %s %s", ids, resp.status_code, resp.body[:200])
            return False
        return True

    def first_delivery(self, key: str) -> bool:
        return delivered.claim(self.settings.state_db, key, self.settings.event_ttl)


def _teach_unknown_subcommand(ask: str, answer: Answer) -> Answer:
    """`/cite qoute 纳德拉` finds nothing as free text: teach the commands instead."""
    words = ask.split()
    if (len(words) < 2 or words[0].casefold() != "/cite" or answer.results or answer.command != "search"
            or not words[1].isascii() or not words[1].isalpha()):
        return answer
    close = difflib.get_close_matches(words[1].casefold(), COMMANDS, n=1, cutoff=0.6)
    intro = f"There is no /cite {words[1]} command" + (f" — did you mean /cite {close[0]}?" if close else ".")
    # Keep what the search said: the word may be a name the articles do not have.
    message = f"{answer.message}\n{help_text(intro)}" if answer.message else help_text(intro)
    return Answer(answer.ask, "help", answer.query, message=message)


def error_message(text: str = SORRY) -> dict:
    """A short ephemeral message for a response_url."""
    return {**notice(text).to_dict(), "response_type": "ephemeral", "replace_original": False}


def answer_message(rendered: Rendered, **extra) -> dict:
    return {**rendered.to_dict(), **extra}
