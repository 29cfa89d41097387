"""Monthly GE by patient group: the stacked areas and one small panel per group."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.labels import label, quantile_label
from wgsforecast.periods import Lang, format_percent
from wgsforecast.plotting._marks import as_of_line, band, tick_marks, ticks_in_view
from wgsforecast.plotting._style import (
    BLUE,
    GID_ACTUAL,
    GID_AS_OF,
    GID_CAP,
    GID_PROJECTED,
    GREY,
    GROUP_COLOURS,
    OTHER_COLOUR,
    RED,
    as_of_text,
    check_lang,
    display_end,
    first_active_month,
    footnote,
    format_axes,
    in_window,
    month_end,
    month_start,
    new_axes,
    pyplot,
    title,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from wgsforecast.prognosis import Prognosis


def plot_monthly_by_group(
    prognosis: Prognosis,
    ax: Axes | None = None,
    lang: Lang = "da",
    top: int = 8,
    *,
    until: Any = None,
) -> Axes:
    """Draw monthly GE stacked by patient group, actual and projected.

    Parameters
    ----------
    prognosis
        The prognosis to draw (the median over paths of each group's monthly GE).
    ax
        Axes to draw on; ``None`` creates a 9 x 5 inch figure.
    lang
        ``"da"`` (default) or ``"en"``.
    top
        How many of the largest groups (by GE in the window drawn) are named; the rest are
        drawn as one layer, "Øvrige grupper" / "Other groups".
    until
        Last month to draw; ``None`` ends at the December after the target is reached.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; one filled layer per named group plus one for the rest.
    """
    lang = check_lang(lang)
    if top < 1:
        raise ValueError(f"top must be at least 1; got {top}")
    ax = new_axes(ax)
    end = display_end(prognosis, until)
    monthly = in_window(prognosis.monthly(), end)
    table = monthly.pivot(index="month", columns="group", values="ge")
    table = table.reindex(columns=list(prognosis.groups.keys)).fillna(0.0)
    first = first_active_month(table)
    table = table[table.index >= first]
    totals = table.sum().sort_values(ascending=False, kind="stable")
    named = list(totals.index[:top])
    rest = list(totals.index[top:])
    layers: list[tuple[str, npt.NDArray[np.float64], str]] = []
    for index, key in enumerate(named):
        name = prognosis.groups[key].name(lang)
        colour = GROUP_COLOURS[index % len(GROUP_COLOURS)]
        layers.append((name, table[key].to_numpy(float), colour))
    if rest:
        layers.append(
            (
                label("plot_other_groups", lang),
                table[rest].sum(axis=1).to_numpy(float),
                OTHER_COLOUR,
            )
        )

    # Steps, not lines: each value is a month's total, so it fills the whole month.
    edges = np.append(month_start(table.index), month_end(table.index[-1:]))
    base = np.zeros(len(table))
    for name, values, colour in layers:
        upper = base + values
        ax.fill_between(
            edges,
            np.append(base, base[-1]),
            np.append(upper, upper[-1]),
            step="post",
            color=colour,
            linewidth=0,
            label=textwrap.shorten(name, 55, placeholder=" …"),
            gid=f"group:{name}",
        )
        base = upper
    as_of_line(ax, prognosis, lang)
    title(ax, label("plot_monthly_title", lang))
    ax.set_ylabel(label("ge_per_month", lang))
    ax.set_ylim(0, float(base.max()) * 1.1)
    format_axes(ax, lang, first, end)
    handles, labels = ax.get_legend_handles_labels()
    # Reverse so the legend reads in the same order as the stack, top layer first.
    ax.legend(
        handles[::-1],
        labels[::-1],
        # A plain white box, so the as-of line does not run through long names.
        frameon=True,
        facecolor="white",
        edgecolor="none",
        framealpha=0.9,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.94),
    )
    footnote(ax.figure, prognosis.data_notes, lang)
    return ax


def plot_group_ramps(
    prognosis: Prognosis, lang: Lang = "da", ncols: int = 4, *, until: Any = None
) -> Figure:
    """Draw one small panel per patient group: monthly GE, actual and projected, and its cap.

    Parameters
    ----------
    prognosis
        The prognosis to draw; with more than one path each panel shows a P10–P90 band.
    lang
        ``"da"`` (default) or ``"en"``.
    ncols
        Panels per row.
    until
        Last month to draw; ``None`` ends at the December after the target is reached.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, with exactly one axes per group (in registry order).
    """
    from matplotlib.ticker import MaxNLocator

    lang = check_lang(lang)
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1; got {ncols}")
    multi = prognosis.n_paths > 1
    plt = pyplot()
    keys = list(prognosis.groups.keys)
    nrows = -(-len(keys) // ncols)
    fig: Figure = plt.figure(figsize=(3.0 * ncols, 2.3 * nrows + 1.0), layout="constrained")
    # Not sharex: every panel gets the same x limits and ticks from format_axes, and the
    # panels whose x axis shows no labels draw their ticks as marks (_ticks_as_marks).
    # Axes only for the groups (an axes is costly to make): the grid's other slots stay free.
    grid = fig.add_gridspec(nrows, ncols)
    axes = [fig.add_subplot(grid[index // ncols, index % ncols]) for index in range(len(keys))]
    free = [grid[index // ncols, index % ncols] for index in range(len(keys), nrows * ncols)]
    end = display_end(prognosis, until)
    monthly = in_window(prognosis.monthly(), end)
    first = first_active_month(monthly.pivot(index="month", columns="group", values="ge"))
    # One legend serves every panel, so it gives the cap share only when all groups share
    # it; otherwise each panel's line is its own group's cap.
    shares = {prognosis.groups[key].cap_share for key in keys}
    cap_text = (
        label("plot_cap", lang).format(share=format_percent(shares.pop(), lang))
        if len(shares) == 1
        else label("plot_cap_varies", lang)
    )
    # Each panel's rows, places and values picked from arrays made once for all panels
    # (per-panel frame filters and month conversions were a large part of the drawing).
    shown = monthly[monthly["month"] >= first]
    rows_of = shown.groupby("group", sort=False).indices
    starts = month_start(shown["month"])
    ge = shown["ge"].to_numpy(float)
    is_actual = (shown["kind"] == "actual").to_numpy()
    from_as_of = (shown["month"] >= prognosis.as_of).to_numpy()
    fan_months = in_window(pd.DataFrame({"month": prognosis.months}), end)["month"]
    fan_months = fan_months[fan_months >= prognosis.as_of]
    fan_starts = month_start(fan_months)
    as_of_start = month_start([prognosis.as_of])[0]
    for ax, key in zip(axes, keys, strict=False):
        group = prognosis.groups[key]
        rows = rows_of[key]
        actual, projected = rows[is_actual[rows]], rows[from_as_of[rows]]
        if multi:
            # Only the band's limits are drawn: no median of the paths is needed here.
            fan = prognosis.fan("monthly", quantiles=(0.1, 0.9), group=key)
            fan = fan[fan["month"].isin(fan_months)]
            band(
                ax,
                fan_starts,
                fan[quantile_label(0.1)],
                fan[quantile_label(0.9)],
                0.1,
                0.9,
                lang,
            )
        ax.plot(
            starts[actual],
            ge[actual],
            color="black",
            linewidth=1.3,
            label=label("actual", lang),
            gid=GID_ACTUAL,
        )
        ax.plot(
            starts[projected],
            ge[projected],
            color=BLUE,
            linewidth=1.5,
            linestyle="--",
            label=label("projected", lang)
            + (" (" + label("plot_median", lang).lower() + ")" if multi else ""),
            gid=GID_PROJECTED,
        )
        cap = group.cap_per_month
        ax.axhline(
            cap,
            color=RED,
            linestyle="--",
            linewidth=1.0,
            label=cap_text,
            gid=GID_CAP,
        )
        ax.axvline(
            as_of_start,
            color=GREY,
            linestyle=":",
            linewidth=0.9,
            gid=GID_AS_OF,
        )
        # y=1.0 is where matplotlib puts the title anyway (no ticks above the panel); fixed,
        # it is not measured against every tick label at each layout pass and draw.
        ax.set_title(
            textwrap.shorten(group.name(lang), 38, placeholder=" …"), fontsize=9, loc="left", y=1.0
        )
        top = max(cap, float(np.nanmax(ax.dataLim.intervaly[1:]))) * 1.15
        ax.set_ylim(0, top)
        format_axes(ax, lang, first, end)
        # At most five steps: a small panel reads as well with them as with matplotlib's
        # seven or eight, and every tick is drawn and measured anew in each format.
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        ax.tick_params(labelsize=8)
    # The x tick labels show below a panel only when no panel is below it.
    _ticks_as_marks(axes, [index + ncols >= len(keys) for index in range(len(keys))])
    handles, texts = axes[0].get_legend_handles_labels()
    heading = label("plot_ramps_title", lang)
    fig.suptitle(
        f"{heading} ({as_of_text(prognosis, lang)})",
        x=0.01,
        ha="left",
        fontsize=13,
        fontweight="bold",
    )
    if free:
        # The empty panel slots of the last row hold the legend (no extra axes, so the
        # figure keeps exactly one axes per group).
        box = free[0].get_position(fig)
        fig.legend(
            handles,
            texts,
            loc="center left",
            bbox_to_anchor=(box.x0, (box.y0 + box.y1) / 2),
            frameon=False,
            fontsize=10,
        )
    else:
        fig.legend(handles, texts, loc="outside lower center", ncols=len(handles), frameon=False)
    footnote(fig, prognosis.data_notes, lang)
    return fig


def _ticks_as_marks(axes: list[Axes], labelled: list[bool]) -> None:
    """Draw the panels' unlabelled x ticks as tick marks (:func:`tick_marks`).

    The minor ticks of every panel and the major ticks of the panels that show no x tick
    labels (``labelled`` False: a panel below shows them) are most of the figure's ticks
    and a large part of its time; the labelled panels keep matplotlib's major ticks with
    their labels. Every panel has the same x limits and locators (:func:`format_axes`),
    so the places are read from the first.
    """
    import matplotlib
    from matplotlib.markers import TICKDOWN, TICKUP
    from matplotlib.ticker import NullLocator

    rc = matplotlib.rcParams
    marker: Any = {"out": TICKDOWN, "in": TICKUP}.get(rc["xtick.direction"])
    if marker is None or not rc["xtick.bottom"]:
        # A style with other ticks keeps matplotlib's own, labelled where asked.
        for ax, shown in zip(axes, labelled, strict=True):
            ax.xaxis.set_tick_params(labelbottom=shown)
        return
    axis = axes[0].xaxis
    # Per kind: drawn at all, places, size, width. get_minorticklocs leaves out the minor
    # ticks that fall on major ones, as drawn.
    minor = (rc["xtick.minor.bottom"], ticks_in_view(axis, axis.get_minorticklocs()))
    minor_look = (rc["xtick.minor.size"], rc["xtick.minor.width"])
    major = (rc["xtick.major.bottom"], ticks_in_view(axis, axis.get_majorticklocs()))
    major_look = (rc["xtick.major.size"], rc["xtick.major.width"])
    for ax, shown in zip(axes, labelled, strict=True):
        kinds = [(ax.xaxis.minor, minor, minor_look)]
        if not shown:
            kinds.append((ax.xaxis.major, major, major_look))
        for ticker, (drawn, places), (size, width) in kinds:
            ticker.locator = NullLocator()
            if not drawn:
                continue
            tick_marks(ax, places, marker, size, width, rc["xtick.color"])
