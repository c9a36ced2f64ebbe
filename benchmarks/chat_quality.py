"""Do personas answer from their research, and admit it when the research is silent?

The committed question set (tests/data/chat_questions.jsonl: 28 questions the research of knowledge/
or research B answers, 12 it does not, in seven languages; some to the focus group) is asked of the
persona of each question's planted segment. A covered question should be answered ``cited`` — with
evidence that supports the answer, from the persona's segment — and an uncovered one must stay
``extrapolated``. Targets (issue 9): ≥ 80 % of covered answered with valid evidence, 100 % of
uncovered marked extrapolated.

    python benchmarks/chat_quality.py                        # the local model (PERSONA_MODEL)
    python benchmarks/chat_quality.py --llm openai           # any OpenAI-compatible server (OPENAI_BASE_URL)
    python benchmarks/chat_quality.py --personas-from DIR    # reuse personas written by a real run
    python benchmarks/chat_quality.py --only chat-fb-11 chat-hh-07   # a subset of the questions

Personas are written with the brief-echoing test model unless ``--personas-from`` is given: the
answers come from the real chat model either way, from the persona's card and its segment's research.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.grounding import homes  # noqa: E402
from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.engine.llm import make_chat_model  # noqa: E402
from persona_agent.personas.generate import Generator, generate_personas  # noqa: E402
from persona_agent.personas.plan import plan_targets  # noqa: E402
from persona_agent.talk.chat import PersonaChat, PersonaLibrary  # noqa: E402
from persona_agent.testing import BriefEchoChatModel  # noqa: E402
from persona_agent.workflows.run import prepare  # noqa: E402
from tests.evalsets import Resolver, load_questions  # noqa: E402


def personas_for(name: str, home: Path, work: Path, store, settings) -> Path:
    folder = work / f"chat-personas-{name}"
    if not any(folder.glob("*.json")):
        generator = Generator(llm=BriefEchoChatModel(), store=store, out_dir=folder, analysis_dir=settings.analysis_dir,
                              model_name="echo", check_support=False)
        generate_personas(generator, plan_targets(store, settings.analysis_dir), concurrency=1)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/persona-bench"))
    parser.add_argument("--llm", default=None, help="local (default) or openai")
    parser.add_argument("--model", default=None)
    parser.add_argument("--personas-from", type=Path, default=None,
                        help="a folder with <folder name>/ subfolders of persona JSON files")
    parser.add_argument("--only", nargs="+", default=None, metavar="ID",
                        help="ask only these questions (ids of tests/data/chat_questions.jsonl); the figures are "
                             "then of that subset, written to chat_quality-subset.json")
    args = parser.parse_args()
    rows = []
    for name, (folder, home) in homes(args.work).items():
        settings = load_settings(home=home, **{k: v for k, v in (("llm", args.llm), ("model", args.model)) if v})
        store = prepare(settings, None).store
        personas_dir = (args.personas_from / name) if args.personas_from else personas_for(name, home, args.work,
                                                                                            store, settings)
        library = PersonaLibrary(personas_dir)
        by_segment = {p.segment.segment_id: p.id for p in library.all()}
        resolver = Resolver(folder, settings.analysis_dir)
        chat = PersonaChat(llm=make_chat_model(settings), store=store, library=library,
                           analysis_dir=settings.analysis_dir)
        for question in (q for q in load_questions() if q.folder == name and (not args.only or q.id in args.only)):
            started = time.perf_counter()
            if question.persona == "@all":
                group = chat.focus_group(question.question)
                answers = list(group.answers.items())
            else:
                slug = by_segment.get(f"segment:{resolver.segment_id(question.planted_segment)}")
                if slug is None:
                    print(f"{question.id}: no persona for {question.planted_segment}")
                    continue
                answers = [(slug, chat.ask(slug, question.question))]
            seconds = time.perf_counter() - started
            for slug, answer in answers:
                rows.append({"id": question.id, "folder": name, "language": question.language,
                             "question": question.question,
                             "covered": question.covered, "cited": answer.grounding == "cited", "slug": slug,
                             "evidence": answer.evidence, "text": answer.text, "seconds": seconds})
                mark = "cited" if answer.grounding == "cited" else "extrapolated"
                print(f"{question.id} [{question.language}] {'covered' if question.covered else 'NOT covered'} "
                      f"@{slug}: {mark} {answer.evidence[:3]}\n    Q: {question.question}\n    A: {answer.text[:300]}",
                      flush=True)
    covered = [r for r in rows if r["covered"]]
    silent = [r for r in rows if not r["covered"]]
    print(f"\ncovered questions answered from the research: {sum(r['cited'] for r in covered)}/{len(covered)} "
          f"({sum(r['cited'] for r in covered) / max(1, len(covered)) * 100:.0f} %; target ≥ 80 %)")
    print(f"uncovered questions marked extrapolated: {sum(not r['cited'] for r in silent)}/{len(silent)} "
          f"({sum(not r['cited'] for r in silent) / max(1, len(silent)) * 100:.0f} %; target 100 %)")
    by: dict[str, list[bool]] = defaultdict(list)
    for r in covered:
        by[f"{r['folder']}/{r['language']}"].append(r["cited"])
    print("covered, by folder/language: " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by.items())))
    out = args.work / ("chat_quality-subset.json" if args.only else "chat_quality.json")
    out.write_text(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
