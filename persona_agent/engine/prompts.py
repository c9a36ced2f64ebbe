"""Prompt templates live as files (``prompts/<step>.<role>.md``), rendered strictly.

A missing variable is an error (Jinja2 `StrictUndefined`), and every prompt has a content hash so
outputs can record exactly which prompt version produced them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from persona_agent.core.errors import PersonaError
from persona_agent.core.resources import prompts_dir


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str

    @property
    def version(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:12]

    def render(self, **variables: object) -> str:
        from jinja2 import Environment, StrictUndefined, UndefinedError

        env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
        try:
            return env.from_string(self.text).render(**variables)
        except UndefinedError as exc:
            raise PersonaError(f"prompt {self.name}: {exc.message}", "pass every variable the template uses") from None


@lru_cache(maxsize=64)
def load_prompt(name: str) -> Prompt:
    path = prompts_dir() / f"{name}.md"
    if not path.is_file():
        raise PersonaError(f"prompt {name}: no file {path}", "reinstall persona-agent")
    return Prompt(name=name, text=path.read_text(encoding="utf-8"))
