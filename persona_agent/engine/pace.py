"""How fast this machine runs the local model: prompt tokens/s and generated tokens/s.

`measure` evaluates a prompt once (KV cache cleared) and then generates a fixed number of tokens
through llama-cpp-python's own sampling loop: the raw speeds every estimate here is built on (the
benchmark's "ideal persona" is ``measure(…, 1500, 700)``). `PaceBook` keeps measured speeds per model
file, build and settings in a small JSON file next to the assembled models, so a later run on this
machine can announce its time without a probe; finished runs update it with what they measured.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PROBE_TEXT = ("A customer of an online coffee shop answers a survey about delivery, prices, subscriptions, "
              "gifts and the beans they buy, and explains in their own words what they like and what stops "
              "them from ordering again. ")


@dataclass(frozen=True)
class Pace:
    prompt_tps: float  # prompt tokens evaluated per second
    generate_tps: float  # tokens generated per second
    source: str = "probe"  # probe | run | benchmark

    def seconds(self, evaluated: float, generated: float) -> float:
        """The compute ``evaluated`` prompt tokens and ``generated`` tokens need at these speeds."""
        return evaluated / max(self.prompt_tps, 1e-6) + generated / max(self.generate_tps, 1e-6)


@dataclass(frozen=True)
class Measurement:
    prompt_tokens: int
    prompt_seconds: float
    generated: int
    generate_seconds: float

    @property
    def pace(self) -> Pace:
        return Pace(self.prompt_tokens / max(self.prompt_seconds, 1e-9),
                    self.generated / max(self.generate_seconds, 1e-9), "probe")

    @property
    def seconds(self) -> float:
        return self.prompt_seconds + self.generate_seconds


def prompt_tokens(llama: Any, count: int, text: str = PROBE_TEXT) -> list[int]:
    """``count`` tokens of ``text`` (repeated as needed)."""
    tokens = llama.tokenize(text.encode("utf-8"), add_bos=False)
    return (tokens * (count // max(1, len(tokens)) + 1))[:count]


def measure(loaded: Any, prompt: int = 256, generate: int = 32, text: str = PROBE_TEXT) -> Measurement:
    """Evaluate ``prompt`` tokens from scratch, then sample ``generate`` tokens (end of text ignored:
    the count is fixed), with the sampler settings the chat model uses. ``loaded``: `llamacpp.Loaded`."""
    from persona_agent.engine.llamacpp import Meter

    llama = loaded.llama
    with loaded.lock:
        tokens = prompt_tokens(llama, prompt, text)
        # warm-up: the first tokens after loading also page the weights in (seconds on a cold file), which
        # is not the speed of any later call; 32 tokens and 2 generated touch every layer
        llama.reset()
        for index, _ in enumerate(llama.generate(tokens[:32], temp=0.2, top_k=40, top_p=0.95, repeat_penalty=1.1)):
            if index >= 1:
                break
        llama.reset()  # nothing reused: the whole prompt is evaluated
        meter = Meter()
        llama.meter = meter
        try:
            for _ in llama.generate(tokens, temp=0.2, top_k=40, top_p=0.95, repeat_penalty=1.1):
                if meter.generated >= max(1, generate):
                    break
        finally:
            meter.finish()
            llama.meter = None
            llama.reset()
    timings = meter.timings()
    return Measurement(int(timings["evaluated"]), float(timings["prompt_seconds"]), meter.generated,
                       float(timings["generate_seconds"]))


class PaceBook:
    """Speeds measured on this machine, by model file + build + settings (``key``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> Pace | None:
        entry = self._read().get(key)
        if not isinstance(entry, dict):
            return None
        try:
            return Pace(float(entry["prompt_tps"]), float(entry["generate_tps"]), str(entry.get("source", "run")))
        except (TypeError, KeyError, ValueError):
            return None

    def put(self, key: str, pace: Pace) -> None:
        data = self._read()
        data[key] = {**asdict(pace), "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        self._write(data)

    def get_extra(self, key: str) -> dict[str, Any]:
        value = self._read().get(key)
        return value if isinstance(value, dict) else {}

    def put_extra(self, key: str, value: dict[str, Any]) -> None:
        data = self._read()
        data[key] = value
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        """Atomically (a reader never sees half a file); a failure to write loses an estimate, nothing else."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=self.path.name, dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
            os.replace(name, self.path)
        except OSError:
            pass


def pace_key(llm: Any) -> str | None:
    """The key a local chat model's speeds are stored under (None for other models)."""
    path = getattr(llm, "model_path", None)
    if not path:
        return None
    from persona_agent.engine.llamacpp import build_info

    sha = getattr(llm, "model_sha256", "") or Path(path).name
    return (f"{sha[:16]} | {build_info().line()} | threads {llm.n_threads} | batch {llm.n_batch} | "
            f"flash {int(llm.flash_attn)} | lookup {llm.prompt_lookup}")
