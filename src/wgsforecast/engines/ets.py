"""The "ets" engine: statsmodels exponential smoothing per group, the statistical comparator.

Each group with enough history gets an additive-error ``ETSModel`` (damped additive trend
when the series is long enough for one, else level only) fitted to its months since it
started. The point forecast is the expectation (the base class caps it); the noise stage
adds the model's own simulated innovations (``ETSModel.simulate``). Those are not count
noise but the model's level and trend wandering, so each simulated path is a rate path and
is clipped at zero and at the group's cap. Groups with too little history (or not live
yet) fall back to the published planned ramp with Poisson noise, and are flagged.

statsmodels is imported inside the methods, so ``import wgsforecast`` stays light.
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt

from wgsforecast.engines._counts import negative_binomial_counts
from wgsforecast.engines.base import Engine, Forecast
from wgsforecast.engines.runrate import planned_ramp
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.notes import GroupNote, NoteCode

FloatArray = npt.NDArray[np.float64]


class ETSEngine(Engine):
    """Exponential smoothing (statsmodels ``ETSModel``) per group, zero before go-live.

    Parameters
    ----------
    min_months
        Months of history a group needs for an ETS fit; shorter groups use the planned
        ramp of the published method (flagged, ``PriorFallbackWarning``).
    trend_months
        Months of history from which a damped additive trend is fitted.

    Examples
    --------
    >>> from wgsforecast.simulate import simulate_programme
    >>> sim = simulate_programme(seed=3, n_groups=3)
    >>> prognosis = ETSEngine().fit(sim.actuals, sim.groups, sim.assumptions).forecast(50, 1)
    >>> bool((prognosis.ge >= 0).all())
    True
    """

    name = "ets"

    def __init__(self, min_months: int = 6, trend_months: int = 12) -> None:
        if min_months < 3:
            raise ValueError(f"min_months must be at least 3 for an ETS fit; got {min_months}")
        self.min_months = min_months
        self.trend_months = trend_months

    def _fit(self) -> None:
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        history, groups = self.history_, self.groups_
        horizon = self.assumptions_.horizon_months
        # The planned ramp is the fallback for groups the data cannot speak for yet.
        planned = planned_ramp(history, groups, self.assumptions_)
        self.point_ = planned.ge[0].astype(np.float64)
        self.results_: dict[int, object] = {}
        notes: dict[str, tuple[GroupNote, ...]] = dict(planned.group_notes)
        for index, group in enumerate(groups):
            begin = int(history.started[index])
            months = 0 if begin < 0 else history.ge.shape[1] - begin
            if months < self.min_months:
                notes[group.key] = (
                    GroupNote(NoteCode.PLANNED_RAMP, months=months, needed=self.min_months),
                )
                warning = PriorFallbackWarning(
                    f"group {group.key!r} has {months} months of history; ETS needs "
                    f"{self.min_months}, so it follows the published planned ramp"
                )
                warning.group, warning.note = group.key, notes[group.key][0]
                warnings.warn(warning, stacklevel=3)
                continue
            series = history.ge[index, begin:]
            trend = "add" if months >= self.trend_months else None
            model = ETSModel(series, error="add", trend=trend, damped_trend=trend is not None)
            with warnings.catch_warnings():
                # Short count series often end the optimiser at a bound; the fit is still
                # the best available and its quality shows in the backtests.
                warnings.simplefilter("ignore")
                result = model.fit(disp=False)
            self.results_[index] = result
            self.point_[index] = np.asarray(result.forecast(horizon), dtype=np.float64)
            notes.pop(group.key, None)
        self.notes_ = notes

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        expected = np.broadcast_to(
            np.maximum(self.point_, 0.0).astype(np.float32), (n_paths, *self.point_.shape)
        ).copy()
        return Forecast(ge=expected, group_notes=dict(self.notes_))

    def _noise(
        self, expected: npt.NDArray[np.floating], rng: np.random.Generator, progress: bool | None
    ) -> npt.NDArray[np.floating]:
        n_paths, n_groups, horizon = expected.shape
        # Fallback groups get Poisson counts around the planned ramp; ETS groups get the
        # model's innovations around the (possibly adjusted) expectation instead.
        out = negative_binomial_counts(expected, np.full(n_groups, np.inf), rng, progress)
        caps = self.caps_per_month()
        for index in range(n_groups):
            seed = int(rng.integers(2**32))
            result = self.results_.get(index)
            if result is None:
                continue
            simulated = np.asarray(
                result.simulate(  # type: ignore[attr-defined]
                    nsimulations=horizon,
                    repetitions=n_paths,
                    anchor="end",
                    rng=np.random.default_rng(seed),
                ),
                dtype=np.float64,
            ).reshape(horizon, n_paths)
            innovations = simulated.T - self.point_[index][None, :]
            # A level or trend that wanders is a rate, and the cap bounds rates.
            out[:, index, :] = np.clip(expected[:, index, :] + innovations, 0.0, caps[index])
        return out
