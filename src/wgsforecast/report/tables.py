"""The report's tables, built from the prognoses' views: Table 1 in its forms, the groups.

Nothing here computes a statistic: every number comes from a :class:`Prognosis` view or
the actuals as reported; the functions only select, name and round.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wgsforecast.io import bundled_data_dir
from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_percent, month_abbreviations
from wgsforecast.prognosis import Prognosis
from wgsforecast.report.notes import note_flag
from wgsforecast.report.text import interval_suffixes, run_rate_header


def published_table(prognosis: Prognosis, lang: Lang) -> pd.DataFrame | None:
    """The published Table 1, in our table's shape, when the prognosis is as of Feb 2023."""
    if str(prognosis.as_of) != "2023-02":
        return None
    path = bundled_data_dir() / "table1_2023_03.csv"
    if not path.is_file():
        return None
    published = pd.read_csv(path)
    ours = prognosis.yearly_table(lang)
    column = "period_da" if lang == "da" else "period"
    values = published.set_index(column)
    if lang == "en":
        values = values.rename(index={"mid-2024": "Mid-2024"})
    if list(values.index) != list(ours.columns):
        return None
    table = pd.DataFrame(
        [values["ge_in_period"].to_numpy(float), values["ge_cumulative"].to_numpy(float)],
        index=ours.index,
        columns=ours.columns,
    )
    return table.astype("Float64")


def evidence_table(prognosis: Prognosis, lang: Lang) -> pd.DataFrame:
    """Table 1's shape with each cell as median and 80 % interval (p10, p50, p90 rows).

    The p10 and p90 rows are named with the measure and :func:`interval_suffixes`.
    """
    intervals = prognosis.yearly_intervals((0.1, 0.5, 0.9), lang)
    rows = []
    names = prognosis.yearly_table(lang).index
    low, high = interval_suffixes(lang)
    for measure, name in zip(("per_period", "total"), names, strict=True):
        part = intervals[intervals["measure"] == measure].set_index("period")
        for column, suffix in (("p50", ""), ("p10", low), ("p90", high)):
            rows.append(part[column].rename(f"{name}{suffix}"))
    return pd.DataFrame(rows).round().astype("Float64")


def known_actuals(actuals: pd.DataFrame, as_of: pd.Period) -> pd.DataFrame:
    """The actuals up to the as-of month: later rows were not known to the prognosis."""
    return actuals[actuals["month"] <= as_of]


def _cap_columns(prognosis: Prognosis, base: pd.DataFrame, lang: Lang) -> dict[str, Any]:
    """The cap column, headed by the cap share; with shares differing, a share column too."""
    shares = {group.cap_share for group in prognosis.groups}
    if len(shares) == 1:
        share = format_percent(shares.pop(), lang)
        return {label("report_cap_per_year_share", lang).format(share=share): base["cap_per_year"]}
    return {
        label("report_cap_per_year", lang): base["cap_per_year"],
        label("report_cap_share", lang): [100 * g.cap_share for g in prognosis.groups],
    }


def group_table(prognosis: Prognosis, lang: Lang) -> pd.DataFrame:
    """Per-group table: declared, cap, the run-rate window's months, status, projected, flags.

    The months come from the prognosis' own actuals (:meth:`Prognosis.history`), so only
    those up to its as-of month count; a later row of the input (e.g. a file with more
    months than ``--as-of``) neither shows nor clears the "no data yet" flag. A month of
    the window before the data start shows 0.
    """
    base = prognosis.group_table(lang)
    window = prognosis.assumptions.run_rate_window
    last = pd.period_range(prognosis.as_of - (window - 1), prognosis.as_of, freq="M")
    history = prognosis.history()
    recent = history.reindex(columns=last, fill_value=0.0)
    with_data = set(history.index[(history > 0).any(axis=1)])
    spans = [p.label(lang) for p in prognosis.programme.table_periods if p.kind == "span"]
    table = pd.DataFrame(
        {
            label("group", lang): base["name"],
            label("status", lang): [label(s, lang) for s in base["status"]],
            label("declared_per_year", lang): base["declared_per_year"],
            **_cap_columns(prognosis, base, lang),
        }
    )
    abbr = month_abbreviations(lang)
    for month in last:
        table[f"{abbr[month.month - 1]} {month.year}"] = (
            recent[month].reindex(pd.Index(base["group"])).to_numpy()
        )
    table[run_rate_header(window, lang)] = base["run_rate_per_month"].round(1)
    for span in spans:
        table[span] = base[span].round()
    flags = []
    for key, capped in zip(base["group"].tolist(), base["capped_months"].tolist(), strict=True):
        flag = []
        if capped > 0:
            flag.append(label("report_flag_capped", lang).format(n=capped))
        if key not in with_data:
            flag.append(label("report_flag_no_data", lang))
        flag.extend(note_flag(note, lang) for note in prognosis.group_notes.get(key, ()))
        flags.append("; ".join(flag))
    table[label("report_flags", lang)] = flags
    return table


def monthly_frame(prognosis: Prognosis) -> pd.DataFrame:
    """Monthly GE per group (median over paths), months as text for CSV."""
    frame = prognosis.monthly()
    frame["month"] = frame["month"].astype(str)
    return frame


def cumulative_frame(prognosis: Prognosis) -> pd.DataFrame:
    """National monthly and cumulative GE with the 80 % interval, months as text."""
    frame = prognosis.cumulative((0.1, 0.5, 0.9))
    frame["month"] = frame["month"].astype(str)
    return frame


def _month_start(months: pd.Series) -> pd.Series:
    """Month texts (``2023-02``) as the first day of the month, for a real date in Excel."""
    return (
        pd.PeriodIndex(months.astype(str), freq="M")
        .to_timestamp(how="start")
        .to_series(index=months.index)
    )


def monthly_sheet(frame: pd.DataFrame, prognosis: Prognosis, lang: Lang) -> pd.DataFrame:
    """:func:`monthly_frame` for reading: group names, dates, labelled kinds, Danish headers."""
    names = {group.key: group.name(lang) for group in prognosis.groups}
    yes, no = label("yes", lang), label("no", lang)
    return pd.DataFrame(
        {
            label("group", lang): frame["group"].map(names),
            label("month", lang): _month_start(frame["month"]),
            label("col_kind", lang): [label(k, lang) for k in frame["kind"]],
            label("col_ge_month_p50", lang): frame["ge"],
            label("col_capped", lang): [yes if c else no for c in frame["capped"]],
            label("col_capped_share", lang): 100 * frame["capped_share"],
        }
    )


def cumulative_sheet(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """:func:`cumulative_frame` for reading: dates, labelled kinds, Danish headers."""
    table = pd.DataFrame(
        {
            label("month", lang): _month_start(frame["month"]),
            label("col_kind", lang): [label(k, lang) for k in frame["kind"]],
            label("col_ge_month_p50", lang): frame["ge"],
            label("col_cumulative_p50", lang): frame["cumulative"],
        }
    )
    for q in ("p10", "p90"):
        column = f"cumulative_{q}"
        if column in frame.columns:
            table[label(f"col_cumulative_{q}", lang)] = frame[column]
    return table
