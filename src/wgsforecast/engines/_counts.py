"""Negative-binomial count noise that is a monotone function of the expected value.

Scenarios compare runs that share their random numbers (common random numbers): the same
seed with a lower expected value in some cell must never give a higher count there. Plain
``rng.negative_binomial(size, p)`` cannot promise that, because how many random numbers it
consumes depends on the mean. Here every cell gets one standard normal ``z``, drawn up front
in a shape that does not depend on the means, and the count is the negative-binomial
quantile at probability ``Phi(z)``:

* exact (a search of the CDF) where the mean is below :data:`SWITCH_RATE`;
* a Cornish-Fisher expansion of the negative binomial's quantile where it is larger, which
  costs a few float32 operations per cell (see :func:`negative_binomial_quantile`).

Both are non-decreasing in the mean for fixed ``z``, and the switch between them is made
monotone by never going below the exact quantile at the switch point. A zero mean gives
exactly zero.

A group whose size is below :data:`MIN_DIRECT_SIZE` (strong overdispersion, a skewed
count) keeps the two-stage draw: a Gamma(size) multiplier of the mean, drawn per cell, and
then the Poisson quantile of the mixed rate (the negative binomial is that Gamma-Poisson
mixture). The expansion is accurate only while the count's skewness is small.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SWITCH_RATE = 10.0
"""Means at or above this use the Cornish-Fisher expansion, below it the exact search.

At 10 the expansion is within about 0.002 of the exact distribution in total variation
(Poisson and every negative binomial with a size of at least :data:`MIN_DIRECT_SIZE`;
0.001 at 20); raising the switch point would make the costly exact search cover more
cells."""

MIN_DIRECT_SIZE = 50.0
"""Sizes from here up draw the negative binomial directly from one normal per cell.

Why it is accurate enough: the expansion's error grows with the count's skewness, which
for a large mean tends to ``2 / sqrt(size)``: 0.28 at 50, that of a Poisson count with a
mean of 12. Measured against the exact negative binomial (total variation distance of the
count's distribution, integrated over a fine grid of ``z``; ``tests/test_adoption.py``):
at most 0.0024 for sizes 50, 100, 200 and Poisson at means 10, 15, 20, 50, 200 and 2,000
(0.0017-0.0021 at the switch, 0.0002-0.0009 at 50 to 200), against 0.002 for the Poisson
expansion this engine used before. Drawn counts (1 million per case) have the exact
quantiles at 1, 10, 50, 90 and 99% for mean/size 12/50, 30/400, 150/400 and Poisson 25
(1,500/400: one count off at 99%) and the negative-binomial variance to within 0.6%.
Smaller sizes keep the exact Gamma-Poisson mixture; the fitted sizes of the bundled groups
are 346 to 1,839."""

Z_LIMIT = 5.0
"""Normal variates are clipped below at -5 sd (a 3e-7 tail) before the Cornish-Fisher step:
beyond about ``-2 sqrt(mean)`` the expansion stops increasing in the mean. Above, every term
rises with the mean, so no clip is needed (the tests check the expansion up to ``z = 8``)."""

BLOCK_PATHS = 256
"""Paths whose normals are drawn at once (the counts are then worked out in chunks of
:data:`CHUNK_CELLS`). Fixed, so that the paths of the first whole blocks do not depend on how
many paths were asked for."""

_STEPS_BETWEEN_COMPACTION = 6

CELLS_PER_SECOND = 15e6
"""Rough throughput, for deciding whether a run is long enough to deserve a progress bar."""

PROGRESS_AFTER_SECONDS = 2.0


def show_progress(progress: bool | None, n_cells: int) -> bool:
    """Whether to show a progress bar: forced, never, or (``None``) on runs over ~2 s."""
    if progress is not None:
        return progress
    return n_cells / CELLS_PER_SECOND > PROGRESS_AFTER_SECONDS


def _blocks(n_paths: int, enabled: bool, description: str) -> Iterator[tuple[int, int]]:
    starts: Iterable[int] = range(0, n_paths, BLOCK_PATHS)
    if enabled:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc=description, unit="block", leave=False)
    for start in starts:
        yield start, min(start + BLOCK_PATHS, n_paths)


@lru_cache(maxsize=64)
def _switch_table(rate: float, inverse_size: float = 0.0) -> npt.NDArray[np.float32]:
    """``z`` thresholds of the NB(``rate``, 1 / ``inverse_size``) quantiles (Poisson at 0):
    count = #thresholds below z."""
    normal = NormalDist()
    thresholds = []
    ratio = rate * inverse_size
    pmf = math.exp(-rate * _log1p_ratio(ratio))
    cdf = pmf
    x = 0
    # Rounding can leave the running sum a hair below 1 for good; the pmf tells the end.
    while cdf < 1.0 - 1e-15 and (x <= rate or pmf > 1e-17):
        thresholds.append(normal.inv_cdf(min(cdf, 1.0 - 1e-16)))
        pmf *= (rate + ratio * x) / (1 + ratio) / (x + 1)
        x += 1
        cdf += pmf
    return np.asarray(thresholds, dtype=np.float32)


def _log1p_ratio(ratio: float) -> float:
    """log(1 + r) / r, 1 at r = 0."""
    return math.log1p(ratio) / ratio if ratio > 0 else 1.0


def negative_binomial_quantile(
    mean: npt.NDArray[np.floating],
    inverse_size: float,
    z: npt.NDArray[np.floating],
) -> npt.NDArray[np.float32]:
    """The negative-binomial quantile at probability ``Phi(z)``, cell by cell.

    Parameters
    ----------
    mean
        Non-negative means.
    inverse_size
        ``1 / size`` of the negative binomial (``variance = mean + mean^2 x inverse_size``);
        0 gives the Poisson quantile.
    z
        Standard normal variates of the same shape as ``mean``.

    Returns
    -------
    numpy.ndarray
        float32 counts. For fixed ``z`` the count never decreases as the mean grows, and a
        zero mean gives zero.

    Notes
    -----
    Means below :data:`SWITCH_RATE` use an exact search of the CDF. Larger means use the
    Cornish-Fisher expansion with continuity correction, to the second order: with
    ``r = mean x inverse_size`` and ``s = sqrt(mean (1 + r))`` (the sd),
    ``q = mean + s z + (1 + 2r)(z^2 - 1)/6
    + ((1 + 6r + 6r^2)(z^3 - 3z)/24 - (1 + 2r)^2 (2z^3 - 5z)/36) / s``
    (the negative binomial's skewness is ``(1 + 2r) / s``, its excess kurtosis
    ``(1 + 6r + 6r^2) / s^2``), rounded to the nearest count, with ``z`` clipped to
    :data:`Z_LIMIT`; at ``r = 0`` it is the Poisson expansion. It is increasing in the mean
    there (checked on a fine grid in the tests for sizes from :data:`MIN_DIRECT_SIZE` up),
    and its result is floored at the exact quantile at the switch point, so the two pieces
    join without a step down.
    """
    # The forecasts' own block kernel, on one group's cells: the tests of this function
    # test the code that draws the paths.
    rate = np.asarray(mean, dtype=np.float32)
    cells = rate.reshape(1, 1, -1)
    z32 = np.asarray(z, dtype=np.float32).reshape(cells.shape)
    counts = np.empty(cells.shape, dtype=np.float32)
    _block_counts(cells, np.array([inverse_size]), z32, counts, Scratch())
    return counts.reshape(rate.shape)


def _large_mean_quantile(
    rate: npt.NDArray[np.float32],
    inverse: FloatArray,
    z: npt.NDArray[np.float32],
    out: npt.NDArray[np.float32],
    scratch: Scratch,
) -> None:
    """The expansion ``[path, group, month]`` into ``out``, all groups at once
    (``inverse[group]``: 1 / size), means below the switch rate taken at it (the exact
    search replaces those) and not yet floored (:func:`_floor_band`)."""
    step = scratch.paths_per_chunk(rate.shape)
    for lo in range(0, rate.shape[0], step):
        part = rate[lo : lo + step]
        work = scratch.arrays(part.shape)
        chunk = slice(lo, lo + step)
        _cornish_fisher(part, inverse[:, None], z[chunk], work, out[chunk], SWITCH_RATE)


def _floor_band(
    counts: npt.NDArray[np.float32],
    cells: npt.NDArray[np.intp],
    group_of_cell: npt.NDArray[np.intp],
    inverse: FloatArray,
    z: npt.NDArray[np.float32],
) -> None:
    """Raise the expansion's ``counts`` (flat) in the floor band's ``cells`` to the exact
    quantile at the switch rate, group by group."""
    for group in np.flatnonzero(np.bincount(group_of_cell, minlength=len(inverse))).tolist():
        own = cells[group_of_cell == group]
        table = _switch_table(SWITCH_RATE, float(inverse[group]))
        floor = np.searchsorted(table, z[own], side="left").astype(np.float32)
        counts[own] = np.maximum(counts[own], floor)


_BAND_STEPS = 64


@lru_cache(maxsize=64)
def _floor_band_end(inverse_size: float) -> float:
    """The mean from which the expansion is at or above the exact quantile at the switch
    rate for every ``z``, so that only means below it need the floor.

    The exact quantile steps up just past each of its thresholds and the expansion rises
    with ``z`` and with the mean, so it is enough to check it just past every threshold; the
    first of ``SWITCH_RATE x (1 + j / 64)`` that passes is used. Twice the switch rate
    always passes (a test checks it), and is the answer if nothing smaller does.
    """
    table = _switch_table(SWITCH_RATE, inverse_size)
    past = np.nextafter(table, np.float32(np.inf))
    needed = np.arange(1, table.size + 1, dtype=np.float32)
    for step in range(_BAND_STEPS):
        mean = SWITCH_RATE * (1 + step / _BAND_STEPS)
        counts = _cornish_fisher(np.full(table.size, mean, dtype=np.float32), inverse_size, past)
        if np.all(counts >= needed):
            return mean
    return 2 * SWITCH_RATE


def poisson_quantile(
    rate: npt.NDArray[np.floating], z: npt.NDArray[np.floating]
) -> npt.NDArray[np.float32]:
    """The Poisson(``rate``) quantile at probability ``Phi(z)`` (see
    :func:`negative_binomial_quantile`, of which it is the case ``inverse_size = 0``)."""
    return negative_binomial_quantile(rate, 0.0, z)


_WORK_ARRAYS = 8
"""Float64 work arrays the expansion needs (:func:`_cornish_fisher`)."""

CHUNK_CELLS = 16_384
"""Cells the expansion works on at a time: its work arrays (128 KiB each) then stay in the
CPU's cache, and the chunks are still large enough for numpy's per-call cost not to
matter."""


class Scratch:
    """Float64 work arrays for the expansion, reused from chunk to chunk.

    A fresh temporary for every operation costs more than the arithmetic on it (its pages
    are faulted in anew: about 7 ns per float64 on the benchmark machine, against 0.3 ns
    for an addition into an existing array in cache), so the expansion writes into these.
    """

    def __init__(self, cells: int = CHUNK_CELLS) -> None:
        self._flat = np.empty((_WORK_ARRAYS, cells))

    def paths_per_chunk(self, shape: tuple[int, int, int]) -> int:
        """Paths of a ``[path, group, month]`` block that fit the work arrays (at least 1)."""
        return max(1, self._flat.shape[1] // (shape[1] * shape[2]))

    def arrays(self, shape: tuple[int, ...]) -> list[FloatArray]:
        """The work arrays, viewed in ``shape``; grown first if ``shape`` has more cells."""
        cells = math.prod(shape)
        if cells > self._flat.shape[1]:
            self._flat = np.empty((_WORK_ARRAYS, cells))
        return [row[:cells].reshape(shape) for row in self._flat]


def _cornish_fisher(
    rate: npt.NDArray[np.float32],
    inverse_size: float | FloatArray,
    z: npt.NDArray[np.float32],
    work: list[FloatArray] | None = None,
    out: npt.NDArray[np.float32] | None = None,
    lowest_mean: float = 0.0,
) -> npt.NDArray[np.float32]:
    """The expansion of :func:`negative_binomial_quantile` on every cell, means raised to
    ``lowest_mean`` first (``inverse_size``: a number, or an array that broadcasts against
    ``rate``, e.g. one per group; ``work``: :data:`_WORK_ARRAYS` float64 arrays shaped like
    ``rate``, to write the terms into; ``out``: where the counts go)."""
    if work is None:
        work = [np.empty(rate.shape) for _ in range(_WORK_ARRAYS)]
    mean, clipped, square, cubic, seven, ratio, grown, root = work
    # In float64: in float32 the terms' rounding lets the sum fall by a count when the mean
    # rises by one float32 step (near means of 1e3-1e5), breaking "a lower mean never gives
    # a higher count". Only the whole counts go back to float32 (exact up to 2**24).
    # With a = r (1 + r), the two third-order terms of the expansion are one,
    # (a (z^3 - 7z)/36 + (z - z^3)/72) / s, so q = mean + s z + (1 + 2r)(z^2 - 1)/6 + that
    # (r = 0: the Poisson's), and the count is ceil(q - 0.5). The z-only parts come first.
    np.maximum(rate, np.float32(lowest_mean), out=mean)
    np.maximum(z, np.float32(-Z_LIMIT), out=clipped)
    np.multiply(clipped, clipped, out=square)
    np.multiply(square, clipped, out=cubic)
    square -= 1.0
    square *= 1 / 6  # (z^2 - 1)/6
    np.multiply(clipped, 7.0, out=seven)
    np.subtract(cubic, seven, out=seven)
    seven *= 1 / 36  # (z^3 - 7z)/36
    np.subtract(clipped, cubic, out=cubic)
    cubic *= 1 / 72  # (z - z^3)/72
    np.multiply(mean, inverse_size, out=ratio)
    np.add(ratio, 1.0, out=grown)
    np.multiply(mean, grown, out=root)
    np.sqrt(root, out=root)  # s, the sd
    grown *= ratio  # a
    grown *= seven
    grown += cubic
    grown /= root  # the third-order term
    ratio *= 2.0
    ratio += 1.0
    ratio *= square  # the second-order term
    root *= clipped
    root += mean
    root += ratio
    root += grown
    root -= 0.5  # continuity
    np.ceil(root, out=root)
    np.maximum(root, 0.0, out=root)
    if out is None:
        return root.astype(np.float32)
    np.copyto(out, root, casting="same_kind")
    return out


def _small_mean_quantile(
    rate: npt.NDArray[np.float64],
    inverse_size: npt.NDArray[np.float64],
    z: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """The exact quantile of 0 <= rate < switch rate, by a search of the CDF."""
    from scipy.special import ndtr

    # Probabilities this close to 1 cannot be told apart from 1 by the running CDF sum.
    u = np.minimum(ndtr(z.astype(np.float64)), 1.0 - 1e-12)
    # pmf(x + 1) = pmf(x) (a + b x) / (x + 1), a = mean / (1 + r), b = r / (1 + r), and
    # pmf(0) = (1 + r)^(-size): the negative binomial; the Poisson at r = 0 (b = 0, a = mean).
    ratio = rate * inverse_size
    nb = bool(ratio.any())
    if nb:
        shrink = 1.0 / (1.0 + ratio)
        growth, numerator = ratio * shrink, rate * shrink
        poisson = inverse_size <= 0
        log_pmf = np.log1p(ratio)
        log_pmf /= np.where(poisson, 1.0, inverse_size)
        np.copyto(log_pmf, rate, where=poisson)
        pmf = np.exp(np.negative(log_pmf, out=log_pmf))
    else:
        growth, numerator, pmf = ratio, rate.copy(), np.exp(-rate)
    cdf = pmf.copy()
    counts = np.zeros(rate.shape, dtype=np.float32)
    active = np.arange(rate.size)
    done = np.zeros(rate.size, dtype=np.float32)  # steps with u above the CDF so far
    x = 0
    # Steps run on whole arrays; every few steps the finished cells are dropped, which is
    # cheaper in numpy than gathering the unfinished cells at every step (and gathers by
    # index are cheaper than by mask).
    while active.size:
        below = np.empty(active.size, dtype=bool)
        for _ in range(_STEPS_BETWEEN_COMPACTION):
            np.greater(u, cdf, out=below)
            done += below
            x += 1
            pmf *= numerator
            pmf *= 1.0 / x
            if nb:
                numerator += growth
            cdf += pmf
        counts[active] = done
        keep = np.flatnonzero(np.greater(u, cdf, out=below))
        active, u, pmf, cdf = active[keep], u[keep], pmf[keep], cdf[keep]
        numerator, growth, done = numerator[keep], growth[keep], done[keep]
    return counts


def negative_binomial_counts(
    mean: npt.NDArray[np.floating],
    size: npt.NDArray[np.floating],
    rng: np.random.Generator,
    progress: bool | None = None,
) -> npt.NDArray[np.float32]:
    """Draw negative-binomial counts ``[path, group, month]`` with the given means.

    Parameters
    ----------
    mean
        Expected counts, shape ``[path, group, month]``; negative values count as zero.
    size
        Negative-binomial size per group (``variance = mean + mean^2 / size``); ``inf``
        gives Poisson counts.
    rng
        The noise stream. The random numbers drawn depend only on the shape of ``mean``
        and on ``size``, never on the means themselves.
    progress
        Show a progress bar (``None``: only on runs expected to take over ~2 s).

    Returns
    -------
    numpy.ndarray
        float32 counts of the same shape: never negative, zero where the mean is zero,
        and never higher in a cell whose mean is lowered while the seed stays the same.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> counts = negative_binomial_counts(np.full((2, 1, 3), 10.0), np.array([50.0]), rng)
    >>> counts.shape, bool((counts >= 0).all())
    ((2, 1, 3), True)
    """
    n_paths, n_groups, n_months = mean.shape
    sizes = np.broadcast_to(np.asarray(size, dtype=np.float64), (n_groups,))
    if np.any(sizes <= 0) or np.any(np.isnan(sizes)):
        raise ValueError(f"negative-binomial sizes must be positive; got {sizes.tolist()}")
    direct = sizes >= MIN_DIRECT_SIZE
    # Groups below the direct size get a Gamma multiplier and then Poisson counts.
    inverse = np.where(direct, 1.0 / sizes, 0.0)
    out = np.empty(mean.shape, dtype=np.float32)
    cells = min(n_paths, BLOCK_PATHS) * n_groups * n_months
    scratch = Scratch()
    rates, normals = np.empty(cells, dtype=np.float32), np.empty(cells, dtype=np.float32)
    enabled = show_progress(progress, mean.size)
    for lo, hi in _blocks(n_paths, enabled, "count noise"):
        block = (hi - lo, n_groups, n_months)
        rate = rates[: math.prod(block)].reshape(block)
        np.maximum(mean[lo:hi], np.float32(0.0), out=rate, dtype=np.float32)
        for group in np.flatnonzero(~direct):
            k = sizes[group]
            draws = rng.standard_gamma(k, size=(hi - lo, n_months), dtype=np.float32)
            draws *= np.float32(1 / k)
            rate[:, group, :] *= draws
        z = normals[: rate.size].reshape(block)
        rng.standard_normal(dtype=np.float32, out=z)
        _block_counts(rate, inverse, z, out[lo:hi], scratch)
    return out


def _block_counts(
    rate: npt.NDArray[np.float32],
    inverse: FloatArray,
    z: npt.NDArray[np.float32],
    counts: npt.NDArray[np.float32],
    scratch: Scratch,
) -> None:
    """Counts of one block ``[path, group, month]`` into ``counts``: the expansion for all
    groups at once (each with its own size), then the exact search for the small means."""
    _large_mean_quantile(rate, inverse, z, counts, scratch)
    # What the expansion alone does not settle: the cells below the top of the floor band
    # (zero means, the exact search's small means, and the band), found in one pass.
    band_ends = np.array([_floor_band_end(one) for one in inverse.tolist()])
    low = np.flatnonzero(rate < np.float32(band_ends.max()))
    if not low.size:
        return
    means = rate.ravel()[low]
    group_of_cell = low // rate.shape[2] % rate.shape[1]
    flat_counts, flat_z = counts.ravel(), z.ravel()
    band = (means >= SWITCH_RATE) & (means < band_ends[group_of_cell].astype(np.float32))
    _floor_band(flat_counts, low[band], group_of_cell[band], inverse, flat_z)
    flat_counts[low[means <= 0]] = 0.0
    small = (means > 0) & (means < SWITCH_RATE)
    if small.any():
        flat_counts[low[small]] = _small_mean_quantile(
            means[small].astype(np.float64), inverse[group_of_cell[small]], flat_z[low[small]]
        )
