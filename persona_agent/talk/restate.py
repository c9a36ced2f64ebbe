"""An answer restated from the lines the model relied on, when it would not answer as the persona.

Asked about a question its segment's research speaks to, the 1.5B often says "I don't know"; told
which lines speak to it, it then reports them as an analyst ("The evidence lines E1 and E9 suggest
that the customer is hesitant about switching because of the lack of an invoice payment option…") or
copies a stat line ("Products out of stock 55 % (±13) vs 15 %…"). The content is there, the voice is
not. Where one line clearly answers the question (`talk.evidence.clearly_covered`), a reply that relies
on lines without doubting ("I don't know. I'm guessing that…" is not restated) is: a short, separate
call gets only those lines, as plain words without figures, and writes the customer's answer from
them. The restatement is grounded like any answer (`PersonaChat.ground`). Without the gate, 6 of 9
knowledge/ answers to questions the research does not cover were credited: the 1.5B names lines
without doubting about those too ("I think our plan to sell coffee capsules is well-received…").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from persona_agent.core.evidence import Evidence
from persona_agent.research.authorship import customer_words
from persona_agent.talk.evidence import LINE_CHARS, Offered

_ALIAS = re.compile(r"\bE(\d{1,3})\b")
_WORD = re.compile(r"[^\W\d_]+")
COPIED_RUN = 5  # words in a row of a line that make a reply a copy of it
# one option of a stat line: "Products out of stock 55 % (±13) vs 15 % of all respondents, lift 3.8"
_OPTION = re.compile(r"(?:^|[:;]\s*)([^:;]+?) \d+ % \(±\d+\) vs \d+ % of all respondents, lift (\d+(?:\.\d+)?)")
_QUESTION = re.compile(r"“([^”]+)”")


def _runs(text: str, size: int) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in _WORD.findall(text)]
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def engaged_lines(reply: str, offered: Offered, among: Sequence[str]) -> list[str]:
    """The aliases, of ``among``, of the lines a reply relied on: those it names ("E1 and E9 suggest…") and
    those it copies (`COPIED_RUN` words in a row), in the order of ``among``."""
    named = {f"E{n}" for n in _ALIAS.findall(reply)}
    runs = _runs(reply, COPIED_RUN)
    lines = offered.aliases
    return [alias for alias in among if alias in lines and
            (alias in named or runs & _runs(lines[alias].text, COPIED_RUN))]


def plain_line(item: Evidence) -> str:
    """What a line says, without figures: a customer's words, or a stat's question and the answers its
    segment gives more often than everyone (a lift above 1); the figures stay in the evidence."""
    if item.metadata.get("analysis") == "segment_stat":
        question = _QUESTION.search(item.text)
        above = [m.group(1).strip() for m in _OPTION.finditer(item.text) if float(m.group(2)) > 1]
        if question and above:
            return f"asked “{question.group(1)}”, people like you answer more often than others: {'; '.join(above)}"
    words = " ".join((customer_words(item) or item.text).split())
    return words if len(words) <= LINE_CHARS else words[:LINE_CHARS].rsplit(" ", 1)[0] + "…"
