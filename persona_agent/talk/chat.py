"""Talk to personas: grounded in-character answers, objections, focus groups, and the Slack-style
command router that the terminal chat and the Slack bot share. No terminal or Slack code here.

Answers are written as plain text in character, ending with an ``Evidence:`` line; we parse that
into an `Answer` and keep only ids the persona was actually shown. No valid id means the answer is
marked ``extrapolated``. Plain text streams token by token and suits small local models better
than JSON; objections, which are a list, use structured output.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from persona_agent.core.errors import EmptyReplyError, PersonaError, QuestionTooLongError, RequestError
from persona_agent.core.evidence import Evidence
from persona_agent.core.names import PERSONA_SLUG, persona_slug
from persona_agent.engine import retry
from persona_agent.engine.language import FIRST_PERSON, LANGUAGE_NAMES, detect_language
from persona_agent.engine.llm import allow_names
from persona_agent.engine.prompts import load_prompt
from persona_agent.engine.store import EvidenceStore
from persona_agent.engine.structured import structured
from persona_agent.personas.schema import Persona
from persona_agent.personas.support import SupportScorer
from persona_agent.talk.evidence import (
    Offered,
    SegmentResearch,
    admits_not_knowing,
    clearly_covered,
    closest_aliases,
    covered,
    narrates,
    said_lines,
    supported_ids,
)
from persona_agent.talk.models import Answer, ObjectionReport
from persona_agent.talk.restate import plain_line, without_role
from persona_agent.talk.threads import bounded_history

# on a line of its own, or after the last sentence ("… Which is a shame. Evidence: E1")
_EVIDENCE_LINE = re.compile(r"(?:^|(?<=[.!?…]))[ \t]*\**\s*(?:the\s+)?(evidence|sources?|kilder?|bronnen|источники)"
                            r"\s*\**\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE)
_WORDS = re.compile(r"[^\W\d_]{2,}")
ANSWER_AGAIN = ("You gave only the evidence line. Answer the question itself, in character, in a few "
                "sentences, then the evidence line.")
ANSWER_FROM = ("Lines {aliases} of the evidence speak to this question. Answer it as yourself, in the first "
               "person, from what they say, in a few sentences, without naming the lines in the sentences; then "
               "the evidence line.")
_MAX_HISTORY = 6  # messages of a thread the persona remembers (also bounded by characters)
log = logging.getLogger(__name__)


class PersonaLibrary:
    """The personas of a folder (``personas/*.json``), by slug."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def slugs(self) -> list[str]:
        """The personas' slugs; a JSON file whose name is not a slug could never be asked for, so it is not one."""
        return sorted(p.stem for p in self.folder.glob("*.json") if PERSONA_SLUG.fullmatch(p.stem))

    def get(self, slug: str) -> Persona:
        """The persona ``slug`` (``@`` and case ignored); a name that is not a slug is refused before
        any path is built from it. The message names no folder: Slack users see it too."""
        slug = persona_slug(slug)
        path = self.folder / f"{slug}.json"
        if not path.is_file():
            known = ", ".join(self.slugs()) or "none yet: run `persona generate`"
            raise RequestError(f"no persona '{slug}'", f"known personas: {known}")
        return Persona.model_validate_json(path.read_text(encoding="utf-8"))

    def all(self) -> list[Persona]:
        return [self.get(slug) for slug in self.slugs()]


def voice(question: str) -> dict[str, str]:
    """The language an answer is written in (the question's) and its first-person words, for the prompts."""
    code = detect_language(question)
    return {"language": LANGUAGE_NAMES.get(code, "the language of the question"),
            "pronouns": FIRST_PERSON.get(code, "the first person of that language")}


def persona_card(persona: Persona) -> str:
    """The persona as compact text for a prompt: claims without their evidence lists, but an inference
    keeps its label, so the persona never states it as fact."""
    data = persona.model_dump(exclude={"provenance", "journey", "schema_version", "no_evidence"}, exclude_none=True)

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            if "text" in node and "support" in node:
                if node["support"] == "inference":
                    return f"{node['text']} (an inference, not in the research: {node.get('reason') or 'no reason'})"
                return node["text"]
            return {k: strip(v) for k, v in node.items() if v not in ([], {}, None) and k != "themes"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(data), ensure_ascii=False, indent=1)[:5000]


_ALIAS_WORD = re.compile(r"\bE\d{1,3}\b")
# A line of the evidence block copied into the answer ("E1 (stat) Segment S4, “How satisfied…”"): data, not
# words; at the start of a line or after a sentence ("…to me. E1 (stat) Segment S3, …")
_COPIED_LINE = re.compile(r"(?:^|(?<=[.!?])[ \t]+)[ \t]*[-*]?[ \t]*(E\d{1,3}):?[ \t]*\([a-z]+(?:, ?[a-z-]+)?\)[ \t]"
                          r".*$\n?", re.MULTILINE)


def drop_copied_lines(raw: str) -> str:
    """The reply without evidence lines the model copied into it; their aliases move to the evidence
    line (added when the reply has none), since the model relied on them."""
    copied = [m.group(1) for m in _COPIED_LINE.finditer(raw)]
    if not copied:
        return raw
    def cut(match: re.Match[str]) -> str:  # a whole copied line goes; a copy after a sentence keeps its line break
        inline = match.start() > 0 and raw[match.start() - 1] != "\n"
        return "\n" if inline and match.group(0).endswith("\n") else ""

    text = _COPIED_LINE.sub(cut, raw).rstrip()
    if not _EVIDENCE_LINE.search(text):
        text += "\nEvidence: " + ", ".join(dict.fromkeys(copied))
    return text


def parse_answer(raw: str, allowed: Sequence[str], aliases: dict[str, str] | None = None) -> Answer:
    """Split the reply into text and cited ids (aliases E1… mapped to ids); unknown ids are dropped,
    none left = extrapolated."""
    aliases = aliases or {}
    ids: list[str] = []
    matches = list(_EVIDENCE_LINE.finditer(raw))
    match = matches[-1] if matches else None
    text = raw
    if match is not None:
        text = raw[: match.start()].rstrip()
        ids = [i.strip(" []`'\".") for i in re.split(r"[,;\s]+", match.group(2)) if i.strip(" []`'\".")]
    allowed_set = set(allowed)
    known = {**{i: i for i in allowed_set}, **{a: i for a, i in aliases.items() if i in allowed_set}}
    cited = list(dict.fromkeys(known[i] for i in ids if i in known))
    # ids or aliases quoted inline in brackets count too
    cited += [known[i] for i in dict.fromkeys(re.findall(r"\[([^\]\s]+)\]", text)) if i in known
              and known[i] not in cited]
    # aliases named in the sentences ("as E6 and E8 say"), when the reply has no evidence line of its own
    if match is None:
        cited += [known[a] for a in dict.fromkeys(_ALIAS_WORD.findall(text)) if a in known and known[a] not in cited]
    text = re.sub(r"\s*\[([^\]\s]+)\]", lambda m: "" if m.group(1) in known else m.group(0), text).strip()
    return Answer(text=text or raw.strip(), evidence=cited, grounding="cited" if cited else "extrapolated")


def answer_words(raw: str) -> bool:
    """Whether a reply says anything besides its evidence line."""
    return bool(_WORDS.search(_EVIDENCE_LINE.sub("", raw)))


@dataclass
class PersonaChat:
    """Grounded conversations with the personas in ``library``; ``llm`` and ``store`` injected."""

    llm: Any
    store: EvidenceStore
    library: PersonaLibrary
    analysis_dir: Path | None = None
    k: int = 6
    max_question_chars: int = 2000  # a longer question is refused (it would crowd out the evidence)
    check_support: bool = True  # ground answers with the embedder (tests with a hash embedder turn it off)
    history_chars: int = 6000  # earlier turns shown to the model, newest first, up to this many characters

    def __post_init__(self) -> None:
        self.research = SegmentResearch(self.store, self.analysis_dir)
        self._scorer: SupportScorer | None = None

    def scorer(self) -> SupportScorer | None:
        """The support measure of the grounding checks, built on first use (None: checks off)."""
        if self._scorer is None and self.check_support and hasattr(self.store, "language_space"):
            self._scorer = SupportScorer.for_store(self.store)
        return self._scorer

    def evidence_for(self, persona: Persona, question: str) -> list[Evidence]:
        """What the persona answers from (see `talk.evidence.SegmentResearch.offer`)."""
        return self.research.offer(persona, question, k=self.k).items

    def _messages(self, persona: Persona, question: str, offered: Offered,
                  history: Sequence[BaseMessage]) -> list[BaseMessage]:
        allow_names(self.llm, [persona.name])  # invented: a remote model may hear it unredacted
        system = load_prompt("ask.system").render(name=persona.name, card=persona_card(persona),
                                                  evidence=offered.render(), **voice(question))
        return [SystemMessage(content=system), *bounded_history(history[-_MAX_HISTORY:], self.history_chars),
                HumanMessage(content=question)]

    def check_length(self, text: str) -> str:
        text = text.strip()
        if len(text) > self.max_question_chars:
            raise QuestionTooLongError(len(text), self.max_question_chars)
        return text

    def ask(self, slug: str, question: str, *, history: Sequence[BaseMessage] = (),
            on_token: Callable[[str], None] | None = None) -> Answer:
        """An in-character answer. It counts as cited only when the segment's research speaks to the
        question and a sentence of the answer is supported by evidence it cites (`talk.evidence`)."""
        question = self.check_length(question)
        persona = self.library.get(slug)
        offered = self.research.offer(persona, question, k=self.k)
        messages = self._messages(persona, question, offered, history)
        policy, backend = retry.policy_of(self.llm), f"LLM {retry.model_label(self.llm)}"
        if on_token is None:
            reply = retry.call(lambda: self.llm.invoke(messages), policy, backend=backend)
            raw = reply.text
            if raw.strip() and (reply.response_metadata or {}).get("finish_reason") == "length":
                raw = raw.rstrip() + " …"  # cut off at the token limit: say so rather than end mid-word
        else:
            parts = []
            for chunk in retry.stream(lambda: self.llm.stream(messages), policy, backend=backend):
                parts.append(chunk.text)
                on_token(chunk.text)
            raw = "".join(parts)
        raw = drop_copied_lines(raw)
        if raw.strip() and not answer_words(raw):  # small models sometimes write only "Evidence: E2, E5"
            raw = self._reply([*messages, AIMessage(content=raw), HumanMessage(content=ANSWER_AGAIN)])
            if on_token is not None and answer_words(raw):
                on_token("\n\n" + raw)
        if not answer_words(raw):
            what = "the model returned an empty answer" + (" (only an evidence line)" if raw.strip() else "")
            raise EmptyReplyError(backend, what, "ask again, or rephrase")
        aliases = {alias: item.evidence_id for alias, item in offered.aliases.items()}
        answer = self.ground(question, parse_answer(raw, list(aliases.values()), aliases), offered)
        scorer = self.scorer()
        if answer.grounding == "extrapolated" and not answer.unmentioned and scorer is not None and scorer.calibrated:
            # not grounded although lines of the segment's research speak to the question: once more, from them
            lines = closest_aliases(scorer, question, offered)
            if lines:
                # a line clearly answers it: the customer's answer, restated from those lines alone (asked once more
                # with everything, the 1.5B said "I don't know" again or reported the lines as an analyst); that
                # failing ("As an AI language model, I do not have personal preferences…"), or else, asked again
                second = self._restate(persona, question, lines, offered) if clearly_covered(scorer, question,
                                                                                             offered) else None
                if second is None or second[1].grounding != "cited":
                    second = self._again([*messages, AIMessage(content=raw), HumanMessage(content=ANSWER_FROM.format(
                        aliases=", ".join(lines)))], question, offered)
                if second is not None and second[1].grounding == "cited":
                    if on_token is not None:
                        on_token("\n\n" + second[0])
                    return second[1]
        return answer

    def _again(self, messages: list[BaseMessage], question: str, offered: Offered) -> tuple[str, Answer] | None:
        """The reply to ``messages`` (a conversation ending with a request to answer once more) and its
        grounded answer; None for a reply with no words."""
        raw = self._reply(messages)
        if not answer_words(raw):
            return None
        aliases = {alias: item.evidence_id for alias, item in offered.aliases.items()}
        return raw, self.ground(question, parse_answer(raw, list(aliases.values()), aliases), offered)

    def _reply(self, messages: list[BaseMessage]) -> str:
        """The model's reply to ``messages``, without evidence lines it copied."""
        return drop_copied_lines(retry.call(lambda: self.llm.invoke(messages), retry.policy_of(self.llm),
                                            backend=f"LLM {retry.model_label(self.llm)}").text)

    def _restate(self, persona: Persona, question: str, relied: list[str],
                 offered: Offered) -> tuple[str, Answer] | None:
        """The customer's answer written from the lines ``relied`` on alone, cited to them and grounded."""
        lines = offered.aliases
        prompt = load_prompt("ask.restate").render(name=persona.name, question=question, **voice(question),
                                                   lines="\n".join(f"- {plain_line(lines[a])}" for a in relied))
        # an evidence line it adds is not shown
        text = without_role(parse_answer(self._reply([HumanMessage(content=prompt)]), []).text, persona.name)
        if not answer_words(text):
            return None
        said = Answer(text=text, evidence=[lines[a].evidence_id for a in relied], grounding="cited")
        # its own lines only: told "Delivery takes too long", the 1.5B wrote "I appreciate the quick delivery…"
        return text, self.ground(question, said, offered, restatement=True)

    def ground(self, question: str, answer: Answer, offered: Offered, *, restatement: bool = False) -> Answer:
        """Keep the cited ids that support the answer, if the research covers the question; an answer citing nothing
        that says what offered lines say is credited to them (`said_lines`). An answer that names none of the
        question's topic words grounds nothing (`Vocabulary.on_topic`). A ``restatement`` says its own lines or
        nothing, and a stat line when it names an answer the line showed (`talk.evidence.states_stat`)."""
        scorer = self.scorer()
        if answer.grounding != "cited" and (scorer is None or not scorer.calibrated):
            return answer
        is_covered, _ = covered(scorer, question, offered)
        vocabulary = self.research.vocabulary()
        missing = vocabulary.unmentioned(question)  # "hästfoder": nothing in the research to answer from
        by_id = {item.evidence_id: item for item in offered.items + offered.card}
        # an answer that names none of what was asked answers something else: "barista course?" → the card recited
        topics, about = vocabulary.on_topic(question, answer.text, self.research.shop_names())
        if missing or not about or admits_not_knowing(answer.text) or narrates(answer.text):
            kept = []  # "I don't know", "The evidence lines E1… suggest": no answer (a covered question is asked again)
        elif answer.grounding == "cited":
            kept = supported_ids(scorer, answer.text, [by_id[i] for i in answer.evidence if i in by_id],
                                 self.research.stats() if restatement else None, asked=question)
            if not kept and not restatement:  # the wrong line cited: credited to one that says it
                kept = said_lines(scorer, answer.text, offered, asked=question)
        else:
            kept = [] if restatement else said_lines(scorer, answer.text, offered, asked=question)
        if kept and not is_covered and not vocabulary.anchors(question, answer.text, [by_id[i].text for i in kept
                                                                                      if i in by_id]):
            kept = []  # the research does not speak to the question, unless a line it rests on names its topic
        return answer.model_copy(update={"evidence": kept, "grounding": "cited" if kept else "extrapolated",
                                         "unmentioned": missing, "unanswered": [] if about else topics})

    def objections(self, slug: str, proposal: str) -> ObjectionReport:
        proposal = self.check_length(proposal)
        persona = self.library.get(slug)
        offered = self.research.offer(persona, proposal, k=self.k)
        aliases = {alias: item.evidence_id for alias, item in offered.aliases.items()}
        allow_names(self.llm, [persona.name])
        schema = ObjectionReport.model_json_schema()
        schema["$defs"]["RankedObjection"]["properties"]["evidence"]["items"] = {"type": "string",
                                                                                 "enum": list(aliases)}
        messages = [
            SystemMessage(content=load_prompt("objections.system").render(
                name=persona.name, card=persona_card(persona), evidence=offered.render())),
            HumanMessage(content=load_prompt("objections.user").render(proposal=proposal)),
        ]
        report = structured(self.llm, ObjectionReport, messages, json_schema=schema,
                            context={"evidence_ids": set(aliases)}, guide=load_prompt("objections.fields").render())
        order = {"high": 0, "medium": 1, "low": 2}
        objections = [o.model_copy(update={"evidence": [aliases[a] for a in o.evidence]}) for o in report.objections]
        return report.model_copy(update={"objections": sorted(objections, key=lambda o: order[o.severity])})

    def focus_group(self, question: str, *, slugs: Sequence[str] | None = None,
                    on_answer: Callable[[str, Answer], None] | None = None) -> FocusGroup:
        """Every persona (or those of ``slugs``) answers; one that fails (provider error, bad file) is
        listed in ``failed`` and the others go on. The synthesis covers whoever answered."""
        question = self.check_length(question)
        answers: dict[str, Answer] = {}
        failed: dict[str, str] = {}
        slugs = list(dict.fromkeys(persona_slug(s) for s in slugs)) if slugs else self.library.slugs()
        if not slugs:
            raise RequestError("there are no personas yet", "run `persona generate` first")
        for slug in slugs:
            try:
                answers[slug] = self.ask(slug, question)
            except Exception as exc:  # one persona failing must not end the group
                failed[slug] = _failure(exc)
                continue
            if on_answer:
                on_answer(slug, answers[slug])
        if not answers:
            raise PersonaError("no persona could answer: " + "; ".join(f"@{s}: {e}" for s, e in failed.items()),
                               "see the log, fix the first problem and ask again")
        transcript = "\n\n".join(f"@{slug}: {a.text} (evidence: {', '.join(a.evidence) or 'none'})"
                                 for slug, a in answers.items())
        messages = [SystemMessage(content=load_prompt("focus.system").render()),
                    HumanMessage(content=load_prompt("focus.user").render(question=question, transcript=transcript))]
        try:
            synthesis = retry.call(lambda: self.llm.invoke(messages), retry.policy_of(self.llm),
                                   backend=f"LLM {retry.model_label(self.llm)}").text.strip()
        except Exception as exc:  # the answers stand without a synthesis
            synthesis = f"(no synthesis: {_failure(exc)})"
        else:
            if not synthesis_names_the_answers(synthesis, answers):
                synthesis = plain_synthesis(answers)
        return FocusGroup(question=question, answers=answers, synthesis=synthesis or "(no synthesis: empty reply)",
                          failed=failed)


def synthesis_names_the_answers(synthesis: str, answers: dict[str, Answer]) -> bool:
    """A synthesis worth showing names the personas and keeps the evidence they cited; "none of the
    answers…" about answers that cite evidence is not one."""
    named = sum(f"@{slug}" in synthesis for slug in answers)
    cited = [i for a in answers.values() for i in a.evidence]
    keeps_ids = not cited or any(i in synthesis for i in cited)
    return named >= min(2, len(answers)) and keeps_ids and not re.match(r"\s*(none|no)\b", synthesis, re.I)


def plain_synthesis(answers: dict[str, Answer]) -> str:
    """What each persona said, with its evidence, and which evidence they share (when the model's
    synthesis named neither the personas nor their evidence)."""
    lines = []
    for slug, answer in answers.items():
        first = re.split(r"(?<=[.!?])\s+", answer.text.strip())[0]
        ids = f" [{', '.join(answer.evidence)}]" if answer.evidence else " (extrapolated)"
        lines.append(f"@{slug}: {first}{ids}")
    shared = set.intersection(*(set(a.evidence) for a in answers.values())) if len(answers) > 1 else set()
    if shared:
        lines.append("Agree, on the same evidence: " + ", ".join(sorted(shared)))
    grounded = [f"@{s}" for s, a in answers.items() if a.grounding == "cited"]
    guessing = [f"@{s}" for s, a in answers.items() if a.grounding != "cited"]
    if grounded and guessing:
        lines.append(f"Disagree on footing: {', '.join(grounded)} answered from the research, "
                     f"{', '.join(guessing)} extrapolated.")
    return "\n".join(lines)


def _failure(exc: Exception) -> str:
    """One line for a failure; anything but our typed errors is a bug, so its traceback goes to the log."""
    if isinstance(exc, PersonaError):
        return exc.one_line()
    log.error("unexpected error", exc_info=exc)
    return f"unexpected error ({type(exc).__name__}); the details are in the log"


@dataclass
class FocusGroup:
    question: str
    answers: dict[str, Answer]
    synthesis: str
    failed: dict[str, str] = field(default_factory=dict)  # slug → why it could not answer
