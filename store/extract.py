"""What extraction finds in one article, and the one call that finds it all.

Extraction is pure: paragraphs in, dataclasses out, no database. Ingest writes the
results; tests and the benchmark call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store.sources import Paragraph


@dataclass
class PersonFound:
    """A named human being in one article."""

    name: str  # the short form the article uses most, Simplified script
    full_name: str  # the longest form, Simplified script
    name_en: str | None = None  # only where the text itself gives it
    role: str | None = None  # the role at first mention, Simplified script
    aliases: list[str] = field(default_factory=list)  # every other form, any script
    paragraphs: list[int] = field(default_factory=list)
    minor: bool = False  # photo credits, editors, names in passing


@dataclass
class QuoteFound:
    paragraph: int
    start: int  # offsets into the paragraph's original text
    end: int
    text: str  # exactly as in the article, without the quotation marks
    kind: str  # "direct" or "indirect"
    speaker: str  # person's name, organisation, or group names joined by 、 (Simplified)
    speaker_type: str  # "person", "org" or "group"
    role: str | None = None


@dataclass
class FigureFound:
    paragraph: int
    start: int
    end: int
    raw: str  # exactly as written
    kind: str  # money, percent, count, ratio, multiple, duration, age, length, quantity
    value: float  # base units: 五千亿美元 → 5e11, 17% → 17, 三十分之一 → 0.0333
    value_max: float | None
    unit: str | None  # ISO currency, %, or the counted noun (块, 名, 个国家, 个月)
    qualifier: str  # exact, approx, over, under, range
    subject: str  # what it measures, a few Simplified words
    context: str  # the sentence it stands in, original text
    core: bool = True


@dataclass
class Extraction:
    people: list[PersonFound]
    quotes: list[QuoteFound]
    figures: list[FigureFound]


def extract(paragraphs: list[Paragraph]) -> Extraction:
    """People first (quotes need them to name speakers), then quotes, then figures."""
    from store.figures import find_figures
    from store.people import find_people
    from store.quotes import find_quotes

    people = find_people(paragraphs)
    quotes = find_quotes(paragraphs, people)
    figures = find_figures(paragraphs)
    return Extraction(people, quotes, figures)
