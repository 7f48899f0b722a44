"""The citebot command line, as a user runs it: JSON shape, exports, bad input, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
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


def _citebot(*argv: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *argv], capture_output=True, text=True, timeout=120,
                          **kw)


@pytest.mark.parametrize("sub", ["index", "ask", "export", "console", "serve", "digest", "run"])
def test_each_commands_help_says_what_it_does_with_examples(sub):
    out = _citebot(sub, "--help")
    assert out.returncode == 0
    described, examples = out.stdout.split("examples:")
    assert len(described.split("options:")[0].split("\n\n")[1]) > 30  # a sentence after the usage
    assert f"citebot {sub}" in examples


@pytest.mark.parametrize("argv, said", [
    (("index", "--bogus"), "citebot index: error: unrecognized arguments: --bogus"),
    (("ask", "--offset", "-3", "/quote 纳德拉"), "--offset: takes a whole number of 0 or more, not '-3'"),
    (("index", "--workers", "0"), "--workers: takes a whole number of 1 or more, not '0'"),
])
def test_bad_flags_are_refused_by_the_command_they_were_given_to(argv, said):
    out = _citebot(*argv)
    assert out.returncode == 2 and said in out.stderr and f"usage: citebot {argv[0]}" in out.stderr


def test_compact_is_json_on_one_line(seeded_db):
    out = _citebot("ask", "--db", str(seeded_db), "--compact", "/who Gave")
    assert out.returncode == 0 and out.stdout.count("\n") == 1
    assert json.loads(out.stdout)["command"] == "who"


def test_index_of_folders_without_articles_says_so_and_makes_no_store(tmp_path):
    empty, notes = tmp_path / "empty", tmp_path / "notes"
    empty.mkdir()
    notes.mkdir()
    (notes / "readme.md").write_text("no articles here\n", "utf-8")
    db = tmp_path / "c.db"
    out = _citebot("index", "--db", str(db), str(empty), str(notes))
    assert out.returncode == 2 and f"no articles (.txt files) in {empty}, {notes}" in out.stderr
    assert not db.exists()
    out = _citebot("index", "--db", str(tmp_path), str(notes))  # a folder as --db: as ask says it
    assert out.returncode == 2 and "is a folder: --db takes the store's file" in out.stderr


def test_serve_with_a_mistyped_db_makes_no_empty_store(tmp_path):
    missing = tmp_path / "typo.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CITEBOT_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")
    out = _citebot("serve", "--db", str(missing), env=env, cwd=tmp_path)
    assert out.returncode == 2 and f"no store at {missing}" in out.stderr
    assert not missing.exists()


def test_a_db_that_is_not_a_store_is_a_clear_message_and_none_is_made(tmp_path):
    """--db naming some other file, a folder, or a file not there: a sentence, not a traceback;
    and asking does not leave an empty store (or its folders) behind a typo."""
    other = tmp_path / "notes.db"
    other.write_text("not a database\n" * 100, "utf-8")
    (tmp_path / "a1.txt").write_text("王小明说：“话。”\n", "utf-8")
    for argv in (("ask", "--db", str(other), "/quote 纳德拉"), ("index", "--db", str(other), str(tmp_path))):
        out = _citebot(*argv)
        assert out.returncode == 2 and "cannot use" in out.stderr and "not a database" in out.stderr, argv
        assert "Traceback" not in out.stderr
    out = _citebot("ask", "--db", str(tmp_path), "/quote 纳德拉")
    assert out.returncode == 2 and "is a folder" in out.stderr
    missing = tmp_path / "typo" / "citebot.db"
    for sub in ("ask", "export", "console"):
        args = {"ask": ("/quote 纳德拉",), "export": ("quotes",), "console": ()}[sub]
        out = _citebot(sub, "--db", str(missing), *args)
        assert out.returncode == 2 and f"no store at {missing}" in out.stderr and "citebot index" in out.stderr, sub
    assert not (tmp_path / "typo").exists()


def test_index_skips_a_named_file_that_is_not_an_article(tmp_path, seeds_copy):
    """`citebot index seeds/*` names sources.toml too: it is skipped, said so, and the articles indexed."""
    db = tmp_path / "c.db"
    txt = sorted(seeds_copy.glob("*.txt"))[0]
    out = _citebot("index", "--db", str(db), str(seeds_copy / "sources.toml"), str(txt))
    assert out.returncode == 0, out.stderr
    assert f"skipped {seeds_copy / 'sources.toml'}: not an article" in out.stderr
    assert "indexed 1 new" in out.stdout


def test_an_interrupted_index_run_says_what_it_kept(tmp_path, seeds_copy, monkeypatch, capsys):
    """Ctrl-C during `citebot index`: the articles committed so far stay, and it says how to go on."""
    import store.ingest
    from bot.cli import main

    real = store.ingest.index_paths

    def interrupted(db, paths, progress=None, workers=1):
        real(db, [sorted(seeds_copy.glob("*.txt"))[0]])  # one article in, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(store.ingest, "index_paths", interrupted)
    assert main(["index", "--db", str(tmp_path / "c.db"), str(seeds_copy)]) == 130
    err = capsys.readouterr().err
    assert "interrupted; 1 new article kept" in err and "Run the same command again" in err
    monkeypatch.setattr(store.ingest, "index_paths", real)
    assert "indexed 4 new, 0 changed, 1 unchanged" in _citebot("index", "--db", str(tmp_path / "c.db"),
                                                              str(seeds_copy)).stdout


def test_an_article_whose_file_is_gone_is_named_then_pruned_on_request(tmp_path, seeds_copy):
    """A file deleted from a folder indexed before: the next run says its article is still
    cited and how to remove it; --prune removes it and all it held, and only it."""
    import shutil

    folder = tmp_path / "arts"
    shutil.copytree(seeds_copy, folder)
    db = str(tmp_path / "c.db")
    assert _citebot("index", "-q", "--db", db, str(folder)).returncode == 0
    cited = {r["source"]["article"] for r in json.loads(_citebot("ask", "--db", db, "--json", "/quote Gave").stdout)["results"]}
    (gone,) = cited
    (folder / f"{gone}.txt").unlink()
    out = _citebot("index", "--db", db, str(folder))
    assert out.returncode == 0 and "1 indexed article is no longer in the folders indexed" in out.stderr
    assert f"{gone}.txt" in out.stderr and "--prune" in out.stderr
    assert json.loads(_citebot("ask", "--db", db, "--json", "/quote Gave").stdout)["results"]  # still cited
    out = _citebot("index", "--prune", "--db", db, str(folder))
    assert out.returncode == 0 and "removed 1 article whose file is gone" in out.stderr
    after = json.loads(_citebot("ask", "--db", db, "--json", "/quote Gave").stdout)
    assert not [r for r in after["results"] if r["source"]["article"] == gone]
    left = [json.loads(line)["source"]["article"] for line in _citebot("export", "quotes", "--db", db).stdout.splitlines()]
    assert gone not in left and len(set(left)) == 4
    assert "no longer" not in _citebot("index", "--db", db, str(folder)).stderr  # said once removed


def test_run_with_only_part_of_the_slack_settings_says_what_is_missing(tmp_path, seeds_copy):
    """`make run` with SLACK_APP_TOKEN in .env but no bot token opened the console saying
    nothing of it: the operator thought Slack was being served."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["SLACK_APP_TOKEN"] = "xapp-1-A0-partial"
    out = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "c.db")], cwd=seeds_copy.parent,
                         env=env, input="quit\n", capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "SLACK_APP_TOKEN set but not SLACK_BOT_TOKEN" in out.stdout and "xapp-1-A0-partial" not in out.stdout


def test_an_index_run_logged_to_a_file_says_how_far_it_is_every_ten_seconds():
    """No terminal, no progress bar: a run in cron or CI printed nothing until the end."""
    from bot.cli import PROGRESS_EVERY, _ProgressLines

    now = [0.0]
    out = io.StringIO()
    lines = _ProgressLines(out, clock=lambda: now[0])
    for done in range(1, 400):
        now[0] = done * 0.1  # ten files a second
        lines.update(done, 400)
    printed = out.getvalue().splitlines()
    assert len(printed) == int(39.9 // PROGRESS_EVERY)  # at 10, 20 and 30 s
    assert printed[0] == "indexing: 100 of 400 files, about 30 s to go"


def test_one_answer_on_the_command_line_says_how_to_see_the_next_page(seeded_db):
    out = cli("ask", "--db", str(seeded_db), "/source DeepSeek")
    assert out.rstrip().endswith("more: add --offset 5.") and "type `more`" not in out


def test_who_names_a_persons_articles_by_title(seeded_db):
    """The console and `ask` listed a person's articles by id (002_1279c5c945d18a9e)."""
    (p,) = ask_json(seeded_db, "/who Nadella")["results"]
    assert [s["article"] for s in p["sources"]] == p["articles"][:3] and all(s["title"] for s in p["sources"])
    text = cli("ask", "--db", str(seeded_db), "/who Nadella")
    assert p["sources"][0]["title"] in text and p["articles"][0] not in text
