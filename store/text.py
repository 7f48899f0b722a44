"""Text folding and full-text tokens.

Every text is folded the same way before it is indexed or queried (NFKC, OpenCC t2s,
casefold, one name separator), so 納德拉 finds 纳德拉 and ＄ finds $. Folding keeps the
length of the text wherever it can, so an offset found in the folded text points at the
same characters in the original, which is what answers show.

The full-text index holds one token per character position: each Han character together
with the next (a bigram: 英伟达 → 英伟 伟达 达…), Latin words and numbers whole. A query
term becomes the phrase of its bigrams, so any substring still matches (even a word jieba
would glue to its neighbour), while each token is far rarer than a single character: a
lookup reads short lists, and its cost grows slowly with the corpus.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import opencc

from store import posviterbi, wordcut

jieba.setLogLevel(logging.WARNING)

NAME_SEPARATORS = "·‧・•∙⋅"
_SEP_TABLE = str.maketrans({c: "·" for c in NAME_SEPARATORS})
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
_TOKEN_RE = re.compile(f"[{HAN}]|[^\\W_{HAN}]+")
# A run of Han characters (punctuation between them allowed, as a phrase of characters skips
# it), or a Latin word or number.
_RUN_RE = re.compile(f"[{HAN}](?:[\\W_]*[{HAN}])*|[^\\W_{HAN}]+")
_NOT_HAN_RE = re.compile(f"[^{HAN}]+")
_WORD_RE = re.compile(r"[^\W_]+")
_CONTROL_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # a terminal's colour codes whole


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Every character a rule of OpenCC's t2s dictionaries changes (tests/test_t2s_changes.py
# derives it from them): a text holding none is its own Simplified form. OpenCC costs about
# half a microsecond a character, most of what folding costs, and most text is Simplified.
T2S_CHANGES_FILE = Path(__file__).with_name("t2s_changes.txt")


@lru_cache(maxsize=1)
def _t2s_changes() -> re.Pattern:
    """The listed characters of the Basic Multilingual Plane, and any character beyond it.

    A class holding characters beyond the plane makes `re` test them one by one (65× slower
    than the OpenCC call it saves); the rare such character is sent to OpenCC instead."""
    chars = "".join(T2S_CHANGES_FILE.read_text("utf-8").split())
    return re.compile("[" + re.escape("".join(c for c in chars if c <= "\uffff")) + "\U00010000-\U0010ffff]")


def _may_convert(chars: str) -> bool:
    """Whether OpenCC's t2s could change the text (else it is already Simplified)."""
    return _t2s_changes().search(chars) is not None


def _fold_char(c: str) -> str:
    n = unicodedata.normalize("NFKC", c).casefold()
    return n if len(n) == 1 else c.lower()


class _FoldTable(dict):
    """ord(c) → c folded (NFKC, casefold, one name separator), filled on first sight.

    str.translate over this table folds a text character by character at C speed.
    """

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c in NAME_SEPARATORS:
            out = "·"
        elif _CONTROL_RE.match(c):
            out = " "
        else:
            out = _fold_char(c)
        self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Fold text for matching: NFKC, Traditional → Simplified, casefold, one name separator.

    The result has the same length as the input (characters that NFKC or casefold would
    expand are only lower-cased), so offsets carry over to the original text.
    """
    if not text:
        return ""
    chars = text.translate(_FOLD_TABLE)
    if not _may_convert(chars):
        return chars.translate(_SEP_TABLE)
    simplified = _t2s().convert(chars)
    if len(simplified) != len(chars):  # a phrase rule changed the length: go char by char
        simplified = "".join(
            s if len(s := _t2s().convert(c)) == 1 else c for c in chars
        )
    return simplified.translate(_SEP_TABLE)


def fold_loose(text: str) -> str:
    """Fold and drop punctuation and white space: the form quotes are compared in."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def is_han(ch: str) -> bool:
    return bool(HAN_RE.match(ch))


def char_tokens(folded: str) -> list[str]:
    """Each Han character alone; Latin words and numbers whole."""
    return _TOKEN_RE.findall(folded)


_tags_shared = threading.Lock()
_tags_done = False


def pos_tagger():
    """jieba.posseg, its word → tag table sharing jieba's dictionary's strings.

    posseg reads the same dictionary file again and keeps its own copy of each of 349,046
    words and of each tag (53 MB); made to hold jieba's words and one string per tag, it keeps
    about half: 29 MB less at the peak of a process answering at N=10,000, and of each index
    worker. In place, so a table already bound elsewhere (store.people) stays the one used,
    and once, under a lock: a word is briefly out of the table while it is put back. Its
    Viterbi for words the dictionary lacks is store.posviterbi's (the same tags, 3–4× faster)."""
    global _tags_done
    import jieba.posseg  # on first use: its model tables take 0.3 s a one-shot answer seldom needs

    if _tags_done:  # called for every figure's context: no lock once the table is shared
        return jieba.posseg
    with _tags_shared:
        if not _tags_done:
            jieba.initialize()
            jieba.posseg.viterbi = posviterbi.viterbi  # the name posseg's __cut calls
            table = jieba.posseg.dt.word_tag_tab
            for word in jieba.dt.FREQ:
                tag = table.pop(word, None)
                if tag is not None:
                    table[word] = sys.intern(tag)
            _tags_done = True
    return jieba.posseg


@lru_cache(maxsize=4096)
def segment(folded: str) -> tuple[str, ...]:
    """jieba's words for a folded text (store.wordcut: jieba.cut's words, faster), cached:
    extraction's stages and query splitting share it."""
    return tuple(wordcut.cut(folded))


@lru_cache(maxsize=256)  # an article's paragraphs: extraction's stages take them in turn
def word_spans(folded: str) -> tuple[tuple[str, int, int], ...]:
    """segment's words with their [start, end) offsets in the folded text."""
    spans, at = [], 0
    for w in segment(folded):
        spans.append((w, at, at + len(w)))
        at += len(w)
    return tuple(spans)


def word_tokens(folded: str) -> list[str]:
    """jieba's words, reduced to word characters (punctuation dropped)."""
    out: list[str] = []
    for w in segment(folded):
        if w.isalnum():
            out.append(w)
        else:
            out.extend(_WORD_RE.findall(w))
    return out


def gram_tokens(folded: str) -> list[str]:
    """The index's tokens: one per position, a Han character with the next Han character
    (the last of a run alone), Latin words and numbers whole."""
    return index_text(folded).split()


def index_text(folded: str) -> str:
    """The value a full-text column is given for a folded text: gram_tokens, space-separated.

    Built run by run with map() over each Han run and the run shifted by one, which keeps
    the per-character work in C: this runs over every text an index run writes.
    """
    out: list[str] = []
    for run in _RUN_RE.findall(folded):
        if not is_han(run):
            out.append(run)
            continue
        if not run.isalnum():  # punctuation inside the run: the pairs skip it
            run = _NOT_HAN_RE.sub("", run)
        out.extend(map(str.__add__, run[:-1], run[1:]))
        out.append(run[-1])
    return " ".join(out)


def phrase(tokens: list[str]) -> str:
    """An FTS5 phrase for a term's character tokens, in the index's bigrams.

    英伟达 → "英伟 伟达": the last character is in the bigram before it. A term ending in a
    lone Han character (2024年, or 年 alone) ends in a prefix token, "2024 年" *, since in
    the text that character is paired with whatever follows it. Tokens hold only word
    characters, so quoting them can never produce FTS5 syntax.
    """
    grams: list[str] = []
    last = len(tokens) - 1
    for i, t in enumerate(tokens):
        han = is_han(t)
        if han and i < last and is_han(tokens[i + 1]):
            grams.append(t + tokens[i + 1])
        elif not (han and i == last and i > 0 and is_han(tokens[i - 1])):
            grams.append(t)
    prefix = is_han(tokens[-1]) and (last == 0 or not is_han(tokens[-2]))
    return '"' + " ".join(grams) + '"' + (" *" if prefix else "")


def query_terms(text: str, split_words: bool = False) -> list[list[str]]:
    """The terms of a user query: one list of character tokens per term.

    Whitespace separates terms. With split_words, each term is further split into
    jieba's words, so 英伟达芯片 also finds 英伟达专用芯片.
    """
    terms: list[list[str]] = []
    for part in fold(text).split():
        pieces = _glue_singles(word_tokens(part)) if split_words else [part]
        for piece in pieces:
            toks = char_tokens(piece)
            if toks and toks not in terms:  # a word twice (北辰芯片 芯片) is required once
                terms.append(toks)
    return terms


def _glue_singles(words: list[str]) -> list[str]:
    """Join a lone Han character to the word after it (英/伟达 → 英伟达): one character
    alone is too weak a term to require on its own."""
    out: list[str] = []
    carry = ""
    for w in words:
        if len(w) == 1 and is_han(w):
            carry += w
            continue
        out.append(carry + w)
        carry = ""
    if carry:
        if out and is_han(out[-1][-1]):
            out[-1] += carry
        else:
            out.append(carry)
    return out


def match_expression(terms: list[list[str]]) -> str | None:
    """An FTS5 MATCH expression requiring every term, as a phrase, in any column."""
    if not terms:
        return None
    return " AND ".join(phrase(toks) for toks in terms)


def clean_query(text: str, limit: int = 500) -> str:
    """User text made safe to process: control characters removed, length capped."""
    text = _CONTROL_RE.sub(" ", text or "")
    if not text.isprintable():  # only then can it hold surrogates, private-use or unassigned code points
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cs", "Co", "Cn"))
    return " ".join(text.split())[:limit]


@lru_cache(maxsize=1)
def _regions() -> tuple[opencc.OpenCC, opencc.OpenCC]:
    return opencc.OpenCC("tw2sp"), opencc.OpenCC("s2twp")


def regional_forms(text: str) -> list[str]:
    """The text in the other side's words, in Simplified script, where they differ from it:
    Taiwan's 輝達, 晶片, 人工智慧 as the mainland's 英伟达, 芯片, 人工智能 (OpenCC tw2sp), and
    the mainland's words as Taiwan's (s2twp), for an article from Taiwan. Folding changes the
    script only; a question whose words as typed find nothing is asked again in these."""
    base = simplified(text)
    to_mainland, to_taiwan = _regions()
    out: list[str] = []
    for form in (to_mainland.convert(text), to_taiwan.convert(base)):
        form = simplified(form)
        if form != base and form not in out:
            out.append(form)
    return out


def simplified(text: str) -> str:
    """Traditional → Simplified and NFKC, without case folding: the form names are shown in."""
    if not text:
        return text
    text = unicodedata.normalize("NFKC", text)
    return (_t2s().convert(text) if _may_convert(text) else text).translate(_SEP_TABLE)
