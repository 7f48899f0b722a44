"""Folding, tokens and FTS5 expressions."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from store.text import (
    char_tokens,
    clean_query,
    fold,
    fold_loose,
    gram_tokens,
    index_text,
    match_expression,
    query_terms,
)


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


def test_index_tokens_pair_each_han_character_with_the_next():
    assert gram_tokens(fold("英偉達H800芯片，GPT-4o")) == ["英伟", "伟达", "达", "h800", "芯片", "片", "gpt", "4o"]
    assert gram_tokens("中国，美国") == ["中国", "国美", "美国", "国"]  # as a phrase of characters would


def _fts(*texts: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(text, content='', tokenize='unicode61')")
    conn.executemany("insert into t(rowid, text) values (?, ?)", [(i, index_text(fold(x))) for i, x in enumerate(texts)])
    return conn


@given(st.text(max_size=60))
def test_match_expression_is_always_valid_fts5(s):
    conn = _fts("纳德拉说")
    for split in (False, True):
        expr = match_expression(query_terms(s, split_words=split))
        if expr:
            conn.execute("select count(*) from t where t match ?", [expr]).fetchone()


HAN_AND_MORE = st.text(alphabet="中国美人芯片年度第3a，。 ", max_size=30)


@given(HAN_AND_MORE, st.data())
def test_a_term_matches_exactly_the_texts_holding_it(text, data):
    """Bigrams answer like a phrase of single characters: a term matches where its
    characters stand in a row (punctuation between them skipped), and nowhere else."""
    term = data.draw(st.text(alphabet="中国美人芯片年度第3a", min_size=1, max_size=4))
    conn = _fts(text)
    expr = match_expression(query_terms(term))
    found = bool(conn.execute("select count(*) from t where t match ?", [expr]).fetchone()[0])
    have, want = char_tokens(fold(text)), char_tokens(fold(term))
    assert found == any(have[i:i + len(want)] == want for i in range(len(have)))


def test_query_terms_glue_single_characters():
    assert query_terms("英伟达芯片", split_words=True)[0] == ["英", "伟", "达"]


def test_clean_query_removes_controls_and_caps_length():
    assert clean_query("a\x00b\x1b[2J  c") == "a b c"  # an escape sequence goes whole, not just its ESC
    assert len(clean_query("字" * 5000)) == 500


def test_the_pos_tagger_shares_jiebas_words_and_keeps_every_tag():
    """pos_tagger makes posseg's word → tag table hold jieba's own word strings and one string
    per tag (half of posseg's memory), without changing a single tag."""
    import jieba
    import jieba.posseg

    from store.text import pos_tagger

    table = pos_tagger().dt.word_tag_tab
    fresh = jieba.posseg.POSTokenizer(jieba.dt)  # loads its own table from the same file
    assert table == fresh.word_tag_tab and len(table) > 300_000
    words = {id(w) for w in jieba.dt.FREQ}
    assert all(id(w) in words for w in table if w in jieba.dt.FREQ)
    assert len({id(t) for t in table.values()}) == len(set(table.values()))
    assert [(w.word, w.flag) for w in pos_tagger().cut("王小明在150个国家开展业务")][:2] == [("王小明", "nr"), ("在", "p")]


def test_a_terminals_colour_codes_are_taken_out_whole():
    """A name pasted from a coloured terminal: the ESC went, '[31m' stayed in the query."""
    from store.text import clean_query

    assert clean_query("/quote \x1b[31m纳德拉\x1b[0m") == "/quote 纳德拉"
    assert clean_query("a\x1b[1;32mb\x07c") == "a b c"  # each sequence and control character a space
