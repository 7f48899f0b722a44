"""The local console: type what you would type in Slack, read the answer.

At a terminal it is a prompt with history (prompt_toolkit); when stdin is not a
terminal it answers each line it reads, so it can be scripted and tested.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.text_render import render
from commands import run
from commands.results import Answer
from store.search import Store

BANNER = ("Citebot console — type a Slack command (/quote 纳德拉, /figure 训练成本, /who Gave, /source 小院高墙)\n"
          "or a question (纳德拉说了什么？). `more` pages on, `help` teaches, `quit` or Ctrl-D leaves.")
EXITS = {"quit", "exit", ":q", "/quit", "/exit"}


class Session:
    """Remembers the last question so `more` can page through it."""

    def __init__(self, store: Store):
        self.store = store
        self.last: Answer | None = None

    def answer(self, line: str) -> str | None:
        line = line.strip()
        if not line:
            return None
        if line.casefold() in {"more", "/more", "next"}:
            if not self.last or not self.last.has_more:
                return "Nothing more to show."
            self.last = run(self.last.ask, self.store, offset=self.last.offset + len(self.last.results))
            return render(self.last)
        if line.casefold() in {"help", "?"}:
            line = "/cite help"
        try:
            self.last = run(line, self.store)
        except Exception as e:  # the console must survive anything typed into it
            return f"Sorry, that failed: {type(e).__name__}. Try /cite help."
        return render(self.last)


def console(store: Store, history: Path | None = None, stdin: TextIO | None = None,
            stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    session = Session(store)
    if not stdin.isatty():
        for line in stdin:
            if line.strip().casefold() in EXITS:
                break
            out = session.answer(line)
            if out is not None:
                stdout.write(out + "\n\n")
                stdout.flush()
        return 0
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    hist_path = history or Path("data") / ".console_history"
    try:
        hist_path.parent.mkdir(parents=True, exist_ok=True)
        hist = FileHistory(str(hist_path))
    except OSError:
        hist = InMemoryHistory()
    prompt = PromptSession(history=hist)
    print(BANNER)
    while True:
        try:
            line = prompt.prompt("citebot> ")
        except KeyboardInterrupt:  # Ctrl-C clears the line, as in a shell; Ctrl-D or quit leaves
            continue
        except EOFError:
            print()
            return 0
        if line.strip().casefold() in EXITS:
            return 0
        out = session.answer(line)
        if out is not None:
            print(out + "\n")
