"""Prophet and statsforecast AutoETS as comparators, wrapped to give a :class:`Prognosis`.

Both are optional (the ``bench`` extra); :func:`available` says which import. Each is fitted
per patient group, the way an analyst would use it on these data, and returns sample paths
``[path, group, month]`` that are scored exactly like our engines. Both outputs are clipped
at zero and at the group's cap (cap share x declared / 12) after their noise (negative GE
are impossible, and Prophet's logistic cap bounds only its trend, not its samples). Our
engines cap the expected GE instead and add their noise after it; the comparators' samples
do not separate the two, so they keep the clip (see the README on what it does to Prophet).

A group with too little data to fit (fewer than :data:`MIN_MONTHS` months for Prophet,
:data:`MIN_MONTHS_ETS` for AutoETS, whose simulator refuses "tiny datasets" of up to nine
points) is held at its mean so far, zero if it has none; neither tool knows about go-lives.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.engines.base import Forecast, History, assemble, history_from_actuals
from wgsforecast.models import Assumptions, GroupRegistry
from wgsforecast.periods import month_range
from wgsforecast.prognosis import Prognosis

MIN_MONTHS = 3
MIN_MONTHS_ETS = 10

Kernel = Callable[[History, GroupRegistry, int, int, int], npt.NDArray[np.float64]]


def available() -> dict[str, Kernel]:
    """The comparators whose packages import, by name."""
    found: dict[str, Kernel] = {}
    try:
        import prophet  # noqa: F401

        found["prophet"] = _prophet_paths
    except ImportError:
        pass
    try:
        import statsforecast  # noqa: F401

        found["sf_autoets"] = _autoets_paths
    except ImportError:
        pass
    return found


def forecast_with(
    name: str,
    kernel: Kernel,
    actuals: pd.DataFrame,
    groups: GroupRegistry,
    assumptions: Assumptions,
    n_paths: int,
    seed: int,
) -> Prognosis:
    """Fit a comparator on the actuals up to ``assumptions.as_of``; return its prognosis.

    The paths are capped, flagged and joined to the history by the engines' own
    :func:`~wgsforecast.engines.assemble`, so they are scored exactly like an engine's.
    """
    history = history_from_actuals(actuals, groups, assumptions.as_of)
    future = kernel(history, groups, assumptions.horizon_months, n_paths, seed)
    return assemble(
        Forecast(ge=future),
        history,
        groups,
        assumptions,
        engine=name,
        seed=seed,
        data_notes=tuple(actuals.attrs.get("notes", ())),
    )


def _short_level(history: History, index: int) -> float:
    start = history.started[index]
    return 0.0 if start < 0 else float(history.ge[index, start:].mean())


def _fittable(history: History, min_months: int = MIN_MONTHS) -> list[int]:
    n_months = history.ge.shape[1]
    return [
        i
        for i, start in enumerate(history.started)
        if start >= 0 and n_months - start >= min_months
    ]


def _flat_paths(history: History, horizon: int, n_paths: int) -> npt.NDArray[np.float64]:
    levels = np.array([_short_level(history, i) for i in range(history.ge.shape[0])])
    return np.broadcast_to(levels[None, :, None], (n_paths, len(levels), horizon)).copy()


def _prophet_paths(
    history: History, groups: GroupRegistry, horizon: int, n_paths: int, seed: int
) -> npt.NDArray[np.float64]:
    from prophet import Prophet

    # cmdstanpy logs two INFO lines per fit and re-enables its handler; silence it outright.
    logging.getLogger("cmdstanpy").disabled = True
    logging.getLogger("prophet").setLevel(logging.WARNING)
    paths = _flat_paths(history, horizon, n_paths)
    dates = history.months.to_timestamp()
    future_dates = month_range(history.as_of + 1, history.as_of + horizon).to_timestamp()
    for index in _fittable(history):
        group = list(groups)[index]
        cap = group.cap_per_month
        start = history.started[index]
        frame = pd.DataFrame(
            {"ds": dates[start:], "y": history.ge[index, start:], "cap": cap, "floor": 0.0}
        )
        model = Prophet(
            growth="logistic",
            yearly_seasonality=False,
            weekly_seasonality=False,
            daily_seasonality=False,
            uncertainty_samples=n_paths,
        )
        np.random.seed(seed + index)  # noqa: NPY002 - Prophet samples from numpy's global state
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(frame)
            ahead = pd.DataFrame({"ds": future_dates, "cap": cap, "floor": 0.0})
            samples = model.predictive_samples(ahead)["yhat"]  # [month, sample]
        paths[:, index, :] = np.asarray(samples, dtype=np.float64).T[:n_paths]
    return paths


def _autoets_paths(
    history: History, groups: GroupRegistry, horizon: int, n_paths: int, seed: int
) -> npt.NDArray[np.float64]:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    paths = _flat_paths(history, horizon, n_paths)
    fittable = _fittable(history, MIN_MONTHS_ETS)
    if not fittable:
        return paths
    dates = history.months.to_timestamp()
    keys = groups.keys
    frames = [
        pd.DataFrame(
            {
                "unique_id": keys[i],
                "ds": dates[history.started[i] :],
                "y": history.ge[i, history.started[i] :],
            }
        )
        for i in fittable
    ]
    model = StatsForecast(models=[AutoETS(season_length=1)], freq="MS", n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        simulated = model.simulate(
            h=horizon, df=pd.concat(frames, ignore_index=True), n_paths=n_paths, seed=seed
        )
    value = next(c for c in simulated.columns if c.startswith("AutoETS"))
    for i in fittable:
        rows = simulated[simulated["unique_id"] == keys[i]].sort_values(["sample_id", "ds"])
        paths[:, i, :] = rows[value].to_numpy(dtype=np.float64).reshape(n_paths, horizon)
    return paths
