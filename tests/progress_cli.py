"""`persona …` with a slowly streaming fake model and the test embedder: the CLI process a
pseudo-terminal test drives (`test_progress_terminal.py`). Usage: python tests/progress_cli.py ARGS…"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import persona_agent.engine.embeddings  # noqa: E402
import persona_agent.engine.llm  # noqa: E402
from persona_agent.cli import app  # noqa: E402
from persona_agent.testing import HashEmbeddings, StreamingEchoChatModel  # noqa: E402


class Fake(StreamingEchoChatModel):
    """Writes personas from their briefs; answers chat questions (no brief in the prompt) in a sentence."""

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: ANN001, ANN201
        if not any(re.search(r"^E\d+ ", m.text, re.MULTILINE) for m in messages):
            self.queue("Shipping costs more than the beans, so I wait for a sale.\nEvidence: none")
        return super()._generate(messages, stop, run_manager, **kwargs)


fake = Fake(names=["Frugal Fred", "Gourmet Greta"], token_delay=float(os.environ.get("FAKE_TOKEN_DELAY", "0.03")))
persona_agent.engine.llm.make_chat_model = lambda *a, **k: fake  # type: ignore[assignment]
persona_agent.engine.embeddings.make_embeddings = lambda *a, **k: HashEmbeddings()  # type: ignore[assignment]

if __name__ == "__main__":
    app(sys.argv[1:])
