"""The vintages figure: every vintage's cumulative curve over the actual cumulative GE."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from wgsforecast._data_notes import is_reconstructed
from wgsforecast.labels import label as text_of
from wgsforecast.periods import Lang
from wgsforecast.plotting._style import RED, footnote, new_axes, thousands_axis, tidy

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.vintages.scoring import VintageComparison


def plot_vintages(comparison: VintageComparison, ax: Axes | None = None, lang: Lang = "da") -> Axes:
    """Draw every vintage's cumulative curve over the actual cumulative GE.

    Parameters
    ----------
    comparison
        From :func:`compare_vintages`.
    ax
        Axes to draw on; ``None`` makes a new figure.
    lang
        ``"da"`` (default) or ``"en"``.

    Returns
    -------
    matplotlib.axes.Axes
        With a footnote when the actuals are reconstructed.
    """
    ax = new_axes(ax)
    actual = comparison.actual
    actual_label = text_of("actual", lang)
    if is_reconstructed(comparison.data_notes):
        actual_label += f" ({text_of('vintage_reconstructed_short', lang)})"
    ax.plot(
        pd.PeriodIndex(actual["month"], freq="M").to_timestamp(how="end"),
        actual["cumulative"],
        color="black",
        linewidth=2.2,
        label=actual_label,
    )
    for vintage in comparison.vintages:
        curve = vintage.cumulative
        curve = curve[pd.PeriodIndex(curve["month"], freq="M") >= vintage.as_of - 12]
        style = "o--" if not vintage.has_groups else "--"
        ax.plot(
            pd.PeriodIndex(curve["month"], freq="M").to_timestamp(how="end"),
            curve["cumulative"],
            style,
            linewidth=1.4,
            markersize=4,
            label=f"{vintage.label_in(lang)} ({vintage.as_of})",
        )
    if comparison.vintages:
        target = comparison.vintages[0].target_ge
        ax.axhline(target, color=RED, linewidth=1, linestyle=":")
    ax.set_ylabel(text_of("cumulative_ge", lang))
    ax.set_title(text_of("vintage_plot_title", lang))
    thousands_axis(ax, lang)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    tidy(ax)
    footnote(ax.figure, comparison.data_notes, lang)
    return ax
