"""Commands on the indexed seeds: parsing, routing, paging, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands import parse, run
from store import db as dbmod
from store.ingest import index_paths
from store.search import Store


@pytest.fixture(scope="module")
def store(seeded_db):
    return Store.open(seeded_db)


@pytest.mark.parametrize("ask,command,query", [
    ("/quote 纳德拉", "quote", "纳德拉"),
    ("/cite figure 560万美元", "figure", "560万美元"),
    ("/cite who Gave", "who", "Gave"),
    ("/CITE   source  小院高墙 ", "source", "小院高墙"),
    ("/cite 纳德拉说了什么？", "search", "纳德拉说了什么？"),
    ("/cite", "help", ""),
    ("", "help", ""),
    ("/frobnicate x", "unknown", "x"),
    ("训练成本是多少？", "search", "训练成本是多少？"),
    ("／ｑｕｏｔｅ　纳德拉", "quote", "纳德拉"),  # a Chinese keyboard's full-width slash, letters and space
    ("/ｗｈｏ Gave", "who", "Gave"),
    ("/quote help", "help", "quote"),  # one command's help
    ("/cite figure ?", "help", "figure"),
    ("/cite help source", "help", "source"),
    ("/cite digest help", "digest", "help"),  # the digest command teaches itself
    ("帮助", "help", ""),
])
def test_parse(ask, command, query):
    p = parse(ask)
    assert (p.command, p.query) == (command, query)


def test_empty_answers_say_why_and_what_to_try(store):
    a = run("/quote 黄仁勋", store)
    assert not a.results
    assert a.message == "No quotes by or about 黄仁勋 in the 5 indexed articles — try /source 黄仁勋."
    assert "No one called 孙正义" in run("/who 孙正义", store).message


def test_paging_moves_on_without_repeats(store):
    first = run("/source DeepSeek", store)
    assert first.total > 5 and first.has_more
    second = run("/source DeepSeek", store, offset=5)
    assert second.offset == 5
    key = lambda r: (r.source.article, r.source.paragraph)  # noqa: E731
    assert not {key(r) for r in first.results} & {key(r) for r in second.results}


def test_source_highlights_the_match(store):
    a = run("/source 星際之門", store)
    r = a.results[0]
    assert r.highlights
    start, end = r.highlights[0]
    assert r.text[start:end] in ("星际之门", "星際之門")


def test_help_for_one_command_teaches_that_command(store):
    msg = run("/quote help", store).message
    assert msg.startswith("/quote — ") and "/quote Nadella" in msg and "/figure" not in msg and "/cite help" in msg


@pytest.mark.parametrize("simplified,traditional", [
    ("纳德拉说了什么？", "納德拉說了什麼？"),
    ("纳德拉是谁？", "納德拉是誰？"),
    ("谁说过“需要是发明的母亲”？", "誰說過「需要是發明的母親」？"),
])
def test_questions_in_traditional_script_are_routed_as_in_simplified(store, simplified, traditional):
    want, got = run(simplified, store), run(traditional, store)
    assert want.command == got.command != "search" and want.results
    assert got.results == want.results


def test_questions_that_ask_for_articles_or_a_person_in_english_are_routed(store):
    a = run("哪些文章提到小院高墙？", store)
    assert a.command == "source" and a.query == "小院 高墙" and a.results
    a = run("What did Nadella say?", store)
    assert a.command == "quote" and {r.speaker.name for r in a.results} == {"纳德拉"}


@pytest.mark.parametrize("typed", ["5%", "-5%", "５％"])
def test_an_amount_typed_alone_is_a_figure_question_with_its_unit(store, typed):
    """No figure of the seeds is 5% or -5%: the answer says so, where keywords() once kept
    only the 5 and found 五家 (5 companies) and the GPT-5 quote."""
    a = run(typed, store)
    assert a.command == "figure" and not a.results
    assert "No figures of" in a.message
    a = run("17%", store)
    assert a.command == "figure" and [r.unit for r in a.results] == ["%"] and a.results[0].value == 17


def test_a_value_no_figure_has_says_the_answers_are_only_near_it(store):
    near = run("/figure 550万美元", store)
    assert near.message.startswith("No figure is exactly 550万美元") and near.results
    assert near.results[0].value == 5.6e6 and 5.5e6 not in {r.value for r in near.results}
    for exact in ("/figure 560万美元", "/figure 4个月", "/figure 5000亿美元"):  # 4个月: in 3至6个月
        a = run(exact, store)
        assert a.results and not a.message, exact
    assert run("/figure 550万美元", store, offset=5).results == []  # past the end: no message to make


@pytest.mark.parametrize("taiwan, mainland", [
    ("/source 晶片", "/source 芯片"),
    ("/figure 輝達", "/figure 英伟达"),
    ("/quote 人工智慧", "/quote 人工智能"),
    ("輝達的市值縮水了多少？", "英伟达的市值缩水了多少？"),
])
def test_taiwan_words_find_the_mainland_words_of_the_seeds(store, taiwan, mainland):
    got, want = run(taiwan, store), run(mainland, store)
    assert want.results and got.results == want.results and got.total == want.total
    assert got.message.startswith(f"Read as {parse(mainland).query.rstrip('？')}")
    assert f"(nothing about {parse(taiwan).query} as written)" in got.message
    assert got.ask == taiwan  # paging and sharing ask again as typed
    assert run(taiwan, store, offset=1).results == run(mainland, store, offset=1).results


def test_mainland_words_find_an_article_in_taiwan_words(tmp_path):
    d = tmp_path / "articles"
    d.mkdir()
    (d / "tw.txt").write_text("標題：輝達財報\n\n輝達的晶片營收創下新高，資料中心業務成長。\n", "utf-8")
    db = dbmod.connect(tmp_path / "tw.db")
    assert not index_paths(db, [d]).failed
    store = Store(db)
    a = run("/source 芯片", store)
    assert [r.source.article for r in a.results] == ["tw"] and a.message.startswith("Read as 晶片")
    assert not run("/source 晶片", store).message  # found as typed: not read again
    assert not run("/source 量子", store).results  # no other form: still nothing


def test_who_said_finds_the_quote_without_the_questions_little_words(store):
    a = run("谁说DeepSeek是警钟？", store)  # the quote says DeepSeek and 警钟, not 是
    assert a.command == "quote" and [r.speaker.name for r in a.results] == ["特朗普"]
    assert "警钟" in a.results[0].text
    none = run("谁说过量子计算", store)
    assert not none.results and "量子计算" in none.message  # as typed, not as the words tried


@pytest.mark.parametrize("ask, command, first", [
    ("谁是梁文锋？", "who", "梁文锋"),  # 谁是 before the name, as 梁文锋是谁 after it
    ("What did Trump say about DeepSeek?", "quote", "特朗普"),  # a name, then what the quote holds
    ("赵伟怎么看DeepSeek？", "quote", "赵伟"),
    ("特朗普如何看待DeepSeek", "quote", "特朗普"),
    ("谁认为DeepSeek是警钟", "quote", "特朗普"),
    ("纳德拉怎么看中国？", "quote", "纳德拉"),  # jieba cuts 纳德拉 in its keywords: the name as typed
])
def test_free_text_questions_about_people_reach_them(store, ask, command, first):
    a = run(ask, store)
    assert a.command == command and a.results
    r = a.results[0]
    assert (r.name if command == "who" else r.speaker.name) == first
    if command == "quote":
        assert ("deepseek" in r.text.casefold()) or ("中国" in r.text)


def test_a_sum_in_a_currency_no_figure_has_offers_the_same_sum_in_another(store):
    a = run("/figure 560万元", store)  # the articles say 560万美元
    assert a.message == "No figures of 560万元 in CNY; the same sum in USD first:"
    assert [(r.value, r.unit) for r in a.results][:2] == [(5.6e6, "USD")] * 2  # then the closest, as for USD
    assert {r.unit for r in a.results} == {"USD"}
    a = run("/figure 550万元", store)  # no sum of 5,500,000 in any currency: no near ones offered
    assert not a.results and a.message.startswith("No figures of 550万元")


def test_a_percentage_no_figure_has_finds_no_other_figure_by_its_digits(store):
    """50%: the figure sentences holding a 50 (五十岁, 三次 in 50年代) are not figures of 50%."""
    for typed in ("50%", "/figure 50%"):
        a = run(typed, store)
        assert a.command == "figure" and not a.results and a.message.startswith("No figures of 50%")


@pytest.mark.parametrize("ask, name", [
    ("谁是Anthropic的首席执行官？", "达里奥·阿莫迪"),  # the role says 初创公司Anthropic首席执行官: no 的
    ("谁是OpenAI联合创始人？", "安德烈·卡帕西"),  # the role says OpenAI 联合创始人: a space
])
def test_a_post_asked_as_people_write_it_finds_the_role(store, ask, name):
    assert run(ask, store).results[0].name == name


def test_questions_the_new_routes_cannot_answer_still_get_what_the_articles_say(store):
    a = run("谁是DeepSeek的创始人？", store)  # no role says DeepSeek的创始人 (梁文锋's: 深度求索创始人)
    assert a.results and a.command == "search"
    a = run("怎么看待DeepSeek？", store)  # no one named: not DeepSeek's own quotes
    assert a.results and a.command != "quote"
    a = run("谁认为中国会领先？", store)  # no quote holds it: where the articles discuss it
    assert a.results and a.message.startswith("No quote holds “中国会领先”")
    assert not run("/quote Rump", store).results  # a word, not Trump with its first letter gone


@pytest.mark.parametrize("ask", ["加夫几岁？", "加夫多大年纪？", "加夫的年龄"])
def test_how_old_is_a_figure_of_years_of_age(store, ask):
    a = run(ask, store)
    assert a.command == "figure" and a.results[0].text == "五十岁"


def test_a_view_word_inside_another_word_is_not_a_question_about_a_person(store):
    assert run("例如看到的数据", store).command == "search"  # 例如看: not 如何看


@pytest.mark.parametrize("ask, raw", [
    ("DeepSeek训练花了多少钱？", "560萬美元"),  # 花了, 钱: the question's words, not the subject's
    ("星际之门投资多少钱？", "5000億美元"),
])
def test_how_much_questions_find_the_figure_without_their_question_words(store, ask, raw):
    a = run(ask, store)
    assert a.command == "figure" and a.results[0].text == raw


def test_who_holds_a_post_finds_the_people_whose_role_it_is(store, seeded_db):
    serving = Store.open(seeded_db)
    serving.preload()  # roles from memory, where a one-shot store asks the file
    for s in (store, serving):
        a = run("微软首席执行官是谁？", s)
        assert a.command == "who" and [r.name for r in a.results] == ["纳德拉"]
        assert a.message.startswith("No one is called 微软首席执行官; people whose role mentions it")
        assert [r.name for r in run("/who 首席执行官", s).results] == [r.name for r in run("/who 首席执行官", store).results]
        assert "纳德拉" in {r.name for r in run("/who 首席执行官", s).results}
        assert run("OpenAI的CEO是谁？", s).results[0].name == "萨姆·奥尔特曼"
        assert run("/who openai的ceo", s).results[0].name == "萨姆·奥尔特曼"  # any case
        for typed in ("/who %", "/who _", "/who 量子", "/who de"):  # LIKE's wildcards are the user's characters
            assert not run(typed, s).results, typed


def test_help_teaches_every_command(store):
    msg = run("/cite help", store).message
    for cmd in ("/quote", "/figure", "/who", "/source", "/cite"):
        assert cmd in msg


def test_one_person_one_name_across_articles(store):
    a = run("/quote Nadella", store)
    assert {r.speaker.name for r in a.results} == {"纳德拉"}
    assert {r.source.article[:3] for r in a.results} == {"002", "004"}


def test_warm_loads_up_front_what_a_question_would_load(seeded_db):
    """A one-shot answer imports only what it needs; a long-running process calls warm() as it
    starts, after which a figure question in words (五十亿元, 419個國家) or a misspelled name
    (纳德垃, Nadela: every alias, and pypinyin) loads nothing more."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from commands import run, warm\n"
        "from store import db\n"
        "from store.search import Store\n"
        "heavy = ('cn2an', 'jieba.posseg')\n"
        "assert not any(m in sys.modules for m in heavy), 'imported by commands alone'\n"
        f"store = Store(db.connect({str(seeded_db)!r}, readonly=True))\n"
        "assert run('/who 纳德拉', store).results and not any(m in sys.modules for m in heavy)\n"
        "warm(store)\n"
        "loaded = set(sys.modules)\n"
        "assert all(m in loaded for m in heavy + ('pypinyin',))\n"
        "assert '_fuzzy_forms' in vars(store), 'the alias lists are not in memory'\n"
        "import gc\n"
        "assert gc.get_freeze_count() > 10000, 'a full collection walks what warm loaded'\n"
        "import pypinyin.constants\n"
        "assert not pypinyin.constants.PHRASES_DICT, 'pypinyin loaded its 47 MB phrase dictionary'\n"
        "assert run('/who 纳德垃', store).results[0].name == '纳德拉'  # a typo in Han script: by pinyin\n"
        "for ask in ('/figure 五十亿元', '/figure 419個國家', '/figure 训练成本', '/who 纳德垃', '/quote Nadela'):\n"
        "    run(ask, store)\n"
        "print(sorted(set(sys.modules) - loaded))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_quotes_of_an_organisation_or_a_group_are_found_by_its_name(store, seeded_db):
    """/quote 彭博社 gives what Bloomberg said (not quotes that mention it), in either script;
    /quote Hannas gives what he and 张惠美 wrote together, and /who counts it."""
    from tests.conftest import export

    said = [q for q in export(seeded_db, "quotes") if q["speaker"]["type"] != "person"]
    by_org: dict[str, int] = {}
    for q in said:
        by_org[q["speaker"]["name"]] = by_org.get(q["speaker"]["name"], 0) + 1
    for name in ("彭博社", "时代周刊"):
        a = run(f"/quote {name}", store)
        assert a.total == by_org[name] and {r.speaker.name for r in a.results} == {name}, name
    assert run("/quote 時代週刊", store).results == run("/quote 时代周刊", store).results
    group = [q for q in said if "汉纳斯" in q["speaker"]["name"]]
    a = run("/quote Hannas", store)
    assert group and a.total == len(group) and {r.speaker.name for r in a.results} == {group[0]["speaker"]["name"]}
    (hannas,) = run("/who 汉纳斯", store).results
    assert hannas.quotes == len(group)
    assert run("/quote 纳德拉", store).results[0].speaker.name == "纳德拉"  # a person's own, as before


def test_a_long_paste_is_not_repeated_whole(store):
    words = "人工智能监管与开放源代码模型之争" * 20
    a = run(f"/quote {words}", store)
    assert not a.results and len(a.message) < 200 and "…" in a.message and "/source" not in a.message
    assert run("/quote 黄仁勋", store).message.endswith("— try /source 黄仁勋.")  # a short one still offers the next step


@pytest.mark.parametrize("ask,name", [
    ("/who Satya", "纳德拉"), ("/who Donald", "特朗普"), ("/who 纳德", "纳德拉"), ("/quote 萨提亚", "纳德拉"),
    ("/quote Satya", "纳德拉"),
])
def test_part_of_a_name_finds_its_person(store, ask, name):
    """A given name, or part of a Han name, that is no one's whole name and close to none."""
    a = run(ask, store)
    names = {r.name for r in a.results} if a.command == "who" else {r.speaker.name for r in a.results}
    assert name in names and "closest" in a.message


@pytest.mark.parametrize("ask", ["/who Tru", "/who 王", "/who de", "/quote data", "/quote chip"])
def test_a_fragment_too_short_or_not_a_whole_word_finds_no_one(store, ask):
    assert not run(ask, store).results


@pytest.mark.parametrize("ask, name", [
    ("/who Amodie", "达里奥·阿莫迪"),  # two letters swapped: fuzz.ratio 83, under the fuzzy 85
    ("/who Amodeu", "达里奥·阿莫迪"),  # one letter wrong
    ("/who Gomran", "戈曼"),
    ("/who Trum", "特朗普"),  # four letters: one left out of Trump
    ("/who Bidn", "拜登"),
])
def test_a_name_one_typo_off_finds_its_person_in_one_shot_and_serving_stores(store, seeded_db, ask, name):
    serving = Store.open(seeded_db)
    serving.preload()  # the index of names one typo apart, as `citebot serve` has it
    for s in (store, serving):
        a = run(ask, s)
        assert [r.name for r in a.results][:1] == [name] and "closest" in a.message


def test_a_name_then_words_gives_that_persons_quotes_holding_them(store):
    """/quote 特朗普 警钟: what Trump said about the wake-up call, not quotes holding both words."""
    a = run("/quote 特朗普 警钟", store)
    assert a.results and all(r.speaker.name == "特朗普" and "警钟" in r.text for r in a.results)
    every = store.quotes_by_people(store.match_names("特朗普").person_ids, 1000)
    assert a.total == sum("警钟" in h.text for h in every.hits) < every.total
    b = run("/quote Nadella 中国", store)
    assert b.results and all(r.speaker.name == "纳德拉" and "中国" in r.text for r in b.results)
    assert not run("/quote 纳德拉 火星", store).results
