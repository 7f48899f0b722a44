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
