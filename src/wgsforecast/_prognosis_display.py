"""How a :class:`~wgsforecast.prognosis.Prognosis` shows itself in a notebook or a terminal.

A short ``repr`` and a small HTML headline (engine, paths, target month with its 80%
interval, the odds of the target by the funding deadline, a small yearly table), never the
arrays. Every number comes from the prognosis's own views; this module only formats them.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_month, format_number, format_percent

if TYPE_CHECKING:
    from wgsforecast.prognosis import Prognosis


def _text(key: str, lang: Lang) -> str:
    return label(f"repr_{key}", lang)


def _month(month: pd.Period | None, lang: Lang) -> str:
    return _text("beyond", lang) if month is None else format_month(month, lang)


def _number(value: float, lang: Lang) -> str:
    return "–" if not np.isfinite(value) else format_number(value, lang)


def _target_text(prognosis: Prognosis, lang: Lang) -> str:
    """The median target month, with its 80% interval when there is more than one path."""
    quantiles = prognosis.target_month_quantiles((0.1, 0.5, 0.9))
    central = _month(quantiles[0.5], lang)
    if prognosis.n_paths == 1:
        return central
    low, high = _month(quantiles[0.1], lang), _month(quantiles[0.9], lang)
    return f"{central} ({_text('interval', lang)} {low} – {high})"


def _deadline_odds(prognosis: Prognosis, lang: Lang) -> str:
    try:
        return format_percent(prognosis.p_target_by_deadline(), lang)
    except ValueError:  # the deadline lies past the horizon: the paths say nothing there
        return _text("not_judged", lang)


def short_repr(prognosis: Prognosis) -> str:
    """One line: engine, paths, months, as-of month and the median target month."""
    months = prognosis.months
    target = prognosis.target_month()
    return (
        f"<Prognosis engine={prognosis.engine!r} paths={prognosis.n_paths} "
        f"groups={len(prognosis.groups)} months={months[0]}..{months[-1]} "
        f"as_of={prognosis.as_of} target_ge={prognosis.programme.target_ge} "
        f"target_month_p50={'beyond horizon' if target is None else target}>"
    )


def yearly_rows(prognosis: Prognosis, lang: Lang) -> pd.DataFrame:
    """The yearly table as display text: medians, and the totals' 80% interval."""
    table = prognosis.yearly_table(lang)
    intervals = prognosis.yearly_intervals((0.1, 0.9), lang)
    totals = intervals[intervals["measure"] == "total"]
    spans = [
        "–"
        if not (np.isfinite(lo) and np.isfinite(hi))
        else f"{_number(lo, lang)}–{_number(hi, lang)}"
        for lo, hi in zip(totals["p10"], totals["p90"], strict=True)
    ]
    rows = {
        _text("per_period", lang): [
            _number(float(v), lang) for v in table.iloc[0].to_numpy(float, na_value=np.nan)
        ],
        _text("total", lang): [
            _number(float(v), lang) for v in table.iloc[1].to_numpy(float, na_value=np.nan)
        ],
    }
    if prognosis.n_paths > 1:
        rows[_text("total_interval", lang)] = spans
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(table.columns))


def render_html(prognosis: Prognosis, lang: Lang = "da") -> str:
    """A small HTML headline of the prognosis with a yearly table (no arrays)."""
    programme = prognosis.programme
    target = format_number(programme.target_ge, lang)
    deadline = format_month(programme.deadline, lang)
    done = prognosis.cumulative_at(programme.deadline)
    by_deadline = _number(float(np.median(done)), lang)
    paths = _text("paths" if prognosis.n_paths > 1 else "path", lang)
    engine = f"{prognosis.engine} ({format_number(prognosis.n_paths, lang)} {paths})"
    items = [
        (_text("engine", lang), engine),
        (_text("as_of", lang), format_month(prognosis.as_of, lang)),
        (_text("target_month", lang).format(target=target), _target_text(prognosis, lang)),
        (
            _text("p_deadline", lang).format(target=target, deadline=deadline),
            _deadline_odds(prognosis, lang),
        ),
        (_text("ge_deadline", lang).format(deadline=deadline), by_deadline),
    ]
    lines = [
        '<div class="wgsforecast-prognosis">',
        f"<strong>{_text('title', lang)}</strong>",
        "<table>",
    ]
    lines += [
        f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in items
    ]
    lines.append("</table>")
    lines.append(yearly_rows(prognosis, lang).to_html(border=0))
    lines += [f"<p><em>{html.escape(note)}</em></p>" for note in prognosis.data_notes]
    lines.append("</div>")
    return "\n".join(lines)
