"""Persona quality, by the numbers issue 9 sets, for personas generated on one or more research folders.

    python benchmarks/persona_quality.py --generate --seeds 42 7 1234   # generate (local model) and measure
    python benchmarks/persona_quality.py DIR [DIR …]                    # measure persona folders already written

Per persona: claims (written by the model vs filled from the stats), distinct evidence ids, the most
claims behind one id, themes used (with their respondents), quotes verbatim and customer-authored,
template sections filled or explicitly "no evidence", claims removed by the checks, calls, tokens and
seconds. With several seeds: the spread (min–max) of each figure. Targets: ≥ 20 claims of which ≥ 10
written, ≥ 15 distinct ids, no id behind more than 3 claims, ≥ 3 themes, ≥ 2 quotes all verbatim.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.personas.assemble import TEMPLATE_SECTIONS  # noqa: E402
from persona_agent.personas.claims import iter_claims  # noqa: E402
from persona_agent.personas.grounding import verbatim  # noqa: E402
from persona_agent.personas.schema import Persona  # noqa: E402
from persona_agent.research.authorship import customer_words  # noqa: E402
from persona_agent.workflows.run import prepare  # noqa: E402


def measure(persona: Persona, store) -> dict:
    pairs = list(iter_claims(persona))
    claims = [c for _, c in pairs]
    # as the rule counts (grounding.overuse_findings): a journey stage, or an objection with its response, once
    groups: dict[str, set[str]] = {}
    for path, claim in pairs:
        group = path.split(".")[0] if path.startswith(("journey[", "objections[")) else path
        for evidence_id in claim.evidence:
            groups.setdefault(evidence_id, set()).add(group)
    per_id = Counter({evidence_id: len(uses) for evidence_id, uses in groups.items()})
    themes = {i for c in claims for i in c.evidence if i.startswith("theme:")}
    chunks = {e.evidence_id: e for e in store.get([q.evidence_id for q in persona.quotes])} if store else {}
    quotes_ok = sum(1 for q in persona.quotes if q.evidence_id in chunks
                    and (words := customer_words(chunks[q.evidence_id])) and verbatim(q.text, words))
    provenance = persona.provenance
    return {
        "persona": persona.name, "segment": persona.segment.segment_id, "claims": len(claims),
        "llm_claims": sum(c.origin == "llm" for c in claims), "stat_claims": sum(c.origin == "stats" for c in claims),
        "distinct_ids": len(per_id), "max_claims_per_id": max(per_id.values(), default=0),
        "themes_used": len(themes), "theme_people": {t.theme_id: t.respondents + t.customers
                                                     for t in persona.segment.themes if t.theme_id in themes},
        "quotes": len(persona.quotes), "quotes_verbatim": quotes_ok,
        "sections_filled": sum(1 for name in TEMPLATE_SECTIONS if name not in persona.no_evidence),
        "sections_no_evidence": list(persona.no_evidence),
        "confidence": dict(Counter(c.confidence or "none" for c in claims)),
        "removed": provenance.removed_claims if provenance else 0,
        "calls": provenance.llm_calls if provenance else 0,
        "tokens_in": provenance.input_tokens if provenance else 0,
        "tokens_out": provenance.output_tokens if provenance else 0,
        "tokens_cached": provenance.cached_tokens if provenance else 0,
    }


def spread(values: list[float]) -> str:
    return f"{min(values):g}" if min(values) == max(values) else f"{min(values):g}–{max(values):g}"


def report(rows: list[dict]) -> None:
    keys = ["claims", "llm_claims", "stat_claims", "distinct_ids", "max_claims_per_id", "themes_used", "quotes",
            "quotes_verbatim", "sections_filled", "removed", "calls", "tokens_in", "tokens_out", "tokens_cached"]
    by_segment: dict[str, list[dict]] = {}
    for row in rows:
        by_segment.setdefault(f"{row['folder']} {row['segment']}", []).append(row)
    print(f"\n{'persona (folder segment)':34}" + "".join(f"{k[:11]:>12}" for k in keys))
    for name, group in by_segment.items():
        print(f"{name:34}" + "".join(f"{spread([r[k] for r in group]):>12}" for k in keys))
    targets = {"claims ≥ 20": all(r["claims"] >= 20 for r in rows),
               "written ≥ 10": all(r["llm_claims"] >= 10 for r in rows),
               "ids ≥ 15": all(r["distinct_ids"] >= 15 for r in rows),
               "≤ 3 claims per id": all(r["max_claims_per_id"] <= 3 for r in rows),
               "themes ≥ 3": all(r["themes_used"] >= 3 for r in rows),
               "quotes ≥ 2, all verbatim": all(r["quotes"] >= 2 and r["quotes_verbatim"] == r["quotes"] for r in rows)}
    print("\ntargets on every persona: " + "; ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in targets.items()))
    seconds = [r["seconds"] for r in rows if r.get("seconds")]
    if seconds:
        print(f"seconds per persona: {spread([round(s) for s in seconds])}")


def generate(folders: dict[str, tuple[Path, Path]], seeds: list[int], count: int, out: Path,
             cache_dir: Path | None = None) -> list[dict]:
    from persona_agent.engine.cache import SQLiteLLMCache
    from persona_agent.engine.llm import make_chat_model
    from persona_agent.personas.generate import Generator, generate_personas
    from persona_agent.personas.plan import plan_targets

    rows = []
    for name, (_, home) in folders.items():
        settings = load_settings(home=home)
        store = prepare(settings, None).store
        for seed in seeds:
            cache = SQLiteLLMCache(cache_dir / f"llm-cache-{name}.sqlite") if cache_dir else None
            llm = make_chat_model(settings, cache=cache)
            if hasattr(llm, "seed"):
                llm.seed = seed
            target_dir = out / f"{name}-seed{seed}"
            generator = Generator(llm=llm, store=store, out_dir=target_dir,
                                  model_name=str(getattr(llm, "model_name", None) or settings.model),
                                  analysis_dir=settings.analysis_dir)
            started = time.perf_counter()
            result = generate_personas(generator, plan_targets(store, settings.analysis_dir, count), concurrency=1)
            elapsed = time.perf_counter() - started
            for outcome in result.outcomes:
                if outcome.persona is None:
                    print(f"{name} seed {seed} {outcome.target.key}: FAILED {outcome.error}")
                    continue
                rows.append({**measure(outcome.persona, store), "folder": name, "seed": seed,
                             "seconds": elapsed / max(1, len(result.outcomes))})
            print(f"{name} seed {seed}: {len(result.outcomes)} personas in {elapsed:.0f} s → {target_dir}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="persona folders to measure")
    parser.add_argument("--generate", action="store_true", help="generate on knowledge/ and research B first")
    parser.add_argument("--seeds", type=int, nargs="+", default=[42])
    parser.add_argument("--count", type=int, default=2)
    parser.add_argument("--only", choices=["knowledge", "research_b"], default=None, help="with --generate: one folder")
    parser.add_argument("--work", type=Path, default=Path("/tmp/persona-bench"))
    parser.add_argument("--home", type=Path, default=None, help="PERSONA_HOME of the folders given")
    parser.add_argument("--cache", action="store_true",
                        help="with --generate: keep the model's replies (WORK/llm-cache-<folder>.sqlite), so a re-run "
                             "after a change to the checks costs only the calls whose prompts changed (its seconds "
                             "are then not generation times)")
    args = parser.parse_args()
    rows: list[dict] = []
    if args.generate:
        from benchmarks.grounding import homes

        folders = {name: paths for name, paths in homes(args.work).items() if args.only in (None, name)}
        rows = generate(folders, args.seeds, args.count, args.work / "quality", args.work if args.cache else None)
    for folder in args.folders:
        store = prepare(load_settings(home=args.home), None).store if args.home else None
        for path in sorted(folder.glob("[!.]*.json")):
            rows.append({**measure(Persona.model_validate_json(path.read_text()), store), "folder": folder.name,
                         "seed": 0})
    report(rows)
    (args.work / "persona_quality.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
