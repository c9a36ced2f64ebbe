"""Semantic support: does the evidence a claim cites say what the claim says?

A claim is split into atomic statements; each must be close to at least one piece of its cited
evidence — an answer of a stat ("where did you first hear about us: YouTube video"), a theme's
quotes and member answers, a customer's sentence in an interview. Closeness is measured in the
store's language-neutral space (the embedder scores a pair in one language higher than a
translation pair; the projection removes that, so an English claim can be supported by Norwegian
evidence), with CSLS (see `SupportScorer`). The claim's score is the mean of the whole claim's and
its weakest atom's best match.

Similarity cannot see negation ("too expensive" vs "cheap"); contradictions are caught separately
(`personas.contradiction`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from persona_agent.core.evidence import Evidence
from persona_agent.personas.contradiction import PolarityModel, polarity_score
from persona_agent.research.authorship import customer_words

SUPPORT_THRESHOLD = -0.09  # CSLS; tuned on the labelled claim set's tune half (benchmarks/grounding.py)
# A persona's written claims need more: the labelled pairs are written by people (a supported pair says its
# line's fact plainly); the 1.5B pads on-topic claims with what no line says ("reliable and *quick*
# deliveries", "they feel happy with their purchase"), and those score between -0.09 and -0.03. Chosen on
# knowledge/'s written claims labelled by hand (benchmarks/precision.py, split "tune"): -0.03 keeps every
# true one (12) and 1 of 9 false ones (-0.09 kept all 9); research B's labelled claims report it ("test").
WRITTEN_THRESHOLD = -0.03
HUB_K = 10
MIN_CORPUS = 50
DEFAULT_HUB = 0.9  # median hubness of customer texts and claims in the two research folders we measured
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\s*;\s*|\n+")
# the figures `stat_text` puts after each answer ("55-64 40 % (±12) vs 12 % of all respondents, lift 3.3")
_FIGURES = re.compile(r"\s+\d[\d.,]*\s*%\s*\(±\d+\)\s*vs\s*\d[\d.,]*\s*%\s*of all respondents(, lift [\d.]+)?\.?\s*$")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Piece:
    text: str
    language: str


def atoms(claim: str) -> list[str]:
    """A compound claim as atomic statements ("A and B; C" → A, B, C), each at least 3 words."""
    parts: list[str] = []
    for sentence in _SENTENCE.split(claim):
        sentence = sentence.strip(" .")
        if not sentence:
            continue
        halves = re.split(r",? (?:and|but|while|og|men|en|maar|und|aber|och|и|но) ", sentence)
        if len(halves) > 1 and all(len(_WORD.findall(h)) >= 4 for h in halves):
            parts += halves
        else:
            parts.append(sentence)
    return [p for p in parts if len(_WORD.findall(p)) >= 3] or [claim]


def evidence_pieces(evidence: Evidence, members: Sequence[Evidence] = ()) -> list[Piece]:
    """What a claim may match in one piece of evidence (see the module docstring)."""
    language = str(evidence.metadata.get("language") or "en")
    analysis = evidence.metadata.get("analysis")
    if analysis == "segment_stat":
        question = str(evidence.metadata.get("question", ""))
        body = evidence.text.split("): ", 1)[-1]
        if body.startswith("mean "):
            return [Piece(question, "en")]
        answers = [_FIGURES.sub("", part).strip(" .") for part in body.split(";")]
        return [Piece(f"{question} {answer}", "en") for answer in answers if answer] or [Piece(evidence.text, "en")]
    if analysis == "theme":
        pieces = [] if members else [Piece(q, "") for q in re.findall(r"“([^”]+)”", evidence.text)]
        for member in members:
            words = customer_words(member) or member.text
            pieces += [Piece(s, str(member.metadata.get("language") or "")) for s in _sentences(words)]
        return pieces or [Piece(evidence.text, "en")]
    words = customer_words(evidence) or evidence.text
    return [Piece(words, language)] + [Piece(s, language) for s in _sentences(words)][:12]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(_WORD.findall(s)) >= 3]


@dataclass
class SupportScorer:
    """Scores claims against evidence with the store's embedder, vectors cached by text.

    Claims are embedded as E5 queries and evidence as passages, both projected off the store's
    language subspace (`EvidenceStore.language_space`), and compared with CSLS: twice the cosine minus
    each side's mean similarity to its `HUB_K` nearest customer texts. CSLS discounts "hub" texts that
    are close to everything (short generic answers, generic claims). On the labelled claim set this
    separated supported from unrelated pairs best (AUC 0.98, vs 0.93 for plain passage cosine and
    0.97 for query cosine without CSLS; `benchmarks/grounding.py`).
    """

    embedder: object
    space: object | None = None  # a `LanguageSpace`: project(vectors) → language-neutral unit vectors
    corpus: np.ndarray | None = None  # language-neutral vectors of the customer-authored chunks
    polarity: PolarityModel | None = None  # praise vs complaint, learnt from the research (`contradiction`)
    _claims: dict[str, np.ndarray] = field(default_factory=dict)
    _pieces: dict[str, np.ndarray] = field(default_factory=dict)
    _hubness: dict[tuple[str, str], float] = field(default_factory=dict)

    @classmethod
    def for_store(cls, store: object) -> SupportScorer:
        """From the vectors ingest already stored (nothing is embedded again)."""
        space = store.language_space() if hasattr(store, "language_space") else None
        rows: list[tuple[Evidence, list[float]]] = []
        for kind in ("survey", "interview"):
            rows += store.with_vectors({"kind": kind})  # type: ignore[attr-defined]
        corpus = None
        polarity = None
        if rows:
            corpus = cls._project(space, np.array([v for _, v in rows], dtype=float))
            polarity = PolarityModel.learn([str(e.metadata.get("question") or "") for e, _ in rows], corpus)
        return cls(embedder=store.embedder, space=space, corpus=corpus, polarity=polarity)  # type: ignore[attr-defined]

    @property
    def calibrated(self) -> bool:
        """Whether there is enough research to tell support from noise (the thresholds were measured
        on folders of hundreds of customer texts; a handful gives no reliable hubness)."""
        return self.corpus is not None and len(self.corpus) >= MIN_CORPUS

    @staticmethod
    def _project(space: object | None, vectors: np.ndarray) -> np.ndarray:
        if space is not None:
            return np.asarray(space.project(vectors))  # type: ignore[attr-defined]
        norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)

    def _vectors(self, texts: Sequence[str], as_claims: bool) -> np.ndarray:
        cache = self._claims if as_claims else self._pieces
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            if as_claims:
                raw = np.asarray([self.embedder.embed_query(t) for t in missing], dtype=np.float64)  # type: ignore[attr-defined]
            else:
                raw = np.asarray(self.embedder.embed_documents(missing), dtype=np.float64)  # type: ignore[attr-defined]
            for text, vector in zip(missing, self._project(self.space, raw), strict=True):
                cache[text] = vector
        return np.array([cache[t] for t in texts])

    def _hub(self, text: str, vector: np.ndarray, side: str) -> float:
        key = (side, text)
        if key not in self._hubness:
            if self.corpus is None or len(self.corpus) < MIN_CORPUS:
                self._hubness[key] = DEFAULT_HUB  # too few texts to estimate it: the value measured on larger ones
            else:
                similar = np.sort(self.corpus @ vector)[-HUB_K:]
                self._hubness[key] = float(similar.mean())
        return self._hubness[key]

    def score(self, claim: str, pieces: Sequence[Piece]) -> float:
        """The mean of the whole claim's and its weakest atom's best CSLS score against the pieces; -1
        with no pieces. (The weakest atom alone punishes a vague half such as "and it always goes down
        well"; the whole claim alone lets one half carry the other. On the tune half the mean separated
        supported from unrelated pairs better than either: AUC 0.989 vs 0.984 for the weakest atom.)"""
        if not pieces:
            return -1.0
        parts = atoms(claim)
        if len(parts) > 1:
            parts = [claim, *parts]
        texts = [p.text for p in pieces]
        claim_vectors = self._vectors(parts, as_claims=True)
        piece_vectors = self._vectors(texts, as_claims=False)
        piece_hub = np.array([self._hub(t, v, "p") for t, v in zip(texts, piece_vectors, strict=True)])
        best = []
        for part, vector in zip(parts, claim_vectors, strict=True):
            csls = 2 * (piece_vectors @ vector) - self._hub(part, vector, "c") - piece_hub
            best.append(float(np.max(csls)))
        if len(best) > 1:
            return round((best[0] + min(best[1:])) / 2, 4)
        return round(best[0], 4)

    def ranked(self, claim: str, pieces: Sequence[Piece]) -> list[tuple[str, float | None]]:
        """The pieces closest to the claim first, each with its praise probability (None without a model)."""
        if not pieces:
            return []
        order = sorted(range(len(pieces)), key=lambda i: -self.score(claim, [pieces[i]]))
        texts = [pieces[i].text for i in order]
        if self.polarity is None:
            return [(t, None) for t in texts]
        praise = self.polarity.praise(self._vectors(texts, as_claims=False))
        return [(t, float(p)) for t, p in zip(texts, praise, strict=True)]

    def best(self, claim: str, candidates: dict[str, Sequence[Piece]]) -> tuple[str | None, float]:
        """The candidate (e.g. evidence id) whose pieces support ``claim`` best, and that score."""
        scored = [(key, self.score(claim, pieces)) for key, pieces in candidates.items() if pieces]
        return max(scored, key=lambda kv: kv[1]) if scored else (None, -1.0)


# An objection's response is what the shop can do, not something a customer said: against the complaint it
# answers it scores low however apt ("Offer a fixed delivery day" vs "There is no way to set a fixed delivery
# day": -0.04 on knowledge/, "Offer free shipping on every order": -0.06). It is judged by its objection
# instead (checked against its evidence like any claim) where it names what the objection is about: two of
# the objection's content words (one, where the objection has no more than two), compared by their first
# four letters ("invoicing" ~ "invoice", "swapping" ~ "swaps", which `contradiction.overlap`'s one-word-begins-
# the-other test misses: answers name stat options in their form, a response inflects); both are written in the
# persona's language.
# Otherwise the support check decides, as for any claim. (The function words below are English, the default
# persona language; in another, a shared "with" or "from" still needs a second shared word.)
_FUNCTION_WORDS = frozenset(
    "that this with from have there their they them then than what when where which would could should about "
    "more most some such very much many also just only other into been being were does dont doesnt cant wont "
    "always never because really still even every your ours mine something anything nothing without else".split())
ANSWER_STEM = 4


def content_stems(text: str) -> set[str]:
    return set(content_sequence(text))


def content_sequence(text: str) -> list[str]:
    """The stems of the content words of ``text``, in order."""
    words = (w.lower() for w in _WORD.findall(text))
    return [w[:ANSWER_STEM] for w in words if len(w) >= 4 and w not in _FUNCTION_WORDS]


def answers(response: str, objection: str) -> bool:
    """Whether ``response`` names what ``objection`` is about (see above) without restating its complaint
    ("Show that the office ran out of stock for a week" answers nothing)."""
    wanted = content_stems(objection)
    return len(content_stems(response) & wanted) >= min(2, len(wanted)) > 0 and polarity_score(response) >= 0
