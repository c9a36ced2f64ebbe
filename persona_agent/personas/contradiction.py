"""Contradictions, which similarity cannot see: a claim that says the opposite of its evidence.

Deterministic checks (measured on the labelled claim set, `benchmarks/grounding.py`):
- **stat direction** (`stat_direction`): the claim is cut into clauses ("X rather than Y", "A; B", "A, not B"), each
  matched to one answer of the cited stat — by its words, or by the embedder when no answer's words are there
  (cross-language: "Google-søk" → "Google search") — among the stat's answers and those only other segments give. A
  negated clause ("rarely", "sjelden", "cares little about", "is not a problem") about an answer this segment gives more
  than everyone (lift ≥ 1.2) contradicts the stat; a plain clause about an answer it gives less than everyone (lift < 1,
  or too rarely to be listed) is not its trait (`not_distinctive`). A negation that belongs to a negatively worded
  question ("what stops you from buying more?" → "they don't buy more") is no negation. Mean stats (satisfaction,
  likelihood to recommend): a satisfied claim where the segment's mean is below everyone's by more than its margin, or
  the reverse, is contradicted (`mean_direction`).
- **polarity** (`polarity_clash`): the claim praises what its evidence complains about, or the reverse. The claim's side
  comes from a multilingual lexicon with clause-scoped negation ("has never received a damaged product" is praise),
  wishes ("wants a cheaper option" is a complaint) and "too" + adjective; a claim that states a wish is not judged. The
  evidence's side comes from the cited piece closest to the claim, read by `PolarityModel` — praise vs complaint learnt
  from the research itself, with the answers to "what do you like most?" and "what annoys you / almost stopped you?" as
  weak labels (no labelled data), on the language-neutral vectors ingest stored — with the lexicon as a second voice.
- **another segment's trait** (`other_segment`): a claim that matches another segment's distinctive evidence much better
  than anything this persona's segment said.

What none of them decides — comparisons ("the local roaster's coffee is better" against "your coffee was better"),
pragmatic answers ("Not yet.", "Zeker.") — is left to an LLM verifier, which is not built yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from persona_agent.analysis.models import OptionStat, QuestionStat

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
NEGATION = frozenset(
    "not no never rarely seldom hardly barely don't doesn't didn't isn't aren't won't wasn't weren't can't cannot "
    "couldn't haven't hasn't hadn't shouldn't don’t doesn’t didn’t isn’t can’t couldn’t without nor neither "
    "nothing avoid avoids ignores ignore lacks "
    "ikke ikkje aldri sjelden ingen uten intet nie niemals selten kein keine keinen nicht ohne niet nooit zelden "
    "geen zonder inte aldrig sällan utan ingen не нет никогда редко без ни".split())
# Sentiment words, lower case; a claim is mostly English, evidence is in any of the research's languages.
PRAISE = frozenset(
    "love loves loved great excellent happy happily satisfied pleased enjoys enjoy enjoyed easy easily reliable "
    "reliably fast quick quickly promptly prompt friendly helpful perfect fantastic wonderful delighted trusts "
    "trust impressed fine good best fond likes like liked appreciate appreciates appreciated glad fair fairly "
    "affordable cheap cheaper cheaply intact smooth smoothly available fresh beautiful lovely nice worth convenient "
    "recommend recommends likely useful faster simpler clearer easier responsive accurate clear tasty delicious "
    "generous better stylish elegant "
    "elsker flott fantastisk fornøyd tilfreds glad enkel enkelt pålitelig rask raskt hjelpsom god godt gode bra "
    "perfekt dejlig dejligt hurtig hurtigt pålidelig let nem prima geweldig tevreden blij makkelijk betrouwbaar snel "
    "handig goed goede fijn lekker mooi mooie prachtig prachtige liebe zufrieden einfach zuverlässig schnell "
    "hilfreich gut super perfekt schön schöne lecker älskar nöjd pålitlig snabb snabbt hjälpsam vacker vackra fin "
    "fint fina härlig frisk friskt fersk vers frisch färsk billig billigere billigare günstig goedkoop rimelig "
    "rimlig top topp toppen люблю отлично отличный доволен довольна удобно надёжно быстро хорошо хороший хорошее "
    "прекрасно свежий дешевле помогали".split())
COMPLAINT = frozenset(
    "expensive pricey costly overpriced excessive annoyed annoying annoys annoy frustrated frustrating angry "
    "disappointed disappointing unhappy dissatisfied late delayed slow broken damaged torn ripped cracked crushed "
    "dented leaking wet missing lost complain complains complained complaint hate hates "
    "difficult hard confusing unclear hidden problem problems issue issues trouble worried worry worries nervous "
    "anxious stressed fears afraid hassle wrong bad worse worst poor rude unhelpful scripted dull boring ugly "
    "irregular unreliable unavailable mind minds refuses refused ignored unanswered fails failed "
    "dyr dyrt dyre irritert irriterende skuffet sen sent treg ødelagt knust mangler problem vanskelig utsolgt "
    "bekymret nervøs revnet sprukket bøyd udsolgt irriteret skuffede langsom forsinket duur boos teleurgesteld laat "
    "traag kapot beschadigd ontbreekt uitverkocht lastig onduidelijk gescheurd opengescheurd saai lelijk ergernis "
    "teuer ärgerlich enttäuscht spät langsam kaputt beschädigt fehlt fehlen ausverkauft schwierig unklar versteckt "
    "aufgerissen verbeult nervös besviken försenad långsam trasig saknas slutsåld krångligt krånglig oklart "
    "bucklade bucklig orolig svårt svår irriterande tråkig дорого дорогой дороговато высоковаты разочарован "
    "поздно медленно сломан сломана порван проблема сложно непонятно".split())
_PHRASES = (  # (pattern, value): sentiment that single words miss
    (re.compile(r"\b(out of stock|sold out|ran (dry|out)|runs? out|looks? cheap|feels? cheap|cheap[- ]looking|"
                r"never heard back|copy[- ]paste|i stykker|i stukken|nicht lieferbar|nicht verfügbar|slut i lager|"
                r"løb tør|gik tør|gikk tom|tok slutt|tar slut|не обновлял\w*|нет в наличии)\b", re.IGNORECASE), -1),
    (re.compile(r"\b(in stock|on time|goes down well|went down well|works (fine|well)|worked (fine|well)|"
                r"no problem|no issue|på lager|op voorraad|auf lager|i tide|op tijd|pünktlich|в наличии)\b",
                re.IGNORECASE), 1),
)
# a dislike is a complaint whatever it is about: its "don't" does not flip what follows (knowledge/'s enthusiast)
_DISLIKE = re.compile(r"(?<!\w)(?:(?:don['’]t|do not|doesn['’]t|does not|didn['’]t|did not) (?:like|love|enjoy|"
                      r"appreciate)|dislike[sd]?|liker ikke|likte ikke|kan ikke lide|gillar inte|mag (?:\w+ ){0,3}niet|"
                      r"hou (?:\w+ ){0,3}niet van|mag (?:\w+ ){0,3}nicht|не нравится|не люблю)(?!\w)", re.IGNORECASE)
WITHOUT = frozenset("without uten uden ohne zonder utan без".split())
_UNABLE = re.compile(r"(?<!\w)(couldn['’]t|can['’]t|cannot|unable to|"
                     r"(kan|kunne|kann|konnte|kon|kunde) (ikke|inte|nicht|niet)|не (могу|смог\w*|мог\w*))(?!\w)",
                     re.IGNORECASE)
TOO = frozenset("too altfor for te zu för слишком".split())
WISH = frozenset("want wants wanted wish wishes hope hopes needs would ønsker vil wil willen möchte möchten wünscht "
                 "vill önskar хочет хочу".split())
_TOO_WORDS = frozenset("high expensive much many long slow small big heavy little late dear steep costly hard "
                       "dyr dyrt dyre høy høye høje lang lange meget mye mange lite liten hoog hoge duur veel lang "
                       "klein hoch hohe teuer viel lange spät hög höga dyrt mycket långsam lång".split())


@dataclass(frozen=True)
class Verdict:
    check: str  # not_distinctive | contradicted | other_segment
    problem: str


def polarity_score(text: str) -> int:
    """Praise words minus complaint words, clause by clause. A negation flips every sentiment word after it in its
    clause ("has never received a damaged product" is praise), and so does a wish ("wants a cheaper option": what is
    wished for is missing); "too" + an adjective is a complaint ("te duur", "for dyrt"), and so is a clause that
    dislikes anything ("doesn't like the fast delivery", "I don't like that products are out of stock")."""
    score = 0
    for clause in _SENTIMENT_CLAUSE.split(text):
        if _DISLIKE.search(clause):
            score -= 1
            continue
        for pattern, value in _PHRASES:
            for match in pattern.finditer(clause):
                before = [w.casefold() for w in _WORD.findall(clause[:match.start()])]
                # each negation or wish before it flips it, as in the word loop below ("wants products in stock")
                score += -value if sum(w in NEGATION or w in WISH for w in before) % 2 else value
        for pattern, _ in _PHRASES:
            clause = pattern.sub(" , ", clause)
        flip = bool(_NEGATED_PHRASE.search(clause))
        score -= len(_UNABLE.findall(clause))  # "I couldn't skip a delivery", "kan ikke betale"
        words = [w.casefold() for w in _WORD.findall(clause)]
        local = -1  # "without" negates the next two words only ("без скидок цены высоковаты")
        for index, word in enumerate(words):
            if word in WITHOUT:
                local = index
                continue
            if word in NEGATION or word in WISH:
                flip = not flip
                continue
            if index and words[index - 1] in TOO and word in _TOO_WORDS | COMPLAINT | PRAISE:
                value = -1
            else:
                value = 1 if word in PRAISE else -1 if word in COMPLAINT else 0
            if 0 <= local and index - local <= 2:
                value = -value
            score += -value if flip else value
    return score


def polarity(text: str) -> int:
    """+1 praise, -1 complaint, 0 neutral or mixed (see `polarity_score`)."""
    score = polarity_score(text)
    return (score > 0) - (score < 0)


# cut at punctuation (not inside a figure: 500,000 or 4.99) and before contrasts
_CLAUSE = re.compile(r"\s*(?:[;:!?]|(?<!\d)[,.]|[,.](?!\d))\s*|"
                     r"\s+(?=(?:rather than|instead of|but|men|maar|aber|но|snarere enn|i stedet for|"
                     r"in plaats van|statt|istället för)\b)", re.IGNORECASE)
_NEGATED_PHRASE = re.compile(r"\b(rather than|instead of|not as|no longer|cares? little|little interest|snarere enn|"
                             r"i stedet for|in plaats van|statt|istället för|ligeglad\w*|likegyldig\w*|"
                             r"onverschillig\w*|gleichgültig\w*|egal|ointresserad\w*)\b", re.IGNORECASE)
_NEGATIVE_QUESTION = re.compile(r"\b(stop|stops|prevent|prevents|hold|holds|annoy|annoys|barrier|problem|wrong|"
                                r"keeps? you)\b", re.IGNORECASE)


_SENTIMENT_CLAUSE = re.compile(r"\s*[;.!?]\s+|\s*[;!?]\s*|\s+(?=(?:rather than|instead of|but|men|maar|aber|но)\b)",
                               re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """``text`` cut at punctuation and before contrasts ("rather than", "but"), each clause with its own negation."""
    return [c.strip() for c in _CLAUSE.split(text) if c and _WORD.search(c)]


_FUNCTION_WORDS = frozenset("the and for you are was any its our not but all".split())


def negated(clause: str, own: str = "", question: str = "") -> bool:
    """Whether ``clause`` is negated: a negation word or phrase that is not part of ``own`` (the answer it is
    about: "No invoice payment option" is no negation) nor, when ``question`` is itself negative ("what stops
    you from buying more?"), the question's own verb ("they don't buy more")."""
    if _NEGATED_PHRASE.search(clause):
        return True
    skip = {w.casefold() for w in _WORD.findall(own)}
    words = [w.casefold() for w in _WORD.findall(clause)]
    asked = {w.casefold()[:4] for w in _WORD.findall(question) if len(w) > 3} if _NEGATIVE_QUESTION.search(question) \
        else set()
    for index, word in enumerate(words):
        if word in NEGATION and word not in skip:
            # "I don't want to buy more … because of stock-outs": the question's own "stops you from buying more"
            following = [w[:4] for w in words[index + 1:index + 4] if len(w) >= 3 and w not in _FUNCTION_WORDS]
            if any(a.startswith(f) for f in following for a in asked):
                continue
            return True
    return False


def _content(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if len(w) > 3}


def _same_word(a: str, b: str) -> bool:
    """"gift" ~ "gifts", "stock" ~ "stock-outs": one word begins with the other (4+ letters)."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) if len(short) >= 4 else a == b


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def overlap(text: str, answer: str) -> float:
    """The share of the answer's content words that ``text`` contains."""
    words = _content(text)
    needed = _content(answer)
    if not needed:
        return 0.0
    return sum(1 for n in needed if any(_same_word(n, w) for w in words)) / len(needed)


def mentioned_options(claim: str, stat: QuestionStat) -> list[OptionStat]:
    """Answers of ``stat`` the claim names (most of the answer's content words appear in it)."""
    return [o for o in stat.options if overlap(claim, o.answer) >= 0.6]


Similarity = Callable[[str, list[str]], list[float]]
OPTION_MARGIN = 0.02  # how much better the best answer must match a clause than the next one, by embedding
OPTION_OVERLAP = 0.5


def answer_for(clause: str, answers: list[str], similarity: Similarity | None) -> str | None:
    """The answer a clause is about: the one with most of its words in the clause (half or more), else the
    answer the embedder ranks first by a clear margin (cross-language: "Google-søk" → "Google search")."""
    if not answers:
        return None
    figures = [a for a in answers if _FIGURE.findall(a) and set(_FIGURE.findall(a)) <= set(_FIGURE.findall(clause))]
    if len(figures) == 1:  # "income is SEK 500,000–799,999": the answer whose figures the clause states
        return figures[0]
    scored = sorted(((overlap(clause, a), a) for a in answers), reverse=True)
    if scored[0][0] >= OPTION_OVERLAP and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    if similarity is None:
        return None
    close = sorted(zip(similarity(clause, answers), answers, strict=True), reverse=True)
    if len(close) == 1 or close[0][0] - close[1][0] >= OPTION_MARGIN:
        return close[0][1]
    return None


# The lead a challenge or fear starts with says it complains: it counts as a complaint word where the lexicon has
# none in it ("Has to wait for the newsletter to go out before seeing what is actually in stock": "in stock" alone
# read as praise, knowledge/; the claim is then mixed, which no evidence contradicts)
COMPLAINT_LEAD = re.compile(r"^(?:has to|struggles? with|is annoyed|is frustrated|dislikes|worries|fears)\b",
                            re.IGNORECASE)


def stat_direction(claim: str, stat: QuestionStat, similarity: Similarity | None = None,
                   elsewhere: Sequence[str] = ()) -> Verdict | None:
    """A claim about a stat's answer that the stat does not show as this segment's trait.

    Each clause of the claim is matched to one answer (`answer_for`, among the stat's answers and
    ``elsewhere``: answers only other segments give, which this segment gives too rarely to be listed).
    A negated clause about an answer this segment gives more than everyone contradicts the stat; a
    plain clause about an answer it gives less than everyone (or not at all) is not its trait. Mean
    stats (satisfaction, likelihood to recommend) compare the claim's polarity with the mean's side."""
    if stat.kind == "mean":
        return mean_direction(claim, stat)
    options = {o.answer: o for o in stat.options}
    answers = list(options) + [a for a in elsewhere if a not in options]
    for clause in clauses(claim):
        answer = answer_for(clause, answers, similarity)
        if answer is None:
            continue
        option = options.get(answer)
        lift = option.lift if option is not None and option.lift is not None else 0.0
        mine = f"{option.segment_share * 100:.0f} % vs {option.overall_share * 100:.0f} %" if option else "not listed"
        if negated(clause, answer, stat.question) and not same_complaint(claim, answer, stat.question, clause):
            if lift >= 1.2:
                return Verdict("contradicted", f"negates “{answer}”, which this segment gives more than everyone "
                                               f"({mine})")
        elif lift < 1.0:
            return Verdict("not_distinctive", f"“{answer}” is less common in this segment than among all "
                                              f"respondents ({mine})")
        elif option is not None and option.margin is not None and \
                option.segment_share - option.margin <= option.overall_share:
            # the rule the code's own stat claims follow: "Norway 21 % ±14 vs 13 %" is no trait of the segment
            return Verdict("inside_margin", f"“{answer}” is not clearly this segment's trait: "
                                            f"{option.segment_share * 100:.0f} % ±{option.margin * 100:.0f} vs "
                                            f"{option.overall_share * 100:.0f} % of all respondents, within the "
                                            "margin of error")
    return None


def answer_side(question: str, answer: str) -> int:
    """The side an answer of a closed question takes: a complaint (-1) for any answer to a barrier question ("what
    stops you from buying more?"), else its own words' (`polarity`)."""
    return -1 if _NEGATIVE_QUESTION.search(question) else polarity(answer)


def same_complaint(claim: str, answer: str, question: str, clause: str = "") -> bool:
    """Whether a negated claim states the barrier ``answer`` names rather than denying it: the answer is itself a
    lack ("No invoice payment / business account") or a barrier (what stops them from buying more) and the claim, or
    its ``clause`` about the answer, complains. "Struggles with the fact that Hyggehund does not offer a business
    account" (research B) says what "No invoice payment / business account" says; "Shipping cost is not a problem
    for them" denies its barrier."""
    lacks = any(w.casefold() in NEGATION for w in _WORD.findall(answer))
    complains = bool(COMPLAINT_LEAD.match(claim)) or polarity(claim) < 0 or polarity(clause) < 0
    return complains and (lacks or bool(_NEGATIVE_QUESTION.search(question)))


def mean_direction(claim: str, stat: QuestionStat) -> Verdict | None:
    """Satisfied / likely to recommend where the segment's mean is below everyone's (beyond its margin), or
    the reverse."""
    if stat.segment_mean is None or stat.overall_mean is None:
        return None
    gap = stat.segment_mean - stat.overall_mean
    if abs(gap) <= (stat.mean_margin or 0.0):
        return None
    side = polarity(claim)
    if side and (side > 0) != (gap > 0):
        return Verdict("contradicted", f"says {'high' if side > 0 else 'low'} where this segment's mean is "
                                       f"{'below' if gap < 0 else 'above'} everyone's ({stat.segment_mean:.1f} vs "
                                       f"{stat.overall_mean:.1f})")
    return None


# Questions whose answers are praise or complaints: the weak labels `PolarityModel` learns from.
PRAISE_QUESTION = re.compile(r"like (most|best)|love|enjoy|favou?rite|best thing|liker best|gefällt|bevalt|gillar",
                             re.IGNORECASE)
COMPLAINT_QUESTION = re.compile(r"annoy|almost stopped|gone wrong|went wrong|dislike|frustrat|complain|worst|irriter|"
                                r"ärger|stört", re.IGNORECASE)


@dataclass
class PolarityModel:
    """Praise vs complaint, learnt from the research itself: answers to "what do you like most?" are
    praise and answers to "what annoys you / almost stopped you?" complaints (weak labels, no labelled
    data), a logistic regression on the language-neutral vectors ingest already stored. It reads the
    evidence in any language; the claim, short and mostly in English, is read with the lexicon
    (`polarity_score`), which sees negation ("never received a damaged product") where an embedding
    does not."""

    weights: np.ndarray
    bias: float

    @classmethod
    def learn(cls, questions: Sequence[str], vectors: np.ndarray, min_each: int = 20) -> PolarityModel | None:
        labels = np.array([1 if PRAISE_QUESTION.search(q) else -1 if COMPLAINT_QUESTION.search(q) else 0
                           for q in questions])
        if min((labels == 1).sum(), (labels == -1).sum()) < min_each:
            return None
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(max_iter=2000).fit(vectors[labels != 0], labels[labels != 0])
        return cls(weights=np.asarray(model.coef_[0], dtype=float), bias=float(model.intercept_[0]))

    def praise(self, vectors: np.ndarray) -> np.ndarray:
        """The probability that each (language-neutral) vector is praise rather than a complaint."""
        return np.asarray(1.0 / (1.0 + np.exp(-(np.asarray(vectors) @ self.weights + self.bias))))


PRAISE_ABOVE = 0.6  # the model's praise probability beyond which evidence counts as praise (tuned on the tune half)
COMPLAINT_BELOW = 0.42


def evidence_side(text: str, praise: float | None) -> int:
    """+1 praise, -1 complaint, 0 undecided: the model's probability, with the lexicon as a second voice."""
    words = polarity_score(text)
    if praise is None:
        return (words > 0) - (words < 0)
    if (praise >= PRAISE_ABOVE and words >= 0) or (words > 0 and praise > 1 - 0.55):
        return 1
    if (praise <= COMPLAINT_BELOW and words <= 0) or (words < 0 and praise < 0.55):
        return -1
    return 0


def polarity_clash(claim: str, evidence: Sequence[tuple[str, float | None]]) -> Verdict | None:
    """The claim praises what the evidence complains about, or complains about what it praises.

    ``evidence`` holds the cited pieces closest to the claim first, each with the model's praise
    probability (None without a model); the closest piece decides (a long interview answer mixes
    praise and complaints about different things)."""
    lead = COMPLAINT_LEAD.match(claim)
    score = polarity_score(claim) - (1 if lead and polarity_score(lead.group(0)) == 0 else 0)
    mine = (score > 0) - (score < 0)
    if mine == 0 or not evidence or any(w.casefold() in WISH for w in _WORD.findall(claim)):
        return None  # a wish ("would like a student discount") is neither praise nor complaint to the model
    text, praise = evidence[0]
    if evidence_side(text, praise) == -mine:
        word = "satisfaction" if mine > 0 else "a complaint"
        return Verdict("contradicted", f"states {word} where the cited evidence says the opposite (“{text[:80]}”)")
    return None


OTHER_SEGMENT_MARGIN = 0.08  # how much better another segment's evidence must match
OTHER_SEGMENT_LIFT = 1.5


def other_segment(own_score: float, other: tuple[str | None, float], other_lift: float | None) -> Verdict | None:
    """The claim fits another segment's distinctive evidence clearly better than its own."""
    key, score = other
    if key is None or other_lift is None or other_lift < OTHER_SEGMENT_LIFT:
        return None
    if score >= own_score + OTHER_SEGMENT_MARGIN:
        return Verdict("other_segment", f"fits another segment's trait ({key}, lift {other_lift:.1f}) better "
                                        f"than this segment's evidence ({score:.2f} vs {own_score:.2f})")
    return None


# "The company's business account allows customers to pay by invoice", "Hyggehund offers a restock alert":
# the small model writes what customers wish for as what the shop already offers (2 of 5 selling points on
# research B). A wish is no selling point.
OFFER_SIDE = ("selling_points", "marketing_message", "tone")
_OFFER_VERB = (r"[^.;:]{0,60}?\b(?:offers?|provides?|allows?|lets|gives|has|have|includes?|features?|sends?|"
               r"delivers?|makes?)\b")
# "They offer a fixed delivery schedule." (research B's message, from "a fixed delivery day every other week" wished
# for): in a selling point or message, "they" is the shop
# "Chooses the shop for a waiting list for limited lots" (the lead selling points are written with,
# `sections.FIELD_LEADS`): the shop has what they choose it for
_OFFER = re.compile(r"^(?:(?:the (?:company|shop|store|brand|business|team)|we|our|its?|they)\b" + _OFFER_VERB
                    + r"|chooses? (?:the (?:company|shop|store|brand)|us) for\b)", re.IGNORECASE)


def offered(text: str, shop_names: set[str]) -> bool:
    """Whether ``text`` states what the shop offers ("The company's business account allows…")."""
    return bool(_OFFER.search(text)) or any(
        re.match(rf"{re.escape(name)}\b" + _OFFER_VERB, text, re.IGNORECASE) for name in shop_names)
