"""Progress in a real pseudo-terminal (pexpect): during `persona generate` with a fake model that
streams slowly, the terminal shows the persona, its stage, tokens/s and the ETA; without a terminal
the same run logs plain lines."""

from __future__ import annotations

import os
import subprocess
import sys

import pexpect

from tests.conftest import REPO
from tests.helpers import prepare_research

SCRIPT = str(REPO / "tests" / "progress_cli.py")


def test_generate_shows_stage_tokens_per_second_and_eta_in_a_terminal(tmp_path):
    prepare_research(tmp_path / "home")  # ingested and analysed with the test embedder
    env = {**os.environ, "PERSONA_HOME": str(tmp_path / "home"), "COLUMNS": "160", "TERM": "xterm",
           "FAKE_TOKEN_DELAY": "0.03"}
    child = pexpect.spawn(sys.executable, [SCRIPT, "generate", "--count", "1", "--max-rounds", "1",
                                           "--out", str(tmp_path / "personas")],
                          env=env, encoding="utf-8", timeout=120, dimensions=(40, 160), cwd=str(REPO))
    try:
        child.expect(r"segment:S\d+ · draft (identity|goals)")  # persona · stage
        child.expect(r"\d+ tokens at [\d.]+ tokens/s")  # tokens of the call in progress, live
        child.expect(r"ETA \d+ (s|min)")  # from the speed measured so far
        child.expect(r"draft (pains|objections|journey)")  # later stages follow
        child.expect("LLM calls in", timeout=300)  # the summary after the run
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before


def test_without_a_terminal_progress_is_plain_lines(tmp_path):
    prepare_research(tmp_path / "home")
    env = {**os.environ, "PERSONA_HOME": str(tmp_path / "home"), "COLUMNS": "120", "FAKE_TOKEN_DELAY": "0.001"}
    done = subprocess.run([sys.executable, SCRIPT, "generate", "--count", "1", "--max-rounds", "1",
                           "--out", str(tmp_path / "personas")], capture_output=True, text=True, env=env,
                          timeout=300, cwd=str(REPO))
    assert done.returncode == 0, done.stderr[-2000:]
    log = done.stderr
    assert "\x1b[" not in log  # no terminal control sequences
    assert "== generate" in log
    assert "draft goals" in log and "prompt tokens" in log and "generated in" in log
    assert "personas: segment:S" in log


def test_chat_in_a_terminal_says_tokens_per_second_of_each_reply(tmp_path):
    prepare_research(tmp_path / "home")
    env = {**os.environ, "PERSONA_HOME": str(tmp_path / "home"), "COLUMNS": "160", "TERM": "xterm",
           "FAKE_TOKEN_DELAY": "0.001"}
    personas = str(tmp_path / "personas")
    made = subprocess.run([sys.executable, SCRIPT, "generate", "--count", "1", "--max-rounds", "1", "--out", personas],
                          capture_output=True, text=True, env=env, timeout=300, cwd=str(REPO))
    assert made.returncode == 0, made.stderr[-2000:]
    script = tmp_path / "questions.txt"
    script.write_text("@frugal-fred What would stop you from ordering again?\n/quit\n", encoding="utf-8")
    env["FAKE_TOKEN_DELAY"] = "0.02"
    child = pexpect.spawn(sys.executable, [SCRIPT, "chat", "--script", str(script), "--personas", personas],
                          env=env, encoding="utf-8", timeout=120, dimensions=(40, 160), cwd=str(REPO))
    try:
        child.expect(r"@frugal-fred")
        child.expect(r"\d+ tokens in [\d.]+ s \([\d.]+ tokens/s\)")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
