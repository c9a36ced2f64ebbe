"""Chat history: one channel or thread per JSON-lines file under ``$PERSONA_HOME/chat``.

Several processes may write one thread (the terminal chat and the Slack bot): a turn is one whole
line written with ``O_APPEND`` in a single write, under a lock on the thread file. A line left
truncated by a crash is skipped by readers and cut off before the next append, so it cannot break
the thread for good. A thread keeps its last ``max_turns`` turns on disk: when it grows a quarter past
that it is compacted (rewritten with the newest turns, atomically).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from persona_agent.core.errors import BusyError
from persona_agent.core.names import file_stem

log = logging.getLogger(__name__)
LOCK_TIMEOUT = 10.0


def history_messages(turns: Sequence[dict[str, str]], slug: str) -> list[BaseMessage]:
    """A thread's earlier turns with this persona, as chat messages."""
    messages: list[BaseMessage] = []
    for turn in turns:
        if turn.get("persona") != slug:
            continue
        messages.append(HumanMessage(content=turn["question"]))
        messages.append(AIMessage(content=turn["answer"]))
    return messages


def read_turns(path: Path) -> list[dict[str, str]]:
    """Every readable turn; a damaged line (a crash mid-write) is skipped, not fatal."""
    if not path.is_file():
        return []
    turns = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            turn = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            log.warning("%s:%d: damaged chat history line skipped", path, number)
            continue
        if isinstance(turn, dict):
            turns.append(turn)
    return turns


@contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    try:
        with FileLock(str(path) + ".lock", timeout=timeout):
            yield
    except Timeout:
        raise BusyError(str(path), "chat history", timeout) from None


def _repair_tail(path: Path) -> None:
    """Cut off a last line that lacks its newline (a write interrupted by a crash)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    with path.open("rb+") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return
        handle.seek(0)
        keep = handle.read().rfind(b"\n") + 1
        handle.truncate(keep)
    log.warning("%s: a truncated last line (%d bytes) was removed", path, size - keep)


def _append_line(path: Path, line: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        written = os.write(fd, line)  # one write: the whole line lands at the end, or nothing does
        while written < len(line):  # pragma: no cover - regular files write whole buffers
            written += os.write(fd, line[written:])
    finally:
        os.close(fd)


def _rewrite(path: Path, turns: Sequence[dict[str, str]]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(turn, ensure_ascii=False) + "\n" for turn in turns)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def thread_names(chat_dir: Path, channel: str) -> list[str]:
    """The named threads of ``channel`` that have history, newest first (the channel itself is not one)."""
    folder = chat_dir / file_stem(channel.lstrip("#"), "channel name")
    files = [p for p in folder.glob("*.jsonl") if p.stem != "_channel" and not p.stem.startswith(".")]
    return [p.stem for p in sorted(files, key=lambda p: (-p.stat().st_mtime, p.stem))]


@dataclass
class Thread:
    """One channel or thread's history, persisted as JSON lines under ``$PERSONA_HOME/chat``."""

    path: Path
    turns: list[dict[str, str]] = field(default_factory=list)
    max_turns: int = 200

    @classmethod
    def open(cls, chat_dir: Path, channel: str, thread: str | None = None, *, max_turns: int = 200) -> Thread:
        name = file_stem(thread, "thread name") if thread else "_channel"
        path = chat_dir / file_stem(channel.lstrip("#"), "channel name") / f"{name}.jsonl"
        return cls(path=path, turns=read_turns(path)[-max_turns:], max_turns=max_turns)

    def append(self, turn: dict[str, str]) -> None:
        line = (json.dumps(turn, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self.path, LOCK_TIMEOUT):
            _repair_tail(self.path)
            _append_line(self.path, line)
            turns = read_turns(self.path)  # other processes' turns too
            if len(turns) > self.max_turns + self.max_turns // 4:
                turns = turns[-self.max_turns:]
                _rewrite(self.path, turns)
        self.turns = turns[-self.max_turns:]


def bounded_history(history: Sequence[BaseMessage], max_chars: int) -> list[BaseMessage]:
    """The newest earlier messages that fit in ``max_chars``, whole question/answer pairs kept
    together; an over-long message is shortened, so a few huge turns cannot push every later turn
    past the context window."""
    kept: list[BaseMessage] = []
    used = 0
    share = max(200, max_chars // 4)  # no single message takes more than a quarter of the budget
    for message in reversed(history):
        text = str(message.text)
        if len(text) > share:
            text = text[:share] + " …"
            message = message.model_copy(update={"content": text})
        if used + len(text) > max_chars:
            break
        kept.append(message)
        used += len(text)
    kept.reverse()
    if kept and kept[0].type == "ai":  # never start with an answer whose question was dropped
        kept = kept[1:]
    return kept
