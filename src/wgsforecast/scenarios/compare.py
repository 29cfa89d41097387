"""Comparing the baseline and scenarios: :func:`compare_scenarios` and its result."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast._data_notes import is_reconstructed
from wgsforecast._markdown import markdown_table
from wgsforecast._suggest import did_you_mean
from wgsforecast._text import Text
from wgsforecast.engines.registry import new_engine
from wgsforecast.labels import label, label_text, method_name
from wgsforecast.periods import Lang, format_month, format_number, format_percent, month_range
from wgsforecast.scenarios.apply import apply_scenario, scenario_engine
from wgsforecast.scenarios.model import BASELINE, Scenario, check_unique
from wgsforecast.scenarios.runs import QUANTILES, Run, ScenarioOutcome, batches, run_batch
from wgsforecast.scenarios.texts import comparison_texts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.engines import Engine
    from wgsforecast.models import ProgrammeData, TablePeriod

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ScenarioComparison:
    """The baseline and every scenario, run on the same random numbers.

    The first outcome is the baseline. Use :meth:`table` for numbers, :meth:`to_markdown`
    for a report, :meth:`plot_fans` and :meth:`plot_shifts` for figures.
    """

    outcomes: tuple[ScenarioOutcome, ...]
    months: pd.PeriodIndex
    as_of: pd.Period
    periods: tuple[TablePeriod, ...]
    engine: str
    n_paths: int
    seed: int
    data_notes: tuple[str, ...] = ()
    price_per_ge: float | None = None
    currency: str = "DKK"
    descriptions: Mapping[str, Text] = field(default_factory=dict)

    @property
    def baseline(self) -> ScenarioOutcome:
        """The baseline outcome."""
        return self.outcomes[0]

    def __getitem__(self, name: str) -> ScenarioOutcome:
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        names = [o.name for o in self.outcomes]
        hint = did_you_mean(name, names)
        raise KeyError(f"no scenario {name!r}{hint} (scenarios: {', '.join(names)})")

    def _month(self, position: float) -> pd.Period | None:
        return None if not np.isfinite(position) else self.months[int(position)]

    def path_shifts(self, name: str) -> FloatArray:
        """Per path, how many months later (positive) the scenario reaches the target.

        Paths where either run does not reach the target within the horizon are NaN.
        """
        base = self.baseline.target_positions.astype(np.float64)
        other = self[name].target_positions.astype(np.float64)
        result = other - base
        result[(base < 0) | (other < 0)] = np.nan
        return result

    def table(self, lang: Lang = "da") -> pd.DataFrame:
        """One row per scenario (baseline first): numbers, for CSV files and code.

        Columns: ``scenario``, ``label``, target month at ``p10``/``p50``/``p90`` (``None``
        when not reached within the horizon), ``shift_p50_months`` (scenario P50 minus
        baseline P50), ``p_by_deadline`` and ``p_change`` (percentage points / 100), then
        per table period the cumulative GE at P50, P10 and P90, and - when a price per GE
        was given - the cost of the GE left after the deadline at P50, P10 and P90; last
        ``data_notes`` (``reconstructed`` for the bundled data). The deadline columns are
        empty (``None``) when the deadline is after the horizon: unknown, not 0.
        """
        labels = self.period_labels(lang)
        base_q = self.baseline.target_position_quantiles()
        rows = []
        for outcome in self.outcomes:
            positions = outcome.target_position_quantiles()
            row: dict[str, object] = {"scenario": outcome.name, "label": outcome.label(lang)}
            for q, position in zip(QUANTILES, positions, strict=True):
                month = self._month(position)
                row[f"target_p{round(100 * q)}"] = None if month is None else str(month)
            shift = positions[1] - base_q[1]
            row["shift_p50_months"] = shift if np.isfinite(shift) else np.nan
            p_now, p_base = outcome.p_by_deadline, self.baseline.p_by_deadline
            row["p_by_deadline"] = p_now
            row["p_change"] = None if p_now is None or p_base is None else p_now - p_base
            for column, name in enumerate(labels):
                for q_index, q in ((1, 50), (0, 10), (2, 90)):
                    row[f"{name} p{q}"] = outcome.period_quantiles[q_index, column]
            if self.price_per_ge is not None:
                cost = self._cost(outcome)
                for q_index, q in ((1, 50), (0, 10), (2, 90)):
                    row[f"cost_left_p{q}"] = None if cost is None else cost[q_index]
            row["data_notes"] = "; ".join(self.data_notes)
            rows.append(row)
        return pd.DataFrame.from_records(rows)

    def _summary_cells(self, outcome: ScenarioOutcome, lang: Lang) -> list[str]:
        """Scenario, median target month, its 80% interval, shift and P(by the deadline)."""
        words = comparison_texts(lang)
        positions = outcome.target_position_quantiles()
        shift = positions[1] - self.baseline.target_position_quantiles()[1]
        shift_text = (
            "-"
            if outcome is self.baseline
            else (f"{shift:+.0f}" if np.isfinite(shift) else words["na"])
        )
        p_now, p_base = outcome.p_by_deadline, self.baseline.p_by_deadline
        p_text = words["na"] if p_now is None else format_percent(p_now, lang)
        if outcome is not self.baseline and p_now is not None and p_base is not None:
            change = p_now - p_base
            points = format_number(100 * abs(change), lang)
            p_text += f" ({'+' if change >= 0 else '-'}{points} {words['pp']})"
        return [
            outcome.label(lang),
            self.month_text(positions[1], lang),
            f"{self.month_text(positions[0], lang)} - {self.month_text(positions[2], lang)}",
            shift_text,
            p_text,
        ]

    def to_text(self, lang: Lang = "da", width: int = 100) -> str:
        """The comparison for a terminal: one block per scenario, no line over ``width``.

        The Markdown table (:meth:`to_markdown`) is too wide for a terminal once the
        scenario names and the yearly columns are in it.
        """
        words = comparison_texts(lang)
        blocks = []
        for outcome in self.outcomes:
            name, median, interval, shift, chance = self._summary_cells(outcome, lang)
            detail = (
                f"{words['target_p50']}: {median} ({words['target_interval']}: {interval}); "
                f"{words['shift']}: {shift}; {words['p_deadline']}: {chance}"
            )
            blocks.append(
                textwrap.fill(name, width)
                + "\n"
                + textwrap.fill(detail, width, initial_indent="  ", subsequent_indent="  ")
            )
        blocks.append(textwrap.fill(self.method_note(lang), width))
        if is_reconstructed(self.data_notes):
            blocks.append(textwrap.fill(label("reconstructed", lang), width))
        return "\n".join(blocks)

    def to_markdown(self, lang: Lang = "da") -> str:
        """A Markdown table for reports, with Danish number formats by default."""
        words = comparison_texts(lang)
        labels = self.period_labels(lang)
        header = [
            words["scenario"],
            words["target_p50"],
            words["target_interval"],
            words["shift"],
            words["p_deadline"],
            *(f"{name} (P50 [P10-P90])" for name in labels),
        ]
        if self.price_per_ge is not None:
            header.append(words["cost"].format(currency=self.currency))
        rows = []
        for outcome in self.outcomes:
            cells = self._summary_cells(outcome, lang)
            for column in range(len(labels)):
                p10, p50, p90 = outcome.period_quantiles[:, column]
                cells.append(
                    f"{_num(p50, lang)} [{_num(p10, lang)}-{_num(p90, lang)}]"
                    if np.isfinite(p50)
                    else words["na"]
                )
            if self.price_per_ge is not None:
                cost = self._cost(outcome)
                cells.append(
                    words["na"]
                    if cost is None
                    else f"{_num(cost[1], lang)} [{_num(cost[0], lang)}-{_num(cost[2], lang)}]"
                )
            rows.append(cells)
        notes = [self.method_note(lang)]
        if any(o.deadline_summary is None for o in self.outcomes):
            notes.append(words["deadline_beyond"])
        described = [
            (o.label(lang), self.descriptions.get(o.name, _NO_DESCRIPTION).template(lang))
            for o in self.outcomes
        ]
        bullets = [f"- {name}: {text}" for name, text in described if text]
        if bullets:
            notes.append("\n".join(bullets))
        if is_reconstructed(self.data_notes):
            notes.append(label("reconstructed", lang))
        return markdown_table(header, rows) + "\n\n" + "\n\n".join(notes) + "\n"

    def period_labels(self, lang: Lang) -> list[str]:
        """The table periods' labels in ``lang``, in the order of the period columns."""
        return [period.label(lang) for period in self.periods]

    def _cost(self, outcome: ScenarioOutcome) -> tuple[float, float, float] | None:
        """Cost of the GE left after the deadline at P10, P50, P90 (``None``: unknown)."""
        left = outcome.left_after_deadline()
        if left is None or self.price_per_ge is None:
            return None
        price = self.price_per_ge
        return left[0] * price, left[1] * price, left[2] * price

    def month_text(self, position: float, lang: Lang) -> str:
        """The month at a position (``inf``: "not reached"), formatted."""
        month = self._month(position)
        return comparison_texts(lang)["not_reached"] if month is None else format_month(month, lang)

    def plot_fans(self, ax: Axes | None = None, lang: Lang = "da") -> Axes:
        """Cumulative GE per scenario: the median line and the P10-P90 band, with the target."""
        from wgsforecast.plotting.scenarios import plot_fans

        return plot_fans(self, ax, lang)

    def plot_shifts(self, ax: Axes | None = None, lang: Lang = "da") -> Axes:
        """Bar chart: months the median target month moves in each scenario (+ = later)."""
        from wgsforecast.plotting.scenarios import plot_shifts

        return plot_shifts(self, ax, lang)

    def method_note(self, lang: Lang) -> str:
        """Engine, number of paths and seed, for notes under tables and figures."""
        key = "method" if self.n_paths > 1 else "method_deterministic"
        return comparison_texts(lang)[key].format(
            engine=method_name(self.engine, lang),
            paths=format_number(self.n_paths, lang),
            seed=self.seed,
        )


_NO_DESCRIPTION = Text(da="", en="")


def _num(value: float, lang: Lang) -> str:
    return format_number(value, lang) if np.isfinite(value) else "-"


def _runs_bar(total: int, enabled: bool | None) -> Any:
    """A progress bar over scenario runs (``None``: shown only on a terminal).

    Counts only, no words: the command's language is not known here.
    """
    from tqdm import tqdm

    disable = None if enabled is None else not enabled
    return tqdm(total=total, bar_format="{n}/{total} |{bar}| {elapsed}", disable=disable)


def compare_scenarios(
    base: ProgrammeData,
    scenarios: Sequence[Scenario],
    engine: str | Engine = "adoption",
    n_paths: int = 10_000,
    seed: int = 2023,
    price_per_ge: float | None = None,
    currency: str = "DKK",
    progress: bool | None = False,
    workers: int | None = 1,
    run_progress: bool | None = False,
) -> ScenarioComparison:
    """Run the baseline and every scenario on the same random numbers and compare them.

    Parameters
    ----------
    base
        The base data (e.g. :func:`wgsforecast.load_bundled`).
    scenarios
        Scenarios to compare (names must be unique and not ``"baseline"``).
    engine
        Engine name (``"adoption"`` by default; ``"runrate"`` is the published method) or a
        configured engine instance (copies of it are fitted; it is not changed).
    n_paths
        Sample paths per run (ignored by deterministic engines).
    seed
        One seed for every run, so the runs share their random numbers.
    price_per_ge
        Optional price of one GE; adds the cost of the GE left after the deadline. No
        default price is assumed.
    currency
        Currency of ``price_per_ge``, shown in labels.
    progress
        Show progress bars of the engine runs.
    workers
        Processes to run scenarios in (``None``: one per CPU). Scenarios that leave the
        patient groups unchanged share the baseline's fit; the others are fitted anew, and
        those fits run in parallel. Results do not depend on the number of workers.
    run_progress
        Show one bar over the runs (baseline and scenarios) as they finish; ``None``: only
        when standard error is a terminal.

    Returns
    -------
    ScenarioComparison
        Baseline first, then the scenarios in the order given.

    Raises
    ------
    ConfigError
        If a scenario does not fit the base data (unknown group, bad shift); every scenario
        is checked before any run starts.

    Examples
    --------
    >>> import wgsforecast as wf
    >>> data = wf.load_bundled()
    >>> later = Scenario(groups={"udbredt-uhelbredelig-kraeft": {"go_live_shift_months": 6}})
    >>> comparison = compare_scenarios(data, [later], engine="runrate")
    >>> float(comparison.table()["shift_p50_months"].iloc[1]) >= 0
    True
    """
    if price_per_ge is not None and not (np.isfinite(price_per_ge) and price_per_ge > 0):
        raise ValueError(f"price_per_ge must be a positive number; got {price_per_ge!r}")
    chosen = new_engine(engine)
    check_unique(scenarios)
    runs = [Run(BASELINE, label_text("scenario_baseline"), chosen)]
    # Applied once, here: a scenario that does not fit the data fails before the slow runs.
    runs += [
        Run(s.name, s.label_text, scenario_engine(s, chosen), apply_scenario(s, base))
        for s in scenarios
    ]
    groups_of_runs = batches(base, runs)
    arguments = (n_paths, seed, progress)
    n_workers = min(workers or os.cpu_count() or 1, len(groups_of_runs))
    if n_workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(n_workers, mp_context=context) as pool:
            # Largest batch first, so the pool's two queues end at about the same time.
            order = sorted(range(len(groups_of_runs)), key=lambda i: -len(groups_of_runs[i]))
            futures = {
                i: pool.submit(run_batch, base, groups_of_runs[i], *arguments) for i in order
            }
            with _runs_bar(len(runs), run_progress) as bar:
                for future in as_completed(futures.values()):
                    bar.update(len(future.result()))
            done = [futures[i].result() for i in range(len(groups_of_runs))]
    else:
        done = []
        with _runs_bar(len(runs), run_progress) as bar:
            for batch in groups_of_runs:
                done.append(run_batch(base, batch, *arguments))
                bar.update(len(batch))
    by_name = {outcome.name: outcome for batch in done for outcome in batch}
    outcomes = [by_name[run.name] for run in runs]
    known = base.actuals[base.actuals["month"] <= base.assumptions.as_of]
    months = month_range(known["month"].min(), base.assumptions.horizon_end)
    periods = base.assumptions.programme.table_periods
    return ScenarioComparison(
        outcomes=tuple(outcomes),
        months=months,
        as_of=base.assumptions.as_of,
        periods=tuple(periods),
        engine=chosen.name,
        n_paths=int(outcomes[0].target_positions.size),
        seed=seed,
        data_notes=tuple(base.actuals.attrs.get("notes", ())),
        price_per_ge=price_per_ge,
        currency=currency,
        descriptions={s.name: s.description_text for s in scenarios},
    )


# --------------------------------------------------------------------------- tornado
