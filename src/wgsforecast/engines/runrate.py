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

from wgsforecast.engines.base import Engine, Forecast
from wgsforecast.models import GroupRegistry
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
        history, groups = self.history_, self.groups_
        as_of = self.assumptions_.as_of
        live = history.started >= 0
        self.start_level_ = np.where(
            live,
            run_rate_levels(history.ge, history.started, self.assumptions_.run_rate_window),
            0.0,
        )
        self.target_level_ = np.array(
            [g.ramp.target_share * g.declared_per_year / 12 for g in groups]
        )
        self.ramp_months_ = np.array([g.ramp.months for g in groups], dtype=np.int64)
        offsets, notes = _ramp_offsets(groups, live, as_of_ordinal=as_of.ordinal)
        self.ramp_offset_ = offsets
        self.notes_ = notes

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        horizon = self.assumptions_.horizon_months
        never = self.ramp_offset_ > horizon
        levels = linear_ramps(
            self.start_level_, self.target_level_, self.ramp_offset_, self.ramp_months_, horizon
        )
        # A group that is not live stays at zero until its ramp (from zero) begins.
        not_live = self.history_.started < 0
        steps = np.arange(1, horizon + 1)[None, :]
        levels[not_live[:, None] & (steps < self.ramp_offset_[:, None])] = 0.0
        levels[never & not_live] = 0.0
        return Forecast(ge=levels[None, :, :].copy(), group_notes=self.notes_)


def _ramp_offsets(
    groups: GroupRegistry, live: npt.NDArray[np.bool_], as_of_ordinal: int
) -> tuple[npt.NDArray[np.int64], dict[str, tuple[GroupNote, ...]]]:
    """Months after the as-of month at which each group's ramp begins (1 = next month)."""
    offsets = np.ones(len(groups), dtype=np.int64)
    notes: dict[str, tuple[GroupNote, ...]] = {}
    for index, group in enumerate(groups):
        begin = group.ramp.start
        offset = max(begin.ordinal - as_of_ordinal, 1) if begin is not None else 1
        if not live[index]:
            if group.go_live is None:
                notes[group.key] = (GroupNote(NoteCode.NO_GO_LIVE),)
                offsets[index] = np.iinfo(np.int64).max // 2
                continue
            if begin is None or begin < group.go_live:
                begin = group.go_live
            offset = max(begin.ordinal - as_of_ordinal, 1)
            if group.go_live.ordinal <= as_of_ordinal:
                start = pd.Period(ordinal=as_of_ordinal + offset, freq="M")
                notes[group.key] = (
                    GroupNote(NoteCode.GO_LIVE_PASSED, go_live=group.go_live, start=start),
                )
            else:
                notes[group.key] = (GroupNote(NoteCode.NOT_LIVE, start=begin),)
        offsets[index] = offset
    return offsets, notes
