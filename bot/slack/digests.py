"""Digests in Slack: the poster the runner posts through, `/cite digest`, and the scheduler.

The runner (commands/digest.py) decides what is due and claims each slot in SQLite;
this module only talks to Slack. Every digest carries message metadata naming its
subscription and slot, so after a crash between post and confirm the channel's history
says whether it went out. The scheduler is a loop over the persisted schedule, not a
scheduling library: the schedule and the claims already live in SQLite, and a second copy
of the schedule in a library's job store would be one more thing to keep in step. One
scheduler runs per deployment: each process tries to hold a lease row and only the holder
runs digests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import uuid

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.slack.render import DIGEST_RESULTS, render, slack_text
from bot.slack.service import HTTP_TIMEOUT, retry_handlers
from bot.slack.settings import Settings
from commands import digest as dg
from commands.results import Answer
from store import digests as subs
from store.search import Store

log = logging.getLogger("citebot.slack.digest")

EVENT_TYPE = "citebot_digest"
GONE = {"channel_not_found", "not_in_channel", "is_archived", "channel_is_archived", "account_inactive"}
LEASE_NAME = "digest-scheduler"
HISTORY_PAGES = 5  # 5 × 200 messages after the slot: where a digest posted then would be


def owner_id() -> str:
    """Who holds a claim or the scheduler lease: host, process and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class SlackPoster:
    """Posts digests with Slack's Web API, one client per workspace."""

    max_results = DIGEST_RESULTS  # a digest is made to fit one message (commands.digest.build)

    def __init__(self, settings: Settings, installation_store: InstallationStore | None = None):
        self.settings = settings
        self.installations = installation_store

    def client(self, team_id: str) -> WebClient:
        """A client with the workspace's bot token, rotated first where the install uses rotation."""
        token = self.settings.bot_token
        if not token and self.installations is not None:
            inst = self.installations.find_installation(enterprise_id=None, team_id=team_id)
            if inst is None:
                raise dg.ChannelGone("Citebot is no longer installed in this workspace")
            if inst.bot_refresh_token:
                rotator = TokenRotator(client_id=self.settings.client_id, client_secret=self.settings.client_secret,
                                       client=WebClient(base_url=self.settings.api_url, timeout=HTTP_TIMEOUT,
                                                        retry_handlers=retry_handlers()))
                fresh = rotator.perform_token_rotation(installation=inst, minutes_before_expiration=10)
                if fresh is not None:
                    self.installations.save(fresh)
                    inst = fresh
            token = inst.bot_token
        return WebClient(token=token, base_url=self.settings.api_url, timeout=HTTP_TIMEOUT,
                         retry_handlers=retry_handlers())

    def post(self, sub: subs.Subscription, slot: str, digest: Answer) -> str:
        msg = render(digest, question=digest.ask, ephemeral=False).to_dict()
        try:
            resp = self.client(sub.team_id).chat_postMessage(
                channel=sub.channel_id, text=msg["text"], blocks=msg["blocks"], unfurl_links=False,
                metadata={"event_type": EVENT_TYPE, "event_payload": {"subscription": sub.id, "slot": slot}})
        except SlackApiError as e:
            err = e.response.get("error") if e.response is not None else None
            if err in GONE:
                raise dg.ChannelGone(err) from e
            raise
        log.info("digest posted team=%s channel=%s subscription=%s slot=%s", sub.team_id, sub.channel_id,
                 sub.id, slot)
        return resp["ts"]

    def find_posted(self, sub: subs.Subscription, slot: str) -> str | None:
        """Look through the channel's history since the slot for our metadata."""
        oldest = str(dt.datetime.fromisoformat(slot).timestamp() - 60)
        cursor = None
        client = self.client(sub.team_id)
        for _ in range(HISTORY_PAGES):
            try:
                resp = client.conversations_history(channel=sub.channel_id, oldest=oldest, limit=200,
                                                    include_all_metadata=True, cursor=cursor)
            except SlackApiError as e:
                err = e.response.get("error") if e.response is not None else None
                if err in GONE:
                    raise dg.ChannelGone(err) from e
                raise
            for m in resp.get("messages") or []:
                meta = m.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if (meta.get("event_type") == EVENT_TYPE and payload.get("slot") == slot
                        and str(payload.get("subscription")) == str(sub.id)):
                    return m.get("ts")
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def notify(self, sub: subs.Subscription, text: str) -> None:
        """A direct message to the subscriber (chat.postMessage to a user id opens the DM)."""
        self.client(sub.team_id).chat_postMessage(channel=sub.user_id, text=slack_text(text))


NOT_A_MEMBER = ("I'm not in this conversation, so a digest could not be posted here. Invite me first "
                "(/invite @Citebot), then subscribe again.")


def can_read(client: WebClient, channel_id: str) -> bool:
    """Whether the bot is in the conversation (it reads its history: the scope digests already
    need), so that a subscription is not taken where no digest could be posted. Slack's other
    refusals (a rate limit, an outage) do not stop a subscription."""
    try:
        client.conversations_history(channel=channel_id, limit=1)
    except SlackApiError as e:
        err = e.response.get("error") if e.response is not None else None
        return err not in GONE
    except Exception as e:  # Slack unreachable: the first post will tell
        log.info("could not look at channel=%s before subscribing: %s", channel_id, type(e).__name__)
    return True


def user_tz(client: WebClient, user_id: str) -> str | None:
    """The user's Slack time zone (users.info), or None when Slack will not say."""
    try:
        return (client.users_info(user=user_id).get("user") or {}).get("tz")
    except SlackApiError as e:
        log.info("users.info refused user=%s: %s", user_id, e.response.get("error") if e.response else e)
        return None


def handle_command(store: Store, client: WebClient, text: str, team_id: str, channel_id: str, user_id: str,
                   now: dt.datetime | None = None, lock: threading.Lock | None = None) -> Answer:
    """`/cite digest …` from Slack: the subscriber's zone is asked of Slack only when needed,
    before taking `lock` (the store's, which answers wait for): never across a network call."""
    req = dg.parse_request(text)
    if req.action == "subscribe" and not can_read(client, channel_id):
        ans = Answer(f"/cite digest {text}".strip(), "digest", text, message=NOT_A_MEMBER)
        ans.error = True
        return ans
    tz = user_tz(client, user_id) if req.action == "subscribe" and not req.tz else None
    with lock or contextlib.nullcontext():
        subs.ensure_tables(store.db)
        return dg.handle(store.db, store, text, team_id, channel_id, user_id, tz, now or dt.datetime.now(dt.UTC),
                         max_results=DIGEST_RESULTS)


def run_once(store: Store, poster: SlackPoster, now: dt.datetime | None = None,
             owner: str | None = None) -> dg.RunReport:
    """Post whatever is due at `now`: what `citebot digest run` and the scheduler call."""
    subs.ensure_tables(store.db)
    report = dg.run_due(store.db, store, poster, now or dt.datetime.now(dt.UTC), owner or owner_id())
    for sub_id, slot, why in report.failed:
        log.warning("digest failed subscription=%s slot=%s: %s (retried on the next run)", sub_id, slot, why)
    return report


class Scheduler(threading.Thread):
    """Runs due digests every `interval` seconds while this process holds the lease.

    A serving process gives it a store of its own (its own connection: start_digests), so the
    posts, and their retries that may wait out a rate limit, hold up no answer."""

    def __init__(self, store: Store, poster: SlackPoster, interval: float = 30.0, lock: threading.Lock | None = None):
        super().__init__(name="citebot-digests", daemon=True)
        self.store, self.poster, self.interval = store, poster, interval
        self.owner = owner_id()
        self.lock = lock or threading.Lock()
        self.stopped = threading.Event()

    def tick(self, now: dt.datetime | None = None) -> dg.RunReport | None:
        now = now or dt.datetime.now(dt.UTC)
        with self.lock:
            held = subs.take_lease(self.store.db, LEASE_NAME, self.owner, now, dt.timedelta(seconds=self.interval * 4))
            if not held:
                return None
            return run_once(self.store, self.poster, now, self.owner)

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.tick()
            except Exception:  # keep the scheduler alive; the claim makes the retry safe
                log.exception("digest scheduler tick failed")

    def stop(self) -> None:
        self.stopped.set()
