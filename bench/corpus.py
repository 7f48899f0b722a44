"""Deterministic synthetic corpus for the benchmark: articles, their sources and answer keys.

`generate(n, seed, out_dir)` writes n articles shaped like the seeds (news prose, 3–12 KB,
about 40% in Traditional script) with new people, quotes and figures, and for each article
an answer key in the shape of tests/gold.json (people, quotes, figures). `queries(corpus, k,
seed)` samples benchmark questions whose expected answers come from those keys, chosen so
that a correct answer can be among the first five results.

Layout of out_dir:
    {id}.txt        one article (id like g1_000042)
    sources.toml    title/outlet/published/url/script per article, tables keyed by id
    answers.jsonl   one answer key per line, in id order

Same (n, seed) gives the same bytes: each article draws from its own random.Random seeded
with a string (seeded through SHA-512, not hash()), nothing reads the clock, and every
collection that is iterated is a tuple or list.

    python -m bench.corpus --n 1000 --seed 1 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Indel

from bench import vocab as V

HANT_SHARE = 0.4
MIN_BYTES = 3300
MAX_BYTES = 10800  # target; the last paragraph may add up to ~700 bytes (limit 12 KB)
POOL_SIZE = 400  # recurring people shared by articles of one corpus

_CN_DIGITS = "零一二三四五六七八九"


# --- numbers ----------------------------------------------------------------------------------


def cn_int(n: int, liang: bool = True) -> str:
    """1..99999999 in Chinese numerals: 5000 → 五千, 15 → 十五, 2000 → 两千."""
    if n <= 0:
        raise ValueError(n)
    if n == 2 and liang:
        return "两"
    if n >= 10000:
        hi, lo = divmod(n, 10000)
        head = cn_int(hi, liang) + "万"
        if not lo:
            return head
        return head + ("零" if lo < 1000 else "") + cn_int(lo, False)
    out = []
    zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit_value)
        if d:
            if zero and out:
                out.append("零")
            zero = False
            if d == 2 and liang and not out and unit in ("千", "百"):
                out.append("两")
            elif d == 1 and unit == "十" and not out:
                pass  # 十五, not 一十五
            else:
                out.append(_CN_DIGITS[d])
            out.append(unit)
        elif out:
            zero = True
    return "".join(out)


def _round_number(n: int) -> bool:
    """At most two significant digits (5000, 270, 12): the numbers written in Chinese numerals."""
    while n and n % 10 == 0:
        n //= 10
    return 0 < n < 100


def _num(value: float) -> int | float:
    """A JSON-friendly number: an int where the value is whole."""
    r = round(value, 6)
    return int(r) if r == int(r) else r


def _fmt_tenths(tenths: int) -> str:
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


@dataclass
class Fig:
    raw: str  # the figure as written (Simplified); qualifier words inside it stay inside
    pre: str  # qualifier written before it, not part of raw (约, 超过, 不到)
    kind: str
    value: int | float
    value_max: int | float | None
    unit: str | None
    qualifier: str


_CURRENCIES = (("美元", "USD"), ("美元", "USD"), ("欧元", "EUR"), ("元", "CNY"), ("元人民币", "CNY"))
_MAGS = (("万", 10**4), ("亿", 10**8), ("亿", 10**8), ("万亿", 10**12))


def _qualify(rng: random.Random, fig_num: str, tail: str, value, kind: str, unit,
             allow_infix: bool) -> Fig:
    """Wrap a written amount in a qualifier: 约X, X左右, 超过X, X多…, X以上, 不到X, X以下."""
    r = rng.random()
    if r < 0.55:
        return Fig(fig_num + tail, "", kind, value, None, unit, "exact")
    if r < 0.7:
        if rng.random() < 0.7:
            return Fig(fig_num + tail, rng.choice(("约", "大约", "大概", "将近")), kind, value, None,
                       unit, "approx")
        return Fig(fig_num + tail + "左右", "", kind, value, None, unit, "approx")
    if r < 0.87:
        c = rng.random()
        if allow_infix and c < 0.35:
            return Fig(fig_num + rng.choice(("多", "余")) + tail, "", kind, value, None, unit, "over")
        if c < 0.75:
            return Fig(fig_num + tail, rng.choice(("超过", "逾", "超")), kind, value, None, unit, "over")
        return Fig(fig_num + tail + "以上", "", kind, value, None, unit, "over")
    if rng.random() < 0.6:
        return Fig(fig_num + tail, rng.choice(("不到", "低于", "不足")), kind, value, None, unit, "under")
    return Fig(fig_num + tail + "以下", "", kind, value, None, unit, "under")


def money(rng: random.Random) -> Fig:
    cur, code = rng.choice(_CURRENCIES)
    mag_word, mag = rng.choice(_MAGS)
    if mag == 10**12:
        tenths = rng.randint(11, 99)
    elif rng.random() < 0.5:
        tenths = rng.choice((1, 2, 3, 5, 6, 8)) * 10 ** rng.randint(1, 4)
    else:
        tenths = rng.randint(11, 9999)
    if mag == 10**4 and tenths < 1000:  # 560万, not 3万: amounts in the news are not small change
        tenths *= 100
    r = rng.random()
    if r < 0.12:  # 数百万美元, 数十亿欧元
        word, lo, hi = rng.choice((("数百", 200, 900), ("数十", 20, 90), ("数千", 2000, 9000)))
        m = 10**4 if mag_word == "万" else 10**8
        return Fig(f"{word}{mag_word if mag_word != '万亿' else '亿'}{cur}", "", "money", lo * m, hi * m,
                   code, "range")
    if r < 0.22:  # 300亿至500亿美元, 3至5亿欧元
        if mag == 10**12:
            mag_word, mag = "亿", 10**8
        a = rng.randint(1, 40) * 10 ** rng.randint(0, 2) * (100 if mag == 10**4 else 1)
        b = a + rng.randint(1, 5) * 10 ** (len(str(a)) - 1)
        if rng.random() < 0.5:
            raw = f"{a}{mag_word}至{b}{mag_word}{cur}"
        else:
            raw = f"{a}{rng.choice(('至', '到'))}{b}{mag_word}{cur}"
        return Fig(raw, "", "money", a * mag, b * mag, code, "range")
    value = tenths * mag // 10
    if tenths % 10 == 0 and _round_number(tenths // 10) and rng.random() < 0.5 and tenths // 10 < 10000:
        written = cn_int(tenths // 10)  # 五千亿美元
    else:
        written = _fmt_tenths(tenths)
    return _qualify(rng, written, mag_word + cur, value, "money", code,
                    allow_infix=tenths % 10 == 0 and mag_word != "万亿")


def percent(rng: random.Random) -> Fig:
    tenths = rng.randint(5, 990) if rng.random() < 0.35 else rng.randint(1, 99) * 10
    v = tenths / 10
    if rng.random() < 0.1:
        a = rng.randint(1, 40)
        b = a + rng.randint(2, 15)
        return Fig(f"{a}%至{b}%", "", "percent", a, b, "%", "range")
    if tenths % 10 == 0 and rng.random() < 0.15:
        written = "百分之" + cn_int(tenths // 10, liang=False)
        return _qualify(rng, written, "", _num(v), "percent", "%", allow_infix=False)
    return _qualify(rng, _fmt_tenths(tenths) + "%", "", _num(v), "percent", "%", allow_infix=False)


def count(rng: random.Random, word: str) -> Fig:
    r = rng.random()
    if r < 0.12:
        a = rng.randint(2, 30)
        b = a + rng.randint(1, 10)
        return Fig(f"{a}{rng.choice(('至', '到'))}{b}{word}", "", "count", a, b, word, "range")
    if r < 0.3:
        n = rng.randint(2, 99)
        return _qualify(rng, cn_int(n), word, n, "count", word, allow_infix=n % 10 == 0 and n > 10)
    if r < 0.5:
        tenths = rng.randint(11, 99)
        return _qualify(rng, _fmt_tenths(tenths) + "万", word, tenths * 1000, "count", word,
                        allow_infix=tenths % 10 == 0)
    n = rng.choice((rng.randint(3, 999), rng.randint(1, 9) * 10 ** rng.randint(1, 3)))
    return _qualify(rng, str(n), word, n, "count", word, allow_infix=n % 10 == 0)


def duration(rng: random.Random, word: str) -> Fig:
    r = rng.random()
    if r < 0.3:
        a = rng.randint(1, 8)
        b = a + rng.randint(1, 4)
        return Fig(f"{a}{rng.choice(('至', '到'))}{b}{word}", "", "duration", a, b, word, "range")
    if r < 0.4 and word == "年":
        a = rng.randint(2, 8)
        return Fig(f"{cn_int(a)}{cn_int(a + 1)}年", "", "duration", a, a + 1, word, "range")
    n = rng.randint(2, 36 if word != "年" else 12)
    written = cn_int(n) if rng.random() < 0.5 else str(n)
    return _qualify(rng, written, word, n, "duration", word, allow_infix=False)


def multiple(rng: random.Random) -> Fig:
    n = rng.randint(2, 12)
    written = cn_int(n) if rng.random() < 0.6 else str(n)
    return _qualify(rng, written, "倍", n, "multiple", "倍", allow_infix=False)


def ratio(rng: random.Random) -> Fig:
    n = rng.choice((3, 4, 5, 6, 8, 10, 20, 30, 50, 100))
    return Fig(f"{cn_int(n, liang=False)}分之一", "", "ratio", _num(1 / n), None, None, "exact")


# --- people -----------------------------------------------------------------------------------


@dataclass
class Person:
    short: str  # the form used after the first mention, Simplified
    full: str  # with the given name, Simplified (may equal short)
    en: str | None
    gender: str
    role: str | None
    pid: str = ""  # stable identity: the same person in several articles has one pid


def _pinyin_name(surname: str, given: str) -> str:
    from pypinyin import lazy_pinyin

    s = "".join(lazy_pinyin(surname)).capitalize()
    g = "".join(lazy_pinyin(given)).capitalize()
    return f"{s} {g}"


def _role(rng: random.Random, companies: list[str]) -> str:
    r = rng.random()
    if r < 0.35:
        return rng.choice(V.UNIVERSITIES) + rng.choice(V.DEPARTMENTS) + rng.choice(V.TITLES_ACADEMIC)
    if r < 0.55:
        return rng.choice(V.THINK_TANKS) + rng.choice(V.TITLES_ACADEMIC)
    if r < 0.88:
        return (rng.choice(companies) if companies and rng.random() < 0.6 else rng.choice(V.BIG_COMPANIES)) + \
            rng.choice(V.TITLES_BUSINESS)
    return rng.choice(V.GOV_BODIES) + rng.choice(V.TITLES_GOV)


def new_person(rng: random.Random, companies: list[str]) -> Person:
    if rng.random() < 0.6:
        first_en, first_zh, gender = rng.choice(V.EN_FIRST)
        h_en, h_zh = rng.choice(V.EN_HEAD)
        mid = rng.choice(V.EN_MID) if rng.random() < 0.35 else ("", "")
        t_en, t_zh = rng.choice(V.EN_TAIL)
        sur_en = h_en + mid[0] + t_en
        sur_zh = h_zh + mid[1] + t_zh
        return Person(sur_zh, f"{first_zh}·{sur_zh}", f"{first_en} {sur_en}", gender,
                      _role(rng, companies))
    surname = rng.choice(V.CN_SURNAMES)
    gender = rng.choice("mf")
    chars = V.CN_GIVEN_M if gender == "m" else V.CN_GIVEN_F
    given = "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2, 2))))
    full = surname + given
    en = _pinyin_name(surname, given) if rng.random() < 0.25 else None
    return Person(full, full, en, gender, _role(rng, companies))


def new_company(rng: random.Random) -> str:
    return rng.choice(V.CO_HEAD) + rng.choice(V.CO_BODY) + rng.choice(V.CO_TYPE)


@lru_cache(maxsize=4)
def people_pool(seed: int) -> tuple[Person, ...]:
    """Recurring people of one corpus: the same names and roles turn up in several articles."""
    rng = random.Random(f"citebot-bench:{seed}:pool")
    companies = [new_company(rng) for _ in range(60)]
    seen: set[str] = set()
    out = []
    while len(out) < POOL_SIZE:
        p = new_person(rng, companies)
        if p.short not in seen:
            seen.add(p.short)
            p.pid = f"p{seed}_{len(out):04d}"
            out.append(p)
    return tuple(out)


# --- one article ------------------------------------------------------------------------------


class _Doc:
    """Text built from parts; spans are (first part, end part) so they survive conversion."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.nbytes = 0

    def add(self, s: str) -> tuple[int, int]:
        self.parts.append(s)
        self.nbytes += len(s.encode("utf-8"))
        return len(self.parts) - 1, len(self.parts)

    def mark(self) -> int:
        return len(self.parts)


@dataclass
class _PersonKey:
    person: Person
    first_span: tuple[int, int] | None = None  # the name as first written
    short_span: tuple[int, int] | None = None  # the short name, wherever written first
    role: str | None = None
    en_given: bool = False
    minor: bool = False


@dataclass
class Article:
    id: str
    script: str
    text: str
    meta: dict
    answer: dict


@dataclass
class _Ctx:
    rng: random.Random
    doc: _Doc
    field: str
    field2: str
    country: str
    country2: str
    companies: list[str]
    project: str
    people: list[_PersonKey] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)  # (speaker, speaker_type, kind, span)
    figures: list[tuple] = field(default_factory=list)  # (Fig, subject, core, span)
    subjects: set[str] = field(default_factory=set)
    decks: dict[str, list] = field(default_factory=dict)

    def draw(self, name: str, items: tuple) -> str:
        """The next item of a shuffled deck, so an article repeats a phrase only once all are used."""
        deck = self.decks.get(name)
        if not deck:
            deck = self.decks[name] = self.rng.sample(items, len(items))
        return deck.pop()

    def fill(self, s: str, inner: bool = False) -> str:
        """Fill a template's slots; inner=True inside a quotation (single quotation marks)."""
        rng = self.rng
        if "{" not in s:
            return s
        return s.format(field=rng.choice((self.field, self.field, self.field2)),
                        country=self.country, country2=self.country2,
                        org=rng.choice(self.companies),
                        project=f"‘{self.project}’" if inner else f"“{self.project}”",
                        e=rng.choice(self.companies), year=rng.randint(2019, 2025))


def _date_prefix(rng: random.Random) -> str:
    return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，" if rng.random() < 0.25 else ""


def _figure_sentence(ctx: _Ctx, entity: str | None = None, end: str = "。") -> None:
    """One sentence stating a figure about an entity; the figure and its subject go to the key."""
    rng = ctx.rng
    e = entity or rng.choice(ctx.companies)
    r = rng.random()
    if r < 0.4:
        measure, tmpls = rng.choice(V.MONEY_MEASURES)
        fig, tail = money(rng), ""
    elif r < 0.62:
        measure, tmpls = rng.choice(V.PERCENT_MEASURES)
        fig, tail = percent(rng), ""
    elif r < 0.84:
        measure, word, noun, tmpls = rng.choice(V.COUNT_MEASURES)
        fig, tail = count(rng, word), ""  # the template writes the noun
    elif r < 0.93:
        measure, word, tmpls = rng.choice(V.DURATION_MEASURES)
        fig, tail = duration(rng, word), ""
    elif r < 0.97:
        measure, tmpls = rng.choice(V.MULTIPLE_MEASURES)
        fig, tail = multiple(rng), ""
    else:
        measure, tmpls = rng.choice(V.RATIO_MEASURES)
        fig, tail = ratio(rng), ""
    before, after = rng.choice(tmpls).split("{f}")
    if after.endswith("。"):
        after = after[:-1]
    subject = e + measure
    if subject in ctx.subjects:  # one figure per subject and article, so a subject query is exact
        e = new_company(rng)
        subject = e + measure
    ctx.subjects.add(subject)
    if fig.pre and before.endswith(("仅", "只")):  # not 仅超过
        before = before[:-1]
    before = before.replace("{e}", e)
    after = after.replace("{e}", e)
    ctx.doc.add(ctx.fill(before) + fig.pre)
    span = ctx.doc.add(fig.raw)
    ctx.doc.add(tail + ctx.fill(after) + end)
    ctx.figures.append((fig, subject, True, span))


def _direct_text(ctx: _Ctx) -> str:
    rng = ctx.rng
    n = rng.choice((1, 1, 2, 2, 3))
    clauses = [ctx.fill(ctx.draw("direct", V.DIRECT_CLAUSES), inner=True) for _ in range(n)]
    out = clauses[0]
    for c in clauses[1:]:
        out += rng.choice(("，", "。", "，而且")) + c
    if rng.random() < 0.3:
        out += "，" + ctx.draw("tail", V.DIRECT_TAILS)
    return out


def _indirect_text(ctx: _Ctx) -> str:
    return ctx.fill(ctx.draw("indirect", V.INDIRECT_CLAIMS))


def _mention(ctx: _Ctx, pk: _PersonKey, first: bool) -> None:
    """Write the person's name: full introduction at the first mention, short name after."""
    doc, rng, p = ctx.doc, ctx.rng, pk.person
    if not first:
        span = doc.add(p.short)
        if pk.short_span is None:
            pk.short_span = span
        return
    if p.role and rng.random() < 0.9:
        doc.add(p.role)
        pk.role = p.role
    use_full = p.full != p.short and (p.en is None or rng.random() < 0.6)
    span = doc.add(p.full if use_full else p.short)
    pk.first_span = span
    if not use_full:
        pk.short_span = span
    if p.en and rng.random() < 0.75:
        doc.add(f"（{p.en}）")
        pk.en_given = True


def _quote_direct(ctx: _Ctx, pk: _PersonKey, first: bool, pronoun: bool) -> None:
    doc, rng = ctx.doc, ctx.rng
    text = _direct_text(ctx)
    who = ("他" if pk.person.gender == "m" else "她")
    if rng.random() < 0.5:
        if pronoun:
            doc.add(who)
        else:
            _mention(ctx, pk, first)
            if rng.random() < 0.3:
                doc.add(_setting(rng))
        doc.add(rng.choice(V.SPEECH_DIRECT_BEFORE) + "：“")
        span = doc.add(text)
        doc.add("。”")
    else:
        doc.add("“")
        span = doc.add(text)
        doc.add("。”" if rng.random() < 0.5 else "”，")
        if pronoun:
            doc.add(who)
        else:
            _mention(ctx, pk, first)
        doc.add(rng.choice(("说", "表示", "指出", "补充说")) + "。")
    ctx.quotes.append((pk.person.short, "person", "direct", span))


def _setting(rng: random.Random) -> str:
    s = rng.choice(V.SPEECH_SETTINGS)
    if "{" in s:
        s = s.format(agency=rng.choice(V.NEWS_AGENCIES), city=rng.choice(V.CITIES), event=rng.choice(V.EVENTS))
    return s


def _quote_indirect(ctx: _Ctx, pk: _PersonKey, first: bool, with_figure: bool) -> None:
    doc, rng = ctx.doc, ctx.rng
    _mention(ctx, pk, first)
    if not first and rng.random() < 0.3:
        doc.add("还")
    elif rng.random() < 0.25:
        doc.add(_setting(rng))
    doc.add(rng.choice(V.SPEECH_INDIRECT) + "，")
    start = doc.mark()
    if with_figure:
        _figure_sentence(ctx, end="")
    else:
        doc.add(_indirect_text(ctx))
    end = doc.mark()
    doc.add("。")
    ctx.quotes.append((pk.person.short, "person", "indirect", (start, end)))


def _person_block(ctx: _Ctx, pk: _PersonKey) -> None:
    rng = ctx.rng
    first = pk.first_span is None
    ctx.doc.add(_date_prefix(rng))
    if rng.random() < 0.55:
        _quote_direct(ctx, pk, first, pronoun=False)
    else:
        _quote_indirect(ctx, pk, first, with_figure=rng.random() < 0.2)
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        r = rng.random()
        if r < 0.45:
            _quote_direct(ctx, pk, False, pronoun=rng.random() < 0.6)
        elif r < 0.85:
            _quote_indirect(ctx, pk, False, with_figure=rng.random() < 0.3)
        elif first and pk.person.en and not any(f[1] == pk.person.short + "年龄" for f in ctx.figures):
            age = rng.randint(31, 78)
            _mention(ctx, pk, False)
            ctx.doc.add("今年")
            span = ctx.doc.add(f"{cn_int(age) if rng.random() < 0.5 else age}岁")
            ctx.doc.add("，长期关注" + ctx.field + "产业。")
            ctx.figures.append((Fig(ctx.doc.parts[span[0]], "", "age", age, None, "岁", "exact"),
                                pk.person.short + "年龄", False, span))
        else:
            ctx.doc.add(ctx.fill(ctx.draw("filler", V.FILLER)))


def _org_block(ctx: _Ctx) -> None:
    rng = ctx.rng
    agency = rng.choice(V.NEWS_AGENCIES)
    ctx.doc.add(_date_prefix(rng) + "据" + agency + rng.choice(("报道", "援引知情人士报道", "报道称")) + "，")
    start = ctx.doc.mark()
    _figure_sentence(ctx, end="")
    end = ctx.doc.mark()
    ctx.doc.add("。")
    speaker = agency.replace("《", "").replace("》", "")
    ctx.quotes.append((speaker, "org", "indirect", (start, end)))


def _filler(ctx: _Ctx, k: int) -> None:
    for _ in range(k):
        ctx.doc.add(ctx.fill(ctx.draw("filler", V.FILLER)))


_HALF = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")"})
_ASCII_Q = str.maketrans({"“": '"', "”": '"'})
_CORNER_Q = str.maketrans({"“": "「", "”": "」"})
_KATAKANA_DOT = str.maketrans({"·": "・"})


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def make_article(seed: int, i: int) -> Article:
    """Article i of the corpus for seed: text, source metadata and answer key."""
    aid = f"g{seed}_{i:06d}"
    rng = random.Random(f"citebot-bench:{seed}:{i}")
    script = "hant" if rng.random() < HANT_SHARE else "hans"
    companies = [new_company(rng) for _ in range(rng.randint(3, 5))] + [rng.choice(V.BIG_COMPANIES)]
    countries = rng.sample(V.COUNTRIES, 2)
    fields = rng.sample(V.FIELDS, 2)
    project = "".join(rng.sample(V.PROJECT_HEAD, 2))
    project_full = project + rng.choice(V.PROJECT_TAIL)
    model = f"{rng.choice(V.MODEL_NAMES)}-{rng.randint(2, 9)}"
    doc = _Doc()
    ctx = _Ctx(rng, doc, fields[0], fields[1], countries[0], countries[1], companies, project_full)

    pool = people_pool(seed)
    main = [new_person(rng, companies) for _ in range(rng.randint(2, 5))]
    for k, p in enumerate(main):
        p.pid = f"{aid}_{k}"
    if rng.random() < 0.35:
        main.insert(rng.randint(0, len(main)), rng.choice(pool))
    seen: set[str] = set()
    for p in main:
        if p.short not in seen:  # one person per short name within an article
            seen.add(p.short)
            ctx.people.append(_PersonKey(p))
    outlet = rng.choice(V.OUTLETS)
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    sep = "\n\n" if rng.random() < 0.6 else "\n"

    title = ctx.fill(rng.choice(V.TITLES))
    has_title = rng.random() < 0.8
    if has_title:
        doc.add(title + sep)
    if rng.random() < 0.3:
        doc.add(f"来源：{outlet}{sep}")
    if rng.random() < 0.25:  # reporter credit: a minor person
        rep = rng.choice(V.CN_SURNAMES) + "".join(rng.choice(V.CN_GIVEN_M + V.CN_GIVEN_F)
                                                   for _ in range(rng.choice((1, 2, 2))))
        rk = _PersonKey(Person(rep, rep, None, "m", "记者", f"{aid}_r"), minor=True, role="记者")
        doc.add(f"【文/{outlet} ")
        rk.first_span = rk.short_span = doc.add(rep)
        doc.add("】")
        if rep not in seen:
            seen.add(rep)
            ctx.people.append(rk)
    # lead: context and the project name in quotation marks (a term, not a quote)
    doc.add(ctx.fill(ctx.draw("filler", V.FILLER)))
    doc.add(f"{ctx.field}领域近来备受关注的“{project_full}”由{companies[0]}牵头，其核心产品{model}已进入测试阶段。")
    _figure_sentence(ctx, companies[0])
    doc.add(sep)

    order = [pk for pk in ctx.people if not pk.minor]
    blocks = 0
    last = ""
    while doc.nbytes < target or blocks < 4:
        r = rng.random()
        if order and (r < 0.33 or blocks == 0):
            pk = order[0] if blocks == 0 else rng.choice(order)
            if rng.random() < 0.4:
                _filler(ctx, 1)
            _person_block(ctx, pk)
            kind = "person"
        elif r < 0.58:
            _filler(ctx, rng.randint(0, 1))
            _figure_sentence(ctx)
            if rng.random() < 0.5:
                _figure_sentence(ctx)
            _filler(ctx, rng.randint(0, 2))
            kind = "figure"
        elif r < 0.7:
            _org_block(ctx)
            _filler(ctx, rng.randint(0, 2))
            kind = "org"
        elif r < 0.78 and last not in ("heading", ""):
            doc.add(ctx.fill(rng.choice(V.HEADINGS)))
            kind = "heading"
        else:
            _filler(ctx, rng.randint(2, 4))
            kind = "filler"
        doc.add(sep)
        blocks += 1
        last = kind
        if doc.nbytes > MAX_BYTES + 300:
            break
    if doc.parts[-1] == sep:
        doc.parts[-1] = "\n"

    # style: punctuation width, quotation marks, name separator, then script
    text = "".join(doc.parts)
    style = []
    if rng.random() < 0.4:
        style.append(_HALF)
    q = rng.random()
    if script == "hant" and q < 0.5:
        style.append(_CORNER_Q)
    elif script == "hans" and q < 0.25:
        style.append(_ASCII_Q)
    if rng.random() < 0.15:
        style.append(_KATAKANA_DOT)
    parts = doc.parts
    if style:
        for t in style:
            text = text.translate(t)
        parts = []
        pos = 0
        for p in doc.parts:
            parts.append(text[pos:pos + len(p)])
            pos += len(p)
    simp_parts = parts
    if script == "hant":
        conv = _s2t().convert(text)
        if len(conv) == len(text):
            out_parts, pos = [], 0
            for p in parts:
                out_parts.append(conv[pos:pos + len(p)])
                pos += len(p)
        else:  # a phrase rule changed a length: convert part by part so spans stay exact
            out_parts = [_s2t().convert(p) for p in parts]
            conv = "".join(out_parts)
        text, parts = conv, out_parts

    def sl(span, src=parts) -> str:
        return "".join(src[span[0]:span[1]])

    people = []
    for pk in ctx.people:
        if pk.first_span is None:
            continue
        p = pk.person
        name = p.short
        full = sl(pk.first_span, simp_parts)  # the longest form written: full name, or short
        forms = []
        if full != name and script == "hans":
            forms.append(full)
        for span in (pk.first_span, pk.short_span):
            if span is not None and script == "hant":
                forms.append(sl(span))
        if pk.en_given:
            forms.append(p.en)
        aliases = []
        for f in forms:
            if f != name and f not in aliases:
                aliases.append(f)
        people.append({"pid": p.pid, "name": name, "full_name": full, "name_en": p.en if pk.en_given else None,
                       "role": pk.role, "aliases": aliases, "minor": pk.minor})
    quotes = [{"speaker": sp, "speaker_type": st, "kind": kind, "text": sl(span)}
              for sp, st, kind, span in ctx.quotes]
    figures = [{"raw": sl(span), "kind": fig.kind, "value": fig.value, "value_max": fig.value_max,
                "unit": fig.unit, "qualifier": fig.qualifier, "subject": subject, "core": core}
               for fig, subject, core, span in ctx.figures]
    t_title = title if script == "hans" else _s2t().convert(title)
    t_outlet = outlet if script == "hans" else _s2t().convert(outlet)
    meta = {"title": t_title if has_title else None, "outlet": t_outlet, "published": published.isoformat(),
            "url": f"https://bench.invalid/{published:%Y/%m/%d}/{aid}.html", "script": script}
    terms = [project_full, model]
    answer = {"article": aid, "script": script, "people": people, "quotes": quotes, "figures": figures,
              "terms": terms}
    return Article(aid, script, text, meta, answer)


# --- the corpus -------------------------------------------------------------------------------


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _toml_table(a: Article) -> str:
    lines = [f'["{a.id}"]']
    for k in ("title", "outlet", "published", "url", "script"):
        v = a.meta.get(k)
        if v is not None:
            lines.append(f"{k} = {_toml_str(v)}")
    return "\n".join(lines) + "\n\n"


@dataclass
class Corpus:
    n: int
    seed: int
    out_dir: Path | None = None
    articles: list[Article] | None = None  # only when generated in memory (out_dir None)
    bytes_written: int = 0

    @property
    def ids(self) -> list[str]:
        return [f"g{self.seed}_{i:06d}" for i in range(self.n)]

    def iter_answers(self) -> Iterator[dict]:
        if self.articles is not None:
            for a in self.articles:
                yield a.answer
            return
        assert self.out_dir is not None
        with open(self.out_dir / "answers.jsonl", encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)

    def iter_texts(self) -> Iterator[tuple[str, str]]:
        if self.articles is not None:
            for a in self.articles:
                yield a.id, a.text
            return
        assert self.out_dir is not None
        for aid in self.ids:
            yield aid, (self.out_dir / f"{aid}.txt").read_text("utf-8")


def _render(job: tuple[int, int]) -> tuple[str, bytes, str, str]:
    """One article as the three things written for it: text bytes, sources table, answer line."""
    a = make_article(*job)
    return (a.id, a.text.encode("utf-8"), _toml_table(a),
            json.dumps(a.answer, ensure_ascii=False, separators=(",", ":")) + "\n")


BATCH = 1000  # articles rendered ahead of the writer: bounds memory whatever n is


def generate(n: int, seed: int = 0, out_dir: Path | None = None,
             progress: bool = False, workers: int = 1) -> Corpus:
    """Generate n articles. With out_dir, stream them to disk; otherwise keep them in memory.

    workers > 1 renders articles in that many processes; the bytes written are the same,
    since each article depends only on (seed, index).
    """
    if out_dir is None:
        return Corpus(n, seed, None, [make_article(seed, i) for i in range(n)])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(n, seed, out_dir)
    t0 = time.monotonic()
    header = (f"# Synthetic benchmark corpus: bench.corpus.generate(n={n}, seed={seed}).\n"
              "# Keys are the article files' names without \".txt\". Everything here is invented.\n\n")
    with open(out_dir / "sources.toml", "w", encoding="utf-8", newline="\n") as src, \
            open(out_dir / "answers.jsonl", "w", encoding="utf-8", newline="\n") as ans:
        src.write(header)
        pool = multiprocessing.Pool(workers) if workers > 1 else None
        try:
            done = 0
            for start in range(0, n, BATCH):
                jobs = [(seed, i) for i in range(start, min(n, start + BATCH))]
                rendered = pool.map(_render, jobs, chunksize=50) if pool else map(_render, jobs)
                for aid, data, table, line in rendered:
                    (out_dir / f"{aid}.txt").write_bytes(data)
                    corpus.bytes_written += len(data)
                    src.write(table)
                    ans.write(line)
                    done += 1
                    if progress and (done % 500 == 0 or done == n):
                        dt = time.monotonic() - t0
                        print(f"\r{done}/{n} articles, {corpus.bytes_written / 1e6:.1f} MB, "
                              f"{done / dt:.0f} articles/s", end="", file=sys.stderr, flush=True)
        finally:
            if pool:
                pool.close()
                pool.join()
    if progress:
        print(file=sys.stderr)
    return corpus


def load(out_dir: Path) -> Corpus:
    """A corpus written earlier by generate(), read back lazily."""
    out_dir = Path(out_dir)
    first = (out_dir / "sources.toml").open(encoding="utf-8").readline()
    n = int(first.split("n=")[1].split(",")[0])
    seed = int(first.split("seed=")[1].split(")")[0])
    return Corpus(n, seed, out_dir)


# --- queries ----------------------------------------------------------------------------------


def _hant(s: str) -> str:
    return _s2t().convert(s)


def _fig_query_forms(f: dict) -> list[str]:
    """How a user might type a figure's value: as written, and in other numeral styles."""
    raw, kind, qual = f["raw"], f["kind"], f["qualifier"]
    if f["value_max"] is not None:
        return [] if raw.startswith("数") else [raw]
    out = [raw] if qual == "exact" else []
    if kind == "money":
        cur = {"USD": "美元", "EUR": "欧元", "CNY": "元"}[f["unit"]]
        v = int(f["value"])
        for mag_word, mag in (("万亿", 10**12), ("亿", 10**8), ("万", 10**4)):
            if v % (mag // 10) == 0 and v >= mag:
                tenths = v // (mag // 10)
                out.append(f"{_fmt_tenths(tenths)}{mag_word}{cur}")
                if tenths % 10 == 0 and _round_number(tenths // 10) and tenths // 10 < 10000:
                    out.append(f"{cn_int(tenths // 10)}{mag_word}{cur}")
                break
    elif kind == "percent":
        out.append(f"{f['value']}%")
    return list(dict.fromkeys(out))


# Articles that may hold a /source question's term. Until the thirteenth round it was one:
# the generator's terms repeat, and at N=50,000 only 153 of 8,578 were in one article, which
# left 3 /source questions at that scale point (a p99 of 3 answers); 3,812 are in five or fewer.
SOURCE_ARTICLES = 5
# who_typo last: its pool's shuffle comes after the others', whose questions stay those chosen
# before it was added (less the last fifth of /who's).
QUERY_MIX = (("quote", 0.3), ("figure_subject", 0.2), ("figure_value", 0.15), ("who", 0.15), ("source", 0.15),
             ("who_typo", 0.05))
_EN_FIRST = frozenset(f[0] for f in V.EN_FIRST)  # a Western name's given names


def _western(p: dict) -> bool:
    """Whether a person's English name is a Western one (its last word the surname), not a
    Chinese name in pinyin (its last word the given name)."""
    return bool(p["name_en"]) and p["name_en"].split()[0] in _EN_FIRST


TYPO_SHARE = 0.25  # of sampled articles, those that offer a misspelt name (each costs one lookup to check)


def typo(word: str, rng: random.Random) -> str | None:
    """A misspelling of a Latin-script name, one a reader would still recognise: an inner letter
    dropped or doubled, or (in a name of 8 letters or more) two inner letters swapped."""
    if len(word) < 6 or not word.isalpha():
        return None
    kind = rng.choice(("drop", "double", "swap") if len(word) >= 8 else ("drop", "double"))
    i = rng.randrange(1, len(word) - 2)
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return None if word[i] == word[i + 1] else word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _person_forms(p: dict) -> list[str]:
    forms = [p["name"], p["full_name"], *p["aliases"]]
    if p["name_en"]:
        forms.append(p["name_en"].split()[-1])
    return forms


def _candidates(ans: dict, rng: random.Random) -> list[tuple[str, dict, list[tuple]]]:
    """Possible queries from one article: (type, query, checks). A check (counter, key, limit)
    holds when the corpus-wide count of key in that counter is at most limit."""
    aid, hant = ans["article"], ans["script"] == "hant"
    out: list[tuple[str, dict, list[tuple]]] = []
    people = {p["name"]: p for p in ans["people"]}
    person_quotes = [q for q in ans["quotes"] if q["speaker_type"] == "person"]
    for q in rng.sample(person_quotes, min(2, len(person_quotes))):
        sp = q["speaker"]
        p = people.get(sp)
        ask = rng.choice([sp, *(p["aliases"] if p else [])])
        out.append(("quote", {"ask": f"/quote {ask}",
                              "expect": {"kind": "quote", "text": q["text"], "article": aid}},
                    [("sp_art", sp, 1), ("sp_q", sp, 5), ("form", ask, 1)]))
    core = [f for f in ans["figures"] if f["core"]]
    for f in rng.sample(core, min(2, len(core))):
        for measure in _MEASURE_SUFFIXES:
            if f["subject"].endswith(measure):
                ask = f"{f['subject'][:-len(measure)]} {V.MEASURE_QUERY_WORDS[measure]}"
                if hant and rng.random() < 0.5:
                    ask = _hant(ask)
                out.append(("figure_subject", {"ask": f"/figure {ask}", "expect": {
                    "kind": "figure", "value": f["value"], "article": aid}}, [("subj", f["subject"], 1)]))
                break
    for f in rng.sample(ans["figures"], min(2, len(ans["figures"]))):
        forms = _fig_query_forms(f)
        if forms:
            # the article is expected only where no other article has the same value and unit
            out.append(("figure_value", {"ask": f"/figure {rng.choice(forms)}", "expect": {
                "kind": "figure", "value": f["value"], "article": aid}}, [("val", (f["value"], f["unit"]), None)]))
    major = [p for p in ans["people"] if not p["minor"]]
    for p in rng.sample(major, min(2, len(major))):
        forms = [p["name"], _hant(p["name"]), *p["aliases"]]
        if p["name_en"]:
            # a Western name's last word is the surname people are known by; a Chinese name's in
            # pinyin is the given name, which no one looks a person up by: the whole name instead
            # (in the same place, so the random draws stay the same)
            forms += [p["name_en"], p["name_en"].split()[-1] if _western(p) else p["name_en"]]
        ask = rng.choice(forms)
        out.append(("who", {"ask": f"/who {ask}", "expect": {"kind": "person", "name": p["name"]}},
                    [("form", p["name"], 1), ("form", ask, 1)]))
    # a misspelt Latin name, drawn from its own generator so the questions above are the same
    # with or without it; kept only if no other person has a name as close (the "near" count)
    trng = random.Random(f"typo:{aid}")
    named = [p for p in major if _western(p)]
    if named and trng.random() < TYPO_SHARE:
        p = trng.choice(named)
        full = p["name_en"]
        last = full.split()[-1]
        wrong = typo(last, trng)
        if wrong:
            right, ask = (full, full[: -len(last)] + wrong) if trng.random() < 0.5 else (last, wrong)
            d = Indel.distance(ask.lower(), right.lower())
            out.append(("who_typo", {"ask": f"/who {ask}", "expect": {"kind": "person", "name": p["name"]}},
                        [("near", (ask.lower(), p["pid"], d), 0)]))
    for t in ans.get("terms", []):
        if "-" not in t:  # model names (Orion-7) are shared by many articles
            ask = _hant(t) if hant and rng.random() < 0.5 else t
            out.append(("source", {"ask": f"/source {ask}", "expect": {"kind": "source", "article": aid}},
                        [("term", t, SOURCE_ARTICLES)]))
    return out


def queries(corpus: Corpus, k: int, seed: int = 0) -> list[dict]:
    """k benchmark queries with expected answers, in tests/gold.json's query shape.

    Every expected answer is one a perfect bot can rank in its first five results: a quote
    query names a speaker quoted in one article only (at most five times), a subject query a
    figure subject of one article only, a /who name belongs to one person only (a misspelt
    one: no other person has a Latin-script name as few letters from it), a /source phrase
    is a term of at most SOURCE_ARTICLES articles (/source gives each article's best passage
    first, so all of them fit in the first five). Candidates come from a sample of articles; one
    more pass over all answer keys counts only what those candidates need, so memory stays
    small whatever the corpus size.
    """
    rng = random.Random(f"citebot-bench-queries:{corpus.seed}:{seed}")
    chosen = set(rng.sample(range(corpus.n), min(corpus.n, max(50, 4 * k))))
    cands: list[tuple[str, dict, list[tuple]]] = []
    for idx, ans in enumerate(corpus.iter_answers()):
        if idx in chosen:
            cands.extend(_candidates(ans, rng))
    watch: dict[str, set] = defaultdict(set)
    for _, _, checks in cands:
        for counter, key, _limit in checks:
            watch[counter].add(key)
    counts: dict[str, Counter] = defaultdict(Counter)
    forms: dict[str, set[str]] = defaultdict(set)
    latin: dict[int, dict[str, set[str]]] = defaultdict(dict)  # Latin-script name forms by length: their people
    for ans in corpus.iter_answers():
        speakers = {q["speaker"] for q in ans["quotes"] if q["speaker_type"] == "person"}
        for sp in speakers & watch["sp_art"]:
            counts["sp_art"][sp] += 1
        for q in ans["quotes"]:
            if q["speaker"] in watch["sp_q"]:
                counts["sp_q"][q["speaker"]] += 1
        for p in ans["people"]:
            for f in _person_forms(p):
                if f in watch["form"] and len(forms[f]) < 2:
                    forms[f].add(p["pid"])
                if watch["near"] and f.isascii():
                    latin[len(f)].setdefault(f.lower(), set()).add(p["pid"])
        for subj in {f["subject"] for f in ans["figures"]} & watch["subj"]:
            counts["subj"][subj] += 1
        for key in {(f["value"], f["unit"]) for f in ans["figures"]} & watch["val"]:
            counts["val"][key] += 1
        for t in set(ans.get("terms", [])) & watch["term"]:
            counts["term"][t] += 1
    for f, pids in forms.items():
        counts["form"][f] = len(pids)
    for key, others in _near_people(latin, watch["near"]).items():
        counts["near"][key] = others

    by_type: dict[str, list[dict]] = defaultdict(list)
    seen_asks: set[str] = set()
    for t, q, checks in cands:
        if q["ask"] in seen_asks:
            continue
        ok = True
        for counter, key, limit in checks:
            if limit is None:  # figure values: keep the article only where the value is unique
                if counts[counter][key] > 1:
                    del q["expect"]["article"]
            elif counts[counter][key] > limit:
                ok = False
        if ok:
            seen_asks.add(q["ask"])
            by_type[t].append(q)
    out: list[dict] = []
    for t, share in QUERY_MIX:
        pool = by_type[t]
        rng.shuffle(pool)
        out += [{"type": t, **q} for q in pool[: max(1, round(k * share))]]
    rng.shuffle(out)
    return [{"id": f"b{j:04d}", "type": q["type"], "ask": q["ask"], "expect": q["expect"]}
            for j, q in enumerate(out[:k], 1)]


def _near_people(latin: dict[int, dict[str, set[str]]], watch: set[tuple[str, str, int]]) -> dict[tuple, int]:
    """For each misspelt name (lower case, the person meant, letters from their name): how many
    other people have a Latin-script name form (latin: by length, each form's people) within
    as many letters (Indel distance)."""
    choices = {n: list(forms) for n, forms in latin.items()}  # once, not once a misspelt name
    out = {}
    for ask, pid, d in watch:
        near: set[str] = set()
        for n in range(len(ask) - d, len(ask) + d + 1):
            for form, _score, _i in process.extract(ask, choices.get(n, []), scorer=Indel.distance,
                                                     score_cutoff=d, limit=None):
                near |= latin[n][form]
        out[(ask, pid, d)] = len(near - {pid})
    return out


_MEASURE_SUFFIXES = tuple(sorted(
    {m[0] for m in V.MONEY_MEASURES} | {m[0] for m in V.PERCENT_MEASURES} | {m[0] for m in V.COUNT_MEASURES}
    | {m[0] for m in V.DURATION_MEASURES} | {m[0] for m in V.MULTIPLE_MEASURES}
    | {m[0] for m in V.RATIO_MEASURES}, key=lambda s: (-len(s), s)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--queries", type=int, default=0, help="also write K queries to queries.json")
    ap.add_argument("--workers", type=int, default=1, help="processes rendering articles (same output)")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    corpus = generate(args.n, args.seed, args.out, progress=True, workers=args.workers)
    dt = time.monotonic() - t0
    print(f"wrote {args.n} articles ({corpus.bytes_written / 1e6:.1f} MB) to {args.out} in {dt:.1f}s: "
          f"{args.n / dt:.0f} articles/s, {corpus.bytes_written / 1e6 / dt:.1f} MB/s", file=sys.stderr)
    if args.queries:
        qs = queries(corpus, args.queries, args.seed)
        (args.out / "queries.json").write_text(json.dumps(qs, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"wrote {len(qs)} queries to {args.out / 'queries.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
