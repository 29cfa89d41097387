"""The views of issue 12 item 4 that the scenarios, back-solver, report and national curve
read instead of raw arrays: the shared target-date view, per-group cumulative and monthly
values, the actuals, quantile arrays and the typed deadline summary.

Expected numbers are worked out from the arrays by hand (or by plain numpy on ``ge``), not
by the methods under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

import wgsforecast as wf
from wgsforecast.deadline import DeadlineSummary
from wgsforecast.models import Assumptions, GroupRegistry, PatientGroup, Programme
from wgsforecast.national import fit_national
from wgsforecast.prognosis import Prognosis
from wgsforecast.report.tables import group_table, known_actuals
from wgsforecast.target_reach import TargetReach


def _prognosis(ge: np.ndarray, as_of: str = "2023-02", target: int = 100) -> Prognosis:
    months = pd.period_range("2023-01", periods=ge.shape[2], freq="M")
    groups = GroupRegistry(
        [
            PatientGroup(
                key=f"g{i}", name_da=f"Gruppe {i}", name_en=f"Group {i}", kind="germline",
                declared_per_year=1200.0, status="live",
            )
            for i in range(ge.shape[1])
        ]
    )  # fmt: skip
    assumptions = Assumptions(
        as_of=as_of,
        horizon_months=int((months[-1] - pd.Period(as_of, "M")).n),
        programme=Programme(target_ge=target, deadline="2023-06"),
    )
    return Prognosis(
        ge=ge,
        capped=np.zeros(ge.shape, dtype=bool),
        months=months,
        groups=groups,
        assumptions=assumptions,
        engine="test",
    )


@pytest.fixture
def crossing() -> Prognosis:
    """Four paths over 8 months (2 actual): the target 100 is first reached in 2023-04,
    2023-05, 2023-06 and never. Group g0 does 3/4 of each month, g1 the rest."""
    national = np.array(
        [
            [10, 10, 30, 50, 10, 10, 10, 10],
            [10, 10, 20, 30, 30, 10, 10, 10],
            [10, 10, 20, 20, 20, 20, 10, 10],
            [10, 10, 10, 10, 10, 10, 10, 10],
        ],
        dtype=float,
    )
    return _prognosis(np.stack([0.75 * national, 0.25 * national], axis=1))


# ---- the shared target-date view --------------------------------------------------------


def test_target_reach_counts_never_as_later_than_any_time() -> None:
    reach = TargetReach.from_positions(np.array([3, 4, 5, -1]))
    assert list(reach.times) == [3.0, 4.0, 5.0, np.inf]
    assert reach.quantiles((0.25, 0.5, 0.75, 0.9)) == (3.0, 4.0, 5.0, np.inf)
    assert reach.p_by(4) == 0.5
    assert reach.p_by(100) == 0.75
    assert reach.p_never() == 0.25


def test_target_reach_refuses_nan_and_empty() -> None:
    with pytest.raises(ValueError, match="write inf"):
        TargetReach(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="one time per draw"):
        TargetReach(np.array([]))


def test_prognosis_target_views_read_the_target_reach(crossing: Prognosis) -> None:
    assert list(crossing.target_reach.times) == [3.0, 4.0, 5.0, np.inf]
    assert crossing.target_month(0.5) == pd.Period("2023-05", "M")
    assert crossing.target_month(0.9) is None
    assert crossing.p_target_by("2023-05") == 0.5
    assert crossing.p_never() == 0.25


def test_national_fit_answers_through_the_same_view() -> None:
    dates = pd.date_range("2020-01-31", periods=6, freq="6ME")
    points = pd.DataFrame({"date": dates, "cumulative": [10, 300, 1500, 3500, 6000, 8600]})
    fit = fit_national(points, n_boot=40, seed=1)
    reach = fit.target_reach(20_000)
    months = fit.target_dates(20_000)
    assert np.array_equal(reach.times, months)
    middle = np.sort(months)[19]  # inverted CDF at 0.5 of 40 draws: the 20th smallest
    assert fit.target_date(20_000, (0.5,))[0.5] == fit._date(float(middle))
    assert fit.p_target_by(20_000, fit._date(float(middle))) == pytest.approx(
        np.mean(months <= fit._months([fit._date(float(middle))])[0])
    )


# ---- per-group and per-month values -----------------------------------------------------


def test_cumulative_at_of_a_group_is_its_own_running_total(crossing: Prognosis) -> None:
    june = pd.Period("2023-06", "M")
    own = crossing.ge[:, 1, :6].sum(axis=1)  # January to June of group g1
    assert np.array_equal(crossing.cumulative_at(june, "g1"), own)
    both = crossing.cumulative_at(june, "g0") + crossing.cumulative_at(june, "g1")
    assert np.allclose(both, crossing.cumulative_at(june))
    assert np.array_equal(crossing.cumulative_at(pd.Period("2022-12", "M"), "g0"), np.zeros(4))
    assert np.isnan(crossing.cumulative_at(pd.Period("2024-01", "M"), "g0")).all()
    with pytest.raises(KeyError):
        crossing.cumulative_at(june, "nope")


def test_ge_at_is_the_months_value_on_every_path(crossing: Prognosis) -> None:
    april = pd.Period("2023-04", "M")
    assert list(crossing.ge_at(april)) == [50.0, 30.0, 20.0, 10.0]
    assert list(crossing.ge_at(april, "g1")) == [12.5, 7.5, 5.0, 2.5]
    with pytest.raises(ValueError, match="outside the prognosis's months"):
        crossing.ge_at(pd.Period("2024-01", "M"))


def test_history_is_the_actuals_up_to_the_as_of_month(crossing: Prognosis) -> None:
    history = crossing.history()
    assert list(history.columns) == list(pd.period_range("2023-01", "2023-02", freq="M"))
    assert history.loc["g0"].tolist() == [7.5, 7.5]
    assert crossing.history(last=1).columns.tolist() == [pd.Period("2023-02", "M")]
    assert crossing.history(last=12).shape == (2, 2)  # no more months than there are


def test_history_equals_the_bundled_actuals(
    bundled: wf.ProgrammeData, published_method: Prognosis
) -> None:
    known = known_actuals(bundled.actuals, published_method.as_of)
    pivot = known.pivot_table(index="group", columns="month", values="ge", aggfunc="sum")
    history = published_method.history()
    shown = history.loc[pivot.index, pivot.columns]
    assert np.array_equal(shown.to_numpy(), pivot.fillna(0).to_numpy())
    missing = set(history.index) - set(pivot.index)
    assert (history.loc[sorted(missing)] == 0).all(axis=None)


def test_report_group_table_months_are_the_actuals(
    bundled: wf.ProgrammeData, published_method: Prognosis
) -> None:
    table = group_table(published_method, "en")
    known = known_actuals(bundled.actuals, published_method.as_of)
    feb = known[known["month"] == published_method.as_of].set_index("group")["ge"]
    column = table["Feb 2023"].to_numpy()
    expected = [feb.get(key, 0.0) for key in published_method.groups.keys]
    assert np.array_equal(column, np.asarray(expected, dtype=float))


# ---- quantile arrays ----------------------------------------------------------------------


def test_cumulative_quantiles_take_quantiles_after_summing(crossing: Prognosis) -> None:
    running = np.cumsum(crossing.ge.sum(axis=1), axis=1)
    expected = np.quantile(running, [0.1, 0.5, 0.9], axis=0)
    assert np.array_equal(crossing.cumulative_quantiles(), expected)
    frame = crossing.cumulative()
    assert np.array_equal(frame["cumulative_p90"].to_numpy(), expected[2])


def test_period_quantiles_match_the_yearly_intervals(published_method: Prognosis) -> None:
    spread = published_method.period_quantiles((0.5,))
    table = published_method.yearly_table("en")
    assert np.allclose(spread["cumulative"][0], table.iloc[1].to_numpy(float), atol=0.5)
    assert spread["in_period"].shape == (1, len(published_method.programme.table_periods))


# ---- the typed deadline summary -----------------------------------------------------------


def test_deadline_summary_is_typed_and_keeps_the_flat_record(crossing: Prognosis) -> None:
    summary = crossing.deadline_summary((0.5,))
    assert isinstance(summary, DeadlineSummary)
    # Cumulative at the June deadline: 120, 110, 100, 60.
    assert summary.ge == {0.5: 105.0}
    assert summary.left == {0.5: 0.0}
    assert summary.quantiles == (0.5,)
    assert summary.as_dict() == {
        "deadline": pd.Period("2023-06", "M"),
        "target_ge": 100,
        "p_target_by_deadline": 0.75,
        "ge_mean": 97.5,
        "ge_p50": 105.0,
        "expected_shortfall": 10.0,
        "left_p50": 0.0,
    }


def test_deadline_summary_refuses_mismatched_quantiles_and_negative_shortfall() -> None:
    fields = {
        "deadline": pd.Period("2024-06", "M"),
        "target_ge": 60_000,
        "p_target_by_deadline": 0.5,
        "ge_mean": 50_000.0,
        "expected_shortfall": 10_000.0,
    }
    with pytest.raises(pydantic.ValidationError, match="same quantiles"):
        DeadlineSummary(**fields, ge={0.1: 1.0, 0.9: 2.0}, left={0.5: 3.0})
    with pytest.raises(pydantic.ValidationError):
        DeadlineSummary(**fields, ge={0.5: 1.0}, left={0.5: -3.0})
