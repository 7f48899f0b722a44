"""Extraction scored against the generated corpus's answer keys: who was found, and whose
words went to whom.

tests/gold.json checks the five seed articles by hand; this checks thousands of generated
ones against the keys the generator wrote them from, so that a change to the people or quote
rules can be measured before and after on text it was not written for.

    python -m bench.extraction --start 4000 --n 1500      # generates seed 1's first 5,500 articles
    python -m bench.extraction --corpus /tmp/citebot-bench/corpus-s1 --n 3000

A key person counts as found when an extracted person (not minor) has their name or full name
(folded); an alias alone does not count, since a person wrongly linked to another would
otherwise pass. A key quote by a person counts as given to the right person when the first
extracted quote holding its text (or most of it) has a speaker who is that person. A found
person's role is right when it is the key's (folded), other when it is not, and missing when
extraction gave none.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from store.extract import extract
from store.sources import read_article
from store.text import fold, fold_loose

EXAMPLES = 10  # of each kind of miss, kept to show


@dataclass
class ExtractionScore:
    articles: int = 0
    people: int = 0  # key people, not minor
    people_found: int = 0
    people_extracted: int = 0  # extracted people, not minor
    person_quotes: int = 0  # key quotes whose speaker is a person
    quotes_right: int = 0
    quotes_wrong: int = 0  # found, given to another person or to no known person
    quotes_missed: int = 0  # no extracted quote holds the text
    roles: int = 0  # found key people whose key has a role
    roles_right: int = 0
    roles_other: int = 0
    roles_missed: int = 0
    missed_people: list[tuple[str, str]] = field(default_factory=list)  # (article, name)
    wrong_quotes: list[tuple[str, str, str | None, str]] = field(default_factory=list)  # (article, speaker, given to, text)
    wrong_roles: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # (article, name, key's, found)

    def summary(self) -> str:
        return (f"{self.articles} articles: people found {self.people_found}/{self.people} "
                f"({self.people_found / max(1, self.people):.4f}), {self.people_extracted} extracted; "
                f"quotes by people {self.person_quotes}: to the right person {self.quotes_right} "
                f"({self.quotes_right / max(1, self.person_quotes):.4f}), to another {self.quotes_wrong}, "
                f"not found {self.quotes_missed}; roles {self.roles}: right {self.roles_right}, "
                f"other {self.roles_other}, none {self.roles_missed}")


def score_article(text_path: Path, key: dict, score: ExtractionScore, sources: dict) -> None:
    """Add one article's extraction, compared with its answer key, to score."""
    found = extract(read_article(text_path, sources).paragraphs)
    people = [p for p in found.people if not p.minor]
    who: dict[str, int] = {}  # each folded form → the first extracted person with it
    for i, p in enumerate(people):
        for form in (p.name, p.full_name, *p.aliases):
            who.setdefault(fold(form), i)
    named = [{fold(p.name), fold(p.full_name)} for p in people]

    def matches(kp: dict) -> set[int]:
        names = {fold(kp["name"]), fold(kp["full_name"])}
        return {i for i, n in enumerate(named) if n & names}

    aid = key["article"]
    key_people = [p for p in key["people"] if not p["minor"]]
    score.articles += 1
    score.people += len(key_people)
    score.people_extracted += len(people)
    for kp in key_people:
        if found_as := matches(kp):
            score.people_found += 1
            if kp["role"]:
                _score_role(score, aid, kp, people[min(found_as)].role)
        elif len(score.missed_people) < EXAMPLES:
            score.missed_people.append((aid, kp["name"]))
    by_name = {fold(kp["name"]): kp for kp in key_people}
    quotes = [(fold_loose(q.text), who.get(fold(q.speaker))) for q in found.quotes]
    for kq in key["quotes"]:
        if kq["speaker_type"] != "person":
            continue
        score.person_quotes += 1
        text = fold_loose(kq["text"])
        given = [i for t, i in quotes if text in t or (t and t in text and len(t) > 0.8 * len(text))]
        if not given:
            score.quotes_missed += 1
            continue
        kp = by_name.get(fold(kq["speaker"]))
        if kp and given[0] in matches(kp):
            score.quotes_right += 1
            continue
        score.quotes_wrong += 1
        if len(score.wrong_quotes) < EXAMPLES:
            to = people[given[0]].name if given[0] is not None else None
            score.wrong_quotes.append((aid, kq["speaker"], to, kq["text"][:20]))


def _score_role(score: ExtractionScore, aid: str, kp: dict, role: str | None) -> None:
    score.roles += 1
    if role is None:
        score.roles_missed += 1
    elif fold(role) == fold(kp["role"]):
        score.roles_right += 1
        return
    else:
        score.roles_other += 1
    if len(score.wrong_roles) < EXAMPLES:
        score.wrong_roles.append((aid, kp["name"], kp["role"], role))


def score_corpus(corpus: Path, start: int = 0, n: int | None = None) -> ExtractionScore:
    """Articles start … start + n - 1 of a corpus folder bench.corpus.generate wrote, in one
    process and in order, as an index run with one worker extracts them."""
    score, sources = ExtractionScore(), {}
    with open(corpus / "answers.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if n is not None and i >= start + n:
                break
            if i >= start:
                key = json.loads(line)
                score_article(corpus / f"{key['article']}.txt", key, score, sources)
    return score


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="a corpus folder (default: generate one in a temporary folder)")
    ap.add_argument("--seed", type=int, default=1, help="the corpus to generate (the benchmark's is 1)")
    ap.add_argument("--start", type=int, default=0, help="the first article scored")
    ap.add_argument("--n", type=int, default=1000, help="how many articles are scored")
    args = ap.parse_args(argv)
    if args.start < 0 or args.n < 1:
        ap.error("--start must be 0 or more and --n 1 or more")
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            from bench.corpus import generate

            corpus = Path(tmp)
            generate(args.start + args.n, args.seed, corpus, workers=2)
        elif not (corpus / "answers.jsonl").exists():
            ap.error(f"{corpus} holds no answers.jsonl: not a corpus bench.corpus wrote")
        score = score_corpus(corpus, args.start, args.n)
    print(score.summary())
    for aid, name in score.missed_people:
        print(f"  person not found: {aid} {name}")
    for aid, speaker, to, text in score.wrong_quotes:
        print(f"  quote given to another: {aid} {speaker} → {to}: {text}")
    for aid, name, want, got in score.wrong_roles:
        print(f"  role: {aid} {name}: {want} → {got}")
    print(f"({time.monotonic() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
