"""Replace personal data in free text with placeholders before it is embedded or sent to an LLM.

What finds what, and why:

* **Phone numbers** — Google's libphonenumber (the ``phonenumbers`` package): it knows every
  country's numbering plan, so "+47 912 34 567", "06-12345678" and "8 (912) 345-67-89" are found
  while prices, dates and order totals mostly are not. Domestic numbers without a country code are
  only recognisable per region, so the matcher runs once per region in ``phone_regions``.
* **E-mail addresses** — one regex; there is nothing a library does better for this.
* **Street addresses** — our own patterns for Nordic/Dutch/German compound street names
  ("Storgata 12, 0155 Oslo", "Keizersgracht 123, 1015 CJ Amsterdam", "Nørrebrogade 5, 2200
  København"), English number-first addresses and Russian "ул. …, д. …". No maintained library
  covers these offline (scrubadub's address detector is a GB/US model).
* **Personal names** — no offline NER model can be downloaded here, so names come from what the
  caller knows (``known_names``: front-matter fields, speaker labels, survey name columns) plus
  self-introductions and titles ("my name is …", "jeg heter …", "ik heet …", "меня зовут …",
  "Mr …", "fru …"). A name that is neither known nor introduced is NOT found: that is the gap.

scrubadub was considered and not used: it pins textblob 0.15.3 and pulls nltk, faker, dateparser
and python-stdnum, while the parts that would work offline are exactly phonenumbers plus an e-mail
regex; its name detector needs corpora downloaded at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

EMAIL = "{{EMAIL}}"
PHONE = "{{PHONE}}"
ADDRESS = "{{ADDRESS}}"
NAME = "{{NAME}}"

DEFAULT_PHONE_REGIONS = ("NO", "DK", "SE", "NL", "DE", "RU", "GB", "US")

# Which placeholder wins when two findings overlap (lower wins).
_PRIORITY = {EMAIL: 0, ADDRESS: 1, PHONE: 2, NAME: 3}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")

# "31.01.2024" is a valid Danish/Norwegian 8-digit phone number to libphonenumber.
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}")

_UPPER = "A-ZÆØÅÄÖÜÉ"
# Street-type endings written as part of the street name ("Storgata", "Keizersgracht").
_ATTACHED = (
    "gata|gate|gaten|gatan|veien|vegen|vei|veg|vägen|gade|vej|vænget|vænge|stræde|allé|plass|"
    "plassen|plads|torget|torv|bakken|brygge|straat|gracht|laan|plein|kade|singel|dijk|dreef|"
    "steeg|weg|straße|strasse|gasse|allee|platz|damm"
)
# Street types written as a separate word after the name ("Karl Johans gate", "Rue de …").
_SEPARATE = (
    "gate|gata|vei|veg|gade|vej|allé|alle|plass|plads|torg|torv|straat|weg|laan|plein|kade|"
    "straße|strasse|platz"
)
_HOUSE = r"\d{1,4}(?:\s?[A-Za-z](?![\w]))?(?:\s?-\s?\d{1,4})?"
_POSTAL_CITY = (
    rf"(?:,?\s*(?:\d{{4}}\s?[A-Z]{{2}}|\d{{3}}\s\d{{2}}|\d{{4,6}})\s+[{_UPPER}][\w-]*"
    rf"(?:\s[{_UPPER}][\w-]*)?)?"
)
_ADDRESS_PATTERNS = [
    re.compile(
        rf"\b(?:[{_UPPER}][^\W\d_]*(?:{_ATTACHED})|(?:[{_UPPER}][^\W\d_'’]*['’]?s?\s+){{1,3}}"
        rf"(?:{_SEPARATE}))\.?\s+{_HOUSE}(?!\d){_POSTAL_CITY}"
    ),
    re.compile(
        r"\b\d{1,4}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}"
        r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Court|Place|Square|Boulevard)"
        r"(?:,\s*[A-Z][\w-]+(?:\s[A-Z0-9]{2,4}\s?[0-9][A-Z]{2})?)?"
    ),
    re.compile(
        r"(?:ул\.|улица|пр-т|пр\.|проспект|пер\.|переулок|ш\.|шоссе|бульвар|б-р|наб\.|набережная)"
        r"\s*[А-ЯЁ][\w-]*(?:\s[А-ЯЁ][\w-]*)?,?\s*(?:д\.|дом)?\s*\d+[\w/-]*"
        r"(?:,?\s*(?:кв\.|квартира)\s*\d+)?",
        re.IGNORECASE,
    ),
]

_NAME_WORD = r"[A-ZÆØÅÄÖÜА-ЯЁ][^\W\d_]+(?:-[A-ZÆØÅÄÖÜА-ЯЁ][^\W\d_]+)?"
_PARTICLES = r"(?:van|von|de|der|den|ter|te|af|av|da|di|la|le)"
_NAME_CUES = (
    r"my name is|my name's|i am called|jeg heter|mitt navn er|navnet mitt er|jeg hedder|"
    r"mit navn er|jag heter|mitt namn är|ik heet|mijn naam is|ich heiße|ich heisse|mein name ist|"
    r"меня зовут|моё имя|мое имя|mr\.?|mrs\.?|ms\.?|miss|dr\.?|herr|fru|frøken|frk\.|hr\.|"
    r"dhr\.|mevr\.|meneer|mevrouw|господин|госпожа"
)
_CUED_NAME = re.compile(
    rf"(?i:\b(?:{_NAME_CUES}))\s+(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLES}\s+)*{_NAME_WORD}){{0,2}})"
)

# Words that are never redacted as names even when a caller passes them (speaker roles, etc.).
_NOT_NAMES = frozenset(
    "interviewer intervjuer interviewer moderator respondent kunde klant customer client "
    "deltaker deltager participant speaker q a i svar answer question vraag antwoord "
    "клиент интервьюер респондент вопрос ответ".split()
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: where it is and which placeholder replaces it."""

    start: int
    end: int
    placeholder: str


def redact(
    text: str,
    known_names: Iterable[str] = (),
    *,
    phone_regions: Iterable[str] = DEFAULT_PHONE_REGIONS,
) -> str:
    """``text`` with e-mails, phone numbers, street addresses and names replaced by placeholders.

    ``known_names`` are people this text may mention (interviewee, speakers, survey name column);
    each is redacted as a whole and by its parts ("Anna Berg" also removes a lone "Anna").
    """
    findings = find_pii(text, known_names, phone_regions=phone_regions)
    pieces: list[str] = []
    position = 0
    for finding in findings:
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
) -> list[Finding]:
    """Non-overlapping findings in ``text``, in order; all detectors look at the original text."""
    candidates: list[Finding] = []
    candidates += [Finding(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)]
    for pattern in _ADDRESS_PATTERNS:
        candidates += [Finding(m.start(), m.end(), ADDRESS) for m in pattern.finditer(text)]
    candidates += _find_phones(text, tuple(phone_regions))
    candidates += [
        Finding(m.start("name"), m.end("name"), NAME)
        for m in _CUED_NAME.finditer(text)
        if m.group("name").split()[0].lower() not in _NOT_NAMES
    ]
    names_pattern = _known_names_pattern(tuple(sorted({n.strip() for n in known_names})))
    if names_pattern is not None:
        candidates += [Finding(m.start(), m.end(), NAME) for m in names_pattern.finditer(text)]
    return _resolve_overlaps(candidates)


def _find_phones(text: str, regions: tuple[str, ...]) -> list[Finding]:
    if sum(char.isdigit() for char in text) < 6:  # cheap guard: the matcher is slow-ish
        return []
    import phonenumbers

    found: list[Finding] = []
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        ):
            if not _DATE.fullmatch(match.raw_string.strip()):
                found.append(Finding(match.start, match.end, PHONE))
    return found


def _resolve_overlaps(candidates: list[Finding]) -> list[Finding]:
    """Keep the widest finding where several overlap; ties go to the stronger placeholder."""
    ordered = sorted(
        candidates, key=lambda f: (f.start, -(f.end - f.start), _PRIORITY[f.placeholder])
    )
    kept: list[Finding] = []
    for finding in ordered:
        if kept and finding.start < kept[-1].end:
            last = kept[-1]
            if finding.end > last.end:  # partial overlap: extend the earlier finding
                kept[-1] = Finding(last.start, finding.end, last.placeholder)
            continue
        kept.append(finding)
    return kept


@lru_cache(maxsize=256)
def _known_names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives: set[str] = set()
    for name in names:
        words = name.split()
        if not words or name.lower() in _NOT_NAMES:
            continue
        if len(name) >= 2:
            alternatives.add(r"\s+".join(re.escape(word) for word in words))
        if len(words) > 1:
            alternatives.update(
                re.escape(word)
                for word in words
                if len(word) >= 3 and word[0].isupper() and word.lower() not in _NOT_NAMES
            )
    if not alternatives:
        return None
    forms = [_inflected(alternative) for alternative in sorted(alternatives, key=len, reverse=True)]
    return re.compile(r"(?<![\w])(?:" + "|".join(forms) + r")(?![\w])")


def _inflected(escaped_name: str) -> str:
    """Allow a genitive "-s"/"'s", and Russian case endings ("Анна" → "Анну", "Анной")."""
    if re.search(r"[а-яё]$", escaped_name, re.IGNORECASE):
        stem = escaped_name[:-1] if escaped_name[-1] in "аяйьоеАЯЙЬОЕ" else escaped_name
        return stem + r"[а-яё]{0,3}"
    return escaped_name + r"(?:['’]s|s)?"
