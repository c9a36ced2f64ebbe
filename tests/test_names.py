"""Names typed by a user never leave the folder they name a file in: persona slugs (CLI ask, every
chat /command, Slack), thread and channel names, export names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import persona_agent.engine.embeddings
import persona_agent.engine.llm
from persona_agent.cli import app
from persona_agent.core.errors import InvalidNameError, RequestError
from persona_agent.core.names import file_stem, persona_slug
from persona_agent.personas.generate import Generator
from persona_agent.talk.chat import PersonaChat, PersonaLibrary
from persona_agent.talk.conversation import ChatSession
from persona_agent.talk.threads import Thread
from persona_agent.testing import QueuedChatModel
from tests.helpers import two_personas

runner = CliRunner(env={"COLUMNS": "200"})
TRAVERSALS = ["../outside/fred", "../../etc/passwd", "/etc/passwd", "fred/../../outside/fred", "fred.json",
              "..", "fred\x00", "Fred_X"]


@pytest.fixture(scope="module")
def world(sample_research, tmp_path_factory):
    """Two personas, and outside their folder a valid persona file that must stay unreachable."""
    store, _, _, settings = sample_research
    root = tmp_path_factory.mktemp("names")
    personas_dir = root / "personas"
    personas_dir.mkdir()
    two_personas(sample_research, personas_dir)
    (root / "outside").mkdir()
    shutil.copyfile(personas_dir / "frugal-fred.json", root / "outside" / "fred.json")
    return store, settings, personas_dir


def session_for(world, tmp_path: Path, model: QueuedChatModel | None = None) -> ChatSession:
    store, settings, personas_dir = world
    fake = model or QueuedChatModel()
    chat = PersonaChat(llm=fake, store=store, library=PersonaLibrary(personas_dir),
                       analysis_dir=settings.analysis_dir, check_support=False)

    def generator() -> Generator:
        return Generator(llm=fake, store=store, out_dir=personas_dir, model_name="fake", max_rounds=1)

    return ChatSession(chat=chat, chat_dir=tmp_path / "chat", generator_factory=generator,
                       exports_dir=tmp_path / "exports")


# ------------------------------------------------------------------------------ the validators
def test_persona_slugs():
    assert persona_slug("@Frugal-Fred") == "frugal-fred" and persona_slug("s2") == "s2"
    for bad in [*TRAVERSALS, "", "-fred", "fred-", "fred--x", "x" * 65]:
        with pytest.raises(InvalidNameError) as error:
            persona_slug(bad)
        assert "\n" not in error.value.one_line() and "frugal-fred" in (error.value.hint or "")


def test_file_stems():
    assert file_stem("Q3 pricing/ideas", "thread name") == "Q3_pricing_ideas"
    assert file_stem("1700000000.000100", "thread name") == "1700000000.000100"
    for bad in ["..", ".", "../../x", ".hidden", "", "   ", "x" * 101]:
        with pytest.raises(InvalidNameError, match="thread name"):
            file_stem(bad, "thread name")


def test_a_library_never_builds_a_path_from_a_bad_slug(world, monkeypatch):
    _, _, personas_dir = world
    library = PersonaLibrary(personas_dir)
    monkeypatch.setattr(Path, "is_file", lambda self: pytest.fail(f"looked at {self}"))
    for bad in TRAVERSALS:
        with pytest.raises(InvalidNameError):
            library.get(bad)


def test_files_whose_name_is_not_a_slug_are_not_personas(tmp_path):
    for name in ["frugal-fred.json", "Notes 2024.json", ".persona-run.json", "x.y.json"]:
        (tmp_path / name).write_text("{}")
    assert PersonaLibrary(tmp_path).slugs() == ["frugal-fred"]


def test_an_unknown_persona_names_no_folder(world):
    _, _, personas_dir = world
    with pytest.raises(RequestError) as error:
        PersonaLibrary(personas_dir).get("bob")
    assert str(personas_dir) not in error.value.one_line() and "frugal-fred" in error.value.one_line()


# ------------------------------------------------------------------------------ entry points
@pytest.mark.parametrize("command", ["/show", "/sources", "/critique", "/export", "/objections", "/revise"])
def test_chat_commands_refuse_a_path_for_a_slug(world, tmp_path, command):
    session = session_for(world, tmp_path)
    extra = {"/export": " json", "/objections": " €9.99/month", "/revise": " make him richer"}.get(command, "")
    [reply] = session.handle(f"{command} ../outside/fred{extra}")
    assert reply.kind == "error" and reply.text.startswith("persona '../outside/fred' is not allowed")
    assert session.chat.llm.calls == [] and not (tmp_path / "exports").exists()


def test_mentions_refuse_a_bad_slug(world, tmp_path):
    session = session_for(world, tmp_path)
    [reply] = session.handle("@Fred_X what do you think?")
    assert reply.kind == "error" and "is not allowed" in reply.text and session.chat.llm.calls == []


def test_thread_names_cannot_leave_the_chat_folder(world, tmp_path):
    session = session_for(world, tmp_path, QueuedChatModel(["Fine.\nEvidence: none"]))
    [reply] = session.handle("/thread ../../outside")
    assert reply.kind == "error" and "thread name '../../outside' is not allowed" in reply.text
    assert session.thread is None  # still in the channel
    session.handle("/thread Q3 pricing")
    session.handle("@frugal-fred hi")
    assert (tmp_path / "chat" / "personas" / "Q3_pricing.jsonl").is_file()
    with pytest.raises(InvalidNameError, match="channel name"):
        Thread.open(tmp_path / "chat", "..")
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.jsonl")] == ["chat/personas/Q3_pricing.jsonl"]


def test_export_names_are_slugs(world, tmp_path):
    session = session_for(world, tmp_path)
    [reply] = session.handle("/export frugal-fred md")
    assert reply.data["path"] == str(tmp_path / "exports" / "frugal-fred.md")


@pytest.fixture
def inject(sample_research, monkeypatch):
    store = sample_research[0]
    fake = QueuedChatModel()
    monkeypatch.setattr(persona_agent.engine.llm, "make_chat_model", lambda *a, **k: fake)
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda *a, **k: store.embedder)
    return fake


@pytest.mark.parametrize("args", [["../outside/fred", "hi"], ["../outside/fred", "--objections", "€9.99/month"]])
def test_cli_ask_refuses_a_path_in_one_line(world, inject, args):
    _, settings, personas_dir = world
    result = runner.invoke(app, ["--home", str(settings.home), "ask", *args, "--personas", str(personas_dir)])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert lines[0].startswith("error: persona '../outside/fred' is not allowed — a persona slug is")
    assert inject.calls == []
