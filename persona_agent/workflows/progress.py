"""What a run expects to do and how far it got: the estimate a run announces, and the live figures
(persona, stage, tokens, tokens/s, ETA) that the CLI — or a web page — shows, computed from the
library's progress events (`core.events`), never from the terminal.

The estimate is tokens × speed. Tokens: what a persona cost on this machine's last run (stored with
the speeds), else the defaults below, measured with ``benchmarks/local_generate.py`` on knowledge/.
Speed: prompt and generation tokens/s of the local model measured on this machine — stored by the last
run, else a probe of a few seconds (`engine.pace`); during the run, the speeds the run itself measures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from persona_agent.core.config import Settings
from persona_agent.engine.pace import Pace, PaceBook, measure, pace_key

# One persona of knowledge/ on the local model (6 section calls, and a short translation call when the model
# copied customers' words; no critic, revision or journey by default), and one objections call: prompt tokens
# evaluated (the rest is reused from the KV cache) and tokens generated (benchmarks/local_generate.py:
# 3,558 + 1,007 and 2,975 + 847 for the two personas; 2,137 + 307).
PERSONA_WORK = (3250, 950)
OBJECTIONS_WORK = (2100, 300)
PREPARE_SECONDS = 45.0  # ingest + analysis of the bundled sample on 2 cores
PROBE = (256, 32)  # prompt tokens, generated tokens of the speed probe


@dataclass
class Plan:
    """The work a run expects: personas, prompt tokens to evaluate, tokens to generate, and seconds."""

    work: str
    personas: int
    evaluated: int
    generated: int
    pace: Pace | None
    other_seconds: float = 0.0  # work that is not the model's (ingest, analysis)
    objections: bool = False  # the demo's objections call comes after the personas

    @property
    def seconds(self) -> float | None:
        if self.pace is None:
            return None
        return self.other_seconds + self.pace.seconds(self.evaluated, self.generated)

    def event(self) -> dict[str, Any]:
        return {"work": self.work, "personas": self.personas, "objections": self.objections,
                "evaluated": self.evaluated, "generated": self.generated, "other_seconds": self.other_seconds,
                "seconds": self.seconds,
                "prompt_tps": self.pace.prompt_tps if self.pace else None,
                "generate_tps": self.pace.generate_tps if self.pace else None,
                "pace": self.pace.source if self.pace else None}

    def sentence(self) -> str:
        if self.pace is None or self.seconds is None:
            return f"{self.personas} personas; time depends on the provider"
        where = {"probe": "measured just now", "run": "measured on this machine's last run"}.get(
            self.pace.source, self.pace.source)
        return (f"expected {duration(self.seconds)}: {self.evaluated:,} prompt tokens at "
                f"{self.pace.prompt_tps:.0f} tokens/s and {self.generated:,} generated at "
                f"{self.pace.generate_tps:.0f} tokens/s ({where})")


def book(settings: Settings) -> PaceBook:
    return PaceBook(settings.models_dir / "pace.json")


def machine_pace(llm: Any, settings: Settings, *, probe: bool = True) -> Pace | None:
    """This machine's speeds for ``llm`` (a local model): stored by an earlier run, else probed now
    (which also loads the model). None for remote models."""
    key = pace_key(llm)
    if key is None:
        return None
    stored = book(settings).get(key)
    if stored is not None or not probe:
        return stored
    measured = measure(llm.loaded(), *PROBE).pace
    book(settings).put(key, measured)
    return measured


def plan(llm: Any, settings: Settings, *, work: str, personas: int, objections: bool = False,
         other_seconds: float = 0.0, probe: bool = True) -> Plan:
    per_persona = PERSONA_WORK
    stored = book(settings).get_extra(f"work {pace_key(llm)}") if pace_key(llm) else {}
    if stored.get("persona"):
        per_persona = (int(stored["persona"][0]), int(stored["persona"][1]))
    evaluated = personas * per_persona[0] + (OBJECTIONS_WORK[0] if objections else 0)
    generated = personas * per_persona[1] + (OBJECTIONS_WORK[1] if objections else 0)
    return Plan(work, personas, evaluated, generated, machine_pace(llm, settings, probe=probe), other_seconds,
                objections)


def record(llm: Any, settings: Settings, progress: RunProgress) -> None:
    """After a run: keep the speeds and the tokens per persona it measured, for the next estimate."""
    key = pace_key(llm)
    if key is None or not progress.finished:
        return
    measured = progress.measured_pace()
    if measured is not None:
        book(settings).put(key, Pace(measured.prompt_tps, measured.generate_tps, "run"))
    per = progress.persona_tokens()
    if per is not None:
        book(settings).put_extra(f"work {key}", {"persona": list(per)})


def prepare_seconds(settings: Settings, folder: Any) -> float:
    """Seconds ingest + analysis of ``folder`` took on this machine last time (else a default)."""
    stored = book(settings).get_extra("prepare").get(str(folder))
    return float(stored) if isinstance(stored, (int, float)) else PREPARE_SECONDS


def record_prepare(settings: Settings, folder: Any, seconds: float | None) -> None:
    if seconds:
        entries = book(settings).get_extra("prepare")
        book(settings).put_extra("prepare", {**entries, str(folder): round(seconds, 1)})


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest:02d} s" if minutes < 10 else f"{minutes} min"


@dataclass
class RunProgress:
    """Follows a run's events (call it as the ``on_event`` sink) and says what to show."""

    plan: Plan | None = None
    persona: str = ""
    stage: str = ""
    generated: int = 0  # tokens of the call in progress
    rate: float = 0.0  # tokens/s of the call in progress
    evaluated_done: int = 0
    generated_done: int = 0
    prompt_seconds: float = 0.0
    generate_seconds: float = 0.0
    calls: int = 0
    finished: set[str] = field(default_factory=set)  # personas written
    tokens: dict[str, list[int]] = field(default_factory=dict)  # persona -> [evaluated, generated]
    asking: bool = False  # the objections / chat part of a demo has begun
    step: str = ""
    step_started: float = field(default_factory=time.monotonic)
    step_seconds: dict[str, float] = field(default_factory=dict)
    last_call: dict[str, Any] = field(default_factory=dict)  # the fields of the last ``call`` event
    _eta: tuple[float | None, float] | None = None  # (estimate, when it was made)

    def __call__(self, kind: str, **data: Any) -> None:
        if kind == "step":
            now = time.monotonic()
            if self.step:
                self.step_seconds[self.step] = now - self.step_started
            self.step, self.step_started = str(data.get("name", "")), now
        elif kind == "plan":
            pace = Pace(data["prompt_tps"], data["generate_tps"], data.get("pace") or "") \
                if data.get("prompt_tps") else None
            if self.plan is None or data.get("work") == self.plan.work:
                self.plan = Plan(data["work"], data["personas"], data["evaluated"], data["generated"], pace,
                                 float(data.get("other_seconds") or 0.0), bool(data.get("objections")))
        elif kind == "stage":
            self.persona, self.stage = str(data.get("persona", "")), str(data.get("stage", ""))
            self.generated, self.rate = 0, 0.0
            self.asking |= self.stage in ("objections", "answer")
        elif kind == "tokens":
            self.generated, self.rate = int(data.get("generated", 0)), float(data.get("rate", 0.0))
        elif kind == "call":
            self.last_call = data
            self.calls += 1
            self.evaluated_done += int(data.get("evaluated", 0))
            self.generated_done += int(data.get("output_tokens", 0))
            self.prompt_seconds += float(data.get("prompt_seconds", 0.0))
            self.generate_seconds += float(data.get("generate_seconds", 0.0))
            if not self.asking:
                tokens = self.tokens.setdefault(str(data.get("persona", "")), [0, 0])
                tokens[0] += int(data.get("evaluated", 0))
                tokens[1] += int(data.get("output_tokens", 0))
            self.generated = 0
        elif kind == "advance" and data.get("name") == "personas":
            if data.get("item") == "resumed" and self.plan is not None:  # resumed personas cost nothing
                self.plan.personas = max(0, self.plan.personas - int(data.get("by", 1)))
            elif data.get("item") is not None:
                self.finished.add(str(data["item"]))
        self._eta = None  # recomputed from the new state when asked

    @property
    def personas_done(self) -> int:
        return len(self.finished)

    def measured_pace(self) -> Pace | None:
        """The run's own speeds, once it has measured enough to trust them."""
        if self.generate_seconds < 3 or self.generated_done < 50:
            return None
        prompt = self.evaluated_done / self.prompt_seconds if self.prompt_seconds > 0.5 else None
        fallback = self.plan.pace.prompt_tps if self.plan and self.plan.pace else 1e9
        return Pace(prompt or fallback, self.generated_done / self.generate_seconds, "this run")

    def persona_tokens(self) -> tuple[int, int] | None:
        """Mean (evaluated, generated) of the personas this run finished."""
        done = [self.tokens[name] for name in self.finished if name in self.tokens]
        if not done:
            return None
        return (sum(t[0] for t in done) // len(done), sum(t[1] for t in done) // len(done))

    def remaining_tokens(self) -> tuple[int, int]:
        """(prompt tokens to evaluate, tokens to generate) still ahead, re-planned from what the finished
        personas cost once there are any."""
        assert self.plan is not None
        extra = OBJECTIONS_WORK if self.plan.objections and not self.asking else (0, 0)
        per = self.persona_tokens() or (
            ((self.plan.evaluated - (OBJECTIONS_WORK[0] if self.plan.objections else 0)) // max(1, self.plan.personas)),
            ((self.plan.generated - (OBJECTIONS_WORK[1] if self.plan.objections else 0)) // max(1, self.plan.personas)))
        started = [name for name in self.tokens if name not in self.finished]
        waiting = max(0, self.plan.personas - len(self.finished) - len(started))
        evaluated = waiting * per[0] + extra[0]
        generated = waiting * per[1] + extra[1]
        for name in started:
            evaluated += max(0, per[0] - self.tokens[name][0])
            generated += max(0, per[1] - self.tokens[name][1])
        return evaluated, max(0, generated - self.generated)

    def eta(self) -> float | None:
        """Seconds left: the tokens still ahead at the best speeds known (this run's, once measured),
        counting down between events."""
        now = time.monotonic()
        if self._eta is None:
            self._eta = (self._estimate(), now)
        estimate, at = self._eta
        return None if estimate is None else max(0.0, estimate - (now - at))

    def _estimate(self) -> float | None:
        if self.plan is None:
            return None
        pace = self.measured_pace() or self.plan.pace
        if pace is None and self.rate > 0:
            pace = Pace(1e9, self.rate)  # a remote model: only its generation speed is visible
        if pace is None:
            return None
        other = self.plan.other_seconds - (time.monotonic() - self.step_started) if self.step == "prepare" else 0.0
        return max(0.0, other) + pace.seconds(*self.remaining_tokens())

    def call_line(self) -> str:
        """The last call in a few words: tokens generated, seconds, tokens/s."""
        call = self.last_call
        if not call:
            return ""
        seconds = float(call.get("prompt_seconds", 0.0)) + float(call.get("generate_seconds", 0.0))
        generated = int(call.get("output_tokens", 0))
        rate = generated / call["generate_seconds"] if call.get("generate_seconds") else 0.0
        return f"{generated} tokens in {seconds:.1f} s ({rate:.1f} tokens/s)"

    def status(self) -> str:
        """One line: persona, stage, tokens of the current call and tokens/s, ETA."""
        parts = [part for part in (self.persona, self.stage) if part]
        if self.generated:
            parts.append(f"{self.generated} tokens" + (f" at {self.rate:.1f} tokens/s" if self.rate else ""))
        eta = self.eta()
        if eta is not None:
            parts.append(f"ETA {duration(eta)}")
        return " · ".join(parts)
