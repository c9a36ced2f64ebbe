"""Build the first-name and surname lists that ship in ``persona_agent/core/names/``.

Run by hand when the lists should change (``pip install faker`` first; it is not a dependency):

    python scripts/make_name_lists.py

The names come from Faker's person providers (MIT licence) for no/da/sv/nl/en/ru/de, plus a short
hand-written supplement of very common Nordic names that Faker's Norwegian list lacks. One name a
line, sorted; the detector (``persona_agent.core.pii_names``) loads them at first use.
"""

from __future__ import annotations

import importlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "persona_agent" / "core" / "names"
LOCALES = {"no": ["no_NO"], "da": ["da_DK"], "sv": ["sv_SE"], "nl": ["nl_NL"], "en": ["en_US", "en_GB"],
           "ru": ["ru_RU"], "de": ["de_DE"]}
SUPPLEMENT_FIRST = {
    "no": "Kari Ola Ingrid Marit Liv Randi Solveig Bjørg Astrid Gunn Tone Hilde Silje Marte Ida Ingvild Guro "
          "Sigrid Ragnhild Tuva Synnøve Turid Berit Wenche Torill Trine Kjersti Hege Tor Knut Arne Svein "
          "Geir Terje Trond Bjørn Odd Rune Stein Øyvind Håkon Sindre Eirik Vegard Espen Torbjørn Jørgen "
          "Jon Per Pål Lars Nils Ole Hans Jan Kristian Magnus Sverre Aksel Amund",
    "da": "Mette Pia Lone Susanne Hanne Tina Karina Camilla Louise Sofie Freja Ida Emma Anne Kirsten Bente "
          "Søren Jens Niels Henrik Mads Rasmus Frederik Mikkel Jesper Morten Ulrik Anders Jonas Kasper",
    "sv": "Maja Linnea Elsa Ebba Wilma Astrid Agnes Saga Lisa Karin Eva Kerstin Ingela Annika Lena "
          "Oskar Erik Johan Lars Anders Mikael Per Nils Karl Gustav Axel Olle Hugo Linus Emil",
    "nl": "Femke Sanne Lotte Anouk Fleur Eva Emma Julia Sophie Iris Floor Daan Sem Lucas Thijs Bram Jesse "
          "Ruben Sven Pieter Jan Kees Joost Wouter Bas Niels Jeroen Maarten Stijn",
}
SUPPLEMENT_LAST = {
    "no": "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
          "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
          "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen "
          "Martinsen Paulsen Bakke Kristoffersen Mathisen Lie Nordmann Amundsen Nygård Bakken",
    "sv": "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
          "Pettersson Jonsson Jansson Hansson Bengtsson Lindberg Lindqvist Lindgren Berg Ek Holm Lund",
}


def _names(provider: object, attributes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for attribute in attributes:
        value = getattr(provider, attribute, None)
        if value:
            found |= {str(name) for name in value}
    return found


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for language, locales in LOCALES.items():
        first = set(SUPPLEMENT_FIRST.get(language, "").split())
        last = set(SUPPLEMENT_LAST.get(language, "").split())
        for locale in locales:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
            first |= _names(provider, ("first_names", "first_names_male", "first_names_female"))
            last |= _names(provider, ("last_names", "last_names_male", "last_names_female"))
        for kind, names in (("first", first), ("last", last)):
            clean = sorted(n.strip() for n in names if n.strip() and " " not in n.strip() and "'" not in n)
            (OUT / f"{language}.{kind}.txt").write_text("\n".join(clean) + "\n", encoding="utf-8")
            print(f"{language}.{kind}.txt: {len(clean)} names")


if __name__ == "__main__":
    main()
