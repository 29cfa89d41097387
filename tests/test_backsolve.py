"""Back-solving the national rate and one group's level needed to reach the target."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.backsolve import required_group_level, required_rate
from wgsforecast.engines import ENGINES

CANCER = "udbredt-uhelbredelig-kraeft"


@pytest.fixture(scope="module")
def adoption(bundled: wf.ProgrammeData) -> wf.Prognosis:
    if "adoption" not in ENGINES:
        pytest.skip("the adoption engine is not available in this build")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return wf.forecast(
            bundled.actuals, bundled.groups, bundled.assumptions, "adoption", n_paths=500, seed=5
        )


def test_national_rate_published_method(published_method: wf.Prognosis) -> None:
    result = required_rate(published_method)
    # Item 112/23: 52,284 GE were left at the end of February 2023; March 2023 to June 2024
    # is 16 months.
    assert result.per_month == pytest.approx(52_284 / 16)
    assert result.months == 16 and result.group is None
    assert result.current_per_month == pytest.approx(float(published_method.run_rate().sum()))
    later = required_rate(published_method, by="2025-06", start="2024-01")
    done_2023 = published_method.cumulative_at(pd.Period("2023-12", "M"))[0]
    assert later.per_month == pytest.approx((60_000 - done_2023) / 18)


def test_group_level_reaches_the_target_and_no_less_does(
    bundled: wf.ProgrammeData, published_method: wf.Prognosis
) -> None:
    result = required_group_level(published_method, CANCER, by="2024-12", start="2023-06")
    assert result.cap_per_month is not None and not result.exceeds_cap
    index = bundled.groups.keys.index(CANCER)
    offset = (result.start - bundled.assumptions.as_of).n - 1

    def reached_by(level: float) -> bool:
        def adjust(expected: np.ndarray) -> np.ndarray:
            out = expected.copy()
            out[:, index, offset:] = level
            return out

        prognosis = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, adjust=adjust)
        month = prognosis.target_month()
        return month is not None and month <= result.by

    assert reached_by(result.per_month + 1e-6)
    assert not reached_by(0.99 * result.per_month)


def test_probabilistic_levels(adoption: wf.Prognosis) -> None:
    target = adoption.programme.target_ge
    start, by = pd.Period("2023-07", "M"), pd.Period("2025-06", "M")
    levels = [required_rate(adoption, by, start, p).per_month for p in (0.5, 0.8, 0.95)]
    assert levels == sorted(levels) and levels[0] < levels[-1]
    before = adoption.cumulative_at(start - 1)
    months = (by - start).n + 1
    for probability, level in zip((0.5, 0.8, 0.95), levels, strict=True):
        share = np.mean(before + level * months >= target - 1e-6)
        assert share >= probability
        assert np.mean(before + (level - 1) * months >= target) < probability
    group = required_group_level(adoption, CANCER, by, start, probability=0.8)
    assert group.probability == 0.8 and group.per_month > 0
    assert "rekonstrueret" in group.to_markdown("da")
    assert "Advanced and incurable cancer" in group.to_markdown("en")


def test_bad_requests(published_method: wf.Prognosis) -> None:
    with pytest.raises(ValueError, match="not after the as-of month"):
        required_rate(published_method, start="2023-02")
    with pytest.raises(ValueError, match="before start"):
        required_rate(published_method, by="2023-05", start="2023-06")
    with pytest.raises(ValueError, match="probability"):
        required_rate(published_method, probability=1.5)
    with pytest.raises(KeyError, match="did you mean"):
        required_group_level(published_method, "udbredt kraft")
    with pytest.raises(ValueError, match="beyond the prognosis horizon"):
        required_group_level(published_method, CANCER, by="2035-01")
    # A start after the horizon end has no known GE before it: an error, not NaN.
    after = published_method.months[-1] + 1
    for solver in (required_rate, lambda p, **k: required_group_level(p, CANCER, **k)):
        with pytest.raises(ValueError, match=f"start {after} is beyond the prognosis horizon"):
            solver(published_method, start=after, by=after + 6)
    last = published_method.months[-1]
    assert np.isfinite(required_rate(published_method, start=last, by=last).per_month)


def test_target_already_reached_needs_nothing(published_method: wf.Prognosis) -> None:
    result = required_rate(published_method, by="2027-01", start="2026-06")
    assert result.per_month == 0.0
