"""Fixtures: the seeds indexed once (tests/conftest.py), a recording stand-in for Slack, and
the real app served by waitress on a loopback port."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.slack.harness import AppServer, Recorder, SlackSide

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-test-bot-token-0123456789"


def make_settings(recorder: Recorder, state_dir: Path, **kw):
    from bot.slack.settings import Settings

    values = dict(bot_token=BOT_TOKEN, signing_secret=SECRET, api_url=recorder.api_url,
                  state_db=state_dir / "slack.db", host="127.0.0.1", port=0, workers=8, http_threads=8)
    values.update(kw)
    return Settings(**values)


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((ROOT / "tests" / "gold.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def sources() -> dict:
    with (ROOT / "seeds" / "sources.toml").open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="session")
def store(seeded_db):
    from store.search import Store

    return Store.open(seeded_db)


@pytest.fixture(scope="session")
def recorder():
    r = Recorder()
    yield r
    r.close()


@pytest.fixture(scope="session")
def served(seeded_db, recorder, tmp_path_factory):
    """The single-workspace app over HTTP, shared by the tests (each uses its own channel or
    response_url, so they do not see each other's calls)."""
    from bot.slack.app import create_app
    from store.search import Store

    settings = make_settings(recorder, tmp_path_factory.mktemp("slack"))
    app = create_app(settings, Store.open(seeded_db))
    server = AppServer(app, settings)
    yield server
    server.close()


@pytest.fixture(scope="session")
def slack(served, recorder) -> SlackSide:
    return SlackSide(served.base, SECRET, recorder)
