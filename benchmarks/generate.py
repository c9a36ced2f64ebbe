"""Generation throughput with a fake chat model that sleeps a fixed latency per call.

Prints wall time for 1 and for 6 personas (goal: 6 take <= 1.5x the time of 1), LLM calls per
persona, and an unchanged re-run (goal: 0 calls, served by the SQLite LLM cache).

    python benchmarks/generate.py [--latency 0.5] [--concurrency 6]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from langchain_core.messages import BaseMessage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from persona_agent.analysis.analyze import analyze_folder  # noqa: E402
from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.engine.cache import SQLiteLLMCache  # noqa: E402
from persona_agent.engine.store import open_store  # noqa: E402
from persona_agent.personas.generate import Generator, generate_personas  # noqa: E402
from persona_agent.personas.plan import plan_targets  # noqa: E402
from persona_agent.personas.schema import Evidence  # noqa: E402
from persona_agent.research.ingest import ingest_folder  # noqa: E402
from persona_agent.testing import HashEmbeddings, QueuedChatModel  # noqa: E402
from tests.helpers import good_draft  # noqa: E402


class SleepyModel(QueuedChatModel):
    """Answers every request validly after ``latency`` seconds (drafts, critiques)."""

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs):
        prompt = messages[-1].text
        if "List the problems." in prompt:
            self.queue({"issues": []})
        else:
            evidence = []
            for line in prompt.splitlines():
                match = re.match(r"^\[([^\]]+)\] \((\w+)[,)]", line)
                if match:
                    text = line.split(") ", 1)[1]
                    evidence.append(Evidence(evidence_id=match.group(1), kind=match.group(2), text=text, source="x"))
            segment = re.search(r"\[segment:(S\d+)\]", prompt)
            label = segment.group(1) if segment else "X"
            name = f"Persona {label}"
            traits = {"S1": "students chasing sales", "S2": "home baristas who care about origin",
                      "S3": "gift buyers before the holidays", "S4": "office managers who need invoices",
                      "S5": "commuters buying on their phone", "S6": "retired couples who like routine"}
            self.queue(good_draft(evidence, name=name, gist=traits.get(label, "other buyers")))
        return super()._generate(messages, stop, run_manager, **kwargs)


def run(generator_args: dict, targets, concurrency: int) -> tuple[float, list]:
    started = time.perf_counter()
    report = generate_personas(Generator(**generator_args), targets, concurrency=concurrency)
    return time.perf_counter() - started, report.outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per fake LLM call")
    parser.add_argument("--concurrency", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        settings = load_settings(home=home / "home")
        store = open_store(settings, HashEmbeddings())
        ingest_folder(ROOT / "knowledge", store)
        analyze_folder(ROOT / "knowledge", store, settings.home, k=6)
        targets = plan_targets(store, settings.analysis_dir)
        print(f"segments: {len(targets)}, latency per LLM call: {args.latency} s, concurrency {args.concurrency}")
        cache = SQLiteLLMCache(home / "cache.sqlite")
        run({"llm": SleepyModel(), "store": store, "out_dir": home / "warm", "model_name": "sleepy"}, targets[:1], 1)
        for count in (1, 6):
            model = SleepyModel(latency=args.latency)  # no cache: every call costs its latency
            seconds, outcomes = run({"llm": model, "store": store, "out_dir": home / f"out{count}",
                                     "model_name": "sleepy"}, targets[:count], args.concurrency)
            calls = len(model.calls) / count
            ok = sum(o.persona is not None for o in outcomes)
            print(f"{count} persona(s): {seconds:.2f} s wall, {calls:.1f} LLM calls per persona, {ok} written")
            if count == 1:
                one = seconds
        print(f"6 personas take {seconds / one:.2f}x the time of 1 (goal <= 1.5x)")
        first = SleepyModel(latency=args.latency, cache=cache)
        run({"llm": first, "store": store, "out_dir": home / "cached", "model_name": "sleepy"}, targets[:6],
            args.concurrency)
        again = SleepyModel(latency=args.latency, cache=cache)
        seconds, _ = run({"llm": again, "store": store, "out_dir": home / "cached", "model_name": "sleepy"},
                         targets[:6], args.concurrency)
        print(f"unchanged re-run of 6 personas: {seconds:.2f} s, {len(again.calls)} LLM calls (goal 0)")


if __name__ == "__main__":
    main()
