"""Engines as objects: names or configured instances everywhere, and the README's new engine.

``forecast``, ``backtest``, ``compare_scenarios`` and ``build_report`` take an engine name or
a configured instance and fit a copy; a fitted engine forecasts other programme settings
with ``with_assumptions``; ``planned_ramp`` and ``assemble`` are the shared kernels; the
README's "Adding an engine" example runs and keeps the engine contract.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.test_engine_contract import _check_contract

import wgsforecast as wf
from wgsforecast.engines import (
    ENGINES,
    Engine,
    ETSEngine,
    Forecast,
    RunRateEngine,
    TrendEngine,
    assemble,
    cap_expected,
    engine_labels,
    history_from_actuals,
    new_engine,
    planned_ramp,
    register_entry_points,
)
from wgsforecast.exceptions import NotFittedError, PriorFallbackWarning
from wgsforecast.report.build import collect
from wgsforecast.scenarios import Scenario
from wgsforecast.simulate import SimulatedProgramme, simulate_programme

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def simulated() -> SimulatedProgramme:
    return simulate_programme(seed=5, n_groups=3)


def _quiet_fit(engine: Any, data: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        return engine.fit(data.actuals, data.groups, data.assumptions)


def test_new_engine_takes_a_name_or_copies_an_instance(simulated: SimulatedProgramme) -> None:
    assert type(new_engine("flat")) is ENGINES["flat"]
    configured = ETSEngine(min_months=4, trend_months=9)
    fitted = _quiet_fit(configured, simulated)
    fresh = new_engine(fitted)
    assert fresh is not fitted and type(fresh) is ETSEngine
    assert (fresh.min_months, fresh.trend_months) == (4, 9)
    assert not hasattr(fresh, "history_") and not hasattr(fresh, "point_")
    with pytest.raises(ValueError, match=r"unknown engine 'nope'; choose one of: .*runrate"):
        new_engine("nope")
    with pytest.raises(TypeError, match="engine name or an Engine instance"):
        new_engine(3)  # type: ignore[arg-type]


def test_forecast_with_an_instance_uses_its_settings_and_leaves_it_unfitted(
    simulated: SimulatedProgramme,
) -> None:
    data = simulated
    engine = ETSEngine(min_months=1000)  # longer than any history: every group falls back
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        configured = wf.forecast(data.actuals, data.groups, data.assumptions, engine, 20, 1)
        default = wf.forecast(data.actuals, data.groups, data.assumptions, "ets", 20, 1)
    assert not hasattr(engine, "history_")
    assert all("fell back" in str(notes[-1]) for notes in configured.group_notes.values())
    assert len(configured.group_notes) == len(data.groups)
    assert not np.array_equal(configured.ge, default.ge)


def test_backtest_takes_instances_and_labels_repeated_names(simulated: SimulatedProgramme) -> None:
    data = simulated
    full = data.actuals
    result = wf.backtest(
        full,
        data.groups,
        data.assumptions,
        engines=["runrate", RunRateEngine(), ETSEngine(min_months=3)],
        origins=[data.assumptions.as_of - 6],
        horizon=6,
        leads=[3, 6],
        n_paths=20,
        progress=False,
    )
    assert result.engines == ("runrate", "runrate#2", "ets")
    scores = result.scores.pivot_table(index=["lead", "metric"], columns="engine")["value"]
    # The same engine twice scores the same; the label keeps the two apart.
    np.testing.assert_allclose(scores["runrate"], scores["runrate#2"])
    assert engine_labels([RunRateEngine(), RunRateEngine(), ETSEngine()]) == (
        "runrate",
        "runrate#2",
        "ets",
    )


def test_compare_scenarios_and_the_report_take_an_instance(bundled: wf.ProgrammeData) -> None:
    later = Scenario(groups={"udbredt-uhelbredelig-kraeft": {"go_live_shift_months": 6}})
    by_name = wf.compare_scenarios(bundled, [later], engine="runrate")
    by_instance = wf.compare_scenarios(bundled, [later], engine=RunRateEngine())
    assert by_instance.engine == "runrate"
    assert by_instance.table().equals(by_name.table())
    content = collect(bundled, engine=RunRateEngine(), log=lambda _: None, figures=False)
    assert content.evidence is None and content.main.engine == "runrate"
    with pytest.raises(ValueError, match="unknown engine 'nope'"):
        collect(bundled, engine="nope", log=lambda _: None, figures=False)


def test_with_assumptions_changes_the_programme_without_a_refit(
    bundled: wf.ProgrammeData,
) -> None:
    fitted = RunRateEngine().fit(bundled.actuals, bundled.groups, bundled.assumptions)
    assert fitted.with_assumptions(bundled.assumptions) is fitted
    programme = bundled.assumptions.programme.model_copy(update={"target_ge": 30_000})
    smaller = bundled.assumptions.model_copy(update={"programme": programme})
    other = fitted.with_assumptions(smaller)
    assert other is not fitted and fitted.assumptions_ == bundled.assumptions
    refit = RunRateEngine().fit(bundled.actuals, bundled.groups, smaller)
    assert str(other.forecast().target_month()) == str(refit.forecast().target_month())
    assert other.forecast().target_month() < fitted.forecast().target_month()
    longer = bundled.assumptions.model_copy(update={"horizon_months": 72})
    with pytest.raises(ValueError, match=r"horizon_months 60 -> 72.*fit it again"):
        fitted.with_assumptions(longer)
    with pytest.raises(NotFittedError):
        RunRateEngine().with_assumptions(smaller)


def test_planned_ramp_is_the_published_methods_kernel(bundled: wf.ProgrammeData) -> None:
    history = history_from_actuals(bundled.actuals, bundled.groups, bundled.assumptions.as_of)
    planned = planned_ramp(history, bundled.groups, bundled.assumptions)
    published = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions)
    caps = np.array([g.cap_per_month for g in bundled.groups])
    expected = np.minimum(planned.ge[0], caps[:, None])
    np.testing.assert_allclose(published.ge[0][:, published.is_projected], expected, rtol=1e-6)
    assert planned.group_notes == published.group_notes


def test_assemble_clips_flags_and_prepends_the_history(simulated: SimulatedProgramme) -> None:
    data = simulated
    history = history_from_actuals(data.actuals, data.groups, data.assumptions.as_of)
    caps = np.array([g.cap_per_month for g in data.groups])
    horizon = data.assumptions.horizon_months
    future = np.zeros((2, len(caps), horizon))
    future[0, 0, 0] = 2 * caps[0]
    future[1, 1, 1] = -5.0
    prognosis = assemble(
        Forecast(ge=future), history, data.groups, data.assumptions, "toy", 7, ("reconstructed",)
    )
    projected = prognosis.ge[:, :, prognosis.is_projected]
    assert projected[0, 0, 0] == pytest.approx(caps[0]) and projected[1, 1, 1] == 0.0
    flagged = np.argwhere(prognosis.capped)
    assert flagged.tolist() == [[0, 0, history.ge.shape[1]]]  # only the month above the cap
    np.testing.assert_array_equal(prognosis.ge[1, :, : history.ge.shape[1]], history.ge)
    assert (prognosis.engine, prognosis.seed, prognosis.data_notes) == (
        "toy",
        7,
        ("reconstructed",),
    )


def test_assemble_leaves_counts_around_an_expectation_capped_before_the_noise(
    simulated: SimulatedProgramme,
) -> None:
    data = simulated
    history = history_from_actuals(data.actuals, data.groups, data.assumptions.as_of)
    caps = np.array([g.cap_per_month for g in data.groups])
    horizon = data.assumptions.horizon_months
    expected = np.broadcast_to(3 * caps[None, :, None], (1, len(caps), horizon)).copy()
    capped = cap_expected(expected, data.groups)
    assert capped.all()
    np.testing.assert_array_equal(expected[0], np.broadcast_to(caps[:, None], (len(caps), horizon)))
    noisy = expected + 1.0  # count noise scattering a month above its capped expectation
    noisy[0, 0, 0] = -2.0
    prognosis = assemble(
        Forecast(ge=noisy, capped=capped), history, data.groups, data.assumptions, "toy", 1
    )
    projected = prognosis.ge[:, :, prognosis.is_projected]
    assert projected[0, 0, 0] == 0.0  # never below zero
    assert projected[0, 1, 0] == pytest.approx(caps[1] + 1.0)  # the cap bound the expectation
    assert prognosis.capped[:, :, prognosis.is_projected].all()


class _AboveTheCapUnderACeiling(Engine):
    """Group 0 expected at 10x its cap, the others at half theirs; a national ceiling of
    exactly the caps' genomes."""

    name = "above-the-cap-test"
    stochastic = False

    def _fit(self) -> None:
        pass

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        caps = self.caps_per_month()
        ge = np.repeat(0.5 * caps[None, :, None], self.assumptions_.horizon_months, axis=2)
        ge[0, 0] = 10 * caps[0]
        ceiling = np.array([float(caps @ self.genomes_per_ge())])
        return Forecast(ge=ge, national_ceiling=ceiling)


def test_the_national_ceiling_bounds_the_capped_expectation(
    simulated: SimulatedProgramme,
) -> None:
    data = simulated
    engine = _AboveTheCapUnderACeiling().fit(data.actuals, data.groups, data.assumptions)
    prognosis = engine.forecast()
    caps = np.array([g.cap_per_month for g in data.groups])
    projected = prognosis.ge[0][:, prognosis.is_projected]
    # Group 0's excess over its cap takes no national capacity: capped first, the total
    # fits under the ceiling and nobody is scaled down.
    np.testing.assert_allclose(projected[0], caps[0])
    np.testing.assert_allclose(
        projected[1:], np.broadcast_to(0.5 * caps[1:, None], projected[1:].shape)
    )


def test_an_adjustment_may_return_a_read_only_view(simulated: SimulatedProgramme) -> None:
    data = simulated
    engine = ENGINES["trend"]().fit(data.actuals, data.groups, data.assumptions)
    caps = np.array([g.cap_per_month for g in data.groups])

    def view(expected: np.ndarray) -> np.ndarray:
        return np.broadcast_to(2 * caps[None, :, None], expected.shape)

    prognosis = engine.forecast(n_paths=5, seed=1, adjust=view)
    assert prognosis.capped[:, :, prognosis.is_projected].all()


def test_the_benchmark_comparators_assemble_like_the_engines(
    simulated: SimulatedProgramme,
) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import comparators
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    data = simulated
    caps = np.array([g.cap_per_month for g in data.groups])

    def above_the_cap(history: Any, groups: Any, horizon: int, n_paths: int, seed: int) -> Any:
        return np.broadcast_to(2 * caps[None, :, None], (n_paths, len(caps), horizon)).copy()

    prognosis = comparators.forecast_with(
        "double", above_the_cap, data.actuals, data.groups, data.assumptions, 3, 1
    )
    projected = prognosis.ge[:, :, prognosis.is_projected]
    np.testing.assert_allclose(projected, np.broadcast_to(caps[None, :, None], projected.shape))
    assert prognosis.capped[:, :, prognosis.is_projected].all()
    assert not prognosis.capped[:, :, ~prognosis.is_projected].any()


def _readme_engine_code() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Adding an engine", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README: no python block under '### Adding an engine'"
    return match.group(1)


@pytest.fixture
def readme_engine() -> Iterator[dict[str, Any]]:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    try:
        exec(compile(_readme_engine_code(), "README.md", "exec"), namespace)
        yield namespace
    finally:
        ENGINES.pop("lastmonth", None)


def test_the_readme_engine_works_by_name_and_instance_and_keeps_the_contract(
    readme_engine: dict[str, Any], bundled: wf.ProgrammeData
) -> None:
    engine_type = readme_engine["LastMonthEngine"]
    assert ENGINES["lastmonth"] is engine_type
    flat, growing = readme_engine["flat"], readme_engine["growing"]
    history = history_from_actuals(bundled.actuals, bundled.groups, bundled.assumptions.as_of)
    caps = np.array([g.cap_per_month for g in bundled.groups])
    first = flat.month_position(bundled.assumptions.as_of + 1)
    expected = np.minimum(history.ge[:, -1], caps).sum()
    assert flat.national_paths[0, first] == pytest.approx(expected, rel=1e-6)
    reached = growing.target_month()
    assert reached is not None
    assert flat.target_month() is None or flat.target_month() > reached
    engine = engine_type(growth=1.05).fit(bundled.actuals, bundled.groups, bundled.assumptions)
    _check_contract(engine, bundled, n_paths=3, seed=0)


def test_installed_engines_register_through_entry_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = metadata.EntryPoint("flat", "wgsforecast.engines.flat:FlatEngine", "test.engines")
    broken = metadata.EntryPoint("broken", "no_such_module:Engine", "test.engines")
    monkeypatch.setattr(metadata, "entry_points", lambda group: [good, broken])
    with pytest.warns(RuntimeWarning, match="'broken' .*skipped: ModuleNotFoundError"):
        assert register_entry_points("test.engines") == ["flat"]


def test_every_engine_keeps_its_settings_and_makes_a_copy_with_changes() -> None:
    for name, engine_type in ENGINES.items():
        engine = engine_type()
        settings = engine.settings()
        same = engine.with_settings()
        assert type(same) is engine_type and same is not engine, name
        assert same.settings().keys() == settings.keys(), name
    assert ETSEngine().with_settings(min_months=4).settings() == {
        "min_months": 4,
        "trend_months": 12,
    }
    with pytest.raises(ValueError, match=r"'min_month' .*did you mean 'min_months'"):
        ETSEngine().with_settings(min_month=4)
    with pytest.raises(ValueError, match="must be at least 3"):
        ETSEngine().with_settings(min_months=1)  # __init__ checks it again


def _scenario_file(tmp_path: Path, name: str, engine_table: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'[scenario]\nname = "{name}"\n\n[engine]\n{engine_table}\n')
    return path


def test_a_scenario_engine_table_changes_the_engines_settings(
    tmp_path: Path, bundled: wf.ProgrammeData
) -> None:
    from wgsforecast.scenarios import read_scenarios

    scenarios = read_scenarios(
        [
            _scenario_file(tmp_path, "as-baseline", "window = 12"),
            _scenario_file(tmp_path, "short-window", "window = 4"),
        ]
    )
    comparison = wf.compare_scenarios(bundled, scenarios, engine="trend", n_paths=200, seed=3)
    baseline, same, short = comparison.outcomes
    # The baseline's own setting on the same random numbers reproduces it exactly.
    np.testing.assert_array_equal(same.cumulative_quantiles, baseline.cumulative_quantiles)
    assert not np.array_equal(short.cumulative_quantiles, baseline.cumulative_quantiles)
    alone = wf.forecast(
        bundled.actuals, bundled.groups, bundled.assumptions, TrendEngine(window=4), 200, 3
    )
    np.testing.assert_array_equal(alone.target_positions, short.target_positions)


@pytest.mark.parametrize(
    ("engine", "table", "words"),
    [
        ("trend", "windw = 4", r"engine\.windw: 'windw' .*did you mean 'window'"),
        ("trend", 'window = "six"', r"engine\.window: must be a whole number \(now 12\)"),
        ("trend", "window = 0", r"engine: window must be at least 1 month"),
        ("runrate", "window = 4", r"engine\.window: .*the runrate engine has no settings"),
        ("adoption", "slip = 3", r"engine\.slip: is a SlipPrior, which a scenario file cannot"),
    ],
)
def test_a_bad_engine_table_names_the_file_and_key(
    tmp_path: Path, bundled: wf.ProgrammeData, engine: str, table: str, words: str
) -> None:
    from wgsforecast.exceptions import ConfigError
    from wgsforecast.scenarios import read_scenario

    path = _scenario_file(tmp_path, "bad", table)
    with pytest.raises(ConfigError, match=words) as error:
        wf.compare_scenarios(bundled, [read_scenario(path)], engine=engine, n_paths=10)
    assert str(path) in str(error.value)
