"""A persona's claims, walked field by field, and the text forms the checks compare them in."""

from __future__ import annotations

import re
from collections.abc import Iterator

from persona_agent.personas.schema import Claim, Persona

# The words a theme's sentence starts with, by the theme's role, in the persona's language (the themes call asks
# for them, and the local decoder holds the model to them, `sections.decode_schema`). With the English leads alone
# a Norwegian persona's themes read "Wants å kunne pause abonnementet"; a language not listed gets the English.
THEME_LEADS: dict[str, dict[str, str]] = {
    "en": {"complaint": "Is annoyed that", "wish": "Wants", "praise": "Likes"},
    "no": {"complaint": "Irriterer seg over at", "wish": "Ønsker", "praise": "Setter pris på"},
    "da": {"complaint": "Irriterer sig over at", "wish": "Ønsker", "praise": "Sætter pris på"},
    "sv": {"complaint": "Stör sig på att", "wish": "Önskar", "praise": "Uppskattar"},
    "nl": {"complaint": "Ergert zich eraan dat", "wish": "Wil", "praise": "Waardeert"},
    "de": {"complaint": "Beklagt", "wish": "Wünscht sich", "praise": "Schätzt"},
    "ru": {"complaint": "Жалуется на", "wish": "Хочет", "praise": "Ценит"},
    "fi": {"complaint": "Valittaa", "wish": "Haluaa", "praise": "Arvostaa"},
    "fr": {"complaint": "Se plaint de", "wish": "Souhaite", "praise": "Apprécie"},
    "es": {"complaint": "Se queja de", "wish": "Quiere", "praise": "Valora"},
}


def theme_lead(role: str, language: str) -> str:
    """The words a theme's sentence of ``role`` starts with in ``language`` (English where none is listed)."""
    return THEME_LEADS.get(language, THEME_LEADS["en"])[role]


# The lead the sections ask a claim to start with: form, not content ("Is annoyed that there is no way to set a
# fixed delivery day" repeats "There is no way to set a fixed delivery day"), a theme's in every language
_LOCAL_LEADS = sorted({re.escape(lead) for language, leads in THEME_LEADS.items() if language != "en"
                       for lead in leads.values()}, key=len, reverse=True)
TRAIT_LEAD = re.compile(r"^(?:wants|needs|likes|values|cares(?: about)?|is annoyed(?: that)?|struggles(?: with)?|"
                        r"dislikes|finds|has to|worries(?: that| about)?|" + "|".join(_LOCAL_LEADS) + r")\b\s*",
                        re.IGNORECASE)


def normalised(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[“”„«»\"'‘’`]", "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:!?-")


def placed_last(path: str, claim: Claim) -> bool:
    """The code's buyer-type reason: put on a stat with room after the checks (`assemble.place_type_reason`), it
    never counts against the per-id cap, so it never takes a written claim's place."""
    return path == "buyer_type_reason" and claim.origin == "stats"


def iter_claims(persona: Persona) -> Iterator[tuple[str, Claim]]:
    """Every claim with its JSON path, e.g. ("goals.primary[0]", claim)."""
    for name in ("gist", "narrative", "buyer_type_reason", "marketing_message", "tone"):
        claim = getattr(persona, name)
        if claim is not None:
            yield name, claim
    for name in ("challenges", "fears", "selling_points"):
        for index, claim in enumerate(getattr(persona, name)):
            yield f"{name}[{index}]", claim
    for group, model in (("demographics", persona.demographics), ("psychographics", persona.psychographics),
                         ("goals", persona.goals), ("buying_behaviour", persona.buying_behaviour)):
        for name, value in model:
            if isinstance(value, Claim):
                yield f"{group}.{name}", value
            elif isinstance(value, list):
                for index, claim in enumerate(value):
                    yield f"{group}.{name}[{index}]", claim
    for index, objection in enumerate(persona.objections):
        yield f"objections[{index}].objection", objection.objection
        yield f"objections[{index}].response", objection.response
    for index, stage in enumerate(persona.journey):
        for part in ("thinking", "feeling", "doing"):
            claim = getattr(stage, part)
            if claim is not None:
                yield f"journey[{index}].{part}", claim


def cited_ids(persona: Persona) -> set[str]:
    ids = {i for _, claim in iter_claims(persona) for i in claim.evidence}
    return ids | {q.evidence_id for q in persona.quotes}
