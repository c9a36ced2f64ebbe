"""The buyer type from the segment's clear answers (`personas.buyer_type`)."""

from __future__ import annotations

from persona_agent.analysis.models import OptionStat, QuestionStat
from persona_agent.personas.buyer_type import choose_type, clear_type, type_scores


def stat(question: str, *answers: tuple[str, float, float], answered: int = 60) -> QuestionStat:
    options = [OptionStat(answer=a, segment_share=s, overall_share=o, lift=s / o, margin=1.96 * (s * (1 - s) / answered)
                          ** 0.5) for a, s, o in answers]
    return QuestionStat(stat_id=f"segment:S1#{question.split()[0].lower()}", segment_id="S1", question=question,
                        dimension=None, kind="share", answered=answered, overall_answered=240, options=options)


def test_the_type_the_answers_show_beyond_doubt():
    office = [stat("Who do you buy for?", ("My workplace or business", 0.77, 0.16)),
              stat("What matters most?", ("Reliable delivery and invoicing", 0.75, 0.17)),
              stat("Occupation?", ("Employee (office or service)", 0.60, 0.26))]
    assert clear_type(office) == "B2B buyer"
    scores = type_scores(office)
    # the employee's office is no business purchase; reliability is a brand enthusiast's sign too, and one question
    # counts once per type
    assert round(scores["B2B buyer"][0], 2) == 1.52 and round(scores["brand enthusiast"][0], 2) == 0.75
    # in the survey's own language
    kuppjeger = [stat("Hva er viktigst?", ("Lave priser og tilbud", 0.7, 0.2)),
                 stat("Hvor ofte?", ("Mest når det er rabatt", 0.6, 0.2))]
    assert clear_type(kuppjeger) == "bargain hunter"


def test_no_type_without_a_clear_lead_and_no_sign_from_an_answer_within_its_margin():
    close = [stat("What matters most?", ("Bean quality, origin and freshness", 0.81, 0.26)),
             stat("Where do you follow us?", ("Coffee forums / Reddit", 0.57, 0.17)),
             stat("How often?", ("Every month (subscription)", 0.71, 0.25))]
    assert clear_type(close) is None  # researcher 1.38 against enthusiast 1.52: neither leads by half again
    assert choose_type(close, "thoughtful researcher").buyer_type == "thoughtful researcher"  # the model's, with signs
    assert choose_type(close, "window shopper").buyer_type == "brand enthusiast"  # no sign of the model's: the most
    within_margin = [stat("Who do you buy for?", ("My workplace or business", 0.25, 0.16), answered=30)]
    assert type_scores(within_margin) == {} and clear_type(within_margin) is None
    nothing = choose_type(within_margin, "spontaneous")
    assert nothing.buyer_type == "spontaneous" and not nothing.signs and not nothing.clear


def test_a_clear_type_is_told_to_the_model_and_held_in_its_reply():
    # told "B2B buyer" in the prompt, the 1.5B still wrote the list's first type: the reply's schema allows only it
    from persona_agent.personas.brief import Brief
    from persona_agent.personas.plan import Target
    from persona_agent.personas.sections import BY_NAME
    from persona_agent.personas.writer import SectionWriter

    office = [stat("Who do you buy for?", ("My workplace or business", 0.77, 0.16))]
    writer = SectionWriter(llm=None, brief=Brief(target=Target(key="segment:S1", profile=None), items=[], header="",
                                                 stats=office))
    identity = BY_NAME["identity"]
    assert writer._decode_schema(identity)["properties"]["buyer_type"]["enum"] == ["B2B buyer"]
    assert '- buyer_type: "B2B buyer"' in writer.task(identity)
    unclear = SectionWriter(llm=None, brief=Brief(target=Target(key="segment:S1", profile=None), items=[], header=""))
    assert len(unclear._decode_schema(identity)["properties"]["buyer_type"]["enum"]) == 6
    assert "buyer_type" not in writer._decode_schema(BY_NAME["goals"])["properties"]  # only the identity has one


def test_a_word_inside_another_is_no_sign():
    # "Marketing manager" names no brand, "Reactie" no offer ("actie"), "Original packaging" no origin
    words = [stat("Occupation?", ("Marketing manager", 0.7, 0.1)),
             stat("What do you like?", ("Reactie van de klantenservice", 0.6, 0.1)),
             stat("What matters?", ("Original packaging", 0.6, 0.1))]
    assert type_scores(words) == {}
