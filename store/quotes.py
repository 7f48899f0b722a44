"""Finding quotes and their speakers.

Direct quotes are the words inside quotation marks that the text attributes to a speaker:
- the speaker and a speech verb right after the closing mark (“……”他说 / “……”特朗普在简报会上说:);
- a speech verb (or colon) right before the opening mark, its subject being the speaker
  (特朗普说:“……” / 将 R1 描述为“……”);
- the quote inside a clause governed by a speaker and verb earlier in the same sentence
  (OpenAI 表示它正在“审查……”); there, spans of four Han characters or fewer are terms;
- a quote that opens a sentence right after an attributed quote of the same paragraph
  continues that speaker's words.
Titles (《》, 题为/名为/所谓/以此为题) and quotes with anonymous speakers (有人士指出) are not quotes.

Speakers are people (their names and aliases), pronouns (他/她: the last speaker or subject
that is not a mere modifier; 他们/两位专家: the last group), named groups (A与B……表示),
organisations (Latin names, media titles in 《》, Han names with organisation suffixes;
该公司/文章 refer back to the last one) and, in a bylined section, the author (我/笔者).
Indirect quotes are the clause after an identified speaker's speech verb (X表示,……),
据X称,…… and 在X看来,……
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.extract import PersonFound, QuoteFound
from store.lexicon import HAN, MEDIA_SUFFIXES, MEDIA_WORDS, SPEECH_VERB_RE
from store.people import _ROLE_END_RE, pos_tokens
from store.sources import Paragraph
from store.text import fold, simplified

OPEN_CLOSE = {"“": "”", "「": "」", "『": "』", "＂": "＂"}
_OPEN_RE = re.compile("[" + "".join(OPEN_CLOSE) + '"]')
_HAN_RE = re.compile(f"[{HAN}]")
_SENT_END_RE = re.compile("[。！？!?；;]")
_ANON_RE = re.compile(r"(?:^|[^具没拥所享])有|人们|人士|网友|读者|研究人员|分析人士|批评者|消息人士|知情人士|媒体|外界|舆论|一些人|许多人|有人")
_TITLE_BEFORE_RE = re.compile(r"(题为|名为|名叫|所谓|称作|叫做|标题为|主题为|这项名为|一篇名为)\s*$")
_TITLE_AFTER_RE = re.compile(r"^(?:[^。！？]{0,30}?(以此为题|为题|这一说法|的说法)|"
                             r"(法案|法令|计划|战略|倡议|报告|项目|政策|协议|条例|理论|概念|口号|时刻|主题|行动|"
                             r"峰会|论坛|系列|节目|一词|这一|一书|一文|栏目|活动|运动|工程))")
_NAME_SPAN_RE = re.compile(r"[^,，。！？!?；;:：…的了地得是着把被]{1,12}?(计划|工程|平台|倡议|项目|行动|战略|法案|协议|协定|框架|联盟|基金|系统|"
                           r"模型|方案|机制|条例|规划|纲要|宣言|论坛|峰会|大会|报告|指数|标准|理论|概念|中心|实验室)")
_CONJ_VERB_RE = re.compile(r"(?:还|也|则|又|更|并|曾|均|都|亦|随后|接着|坚持|同时|进一步|在[^,，。“”\"]{1,14}?[上中时]|"
                           r"\d{1,2}月\d{1,2}日|\d{1,2}日|日前|近日|昨天|昨日|今天|当天|同日|此前|周[一二三四五六日末]|上周|"
                           r"[^,，。“”\"]{0,6}?采访时|对[^,，。“”\"]{1,10}?|向[^,，。“”\"]{1,10}?|"
                           r"[^,，。“”\"]{0,8}?时)*$")
_AFTER_VERB_RE = re.compile(r"\s*" + _CONJ_VERB_RE.pattern[:-1] + r"?\s*(?:" + SPEECH_VERB_RE.pattern + ")")
_INDIRECT_VERBS = re.compile(
    r"(的论点是|的观点是|的看法是|称其为|描述为|形容为|分析指出|撰文指出|撰文称|补充说|解释说|解释称|警告说|强调说|写道|表示|指出|认为|声称|宣称|强调|警告|提醒|"
    r"承认|重申|透露|坦言|直言|预测|相信|提到|说|称)"
)
_GENERIC_LATIN = {"AI", "CEO", "CTO", "CFO", "GPU", "CPU", "AGI", "IT", "APP", "PC", "GDP", "IPO", "VR", "AR",
                  "LLM", "API", "USB", "PPT", "MOE", "APPS", "CHATBOT", "ZOOM", "X", "VS", "OK", "AND", "THE"}
_MEDIA_NAMES_LATIN = re.compile(r"^[A-Z]{2,6}$")
_GROUP_WORDS = ("上述两位专家", "两位专家", "两位学者", "两名专家", "二人", "两人", "他们", "她们")
_ORG_REF_RE = re.compile(r"该公司|这家公司|该机构|该集团")
_MEDIA_REF_RE = re.compile(r"该文章|该文|这篇文章|该报道|该报|该刊|(?<![篇的])文章(?=[称指认写表说])")
_ORG_SUFFIXES = ("学会", "协会", "研究所", "研究院", "研究会", "基金会", "委员会", "集团", "银行", "大学", "政府", "通讯社",
                 "新闻社", "电视台", "电台", "日报", "时报", "周刊", "杂志", "社", "报", "台", "公司", "部", "智库", "频道")
_ORG_SUFFIX_RE = re.compile("(" + "|".join(_ORG_SUFFIXES) + ")$")
# the suffixes' last characters, and a newline ("$" matches before one): a quick first test
_ORG_LAST = frozenset(x[-1] for x in _ORG_SUFFIXES) | {"\n"}
_DESCRIPTOR_RE = re.compile(r"(公司|企业|巨头|机构|媒体|网站|平台|智库|集团)$")


@dataclass
class _Ment:
    start: int
    end: int
    kind: str  # person, pron, group, org, orgref, mediaref, author
    name: str | None = None
    stype: str = "person"
    role: str | None = None
    modifier: bool = False
    media: bool = False
    resolved: tuple[str, str, str | None] | None = None  # (name, type, role)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of quotation marks, outermost pairs only."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    om = _OPEN_RE.search(text)
    while om is not None:  # from one opening mark to the next: the text between is skipped
        i = om.start()
        c = text[i]
        j = text.find(OPEN_CLOSE.get(c, '"'), i + 1)
        if j >= 0 and c == "“":
            j = _matching_close(text, i)
        if j < 0:
            om = _OPEN_RE.search(text, i + 1)
            continue
        spans.append((i, j))
        om = _OPEN_RE.search(text, j + 1) if j + 1 < n else None
    return spans


def _matching_close(text: str, i: int) -> int:
    """The ” that closes the “ at i, past any nested pairs; -1 if there is none."""
    depth = 0
    for k in range(i + 1, len(text)):
        if text[k] == "“":
            depth += 1
        elif text[k] == "”":
            if depth == 0:
                return k
            depth -= 1
    return -1


def _han_len(s: str) -> int:
    return len(_HAN_RE.findall(s))


class _Speakers:
    """Everything that can speak in an article, and who 他/她/他们/该文 refer to."""

    def __init__(self, people: list[PersonFound]):
        self.people = people
        forms: dict[str, PersonFound] = {}
        singles: dict[str, PersonFound] = {}
        for p in people:
            for f in {p.name, p.full_name, *(p.aliases or []), *( [p.name_en] if p.name_en else [])}:
                if not f:
                    continue
                ff = fold(f)
                if len(ff) == 1:
                    singles[ff] = p
                elif len(ff) >= 2:
                    forms.setdefault(ff, p)
        self.forms = forms
        self.singles = singles
        alts = sorted(forms, key=len, reverse=True)
        self.form_re = re.compile("|".join(re.escape(a) for a in alts)) if alts else None
        self.last_person: tuple[str, str, str | None] | None = None
        self.last_group: tuple[str, str, str | None] | None = None
        self.last_org: tuple[str, str, str | None] | None = None
        self.last_org_para = -10
        self.last_media: tuple[str, str, str | None] | None = None
        self.author: tuple[str, str, str | None] | None = None

    def person(self, p: PersonFound) -> tuple[str, str, str | None]:
        return (p.name, "person", p.role)

    def person_by_line(self, line: str) -> PersonFound | None:
        f = fold(line.strip())
        return self.forms.get(f) or self.singles.get(f) if f else None


def _in_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos <= b for a, b in spans)


def _after_paren(text: str, end: int) -> int:
    """Skip a bracketed gloss right after a mention: 纳德拉(Satya Nadella) → after the bracket."""
    m = re.match(r"\s*[（(][^)）]{0,40}[)）]", text[end:])
    return end + m.end() if m else end


def _is_modifier(text: str, end: int) -> bool:
    e = _after_paren(text, end)
    rest = text[e:e + 6].lstrip(" )）")
    if rest.startswith("所"):
        return True
    if rest.startswith("的"):
        return not re.match(r"的(文章|分析|报告|声明|博客|帖子|论点|观点|看法|评论|研究|社论|报道|发言|讲话|信|话)", rest)
    return False


_NOT_ORG_START = ("该", "这", "本", "其", "我", "他", "各", "某")


_ORG_NAME_TAGS = frozenset(("nt", "nz", "nrt", "nr"))


def _org_name_ends(tokens: tuple[tuple[str, str, int], ...]) -> list[int]:
    """The tokens that may end an organisation's name (_org_name_start returns None for the
    others): a comprehension sorts them out faster than a call per token."""
    return [k for k, (w, fl, _s) in enumerate(tokens)
            if w[-1:] in _ORG_LAST or fl in _ORG_NAME_TAGS]


def _org_name_start(tokens: tuple[tuple[str, str, int], ...], k: int) -> int | None:
    """Where an organisation's name that ends with token k starts: a word with an organisation
    suffix (a name itself, or after a name), or a name after a descriptor (科技巨头|阿里巴巴)."""
    w, fl, s = tokens[k]
    # (the last-character test only skips the regex for words it cannot match)
    if w[-1:] in _ORG_LAST and _ORG_SUFFIX_RE.search(w) and not w.startswith(_NOT_ORG_START):
        if len(w) >= 3 and fl in ("nt", "nr", "nz", "nrt", "ns"):
            return s
        if k > 0:
            pw, pf, ps = tokens[k - 1]
            if pf in ("nr", "nrt", "nz", "nt", "eng") or (pf == "ns" and re.search("政府|部|局|委员会", w)):
                return ps
        return None
    if fl in _ORG_NAME_TAGS and len(w) >= 2 and k > 0 and _DESCRIPTOR_RE.search(tokens[k - 1][0]):
        return s
    return None


def _latin_letter(f: str, i: int) -> bool:
    return 0 <= i < len(f) and f[i].isascii() and f[i].isalpha()


def _mentions(p: Paragraph, sp: _Speakers, quotes: list[tuple[int, int]]) -> list[_Ment]:
    f, t = p.folded, p.text
    out: list[_Ment] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        if any(s < b and a < e for a, b in taken):
            return False
        return not any(a < s < b for a, b in quotes)

    def add(m: _Ment) -> None:
        taken.append((m.start, m.end))
        out.append(m)

    titles = [(m.start(), m.end()) for m in re.finditer(r"《[^》]{1,40}》", f)]
    # people
    if sp.form_re is not None:
        for m in sp.form_re.finditer(f):
            s, e = m.start(), m.end()
            if re.match("[a-z]", m.group()) and (_latin_letter(f, s - 1) or _latin_letter(f, e)):
                continue  # inside a longer Latin word (nadellas), not before a Han word (nadella还表示)
            if not free(s, e) or any(a < s < b for a, b in titles):
                continue
            person = sp.forms[m.group()]
            if person.minor:  # photo credits and editors speak no quotes
                continue
            add(_Ment(s, e, "person", person.name, "person", person.role, _is_modifier(f, e)))
            gloss = _after_paren(f, e)
            if gloss > e:  # 纳德拉(Satya Nadella): the bracket is part of this mention
                taken.append((e, gloss))
    for ch, person in sp.singles.items():
        for m in re.finditer(re.escape(ch), f):
            s = m.start()
            if s > 0 and not re.match(r"[,，。:：;；!！?？“”\"」』\s]", f[s - 1]):
                continue
            if not SPEECH_VERB_RE.match(f, s + 1) or not free(s, s + 1):
                continue
            add(_Ment(s, s + 1, "person", person.name, "person", person.role))
    # group words and pronouns
    for w in _GROUP_WORDS:
        for m in re.finditer(w, f) if w in f else ():
            if free(m.start(), m.end()):
                add(_Ment(m.start(), m.end(), "group"))
    for m in re.finditer(r"(?<![其吉])[他她](?![们人国乡日])", f):
        s = m.start()
        if free(s, s + 1):
            add(_Ment(s, s + 1, "pron", modifier=f[s + 1:s + 2] == "的"))
    for m in re.finditer(r"笔者|(?<![自])我(?![们国方军])", f):
        if free(m.start(), m.end()):
            add(_Ment(m.start(), m.end(), "author", modifier=f[m.end():m.end() + 1] == "的"))
    for m in _ORG_REF_RE.finditer(f):
        if free(m.start(), m.end()):
            add(_Ment(m.start(), m.end(), "orgref"))
    for m in _MEDIA_REF_RE.finditer(f):
        if free(m.start(), m.end()):
            add(_Ment(m.start(), m.end(), "mediaref"))
    # organisations: media titles
    for s, e in titles:
        inner = f[s + 1:e - 1]
        before = f[max(0, s - 4):s]
        if (inner.endswith(MEDIA_SUFFIXES) or any(w in before for w in MEDIA_WORDS) or \
                re.match(r"\s*[（(][A-Z]", t[e:e + 3])) and free(s, e):
            add(_Ment(s, e, "org", simplified(t[s + 1:e - 1]), "org", modifier=_is_modifier(f, e),
                      media=True))
    # organisations: Han names with an organisation suffix, or after a descriptor (科技巨头阿里巴巴)
    # (where a name could start is decided first: it is cheap, and few words pass, so the
    # overlap test with the mentions taken runs for those few only)
    tokens = pos_tokens(f)
    for k in _org_name_ends(tokens):
        name_s = _org_name_start(tokens, k)
        if name_s is None:
            continue
        w, _fl, s = tokens[k]
        e = s + len(w)
        if not free(s, e) or not free(name_s, e):
            continue
        name = simplified(t[name_s:e]).strip()
        if len(name) < 2:
            continue
        gl = re.match(r"\s*[（(]([A-Z][A-Za-z&\.]{1,10})[)）]", t[e:e + 14])
        end = e
        if gl:
            end = e + gl.end()
            if _MEDIA_NAMES_LATIN.match(gl.group(1)):
                name = gl.group(1)
        media = bool(re.search(r"(社|报|台|网|频道|周刊|时报|日报|新闻|杂志)$", simplified(t[name_s:e])))
        add(_Ment(name_s, end, "org", name, "org", modifier=_is_modifier(f, end), media=media))
    # organisations: Latin names (OpenAI, CNBC) not glossing a Han name
    for m in re.finditer(r"(?<![A-Za-z])[A-Z][A-Za-z0-9]*[A-Za-z](?:\s[A-Z][A-Za-z]+)*(?![A-Za-z0-9\-])", t):
        s, e = m.start(), m.end()
        if re.search(r"\d", m.group()) or not free(s, e) or m.group().upper() in _GENERIC_LATIN:
            continue
        if s > 0 and t[s - 1] in "(（":
            continue
        media = bool(_MEDIA_NAMES_LATIN.match(m.group())) and bool(re.match(r"\s*(报道|称|说|指出|\d)", t[e:e + 4]))
        add(_Ment(s, e, "org", m.group(), "org", modifier=_is_modifier(f, e), media=media))
    out.sort(key=lambda m: m.start)
    return out


def _group_of(f: str, ments: list[_Ment], i: int) -> tuple[str, str, str | None] | None:
    """A named group: two people joined by 与/和 (with a role between) before a verb."""
    m2 = ments[i]
    if m2.kind != "person" or i == 0:
        return None
    for j in range(i - 1, -1, -1):
        m1 = ments[j]
        if m1.kind != "person":
            continue
        between = f[_after_paren(f, m1.end):m2.start]
        if re.fullmatch(r"\s*[与和及同、]\s*[^,，。；;“”\"]{0,20}", between) and m1.name != m2.name:
            return (f"{m1.name}、{m2.name}", "group", None)
        return None
    return None


def _is_subject(f: str, m: _Ment) -> bool:
    """A mention that speaks, or that no verb precedes in its clause (not an object: 会见了习近平)."""
    if _AFTER_VERB_RE.match(f, _after_paren(f, m.end)):
        return True
    i = m.start
    while i > 0 and f[i - 1] not in ",，。:：;；!！?？“”\"「」『』\n" and m.start - i < 40:
        i -= 1
    before = [(w, fl) for w, fl, s in pos_tokens(f) if i <= s and s + len(w) <= m.start]
    if any(fl == "ul" for _w, fl in before):  # 会见了习近平
        return False
    return not (before and before[-1][1] == "v")


def _resolve_all(f: str, ments: list[_Ment], sp: _Speakers, para: int) -> None:
    for i, m in enumerate(ments):
        r = None
        if m.kind == "person":
            g = _group_of(f, ments, i)
            if g:
                sp.last_group = g
                r = g
            else:
                r = (m.name, "person", m.role)
                if not m.modifier and (_is_subject(f, m) or sp.last_person is None):
                    sp.last_person = r
        elif m.kind == "pron":
            r = sp.last_person
        elif m.kind == "group":
            r = sp.last_group
        elif m.kind == "author":
            r = sp.author
        elif m.kind == "org":
            r = (m.name, "org", None)
            if not m.modifier:
                if m.media:
                    sp.last_media = r
                else:
                    sp.last_org, sp.last_org_para = r, para
        elif m.kind == "orgref":  # 该公司: a company named in this paragraph or the one before
            r = sp.last_org if para - sp.last_org_para <= 1 else None
        elif m.kind == "mediaref":
            r = sp.last_media or sp.last_org
        m.resolved = r


def _speaker_before(f: str, ments: list[_Ment], verb_start: int, sent_start: int) -> _Ment | None:
    """The subject of the speech verb at verb_start: the nearest mention before it in the sentence."""
    cands = [m for m in ments if sent_start <= m.start and m.end <= verb_start and not m.modifier
             and not (re.search(r"(向|对|跟|给|告诉|问|让|使|令|接受)$", f[max(0, m.start - 2):m.start])
                      and not _ROLE_END_RE.search(f, max(0, m.start - 8), m.start))  # 顾问|特使 are roles
             and not _verb_before(f, m.start)
             and not _in_setting(f, m, verb_start)]
    if not cands:
        return None
    m = cands[-1]
    between = f[_after_paren(f, m.end):verb_start]
    if "“" in between or '"' in between:
        return None
    last_seg = re.split(r"[,，:：;；]", between)[-1]
    if _ANON_RE.search(re.sub(r"在[^,，。]{1,14}?[上中]", "", last_seg)):  # 在社交媒体上说: a place, not a speaker
        return None
    if len(between) > 40 and re.search(r"[,，]", between) is not None and len(last_seg) > 25:
        return None
    return m


def _in_setting(f: str, m: _Ment, verb_start: int) -> bool:
    """A mention inside the setting of the speech, not its subject: 在接受哥伦比亚广播公司采访时表示."""
    return bool(re.search(r"(?:接受|在)[^,，。:：;；“”\"]{0,12}$", f[max(0, m.start - 14):m.start])) and \
        bool(re.match(r"[^,，。:：;；“”\"]{0,6}?(?:采访|专访|节目|网站|平台|会议|论坛|大会)?(?:上|中|时)",
                      f[_after_paren(f, m.end):verb_start]))


def _verb_before(f: str, pos: int) -> bool:
    """The word right before pos is a verb: the mention is its object (马斯克回应奥尔特曼说)."""
    prev = [(w, fl) for w, fl, s in pos_tokens(f) if s + len(w) == pos]
    return bool(prev) and prev[0][1] == "v"


def _sentence_bounds(f: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of a paragraph: each ends after a sentence mark outside quotation marks.

    Only the marks are visited (a regex finds them), not every character of the paragraph.
    """
    bounds = []
    s = 0
    for m in _SENT_END_RE.finditer(f):
        i = m.start()
        if quotes and _in_any(i, quotes):
            continue
        bounds.append((s, i + 1))
        s = i + 1
    if s < len(f):
        bounds.append((s, len(f)))
    return bounds


def _sentence_of(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in bounds:
        if a <= pos < b:
            return a, b
    return (0, len(bounds and bounds[-1][1] or 0))


def _verbs(f: str, a: int, b: int, quotes: list[tuple[int, int]]):
    for m in SPEECH_VERB_RE.finditer(f, a, b):
        if not _in_any(m.start(), quotes) and "被" not in f[max(a, m.start() - 4):m.start()]:
            yield m


def find_quotes(paragraphs: list[Paragraph], people: list[PersonFound]) -> list[QuoteFound]:
    sp = _Speakers(people)
    out: list[QuoteFound] = []
    for p in paragraphs:
        f, t = p.folded, p.text
        # bylined sections: a line that is just a known name, or 以下是X的发言
        line_person = sp.person_by_line(t) if len(t.strip()) <= 12 else None  # folding is costly: short lines only
        if line_person is not None:
            sp.author = sp.person(line_person)
            continue
        by = re.search(r"(?:^|[【\[(（\s])(?:作者|文)\s*[:：/／]\s*(?:[^\s】\]]{2,12}\s+)?([^\s,，。:：】\])）]{2,8})", f)
        if by and sp.author is None and (who := sp.forms.get(by.group(1))) is not None and not who.minor:
            sp.author = sp.person(who)  # an op-ed's byline: its 我认为 are the author's
        quotes = _quote_spans(f)
        ments = _mentions(p, sp, quotes)
        _resolve_all(f, ments, sp, p.n)
        bounds = _sentence_bounds(f, quotes)
        m_intro = re.search(r"以下是([^,，。]{2,12}?)的(发言|讲话|演讲|致辞|文章|观点)", f)
        if m_intro:
            who = next((m for m in ments if m.start >= m_intro.start(1) and m.kind == "person"), None)
            if who is not None:
                sp.author = who.resolved
        prev_speaker = None
        prev_end = -1
        for qs, qe in quotes:
            inner_o = t[qs + 1:qe]
            if not inner_o.strip():
                continue
            sa, sb = _sentence_of(bounds, qs)
            before = f[sa:qs]
            spk = None
            how = ""
            # titles, and names: a span with no clause punctuation that ends on a name word (“脉冲破晓计划”)
            if re.search(r"《[^》]*$", before) or _TITLE_BEFORE_RE.search(before) or \
                    _TITLE_AFTER_RE.match(f[qe + 1:qe + 40]) and not re.search(r"[。！？!?]\s*$", f[qs + 1:qe]) or \
                    _NAME_SPAN_RE.fullmatch(f[qs + 1:qe].strip()):
                prev_end = qe
                continue
            # B: “……”他说 / “……”特朗普在简报会上说
            mm = re.match(r"\s*[,，]?\s*(?:在[^,，。“”\"]{0,24}?(?:文章|报道|社论|博客|帖子|采访|声明|节目|讲话|演讲)中[,，]?\s*)?",
                          f[qe + 1:])
            pos = qe + 1 + mm.end()
            # the mention right there, else a person after a role (“……”,北京大学…研究员魏哲家说)
            firsts = [m for m in ments if m.start == pos] + \
                [m for m in ments if pos < m.start <= pos + 40 and m.kind == "person"
                 and not re.search(r"[,，。:：;；“”\"「」『』]", f[pos:m.start])
                 and not SPEECH_VERB_RE.search(f, pos, m.start)]
            in_article = "中" in mm.group() and re.search(r"(文章|报道|社论|博客|帖子|声明)中", mm.group())
            for first in firsts:
                if not first.resolved:
                    continue
                tail = f[_after_paren(f, first.end):first.end + 30]
                if _AFTER_VERB_RE.match(tail) or in_article:
                    spk, how = first.resolved, "after"
                    break
            # A and C: a speech verb (or colon) earlier in the sentence
            if spk is None:
                for vm in reversed(list(_verbs(f, sa, qs, quotes))):
                    s_m = _speaker_before(f, ments, vm.start(), sa)
                    if s_m is None or not s_m.resolved:
                        continue
                    # the speaker must not be separated from the verb by another quote
                    if any(s_m.end <= a < vm.start() for a, _b in quotes):
                        continue
                    spk = s_m.resolved
                    how = "before" if re.fullmatch(r"[\s:：,，]*", f[vm.end():qs]) else "clause"
                    break
            # a colon alone after a name: 特朗普:“……”
            if spk is None:
                cm = re.search(r"[:：]\s*$", before)
                if cm:
                    who = next((m for m in ments if sa <= m.start and _after_paren(f, m.end) == sa + cm.start()
                                and m.resolved), None)
                    if who is not None:
                        spk, how = who.resolved, "before"
            # a sentence about an article (该文……聚焦“……”): its quoted words are the article's
            if spk is None:
                topic = next((m for m in ments if sa <= m.start <= sa + 2 and m.kind == "mediaref"), None)
                if topic is not None and topic.resolved and topic.end <= qs:
                    spk, how = topic.resolved, "clause"
            # D: a quote opening a sentence right after an attributed quote
            if spk is None and prev_speaker is not None and (re.fullmatch(r"[\s(（]*", before) or
                                                             re.fullmatch(r"\s*", f[prev_end + 1:qs])):
                gap = f[prev_end + 1:qs]
                if not any(m.kind in ("person", "org") and prev_end < m.start < qs and m.resolved != prev_speaker
                           for m in ments) and \
                        not re.search(r"[“\"]", gap):
                    spk, how = prev_speaker, "continued"
            if spk is None:
                prev_end = qe
                continue
            sentence_like = bool(re.search(r"[。！？!?,，…]$", inner_o.strip()))
            if _han_len(inner_o) < 5 and not (how in ("before", "after") and sentence_like):
                prev_end = qe
                continue
            name, stype, role = spk
            q_end = qe
            while q_end > qs + 1 and t[q_end - 1] in "。,，、;；:： ":
                q_end -= 1
            out.append(QuoteFound(p.n, qs + 1, q_end, t[qs + 1:q_end], "direct", name, stype, role))
            prev_speaker = spk
            prev_end = qe
        out.extend(_indirect(p, ments, quotes, bounds, sp))
    return out


def _clip_claim(f: str, start: int, end: int, quotes: list[tuple[int, int]]) -> tuple[int, int]:
    while start < end and f[start] in " ,，:：":
        start += 1
    while end > start and f[end - 1] in "。；;!！?？ ":
        end -= 1
    return start, end


def _claim_end(f: str, cs: int, ce: int) -> int:
    """A claim ends with its sentence, also when the sentence ends inside a closing quote."""
    m = re.search(r"[。！？!?][”\"」』]", f[cs:ce])
    return cs + m.end() if m else ce


_AUTHOR_VIEW_RE = re.compile(r"(?:在)?(?:我|笔者)(?:认为|相信|觉得|看来|以为|思考的答案是|的看法是|的观点是)[,，:：]?")
_IN_VIEW_RE = re.compile(r"在([^,，。]{1,20}?)看来[,，]")
_ACCORDING_RE = re.compile(r"据([^,，。]{1,30}?)(报道|称|透露|介绍|表示|指出)[,，]?")
# 塞克斯日前告诉福克斯新闻(Fox News),美国仍主导AI领域…: what the speaker told someone, after the comma
_TOLD_RE = re.compile(r"告诉([^,，。:：“”\"]{1,24}?)[,，:：]")


def _indirect(p: Paragraph, ments: list[_Ment], quotes, bounds, sp: _Speakers) -> list[QuoteFound]:
    f, t = p.folded, p.text
    cands: list[list] = []  # [speaker, claim start, claim end, verb start, speaker mention start]

    def cand(spk, cs: int, ce: int, vs: int, ms: int) -> None:
        if spk is None:
            return
        while cs < ce and f[cs] in " ,，:：":
            cs += 1
        quoted = cs < len(f) and f[cs] in "“\"「『" and any(q[0] == cs for q in quotes)
        # quoted words are a direct quote: kept only to end an earlier claim (……,又说:“……”)
        cands.append([spk, cs, _claim_end(f, cs, ce), vs, ms, quoted])

    for sa, sb in bounds:
        sent = f[sa:sb]
        # (each pattern runs only on sentences holding its fixed words: most hold none)
        if sp.author and ("我" in sent or "笔者" in sent):
            for m in _AUTHOR_VIEW_RE.finditer(sent):
                cand(sp.author, sa + m.end(), sb, sa + m.start(), sa + m.start())
        for m in _IN_VIEW_RE.finditer(sent) if "看来" in sent else ():
            x = next((x for x in ments if sa + m.start(1) <= x.start < sa + m.end(1) and x.resolved
                      and x.kind != "author"), None)
            if x is not None:
                cand(x.resolved, sa + m.end(), sb, sa + m.start(), x.start)
        for m in _ACCORDING_RE.finditer(sent) if "据" in sent else ():
            x = next((x for x in reversed(ments) if sa + m.start(1) <= x.start < sa + m.end(1)
                      and x.resolved and not x.modifier), None)
            if x is not None:
                cand(x.resolved, sa + m.end(), sb, sa + m.start(), x.start)
        for m in _TOLD_RE.finditer(sent) if "告诉" in sent else ():
            s_m = _speaker_before(f, ments, sa + m.start(), sa)
            if s_m is not None and s_m.resolved and not _in_any(sa + m.start(), quotes):
                cand(s_m.resolved, sa + m.end(), sb, sa + m.start(), s_m.start)
        for vm in _INDIRECT_VERBS.finditer(f, sa, sb):
            vs, ve = vm.start(), vm.end()
            if _in_any(vs, quotes) or not (SPEECH_VERB_RE.match(f, vs) or vm.group().startswith("的")):
                continue
            if re.match(r"[的了过着]", f[ve:ve + 1]) or (vs > 0 and f[vs - 1] in "据的") or \
                    "被" in f[max(sa, vs - 4):vs]:
                continue
            s_m = _speaker_before(f, ments, vs, sa)
            if s_m is None or not s_m.resolved:
                continue
            cand(s_m.resolved, ve, sb, vs, s_m.start)

    # a later speaker inside a claim ends it (据彭博社报道,波拉特指出,…: the claim is 波拉特's);
    # the same speaker's second verb (表示…,并称…) splits it
    cands.sort(key=lambda c: c[1])
    out: list[QuoteFound] = []
    seen: set[int] = set()
    for c in cands:
        spk, cs, ce, vs, ms, quoted = c
        if quoted:
            continue
        for d in cands:
            if d is c or not (cs < d[3] < ce):
                continue
            cut_at = d[4] if d[4] > cs else d[3]
            b = max(f.rfind(x, cs, cut_at) for x in ",，;；")
            ce = min(ce, b if b > cs else cs)
        while ce > cs and f[ce - 1] in "。；;!！?？ ,，:：":
            if f[ce - 1] in "!！?？" and ce - cs > 1:
                break
            ce -= 1
        if ce - cs < 6 or _han_len(f[cs:ce]) < 6 or cs in seen:
            continue
        seen.add(cs)
        name, stype, role = spk
        out.append(QuoteFound(p.n, cs, ce, t[cs:ce], "indirect", name, stype, role))
    return out
