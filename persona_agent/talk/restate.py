"""An answer restated from the lines that speak to a question, when the persona's own answer is not grounded.

Asked about a question its segment's research speaks to, the 1.5B often says "I don't know"; asked once
more with the lines named, it says so again, or reports them as an analyst ("The evidence lines E1 and E9
suggest that the customer is hesitant about switching because of the lack of an invoice payment
option…"), or copies a stat line ("Products out of stock 55 % (±13) vs 15 %…"). The content is there, the
voice is not. Where one line clearly answers the question (`talk.evidence.clearly_covered`), a short,
separate call gets only the lines closest to it, as plain words without figures, and writes the
customer's answer from them. The restatement is grounded like any answer (`PersonaChat.ground`). The
gate matters: without it, 6 of 9 knowledge/ answers to questions the research does not cover were
credited ("I think our plan to sell coffee capsules is well-received…", from lines about the stats).
"""

from __future__ import annotations

import re

from persona_agent.core.evidence import Evidence
from persona_agent.research.authorship import customer_words
from persona_agent.talk.evidence import LINE_CHARS

# one option of a stat line: "Products out of stock 55 % (±13) vs 15 % of all respondents, lift 3.8"
_OPTION = re.compile(r"(?:^|[:;]\s*)([^:;]+?) (\d+) % \(±(\d+)\) vs (\d+) % of all respondents")
_QUESTION = re.compile(r"“([^”]+)”")


def plain_line(item: Evidence) -> str:
    """What a line says, without figures: a customer's words, or the answers a stat's segment gives more often
    than everyone beyond the margin of error (the rule the code's stat claims follow) to its question; the figures
    stay in the evidence. Shown "Nothing, I buy what I need" (22 % ±10 vs 15 %) beside "Products out of stock", the
    1.5B wrote "I would stop ordering again if the shop were to offer faster delivery"."""
    if item.metadata.get("analysis") == "segment_stat":
        question = _QUESTION.search(item.text)
        above = [m.group(1).strip() for m in _OPTION.finditer(item.text)
                 if int(m.group(2)) - int(m.group(3)) > int(m.group(4))]
        if question and above:
            # said as the customer's own answer: told "asked …, people like you answer more often than others: Delivery
            # takes too long", the 1.5B answered as the shop ("I understand that delivery times can be a significant
            # factor for some customers. However, …"); told "Not sure which product is right for my pet (what people
            # like you answer, more often than other customers, to “…”)", it wrote "if I felt that the products were
            # not meeting my pet's needs". As the customer's own answer to the question, it keeps the answer's words
            return f"Asked “{question.group(1)}”, you answered: “{'; '.join(above)}”"
    words = " ".join((customer_words(item) or item.text).split())
    return words if len(words) <= LINE_CHARS else words[:LINE_CHARS].rsplit(" ", 1)[0] + "…"


def without_role(text: str, name: str) -> str:
    """The reply without the role it announces: "As Office Olav, I would…", "As a customer, I appreciate…"."""
    lead = re.match(rf"As (?:an? (?:\w+ )?customer(?: of [\w-]+)?|{re.escape(name)}),\s*", text)
    return text if lead is None else text[lead.end():][:1].upper() + text[lead.end() + 1:]
