"""Slack settings, read from the environment (and `.env`, which `citebot` loads first).

One workspace: SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET (+ SLACK_APP_TOKEN for Socket Mode).
Many workspaces: SLACK_CLIENT_ID + SLACK_CLIENT_SECRET + SLACK_SIGNING_SECRET, installs kept
in SQLite. Secrets never appear in repr() or in logs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_HOST = "0.0.0.0"
DEFAULT_STATE_DB = Path("data") / "slack.db"

# The bot scopes the listeners need, and no more; manifest.json declares the same (tested).
BOT_SCOPES = ("app_mentions:read", "chat:write", "commands", "im:history",
              # digests: the subscriber's time zone, and the channel's history to find a digest
              # that went out just before a crash
              "users:read", "channels:history", "groups:history")


class SettingsError(ValueError):
    """The environment does not describe a way to connect to Slack."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    api_url: str = SLACK_API_URL
    state_db: Path = DEFAULT_STATE_DB  # OAuth installs, OAuth state, delivered event ids
    redirect_uri: str | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 8  # threads that answer after the ack
    http_threads: int = 8  # server threads that read requests and ack
    event_ttl: float = 3600.0  # how long a delivered event id is remembered
    digest_interval: float = 30.0  # seconds between the scheduler's looks at what is due

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            v = (env.get(name) or "").strip()
            return v or None

        def num(name: str, default: int, least: int = 0) -> int:
            v = get(name)
            try:
                n = int(v) if v else default
            except ValueError as e:
                raise SettingsError(f"{name} must be a whole number, not {v!r}.") from e
            if n < least:
                raise SettingsError(f"{name} must be at least {least}, not {n}.")
            return n

        api_url = get("SLACK_API_URL") or SLACK_API_URL
        if not api_url.endswith("/"):
            api_url += "/"
        values = dict(
            bot_token=get("SLACK_BOT_TOKEN"), signing_secret=get("SLACK_SIGNING_SECRET"),
            app_token=get("SLACK_APP_TOKEN"), client_id=get("SLACK_CLIENT_ID"),
            client_secret=get("SLACK_CLIENT_SECRET"), api_url=api_url,
            state_db=Path(get("SLACK_STATE_DB") or DEFAULT_STATE_DB), redirect_uri=get("SLACK_REDIRECT_URI"),
            host=get("HOST") or DEFAULT_HOST, port=num("PORT", DEFAULT_PORT),
            workers=num("SLACK_WORKERS", 8, least=1), http_threads=num("SLACK_HTTP_THREADS", 8, least=1),
            digest_interval=float(num("DIGEST_INTERVAL_SECONDS", 30, least=1)),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def oauth(self) -> bool:
        """Many workspaces: installs through /slack/install, tokens from the installation store."""
        return bool(self.client_id and self.client_secret) and not self.bot_token

    def check(self) -> None:
        """Raise SettingsError naming what is missing for the chosen mode."""
        if self.socket_mode:
            if not self.bot_token:
                raise SettingsError("Socket Mode (SLACK_APP_TOKEN is set) needs SLACK_BOT_TOKEN too.")
            if not self.app_token.startswith("xapp-"):
                raise SettingsError("SLACK_APP_TOKEN should be an app-level token (xapp-…), with connections:write.")
            return
        if not self.bot_token and bool(self.client_id) != bool(self.client_secret):  # half of OAuth's pair
            given, lacking = (("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET") if self.client_id
                              else ("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID"))
            raise SettingsError(f"{given} is set without {lacking}: installing into many workspaces needs both"
                                " (Basic Information → App Credentials), and SLACK_SIGNING_SECRET.")
        if not (self.signing_secret or self.bot_token or self.oauth):
            raise SettingsError("No Slack settings: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode, no public"
                                " URL) or with SLACK_SIGNING_SECRET (HTTP), in .env or the environment.")
        if not self.signing_secret:
            raise SettingsError("HTTP mode needs SLACK_SIGNING_SECRET (Basic Information → App Credentials).")
        if not self.bot_token and not self.oauth:
            raise SettingsError("Set SLACK_BOT_TOKEN for one workspace, or SLACK_CLIENT_ID and "
                                "SLACK_CLIENT_SECRET to install into many.")

    def describe(self) -> str:
        """The mode in words, for the start-up log line (no secrets)."""
        if self.socket_mode:
            return "Socket Mode, one workspace"
        who = f"OAuth, many workspaces (client {self.client_id})" if self.oauth else "one workspace"
        return f"HTTP on {self.host}:{self.port}, {who}"
