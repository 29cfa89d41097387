"""The files of a vintage saved from a prognosis, all read from the prognosis's views."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from wgsforecast.vintages.vintage import (
    VINTAGE_FORMAT,
    VintageMetadata,
    csv_bytes,
    json_bytes,
    month_or_none,
    with_notes,
)

if TYPE_CHECKING:
    from wgsforecast.prognosis import Prognosis


def deadline_figures(prognosis: Prognosis) -> tuple[float | None, float | None]:
    """GE done by the deadline (central) and P(target by the deadline); ``None`` if unknown.

    Both are unknown when the deadline is after the prognosis horizon: the prognosis then
    says nothing about it, which is not the same as 0 %.
    """
    try:
        p_by_deadline = prognosis.p_target_by_deadline()
    except ValueError:  # the deadline is past the horizon
        return None, None
    return round(prognosis.ge_by_deadline(), 1), p_by_deadline


def _totals(prognosis: Prognosis, quantile: float | None = None) -> pd.DataFrame:
    """The yearly table's two rows (GE in the period, cumulative GE) as float columns.

    Periods after the horizon are NaN (empty in the CSV).
    """
    table = prognosis.yearly_table("en", quantile)
    return pd.DataFrame(
        {
            "in_period": table.iloc[0].to_numpy(dtype=float, na_value=np.nan),
            "cumulative": table.iloc[1].to_numpy(dtype=float, na_value=np.nan),
        }
    )


def prognosis_metadata(prognosis: Prognosis, label: str | None = None) -> VintageMetadata:
    """The ``metadata.json`` of a vintage saved from ``prognosis``."""
    programme = prognosis.programme
    ge_by_deadline, p_by_deadline = deadline_figures(prognosis)
    quantiles = prognosis.target_month_quantiles((0.1, 0.5, 0.9))
    return VintageMetadata(
        format=VINTAGE_FORMAT,
        source="wgsforecast",
        label=prognosis.assumptions.label if label is None else label,
        as_of=str(prognosis.as_of),
        engine=prognosis.engine,
        seed=prognosis.seed,
        n_paths=prognosis.n_paths,
        target_ge=programme.target_ge,
        deadline=str(programme.deadline),
        target_month=month_or_none(quantiles[0.5]),
        target_month_p10=month_or_none(quantiles[0.1]),
        target_month_p90=month_or_none(quantiles[0.9]),
        ge_by_deadline=ge_by_deadline,
        p_target_by_deadline=p_by_deadline,
        data_notes=list(prognosis.data_notes),
        group_notes={k: [str(n) for n in v] for k, v in sorted(prognosis.group_notes.items())},
    )


def prognosis_files(prognosis: Prognosis, label: str | None = None) -> dict[str, bytes]:
    """The data files of a vintage made from a prognosis (everything but the manifest)."""
    periods = prognosis.programme.table_periods
    central, low, high = _totals(prognosis), _totals(prognosis, 0.1), _totals(prognosis, 0.9)
    table1 = pd.DataFrame(
        {
            "period": [p.label("en") for p in periods],
            "period_da": [p.label("da") for p in periods],
            "period_end": [str(p.last) for p in periods],
            "ge_in_period": central["in_period"],
            "ge_cumulative": central["cumulative"],
            "ge_cumulative_p10": low["cumulative"],
            "ge_cumulative_p90": high["cumulative"],
            "kind": ["actual" if p.last <= prognosis.as_of else "prognosis" for p in periods],
        }
    )
    cumulative = prognosis.cumulative((0.1, 0.5, 0.9))
    cumulative["month"] = cumulative["month"].astype(str)
    monthly = prognosis.monthly()[["group", "month", "kind", "ge", "capped"]].copy()
    monthly["month"] = monthly["month"].astype(str)
    notes = list(prognosis.data_notes)
    return {
        "metadata.json": prognosis_metadata(prognosis, label).to_json(),
        "table1.csv": csv_bytes(with_notes(table1, notes)),
        "cumulative.csv": csv_bytes(with_notes(cumulative, notes)),
        "groups_monthly.csv": csv_bytes(with_notes(monthly, notes)),
        "groups.csv": csv_bytes(prognosis.group_table("en")),
        "assumptions.json": json_bytes(prognosis.assumptions.model_dump(mode="json")),
    }
