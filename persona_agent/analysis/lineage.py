"""Stable ids across analyses: which segment (and theme) of this analysis is which of the previous one.

k-means numbers segments by size, so a re-run on changed research could call yesterday's S2 "S1",
and every persona, history and chat keyed by ``segment:S2`` would then describe someone else. So a
re-run matches its segments to the previous ones and gives each recognised segment its old id.

Two measures, because a new survey wave brings new respondents:
- respondent overlap, over the respondents in both analyses: ``|new ∩ old| / √(|new| · |old|)``
  (Ochiai; 1 when they stayed together, and symmetric, so a split or a merge scores below 1);
- centroid similarity: cosine of the segments' scaled gaps from everyone on the closed answers
  (`Segment.centroid`), which recognises a segment in answers from people never seen before.
A new segment's score weighs the two by its share of returning respondents. Pairs are assigned
one to one (Hungarian, maximum total score) and kept from `MATCH`; a segment left over that still
scores `RELATED` with a matched one is a split (new) or a merge (previous). Unmatched segments get
new numbers, never a retired one. When nothing matches (another study), numbering starts afresh.
Themes are matched within their segment the same way, by member chunks and by centroid.

Share drift is judged against the 95 % margin of the difference of two shares,
``1.96 · √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂)`` — an approximation, since the samples overlap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from persona_agent.analysis.models import (
    Lineage,
    Segment,
    SegmentationResult,
    SegmentChange,
    Theme,
    ThemeChange,
    ThemeResult,
)

MATCH = 0.5
RELATED = 0.3
Z_95 = 1.96
LINEAGE_FILE = "lineage.json"
METHOD = (f"segments matched one to one (Hungarian) on respondent overlap (Ochiai, over respondents in both "
          f"analyses) and closed-answer centroid similarity (cosine), weighted by the share of returning "
          f"respondents; kept from score {MATCH}, split/merge from {RELATED}; themes likewise on member chunks "
          f"and text centroids")
_NUMBER = re.compile(r"^S(\d+)$")


def load_previous(analysis_dir: Path) -> tuple[SegmentationResult | None, ThemeResult | None, Lineage | None]:
    """The analysis a re-run is compared with (None for parts that are missing or unreadable)."""

    def read(name: str, model: Any) -> Any:
        try:
            return model.model_validate_json((analysis_dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    return (read("segments.json", SegmentationResult), read("themes.json", ThemeResult),
            read(LINEAGE_FILE, Lineage))


def share_margin(share_before: float, n_before: int, share_after: float, n_after: int) -> float:
    """95 % margin of the difference of two shares (0 when a sample is empty)."""
    if n_before <= 0 or n_after <= 0:
        return 0.0
    variance = share_before * (1 - share_before) / n_before + share_after * (1 - share_after) / n_after
    return Z_95 * math.sqrt(max(variance, 0.0))


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    dot = sum(value * b.get(key, 0.0) for key, value in a.items())
    norms = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norms if norms else 0.0


def _scores(new: Sequence[set[str]], old: Sequence[set[str]], similarity: np.ndarray) -> tuple[np.ndarray, ...]:
    """Overlap (Ochiai over members in both), the returning share of each new set, and the blend."""
    returning = set().union(*new) & set().union(*old) if new and old else set()
    overlap = np.zeros((len(new), len(old)))
    weight = np.zeros(len(new))
    for i, members in enumerate(new):
        mine = members & returning
        weight[i] = len(mine) / len(members) if members else 0.0
        for j, theirs in enumerate(old):
            both = theirs & returning
            if mine and both:
                overlap[i, j] = len(mine & both) / math.sqrt(len(mine) * len(both))
    score = weight[:, None] * overlap + (1 - weight[:, None]) * np.clip(similarity, 0.0, None)
    return overlap, weight, score


def _assign(score: np.ndarray) -> dict[int, int]:
    """New index → previous index, one to one, maximum total score, pairs below `MATCH` dropped."""
    from scipy.optimize import linear_sum_assignment

    if not score.size:
        return {}
    rows, columns = linear_sum_assignment(-score)
    return {int(i): int(j) for i, j in zip(rows, columns, strict=True) if score[i, j] >= MATCH}


def _number(segment_id: str) -> int:
    found = _NUMBER.match(segment_id)
    return int(found.group(1)) if found else 0


# ------------------------------------------------------------------------------------------ segments
def match_segments(new: SegmentationResult, previous: SegmentationResult | None,
                   previous_lineage: Lineage | None = None) -> tuple[SegmentationResult, Lineage]:
    """``new`` with the ids of the previous segments it recognises, and what changed."""
    if previous is None or not previous.segments:
        return new, Lineage(numbering="first", respondents=new.respondents, method=METHOD)
    old = previous.segments
    new_members = [set(s.respondent_ids) for s in new.segments]
    old_members = [set(s.respondent_ids) for s in old]
    similarity = np.array([[cosine(n.centroid, o.centroid) for o in old] for n in new.segments]).reshape(
        len(new.segments), len(old))
    overlap, _, score = _scores(new_members, old_members, similarity)
    tie_break = np.array([[len(n & o) / max(len(o), 1) for o in old_members] for n in new_members]).reshape(
        score.shape)
    matched = _assign(score + 1e-3 * tie_break)
    returning = len(set().union(*new_members) & set().union(*old_members))
    base = {"previous_respondents": previous.respondents, "respondents": new.respondents, "returning": returning,
            "method": METHOD}
    if not matched:  # another study, or a survey unlike the last one: its own numbering
        retired = sorted(set(previous_lineage.retired_ids if previous_lineage else []))
        return new, Lineage(numbering="fresh", retired_ids=retired, **base)
    retired_before = set(previous_lineage.retired_ids) if previous_lineage else set()
    next_number = 1 + max([_number(s.segment_id) for s in old] + [_number(i) for i in retired_before] + [0])
    ids: dict[int, str] = {i: old[j].segment_id for i, j in matched.items()}
    for i in sorted(set(range(len(new.segments))) - set(ids), key=lambda i: (-new.segments[i].size, i)):
        ids[i] = f"S{next_number}"
        next_number += 1
    taken = {j: i for i, j in matched.items()}
    changes: list[SegmentChange] = []
    for i, segment in enumerate(new.segments):
        j = matched.get(i, int(np.argmax(score[i])))
        before = old[j]
        common = {"size_after": segment.size, "share_after": segment.share, "overlap": round(float(overlap[i, j]), 3),
                  "similarity": round(float(similarity[i, j]), 3), "score": round(float(score[i, j]), 3)}
        if i in matched:
            margin = share_margin(before.share, previous.respondents, segment.share, new.respondents)
            changes.append(SegmentChange(
                segment_id=ids[i], status="kept", previous_ids=[before.segment_id], size_before=before.size,
                share_before=before.share, margin=round(margin, 4),
                significant=abs(segment.share - before.share) > margin, **common))
        elif score[i, j] >= RELATED and j in taken:
            changes.append(SegmentChange(segment_id=ids[i], status="split", previous_ids=[before.segment_id],
                                         size_before=before.size, share_before=before.share, **common))
        else:
            changes.append(SegmentChange(segment_id=ids[i], status="new", **common))
    for j, segment in enumerate(old):
        if j in taken:
            continue
        i = int(np.argmax(score[:, j])) if len(new.segments) else -1
        into = ids[i] if i >= 0 and i in matched and score[i, j] >= RELATED else None
        changes.append(SegmentChange(
            segment_id=into, status="merged" if into else "vanished", previous_ids=[segment.segment_id],
            size_before=segment.size, share_before=segment.share,
            overlap=round(float(overlap[i, j]), 3) if i >= 0 else None,
            similarity=round(float(similarity[i, j]), 3) if i >= 0 else None))
    current = set(ids.values())
    retired = sorted((retired_before | {s.segment_id for s in old}) - current, key=lambda s: (_number(s), s))
    return relabel(new, ids), Lineage(numbering="matched", segments=changes, retired_ids=retired, **base)


def relabel(segmentation: SegmentationResult, ids: Mapping[int, str]) -> SegmentationResult:
    """The segmentation with segment ``i`` (in list order) called ``ids[i]``, warnings included."""
    renamed = {s.segment_id: ids[i] for i, s in enumerate(segmentation.segments)}
    segments: list[Segment] = [s.model_copy(update={"segment_id": renamed[s.segment_id]})
                               for s in segmentation.segments]
    warnings = [re.sub(r"\bsegment (S\d+)\b", lambda m: f"segment {renamed.get(m.group(1), m.group(1))}", w)
                for w in segmentation.warnings]
    return segmentation.model_copy(update={"segments": segments, "warnings": warnings})


# ------------------------------------------------------------------------------------------ themes
def match_themes(themes: list[Theme], previous: ThemeResult | None, lineage: Lineage | None,
                 vectors: Mapping[str, np.ndarray]) -> tuple[list[Theme], list[ThemeChange]]:
    """Themes with the ids of the previous themes of the same (kept) segment they continue.

    ``vectors``: this run's (language-centred) vector of every clustered chunk, by evidence id; a
    previous theme's centroid is taken over its members that are still there."""
    if previous is None or lineage is None or lineage.numbering != "matched":
        return themes, []
    kept = {c.segment_id for c in lineage.segments if c.status == "kept"}
    retired = set(lineage.retired_ids)
    renamed: dict[str, str] = {}
    changes: list[ThemeChange] = []
    segments = list(dict.fromkeys([t.segment_id for t in themes] + [t.segment_id for t in previous.themes]))
    for segment_id in segments:
        mine = [t for t in themes if t.segment_id == segment_id]
        before = [t for t in previous.themes if t.segment_id == segment_id] if segment_id in kept else []
        vanished_segment = segment_id not in {t.segment_id for t in themes} and segment_id not in kept
        similarity = np.array([[_centroid_cosine(n.member_ids, o.member_ids, vectors) for o in before]
                               for n in mine]).reshape(len(mine), len(before))
        overlap, _, score = _scores([set(t.member_ids) for t in mine], [set(t.member_ids) for t in before],
                                    similarity)
        matched = _assign(score)
        used = [_theme_number(t.theme_id) for t in before]
        used += [_theme_number(i) for i in retired if i.startswith(f"theme:{segment_id}.")]
        next_number = 1 + max(used + [0])
        for i, theme in enumerate(mine):
            if i in matched:
                old = before[matched[i]]
                renamed[theme.theme_id] = old.theme_id
                changes.append(ThemeChange(
                    theme_id=old.theme_id, previous_id=old.theme_id, segment_id=segment_id, status="kept",
                    label=theme.label, share_before=old.share, share_after=theme.share,
                    overlap=round(float(overlap[i, matched[i]]), 3),
                    similarity=round(float(similarity[i, matched[i]]), 3)))
            else:
                renamed[theme.theme_id] = f"theme:{segment_id}.{next_number}"
                next_number += 1
                changes.append(ThemeChange(theme_id=renamed[theme.theme_id], previous_id=None,
                                           segment_id=segment_id, status="new", label=theme.label,
                                           share_after=theme.share))
        taken = set(matched.values())
        olds = before if not vanished_segment else [t for t in previous.themes if t.segment_id == segment_id]
        for j, old in enumerate(olds):
            if vanished_segment or j not in taken:
                changes.append(ThemeChange(theme_id=None, previous_id=old.theme_id, segment_id=segment_id,
                                           status="vanished", label=old.label, share_before=old.share))
    return [t.model_copy(update={"theme_id": renamed.get(t.theme_id, t.theme_id)}) for t in themes], changes


def _theme_number(theme_id: str) -> int:
    tail = theme_id.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _centroid_cosine(members: Sequence[str], previous_members: Sequence[str],
                     vectors: Mapping[str, np.ndarray]) -> float:
    a = [vectors[m] for m in members if m in vectors]
    b = [vectors[m] for m in previous_members if m in vectors]
    if not a or not b:
        return 0.0
    first, second = np.mean(a, axis=0), np.mean(b, axis=0)
    norms = float(np.linalg.norm(first) * np.linalg.norm(second))
    return float(first @ second) / norms if norms else 0.0


def with_retired_themes(lineage: Lineage, changes: list[ThemeChange]) -> Lineage:
    """The lineage with its theme changes, and vanished theme ids retired for good."""
    gone = {c.previous_id for c in changes if c.status == "vanished" and c.previous_id}
    current = {c.theme_id for c in changes if c.theme_id}
    retired = sorted((set(lineage.retired_ids) | gone) - current)
    return lineage.model_copy(update={"themes": changes, "retired_ids": retired})
