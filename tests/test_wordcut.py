"""store.wordcut gives jieba.cut's words: on the seeds, generated articles and odd input."""

from __future__ import annotations

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from store.wordcut import cut
from tests.conftest import paragraphs


def _same(text: str, dt=None) -> None:
    tokenizer = dt or jieba.dt
    assert list(cut(text, dt)) == list(tokenizer.cut(text)), text


def test_the_seeds_split_as_jieba_splits_them():
    texts = [t for p in paragraphs() for t in (p.text, p.folded)]
    assert len(texts) > 100
    for t in texts:
        _same(t)


def test_generated_articles_split_as_jieba_splits_them(tmp_path):
    generate(40, 11, tmp_path)
    texts = [t for p in paragraphs(tmp_path) for t in (p.text, p.folded)]
    assert len(texts) > 400
    for t in texts:
        _same(t)


@pytest.mark.parametrize("text", [
    "", " ", "\r\n", "a\r\nb  c\t", "C++和C#都是语言", "增长3.5%，达到1,200亿元", "e-mail与AI-2027",
    "〇一二三", "😀表情😀", "乌尔苏拉·冯德莱恩说", "萨提亚‧纳德拉", "納德拉表示：「很好」",
    "龘靐齉爩", "的的的的的的", "中华人民共和国国务院新闻办公室", "x" * 300 + "中文",
])
def test_odd_input_splits_as_jieba_splits_it(text):
    _same(text)


_ALPHABET = st.sampled_from(list("的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会")
                            + list("萨提亚纳德拉英伟达芯片营收亿美元龘靐齉") + list("ab1.%-#+ ，。、：“”\n"))


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_any_text_splits_as_jieba_splits_it(text):
    _same(text)


def _tokenizer(freq: dict[str, int], total: int) -> jieba.Tokenizer:
    dt = jieba.Tokenizer()
    dt.FREQ, dt.total, dt.initialized = dict(freq), total, True
    return dt


def test_ties_go_to_the_longer_word_as_in_jieba():
    """With every word as likely (total 1: each log-probability 0) every route ties."""
    dt = _tokenizer({"甲": 1, "乙": 1, "丙": 1, "甲乙": 1, "乙丙": 1}, 1)
    _same("甲乙丙", dt)
    assert list(cut("甲乙丙", dt)) == ["甲乙", "丙"]


def test_a_word_added_to_the_dictionary_is_seen():
    """Log-probabilities are cached per dictionary and total, and jieba.add_word raises the
    total: 甲|乙 is likelier than 甲乙 while the total is under 100 × 100 / 1, not after."""
    dt = _tokenizer({"甲": 100, "乙": 100, "甲乙": 1}, 5000)
    _same("甲乙", dt)
    assert list(cut("甲乙", dt)) == ["甲", "乙"]
    dt.add_word("丁", 20000)
    _same("甲乙", dt)
    assert list(cut("甲乙", dt)) == ["甲乙"]
    _same("蓝海电池技术公司的营收增长")  # jieba's own dictionary is another: its words are as before


def test_a_word_jieba_is_told_to_split_is_split():
    """jieba's HMM runs are remembered, keyed to its list of words always split
    (jieba.del_word adds to it): a name found once is split once it is on the list."""
    from jieba import finalseg

    assert list(cut("马倩丽说")) == ["马倩丽", "说"] == list(jieba.cut("马倩丽说"))
    finalseg.add_force_split("马倩丽")
    try:
        _same("马倩丽说")
        assert list(cut("马倩丽说")) == ["马", "倩", "丽", "说"]
    finally:
        finalseg.Force_Split_Words.discard("马倩丽")
    assert list(cut("马倩丽说")) == ["马倩丽", "说"]
