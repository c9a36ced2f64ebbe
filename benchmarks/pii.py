"""Entity-level recall per type and false positives per 100 negative lines on the labelled PII set.

    python benchmarks/pii.py            # the figures
    python benchmarks/pii.py --misses   # and every missed entity and false positive

The set is ``tests/data/pii_set.tsv`` (no/da/sv/nl/en/ru; format in its header). An entity counts as
found when one finding of its type covers all of it; every finding on a negative line is a false
positive. tests/test_pii_set.py asserts the targets on the same numbers. ``pii_holdout.tsv`` was
written after the detector was frozen and never used to tune it: its figures are the honest ones.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pii_eval import evaluate, load_set  # noqa: E402


def main() -> None:
    for name in ("pii_set.tsv", "pii_holdout.tsv"):
        print(f"== {name}")
        show(ROOT / "tests" / "data" / name)


def show(path: Path) -> None:
    lines = load_set(path)
    started = time.perf_counter()
    report = evaluate(lines)
    seconds = time.perf_counter() - started
    print(f"{len(lines)} lines ({report.negative_lines} hard negatives), "
          f"{sum(report.expected.values())} entities, {seconds * 1000 / len(lines):.1f} ms a line")
    print(f"{'type':<12} {'found':>5} / {'all':<4} recall")
    for kind in sorted(report.expected):
        print(f"{kind:<12} {report.found[kind]:>5} / {report.expected[kind]:<4} {report.recall(kind):.1%}")
    print(f"false positives on negative lines: {report.false_positives} "
          f"({report.false_positives_per_100:.1f} per 100 negative lines)")
    print(f"extra findings on positive lines: {len(report.extra)}")
    if "--misses" in sys.argv:
        for language, text, kind, span in report.misses:
            print(f"MISS {kind:<11} [{language}] {span!r} in {text!r}")
        for language, text, found in report.false_positive_lines + report.extra:
            print(f"FP   [{language}] {found!r} in {text!r}")


if __name__ == "__main__":
    main()
