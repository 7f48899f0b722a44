"""A stand-in for Slack on loopback: it records what the app sends, and signs what it receives.

`Recorder` is a real http.server in a thread. It plays both the Web API (SLACK_API_URL points
at /api/) and the response_url endpoints (/response/…), records every call (path, headers,
body), and can be told to fail a path (429 with Retry-After, an API error) a number of times.
`AppServer` runs the real app behind the real server (waitress) on a free loopback port.
`signed_headers` signs a body the way Slack does (v0, HMAC-SHA256 over "v0:{ts}:{body}").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT_USER = "UBOT0001"
TEAM = "T0TEAM01"


class _Listener(ThreadingHTTPServer):
    """The fake Slack's HTTP server, with a listen backlog of 128 (http.server's is 5): with
    20 clients at once the bench's answers to response_url were now and then refused, and
    slack_sdk's ConnectionErrorRetryHandler posted again a second later, so one answer in a
    run took about 1 s (run W's /who p99 over HTTP, 1,077 ms: the fake's queue, not Citebot;
    docs/performance.md, thirteenth round)."""

    request_queue_size = 128


@dataclass
class Call:
    path: str  # without the query
    headers: dict[str, str]
    body: bytes
    at: float
    status: int = 200  # what the recorder answered: a scripted failure is not a delivery

    @property
    def method(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def data(self) -> dict:
        """The JSON body, or a form body as a dict (JSON values inside it decoded)."""
        text = self.body.decode("utf-8")
        if self.headers.get("content-type", "").startswith("application/json"):
            return json.loads(text) if text else {}
        out: dict = {}
        for k, v in urllib.parse.parse_qsl(text, keep_blank_values=True):
            try:
                out[k] = json.loads(v) if k in ("blocks", "attachments") else v
            except ValueError:
                out[k] = v
        return out


@dataclass
class Scripted:
    status: int
    body: dict | str
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


class Recorder:
    def __init__(self):
        self.calls: list[Call] = []
        self._cond = threading.Condition()
        self._script: dict[str, list[Scripted]] = {}
        self.oauth_installs: dict = {}
        self.user_tz = "Asia/Shanghai"  # what users.info says
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                recorder._answer(self, body)

            def do_GET(self):  # noqa: N802
                recorder._answer(self, b"")

            def log_message(self, *args):
                pass

        self.server = _Listener(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.api_url = self.url + "/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    # -- scripting --------------------------------------------------------------------------
    def fail(self, path: str, status: int = 429, body: dict | str | None = None,
             headers: dict[str, str] | None = None, times: int = 1) -> None:
        """The next `times` calls to `path` get this answer instead of the usual one."""
        if body is None:
            body = {"ok": False, "error": "ratelimited"} if status == 429 else "error"
        with self._cond:
            self._script.setdefault(path, []).append(Scripted(status, body, headers or {}, times))

    @staticmethod
    def ts_of(call: Call) -> str:
        """A message ts for a recorded post: the same every time it is asked for."""
        return f"{1_700_000_000 + call.at:.6f}"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    # -- reading ----------------------------------------------------------------------------
    def calls_to(self, path: str, where=None) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.path == path and (where is None or where(c))]

    def posts_to(self, channel: str) -> list[Call]:
        """chat.postMessage calls for one channel (tests use a channel each)."""
        return self.calls_to("/api/chat.postMessage", lambda c: c.data.get("channel") == channel)

    def delivered_to(self, channel: str) -> list[Call]:
        """Messages that reached the channel: posts Slack accepted, not the refused attempts."""
        return self.calls_to("/api/chat.postMessage", lambda c: c.data.get("channel") == channel and c.status == 200)

    def wait_for(self, path: str, count: int = 1, timeout: float = 10.0, where=None) -> list[Call]:
        """Block until `path` has had `count` calls (that `where` accepts); return them."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [c for c in self.calls if c.path == path and (where is None or where(c))]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({c.path for c in self.calls})
                    raise AssertionError(f"{path}: {len(got)} call(s) after {timeout}s, want {count}; saw {seen}")
                self._cond.wait(left)

    def wait_for_post(self, channel: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        return self.wait_for("/api/chat.postMessage", count, timeout, lambda c: c.data.get("channel") == channel)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- answering --------------------------------------------------------------------------
    def _answer(self, h: BaseHTTPRequestHandler, body: bytes) -> None:
        path = urllib.parse.urlsplit(h.path).path
        call = Call(path, {k.lower(): v for k, v in h.headers.items()}, body, time.monotonic())
        with self._cond:
            self.calls.append(call)
            scripted = None
            queue = self._script.get(path)
            if queue:
                scripted = queue[0]
                scripted.times -= 1
                if scripted.times <= 0:
                    queue.pop(0)
            self._cond.notify_all()
        if scripted:
            status, payload, headers = scripted.status, scripted.body, scripted.headers
            call.status = status if status != 200 else 299  # 299: HTTP 200 carrying ok=false
        else:
            status, payload, headers = 200, self._default(call), {}
        data = (json.dumps(payload) if isinstance(payload, dict) else payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json" if isinstance(payload, dict) else "text/plain")
        h.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _default(self, call: Call) -> dict | str:
        if call.path.startswith("/response/"):
            return "ok"
        method = call.method
        if method == "auth.test":
            token = call.headers.get("authorization", "").removeprefix("Bearer ")
            team = self.oauth_installs.get(token, TEAM)
            return {"ok": True, "url": "https://citebot-test.slack.com/", "team": "Test", "user": "citebot",
                    "team_id": team, "user_id": BOT_USER, "bot_id": "B0BOT001", "is_enterprise_install": False}
        if method == "chat.postMessage":
            d = call.data
            return {"ok": True, "channel": d.get("channel"), "ts": self.ts_of(call),
                    "message": {"text": d.get("text"), "user": BOT_USER}}
        if method == "conversations.history":
            # The channel's history is what was posted to it, newest first, metadata and all.
            channel = call.data.get("channel")
            with self._cond:
                posted = [c for c in self.calls if c.path == "/api/chat.postMessage" and c.status == 200
                          and c.data.get("channel") == channel]
            msgs = [{"type": "message", "ts": self.ts_of(c), "text": c.data.get("text"), "user": BOT_USER,
                     **({"metadata": c.data["metadata"]} if c.data.get("metadata") else {})} for c in posted]
            return {"ok": True, "messages": msgs[::-1], "has_more": False}
        if method == "users.info":
            return {"ok": True, "user": {"id": call.data.get("user"), "tz": self.user_tz}}
        if method == "oauth.v2.access":
            return {"ok": True, "app_id": "A0APP001", "authed_user": {"id": "U0INSTALL"},
                    "scope": "app_mentions:read,chat:write,commands,im:history", "token_type": "bot",
                    "access_token": "xoxb-installed-token", "bot_user_id": BOT_USER,
                    "team": {"id": "T0OAUTH1", "name": "Other"}, "enterprise": None,
                    "is_enterprise_install": False}
        return {"ok": True}


# -- Slack's side of a request ---------------------------------------------------------------
def signed_headers(body: bytes, secret: str, ts: int | None = None, content_type: str | None = None) -> dict:
    ts = int(time.time()) if ts is None else ts
    base = b"v0:" + str(ts).encode() + b":" + body
    sig = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sig,
            "Content-Type": content_type or "application/x-www-form-urlencoded"}


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return Reply(r.status, r.read(), {k.lower(): v for k, v in r.headers.items()}, time.monotonic() - start)
    except urllib.error.HTTPError as e:
        return Reply(e.code, e.read(), {k.lower(): v for k, v in e.headers.items()}, time.monotonic() - start)


class SlackSide:
    """Sends what Slack would send to the app at `base` (signed with `secret`)."""

    def __init__(self, base: str, secret: str, recorder: Recorder):
        self.base, self.secret, self.recorder = base, secret, recorder
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def post(self, body: bytes, content_type: str, extra: dict | None = None, ts: int | None = None,
             secret: str | None = None) -> Reply:
        headers = signed_headers(body, secret or self.secret, ts, content_type)
        headers.update(extra or {})
        return http("POST", self.base + "/slack/events", body, headers)

    def command(self, ask: str, name: str | None = None, team: str = TEAM, channel: str = "C0CHAN01",
                **kw) -> tuple[Reply, str]:
        """A slash command as typed (`/quote 纳德拉`); returns the reply and its response_url."""
        command, _, text = ask.partition(" ")
        url = self.recorder.response_url(name or f"cmd{self._next()}")
        form = {"token": "legacy-verification-token", "team_id": team, "team_domain": "test",
                "channel_id": channel, "channel_name": "general", "user_id": "U0ASKER1", "user_name": "asker",
                "command": command, "text": text, "api_app_id": "A0APP001", "is_enterprise_install": "false",
                "response_url": url, "trigger_id": "1.2.3"}
        body = urllib.parse.urlencode(form).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kw), url

    def event(self, event: dict, event_id: str | None = None, retry: int | None = None, team: str = TEAM,
              **kw) -> Reply:
        envelope = {"token": "legacy-verification-token", "team_id": team, "api_app_id": "A0APP001",
                    "event": event, "type": "event_callback", "event_id": event_id or f"Ev{self._next():08d}",
                    "event_time": int(time.time()),
                    "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}]}
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post(json.dumps(envelope).encode(), "application/json", extra, **kw)

    def mention(self, text: str, channel: str = "C0CHAN01", ts: str | None = None, **kw) -> tuple[Reply, dict]:
        ev = {"type": "app_mention", "user": "U0ASKER1", "text": f"<@{BOT_USER}> {text}",
              "ts": ts or f"{time.time():.6f}", "channel": channel, "event_ts": ts or f"{time.time():.6f}"}
        return self.event(ev, **kw), ev

    def direct_message(self, text: str, channel: str = "D0DIRECT", **kw) -> tuple[Reply, dict]:
        ts = f"{time.time():.6f}"
        ev = {"type": "message", "channel_type": "im", "user": "U0ASKER1", "text": text, "ts": ts,
              "channel": channel, "event_ts": ts}
        return self.event(ev, **kw), ev

    def click(self, action_id: str, value: str, response_url: str, ephemeral: bool = True,
              channel: str = "C0CHAN01", team: str = TEAM) -> Reply:
        payload = {"type": "block_actions", "user": {"id": "U0ASKER1", "username": "asker", "team_id": team},
                   "api_app_id": "A0APP001", "token": "legacy-verification-token",
                   "trigger_id": f"{self._next()}.{time.time():.6f}.trigger",  # Slack's: one per click
                   "team": {"id": team, "domain": "test"}, "channel": {"id": channel, "name": "general"},
                   "container": {"type": "message", "message_ts": "1.1", "channel_id": channel,
                                 "is_ephemeral": ephemeral},
                   "response_url": response_url,
                   "actions": [{"action_id": action_id, "block_id": "actions", "type": "button", "value": value,
                                "text": {"type": "plain_text", "text": "x"}, "action_ts": f"{time.time():.6f}"}]}
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")


class AppServer:
    """The real app behind the real server, on a free loopback port, in a thread."""

    def __init__(self, app, settings):
        from bot.slack.serve import http_server

        self.app = app
        self.server = http_server(app, settings, host="127.0.0.1", port=0)
        self.base = f"http://127.0.0.1:{self.server.effective_port}"
        self._thread = threading.Thread(target=self.server.run, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Close every socket from inside the server's loop, wait for the loop to end, then stop
        the worker threads: closing them from here while the loop sits in select() made its
        next select fail with EBADF (a warning at the end of a test, now and then)."""
        from waitress import wasyncore

        server = self.server
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError as e:  # seen about once in 85 runs of test_modes.py: say what state the server was in
            raise AssertionError(
                f"the server's wake-up pipe was closed before the server ({e}): closed by waitress"
                f" {server.trigger._closed}, loop running {self._thread.is_alive()}, {len(server._map)} sockets"
                f" open: {sorted(type(d).__name__ for d in server._map.values())}") from e
        self._thread.join(10)
        server.task_dispatcher.shutdown()
        assert not self._thread.is_alive(), "the server's loop did not stop"
