"""Synthetic programmes with known truth, for testing and benchmarking the engines.

A simulated programme has patient groups with declared volumes and staggered go-lives;
each group ramps up (fast, slow, delayed or stalled) toward a plateau at or below the cap,
with negative-binomial noise, July and December dips and, now and then, a capacity shock
that hits every group for a few months. Because the parameters are known, tests can score
fitted plateaus and forecasts against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
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
)
from wgsforecast.periods import month_range, parse_month

RAMP_SHAPES: dict[str, float] = {"fast": 0.35, "slow": 0.25, "delayed": 0.2, "stalled": 0.2}
"""Ramp shapes and how often each occurs."""

_AT_CAP_PROBABILITY = 0.15


@dataclass(frozen=True)
class SimulatedProgramme:
    """A synthetic programme and the truth behind it.

    Attributes
    ----------
    actuals
        Observed monthly GE, long (``group``, ``month`` Period[M], ``ge`` int64), one row
        per group and month from the group's go-live to the as-of month.
    groups
        The patient groups (declared volumes, go-lives, 75% caps).
    truth
        One row per group: ``group``, ``declared_per_year``, ``go_live``, ``shape``
        (fast/slow/delayed/stalled), ``ramp_form`` (logistic/gompertz), ``plateau_share``
        (of the declared volume), ``plateau_per_month`` (the level of an ordinary month,
        before dips and shocks), ``midpoint`` and ``width`` of the ramp in months since
        go-live, ``dispersion`` (negative-binomial size) and ``months_observed``.
    future
        The true future counts after the as-of month, in the format of ``actuals``.
    assumptions
        As-of month (the last observed month), horizon, and a target that the programme
        reaches somewhere inside the horizon, with a deadline (see ``deadline_offset``).
    seasonality
        The month-of-year factors (index 1-12).
    shocks
        Capacity shocks: ``month`` and ``factor`` (applied to every group), maybe empty.
    """

    actuals: pd.DataFrame
    groups: GroupRegistry
    truth: pd.DataFrame
    future: pd.DataFrame
    assumptions: Assumptions
    seasonality: pd.Series
    shocks: pd.DataFrame


def ramp_curve(
    months_since_go_live: npt.NDArray[np.float64], midpoint: float, width: float, form: str
) -> npt.NDArray[np.float64]:
    """The share of the plateau reached, evaluated at the middle of each month.

    ``logistic`` is symmetric around ``midpoint``; ``gompertz`` (also 0.5 at ``midpoint``)
    rises fast and approaches the plateau slowly. Months before go-live give 0.
    """
    u = months_since_go_live + 0.5
    scaled = (u - midpoint) / width
    if form == "logistic":
        curve = 1.0 / (1.0 + np.exp(-scaled))
    elif form == "gompertz":
        curve = np.exp(-np.log(2.0) * np.exp(-scaled))
    else:
        raise ValueError(f"ramp form must be 'logistic' or 'gompertz'; got {form!r}")
    result: npt.NDArray[np.float64] = np.where(months_since_go_live >= 0, curve, 0.0)
    return result


def _draw_truth(rng: np.random.Generator, n_groups: int, first_go_live_after: int) -> pd.DataFrame:
    names = list(RAMP_SHAPES)
    shape = rng.choice(names, size=n_groups, p=list(RAMP_SHAPES.values()))
    declared = np.round(np.exp(rng.uniform(np.log(300), np.log(10_000), n_groups)), -1)
    go_live = rng.integers(0, first_go_live_after, n_groups)
    go_live[0] = 0
    # Every parameter is drawn for every group, so one group's shape never shifts the
    # random numbers of the others.
    uniforms = rng.uniform(size=(n_groups, 4))
    at_cap = rng.uniform(size=n_groups) < _AT_CAP_PROBABILITY
    dispersion = np.exp(rng.uniform(np.log(15), np.log(200), n_groups))
    ranges = {  # midpoint, width, share ranges per shape
        "fast": ((1, 4), (0.7, 1.5), (0.35, PROGRAMME_CAP_SHARE)),
        "slow": ((6, 12), (2.5, 4.0), (0.35, PROGRAMME_CAP_SHARE)),
        "delayed": ((8, 14), (0.8, 1.5), (0.35, PROGRAMME_CAP_SHARE)),
        "stalled": ((1, 5), (0.8, 2.0), (0.08, 0.3)),
    }
    rows = []
    for index in range(n_groups):
        (m_lo, m_hi), (w_lo, w_hi), (s_lo, s_hi) = ranges[str(shape[index])]
        u = uniforms[index]
        share = s_lo + (s_hi - s_lo) * u[2]
        if at_cap[index] and shape[index] != "stalled":
            share = PROGRAMME_CAP_SHARE
        rows.append(
            {
                "shape": str(shape[index]),
                "ramp_form": "gompertz" if shape[index] == "slow" else "logistic",
                "declared_per_year": float(declared[index]),
                "go_live_offset": int(go_live[index]),
                "plateau_share": float(share),
                "midpoint": m_lo + (m_hi - m_lo) * u[0],
                "width": w_lo + (w_hi - w_lo) * u[1],
                "dispersion": float(dispersion[index]),
            }
        )
    return pd.DataFrame.from_records(rows)


def check_simulation_arguments(
    n_groups: int, n_months: int, horizon: int, deadline_offset: int | None
) -> None:
    """Refuse sizes below one and a deadline offset that is not a whole number of months.

    Shared by every generator of synthetic programmes (their worlds differ, their
    arguments do not).
    """
    if n_groups < 1 or n_months < 1 or horizon < 1:
        raise ValueError(
            f"n_groups, n_months and horizon must be at least 1; "
            f"got {n_groups}, {n_months}, {horizon}"
        )
    if deadline_offset is not None and (
        isinstance(deadline_offset, bool) or not isinstance(deadline_offset, int | np.integer)
    ):
        raise ValueError(
            f"deadline_offset must be a whole number of months or None; got {deadline_offset!r}"
        )


def simulate_programme(
    seed: int,
    n_groups: int = 17,
    n_months: int = 36,
    horizon: int = 36,
    start: Any = "2020-10",
    shock_probability: float = 0.3,
    target_ge: int | None = None,
    deadline_offset: int | None = None,
) -> SimulatedProgramme:
    """Simulate a programme with known truth.

    Parameters
    ----------
    seed
        Seed of every random draw; the same seed gives an identical programme.
    n_groups
        Number of patient groups.
    n_months
        Observed months, from ``start`` to the as-of month.
    horizon
        Months after the as-of month whose true counts are returned in ``future``.
    start
        The first month (the first group goes live then).
    shock_probability
        Chance that the programme has one capacity shock (all groups at 50-80% for one
        to three months) somewhere in the observed or future months.
    target_ge
        The programme's target; by default the expected cumulative total two thirds into
        the horizon, rounded to thousands, so the target is reached inside the horizon.
    deadline_offset
        Where the deadline lies. ``None`` (default): half-way into the horizon, which the
        default target is usually not reached by. An integer: that many months after the
        month the simulated truth first reaches the target (negative: before it), so the
        truth meets the deadline exactly when ``deadline_offset >= 0``. The deadline is kept
        inside the horizon (first to last future month); if the truth never reaches the
        target, it is the last month of the horizon. Benchmarks draw the offset at random
        on both sides of zero, so a Brier score of the deadline can tell engines apart.

    Returns
    -------
    SimulatedProgramme
        Actuals, groups, truth, future counts and assumptions.

    Examples
    --------
    >>> sim = simulate_programme(seed=1, n_groups=5)
    >>> sorted(sim.actuals.columns)
    ['ge', 'group', 'month']
    >>> bool((sim.actuals["ge"] >= 0).all())
    True
    """
    check_simulation_arguments(n_groups, n_months, horizon, deadline_offset)
    rng = np.random.default_rng(seed)
    first = parse_month(start)
    as_of = first + (n_months - 1)
    total = n_months + horizon
    months = month_range(first, first + (total - 1))
    # Go-lives run a few months past the as-of month, so some groups are not live yet.
    truth = _draw_truth(rng, n_groups, first_go_live_after=n_months + 6)
    seasonality = np.ones(12)
    seasonality[6] = rng.uniform(0.7, 0.9)  # July: summer holidays
    seasonality[11] = rng.uniform(0.75, 0.92)  # December: Christmas
    shock = np.ones(total)
    shock_rows: list[dict[str, Any]] = []
    if rng.uniform() < shock_probability:
        begin = int(rng.integers(0, total))
        length = int(rng.integers(1, 4))
        factor = float(rng.uniform(0.5, 0.8))
        shock[begin : begin + length] = factor
        shock_rows = [
            {"month": months[i], "factor": factor} for i in range(begin, min(begin + length, total))
        ]
    month_of_year = np.asarray(months.month) - 1
    means = np.zeros((n_groups, total))
    offsets = truth["go_live_offset"].to_numpy(dtype=np.int64)
    midpoints = truth["midpoint"].to_numpy(dtype=np.float64)
    widths = truth["width"].to_numpy(dtype=np.float64)
    forms = [str(form) for form in truth["ramp_form"]]
    levels = (truth["plateau_share"] * truth["declared_per_year"] / 12).to_numpy(np.float64)
    for index in range(n_groups):
        since = np.arange(total, dtype=np.float64) - offsets[index]
        curve = ramp_curve(since, float(midpoints[index]), float(widths[index]), forms[index])
        means[index] = levels[index] * curve * seasonality[month_of_year] * shock
    sizes = truth["dispersion"].to_numpy()[:, None]
    counts = np.zeros((n_groups, total), dtype=np.int64)
    positive = means > 0
    draws = rng.negative_binomial(
        np.broadcast_to(sizes, means.shape), sizes / (sizes + np.maximum(means, 1e-12))
    )
    counts[positive] = draws[positive]

    keys = [f"g{index + 1:02d}" for index in range(n_groups)]
    go_lives = [first + int(offset) for offset in truth["go_live_offset"]]
    groups = GroupRegistry(
        [
            PatientGroup(
                key=key,
                name_da=f"Gruppe {index + 1}",
                name_en=f"Group {index + 1}",
                kind="germline" if index % 3 else "cancer",
                declared_per_year=float(truth["declared_per_year"].iloc[index]),
                go_live=go_live,
                planned_go_live=go_live,  # this world's go-lives come as planned
                status="live" if go_live <= as_of else "onboarding",
            )
            for index, (key, go_live) in enumerate(zip(keys, go_lives, strict=True))
        ]
    )
    long = _long_frame(counts, keys, months, truth["go_live_offset"].to_numpy())
    actuals = long[long["month"] <= as_of].reset_index(drop=True)
    future = long[long["month"] > as_of].reset_index(drop=True)

    truth = truth.assign(
        group=keys,
        go_live=pd.PeriodIndex(go_lives, freq="M"),
        plateau_per_month=truth["plateau_share"] * truth["declared_per_year"] / 12,
        months_observed=np.maximum(n_months - truth["go_live_offset"], 0),
    )
    columns = [
        "group",
        "declared_per_year",
        "go_live",
        "shape",
        "ramp_form",
        "plateau_share",
        "plateau_per_month",
        "midpoint",
        "width",
        "dispersion",
        "months_observed",
    ]
    if target_ge is None:
        expected_total = means[:, : n_months + (2 * horizon) // 3].sum()
        target_ge = max(int(round(expected_total, -3)), 1000)
    if deadline_offset is None:
        deadline = as_of + max(horizon // 2, 1)
    else:
        deadline = deadline_around_target(
            counts, months, target_ge, deadline_offset, as_of, horizon
        )
    programme = Programme(
        name_da="Simuleret program",
        name_en="Simulated programme",
        target_ge=target_ge,
        deadline=deadline,
    )
    assumptions = Assumptions(
        as_of=as_of,
        horizon_months=horizon,
        label=f"simulated programme (seed {seed})",
        programme=programme,
    )
    return SimulatedProgramme(
        actuals=actuals,
        groups=groups,
        truth=truth[columns],
        future=future,
        assumptions=assumptions,
        seasonality=pd.Series(seasonality, index=pd.RangeIndex(1, 13, name="month")),
        shocks=pd.DataFrame(shock_rows, columns=["month", "factor"]),
    )


def deadline_around_target(
    counts: npt.NDArray[np.int64],
    months: pd.PeriodIndex,
    target_ge: int,
    offset: int,
    as_of: pd.Period,
    horizon: int,
) -> pd.Period:
    """The month the true cumulative total reaches the target, plus ``offset``, in the horizon."""
    cumulative = counts.sum(axis=0).cumsum()
    reached = np.flatnonzero(cumulative >= target_ge)
    last = as_of + horizon
    if reached.size == 0:
        return last
    month: pd.Period = months[int(reached[0])] + int(offset)
    return min(max(month, as_of + 1), last)


def _long_frame(
    counts: npt.NDArray[np.int64],
    keys: list[str],
    months: pd.PeriodIndex,
    go_live_offset: npt.NDArray[np.int64],
) -> pd.DataFrame:
    """One row per group and month from the group's go-live on."""
    frames = []
    for index, key in enumerate(keys):
        begin = int(go_live_offset[index])
        frames.append(
            pd.DataFrame(
                {
                    "group": key,
                    "month": months[begin:],
                    "ge": counts[index, begin:].astype(np.int64),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    return frame
