"""The fault-injection suite's figures, with the real retry policy (waits not scaled down).

A fake OpenAI-compatible server on 127.0.0.1 answers 429 with Retry-After, 500, hangs past the
timeout, truncates JSON, returns empty content and refuses a prompt over the context, then recovers,
while ingest (OpenAI embeddings), generate (4 personas, then --resume), ask and a scripted chat run
through it. Prints runs completed, personas recovered, files lost or half-written, store consistency
and the time spent in retries.

    python benchmarks/faults.py
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fault_suite import run_suite  # noqa: E402


def main() -> None:
    logging.basicConfig(level=logging.CRITICAL)  # the suite's retries would otherwise log every fault
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        report = run_suite(Path(tmp))
    print("\n".join(report.lines()))
    print(f"suite wall time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
