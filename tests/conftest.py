"""Shared fixtures: a real SQLite file indexed from seeds/, made once per session."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from hypothesis import settings

# Timings are the benchmark's business, not the tests': no per-example deadlines.
settings.register_profile("citebot", deadline=None, max_examples=100)
settings.load_profile("citebot")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed_folder(tmp_path: Path, count: int) -> Path:
    """A folder with the first `count` seed articles and their sources.toml."""
    d = tmp_path / "articles"
    d.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:count] + [SEEDS / "sources.toml"]:
        shutil.copy(f, d / f.name)
    return d


def paragraphs(folder: Path = SEEDS) -> list:
    """Every paragraph of the articles in a folder (the seeds by default), as read for indexing."""
    from store.sources import article_files, read_article

    return [p for path in article_files([folder]) for p in read_article(path).paragraphs]


def cli(*argv: str) -> str:
    """Run the citebot command line in-process and return what it printed."""
    from bot.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(list(argv))
    assert code == 0, f"citebot {' '.join(argv)} exited {code}"
    return buf.getvalue()


def ask_json(db: Path, text: str, offset: int = 0) -> dict:
    return json.loads(cli("ask", "--db", str(db), "--json", "--offset", str(offset), text))


def export(db: Path, kind: str) -> list[dict]:
    return [json.loads(line) for line in cli("export", kind, "--db", str(db)).splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seeds_copy(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("seeds")
    for f in SEEDS.iterdir():
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory, seeds_copy) -> Path:
    """A database file indexed from the seeds by `citebot index`. Tests must not write to it."""
    db = tmp_path_factory.mktemp("db") / "citebot.db"
    cli("index", "--db", str(db), "--quiet", str(seeds_copy))
    return db


def fts_tokens(conn, table: str) -> list[tuple]:
    """Every (term, rowid, column, offset) a contentless full-text table holds, sorted:
    its contents, read back through an fts5vocab table."""
    conn.execute(f"create virtual table if not exists temp.vocab_{table} using fts5vocab(main, {table}, 'instance')")
    return sorted(conn.execute(f"select term, doc, col, offset from temp.vocab_{table}"))


# What two stores of the same articles must hold alike, compared exactly: articles,
# paragraphs, their full-text tokens, quotes (with their person's name), figures, people and
# the names they go by. An article's extraction depends on its text
# alone (store.people teaches jieba nothing), so a worker that has seen other articles first
# finds what one process does, and an article read again finds what a fresh store's does.
# Row ids are left out: the writer numbers rows as they come.
ROWS = {
    "articles": "id, path, title, display_title, outlet, published, url, script, content_hash, paragraphs,"
                " extracted_by",
    "paragraphs": "article_id, n, text, folded",
    "quotes": "article_id, paragraph, start, end, text, kind, speaker, speaker_type, role, score,"
              " (select name from people where id = person_id)",
    "figures": "article_id, paragraph, start, end, raw, kind, value, value_max, unit, qualifier, subject, context",
    "people": "name, full_name, name_en, role, minor, card_names, card_articles, card_quotes",
    "aliases": "(select name from people where id = person_id), article_id, alias, folded, kind",
    "mentions": "(select name from people where id = person_id), article_id, paragraph, count, role",
    "quote_speakers": "(select article_id || ' ' || start || ' ' || text from quotes where id = quote_id),"
                      " (select name from people where id = person_id), key",
}


def store_rows(path: Path) -> dict[str, list]:
    """ROWS of the store at path, each table's sorted."""
    conn = sqlite3.connect(path)
    try:
        out = {t: sorted(map(repr, conn.execute(f"select {cols} from {t}"))) for t, cols in ROWS.items()}
        # The index is contentless: its tokens are read back through an fts5vocab table.
        conn.execute("create virtual table temp.vocab using fts5vocab(main, paragraphs_fts, 'instance')")
        out["paragraphs_fts"] = sorted(conn.execute(
            "select p.article_id, p.n, v.term, v.offset from temp.vocab v join paragraphs p on p.id = -v.doc"))
        return out
    finally:
        conn.close()


def writer_and_serving(tmp_path: Path, every: float = 0):
    """A folder with one article, a store it is indexed into (the writer's connection), and a
    serving handle on that store that looks for other processes' writes every `every` seconds."""
    from store import db as dbmod
    from store.ingest import index_paths
    from store.search import Store

    path = tmp_path / "c.db"
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "a1.txt").write_text("甲文\n\n王小明说：“第一篇的话。”\n", "utf-8")
    writer = dbmod.connect(path)
    assert not index_paths(writer, [arts]).failed
    serving = Store(dbmod.connect(path, readonly=True))
    serving.refresh_every = every
    return arts, writer, serving
