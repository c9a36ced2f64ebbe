"""National id numbers and IBANs, found by shape and confirmed by python-stdnum's checksums.

A regex finds candidates; stdnum decides (check digits, embedded birth dates). How sure each check
is decides whether the number needs a cue word ("BSN", "CPR", "personnummer") in front of it:

* Norwegian fødselsnummer (11 digits, two check digits): alone.
* Swedish personnummer: with its "-"/"+" ("870119-6993", "19750108-1470", "850310+5291"), or as 12
  digits starting 19/20; 10 bare digits only after a cue.
* Danish CPR: "150285-1234" alone; 10 bare digits only after a cue (since 2007 CPR numbers need not
  pass the old modulus-11 check, so stdnum checks the date only).
* Dutch BSN: 9 digits pass the "11-proef" one time in eleven, so only after a cue.
* Finnish HETU ("190189-212V"): alone (century sign and check character).
* IBAN, any country (ISO 13616 mod-97): alone, compact or in groups of four.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Span = tuple[int, int]

_CUE = re.compile(
    r"(?i:cpr|cpr-n(?:umme)?r|personnummer|personnr|person-nr|pnr|p-nr|fødselsnummer|fødselsnr|fnr|"
    r"f-nr|d-nummer|bsn|burgerservicenummer|sofinummer|sofi-nummer|hetu|henkilötunnus|"
    r"personal (?:id|identity) number|national id(?:entity)? number|ssn|id-nummer|id number)"
    r"\b[^\n\d]{0,25}$"
)
_ELEVEN = re.compile(r"(?<![\w+-])\d{6}\s?\d{5}(?![\w-])")
_DASHED_TEN = re.compile(r"(?<![\w+-])(?:\d{2})?\d{6}[-+]\d{4}(?![\w-])")
_TWELVE = re.compile(r"(?<![\w+-])(?:19|20)\d{10}(?![\w-])")
_BARE_TEN = re.compile(r"(?<![\w+-])\d{10}(?![\w-])")
_BSN = re.compile(r"(?<![\w+-])(?:\d{9}|\d{4}\.\d{2}\.\d{3})(?![\w-])")
_HETU = re.compile(r"(?<![\w+-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w-])")
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{1,4}){3,8}(?![\w])")


def _valid(module: str) -> Callable[[str], bool]:
    import importlib

    return importlib.import_module(f"stdnum.{module}").is_valid


def _cued(text: str, start: int) -> bool:
    return bool(_CUE.search(text[max(0, start - 60) : start]))


def find_national_ids(text: str) -> list[Span]:
    if sum(char.isdigit() for char in text) < 9:
        return []
    fnr, cpr, pnr, bsn, hetu = (_valid(m) for m in ("no.fodselsnummer", "dk.cpr", "se.personnummer",
                                                    "nl.bsn", "fi.hetu"))
    spans: list[Span] = []
    for m in _ELEVEN.finditer(text):
        if fnr(m.group().replace(" ", "")):
            spans.append(m.span())
    for m in _DASHED_TEN.finditer(text):
        value = m.group()
        if pnr(value) or (len(value) == 11 and "-" in value and cpr(value)):
            spans.append(m.span())
    for m in _TWELVE.finditer(text):
        if pnr(m.group()):
            spans.append(m.span())
    for m in _BARE_TEN.finditer(text):
        if _cued(text, m.start()) and (cpr(m.group()) or pnr(m.group())):
            spans.append(m.span())
    for m in _BSN.finditer(text):
        if _cued(text, m.start()) and bsn(m.group()):
            spans.append(m.span())
    for m in _HETU.finditer(text):
        if hetu(m.group()):
            spans.append(m.span())
    return spans


def find_ibans(text: str) -> list[Span]:
    """IBANs, compact or grouped; a candidate that swallowed the next word is shortened until valid."""
    if not re.search(r"[A-Z]{2}\d{2}", text):
        return []
    valid = _valid("iban")
    spans: list[Span] = []
    for m in _IBAN.finditer(text):
        candidate = m.group()
        while len(candidate.replace(" ", "")) >= 15:
            if valid(candidate):
                spans.append((m.start(), m.start() + len(candidate)))
                break
            cut = candidate.rfind(" ")
            if cut == -1:
                break
            candidate = candidate[:cut]
    return spans


def id_key(value: str) -> str | None:
    """The compact number when ``value`` is exactly one national id or IBAN (for pseudonyms)."""
    stripped = value.strip()
    if find_ibans(stripped) == [(0, len(stripped))]:
        return stripped.replace(" ", "").upper()
    if find_national_ids(stripped) == [(0, len(stripped))]:  # bare 9/10 digits need a cue: not ids
        return re.sub(r"[\s.+-]", "", stripped).upper()
    return None
