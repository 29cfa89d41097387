"""The contract every registered engine keeps, checked on every engine in ENGINES.

The suite is parametrised over :data:`wgsforecast.engines.ENGINES`, so an engine registered
later is held to the same contract without editing this file:

* ``fit`` returns the engine itself;
* no projected month's expected GE is above its group's cap (pushed far above it, how far
  makes no difference to the paths: count noise may scatter a month above the cap, but a
  deterministic engine's months never are), and no month is below zero;
* the national running total never falls;
* the national total is the sum of the groups;
* the history is returned unchanged on every path;
* the same seed gives identical paths;
* a deterministic engine returns one path, a stochastic one the paths asked for.

Two property tests: one refits on random small programmes (cheap engines get more
examples; the ensemble, which backtests its members while fitting, only a couple), one
forecasts a fitted engine with random seeds and path counts (one fit per engine).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.strategies import programmes

import wgsforecast as wf
from wgsforecast.engines import ENGINES, Engine, history_from_actuals
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.simulate import SimulatedProgramme, simulate_programme

ENGINE_NAMES = sorted(ENGINES)

REFIT_EXAMPLES = {"ensemble": 2, "adoption": 4, "ets": 4}
"""Random programmes per engine in the refitting test (default :data:`DEFAULT_EXAMPLES`)."""
DEFAULT_EXAMPLES = 8
NO_SHRINK = {"ensemble", "adoption"}
"""Engines whose failing examples are reported unshrunk: each shrinking step refits, and
shrinking an ensemble example (its fit backtests four members) takes many minutes."""
PATHS = st.integers(1, 50)
SEEDS = st.integers(0, 2**32 - 1)


def _fit(name: str, actuals: object, groups: wf.GroupRegistry, assumptions: object) -> Engine:
    engine = ENGINES[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        fitted = engine.fit(actuals, groups, assumptions)  # type: ignore[arg-type]
    assert fitted is engine
    return engine


def _check_contract(
    engine: Engine, data: wf.ProgrammeData | SimulatedProgramme, n_paths: int, seed: int
) -> None:
    prognosis = engine.forecast(n_paths=n_paths, seed=seed, progress=False)
    assert prognosis.n_paths == (n_paths if engine.stochastic else 1)
    assert prognosis.engine == engine.name

    projected = prognosis.ge[:, :, prognosis.is_projected].astype(np.float64)
    caps = np.array([g.cap_per_month for g in data.groups])
    assert np.isfinite(projected).all()
    assert (projected >= 0).all()
    if not engine.stochastic:
        assert (projected <= caps[None, :, None] * (1 + 1e-6)).all()
    _check_cap_bounds_the_expectation(engine, caps, n_paths, seed)

    national = prognosis.national_paths
    np.testing.assert_allclose(national, prognosis.ge.sum(axis=1, dtype=np.float64))
    assert (np.diff(prognosis.cumulative_paths, axis=1) >= 0).all()

    history = history_from_actuals(data.actuals, data.groups, data.assumptions.as_of)
    actual = prognosis.ge[:, :, ~prognosis.is_projected]
    assert actual.shape[2] == history.ge.shape[1]
    for path in actual:
        np.testing.assert_array_equal(path, history.ge)

    again = engine.forecast(n_paths=n_paths, seed=seed, progress=False)
    np.testing.assert_array_equal(prognosis.ge, again.ge)


def _check_cap_bounds_the_expectation(
    engine: Engine, caps: np.ndarray, n_paths: int, seed: int
) -> None:
    """Expectations pushed to 1,000 or 2,000 x the cap give the same paths: the cap, not
    the push, sets the level the count noise scatters around."""

    def push(factor: float) -> Callable[[np.ndarray], np.ndarray]:
        def far_above(expected: np.ndarray) -> np.ndarray:
            level = np.broadcast_to(factor * caps[None, :, None], expected.shape)
            return level.astype(expected.dtype)

        return far_above

    pushed = engine.forecast(n_paths=n_paths, seed=seed, progress=False, adjust=push(1000))
    further = engine.forecast(n_paths=n_paths, seed=seed, progress=False, adjust=push(2000))
    assert pushed.capped[:, :, pushed.is_projected].all()
    np.testing.assert_array_equal(pushed.ge, further.ge)


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_contract_holds_on_random_programmes(name: str) -> None:
    @settings(
        max_examples=REFIT_EXAMPLES.get(name, DEFAULT_EXAMPLES),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[p for p in Phase if p is not Phase.shrink or name not in NO_SHRINK],
    )
    @given(data=programmes(max_groups=3), n_paths=PATHS, seed=SEEDS)
    def check(data: wf.ProgrammeData, n_paths: int, seed: int) -> None:
        engine = _fit(name, data.actuals, data.groups, data.assumptions)
        _check_contract(engine, data, n_paths, seed)

    check()


@pytest.fixture(scope="module")
def simulated() -> SimulatedProgramme:
    return simulate_programme(seed=11, n_groups=4)


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def fitted(request: pytest.FixtureRequest, simulated: SimulatedProgramme) -> Engine:
    """Each engine fitted once on a simulated programme (the ensemble's fit backtests)."""
    name: str = request.param
    return _fit(name, simulated.actuals, simulated.groups, simulated.assumptions)


@settings(max_examples=6, deadline=None)
@given(n_paths=PATHS, seed=SEEDS)
def test_contract_holds_for_any_seed_and_path_count(
    fitted: Engine, simulated: SimulatedProgramme, n_paths: int, seed: int
) -> None:
    _check_contract(fitted, simulated, n_paths, seed)


def test_every_engine_is_registered_under_its_name() -> None:
    for name, cls in ENGINES.items():
        assert cls.name == name
        assert issubclass(cls, Engine)
