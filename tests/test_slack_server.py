"""The Slack endpoint under hostile clients, and what keeps the bot from answering twice or too often:
body and time limits on a real socket, retries of one event, a per-user rate limit, no link
previews, no server detail in what a Slack user reads, and the default bind."""

from __future__ import annotations

import json
import logging
import socket
import time
from typing import Any

import pytest
from typer.testing import CliRunner

from persona_agent.core.errors import BackendError
from tests.helpers import two_personas

pytest.importorskip("slack_bolt")
from persona_agent.slack.bot import FAILED  # noqa: E402
from persona_agent.slack.limits import RateLimiter, SeenEvents  # noqa: E402
from persona_agent.slack.server import EventServer, HttpLimits, bind_warning, is_loopback  # noqa: E402
from tests.slack_fakes import Bot, mention  # noqa: E402

LIMITS = HttpLimits(max_body_bytes=10_000, header_timeout=0.5, body_timeout=0.5)
REQUEST = "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"


@pytest.fixture(scope="module")
def world(sample_research, tmp_path_factory):
    store, _, _, settings = sample_research
    personas_dir = tmp_path_factory.mktemp("personas")
    two_personas(sample_research, personas_dir)
    return store, settings, personas_dir


@pytest.fixture
def bot(world, tmp_path):
    running = Bot(world, tmp_path, limits=LIMITS)
    yield running
    running.close()


def exchange(port: int, data: bytes, *, wait: float = 5.0) -> tuple[bytes, float]:
    """Send ``data`` and keep the connection open; read until the server closes it or ``wait`` passes.
    Returns what came back and how long the server took to close (``wait`` if it never did)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(data)
        started = time.monotonic()
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            return received, wait
        except ConnectionResetError:
            pass
        return received, time.monotonic() - started


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


# ------------------------------------------------------------------------------ bodies
def test_a_negative_content_length_is_refused_at_once(bot):
    response, seconds = exchange(bot.port, f"{REQUEST}Content-Length: -1\r\n\r\n{{}}".encode())
    assert status_of(response) == 400 and seconds < 2  # the old server read until the client gave up
    response, _ = exchange(bot.port, f"{REQUEST}Content-Length: 12abc\r\n\r\n{{}}".encode())
    assert status_of(response) == 400


def test_a_declared_or_streamed_body_over_the_limit_gets_413(bot):
    response, _ = exchange(bot.port, f"{REQUEST}Content-Length: 20000\r\n\r\n".encode())  # nothing sent yet
    assert status_of(response) == 413
    chunk = b"x" * 4000
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5)) + b"0\r\n\r\n"
    response, _ = exchange(bot.port, f"{REQUEST}Transfer-Encoding: chunked\r\n\r\n".encode() + chunked)
    assert status_of(response) == 413  # no Content-Length to trust: counted as it streams
    assert bot.model.calls == [] and bot.slack.posts() == []


def test_a_client_that_stalls_is_cut_off_within_the_timeout(bot):
    # headers, then 10 of the 100 body bytes promised, then nothing
    response, seconds = exchange(bot.port, f"{REQUEST}Content-Length: 100\r\n\r\n{{\"a\": 1,".encode())
    assert status_of(response) == 408 and seconds < 3
    # half a request line, then nothing
    response, seconds = exchange(bot.port, b"POST /slack/ev")
    assert response == b"" and seconds < 3
    # a kept-alive connection that starts a second request and stalls
    first = b"POST /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
    response, seconds = exchange(bot.port, first + b"POST /sla")
    assert status_of(response) == 404 and response.count(b"HTTP/1.1") == 1 and seconds < 3


def test_the_events_path_still_answers_after_a_refusal(bot):
    exchange(bot.port, f"{REQUEST}Content-Length: -1\r\n\r\n".encode())
    challenge = json.dumps({"token": "legacy", "challenge": "still-here", "type": "url_verification"})
    status, body = bot.post(challenge, "application/json")
    assert status == 200 and "still-here" in body


# ------------------------------------------------------------------------------ retries
def test_a_retry_of_a_handled_event_is_acknowledged_but_not_answered_again(bot):
    bot.model.queue("Too expensive.\nEvidence: none", "Fresh answer.\nEvidence: none")
    event = mention("<@UBOT> fred: what about shipping?")
    assert bot.event(event)[0] == 200
    for attempt in ("1", "2"):
        status, _ = bot.event(event, headers={"X-Slack-Retry-Num": attempt, "X-Slack-Retry-Reason": "http_timeout"})
        assert status == 200
    assert len(bot.model.calls) == 1 and len(bot.slack.posts()) == 1
    # a retry of an event this process never received (it was down) is answered, once
    missed = mention("<@UBOT> fred: anything else?", ts="1700000050.000100")
    bot.event(missed, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
    bot.event(missed, headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"})
    assert len(bot.model.calls) == 2 and "Fresh answer." in bot.slack.posts()[-1]["text"]


def test_seen_events_forget_after_the_window():
    now = [0.0]
    seen = SeenEvents(window=600, clock=lambda: now[0])
    assert seen.first_time("Ev1") and not seen.first_time("Ev1")
    now[0] = 601
    assert seen.first_time("Ev1")


# ------------------------------------------------------------------------------ rate limit
def test_a_user_over_the_rate_limit_is_told_once_and_the_model_is_not_called(world, tmp_path):
    bot = Bot(world, tmp_path, per_minute=2)
    try:
        bot.model.queue(*[f"Answer {n}.\nEvidence: none" for n in range(4)])
        for n in range(5):
            bot.event(mention(f"<@UBOT> fred: question {n}?", ts=f"17000001{n:02d}.000100"))
        assert len(bot.model.calls) == 2
        [told] = [args for method, args in bot.slack.calls if method == "chat.postEphemeral"]
        assert told["user"] == "UHUMAN" and "2 questions a minute" in told["text"]
        bot.event(mention("<@UBOT> fred: my turn?", ts="1700000200.000100", user="UOTHER"))
        assert len(bot.model.calls) == 3  # another user is not held back
        status, body = bot.command("fred: and now?")
        assert status == 200 and "2 questions a minute" in body and len(bot.model.calls) == 3
        bot.event(mention("<@UBOT> list", ts="1700000201.000100"))  # not a question: not limited
        assert "@frugal-fred" in bot.slack.posts()[-1]["text"]
    finally:
        bot.close()


def test_rate_limiter_refills_over_time():
    now = [0.0]
    limiter = RateLimiter(per_minute=6, clock=lambda: now[0])
    assert all(limiter.allow("U1") for _ in range(6)) and not limiter.allow("U1")
    assert limiter.first_refusal("U1") and not limiter.first_refusal("U1")
    assert limiter.wait("U1") == pytest.approx(10.0)
    now[0] = 10.0
    assert limiter.allow("U1") and not limiter.allow("U1")
    assert limiter.first_refusal("U1")  # a new refusal after an allowed question is told again


# ------------------------------------------------------------------------------ what is posted
def test_nothing_the_bot_posts_unfurls_links(bot):
    bot.model.queue("See https://example.com/deal\nEvidence: none", "A\nEvidence: none", "B\nEvidence: none",
                    "They agree.", "Via the command.\nEvidence: none")
    bot.event(mention("<@UBOT> fred: where do you shop?", ts="1700000300.000100"))
    bot.event(mention("<@UBOT> hello", ts="1700000301.000100"))  # the usage
    bot.event(mention("<@UBOT> all: fair price?", ts="1700000302.000100"))
    bot.command("fred what would win you back?")
    _, listed = bot.command("list")
    bot.command("fred: hi", channel="CLOCKED")  # answered through response_url
    posted = [args for method, args in bot.slack.calls if method in ("chat.postMessage", "respond")]
    assert len(posted) >= 7
    assert all(args.get("unfurl_links") is False and args.get("unfurl_media") is False for args in posted), posted
    assert json.loads(listed)["unfurl_links"] is False  # the ephemeral answer to /persona list


def test_errors_show_no_server_detail_and_are_logged(bot, world, caplog):
    _, _, personas_dir = world
    bot.model.queue(BackendError("local model", "cannot load /srv/private/models/tiny.gguf (bad magic)"))
    with caplog.at_level(logging.ERROR):
        bot.event(mention("<@UBOT> fred: hi", ts="1700000400.000100"))
        bot.event(mention("<@UBOT> bob: hi", ts="1700000401.000100"))
    failed, unknown = (args["text"] for args in bot.slack.posts())
    assert failed == FAILED
    assert unknown.startswith(":warning: no persona 'bob'") and str(personas_dir) not in unknown
    assert "/srv/private/models/tiny.gguf" in caplog.text


# ------------------------------------------------------------------------------ binding
def test_the_default_bind_is_loopback_and_others_are_warned_about(world, tmp_path, monkeypatch):
    import inspect

    assert inspect.signature(EventServer).parameters["host"].default == "127.0.0.1"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert bind_warning("127.0.0.1") is None and "0.0.0.0" in (bind_warning("0.0.0.0") or "")
    assert bind_warning("slack-bot.example.com") is not None

    from persona_agent.cli import app

    served: list[dict[str, Any]] = []
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.setattr("persona_agent.workflows.run.open_chat", lambda *a, **k: None)
    monkeypatch.setattr("persona_agent.slack.bot.build_app", lambda *a, **k: "app")
    monkeypatch.setattr("persona_agent.slack.bot.serve", lambda app, config, **options: served.append(options))
    runner = CliRunner()
    quiet = runner.invoke(app, ["slack"])
    loud = runner.invoke(app, ["slack", "--host", "0.0.0.0"])
    assert quiet.exit_code == 0 and loud.exit_code == 0, quiet.output + loud.output
    assert [options["host"] for options in served] == ["127.0.0.1", "0.0.0.0"]
    assert "warning" not in quiet.output and "warning: listening on 0.0.0.0" in loud.output


# ------------------------------------------------------------------------------ names from Slack
def test_slack_cannot_name_a_file_outside_the_personas(bot, world):
    from persona_agent.slack.bot import route

    assert route("<@UBOT> ../../outside/fred: hi", ["frugal-fred"]) is None  # not a name: the usage
    bot.event(mention("<@UBOT> Fred_X: hi", ts="1700000500.000100"))
    bot.event(mention("<@UBOT> ../outside/fred: hi", ts="1700000501.000100"))
    status, body = bot.command("Fred_X: hi")
    refused, usage = (args["text"] for args in bot.slack.posts())
    assert refused.startswith(":warning: persona 'fred_x' is not allowed") and "fred: what do you think" in usage
    assert status == 200 and "is not allowed" in body
    assert bot.model.calls == []
