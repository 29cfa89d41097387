"""When a target is first reached, over draws: the one target-date view.

A :class:`~wgsforecast.prognosis.Prognosis` reads it off its sample paths (month positions)
and a :class:`~wgsforecast.national.NationalFit` off its bootstrap curves (months after its
first point); both ask it the same questions (the month at a quantile, the chance by a
month, the chance of never), so the two answer them by one rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class TargetReach:
    """Per draw, the time the target is first reached; ``inf`` where it is not.

    Parameters
    ----------
    times
        One time per draw (a path, or a bootstrap curve) on the caller's time axis (month
        positions, or months after a start); ``inf`` where the target is not reached within
        the horizon. NaN is refused: a time is known, or it is beyond the horizon.
    """

    times: FloatArray

    def __post_init__(self) -> None:
        if self.times.ndim != 1 or self.times.size == 0:
            raise ValueError(f"times must be one time per draw; got shape {self.times.shape}")
        if np.isnan(self.times).any():
            raise ValueError("times holds NaN; write inf for a target not reached")

    @classmethod
    def from_positions(cls, positions: npt.NDArray[np.int64]) -> TargetReach:
        """From month positions per path, ``-1`` where the target is not reached."""
        times = positions.astype(np.float64)
        times[positions < 0] = np.inf
        return cls(times)

    def quantile(self, q: float) -> float:
        """The time at quantile ``q`` over draws (a time some draw has; ``inf``: never).

        Draws that never reach the target count as later than any time, so a quantile
        falls on ``inf`` when more than ``1 - q`` of the draws never reach it.
        """
        return float(np.quantile(self.times, q, method="inverted_cdf"))

    def quantiles(self, quantiles: Sequence[float]) -> tuple[float, ...]:
        """:meth:`quantile` at each of ``quantiles``."""
        return tuple(self.quantile(q) for q in quantiles)

    def p_by(self, limit: float) -> float:
        """Share of draws that reach the target at or before ``limit``."""
        return float(np.mean(self.times <= limit))

    def p_never(self) -> float:
        """Share of draws that do not reach the target within the horizon."""
        return float(np.mean(np.isinf(self.times)))
