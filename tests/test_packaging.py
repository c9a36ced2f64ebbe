"""A built wheel carries what lives outside the package in a checkout (prompts, the sample) and the
package data (the name lists PII detection reads, the web workspace's templates and static files, the
one-pager's template)."""

import subprocess
import sys
import zipfile

from tests.conftest import REPO


def test_wheel_ships_prompts_sample_research_and_the_console_script(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("persona_agent-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    prompts = {p.name for p in (REPO / "prompts").glob("*.md")}
    assert prompts <= {n.rsplit("/", 1)[-1] for n in names if n.startswith("persona_agent/prompts/")}
    assert any(n.startswith("persona_agent/sample_knowledge/survey/") for n in names)
    name_lists = {p.name for p in (REPO / "persona_agent" / "core" / "names").glob("*.txt")}
    assert name_lists and name_lists <= {n.rsplit("/", 1)[-1] for n in names
                                         if n.startswith("persona_agent/core/names/")}
    web = {p.relative_to(REPO).as_posix() for p in (REPO / "persona_agent" / "web").rglob("*")
           if p.suffix in (".html", ".js", ".css", ".svg")}
    assert {"persona_agent/web/templates/base.html", "persona_agent/web/static/app.js"} <= web <= set(names)
    templates = {f"persona_agent/personas/templates/onepager.{suffix}" for suffix in ("html.j2", "css")}
    assert templates <= set(names)  # the one-pager's template and style
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "persona = persona_agent.cli:main" in entry_points
