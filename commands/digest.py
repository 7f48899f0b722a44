"""Digests: `/cite digest …` parsing, schedule slots, content, and the exactly-once runner.

Platform-neutral: the runner posts through a `Poster` (Slack implements it in
bot/slack/digests.py) and keeps its state in store/digests.py. Each (subscription, slot)
is claimed before posting and confirmed after; a claim found again after a crash is
checked against the channel's history (the poster's `find_posted`) before posting.
After downtime only the latest missed slot is posted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from commands.help import DIGEST_USAGE
from commands.lookup import figure_result, quote_result, source_ref
from commands.results import Answer, PassageResult
from store import digests as subs
from store.search import Store

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
WEEKDAY_NAMES = {v: k for k, v in WEEKDAYS.items()}
FREQUENCIES = ("daily", "weekdays", "weekly")
EXAMPLE = "e.g. /cite digest daily 09:00 Asia/Shanghai, /cite digest weekly mon 09:00 --quiet"
LEASE = dt.timedelta(minutes=5)


@dataclass
class DigestRequest:
    action: str  # subscribe, off, list, preview, help
    frequency: str | None = None
    weekday: int | None = None
    time: str | None = None
    tz: str | None = None
    quiet: bool = False
    error: str | None = None


def parse_request(text: str) -> DigestRequest:
    """`daily 09:00 Asia/Shanghai --quiet`, `weekly mon 09:00`, `off`, `list`, `preview`."""
    words = text.split()
    quiet = any(w.casefold() in ("--quiet", "quiet") for w in words)
    words = [w for w in words if w.casefold() not in ("--quiet", "quiet")]
    if not words or words[0].casefold() in ("help", "?"):
        return DigestRequest("help")
    head = words[0].casefold()
    if head in ("off", "stop", "unsubscribe", "list", "preview"):
        action = {"stop": "off", "unsubscribe": "off"}.get(head, head)
        return DigestRequest(action) if len(words) == 1 else DigestRequest(
            "help", error=f"`{head}` takes nothing after it. {EXAMPLE}")
    if head not in FREQUENCIES:
        return DigestRequest("help", error=f"“{words[0]}” is not a frequency: use daily, weekdays or weekly. {EXAMPLE}")
    rest = words[1:]
    weekday = None
    if head == "weekly":
        if not rest or rest[0].casefold()[:3] not in WEEKDAYS:
            return DigestRequest("help", error=f"weekly needs a day, mon to sun. {EXAMPLE}")
        weekday = WEEKDAYS[rest[0].casefold()[:3]]
        rest = rest[1:]
    if not rest:
        return DigestRequest("help", error=f"At what time? {EXAMPLE}")
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", rest[0])
    if not m:
        return DigestRequest("help", error=f"“{rest[0]}” is not a time of day: use HH:MM, 00:00 to 23:59. {EXAMPLE}")
    time = f"{int(m.group(1)):02d}:{m.group(2)}"
    tz = None
    if len(rest) > 1:
        tz = rest[1]
        if not valid_tz(tz):
            return DigestRequest("help", error=f"“{tz}” is not a time zone: use Area/City such as Asia/Shanghai or "
                                                f"Europe/Paris, or UTC. {EXAMPLE}")
    if len(rest) > 2:
        return DigestRequest("help", error=f"Too many words after the time zone. {EXAMPLE}")
    return DigestRequest("subscribe", head, weekday, time, tz, quiet)


def valid_tz(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def describe(sub: subs.Subscription) -> str:
    when = {"daily": "every day", "weekdays": "every weekday"}.get(
        sub.frequency, f"every {WEEKDAY_NAMES.get(sub.weekday, '?')}")
    s = f"{when} at {sub.time} {sub.tz}" + (", skipping quiet days" if sub.quiet else "")
    if sub.status != "active":
        s += f" — paused ({sub.paused_reason})"
    return s


def latest_slot(sub: subs.Subscription, now: dt.datetime) -> dt.datetime | None:
    """The most recent scheduled time at or before now (UTC), not before the subscription began."""
    tz = ZoneInfo(sub.tz)
    now = now.astimezone(dt.UTC)
    local = now.astimezone(tz)
    hh, mm = map(int, sub.time.split(":"))
    created = dt.datetime.fromisoformat(sub.created_at)
    for back in range(0, 9):
        day = local.date() - dt.timedelta(days=back)
        if sub.frequency == "weekdays" and day.weekday() >= 5:
            continue
        if sub.frequency == "weekly" and day.weekday() != sub.weekday:
            continue
        # Compared in UTC: two times in one ZoneInfo compare by wall clock, and a time the clocks
        # skip (02:30 as summer time begins) is then "before" a moment it is after (PEP 495).
        slot = dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=tz).astimezone(dt.UTC)
        if slot <= now:
            return slot if slot > created else None
    return None


def next_slot(sub: subs.Subscription, now: dt.datetime) -> dt.datetime:
    """The next scheduled time after now (UTC)."""
    probe = now
    for _ in range(0, 9):
        probe += dt.timedelta(days=1)
        s = latest_slot(sub, probe)
        if s and s > now:
            # step back to the first slot after now
            while True:
                earlier = latest_slot(sub, s - dt.timedelta(seconds=1))
                if not earlier or earlier <= now or earlier >= s:  # earlier >= s: no progress, never loop
                    return s
                s = earlier
    return probe


def build(store: Store, since_seq: int, title: str, per_article: int = 2, limit: int = 10,
          max_results: int | None = None) -> Answer:
    """The digest: articles added after since_seq with their best quotes and key figures.

    max_results: what one message can show (the chat platform's limit): fewer quotes and
    figures an article first, then fewer articles, so that every article listed is shown
    whole and the count of those shown is true."""
    new = store.articles_since(since_seq)
    ans = Answer(title, "digest", "")
    if not new:
        ans.message = "Nothing new since the last digest."
        return ans
    arts = [(art, store.top_quotes(art.id, per_article), store.key_figures(art.id, per_article))
            for _seq, art in new[:limit]]

    def size(per: int) -> int:
        return sum(1 + len(quotes[:per]) + len(figures[:per]) for _art, quotes, figures in arts)

    budget = max_results if max_results is not None else size(per_article)
    per = per_article if size(per_article) <= budget else 1
    while len(arts) > 1 and size(per) > budget:
        arts.pop()
    ans.message = (f"{len(new)} new article{'s' if len(new) != 1 else ''} since the last digest"
                   + (f" (the first {len(arts)} shown)" if len(arts) < len(new) else "") + ".")
    for art, quotes, figures in arts:
        ans.results += [PassageResult(art.title, source_ref(art, None)), *map(quote_result, quotes[:per]),
                        *map(figure_result, figures[:per])]
    ans.total = len(ans.results)
    return ans


class ChannelGone(Exception):
    """The channel cannot take posts (channel_not_found, not_in_channel, is_archived)."""


class Poster(Protocol):
    def post(self, sub: subs.Subscription, slot: str, digest: Answer) -> str:
        """Post the digest with metadata naming the slot; return the message ts."""

    def find_posted(self, sub: subs.Subscription, slot: str) -> str | None:
        """The ts of a message already in the channel for this slot, if any."""

    def notify(self, sub: subs.Subscription, text: str) -> None:
        """Tell the subscriber something about their subscription."""


@dataclass
class RunReport:
    posted: list[tuple[int, str]] = field(default_factory=list)
    recovered: list[tuple[int, str]] = field(default_factory=list)  # found already posted after a crash
    skipped: list[tuple[int, str]] = field(default_factory=list)  # quiet days
    paused: list[int] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)


def run_due(db: sqlite_utils.Database, store: Store, poster: Poster, now: dt.datetime, owner: str,
            lease: dt.timedelta = LEASE) -> RunReport:
    """Post every digest due at `now`, each slot once, each as big as the poster can show
    (its max_results, if it has one)."""
    store.refresh(force=True)  # another process may have indexed articles since this one last looked
    report = RunReport()
    for sub in subs.active(db):
        slot_dt = latest_slot(sub, now)
        if slot_dt is None:
            continue
        slot = slot_dt.isoformat(timespec="seconds")
        if sub.last_slot and slot <= sub.last_slot:
            continue
        claim = subs.claim(db, sub.id, slot, owner, now, lease)
        if claim is None:
            continue
        if claim.attempts > 1:
            try:
                ts = poster.find_posted(sub, slot)
            except Exception as e:  # this one is retried on the next run; the others go on
                subs.release(db, sub.id, slot, f"{type(e).__name__}: {e}")
                report.failed.append((sub.id, slot, f"looking for an earlier post: {type(e).__name__}: {e}"))
                continue
            if ts:
                subs.confirm(db, sub.id, slot, "posted", ts, str(store.article_seq()))
                report.recovered.append((sub.id, slot))
                continue
        cutoff = store.article_seq()
        digest = build(store, int(sub.cutoff or 0), f"Citebot digest — {slot_dt.astimezone(ZoneInfo(sub.tz)):%Y-%m-%d}",
                       max_results=getattr(poster, "max_results", None))
        if not store.articles_since(int(sub.cutoff or 0)) and sub.quiet:
            subs.confirm(db, sub.id, slot, "skipped", None, None)
            report.skipped.append((sub.id, slot))
            continue
        try:
            ts = poster.post(sub, slot, digest)
        except ChannelGone as e:
            subs.confirm(db, sub.id, slot, "skipped", None, None)
            if subs.pause(db, sub.id, str(e)):
                try:
                    poster.notify(sub, f"Your Citebot digest for #{sub.channel_id} is paused: {e}. "
                                       "Invite Citebot back and run /cite digest again to resume.")
                except Exception as err:  # telling them is best effort; the pause stands
                    report.failed.append((sub.id, slot, f"notify: {err}"))
            report.paused.append(sub.id)
            continue
        except Exception as e:  # retried on the next run: the claim is given back
            subs.release(db, sub.id, slot, f"{type(e).__name__}: {e}")
            report.failed.append((sub.id, slot, f"{type(e).__name__}: {e}"))
            continue
        subs.confirm(db, sub.id, slot, "posted", ts, str(cutoff))
        report.posted.append((sub.id, slot))
    return report


def handle(db: sqlite_utils.Database, store: Store, text: str, team_id: str, channel_id: str, user_id: str,
           user_tz: str | None, now: dt.datetime, max_results: int | None = None) -> Answer:
    """`/cite digest …` in a channel: subscribe, off, list, preview (at most max_results) or help."""
    req = parse_request(text)
    ans = Answer(f"/cite digest {text}".strip(), "digest", text)
    if req.action == "help":
        usage = f"{DIGEST_USAGE.command} — {DIGEST_USAGE.summary}. Try: " + ", ".join(DIGEST_USAGE.examples)
        ans.message = f"{req.error}\n{usage}" if req.error else usage
        ans.error = bool(req.error)
        return ans
    if req.action == "subscribe":
        tz = req.tz or (user_tz if user_tz and valid_tz(user_tz) else "UTC")
        sub = subs.subscribe(db, team_id, channel_id, user_id, req.frequency, req.weekday, req.time, tz,
                             req.quiet, now, store.article_seq())
        nxt = next_slot(sub, now).astimezone(ZoneInfo(tz))
        ans.message = f"Subscribed #{channel_id}: a digest {describe(sub)}. The first one: {nxt:%a %Y-%m-%d %H:%M}."
        return ans
    if req.action == "off":
        gone = subs.unsubscribe(db, team_id, channel_id)
        ans.message = (f"Digest for #{channel_id} turned off." if gone
                       else f"#{channel_id} has no digest. {EXAMPLE}")
        return ans
    if req.action == "list":
        rows = subs.list_for_team(db, team_id)
        ans.message = ("Digests in this workspace:\n" + "\n".join(f"• #{s.channel_id}: {describe(s)}" for s in rows)
                       if rows else f"No channel in this workspace has a digest. {EXAMPLE}")
        return ans
    sub = subs.get(db, team_id, channel_id)
    since = int(sub.cutoff or 0) if sub else 0
    preview = build(store, since, "Citebot digest — preview", max_results=max_results)
    preview.ask = ans.ask
    if not sub:
        preview.message = f"(This channel has no digest yet: {EXAMPLE}.) " + (preview.message or "")
    return preview
