"""The Bolt app: one factory for Socket Mode and HTTP, one team or many.

`create_app(settings, store)` builds a slack_bolt App whose Web API client (and every
response_url client) retries on rate limits and server errors, whose listeners run on a
thread pool after the ack, and whose events are answered once however often Slack
delivers them. Requests are verified by Bolt (signature and five-minute window).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.oauth.oauth_flow import OAuthFlow
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore
from slack_sdk.signature import SignatureVerifier

from bot.slack.listeners import register_listeners
from bot.slack.service import HTTP_TIMEOUT, Citebot, error_message, log, retry_handlers, where
from bot.slack.settings import BOT_SCOPES, Settings
from store.search import Store


def _oauth_flow(settings: Settings) -> OAuthFlow:
    db = str(settings.state_db)
    settings.state_db.parent.mkdir(parents=True, exist_ok=True)
    oauth = OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=settings.redirect_uri,
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
        installation_store=SQLite3InstallationStore(database=db, client_id=settings.client_id, logger=log),
        state_store=SQLite3OAuthStateStore(database=db, expiration_seconds=600, logger=log),
    )
    client = WebClient(base_url=settings.api_url, timeout=HTTP_TIMEOUT, retry_handlers=retry_handlers())
    return OAuthFlow(client=client, settings=oauth, logger=log)


class _SameToken(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when a client is given;
    the client given here carries that very token, so the warning would only mislead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("citebot.slack.bolt")
BOLT_LOG.addFilter(_SameToken())


def create_app(settings: Settings, store: Store, *, token_verification: bool = True) -> App:
    """The Bolt app with Citebot's listeners; the same for Socket Mode and HTTP.

    token_verification: call auth.test now (fail fast on a wrong token); Bolt does it
    on the first request otherwise.
    """
    bot = Citebot(settings, store)
    client = WebClient(token=None if settings.oauth else settings.bot_token, base_url=settings.api_url,
                       timeout=HTTP_TIMEOUT, retry_handlers=retry_handlers())
    app = App(
        name="citebot",
        client=client,
        signing_secret=settings.signing_secret or "",
        oauth_flow=_oauth_flow(settings) if settings.oauth else None,
        process_before_response=False,  # ack at once; answer on the pool below
        listener_executor=ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="citebot-listener"),
        token_verification_enabled=token_verification,
        logger=BOLT_LOG,
    )
    app.citebot = bot  # for the server's health check and for tests

    @app.middleware
    def share_citebot(context, next):
        context["citebot"] = bot
        return next()

    @app.middleware
    def answer_each_event_once(body, req, next):
        """Slack delivers an event again when an ack was slow (X-Slack-Retry-Num) and, rarely,
        twice anyway: the first delivery of an event id wins, the others are acked and dropped."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if not event_id:
            return next()
        retry = (req.headers.get("x-slack-retry-num") or [None])[0]
        if not bot.first_delivery(f"event:{event_id}"):
            log.info("skipped a repeated delivery %s retry=%s", where(body), retry or 0)
            return BoltResponse(status=200, body="")
        if retry:
            log.info("handling retry %s of an event not seen before %s", retry, where(body))
        return next()

    verifier = SignatureVerifier(settings.signing_secret) if settings.signing_secret else None  # none: Socket Mode

    def from_slack(request: BoltRequest | None) -> bool:
        """Whether a request is Slack's: over Socket Mode, or signed with the signing secret.
        An error can come before Bolt has checked (a timestamp that is not a number made the
        check itself raise), and nothing in an unchecked body may be trusted."""
        if request is None:
            return False
        if request.mode == "socket_mode":
            return True
        if verifier is None:
            return False
        try:
            return verifier.is_valid(request.raw_body, request.headers.get("x-slack-request-timestamp", ["0"])[0],
                                     request.headers.get("x-slack-signature", [""])[0])
        except (ValueError, TypeError):
            return False

    @app.error
    def on_error(error, body, request, response):
        if not from_slack(request):  # not Slack's: refused as a bad signature is, and nothing sent anywhere
            log.warning("refused a request that is not signed as Slack signs them: %s", type(error).__name__)
            if response is not None:
                response.status, response.body = 401, ""
            return
        ids = where(body if isinstance(body, dict) else None)
        log.error("listener failed %s: %s", ids, type(error).__name__, exc_info=error)
        url = body.get("response_url") if isinstance(body, dict) else None
        if url:
            bot.respond(url, error_message(), ids)

    register_listeners(app)
    return app
