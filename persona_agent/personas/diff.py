"""What changed in a persona: between two of its versions (`persona diff`), and in the evidence it cites
since it was written (`persona audit`, `persona update`).

Claims are compared per section: the same text is unchanged; the same text but for its figures, or
the one claim of a single-claim section (the gist, a demographic), is *changed*; the rest is added or
removed. Each change keeps its evidence ids, so a reader can see what a new claim rests on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from persona_agent.core.errors import PersonaError
from persona_agent.core.names import persona_slug
from persona_agent.personas.claims import cited_ids, iter_claims
from persona_agent.personas.fingerprint import text_hash
from persona_agent.personas.history import key_of_slug, versions
from persona_agent.personas.schema import Claim, Persona, ThemeRef

ANALYSIS_ID = re.compile(r"^(segment|theme|rfm|abc|abcxyz|pareto|crosscheck):")
_FIGURES = re.compile(r"[-+]?\d[\d.,]*\s*%?")
_INDEX = re.compile(r"\[\d+\]")
_SINGLE = re.compile(r"^(gist|narrative|buyer_type_reason|marketing_message|tone|demographics\.\w+|"
                     r"buying_behaviour\.(price_sensitivity|purchase_frequency|purchase_value)|journey .*)$")


class ClaimChange(BaseModel):
    section: str
    change: Literal["added", "removed", "changed"]
    before: str | None = None
    after: str | None = None
    evidence_before: list[str] = Field(default_factory=list)
    evidence_after: list[str] = Field(default_factory=list)


class ThemeDrift(BaseModel):
    theme_id: str
    label: str
    share_before: float
    share_after: float


class PersonaDiff(BaseModel):
    slug: str
    key: str  # history key: the segment id
    from_version: int
    to_version: int
    from_written: str = ""
    to_written: str = ""
    to_note: str = ""
    name_before: str
    name_after: str
    claims: list[ClaimChange] = Field(default_factory=list)
    quotes_added: list[str] = Field(default_factory=list)
    quotes_removed: list[str] = Field(default_factory=list)
    share_before: float | None = None
    share_after: float | None = None
    revenue_before: float | None = None
    revenue_after: float | None = None
    respondents_before: int | None = None
    respondents_after: int | None = None
    themes_new: list[ThemeRef] = Field(default_factory=list)
    themes_vanished: list[ThemeRef] = Field(default_factory=list)
    themes_drift: list[ThemeDrift] = Field(default_factory=list)
    analysis_changed: bool = False
    evidence_text: dict[str, str] = Field(default_factory=dict)  # id → text, for ids in the changes

    @property
    def empty(self) -> bool:
        return not (self.claims or self.quotes_added or self.quotes_removed or self.themes_new
                    or self.themes_vanished or self.name_before != self.name_after
                    or self.share_before != self.share_after or self.revenue_before != self.revenue_after)


# ----------------------------------------------------------------------------------------- versions
def diff_versions(out_dir: Path, slug: str, from_version: int | None = None, to_version: int | None = None,
                  store: Any = None) -> PersonaDiff:
    """Compare two versions of the persona ``slug`` (default: the one before the latest, and the
    latest). ``store``, when given, supplies the text of the evidence the changes cite."""
    slug = persona_slug(slug)
    key = key_of_slug(out_dir, slug)
    found = versions(out_dir, key) if key else []
    if not found or key is None:
        raise PersonaError(f"no versions of '{slug}' in {out_dir}",
                           "versions are kept from the first write by `persona generate` or `persona update`")
    by_number = {v.number: v for v in found}
    to_number = to_version if to_version is not None else found[-1].number
    from_number = from_version if from_version is not None else (
        max((n for n in by_number if n < to_number), default=to_number))
    for number in (from_number, to_number):
        if number not in by_number:
            raise PersonaError(f"'{slug}' has no version {number}",
                               f"versions: {', '.join(str(n) for n in sorted(by_number))}")
    before, after = by_number[from_number], by_number[to_number]
    result = diff_personas(before.persona(), after.persona())
    result = result.model_copy(update={
        "slug": slug, "key": key, "from_version": from_number, "to_version": to_number,
        "from_written": before.written_at, "to_written": after.written_at, "to_note": after.note,
        "analysis_changed": before.analysis_fingerprint != after.analysis_fingerprint})
    if store is not None:
        ids = sorted({i for c in result.claims for i in (*c.evidence_before, *c.evidence_after)})
        result.evidence_text = {e.evidence_id: e.text for e in store.get(ids)}
    return result


def diff_personas(before: Persona, after: Persona) -> PersonaDiff:
    claims: list[ClaimChange] = []
    old_sections, new_sections = _sections(before), _sections(after)
    for section in dict.fromkeys([*old_sections, *new_sections]):
        claims += _section_changes(section, old_sections.get(section, []), new_sections.get(section, []))
    old_quotes, new_quotes = {q.text for q in before.quotes}, {q.text for q in after.quotes}
    old_themes = {t.theme_id: t for t in before.segment.themes}
    new_themes = {t.theme_id: t for t in after.segment.themes}
    drift = [ThemeDrift(theme_id=i, label=t.label, share_before=old_themes[i].share, share_after=t.share)
             for i, t in new_themes.items() if i in old_themes and abs(t.share - old_themes[i].share) >= 0.005]
    return PersonaDiff(
        slug=after.id, key="", from_version=0, to_version=0, name_before=before.name, name_after=after.name,
        claims=claims, quotes_added=[q.text for q in after.quotes if q.text not in old_quotes],
        quotes_removed=[q.text for q in before.quotes if q.text not in new_quotes],
        share_before=before.segment.share_of_respondents, share_after=after.segment.share_of_respondents,
        revenue_before=before.segment.share_of_revenue, revenue_after=after.segment.share_of_revenue,
        respondents_before=before.segment.respondents, respondents_after=after.segment.respondents,
        themes_new=[t for i, t in new_themes.items() if i not in old_themes],
        themes_vanished=[t for i, t in old_themes.items() if i not in new_themes], themes_drift=drift)


def _sections(persona: Persona) -> dict[str, list[Claim]]:
    sections: dict[str, list[Claim]] = {}
    for section, claim in _labelled_claims(persona):
        sections.setdefault(section, []).append(claim)
    return sections


def _labelled_claims(persona: Persona) -> Iterator[tuple[str, Claim]]:
    for path, claim in iter_claims(persona):
        if path.startswith("journey["):
            index = int(path[len("journey["):path.index("]")])
            yield f"journey {persona.journey[index].stage} ({path.rsplit('.', 1)[-1]})", claim
        else:
            section = _INDEX.sub("", path)
            yield ("goals" if section.startswith("goals.") else section), claim


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _section_changes(section: str, before: Sequence[Claim], after: Sequence[Claim]) -> list[ClaimChange]:
    removed = list(before)
    added = []
    for claim in after:
        same = next((c for c in removed if _normal(c.text) == _normal(claim.text)), None)
        if same is None:
            added.append(claim)
        else:
            removed.remove(same)
    changes = []
    for claim in list(added):  # the same words with other figures, or the one claim of a one-claim section
        skeleton = _FIGURES.sub("#", _normal(claim.text))
        match = next((c for c in removed if _FIGURES.sub("#", _normal(c.text)) == skeleton), None)
        if match is None and _SINGLE.match(section) and len(removed) == 1:
            match = removed[0]
        if match is not None:
            removed.remove(match)
            added.remove(claim)
            changes.append(ClaimChange(section=section, change="changed", before=match.text, after=claim.text,
                                       evidence_before=match.evidence, evidence_after=claim.evidence))
    changes += [ClaimChange(section=section, change="removed", before=c.text, evidence_before=c.evidence)
                for c in removed]
    changes += [ClaimChange(section=section, change="added", after=c.text, evidence_after=c.evidence) for c in added]
    return changes


# ----------------------------------------------------------------------------------------- evidence
def evidence_drift(persona: Persona, store: Any) -> tuple[list[str], list[str]]:
    """The evidence the persona cites that is gone from the store, and that changed since it was
    written (its text hash differs from the one recorded then; unknown for personas that recorded none)."""
    cited = sorted(cited_ids(persona))
    present = {e.evidence_id: e for e in store.get(cited)}
    recorded = persona.provenance.evidence_hashes if persona.provenance else {}
    gone = [i for i in cited if i not in present]
    changed = [i for i in cited if i in present and i in recorded and text_hash(present[i].text) != recorded[i]]
    return gone, changed


def research_only(ids: Sequence[str]) -> list[str]:
    """The ids of research files (interviews, survey answers…), not of the analysis (which is re-run)."""
    return [i for i in ids if not ANALYSIS_ID.match(i)]
