"""Reading what a user typed: a slash command, `/cite <sub> …`, or free text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from store.text import clean_query

COMMANDS = ("quote", "figure", "who", "source", "help", "digest")
LOOKUPS = ("quote", "figure", "who", "source")  # the commands `/quote help` teaches one by one
ALIASES = {"quotes": "quote", "figures": "figure", "sources": "source", "person": "who", "?": "help"}
HELP_WORDS = {"help", "?", "帮助", "幫助", "说明", "說明"}  # alone after a command, or alone: that command's help


@dataclass
class Parsed:
    command: str  # one of COMMANDS, "search" for free text, or "unknown"
    query: str
    word: str = ""  # the command word as typed, for messages about unknown ones


def parse(ask: str) -> Parsed:
    """`/quote 纳德拉` → quote; `/cite figure 560万美元` → figure; other text → search."""
    text = clean_query(ask, limit=2000)
    if not text or text.casefold() in HELP_WORDS:
        return Parsed("help", "")
    if text[0] == "／":  # a Chinese keyboard's full-width slash (／ｑｕｏｔｅ): the command word as NFKC reads it
        text = "/" + text[1:]
    if not text.startswith("/"):
        return Parsed("search", text)
    head, _, rest = text[1:].partition(" ")
    key, rest = _command(head), rest.strip()
    if key == "cite":
        if not rest:
            return Parsed("help", "")
        sub, _, subrest = rest.partition(" ")
        key, subrest = _command(sub), subrest.strip()
        if key == "help" and _command(subrest.lstrip("/")) in LOOKUPS:  # /cite help quote
            return Parsed("help", _command(subrest.lstrip("/")), sub)
        if key in LOOKUPS and subrest.casefold() in HELP_WORDS:  # /cite quote help
            return Parsed("help", key, sub)
        if key in COMMANDS:
            return Parsed(key, subrest, sub)
        return Parsed("search", rest)
    if key in LOOKUPS and rest.casefold() in HELP_WORDS:  # /quote help: how to use /quote
        return Parsed("help", key, head)
    if key in COMMANDS:
        return Parsed(key, rest, head)
    return Parsed("unknown", rest, head)


def _command(word: str) -> str:
    """A command word as the commands know it: NFKC (ｑｕｏｔｅ), case-folded, aliases resolved."""
    word = unicodedata.normalize("NFKC", word).casefold()
    return ALIASES.get(word, word)
