"""Claims that say again what another says: in the same persona (a small model copies a journey stage into
the next, restates the code's stat claim with a verb in front, or says one theme twice in other words), or
across personas (two gists alike). Checks of `personas.grounding`'s rules."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence

from persona_agent.personas.claims import TRAIT_LEAD, cited_ids, iter_claims, normalised
from persona_agent.personas.schema import Claim, Finding, Persona
from persona_agent.personas.support import content_stems

# A written claim this alike (difflib ratio of the normalised texts) to an earlier one repeats it.
REPEAT_RATIO = 0.85
REPEAT_MIN_WORDS = 5
SAME_POINT_SHARE = 0.6  # of the shorter claim's content words, for two claims on the same evidence (`_same_point`)
RESTATE_EXTRA_WORDS = 3
_STAT_ANSWER = re.compile(r"^[^:]{3,40}: (.+?) \(\d+ % ")  # in any language (`wording`)


def repetition_findings(persona: Persona, failing: Collection[str] = ()) -> list[Finding]:
    """A written claim that says what an earlier one in the same place said (small models copy a journey
    stage into the next, or one objection's response into the next): the later one must say something
    else or go. Places are compared field by field (every stage's ``doing``, every objection's
    ``response``, the goals), so a theme restated as a goal and as a selling point is not a repeat; the
    same sentence word for word is, wherever it stands. A claim at a ``failing`` path (it fails a check of
    its own and goes, or is re-cited or trimmed first) is not one a later claim repeats: knowledge/'s
    enthusiast wrote one theme's sentence under two themes' aliases, the first failed its support check
    and the second, the true one, was removed as its repeat."""
    findings: list[Finding] = []
    anywhere: dict[str, str] = {}  # a written claim's normalised text without its lead → its first place
    seen: dict[str, list[tuple[str, str]]] = {}
    stated: dict[str, list[tuple[str, str]]] = {}  # the code's stat claims by place: their answer ("No invoice …")
    cited_here: dict[str, list[tuple[str, Claim]]] = {}  # the written claims by place, for `_same_point`
    for path, claim in iter_claims(persona):
        if claim.origin == "stats" and (answer := _STAT_ANSWER.match(claim.text)):
            stated.setdefault(re.sub(r"\[\d+\]", "[]", path), []).append((path, normalised(answer.group(1))))
    for path, claim in iter_claims(persona):
        if claim.origin != "llm" or path in ("gist", "narrative") or path in failing:
            continue
        place = re.sub(r"\[\d+\]", "[]", path)
        text = normalised(claim.text)
        # "Struggles with no invoice payment / business account" next to the code's "Held back by: No invoice
        # payment / business account (65 % …)": the same answer with a verb in front says nothing more
        same = next((p for p, answer in stated.get(place, [])
                     if answer in text and len(text.split()) - len(answer.split()) <= RESTATE_EXTRA_WORDS), None)
        if same is not None:
            findings.append(Finding(check="repeated_claim", path=path,
                                    problem=f"says only what the stat claim {same} says; say what else the lines "
                                            "say, or drop it"))
            continue
        if len(text.split()) < REPEAT_MIN_WORDS:
            continue
        core = normalised(TRAIT_LEAD.sub("", claim.text))  # what it says, without the lead its section asks for
        if (copy := anywhere.setdefault(core, path)) != path and not _objection_to_a_problem(path, copy):
            # word for word in another place (knowledge/'s enthusiast: one customer's sentence as its marketing
            # message and first selling point, another as its tone, second selling point and a value), or with
            # only another lead (the office persona's goal "Needs a business account with several users and one
            # invoice per month" as its value "Cares about a business account with …")
            findings.append(Finding(check="repeated_claim", path=path,
                                    problem=f"says word for word what {copy} says; say what belongs here, or drop it"))
            continue
        earlier_here = seen.setdefault(place, [])
        earlier = next((p for p, t in earlier_here if difflib.SequenceMatcher(None, t, core).ratio() >= REPEAT_RATIO),
                       None) or _same_point(path, claim, cited_here.setdefault(place, []))
        if earlier is not None:
            findings.append(Finding(check="repeated_claim", path=path,
                                    problem=f"says what {earlier} already says; say what is different here, "
                                            "from other lines of the brief, or drop it"))
        else:
            earlier_here.append((path, core))
    return findings


_PROBLEMS = ("challenges", "fears")


def _objection_to_a_problem(path: str, other: str) -> bool:
    """An objection may say in the same words what a challenge or fear says: its row pairs it with a response
    (knowledge/'s office persona lost "There is no way to set a fixed delivery day", with its answer, as a copy
    of its challenge "Is annoyed that there is no way to set a fixed delivery day")."""
    return any(a.startswith("objections[") and b.startswith(_PROBLEMS) for a, b in ((path, other), (other, path)))


def _same_point(path: str, claim: Claim, earlier: list[tuple[str, Claim]]) -> str | None:
    """The earlier written claim in the same place that cites the same evidence and says the same words
    (most content words of the shorter one, by their first four letters), else None; this one is added to
    ``earlier``. "Has to wait for the newsletter to go out before seeing what is actually in stock" and
    "Is annoyed that hard to see what is actually in stock before the newsletter goes out" (both on
    knowledge/'s theme S2.3) are one point, worded apart past what `REPEAT_RATIO` sees."""
    words = content_stems(TRAIT_LEAD.sub("", claim.text))
    for other_path, other in earlier:
        theirs = content_stems(TRAIT_LEAD.sub("", other.text))
        if set(other.evidence) == set(claim.evidence) and words and theirs and \
                len(words & theirs) >= SAME_POINT_SHARE * min(len(words), len(theirs)):
            return other_path
    earlier.append((path, claim))
    return None


def distinctness_findings(persona: Persona, others: Sequence[Persona]) -> list[Finding]:
    findings = []
    mine = cited_ids(persona)
    for other in others:
        if other is persona:
            continue
        if other.name.casefold() == persona.name.casefold():
            findings.append(Finding(check="duplicate_name", path="name",
                                    problem=f"the name {persona.name!r} is already used in this run"))
        theirs = cited_ids(other)
        overlap = len(mine & theirs) / max(1, len(mine | theirs))
        similarity = difflib.SequenceMatcher(None, normalised(persona.gist.text), normalised(other.gist.text)).ratio()
        if overlap > 0.6 or similarity > 0.85:
            findings.append(Finding(check="duplicate_persona", path="gist",
                                    problem=f"too close to {other.name} ({overlap:.0%} shared evidence, gist "
                                            f"{similarity:.0%} alike); describe what sets this group apart"))
    return findings
