"""Benchmark the analysis stage: RFM + ABC/XYZ + Pareto on 1,000,000 synthetic transactions and
survey segmentation on 50,000 respondents. Prints seconds and peak memory; asserts nothing.

    python benchmarks/analyze.py                 # every part, each in a fresh process
    python benchmarks/analyze.py --part survey   # one part

Goal for the 1M transactions: under 10 s and 2 GiB. Each part runs in its own process so its peak
resident memory (ru_maxrss, which includes the interpreter and libraries) is its own.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from persona_agent.analysis.analyze import (  # noqa: E402
    abc_xyz,
    customer_table,
    normalize_transactions,
    pareto,
    rfm,
    segment_survey,
)

T = TypeVar("T")
TRANSACTIONS = 1_000_000
CUSTOMERS = 100_000
RESPONDENTS = 50_000


def synthetic_transactions(as_text: bool, seed: int = 0) -> pd.DataFrame:
    """Skewed activity (a few heavy buyers), 3 years of dates, log-normal amounts, 1 % returns."""
    rng = np.random.default_rng(seed)
    activity = rng.lognormal(0.0, 1.2, CUSTOMERS)
    customers = rng.choice(CUSTOMERS, TRANSACTIONS, p=activity / activity.sum())
    days = rng.integers(0, 3 * 365, TRANSACTIONS)
    amounts = np.round(rng.lognormal(3.5, 0.8, TRANSACTIONS), 2)
    amounts[rng.random(TRANSACTIONS) < 0.01] *= -1
    dates = pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")
    frame = pd.DataFrame({
        "order_id": np.arange(TRANSACTIONS).astype(str),
        "customer_id": np.char.add("C", customers.astype(str)),
        "order_date": dates,
        "amount_eur": amounts,
    })
    if as_text:  # what a European CSV export looks like before parsing
        frame["order_date"] = dates.strftime("%d.%m.%Y")
        whole = np.abs(amounts).astype("int64")
        cents = np.round((np.abs(amounts) - whole) * 100).astype("int64")
        sign = np.where(amounts < 0, "-", "")
        frame["amount_eur"] = pd.Series(sign).str.cat(
            [pd.Series(["€"] * TRANSACTIONS), pd.Series(whole.astype(str)),
             pd.Series([","] * TRANSACTIONS), pd.Series(cents.astype(str)).str.zfill(2)])
    return frame


def synthetic_survey(seed: int = 0) -> pd.DataFrame:
    """Five planted segments over 12 choice questions, 3 ratings and 2 demographic questions."""
    rng = np.random.default_rng(seed)
    segment = rng.integers(0, 5, RESPONDENTS)
    answers: dict[str, object] = {}
    for question in range(12):
        preferred = (segment + question) % 5
        picked = np.where(rng.random(RESPONDENTS) < 0.7, preferred, rng.integers(0, 5, RESPONDENTS))
        answers[f"Question {question}?"] = np.char.add("option ", picked.astype(str))
    for rating in range(3):
        answers[f"Rating {rating} (1-5)"] = np.clip(1 + segment + rng.integers(-1, 2, RESPONDENTS), 1, 5)
    answers["Age band"] = rng.choice(["18-24", "25-34", "35-44", "45-54", "55+"], RESPONDENTS)
    answers["Gender"] = rng.choice(["Female", "Male"], RESPONDENTS)
    return pd.DataFrame(answers, index=[f"R{i:06d}" for i in range(RESPONDENTS)])


def resident_mib() -> float:
    """Current resident memory (Linux), to show how much of the peak the input data takes."""
    status = Path("/proc/self/status")
    if not status.exists():
        return float("nan")
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def timed(label: str, step: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = step()
    print(f"  {label:<28} {time.perf_counter() - started:7.2f} s")
    return result


def run_transactions(as_text: bool) -> None:
    raw = synthetic_transactions(as_text)
    kind = "text amounts/dates" if as_text else "numeric amounts, datetime dates"
    print(f"{TRANSACTIONS:,} transactions, {raw['customer_id'].nunique():,} customers ({kind}); "
          f"resident with the input built: {resident_mib():,.0f} MiB")
    started = time.perf_counter()
    tx, report = timed("normalize_transactions", lambda: normalize_transactions(raw, "synthetic"))
    table = timed("customer_table (shared)", lambda: customer_table(tx))
    timed("rfm", lambda: rfm(tx, customers=table))
    cells = timed("abc_xyz", lambda: abc_xyz(tx, customers=table))
    timed("pareto", lambda: pareto(tx, customers=table))
    total = time.perf_counter() - started
    print(f"  {'total':<28} {total:7.2f} s   rows kept {report.rows_kept:,}, "
          f"XYZ applied: {cells.xyz_applied}")


def run_survey() -> None:
    survey = synthetic_survey()
    print(f"{RESPONDENTS:,} respondents, {survey.shape[1]} closed questions, k range 2–6; "
          f"resident with the input built: {resident_mib():,.0f} MiB")
    result = timed("segment_survey", lambda: segment_survey(survey))
    print(f"  chose k = {result.k} by silhouette {result.k_scores}")


PARTS = {
    "transactions": lambda: run_transactions(as_text=False),
    "text-transactions": lambda: run_transactions(as_text=True),
    "survey": run_survey,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(PARTS))
    part = parser.parse_args().part
    if part is None:
        for name in PARTS:
            subprocess.run([sys.executable, __file__, "--part", name], check=True)
        return
    PARTS[part]()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"  peak resident memory {peak_mib:,.0f} MiB (whole process, data generation included)")


if __name__ == "__main__":
    main()
