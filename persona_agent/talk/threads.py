"""Chat history: one channel or thread per JSON-lines file under ``$PERSONA_HOME/chat``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from persona_agent.core.names import file_stem


def history_messages(turns: Sequence[dict[str, str]], slug: str) -> list[BaseMessage]:
    """A thread's earlier turns with this persona, as chat messages."""
    messages: list[BaseMessage] = []
    for turn in turns:
        if turn.get("persona") != slug:
            continue
        messages.append(HumanMessage(content=turn["question"]))
        messages.append(AIMessage(content=turn["answer"]))
    return messages


@dataclass
class Thread:
    """One channel or thread's history, persisted as JSON lines under ``$PERSONA_HOME/chat``."""

    path: Path
    turns: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def open(cls, chat_dir: Path, channel: str, thread: str | None = None) -> Thread:
        name = file_stem(thread, "thread name") if thread else "_channel"
        path = chat_dir / file_stem(channel.lstrip("#"), "channel name") / f"{name}.jsonl"
        turns = []
        if path.is_file():
            turns = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return cls(path=path, turns=turns)

    def append(self, turn: dict[str, str]) -> None:
        self.turns.append(turn)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(turn, ensure_ascii=False) + "\n")
