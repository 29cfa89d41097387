"""Proper scores for forecasts given as sample paths: CRPS, interval coverage, Brier.

Pure numpy. Every function takes the forecast as samples (one value per path) so that the
same code scores a deterministic engine (one path) and a probabilistic one (many paths).
For one path the CRPS is the absolute error, which is what makes the two comparable.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _as_samples(samples: npt.ArrayLike) -> FloatArray:
    array = np.asarray(samples, dtype=np.float64)
    if array.ndim == 0 or array.shape[0] == 0:
        raise ValueError("samples must have at least one path on their first axis")
    if np.isnan(array).any():
        raise ValueError("samples contain NaN; score only leads inside the forecast horizon")
    return array


def crps(samples: npt.ArrayLike, truth: npt.ArrayLike) -> FloatArray:
    """Continuous ranked probability score of a sample forecast (lower is better).

    Parameters
    ----------
    samples
        Forecast draws, shape ``[path]`` or ``[path, ...]``; paths on the first axis.
    truth
        The observed value(s), broadcastable to ``samples.shape[1:]``.

    Returns
    -------
    numpy.ndarray
        The CRPS per observed value (a 0-d array for scalar input), in the units of the data.

    Notes
    -----
    The empirical-distribution form ``E|X - y| - E|X - X'| / 2``; ``E|X - X'|`` is computed
    from the sorted samples in ``O(n log n)`` as ``2 / n^2 * sum_i (2i - n - 1) x_(i)``. With
    one path it is ``|x - y|``, the absolute error.

    Examples
    --------
    >>> float(crps([3.0], 5.0))
    2.0
    >>> round(float(crps([0.0, 1.0], 0.5)), 3)
    0.25
    """
    x = np.sort(_as_samples(samples), axis=0)
    y = np.asarray(truth, dtype=np.float64)
    n = x.shape[0]
    spread_weights = (2.0 * np.arange(1, n + 1) - n - 1).reshape((n,) + (1,) * (x.ndim - 1))
    mean_spread = 2.0 / n**2 * (spread_weights * x).sum(axis=0)
    error = np.abs(x - y).mean(axis=0)
    result: FloatArray = np.asarray(error - 0.5 * mean_spread)
    return result


def interval(samples: npt.ArrayLike, level: float) -> tuple[FloatArray, FloatArray]:
    """The central ``level`` interval of the samples: quantiles ``(1 -+ level) / 2``.

    Parameters
    ----------
    samples
        Forecast draws with paths on the first axis.
    level
        Coverage of the interval, in (0, 1); 0.8 gives the 10% and 90% quantiles.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper bounds, shaped like ``samples.shape[1:]``.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1); got {level}")
    x = _as_samples(samples)
    low, high = np.quantile(x, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return np.asarray(low), np.asarray(high)


def covered(samples: npt.ArrayLike, truth: npt.ArrayLike, level: float) -> FloatArray:
    """1.0 where the truth lies inside the central ``level`` interval, else 0.0.

    A one-path (deterministic) forecast has no interval; it gives NaN rather than a
    coverage of zero that would read as a badly calibrated interval.

    Examples
    --------
    >>> covered(np.arange(101.0), 50.0, 0.8).item()
    1.0
    >>> covered(np.arange(101.0), 95.0, 0.8).item()
    0.0
    """
    x = _as_samples(samples)
    y = np.asarray(truth, dtype=np.float64)
    if x.shape[0] == 1:
        return np.full(np.broadcast_shapes(x.shape[1:], y.shape), np.nan)
    low, high = interval(x, level)
    result: FloatArray = ((low <= y) & (y <= high)).astype(np.float64)
    return result


def brier(probability: npt.ArrayLike, outcome: npt.ArrayLike) -> FloatArray:
    """Brier score ``(p - o)^2`` of a probability forecast of a yes/no event.

    Parameters
    ----------
    probability
        Forecast probability of the event, in [0, 1].
    outcome
        What happened: 1 (or True) if the event occurred, else 0.

    Returns
    -------
    numpy.ndarray
        The score, between 0 (certain and right) and 1 (certain and wrong).

    Examples
    --------
    >>> round(float(brier(0.8, True)), 4)
    0.04
    """
    p = np.asarray(probability, dtype=np.float64)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"probabilities must be in [0, 1]; got {p}")
    o = np.asarray(outcome, dtype=np.float64)
    result: FloatArray = (p - o) ** 2
    return result
