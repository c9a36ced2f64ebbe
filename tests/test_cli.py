import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from persona_agent.cli import app
from tests.conftest import REPO

runner = CliRunner()


def test_every_command_and_option_has_help():
    command = typer.main.get_command(app)
    for name, sub in command.commands.items():
        assert sub.help, f"command {name} has no help"
        for param in sub.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help, f"{name} --{param.name} has no help"


def test_help_imports_no_heavy_library():
    code = (
        "import sys; from persona_agent.cli import app\n"
        "from typer.testing import CliRunner\n"
        "CliRunner().invoke(app, ['--help'])\n"
        "heavy = [m for m in ('langchain_core', 'chromadb', 'pandas', 'torch', 'llama_cpp', 'numpy', 'starlette', "
        "'uvicorn', 'jinja2') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_root_shim_runs_the_cli():
    result = subprocess.run([sys.executable, str(REPO / "cli.py"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "ingest" in result.stdout


@pytest.mark.parametrize(
    ("env", "args", "named"),
    [
        ({"PERSONA_LLM": "gpt"}, ["doctor"], "PERSONA_LLM"),
        ({"PERSONA_CHROMA_URL": "http://127.0.0.1:9"}, ["sources"], "PERSONA_CHROMA_URL"),
        ({}, ["--home", "/dev/null/home", "sources"], "PERSONA_HOME"),
        ({"PERSONA_LLM": "openai"}, ["demo"], "OPENAI_API_KEY"),
    ],
)
def test_bad_settings_give_one_line_and_exit_2(monkeypatch, env, args, named):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_doctor_reports_a_failing_backend_with_a_fix(monkeypatch):
    monkeypatch.setenv("PERSONA_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("PERSONA_MAX_RETRIES", "0")
    monkeypatch.setenv("PERSONA_TIMEOUT", "3")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 2
    assert "ok   embedder" in result.output and "ok   chroma" in result.output
    assert "FAIL llm" in result.output and "fix:" in result.output
