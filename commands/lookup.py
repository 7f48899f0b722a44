"""The lookups behind /quote, /figure, /who and /source, and free-text routing.

Each takes the query text and a Store and returns an Answer of result dataclasses; an
empty or partial answer carries a message a user understands and a next step to try.
"""

from __future__ import annotations

import re
from dataclasses import replace

from commands.help import usage_for
from commands.results import (
    Answer,
    FigureResult,
    PassageResult,
    PersonResult,
    QuoteResult,
    SourceRef,
    Speaker,
)
from store.figures import CURRENCIES, amount_holds, parse_amount
from store.search import ArticleRecord, FigureHit, PassageHit, PersonRecord, QuoteHit, Store
from store.text import fold, simplified, word_tokens

PAGE = 5
WHO_ARTICLES = 3  # articles /who names by title (the rest are counted)
SNIPPET = 160


def _articles(store: Store) -> str:
    n = store.article_count()
    return f"the {n} indexed article{'s' if n != 1 else ''}"


def source_ref(a: ArticleRecord, paragraph: int | None) -> SourceRef:
    return SourceRef(a.id, a.title, a.outlet, a.published, a.url, a.copy_url, paragraph)


def quote_result(q: QuoteHit) -> QuoteResult:
    return QuoteResult(q.text, q.kind, Speaker(q.speaker, q.role, q.speaker_type), source_ref(q.article, q.paragraph))


def figure_result(f: FigureHit) -> FigureResult:
    return FigureResult(f.raw, f.value, f.value_max, f.unit, f.qualifier, f.subject, f.context,
                        source_ref(f.article, f.paragraph), f.kind)


def person_result(p: PersonRecord) -> PersonResult:
    return PersonResult(p.name, p.name, p.full_name, p.name_en, p.role, p.aliases, p.articles, p.quotes)


def passage_result(p: PassageHit) -> PassageResult:
    text, spans = _snippet(p.text, p.highlights)
    return PassageResult(text, source_ref(p.article, p.paragraph), spans)


def _snippet(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """A window of the paragraph around its first match, offsets moved to match."""
    if len(text) <= SNIPPET or not spans:
        return text[: SNIPPET * 2], [s for s in spans if s[1] <= SNIPPET * 2]
    start = max(0, spans[0][0] - SNIPPET // 3)
    end = min(len(text), start + SNIPPET)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    moved = [(a - start + len(prefix), b - start + len(prefix)) for a, b in spans if a >= start and b <= end]
    return prefix + text[start:end] + suffix, moved


def said(query: str, limit: int = 60) -> str:
    """The user's words as a message repeats them: a long paste cut short."""
    return query if len(query) <= limit else query[: limit - 1] + "…"


def _try_source(query: str) -> str:
    """The next step a message offers, when the words are short enough to be typed again."""
    return f" — try /source {query}" if query == said(query) else ""


def _begin(command: str, query: str, offset: int, ask: str, prompt: str) -> Answer:
    """The answer a lookup fills in; with no query, one that teaches the command."""
    ans = Answer(ask or f"/{command} {query}", command, query, offset=offset)
    if not query:
        ans.message = f"{prompt} " + usage_for(command)
    return ans


def quote(store: Store, query: str, offset: int = 0, ask: str = "") -> Answer:
    ans = _begin("quote", query, offset, ask, "Whose quotes?")
    if not query:
        return ans
    match = store.match_names(query)
    if not match.exact:  # no one's name as written: an organisation's (/quote 彭博社), or a group's
        page = store.quotes_by_speaker(query, PAGE, offset)
        if page.total:
            ans.results, ans.total = [quote_result(q) for q in page.hits], page.total
            return ans
        if about := _person_and_words(store, query, offset):  # /quote 特朗普 警钟
            return _quotes_about(ans, *about)
    if match.person_ids:
        page = store.quotes_by_people(match.person_ids, PAGE, offset)
        ans.results, ans.total = [quote_result(q) for q in page.hits], page.total
        if not page.total or not match.exact:  # only then are the people's names needed
            names = "、".join(p.name for p in store.people(match.person_ids))
            ans.message = (f"No quotes by {names} in {_articles(store)}{_try_source(query)}." if not page.total
                           else f"Showing quotes by {names}, the closest name to “{said(query)}”.")
        return ans
    page = store.search_quotes(query, PAGE, offset)
    ans.results, ans.total = [quote_result(q) for q in page.hits], page.total
    if not page.total:
        ans.message = f"No quotes by or about {said(query)} in {_articles(store)}{_try_source(query)}."
    return ans


def _quotes_about(ans: Answer, names: str, words: str, page) -> Answer:
    """The answer of a name then words (_person_and_words): that person's quotes holding them."""
    ans.results, ans.total = [quote_result(q) for q in page.hits], page.total
    ans.message = f"Quotes by {names} with “{words}”."
    return ans


def _person_and_words(store: Store, query: str, offset: int):
    """(names, words, page) when the query is someone's name as written, then words their
    quotes hold: the longest name first. None otherwise."""
    terms = query.split()
    for cut in range(len(terms) - 1, 0, -1):
        who, words = " ".join(terms[:cut]), " ".join(terms[cut:])
        match = store.match_names(who, near=False)
        if match.exact:
            page = store.quotes_by_people_about(match.person_ids, words, PAGE, offset)
            if page.total:
                return "、".join(p.name for p in store.people(match.person_ids)), words, page
    return None


def figure(store: Store, query: str, offset: int = 0, ask: str = "") -> Answer:
    ans = _begin("figure", query, offset, ask, "Which figure?")
    if not query:
        return ans
    amount = parse_amount(query)
    page = store.figures_by_amount(amount, PAGE, offset) if amount else None
    if amount and amount.unit and not page.total:  # 50%: no figure of it; its digits in a sentence are none
        ans.message = f"No figures of {said(query)} in {_articles(store)}{_try_source(query)}."
        if amount.unit in CURRENCIES:  # 560万元 where the articles say 560万美元: the same sum in another currency
            for other in (c for c in CURRENCIES if c != amount.unit):
                page = store.figures_by_amount(replace(amount, unit=other), PAGE, offset)
                if page.hits and amount_holds(page.hits[0].value, page.hits[0].value_max, amount):
                    ans.results, ans.total = [figure_result(f) for f in page.hits], page.total
                    ans.message = f"No figures of {said(query)} in {amount.unit}; the same sum in {other} first:"
                    break
        return ans
    if not page or not page.total:
        amount, page = None, store.search_figures(query, PAGE, offset)  # its words, not its value
    ans.results, ans.total = [figure_result(f) for f in page.hits], page.total
    if not page.total:
        ans.message = f"No figures about {said(query)} in {_articles(store)}{_try_source(query)}."
    elif amount and not offset and page.hits and not amount_holds(page.hits[0].value, page.hits[0].value_max, amount):
        # figures of the amount itself come first: if the first is not one, none is
        ans.message = f"No figure is exactly {said(query)}; the closest:"
    return ans


def who(store: Store, query: str, offset: int = 0, ask: str = "") -> Answer:
    ans = _begin("who", query, offset, ask, "Who?")
    if not query:
        return ans
    people, exact = store.people_called(query, limit=PAGE)
    by_role = not people and store.people_with_role(query, limit=PAGE)  # 微软首席执行官是谁？
    people = people or by_role or []
    ans.results, ans.total = [person_result(p) for p in people], len(people)
    for r, p in zip(ans.results, people, strict=True):  # the articles by title, not by id
        r.sources = [source_ref(store.article(a), None) for a in p.articles[:WHO_ARTICLES]]
    if not people:
        ans.message = f"No one called {said(query)} in {_articles(store)}{_try_source(query)}."
    elif by_role:
        ans.message = f"No one is called {said(query)}; people whose role mentions it:"
    elif not exact:
        ans.message = f"No one called “{said(query)}”; the closest names are shown."
    return ans


def source(store: Store, query: str, offset: int = 0, ask: str = "") -> Answer:
    ans = _begin("source", query, offset, ask, "Sources about what?")
    if not query:
        return ans
    page = store.search_passages(query, PAGE, offset)
    ans.results, ans.total = [passage_result(p) for p in page.hits], page.total
    if not page.total:
        ans.message = f"Nothing about {said(query)} in {_articles(store)}."
    return ans


# -- free text -----------------------------------------------------------------------------
_WHO_SAID = re.compile(r"^\s*(谁说过?|谁讲过?|谁认为|谁表示|谁指出|谁称|who said|who says|who thinks)\s*", re.I)
_WHO_IS = re.compile(r"(是谁|是什么人|^\s*谁是|who is|who's|who was)", re.I)
_SOURCE = re.compile(r"(来源|出处|出自|链接|source|link|where .* from)", re.I)
_FIGURE = re.compile(r"(多少|几[个名块年%]|成本|金额|价格|美元|欧元|亿|万|百分|\d| 岁 |how much|how many|cost|price|percent)", re.I)
_AGE = re.compile(r"几岁|多少岁|多大年纪|多大岁数|年龄多大|年龄")
_SAID = re.compile(r"(说了什么|说过什么|说什么|怎么说|(?:怎么|怎样|如何)(?:看待?|评价)|的看法|的观点|says?|said|think)", re.I)
# Which articles mention it: sources. (彭博社报道了什么 is a question for /quote: no article word.)
_ABOUT = re.compile(r"(哪些|哪篇|什么)文章|哪里|哪儿|提到|提及|谈到|讲到")
STOPWORDS = {
    "的", "了", "是", "吗", "呢", "吧", "啊", "什么", "多少", "怎么", "怎样", "哪些", "哪个", "有", "和", "与",
    "说", "说过", "说了", "过", "谁", "是谁", "请问", "告诉", "我", "关于", "一下", "the", "a", "an", "of", "is",
    "was", "what", "who", "how", "much", "many", "did", "does", "do", "say", "said", "about", "from", "source",
    "link", "来源", "出处", "链接", "看法", "观点", "怎么说", "报道", "报导",
    "钱", "花", "花了", "用", "用了", "多大", "几", "如何", "怎么看", "认为",  # 训练花了多少钱: only 训练 is the subject
}


def keywords(text: str) -> str:
    """The words of a question that carry its subject, joined by spaces."""
    words = [w for w in word_tokens(fold(text)) if w not in STOPWORDS]
    return " ".join(words)


def search(store: Store, text: str, offset: int = 0, ask: str = "") -> Answer:
    """Free text, routed by what it contains (DESIGN.md, Commands). The patterns are read in
    Simplified script, so 納德拉說了什麼？ is routed as 纳德拉说了什么？ is."""
    ask = ask or text
    text = simplified(text)
    m = _WHO_SAID.match(text)
    if m:
        rest = re.sub(r"[“”\"'‘’「」『』?？。!！]", " ", text[m.end():]).strip()
        ans = quote(store, rest, offset, ask)
        words = keywords(rest)
        if not ans.total and words and words != rest:  # 谁说DeepSeek是警钟: the quote need not say 是
            ans = again if (again := quote(store, words, offset, ask)).total else ans
        if not ans.total and (about := combined(store, rest, offset, ask)).results:  # no quote: where it is said
            about.message = f"No quote holds “{said(rest)}”; what the articles say about it:"
            ans = about
        return _as(ans, ask)
    if _WHO_IS.search(text):
        ans = who(store, _strip(_WHO_IS.sub(" ", text)), offset, ask)
        if not ans.results and (found := combined(store, text, offset, ask)).results:  # 谁是DeepSeek的创始人？
            return _as(found, ask)
        return _as(ans, ask)
    if _SOURCE.search(text) or _ABOUT.search(text):  # 哪些文章提到小院高墙？ asks for the sources
        return _as(source(store, keywords(_ABOUT.sub(" ", _SOURCE.sub(" ", text))), offset, ask), ask)
    unsaid = _SAID.sub(" ", text)  # 纳德拉说了什么？ without 说了什么, or a name alone
    names = [_strip(unsaid), keywords(unsaid)] if unsaid != text else [_strip(text)]  # What did Nadella say?: nadella
    for person_part in dict.fromkeys(names):
        if person_part and store.match_names(person_part).person_ids:
            return _as(quote(store, person_part, offset, ask), ask)
    for about in dict.fromkeys(names) if unsaid != text else ():  # What did Trump say about DeepSeek?
        if about and (found := _person_and_words(store, about, offset)):  # 纳德拉 中国 as typed, or its keywords
            return _as(_quotes_about(_begin("quote", about, offset, ask, ""), *found), ask)
    text = _AGE.sub(" 岁 ", text)  # 加夫几岁？: the figure of his age is written 五十岁
    if _FIGURE.search(text):
        typed = _strip(text)  # 5% or -5% whole: keywords() would keep only the 5, of any unit
        amount = parse_amount(typed)
        if amount and amount.unit:  # 5% alone is a /figure question, answered or not (2025 may be a year)
            return _as(figure(store, typed, offset, ask), ask)
        ans = figure(store, keywords(text) or text, offset, ask)
        if ans.results:
            return _as(ans, ask)
    return combined(store, text, offset, ask)


def _strip(text: str) -> str:
    return re.sub(r"[?？。!！,，:：“”\"'‘’]", " ", text).strip()


def _as(ans: Answer, ask: str) -> Answer:
    ans.ask = ask
    return ans


def combined(store: Store, text: str, offset: int = 0, ask: str = "") -> Answer:
    """Quotes, figures and passages for the keywords, best of each first."""
    kw = keywords(text) or _strip(text)
    ans = Answer(ask or text, "search", kw, offset=offset)
    if not kw:
        ans.message = "Ask about a person, a figure or a subject. " + usage_for("cite")
        return ans
    quotes = store.search_quotes(kw, 2, 0)
    figures = store.search_figures(kw, 2, 0)
    passages = store.search_passages(kw, 3, 0)
    ans.results = ([quote_result(q) for q in quotes.hits] + [figure_result(f) for f in figures.hits]
                   + [passage_result(p) for p in passages.hits])
    ans.total = len(ans.results)
    if not ans.results:
        ans.message = f"Nothing about {kw} in {_articles(store)}."
    return ans
