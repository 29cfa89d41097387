"""A second synthetic programme generator: declared volumes are claims, plans slip.

:func:`wgsforecast.simulate.simulate_programme` draws each group as a logistic or Gompertz
ramp from its go-live to a plateau at or below the cap. This module is written apart from it
(no drawing code shared) and from another view of the world, taken from the reference class
of national sequencing programmes (``/work/shared/reference/reference_class.md``):

* **Declared volumes are claims.** The level a group settles at is a share of its declared
  volume drawn from a lognormal with median :data:`SHARE_MEDIAN` (0.25) and log-sd
  :data:`SHARE_LOG_SD` (0.9), truncated at 1. About half the groups realise a quarter of what
  they declared or less, about one in ten more than the 75% cap share, a few almost all of it.
  Derivation: at two to three years, realised / planned volumes in the reference class were
  about 0.06 (France 2024: 14,603 of 235,000 a year), 0.15 (NHS GMS: about 15,000 a year
  against 100,000), 0.25 (Genomics England 2015: about 5,000 against 20,000 a year) and 0.6
  (NGC early 2023: about 1,000 GE a month against 60,000 over three years); the log of these
  has a median near ln 0.2 and a spread of about 0.9.
* **Plans slip.** The registry carries the *planned* go-live, which is all a forecaster knows;
  the actual go-live is later by a heavy-tailed slip (none for a quarter of the groups, else
  lognormal with a median of :data:`SLIP_MEDIAN_MONTHS` months), and
  :data:`NEVER_PROBABILITY` of the groups never start at all. The reference class took years,
  not months, to start (Genomics England about two years to its 100th genome, SeqOIA three
  years from the plan to its first 16 cases, NGC a year behind its 2021 expectation).
* **Growth is not a sigmoid.** Each group grows linearly, exponentially (saturating at its
  level), linearly with a long stall part-way, or in a step (a low level, then a regime
  shift up); now and then a group's level later drops (an indication narrowed). Once under
  way, growth in the class was steady: +34% a year (Sweden), +35% (France).
* **A national capacity ceiling** binds in some programmes (:data:`CEILING_PROBABILITY`):
  when the groups' expected total exceeds it, every group is scaled down by the same factor;
  the ceiling may be raised once (new sequencers).
* **Counts vary more than Poisson** and together: gamma-Poisson per group and month, times a
  month-level multiplicative shock shared by all groups (an AR(1) in logs), so groups' noises
  are correlated, plus summer and Christmas dips.

Targets are drawn relative to the expected total, so the true crossing falls anywhere from a
few months after the as-of month to never within the horizon.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.models import (
    PROGRAMME_CAP_SHARE,
    Assumptions,
    GroupRegistry,
    PatientGroup,
    Programme,
    Status,
)
from wgsforecast.periods import month_range, parse_month
from wgsforecast.simulate import (
    SimulatedProgramme,
    check_simulation_arguments,
    deadline_around_target,
)

FloatArray = npt.NDArray[np.float64]

SHARE_MEDIAN = 0.25
"""Median realised share of the declared volume (see the module docstring)."""
SHARE_LOG_SD = 0.9
"""Log-sd of the realised share (lognormal, truncated at 1)."""
ON_TIME_PROBABILITY = 0.25
"""Chance that a group goes live in its planned month."""
SLIP_MEDIAN_MONTHS = 4.0
"""Median slip of a late group, in months (lognormal)."""
SLIP_LOG_SD = 0.9
"""Log-sd of a late group's slip."""
NEVER_PROBABILITY = 0.08
"""Chance that a group never goes live (within any horizon)."""
GROWTH_SHAPES: dict[str, float] = {"linear": 0.3, "exponential": 0.25, "stall": 0.25, "step": 0.2}
"""Growth shapes and how often each occurs."""
DROP_PROBABILITY = 0.1
"""Chance that a group's level later drops (a regime shift down)."""
CEILING_PROBABILITY = 0.4
"""Chance that the programme has a national capacity ceiling."""
TARGET_FRACTION = (0.05, 1.3)
"""The target lies this fraction of the way from the observed total to the expected total at
the horizon end (uniform); above about 1 the truth usually never reaches it."""

_PILOT = 0  # the group that opens the programme: planned and actual go-live in month 0


def _truncated_lognormal(
    rng: np.random.Generator, median: float, log_sd: float, upper: float, size: int
) -> FloatArray:
    """Lognormal draws truncated at ``upper`` by inverting the CDF (one uniform per draw)."""
    from scipy.special import ndtr, ndtri

    top = float(ndtr((math.log(upper) - math.log(median)) / log_sd))
    u = rng.uniform(size=size) * top
    values: FloatArray = np.exp(math.log(median) + log_sd * ndtri(u))
    return np.minimum(values, upper)


def _draw_groups(rng: np.random.Generator, n_groups: int, n_months: int) -> pd.DataFrame:
    """Every parameter of every group, drawn whatever the group's shape.

    Drawing all of them keeps one group's shape from shifting the others' random numbers.
    """
    declared = np.clip(np.exp(rng.normal(math.log(1_500), 1.0, n_groups)), 100, 20_000)
    declared = np.round(declared, -1)
    # Plans onboard groups at quarter starts over the observed period and a little after.
    planned = 3 * rng.integers(0, (n_months + 6) // 3 + 1, n_groups)
    planned[_PILOT] = 0
    on_time = rng.uniform(size=n_groups) < ON_TIME_PROBABILITY
    slip = np.ceil(np.exp(rng.normal(math.log(SLIP_MEDIAN_MONTHS), SLIP_LOG_SD, n_groups)))
    slip = np.where(on_time, 0.0, slip)
    never = rng.uniform(size=n_groups) < NEVER_PROBABILITY
    slip[_PILOT], never[_PILOT] = 0.0, False
    share = _truncated_lognormal(rng, SHARE_MEDIAN, SHARE_LOG_SD, 1.0, n_groups)
    names = list(GROWTH_SHAPES)
    shape = rng.choice(names, size=n_groups, p=list(GROWTH_SHAPES.values()))
    cancer = rng.uniform(size=n_groups) < 0.35
    drops = rng.uniform(size=n_groups) < DROP_PROBABILITY
    return pd.DataFrame(
        {
            "declared_per_year": declared,
            "planned_offset": planned.astype(np.int64),
            "slip_months": np.where(never, np.nan, slip),
            "realised_share": share,
            "shape": [str(s) for s in shape],
            "kind": np.where(cancer, "cancer", "germline"),
            # linear: months to the level; stall: months to the stall fraction
            "ramp_months": rng.uniform(3, 18, n_groups),
            # exponential: start fraction and growth multiplier per year
            "start_fraction": rng.uniform(0.1, 0.3, n_groups),
            "growth_per_year": rng.uniform(1.5, 3.0, n_groups),
            # stall: fraction, months before it, its length, months to climb after it
            "stall_fraction": rng.uniform(0.3, 0.7, n_groups),
            "stall_after": rng.uniform(2, 8, n_groups),
            "stall_months": rng.uniform(6, 18, n_groups),
            "climb_months": rng.uniform(3, 12, n_groups),
            # step: low fraction and the month of the regime shift up
            "step_fraction": rng.uniform(0.2, 0.5, n_groups),
            "step_month": rng.integers(3, 16, n_groups).astype(np.float64),
            # a later drop (any shape): month since go-live and factor, NaN when none
            "drop_month": np.where(drops, rng.integers(12, 41, n_groups), np.nan),
            "drop_factor": np.where(drops, rng.uniform(0.4, 0.8, n_groups), np.nan),
            # gamma-Poisson shape per group (smaller: more variance)
            "dispersion": np.exp(rng.uniform(math.log(3), math.log(60), n_groups)),
        }
    )


def growth_curve(since: FloatArray, row: pd.Series) -> FloatArray:
    """The share of a group's level reached ``since`` months after its actual go-live.

    Parameters
    ----------
    since
        Months since the actual go-live (0 is the first live month); negative gives 0.
    row
        One row of the truth frame (``shape`` and its parameters, ``drop_month``,
        ``drop_factor``).

    Returns
    -------
    numpy.ndarray
        Values in [0, 1]: linear, exponential (saturating at 1), linear with a stall, or a
        step; times ``drop_factor`` from ``drop_month`` on when the group drops.
    """
    t = since + 1.0  # months completed by the end of the month
    shape = str(row["shape"])
    if shape == "linear":
        curve = t / float(row["ramp_months"])
    elif shape == "exponential":
        rate = math.log(float(row["growth_per_year"])) / 12
        curve = float(row["start_fraction"]) * np.exp(rate * since)
    elif shape == "stall":
        fraction, after = float(row["stall_fraction"]), float(row["stall_after"])
        resume = after + float(row["stall_months"])
        climb = float(row["climb_months"])
        curve = np.where(
            t <= after,
            fraction * t / after,
            np.where(t <= resume, fraction, fraction + (1 - fraction) * (t - resume) / climb),
        )
    elif shape == "step":
        curve = np.where(t <= float(row["step_month"]), float(row["step_fraction"]), 1.0)
    else:
        raise ValueError(f"unknown growth shape {shape!r}; expected one of {list(GROWTH_SHAPES)}")
    curve = np.clip(curve, 0.0, 1.0)
    drop = float(row["drop_month"])
    if not math.isnan(drop):
        curve = np.where(since >= drop, curve * float(row["drop_factor"]), curve)
    result: FloatArray = np.where(since >= 0, curve, 0.0)
    return result


def _seasonality(rng: np.random.Generator) -> FloatArray:
    factors = np.ones(12)
    factors[6] = rng.uniform(0.6, 0.9)  # July
    factors[7] = rng.uniform(0.85, 1.0)  # August
    factors[11] = rng.uniform(0.7, 0.95)  # December
    factors[3] = rng.uniform(0.9, 1.0)  # April: Easter
    return factors


def _ceiling(
    rng: np.random.Generator, demand: FloatArray, months: pd.PeriodIndex
) -> tuple[FloatArray, pd.DataFrame]:
    """Scale factors per month from a national capacity ceiling, and the months it binds.

    The ceiling is drawn as a share of the programme's peak expected monthly total, may be
    raised once, and clips every group by the same factor in the months it binds.
    """
    total = demand.shape[0]
    has_ceiling = rng.uniform() < CEILING_PROBABILITY
    share = rng.uniform(0.45, 0.9)
    raised = rng.uniform() < 0.5
    raise_at = int(rng.integers(total // 4, total))
    raise_by = rng.uniform(1.2, 1.8)
    factors = np.ones(total)
    if not has_ceiling or demand.max() <= 0:
        return factors, pd.DataFrame(columns=["month", "factor", "ceiling"])
    ceiling = np.full(total, share * float(demand.max()))
    if raised:
        ceiling[raise_at:] *= raise_by
    binds = demand > ceiling
    factors[binds] = ceiling[binds] / demand[binds]
    rows = pd.DataFrame(
        {
            "month": months[binds],
            "factor": factors[binds],
            "ceiling": ceiling[binds],
        }
    )
    return factors, rows


def simulate_shortfall_programme(
    seed: int,
    n_groups: int = 17,
    n_months: int = 36,
    horizon: int = 36,
    start: Any = "2020-10",
    target_ge: int | None = None,
    deadline_offset: int | None = None,
) -> SimulatedProgramme:
    """Simulate a programme whose groups fall short of their claims and start late.

    Parameters
    ----------
    seed
        Seed of every random draw; the same seed gives an identical programme. The stream is
        tagged, so seed ``k`` here shares no random numbers with ``simulate_programme(k)``.
    n_groups
        Number of patient groups.
    n_months
        Observed months, from ``start`` to the as-of month.
    horizon
        Months after the as-of month whose true counts are returned in ``future``.
    start
        The first month; the pilot group (``g01``) goes live then, as planned, so the
        programme has data from its first month.
    target_ge
        The programme's target. By default it lies a drawn fraction
        (:data:`TARGET_FRACTION`) of the way from the observed total to the expected total at
        the horizon end, rounded to hundreds: reached within months in some programmes and
        never within the horizon in others (about a quarter).
    deadline_offset
        ``None`` (default): the deadline is half-way into the horizon. An integer: that many
        months after the month the simulated truth first reaches the target (negative:
        before it), kept inside the horizon; the last month of the horizon if the truth never
        reaches the target.

    Returns
    -------
    SimulatedProgramme
        ``groups`` carries the *planned* go-lives (what a forecaster knows); ``truth`` has
        one row per group with ``group``, ``declared_per_year``, ``planned_go_live``,
        ``go_live`` (actual; NaT if the group never starts within the horizon),
        ``slip_months`` (NaN if never), ``started_in_horizon``, ``realised_share`` and
        ``level_per_month`` (the level before seasonality, shocks and ceiling),
        ``above_cap``, ``shape`` and its parameters, ``drop_month``, ``drop_factor``,
        ``dispersion`` and ``months_observed``. ``actuals`` and ``future`` hold a row for
        every month from the actual go-live on. ``shocks`` lists the months the national
        capacity ceiling binds (``month``, ``factor`` applied to every group, ``ceiling``);
        it is empty when there is no ceiling or it never binds.

    Examples
    --------
    >>> sim = simulate_shortfall_programme(seed=1, n_groups=6)
    >>> sorted(sim.actuals.columns)
    ['ge', 'group', 'month']
    >>> bool((sim.truth["realised_share"] <= 1).all())
    True
    """
    check_simulation_arguments(n_groups, n_months, horizon, deadline_offset)
    rng = np.random.default_rng([seed, 0x5B0F])
    first = parse_month(start)
    as_of = first + (n_months - 1)
    total = n_months + horizon
    months = month_range(first, first + (total - 1))
    truth = _draw_groups(rng, n_groups, n_months)
    seasonality = _seasonality(rng)

    actual = truth["planned_offset"] + truth["slip_months"]  # NaN: never
    level = truth["realised_share"] * truth["declared_per_year"] / 12
    position = np.arange(total, dtype=np.float64)
    demand = np.zeros((n_groups, total))
    for i in range(n_groups):
        if math.isnan(float(actual.iloc[i])):
            continue
        curve = growth_curve(position - float(actual.iloc[i]), truth.iloc[i])
        demand[i] = float(level.iloc[i]) * curve
    season = seasonality[np.asarray(months.month) - 1]
    demand *= season[None, :]
    factors, binds = _ceiling(rng, demand.sum(axis=0), months)
    means = demand * factors[None, :]

    # A shared month shock: AR(1) in logs, mean one.
    shock_sd = rng.uniform(0.05, 0.2)
    innovations = rng.normal(0.0, shock_sd, total)
    log_shock = np.zeros(total)
    for t in range(total):
        log_shock[t] = (0.5 * log_shock[t - 1] if t else 0.0) + innovations[t]
    stationary_var = shock_sd**2 / (1 - 0.25)
    shock = np.exp(log_shock - stationary_var / 2)
    k = truth["dispersion"].to_numpy()[:, None]
    intensity = means * shock[None, :] * rng.gamma(np.broadcast_to(k, means.shape), 1.0 / k)
    counts = rng.poisson(intensity).astype(np.int64)

    keys = [f"g{index + 1:02d}" for index in range(n_groups)]
    planned = [first + int(offset) for offset in truth["planned_offset"]]
    status: list[Status] = []
    for i in range(n_groups):
        started = not math.isnan(float(actual.iloc[i])) and float(actual.iloc[i]) <= n_months - 1
        status.append(
            "live" if started else "onboarding" if planned[i] <= as_of + 12 else "planned"
        )
    groups = GroupRegistry(
        [
            PatientGroup(
                key=key,
                name_da=f"Gruppe {i + 1}",
                name_en=f"Group {i + 1}",
                kind="cancer" if truth["kind"].iloc[i] == "cancer" else "germline",
                declared_per_year=float(truth["declared_per_year"].iloc[i]),
                go_live=planned[i],
                planned_go_live=planned[i],
                status=status[i],
            )
            for i, key in enumerate(keys)
        ]
    )

    begin = [None if math.isnan(float(a)) or a > total - 1 else int(a) for a in actual.to_numpy()]
    frames = [
        pd.DataFrame({"group": key, "month": months[b:], "ge": counts[i, b:]})
        for i, (key, b) in enumerate(zip(keys, begin, strict=True))
        if b is not None
    ]
    long = pd.concat(frames, ignore_index=True)
    long["month"] = pd.PeriodIndex(long["month"], freq="M")
    long["ge"] = long["ge"].astype(np.int64)
    actuals = long[long["month"] <= as_of].reset_index(drop=True)
    future = long[long["month"] > as_of].reset_index(drop=True)

    go_live = pd.PeriodIndex([pd.NaT if b is None else months[b] for b in begin], dtype="period[M]")
    truth = truth.assign(
        group=keys,
        planned_go_live=pd.PeriodIndex(planned, freq="M"),
        go_live=go_live,
        started_in_horizon=[b is not None for b in begin],
        level_per_month=level,
        above_cap=truth["realised_share"] > PROGRAMME_CAP_SHARE,
        months_observed=[0 if b is None else max(n_months - b, 0) for b in begin],
    )
    columns = [
        "group",
        "declared_per_year",
        "planned_go_live",
        "go_live",
        "slip_months",
        "started_in_horizon",
        "realised_share",
        "level_per_month",
        "above_cap",
        "shape",
        "ramp_months",
        "start_fraction",
        "growth_per_year",
        "stall_fraction",
        "stall_after",
        "stall_months",
        "climb_months",
        "step_fraction",
        "step_month",
        "drop_month",
        "drop_factor",
        "dispersion",
        "months_observed",
    ]

    observed = float(counts[:, :n_months].sum())
    fraction = rng.uniform(*TARGET_FRACTION)
    if target_ge is None:
        expected_end = float(means.sum())
        wanted = observed + fraction * max(expected_end - observed, 0.0)
        target_ge = max(int(round(wanted, -2)), int(observed) + 100)
    if deadline_offset is None:
        deadline = as_of + max(horizon // 2, 1)
    else:
        deadline = deadline_around_target(
            counts, months, target_ge, deadline_offset, as_of, horizon
        )
    assumptions = Assumptions(
        as_of=as_of,
        horizon_months=horizon,
        label=f"simulated shortfall programme (seed {seed})",
        programme=Programme(
            name_da="Simuleret program (underskud)",
            name_en="Simulated programme (shortfall)",
            target_ge=target_ge,
            deadline=deadline,
        ),
    )
    return SimulatedProgramme(
        actuals=actuals,
        groups=groups,
        truth=truth[columns],
        future=future,
        assumptions=assumptions,
        seasonality=pd.Series(seasonality, index=pd.RangeIndex(1, 13, name="month")),
        shocks=binds.reset_index(drop=True),
    )


__all__ = ["GROWTH_SHAPES", "growth_curve", "simulate_shortfall_programme"]
