"""Forecast from a sparse national series: cumulative totals published at irregular dates.

Some programmes publish only a national running total now and then (press releases, annual
reports). :func:`read_national` reads and validates such a series (``date``,
``cumulative``); :func:`fit_national` fits a national growth curve to it and says when a
target is reached, with an interval.

The curve
---------
The monthly rate is assumed to ramp up along a logistic curve to a plateau ``L`` (GE per
month), the shape of a programme that onboards and then runs at capacity. The cumulative
total is its integral, a scaled softplus::

    C(t) = (L / r) * log(1 + exp(r * (t - t0)))

with ``r`` the ramp speed (per month) and ``t0`` the month the rate reaches half its plateau.
Unlike a logistic curve fitted to the *cumulative* total, this never stops growing, which is
right for a programme that keeps sequencing until its target is met. The three parameters
are fitted by least squares on ``sqrt(C)`` (the variance-stabilising scale of counts): the
later, larger totals, which say most about the current rate, weigh more than on a log scale
without letting the last point decide alone.

Tied to the data, projected from the recent pace
------------------------------------------------
The fitted curve only supplies a *shape*. Up to the last published total, every curve
reported (the best fit and each bootstrap draw) runs through the published totals, the shape
deciding only how the total climbs between two of them, so no curve is ever below a total
after that total's date. After the last point each curve starts from the last published total
and grows by ``scale`` times the shape's own growth since then, where ``scale`` is the
published increase over the recent window (from the latest total at least
:data:`RECENT_MONTHS` before the last one) divided by the shape's increase over the same
window. A programme whose recent pace differs from its early pace is so projected at its
recent pace; the shape says only how that pace changes from there. With three points the
curve passes through all of them and ``scale`` is 1.

On 20 simulated programmes seen at six irregular dates (the test in
``tests/test_national.py``, extended to 20 seeds) the median miss of the target month was 8.5
months (mean 11.4, leaning late by 7.9 on average) and 14 of 20 80% intervals held the true
month; the same curve without the tie to the data and the recent pace missed by a median 7.5
(mean 10.7) and held 13 of 20.

Known weaknesses: one smooth curve cannot foresee patient groups that go live, or capacity
that is added, after the last published total, so forecasts of the target date lean late
when more is coming; and the shape never slows down (the monthly rate only ramps up), so for a
programme that has slowed down the recent pace sets the level but the shape still adds some
ramp-up.

Uncertainty
-----------
A parametric bootstrap: new totals are drawn around the fitted curve with the relative
residual scatter, measured on the log scale and at least :data:`MIN_LOG_SCATTER` (published
totals are rounded, and a perfect fit of a few points does not mean a certain future). The
scatter is estimated from ``n - 3`` residuals plus :data:`PRIOR_SCATTER_DOF` pseudo-residuals
at the floor, and each draw takes its own scatter from that estimate's uncertainty, so fewer
points give wider intervals. The curve is refitted to each draw, the draw's recent pace is
measured the same way as the data's, and the target date is read off every draw's curve.

Too few points
--------------
Three dated totals are the fewest accepted, one per parameter; a zero total counts as the
launch (the last zero before the first total above zero; earlier zeros are dropped). Three
points give a curve and an interval, a wide one: nothing measures the scatter, and three
points leave the plateau and ramp speed loosely tied. With fewer, :func:`fit_national` raises
:class:`SparseDataError` and says what to add (another published total, or the launch date
with a total of 0). Genomics England's 6,000 genomes in December 2015 and 50,000 in March
2018 alone are such a case; with the launch (December 2012, 0) they fit. See
``benchmarks/national_gel.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.exceptions import InputError, Problem, WgsForecastError
from wgsforecast.target_reach import TargetReach

FloatArray = npt.NDArray[np.float64]

MIN_POINTS = 3
"""Fewest usable dated totals :func:`fit_national` accepts (one per curve parameter)."""
MIN_LOG_SCATTER = 0.05
"""Floor of the residual scatter on the log scale (about 5%): published totals are rounded."""
MAX_LOG_SCATTER = 1.0
"""Ceiling of one bootstrap draw's scatter on the log scale (a factor of about 2.7)."""
PRIOR_SCATTER_DOF = 2.0
"""Weight of the floor in the scatter estimate, in pseudo-residuals."""
RECENT_MONTHS = 12.0
"""The recent window sets the pace of the projection: from the latest published total at
least this many months before the last one (a year, so months with less activity such as
summer holidays do not set the pace)."""
DAYS_PER_MONTH = 365.25 / 12
MAX_HORIZON_MONTHS = 240
"""A target not reached within this many months after the last point counts as never."""

_DANISH_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_MONTH_ONLY = re.compile(r"^(\d{4})-(\d{1,2})$")


class SparseDataError(WgsForecastError, ValueError):
    """Too few dated totals to fit a national curve."""


# --------------------------------------------------------------------------- reading


def read_national(
    source: str | Path | pd.DataFrame,
    date_col: str = "date",
    cumulative_col: str = "cumulative",
) -> pd.DataFrame:
    """Read and validate a national series of dated cumulative totals.

    Parameters
    ----------
    source
        A CSV or ``.xlsx`` file with a header row, or a frame. Dates may be ISO
        (``2018-03-31``), Danish (``31-03-2018``, day first), a month (``2018-03``, meaning
        its last day) or Excel dates; totals may use Danish number formatting.
    date_col, cumulative_col
        Names of the two columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (Timestamp) and ``cumulative`` (float), sorted by date.

    Raises
    ------
    InputError
        Listing every bad row at once: unparsable dates or totals, negative totals, repeated
        dates, and totals that fall from one date to the next.

    Examples
    --------
    >>> frame = pd.DataFrame({"date": ["2015-12-31", "2018-03-31"],
    ...                       "cumulative": [6000, 50000]})
    >>> read_national(frame)["cumulative"].tolist()
    [6000.0, 50000.0]
    """
    if isinstance(source, pd.DataFrame):
        name = "the national series"
        header = [str(c) for c in source.columns]
        rows = [
            (number + 2, tuple(values))
            for number, values in enumerate(source.itertuples(index=False, name=None))
        ]
        danish: bool | None = False
    else:
        from wgsforecast._tabular import read_table

        path = Path(source)
        name = str(path)
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist; check the path")
        table = read_table(path)
        header = list(table.header)
        rows = [(row.number, tuple(row.cells)) for row in table.rows]
        danish = table.danish
    folded = [h.strip().lower() for h in header]
    missing = [c for c in (date_col, cumulative_col) if c.lower() not in folded]
    if missing:
        raise InputError(
            name,
            [
                Problem(
                    f"no column named {c!r}; the file needs the columns "
                    f"{date_col!r} and {cumulative_col!r} (found: {', '.join(header)})"
                )
                for c in missing
            ],
        )
    date_at, total_at = folded.index(date_col.lower()), folded.index(cumulative_col.lower())
    problems: list[Problem] = []
    records: list[tuple[int, pd.Timestamp, float]] = []
    for number, cells in rows:
        try:
            when = _parse_date(cells[date_at])
        except ValueError as error:
            problems.append(Problem(str(error), number, header[date_at]))
            continue
        try:
            total = _parse_total(cells[total_at], danish)
        except ValueError as error:
            problems.append(Problem(str(error), number, header[total_at]))
            continue
        records.append((number, when, total))
    records.sort(key=lambda record: record[1])
    for (row_a, date_a, total_a), (row_b, date_b, total_b) in itertools.pairwise(records):
        if date_a == date_b:
            problems.append(
                Problem(
                    f"date {date_b.date()} also appears in row {row_a}; keep one total per date",
                    row_b,
                    header[date_at],
                )
            )
        elif total_b < total_a:
            problems.append(
                Problem(
                    f"the total falls from {total_a:g} on {date_a.date()} (row {row_a}) to "
                    f"{total_b:g} on {date_b.date()}; a cumulative total never falls, so "
                    "correct one of the two",
                    row_b,
                    header[total_at],
                )
            )
    if problems:
        raise InputError(name, sorted(problems, key=lambda p: p.row or 0))
    if not records:
        raise InputError(name, [Problem("no data rows; add one row per published total")])
    return pd.DataFrame(
        {
            "date": pd.DatetimeIndex([r[1] for r in records]),
            "cumulative": np.array([r[2] for r in records], dtype=np.float64),
        }
    )


def _parse_date(value: Any) -> pd.Timestamp:
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date) and not pd.isna(value):
        return pd.Timestamp(value).normalize()
    if isinstance(value, pd.Period):
        return value.asfreq("M").end_time.normalize()
    if isinstance(value, str):
        text = value.strip()
        if match := _DANISH_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            try:
                return pd.Timestamp(year=year, month=month, day=day)
            except ValueError:
                pass
        elif match := _MONTH_ONLY.match(text):
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12:
                return pd.Period(year=year, month=month, freq="M").end_time.normalize()
        else:
            try:
                return pd.Timestamp(text).normalize()
            except ValueError:
                pass
    raise ValueError(
        f"{value!r} is not a date; write it as 2018-03-31, 31-03-2018 or 2018-03 (month end)"
    )


def _parse_total(value: Any, danish: bool | None) -> float:
    from wgsforecast._tabular import guess_danish, parse_decimal

    if isinstance(value, bool) or value is None or (isinstance(value, float) and np.isnan(value)):
        raise ValueError(f"{value!r} is not a total; write a number such as 50000")
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    elif isinstance(value, str):
        style = guess_danish([value]) if danish is None else danish
        number = float(parse_decimal(value, style))
    else:
        raise ValueError(f"{value!r} is not a total; write a number such as 50000")
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"{value!r} is negative or not finite; a cumulative total is 0 or more")
    return number


# --------------------------------------------------------------------------- the curve


def softplus_cumulative(t: FloatArray, plateau: float, rate: float, midpoint: float) -> FloatArray:
    """The cumulative total ``(L / r) log(1 + exp(r (t - t0)))`` at months ``t``."""
    x = rate * (np.asarray(t, dtype=np.float64) - midpoint)
    result: FloatArray = plateau / rate * np.logaddexp(0.0, x)
    return result


def _softplus_rows(t: FloatArray, theta: FloatArray) -> FloatArray:
    """Curves ``theta = [log L, log r, t0]`` (rows) at months ``t``: shape ``[row, len(t)]``."""
    plateau, rate = np.exp(theta[:, :1]), np.exp(theta[:, 1:2])
    x = rate * (np.asarray(t, dtype=np.float64)[None, :] - theta[:, 2:3])
    result: FloatArray = plateau / rate * np.logaddexp(0.0, x)
    return result


def _time_to_reach(total: float | FloatArray, theta: FloatArray) -> FloatArray:
    """Month at which each curve ``theta = [log L, log r, t0]`` (rows) reaches ``total``.

    ``total`` is one value or one per row; ``inf`` where it is ``inf``.
    """
    plateau, rate, midpoint = np.exp(theta[:, 0]), np.exp(theta[:, 1]), theta[:, 2]
    x = np.asarray(total, dtype=np.float64) * rate / plateau
    # log(expm1(x)) loses nothing for small x and overflows for large x, where it equals x.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        inverse = np.where(x > 30, x, np.log(np.expm1(np.minimum(x, 30))))
    result: FloatArray = midpoint + inverse / rate
    return result


def _fit_theta(
    t: FloatArray, log_y: FloatArray, starts: Sequence[FloatArray], max_evaluations: int = 200
) -> FloatArray:
    from scipy.optimize import least_squares

    span = float(t[-1] - t[0]) or 1.0
    top = float(np.expm1(log_y.max()))
    lower = [np.log(max(top, 1.0) / 1e5), np.log(0.01), t[0] - 5 * span - 24]
    upper = [np.log(max(top, 1.0) * 10), np.log(3.0), t[-1] + 5 * span + 24]
    observed_root = np.sqrt(np.maximum(np.expm1(log_y), 0.0))

    def residuals(theta: FloatArray) -> FloatArray:
        fitted = softplus_cumulative(t, np.exp(theta[0]), np.exp(theta[1]), theta[2])
        result: FloatArray = np.sqrt(fitted) - observed_root
        return result

    def jacobian(theta: FloatArray) -> FloatArray:
        # Analytic derivatives of sqrt(C) in (log L, log r, t0): exact and far cheaper than
        # finite differences, which stall on the flat ridge that three points leave.
        plateau, rate, midpoint = np.exp(theta[0]), np.exp(theta[1]), theta[2]
        x = rate * (t - midpoint)
        fitted = plateau / rate * np.logaddexp(0.0, x)
        sigmoid = 0.5 * (1.0 + np.tanh(0.5 * x))
        d_fitted = np.column_stack(
            [fitted, plateau * sigmoid * (t - midpoint) - fitted, -plateau * sigmoid]
        )
        result: FloatArray = d_fitted / (2.0 * np.sqrt(np.maximum(fitted, 1e-300)))[:, None]
        return result

    best: FloatArray | None = None
    best_cost = np.inf
    for start in starts:
        x0 = np.clip(start, np.add(lower, 1e-9), np.subtract(upper, 1e-9))
        solution = least_squares(
            residuals,
            x0,
            jac=jacobian,
            bounds=(lower, upper),
            method="trf",
            max_nfev=max_evaluations,
        )
        if solution.cost < best_cost:
            best, best_cost = np.asarray(solution.x, dtype=np.float64), float(solution.cost)
    assert best is not None
    return best


def _starting_points(t: FloatArray, y: FloatArray) -> list[FloatArray]:
    slopes = np.diff(y) / np.maximum(np.diff(t), 1e-9)
    plateau = max(float(slopes.max()), 1.0)
    starts = []
    for rate in (0.05, 0.2, 0.8):
        for plateau_factor in (1.0, 3.0):
            starts.append(np.array([np.log(plateau * plateau_factor), np.log(rate), t[-1]]))
    return starts


def _recent_start(t: FloatArray) -> int:
    """Index of the first point of the recent window: the latest point at least
    :data:`RECENT_MONTHS` before the last one (the first point if none is). Half a month of
    slack lets month-end dates a calendar year apart count as twelve months."""
    early_enough = np.flatnonzero(t[-1] - t[:-1] >= RECENT_MONTHS - 0.5)
    return int(early_enough[-1]) if early_enough.size else 0


def _pace_ratio(observed_increment: FloatArray, curve_increment: FloatArray) -> FloatArray:
    """Observed over fitted increment of the recent window; 1 where the curve has none."""
    curve = np.asarray(curve_increment, dtype=np.float64)
    safe = np.where(curve > 0, curve, 1.0)
    result: FloatArray = np.where(curve > 0, np.maximum(observed_increment, 0.0) / safe, 1.0)
    return result


def _anchored(
    t: FloatArray, theta: FloatArray, scale: FloatArray, t_obs: FloatArray, y_obs: FloatArray
) -> FloatArray:
    """Cumulative totals at months ``t`` for each curve (rows of ``theta``), tied to the data.

    Up to the last point each curve only shapes the path between two observed totals, so it
    passes through every one of them; after the last point it is the last observed total plus
    ``scale`` times the curve's own growth since then. Shape ``[row, len(t)]``.
    """
    t = np.asarray(t, dtype=np.float64)
    curve = _softplus_rows(t, theta)
    at_obs = _softplus_rows(t_obs, theta)
    result = np.empty_like(curve)
    segment = np.searchsorted(t_obs, t, side="right")
    n = len(t_obs)
    for column, i in enumerate(segment):
        if i == 0:
            base = at_obs[:, 0]
            ratio = np.divide(curve[:, column], base, out=np.ones_like(base), where=base > 0)
            result[:, column] = y_obs[0] * np.minimum(ratio, 1.0)
        elif i == n:
            result[:, column] = y_obs[-1] + scale * (curve[:, column] - at_obs[:, -1])
        else:
            low, high = at_obs[:, i - 1], at_obs[:, i]
            linear = (t[column] - t_obs[i - 1]) / (t_obs[i] - t_obs[i - 1])
            width = high - low
            shaped = np.divide(
                curve[:, column] - low, width, out=np.full_like(low, linear), where=width > 0
            )
            share = np.clip(shaped, 0.0, 1.0)
            result[:, column] = y_obs[i - 1] + share * (y_obs[i] - y_obs[i - 1])
    return result


def _reach(
    target: float, theta: FloatArray, scale: FloatArray, t_obs: FloatArray, y_obs: FloatArray
) -> FloatArray:
    """Month at which each anchored curve (see :func:`_anchored`) reaches ``target``."""
    at_obs = _softplus_rows(t_obs, theta)
    if target > y_obs[-1]:
        with np.errstate(divide="ignore"):
            extra = np.where(scale > 0, (target - y_obs[-1]) / np.maximum(scale, 1e-300), np.inf)
        months = _time_to_reach(at_obs[:, -1] + extra, theta)
        return np.where(np.isfinite(extra), np.maximum(months, t_obs[-1]), np.inf)
    i = int(np.argmax(y_obs >= target))
    if i == 0:
        if y_obs[0] <= 0 or target <= 0:
            return np.full(len(theta), t_obs[0])
        before: FloatArray = np.minimum(
            _time_to_reach(target / y_obs[0] * at_obs[:, 0], theta), t_obs[0]
        )
        return before
    share = (target - y_obs[i - 1]) / (y_obs[i] - y_obs[i - 1])
    need = at_obs[:, i - 1] + share * (at_obs[:, i] - at_obs[:, i - 1])
    months = _time_to_reach(need, theta)
    linear = t_obs[i - 1] + share * (t_obs[i] - t_obs[i - 1])
    months = np.where(np.isfinite(months), months, linear)
    result: FloatArray = np.clip(months, t_obs[i - 1], t_obs[i])
    return result


@dataclass(frozen=True)
class NationalFit:
    """A national growth curve fitted to dated cumulative totals, with bootstrap draws.

    Every curve it reports (the best fit and each bootstrap draw) passes through the observed
    totals and, after the last one, starts from the last observed total and grows at the
    recent pace (see :mod:`wgsforecast.national`).

    Attributes
    ----------
    points
        The validated series (``date``, ``cumulative``) the curve was fitted to.
    theta
        Best-fit shape ``[log plateau, log rate, midpoint]``; the midpoint in months after the
        first point.
    draws
        Bootstrap refits of the shape, shape ``[draw, 3]``.
    scatter
        Residual scatter on the log scale (point estimate) used for the bootstrap.
    scale
        Recent-pace factor of the best fit: the observed increase over the recent window
        divided by the increase of the fitted shape over the same window. The projection
        after the last point is ``scale`` times the shape's growth.
    draw_scales
        The recent-pace factor of each bootstrap draw, shape ``[draw]`` (``None``: all
        ``scale``).
    """

    points: pd.DataFrame
    theta: FloatArray
    draws: FloatArray
    scatter: float
    scale: float = 1.0
    draw_scales: FloatArray | None = None

    @property
    def start(self) -> pd.Timestamp:
        """The date of the first point (month 0 of the curve)."""
        first: pd.Timestamp = self.points["date"].iloc[0]
        return first

    @property
    def plateau_per_month(self) -> float:
        """Plateau of the projected monthly rate (GE or genomes per month).

        The fitted shape's plateau times :attr:`scale`; the same as the fitted plateau when
        the shape matches the recent pace.
        """
        return float(self.scale * np.exp(self.theta[0]))

    @property
    def recent_pace(self) -> float:
        """Observed increase per month over the recent window (the last
        :data:`RECENT_MONTHS` months or more, back to a published total)."""
        t, y = self._observed()
        first = _recent_start(t)
        return float((y[-1] - y[first]) / max(t[-1] - t[first], 1e-9))

    def _observed(self) -> tuple[FloatArray, FloatArray]:
        t = self._months(self.points["date"])
        y = self.points["cumulative"].to_numpy(dtype=np.float64)
        return t, y

    def _scales(self) -> FloatArray:
        if self.draw_scales is None:
            return np.full(len(self.draws), self.scale)
        return np.asarray(self.draw_scales, dtype=np.float64)

    def _months(self, dates: Any) -> FloatArray:
        index = pd.DatetimeIndex(pd.to_datetime(dates))
        days = (index - self.start) / pd.Timedelta(days=1)
        return np.asarray(days, dtype=np.float64) / DAYS_PER_MONTH

    def _date(self, months: float) -> pd.Timestamp:
        return (self.start + pd.Timedelta(days=months * DAYS_PER_MONTH)).normalize()

    def curves(self, dates: Any) -> FloatArray:
        """Every bootstrap curve at ``dates``, shape ``[draw, date]``.

        Each passes through the observed totals and is never below an observed total after
        that total's date.
        """
        t_obs, y_obs = self._observed()
        return _anchored(self._months(dates), self.draws, self._scales(), t_obs, y_obs)

    def cumulative(self, dates: Any, quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """The cumulative total at ``dates``: best fit and bootstrap quantiles.

        Returns
        -------
        pandas.DataFrame
            Columns ``date``, ``fit`` and ``p10``, ``p50``, ... per quantile. Up to the last
            point every column passes through the observed totals.
        """
        t_obs, y_obs = self._observed()
        t = self._months(dates)
        fit = _anchored(t, self.theta[None, :], np.array([self.scale]), t_obs, y_obs)[0]
        curves = self.curves(dates)
        frame = pd.DataFrame({"date": pd.DatetimeIndex(pd.to_datetime(dates)), "fit": fit})
        for q, row in zip(quantiles, np.quantile(curves, list(quantiles), axis=0), strict=True):
            frame[f"p{100 * q:g}"] = row
        return frame

    def target_dates(self, target: float) -> FloatArray:
        """Months after the first point at which each bootstrap curve reaches ``target``.

        ``inf`` where a curve does not reach it within :data:`MAX_HORIZON_MONTHS` of the last
        point.
        """
        t_obs, y_obs = self._observed()
        months = _reach(target, self.draws, self._scales(), t_obs, y_obs)
        limit = float(t_obs[-1]) + MAX_HORIZON_MONTHS
        result: FloatArray = np.where(np.isfinite(months) & (months <= limit), months, np.inf)
        return result

    def target_reach(self, target: float) -> TargetReach:
        """When each bootstrap curve reaches ``target`` (:meth:`target_dates`), as the
        target-date view a :class:`~wgsforecast.prognosis.Prognosis` also gives."""
        return TargetReach(self.target_dates(target))

    def target_date(
        self, target: float, quantiles: Sequence[float] = (0.1, 0.5, 0.9)
    ) -> dict[float, pd.Timestamp | None]:
        """When the total reaches ``target``: the date at each quantile over the bootstrap.

        ``None`` means not within :data:`MAX_HORIZON_MONTHS` of the last point at that
        quantile. A target already passed in the data gives dates between the two observed
        totals either side of it.

        Examples
        --------
        >>> dates = pd.date_range("2020-01-31", periods=6, freq="6ME")
        >>> points = pd.DataFrame({"date": dates, "cumulative": [10, 300, 1500, 3500, 6000, 8600]})
        >>> fit = fit_national(points, seed=1)
        >>> dates_ = fit.target_date(20_000)
        >>> dates_[0.1] <= dates_[0.5] <= dates_[0.9]
        True
        """
        values = self.target_reach(target).quantiles(quantiles)
        return {
            q: (self._date(v) if np.isfinite(v) else None)
            for q, v in zip(quantiles, values, strict=True)
        }

    def p_target_by(self, target: float, date: Any) -> float:
        """Share of bootstrap curves that reach ``target`` by ``date``."""
        return self.target_reach(target).p_by(float(self._months([date])[0]))


def _natural(theta: FloatArray) -> tuple[float, float, float]:
    return float(np.exp(theta[0])), float(np.exp(theta[1])), float(theta[2])


def _usable(frame: pd.DataFrame) -> pd.DataFrame:
    """The totals above zero, and the last zero before them (the launch) if there is one."""
    positive = frame["cumulative"].to_numpy() > 0
    keep = positive.copy()
    if positive.any():
        first = int(np.argmax(positive))
        if first > 0:
            keep[first - 1] = True
    return frame[keep].reset_index(drop=True)


def _too_few(frame: pd.DataFrame) -> SparseDataError:
    count = len(frame)
    missing = MIN_POINTS - count
    has_launch = count > 0 and frame["cumulative"].iloc[0] == 0
    launch = (
        ""
        if has_launch
        else ", or the launch date with a total of 0 if the programme's start is known"
    )
    return SparseDataError(
        f"{count} usable dated total{'s' if count != 1 else ''} is too few to fit a national "
        f"curve; it needs at least {MIN_POINTS} (they fix the plateau, ramp speed and "
        f"midpoint). Add {missing} more: a published total from another date (an annual "
        f"report, a press release, a newsletter){launch}"
    )


def fit_national(
    points: str | Path | pd.DataFrame,
    n_boot: int = 300,
    seed: int | None = 0,
) -> NationalFit:
    """Fit the national growth curve to dated cumulative totals.

    Parameters
    ----------
    points
        A file or frame with ``date`` and ``cumulative`` (see :func:`read_national`). At
        least :data:`MIN_POINTS` usable totals: those above zero, plus the last zero before
        them (the launch, if given).
    n_boot
        Bootstrap refits for the intervals.
    seed
        Seed of the bootstrap draws.

    Returns
    -------
    NationalFit
        The curve; ask it :meth:`~NationalFit.target_date`, :meth:`~NationalFit.cumulative`
        or :meth:`~NationalFit.p_target_by`.

    Raises
    ------
    SparseDataError
        With fewer than :data:`MIN_POINTS` usable dated totals; the message says what to add.
    InputError
        If the series is invalid (see :func:`read_national`).

    Examples
    --------
    >>> points = pd.DataFrame({"date": ["2015-12-31", "2018-03-31"],
    ...                        "cumulative": [6000, 50000]})
    >>> fit_national(points)
    Traceback (most recent call last):
    ...
    wgsforecast.national.SparseDataError: 2 usable dated totals is too few ...
    """
    frame = _usable(read_national(points))
    if len(frame) < MIN_POINTS:
        raise _too_few(frame)
    if n_boot < 10:
        raise ValueError(f"n_boot must be at least 10 for a usable interval; got {n_boot}")
    days = (frame["date"] - frame["date"].iloc[0]) / pd.Timedelta(days=1)
    t = np.asarray(days, dtype=np.float64) / DAYS_PER_MONTH
    y = frame["cumulative"].to_numpy(dtype=np.float64)
    log_y = np.log1p(y)
    theta = _fit_theta(t, log_y, _starting_points(t, y))
    fitted_total = softplus_cumulative(t, *_natural(theta))
    fitted = np.log1p(fitted_total)
    first = _recent_start(t)
    scale = float(_pace_ratio(y[-1] - y[first], fitted_total[-1] - fitted_total[first]))

    # The scatter is estimated from n - 3 residuals, with the floor counted as
    # PRIOR_SCATTER_DOF pseudo-residuals; each draw takes its own scatter from that estimate's
    # uncertainty (scaled inverse chi-square), so three points give heavier tails than six.
    dof = len(t) - 3
    sum_squares = PRIOR_SCATTER_DOF * MIN_LOG_SCATTER**2 + float(np.sum((log_y - fitted) ** 2))
    scatter = max(float(np.sqrt(sum_squares / (PRIOR_SCATTER_DOF + dof))), MIN_LOG_SCATTER)
    rng = np.random.default_rng(seed)
    draws = np.empty((n_boot, 3))
    draw_scales = np.empty(n_boot)
    for b in range(n_boot):
        spread = np.sqrt(sum_squares / rng.chisquare(PRIOR_SCATTER_DOF + dof))
        spread = float(np.clip(spread, MIN_LOG_SCATTER, MAX_LOG_SCATTER))
        noisy = np.maximum(fitted + rng.normal(0.0, spread, size=len(t)), 0.0)
        # A cumulative total never falls; the running maximum keeps each draw a valid series.
        noisy = np.maximum.accumulate(noisy)
        # Refits start at the best fit, close to their optimum: fewer evaluations suffice.
        draws[b] = _fit_theta(t, noisy, [theta], max_evaluations=150)
        # The draw's recent pace: the best fit's, times how far this draw's simulated recent
        # increase lies from its refitted curve's (1 where the refit passes through them).
        simulated = np.expm1(noisy)
        refitted = softplus_cumulative(t[[first, -1]], *_natural(draws[b]))
        ratio = _pace_ratio(simulated[-1] - simulated[first], refitted[1] - refitted[0])
        draw_scales[b] = scale * float(ratio)
    return NationalFit(
        points=frame,
        theta=theta,
        draws=draws,
        scatter=scatter,
        scale=scale,
        draw_scales=draw_scales,
    )


__all__ = [
    "NationalFit",
    "SparseDataError",
    "fit_national",
    "read_national",
    "softplus_cumulative",
]
