"""Chat under faults: a failing turn fails alone, the focus group survives one persona failing,
questions are capped, the history sent to the model is bounded, and the history on disk is appended
atomically, repaired after a crash and compacted."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from persona_agent.core.errors import ContextLengthError, EmptyReplyError, QuestionTooLongError
from persona_agent.talk.chat import PersonaChat, PersonaLibrary
from persona_agent.talk.conversation import ChatSession
from persona_agent.talk.threads import Thread, bounded_history, read_turns
from persona_agent.testing import QueuedChatModel
from tests.helpers import two_personas


@pytest.fixture(scope="module")
def world(sample_research, tmp_path_factory):
    store, targets, evidence, settings = sample_research
    personas_dir = tmp_path_factory.mktemp("personas")
    two_personas(sample_research, personas_dir)
    return store, settings, personas_dir


def session(world, fake, tmp_path, **chat_options) -> ChatSession:
    store, settings, personas_dir = world
    chat = PersonaChat(llm=fake, store=store, library=PersonaLibrary(personas_dir), analysis_dir=settings.analysis_dir,
                       check_support=False, **chat_options)
    return ChatSession(chat=chat, chat_dir=tmp_path / "chat", history_turns=chat_options.pop("turns", 200))


def test_an_empty_reply_fails_that_turn_only(world, tmp_path):
    fake = QueuedChatModel(["   "])
    chat = session(world, fake, tmp_path)
    with pytest.raises(EmptyReplyError):
        chat.chat.ask("frugal-fred", "What annoys you?")
    fake.queue("", "Shipping is too dear.\nEvidence: none")
    [failed] = chat.handle("@frugal-fred what annoys you?")
    assert failed.kind == "error" and "empty answer" in failed.text
    [answer] = chat.handle("@frugal-fred and now?")
    assert answer.kind == "answer" and answer.text == "Shipping is too dear."
    assert len(chat._thread().turns) == 1  # the failed turn left no history behind


def test_an_answer_that_is_only_an_evidence_line_is_asked_again(world, tmp_path):
    fake = QueuedChatModel(["Evidence: E2, E5", "Shipping costs too much for a small order.\nEvidence: none"])
    chat = session(world, fake, tmp_path)
    answer = chat.chat.ask("frugal-fred", "What annoys you?")
    assert answer.text == "Shipping costs too much for a small order."
    assert "only the evidence line" in fake.calls[-1][-1].content  # the second call said why
    fake.queue("Evidence: E1", "**Evidence:** E2")
    with pytest.raises(EmptyReplyError, match="only an evidence line"):
        chat.chat.ask("frugal-fred", "What annoys you?")


@pytest.mark.parametrize("fault", [ValueError("Requested tokens (9000) exceed context window of 4096"),
                                   KeyError("a bug")])
def test_a_turn_that_raises_anything_leaves_the_session_alive(world, tmp_path, fault):
    fake = QueuedChatModel([fault, "Fine.\nEvidence: none"])
    chat = session(world, fake, tmp_path)
    [failed] = chat.handle("@frugal-fred hello?")
    assert failed.kind == "error"
    assert ("context window" in failed.text) if isinstance(fault, ValueError) else ("KeyError" in failed.text)
    assert chat.handle("@frugal-fred hello again")[0].kind == "answer"


def test_the_focus_group_goes_on_without_a_failing_persona(world, tmp_path):
    fake = QueuedChatModel([ContextLengthError("LLM x", "too long"), "Worth it for quality.\nEvidence: none",
                            "Only @gourmet-greta answered: quality matters."])
    replies = session(world, fake, tmp_path).handle("@all is €14 per bag fair?")
    kinds = [(r.kind, r.speaker) for r in replies]
    assert kinds == [("answer", "gourmet-greta"), ("error", "persona-agent"), ("synthesis", "persona-agent")]
    assert "@frugal-fred could not answer" in replies[1].text and "too long" in replies[1].text
    assert "@frugal-fred" not in fake.calls[-1][-1].text  # the synthesis covers who answered


def test_long_questions_are_refused_with_a_clear_line(world, tmp_path):
    fake = QueuedChatModel([])
    chat = session(world, fake, tmp_path, max_question_chars=100)
    [reply] = chat.handle("@frugal-fred " + "why " * 60)
    assert reply.kind == "error" and "limit is 100" in reply.text and fake.calls == []
    with pytest.raises(QuestionTooLongError):
        chat.chat.objections("frugal-fred", "x" * 101)


def test_history_sent_to_the_model_is_bounded():
    huge = "a very long question " * 1000  # 21,000 characters each
    history = []
    for n in range(5):
        history += [HumanMessage(content=f"{n}: {huge}"), AIMessage(content=f"answer {n}")]
    kept = bounded_history(history, 6000)
    assert sum(len(m.text) for m in kept) <= 6000 and kept[-1].text == "answer 4"
    assert kept[0].type == "human" and kept[0].text.startswith("2: ")  # newest first, never half a pair
    assert all(len(m.text) <= 1502 for m in kept)  # one huge turn cannot take the whole budget


def test_the_model_sees_bounded_history_after_huge_turns(world, tmp_path):
    fake = QueuedChatModel(["ok\nEvidence: none"] * 4)
    chat = session(world, fake, tmp_path, max_question_chars=20000, history_chars=3000)
    for _ in range(3):
        chat.handle("@frugal-fred " + "tell me everything " * 1000)
    chat.handle("@frugal-fred short question")
    earlier = fake.calls[-1][1:-1]  # between the system prompt and the question
    assert sum(len(m.text) for m in earlier) <= 3000


# --------------------------------------------------------------------------- history on disk
def test_a_truncated_last_line_is_skipped_and_repaired(tmp_path):
    thread = Thread.open(tmp_path, "#personas")
    thread.append({"persona": "fred", "question": "q1", "answer": "a1"})
    with thread.path.open("ab") as handle:  # a crash in the middle of writing a line
        handle.write(b'{"persona": "fred", "question": "q2", "ans')
    reopened = Thread.open(tmp_path, "#personas")
    assert [t["question"] for t in reopened.turns] == ["q1"]
    reopened.append({"persona": "fred", "question": "q3", "answer": "a3"})
    assert [t["question"] for t in read_turns(thread.path)] == ["q1", "q3"]
    assert all(json.loads(line) for line in thread.path.read_text().splitlines())


def test_history_on_disk_is_compacted_to_the_last_turns(tmp_path):
    thread = Thread.open(tmp_path, "#personas", max_turns=8)
    for n in range(30):
        thread.append({"persona": "fred", "question": f"q{n}", "answer": "a"})
    on_disk = read_turns(thread.path)
    assert len(on_disk) <= 10 and on_disk[-1]["question"] == "q29"
    assert [t["question"] for t in Thread.open(tmp_path, "#personas", max_turns=8).turns][-8:] == \
        [f"q{n}" for n in range(22, 30)]


def _append_many(args: tuple[str, int]) -> None:
    folder, worker = args
    thread = Thread.open(Path(folder), "#personas", max_turns=1000)
    for n in range(40):
        thread.append({"persona": f"p{worker}", "question": f"{worker}-{n} " + "x" * 5000, "answer": "a"})


def test_appends_from_several_processes_stay_whole(tmp_path):
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        pool.map(_append_many, [(str(tmp_path), worker) for worker in range(3)])
    path = Thread.open(tmp_path, "#personas").path
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 120 and all(json.loads(line)["answer"] == "a" for line in lines)
