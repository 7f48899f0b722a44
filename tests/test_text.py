"""Folding, tokens and FTS5 expressions."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from store.text import char_tokens, clean_query, fold, fold_loose, match_expression, query_terms


def test_fold_joins_scripts_widths_and_separators():
    assert fold("納德拉") == fold("纳德拉") == "纳德拉"
    assert fold("ＤｅｅｐＳｅｅｋ") == "deepseek"
    assert fold("萨提亚・纳德拉") == fold("萨提亚·纳德拉") == fold("薩提亞‧納德拉")
    assert fold("小院高牆") == fold("小院高墻") == "小院高墙"


@given(st.text(max_size=200))
def test_fold_keeps_length(s):
    assert len(fold(s)) == len(s)


def test_fold_loose_drops_punctuation():
    assert fold_loose("“我們應該…非常嚴肅!”") == "我们应该非常严肃"


def test_tokens_split_han_keep_latin_and_numbers_whole():
    assert char_tokens(fold("英偉達H800芯片 GPT-4o")) == ["英", "伟", "达", "h800", "芯", "片", "gpt", "4o"]


@given(st.text(max_size=60))
def test_match_expression_is_always_valid_fts5(s):
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(chars, words)")
    conn.execute("insert into t values ('纳 德 拉', '纳 德拉')")
    for split in (False, True):
        expr = match_expression(query_terms(s, split_words=split))
        if expr:
            conn.execute("select count(*) from t where t match ?", [expr]).fetchone()


def test_query_terms_glue_single_characters():
    assert query_terms("英伟达芯片", split_words=True)[0] == ["英", "伟", "达"]


def test_clean_query_removes_controls_and_caps_length():
    assert clean_query("a\x00b\x1b[2J  c") == "a b [2J c"
    assert len(clean_query("字" * 5000)) == 500
