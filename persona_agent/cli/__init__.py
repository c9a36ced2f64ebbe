"""cli — the `persona` command: Typer commands split by group (research, personas, talk, system);
each parses, calls one library function and renders. May import every other package; nothing
imports it. Importing it loads no heavy library (langchain, chromadb, pandas, llama_cpp).
"""

from persona_agent.cli import evolve, personas, research, system, talk  # noqa: F401  (registers the commands)
from persona_agent.cli.app import app, main

__all__ = ["app", "main"]
