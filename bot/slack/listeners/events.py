"""Mentions, answered in a thread, and direct messages, answered in the DM.

Both go through the commands' free-text routing, with the mention of the bot taken out.
A message is answered once even when Slack sends it as both a mention and a DM.
"""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.incoming import plain_text
from bot.slack.listeners import declare
from bot.slack.render import notice, render
from bot.slack.service import SORRY, where

log = logging.getLogger("citebot.slack")

# Messages that are a person typing: new ones, with or without files.
ANSWERED_SUBTYPES = {None, "file_share", "thread_broadcast"}


def register(app: App) -> None:
    app.event("app_mention")(answer_mention)
    declare(app, "event", "app_mention")
    app.event("message", matchers=[is_direct_message])(answer_direct_message)
    declare(app, "event", "message.im")


def is_direct_message(event: dict) -> bool:
    return event.get("channel_type") == "im"


def answer_mention(event: dict, body: dict, client: WebClient, context: BoltContext) -> None:
    answer_message_event(event, body, client, context, in_thread=True)


def answer_direct_message(event: dict, body: dict, client: WebClient, context: BoltContext) -> None:
    answer_message_event(event, body, client, context, in_thread=False)


def answer_message_event(event: dict, body: dict, client: WebClient, context: BoltContext, *,
                         in_thread: bool) -> None:
    if event.get("bot_id") or event.get("subtype") not in ANSWERED_SUBTYPES:
        return  # edits, deletions, joins and other bots' messages
    if context.get("bot_user_id") and event.get("user") == context.get("bot_user_id"):
        return
    bot = context["citebot"]
    ids = where(body, event)
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts or not bot.first_delivery(f"message:{channel}:{ts}"):
        return
    thread_ts = event.get("thread_ts") or (ts if in_thread else None)
    # on the answers' pool: Bolt's listener threads stay free to ack commands (Citebot.later)
    bot.later(lambda: _answer(bot, event, client, channel, thread_ts, ids, in_thread), ids)


def _answer(bot, event: dict, client: WebClient, channel: str, thread_ts: str | None, ids: str,
            in_thread: bool) -> None:
    text = plain_text(event.get("text"))
    answer = bot.answer(text, ids=ids)
    if answer is None:
        tell_privately(client, channel, event.get("user"), thread_ts, ids)
        return
    message = render(answer, question=text or "Citebot help", ephemeral=False)
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message.to_dict())
        log.info("answered a %s %s results=%d", "mention" if in_thread else "DM", ids, len(answer.results))
    except SlackApiError as e:
        log.warning("could not post the answer %s: %s", ids, e.response.get("error"))
        tell_privately(client, channel, event.get("user"), thread_ts, ids)


def tell_privately(client: WebClient, channel: str, user: str | None, thread_ts: str | None, ids: str,
                   text: str = SORRY) -> None:
    """A short ephemeral message to the person who asked; logged, not raised, if even that fails."""
    if not user:
        return
    try:
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **notice(text).to_dict())
    except SlackApiError as e:
        log.warning("could not tell the asker either %s: %s", ids, e.response.get("error"))
