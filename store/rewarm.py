"""Keeping a serving store's name lists current in the background after an index run.

A serving process (Store.preload: `citebot serve`, the console) answers names, /who and first
pages of quotes from lists it keeps in memory (Store.KEPT). An article written or removed by
another process makes them stale. They used to be dropped and read again by whichever question
needed them next: after an index run of one article into run X's N=10,000 store, the first
misspelt name took 0.71-0.77 s and the next /quote 84-96 ms (every alias, the index of names
one typo apart, the people's cards and pages), and more at larger N.

A Rewarmer looks at the store's generation counter (store.db.GENERATION) on its own read-only
connection every `every` seconds, or at once when the store saw it move (poke). Then, between
two answers (it takes Store.answering), it drops the stale lists, reads them again in one read
transaction, and hands them over. Memory does not double: the old lists go before the new are
read. Answers meanwhile ask the file, as a one-shot process does (an exact name, /who, a page of
quotes: a statement each); a misspelt name waits for the lists (Store._await_kept) rather than
read them a second time alongside.
"""

from __future__ import annotations

import gc
import logging
import sqlite3
import sys
import threading
import weakref
from typing import TYPE_CHECKING

import sqlite_utils

from store import db as dbmod

if TYPE_CHECKING:
    from store.search import Store

log = logging.getLogger("citebot.store")

SWITCH = 0.0005  # seconds between the interpreter's thread switches while the lists are read (5 ms otherwise)
WAIT = 60.0  # seconds a misspelt name waits, at most, for the lists being read (3.5 s at N=40,000)


class Rewarmer(threading.Thread):
    """One serving store's background reader of its name lists (see the module's docstring).

    Its state (due, busy) is guarded by the store's `answering` condition, which answers hold:
    lists are dropped and handed over only between answers, or while one waits for them. It
    holds the store weakly and ends when the store is gone, or on stop()."""

    def __init__(self, store: Store, path: str, every: float):
        super().__init__(name="citebot-rewarm", daemon=True)
        self._store = weakref.ref(store)
        self.cond = store.answering
        self._path = path
        self.every = every
        self.due = False  # the store saw an article written: look now, not at the next tick
        self.busy = False  # reading the lists now
        self.stopped = False
        self.rounds = 0  # how many times the lists were read again

    def poke(self) -> None:
        with self.cond:
            self.due = True
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify_all()

    def settled(self) -> bool:
        """Whether no reading of the lists is due or under way (what a waiting answer waits for)."""
        return self.stopped or not (self.due or self.busy)

    def run(self) -> None:
        db = dbmod.connect(self._path, readonly=True)
        try:
            while True:
                with self.cond:
                    self.cond.wait_for(lambda: self.due or self.stopped, self.every)
                    if self.stopped:
                        return
                store = self._store()
                if store is None:
                    return
                try:
                    self._round(store, db)
                except sqlite3.Error as e:  # the file went away or is locked: try again at the next tick
                    log.warning("reading the name lists again failed: %s", e)
                    with self.cond:
                        self.due = self.busy = False
                        self.cond.notify_all()
                del store  # held weakly between rounds: a store no one uses ends its reader
        finally:
            db.conn.close()
            self.stop()

    def _round(self, store: Store, db: sqlite_utils.Database) -> None:
        conn = db.conn
        now = dbmod.generation(conn)
        with self.cond:
            if now <= store.kept_at:
                self.due = False
                self.cond.notify_all()
                return
            self.busy = True
            store.drop_kept()
        collecting, switching = gc.isenabled(), sys.getswitchinterval()
        gc.disable()  # millions of new objects: no collections walking them as they are made
        sys.setswitchinterval(SWITCH)  # an answer meanwhile waits less for the interpreter
        conn.execute("begin")  # one snapshot: the lists and the generation they are of
        try:
            at = dbmod.generation(conn)
            kept = store.read_kept(db)
        finally:
            conn.execute("commit")
            # As commands.warm does: lists that live until the next index run, with no cycles, out
            # of the collector's reach (a full collection walking them would hold up an answer).
            gc.freeze()
            if collecting:
                gc.enable()
            sys.setswitchinterval(switching)
        with self.cond:
            store.take_kept(at, kept)
            self.due = self.busy = False
            self.rounds += 1
            self.cond.notify_all()
