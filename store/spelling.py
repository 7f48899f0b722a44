"""Names one typo apart, found without comparing a name with every name the store holds.

A name that is no alias is taken for a misspelling (store.search). Scoring it against every
Latin and pinyin form grows with the corpus (rapidfuzz: 2 ms at N=10,000, 8 ms at 50,000).
Two names one typo apart (a letter dropped, doubled, swapped or wrong) are each at most one
deleted letter from a common form, so an index of every form and its single deletions finds
them in a few lookups however many names there are: the deletion neighbourhoods of Wolf
Garbe's SymSpell. The symspellpy package keeps each deletion as a string in a dict (about 100
bytes each: some 60 MB at N=10,000); this keeps 8 bytes for each, a 40-bit hash and the
form's position, in one sorted array (5 MB at N=10,000, 19 MB at 50,000).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

from rapidfuzz.distance import LCSseq

_ID_BITS = 24  # forms an index can hold: 16.7 million (N=50,000 has 194,255 Latin ones)
_HASH_MASK = (1 << 40) - 1
_ID_MASK = (1 << _ID_BITS) - 1
_RANGE_BITS = 8  # the keys are sorted in 256 ranges of their top bits (see TypoIndex)
_RANGE_SHIFT = 40 + _ID_BITS - _RANGE_BITS


def one_typo_apart(a: str, b: str) -> bool:
    """Whether each name is at most one letter away from what the two have in common (their
    longest common subsequence): a letter dropped, added, swapped or replaced."""
    return LCSseq.similarity(a, b) >= max(len(a), len(b)) - 1


def _deletions(form: str) -> set[str]:
    """The form and each form with one of its letters left out."""
    return {form, *[form[:i] + form[i + 1:] for i in range(len(form))]}


class TypoIndex:
    """Every form's single deletions, hashed and sorted: which forms are one typo from a name.

    Built in 0.56 s for N=10,000's 53,055 forms (2.4 s for 194,255 at 50,000), so a process
    that answers many questions builds it (Store.preload), and a one-shot lookup compares
    every form instead. Hashes are Python's own: a collision only adds a form that
    one_typo_apart then turns away.
    """

    def __init__(self, forms: list[str]):
        if len(forms) > _ID_MASK:
            raise ValueError(f"{len(forms):,} forms: a TypoIndex holds at most {_ID_MASK:,}")
        self.forms = forms
        keys: list[int] = []
        add = keys.extend
        for i, form in enumerate(forms):
            add([(hash(d) & _HASH_MASK) << _ID_BITS | i for d in _deletions(form)])
        # Sorted range by range of their top bits, not in one call: one sort of 636,366 keys
        # (N=10,000) held the interpreter for 0.37 s and their conversion to an array 0.2 s,
        # which a question answered meanwhile in another thread (store.rewarm) waited out. By
        # ranges no step takes more than 2-6 ms, and all of it 20% less.
        ranges: list[list[int]] = [[] for _ in range(1 << _RANGE_BITS)]
        put = [r.append for r in ranges]
        for key in keys:
            put[key >> _RANGE_SHIFT](key)
        self._keys = array("Q")
        for r in ranges:
            r.sort()
            self._keys.extend(r)

    def near(self, name: str) -> list[int]:
        """The positions in `forms` of those one typo from the name (itself included), in order."""
        keys, found = self._keys, set()
        for d in _deletions(name):
            h = hash(d) & _HASH_MASK
            i = bisect_left(keys, h << _ID_BITS)
            while i < len(keys) and keys[i] >> _ID_BITS == h:
                found.add(keys[i] & _ID_MASK)
                i += 1
        return sorted(i for i in found if one_typo_apart(name, self.forms[i]))

    def __len__(self) -> int:
        return len(self.forms)
