"""Extraction scored against generated answer keys (bench/extraction.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import extraction
from bench.corpus import generate
from store.extract import Extraction

N = 12
SEED = 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(N, SEED, out)
    return out


def _keys(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "answers.jsonl").read_text("utf-8").splitlines()]


def test_counts_follow_the_keys_and_most_is_found(corpus):
    keys = _keys(corpus)
    score = extraction.score_corpus(corpus)
    assert score.articles == N
    assert score.people == sum(1 for k in keys for p in k["people"] if not p["minor"])
    assert score.person_quotes == sum(1 for k in keys for q in k["quotes"] if q["speaker_type"] == "person")
    assert score.quotes_right + score.quotes_wrong + score.quotes_missed == score.person_quotes
    assert score.people_found / score.people > 0.9 and score.quotes_right / score.person_quotes > 0.9


def test_a_slice_scores_only_its_articles(corpus):
    keys = _keys(corpus)[4:7]
    score = extraction.score_corpus(corpus, start=4, n=3)
    assert score.articles == 3
    assert score.people == sum(1 for k in keys for p in k["people"] if not p["minor"])


def test_quotes_given_to_another_person_are_counted_wrong(corpus, monkeypatch):
    real = extraction.extract

    def swapped(paragraphs):  # every quote given to the article's first person
        ex = real(paragraphs)
        people = [p for p in ex.people if not p.minor]
        for q in ex.quotes:
            if q.speaker_type == "person" and people:
                q.speaker = people[0].name
        return Extraction(ex.people, ex.quotes, ex.figures)

    honest = extraction.score_corpus(corpus)
    monkeypatch.setattr(extraction, "extract", swapped)
    score = extraction.score_corpus(corpus)
    assert score.quotes_wrong > honest.quotes_wrong and score.quotes_right < honest.quotes_right
    assert score.wrong_quotes and all(speaker != to for _a, speaker, to, _t in score.wrong_quotes)


def test_people_found_only_by_their_own_name(corpus, monkeypatch):
    real = extraction.extract

    def renamed(paragraphs):  # each person's name moved into their aliases: found by an alias only
        ex = real(paragraphs)
        for p in ex.people:
            p.aliases = [*p.aliases, p.name, p.full_name]
            p.name = p.full_name = "某" + p.name
        return ex

    monkeypatch.setattr(extraction, "extract", renamed)
    score = extraction.score_corpus(corpus)
    assert score.people_found == 0 and len(score.missed_people) == min(extraction.EXAMPLES, score.people)


def test_the_command_line(corpus, capsys):
    assert extraction.main(["--corpus", str(corpus), "--n", "5"]) == 0
    assert capsys.readouterr().out.startswith("5 articles: people found ")
    with pytest.raises(SystemExit):
        extraction.main(["--corpus", str(corpus.parent), "--n", "5"])  # no answers.jsonl there
    assert "not a corpus" in capsys.readouterr().err


def test_roles_are_scored_against_the_keys(corpus, monkeypatch):
    honest = extraction.score_corpus(corpus)
    assert honest.roles_right + honest.roles_other + honest.roles_missed == honest.roles > 0
    assert honest.roles_right / honest.roles > 0.8
    real = extraction.extract

    def roleless(paragraphs):
        ex = real(paragraphs)
        for p in ex.people:
            p.role = None
        return ex

    monkeypatch.setattr(extraction, "extract", roleless)
    score = extraction.score_corpus(corpus)
    assert score.roles == honest.roles and score.roles_missed == score.roles and score.roles_right == 0
