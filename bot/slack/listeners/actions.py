"""The answer's buttons: "Share in channel" and "More"."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.listeners import declare
from bot.slack.render import MORE_ACTION, SHARE_ACTION, read_button_value, render
from bot.slack.service import answer_message, error_message, where

log = logging.getLogger("citebot.slack")

CANT_SHARE = ("I couldn't post in this channel. Invite me with /invite @Citebot, "
              "or copy the answer from here.")
NOTHING_TO_SHARE = "Nothing to share: this page has no results now (the articles changed since). Ask again."


def register(app: App) -> None:
    app.action(SHARE_ACTION)(share_in_channel)
    declare(app, "action", SHARE_ACTION)
    app.action(MORE_ACTION)(show_more)
    declare(app, "action", MORE_ACTION)


def _button(body: dict, action: dict) -> tuple[str, int, bool] | None:
    try:
        return read_button_value(action.get("value") or "")
    except (ValueError, KeyError, TypeError):
        log.warning("a button with an unreadable value %s", where(body))
        return None


def _page(bot, body: dict, action: dict):
    """The answer page a button names; None (the user told) when it cannot be had."""
    ids = where(body)
    url = body.get("response_url")
    value = _button(body, action)
    answer = bot.answer(value[0], value[1], ids=ids) if value else None
    if answer is None:
        bot.respond(url, error_message(), ids)
        return None
    return bot, ids, url, value, answer


def share_in_channel(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    """Ack; then, on the answers' pool, post the same answer publicly, saying who shared it.
    One post per click: the same click delivered again (a replayed request) is dropped."""
    ack()
    bot = context["citebot"]
    click = body.get("trigger_id") or f"{where(body)}:{action.get('action_ts')}"
    if not bot.first_delivery(f"share:{click}"):
        log.info("skipped a repeated share %s", where(body))
        return
    bot.later(lambda: _share(bot, body, action, client), where(body), body.get("response_url"))


def _share(bot, body: dict, action: dict, client: WebClient) -> None:
    page = _page(bot, body, action)
    if page is None:
        return
    bot, ids, url, _value, answer = page
    if not answer.results:  # a page that emptied since it was shown: nothing to post for everyone
        bot.respond(url, error_message(NOTHING_TO_SHARE), ids)
        return
    user = (body.get("user") or {}).get("id") or ""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    message = render(answer, ephemeral=False, shared_by=user).to_dict()
    try:
        client.chat_postMessage(channel=channel, **message)
        log.info("shared %s", ids)
        return
    except SlackApiError as e:
        error = e.response.get("error")
        log.warning("could not share with chat.postMessage %s: %s", ids, error)
    # Not a member of the channel (or a DM with someone else): the response_url can still
    # post publicly where the command was typed.
    if error in ("not_in_channel", "channel_not_found") and bot.respond(
            url, {**message, "response_type": "in_channel", "replace_original": False}, ids):
        return
    bot.respond(url, error_message(CANT_SHARE), ids)


def show_more(ack: Ack, body: dict, action: dict, context: BoltContext) -> None:
    """Ack; then, on the answers' pool, the next page in place of this one."""
    ack()
    bot = context["citebot"]
    bot.later(lambda: _more(bot, body, action), where(body), body.get("response_url"))


def _more(bot, body: dict, action: dict) -> None:
    page = _page(bot, body, action)
    if page is None:
        return
    bot, ids, url, value, answer = page
    rendered = render(answer, ephemeral=not value[2])  # a public answer's next page stays public
    bot.respond(url, answer_message(rendered, replace_original=True), ids)
