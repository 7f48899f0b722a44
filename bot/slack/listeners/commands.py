"""Slash commands: acknowledged at once, then answered ephemerally through the response_url."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack.incoming import plain_text
from bot.slack.listeners import declare
from bot.slack.render import render
from bot.slack.service import answer_message, error_message, where

log = logging.getLogger("citebot.slack")

COMMANDS = ("/quote", "/figure", "/who", "/source", "/cite")


def register(app: App) -> None:
    for name in COMMANDS:
        app.command(name)(answer_command)
        declare(app, "command", name)


def answer_command(ack: Ack, command: dict, context: BoltContext, client: WebClient) -> None:
    """Ack at once; the answer is worked out and sent on the answers' pool (Citebot.later)."""
    ack()
    bot = context["citebot"]
    ids = where(command)
    bot.later(lambda: _answer(bot, command, client, ids), ids, command.get("response_url"))


def _answer(bot, command: dict, client: WebClient, ids: str) -> None:
    ask = f"{command.get('command', '/cite')} {plain_text(command.get('text'))}".strip()
    words = ask.split(maxsplit=2)
    if len(words) >= 2 and words[0] == "/cite" and words[1].casefold() == "digest":
        answer = bot.digest(words[2] if len(words) > 2 else "", command, client, ids)
    else:
        answer = bot.answer(ask, ids=ids)
    if answer is None:
        bot.respond(command.get("response_url"), error_message(), ids)
        return
    message = answer_message(render(answer, ephemeral=True), response_type="ephemeral")
    if bot.respond(command.get("response_url"), message, ids):
        log.info("answered %s %s results=%d", command.get("command"), ids, len(answer.results))
