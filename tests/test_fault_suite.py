"""The fault-injection suite (tests/fault_suite.py) against a fake OpenAI-compatible server: every
run completes, failed personas and files are recovered, nothing is lost or half-written, the store
is consistent. Run with ``-s`` to see the figures (or ``python benchmarks/faults.py``)."""

from __future__ import annotations

from tests.fault_suite import ALL_FAULTS, run_suite


def test_faults_fail_one_thing_never_the_run(tmp_path, capsys):
    report = run_suite(tmp_path, wait_scale=0.1)
    with capsys.disabled():
        print("\n" + "\n".join(report.lines()))
    assert report.runs_completed == len(report.runs) == 6, report.runs
    served = {kind for (_, kind) in report.faults_served}
    assert ALL_FAULTS <= served, served  # every kind of fault was really injected
    assert report.personas_failed_first_run and "context window" in " ".join(report.personas_failed_first_run)
    assert report.personas_recovered == len(report.personas_failed_first_run)
    assert report.personas_final == report.personas_planned == 4
    assert len(report.files_failed_first_ingest) == 1  # the outage cost one file, and the re-run stored it
    assert report.files_lost == [] and report.files_half_written == []
    assert report.store_consistent and report.store_files == report.research_files
    assert sum(stats["retries"] for stats in report.retries.values()) >= 8
