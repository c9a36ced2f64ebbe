"""Citation repair: a written claim whose cited line does not say it may be said by another brief line.

A small model often writes a true sentence from the brief and cites the wrong alias (the line next to
the one it read, or the same line for everything). Before such a claim is removed, the code looks for
the brief lines that say it best — by the same support score — and tries each of the best few
under every check (`grounding.claim_findings`: figures, stat direction, polarity, other segments'
traits). The first one that passes becomes its evidence; a claim of several parts that no one line says
is tried with the line that says each part (`by_atoms`). No LLM call: the checks decide, as for any
claim. Only weak support and overuse are repaired this way; a contradiction, a wrong figure, a guess
or a shop description is a problem with the text, not with the citation.

Trimming: the 1.5B often pads a true statement with a clause the line does not say ("orders every 1–2
months, indicating a strong habit of buying regularly", "…, a common frequency for many pet owners").
A claim that fails only on support, overuse, such a guess or a stat answer that is no trait of the segment
is cut to its leading clause or one of its sentences when that part alone passes every check (with its
own citation or a re-citation): the true part stays, the padding goes, and the history says what was cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from persona_agent.personas import contradiction
from persona_agent.personas.brief import Brief
from persona_agent.personas.claims import iter_claims
from persona_agent.personas.grounding import (
    ENDS_SENTENCE,
    MAX_CLAIMS_PER_ID,
    GroundingContext,
    answered,
    claim_findings,
    count_by_id,
)
from persona_agent.personas.schema import Claim, Finding, Persona
from persona_agent.personas.support import atoms

RECITABLE = frozenset({"weak_support", "overused_evidence"})
# a half-translated copy ("… the best filter coffee I've had this year. Gode oplysninger om gård, højde og proces.")
# keeps its sentence in the persona's language when that one passes
TRIMMABLE = RECITABLE | {"speculation", "inside_margin", "not_distinctive", "cut_off", "wrong_language"}
TRIES = 3  # candidate lines checked per claim, best-supported first
# A searched line must clear the support threshold by this much: the best of some twenty lines reaches it by chance
# far more often than the one line the model cited. On research B's personas (2026-12-02) 5 of 9 re-citations were
# false, all at -0.03 to -0.01 ("Wants a reliable and fast delivery service to ensure timely food deliveries for
# cats." to a groomer's wish for a fixed delivery day, at -0.02).
RECITE_MARGIN = 0.02
MIN_PART_WORDS = 5  # a trimmed claim keeps at least this many words
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\s*;\s*")
# Where a padding clause starts: a participle or relative clause, a dash, a colon, "as/because/so …"
_PADDING = re.compile(r"\s*(?:,\s*|\s+[-–—]\s+|:\s+)(?:which|who|indicating|suggesting|showing|meaning|making|"
                      r"reflecting|highlighting|demonstrating|implying|as|because|since|so|especially|particularly|"
                      r"such as|a common|a typical|a significant|a sign)\b|\s+[-–—]\s+|:\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def recite(persona: Persona, findings: Sequence[Finding], ctx: GroundingContext) -> list[str]:
    """Re-cite, in place, the written claims of ``persona`` whose only problems are weak support or an
    overused id, where another shown line passes every check; one note per claim re-cited."""
    if ctx.scorer is None or not ctx.scorer.calibrated:
        return []
    problems: dict[str, set[str]] = {}
    for finding in findings:
        if finding.source == "rules" and finding.severity == "error":
            problems.setdefault(finding.path, set()).add(finding.check)
    uses = count_by_id(persona)
    notes: list[str] = []
    for path, claim in iter_claims(persona):
        checks = problems.get(path)
        if not checks or checks - TRIMMABLE or claim.origin != "llm" or claim.support != "cited":
            continue
        texts = ([claim.text] if not checks - RECITABLE else []) + parts(claim.text)
        for text in texts:
            trial = _passing(path, claim.model_copy(update={"text": text}), ctx, uses, persona.name,
                             answered(persona, path))
            if trial is None:
                continue
            for old in claim.evidence:
                uses[old] -= 1
            for new in trial.evidence:
                uses[new] += 1
            cut = f"trimmed to “{text}”" if text != claim.text else ""
            cited = (f"re-cited {', '.join(claim.evidence)} → {', '.join(trial.evidence)}"
                     if trial.evidence != claim.evidence else "")
            notes.append(f"{path}: {' and '.join(n for n in (cut, cited) if n)}, "
                         f"which the line says (support {ctx.support(trial):.2f})")
            claim.text, claim.evidence = trial.text, trial.evidence
            break
    return notes


def _passing(path: str, claim: Claim, ctx: GroundingContext, uses: dict[str, int], name: str,
             objection: str) -> Claim | None:
    """``claim`` with its own citation if that passes every check, else re-cited to a line that passes."""
    if all(uses.get(i, 0) <= MAX_CLAIMS_PER_ID for i in claim.evidence) and \
            not claim_findings(path, claim, ctx, name, objection):
        return claim

    def tries() -> Iterator[list[str]]:  # each part's line only when no one line passes (it scores all again)
        yield from ([evidence_id] for evidence_id in candidates(claim, ctx, uses))
        yield by_atoms(claim, ctx, uses)

    for evidence in tries():
        trial = claim.model_copy(update={"evidence": evidence})
        if evidence and not claim_findings(path, trial, ctx, name, objection):
            return trial
    return None


def by_atoms(claim: Claim, ctx: GroundingContext, uses: dict[str, int]) -> list[str]:
    """For a claim of several parts that no one line says, the line that says each part best (at most three):
    "He uses his own card to pay, but he finds it inconvenient because there is no fixed delivery day."
    (knowledge/'s office narrative; the 1.5B cited two themes of what office buyers like) is said by a lost
    customer's interview turn and the theme of the fixed delivery day together. Empty for a claim of one part,
    or a part no line says."""
    parts = atoms(claim.text)
    if len(parts) < 2 or len(parts) > MAX_CLAIMS_PER_ID:
        return []
    found: list[str] = []
    for part in parts:
        best = candidates(Claim(text=part, evidence=claim.evidence), ctx, uses, own=True)
        if not best:
            return []
        found += [best[0]] if best[0] not in found else []
    return found


def parts(text: str) -> list[str]:
    """The self-contained parts of a claim, longest first: each sentence, and the leading clause of
    each before its padding (a participle, relative or "as/because" clause, a dash, a colon); each at
    least `MIN_PART_WORDS` words, as a sentence. A lead clause is only a part when padding follows it."""
    found: list[str] = []
    sentences = _SENTENCES.split(text.strip())
    # a text that does not end a sentence may have been cut (at the decoder's length limit, mid-word): its
    # last sentence is no part to keep, only that sentence's lead clause before its padding
    cut = not ENDS_SENTENCE.search(text)
    for number, sentence in enumerate(sentences, start=1):
        sentence = sentence.strip(" .;")
        lead = _PADDING.split(sentence, maxsplit=1)[0].strip(" ,.;")
        if cut and number == len(sentences):
            found += [lead] if lead != sentence else []
        else:
            found += [sentence, lead]
    whole = text.strip(" .")
    kept = [p for p in dict.fromkeys(found) if p and p != whole and len(_WORD.findall(p)) >= MIN_PART_WORDS]
    return [p[0].upper() + p[1:] + "." for p in sorted(kept, key=len, reverse=True)]


def candidates(claim: Claim, ctx: GroundingContext, uses: dict[str, int], own: bool = False) -> list[str]:
    """The shown lines that say ``claim`` best (at or above the support threshold), not yet at the cap; with ``own``
    its own cited lines too."""
    scored = []
    for evidence_id in sorted(ctx.shown):
        if (evidence_id in claim.evidence and not own) or evidence_id not in ctx.evidence or \
                uses.get(evidence_id, 0) >= MAX_CLAIMS_PER_ID:
            continue
        if not _may_carry(claim.text, evidence_id, ctx):
            continue
        score = ctx.support(Claim(text=claim.text, evidence=[evidence_id]))
        # the support score alone, not `GroundingContext.says`: through a stat that shares a word with it ("products"
        # in "Products out of stock") the search found "They are interested in new products" a line, and an
        # objection's response (judged by its objection, not its line) any line at all
        if score is not None and score >= ctx.threshold + RECITE_MARGIN:
            scored.append((score, evidence_id))
    return [evidence_id for _, evidence_id in sorted(scored, reverse=True)[:TRIES]]


# Lines of figures the analysis wrote: a claim moved onto one must name what it counts. On research B the
# 1.5B's "Is annoyed that Hyggehund does not provide reliable delivery times" was re-cited to the buying-
# rhythm stat, "Values the quality of staff" to the segment's RFM value (support scores of long figure
# lines sit near the threshold for anything about the shop).
_FIGURES_ONLY = frozenset({"segment_value", "survey_segment", "rfm", "abc", "abcxyz", "pareto", "crosscheck"})


def _may_carry(text: str, evidence_id: str, ctx: GroundingContext) -> bool:
    """Whether a claim may be re-cited to ``evidence_id``: a stat only when the claim names one of its answers
    the segment gives more than everyone, and never a line of figures alone (value, profile, RFM…). The shop's
    name is no answer: "Hyggehund is a great place to buy pet food and supplies." was re-cited to "Where do you
    follow us…?" for its answer "Hyggehund newsletter" (three marketing messages on both folders)."""
    kind = str(ctx.evidence[evidence_id].metadata.get("analysis") or "")
    if kind in _FIGURES_ONLY:
        return False
    stat = ctx.stats.get(evidence_id)
    if stat is None:
        return True
    for name in ctx.shop_names:
        text = re.sub(rf"\b{re.escape(name)}\b", " ", text, flags=re.IGNORECASE)
    lifts = {o.answer: o.lift or 0.0 for o in stat.options}
    named = [o.answer for o in contradiction.mentioned_options(text, stat)]
    named += [a for clause in contradiction.clauses(text) if (a := contradiction.answer_for(clause, list(lifts), None))]
    return any(lifts.get(answer, 0.0) > 1 for answer in named)


def rematch_themes(section: Any, brief: Brief, ctx: GroundingContext) -> list[str]:
    """Cite, in place, each sentence of the themes call that its theme does not say to the asked theme of
    the same role (complaint, wish, praise) that does and has no passing sentence of its own; one note per
    sentence moved. The 1.5B often writes one theme's point under the next theme's alias: on knowledge/'s
    office persona "Likes deliveries arriving when promised" under the theme of the office pack's consistent
    quality, and "Likes consistent quality and quick reorderings" under the one of punctual deliveries. No
    LLM call; the sentence is then checked like any claim."""
    if ctx.scorer is None or not ctx.scorer.calibrated or section is None:
        return []
    asked = {alias: (theme.theme_id, role) for alias, theme, role in brief.asked_themes()}

    def says(text: str, theme_id: str) -> bool:
        claim = Claim(text=text, evidence=[theme_id])
        return ctx.says(claim, ctx.support(claim) or 0.0)

    items = [item for item in section.summaries if len(item.evidence) == 1 and item.evidence[0] in asked]
    failing = [item for item in items if not says(item.text, asked[item.evidence[0]][0])]
    taken = {item.evidence[0] for item in items if all(item is not other for other in failing)}
    notes = []
    for item in failing:
        alias = item.evidence[0]
        role = asked[alias][1]
        other = next((a for a, (theme_id, r) in asked.items() if r == role and a not in taken
                      and says(item.text, theme_id)), None)
        if other is not None:
            item.evidence = [other]
            taken.add(other)
            notes.append(f"theme sentence “{item.text[:80]}”: written under {asked[alias][0]}, which does not say it; "
                         f"{asked[other][0]} does, and is cited instead")
    return notes
