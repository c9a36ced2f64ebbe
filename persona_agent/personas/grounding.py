"""Grounding v2: deterministic checks that every claim says what its evidence says.

Per claim: the ids exist and were shown to the model; every figure matches the exact evidence it
cites (`numbers`); the claim is semantically close to that evidence (`support`; an objection's response,
the shop's action, is judged by the objection it answers where it names what that is about); it does not
contradict it — a stat's direction or mean, or the praise/complaint side of the evidence piece closest
to it — borrow another segment's trait or name an answer the segment is below average on
(`contradiction`); it describes the buyer, not the shop; it names no place or currency the research
does not contain; an inference gives a reason that names its evidence. One evidence id backs at most
`MAX_CLAIMS_PER_ID` claims. Per persona: quotes are verbatim, customer-authored and ≥ 6 words; the
persona rests on at least two kinds of source (survey, interview, analytics, transactions).
`clean` then removes what failed (never relabels it) and lists it as an open issue.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from persona_agent.analysis.models import QuestionStat
from persona_agent.core.evidence import Evidence
from persona_agent.engine.language import foreign_language, language_label
from persona_agent.personas import contradiction, repeats
from persona_agent.personas.brief import free_text_role
from persona_agent.personas.claims import TRAIT_LEAD, cited_ids, iter_claims, normalised, placed_last
from persona_agent.personas.numbers import describe, unsupported
from persona_agent.personas.places import unknown_currencies, unknown_places
from persona_agent.personas.schema import Claim, Finding, Persona
from persona_agent.personas.sections import CLAIM_CHARS
from persona_agent.personas.stated import answer_similarity, says_through_stats
from persona_agent.personas.support import (
    SUPPORT_THRESHOLD,
    Piece,
    SupportScorer,
    answers,
    content_sequence,
    content_stems,
    evidence_pieces,
)
from persona_agent.research.authorship import customer_words

MAX_CLAIMS_PER_ID = 3
# Fields that describe the buyer (their state, wants, feelings); selling points, the message, the tone and
# objection responses speak about the shop's offer, so the buyer-only checks do not apply to them.
SHOP_SIDE = ("selling_points", "marketing_message", "tone", "objections[")
MIN_QUOTE_WORDS = 6
# Below this a written claim matches anything a little ("Trust and satisfaction", "Informative and persuasive"
# scored above the support threshold against unrelated lines on research B): it cannot be checked.
MIN_CLAIM_WORDS = 4
RESTATED_WORDS = 3  # content words a claim needs before one line holding them all says it (`restates`)
# A text that ends a sentence (a written claim at the length limit without it was cut off by the decoder)
ENDS_SENTENCE = re.compile(r"[.!?…”\"')]\s*$")
SOURCE_KINDS = frozenset({"survey", "interview", "analytics", "transactions"})
_WORD = re.compile(r"[^\W\d_]+")
_SHOP = re.compile(r"\b(is|are|was) an? (\w+[ -]){0,3}(brand|shop|store|company|retailer|web ?shop|business|"
                   r"roaster|marketplace)\b|^(the|our) (shop|store|brand|company)\b", re.IGNORECASE)

# The writer's own inference stated as the buyer's trait ("this means they are likely to have a high
# income"): what no line says. "More likely to order" compares (a stat can say it) and is not caught.
_GUESS = re.compile(r"\b(probably|presumably|possibly|perhaps|(this|which|that) (means|suggests|indicates|implies)|"
                    r"(suggesting|indicating|implying) that|(?<!more )(?<!less )likely (to be|to have|that))\b",
                    re.IGNORECASE)

# The writer narrating its sources instead of describing the buyer ("The brief shows that the segment…", research
# B's fear "They have mentioned that Hyggehund offers cheaper options than those available from veterinarians.").
NARRATES = re.compile(r"\b(the|this) (brief|evidence|research|data|survey|lines?)\b (shows?|says?|suggests?|states?|"
                       r"indicates?|mentions?)\b|\bas (evidenced|shown|stated|indicated) (by|in)\b|"
                       r"\b(aligns?|in line) with the (lines?|brief|evidence|data)\b|"
                       r"\b(customers|respondents|people|many|users|owners|buyers|clients) (have |has |had )?(also )?"
                       r"(mention(s|ed)?|say|says|said|report(s|ed)?|note(s|d)?|complain(s|ed)?)\b|"
                       r"\bthey (have |had )?(also )?(mention(ed)?|said|reported|noted|stated)\b", re.IGNORECASE)


def verbatim(quote: str, source: str) -> bool:
    """Word for word (case, quotes and spacing aside), and not a fragment of fewer than 6 words."""
    return normalised(quote) in normalised(source) and len(_WORD.findall(quote)) >= MIN_QUOTE_WORDS


@dataclass
class GroundingContext:
    """What the checks compare a persona with."""

    evidence: dict[str, Evidence]  # every id the persona may cite → its chunk
    shown: set[str]  # ids the model was shown
    people: dict[str, int] = field(default_factory=dict)  # id → distinct respondents or sources behind it
    source_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stats: dict[str, QuestionStat] = field(default_factory=dict)  # the segment's stats by id
    members: dict[str, list[Evidence]] = field(default_factory=dict)  # theme id → member chunks
    others: dict[str, tuple[list[Piece], float]] = field(default_factory=dict)  # other segments: id → pieces, lift
    places: set[str] = field(default_factory=set)
    currencies: set[str] = field(default_factory=set)
    scorer: SupportScorer | None = None
    threshold: float = SUPPORT_THRESHOLD
    shop_names: set[str] = field(default_factory=set)
    language: str = ""  # the language the persona is written in ("": not checked)
    _scores: dict[tuple[str, tuple[str, ...]], float] = field(default_factory=dict)

    def pieces(self, evidence_id: str) -> list[Piece]:
        evidence = self.evidence.get(evidence_id)
        return evidence_pieces(evidence, self.members.get(evidence_id, ())) if evidence else []

    def answer_similarity(self, question: str) -> contradiction.Similarity | None:
        """How well a clause matches each answer of ``question`` (`stated.answer_similarity`)."""
        return None if self.scorer is None else answer_similarity(self.scorer, question)

    def answers_elsewhere(self, stat_id: str) -> list[str]:
        """Answers of the same question that other segments give distinctively (keys of `others`)."""
        slug = stat_id.partition("#")[2]
        return [key.partition("=")[2] for key in self.others
                if "=" in key and key.partition("=")[0].endswith(f"#{slug}")]

    def support(self, claim: Claim) -> float | None:
        """The claim's support score; None when there is no scorer, or too little research to judge."""
        if self.scorer is None or not self.scorer.calibrated:
            return None
        key = (claim.text, tuple(claim.evidence))
        if key not in self._scores:
            self._scores[key] = self.scorer.score(claim.text, [p for i in claim.evidence for p in self.pieces(i)])
        return self._scores[key]

    def says(self, claim: Claim, score: float) -> bool:
        """Whether the claim's cited lines say it: its support ``score`` reaches the threshold, one of them holds
        all its content words (`restates`), or it names a trait a cited stat shows (`stated.says_through_stats`)."""
        pieces, stats = [p for i in claim.evidence for p in self.pieces(i)], [self.stats[i] for i in claim.evidence
                                                                              if i in self.stats]
        return score >= self.threshold or restates(claim.text, pieces) or bool(
            stats and self.scorer and says_through_stats(self.scorer, claim.text, pieces, stats, self.threshold))


def claim_findings(path: str, claim: Claim, ctx: GroundingContext, persona_name: str = "",
                   objection: str = "") -> list[Finding]:
    """Every problem with one claim (see the module docstring); ``objection``: what a response answers."""
    findings: list[Finding] = []

    def fail(check: str, problem: str) -> None:
        findings.append(Finding(check=check, path=path, problem=problem))

    if claim.support == "inference":
        named = [i for i in ctx.evidence if claim.reason and i in claim.reason]
        if not named or claim.reason is None or len(claim.reason) < 20:
            fail("inference_reason", "an inference must say which evidence it was inferred from")
        return findings
    unknown = [i for i in claim.evidence if i not in ctx.evidence]
    if unknown:
        fail("unknown_evidence", f"cites ids that do not exist: {', '.join(unknown)}")
    if ctx.language and claim.origin == "llm" and (other := foreign_language(claim.text, ctx.language)):
        fail("wrong_language", f"written in {other}, not {language_label(ctx.language)}: say it in "
                               f"{language_label(ctx.language)}, in your own words (the code picks the quotes)")
    unseen = [i for i in claim.evidence if i in ctx.evidence and i not in ctx.shown]
    if unseen:
        fail("not_shown", f"cites evidence the writer was not shown: {', '.join(unseen)}")
    cited = [ctx.evidence[i] for i in claim.evidence if i in ctx.evidence]
    if not cited:
        return findings
    missing = unsupported(claim.text, [e.text for e in cited])
    if missing:
        fail("number_mismatch", f"figures not in the cited evidence: {describe(missing)}")
    buyer_side = not path.startswith(SHOP_SIDE) or path.endswith(".objection")
    if buyer_side and (_SHOP.search(claim.text) or any(re.match(rf"{re.escape(n)}\b", claim.text, re.IGNORECASE)
                                                       for n in ctx.shop_names)):
        fail("describes_shop", "describes the shop or a brand, not the buyer")
    if buyer_side and claim.origin == "llm" and (guess := _GUESS.search(claim.text)):
        fail("speculation", f"a guess (“{guess.group(0)}”), not what the cited lines say: state what they say, "
                            "or drop it")
    if claim.origin == "llm" and len(claim.text) >= CLAIM_CHARS and not ENDS_SENTENCE.search(claim.text):
        fail("cut_off", f"cut off at the {CLAIM_CHARS}-character limit: say it in one shorter sentence")
    if claim.origin == "llm" and len(_WORD.findall(claim.text)) < MIN_CLAIM_WORDS:
        fail("too_short", f"too short to check against its evidence (under {MIN_CLAIM_WORDS} words): say what the "
                          "lines say, in a sentence")
    if claim.origin == "llm" and (narration := NARRATES.search(claim.text)):
        fail("narrates_sources", f"talks about the sources (“{narration.group(0)}”), not as the persona: say what "
                                 "the buyer wants, does or feels")
    if claim.origin == "llm" and (complaint := wants_a_complaint(claim.text, claim.evidence, ctx)):
        fail("contradicted", f"wants, likes or chooses the shop for what a customer complains about, in its words "
                             f"(“{complaint[:80]}”): say what they want instead, or drop it")
    if path.startswith(contradiction.OFFER_SIDE) and claim.origin == "llm" and \
            contradiction.offered(claim.text, ctx.shop_names) and \
            all(asked_for(i, ctx) or asked_for(i, ctx, "complaint") for i in claim.evidence):  # nor a complaint:
        # research B: "Chooses the shop for deliveries come on random days, often when we're fully booked…"
        fail("offer_from_wish", "states as the shop's offer what the cited lines only ask for or complain about: "
                                "a selling point is what customers praise or choose it for")
    # knowledge/'s enthusiast: "Worries that the branddatum on every bag is always vers." from a praise of it, and
    # (seed 1234) the objection "I wish for branddatum on elke zak and the koffie is always vers." from the same praise
    if (path.startswith(("challenges", "fears")) or path.endswith(".objection")) and claim.origin == "llm" and \
            claim.evidence and all(asked_for(i, ctx, "praise") for i in claim.evidence):
        fail("worry_from_praise", "a problem or worry from what customers praise: cite a line that says it "
                                  "bothers them, or drop it")
    if path.endswith(".response") and claim.origin == "llm" and TRAIT_LEAD.match(claim.text):  # research B, seed 42
        fail("not_a_response", "a buyer's trait (“Needs…”), not what the shop can do: say how to answer it, or drop it")
    if path == "tone" and claim.origin == "llm" and generic_tone(claim.text):
        fail("generic_tone", "a register that fits any buyer (“informative and friendly”): say how to speak to "
                             "this one, from what their lines say, or drop it")
    if path == "tone" and claim.origin == "llm" and _FIRST_PERSON.search(_QUOTED.sub(" ", claim.text)):
        fail("not_a_tone", "a customer's words (“I…”), not how to speak to them: say the tone, or drop it")
    places = unknown_places(claim.text, ctx.places)
    currencies = unknown_currencies(claim.text, ctx.currencies)
    if places or currencies:
        fail("not_in_research", f"names what the research does not contain: {', '.join(sorted(places | currencies))}")
    if claim.origin == "stats":  # the code wrote it from these stats (a portrait joins several: no clause-matching)
        return findings
    ratings = [ctx.stats[i] for i in claim.evidence if i in ctx.stats and ctx.stats[i].kind == "mean"]
    if ratings and len(ratings) == len(claim.evidence) and (not contradiction.polarity(claim.text) or all(
            abs((r.segment_mean or 0) - (r.overall_mean or 0)) <= (r.mean_margin or 0) for r in ratings)):
        # a mean rating ("How likely are you to recommend us?") says only how satisfied they are, and where it is
        # everyone's within its margin (7.2 vs 7.3) not even that; its only text is the question, which any
        # claim naming the shop resembles
        fail("not_about_rating", f"cites only a rating (“{ratings[0].question[:60]}”), which says how satisfied "
                                 "they are (if it differs from everyone's at all), not this")
    for stat_id in (i for i in claim.evidence if i in ctx.stats):  # one it is not about: matched by its words only
        about = (ctx.support(Claim(text=claim.text, evidence=[stat_id])) or 0.0) >= ctx.threshold
        if verdict := contradiction.stat_direction(
                claim.text, ctx.stats[stat_id], ctx.answer_similarity(ctx.stats[stat_id].question) if about else None,
                ctx.answers_elsewhere(stat_id)):
            fail(verdict.check, verdict.problem)
    if buyer_side and ctx.scorer is not None:
        pieces = [p for i in claim.evidence if i not in ctx.stats for p in ctx.pieces(i)]
        if verdict := contradiction.polarity_clash(claim.text, ctx.scorer.ranked(claim.text, pieces)):
            fail(verdict.check, verdict.problem)
    elif buyer_side:
        words = [customer_words(e) or e.text for e in cited if e.metadata.get("analysis") != "segment_stat"]
        words += [customer_words(m) or m.text for i in claim.evidence for m in ctx.members.get(i, [])[:6]]
        if verdict := contradiction.polarity_clash(claim.text, [(w, None) for w in words]):
            fail(verdict.check, verdict.problem)
    score = None if objection and answers(claim.text, objection) else ctx.support(claim)
    if score is not None:
        if not ctx.says(claim, score):
            fail("weak_support", f"the cited evidence does not say this (support {score:.2f} < {ctx.threshold:.2f})")
        elif ctx.others and ctx.scorer is not None:
            best = ctx.scorer.best(claim.text, {k: pieces for k, (pieces, _) in ctx.others.items()})
            lift = ctx.others[best[0]][1] if best[0] else None
            if verdict := contradiction.other_segment(score, best, lift):
                fail(verdict.check, verdict.problem)
    return findings


def restates(text: str, pieces: Sequence[Piece]) -> bool:
    """Whether one cited piece holds every content word of the claim (`support.content_stems`, at least
    `RESTATED_WORDS`; the lead its section asks for aside): then the line says it, whatever the support
    score. Support is CSLS, which discounts a line as much as it resembles all the others: in a segment whose
    research is all invoices, "Wants invoice payment for business customers" scored -0.05 against its own
    theme's "Invoice payment (EHF/PEPPOL) for business customers." Negation is the contradiction checks' job,
    as for any claim that passes on its score."""
    words = content_stems(TRAIT_LEAD.sub("", text))
    return len(words) >= RESTATED_WORDS and any(words <= content_stems(piece.text) for piece in pieces)


def asked_for(evidence_id: str, ctx: GroundingContext, role: str = "wish") -> bool:
    """Whether the evidence is customers' wishes only: answers to "what would you change / add?", or a closed
    question's answers other than praise ("How do you prefer to contact our customer service?": a personal
    account manager, 44 %), which say what buyers want or choose, never what the shop has (research B's
    "Hyggehund has a personal account manager who can help…" rested on that stat alone). With ``role``
    "praise": whether it is answers to "what do you like most?" only (a stat never is)."""
    if evidence_id in ctx.stats:
        return role == "wish" and free_text_role([ctx.stats[evidence_id].question]) != "praise"
    chunks = ctx.members.get(evidence_id) or ([ctx.evidence[evidence_id]] if evidence_id in ctx.evidence else [])
    questions = [str(c.metadata.get("question") or "") for c in chunks]
    questions = [q for q in questions if q]
    return bool(questions) and free_text_role(questions) == role


# Words of a register that fits any buyer: a tone made of them alone says nothing of this segment (all 4 tones
# the 1.5B wrote for research B were such, or an offer: "The tone is informative and helpful.")
_REGISTER = frozenset("""informative friendly helpful professional clear reassuring warm positive engaging approachable
    supportive respectful polite honest simple direct concise casual formal personal trustworthy knowledgeable
    empathetic caring upbeat encouraging confident transparent straightforward kind conversational informal
    persuasive welcoming gentle calm relaxed enthusiastic sincere authentic""".split())
_TONE_FILLER = frozenset("""the tone of message is be should and or but a an its it this that with very yet also
    speak talk write to them in way manner voice""".split())  # "Speak to them in a friendly way": the tone's leads


# knowledge/'s tone "The Rwanda Nyamasheke was the best filter coffee I've had this year. …": a customer's sentence
_FIRST_PERSON = re.compile(r"\b(?:I|I'(?:ve|m|d|ll)|[Mm]y|[Mm]e|[Mm]ine)\b")  # not "i": a preposition in Norwegian
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|„[^“”]*[“”]")  # a tone may quote their words (“I just want…”)


def generic_tone(text: str) -> bool:
    """Whether a tone says only a register any buyer would get (`_REGISTER`)."""
    words = [w.casefold() for w in _WORD.findall(text)]
    content = [w for w in words if w not in _TONE_FILLER]
    return bool(content) and all(w in _REGISTER for w in content)


_WANT_LEAD = re.compile(r"^(?:wants|needs|likes|values|loves|enjoys|cares about|would like|wishes(?: for)?|"
                        r"chooses (?:the shop|them|it|us) for(?: its)?)\b\s*"
                        r"(?:to |that |for )?", re.IGNORECASE)
_COPIED_WORDS = 4  # content words in a row
# a complaint that says what they need ("…we need to pay by invoice with 30-day terms"): a want copying those
# words is the need, not the complaint
_NEED_BEFORE = re.compile(r"\b(?:need|needs|want|wants|would like|wish|wishes|should|must|have to|has to|hope|prefer|"
                          r"expect|ask for|asked for|rather)\b", re.IGNORECASE)


def wants_a_complaint(text: str, evidence_ids: Sequence[str], ctx: GroundingContext) -> str | None:
    """The customer answer to a complaint question ("What annoys you?") that a want or like copies (research
    B: "Wants deliveries to come on random days, often when we're fully booked and can't take a pallet." from
    "Deliveries come on random days, often when we're fully booked and can't take a pallet. That's my main
    gripe."): what is wanted — the first `_COPIED_WORDS` content words after the lead — stands in a row in a
    sentence of the complaint, and not after a need ("we need to pay by invoice…"). None when there is none; a
    want in its own words ("Wants deliveries on predictable days") is the contradiction checks' job."""
    lead = _WANT_LEAD.match(text)
    # by their first three letters: "deliveries coming on random days" copies "Deliveries come on random days"
    wanted = [w[:3] for w in content_sequence(text[lead.end():])[:_COPIED_WORDS]] if lead else []
    if len(wanted) < _COPIED_WORDS:
        return None
    for evidence_id in evidence_ids:
        chunks = ctx.members.get(evidence_id) or ([ctx.evidence[evidence_id]] if evidence_id in ctx.evidence else [])
        for chunk in chunks:
            if free_text_role([str(chunk.metadata.get("question") or "")]) != "complaint":
                continue
            said = customer_words(chunk) or chunk.text
            for sentence in re.split(r"(?<=[.!?;])\s+", said):
                words = _WORD.findall(sentence)
                at = [k for k, word in enumerate(words) if content_sequence(word)]  # where each content word stands
                stems = [content_sequence(words[k])[0][:3] for k in at]
                if any(stems[i:i + len(wanted)] == wanted and not _NEED_BEFORE.search(" ".join(words[:at[i]]))
                       for i in range(len(stems) - len(wanted) + 1)):
                    return said
    return None


def rule_findings(persona: Persona, ctx: GroundingContext, others: Sequence[Persona] = ()) -> list[Finding]:
    """All deterministic findings for a persona."""
    findings: list[Finding] = []
    for path, claim in iter_claims(persona):
        findings += claim_findings(path, claim, ctx, persona.name, answered(persona, path))
    failing = {f.path for f in findings}
    repeated = repeats.repetition_findings(persona, failing)  # a repeat goes, so it holds no place under the cap
    findings += overuse_findings(persona, ctx, failing | {f.path for f in repeated}) + repeated
    for index, quote in enumerate(persona.quotes):
        chunk = ctx.evidence.get(quote.evidence_id)
        words = customer_words(chunk) if chunk is not None else None
        if chunk is None:
            findings.append(Finding(check="unknown_evidence", path=f"quotes[{index}]",
                                    problem=f"quote cites an id that does not exist: {quote.evidence_id}"))
        elif words is None:
            findings.append(Finding(check="quote_not_customer", path=f"quotes[{index}]",
                                    problem=f"{quote.evidence_id} holds no customer's own words"))
        elif not verbatim(quote.text, words):
            findings.append(Finding(check="quote_not_verbatim", path=f"quotes[{index}]",
                                    problem=f"not word for word (6+ words) in {quote.evidence_id}"))
    kinds = persona_source_kinds(persona, ctx)
    if len(kinds) < 2:
        findings.append(Finding(check="one_source_kind", path="(persona)",
                                problem=f"rests on {', '.join(sorted(kinds)) or 'no'} evidence only; "
                                        "cite survey, interview, analytics or transactions evidence"))
    findings += repeats.distinctness_findings(persona, list(others))
    return findings


def answered(persona: Persona, path: str) -> str:
    """The objection a response at ``path`` answers ("" for any other claim)."""
    match = re.fullmatch(r"objections\[(\d+)\]\.response", path)
    return persona.objections[int(match.group(1))].objection.text if match else ""


def persona_source_kinds(persona: Persona, ctx: GroundingContext) -> set[str]:
    kinds: set[str] = set()
    for evidence_id in cited_ids(persona):
        evidence = ctx.evidence.get(evidence_id)
        declared = ctx.source_kinds.get(evidence_id)
        if declared is None and evidence is not None:
            declared = tuple(str(evidence.metadata.get("source_kinds") or evidence.kind).split(","))
        kinds |= set(declared or ()) & SOURCE_KINDS
    return kinds


def overuse_findings(persona: Persona, ctx: GroundingContext, failing: set[str]) -> list[Finding]:
    """Past `MAX_CLAIMS_PER_ID` claims on one id, the least supported ones must find other evidence.
    A journey stage or an objection with its response counts once; the code's stat claims stay (they are never
    removed: knowledge/'s narrative on the research-habits stat, behind its gist and two stat claims, was
    flagged in their place and the id kept 4 claims), and of the written ones the gist and narrative go last.
    The code's buyer-type reason is not counted: it is placed last, where there is room (`claims.placed_last`)."""
    by_id: dict[str, dict[str, tuple[float, str]]] = {}
    for path, claim in iter_claims(persona):
        if path in failing or claim.support != "cited" or placed_last(path, claim):
            continue
        group = path.split(".")[0] if path.startswith(("journey[", "objections[")) else path
        score = 100.0 if claim.origin == "stats" else (ctx.support(claim) or 0.0)
        score += 10.0 if path in ("gist", "narrative") else 0.0
        for evidence_id in claim.evidence:
            uses = by_id.setdefault(evidence_id, {})
            if group not in uses or uses[group][0] > score:
                uses[group] = (score, path)
    findings = []
    for evidence_id, uses in by_id.items():
        if len(uses) > MAX_CLAIMS_PER_ID:
            for _, group in sorted(((s, g) for g, (s, _) in uses.items()), reverse=True)[MAX_CLAIMS_PER_ID:]:
                paths = [p for p, _ in iter_claims(persona) if p == group or p.startswith(group + ".")]
                for path in paths:
                    findings.append(Finding(check="overused_evidence", path=path,
                                            problem=f"{evidence_id} already backs {MAX_CLAIMS_PER_ID} other claims: "
                                                    "cite other evidence or drop it"))
    return findings


def confidence_of(respondents: int) -> str:
    return "high" if respondents >= 5 else "medium" if respondents >= 2 else "low"


def people_behind(claim: Claim, ctx: GroundingContext) -> int:
    """Distinct respondents or sources behind a claim: the most any one cited item has, or the
    number of single-source items when they are all single sources. A stat's people are those who gave
    the answer the claim names ("No invoice payment option": 29 of the 48 who answered), else all."""
    counts = [_people(i, claim.text, ctx) for i in claim.evidence if i in ctx.evidence]
    if not counts:
        return 0
    return max(max(counts), sum(1 for c in counts if c == 1))


def _people(evidence_id: str, text: str, ctx: GroundingContext) -> int:
    stat = ctx.stats.get(evidence_id)
    answer = contradiction.answer_for(text, [o.answer for o in stat.options], None) if stat and stat.options else None
    option = next((o for o in stat.options if o.answer == answer), None) if stat and answer else None
    return round(option.segment_share * stat.answered) if stat and option else ctx.people.get(evidence_id, 1)


def count_by_id(persona: Persona) -> Counter[str]:
    return Counter(i for path, claim in iter_claims(persona) if not placed_last(path, claim) for i in claim.evidence)
