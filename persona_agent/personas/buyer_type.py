"""The buyer type from what the segment answers, not from the order of a list.

Asked to pick one of the six types, the 1.5B took the first ("thoughtful researcher") for all 12 benchmark
personas — knowledge/'s office segment (77 % buy for their workplace, 16 % of everyone) and research B's
kennel and salon owners (85 % self-employed in the pet trade) among them, which are the schema's "B2B buyer" —
and its reason was removed as unsupported every time, so the type stood on nothing. The reference articles
describe each type by what the buyer values (`TYPE_CUES`); the segment's closed answers say which of those it
gives clearly more than everyone (`analysis.stats.clear_traits`). Each question counts once per type, by the
share of the segment giving its best matching answer: knowledge/'s office segment scores B2B 0.77 (buys for the
workplace) + 0.79 (orders "for the office") + 0.60 (no invoice payment) + … . A type that leads clearly is the
persona's, told to the model before it writes the identity and stated with the answers behind it
(`TypeChoice.signs`); otherwise the model's choice stands where the answers show some sign of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from persona_agent.analysis.models import OptionStat, QuestionStat
from persona_agent.analysis.stats import clear_traits

# What each type values (the reference articles: "Den gjennomtenkte kjøperen … verdsetter detaljert informasjon",
# "Kuppjegere søker tilbud og rabatter", "Merkeentusiaster verdsetter konsistens og kvalitet", …), in the words of
# survey answers (en, no, da, sv, nl, de). "Employee (office or service)" is no business purchase: only the office
# a buyer orders for, or manages, is.
TYPE_CUES: dict[str, re.Pattern[str]] = {
    "B2B buyer": re.compile(
        r"workplace|business|company|employer|\bat work\b|self-employed|\b(?:for|to) the office|office manager|"
        r"salon|kennel|daycare|invoic|bulk|account manager|trade fair|industry network|\bb2b\b|pallet|"
        r"arbeidsplass|bedrift|firma|kontoret|faktura|arbejdsplads|virksomhed|arbetsplats|företag|"
        r"werkplek|bedrijf|zakelijk|kantoor|factuur|arbeitsplatz|unternehmen|geschäft|büro|rechnung|gewerb",
        re.IGNORECASE),
    "bargain hunter": re.compile(
        r"price|discount|\bsales?\b|cheap|\boffers?\b|\bdeals?\b|coupon|campaign|multi-buy|shipping cost|"
        r"pris|rabat|tilbud|billig|udsalg|\brea\b|erbjudand|korting|aanbieding|goedkoop|\bacties?\b|verzendkosten|"
        r"preis|angebot|günstig|versandkosten", re.IGNORECASE),
    "brand enthusiast": re.compile(
        r"quality|fresh|consisten|reliab|loyal|\bbrand|favourite|favorite|subscription|"
        r"kvalitet|fersk|pålitelig|abonnement|pålidelig|frisk|pålitlig|prenumeration|kwaliteit|\bvers\b|betrouwba|"
        r"qualität|frisch|zuverlässig|\bmarken?\b|merkevare|mærke", re.IGNORECASE),
    "thoughtful researcher": re.compile(
        r"informat|ingredient|\borigins?\b|review|compar|research|guid|advice|podcast|forum|reddit|expert|"
        r"ingrediens|opprinnelse|oprindelse|ursprung|anmeldelse|recension|sammenlign|jämför|råd\b|"
        r"herkomst|ingrediënt|beoordeling|vergelijk|advies|zutat|herkunft|bewertung|vergleich|ratgeber|beratung",
        re.IGNORECASE),
    "spontaneous": re.compile(
        r"convenien|\bfast\b|quick|\beasy\b|recommend|impulse|spontan|rask|hurtig|enkel|snabb|smidig|snel|gemak|"
        r"schnell|bequem|einfach|empfehl|anbefal|rekommend|aanbevel", re.IGNORECASE),
    "window shopper": re.compile(
        r"inspir|brows|just looking|entertain|kikke|kigge|titta|rondkijk|stöbern|bummeln", re.IGNORECASE),
}
CLEAR_SCORE = 0.5  # the type's best answers, summed over its questions, as a share of the segment
CLEAR_LEAD = 1.5  # and this many times the next type's


@dataclass(frozen=True)
class TypeChoice:
    """The persona's buyer type and the segment's answers that show it (none: the model's choice stands alone)."""

    buyer_type: str
    signs: tuple[tuple[QuestionStat, OptionStat], ...] = ()
    clear: bool = False


def type_scores(stats: list[QuestionStat]) -> dict[str, tuple[float, list[tuple[QuestionStat, OptionStat]]]]:
    """Per type with any sign: its score and its signs, the strongest first (one answer per question)."""
    found: dict[str, tuple[float, list[tuple[QuestionStat, OptionStat]]]] = {}
    for buyer_type, cue in TYPE_CUES.items():
        signs = []
        for stat in stats:
            if stat.kind != "share":
                continue
            matching = [o for o in clear_traits(stat) if cue.search(o.answer)]
            if matching:
                signs.append((stat, max(matching, key=lambda o: o.segment_share)))
        if signs:
            signs.sort(key=lambda s: -s[1].segment_share)
            found[buyer_type] = (sum(o.segment_share for _, o in signs), signs)
    return found


def clear_type(stats: list[QuestionStat]) -> str | None:
    """The type the segment's answers show beyond doubt, if one does."""
    ranked = sorted(((score, t) for t, (score, _) in type_scores(stats).items()), reverse=True)
    if not ranked or ranked[0][0] < CLEAR_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][0] < CLEAR_LEAD * ranked[1][0]:
        return None
    return ranked[0][1]


def choose_type(stats: list[QuestionStat], model_type: str) -> TypeChoice:
    """The clear type; else the model's where the answers show a sign of it; else the type with the most signs;
    else the model's, with nothing behind it."""
    scores = type_scores(stats)
    clear = clear_type(stats)
    if clear:
        return TypeChoice(clear, tuple(scores[clear][1]), clear=True)
    if model_type in scores:
        return TypeChoice(model_type, tuple(scores[model_type][1]))
    if scores:
        best = max(scores, key=lambda t: scores[t][0])
        return TypeChoice(best, tuple(scores[best][1]))
    return TypeChoice(model_type)
