"""The citebot command line, as a user runs it: JSON shape, exports, bad input, exit codes."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from tests.conftest import ask_json, cli, export


def test_ask_json_has_the_documented_shape(seeded_db):
    a = ask_json(seeded_db, "/quote 纳德拉")
    assert set(a) >= {"ask", "command", "query", "message", "results"}
    assert (a["ask"], a["command"], a["query"]) == ("/quote 纳德拉", "quote", "纳德拉")
    q = a["results"][0]
    assert q["kind"] == "quote" and q["quote_kind"] in ("direct", "indirect")
    assert set(q["speaker"]) >= {"name", "role"}
    assert set(q["source"]) >= {"article", "title", "outlet", "published", "url", "paragraph"}
    f = ask_json(seeded_db, "/figure 560万美元")["results"][0]
    assert f["kind"] == "figure" and f["value"] == 5600000 and f["unit"] == "USD"
    assert {"value_max", "qualifier", "subject", "context"} <= set(f)
    p = ask_json(seeded_db, "/who Nadella")["results"][0]
    assert p["kind"] == "person" and p["name_en"] == "Satya Nadella" and p["quotes"] >= 2
    s = ask_json(seeded_db, "/source 斯普特尼克")["results"][0]
    assert s["kind"] == "source" and "斯普特尼克" in s["text"]


@pytest.mark.parametrize("kind", ["quotes", "figures", "people"])
def test_export_csv_matches_jsonl(seeded_db, kind):
    records = export(seeded_db, kind)
    rows = list(csv.DictReader(io.StringIO(cli("export", kind, "--format", "csv", "--db", str(seeded_db)))))
    assert len(rows) == len(records) > 0
    assert rows[0]["kind"] == records[0]["kind"]
    if kind != "people":
        assert rows[0]["source.article"] == records[0]["source"]["article"]


@pytest.mark.parametrize("text", ["", "   ", "\x00\x07", "🤖📈" * 50, '" OR 1=1 --', "NEAR(", "*", "x" * 2000,
                                  "/quote " + "字" * 2000, "'; DROP TABLE quotes; --", "/figure ∞"])
def test_bad_input_gets_an_answer_not_a_traceback(seeded_db, text):
    a = ask_json(seeded_db, text)
    assert isinstance(a["results"], list)
    assert a["results"] or a["message"]


def test_missing_database_and_paths_are_clear_messages(tmp_path):
    exe = [sys.executable, "-m", "bot.cli"]
    out = subprocess.run([*exe, "index", "--db", str(tmp_path / "x.db"), str(tmp_path / "nope")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "no such file or folder" in out.stderr and "Traceback" not in out.stderr
    out = subprocess.run([*exe, "export", "sideways"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_help_lists_every_subcommand():
    out = subprocess.run([sys.executable, "-m", "bot.cli", "--help"], capture_output=True, text=True, timeout=60)
    for sub in ("index", "ask", "export", "console", "serve", "digest", "run"):
        assert sub in out.stdout
