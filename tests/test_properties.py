"""Every command on arbitrary text: no exception escapes, the database file is unchanged."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands import run
from commands.results import Answer
from store.search import Store
from tests.test_ingest import snapshot

PREFIXES = ["", "/quote ", "/figure ", "/who ", "/source ", "/cite ", "/cite quote ", "/cite digest ", "/nope ",
            "谁说过", "是谁 ", "来源 "]
NASTY = ['" OR 1=1 --', "NEAR(", "*", "'; DROP TABLE quotes; --", "纳德拉 AND", "^", "col:x", "\x00\x1b[2J",
         "🤖📈", "納德拉", "$5.6M", "五千亿美元", "(", '"', "-"]

text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY + ["纳德拉", "成本", "芯片", " "]), max_size=6).map("".join),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=12),
)


def digest(path) -> str:
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


def test_commands_never_raise_and_never_write(seeded_db):
    before = digest(seeded_db)
    rows_before = snapshot(seeded_db)
    store = Store.open(seeded_db)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(prefix=st.sampled_from(PREFIXES), body=text, offset=st.integers(min_value=0, max_value=50))
    def check(prefix, body, offset):
        answer = run(prefix + body, store, offset=offset)
        assert isinstance(answer, Answer)
        assert isinstance(answer.to_dict()["results"], list)
        assert answer.results or answer.message, "an empty answer must say why"

    check()
    store.db.conn.close()
    assert snapshot(seeded_db) == rows_before
    assert digest(seeded_db) == before


def test_long_query_is_answered(seeded_db):
    store = Store.open(seeded_db)
    answer = run("/quote " + "纳德拉" * 700, store)
    assert answer.message and not answer.error
