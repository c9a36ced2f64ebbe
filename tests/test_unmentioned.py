"""A question's rare words the research never uses (`talk.unmentioned`)."""

from __future__ import annotations

import pytest

from persona_agent.talk.unmentioned import Vocabulary

RESEARCH = ["Leveransen tog 8 dagar, och då var fodret nästan slut.",
            "Kontorpakken holder teamet vårt i en måned; vi trenger en kaffe-leverandør med faktura.",
            "Shipping is too expensive for small orders; I wait for the sale.",
            "Ich habe über meinen Tierarzt von euch gehört."]


@pytest.mark.parametrize("question, words", [
    ("Vad tycker ni om att vi börjar sälja hästfoder?", ["hästfoder"]),  # horse feed: research B never names it
    ("Würden Sie bei uns auch eine Tierversicherung abschließen?", ["tierversicherung"]),
    ("Hva er viktigst når dere velger kaffeleverandør til kontoret?", []),  # "kaffe" + "leverandør", both there
    ("How do you feel about our shiping costs?", []),  # a typo of a word the research has
    ("How do you prefer to get in touch with us?", []),  # "touch": not in the research, but common in English
    ("Wie haben Sie von uns erfahren?", []),  # common in German, though the research says "gehört"
    ("What do you think about our shipping?", []),
    ("你们觉得马饲料怎么样？", []),  # no spaces between words: not checked
])
def test_the_questions_rare_words_the_research_never_uses(question, words):
    assert Vocabulary(RESEARCH, ["sv", "no", "en", "de", "unknown"]).unmentioned(question) == words


def test_norwegian_is_looked_up_as_bokmal_and_an_unknown_language_is_skipped():
    vocabulary = Vocabulary(RESEARCH, ["no", "xx", "unknown"])
    assert vocabulary.languages == ["en", "nb", "xx"]
    assert vocabulary.unmentioned("Hvorfor sluttet dere å bestille hundesenger?") == ["hundesenger"]


def test_the_questions_topic_words_that_the_answer_and_a_line_it_rests_on_both_use():
    vocabulary = Vocabulary(RESEARCH, ["sv", "en"])
    question = "Vad skulle du vilja ändra i prenumerationen?"
    assert vocabulary.topic_words(question) == ["prenumerationen"]  # "skulle", "vilja", "ändra": common Swedish
    line = "Jag vill kunna pausa prenumerationen när vi reser."
    assert vocabulary.anchors(question, "Jag vill pausa prenumerationen i stället för att säga upp den.", [line]) \
        == ["prenumerationen"]
    assert vocabulary.anchors(question, "Leveransen tar för lång tid.", [line]) == []  # the answer does not name it
    assert vocabulary.anchors(question, "Jag vill pausa prenumerationen.", ["Leveransen tog 8 dagar."]) == []


def test_whether_an_answer_names_the_questions_topic():
    vocabulary = Vocabulary(RESEARCH, ["no", "sv", "en"])
    # knowledge/'s office persona, asked about a barista course, recited its card: it names none of the topic
    question = "Would your team like us to run a barista course at your Kontorpakken office?"
    recital = "I value reliable delivery and invoicing. The 6 kg office pack lasts our team of 30 about a month."
    assert vocabulary.on_topic(question, recital, background=["Kontorpakken"]) == (["barista"], False)
    assert vocabulary.on_topic(question, recital) == (["barista", "kontorpakken"], False)
    assert vocabulary.on_topic(question, "A barista course sounds fun. But I value reliable delivery.") == (
        ["barista", "kontorpakken"], True)
    # an inflection, or the last part of a compound the research has both parts of
    assert vocabulary.on_topic("Vad skulle du vilja ändra i prenumerationen?", "Jag vill pausa prenumerationer.")[1]
    assert vocabulary.on_topic("Hva er viktigst når dere velger kaffeleverandør?", "En leverandør med faktura.")[1]
    assert not vocabulary.on_topic("Hva er viktigst når dere velger kaffeleverandør?", "Teamet drikker mye.")[1]
    # a question with no topic word: any answer may answer it
    assert vocabulary.on_topic("What do you think about our shipping?", "Too dear. I wait.") == ([], True)


@pytest.mark.parametrize("question, words", [
    # research B never names an app; asked about "onze nieuwe app", the 1.5B reviewed one
    ("Wat vind je van onze nieuwe app?", ["app"]), ("Wie finden Sie unsere neue Webseite?", ["webseite"]),
    ("Что вы думаете о нашем новом сайте?", ["сайте"]),
    ("What do you think of our new shipping?", []), ("Hva synes du om det nye teamet?", []),  # the research has them
    ("Wat vind je van onze nieuwe apps?", ["apps"]), ("Is there anything new for the office?", []),
])
def test_what_a_question_calls_new_is_unmentioned_unless_the_research_names_it_however_common_the_word(question,
                                                                                                      words):
    assert Vocabulary(RESEARCH, ["nl", "de", "ru", "no", "en"]).unmentioned(question) == words
