"""The result object: every view users see is derived here from the sample paths.

An engine produces monthly GE shaped ``[path, group, month]``, history included (identical on
every path). Quantiles are always taken *after* summing paths over groups or months, never
added up, because quantiles do not add.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

# quantile_label is defined with the other labels (plotting needs it without Prognosis);
# importable from here as before.
from wgsforecast._text import Text
from wgsforecast.deadline import DeadlineSummary
from wgsforecast.labels import quantile_label as quantile_label
from wgsforecast.models import Assumptions, GroupRegistry, Programme, TablePeriod
from wgsforecast.notes import GroupNote
from wgsforecast.periods import Lang, parse_month
from wgsforecast.target_reach import TargetReach

if TYPE_CHECKING:
    import xarray
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FloatArray = npt.NDArray[np.float64]
DEFAULT_QUANTILES: tuple[float, ...] = (0.1, 0.5, 0.9)

Unit = Literal["ge", "genomes"]
"""What a view counts: genome equivalents, or genomes (GE x each group's ASSUMED genomes per
GE, :meth:`Prognosis.genomes_per_ge`)."""

PlotKind = Literal["cumulative", "fan", "monthly", "target", "groups"]

QUARTER_PREFIX = Text(da="K", en="Q")

ROW_PER_PERIOD = Text(da="Genomækvivalenter pr. år", en="Genome equivalents per year")
ROW_TOTAL = Text(da="Total antal genomækvivalenter", en="Total genome equivalents")


def run_rate_levels(
    history: npt.NDArray[np.float64], started: npt.NDArray[np.int64], window: int
) -> npt.NDArray[np.float64]:
    """Each group's mean over its last ``window`` months of ``history`` since it started.

    Parameters
    ----------
    history
        Actual GE shaped ``[group, month]``, ending at the as-of month.
    started
        Per group, the position of its first month of actuals (-1 if it has none).
    window
        How many of the latest months make the run rate (3 in item 112/23).

    Returns
    -------
    numpy.ndarray
        The means; a group that started inside the window is averaged over its months since
        starting, so a new group is not diluted by the zeros before its go-live; a group with
        no data gets 0.
    """
    first = np.maximum(history.shape[1] - window, started)
    levels = np.zeros(history.shape[0])
    for index, start in enumerate(first):
        if started[index] >= 0:
            levels[index] = history[index, start:].mean()
    return levels


@dataclass(frozen=True, eq=False)
class Prognosis:
    """Monthly GE sample paths with their labels, and every view derived from them.

    Parameters
    ----------
    ge
        Monthly GE, shape ``[path, group, month]``; months up to ``assumptions.as_of`` are
        actuals and identical on every path.
    capped
        Same shape as ``ge``: True where a projected month's expected GE was clipped at the
        group's cap (count noise then scatters the month around the cap).
    months
        The month of each position on the last axis (consecutive).
    groups
        The patient groups, in the order of the second axis.
    assumptions
        The settings the prognosis was made with (as-of month, programme, ...).
    engine
        Name of the engine that made the paths.
    seed
        Seed of the random draws (``None`` for deterministic engines).
    group_notes
        Per-group engine notes (:class:`~wgsforecast.notes.GroupNote`), e.g. that a group
        fell back to the prior; ``str(note)`` is the English sentence, ``note.text("da")``
        and ``note.flag("da")`` the report's words.
    data_notes
        Notes about the input data shown in every output (e.g. that it is reconstructed).
    started
        Per group, the month position of its first row of actuals (-1: none); ``None``
        means the first month with GE.
    national_ceiling
        Per path, the national capacity ceiling the engine drew, in genomes a month
        (``None``: no ceiling). Every projected month's genomes (GE x each group's genomes
        per GE) are at or below it.
    drivers
        Per path, the uncertain inputs the engine drew (e.g. ``"capacity"``,
        ``"plateau:<group>"``), for :meth:`what_moves_the_date`.
    """

    ge: npt.NDArray[np.floating]
    capped: npt.NDArray[np.bool_]
    months: pd.PeriodIndex
    groups: GroupRegistry
    assumptions: Assumptions
    engine: str
    seed: int | None = None
    group_notes: Mapping[str, tuple[GroupNote, ...]] = field(default_factory=dict)
    data_notes: tuple[str, ...] = ()
    started: npt.NDArray[np.int64] | None = None
    national_ceiling: npt.NDArray[np.float64] | None = None
    drivers: Mapping[str, npt.NDArray[np.float64]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n_groups, n_months = len(self.groups), len(self.months)
        if self.ge.ndim != 3 or self.ge.shape[1:] != (n_groups, n_months):
            raise ValueError(
                f"ge must be shaped [path, {n_groups} groups, {n_months} months]; "
                f"got {self.ge.shape}"
            )
        if self.capped.shape != self.ge.shape:
            raise ValueError(
                f"capped must match ge's shape {self.ge.shape}; got {self.capped.shape}"
            )
        for key, notes in self.group_notes.items():
            for note in notes:
                if not isinstance(note, GroupNote):
                    raise TypeError(
                        f"group_notes[{key!r}] holds a {type(note).__name__}; engines record "
                        "wgsforecast.notes.GroupNote objects (their texts are in "
                        "wgsforecast.note_texts)"
                    )

    # ---- basic facts -------------------------------------------------------------------
    @property
    def n_paths(self) -> int:
        """Number of sample paths (1 for a deterministic engine)."""
        return int(self.ge.shape[0])

    @property
    def programme(self) -> Programme:
        """The programme (target, deadline, table periods)."""
        return self.assumptions.programme

    @property
    def as_of(self) -> pd.Period:
        """The last month of actuals."""
        return self.assumptions.as_of

    @cached_property
    def is_projected(self) -> npt.NDArray[np.bool_]:
        """True for each month after the as-of month."""
        return np.asarray(self.months > self.as_of)

    def month_position(self, month: pd.Period) -> int:
        """Return the position of ``month`` on the month axis (may be outside the range)."""
        return int((month - self.months[0]).n)

    # ---- path arrays ------------------------------------------------------------------
    @cached_property
    def national_paths(self) -> FloatArray:
        """National monthly GE per path, shape ``[path, month]``."""
        national: FloatArray = self.ge.sum(axis=1, dtype=np.float64)
        return national

    @cached_property
    def cumulative_paths(self) -> FloatArray:
        """National cumulative GE per path, shape ``[path, month]``."""
        return np.cumsum(self.national_paths, axis=1)

    def cumulative_at(self, month: pd.Period, group: str | None = None) -> FloatArray:
        """Cumulative GE at the end of ``month`` on every path (NaN beyond the horizon).

        Parameters
        ----------
        month
            The month; before the first month the total is 0.
        group
            A group key for that group's own running total; ``None`` (default): national.
        """
        position = self.month_position(month)
        if position < 0:
            return np.zeros(self.n_paths)
        if position >= len(self.months):
            return np.full(self.n_paths, np.nan)
        running = (
            self.cumulative_paths if group is None else np.cumsum(self._paths_of(group), axis=1)
        )
        values: FloatArray = running[:, position]
        return values

    def ge_at(self, month: pd.Period, group: str | None = None) -> FloatArray:
        """GE in ``month`` on every path, national or one group's (``group``: its key).

        Raises
        ------
        ValueError
            If ``month`` is outside the prognosis's months (nothing is known there).
        """
        position = self.month_position(month)
        if not 0 <= position < len(self.months):
            raise ValueError(
                f"{month} is outside the prognosis's months ({self.months[0]} to "
                f"{self.months[-1]}); choose a month within them"
            )
        values: FloatArray = self._paths_of(group)[:, position]
        return values

    def history(self, last: int | None = None) -> pd.DataFrame:
        """The actual GE per group and month up to the as-of month (the same on every path).

        Parameters
        ----------
        last
            Only the last ``last`` months up to the as-of month (fewer when the data start
            later); ``None`` (default): every month of actuals.

        Returns
        -------
        pandas.DataFrame
            One row per group (index ``group``, the keys), one column per month
            (``pandas.Period``), GE as float.
        """
        end = self.month_position(self.as_of) + 1
        start = 0 if last is None else max(end - last, 0)
        return pd.DataFrame(
            np.asarray(self.ge[0, :, start:end], dtype=np.float64),
            index=pd.Index(self.groups.keys, name="group"),
            columns=self.months[start:end],
        )

    @cached_property
    def target_positions(self) -> npt.NDArray[np.int64]:
        """Per path, the month position where the target is first reached; -1 if never."""
        reached = self.cumulative_paths >= self.programme.target_ge
        first = reached.argmax(axis=1)
        return np.where(reached.any(axis=1), first, -1).astype(np.int64)

    @cached_property
    def target_reach(self) -> TargetReach:
        """When the target is first reached on each path, in month positions (``inf``:
        not within the horizon): the view :meth:`target_month`, :meth:`p_target_by` and
        :meth:`p_never` read, shared with :class:`~wgsforecast.national.NationalFit`."""
        return TargetReach.from_positions(self.target_positions)

    # ---- genomes beside GE ------------------------------------------------------------
    def genomes_per_ge(self) -> pd.Series:
        """Each group's genomes per GE: an ASSUMPTION, not a measurement.

        There is no public definition of a genome equivalent; the factor is the group's own
        ``genomes_per_ge`` if its registry entry states one, else the default of its kind
        (:data:`wgsforecast.models.GENOMES_PER_GE`: 1.44 germline, 2.0 cancer, ASSUMED).
        Every ``unit="genomes"`` view multiplies each group's GE by this factor, path by
        path, before summing; the national capacity ceiling uses the same factors.

        Returns
        -------
        pandas.Series
            Genomes per GE, indexed by group key, named ``genomes_per_ge``.
        """
        return self.groups.genomes_per_ge()

    def _factors(self, unit: Unit) -> FloatArray:
        """Per group, what one GE counts as in ``unit`` (1 for GE)."""
        if unit == "ge":
            return np.ones(len(self.groups))
        if unit == "genomes":
            factors: FloatArray = self.genomes_per_ge().to_numpy(np.float64)
            return factors
        raise ValueError(f"unit must be 'ge' or 'genomes'; got {unit!r}")

    @cached_property
    def _national_genome_paths(self) -> FloatArray:
        """National monthly genomes per path (ASSUMED genomes per GE), ``[path, month]``."""
        paths: FloatArray = np.einsum(
            "pgm,g->pm", self.ge.astype(np.float64, copy=False), self._factors("genomes")
        )
        return paths

    # ---- single-number views ----------------------------------------------------------
    def _central(self, values: FloatArray) -> float:
        """The central value over paths: the value itself for one path, else the median."""
        return float(values[0]) if self.n_paths == 1 else float(np.median(values))

    def target_month(self, quantile: float = 0.5) -> pd.Period | None:
        """Return the month the target is first reached (the ``quantile`` over paths).

        Paths that never reach the target within the horizon count as later than any
        month; ``None`` means the target is not reached (on that quantile) within the horizon.
        """
        value = self.target_reach.quantile(quantile)
        if not np.isfinite(value):
            return None
        month: pd.Period = self.months[int(value)]
        return month

    def ge_by_deadline(self) -> float:
        """Central cumulative GE at the end of the funding-deadline month."""
        return self._central(self.cumulative_at(self.programme.deadline))

    def ge_left_after_deadline(self) -> float:
        """GE of the target still to do after the funding deadline (central value, >= 0)."""
        done = self.cumulative_at(self.programme.deadline)
        left = np.maximum(self.programme.target_ge - done, 0.0)
        return self._central(left)

    # ---- tables -----------------------------------------------------------------------
    def period_paths(self, periods: Sequence[TablePeriod] | None = None) -> dict[str, FloatArray]:
        """GE in each table period and cumulative GE at its end, per path.

        Returns
        -------
        dict
            ``{"in_period": [path, period], "cumulative": [path, period]}``; ``in_period``
            is NaN for ``point`` periods and for periods beyond the horizon.
        """
        periods = tuple(periods or self.programme.table_periods)
        in_period = np.full((self.n_paths, len(periods)), np.nan)
        cumulative = np.full((self.n_paths, len(periods)), np.nan)
        for column, period in enumerate(periods):
            end = self.cumulative_at(period.last)
            cumulative[:, column] = end
            if period.kind == "span":
                start = (
                    np.zeros(self.n_paths)
                    if period.first is None
                    else self.cumulative_at(period.first - 1)
                )
                in_period[:, column] = end - start
        return {"in_period": in_period, "cumulative": cumulative}

    def period_quantiles(
        self,
        quantiles: Sequence[float] = DEFAULT_QUANTILES,
        periods: Sequence[TablePeriod] | None = None,
    ) -> dict[str, FloatArray]:
        """Quantiles over paths of :meth:`period_paths`: each table cell's spread.

        Returns
        -------
        dict
            ``{"in_period": [quantile, period], "cumulative": [quantile, period]}``; NaN
            where :meth:`period_paths` is NaN (``point`` periods, beyond the horizon).
        """
        values = self.period_paths(periods)
        with np.errstate(invalid="ignore"):
            return {
                key: np.quantile(array, list(quantiles), axis=0) for key, array in values.items()
            }

    def yearly_table(self, lang: Lang = "da", quantile: float | None = None) -> pd.DataFrame:
        """The yearly table in the shape of the published Table 1.

        Parameters
        ----------
        lang
            ``"da"`` (default) or ``"en"`` row and column labels.
        quantile
            Which quantile over paths to show; ``None`` shows the median (the value itself
            for a deterministic engine).

        Returns
        -------
        pandas.DataFrame
            Two rows (GE per period, total GE) and one column per table period, rounded to
            whole GE; the mid-year columns carry only the total.
        """
        periods = self.programme.table_periods
        values = self.period_paths(periods)
        q = 0.5 if quantile is None else quantile
        rows = {}
        for name, key in ((ROW_PER_PERIOD, "in_period"), (ROW_TOTAL, "cumulative")):
            array = values[key]
            with np.errstate(invalid="ignore"):
                row = array[0] if self.n_paths == 1 else np.quantile(array, q, axis=0)
            rows[name(lang)] = np.round(row)
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.columns = pd.Index([p.label(lang) for p in periods])
        return table.astype("Float64")

    def yearly_intervals(
        self, quantiles: Sequence[float] = DEFAULT_QUANTILES, lang: Lang = "da"
    ) -> pd.DataFrame:
        """Quantiles over paths of each table cell: one row per period and measure."""
        periods = self.programme.table_periods
        spread = self.period_quantiles(quantiles, periods)
        records = []
        for measure, key in (("per_period", "in_period"), ("total", "cumulative")):
            qs = spread[key]
            for column, period in enumerate(periods):
                record: dict[str, object] = {"period": period.label(lang), "measure": measure}
                for q, row in zip(quantiles, qs, strict=True):
                    record[quantile_label(q)] = row[column]
                records.append(record)
        return pd.DataFrame.from_records(records)

    def monthly(self, unit: Unit = "ge") -> pd.DataFrame:
        """Monthly GE per group: one row per (group, month), the median over paths.

        The central value is the **median over paths** of the group's GE in the month, the
        same central value as :meth:`cumulative`, :meth:`quarterly` and the tables (the
        value itself for a one-path engine; actual months are identical on every path).
        Medians do not add up: the groups' medians of a month need not sum to the national
        median of :meth:`cumulative`, whose values are medians of the paths' sums. Use
        :meth:`fan` (``mean`` column) where an additive value is wanted.

        Parameters
        ----------
        unit
            ``"ge"`` (default) or ``"genomes"``: GE x the group's genomes per GE, an
            ASSUMPTION (:meth:`genomes_per_ge`). The value column is named after the unit.

        Returns
        -------
        pandas.DataFrame
            ``group``, ``month``, ``kind`` (``actual``/``projected``), ``ge`` (or
            ``genomes``; median over paths), ``capped`` (expected GE clipped at the cap on
            more than half of the paths) and ``capped_share`` (share of paths clipped).
        """
        factors = self._factors(unit)
        n_groups, n_months = len(self.groups), len(self.months)
        central, capped_share = self._group_medians, self._capped_share
        return pd.DataFrame(
            {
                "group": np.repeat(np.array(self.groups.keys, dtype=object), n_months),
                "month": pd.PeriodIndex(np.tile(self.months, n_groups)),
                "kind": np.tile(np.where(self.is_projected, "projected", "actual"), n_groups),
                unit: (central * factors[:, None]).reshape(-1),
                "capped": (capped_share > 0.5).reshape(-1),
                "capped_share": capped_share.reshape(-1).copy(),
            }
        )

    @cached_property
    def _group_medians(self) -> FloatArray:
        """Median over paths of each group's monthly GE, ``[group, month]`` (for
        :meth:`monthly`, which a report asks for several times)."""
        if self.n_paths == 1:
            return np.asarray(self.ge[0], dtype=np.float64)
        medians: FloatArray = np.median(self.ge, axis=0).astype(np.float64)
        return medians

    @cached_property
    def _capped_share(self) -> FloatArray:
        """Share of paths clipped at the cap, ``[group, month]``."""
        share: FloatArray = self.capped.mean(axis=0)
        return share

    def cumulative(
        self, quantiles: Sequence[float] = DEFAULT_QUANTILES, unit: Unit = "ge"
    ) -> pd.DataFrame:
        """National monthly and cumulative GE with quantiles over paths.

        The central values are **medians over paths of the paths' sums**: ``ge`` is the
        median of the national monthly total (each path summed over groups first) and
        ``cumulative`` the median of the running total, the same central value as
        :meth:`monthly`. Medians do not add, so ``cumulative`` need not equal the running
        sum of ``ge``.

        Parameters
        ----------
        quantiles
            Quantiles over paths of the running total, one column each.
        unit
            ``"ge"`` (default) or ``"genomes"`` (GE x each group's ASSUMED genomes per GE,
            :meth:`genomes_per_ge`, summed on each path). The monthly column is named
            after the unit.

        Returns
        -------
        pandas.DataFrame
            ``month``, ``kind``, ``ge`` (or ``genomes``) and ``cumulative`` (medians), then
            ``cumulative_p10`` ... for each quantile asked for.
        """
        national = self._paths_of(None, unit)
        running = self._running_total(unit)
        frame = pd.DataFrame(
            {
                "month": self.months,
                "kind": np.where(self.is_projected, "projected", "actual"),
                unit: np.median(national, axis=0),
                "cumulative": np.median(running, axis=0),
            }
        )
        if quantiles:
            qs = np.quantile(running, list(quantiles), axis=0)
            for q, row in zip(quantiles, qs, strict=True):
                frame[f"cumulative_{quantile_label(q)}"] = row
        return frame

    def cumulative_quantiles(
        self, quantiles: Sequence[float] = DEFAULT_QUANTILES, unit: Unit = "ge"
    ) -> FloatArray:
        """Quantiles over paths of the national running total, shape ``[quantile, month]``.

        The numbers of :meth:`cumulative`'s ``cumulative_p10`` ... columns, as an array.
        """
        values: FloatArray = np.quantile(self._running_total(unit), list(quantiles), axis=0)
        return values

    def _running_total(self, unit: Unit) -> FloatArray:
        """The national running total per path ``[path, month]`` (GE: the cached one)."""
        if unit == "ge":
            return self.cumulative_paths
        running: FloatArray = np.cumsum(self._paths_of(None, unit), axis=1)
        return running

    def quarterly(
        self,
        quantiles: Sequence[float] = DEFAULT_QUANTILES,
        lang: Lang = "da",
        unit: Unit = "ge",
        group: str | None = None,
    ) -> pd.DataFrame:
        """GE per calendar quarter and cumulative at each quarter's end, over paths.

        Each path's months are summed into quarters first and the quantiles taken after
        (quantiles do not add). Quarters whose months are all actuals carry the actual
        value in every quantile column; projected quarters carry the median and the 80%
        interval with the default ``quantiles``. The quarter holding the as-of month, when
        it also holds projected months, is marked ``partial``: its ``actual`` column holds
        the GE of its actual months only and its quantile columns the whole quarter
        (actual months plus projected ones). A last quarter cut short by the horizon is
        left out; a first quarter cut short by the start of the data counts the months
        there are.

        Parameters
        ----------
        quantiles
            Quantiles over paths; one ``ge_p10`` ... and one ``cumulative_p10`` ... column
            each.
        lang
            Quarter labels: ``"da"`` (default, ``2023 K1``) or ``"en"`` (``2023 Q1``).
        unit
            ``"ge"`` (default) or ``"genomes"``: GE x each group's genomes per GE, an
            ASSUMPTION (:meth:`genomes_per_ge`), applied path by path before summing.
            The per-quarter columns are named after the unit (``genomes_p50`` ...).
        group
            A group key, or ``None`` (default) for the national total.

        Returns
        -------
        pandas.DataFrame
            One row per quarter: ``quarter`` (label), ``period`` (``pandas.Period``,
            quarterly), ``kind`` (``actual``, ``partial`` or ``projected``),
            ``actual_months`` (how many of its months are actuals), ``actual`` (GE done in
            its actual months; NaN for a projected quarter), ``ge_p10`` ... (GE in the
            quarter) and ``cumulative_p10`` ... (cumulative GE at the quarter's end; the
            national running total since the data start, or the group's).

        Examples
        --------
        >>> table = prognosis.quarterly()  # doctest: +SKIP
        >>> table.loc[table["kind"] != "actual"].head(8)  # doctest: +SKIP
        """
        prefix = QUARTER_PREFIX(lang)  # an unknown language fails here, before the work
        paths = self._paths_of(group, unit)
        running = np.cumsum(paths, axis=1)
        quarter_of = self.months.asfreq("Q")
        # The months are consecutive, so each quarter is one run of positions: found once
        # from the quarters' ordinals (comparing Periods quarter by quarter cost more than
        # the sums), a last quarter cut short by the horizon left out.
        ordinals = np.asarray(quarter_of.asi8)
        starts = np.flatnonzero(np.r_[True, ordinals[1:] != ordinals[:-1]])
        stops = np.r_[starts[1:], ordinals.size]
        if self.months[-1].month % 3 != 0:
            starts, stops = starts[:-1], stops[:-1]
        qs = list(quantiles)
        records: list[dict[str, object]] = []
        projected = self.is_projected
        for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
            quarter = quarter_of[start]
            actual_inside = ~projected[start:stop]
            n_actual = int(actual_inside.sum())
            n_projected = stop - start - n_actual
            kind = "actual" if n_projected == 0 else "projected" if n_actual == 0 else "partial"
            actual = float(paths[0, start:stop][actual_inside].sum()) if n_actual else np.nan
            records.append(
                {
                    "quarter": f"{quarter.year} {prefix}{quarter.quarter}",
                    "period": quarter,
                    "kind": kind,
                    "actual_months": n_actual,
                    "actual": actual,
                }
            )
        if qs and records:
            spans = zip(starts, stops, strict=True)
            totals = np.stack([paths[:, start:stop].sum(axis=1) for start, stop in spans], axis=1)
            ends = running[:, stops - 1]
            # One quantile call per measure for all quarters ([quantile, quarter]).
            for measure, values in ((unit, totals), ("cumulative", ends)):
                spread = np.quantile(values, qs, axis=0)
                for q, row in zip(qs, spread, strict=True):
                    for record, value in zip(records, row, strict=True):
                        record[f"{measure}_{quantile_label(q)}"] = float(value)
        columns = ["quarter", "period", "kind", "actual_months", "actual"]
        columns += [f"{unit}_{quantile_label(q)}" for q in qs]
        columns += [f"cumulative_{quantile_label(q)}" for q in qs]
        return pd.DataFrame.from_records(records, columns=columns)

    def run_rate(self) -> pd.Series:
        """Each group's mean GE over the run-rate window ending at the as-of month.

        The same numbers the published method starts from (:func:`run_rate_levels`): a group
        that started inside the window is averaged over its months since starting.
        """
        end = self.month_position(self.as_of) + 1
        history = np.asarray(self.ge[0, :, :end], dtype=np.float64)
        started = self.started
        if started is None:  # a hand-made prognosis: a group starts at its first GE
            has_ge = history > 0
            started = np.where(has_ge.any(axis=1), has_ge.argmax(axis=1), -1)
        means = run_rate_levels(history, started, self.assumptions.run_rate_window)
        return pd.Series(means, index=pd.Index(self.groups.keys, name="group"), name="run_rate")

    def group_table(self, lang: Lang = "da") -> pd.DataFrame:
        """Per-group table: declared, cap, last-months mean, status and projected per period.

        Projected values are the median over paths of each group's GE in each ``span``
        period of the programme's table.
        """
        spans = [p for p in self.programme.table_periods if p.kind == "span"]
        run_rate = self.run_rate()
        rows = []
        for index, group in enumerate(self.groups):
            row: dict[str, object] = {
                "group": group.key,
                "name": group.name(lang),
                "status": group.status,
                "declared_per_year": group.declared_per_year,
                "cap_per_year": group.cap_share * group.declared_per_year,
                "run_rate_per_month": run_rate[group.key],
                "capped_months": int((self.capped[:, index, :].mean(axis=0) > 0.5).sum()),
                "notes": "; ".join(map(str, self.group_notes.get(group.key, ()))),
            }
            for period in spans:
                row[period.label(lang)] = self._group_span(index, period)
            rows.append(row)
        return pd.DataFrame.from_records(rows)

    def _group_span(self, index: int, period: TablePeriod) -> float:
        first = self.months[0] if period.first is None else period.first
        lo = max(self.month_position(first), 0)
        hi = self.month_position(period.last) + 1
        if hi > len(self.months):
            return float("nan")
        values = self.ge[:, index, lo:hi].sum(axis=1, dtype=np.float64)
        return self._central(values)

    # ---- uncertainty views (all from the paths: sum first, then take quantiles) --------
    def _paths_of(self, group: str | None, unit: Unit = "ge") -> FloatArray:
        """Monthly GE (or genomes) per path ``[path, month]``: national, or one group's."""
        factors = self._factors(unit)
        if group is None:
            return self.national_paths if unit == "ge" else self._national_genome_paths
        if group not in self.groups:
            raise KeyError(self.groups.unknown_name_message(group))
        index = self.groups.keys.index(group)
        values: FloatArray = self.ge[:, index, :].astype(np.float64) * factors[index]
        return values

    def fan(
        self,
        what: Literal["cumulative", "monthly", "yearly"] = "cumulative",
        quantiles: Sequence[float] = DEFAULT_QUANTILES,
        group: str | None = None,
        unit: Unit = "ge",
    ) -> pd.DataFrame:
        """Quantile fan over paths of monthly, cumulative or calendar-year GE.

        Parameters
        ----------
        what
            ``"cumulative"`` (running total), ``"monthly"`` or ``"yearly"`` (calendar-year
            totals; a last year cut short by the horizon is left out).
        quantiles
            Quantiles over paths, each shown as a column labelled like ``p10``.
        group
            A group key, or ``None`` for the national total.
        unit
            ``"ge"`` (default) or ``"genomes"`` (GE x each group's ASSUMED genomes per GE,
            :meth:`genomes_per_ge`, before summing on each path).

        Returns
        -------
        pandas.DataFrame
            ``month`` (``period`` for yearly), ``kind`` (``actual``/``projected``),
            ``mean`` and one column per quantile. Totals are summed on each path before
            the quantiles are taken.

        Examples
        --------
        >>> fan = prognosis.fan("cumulative")  # doctest: +SKIP
        >>> list(fan.columns)  # doctest: +SKIP
        ['month', 'kind', 'mean', 'p10', 'p50', 'p90']
        """
        paths = self._paths_of(group, unit)
        if what == "monthly":
            values, labels, column = paths, pd.Index(self.months), "month"
            projected = self.is_projected
        elif what == "cumulative":
            values, labels, column = np.cumsum(paths, axis=1), pd.Index(self.months), "month"
            projected = self.is_projected
        elif what == "yearly":
            years = np.asarray(self.months.year)
            last_complete = self.months[-1].year - (self.months[-1].month != 12)
            kept = np.unique(years[years <= last_complete])
            values = np.stack([paths[:, years == y].sum(axis=1) for y in kept], axis=1)
            labels = pd.Index(pd.PeriodIndex([pd.Period(year=int(y), freq="Y") for y in kept]))
            column = "period"
            # A year is projected as soon as any of its months is (its December is).
            projected = kept * 12 + 11 > self.as_of.year * 12 + self.as_of.month - 1
        else:
            raise ValueError(f"what must be 'cumulative', 'monthly' or 'yearly'; got {what!r}")
        frame = pd.DataFrame(
            {
                column: labels,
                "kind": np.where(projected, "projected", "actual"),
                "mean": values.mean(axis=0) if values.size else np.zeros(0),
            }
        )
        if quantiles and values.size:
            qs = np.quantile(values, list(quantiles), axis=0)
            for q, row in zip(quantiles, qs, strict=True):
                frame[quantile_label(q)] = row
        return frame

    def target_distribution(self) -> pd.DataFrame:
        """When the target is first reached: the distribution over paths.

        Returns
        -------
        pandas.DataFrame
            One row per month from the first month after the as-of month (or the month
            the target was reached, if already in the actuals) to the horizon end:
            ``month``, ``probability`` (share of paths first reaching the target that
            month) and ``cumulative_probability`` (share reaching it by that month). The
            probabilities sum to ``1 - p_never()``.
        """
        positions = self.target_positions
        reached = positions[positions >= 0]
        first = self.month_position(self.as_of) + 1
        if reached.size:
            first = min(first, int(reached.min()))
        first = max(first, 0)
        counts = np.bincount(reached, minlength=len(self.months))[first:]
        probability = counts / self.n_paths
        return pd.DataFrame(
            {
                "month": self.months[first:],
                "probability": probability,
                "cumulative_probability": np.cumsum(probability),
            }
        )

    def p_never(self) -> float:
        """Share of paths that do not reach the target within the horizon."""
        return self.target_reach.p_never()

    def target_month_quantiles(
        self, quantiles: Sequence[float] = DEFAULT_QUANTILES
    ) -> dict[float, pd.Period | None]:
        """The target month at each quantile over paths (``None``: beyond the horizon)."""
        return {q: self.target_month(q) for q in quantiles}

    def _deadline_position(self) -> int:
        deadline = self.programme.deadline
        position = self.month_position(deadline)
        if position >= len(self.months):
            raise ValueError(
                f"the funding deadline {deadline} is after the horizon end {self.months[-1]}; "
                "project further (a longer horizon_months) to judge it"
            )
        return position

    def p_target_by(self, month: object) -> float:
        """Share of paths on which the target is reached by the end of ``month``.

        Parameters
        ----------
        month
            Anything :func:`~wgsforecast.periods.parse_month` reads, e.g. ``"2025-12"``.

        Returns
        -------
        float
            The probability; months past the horizon raise (the paths say nothing there).
        """
        position = self.month_position(parse_month(month))
        if position >= len(self.months):
            raise ValueError(
                f"{month} is after the horizon end {self.months[-1]}; project further "
                "(a longer horizon_months) to judge it"
            )
        return self.target_reach.p_by(position)

    def what_moves_the_date(self) -> pd.DataFrame:
        """Which drawn input moves the target month most: paths split by each driver.

        For every uncertain input the engine drew per path (:attr:`drivers`), the paths are
        split into the third with the lowest and the third with the highest value, and the
        median target month of each third is compared. No refit and no extra paths: the
        answer comes from the same paths as every other view (and shares their noise).

        Returns
        -------
        pandas.DataFrame
            One row per driver, largest effect first: ``driver`` (its key), ``low`` and
            ``high`` (the driver's median value within each third), ``target_low`` and
            ``target_high`` (median target month within each third; ``None`` beyond the
            horizon) and ``shift_months`` (``target_high - target_low``; a target beyond the
            horizon counts as the month after it). Empty for an engine that draws none.
        """
        beyond = len(self.months)
        positions = np.where(self.target_positions < 0, beyond, self.target_positions)
        rows = []
        for key, values in self.drivers.items():
            finite = np.isfinite(values)
            if finite.sum() < 3 or np.ptp(values[finite]) == 0:
                continue
            # Non-finite values (a group that never starts) sort last: they are "high".
            order = np.argsort(np.where(finite, values, np.inf), kind="stable")
            third = len(order) // 3
            low, high = order[:third], order[-third:]
            medians = [float(np.median(positions[part])) for part in (low, high)]
            months = [self.months[round(m)] if round(m) < beyond else None for m in medians]
            rows.append(
                {
                    "driver": key,
                    "low": float(np.median(values[low])),
                    "high": float(np.median(values[high])),
                    "target_low": months[0],
                    "target_high": months[1],
                    "shift_months": round(medians[1] - medians[0]),
                }
            )
        frame = pd.DataFrame.from_records(
            rows, columns=["driver", "low", "high", "target_low", "target_high", "shift_months"]
        )
        largest_first = frame["shift_months"].abs().sort_values(ascending=False, kind="stable")
        return frame.loc[largest_first.index].reset_index(drop=True)

    def p_target_by_deadline(self) -> float:
        """Share of paths on which the target is reached by the end of the deadline month."""
        return self.target_reach.p_by(self._deadline_position())

    def deadline_summary(self, quantiles: Sequence[float] = DEFAULT_QUANTILES) -> DeadlineSummary:
        """GE at the funding deadline and what is left of the target, over paths.

        Returns
        -------
        DeadlineSummary
            ``deadline``, ``target_ge``, ``p_target_by_deadline``, ``ge_mean`` and ``ge``
            (cumulative GE at the end of the deadline month, by quantile),
            ``expected_shortfall`` (mean of ``max(target - GE, 0)``) and ``left`` (that
            shortfall by quantile); :meth:`DeadlineSummary.as_dict` gives the flat record
            (``ge_p10``, ``left_p10`` ...).

        Raises
        ------
        ValueError
            If the deadline is after the horizon end.
        """
        self._deadline_position()
        done = self.cumulative_at(self.programme.deadline)
        left = np.maximum(self.programme.target_ge - done, 0.0)
        qs = [float(q) for q in quantiles]
        return DeadlineSummary(
            deadline=self.programme.deadline,
            target_ge=self.programme.target_ge,
            p_target_by_deadline=self.p_target_by_deadline(),
            ge_mean=float(done.mean()),
            ge=dict(zip(qs, map(float, np.quantile(done, qs)), strict=True)),
            expected_shortfall=float(left.mean()),
            left=dict(zip(qs, map(float, np.quantile(left, qs)), strict=True)),
        )

    def contributions(
        self, period: TablePeriod | None = None, quantiles: Sequence[float] = DEFAULT_QUANTILES
    ) -> pd.DataFrame:
        """Each group's share of the GE done in a period, over paths.

        Parameters
        ----------
        period
            A table period (its GE, actuals included where it covers them; a ``point``
            period counts from the start). ``None``: the projected GE from the month after
            the as-of month up to the month the target is reached on each path (the
            horizon end on paths that never reach it).
        quantiles
            Quantiles over paths of each group's share.

        Returns
        -------
        pandas.DataFrame
            ``group``, ``ge_mean`` (mean GE in the window), ``share_mean`` (mean over paths
            of the group's share of the window's total) and ``share_p10`` ... .
        """
        n_months = len(self.months)
        if period is None:
            lo = np.full(self.n_paths, self.month_position(self.as_of) + 1)
            positions = self.target_positions
            hi = np.where(positions >= 0, positions, n_months - 1)
        else:
            first = (
                self.months[0] if period.first is None or period.kind == "point" else period.first
            )
            end = self.month_position(period.last)
            if end >= n_months:
                raise ValueError(
                    f"period {period.label_en} ends {period.last}, after the horizon end "
                    f"{self.months[-1]}"
                )
            lo = np.full(self.n_paths, max(self.month_position(first), 0))
            hi = np.full(self.n_paths, end)
        rows = np.arange(self.n_paths)
        totals = np.zeros((self.n_paths, len(self.groups)))
        for index in range(len(self.groups)):
            running = np.cumsum(self.ge[:, index, :], axis=1, dtype=np.float64)
            before = np.where(lo > 0, running[rows, np.maximum(lo - 1, 0)], 0.0)
            totals[:, index] = np.where(hi >= lo, running[rows, hi] - before, 0.0)
        national = totals.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(national > 0, totals / national, np.nan)
        frame = pd.DataFrame({"group": list(self.groups.keys), "ge_mean": totals.mean(axis=0)})
        with warnings.catch_warnings():
            # A window without any GE on every path has no shares: NaN, said plainly.
            warnings.simplefilter("ignore", RuntimeWarning)
            frame["share_mean"] = np.nanmean(shares, axis=0)
            if quantiles:
                qs = np.nanquantile(shares, list(quantiles), axis=0)
                for q, row in zip(quantiles, qs, strict=True):
                    frame[f"share_{quantile_label(q)}"] = row
        return frame

    # ---- showing itself -----------------------------------------------------------------
    def __repr__(self) -> str:
        """One line: engine, paths, months, as-of month and the median target month."""
        from wgsforecast._prognosis_display import short_repr

        return short_repr(self)

    def to_html(self, lang: Lang = "da") -> str:
        """A small HTML headline: engine, paths, target month, deadline odds, yearly table.

        Parameters
        ----------
        lang
            ``"da"`` (default) or ``"en"``.

        Returns
        -------
        str
            An HTML fragment of a few kilobytes: the engine and number of paths, the as-of
            month, the median month the target is reached with its 80% interval (P10-P90
            over paths), P(target by the end of the deadline month), the median GE by the
            deadline, the yearly table (medians, and the totals' 80% interval) and the data
            notes. Never the arrays.
        """
        from wgsforecast._prognosis_display import render_html

        return render_html(self, lang)

    def _repr_html_(self) -> str:
        """The headline of :meth:`to_html` in Danish, for Jupyter."""
        return self.to_html("da")

    def plot(
        self,
        kind: PlotKind = "cumulative",
        ax: Axes | None = None,
        lang: Lang = "da",
        **kwargs: Any,
    ) -> Axes | Figure:
        """Draw one of the report's figures of this prognosis.

        Dispatches to :mod:`wgsforecast.plotting` (matplotlib is imported only here).

        Parameters
        ----------
        kind
            ``"cumulative"`` (:func:`~wgsforecast.plotting.plot_cumulative`, default),
            ``"fan"`` (:func:`~wgsforecast.plotting.plot_fan`), ``"monthly"`` (monthly GE by
            group, :func:`~wgsforecast.plotting.plot_monthly_by_group`), ``"target"`` (the
            target month's distribution, :func:`~wgsforecast.plotting.plot_target_distribution`)
            or ``"groups"`` (one panel per group, :func:`~wgsforecast.plotting.plot_group_ramps`;
            it makes its own figure, so ``ax`` must be ``None``).
        ax
            Axes to draw on; ``None`` creates a figure.
        lang
            ``"da"`` (default) or ``"en"``.
        **kwargs
            Passed on to the plotting function (e.g. ``until="2027-12"``).

        Returns
        -------
        matplotlib.axes.Axes or matplotlib.figure.Figure
            The axes drawn on; the figure for ``kind="groups"``.
        """
        from wgsforecast import plotting

        if kind == "groups":
            if ax is not None:
                raise ValueError("kind='groups' draws a figure of its own; leave ax=None")
            figure: Figure = plotting.plot_group_ramps(self, lang=lang, **kwargs)
            return figure
        axes: Axes
        if kind == "cumulative":
            axes = plotting.plot_cumulative(self, ax=ax, lang=lang, **kwargs)
        elif kind == "fan":
            axes = plotting.plot_fan(self, ax=ax, lang=lang, **kwargs)
        elif kind == "monthly":
            axes = plotting.plot_monthly_by_group(self, ax=ax, lang=lang, **kwargs)
        elif kind == "target":
            axes = plotting.plot_target_distribution(self, ax=ax, lang=lang, **kwargs)
        else:
            choices = "'cumulative', 'fan', 'monthly', 'target', 'groups'"
            raise ValueError(f"kind must be one of {choices}; got {kind!r}")
        return axes

    def to_xarray(self) -> xarray.DataArray:
        """The monthly GE paths as a labelled ``xarray.DataArray``.

        Needs the optional dependency: ``pip install 'wgsforecast[xarray]'``. With it,
        quarterly resampling, sums and quantiles go by name, e.g.
        ``da.sum("group").resample(month="QS").sum().quantile([0.1, 0.5, 0.9], "path")``
        (sum first, quantiles after, as every view here does).

        Returns
        -------
        xarray.DataArray
            Named ``ge``, dims ``(path, group, month)``: ``path`` 0..n-1, ``group`` the
            group keys, ``month`` each month's first day (``datetime64``, so ``resample``
            works). Extra coordinates: ``group_name`` (Danish name) and ``genomes_per_ge``
            (ASSUMED, :meth:`genomes_per_ge`) on ``group``, ``projected`` on ``month``;
            ``attrs`` hold the engine, seed, as-of month, target and deadline.

        Raises
        ------
        ImportError
            If xarray is not installed.
        """
        try:
            import xarray
        except ImportError as error:
            raise ImportError(
                "Prognosis.to_xarray needs xarray: pip install 'wgsforecast[xarray]'"
            ) from error
        return xarray.DataArray(
            np.asarray(self.ge),
            dims=("path", "group", "month"),
            coords={
                "path": np.arange(self.n_paths),
                "group": list(self.groups.keys),
                "month": self.months.to_timestamp(how="start"),
                "group_name": ("group", [group.name("da") for group in self.groups]),
                "genomes_per_ge": ("group", self.genomes_per_ge().to_numpy()),
                "projected": ("month", self.is_projected),
            },
            name="ge",
            attrs={
                "units": "genome equivalents (GE) per month",
                "engine": self.engine,
                "seed": "none" if self.seed is None else self.seed,
                "as_of": str(self.as_of),
                "target_ge": self.programme.target_ge,
                "deadline": str(self.programme.deadline),
            },
        )
