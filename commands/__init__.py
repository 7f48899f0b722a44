"""Platform-neutral commands: text in, an Answer of result dataclasses out.

`run("/quote 纳德拉", store)` is what Slack, the console and `citebot ask` all call.
"""

from __future__ import annotations

import gc
import threading

from commands.help import command_help, help_text
from commands.lookup import figure, quote, said, search, source, who
from commands.parse import Parsed, parse
from commands.results import Answer
from store.figures import preload
from store.search import Store
from store.text import fold, regional_forms

HANDLERS = {"quote": quote, "figure": figure, "who": who, "source": source}


def run(ask: str, store: Store, offset: int = 0) -> Answer:
    """Answer one thing a user typed. Never raises for anything a user can type."""
    with store.answering:  # what the store keeps in memory is not replaced during an answer
        store.refresh()  # an index run in another process may have changed it
        answer = _dispatch(ask, store, max(0, offset))
        if not answer.total and answer.command in LOOKUPS:
            answer = _in_other_words(ask, store, max(0, offset), answer)
    if not answer.results and not answer.message and answer.offset:
        answer.message = f"No more results: all {answer.total} were shown."
    return answer


def warm(store: Store | None = None, background: bool = False) -> threading.Thread | None:
    """Load what answering otherwise loads on a user's first question: store.figures.preload
    (about a second) and, given the store, what its first name that is no alias reads
    (Store.preload: 0.4 s at N=10,000). A long-running process calls this as it starts, so no
    user waits for it; a one-shot `citebot ask` does not, and answers sooner. In the
    background, questions asked meanwhile wait only for what they need.

    What was loaded is then frozen out of the garbage collector's reach (gc.freeze): it lives
    as long as the process and holds no cycles, and a full collection walking it cost the
    answer it fell on 29 ms at N=10,000 (90 ms at 45,000). Lists read again after an index
    run are walked as usual."""

    def load() -> None:
        preload()
        fold("預載")  # OpenCC's t2s and the pattern of the characters it changes: 12 ms, once
        regional_forms("預載")  # and its phrase converters, read when a question finds nothing
        if store is not None:
            store.preload()
        gc.freeze()

    if not background:
        load()
        return None
    thread = threading.Thread(target=load, name="citebot-warm", daemon=True)
    thread.start()
    return thread


LOOKUPS = {*HANDLERS, "search"}


def _in_other_words(ask: str, store: Store, offset: int, answer: Answer) -> Answer:
    """A question that found nothing, asked again in the other side's words (輝達 → 英伟达,
    芯片 → 晶片: store.text.regional_forms); the first that finds something answers, saying
    how it was read. Only here, so a question answered as typed is never reread."""
    for form in regional_forms(ask):
        again = _dispatch(form, store, offset)
        if again.total:
            read = f"Read as {said(parse(form).query)} (nothing about {said(parse(ask).query)} as written)."
            again.ask, again.message = ask, read + (f"\n{again.message}" if again.message else "")
            return again
    return answer


def _dispatch(ask: str, store: Store, offset: int) -> Answer:
    p: Parsed = parse(ask)
    if p.command == "help":  # p.query: the command asked about (/quote help), if any
        return Answer(ask, "help", p.query, message=command_help(p.query) if p.query else help_text())
    if p.command == "unknown":
        return Answer(ask, "help", p.query, message=help_text(f"There is no /{p.word} command."))
    if p.command == "digest":
        return Answer(ask, "digest", p.query,
                      message="Digests are set up in Slack, in the channel that wants them: /cite digest daily 09:00")
    if p.command == "search":
        return search(store, p.query, offset, ask)
    return HANDLERS[p.command](store, p.query, offset, ask)


__all__ = ["Answer", "run", "parse", "warm"]
