"""Finding the people an article names.

Cues, all general (no list of particular people):
- transliterated names joined by a separator (萨提亚·纳德拉, 路易斯-文森特·加夫);
- a Chinese name followed by an English name in brackets (纳德拉(Satya Nadella)), with the
  role before the name trimmed off;
- a role word right before a name (法国总统马克龙, 官员李强, 设计者钱伯斯);
- header lines "Name:role" and bylines 【文/观察者网 刘程辉】;
- Chinese names (jieba tags nr with a common surname) that recur or stand before a speech verb;
- photo credits and editor lines give minor people.
Misspellings an article itself makes (盖夫 for 加夫, Grave for Gave) are linked to the known
person when they stand where a speaker stands and share a character (or, for Latin names,
are within one edit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
from pypinyin import lazy_pinyin

from store.extract import PersonFound
from store.lexicon import (
    HAN,
    ROLE_SUFFIXES,
    SPEECH_VERB_RE,
    STOP_CHARS,
    SURNAMES,
    TRANSLIT,
    is_role_word,
)
from store.sources import Paragraph
from store.text import fold, pos_tagger, simplified, word_spans

SEP = "·"
_ROLE_RE = re.compile("|".join(sorted((re.escape(s) for s in ROLE_SUFFIXES), key=len, reverse=True)))
_ROLE_END_RE = re.compile("(?:" + _ROLE_RE.pattern + ")$")
_HANHAN_RE = re.compile(rf"([{HAN}]+(?:-[{HAN}]+)?)\s?·\s?([{HAN}]+)(?:·([{HAN}]+))?")
_EN_NAME = r"[A-Z][A-Za-z'\.]*(?:-[A-Z][A-Za-z'\.]*)?"
_PAREN_EN_RE = re.compile(rf"[（(]\s*({_EN_NAME}(?:\s+{_EN_NAME}){{1,3}})\s*[)）]")
_CREDIT_EN_RE = re.compile(rf"[（(]\s*({_EN_NAME}(?:\s+{_EN_NAME}){{1,3}})\s*/\s*([^)）/]{{1,12}})[)）]")
_CREDIT_CN_RE = re.compile(
    rf"(责编|网编|编辑|责任编辑|实习编辑|记者|摄影|摄像|视频报道|校对|审核|通讯员|图|摄)(?:[:：\s]\s*|(?<=[(（【]记者))"
    rf"([{HAN}]{{2,3}})(?=$|[\s)）】,，;；])"
)
_BYLINE_RE = re.compile(rf"[【\[]\s*文\s*[/／]\s*([^\s】\]]{{2,12}})\s+([{HAN}]{{2,4}})\s*[】\]]")
_HEADER_RE = re.compile(rf"^([{HAN}]{{2,4}}|[{HAN}]{{1,6}}·[{HAN}]{{1,8}})\s*[:：]\s*(.{{2,80}})$")
_ORG_EN_WORDS = {
    "news", "times", "post", "journal", "learning", "intelligence", "net", "inc", "corp", "group", "bank",
    "university", "institute", "foundation", "council", "center", "centre", "association", "agency",
    "company", "capital", "partners", "fund", "street", "model", "network", "press", "daily", "review", "lab",
    "labs", "ai", "technology", "technologies", "systems", "research", "party", "union", "ministry",
    "department", "office", "committee", "board", "federal", "reserve", "media", "magazine", "weekly",
    "securities", "motors", "club", "school", "college", "academy", "forum", "summit", "project", "program",
    "act", "law", "plan", "initiative", "strategy", "policy", "states", "kingdom", "nations", "house",
    "service", "services", "broadcasting", "corporation", "holdings", "global", "international", "world",
    "deep", "open", "cloud", "data", "store", "app", "pro", "max", "ultra", "image", "web",
}
_ORG_CN_END = ("社", "报", "台", "网", "公司", "集团", "银行", "大学", "学院", "学会", "协会", "基金会", "研究所",
               "研究院", "中心", "政府", "委员会", "部", "局", "署", "频道", "新闻", "周刊", "杂志", "学习", "智能")
_NOT_NAME_END = set("性化度率量们者式型类法界方面业局处厂店区省市县镇村")
_NOT_NAMES = {"他们", "她们", "我们", "你们", "人们", "大家", "美国", "中国", "欧洲", "政府", "公司", "记者", "专家"}


def _dict_freq(word: str) -> int:
    """How common a word is in jieba's own dictionary.

    The names found are not taught to jieba (jieba.add_word): a name taught in one article
    made the same word a name in every later article its process read (苏黎世, once a
    speaker's name, was a person wherever Zurich was named), and made a store depend on
    which articles each worker saw first."""
    return jieba.dt.FREQ.get(word) or 0


_APPOSITIVE = re.compile(r"[,，]\s*(?:他|她)是(?:一位|一名|一个)?([^,，。;；:：“”\"]{2,40})(?=[,，。;；])")


@lru_cache(maxsize=4096)
def pos_tokens(folded: str) -> tuple[tuple[str, str, int], ...]:
    """jieba's words with part-of-speech tags and start offsets (one pass per paragraph, cached).

    jieba.posseg tags whole texts with a character-level HMM over every POS tag, about 90×
    slower than jieba.cut. Here jieba.cut segments (the index reuses the same cached pass)
    and tags come from jieba's dictionary; only the words its HMM invented, mostly names,
    go through posseg, alone and cached. On the seeds the extraction scores are the same.
    """
    tag_of = _WORD_TAGS.get
    # one pass in reading order; a word jieba's dictionary lacks is tagged by posseg alone (_unknown_tag)
    return tuple([(w, tag if (tag := tag_of(w)) is not None else _unknown_tag(w), i)
                  for w, i, _end in word_spans(folded)])


pseg = pos_tagger()
_WORD_TAGS = pseg.dt.word_tag_tab


@lru_cache(maxsize=65536)
def _unknown_tag(word: str) -> str:
    """The tag posseg gives a word jieba's dictionary does not have (a name, often)."""
    if not word.strip():
        return "x"
    if word.isascii():
        return "eng" if word.isalnum() else "x"
    toks = list(pseg.cut(word))
    if len(toks) == 1:
        return toks[0].flag
    return "nr" if toks[0].flag.startswith("nr") else "n"  # 魏/nr 哲家/n: a name posseg split


@dataclass
class _Mention:
    para: int
    start: int  # offsets into the folded paragraph
    end: int
    short: str  # folded short form (key)
    full: str  # folded full form
    original: str  # the original text of the mention
    name_en: str | None = None
    role: str | None = None
    minor: bool = False
    strong: bool = True  # found by a cue that needs no confirmation
    guessed: bool = False  # found by jieba's name tag alone


@dataclass
class _Person:
    key: str
    full: str
    forms: set[str] = field(default_factory=set)  # original-script forms seen
    name_en: str | None = None
    role: str | None = None
    role_pos: tuple[int, int] = (10**9, 0)
    paras: set[int] = field(default_factory=set)
    minor: bool = True
    guessed: bool = True
    links: set[str] = field(default_factory=set)


def _is_translit(s: str) -> bool:
    return bool(s) and all(c in TRANSLIT for c in s)


def _translit_back(text: str, end: int, limit: int = 6) -> int:
    """Start of the run of transliteration characters that ends at `end`."""
    i = end
    while i > 0 and end - i < limit and text[i - 1] in TRANSLIT and text[i - 1] not in STOP_CHARS:
        i -= 1
    return i


def _translit_fwd(text: str, start: int, limit: int = 6, tokens=None) -> int:
    i = start
    while i < len(text) and i - start < limit and text[i] in TRANSLIT and text[i] not in STOP_CHARS:
        i += 1
    i = _verb_cut(text, start, i)
    for w, f, s in tokens or ():  # a word jieba reads across the run's end (马斯克|可能): the run ends before it
        if start + 2 <= s < i < s + len(w) and not f.startswith("nr") and _dict_freq(w) > 0 \
                and re.fullmatch(f"[{HAN}]+", w):
            return s
        if s >= i:
            break
    return i


def _verb_cut(text: str, start: int, end: int) -> int:
    """End of a name run that swallowed the start of a speech verb (凯莫尔坦|言, 赖克说): cut there."""
    for i in range(start + 2, end):
        m = SPEECH_VERB_RE.match(text, i)
        if m and m.end() >= end:
            return i
    return end


def _role_trim(text: str, start: int, end: int) -> int:
    """Start of a name whose first character completes a role word (首席技术官|罗馨 tagged 官罗馨)."""
    lo = max(0, start - 8)
    if end - start >= 3 and _ROLE_END_RE.search(text, lo, start + 1) and not _ROLE_END_RE.search(text, lo, start):
        return start + 1
    return start


# a given name ends here: a speech verb (after adverbials), clause punctuation, or an age
_SPEECH_AHEAD = (
    rf"(?:还|也|则|又|曾|更|均|亦|并|随后|近日|日前|昨天|今天|当天|同日|此前|坚持|"
    rf"上周|本周|周[一二三四五六日]|在[^,，。“”\"]{{1,20}}?(?:上|中|时|后)|接受[^,，。“”\"]{{1,16}}?时|"
    rf"告诉[^,，。“”\"]{{1,12}}?时?|对[^,，。“”\"]{{1,10}}?)*(?:{SPEECH_VERB_RE.pattern})"
)
_SPEAKER_NEXT_RE = re.compile(rf"\s?(?:$|[,，。:：;；(（、]|今年\d|{_SPEECH_AHEAD})")
_SPEECH_NEXT_RE = re.compile(_SPEECH_AHEAD)
_CLAUSE_SURNAME_RE = re.compile(rf"(?:^|(?<=[,，。:：;；!！?？“”\"」』\s]))(?=[{''.join(sorted(SURNAMES))}])")
_GIVEN_NOT = (STOP_CHARS - set("月日中")) | set("则曾更均亦仍再便即已")


def _given_tail_cut(text: str, start: int, end: int) -> int:
    """End of a three-character name whose last character starts the words after it (付泽|在…中说)."""
    if end - start in (3, 4) and text[end - 1] in _GIVEN_NOT and text[start] in SURNAMES \
            and _SPEAKER_NEXT_RE.match(text, end - 1):
        return end - 1
    return end


def _cn_name_at(text: str, start: int, after_role: bool = False) -> str | None:
    """Surname and a one- or two-character given name that ends where a speaker's words begin.

    A surname that is also a common character (向, 时) starts a two-character name only right
    after a role word (首席经济学家向雪警告说), where 向 cannot be "towards"."""
    sur = 2 if text[start:start + 2] in _COMPOUND else 1 if start < len(text) and text[start] in SURNAMES else 0
    if not sur:
        return None
    for n in (sur + 2, sur + 1):
        cand = text[start:start + n]
        if text[start] in STOP_CHARS and (n == sur + 1 and not after_role
                                          or n == sur + 2 and _dict_freq(cand[sur:]) > 100):
            continue  # 向|伟航 指出 is a name, 向|记者 表示 and 时|指出 are not
        if _dict_freq(cand) > 100:
            continue  # an ordinary word (主任|周一 表示)
        if len(cand) == n and re.fullmatch(f"[{HAN}]+", cand) and not set(cand[sur:]) & _GIVEN_NOT \
                and not any(SPEECH_VERB_RE.match(text, i) for i in range(start + sur, start + n)) \
                and _SPEAKER_NEXT_RE.match(text, start + n):
            return cand
    return None


def _token_at(tokens, pos: int):
    for k, (_w, _f, s) in enumerate(tokens):
        if s == pos:
            return k
        if s > pos:
            return None
    return None


def _nr_name_from(tokens, k: int) -> str | None:
    """A person name that starts with token k (jieba nr tags, pieces merged up to 4 characters)."""
    w, f, _ = tokens[k]
    if not f.startswith("nr") or not re.fullmatch(f"[{HAN}]+", w):
        return None
    name = w
    j = k + 1
    while j < len(tokens) and len(name) < 4:
        w2, f2, _ = tokens[j]
        if re.fullmatch(f"[{HAN}]+", w2) and (f2.startswith("nr") and len(name + w2) <= 4 or
                                               (len(w2) == 1 and len(name) == 2 and f2 in ("nr", "ng", "n")
                                                and name[0] in SURNAMES and f == "nrfg")):
            name += w2
            j += 1
        else:
            break
    return name if 2 <= len(name) <= 4 else None


def _name_before(text: str, tokens, end: int) -> str | None:
    """The name that ends at `end` (before an English name in brackets)."""
    r_start = _translit_back(text, end)
    translit = text[r_start:end]
    # cut after a role word glued to the run (首席投资官波拉特 → 波拉特 even if 官 were a name char)
    jname = None
    for k, (w, f, s) in enumerate(tokens):
        if s + len(w) == end and f.startswith("nr"):
            # merge earlier nr pieces
            name = w
            kk = k - 1
            while kk >= 0 and tokens[kk][1].startswith("nr") and len(tokens[kk][0] + name) <= 4 \
                    and re.fullmatch(f"[{HAN}]+", tokens[kk][0]) and not is_role_word(tokens[kk][0]):  # 顾问|詹顿
                name = tokens[kk][0] + name
                kk -= 1
            jname = name
            break
        if s >= end:
            break
    cands = []
    if jname and re.fullmatch(f"[{HAN}]{{2,4}}", jname) and (jname[0] in SURNAMES or _is_translit(jname)
                                                             or len(jname) >= 3):
        cands.append(jname)
    if len(translit) >= 2:
        cands.append(translit)
    # surname + one or two characters, right after a role word or a boundary
    for n in (3, 2):
        s = end - n
        if s >= 0 and text[s] in SURNAMES and all(c not in STOP_CHARS for c in text[s + 1:end]) \
                and re.fullmatch(f"[{HAN}]+", text[s:end]):
            before = text[:s]
            if text[s] in STOP_CHARS:  # 向, 时, 和 …: a surname only right after a role, before no common word
                if is_role_word(before[-3:]) and (n == 2 or _dict_freq(text[s + 1:end]) <= 100):
                    cands.append(text[s:end])
                    break
                continue
            if not before or not re.match(f"[{HAN}]", before[-1]) or is_role_word(before[-3:]) \
                    or before[-1] in STOP_CHARS:
                cands.append(text[s:end])
                break
    cands = [c[_role_trim(text, end - len(c), end) - (end - len(c)):] for c in cands]
    cands = [c for c in cands if c not in _NOT_NAMES and not c.endswith(_ORG_CN_END)]
    if not cands:
        return None
    return max(cands, key=len)


def _name_after(text: str, tokens, start: int) -> str | None:
    """The name that starts at `start` (right after a role word)."""
    k = _token_at(tokens, start)
    jname = _nr_name_from(tokens, k) if k is not None else None
    t_end = _translit_fwd(text, start, tokens=tokens)
    translit = text[start:t_end]
    cands = []
    if jname:
        jname = jname[:_given_tail_cut(text, start, _verb_cut(text, start, start + len(jname))) - start]
    if jname and (jname[0] in SURNAMES or text[start:start + 2] in _COMPOUND or _is_translit(jname)):
        cands.append(jname)
    cn = _cn_name_at(text, start, after_role=True)
    if cn:
        cands.append(cn)
    if len(translit) >= 3 or (len(translit) == 2 and jname is None and k is not None
                              and (tokens[k][1].startswith("nr") or _dict_freq(translit) <= 300
                                   and _SPEAKER_NEXT_RE.match(text, start + 2))):
        cands.append(translit)
    cands = [c for c in cands if c not in _NOT_NAMES and not c.endswith(_ORG_CN_END)]
    if not cands:
        return None
    name = max(cands, key=len)
    nxt = text[start + len(name): start + len(name) + 1]
    if nxt and re.match(f"[{HAN}]", nxt) and name == translit and jname is None:
        # a transliteration glued to more Han text: only trust it when jieba splits there
        ends = {s + len(w) for (w, f, s) in tokens}
        if start + len(name) not in ends:
            return None
    return name


_ORG_TAIL = (r"(?:的)?(?:联合创始人|创始人|创办人|首席|董事长|副?总裁|总经理|发言人|高管|ceo|cto|cfo|coo|股价|市值|营收|公司|集团"
             r"|(?:年度|全年|季度)?(?:营收|营业收入|净利润|毛利率)"  # a company's accounts (阿斯麦的年度营收)
             r"|(?:最新一轮|新一轮)?融资|估值|持股比例|研发投入|(?:新一代)?产品|业务|专利|财报|员工|工厂)")  # what companies have
_ORG_TAIL_RE = re.compile(_ORG_TAIL)
_ORG_AFTER_RE = re.compile(rf"[{HAN}]{{0,5}}?(?:公司|集团|股份|控股|科技|实验室|研究院|研究所|银行|基金会|协会|医院|工作室)")
_FUNCTION_CHARS = set("在对和与及向为把被给从到的了是也还都就又才将会要说")  # 王伟在公司…: no organisation's name


def _heads_an_organisation(key: str, text: str) -> bool:
    """Whether the article uses a name as an organisation's: before a company's roles, accounts
    or belongings (谷歌创始人, 高通的股价, 阿斯麦的研发投入), or as the first word of its name
    (祝融智造技术公司)."""
    if not key:
        return False
    # str.find, not a pattern made of the name: a pattern per name compiled for every person
    # found, and pushed the module's own patterns out of re's cache
    at = text.find(key)
    while at >= 0:  # every place the name stands
        if _ORG_TAIL_RE.match(text, at + len(key)):
            return True
        at = text.find(key, at + 1)
    at = text.find(key)
    while at >= 0:  # the places that do not overlap, left to right
        end = at + len(key)
        om = _ORG_AFTER_RE.match(text, end)
        if om and not SPEECH_VERB_RE.search(om.group()) and not set(om.group()) & _FUNCTION_CHARS:
            return True
        at = text.find(key, end)
    return False


_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz")
_LATIN_HYPHEN = _LATIN | {"-"}


def _standalone(word: str, text: str) -> int:
    """How often a Latin word stands in the text on its own, not inside a longer word or
    hyphenated name (as re.findall of the word between letter boundaries counts it)."""
    n, at = 0, text.find(word) if word else -1
    while at >= 0:
        end = at + len(word)
        if (at == 0 or text[at - 1] not in _LATIN_HYPHEN) and (end == len(text) or text[end] not in _LATIN):
            n += 1
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)
    return n


_COMPOUND = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "司徒", "夏侯"}


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in ",，。:：;；!！?？“”\"「」『』【】\n" and pos - i < 60:
        i -= 1
    return i


def _role_before(text: str, start: int, stops: list[int]) -> str | None:
    cs = _clause_start(text, start)
    for e in stops:  # end offsets of names found before: a role never spans another name
        if cs < e <= start:
            cs = e
    seg = text[cs:start].strip()
    seg = re.sub(r"^[(（][^)）]*[)）]\s*", "", seg)
    seg = re.sub(r"^(?:与|和|及|同|跟|由|在|据|向|对|是|为|被)\s*", "", seg)
    seg = re.sub(r"^(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?", "", seg).strip()
    seg = re.sub(r"^.*[了由是把被将但]\s*(?=\S)", "", seg).strip()
    if len(seg) < 2 or not is_role_word(seg.replace(" ", "")[-4:]) and not is_role_word(seg):
        return None
    return seg


def _scan_paragraph(p: Paragraph, out: list[_Mention]) -> None:
    f, t = p.folded, p.text
    tokens = pos_tokens(f)
    taken: list[tuple[int, int]] = []

    def overlaps(s: int, e: int) -> bool:
        return any(s < b and a < e for a, b in taken)

    def add(s: int, e: int, short: str, full: str, **kw) -> None:
        taken.append((s, e))
        out.append(_Mention(p.n, s, e, short, full, t[s:e], **kw))

    # credits: (Andy Wong/美联社), 责编:梒青, (记者 王镜榕 视频报道 张纬宇)
    for m in _CREDIT_EN_RE.finditer(t):
        en = m.group(1)
        add(m.start(1), m.end(1), en, en, name_en=en,
            role=simplified(m.group(2)).strip() + "图片署名", minor=True)
    for m in _BYLINE_RE.finditer(f):
        add(m.start(2), m.end(2), m.group(2), m.group(2), role=simplified(t[m.start(1):m.end(1)]) + "作者")
    for m in _CREDIT_CN_RE.finditer(f):
        if not overlaps(m.start(2), m.end(2)):
            add(m.start(2), m.end(2), m.group(2), m.group(2), role=simplified(t[m.start(1):m.end(1)]), minor=True)

    # header line "Name:role"
    hm = _HEADER_RE.match(f.strip())
    if hm and is_role_word(hm.group(2).rstrip("。 ")[-4:]):
        off = len(f) - len(f.lstrip())
        name = hm.group(1)
        short = name.split(SEP)[-1]
        add(off + hm.start(1), off + hm.end(1), short if SEP in name else name, name,
            role=simplified(t[off + hm.start(2):off + hm.end(2)]).strip())

    # Han·Han names (the regex backtracks over every Han run: run it only where a separator is)
    for m in _HANHAN_RE.finditer(f) if SEP in f else ():
        left = m.group(1)
        lstart = m.start(1)
        if "-" in left:
            a, b = left.split("-", 1)
            ls = _translit_back(f, lstart + len(a))
            if not _is_translit(b):
                continue
            lstart = ls
        else:
            lstart = _translit_back(f, m.end(1))
        if lstart >= m.end(1):
            continue
        rend = _translit_fwd(f, m.start(2), tokens=tokens)
        if m.group(3):
            rend = _translit_fwd(f, m.start(3), tokens=tokens)
        if rend <= m.start(2):
            continue
        full = f[lstart:rend].replace(" ", "")
        parts = re.split(r"[·\-]", full)
        short = parts[-1]
        if len(short) < 2 and len(parts[0]) < 2:
            continue
        if overlaps(lstart, rend):
            continue
        en = None
        pm = _PAREN_EN_RE.match(t, rend)
        if pm and not _org_english(pm.group(1)):
            en = pm.group(1)
        add(lstart, rend, short, full, name_en=en)

    # Name(English Name)
    for m in _PAREN_EN_RE.finditer(t):
        en = m.group(1)
        if _org_english(en):
            continue
        end = m.start()
        while end > 0 and f[end - 1] == " ":
            end -= 1
        if any(a < end <= b for a, b in taken):
            continue
        name = _name_before(f, tokens, end)
        if not name:
            continue
        add(end - len(name), end, name, name, name_en=en)

    # role word + name
    for m in _ROLE_RE.finditer(f):
        s = m.end()
        if s >= len(f) or overlaps(s, s + 1):
            continue
        name = _name_after(f, tokens, s)
        if not name:
            continue
        add(s, s + len(name), name, name)

    # jieba names: kept when they recur or stand before a speech verb (confirmed later); not inside a
    # quoted term (“罗盘启航计划”)
    terms = [(m.start(), m.end()) for m in re.finditer(r"[“\"「『‘][^“”\"「」『』‘’,，。:：;；!！?？]{1,12}[”\"」』’]", f)]
    # only names (nr…) and places (ns, maybe a transliterated name) can pass: sorted out first
    for k in [k for k, (_w, fl, _s) in enumerate(tokens) if fl[:2] == "nr" or fl == "ns"]:
        w, fl, s = tokens[k]
        if terms and any(a < s < b for a, b in terms):
            continue
        if fl == "ns" and 2 <= len(w) <= 4 and _is_translit(w) and _dict_freq(w) <= 300 \
                and SPEECH_VERB_RE.match(f, _translit_fwd(f, s, limit=7, tokens=tokens)):
            # a rare transliteration jieba took for a place, speaking: a person (巴兰表示, and
            # 加里|利 表示, where jieba cut the name's last character off)
            fl = "nrt"
        if not fl.startswith("nr") or overlaps(s, s + len(w)):
            continue
        name = w if fl != tokens[k][1] else _nr_name_from(tokens, k)
        if name is None and fl in ("nr", "nrt") and _is_translit(w):
            name = w  # one piece of a transliteration (兰|内斯|坦 认为): grown below
        if name and k > 0 and tokens[k - 1][0] in _COMPOUND and len(name) <= 2:
            s, name = tokens[k - 1][2], tokens[k - 1][0] + name  # 欧阳|娜娜
        if name:
            e0 = _given_tail_cut(f, s, _verb_cut(f, s, s + len(name)))
            s0 = _role_trim(f, s, e0)
            s, name = s0, f[s0:e0]
            if len(name) == 2 and name[0] in SURNAMES and (cn := _cn_name_at(f, s)):
                name = cn  # 梁强|俊 指出: jieba left the last character of the given name out
            if overlaps(s, s + len(name)):
                continue
        if not name or name in _NOT_NAMES or name.endswith(_ORG_CN_END) or name[-1] in _NOT_NAME_END:
            continue
        if len(name) > 1 and _dict_freq(name) > 300:  # an ordinary word (文明, 马克)
            continue
        foreign = _is_translit(name) and fl in ("nr", "nrt")
        grown = False
        if foreign:  # jieba cut a longer transliteration into pieces (菲茨|内|维茨 补充说): the whole run
            rs = _translit_back(f, s + len(name))
            ru = _translit_fwd(f, rs, limit=7, tokens=tokens)
            if rs <= s and ru >= s + len(name) and ru - rs > len(name) and _SPEAKER_NEXT_RE.match(f, ru) \
                    and (rs == 0 or not re.match(f"[{HAN}]", f[rs - 1]) or _ROLE_END_RE.search(f, max(0, rs - 8), rs)):
                if overlaps(rs, ru):
                    continue
                s, name, grown = rs, f[rs:ru], True
        if len(name) < 2 or grown and _dict_freq(name) > 300:
            continue
        if not (name[0] in SURNAMES or name[:2] in _COMPOUND or foreign) or len(name) > (7 if foreign else 4) \
                or len(name) > 3 and not foreign and name[:2] not in _COMPOUND:
            continue
        e = s + len(name)
        nk = _token_at(tokens, e)
        if nk is not None and tokens[nk][1].startswith("nr") and f[e] in TRANSLIT:
            continue  # a longer transliterated name jieba cut in two
        nxt = f[e:e + 4]
        if nxt[:1] in ("社", "报", "网", "台") or re.match(r"(母公司|公司|集团|学会|大学)", nxt):
            continue
        om = _ORG_AFTER_RE.match(f, e)
        if om and not SPEECH_VERB_RE.search(om.group()) and not set(om.group()) & STOP_CHARS:
            continue  # the first word of an organisation's name (安澜|机器人股份, 凌云|通信控股)
        before_verb = bool(SPEECH_VERB_RE.match(f, e)) or bool(re.match(r"(还|也|则|又|曾|在[^,，。]{0,12}?)"
                                                                         r"(表示|说|指出|认为|称)", nxt + f[e + 4:e + 16]))
        nk2 = _token_at(tokens, e + 1)
        in_list = (f[e:e + 1] in ("、", "与", "和") and nk2 is not None and tokens[nk2][1].startswith("nr")) or \
            (s > 1 and f[s - 1] == "、" and any(fl2.startswith("nr") and s2 + len(w2) == s - 1
                                                for w2, fl2, s2 in tokens))
        before_verb = before_verb or (in_list and not foreign)  # 王小明、李华两位专家
        if foreign and not re.match(rf"(?:还|也|则|又|曾)?(?:在[^,，。“”\"]{{1,12}}?[上中时])?(?:发帖|撰文|发文)?"
                                    rf"(?:{SPEECH_VERB_RE.pattern})", f[e:e + 24]):
            continue  # a transliteration alone may be a place or a brand: only trusted as a speaker
        if not grown and k > 0 and tokens[k - 1][1].startswith("nr") and re.match(f"[{HAN}]", tokens[k - 1][0][-1]):
            continue  # the tail of a longer name (穆萨维|扎德)
        add(s, e, name, name, strong=before_verb, guessed=True)

    # a Chinese name jieba did not tag, opening a clause before a speech verb (徐洋|磊 上周写道)
    for m in _CLAUSE_SURNAME_RE.finditer(f):
        s = m.start()
        cn = _cn_name_at(f, s)
        if not cn or overlaps(s, s + len(cn)) or not _SPEECH_NEXT_RE.match(f, s + len(cn)) \
                or _dict_freq(cn) > 0 or _dict_freq(cn[:2]) > 100 or cn in _NOT_NAMES or cn[-1] in _NOT_NAME_END:
            continue
        sur = 2 if cn[:2] in _COMPOUND else 1
        if any(len(w) >= 2 and s2 < s + len(cn) and s2 + len(w) > s and not re.match(r"nr|ns|nz|j", fl)
               and (w != cn or len(cn) < 3)
               and not (s2 == s + sur and s2 + len(w) == s + len(cn) and _dict_freq(w) <= 300)
               for w, fl, s2 in tokens):
            # jieba reads an ordinary word there (高管|表示, 万家|说); a three-character word of its
            # own making is the name (万然航|还指出), and so is a surname and a rare word that is all
            # the rest (王|文峰 表示; not 李|总统, 王|医生)
            continue
        add(s, s + len(cn), cn, cn, strong=True, guessed=True)


def _org_english(en: str) -> bool:
    words = re.split(r"[\s\-]+", en.lower())
    return any(w.strip(".") in _ORG_EN_WORDS for w in words)


def _edit1(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


_SPEAKER_SLOT_RE = re.compile(
    rf"(?:^|(?<=[,，。:：;；!！?？“”\"」』\s(（]))([{HAN}]{{1,3}}?|[A-Z][a-z]{{2,}})\s?"
    rf"(?=(?:还|也|则|又|曾|坚持)?(?:{SPEECH_VERB_RE.pattern})|的(?:文章|论点|观点|报告|评论)|提到)"
)


def _homophone_typo(a: str, b: str) -> bool:
    """Same surname, same length, one character different but read the same (锋/峰)."""
    if len(a) != len(b) or len(a) < 2 or a[0] != b[0] or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 and lazy_pinyin(a[diff[0]]) == lazy_pinyin(b[diff[0]])


SLIP_MOST = 2  # times a name may be written and still be a slip of another's


def _link_misspellings(paragraphs: list[Paragraph], people: dict[str, _Person], text: str) -> None:
    """Speaker-position tokens that are no known name, linked to the one person they resemble.

    A slip is made once or twice (盖文 and 盖夫 for 加夫); a name of two characters or more
    written SLIP_MOST + 1 times or more is somebody's own (多兰 beside 兰森), unless it sounds
    the same as the name (梁文峰 for 梁文锋 may be the writer's habit)."""
    known = set()
    for p in people.values():
        if not p.guessed:
            known |= {fold(x) for x in p.forms} | {p.key, p.full}
    candidates: list[tuple[str, str, bool]] = []  # (folded token, original, written often)
    for para in paragraphs:
        for m in _SPEAKER_SLOT_RE.finditer(para.text):
            tok_o = m.group(1)
            tok = fold(tok_o)
            if tok in known or tok in _NOT_NAMES or tok in ("他", "她", "它", "我", "你", "笔者", "作者"):
                continue
            if re.match(f"[{HAN}]", tok) and any(c not in TRANSLIT for c in tok) and \
                    (tok[0] not in SURNAMES or len(tok) == 1):
                continue
            candidates.append((tok, tok_o, len(tok) >= 2 and text.count(tok) > SLIP_MOST))
    if not candidates:
        return
    cand_keys = {tok for tok, _o, _often in candidates}
    changed = True
    linked: dict[str, str] = {}
    while changed:
        changed = False
        for tok, orig, often in candidates:
            if tok in linked:
                continue
            scores: dict[str, int] = {}
            for key, p in people.items():
                if p.minor or p.key == tok or p.guessed and p.key in cand_keys:
                    continue
                forms = {fold(x) for x in p.forms | p.links} | {p.key}
                if re.match(f"[{HAN}]", tok):
                    shorts = [x for x in forms if re.fullmatch(f"[{HAN}]{{1,4}}", x)]
                    if len(tok) == 1:
                        score = 2 if any(x.startswith(tok) and len(x) <= 3 for x in shorts) else 0
                    else:
                        # a slip keeps the length, or shares two characters (not 斯坦斯 for 彭斯)
                        score = max((len(set(tok) & set(x)) + (x[-1] == tok[-1]) for x in shorts
                                     if len(x) == len(tok) or len(set(tok) & set(x)) >= 2), default=0)
                        if any(_homophone_typo(tok, x) for x in shorts):
                            score = 5  # 梁文峰 for 梁文锋
                        elif any(c not in TRANSLIT for c in tok) or (score < 2 and len(tok) == 3 and tok[0] in SURNAMES):
                            # a Chinese name is linked only through a homophone typo, also one whose
                            # characters all spell foreign names too: a surname and a given name that
                            # share only the surname are two people (陆茜兰, 陆峰勇), not a slip (盖文, 盖夫)
                            score = 0
                        if score and p.name_en:
                            sur = p.name_en.split()[-1].split("-")[-1].lower()
                            if "".join(lazy_pinyin(tok))[:2] == sur[:2]:
                                score += 2
                else:
                    ens = [w for x in p.forms | p.links | {p.name_en or ""} for w in re.split(r"[\s\-]+", x) if re.match("[A-Za-z]", w)]
                    score = 3 if any(len(w) >= 4 and _edit1(tok, w.lower()) for w in ens) else 0
                if score and (score >= 5 or not often):  # 5: a homophone typo
                    scores[key] = score
            if not scores:
                continue
            top = max(scores.values())
            best = [k for k, v in scores.items() if v == top]
            if len(best) == 1:
                linked[tok] = best[0]
                people[best[0]].links.add(orig)
                changed = True


def find_people(paragraphs: list[Paragraph]) -> list[PersonFound]:
    mentions: list[_Mention] = []
    for p in paragraphs:
        _scan_paragraph(p, mentions)

    # weak (jieba-only) names need to recur or to be confirmed by a strong cue
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.short] = counts.get(m.short, 0) + 1
    strong_keys = {m.short for m in mentions if m.strong}
    mentions = [m for m in mentions if m.strong or counts[m.short] >= 2 or m.short in strong_keys
                or len(m.short) == 3 and m.short[0] in SURNAMES and _dict_freq(m.short) == 0]

    people: dict[str, _Person] = {}
    fulls: dict[str, str] = {}
    for m in mentions:
        if SEP in m.full or "-" in m.full:
            fulls.setdefault(m.short, m.full)
    for m in mentions:
        key = m.short
        p = people.get(key)
        if p is None:
            p = people[key] = _Person(key, fulls.get(key, m.full))
        p.forms.add(m.original.strip())
        if m.name_en:
            p.name_en = p.name_en or m.name_en
        p.paras.add(m.para)
        p.minor = p.minor and m.minor
        p.guessed = p.guessed and m.guessed
        if m.role and (m.para, m.start) < p.role_pos:
            p.role, p.role_pos = m.role, (m.para, m.start)

    text = "\n".join(p.folded for p in paragraphs)  # the article, folded: read by every check below
    # a name jieba guessed that heads an organisation (谷歌创始人, 苏黎世联邦理工学院) is no person
    # (removed below) and no end to the role before another name (谷歌联合创始人王兰芳)
    heads = {k for k, p in people.items() if p.guessed and _heads_an_organisation(k, text)}

    # roles at first mention, from the words before the name
    by_para: dict[int, list[_Mention]] = {}
    for m in mentions:
        if m.short not in heads:
            by_para.setdefault(m.para, []).append(m)
    for p_ in paragraphs:
        ms = sorted(by_para.get(p_.n, []), key=lambda m: m.start)
        for m in ms:
            person = people[m.short]
            if (m.para, m.start) >= person.role_pos:
                continue
            ends = [x.end for x in ms if x.end <= m.start]
            role = _role_before(p_.folded, m.start, ends)
            if role:
                person.role = simplified(p_.text[m.start - len(role):m.start]).strip()
                person.role_pos = (m.para, m.start)

    # no role yet: the words before the name's first occurrence, which the scan may have taken for
    # no mention (德国经济部顾问加里利在…: jieba read 加里 as a place and 利在 as a verb; his name was
    # found where he speaks, later)
    for person in people.values():
        if person.role is not None:
            continue
        for p_ in paragraphs:
            at = min((i for i in (p_.folded.find(person.full), p_.folded.find(person.key)) if i >= 0), default=-1)
            if at < 0:
                continue
            ends = [x.end for x in by_para.get(p_.n, []) if x.end <= at]
            role = _role_before(p_.folded, at, ends)
            if role:
                person.role = simplified(p_.text[at - len(role):at]).strip()
                person.role_pos = (p_.n, at)
            break

    # a role given in apposition after the first mention: "…加夫(Louis-Vincent Gave)进行,他是…的联合创始人"
    for p_ in paragraphs:
        for m in sorted(by_para.get(p_.n, []), key=lambda m: m.start):
            person = people[m.short]
            if person.role is not None:
                continue
            end = p_.folded.find("。", m.end)
            am = _APPOSITIVE.search(p_.folded, m.end, len(p_.folded) if end < 0 else end + 1)
            if am and is_role_word(am.group(1).replace(" ", "")[-4:]):
                person.role = simplified(p_.text[am.start(1):am.end(1)]).strip()
                person.role_pos = (m.para, m.start)

    # merge a person known only by a full name's part with the full name
    for key in list(people):
        p = people.get(key)
        if p is None:
            continue
        for other in list(people.values()):
            if other is p or SEP not in other.full:
                continue
            if key in other.full.split(SEP) and SEP not in p.full:
                other.forms |= p.forms
                other.paras |= p.paras
                other.minor = other.minor and p.minor
                if p.role and (not other.role or p.role_pos < other.role_pos):
                    other.role, other.role_pos = p.role, p.role_pos
                del people[key]
                break

    _link_misspellings(paragraphs, people, text)
    # a weak name that is part of a longer name, or a linked misspelling, is not a person of its own
    weak = {m.short for m in mentions if not m.strong} - {m.short for m in mentions if m.strong}
    for key in list(people):
        others = [o for o in people.values() if o.key != key]
        p = people[key]
        if (key in weak or p.guessed) and any(key in o.full and key != o.full for o in others) or \
                any(key in {fold(x) for x in o.links} for o in others):
            del people[key]
        elif key in heads:
            del people[key]  # 谷歌创始人, 高通的股价, 祝融智造技术公司: a name jieba guessed is an organisation's

    # the short form used most is the name
    result: list[PersonFound] = []
    for p in people.values():
        full_n = text.count(p.full)
        short_n = text.count(p.key) - (full_n if p.key in p.full and p.key != p.full else 0)
        name = p.key if short_n > full_n else p.full
        han_forms = {x for x in {p.key, p.full} | {fold(y) for y in p.forms | p.links} if len(x) >= 2}
        p.paras |= {para.n for para in paragraphs if any(x in para.folded for x in han_forms)}
        forms = set(p.forms) | set(p.links)
        if p.name_en:
            forms.add(p.name_en)
            if not p.minor:
                last = fold(p.name_en.split()[-1])
                alone = _standalone(last, text)
                if alone > text.count(fold(p.name_en)):  # the surname used on its own
                    forms.add(p.name_en.split()[-1])
        forms |= {simplified(p.full), simplified(p.key)}
        disp_name = simplified(name)
        aliases = sorted({a for a in forms if a and a != disp_name})
        result.append(PersonFound(
            name=disp_name, full_name=simplified(p.full), name_en=p.name_en, role=p.role,
            aliases=aliases, paragraphs=sorted(p.paras), minor=p.minor,
        ))
    return result
