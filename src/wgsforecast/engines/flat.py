"""The naive baseline ("flat"): each group's last-three-months mean, forever.

This is what an analyst with a spreadsheet and no assumptions would do: no ramps, no
go-lives, no onboarding. A group with no data stays at zero. The only thing it shares with
the other engines is the hard cap, which the base class applies to every engine.

The engine is deterministic (one path) on purpose. Poisson noise around a flat level would
give intervals that only reflect counting noise (a few percent of a cumulative total) and so
look calibrated-but-narrow without any modelling of the real uncertainty; a baseline should
not pretend to know its uncertainty. With one path its CRPS equals its absolute error, which
is the fair way to compare a point forecast with a probabilistic one, and its interval
coverage is reported as missing (see :func:`wgsforecast.scoring.covered`).
"""

from __future__ import annotations

import numpy as np

from wgsforecast.engines.base import Engine, Forecast
from wgsforecast.notes import GroupNote, NoteCode
from wgsforecast.prognosis import run_rate_levels


class FlatEngine(Engine):
    """Flat run rate: the mean of each group's last complete months, held constant.

    The window is ``assumptions.run_rate_window`` (three months in item 112/23).

    Examples
    --------
    >>> import wgsforecast as wf
    >>> data = wf.load_bundled()
    >>> prognosis = FlatEngine().fit(data.actuals, data.groups, data.assumptions).forecast()
    >>> prognosis.n_paths
    1
    """

    name = "flat"
    stochastic = False

    def _fit(self) -> None:
        history = self.history_
        self.level_ = run_rate_levels(
            history.ge, history.started, self.assumptions_.run_rate_window
        )

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        horizon = self.assumptions_.horizon_months
        levels = np.repeat(self.level_[None, :, None], horizon, axis=2)
        notes: dict[str, tuple[GroupNote, ...]] = {
            g.key: (GroupNote(NoteCode.NO_DATA),)
            for g, started in zip(self.groups_, self.history_.started, strict=True)
            if started < 0
        }
        return Forecast(ge=levels, group_notes=notes)
