"""Grounding v2, rule by rule: each way the old checks let invented content pass is caught now
(issue 9's review list), with a small hand-made context and no model."""

from __future__ import annotations

import pytest

from persona_agent.analysis.models import OptionStat, QuestionStat
from persona_agent.analysis.stats import stat_text
from persona_agent.core.evidence import Evidence
from persona_agent.personas.claims import iter_claims
from persona_agent.personas.cleanup import clean
from persona_agent.personas.grounding import GroundingContext, claim_findings, rule_findings, verbatim
from persona_agent.personas.numbers import quantities
from persona_agent.personas.schema import (
    BuyingBehaviour,
    Claim,
    Finding,
    Goals,
    JourneyStage,
    Objection,
    Persona,
    Provenance,
    Psychographics,
    Quote,
)
from persona_agent.talk.chat import persona_card

AGE = QuestionStat(stat_id="segment:S2#what-is-your-age", segment_id="S2", question="What is your age?",
                   dimension="age", kind="share", answered=63, overall_answered=240, options=[
                       OptionStat(answer="35-44", segment_share=0.63, overall_share=0.27, lift=2.3, margin=0.12),
                       OptionStat(answer="25-34", segment_share=0.17, overall_share=0.31, lift=0.55, margin=0.09)])
FOLLOW = QuestionStat(stat_id="segment:S2#where-do-you-follow", segment_id="S2", question="Where do you follow us?",
                      dimension=None, kind="share", answered=63, overall_answered=240, options=[
                          OptionStat(answer="YouTube", segment_share=0.75, overall_share=0.24, lift=3.1, margin=0.11),
                          OptionStat(answer="Instagram", segment_share=0.1, overall_share=0.4, lift=0.25, margin=0.07)])
ANSWER = Evidence(evidence_id="survey.csv#R002:q22", kind="survey", source="survey.csv",
                  text="When a lot is out of stock the subscription just swaps in something else without asking.",
                  metadata={"respondent_id": "R002", "question_index": 22, "language": "en"})
TURN = Evidence(evidence_id="interviews/a.md#L4-5", kind="interview", source="interviews/a.md",
                text="Interviewer: How was the delivery?\nKunde: Frakten er altfor dyr, nesten åtte euro for én pose.",
                metadata={"speaker": "Kunde", "language": "no"})
SUMMARY = Evidence(evidence_id="survey.csv#q22", kind="survey", source="survey.csv",
                   text="Question 22: 180 answers. Most common: out of stock, shipping cost, late delivery.",
                   metadata={"question": "q22"})
PROFILE = Evidence(evidence_id="segment:S1", kind="segment", source="analysis",
                   text="Segment S1: 77 respondents (32 %). Distinguishing answers: Shipping cost 69 % vs 29 %.")


def stat_evidence(stat: QuestionStat) -> Evidence:
    return Evidence(evidence_id=stat.stat_id, kind="segment", source="analysis", text=stat_text(stat, 63),
                    metadata={"analysis": "segment_stat", "question": stat.question, "source_kinds": "survey"})


@pytest.fixture
def ctx() -> GroundingContext:
    evidence = {e.evidence_id: e for e in (stat_evidence(AGE), stat_evidence(FOLLOW), ANSWER, TURN, SUMMARY,
                                           PROFILE)}
    shown = {AGE.stat_id, FOLLOW.stat_id, ANSWER.evidence_id, TURN.evidence_id, SUMMARY.evidence_id}
    return GroundingContext(evidence=evidence, shown=shown, stats={AGE.stat_id: AGE, FOLLOW.stat_id: FOLLOW},
                            source_kinds={AGE.stat_id: ("survey",), FOLLOW.stat_id: ("survey",)},
                            places={"norway", "denmark"}, currencies={"eur"}, shop_names={"Fjordbrew"})


def checks(text: str, cited: list[str], ctx: GroundingContext, path: str = "goals.primary[0]") -> set[str]:
    return {f.check for f in claim_findings(path, Claim(text=text, evidence=cited), ctx)}


def test_only_ids_the_writer_was_shown_may_be_cited(ctx):
    # another segment's profile exists in the store, but was not in this persona's brief
    assert "not_shown" in checks("Mostly worried about shipping costs", ["segment:S1"], ctx)
    assert "unknown_evidence" in checks("Mostly worried about shipping costs", ["made/up#L1"], ctx)


@pytest.mark.parametrize("claim, cited, caught", [
    ("34 years old", AGE.stat_id, True),  # a range end is not an age
    ("Mostly 35-44", AGE.stat_id, False),
    ("63 % are 35-44", AGE.stat_id, False),
    ("55 of them are 35-44", AGE.stat_id, True),  # a count does not pass on "55 %" or anything else
    ("Two in three are 35-44", AGE.stat_id, False),  # spelled-out share, near 63 %
    ("Half of them are 25-34", AGE.stat_id, True),  # 50 % is nowhere near 17 %
    ("Pays €4.99 for shipping", TURN.evidence_id, True),
    ("Buys 5 bags a month", ANSWER.evidence_id, True),  # single digits are checked
    ("Orders 1.5x as often", ANSWER.evidence_id, True),
    ("Watches YouTube 3.1 times more than everyone", FOLLOW.stat_id, False),  # the stated lift
])
def test_every_figure_must_be_in_the_evidence_it_cites(ctx, claim, cited, caught):
    assert ("number_mismatch" in checks(claim, [cited], ctx)) is caught, quantities(claim)


def test_a_share_cannot_lean_on_a_segment_profile_full_of_percentages(ctx):
    # the profile states "69 %"; it was not in the brief, so it cannot back a share (or anything)
    assert "not_shown" in checks("69 % are held back by shipping costs", ["segment:S1"], ctx)


def test_a_trait_below_the_segments_average_or_negated_is_caught(ctx):
    assert "not_distinctive" in checks("Follows the shop on Instagram", [FOLLOW.stat_id], ctx)
    assert "contradicted" in checks("Rarely watches YouTube", [FOLLOW.stat_id], ctx)
    assert checks("Follows coffee channels on YouTube", [FOLLOW.stat_id], ctx) == set()


class FaintScorer:
    """Every piece is far from every claim; a piece naming 25-34 a little less far."""

    calibrated = True

    def score(self, claim, pieces):
        return max(-0.2 if "25-34" in p.text else -0.3 for p in pieces) if pieces else -1.0

    def ranked(self, claim, pieces):
        return [(p.text, None) for p in pieces]

    def best(self, claim, candidates):
        return None, -1.0


def test_a_stat_the_claim_is_not_about_gives_no_verdict_by_a_faint_likeness(ctx):
    # knowledge/: "Needs reliable subscription options with rotation" cited a stat and was held to its answer
    # "Prefer not to say", the one the embedder ranked first among answers that all scored far below support
    ctx.scorer, ctx.threshold = FaintScorer(), -0.03
    found = checks("Needs reliable subscription options with rotation", [AGE.stat_id], ctx)
    assert "weak_support" in found and "not_distinctive" not in found
    assert "not_distinctive" in checks("Is 25-34 years old", [AGE.stat_id], ctx)  # its words name the answer


def test_a_claim_whose_words_one_cited_line_holds_passes_whatever_its_score(ctx):
    # knowledge/: "Wants invoice payment for business customers" scored -0.05 against its own theme's "Invoice
    # payment (EHF/PEPPOL) for business customers." (support is CSLS, which discounts a segment's common words)
    ctx.scorer, ctx.threshold = FaintScorer(), -0.03
    assert "weak_support" not in checks("Is annoyed that the subscription swaps in something else without asking",
                                        [ANSWER.evidence_id], ctx, path="challenges[0]")
    assert "weak_support" in checks("Is annoyed that the subscription swaps in another roast",
                                    [ANSWER.evidence_id], ctx, path="challenges[0]")  # "roast": not in the line
    assert "weak_support" in checks("Wants swaps asked", [ANSWER.evidence_id], ctx,
                                    path="goals.primary[0]")  # too few words to tell


class FarScorer(FaintScorer):
    """Every claim far from every piece (-0.06: between the pair threshold and the written claims')."""

    def score(self, claim, pieces):
        return -0.06 if pieces else -1.0


def test_a_written_claim_naming_a_trait_its_cited_stat_shows_is_said_by_the_stat(ctx):
    # knowledge/: "Wants reliable delivery and invoicing for the office." was removed at -0.06 against the office
    # segment's "What matters most to you when choosing…? Reliable delivery and invoicing" (75 % vs 17 %)
    ctx.scorer, ctx.threshold = FarScorer(), -0.03
    assert "weak_support" not in checks("Follows coffee channels on YouTube every week", [FOLLOW.stat_id], ctx)
    assert "weak_support" not in checks("Mostly 35-44 and follows the shop on YouTube",
                                        [AGE.stat_id, FOLLOW.stat_id], ctx)
    # every other part must still be said: a stat names one trait, not what the claim adds to it
    assert "weak_support" in checks("Follows coffee channels on YouTube. Roasts beans at home every weekend",
                                    [FOLLOW.stat_id], ctx)
    assert "weak_support" in checks("Reads coffee magazines every week", [FOLLOW.stat_id], ctx)  # names no answer
    assert "weak_support" in checks("Follows coffee channels on YouTube every week", [ANSWER.evidence_id], ctx)
    found = checks("Follows the shop on Instagram every day", [FOLLOW.stat_id], ctx)  # not the segment's trait
    assert "weak_support" in found and "not_distinctive" in found
    # wanting what the segment chooses on is no clash, though a want reads as a lack and the answer as praise
    choose = QuestionStat(stat_id="segment:S2#what-matters-most", segment_id="S2", question="What matters most to you "
                          "when choosing where to buy coffee?", dimension=None, kind="share", answered=63,
                          overall_answered=240, options=[
                              OptionStat(answer="Reliable delivery and invoicing", segment_share=0.75,
                                         overall_share=0.17, lift=4.4, margin=0.12),
                              OptionStat(answer="Low price and discounts", segment_share=0.1, overall_share=0.27,
                                         lift=0.4, margin=0.07)])
    ctx.evidence[choose.stat_id], ctx.stats[choose.stat_id] = stat_evidence(choose), choose
    ctx.shown.add(choose.stat_id)
    assert checks("Wants reliable delivery and invoicing for the office.", [choose.stat_id], ctx) == set()


def test_a_complaint_about_a_lack_the_segment_names_as_its_barrier_is_no_negation(ctx):
    # research B: "Struggles with the fact that Hyggehund does not offer a business account" was removed as
    # negating "No invoice payment / business account" (65 % vs 9 %), the very barrier it states
    barrier = QuestionStat(
        stat_id="segment:S2#what-stops-you", segment_id="S2", question="What is the main thing that stops you from "
        "buying more?", dimension=None, kind="share", answered=63, overall_answered=240, options=[
            OptionStat(answer="No invoice payment / business account", segment_share=0.65, overall_share=0.09,
                       lift=7.2, margin=0.12),
            OptionStat(answer="Shipping cost", segment_share=0.3, overall_share=0.1, lift=3.0, margin=0.1)])
    ctx.evidence[barrier.stat_id], ctx.stats[barrier.stat_id] = stat_evidence(barrier), barrier
    ctx.shown.add(barrier.stat_id)
    for agrees in ("Struggles with the fact that the shop does not offer a business account",
                   "Is annoyed that there is no business account to pay by invoice"):
        assert "contradicted" not in checks(agrees, [barrier.stat_id], ctx, path="challenges[0]"), agrees
    assert "contradicted" in checks("Shipping cost is not a problem for them", [barrier.stat_id], ctx)


def test_satisfaction_where_the_evidence_complains_is_a_contradiction(ctx):
    assert "contradicted" in checks("Happy with the shipping costs", [TURN.evidence_id], ctx)
    assert "contradicted" not in checks("Annoyed by expensive shipping", [TURN.evidence_id], ctx)
    # a challenge's lead makes it a complaint, whatever its other words ("in stock" reads as praise)
    assert "contradicted" not in checks("Has to wait for the newsletter before seeing what is actually in stock",
                                        [ANSWER.evidence_id], ctx, path="challenges[0]")


def test_describing_the_shop_and_places_or_currencies_not_in_the_research(ctx):
    assert "describes_shop" in checks("Fjordbrew is a sustainable coffee brand", [ANSWER.evidence_id], ctx)
    assert "describes_shop" in checks("Fjordbrew sells beans online", [ANSWER.evidence_id], ctx)
    assert "describes_shop" not in checks("Offer a pause button", [ANSWER.evidence_id], ctx,
                                          path="selling_points[0]")
    assert "not_in_research" in checks("A coffee lover from the United States", [ANSWER.evidence_id], ctx)
    assert "not_in_research" in checks("Thinks $8 for shipping is too much", [TURN.evidence_id], ctx)
    assert "not_in_research" not in checks("A coffee lover in Norway", [ANSWER.evidence_id], ctx)


@pytest.mark.parametrize("claim, caught", [
    ("This means they are likely to have a high disposable income", True),
    ("Probably reads reviews before a first order", True),
    ("Runs out of beans, which suggests they brew a lot", True),
    ("More likely than others to follow coffee channels on YouTube", False),  # a comparison a stat can state
    ("Would likely recommend it if deliveries came on time", False),
])
def test_a_guess_stated_as_the_buyers_trait_is_caught(ctx, claim, caught):
    assert ("speculation" in checks(claim, [FOLLOW.stat_id], ctx)) is caught
    assert "speculation" not in checks(claim, [FOLLOW.stat_id], ctx, path="selling_points[0]")


def test_a_claim_too_short_to_check_is_caught(ctx):
    assert "too_short" in checks("Trust and satisfaction", [ANSWER.evidence_id], ctx)
    assert "too_short" not in checks("No invoice payment option", [ANSWER.evidence_id], ctx)


def test_a_claim_that_narrates_its_sources_is_caught(ctx):
    assert "narrates_sources" in checks("The brief shows that they are thoughtful and considerate",
                                        [FOLLOW.stat_id], ctx)
    assert "narrates_sources" in checks("Orders often, as evidenced by their frequent orders", [FOLLOW.stat_id], ctx)
    # research B (seed 42), its gist and narrative both
    assert "narrates_sources" in checks("Erik values a reliable supply of vet-diet food, which aligns with the lines "
                                        "about their age", [FOLLOW.stat_id], ctx, path="gist")
    assert "narrates_sources" not in checks("Follows coffee channels on YouTube", [FOLLOW.stat_id], ctx)
    # research B: a praise theme reported as a fear, in the words of someone summarising the answers
    for reported in ("They have mentioned that the shop is cheaper than the vet",
                     "Customers have reported that delivery takes too long", "Many say that YouTube is their channel"):
        assert "narrates_sources" in checks(reported, [FOLLOW.stat_id], ctx, path="fears[0]"), reported
    assert "narrates_sources" not in checks("Says no to subscriptions that swap coffee", [FOLLOW.stat_id], ctx)


def test_an_inference_needs_a_reason_that_names_its_evidence(ctx):
    vague = Claim(text="Probably reads reviews", support="inference", reason="x")
    named = Claim(text="Probably reads reviews", support="inference",
                  reason=f"inferred from {FOLLOW.stat_id}: most follow coffee channels")
    assert {f.check for f in claim_findings("goals.primary[0]", vague, ctx)} == {"inference_reason"}
    assert claim_findings("goals.primary[0]", named, ctx) == []


def persona(**fields) -> Persona:
    base = Claim(text="Follows coffee channels on YouTube", evidence=[FOLLOW.stat_id])
    return Persona(id="greta", name="Gourmet Greta", gist=base, narrative=base, buyer_type="brand enthusiast",
                   **fields)


def test_a_claim_that_goes_as_a_repeat_holds_no_place_under_the_cap(ctx):
    # knowledge/ (seed 1234): "Struggles with no invoice payment option." beside the code's "Held back by: No invoice
    # payment option (60 % …)" took a place on the barrier stat; the objection on it was removed as the stat's
    # fourth claim, and then the repeat went too
    turn = Claim(text="Finds shipping too expensive", evidence=[TURN.evidence_id])
    on_stat = persona(
        challenges=[Claim(text="Held back by: Too few brewing videos (75 % of this segment vs 24 % of all respondents)",
                          evidence=[FOLLOW.stat_id], origin="stats"),
                    Claim(text="Struggles with too few brewing videos", evidence=[FOLLOW.stat_id])],
        buyer_type_reason=Claim(text="Follows brewing channels on YouTube", evidence=[FOLLOW.stat_id]),
        objections=[Objection(objection=Claim(text="Too few brewing videos on YouTube", evidence=[FOLLOW.stat_id]),
                              response=Claim(text="Post brewing videos on YouTube", evidence=[FOLLOW.stat_id]))])
    on_stat.gist = on_stat.narrative = turn
    found = {(f.path, f.check) for f in rule_findings(on_stat, ctx)}
    assert ("challenges[1]", "repeated_claim") in found
    assert not [f for f in found if f[1] == "overused_evidence"], found


def test_stats_alone_are_one_source_kind(ctx):
    findings = {f.check for f in rule_findings(persona(), ctx)}
    assert "one_source_kind" in findings  # the demographics and stats are all survey: one kind
    listed = persona(provenance=Provenance(generated_at="now", model="test"))
    issues = clean(listed, rule_findings(listed, ctx), ctx, listed.gist).provenance.open_issues
    assert any(i.startswith("(persona): rests on survey evidence only") for i in issues)
    assert not [i for i in issues if "(removed" in i], issues  # an open issue of the persona: nothing was removed
    mixed = persona(challenges=[Claim(text="Annoyed by expensive shipping", evidence=[TURN.evidence_id])])
    assert "one_source_kind" not in {f.check for f in rule_findings(mixed, ctx)}


def test_quotes_are_customer_words_of_six_words_or_more(ctx):
    good = Quote(text="the subscription just swaps in something else", evidence_id=ANSWER.evidence_id)
    short = Quote(text="out of stock", evidence_id=ANSWER.evidence_id)
    summary = Quote(text="Most common: out of stock, shipping cost, late delivery", evidence_id=SUMMARY.evidence_id)
    interviewer = Quote(text="How was the delivery", evidence_id=TURN.evidence_id)
    found = {f.path: f.check for f in rule_findings(persona(quotes=[good, short, summary, interviewer]), ctx)}
    assert "quotes[0]" not in found
    assert found["quotes[1]"] == "quote_not_verbatim" and found["quotes[2]"] == "quote_not_customer"
    assert found["quotes[3]"] == "quote_not_verbatim"  # the interviewer's words are not the customer's
    assert verbatim("Frakten er altfor dyr, nesten åtte euro", "Frakten er altfor dyr, nesten åtte euro for én pose.")


def test_one_id_backs_at_most_three_claims(ctx):
    claims = [Claim(text=text, evidence=[FOLLOW.stat_id])  # five different points (a repeat would go anyway)
              for text in ("Watches brewing tutorials every week", "Compares grinder reviews before buying",
                           "Follows roasters who explain their sourcing", "Learns latte art from barista channels",
                           "Picks travel coffee kits from video tips")]
    found = [f for f in rule_findings(persona(challenges=claims), ctx) if f.check == "overused_evidence"]
    assert len(found) == 4  # 7 claims on one id (gist, narrative, 5 challenges) → 4 must go
    assert all(f.path not in ("gist", "narrative") for f in found)  # the gist and narrative go last
    # knowledge/ (seed 7): the code's gist and two research-habit stats on one id, and a written narrative: the
    # stat claims are never removed, so the narrative must go (flagging a stat left the id with 4 claims)
    stat = Claim(text="Follows or gets advice from: YouTube (75 % of this segment vs 24 % of all respondents)",
                 evidence=[FOLLOW.stat_id], origin="stats")
    reddit = stat.model_copy(update={"text": stat.text.replace("YouTube", "Reddit")})
    gist = stat.model_copy(update={"text": "Stands out for YouTube"})
    habits = BuyingBehaviour(research_habits=[stat, reddit])
    crowded = persona(buying_behaviour=habits).model_copy(update={"gist": gist})
    found = [f.path for f in rule_findings(crowded, ctx) if f.check == "overused_evidence"]
    assert found == ["narrative"]


def test_the_people_behind_a_claim_on_a_stat_are_those_who_gave_its_answer(ctx):
    # knowledge/: "No invoice payment option" showed "48 people" (all who answered) beside the code's "29 people"
    from persona_agent.personas.grounding import people_behind

    ctx.people[FOLLOW.stat_id] = FOLLOW.answered
    assert people_behind(Claim(text="Follows coffee channels on YouTube", evidence=[FOLLOW.stat_id]), ctx) == 47
    assert people_behind(Claim(text="Follows coffee news online", evidence=[FOLLOW.stat_id]), ctx) == 63


def test_a_claim_that_repeats_an_earlier_one_must_say_something_else(ctx):
    said = Claim(text="Compares shipping prices on several shops before ordering", evidence=[TURN.evidence_id])
    copied = Claim(text="Compares the shipping prices of several shops before ordering!", evidence=[ANSWER.evidence_id])
    other = Claim(text="Orders when the subscription swaps in a coffee they did not choose",
                  evidence=[ANSWER.evidence_id])
    journey = [JourneyStage(stage="consideration", doing=said), JourneyStage(stage="purchase", doing=copied),
               JourneyStage(stage="after purchase", doing=other)]
    found = [f for f in rule_findings(persona(journey=journey), ctx) if f.check == "repeated_claim"]
    assert [(f.path, "journey[0].doing" in f.problem) for f in found] == [("journey[1].doing", True)]
    cleaned = clean(persona(journey=journey), found, ctx, persona().gist)
    assert [s.stage for s in cleaned.journey] == ["consideration", "after purchase"]
    # knowledge/: the pains section's claim and a theme's sentence differ only by the lead the sections ask for
    plain = Claim(text="There is no way to set a fixed delivery day.", evidence=[TURN.evidence_id])
    led = Claim(text="Is annoyed that there is no way to set a fixed delivery day.", evidence=[ANSWER.evidence_id])
    found = [f for f in rule_findings(persona(challenges=[plain, led]), ctx) if f.check == "repeated_claim"]
    assert [f.path for f in found] == ["challenges[1]"]
    # knowledge/'s office persona (seed 42): an objection may say what a challenge says, its row adds the response;
    # a selling point may not
    answered = Objection(objection=Claim(text="There is no way to set a fixed delivery day",
                                         evidence=[TURN.evidence_id]),
                         response=Claim(text="Offer a fixed delivery day for office orders",
                                        evidence=[TURN.evidence_id]))
    pitched = Claim(text="Struggles with there is no way to set a fixed delivery day", evidence=[TURN.evidence_id])
    found = rule_findings(persona(challenges=[led], objections=[answered], selling_points=[pitched]), ctx)
    assert [f.path for f in found if f.check == "repeated_claim"] == ["selling_points[0]"]
    # knowledge/ (theme S2.3): one point in other words, on the same evidence; on other evidence it is another
    waits = Claim(text="Has to wait for the newsletter to go out before seeing what is actually in stock",
                  evidence=[TURN.evidence_id])
    glued = Claim(text="Is annoyed that hard to see what is actually in stock before the newsletter goes out. "
                       "Stock-outs.", evidence=[TURN.evidence_id])
    found = [f for f in rule_findings(persona(challenges=[waits, glued]), ctx) if f.check == "repeated_claim"]
    assert [(f.path, "challenges[0]" in f.problem) for f in found] == [("challenges[1]", True)]
    elsewhere = glued.model_copy(update={"evidence": [ANSWER.evidence_id]})
    assert not [f for f in rule_findings(persona(challenges=[waits, elsewhere]), ctx) if f.check == "repeated_claim"]
    # knowledge/ (seed 42): one customer's sentence as the marketing message and the first selling point
    sentence = "The light roasts of this year were the best filter coffee I have had."
    twice = persona(marketing_message=Claim(text=sentence, evidence=[TURN.evidence_id]),
                    selling_points=[Claim(text=sentence, evidence=[TURN.evidence_id])],
                    psychographics=Psychographics(values=[Claim(text="Likes " + sentence.lower(),
                                                                evidence=[TURN.evidence_id])]))
    found = [f for f in rule_findings(twice, ctx) if f.check == "repeated_claim"]
    assert [(f.path, "word for word" in f.problem) for f in found] == [("selling_points[0]", True)]
    # knowledge/'s office persona: a goal said again as a value, with only another lead in front
    need = Claim(text="Needs a business account with several users and one invoice per month",
                 evidence=[TURN.evidence_id])
    care = Claim(text="Cares about a business account with several users and one invoice per month",
                 evidence=[ANSWER.evidence_id])
    both = persona(goals=Goals(primary=[need]), psychographics=Psychographics(values=[care]))
    found = [f for f in rule_findings(both, ctx) if f.check == "repeated_claim"]
    assert [(f.path, "word for word what psychographics.values[0]" in f.problem) for f in found] == \
        [("goals.primary[0]", True)]
    # knowledge/ (seed 42): one theme's sentence under two aliases; the first fails its own check and goes, so the
    # second (true) one repeats nothing
    failing = Claim(text=sentence, evidence=["theme:S9.9"])  # an id that does not exist
    found = rule_findings(persona(selling_points=[failing, Claim(text=sentence, evidence=[TURN.evidence_id])]), ctx)
    assert [(f.path, f.check) for f in found if f.path.startswith("selling_points")] == \
        [("selling_points[0]", "unknown_evidence")]


def test_a_written_claim_that_only_restates_a_stat_claim_next_to_it_goes(ctx):
    # research B: "Struggles with no invoice payment / business account" above the code's "Held back by: …"
    stat = Claim(text="Held back by: No invoice payment / business account (65 % of this segment vs 9 % of all "
                      "respondents)", evidence=[FOLLOW.stat_id], origin="stats")
    restated = Claim(text="Struggles with no invoice payment / business account", evidence=[TURN.evidence_id])
    more = Claim(text="Struggles with no invoice payment / business account, so the bookkeeper chases receipts "
                      "every month", evidence=[TURN.evidence_id])
    found = [f for f in rule_findings(persona(challenges=[restated, more, stat]), ctx) if f.check == "repeated_claim"]
    assert [(f.path, "challenges[2]" in f.problem) for f in found] == [("challenges[0]", True)]
    goal = Claim(text="Wants no invoice payment / business account", evidence=[TURN.evidence_id])  # another place
    assert not [f for f in rule_findings(persona(challenges=[stat], fears=[goal]), ctx) if f.check == "repeated_claim"]


def test_after_clean_up_no_id_backs_more_than_three_claims(ctx):
    written = [Claim(text=f"Watches {n} videos on YouTube", evidence=[FOLLOW.stat_id]) for n in ("brewing", "gear")]
    channels = Claim(text="Reached through: YouTube (75 % of this segment vs 24 % of all respondents)",
                     evidence=[FOLLOW.stat_id], origin="stats")
    portrait = Claim(text="Stands out for: YouTube (75 % vs 24 % of all respondents)", evidence=[FOLLOW.stat_id],
                     origin="stats")
    drafted = persona(challenges=written)
    drafted.buying_behaviour.channels = [channels]
    drafted.provenance = Provenance(generated_at="now", model="test")
    failing_gist = Finding(check="shop_not_buyer", path="gist", problem="describes the shop")
    cleaned = clean(drafted, [failing_gist], ctx, {"gist": portrait, "narrative": portrait})
    uses = [p for p, c in iter_claims(cleaned) if FOLLOW.stat_id in c.evidence]
    assert len(uses) == 3 and "buying_behaviour.channels[0]" in uses and "gist" in uses  # a written claim gave way
    assert sum("already backs 3" in issue and "(removed: “" in issue for issue in cleaned.provenance.open_issues) == 2


def test_clean_up_removes_what_fails_and_lists_it(ctx):
    failing = persona(challenges=[Claim(text="Buys 5 bags a month", evidence=[ANSWER.evidence_id])],
                      objections=[Objection(objection=Claim(text="Fjordbrew is a cheap shop",
                                                            evidence=[TURN.evidence_id]),
                                            response=Claim(text="Show the shipping price early",
                                                           evidence=[TURN.evidence_id]))])
    fallback = Claim(text="Segment S2 buyer", evidence=[AGE.stat_id], origin="stats")
    from persona_agent.personas.schema import Provenance

    failing.provenance = Provenance(generated_at="now", model="test")
    cleaned = clean(failing, rule_findings(failing, ctx), ctx, fallback)
    assert cleaned.challenges == [] and cleaned.objections == []  # removed, not relabelled as inferences
    assert all(c.support == "cited" for c in [cleaned.gist, cleaned.narrative])
    assert any(issue.startswith("challenges[0]") and issue.endswith("(removed: “Buys 5 bags a month”)")
               for issue in cleaned.provenance.open_issues)
    assert cleaned.provenance.removed_claims == 2


def test_the_chat_card_keeps_the_inference_label():
    labelled = persona(fears=[Claim(text="Fears stock-outs", support="inference",
                                    reason="inferred from survey.csv#R002:q22")])
    card = persona_card(labelled)
    assert "Fears stock-outs (an inference, not in the research" in card


def test_a_claim_copied_in_another_language_must_be_said_in_the_personas_language(ctx):
    ctx.language = "en"
    copied = "Frakten er altfor dyr, nesten åtte euro for én pose, så jeg bestiller sjelden."
    assert "wrong_language" in checks(copied, [TURN.evidence_id], ctx)
    assert "wrong_language" not in checks("Finds shipping too expensive at almost eight euros a bag",
                                          [TURN.evidence_id], ctx)
    half = "Finds shipping too expensive at almost eight euros a bag. Frakten er altfor dyr, så jeg bestiller sjelden."
    assert "wrong_language" in checks(half, [TURN.evidence_id], ctx)  # half copied: one sentence is enough
    # knowledge/ (seed 1234): Norwegian or Danish, the detector is unsure which; not English either way
    assert "wrong_language" in checks("Vanskelig å finne kvitteringen med mva.", [TURN.evidence_id], ctx)
    assert "wrong_language" not in checks("Finds shipping too expensive. Wants Vipps at checkout.", [TURN.evidence_id],
                                          ctx)  # a name or a brand is no language
    ctx.language = "no"
    assert "wrong_language" not in checks(copied, [TURN.evidence_id], ctx)


class WordScorer:
    """A stand-in for the embedder's support score: the share of the claim's words the pieces contain."""

    calibrated = True

    def score(self, claim, pieces):
        words = set(claim.casefold().split())
        found = {w for p in pieces for w in p.text.casefold().replace(".", " ").split()}
        return round(len(words & found) / len(words) - 0.5, 4) if pieces else -1.0

    def ranked(self, claim, pieces):
        return [(p.text, None) for p in sorted(pieces, key=lambda p: -self.score(claim, [p]))]

    def best(self, claim, candidates):
        return None, -1.0


def test_a_true_claim_citing_the_wrong_line_is_recited_not_removed(ctx):
    from persona_agent.personas.recite import recite

    ctx.scorer, ctx.threshold = WordScorer(), 0.0
    written = persona(challenges=[
        Claim(text="the subscription swaps in something else without asking", evidence=[TURN.evidence_id]),
        Claim(text="the subscription swaps in 3 other bags without asking", evidence=[TURN.evidence_id]),
        Claim(text="Happy that the subscription swaps in something else", evidence=[TURN.evidence_id])])
    findings = rule_findings(written, ctx)
    assert {f.path for f in findings if f.check == "weak_support"} >= {"challenges[0]"}
    notes = recite(written, findings, ctx)
    assert written.challenges[0].evidence == [ANSWER.evidence_id] and len(notes) == 1, notes
    assert written.challenges[1].evidence == [TURN.evidence_id]  # "3" is in no line: the text is wrong, not the id
    assert written.challenges[2].evidence == [TURN.evidence_id]  # praise of a complaint: contradicted anywhere
    assert not [f for f in rule_findings(written, ctx) if f.path == "challenges[0]"]


def test_a_claim_of_two_parts_no_one_line_says_is_cited_to_the_line_of_each_part(ctx):
    # knowledge/ (seed 42): "He uses his own card to pay, but he finds it inconvenient because there is no fixed
    # delivery day." cited two themes of what office buyers like; a lost customer's interview turn and the theme
    # of the fixed delivery day say it together, neither alone
    from persona_agent.personas.recite import recite

    ctx.scorer, ctx.threshold = WordScorer(), 0.0
    ship = Evidence(evidence_id="survey.csv#R009:q22", kind="survey", source="survey.csv",
                    text="Shipping costs almost eight euros per bag.", metadata={"respondent_id": "R009"})
    ctx.evidence[ship.evidence_id] = ship
    ctx.shown.add(ship.evidence_id)
    both = "Subscription swaps in something else without asking and shipping costs almost eight euros per bag"
    written = persona(challenges=[Claim(text=both, evidence=[SUMMARY.evidence_id]),
                                  Claim(text=both.replace("shipping costs", "the courier rings twice at"),
                                        evidence=[SUMMARY.evidence_id])])
    for evidence_id in (ANSWER.evidence_id, ship.evidence_id):  # neither line alone says it
        assert "weak_support" in checks(both, [evidence_id], ctx, "challenges[0]")
    findings = rule_findings(written, ctx)
    assert "weak_support" in {f.check for f in findings if f.path == "challenges[0]"}
    notes = recite(written, findings, ctx)
    assert written.challenges[0].evidence == [ANSWER.evidence_id, ship.evidence_id] and notes, notes
    assert written.challenges[1].evidence == [SUMMARY.evidence_id]  # a part no line says: no pair says it either
    assert not [f for f in rule_findings(written, ctx) if f.path == "challenges[0]"]


def test_a_searched_line_must_clear_the_threshold_by_a_margin(ctx):
    # research B: 5 of 9 re-citations were false, all just above the threshold (the best of some twenty lines)
    from persona_agent.personas.recite import RECITE_MARGIN, recite

    ctx.scorer, ctx.threshold = WordScorer(), 0.0
    half = "subscription swaps something else without purple elephants dance quietly tonight"  # 5 of 10 words
    most = "subscription swaps something else without asking purple elephants"  # 6 of 8
    written = persona(challenges=[Claim(text=half, evidence=[SUMMARY.evidence_id]),
                                  Claim(text=most, evidence=[SUMMARY.evidence_id])])
    assert ctx.threshold <= WordScorer().score(half, [p for p in ctx.pieces(ANSWER.evidence_id)]) < RECITE_MARGIN
    recite(written, rule_findings(written, ctx), ctx)
    assert [c.evidence for c in written.challenges] == [[SUMMARY.evidence_id], [ANSWER.evidence_id]]


def test_a_claim_is_re_cited_to_a_stat_only_when_it_names_one_of_its_answers(ctx):
    # research B: "Values the quality of staff" re-cited to the segment's RFM value line, "Is annoyed that
    # Hyggehund does not provide reliable delivery times" to the buying-rhythm stat
    from persona_agent.personas.recite import recite

    ctx.scorer, ctx.threshold = WordScorer(), 0.0
    value = Evidence(evidence_id="segment:S2#value", kind="segment", source="analysis",
                     text="Segment S2 value: they bring 70 % of revenue. Champions value quality of staff.",
                     metadata={"analysis": "segment_value"})
    ctx.evidence[value.evidence_id] = value
    ctx.shown.add(value.evidence_id)
    written = persona(challenges=[
        Claim(text="Values the quality of staff", evidence=[TURN.evidence_id]),
        Claim(text="Where do you follow the shop, all respondents", evidence=[TURN.evidence_id]),
        Claim(text="Where they follow YouTube most", evidence=[TURN.evidence_id])])
    findings = rule_findings(written, ctx)
    assert {f.path for f in findings if f.check == "weak_support"} >= {"challenges[0]", "challenges[1]",
                                                                        "challenges[2]"}
    recite(written, findings, ctx)
    assert [c.evidence for c in written.challenges] == [[TURN.evidence_id], [TURN.evidence_id], [FOLLOW.stat_id]]
    # the shop's name is no answer (research B: "Hyggehund is a great place to buy pet food and supplies." was
    # re-cited to "Where do you follow us…?" for its answer "Hyggehund newsletter")
    news = QuestionStat(stat_id="segment:S2#where-do-you-read", segment_id="S2", question="Where do you read us?",
                        dimension=None, kind="share", answered=63, overall_answered=240, options=[
                            OptionStat(answer="Fjordbrew newsletter", segment_share=0.6, overall_share=0.3, lift=2.0,
                                       margin=0.12)])
    ctx.evidence[news.stat_id], ctx.stats[news.stat_id] = stat_evidence(news), news
    ctx.shown.add(news.stat_id)
    named = persona(challenges=[Claim(text="Where do you read Fjordbrew", evidence=[TURN.evidence_id]),
                                Claim(text="Where do you read the newsletter", evidence=[TURN.evidence_id])])
    recite(named, rule_findings(named, ctx), ctx)
    assert [c.evidence for c in named.challenges] == [[TURN.evidence_id], [news.stat_id]]


def test_a_true_claim_padded_with_a_clause_the_line_does_not_say_is_trimmed_to_the_true_part(ctx):
    from persona_agent.personas.recite import parts, recite

    ctx.scorer, ctx.threshold = WordScorer(), 0.0
    padded = ("The subscription swaps in something else without asking"
              ", indicating strong habits: trusting big brands blindly every single week")
    guess = ("The subscription swaps in something else without asking, which means they value control over orders "
             "and deliveries greatly")
    wrong = "Happy that the subscription swaps in something else, which means they relax about stock"
    written = persona(challenges=[Claim(text=padded, evidence=[ANSWER.evidence_id]),
                                  Claim(text=guess, evidence=[TURN.evidence_id]),
                                  Claim(text=wrong, evidence=[ANSWER.evidence_id])])
    findings = rule_findings(written, ctx)
    assert {"weak_support"} <= {f.check for f in findings if f.path == "challenges[0]"}
    assert "speculation" in {f.check for f in findings if f.path == "challenges[1]"}
    notes = recite(written, findings, ctx)
    assert written.challenges[0].text == "The subscription swaps in something else without asking."
    assert written.challenges[1].text == "The subscription swaps in something else without asking."
    assert written.challenges[1].evidence == [ANSWER.evidence_id]  # the cut part re-cited to the line that says it
    assert written.challenges[2].text == wrong  # praise of a complaint: the kept part would still contradict
    assert len(notes) == 2 and all("trimmed to" in n for n in notes), notes
    assert not [f for f in rule_findings(written, ctx) if f.path in ("challenges[0]", "challenges[1]")
                and f.check != "repeated_claim"]  # the same cut twice: the usual check removes one
    assert parts("Orders every 1-2 months - a common rhythm. Buys food.") == [
        "Orders every 1-2 months - a common rhythm.", "Orders every 1-2 months."]
    cut = "Friendly and plain, as they like. The customer service is responsive and knowledgeab"  # at the length limit
    assert parts(cut) == ["Friendly and plain, as they like."]
    long_cut = "The subscription swaps in something else without asking. " + "And then " * 20 + "the cus"
    assert "cut_off" in checks(long_cut[:240], [ANSWER.evidence_id], ctx)
    assert "cut_off" not in checks(long_cut[:200] + ".", [ANSWER.evidence_id], ctx)


def test_a_half_translated_copy_keeps_its_sentence_in_the_personas_language(ctx):
    # knowledge/ (seed 42): asked to restate a Danish answer in English, the 1.5B translated its first sentence only
    from persona_agent.personas.recite import recite

    ctx.scorer, ctx.threshold, ctx.language = WordScorer(), 0.0, "en"
    half = ("The subscription swaps in something else without asking. "
            "Begrænsede partier er væk, før jeg når at åbne nyhedsbrevet.")
    written = persona(challenges=[Claim(text=half, evidence=[ANSWER.evidence_id])])
    findings = rule_findings(written, ctx)
    assert "wrong_language" in {f.check for f in findings if f.path == "challenges[0]"}
    notes = recite(written, findings, ctx)
    assert written.challenges[0].text == "The subscription swaps in something else without asking." and notes


def test_the_code_states_a_stat_trait_only_beyond_its_margin_of_error():
    from persona_agent.personas.assemble import stat_claims
    from persona_agent.personas.brief import Brief
    from persona_agent.personas.plan import Target

    country = QuestionStat(stat_id="segment:S5#which-country", segment_id="S5", question="Which country?",
                           dimension="location", kind="share", answered=34, overall_answered=300, options=[
                               OptionStat(answer="Germany", segment_share=0.29, overall_share=0.28, lift=1.04,
                                          margin=0.15),
                               OptionStat(answer="Norway", segment_share=0.21, overall_share=0.13, lift=1.6,
                                          margin=0.14)])
    work = QuestionStat(stat_id="segment:S5#occupation", segment_id="S5", question="Your occupation?",
                        dimension="job", kind="share", answered=34, overall_answered=300, options=[
                            OptionStat(answer="Self-employed", segment_share=0.85, overall_share=0.11, lift=7.7,
                                       margin=0.12)])
    brief = Brief(target=Target(key="segment:S5", profile=None), items=[], header="Segment S5", stats=[country, work])
    demographics = stat_claims(brief)["demographics"]
    assert "location" not in demographics  # 21 % ±14 is not clearly above 13 %
    assert demographics["occupation"].text.startswith("Self-employed (85 % of this segment")


def test_the_shops_own_questions_about_the_buyer_and_how_they_get_in_touch_become_traits():
    # research B's senior-pet segment: "What life stage is the pet you mostly buy for?" (very senior 48 % vs 11 %)
    # and "How do you prefer to contact our customer service?" (phone 67 % vs 20 %) had no field, and were left out
    from persona_agent.personas.assemble import stat_claims
    from persona_agent.personas.brief import Brief
    from persona_agent.personas.plan import Target

    def share(slug, question, *options, dimension=None):
        return QuestionStat(stat_id=f"segment:S3#{slug}", segment_id="S3", question=question, dimension=dimension,
                            kind="share", answered=58, overall_answered=300, options=[
                                OptionStat(answer=a, segment_share=s, overall_share=o, lift=s / o, margin=0.13)
                                for a, s, o in options])

    stage = share("life-stage", "What life stage is the pet you mostly buy for?",
                  ("Senior (8–11 years)", 0.43, 0.12), ("Very senior (12 years or older)", 0.48, 0.11))
    contact = share("contact", "How do you prefer to contact our customer service?", ("Phone", 0.67, 0.20))
    animals = share("animals", "Which animals do you buy for?", ("One dog", 0.59, 0.53))  # within its margin
    brief = Brief(target=Target(key="segment:S3", profile=None), items=[], header="Segment S3",
                  stats=[stage, contact, animals])
    found = stat_claims(brief)
    assert [c.text for c in found["situation"]] == [
        "Answers “What life stage is the pet you mostly buy for?”: Very senior (12 years or older) (48 % of this "
        "segment vs 11 % of all respondents)"]
    assert [c.text for c in found["channels"]] == ["Gets in touch by: Phone (67 % of this segment vs 20 % of all "
                                                   "respondents)"]
    assert found["situation"][0].evidence == ["segment:S3#life-stage"] and found["situation"][0].origin == "stats"


def test_the_segments_own_words_become_claims_only_where_it_says_them_more_than_everyone():
    from persona_agent.analysis.models import Theme
    from persona_agent.personas.assemble import theme_claims
    from persona_agent.personas.brief import Brief, BriefItem
    from persona_agent.personas.plan import Target

    def theme(number: int, share: float, overall: float, label: str) -> Theme:
        return Theme(theme_id=f"theme:S5.{number}", segment_id="S5", cluster=number, label=label, respondents=10,
                     customers=0, share=share, overall_share=overall, lift=share / overall, margin=0.15,
                     languages={"sv": 10}, source_kinds=["survey"], quotes=[], member_ids=[])

    invoices = theme(1, 0.29, 0.04, "Till kenneln behöver vi betala mot faktura med 30 dagars betalningsvillkor")
    slow = theme(2, 0.29, 0.20, "Leveranserna är långsamma")  # 29 % ±15 is not clearly above 20 %
    items = [BriefItem(f"E{n}", t.theme_id, "theme", "", "", 10, ("survey",), "sv", "complaint")
             for n, t in enumerate((invoices, slow), 1)]
    brief = Brief(target=Target(key="segment:S5", profile=None), items=items, header="Segment S5",
                  themes=[invoices, slow], segment_size=34)
    claims = theme_claims(brief)
    assert [c.evidence for c in claims["challenges"]] == [["theme:S5.1"]] and not claims["goals"]
    assert claims["challenges"][0].text == (
        "10 of 34 respondents (29 % vs 4 % of all respondents) say: "
        "“Till kenneln behöver vi betala mot faktura med 30 dagars betalningsvillkor”")


def test_an_objection_response_is_what_the_shop_can_do_not_a_claim_that_it_already_does():
    from persona_agent.personas.assemble import as_action

    assert as_action("We offer a business account where we can pay by invoice.") == \
        "Offer a business account where we can pay by invoice."
    assert as_action("We can send a restock alert before the vet diet runs out") == \
        "Send a restock alert before the vet diet runs out"
    assert as_action("The shop already provides fixed delivery days") == "Provide fixed delivery days"
    assert as_action("Show the shipping price before checkout") == "Show the shipping price before checkout"
    assert as_action("Weekly deals on large bags") == "Weekly deals on large bags"


def test_a_response_that_answers_its_objection_is_judged_by_the_objection(ctx):
    # knowledge/: "Offer a fixed delivery day" scored -0.04 against the complaint "There is no way to set a
    # fixed delivery day" (threshold -0.03), so every objection of the office persona went with its response
    ctx.scorer, ctx.threshold = WordScorer(), 0.0
    objection = Claim(text="The subscription swaps in something else without asking",
                      evidence=[ANSWER.evidence_id])

    def weak(response: str) -> bool:
        written = persona(objections=[Objection(objection=objection,
                                                response=Claim(text=response, evidence=[ANSWER.evidence_id]))])
        return "weak_support" in {f.check for f in rule_findings(written, ctx) if f.path == "objections[0].response"}

    assert not weak("Ask before swapping in another coffee on the subscription")  # names what it answers
    assert weak("Offer free shipping on every order")  # answers something else: its evidence decides
    assert weak("Send us a note on your subscription")  # one of its three words ("subscription") is not enough
    assert weak("Explain that the subscription swap went wrong")  # restates the complaint: answers nothing
    assert "weak_support" in checks("Ask before swapping in another coffee", [ANSWER.evidence_id], ctx,
                                    path="selling_points[0]")  # only a response is judged by its objection


def test_a_written_claim_states_a_stat_answer_only_beyond_its_margin_of_error():
    from persona_agent.personas.contradiction import stat_direction

    follow = QuestionStat(stat_id="segment:S5#follow", segment_id="S5", question="Where do you follow us?",
                          dimension=None, kind="share", answered=34, overall_answered=280, options=[
                              OptionStat(answer="Instagram", segment_share=0.65, overall_share=0.48, lift=1.35,
                                         margin=0.17),
                              OptionStat(answer="LinkedIn", segment_share=0.38, overall_share=0.08, lift=4.75,
                                         margin=0.16)])
    inside = stat_direction("They follow the shop on Instagram", follow)
    assert inside is not None and inside.check == "inside_margin" and "±17" in inside.problem
    assert stat_direction("They follow the shop on LinkedIn", follow) is None
    income = QuestionStat(stat_id="segment:S5#income", segment_id="S5", question="Household income (SEK)?",
                          dimension=None, kind="share", answered=34, overall_answered=280, options=[
                              OptionStat(answer="SEK 500,000–799,999", segment_share=0.41, overall_share=0.30,
                                         lift=1.37, margin=0.17),
                              OptionStat(answer="SEK 800,000–1,199,999", segment_share=0.21, overall_share=0.14,
                                         lift=1.5, margin=0.14)])
    claim = "The household's approximate annual income before tax is SEK 500,000–799,999."
    assert getattr(stat_direction(claim, income), "check", None) == "inside_margin"  # the answer its figures name


def test_a_rating_backs_only_a_claim_about_satisfaction_and_only_where_it_sets_the_segment_apart(ctx):
    recommend = QuestionStat(stat_id="segment:S2#recommend", segment_id="S2", question="How likely are you to "
                             "recommend Fjordbrew to a friend?", dimension=None, kind="mean", answered=63,
                             overall_answered=240, options=[], segment_mean=7.9, overall_mean=7.3, mean_margin=0.4)
    same = recommend.model_copy(update={"stat_id": "segment:S2#satisfied", "segment_mean": 7.2, "mean_margin": 0.5})
    for stat in (recommend, same):
        ctx.stats[stat.stat_id] = stat
        ctx.evidence[stat.stat_id] = stat_evidence(stat)
        ctx.shown.add(stat.stat_id)
    assert "not_about_rating" in checks("Is considering whether to buy Fjordbrew's coffee", [recommend.stat_id], ctx)
    assert "not_about_rating" in checks("Is annoyed that Fjordbrew is unreliable", [same.stat_id], ctx)
    assert "not_about_rating" not in checks("Is happy with Fjordbrew and satisfied overall", [recommend.stat_id], ctx)


def test_a_wish_is_no_selling_point(ctx):
    # research B: "The company's business account allows customers to pay by invoice" cited to customers asking
    # for one ("If you could change one thing…"): a wish stated as the shop's offer
    wish = Evidence(evidence_id="survey.csv#R009:q23", kind="survey", source="survey.csv",
                    text="A business account with invoice payment instead of card.",
                    metadata={"question": "If you could change one thing about Fjordbrew, what would it be?"})
    praise = Evidence(evidence_id="survey.csv#R010:q21", kind="survey", source="survey.csv",
                      text="Paying by invoice through the business account is so easy.",
                      metadata={"question": "What do you like most about Fjordbrew?"})
    for evidence in (wish, praise):
        ctx.evidence[evidence.evidence_id] = evidence
        ctx.shown.add(evidence.evidence_id)
    offer = "The company's business account allows customers to pay by invoice"
    assert "offer_from_wish" in checks(offer, [wish.evidence_id], ctx, "selling_points[0]")
    assert "offer_from_wish" in checks("Fjordbrew offers invoice payment", [wish.evidence_id], ctx, "marketing_message")
    assert "offer_from_wish" not in checks(offer, [praise.evidence_id], ctx, "selling_points[0]")  # praised: true
    assert "offer_from_wish" not in checks(offer, [wish.evidence_id, praise.evidence_id], ctx, "selling_points[0]")
    # a recommendation ("Offer …") or the buyer's own wish elsewhere stays
    assert "offer_from_wish" not in checks("Offer invoice payment through a business account", [wish.evidence_id],
                                           ctx, "selling_points[0]")
    assert "offer_from_wish" not in checks("Wants to pay by invoice through a business account", [wish.evidence_id],
                                           ctx)


def test_a_wish_stated_as_what_they_offer_and_a_preference_stat_are_no_selling_point(ctx):
    # research B: "They offer a fixed delivery schedule." from "En fast leveringsdag annenhver uke." (what would you
    # change), and "Hyggehund has a personal account manager…" from the contact-preference stat alone
    wish = Evidence(evidence_id="survey.csv#R215:q23", kind="survey", source="survey.csv",
                    text="En fast leveringsdag annenhver uke. Det var det.",
                    metadata={"question": "If you could change or add one thing at Fjordbrew, what would it be?"})
    ctx.evidence[wish.evidence_id] = wish
    ctx.shown.add(wish.evidence_id)
    for path in ("marketing_message", "tone"):  # the 1.5B wrote it as research B's tone too
        assert "offer_from_wish" in checks("They offer a fixed delivery schedule.", [wish.evidence_id], ctx, path)
    # the selling points' lead (`sections.FIELD_LEADS`): what they choose the shop for, it has
    assert "offer_from_wish" in checks("Chooses the shop for a fixed delivery day every other week",
                                       [wish.evidence_id], ctx, "selling_points[0]")
    # nor what they complain about (research B, seed 7)
    gripe = wish.model_copy(update={"evidence_id": "survey.csv#R201:q20", "text": "Deliveries come on random days, "
                                    "often when we're fully booked and can't take a pallet.", "metadata": {
                                        "question": "Is there anything that annoys you about Hyggehund?"}})
    ctx.evidence[gripe.evidence_id] = gripe
    ctx.shown.add(gripe.evidence_id)
    assert "offer_from_wish" in checks("Chooses the shop for deliveries come on random days, often when we're fully "
                                       "booked", [gripe.evidence_id], ctx, "selling_points[0]")
    assert "offer_from_wish" in checks("Fjordbrew has a YouTube channel that shows every roast", [FOLLOW.stat_id],
                                       ctx, "selling_points[0]")
    liked = FOLLOW.model_copy(update={"stat_id": "segment:S2#like-most", "question": "What do you like most about us?"})
    ctx.stats[liked.stat_id], ctx.evidence[liked.stat_id] = liked, stat_evidence(liked)
    ctx.shown.add(liked.stat_id)
    assert "offer_from_wish" not in checks("Fjordbrew has a YouTube channel that shows every roast", [liked.stat_id],
                                           ctx, "selling_points[0]")  # what they like most: the shop has it


def answered(ctx: GroundingContext, text: str, language: str, *asked: tuple[str, str]) -> list[Evidence]:
    """The same survey answer ``text`` to each (evidence id, question) of ``asked``, shown in the brief."""
    found = [Evidence(evidence_id=evidence_id, kind="survey", source="survey.csv", text=text,
                      metadata={"question": question, "language": language}) for evidence_id, question in asked]
    for evidence in found:
        ctx.evidence[evidence.evidence_id] = evidence
        ctx.shown.add(evidence.evidence_id)
    return found


def test_a_want_that_copies_a_complaint_is_contradicted(ctx):
    # research B: "Wants deliveries to come on random days, often when we're fully booked and can't take a pallet."
    complaint, wish = answered(
        ctx, "Deliveries come on random days, often when we're fully booked and can't take a pallet. That's my main "
             "gripe.", "en",
        ("survey.csv#R201:q20", "Has anything gone wrong with an order, or is there anything that annoys you about "
                                "Fjordbrew?"),
        ("survey.csv#R202:q23", "If you could change or add one thing, what would it be?"))
    copied = "Wants deliveries to come on random days, often when we're fully booked and can't take a pallet."
    assert "contradicted" in checks(copied, [complaint.evidence_id], ctx)
    assert "contradicted" in checks("Likes that deliveries come on random days, often when we're fully booked",
                                    [complaint.evidence_id], ctx, "psychographics.values[0]")
    assert "contradicted" in checks("Chooses the shop for deliveries coming on random days, often when we're fully "
                                    "booked and can't take a pallet.", [complaint.evidence_id], ctx,
                                    "selling_points[1]")  # research B, seed 42 (a praise theme's quote)
    # the complaint as a complaint, a want in its own words, or the same words answering what they would change
    assert "contradicted" not in checks("Is annoyed that deliveries come on random days, often when we're fully "
                                        "booked", [complaint.evidence_id], ctx, "challenges[0]")
    assert "contradicted" not in checks("Wants deliveries on a fixed day, not when the kennel is fully booked",
                                        [complaint.evidence_id], ctx)
    assert "contradicted" not in checks(copied, [wish.evidence_id], ctx)
    # a complaint that says what they need: wanting it is the need (knowledge/'s office persona, labelled true)
    need = complaint.model_copy(update={"evidence_id": "survey.csv#R203:q20", "text": "No invoice payment. As an "
                                        "office we need to pay by invoice with 30-day terms, but you only take cards."})
    ctx.evidence[need.evidence_id] = need
    ctx.shown.add(need.evidence_id)
    assert "contradicted" not in checks("Wants to pay by invoice with 30-day terms.", [need.evidence_id], ctx)


def test_an_objections_response_says_what_the_shop_can_do(ctx):
    # research B (seed 42): "The delivery times are too long." answered with a buyer's trait
    path = "objections[1].response"
    assert "not_a_response" in checks("Needs deliveries directly to kennels, cages and everything.",
                                      [FOLLOW.stat_id], ctx, path)
    assert "not_a_response" not in checks("Offer delivery straight to the kennel, on a pallet", [FOLLOW.stat_id],
                                          ctx, path)


def test_a_worry_or_problem_from_praise_alone_goes(ctx):
    # knowledge/'s enthusiast (seed 42): "Worries that the branddatum on every bag is always vers." from a praise
    praise, complaint = answered(
        ctx, "Branddatum op elke zak en de koffie is altijd vers.", "nl",
        ("survey.csv#R149:q21", "What do you like most about Fjordbrew?"),
        ("survey.csv#R150:q22", "Has anything gone wrong with an order, or is there anything that annoys you?"))
    worry = "Worries that the branddatum on every bag is always vers."
    assert "worry_from_praise" in checks(worry, [praise.evidence_id], ctx, "fears[0]")
    assert "worry_from_praise" in checks("Struggles with the roast date on the bag", [praise.evidence_id], ctx,
                                         "challenges[0]")
    assert "worry_from_praise" in checks("I wish for branddatum on elke zak and the koffie is always vers.",
                                         [praise.evidence_id], ctx, "objections[1].objection")  # seed 1234
    assert "worry_from_praise" not in checks(worry, [complaint.evidence_id], ctx, "fears[0]")
    assert "worry_from_praise" not in checks(worry, [praise.evidence_id, complaint.evidence_id], ctx, "fears[0]")
    assert "worry_from_praise" not in checks("Likes the roast date on every bag", [praise.evidence_id], ctx,
                                             "psychographics.values[0]")
    assert "worry_from_praise" not in checks("Struggles with products out of stock", [FOLLOW.stat_id], ctx,
                                             "challenges[0]")  # a stat is no praise


def test_a_theme_sentence_written_under_the_wrong_alias_is_cited_to_the_theme_of_its_role_that_says_it(ctx):
    # knowledge/'s office persona: "Likes deliveries arriving when promised" under the theme of the office
    # pack's consistent quality, and that theme's point under the theme of punctual deliveries
    from types import SimpleNamespace

    from persona_agent.personas.recite import rematch_themes
    from persona_agent.personas.sections import ThemeSummary

    ctx.scorer, ctx.threshold = WordScorer(), 0.0
    asked = [("E1", SimpleNamespace(theme_id=ANSWER.evidence_id), "complaint"),
             ("E2", SimpleNamespace(theme_id=SUMMARY.evidence_id), "complaint"),
             ("E3", SimpleNamespace(theme_id=PROFILE.evidence_id), "praise")]
    brief = SimpleNamespace(asked_themes=lambda: asked)
    swapped = ThemeSummary.model_construct(evidence=["E2"], text="subscription swaps in something else without asking")
    other_role = ThemeSummary.model_construct(evidence=["E3"], text="late delivery and shipping cost")
    stays = ThemeSummary.model_construct(evidence=["E1"], text="when a lot is out of stock")
    notes = rematch_themes(SimpleNamespace(summaries=[swapped, other_role, stays]), brief, ctx)
    assert swapped.evidence == ["E2"] and len(notes) == 0  # E1 has a sentence its theme says: not taken from it
    stays.text = "something unrelated entirely"
    notes = rematch_themes(SimpleNamespace(summaries=[swapped, other_role, stays]), brief, ctx)
    assert swapped.evidence == ["E1"] and len(notes) == 1 and ANSWER.evidence_id in notes[0]
    assert other_role.evidence == ["E3"]  # SUMMARY says it, but a praise sentence is not a complaint's


@pytest.mark.parametrize("tone, generic", [
    ("The tone is informative and helpful.", True), ("The tone of the message is informative and friendly.", True),
    ("Warm, personal and reassuring", True),
    ("Speak like a fellow coffee nerd: origin, altitude and process first", False),
    ("Calm and practical, about invoices and fixed delivery days", False),
    ("Speak to them in a friendly and informative way.", True),  # the tone's lead adds nothing of this buyer
    ("Talk in a warm, personal voice", True),
])
def test_a_tone_any_buyer_would_get_is_generic(ctx, tone, generic):
    # research B: all four tones the 1.5B wrote were a register that fits anyone, or an offer
    assert ("generic_tone" in checks(tone, [ANSWER.evidence_id], ctx, "tone")) is generic


def test_a_customers_sentence_is_no_tone(ctx):
    # knowledge/: "The Rwanda Nyamasheke was the best filter coffee I've had this year. Quality of the light roasts."
    copied = "The Rwanda Nyamasheke was the best filter coffee I've had this year. Quality of the light roasts."
    assert "not_a_tone" in checks(copied, [ANSWER.evidence_id], ctx, "tone")
    for tone in ("Calm and practical, about invoices and fixed delivery days",
                 "Plain and direct, in their own words: “I just need it on time”"):  # quoting them is a register
        assert "not_a_tone" not in checks(tone, [ANSWER.evidence_id], ctx, "tone")
