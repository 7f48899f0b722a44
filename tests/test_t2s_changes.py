"""store/t2s_changes.txt, every character OpenCC's t2s conversion can change, checked
against OpenCC's own dictionaries.

`fold` skips OpenCC for a text holding none of them (most Simplified text, every query in
Latin letters): a conversion rule changes only such characters, so it could not change the
text. After an OpenCC upgrade, regenerate the list: `python -m tests.test_t2s_changes`.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import opencc
import pytest

from store import text
from store.text import T2S_CHANGES_FILE, fold, simplified

CLIB = Path(opencc.__file__).parent / "clib"
DICTS = ("TSPhrases", "TSCharacters")


def derive() -> str:
    """The characters any rule of t2s's dictionaries changes: for a rule of the same length,
    those that differ from what it writes; for another, every character of it."""
    tool = CLIB / "bin" / "opencc_dict"
    if not tool.exists():
        pytest.skip(f"this OpenCC build has no {tool.name} to read its dictionaries with")
    changed: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for name in DICTS:
            out = Path(tmp) / f"{name}.txt"
            subprocess.run([str(tool), "-i", str(CLIB / "share" / "opencc" / f"{name}.ocd2"), "-o", str(out),
                            "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
            for line in out.read_text("utf-8").splitlines():
                key, values = line.split("\t")
                value = values.split(" ")[0]  # OpenCC writes the first
                changed |= {k for k, v in zip(key, value, strict=True) if k != v} if len(key) == len(value) else set(key)
    return "".join(sorted(changed))


def test_the_list_is_opencc_s_own():
    config = json.loads((CLIB / "share" / "opencc" / "t2s.json").read_text("utf-8"))
    files = {d["file"] for step in config["conversion_chain"] for d in step["dict"]["dicts"]}
    assert files == {f"{name}.ocd2" for name in DICTS}
    assert "".join(T2S_CHANGES_FILE.read_text("utf-8").split()) == derive()


def test_a_character_not_on_the_list_converts_to_itself():
    listed = set("".join(T2S_CHANGES_FILE.read_text("utf-8").split()))
    convert = opencc.OpenCC("t2s").convert
    unlisted = [chr(c) for c in range(0x3400, 0xA000) if chr(c) not in listed]
    assert len(listed) > 3000 and len(unlisted) > 20000
    assert convert("".join(unlisted)) == "".join(unlisted)


def test_folding_without_opencc_where_it_would_change_nothing_folds_the_same(seeds_copy, monkeypatch):
    texts = [line for f in sorted(seeds_copy.glob("*.txt")) for line in f.read_text("utf-8").splitlines()]
    texts += ["反覆", "頭髮", "乾燥", "著作", "瞭解", "納德拉", "Nadella", "马斯克说", "纳德拉·萨蒂亚"]
    skipped = sum(1 for t in texts if t and not text._may_convert(t))
    fast = [(fold.__wrapped__(t), simplified(t)) for t in texts]
    monkeypatch.setattr(text, "_may_convert", lambda chars: True)  # OpenCC for every text
    slow = [(fold.__wrapped__(t), simplified(t)) for t in texts]
    assert fast == slow
    assert skipped > 30  # the seeds hold both scripts: Simplified lines need no OpenCC


if __name__ == "__main__":
    chars = derive()
    T2S_CHANGES_FILE.write_text("".join(chars[i: i + 50] + "\n" for i in range(0, len(chars), 50)), "utf-8")
    print(f"wrote {T2S_CHANGES_FILE}")
