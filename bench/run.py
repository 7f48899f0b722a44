"""`make bench` / `make bench-quick`: Citebot's speed, memory and scale beside a peer and a baseline.

One run, one corpus (bench.corpus, seed 1), the same queries (bench.corpus.queries) for
every system: Citebot's store, the peer (Whoosh + jieba's ChineseAnalyzer) and the baseline
(a LIKE scan over the same SQLite text); see bench/peers.py for how each is queried and
docs/performance.md for how each is judged. Every measurement runs in its own process, so
its peak memory (ru_maxrss) is its own. Writes bench/results.json and bench/results.md.

    python -m bench.run            # full: N = 1,000, 10,000 and 50,000 (about 14 minutes, 2 cores)
    python -m bench.run --quick    # N = 1,000 only (under 2 minutes)

The run has a time budget. A step that would not fit is scaled down or built another way,
and says so in the results: Citebot stores too large to extract within the budget are built
from the generator's answer keys (bench/keys.py, labelled "keys"), and the largest scale
point is the largest N that fits, if 50,000 does not. No figure is estimated: every number
in the results was measured in this run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
SEED = 1
KINDS = ("quote", "figure", "who", "source")
KEYS_BATCH = 50  # articles per transaction in an answer-key build
JIEBA_REPEATS = 3  # timings of jieba alone, the median reported (phase_jieba)

FULL = dict(ns=[1000, 10000, 50000], peer_ns=[1000, 10000], like_ns=[1000, 10000], k=400, like_k={10000: 60},
            sample=300, slack_requests=400, budget=840.0, rounds=3)
QUICK = dict(ns=[1000], peer_ns=[1000], like_ns=[1000], k=200, like_k={}, sample=100, slack_requests=200,
             budget=105.0, rounds=3)
# At the N the targets are judged at, Citebot's and Whoosh's query phases run `rounds` times, taking
# turns, and each figure is the median of the rounds: on a shared 2-core machine one round's p50
# ratio was seen anywhere from 3.3× to 6.8× within minutes, as the machine's speed drifted.


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def pctl(xs: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of xs."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(q / 100 * len(s)) - 1))]


def _fork_pool(n: int, **kw):
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    return ctx.Pool(n, **kw)


# -- the corpus ---------------------------------------------------------------------------------
class Corpus:
    """One generated corpus in work/corpus, grown on demand; views of its first n articles.

    An article depends only on (seed, index), so the first n articles of a larger corpus are
    the corpus generate(n) would write; a view is a folder of links to them with their own
    sources.toml and answers.jsonl.
    """

    def __init__(self, work: Path, seed: int = SEED):
        self.dir = work / f"corpus-s{seed}"
        self.seed = seed
        self.dir.mkdir(parents=True, exist_ok=True)
        self.count_file = self.dir / "count"
        self.work = work

    @property
    def n(self) -> int:
        return int(self.count_file.read_text()) if self.count_file.exists() else 0

    def extend(self, n: int, workers: int = 2) -> float:
        """Render articles up to n; returns the seconds it took (0 if already there)."""
        from bench.corpus import _render

        have = self.n
        if have >= n:
            return 0.0
        t0 = time.perf_counter()
        mode = "a" if have else "w"
        with open(self.dir / "sources.toml", mode, encoding="utf-8", newline="\n") as src, \
                open(self.dir / "answers.jsonl", mode, encoding="utf-8", newline="\n") as ans, \
                _fork_pool(workers) as pool:
            for start in range(have, n, 1000):
                jobs = [(self.seed, i) for i in range(start, min(n, start + 1000))]
                for aid, data, table, line in pool.map(_render, jobs, chunksize=50):
                    (self.dir / f"{aid}.txt").write_bytes(data)
                    src.write(table)
                    ans.write(line)
                src.flush()
                ans.flush()
                self.count_file.write_text(str(min(n, start + 1000)))
        return time.perf_counter() - t0

    def view(self, n: int) -> Path:
        """work/view-n: the first n articles, their metadata and answer keys."""
        v = self.work / f"view-s{self.seed}-{n}"
        if (v / "done").exists():
            return v
        shutil.rmtree(v, ignore_errors=True)
        v.mkdir(parents=True)
        ids = [f"g{self.seed}_{i:06d}" for i in range(n)]
        for aid in ids:
            os.symlink(self.dir / f"{aid}.txt", v / f"{aid}.txt")
        last = f'["{ids[-1]}"]'
        with open(self.dir / "sources.toml", encoding="utf-8") as fin, \
                open(v / "sources.toml", "w", encoding="utf-8") as fout:
            seen_last = False
            for line in fin:
                if line.startswith("[") and seen_last:
                    break
                seen_last = seen_last or line.strip() == last
                fout.write(line)
        with open(self.dir / "answers.jsonl", encoding="utf-8") as fin, \
                open(v / "answers.jsonl", "w", encoding="utf-8") as fout:
            for i, line in enumerate(fin):
                if i >= n:
                    break
                fout.write(line)
        (v / "done").write_text("")
        return v


def view_files(view: Path, n: int | None = None) -> list[Path]:
    files = sorted(view.glob("*.txt"))
    return files[:n] if n else files


def text_mb(files: list[Path]) -> float:
    return sum(f.stat().st_size for f in files) / 1e6


def answers(view: Path, n: int | None = None, start: int = 0):
    """The answer keys of articles [start, n), parsed; those before start are skipped unread
    (a scale step starting at 40,000 would otherwise parse 40,000 keys it does not use)."""
    with open(view / "answers.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if n is not None and i >= n:
                return
            if i >= start:
                yield json.loads(line)


# -- phases: each runs in its own process (python -m bench.run --phase NAME ARGS) -----------------
_sources_cache: dict = {}


def _paragraph_texts(files: list[Path]) -> list[str]:
    from store.sources import read_article

    return [p.folded for f in files for p in read_article(f, _sources_cache).paragraphs]


def _cut(texts: list[str]) -> int:
    import jieba

    return sum(1 for t in texts for _ in jieba.cut(t))


def phase_jieba(view: str, n: int, workers: int, repeats: int = JIEBA_REPEATS) -> dict:
    """jieba.cut alone over the folded paragraphs Citebot tokenises (reading them is not timed).

    The yardstick of the indexing targets, so timed `repeats` times and the median kept: one
    2-second timing read 0.86 to 1.32 MB/s between runs on the same machine the same day."""
    import jieba

    files = view_files(Path(view), n)
    texts = _paragraph_texts(files)
    jieba.initialize()
    mb = sum(len(t.encode()) for t in texts) / 1e6
    runs = []
    if workers == 1:
        for _ in range(repeats):
            t0 = time.perf_counter()
            _cut(texts)
            runs.append(time.perf_counter() - t0)
    else:
        chunks = [texts[i::workers * 8] for i in range(workers * 8)]
        with _fork_pool(workers) as pool:
            pool.map(_cut, chunks[:workers])  # warm the workers (not timed: the same text is timed below)
            for _ in range(repeats):
                t0 = time.perf_counter()
                pool.map(_cut, chunks, chunksize=1)
                runs.append(time.perf_counter() - t0)
    dt = statistics.median(runs)
    return {"articles": len(files), "mb": mb, "seconds": dt, "mbps": mb / dt, "workers": workers,
            "runs_seconds": runs, "maxrss_mb": maxrss_mb(), "workers_maxrss_mb": maxrss_mb(resource.RUSAGE_CHILDREN)}


def _keys_prepare(job: tuple[Path, dict]):
    from bench.keys import extraction_from_key
    from store.ingest import article_columns
    from store.sources import read_article

    path, key = job
    art = read_article(path, _sources_cache)
    ex = extraction_from_key(art, key)
    return art, ex, article_columns(art, ex)


def index_ratios(ix: dict) -> None:
    """Each Citebot build's throughput over jieba's alone. The one-worker sample is timed right
    after jieba; the two-worker build takes minutes, so its yardstick is the mean of jieba timed
    just before and just after it (on this shared machine one core's speed moved by half
    within a run)."""
    ix["citebot_1worker"]["ratio_to_jieba"] = ix["citebot_1worker"]["mbps"] / ix["jieba_1core"]["mbps"]
    two = ix["citebot_2workers"]
    for ratio, key in (("ratio_to_jieba", "jieba_2cores"), ("ratio_to_jieba_1core", "jieba_1core")):
        after = ix.get(key + "_after")
        yardstick = (ix[key]["mbps"] + after["mbps"]) / 2 if after else ix[key]["mbps"]
        two[ratio] = two["mbps"] / yardstick
        two[ratio.replace("ratio", "yardstick") + "_mbps"] = yardstick


def phase_index(view: str, n: int, workers: int, db: str, build: str, start: int = 0, merge: bool = True) -> dict:
    """Build Citebot's store of articles [start, n): real extraction, or the answer keys.
    With start > 0 the store at db already holds the articles before start. merge=False: an
    answer-key build that is one of several steps leaves merging its full-text segments to
    the last (phase_merge), as one index run of them all would."""
    import jieba

    from store import db as dbmod
    from store.extract import extract
    from store.ingest import (
        bulk_load,
        ensure_query_indexes,
        index_paths,
        is_bulk,
        merge_fulltext,
        transaction,
        write_article,
    )
    from store.sources import Paragraph

    files = view_files(Path(view), n)[start:]
    if not start:
        Path(db).unlink(missing_ok=True)
    jieba.initialize()
    extract([Paragraph(1, "王小明说：“测试。”", "王小明说:“测试。”")])  # imports and lazy tables, not timed
    conn = dbmod.connect(db)
    t0 = time.perf_counter()
    if build == "real":
        report = index_paths(conn, files, workers=workers)
        failed, merge_left = len(report.failed), False  # an index run merges as its policy says
    else:
        failed = 0
        # No fsync at WAL checkpoints: this store is the bench's scaffolding, rebuilt if the machine
        # stops, and the syncs were 12-19% of an answer-key step (3,000 articles at N=45,000: 26 s
        # against 29.5-31.8 s). An index run keeps synchronous=NORMAL (store.db.connect).
        conn.conn.execute("pragma synchronous = OFF")
        keys = answers(Path(view), n, start)
        ensure_query_indexes(conn)
        jobs = list(zip(files, keys, strict=True))  # answer keys are read as they are written
        bulk = is_bulk(conn, len(jobs))  # ends as an index run of as many articles would
        with bulk_load(conn, merge_late=bulk), _fork_pool(workers) as pool:
            # KEYS_BATCH articles a transaction (the store is the same; an index run commits every
            # store.ingest.ARTICLES_PER_COMMIT), and no more than 10 batches prepared ahead of the writer.
            size = 10 * KEYS_BATCH
            slices = [pool.imap(_keys_prepare, jobs[at: at + size], chunksize=4) for at in (0, size) if at < len(jobs)]
            at = 2 * size  # two slices in flight at a time: the next is submitted as one is written
            while slices:
                prepared = slices.pop(0)
                if at < len(jobs):
                    slices.append(pool.imap(_keys_prepare, jobs[at: at + size], chunksize=4))
                    at += size
                while batch := list(itertools.islice(prepared, KEYS_BATCH)):
                    with transaction(conn):
                        for art, ex, cols in batch:
                            write_article(conn, art, ex, cols)
        if bulk and merge:
            merge_fulltext(conn)
        merge_left = bulk and not merge
    dt = time.perf_counter() - t0
    counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("articles", "paragraphs", "people", "quotes", "figures")}
    conn.conn.close()
    mb = text_mb(files)
    size = Path(db).stat().st_size
    all_mb = text_mb(view_files(Path(view), n))
    return {"build": build, "articles": len(files), "start": start, "mb": mb, "seconds": dt, "mbps": mb / dt,
            "workers": workers, "failed": failed, "merge_left": merge_left, "fsync": build == "real",
            "db_bytes": size, "db_mb_per_text_mb": size / 1e6 / all_mb,
            "rows": counts, "maxrss_mb": maxrss_mb(), "workers_maxrss_mb": maxrss_mb(resource.RUSAGE_CHILDREN)}


def phase_merge(db: str) -> dict:
    """Merge a store's full-text indexes into one segment each (store.ingest.merge_fulltext),
    timed: the end of a scale build whose steps left it to the last."""
    from store import db as dbmod
    from store.ingest import fulltext_segments, merge_fulltext

    conn = dbmod.connect(db)
    t0 = time.perf_counter()
    merge_fulltext(conn)
    dt = time.perf_counter() - t0
    segments = {t: fulltext_segments(conn, t) for t in dbmod.FTS_TABLES}
    conn.conn.close()
    return {"seconds": dt, "segments": segments}


def phase_corpus(work: str, seed: int, n: int, views: list[int]) -> dict:
    """Render the corpus up to n articles and make views of its first `views` articles, in one
    process at the lowest CPU priority: started beside a scale step, whose answer-key build
    leaves part of the two cores idle (its writer is the bottleneck), it takes what is idle
    (a 4,000-article step took 38.3 s beside rendering 8,000 articles, 37.0-37.9 s alone)."""
    os.nice(19)
    corpus = Corpus(Path(work), seed)
    t0 = time.perf_counter()
    corpus.extend(n, workers=1)
    for v in views:
        corpus.view(v)
    return {"seconds": time.perf_counter() - t0, "n": corpus.n, "views": views}


def phase_whoosh_index(view: str, n: int, index_dir: str) -> dict:
    import jieba

    from bench.peers import whoosh_build

    files = view_files(Path(view), n)
    docs = ((f.stem, "\n".join(_paragraph_texts([f]))) for f in files)  # read as indexed, like Citebot
    jieba.initialize()
    shutil.rmtree(index_dir, ignore_errors=True)
    r = whoosh_build(Path(index_dir), docs)
    mb = text_mb(files)
    return {"articles": len(files), "mb": mb, "seconds": r["seconds"], "mbps": mb / r["seconds"],
            "index_bytes": r["index_bytes"], "index_mb_per_text_mb": r["index_bytes"] / 1e6 / mb,
            "procs": r["procs"], "maxrss_mb": maxrss_mb(), "workers_maxrss_mb": maxrss_mb(resource.RUSAGE_CHILDREN)}


def relevant(queries: list[dict], view: Path, n: int) -> dict[str, set[str]]:
    """For each query, the articles a document search should return: the expected article, or
    for /who every article naming the person, or for a figure value every article holding it."""
    names = {q["expect"]["name"] for q in queries if "name" in q["expect"]}
    values = {float(q["expect"]["value"]) for q in queries if "value" in q["expect"] and "article" not in q["expect"]}
    by_name: dict[str, set[str]] = {}
    by_value: dict[float, set[str]] = {}
    for a in answers(view, n):
        for p in a["people"]:
            if p["name"] in names:
                by_name.setdefault(p["name"], set()).add(a["article"])
        for f in a["figures"]:
            if float(f["value"]) in values:
                by_value.setdefault(float(f["value"]), set()).add(a["article"])
    out = {}
    for q in queries:
        e = q["expect"]
        if "article" in e:
            out[q["id"]] = {e["article"]}
        elif "name" in e:
            out[q["id"]] = by_name.get(e["name"], set())
        else:
            out[q["id"]] = by_value.get(float(e["value"]), set())
    return out


def _summary(samples: list[tuple[str, float, bool]]) -> dict:
    out = {}
    for kind in (*KINDS, "all"):
        xs = [(ms, ok) for k, ms, ok in samples if kind in (k, "all")]
        if not xs:
            continue
        lat = [ms for ms, _ in xs]
        out[kind] = {"queries": len(xs), "p50_ms": pctl(lat, 50), "p99_ms": pctl(lat, 99), "max_ms": max(lat),
                     "mean_ms": statistics.fmean(lat), "recall5": sum(ok for _, ok in xs) / len(xs)}
    return out


def phase_query(system: str, path: str, queries_file: str, view: str, n: int, k: int | None = None) -> dict:
    """Every query once, after a warm-up of ten (and, for Citebot, one fuzzy name lookup, whose
    one-time cost of loading the aliases is reported apart); latency in-process, and recall@5.

    The clock covers answering: for Citebot `commands.run` (an Answer of result dataclasses:
    text, speaker and role, figure value, source link), for a peer its search (article ids).
    Whether the answer is right is checked after the clock stops, for every system alike.
    """
    queries = json.loads(Path(queries_file).read_text("utf-8"))[:k]
    cold: dict = {}
    store = None
    rel = relevant(queries, Path(view), n)
    _read_through(Path(path))  # a serving store is in the OS page cache: every system's files alike
    if system == "citebot":
        from commands import run
        from store import db as dbmod
        from store.search import Store
        from tests.gold_scoring import query_passes

        store = Store(dbmod.connect(path, readonly=True))
        t0 = time.perf_counter()
        for name in ("bench warm-up zzzz", "查无此人某某"):  # no such names: the first fuzzy lookups load every
            store.find_people(name)  # alias, and pypinyin for a name in Han script
        cold["first_fuzzy_lookup_ms"] = (time.perf_counter() - t0) * 1000

        def answer(q: dict):
            return run(q["ask"], store)

        def check(q: dict, a) -> bool:
            return query_passes(q["expect"], a.to_dict(), {"people": []})
    else:
        from bench.peers import LikePeer, WhooshPeer

        peer = WhooshPeer(Path(path)) if system == "whoosh" else LikePeer(Path(path))

        def answer(q: dict):
            return peer.search(q["ask"])

        def check(q: dict, a) -> bool:
            return bool(set(a) & rel[q["id"]])
    from commands import warm

    # what a serving process loads as it starts: jieba's dictionary and POS tagger, cn2an, and
    # for Citebot what its store answers names and quote pages from (Store.preload)
    t0 = time.perf_counter()
    warm(store)
    if store is not None:
        cold["warm_ms"] = (time.perf_counter() - t0) * 1000
    for q in queries[:10]:
        check(q, answer(q))
    samples = []
    for q in queries:
        t0 = time.perf_counter()
        a = answer(q)
        ms = (time.perf_counter() - t0) * 1000
        samples.append((q["ask"].split()[0].lstrip("/"), ms, check(q, a)))
    misses = [q["id"] for q, s in zip(queries, samples, strict=True) if not s[2]]
    return {"system": system, "n": n, "kinds": _summary(samples), "maxrss_mb": maxrss_mb(), "misses": misses[:40],
            **cold}


def median_of_rounds(runs: list[dict]) -> dict:
    """One query phase's result from several rounds of it: each kind's latencies the median over
    the rounds (recall is the same every round), peak memory the highest; the rounds are kept."""
    if len(runs) == 1:
        return runs[0]
    out = dict(runs[0])
    out["kinds"] = {}
    for kind, first in runs[0]["kinds"].items():
        merged = dict(first)
        for key in ("p50_ms", "p99_ms", "max_ms", "mean_ms"):
            merged[key] = statistics.median(r["kinds"][kind][key] for r in runs)
        out["kinds"][kind] = merged
    out["maxrss_mb"] = max(r["maxrss_mb"] for r in runs)
    for key in ("first_fuzzy_lookup_ms", "warm_ms"):
        if key in out:
            out[key] = statistics.median(r[key] for r in runs)
    out["rounds"] = [{k: {"p50_ms": v["p50_ms"], "p99_ms": v["p99_ms"]} for k, v in r["kinds"].items()} for r in runs]
    return out


def _read_through(path: Path) -> None:
    """Read a store's files once (a file, or every file in a folder) so that they are in the OS
    page cache, as a serving store's are: the latencies measured are the steady state's, not
    the disk's, and no system is measured just after another one's files pushed it out."""
    for f in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
        with open(f, "rb") as fh:
            while fh.read(1 << 20):
                pass


def phase_slack(db: str, queries_file: str, clients: int, requests: int) -> dict:
    """Signed slash commands to the real app behind waitress on 127.0.0.1, `clients` at a time.
    ack: until the HTTP reply; answer: until the answer reaches the response_url."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.slack.app import create_app
    from bot.slack.settings import Settings
    from commands import warm
    from store.search import Store
    from tests.slack.harness import AppServer, Recorder, SlackSide

    secret = "bench-signing-secret-0123456789"
    rec = Recorder()
    state = Path(tempfile.mkdtemp(prefix="citebot-bench-slack-"))
    settings = Settings(bot_token="xoxb-bench-token-0123456789", signing_secret=secret, api_url=rec.api_url,
                        state_db=state / "slack.db", host="127.0.0.1", port=0)
    store = Store.open(db)
    warm(store)  # as `citebot serve` does before its first request
    app = create_app(settings, store)
    server = AppServer(app, settings)
    side = SlackSide(server.base, secret, rec)
    queries = json.loads(Path(queries_file).read_text("utf-8"))
    asks = [queries[i % len(queries)]["ask"] for i in range(requests)]

    def one(i: int) -> tuple[str, float, float, int]:
        name = f"bench{i}"
        t0 = time.monotonic()
        reply, _ = side.command(asks[i], name=name)
        ack = time.monotonic() - t0
        calls = rec.wait_for(f"/response/{name}", timeout=30)
        return asks[i].split()[0].lstrip("/"), ack * 1000, (calls[0].at - t0) * 1000, reply.status

    try:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(one, range(min(clients, requests))))  # warm-up, not counted
            t0 = time.monotonic()
            res = list(pool.map(one, range(requests)))
            wall = time.monotonic() - t0
    finally:
        server.close()
        rec.close()
        shutil.rmtree(state, ignore_errors=True)
    out = {"clients": clients, "requests": requests, "seconds": wall, "per_second": requests / wall,
           "non_200": sum(1 for r in res if r[3] != 200), "maxrss_mb": maxrss_mb()}
    for kind in (*KINDS, "all"):
        xs = [r for r in res if kind in (r[0], "all")]
        if xs:
            out[kind] = {"requests": len(xs), "ack_p50_ms": pctl([r[1] for r in xs], 50),
                         "ack_p99_ms": pctl([r[1] for r in xs], 99), "p50_ms": pctl([r[2] for r in xs], 50),
                         "p99_ms": pctl([r[2] for r in xs], 99)}
    return out


PHASES = {"jieba": phase_jieba, "index": phase_index, "whoosh-index": phase_whoosh_index, "query": phase_query,
          "slack": phase_slack, "merge": phase_merge, "corpus": phase_corpus}


def _phase_cmd(phase: str, kw: dict) -> list[str]:
    return [sys.executable, "-m", "bench.run", "--phase", phase, json.dumps(kw)]


def _phase_result(phase: str, returncode: int, stdout: str, stderr: str) -> dict:
    if returncode:
        raise RuntimeError(f"phase {phase} failed ({returncode}):\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def in_process(phase: str, **kw) -> dict:
    """Run one phase in a fresh interpreter; its result is the last line it prints."""
    t0 = time.perf_counter()
    p = subprocess.run(_phase_cmd(phase, kw), cwd=ROOT, capture_output=True, text=True)
    out = _phase_result(phase, p.returncode, p.stdout, p.stderr)
    out["process_seconds"] = time.perf_counter() - t0
    return out


class Background:
    """One phase running in its own interpreter beside the run; result() waits for it."""

    def __init__(self, phase: str, **kw):
        self.phase = phase
        self.proc = subprocess.Popen(_phase_cmd(phase, kw), cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)

    def result(self) -> dict:
        out, err = self.proc.communicate()
        return _phase_result(self.phase, self.proc.returncode, out, err)


# -- the run --------------------------------------------------------------------------------------
class Budget:
    def __init__(self, seconds: float):
        self.t0 = time.monotonic()
        self.seconds = seconds

    @property
    def used(self) -> float:
        return time.monotonic() - self.t0

    @property
    def left(self) -> float:
        return self.seconds - self.used


def first_answer(db: Path, asks: list[str]) -> list[dict]:
    """A fresh `citebot ask` per question: from spawning the process to its answer on stdout."""
    exe = Path(sys.executable).with_name("citebot")
    cmd0 = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot.cli"]
    out = []
    for ask in asks:
        t0 = time.perf_counter()
        p = subprocess.run([*cmd0, "ask", "--db", str(db), "--json", ask], capture_output=True, text=True,
                           cwd=ROOT, timeout=60)
        dt = time.perf_counter() - t0
        ok = p.returncode == 0 and bool(json.loads(p.stdout).get("results"))
        out.append({"ask": ask, "seconds": dt, "answered": ok})
    return out


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip() or None
    except OSError:
        return None


def make_queries(corpus: Corpus, n: int, k: int, out: Path) -> Path:
    from bench.corpus import Corpus as GenCorpus
    from bench.corpus import queries

    view = corpus.view(n)
    if not out.exists():
        c = GenCorpus(n, corpus.seed, view)  # reads view/answers.jsonl: the first n answer keys
        out.write_text(json.dumps(queries(c, k, corpus.seed), ensure_ascii=False) + "\n", "utf-8")
    return out


def grow_store(corpus: Corpus, db: Path, n_from: int, n_to: int, budget: Budget, reserve: float,
               sizes: tuple[int, ...] = (10000, 5000), per_article: float = 0.012) -> dict:
    """Grow the store at db, which holds the corpus's first n_from articles, toward n_to with
    answer-key builds: steps of the largest of `sizes` articles that, 20% slower than the last
    step, still leave `reserve` seconds of the budget.

    Each step's build leaves merging the full-text segments to one merge after the last
    (phase_merge: at 20,000-40,000 each merge took 3-7 s), and while it runs, the articles
    the next step may need are rendered beside it at the lowest CPU priority (phase_corpus),
    so the step after does not wait for them. Returns the steps' results, the N reached and
    the merge's result (None if no step was a bulk load)."""
    n_cur, steps, ahead = n_from, [], None
    while n_cur < n_to:
        size = next((k for k in sizes if per_article * k * 1.2 <= budget.left - reserve), 0)
        if not size:
            break
        n_next = min(n_to, n_cur + size)
        t0 = time.perf_counter()
        if ahead:
            ahead.result()
        corpus.extend(n_next)
        view = corpus.view(n_next)
        nexts = sorted({min(n_to, n_next + k) for k in sizes}) if n_next < n_to else []
        ahead = Background("corpus", work=str(corpus.work), seed=corpus.seed, n=nexts[-1], views=nexts) \
            if nexts else None
        res = in_process("index", view=str(view), n=n_next, workers=2, db=str(db), build="keys", start=n_cur,
                         merge=False)
        step_s = time.perf_counter() - t0
        per_article = step_s / (n_next - n_cur)
        steps.append(res)
        log(f"citebot store: {n_cur} → {n_next} articles (keys build), {step_s:.0f}s")
        n_cur = n_next
    if ahead:  # never leave the corpus half written: a later run reuses it
        ahead.result()
    merge = in_process("merge", db=str(db)) if any(r["merge_left"] for r in steps) else None
    if merge:
        log(f"citebot store: N={n_cur} full-text merged, {merge['seconds']:.0f}s")
    return {"n": n_cur, "steps": steps, "merge": merge}


def main_run(args) -> int:
    cfg = QUICK if args.quick else FULL
    args.out = args.out or (RESULTS.with_name("results-quick.json") if args.quick else RESULTS)
    budget = Budget(args.budget or cfg["budget"])
    work = Path(args.work)
    if args.fresh:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    corpus = Corpus(work)
    R: dict = {"run": {"mode": "quick" if args.quick else "full", "started": started, "commit": git_commit(),
                       "command": "make bench-quick" if args.quick else "make bench",
                       "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                   "platform": platform.platform()}, "budget_seconds": budget.seconds},
               "corpus": {"seed": SEED}, "index": {}, "stores": {"citebot": {}, "whoosh": {}},
               "queries": {"citebot": {}, "whoosh": {}, "like": {}}, "notes": []}
    notes = R["notes"]
    base_n = 10000 if not args.quick else 1000
    had = corpus.n
    gen = corpus.extend(base_n)
    R["corpus"].update({"generated_seconds": gen, "reused_articles": min(had, base_n)})
    log(f"corpus: {base_n} articles ({'reused' if not gen else f'{gen:.0f}s'})")
    views = {n: corpus.view(n) for n in (1000, base_n)}
    R["corpus"]["mb"] = {str(n): text_mb(view_files(v)) for n, v in views.items()}
    sample = cfg["sample"]
    v1k = views[1000]

    # 1. indexing throughput: jieba alone and Citebot, one core and both
    R["index"]["jieba_1core"] = in_process("jieba", view=str(v1k), n=sample, workers=1)
    R["index"]["jieba_2cores"] = in_process("jieba", view=str(v1k), n=1000, workers=2)
    log(f"jieba: {R['index']['jieba_1core']['mbps']:.2f} MB/s on one core, "
        f"{R['index']['jieba_2cores']['mbps']:.2f} MB/s on two")
    one = in_process("index", view=str(v1k), n=sample, workers=1, db=str(work / "sample.db"), build="real")
    R["index"]["citebot_1worker"] = one
    log(f"citebot, 1 worker, {sample} articles: {one['mbps']:.3f} MB/s")
    stores: dict[int, dict] = {}
    builds = R["stores"]["citebot"]
    rate2 = one["mbps"] * 1.8  # a guess for planning only; replaced by the measurement below
    for n in [x for x in cfg["ns"] if x <= base_n]:
        mb = R["corpus"]["mb"][str(n)]
        reserve = 0.55 * budget.left if n == cfg["ns"][0] else 0.35 * budget.left
        build = "real" if mb / rate2 <= reserve else "keys"
        if build == "keys" and n == 1000:
            notes.append(f"N=1,000: real extraction would take about {mb / rate2:.0f}s, more than this run's budget "
                         f"allows; its store is an answer-key build")
        db = work / f"citebot-{n}.db"
        res = in_process("index", view=str(views[n]), n=n, workers=2, db=str(db), build=build)
        if build == "real":
            rate2 = res["mbps"]
            R["index"]["citebot_2workers"] = res
        builds[str(n)] = res
        stores[n] = {"db": db, "build": build}
        log(f"citebot store N={n}: {build} build, {res['seconds']:.0f}s, {res['mbps']:.2f} MB/s")
    if "citebot_2workers" not in R["index"]:
        R["index"]["citebot_2workers"] = in_process("index", view=str(v1k), n=sample, workers=2,
                                                    db=str(work / "sample2.db"), build="real")
    # jieba again after the two-worker build, which takes minutes while the machine's speed drifts
    R["index"]["jieba_1core_after"] = in_process("jieba", view=str(v1k), n=sample, workers=1)
    R["index"]["jieba_2cores_after"] = in_process("jieba", view=str(v1k), n=1000, workers=2)
    log(f"jieba after the build: {R['index']['jieba_1core_after']['mbps']:.2f} MB/s on one core, "
        f"{R['index']['jieba_2cores_after']['mbps']:.2f} MB/s on two")
    index_ratios(R["index"])

    # 2. the peer's indexes
    for n in cfg["peer_ns"]:
        d = work / f"whoosh-{n}"
        res = in_process("whoosh-index", view=str(views[n]), n=n, index_dir=str(d))
        R["stores"]["whoosh"][str(n)] = res
        log(f"whoosh N={n}: {res['seconds']:.0f}s, {res['mbps']:.2f} MB/s")

    # 3. queries, the same for every system at one N
    qfiles = {n: make_queries(corpus, n, cfg["k"], work / f"queries-{n}-k{cfg['k']}.json") for n in stores}
    for n in stores:
        rounds = cfg["rounds"] if n == base_n and n in cfg["peer_ns"] else 1
        runs: dict[str, list[dict]] = {"citebot": [], "whoosh": []}
        for _ in range(rounds):
            runs["citebot"].append(in_process("query", system="citebot", path=str(stores[n]["db"]),
                                              queries_file=str(qfiles[n]), view=str(views[n]), n=n))
            if n in cfg["peer_ns"]:
                runs["whoosh"].append(in_process("query", system="whoosh", path=str(work / f"whoosh-{n}"),
                                                 queries_file=str(qfiles[n]), view=str(views[n]), n=n))
        res = median_of_rounds(runs["citebot"])
        res["build"] = stores[n]["build"]
        R["queries"]["citebot"][str(n)] = res
        if runs["whoosh"]:
            R["queries"]["whoosh"][str(n)] = median_of_rounds(runs["whoosh"])
        if n in cfg["like_ns"]:
            R["queries"]["like"][str(n)] = in_process("query", system="like", path=str(stores[n]["db"]),
                                                      queries_file=str(qfiles[n]), view=str(views[n]), n=n,
                                                      k=cfg["like_k"].get(n))
        log(f"queries N={n}: " + ", ".join(
            f"{s} p50 {R['queries'][s][str(n)]['kinds']['all']['p50_ms']:.1f} ms "
            f"recall {R['queries'][s][str(n)]['kinds']['all']['recall5']:.2f}"
            for s in ("citebot", "whoosh", "like") if str(n) in R["queries"][s]))

    # 4. first answer from a fresh process, and Slack over HTTP
    qs = json.loads(qfiles[base_n].read_text("utf-8"))
    picks = [next(q["ask"] for q in qs if q["ask"].startswith(f"/{k} ")) for k in KINDS]
    R["first_answer"] = {"n": base_n, "build": stores[base_n]["build"],
                         "runs": first_answer(stores[base_n]["db"], picks)}
    R["first_answer"]["max_seconds"] = max(r["seconds"] for r in R["first_answer"]["runs"])
    log(f"first answer: {R['first_answer']['max_seconds']:.2f}s at most")
    if (ROOT / "bot" / "slack" / "serve.py").exists():
        try:
            R["slack"] = in_process("slack", db=str(stores[base_n]["db"]), queries_file=str(qfiles[base_n]),
                                    clients=20, requests=cfg["slack_requests"])
            R["slack"]["n"] = base_n
            log(f"slack: p50 {R['slack']['all']['p50_ms']:.0f} ms, p99 {R['slack']['all']['p99_ms']:.0f} ms")
        except RuntimeError as e:
            R["slack"] = {"measured": False, "why": str(e)[-500:]}
    else:
        R["slack"] = {"measured": False, "why": "bot/slack has no HTTP server"}

    # 5. scale: the largest N up to 50,000 that the rest of the budget holds: the N=base_n store,
    # copied and grown with answer-key builds of the next articles (grow_store).
    big = max(cfg["ns"])
    if big > base_n:
        need_1k_keys = stores[1000]["build"] == "real" and stores[base_n]["build"] == "keys"
        reserve = 30 + (15 if need_1k_keys else 0)  # queries at the scale point, the 1k keys store
        db = work / "citebot-scale.db"
        shutil.copy(stores[base_n]["db"], db)
        grown = grow_store(corpus, db, base_n, big, budget, reserve)
        steps, n_big = grown["steps"], grown["n"]
        spent = sum(r["seconds"] for r in steps) + (grown["merge"]["seconds"] if grown["merge"] else 0.0)
        if n_big < big:
            notes.append(f"N={big:,} did not fit in this run's time budget: its scale point is N={n_big:,} "
                         f"(same corpus pattern, answer-key build)")
        if n_big > base_n:
            views[n_big] = corpus.view(n_big)
            R["corpus"]["mb"][str(n_big)] = text_mb(view_files(views[n_big]))
            build = "keys" if stores[base_n]["build"] == "keys" else f"real to {base_n:,}, keys after"
            last = dict(steps[-1])
            last.update({"build": build, "start": base_n, "articles": n_big - base_n,
                         "mb": sum(r["mb"] for r in steps), "seconds": spent,
                         "mbps": sum(r["mb"] for r in steps) / spent, "steps": len(steps),
                         "merge_seconds": grown["merge"]["seconds"] if grown["merge"] else None,
                         "maxrss_mb": max(r["maxrss_mb"] for r in steps),
                         "workers_maxrss_mb": max(r["workers_maxrss_mb"] for r in steps)})
            builds[str(n_big)] = last
            stores[n_big] = {"db": db, "build": build}
            qf = make_queries(corpus, n_big, cfg["k"], work / f"queries-{n_big}-k{cfg['k']}.json")
            res = in_process("query", system="citebot", path=str(db), queries_file=str(qf), view=str(views[n_big]),
                             n=n_big)
            res["build"] = build
            R["queries"]["citebot"][str(n_big)] = res
            if need_1k_keys:  # the like-for-like small point for the scale ratio
                db1 = work / "citebot-1000-keys.db"
                builds["1000-keys"] = in_process("index", view=str(v1k), n=1000, workers=2, db=str(db1),
                                                 build="keys")
                r1 = in_process("query", system="citebot", path=str(db1), queries_file=str(qfiles[1000]),
                                view=str(v1k), n=1000)
                r1["build"] = "keys"
                R["queries"]["citebot"]["1000-keys"] = r1
            log(f"queries N={n_big}: p99 {R['queries']['citebot'][str(n_big)]['kinds']['all']['p99_ms']:.1f} ms")

    R["run"]["wall_seconds"] = budget.used
    R["targets"] = targets(R, base_n)
    args.out.write_text(json.dumps(R, ensure_ascii=False, indent=1, default=str) + "\n", "utf-8")
    table = report(R)
    args.out.with_suffix(".md").write_text(table + "\n", "utf-8")
    print(table)
    log(f"done in {budget.used:.0f}s: {args.out}, {args.out.with_suffix('.md')}")
    return 0


# -- targets and the table --------------------------------------------------------------------------
def targets(R: dict, n: int) -> list[dict]:
    q, out = R["queries"], []
    c = q["citebot"].get(str(n))
    w = q["whoosh"].get(str(n))
    label = f"N={n:,}" + (" (answer-key build)" if c and c.get("build") == "keys" else "")

    def add(name, value, limit, met, unit=""):
        out.append({"target": name, "value": value, "limit": limit, "unit": unit, "met": bool(met)})

    if c:
        for k in KINDS:
            if k in c["kinds"]:
                v = c["kinds"][k]["p99_ms"]
                add(f"/{k} p99 at {label}", v, 20, v <= 20, "ms")
    if c and w:
        for k in KINDS:
            if k in c["kinds"] and k in w["kinds"]:
                ratio = w["kinds"][k]["p50_ms"] / c["kinds"][k]["p50_ms"]
                add(f"/{k} p50 speed-up over Whoosh at {label}", ratio, 5, ratio >= 5, "×")
        for nn in sorted({int(x) for x in q["whoosh"]} & {int(x) for x in q["citebot"] if x.isdigit()}):
            cc, ww = q["citebot"][str(nn)], q["whoosh"][str(nn)]
            tag = f"N={nn:,}" + (" (answer-key build: an upper bound)" if cc.get("build") == "keys" else "")
            add(f"recall@5 vs Whoosh at {tag}", cc["kinds"]["all"]["recall5"], ww["kinds"]["all"]["recall5"],
                cc["kinds"]["all"]["recall5"] >= ww["kinds"]["all"]["recall5"])
    ix = R["index"]
    for key in ("citebot_1worker", "citebot_2workers"):
        if key in ix:
            add(f"indexing / jieba alone, {ix[key]['workers']} worker(s)", ix[key]["ratio_to_jieba"], 0.5,
                ix[key]["ratio_to_jieba"] >= 0.5, "×")
    if "citebot_2workers" in ix:
        v = ix["citebot_2workers"]["ratio_to_jieba_1core"]
        add("indexing with 2 workers / jieba alone on 1 core (timed before and after it)", v, 0.5, v >= 0.5, "×")
    fa = R.get("first_answer")
    if fa:
        add(f"first answer after process start at N={fa['n']:,}", fa["max_seconds"], 2, fa["max_seconds"] <= 2, "s")
    if c:
        add(f"peak memory, queries at {label}", c["maxrss_mb"], 300, c["maxrss_mb"] <= 300, "MB")
    real = ix.get("citebot_2workers")
    if real:
        for part, v in (("main process", real["maxrss_mb"]), ("each worker", real["workers_maxrss_mb"])):
            add(f"peak memory, indexing {real['articles']:,} articles with 2 workers, {part}", v, 300, v <= 300, "MB")
    nums = sorted(int(x) for x in q["citebot"] if x.isdigit())
    if len(nums) > 1 and nums[-1] > n:
        hi = q["citebot"][str(nums[-1])]
        lo = q["citebot"]["1000"]  # the 1k store built like the scale store: keys only if it is all keys
        if hi.get("build") == "keys" and "1000-keys" in q["citebot"]:
            lo = q["citebot"]["1000-keys"]
        for k in KINDS:
            if k in hi["kinds"] and k in lo["kinds"]:
                r = hi["kinds"][k]["p99_ms"] / lo["kinds"][k]["p99_ms"]
                add(f"/{k} p99 at N={nums[-1]:,} ({hi.get('build')} build) / at N=1,000 ({lo.get('build')} build)",
                    r, 3, r <= 3, "×")
    return out


def _f(x, d=1) -> str:
    return "—" if x is None else f"{x:,.{d}f}"


def report(R: dict) -> str:
    L = []
    run = R["run"]
    L.append(f"## Citebot benchmark ({run['mode']}, `{run['command']}`, {run['started']}, commit {run['commit']}, "
             f"{run['machine']['cpus']} cores, Python {run['machine']['python']}; wall {run['wall_seconds']:.0f}s)")
    L.append("")
    ix = R["index"]
    L.append("### Indexing")
    L.append("")
    L.append("| what | articles | MB | seconds | MB/s | × jieba alone | peak RSS MB (main / worker) |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    def median_of(r: dict | None) -> str:
        return f" (median of {len(r['runs_seconds'])})" if r and len(r.get("runs_seconds", [])) > 1 else ""

    rows = [("jieba.cut alone, 1 core" + median_of(ix.get("jieba_1core")), ix.get("jieba_1core")),
            ("jieba.cut alone, 2 cores" + median_of(ix.get("jieba_2cores")), ix.get("jieba_2cores")),
            ("Citebot index, 1 worker", ix.get("citebot_1worker")),
            ("Citebot index, 2 workers (× the mean of jieba before and after it)", ix.get("citebot_2workers")),
            ("jieba.cut alone, 1 core, after that build" + median_of(ix.get("jieba_1core_after")),
             ix.get("jieba_1core_after")),
            ("jieba.cut alone, 2 cores, after that build" + median_of(ix.get("jieba_2cores_after")),
             ix.get("jieba_2cores_after"))]
    for n, r in R["stores"]["citebot"].items():
        if r.get("build") != "real":
            added = f", articles {r['start']:,}–{r['start'] + r['articles']:,} added" if r.get("start") else ""
            fsync = "" if r.get("fsync", True) else ", no fsync"
            rows.append((f"Citebot store N={n}, {r['build']} build (no extraction{fsync}){added}", r))
    for n, r in R["stores"]["whoosh"].items():
        rows.append((f"Whoosh + ChineseAnalyzer N={n}, writer procs={r.get('procs', 1)}", r))
    for name, r in rows:
        if r:
            L.append(f"| {name} | {r['articles']:,} | {_f(r['mb'])} | {_f(r['seconds'])} | {_f(r['mbps'], 3)} | "
                     f"{_f(r.get('ratio_to_jieba'), 2)} | {_f(r['maxrss_mb'], 0)} / "
                     f"{_f(r.get('workers_maxrss_mb'), 0) if r.get('workers') and r['workers'] > 1 else '—'} |")
    L.append("")
    L.append("### Size")
    L.append("")
    L.append("| store | N | build | MB on disk | MB per MB of text |")
    L.append("|---|---:|---|---:|---:|")
    for n, r in R["stores"]["citebot"].items():
        L.append(f"| Citebot (SQLite) | {n} | {r['build']} | {_f(r['db_bytes'] / 1e6)} | {_f(r['db_mb_per_text_mb'], 2)} |")
    for n, r in R["stores"]["whoosh"].items():
        L.append(f"| Whoosh | {n} | — | {_f(r['index_bytes'] / 1e6)} | {_f(r['index_mb_per_text_mb'], 2)} |")
    L.append("")
    L.append("### Queries (in-process; latency in ms; recall@5 on the generated answer keys)")
    L.append("")
    L.append("Steady state after a warm-up; Citebot's one-time load of every alias for fuzzy name lookups "
             "(the first lookup of a name that is not an alias) is listed apart.")
    rounds = {n: len(r["rounds"]) for n, r in R["queries"]["citebot"].items() if "rounds" in r}
    for n, k in rounds.items():
        L.append(f"At N={int(n):,} Citebot's and Whoosh's questions ran {k} times, taking turns; p50 and p99 are "
                 f"the medians of the {k} rounds (each round's are in results.json).")
    L.append("")
    L.append("| system | N | build | kind | queries | p50 | p99 | recall@5 | peak RSS MB |")
    L.append("|---|---:|---|---|---:|---:|---:|---:|---:|")
    for system in ("citebot", "whoosh", "like"):
        for n, r in R["queries"][system].items():
            for k in (*KINDS, "all"):
                s = r["kinds"].get(k)
                if s:
                    L.append(f"| {system} | {n} | {r.get('build', '—')} | {k} | {s['queries']} | {_f(s['p50_ms'], 2)} | "
                             f"{_f(s['p99_ms'], 2)} | {_f(s['recall5'], 3)} | {_f(r['maxrss_mb'], 0)} |")
    L.append("")
    for n, r in R["queries"]["citebot"].items():
        if "first_fuzzy_lookup_ms" in r:
            L.append(f"- Citebot N={n}: first fuzzy name lookup (loads the aliases) {r['first_fuzzy_lookup_ms']:,.0f} ms"
                     + (f"; then loading what a serving process holds (commands.warm: name lists, the index of"
                        f" names one typo apart, people's cards and quote pages) {r['warm_ms']:,.0f} ms"
                        if "warm_ms" in r else ""))
    L.append("")
    fa = R.get("first_answer")
    if fa:
        L.append(f"### First answer (fresh `citebot ask` process, N={fa['n']:,}, {fa['build']} build)")
        L.append("")
        for r in fa["runs"]:
            L.append(f"- `{r['ask']}`: {r['seconds']:.2f} s{'' if r['answered'] else ' (no results)'}")
        L.append("")
    sl = R.get("slack")
    if sl:
        L.append("### Slack slash commands over HTTP (signed, 127.0.0.1, 20 concurrent clients)")
        L.append("")
        if sl.get("measured") is False:
            L.append(f"Not measured: {sl['why']}")
        else:
            L.append(f"{sl['requests']} requests in {sl['seconds']:.1f}s ({sl['per_second']:.1f}/s), "
                     f"{sl['non_200']} not 200, peak RSS {sl['maxrss_mb']:.0f} MB, N={sl['n']:,}.")
            L.append("")
            L.append("| kind | requests | ack p50 | ack p99 | answer p50 | answer p99 |")
            L.append("|---|---:|---:|---:|---:|---:|")
            for k in (*KINDS, "all"):
                s = sl.get(k)
                if s:
                    L.append(f"| {k} | {s['requests']} | {_f(s['ack_p50_ms'])} | {_f(s['ack_p99_ms'])} | "
                             f"{_f(s['p50_ms'])} | {_f(s['p99_ms'])} |")
        L.append("")
    L.append("### Targets")
    L.append("")
    L.append("| target | measured | limit | met |")
    L.append("|---|---:|---:|---|")
    for t in R["targets"]:
        L.append(f"| {t['target']} | {_f(t['value'], 3 if t['unit'] in ('', '×') else 2)} {t['unit']} | "
                 f"{_f(t['limit'], 3 if t['unit'] == '' else 1)} {t['unit']} | {'yes' if t['met'] else '**no**'} |")
    if R["notes"]:
        L.append("")
        L.extend(f"- {n}" for n in R["notes"])
    return "\n".join(L)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="N = 1,000 only (under 2 minutes)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "citebot-bench"),
                    help="where corpora, stores and indexes go (default: $TMPDIR/citebot-bench)")
    ap.add_argument("--fresh", action="store_true", help="delete the work folder first (no corpus reused)")
    ap.add_argument("--budget", type=float, default=None, help="seconds the run plans for")
    ap.add_argument("--out", type=Path, default=None, help="results file (default bench/results.json, with "
                    "--quick bench/results-quick.json; the table goes beside it, .md)")
    ap.add_argument("--report", type=Path, help="only write the table (and targets) again from a results file")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("phase_args", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.report:
        R = json.loads(args.report.read_text("utf-8"))
        base = max(int(n) for n in R["queries"]["whoosh"]) if R["queries"]["whoosh"] else 1000
        R["targets"] = targets(R, base)
        args.report.write_text(json.dumps(R, ensure_ascii=False, indent=1, default=str) + "\n", "utf-8")
        args.report.with_suffix(".md").write_text(report(R) + "\n", "utf-8")
        print(report(R))
        return 0
    if args.phase:
        res = PHASES[args.phase](**json.loads(args.phase_args or "{}"))
        print(json.dumps(res, default=str))
        return 0
    return main_run(args)


if __name__ == "__main__":
    raise SystemExit(main())
