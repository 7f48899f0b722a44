"""Reading articles: titles, metadata and paragraphs."""

from __future__ import annotations

from store.sources import Paragraph, derive_title, split_paragraphs


def paras(*texts):
    return [Paragraph(i, t, t) for i, t in enumerate(texts, 1)]


def test_derived_title_skips_datelines_credits_and_bylines():
    assert derive_title(paras("中宏網北京2月19日電 (記者 王鏡榕)聚焦人工智能主題。後文")) == "聚焦人工智能主題"
    assert derive_title(paras("【文/观察者网 刘程辉】美国政府试图限制出口。")) == "美国政府试图限制出口"
    assert derive_title(paras("一句很长很长的话" * 10)).endswith("…")
    assert derive_title([]) == "(untitled)"


def test_headline_equal_to_title_is_paragraph_zero():
    ps = split_paragraphs("標題\n\n第一段\n第二段\n", "标题")
    assert [(p.n, p.text) for p in ps] == [(0, "標題"), (1, "第一段"), (2, "第二段")]


def test_only_a_web_page_is_kept_as_an_articles_link(tmp_path):
    """An answer links the article's url (or its copy): javascript:, file: or a bare word in
    the front matter is dropped, not shown to a user as a link; http(s) is kept."""
    from store.sources import read_article

    for url, kept in [("https://example.org/a", True), ("HTTP://example.org/a", True), ("javascript:alert(1)", False),
                      ("file:///etc/passwd", False), ("example.org/a", False), ("https:// x", False)]:
        doc = tmp_path / "a1.txt"
        doc.write_text(f'+++\ntitle = "甲"\nurl = "{url}"\ncopy_url = "{url}"\n+++\n王小明说：“话。”\n', "utf-8")
        meta = read_article(doc).meta
        assert ("url" in meta, "copy_url" in meta) == (kept, kept), url


def test_a_published_date_that_is_no_date_is_not_cited(tmp_path):
    """2025-13-45 in the front matter was shown in every answer citing the article."""
    from store.sources import read_article

    for value, kept in [("2025-01-29", True), ("2025-01", True), ("2025-01-29T08:00:00+08:00", True),
                        ("2025-13-45", False), ("2025-02-30", False), ("yesterday", False)]:
        doc = tmp_path / "a1.txt"
        doc.write_text(f'+++\ntitle = "甲"\npublished = "{value}"\n+++\n王小明说：“话。”\n', "utf-8")
        assert ("published" in read_article(doc).meta) == kept, value


def test_an_article_of_a_title_alone_is_refused_and_one_line_of_text_is_kept(tmp_path):
    """A file of a title and nothing under it was indexed, and /source cited its ¶0."""
    import pytest

    from store.sources import ArticleError, read_article

    doc = tmp_path / "t.txt"
    doc.write_text('+++\ntitle = "仅有标题"\n+++\n仅有标题\n', "utf-8")
    with pytest.raises(ArticleError, match="has a title but no text"):
        read_article(doc)
    doc.write_text('+++\ntitle = "快讯"\n+++\n快讯\n王小明说：“话。”\n', "utf-8")
    assert [p.n for p in read_article(doc).paragraphs] == [0, 1]
    doc.write_text("王小明说：“一句话的快讯。”\n", "utf-8")  # no metadata, one line: a brief, still an article
    assert [p.n for p in read_article(doc).paragraphs] == [1]


def test_a_file_not_in_utf8_says_how_to_convert_it(tmp_path):
    from store.sources import ArticleError, read_article

    doc = tmp_path / "gbk.txt"
    doc.write_bytes("纳德拉说：“话。”".encode("gbk"))
    try:
        read_article(doc)
    except ArticleError as e:
        assert "not UTF-8 text" in str(e) and "iconv -f GBK -t UTF-8" in str(e)
    else:
        raise AssertionError("a GBK file was read as UTF-8")
