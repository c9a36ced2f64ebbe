"""llama-cpp-python under the local chat model: one loaded model per process, the build it runs on,
and a meter that counts what each call evaluated, reused from the KV cache and generated.

Builds. ``pip install llama-cpp-python`` compiles for the CPU it runs on (GGML_NATIVE). On a CPU with
AMX (Xeon Sapphire Rapids and later) such a build routes quantised matrix products through ggml's
AMX kernels, which crash the process (segfault in ``ggml_backend_amx_mul_mat``, llama-cpp-python
0.3.36) as soon as a prompt of more than one token is evaluated. We detect that pair (a build with
AMX_INT8, a CPU with amx_int8) and load the weights without the extra buffer types
(``use_extra_bufts=False``): no AMX, and also no weight repacking, so prompts are evaluated slower;
`Build.advice` says how to rebuild for full speed. Figures: ``benchmarks/local_generate.py``.

Reuse. llama-cpp-python keeps the tokens it evaluated last and, for the next prompt, evaluates only
what follows the longest common prefix. `Meter` records per call how many prompt tokens were
evaluated (the rest were reused), how many were generated, and when.
"""

from __future__ import annotations

import ctypes
import logging
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# SIMD features ggml can be built with, as llama_print_system_info names them → /proc/cpuinfo flag
_FEATURES = {"AVX2": "avx2", "AVX_VNNI": "avx_vnni", "AVX512": "avx512f", "AVX512_VBMI": "avx512vbmi",
             "AVX512_VNNI": "avx512_vnni", "AVX512_BF16": "avx512_bf16", "AMX_INT8": "amx_int8"}
PORTABLE_HINT = 'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON ' \
                '-DGGML_AVX512_BF16=ON" pip install --force-reinstall --no-cache-dir llama-cpp-python==0.3.36'


@dataclass(frozen=True)
class Build:
    """The SIMD features the installed llama.cpp was compiled with, and those of this CPU."""

    features: frozenset[str]
    cpu: frozenset[str]

    @property
    def native(self) -> bool:
        """Compiled for this CPU: it uses every SIMD feature ggml knows that the CPU has."""
        return not self.unused

    @property
    def unused(self) -> list[str]:
        return [name for name, flag in _FEATURES.items() if flag in self.cpu and name not in self.features]

    @property
    def amx_crash(self) -> bool:
        """AMX kernels compiled in and an AMX CPU: the pair that segfaults (see the module docstring)."""
        return "AMX_INT8" in self.features and "amx_int8" in self.cpu

    def line(self) -> str:
        simd = " ".join(name for name in _FEATURES if name in self.features) or "no AVX2"
        kind = "native" if self.native else "portable"
        text = f"{kind} build ({simd})"
        if self.unused:
            text += f"; this CPU also has {' '.join(self.unused)}"
        if self.amx_crash:
            text += "; AMX and weight repacking off (they crash on this CPU)"
        return text

    def advice(self) -> str | None:
        if self.amx_crash:
            return ("llama-cpp-python was compiled with AMX, which crashes on this CPU: running without AMX "
                    f"and weight repacking (slower prompts). For full speed rebuild it: {PORTABLE_HINT}")
        return None


@cache
def build_info() -> Build:
    import llama_cpp

    info = llama_cpp.llama_print_system_info()
    text = info.decode(errors="replace") if isinstance(info, bytes) else str(info)
    features = frozenset(name for name, on in re.findall(r"(\w+) = (\d)", text) if on == "1")
    return Build(features=features, cpu=cpu_flags())


def cpu_flags() -> frozenset[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux: no AMX problem known there
        return frozenset()
    line = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return frozenset(line.partition(":")[2].split())


# ------------------------------------------------------------------------------------------ metering
@dataclass
class Meter:
    """What one request cost: prompt tokens evaluated (the rest came from the KV cache), tokens
    generated, and when. ``on_token`` is called with each generated token's text as it is sampled."""

    on_token: Callable[[str], None] | None = None
    started: float = field(default_factory=time.perf_counter)
    evaluated: int = -1  # prompt tokens evaluated; -1 until the prompt was evaluated
    generated: int = 0
    sample_seconds: float = 0.0  # choosing tokens (the grammar's share of generation shows here)
    prompt_started: float = 0.0  # the first `eval` of a request is its prompt (after the reused prefix)
    prompt_done: float = 0.0
    finished: float = 0.0

    def finish(self) -> None:
        self.finished = time.perf_counter()

    def timings(self) -> dict[str, float | int]:
        """Seconds spent templating, tokenising and compiling the grammar (setup), evaluating the
        prompt, and generating (sampling and evaluating each new token, grammar included)."""
        prompt_done = self.prompt_done or self.finished
        return {"evaluated": max(0, self.evaluated),
                "setup_seconds": round((self.prompt_started or prompt_done) - self.started, 4),
                "prompt_seconds": round(prompt_done - (self.prompt_started or prompt_done), 4),
                "generate_seconds": round(max(0.0, self.finished - prompt_done), 4),
                "sample_seconds": round(self.sample_seconds, 4)}


@cache
def _metered_class() -> type:
    """`llama_cpp.Llama` with `Meter` hooks on `eval` and `sample` (built on first use: importing
    llama_cpp is heavy)."""
    from llama_cpp import Llama

    class MeteredLlama(Llama):
        meter: Meter | None = None
        lazy_grammar: bool = True

        def _init_sampler(self, **kwargs: Any) -> Any:  # type: ignore[override]  # called with keywords only
            grammar = kwargs.pop("grammar", None)
            chain = super()._init_sampler(grammar=None if self.lazy_grammar else grammar, **kwargs)
            if grammar is None or not self.lazy_grammar:
                return chain
            return LazyGrammarSampler(self, chain, grammar)

        def eval(self, tokens: Any) -> None:
            meter = self.meter
            if meter is None or meter.evaluated >= 0:
                return super().eval(tokens)
            meter.prompt_started = time.perf_counter()
            super().eval(tokens)
            meter.prompt_done = time.perf_counter()
            meter.evaluated = len(tokens)

        def sample(self, *args: Any, **kwargs: Any) -> int:
            started = time.perf_counter()
            token = super().sample(*args, **kwargs)
            meter = self.meter
            if meter is not None:
                meter.sample_seconds += time.perf_counter() - started
                meter.generated += 1
                if meter.on_token is not None:
                    meter.on_token(self.detokenize([token]).decode("utf-8", errors="ignore"))
            return token

    return MeteredLlama


class LazyGrammarSampler:
    """Grammar-constrained sampling that checks the grammar against the one token the other samplers
    chose, and runs it over the whole vocabulary only when that token is not allowed (llama.cpp's own
    common sampler does the same). llama-cpp-python puts the grammar first in its sampler chain, where
    it tests all ~152k tokens of the Qwen vocabulary at every step: a third of the generation time on
    these JSON sections (``benchmarks/local_generate.py --variants``). Same constraint, same samplers."""

    def __init__(self, llama: Any, chain: Any, grammar: Any) -> None:
        import llama_cpp
        import numpy as np

        self._api = llama_cpp
        self._chain = chain  # a llama_cpp._internals.LlamaSampler (penalties → top-k … → dist)
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            llama._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        self._n_vocab = int(llama._n_vocab)
        self._buffer = (llama_cpp.llama_token_data * self._n_vocab)()
        self._view = np.ctypeslib.as_array(self._buffer)  # fields id, logit, p over the same memory
        self._ids = np.arange(self._n_vocab, dtype=np.int32)
        self._one = (llama_cpp.llama_token_data * 1)()
        self.checked = 0  # tokens the grammar accepted on a single check
        self.resampled = 0  # tokens for which the grammar had to filter the whole vocabulary

    def _candidates(self, ctx: Any, idx: int) -> Any:
        import numpy as np

        logits = self._api.llama_get_logits_ith(ctx.ctx, idx)
        self._view["id"] = self._ids
        self._view["logit"] = np.ctypeslib.as_array(logits, shape=(self._n_vocab,))
        self._view["p"] = 0.0
        return self._api.llama_token_data_array(data=self._buffer, size=self._n_vocab, selected=-1, sorted=False)

    def _allowed(self, token: int) -> bool:
        import math

        self._one[0] = self._api.llama_token_data(token, 0.0, 0.0)
        single = self._api.llama_token_data_array(data=self._one, size=1, selected=-1, sorted=False)
        self._api.llama_sampler_apply(self._grammar, ctypes.byref(single))
        return not math.isinf(self._one[0].logit)

    def sample(self, ctx: Any, idx: int = -1) -> int:
        candidates = self._candidates(ctx, idx)
        self._api.llama_sampler_apply(self._chain.sampler, ctypes.byref(candidates))
        token = int(candidates.data[candidates.selected].id)
        if self._allowed(token):
            self.checked += 1
        else:  # the grammar filters everything first, then the same samplers choose again
            self.resampled += 1
            candidates = self._candidates(ctx, idx)
            self._api.llama_sampler_apply(self._grammar, ctypes.byref(candidates))
            self._api.llama_sampler_apply(self._chain.sampler, ctypes.byref(candidates))
            token = int(candidates.data[candidates.selected].id)
        self._api.llama_sampler_accept(self._grammar, token)
        self._api.llama_sampler_accept(self._chain.sampler, token)
        return token

    def accept(self, token: int) -> None:
        self._api.llama_sampler_accept(self._grammar, token)
        self._chain.accept(token)

    def reset(self) -> None:
        self._api.llama_sampler_reset(self._grammar)
        self._chain.reset()

    def close(self) -> None:
        if self._grammar is not None:
            self._api.llama_sampler_free(self._grammar)
            self._grammar = None
        self._chain.close()

    def __del__(self) -> None:
        self.close()


# ------------------------------------------------------------------------------------------ loading
@dataclass(frozen=True)
class LoadOptions:
    """How the GGUF is loaded: context, threads, prompt batch, flash attention, prompt-lookup drafts."""

    n_ctx: int = 8192
    n_threads: int = 2
    n_batch: int = 512
    flash_attn: bool = False
    prompt_lookup: int = 0  # draft tokens per step from the prompt (0: off)
    seed: int = 42


@dataclass
class Loaded:
    llama: Any
    lock: threading.Lock = field(default_factory=threading.Lock)  # a llama context serves one request at a time


_loaded: dict[tuple[str, LoadOptions], Loaded] = {}
_load_lock = threading.Lock()


def load(model_path: str, options: LoadOptions) -> Loaded:
    """One model per (file, options) per process: loading costs seconds and a GB of RAM."""
    key = (model_path, options)
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = Loaded(_construct(model_path, options))
        return _loaded[key]


def _construct(model_path: str, options: LoadOptions) -> Any:
    build = build_info()
    kwargs: dict[str, Any] = {"model_path": model_path, "n_ctx": options.n_ctx, "n_threads": options.n_threads,
                              "n_batch": options.n_batch, "n_ubatch": options.n_batch, "flash_attn": options.flash_attn,
                              "seed": options.seed, "verbose": False}
    if options.prompt_lookup:
        from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

        kwargs["draft_model"] = LlamaPromptLookupDecoding(num_pred_tokens=options.prompt_lookup)
    metered = _metered_class()
    if not build.amx_crash:
        return metered(**kwargs)
    log.warning("%s", build.advice())
    restore = _without_extra_bufts()
    try:
        return metered(**kwargs)
    finally:
        restore()


def _without_extra_bufts() -> Callable[[], None]:
    """Make every model load without the extra buffer types (AMX, repacking); returns the undo.

    `Llama` fills llama_model_params from llama_model_default_params() and offers no switch for
    use_extra_bufts: hand it defaults with them off."""
    import llama_cpp
    import llama_cpp.llama as llama_module

    default_params = llama_cpp.llama_cpp.llama_model_default_params

    def without_extra_bufts() -> Any:
        params = default_params()
        params.use_extra_bufts = False
        return params

    llama_module.llama_cpp.llama_model_default_params = without_extra_bufts

    def restore() -> None:
        llama_module.llama_cpp.llama_model_default_params = default_params

    return restore


def serve(argv: list[str]) -> None:
    """llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server`` arguments) behind the
    same build guard: ``python -m persona_agent.engine.llamacpp --model … --port …``."""
    import runpy

    build = build_info()
    if build.amx_crash:
        log.warning("%s", build.advice())
        _without_extra_bufts()
    sys.argv = ["llama_cpp.server", *argv]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


def close_all() -> None:
    """Free models before interpreter teardown (llama-cpp's own __del__ then fails noisily)."""
    with _load_lock:
        for loaded in _loaded.values():
            loaded.llama.close()
        _loaded.clear()


if __name__ == "__main__":
    serve(sys.argv[1:])
