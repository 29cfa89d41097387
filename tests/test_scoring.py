"""Scores of sample forecasts: CRPS, interval coverage and the Brier score."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wgsforecast.scoring import brier, covered, crps, interval

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(x=finite, y=finite)
def test_crps_of_one_path_is_the_absolute_error(x: float, y: float) -> None:
    assert float(crps([x], y)) == pytest.approx(abs(x - y), abs=1e-6)


@given(values=st.lists(finite, min_size=2, max_size=30), y=finite)
def test_crps_matches_the_double_sum_definition(values: list[float], y: float) -> None:
    x = np.array(values)
    brute = np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()
    assert float(crps(x, y)) == pytest.approx(brute, rel=1e-9, abs=1e-6)
    assert float(crps(x, y)) >= -1e-6


def test_crps_of_a_normal_sample_matches_the_closed_form() -> None:
    # Gneiting & Raftery (2007), eq. 21:
    # CRPS(N(0, s), y) = s [z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)], z = y / s
    rng = np.random.default_rng(7)
    sigma, y = 2.0, 1.3
    samples = rng.normal(0.0, sigma, 200_000)
    z = y / sigma
    phi = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    big_phi = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    exact = sigma * (z * (2 * big_phi - 1) + 2 * phi - 1 / math.sqrt(math.pi))
    assert float(crps(samples, y)) == pytest.approx(exact, rel=0.01)


def test_crps_scores_columns_separately() -> None:
    samples = np.array([[0.0, 10.0], [2.0, 10.0]])
    scores = crps(samples, np.array([1.0, 13.0]))
    assert scores.shape == (2,)
    assert scores[1] == pytest.approx(3.0)
    assert scores[0] == pytest.approx(crps([0.0, 2.0], 1.0))


def test_sharper_right_forecast_scores_better() -> None:
    rng = np.random.default_rng(1)
    assert crps(rng.normal(5, 1, 5000), 5.0) < crps(rng.normal(5, 3, 5000), 5.0)


def test_crps_rejects_nan_and_empty_samples() -> None:
    with pytest.raises(ValueError, match="NaN"):
        crps([1.0, np.nan], 1.0)
    with pytest.raises(ValueError, match="at least one path"):
        crps([], 1.0)


def test_interval_coverage_is_the_nominal_level_for_a_calibrated_forecast() -> None:
    rng = np.random.default_rng(3)
    samples = rng.normal(size=(2000, 3000))  # 3000 forecasts of 2000 paths each
    truth = rng.normal(size=3000)  # drawn from the forecast distribution
    assert covered(samples, truth, 0.8).mean() == pytest.approx(0.8, abs=0.025)
    assert covered(samples, truth, 0.95).mean() == pytest.approx(0.95, abs=0.015)


def test_interval_bounds_and_one_path_coverage() -> None:
    low, high = interval(np.arange(101.0), 0.8)
    assert (float(low), float(high)) == pytest.approx((10.0, 90.0))
    assert np.isnan(covered([3.0], 3.0, 0.8))
    with pytest.raises(ValueError, match="level"):
        interval([1.0, 2.0], 1.5)


def test_brier_score() -> None:
    assert float(brier(1.0, True)) == 0.0
    assert float(brier(1.0, False)) == 1.0
    assert float(brier(0.3, 0)) == pytest.approx(0.09)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        brier(1.2, True)
