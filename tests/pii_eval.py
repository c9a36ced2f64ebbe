"""Scoring the detector on the labelled PII set (tests/data/pii_set.tsv); shared by
tests/test_pii_set.py and benchmarks/pii.py."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from persona_agent.core.pii import find_pii


@dataclass(frozen=True)
class LabelledLine:
    language: str
    text: str
    entities: tuple[tuple[str, str], ...]  # (type, exact span text)


@dataclass
class Report:
    expected: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    negative_lines: int = 0
    false_positives: int = 0
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)
    false_positive_lines: list[tuple[str, str, str]] = field(default_factory=list)
    extra: list[tuple[str, str, str]] = field(default_factory=list)  # findings on positive lines, no label

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.expected[kind] if self.expected[kind] else 1.0

    @property
    def false_positives_per_100(self) -> float:
        return 100 * self.false_positives / max(self.negative_lines, 1)


def load_set(path: Path) -> list[LabelledLine]:
    lines: list[LabelledLine] = []
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        language, text, labels = (raw.split("\t") + [""])[:3]
        text = text.replace("\\n", "\n")
        entities = []
        for label in filter(None, (part.strip() for part in labels.split(" | "))):
            kind, _, span = label.partition(":")
            span = span.replace("\\n", "\n")
            if span not in text:
                raise ValueError(f"{path.name}:{number}: {span!r} is not in the text")
            entities.append((kind, span))
        lines.append(LabelledLine(language, text, tuple(entities)))
    return lines


def evaluate(lines: list[LabelledLine]) -> Report:
    report = Report()
    for line in lines:
        findings = find_pii(line.text)
        if not line.entities:
            report.negative_lines += 1
            report.false_positives += len(findings)
            report.false_positive_lines += [(line.language, line.text, line.text[f.start:f.end]) for f in findings]
            continue
        used: set[int] = set()
        for kind, span in line.entities:
            start = line.text.index(span)
            end = start + len(span)
            report.expected[kind] += 1
            hit = next((i for i, f in enumerate(findings)
                        if f.kind == kind and f.start <= start and f.end >= end), None)
            if hit is None:
                report.misses.append((line.language, line.text, kind, span))
            else:
                report.found[kind] += 1
                used.add(hit)
        overlapping = {i for i, f in enumerate(findings) for kind, span in line.entities
                       if f.start < line.text.index(span) + len(span) and line.text.index(span) < f.end}
        report.extra += [(line.language, line.text, line.text[f.start:f.end])
                         for i, f in enumerate(findings) if i not in used | overlapping]
    return report
