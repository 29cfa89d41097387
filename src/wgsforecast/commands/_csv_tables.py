"""The tables the subcommands write as CSV, in the run's language.

English (``--lang en``) keeps the column names code uses (``target_p50``, ``error_pct``);
Danish (``--lang da``) gives every column a Danish header and translates the few text
values meant for people (data notes, statuses, score names). Numbers are never changed:
:func:`wgsforecast.csv_export.csv_bytes` writes them in the language's format.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from wgsforecast._data_notes import RECONSTRUCTED
from wgsforecast.csv_export import csv_bytes
from wgsforecast.labels import label
from wgsforecast.periods import Lang

if TYPE_CHECKING:
    from wgsforecast.backtesting import BacktestResult
    from wgsforecast.scenarios import ScenarioComparison
    from wgsforecast.vintages import VintageComparison

DATA_NOTES = "Datanoter"
SHARE = "andel"
"""Probabilities are written as shares from 0 to 1; the Danish header says so."""

VINTAGE_HEADERS: dict[str, str] = {
    "vintage": "Prognoseversion",
    "as_of": label("repr_as_of", "da"),
    "month": label("month", "da"),
    "predicted": "Forudsagt akkumuleret (GE)",
    "actual": "Faktisk akkumuleret (GE)",
    "error": "Fejl (GE)",
    "error_pct": label("bt_pct_error", "da"),
    "is_period_end": "Slut på tabelperiode",
    "target_ge": f"{label('target', 'da')} (GE)",
    "predicted_month": "Forudsagt målmåned",
    "actual_month": "Faktisk målmåned",
    "error_months": "Fejl (mdr.)",
    "status": label("status", "da"),
    "data_notes": DATA_NOTES,
}
BACKTEST_SCORE_HEADERS: dict[str, str] = {
    "origin": "Prognosetidspunkt",
    "engine": label("backtest_engine", "da"),
    "lead": label("backtest_lead", "da"),
    "metric": "Score",
    "value": "Værdi",
}


def write_csv(path: Path, frame: pd.DataFrame, lang: Lang) -> Path:
    """Write ``frame`` atomically as the CSV of ``lang`` (see :mod:`wgsforecast.csv_export`)."""
    from wgsforecast.io import atomic_write_bytes

    return atomic_write_bytes(path, csv_bytes(frame, lang))


def data_notes_text(notes: str, lang: Lang) -> str:
    """A ``data_notes`` cell (``"reconstructed"``, joined by ``"; "``) in ``lang``."""
    if lang == "en" or not notes:
        return notes
    short = {RECONSTRUCTED: label("vintage_reconstructed_short", "da")}
    return "; ".join(short.get(note, note) for note in notes.split("; "))


def scenario_table(comparison: ScenarioComparison, lang: Lang) -> pd.DataFrame:
    """``scenarios.csv``: :meth:`~wgsforecast.scenarios.ScenarioComparison.table` in ``lang``."""
    table = comparison.table(lang)
    if lang == "en":
        return table
    quantile = {
        "p50": "median",
        "p10": label("report_row_low", "da"),
        "p90": label("report_row_high", "da"),
    }
    target = label("target_month", "da")
    cost = f"Pris for GE efter fristen, {comparison.currency}"
    fixed = {
        "scenario": "Scenarienøgle",
        "label": label("scenario_scenario", "da"),
        "shift_p50_months": label("scenario_shift", "da"),
        "p_by_deadline": f"{label('scenario_p_deadline', 'da')} ({SHARE})",
        "p_change": f"Ændring i sandsynligheden ({SHARE})",
        "data_notes": DATA_NOTES,
        **{f"target_{q}": f"{target} ({word})" for q, word in quantile.items()},
        **{f"cost_left_{q}": f"{cost} ({word})" for q, word in quantile.items()},
    }
    headers = {}
    for column in table.columns:
        # The period columns are "<period> p50" etc.; the period's name is Danish already.
        period, _, q = str(column).rpartition(" ")
        per_period = f"{period} ({quantile[q]})" if period and q in quantile else column
        headers[column] = fixed.get(column, per_period)
    notes = table["data_notes"].map(lambda text: data_notes_text(str(text), lang))
    return table.assign(data_notes=notes).rename(columns=headers)


def backtest_scores(result: BacktestResult, lang: Lang) -> pd.DataFrame:
    """``backtest_scores.csv``: one row per origin, engine, lead and score."""
    from wgsforecast.backtesting import metric_label

    scores = result.scores.assign(origin=result.scores["origin"].astype(str))
    if lang == "en":
        return scores
    scores = scores.assign(metric=scores["metric"].map(lambda m: metric_label(str(m), "da")))
    return scores.rename(columns=BACKTEST_SCORE_HEADERS)


def backtest_summary(result: BacktestResult, lang: Lang) -> pd.DataFrame:
    """``backtest_summary.csv``: the mean of every score, one row per engine."""
    from wgsforecast.backtesting import metric_label

    summary = result.summary().reset_index()
    if lang == "en":
        return summary
    headers = {c: metric_label(str(c), "da") for c in summary.columns}
    return summary.rename(columns={**headers, "engine": label("backtest_engine", "da")})


def vintage_errors(comparison: VintageComparison, lang: Lang) -> pd.DataFrame:
    """``vintage_errors.csv``: every vintage's cumulative error at every observed month."""
    errors = comparison.errors
    if lang == "en":
        return errors
    notes = errors["data_notes"].map(lambda text: data_notes_text(str(text), lang))
    return errors.assign(data_notes=notes).rename(columns=VINTAGE_HEADERS)


def vintage_targets(comparison: VintageComparison, lang: Lang) -> pd.DataFrame:
    """``vintage_targets.csv``: every vintage's target month against the actual one."""
    targets = comparison.targets
    if lang == "en" or targets.empty:
        return targets
    last = last_actual_month(comparison)
    statuses = [target_status(row, last, lang) for row in targets.to_dict("records")]
    notes = targets["data_notes"].map(lambda text: data_notes_text(str(text), lang))
    return targets.assign(status=statuses, data_notes=notes).rename(columns=VINTAGE_HEADERS)


def last_actual_month(comparison: VintageComparison) -> str | None:
    """The last month of the actuals a vintage comparison scored against."""
    months = comparison.actual["month"]
    return str(months.iloc[-1]) if len(months) else None


def target_status(row: Mapping[Hashable, Any], last: str | None, lang: Lang) -> str:
    """The ``status`` of a row of :attr:`VintageComparison.targets` in ``lang``.

    By the rules of :func:`wgsforecast.vintages.scoring.target_status`, which wrote the
    row's English status.
    """
    from wgsforecast.vintages.scoring import target_status as status_of

    predicted = row["predicted_month"]
    return status_of(
        reached=_known(row["actual_month"]),
        predicted=pd.Period(predicted, "M") if _known(predicted) else None,
        last=None if last is None else pd.Period(last, "M"),
        lang=lang,
    )


def _known(value: Any) -> bool:
    return value is not None and not pd.isna(value)
