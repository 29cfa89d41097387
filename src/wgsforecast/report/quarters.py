"""The quarterly view: GE per calendar quarter, done, forecast before, and projected.

Rows are quarters (``2023 K1``). A past quarter shows the GE done in it, what the previous
vintage forecast for it and the miss; the quarters ahead show the median and the 80 %
interval of the GE in the quarter and of the cumulative total at its end. Every number is
:meth:`Prognosis.quarterly` (paths summed into quarters first, quantiles after) or read from
the vintage's saved national cumulative series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wgsforecast.labels import label, method_name
from wgsforecast.periods import Lang, format_month, format_number
from wgsforecast.prognosis import Prognosis
from wgsforecast.vintages import Vintage

PAST_QUARTERS = 8
"""Completed quarters of actuals shown (two years): enough to see the pace, not the history."""
NEXT_QUARTERS = 8
"""Quarters ahead shown, the quarter holding the as-of month first when it is partial."""


def vintage_quarters(vintage: Vintage) -> pd.Series:
    """What a vintage forecast for each quarter ending after its as-of month.

    A quarter's forecast is the vintage's central cumulative GE at the quarter's end less
    that at the end of the quarter before: the vintage saved the median of the running
    total, not the paths, so this is a difference of medians (exact for a one-path method).
    A quarter needs both month ends in the vintage's series; the published vintage has half
    years only, so it has no quarter.

    Returns
    -------
    pandas.Series
        GE by quarter (``pandas.Period``, quarterly), empty when there is none.
    """
    series = vintage.cumulative.set_index(vintage.cumulative["month"].astype(str))["cumulative"]
    values: dict[pd.Period, float] = {}
    for text in series.index:
        month = pd.Period(text, freq="M")
        before = str(month - 3)
        if month.month % 3 == 0 and month > vintage.as_of and before in series.index:
            values[month.asfreq("Q")] = float(series[text] - series[before])
    return pd.Series(values, dtype=float)


def _rows(table: pd.DataFrame) -> pd.DataFrame:
    """The last :data:`PAST_QUARTERS` actual quarters and the next :data:`NEXT_QUARTERS`."""
    actual = table[table["kind"] == "actual"].tail(PAST_QUARTERS)
    ahead = table[table["kind"] != "actual"].head(NEXT_QUARTERS)
    return pd.concat([actual, ahead])


def quarter_table(prognosis: Prognosis, previous: Vintage | None, lang: Lang) -> pd.DataFrame:
    """The quarterly view as a table, one row per quarter, numbers unformatted.

    Parameters
    ----------
    prognosis
        The prognosis of the headline.
    previous
        The vintage the report compares with (``None``: there is none).
    lang
        Language of the headers and quarter labels.

    Returns
    -------
    pandas.DataFrame
        Quarter, kind, GE done, the previous vintage's forecast and the miss (done less
        forecast, complete quarters only), the projected GE (median, and the 80 % interval
        when the method has more than one path), the cumulative GE at the quarter's end
        (likewise) and the same two medians in genomes (ASSUMED genomes per GE).
    """
    ge = _rows(prognosis.quarterly(lang=lang))
    genomes = prognosis.quarterly(lang=lang, unit="genomes").set_index("period")
    forecast = (
        vintage_quarters(previous) if previous is not None else pd.Series(dtype=float)
    ).reindex(pd.Index(ge["period"]))
    done = ge["actual"].to_numpy(float)
    complete = (ge["kind"] == "actual").to_numpy()
    projected = ~complete
    spread = prognosis.n_paths > 1

    def ahead(column: str) -> np.ndarray:
        return np.where(projected, ge[column].to_numpy(float), np.nan)

    table = pd.DataFrame({label("col_quarter", lang): ge["quarter"].to_numpy()})
    table[label("col_kind", lang)] = [label(f"quarter_{k}", lang) for k in ge["kind"]]
    table[label("col_done", lang)] = done
    table[label("col_previous_forecast", lang)] = forecast.to_numpy(float)
    table[label("col_miss", lang)] = np.where(complete, done - forecast.to_numpy(float), np.nan)
    table[label("col_quarter_p50", lang)] = ahead("ge_p50")
    if spread:
        table[label("col_quarter_p10", lang)] = ahead("ge_p10")
        table[label("col_quarter_p90", lang)] = ahead("ge_p90")
    table[label("col_cumulative_p50", lang)] = ge["cumulative_p50"].to_numpy(float)
    if spread:
        table[label("col_cumulative_p10", lang)] = ahead("cumulative_p10")
        table[label("col_cumulative_p90", lang)] = ahead("cumulative_p90")
    rows = genomes.loc[ge["period"]]
    table[label("col_genomes_quarter", lang)] = np.where(
        complete, rows["actual"].to_numpy(float), rows["genomes_p50"].to_numpy(float)
    )
    table[label("col_genomes_cumulative", lang)] = rows["cumulative_p50"].to_numpy(float)
    return table.round(0)


def genomes_note(prognosis: Prognosis, lang: Lang) -> str:
    """The sentence saying genomes are GE times an ASSUMED factor per group."""
    factors = prognosis.genomes_per_ge()
    low, high = float(factors.min()), float(factors.max())
    factor = (
        format_number(low, lang, 2)
        if low == high
        else f"{format_number(low, lang, 2)}-{format_number(high, lang, 2)}"
    )
    return label("report_genomes_note", lang).format(factor=factor)


def quarter_notes(prognosis: Prognosis, previous: Vintage | None, lang: Lang) -> list[str]:
    """What the quarterly view's columns are: method, interval, previous vintage, genomes."""
    method = method_name(prognosis.engine, lang)
    if prognosis.n_paths > 1:
        lead = label("report_quarters_note", lang).format(
            method=method, paths=format_number(prognosis.n_paths, lang)
        )
    else:
        lead = label("report_quarters_note_single", lang).format(method=method)
    notes = [lead]
    if previous is None:
        notes.append(label("report_quarters_no_previous", lang))
    else:
        name = previous.label_in(lang)
        key = (
            "report_quarters_previous"
            if len(vintage_quarters(previous))
            else ("report_quarters_previous_none")
        )
        notes.append(label(key, lang).format(name=name, as_of=format_month(previous.as_of, lang)))
    notes.append(genomes_note(prognosis, lang))
    return notes
