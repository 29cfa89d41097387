"""The published method of item 112/23 ("runrate"), deterministic.

Each live group starts from the mean of its last complete months (three in the published
prognosis) and moves in a straight line toward its expected level (``ramp.target_share x
declared / 12``) over ``ramp.months`` months. A group not live yet is zero until its go-live
month and ramps from zero. The base class then clips every month at the group's cap.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.engines.base import Engine, Forecast, History
from wgsforecast.models import Assumptions, GroupRegistry
from wgsforecast.notes import GroupNote, NoteCode
from wgsforecast.prognosis import run_rate_levels


def linear_ramps(
    start_level: npt.NDArray[np.float64],
    target_level: npt.NDArray[np.float64],
    ramp_offset: npt.NDArray[np.int64],
    ramp_months: npt.NDArray[np.int64],
    horizon: int,
) -> npt.NDArray[np.float64]:
    """Straight-line ramps, one group per row, over ``horizon`` future months.

    Month ``h`` (1-based after the as-of month) is ``start_level`` until the ramp begins at
    ``ramp_offset``, then moves ``1 / ramp_months`` of the way to ``target_level`` each month.
    """
    steps = np.arange(1, horizon + 1)[None, :] - ramp_offset[:, None] + 1
    progress = np.clip(steps / np.maximum(ramp_months, 1)[:, None], 0.0, 1.0)
    progress[(ramp_months == 0)[:, None] & (steps >= 1)] = 1.0
    return start_level[:, None] + (target_level - start_level)[:, None] * progress


def run_rate_start(history: History, window: int) -> npt.NDArray[np.float64]:
    """Each group's run rate at the as-of month: the mean of its last ``window`` months.

    Zero for a group that is not live yet.
    """
    live = history.started >= 0
    return np.where(live, run_rate_levels(history.ge, history.started, window), 0.0)


def planned_ramp(history: History, groups: GroupRegistry, assumptions: Assumptions) -> Forecast:
    """The published method's expected monthly GE: run rate, planned ramps and go-lives.

    The kernel of :class:`RunRateEngine`, also the fallback of engines for groups whose
    data cannot speak for them yet (e.g. :class:`~wgsforecast.engines.ETSEngine`).

    Parameters
    ----------
    history
        The actuals up to the as-of month (:func:`~wgsforecast.engines.history_from_actuals`).
    groups
        The patient groups, with their ramps and go-live months.
    assumptions
        As-of month, run-rate window and horizon.

    Returns
    -------
    Forecast
        Expected GE ``[1, group, horizon]``, not yet capped, and notes on the groups that
        are not live (when they start, or that they stay at 0).
    """
    horizon = assumptions.horizon_months
    not_live = history.started < 0
    start_level = run_rate_start(history, assumptions.run_rate_window)
    target_level = np.array([g.ramp.target_share * g.declared_per_year / 12 for g in groups])
    ramp_months = np.array([g.ramp.months for g in groups], dtype=np.int64)
    offsets, notes = _ramp_offsets(groups, ~not_live, assumptions.as_of)
    levels = linear_ramps(start_level, target_level, offsets, ramp_months, horizon)
    # A group that is not live stays at zero until its ramp (from zero) begins.
    steps = np.arange(1, horizon + 1)[None, :]
    levels[not_live[:, None] & (steps < offsets[:, None])] = 0.0
    levels[(offsets > horizon) & not_live] = 0.0
    return Forecast(ge=levels[None, :, :], group_notes=notes)


class RunRateEngine(Engine):
    """The published method: run rate, planned ramps, go-lives and the 75% cap.

    Examples
    --------
    >>> import wgsforecast as wf
    >>> data = wf.load_bundled()
    >>> prognosis = RunRateEngine().fit(data.actuals, data.groups, data.assumptions).forecast()
    >>> str(prognosis.target_month())
    '2025-06'
    """

    name = "runrate"
    stochastic = False

    def _fit(self) -> None:
        self.start_level_ = run_rate_start(self.history_, self.assumptions_.run_rate_window)
        # Computed once: the ramps read only the as-of month, window and horizon, which
        # with_assumptions refuses to change without a refit.
        self.planned_ = planned_ramp(self.history_, self.groups_, self.assumptions_)

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        # A copy: the assembly clips the expected GE in place.
        return Forecast(self.planned_.ge.copy(), dict(self.planned_.group_notes))


def _ramp_offsets(
    groups: GroupRegistry, live: npt.NDArray[np.bool_], as_of: pd.Period
) -> tuple[npt.NDArray[np.int64], dict[str, tuple[GroupNote, ...]]]:
    """Months after the as-of month at which each group's ramp begins (1 = next month)."""
    offsets = np.ones(len(groups), dtype=np.int64)
    notes: dict[str, tuple[GroupNote, ...]] = {}
    for index, group in enumerate(groups):
        begin = group.ramp.start
        offset = max(begin.ordinal - as_of.ordinal, 1) if begin is not None else 1
        if not live[index]:
            first = group.first_month_after(as_of)
            if first is None:
                notes[group.key] = (GroupNote(NoteCode.NO_GO_LIVE),)
                offsets[index] = np.iinfo(np.int64).max // 2
                continue
            start = first if begin is None else max(begin, first)
            offset = start.ordinal - as_of.ordinal
            if group.go_live_passed(as_of):
                notes[group.key] = (
                    GroupNote(NoteCode.GO_LIVE_PASSED, go_live=group.go_live, start=start),
                )
            else:
                notes[group.key] = (GroupNote(NoteCode.NOT_LIVE, start=start),)
        offsets[index] = offset
    return offsets, notes
