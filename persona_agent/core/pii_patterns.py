"""E-mail addresses, street addresses and phone numbers in free text, as (start, end) spans.

* E-mails: a regex, plus the obfuscated forms people type to dodge scrapers — "kari(at)gmail.com",
  "kari [at] gmail [dot] com", Russian "olga(собака)mail.ru".
* Addresses: no maintained offline library covers Nordic/Dutch addresses (scrubadub's address
  detector is a GB/US model), so: compound street names ("Storgata 12, 0155 Oslo",
  "Drottninggatan 5, 111 51 Stockholm", "Vestergade 12, 1. th., 8000 Aarhus C"), street types as
  a separate word ("Karl Johans gate 1"), post boxes ("Postboks 123"; "Box 45" only with a
  postcode and town, so "Box 3 of 4" stays), English number-first and Russian "ул. …, д. …".
  A street name without a house number ("Storgata har mange kaffebarer") is a place, not an address.
* Phones: libphonenumber (``phonenumbers``) per region, skipping what reads as a date.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_LOCAL = r"[\w.+-]+"
_EMAIL = re.compile(rf"(?<![\w.+-]){_LOCAL}@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{{2,}}")
_AT = r"\s?(?:\(at\)|\[at\]|\{at\}|<at>|\(a\)|\(собака\)|\[собака\]|\s(?:собака)\s)\s?"
_DOT = r"(?:\.|\s?(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\(точка\)|\[точка\])\s?)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-]){_LOCAL}{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}\b", re.IGNORECASE
)

_UPPER = "A-ZÆØÅÄÖÜÉ"
# Street-type endings written as part of the street name ("Storgata", "Keizersgracht").
_ATTACHED = (
    "gata|gatan|gate|gaten|veien|vegen|vei|veg|vägen|väg|gade|vej|vænget|vænge|stræde|allé|allén|"
    "plass|plassen|plads|torget|torg|torv|bakken|brygge|boulevarden|boulevard|straat|gracht|laan|"
    "plein|kade|singel|dijk|dreef|steeg|weg|straße|strasse|gasse|allee|platz|damm|stien|stig|"
    "leden|backen|gränd|vägen"
)
# Street types written as a separate word after the name ("Karl Johans gate", "Rue de …").
_SEPARATE = (
    "gate|gata|gatan|vei|veg|väg|gade|vej|allé|alle|plass|plads|torg|torv|straat|weg|laan|plein|"
    "kade|straße|strasse|platz"
)
_HOUSE = r"\d{1,4}(?:\s?[A-Za-z](?![\w]))?(?:\s?-\s?\d{1,4})?"
# Danish floor and side: "12, 1. th.", "12, st. tv", "12 3. sal"
_FLOOR = r"(?:,?\s*(?:\d{1,2}\.?|st\.?|kl\.?)\s*(?:th|tv|mf|sal)\b\.?)?"
_TOWN = rf"[{_UPPER}][\w-]*(?:\s[{_UPPER}][\w-]*)?"
_POSTCODE = r"(?:\d{4}\s?[A-Z]{2}(?![\w])|\d{3}\s\d{2}|\d{4,6})"
_POSTAL_TOWN = rf"(?:,?\s*{_POSTCODE}\s+{_TOWN})"
_ADDRESS_PATTERNS = [
    re.compile(
        rf"\b(?:[{_UPPER}][^\W\d_]*(?:{_ATTACHED})|(?:[{_UPPER}][^\W\d_'’]*['’]?s?\s+){{1,3}}"
        rf"(?:{_SEPARATE}))\.?\s+{_HOUSE}(?!\d){_FLOOR}{_POSTAL_TOWN}?"
    ),
    # post boxes: unambiguous words alone; "Box"/"Boks" only with a postcode and town
    re.compile(rf"\b(?:Postboks|Postbox|Postbus|Postfach|Pb\.)\s+\d{{1,5}}{_POSTAL_TOWN}?"),
    re.compile(rf"\b(?:Box|Boks)\s+\d{{1,5}}{_POSTAL_TOWN}"),
    re.compile(
        r"\b\d{1,4}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}"
        r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Court|Place|Square|Boulevard|Way|Crescent)"
        r"(?:,\s*[A-Z][\w-]+(?:\s[A-Z0-9]{2,4}\s?[0-9][A-Z]{2})?)?"
    ),
    re.compile(
        r"(?:ул\.|улица|пр-т|пр\.|проспект|пер\.|переулок|ш\.|шоссе|бульвар|б-р|наб\.|набережная)"
        r"\s*[А-ЯЁ][\w-]*(?:\s[А-ЯЁ][\w-]*)?,?\s*(?:д\.|дом)?\s*\d+[\w/-]*"
        r"(?:,?\s*(?:кв\.|квартира)\s*\d+)?",
        re.IGNORECASE,
    ),
]

# "31.01.2024" is a valid Danish/Norwegian 8-digit phone number to libphonenumber.
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}")


def find_emails(text: str) -> list[Span]:
    if "@" not in text and not re.search(r"\bat\b|собака", text, re.IGNORECASE):
        return []
    spans = [m.span() for m in _EMAIL.finditer(text)]
    spans += [m.span() for m in _OBFUSCATED_EMAIL.finditer(text)]
    return spans


def find_addresses(text: str) -> list[Span]:
    return [m.span() for pattern in _ADDRESS_PATTERNS for m in pattern.finditer(text)]


def find_phones(text: str, regions: tuple[str, ...]) -> list[Span]:
    if sum(char.isdigit() for char in text) < 6:  # cheap guard: the matcher is slow-ish
        return []
    import phonenumbers

    found: list[Span] = []
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            if _DATE.fullmatch(match.raw_string.strip()) or _in_code(text, match.start, match.end):
                continue
            found.append((match.start, match.end))
    return found


def _in_code(text: str, start: int, end: int) -> bool:
    """Digits glued to a product or order code by a hyphen ("NO-ESP-2024-1187", "FB-100233")."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] == "-" and before[0].isalnum()) or (
        len(after) == 2 and after[0] == "-" and after[1].isalnum())


def phone_key(value: str, regions: tuple[str, ...]) -> str | None:
    """The number in E.164 ("+4791234567") when ``value`` is exactly one valid phone number."""
    import phonenumbers

    stripped = value.strip()
    if sum(char.isdigit() for char in stripped) < 6 or re.search(r"[^\d\s()+./-]", stripped):
        return None
    for region in regions:
        try:
            number = phonenumbers.parse(stripped, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and not _DATE.fullmatch(stripped):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def is_email(value: str) -> bool:
    stripped = value.strip()
    return any(p.fullmatch(stripped) for p in (_EMAIL, _OBFUSCATED_EMAIL))
