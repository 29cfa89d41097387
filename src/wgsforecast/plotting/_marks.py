"""Marks several figures share: reference lines, quantile bands and the actual line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_month, format_number
from wgsforecast.plotting._style import (
    BLUE,
    GID_ACTUAL,
    GID_AS_OF,
    GID_BAND,
    GID_DEADLINE,
    GID_TARGET,
    GREY,
    RED,
    as_of_text,
    band_label,
    end_of,
    month_end,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.prognosis import Prognosis


def target_line(ax: Axes, prognosis: Prognosis, lang: Lang) -> None:
    """A dotted horizontal line at the target, labelled at the left."""
    target = prognosis.programme.target_ge
    ax.axhline(target, color=RED, linestyle=":", linewidth=1.5, gid=GID_TARGET, zorder=1)
    ax.annotate(
        f"{label('target', lang)}: {format_number(target, lang)} GE",
        xy=(0.0, target),
        xycoords=("axes fraction", "data"),
        xytext=(4, 4),
        textcoords="offset points",
        color=RED,
        fontsize=9,
        va="bottom",
    )


def deadline_line(ax: Axes, prognosis: Prognosis, lang: Lang, *, text_side: str = "left") -> None:
    """A dashed vertical line at the end of the deadline month, labelled on ``text_side``."""
    deadline = prognosis.programme.deadline
    x = end_of(deadline)
    ax.axvline(x, color=GREY, linestyle="--", linewidth=1.2, gid=GID_DEADLINE, zorder=1)
    ax.annotate(
        f"{label('deadline', lang)}\n{format_month(deadline, lang)}",
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(-4 if text_side == "left" else 4, -4),
        textcoords="offset points",
        ha="right" if text_side == "left" else "left",
        va="top",
        fontsize=9,
        color=GREY,
    )


def as_of_line(ax: Axes, prognosis: Prognosis, lang: Lang, *, fontsize: float = 9) -> None:
    """A dotted vertical line after the as-of month: "actual" left of it, "projected" right."""
    x = end_of(prognosis.as_of)
    ax.axvline(x, color=GREY, linestyle=":", linewidth=1.0, gid=GID_AS_OF, zorder=3)
    for text, offset, ha in (
        (label("actual", lang), -4, "right"),
        (label("projected", lang), 4, "left"),
    ):
        ax.annotate(
            text,
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(offset, -4),
            textcoords="offset points",
            ha=ha,
            va="top",
            fontsize=fontsize,
            color=GREY,
        )


def band(
    ax: Axes,
    x: Any,
    lower: Any,
    upper: Any,
    low: float,
    high: float,
    lang: Lang,
    alpha: float = 0.2,
) -> None:
    """Shade the band between the ``low`` and ``high`` quantiles (values ``lower``, ``upper``)."""
    ax.fill_between(
        x,
        np.asarray(lower, dtype=float),
        np.asarray(upper, dtype=float),
        color=BLUE,
        alpha=alpha,
        linewidth=0,
        label=band_label(low, high, lang),
        gid=GID_BAND,
    )


def actual_line(ax: Axes, months: Any, cumulative: Any, prognosis: Prognosis, lang: Lang) -> None:
    """The actual cumulative GE: a black line at month ends, "Actual (data until ...)"."""
    ax.plot(
        month_end(months),
        np.asarray(cumulative, dtype=float),
        color="black",
        linewidth=2,
        label=f"{label('actual', lang)} ({as_of_text(prognosis, lang)})",
        gid=GID_ACTUAL,
    )


def ticks_in_view(axis: Any, places: Any) -> list[float]:
    """The tick places inside the axis's view, with matplotlib's own tolerance for ticks
    on the limits (as it decides which ticks to draw)."""
    low, high = axis.get_view_interval()
    tolerance = (high - low) * 1e-10
    return [x for x in places if low - tolerance <= x <= high + tolerance]


def tick_marks(ax: Axes, places: Any, marker: Any, size: float, width: float, color: Any) -> None:
    """Draw x tick marks at ``places`` as one line below ``ax``, the way ticks are drawn.

    A matplotlib tick is five artists, made, placed and measured one by one at every
    layout pass and draw; unlabelled ticks (minor ones, and those of panels whose labels
    a panel below shows) look the same as one line of matplotlib's tick ``marker`` of
    the tick's ``size``, ``width`` and ``color`` at the same places. Like tick marks the
    line is left out of the layout and not clipped. The marks do not follow later changes
    of the x limits: for finished figures only.
    """
    from matplotlib.lines import Line2D

    marks = Line2D(
        places,
        np.zeros(len(places)),
        transform=ax.get_xaxis_transform(which="tick1"),
        linestyle="none",
        marker=marker,
        markersize=size,
        markeredgewidth=width,
        color=color,
        clip_on=False,
        zorder=ax.xaxis.get_zorder(),
    )
    marks.set_in_layout(False)
    ax.add_line(marks)
