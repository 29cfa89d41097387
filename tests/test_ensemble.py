"""The ensemble: members weighted by their rolling-origin CRPS, paths split by weight."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.engines import (
    ENGINES,
    Engine,
    EnsembleEngine,
    FlatEngine,
    Forecast,
    TrendEngine,
    register_engine,
)
from wgsforecast.engines.ensemble import DEFAULT_MEMBERS, largest_remainder
from wgsforecast.notes import GroupNote, NoteCode


def _programme(counts: list[int], start: str = "2020-01", horizon: int = 24) -> wf.ProgrammeData:
    group = wf.PatientGroup(
        key="a", name_da="A", name_en="A", kind="germline", declared_per_year=1e6, status="live"
    )
    months = pd.period_range(start, periods=len(counts), freq="M")
    actuals = pd.DataFrame({"group": "a", "month": months, "ge": np.array(counts, dtype="int64")})
    assumptions = wf.Assumptions(as_of=months[-1], horizon_months=horizon)
    return wf.ProgrammeData(actuals, wf.GroupRegistry([group]), assumptions)


LINEAR = _programme(list(100 + 10 * np.arange(36)))
"""Three years on one straight line: the trend member is exact, flat falls behind."""
PLATEAU = _programme([10 * (t + 1) for t in range(24)] + [240] * 12)
"""Two years of ramp, then a year flat at 240: flat is exact, the trend overshoots."""


def _noisy(seed: int = 0) -> wf.ProgrammeData:
    rng = np.random.default_rng(seed)
    return _programme(list(100 + 5 * np.arange(36) + rng.integers(-30, 30, size=36)))


def _fit(data: wf.ProgrammeData, **kwargs: object) -> EnsembleEngine:
    engine = EnsembleEngine(**kwargs)  # type: ignore[arg-type]
    return engine.fit(data.actuals, data.groups, data.assumptions)


def test_ensemble_is_registered_with_the_default_members() -> None:
    assert ENGINES["ensemble"] is EnsembleEngine
    assert EnsembleEngine().labels == DEFAULT_MEMBERS == ("adoption", "ets", "flat", "trend")


@pytest.mark.parametrize(("data", "best"), [(LINEAR, "trend"), (PLATEAU, "flat")])
def test_weights_sum_to_one_and_favour_the_member_that_was_right(
    data: wf.ProgrammeData, best: str
) -> None:
    engine = _fit(data, members=["flat", "trend"])
    weights = engine.weights_
    assert list(weights.index) == ["flat", "trend"]
    assert weights.sum() == pytest.approx(1.0)
    assert weights[best] > 0.9
    parameters = engine.parameters().set_index("member")
    relative = parameters["relative_crps"]
    assert float(relative[best]) < 1 < float(relative.drop(best).min())
    assert (parameters["n_scores"] > 0).all()
    assert [str(o) for o in engine.origins_] == ["2021-12", "2022-03", "2022-06", "2022-09"]
    assert "4 origins" in engine.weighting_


def test_temperature_sets_how_sharply_weights_follow_the_scores() -> None:
    sharp = _fit(LINEAR, members=["flat", "trend"], temperature=0.05).weights_
    soft = _fit(LINEAR, members=["flat", "trend"], temperature=100.0).weights_
    assert sharp["trend"] > 0.999
    assert soft["trend"] == pytest.approx(0.5, abs=0.01)


def test_scores_use_only_data_up_to_the_as_of_month() -> None:
    data = _noisy()
    later = pd.DataFrame({"group": "a", "month": pd.period_range("2023-01", periods=6, freq="M")})
    later["ge"] = np.int64(10_000)
    with_future = pd.concat([data.actuals, later], ignore_index=True)
    one = EnsembleEngine(members=["flat", "trend"]).fit(data.actuals, data.groups, data.assumptions)
    two = EnsembleEngine(members=["flat", "trend"]).fit(with_future, data.groups, data.assumptions)
    pd.testing.assert_series_equal(one.weights_, two.weights_)


def test_same_seed_gives_the_same_paths() -> None:
    engine = _fit(_noisy(), members=["flat", "trend"])
    first = engine.forecast(n_paths=200, seed=5)
    np.testing.assert_array_equal(first.ge, engine.forecast(n_paths=200, seed=5).ge)
    assert not np.array_equal(first.ge, engine.forecast(n_paths=200, seed=6).ge)
    assert first.engine == "ensemble" and first.n_paths == 200


def test_paths_are_allocated_by_weight_and_deterministic_members_keep_their_expectation() -> None:
    data = _noisy(1)
    engine = _fit(data, members=["flat", "trend"], temperature=5.0)
    counts = engine.allocation(101)
    assert counts.sum() == 101
    np.testing.assert_array_equal(counts, largest_remainder(engine.weights_.to_numpy(), 101))
    prognosis = engine.forecast(n_paths=101, seed=2)
    flat = FlatEngine().fit(data.actuals, data.groups, data.assumptions).forecast()
    n_flat = int(counts[0])
    assert 0 < n_flat < 101
    np.testing.assert_allclose(prognosis.ge[:n_flat], np.repeat(flat.ge, n_flat, axis=0))
    trend_rows = prognosis.ge[n_flat:, 0, prognosis.is_projected]
    assert np.unique(trend_rows[:, -1]).size > 1


class _Constant(Engine):
    """Deterministic test member: 5 GE a month in every group."""

    name: ClassVar[str] = "constant"
    stochastic: ClassVar[bool] = False

    def _fit(self) -> None:
        pass

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        shape = (1, len(self.groups_), self.assumptions_.horizon_months)
        return Forecast(ge=np.full(shape, 5.0), group_notes={"a": (GroupNote(NoteCode.NO_DATA),)})


class _Marked(Engine):
    """Stochastic test member whose noise adds 1,000 to every month it is given."""

    name: ClassVar[str] = "marked"

    def _fit(self) -> None:
        pass

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        shape = (n_paths, len(self.groups_), self.assumptions_.horizon_months)
        return Forecast(ge=np.ones(shape))

    def _noise(
        self, expected: np.ndarray, rng: np.random.Generator, progress: bool | None
    ) -> np.ndarray:
        return expected + 1000.0


def test_each_member_gets_its_own_noise_on_its_own_rows() -> None:
    data = _programme([5] * 24)
    engine = _fit(data, members=[_Constant(), _Marked()], temperature=1e9)
    assert engine.weights_.to_numpy() == pytest.approx([0.5, 0.5])
    prognosis = engine.forecast(n_paths=10, seed=0)
    future = prognosis.ge[:, 0, prognosis.is_projected]
    np.testing.assert_array_equal(future[:5], 5.0)
    np.testing.assert_array_equal(future[5:], 1001.0)
    (note,) = prognosis.group_notes["a"]
    assert str(note) == "no data: projected at 0 (in constant, weight 0.50)"


def test_an_adjustment_never_raises_a_month_under_the_same_seed() -> None:
    engine = _fit(_noisy(2), members=["flat", "trend"], temperature=5.0)
    base = engine.forecast(n_paths=300, seed=9)
    lower = engine.forecast(n_paths=300, seed=9, adjust=lambda ge: ge * 0.8)
    projected = base.is_projected
    assert (lower.ge[:, :, projected] <= base.ge[:, :, projected]).all()
    assert (lower.ge[:, :, projected] < base.ge[:, :, projected]).any()


def test_equal_weights_when_no_origin_can_be_scored() -> None:
    data = _programme([10, 12, 14, 16, 18])
    engine = _fit(data, members=["flat", "trend"])
    assert engine.weights_.to_numpy() == pytest.approx([0.5, 0.5])
    assert engine.weighting_.startswith("equal weights: no origin could be scored")
    assert engine.scores_.empty
    assert engine.parameters()["relative_crps"].isna().all()
    assert engine.forecast(n_paths=10, seed=1).n_paths == 10


def test_instances_are_copied_and_repeated_names_get_labels() -> None:
    configured = TrendEngine(window=6)
    engine = _fit(_noisy(), members=[configured, "trend"])
    assert engine.labels == ("trend", "trend#2")
    assert list(engine.weights_.index) == ["trend", "trend#2"]
    assert not hasattr(configured, "history_")
    fitted = engine.members_[0]
    assert isinstance(fitted, TrendEngine) and fitted.window == 6


def test_progress_bar_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    _fit(LINEAR, members=["flat"], progress=True)
    assert "ensemble" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"members": ["nope"]}, "unknown member engine 'nope'"),
        ({"members": []}, "members is empty"),
        ({"temperature": 0.0}, "temperature must be positive"),
        ({"leads": [0]}, "leads must be whole months"),
        ({"backtest_paths": 0}, "backtest_paths must be at least 1"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        EnsembleEngine(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("weights", "total", "expected"),
    [
        ([0.5, 0.3, 0.2], 7, [4, 2, 1]),
        ([0.25, 0.25, 0.25, 0.25], 2, [1, 1, 0, 0]),
        ([1.0, 0.0], 5, [5, 0]),
        ([0.6, 0.4], 1, [1, 0]),
    ],
)
def test_largest_remainder(weights: list[float], total: int, expected: list[int]) -> None:
    counts = largest_remainder(np.array(weights), total)
    assert counts.tolist() == expected
    assert counts.sum() == total


def test_register_engine_adds_a_class_and_refuses_a_taken_name() -> None:
    try:
        assert register_engine(_Constant) is _Constant
        assert ENGINES["constant"] is _Constant
        assert register_engine(_Constant) is _Constant  # again: harmless
        impostor = type("Impostor", (_Constant,), {})
        with pytest.raises(ValueError, match="already registered"):
            register_engine(impostor)
        with pytest.raises(TypeError, match="Engine subclass"):
            register_engine(int)  # type: ignore[type-var]
    finally:
        ENGINES.pop("constant", None)
