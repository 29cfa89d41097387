"""The ramp shapes and the small data types shared by the adoption engine's pieces."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Floats = TypeVar("Floats", npt.NDArray[np.float64], npt.NDArray[np.float32])
"""Either float array; the sigmoids keep the precision they are given."""


@dataclass(frozen=True)
class Prior:
    """Independent normal priors on the four group parameters."""

    mean: FloatArray
    sd: FloatArray


@dataclass(frozen=True)
class Series:
    """One group's observations: counts, months since start, month of year, log scale.

    ``log_cap`` is the log of the plateau's scale, ``target share x declared / 12`` (the
    cap when the planned target share is the cap share, as in the bundled registry).
    """

    y: FloatArray
    t: FloatArray
    month_of_year: npt.NDArray[np.int64]
    log_cap: float


def log_sigmoid(x: Floats) -> Floats:
    """log(1 / (1 + exp(-x))), without overflow."""
    from scipy.special import log_expit

    # The same values as -logaddexp(0, -x) (float64 and float32), in half the time: the
    # fit evaluates it on every draw and month.
    result: Floats = log_expit(x)
    return result


def sigmoid(x: Floats) -> Floats:
    """1 / (1 + exp(-x)), without overflow."""
    result: Floats = np.exp(log_sigmoid(x))
    return result


FORMS = ("logistic", "gompertz")
"""The ramp shapes each group is fitted with; paths mix them by their posterior weight."""

# exp(-z) is capped here: far before a Gompertz midpoint the ramp is ~0 anyway, and the cap
# keeps exp from overflowing for a narrow ramp with a distant midpoint.
_GOMPERTZ_EXPONENT_LIMIT = 60.0
_LN2 = math.log(2.0)


def log_ramp(z: FloatArray, form: str) -> tuple[FloatArray, FloatArray]:
    """Log share of the plateau reached at standardised time ``z``, and its z-derivative.

    ``logistic`` is symmetric around its midpoint (``z = 0``, half the plateau);
    ``gompertz`` is also at half the plateau at ``z = 0`` but rises fast and approaches the
    plateau slowly, the shape of a programme whose last referrers join late. A logistic
    fitted to the first half of such a ramp sees the fast start and puts the plateau too
    low, so each group is fitted with both (see :func:`wgsforecast.engines.adoption.fit_forms`).
    """
    if form == "gompertz":
        # One exp for both the share and its derivative.
        decay = _gompertz_decay(z)
        result: FloatArray = -_LN2 * decay
        return result, _LN2 * decay
    # Logistic (log_ramp_share rejects any other form).
    return log_ramp_share(z, form), sigmoid(-z)


def log_ramp_share(z: FloatArray, form: str) -> FloatArray:
    """The first half of :func:`log_ramp` (the log share), without the derivative."""
    if form == "logistic":
        return log_sigmoid(z)
    if form == "gompertz":
        result: FloatArray = -_LN2 * _gompertz_decay(z)
        return result
    raise ValueError(f"ramp form must be one of {FORMS}; got {form!r}")


def _gompertz_decay(z: FloatArray) -> FloatArray:
    result: FloatArray = np.exp(np.minimum(-z, _GOMPERTZ_EXPONENT_LIMIT))
    return result


def ramp_share_by_row(
    z: npt.NDArray[np.float32], gompertz: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float32]:
    """The share of the plateau reached at ``z[row, month]``, each row in its own form
    (``gompertz[row]``, else logistic); no derivative. ``z`` is overwritten with the shares
    and returned.

    The simulation's hot path: the same curves as :func:`log_ramp`, in float32, all rows at
    once and in place (a fresh array per operation would cost more than the arithmetic).
    Both forms are built from one ``exp(-z)``, capped as in :func:`log_ramp` (so far before
    its midpoint a logistic ramp is at 1e-26 of its plateau, not less: zero counts either
    way).
    """
    decay = np.negative(z, out=z)
    np.minimum(decay, np.float32(_GOMPERTZ_EXPONENT_LIMIT), out=decay)
    np.exp(decay, out=decay)
    rows = np.flatnonzero(gompertz)
    gompertz_share = decay[rows]
    gompertz_share *= np.float32(-_LN2)
    np.exp(gompertz_share, out=gompertz_share)
    share = np.add(decay, np.float32(1.0), out=decay)
    np.reciprocal(share, out=share)
    share[rows] = gompertz_share
    return share
