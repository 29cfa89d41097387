"""The methods side by side, and what moves the date: how much of the answer is assumption.

The evidence forecast is shown beside the published method and two naive national
baselines (a linear trend and the flat recent level). A reader sees at once how far the
assumptions carry the answer: where the baselines and the evidence forecast agree, the data
decide; where they part, the priors do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from wgsforecast.labels import label, method_name, month_text
from wgsforecast.periods import Lang, format_month, format_number, format_percent
from wgsforecast.prognosis import Prognosis

BASELINE_ENGINES = ("trend", "flat")
"""Naive baselines the report shows beside the evidence forecast and the published method."""


def later_months(prognosis: Prognosis) -> list[pd.Period]:
    """The months after the deadline whose odds the headline gives.

    One year after the funding deadline and the end of that year (June 2025 and December
    2025 for NGC's mid-2024 deadline), kept only where they lie inside the horizon.
    """
    one_year = prognosis.programme.deadline + 12
    year_end = pd.Period(year=one_year.year, month=12, freq="M")
    months = [one_year] if one_year == year_end else [one_year, year_end]
    return [m for m in months if m <= prognosis.months[-1]]


def methods_table(prognoses: Sequence[Prognosis], lang: Lang) -> pd.DataFrame:
    """One row per method: target month (median, 80% interval) and the odds by date.

    Parameters
    ----------
    prognoses
        The evidence forecast first, then the published method and the baselines.
    lang
        Language of the labels.

    Returns
    -------
    pandas.DataFrame
        ``Metode``/``Method``, the median target month, its 80% interval, P(target by the
        deadline and by each of :func:`later_months`) and the median GE by the deadline.
        A deterministic method (one path) has no interval and no odds.
    """
    first = prognoses[0]
    deadline = first.programme.deadline
    odds_months = [deadline, *later_months(first)]
    rows = []
    for prognosis in prognoses:
        spread = prognosis.n_paths > 1
        row: dict[str, object] = {
            label("col_method", lang): method_name(prognosis.engine, lang),
            label("col_target_p50", lang): month_text(prognosis.target_month(0.5), lang),
            label("col_interval", lang): (
                f"{month_text(prognosis.target_month(0.1), lang)} – "
                f"{month_text(prognosis.target_month(0.9), lang)}"
                if spread
                else "–"
            ),
        }
        for month in odds_months:
            column = label("col_p_by", lang).format(month=format_month(month, lang))
            row[column] = format_percent(prognosis.p_target_by(month), lang) if spread else "–"
        row[label("col_ge_deadline", lang)] = round(float(prognosis.ge_by_deadline()))
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def _driver_name(key: str, prognosis: Prognosis, lang: Lang) -> str:
    kind, _, group = key.partition(":")
    if group:
        return label(f"driver_{kind}", lang).format(group=prognosis.groups[group].name(lang))
    return label(f"driver_{kind}", lang)


def _driver_value(key: str, value: float, lang: Lang) -> str:
    kind = key.partition(":")[0]
    if kind == "capacity":
        return label("driver_capacity_value", lang).format(
            value=format_number(round(value, -2), lang)
        )
    if kind == "plateau":
        return format_percent(value, lang)
    if kind == "start":
        if value == float("inf"):
            return label("driver_never", lang)
        return label("driver_start_value", lang).format(value=format_number(value, lang))
    return format_number(value, lang, 2)


def driver_lines(prognosis: Prognosis, lang: Lang, top: int = 2) -> list[str]:
    """The inputs that move the target month most, as sentences (largest first).

    Drivers whose thirds differ by less than a month are left out: they do not move the
    date. Empty for engines that draw no inputs (the published method, the baselines).
    """
    table = prognosis.what_moves_the_date()
    table = table[table["shift_months"].abs() >= 1].head(top)
    lines = []
    for position, row in enumerate(table.to_dict("records")):
        key = str(row["driver"])
        lines.append(
            label("report_driver_first" if position == 0 else "report_driver_next", lang).format(
                driver=_driver_name(key, prognosis, lang),
                low=_driver_value(key, row["low"], lang),
                high=_driver_value(key, row["high"], lang),
                target_low=month_text(row["target_low"], lang),
                target_high=month_text(row["target_high"], lang),
            )
        )
    return lines


def later_odds(prognosis: Prognosis) -> Mapping[pd.Period, float]:
    """P(target by each of :func:`later_months`), for the headline."""
    return {month: prognosis.p_target_by(month) for month in later_months(prognosis)}
