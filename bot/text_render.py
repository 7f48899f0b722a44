"""Answers as plain text, for the console and `citebot ask`."""

from __future__ import annotations

from commands.results import Answer, FigureResult, PassageResult, PersonResult, QuoteResult, SourceRef


def format_value(r: FigureResult) -> str:
    """560万美元 → 5,600,000 USD; a range as a–b; a qualifier in words.

    "under" is every ceiling (不到, 以下, but also 最高, 最多): "at most" is true of all of them,
    where "under 500,000,000,000" would misread 最高5000亿美元, whose ceiling is that value."""
    def num(v: float) -> str:
        return f"{v:,.0f}" if abs(v) >= 100 and float(v).is_integer() else f"{v:,.4g}"

    s = num(r.value) if r.value_max is None else f"{num(r.value)}–{num(r.value_max)}"
    unit = r.unit or ""
    if unit == "%":
        s += "%"
    elif unit:
        s += f" {unit}"
    words = {"approx": "about ", "over": "over ", "under": "at most "}
    return words.get(r.qualifier, "") + s


def source_line(s: SourceRef) -> str:
    bits = [b for b in (s.outlet, s.published) if b]
    if s.paragraph is not None:
        bits.append(f"¶{s.paragraph}")
    link = s.link
    if link:
        bits.append(("copy: " if s.is_copy else "") + link)
    else:
        bits.append("no link on record")  # the article's metadata gives none: not a link left out
    return f"  — {s.title} · " + " · ".join(bits) if bits else f"  — {s.title}"


def render(answer: Answer, more: str = "type `more`") -> str:
    """The answer as plain text; `more` says how to see the next page (the console's word, or
    the command line's --offset)."""
    lines: list[str] = []
    if answer.message:
        lines.append(answer.message)
    for i, r in enumerate(answer.results, answer.offset + 1):
        if isinstance(r, QuoteResult):
            who = r.speaker.name + (f"({r.speaker.role})" if r.speaker.role else "")
            mark = "“{}”" if r.quote_kind == "direct" else "{}"
            lines.append(f"{i}. {who}: " + mark.format(r.text))
            lines.append(source_line(r.source))
        elif isinstance(r, FigureResult):
            lines.append(f"{i}. {r.text} = {format_value(r)} · {r.subject}")
            lines.append(f"  {r.context}")
            lines.append(source_line(r.source))
        elif isinstance(r, PersonResult):
            lines.append(f"{i}. {r.name}" + (f" ({r.name_en})" if r.name_en else "") + (f" — {r.role}" if r.role else ""))
            if r.aliases:
                lines.append("  also: " + ", ".join(r.aliases))
            named = [f"{s.title} ({', '.join(b for b in (s.outlet, s.published) if b)})" if s.outlet or s.published
                     else s.title for s in r.sources] or r.articles
            rest = len(r.articles) - len(named)
            lines.append(f"  {r.quotes} quote(s) in {len(r.articles)} article(s): " + "; ".join(named)
                         + (f"; and {rest} more" if rest > 0 else ""))
        elif isinstance(r, PassageResult):
            lines.append(f"{i}. {r.text}")
            lines.append(source_line(r.source))
    if answer.has_more:
        lines.append(f"… {answer.total - answer.offset - len(answer.results)} more: {more}.")
    return "\n".join(lines) if lines else "No results."
