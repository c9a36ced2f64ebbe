"""Test doubles that ship with the package: a chat model that plays back queued answers and a tiny
deterministic embedder. LangChain's own fakes lack ``bind_tools``; ours go through `structured()`'s
plain-JSON path, the same validation and repair loop real models use.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections import deque
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import BaseModel, ConfigDict, PrivateAttr


class QueuedChatModel(BaseChatModel):
    """Answers with the next queued reply (a string, a dict sent as JSON, an `AIMessage` returned as it
    is — e.g. with ``response_metadata={"finish_reason": "length"}`` —, or an exception to raise).

    Every call's messages are kept in ``calls`` so tests can assert what the model was shown.
    ``latency`` sleeps per call (benchmarks of concurrency).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    latency: float = 0.0
    default: str | None = None  # answer when the queue is empty (else: error)
    _queue: deque = PrivateAttr(default_factory=deque)
    _calls: list = PrivateAttr(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, replies: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for reply in replies or []:
            self.queue(reply)

    def queue(self, *replies: Any) -> QueuedChatModel:
        for reply in replies:
            if isinstance(reply, AIMessage):
                pass
            elif isinstance(reply, BaseModel):
                reply = reply.model_dump_json()
            elif isinstance(reply, (dict, list)):
                reply = json.dumps(reply, ensure_ascii=False)
            self._queue.append(reply)
        return self

    @property
    def calls(self) -> list[list[BaseMessage]]:
        return self._calls

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def _llm_type(self) -> str:
        return "queued-fake"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            self._calls.append(list(messages))
            if self._queue:
                reply = self._queue.popleft()
            elif self.default is not None:
                reply = self.default
            else:
                raise AssertionError("QueuedChatModel: no queued reply left for this call")
        if self.latency:
            time.sleep(self.latency)
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, AIMessage):
            return ChatResult(generations=[ChatGeneration(message=reply)])
        words = len(str(reply).split())
        message = AIMessage(
            content=str(reply),
            usage_metadata={"input_tokens": 0, "output_tokens": words, "total_tokens": words},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


class HashEmbeddings(Embeddings):
    """Deterministic bag-of-words vectors: texts sharing words are close. Fast; no model."""

    embedder_id = "test:hash-64"

    def __init__(self, dimensions: int = 64) -> None:
        self.dimensions = dimensions
        self.documents_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimensions
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dimensions] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


_ALIAS_LINE = re.compile(r"^(E\d+) (.*)$", re.MULTILINE)
_TASK = re.compile(r"TASK: ([^.\n:]+)", re.IGNORECASE)
_NAMES = ("Frugal Fred", "Gourmet Greta", "Gifting Gina", "Office Olav", "Natural Nora", "Puppy Pia", "Senior Siri")


class BriefEchoChatModel(QueuedChatModel):
    """A persona writer for tests: answers each section task with claims that repeat the words of
    the brief lines they cite (so the grounding checks pass with a bag-of-words embedder), and the
    critic with no issues. Queued replies, when there are any, come first. ``names`` are given to
    the personas in the order their identity is written (then a name per segment).
    """

    names: list[str] = []
    _named: int = PrivateAttr(default=0)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        if self.pending:
            return super()._generate(messages, stop, run_manager, **kwargs)
        with self._lock:
            self._calls.append(list(messages))
        text = "\n".join(m.text for m in messages)
        reply = echo_section(text)
        previous = re.search(r'<answer>.*?"name":\s*"([^"]+)"', text, re.DOTALL)
        if "buyer_type" in reply and previous:  # a revision keeps the name (unless it is taken)
            taken = re.search(r"not one of: ([^)]*)\)", text)
            if not taken or previous.group(1) not in taken.group(1):
                reply["name"] = previous.group(1)
        elif "buyer_type" in reply:  # a first identity
            with self._lock:
                if self._named < len(self.names):
                    reply["name"] = self.names[self._named]
                    self._named += 1
        message = AIMessage(content=json.dumps(reply, ensure_ascii=False),
                            usage_metadata={"input_tokens": len(text.split()), "output_tokens": 50,
                                            "total_tokens": len(text.split()) + 50})
        return ChatResult(generations=[ChatGeneration(message=message)])


def _words(line: str, limit: int = 150) -> str:
    """A brief line's words without figures, quotes or the header of the line."""
    line = re.sub(r"^(theme|[a-z]+ customer \(\w*\)|“[^”]*”:)\W*", "", line)
    line = re.sub(r"\d[\d.,]*\s*(%|×)?|[“”\"|()±;:]", " ", line)
    line = re.sub(r"\b(vs|people|lift|of the segment|all respondents)\b", " ", line)
    return " ".join(line.split())[:limit].rsplit(" ", 1)[0] or "the research"


def echo_section(prompt: str) -> dict[str, Any]:
    lines = _ALIAS_LINE.findall(prompt)
    themes = [(a, body) for a, body in lines if body.startswith("theme")] or lines
    stats = [(a, body) for a, body in lines if body.startswith("“")] or lines
    interviews = [(a, body) for a, body in lines if " customer (" in body.split(":")[0]] or themes

    def claim(pool: list[tuple[str, str]], index: int, lead: str) -> dict[str, Any]:
        alias, body = pool[index % len(pool)]
        return {"text": f"{lead} {_words(body)}", "evidence": [alias]}

    def quoted(pool: list[tuple[str, str]], index: int, lead: str) -> dict[str, Any]:
        said = claim(pool, index, lead)
        return {**said, "text": f"{lead} “{said['text'].removeprefix(lead).strip()}”"}

    tasks = _TASK.findall(prompt)
    task = tasks[-1].strip().lower() if tasks else ""
    if "review" in task:
        return {"issues": []}
    if task.startswith("translate into"):  # restating copied words: the same words back
        return {"statements": re.findall(r"^\d+\. (.+)$", prompt.split("---")[-1], re.MULTILINE) or ["-"]}
    if task.startswith("what the customers"):  # one sentence per listed theme, with the lead it asks for
        body = dict(lines)
        return {"summaries": [{"text": f"{lead} {_words(body.get(alias, ''))}", "evidence": [alias]}
                              for alias, lead in re.findall(r"^- (E\d+) \([^)]*\), start with “([^”]+)”", prompt,
                                                           re.MULTILINE)] or [claim(themes, 0, "Wants")]}
    if task.startswith("goals"):
        return {"goals": [claim(themes, 0, "Wants"), claim(themes, 1, "Wants")], "values": [claim(stats, 0, "Values")]}
    if task.startswith("challenges"):
        return {"challenges": [claim(themes, 2, "Struggles with"), claim(interviews, 0, "Struggles with")],
                "fears": [claim(themes, 3, "Worries about")]}
    if task.startswith("objections"):  # from what bothers them or what they wish for, not from praise
        alias, body = next((t for t in themes[1:] + themes[:1] if "what they like" not in t[1]),
                           themes[1 % len(themes)])
        return {"objections": [{"objection": f"I hesitate because {_words(body)}",
                                "response": f"Answer them about {_words(body)}", "evidence": [alias]}]}
    if task.startswith("the buyer"):
        stage = [{"stage": s, "thinking": f"Thinks about {_words(b)}", "feeling": f"Feels {_words(b)}",
                  "doing": f"Looks into {_words(b)}", "evidence": [a]} for s, (a, b) in
                 zip(("awareness", "purchase"), (stats + themes)[:2], strict=False)]
        return {"journey": stage}
    if task.startswith("how to win"):
        return {"selling_points": [claim(themes, 0, "Offers what they miss:")],
                "marketing_message": claim(themes, 0, "Message about"),
                "tone": quoted(stats, 0, "Speak plainly, in their words:")}
    header = re.search(r"SEGMENT S(\d+)", prompt)
    number = int(header.group(1)) if header else 1
    taken = re.search(r"not one of: ([^)]*)\)", prompt)
    names = [n for n in _NAMES if not taken or n not in taken.group(1)] or [f"Persona {number}"]
    return {"name": names[(number - 1) % len(names)], "buyer_type": "thoughtful researcher",
            "buyer_type_reason": claim(stats, 0, "Researches"), "gist": claim(themes, 0, "Buyer who"),
            "narrative": claim(themes, 1, "Their situation:")}


class StreamingEchoChatModel(BriefEchoChatModel):
    """`BriefEchoChatModel` that hands each reply to the callbacks word by word, ``token_delay`` seconds
    apart, as the local model does while it generates (progress displays under test)."""

    token_delay: float = 0.02

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        result = super()._generate(messages, stop, run_manager, **kwargs)
        for word in re.findall(r"\S+\s*", result.generations[0].message.text):
            time.sleep(self.token_delay)
            if run_manager is not None:
                run_manager.on_llm_new_token(word)
        return result
