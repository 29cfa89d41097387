"""The adoption engine and its count noise, scored against simulated programmes with known
truth and against negative-binomial theory."""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats  # type: ignore[import-untyped]

import wgsforecast as wf
from wgsforecast.engines import ENGINES, AdoptionEngine
from wgsforecast.engines._batch_fit import Panel, hessian, objective
from wgsforecast.engines._counts import (
    BLOCK_PATHS,
    MIN_DIRECT_SIZE,
    SWITCH_RATE,
    Z_LIMIT,
    _cornish_fisher,
    _floor_band_end,
    _switch_table,
    negative_binomial_counts,
    negative_binomial_quantile,
    poisson_quantile,
)
from wgsforecast.engines._ramps import (
    FORMS,
    Prior,
    Series,
    log_ramp,
    log_ramp_share,
    log_sigmoid,
    ramp_share_by_row,
)
from wgsforecast.engines._realisation import (
    THROUGHPUT_SD_BOUNDS,
    ShareLogNormal,
    SlipPrior,
    Throughput,
    ThroughputState,
    group_level_variation,
    local_level_state,
    throughput_state,
    throughput_step_sd,
)
from wgsforecast.engines.adoption import (
    THROUGHPUT_SD_SCALE,
    GroupPrior,
    PlateauDraws,
    PosteriorSample,
    draw_season,
    log_likelihood_batch,
    log_mean,
    net_count_variance,
    pooled_share_update,
    reweighted,
)
from wgsforecast.exceptions import NotFittedError, PriorFallbackWarning
from wgsforecast.models import GroupRegistry, PatientGroup
from wgsforecast.simulate import SimulatedProgramme, simulate_programme


def _fit(seed: int, **kwargs: int) -> tuple[AdoptionEngine, SimulatedProgramme]:
    sim = simulate_programme(seed, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        engine = AdoptionEngine().fit(sim.actuals, sim.groups, sim.assumptions)
    return engine, sim


@pytest.fixture(scope="module")
def fitted() -> tuple[AdoptionEngine, SimulatedProgramme]:
    return _fit(11)


# ---- count noise --------------------------------------------------------------------------
@pytest.mark.parametrize(("mean", "size"), [(0.7, 5.0), (6.0, 40.0), (15.0, 20.0), (400.0, 60.0)])
def test_counts_have_negative_binomial_mean_and_variance(mean: float, size: float) -> None:
    n = 400_000
    counts = negative_binomial_counts(
        np.full((n // 40, 1, 40), mean), np.array([size]), np.random.default_rng(5)
    ).ravel()
    variance = mean + mean**2 / size
    # Five standard errors of the sample mean and (roughly) of the sample variance.
    assert abs(counts.mean() - mean) < 5 * math.sqrt(variance / n)
    assert abs(counts.var() / variance - 1) < 5 * math.sqrt(2 / n) * 3
    assert np.all(counts == np.round(counts))


def test_poisson_counts_when_size_is_infinite() -> None:
    counts = negative_binomial_counts(
        np.full((5000, 1, 40), 30.0), np.array([np.inf]), np.random.default_rng(2)
    )
    assert counts.mean() == pytest.approx(30.0, abs=0.05)
    assert counts.var() == pytest.approx(30.0, rel=0.03)


def test_small_rates_are_exact_poisson_quantiles() -> None:
    rng = np.random.default_rng(3)
    rate = rng.uniform(0, SWITCH_RATE, 200_000).astype(np.float32)
    z = rng.standard_normal(rate.size).astype(np.float32)
    exact = stats.poisson.ppf(stats.norm.cdf(z.astype(np.float64)), rate.astype(np.float64))
    np.testing.assert_array_equal(poisson_quantile(rate, z), exact)


@pytest.mark.parametrize("size", [MIN_DIRECT_SIZE, 400.0])
def test_small_means_are_exact_negative_binomial_quantiles(size: float) -> None:
    rng = np.random.default_rng(4)
    mean = rng.uniform(0, SWITCH_RATE, 200_000).astype(np.float32)
    z = rng.standard_normal(mean.size).astype(np.float32)
    m = mean.astype(np.float64)
    exact = stats.nbinom.ppf(stats.norm.cdf(z.astype(np.float64)), size, size / (size + m))
    np.testing.assert_array_equal(negative_binomial_quantile(mean, 1 / size, z), exact)


_SIZES = [MIN_DIRECT_SIZE, 400.0, math.inf]


@pytest.mark.parametrize("size", _SIZES)
@pytest.mark.parametrize("mean", [SWITCH_RATE, 2 * SWITCH_RATE, 100.0, 2000.0])
def test_large_mean_approximation_is_close_to_negative_binomial(mean: float, size: float) -> None:
    # The distribution of the approximate count, integrated over a fine grid of z.
    z = np.linspace(-Z_LIMIT, Z_LIMIT, 400_001, dtype=np.float64)
    weights = stats.norm.pdf(z)
    weights /= weights.sum()
    counts = negative_binomial_quantile(np.full(z.size, mean), 1 / size, z).astype(np.int64)
    approx = np.bincount(counts, weights=weights)
    support = np.arange(approx.size)
    exact = (
        stats.poisson.pmf(support, mean)
        if math.isinf(size)
        else stats.nbinom.pmf(support, size, size / (size + mean))
    )
    total_variation = 0.5 * np.abs(approx - exact).sum() + 0.5 * (1 - exact.sum())
    assert total_variation < 0.005


@pytest.mark.parametrize("size", [*_SIZES, 346.1, 5000.0])
def test_approximation_rises_with_mean_and_z_and_stays_above_the_switch_quantile(
    size: float,
) -> None:
    # For fixed z the expansion never falls as the mean grows, nor for a fixed mean as z
    # grows (fine grids; z up to 8, past any float32 normal drawn in practice), and from
    # the end of the floor band on it is at or above the exact switch quantile, which is why
    # negative_binomial_quantile floors only the band below it.
    z, means = np.meshgrid(
        np.linspace(-Z_LIMIT, 8.0, 2601, dtype=np.float32),
        np.geomspace(SWITCH_RATE, 1e5, 3000, dtype=np.float32),
    )
    counts = _cornish_fisher(means, 1 / size, z)
    assert np.all(np.diff(counts, axis=0) >= 0)
    assert np.all(np.diff(counts, axis=1) >= 0)
    # Also between adjacent float32 means, where rounding (not the expansion) could break it.
    for start in (1e3, 1e4, 1e5):
        steps = np.nextafter(np.float32(start), np.float32(np.inf)) - np.float32(start)
        adjacent = np.float32(start) + steps * np.arange(400, dtype=np.float32)
        z_grid, mean_grid = np.meshgrid(np.linspace(-Z_LIMIT, 5.0, 401, dtype=np.float32), adjacent)
        assert np.all(np.diff(_cornish_fisher(mean_grid, 1 / size, z_grid), axis=0) >= 0)
    band_end = _floor_band_end(1 / size)
    assert SWITCH_RATE < band_end <= 2 * SWITCH_RATE
    fine_z = np.linspace(-Z_LIMIT, 8.0, 200_001, dtype=np.float32)
    for mean in (band_end, 2 * SWITCH_RATE):
        above = _cornish_fisher(np.full(fine_z.size, mean, dtype=np.float32), 1 / size, fine_z)
        floor = np.searchsorted(_switch_table(SWITCH_RATE, 1 / size), fine_z, side="left")
        assert np.all(above >= floor)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    log_means=st.lists(st.floats(-3, 8), min_size=6, max_size=6),
    factor=st.floats(0.0, 1.0),
    size=st.floats(0.5, 500.0),
)
def test_counts_are_monotone_in_the_mean_under_the_same_seed(
    seed: int, log_means: list[float], factor: float, size: float
) -> None:
    means = np.exp(np.array(log_means)).reshape(1, 1, 6) * np.ones((300, 2, 1))
    means[:, 1, :2] = 0.0
    high = negative_binomial_counts(means, np.array([size, 3.0]), np.random.default_rng(seed))
    low = negative_binomial_counts(
        means * factor, np.array([size, 3.0]), np.random.default_rng(seed)
    )
    assert np.all(low <= high)
    assert np.all(low >= 0)
    assert np.all(high[:, 1, :2] == 0)
    if factor == 0.0:
        assert np.all(low == 0)


def test_first_blocks_of_paths_do_not_depend_on_the_number_of_paths() -> None:
    means = np.full((3 * BLOCK_PATHS + 10, 3, 12), 25.0)
    many = negative_binomial_counts(means, np.full(3, 30.0), np.random.default_rng(8))
    few = negative_binomial_counts(
        means[: 2 * BLOCK_PATHS], np.full(3, 30.0), np.random.default_rng(8)
    )
    np.testing.assert_array_equal(many[: 2 * BLOCK_PATHS], few)


def test_non_positive_sizes_are_rejected() -> None:
    with pytest.raises(ValueError, match="sizes must be positive"):
        negative_binomial_counts(np.ones((2, 1, 2)), np.array([0.0]), np.random.default_rng(0))


def test_groups_of_a_block_are_drawn_as_each_would_be_alone() -> None:
    # The block kernel handles all groups at once (each with its own size) in chunks of
    # paths; every group must get what the one-group quantile gives for its own normals.
    rng = np.random.default_rng(12)
    sizes = np.array([MIN_DIRECT_SIZE, 346.1, 5000.0, np.inf])
    means = np.exp(rng.uniform(-2, 8, (BLOCK_PATHS, sizes.size, 30)))
    means[:, 1, :5] = 0.0  # not started yet
    means[:, 2, :] = rng.uniform(9.0, 13.0, (BLOCK_PATHS, 30))  # the floor band
    counts = negative_binomial_counts(means, sizes, np.random.default_rng(4))
    z = np.random.default_rng(4).standard_normal(means.shape, dtype=np.float32)
    for group, size in enumerate(sizes):
        alone = negative_binomial_quantile(means[:, group, :], 1 / size, z[:, group, :])
        np.testing.assert_array_equal(counts[:, group, :], alone)


# ---- fitting ------------------------------------------------------------------------------
def test_engine_is_registered() -> None:
    assert ENGINES["adoption"] is AdoptionEngine


def test_fitted_plateaus_recover_the_truth() -> None:
    # The bar (50 programmes; benchmarks/plateau_recovery.py) on 8 programmes:
    # groups with at least 18 months after go-live, plateau within 15% in >= 80% of them.
    hits = []
    for seed in range(8):
        engine, sim = _fit(seed)
        truth = sim.truth.set_index("group")
        fitted = engine.parameters().set_index("group")
        long_enough = truth["months_observed"] >= 18
        error = fitted["plateau_per_month"][long_enough] / truth["plateau_per_month"][long_enough]
        hits.extend(np.abs(error - 1) <= 0.15)
    assert len(hits) >= 30
    assert np.mean(hits) >= 0.8


def _numerical_hessian(
    phi: npt.NDArray[np.float64],
    panel: Panel,
    season: npt.NDArray[np.float64],
    prior: Prior,
    form: str,
) -> npt.NDArray[np.float64]:
    """``[group, 4, 4]`` Hessians by central differences of the analytic gradient."""
    step = 1e-4
    rows = []
    for j in range(4):
        shift = np.zeros(4)
        shift[j] = step
        plus = objective(phi + shift, panel, season, prior, form)[1]
        minus = objective(phi - shift, panel, season, prior, form)[1]
        rows.append((plus - minus) / (2 * step))
    result = np.stack(rows, axis=1)
    symmetric: npt.NDArray[np.float64] = (result + np.swapaxes(result, 1, 2)) / 2
    return symmetric


@pytest.mark.parametrize("form", FORMS)
def test_analytic_hessian_matches_differences_of_the_gradient(form: str) -> None:
    engine, sim = _fit(5)
    history = engine.history_
    month_of_year = np.asarray(history.months.month, dtype=np.int64) - 1
    series = [
        Series(
            y=history.ge[index, begin:],
            t=np.arange(history.ge.shape[1] - begin, dtype=np.float64),
            month_of_year=month_of_year[begin:],
            log_cap=math.log(group.ramp.target_share * group.declared_per_year / 12),
        )
        for index, (group, begin) in enumerate(zip(sim.groups, history.started, strict=True))
        if begin >= 0
    ]
    # Points around the pooled prior, not only modes: Newton steps use the Hessian anywhere.
    spread = np.random.default_rng(2).standard_normal((len(series), 4)) * engine.prior_.sd / 2
    phi = engine.prior_.mean + spread
    panel = Panel.of(series)
    analytic = hessian(phi, panel, engine.season_, engine.prior_, form)
    numeric = _numerical_hessian(phi, panel, engine.season_, engine.prior_, form)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-4 * np.abs(numeric).max())


@pytest.mark.parametrize("form", FORMS)
def test_likelihood_of_many_draws_is_the_negative_binomial_log_pmf(
    form: str, fitted: tuple[AdoptionEngine, SimulatedProgramme]
) -> None:
    engine, _ = fitted
    history = engine.history_
    index = int(np.argmax(history.started >= 0))
    begin = int(history.started[index])
    group = engine.groups_[engine.groups_.keys[index]]
    series = Series(
        y=history.ge[index, begin:],
        t=np.arange(history.ge.shape[1] - begin, dtype=np.float64),
        month_of_year=np.asarray(history.months.month, dtype=np.int64)[begin:] - 1,
        log_cap=math.log(group.ramp.target_share * group.declared_per_year / 12),
    )
    rng = np.random.default_rng(3)
    # Around the group's fit, where no month's mean underflows in scipy's linear scale.
    mode = engine.modes_[index, FORMS.index(form)]
    phis = mode + rng.standard_normal((25, 4)) * engine.prior_.sd / 10
    batch = log_likelihood_batch(phis, series, engine.season_, form)
    log_factorials = special.gammaln(series.y + 1).sum()
    for phi, value in zip(phis, batch, strict=True):
        mean = np.exp(log_mean(phi, series, engine.season_, form))
        size = math.exp(phi[3])
        exact = stats.nbinom.logpmf(series.y, size, size / (size + mean)).sum()
        # The batch leaves out the log y! terms: the same for every draw.
        assert value - log_factorials == pytest.approx(exact, rel=1e-9)


def test_ramp_shares_by_row_follow_each_rows_form() -> None:
    rng = np.random.default_rng(6)
    z = rng.uniform(-30, 30, (60, 40))
    gompertz = rng.random(60) < 0.5
    shares = ramp_share_by_row(z.astype(np.float32), gompertz)
    for form in FORMS:
        np.testing.assert_array_equal(log_ramp_share(z, form), log_ramp(z, form)[0])
    expected = np.where(
        gompertz[:, None], np.exp(log_ramp(z, "gompertz")[0]), np.exp(log_ramp(z, "logistic")[0])
    )
    np.testing.assert_allclose(shares, expected, rtol=1e-5, atol=1e-30)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_sigmoid_is_minus_log_of_one_plus_exp_of_minus_x(dtype: type[np.floating]) -> None:
    x = np.concatenate([np.linspace(-800, 800, 160_001), [0.0, -0.0, np.inf, -np.inf]])
    x = x.astype(dtype)
    np.testing.assert_array_equal(log_sigmoid(x), -np.logaddexp(dtype(0.0), -x))


def test_plateau_never_above_the_cap(fitted: tuple[AdoptionEngine, SimulatedProgramme]) -> None:
    engine, _ = fitted
    parameters = engine.parameters()
    assert np.all(parameters["plateau_share"] <= 0.75)
    assert np.all(parameters["plateau_share"] > 0)


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 10_000), forecast_seed=st.integers(0, 2**32 - 1))
def test_counts_are_whole_and_non_negative(seed: int, forecast_seed: int) -> None:
    engine, _ = _fit(seed, n_groups=6)
    prognosis = engine.forecast(n_paths=300, seed=forecast_seed)
    # Without a national ceiling nothing scales the counts: the noise comes after the cap,
    # so no count is cut to a fractional cap either.
    assert np.all(prognosis.ge >= 0)
    assert np.all(prognosis.ge == np.round(prognosis.ge))


def test_counts_scatter_around_the_cap_when_the_expectation_is_above_it(
    fitted: tuple[AdoptionEngine, SimulatedProgramme],
) -> None:
    engine, sim = fitted
    caps = np.array([g.cap_per_month for g in sim.groups])

    def far_above(expected: np.ndarray) -> np.ndarray:
        return np.broadcast_to(1000 * caps[None, :, None], expected.shape)

    prognosis = engine.forecast(n_paths=400, seed=3, adjust=far_above)
    projected = prognosis.ge[:, :, prognosis.is_projected].astype(np.float64)
    # The cap bounds the expected level: the months average the cap (clipping the noisy
    # counts instead kept every month at or below it, so the mean fell short) ...
    np.testing.assert_allclose(projected.mean(axis=(0, 2)), caps, rtol=0.03)
    # ... and the count noise puts some months above it.
    assert (projected > caps[None, :, None]).any()


def test_same_seed_same_paths(fitted: tuple[AdoptionEngine, SimulatedProgramme]) -> None:
    engine, _ = fitted
    first = engine.forecast(n_paths=200, seed=42)
    again = engine.forecast(n_paths=200, seed=42)
    other = engine.forecast(n_paths=200, seed=43)
    np.testing.assert_array_equal(first.ge, again.ge)
    assert not np.array_equal(first.ge, other.ge)


def test_lowering_the_expectation_never_raises_a_count(
    fitted: tuple[AdoptionEngine, SimulatedProgramme],
) -> None:
    # Scenarios rely on this: same seed, lower means, never a higher count in any cell.
    engine, _ = fitted
    base = engine.forecast(n_paths=300, seed=9)
    lower = engine.forecast(n_paths=300, seed=9, adjust=lambda e: e * 0.8)
    assert np.all(lower.ge <= base.ge)
    assert lower.ge.sum() < base.ge.sum()


def test_history_is_untouched_and_identical_on_every_path(
    fitted: tuple[AdoptionEngine, SimulatedProgramme],
) -> None:
    engine, _ = fitted
    prognosis = engine.forecast(n_paths=50, seed=1)
    history = ~prognosis.is_projected
    np.testing.assert_array_equal(
        prognosis.ge[:, :, history],
        np.broadcast_to(engine.history_.ge, (50, *engine.history_.ge.shape)),
    )


def _short_programme() -> tuple[pd.DataFrame, GroupRegistry, wf.Assumptions]:
    def group(key: str, go_live: str | None, status: str = "live") -> PatientGroup:
        return PatientGroup(
            key=key,
            name_da=key,
            name_en=key,
            kind="germline",
            declared_per_year=1200,
            go_live=go_live,
            status=status,
        )

    groups = GroupRegistry(
        [
            group("old", "2021-01"),
            group("mid", "2021-06"),
            group("short", "2022-10"),
            group("soon", "2023-05", "onboarding"),
            group("never", None, "planned"),
        ]
    )
    rng = np.random.default_rng(0)
    rows = []
    for key, first in (("old", "2021-01"), ("mid", "2021-06"), ("short", "2022-10")):
        for month in pd.period_range(first, "2022-12", freq="M"):
            since = (month - pd.Period(first, "M")).n
            mean = 60 / (1 + math.exp(-(since - 3)))
            rows.append({"group": key, "month": month, "ge": int(rng.poisson(mean))})
    actuals = pd.DataFrame(rows)
    return actuals, groups, wf.Assumptions(as_of="2022-12", horizon_months=24)


def test_short_and_not_live_groups_fall_back_to_the_prior_with_a_warning() -> None:
    actuals, groups, assumptions = _short_programme()
    with pytest.warns(PriorFallbackWarning) as caught:
        engine = AdoptionEngine().fit(actuals, groups, assumptions)
    messages = [str(w.message) for w in caught]
    assert any("'short' has 3 months of history" in m and "needs 6" in m for m in messages)
    assert any("'soon' has 0 months" in m for m in messages)
    assert not any("'old'" in m for m in messages)
    prognosis = engine.forecast(n_paths=200, seed=3)
    assert "fell back to prior: 3 months of history" in str(prognosis.group_notes["short"][0])
    assert "not live yet (starts 2023-05)" in str(prognosis.group_notes["soon"][0])
    assert "no go-live month, start drawn from 2023-01" in str(prognosis.group_notes["never"][0])
    assert any("'never' has 0 months" in m for m in messages)
    keys = list(groups.keys)
    projected = prognosis.ge[:, :, prognosis.is_projected]
    # Registered but undated: it starts on some paths (at the pace the two later groups
    # joined, about one a year), not on all.
    started = (projected[:, keys.index("never")] > 0).any(axis=1)
    assert 0.3 < started.mean() < 0.9
    first = np.argmax(projected[:, keys.index("never")] > 0, axis=1)[started]
    assert np.median(first) >= 6
    future = prognosis.months[prognosis.is_projected]
    before_go_live = np.asarray(future < pd.Period("2023-05", "M"))
    assert np.all(projected[:, keys.index("soon")][:, before_go_live] == 0)
    assert projected[:, keys.index("soon")][:, ~before_go_live].mean() > 1
    # The short group borrows strength: its projected level is near the others', not 0.
    assert projected[:, keys.index("short"), -6:].mean() > 20


def test_progress_bar_forced_and_suppressed(
    fitted: tuple[AdoptionEngine, SimulatedProgramme], capsys: pytest.CaptureFixture[str]
) -> None:
    engine, _ = fitted
    engine.forecast(n_paths=600, seed=1, progress=True)
    assert "count noise" in capsys.readouterr().err
    engine.forecast(n_paths=600, seed=1, progress=False)
    assert "count noise" not in capsys.readouterr().err


def test_bundled_data_gives_a_target_month_distribution(bundled: wf.ProgrammeData) -> None:
    # Its speed is measured in benchmarks/simulate_speed.py, not here: CI machines vary.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        engine = AdoptionEngine().fit(bundled.actuals, bundled.groups, bundled.assumptions)
    prognosis = engine.forecast(n_paths=1000, seed=2023)
    table = prognosis.target_distribution()
    assert table["probability"].sum() == pytest.approx(1 - prognosis.p_never())
    quantiles = prognosis.target_month_quantiles()
    known = [q for q in quantiles.values() if q is not None]
    assert known == sorted(known)
    assert 0.0 <= prognosis.p_target_by_deadline() <= 1.0
    notes = prognosis.group_notes
    assert notes["lever"][0].flag("en") == "fell back to prior"
    assert "sjaeldne-sygdomme" not in notes


# ---- ramp forms, exact posterior, level drift -----------------------------------------------
def test_a_gompertz_ramp_is_recognised_and_its_plateau_recovered() -> None:
    from wgsforecast.simulate import ramp_curve

    # One slow Gompertz group past its midpoint and one logistic group beside it.
    months = pd.period_range("2020-01", "2022-12", freq="M")
    since = np.arange(months.size, dtype=np.float64)
    rng = np.random.default_rng(4)
    curves = {
        "gomp": 150 * ramp_curve(since, 8.0, 4.0, "gompertz"),
        "logi": 100 * ramp_curve(since, 3.0, 1.0, "logistic"),
    }
    rows = [
        {"group": key, "month": month, "ge": int(rng.poisson(mean))}
        for key, curve in curves.items()
        for month, mean in zip(months, curve, strict=True)
    ]
    groups = GroupRegistry(
        [
            PatientGroup(
                key=key,
                name_da=key,
                name_en=key,
                kind="germline",
                declared_per_year=3000,
                go_live="2020-01",
                status="live",
            )
            for key in curves
        ]
    )
    engine = AdoptionEngine().fit(
        pd.DataFrame(rows), groups, wf.Assumptions(as_of="2022-12", horizon_months=12)
    )
    parameters = engine.parameters().set_index("group")
    assert parameters.loc["gomp", "gompertz_weight"] > 0.9
    assert parameters.loc["gomp", "ramp_form"] == "gompertz"
    assert parameters.loc["gomp", "plateau_per_month"] == pytest.approx(150, rel=0.1)
    assert parameters.loc["logi", "gompertz_weight"] < 0.5


def test_posterior_draws_are_a_usable_weighted_sample(
    fitted: tuple[AdoptionEngine, SimulatedProgramme],
) -> None:
    engine, _ = fitted
    for sample in engine.samples_:
        assert sample.cumulative_weight[-1] == 1.0
        assert np.all(np.diff(sample.cumulative_weight) >= 0)
        assert np.isfinite(sample.params).all()
        # Importance weights that collapse onto a handful of draws would fake certainty.
        assert sample.effective_size > 50


def test_throughput_walk_widens_the_national_fan_without_moving_its_centre(
    fitted: tuple[AdoptionEngine, SimulatedProgramme],
) -> None:
    engine, _ = fitted
    totals = {}
    for scale in (0.0, 3.0):
        engine.throughput_sd_scale = scale
        prognosis = engine.forecast(n_paths=2000, seed=5)
        totals[scale] = prognosis.ge[:, :, prognosis.is_projected][:, :, :24].sum(axis=(1, 2))
    engine.throughput_sd_scale = AdoptionEngine().throughput_sd_scale
    spread = {d: np.subtract(*np.quantile(t, [0.9, 0.1])) for d, t in totals.items()}
    assert spread[3.0] > 1.3 * spread[0.0]
    assert np.median(totals[3.0]) == pytest.approx(np.median(totals[0.0]), rel=0.05)
    with pytest.raises(ValueError, match="throughput_sd_scale"):
        AdoptionEngine(throughput_sd_scale=-0.1)


# ---- honesty: realisation, onboarding, capacity, Monte Carlo quality ----------------------
def _quietly_fit(data: wf.ProgrammeData, **kwargs: Any) -> AdoptionEngine:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        return AdoptionEngine(**kwargs).fit(data.actuals, data.groups, data.assumptions)


@pytest.fixture(scope="module")
def bundled_engine(bundled: wf.ProgrammeData) -> AdoptionEngine:
    return _quietly_fit(bundled)


def test_every_group_has_500_effective_draws(bundled_engine: AdoptionEngine) -> None:
    draws = bundled_engine.parameters()["effective_draws"]
    assert (draws >= 500).all(), draws


def test_headline_is_stable_across_proposal_seeds(bundled: wf.ProgrammeData) -> None:
    medians, chances = [], []
    for proposal_seed in range(1, 6):
        prognosis = _quietly_fit(bundled, proposal_seed=proposal_seed).forecast(
            n_paths=2000, seed=2023
        )
        medians.append(prognosis.target_month_quantiles()[0.5])
        chances.append(
            [
                float((prognosis.cumulative_at(pd.Period(month, "M")) >= 60_000).mean())
                for month in ("2025-06", "2025-12", "2026-06", "2026-12")
            ]
        )
    months = [(m - medians[0]).n for m in medians]
    assert max(months) - min(months) <= 1, medians
    spread = np.ptp(np.array(chances), axis=0)
    assert (spread <= 0.03).all(), chances


def test_a_group_at_two_percent_of_declared_may_never_ramp(bundled: wf.ProgrammeData) -> None:
    key = "udbredt-uhelbredelig-kraeft"
    level = round(0.02 * bundled.groups[key].declared_per_year / 12)
    actuals = bundled.actuals.copy()
    actuals.loc[actuals["group"] == key, "ge"] = level
    assert (actuals["group"] == key).sum() == 4
    engine = _quietly_fit(wf.ProgrammeData(actuals, bundled.groups, bundled.assumptions))
    assert engine.plateau_share_below(key, 0.10) >= 0.25
    # Without the reference class the pooled prior alone reads it as "early in its ramp".
    pooled_only = _quietly_fit(
        wf.ProgrammeData(actuals, bundled.groups, bundled.assumptions), reference_weight=0.0
    )
    assert pooled_only.plateau_share_below(key, 0.10) < engine.plateau_share_below(key, 0.10)


def test_a_passed_go_live_without_data_starts_later_than_planned(
    bundled: wf.ProgrammeData,
) -> None:
    key = "lever"
    as_of = bundled.assumptions.as_of
    planned = as_of - 2  # three planned months (as_of - 2 .. as_of) passed without data
    groups = bundled.groups.replace(
        [bundled.groups[key].model_copy(update={"go_live": planned, "status": "onboarding"})]
    )
    prognosis = _quietly_fit(
        wf.ProgrammeData(bundled.actuals, groups, bundled.assumptions)
    ).forecast(n_paths=2000, seed=1)
    index = groups.keys.index(key)
    started = prognosis.ge[:, index, :] > 0
    first = np.where(started.any(axis=1), started.argmax(axis=1), prognosis.ge.shape[2])
    planned_position = prognosis.month_position(planned)
    assert (first > planned_position).mean() >= 0.5
    # Slips are at least the months already passed, and "never" has become likelier.
    slip = SlipPrior()
    draws = slip.draw(3, 20_000, np.random.default_rng(0))
    assert np.nanmin(draws) >= 3
    assert np.isinf(draws).mean() > slip.p_never


def test_planned_ramps_move_the_evidence_forecast(bundled: wf.ProgrammeData) -> None:
    key = "psykiatri-boern-unge"  # not live yet in the bundled data
    base = _quietly_fit(bundled).forecast(n_paths=500, seed=3)
    index = bundled.groups.keys.index(key)
    for change in ({"months": 24}, {"start": "2025-01"}, {"target_share": 0.3}):
        group = bundled.groups[key]
        groups = bundled.groups.replace(
            [
                group.model_copy(
                    update={
                        "ramp": group.ramp.model_validate({**group.ramp.model_dump(), **change})
                    }
                )
            ]
        )
        changed = _quietly_fit(
            wf.ProgrammeData(bundled.actuals, groups, bundled.assumptions)
        ).forecast(n_paths=500, seed=3)
        # The first two projected years, where a plan's timing shows.
        window = slice(base.month_position(bundled.assumptions.as_of) + 1, None)
        first_two_years = [p.ge[:, index, window][:, :24].sum() for p in (changed, base)]
        assert first_two_years[0] < 0.9 * first_two_years[1], change


def test_no_path_above_the_capacity_ceiling_it_drew(bundled: wf.ProgrammeData) -> None:
    engine = _quietly_fit(bundled)
    prognosis = engine.forecast(n_paths=2000, seed=4, adjust=lambda expected: expected * 3)
    ceiling = prognosis.national_ceiling
    assert ceiling is not None
    genomes = np.einsum(
        "pgm,g->pm", prognosis.ge[:, :, prognosis.is_projected], engine.genomes_per_ge()
    )
    assert (genomes <= ceiling[:, None] * (1 + 1e-5)).all()
    assert (genomes >= 0.99 * ceiling[:, None]).any(), "the ceiling should bind somewhere"
    # The ceiling is never below what the programme has already achieved.
    assert ceiling.min() * 12 >= engine.achieved_genomes_per_year_ * (1 - 1e-6)


def test_no_ceiling_when_the_programme_states_no_capacity(bundled: wf.ProgrammeData) -> None:
    programme = bundled.assumptions.programme.model_copy(update={"capacity_wgs_per_year": None})
    assumptions = bundled.assumptions.model_copy(update={"programme": programme})
    engine = _quietly_fit(wf.ProgrammeData(bundled.actuals, bundled.groups, assumptions))
    assert engine.forecast(n_paths=50, seed=1).national_ceiling is None


def test_throughput_step_sd_separates_drift_from_month_noise() -> None:
    rng = np.random.default_rng(8)
    walk = np.cumsum(0.08 * rng.standard_normal(400)) + 0.05 * rng.standard_normal(400)
    assert throughput_step_sd(walk) == pytest.approx(0.08, rel=0.3)
    low, high = THROUGHPUT_SD_BOUNDS
    assert throughput_step_sd(0.2 * rng.standard_normal(400)) == pytest.approx(low, abs=0.02)
    assert throughput_step_sd(np.cumsum(rng.standard_normal(400))) == high
    assert throughput_step_sd(np.zeros(2)) == low


def test_throughput_state_reads_the_level_at_the_origin() -> None:
    rng = np.random.default_rng(5)
    # National throughput stepped up by 0.3 (log) six months ago and stayed there.
    residuals = np.r_[np.zeros(18), np.full(6, 0.3)] + 0.05 * rng.standard_normal(24)
    state = throughput_state(residuals, step_sd=0.05, month_sd=0.05, count_variance=0.0)
    assert state.mean == pytest.approx(0.3, abs=0.06)
    assert 0 < state.variance < 0.05**2
    # Without a walk the level is one constant: its estimate is the mean of every month.
    fixed = throughput_state(residuals, step_sd=0.0, month_sd=0.04, count_variance=0.0009)
    assert fixed.mean == pytest.approx(residuals.mean())
    assert fixed.variance == pytest.approx(0.05**2 / 24)


def test_throughput_state_grows_uncertain_over_unread_months() -> None:
    read = throughput_state(np.r_[np.nan, np.zeros(12)], 0.05, 0.05, 0.0)
    assert read == throughput_state(np.zeros(12), 0.05, 0.05, 0.0)  # leading gaps: nothing
    unread = throughput_state(np.r_[np.zeros(12), np.full(3, np.nan)], 0.05, 0.05, 0.0)
    assert unread.mean == read.mean == 0
    assert unread.variance == pytest.approx(read.variance + 3 * 0.05**2)
    # A gap in the middle: the months after it pull harder, so a jump after it counts more.
    jump = np.r_[np.zeros(12), 0.2]
    gap = np.r_[np.zeros(12), np.full(3, np.nan), 0.2]
    assert (
        throughput_state(gap, 0.05, 0.05, 0.0).mean > throughput_state(jump, 0.05, 0.05, 0.0).mean
    )
    assert throughput_state(np.full(4, np.nan), 0.05, 0.05, 0.0) == ThroughputState(0.0, 0.0)


def test_paths_start_from_where_national_throughput_stands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim = simulate_programme(12)
    as_of = sim.assumptions.as_of
    recent = np.asarray(pd.PeriodIndex(sim.actuals["month"], freq="M") > as_of - 4)
    # Every group 30% up in the last four months: more than the fitted curves bend to.
    lifted = sim.actuals.assign(
        ge=np.where(recent, np.round(sim.actuals["ge"] * 1.3), sim.actuals["ge"])
    )
    plain = _quietly_fit(wf.ProgrammeData(sim.actuals, sim.groups, sim.assumptions))
    engine = _quietly_fit(wf.ProgrammeData(lifted, sim.groups, sim.assumptions))
    assert abs(plain.throughput_start().mean) < 0.05
    start = engine.throughput_start()
    assert start.mean > 0.1

    def first_month(fitted: AdoptionEngine) -> float:
        prognosis = fitted.forecast(n_paths=4000, seed=1, progress=False)
        month = prognosis.month_position(as_of + 1)
        return float(np.median(prognosis.ge[:, :, month].sum(axis=1)))

    started = first_month(engine)
    # The same paths as if the curves were the level at the origin.
    monkeypatch.setattr(engine, "throughput_start", lambda: ThroughputState(0.0, 0.0))
    assert started / first_month(engine) == pytest.approx(math.exp(start.mean), rel=0.05)


def test_local_level_state_from_a_known_start() -> None:
    # A level known to start at 0: one noisy month moves it only part of the way there.
    state = local_level_state(np.array([0.5]), 0.01, np.array([0.09]), start_variance=0.0)
    gain = 0.01 / (0.01 + 0.09)
    assert state.mean == pytest.approx(gain * 0.5)
    assert state.variance == pytest.approx(0.01 * (1 - gain))
    # An unknown start: the first readable month is the level, read with its noise.
    unknown = local_level_state(np.array([np.nan, 0.5]), 0.01, np.array([0.0, 0.09]))
    assert (unknown.mean, unknown.variance) == (0.5, pytest.approx(0.09))
    # Nothing readable: the known start carried forward, a step's variance a month.
    carried = local_level_state(np.full(3, np.nan), 0.01, np.zeros(3), start_variance=0.02)
    assert (carried.mean, carried.variance) == (0.0, pytest.approx(0.05))


def test_group_level_variation_separates_a_walk_from_count_noise() -> None:
    rng = np.random.default_rng(3)
    shape = (12, 48)
    count_noise = np.full(shape, 0.01)  # relative variance: sd 0.1
    walk = np.cumsum(0.06 * rng.standard_normal(shape), axis=1)
    residuals = walk + 0.1 * rng.standard_normal(shape)
    residuals[:, :5] = np.nan  # months a group is too small to read
    own = group_level_variation(residuals, count_noise)
    assert own.step_sd == pytest.approx(0.06, rel=0.3)
    assert own.month_sd < 0.05  # the count noise is all the month noise there is
    still = group_level_variation(0.1 * rng.standard_normal(shape), count_noise)
    assert still.step_sd < 0.03
    assert group_level_variation(np.zeros((3, 2)), np.zeros((3, 2))) == Throughput(0.0, 0.0)


def test_a_group_above_its_curve_starts_its_paths_above_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim = simulate_programme(12)
    as_of = sim.assumptions.as_of
    last = sim.actuals[pd.PeriodIndex(sim.actuals["month"], freq="M") == as_of]
    caps = last["group"].map(lambda key: sim.groups[key].cap_per_month)
    months = sim.actuals[sim.actuals["ge"] > 0].groupby("group")["month"].count()
    # The largest group with a year of data (its curve settled) and far enough below its
    # cap for the cap not to hide its level.
    roomy = last[(1.6 * last["ge"] < caps) & (last["group"].map(months) >= 12)]
    key = str(roomy.loc[roomy["ge"].idxmax(), "group"])
    index = sim.groups.keys.index(key)
    recent = np.asarray(pd.PeriodIndex(sim.actuals["month"], freq="M") > as_of - 4) & np.asarray(
        sim.actuals["group"] == key
    )
    # One group 40% up in its last four months.
    lifted = sim.actuals.assign(
        ge=np.where(recent, np.round(sim.actuals["ge"] * 1.4), sim.actuals["ge"])
    )
    plain = _quietly_fit(wf.ProgrammeData(sim.actuals, sim.groups, sim.assumptions))
    engine = _quietly_fit(wf.ProgrammeData(lifted, sim.groups, sim.assumptions))
    # This programme's groups follow their curves so closely that no walk of their own is
    # estimated: every level is then known to stay on its curve.
    assert engine.group_step_sd_ == plain.group_step_sd_ == 0
    assert all(state == ThroughputState(0.0, 0.0) for state in engine.group_levels())
    # As if the groups' levels were seen to walk: the lifted group reads above its curve
    # (its refitted curve and noise take up part of the lift), a group not live on it.
    engine.group_step_sd_ = plain.group_step_sd_ = 0.05
    assert engine.group_levels()[index].mean > plain.group_levels()[index].mean + 0.03
    for begin, state in zip(engine.history_.started, engine.group_levels(), strict=True):
        if begin < 0:
            assert state == ThroughputState(0.0, 0.0)

    def first_month() -> float:
        prognosis = engine.forecast(n_paths=2000, seed=1, progress=False)
        return float(np.median(prognosis.ge[:, index, prognosis.month_position(as_of + 1)]))

    def levels(mean: float) -> list[ThroughputState]:
        return [ThroughputState(mean if i == index else 0.0, 0.0) for i in range(len(sim.groups))]

    # The paths start from the level: 0.3 above the curve is exp(0.3) times the counts.
    monkeypatch.setattr(engine, "group_levels", lambda: levels(0.3))
    above = first_month()
    monkeypatch.setattr(engine, "group_levels", lambda: levels(0.0))
    assert above / first_month() == pytest.approx(math.exp(0.3), rel=0.05)


def test_group_level_scale_zero_keeps_every_group_on_its_curve(
    bundled: wf.ProgrammeData, bundled_engine: AdoptionEngine
) -> None:
    assert bundled_engine.group_step_sd_ > 0
    assert any(state.variance > 0 for state in bundled_engine.group_levels())
    still = _quietly_fit(bundled, group_level_scale=0.0)
    assert still.group_step_sd_ == bundled_engine.group_step_sd_  # estimated all the same
    assert all(state == ThroughputState(0.0, 0.0) for state in still.group_levels())
    with pytest.raises(ValueError, match="group_level_scale"):
        AdoptionEngine(group_level_scale=-1.0)


def test_net_count_variance_matches_simulated_counts() -> None:
    rng = np.random.default_rng(11)
    means = np.array([[400.0], [120.0], [30.0], [0.0]])
    sizes = np.array([50.0, 200.0, 1e9, 80.0])
    draws = 200_000
    counts = np.stack(
        [
            rng.negative_binomial(size, size / (size + mean), draws)
            if mean > 0
            else np.zeros(draws)
            for mean, size in zip(means[:, 0], sizes, strict=True)
        ]
    )
    national = np.log(counts.sum(axis=0)) - np.log(means.sum())
    residuals = np.log(counts[:3] + 0.5) - np.log(means[:3]) - national
    expected = net_count_variance(means, sizes)
    # The big group's noise is largely in the national residual too: much less than its own.
    assert expected[0, 0] < 0.5 * (1 / 400 + 1 / 50)
    np.testing.assert_allclose(residuals.var(axis=1), expected[:3, 0], rtol=0.1)
    assert expected[3, 0] == 0.0  # not started
    # A group just starting, its fitted mean too small for 1 / mean to be finite, leaves
    # the other groups' noise as it was (it used to make every group's month NaN).
    starting = net_count_variance(np.array([[400.0], [120.0], [1e-310]]), sizes[:3])
    np.testing.assert_allclose(
        starting[:2, 0], net_count_variance(means[:2], sizes[:2])[:, 0], rtol=1e-12
    )


def test_group_walks_start_with_the_group_and_spread_with_the_lead(
    bundled_engine: AdoptionEngine,
) -> None:
    n_paths, horizon = 4000, 24
    step = bundled_engine.group_step_sd_
    n_groups = len(bundled_engine.groups_)
    starts = np.full((n_paths, n_groups), -5.0, dtype=np.float32)  # live
    starts[:, 1] = 6.0  # starts in the seventh projected month
    starts[:, 2] = np.inf  # never starts
    rng = np.random.default_rng(2)
    now = np.zeros((n_paths, n_groups), dtype=np.float32)
    out = np.empty((n_paths, n_groups, horizon), dtype=np.float32)
    log_level = np.log(bundled_engine._group_level_factors(now, step, starts, rng, out))
    assert np.all(log_level[:, 1, :6] == 0) and np.all(log_level[:, 2] == 0)
    # A walk: after k months the sd is step x sqrt(k), for a live group and from a start.
    for months in (1, 6, 24):
        assert log_level[:, 0, months - 1].std() == pytest.approx(step * math.sqrt(months), rel=0.1)
    assert log_level[:, 1, 11].std() == pytest.approx(step * math.sqrt(6), rel=0.1)


def test_paths_do_not_depend_on_the_chunk_size(
    bundled_engine: AdoptionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wgsforecast.engines.adoption as adoption

    whole = bundled_engine.forecast(n_paths=300, seed=4, progress=False).ge
    monkeypatch.setattr(adoption, "CHUNK_CELLS", 700)  # a path or two at a time
    np.testing.assert_array_equal(
        bundled_engine.forecast(n_paths=300, seed=4, progress=False).ge, whole
    )


def test_group_levels_need_a_fit() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        AdoptionEngine().group_levels()


def test_throughput_start_needs_a_fit() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        AdoptionEngine().throughput_start()


def test_throughput_start_follows_the_scale_at_forecast_time() -> None:
    sim = simulate_programme(12)
    engine = _quietly_fit(wf.ProgrammeData(sim.actuals, sim.groups, sim.assumptions))
    default = engine.throughput_start()
    engine.throughput_sd_scale = 2 * THROUGHPUT_SD_SCALE
    wider = engine.throughput_start()
    assert wider.variance > default.variance
    engine.throughput_sd_scale = 0.0  # no national throughput: the curves, exactly
    assert engine.throughput_start() == ThroughputState(0.0, 0.0)
    fitted_at_zero = _quietly_fit(
        wf.ProgrammeData(sim.actuals, sim.groups, sim.assumptions), throughput_sd_scale=0.0
    )
    np.testing.assert_array_equal(
        engine.forecast(n_paths=200, seed=3, progress=False).ge,
        fitted_at_zero.forecast(n_paths=200, seed=3, progress=False).ge,
    )


def test_reference_class_prior_has_a_heavy_low_tail() -> None:
    prior = ShareLogNormal.from_reference()
    assert 0.1 < prior.median < 0.4
    # At least a quarter of comparable programmes' realisations below 10% of declared.
    assert stats.norm.cdf((math.log(0.1) - prior.log_median) / prior.sd_log) > 0.2


def test_slip_prior_learns_from_the_programmes_own_go_lives() -> None:
    prior = SlipPrior()
    assert prior.learned([], [], 4.0) == prior
    on_time = prior.learned([0.0] * 8, [], 4.0)
    late = prior.learned([9.0] * 8, [], 4.0)
    still_waiting = prior.learned([], [6.0] * 3, 4.0)
    assert on_time.median_months < 1.5 < prior.median_months
    assert late.median_months > 6
    # A group six months past its plan without data is at least six months late.
    assert still_waiting.median_months > 6
    assert (late.sd_log, late.p_never) == (prior.sd_log, prior.p_never)


def test_go_lives_that_came_late_delay_the_groups_not_live_yet(bundled: wf.ProgrammeData) -> None:
    key = "psykiatri-boern-unge"  # not live yet in the bundled data
    index = bundled.groups.keys.index(key)
    first_months = []
    for months_late in (0, 9):
        groups = bundled.groups.replace(
            [
                g.model_copy(update={"planned_go_live": g.go_live - months_late})
                for g in bundled.groups
                if g.status == "live" and g.go_live is not None
            ]
        )
        engine = _quietly_fit(wf.ProgrammeData(bundled.actuals, groups, bundled.assumptions))
        prognosis = engine.forecast(n_paths=1000, seed=5)
        started = prognosis.ge[:, index, :] > 0
        first_months.append(np.median(started.argmax(axis=1)[started.any(axis=1)]))
        if months_late == 0:
            assert engine.slip_.median_months < SlipPrior().median_months
        else:
            assert engine.slip_.median_months > SlipPrior().median_months
    assert first_months[1] > first_months[0]


def test_reference_weight_is_learned_from_groups_with_history(
    fitted: tuple[AdoptionEngine, SimulatedProgramme],
) -> None:
    engine, sim = fitted
    # This world's running groups mostly reach their declared volumes: less weight on
    # shortfall than the prior's half.
    assert 0 < engine.reference_weight_ < engine.reference_weight
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        for fixed in (0.0, 1.0):
            refit = AdoptionEngine(reference_weight=fixed).fit(
                sim.actuals, sim.groups, sim.assumptions
            )
            assert refit.reference_weight_ == fixed


def test_groups_the_reference_class_explains_leave_the_pooled_plateau() -> None:
    pooled = Prior(mean=np.array([0.0, 6.0, 0.5, 3.0]), sd=np.array([1.5, 4.0, 0.5, 1.0]))
    high = [np.array([1.9, 2.0, 2.1])] * 8
    low = [np.array([-3.1, -3.0, -2.9])] * 8
    pooled_only, explained_away = [np.full(3, 1 / 3)] * 8, [np.zeros(3)] * 8
    everyone = pooled_share_update(pooled, high + low, pooled_only * 2)
    explained = pooled_share_update(pooled, high + low, pooled_only + explained_away)
    only_high = pooled_share_update(pooled, high, pooled_only)
    # Counted in both components, the low groups drag the pooled plateau down and widen
    # it; explained by the reference class, they drop out of it.
    assert everyone.mean[0] < 0 < explained.mean[0]
    assert explained.mean[0] == pytest.approx(only_high.mean[0])
    assert explained.sd[0] < everyone.sd[0]
    # Shrunk toward the default prior, and the other parameters kept.
    assert explained.mean[0] < 2.0
    np.testing.assert_array_equal(explained.mean[1:], pooled.mean[1:])
    np.testing.assert_array_equal(explained.sd[1:], pooled.sd[1:])


def test_plateau_draws_reweight_as_the_full_prior_does() -> None:
    rng = np.random.default_rng(4)
    pooled = Prior(mean=np.array([0.3, 6.0, 0.5, 3.0]), sd=np.array([1.2, 4.0, 0.5, 1.0]))
    reference = ShareLogNormal.from_reference()
    old = GroupPrior(pooled, reference, target_share=0.75, reference_weight=0.5)
    moved = Prior(mean=np.array([1.1, 6.0, 0.5, 3.0]), sd=np.array([0.9, 4.0, 0.5, 1.0]))
    new = GroupPrior(moved, reference, target_share=0.75, reference_weight=0.3)
    params = old.draw(500, rng)
    weights = rng.uniform(size=500)
    weights[:10] = 0.0  # outside the bounds: left out
    sample = PosteriorSample(params, np.zeros(500, np.int64), np.cumsum(weights / weights.sum()))
    draws = PlateauDraws.of(sample, old)
    posterior, reference_like = draws.posterior(moved, 0.3)
    np.testing.assert_allclose(posterior, reweighted(sample, old, new).weights[10:], rtol=1e-9)
    # The chance of being reference-like, from the two components' densities directly.
    kept = params[10:]
    normal = -0.5 * ((kept - moved.mean) / moved.sd) ** 2 - np.log(moved.sd)
    others = normal[:, 1:].sum(axis=1) - 3 * 0.5 * math.log(2 * math.pi)
    log_reference = math.log(0.3) + new.reference_log_share_density(kept[:, 0]) + others
    np.testing.assert_allclose(reference_like, np.exp(log_reference - new.log_density(kept)))


def test_the_mixture_fit_raises_the_pooled_plateau_of_a_programme_with_shortfall_groups(
    fitted: tuple[AdoptionEngine, SimulatedProgramme],
) -> None:
    engine, sim = fitted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        plain = AdoptionEngine(reference_weight=0.0).fit(sim.actuals, sim.groups, sim.assumptions)
    # The stalled groups of this world are the reference class's to explain.
    assert (sim.truth["shape"] == "stalled").any()
    assert engine.prior_.mean[0] > plain.prior_.mean[0]
    np.testing.assert_array_equal(engine.prior_.mean[1:], plain.prior_.mean[1:])


def test_waiting_groups_take_the_engines_own_chance_of_never_starting() -> None:
    actuals, groups, assumptions = _short_programme()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        engine = AdoptionEngine(slip=SlipPrior(p_never=0.3)).fit(actuals, groups, assumptions)
    # Two groups joined after the first month (2021-01) in the 23 months to December 2022.
    assert (engine.onboarding_.joined, engine.onboarding_.months) == (2, 23.0)
    assert engine.onboarding_.p_never == 0.3


def test_a_shorter_onboarding_pace_prior_starts_waiting_groups_sooner() -> None:
    actuals, groups, assumptions = _short_programme()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        fitted = {
            months: AdoptionEngine(onboarding_months_per_group=months).fit(
                actuals, groups, assumptions
            )
            for months in (3.0, 12.0)
        }
    # Two groups joined in 23 months: the gap at the posterior mean rate is (prior + 23) / 3.
    assert fitted[3.0].onboarding_.months_per_group == pytest.approx(26 / 3)
    assert fitted[12.0].onboarding_.months_per_group == pytest.approx(35 / 3)
    waiting = list(groups.keys).index("never")
    starts = {
        months: engine._start_offsets(4000, np.random.default_rng(2))[waiting]
        for months, engine in fitted.items()
    }
    # The same random numbers, a faster pace: no path starts the group later.
    assert np.all(starts[3.0] <= starts[12.0])
    assert np.median(starts[3.0]) < np.median(starts[12.0])
    for months in (0.0, math.inf):
        with pytest.raises(ValueError, match="onboarding_months_per_group"):
            AdoptionEngine(onboarding_months_per_group=months)


def test_a_month_of_the_year_seen_in_n_years_keeps_its_effect_on_n_over_n_plus_1_of_paths() -> None:
    season = np.array([-0.4] * 6 + [0.2] * 6)
    years = np.array([0, 1, 2, 3, 4, 9] * 2)
    drawn = draw_season(season, np.full(12, 0.01), years, 40_000, np.random.default_rng(5))
    kept = (drawn != 0).mean(axis=0)
    np.testing.assert_allclose(kept, years / (years + 1), atol=0.01)
    # Where kept, the effect is drawn around its estimate with its standard error.
    for month in np.flatnonzero(years):
        own = drawn[:, month][drawn[:, month] != 0]
        assert abs(own.mean() - season[month]) < 0.001
        assert abs(own.std() - 0.01) < 0.001


def test_the_paths_keep_a_seasonal_dip_by_how_many_years_show_it() -> None:
    data = wf.load_bundled()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = AdoptionEngine().fit(data.actuals, data.groups, data.assumptions)
    assert fitted.seasonality()[7] < 0.85  # the bundled July dip
    months = pd.period_range(data.assumptions.as_of + 1, periods=24, freq="M")

    def july_over_june(years: int) -> float:
        engine = copy.copy(fitted)
        engine.season_years_ = np.full(12, years)
        paths = engine.forecast(n_paths=400, seed=3, progress=False)
        national = paths.ge.sum(axis=1).mean(axis=0)
        july, june = (next(m for m in months if m.month == k) for k in (7, 6))
        return float(national[paths.month_position(july)] / national[paths.month_position(june)])

    always, never = july_over_june(10**9), july_over_june(0)
    assert never - always > 0.1  # the dip is on (nearly) every path, or on none
    assert abs(july_over_june(1) - (always + never) / 2) < 0.05  # seen once: half the paths
