"""Per-chunk language detection with lingua, restricted to the languages research arrives in.

Restricting the candidate set matters more than model size: with all 75 languages lingua happily
calls a two-word Norwegian answer Finnish or Afrikaans. Bokmål and Nynorsk are separate lingua
languages; their confidences are summed into one ``"no"`` before comparing with Danish, which is
what makes most short Norwegian sentences come out as Norwegian rather than Danish. When lingua
still has to choose between the two, everyday words spelled differently ("meg"/"mig",
"etter"/"efter") decide.

The detector is built lazily on first use (the high-accuracy models take a few seconds to load),
so importing this module stays cheap.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

UNKNOWN = "unknown"

# Below this many letters, or this many words, there is not enough text to tell no/da/sv/nl apart.
MIN_LETTERS = 6
MIN_WORDS = 2
# The winning language (after merging Bokmål + Nynorsk) must have at least this share.
MIN_CONFIDENCE = 0.4

# lingua's ISO codes are used as-is except for the two written Norwegians.
_ISO_OVERRIDES = {"BOKMAL": "no", "NYNORSK": "no"}
# Close languages whose short texts lingua confuses ("Не знаю." is Russian and Ukrainian alike);
# see `sources.build_evidence`.
LANGUAGE_FAMILIES = (frozenset({"no", "da", "sv"}), frozenset({"ru", "uk"}))
SURE_SHARE = 0.8


def family_of(code: str) -> frozenset[str] | None:
    return next((family for family in LANGUAGE_FAMILIES if code in family), None)

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+")
_NORWEGIAN_WORDS = frozenset(
    "meg deg seg dere tok etter dager aldri noe noen mye hva nå av fikk ble veldig kjøpe kjøpte "
    "kjøp kjøpt uke uker gjennom enn sånn litt vært nei hei takk sier gjør gikk mitt ditt sitt "
    "nettsiden nettside syns kjempe fornøyd eg ikkje kva berre heilt noko mykje korleis".split()
)
_DANISH_WORDS = frozenset(
    "mig dig sig jer tog efter dage aldrig noget nogen meget hvad nu af fik blev købe købte køb købt "
    "uge uger gennem end sådan lidt været nej hej tak siger gør gik mit dit sit hjemmesiden "
    "hjemmeside rigtig rigtigt tilfreds".split()
)


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.ENGLISH,
        Language.BOKMAL,
        Language.NYNORSK,
        Language.DANISH,
        Language.SWEDISH,
        Language.DUTCH,
        Language.GERMAN,
        Language.RUSSIAN,
        Language.UKRAINIAN,
        Language.FRENCH,
        Language.SPANISH,
        Language.FINNISH,
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` (``"no"`` for both Bokmål and Nynorsk), or ``"unknown"``.

    ``"unknown"`` means "too short or too ambiguous to say", not "some other language": callers
    usually fall back to the document's language for such chunks.
    """
    return detect_language_sure(text)[0]


def detect_language_sure(text: str) -> tuple[str, bool]:
    """`detect_language` plus whether the answer is solid.

    Not solid: "unknown", or a language of a close family (no/da/sv, ru/uk) chosen by lingua
    alone with less than 80 % confidence — the case where a file's other chunks are the better
    guide.
    """
    if len(_LETTER.findall(text)) < MIN_LETTERS or len(text.split()) < MIN_WORDS:
        return UNKNOWN, False
    shares: dict[str, float] = {}
    for confidence in _detector().compute_language_confidence_values(text):
        name = confidence.language.name
        code = _ISO_OVERRIDES.get(name) or confidence.language.iso_code_639_1.name.lower()
        shares[code] = shares.get(code, 0.0) + confidence.value
    if not shares:
        return UNKNOWN, False
    ranked = sorted(shares, key=lambda code: shares[code], reverse=True)
    best = ranked[0]
    share = shares[best]
    by_words = None
    if set(ranked[:2]) == {"no", "da"}:
        share = shares["no"] + shares["da"]
        by_words = _norwegian_or_danish(text)
        best = by_words or best
    if share < MIN_CONFIDENCE:
        return UNKNOWN, False
    sure = family_of(best) is None or by_words is not None or shares[best] >= SURE_SHARE
    return best, sure


def _norwegian_or_danish(text: str) -> str | None:
    """Decide no vs da by everyday words spelled differently in the two ("meg"/"mig").

    lingua's character n-grams split short Bokmål/Danish sentences almost at random ("…kom etter
    to dager" came out Danish); these spelling differences are unambiguous and frequent.
    """
    words = _WORD.findall(text.lower())
    score = sum(word in _NORWEGIAN_WORDS for word in words) - sum(word in _DANISH_WORDS for word in words)
    return "no" if score > 0 else "da" if score < 0 else None


def dominant_language(texts: list[str], *, max_chars: int = 5000) -> str:
    """The language of a document, judged on (up to ``max_chars`` of) all its text at once.

    Whole-document detection is far more reliable than per-chunk detection for short answers.
    """
    sample: list[str] = []
    size = 0
    for text in texts:
        if size >= max_chars:
            break
        sample.append(text)
        size += len(text)
    return detect_language("\n".join(sample)[:max_chars])


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# what a prompt calls each language the personas can be written in
LANGUAGE_NAMES = {"en": "English", "no": "Norwegian (bokmål)", "da": "Danish", "sv": "Swedish", "nl": "Dutch",
                  "de": "German", "ru": "Russian", "fi": "Finnish", "fr": "French", "es": "Spanish"}
# The first person in each language, for prompts that ask for it: told "in the first person ("I", "we"), in
# Norwegian", the 1.5B began Norwegian answers with the English "I" ("I betaler helst med MobilePay.")
FIRST_PERSON = {"en": "“I”, “we”", "no": "“jeg”, “vi”", "da": "“jeg”, “vi”", "sv": "“jag”, “vi”", "nl": "“ik”, “wij”",
                "de": "“ich”, “wir”", "ru": "«я», «мы»", "fi": "“minä”, “me”", "fr": "« je », « nous »",
                "es": "“yo”, “nosotros”"}

_LANGUAGE_NAMES = {
    "no": "no", "nb": "no", "nn": "no", "nob": "no", "nno": "no", "norsk": "no", "norwegian": "no",
    "bokmål": "no", "bokmal": "no", "nynorsk": "no", "da": "da", "dansk": "da", "danish": "da",
    "nl": "nl", "nederlands": "nl", "dutch": "nl", "vlaams": "nl", "ru": "ru", "russian": "ru",
    "русский": "ru", "en": "en", "english": "en", "engelsk": "en", "sv": "sv", "svenska": "sv",
    "swedish": "sv", "de": "de", "deutsch": "de", "german": "de", "uk": "uk", "ukrainian": "uk",
    "fi": "fi", "suomi": "fi", "finnish": "fi", "fr": "fr", "french": "fr", "es": "es",
}


def normalize_language(value: str) -> str | None:
    """ISO 639-1 for a declared language ("norsk", "nb-NO", "Dutch"), or None if not understood."""
    key = value.strip().lower().replace("_", "-")
    return _LANGUAGE_NAMES.get(key) or _LANGUAGE_NAMES.get(key.split("-")[0])


def foreign_language(text: str, language: str) -> str | None:
    """The language ``text``, or one of its sentences of 4 or more words, is surely written in (or its family
    is) when it is not ``language`` (a small model copies a customer's Norwegian answer into an English
    persona, or half of one: "Guatemala Huehuetenango was the best filter coffee I've had this year. Gode
    oplysninger om gård, højde og proces."), else None."""
    sentences = [s for s in _SENTENCE_END.split(text) if len(s.split()) >= 4]
    for part in [text, *sentences] if len(sentences) > 1 else [text]:
        found, sure = detect_language_sure(part)
        family = family_of(found)
        # unsure which of a family ("Vanskelig å finne kvitteringen med mva.": Norwegian or Danish) is still sure
        # it is not English
        if found not in (language, UNKNOWN) and (sure or (family is not None and language not in family)):
            return language_label(found)
    return None


def language_label(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
