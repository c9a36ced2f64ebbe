"""The words of the claims the code writes from the figures, in the persona's language.

A persona written with ``--language no`` had its model-written sentences in Norwegian and every claim
the code writes from the stats and themes in English ("Held back by: No invoice payment option (60 %
of this segment vs 13 % of all respondents)", "11 of 48 respondents … say: “…”"): most of what a
marketer reads. The figures and the survey's answer options stay as they are (the options are the
survey's own words, in its language); the words around them follow the persona. A language not listed
gets the English.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    reached: str  # channels: where they first heard of the shop
    follows: str  # where they follow or get advice
    chooses: str  # decision criteria
    held_back: str  # the main barrier
    buys: str  # buying rhythm
    spends: str
    contact: str  # how they get in touch
    answers: str  # "{question}": the shop's own question about their situation
    share: str  # "{segment}", "{overall}": the tail of a stat claim
    short_share: str  # the same, shorter, in a list of standouts
    say: str  # "{people}", "{size}", "{segment}", "{overall}", "{words}": a theme in its customers' words
    stands_out: str
    how_they_buy: str

    def shares(self, segment: float, overall: float, *, short: bool = False) -> str:
        """"60 % of this segment vs 13 % of all respondents" (shares as fractions)."""
        return (self.short_share if short else self.share).format(segment=f"{segment * 100:.0f}",
                                                                  overall=f"{overall * 100:.0f}")


WORDINGS: dict[str, Wording] = {
    "en": Wording("Reached through", "Follows or gets advice from", "Chooses on", "Held back by", "Buys", "Spends",
                  "Gets in touch by", "Answers “{question}”", "{segment} % of this segment vs {overall} % of all "
                  "respondents", "{segment} % vs {overall} % of all respondents",
                  "{people} of {size} respondents ({segment} % vs {overall} % of all respondents) say: “{words}”",
                  "Stands out for", "How they buy"),
    "no": Wording("Nås gjennom", "Følger eller får råd fra", "Velger etter", "Holdes tilbake av", "Kjøper", "Bruker",
                  "Tar kontakt via", "Svarer på «{question}»", "{segment} % av dette segmentet mot {overall} % av "
                  "alle respondenter", "{segment} % mot {overall} % av alle respondenter",
                  "{people} av {size} respondenter ({segment} % mot {overall} % av alle respondenter) sier: «{words}»",
                  "Skiller seg ut med", "Slik kjøper de"),
    "da": Wording("Nås gennem", "Følger eller får råd fra", "Vælger efter", "Holdes tilbage af", "Køber", "Bruger",
                  "Tager kontakt via", "Svarer på »{question}«", "{segment} % af dette segment mod {overall} % af "
                  "alle respondenter", "{segment} % mod {overall} % af alle respondenter",
                  "{people} af {size} respondenter ({segment} % mod {overall} % af alle respondenter) siger: »{words}«",
                  "Skiller sig ud ved", "Sådan køber de"),
    "sv": Wording("Nås via", "Följer eller får råd från", "Väljer efter", "Hålls tillbaka av", "Köper", "Spenderar",
                  "Tar kontakt via", "Svarar på ”{question}”", "{segment} % av detta segment mot {overall} % av "
                  "alla respondenter", "{segment} % mot {overall} % av alla respondenter",
                  "{people} av {size} respondenter ({segment} % mot {overall} % av alla respondenter) säger: ”{words}”",
                  "Sticker ut genom", "Så här köper de"),
    "nl": Wording("Bereikt via", "Volgt of krijgt advies van", "Kiest op", "Tegengehouden door", "Koopt",
                  "Besteedt", "Neemt contact op via", "Antwoordt op ‘{question}’", "{segment} % van dit segment "
                  "tegen {overall} % van alle respondenten", "{segment} % tegen {overall} % van alle respondenten",
                  "{people} van {size} respondenten ({segment} % tegen {overall} % van alle respondenten) zeggen: "
                  "“{words}”", "Valt op door", "Zo kopen ze"),
    "de": Wording("Erreicht über", "Folgt oder holt Rat bei", "Wählt nach", "Zurückgehalten durch", "Kauft",
                  "Gibt aus", "Nimmt Kontakt auf per", "Antwortet auf „{question}“", "{segment} % dieses Segments "
                  "gegenüber {overall} % aller Befragten", "{segment} % gegenüber {overall} % aller Befragten",
                  "{people} von {size} Befragten ({segment} % gegenüber {overall} % aller Befragten) sagen: "
                  "„{words}“", "Fällt auf durch", "So kaufen sie"),
    "ru": Wording("Узнаёт через", "Следит или получает советы", "Выбирает по", "Сдерживает", "Покупает", "Тратит",
                  "Связывается через", "Отвечает на «{question}»", "{segment} % этого сегмента против {overall} % "
                  "всех респондентов", "{segment} % против {overall} % всех респондентов",
                  "{people} из {size} респондентов ({segment} % против {overall} % всех респондентов) говорят: "
                  "«{words}»", "Выделяется", "Как покупают"),
}


def wording(language: str) -> Wording:
    """The code's words in ``language`` (English where none is listed)."""
    return WORDINGS.get(language, WORDINGS["en"])
