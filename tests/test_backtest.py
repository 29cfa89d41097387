"""Rolling-origin backtest: no look-ahead, correct scores, summary, plot and CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.backtesting import BacktestResult, backtest, default_origins, metric_label
from wgsforecast.engines import ENGINES, FlatEngine, Forecast
from wgsforecast.plotting import GID_FOOTNOTE
from wgsforecast.simulate import SimulatedProgramme, simulate_programme


class NoisyFlatEngine(FlatEngine):
    """A cheap stochastic engine for testing the machinery: flat level x lognormal noise."""

    name = "noisyflat"
    stochastic = True

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        flat = super()._expected(n_paths, rng, progress)
        return Forecast(ge=np.repeat(flat.ge, n_paths, axis=0), group_notes=flat.group_notes)

    def _noise(
        self, expected: npt.NDArray[np.floating], rng: np.random.Generator, progress: bool | None
    ) -> npt.NDArray[np.floating]:
        n_paths, n_groups, _ = expected.shape
        factor = rng.lognormal(0.0, 0.3, size=(n_paths, n_groups, 1))
        result: npt.NDArray[np.floating] = expected * factor
        return result


@pytest.fixture
def noisy_engine(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(ENGINES, NoisyFlatEngine.name, NoisyFlatEngine)
    return NoisyFlatEngine.name


@pytest.fixture(scope="module")
def sim() -> SimulatedProgramme:
    return simulate_programme(seed=5, n_groups=6, n_months=24, horizon=36)


def _full(sim: SimulatedProgramme) -> pd.DataFrame:
    return pd.concat([sim.actuals, sim.future], ignore_index=True)


def _value(result: BacktestResult, engine: str, metric: str, lead: int | None = None) -> float:
    s = result.scores
    rows = s[(s["engine"] == engine) & (s["metric"] == metric)]
    rows = rows[rows["lead"].isna()] if lead is None else rows[rows["lead"] == lead]
    assert len(rows) == 1, rows
    return float(rows["value"].iloc[0])


def test_default_origins_are_quarter_ends_with_history_and_truth(
    bundled: wf.ProgrammeData,
) -> None:
    # Bundled actuals run October 2020 - February 2023: the first quarter end with six months
    # of data is March 2021, the last with three months after it is September 2022.
    origins = default_origins(bundled.actuals)
    assert [str(o) for o in origins] == [
        "2021-03",
        "2021-06",
        "2021-09",
        "2021-12",
        "2022-03",
        "2022-06",
        "2022-09",
    ]


def test_scores_equal_a_fit_on_truncated_data(sim: SimulatedProgramme) -> None:
    """No look-ahead: the backtest scores what a fit on the data known then would give."""
    full = _full(sim)
    origin = sim.assumptions.as_of - 6
    result = backtest(
        full, sim.groups, sim.assumptions, engines=["flat"], origins=[origin], progress=False
    )
    known = full[full["month"] <= origin]
    settings = sim.assumptions.with_as_of(origin).model_copy(update={"horizon_months": 36})
    prognosis = FlatEngine().fit(known, sim.groups, settings).forecast()
    truth = full.groupby("month")["ge"].sum().sort_index().cumsum()
    for lead in (3, 6, 12, 24):
        forecast = prognosis.cumulative_at(origin + lead)[0]
        actual = truth[origin + lead]
        assert _value(result, "flat", "error", lead) == pytest.approx(forecast - actual)
        assert _value(result, "flat", "crps", lead) == pytest.approx(abs(forecast - actual))
        assert _value(result, "flat", "pct_error", lead) == pytest.approx(
            100 * (forecast - actual) / actual
        )
        assert np.isnan(_value(result, "flat", "cover80", lead))


def test_target_month_and_deadline_scores(sim: SimulatedProgramme) -> None:
    full = _full(sim)
    origin = sim.assumptions.as_of
    result = backtest(
        full, sim.groups, sim.assumptions, engines=["flat"], origins=[origin], progress=False
    )
    programme = sim.assumptions.programme
    truth = full.groupby("month")["ge"].sum().sort_index().cumsum()
    true_month = truth[truth >= programme.target_ge].index[0]
    settings = sim.assumptions.model_copy(update={"horizon_months": 36})
    prognosis = FlatEngine().fit(full, sim.groups, settings).forecast()
    forecast_month = prognosis.target_month()
    if forecast_month is None:
        censored = (prognosis.months[-1] + 1 - true_month).n
        assert _value(result, "flat", "target_month_error") == censored
        assert _value(result, "flat", "target_month_censored") == 1.0
    else:
        assert _value(result, "flat", "target_month_error") == (forecast_month - true_month).n
        assert _value(result, "flat", "target_month_censored") == 0.0
    reached = prognosis.cumulative_at(programme.deadline)[0] >= programme.target_ge
    happened = truth[programme.deadline] >= programme.target_ge
    assert _value(result, "flat", "brier_deadline") == float(reached != happened)


class ZeroEngine(FlatEngine):
    """Forecasts no GE at all after the origin: it never reaches a target above the past."""

    name = "zero"

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        flat = super()._expected(n_paths, rng, progress)
        return Forecast(ge=np.zeros_like(flat.ge), group_notes=flat.group_notes)


@pytest.mark.parametrize(("target_lead", "late"), [(6, False), (24, True)])
def test_a_forecast_that_never_reaches_the_target_gets_a_censored_error(
    sim: SimulatedProgramme, monkeypatch: pytest.MonkeyPatch, target_lead: int, late: bool
) -> None:
    """Slow forecasts are not dropped from the mean: they score the smallest error possible."""
    monkeypatch.setitem(ENGINES, ZeroEngine.name, ZeroEngine)
    full = _full(sim)
    origin, horizon = sim.assumptions.as_of - 12, 12
    truth = full.groupby("month")["ge"].sum().sort_index().cumsum()
    first = truth.index[0]
    target = int(truth.iloc[(origin + target_lead - first).n])
    # The zero forecast stays at the total up to the origin, below the target.
    assert target > truth.iloc[(origin - first).n]
    true_month = truth[truth >= target].index[0]
    programme = sim.assumptions.programme.model_copy(update={"target_ge": target})
    assumptions = sim.assumptions.model_copy(update={"programme": programme})
    result = backtest(
        full,
        sim.groups,
        assumptions,
        engines=["zero"],
        origins=[origin],
        horizon=horizon,
        leads=(3, 12),
        progress=False,
    )
    # The median would reach the target in horizon end + 1 at the earliest.
    bound = (origin + horizon + 1 - true_month).n
    expected = 0 if late else bound
    assert (bound <= 0) == late and (late or bound >= horizon + 1 - target_lead)
    assert _value(result, "zero", "target_month_error") == expected
    assert _value(result, "zero", "target_month_censored") == 1.0
    summary = result.summary()
    assert summary.loc["zero", "target_month_error"] == expected
    assert summary.loc["zero", "target_month_censored"] == 1.0


def test_leads_must_be_given_and_positive(bundled: wf.ProgrammeData) -> None:
    args = (bundled.actuals, bundled.groups, bundled.assumptions)
    with pytest.raises(ValueError, match="leads is empty"):
        backtest(*args, engines=["flat"], leads=())
    for bad in ([0], [3, -1]):
        with pytest.raises(ValueError, match="leads must be 1 or more months after the origin"):
            backtest(*args, engines=["flat"], leads=bad)
    with pytest.raises(ValueError, match="leads must be whole months"):
        backtest(*args, engines=["flat"], leads=[2.5])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="raise horizon or drop the longer leads"):
        backtest(*args, engines=["flat"], horizon=6, leads=[3, 12])


def test_stochastic_engine_gets_coverage_and_interval_widths(
    sim: SimulatedProgramme, noisy_engine: str
) -> None:
    result = backtest(
        _full(sim),
        sim.groups,
        sim.assumptions,
        engines=[noisy_engine],
        n_paths=200,
        progress=False,
    )
    scores = result.scores[result.scores["engine"] == noisy_engine]
    cover = scores[scores["metric"].isin(["cover80", "cover95"])]["value"]
    assert set(cover.unique()) <= {0.0, 1.0} and len(cover) > 0
    crps = scores[scores["metric"] == "crps"]["value"]
    assert (crps >= 0).all() and len(crps) == len(cover) / 2
    width = scores[scores["metric"] == "width80_pct"]["value"]
    assert (width > 0).all()


def test_same_seed_same_scores(sim: SimulatedProgramme, noisy_engine: str) -> None:
    runs = [
        backtest(
            _full(sim), sim.groups, sim.assumptions, engines=[noisy_engine], n_paths=50, seed=4
        ).scores
        for _ in range(2)
    ]
    pd.testing.assert_frame_equal(runs[0], runs[1])


def test_summary_is_the_mean_over_origins(bundled: wf.ProgrammeData) -> None:
    result = backtest(
        bundled.actuals,
        bundled.groups,
        bundled.assumptions,
        engines=["runrate", "flat"],
        progress=False,
    )
    summary = result.summary()
    assert list(summary.index) == ["runrate", "flat"]
    assert (summary["n_origins"] == 7).all()
    s = result.scores
    rows = s[(s["engine"] == "flat") & (s["metric"] == "crps_pct") & (s["lead"] == 12)]
    assert summary.loc["flat", "crps_pct_12m"] == pytest.approx(rows["value"].mean())
    # No truth 24 months after any bundled origin (data end in February 2023).
    assert "crps_24m" not in summary.columns
    markdown = result.to_markdown(metrics=["crps_pct"], leads=[12], lang="en")
    assert "CRPS (% of actual), +12 months" in markdown
    assert "reconstructed" in markdown
    danish = result.to_markdown(metrics=["crps_pct"], leads=[12])
    assert "CRPS (% af faktisk), +12 mdr." in danish
    assert "rekonstrueret" in danish
    with pytest.raises(ValueError, match="unknown metric 'rmse'"):
        result.summary(metrics=["rmse"])


def test_plot_draws_one_line_per_engine(bundled: wf.ProgrammeData) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    result = backtest(
        bundled.actuals,
        bundled.groups,
        bundled.assumptions,
        engines=["runrate", "flat"],
        progress=False,
    )
    ax = result.plot(lang="en")
    try:
        assert [line.get_label() for line in ax.get_lines()] == ["runrate", "flat"]
        assert list(ax.get_lines()[0].get_xdata()) == [3, 6, 12]
        assert ax.get_xlabel() == "Months after the forecast origin"
        notes = [t.get_text() for t in ax.figure.texts if t.get_gid() == GID_FOOTNOTE]
        assert len(notes) == 1 and "reconstructed" in notes[0]
    finally:
        plt.close(ax.figure)
    # The same figure from its place under plotting, on axes given to it.
    from wgsforecast.plotting import plot_backtest

    _, given = plt.subplots()
    try:
        drawn = plot_backtest(result, given, "da", "abs_error")
        assert drawn is given
        assert [line.get_label() for line in drawn.get_lines()] == ["runrate", "flat"]
        assert drawn.get_ylabel() == metric_label("abs_error", "da")
        with pytest.raises(ValueError, match="'rmse' is not a backtest metric"):
            plot_backtest(result, given, metric="rmse")
        with pytest.raises(ValueError, match="metric must be one of"):
            result.plot(ax=given, metric="brier_deadline")
    finally:
        plt.close(given.figure)


def test_bad_arguments_say_what_to_fix(bundled: wf.ProgrammeData) -> None:
    args = (bundled.actuals, bundled.groups, bundled.assumptions)
    with pytest.raises(ValueError, match="unknown engine 'prophet'"):
        backtest(*args, engines=["prophet"])
    with pytest.raises(ValueError, match=r"origins 2030-03 are outside the actuals"):
        backtest(*args, engines=["flat"], origins=["2030-03"])
    with pytest.raises(ValueError, match="horizon"):
        backtest(*args, engines=["flat"], horizon=12)
    short = bundled.actuals[bundled.actuals["month"] <= pd.Period("2021-02", "M")]
    with pytest.raises(ValueError, match="pass origins= explicitly"):
        backtest(short, bundled.groups, bundled.assumptions, engines=["flat"])


def test_wf_backtest_is_the_function_after_importing_the_module(
    bundled: wf.ProgrammeData,
) -> None:
    code = (
        "import wgsforecast.backtesting, wgsforecast as wf; d = wf.load_bundled(); "
        "r = wf.backtest(d.actuals, d.groups, d.assumptions, engines=['flat'], progress=False); "
        "print(type(r).__name__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "BacktestResult"


def test_cli_writes_every_file_and_prints_the_summary(tmp_path: Path) -> None:
    out = tmp_path / "bt"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wgsforecast",
            "backtest",
            "--engines",
            "runrate",
            "flat",
            "--out",
            str(out),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "| runrate |" in result.stdout and "reconstructed" in result.stdout
    names = {"backtest_scores.csv", "backtest_summary.csv", "backtest_summary.md", "backtest.png"}
    assert names <= {p.name for p in out.iterdir()}
    assert not [p for p in out.iterdir() if ".part" in p.name]
    scores = pd.read_csv(out / "backtest_scores.csv")
    assert set(scores["engine"]) == {"runrate", "flat"}
    assert (out / "backtest.png").read_bytes()[:4] == b"\x89PNG"


def test_cli_bad_engine_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wgsforecast",
            "backtest",
            "--engines",
            "nope",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown engine 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_truth_refuses_text_months_instead_of_scoring_zeros() -> None:
    from wgsforecast.periods import national_truth

    periods = pd.DataFrame(
        {
            "group": ["x", "x", "y"],
            "month": pd.PeriodIndex(["2023-01", "2023-03", "2023-01"], freq="M"),
            "ge": [1.0, 2.0, 3.0],
        }
    )
    assert national_truth(periods).tolist() == [4.0, 0.0, 2.0]
    as_objects = periods.astype({"month": object})
    assert national_truth(as_objects).tolist() == [4.0, 0.0, 2.0]
    with pytest.raises(ValueError, match="not monthly periods"):
        national_truth(periods.assign(month=["2023-01", "2023-03", "2023-01"]))
