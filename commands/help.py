"""The help text: what each command answers, with examples that work on the seeds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Usage:
    command: str
    summary: str
    examples: list[str]


USAGE = [
    Usage("/quote", "quotes by a person, or quotes containing words", ["/quote 纳德拉", "/quote Nadella", "/quote 警钟"]),
    Usage("/figure", "figures about a subject, or of a value in any written form",
          ["/figure 训练成本", "/figure 560万美元", "/figure $5.6M"]),
    Usage("/who", "a person: role, other names, articles, how many quotes", ["/who 納德拉", "/who Gave"]),
    Usage("/source", "the articles and paragraphs that discuss something, with links", ["/source 小院高墙"]),
    Usage("/cite", "all of the above, plus help and digests: /cite quote …, /cite figure …, /cite digest …",
          ["/cite help", "/cite 纳德拉说了什么？"]),
]
MENTION_EXAMPLES = ["纳德拉说了什么？", "训练成本是多少？", "谁说过“需要是发明的母亲”？"]

DIGEST_USAGE = Usage(
    "/cite digest", "a daily or weekly digest of new articles in this channel",
    ["/cite digest daily 09:00 Asia/Shanghai", "/cite digest weekdays 08:30", "/cite digest weekly mon 09:00",
     "/cite digest preview", "/cite digest list", "/cite digest off"],
)


def help_text(intro: str | None = None) -> str:
    """Plain text; renderers format it for their medium."""
    lines = [intro] if intro else []
    lines.append("Citebot answers who said what, which figures were cited, and where, in the indexed articles.")
    for u in USAGE:
        lines.append(f"{u.command} — {u.summary}. e.g. " + ", ".join(u.examples))
    lines.append("Or just ask in words: " + " · ".join(MENTION_EXAMPLES))
    lines.append("Names work in Simplified or Traditional script, in English, in part, or misspelt.")
    return "\n".join(lines)


def usage_for(command: str) -> str:
    for u in [*USAGE, DIGEST_USAGE]:
        if u.command.lstrip("/") == command:
            return f"{u.command} — {u.summary}. Try: " + ", ".join(u.examples)
    return help_text()


def command_help(command: str) -> str:
    """One command's help (`/quote help`): what it answers, examples, and where the rest is."""
    return usage_for(command) + "\nEvery command: /cite help"
