"""All groups' posterior modes at once: a batched, damped Newton method in numpy.

The adoption engine's empirical-Bayes fit solves one small (4-parameter) problem per group
and ramp form, ten times over. Solved one by one with scipy, the Python overhead of each
call dominated the engine's run time; here every group of one form is one row of a padded
``[group, month]`` panel, and each Newton step is a handful of array operations for all of
them together. The objective is the negative-binomial log likelihood plus the normal prior.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wgsforecast.engines._ramps import Prior, Series, log_ramp, log_sigmoid, sigmoid

FloatArray = npt.NDArray[np.float64]

_MAX_STEPS = 60
_MAX_HALVINGS = 30
_STEP_LIMIT = 2.0  # no parameter moves by more than this in one step (logits, months, logs)
_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Panel:
    """Groups' series padded to one ``[group, month]`` grid (``mask``: a real month)."""

    y: FloatArray
    t: FloatArray
    month_of_year: npt.NDArray[np.int64]
    mask: npt.NDArray[np.bool_]
    log_cap: FloatArray

    @classmethod
    def of(cls, series: Sequence[Series]) -> Panel:
        """Pad the groups' series to the longest one."""
        width = max(one.y.size for one in series)
        shape = (len(series), width)
        y, t = np.zeros(shape), np.zeros(shape)
        month_of_year = np.zeros(shape, dtype=np.int64)
        mask = np.zeros(shape, dtype=bool)
        for row, one in enumerate(series):
            n = one.y.size
            y[row, :n], t[row, :n] = one.y, one.t
            month_of_year[row, :n], mask[row, :n] = one.month_of_year, True
        return cls(y, t, month_of_year, mask, np.array([one.log_cap for one in series]))


def objective(
    phi: FloatArray,
    panel: Panel,
    season: FloatArray,
    prior: Prior,
    form: str,
) -> tuple[FloatArray, FloatArray]:
    """Negative log posterior ``[group]`` and its gradient ``[group, 4]``."""
    from scipy.special import digamma, gammaln

    share_logit, midpoint = phi[:, 0:1], phi[:, 1:2]
    width, log_size = np.exp(phi[:, 2:3]), phi[:, 3:4]
    size = np.exp(log_size)
    y, mask = panel.y, panel.mask
    z = (panel.t + 0.5 - midpoint) / width
    ramp, slope = log_ramp(z, form)
    eta = panel.log_cap[:, None] + log_sigmoid(share_logit) + ramp + season[panel.month_of_year]
    log_total = np.logaddexp(log_size, eta)
    mean_share = np.exp(eta - log_total)
    d_eta = np.where(mask, y - (y + size) * mean_share, 0.0)
    d_size = digamma(y + size) - digamma(size) + (log_size - log_total) + mean_share
    d_size -= y * np.exp(-log_total)
    gradient = np.stack(
        [
            d_eta.sum(axis=1) * sigmoid(-share_logit[:, 0]),
            -(d_eta * slope).sum(axis=1) / width[:, 0],
            -(d_eta * slope * z).sum(axis=1),
            size[:, 0] * np.where(mask, d_size, 0.0).sum(axis=1),
        ],
        axis=1,
    )
    standardised = (phi - prior.mean) / prior.sd
    loglik = gammaln(y + size) - gammaln(size) + size * (log_size - log_total)
    loglik += y * (eta - log_total)
    value = -np.where(mask, loglik, 0.0).sum(axis=1) + 0.5 * (standardised**2).sum(axis=1)
    result: tuple[FloatArray, FloatArray] = (value, -gradient + standardised / prior.sd)
    return result


def hessian(
    phi: FloatArray, panel: Panel, season: FloatArray, prior: Prior, form: str
) -> FloatArray:
    """``[group, 4, 4]`` Hessians of the negative log posterior, analytic.

    With ``eta`` the log mean and ``k`` the size, each month's log likelihood depends on the
    parameters through ``eta`` (share logit, midpoint, log width) and ``log k``; the chain
    rule gives ``d2 l = l_eta_eta (d eta)(d eta)' + l_eta d2 eta`` for the first three and
    the mixed and ``log k`` terms directly (checked against differences of the gradient in
    the tests).
    """
    from scipy.special import digamma, zeta

    share_logit, midpoint = phi[:, 0:1], phi[:, 1:2]
    width, log_size = np.exp(phi[:, 2:3]), phi[:, 3:4]
    size = np.exp(log_size)
    y, mask = panel.y, panel.mask
    z = (panel.t + 0.5 - midpoint) / width
    ramp, slope = log_ramp(z, form)
    # The ramp's second derivative in z: logistic -sigmoid(z) sigmoid(-z), Gompertz -slope.
    curve = -slope * (1 - slope) if form == "logistic" else -slope
    eta = panel.log_cap[:, None] + log_sigmoid(share_logit) + ramp + season[panel.month_of_year]
    mean = np.exp(eta)
    total = size + mean
    share = mean / total
    d_eta = np.where(mask, y - (y + size) * share, 0.0)
    d2_eta = np.where(mask, -(y + size) * share * size / total, 0.0)
    cross = np.where(mask, size * mean * (y - mean) / total**2, 0.0)
    d_size = digamma(y + size) - digamma(size) + np.log(size / total) + (mean - y) / total
    # Trigamma is zeta(2, x); scipy's polygamma computes it so, with Python overhead on top.
    d2_size = zeta(2, y + size) - zeta(2, size) + 1 / size - 1 / total
    d2_size -= (mean - y) / total**2
    d2_log_size = size * d_size + size**2 * d2_size
    # First and second derivatives of eta in (share logit, midpoint, log width).
    lift = sigmoid(-share_logit)
    first = np.stack(
        [np.broadcast_to(lift, z.shape), -slope / width, -slope * z], axis=-1
    )  # [group, month, 3]
    second = np.zeros((*z.shape, 3, 3))
    second[..., 0, 0] = -lift * (1 - lift)
    second[..., 1, 1] = curve / width**2
    second[..., 1, 2] = second[..., 2, 1] = (curve * z + slope) / width
    second[..., 2, 2] = curve * z * z + slope * z
    result = np.zeros((len(phi), 4, 4))
    result[:, :3, :3] = -np.einsum("gt,gti,gtj->gij", d2_eta, first, first)
    result[:, :3, :3] -= np.einsum("gt,gtij->gij", d_eta, second)
    result[:, :3, 3] = result[:, 3, :3] = -np.einsum("gt,gti->gi", cross, first)
    result[:, 3, 3] = -np.where(mask, d2_log_size, 0.0).sum(axis=1)
    result += np.diag(1.0 / prior.sd**2)
    return result


def positive_definite(matrices: FloatArray, floor: float) -> FloatArray:
    """Eigenvalues replaced by their absolute value, at least ``floor``.

    At a bound or in a flat valley the Hessian can lose definiteness; the
    prior's curvature (``floor``) is a safe lower bound on each direction's precision.
    """
    values, vectors = np.linalg.eigh(matrices)
    values = np.maximum(np.abs(values), floor)
    result: FloatArray = np.einsum("gij,gj,gkj->gik", vectors, values, vectors)
    return result


def modes(
    panel: Panel,
    season: FloatArray,
    prior: Prior,
    form: str,
    start: FloatArray,
    bounds: tuple[FloatArray, FloatArray],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Posterior modes, Laplace covariances and negative log posteriors of every group.

    A damped Newton method on all groups at once: each step solves with the (made positive
    definite) Hessian, is capped at ``_STEP_LIMIT`` per parameter and halved until the
    objective does not rise, group by group.

    Returns
    -------
    tuple
        Modes ``[group, 4]`` (clipped to ``bounds``), covariances ``[group, 4, 4]`` (the
        inverse Hessian at the mode) and the objective at the mode ``[group]``.
    """
    lower, upper = bounds
    floor = 1.0 / float(prior.sd.max()) ** 2
    phi = np.clip(start, lower, upper)
    value, gradient = objective(phi, panel, season, prior, form)
    for _ in range(_MAX_STEPS):
        curvature = positive_definite(hessian(phi, panel, season, prior, form), floor)
        step = np.linalg.solve(curvature, gradient[:, :, None])[:, :, 0]
        largest = np.abs(step).max(axis=1, keepdims=True)
        step *= np.minimum(1.0, _STEP_LIMIT / np.maximum(largest, 1e-300))
        largest = np.minimum(largest, _STEP_LIMIT)
        scale = np.ones(len(phi))
        trial = np.clip(phi - step, lower, upper)
        new_value, new_gradient = objective(trial, panel, season, prior, form)
        for _ in range(_MAX_HALVINGS):
            worse = ~(new_value <= value + 1e-12)
            # A group whose step is already below the tolerance is at its mode to within
            # rounding: halving it further would only cost objective evaluations.
            worse &= scale * largest[:, 0] >= _TOLERANCE
            if not worse.any():
                break
            scale = np.where(worse, scale / 2, scale)
            trial = np.clip(phi - scale[:, None] * step, lower, upper)
            new_value, new_gradient = objective(trial, panel, season, prior, form)
        accepted = new_value <= value + 1e-12
        moved = np.where(accepted[:, None], trial - phi, 0.0)
        phi = np.where(accepted[:, None], trial, phi)
        value = np.where(accepted, new_value, value)
        gradient = np.where(accepted[:, None], new_gradient, gradient)
        if np.abs(moved).max() < _TOLERANCE:
            break
    curvature = positive_definite(hessian(phi, panel, season, prior, form), floor)
    covariance: FloatArray = np.asarray(np.linalg.inv(curvature), dtype=np.float64)
    return phi, covariance, value


def log_evidence(value: FloatArray, covariance: FloatArray) -> FloatArray:
    """Laplace evidence up to a constant shared by the forms: posterior at the mode x volume."""
    result: FloatArray = -value + 0.5 * np.linalg.slogdet(covariance)[1]
    return result
