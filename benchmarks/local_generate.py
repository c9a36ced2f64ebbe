"""`persona demo` on the local model, measured call by call, against one "ideal persona".

    python benchmarks/local_generate.py [--model qwen2.5-coder-1.5b] [--count 2] [--max-rounds N]
        [--n-batch 512] [--flash-attn] [--prompt-lookup 0] [--threads N] [--variants] [--requests FILE]

Runs the demo's steps (ingest + analyse knowledge/ with the real embedder, generate ``--count``
personas, ask one for objections) in a fresh PERSONA_HOME with the reply cache off, and prints:

- per call: persona, stage, prompt tokens, tokens reused from the KV cache, evaluated, generated, the
  seconds and tokens/s of the prompt and of generation, and setup time (template, grammar);
- per stage, per persona and per demo step: seconds and tokens;
- the ideal persona (1,500 prompt tokens evaluated once + 700 generated, through llama-cpp-python's own
  loop with the same model file and settings), measured before and after the demo in the same run;
- the issue's ratios: demo / ideal persona (target <= 6), the run vs the compute its own token counts
  need at the raw speeds (target <= 1.5), the share of a persona's prompt tokens served from the KV
  cache after its first call (target >= 70 %);
- the build (native or portable, SIMD features).

``--builds DIR …`` measures prompt and generation tokens/s of the 1.5B model under each llama-cpp-python
installed in DIR (``pip install --target DIR wheel``), in turns, each in its own process.

``--variants`` then replays the recorded section requests (``--requests FILE`` loads/saves them) under
other decoding settings (no grammar, prompt-lookup decoding, n_batch, flash attention, threads) and
prints tokens/s and seconds for each against the baseline measured in the same loop. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from langchain_core.callbacks import BaseCallbackHandler  # noqa: E402

from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.engine import pace as pace_module  # noqa: E402
from persona_agent.engine.llamacpp import build_info  # noqa: E402
from persona_agent.engine.llm import make_chat_model  # noqa: E402

IDEAL_PROMPT, IDEAL_GENERATED = 1500, 700


class Recorder(BaseCallbackHandler):
    """The demo's events with timestamps, and each model request (for --variants)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.events: list[tuple[float, str, dict[str, Any]]] = []
        self.stage: dict[str, str] = {}
        self.calls: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.lines: list[tuple[float, str]] = []

    def now(self) -> float:
        return time.perf_counter() - self.t0

    def __call__(self, kind: str, **data: Any) -> None:
        self.events.append((self.now(), kind, data))
        if kind == "stage":
            self.stage[data["persona"]] = data["stage"]
        elif kind == "call":
            persona = data.get("persona", "")
            self.calls.append({"at": self.now(), "persona": persona, "stage": self.stage.get(persona, "?"), **data})
            print(f"[{self.now():6.1f} s] {persona} {self.stage.get(persona, '?')}: {data['input_tokens']} prompt "
                  f"({data['cached_tokens']} reused) in {data['prompt_seconds']:.1f} s, {data['output_tokens']} "
                  f"generated in {data['generate_seconds']:.1f} s", file=sys.stderr, flush=True)
        elif kind == "warning":
            print(f"  warning: {data.get('message')}", file=sys.stderr)

    def say(self, text: str) -> None:
        from rich.errors import MarkupError
        from rich.text import Text

        try:  # the demo's lines carry rich markup ("[bold]4. Ask …[/bold]")
            text = Text.from_markup(text).plain
        except MarkupError:
            pass
        self.lines.append((self.now(), text))
        print(f"[{self.now():6.1f} s] {text}", file=sys.stderr, flush=True)

    def on_chat_model_start(self, serialized: dict, messages: Any, **kwargs: Any) -> None:
        params = kwargs.get("invocation_params") or {}
        self.requests.append({"messages": [{"role": m.type, "content": m.text} for m in messages[0]],
                              "response_format": params.get("response_format"),
                              "max_tokens": params.get("max_tokens")})


def rate(tokens: float, seconds: float) -> str:
    return f"{tokens / seconds:7.1f}" if seconds > 0 else "      -"


def print_calls(calls: list[dict[str, Any]]) -> None:
    print(f"\n{'#':>3} {'persona':<14} {'stage':<22} {'prompt':>6} {'reused':>6} {'eval':>5} {'gen':>4} "
          f"{'setup s':>7} {'prompt s':>8} {'p tok/s':>7} {'gen s':>6} {'g tok/s':>7} {'sample s':>8}")
    for number, call in enumerate(calls, 1):
        print(f"{number:>3} {call['persona'][-14:]:<14} {call['stage'][:22]:<22} {call['input_tokens']:>6} "
              f"{call['cached_tokens']:>6} {call['evaluated']:>5} {call['output_tokens']:>4} "
              f"{call['setup_seconds']:>7.2f} {call['prompt_seconds']:>8.2f} "
              f"{rate(call['evaluated'], call['prompt_seconds'])} {call['generate_seconds']:>6.1f} "
              f"{rate(call['output_tokens'], call['generate_seconds'])} {call.get('sample_seconds', 0.0):>8.2f}")


def totals(calls: list[dict[str, Any]]) -> dict[str, float]:
    keys = ("input_tokens", "cached_tokens", "evaluated", "output_tokens", "setup_seconds", "prompt_seconds",
            "generate_seconds", "sample_seconds")
    return {key: sum(float(c.get(key, 0.0)) for c in calls) for key in keys} | {"calls": len(calls)}


def line(label: str, t: dict[str, float]) -> str:
    seconds = t["setup_seconds"] + t["prompt_seconds"] + t["generate_seconds"]
    return (f"  {label:<26} {int(t['calls']):>3} calls {seconds:7.1f} s   prompt {int(t['input_tokens']):>6} "
            f"(reused {int(t['cached_tokens']):>6}, evaluated {int(t['evaluated']):>5} at "
            f"{rate(t['evaluated'], t['prompt_seconds']).strip()} tok/s)   generated {int(t['output_tokens']):>5} at "
            f"{rate(t['output_tokens'], t['generate_seconds']).strip()} tok/s "
            f"(choosing tokens {t['sample_seconds']:.1f} s)")


def reuse_after_first(calls: list[dict[str, Any]]) -> tuple[int, int]:
    """(reused, prompt) tokens over each persona's calls after its first one."""
    seen: set[str] = set()
    reused = prompt = 0
    for call in calls:
        if call["persona"] in seen:
            reused += call["cached_tokens"]
            prompt += call["input_tokens"]
        seen.add(call["persona"])
    return reused, prompt


def steps(recorder: Recorder, finished: float) -> list[tuple[str, float, float]]:
    """(step, start, end) from the demo's ``step`` events."""
    marks = [(at, data["name"]) for at, kind, data in recorder.events if kind == "step"]
    return [(name, at, marks[i + 1][0] if i + 1 < len(marks) else finished) for i, (at, name) in enumerate(marks)]


def run(args: argparse.Namespace) -> None:
    from persona_agent.workflows.demo import run_demo

    with tempfile.TemporaryDirectory(prefix="persona-localgen-") as temp:
        settings = load_settings(home=Path(temp) / "home", model=args.model, llm_cache=False, n_batch=args.n_batch,
                                 flash_attn=args.flash_attn, prompt_lookup=args.prompt_lookup, n_threads=args.threads)
        chat = make_chat_model(settings)
        build = build_info()
        print(f"model {args.model}: {chat.model_path}")
        print(f"build: {build.line()}")
        import llama_cpp

        print(f"llama_cpp {llama_cpp.__version__}: {llama_cpp.llama_print_system_info().decode().strip()}")
        print(f"settings: threads {chat.n_threads}, n_ctx {chat.n_ctx}, n_batch {chat.n_batch}, "
              f"flash_attn {chat.flash_attn}, prompt_lookup {chat.prompt_lookup}")
        text = (ROOT / "knowledge" / "interviews").glob("*.md")
        sample = "\n".join(p.read_text(encoding="utf-8") for p in sorted(text))
        started = time.perf_counter()
        loaded = chat.loaded()
        print(f"model loaded in {time.perf_counter() - started:.1f} s")
        before = pace_module.measure(loaded, IDEAL_PROMPT, IDEAL_GENERATED, sample)
        print(f"ideal persona (before): {before.seconds:.1f} s = prompt {before.prompt_tokens} tokens in "
              f"{before.prompt_seconds:.1f} s ({before.pace.prompt_tps:.1f} tok/s) + {before.generated} generated in "
              f"{before.generate_seconds:.1f} s ({before.pace.generate_tps:.1f} tok/s)", flush=True)

        recorder = Recorder()
        chat.callbacks = [recorder]
        started = time.perf_counter()
        result = run_demo(settings, count=args.count, max_rounds=args.max_rounds, llm=chat, on_event=recorder,
                          say=recorder.say)
        demo_seconds = time.perf_counter() - started
        chat.callbacks = None
        after = pace_module.measure(loaded, IDEAL_PROMPT, IDEAL_GENERATED, sample)
        print(f"ideal persona (after):  {after.seconds:.1f} s = prompt {after.prompt_tokens} tokens in "
              f"{after.prompt_seconds:.1f} s ({after.pace.prompt_tps:.1f} tok/s) + {after.generated} generated in "
              f"{after.generate_seconds:.1f} s ({after.pace.generate_tps:.1f} tok/s)")
        report(recorder, result, demo_seconds, before, after)
        if args.requests:
            Path(args.requests).write_text(json.dumps(recorder.requests, ensure_ascii=False), encoding="utf-8")
            print(f"\n{len(recorder.requests)} requests written to {args.requests}")
        if args.variants:
            variants(settings, recorder.requests)


def report(recorder: Recorder, result: Any, demo_seconds: float, before: Any, after: Any) -> None:
    calls = recorder.calls
    print_calls(calls)
    print("\nby stage:")
    by_stage: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        by_stage[call["stage"].split(" ")[0]].append(call)
    for stage, group in by_stage.items():
        print(line(stage, totals(group)))
    print("by persona:")
    by_persona: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        by_persona[call["persona"]].append(call)
    for persona, group in by_persona.items():
        print(line(persona, totals(group)))
    print("demo steps:")
    for name, start, end in steps(recorder, demo_seconds):
        group = [c for c in calls if start <= c["at"] <= end]
        print(f"  {name:<10} {end - start:7.1f} s" + (line("", totals(group))[28:] if group else ""))
    everything = totals(calls)
    print(line("all calls", everything))
    ideal = (before.seconds + after.seconds) / 2
    raw = pace_module.Pace((before.pace.prompt_tps + after.pace.prompt_tps) / 2,
                           (before.pace.generate_tps + after.pace.generate_tps) / 2)
    compute = raw.seconds(everything["evaluated"], everything["output_tokens"])
    llm_seconds = everything["setup_seconds"] + everything["prompt_seconds"] + everything["generate_seconds"]
    reused, prompt = reuse_after_first(calls)
    personas = [o for o in (result.report.outcomes if result.report else []) if o.persona is not None]
    print(f"\npersonas written: {len(personas)}; objections asked: {result.asked is not None}")
    print(f"demo: {demo_seconds:.1f} s; ideal persona: {ideal:.1f} s (before {before.seconds:.1f}, after "
          f"{after.seconds:.1f})")
    print(f"RATIO demo / ideal persona:                      {demo_seconds / ideal:5.2f}x   (target <= 6)")
    print(f"compute the run's tokens need at the raw speeds: {compute:.1f} s ({int(everything['evaluated'])} "
          f"evaluated at {raw.prompt_tps:.1f} tok/s + {int(everything['output_tokens'])} generated at "
          f"{raw.generate_tps:.1f} tok/s)")
    print(f"RATIO demo / that compute:                       {demo_seconds / compute:5.2f}x   (target <= 1.5)")
    print(f"RATIO model calls / that compute:                {llm_seconds / compute:5.2f}x   "
          f"(the rest of the demo: {demo_seconds - llm_seconds:.1f} s outside model calls)")
    print(f"REUSE after each persona's first call:           {reused / max(1, prompt) * 100:5.1f} %   "
          f"({reused} of {prompt} prompt tokens; target >= 70 %)")
    announced = [data for _, kind, data in recorder.events if kind == "plan"]
    for plan in announced:
        print(f"announced ({plan.get('work')}, pace from {plan.get('pace')}): {plan.get('seconds', 0):.0f} s "
              f"for {plan.get('evaluated')} evaluated + {plan.get('generated')} generated tokens")


def variants(settings: Any, requests: list[dict[str, Any]]) -> None:
    """Replay the section requests under other settings; each variant gets a fresh model (nothing reused
    across variants) and replays the requests in order, so KV reuse works as in the run."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    from persona_agent.engine import llamacpp

    kinds = {"system": SystemMessage, "human": HumanMessage, "ai": AIMessage}
    chosen = [r for r in requests if r.get("response_format")][:8]
    options = [
        ("baseline", {}, True),
        ("no grammar (plain JSON mode)", {}, False),
        ("prompt lookup 10", {"prompt_lookup": 10}, True),
        ("prompt lookup 4", {"prompt_lookup": 4}, True),
        ("n_batch 128", {"n_batch": 128}, True),
        ("n_batch 2048", {"n_batch": 2048}, True),
        ("flash attention", {"flash_attn": True}, True),
        ("1 thread", {"n_threads": 1}, True),
        ("baseline again", {}, True),
    ]
    print(f"\nvariants: {len(chosen)} recorded section requests replayed in order")
    for label, change, grammar in options:
        chat = make_chat_model(settings.model_copy(update={k: v for k, v in change.items() if k != "n_threads"}))
        if "n_threads" in change:
            chat = chat.model_copy(update={"n_threads": change["n_threads"]})
        llamacpp.close_all()
        chat.loaded()
        recorder = Recorder()
        started = time.perf_counter()
        for request in chosen:
            messages = [kinds.get(m["role"], HumanMessage)(content=m["content"]) for m in request["messages"]]
            kwargs: dict[str, Any] = {"max_tokens": request.get("max_tokens") or 400}
            if grammar:
                kwargs["response_format"] = request["response_format"]
            else:
                kwargs["response_format"] = {"type": "json_object"}
            tracker = pace_module_tracker(recorder)
            chat.invoke(messages, config={"callbacks": [tracker]}, **kwargs)
        seconds = time.perf_counter() - started
        print(line(label, totals(recorder.calls)) + f"   wall {seconds:.1f} s", flush=True)
    llamacpp.close_all()


def pace_module_tracker(recorder: Recorder) -> Any:
    from persona_agent.engine.usage import UsageTracker

    return UsageTracker(on_event=recorder, label="replay")


def speed_only(args: argparse.Namespace) -> None:
    """One line of JSON: this process's build and its raw speeds (for --builds)."""
    settings = load_settings(model=args.model, n_batch=args.n_batch, flash_attn=args.flash_attn,
                             n_threads=args.threads)
    chat = make_chat_model(settings)
    started = time.perf_counter()
    loaded = chat.loaded()
    load_seconds = time.perf_counter() - started
    sample = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "knowledge" / "interviews").glob("*.md")))
    measured = pace_module.measure(loaded, args.speed_prompt, args.speed_generate, sample)
    print(json.dumps({"build": build_info().line(), "load_seconds": round(load_seconds, 2),
                      "prompt_tps": round(measured.pace.prompt_tps, 2),
                      "generate_tps": round(measured.pace.generate_tps, 2),
                      "prompt_tokens": measured.prompt_tokens, "generated": measured.generated}))


def builds(args: argparse.Namespace) -> None:
    """Each build in its own process, in turns (``--rounds``), so load from other jobs hits them alike."""
    import os
    import subprocess

    results: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for round_number in range(args.rounds):
        for folder in args.builds:
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([folder, str(ROOT)])}
            command = [sys.executable, __file__, "--speed-only", "--model", args.model, "--speed-prompt",
                       str(args.speed_prompt), "--speed-generate", str(args.speed_generate)]
            done = subprocess.run(command,
                                  capture_output=True, text=True, env=env, timeout=3600)
            if done.returncode != 0:
                print(f"  {folder}: exit code {done.returncode} {done.stderr.strip().splitlines()[-1:] or ''}")
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results[folder].append(result)
            print(f"  round {round_number + 1} {folder}: {result}", flush=True)
    print(f"\n{'build':<70} {'prompt tok/s':>12} {'gen tok/s':>10}  ideal persona (s)")
    for folder, runs in results.items():
        prompt = sum(r["prompt_tps"] for r in runs) / len(runs)
        generate = sum(r["generate_tps"] for r in runs) / len(runs)
        ideal = IDEAL_PROMPT / prompt + IDEAL_GENERATED / generate
        print(f"{Path(folder).name + ': ' + runs[0]['build']:<70.70} {prompt:>12.1f} {generate:>10.1f}  {ideal:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--count", type=int, default=2)
    parser.add_argument("--max-rounds", type=int, default=None, help="revision rounds (default: as the demo)")
    parser.add_argument("--n-batch", type=int, default=None)
    parser.add_argument("--flash-attn", action="store_true", default=None)
    parser.add_argument("--prompt-lookup", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--variants", action="store_true", help="replay the section requests under other settings")
    parser.add_argument("--requests", help="write the recorded requests to this JSON file")
    parser.add_argument("--builds", nargs="+", help="folders each holding an installed llama_cpp to compare")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--speed-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--speed-prompt", type=int, default=IDEAL_PROMPT)
    parser.add_argument("--speed-generate", type=int, default=IDEAL_GENERATED)
    args = parser.parse_args()
    if args.speed_only:
        speed_only(args)
    elif args.builds:
        builds(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
