"""Ingest: idempotent, a bad file skipped by name, a failing article rolled back whole."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from store import db as dbmod
from store import ingest
from store.ingest import index_paths
from store.search import Store
from tests.conftest import ROOT, fts_tokens, seed_folder, store_rows

TABLES = ("articles", "paragraphs", "people", "aliases", "mentions", "quotes", "figures", "quote_speakers")
FTS = ("paragraphs_fts", "quotes_fts", "figures_fts")


def snapshot(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        out = {t: sorted(map(repr, conn.execute(f"select * from {t}"))) for t in TABLES}
        return out | {t: fts_tokens(conn, t) for t in FTS}
    finally:
        conn.close()


def reopened_as_version(path: Path, version: int, statements: list[str]):
    """The store at path made to look as an older version left it, then opened (and upgraded)."""
    conn = sqlite3.connect(path)
    if any("drop column card_quotes" in sql for sql in statements):  # the roles' index holds it: versions before 5 had neither
        conn.execute("drop index idx_people_role")
    for sql in statements:
        conn.execute(sql)
    conn.execute("update meta set value = ? where key = 'schema_version'", [str(version)])
    conn.commit()
    conn.close()
    db = dbmod.connect(path)
    assert dbmod.schema_version(db) == dbmod.SCHEMA_VERSION
    return db


@pytest.fixture
def folder(tmp_path) -> Path:
    return seed_folder(tmp_path, 2)


def test_reindex_is_a_no_op(tmp_path, folder):
    path = tmp_path / "c.db"
    db = dbmod.connect(path)
    first = index_paths(db, [folder])
    assert len(first.added) == 2 and not first.failed
    before = snapshot(path)
    again = index_paths(db, [folder])
    assert again.added == [] and again.updated == [] and len(again.unchanged) == 2
    assert snapshot(path) == before


def test_changed_file_replaces_its_rows(tmp_path, folder):
    path = tmp_path / "c.db"
    db = dbmod.connect(path)
    index_paths(db, [folder])
    target = sorted(folder.glob("*.txt"))[0]
    target.write_text(target.read_text("utf-8") + "\n新段落：测试者王小明说：“这是新加的一句话。”\n", "utf-8")
    report = index_paths(db, [folder])
    assert report.updated == [target.stem]
    n = db.execute("select count(*) from paragraphs where article_id = ? and text like '%新加的一句话%'",
                   [target.stem]).fetchone()[0]
    assert n == 1
    dupes = db.execute("select count(*) - count(distinct article_id || '/' || n) from paragraphs").fetchone()[0]
    assert dupes == 0


def test_replaced_rows_leave_no_tokens_behind(tmp_path, folder):
    """The full-text tables are contentless: a replaced article's old tokens must be deleted
    with them, or searches would find rows that are gone."""
    path = tmp_path / "c.db"
    db = dbmod.connect(path)
    target = sorted(folder.glob("*.txt"))[0]
    original = target.read_text("utf-8")
    index_paths(db, [folder])
    fresh = snapshot(path)
    target.write_text(original + "\n测试者王小明说：“独一无二的暂存句子。”\n", "utf-8")
    index_paths(db, [folder])
    assert Store(db).search_passages("独一无二的暂存句子").total == 1
    target.write_text(original, "utf-8")
    index_paths(db, [folder])
    assert Store(db).search_passages("独一无二的暂存句子").total == 0
    after = snapshot(path)
    for t in FTS:  # the same tokens at the same offsets; only the rows' ids moved on
        assert after[t]
        assert sorted((term, col, off) for term, _, col, off in after[t]) == sorted(
            (term, col, off) for term, _, col, off in fresh[t])


def test_people_cards_follow_every_write(tmp_path, folder):
    """/who reads a person's names, articles and quote count from their row (their card):
    it must agree with the rows it sums up after an article is added, replaced or removed,
    and a person named in two articles has both."""
    db = dbmod.connect(tmp_path / "c.db")
    first, second = sorted(folder.glob("*.txt"))[:2]
    line = "\n新段落：测试者王小明说：“{}。”\n"
    first.write_text(first.read_text("utf-8") + line.format("第一篇加的话"), "utf-8")
    second.write_text(second.read_text("utf-8") + line.format("第二篇加的话"), "utf-8")
    index_paths(db, [folder])
    assert ingest.stale_cards(db) == []
    store = Store(db)
    (wang,) = store.find_people("王小明")
    assert (wang.articles, wang.quotes) == (sorted([first.stem, second.stem]), 2)
    second.write_text(second.read_text("utf-8") + line.format("第二篇又加的话"), "utf-8")  # replaced
    index_paths(db, [folder])
    assert ingest.stale_cards(db) == []
    assert Store(db).find_people("王小明")[0].quotes == 3
    with ingest.transaction(db):
        ingest.delete_article(db, first.stem)
    assert ingest.stale_cards(db) == []
    (wang,) = Store(db).find_people("王小明")
    assert (wang.articles, wang.quotes) == ([second.stem], 2)
    db.execute("update people set card_quotes = card_quotes + 1 where id = ?", [wang.id])  # a writer that forgot
    assert ingest.stale_cards(db) == [wang.id]


def test_a_store_from_version_4_gets_its_people_cards_on_open(tmp_path, folder):
    path = tmp_path / "c.db"
    index_paths(dbmod.connect(path), [folder])
    want = snapshot(path)
    db = reopened_as_version(path, 4, [f"alter table people drop column {col}" for col in dbmod.CARD_COLUMNS])
    assert snapshot(path) == want and ingest.stale_cards(db) == []


def test_a_store_from_version_5_gets_the_first_page_of_quotes_on_its_cards(tmp_path, folder):
    path = tmp_path / "c.db"
    index_paths(dbmod.connect(path), [folder])
    want = snapshot(path)
    db = reopened_as_version(path, 5, ["alter table people drop column card_page"])
    assert snapshot(path) == want and ingest.stale_cards(db) == []
    assert db.execute("select count(*) from people where card_page is null").fetchone()[0] == 0


def test_quotes_no_one_person_said_are_their_speakers_and_survive_an_upgrade(tmp_path):
    """An organisation's quotes are found by its name, a group's are its people's (on their
    cards too), an article's go with it, and a store from version 7 gets the same rows on open."""
    folder = seed_folder(tmp_path, 5)
    path = tmp_path / "c.db"
    db = dbmod.connect(path)
    index_paths(db, [folder])
    quotes = db.execute("select id, article_id, speaker, speaker_type, person_id from quotes").fetchall()
    orgs = [q for q in quotes if q[3] == "org"]
    groups = [q for q in quotes if q[3] == "group"]
    assert orgs and groups and all(q[4] is None for q in orgs + groups)
    store = Store(db)
    for _id, _aid, speaker, _t, _p in orgs:
        page = store.quotes_by_speaker(speaker, 100)
        assert page.total == sum(q[2] == speaker for q in orgs) and {h.speaker for h in page.hits} == {speaker}
    member = groups[0][2].split("、")[0]
    (person,) = store.find_people(member)
    said = [q for q in groups if member in q[2].split("、")]
    page = store.quotes_by_people([person.id], 100)
    assert {h.id for h in page.hits} >= {q[0] for q in said} and person.quotes == page.total
    assert store.quotes_by_people([person.id], dbmod.CARD_PAGE) == page.__class__(page.hits[: dbmod.CARD_PAGE],
                                                                                 page.total)  # the card's page
    assert ingest.stale_cards(db) == []
    want = store_rows(path)
    assert want["quote_speakers"] and len(want["quote_speakers"]) >= len(orgs) + 2 * len(groups)
    db.conn.close()
    db = reopened_as_version(path, 7, ["drop table quote_speakers"])
    assert store_rows(path) == want and ingest.stale_cards(db) == []
    with ingest.transaction(db):
        ingest.delete_article(db, groups[0][1])
    assert not db.execute("select count(*) from quote_speakers where quote_id not in (select id from quotes)"
                          ).fetchone()[0]
    assert ingest.stale_cards(db) == []


def test_corrupt_file_is_named_and_skipped(tmp_path, folder):
    bad = folder / "zz_bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x81 not utf-8 \xc3\x28")
    empty = folder / "zz_empty.txt"
    empty.write_text("  \n", "utf-8")
    db = dbmod.connect(tmp_path / "c.db")
    report = index_paths(db, [folder])
    assert len(report.added) == 2
    failed = dict(report.failed)
    assert str(bad) in failed and "UTF-8" in failed[str(bad)]
    assert str(empty) in failed


def test_cli_names_the_skipped_file(tmp_path, folder, capsys):
    from bot.cli import main

    (folder / "broken.txt").write_bytes(b"\x80\x81\x82")
    assert main(["index", "--db", str(tmp_path / "c.db"), str(folder)]) == 0
    err = capsys.readouterr().err
    assert "broken.txt" in err and "UTF-8" in err


def test_failure_mid_article_leaves_database_as_it_was(tmp_path, folder, monkeypatch):
    path = tmp_path / "c.db"
    db = dbmod.connect(path)
    first = sorted(folder.glob("*.txt"))[0]
    index_paths(db, [first])
    before = snapshot(path)

    real = ingest._insert
    calls = {"n": 0}

    def explode(db, table, row):
        calls["n"] += 1
        if calls["n"] == 6:  # after the article row and several of its paragraphs are written
            raise RuntimeError("disk on fire")
        return real(db, table, row)

    monkeypatch.setattr(ingest, "_insert", explode)
    second = sorted(folder.glob("*.txt"))[1]
    report = index_paths(db, [second])
    assert calls["n"] >= 2, "the failure was not reached"
    assert report.failed and "disk on fire" in report.failed[0][1]
    assert snapshot(path) == before



def _articles(tmp_path: Path, n: int) -> Path:
    d = tmp_path / "arts"
    d.mkdir()
    for i in range(n):
        (d / f"a{i:02d}.txt").write_text(f"第{i}篇\n\n王小明说：“第{i}篇的话。”\n", "utf-8")
    return d


def test_a_failing_article_in_a_group_rolls_back_alone(tmp_path, monkeypatch):
    """Articles are committed in groups; one that fails mid-write leaves no rows, and the
    articles before and after it in the same group land."""
    arts = _articles(tmp_path, 5)
    real = ingest.write_article

    def explode_on_third(db, art, ex, columns=None, row_kept=False, text_kept=False):
        real(db, art, ex, columns, row_kept, text_kept)
        if art.id == "a02":
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(ingest, "write_article", explode_on_third)
    db = dbmod.connect(tmp_path / "c.db")
    report = index_paths(db, [arts])
    assert report.added == ["a00", "a01", "a03", "a04"] and "disk on fire" in report.failed[0][1]
    conn = sqlite3.connect(tmp_path / "c.db")  # another process: what was committed
    assert [r[0] for r in conn.execute("select id from articles order by id")] == report.added
    assert not conn.execute("select count(*) from paragraphs where article_id = 'a02'").fetchone()[0]


def test_commits_come_every_so_many_articles_or_seconds(tmp_path):
    path = tmp_path / "c.db"
    db = dbmod.connect(path)
    now = [0.0]
    commits = ingest.Commits(db, clock=lambda: now[0])
    other = sqlite3.connect(path)

    def seen() -> int:
        return other.execute("select count(*) from meta where key like 'k%'").fetchone()[0]

    for i in range(ingest.ARTICLES_PER_COMMIT - 1):
        with commits.article():
            db.execute("insert into meta (key, value) values (?, '')", [f"k{i}"])
    assert seen() == 0  # a group in progress
    now[0] += ingest.COMMIT_EVERY  # a slow article: the group is committed after it, however short
    with commits.article():
        db.execute("insert into meta (key, value) values ('k-slow', '')")
    assert seen() == ingest.ARTICLES_PER_COMMIT
    with commits.article():
        db.execute("insert into meta (key, value) values ('k-last', '')")
    commits.close()  # the end of the run, or an interrupted one: what is done is kept
    assert seen() == ingest.ARTICLES_PER_COMMIT + 1


def test_an_interrupted_run_keeps_the_articles_it_finished(tmp_path):
    arts = _articles(tmp_path, 6)
    seen: list[str] = []

    def progress(name: str, done: int, total: int) -> None:
        seen.append(name)
        if done == 4:
            raise KeyboardInterrupt

    db = dbmod.connect(tmp_path / "c.db")
    with pytest.raises(KeyboardInterrupt):
        index_paths(db, [arts], progress)
    conn = sqlite3.connect(tmp_path / "c.db")
    assert [r[0] for r in conn.execute("select id from articles order by id")] == ["a00", "a01", "a02", "a03"]
    again = index_paths(db, [arts])  # the next run writes the rest
    assert again.unchanged == ["a00", "a01", "a02", "a03"] and again.added == ["a04", "a05"]
    assert _automerge(db) == dict.fromkeys(FTS, ingest.DEFAULT_AUTOMERGE)  # restored by the interrupted run too


def _automerge(db) -> dict[str, int]:
    return {t: ingest._fts_config(db, t, "automerge", -1) for t in FTS}


def _segments(db) -> dict[str, int]:
    return {t: ingest.fulltext_segments(db, t) for t in FTS}


def test_a_bulk_run_merges_late_and_ends_with_one_segment_an_index(tmp_path, folder):
    db = dbmod.connect(tmp_path / "c.db")
    during: list[dict] = []
    index_paths(db, [folder], lambda name, done, total: during.append(_automerge(db)))
    assert during[0] == dict.fromkeys(FTS, ingest.LATE_AUTOMERGE)
    assert _automerge(db) == dict.fromkeys(FTS, ingest.DEFAULT_AUTOMERGE)
    assert _segments(db) == dict.fromkeys(FTS, 1)


def test_a_small_run_leaves_merging_to_fts5(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BULK_SHARE", 0.5)  # 1 new article is no bulk load for a store of 4
    arts = tmp_path / "arts"
    arts.mkdir()

    def article(i: int) -> None:  # a paragraph, a quote and a figure: a row for each full-text index
        (arts / f"a{i:02d}.txt").write_text(f"第{i}篇\n\n王小明说：“第{i}篇的话。”公司营收增长了{i + 10}%。\n", "utf-8")

    for i in range(4):
        article(i)
    db = dbmod.connect(tmp_path / "c.db")
    index_paths(db, [arts])
    assert _segments(db) == dict.fromkeys(FTS, 1)
    article(4)
    during: list[dict] = []
    report = index_paths(db, [arts / "a04.txt"], lambda name, done, total: during.append(_automerge(db)))
    assert report.added == ["a04"] and during[0] == dict.fromkeys(FTS, ingest.DEFAULT_AUTOMERGE)
    assert min(_segments(db).values()) > 1  # its own segments, beside the merged one


def test_merging_the_fulltext_indexes_changes_no_answer(tmp_path, monkeypatch):
    from commands import run

    monkeypatch.setattr(ingest, "BULK_SHARE", 100.0)  # no run is a bulk load: each leaves its segments
    arts = seed_folder(tmp_path, 5)
    path = tmp_path / "c.db"
    db = dbmod.connect(path)
    for f in sorted(arts.glob("*.txt")):
        index_paths(db, [f])
    assert min(_segments(db).values()) > 1
    asks = [q["ask"] for q in json.loads((ROOT / "tests" / "gold.json").read_text("utf-8"))["queries"]]
    asks += ["/source 芯片", "/figure 美元", "/quote 人工智能"]  # pages of many matches

    def answers() -> list[dict]:
        store = Store.open(path)
        return [run(ask, store, offset).to_dict() for ask in asks for offset in (0, 5)]

    before = answers()
    ingest.merge_fulltext(db)
    assert _segments(db) == dict.fromkeys(FTS, 1)
    assert answers() == before


def test_front_matter_metadata(tmp_path):
    d = tmp_path / "fm"
    d.mkdir()
    (d / "note.txt").write_text(
        '+++\ntitle = "一篇测试"\noutlet = "测试日报"\nurl = "https://example.org/a"\n+++\n正文第一段。\n', "utf-8")
    db = dbmod.connect(tmp_path / "c.db")
    assert index_paths(db, [d]).added == ["note"]
    row = next(db.query("select title, outlet, url from articles"))
    assert row == {"title": "一篇测试", "outlet": "测试日报", "url": "https://example.org/a"}
    assert db.execute("select text from paragraphs").fetchone()[0] == "正文第一段。"


def test_a_store_from_version_1_is_migrated_on_open(tmp_path, folder):
    """Version 1 stores had single-character tokens and no folded quotes or sentences:
    opening one rebuilds its full-text tables and folds from the texts it keeps, with no
    re-extraction, and it ends up as a new store would be."""
    path = tmp_path / "c.db"
    index_paths(dbmod.connect(path), [folder])
    want = snapshot(path)
    version_1 = [sql for t in FTS for sql in (f"drop table {t}", f"create virtual table {t} using fts5(chars, words)")]
    version_1 += [f"alter table {t} drop column folded" for t in ("quotes", "figures")]
    version_1 += [f"alter table people drop column {col}" for col in dbmod.CARD_COLUMNS]
    db = reopened_as_version(path, 1, version_1)
    assert snapshot(path) == want
    assert Store(db).search_passages("小院高墙").total > 0


def test_a_persons_name_forms_come_in_the_same_order_in_every_process():
    """alias_forms decides the order of a person's alias rows, which breaks ties between close
    spellings: it must not follow the order of a set of strings, which changes with each
    process's hash seed."""
    code = ("from store.extract import PersonFound\n"
            "from store.ingest import alias_forms\n"
            "print(alias_forms(PersonFound('托尼尼', '雨果·托尼尼', 'Hugo Tonini')))\n")
    outs = set()
    for seed in ("1", "2", "3", "4", "5"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             cwd=Path(__file__).parent.parent, env={**os.environ, "PYTHONHASHSEED": seed})
        outs.add(out.stdout)
    assert len(outs) == 1, outs
    assert "('tuonini', 'pinyin'), ('yuguotuonini', 'pinyin')" in outs.pop()


def two_qianlis(tmp_path: Path) -> Path:
    """Three articles: Ma Qianli, Gao Qianli (two people) and Satya Nadella."""
    d = tmp_path / "arts"
    d.mkdir()
    (d / "a.txt").write_text("芯片产业观察\n\n鲲鹏实验室创始人马倩丽（Ma Qianli）表示：“人才的竞争最重要。”\n", "utf-8")
    (d / "b.txt").write_text("芯片产业观察\n\n博世中国总裁高倩丽（Gao Qianli）表示：“我们不会放慢投入。”\n", "utf-8")
    (d / "c.txt").write_text("云计算观察\n\n微软首席执行官萨提亚·纳德拉（Satya Nadella）表示：“云是未来。”\n\n"
                             "纳德拉补充说：“我们会继续投入。”\n", "utf-8")
    return d


def test_two_chinese_people_who_share_a_given_name_in_pinyin_stay_two(tmp_path):
    """A Chinese name's English rendering ends in the given name (Gao Qianli): the two people
    it is shared by are not one person, as two Western people sharing a surname are taken to
    be (纳德拉, Satya Nadella and Nadella)."""
    db = dbmod.connect(tmp_path / "c.db")
    index_paths(db, [two_qianlis(tmp_path)])
    store = Store(db)
    gao, ma = store.find_people("高倩丽"), store.find_people("马倩丽")
    assert [p.name for p in gao] == ["高倩丽"] and [p.name for p in ma] == ["马倩丽"]
    assert [q.text for q in store.quotes_by_people([gao[0].id]).hits] == ["我们不会放慢投入"]
    assert not store.match_names("Qianli").exact  # a given name alone is no name of theirs
    nadella = store.match_names("Nadella")  # a Western surname still is
    assert nadella.exact and [p.name for p in store.people(nadella.person_ids)] == ["萨提亚·纳德拉"]


def test_people_who_share_a_chinese_family_name_stay_apart(tmp_path):
    """Jack Ma (马云) and Pony Ma (马化腾) are both Ma, and 郝海东 is Hao as Karen Hao is: a
    family name finds them all, but is not a name to join people on (it joined them, and
    /quote 马化腾 gave 马云's words)."""
    d = tmp_path / "arts"
    d.mkdir()
    (d / "a.txt").write_text("电商观察\n\n阿里巴巴创始人马云（Jack Ma）表示：“今天很残酷，明天更残酷。”\n", "utf-8")
    (d / "b.txt").write_text("社交观察\n\n腾讯创始人马化腾（Pony Ma）表示：“产业互联网是下半场。”\n\n"
                             "Ma在会上补充说，公司会继续投入。\n", "utf-8")
    (d / "c.txt").write_text("媒体观察\n\n科技记者郝珂灵（Karen Hao）表示：“算力决定格局。”\n\n"
                             "足球名宿郝海东（Haidong Hao）说：“要踏实。”\n", "utf-8")
    db = dbmod.connect(tmp_path / "c.db")
    index_paths(db, [d])
    store = Store(db)
    (pony,) = store.find_people("马化腾")
    assert pony.name == "马化腾"
    # Ma in his article is he (store.quotes), whoever else is Ma in other articles
    assert sorted(q.text for q in store.quotes_by_people([pony.id]).hits) == ["产业互联网是下半场", "公司会继续投入"]
    assert sorted(p.name for p in store.find_people("Ma")) == ["马云", "马化腾"]
    assert sorted(p.name for p in store.find_people("Hao")) == ["郝海东", "郝珂灵"]


@pytest.mark.parametrize(("word", "han", "family"), [
    ("Ma", "马化腾", True), ("Ouyang", "欧阳娜娜", True), ("Lu", "吕布", True), ("Hao", "郝珂灵", True),
    ("Nadella", "纳德拉", False), ("Nadella", "萨提亚·纳德拉", False), ("Altman", "奥尔特曼", False),
    ("Linman", "林曼", False),  # Julia Linman's family name, 林曼 in transliteration: not 林 + a given name
    ("Wang", "王小明", True), ("Chang", "张惠美", False),  # Wade-Giles, not pinyin: a surname to join on, as before
])
def test_a_chinese_family_name_in_pinyin_is_told_from_a_western_surname(word, han, family):
    assert ingest.is_family_name_of(word, han) is family


@pytest.mark.parametrize("workers", [1, 2])
def test_articles_an_older_extraction_wrote_are_read_again(tmp_path, monkeypatch, workers):
    """A fix to extraction reaches a store made before it: an index run reads again the articles
    an older extraction wrote (store.extract.VERSION), though their files are unchanged, and
    the store ends as a fresh one of the same files would be. Here the older extraction is
    the one that joined 马倩丽 and 高倩丽 on their given name in pinyin."""
    d = two_qianlis(tmp_path)
    old, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    with monkeypatch.context() as m:
        m.setattr(ingest, "is_pinyin_of", lambda en, han: False)  # as before ef64d6b
        m.setattr(ingest, "EXTRACTION_VERSION", 1)
        index_paths(dbmod.connect(old), [d])
    db = dbmod.connect(old)
    assert [p.name for p in Store(db).find_people("高倩丽")] == ["马倩丽"]  # one person, named as first found
    assert [a for a, _path in ingest.stale_articles(db)] == ["a", "b", "c"]
    paragraphs = db.execute("select id, article_id, n from paragraphs order by id").fetchall()
    seq = Store(db).article_seq()
    report = index_paths(db, [d], workers=workers)
    # the text is unchanged: its rows stay, only what extraction found is written again,
    # and a digest has no new article to list
    assert db.execute("select id, article_id, n from paragraphs order by id").fetchall() == paragraphs
    assert Store(db).articles_since(seq) == []
    assert sorted(report.reread) == ["a", "b", "c"] and not report.added and not report.updated
    assert [p.name for p in Store(db).find_people("高倩丽")] == ["高倩丽"]
    assert ingest.stale_articles(db) == [] and ingest.stale_cards(db) == []
    index_paths(dbmod.connect(fresh), [d])
    assert store_rows(old) == store_rows(fresh)
    again = index_paths(db, [d], workers=workers)
    assert sorted(again.unchanged) == ["a", "b", "c"] and not again.changed


def test_a_store_from_version_6_reads_its_articles_again_on_the_next_index_run(tmp_path, folder):
    """Before version 7 a store did not record which extraction wrote an article: all of them
    count as older, and the next index run brings them up to date."""
    path = tmp_path / "c.db"
    index_paths(dbmod.connect(path), [folder])
    want = store_rows(path)
    db = reopened_as_version(path, 6, ["alter table articles drop column extracted_by"])
    assert [r[0] for r in db.execute("select extracted_by from articles")] == [None, None]
    assert len(ingest.stale_articles(db)) == 2
    assert len(index_paths(db, [folder]).reread) == 2
    assert store_rows(path) == want


def test_the_cli_says_what_to_index_to_read_older_articles_again(tmp_path, folder, capsys):
    from bot.cli import main

    path = tmp_path / "c.db"
    index_paths(dbmod.connect(path), [folder])
    dbmod.connect(path).execute("update articles set extracted_by = 1")
    more = tmp_path / "more"
    more.mkdir()
    (more / "x.txt").write_text("芯片产业观察\n\n测试者王小明说：“这是新的一篇。”\n", "utf-8")
    assert main(["index", "--db", str(path), str(more)]) == 0
    out, err = capsys.readouterr()
    assert "1 new" in out and "2 articles in the store were read by an older version" in err
    assert err.rstrip().endswith(f"citebot index {folder}")
    assert main(["index", "--db", str(path), str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "2 read again by this version" in out and "older version" not in err


def test_an_article_read_again_gets_its_paragraphs_again_if_they_were_folded_otherwise(tmp_path, monkeypatch):
    """Paragraphs are kept on reading an article again only when they are as this version
    writes them: a change to folding (store.text.fold) must reach their rows and tokens."""
    import store.sources

    d = two_qianlis(tmp_path)
    old, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    real_fold = store.sources.fold
    with monkeypatch.context() as m:
        m.setattr(store.sources, "fold", lambda t: real_fold(t).replace("芯片", "芯⽚"))
        m.setattr(ingest, "EXTRACTION_VERSION", 1)
        index_paths(dbmod.connect(old), [d])
    db = dbmod.connect(old)
    assert Store(db).search_passages("芯片").total == 0
    seq = Store(db).article_seq()
    assert sorted(index_paths(db, [d]).reread) == ["a", "b", "c"]
    assert Store(db).articles_since(seq) == []  # still no news for a digest
    index_paths(dbmod.connect(fresh), [d])
    assert store_rows(old) == store_rows(fresh)
    assert Store(db).search_passages("芯片").total == 2


def test_the_console_says_so_when_older_articles_are_in_the_store(tmp_path, folder, capsys, monkeypatch):
    """Someone who upgrades and opens the console (or the Slack server) without indexing is
    told which folders to index again, once."""
    import io

    from bot.cli import main

    path = tmp_path / "c.db"
    index_paths(dbmod.connect(path), [folder])
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    assert main(["console", "--db", str(path)]) == 0
    assert "older version" not in capsys.readouterr().err
    dbmod.connect(path).execute("update articles set extracted_by = 1")
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    assert main(["console", "--db", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count("older version") == 1 and err.rstrip().endswith(f"citebot index {folder}")


@pytest.mark.parametrize("text, kind, score", [
    ("我们的目标是做出最好的模型", "direct", 3.0),  # direct words, a sentence
    ("这是AI的大事", "direct", 2.0),  # seven letters and characters: a phrase
    ("這是 A.I. 的大事件！", "direct", 3.0),  # eight, the punctuation between them not counted
    ("很好", "indirect", 0.0),
    ("开源模型将改变整个行业的格局", "indirect", 1.0),
    ("___ ... ___ ,,, 1_2_3_4", "direct", 2.0),  # underscores are not letters: four
    ("", "direct", 2.0),
])
def test_a_quote_is_scored_by_its_tier(text, kind, score):
    """Direct words over a paraphrase, a sentence (eight letters or digits) over a phrase."""
    assert ingest._quote_score(text, kind) == score
