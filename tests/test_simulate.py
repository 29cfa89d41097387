"""The synthetic programme simulator: format, determinism and the truth it promises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wgsforecast.models import PROGRAMME_CAP_SHARE
from wgsforecast.simulate import RAMP_SHAPES, SimulatedProgramme, ramp_curve, simulate_programme


def test_same_seed_same_programme() -> None:
    first, again = simulate_programme(5), simulate_programme(5)
    pd.testing.assert_frame_equal(first.actuals, again.actuals)
    pd.testing.assert_frame_equal(first.future, again.future)
    pd.testing.assert_frame_equal(first.truth, again.truth)
    assert not simulate_programme(6).actuals.equals(first.actuals)


def test_actuals_have_the_reader_format() -> None:
    sim = simulate_programme(1, n_groups=9, n_months=24, horizon=12)
    assert list(sim.actuals.columns) == ["group", "month", "ge"]
    assert isinstance(sim.actuals["month"].dtype, pd.PeriodDtype)
    assert sim.actuals["ge"].dtype == np.int64
    assert (sim.actuals["ge"] >= 0).all() and (sim.future["ge"] >= 0).all()
    as_of = sim.assumptions.as_of
    assert sim.actuals["month"].max() == as_of
    assert sim.future["month"].min() > as_of
    assert sim.future["month"].max() == as_of + 12
    assert as_of == pd.Period("2020-10", "M") + 23
    for group in sim.groups:
        rows = sim.actuals[sim.actuals["group"] == group.key]
        assert group.go_live is not None
        if group.go_live <= as_of:
            assert group.status == "live"
            assert rows["month"].min() == group.go_live
            assert len(rows) == (as_of - group.go_live).n + 1
        else:
            assert rows.empty and group.status == "onboarding"


def test_truth_respects_the_cap_and_covers_the_shapes() -> None:
    truths = pd.concat([simulate_programme(seed).truth for seed in range(6)])
    assert (truths["plateau_share"] <= PROGRAMME_CAP_SHARE).all()
    assert (truths["plateau_share"] > 0).all()
    assert set(truths["shape"]) == set(RAMP_SHAPES)
    stalled = truths[truths["shape"] == "stalled"]
    assert (stalled["plateau_share"] <= 0.3).all()
    np.testing.assert_allclose(
        truths["plateau_per_month"], truths["plateau_share"] * truths["declared_per_year"] / 12
    )


def test_observed_levels_approach_the_true_plateau() -> None:
    # Long-live groups, away from the dips, average close to their true plateau.
    ratios = []
    for seed in range(5):
        sim = simulate_programme(seed, shock_probability=0.0)
        data = pd.concat([sim.actuals, sim.future])
        plateau = sim.truth.set_index("group")["plateau_per_month"]
        for group in sim.groups:
            assert group.go_live is not None
            late = data[(data["group"] == group.key) & (data["month"] >= group.go_live + 30)]
            ordinary = late[~late["month"].dt.month.isin([7, 12])]
            if len(ordinary) >= 12:
                ratios.append(ordinary["ge"].mean() / plateau[group.key])
    assert len(ratios) >= 10
    assert np.median(ratios) == pytest.approx(1.0, abs=0.05)


def test_dips_and_shocks_are_recorded() -> None:
    sim = simulate_programme(2)
    assert sim.seasonality[7] < 1 and sim.seasonality[12] < 1
    assert (sim.seasonality.drop([7, 12]) == 1).all()
    shocked = [simulate_programme(s, shock_probability=1.0).shocks for s in range(3)]
    assert all(not shocks.empty for shocks in shocked)
    assert all(((s["factor"] >= 0.5) & (s["factor"] <= 0.8)).all() for s in shocked)
    assert simulate_programme(2, shock_probability=0.0).shocks.empty


def test_target_is_reached_inside_the_horizon_on_the_truth() -> None:
    sim = simulate_programme(3)
    total = sim.actuals["ge"].sum() + sim.future["ge"].sum()
    assert sim.assumptions.programme.target_ge <= total * 1.1
    assert sim.assumptions.programme.deadline > sim.assumptions.as_of


def test_ramp_curves() -> None:
    months = np.array([-1.0, 0.0, 4.5, 100.0])
    for form in ("logistic", "gompertz"):
        curve = ramp_curve(months, midpoint=5.0, width=2.0, form=form)
        assert curve[0] == 0.0
        assert curve[2] == pytest.approx(0.5)
        assert curve[3] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="ramp form"):
        ramp_curve(months, 5.0, 2.0, "linear")


def test_bad_sizes_are_rejected() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        simulate_programme(1, n_groups=0)


def _true_target_month(sim: SimulatedProgramme) -> pd.Period:
    monthly = pd.concat([sim.actuals, sim.future]).groupby("month")["ge"].sum().sort_index()
    cumulative = monthly.cumsum()
    month: pd.Period = cumulative[cumulative >= sim.assumptions.programme.target_ge].index[0]
    return month


def test_default_deadline_is_half_way_into_the_horizon() -> None:
    sim = simulate_programme(3, horizon=24)
    assert sim.assumptions.programme.deadline == sim.assumptions.as_of + 12


@pytest.mark.parametrize("seed", [1, 4])
def test_deadline_offset_puts_the_deadline_on_either_side_of_the_true_target_month(
    seed: int,
) -> None:
    plain = simulate_programme(seed)
    true_month = _true_target_month(plain)
    for offset in (-5, -1, 0, 3):
        sim = simulate_programme(seed, deadline_offset=offset)
        # Only the deadline moves; the programme and its target stay the same.
        pd.testing.assert_frame_equal(sim.actuals, plain.actuals)
        pd.testing.assert_frame_equal(sim.future, plain.future)
        programme = sim.assumptions.programme
        assert programme.target_ge == plain.assumptions.programme.target_ge
        assert programme.deadline == true_month + offset
        full = pd.concat([sim.actuals, sim.future])
        done = full[full["month"] <= programme.deadline]["ge"].sum()
        assert (done >= programme.target_ge) == (offset >= 0)


def test_deadline_offset_stays_inside_the_horizon() -> None:
    as_of = simulate_programme(2).assumptions.as_of
    early = simulate_programme(2, deadline_offset=-100).assumptions.programme.deadline
    late = simulate_programme(2, deadline_offset=100).assumptions.programme.deadline
    assert early == as_of + 1 and late == as_of + 36
    # A target the truth never reaches puts the deadline at the end of the horizon.
    unreachable = simulate_programme(2, target_ge=10**9, deadline_offset=-3)
    assert unreachable.assumptions.programme.deadline == as_of + 36
    with pytest.raises(ValueError, match="deadline_offset must be a whole number"):
        simulate_programme(2, deadline_offset=1.5)  # type: ignore[arg-type]
