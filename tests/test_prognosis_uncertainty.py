"""The uncertainty views of Prognosis: fans, target-date odds, deadline and contributions.

Paths are built by hand so every expected number can be worked out on paper.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wgsforecast.models import Assumptions, GroupRegistry, PatientGroup, Programme, TablePeriod
from wgsforecast.prognosis import Prognosis


def _groups(n: int) -> GroupRegistry:
    return GroupRegistry(
        [
            PatientGroup(
                key=f"g{i}",
                name_da=f"Gruppe {i}",
                name_en=f"Group {i}",
                kind="germline",
                declared_per_year=1200.0,
                status="live",
            )
            for i in range(n)
        ]
    )


def _prognosis(
    ge: np.ndarray,
    first: str = "2023-01",
    as_of: str = "2023-02",
    target: int = 100,
    deadline: str = "2023-06",
) -> Prognosis:
    months = pd.period_range(first, periods=ge.shape[2], freq="M")
    horizon = int((months[-1] - pd.Period(as_of, "M")).n)
    assumptions = Assumptions(
        as_of=as_of,
        horizon_months=horizon,
        programme=Programme(target_ge=target, deadline=deadline),
    )
    return Prognosis(
        ge=ge,
        capped=np.zeros(ge.shape, dtype=bool),
        months=months,
        groups=_groups(ge.shape[1]),
        assumptions=assumptions,
        engine="test",
    )


@pytest.fixture
def crossing() -> Prognosis:
    """Four paths over 8 months (2 actual): the target 100 is first reached in month 4, 5,
    6 and never respectively. Two groups share each month's GE 3:1."""
    national = np.array(
        [
            [10, 10, 30, 50, 10, 10, 10, 10],  # cumulative 100 in 2023-04
            [10, 10, 20, 30, 30, 10, 10, 10],  # 100 in 2023-05
            [10, 10, 20, 20, 20, 20, 10, 10],  # 100 in 2023-06
            [10, 10, 10, 10, 10, 10, 10, 10],  # 80 at the end: never
        ],
        dtype=float,
    )
    ge = np.stack([0.75 * national, 0.25 * national], axis=1)
    return _prognosis(ge)


def test_target_distribution_counts_first_crossings(crossing: Prognosis) -> None:
    table = crossing.target_distribution()
    assert table["month"].iloc[0] == pd.Period("2023-03", "M")
    by_month = dict(zip(table["month"].astype(str), table["probability"], strict=True))
    assert by_month["2023-04"] == 0.25
    assert by_month["2023-05"] == 0.25
    assert by_month["2023-06"] == 0.25
    assert by_month["2023-03"] == 0.0
    assert crossing.p_never() == 0.25
    assert table["probability"].sum() == pytest.approx(1 - crossing.p_never())
    assert table["cumulative_probability"].is_monotonic_increasing
    assert table["cumulative_probability"].iloc[-1] == pytest.approx(0.75)


def test_target_month_quantiles_treat_never_as_latest(crossing: Prognosis) -> None:
    quantiles = crossing.target_month_quantiles((0.25, 0.5, 0.75, 0.9))
    assert quantiles[0.25] == pd.Period("2023-04", "M")
    assert quantiles[0.5] == pd.Period("2023-05", "M")
    assert quantiles[0.75] == pd.Period("2023-06", "M")
    assert quantiles[0.9] is None


def test_deadline_probability_and_shortfall(crossing: Prognosis) -> None:
    # Cumulative at the 2023-06 deadline: 120, 110, 100, 60.
    assert crossing.p_target_by_deadline() == 0.75
    summary = crossing.deadline_summary(quantiles=(0.5,))
    assert summary.ge_mean == pytest.approx((120 + 110 + 100 + 60) / 4)
    assert summary.ge[0.5] == pytest.approx(105)
    assert summary.expected_shortfall == pytest.approx(40 / 4)
    assert summary.left[0.5] == 0
    assert summary.target_ge == 100


def test_deadline_after_horizon_is_an_error(crossing: Prognosis) -> None:
    late = _prognosis(crossing.ge, deadline="2030-01")
    with pytest.raises(ValueError, match="after the horizon end"):
        late.p_target_by_deadline()


def test_fan_sums_paths_before_taking_quantiles() -> None:
    rng = np.random.default_rng(4)
    ge = rng.gamma(2.0, 10.0, size=(500, 3, 10))
    prognosis = _prognosis(ge)
    fan = prognosis.fan("monthly", quantiles=(0.9,))
    national = ge.sum(axis=1)
    np.testing.assert_allclose(fan["p90"], np.quantile(national, 0.9, axis=0))
    np.testing.assert_allclose(fan["mean"], national.mean(axis=0))
    # Adding the groups' P90s would overstate the national P90: the rule matters here.
    added = np.quantile(ge, 0.9, axis=0).sum(axis=0)
    assert np.all(added[2:] > fan["p90"].to_numpy()[2:])


def test_fan_cumulative_and_group(crossing: Prognosis) -> None:
    fan = crossing.fan("cumulative", quantiles=(0.1, 0.5, 0.9))
    assert list(fan.columns) == ["month", "kind", "mean", "p10", "p50", "p90"]
    assert list(fan["kind"][:3]) == ["actual", "actual", "projected"]
    assert fan["mean"].iloc[-1] == pytest.approx((140 + 130 + 120 + 80) / 4)
    group = crossing.fan("cumulative", group="g1")
    np.testing.assert_allclose(group["mean"], 0.25 * fan["mean"])
    with pytest.raises(KeyError, match="unknown patient group"):
        crossing.fan(group="nope")
    with pytest.raises(ValueError, match="what must be"):
        crossing.fan("weekly")  # type: ignore[arg-type]


def test_fan_yearly_keeps_complete_years_and_marks_projection() -> None:
    ge = np.ones((2, 1, 30))  # 2022-11 .. 2025-04
    prognosis = _prognosis(ge, first="2022-11", as_of="2023-02")
    fan = prognosis.fan("yearly")
    assert [str(p) for p in fan["period"]] == ["2022", "2023", "2024"]
    assert list(fan["kind"]) == ["actual", "projected", "projected"]
    assert list(fan["p50"]) == [2.0, 12.0, 12.0]


def test_one_path_fan_collapses_to_the_path() -> None:
    ge = np.arange(12, dtype=float).reshape(1, 2, 6)
    fan = _prognosis(ge).fan("cumulative")
    np.testing.assert_allclose(fan["p10"], fan["mean"])
    np.testing.assert_allclose(fan["p90"], np.cumsum(ge.sum(axis=1)[0]))


def test_contributions_up_to_target_month(crossing: Prognosis) -> None:
    table = crossing.contributions()
    assert list(table["group"]) == ["g0", "g1"]
    np.testing.assert_allclose(table["share_mean"], [0.75, 0.25])
    assert table["share_mean"].sum() == pytest.approx(1.0)
    # Projected GE up to each path's crossing (horizon end when never): 80, 80, 80, 60.
    assert table["ge_mean"].sum() == pytest.approx((80 + 80 + 80 + 60) / 4)


def test_contributions_in_a_period() -> None:
    ge = np.zeros((3, 2, 12))  # 2023-01 .. 2023-12
    ge[:, 0, :6] = 10.0
    ge[:, 1, 6:] = 30.0
    prognosis = _prognosis(ge)
    first_half = TablePeriod(label_da="H1", label_en="H1", first="2023-01", last="2023-06")
    table = prognosis.contributions(first_half)
    np.testing.assert_allclose(table["share_mean"], [1.0, 0.0])
    np.testing.assert_allclose(table["ge_mean"], [60.0, 0.0])
    point = TablePeriod(label_da="P", label_en="P", last="2023-12", kind="point")
    np.testing.assert_allclose(prognosis.contributions(point)["share_p50"], [0.25, 0.75])
    late = TablePeriod(label_da="L", label_en="L", first="2024-01", last="2024-12")
    with pytest.raises(ValueError, match="after the horizon end"):
        prognosis.contributions(late)
