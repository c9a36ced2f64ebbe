"""The Slack bot over real signed HTTP on 127.0.0.1, against a local fake of the Slack Web API:
thread replies, history per Slack thread, /persona, signature and replay checks, the CLI's settings."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.helpers import two_personas

pytest.importorskip("slack_bolt")
from persona_agent.slack.bot import SlackConfig, route  # noqa: E402
from tests.slack_fakes import Bot, mention  # noqa: E402


@pytest.fixture(scope="module")
def slack_world(sample_research, tmp_path_factory):
    """Two personas generated (with the fake model) over the sample research."""
    store, _, _, settings = sample_research
    personas_dir = tmp_path_factory.mktemp("personas")
    two_personas(sample_research, personas_dir)
    return store, settings, personas_dir


@pytest.fixture
def bot(slack_world, tmp_path):
    running = Bot(slack_world, tmp_path)
    yield running
    running.close()


# ------------------------------------------------------------------------------ routing (no HTTP)
def test_route_turns_slack_text_into_a_session_line():
    slugs = ["frugal-fred", "gourmet-greta"]
    assert route("<@UBOT> frugal-fred: what about shipping?", slugs) == "@frugal-fred what about shipping?"
    assert route("<@UBOT> fred: what about shipping?", slugs) == "@frugal-fred what about shipping?"
    assert route("fred what about shipping?", slugs) == "@frugal-fred what about shipping?"
    assert route("@greta, is 5 &lt; 7 &amp; fair?", slugs) == "@gourmet-greta is 5 < 7 & fair?"
    assert route("<@UBOT> all: is €14 fair?", slugs) == "@all is €14 fair?"
    assert route("<@UBOT> list", slugs) == "/personas"
    assert route("bob: hi", slugs) == "@bob hi"  # unknown persona: the session says which exist
    assert route("<@UBOT> hello there", slugs) is None  # names no persona: usage
    assert route("<@UBOT>", slugs) is None


# ------------------------------------------------------------------------------ over signed HTTP
def test_mention_is_answered_in_a_thread_with_evidence(bot):
    bot.model.queue("€7.90 shipping on a small order? No thanks.\nEvidence: none")
    status, _ = bot.event(mention("<@UBOT> frugal-fred: what do you think of our shipping?"))
    assert status == 200
    [posted] = bot.slack.posts()
    assert posted["channel"] == "C1" and posted["thread_ts"] == "1700000000.000100"
    assert "*@frugal-fred*: €7.90 shipping on a small order? No thanks." in posted["text"]
    assert "extrapolated" in posted["text"]
    assert bot.model.calls[0][-1].text == "what do you think of our shipping?"
    assert bot.slack.calls[0][0] == "auth.test"  # the token was verified at startup


def test_cited_evidence_ids_are_in_the_reply(bot):
    question = "what do you think of our shipping?"
    shown = bot.chat.evidence_for(bot.chat.library.get("frugal-fred"), question)
    cited = shown[0].evidence_id
    bot.model.queue(f"Shipping kills the deal for me.\nEvidence: {cited}")
    bot.event(mention(f"<@UBOT> fred: {question}"))
    assert bot.slack.posts()[0]["text"].endswith(f"_evidence: `{cited}`_")


def test_dm_routes_the_same_way_and_bot_messages_are_ignored(bot):
    bot.model.queue("Only when it's on sale.\nEvidence: none")
    dm = {"type": "message", "channel_type": "im", "channel": "D1", "user": "UHUMAN",
          "ts": "1700000001.000100", "text": "fred: would you buy a subscription?"}
    assert bot.event(dm)[0] == 200
    own = {**dm, "ts": "1700000002.000100", "user": "UBOT", "bot_id": "BBOT", "text": "fred: loop?"}
    other_bot = {**dm, "ts": "1700000003.000100", "bot_id": "BOTHER", "subtype": "bot_message"}
    edited = {**dm, "ts": "1700000004.000100", "subtype": "message_changed"}
    channel_chatter = {**dm, "ts": "1700000005.000100", "channel_type": "channel", "channel": "C1"}
    for event in (own, other_bot, edited, channel_chatter):
        assert bot.event(event)[0] == 200
    [posted] = bot.slack.posts()
    assert posted["channel"] == "D1" and posted["thread_ts"] == "1700000001.000100"
    assert "Only when it's on sale." in posted["text"]
    assert len(bot.model.calls) == 1


def test_a_reply_in_a_thread_keeps_the_thread_and_its_history(bot):
    bot.model.queue("Shipping is too expensive.\nEvidence: none", "As I said, the shipping.\nEvidence: none",
                    "Fresh thread, fresh start.\nEvidence: none")
    bot.event(mention("<@UBOT> fred: what would you change?", ts="1700000010.000100"))
    bot.event(mention("<@UBOT> fred: anything else?", ts="1700000011.000100", thread_ts="1700000010.000100"))
    bot.event(mention("<@UBOT> fred: who are you?", ts="1700000012.000100"))  # a new thread
    first, second, third = bot.slack.posts()
    assert first["thread_ts"] == second["thread_ts"] == "1700000010.000100"
    assert third["thread_ts"] == "1700000012.000100"
    shown = [m.text for m in bot.model.calls[1]]
    # the thread's earlier turn went to the model as history; another thread's did not
    assert "what would you change?" in shown and "Shipping is too expensive." in shown
    assert not any("what would you change?" in m.text for m in bot.model.calls[2])


def test_all_runs_a_focus_group_in_the_thread(bot):
    bot.model.queue("Too pricey.\nEvidence: none", "Worth it.\nEvidence: none",
                    "Disagree: @frugal-fred finds it too pricey, @gourmet-greta worth it.")
    bot.event(mention("<@UBOT> all: is €14 per bag fair?"))
    texts = [p["text"] for p in bot.slack.posts()]
    assert texts[0].startswith("*@frugal-fred*") and texts[1].startswith("*@gourmet-greta*")
    assert texts[2] == "*focus group synthesis*: Disagree: @frugal-fred finds it too pricey, @gourmet-greta worth it."
    assert {p["thread_ts"] for p in bot.slack.posts()} == {"1700000000.000100"}


def test_model_output_cannot_ping_the_channel(bot):
    bot.model.queue("<!channel> everyone, buy now & save\nEvidence: none")
    bot.event(mention("<@UBOT> fred: shout it"))
    assert "&lt;!channel&gt; everyone, buy now &amp; save" in bot.slack.posts()[0]["text"]


def test_unclear_message_gets_the_usage_and_unknown_persona_an_error(bot):
    bot.event(mention("<@UBOT> hello", ts="1700000020.000100"))
    bot.event(mention("<@UBOT> bob: hi", ts="1700000021.000100"))
    usage, unknown = (p["text"] for p in bot.slack.posts())
    assert "fred: what do you think" in usage
    assert unknown.startswith(":warning: no persona 'bob'") and "frugal-fred" in unknown
    assert bot.model.calls == []


def test_persona_command_lists_and_answers_in_a_thread(bot):
    status, body = bot.command("list")
    assert status == 200 and "@frugal-fred" in body and "Gourmet Greta" in body  # plain text: ephemeral
    assert bot.slack.posts() == []  # the list goes to the asker only
    bot.model.queue("Free shipping over €30 would win me.\nEvidence: none")
    status, _ = bot.command("fred what would win you back?")
    assert status == 200
    opener, answer = bot.slack.posts()
    assert opener["channel"] == "C1" and "thread_ts" not in opener
    assert opener["text"] == "<@UHUMAN> asked *@frugal-fred*: what would win you back?"
    assert answer["thread_ts"] == "1800000000.000001"  # the ts fake Slack gave the opener
    assert "Free shipping over €30" in answer["text"]
    # a mention inside that thread continues the same conversation
    bot.model.queue("Still shipping.\nEvidence: none")
    bot.event(mention("<@UBOT> fred: and now?", ts="1800000000.000099", thread_ts="1800000000.000001"))
    assert "Free shipping over €30 would win me." in [m.text for m in bot.model.calls[1]]


def test_persona_command_for_an_unknown_persona_or_a_closed_channel(bot):
    status, body = bot.command("bob: hi")
    assert status == 200 and "no persona 'bob'" in body
    status, _ = bot.command("fred: hi", channel="CLOCKED")  # the bot was never invited there
    responded = [args for method, args in bot.slack.calls if method == "respond"]
    assert status == 200 and "invite me" in responded[0]["text"]
    assert bot.model.calls == []


def test_bad_signature_is_rejected_with_401(bot):
    bot.model.queue("never said\nEvidence: none")
    status, _ = bot.event(mention("<@UBOT> fred: hi"), secret="not-the-secret")
    assert status == 401
    status, _ = bot.event(mention("<@UBOT> fred: hi"), signature="v0=" + "0" * 64)
    assert status == 401
    assert bot.slack.posts() == [] and bot.model.calls == []


def test_stale_timestamp_is_rejected_even_with_a_valid_signature(bot):
    status, _ = bot.event(mention("<@UBOT> fred: hi"), timestamp=int(time.time()) - 600)
    assert status == 401
    assert bot.slack.posts() == []


def test_url_verification_and_other_paths(bot):
    challenge = json.dumps({"token": "legacy", "challenge": "abc123", "type": "url_verification"})
    status, body = bot.post(challenge, "application/json")
    assert status == 200 and "abc123" in body
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(bot.url.replace("/slack/events", "/other"), data=b"{}", timeout=5)
    assert error.value.code == 404
    oversized = urllib.request.Request(bot.url, data=b"{}", headers={"Content-Length": "2000000"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(oversized, timeout=5)  # refused before reading the body
    assert error.value.code == 413


def test_default_mode_acknowledges_first_and_answers_in_the_background(slack_world, tmp_path):
    bot = Bot(slack_world, tmp_path, process_before_response=False)
    try:
        bot.model.latency = 1.0
        bot.model.queue("Later, but here.\nEvidence: none")
        started = time.perf_counter()
        assert bot.event(mention("<@UBOT> fred: slow question?"))[0] == 200
        assert time.perf_counter() - started < 1.0  # Slack got its ack before the model answered
        [posted] = bot.slack.wait_for_posts(1)
        assert posted["thread_ts"] == "1700000000.000100" and "Later, but here." in posted["text"]
    finally:
        bot.close()


def test_a_crash_is_reported_in_the_thread(slack_world, tmp_path):
    bot = Bot(slack_world, tmp_path, process_before_response=False)
    try:
        bot.model.queue(RuntimeError("model exploded"))
        bot.event(mention("<@UBOT> fred: hi"))
        [posted] = bot.slack.wait_for_posts(1)
        assert posted["thread_ts"] == "1700000000.000100" and "Sorry, that failed" in posted["text"]
    finally:
        bot.close()


# ------------------------------------------------------------------------------ settings and the CLI
def test_mode_follows_the_app_token():
    http = SlackConfig.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    socket = SlackConfig.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert http.mode == "http" and socket.mode == "socket" and socket.signing_secret is None


@pytest.mark.parametrize("environ, variable", [
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxp-user", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
])
def test_cli_names_the_missing_setting_in_one_line(monkeypatch, environ, variable):
    from persona_agent.cli import app

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["slack"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {variable}:")


def test_cli_import_does_not_import_slack_bolt():
    code = ("import sys, persona_agent.cli; "
            "print(any(m in sys.modules for m in ('slack_bolt', 'slack_sdk', 'uvicorn', 'starlette')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "False", result.stderr
