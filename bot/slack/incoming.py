"""What a user typed, as Slack delivers it, back to plain text for the commands."""

from __future__ import annotations

import re

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+\|([^>]*)>")
_SPECIAL = re.compile(r"<!(?:subteam\^[A-Z0-9]+\|)?([^>|]*)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^>|]*)(?:\|([^>]*))?>")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plain_text(text: str | None) -> str:
    """Message or command text without mentions of the bot and with Slack's markup undone.

    `<@UBOT> 纳德拉说了什么？` → `纳德拉说了什么？` (every user mention goes: the
    articles know no Slack user); `<#C1|general>` → `#general`; a link → its label, else
    its address; `&lt;` `&gt;` `&amp;` → `<` `>` `&`.
    """
    if not text:
        return ""
    text = _MENTION.sub(" ", text)
    text = _CHANNEL.sub(lambda m: "#" + m.group(1), text)
    text = _SPECIAL.sub(lambda m: m.group(2) or "", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    return " ".join(unescape(text).split())
