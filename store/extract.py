"""What extraction finds in one article, and the one call that finds it all.

Extraction is pure: paragraphs in, dataclasses out, no database. Ingest writes the
results; tests and the benchmark call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store.sources import Paragraph

# Which extraction wrote an article's rows (articles.extracted_by). Raise it whenever a change
# to extraction (store.people, store.quotes, store.figures, or how store.ingest turns what they
# find into names and people) changes what a store holds: an index run reads an article
# written by an older one again even if its file is unchanged, so a store mends on upgrade
# instead of keeping, say, two people joined by a bug that is fixed. Stores written before
# this was kept have none (NULL), which counts as older.
#   2: no English given name as an alias of a Chinese name in pinyin (two people joined on it);
#      a transliteration jieba cuts short before a speech verb is a speaker; names found are no
#      longer taught to jieba (one article's name leaked into the next ones' reading)
#   3: a Chinese family name in pinyin (Ma: 马云, Jack Ma; 马化腾, Pony Ma) joins no people
#   4: an English surname right before a Han word is the person (Nadella还表示), not an organisation
#   5: roles run through an organisation jieba took for a name (谷歌联合创始人), and come from the
#      name's first occurrence when the scan took it for no mention (德国经济部顾问加里利在…)
#   6: a name jieba guessed that the article uses as an organisation's is no person (祝融数据技术公司,
#      高通的业务)
#   7: a surname and a rare word that is all the rest of the name open a clause as a person
#      (王|文峰 表示)
#   8: what someone told someone (塞克斯告诉福克斯新闻,……) is their indirect quote
VERSION = 8


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
