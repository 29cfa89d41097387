"""What the evidence engine believes before it sees this programme's data.

Three pieces of prior knowledge that the groups' own histories cannot supply:

* **Realisation** (:data:`REFERENCE_CLASS`): how much of a declared volume comparable
  national programmes actually did. A declared volume is a claim; the reference class says
  shortfalls of a factor of several are common, so the engine mixes this prior with the
  pooled prior of the groups that have history.
* **Onboarding** (:class:`SlipPrior`): a planned go-live slips, and one that has passed
  without data has slipped at least that far; some groups never start.
* **National throughput** (:class:`CapacityPrior`, :func:`throughput_step_sd`): all groups
  share two sequencing sites, so the national total has an uncertain ceiling and a level
  that wanders (up or down) from month to month.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_ON_TIME_SLIP = 0.5
"""The slip, in months, a go-live in its planned month counts as (monthly data cannot say
less), so on-time groups can enter a lognormal."""
_ROOT_TWO_PI = math.sqrt(2 * math.pi)


@dataclass(frozen=True)
class Realisation:
    """One comparable programme: the share of its declared yearly volume it achieved."""

    programme: str
    share: float
    derivation: str
    source: str


REFERENCE_CLASS: tuple[Realisation, ...] = (
    Realisation(
        "NGC, Denmark, 2021",
        0.21,
        "about 1,500 patients by the end of May 2022 (17 months from January 2021), about "
        "1,060 a year, against about 5,000 expected in 2021",
        "ing.dk, 2022",
    ),
    Realisation(
        "NHS Genomic Medicine Service, England",
        0.14,
        "more than 30,000 whole genomes from November 2020 to 8 December 2022 (about 25 "
        "months), about 14,400 a year, against 500,000 over five years (100,000 a year)",
        "NHS Long Term Plan 2019; The Times, 8 Dec 2022",
    ),
    Realisation(
        "Plan France Medecine Genomique 2025",
        0.062,
        "14,603 prescriptions validated in 2024 against 235,000 sequences a year planned",
        "pfmg2025.fr newsletter, 13 Mar 2025",
    ),
    Realisation(
        "Genomics England 100,000 Genomes Project",
        0.98,
        "6,000 genomes in December 2015 to 50,000 in March 2018 (44,000 in 27 months, about "
        "19,600 a year) against 100,000 in five years (20,000 a year)",
        "Genomics England newsletter Dec 2015; computerweekly.com 2018",
    ),
)
"""Realised share of the declared yearly volume in comparable programmes.

Derived from ``shared/reference/reference_class.md`` (each entry says how). Sweden and
Norway are left out: no declared volume was found for them. NGC's own March 2023 position
is left out on purpose: it is the data the engine forecasts from."""


@dataclass(frozen=True)
class ShareLogNormal:
    """A lognormal prior on a group's realised share of its declared volume."""

    log_median: float
    sd_log: float

    @classmethod
    def from_reference(
        cls, realisations: Sequence[Realisation] = REFERENCE_CLASS
    ) -> ShareLogNormal:
        """Fit the lognormal to the reference class (mean and sample sd of the log shares)."""
        logs = np.log([r.share for r in realisations])
        sd = float(np.std(logs, ddof=1)) if logs.size > 1 else 1.0
        return cls(log_median=float(logs.mean()), sd_log=sd)

    @property
    def median(self) -> float:
        """The median realised share."""
        return math.exp(self.log_median)


@dataclass(frozen=True)
class SlipPrior:
    """How late a planned go-live comes: months of slip, lognormal, and a chance of never.

    Parameters
    ----------
    median_months
        Median slip behind the planned go-live.
    sd_log
        Spread of the slip on the log scale (1.0: the 90th percentile is 3.6 x the median).
    p_never
        Chance that the group does not start within the horizon at all.

    Notes
    -----
    Default (median 4 months, P90 about 14, 10% never): NGC's own record is slower still
    (12 groups chosen in February 2021, the first five live in March 2022), and the
    reference class says start-up takes years; 4 months is the gentler half of that, for
    groups whose go-live month the programme has already set.
    """

    median_months: float = 4.0
    sd_log: float = 1.0
    p_never: float = 0.1

    def __post_init__(self) -> None:
        if not self.median_months > 0:
            raise ValueError(f"median_months must be above 0; got {self.median_months}")
        if not self.sd_log > 0:
            raise ValueError(f"sd_log must be above 0; got {self.sd_log}")
        if not 0 <= self.p_never < 1:
            raise ValueError(f"p_never must be in [0, 1); got {self.p_never}")

    def learned(
        self, slips: Sequence[float], waiting: Sequence[float], pseudo_groups: float
    ) -> SlipPrior:
        """This prior with its median moved toward the programme's own go-lives.

        The log median becomes the average of the prior's, counted as ``pseudo_groups``
        groups, and one value per group of the programme: ``log(slip)`` for a group that
        went live ``slip`` months after its plan (on time counts as half a month, the
        resolution of monthly data), and, for a group still ``waiting`` months past its
        planned go-live without data, the expected log slip given that it exceeds that
        (a censored observation). The spread and the chance of never are kept.
        """
        from scipy.special import ndtr

        if not slips and not waiting:
            return self
        log_median, sd = math.log(self.median_months), self.sd_log
        values = [math.log(max(slip, _ON_TIME_SLIP)) for slip in slips]
        for months in waiting:
            # E[log s | s > months] for the prior's lognormal: the inverse Mills ratio.
            z = (math.log(max(months, _ON_TIME_SLIP)) - log_median) / sd
            tail = max(float(ndtr(-z)), 1e-12)
            values.append(log_median + sd * math.exp(-0.5 * z * z) / _ROOT_TWO_PI / tail)
        learned = (pseudo_groups * log_median + sum(values)) / (pseudo_groups + len(values))
        return SlipPrior(median_months=math.exp(learned), sd_log=sd, p_never=self.p_never)

    def draw(self, months_passed: int, n_paths: int, rng: np.random.Generator) -> FloatArray:
        """Months from the planned go-live to the start, per path (``inf``: never).

        ``months_passed`` planned months have gone by without data, so the slip is at least
        that long (the lognormal is truncated there) and "never" has become more likely
        (Bayes: ``P(never | not started yet)``).
        """
        from scipy.special import ndtr, ndtri

        log_median = math.log(self.median_months)
        passed = max(months_passed, 0)
        floor = ndtr((math.log(passed) - log_median) / self.sd_log) if passed > 0 else 0.0
        still_possible = (1 - self.p_never) * (1 - floor)
        p_never = self.p_never / (self.p_never + still_possible)
        u = rng.uniform(size=n_paths)
        never = rng.uniform(size=n_paths) < p_never
        slip = np.exp(log_median + self.sd_log * ndtri(floor + (1 - floor) * u))
        slip = np.maximum(np.round(slip), passed)
        result: FloatArray = np.where(never, np.inf, slip)
        return result


@dataclass(frozen=True)
class CapacityPrior:
    """An uncertain national ceiling: lognormal around the programme's stated figure.

    The draw is truncated below at the highest national rate already achieved (genomes a
    year, annualised from the best observed month): a ceiling the programme has already
    exceeded is no ceiling.

    Parameters
    ----------
    sd_log
        Spread on the log scale. 0.5 (80% of draws within x0.53 to x1.9 of the stated
        figure) because the stated figure is a planning need, not a measured capacity.
    """

    sd_log: float = 0.5

    def __post_init__(self) -> None:
        if not self.sd_log >= 0:
            raise ValueError(f"capacity sd_log must be 0 or more; got {self.sd_log}")

    def draw(
        self,
        stated_per_year: float,
        achieved_per_year: float,
        n_paths: int,
        rng: np.random.Generator,
    ) -> FloatArray:
        """Ceilings in genomes a year, one per path."""
        from scipy.special import ndtr, ndtri

        u = rng.uniform(size=n_paths)
        if self.sd_log == 0:
            return np.full(n_paths, max(stated_per_year, achieved_per_year))
        log_stated = math.log(stated_per_year)
        floor = float(ndtr((math.log(max(achieved_per_year, 1e-9)) - log_stated) / self.sd_log))
        floor = min(floor, 1 - 1e-9)
        result: FloatArray = np.exp(log_stated + self.sd_log * ndtri(floor + (1 - floor) * u))
        return result


THROUGHPUT_SD_BOUNDS = (0.01, 0.15)
"""The month-to-month sd of log national throughput is kept in this range: below it a
programme of two sequencing sites is never that steady; above it a few odd months (a
go-live, a reconstructed jump) would dominate every path."""

MONTH_SD_LIMIT = 0.3
"""Most sd of the programme-wide shock of a single month (log scale)."""


@dataclass(frozen=True)
class Throughput:
    """A level's variation, estimated from residuals: national throughput's
    (:func:`throughput_variation`) or the groups' own (:func:`group_level_variation`).

    Attributes
    ----------
    step_sd
        Month-to-month sd of a random walk on the log level (persistent changes).
    month_sd
        Sd of a shock that hits one month only (nationally: a site down for a week, a
        reagent shortage), beyond the groups' own count noise.
    """

    step_sd: float
    month_sd: float


def throughput_variation(
    residuals: FloatArray, count_variance: float = 0.0, max_lag: int = 6
) -> Throughput:
    """Random-walk step sd and one-month shock sd of log throughput, from national residuals.

    ``residuals`` are log(actual national total) - log(fitted national total), month by
    month; non-finite months (too small to read) are dropped. Under a random walk (step sd
    ``q``) plus independent month noise (sd ``s``), the variance of ``r[t + k] - r[t]`` is
    ``2 s^2 + k q^2``: the slope of that variogram over ``k = 1..max_lag`` estimates ``q^2``
    and its intercept ``2 s^2``. ``count_variance`` is the part of ``s^2`` the groups' count
    noise already explains (the mean relative variance of the national total under the
    fitted negative-binomial counts); only the rest becomes a programme-wide month shock.
    ``q`` is kept within :data:`THROUGHPUT_SD_BOUNDS`, ``s`` below :data:`MONTH_SD_LIMIT`.
    """
    low, high = THROUGHPUT_SD_BOUNDS
    r = np.asarray(residuals, dtype=np.float64)
    r = r[np.isfinite(r)]
    lags = np.arange(1, min(max_lag, r.size - 2) + 1)
    if lags.size < 2:
        return Throughput(step_sd=low, month_sd=0.0)
    variogram = np.array([np.mean((r[k:] - r[:-k]) ** 2) for k in lags])
    slope, intercept = (float(v) for v in np.polyfit(lags, variogram, 1))
    step = float(np.clip(math.sqrt(max(slope, 0.0)), low, high))
    month = math.sqrt(max(intercept / 2 - count_variance, 0.0))
    return Throughput(step_sd=step, month_sd=min(month, MONTH_SD_LIMIT))


def throughput_step_sd(residuals: FloatArray, max_lag: int = 6) -> float:
    """The random walk's step sd alone (see :func:`throughput_variation`)."""
    return throughput_variation(residuals, max_lag=max_lag).step_sd


@dataclass(frozen=True)
class ThroughputState:
    """Where a log level stands at the origin, relative to the fitted curves: national
    throughput's (:func:`throughput_state`) or a group's own (:func:`local_level_state`).

    Attributes
    ----------
    mean
        Filtered log level in the origin month (0: the fitted curves exactly).
    variance
        Its variance: the level is read from noisy months, so it is not known exactly.
    """

    mean: float
    variance: float


def throughput_state(
    residuals: FloatArray, step_sd: float, month_sd: float, count_variance: float
) -> ThroughputState:
    """Filter the national residuals with the random walk they were estimated under.

    The model of :func:`throughput_variation`: log throughput is a random walk (step sd
    ``step_sd``), and each month's residual is that level plus independent noise of variance
    ``month_sd ** 2 + count_variance`` (a programme-wide shock and the groups' own count
    noise); :func:`local_level_state` filters it.

    Without it the paths would start from the fitted curves exactly, as if the level at the
    origin were known, and a programme running above or below its curves in its last months
    would be projected back onto them at once.

    Parameters
    ----------
    residuals
        log(actual national total) - log(fitted national total), month by month up to the
        origin; NaN for a month too small to read (its level is predicted, not updated).
    step_sd, month_sd, count_variance
        The walk's step sd, the one-month shock sd and the relative count variance.

    Returns
    -------
    ThroughputState
        Mean 0 and variance 0 when no month is readable: the curves are all there is.
    """
    noise = np.full(np.shape(residuals), month_sd**2 + count_variance)
    return local_level_state(residuals, step_sd**2, noise)


def local_level_state(
    residuals: FloatArray,
    step_variance: float,
    noise_variance: FloatArray,
    start_variance: float | None = None,
) -> ThroughputState:
    """The Kalman filter of a local-level model: where a random walk seen in noise stands now.

    Each month's residual is the level plus independent noise of that month's
    ``noise_variance``; the level moves by a step of variance ``step_variance`` a month. An
    unreadable month (NaN) only adds a step's variance, and each readable month pulls the
    level toward itself by the usual gain. Without ``start_variance`` the first readable
    month is read as the level with its noise variance (nothing is known before it); with
    it, the level starts at 0 with that variance before the first month, which then adds a
    step too. Without ``start_variance`` and with no step the level is the
    precision-weighted mean of the readable months (with a known start of variance 0 and no
    step it stays at 0); with neither step nor noise, the last of them.

    Parameters
    ----------
    residuals
        The series, month by month up to the origin; NaN where a month cannot be read.
    step_variance
        Variance of the walk's monthly step.
    noise_variance
        Variance of each month's noise, the same shape as ``residuals``.
    start_variance
        Variance of a level known to start at 0 before the first month; ``None``: unknown.

    Returns
    -------
    ThroughputState
        The level in the last month and its variance; with no readable month, mean 0 and
        the start variance plus a step's variance a month (0 and 0 without a start
        variance).
    """
    seen = start_variance is not None
    mean, variance = 0.0, start_variance or 0.0
    values = np.asarray(residuals, dtype=np.float64)
    noises = np.asarray(noise_variance, dtype=np.float64)
    for value, noise in zip(values.tolist(), noises.tolist(), strict=True):
        if seen:
            variance += step_variance
        if not math.isfinite(value):
            continue
        if not seen:
            # The first readable month: the level is that month, read with its noise.
            mean, variance, seen = value, noise, True
            continue
        gain = variance / (variance + noise) if variance + noise > 0 else 1.0
        mean += gain * (value - mean)
        variance *= 1.0 - gain
    return ThroughputState(mean=mean, variance=variance)


GROUP_STEP_SD_LIMIT = 0.15
"""Most month-to-month sd of a group's own log level (as for national throughput: a few odd
months must not dominate every path)."""


def group_level_variation(
    residuals: FloatArray, noise_variance: FloatArray, max_lag: int = 6
) -> Throughput:
    """Step sd and one-month sd of the groups' own levels, pooled over the groups.

    Under a random walk (step sd ``q``) plus month noise of variance ``s^2`` plus the count
    noise ``c``, the pairs ``k`` months apart in the same group have
    ``E[(r[t + k] - r[t])^2] = k q^2 + 2 s^2 + c[t] + c[t + k]``. The count noise is taken
    off each pair; the slope of the pooled means over ``k = 1..max_lag`` estimates ``q^2``
    and its intercept ``2 s^2``. Unlike :func:`throughput_variation`, months that cannot be
    read leave gaps: pairs are taken ``k`` calendar months apart.

    Parameters
    ----------
    residuals
        ``[group, month]``: log(actual) - log(fitted) of each group, less the national
        residual of the month (what all groups share); NaN where a month cannot be read.
    noise_variance
        The count noise's variance of each residual, the same shape.
    max_lag
        Longest lag of the variogram, in months.

    Returns
    -------
    Throughput
        ``q`` kept below :data:`GROUP_STEP_SD_LIMIT`, ``s`` below :data:`MONTH_SD_LIMIT`;
        0 and 0 with fewer than two lags that have pairs.

    Notes
    -----
    A group's residual net of the national one is its own walk less the share-weighted
    walks of all groups, its own included, so for a group with a large share ``w`` of the
    national total the slope sees about ``q^2 (1 - 2 w + sum of w^2)``, not ``q^2``; the
    pooled estimate averages this over the groups and is not corrected for it.
    """
    r = np.asarray(residuals, dtype=np.float64)
    c = np.asarray(noise_variance, dtype=np.float64)
    lags, means = [], []
    for k in range(1, max_lag + 1):
        if k >= r.shape[1]:
            break
        pairs = (r[:, k:] - r[:, :-k]) ** 2 - c[:, k:] - c[:, :-k]
        pairs = pairs[np.isfinite(pairs)]
        if pairs.size:
            lags.append(k)
            means.append(float(pairs.mean()))
    if len(lags) < 2:
        return Throughput(step_sd=0.0, month_sd=0.0)
    slope, intercept = (float(v) for v in np.polyfit(lags, means, 1))
    step = min(math.sqrt(max(slope, 0.0)), GROUP_STEP_SD_LIMIT)
    month = min(math.sqrt(max(intercept / 2, 0.0)), MONTH_SD_LIMIT)
    return Throughput(step_sd=step, month_sd=month)
