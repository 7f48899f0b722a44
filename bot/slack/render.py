"""Answers as Slack messages: Block Kit built with slack_sdk.models.blocks, plus a plain fallback.

A header with the question; one section per result (a quote with speaker and role, a figure
with its normalised value and subject, a person card, a passage with its matches in bold),
each followed by a context line with outlet, date, paragraph and link; then buttons to share
the answer in the channel or show the next page.

Every piece of article or user text goes through `escape` (mrkdwn's &, < and >); the only
angle brackets in the output are the <url|label> links built here. Every text is clipped to
Block Kit's limits, so a long passage or question never makes Slack refuse a message.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote as urlquote

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.text_render import format_value
from bot.text_render import render as plain_render
from commands.results import Answer, FigureResult, PassageResult, PersonResult, QuoteResult, SourceRef

# Block Kit's limits (https://docs.slack.dev/reference/block-kit/blocks).
SECTION_TEXT = 3000
HEADER_TEXT = 150
MAX_BLOCKS = 50
# Results a digest may hold to fit one message: two blocks each, after the header, the message,
# the page and cut lines and the buttons.
DIGEST_RESULTS = (MAX_BLOCKS - 6) // 2
CONTEXT_TEXT = 2000
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
FALLBACK_TEXT = 3000  # Slack truncates longer top-level text in notifications

SHARE_ACTION = "citebot_share"
MORE_ACTION = "citebot_more"
ZWSP = "\u200b"  # lets *bold* work between Han characters, which have no spaces around them
ELLIPSIS = "…"


# -- text ---------------------------------------------------------------------------------
def escape(text: str) -> str:
    """Text as mrkdwn shows it literally: Slack's three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Plain text at most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def link(url: str, label: str) -> str:
    """<url|label>: the URL made safe for Slack's link syntax, the label escaped."""
    safe = urlquote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")
    safe = safe.replace("&", "&amp;")
    return f"<{safe}|{escape(label).replace('|', '¦')}>"


class Mrkdwn:
    """A mrkdwn string built from escaped text and markup, within a length limit.

    Text past the limit is cut with an ellipsis; markup that no longer fits is dropped, and
    an open bold span is always closed, so a clipped text is still well formed.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[str] = []
        self.used = 0
        self.full = False

    def markup(self, s: str) -> Mrkdwn:
        if not self.full and self.used + len(s) <= self.limit - 1:
            self.parts.append(s)
            self.used += len(s)
        else:
            self._stop()
        return self

    def text(self, s: str, bold: bool = False) -> Mrkdwn:
        if self.full or not s:
            return self
        close = f"*{ZWSP}" if bold else ""
        if bold:
            if self.used + 2 + len(close) + 2 > self.limit:
                return self._stop()
            self.parts.append(f"{ZWSP}*")
            self.used += 2
        room = self.limit - self.used - len(close) - 1  # keep one for an ellipsis
        out: list[str] = []
        cut = False
        for ch in (s.replace("*", "∗") if bold else s):  # a * inside a bold span would end it
            piece = escape(ch)
            if len(piece) > room:
                cut = True
                break
            out.append(piece)
            room -= len(piece)
        body = "".join(out).rstrip() if bold else "".join(out)
        self.parts.append(body)
        self.used += len(body)
        if bold:
            self.parts.append(close)
            self.used += len(close)
        if cut:
            self._stop()
        return self

    def line(self) -> Mrkdwn:
        return self.markup("\n")

    def _stop(self) -> Mrkdwn:
        if not self.full:
            self.full = True
            self.parts.append(ELLIPSIS)
            self.used += 1
        return self

    def __str__(self) -> str:
        return "".join(self.parts)


def mrkdwn_section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text, verbatim=True), block_id=block_id)


def context(*texts: str, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=t, verbatim=True) for t in texts[:10] if t],
                        block_id=block_id)


# -- results ------------------------------------------------------------------------------
def source_context(src: SourceRef, block_id: str | None = None) -> ContextBlock:
    """Outlet · date · ¶n · link (the original, else a copy marked as one)."""
    m = Mrkdwn(CONTEXT_TEXT)
    bits = [b for b in (src.outlet, src.published) if b]
    if src.paragraph is not None:
        bits.append(f"¶{src.paragraph}")
    m.text(" · ".join(bits))
    if src.link:
        label = clip(src.title or src.outlet or src.link, 80)
        mark = link(src.link, label)
        sep = " · " if bits else ""
        m.markup(sep + mark if not src.is_copy else f"{sep}{mark} (a copy; the original was not found)")
    elif src.title:
        m.text((" · " if bits else "") + clip(src.title, 120) + " (no link on record)")
    return context(str(m) or escape(src.article), block_id=block_id)


def quote_section(r: QuoteResult) -> Mrkdwn:
    m = Mrkdwn(SECTION_TEXT)
    m.text(r.speaker.name, bold=True)
    if r.speaker.role:
        m.text(f"（{r.speaker.role}）")
    m.text(" said:" if r.quote_kind == "direct" else " (paraphrased):")
    m.line()
    m.text(f"“{r.text}”" if r.quote_kind == "direct" else r.text)
    return m


def figure_section(r: FigureResult) -> Mrkdwn:
    m = Mrkdwn(SECTION_TEXT)
    m.text(r.text, bold=True).text(f" = {format_value(r)}")
    if r.subject:
        m.text(f" · {r.subject}")
    if r.context:
        m.line()
        _highlighted(m, r.context, _spans_of(r.context, r.text))
    return m


def person_section(r: PersonResult) -> Mrkdwn:
    m = Mrkdwn(SECTION_TEXT)
    m.text(r.name, bold=True)
    if r.name_en:
        m.text(f" ({r.name_en})")
    if r.role:
        m.text(f" — {r.role}")
    if r.full_name and r.full_name != r.name:
        m.line().text(f"Full name: {r.full_name}")
    shown = {r.name, r.full_name, r.name_en}
    others = [a for a in dict.fromkeys(r.aliases) if a not in shown]
    if others:
        m.line().text("Also written: " + ", ".join(others))
    n = len(r.articles)
    m.line().text(f"{r.quotes} quote{'s' if r.quotes != 1 else ''} in {n} article{'s' if n != 1 else ''}")
    return m


def passage_section(r: PassageResult) -> Mrkdwn:
    m = Mrkdwn(SECTION_TEXT)
    _highlighted(m, r.text, r.highlights)
    return m


def _spans_of(text: str, needle: str) -> list[tuple[int, int]]:
    i = text.find(needle) if needle else -1
    return [(i, i + len(needle))] if i >= 0 else []


def _merge(spans, n: int) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted((max(0, int(a)), min(n, int(b))) for a, b in spans):
        if a >= b:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _highlighted(m: Mrkdwn, text: str, spans) -> None:
    """The text with each [start, end) span in bold."""
    pos = 0
    for a, b in _merge(spans, len(text)):
        m.text(text[pos:a]).text(text[a:b], bold=True)
        pos = b
    m.text(text[pos:])


def result_blocks(n: int, r) -> list[Block]:
    """One section for the result, then its source line (a person gets a next step instead)."""
    if isinstance(r, QuoteResult):
        body, src = quote_section(r), r.source
    elif isinstance(r, FigureResult):
        body, src = figure_section(r), r.source
    elif isinstance(r, PassageResult):
        body, src = passage_section(r), r.source
    elif isinstance(r, PersonResult):
        hint = f"Try `/quote {escape(r.name)}` or `/source {escape(r.name)}`"
        return [mrkdwn_section(str(person_section(r)), block_id=f"result-{n}-person"),
                context(hint, block_id=f"result-{n}-next")]
    else:  # pragma: no cover - a new result kind renders as its text
        return [mrkdwn_section(str(Mrkdwn(SECTION_TEXT).text(str(getattr(r, "text", r)))),
                               block_id=f"result-{n}-other")]
    return [mrkdwn_section(str(body), block_id=f"result-{n}-{r.kind}"),
            source_context(src, block_id=f"result-{n}-from")]


# -- messages that are not results --------------------------------------------------------
_EXAMPLES = re.compile(r"^(.*?(?:e\.g\.|Try:|ask in words:)\s+)(.+)$")
_LEAD_COMMAND = re.compile(r"^(/[a-z]+(?: [a-z]+)?)( — .*)$")


def message_mrkdwn(message: str, limit: int = SECTION_TEXT) -> str:
    """A message from the commands (help, nothing found, a hint) as mrkdwn: each example
    command in code format, a leading command in bold."""
    m = Mrkdwn(limit)
    for i, line in enumerate(message.splitlines()):
        if i:
            m.line()
        lead = _LEAD_COMMAND.match(line)
        if lead:
            m.text(lead.group(1), bold=True)
            line = lead.group(2)
        ex = _EXAMPLES.match(line)
        if not ex or "`" in line:
            _text_with_channels(m, line)
            continue
        m.text(ex.group(1))
        sep = " · " if " · " in ex.group(2) else ", "
        for j, example in enumerate(ex.group(2).split(sep)):
            if j:
                m.text(sep)
            m.markup("`").text(example.strip()).markup("`")
    return str(m)


# A channel as the commands name it, #C0CHAN01 (they know no Slack markup): Slack links it.
_CHANNEL = re.compile(r"(?<![\w#])#([CGD][A-Z0-9]{6,})\b")


def _text_with_channels(m: Mrkdwn, line: str) -> None:
    """The line as text, each channel the commands name (#C0CHAN01) as the markup Slack shows
    as a link with the channel's name (<#C0CHAN01>)."""
    at = 0
    for ref in _CHANNEL.finditer(line):
        m.text(line[at: ref.start()]).markup(f"<#{ref.group(1)}>")
        at = ref.end()
    m.text(line[at:])


def slack_text(message: str) -> str:
    """A plain message from the commands as Slack text: escaped, channels linked."""
    m = Mrkdwn(SECTION_TEXT)
    _text_with_channels(m, message)
    return str(m)


# -- whole messages -----------------------------------------------------------------------
@dataclass
class Rendered:
    text: str  # the plain fallback: notifications, screen readers, old clients
    blocks: list[Block] = field(default_factory=list)

    def to_dict(self) -> dict:
        """What chat.postMessage or a response_url takes; to_dict() validates every block."""
        blocks = [b.to_dict() for b in self.blocks]
        if len(blocks) > MAX_BLOCKS:  # pragma: no cover - render() keeps within the limit
            raise ValueError(f"{len(blocks)} blocks: Slack takes at most {MAX_BLOCKS}")
        return {"text": self.text, "blocks": blocks}


def button_value(ask: str, offset: int, public: bool = False) -> str | None:
    """What a button carries to reproduce an answer page; None when the ask is too long for it."""
    v = json.dumps({"ask": ask, "offset": offset, "public": public}, ensure_ascii=False, separators=(",", ":"))
    return v if len(v) <= BUTTON_VALUE else None


def read_button_value(value: str) -> tuple[str, int, bool]:
    d = json.loads(value)
    return str(d["ask"]), max(0, int(d.get("offset") or 0)), bool(d.get("public"))


def render(answer: Answer, *, question: str | None = None, ephemeral: bool = True,
           shared_by: str | None = None) -> Rendered:
    """The Slack message for an answer.

    ephemeral: only the asker sees it, so it offers "Share in channel".
    shared_by: a user id; the message is the public copy that user shared.
    question: what to show in the header (default: the ask as typed).
    """
    question = (question or answer.ask or answer.query or "Citebot").strip()
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text=clip(" ".join(question.split()), HEADER_TEXT)),
                                       block_id="question")]
    if shared_by:
        blocks.append(context(f"Shared by <@{_user_id(shared_by)}>", block_id="shared-by"))
    page_at = len(blocks)
    if answer.message:
        blocks.append(mrkdwn_section(message_mrkdwn(answer.message), block_id="message"))

    tail: list[Block] = []
    if not answer.results and answer.command not in ("help", "digest"):
        tail.append(context("Type `/cite help` for the commands, with examples.", block_id="help-hint"))
    actions = _actions(answer, ephemeral=ephemeral and not shared_by, public=not ephemeral or bool(shared_by))
    if actions:
        tail.append(actions)

    shown = 0
    for n, r in enumerate(answer.results, answer.offset + 1):
        more = result_blocks(n, r)
        if len(blocks) + len(more) + len(tail) + 2 > MAX_BLOCKS:  # room for the page and cut lines
            break
        blocks += more
        shown += 1
    if shown < len(answer.results):
        blocks.append(context(f"{len(answer.results) - shown} more results did not fit in one message.",
                              block_id="cut"))
    if shown and (answer.total > shown or answer.offset):
        first, last = answer.offset + 1, answer.offset + shown
        blocks.insert(page_at, context(f"Results {first}–{last} of {max(answer.total, last)}", block_id="page"))
    blocks += tail

    fallback = Mrkdwn(FALLBACK_TEXT)
    if shared_by:
        fallback.markup(f"Shared by <@{_user_id(shared_by)}>: ")
    fallback.text(question).line()
    _text_with_channels(fallback, plain_render(answer))
    return Rendered(text=str(fallback), blocks=blocks)


def _actions(answer: Answer, *, ephemeral: bool, public: bool) -> ActionsBlock | None:
    buttons = []
    if ephemeral and answer.results:
        value = button_value(answer.ask, answer.offset)
        if value:
            buttons.append(ButtonElement(text="Share in channel", action_id=SHARE_ACTION, value=value,
                                         style="primary"))
    if answer.has_more:
        nxt = answer.offset + len(answer.results)
        value = button_value(answer.ask, nxt, public=public)
        if value:
            left = answer.total - nxt
            buttons.append(ButtonElement(text=clip(f"More ({left} more)", BUTTON_TEXT), action_id=MORE_ACTION,
                                         value=value))
    return ActionsBlock(elements=buttons, block_id="actions") if buttons else None


def _user_id(u: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", u)


def notice(text: str) -> Rendered:
    """A short message to the user (an error, a hint): one section, escaped."""
    m = str(Mrkdwn(SECTION_TEXT).text(text))
    return Rendered(text=m, blocks=[mrkdwn_section(m, block_id="notice")])
