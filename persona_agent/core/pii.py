"""Find personal data in free text and replace it with placeholders.

What finds what, and why (details in each module):

* **Phone numbers** — Google's libphonenumber (``phonenumbers``), which knows every country's
  numbering plan; domestic numbers are tried per region in ``phone_regions`` (`pii_patterns`).
* **E-mail addresses** — a regex, plus obfuscated forms ("kari(at)gmail.com",
  "kari [at] gmail [dot] com", "olga(собака)mail.ru") (`pii_patterns`).
* **Street addresses and post boxes** — our patterns for Nordic/Dutch/German street names,
  English number-first addresses, Russian "ул. …, д. …", "Postboks 123" (`pii_patterns`).
* **National ids and IBANs** — python-stdnum's checksum validators: Norwegian fødselsnummer, Danish
  CPR, Swedish personnummer, Dutch BSN, Finnish HETU, IBANs of every country (`pii_ids`).
* **Personal names** — no offline NER model can be shipped, so names come from what the caller
  knows (front matter, speaker labels, survey name columns), cues (self-introductions, e-mail
  sign-offs, titles) and bundled first-name/surname lists (`pii_names`).

Redaction is deterministic and idempotent: ``redact(redact(x)) == redact(x)`` (placeholders are
never found again, and `redact` repeats until nothing changes), so a quote a remote model copies
from redacted text can be checked against ``redact(original)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

EMAIL = "{{EMAIL}}"
PHONE = "{{PHONE}}"
ADDRESS = "{{ADDRESS}}"
NAME = "{{NAME}}"
NATIONAL_ID = "{{NATIONAL_ID}}"
IBAN = "{{IBAN}}"
PLACEHOLDERS = (EMAIL, PHONE, ADDRESS, NAME, NATIONAL_ID, IBAN)

DEFAULT_PHONE_REGIONS = ("NO", "DK", "SE", "NL", "DE", "RU", "GB", "US")

# Which placeholder wins when two findings overlap equally (lower wins).
_PRIORITY = {EMAIL: 0, IBAN: 1, NATIONAL_ID: 2, ADDRESS: 3, PHONE: 4, NAME: 5}
PLACEHOLDER_PATTERN = re.compile(r"\{\{(?:EMAIL|PHONE|ADDRESS|NAME|NATIONAL_ID|IBAN)\}\}")
_MAX_PASSES = 4


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: where it is and which placeholder replaces it."""

    start: int
    end: int
    placeholder: str

    @property
    def kind(self) -> str:
        """``EMAIL``, ``PHONE``, ``ADDRESS``, ``NAME``, ``NATIONAL_ID`` or ``IBAN``."""
        return self.placeholder.strip("{}")


def redact(
    text: str,
    known_names: Iterable[str] = (),
    *,
    phone_regions: Iterable[str] = DEFAULT_PHONE_REGIONS,
    allow: Iterable[str] = (),
) -> str:
    """``text`` with personal data replaced by placeholders (``{{EMAIL}}``, ``{{NAME}}``, …).

    ``known_names`` are people this text may mention (interviewee, speakers, survey name column);
    each is redacted as a whole and by its parts ("Anna Berg" also removes a lone "Anna").
    ``allow`` are names that are not personal data here (the personas' own, invented names).
    """
    names = tuple(known_names)
    regions = tuple(phone_regions)
    allowed = tuple(allow)
    for _ in range(_MAX_PASSES):  # a replacement can expose a new finding; stop at the fixpoint
        redacted = _redact_once(text, names, regions, allowed)
        if redacted == text:
            break
        text = redacted
    return text


def _redact_once(text: str, names: tuple[str, ...], regions: tuple[str, ...], allow: tuple[str, ...]) -> str:
    pieces: list[str] = []
    position = 0
    for finding in find_pii(text, names, phone_regions=regions, allow=allow):
        pieces.append(text[position : finding.start])
        pieces.append(finding.placeholder)
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def find_pii(
    text: str,
    known_names: Iterable[str] = (),
    *,
    phone_regions: Iterable[str] = DEFAULT_PHONE_REGIONS,
    allow: Iterable[str] = (),
) -> list[Finding]:
    """Non-overlapping findings in ``text``, in order; all detectors look at the original text."""
    from persona_agent.core import pii_ids, pii_names, pii_patterns

    candidates: list[Finding] = []
    for kind, spans in (
        (EMAIL, pii_patterns.find_emails(text)),
        (ADDRESS, pii_patterns.find_addresses(text)),
        (PHONE, pii_patterns.find_phones(text, tuple(phone_regions))),
        (IBAN, pii_ids.find_ibans(text)),
        (NATIONAL_ID, pii_ids.find_national_ids(text)),
    ):
        candidates += [Finding(start, end, kind) for start, end in spans]
    allowed = pii_names.allowed_words(allow)
    candidates += [
        Finding(start, end, NAME)
        for start, end in pii_names.find_names(text, known_names)
        if not pii_names.is_allowed(text[start:end], allowed)
    ]
    protected = [m.span() for m in PLACEHOLDER_PATTERN.finditer(text)]
    if protected:  # a placeholder is never part of a finding (idempotence)
        candidates = [f for f in candidates if not any(f.start < e and s < f.end for s, e in protected)]
    return _resolve_overlaps(candidates)


def _resolve_overlaps(candidates: list[Finding]) -> list[Finding]:
    """Keep the widest finding where several overlap; ties go to the stronger placeholder."""
    ordered = sorted(candidates, key=lambda f: (f.start, -(f.end - f.start), _PRIORITY[f.placeholder]))
    kept: list[Finding] = []
    for finding in ordered:
        if kept and finding.start < kept[-1].end:
            last = kept[-1]
            if finding.end > last.end:  # partial overlap: extend the earlier finding
                kept[-1] = Finding(last.start, finding.end, last.placeholder)
            continue
        kept.append(finding)
    return kept
