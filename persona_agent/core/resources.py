"""Files that ship with the package: prompt templates and the sample research folder.

In a built wheel they are package data (``persona_agent/prompts``, ``persona_agent/sample_knowledge``,
mapped in by the build); in a source checkout or editable install they sit at the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # persona_agent/


def _packaged_or_root(packaged: str, root: str) -> Path:
    inside = _PACKAGE / packaged
    return inside if inside.is_dir() else _PACKAGE.parent / root


def prompts_dir() -> Path:
    return _packaged_or_root("prompts", "prompts")


def sample_knowledge_dir() -> Path:
    return _packaged_or_root("sample_knowledge", "knowledge")
