"""What every engine shares: history from actuals, the hard cap, and the result object.

An engine only has to turn the fitted history into future monthly GE shaped
``[path, group, horizon]`` (:meth:`Engine._simulate`); this base class validates inputs,
clips the expectation at the caps before the count noise (flagging what it clipped) and wraps
everything in a :class:`Prognosis` (:func:`assemble`).
"""

from __future__ import annotations

import copy
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast._checks import check_actuals_frame, not_live_rows
from wgsforecast._suggest import did_you_mean
from wgsforecast.exceptions import NotFittedError, WgsForecastError
from wgsforecast.models import Assumptions, GroupRegistry
from wgsforecast.notes import GroupNote
from wgsforecast.periods import month_range
from wgsforecast.prognosis import Prognosis


@dataclass(frozen=True)
class History:
    """Actual monthly GE as a dense matrix.

    Attributes
    ----------
    ge
        Shape ``[group, month]``; zero where a group had no samples (not live yet).
    months
        The months of the columns, from the first month with data to the as-of month.
    started
        Per group, the position of its first live month (-1 if none): its first row in the
        actuals, except that months of 0 before its go-live month (or, with no go-live
        month known, before its first GE) are not live yet
        (:func:`wgsforecast._checks.not_live_rows`).
    """

    ge: npt.NDArray[np.float64]
    months: pd.PeriodIndex
    started: npt.NDArray[np.int64]

    @property
    def as_of(self) -> pd.Period:
        """The last month of the history."""
        month: pd.Period = self.months[-1]
        return month


def history_from_actuals(actuals: pd.DataFrame, groups: GroupRegistry, as_of: pd.Period) -> History:
    """Build the dense history matrix from a validated long frame, up to ``as_of``.

    Rows after ``as_of`` are left out on purpose: a backtest fits on what was known then.
    Leading months of 0 before a group's go-live are zeros of the matrix, but the group
    starts after them (see :class:`History`).
    """
    known = actuals[actuals["month"] <= as_of]
    if known.empty:
        raise WgsForecastError(
            f"no actuals at or before the as-of month {as_of}; choose a later as-of month"
        )
    unknown = sorted(set(known["group"]) - set(groups.keys))
    if unknown:
        raise WgsForecastError(groups.unknown_name_message(unknown[0]))
    last = known["month"].max()
    if last < as_of:
        # Months without rows would become zeros and pull every run rate down silently.
        raise WgsForecastError(
            f"the actuals end in {last} but the as-of month is {as_of}; choose as-of {last} "
            f"or add the months up to {as_of} (with ge 0 where nothing was done)"
        )
    first = known["month"].min()
    months = month_range(first, as_of)
    ge = np.zeros((len(groups), len(months)))
    row = pd.Index(groups.keys).get_indexer(pd.Index(known["group"]))
    column = np.asarray([(m - first).n for m in known["month"]], dtype=np.int64)
    ge[row, column] = known["ge"].to_numpy(dtype=np.float64)
    started = np.full(len(groups), -1, dtype=np.int64)
    waiting = not_live_rows(
        list(known["group"]), list(known["month"]), known["ge"].to_numpy(), groups
    )
    for index, position, not_live in zip(row, column, waiting, strict=True):
        if not_live:
            continue
        if started[index] < 0 or position < started[index]:
            started[index] = position
    return History(ge=ge, months=months, started=started)


MeanAdjustment = Callable[[npt.NDArray[np.floating]], npt.NDArray[np.floating]]
"""Changes expected monthly GE ``[path, group, horizon]`` before noise (see scenarios)."""


@dataclass
class Forecast:
    """What an engine's kernel returns: future GE, per-group notes, a national ceiling.

    ``national_ceiling`` (per path, genomes a month) bounds the national total of every
    projected month, of the capped expectation before the count noise and of the counts
    after it: where a month's genomes (GE x each group's genomes per GE) exceed it, every
    group is scaled down by the same factor. ``drivers``
    are per-path draws of uncertain inputs (see :meth:`Prognosis.what_moves_the_date`).
    ``capped`` marks where the expectation was clipped at the cap before the noise
    (:func:`cap_expected`); ``None`` means the values have not been capped yet.
    """

    ge: npt.NDArray[np.floating]
    group_notes: dict[str, tuple[GroupNote, ...]] = field(default_factory=dict)
    national_ceiling: npt.NDArray[np.float64] | None = None
    drivers: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    capped: npt.NDArray[np.bool_] | None = None


def apply_national_ceiling(
    future: npt.NDArray[np.floating],
    genomes_per_ge: npt.NDArray[np.float64],
    ceiling: npt.NDArray[np.float64],
) -> None:
    """Scale every group down, in place, in the months whose genomes exceed the ceiling.

    ``future`` is ``[path, group, month]`` GE, ``ceiling`` genomes a month per path. The
    same factor for every group keeps the groups' mix: capacity is shared, not queued.
    """
    genomes = np.einsum("pgh,g->ph", future, genomes_per_ge.astype(future.dtype))
    limit = ceiling[:, None].astype(future.dtype)
    over = genomes > limit
    if over.any():
        # A hair under 1 so float32 rounding never leaves a month just above the ceiling.
        factor = np.where(over, limit / np.maximum(genomes, 1e-30) * (1 - 1e-6), 1.0)
        future *= factor[:, None, :].astype(future.dtype)


def caps_per_month(groups: GroupRegistry) -> npt.NDArray[np.float64]:
    """Each group's cap (cap share x declared / 12), in registry order."""
    return np.array([g.cap_per_month for g in groups])


def genomes_per_ge(groups: GroupRegistry) -> npt.NDArray[np.float64]:
    """Each group's genomes per GE (an assumption; see ``models.GENOMES_PER_GE``)."""
    return groups.genomes_per_ge().to_numpy()


def cap_expected(ge: npt.NDArray[np.floating], groups: GroupRegistry) -> npt.NDArray[np.bool_]:
    """Clip expected monthly GE ``[path, group, month]``, in place, at each group's cap;
    return where it was above the cap.

    The cap is NGC's assumption that no group's volume exceeds 75% of its declared volume:
    it bounds the rate a group runs at, not the count of each month, so engines cap the
    expectation and add the count noise after it. Clipping the noisy counts instead made
    the cap bind on the high months only, which pulled every group running near its cap
    below its own level, and left no path able to hold a year whose months scatter around
    the cap, as a real group's do. Nothing is clipped at zero here: each engine's noise
    floors its months at zero (a negative expectation gives zero counts), and
    :func:`assemble` floors them again.
    """
    caps = caps_per_month(groups)[None, :, None].astype(ge.dtype)
    above: npt.NDArray[np.bool_] = ge > caps
    np.minimum(ge, caps, out=ge)
    return above


def assemble(
    result: Forecast,
    history: History,
    groups: GroupRegistry,
    assumptions: Assumptions,
    engine: str,
    seed: int | None,
    data_notes: tuple[str, ...] = (),
) -> Prognosis:
    """Turn projected monthly GE into a :class:`Prognosis`: cap, flag, add the history.

    Every engine's forecast ends here, and so do forecasts made outside the engines (the
    benchmark comparators). An engine has capped its expectation before the count noise
    (``result.capped`` set); values not capped yet (a comparator's samples) are capped here.

    Parameters
    ----------
    result
        Projected GE ``[path, group, horizon]`` (count noise included) with its notes,
        national ceiling and drivers. The prognosis gets ``result.ge`` clipped to between 0
        and each group's cap (at 0 only when ``result.capped`` says it was capped already),
        then scaled to the national ceiling if there is one (``result.ge`` itself is left
        as it is).
    history
        The actuals the forecast started from (:func:`history_from_actuals`).
    groups
        The patient groups, in the order of the arrays.
    assumptions
        The assumptions of the forecast (as-of month and horizon place the months).
    engine
        The name shown in outputs.
    seed
        The seed of the random draws (``None`` for a deterministic forecast).
    data_notes
        Notes on the data (e.g. ``("reconstructed",)``), usually ``actuals.attrs["notes"]``.

    Returns
    -------
    Prognosis
        Paths ``[path, group, month]`` from the first month of history to the horizon;
        ``capped`` marks the projected months whose expectation (or value) was above the
        cap before clipping.
    """
    future = result.ge
    n_paths, n_groups, horizon = future.shape
    n_past = history.ge.shape[1]
    # Written straight into the prognosis's arrays, without a projected-only copy first.
    ge = np.empty((n_paths, n_groups, n_past + horizon), dtype=future.dtype)
    capped = np.zeros(ge.shape, dtype=np.bool_)
    ge[:, :, :n_past] = history.ge
    projected = ge[:, :, n_past:]
    np.maximum(future, 0, out=projected)
    capped[:, :, n_past:] = (
        result.capped if result.capped is not None else cap_expected(projected, groups)
    )
    if result.national_ceiling is not None:
        apply_national_ceiling(projected, genomes_per_ge(groups), result.national_ceiling)
    return Prognosis(
        ge=ge,
        capped=capped,
        months=month_range(history.months[0], assumptions.horizon_end),
        groups=groups,
        assumptions=assumptions,
        engine=engine,
        seed=seed,
        group_notes=result.group_notes,
        data_notes=data_notes,
        started=history.started,
        national_ceiling=result.national_ceiling,
        drivers=result.drivers,
    )


class Engine(ABC):
    """Base class of all engines: configure, ``fit`` (returns self), then ``forecast``.

    Subclasses set :attr:`name` and implement :meth:`_fit` and :meth:`_simulate`.
    """

    name: ClassVar[str]
    stochastic: ClassVar[bool] = True

    history_: History
    known_: pd.DataFrame
    data_notes_: tuple[str, ...]
    groups_: GroupRegistry
    assumptions_: Assumptions

    def fit(self, actuals: pd.DataFrame, groups: GroupRegistry, assumptions: Assumptions) -> Self:
        """Learn from the actuals known at ``assumptions.as_of``.

        Parameters
        ----------
        actuals
            Long frame (``group``, ``month``, ``ge``) as returned by
            :func:`wgsforecast.read_actuals`; months after the as-of month are ignored.
        groups
            The patient groups.
        assumptions
            As-of month, run-rate window, horizon and programme.

        Returns
        -------
        Engine
            ``self``, fitted.

        Raises
        ------
        InputError
            If the frame breaks a rule the file readers enforce (missing columns, months
            that are not monthly Periods, NaN, negative or fractional counts, unknown
            groups, a group-month twice, a skipped month), naming the rows and the fix.
        """
        check_actuals_frame(actuals, groups, assumptions.as_of)
        # What was known at the as-of month, as a frame: engines that refit on it (the
        # ensemble's backtests) must never see later months.
        self.known_ = actuals[actuals["month"] <= assumptions.as_of]
        self.history_ = history_from_actuals(actuals, groups, assumptions.as_of)
        self.data_notes_ = tuple(actuals.attrs.get("notes", ()))
        self.groups_ = groups
        self.assumptions_ = assumptions
        self._fit()
        return self

    def forecast(
        self,
        n_paths: int | None = None,
        seed: int | None = None,
        progress: bool | None = None,
        adjust: MeanAdjustment | None = None,
    ) -> Prognosis:
        """Project every group to the horizon and return the :class:`Prognosis`.

        Parameters
        ----------
        n_paths
            Number of sample paths (ignored by deterministic engines; default 1,000).
        seed
            Seed for the random draws; the same seed gives identical output.
        progress
            Show a progress bar; ``None`` shows one only on long runs.
        adjust
            A function applied to the expected monthly GE ``[path, group, horizon]`` before
            the cap and count noise (scenarios use it); it must return an array of the same
            shape.

        Returns
        -------
        Prognosis
            Paths ``[path, group, month]`` with history included. The expected GE is capped
            at each group's cap before the count noise (:func:`cap_expected`), so a noisy
            month may lie above the cap; a deterministic engine's months never do.

        Notes
        -----
        The random stream is split in two independent streams: one for parameter draws and
        one for count noise. Runs with the same seed therefore share their random numbers
        even when an adjustment changes the expected values (common random numbers).
        """
        self._check_fitted()
        paths = 1 if not self.stochastic else (1000 if n_paths is None else n_paths)
        if paths < 1:
            raise ValueError(f"n_paths must be at least 1; got {paths}")
        parameter_rng, noise_rng = (
            np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(2)
        )
        expected = self._expected(paths, parameter_rng, progress)
        shape = (paths, len(self.groups_), self.assumptions_.horizon_months)
        if expected.ge.shape != shape:
            raise AssertionError(f"{self.name} returned {expected.ge.shape}, expected {shape}")
        if adjust is not None:
            expected.ge = adjust(expected.ge)
            if expected.ge.shape != shape:
                raise ValueError(
                    f"adjust must return an array shaped {shape} [path, group, horizon]; "
                    f"it returned {expected.ge.shape}"
                )
        if not expected.ge.flags.writeable:  # an adjustment may return a read-only view
            expected.ge = expected.ge.copy()
        expected.capped = cap_expected(expected.ge, self.groups_)
        if expected.national_ceiling is not None:
            # On the capped expectation, so no path's excess over its group caps takes up
            # national capacity; assemble holds the noisy months to the ceiling again.
            apply_national_ceiling(expected.ge, self.genomes_per_ge(), expected.national_ceiling)
        expected.ge = self._noise(expected.ge, noise_rng, progress)
        return assemble(
            expected,
            self.history_,
            self.groups_,
            self.assumptions_,
            engine=self.name,
            seed=seed if self.stochastic else None,
            data_notes=self.data_notes_,
        )

    def genomes_per_ge(self) -> npt.NDArray[np.float64]:
        """Each group's genomes per GE (an assumption; see ``models.GENOMES_PER_GE``)."""
        return genomes_per_ge(self.groups_)

    def caps_per_month(self) -> npt.NDArray[np.float64]:
        """Each group's cap (cap share x declared / 12), in registry order."""
        return caps_per_month(self.groups_)

    def clone(self) -> Self:
        """A new, unfitted engine with the same settings.

        Settings are the attributes without a trailing underscore (what ``__init__``
        stored); fitted state (``history_``, ``point_`` ...) is left behind. Settings are
        copied deeply, so fitting the clone never changes this engine.

        Examples
        --------
        >>> from wgsforecast.engines import ETSEngine
        >>> engine = ETSEngine(min_months=4)
        >>> twin = engine.clone()
        >>> twin is engine, twin.min_months
        (False, 4)
        """
        new = copy.copy(self)
        new.__dict__ = {
            key: copy.deepcopy(value)
            for key, value in self.__dict__.items()
            if not key.endswith("_")
        }
        return new

    def settings(self) -> dict[str, Any]:
        """The engine's settings: each ``__init__`` parameter with its current value.

        Engines store every ``__init__`` parameter as an attribute of the same name (fitted
        state ends in ``_``), so the settings can be read back and changed
        (:meth:`with_settings`).

        Raises
        ------
        TypeError
            If the engine keeps a parameter under another name.
        """
        names = [
            name
            for name, parameter in inspect.signature(type(self).__init__).parameters.items()
            if name != "self"
            and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        ]
        missing = [name for name in names if not hasattr(self, name)]
        if missing:
            raise TypeError(
                f"{type(self).__qualname__} does not keep its setting {missing[0]!r} as an "
                "attribute of that name; store each __init__ parameter under its own name"
            )
        return {name: getattr(self, name) for name in names}

    def with_settings(self, **changes: Any) -> Self:
        """A new, unfitted engine of this class with some settings changed.

        The settings go through ``__init__`` again, so they are checked as when the engine
        was made.

        Parameters
        ----------
        **changes
            New values by setting name (see :meth:`settings`).

        Raises
        ------
        ValueError
            If a name is not a setting of this engine (with the nearest one, if any).

        Examples
        --------
        >>> from wgsforecast.engines import ETSEngine
        >>> ETSEngine(min_months=4).with_settings(trend_months=18).settings()
        {'min_months': 4, 'trend_months': 18}
        """
        current = self.settings()
        unknown = [name for name in changes if name not in current]
        if unknown:
            raise ValueError(self.unknown_setting_message(unknown[0]))
        return type(self)(**(current | changes))

    def unknown_setting_message(self, name: str) -> str:
        """Why ``name`` is not a setting of this engine, and what the settings are."""
        known = list(self.settings())
        if not known:
            return f"{name!r} is not a setting: the {self.name} engine has no settings"
        return (
            f"{name!r} is not a setting of the {self.name} engine{did_you_mean(name, known)} "
            f"(its settings: {', '.join(known)})"
        )

    def with_assumptions(self, assumptions: Assumptions) -> Self:
        """This fitted engine, forecasting under other programme settings without a refit.

        Only what does not change the fit may differ: the programme (target, deadline,
        capacity, table periods) and the label. Scenarios use it to run several programmes
        on one fit.

        Parameters
        ----------
        assumptions
            The new assumptions; as-of month, run-rate window and horizon as fitted.

        Returns
        -------
        Engine
            ``self`` when nothing differs, else a shallow copy sharing the fitted state.

        Raises
        ------
        NotFittedError
            If the engine is not fitted.
        ValueError
            If the as-of month, run-rate window or horizon differ (they need a refit).
        """
        self._check_fitted()
        fitted = self.assumptions_
        if assumptions == fitted:
            return self
        refit = [
            f"{name} {getattr(fitted, name)} -> {getattr(assumptions, name)}"
            for name in ("as_of", "run_rate_window", "horizon_months")
            if getattr(assumptions, name) != getattr(fitted, name)
        ]
        if refit:
            raise ValueError(
                f"the {self.name} engine was fitted with other settings ({'; '.join(refit)}); "
                "fit it again with the new assumptions"
            )
        other = copy.copy(self)
        other.assumptions_ = assumptions
        return other

    def future_months(self) -> pd.PeriodIndex:
        """The projected months, after the as-of month to the horizon."""
        return month_range(self.assumptions_.as_of + 1, self.assumptions_.horizon_end)

    def _check_fitted(self) -> None:
        if not hasattr(self, "history_"):
            raise NotFittedError(
                f"the {self.name} engine is not fitted; call .fit(actuals, groups, assumptions) "
                "first"
            )

    @abstractmethod
    def _fit(self) -> None:
        """Learn parameters from ``self.history_`` (may do nothing)."""

    @abstractmethod
    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        """Return expected future GE ``[path, group, horizon]`` (parameter draws included).

        A deterministic engine returns one path. Uncapped values are fine: the base class
        clips them at the caps before the noise (:func:`cap_expected`).
        """

    def _noise(
        self, expected: npt.NDArray[np.floating], rng: np.random.Generator, progress: bool | None
    ) -> npt.NDArray[np.floating]:
        """Turn expected GE into counts; deterministic engines keep the expectation."""
        return expected
