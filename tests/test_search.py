"""Lookups whose cost must not grow with the corpus: bounded candidates, answer order kept."""

from __future__ import annotations

import pytest

from commands import run
from store import db as dbmod
from store.ingest import index_paths
from store.search import CANDIDATES, Store
from tests.conftest import writer_and_serving


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """One article with more matching paragraphs than a lookup ranks, and figures around 50%."""
    d = tmp_path_factory.mktemp("articles")
    lines = ["标题：测试文章", ""]
    lines += [f"第{i:03d}段：长城烛龙联盟发布了一份报告。" for i in range(1, CANDIDATES + 51)]
    lines += [f"{c}公司的市场份额为50%。" for c in "甲戊己"]
    lines += ["乙公司的市场份额为30%至60%。", "丙公司的市场份额为52%。", "丁公司的市场份额为90%。"]
    (d / "a1.txt").write_text("\n".join(lines) + "\n", "utf-8")
    db = dbmod.connect(tmp_path_factory.mktemp("db") / "c.db")
    assert not index_paths(db, [d]).failed
    return Store(db)


def test_a_common_phrase_ranks_the_newest_candidates_only(store):
    page = store.search_passages("长城烛龙联盟", limit=5)
    assert page.total == CANDIDATES  # not every match: the newest CANDIDATES are ranked
    texts = [h.text for h in page.hits]
    last = CANDIDATES + 50
    assert texts == [f"第{i:03d}段：长城烛龙联盟发布了一份报告。" for i in range(last, last - 5, -1)]
    oldest = store.search_passages("长城烛龙联盟", limit=5, offset=CANDIDATES - 5).hits
    assert oldest[-1].text.startswith("第051段") and not store.search_passages("长城烛龙联盟", offset=CANDIDATES).hits


def test_words_as_written_rank_before_words_apart(store):
    hits = store.search_passages("联盟长城", limit=5).hits  # no paragraph has them in this order
    assert hits and all("长城" in h.text and "联盟" in h.text for h in hits)
    written = store.search_passages("烛龙联盟", limit=3).hits
    assert all("烛龙联盟" in h.text for h in written)


def test_figures_by_amount_keep_their_order_equal_near_range(store):
    from store.figures import parse_amount

    values = [(f.value, f.value_max) for f in store.figures_by_amount(parse_amount("52%"), limit=5).hits]
    assert values == [(52.0, None), (50.0, None), (50.0, None), (50.0, None), (30.0, 60.0)]
    # equal first, then figures within 10% (nearest first), then a range holding it; 90% is not near


def test_articles_indexed_after_the_catalogue_is_read_are_cited(tmp_path):
    """A serving store reads every article's record once; an index run in another process
    adds articles after that, and answers must still cite them."""
    path = tmp_path / "c.db"
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    (first / "a1.txt").write_text("甲文\n\n王小明说：“第一篇的话。”\n", "utf-8")
    (later / "b1.txt").write_text("乙文\n\n王小明说：“第二篇的话。”\n", "utf-8")
    assert not index_paths(dbmod.connect(path), [first]).failed
    serving = Store(dbmod.connect(path, readonly=True))
    assert [h.article.title for h in serving.quotes_by_people(serving.match_names("王小明").person_ids).hits] == ["甲文"]
    assert not index_paths(dbmod.connect(path), [later]).failed  # another writer, after the catalogue was read
    hits = serving.quotes_by_people(serving.match_names("王小明").person_ids).hits
    assert sorted(h.article.title for h in hits) == ["乙文", "甲文"]
    assert serving.article("b1").title == "乙文"
    with pytest.raises(KeyError):
        serving.article("no-such-article")


def test_a_serving_store_sees_a_reindexed_title_and_new_names_without_a_restart(tmp_path):
    """`citebot serve` keeps article records and alias lists in memory; an index run in
    another process that changes an article or adds a person shows in its next answer."""
    path = tmp_path / "c.db"
    arts = tmp_path / "arts"
    arts.mkdir()
    doc = arts / "a1.txt"
    doc.write_text('+++\ntitle = "旧标题"\nurl = "https://example.org/old"\n+++\n王小明说：“第一篇的话。”\n', "utf-8")
    assert not index_paths(dbmod.connect(path), [arts]).failed
    serving = Store(dbmod.connect(path, readonly=True))
    now = [0.0]
    serving._clock = lambda: now[0]
    (hit,) = run("/quote 王小明", serving).results
    assert (hit.source.title, hit.source.url) == ("旧标题", "https://example.org/old")
    assert not run("/who 李大仁", serving).results  # a fuzzy lookup: the alias list is now in memory

    doc.write_text('+++\ntitle = "新标题"\nurl = "https://example.org/new"\n+++\n王小明说：“第一篇的话。”\n'
                   "李大仁表示：“第二句话。”\n", "utf-8")
    assert index_paths(dbmod.connect(path), [arts]).updated == ["a1"]  # another writer
    (hit,) = run("/quote 王小明", serving).results  # looked at the file less than refresh_every ago
    assert hit.source.title == "旧标题"
    now[0] += serving.refresh_every  # another process's writes are looked for that often
    (hit,) = run("/quote 王小明", serving).results
    assert (hit.source.title, hit.source.url) == ("新标题", "https://example.org/new")
    assert [p.name for p in run("/who 李大仁", serving).results] == ["李大仁"]
    assert [p.name for p in run("/who 李大人", serving).results] == ["李大仁"]  # fuzzy: the new alias list


def test_refresh_keeps_memory_when_no_article_changed(tmp_path):
    arts, writer, serving = writer_and_serving(tmp_path)
    run("/who 王小民", serving)  # fuzzy: reads the alias list
    kept = serving._alias_index
    writer.execute("create table if not exists other (x)")
    writer.execute("insert into other values (1)")  # a commit that is not an article (a Slack event id, say)
    assert not index_paths(writer, [arts]).changed  # an index run that finds nothing new
    run("/quote 王小明", serving)
    assert serving._alias_index is kept
    (arts / "a2.txt").write_text("乙文\n\n李大仁说：“第二篇的话。”\n", "utf-8")
    assert index_paths(writer, [arts]).added == ["a2"]
    run("/quote 王小明", serving)
    assert "_alias_index" not in serving.__dict__


def test_names_answer_the_same_from_memory_as_from_the_file(seeded_db):
    """A serving process answers an exact name from the alias lists it holds (Store.preload);
    a one-shot process asks the file. Every alias, pinyin and unknown name alike."""
    cold = Store(dbmod.connect(seeded_db, readonly=True))
    warm = Store(dbmod.connect(seeded_db, readonly=True))
    warm.preload()
    names = [r[0] for r in cold.db.conn.execute("select distinct alias from aliases")]
    assert len(names) > 50
    for name in [*names, "NADELLA", "Na De La", "查无此人", "纳德"]:
        assert "_alias_rows" not in cold.__dict__
        assert warm.match_names(name) == cold.match_names(name), name
        assert warm.people_called(name) == cold.people_called(name), name
        if "_alias_rows" in cold.__dict__:  # a fuzzy lookup loaded them: ask the next name cold again
            cold = Store(dbmod.connect(seeded_db, readonly=True))
    assert warm.match_names("纳德拉").exact and not warm.match_names("nadela").exact


def test_a_misspelt_name_shows_the_names_one_typo_away_first_else_every_close_one(tmp_path):
    """zhangweimng is one letter from 张伟明's pinyin and three from 张维平's (fuzz.ratio 87, over
    the cutoff of 85): only 张伟明 is shown. A name one typo from no one gets every name that
    scores over the cutoff (zhangweim, three letters short of zhangweiming: 85.7). A serving
    process (an index of names one typo apart) and a one-shot one (every name scored) answer
    alike, and after an article is written too."""
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "a1.txt").write_text("甲文\n\n张伟明说：“第一篇的话。”\n", "utf-8")
    (arts / "a2.txt").write_text("乙文\n\n张维平说：“第二篇的话。”\n", "utf-8")
    writer = dbmod.connect(tmp_path / "c.db")
    assert not index_paths(writer, [arts]).failed
    warm = Store(dbmod.connect(tmp_path / "c.db", readonly=True))
    warm.refresh_every = 0
    warm.preload()

    def names(store: Store, name: str) -> list[str]:
        return [p.name for p in store.people_called(name)[0]]

    asked = {"zhangweimng": ["张伟明"], "zhangweipng": ["张维平"], "zhang weiming": ["张伟明"],
             "zhangweim": ["张伟明"], "zhangxxxxx": []}
    for name, want in asked.items():
        cold = Store(dbmod.connect(tmp_path / "c.db", readonly=True))
        assert names(cold, name) == names(warm, name) == want, name
    assert "_typo_index" in warm.__dict__ and "_typo_index" not in cold.__dict__
    (arts / "a3.txt").write_text("丙文\n\n张伟民说：“第三篇的话。”\n", "utf-8")
    assert index_paths(writer, [arts]).added == ["a3"]
    warm.refresh()
    cold = Store(dbmod.connect(tmp_path / "c.db", readonly=True))
    assert names(warm, "zhangweimng") == names(cold, "zhangweimng") == ["张伟明", "张伟民"]


def test_a_name_shared_by_two_people_lists_the_older_first_from_memory_too(tmp_path):
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "a1.txt").write_text("甲文\n\n王晓明说：“第一篇的话。”\n", "utf-8")
    (arts / "a2.txt").write_text("乙文\n\n王小明说：“第二篇的话。”\n", "utf-8")
    assert not index_paths(dbmod.connect(tmp_path / "c.db"), [arts]).failed
    cold = Store(dbmod.connect(tmp_path / "c.db", readonly=True))
    warm = Store(dbmod.connect(tmp_path / "c.db", readonly=True))
    warm.preload()
    both = cold.match_names("Wang Xiaoming")  # the pinyin of both names
    assert len(both.person_ids) == 2 and not both.exact
    assert warm.match_names("Wang Xiaoming") == both
    assert [p.name for p in warm.people_called("wangxiaoming")[0]] == ["王晓明", "王小明"]


def test_quote_pages_answer_the_same_from_memory_as_from_the_file(seeded_db):
    """A serving process joins each quote's speaker in and sums a page's total from the people
    it holds (Store._cards); a one-shot process asks the file. Every person, every page."""
    cold = Store(dbmod.connect(seeded_db, readonly=True))
    warm = Store(dbmod.connect(seeded_db, readonly=True))
    warm.preload()
    ids = [r[0] for r in cold.db.conn.execute("select id from people order by id")]
    asked = [[i] for i in ids] + [ids[:2], ids[-3:]]
    totals = []
    for person_ids in asked:
        for offset in (0, 5):
            page = cold.quotes_by_people(person_ids, 5, offset)
            assert warm.quotes_by_people(person_ids, 5, offset) == page, (person_ids, offset)
            totals.append(page.total)
    assert "_cards" in warm.__dict__ and "_cards" not in cold.__dict__
    assert max(totals) > 5  # a full first page: its total is counted, not seen


def test_a_first_page_of_quotes_from_the_card_is_the_page_from_the_quote_index(seeded_db):
    """A person's first page is kept on their card (Store._first_page: one row, or memory in a
    serving process); any other page, or several people's, is read from the quote index. For
    every seed person, both ways round: the same quotes, order and total."""
    cold = Store(dbmod.connect(seeded_db, readonly=True))
    warm = Store(dbmod.connect(seeded_db, readonly=True))
    warm.preload()
    ids = [r[0] for r in cold.db.conn.execute("select id from people order by id")]
    totals = []
    for pid in ids:
        longer = cold.quotes_by_people([pid], dbmod.CARD_PAGE + 1)  # not a card's page: the index
        for store in (cold, warm):
            card = store.quotes_by_people([pid], dbmod.CARD_PAGE)
            assert (card.hits, card.total) == (longer.hits[: dbmod.CARD_PAGE], longer.total), pid
        totals.append(longer.total)
    assert max(totals) > dbmod.CARD_PAGE and min(totals) == 0  # a second page; someone never quoted
    assert "_pages" in warm.__dict__ and "_pages" not in cold.__dict__


def test_a_serving_store_counts_a_new_quote_after_an_index_run(tmp_path):
    """The people's cards a serving process holds are read again once an article is written."""
    arts, writer, serving = writer_and_serving(tmp_path)
    serving.preload()
    assert run("/quote 王小明", serving).total == 1
    (arts / "a2.txt").write_text("乙文\n\n王小明表示：“第二篇的话。”\n", "utf-8")
    assert index_paths(writer, [arts]).added == ["a2"]
    answer = run("/quote 王小明", serving)
    assert answer.total == 2 and {q.text for q in answer.results} == {"第一篇的话", "第二篇的话"}
    serving.preload()  # memory again: the same answer
    again = run("/quote 王小明", serving)
    assert (again.total, again.to_dict()) == (answer.total, answer.to_dict())


def test_a_serving_store_cites_articles_without_reading_them_again(seeded_db):
    """preload reads every article's record once (Store._load_catalogue), so the first answer a
    serving process gives reads no article row from the file; a one-shot process reads them
    when its answer first cites one. Both cite the same articles."""
    cold = Store(dbmod.connect(seeded_db, readonly=True))
    warm = Store(dbmod.connect(seeded_db, readonly=True))
    warm.preload()
    statements: list[str] = []
    for store in (cold, warm):
        store.db.conn.set_trace_callback(statements.append)
    cold_answer = run("/quote 纳德拉", cold)
    read_cold = [s for s in statements if "from articles" in s]
    statements.clear()
    warm_answer = run("/quote 纳德拉", warm)
    assert cold_answer.results and warm_answer.to_dict() == cold_answer.to_dict()
    assert read_cold and not [s for s in statements if "from articles" in s]
