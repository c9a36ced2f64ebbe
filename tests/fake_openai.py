"""A small OpenAI-compatible server on 127.0.0.1 for the fault-injection suite.

Chat completions (plain, tool calls, streaming) and embeddings. Faults are queued per endpoint and
served to the next requests, then it recovers: ``429`` (with Retry-After), ``500``, ``hang`` (longer
than the client's timeout), ``truncated`` (finish_reason "length", JSON cut in half), ``empty``
content, and ``context`` (400 context_length_exceeded). Otherwise it answers sensibly: persona drafts
built from the evidence lines it was shown, a clean critique, in-character answers that cite an id.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import struct
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_LINE = re.compile(r"^\[([^\]\s]+)\] \((\w+)(?:, [\w-]+)?\) (.+)$", re.MULTILINE)



@dataclass
class Fault:
    kind: str  # 429 | 500 | 503 | hang | truncated | empty | context
    seconds: float = 0.0  # Retry-After for 429/503, how long to hang for "hang"


def vector(text: str, dimensions: int = 64) -> list[float]:
    values = [0.0] * dimensions
    for word in re.findall(r"\w+", text.lower()):
        values[int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % dimensions] += 1
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def _evidence(text: str) -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in _LINE.finditer(text)]


def tool_arguments(name: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    text = "\n".join(str(m.get("content") or "") for m in messages)
    if name.endswith("Section"):
        from persona_agent.testing import echo_section

        return echo_section(text)
    if name == "CriticReport":
        return {"issues": []}
    if name == "ObjectionReport":
        ids = [i for i, _, _ in _evidence(text)] or ["none"]
        return {"objections": [{"objection": "Another monthly bill to keep track of", "severity": "medium",
                                "evidence": ids[:1], "suggested_response": "Let me pause or skip months"}]}
    if name == "GroupProposal":
        ids = [i for i, _, _ in _evidence(text)][:2]
        return {"groups": [{"label": "Bargain hunters", "description": "Wait for sales, hate delivery fees",
                            "evidence": ids}]}
    return {}


def plain_answer(messages: list[dict[str, Any]]) -> str:
    system = str(messages[0].get("content") or "")
    if "focus group" in system.lower() or "transcript" in str(messages[-1].get("content") or "").lower():
        return "Agree: price matters. Disagree: how much quality is worth."
    ids = [i for i, _, _ in _evidence(system)]
    return f"Honestly, I wait for a sale before I order.\nEvidence: {ids[0] if ids else 'none'}"


class FakeOpenAI:
    """``with FakeOpenAI() as server: server.base_url``; ``server.fail("chat", Fault("429", 1))``."""

    def __init__(self) -> None:
        self.faults: dict[str, deque[Fault]] = {"chat": deque(), "embeddings": deque()}
        self.served: Counter = Counter()  # (endpoint, outcome) → requests
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def fail(self, endpoint: str, *faults: Fault) -> None:
        with self.lock:
            self.faults[endpoint].extend(faults)

    def pending(self, endpoint: str) -> int:
        with self.lock:
            return len(self.faults[endpoint])

    def _next(self, endpoint: str) -> Fault | None:
        with self.lock:
            return self.faults[endpoint].popleft() if self.faults[endpoint] else None

    # ------------------------------------------------------------------------------ HTTP
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                endpoint = "embeddings" if self.path.endswith("/embeddings") else "chat"
                fault = fake._next(endpoint)
                with fake.lock:
                    fake.served[(endpoint, fault.kind if fault else "ok")] += 1
                try:
                    if fault and fault.kind in ("429", "500", "503", "context"):
                        return self._error(fault)
                    if fault and fault.kind == "hang":
                        fake.stopping.wait(fault.seconds)  # the client times out meanwhile
                    if endpoint == "embeddings":
                        return self._embeddings(body)
                    return self._chat(body, fault)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to answer

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _error(self, fault: Fault) -> None:
                if fault.kind == "context":
                    return self._send(400, {"error": {
                        "message": "This model's maximum context length is 8192 tokens; your request has 9731.",
                        "type": "invalid_request_error", "code": "context_length_exceeded"}})
                status = int(fault.kind)
                headers = {"Retry-After": f"{fault.seconds:g}"} if fault.seconds else {}
                kind = "rate_limit_error" if status == 429 else "server_error"
                self._send(status, {"error": {"message": f"injected {status}", "type": kind}}, headers)

            def _embeddings(self, body: dict[str, Any]) -> None:
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                data = []
                for index, text in enumerate(texts):
                    values = vector(str(text))
                    encoded: Any = values
                    if body.get("encoding_format") == "base64":
                        encoded = base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode()
                    data.append({"object": "embedding", "index": index, "embedding": encoded})
                self._send(200, {"object": "list", "data": data, "model": body.get("model", "fake"),
                                 "usage": {"prompt_tokens": 1, "total_tokens": 1}})

            def _chat(self, body: dict[str, Any], fault: Fault | None) -> None:
                messages = body.get("messages", [])
                tools = body.get("tools") or []
                finish = "stop"
                content: str | None
                calls = None
                if tools:
                    name = tools[0]["function"]["name"]
                    arguments = json.dumps(tool_arguments(name, messages), ensure_ascii=False)
                    if fault and fault.kind == "truncated":
                        arguments, finish = arguments[: len(arguments) // 2], "length"
                    content, finish = None, ("length" if finish == "length" else "tool_calls")
                    calls = [] if fault and fault.kind == "empty" else [
                        {"id": "call_1", "type": "function", "function": {"name": name, "arguments": arguments}}]
                    if fault and fault.kind == "empty":
                        content, finish = "", "stop"
                else:
                    content = plain_answer(messages)
                    if fault and fault.kind == "truncated":
                        content, finish = content[: len(content) // 2], "length"
                    if fault and fault.kind == "empty":
                        content = ""
                if body.get("stream"):
                    return self._stream(content or "", finish)
                message: dict[str, Any] = {"role": "assistant", "content": content}
                if calls:
                    message["tool_calls"] = calls
                self._send(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})

            def _stream(self, content: str, finish: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                words = re.findall(r"\S+\s*", content)
                for index, word in enumerate(words):
                    chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                             "choices": [{"index": 0, "delta": ({"role": "assistant"} if index == 0 else {})
                                          | {"content": word}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                last = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                        "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()
                self.close_connection = True

        return Handler
