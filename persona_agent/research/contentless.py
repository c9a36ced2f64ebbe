"""Texts that carry nothing to embed: "-", "n/a", "no", "nei", "vet ikke", a bare number.

Survey exports are full of them. They stay evidence (stored, citable, found by id and by filters), but
get no embedding of their own: they share one vector (`EvidenceStore.embed(skip=…)`), which costs one
embedding per store instead of one per distinct text. The rule is deliberately narrow — at most two
words, all of them from the list below, or no word at all — so that anything the theme clustering
reads (3+ words, `analysis.themes`) is embedded as before.
"""

from __future__ import annotations

import re

# "nothing", "no", "yes", "n/a" and the like, and two-word "don't know"s, in the languages we see
_NOTHING = frozenset("""- -- — ? ?? ... . x n/a na n.a. nvt n.v.t. none nothing nope no nah yes yeah yep ok okay idk
dunno nei ja nej jo ingen ingenting intet nix niks niets nee geen nein nichts keine нет да ничего""".split())
_PHRASES = frozenset({"not sure", "no idea", "don't know", "dont know", "no comment", "no comments", "nothing else",
                      "nothing more", "vet ikke", "ved ikke", "vet inte", "ikke noe", "ingen kommentar",
                      "inga kommentarer", "geen idee", "weet niet", "weiß nicht", "keine ahnung", "не знаю"})
_SPEAKER = re.compile(r"^[^\s:]{1,20}:\s+")  # "Kunde: nei" — a speaker label before the words
_NUMBER = re.compile(r"^[-+]?[€$£¥]?\s?\d+(?:[.,\s]\d+)*\s?(?:%|€|\$|kr|nok|dkk|sek|eur|usd)?$", re.IGNORECASE)
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


def carries_nothing(text: str) -> bool:
    """True for an empty answer, a bare number or amount, or one or two words from the list above."""
    words = _SPEAKER.sub("", text.strip(), count=1).strip()
    if not re.search(r"\w", words):
        return True  # punctuation only
    if _NUMBER.match(words):
        return True
    lowered = " ".join(_EDGES.sub("", word) for word in words.lower().split())
    if len(lowered.split()) > 2:
        return False
    return lowered in _PHRASES or all(word in _NOTHING for word in lowered.split())
