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
    speaker = _customer(evidence)
    if speaker is None:
        return None  # notes without turns are the note-taker's words
    return "\n".join(line for who, line in _turns(evidence.text) if who == speaker) or None


def asked_words(evidence: Evidence) -> str | None:
    """What the customer of a chunk was asked: the survey question of an answer, the other speakers' lines of an
    interview turn (without speaker labels); None for a chunk no customer wrote, or one without a question."""
    if customer_words(evidence) is None:
        return None
    if evidence.kind == "survey":
        return str(evidence.metadata.get("question") or "").strip() or None
    speaker = _customer(evidence)
    return "\n".join(line for who, line in _turns(evidence.text) if who not in (None, speaker)) or None


def _customer(evidence: Evidence) -> str | None:
    """The customer speaking in an interview chunk (None: not an interview turn, or the interviewer's)."""
    speaker = evidence.metadata.get("speaker")
    if evidence.kind != "interview" or not isinstance(speaker, str) or speaker.casefold() in INTERVIEWER_ROLES:
        return None
    return speaker


def _turns(text: str) -> list[tuple[str | None, str]]:
    """(speaker, words) of each non-empty line: a line without a label continues the turn before it."""
    turns: list[tuple[str | None, str]] = []
    current: str | None = None
    for line in text.split("\n"):
        label = speaker_of(line)
        if label is not None:
            current = label
            match = _LABEL.match(line)
            line = line[match.end():] if match else line
        if line.strip():
            turns.append((current, line.strip()))
    return turns


def is_customer_authored(evidence: Evidence) -> bool:
    return customer_words(evidence) is not None
