"""Progress events: what the library reports while it works, for the CLI (or a web page) to render.

Every long-running function takes ``on_event(kind, **fields)``; the library never prints. The kinds
and their fields (all optional to a renderer: unknown kinds and fields are to be ignored):

- ``start``    name, total — a counted task begins (``ingest``: files; ``personas``)
- ``advance``  name, item, by=1 — one more of it done
- ``warning``  message — something the user should read; the run goes on
- ``step``     name — a step of a workflow begins (``prepare``, ``generate``, ``ask``)
- ``plan``     work, personas, objections, evaluated, generated, other_seconds, seconds, prompt_tps,
               generate_tps, pace — what a run expects to do: personas to write (and an objections call
               after them), prompt tokens to evaluate, tokens to generate, seconds of other work (ingest,
               analysis), and the seconds it all takes at the speeds measured on this machine (``pace``:
               probe | run; no speeds and no seconds for a remote model)
- ``stage``    persona, stage — a persona's next step: ``retrieve``, ``draft <section>``, ``critique``,
               ``revise <section>``, ``write``; in chat ``answer``, ``objections``
- ``tokens``   persona, generated, seconds, rate — a token was generated (per call: count so far,
               seconds since its first token, tokens/s)
- ``call``     persona, input_tokens, cached_tokens, evaluated, output_tokens, prompt_seconds,
               generate_seconds, setup_seconds, sample_seconds — one model call finished (``cached_tokens``:
               prompt tokens read from the local model's KV cache; ``evaluated`` = input_tokens -
               cached_tokens; ``sample_seconds``: the part of generation spent choosing tokens, grammar included)

`workflows.progress.RunProgress` turns these into what to show (stage, tokens/s, ETA).
"""

from __future__ import annotations

from collections.abc import Callable

EventSink = Callable[..., None]

KINDS: dict[str, tuple[str, ...]] = {
    "start": ("name", "total"),
    "advance": ("name", "item", "by"),
    "warning": ("message",),
    "step": ("name",),
    "plan": ("work", "personas", "objections", "evaluated", "generated", "other_seconds", "seconds", "prompt_tps",
             "generate_tps", "pace"),
    "stage": ("persona", "stage"),
    "tokens": ("persona", "generated", "seconds", "rate"),
    "call": ("persona", "input_tokens", "cached_tokens", "evaluated", "output_tokens", "prompt_seconds",
             "generate_seconds", "setup_seconds", "sample_seconds"),
}


def ignore(kind: str, **fields: object) -> None:
    """The sink for callers that want no events."""
