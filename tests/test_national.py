"""Sparse national input: validation, the growth curve and target dates with intervals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.exceptions import InputError
from wgsforecast.national import (
    DAYS_PER_MONTH,
    SparseDataError,
    fit_national,
    read_national,
    softplus_cumulative,
)
from wgsforecast.simulate import simulate_programme


def test_reads_a_danish_csv_with_mixed_date_styles(tmp_path: Path) -> None:
    path = tmp_path / "national.csv"
    path.write_text(
        "date;cumulative\n31-12-2019;1.200\n2020-06;4.800\n2021-03-15;15.000\n",
        encoding="utf-8",
    )
    frame = read_national(path)
    assert frame["cumulative"].tolist() == [1200.0, 4800.0, 15000.0]
    assert [d.date().isoformat() for d in frame["date"]] == [
        "2019-12-31",
        "2020-06-30",
        "2021-03-15",
    ]


def test_every_bad_row_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "national.csv"
    path.write_text(
        "date,cumulative\n"
        "2019-12-31,1000\n"
        "2020-13-45,2000\n"  # row 3: not a date
        "2020-06-30,-5\n"  # row 4: negative
        "2020-12-31,900\n"  # row 5: falls below row 2
        "2021-06-30,many\n",  # row 6: not a number
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_national(path)
    message = str(info.value)
    assert str(path) in message
    for row in ("row 3", "row 4", "row 5", "row 6"):
        assert row in message
    assert "never falls" in message and "not a date" in message


def test_missing_column_and_repeated_date() -> None:
    with pytest.raises(InputError, match="no column named 'cumulative'"):
        read_national(pd.DataFrame({"date": ["2020-01-31"], "total": [5]}))
    frame = pd.DataFrame({"date": ["2020-01-31", "2020-01-31"], "cumulative": [5, 6]})
    with pytest.raises(InputError, match="also appears in row 2"):
        read_national(frame)


def test_genomics_england_two_public_points_are_too_few() -> None:
    # /work/shared/reference/public_facts.md: 6,000 genomes in December 2015 (newsletter),
    # 50,000 in March 2018. Two points cannot fix a three-parameter curve.
    points = pd.DataFrame({"date": ["2015-12", "2018-03"], "cumulative": [6000, 50000]})
    with pytest.raises(SparseDataError, match="needs at least 4") as info:
        wf.fit_national(points)
    assert isinstance(info.value, ValueError)


def test_recovers_the_target_date_of_an_exact_curve() -> None:
    dates = pd.to_datetime(["2019-03-31", "2019-11-30", "2020-06-30", "2021-01-31", "2021-09-30"])
    t = np.asarray((dates - dates[0]).days, dtype=float) / DAYS_PER_MONTH
    plateau, rate, midpoint = 900.0, 0.25, 14.0
    totals = softplus_cumulative(t, plateau, rate, midpoint)
    fit = fit_national(pd.DataFrame({"date": dates, "cumulative": totals}), n_boot=60, seed=2)
    assert fit.plateau_per_month == pytest.approx(plateau, rel=0.02)
    # Solve (L/r) log(1 + exp(r (t - t0))) = 30,000 for t by hand.
    target = 30_000.0
    months = midpoint + np.log(np.expm1(target * rate / plateau)) / rate
    expected = dates[0] + pd.Timedelta(days=months * DAYS_PER_MONTH)
    dates_ = fit.target_date(target)
    assert abs((dates_[0.5] - expected).days) < 31
    assert dates_[0.1] <= dates_[0.5] <= dates_[0.9]
    assert fit.p_target_by(target, dates_[0.1]) <= fit.p_target_by(target, dates_[0.9])


def test_simulated_programmes_seen_at_six_irregular_dates() -> None:
    """Ten simulated programmes, each seen only at six random month ends in its first three
    years: the 80% interval of the target month should hold the truth in most, and the
    median miss should be within a year. The national curve cannot foresee groups going
    live after the last point, so the forecasts lean late (see wgsforecast.national)."""
    misses, hits = [], 0
    for seed in range(10):
        sim = simulate_programme(seed)
        full = pd.concat([sim.actuals, sim.future])
        cumulative = full.groupby("month")["ge"].sum().sort_index().cumsum()
        rng = np.random.default_rng(seed)
        seen = sorted(rng.choice(np.arange(6, 36), size=6, replace=False))
        points = pd.DataFrame(
            {
                "date": [cumulative.index[i].end_time.normalize() for i in seen],
                "cumulative": [cumulative.iloc[i] for i in seen],
            }
        )
        target = sim.assumptions.programme.target_ge
        true_month = cumulative[cumulative >= target].index[0]
        dates = fit_national(points, n_boot=40, seed=seed).target_date(target)
        assert dates[0.5] is not None
        low, mid, high = (pd.Period(dates[q], "M") if dates[q] else None for q in (0.1, 0.5, 0.9))
        misses.append(abs((mid - true_month).n))
        hits += low is not None and high is not None and low <= true_month <= high
    assert hits >= 5, (hits, misses)
    assert np.median(misses) <= 12, misses
