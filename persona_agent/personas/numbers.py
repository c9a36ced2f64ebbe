"""Numbers in a claim, checked against the exact evidence it cites.

A persona may state a figure only if the evidence it cites states the same figure, in the same
sense: a share must meet a share ("55 customers" does not pass on "55 %"), a single number does not
pass on the end of a range ("34 years old" on "25-34"), money keeps its currency ("$50" does not
pass on "€50"), and a spelled-out share ("one in three", "half") must be within a few points of a
stated percentage. Digits, decimals ("4.5", "4,5"), currency amounts ("€4.99", "79 kr"), ranges
("25-34", "€70–119"), multipliers ("1.5x", "3.8 times") and percentages are all checked — single
digits included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["percent", "share", "count", "decimal", "money", "range", "ratio"]

_CURRENCY = r"(?:€|\$|£|₽|kr\.?|eur|euro|euros|nok|dkk|sek|usd|gbp|rub|руб\.?)"
_NUM = r"\d{1,3}(?:[  ,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_RANGE = re.compile(rf"(?<![\w.,])(?P<cur>{_CURRENCY})?\s?(?P<a>{_NUM})\s?(?:-|–|—|to|til|tot|bis|till|до)\s?"
                    rf"(?P=cur)?(?P<b>{_NUM})(?![\w.,]*\d)", re.IGNORECASE)
_MONEY = re.compile(rf"(?P<pre>{_CURRENCY})\s?(?P<n>{_NUM})|(?P<n2>{_NUM})\s?(?P<post>{_CURRENCY})(?![\w])",
                    re.IGNORECASE)
_PERCENT = re.compile(rf"(?P<n>{_NUM})\s?(?:%|percent|per cent|prosent|procent|prozent|процент\w*)", re.IGNORECASE)
_RATIO = re.compile(rf"(?P<n>{_NUM})\s?(?:x|×|times|ganger|gange|keer|mal|gånger|раз\w*)(?![\w])", re.IGNORECASE)
_PLAIN = re.compile(rf"(?<![\w])(?P<n>{_NUM})(?![\w])")
_LIFT = re.compile(rf"lift (?P<n>{_NUM})", re.IGNORECASE)
_SHARE_WORDS = {
    "half": 50.0, "a half": 50.0, "one in two": 50.0, "a third": 100 / 3, "one third": 100 / 3,
    "one in three": 100 / 3, "two thirds": 200 / 3, "two in three": 200 / 3, "a quarter": 25.0,
    "one quarter": 25.0, "one in four": 25.0, "three quarters": 75.0, "three in four": 75.0,
    "one in five": 20.0, "a fifth": 20.0, "one fifth": 20.0, "two in five": 40.0, "one in ten": 10.0,
    "a tenth": 10.0, "nine in ten": 90.0, "halvparten": 50.0, "halvdelen": 50.0, "hälften": 50.0,
    "de helft": 50.0, "die hälfte": 50.0, "en tredjedel": 100 / 3, "een derde": 100 / 3,
    "ein drittel": 100 / 3, "en fjerdedel": 25.0, "een kwart": 25.0, "ein viertel": 25.0, "половина": 50.0,
    "треть": 100 / 3, "четверть": 25.0,
}
_SHARE = re.compile(r"(?<![\w])(" + "|".join(sorted(map(re.escape, _SHARE_WORDS), key=len, reverse=True))
                    + r")(?![\w])", re.IGNORECASE)
_TWICE = re.compile(r"(?<![\w])(twice|double|dobbelt|dubbel|doppelt|dubbelt)(?![\w])", re.IGNORECASE)
# A spelled-out share or "double" also meets the same fraction in words in the evidence, in any of its languages
# and as an ordinal ("a third" meets "een derde" and "ein dritter Sack"; "double" meets "zum doppelten Preis").
_FRACTION_WORDS: dict[float, tuple[str, ...]] = {
    50.0: ("half", "halv", "helft", "hälft", "halb", "полов"),
    round(100 / 3, 3): ("third", "tredje", "derde", "dritt", "треть", "трет"),
    round(200 / 3, 3): ("two third", "to tredjedel", "twee derde", "zwei drittel", "två tredjedel", "две трет"),
    25.0: ("quarter", "fjerde", "kwart", "viertel", "fjärdedel", "четверт"),
    75.0: ("three quarter", "tre fjerdedel", "drie kwart", "drei viertel", "tre fjärdedel", "три четверт"),
    20.0: ("fifth", "femte", "vijfde", "fünftel", "пят"),
    10.0: ("tenth", "tiende", "zehntel", "десят"),
}
_DOUBLE_WORDS = ("double", "twice", "dobbel", "dubbel", "doppel", "вдвое", "двойн", "в два раза")
PERCENT_TOLERANCE = 0.6  # points: "37 %" meets "36.6 %" (a figure rounded the other way), not "36 %"
SHARE_TOLERANCE = 6.0  # points: "a third" meets 29–39 %


@dataclass(frozen=True)
class Quantity:
    kind: Kind
    value: float
    text: str
    high: float | None = None  # ranges
    currency: str | None = None


def to_number(text: str) -> float:
    """"1 234,50" / "1,234.50" / "4,99" / "4.5" → float."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", cleaned) else cleaned.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", cleaned):
        cleaned = cleaned.replace(".", "")
    return float(cleaned)


def _currency(symbol: str | None) -> str | None:
    if not symbol:
        return None
    key = symbol.casefold().rstrip(".")
    return {"€": "eur", "euro": "eur", "euros": "eur", "$": "usd", "£": "gbp", "₽": "rub", "руб": "rub",
            "kr": "kr", "nok": "kr", "dkk": "kr", "sek": "kr"}.get(key, key)


def quantities(text: str) -> list[Quantity]:
    """Every figure in ``text``, each once, with what kind of figure it is."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(match: re.Match[str], quantity: Quantity) -> None:
        if free(match.start(), match.end()):
            found.append(quantity)
            taken.append((match.start(), match.end()))

    for match in _RANGE.finditer(text):
        low, high = to_number(match.group("a")), to_number(match.group("b"))
        if high > low:
            add(match, Quantity("range", low, match.group(0), high=high, currency=_currency(match.group("cur"))))
    for match in _PERCENT.finditer(text):
        add(match, Quantity("percent", to_number(match.group("n")), match.group(0)))
    for match in _MONEY.finditer(text):
        number = match.group("n") or match.group("n2")
        add(match, Quantity("money", to_number(number), match.group(0),
                            currency=_currency(match.group("pre") or match.group("post"))))
    for match in _RATIO.finditer(text):
        add(match, Quantity("ratio", to_number(match.group("n")), match.group(0)))
    for match in _TWICE.finditer(text):
        add(match, Quantity("ratio", 2.0, match.group(0)))
    for match in _SHARE.finditer(text):
        add(match, Quantity("share", _SHARE_WORDS[match.group(1).casefold()], match.group(0)))
    for match in _PLAIN.finditer(text):
        raw = match.group("n")
        value = to_number(raw)
        kind: Kind = "decimal" if re.search(r"\d[.,]\d{1,2}$", raw) and not re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw) \
            else "count"
        add(match, Quantity(kind, value, raw))
    return found


def _meets(claim: Quantity, stated: Quantity) -> bool:
    if claim.kind == "percent":
        return stated.kind == "percent" and abs(claim.value - stated.value) <= PERCENT_TOLERANCE
    if claim.kind == "share":
        return stated.kind == "percent" and abs(claim.value - stated.value) <= SHARE_TOLERANCE
    if claim.kind == "range":
        return (stated.kind == "range" and stated.high is not None and claim.high is not None
                and abs(claim.value - stated.value) < 1e-6 and abs(claim.high - stated.high) < 1e-6
                and (claim.currency is None or stated.currency in (None, claim.currency)))
    if claim.kind == "money":
        return (stated.kind in ("money", "count", "decimal") and abs(claim.value - stated.value) < 0.005
                and (stated.kind != "money" or stated.currency == claim.currency))
    if claim.kind == "ratio":
        return stated.kind in ("ratio", "decimal", "count") and abs(claim.value - stated.value) <= 0.05
    # count / decimal: the same plain number (not a share, not a range end, not an amount of money)
    return stated.kind in ("count", "decimal", "ratio") and abs(claim.value - stated.value) < 0.005


def _in_words(claim: Quantity, evidence_texts: list[str]) -> bool:
    """A worded share or "double" that the evidence also puts in words (see `_FRACTION_WORDS`)."""
    if claim.kind == "share":
        stems = _FRACTION_WORDS.get(round(claim.value, 3), ())
    elif claim.kind == "ratio" and _TWICE.fullmatch(claim.text.strip()):
        stems = _DOUBLE_WORDS
    else:
        return False
    return any(re.search(rf"(?<![\w]){re.escape(stem)}", text, re.IGNORECASE)
               for stem in stems for text in evidence_texts)


def unsupported(claim_text: str, evidence_texts: list[str]) -> list[Quantity]:
    """The claim's figures that no cited evidence states."""
    stated = [q for text in evidence_texts for q in quantities(text)]
    stated += [Quantity("ratio", to_number(m.group("n")), m.group(0)) for text in evidence_texts
               for m in _LIFT.finditer(text)]
    return [q for q in quantities(claim_text)
            if not any(_meets(q, s) for s in stated) and not _in_words(q, evidence_texts)]


def describe(missing: list[Quantity]) -> str:
    return ", ".join(f"“{q.text.strip()}”" for q in missing)
