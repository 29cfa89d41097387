"""The statsmodels ETS comparator engine."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from wgsforecast.engines import ENGINES, ETSEngine
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.notes import NoteCode
from wgsforecast.simulate import SimulatedProgramme, simulate_programme


@pytest.fixture(scope="module")
def sim() -> SimulatedProgramme:
    return simulate_programme(21, n_groups=8)


@pytest.fixture(scope="module")
def engine(sim: SimulatedProgramme) -> ETSEngine:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        return ETSEngine().fit(sim.actuals, sim.groups, sim.assumptions)


def test_engine_is_registered() -> None:
    assert ENGINES["ets"] is ETSEngine


def test_paths_are_within_zero_and_the_cap(sim: SimulatedProgramme, engine: ETSEngine) -> None:
    prognosis = engine.forecast(n_paths=400, seed=5)
    caps = np.array([g.cap_per_month for g in sim.groups], dtype=np.float32)
    projected = prognosis.ge[:, :, prognosis.is_projected]
    assert np.all(projected >= 0)
    # The model's innovations are its level and trend wandering: a rate, held to the cap
    # (the fallback groups get count noise around their capped ramp, which may scatter).
    modelled = sorted(engine.results_)
    assert modelled
    assert np.all(projected[:, modelled] <= caps[None, modelled, None])
    # The cap flags mark where the point forecast was above the cap.
    above = engine.point_ > caps[:, None]
    assert above.any()
    flagged = prognosis.capped[:, :, prognosis.is_projected]
    np.testing.assert_array_equal(flagged, np.broadcast_to(above, flagged.shape))
    # Paths differ: the model's innovations are simulated, not just the point forecast.
    assert projected.std(axis=0).max() > 0


def test_zero_before_go_live(sim: SimulatedProgramme, engine: ETSEngine) -> None:
    prognosis = engine.forecast(n_paths=100, seed=1)
    for index, group in enumerate(sim.groups):
        assert group.go_live is not None
        before = np.asarray(prognosis.months < group.go_live)
        assert np.all(prognosis.ge[:, index, before] == 0)


def test_same_seed_same_paths(engine: ETSEngine) -> None:
    first = engine.forecast(n_paths=100, seed=7)
    again = engine.forecast(n_paths=100, seed=7)
    np.testing.assert_array_equal(first.ge, again.ge)
    assert not np.array_equal(first.ge, engine.forecast(n_paths=100, seed=8).ge)


def test_short_series_fall_back_with_a_flag_and_a_warning() -> None:
    # Go-lives one to four months before the as-of month: too short for ETS.
    sim = simulate_programme(4, n_groups=5)
    actuals = sim.actuals.copy()
    as_of = sim.assumptions.as_of
    actuals = actuals[actuals["month"] > as_of - 3].reset_index(drop=True)
    with pytest.warns(PriorFallbackWarning, match="ETS needs 6"):
        engine = ETSEngine().fit(actuals, sim.groups, sim.assumptions)
    prognosis = engine.forecast(n_paths=50, seed=1)
    live = [g.key for g in sim.groups if g.go_live is not None and g.go_live <= as_of - 3]
    assert live, "the simulated programme should have groups live before the cut"
    for key in live:
        assert prognosis.group_notes[key][0].code is NoteCode.PLANNED_RAMP
    assert np.all(prognosis.ge >= 0)


def test_import_does_not_load_statsmodels() -> None:
    code = (
        "import sys, wgsforecast, wgsforecast.engines, wgsforecast.simulate;"
        "print(any(m.startswith(('statsmodels', 'matplotlib')) for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_projection_tracks_a_stable_series(sim: SimulatedProgramme, engine: ETSEngine) -> None:
    # A group long at its plateau should be projected near its recent level on average.
    prognosis = engine.forecast(n_paths=300, seed=2)
    truth = sim.truth.set_index("group")
    recent = sim.actuals.groupby("group")["ge"].apply(lambda s: s.iloc[-6:].mean())
    settled = [k for k in truth.index if truth.loc[k, "months_observed"] >= 24]
    assert settled
    keys = list(sim.groups.keys)
    for key in settled:
        level = prognosis.ge[:, keys.index(key), prognosis.is_projected][:, :6].mean()
        assert level == pytest.approx(recent[key], rel=0.35)
    assert isinstance(prognosis.months, pd.PeriodIndex)
