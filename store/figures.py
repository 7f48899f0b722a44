"""Finding figures in article text and normalising their values.

A figure is a stated quantity: money, a percent, a count, a multiple or ratio, a duration,
an age, a length or another measurement. Spans are found by a small grammar run over the
FOLDED text of a paragraph (NFKC, Simplified script, lower case: same length as the
original, so offsets carry over):

    [qualifier] [currency] NUMBER [多|余|来] [magnitude] [unit] [以上|以下|左右 ...]
    QUANTITY (至|到|-|~) QUANTITY                      a range
    NUMBER 分之 NUMBER, 百分之 NUMBER, a/b             ratios and percents
    数/几 + magnitude or unit, 上百/上千, 三四年        vague amounts (ranges)

NUMBER is Arabic (1,000 / 5.6 / 560 万 / 1.6万 / $5.6m / 19.7兆) or Chinese (五千亿, 两,
十一, 五点六). Only the number inside a span is converted (cn2an in smart mode); free text
is never run through a converter. Also: 三成 (30%), 一半/半数, 翻一番, 1100点 (index
points), 百分百. Dates and years (2025年, 24 年 12 月, 上世纪50-70年代, 12月, 28日),
ordinals (第五十八场), quarter names (一季度), model and chip names (R1, H800, GPT-4o,
Llama 3.1), numerals inside words (十字路口, 大多数人, 环顾四周, 零部件), book titles
《…》 and the indefinite 一 (一个, 一种, 一家 ...) are not figures.

`parse_amount` runs the same grammar over what a user types to /figure, and
`amount_matches` scores a stored figure against it.
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import jieba

from store import wordcut
from store.extract import FigureFound
from store.sources import Paragraph
from store.text import fold, pos_tagger, simplified, word_spans

jieba.setLogLevel(logging.WARNING)
logging.getLogger("cn2an").setLevel(logging.ERROR)


@dataclass
class Amount:
    """A value a user typed: 560万美元, $5.6M, 五千亿美元, 17%."""

    value: float
    value_max: float | None
    unit: str | None


# ---------------------------------------------------------------------------
# Vocabulary (all in folded form: Simplified, lower case, NFKC)
# ---------------------------------------------------------------------------

CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
            "六": 6, "七": 7, "八": 8, "九": 9}
CN_MAG = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000, "兆": 10**12}
EN_MAG = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6,
          "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "t": 1e12}
EN_MAG_SHORT = {"k", "m", "b", "t"}  # only after a currency: $5.6m, €109b

CURRENCY_SUFFIX = {
    "美元": "USD", "美金": "USD", "dollars": "USD", "dollar": "USD", "usd": "USD",
    "欧元": "EUR", "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "英镑": "GBP", "pounds": "GBP", "gbp": "GBP",
    "日元": "JPY", "日圆": "JPY", "yen": "JPY", "jpy": "JPY",
    "韩元": "KRW", "韩圆": "KRW", "krw": "KRW",
    "港元": "HKD", "港币": "HKD", "hkd": "HKD",
    "新台币": "TWD", "台币": "TWD", "twd": "TWD",
    "澳元": "AUD", "澳币": "AUD", "aud": "AUD",
    "加元": "CAD", "加币": "CAD", "cad": "CAD",
    "新加坡元": "SGD", "新币": "SGD", "sgd": "SGD",
    "瑞士法郎": "CHF", "瑞郎": "CHF", "chf": "CHF",
    "卢布": "RUB", "印度卢比": "INR", "卢比": "INR", "泰铢": "THB", "越南盾": "VND",
    "林吉特": "MYR", "雷亚尔": "BRL", "兰特": "ZAR",
    "元人民币": "CNY", "人民币": "CNY", "块钱": "CNY", "元": "CNY", "yuan": "CNY",
    "rmb": "CNY", "cny": "CNY",
}
CURRENCIES = sorted(set(CURRENCY_SUFFIX.values()))  # the ISO codes money is stored in
CURRENCY_PREFIX = {
    "us$": "USD", "hk$": "HKD", "nt$": "TWD", "au$": "AUD", "a$": "AUD", "ca$": "CAD",
    "c$": "CAD", "s$": "SGD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY",
    "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "cny": "CNY", "rmb": "CNY",
    "hkd": "HKD", "人民币": "CNY", "新台币": "TWD", "港币": "HKD",
}
CN_CURRENCY_PREFIX = ("人民币", "新台币", "港币")
BARE_YUAN = "元?"  # placeholder unit for a bare 元 until the article's currency is known

# unit surface -> (kind, unit shown); "reject" marks dates and other non-figures
UNITS: dict[str, tuple[str, str | None]] = {
    "%": ("percent", "%"), "个百分点": ("percent", "个百分点"), "百分点": ("percent", "个百分点"),
    "‰": ("percent", "‰"),
    "倍": ("multiple", "倍"),
    "周岁": ("age", "岁"), "岁": ("age", "岁"),
    # durations
    "个多月": ("duration", "个月"), "个半月": ("duration", "个月"), "个月": ("duration", "个月"),
    "个多小时": ("duration", "小时"), "个半小时": ("duration", "小时"), "个小时": ("duration", "小时"),
    "个钟头": ("duration", "小时"), "小时": ("duration", "小时"), "分钟": ("duration", "分钟"),
    "秒钟": ("duration", "秒"), "秒": ("duration", "秒"), "个星期": ("duration", "周"),
    "星期": ("duration", "周"), "礼拜": ("duration", "周"), "周": ("duration", "周"),
    "天": ("duration", "天"), "个季度": ("duration", "季度"), "季度": ("duration", "季度"),
    "年半": ("duration", "年"), "年": ("duration", "年"),
    # lengths and other measurements
    "英尺": ("length", "英尺"), "英寸": ("length", "英寸"), "英里": ("length", "英里"),
    "公里": ("length", "公里"), "千米": ("length", "公里"), "厘米": ("length", "厘米"),
    "毫米": ("length", "毫米"), "纳米": ("length", "纳米"), "奈米": ("length", "纳米"), "微米": ("length", "微米"),
    "公分": ("length", "厘米"), "英吋": ("length", "英寸"), "吋": ("length", "英寸"),
    "公尺": ("length", "米"), "海里": ("length", "海里"), "米": ("length", "米"),
    "km": ("length", "公里"), "cm": ("length", "厘米"), "mm": ("length", "毫米"),
    "nm": ("length", "纳米"), "feet": ("length", "英尺"), "ft": ("length", "英尺"),
    "吨": ("quantity", "吨"), "公斤": ("quantity", "公斤"), "千克": ("quantity", "公斤"),
    "克": ("quantity", "克"), "磅": ("quantity", "磅"), "盎司": ("quantity", "盎司"),
    "kg": ("quantity", "公斤"), "平方公里": ("quantity", "平方公里"), "平方米": ("quantity", "平方米"),
    "平方英尺": ("quantity", "平方英尺"), "亩": ("quantity", "亩"), "公顷": ("quantity", "公顷"),
    "立方米": ("quantity", "立方米"), "毫升": ("quantity", "毫升"), "升": ("quantity", "升"),
    "桶": ("quantity", "桶"), "千瓦时": ("quantity", "千瓦时"), "兆瓦时": ("quantity", "兆瓦时"),
    "吉瓦时": ("quantity", "吉瓦时"), "千瓦": ("quantity", "千瓦"), "兆瓦": ("quantity", "兆瓦"),
    "吉瓦": ("quantity", "吉瓦"), "瓦": ("quantity", "瓦"), "kwh": ("quantity", "千瓦时"),
    "mwh": ("quantity", "兆瓦时"), "gwh": ("quantity", "吉瓦时"), "twh": ("quantity", "太瓦时"),
    "kw": ("quantity", "千瓦"), "mw": ("quantity", "兆瓦"), "gw": ("quantity", "吉瓦"),
    "gb": ("quantity", "GB"), "tb": ("quantity", "TB"), "pb": ("quantity", "PB"),
    "mb": ("quantity", "MB"), "字节": ("quantity", "字节"), "tokens": ("count", "token"),
    "token": ("count", "token"), "词元": ("count", "token"),
    # nouns counted without a classifier
    "人次": ("count", "人次"), "用户": ("count", "用户"), "参数": ("count", "参数"),
    "员工": ("count", "员工"), "网民": ("count", "网民"), "人口": ("count", "人口"),
    # dates, times and decades: not figures
    "年代": ("reject", None), "年级": ("reject", None), "年度": ("reject", None),
    "世纪": ("reject", None), "周年": ("reject", None), "月": ("reject", None),
    "日": ("reject", None), "号": ("reject", None), "时": ("reject", None),
    "点": ("reject", None), "分": ("reject", None), "届": ("reject", None),
}
# single-character classifiers: the counted noun is the classifier itself
CLASSIFIERS = set(
    "名位家块条种次项台颗枚部款篇场件只张份套批支辆架艘座所间层轮例门根片笔本册页段句处类组"
    "起首把封区户人股头匹栋幢剂针盒箱袋瓶杯票道代份"
)
# classifiers that are never a figure after 数 (数位 = digital, 数字, 数组, 数起)
NOT_AFTER_SHU = set("位字组起码据学本段")
# 一 counts only with these kinds (一周, 一倍, 一亿美元); 一个/一种/一家 are indefinite
ONE_OK_KINDS = {"duration", "multiple", "money", "percent", "ratio", "length", "quantity", "age"}

QUAL_BEFORE = {
    "大约": "approx", "大概": "approx", "约合": "approx", "约为": "approx", "约有": "approx", "约": "approx",
    "将近": "approx", "接近": "approx", "近": "approx", "差不多": "approx",
    "超过": "over", "超出": "over", "远超": "over", "超": "over", "逾": "over", "多于": "over",
    "高于": "over", "大于": "over", "至少": "over", "不少于": "over", "不低于": "over",
    "不止": "over", "不下": "over", "最低": "over", "最少": "over",
    "不到": "under", "不足": "under", "低于": "under", "少于": "under", "小于": "under",
    "最多": "under", "至多": "under", "最高": "under", "不超过": "under", "不超": "under",
}
QUAL_AFTER = {"以上": "over", "之多": "over", "以下": "under", "以内": "under",
              "左右": "approx", "上下": "approx"}
# characters before 近/约 that make them part of another word (最近, 附近, 纽约, 条约)
NOT_BEFORE_JIN = set("最附临靠亲邻贴就")
NOT_BEFORE_YUE = set("纽条契预公节制违签婚合")

SEP_RE = re.compile(r"\s?(?:至|到|-|~|—|–|〜)\s?")
AR_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# 兆 is 10^12 in Taiwanese and Hong Kong money (19.7兆元), but a unit prefix in 兆瓦, 兆赫
AR_CN_MAG_RE = re.compile(r"\s?([百千]?(?:万亿|万|亿)|兆(?![瓦赫字比位焦帕])|[百千])")
ZHAO_RE = re.compile(r"兆(?![瓦赫字比位焦帕])")
FAN_RE = re.compile(r"翻了?([一两三])番")
HALF_RE = re.compile(r"半(年|个月)(?![级度])")
_AMOUNT_AFTER_RE = re.compile(r"\s?(?:[万亿兆%]|[百千][万亿]|美元|欧元|元)")
_MONTH_AFTER_RE = re.compile(r"\s?(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s?月")
EN_MAG_RE = re.compile(r"\s?(thousand|million|billion|trillion|mln|mn|bn|tn|k|m|b|t)(?![a-z])")
CN_RE = re.compile(r"[零〇一二两三四五六七八九十百千万亿几]+(?:点[零〇一二三四五六七八九]+[万亿]*)?")
VAGUE_RE = re.compile(r"(数|几|上)([十百千万亿]+)")
AFTER_NUM_RE = re.compile(r"([多余来])([万亿]*)")
FRACTION_AR_RE = re.compile(r"(\d+)/(\d+)(?![\d/])")
QUAL_AFTER_RE = re.compile("|".join(sorted(map(re.escape, QUAL_AFTER), key=len, reverse=True)))


def _alternation(words) -> re.Pattern:
    return re.compile(r"\s?(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")")


UNIT_RE = _alternation(list(UNITS) + list(CURRENCY_SUFFIX))
PREFIX_RE = re.compile("(" + "|".join(sorted(map(re.escape, CURRENCY_PREFIX), key=len, reverse=True)) + r")\s?")
START_RE = re.compile(r"[0-9$€£¥]|[零〇一二两三四五六七八九十百千万亿数几上半翻]|us\$|hk\$|nt\$|人民币|新台币|港币|rmb|usd|eur")
TITLE_RE = re.compile(r"《[^》]{0,80}》")
CLAUSE_STOP = set(",，。;；:：!！?？、()（）“”\"「」『』【】《》\t")
SENTENCE_STOP = set("。!！?？;；")
HAN_RE = re.compile(r"[\u3400-\u9fff]")


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def _cn_value(s: str) -> float | None:
    """A Chinese (or mixed) numeral converted with cn2an; None when it is not one."""
    if not s:
        return None
    if s[0] in "百千万亿":  # 百万 → 一百万: cn2an wants a leading digit
        s = "一" + s
    import cn2an  # here: 0.1 s of imports that only Chinese numerals need

    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError):
        return None
    except Exception:  # noqa: BLE001 - cn2an raises plain Exception on bad input
        return None


def _mag(s: str) -> float:
    out = 1.0
    for ch in s:
        out *= CN_MAG.get(ch, 1)
    return out


@dataclass
class _Num:
    value: float
    vmax: float | None
    end: int
    qual: str | None  # over/approx from 多/余/来; range for 数百, 三四
    arabic: bool
    text: str  # the numeral as written (folded)
    mag: float  # Chinese magnitude written after the digits (1 if none)
    plain_cn: bool  # a single Chinese digit or bare magnitude (三, 两, 十, 百万)
    seq: bool  # digit by digit (二〇二五): a year, never an amount
    vague: bool  # 数/几/上


def _prev_char(t: str, i: int) -> str:
    return t[i - 1] if i > 0 else "\x00"


def _prev_token_latin(t: str, i: int) -> str:
    """The Latin word right before i (one space allowed): "gpt-" for GPT-4o, "llama " for Llama 3."""
    j = i
    if j > 0 and t[j - 1] == " ":
        j -= 1
    k = j
    while k > 0 and (t[k - 1].isascii() and (t[k - 1].isalnum() or t[k - 1] in "-_./")):
        k -= 1
    return t[k:j]


def _parse_number(t: str, p: int) -> _Num | None:
    """The numeral starting at p, with its magnitude and a trailing 多/余/来."""
    m = AR_RE.match(t, p)
    if m:
        if p > 0 and (t[p - 1].isdigit() or t[p - 1] in "./"):
            return None  # the tail of 24/7, 3.14, 2025/1/28
        prev = _prev_token_latin(t, p)
        # R1, H800, GPT-4o, Llama 3.1, DALL-E 3 are names; "ChatGPT 7.49亿" is an amount
        named = any(c.isalpha() for c in prev) and not prev.endswith("$") and prev.strip() not in CURRENCY_PREFIX
        if named and (t[p - 1] != " " or not _AMOUNT_AFTER_RE.match(t, m.end())):
            return None
        digits = m.group()
        value = float(digits.replace(",", ""))
        end = m.end()
        mag = 1.0
        mm = AR_CN_MAG_RE.match(t, end)
        if mm:
            mag = _mag(mm.group(1))
            end = mm.end()
        qual = None
        am = AFTER_NUM_RE.match(t, end)
        if am and am.group(1) in "多余":
            qual = "over"
            end = am.end()
            mag *= _mag(am.group(2))
        return _Num(value * mag, None, end, qual, True, t[p:end], mag, False, False, False)
    m = VAGUE_RE.match(t, p)
    if m:
        base = _mag(m.group(2))
        if m.group(1) == "上":
            if m.group(2)[0] == "十":
                return None
            return _Num(base, None, m.end(), "over", False, m.group(), base, False, False, True)
        return _Num(2 * base, 9 * base, m.end(), "range", False, m.group(), base, False, False, True)
    m = CN_RE.match(t, p)
    if not m:
        return None
    s = m.group()
    end = m.end()
    if "几" in s:
        # 十几 → 11..19, 二十几 → 21..29, 几十 → 20..90 (几 alone is not a figure)
        if s.count("几") != 1 or s == "几":
            return None
        i = s.index("几")
        head, tail = s[:i], s[i + 1 :]
        if tail and all(c in CN_MAG for c in tail) and not head:
            base = _mag(tail)
            return _Num(2 * base, 9 * base, end, "range", False, s, base, False, False, True)
        if not tail and head and head[-1] == "十":
            lo = _cn_value(head)
            if lo is None:
                return None
            return _Num(lo + 1, lo + 9, end, "range", False, s, 1.0, False, False, True)
        return None
    if all(c in CN_DIGIT for c in s) and len(s) >= 2:
        # 三四年 → 3..4; 一两个 → 1..2; 二〇二五 is a year
        if len(s) == 2:
            a, b = CN_DIGIT[s[0]], CN_DIGIT[s[1]]
            if b == a + 1 and a > 0:
                return _Num(a, b, end, "range", False, s, 1.0, False, False, False)
        return _Num(0, None, end, None, False, s, 1.0, False, True, False)
    value = _cn_value(s)
    if value is None:
        return None
    mag = 1.0
    k = len(s)
    while k > 0 and s[k - 1] in "万亿":
        k -= 1
    if k < len(s):
        mag = _mag(s[k:])
    plain = len(s) == 1 or all(c in "百千万亿" for c in s)
    zm = ZHAO_RE.match(t, end)
    if zm and not plain or zm and s[0] in CN_DIGIT:
        value *= 10**12
        mag *= 10**12
        end = zm.end()
        plain = False
    qual = None
    am = AFTER_NUM_RE.match(t, end)
    if am:
        if am.group(1) in "多余":
            qual = "over"
            end = am.end()
            if am.group(2):
                value *= _mag(am.group(2))
                mag *= _mag(am.group(2))
        elif s[-1] in "十百千万":  # 十来个
            qual = "approx"
            end = am.end()
    return _Num(value, None, end, qual, False, s, mag, plain, False, False)


# ---------------------------------------------------------------------------
# Quantities: number + unit, fractions, percents, ranges
# ---------------------------------------------------------------------------

@dataclass
class _Qty:
    start: int
    end: int
    value: float
    vmax: float | None
    kind: str | None  # None: a bare number
    unit: str | None
    qual: str
    num: _Num | None = None


def _jieba_bounds(t: str, a: int, b: int) -> set[int]:
    lo = max(0, a - 6)
    hi = min(len(t), b + 6)
    out = {lo, hi}
    at = lo
    for w in wordcut.cut(t[lo:hi]):  # jieba.tokenize's offsets: the words' ends
        at += len(w)
        out.add(at)
    return out


def preload() -> None:
    """Load now what reading a figure in a question loads on first use: jieba's dictionary,
    its part-of-speech tagger (419个国家) and cn2an (五十亿元), about 1 s in all."""
    import cn2an  # noqa: F401

    jieba.initialize()
    pos_tagger()


def _noun_after(t: str, i: int) -> tuple[str, int]:
    """The noun phrase right after a 个 (150个国家, 两个西方国家): (head noun, length); ('', 0) if none."""
    run: list[str] = []
    for w in pos_tagger().cut(t[i : i + 10]):
        nounish = w.flag[:1] in ("n", "s") or w.flag == "vn" and not run
        if nounish and all(HAN_RE.match(c) for c in w.word) and w.word not in _NOT_NOUN:
            run.append(w.word)
            if len(run) == 2 or w.flag == "vn":
                break
        else:
            break
    if run:
        return run[-1], sum(len(w) for w in run)
    # 三个具有里程碑意义的创新: the head noun comes after a 的 (the raw stays 三个)
    window = t[i : i + 14]
    k = window.find("的")
    if k > 0 and not any(c in CLAUSE_STOP for c in window[:k]):
        for w in pos_tagger().cut(t[i + k + 1 : i + k + 7]):
            if w.flag[:1] in ("n", "v", "s") and len(w.word) >= 2 and all(HAN_RE.match(c) for c in w.word):
                return w.word, 0
            break
    return "", 0


_NOT_NOUN = {"中国", "美国", "以上", "以下", "左右", "之多"}


_CHENG_OK = {"一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十"}


def _unit_at(t: str, i: int, num: _Num):
    """(kind, unit, end, extra_qual) for the unit at i, or None."""
    m = UNIT_RE.match(t, i)
    if m:
        w = m.group(1)
        end = m.end()
        if w in CURRENCY_SUFFIX:
            if w == "元" and end < len(t) and t[end] in "化素件器首旦宇老帅年":
                return None
            if w.isascii() and end < len(t) and t[end].isascii() and t[end].isalpha():
                return None
            if w in ("元", "块钱"):
                return ("money", BARE_YUAN, end, None)  # the article decides: CNY, HKD or TWD
            return ("money", CURRENCY_SUFFIX[w], end, None)
        kind, unit = UNITS[w]
        if w.isascii() and end < len(t) and t[end].isascii() and t[end].isalnum():
            return None
        if w == "点" and num.arabic and (num.value > 24 or "." in num.text) and m.group(0) == w:
            return ("quantity", "点", end, None)  # 暴跌1100点: index points, not 3点 (o'clock)
        if kind == "reject":
            return ("reject", None, end, None)
        if kind == "duration" and w in ("年", "年半") and (num.seq or (
                num.arabic and num.mag == 1 and num.qual is None and "." not in num.text
                and 1000 <= num.value < 3000)):
            return ("reject", None, end, None)  # 2025年, 1997 年, 二〇二五年
        if w == "年" and _MONTH_AFTER_RE.match(t, end):
            return ("reject", None, end, None)  # 24 年 12 月: a date
        extra = "over" if "多" in w else None
        return (kind, unit, end, extra)
    j = i
    if j < len(t) and t[j] == " ":
        j += 1
    if j < len(t) and t[j] == "个":
        noun, length = _noun_after(t, j + 1)
        if noun:
            return ("count", "个" + noun, j + 1 + length, None)  # length 0: unit only
        return ("count", "个", j + 1, None)
    if j < len(t) and t[j] in CLASSIFIERS:
        return ("count", t[j], j + 1, None)
    if j < len(t) and num.arabic and t[j] == "度":
        return ("quantity", "度", j + 1, None)
    cheng_ok = num.text in _CHENG_OK or num.arabic and num.text.isdigit() and 1 <= int(num.text) <= 10
    if j == i and j < len(t) and t[j] == "成" and cheng_ok and not (
            j + 1 < len(t) and t[j + 1] in "不为立功本果就员长熟绩效交都型品分年人千语"):
        return ("percent", "成", j + 1, None)  # 三成 = 30%
    return None


def _adjust(num: _Num, unit: str | None, surface_end: int, t: str) -> float:
    """一年半, 三个半月: the half after the unit."""
    v = num.value
    if unit in ("个月", "小时", "年") and ("半" in t[max(0, surface_end - 3) : surface_end]):
        v += 0.5
    return v


def _quantity_at(t: str, p: int, bare_ok: bool) -> _Qty | None:
    """The quantity starting at p (currency prefix allowed), without pre-qualifiers."""
    currency = None
    q = p
    pm = PREFIX_RE.match(t, p)
    if pm:
        word = pm.group(1)
        if word.isascii() and word[0].isalpha() and p > 0 and t[p - 1].isascii() and t[p - 1].isalpha():
            return None
        if pm.end() < len(t) and (t[pm.end()].isdigit() or t[pm.end()] in CN_DIGIT or t[pm.end()] in "十百千数几"):
            currency = CURRENCY_PREFIX[word]
            q = pm.end()
        elif word in CN_CURRENCY_PREFIX or word.isascii():
            return None
    # 百分之十七, 千分之三
    for lead, scale, kind, unit in (("百分之", 1.0, "percent", "%"), ("千分之", 1e-3, "ratio", None),
                                    ("万分之", 1e-4, "ratio", None)):
        if t.startswith(lead, q):
            j = q + len(lead)
            if t.startswith("百", j) and not (j + 1 < len(t) and t[j + 1] in "分万亿零"):
                return _Qty(p, j + 1, 100.0 * scale, None, kind, unit, "exact")
            n = _parse_number(t, j)
            if n is None or n.seq:
                return None
            return _Qty(p, n.end, n.value * scale, n.vmax * scale if n.vmax else None, kind, unit,
                        n.qual or "exact", n)
    if t.startswith("百分百", q):
        return _Qty(p, q + 3, 100.0, None, "percent", "%", "exact", None)
    if t.startswith(("一半", "半数"), q) and not currency and _prev_char(t, q) not in "另多":
        return _Qty(p, q + 2, 0.5, None, "ratio", None, "exact", None)
    hm = HALF_RE.match(t, q)
    if hm and not currency and _prev_char(t, q) not in "上下前后多大一两三四五六七八九十":
        unit = "年" if hm.group(1) == "年" else "个月"  # 不到半年, 半个月: half a year, half a month
        return _Qty(p, hm.end(), 0.5, None, "duration", unit, "exact", None)
    fm = FAN_RE.match(t, q)
    if fm:  # 翻了一番 = twice as much, 翻两番 = four times
        return _Qty(p, fm.end(), 2.0 ** CN_DIGIT[fm.group(1)], None, "multiple", "倍", "exact", None)
    # 数年, 数家, 数个 (vague count without a magnitude)
    if t.startswith("数", q) and not VAGUE_RE.match(t, q):
        fake = _Num(2, 9, q + 1, "range", False, "数", 1.0, True, False, True)
        if q + 1 < len(t) and t[q + 1] in NOT_AFTER_SHU:
            return None
        if t.startswith("月", q + 1):
            u = ("duration", "个月", q + 2, None)
        elif t.startswith(("日", "天"), q + 1):
            u = ("duration", "天", q + 2, None)
        else:
            u = _unit_at(t, q + 1, fake)
        if not u or u[0] in ("reject", "money", "percent") and not currency:
            return None
        if u[0] == "money" or currency:
            return None
        return _Qty(p, u[2], 2, 9, u[0], u[1], "range", fake)
    num = _parse_number(t, q)
    if num is None:
        return None
    end = num.end
    # 三十分之一
    if t.startswith("分之", end):
        n2 = _parse_number(t, end + 2)
        if n2 is None or n2.seq or n2.vague or not num.value:
            return None
        if num.vmax:  # 几十分之一: 1/90 .. 1/20
            return _Qty(p, n2.end, n2.value / num.vmax, n2.value / num.value, "ratio", None, "range", n2)
        return _Qty(p, n2.end, n2.value / num.value, None, "ratio", None, "exact", n2)
    # 1/30
    if num.arabic and num.mag == 1 and num.qual is None:
        fm = FRACTION_AR_RE.match(t, q)
        if fm and fm.end() >= end and "," not in fm.group():
            a, b = int(fm.group(1)), int(fm.group(2))
            if 0 < a < b < 10_000:
                return _Qty(p, fm.end(), a / b, None, "ratio", None, "exact", num)
            return None
    # $5.6m, 5.6 million dollars
    if num.arabic and num.mag == 1:
        em = EN_MAG_RE.match(t, end)
        if em and (em.group(1) not in EN_MAG_SHORT or currency):
            num.value *= EN_MAG[em.group(1)]
            num.mag = EN_MAG[em.group(1)]
            end = em.end()
            num.end = end
    if num.arabic and end < len(t) and t[end].isascii() and t[end].isalpha():
        um = UNIT_RE.match(t, end)
        if not um:
            return None  # 4o, 5g, 3d
    if num.seq:
        u = _unit_at(t, end, num)
        if u and u[0] == "reject":
            return _Qty(p, u[2], 0, None, "reject", None, "exact", num)
        return None
    u = _unit_at(t, end, num)
    if u and u[0] == "reject":
        return _Qty(p, u[2], 0, None, "reject", None, "exact", num)
    if currency:
        if u and u[0] == "money":
            end = u[2]
        return _Qty(p, end, num.value, num.vmax, "money", currency, num.qual or "exact", num)
    if u is None:
        if not bare_ok:
            return None
        return _Qty(p, end, num.value, num.vmax, None, None, num.qual or "exact", num)
    kind, unit, uend, extra = u
    value = _adjust(num, unit, uend, t)
    if unit == "成":
        value, unit = value * 10, "%"
    return _Qty(p, uend, value, num.vmax, kind, unit, extra or num.qual or "exact", num)


def _qual_before(t: str, start: int) -> tuple[str | None, int]:
    """The qualifier word right before start (one 了 or space allowed): (qualifier, its start)."""
    j = start
    if j > 0 and t[j - 1] in " 了":
        j -= 1
    for n in (3, 2, 1):
        if j - n < 0:
            continue
        w = t[j - n : j]
        q = QUAL_BEFORE.get(w)
        if not q:
            continue
        before = t[j - n - 1] if j - n - 1 >= 0 else "\x00"
        if w == "近" and before in NOT_BEFORE_JIN:
            return None, start
        if w == "约" and before in NOT_BEFORE_YUE:
            return None, start
        if w == "超" and before in "赶高":
            return None, start
        return q, j - n
    return None, start


_LEAD_VERBS = {"突破", "达到", "高达", "多达", "超过", "共计", "总计"}


def _is_figure(num: _Num | None, kind: str | None, led: bool = False) -> bool:
    if num is None:
        return True
    if num.text in ("零", "〇"):
        return False  # 零关税, 零部件
    if num.text in ("一", "壹") and kind not in ONE_OK_KINDS:
        return False  # 一个, 一种, 一家: the indefinite article
    # 百家争鸣, 千年, 万人: magnitudes alone are idioms
    return led or not (num.plain_cn and not num.vague and num.text[0] in "百千万亿"
                       and kind not in ("money", "percent"))


def _find_in_text(t: str, bare_ok: bool = False) -> list[_Qty]:
    """Every figure span in a folded text, left to right."""
    out: list[_Qty] = []
    titles = [(m.start(), m.end()) for m in TITLE_RE.finditer(t)] if "《" in t else []
    pos = 0
    n = len(t)
    while pos < n:
        m = START_RE.search(t, pos)
        if not m:
            break
        p = m.start()
        q1 = _quantity_at(t, p, True)
        if q1 is None:
            pos = p + 1
            continue
        if q1.num is not None and not q1.num.arabic and t[p] in "一二两三四五六七八九十数几上百千万亿":
            prev = _prev_char(t, p)
            if prev in CN_DIGIT or prev in CN_MAG:
                pos = max(p + 1, q1.num.end)
                continue
        q = q1
        # ranges: 3至6个月, 1/6到1/10, 10%-20%, 5-10亿美元
        if q1.kind != "reject":
            sm = SEP_RE.match(t, q1.end)
            if sm:
                q2 = _quantity_at(t, sm.end(), True)
                if q2 is not None and q2.kind == "reject":
                    pos = q2.end
                    continue
                if q2 is not None and q2.num is not None and not (q2.num.seq or q2.num.vague) and (
                        q1.kind is None or q2.kind is None or q1.kind == q2.kind) and (
                        q1.kind or q2.kind or q2.num.arabic and q2.num.mag >= 10_000) \
                        and q1.vmax is None and q2.vmax is None:
                    kind = q2.kind or q1.kind
                    unit = q2.unit if q2.kind else q1.unit
                    v1, v2 = q1.value, q2.value
                    if q1.num and q1.end == q1.num.end and q1.num.mag == 1 and q2.num.mag > 1 \
                            and q1.value <= q2.value / q2.num.mag:
                        v1 *= q2.num.mag  # 5-10亿美元, $5-10 million: the magnitude is written once
                    lo, hi = min(v1, v2), max(v1, v2)
                    if lo != hi:
                        q = _Qty(q1.start, q2.end, lo, hi, kind, unit, "range", q2.num)
                        q1 = None
        if q.kind == "reject":
            pos = q.end
            continue
        qb_pre, _ = _qual_before(t, p)
        led = bool(qb_pre) or t[max(0, p - 2) : p] in _LEAD_VERBS
        if q.kind is None:
            # a bare number: only large amounts (1000万, 3亿, 5 million, 超千万) when scanning
            big = q.num is not None and q.num.mag >= 10_000 and (q.num.arabic or led)
            if not bare_ok and not big:
                pos = max(p + 1, q.num.end if q.num else p + 1)
                continue
            if big:
                q.kind = "quantity"
        if p > 0 and t[p - 1] == "第" or t[max(0, p - 2) : p] == "第 ":
            pos = q.end
            continue
        if not _is_figure(q.num, q.kind, led):
            pos = max(p + 1, q.num.end if q.num else p + 1)
            continue
        if q.num is not None and not q.num.arabic and q.kind in ("count", "duration", "age", "length", "multiple"):
            prev = _prev_char(t, p)
            if prev in "周期拜初" and len(q.num.text) == 1:
                pos = p + 1
                continue  # 周一, 星期三, 初一
            if q.num.text == "一" and q.kind == "duration" and prev in "这那同每某哪另当上下其":
                pos = q.end
                continue  # 这一年, 同一天: a point in time, not a length of it
            if t.startswith("四周", p) and (prev in "顾望看向在扫" or t.startswith("的", q.end)):
                pos = q.end
                continue  # 环顾四周: the surroundings
            if q.unit == "季度" and len(q.num.text) == 1 and "个" not in t[p:q.end]:
                pos = q.end
                continue  # 一季度, 三季度: a quarter's name
            if q.num.vague or q.num.plain_cn and q.kind == "count":
                # 十字路口, 三门峡, 大多数人, 多数年轻人: the numeral is part of a word
                bounds = _jieba_bounds(t, p, q.end)
                single = q.kind == "count" and len(q.unit or "") == 1
                if p not in bounds or single and q.end not in bounds:
                    pos = p + 1
                    continue
        if re.search(r"第[\d一二三四五六七八九十]+个$", t[max(0, p - 6) : p]):
            pos = q.end
            continue  # 第二个十年: a decade, not a duration
        if any(a <= p < b for a, b in titles):
            pos = q.end
            continue
        # qualifiers around the span
        qual = q.qual
        am = QUAL_AFTER_RE.match(t, q.end)
        end = q.end
        if am and not (am.group() == "上下" and am.end() < n and HAN_RE.match(t[am.end()]) and t[am.end()] != "的"):
            if qual in ("exact", None) or qual == "approx":
                qual = QUAL_AFTER[am.group()]
            end = am.end()
        elif q.kind in ("duration", "multiple") and t.startswith("多", end) and not (
                end + 1 < n and t[end + 1] in "次个种样元数项位名家国方少久年月天"):
            if qual == "exact":
                qual = "over"
            end += 1
        qb, _ = _qual_before(t, p)
        if qb and qual == "exact":
            qual = qb
        q.qual = qual
        q.end = end
        out.append(q)
        pos = end
    return out


# ---------------------------------------------------------------------------
# Subject, context, core
# ---------------------------------------------------------------------------

_STOP_TAIL = {
    "仅为", "仅", "只", "只有", "只需", "只要", "为", "是", "达", "达到", "高达", "多达", "约", "大约", "大概",
    "近", "将近", "接近", "超过", "超", "逾", "不到", "不足", "低于", "最高", "至少", "最多", "了", "的", "在",
    "有", "共", "共计", "总计", "合计", "将", "已", "已经", "还", "也", "都", "就", "才", "用", "需", "需要",
    "花", "花费", "约为", "即", "等于", "相当于", "仅用", "仅仅", "区区", "足足", "整整", "总共", "一共",
    "其", "这", "该", "那", "每", "过去", "前", "后", "比", "和", "与", "及", "或", "等", "之", "所",
    "低至", "高至", "到", "至", "从", "由", "对", "向", "把", "被", "给", "让", "使", "再", "又", "更",
    "非常", "很", "这些", "那些", "一", "出", "多出", "得", "着", "过", "地", "来", "去", "以", "于", "中",
    "里", "上", "下", "内", "外", "间", "时", "前后", "之后", "之前", "以来",
}
_STOP_HEAD = {
    "而", "但", "且", "并", "据", "因此", "尽管", "虽然", "如果", "其中", "此外", "同时", "然而", "由于", "而且",
    "并且", "其", "这", "该", "他", "她", "它", "他们", "我们", "你", "我", "就", "也", "还", "却", "那么",
    "所以", "因为", "以及", "和", "与", "则", "在", "对", "的", "了", "是", "又", "即", "当", "将",
}


def _is_word(w: str) -> bool:
    return any(c.isalnum() for c in w)


_DATE_TOKEN_RE = re.compile(r"^(?:\d+|[零〇一二三四五六七八九十]+)(?:年|月|日|号)?$|^(?:年|月|日|号|年底|年初|月底)$")


def _words(t: str, a: int, b: int) -> list[tuple[str, int, int]]:
    """jieba's words of t[a:b] with their offsets; dates and bare numbers left out.

    The words are those of the whole paragraph, which extraction has already segmented
    (store.text.word_spans, cached): segmenting each slice again was a tenth of extraction's
    time. A word the slice cuts counts with its part inside."""
    out = []
    spans = word_spans(t)
    for w, s, e in spans[bisect_right(spans, a, key=itemgetter(2)):]:  # from the first word ending after a
        if s >= b:
            break
        if s < a or e > b:
            s, e = max(s, a), min(e, b)
            w = t[s:e]
        if _is_word(w) and not _DATE_TOKEN_RE.match(w):
            out.append((w, s, e))
    return out


_NOT_NOUN_FLAGS = ("v", "d", "p", "c", "u", "r", "x", "m", "q", "y", "e", "o", "z", "t")


def _nouns_after(t: str, a: int, b: int) -> tuple[int, int] | None:
    """The span of the words naming what follows a figure (两位专家表示 → 专家, 约2000块英伟达
    专用芯片 → 英伟达专用芯片): words up to the first verb, adverb or function word."""
    pos = a
    span = None
    for w in pos_tagger().cut(t[a : min(b, a + 12)]):
        start, pos = pos, pos + len(w.word)
        if span is None and (w.word in _STOP_TAIL or w.word in _STOP_HEAD or not w.word.strip()):
            continue
        if w.flag.startswith(_NOT_NOUN_FLAGS) and w.flag != "vn" or pos - (span or (start,))[0] > 8:
            break
        span = (span[0] if span else start, pos)
    return span


def _clause_bounds(t: str, start: int, end: int, stops: set[str] = CLAUSE_STOP) -> tuple[int, int]:
    a = start
    while a > 0 and t[a - 1] not in stops:
        a -= 1
    b = end
    while b < len(t) and t[b] not in stops:
        b += 1
    return a, b


def _subject(text: str, t: str, q: _Qty, spans: list[tuple[int, int]]) -> str:
    a, b = _clause_bounds(t, q.start, q.end)
    # do not reach into another figure of the same clause
    for s, e in spans:
        if e <= q.start and e > a:
            a = e
        if s >= q.end and s < b:
            b = s
    qb, qstart = _qual_before(t, q.start)
    before = _words(t, a, qstart if qb else q.start)
    while before and (before[-1][0] in _STOP_TAIL or not HAN_RE.search(before[-1][0]) and len(before[-1][0]) < 2):
        before.pop()
    while before and before[0][0] in _STOP_HEAD:
        before.pop(0)
    while before and sum(len(w[0]) for w in before) > 12:
        before.pop(0)
    parts: list[str] = []
    if before:
        parts.append(simplified(text[before[0][1] : before[-1][2]]))
    chars = sum(len(p) for p in parts)
    if chars < 6 or q.kind == "count" and not (q.unit or "").startswith("个"):
        after = _nouns_after(t, q.end, b)
        if after:
            parts.append(simplified(text[after[0] : after[1]]))
    if not parts and a > 1:
        # 达到391亿美元: the clause says nothing; the one before it does
        pa = a - 1
        while pa > 0:
            inside = [s for s, e in spans if s < pa <= e]
            if inside:  # the comma of 5,890 is not a clause break
                pa = inside[0]
                continue
            if t[pa - 1] in CLAUSE_STOP or t[pa - 1] in SENTENCE_STOP:
                break
            pa -= 1
        pb = a - 1
        for s, _e in spans:
            if pa <= s < pb:
                pb = s
        prev = _words(t, pa, pb)
        while prev and prev[-1][0] in _STOP_TAIL:
            prev.pop()
        while prev and prev[0][0] in _STOP_HEAD:
            prev.pop(0)
        while prev and sum(len(w[0]) for w in prev) > 12:
            prev.pop(0)
        if prev:
            parts.append(simplified(text[prev[0][1] : prev[-1][2]]))
    return " ".join(p.strip() for p in parts if p.strip())


def _context(text: str, start: int, end: int, limit: int = 240) -> str:
    a = start
    while a > 0 and text[a - 1] not in SENTENCE_STOP:
        a -= 1
    b = end
    while b < len(text) and text[b] not in SENTENCE_STOP:
        b += 1
    if b < len(text):
        b += 1
    if b - a > limit:
        a = max(a, start - limit // 2)
        b = min(b, end + limit // 2)
    return text[a:b].strip()


_CORE_DURATION_WORDS = ("耗时", "用时", "历时", "花了", "领先", "研发", "训练", "开发")


_CAPTION_STOP = CLAUSE_STOP | {" "}  # a caption is glued to its credit line by a space


_NOT_ALNUM_RE = re.compile(r"[\W_]+")  # \w is str.isalnum() and "_"


def _loose(s: str) -> str:
    """s with only its letters and digits (str.isalnum), for comparing captions with sentences."""
    return _NOT_ALNUM_RE.sub("", s)


def _core(q: _Qty, clause: str) -> bool:
    """Money, percents, ratios, multiples and large counts matter to a story; ages,
    lengths, small counts and incidental durations do not."""
    if q.kind in ("money", "ratio", "multiple"):
        return True
    if q.kind == "percent":
        return not (q.value == 100 and q.vmax is None)
    if q.kind == "count":
        return q.value >= 1000 or (q.value >= 100 and q.qual != "range")
    if q.kind == "duration":
        vague = q.num is not None and q.num.vague
        return not vague and any(w in clause for w in _CORE_DURATION_WORDS)
    if q.kind == "quantity":
        return q.value >= 10_000
    return False


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

_YUAN_MARKS = (("人民币", "CNY"), ("港元", "HKD"), ("港币", "HKD"), ("台币", "TWD"))


def _yuan_currency(paragraphs: list[Paragraph]) -> str:
    """What a bare 元 means in this article: CNY, unless it is written in Traditional script
    and names Hong Kong or Taiwan dollars (and not renminbi) elsewhere."""
    pairs = [(p.text or "", p.folded or "") for p in paragraphs]
    pairs = [(text, folded) for text, folded in pairs if len(text) == len(folded)]
    marks = {code for _text, folded in pairs for word, code in _YUAN_MARKS if word in folded}
    if len(marks) != 1 or "CNY" in marks:
        return "CNY"  # (the script is only looked at when it can matter: counting is slow)
    han = changed = 0
    for text, folded in pairs:
        for a, b in zip(text, folded, strict=True):
            if HAN_RE.match(a):
                han += 1
                changed += a != b
    traditional = han > 0 and changed / han > 0.03
    return marks.pop() if traditional else "CNY"


def find_figures(paragraphs: list[Paragraph]) -> list[FigureFound]:
    """Every stated quantity in the article, in reading order, caption duplicates dropped."""
    yuan = _yuan_currency(paragraphs) if any("元" in (p.folded or "") for p in paragraphs) else "CNY"
    out: list[FigureFound] = []
    seen: list[tuple[tuple, str]] = []
    for para in paragraphs:
        text = para.text or ""
        t = para.folded if para.folded and len(para.folded) == len(text) else fold(text)
        if len(t) != len(text):
            continue
        try:
            found = _find_in_text(t)
        except (ValueError, IndexError, ZeroDivisionError, OverflowError):
            continue
        spans = [(q.start, q.end) for q in found]
        for q in found:
            if q.kind is None or q.kind == "reject":
                continue
            if q.unit == BARE_YUAN:
                q.unit = yuan
            # the raw text starts after any pre-qualifier; currency prefixes stay in it
            raw = text[q.start : q.end].strip()
            if not raw:
                continue
            context = _context(text, q.start, q.end)
            subject = _subject(text, t, q, spans)
            value = float(q.value)
            vmax = float(q.vmax) if q.vmax is not None else None
            if not math.isfinite(value) or (vmax is not None and not math.isfinite(vmax)):
                continue
            key = (round(value, 9), vmax and round(vmax, 9), q.unit, q.qual)
            # a caption repeating a sentence: same value in the same clause (or sentence)
            ca, cb = _clause_bounds(t, q.start, q.end, _CAPTION_STOP)
            loose = [_loose(fold(context))]
            clause = _loose(t[ca:cb])
            if len(clause) >= 8:
                loose.append(clause)
            dup = any(k == key and any(x in y or y in x for x in loose for y in ctx) for k, ctx in seen)
            seen.append((key, loose))
            if dup:
                continue
            out.append(FigureFound(
                paragraph=para.n, start=q.start, end=q.end, raw=raw, kind=q.kind, value=value,
                value_max=vmax, unit=q.unit, qualifier=q.qual, subject=subject, context=context,
                core=_core(q, t[slice(*_clause_bounds(t, q.start, q.end))]),
            ))
    return out


_QUERY_TRIM = set(" \t,，。.!！?？;；:：、\"'“”‘’()（）")
_MINUS = {"-", "−", "－"}  # hyphen-minus, the minus sign, full-width (fold may have made it half-width)


def parse_amount(text: str) -> Amount | None:
    """What a user typed to /figure, as an amount in base units; None when it is not one."""
    if not text:
        return None
    t = fold(" ".join(str(text).split()))[:200]
    a, b = 0, len(t)
    while a < b and t[a] in _QUERY_TRIM:
        a += 1
    while b > a and t[b - 1] in _QUERY_TRIM:
        b -= 1
    t = _typed_forms(t[a:b])
    sign = -1.0 if t[:1] in _MINUS and t[1:2].isdigit() else 1.0  # -5%: a fall, as typed
    if sign < 0:
        t = t[1:]
    if not t:
        return None
    try:
        found = _find_in_text(t, bare_ok=True)
    except (ValueError, IndexError, ZeroDivisionError, OverflowError):
        return None
    if len(found) != 1:
        return None
    q = found[0]
    if q.kind == "reject":
        return None
    _, qstart = _qual_before(t, q.start)
    head = t[:qstart].strip()
    tail = t[q.end :].strip()
    if head or tail:
        return None
    if not math.isfinite(q.value):
        return None
    unit = q.unit
    if unit == BARE_YUAN:
        unit = "CNY"
    if unit == "个":
        unit = None  # 150个: the bare classifier counts anything (stored as 个国家, 个月 ...)
    if sign < 0 and q.vmax is not None:  # -3至6: minus three, or minus both? not guessed
        return None
    return Amount(sign * float(q.value), float(q.vmax) if q.vmax is not None else None, unit)


# How people type amounts that articles do not write: 17 percent, 5.6M, 5.6bn, 5.6e6.
_TYPED_PERCENT = re.compile(r"\s*(?:per\s*cent|percent|pct)$")
_TYPED_SCALE = re.compile(r"(\d)(?:(k|m|b)|\s*(mn|bn))(?![a-z])")  # 5.6m, 5.6 bn; not 5 m (metres)
_TYPED_SCALES = {"k": "thousand", "m": "million", "mn": "million", "b": "billion", "bn": "billion"}
_TYPED_EXPONENT = re.compile(r"(\d+(?:\.\d+)?)e(\d{1,2})(?=\s|$)")


def _typed_forms(t: str) -> str:
    """A folded query with typed shorthands spelt as articles write amounts, for parse_amount:
    '17 percent' → '17%', '5.6m usd' → '5.6 million usd', '5.6e6' → '5600000'."""
    t = _TYPED_PERCENT.sub("%", t)
    t = _TYPED_SCALE.sub(lambda m: f"{m.group(1)} {_TYPED_SCALES[m.group(2) or m.group(3)]}", t)
    return _TYPED_EXPONENT.sub(_digits, t)


def _digits(m: re.Match) -> str:
    """5.6e6 → 5600000 (left as it is from a quadrillion up, which no article writes so)."""
    value = float(m.group(1)) * 10 ** int(m.group(2))
    return f"{value:.10g}" if value < 1e15 else m.group(0)


def _close(a: float, b: float, tol: float = 1e-3) -> bool:
    return math.isclose(a, b, rel_tol=tol, abs_tol=1e-9)


def amount_holds(figure_value: float, figure_value_max: float | None, amount: Amount) -> bool:
    """Whether a figure is the amount asked rather than only near it: the same value, a
    range holding it, or, for a range asked, a value or range overlapping it."""
    lo = float(figure_value)
    hi = float(figure_value_max) if figure_value_max is not None else lo
    if amount.value_max is None:
        return _close(lo, amount.value) if figure_value_max is None else lo <= amount.value <= hi
    return lo <= amount.value_max and amount.value <= hi


def amount_matches(figure_value: float | None, figure_value_max: float | None,
                   figure_unit: str | None, amount: Amount) -> float:
    """How well a stored figure answers an amount a user typed, 0 (not at all) to 1 (exact).

    Exact value (and, for a range, the same range) = 1.0; a figure's range containing the
    amount = 0.8; a value within 10% = 0.5..0.7. A different currency, or a percent
    against a non-percent, never matches; a different counted noun costs a little.
    """
    if figure_value is None or amount is None:
        return 0.0
    fu, au = figure_unit, amount.unit
    currencies = set(CURRENCY_SUFFIX.values())
    penalty = 1.0
    if au is not None and fu != au:
        if {au, fu} == {"%", "个百分点"}:
            penalty = 0.8
        elif au in currencies or fu in currencies or au == "%" or fu == "%":
            return 0.0
        elif fu is None or not (au in fu or fu in au):
            penalty = 0.8
    v = float(figure_value)
    vmax = float(figure_value_max) if figure_value_max is not None else None
    a = float(amount.value)
    amax = float(amount.value_max) if amount.value_max is not None else None
    if amax is not None:
        if vmax is not None and _close(v, a) and _close(vmax, amax):
            return 1.0 * penalty
        lo, hi = (v, vmax) if vmax is not None else (v, v)
        if lo <= amax and a <= hi:
            return 0.7 * penalty
        return 0.0
    if _close(v, a) and vmax is None:
        return 1.0 * penalty
    if vmax is not None:
        if _close(v, a) or _close(vmax, a):
            return 0.9 * penalty
        if v <= a <= vmax:
            return 0.8 * penalty
    ref = v if vmax is None else (v if abs(a - v) < abs(a - vmax) else vmax)
    if ref and abs(a - ref) / abs(ref) <= 0.10:
        return (0.7 - 2 * abs(a - ref) / abs(ref)) * penalty
    return 0.0
