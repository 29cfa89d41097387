"""The naive national baseline ("trend"): a straight line through the recent national total.

This is what an analyst does who fits a trend line to the national monthly total in a
spreadsheet and extends it: no groups, no ramps, no go-lives, no plateaus. It is the
comparator that any engine modelling the groups has to beat.

Fit
    Ordinary least squares of the national monthly GE on the month number over the last
    ``window`` months (12 by default; fewer when there is less history). With one month the
    line is flat at that month; with two it passes through both.

Uncertainty: a residual bootstrap with parameter uncertainty
    Every path refits the line to a bootstrap series (the fitted line plus residuals
    resampled with replacement, rescaled by ``sqrt(n / (n - 2))`` for the two fitted
    parameters) and extends *that* line: the spread of the bootstrapped slopes makes the
    intervals widen with the lead (linearly in the monthly GE, quadratically in the running
    total), which is the main uncertainty of an extrapolated trend. On top, each projected
    month gets its own resampled residual (the noise stage), clipped so that no month is
    below zero. Residuals are resampled independently month by month; we chose this over a
    block bootstrap because a window of 12 months gives only three or four blocks, too few to
    resample. The price is that autocorrelated deviations (a slow quarter followed by another)
    are treated as independent, so the intervals of the running total are, if anything, too
    narrow: a baseline's intervals should be read as a lower bound on its uncertainty.

Split to groups
    The national path is shared out in proportion to each group's GE over the last
    ``run_rate_window`` months of the assumptions; a group with no GE in those months
    (including groups not live yet) gets nothing. The base class then clips every group at
    its cap, and the excess is *not* moved to other groups: group caps can therefore cut the
    national trend, and the capped months are flagged as for every engine.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.engines.base import Engine, Forecast
from wgsforecast.notes import GroupNote, NoteCode

FloatArray = npt.NDArray[np.float64]


class TrendEngine(Engine):
    """Linear trend of the national monthly total, bootstrapped, split to groups by share.

    Parameters
    ----------
    window
        The number of most recent months (as-of month included) that the line is fitted
        to; all months when there are fewer.

    Examples
    --------
    >>> from wgsforecast.simulate import simulate_programme
    >>> sim = simulate_programme(seed=3, n_groups=3)
    >>> engine = TrendEngine().fit(sim.actuals, sim.groups, sim.assumptions)
    >>> prognosis = engine.forecast(n_paths=50, seed=1)
    >>> prognosis.n_paths, bool((prognosis.ge >= 0).all())
    (50, True)
    """

    name = "trend"

    def __init__(self, window: int = 12) -> None:
        if window < 1:
            raise ValueError(f"window must be at least 1 month; got {window}")
        self.window = window

    def _fit(self) -> None:
        history = self.history_
        national = history.ge.sum(axis=0)
        y = national[-self.window :]
        n = y.size
        t = np.arange(n, dtype=np.float64)
        design = np.column_stack([np.ones(n), t])
        # The pseudo-inverse gives the OLS fit for n >= 2 and the flat line through the one
        # point for n == 1 (the minimum-norm solution has slope 0 at t = 0).
        self.projector_: FloatArray = np.linalg.pinv(design)
        self.coef_: FloatArray = self.projector_ @ y
        self.fitted_: FloatArray = design @ self.coef_
        residuals = y - self.fitted_
        # OLS residuals are smaller than the errors they estimate (two parameters were
        # fitted); rescale so the bootstrap spread is not too small. With n <= 2 the line
        # fits exactly and there is nothing to resample.
        self.residuals_: FloatArray = (
            residuals * np.sqrt(n / (n - 2)) if n > 2 else np.zeros(n, dtype=np.float64)
        )
        self.months_used_ = n
        window = self.assumptions_.run_rate_window
        recent = history.ge[:, -window:].sum(axis=1)
        total = recent.sum()
        self.shares_: FloatArray = recent / total if total > 0 else np.zeros_like(recent)
        notes: dict[str, tuple[GroupNote, ...]] = {}
        for group, started, share in zip(self.groups_, history.started, self.shares_, strict=True):
            if started < 0:
                notes[group.key] = (GroupNote(NoteCode.NO_DATA),)
            elif share == 0:
                notes[group.key] = (GroupNote(NoteCode.NO_RECENT_GE, window=window),)
        self.notes_ = notes

    @property
    def slope_(self) -> float:
        """The fitted national slope, GE per month per month."""
        return float(self.coef_[1])

    def parameters(self) -> pd.DataFrame:
        """The fitted line and each group's share of it.

        Returns
        -------
        pandas.DataFrame
            One row per group: ``group``, ``share`` (of the national path, from the last
            ``run_rate_window`` months), and the national fit repeated on every row:
            ``months_used`` (months in the fit), ``intercept`` (fitted national GE in the
            first month of the window), ``slope`` (GE per month per month), ``level_as_of``
            (fitted national GE in the as-of month), ``residual_sd`` (sd of the rescaled
            residuals that are resampled) and ``notes``.
        """
        intercept, slope = (float(c) for c in self.coef_)
        level = intercept + slope * (self.months_used_ - 1)
        spread = float(np.sqrt(np.mean(self.residuals_**2)))
        return pd.DataFrame(
            {
                "group": list(self.groups_.keys),
                "share": self.shares_,
                "months_used": self.months_used_,
                "intercept": intercept,
                "slope": slope,
                "level_as_of": level,
                "residual_sd": spread,
                "notes": ["; ".join(map(str, self.notes_.get(k, ()))) for k in self.groups_.keys],
            }
        )

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        n = self.months_used_
        horizon = self.assumptions_.horizon_months
        # One bootstrap series per path: the fitted line plus resampled residuals; the
        # draws have a fixed shape, so the same seed always gives the same lines.
        picks = rng.integers(n, size=(n_paths, n))
        series = self.fitted_[None, :] + self.residuals_[picks]
        coef = series @ self.projector_.T  # [path, (intercept, slope)]
        ahead = np.arange(n, n + horizon, dtype=np.float64)
        national = coef[:, :1] + coef[:, 1:] * ahead[None, :]
        expected = self.shares_[None, :, None] * national[:, None, :]
        return Forecast(ge=expected, group_notes=dict(self.notes_))

    def _noise(
        self, expected: npt.NDArray[np.floating], rng: np.random.Generator, progress: bool | None
    ) -> npt.NDArray[np.floating]:
        """Add a resampled national residual to every projected month, split by share.

        The residual indices are drawn in a shape that does not depend on the expectation
        (common random numbers). Each group gets its share of the same national residual
        and is clipped at zero; unadjusted, that is the national month clipped at zero.
        """
        n_paths, _, horizon = expected.shape
        picks = rng.integers(self.months_used_, size=(n_paths, horizon))
        national = self.residuals_[picks]
        noisy = expected + self.shares_[None, :, None] * national[:, None, :]
        return np.maximum(noisy, 0.0)
