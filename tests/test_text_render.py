"""The plain-text answers of the console and `citebot ask`: how a figure's value reads."""

from __future__ import annotations

import pytest

from bot.text_render import format_value
from commands.results import FigureResult, SourceRef

SOURCE = SourceRef("a", "A title", "An outlet", None, "https://example.com/a", None, 1)


def figure(raw: str, value: float, qualifier: str, unit: str | None = "USD", value_max: float | None = None):
    return FigureResult(raw, value, value_max, unit, qualifier, "subject", raw, SOURCE)


@pytest.mark.parametrize("raw, value, qualifier, unit, value_max, shown", [
    ("560万美元", 5.6e6, "exact", "USD", None, "5,600,000 USD"),
    ("约2000块", 2000, "approx", "块", None, "about 2,000 块"),
    ("1.6万余块", 16000, "over", "块", None, "over 16,000 块"),
    # a ceiling: 最高5000亿美元 is "up to", and 不到600万美元 is below it; "at most" is true of both
    ("最高5000亿美元", 5e11, "under", "USD", None, "at most 500,000,000,000 USD"),
    ("不到600万美元", 6e6, "under", "USD", None, "at most 6,000,000 USD"),
    ("3至6个月", 3, "range", "个月", 6, "3–6 个月"),
    ("17%", 17, "exact", "%", None, "17%"),
    ("三十分之一", 1 / 30, "exact", None, None, "0.03333"),
])
def test_a_figure_value_reads_as_its_qualifier_means(raw, value, qualifier, unit, value_max, shown):
    assert format_value(figure(raw, value, qualifier, unit, value_max)) == shown


def test_a_source_without_a_link_says_none_is_on_record():
    """纽约客's and 观察者网's articles have no address in their metadata: the citation says so,
    in the console and in Slack, rather than leave the reader to look for a missing link."""
    from bot.slack.render import source_context
    from bot.text_render import source_line

    bare = SourceRef("b", "A title", "纽约客", None, None, None, 2)
    assert source_line(bare).endswith("· ¶2 · no link on record")
    assert "no link on record" in str(source_context(bare).to_dict())
    assert "no link on record" not in source_line(SOURCE) + str(source_context(SOURCE).to_dict())
