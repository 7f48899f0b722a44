"""store.spelling: which names are one typo apart, found through the deletion index."""

from __future__ import annotations

import random

import pytest

from store.spelling import TypoIndex, one_typo_apart


@pytest.mark.parametrize("a, b", [
    ("nadella", "nadela"),  # a letter dropped
    ("nadella", "naddella"),  # doubled
    ("nadella", "ndaella"),  # swapped
    ("nadella", "nadetla"),  # wrong
    ("nadella", "nadella"),
])
def test_one_typo_apart(a, b):
    assert one_typo_apart(a, b) and one_typo_apart(b, a)


@pytest.mark.parametrize("a, b", [("nadella", "nadla"), ("nadella", "nedela"), ("gutianhua", "gianhua")])
def test_two_typos_are_not_one(a, b):
    assert not one_typo_apart(a, b) and not one_typo_apart(b, a)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    kind = rng.choice(("drop", "add", "swap", "wrong", "two"))
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "add":
        return word[:i] + rng.choice("aen ") + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1: i + 2] + word[i] + word[i + 2:]
    if kind == "wrong":
        return word[:i] + rng.choice("aen") + word[i + 1:]
    return word[:i] + word[i + 2:]


def test_the_index_finds_every_form_one_typo_away_and_no_other():
    """Against comparing the name with every form: the same positions, typos of every kind."""
    rng = random.Random(5)
    syllables = ["zhang", "wei", "ming", "li", "na", "hua", "martin", "dale", "nor", "ro", "an", " "]
    forms = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).strip() for _ in range(3000)})
    index = TypoIndex(forms)
    assert len(index) == len(forms)
    assert list(index._keys) == sorted(index._keys)  # sorted range by range, in order overall
    found = 0
    for form in rng.sample(forms, 300):
        name = _typo(form, rng)
        want = [i for i, f in enumerate(forms) if one_typo_apart(name, f)]
        assert index.near(name) == want, name
        found += bool(want)
    assert found > 250  # most typos are one typo from their form; "two" ones may be from none
    assert index.near("qqqqqqqq") == []
