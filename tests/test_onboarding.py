"""The onboarding pace that times groups with neither data nor a go-live month."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wgsforecast.engines._onboarding import PRIOR_MONTHS_PER_GROUP, OnboardingPace


def _median_start(pace: OnboardingPace, waiting: list[bool], row: int = 0) -> float:
    offsets = pace.draw(np.array(waiting), 20_000, np.random.default_rng(7))
    started = offsets[row][np.isfinite(offsets[row])]
    return float(np.median(started))


def test_the_record_counts_groups_joining_after_the_first_month() -> None:
    started = np.array([0, 0, 5, 11, -1, 20])
    pace = OnboardingPace.from_history(started, n_months=24)
    assert (pace.joined, pace.months) == (3, 23.0)
    # A programme whose first data came late is timed from its own first month.
    later = OnboardingPace.from_history(np.array([4, 10, -1]), n_months=24)
    assert (later.joined, later.months) == (1, 19.0)
    assert OnboardingPace.from_history(np.array([-1, -1]), n_months=12) == OnboardingPace()
    # The prior pace is passed on with a record and without one.
    for started in (np.array([-1]), np.array([0, 3, -1])):
        pace = OnboardingPace.from_history(started, n_months=12, prior_months_per_group=3.0)
        assert pace.prior_months_per_group == 3.0


def test_without_a_record_a_lone_waiting_group_starts_a_median_of_the_prior_gap_on() -> None:
    assert OnboardingPace().months_per_group == pytest.approx(PRIOR_MONTHS_PER_GROUP)
    pace = OnboardingPace(p_never=0.0, prior_months_per_group=12.0)
    assert pace.months_per_group == pytest.approx(12.0)
    # Exponential gaps at a gamma(1) rate: a heavy (Lomax) tail whose median is the 12.
    assert 11 <= _median_start(pace, [True]) <= 13
    for months in (0.0, math.inf, math.nan):
        with pytest.raises(ValueError, match="prior_months_per_group must be a positive"):
            OnboardingPace(prior_months_per_group=months)


def test_a_fast_programme_starts_its_waiting_groups_sooner_than_a_slow_one() -> None:
    fast = OnboardingPace(joined=12, months=24.0, p_never=0.0)
    slow = OnboardingPace(joined=1, months=36.0, p_never=0.0)
    assert _median_start(fast, [True]) < 3 < 12 < _median_start(slow, [True])


def test_waiting_groups_queue_so_more_of_them_take_longer() -> None:
    pace = OnboardingPace(joined=8, months=24.0, p_never=0.0)
    offsets = pace.draw(np.ones(4, dtype=np.bool_), 5000, np.random.default_rng(3))
    per_path = np.sort(offsets, axis=0)
    # The k-th of four waits for k gaps: the last one's median is about four gaps on.
    assert np.median(per_path[-1]) > 2.5 * np.median(per_path[0])
    # No two groups take the same place: each path's starts follow a random order.
    assert np.all(np.diff(per_path, axis=0) >= 0)
    first_to_start = np.argmin(offsets, axis=0)
    assert np.all(np.bincount(first_to_start, minlength=4) > 1000)


def test_groups_that_never_start_hold_no_place_and_others_get_inf() -> None:
    pace = OnboardingPace(joined=8, months=24.0, p_never=0.5)
    offsets = pace.draw(np.array([True, False, True]), 20_000, np.random.default_rng(5))
    assert np.isinf(offsets[1]).all()
    never = np.isinf(offsets[[0, 2]])
    assert 0.45 < never.mean() < 0.55
    # Where group 2 never starts, group 0 is first in the queue on every such path.
    alone = never[1] & ~never[0]
    together = ~never[0] & ~never[1]
    assert np.median(offsets[0][alone]) < np.median(offsets[0][together])


def test_dating_one_group_shifts_no_other_groups_start() -> None:
    pace = OnboardingPace(joined=5, months=20.0)
    both = pace.draw(np.array([True, True, True]), 500, np.random.default_rng(11))
    one = pace.draw(np.array([True, True, False]), 500, np.random.default_rng(11))
    # The same random numbers are drawn; only the queue is shorter, so no start is later.
    assert np.all(one[:2] <= both[:2])
    assert np.isinf(one[2]).all()


def test_a_negative_record_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        OnboardingPace(joined=-1)
    with pytest.raises(ValueError, match=r"p_never must be in \[0, 1\)"):
        OnboardingPace(p_never=1.0)
