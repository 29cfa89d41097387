"""The second generator: claims, slips, stalls, ceilings and correlated noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wgsforecast.engines.flat import FlatEngine
from wgsforecast.simulate import SimulatedProgramme, simulate_programme
from wgsforecast.simulate_shortfall import growth_curve, simulate_shortfall_programme

SEEDS = range(1, 13)


@pytest.fixture(scope="module")
def sims() -> list[SimulatedProgramme]:
    return [simulate_shortfall_programme(seed) for seed in SEEDS]


def test_deterministic_per_seed_and_distinct_from_generator_a() -> None:
    first, again = simulate_shortfall_programme(5), simulate_shortfall_programme(5)
    pd.testing.assert_frame_equal(first.actuals, again.actuals)
    pd.testing.assert_frame_equal(first.future, again.future)
    pd.testing.assert_frame_equal(first.truth, again.truth)
    assert first.assumptions == again.assumptions
    assert not simulate_shortfall_programme(6).actuals.equals(first.actuals)
    assert not simulate_programme(5).actuals.equals(first.actuals)


def test_registry_carries_the_plan_and_truth_the_actual_go_live(
    sims: list[SimulatedProgramme],
) -> None:
    slipped = never = 0
    for sim in sims:
        planned = pd.PeriodIndex([g.go_live for g in sim.groups], freq="M")
        truth = sim.truth.set_index("group")
        assert (planned == truth["planned_go_live"].to_numpy()).all()
        started = truth["go_live"].notna()
        later = truth.loc[started, "go_live"] > truth.loc[started, "planned_go_live"]
        slipped += int(later.sum())
        never += int((~started).sum())
        # Slips only ever delay: no group starts before its plan.
        assert (truth.loc[started, "go_live"] >= truth.loc[started, "planned_go_live"]).all()
    assert slipped > len(sims) * 5
    assert never > 0


def test_actuals_only_from_the_actual_go_live(sims: list[SimulatedProgramme]) -> None:
    for sim in sims:
        rows = pd.concat([sim.actuals, sim.future], ignore_index=True)
        truth = sim.truth.set_index("group")
        first_rows = rows.groupby("group")["month"].min()
        for key, month in first_rows.items():
            assert month == truth.at[key, "go_live"]
        silent = set(truth.index[truth["go_live"].isna()])
        assert silent.isdisjoint(rows["group"])
        # Every live month has a row (zeros included) up to the horizon end.
        counts = rows.groupby("group").size()
        end = sim.assumptions.as_of + sim.assumptions.horizon_months
        for key, n in counts.items():
            assert n == (end - truth.at[key, "go_live"]).n + 1
        assert sim.actuals["month"].max() == sim.assumptions.as_of
        assert sim.future["month"].min() > sim.assumptions.as_of
        assert (rows["ge"] >= 0).all()
        assert rows["ge"].dtype == np.int64


def test_realised_shares_fall_far_below_declared(sims: list[SimulatedProgramme]) -> None:
    shares = pd.concat([sim.truth["realised_share"] for sim in sims])
    assert (shares <= 1).all()
    assert (shares > 0).all()
    assert 0.35 <= (shares < 0.25).mean() <= 0.7  # median about 0.25
    assert (shares > 0.75).any()  # the realised level may exceed the cap share


def test_capacity_ceiling_binds_in_some_programmes(sims: list[SimulatedProgramme]) -> None:
    binding = [sim for sim in sims if not sim.shocks.empty]
    assert 0 < len(binding) < len(sims)
    for sim in binding:
        assert ((sim.shocks["factor"] > 0) & (sim.shocks["factor"] < 1)).all()
        rows = pd.concat([sim.actuals, sim.future], ignore_index=True)
        national = rows.groupby("month")["ge"].sum()
        # The ceiling clips the expected total; counts scatter around it, never far above.
        month = sim.shocks["month"].iloc[0]
        assert national[month] < 3 * sim.shocks["ceiling"].iloc[0]


def test_growth_shapes() -> None:
    since = np.arange(-2, 40, dtype=np.float64)
    base = {
        "ramp_months": 10.0,
        "start_fraction": 0.1,
        "growth_per_year": 2.0,
        "stall_fraction": 0.4,
        "stall_after": 4.0,
        "stall_months": 12.0,
        "climb_months": 6.0,
        "step_fraction": 0.3,
        "step_month": 8.0,
        "drop_month": np.nan,
        "drop_factor": np.nan,
    }
    for shape in ("linear", "exponential", "stall", "step"):
        curve = growth_curve(since, pd.Series({**base, "shape": shape}))
        assert (curve[:2] == 0).all()
        assert ((curve >= 0) & (curve <= 1)).all()
        assert np.all(np.diff(curve[2:]) >= 0)
    stall = growth_curve(since, pd.Series({**base, "shape": "stall"}))
    assert np.allclose(stall[2 + 4 : 2 + 16], 0.4)  # the long stall
    step = growth_curve(since, pd.Series({**base, "shape": "step"}))
    assert set(np.round(step[2:], 6)) == {0.3, 1.0}
    dropped = growth_curve(
        since, pd.Series({**base, "shape": "linear", "drop_month": 20.0, "drop_factor": 0.5})
    )
    assert dropped[-1] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="unknown growth shape"):
        growth_curve(since, pd.Series({**base, "shape": "sigmoid"}))


def test_targets_reached_early_late_or_never() -> None:
    months_to_target = []
    for seed in range(1, 41):
        sim = simulate_shortfall_programme(seed, n_groups=8)
        rows = pd.concat([sim.actuals, sim.future], ignore_index=True)
        cumulative = rows.groupby("month")["ge"].sum().cumsum()
        assert sim.assumptions.programme.target_ge > cumulative[sim.assumptions.as_of]
        reached = cumulative[cumulative >= sim.assumptions.programme.target_ge]
        months_to_target.append(
            np.inf if reached.empty else (reached.index[0] - sim.assumptions.as_of).n
        )
    values = np.array(months_to_target)
    assert (values <= 12).any()
    assert ((values > 12) & np.isfinite(values)).any()
    assert np.isinf(values).any()


def test_deadline_around_the_true_target_month() -> None:
    sim = simulate_shortfall_programme(3, deadline_offset=0)
    rows = pd.concat([sim.actuals, sim.future], ignore_index=True)
    cumulative = rows.groupby("month")["ge"].sum().cumsum()
    programme = sim.assumptions.programme
    reached = cumulative[cumulative >= programme.target_ge]
    if reached.empty:
        assert programme.deadline == sim.assumptions.horizon_end
    else:
        assert programme.deadline == max(reached.index[0], sim.assumptions.as_of + 1)
    default = simulate_shortfall_programme(3)
    assert default.assumptions.programme.deadline == default.assumptions.as_of + 18
    with pytest.raises(ValueError, match="deadline_offset"):
        simulate_shortfall_programme(3, deadline_offset=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1"):
        simulate_shortfall_programme(3, n_groups=0)


def test_month_shocks_correlate_groups() -> None:
    # Correlation of month-on-month changes between big live groups, pooled over seeds:
    # the shared month shock makes it positive on average.
    correlations = []
    for seed in range(1, 16):
        sim = simulate_shortfall_programme(seed, n_months=48, horizon=12)
        wide = (
            pd.concat([sim.actuals, sim.future])
            .pivot_table(index="month", columns="group", values="ge")
            .iloc[-24:]
            .dropna(axis=1)
        )
        wide = wide.loc[:, wide.mean() > 20]
        if wide.shape[1] < 2:
            continue
        change = np.log(wide + 1).diff().dropna()
        corr = change.corr().to_numpy()
        correlations.extend(corr[np.triu_indices_from(corr, k=1)])
    assert np.mean(correlations) > 0.05


def test_engines_fit_the_planned_registry() -> None:
    sim = simulate_shortfall_programme(2, n_groups=6)
    prognosis = FlatEngine().fit(sim.actuals, sim.groups, sim.assumptions).forecast()
    assert prognosis.months[-1] == sim.assumptions.horizon_end
    assert prognosis.ge.shape[1] == 6
