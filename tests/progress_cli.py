"""`persona …` with a slowly streaming fake model and the test embedder: the CLI process a
pseudo-terminal test drives (`test_progress_terminal.py`). Usage: python tests/progress_cli.py ARGS…"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import persona_agent.engine.embeddings  # noqa: E402
import persona_agent.engine.llm  # noqa: E402
from persona_agent.cli import app  # noqa: E402
from persona_agent.testing import HashEmbeddings, StreamingEchoChatModel  # noqa: E402

fake = StreamingEchoChatModel(names=["Frugal Fred", "Gourmet Greta"],
                              token_delay=float(os.environ.get("FAKE_TOKEN_DELAY", "0.03")))
persona_agent.engine.llm.make_chat_model = lambda *a, **k: fake  # type: ignore[assignment]
persona_agent.engine.embeddings.make_embeddings = lambda *a, **k: HashEmbeddings()  # type: ignore[assignment]

if __name__ == "__main__":
    app(sys.argv[1:])
