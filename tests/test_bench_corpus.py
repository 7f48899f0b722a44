"""The synthetic benchmark corpus: deterministic, both scripts, answer keys true to the text."""

from __future__ import annotations

import json
import random
import tomllib
from collections import defaultdict
from pathlib import Path

import opencc
import pytest
from rapidfuzz.distance import Indel

from bench import vocab as V
from bench.corpus import (
    SOURCE_ARTICLES,
    _candidates,
    cn_int,
    generate,
    load,
    main,
    make_article,
    queries,
    typo,
)

N = 60
SEED = 7
QUALIFIERS = {"exact", "approx", "over", "under", "range"}
EN_FIRST = {f[0] for f in V.EN_FIRST}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(N, SEED, out)
    return out


@pytest.fixture(scope="module")
def answers(corpus_dir) -> list[dict]:
    return [json.loads(line) for line in (corpus_dir / "answers.jsonl").read_text("utf-8").splitlines()]


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_same_bytes_every_run(corpus_dir, tmp_path):
    generate(N, SEED, tmp_path)
    assert _files(tmp_path) == _files(corpus_dir)


def test_parallel_rendering_writes_the_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(12, 3, a)
    generate(12, 3, b, workers=2)
    assert _files(a) == _files(b)


def test_in_memory_matches_disk(corpus_dir):
    mem = generate(5, SEED)
    for art in mem.articles:
        assert (corpus_dir / f"{art.id}.txt").read_text("utf-8") == art.text


def test_other_seed_other_corpus():
    assert make_article(1, 0).text != make_article(2, 0).text


def test_layout(corpus_dir, answers):
    ids = [f"g{SEED}_{i:06d}" for i in range(N)]
    assert sorted(p.stem for p in corpus_dir.glob("*.txt")) == ids
    assert [a["article"] for a in answers] == ids
    sources = tomllib.loads((corpus_dir / "sources.toml").read_text("utf-8"))
    assert list(sources) == ids
    for meta in sources.values():
        assert meta["outlet"] and meta["published"] and meta["url"].startswith("https://")
        assert meta["script"] in ("hans", "hant")
    assert load(corpus_dir).n == N


def test_both_scripts(corpus_dir, answers):
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    scripts = [a["script"] for a in answers]
    assert 0.2 < scripts.count("hant") / N < 0.6
    for a in answers:
        text = (corpus_dir / f"{a['article']}.txt").read_text("utf-8")
        if a["script"] == "hant":
            assert t2s.convert(text) != text
        else:
            assert s2t.convert(text) != text


def test_size_per_article(corpus_dir):
    sizes = [p.stat().st_size for p in corpus_dir.glob("*.txt")]
    assert min(sizes) >= 3000 and max(sizes) <= 12 * 1024


def test_answer_keys_match_text(corpus_dir, answers):
    for a in answers:
        text = (corpus_dir / f"{a['article']}.txt").read_text("utf-8")
        assert len(a["quotes"]) >= 2 and len(a["figures"]) >= 2 and a["people"]
        names = {p["name"] for p in a["people"]}
        for p in a["people"]:
            assert p["name"] in text or a["script"] == "hant"
            for form in p["aliases"]:
                assert form in text
        for q in a["quotes"]:
            assert q["text"] and q["text"] in text, q
            assert q["kind"] in ("direct", "indirect")
            if q["speaker_type"] == "person":
                assert q["speaker"] in names
        for f in a["figures"]:
            assert f["raw"] and f["raw"] in text, f
            assert f["qualifier"] in QUALIFIERS
            assert isinstance(f["value"], int | float) and f["value"] > 0
            assert (f["value_max"] is not None) == (f["qualifier"] == "range")
            if f["value_max"] is not None:
                assert f["value_max"] > f["value"]
            assert f["subject"]


def test_figure_values_follow_the_raw_text(answers):
    t2s = opencc.OpenCC("t2s")
    for a in answers:
        for f in a["figures"]:
            raw = t2s.convert(f["raw"])
            if f["unit"] == "%":
                assert "%" in raw or raw.startswith("百分之")
            elif f["unit"] in ("USD", "EUR", "CNY"):
                assert {"USD": "美元", "EUR": "欧元", "CNY": "元"}[f["unit"]] in raw
            elif f["unit"] and f["qualifier"] == "exact" and raw[: -len(f["unit"])].isdigit():
                assert int(raw[: -len(f["unit"])]) == f["value"]


def test_queries_have_findable_answers(corpus_dir, answers):
    t2s = opencc.OpenCC("t2s")
    by_id = {a["article"]: a for a in answers}
    qs = queries(load(corpus_dir), 40, seed=1)
    assert qs == queries(load(corpus_dir), 40, seed=1)
    assert len(qs) >= 20
    kinds = {q["expect"]["kind"] for q in qs}
    assert kinds >= {"quote", "figure", "person", "source"}
    people = {p["name"] for a in answers for p in a["people"]}
    by_name = defaultdict(list)
    latin = defaultdict(set)  # each Latin-script name form (lower case): its people
    for a in answers:
        for p in a["people"]:
            by_name[p["name"]].append(p)
            for f in [*p["aliases"], p["name_en"], (p["name_en"] or "").split(" ")[-1]]:
                if f and f.isascii():
                    latin[f.lower()].add(p["pid"])
    assert any(q["type"] == "who_typo" for q in qs)
    def folded_text(aid: str) -> str:
        return t2s.convert((corpus_dir / f"{aid}.txt").read_text("utf-8"))

    for q in qs:
        assert q["ask"].startswith(("/quote ", "/figure ", "/who ", "/source "))
        e = q["expect"]
        words = t2s.convert(q["ask"].split(" ", 1)[1]).split()
        if e["kind"] == "quote":
            assert e["text"] in [x["text"] for x in by_id[e["article"]]["quotes"]]
            assert all(w in folded_text(e["article"]) for w in words)
        elif e["kind"] == "figure":
            arts = [by_id[e["article"]]] if "article" in e else answers
            assert any(f["value"] == e["value"] for a in arts for f in a["figures"])
            if q["type"] == "figure_subject":
                assert all(w in folded_text(e["article"]) for w in words), q
        elif e["kind"] == "person":
            assert e["name"] in people
            if q["type"] == "who_typo":  # no one's name, a letter or two from the one person's
                ask = q["ask"].split(" ", 1)[1].lower()
                assert ask not in latin
                close = {pid for f, pids in latin.items() if Indel.distance(ask, f) <= 2 for pid in pids}
                assert len(close) == 1 and close <= {p["pid"] for p in by_name[e["name"]]}
        else:  # the term is in the article, and in no more than five: all fit in the first five answers
            assert all(w in folded_text(e["article"]) for w in words)
            term = t2s.convert(q["ask"].split(" ", 1)[1])
            assert sum(term in a.get("terms", []) for a in answers) <= SOURCE_ARTICLES


def test_no_one_is_asked_for_by_a_chinese_given_name_in_pinyin(answers):
    """A Western name's last word is the surname people are known by (/who Nadella); a Chinese
    name's in pinyin (Qian Junbin) is the given name, which no one looks a person up by."""
    rng = random.Random(2)
    asks = []  # (what is asked, the person asked for as that article names them)
    for a in answers:
        people = {p["name"]: p for p in a["people"]}
        asks += [(q["ask"].split(" ", 1)[1], people[q["expect"]["name"]])
                 for t, q, _checks in _candidates(a, rng) if t == "who"]
    latin_one_word = [(ask, p) for ask, p in asks if ask.isascii() and " " not in ask]
    assert latin_one_word  # the corpus has Western surnames to ask by
    for ask, p in latin_one_word:
        assert p["name_en"] and p["name_en"].split()[0] in EN_FIRST, (ask, p)
    assert any(p["name_en"] and p["name_en"].split()[0] not in EN_FIRST for _ask, p in asks)  # pinyin names too


def test_a_typo_is_a_letter_dropped_doubled_or_swapped():
    rng = random.Random(5)
    seen = set()
    for _ in range(200):
        wrong = typo("Fitzland", rng)
        if wrong is None:
            continue
        seen.add(len(wrong) - len("Fitzland"))
        assert wrong != "Fitzland" and wrong[0] == "F" and wrong[-1] == "d"
        assert Indel.distance(wrong, "Fitzland") in (1, 2)
        assert sorted(wrong) == sorted("Fitzland") or len(wrong) != len("Fitzland")
    assert seen == {-1, 0, 1}
    assert typo("Li", rng) is None and typo("Qian Junbin", rng) is None  # too short; not one word


def test_chinese_numerals():
    assert [cn_int(n) for n in (2, 15, 105, 2000, 5000, 560, 20000)] == [
        "两", "十五", "一百零五", "两千", "五千", "五百六十", "两万"]
    assert cn_int(30, liang=False) == "三十"


def test_cli(tmp_path, capsys):
    assert main(["--n", "3", "--seed", "2", "--out", str(tmp_path), "--queries", "5"]) == 0
    assert len(list(tmp_path.glob("*.txt"))) == 3
    assert "articles/s" in capsys.readouterr().err
    assert json.loads((tmp_path / "queries.json").read_text("utf-8"))


def test_every_figure_template_holds_its_query_word():
    from bench import vocab as V

    rows = [(m, "", t) for m, t in V.MONEY_MEASURES + V.PERCENT_MEASURES + V.MULTIPLE_MEASURES
            + V.RATIO_MEASURES]
    rows += [(m, w, t) for m, w, _, t in V.COUNT_MEASURES] + [(m, w, t) for m, w, t in V.DURATION_MEASURES]
    for measure, unit, templates in rows:
        for t in templates:
            assert V.MEASURE_QUERY_WORDS[measure] in t.replace("{f}", unit), (measure, t)


def test_rounds_of_a_query_phase_give_each_figure_its_median():
    from bench.run import median_of_rounds

    def phase(p50: float, p99: float, rss: float) -> dict:
        return {"system": "citebot", "n": 10, "maxrss_mb": rss, "first_fuzzy_lookup_ms": p50,
                "kinds": {"who": {"queries": 8, "p50_ms": p50, "p99_ms": p99, "max_ms": p99, "mean_ms": p50,
                                  "recall5": 0.875}}}

    merged = median_of_rounds([phase(0.3, 2.0, 200), phase(0.1, 9.0, 250), phase(0.2, 1.0, 210)])
    who = merged["kinds"]["who"]
    assert (who["p50_ms"], who["p99_ms"], who["recall5"], who["queries"]) == (0.2, 2.0, 0.875, 8)
    assert merged["maxrss_mb"] == 250 and merged["first_fuzzy_lookup_ms"] == 0.2
    assert [r["who"]["p50_ms"] for r in merged["rounds"]] == [0.3, 0.1, 0.2]
    assert median_of_rounds([phase(0.3, 2.0, 200)]) == phase(0.3, 2.0, 200)  # one round: as it was


def test_the_jieba_yardstick_is_the_median_of_its_timings(corpus_dir):
    """The indexing targets divide by jieba's speed; one short timing of it moved by half
    between runs, so it is timed several times and the median reported."""
    import statistics

    from bench.run import phase_jieba

    one = phase_jieba(str(corpus_dir), 20, workers=1, repeats=3)
    assert len(one["runs_seconds"]) == 3 and one["articles"] == 20
    assert one["seconds"] == statistics.median(one["runs_seconds"])
    assert one["mbps"] == pytest.approx(one["mb"] / one["seconds"]) and one["mb"] > 0


def test_the_two_worker_build_is_measured_against_jieba_before_and_after_it():
    from bench.run import index_ratios

    ix = {"jieba_1core": {"mbps": 1.2}, "jieba_2cores": {"mbps": 2.0}, "citebot_1worker": {"mbps": 0.3},
          "citebot_2workers": {"mbps": 0.45}, "jieba_1core_after": {"mbps": 0.6}, "jieba_2cores_after": {"mbps": 1.0}}
    index_ratios(ix)
    assert ix["citebot_1worker"]["ratio_to_jieba"] == pytest.approx(0.25)  # timed right after jieba
    two = ix["citebot_2workers"]
    assert two["yardstick_to_jieba_1core_mbps"] == pytest.approx(0.9)  # the machine slowed by half meanwhile
    assert two["ratio_to_jieba_1core"] == pytest.approx(0.5) and two["ratio_to_jieba"] == pytest.approx(0.3)
    del ix["jieba_1core_after"], ix["jieba_2cores_after"]  # a results file from before: jieba once
    index_ratios(ix)
    assert two["ratio_to_jieba_1core"] == pytest.approx(0.375)
