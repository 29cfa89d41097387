"""The "adoption" engine: fitted onboarding ramps toward a plateau at or below the cap.

For each group the expected monthly GE ``t`` months after it started is

    plateau x ramp(t) x season(month of year),

with ``plateau = cap x sigmoid(share_logit)`` (so the data may put it below the cap, never
above), ``ramp(t) = sigmoid((t + 0.5 - midpoint) / width)`` and month-of-year factors shared
by all groups. Counts are negative binomial with a size per group.

Each group's four parameters (share logit, midpoint, log width, log size) get a normal
prior whose mean and spread are estimated from all groups together (empirical Bayes, by
EM on the Laplace approximation), so a group live for three months borrows strength from
the others and a group not live yet takes the pooled prior. Simulation draws each path's
parameters from the Laplace posterior, then draws counts.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.engines._counts import negative_binomial_counts
from wgsforecast.engines.base import Engine, Forecast
from wgsforecast.exceptions import PriorFallbackWarning

FloatArray = npt.NDArray[np.float64]

PARAMETERS = ("share_logit", "midpoint", "log_width", "log_size")
"""The per-group parameters, in the order of the parameter vectors."""


@dataclass(frozen=True)
class Prior:
    """Independent normal priors on the four group parameters."""

    mean: FloatArray
    sd: FloatArray


DEFAULT_PRIOR = Prior(
    # A plateau at 60% of the cap, half-way up the ramp after six months, a ramp width of
    # two months and moderate overdispersion: weak starting values for the pooled prior.
    mean=np.array([math.log(0.6 / 0.4), 6.0, math.log(2.0), math.log(30.0)]),
    sd=np.array([1.5, 6.0, 0.8, 1.5]),
)
"""The hyper-prior the pooled prior starts from and is shrunk toward."""

_SD_FLOOR = np.array([0.3, 1.0, 0.2, 0.3])
# Pseudo-groups of weight for the default prior in the EM update: keeps the pooled prior
# sane when only two or three groups have data.
_HYPER_WEIGHT = 2.0
# EM stops once the pooled prior and the season effects move less than this (their units:
# logits, months, log factors), far below what would change a projection visibly.
_TOLERANCE = 0.01
_BOUNDS = (
    (-6.0, 8.0),
    (-24.0, 72.0),
    (math.log(0.25), math.log(24.0)),
    (0.0, math.log(5000.0)),
)


@dataclass(frozen=True)
class Series:
    """One group's observations: counts, months since start, month of year, log cap."""

    y: FloatArray
    t: FloatArray
    month_of_year: npt.NDArray[np.int64]
    log_cap: float


@dataclass(frozen=True)
class GroupFit:
    """Posterior mode and Laplace covariance of one group's parameters."""

    mode: FloatArray
    cov: FloatArray


def _log_sigmoid(x: FloatArray) -> FloatArray:
    result: FloatArray = -np.logaddexp(0.0, -x)
    return result


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.exp(_log_sigmoid(x))


def log_mean(phi: FloatArray, series: Series, season: FloatArray) -> FloatArray:
    """Log expected counts of a series under parameters ``phi`` and log season effects."""
    share_logit, midpoint, log_width = phi[0], phi[1], phi[2]
    z = (series.t + 0.5 - midpoint) / math.exp(log_width)
    return (
        series.log_cap
        + _log_sigmoid(np.asarray(share_logit))
        + _log_sigmoid(z)
        + season[series.month_of_year]
    )


def neg_log_posterior(
    phi: FloatArray, series: Series, season: FloatArray, prior: Prior
) -> tuple[float, FloatArray]:
    """Negative log posterior of one group's parameters and its gradient.

    The negative-binomial log likelihood is written in terms of ``eta = log mean`` and
    ``log size`` so it stays finite for means far below one (early in a delayed ramp).
    """
    from scipy.special import digamma, gammaln

    share_logit, midpoint, log_width, log_size = phi
    y = series.y
    width = math.exp(log_width)
    size = math.exp(log_size)
    z = (series.t + 0.5 - midpoint) / width
    eta = log_mean(phi, series, season)
    log_total = np.logaddexp(log_size, eta)  # log(size + mean)
    mean_share = np.exp(eta - log_total)  # mean / (size + mean)
    loglik = (
        gammaln(y + size) - gammaln(size) + size * (log_size - log_total) + y * (eta - log_total)
    )
    d_eta = y - (y + size) * mean_share
    not_ramped = _sigmoid(-z)
    gradient = np.array(
        [
            d_eta.sum() * float(_sigmoid(np.asarray(-share_logit))),
            -(d_eta * not_ramped).sum() / width,
            -(d_eta * not_ramped * z).sum(),
            size
            * (
                digamma(y + size)
                - digamma(size)
                + (log_size - log_total)
                + mean_share
                - y * np.exp(-log_total)
            ).sum(),
        ]
    )
    standardised = (phi - prior.mean) / prior.sd
    value = -float(loglik.sum()) + 0.5 * float(standardised @ standardised)
    return value, -gradient + standardised / prior.sd


def fit_group(series: Series, season: FloatArray, prior: Prior, start: FloatArray) -> GroupFit:
    """Posterior mode (BFGS from ``start``) and Laplace covariance of one group."""
    from scipy.optimize import minimize

    lower, upper = np.array(_BOUNDS).T
    # BFGS runs in numpy: L-BFGS-B's Fortran core calls the threaded BLAS on 4-vectors,
    # which is 20x slower when other processes share the cores. The prior keeps the
    # problem proper, so the bounds are only a final guard.
    result = minimize(
        neg_log_posterior,
        np.clip(start, lower, upper),
        args=(series, season, prior),
        jac=True,
        method="BFGS",
    )
    mode = np.clip(np.asarray(result.x, dtype=np.float64), lower, upper)
    return GroupFit(mode=mode, cov=_laplace_covariance(mode, series, season, prior))


def _laplace_covariance(
    mode: FloatArray, series: Series, season: FloatArray, prior: Prior
) -> FloatArray:
    """Inverse Hessian at the mode, by central differences of the analytic gradient."""
    step = 1e-4
    hessian = np.empty((4, 4))
    for j in range(4):
        shift = np.zeros(4)
        shift[j] = step
        plus = neg_log_posterior(mode + shift, series, season, prior)[1]
        minus = neg_log_posterior(mode - shift, series, season, prior)[1]
        hessian[j] = (plus - minus) / (2 * step)
    hessian = (hessian + hessian.T) / 2
    # At a bound (or in a flat valley) the numerical Hessian can lose definiteness; the
    # prior's curvature is a safe lower bound on each direction's precision.
    values, vectors = np.linalg.eigh(hessian)
    values = np.maximum(values, 1.0 / prior.sd.max() ** 2)
    cov: FloatArray = (vectors / values) @ vectors.T
    return cov


def _update_season(
    series: list[Series], fits: list[GroupFit], season: FloatArray, sd: float
) -> tuple[FloatArray, FloatArray]:
    """One Newton step on the shared log month-of-year effects, then re-centring.

    The effects are centred on their median, so a plateau means the level of an ordinary
    month and the dips (July, December) show as factors below one.
    """
    gradient = np.zeros(12)
    information = np.zeros(12)
    for one, fit in zip(series, fits, strict=True):
        mean = np.exp(log_mean(fit.mode, one, season))
        size = math.exp(fit.mode[3])
        np.add.at(gradient, one.month_of_year, one.y - (one.y + size) * mean / (size + mean))
        np.add.at(information, one.month_of_year, size * mean / (size + mean))
    precision = information + 1.0 / sd**2
    updated = season + (gradient - season / sd**2) / precision
    updated -= np.median(updated)
    se: FloatArray = 1.0 / np.sqrt(precision)
    return updated, se


def _update_prior(fits: list[GroupFit]) -> Prior:
    """EM update of the pooled prior from the groups' posteriors, shrunk to the default."""
    modes = np.array([f.mode for f in fits])
    variances = np.array([np.diag(f.cov) for f in fits])
    weight = _HYPER_WEIGHT + len(fits)
    mean = (_HYPER_WEIGHT * DEFAULT_PRIOR.mean + modes.sum(axis=0)) / weight
    spread = ((modes - mean) ** 2 + variances).sum(axis=0)
    variance = (_HYPER_WEIGHT * DEFAULT_PRIOR.sd**2 + spread) / weight
    return Prior(mean=mean, sd=np.maximum(np.sqrt(variance), _SD_FLOOR))


def fit_programme(
    series: list[Series], iterations: int = 10, season_sd: float = 0.2
) -> tuple[list[GroupFit], Prior, FloatArray, FloatArray]:
    """Fit every group with partial pooling and the shared month-of-year effects.

    Parameters
    ----------
    series
        The groups with data.
    iterations
        Most EM rounds (each refits every group, warm-started); stops early once the
        pooled prior and season effects settle.
    season_sd
        Prior standard deviation of the log month-of-year effects.

    Returns
    -------
    tuple
        Per-group fits, the pooled prior, the log month-of-year effects (index 0 =
        January) and their standard errors.
    """
    prior = DEFAULT_PRIOR
    season = np.zeros(12)
    se = np.full(12, season_sd)
    starts = [prior.mean.copy() for _ in series]
    fits: list[GroupFit] = []
    for _ in range(max(iterations, 1)):
        fits = [
            fit_group(one, season, prior, start) for one, start in zip(series, starts, strict=True)
        ]
        starts = [f.mode for f in fits]
        if not fits:
            break
        previous = np.concatenate([prior.mean, prior.sd, season])
        season, se = _update_season(series, fits, season, season_sd)
        prior = _update_prior(fits)
        change = np.abs(np.concatenate([prior.mean, prior.sd, season]) - previous).max()
        if change < _TOLERANCE:
            break
    return fits, prior, season, se


class AdoptionEngine(Engine):
    """Fitted onboarding ramps with partial pooling, Monte Carlo paths and NB counts.

    Parameters
    ----------
    min_months
        Months of history a group needs before its ramp counts as its own fit; groups
        with fewer lean on the pooled prior and are flagged (``PriorFallbackWarning``).
    iterations
        EM rounds of the empirical-Bayes fit.
    season_sd
        Prior standard deviation of the log month-of-year effects.

    Examples
    --------
    >>> from wgsforecast.simulate import simulate_programme
    >>> sim = simulate_programme(seed=3, n_groups=4)
    >>> engine = AdoptionEngine().fit(sim.actuals, sim.groups, sim.assumptions)
    >>> prognosis = engine.forecast(n_paths=200, seed=1)
    >>> prognosis.ge.shape[0]
    200
    """

    name = "adoption"

    def __init__(self, min_months: int = 6, iterations: int = 10, season_sd: float = 0.2) -> None:
        if min_months < 1:
            raise ValueError(f"min_months must be at least 1; got {min_months}")
        self.min_months = min_months
        self.iterations = iterations
        self.season_sd = season_sd

    def _fit(self) -> None:
        history, groups, as_of = self.history_, self.groups_, self.assumptions_.as_of
        month_of_year = np.asarray(history.months.month, dtype=np.int64) - 1
        series: list[Series] = []
        fitted: list[int] = []
        origins: list[pd.Period | None] = []
        notes: dict[str, tuple[str, ...]] = {}
        for index, group in enumerate(groups):
            begin = int(history.started[index])
            if begin >= 0:
                origins.append(history.months[begin])
                fitted.append(index)
                series.append(
                    Series(
                        y=history.ge[index, begin:],
                        t=np.arange(history.ge.shape[1] - begin, dtype=np.float64),
                        month_of_year=month_of_year[begin:],
                        log_cap=math.log(group.cap_per_month),
                    )
                )
            elif group.go_live is None:
                origins.append(None)
                notes[group.key] = ("no data and no go-live month: projected at 0",)
            else:
                origin = max(group.go_live, as_of + 1)
                origins.append(origin)
                late = (
                    f"; go-live {group.go_live} passed without data"
                    if origin != group.go_live
                    else ""
                )
                notes[group.key] = (
                    f"fell back to prior: not live yet (starts {origin}{late}); "
                    f"0 months of history ({self.min_months} needed)",
                )
                self._warn(group.key, 0)
        fits, prior, season, se = fit_programme(series, self.iterations, self.season_sd)
        n_groups = len(groups)
        self.mode_ = np.tile(prior.mean, (n_groups, 1))
        self.cov_ = np.tile(np.diag(prior.sd**2), (n_groups, 1, 1))
        months = np.zeros(n_groups, dtype=np.int64)
        for index, one, fit in zip(fitted, series, fits, strict=True):
            self.mode_[index], self.cov_[index] = fit.mode, fit.cov
            months[index] = one.y.size
            if one.y.size < self.min_months:
                notes[groups.keys[index]] = (
                    f"fell back to prior: {one.y.size} months of history "
                    f"({self.min_months} needed)",
                )
                self._warn(groups.keys[index], int(one.y.size))
        self.prior_ = prior
        self.season_ = season
        self.season_se_ = se
        self.origins_ = origins
        self.months_of_history_ = months
        self.notes_ = notes

    def _warn(self, key: str, months: int) -> None:
        warnings.warn(
            f"group {key!r} has {months} months of history; its own ramp fit needs "
            f"{self.min_months}, so it uses the pooled prior of the other groups "
            "(flagged in the prognosis' group notes)",
            PriorFallbackWarning,
            stacklevel=4,
        )

    @property
    def size_(self) -> FloatArray:
        """Negative-binomial size per group (posterior mode, or the pooled prior mean)."""
        sizes: FloatArray = np.exp(self.mode_[:, 3])
        return sizes

    def parameters(self) -> pd.DataFrame:
        """The fitted parameters per group, on the scale people read.

        Returns
        -------
        pandas.DataFrame
            ``group``, ``origin`` (month the ramp counts from), ``months_of_history``,
            ``plateau_share`` (of the declared volume), ``plateau_per_month``,
            ``midpoint`` and ``width`` (months since start), ``dispersion`` (NB size),
            ``plateau_sd`` (posterior sd of the plateau per month, delta method) and
            ``notes``.
        """
        rows = []
        for index, group in enumerate(self.groups_):
            share_logit, midpoint, log_width, log_size = self.mode_[index]
            fraction = 1.0 / (1.0 + math.exp(-share_logit))
            plateau = group.cap_per_month * fraction
            rows.append(
                {
                    "group": group.key,
                    "origin": self.origins_[index],
                    "months_of_history": int(self.months_of_history_[index]),
                    "plateau_share": group.cap_share * fraction,
                    "plateau_per_month": plateau,
                    "midpoint": midpoint,
                    "width": math.exp(log_width),
                    "dispersion": math.exp(log_size),
                    "plateau_sd": plateau * (1 - fraction) * math.sqrt(self.cov_[index, 0, 0]),
                    "notes": "; ".join(self.notes_.get(group.key, ())),
                }
            )
        return pd.DataFrame.from_records(rows)

    def seasonality(self) -> pd.Series:
        """The fitted month-of-year factors (1 = an ordinary month), index 1-12."""
        return pd.Series(np.exp(self.season_), index=pd.RangeIndex(1, 13, name="month"))

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        future = self.future_months()
        month_of_year = np.asarray(future.month, dtype=np.int64) - 1
        n_groups = len(self.groups_)
        # Every group's draws are taken, in registry order, whether or not it is used, so
        # one group's status never shifts another group's random numbers.
        season = self.season_ + self.season_se_ * rng.standard_normal((n_paths, 12))
        season_factor = np.exp(season[:, month_of_year]).astype(np.float32)
        standard = rng.standard_normal((n_groups, n_paths, 3))
        expected = np.zeros((n_paths, n_groups, len(future)), dtype=np.float32)
        for index, group in enumerate(self.groups_):
            origin = self.origins_[index]
            if origin is None:
                continue
            steps = np.asarray([(month - origin).n for month in future], dtype=np.float64)
            live = steps >= 0
            if not live.any():
                continue
            root = np.linalg.cholesky(self.cov_[index, :3, :3])
            draws = self.mode_[index, :3] + standard[index] @ root.T
            share_logit, midpoint, width = draws[:, 0], draws[:, 1], np.exp(draws[:, 2])
            ramp = _sigmoid((steps[None, live] + 0.5 - midpoint[:, None]) / width[:, None])
            level = group.cap_per_month * _sigmoid(share_logit)
            expected[:, index, live] = (level[:, None] * ramp).astype(np.float32)
            expected[:, index, live] *= season_factor[:, live]
        return Forecast(ge=expected, group_notes=dict(self.notes_))

    def _noise(
        self, expected: npt.NDArray[np.floating], rng: np.random.Generator, progress: bool | None
    ) -> npt.NDArray[np.floating]:
        return negative_binomial_counts(expected, self.size_, rng, progress)
