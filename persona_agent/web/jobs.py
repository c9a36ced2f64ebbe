"""Background jobs (ingest, generate, draft, critique, revise): a thread each, their progress kept as
the events the stages emit (``on_event(kind, **fields)``, the same the terminal renders), their
outcome as lines for the page. A job is known by a key (what it works on): starting a key that is
still running returns the running job, so two tabs cannot start the same work twice."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from persona_agent.core.errors import PersonaError

log = logging.getLogger(__name__)
MAX_EVENTS = 5000  # a job's events kept for the page (an ingest of many files stays far below)


@dataclass
class Line:
    """One line of a job's outcome; an ``error`` line marks the job failed, a ``warning`` does not."""

    kind: Literal["text", "ok", "warning", "error"]
    text: str
    link: str | None = None


@dataclass
class Job:
    id: str
    key: str
    title: str
    status: Literal["running", "done", "failed"] = "running"
    events: list[dict[str, Any]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None
    _seqs: list[int] = field(default_factory=list, repr=False)  # the sequence number of each kept event
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def emit(self, kind: str, **fields: Any) -> None:
        """Keep an event. A measurement that updates the one before it (same kind and persona or task,
        numbers only: token counts, rates) replaces it, so a stream of them costs one line."""
        event = {"kind": str(kind), **{str(k): _plain(v) for k, v in fields.items()}}
        with self._lock:
            seq = (self._seqs[-1] if self._seqs else 0) + 1
            key = stream_key(event)
            if key is not None and self.events and stream_key(self.events[-1]) == key:
                self.events[-1], self._seqs[-1] = event, seq
            elif len(self.events) < MAX_EVENTS:
                self.events.append(event)
                self._seqs.append(seq)

    def events_after(self, cursor: int) -> list[tuple[int, dict[str, Any]]]:
        """(sequence number, event) of every event kept or replaced after ``cursor``."""
        with self._lock:
            start = len(self._seqs)
            while start > 0 and self._seqs[start - 1] > cursor:
                start -= 1
            return list(zip(self._seqs[start:], self.events[start:], strict=True))

    @property
    def cursor(self) -> int:
        with self._lock:
            return self._seqs[-1] if self._seqs else 0

    def tasks(self) -> dict[str, dict[str, Any]]:
        """Progress per named task, from the ``start`` and ``advance`` events."""
        tasks: dict[str, dict[str, Any]] = {}
        for _, event in self.events_after(0):
            name = str(event.get("name", ""))
            if event["kind"] == "start":
                tasks[name] = {"total": event.get("total") or 0, "done": 0, "item": ""}
            elif event["kind"] == "advance" and name in tasks:
                tasks[name]["done"] += int(event.get("by", 1) or 0)
                tasks[name]["item"] = str(event.get("item", ""))
        return tasks

    @property
    def seconds(self) -> float:
        return (self.finished or time.time()) - self.started


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, key: str, title: str, work: Callable[[Job], list[Line]]) -> tuple[Job, bool]:
        """Run ``work(job)`` in a thread; returns (job, True), or (the running job, False) when one with
        this key is still running."""
        with self._lock:
            running = next((j for j in self._jobs.values() if j.key == key and j.status == "running"), None)
            if running is not None:
                return running, False
            job = Job(id=uuid.uuid4().hex[:12], key=key, title=title)
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, work), name=f"job-{job.id}", daemon=True).start()
        return job, True

    def _run(self, job: Job, work: Callable[[Job], list[Line]]) -> None:
        try:
            job.lines = work(job)
            job.status = "failed" if any(line.kind == "error" for line in job.lines) else "done"
        except PersonaError as exc:
            job.lines, job.status = [Line("error", exc.one_line())], "failed"
        except Exception as exc:  # a bug: its traceback goes to the log, the page says so
            log.error("job %s (%s) failed", job.id, job.title, exc_info=exc)
            job.lines = [Line("error", f"unexpected error ({type(exc).__name__}); the details are in the log")]
            job.status = "failed"
        finally:
            job.finished = time.time()

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: -j.started)


def stream_key(event: dict[str, Any]) -> str | None:
    """What a measurement event updates ("tokens|fred"), or None for an event that is news of its own
    (start, advance, warnings, stages, anything with words in it). The page's script does the same."""
    who = event.get("persona", event.get("name"))
    rest = [v for k, v in event.items() if k not in ("kind", "persona", "name")]
    if event["kind"] in ("start", "advance") or who is None or not rest:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in rest):
        return None
    return f"{event['kind']}|{who}"


def _plain(value: Any) -> Any:
    """An event field as JSON can carry it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
