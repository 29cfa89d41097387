"""Cumulative GE against the target: the main figure and the fan chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wgsforecast.labels import label, quantile_label
from wgsforecast.periods import Lang, format_month, format_number, parse_month
from wgsforecast.plotting._marks import actual_line, band, deadline_line, target_line
from wgsforecast.plotting._style import (
    BLUE,
    GID_MEDIAN,
    GID_PROJECTED,
    GID_PUBLISHED,
    GID_TARGET_MONTH,
    ORANGE,
    RED,
    check_lang,
    check_quantiles,
    display_end,
    end_of,
    footnote,
    format_axes,
    in_window,
    legend,
    month_end,
    new_axes,
    title,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.prognosis import Prognosis


def plot_cumulative(
    prognosis: Prognosis,
    ax: Axes | None = None,
    lang: Lang = "da",
    quantiles: tuple[float, float] = (0.1, 0.9),
    published: pd.DataFrame | None = None,
    *,
    until: Any = None,
    published_label: str | None = None,
) -> Axes:
    """Draw cumulative GE against the target: actual, projected, target and deadline.

    Parameters
    ----------
    prognosis
        The prognosis to draw.
    ax
        Axes to draw on; ``None`` creates a 9 x 5 inch figure.
    lang
        ``"da"`` (default) or ``"en"``.
    quantiles
        Low and high quantile of the shaded band, drawn when the prognosis has more than
        one path.
    published
        A published prognosis to compare with, drawn as markers: a frame with the columns
        ``period_end`` (a month) and ``ge_cumulative``, e.g. Table 1 of item 112/23.
    until
        Last month to draw; ``None`` ends at the December after the target is reached.
    published_label
        Legend text of ``published``; default "Offentliggjort prognose (marts 2023)" /
        "Published prognosis (March 2023)", right only for Table 1 of item 112/23 - give
        the label of any other frame.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> ax = plot_cumulative(prognosis)  # doctest: +SKIP
    """
    lang = check_lang(lang)
    low, high = check_quantiles(quantiles, "quantiles")
    ax = new_axes(ax)
    end = display_end(prognosis, until)
    frame = in_window(prognosis.cumulative((low, high)), end)
    actual = frame[frame["kind"] == "actual"]
    # The projected line starts at the last actual month so the two lines join.
    projected = frame[frame["month"] >= prognosis.as_of]
    multi = prognosis.n_paths > 1

    if multi:
        limits = _cumulative_band(prognosis, low, high, end)
        band(ax, month_end(limits["month"]), limits["low"], limits["high"], low, high, lang)
    actual_line(ax, actual["month"], actual["cumulative"], prognosis, lang)
    projected_label = label("projected", lang)
    if multi:
        projected_label += f" ({label('plot_median', lang).lower()})"
    _projection_line(
        ax, projected["month"], projected["cumulative"], projected_label, GID_PROJECTED
    )
    if published is not None:
        text = label("plot_published", lang) if published_label is None else published_label
        _published_markers(ax, published, end, text)
    target = prognosis.programme.target_ge
    heading = label("plot_cumulative_title", lang).format(target=format_number(target, lang))
    highest = float(np.nanmax(frame.iloc[:, 2:].to_numpy(float)))
    _finish(ax, prognosis, end, lang, heading, highest)
    return ax


def _cumulative_band(prognosis: Prognosis, low: float, high: float, end: pd.Period) -> pd.DataFrame:
    """Band limits of cumulative GE from the as-of month on, from the prognosis's fan."""
    fan = in_window(prognosis.fan("cumulative", quantiles=(low, high)), end)
    # The band only means something where the paths differ: from the as-of month on.
    fan = fan[fan["month"] >= prognosis.as_of]
    return pd.DataFrame(
        {"month": fan["month"], "low": fan[quantile_label(low)], "high": fan[quantile_label(high)]}
    )


def _published_markers(ax: Axes, published: pd.DataFrame, end: pd.Period, text: str) -> None:
    missing = [c for c in ("period_end", "ge_cumulative") if c not in published.columns]
    if missing:
        raise ValueError(
            f"published is missing the column(s) {', '.join(missing)}; pass a frame with "
            "period_end (a month such as 2024-06) and ge_cumulative, like Table 1 "
            "(table1_2023_03.csv)"
        )
    months = pd.PeriodIndex([parse_month(v) for v in published["period_end"]], freq="M")
    values = pd.to_numeric(published["ge_cumulative"], errors="coerce").to_numpy(float)
    keep = (months <= end) & np.isfinite(values)
    ax.plot(
        month_end(months[keep]),
        values[keep],
        linestyle="none",
        marker="D",
        markersize=7,
        markerfacecolor="white",
        markeredgecolor=ORANGE,
        markeredgewidth=2,
        label=text,
        gid=GID_PUBLISHED,
        zorder=5,
    )


def target_month_marker(ax: Axes, prognosis: Prognosis, end: pd.Period, lang: Lang) -> None:
    month = prognosis.target_month()
    target = prognosis.programme.target_ge
    if month is None or month > end:
        text = f"{label('target_month', lang)} {label('not_reached', lang)}"
        ax.text(0.99, 0.02, text, transform=ax.transAxes, ha="right", va="bottom", fontsize=9)
        return
    x = end_of(month)
    ax.plot([x], [target], marker="o", color=RED, markersize=7, gid=GID_TARGET_MONTH, zorder=6)
    suffix = f" ({label('plot_median', lang).lower()})" if prognosis.n_paths > 1 else ""
    ax.annotate(
        f"{label('target_month', lang)}: {format_month(month, lang)}{suffix}",
        xy=(x, target),
        xytext=(-10, 14),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=10,
        fontweight="bold",
        color=RED,
        arrowprops={"arrowstyle": "-", "color": RED, "linewidth": 0.8},
    )


def plot_fan(
    prognosis: Prognosis,
    ax: Axes | None = None,
    lang: Lang = "da",
    quantiles: Sequence[float] = (0.1, 0.25, 0.75, 0.9),
    *,
    until: Any = None,
) -> Axes:
    """Draw a fan chart of cumulative GE: nested quantile bands around the median.

    Parameters
    ----------
    prognosis
        The prognosis to draw; a fan is most informative with many paths.
    ax
        Axes to draw on; ``None`` creates a 9 x 5 inch figure.
    lang
        ``"da"`` (default) or ``"en"``.
    quantiles
        Band limits, paired from the outside in: ``(0.1, 0.25, 0.75, 0.9)`` draws a
        P10–P90 band and a darker P25–P75 band inside it.
    until
        Last month to draw; ``None`` ends at the December after the target is reached.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    lang = check_lang(lang)
    qs = check_quantiles(quantiles, "quantiles")
    if len(qs) % 2:
        raise ValueError(
            f"quantiles must come in low/high pairs (an even count); got {quantiles!r}"
        )
    ax = new_axes(ax)
    end = display_end(prognosis, until)
    asked = tuple(sorted({*qs, 0.5}))
    fan = in_window(prognosis.fan("cumulative", quantiles=asked), end)
    actual = fan[fan["kind"] == "actual"]
    future = fan[fan["month"] >= prognosis.as_of]
    x = month_end(future["month"])
    pairs = [(qs[i], qs[-1 - i]) for i in range(len(qs) // 2)]
    alphas = np.linspace(0.18, 0.45, len(pairs))
    for (low, high), alpha in zip(pairs, alphas, strict=True):
        band(
            ax,
            x,
            future[quantile_label(low)],
            future[quantile_label(high)],
            low,
            high,
            lang,
            float(alpha),
        )
    actual_line(ax, actual["month"], actual[quantile_label(0.5)], prognosis, lang)
    _projection_line(
        ax, future["month"], future[quantile_label(0.5)], label("plot_median", lang), GID_MEDIAN
    )
    heading = label("plot_fan_title", lang).format(paths=format_number(prognosis.n_paths, lang))
    _finish(ax, prognosis, end, lang, heading, float(future[quantile_label(qs[-1])].max()))
    return ax


def _projection_line(ax: Axes, months: Any, values: Any, text: str, gid: str) -> None:
    """The projected (median or mean) cumulative GE: a dashed blue line at month ends."""
    ax.plot(
        month_end(months),
        np.asarray(values, dtype=float),
        color=BLUE,
        linewidth=2,
        linestyle="--",
        label=text,
        gid=gid,
    )


def _finish(
    ax: Axes, prognosis: Prognosis, end: pd.Period, lang: Lang, heading: str, highest: float
) -> None:
    """Target, deadline and target month; title, axes, legend and footnote."""
    target_line(ax, prognosis, lang)
    deadline_line(ax, prognosis, lang)
    target_month_marker(ax, prognosis, end, lang)
    title(ax, heading)
    ax.set_ylabel(label("cumulative_ge", lang))
    ax.set_ylim(0, max(highest, prognosis.programme.target_ge) * 1.08)
    format_axes(ax, lang, prognosis.months[0], end)
    legend(ax, loc="upper left", bbox_to_anchor=(0.0, 0.93))
    footnote(ax.figure, prognosis.data_notes, lang)
