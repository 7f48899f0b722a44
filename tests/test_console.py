"""`citebot console` driven through stdin, as a user's terminal would drive it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEEDS


def citebot() -> list[str]:
    exe = Path(sys.executable).with_name("citebot")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "bot.cli"]


def test_console_answers_quote_with_source_on_fresh_index(tmp_path):
    db = tmp_path / "fresh.db"
    env = {**os.environ, "CITEBOT_DB": str(db)}
    idx = subprocess.run([*citebot(), "index", str(SEEDS)], env=env, capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert idx.returncode == 0, idx.stderr
    assert "indexed 5 new" in idx.stdout
    out = subprocess.run([*citebot(), "console"], input="/quote 纳德拉\nmore\nquit\n", env=env,
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert "纳德拉" in out.stdout
    assert "严肃地看待中国人工智能的发展" in out.stdout
    assert "rfa.org/mandarin" in out.stdout  # the source link of that quote
    assert "自由亚洲电台" in out.stdout


def test_console_survives_bad_lines(seeded_db):
    env = {**os.environ, "CITEBOT_DB": str(seeded_db)}
    lines = "\n".join(['" OR 1=1 --', "NEAR(", "/who", "/bogus", "\x07\x1b", "🤖", "x" * 3000, "help"]) + "\n"
    out = subprocess.run([*citebot(), "console"], input=lines, env=env, capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert out.returncode == 0
    assert "Traceback" not in out.stderr + out.stdout
    assert "There is no /bogus command." in out.stdout
    assert "/quote" in out.stdout  # help teaches the commands
