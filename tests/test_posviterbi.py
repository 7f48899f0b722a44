"""store.posviterbi gives jieba.posseg's Viterbi answer: on names, the seeds and random text."""

from __future__ import annotations

import random

import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from store import posviterbi
from store.text import pos_tagger
from tests.conftest import paragraphs


def _same(text: str) -> None:
    args = (char_state_tab_P, start_P, trans_P, emit_P)
    assert posviterbi.viterbi(text, *args) == jieba_viterbi(text, *args), text


@pytest.mark.parametrize("name", [
    "蒋浩晨", "纳德拉", "奎爾巴赫", "梁文锋", "加里利", "马倩丽", "高倩丽", "萨提亚", "冯德莱恩", "黄仁勋",
    "由朗星", "杜娟晓说", "官卢", "龘靐齉爩", "的", "𠀀", "ㄅ",
])
def test_names_are_tagged_as_jieba_tags_them(name):
    _same(name)


def test_random_runs_of_characters_posseg_knows_score_as_jieba_scores_them():
    """Ties are common here (states sharing the floor probability), so a wrong tie-break fails."""
    chars = sorted(char_state_tab_P)
    rnd = random.Random(5)
    for _ in range(2000):
        _same("".join(rnd.choice(chars) for _ in range(rnd.choice([1, 2, 3, 3, 4, 6, 9]))))


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("蒋浩晨纳德拉萨提亚冯莱恩的了是说表示龘靐齉爩𠀀㐀")), min_size=1, max_size=12))
def test_any_han_text_scores_as_jieba_scores_it(text):
    _same(text)


def test_pos_tagger_installs_it_and_tags_the_seeds_as_jieba_would(monkeypatch):
    tagger = pos_tagger()
    assert tagger.viterbi is posviterbi.viterbi
    texts = [p.folded for p in paragraphs()]
    assert len(texts) > 50
    ours = [[(w.word, w.flag) for w in tagger.cut(t)] for t in texts]
    monkeypatch.setattr(jieba.posseg, "viterbi", jieba_viterbi)
    assert ours == [[(w.word, w.flag) for w in jieba.posseg.cut(t)] for t in texts]
