"""The naive national trend engine: OLS line, residual bootstrap, split by recent shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.engines import ENGINES, TrendEngine
from wgsforecast.notes import GroupNote, NoteCode
from wgsforecast.scoring import interval


def _group(key: str, declared: float = 1e6, **changes: object) -> wf.PatientGroup:
    fields: dict[str, object] = {
        "key": key,
        "name_da": key,
        "name_en": key,
        "kind": "germline",
        "declared_per_year": declared,
        "status": "live",
    }
    fields.update(changes)
    return wf.PatientGroup.model_validate(fields)


def _actuals(series: Mapping[str, Sequence[float]], last: str = "2023-02") -> pd.DataFrame:
    rows = []
    for key, counts in series.items():
        months = pd.period_range(end=last, periods=len(counts), freq="M")
        rows += [(key, m, c) for m, c in zip(months, counts, strict=True)]
    frame = pd.DataFrame(rows, columns=["group", "month", "ge"])
    frame["ge"] = frame["ge"].astype("int64")
    return frame


def _fit(series: Mapping[str, Sequence[float]], horizon: int = 12, **kwargs: int) -> TrendEngine:
    groups = wf.GroupRegistry([_group(key) for key in series])
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=horizon)
    return TrendEngine(**kwargs).fit(_actuals(series), groups, assumptions)


def test_trend_is_registered() -> None:
    assert ENGINES["trend"] is TrendEngine


def test_exactly_linear_series_recovers_the_slope_with_no_spread() -> None:
    t = np.arange(12)
    engine = _fit({"a": list(100 + 10 * t), "b": list(50 + 5 * t)})
    assert engine.slope_ == pytest.approx(15.0)
    prognosis = engine.forecast(n_paths=500, seed=1)
    national = prognosis.national_paths[:, prognosis.is_projected]
    expected = 150 + 15 * np.arange(12, 24)
    np.testing.assert_allclose(national, np.broadcast_to(expected, national.shape), atol=1e-6)
    low, high = interval(prognosis.cumulative_at(pd.Period("2024-02", "M")), 0.8)
    assert float(high - low) == pytest.approx(0.0, abs=1e-6)
    # Split by the last three months: a did 190 + 200 + 210 of 900.
    share = prognosis.ge[0, 0, prognosis.is_projected] / national[0]
    np.testing.assert_allclose(share, 2 / 3)


def test_shares_come_from_the_run_rate_window() -> None:
    engine = _fit({"a": [30] * 12, "b": [10] * 12})
    np.testing.assert_allclose(engine.shares_, [0.75, 0.25])
    parameters = engine.parameters()
    assert list(parameters["group"]) == ["a", "b"]
    assert parameters["months_used"].iloc[0] == 12
    assert parameters["slope"].iloc[0] == pytest.approx(0.0)
    assert parameters["level_as_of"].iloc[0] == pytest.approx(40.0)


def test_intervals_widen_with_the_lead_when_the_line_is_uncertain() -> None:
    rng = np.random.default_rng(4)
    counts = list(200 + 20 * np.arange(12) + rng.integers(-40, 40, size=12))
    engine = _fit({"a": counts}, horizon=24)
    prognosis = engine.forecast(n_paths=2000, seed=3)
    monthly = prognosis.national_paths[:, prognosis.is_projected]
    widths = np.subtract(*np.quantile(monthly, [0.9, 0.1], axis=0))
    assert widths[-1] > 1.5 * widths[0] > 0
    assert engine.parameters()["residual_sd"].iloc[0] > 0


def test_only_the_window_is_fitted() -> None:
    # Flat for a year, then a line: a 12-month window sees only the line.
    series = [100] * 12 + list(100 + 7 * np.arange(1, 13))
    assert _fit({"a": series}).slope_ == pytest.approx(7.0)
    assert _fit({"a": series}, window=24).slope_ < 7.0


def test_short_histories_give_a_flat_or_exact_line() -> None:
    one = _fit({"a": [40]})
    assert one.slope_ == pytest.approx(0.0)
    prognosis = one.forecast(n_paths=20, seed=0)
    np.testing.assert_allclose(prognosis.ge[:, 0, prognosis.is_projected], 40.0)
    two = _fit({"a": [40, 50]})
    assert two.slope_ == pytest.approx(10.0)
    assert (two.residuals_ == 0).all()


def test_falling_trend_is_clipped_at_zero() -> None:
    engine = _fit({"a": list(120 - 10 * np.arange(12))}, horizon=24)
    prognosis = engine.forecast(n_paths=50, seed=2)
    future = prognosis.ge[:, 0, prognosis.is_projected]
    assert (future >= 0).all()
    assert (future[:, -1] == 0).all()


def test_a_line_far_below_zero_stays_at_zero_with_its_residuals() -> None:
    # The residuals are added to the line itself and the sum floored at zero; a line
    # floored before its residuals would give positive months on about half the paths.
    wobble = np.tile([3, -3, 2, -2], 3)
    engine = _fit({"a": list(120 - 10 * np.arange(12) + wobble)}, horizon=36)
    assert (engine.residuals_ != 0).any()
    prognosis = engine.forecast(n_paths=200, seed=4)
    assert (prognosis.ge[:, 0, -6:] == 0).all()


def test_groups_without_recent_ge_get_nothing_and_a_note() -> None:
    groups = wf.GroupRegistry(
        [
            _group("a"),
            _group("quiet"),
            _group("new", go_live="2023-06", status="planned"),
        ]
    )
    actuals = pd.concat(
        [_actuals({"a": [50] * 12}), _actuals({"quiet": [5, 5, 0, 0, 0]})], ignore_index=True
    )
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=6)
    prognosis = TrendEngine().fit(actuals, groups, assumptions).forecast(n_paths=20, seed=1)
    future = prognosis.ge[:, :, prognosis.is_projected]
    assert future[:, 1:].sum() == 0
    assert future[:, 0].sum() > 0
    assert prognosis.group_notes["quiet"] == (GroupNote(NoteCode.NO_RECENT_GE, window=3),)
    assert str(prognosis.group_notes["quiet"][0]) == "no GE in the last 3 months: projected at 0"
    assert prognosis.group_notes["new"] == (GroupNote(NoteCode.NO_DATA),)
    assert "a" not in prognosis.group_notes


def test_group_caps_cut_the_national_trend() -> None:
    capped = _group("small", declared=240.0)  # cap 0.75 x 240 / 12 = 15 a month
    groups = wf.GroupRegistry([_group("big"), capped])
    t = np.arange(12)
    actuals = _actuals({"big": list(100 + 10 * t), "small": list(10 + 0 * t)})
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=24)
    engine = TrendEngine().fit(actuals, groups, assumptions)
    prognosis = engine.forecast(n_paths=10, seed=0)
    small = prognosis.ge[:, 1, prognosis.is_projected]
    assert small.max() == pytest.approx(15.0)
    assert prognosis.capped[:, 1, prognosis.is_projected].any()
    line = engine.coef_[0] + engine.coef_[1] * np.arange(12, 36)
    assert (prognosis.national_paths[0, prognosis.is_projected] < line - 1e-6).any()


def test_same_seed_same_paths_and_seeds_differ() -> None:
    rng = np.random.default_rng(0)
    engine = _fit({"a": list(100 + rng.integers(0, 50, size=12))})
    first = engine.forecast(n_paths=100, seed=7)
    np.testing.assert_array_equal(first.ge, engine.forecast(n_paths=100, seed=7).ge)
    assert not np.array_equal(first.ge, engine.forecast(n_paths=100, seed=8).ge)


def test_window_must_be_positive() -> None:
    with pytest.raises(ValueError, match="window must be at least 1"):
        TrendEngine(window=0)
