"""What a command returns: plain dataclasses, no markup.

The Slack renderer, the console and `--json` all read these. `to_dict()` gives the JSON
shape documented in DESIGN.md (one object per answer, one per result).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any


@dataclass
class SourceRef:
    """Where a result comes from; every answer links one."""

    article: str  # file name without .txt
    title: str
    outlet: str | None
    published: str | None
    url: str | None  # the original address, where known
    copy_url: str | None  # a copy, shown as a copy, where no original is known
    paragraph: int | None = None

    @property
    def link(self) -> str | None:
        return self.url or self.copy_url

    @property
    def is_copy(self) -> bool:
        return not self.url and bool(self.copy_url)


@dataclass
class Speaker:
    name: str
    role: str | None = None
    type: str = "person"  # person, org or group


@dataclass
class QuoteResult:
    text: str
    quote_kind: str  # direct or indirect
    speaker: Speaker
    source: SourceRef
    kind: str = "quote"


@dataclass
class FigureResult:
    text: str  # the figure as written
    value: float
    value_max: float | None
    unit: str | None
    qualifier: str
    subject: str
    context: str
    source: SourceRef
    figure_kind: str = "quantity"
    kind: str = "figure"


@dataclass
class PersonResult:
    text: str
    name: str
    full_name: str | None
    name_en: str | None
    role: str | None
    aliases: list[str]
    articles: list[str]
    quotes: int
    kind: str = "person"
    sources: list[SourceRef] = field(default_factory=list)  # the first articles', to show by title


@dataclass
class PassageResult:
    text: str  # the matching passage
    source: SourceRef
    highlights: list[tuple[int, int]] = field(default_factory=list)  # [start, end) in text
    kind: str = "source"


Result = QuoteResult | FigureResult | PersonResult | PassageResult


@dataclass
class Answer:
    """One answer to one thing a user typed."""

    ask: str
    command: str  # quote, figure, who, source, help, digest, search
    query: str
    results: list[Result] = field(default_factory=list)
    message: str | None = None  # why an answer is empty or partial, in a sentence
    total: int = 0  # how many results there are in all (results may be one page)
    offset: int = 0
    error: bool = False

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.results) < self.total

    def to_dict(self) -> dict[str, Any]:
        d = {"ask": self.ask, "command": self.command, "query": self.query, "message": self.message,
             "results": [_result_dict(r) for r in self.results]}
        if self.total > len(self.results) + self.offset or self.offset:
            d["total"], d["offset"] = self.total, self.offset
        return d


def _result_dict(r: Result) -> dict[str, Any]:
    """The result as JSON-ready dicts, "kind" first. By hand rather than dataclasses.asdict,
    which deep-copies every value and took more time than the lookup itself."""
    out: dict[str, Any] = {"kind": r.kind}
    for name in _field_names(type(r)):
        v = getattr(r, name)
        if isinstance(v, SourceRef | Speaker):
            v = _source_dict(v)
        elif isinstance(v, list):
            v = [list(x) if isinstance(x, tuple) else _source_dict(x) if isinstance(x, SourceRef) else x for x in v]
        out[name] = v
    if isinstance(r, FigureResult):
        out["figure_kind"] = out.pop("figure_kind")
    return out


def _source_dict(v: SourceRef | Speaker) -> dict[str, Any]:
    return {n: getattr(v, n) for n in _field_names(type(v))}


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name != "kind")
