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
    with pytest.raises(SparseDataError, match="needs at least 3") as info:
        wf.fit_national(points)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    # The message names the fix: one more published total, or the launch with a total of 0.
    assert "Add 1 more" in message and "launch date with a total of 0" in message


@pytest.mark.parametrize("totals", [[], [0, 0], [5000], [0, 5000]])
def test_fewer_than_three_usable_totals_name_the_fix(totals: list[int]) -> None:
    dates = pd.date_range("2020-12-31", periods=len(totals), freq="12ME")
    points = pd.DataFrame({"date": dates, "cumulative": totals})
    if not totals:
        with pytest.raises(InputError, match="add one row per published total"):
            fit_national(points)
        return
    with pytest.raises(SparseDataError, match="needs at least 3") as info:
        fit_national(points)
    usable = 2 if totals == [0, 5000] else int(sum(t > 0 for t in totals))
    assert f"Add {3 - usable} more" in str(info.value)
    assert "a published total from another date" in str(info.value)
    if totals[0] == 0 and len(totals) == 2 and totals[1] > 0:
        # The launch is already given, so the message does not ask for it again.
        assert "launch" not in str(info.value)


def _exact_curve(dates: pd.DatetimeIndex) -> pd.DataFrame:
    t = np.asarray((dates - dates[0]).days, dtype=float) / DAYS_PER_MONTH
    return pd.DataFrame({"date": dates, "cumulative": softplus_cumulative(t, 900.0, 0.25, 14.0)})


SIX_DATES = pd.to_datetime(
    ["2019-03-31", "2019-11-30", "2020-06-30", "2021-01-31", "2021-09-30", "2022-04-30"]
)


def test_three_points_fit_with_finite_wider_intervals_than_six() -> None:
    six = _exact_curve(SIX_DATES)
    three = six.iloc[[0, 3, 5]].reset_index(drop=True)  # same curve, same span, fewer points
    target = 60_000.0
    widths = {}
    for name, points in {"three": three, "six": six}.items():
        fit = fit_national(points, n_boot=200, seed=4)
        months = fit.target_dates(target)
        assert np.mean(np.isfinite(months)) >= 0.95, name
        low, mid, high = np.quantile(months, [0.1, 0.5, 0.9])
        assert np.isfinite([low, mid, high]).all(), name
        assert low < mid < high
        widths[name] = high - low
        band = fit.cumulative([pd.Timestamp("2024-04-30")]).iloc[0]
        assert np.isfinite(band[["fit", "p10", "p50", "p90"]].astype(float)).all()
        widths[f"{name} band"] = band["p90"] - band["p10"]
    assert widths["three"] > 1.3 * widths["six"], widths
    assert widths["three band"] > widths["six band"], widths


def test_three_points_with_the_launch_as_a_zero() -> None:
    # A programme announced with no genomes, then two published totals: three usable points.
    points = pd.DataFrame(
        {"date": ["2012-12-31", "2014-12-31", "2015-12-31"], "cumulative": [0, 100, 6000]}
    )
    fit = fit_national(points, n_boot=50, seed=1)
    assert len(fit.points) == 3
    assert fit.cumulative(["2015-12-31"])["fit"].iloc[0] == pytest.approx(6000.0)
    # Zeros before the launch add nothing: only the last one is kept.
    earlier = pd.concat([pd.DataFrame({"date": ["2011-12-31"], "cumulative": [0]}), points])
    assert len(fit_national(earlier, n_boot=20).points) == 3


@pytest.mark.parametrize(
    "totals",
    [
        [100, 700, 1300, 1900, 4300, 6700],  # speeds up late
        [100, 3000, 6000, 9000, 10200, 11400],  # slows down late
        [10, 300, 1500, 3500, 6000, 8600],  # a smooth ramp
        [40, 2000, 2100],  # three points, slowing
    ],
)
def test_no_bootstrap_curve_contradicts_an_observed_total(totals: list[float]) -> None:
    dates = pd.date_range("2019-12-31", periods=len(totals), freq="6ME")
    fit = fit_national(pd.DataFrame({"date": dates, "cumulative": totals}), n_boot=400, seed=7)
    grid = pd.date_range(dates[0], dates[-1] + pd.DateOffset(years=5), freq="ME")
    curves = fit.curves(grid)
    assert curves.shape == (400, len(grid))
    assert np.isfinite(curves).all()
    assert (np.diff(curves, axis=1) >= -1e-6).all(), "a curve falls"
    for date, total in zip(dates, totals, strict=True):
        after = np.asarray(grid >= date)
        assert (curves[:, after] >= total - 1e-6).all(), (date, total)
    # Every curve passes through the last observed total and starts from it.
    last = fit.curves([dates[-1]])[:, 0]
    np.testing.assert_allclose(last, totals[-1])
    # And the quantiles and target dates agree: no date before the last total's is given for
    # a target above it.
    months = fit.target_dates(2 * totals[-1])
    last_month = (dates[-1] - dates[0]).days / DAYS_PER_MONTH
    assert (months >= last_month - 1e-9).all()
    band = fit.cumulative(grid[grid > dates[-1]])
    assert (band[["fit", "p10", "p50", "p90"]] >= totals[-1] - 1e-6).all().all()


def _next_year(fit: wf.NationalFit, last: pd.Timestamp) -> pd.Series:
    band = fit.cumulative([last, last + pd.DateOffset(years=1)]).drop(columns="date")
    grown: pd.Series = band.iloc[1] - band.iloc[0]
    return grown


def test_projection_follows_the_recent_increments() -> None:
    dates = pd.date_range("2019-12-31", periods=6, freq="6ME")
    early = [100, 700, 1300, 1900, 2500, 3100]  # 100 a month throughout
    steeper = [100, 700, 1300, 1900, 4300, 6700]  # 400 a month in the last year
    slower = [100, 3000, 6000, 9000, 10200, 11400]  # 500 a month, then 200 in the last year
    fits = {
        name: fit_national(pd.DataFrame({"date": dates, "cumulative": totals}), seed=3)
        for name, totals in {"early": early, "steeper": steeper, "slower": slower}.items()
    }
    assert fits["steeper"].recent_pace == pytest.approx(400, rel=0.01)
    grown = {name: _next_year(fit, dates[-1]) for name, fit in fits.items()}
    # Steeper recent increments project faster than the early pace, across the interval.
    assert grown["steeper"]["p10"] > grown["early"]["p90"]
    assert grown["steeper"]["p50"] >= 0.9 * 12 * 400
    target = 20_000.0
    steeper_date, early_date = (fits[k].target_date(target)[0.5] for k in ("steeper", "early"))
    assert steeper_date is not None and early_date is not None
    assert steeper_date < early_date
    # A programme that slowed down is projected at its recent pace (about 200 a month), not
    # at the average of its history (about 370 a month), and with an interval around it.
    assert grown["slower"]["fit"] == pytest.approx(12 * 200, rel=0.1)
    assert grown["slower"]["p10"] < 12 * 200 < grown["slower"]["p90"]
    assert grown["slower"]["p50"] < 0.8 * 12 * 370


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
    low, mid, high = fit.target_date(target).values()
    assert low is not None and mid is not None and high is not None
    assert abs((mid - expected).days) < 31
    assert low <= mid <= high
    assert fit.p_target_by(target, low) <= fit.p_target_by(target, high)


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
