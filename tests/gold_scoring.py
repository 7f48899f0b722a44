"""Scoring against tests/gold.json, by the rules of tests/GOLD_README.md.

The functions take records in the shape `citebot export` and `citebot ask --json` print,
so the same scorer measures the command line and, through `python -m tests.gold_scoring`,
extraction alone while it is being worked on.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from store.text import fold, fold_loose

GOLD_PATH = Path(__file__).with_name("gold.json")


def load_gold() -> dict:
    return json.loads(GOLD_PATH.read_text("utf-8"))


@dataclass
class Score:
    name: str
    hits: int
    total: int
    misses: list

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.name}: {self.value:.3f} ({self.hits}/{self.total})"


def _person_forms(gold: dict) -> dict[str, set[str]]:
    """Every folded form of each gold person, keyed by the folded gold name."""
    forms: dict[str, set[str]] = {}
    for p in gold["people"]:
        names = {p["name"], p.get("full_name") or "", *(p.get("aliases") or [])}
        forms[fold(p["name"])] = {fold(n) for n in names if n}
    return forms


def _speaker_ok(gold_speaker: str, record: dict, forms: dict[str, set[str]]) -> bool:
    sp = record.get("speaker") or {}
    mine = {fold(sp.get("name") or "")} | {fold(a) for a in sp.get("aliases") or []}
    wanted = [fold(s) for s in gold_speaker.split("、")]
    got = [fold(s) for s in (sp.get("name") or "").split("、")]
    if len(wanted) > 1:
        return sorted(wanted) == sorted(got)
    allowed = forms.get(wanted[0], {wanted[0]})
    return bool(mine & allowed)


def score_direct_quotes(gold: dict, quotes: list[dict]) -> tuple[Score, Score]:
    """Precision and recall of direct quotes, text and speaker both right."""
    forms = _person_forms(gold)
    gq = [q for q in gold["quotes"] if q["kind"] == "direct"]
    mine = [q for q in quotes if q.get("quote_kind") == "direct"]
    key = lambda art, text: (art, fold_loose(text))  # noqa: E731
    gold_by_key: dict = {}
    for q in gq:
        gold_by_key.setdefault(key(q["article"], q["text"]), []).append(q)
    good = [
        r for r in mine
        if any(_speaker_ok(g["speaker"], r, forms)
               for g in gold_by_key.get(key(r["source"]["article"], r["text"]), []))
    ]
    found = []
    missed = []
    for g in gq:
        k = key(g["article"], g["text"])
        if any(key(r["source"]["article"], r["text"]) == k and _speaker_ok(g["speaker"], r, forms) for r in mine):
            found.append(g)
        else:
            missed.append(g)
    wrong = [r for r in mine if r not in good]
    return (Score("direct quote precision", len(good), len(mine), wrong),
            Score("direct quote recall", len(found), len(gq), missed))


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-3, abs_tol=1e-9)


def score_core_figures(gold: dict, figures: list[dict]) -> Score:
    """Recall of core figures with the exact value (and value_max) and currency."""
    core = [f for f in gold["figures"] if f.get("core")]
    missed = []
    for g in core:
        ok = False
        for r in figures:
            if r["source"]["article"] != g["article"]:
                continue
            if not _close(r.get("value"), g["value"]) or not _close(r.get("value_max"), g.get("value_max")):
                continue
            if g["kind"] == "money" and r.get("unit") != g["unit"]:
                continue
            a, b = fold_loose(r.get("text") or ""), fold_loose(g["raw"])
            if a and b and (a in b or b in a):
                ok = True
                break
        if not ok:
            missed.append(g)
    return Score("core figure recall", len(core) - len(missed), len(core), missed)


def score_people(gold: dict, people: list[dict]) -> Score:
    """Recall of the people who are not minor, by any of their names."""
    mine = set()
    for p in people:
        for n in [p.get("name"), p.get("full_name"), p.get("name_en"), *(p.get("aliases") or [])]:
            if n:
                mine.add(fold(n))
    wanted = [p for p in gold["people"] if not p.get("minor")]
    missed = [p for p in wanted if not ({fold(p["name"]), fold(p.get("full_name") or p["name"])} & mine)]
    return Score("people recall", len(wanted) - len(missed), len(wanted), missed)


def query_passes(expect: dict, answer: dict, gold: dict) -> bool:
    """One gold query against one `ask --json` answer, by the README's rules."""
    results = answer.get("results") or []
    if expect.get("none"):
        return not any(r.get("kind") == expect["kind"] for r in results) and bool(answer.get("message"))
    if expect.get("no_error"):
        return isinstance(results, list) and not answer.get("error")
    top = results[:5]
    forms = _person_forms(gold)

    def ok(r: dict) -> bool:
        if r.get("kind") != expect["kind"]:
            return False
        if "article" in expect and (r.get("source") or {}).get("article") != expect["article"]:
            return False
        if "text" in expect and fold_loose(expect["text"]) not in fold_loose(r.get("text") or ""):
            return False
        if "value" in expect and not _close(r.get("value"), expect["value"]):
            return False
        if "name" in expect:
            allowed = forms.get(fold(expect["name"]), {fold(expect["name"])})
            names = {fold(r.get("name") or ""), fold(r.get("full_name") or "")}
            names |= {fold(a) for a in r.get("aliases") or []}
            if not (fold(r.get("name") or "") in allowed or fold(expect["name"]) in names):
                return False
        return True

    if "articles" in expect:
        arts = {(r.get("source") or {}).get("article") for r in top if r.get("kind") == expect["kind"]}
        return set(expect["articles"]) <= arts
    return any(ok(r) for r in top)


def records_from_seeds(seeds: Path) -> dict[str, list[dict]]:
    """Extraction alone over a folder of articles, as export records (no database)."""
    from store.extract import extract
    from store.sources import article_files, read_article

    out: dict[str, list[dict]] = {"quotes": [], "figures": [], "people": []}
    for path in article_files([seeds]):
        art = read_article(path)
        ex = extract(art.paragraphs)
        src = {"article": art.id}
        for q in ex.quotes:
            out["quotes"].append({"kind": "quote", "text": q.text, "quote_kind": q.kind,
                                  "speaker": {"name": q.speaker, "type": q.speaker_type, "role": q.role},
                                  "source": {**src, "paragraph": q.paragraph}})
        for f in ex.figures:
            out["figures"].append({"kind": "figure", "text": f.raw, "value": f.value, "value_max": f.value_max,
                                   "unit": f.unit, "qualifier": f.qualifier, "subject": f.subject,
                                   "source": {**src, "paragraph": f.paragraph}})
        for p in ex.people:
            out["people"].append({"kind": "person", "name": p.name, "full_name": p.full_name,
                                  "name_en": p.name_en, "role": p.role, "aliases": p.aliases,
                                  "articles": [art.id]})
    return out


def main(argv: list[str]) -> int:
    """python -m tests.gold_scoring [seeds] [-v]: score extraction alone, print misses."""
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    seeds = Path(args[0]) if args else Path("seeds")
    gold = load_gold()
    rec = records_from_seeds(seeds)
    p, r = score_direct_quotes(gold, rec["quotes"])
    scores = [p, r, score_core_figures(gold, rec["figures"]), score_people(gold, rec["people"])]
    for s in scores:
        print(s)
        if verbose:
            for m in s.misses:
                print("   ", json.dumps(m, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
