"""The package layout guards itself: stages import only downwards, no module cycles, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "persona_agent"
# What each top-level package may import (besides itself). Interfaces on top, core at the bottom.
ALLOWED = {
    "core": set(),
    "engine": {"core"},
    "research": {"engine", "core"},
    "analysis": {"research", "engine", "core"},
    "personas": {"analysis", "research", "engine", "core"},
    "talk": {"personas", "analysis", "research", "engine", "core"},
    "workflows": {"talk", "personas", "analysis", "research", "engine", "core"},
    "slack": {"workflows", "talk", "personas", "analysis", "research", "engine", "core"},
    "web": {"workflows", "talk", "personas", "analysis", "research", "engine", "core"},
    "cli": {"web", "slack", "workflows", "talk", "personas", "analysis", "research", "engine", "core"},
    "testing": {"engine", "core"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every persona_agent module this file imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("persona_agent.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("persona_agent"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = {t for t in imports_of(path) if t in modules and t != name}
        edges[name] = {t for t in targets if not name.startswith(t + ".")}  # a package's own __init__
    return edges


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_stage_imports_only_the_layers_below_it():
    wrong = [f"{a} imports {b}" for a, targets in graph().items() for b in targets
             if layer(a) and layer(b) and layer(a) != layer(b) and layer(b) not in ALLOWED[layer(a)]]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles_between_modules():
    edges = graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target] if target in path else [node, target])
            elif not state.get(target):
                visit(target, [*path, target])
        state[node] = 2

    for start in sorted(edges):
        if not state.get(start):
            visit(start, [start])
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_cycle_check_can_fail():
    """The checker itself finds a planted cycle (so a green run means something)."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    seen: set[str] = set()

    def has_cycle(node: str, stack: tuple[str, ...]) -> bool:
        if node in stack:
            return True
        if node in seen:
            return False
        seen.add(node)
        return any(has_cycle(t, (*stack, node)) for t in edges[node])

    assert has_cycle("a", ())


def test_every_package_says_what_it_owns():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc.lower(), f"{init.relative_to(REPO)}: say what it owns and may import"


def test_modules_stay_readable():
    long = [f"{p.relative_to(REPO)}: {n} lines" for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420]
    assert not long, "modules past the ~400-line guide:\n" + "\n".join(long)
