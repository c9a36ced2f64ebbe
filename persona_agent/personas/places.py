"""Places and currencies a persona may only mention when the research does.

A small gazetteer — countries with their demonyms, large cities, regions — is enough to catch the
invented "from the United States" or "lives in London" that small models add to fill a portrait.
A place counts as in the research when it, its country or its demonym occurs in any evidence text.
"""

from __future__ import annotations

import re

# country: (demonyms and other forms, ...)
COUNTRIES: dict[str, tuple[str, ...]] = {
    "norway": ("norwegian", "norwegians", "norge", "norsk"), "denmark": ("danish", "dane", "danes", "danmark"),
    "sweden": ("swedish", "swede", "swedes", "sverige"), "finland": ("finnish", "finn", "finns", "suomi"),
    "iceland": ("icelandic",), "netherlands": ("dutch", "holland", "nederland"),
    "belgium": ("belgian", "belgians"), "germany": ("german", "germans", "deutschland"),
    "austria": ("austrian",), "switzerland": ("swiss",), "france": ("french",), "spain": ("spanish", "spaniard"),
    "portugal": ("portuguese",), "italy": ("italian", "italians"), "greece": ("greek",), "poland": ("polish", "pole"),
    "estonia": ("estonian",), "latvia": ("latvian",), "lithuania": ("lithuanian",), "russia": ("russian",),
    "ukraine": ("ukrainian",), "united kingdom": ("uk", "british", "britain", "england", "english", "scotland",
                                                  "scottish", "wales", "welsh"),
    "ireland": ("irish",), "united states": ("usa", "us", "american", "americans", "america"),
    "canada": ("canadian",), "mexico": ("mexican",), "brazil": ("brazilian",), "argentina": ("argentinian",),
    "china": ("chinese",), "japan": ("japanese",), "india": ("indian",), "australia": ("australian", "aussie"),
    "new zealand": ("kiwi",), "south africa": ("south african",), "turkey": ("turkish",), "egypt": ("egyptian",),
    "nigeria": ("nigerian",), "korea": ("korean",), "vietnam": ("vietnamese",), "indonesia": ("indonesian",),
    "ethiopia": ("ethiopian",), "colombia": ("colombian",), "kenya": ("kenyan",), "guatemala": ("guatemalan",),
}
CITIES = frozenset(
    "london paris berlin madrid rome milan amsterdam rotterdam utrecht hague brussels antwerp vienna zurich geneva "
    "oslo bergen trondheim stavanger copenhagen aarhus odense stockholm gothenburg göteborg malmö uppsala helsinki "
    "reykjavik tallinn riga vilnius warsaw prague budapest moscow petersburg kyiv kiev dublin edinburgh manchester "
    "birmingham liverpool glasgow hamburg munich münchen cologne köln frankfurt dortmund düsseldorf stuttgart "
    "new york los angeles chicago boston seattle san francisco miami toronto vancouver sydney melbourne tokyo beijing "
    "shanghai mumbai delhi dubai istanbul lisbon barcelona athens".split())
_CURRENCIES = {"$": "usd", "usd": "usd", "dollar": "usd", "dollars": "usd", "£": "gbp", "gbp": "gbp", "pound": "gbp",
               "pounds": "gbp", "€": "eur", "eur": "eur", "euro": "eur", "euros": "eur", "nok": "kr", "dkk": "kr",
               "sek": "kr", "kr": "kr", "kroner": "kr", "kronor": "kr", "krone": "kr", "₽": "rub", "rub": "rub",
               "rubles": "rub", "рублей": "rub", "¥": "yen", "yen": "yen"}
_TOKEN = re.compile(r"[$£€₽¥]|[^\W\d_]+", re.UNICODE)


def _forms() -> dict[str, str]:
    forms = {}
    for country, others in COUNTRIES.items():
        forms[country] = country
        for other in others:
            forms[other] = country
    return forms


_FORMS = _forms()
_MULTI = sorted((f for f in _FORMS if " " in f), key=len, reverse=True)


def places_in(text: str) -> set[str]:
    """Countries (by any form) and cities named in ``text``, normalised (country name or city)."""
    lowered = text.casefold()
    found = {_FORMS[form] for form in _MULTI if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", lowered)}
    words = [w.casefold() for w in _TOKEN.findall(text)]
    for index, word in enumerate(words):
        if word in _FORMS and " " not in word:
            if word == "us" and not re.search(r"(?<!\w)US(?!\w)", text):  # "us" the pronoun
                continue
            found.add(_FORMS[word])
        elif word in CITIES:
            found.add(word)
        elif index + 1 < len(words) and f"{word} {words[index + 1]}" in CITIES:
            found.add(f"{word} {words[index + 1]}")
    return found


def currencies_in(text: str) -> set[str]:
    return {_CURRENCIES[t.casefold()] for t in _TOKEN.findall(text) if t.casefold() in _CURRENCIES}


def unknown_places(claim: str, research_places: set[str]) -> set[str]:
    return places_in(claim) - research_places


def unknown_currencies(claim: str, research_currencies: set[str]) -> set[str]:
    return currencies_in(claim) - research_currencies
