"""jieba's accurate mode (HMM on): the same words as `jieba.cut`, 1.5–1.7× faster.

Segmentation is a third of indexing. jieba.cut builds each block's graph of dictionary
words (a dict of lists), then walks it again from the right for the likeliest route,
slicing every word a second time and taking its logarithm on every edge, in pure Python.
Here both happen in one pass from the right, and a word's log-probability is computed once
per process (a dict of the words met, at most jieba's 349,046: a few MB in practice; an index
worker's peak went from 187 to 193 MB at N=10,000). Everything else is jieba's own: its dictionary (`jieba.dt.FREQ` and `total`),
how it splits text into blocks (`re_han_default`, `re_skip_default`), its tie-breaking (the
longer word) and its HMM for runs of single characters (`jieba.finalseg`).
tests/test_wordcut.py compares the words with jieba.cut's on the seeds, generated articles
and odd input, so a jieba upgrade that changes its algorithm fails there.

Written by hand rather than taken from a library: jieba_fast does this in C but is
unmaintained and needs a compiler on the user's machine. docs/performance.md (twelfth
round) has the before and after.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from math import log

import jieba
from jieba import finalseg

_logp: dict[str, float] = {}  # word → log(frequency / total), for the dictionary below
_logp_of: list = [None]  # the (FREQ, total) it was filled for: add_word raises total, another tokenizer has its own


def cut(text: str, dt: jieba.Tokenizer | None = None) -> Iterator[str]:
    """The words of `text`, as `jieba.cut(text)` (accurate mode, HMM on) gives them; with
    `dt`, as that tokenizer's cut does (its own dictionary)."""
    dt = dt or jieba.dt
    dt.check_initialized()
    if _logp_of[0] != (id(dt.FREQ), dt.total):
        _logp.clear()
        _logp_of[0] = (id(dt.FREQ), dt.total)
    re_han, re_skip = jieba.re_han_default, jieba.re_skip_default
    for block in re_han.split(text):
        if not block:
            continue
        if re_han.match(block):
            yield from _cut_block(block, dt.FREQ, log(dt.total))
        else:
            for part in re_skip.split(block):
                if re_skip.match(part):
                    yield part
                else:
                    yield from part


def _cut_block(block: str, freq: dict[str, int], logtotal: float) -> Iterator[str]:
    """One block of Han characters, Latin letters and digits (jieba's __cut_DAG)."""
    get, logp = freq.get, _logp
    n = len(block)
    score = [0.0] * (n + 1)  # the likeliest route's log-probability from each position to the end
    end = [0] * (n + 1)  # where that route's first word ends
    for i in range(n - 1, -1, -1):
        best = None
        last = i  # the end of the best word so far; on a tie the longer word wins, as in jieba
        j = i
        frag = block[i]
        f = get(frag)
        while f is not None:  # every prefix of a dictionary word is a key (0 when not a word itself)
            if f:
                p = logp.get(frag)
                if p is None:
                    p = logp[frag] = log(f) - logtotal
                s = p + score[j + 1]
                if best is None or s >= best:
                    best, last = s, j
            j += 1
            if j == n:
                break
            frag = block[i:j + 1]
            f = get(frag)
        if best is None:  # no word starts here: the character alone
            best = (log(get(block[i]) or 1) - logtotal) + score[i + 1]
        score[i] = best
        end[i] = last + 1
    i, buf = 0, ""
    while i < n:
        j = end[i]
        if j - i == 1:
            buf += block[i]
        else:
            if buf:
                yield from _singles(buf, get)
                buf = ""
            yield block[i:j]
        i = j
    if buf:
        yield from _singles(buf, get)


def _singles(buf: str, get) -> Iterator[str]:
    """A run of characters the route took one by one: a word jieba's HMM may find in it."""
    if len(buf) == 1:
        yield buf
    elif not get(buf):
        yield from _hmm(buf, len(finalseg.Force_Split_Words))
    else:
        yield from buf


@lru_cache(maxsize=16384)
def _hmm(buf: str, _force_split: int) -> tuple[str, ...]:
    """jieba's HMM over a run, remembered: the same runs come back (新的, 也有, a name in every
    paragraph that mentions it): 10,354 distinct among 49,952 in 600 generated articles.
    The second argument keys it to jieba.del_word's list of words always split."""
    return tuple(finalseg.cut(buf))
