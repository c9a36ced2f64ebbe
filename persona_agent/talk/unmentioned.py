"""Words of a question that the research never uses: what a persona cannot know about.

Asked "Vad tycker ni om att vi börjar sälja hästfoder?" (horse feed, which research B never mentions), the
1.5B's personas approved of the plan and went on about deliveries, pasting customers' delivery complaints: 4 of
5 answers were credited to the lines they pasted, as if the research had spoken. Whether the research covers a
question is otherwise a similarity (`evidence.covered`), and a question about a new product sits close to the
lines about the old ones. A word the question turns on that appears nowhere in the research says it plainly:
a rare word (not a common word of any of the research's languages, by `wordfreq`'s frequencies: "touch",
"switch", "erfahren" are common and often worded otherwise in the research), found in no evidence, not a near
spelling of a word it has (a typo), and not two of its words run together (Norwegian "kaffeleverandør" is
"kaffe" + "leverandør", both in knowledge/). What the question calls new ("Wat vind je van onze nieuwe app?") is
checked whatever its length or frequency: research B never names an app, and the 1.5B reviewed one ("Ik vind de app
goed. Ze biedt een intuitieve interface…"), credited to a customer's praise of the shop's chat. The answer to such
a question stays extrapolated, and says why.

The same rare words anchor a question the similarity misses: "Vad skulle du vilja ändra i prenumerationen?" scored
-0.083 against research B's natural-food segment (the gate is -0.05), and "Jag vill kunna pausa prenumerationen
eller hoppa över en månad i stället för att säga upp den." was not credited to the customers' line it restates. An
answer whose supporting line uses the question's rare word ("prenumerationen") is about what was asked (`anchors`).

And they say whether an answer answers what was asked at all (`on_topic`). Asked "Would your team like us to run a
barista course at your office?", the 1.5B's office persona recited its card ("I value reliable delivery and
invoicing. The 6 kg office pack lasts our team of 30 about a month…"); asked "What do you think of our plan to sell
coffee capsules?", the enthusiast read out its stats: both were credited to the lines they recite, because the
research is close to the question ("capsules" appears in it) and the lines support the sentences. An answer to a
question with a topic word is grounded only if it names it (the word, an inflection of it, or the last part of a
compound: "leverandør" for "kaffeleverandør"); the shop's own name ("How did you first find Fjordbrew?") is no
topic, a customer says "you".
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable

_WORDS = re.compile(r"[^\W\d_]+")
# "new" before what it qualifies, in the languages of the research we measured (en, nl, de, no/da/sv, ru)
_NEW = re.compile(r"\b(?:new|nieuwe?|neue[nrsm]?|neu|nye?|nytt|nya|нов(?:ый|ое|ая|ые|ого|ую|ой|ых|ом|ому|ыми?))"
                  r"\s+([^\W\d_]{3,})", re.IGNORECASE)
# the endings of a word's plural and definite forms: "app" is in no word of research B, though "apply" starts with it
_ENDINGS = ("", "s", "e", "n", "en", "er", "et", "ar", "es", "ne", "na", "ns", "ene", "ens", "ers", "erna",
            "а", "ы", "и", "е")
_NOT_THINGS = frozenset("and for the til och und een het den det der die das".split())
_IDEOGRAPHS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # no spaces between words: not checked
MIN_LETTERS = 5
RARE_ZIPF = 3.5  # below this a word is rare in every language checked (~3 per million words)
NEAR_SPELLING = 0.85  # difflib ratio of a typo to the research's word ("shiping" → "shipping": 0.93)
MIN_PART = 4  # each half of a compound
# wordfreq's codes for our language codes (Norwegian is bokmål); English always, for loanwords
_WORDFREQ = {"no": "nb"}


def _prefix(word: str) -> str:
    """The part of a word its inflections share ("leveranser" → "leveran")."""
    return word[:max(MIN_PART, len(word) - 3)]


class Vocabulary:
    """Every word of the research, for prefix lookups."""

    def __init__(self, texts: Iterable[str], languages: Iterable[str] = ()) -> None:
        self.words = sorted({w for text in texts for w in _WORDS.findall(text.casefold())})
        self.languages = sorted({_WORDFREQ.get(code, code) for code in (*languages, "en")
                                 if re.fullmatch("[a-z]{2}", code)})  # not "unknown"
        self._rarity: dict[str, bool] = {}  # a chat grounds one question up to three times (first try, restated, again)
        self._unmentioned: dict[str, list[str]] = {}

    def has(self, word: str) -> bool:
        """Whether the research has ``word`` or a word of the same stem."""
        stem = _prefix(word)
        at = bisect.bisect_left(self.words, stem)
        return at < len(self.words) and self.words[at].startswith(stem)

    def _near(self, word: str) -> bool:
        at = bisect.bisect_left(self.words, word[:2])
        same_start = [w for w in self.words[at:at + 5000] if w.startswith(word[:2])]
        return bool(difflib.get_close_matches(word, same_start, n=1, cutoff=NEAR_SPELLING))

    def _compound(self, word: str) -> bool:
        return any(self.has(word[:i]) and self.has(word[i:]) for i in range(MIN_PART, len(word) - MIN_PART + 1))

    def _rare(self, word: str) -> bool:
        if word not in self._rarity:
            self._rarity[word] = self._zipf(word) < RARE_ZIPF
        return self._rarity[word]

    def _zipf(self, word: str) -> float:
        from wordfreq import zipf_frequency

        def zipf(language: str) -> float:
            try:
                return zipf_frequency(word, language)
            except (LookupError, ValueError):  # a language wordfreq has no list for
                return 0.0

        return max(zipf(language) for language in self.languages)

    def topic_words(self, text: str) -> list[str]:
        """The rare words of ``text`` (what it is about, not how it asks), in order."""
        words = dict.fromkeys(_WORDS.findall(text.casefold()))
        return [w for w in words if len(w) >= MIN_LETTERS and not _IDEOGRAPHS.search(w) and self._rare(w)]

    def anchors(self, question: str, answer: str, lines: Iterable[str]) -> list[str]:
        """The question's topic words that the answer and one of ``lines`` (those it rests on) both use."""
        said = answer.casefold()
        texts = [line.casefold() for line in lines]
        return [w for w in self.topic_words(question)
                if _prefix(w) in said and any(_prefix(w) in text for text in texts)]

    def names(self, word: str, text: str) -> bool:
        """Whether ``text`` names ``word``: an inflection of it, or of the last part of a compound it is."""
        said = text.casefold()
        heads = [word[i:] for i in range(MIN_PART, len(word) - MIN_LETTERS + 1)
                 if self.has(word[:i]) and self.has(word[i:])]
        return any(_prefix(part) in said for part in (word, *heads))

    def on_topic(self, question: str, answer: str, background: Iterable[str] = ()) -> tuple[list[str], bool]:
        """The question's topic words (its rare words but the ``background`` ones, such as the shop's name), and
        whether the answer names one of them (always, when the question has none). The answer as a whole: a sentence
        after the one that names it often speaks of it as "they" ("Jag tycker att våra leveranser är bra. De är
        packade och burkarna är aldrig bucklade.")."""
        skip = {word.casefold() for word in background}
        topics = [word for word in self.topic_words(question) if word not in skip]
        return topics, not topics or any(self.names(word, answer) for word in topics)

    def new_things(self, question: str) -> list[str]:
        """What the question calls new ("onze nieuwe app") and the research never names, however common the word:
        research gathered before it cannot speak of it."""
        known = set(self.words)
        return [word for word in (m.group(1).casefold() for m in _NEW.finditer(question))
                if word not in _NOT_THINGS and not any(word + ending in known for ending in _ENDINGS)]

    def unmentioned(self, question: str) -> list[str]:
        """The question's rare words the research never uses, and what it calls new that the research never
        names, in order."""
        if question in self._unmentioned:
            return list(self._unmentioned[question])
        found: list[str] = []
        for word in dict.fromkeys(_WORDS.findall(question.casefold())):
            if len(word) < MIN_LETTERS or _IDEOGRAPHS.search(word) or self.has(word):
                continue
            if not self._compound(word) and not self._near(word) and self._rare(word):
                found.append(word)
        found += [word for word in self.new_things(question) if word not in found]
        self._unmentioned[question] = found
        return list(found)
