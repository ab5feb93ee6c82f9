"""`obsgen check-metrics` on an exporter whose histogram lacks the bucket an SLO reads."""

from __future__ import annotations

import re

import pytest

from conftest import run_obsgen
from obsgen.live.check_metrics import ERROR, check, parse_dump
from obsgen.live.simulator import Simulation

HISTOGRAM = "bondx_http_request_duration_seconds_bucket"  # api-latency: 95% within 100 ms


@pytest.fixture(scope="module")
def bondx(systems) -> tuple[Simulation, str]:
    """bondx simulated, and its exporters' exposition: built once for the module's tests (which only read them)."""
    sim = Simulation(next(s for s in systems if s.system.name == "bondx"))
    return sim, b"".join(sim.exposition(job) for job in sim.jobs()).decode()


def test_a_histogram_without_the_slos_bucket_is_an_error(bondx, tmp_path):
    sim, dump = bondx
    assert [f for f in check(sim.rules, parse_dump(dump)) if f.metric == HISTOGRAM] == []
    # The exporter moved the 0.1 boundary to 0.12: every other bucket and the count are still there.
    moved = re.sub(rf'^({HISTOGRAM}{{[^}}]*le=")0\.1(")', r"\g<1>0.12\2", dump, flags=re.M)
    assert moved != dump
    findings = [f for f in check(sim.rules, parse_dump(moved)) if f.metric == HISTOGRAM]
    assert [(f.severity, f.kind) for f in findings] == [(ERROR, "bucket")], findings
    assert "no bucket le=~" in findings[0].message and "0.12" in findings[0].message and "slo:" in " ".join(findings[0].rules)
    path = tmp_path / "moved.prom"
    path.write_text(moved)
    result = run_obsgen("check-metrics", "--system", "bondx", str(path))
    assert result.returncode == 1 and re.search(r"error\s+bucket\s+" + HISTOGRAM, result.stdout), result.stdout + result.stderr


def test_a_bucket_spelled_another_way_is_the_same_bucket(bondx):
    sim, dump = bondx
    spelled = re.sub(rf'^({HISTOGRAM}{{[^}}]*le=")0\.1(")', r"\g<1>0.10\2", dump, flags=re.M)
    assert spelled != dump
    assert [f for f in check(sim.rules, parse_dump(spelled)) if f.metric == HISTOGRAM] == []
