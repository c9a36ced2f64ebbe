"""What reading a research file produces: `SourceDocument` (its chunks and, for tables, a frame),
the `Draft` chunks readers build, and `build_evidence`, which gives every draft its language,
redaction and content hash. Shared by the text readers (`sources`) and the table readers (`tables`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from persona_agent.core.evidence import Evidence, MetadataValue
from persona_agent.engine.language import UNKNOWN, detect_language_sure, dominant_language, family_of
from persona_agent.research import chunking

if TYPE_CHECKING:
    import pandas as pd

@dataclass
class SourceDocument:
    """One research file (or one sheet of a workbook) read into chunks and, for tables, a frame.

    ``table``: survey → closed answers indexed by respondent id (str), one column per closed
    question headed by the question text; transactions and analytics → the raw rows as read.
    ``column_roles`` maps roles (respondent_id, customer_id, submitted_at; customer_id, date,
    amount, order_id, product, currency) to column names. ``answer_keys`` maps a survey question
    to the metadata key its answers are stored under on each answer chunk (``a:<slug>``).
    A workbook's ``sheets`` hold one document per non-empty sheet; its own fields mirror the first.
    """

    path: str
    kind: str
    chunks: list[Evidence]
    file_hash: str
    table: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
    free_text_columns: list[str] = field(default_factory=list)
    respondent_column: str | None = None
    customer_id_column: str | None = None
    column_roles: dict[str, str] = field(default_factory=dict)
    answer_keys: dict[str, str] = field(default_factory=dict)
    front_matter: dict[str, str] = field(default_factory=dict)
    sheets: list[SourceDocument] = field(default_factory=list)

    def tables(self) -> list[SourceDocument]:
        """Every document of this file that carries a table (the sheets of a workbook, or self)."""
        parts = self.sheets or [self]
        return [part for part in parts if part.table is not None]


@dataclass
class ReadContext:
    """What every chunk of one file shares while it is being read."""

    relative: str
    file_hash: str
    redact: bool
    pseudonym_key: bytes | None = None  # see `privacy.pseudonym`; None: the public key
    warnings: list[str] = field(default_factory=list)
    known_names: list[str] = field(default_factory=list)
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    language: str | None = None  # declared in front matter; beats detection


@dataclass
class Draft:
    """A chunk before language, redaction and hashing are applied."""

    evidence_id: str
    text: str
    kind: str
    metadata: dict[str, MetadataValue]
    names: tuple[str, ...] = ()  # extra names to redact in this chunk only
    detect: bool = True  # False: numbers/boilerplate; the chunk takes the document's language
    language_text: str | None = None  # detect on this instead (a summary's question text)


def pseudonymous(value: str, context: ReadContext, *, names: bool = True) -> str:
    """A respondent or customer id as stored: unchanged when plain ("R057"), a stable pseudonym
    ("P3f9a0c1e") when it is personal data (an e-mail, a phone number, a national id, a name)."""
    from persona_agent.core.privacy import pseudonym

    return pseudonym(value, context.pseudonym_key, names=names) if value else value


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (\\r\\n, \\r and \\n all end a line; nothing else does)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def build_evidence(drafts: list[Draft], context: ReadContext) -> list[Evidence]:
    """Language (declared, detected, or the document's), redaction, hashes; ids made unique.

    Short chunks ("Ja", "For dyrt") get the document's language. A no/da/sv or ru/uk guess that
    is not solid (see `detect_language_sure`) gets the file's most frequent language of that family:
    lingua alone splits short Norwegian and Danish sentences almost at random, while a Danish
    answer with Danish spellings ("mig", "efter") in a Norwegian survey stays Danish.
    """
    from persona_agent.core.pii import redact

    samples = [(draft.language_text or draft.text) if draft.detect else None for draft in drafts]
    results = [
        (context.language, True) if context.language else
        detect_language_sure(sample) if sample else (UNKNOWN, False)
        for sample in samples
    ]
    detected = [language for language, _ in results]
    document_language, family_choice = _document_languages(detected, samples)
    evidence: list[Evidence] = []
    used: set[str] = set()
    for draft, (language, sure) in zip(drafts, results, strict=True):
        if language == UNKNOWN:
            language = document_language
        elif not sure and (family := family_of(language)) is not None:
            language = family_choice.get(family, language)
        metadata: dict[str, MetadataValue] = {"source": context.relative, "kind": draft.kind,
                                              "language": language}
        metadata.update(context.metadata)
        metadata.update(draft.metadata)
        text = draft.text
        if chunking.looks_like_instructions(text):
            metadata["looks_like_instructions"] = True
            context.warnings.append(f"{draft.evidence_id}: text that reads like instructions to an "
                                    "AI; stored as evidence, never followed")
        if context.redact:
            names = [*context.known_names, *draft.names]
            text = redact(text, names)
            for key in ("speaker", "question"):
                if isinstance(metadata.get(key), str):
                    metadata[key] = redact(str(metadata[key]), names)
            metadata["redacted"] = True
        metadata["content_hash"] = hashlib.sha256(text.encode()).hexdigest()[:16]
        evidence_id = draft.evidence_id
        number = 2
        while evidence_id in used:
            evidence_id = f"{draft.evidence_id}~{number}"
            number += 1
        used.add(evidence_id)
        evidence.append(Evidence(evidence_id=evidence_id, text=text, kind=draft.kind,
                                 source=context.relative, metadata=metadata))
    return evidence


def _document_languages(
    detected: list[str], samples: list[str | None]
) -> tuple[str, dict[frozenset[str], str]]:
    """The file's language and, per close-language family, its most frequent member.

    Both by majority of chunk votes; when no chunk is long enough to vote, all text is judged
    at once instead.
    """
    from collections import Counter

    votes = Counter(language for language in detected if language != UNKNOWN)
    if not votes:
        return dominant_language([s for s in samples if s]), {}
    family_choice: dict[frozenset[str], str] = {}
    for language, _ in votes.most_common():
        family = family_of(language)
        if family is not None:
            family_choice.setdefault(family, language)
    return votes.most_common(1)[0][0], family_choice
