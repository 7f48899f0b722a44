"""Reading what a user typed: a slash command, `/cite <sub> …`, or free text."""

from __future__ import annotations

from dataclasses import dataclass

from store.text import clean_query

COMMANDS = ("quote", "figure", "who", "source", "help", "digest")
ALIASES = {"quotes": "quote", "figures": "figure", "sources": "source", "person": "who", "?": "help"}


@dataclass
class Parsed:
    command: str  # one of COMMANDS, "search" for free text, or "unknown"
    query: str
    word: str = ""  # the command word as typed, for messages about unknown ones


def parse(ask: str) -> Parsed:
    """`/quote 纳德拉` → quote; `/cite figure 560万美元` → figure; other text → search."""
    text = clean_query(ask, limit=2000)
    if not text:
        return Parsed("help", "")
    if not text.startswith("/"):
        return Parsed("search", text)
    head, _, rest = text[1:].partition(" ")
    word = head.casefold()
    rest = rest.strip()
    if word == "cite":
        if not rest:
            return Parsed("help", "")
        sub, _, subrest = rest.partition(" ")
        key = ALIASES.get(sub.casefold(), sub.casefold())
        if key in COMMANDS:
            return Parsed(key, subrest.strip(), sub)
        return Parsed("search", rest)
    key = ALIASES.get(word, word)
    if key in COMMANDS:
        return Parsed(key, rest, head)
    return Parsed("unknown", rest, head)
