"""Whose words a chunk holds: a customer's, or the company's.

Personas quote customers, never the interviewer's question, a note-taker's summary or a line the
code wrote (survey question summaries, analysis texts). `customer_words` returns only what a
customer said or typed, without speaker labels, so a quote can be checked against it verbatim.
"""

from __future__ import annotations

from persona_agent.core.evidence import Evidence
from persona_agent.research.chunking import _LABEL, INTERVIEWER_ROLES, speaker_of


def customer_words(evidence: Evidence) -> str | None:
    """The customer-authored text of a chunk, or None when no customer wrote it."""
    meta = evidence.metadata
    if evidence.kind == "survey":
        # an answer chunk carries its respondent; a question summary (``#q4``) does not
        return evidence.text if meta.get("respondent_id") and meta.get("question_index") is not None else None
    if evidence.kind != "interview":
        return None
    speaker = meta.get("speaker")
    if not isinstance(speaker, str) or speaker.casefold() in INTERVIEWER_ROLES:
        return None  # notes without turns are the note-taker's words
    kept: list[str] = []
    current: str | None = None
    for line in evidence.text.split("\n"):
        label = speaker_of(line)
        if label is not None:
            current = label
            match = _LABEL.match(line)
            line = line[match.end():] if match else line
        if current == speaker and line.strip():
            kept.append(line.strip())
    return "\n".join(kept) or None


def is_customer_authored(evidence: Evidence) -> bool:
    return customer_words(evidence) is not None
