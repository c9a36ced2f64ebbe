"""Two processes at once on one PERSONA_HOME, with real second processes (tests/procs.py): concurrent
ingests end consistent, an ingest runs while a reader answers, a long-running reader sees another
process's new chunks, and a busy home is one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from persona_agent.core.config import load_settings
from persona_agent.core.errors import BusyError
from persona_agent.engine.store import EvidenceStore, open_store
from persona_agent.testing import HashEmbeddings
from tests.conftest import REPO

PROCS = str(REPO / "tests" / "procs.py")


def spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, PROCS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-3000:]
    return out


def wait_for(path: Path, process: subprocess.Popen) -> None:
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(process.stderr.read()[-3000:] if process.stderr else "process ended")
        time.sleep(0.02)  # polling: nothing is asserted about time


def interviews(folder: Path, name: str, count: int, words: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        turns = "\n".join(f"Interviewer: Question {t}?\nCustomer: {name}{n} answer {t} about shipping {words}"
                          for t in range(12))
        (folder / f"{name}-{n}.md").write_text(f"# {name} {n}\n\n{turns}\n", encoding="utf-8")
    return folder


def consistent(store: EvidenceStore) -> dict[str, int]:
    """source → chunks; every file's chunks complete (one signature, as many as the file has)."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for meta in store.metadata_where().values():
        by_source[str(meta["source"])].append(meta)
    for source, metas in by_source.items():
        assert len({m["ingest_signature"] for m in metas}) == 1, source
        assert {m["file_chunks"] for m in metas} == {len(metas)}, source
    return {source: len(metas) for source, metas in by_source.items()}


def reopen(home: Path) -> EvidenceStore:
    return open_store(load_settings(home=home), HashEmbeddings())


def test_two_ingests_and_a_long_running_reader_at_once(tmp_path):
    """Two ingests run concurrently while a third process, its store opened before them, keeps
    answering: no errors, the store ends consistent, and the reader sees the new chunks."""
    home = tmp_path / "home"
    from persona_agent.research.ingest import ingest_folder

    ingest_folder(interviews(tmp_path / "a", "alpha", 3), reopen(home))  # what the reader starts with
    go, out = tmp_path / "go", tmp_path / "reader.json"
    reader = spawn("long-reader", str(home), "zanzibar marmalade subscription", str(go), str(out))
    wait_for(Path(str(out) + ".ready"), reader)  # its store is open and has answered once
    second = interviews(tmp_path / "b", "beta", 6)
    third = interviews(tmp_path / "c", "gamma", 6)
    (third / "new.md").write_text("# new\n\nCustomer: I would love a zanzibar marmalade subscription.\n")
    runs = [spawn("ingest", str(home), str(second)), spawn("ingest", str(home), str(third))]
    reports = [json.loads(finish(run)) for run in runs]  # not blocked by the reader's open store
    go.touch()
    finish(reader)
    assert [r["ok"] for r in reports] == [6, 7] and all(not r["failed"] for r in reports)
    chunks = consistent(reopen(home))
    assert len(chunks) == 16 and reopen(home).search("beta3", k=1)[0].evidence.source == "beta-3.md"
    seen = json.loads(out.read_text())
    assert seen["errors"] == 0 and seen["operations"] > 0, seen["problems"]
    assert not any("zanzibar" in text for text in seen["before"])
    assert "zanzibar marmalade" in seen["after"][0], seen  # the same long-lived store, opened before the ingests
    assert seen["reopened"] >= 1


def test_a_busy_home_is_one_clear_line(tmp_path, monkeypatch):
    from persona_agent.cli import app

    home = tmp_path / "home"
    ready, release = tmp_path / "ready", tmp_path / "release"
    holder = spawn("hold-write", str(home), str(ready), str(release))
    try:
        wait_for(ready, holder)
        with pytest.raises(BusyError, match="is busy"):
            open_store(load_settings(home=home, lock_timeout=0.2), HashEmbeddings())
        folder = interviews(tmp_path / "a", "alpha", 1)
        monkeypatch.setenv("PERSONA_LOCK_TIMEOUT", "0.2")
        result = CliRunner().invoke(app, ["--home", str(home), "ingest", str(folder)], env={"COLUMNS": "250"})
        assert result.exit_code == 2
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "is busy" in lines[0] and "try again" in lines[0], result.output
    finally:
        release.touch()
        finish(holder)
    assert reopen(home).count() == 0  # and once it is free, it opens
