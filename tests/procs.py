"""Second processes for the two-processes-at-once tests: `python tests/procs.py ROLE ARGS…`.

Each role opens its own store over ``HOME`` (deterministic test embedder) and reports as JSON on
stdout or in a file. Synchronisation is through files, polled: no timed assertions."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from persona_agent.core.config import load_settings  # noqa: E402
from persona_agent.engine.store import open_store  # noqa: E402
from persona_agent.testing import HashEmbeddings  # noqa: E402


def wait_for(path: Path, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.02)


def store(home: str):
    return open_store(load_settings(home=Path(home), lock_timeout=120), HashEmbeddings())


def ingest(home: str, folder: str) -> None:
    from persona_agent.research.ingest import ingest_folder

    report = ingest_folder(Path(folder), store(home))
    print(json.dumps({"ok": report.files_ok, "failed": report.files_failed, "embedded": report.chunks_embedded}))


def long_reader(home: str, word: str, go: str, out: str) -> None:
    """Open the store once and keep answering (search, get) until ``go`` exists — other processes
    ingest meanwhile — then search for ``word`` again with the same, long-lived store."""
    evidence = store(home)
    before = [hit.evidence.text for hit in evidence.search(word, k=3)]
    Path(out + ".ready").touch()
    done = errors = 0
    problems: list[str] = []
    while not Path(go).exists() or done == 0:
        try:
            evidence.search("shipping price", k=5)
            evidence.get(list(evidence.metadata_where())[:5])
            done += 1
        except Exception as exc:  # reported, not raised: the test asserts there were none
            errors += 1
            problems.append(f"{type(exc).__name__}: {exc}"[:300])
    # filtered to the new file: an index that has not seen its vector returns nothing (an unfiltered
    # approximate search over many near-identical test vectors could miss it either way)
    after = [hit.evidence.text for hit in evidence.search(word, k=3, where={"source": "new.md"})]
    Path(out).write_text(json.dumps({"before": before, "after": after, "operations": done, "errors": errors,
                                     "problems": problems[:5], "reopened": evidence.connection.reopened}))


def hold_write(home: str, ready: str, release: str) -> None:
    from persona_agent.engine.store import home_lock

    with home_lock(load_settings(home=Path(home))).write("test holding the lock"):
        Path(ready).touch()
        wait_for(Path(release))


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    {"ingest": ingest, "long-reader": long_reader, "hold-write": hold_write}[role](*args)
