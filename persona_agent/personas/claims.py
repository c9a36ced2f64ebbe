"""A persona's claims, walked field by field, and the text forms the checks compare them in."""

from __future__ import annotations

import re
from collections.abc import Iterator

from persona_agent.personas.schema import Claim, Persona

# The lead the sections ask a claim to start with: form, not content ("Is annoyed that there is no way to set a
# fixed delivery day" repeats "There is no way to set a fixed delivery day")
TRAIT_LEAD = re.compile(r"^(?:wants|needs|likes|values|cares(?: about)?|is annoyed(?: that)?|struggles(?: with)?|"
                        r"dislikes|finds|has to|worries(?: that| about)?)\b\s*", re.IGNORECASE)


def normalised(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[“”„«»\"'‘’`]", "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:!?-")


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
