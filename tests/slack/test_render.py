"""Block Kit answers: built with slack_sdk's models (to_dict() validates them), within Slack's
limits, and with every &, < and > from article or user text escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.slack.incoming import plain_text
from bot.slack.render import (
    MORE_ACTION,
    SHARE_ACTION,
    ZWSP,
    escape,
    link,
    message_mrkdwn,
    notice,
    read_button_value,
    render,
)
from commands import run
from commands.help import help_text
from commands.results import (
    Answer,
    FigureResult,
    PassageResult,
    PersonResult,
    QuoteResult,
    SourceRef,
    Speaker,
)
from tests.slack.blocks import button, over_limits, results, texts, unescaped, visible

GOLD = json.loads((Path(__file__).resolve().parents[1] / "gold.json").read_text("utf-8"))
NASTY = "A&B <script>alert(1)</script> x>y <@U123> <!channel> <https://evil.example|click>"


def check_message(message: dict) -> None:
    """Slack would take it: within the limits, no stray mrkdwn control characters."""
    blocks = message["blocks"]
    assert not over_limits(blocks), over_limits(blocks)
    for kind, text in texts(blocks):
        if kind == "mrkdwn":
            assert not unescaped(text), (text, unescaped(text))
    assert not unescaped(message["text"]), message["text"]
    assert len(message["text"]) <= 3000


@pytest.mark.parametrize("q", GOLD["queries"], ids=[q["id"] for q in GOLD["queries"]])
def test_every_gold_answer_renders_valid_and_escaped(q, store):
    answer = run(q["ask"], store)
    for variant in (dict(ephemeral=True), dict(ephemeral=False), dict(ephemeral=False, shared_by="U0SHARER")):
        message = render(answer, **variant).to_dict()  # to_dict() runs slack_sdk's validators
        check_message(message)
        assert len(results(message["blocks"])) == len(answer.results)
        if answer.has_more:
            nxt = render(run(q["ask"], store, offset=answer.offset + len(answer.results)), **variant)
            check_message(nxt.to_dict())


def _source(**kw) -> SourceRef:
    values = dict(article="x", title="T <b>&", outlet="O&O", published="2025-01-29",
                  url="https://example.com/a?x=1&y=<2>|z", copy_url=None, paragraph=3)
    values.update(kw)
    return SourceRef(**values)


def _hostile_answer(n: int = 60) -> Answer:
    long = ("长" * 50 + "&<>") * 200  # 10,600 characters, many to escape
    rs = []
    for i in range(n):
        rs.append([
            QuoteResult(NASTY + long, "direct", Speaker("<Evil & Co>", ">role<", "org"), _source()),
            FigureResult("5&6", 5.0, None, "<u>", "exact", "sub<j>ect & more", long, _source(url=None,
                                                                                          copy_url="http://c.example/?a&b")),
            PersonResult("<n>", "<n>", "<full & name>", "N&E", "role <x>", ["<a>", "b&c"], ["x"], 2),
            PassageResult(long, _source(url=None, copy_url=None), [(0, 3), (2, 10), (50, 53), (10_000, 99_999)]),
        ][i % 4])
    return Answer(NASTY * 10, "search", NASTY, rs, message=NASTY * 100, total=n + 20, offset=0)


def test_hostile_text_is_escaped_and_clipped_to_the_limits():
    message = render(_hostile_answer()).to_dict()
    check_message(message)
    blocks = message["blocks"]
    assert len(blocks) <= 50
    joined = json.dumps([t for kind, t in texts(blocks) if kind == "mrkdwn"], ensure_ascii=False)
    assert "<script>" not in joined and "&lt;script&gt;" in joined
    assert "<!channel>" not in joined and "<@U123>" not in joined
    assert "<https://evil.example|click>" not in joined
    # a cut text ends with an ellipsis, never inside an &entity;
    for kind, text in [*texts(blocks), ("mrkdwn", message["text"])]:
        if kind == "mrkdwn":
            assert not re.search(r"&[a-z]*…", text), text[-20:]
    # the results that did not fit are counted, not silently dropped
    assert any(b.get("block_id") == "cut" for b in blocks)
    assert button(blocks, MORE_ACTION) and button(blocks, SHARE_ACTION)


def test_long_question_header_is_clipped():
    answer = Answer("/source " + "问" * 400, "source", "问" * 400, message="Nothing about it.")
    message = render(answer).to_dict()
    header = message["blocks"][0]
    assert header["type"] == "header" and len(header["text"]["text"]) <= 150
    assert header["text"]["text"].endswith("…")


def test_link_syntax_is_made_safe():
    s = link("https://example.com/a?x=1&y=<2>|z w", "T|<&>")
    assert s.startswith("<https://example.com/a?x=1&amp;y=%3C2%3E%7Cz%20w|")
    assert s == "<https://example.com/a?x=1&amp;y=%3C2%3E%7Cz%20w|T¦&lt;&amp;&gt;>"


def test_passage_matches_are_bold_even_between_han_characters():
    src = _source()
    r = PassageResult("如果能打破美国设立的小院高墙，中欧合作大有可为", src, [(10, 14)])
    section = results(render(Answer("/source 小院高墙", "source", "小院高墙", [r], total=1)).to_dict()["blocks"])[0]
    assert f"{ZWSP}*小院高墙*{ZWSP}" in section["text"]
    assert visible(section["text"]) == r.text


def test_quote_figure_person_and_source_lines():
    orig = _source(url="https://rfa.org/a", copy_url=None, title="美中AI竞争")
    copy = _source(url=None, copy_url="http://copy.example/b", title="環球圓桌對話")
    answer = Answer("/cite x", "search", "x", [
        QuoteResult("我们应该非常严肃地看待", "direct", Speaker("纳德拉", "微软首席执行官"), orig),
        FigureResult("560萬美元", 5_600_000, None, "USD", "exact", "训练成本", "训练成本仅560萬美元。", copy),
        PersonResult("纳德拉", "纳德拉", "萨提亚·纳德拉", "Satya Nadella", "微软首席执行官", ["納德拉"], ["a", "b"], 3),
    ], total=3)
    units = results(render(answer).to_dict()["blocks"])
    quote, figure, person = units
    assert quote["kind"] == "quote" and "纳德拉" in quote["text"] and "微软首席执行官" in quote["text"]
    assert "“我们应该非常严肃地看待”" in quote["text"]
    assert "<https://rfa.org/a|美中AI竞争>" in quote["from"] and "copy" not in quote["from"]
    assert "O&amp;O" in quote["from"] and "2025-01-29" in quote["from"] and "¶3" in quote["from"]
    assert "= 5,600,000 USD · 训练成本" in visible(figure["text"])
    assert "<http://copy.example/b|環球圓桌對話> (a copy" in figure["from"]
    assert person["kind"] == "person"
    for shown in ("纳德拉", "Satya Nadella", "微软首席执行官", "萨提亚·纳德拉", "納德拉", "3 quotes in 2 articles"):
        assert shown in visible(person["text"])


def test_help_teaches_commands_with_examples():
    text = message_mrkdwn(help_text("There is no /cite frobnicate command."))
    assert not unescaped(text)
    for example in ("`/quote 纳德拉`", "`/figure 560万美元`", "`/who Gave`", "`/source 小院高墙`", "`/cite help`"):
        assert example in text
    assert f"{ZWSP}*/quote*{ZWSP}" in text
    assert text.startswith("There is no /cite frobnicate command.")


def test_empty_answers_point_to_help_and_have_no_buttons():
    message = render(Answer("/quote 黄仁勋", "quote", "黄仁勋", message="No quotes by 黄仁勋 — try /source 黄仁勋.")).to_dict()
    ids = [b.get("block_id") for b in message["blocks"]]
    assert ids == ["question", "message", "help-hint"]


def test_buttons_carry_the_page_and_shared_copies_have_no_share_button():
    r = PassageResult("text", _source(), [])
    answer = Answer("/source x", "source", "x", [r] * 5, total=12, offset=5)
    blocks = render(answer).to_dict()["blocks"]
    assert read_button_value(button(blocks, SHARE_ACTION)["value"]) == ("/source x", 5, False)
    assert read_button_value(button(blocks, MORE_ACTION)["value"]) == ("/source x", 10, False)
    assert button(blocks, MORE_ACTION)["text"]["text"] == "More (2 more)"
    assert [u["n"] for u in results(blocks)] == [6, 7, 8, 9, 10]
    shared = render(answer, ephemeral=False, shared_by="U0SHARER").to_dict()
    assert button(shared["blocks"], SHARE_ACTION) is None
    assert read_button_value(button(shared["blocks"], MORE_ACTION)["value"])[2] is True
    assert "Shared by <@U0SHARER>" in json.dumps(shared["blocks"])


def test_a_question_too_long_for_a_button_gets_no_button():
    r = PassageResult("text", _source(), [])
    answer = Answer("/source " + "字" * 2100, "source", "字", [r] * 5, total=12)
    assert button(render(answer).to_dict()["blocks"], MORE_ACTION) is None


def test_notice_is_escaped():
    message = notice("a <b> & c").to_dict()
    assert message["blocks"][0]["text"]["text"] == "a &lt;b&gt; &amp; c"


@pytest.mark.parametrize("raw,plain", [
    ("<@UBOT0001> 纳德拉说了什么？", "纳德拉说了什么？"),
    ("<@UBOT0001|citebot> /quote Nadella", "/quote Nadella"),
    ("hi <@UBOT0001>", "hi"),
    ("AT&amp;T &lt;x&gt; in <#C123|general>", "AT&T <x> in #general"),
    ("see <https://example.com|example> and <https://a.example/b>", "see example and https://a.example/b"),
    ("<!here> 训练成本", "训练成本"),
    ("", ""),
    (None, ""),
])
def test_incoming_text_loses_slack_markup(raw, plain):
    assert plain_text(raw) == plain


def test_escape():
    assert escape("<&>") == "&lt;&amp;&gt;"


def test_a_bad_time_zone_reads_as_a_sentence_with_the_example_in_code():
    """The message named zones as 'e.g. …, UTC.' before the example: the renderer took all of
    it for a list of examples (`UTC. e.g. /cite digest …`)."""
    from bot.slack.render import message_mrkdwn
    from commands import digest as dg

    text = message_mrkdwn(dg.parse_request("daily 09:00 Mars/Olympus").error)
    assert "such as Asia/Shanghai or Europe/Paris, or UTC." in text and "`UTC" not in text
    assert "`/cite digest daily 09:00 Asia/Shanghai`" in text
