"""Shared data models at the bottom of every stage: `Evidence`, one citable piece of research.

Its `evidence_id` is stable across runs (derived from the file's relative path and the
row/line/question it came from), because personas cite it later.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EvidenceKind = Literal["survey", "interview", "analytics", "transactions", "segment"]
MetadataValue = str | int | float | bool


class Evidence(BaseModel):
    """A chunk of research with its provenance.

    ``metadata`` is flat (Chroma only stores scalar values). Keys used across the product:
    ``source`` (relative path), ``kind``, ``language`` (ISO 639-1 or ``"unknown"``),
    ``respondent_id`` / ``customer_id`` when known, ``line_start``/``line_end`` or ``row``,
    ``question``, ``speaker``, ``content_hash`` (sha256 of text), plus front-matter fields
    (``customer``, ``segment``, ``date``) and, for survey answers, the respondent's closed answers
    under ``a:<question slug>``.
    """

    evidence_id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    kind: EvidenceKind
    source: str
    metadata: dict[str, MetadataValue] = Field(default_factory=dict)
