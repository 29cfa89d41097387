"""The naive flat run-rate engine: each group's last-three-months mean, forever."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.engines import ENGINES, FlatEngine
from wgsforecast.notes import GroupNote, NoteCode


def test_flat_is_registered_and_deterministic(bundled: wf.ProgrammeData) -> None:
    assert ENGINES["flat"] is FlatEngine
    prognosis = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="flat")
    again = wf.forecast(
        bundled.actuals, bundled.groups, bundled.assumptions, engine="flat", n_paths=50, seed=3
    )
    assert prognosis.n_paths == 1 and again.n_paths == 1
    np.testing.assert_array_equal(prognosis.ge, again.ge)


def test_each_group_stays_at_its_last_three_months_mean(bundled: wf.ProgrammeData) -> None:
    prognosis = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="flat")
    last3 = pd.period_range("2022-12", "2023-02", freq="M")
    actuals = bundled.actuals
    projected = prognosis.ge[0][:, prognosis.is_projected]
    for index, group in enumerate(bundled.groups):
        rows = actuals[(actuals["group"] == group.key) & actuals["month"].isin(last3)]
        started = actuals.loc[actuals["group"] == group.key, "month"].min()
        months = 0 if pd.isna(started) else sum(m >= started for m in last3)
        expected = rows["ge"].sum() / months if months else 0.0
        expected = min(expected, group.cap_per_month)
        np.testing.assert_allclose(projected[index], expected, rtol=1e-6)


def test_history_is_kept_and_groups_without_data_stay_at_zero(
    bundled: wf.ProgrammeData,
) -> None:
    prognosis = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="flat")
    history = prognosis.ge[0][:, ~prognosis.is_projected]
    assert history.sum() == bundled.actuals["ge"].sum()
    silent = [i for i, g in enumerate(bundled.groups) if g.key not in set(bundled.actuals["group"])]
    assert silent, "the bundled data has groups not live yet"
    assert prognosis.ge[0][silent][:, prognosis.is_projected].sum() == 0
    notes = prognosis.group_notes
    assert all(notes[bundled.groups.keys[i]] == (GroupNote(NoteCode.NO_DATA),) for i in silent)


def test_flat_level_is_clipped_at_the_cap() -> None:
    group = wf.PatientGroup(
        key="a", name_da="A", name_en="A", kind="germline", declared_per_year=120, status="live"
    )
    groups = wf.GroupRegistry([group])
    months = pd.period_range("2022-01", "2022-06", freq="M")
    actuals = pd.DataFrame({"group": "a", "month": months, "ge": [50] * 6})
    assumptions = wf.Assumptions(as_of="2022-06", horizon_months=6)
    prognosis = FlatEngine().fit(actuals, groups, assumptions).forecast()
    future = prognosis.ge[0, 0, prognosis.is_projected]
    assert future == pytest.approx([group.cap_per_month] * 6)  # 0.75 * 120 / 12 = 7.5
    assert prognosis.capped[0, 0, prognosis.is_projected].all()
