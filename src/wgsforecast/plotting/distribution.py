"""When the target is reached: the distribution of the target month."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_month, format_number, format_percent
from wgsforecast.plotting._marks import deadline_line
from wgsforecast.plotting._style import (
    BLUE,
    ORANGE,
    check_lang,
    footnote,
    month_axis,
    month_end,
    month_start,
    new_axes,
    percent_tick,
    title,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.prognosis import Prognosis


def plot_target_distribution(
    prognosis: Prognosis, ax: Axes | None = None, lang: Lang = "da"
) -> Axes:
    """Draw when the target is first reached: monthly probability and cumulative probability.

    Bars show P(the target is first reached in month m); a line on a second y-axis shows
    P(reached by the end of month m). The deadline is marked, and a text box gives the
    P10/P50/P90 months and the share of paths that never reach the target.

    Parameters
    ----------
    prognosis
        The prognosis to draw (needs ``target_distribution``, ``target_month_quantiles`` and
        ``p_never``).
    ax
        Axes to draw on; ``None`` creates a 9 x 5 inch figure.
    lang
        ``"da"`` (default) or ``"en"``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the bars (the twin axes with the cumulative line is
        ``ax.wgs_cumulative_axes``).
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    lang = check_lang(lang)
    ax = new_axes(ax)
    dist = prognosis.target_distribution()
    dist = dist.assign(month=pd.PeriodIndex(dist["month"], freq="M"))
    positive = dist[dist["probability"] > 0]
    deadline = prognosis.programme.deadline
    if len(positive):
        first = min(positive["month"].min(), deadline) - 2
        last = max(positive["month"].max(), deadline) + 2
    else:
        first, last = deadline - 2, deadline + 12
    shown = dist[(dist["month"] >= first) & (dist["month"] <= last)]
    starts = month_start(shown["month"])
    # Bars fill most of their month, so a bar reads as "reached during this month".
    widths = (month_end(shown["month"]) - starts) * 0.85
    ax.bar(
        starts,
        shown["probability"].to_numpy(float),
        width=widths,
        align="edge",
        color=BLUE,
        label=label("plot_p_month", lang),
        gid="probability",
    )
    twin = ax.twinx()
    # Points at month ends: the chance the target is reached by the end of each month.
    twin.plot(
        month_end(shown["month"]),
        shown["cumulative_probability"].to_numpy(float),
        color=ORANGE,
        linewidth=2,
        marker="o",
        markersize=3,
        label=label("plot_p_cumulative", lang),
        gid="cumulative_probability",
    )
    percent = FuncFormatter(lambda v, _: percent_tick(v, lang))
    twin.set_ylim(0, 1.05)
    twin.yaxis.set_major_formatter(percent)
    twin.set_ylabel(label("plot_p_cumulative_axis", lang), color=ORANGE)
    twin.spines["top"].set_visible(False)
    twin.spines["right"].set_color(ORANGE)
    twin.tick_params(axis="y", colors=ORANGE)
    deadline_line(ax, prognosis, lang, text_side="right")

    # Steps of 1, 2 or 5 percentage points: no 2.5 % ticks rounded to "2 %".
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(percent)
    ax.set_ylabel(label("plot_p_month_axis", lang), color=BLUE)
    ax.tick_params(axis="y", colors=BLUE)
    peak = float(shown["probability"].max()) if len(shown) else 0.0
    ax.set_ylim(0, max(peak * 1.15, 0.05))
    month_axis(ax, first, last, lang)
    ax.spines["top"].set_visible(False)
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)

    quantiles = prognosis.target_month_quantiles((0.1, 0.5, 0.9))
    months = []
    for q in (0.1, 0.5, 0.9):
        month = quantiles.get(q)
        when = format_month(month, lang) if month is not None else label("not_reached", lang)
        months.append(f"P{100 * q:g}: {when}")
    shares = []
    if prognosis.programme.deadline <= prognosis.months[-1]:
        by_deadline = format_percent(prognosis.p_target_by_deadline(), lang)
        shares.append(f"{label('plot_p_by_deadline', lang)}: {by_deadline}")
    shares.append(f"{label('plot_p_never', lang)}: {format_percent(prognosis.p_never(), lang)}")
    # The summary sits between title and plot, where it can never hide a bar.
    ax.annotate(
        "   ·   ".join(months) + "\n" + "   ·   ".join(shares),
        xy=(0.0, 1.0),
        xycoords="axes fraction",
        xytext=(0, 8),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=9.5,
        gid="summary",
    )
    target = prognosis.programme.target_ge
    heading = label("plot_target_title", lang).format(target=format_number(target, lang))
    title(ax, heading, pad=44)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    texts = ax.get_legend_handles_labels()[1] + twin.get_legend_handles_labels()[1]
    ax.legend(
        handles,
        texts,
        frameon=False,
        fontsize=9,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncols=2,
    )
    ax.wgs_cumulative_axes = twin  # type: ignore[attr-defined]
    footnote(ax.figure, prognosis.data_notes, lang)
    return ax
