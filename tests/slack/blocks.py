"""Reading Block Kit messages back: results, their source lines, and what a person sees."""

from __future__ import annotations

import re

from store.text import fold, fold_loose

RESULT_ID = re.compile(r"result-(\d+)-(\w+)")
LINK = re.compile(r"<(https?://[^|<>\s]+)\|([^<>]*)>")
USER = re.compile(r"<@[A-Z0-9]+>")
ENTITY = re.compile(r"&(?:amp|lt|gt);")
LIMITS = {"section": 3000, "header": 150, "context": 2000, "button": 75, "blocks": 50}


def visible(mrkdwn: str) -> str:
    """Roughly what Slack shows: links as their labels, no bold marks, entities decoded."""
    s = LINK.sub(lambda m: m.group(2), mrkdwn)
    s = s.replace("\u200b", "").replace("*", "").replace("`", "")
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def context_text(block: dict) -> str:
    return " ".join(e.get("text", "") for e in block.get("elements", []))


def texts(blocks: list[dict]) -> list[tuple[str, str]]:
    """Every (kind, text) in the message: kind is mrkdwn or plain_text."""
    out = []
    for b in blocks:
        if b["type"] in ("section", "header"):
            out.append((b["text"]["type"], b["text"]["text"]))
        elif b["type"] == "context":
            out += [(e["type"], e["text"]) for e in b["elements"] if "text" in e]
        elif b["type"] == "actions":
            out += [("plain_text", e["text"]["text"]) for e in b["elements"]]
    return out


def results(blocks: list[dict]) -> list[dict]:
    """One dict per result: n, kind (quote, figure, person, source), text, and from (its source line)."""
    units: dict[int, dict] = {}
    for b in blocks:
        m = RESULT_ID.fullmatch(b.get("block_id") or "")
        if not m:
            continue
        u = units.setdefault(int(m[1]), {"n": int(m[1]), "kind": None, "text": "", "from": ""})
        if b["type"] == "context":
            u["from"] = context_text(b)
        else:
            u["kind"], u["text"] = m[2], b["text"]["text"]
    return [units[n] for n in sorted(units)]


def block(blocks: list[dict], block_id: str) -> dict | None:
    return next((b for b in blocks if b.get("block_id") == block_id), None)


def button(blocks: list[dict], action_id: str) -> dict | None:
    for b in blocks:
        for e in b.get("elements", []) if b["type"] == "actions" else []:
            if e.get("action_id") == action_id:
                return e
    return None


def unescaped(mrkdwn: str) -> list[str]:
    """&, < or > that are not Slack's escapes nor the links and user mentions the bot writes."""
    s = LINK.sub("", mrkdwn)
    s = USER.sub("", s)
    s = ENTITY.sub("", s)
    return re.findall(r"[<>&]", s)


def over_limits(blocks: list[dict]) -> list[str]:
    bad = []
    if len(blocks) > LIMITS["blocks"]:
        bad.append(f"{len(blocks)} blocks")
    for b in blocks:
        if b["type"] == "header" and len(b["text"]["text"]) > LIMITS["header"]:
            bad.append("header")
        if b["type"] == "section" and len(b["text"]["text"]) > LIMITS["section"]:
            bad.append(f"section {b.get('block_id')}")
        if b["type"] == "context":
            bad += [f"context {b.get('block_id')}" for e in b["elements"] if len(e.get("text", "")) > LIMITS["context"]]
        if b["type"] == "actions":
            bad += [f"button {e['action_id']}" for e in b["elements"] if len(e["text"]["text"]) > LIMITS["button"]]
    return bad


# -- the gold answer key, read against a rendered message ----------------------------------------
def article_link(sources: dict, article: str) -> str | None:
    s = sources.get(article) or {}
    return s.get("url") or s.get("copy_url")


def from_article(unit: dict, article: str, sources: dict) -> bool:
    """The result's source line names that article: its link (as Slack syntax), else its outlet."""
    link = article_link(sources, article)
    if link:
        return f"<{link.replace('&', '&amp;')}|" in unit["from"]
    s = sources.get(article) or {}
    want = [w for w in (s.get("outlet"), s.get("title")) if w]
    return bool(want) and all(w in visible(unit["from"]) for w in want)


def number(v: float) -> str:
    """A value as the renderer normalises it (bot.text_render.format_value)."""
    return f"{v:,.0f}" if abs(v) >= 100 and float(v).is_integer() else f"{v:,.4g}"


def person_forms(gold: dict, name: str) -> set[str]:
    for p in gold["people"]:
        names = {p["name"], p.get("full_name") or "", *(p.get("aliases") or [])}
        if fold(name) in {fold(n) for n in names if n}:
            return {fold(n) for n in names if n}
    return {fold(name)}


def unit_matches(expect: dict, unit: dict, sources: dict, gold: dict) -> bool:
    if unit["kind"] != expect["kind"]:
        return False
    if "article" in expect and not from_article(unit, expect["article"], sources):
        return False
    shown = visible(unit["text"])
    if "text" in expect and fold_loose(expect["text"]) not in fold_loose(shown):
        return False
    if "value" in expect:
        normalised = re.split(r" · |\n", shown.split(" = ", 1)[1])[0] if " = " in shown else ""
        if not re.search(r"(?<![\d,.])" + re.escape(number(expect["value"])) + r"(?![\d,])", normalised):
            return False
    if "name" in expect:
        forms = person_forms(gold, expect["name"])
        if not any(f and f in fold(shown) for f in forms):
            return False
    return True


def meets(expect: dict, blocks: list[dict], sources: dict, gold: dict) -> tuple[bool, str]:
    """Whether a rendered answer meets a gold expectation, by tests/GOLD_README.md's rules
    applied to what the message shows. (The `none` case is checked by the caller.)"""
    units = results(blocks)[:5]
    if "articles" in expect:
        kind = [u for u in units if u["kind"] == expect["kind"]]
        missing = [a for a in expect["articles"] if not any(from_article(u, a, sources) for u in kind)]
        return not missing, f"no {expect['kind']} result from {missing}"
    if any(unit_matches(expect, u, sources, gold) for u in units):
        return True, ""
    shown = [(u["kind"], visible(u["text"])[:60]) for u in units]
    return False, f"no result meets {expect}; shown: {shown}"
