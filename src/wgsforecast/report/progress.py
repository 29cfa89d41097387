"""Progress per patient group: a table the steering group can scan quarter by quarter.

Status is read from the registry's go-live month and status and from the data, as of the
prognosis's as-of month (:func:`group_status`):

``live`` (i drift)
    The group has reported GE in at least one month up to the as-of month.
``slipped`` (forsinket)
    No GE reported yet, though the registry's go-live month is at or before the as-of month.
``onboarding`` (under opstart)
    No GE reported yet, go-live after the as-of month, and the registry says onboarding.
``planned`` (planlagt)
    No GE reported yet, go-live after the as-of month (or not set), otherwise.

The data decide over the registry: a group reporting GE is live whatever the registry says.
The ramp fields are not used: for a live group they describe the road ahead from the as-of
month (the published method's ramp), not how far the group has come.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from wgsforecast.labels import label
from wgsforecast.models import PatientGroup
from wgsforecast.periods import Lang, format_month
from wgsforecast.prognosis import Prognosis
from wgsforecast.report.quarters import genomes_note

Status = Literal["live", "onboarding", "planned", "slipped"]
NEXT = 4
"""Quarters ahead shown per group (the quarter holding the as-of month first if partial)."""


def group_status(group: PatientGroup, ge_to_date: float, as_of: pd.Period) -> Status:
    """A group's status from its GE reported to date, its go-live month and registry status."""
    if ge_to_date > 0:
        return "live"
    if group.go_live_passed(as_of):
        return "slipped"
    return "onboarding" if group.status == "onboarding" else "planned"


def _to_date(prognosis: Prognosis) -> pd.DataFrame:
    """GE and genomes (ASSUMED per GE) reported up to the as-of month, per group."""
    ge = prognosis.monthly()
    genomes = prognosis.monthly(unit="genomes")
    actual = ge["kind"] == "actual"
    frame = pd.DataFrame({"group": ge["group"], "ge": ge["ge"], "genomes": genomes["genomes"]})
    return frame[actual].groupby("group", sort=False)[["ge", "genomes"]].sum()


def progress_table(prognosis: Prognosis, lang: Lang) -> pd.DataFrame:
    """One row per patient group and a national total row, numbers unformatted.

    Parameters
    ----------
    prognosis
        The prognosis of the headline.
    lang
        Language of the headers, names and statuses.

    Returns
    -------
    pandas.DataFrame
        Group name, status (:func:`group_status`), declared and cap per year, GE and
        genomes to date, GE in the last complete quarter of data, the share of the declared
        volume that quarter's pace reaches (GE x 4 / declared, in %), and the median GE of
        each of the next four quarters. The total row sums the groups, except the share (the
        total's pace against the total declared) and the quarters ahead (the national
        median, as medians do not add).
    """
    national = prognosis.quarterly(lang=lang)
    complete = national[national["kind"] == "actual"]
    last: pd.Period | None = complete["period"].iloc[-1] if len(complete) else None
    ahead = national[national["kind"] != "actual"].head(NEXT)
    ahead_labels = [str(q) for q in ahead["quarter"]]
    to_date = _to_date(prognosis).reindex(list(prognosis.groups.keys)).to_numpy(float)
    last_header = label("col_last_quarter", lang).format(
        quarter=complete["quarter"].iloc[-1] if last is not None else "–"
    )
    name, status = label("group", lang), label("status", lang)
    declared, share = label("declared_per_year", lang), label("col_share_declared", lang)
    sums = [declared, label("report_cap_per_year", lang), label("col_ge_to_date", lang)]
    sums += [label("col_genomes_to_date", lang), last_header]
    rows = []
    for group, (done, genomes) in zip(prognosis.groups, to_date, strict=True):
        # Only the actuals and the median are read: one quantile, not the default five.
        quarters = prognosis.quarterly((0.5,), lang=lang, group=group.key).set_index("period")
        actual = dict(zip(quarters.index, quarters["actual"].to_numpy(float), strict=True))
        in_last = actual[last] if last is not None else np.nan
        row: dict[str, object] = {
            name: group.name(lang),
            status: label(f"status_{group_status(group, done, prognosis.as_of)}", lang),
        }
        values = [group.declared_per_year, group.cap_share * group.declared_per_year, done]
        values += [genomes, in_last]
        row.update(zip(sums, values, strict=True))
        row[share] = 100 * 4 * in_last / group.declared_per_year
        row.update(zip(ahead_labels, quarters.loc[ahead["period"], "ge_p50"], strict=True))
        rows.append(row)
    table = pd.DataFrame.from_records(rows)
    total: dict[str, object] = {name: label("report_total", lang), status: ""}
    totals = {column: float(table[column].sum()) for column in sums}
    total.update(totals)
    total[share] = 100 * 4 * totals[last_header] / totals[declared]
    total.update(zip(ahead_labels, ahead["ge_p50"], strict=True))
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    numbers = list(table.columns[2:])
    table[numbers] = table[numbers].astype(float).round(0)
    return table


def progress_notes(prognosis: Prognosis, lang: Lang) -> list[str]:
    """What the progress table's status and columns mean."""
    return [
        label("report_progress_note", lang).format(as_of=format_month(prognosis.as_of, lang)),
        genomes_note(prognosis, lang),
    ]
