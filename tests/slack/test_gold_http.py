"""Every gold query, asked as a person asks it in Slack, over real HTTP to the real app.

A slash command must be acknowledged within Slack's 3 s and then answered on its
response_url; a question in words is asked as a mention and answered in its thread. The
Block Kit answer must show what tests/gold.json expects: the quote, figure or person, from
the expected article (its link, from seeds/sources.toml), or the 'nothing found' message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.text import fold_loose
from tests.slack.blocks import block, meets, results, visible

GOLD = json.loads((Path(__file__).resolve().parents[1] / "gold.json").read_text("utf-8"))
ACK_SECONDS = 3.0


@pytest.mark.parametrize("q", GOLD["queries"], ids=[q["id"] for q in GOLD["queries"]])
def test_gold_query_answered_in_slack(q, slack, recorder, store, sources, gold):
    ask, expect = q["ask"], q["expect"]
    if ask.startswith("/"):
        reply, _url = slack.command(ask, name=f"gold-{q['id']}")
        assert reply.status == 200, reply.body
        assert reply.seconds < ACK_SECONDS
        call = recorder.wait_for(f"/response/gold-{q['id']}")[0]
        message = call.data
        assert message["response_type"] == "ephemeral"
    else:
        channel = f"CGOLD{q['id'].upper()}"
        reply, event = slack.mention(ask, channel=channel)
        assert reply.status == 200, reply.body
        assert reply.seconds < ACK_SECONDS
        message = recorder.wait_for_post(channel)[0].data
        assert message["thread_ts"] == event["ts"]
    blocks = message["blocks"]
    assert block(blocks, "question")["text"]["text"] == ask
    assert message["text"]  # the plain fallback

    if expect.get("none"):
        from commands import run

        said = run(ask, store).message
        assert said, "the commands say why an answer is empty"
        assert not [u for u in results(blocks) if u["kind"] == expect["kind"]]
        shown = block(blocks, "message")
        assert shown and fold_loose(said) in fold_loose(visible(shown["text"]["text"]))
        return
    ok, why = meets(expect, blocks, sources, gold)
    assert ok, why
