"""Language detection on real sentences, including the hard Norwegian/Danish pair."""

from __future__ import annotations

import pytest

from persona_agent.engine.language import detect_language, dominant_language, normalize_language

NORWEGIAN = [
    "Jeg synes leveringen tok altfor lang tid, og kundeservice svarte ikke på e-posten min.",
    "Vi bestilte sofaen i mars, men den kom først etter seks uker. Det var ikke greit.",
    "Hva er det viktigste for deg når du handler møbler på nett?",
    "Jeg kjøper vanligvis gjennom appen fordi det går raskere.",
    "Eg kjøper helst på nett fordi det er billegare og eg slepp å køyre til byen.",  # nynorsk
]
DANISH = [
    "Jeg synes, at leveringen tog alt for lang tid, og kundeservice svarede ikke på min e-mail.",
    "Vi bestilte sofaen i marts, men den kom først efter seks uger. Det var ikke i orden.",
    "Hvad er det vigtigste for dig, når du køber møbler på nettet?",
    "Jeg køber som regel gennem appen, fordi det går hurtigere.",
]


@pytest.mark.parametrize("sentence", NORWEGIAN)
def test_norwegian_bokmal_and_nynorsk_are_no(sentence: str) -> None:
    assert detect_language(sentence) == "no"


@pytest.mark.parametrize("sentence", DANISH)
def test_danish_is_not_mistaken_for_norwegian(sentence: str) -> None:
    assert detect_language(sentence) == "da"


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("De levering duurde veel te lang en de klantenservice reageerde niet op mijn mail.", "nl"),
        ("Доставка заняла слишком много времени, и служба поддержки не ответила.", "ru"),
        ("Shipping took far too long and customer service never answered my email.", "en"),
        ("Leveransen tog alldeles för lång tid och kundtjänst svarade aldrig på mitt mejl.", "sv"),
        ("Die Lieferung hat viel zu lange gedauert und niemand hat geantwortet.", "de"),
    ],
)
def test_other_research_languages(sentence: str, code: str) -> None:
    assert detect_language(sentence) == code


@pytest.mark.parametrize("text", ["", "Ja", "OK", "5", "hm", "👍"])
def test_too_short_is_unknown(text: str) -> None:
    assert detect_language(text) == "unknown"


def test_dominant_language_uses_all_text() -> None:
    assert dominant_language(["Ja", "For dyrt", "Leveringen tok altfor lang tid."]) == "no"
    assert dominant_language([]) == "unknown"


@pytest.mark.parametrize(
    ("declared", "code"),
    [("norsk", "no"), ("nb-NO", "no"), ("nn", "no"), ("Dansk", "da"), ("Dutch", "nl"),
     ("русский", "ru"), ("en_GB", "en"), ("klingon", None)],
)
def test_normalize_declared_language(declared: str, code: str | None) -> None:
    assert normalize_language(declared) == code
