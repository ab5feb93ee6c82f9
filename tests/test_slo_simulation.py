"""The SLO model's sliding windows give the bits of computing each window afresh.

over_windows reuses folds (equal windows, leading zeros, growing windows) and rates()
reads each window's first and last sample without rescanning it, because compensated sums
and rates over every window are most of generate's time; a reuse that changed one bit
would move an expected value or firing minute in the generated tests.
"""

from __future__ import annotations

import math
import random

import pytest

from obsgen.compile.slo_simulation import avg_over_time, over_windows, rate, rates, sum_over_time


def _afresh(base, minutes, fn):
    out = []
    for k in range(len(base)):
        samples = [v for v in base[max(0, k - minutes) : k + 1] if v is not None]
        out.append(fn(samples) if samples else None)
    return out


def _series(rng: random.Random, length: int) -> list[float | None]:
    """Runs of zeros, gaps, steady values and noise: the shapes the generated scenarios use."""
    out: list[float | None] = []
    while len(out) < length:
        shape, run = rng.random(), rng.randint(1, 50)
        steady = rng.choice([0.1, 1 / 3, 2.5e-7, 1e6 / 7, -0.0, 14.4])
        for _ in range(run):
            if shape < 0.25:
                out.append(0.0)
            elif shape < 0.4:
                out.append(None)
            elif shape < 0.7:
                out.append(steady)
            else:
                out.append(rng.random() * rng.choice([1.0, 1e-9, 1e9]))
    return out[:length]


def _same_bits(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b and math.copysign(1, a) == math.copysign(1, b)


@pytest.mark.parametrize("fn", [sum_over_time, avg_over_time], ids=["sum_over_time", "avg_over_time"])
def test_sliding_windows_equal_summing_each_window_afresh(fn):
    rng = random.Random(20261201)
    for _ in range(400):
        base, minutes = _series(rng, rng.randint(1, 300)), rng.randint(1, 90)
        got, want = over_windows(base, minutes, fn), _afresh(base, minutes, fn)
        assert len(got) == len(want)
        wrong = [k for k, (g, w) in enumerate(zip(got, want)) if not _same_bits(g, w)]
        assert not wrong, f"minute {wrong[0]}, window {minutes}: {got[wrong[0]]!r} != {want[wrong[0]]!r}"


def test_a_leading_zero_is_not_skipped_when_it_is_not_leading():
    # 0 after a value is part of the fold: dropping it would change the compensation
    base = [1e16, 0.0, 1.0, 1.0, 0.0, 1.0, None, 1.0]
    for minutes in range(1, 8):
        assert [_same_bits(g, w) for g, w in zip(over_windows(base, minutes, sum_over_time), _afresh(base, minutes, sum_over_time))] == [True] * len(base)


def _counter(rng: random.Random, length: int) -> list[float | None]:
    """Steady and bursty increments, gaps, resets (to zero and part-way), a start above zero."""
    out: list[float | None] = []
    value = rng.choice([0.0, 0.0, 1234.5])
    while len(out) < length:
        shape, run = rng.random(), rng.randint(1, 40)
        step = rng.choice([0.0, 1.0, 6e6, 1 / 3, rng.random() * 100])
        for _ in range(run):
            if shape < 0.15:
                out.append(None)
                continue
            if shape < 0.2 and rng.random() < 0.3:
                value = rng.choice([0.0, value / 2])  # a reset
            value += step * (rng.random() if shape > 0.8 else 1.0)
            out.append(value)
    return out[:length]


def test_rates_over_every_minute_equal_rate_at_each_minute():
    rng = random.Random(20261202)
    for _ in range(300):
        counter, minutes = _counter(rng, rng.randint(1, 200)), rng.choice([1, 2, 5, 30, 60])
        length = len(counter) + rng.randint(0, 10)  # minutes past the last sample too
        got, want = rates(tuple(counter), minutes, length), [rate(tuple(counter), k, minutes) for k in range(length)]
        wrong = [k for k, (g, w) in enumerate(zip(got, want)) if not _same_bits(g, w)]
        assert len(got) == length and not wrong, f"minute {wrong[0]}, window {minutes}m: {got[wrong[0]]!r} != {want[wrong[0]]!r}"


def test_slos_share_an_evaluation_only_where_the_model_reads_the_same():
    """evaluate() is memoised by the SLO's shape (model_shape), not by the SLO: after every
    seed and example SLO has been compiled in this process, each one's memoised evaluation of
    every scenario it feeds is what evaluating it afresh gives. A shape that left out
    something the model reads (a tier, the budget, a condition's threshold) would hand one SLO
    another's evaluation and fail here."""
    from conftest import DEFINITIONS, FIXTURES
    from obsgen.compile import slo_simulation, slo_tests
    from obsgen.load import load_systems

    systems = [s.system for folder in (DEFINITIONS, FIXTURES / "good") for s in load_systems(folder)]
    slos = [slo for system in systems for slo in system.slos]
    for system in systems:
        slo_tests.compile_slo_tests(system)
    shapes = {slo_simulation.model_shape(slo) for slo in slos}
    assert 1 < len(shapes) < len(slos), "the seeds should hold SLOs of one shape and of several"
    for slo in slos:
        for scenario in slo_tests.scenarios(slo):
            data, length = slo_tests.model_input(slo, scenario), len(scenario.bad) + 1
            shared = slo_simulation.evaluate(slo, data, length)
            afresh = slo_simulation.evaluate.__wrapped__(slo, data, length)
            assert (shared.ratios, shared.hourly) == (afresh.ratios, afresh.hourly), f"{slo.name}: {scenario.name}"
            assert slo_simulation.firing(slo, shared, length) == slo_simulation.firing(slo, afresh, length), f"{slo.name}: {scenario.name}"
