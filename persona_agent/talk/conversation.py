"""The Slack-style conversation: channels, threads, ``@persona`` mentions and ``/commands``.

`ChatSession.handle(line)` turns one line into `Reply` objects; the terminal (`persona chat`) and the
Slack bot render them. History per channel/thread lives under ``$PERSONA_HOME/chat`` and is
reloaded on restart.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from persona_agent.core.errors import PersonaError
from persona_agent.core.names import file_stem
from persona_agent.talk.chat import PersonaChat
from persona_agent.talk.models import Answer
from persona_agent.talk.threads import Thread, history_messages

COMMANDS = {
    "/personas": "list the personas",
    "/show SLUG": "show a persona's one-pager",
    "/sources SLUG": "the evidence a persona cites",
    "/draft [SEGMENT]": "generate a persona for a segment (draft → critique → revise)",
    "/critique SLUG": "check a persona (rules + LLM critic)",
    "/revise SLUG INSTRUCTION": "edit a persona by instruction; the edit must still cite evidence",
    "/export SLUG md|json|html": "write a persona file to the exports folder (html: the one-pager)",
    "/objections SLUG PROPOSAL": "ranked objections to a proposal",
    "/thread NAME": "open (or return to) a thread; /thread alone goes back to the channel",
    "/help": "this list",
    "/quit": "leave",
}
_MENTION = re.compile(r"^@([\w-]+)[:,]?\s+(.+)$", re.DOTALL)
log = logging.getLogger(__name__)


@dataclass
class Reply:
    kind: Literal["answer", "text", "markdown", "error", "synthesis", "quit"]
    text: str
    speaker: str = "persona-agent"
    answer: Answer | None = None
    data: dict[str, Any] = field(default_factory=dict)
    error: PersonaError | None = None  # for kind "error": what went wrong (Slack shows only a RequestError)


@dataclass
class ChatSession:
    chat: PersonaChat
    chat_dir: Path
    channel: str = "#personas"
    thread: str | None = None
    generator_factory: Callable[[], Any] | None = None  # builds a generate.Generator for /draft, /revise
    exports_dir: Path | None = None
    on_token: Callable[[str], None] | None = None  # streaming, for the terminal
    on_answer: Callable[[Reply], None] | None = None  # each answer as soon as it is complete (a focus group's too)
    history_turns: int = 200  # turns kept on disk per thread

    def where(self) -> str:
        return f"{self.channel}" + (f" › {self.thread}" if self.thread else "")

    def _thread(self) -> Thread:
        return Thread.open(self.chat_dir, self.channel, self.thread, max_turns=self.history_turns)

    def completions(self) -> list[str]:
        return [c.split()[0] for c in COMMANDS] + ["@all"] + [f"@{s}" for s in self.chat.library.slugs()]

    def handle(self, line: str) -> list[Reply]:
        line = line.strip()
        if not line:
            return []
        try:
            if line.startswith("/"):
                return self._command(line)
            mention = _MENTION.match(line)
            if mention:
                slug, message = mention.group(1).casefold(), mention.group(2).strip()
                return self.converse([] if slug == "all" else [slug], message)
            return [Reply("text", "Mention a persona (@slug …) or @all, or type /help.")]
        except PersonaError as exc:
            return [Reply("error", exc.one_line(), error=exc)]
        except Exception as exc:  # one turn fails, the session goes on; the traceback goes to the log
            log.error("chat turn failed: %r", line[:200], exc_info=exc)
            return [Reply("error", f"unexpected error ({type(exc).__name__}); the details are in the log")]

    def converse(self, slugs: Sequence[str], message: str) -> list[Reply]:
        """One persona answers (``[slug]``, streamed through ``on_token``), or several as a focus group
        (``[]``: all of them), each answer kept in the thread. Raises what `handle` turns into replies."""
        if len(slugs) == 1:
            return [self._ask(slugs[0], message)]
        return self._focus_group(message, list(slugs) or None)

    def _ask(self, slug: str, message: str) -> Reply:
        thread = self._thread()
        answer = self.chat.ask(slug, message, history=history_messages(thread.turns, slug), on_token=self.on_token)
        thread.append({"persona": slug, "question": message, "answer": answer.text,
                       "evidence": ",".join(answer.evidence), "grounding": answer.grounding})
        reply = Reply("answer", answer.text, speaker=slug, answer=answer, data={"streamed": self.on_token is not None})
        if self.on_answer:
            self.on_answer(reply)
        return reply

    def _focus_group(self, message: str, slugs: list[str] | None = None) -> list[Reply]:
        replies: list[Reply] = []
        thread = self._thread()

        def keep(slug: str, answer: Answer) -> None:
            thread.append({"persona": slug, "question": message, "answer": answer.text,
                           "evidence": ",".join(answer.evidence), "grounding": answer.grounding})
            replies.append(Reply("answer", answer.text, speaker=slug, answer=answer))
            if self.on_answer:
                self.on_answer(replies[-1])

        group = self.chat.focus_group(message, slugs=slugs, on_answer=keep)
        thread.append({"persona": "@all", "question": message, "answer": group.synthesis,
                       **({"group": ",".join(slugs)} if slugs else {})})
        failed = [Reply("error", f"@{slug} could not answer: {why}") for slug, why in group.failed.items()]
        return [*replies, *failed, Reply("synthesis", group.synthesis)]

    # ---------------------------------------------------------------------------- commands
    def _command(self, line: str) -> list[Reply]:
        name, _, rest = line.partition(" ")
        rest = rest.strip()
        library = self.chat.library
        if name == "/help":
            return [Reply("text", "\n".join(f"{c:28} {h}" for c, h in COMMANDS.items()))]
        if name == "/quit":
            return [Reply("quit", "bye")]
        if name == "/thread":
            if rest:
                file_stem(rest, "thread name")  # refused before the session moves there
            self.thread = rest or None
            turns = len(self._thread().turns)
            return [Reply("text", f"now in {self.where()} ({turns} earlier messages)")]
        if name == "/personas":
            personas = library.all()
            if not personas:
                return [Reply("text", "No personas yet: /draft or `persona generate`.")]
            return [Reply("text", "\n".join(f"@{p.id:20} {p.name} — {p.gist.text}" for p in personas))]
        if name in ("/show", "/sources", "/critique", "/export") and not rest:
            example = (library.slugs() or ["fred"])[0]
            raise PersonaError(f"{name} needs a persona slug", f"e.g. {name} {example}")
        if name == "/show":
            from persona_agent.personas.markdown import persona_markdown

            return [Reply("markdown", persona_markdown(library.get(rest.split()[0])))]
        if name == "/sources":
            persona = library.get(rest.split()[0])
            ids = persona.provenance.evidence_ids if persona.provenance else []
            found = self.chat.store.get(ids)
            lines = [f"[{e.evidence_id}] ({e.kind}, {e.metadata.get('language', '?')}) {e.text[:140]}" for e in found]
            return [Reply("text", "\n".join(lines) or "no evidence recorded")]
        if name == "/export":
            return [self._export(rest)]
        if name == "/objections":
            slug, _, proposal = rest.partition(" ")
            if not proposal:
                raise PersonaError("/objections needs a slug and a proposal", "e.g. /objections fred €9.99/month plan")
            report = self.chat.objections(slug, proposal)
            text = "\n".join(
                f"{i}. [{o.severity}] {o.objection}\n   → {o.suggested_response}  ({', '.join(o.evidence)})"
                for i, o in enumerate(report.objections, start=1))
            return [Reply("text", text, speaker=slug, data=report.model_dump())]
        if name in ("/draft", "/critique", "/revise"):
            return self._generation_command(name, rest)
        raise PersonaError(f"unknown command {name}", "type /help for the list")

    def _export(self, rest: str) -> Reply:
        """A persona as a file to share (`personas.export`: redacted customer words; html is the one-pager)."""
        parts = rest.split()
        fmt = parts[1] if len(parts) > 1 else "md"
        if fmt not in ("md", "json", "html"):
            raise PersonaError(f"/export: unknown format {fmt!r}", "use md, json or html")
        from persona_agent.personas.export import export_personas

        persona = self.chat.library.get(parts[0])
        [written] = export_personas(self.chat.library.folder, [persona.id], fmt,
                                    self.exports_dir or self.chat_dir.parent / "exports", store=self.chat.store,
                                    analysis_dir=self.chat.analysis_dir)
        return Reply("text", f"wrote {written.path}", data={"path": str(written.path)})

    def _generation_command(self, name: str, rest: str) -> list[Reply]:
        from persona_agent.personas.critique import critique_persona
        from persona_agent.personas.edit import revise_with_instruction
        from persona_agent.personas.generate import generate_personas
        from persona_agent.personas.plan import plan_targets

        if self.generator_factory is None:
            raise PersonaError(f"{name} is not available here", "use `persona chat`")
        generator = self.generator_factory()
        analysis_dir = self.chat.analysis_dir or Path(".")
        if name == "/draft":
            targets = plan_targets(generator.store, analysis_dir, count=1, segment=rest or None)
            if not targets:
                raise PersonaError("no segments to draft from", "run `persona analyze FOLDER` first")
            generator._done.extend(self.chat.library.all())
            report = generate_personas(generator, targets, concurrency=1)
            outcome = report.outcomes[0]
            if outcome.persona is None:
                return [Reply("error", f"draft failed: {outcome.error}")]
            p = outcome.persona
            issues = len(p.provenance.open_issues) if p.provenance else 0
            return [Reply("text", f"drafted @{p.id} ({p.name}) for {outcome.target.key}: "
                                  f"{outcome.cited_share * 100:.0f} % of claims cited, {issues} open issues")]
        slug, _, instruction = rest.partition(" ")
        persona = self.chat.library.get(slug)
        if name == "/critique":
            others = [p for p in self.chat.library.all() if p.id != persona.id]
            findings = critique_persona(generator, persona, analysis_dir, others)
            lines = [f"- [{f.source}:{f.check}] {f.path}: {f.problem}" for f in findings]
            return [Reply("text", "\n".join(lines) or f"@{persona.id}: no problems found")]
        if not instruction:
            raise PersonaError("/revise needs a slug and an instruction",
                               "e.g. /revise fred make him more price-sensitive")
        generator._done.extend(self.chat.library.all())
        result = revise_with_instruction(generator, persona, instruction, analysis_dir)
        if result.persona is None:
            return [Reply("error", "revision refused, it would not be backed by evidence:\n"
                                   + "\n".join(f"- {r}" for r in result.refused_because))]
        return [Reply("text", f"revised @{persona.id}: {result.persona.gist.text}")]
