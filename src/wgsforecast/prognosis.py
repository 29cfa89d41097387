"""The result object: every view users see is derived here from the sample paths.

An engine produces monthly GE shaped ``[path, group, month]``, history included (identical on
every path). Quantiles are always taken *after* summing paths over groups or months, never
added up, because quantiles do not add.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.models import Assumptions, GroupRegistry, Programme, TablePeriod
from wgsforecast.periods import Lang

FloatArray = npt.NDArray[np.float64]
DEFAULT_QUANTILES: tuple[float, ...] = (0.1, 0.5, 0.9)

ROW_PER_PERIOD = {"da": "Genomækvivalenter pr. år", "en": "Genome equivalents per year"}
ROW_TOTAL = {"da": "Total antal genomækvivalenter", "en": "Total genome equivalents"}


def quantile_label(q: float) -> str:
    """Return the column label of a quantile: 0.1 -> ``p10``, 0.975 -> ``p97.5``."""
    return f"p{100 * q:g}"


@dataclass(frozen=True, eq=False)
class Prognosis:
    """Monthly GE sample paths with their labels, and every view derived from them.

    Parameters
    ----------
    ge
        Monthly GE, shape ``[path, group, month]``; months up to ``assumptions.as_of`` are
        actuals and identical on every path.
    capped
        Same shape as ``ge``: True where a projected value was clipped at the group's cap.
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
        Per-group flags shown in tables, e.g. ``{"lever": ("fell back to prior",)}``.
    data_notes
        Notes about the input data shown in every output (e.g. that it is reconstructed).
    """

    ge: npt.NDArray[np.floating]
    capped: npt.NDArray[np.bool_]
    months: pd.PeriodIndex
    groups: GroupRegistry
    assumptions: Assumptions
    engine: str
    seed: int | None = None
    group_notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    data_notes: tuple[str, ...] = ()

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

    def cumulative_at(self, month: pd.Period) -> FloatArray:
        """Cumulative GE at the end of ``month`` on every path (NaN beyond the horizon)."""
        position = self.month_position(month)
        if position < 0:
            return np.zeros(self.n_paths)
        if position >= len(self.months):
            return np.full(self.n_paths, np.nan)
        values: FloatArray = self.cumulative_paths[:, position]
        return values

    @cached_property
    def target_positions(self) -> npt.NDArray[np.int64]:
        """Per path, the month position where the target is first reached; -1 if never."""
        reached = self.cumulative_paths >= self.programme.target_ge
        first = reached.argmax(axis=1)
        return np.where(reached.any(axis=1), first, -1).astype(np.int64)

    # ---- single-number views ----------------------------------------------------------
    def _central(self, values: FloatArray) -> float:
        """The central value over paths: the value itself for one path, else the median."""
        return float(values[0]) if self.n_paths == 1 else float(np.median(values))

    def target_month(self, quantile: float = 0.5) -> pd.Period | None:
        """Return the month the target is first reached (the ``quantile`` over paths).

        Paths that never reach the target within the horizon count as later than any
        month; ``None`` means the target is not reached (on that quantile) within the horizon.
        """
        positions = self.target_positions.astype(np.float64)
        positions[positions < 0] = np.inf
        value = np.quantile(positions, quantile, method="inverted_cdf")
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
        for name, key in ((ROW_PER_PERIOD[lang], "in_period"), (ROW_TOTAL[lang], "cumulative")):
            array = values[key]
            with np.errstate(invalid="ignore"):
                row = array[0] if self.n_paths == 1 else np.quantile(array, q, axis=0)
            rows[name] = np.round(row)
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.columns = pd.Index([p.label(lang) for p in periods])
        return table.astype("Float64")

    def yearly_intervals(
        self, quantiles: Sequence[float] = DEFAULT_QUANTILES, lang: Lang = "da"
    ) -> pd.DataFrame:
        """Quantiles over paths of each table cell: one row per period and measure."""
        periods = self.programme.table_periods
        values = self.period_paths(periods)
        records = []
        for measure, key in (("per_period", "in_period"), ("total", "cumulative")):
            with np.errstate(invalid="ignore"):
                qs = np.quantile(values[key], list(quantiles), axis=0)
            for column, period in enumerate(periods):
                record: dict[str, object] = {"period": period.label(lang), "measure": measure}
                for q, row in zip(quantiles, qs, strict=True):
                    record[quantile_label(q)] = row[column]
                records.append(record)
        return pd.DataFrame.from_records(records)

    def monthly(self) -> pd.DataFrame:
        """Monthly GE per group: one row per (group, month).

        Columns: ``group``, ``month``, ``kind`` (``actual``/``projected``), ``ge`` (mean over
        paths), ``capped`` (clipped at the cap on more than half of the paths) and
        ``capped_share`` (share of paths clipped).
        """
        n_groups, n_months = len(self.groups), len(self.months)
        capped_share = self.capped.mean(axis=0)
        return pd.DataFrame(
            {
                "group": np.repeat(np.array(self.groups.keys, dtype=object), n_months),
                "month": pd.PeriodIndex(np.tile(self.months, n_groups)),
                "kind": np.tile(np.where(self.is_projected, "projected", "actual"), n_groups),
                "ge": self.ge.mean(axis=0, dtype=np.float64).reshape(-1),
                "capped": (capped_share > 0.5).reshape(-1),
                "capped_share": capped_share.reshape(-1),
            }
        )

    def cumulative(self, quantiles: Sequence[float] = DEFAULT_QUANTILES) -> pd.DataFrame:
        """National monthly and cumulative GE with quantiles over paths.

        Columns: ``month``, ``kind``, ``ge`` and ``cumulative`` (central values), then
        ``cumulative_p10`` ... for each quantile asked for.
        """
        frame = pd.DataFrame(
            {
                "month": self.months,
                "kind": np.where(self.is_projected, "projected", "actual"),
                "ge": np.median(self.national_paths, axis=0),
                "cumulative": np.median(self.cumulative_paths, axis=0),
            }
        )
        if quantiles:
            qs = np.quantile(self.cumulative_paths, list(quantiles), axis=0)
            for q, row in zip(quantiles, qs, strict=True):
                frame[f"cumulative_{quantile_label(q)}"] = row
        return frame

    def run_rate(self) -> pd.Series:
        """Each group's mean GE over the run-rate window ending at the as-of month."""
        end = self.month_position(self.as_of) + 1
        start = max(end - self.assumptions.run_rate_window, 0)
        means = self.ge[0, :, start:end].mean(axis=1, dtype=np.float64)
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
                "notes": "; ".join(self.group_notes.get(group.key, ())),
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
