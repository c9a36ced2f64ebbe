"""Median wall time of `persona --help` over 10 runs (target: <= 0.3 s). Prints figures only."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

RUNS = 10


def main() -> None:
    exe = shutil.which("persona")
    command = [exe, "--help"] if exe else [sys.executable, "-m", "persona_agent.cli", "--help"]
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    print(f"persona --help: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s over {RUNS} runs")


if __name__ == "__main__":
    main()
