"""The published method (run rate, ramps, go-lives, cap) and its invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from tests.strategies import programmes

import wgsforecast as wf
from wgsforecast.engines.runrate import linear_ramps


def _group(key: str = "g", **changes: object) -> wf.PatientGroup:
    fields: dict[str, object] = {
        "key": key,
        "name_da": key,
        "name_en": key,
        "kind": "germline",
        "declared_per_year": 1_200.0,
        "go_live": "2022-01",
        "status": "live",
        "ramp": wf.Ramp(target_share=0.75, months=4),
    }
    fields.update(changes)
    return wf.PatientGroup.model_validate(fields)


def _actuals(key: str, first: str, counts: list[int]) -> pd.DataFrame:
    months = pd.period_range(first, periods=len(counts), freq="M")
    return pd.DataFrame({"group": key, "month": months, "ge": np.array(counts, dtype="int64")})


def _forecast(data: wf.ProgrammeData) -> wf.Prognosis:
    return wf.forecast(data.actuals, data.groups, data.assumptions, engine="runrate")


def test_live_group_starts_from_its_last_three_months_and_ramps_to_target() -> None:
    groups = wf.GroupRegistry([_group()])
    actuals = _actuals("g", "2022-10", [5, 10, 20, 30, 40])  # last three: 20, 30, 40 -> 30
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=6)
    prognosis = wf.forecast(actuals, groups, assumptions)
    future = prognosis.ge[0, 0, prognosis.is_projected]
    # 30 -> 75 (0.75 x 1200 / 12) over 4 months: 41.25, 52.5, 63.75, 75, then flat.
    np.testing.assert_allclose(future, [41.25, 52.5, 63.75, 75.0, 75.0, 75.0])
    assert prognosis.run_rate()["g"] == pytest.approx(30.0)


def test_group_not_live_is_zero_until_go_live_then_ramps_from_zero() -> None:
    groups = wf.GroupRegistry([_group("a"), _group("b", go_live="2023-05", status="planned")])
    actuals = _actuals("a", "2022-12", [10, 10, 10])
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=8)
    prognosis = wf.forecast(actuals, groups, assumptions)
    b = prognosis.ge[0, 1, prognosis.is_projected]
    np.testing.assert_allclose(b, [0, 0, 18.75, 37.5, 56.25, 75, 75, 75])
    assert str(prognosis.group_notes["b"][0]) == "not live yet: starts 2023-05"


def test_ramp_start_delays_the_ramp() -> None:
    groups = wf.GroupRegistry([_group(ramp=wf.Ramp(months=2, start="2023-05"))])
    actuals = _actuals("g", "2022-12", [15, 15, 15])
    prognosis = wf.forecast(actuals, groups, wf.Assumptions(as_of="2023-02", horizon_months=5))
    np.testing.assert_allclose(prognosis.ge[0, 0, prognosis.is_projected], [15, 15, 45, 75, 75])


def test_value_above_cap_is_clipped_and_flagged() -> None:
    group = _group(cap_share=0.5, ramp=wf.Ramp(target_share=1.0, months=0))
    actuals = _actuals("g", "2022-12", [10, 10, 10])
    prognosis = wf.forecast(
        actuals, wf.GroupRegistry([group]), wf.Assumptions(as_of="2023-02", horizon_months=3)
    )
    projected = prognosis.monthly().query("kind == 'projected'")
    assert projected["ge"].tolist() == [50.0, 50.0, 50.0]  # cap: 0.5 x 1200 / 12
    assert projected["capped"].all()
    assert not prognosis.monthly().query("kind == 'actual'")["capped"].any()


def test_rows_after_the_as_of_month_are_ignored_by_the_fit() -> None:
    groups = wf.GroupRegistry([_group()])
    actuals = _actuals("g", "2022-10", [5, 10, 20, 30, 40, 999])  # 2023-03 is after as-of
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=2)
    prognosis = wf.forecast(actuals, groups, assumptions)
    assert prognosis.months[-1] == pd.Period("2023-04", "M")
    assert 999 not in prognosis.ge


def test_linear_ramps_with_zero_months_jump_at_the_start() -> None:
    levels = linear_ramps(
        np.array([10.0]), np.array([50.0]), np.array([3]), np.array([0]), horizon=4
    )
    np.testing.assert_allclose(levels[0], [10, 10, 50, 50])


def test_forecast_before_fit_names_the_call_to_make() -> None:
    with pytest.raises(RuntimeError, match=r"call \.fit\(actuals, groups, assumptions\)"):
        wf.RunRateEngine().forecast()


def test_unknown_engine_lists_the_known_ones(bundled: wf.ProgrammeData) -> None:
    with pytest.raises(ValueError, match="runrate"):
        wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="prophet2")


@given(programmes())
def test_no_projected_month_exceeds_its_cap(data: wf.ProgrammeData) -> None:
    prognosis = _forecast(data)
    caps = np.array([g.cap_per_month for g in data.groups])
    projected = prognosis.ge[:, :, prognosis.is_projected]
    assert np.all(projected <= caps[None, :, None] + 1e-9)
    assert np.all(projected >= 0)


@given(programmes())
def test_cumulative_never_decreases_and_national_is_the_sum_of_groups(
    data: wf.ProgrammeData,
) -> None:
    prognosis = _forecast(data)
    assert np.all(np.diff(prognosis.cumulative_paths, axis=1) >= 0)
    np.testing.assert_allclose(prognosis.national_paths, prognosis.ge.sum(axis=1))
    frame = prognosis.monthly()
    by_month = frame.groupby("month", sort=True)["ge"].sum().to_numpy()
    np.testing.assert_allclose(by_month, prognosis.cumulative()["ge"].to_numpy())


@given(programmes())
def test_actual_months_are_returned_unchanged(data: wf.ProgrammeData) -> None:
    prognosis = _forecast(data)
    actual = prognosis.monthly().query("kind == 'actual'")
    merged = actual.merge(data.actuals, on=["group", "month"], how="left", suffixes=("", "_in"))
    known = merged["ge_in"].notna()
    np.testing.assert_array_equal(merged.loc[known, "ge"], merged.loc[known, "ge_in"])
    assert (merged.loc[~known, "ge"] == 0).all()  # months before a group's first row
    assert known.sum() == len(data.actuals)  # every input row is there


def test_as_of_after_the_last_data_month_is_an_error_not_zeros() -> None:
    groups = wf.GroupRegistry([_group()])
    actuals = _actuals("g", "2022-12", [10, 10, 10])  # ends 2023-02
    with pytest.raises(wf.WgsForecastError, match="the actuals end in 2023-02"):
        wf.forecast(actuals, groups, wf.Assumptions(as_of="2023-05"))


def test_adjust_returning_the_wrong_shape_names_adjust() -> None:
    groups = wf.GroupRegistry([_group()])
    actuals = _actuals("g", "2022-12", [10, 10, 10])
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=4)
    with pytest.raises(ValueError, match="adjust must return"):
        wf.forecast(actuals, groups, assumptions, adjust=lambda e: e[:, :, :2])


def test_projection_is_never_negative_even_after_an_adjustment() -> None:
    groups = wf.GroupRegistry([_group()])
    actuals = _actuals("g", "2022-12", [10, 10, 10])
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=4)
    prognosis = wf.forecast(actuals, groups, assumptions, adjust=lambda e: e - 1_000)
    assert (prognosis.ge[0, 0, prognosis.is_projected] == 0).all()


def test_go_live_passed_without_data_is_said_so_in_both_languages() -> None:
    from wgsforecast.report.notes import note_text

    groups = wf.GroupRegistry([_group("a"), _group("b", go_live="2022-06", status="onboarding")])
    actuals = _actuals("a", "2022-12", [10, 10, 10])
    prognosis = wf.forecast(actuals, groups, wf.Assumptions(as_of="2023-02", horizon_months=3))
    (note,) = prognosis.group_notes["b"]
    assert str(note) == "go-live 2022-06 passed without data: starts 2023-03"
    assert (
        note_text(note, "da") == "planlagt opstart juni 2022 passeret uden data: starter marts 2023"
    )
    np.testing.assert_allclose(prognosis.ge[0, 1, prognosis.is_projected], [18.75, 37.5, 56.25])
