"""Re-ground the answers of a chat benchmark run with the grounding rules of the code now, without a model.

`benchmarks/chat_quality.py` takes about an hour on the local 1.5B; most changes to the grounding rules
(`talk.evidence`, `PersonaChat.ground`) can be judged in a minute on the answers it wrote: each answer of
``<work>/chat_quality.json`` is grounded again, as first answered (its cited ids, or none), against the lines
offered now, and the verdicts that differ from the run are listed. It does not replay the fallbacks (asked once
more, restated): an answer that would now be grounded where the run asked again shows as credited, and one the
run got from a fallback is judged as if it were the first answer (a restatement credited to a stat it names,
`states_stat`, shows as lost). A full run of chat_quality.py decides. On the 2026-12-03 run before the copied-words
rule it predicted the two answers the rule gained in the next full run, and no other change.

    python benchmarks/chat_reground.py --work /tmp/persona-bench      # after chat_quality.py --work there
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.grounding import homes  # noqa: E402
from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.talk.chat import PersonaChat, PersonaLibrary  # noqa: E402
from persona_agent.talk.models import Answer  # noqa: E402
from persona_agent.workflows.run import prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/persona-bench"))
    parser.add_argument("--personas-from", type=Path, default=None,
                        help="the folder given to chat_quality.py --personas-from, if any")
    args = parser.parse_args()
    rows = json.loads((args.work / "chat_quality.json").read_text(encoding="utf-8"))
    now: dict[tuple[str, str], bool] = {}
    for name, (_folder, home) in homes(args.work).items():
        mine = [row for row in rows if row["folder"] == name]
        if not mine:
            continue
        settings = load_settings(home=home)
        store = prepare(settings, None).store
        personas = (args.personas_from / name) if args.personas_from else args.work / f"chat-personas-{name}"
        chat = PersonaChat(llm=None, store=store, library=PersonaLibrary(personas),  # type: ignore[arg-type]
                           analysis_dir=settings.analysis_dir)
        for row in mine:
            offered = chat.research.offer(chat.library.get(row["slug"]), row["question"], k=chat.k)
            said = Answer(text=row["text"], evidence=row["evidence"],
                          grounding="cited" if row["evidence"] else "extrapolated")
            grounded = chat.ground(row["question"], said, offered)
            now[row["id"], row["slug"]] = cited = grounded.grounding == "cited"
            if cited != row["cited"]:
                print(f"{row['id']} @{row['slug']} ({'covered' if row['covered'] else 'NOT covered'}): "
                      f"{'cited' if row['cited'] else 'extrapolated'} → {'cited' if cited else 'extrapolated'} "
                      f"{grounded.evidence[:3]}\n    A: {row['text'][:200]}", flush=True)
    for label, covered in (("covered questions cited", True), ("uncovered questions cited", False)):
        picked = [row for row in rows if row["covered"] is covered]
        print(f"{label}: run {sum(row['cited'] for row in picked)}/{len(picked)}, "
              f"now {sum(now.get((row['id'], row['slug']), False) for row in picked)}/{len(picked)}")


if __name__ == "__main__":
    main()
