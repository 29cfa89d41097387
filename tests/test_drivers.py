"""What moves the date: paths split by the inputs an engine drew, and P(target by a month)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.exceptions import PriorFallbackWarning


@pytest.fixture(scope="module")
def scaled(bundled: wf.ProgrammeData) -> wf.Prognosis:
    """300 copies of the published method's path, each future scaled by its own factor."""
    one = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="runrate")
    factor = np.linspace(0.6, 1.4, 300)
    ge = np.repeat(one.ge, 300, axis=0)
    ge[:, :, one.is_projected] *= factor[:, None, None].astype(ge.dtype)
    noise = np.random.default_rng(1).permutation(factor)
    return dataclasses.replace(
        one,
        ge=ge,
        capped=np.repeat(one.capped, 300, axis=0),
        drivers={"speed": factor, "unrelated": noise},
    )


def test_the_driver_that_sets_the_pace_moves_the_date_most(scaled: wf.Prognosis) -> None:
    table = scaled.what_moves_the_date()
    assert list(table["driver"]) == ["speed", "unrelated"]
    speed = table.iloc[0]
    # A faster third reaches the target earlier: a negative shift of several months.
    assert speed["shift_months"] <= -6
    assert speed["target_high"] < speed["target_low"]
    assert speed["low"] < 0.9 < 1.1 < speed["high"]
    assert abs(table.iloc[1]["shift_months"]) <= 2


def test_engines_without_drivers_give_an_empty_table(bundled: wf.ProgrammeData) -> None:
    flat = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="flat")
    assert flat.what_moves_the_date().empty


def test_p_target_by_a_month(scaled: wf.Prognosis) -> None:
    deadline = scaled.programme.deadline
    assert scaled.p_target_by(deadline) == scaled.p_target_by_deadline()
    by_month = [scaled.p_target_by(m) for m in ("2024-12", "2025-06", "2025-12", "2026-06")]
    assert by_month == sorted(by_month)
    assert 0 < by_month[1] < 1
    with pytest.raises(ValueError, match="horizon"):
        scaled.p_target_by(scaled.months[-1] + 1)


def test_the_evidence_engine_names_capacity_and_the_advanced_cancer_group(
    bundled: wf.ProgrammeData,
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        prognosis = wf.forecast(
            bundled.actuals,
            bundled.groups,
            bundled.assumptions,
            engine="adoption",
            n_paths=1500,
            seed=2023,
        )
    table = prognosis.what_moves_the_date().set_index("driver")
    assert table.index[0] == "capacity"
    # A higher ceiling brings the date forward. The big group's realisation is a driver too,
    # but with the ceiling binding on most paths it moves the date far less (its sign is
    # within Monte Carlo noise: -2 to +1 months over paths and seeds).
    capacity_shift = table.loc["capacity", "shift_months"]
    assert capacity_shift < -6
    assert (
        abs(table.loc["plateau:udbredt-uhelbredelig-kraeft", "shift_months"])
        < abs(capacity_shift) / 4
    )
    assert {"throughput", "start:lever"} <= set(table.index)
    assert isinstance(table.loc["capacity", "target_low"], pd.Period)


def test_without_a_ceiling_the_advanced_cancer_group_moves_the_date_most(
    bundled: wf.ProgrammeData,
) -> None:
    programme = bundled.assumptions.programme.model_copy(update={"capacity_wgs_per_year": None})
    assumptions = bundled.assumptions.model_copy(update={"programme": programme})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        prognosis = wf.forecast(
            bundled.actuals,
            bundled.groups,
            assumptions,
            engine="adoption",
            n_paths=1500,
            seed=2023,
        )
    table = prognosis.what_moves_the_date().set_index("driver")
    # Nothing national holds it back, so a higher realisation of the big group brings the
    # date forward, and by more than any other assumption.
    assert "capacity" not in table.index
    assert table.index[0] == "plateau:udbredt-uhelbredelig-kraeft"
    assert table["shift_months"].iloc[0] < -3
