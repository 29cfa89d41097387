"""The "adoption" engine: fitted onboarding ramps toward a plateau at or below the cap.

For each group the expected monthly GE ``t`` months after it started is

    plateau x ramp(t) x season(month of year) x national throughput x the group's own level,

with ``plateau = target share x declared / 12 x sigmoid(share_logit)`` (the data may put it
below the cap, never above), a ramp that is either logistic,
``sigmoid((t + 0.5 - midpoint) / width)``, or Gompertz (also half-way at the midpoint, but
with a long slow approach to the plateau), and month-of-year factors shared by all groups.
Counts are negative binomial with a size per group.

Each group's four parameters (share logit, midpoint, log width, log size) get a normal
prior whose mean and spread are estimated from all groups together (empirical Bayes, by
EM on the Laplace approximation; every group's mode in one batched Newton solve), so a
group live for three months borrows strength from the others. That pooled prior is then
mixed with the reference class of comparable programmes on the plateau
(:class:`GroupPrior`): a declared volume is a claim, and "never really ramps" keeps real
probability. The paths draw each group's form and parameters from its exact posterior by
adaptive importance sampling (:func:`importance_sample`), a start for each group not live
yet (planned go-lives slip), a national throughput level that wanders from where the
last months put it, each group's own level beyond its curve likewise, an uncertain national
capacity ceiling (:mod:`wgsforecast.engines._realisation`), and finally counts.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.engines._batch_fit import Panel, log_evidence
from wgsforecast.engines._batch_fit import modes as batch_modes
from wgsforecast.engines._counts import CHUNK_CELLS, negative_binomial_counts
from wgsforecast.engines._onboarding import (
    PRIOR_MONTHS_PER_GROUP,
    OnboardingPace,
    check_prior_months,
)
from wgsforecast.engines._ramps import (
    FORMS,
    Prior,
    Series,
    log_ramp_share,
    log_sigmoid,
    ramp_share_by_row,
    sigmoid,
)
from wgsforecast.engines._realisation import (
    CapacityPrior,
    ShareLogNormal,
    SlipPrior,
    ThroughputState,
    group_level_variation,
    local_level_state,
    throughput_state,
    throughput_variation,
)
from wgsforecast.engines.base import Engine, Forecast
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.models import PatientGroup
from wgsforecast.notes import GroupNote, NoteCode

FloatArray = npt.NDArray[np.float64]

PARAMETERS = ("share_logit", "midpoint", "log_width", "log_size")
"""The per-group parameters, in the order of the parameter vectors."""


DEFAULT_PRIOR = Prior(
    # A plateau at 60% of the cap, half-way up the ramp after six months, a ramp width of
    # two months and moderate overdispersion: weak starting values for the pooled prior.
    mean=np.array([math.log(0.6 / 0.4), 6.0, math.log(2.0), math.log(30.0)]),
    sd=np.array([1.5, 6.0, 0.8, 1.5]),
)
"""The hyper-prior the pooled prior starts from and is shrunk toward."""

MIN_NATIONAL_GE = 20.0
"""National GE a month below which the count noise, not the programme's level or season,
moves the total: such months say nothing of the season or the national throughput."""

MIN_GROUP_GE = 10.0
"""A group's fitted GE a month below which its month is not read for the group's own level
(:meth:`AdoptionEngine.group_levels`): the count noise would swamp it."""

_SD_FLOOR = np.array([0.3, 1.0, 0.2, 0.3])
_SEASON_LIMIT = math.log(3.0)
# Pseudo-groups of weight for the default prior in the EM update: keeps the pooled prior
# sane when only two or three groups have data.
_HYPER_WEIGHT = 2.0
# EM stops once the pooled prior and the season effects move less than this (their units:
# logits, months, log factors), far below what would change a projection visibly.
_TOLERANCE = 0.01
# Importance draws per ramp form and group: enough that a few hundred distinct draws carry
# the weight (effective sample size) even when the Laplace proposal is off, cheap to fit.
_IMPORTANCE_DRAWS = 1000
_PROPOSAL_DOF = 4.0
_PROPOSAL_SEED = 20230301
_BOUNDS = (
    (-6.0, 8.0),
    (-24.0, 72.0),
    (math.log(0.25), math.log(24.0)),
    (0.0, math.log(5000.0)),
)


@dataclass(frozen=True)
class GroupFit:
    """Posterior mode, Laplace covariance and log evidence of one group under one ramp form."""

    mode: FloatArray
    cov: FloatArray
    form: str = "logistic"
    log_evidence: float = 0.0


@dataclass(frozen=True)
class GroupPosterior:
    """One group's fits under every ramp form and the posterior weight of each form."""

    fits: tuple[GroupFit, ...]
    weights: FloatArray

    @property
    def mean(self) -> FloatArray:
        """Posterior mean of the parameters, mixed over the forms."""
        result: FloatArray = np.einsum("f,fp->p", self.weights, self._modes())
        return result

    @property
    def cov(self) -> FloatArray:
        """Posterior covariance of the parameters, mixed over the forms."""
        modes = self._modes()
        spread = modes - self.mean
        within = np.einsum("f,fpq->pq", self.weights, np.array([f.cov for f in self.fits]))
        between = np.einsum("f,fp,fq->pq", self.weights, spread, spread)
        result: FloatArray = within + between
        return result

    def _modes(self) -> FloatArray:
        return np.array([f.mode for f in self.fits])


def log_mean(
    phi: FloatArray, series: Series, season: FloatArray, form: str = "logistic"
) -> FloatArray:
    """Log expected counts of a series under parameters ``phi`` and log season effects."""
    share_logit, midpoint, log_width = phi[0], phi[1], phi[2]
    z = (series.t + 0.5 - midpoint) / math.exp(log_width)
    return (
        series.log_cap
        + log_sigmoid(np.asarray(share_logit))
        + log_ramp_share(z, form)
        + season[series.month_of_year]
    )


def net_count_variance(means: FloatArray, sizes: FloatArray) -> FloatArray:
    """Count-noise variance of each group's log residual less the national one.

    Parameters
    ----------
    means
        Fitted monthly means ``[group, month]`` (0 where a group has not started).
    sizes
        Negative-binomial size per group.

    Returns
    -------
    numpy.ndarray
        ``[group, month]``: with ``c = 1 / mean + 1 / size`` a group's relative count
        variance (the variance of its log count, to first order) and ``w`` its share of the
        month's fitted national total, ``c (1 - 2 w) + sum over groups of w^2 c``: the
        group's own noise is also in the national residual, with weight ``w``. 0 where the
        mean is 0.
    """
    total = means.sum(axis=0)
    started = means > 0
    share = np.divide(means, total, out=np.zeros_like(means), where=total > 0)
    # The national part, sum of w^2 c = m / total^2 + w^2 / size, needs no 1 / m: a group
    # just starting, with a mean too small for 1 / m to be finite, adds nothing to it
    # instead of inf x 0 = NaN in every group's month.
    per_total = np.divide(1.0, total**2, out=np.zeros_like(total), where=total > 0)
    national = (means * per_total + share**2 / sizes[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", over="ignore"):
        relative = np.divide(1.0, means, out=np.zeros_like(means), where=started)
    relative += started / sizes[:, None]
    variance: FloatArray = np.where(started, relative * (1.0 - 2.0 * share) + national, 0.0)
    return variance


def fit_forms(
    panel: Panel, season: FloatArray, prior: Prior, starts: FloatArray
) -> list[GroupPosterior]:
    """Fit every group under every ramp form and weigh the forms by their Laplace evidence.

    Which form fits is often only clear once a group is past its midpoint; until then both
    keep a share of the paths, which widens the projection where the data cannot tell.
    ``starts`` is ``[form, group, 4]`` (warm starts from the previous EM round).
    """
    bounds = tuple(np.array(_BOUNDS).T)
    per_form = []
    for form, start in zip(FORMS, starts, strict=True):
        mode, cov, value = batch_modes(panel, season, prior, form, start, bounds)
        per_form.append((mode, cov, log_evidence(value, cov)))
    posteriors = []
    for group in range(len(panel.log_cap)):
        fits = tuple(
            GroupFit(mode=mode[group], cov=cov[group], form=form, log_evidence=float(ev[group]))
            for form, (mode, cov, ev) in zip(FORMS, per_form, strict=True)
        )
        evidence = np.array([f.log_evidence for f in fits])
        weights = np.exp(evidence - evidence.max())
        posteriors.append(GroupPosterior(fits=fits, weights=weights / weights.sum()))
    return posteriors


def _update_season(
    series: list[Series], posteriors: list[GroupPosterior], season: FloatArray, sd: float
) -> tuple[FloatArray, FloatArray]:
    """One Newton step on the shared log month-of-year effects, then re-centring.

    The effects are centred on their median, so a plateau means the level of an ordinary
    month and the dips (July, December) show as factors below one.
    """
    gradient = np.zeros(12)
    information = np.zeros(12)
    for one, posterior in zip(series, posteriors, strict=True):
        for fit, weight in zip(posterior.fits, posterior.weights, strict=True):
            mean = np.exp(log_mean(fit.mode, one, season, fit.form))
            size = math.exp(fit.mode[3])
            share = mean / (size + mean)
            np.add.at(gradient, one.month_of_year, weight * (one.y - (one.y + size) * share))
            np.add.at(information, one.month_of_year, weight * size * share)
    precision = information + 1.0 / sd**2
    updated = season + (gradient - season / sd**2) / precision
    updated -= np.median(updated)
    # A Newton step on data the ramps cannot fit (counts far above the cap) can run away;
    # no month of the year is a third or three times an ordinary month.
    updated = np.clip(updated, -_SEASON_LIMIT, _SEASON_LIMIT)
    se: FloatArray = 1.0 / np.sqrt(precision)
    return updated, se


def draw_season(
    season: FloatArray,
    se: FloatArray,
    years: npt.NDArray[np.int64],
    n_paths: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Log month-of-year effects per path, ``[path, month of year]``.

    Each effect is drawn around its estimate with its standard error, and then kept on a
    path with chance ``n / (n + 1)`` for a month of the year seen in ``n`` years of history,
    and otherwise set to 0 (an ordinary month). Why: the effects are shared by all groups,
    so a national outage of a month is fitted as a dip of that month of the year. Seen in
    one year only, nothing tells the two apart: even odds, and half the paths do without
    the dip; each further year makes it likelier to recur (2/3, 3/4, ...). This is a rule
    of succession counting one imagined year without the effect and none with it (Laplace's
    own, ``(n + 1) / (n + 2)``, would keep a dip seen once on two thirds of the paths): a
    judgement made before any benchmark run, not tuned. Its cost: a true holiday dip seen
    in few years is left out of some paths too, which lifts those months. Without it, one
    outage became a dip in every future year of every path: on generator A's programmes
    with an outage in their history the truth lay above the 80% interval at +12 months for
    39% of them.

    Parameters
    ----------
    season, se
        Estimated log effects (index 0 = January) and their standard errors.
    years
        How many months of history each month of the year has with a national total of
        at least :data:`MIN_NATIONAL_GE` (below it the count noise, not the season, moves
        the total).
    n_paths
        Paths to draw.
    rng
        The random stream.

    Returns
    -------
    numpy.ndarray
        ``[n_paths, 12]`` log effects.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> drawn = draw_season(np.full(12, -0.3), np.zeros(12), np.ones(12, int), 10_000, rng)
    >>> round(float((drawn == 0).mean()), 2)
    0.5
    """
    drawn: FloatArray = season + se * rng.standard_normal((n_paths, 12))
    seen = np.asarray(years, dtype=np.float64)
    drawn[rng.uniform(size=(n_paths, 12)) >= seen / (seen + 1)] = 0.0
    return drawn


def _update_prior(posteriors: list[GroupPosterior]) -> Prior:
    """EM update of the pooled prior from the groups' posteriors, shrunk to the default."""
    modes = np.array([p.mean for p in posteriors])
    variances = np.array([np.diag(p.cov) for p in posteriors])
    weight = _HYPER_WEIGHT + len(posteriors)
    mean = (_HYPER_WEIGHT * DEFAULT_PRIOR.mean + modes.sum(axis=0)) / weight
    spread = ((modes - mean) ** 2 + variances).sum(axis=0)
    variance = (_HYPER_WEIGHT * DEFAULT_PRIOR.sd**2 + spread) / weight
    return Prior(mean=mean, sd=np.maximum(np.sqrt(variance), _SD_FLOOR))


def pooled_share_update(
    pooled: Prior, share_logits: list[FloatArray], weights: list[FloatArray]
) -> Prior:
    """EM update of the pooled component's plateau (``share_logit``) in the mixture prior.

    Each draw counts with its posterior weight times its chance of not coming from the
    reference class, so the groups the reference class explains (those far short of their
    declared volume) do not also widen and lower the pooled component: without this, a
    programme's shortfall would count twice in a new group's prior, once in each component.

    Parameters
    ----------
    pooled
        The pooled prior; only its plateau (index 0) is refitted.
    share_logits
        Per group (at least one), its posterior draws of ``share_logit``.
    weights
        Per group, each draw's posterior weight times its chance of not coming from the
        reference class (same shapes as ``share_logits``).

    Returns
    -------
    Prior
        ``pooled`` with the plateau's mean and sd refitted, shrunk to the default prior as
        :func:`_update_prior` shrinks (sd at least its floor); the other parameters kept.
    """
    draws, mass = np.concatenate(share_logits), np.concatenate(weights)
    total = _HYPER_WEIGHT + mass.sum()
    mean = (_HYPER_WEIGHT * DEFAULT_PRIOR.mean[0] + mass @ draws) / total
    variance = (_HYPER_WEIGHT * DEFAULT_PRIOR.sd[0] ** 2 + mass @ (draws - mean) ** 2) / total
    new_mean, new_sd = pooled.mean.copy(), pooled.sd.copy()
    new_mean[0], new_sd[0] = mean, max(math.sqrt(variance), _SD_FLOOR[0])
    return Prior(mean=new_mean, sd=new_sd)


@dataclass(frozen=True)
class PlateauDraws:
    """One group's importance draws as the plateau's mixture EM needs them.

    Only the pooled component's plateau and the reference weight change from round to
    round, so everything else about each draw's prior density is computed once.
    """

    weights: FloatArray
    share_logit: FloatArray
    log_others: FloatArray
    log_reference_share: FloatArray
    log_drawn_prior: FloatArray

    @classmethod
    def of(cls, sample: PosteriorSample, prior: GroupPrior) -> PlateauDraws:
        """The draws of ``sample`` with weight above 0.

        Parameters
        ----------
        sample
            A group's weighted draws.
        prior
            The prior they were drawn and weighted under.

        Returns
        -------
        PlateauDraws
            The draws, with the parts of their prior density that stay fixed.
        """
        keep = sample.weights > 0
        params = sample.params[keep]
        normal = _log_normal_density(params, prior.pooled.mean, prior.pooled.sd)
        return cls(
            weights=sample.weights[keep],
            share_logit=params[:, 0],
            log_others=normal[:, 1:].sum(axis=1),
            log_reference_share=prior.reference_log_share_density(params[:, 0]),
            log_drawn_prior=prior.log_density(params),
        )

    def posterior(self, pooled: Prior, weight: float) -> tuple[FloatArray, FloatArray]:
        """The draws reweighted to the prior with another pooled plateau and weight.

        Parameters
        ----------
        pooled
            The pooled prior whose plateau (index 0) is used; the draws' other parameters
            keep the density they were drawn under.
        weight
            The reference weight, strictly between 0 and 1.

        Returns
        -------
        tuple of numpy.ndarray
            The normalised weights, and each draw's chance of coming from the reference
            component.
        """
        log_pooled = (
            _log_normal_density(self.share_logit, pooled.mean[0], pooled.sd[0]) + self.log_others
        )
        log_reference = math.log(weight) + self.log_reference_share + self.log_others
        log_prior = np.logaddexp(math.log1p(-weight) + log_pooled, log_reference)
        log_ratio = log_prior - self.log_drawn_prior
        weights = self.weights * np.exp(log_ratio - log_ratio.max())
        return weights / weights.sum(), np.exp(log_reference - log_prior)


def fit_programme(
    series: list[Series], iterations: int = 10, season_sd: float = 0.2
) -> tuple[list[GroupPosterior], Prior, FloatArray, FloatArray]:
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
        Per-group posteriors (every ramp form), the pooled prior, the log month-of-year
        effects (index 0 = January) and their standard errors.
    """
    prior = DEFAULT_PRIOR
    season = np.zeros(12)
    se = np.full(12, season_sd)
    posteriors: list[GroupPosterior] = []
    if not series:
        return posteriors, prior, season, se
    panel = Panel.of(series)
    starts = np.tile(prior.mean, (len(FORMS), len(series), 1))
    for _ in range(max(iterations, 1)):
        posteriors = fit_forms(panel, season, prior, starts)
        starts = np.array([[p.fits[f].mode for p in posteriors] for f in range(len(FORMS))])
        previous = np.concatenate([prior.mean, prior.sd, season])
        season, se = _update_season(series, posteriors, season, season_sd)
        prior = _update_prior(posteriors)
        change = np.abs(np.concatenate([prior.mean, prior.sd, season]) - previous).max()
        if change < _TOLERANCE:
            break
    return posteriors, prior, season, se


def log_likelihood_batch(
    phis: FloatArray, series: Series, season: FloatArray, form: str
) -> FloatArray:
    """Negative-binomial log likelihood of many parameter vectors ``[draw, 4]`` at once."""
    from scipy.special import gammaln

    width = np.exp(phis[:, 2:3])
    size = np.exp(phis[:, 3:4])
    z = (series.t[None, :] + 0.5 - phis[:, 1:2]) / width
    eta = (
        series.log_cap
        + log_sigmoid(phis[:, 0:1])
        + log_ramp_share(z, form)
        + season[series.month_of_year][None, :]
    )
    log_total = np.logaddexp(phis[:, 3:4], eta)
    y = series.y[None, :]
    log_size = phis[:, 3:4]
    # gammaln(size) is the same in every month: once per draw, not per draw and month.
    per_month = gammaln(y + size) + size * (log_size - log_total) + y * (eta - log_total)
    loglik: FloatArray = per_month.sum(axis=1) - y.size * gammaln(size[:, 0])
    return loglik


_LOG_ROOT_TWO_PI = 0.5 * math.log(2 * math.pi)


def _log_normal_density(x: FloatArray, mean: FloatArray, sd: FloatArray) -> FloatArray:
    z = (x - mean) / sd
    result: FloatArray = -0.5 * z**2 - np.log(sd) - _LOG_ROOT_TWO_PI
    return result


@dataclass(frozen=True)
class GroupPrior:
    """One group's prior: the pooled prior mixed with the reference class on the plateau.

    With weight ``1 - reference_weight`` the group is like the programme's groups with
    history (the pooled normal prior, its midpoint and width moved toward the group's
    planned ramp where it has one); with weight ``reference_weight`` its plateau is a
    realised share of the declared volume as comparable programmes realised theirs
    (:class:`~wgsforecast.engines._realisation.ShareLogNormal`, truncated at the planned
    target share), which puts real probability on "never really ramps".

    The plateau is ``target_share x declared / 12 x sigmoid(share_logit)``, so a share
    ``r`` of the declared volume is ``share_logit = logit(r / target_share)``.
    """

    pooled: Prior
    reference: ShareLogNormal
    target_share: float
    reference_weight: float

    def reference_log_share_density(self, share_logit: FloatArray) -> FloatArray:
        """Log density of plateau logits ``share_logit`` under the reference component."""
        from scipy.special import log_ndtr

        ref, target = self.reference, self.target_share
        share = target * sigmoid(share_logit)
        truncation = float(log_ndtr((math.log(target) - ref.log_median) / ref.sd_log))
        # Change of variables r = target x sigmoid(s): dr/ds = r (1 - sigmoid(s)); the
        # 1/r of the lognormal density cancels the r of the Jacobian.
        result: FloatArray = (
            -0.5 * ((np.log(share) - ref.log_median) / ref.sd_log) ** 2
            - math.log(ref.sd_log)
            - _LOG_ROOT_TWO_PI
            + log_sigmoid(-share_logit)
            - truncation
        )
        return result

    def _component_log_densities(self, phis: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Log densities of ``[draw, 4]`` under the pooled and the reference component."""
        normal = _log_normal_density(phis, self.pooled.mean, self.pooled.sd)
        pooled: FloatArray = normal.sum(axis=1)
        reference: FloatArray = self.reference_log_share_density(phis[:, 0]) + normal[:, 1:].sum(
            axis=1
        )
        return pooled, reference

    def log_density(self, phis: FloatArray) -> FloatArray:
        """Log prior density of parameter vectors ``[draw, 4]``."""
        pooled, reference = self._component_log_densities(phis)
        if self.reference_weight <= 0:
            return pooled
        if self.reference_weight >= 1:
            return reference
        result: FloatArray = np.logaddexp(
            math.log1p(-self.reference_weight) + pooled,
            math.log(self.reference_weight) + reference,
        )
        return result

    def draw(self, n_draws: int, rng: np.random.Generator) -> FloatArray:
        """Parameter vectors ``[draw, 4]`` from the prior."""
        from scipy.special import ndtr, ndtri

        phis = self.pooled.mean + rng.standard_normal((n_draws, 4)) * self.pooled.sd
        from_reference = rng.uniform(size=n_draws) < self.reference_weight
        ref, target = self.reference, self.target_share
        top = float(ndtr((math.log(target) - ref.log_median) / ref.sd_log))
        u = rng.uniform(size=n_draws) * top
        share = np.minimum(np.exp(ref.log_median + ref.sd_log * ndtri(u)) / target, 1 - 1e-9)
        share_logit = np.log(share) - np.log1p(-share)
        phis[:, 0] = np.where(from_reference, share_logit, phis[:, 0])
        lower, upper = np.array(_BOUNDS).T
        result: FloatArray = np.clip(phis, lower, upper)
        return result


@dataclass(frozen=True)
class PosteriorSample:
    """Weighted draws of one group's parameters: ``params[draw, 4]``, ``form[draw]``."""

    params: FloatArray
    form: npt.NDArray[np.int64]
    cumulative_weight: FloatArray

    @property
    def weights(self) -> FloatArray:
        """The normalised importance weights."""
        result: FloatArray = np.diff(self.cumulative_weight, prepend=0.0)
        return result

    @property
    def effective_size(self) -> float:
        """Kish's effective sample size of the weights."""
        return float(1.0 / (self.weights**2).sum())

    def quantile(self, values: FloatArray, q: float) -> float:
        """Weighted quantile of one value per draw."""
        order = np.argsort(values)
        cumulative = np.cumsum(self.weights[order])
        position = min(int(np.searchsorted(cumulative, q)), values.size - 1)
        return float(values[order][position])


def _cumulative(weights: FloatArray) -> FloatArray:
    """Normalised cumulative weights, never decreasing and ending at exactly 1."""
    result: FloatArray = np.minimum(np.cumsum(weights / weights.sum()), 1.0)
    result[-1] = 1.0
    return result


def _student_t_log_density(draws: FloatArray, fit: GroupFit, dof: float) -> FloatArray:
    from scipy.special import gammaln

    dim = draws.shape[1]
    root = np.linalg.cholesky(fit.cov)
    standard = np.linalg.solve(root, (draws - fit.mode).T).T
    distance = np.einsum("ij,ij->i", standard, standard)
    result: FloatArray = (
        gammaln((dof + dim) / 2)
        - gammaln(dof / 2)
        - 0.5 * dim * math.log(dof * math.pi)
        - float(np.log(np.diag(root)).sum())
        - 0.5 * (dof + dim) * np.log1p(distance / dof)
    )
    return result


_LAPLACE_SHARE = 0.7
"""Share of the proposal drawn around the Laplace fits; the rest comes from the prior itself
(defensive importance sampling), so the low-plateau tail of the mixture prior, which the
Laplace fit at the pooled mode does not see, still gets draws."""
_BATCH_DRAWS = 2000
_MAX_BATCHES = 32


def importance_sample(
    series: Series,
    season: FloatArray,
    prior: GroupPrior,
    posterior: GroupPosterior,
    rng: np.random.Generator,
    min_ess: float = 500.0,
) -> PosteriorSample:
    """Draw from the exact posterior of one group by adaptive importance sampling.

    The Laplace approximation is a poor fit for a group part-way up its ramp (plateau and
    midpoint are strongly correlated, the plateau's posterior has a long upper tail) and it
    knows nothing of the mixture prior's low tail. Draws therefore come from a defensive
    mixture: Student-t (``_PROPOSAL_DOF``) around each ramp form's Laplace fit, and the
    prior itself. Each draw is weighted by the exact posterior (likelihood x mixture prior)
    over the whole mixture's density, so the weights are comparable across forms and the
    draws also weigh the forms by their evidence. Batches of draws are added until the
    effective sample size reaches ``min_ess`` (or ``_MAX_BATCHES`` batches).
    """
    n_forms = len(FORMS)
    laplace = int(_BATCH_DRAWS * _LAPLACE_SHARE) // n_forms
    from_prior = (_BATCH_DRAWS - laplace * n_forms) // n_forms
    log_share_laplace = math.log(_LAPLACE_SHARE / n_forms)
    log_share_prior = math.log((1 - _LAPLACE_SHARE) / n_forms)
    lower, upper = np.array(_BOUNDS).T
    params: list[FloatArray] = []
    forms: list[npt.NDArray[np.int64]] = []
    log_weights: list[FloatArray] = []
    sample = PosteriorSample(np.zeros((1, 4)), np.zeros(1, np.int64), np.ones(1))
    for _ in range(_MAX_BATCHES):
        for form_index, (form, fit) in enumerate(zip(FORMS, posterior.fits, strict=True)):
            root = np.linalg.cholesky(fit.cov)
            standard = rng.standard_normal((laplace, 4))
            scale = np.sqrt(_PROPOSAL_DOF / rng.chisquare(_PROPOSAL_DOF, laplace))[:, None]
            draws = np.concatenate(
                [fit.mode + (standard * scale) @ root.T, prior.draw(from_prior, rng)]
            )
            log_prior = prior.log_density(draws)
            log_proposal = np.logaddexp(
                log_share_laplace + _student_t_log_density(draws, fit, _PROPOSAL_DOF),
                log_share_prior + log_prior,
            )
            target = log_likelihood_batch(draws, series, season, form) + log_prior
            inside = np.all((draws >= lower) & (draws <= upper), axis=1)
            log_weights.append(np.where(inside, target - log_proposal, -np.inf))
            params.append(draws)
            forms.append(np.full(draws.shape[0], form_index, dtype=np.int64))
        log_weight = np.concatenate(log_weights)
        weights = np.exp(log_weight - log_weight.max())
        sample = PosteriorSample(
            np.concatenate(params), np.concatenate(forms), _cumulative(weights)
        )
        if sample.effective_size >= min_ess:
            break
    return sample


def reweighted(sample: PosteriorSample, old: GroupPrior, new: GroupPrior) -> PosteriorSample:
    """The same draws weighted for another prior: each weight times new / old prior density.

    The draws came from the old proposal, and only the prior changed, so the likelihood
    and the proposal density cancel out of the ratio of the two posteriors' weights.
    """
    keep = sample.weights > 0  # draws outside the bounds stay at weight 0
    log_ratio = np.zeros_like(sample.weights)
    log_ratio[keep] = new.log_density(sample.params[keep]) - old.log_density(sample.params[keep])
    weights = np.where(keep, sample.weights * np.exp(log_ratio - log_ratio[keep].max()), 0.0)
    return PosteriorSample(sample.params, sample.form, _cumulative(weights))


def prior_sample(
    prior: GroupPrior, form_weights: FloatArray, n_draws: int, rng: np.random.Generator
) -> PosteriorSample:
    """Equally weighted draws from a group's prior (no data), forms in the given shares."""
    params = prior.draw(n_draws * len(FORMS), rng)
    form = np.repeat(np.arange(len(FORMS), dtype=np.int64), n_draws)
    cumulative = _cumulative(np.repeat(form_weights / n_draws, n_draws))
    return PosteriorSample(params=params, form=form, cumulative_weight=cumulative)


def _prior_samples(
    priors: list[GroupPrior],
    form_weights: FloatArray,
    with_data: set[int],
    rng: np.random.Generator,
) -> dict[int, PosteriorSample]:
    """Prior draws (:func:`prior_sample`) of every group not in ``with_data``, by index; the
    groups with data are importance-sampled instead."""
    return {
        index: prior_sample(prior, form_weights, _PRIOR_DRAWS, rng)
        for index, prior in enumerate(priors)
        if index not in with_data
    }


_PLAN_MIDPOINT_SD_FLOOR = 3.0
_PLAN_LOG_WIDTH_SD = 0.7
# A linear ramp over M months rises from 10% to 90% in about 0.8 M months; a logistic does
# that in 4.39 widths.
_WIDTH_PER_RAMP_MONTH = 1 / 4.4


def with_planned_ramp(pooled: Prior, midpoint: float, ramp_months: int) -> Prior:
    """The pooled prior with the planned ramp's midpoint and width folded in.

    A plan is one more (noisy) source on a group's midpoint and width: the two normals are
    combined by precision (the plan's sd: half the ramp, at least three months, and 0.7 on
    the log width), so data and other groups still move the group where the plan is wrong.
    """
    mean, sd = pooled.mean.copy(), pooled.sd.copy()
    plan_mean = np.array([midpoint, math.log(max(ramp_months, 1) * _WIDTH_PER_RAMP_MONTH)])
    plan_sd = np.array([max(ramp_months / 2, _PLAN_MIDPOINT_SD_FLOOR), _PLAN_LOG_WIDTH_SD])
    precision = 1 / sd[1:3] ** 2 + 1 / plan_sd**2
    mean[1:3] = (mean[1:3] / sd[1:3] ** 2 + plan_mean / plan_sd**2) / precision
    sd[1:3] = 1 / np.sqrt(precision)
    return Prior(mean=mean, sd=sd)


REFERENCE_WEIGHT = 0.5
"""Prior weight of the reference class against the programme's own pooled groups.

Why: the reference class (:data:`~wgsforecast.engines._realisation.REFERENCE_CLASS`) and
the groups with history are two honest but different answers to "how far will this group
get"; 0.5 says we do not know which one this group follows, and lets the group's own data
decide as it accrues. Not tuned on any simulator."""

SLIP_PSEUDO_GROUPS = 4.0
"""How many groups' worth of evidence the slip prior's median counts as when the
programme's own go-lives are known (:meth:`SlipPrior.learned`): a live group with a
``planned_go_live`` says how late it came, a group waiting past its planned go-live without
data says it is at least that late. Why four: a judgement, the same weight the reference
class gets (:data:`REFERENCE_PSEUDO_GROUPS`); a handful of the programme's own go-lives then
outweigh the prior. Not tuned."""

REFERENCE_PSEUDO_GROUPS = 4.0
"""How many groups' worth of evidence the prior :data:`REFERENCE_WEIGHT` counts as.

The weight is learned: each group with enough history says, through its posterior, how
likely it is to be one that realises its declared volume as the reference class did
(its responsibility for the reference component), and the prior weight is averaged with
those responsibilities as if it were this many groups. Why four: the reference class itself
is four programmes (:data:`~wgsforecast.engines._realisation.REFERENCE_CLASS`). So a
programme whose running groups reach their declared volumes leans less on the reference
class for its new groups, and one whose groups fall short leans more. The pooled
component's plateau is refitted alongside, to the groups in proportion to their chance of
not being reference-like (:func:`pooled_share_update`), so a shortfall group is counted in
one component, not both. Not tuned."""

THROUGHPUT_SD_SCALE = 1.25
"""Multiplier on the national throughput variation estimated from the data (the random
walk's step sd and the one-month shock sd; see
:func:`~wgsforecast.engines._realisation.throughput_variation`).

Why: the variogram sees only the months a programme has had, and a fitted curve absorbs
part of their variation, so the estimate is too small for the months ahead. How chosen: the
one calibrated constant, tuned with ``benchmarks/calibrate_adoption.py --param
throughput_sd_scale --grid 0.75,1,1.25,1.5 --on B --first 1001 --count 200`` on the
independent shortfall generator (:mod:`wgsforecast.simulate_shortfall`, seeds 1001-1200):
the value whose mean 80% coverage over +3/+6/+12/+24 months was closest to 80% (76.3% at
0.75, 78.6% at 1, 80.7% at 1.25, 81.8% at 1.5), with each group's own level in the engine
(:meth:`AdoptionEngine.group_levels`). Reported on the other generator
(:mod:`wgsforecast.simulate`, seeds 1-50) in ``benchmarks/results/calibration.md``; the
scaled sds also set how the start (:meth:`AdoptionEngine.throughput_start`) is filtered.

History: 3 was chosen first, 2 on every engine from the plateau's EM fit on (grid
1,2,3,4). When the paths began from the filtered throughput level at the origin, whose own
uncertainty widens the early months, 60 programmes and the grid 1,1.5,2,3 chose 1, the
grid's edge, a finer grid (0.75 to 1.5) chose 1.25 (those two runs not committed), and 200
programmes with the grid 1,1.25,1.5,2 confirmed it (77.0%, 79.3%, 81.2%, 83.6%)."""

_PRIOR_DRAWS = 4000
_MIXTURE_ROUNDS = 50
"""Most EM rounds of the plateau's mixture prior. EM converges linearly here (each round
closes about half of the remaining gap): 7 rounds to :data:`_MIXTURE_TOLERANCE` on the
bundled data, 7-21 on simulated programmes; a round costs milliseconds."""
_MIXTURE_TOLERANCE = 1e-3
"""The mixture's EM stops once the weight and the pooled plateau's mean and sd (logits) move
less than this in a round: a tenth of :data:`_TOLERANCE`, because a slow linear approach
stops short of its fixed point by about the last step again."""


def _search_in_order(cumulative: FloatArray, keys: FloatArray) -> npt.NDArray[np.intp]:
    """``np.searchsorted(cumulative, keys, side="right")``, the keys searched in sorted order:
    each search then starts where the previous one ended, twice as fast for 10,000 keys."""
    order = np.argsort(keys)
    found = np.empty(keys.size, dtype=np.intp)
    found[order] = np.searchsorted(cumulative, keys[order], side="right")
    return found


class AdoptionEngine(Engine):
    """Fitted onboarding ramps, a reference-class prior, uncertain go-lives and capacity.

    Parameters
    ----------
    min_months
        Months of history a group needs before its ramp counts as its own fit; groups
        with fewer lean on the prior and are flagged (``PriorFallbackWarning``).
    iterations
        EM rounds of the empirical-Bayes fit.
    season_sd
        Prior standard deviation of the log month-of-year effects.
    reference_weight
        Prior weight of the reference class on each group's plateau
        (:data:`REFERENCE_WEIGHT`; 0 = the pooled prior alone).
    slip
        How late planned go-lives come (:class:`SlipPrior`); ``slip_by_group`` overrides it
        per group key.
    capacity
        The national capacity ceiling's spread around ``Programme.capacity_wgs_per_year``
        (no ceiling when the programme states none).
    throughput_sd_scale
        Multiplier on the estimated variation of national throughput (the random walk's
        step sd and the one-month shock sd).
    group_level_scale
        Multiplier on the estimated variation of each group's own level (its walk's step sd
        and one-month sd, :meth:`group_levels`); 0 keeps every group on its curve. Not tuned.
    onboarding_months_per_group
        The prior pace at which groups with neither data nor a go-live month join: months
        between joining groups before the programme's own record is counted
        (:data:`~wgsforecast.engines._onboarding.PRIOR_MONTHS_PER_GROUP`, calibrated on the
        shortfall generator without go-lives; ``benchmarks/results/calibration.md``).
    min_effective_draws
        Importance draws are added until every group's effective sample size reaches this.
    proposal_seed
        Seed of the importance sampler's proposal draws (fixed, so a fit is reproducible).

    Notes
    -----
    After ``fit``, ``reference_weight_`` is the reference-class weight learned from the
    groups with history (:data:`REFERENCE_PSEUDO_GROUPS`), ``prior_`` the pooled prior with
    its plateau refitted alongside that weight (``_learn_mixture``), and ``slip_`` the slip prior
    learned from the programme's go-lives (:data:`SLIP_PSEUDO_GROUPS`), and
    ``onboarding_`` the programme's onboarding pace
    (:class:`~wgsforecast.engines._onboarding.OnboardingPace`), which times the start of
    groups with neither data nor a go-live month. ``throughput_sd_`` and ``month_shock_sd_``
    are the national throughput's estimated step and one-month sds (before
    ``throughput_sd_scale``), ``national_residuals_`` the log residuals of the national total
    against the fitted curves month by month (NaN where too small to read) and
    ``count_variance_`` the part of their variance the count noise explains; from these
    :meth:`throughput_start` reads the level at the origin. ``group_residuals_`` and
    ``group_noise_`` are each group's own log residuals beyond its curve and the national
    residual, ``[group, month]``, and their count-noise variance; ``group_step_sd_`` and
    ``group_month_sd_`` the groups' pooled walk step and one-month sds estimated from them
    (before ``group_level_scale``); from these :meth:`group_levels` reads where each group
    stands.

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

    def __init__(
        self,
        min_months: int = 6,
        iterations: int = 10,
        season_sd: float = 0.2,
        reference_weight: float = REFERENCE_WEIGHT,
        slip: SlipPrior | None = None,
        slip_by_group: Mapping[str, SlipPrior] | None = None,
        capacity: CapacityPrior | None = None,
        throughput_sd_scale: float = THROUGHPUT_SD_SCALE,
        group_level_scale: float = 1.0,
        onboarding_months_per_group: float = PRIOR_MONTHS_PER_GROUP,
        min_effective_draws: float = 500.0,
        proposal_seed: int = _PROPOSAL_SEED,
    ) -> None:
        if min_months < 1:
            raise ValueError(f"min_months must be at least 1; got {min_months}")
        if not 0 <= reference_weight <= 1:
            raise ValueError(f"reference_weight must be in [0, 1]; got {reference_weight}")
        if not throughput_sd_scale >= 0:
            raise ValueError(f"throughput_sd_scale must be 0 or more; got {throughput_sd_scale}")
        if not group_level_scale >= 0:
            raise ValueError(f"group_level_scale must be 0 or more; got {group_level_scale}")
        check_prior_months(onboarding_months_per_group, "onboarding_months_per_group")
        if not min_effective_draws >= 1:
            raise ValueError(f"min_effective_draws must be at least 1; got {min_effective_draws}")
        self.min_months = min_months
        self.iterations = iterations
        self.season_sd = season_sd
        self.reference_weight = reference_weight
        self.slip = slip if slip is not None else SlipPrior()
        self.slip_by_group = dict(slip_by_group or {})
        self.capacity = capacity if capacity is not None else CapacityPrior()
        self.throughput_sd_scale = throughput_sd_scale
        self.group_level_scale = group_level_scale
        self.onboarding_months_per_group = onboarding_months_per_group
        self.min_effective_draws = min_effective_draws
        self.proposal_seed = proposal_seed

    def _fit(self) -> None:
        history, groups, as_of = self.history_, self.groups_, self.assumptions_.as_of
        unknown = sorted(set(self.slip_by_group) - set(groups.keys))
        if unknown:
            raise ValueError(f"slip_by_group: {groups.unknown_name_message(unknown[0])}")
        month_of_year = np.asarray(history.months.month, dtype=np.int64) - 1
        series: list[Series] = []
        fitted: list[int] = []
        origins: list[pd.Period | None] = []
        notes: dict[str, tuple[GroupNote, ...]] = {}
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
                        log_cap=math.log(group.ramp.target_share * group.declared_per_year / 12),
                    )
                )
            elif group.go_live is None:
                # Registered but undated: it takes its turn at the programme's onboarding
                # pace after the as-of month, or never starts, rather than surely never.
                origins.append(as_of + 1)
                notes[group.key] = (
                    GroupNote(
                        NoteCode.PRIOR_UNDATED, start=as_of + 1, months=0, needed=self.min_months
                    ),
                )
                self._warn(group.key, notes[group.key][0])
            else:
                # The planned go-live; the paths draw how late the real start comes.
                origins.append(group.go_live)
                late = group.go_live_passed(as_of)
                notes[group.key] = (
                    GroupNote(
                        NoteCode.PRIOR_LATE if late else NoteCode.PRIOR_NOT_LIVE,
                        start=group.first_month_after(as_of),
                        go_live=group.go_live if late else None,
                        months=0,
                        needed=self.min_months,
                    ),
                )
                self._warn(group.key, notes[group.key][0])
        posteriors, pooled, season, se = fit_programme(series, self.iterations, self.season_sd)
        n_groups, n_forms = len(groups), len(FORMS)
        self.modes_ = np.tile(pooled.mean, (n_groups, n_forms, 1))
        # A group without data takes the ramp forms in the proportions the others do.
        pooled_weights = (
            np.mean([p.weights for p in posteriors], axis=0)
            if posteriors
            else np.full(n_forms, 1.0 / n_forms)
        )
        self.form_weights_ = np.tile(pooled_weights, (n_groups, 1))
        months = np.zeros(n_groups, dtype=np.int64)
        for index, one, posterior in zip(fitted, series, posteriors, strict=True):
            self.modes_[index] = [f.mode for f in posterior.fits]
            self.form_weights_[index] = posterior.weights
            months[index] = one.y.size
            if one.y.size < self.min_months:
                notes[groups.keys[index]] = (
                    GroupNote(NoteCode.PRIOR, months=int(one.y.size), needed=self.min_months),
                )
                self._warn(groups.keys[index], notes[groups.keys[index]][0])
        best = np.argmax(self.form_weights_, axis=1)
        self.mode_ = self.modes_[np.arange(n_groups), best]
        reference = ShareLogNormal.from_reference()
        rng = np.random.default_rng(self.proposal_seed)
        priors = self._group_priors(pooled, reference, origins, self.reference_weight)
        samples = _prior_samples(priors, pooled_weights, set(fitted), rng)
        for index, one, posterior in zip(fitted, series, posteriors, strict=True):
            samples[index] = importance_sample(
                one, season, priors[index], posterior, rng, self.min_effective_draws
            )
        self.samples_ = [samples[index] for index in range(n_groups)]
        self.group_priors_, self.reference_weight_ = priors, self.reference_weight
        if 0 < self.reference_weight < 1:
            pooled = self._learn_mixture(pooled, reference, origins, months, priors)
            earlier = self.samples_
            samples = _prior_samples(self.group_priors_, pooled_weights, set(fitted), rng)
            for index, one, posterior in zip(fitted, series, posteriors, strict=True):
                moved = reweighted(earlier[index], priors[index], self.group_priors_[index])
                samples[index] = (
                    moved
                    if moved.effective_size >= self.min_effective_draws
                    else importance_sample(
                        one,
                        season,
                        self.group_priors_[index],
                        posterior,
                        rng,
                        self.min_effective_draws,
                    )
                )
            self.samples_ = [samples[index] for index in range(n_groups)]
        self.prior_ = pooled
        self.season_ = season
        self.season_se_ = se
        national = history.ge.sum(axis=0)
        readable = national >= MIN_NATIONAL_GE
        self.season_years_ = np.bincount(month_of_year[readable], minlength=12)
        self.origins_ = origins
        self.months_of_history_ = months
        self.notes_ = notes
        self.slip_ = self.slip.learned(*self._go_live_evidence(), SLIP_PSEUDO_GROUPS)
        self.onboarding_ = OnboardingPace.from_history(
            history.started,
            history.ge.shape[1],
            p_never=self.slip.p_never,
            prior_months_per_group=self.onboarding_months_per_group,
        )
        means = self._fitted_means(fitted, series)
        residuals, count_variance = self._national_residuals(means)
        throughput = throughput_variation(residuals, count_variance)
        self.throughput_sd_ = throughput.step_sd
        self.month_shock_sd_ = throughput.month_sd
        self.national_residuals_, self.count_variance_ = residuals, count_variance
        self.group_residuals_, self.group_noise_ = self._group_residuals(means, residuals)
        own = group_level_variation(self.group_residuals_, self.group_noise_)
        self.group_step_sd_, self.group_month_sd_ = own.step_sd, own.month_sd
        self.achieved_genomes_per_year_ = 12 * float(
            (history.ge * self.genomes_per_ge()[:, None]).sum(axis=0).max()
        )

    def _go_live_evidence(self) -> tuple[list[float], list[float]]:
        """How late this programme's go-lives came: months from plan to first data for live
        groups with a ``planned_go_live``, and months waited so far past a planned go-live
        without data. Groups with their own ``slip_by_group`` are left out."""
        history, as_of = self.history_, self.assumptions_.as_of
        slips: list[float] = []
        waiting: list[float] = []
        for index, group in enumerate(self.groups_):
            begin = int(history.started[index])
            if group.key in self.slip_by_group:
                continue
            if begin >= 0 and group.planned_go_live is not None:
                slips.append(float((history.months[begin] - group.planned_go_live).n))
            elif begin < 0 and group.go_live is not None and group.go_live_passed(as_of):
                waiting.append(float((as_of + 1 - group.go_live).n))
        return slips, waiting

    def _group_priors(
        self,
        pooled: Prior,
        reference: ShareLogNormal,
        origins: list[pd.Period | None],
        weight: float,
    ) -> list[GroupPrior]:
        """Each group's mixture prior at reference weight ``weight``."""
        return [
            GroupPrior(
                pooled=self._planned(pooled, group, origin),
                reference=reference,
                target_share=group.ramp.target_share,
                reference_weight=weight,
            )
            for group, origin in zip(self.groups_, origins, strict=True)
        ]

    def _learn_mixture(
        self,
        pooled: Prior,
        reference: ShareLogNormal,
        origins: list[pd.Period | None],
        months: npt.NDArray[np.int64],
        priors: list[GroupPrior],
    ) -> Prior:
        """Learn the reference weight and the pooled plateau from the groups with history.

        EM on the two-component plateau prior, from the groups with at least ``min_months``
        of data (groups with fewer say little of their own plateau; they stay out of both
        updates): each group's posterior responsibility for the reference component is
        averaged with the prior weight, which counts as :data:`REFERENCE_PSEUDO_GROUPS`
        groups, and the pooled component's plateau is refitted to the draws in proportion to
        their chance of not being reference-like (:func:`pooled_share_update`), until both
        move less than :data:`_MIXTURE_TOLERANCE`. Sets ``reference_weight_`` and
        ``group_priors_``; returns the pooled component.
        """
        draws = [
            PlateauDraws.of(self.samples_[i], priors[i])
            for i, n in enumerate(months)
            if n >= self.min_months
        ]
        weight = self.reference_weight
        for _ in range(_MIXTURE_ROUNDS if draws else 0):
            posteriors = [group.posterior(pooled, weight) for group in draws]
            responsibilities = sum(float(w @ share) for w, share in posteriors)
            learned = (REFERENCE_PSEUDO_GROUPS * self.reference_weight + responsibilities) / (
                REFERENCE_PSEUDO_GROUPS + len(draws)
            )
            refitted = pooled_share_update(
                pooled,
                [group.share_logit for group in draws],
                [w * (1 - share) for w, share in posteriors],
            )
            settled = (
                abs(learned - weight) < _MIXTURE_TOLERANCE
                and abs(refitted.mean[0] - pooled.mean[0]) < _MIXTURE_TOLERANCE
                and abs(refitted.sd[0] - pooled.sd[0]) < _MIXTURE_TOLERANCE
            )
            weight, pooled = learned, refitted
            if settled:
                break
        self.reference_weight_ = weight
        self.group_priors_ = self._group_priors(pooled, reference, origins, weight)
        return pooled

    def _planned(self, pooled: Prior, group: PatientGroup, origin: pd.Period | None) -> Prior:
        """The pooled prior, moved toward the planned ramp of a group not live yet.

        Such a group plans to ramp over ``ramp.months`` from its go-live (or from
        ``ramp.start``). A live group's plan is not used: its data already say where on its
        ramp it is, and a single ramp with a late midpoint would read a later planned
        start (the advanced-cancer group's, in the bundled registry) as "still at the very
        bottom of a ramp to a huge plateau", the opposite of the plan.
        """
        if origin is None or int(self.history_.started[self.groups_.keys.index(group.key)]) >= 0:
            return pooled
        start = group.ramp.start if group.ramp.start is not None else origin
        midpoint = (start - origin).n + group.ramp.months / 2
        return with_planned_ramp(pooled, midpoint, group.ramp.months)

    def _fitted_means(self, fitted: list[int], series: list[Series]) -> FloatArray:
        """Each group's fitted monthly mean (posterior mode of its more probable form),
        ``[group, month]`` over the history; 0 before a group's start and for groups
        without data."""
        history = self.history_
        n_months = history.ge.shape[1]
        means = np.zeros(history.ge.shape)
        for index, one in zip(fitted, series, strict=True):
            form = FORMS[int(np.argmax(self.form_weights_[index]))]
            means[index, n_months - one.y.size :] = np.exp(
                log_mean(self.mode_[index], one, self.season_, form)
            )
        return means

    def _national_residuals(self, means: FloatArray) -> tuple[FloatArray, float]:
        """log(actual) - log(fitted) of the national monthly total (NaN where it is tiny),
        and the mean relative variance of that total that the groups' count noise explains
        (``means``: :meth:`_fitted_means`)."""
        expected = means.sum(axis=0)
        count_variance = (means + means**2 / self.size_[:, None]).sum(axis=0)
        actual = self.history_.ge.sum(axis=0)
        usable = (actual >= MIN_NATIONAL_GE) & (expected > 0)
        residuals: FloatArray = np.full(actual.shape, np.nan)
        residuals[usable] = np.log(actual[usable]) - np.log(expected[usable])
        relative = count_variance[usable] / expected[usable] ** 2
        return residuals, float(relative.mean()) if relative.size else 0.0

    def _group_residuals(
        self, means: FloatArray, national: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Each group's own log residuals ``[group, month]`` and their count-noise variance.

        log(actual + 0.5) - log(fitted mean) - the national residual of the month: how far a
        group runs above or below its curve beyond what all groups share. NaN where the
        fitted mean is below :data:`MIN_GROUP_GE` (a count that small says little of a
        level) or the national month is unreadable.

        The variance: a group's relative count noise ``c = 1 / mean + 1 / size`` (negative
        binomial) is also in the national residual, with the group's share ``w`` of the
        fitted national total, so the difference carries ``c (1 - 2 w)`` plus the national
        total's own relative count variance ``sum of w^2 c`` over the groups.
        """
        readable = (means >= MIN_GROUP_GE) & np.isfinite(national)[None, :]
        safe = np.where(readable, means, 1.0)
        # The half count keeps a month of 0 finite; it also cancels the Poisson part of the
        # log's bias (-1 / (2 mean)), not the negative binomial's (-1 / (2 size), under 0.2%
        # at the bundled sizes).
        residuals: FloatArray = np.where(
            readable, np.log(self.history_.ge + 0.5) - np.log(safe) - national[None, :], np.nan
        )
        noise: FloatArray = np.where(readable, net_count_variance(means, self.size_), 0.0)
        return residuals, noise

    def throughput_start(self) -> ThroughputState:
        """Log level of national throughput at the origin, relative to the fitted curves.

        The national residuals filtered
        (:func:`~wgsforecast.engines._realisation.throughput_state`) with the walk's step sd
        and the one-month shock sd times ``throughput_sd_scale`` as it is now, the variation
        the paths then use; the groups' count noise is not scaled. The paths start from a
        draw around this level. With ``throughput_sd_scale = 0`` national throughput does not
        vary, so the paths follow the fitted curves: level 0, known.

        Returns
        -------
        ThroughputState
            The filtered log level and its variance.

        Raises
        ------
        NotFittedError
            Before ``fit``.

        Notes
        -----
        The residuals count every GE, also a group's months above its cap, which its fitted
        curve cannot follow: a group running over its cap lifts the level of all groups
        (each still held to its own cap). Not seen on the bundled data, whose groups run far
        below their caps.
        """
        self._check_fitted()
        if self.throughput_sd_scale == 0:
            return ThroughputState(mean=0.0, variance=0.0)
        return throughput_state(
            self.national_residuals_, *self._scaled_throughput_sds(), self.count_variance_
        )

    def _scaled_throughput_sds(self) -> tuple[float, float]:
        """The walk's step sd and the one-month shock sd the paths use (times the scale)."""
        scale = self.throughput_sd_scale
        return self.throughput_sd_ * scale, self.month_shock_sd_ * scale

    def group_levels(self) -> list[ThroughputState]:
        """Each group's own log level at the origin, beyond its fitted curve and the nation's.

        A group's residuals (:meth:`_group_residuals`: its log counts less its fitted curve
        and the national residual) filtered
        (:func:`~wgsforecast.engines._realisation.local_level_state`) as a random walk with
        the groups' pooled step sd (``group_step_sd_``), read through the one-month sd
        ``group_month_sd_`` (both times ``group_level_scale`` as it is now) and the month's
        count noise, all estimated from this programme's data
        (:func:`~wgsforecast.engines._realisation.group_level_variation`). The level is on
        the curve just before the group's first month and takes its first step in it. A
        group running above its curve in its last months starts its paths above it; a group
        not live yet starts on its curve. The paths then let each group's level walk on
        with the same step sd; the one-month sd only tells the filter how noisy a month is
        (the paths' month-to-month noise of a group is its negative-binomial count noise).

        Notes
        -----
        Known approximations, measured or reasoned but not corrected: the national walk's
        step sd is estimated from national residuals that already contain the groups' own
        walks weighted by their shares, so the paths count that part twice (on the bundled
        data about a third more national step variance); the walk has no drift on the log
        scale, so a group's expected level grows by ``exp(variance / 2)`` with the lead
        (about +1.4% at +12 months at the bundled step sd of 0.048), as national throughput's
        does; and a live group whose curve never expects :data:`MIN_GROUP_GE` a month has no
        readable month, so its level's variance grows by a step each month since its start.

        Returns
        -------
        list of ThroughputState
            Per group, in registry order: the filtered log level and its variance.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        self._check_fitted()
        step_sd, month_sd = self._scaled_group_sds()
        if step_sd == 0:
            # No walk, and every level starts on its curve: it stays there, known.
            return [ThroughputState(mean=0.0, variance=0.0) for _ in self.groups_]
        step_variance, month_variance = step_sd**2, month_sd**2
        states = []
        for index, begin in enumerate(self.history_.started.tolist()):
            if begin < 0:
                states.append(ThroughputState(mean=0.0, variance=0.0))
                continue
            # From the group's start, on its curve: the curve is where a group begins.
            residuals = self.group_residuals_[index, begin:]
            noise = self.group_noise_[index, begin:] + month_variance
            states.append(local_level_state(residuals, step_variance, noise, start_variance=0.0))
        return states

    def _group_level_now(self, n_paths: int, rng: np.random.Generator) -> npt.NDArray[np.float32]:
        """Each group's own log level at the origin per path, ``[path, group]``: a draw around
        where :meth:`group_levels` puts it."""
        states = self.group_levels()
        mean = np.array([state.mean for state in states])
        sd = np.sqrt([state.variance for state in states])
        return (mean + sd * rng.standard_normal((n_paths, len(states)))).astype(np.float32)

    @staticmethod
    def _group_level_factors(
        level_now: npt.NDArray[np.float32],
        step_sd: float,
        starts: npt.NDArray[np.float32],
        rng: np.random.Generator,
        out: npt.NDArray[np.float32],
    ) -> npt.NDArray[np.float32]:
        """exp(each group's own level) for a block of paths and every projected month, into
        ``out`` (``[path, group, month]``): from ``level_now`` (:meth:`_group_level_now`), a
        walk with step sd ``step_sd`` from the later of the origin and the group's start
        (``starts``: months from the first projected month). Blocks drawn one after another
        take the same random numbers as one draw of all paths."""
        rng.standard_normal(dtype=np.float32, out=out)
        out *= np.float32(step_sd)
        # No step before a group starts: its own level is on its curve until then.
        month = np.arange(out.shape[2], dtype=np.float32)
        np.copyto(out, np.float32(0.0), where=month < starts[:, :, None])
        np.cumsum(out, axis=2, out=out)
        out += level_now[:, :, None]
        return np.exp(out, out=out)

    def _scaled_group_sds(self) -> tuple[float, float]:
        """The groups' own walk step sd and one-month sd the paths use (times the scale)."""
        scale = self.group_level_scale
        return self.group_step_sd_ * scale, self.group_month_sd_ * scale

    def _warn(self, key: str, note: GroupNote) -> None:
        warning = PriorFallbackWarning(
            f"group {key!r} has {note.months} months of history; its own ramp fit needs "
            f"{self.min_months}, so it uses the pooled prior of the other groups "
            "(flagged in the prognosis' group notes)"
        )
        warning.group, warning.note = key, note
        warnings.warn(warning, stacklevel=4)

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
            ``group``, ``origin`` (month the ramp counts from; the planned go-live for a
            group not live yet), ``months_of_history``, ``plateau_share`` (of the declared
            volume, posterior median over the weighted draws), ``plateau_share_p10`` and
            ``plateau_share_p90``, ``plateau_per_month`` (at the median share),
            ``ramp_form`` (the more probable form), ``gompertz_weight``, ``midpoint`` and
            ``width`` (months since start, of the more probable form's mode),
            ``dispersion`` (NB size), ``effective_draws`` (Kish's effective sample size of
            the group's importance draws) and ``notes``.
        """
        rows = []
        best = np.argmax(self.form_weights_, axis=1)
        for index, group in enumerate(self.groups_):
            _, midpoint, log_width, log_size = self.mode_[index]
            sample = self.samples_[index]
            shares = group.ramp.target_share * sigmoid(sample.params[:, 0])
            median = sample.quantile(shares, 0.5)
            rows.append(
                {
                    "group": group.key,
                    "origin": self.origins_[index],
                    "months_of_history": int(self.months_of_history_[index]),
                    "plateau_share": median,
                    "plateau_share_p10": sample.quantile(shares, 0.1),
                    "plateau_share_p90": sample.quantile(shares, 0.9),
                    "plateau_per_month": median * group.declared_per_year / 12,
                    "ramp_form": FORMS[best[index]],
                    "gompertz_weight": float(self.form_weights_[index, FORMS.index("gompertz")]),
                    "midpoint": midpoint,
                    "width": math.exp(log_width),
                    "dispersion": math.exp(log_size),
                    "effective_draws": sample.effective_size,
                    "notes": "; ".join(map(str, self.notes_.get(group.key, ()))),
                }
            )
        return pd.DataFrame.from_records(rows)

    def plateau_share_below(self, group: str, share: float) -> float:
        """Posterior probability that a group's plateau is below ``share`` of its declared volume.

        Parameters
        ----------
        group
            The group's key.
        share
            A share of the declared yearly volume, e.g. 0.1.

        Returns
        -------
        float
            The weighted share of the group's posterior draws below it.
        """
        index = self.groups_.keys.index(self.groups_[group].key)
        sample = self.samples_[index]
        target = self.groups_[group].ramp.target_share
        below = target * sigmoid(sample.params[:, 0]) < share
        return float(sample.weights[below].sum())

    def seasonality(self) -> pd.Series:
        """The fitted month-of-year factors (1 = an ordinary month), index 1-12.

        These are the estimates. The paths keep each on a share of paths only, by how many
        years of history show it (:func:`draw_season`), so a month's average factor over
        the paths lies between this and 1.
        """
        return pd.Series(np.exp(self.season_), index=pd.RangeIndex(1, 13, name="month"))

    def _start_offsets(self, n_paths: int, rng: np.random.Generator) -> FloatArray:
        """Per group and path, months from the first projected month to the ramp's start.

        Negative for a live group (it started in the past); for a group not live yet its
        planned go-live plus a drawn slip (``inf``: it never starts), and for a group with
        neither data nor a go-live month (nor its own ``slip_by_group``) its turn at the
        programme's onboarding pace (``onboarding_``). Every group's slip and place in the
        queue are drawn, used or not, so one group's status never shifts another's random
        numbers.
        """
        first = self.assumptions_.as_of + 1
        offsets = np.full((len(self.groups_), n_paths), np.inf)
        waiting = np.zeros(len(self.groups_), dtype=np.bool_)
        for index, group in enumerate(self.groups_):
            origin = self.origins_[index]
            undated = group.go_live is None and self.history_.started[index] < 0
            waiting[index] = undated and group.key not in self.slip_by_group
            slip_prior = self.slip_by_group.get(group.key, self.slip_)
            passed = (first - origin).n if origin is not None else 0
            slip = slip_prior.draw(passed, n_paths, rng)
            if origin is None or waiting[index]:
                continue
            if self.history_.started[index] >= 0:
                offsets[index] = (origin - first).n
            else:
                offsets[index] = (origin - first).n + slip
        queued = self.onboarding_.draw(waiting, n_paths, rng)
        offsets[waiting] = queued[waiting]
        return offsets

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        future = self.future_months()
        horizon = len(future)
        month_of_year = np.asarray(future.month, dtype=np.int64) - 1
        n_groups = len(self.groups_)
        season = draw_season(self.season_, self.season_se_, self.season_years_, n_paths, rng)
        # [path, month] arrays built in place: each fresh array of this size costs more than
        # the arithmetic on it.
        by_month = season[:, month_of_year]
        season_factor = np.exp(by_month, out=by_month).astype(np.float32)
        pick = rng.uniform(size=(n_groups, n_paths))
        offsets = self._start_offsets(n_paths, rng)
        # National throughput: a random walk on the log level shared by all groups, its
        # step sd estimated from the data's own month-to-month variation.
        step_sd, month_sd = self._scaled_throughput_sds()
        walk = rng.standard_normal((n_paths, horizon))
        walk *= step_sd
        np.cumsum(walk, axis=1, out=walk)
        # From where the level stands at the origin, uncertain (throughput_start).
        level_now = self.throughput_start()
        level_draws = level_now.mean + math.sqrt(level_now.variance) * rng.standard_normal(n_paths)
        walk += level_draws[:, None]
        level = rng.standard_normal((n_paths, horizon))
        level *= month_sd
        level += walk
        season_factor *= np.exp(level, out=level).astype(np.float32)
        stated = self.assumptions_.programme.capacity_wgs_per_year
        # Drawn even without a stated capacity (and then unused), so that stating one
        # changes no other draw: scenarios on capacity keep common random numbers.
        ceiling_draw = self.capacity.draw(
            stated if stated is not None else 1.0,
            self.achieved_genomes_per_year_,
            n_paths,
            rng,
        )
        # Each group's ramp per path, [path, group]; a group that never starts in the
        # horizon keeps an infinite start (all zeros) like a group without a start.
        start = np.full((n_paths, n_groups), np.inf, dtype=np.float32)
        midpoint = np.zeros((n_paths, n_groups), dtype=np.float32)
        width = np.ones((n_paths, n_groups), dtype=np.float32)
        plateau = np.zeros((n_paths, n_groups), dtype=np.float32)
        gompertz = np.zeros((n_paths, n_groups), dtype=np.bool_)
        drivers: dict[str, FloatArray] = {}
        if stated is not None:
            drivers["capacity"] = ceiling_draw
        drivers["throughput"] = np.exp(walk[:, min(11, horizon - 1)])
        for index, group in enumerate(self.groups_):
            if self.origins_[index] is None:
                continue
            if self.history_.started[index] < 0:
                drivers[f"start:{group.key}"] = offsets[index]
            # Months and start offsets are whole numbers (or inf), exact in float32.
            group_start = offsets[index].astype(np.float32)
            if not (group_start < horizon).any():
                continue
            sample = self.samples_[index]
            chosen = _search_in_order(sample.cumulative_weight, pick[index])
            chosen = np.minimum(chosen, sample.form.size - 1)
            scale = group.ramp.target_share * group.declared_per_year / 12
            drivers[f"plateau:{group.key}"] = group.ramp.target_share * sigmoid(
                sample.params[chosen, 0]
            )
            # float32 from here: the paths are float32, and it halves the memory traffic.
            draws = sample.params[chosen].astype(np.float32)
            start[:, index] = group_start
            midpoint[:, index], width[:, index] = draws[:, 1], np.exp(draws[:, 2])
            plateau[:, index] = scale * sigmoid(draws[:, 0])
            gompertz[:, index] = sample.form[chosen] == FORMS.index("gompertz")
        # The groups' own walks are the last draws of this stream: with no walk (every level
        # then on its curve, group_levels) leaving them out changes no other number.
        own_step_sd = self._scaled_group_sds()[0]
        own_now = self._group_level_now(n_paths, rng) if own_step_sd > 0 else None
        expected = np.empty((n_paths, n_groups, horizon), dtype=np.float32)
        # Mid-month: months since start + 0.5, exact in float32 (whole numbers plus a half).
        mid_month = np.arange(horizon, dtype=np.float32) + np.float32(0.5)
        # A few paths at a time, all groups together, written straight into the result:
        # the work then stays in the CPU's cache and no temporary is made per operation.
        # float32 cells: twice the noise's float64 chunk is the same bytes.
        chunk = max(1, 2 * CHUNK_CELLS // (n_groups * horizon))
        before_start = np.empty((chunk, n_groups, horizon), dtype=np.bool_)
        own_level = np.empty((chunk, n_groups, horizon), dtype=np.float32)
        for lo in range(0, n_paths, chunk):
            rows = slice(lo, lo + chunk)
            z = np.subtract(mid_month, start[rows, :, None], out=expected[rows])
            # Before the start month (-inf: never starts).
            before = np.less(z, np.float32(0.5), out=before_start[: z.shape[0]])
            z -= midpoint[rows, :, None]
            z /= width[rows, :, None]
            values = ramp_share_by_row(z.reshape(-1, horizon), gompertz[rows].ravel())
            values = values.reshape(z.shape)
            values *= plateau[rows, :, None]
            values *= season_factor[rows, None, :]
            if own_now is not None:
                values *= self._group_level_factors(
                    own_now[rows], own_step_sd, start[rows], rng, own_level[: values.shape[0]]
                )
            np.copyto(values, np.float32(0.0), where=before)
        # The ceiling is applied by the base class, after the caps (Engine.forecast).
        ceiling = ceiling_draw / 12 if stated is not None else None
        return Forecast(
            ge=expected, group_notes=dict(self.notes_), national_ceiling=ceiling, drivers=drivers
        )

    def _noise(
        self, expected: npt.NDArray[np.floating], rng: np.random.Generator, progress: bool | None
    ) -> npt.NDArray[np.floating]:
        return negative_binomial_counts(expected, self.size_, rng, progress)
