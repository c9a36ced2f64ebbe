"""Personal names in free text, without an NER model (none can be shipped or downloaded here).

Five sources, from surest to least sure:

1. **Known names** the caller passes (front matter, speaker labels, survey name columns), whole and
   by part, with genitives and Russian case endings.
2. **Self-introductions** ("jeg heter kari nordmann", "меня зовут иван петров"): the words after the
   cue, capitalised or not; lowercase words must be in the name lists.
3. **Sign-offs** at the start of a line ("Mvh Kari Nordmann", "Met vriendelijke groet,\\nSanne
   Bakker", "С уважением, Сергей"): a listed first name or several capitalised words, ending the line.
   "Hilsen fra oss alle" and "Cheers to the team" are not names.
4. **Titles** ("fru Hansen", "Mr. Patel"); a weak title ("Miss") needs a listed name after it, so
   "I miss Coffee Beans" stays.
5. **Listed names** (bundled first-name and surname lists for no/da/sv/nl/en/ru/de, under
   ``names/``): a capitalised first name followed only by listed names ("Ingrid Solberg", "Lars
   Erik Dahl"), or a lone first name inside a sentence ("Det var Camilla i butikken"). A first name
   in a run of other capitalised words is a product ("Sage Barista Express"); names that are also
   common words ("Per", "May", "Rose", "Tom" = empty in Norwegian) need a cue or a surname.

Not found: a lone first name opening a sentence, names in no list and with no cue, lowercase names
without a cue, initials.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

Span = tuple[int, int]

_NAMES_DIR = Path(__file__).resolve().parent / "names"
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CAPITAL = r"[A-ZÆØÅÄÖÜÉА-ЯЁ]"
_NAME_WORD = rf"{_CAPITAL}[^\W\d_]+(?:-{_CAPITAL}[^\W\d_]+)?"
_ANY_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)?"
_PARTICLES = r"(?:van|von|de|der|den|ter|te|af|av|da|di|la|le|van der|van den|de la)"
_PARTICLE_SET = frozenset("van von de der den ter te af av da di la le".split())

_INTRO = re.compile(
    r"(?i:\b(?:my name is|my name's|jeg heter|mitt navn er|navnet mitt er|jeg hedder|mit navn er|"
    r"jag heter|mitt namn är|ik heet|mijn naam is|ich heiße|ich heisse|mein name ist|меня зовут|"
    r"моё имя|мое имя)|(?<!\w)(?:name|navn|naam|namn|имя|фио):)"
    rf"[ \t]+(?P<name>{_ANY_WORD}(?:[ \t]+(?:{_PARTICLES}[ \t]+)?{_ANY_WORD}){{0,2}})"
)
_WEAK_INTRO = re.compile(
    rf"(?i:\b(?:i'm|i am|this is|jeg er|jag är|ik ben|ich bin))[ \t]+(?P<name>{_ANY_WORD}"
    rf"(?:[ \t]+{_ANY_WORD})?)"
)
_SIGN_OFF = re.compile(
    r"(?im:(?:^|(?<=[.!?] ))[ \t]*(?:med vennlig hilsen|vennlig hilsen|vennlige hilsener|mvh|hilsen|"
    r"med venlig hilsen|venlig hilsen|venlige hilsner|mange hilsner|kærlig hilsen|"
    r"med vänliga hälsningar|vänliga hälsningar|vänlig hälsning|hälsningar|hälsning|"
    r"met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|groeten|groet|mvg|"
    r"best regards|kind regards|warm regards|regards|best wishes|many thanks|thanks|thank you|cheers|"
    r"mit freundlichen grüßen|viele grüße|liebe grüße|grüße|с уважением|спасибо|всего доброго|"
    r"с наилучшими пожеланиями))"
    rf"[ \t]*[,.!:]?[ \t]*\n?[ \t]*(?P<name>{_ANY_WORD}(?:[ \t]+(?:{_PARTICLES}[ \t]+)?{_ANY_WORD}){{0,3}})"
    r"[ \t]*(?=$|[\n,.!])"
)
_TITLE = re.compile(
    r"(?<![\w])(?P<title>Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Miss|miss|Herr|herr|Fru|fru|Frøken|frøken|Fröken|fröken|"
    r"Frk\.|frk\.|Hr\.|hr\.|Dhr\.|dhr\.|Mevr\.|mevr\.|Mevrouw|mevrouw|Meneer|meneer|Господин|господин|"
    r"Госпожа|госпожа)"
    rf"[ \t]+(?P<name>{_NAME_WORD}(?:[ \t]+(?:{_PARTICLES}[ \t]+)?{_NAME_WORD}){{0,2}})"
)
_WEAK_TITLES = frozenset({"Miss", "miss"})
_SPEAKER = re.compile(rf"(?m)^[ \t]*(?P<name>{_NAME_WORD}(?:[ \t]{_NAME_WORD})?)[ \t]*:")

# Words that are never names even when a caller passes them (speaker roles, etc.).
NOT_NAMES = frozenset(
    "interviewer intervjuer moderator respondent kunde klant customer client deltaker deltager "
    "participant speaker q a i svar answer question vraag antwoord клиент интервьюер респондент "
    "вопрос ответ".split()
)
# First names that are also common words, months, days or places in our languages: found only
# with a cue or a surname. Stop words end a lowercase name after a cue.
_AMBIGUOUS = frozenset(
    """per pål ask bo dag liv sol stig stein storm tor tore vilde even tom mina line alle elke ben
    bent lone kim kai kaj bill will may mark grace rose hope joy faith dawn sky summer winter autumn
    april june july august jan juni juli mai march sunny amber ruby jade pearl angel pat sue max
    nova luna art don rob jack frank sage chance hunter mason carter cooper taylor parker page
    young king lane rich rey ray guy gay iris fleur floor roos bas mees jet vera kenya india
    georgia jordan israel paris london florence chelsea madison austin sierra dakota carolina
    virginia lima sydney victoria holland brazil java santos sidamo guji huila nyeri
    christian christmas easter sunday monday friday saturday ebba saga alva vilja ronja tage
    роман вера надежда любовь лев слава мир ян роза лилия майя""".split()
)
_STOP = frozenset(
    """og i på fra med til som er var har men eller ikke også bare jeg du han hun vi de det en et
    and in at from with to the a an of for is was not also just but or am really
    och på från är jag inte också en ett med til fra
    en in van uit met is was niet ook maar ik je het een de op
    und in aus mit ist nicht auch ein eine
    и в из с на не тоже а но я""".split()
)
_SURNAME_ENDINGS = re.compile(
    r"(?:sen|ssen|son|sson|berg|ström|strom|qvist|quist|lund|gaard|gård|stad|rud|heim|dal|"
    r"mann|ström|ов|ова|ев|ева|ёв|ин|ина|ский|ская|ко|ук|юк)$",
    re.IGNORECASE,
)
_RU_ENDINGS = ("ами", "ями", "ого", "его", "ому", "ему", "ой", "ей", "ою", "ею", "ом", "ем", "ым", "им",
               "ую", "юю", "ых", "их", "а", "я", "у", "ю", "е", "ы", "и", "ь")


def first_names(language: str) -> list[str]:
    """The common first names of ``language`` (English when there is no list for it), in file order."""
    path = _NAMES_DIR / f"{language}.first.txt"
    path = path if path.is_file() else _NAMES_DIR / "en.first.txt"
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], frozenset[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for path in sorted(_NAMES_DIR.glob("*.txt")):
        target = first if path.name.endswith(".first.txt") else last
        target.update(line.strip().casefold() for line in path.read_text("utf-8").splitlines() if line.strip())
    return frozenset(first), frozenset(last)


def _forms(word: str) -> list[str]:
    """The word and, for Russian, its likely nominative forms ("Мариной" → "марина")."""
    folded = word.casefold()
    forms = [folded]
    if re.search(r"[а-яё]$", folded):
        for ending in _RU_ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= 2:
                stem = folded[: -len(ending)]
                forms += [stem, stem + "а", stem + "я", stem + "й", stem + "ь"]
    return forms


def is_first_name(word: str) -> bool:
    first, _ = _lists()
    parts = word.split("-")
    return all(any(form in first for form in _forms(part)) for part in parts)


def is_surname(word: str, *, guess: bool = True) -> bool:
    _, last = _lists()
    if any(form in last for form in _forms(word)):
        return True
    return guess and len(word) >= 5 and bool(_SURNAME_ENDINGS.search(word))


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _is_ambiguous(word: str) -> bool:
    return word.casefold() in _AMBIGUOUS or word.casefold() in NOT_NAMES


def find_names(text: str, known_names: Iterable[str] = ()) -> list[Span]:
    spans: list[Span] = []
    spans += _introduced(text)
    spans += _signed(text)
    spans += _titled(text)
    spans += _listed(text)
    spans += [m.span("name") for m in _SPEAKER.finditer(text)
              if is_first_name(m.group("name").split()[0]) and not _is_ambiguous(m.group("name").split()[0])]
    pattern = _known_names_pattern(tuple(sorted({n.strip() for n in known_names})))
    if pattern is not None:
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


def _name_prefix(words: list[str], *, first_listed: bool) -> int:
    """How many of ``words`` (after a cue) form the name: capitalised words, or listed lowercase."""
    count = 0
    for index, word in enumerate(words):
        folded = word.casefold()
        if folded in _PARTICLE_SET and index + 1 < len(words) and _is_capitalised(words[index + 1]):
            count += 1
            continue
        if folded in _STOP or folded in NOT_NAMES:
            break
        listed = is_first_name(word) or is_surname(word, guess=False)
        if index == 0 and first_listed and not listed:
            break
        if _is_capitalised(word) or listed:
            count += 1
            continue
        break
    return count


def _cut(text: str, start: int, name: str, count: int) -> Span | None:
    words = list(re.finditer(r"\S+", name))
    if count == 0:
        return None
    return start, start + words[count - 1].end()


def _introduced(text: str) -> list[Span]:
    spans: list[Span] = []
    for pattern, first_listed in ((_INTRO, False), (_WEAK_INTRO, True)):
        for m in pattern.finditer(text):
            words = m.group("name").split()
            count = _name_prefix(words, first_listed=first_listed)
            if first_listed and count and _is_ambiguous(words[0]):
                continue
            span = _cut(text, m.start("name"), m.group("name"), count)
            if span:
                spans.append(span)
    return spans


def _signed(text: str) -> list[Span]:
    spans: list[Span] = []
    for m in _SIGN_OFF.finditer(text):
        words = m.group("name").split()
        count = _name_prefix(words, first_listed=False)
        if count != len(words):  # "Hilsen fra oss alle": the line goes on with other words
            continue
        if not (is_first_name(words[0]) or (count >= 2 and all(_is_capitalised(w) or w in _PARTICLE_SET
                                                               for w in words))):
            continue
        spans.append((m.start("name"), m.end("name")))
    return spans


def _titled(text: str) -> list[Span]:
    spans: list[Span] = []
    for m in _TITLE.finditer(text):
        words = m.group("name").split()
        if m.group("title") in _WEAK_TITLES and not any(is_first_name(w) or is_surname(w, guess=False)
                                                        for w in words[:1]):
            continue
        if words[0].casefold() in NOT_NAMES:
            continue
        count = 1 + sum(1 for _ in _takewhile_names(words[1:]))
        span = _cut(text, m.start("name"), m.group("name"), count)
        if span:
            spans.append(span)
    return spans


def _takewhile_names(words: list[str]) -> Iterable[str]:
    for word in words:
        if not (is_first_name(word) or is_surname(word) or word in _PARTICLE_SET):
            return
        yield word


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'«“(")
    return not before or before[-1] in ".!?:;\n-–—•*>" or before.endswith("\n")


def _listed(text: str) -> list[Span]:
    """Capitalised runs ("Ingrid Solberg", "Kaffemaskinen Sage Barista Express") judged as a whole."""
    spans: list[Span] = []
    tokens = [m for m in _WORD.finditer(text)]
    runs: list[list[re.Match[str]]] = []
    for token in tokens:
        word = token.group()
        if not _is_capitalised(word) and word not in _PARTICLE_SET:
            runs.append([])
            continue
        if runs and runs[-1] and text[runs[-1][-1].end() : token.start()] == " ":
            runs[-1].append(token)
        else:
            runs.append([token])
    for run in runs:
        while run and run[-1].group() in _PARTICLE_SET:
            run.pop()
        while run and run[0].group() in _PARTICLE_SET:
            run.pop(0)
        span = _run_name(text, run)
        if span:
            spans.append(span)
    return spans


def _run_name(text: str, run: list[re.Match[str]]) -> Span | None:
    words = [m.group() for m in run]
    first = next((i for i, w in enumerate(words) if len(w) >= 3 and is_first_name(w)), None)
    if first is None:
        return None
    tail = words[first + 1 :]
    if tail:
        if not all(is_first_name(w) or is_surname(w) or w in _PARTICLE_SET for w in tail):
            return None  # "Sage Barista Express", "Kenya Nyeri": a product or a place
        if _is_ambiguous(words[first]) and not any(is_surname(w, guess=False) for w in tail):
            return None
        if first > 0 and not _sentence_initial(text, run[0].start()):
            return None
        return run[first].start(), run[-1].end()
    if _is_ambiguous(words[first]) or _sentence_initial(text, run[first].start()):
        return None
    if first > 0 and not (first == 1 and _sentence_initial(text, run[0].start())):
        return None  # "Moccamaster Anna": a product name; "Ring Siri" is a sentence's first word
    return run[first].span()


def allowed_words(names: Iterable[str]) -> frozenset[str]:
    return frozenset(word.casefold() for name in names for word in _WORD.findall(name))


def is_allowed(found: str, allowed: frozenset[str]) -> bool:
    """True when every word of a found name belongs to an allowed (invented, persona) name."""
    words = _WORD.findall(found)
    return bool(allowed) and bool(words) and all(word.casefold() in allowed for word in words)


@lru_cache(maxsize=256)
def _known_names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives: set[str] = set()
    for name in names:
        words = name.split()
        if not words or name.lower() in NOT_NAMES:
            continue
        if len(name) >= 2:
            alternatives.add(r"\s+".join(re.escape(word) for word in words))
        if len(words) > 1:
            alternatives.update(
                re.escape(word)
                for word in words
                if len(word) >= 3 and word[0].isupper() and word.lower() not in NOT_NAMES
            )
    if not alternatives:
        return None
    forms = [_inflected(alternative) for alternative in sorted(alternatives, key=len, reverse=True)]
    return re.compile(r"(?<![\w])(?:" + "|".join(forms) + r")(?![\w])")


def _inflected(escaped_name: str) -> str:
    """Allow a genitive "-s"/"'s", and Russian case endings ("Анна" → "Анну", "Анной")."""
    if re.search(r"[а-яё]$", escaped_name, re.IGNORECASE):
        stem = escaped_name[:-1] if escaped_name[-1] in "аяйьоеАЯЙЬОЕ" else escaped_name
        return stem + r"[а-яё]{0,3}"
    return escaped_name + r"(?:['’]s|s)?"
