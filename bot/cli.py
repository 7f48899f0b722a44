"""The `citebot` command line: index, ask, export, console, serve, run.

Every subcommand takes --db (default: CITEBOT_DB, else data/citebot.db). Settings come
from the environment or `.env` (see .env.example); secrets are never printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

from dotenv import load_dotenv

from store import db as dbmod

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def default_seeds() -> Path:
    """seeds/ in the current folder, else the one shipped beside the code."""
    here = Path("seeds")
    return here if here.is_dir() else SEEDS


def _store(args):
    """The store to answer from; one that is not there is not made (an empty store answers
    nothing, and a mistyped --db would leave a file behind)."""
    from store.search import Store

    return Store.open(existing_store(args.db))


def existing_store(db: str | None) -> Path:
    """The store's path, if a store is there; else FileNotFoundError saying what to do."""
    path = store_path(db)
    if not path.is_file():
        raise FileNotFoundError(f"no store at {path}: index articles into it first, e.g. citebot index seeds --db {path}")
    return path


def store_path(db: str | None) -> Path:
    """--db as a path; a folder is refused with the file it probably meant."""
    path = dbmod.db_path(db)
    if path.is_dir():
        raise FileNotFoundError(f"{path} is a folder: --db takes the store's file, e.g. {path / 'citebot.db'}")
    return path


def cmd_index(args) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from store.ingest import index_paths, missing_articles, remove_articles, stale_articles
    from store.sources import article_files

    paths = [Path(p) for p in args.paths] or [default_seeds()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"citebot index: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    others = [p for p in paths if p.is_file() and p.suffix.casefold() != ".txt"]  # sources.toml in seeds/*
    for p in others:
        print(f"skipped {p}: not an article (articles are .txt files)", file=sys.stderr)
    paths = [p for p in paths if p not in others]
    if not paths:
        return 2
    path = store_path(args.db)
    if not article_files(paths):
        print(f"citebot index: no articles (.txt files) in {', '.join(map(str, paths))}: nothing indexed",
              file=sys.stderr)
        return 2
    db = dbmod.connect(path)
    before = dbmod.article_count(db)
    show = sys.stderr.isatty() and not args.quiet
    with Progress(TextColumn("indexing {task.fields[name]}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), disable=not show, transient=True) as bar:
        task = bar.add_task("index", total=None, name="")

        logged = _ProgressLines(sys.stderr) if not show and not args.quiet else None

        def progress(name: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, name=name)
            if logged:
                logged.update(done, total)

        try:
            report = index_paths(db, paths, progress, workers=getattr(args, "workers", 1))
            seen = [*report.added, *report.updated, *report.reread, *report.unchanged]
            gone = missing_articles(db, [p for p in paths if p.is_dir()], seen)
            if gone and getattr(args, "prune", False):
                remove_articles(db, [aid for aid, _path in gone])
            stale = stale_articles(db)
        except KeyboardInterrupt:  # Ctrl-C: what was committed stays (store.ingest commits every few articles)
            bar.stop()
            kept = dbmod.article_count(db) - before
            print(f"citebot index: interrupted; {kept} new article{'s' if kept != 1 else ''} kept in"
                  f" {dbmod.db_path(args.db)}. Run the same command again to index the rest.", file=sys.stderr)
            raise
        finally:
            db.conn.close()  # checkpoints the WAL, so the file on disk is complete
    for path, reason in report.failed:
        print(f"skipped {reason}" if reason.startswith(path) else f"skipped {path}: {reason}", file=sys.stderr)
    if not args.quiet:
        reread = f"{len(report.reread)} read again by this version, " if report.reread else ""
        print(f"indexed {len(report.added)} new, {len(report.updated)} changed, {reread}"
              f"{len(report.unchanged)} unchanged, {len(report.failed)} skipped → {dbmod.db_path(args.db)}")
    if gone:
        print(gone_note(gone, getattr(args, "prune", False)), file=sys.stderr)
    if stale:
        print(stale_hint(stale), file=sys.stderr)
    args.stale_told = True  # `citebot run` goes on to the console or the server: said once
    return 1 if report.failed and not report.changed and not report.unchanged else 0


class _ProgressLines:
    """Progress as plain lines, for an index run whose output is a log or a pipe (cron, CI),
    where the progress bar is not drawn: one line every PROGRESS_EVERY seconds, none for a run
    shorter than that."""

    def __init__(self, out, clock=time.monotonic):
        self.out, self.clock = out, clock
        self.started = self.last = clock()

    def update(self, done: int, total: int) -> None:
        now = self.clock()
        if total and 0 < done < total and now - self.last >= PROGRESS_EVERY:
            self.last = now
            rate = done / max(now - self.started, 1e-9)
            print(f"indexing: {done:,} of {total:,} files, about {(total - done) / rate:.0f} s to go",
                  file=self.out, flush=True)


PROGRESS_EVERY = 10.0  # seconds between progress lines when there is no terminal to draw a bar on


def gone_note(gone: list[tuple[str, str]], pruned: bool) -> str:
    """What to say of indexed articles whose files are no longer in the folders indexed."""
    n = len(gone)
    files = ", ".join(path for _id, path in gone[:3]) + (" …" if n > 3 else "")
    if pruned:
        return f"removed {n} article{'s' if n != 1 else ''} whose file{'s are' if n != 1 else ' is'} gone: {files}"
    return (f"{n} indexed article{'s' if n != 1 else ''} {'are' if n != 1 else 'is'} no longer in the folders"
            f" indexed ({files}); answers still cite {'them' if n != 1 else 'it'}."
            f" To take {'them' if n != 1 else 'it'} out of the store: citebot index --prune with the same folders")


def stale_notice(args, store) -> str | None:
    """Before answering from a store: what to say if an older extraction wrote some of its
    articles (after an upgrade, until they are indexed again), unless this run's index said it."""
    from store.ingest import stale_articles

    if not getattr(args, "stale_told", False) and (stale := stale_articles(store.db)):
        return stale_hint(stale)
    return None


def stale_hint(stale: list[tuple[str, str]]) -> str:
    """What to run so articles an older extraction read are read again (store.extract.VERSION)."""
    folders = sorted({str(Path(path).parent) for _id, path in stale})
    shown = " ".join(folders[:3]) + (" …" if len(folders) > 3 else "")
    return (f"{len(stale)} article{'s' if len(stale) != 1 else ''} in the store {'were' if len(stale) != 1 else 'was'}"
            f" read by an older version of Citebot and keep what it found; to read them again:"
            f" citebot index {shown}")


def cmd_ask(args) -> int:
    from bot.text_render import render
    from commands import run

    store = _store(args)
    answer = run(" ".join(args.text), store, offset=args.offset)
    if args.json or args.compact:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=None if args.compact else 1))
    else:
        print(render(answer, more=f"add --offset {answer.offset + len(answer.results)}"))
    return 0


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        elif isinstance(v, list):
            out[prefix + k] = json.dumps(v, ensure_ascii=False)
        else:
            out[prefix + k] = v
    return out


def cmd_export(args) -> int:
    from commands.lookup import figure_result, person_result, quote_result
    from commands.results import _result_dict

    store = _store(args)
    make, rows = {
        "quotes": (quote_result, store.all_quotes),
        "figures": (figure_result, store.all_figures),
        "people": (person_result, store.all_people),
    }[args.kind]
    records = (_result_dict(make(r)) for r in rows())
    out = sys.stdout
    if args.format == "jsonl":
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        flat = [_flat(r) for r in records]
        fields: list[str] = []
        for r in flat:
            fields += [k for k in r if k not in fields]
        w = csv.DictWriter(out, fieldnames=fields)
        w.writeheader()
        w.writerows(flat)
    return 0


def cmd_console(args) -> int:
    from bot.console import console
    from commands import warm

    store = _store(args)
    if notice := stale_notice(args, store):
        print(notice, file=sys.stderr)
    warm(store, background=True)  # while the prompt waits for the first question
    return console(store, history=Path(args.history) if args.history else None)


def cmd_serve(args) -> int:
    try:
        from bot.slack.serve import serve
    except ImportError as e:  # pragma: no cover - until the Slack adapter lands
        print(f"citebot serve: the Slack adapter is not available ({e})", file=sys.stderr)
        return 2
    return serve(args)


def cmd_digest(args) -> int:
    """`citebot digest run [--at ISO-8601]`: post whatever is due at that moment."""
    import datetime as dt

    from bot.slack.digests import SlackPoster, run_once
    from bot.slack.settings import Settings, SettingsError

    at = None
    if args.at:
        try:
            at = dt.datetime.fromisoformat(args.at)
        except ValueError:
            print(f"citebot digest run: --at takes an ISO-8601 time like 2026-03-02T09:00:00+08:00, not {args.at!r}",
                  file=sys.stderr)
            return 2
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
    try:
        settings = Settings.from_env()
        if not settings.bot_token and not settings.oauth:
            raise SettingsError("set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    except SettingsError as e:
        print(f"citebot digest run: {e}", file=sys.stderr)
        return 2
    installs = None
    if settings.oauth:
        from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

        installs = SQLite3InstallationStore(database=str(settings.state_db), client_id=settings.client_id)
    report = run_once(_store(args), SlackPoster(settings, installs), at)
    print(f"digests: {len(report.posted)} posted, {len(report.recovered)} found already posted, "
          f"{len(report.skipped)} quiet, {len(report.paused)} paused, {len(report.failed)} to retry")
    return 1 if report.failed else 0


def slack_configured() -> bool:
    return bool(os.environ.get("SLACK_BOT_TOKEN") or (
        os.environ.get("SLACK_CLIENT_ID") and os.environ.get("SLACK_CLIENT_SECRET")))


def cmd_run(args) -> int:
    """What `make run` does: index the seeds, then serve Slack if configured, else the console."""
    args.paths, args.quiet = [], False
    code = cmd_index(args)
    if code:
        return code
    if slack_configured():
        return cmd_serve(args)
    partial = [k for k in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
               if os.environ.get(k)]
    if partial:  # some of Slack's settings, not enough to serve: say which is missing, not nothing
        print(f"{' and '.join(partial)} set but not SLACK_BOT_TOKEN (or SLACK_CLIENT_ID with SLACK_CLIENT_SECRET):"
              " opening the console instead of serving Slack (see README, 'Connect to Slack').")
    else:
        print("No Slack settings in .env: opening the console (see README, 'Connect to Slack').")
    args.history = None
    return cmd_console(args)


def _count(least: int):
    """An argparse type: a whole number of at least `least`, else a sentence saying so."""
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = None
        if n is None or n < least:
            raise argparse.ArgumentTypeError(f"takes a whole number of {least} or more, not {text!r}")
        return n
    return parse


# Each subcommand's help page: what it does, then examples to copy.
HELP = {
    "index": ("Read article files (.txt, UTF-8; metadata in a sources.toml beside them) into the store: people,"
              " quotes, figures and the search index. Unchanged files are skipped, so running it again is cheap.",
              "citebot index                     # seeds/\n"
              "  citebot index ~/news/2025-02      # every .txt under the folder\n"
              "  citebot index --workers 2 ~/news  # both cores of a 2-core machine\n"
              "  citebot index --prune ~/news      # also forget articles whose files were deleted"),
    "ask": ("Answer one question as Slack would: a slash command (/quote, /figure, /who, /source, /cite help)"
            " or free text.",
            'citebot ask "/quote 纳德拉"\n'
            '  citebot ask "/figure 560万美元"\n'
            '  citebot ask "/who Nadela"            # misspelt names are found\n'
            '  citebot ask "训练成本是多少？"\n'
            '  citebot ask --json "/source 小院高墙"  # the answer as JSON\n'
            '  citebot ask --offset 5 "/quote 纳德拉" # the next page'),
    "export": ("Everything extracted, for reports and checking: JSON Lines (one record a line) or CSV"
               " (a header row, then one row a record).",
               "citebot export quotes > quotes.jsonl\n"
               "  citebot export figures --format csv > figures.csv\n"
               "  citebot export people"),
    "console": ("Type what you would type in Slack and read the answers; `more` for the next page, `help`"
                " for the commands, `quit` (or Ctrl-D) to leave.", "citebot console"),
    "serve": ("Connect to Slack with the settings in .env or the environment: Socket Mode when SLACK_APP_TOKEN"
              " is set (no public URL needed), else HTTP on --host:--port. See README, 'Connect to Slack'.",
              "citebot serve\n  citebot serve --port 8080   # HTTP mode"),
    "digest": ("Post the digests that are due (each channel subscribes with /cite digest in Slack). `citebot"
               " serve` does this by itself; this is for a cron job instead.",
               "citebot digest run\n  citebot digest run --at 2026-03-02T09:00:00+08:00"),
    "run": ("What `make run` does: index seeds/, then serve Slack when .env has its settings, else open"
            " the console.", "citebot run"),
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="SQLite file (default: $CITEBOT_DB or data/citebot.db)")
    p = argparse.ArgumentParser(prog="citebot", description="Who said what, which figures, and where.",
                                parents=[common], epilog="`citebot COMMAND --help` explains a command, with examples.")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        what, examples = HELP[name]
        return sub.add_parser(name, parents=[common], help=summary, description=what,
                              epilog="examples:\n  " + examples, formatter_class=argparse.RawDescriptionHelpFormatter)

    s = command("index", "index article files or folders (default: seeds/)")
    s.add_argument("paths", nargs="*", help="article .txt files or folders (default: seeds/)")
    s.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems")
    s.add_argument("--prune", action="store_true",
                   help="also remove the articles indexed from these folders whose files are gone")
    s.add_argument("--workers", type=_count(1), default=1,
                   help="processes that extract and tokenise (default 1; 2 uses both cores of a 2-core machine)")
    s.set_defaults(func=cmd_index)

    s = command("ask", 'answer one question, e.g. citebot ask "/quote 纳德拉"')
    s.add_argument("text", nargs="+", help="what a user would type in Slack")
    s.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    s.add_argument("--compact", action="store_true", help="the JSON on one line (implies --json)")
    s.add_argument("--offset", type=_count(0), default=0, help="skip this many results: the next page (default 0)")
    s.set_defaults(func=cmd_ask)

    s = command("export", "everything extracted, as JSON Lines or CSV")
    s.add_argument("kind", choices=["quotes", "figures", "people"], help="what to export")
    s.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="jsonl (default) or csv")
    s.set_defaults(func=cmd_export)

    s = command("console", "type Slack commands, read the answers")
    s.add_argument("--history", help="history file (default: data/.console_history)")
    s.set_defaults(func=cmd_console)

    s = command("serve", "connect to Slack (Socket Mode if SLACK_APP_TOKEN, else HTTP)")
    s.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT or 3000)")
    s.add_argument("--host", default=None, help="HTTP host (default: $HOST or 0.0.0.0)")
    s.set_defaults(func=cmd_serve)

    s = command("digest", "digests: `digest run` posts what is due (for cron)")
    s.add_argument("action", choices=["run"], help="run: post the digests due now")
    s.add_argument("--at", help="the moment to run for, ISO-8601 (default: now)")
    s.set_defaults(func=cmd_digest)

    s = command("run", "index the seeds, then serve Slack or open the console")
    s.add_argument("--port", type=int, default=None, help="HTTP port when serving (default: $PORT or 3000)")
    s.add_argument("--host", default=None, help="HTTP host when serving (default: $HOST or 0.0.0.0)")
    s.set_defaults(func=cmd_run)
    p.set_defaults(commands=sub.choices)
    return p


def main(argv: list[str] | None = None) -> int:
    load_dotenv(Path.cwd() / ".env")
    args, extra = build_parser().parse_known_args(argv)
    if extra:  # an unknown flag: the command's own usage says what it takes, not the top-level one
        args.commands[args.cmd].error(f"unrecognized arguments: {' '.join(extra)}")
    args.db = getattr(args, "db", None)
    try:
        return args.func(args) or 0
    except FileNotFoundError as e:
        print(f"citebot: {e}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as e:  # --db names a file that is not a SQLite store, or a folder
        print(f"citebot: cannot use {dbmod.db_path(args.db)} as a store: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
