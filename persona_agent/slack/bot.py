"""The Slack Bolt adapter over the chat core: mentions, DMs and ``/persona`` go to `ChatSession`.

``@persona-bot fred: what do you think?`` (or ``fred what …``, ``@fred …``, ``all: …``) becomes
``ChatSession.handle("@frugal-fred what do you think?")``, and the answer is posted in the thread of
the asking message. Each Slack thread is its own chat thread, so a persona remembers what was said
earlier in that thread, across restarts.

Two ways to receive events, chosen by `SlackConfig.mode`: Socket Mode when ``SLACK_APP_TOKEN`` is set
(no public URL needed), otherwise HTTP (`persona_agent.slack.server`: uvicorn with body and time
limits, 127.0.0.1 by default), where Bolt's `RequestVerification` middleware checks every request's
``X-Slack-Signature`` and rejects timestamps more than five minutes off with 401.
slack_bolt is imported inside functions only: it is an optional extra and `persona --help` stays fast.

In both modes an event id is handled once (Slack retries an event it thinks we missed, marked with
``X-Slack-Retry-Num``), each user may ask `RATE_PER_MINUTE` questions a minute, nothing the bot posts
unfurls links, and an error shows the user its message only when it is about their request (a
`RequestError`): anything else is logged and the user reads "that failed".

The Slack app needs the bot scopes ``app_mentions:read``, ``chat:write``, ``im:history`` and
``commands``, the events ``app_mention`` and ``message.im``, and a ``/persona`` slash command; in HTTP
mode the Request URL of all three is ``https://<your host>/slack/events``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from persona_agent.core.errors import BackendError, ConfigError, PersonaError, RequestError
from persona_agent.core.privacy import Redactor, outbound
from persona_agent.slack.limits import RateLimiter, SeenEvents

if TYPE_CHECKING:
    from slack_bolt import App

    from persona_agent.slack.server import HttpLimits
    from persona_agent.talk.conversation import ChatSession, Reply

SessionFactory = Callable[[str, str], "ChatSession"]  # (Slack channel id, thread ts) -> session

RATE_PER_MINUTE = 6  # questions per Slack user per minute (a focus group counts as one)
NO_UNFURL = {"unfurl_links": False, "unfurl_media": False}  # a model-written link never previews
FAILED = ":warning: Sorry, that failed. The details are in the bot's log."
USAGE = ("Ask a persona: `fred: what do you think of our shipping?` — or `all: …` for a focus group, "
         "`list` for the personas. Mention me in a channel, DM me, or use `/persona`.")
_USER_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_ADDRESSED = re.compile(r"^@?([\w-]+)\s*[:,]\s*(.*)$", re.DOTALL)  # "fred: question", "@fred, question"
_LEADING_WORD = re.compile(r"^@?([\w-]+)\s+(.*)$", re.DOTALL)  # "fred question" (fred must be known)
_LIST_WORDS = {"list", "personas", "who"}
_HELP_WORDS = {"", "help", "?"}

log = logging.getLogger(__name__)


def require_bolt() -> None:
    try:
        import slack_bolt  # noqa: F401
    except ImportError:
        raise PersonaError("slack-bolt is not installed", 'pip install -e ".[slack]"') from None


# ------------------------------------------------------------------------------------------ settings
@dataclass(frozen=True)
class SlackConfig:
    """The Slack credentials, from the environment. The app token switches on Socket Mode."""

    bot_token: str
    signing_secret: str | None
    app_token: str | None

    @property
    def mode(self) -> Literal["socket", "http"]:
        return "socket" if self.app_token else "http"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SlackConfig:
        def value(name: str) -> str | None:
            return (environ.get(name) or "").strip() or None

        bot_token, app_token = value("SLACK_BOT_TOKEN"), value("SLACK_APP_TOKEN")
        secret = value("SLACK_SIGNING_SECRET")
        where = "the Slack app's OAuth & Permissions page"
        if bot_token is None:
            raise ConfigError("SLACK_BOT_TOKEN", "not set",
                              f"export the Bot User OAuth Token (xoxb-…) from {where}")
        if not bot_token.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN", "is not a bot token (xoxb-…)",
                              f"copy the Bot User OAuth Token from {where}")
        if app_token is not None and not app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN", "is not an app-level token (xapp-…)",
                              "create one with the connections:write scope under Basic Information")
        if app_token is None and secret is None:
            raise ConfigError("SLACK_SIGNING_SECRET", "not set (needed to verify Slack's HTTP requests)",
                              "export it from Basic Information → App Credentials, "
                              "or set SLACK_APP_TOKEN to use Socket Mode")
        return cls(bot_token=bot_token, signing_secret=secret, app_token=app_token)


def sessions_over(base: ChatSession) -> SessionFactory:
    """Sessions that share ``base``'s chat core (model, store, personas) — one per Slack thread.

    Generation commands stay in the terminal: a Slack session has no generator."""

    def session(channel: str, thread: str) -> ChatSession:
        return dataclasses.replace(base, channel=f"slack-{channel}", thread=thread, generator_factory=None,
                                   on_token=None)

    return session


# ------------------------------------------------------------------------------------------ text
def resolve_slug(name: str, slugs: Sequence[str]) -> str | None:
    """``fred`` → ``frugal-fred`` when exactly one persona has that name part; ``all`` stays ``all``."""
    name = name.casefold()
    if name in ("all", "everyone") or name in slugs:
        return "all" if name == "everyone" else name
    for matches in ([s for s in slugs if name in s.split("-")], [s for s in slugs if s.startswith(name)]):
        if len(matches) == 1:
            return matches[0]
    return None


def route(text: str, slugs: Sequence[str]) -> str | None:
    """The `ChatSession` line for a Slack message (bot mention already in it or not); None = show usage."""
    text = _USER_MENTION.sub("", text).strip()
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")  # Slack's escaping
    if text.casefold() in _HELP_WORDS:
        return None
    if text.casefold() in _LIST_WORDS:
        return "/personas"
    addressed = _ADDRESSED.match(text)
    if addressed:
        name, question = addressed.groups()
        slug = resolve_slug(name, slugs) or name.casefold()  # unknown: the session names the known ones
    else:
        leading = _LEADING_WORD.match(text)
        slug = resolve_slug(leading.group(1), slugs) if leading else None
        if leading is None or slug is None:
            return None
        question = leading.group(2)
    question = question.strip()
    return f"@{slug} {question}" if question else None


def escape(text: str) -> str:
    """Slack's three control characters; stops model output from pinging ``<!channel>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(reply: Reply, redactor: Redactor | None = None) -> str:
    """The reply as Slack mrkdwn, personal data redacted (Slack is a third party: always, see
    `privacy.outbound`). ``redactor`` may allow the personas' invented names."""
    redact = redactor or outbound(None, "slack") or (lambda text: text)
    text = escape(redact(reply.text))
    if reply.kind == "answer" and reply.answer is not None:
        if reply.answer.grounding == "cited":
            grounding = "_evidence: " + ", ".join(f"`{escape(i)}`" for i in reply.answer.evidence) + "_"
        else:
            grounding = f"_extrapolated: {escape(reply.answer.footing)}_"
        return f"*@{reply.speaker}*: {text}\n{grounding}"
    if reply.kind == "synthesis":
        return f"*focus group synthesis*: {text}"
    if reply.kind == "error":
        if isinstance(reply.error, RequestError):  # about the question asked: no server detail in it
            return f":warning: {text}"
        log.error("persona bot: %s", reply.text)
        return FAILED
    if "\n" in reply.text:
        return f"```\n{text}\n```"
    return text


def persona_redactor(session: ChatSession) -> Redactor:
    """Slack's redactor, allowing the names of this session's personas (invented, not personal)."""
    base = outbound(None, "slack") or Redactor()
    names: list[str] = []
    for slug in session.chat.library.slugs():
        try:
            names.append(session.chat.library.get(slug).name)
        except (PersonaError, ValueError):  # a broken persona file: its name is simply not allowed
            continue
    return base.allowing(names)


# ------------------------------------------------------------------------------------------ the app
class _Router:
    """Turns a Slack message into replies. One lock per Slack thread keeps a thread's turns in order,
    so each answer sees the previous one as history."""

    def __init__(self, session_factory: SessionFactory, limiter: RateLimiter) -> None:
        self.session_factory = session_factory
        self.limiter = limiter
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def answer_in_thread(self, say: Any, client: Any, event: dict[str, Any]) -> None:
        channel, user = event["channel"], event.get("user", "")
        thread_ts = event.get("thread_ts") or event["ts"]
        session = self.session_factory(channel, thread_ts)
        line = route(event.get("text", ""), session.chat.library.slugs())
        if line is None:
            say(text=USAGE, thread_ts=thread_ts, **NO_UNFURL)
            return
        if line.startswith("@") and not self.limiter.allow(user):
            if self.limiter.first_refusal(user):  # told once, in a message only the asker sees
                client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                          text=self.slow_down(user))
            return
        self.post_replies(say, session, channel, thread_ts, line)

    def slow_down(self, user: str) -> str:
        return (f"You're asking faster than I can think: {self.limiter.per_minute} questions a minute. "
                f"Ask again in {max(1, round(self.limiter.wait(user)))} s.")

    def post_replies(self, say: Any, session: ChatSession, channel: str, thread_ts: str, line: str) -> None:
        with self._guard:
            lock = self._locks.setdefault((channel, thread_ts), threading.Lock())
        with lock:
            replies = session.handle(line)
        redactor = persona_redactor(session)
        for reply in replies:
            say(text=slack_text(reply, redactor), thread_ts=thread_ts, **NO_UNFURL)


def build_app(session_factory: SessionFactory, *, bot_token: str, signing_secret: str | None,
              client: Any = None, process_before_response: bool = False,
              token_verification_enabled: bool = True, per_minute: int = RATE_PER_MINUTE,
              seen: SeenEvents | None = None, limiter: RateLimiter | None = None) -> App:
    """A Bolt app answering app mentions, DMs and ``/persona`` from ``session_factory``'s sessions.

    Request signature verification is Bolt's default and stays on. ``process_before_response``
    False (the default) acknowledges Slack at once and answers in the background: a model answer
    takes longer than the 3 s Slack waits for the acknowledgement. ``client`` is a `WebClient`
    (tests point one at a fake Web API); ``seen`` and ``limiter`` take a test clock."""
    require_bolt()
    from slack_bolt import App, BoltResponse
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    router = _Router(session_factory, limiter or RateLimiter(per_minute))
    seen = seen or SeenEvents()
    try:
        app = App(signing_secret=signing_secret or "", token=None if client is not None else bot_token,
                  client=client, process_before_response=process_before_response,
                  token_verification_enabled=token_verification_enabled, name="persona-agent")
    except BoltError:  # auth.test refused the token
        raise ConfigError("SLACK_BOT_TOKEN", "Slack refused it (auth.test failed)",
                          "copy the token again, or reinstall the app to the workspace") from None
    except OSError as exc:  # URLError: no route to slack.com
        raise BackendError("Slack", f"cannot reach the Web API ({exc})", "check the network") from None

    @app.use
    def once_per_event(body: dict[str, Any], request: Any, next: Callable[[], Any], logger: logging.Logger) -> Any:
        """Runs after the signature check. A repeated event id (a Slack retry of an event we have)
        is acknowledged without handling it again, and told not to retry further; a retry of an event
        this process never saw (it was down) is handled once."""
        event_id = body.get("event_id")
        retry = (request.headers.get("x-slack-retry-num") or [None])[0]
        if event_id and not seen.first_time(str(event_id)):
            reason = (request.headers.get("x-slack-retry-reason") or ["?"])[0]
            logger.info("Slack retry %s of %s (%s): already handled", retry, event_id, reason)
            return BoltResponse(status=200, body="", headers={"X-Slack-No-Retry": "1"})
        if retry is not None:
            logger.info("Slack retry %s of %s, which this process had not received: handling it", retry, event_id)
        return next()

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], say: Any, client: Any) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return
        router.answer_in_thread(say, client, event)

    @app.event("message")
    def on_message(event: dict[str, Any], say: Any, client: Any) -> None:
        # channel messages that mention the bot arrive as app_mention too: answer DMs only here
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
            return
        router.answer_in_thread(say, client, event)

    @app.command("/persona")
    def on_command(ack: Any, command: dict[str, Any], say: Any, respond: Any) -> None:
        channel = command["channel_id"]
        session = session_factory(channel, "_commands")
        line = route(command.get("text", ""), session.chat.library.slugs())
        slug, _, question = line.partition(" ") if line else ("", "", "")
        if line is None or slug.lstrip("@") not in [*session.chat.library.slugs(), "all"]:
            # the usage, the list, an unknown persona: answered to the asker only
            ack(text=USAGE if line is None else slack_text(session.handle(line)[0], persona_redactor(session)),
                **NO_UNFURL)
            return
        user = command.get("user_id", "")
        if not router.limiter.allow(user):
            ack(text=router.slow_down(user), **NO_UNFURL)
            return
        ack()
        # a visible opener gives the answer a thread; mentions in that thread continue the conversation
        try:
            opener = say(text=f"<@{user}> asked *{slug}*: {escape(persona_redactor(session)(question))}",
                         **NO_UNFURL)
        except SlackApiError as exc:  # typically not_in_channel: the bot was never invited
            respond(text=f":warning: I can't post here ({exc.response.get('error')}): "
                         "invite me with `/invite @persona-bot`, or DM me.", **NO_UNFURL)
            return
        router.post_replies(say, session_factory(channel, opener["ts"]), channel, opener["ts"], line)

    @app.error
    def on_error(error: Exception, body: dict[str, Any], client: Any, logger: logging.Logger) -> None:
        logger.error("persona bot: %s", error, exc_info=error)
        event = body.get("event") or {}
        if event.get("channel") and event.get("ts"):
            client.chat_postMessage(channel=event["channel"], thread_ts=event.get("thread_ts") or event["ts"],
                                    text=FAILED, **NO_UNFURL)

    return app


# ------------------------------------------------------------------------------------------ serving
def serve(app: App, config: SlackConfig, *, host: str = "127.0.0.1", port: int = 3000,
          limits: HttpLimits | None = None, on_ready: Callable[[str], None] | None = None) -> None:
    """Run until interrupted: Socket Mode when there is an app token, HTTP (`EventServer`) otherwise."""
    if config.mode == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(app, config.app_token)
        handler.connect()
        if on_ready:
            on_ready("connected to Slack over Socket Mode")
        try:
            threading.Event().wait()  # the handler's threads do the work until Ctrl-C
        finally:
            handler.close()
        return
    from persona_agent.slack.server import EVENTS_PATH, EventServer, HttpLimits

    server = EventServer(app, host, port, limits or HttpLimits())
    if on_ready:
        on_ready(f"listening for Slack events on http://{host}:{server.port}{EVENTS_PATH} "
                 "(HTTP mode, signed requests only)")
    server.run()
