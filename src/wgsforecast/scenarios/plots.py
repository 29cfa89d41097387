"""Figures of scenario comparisons and tornado results (matplotlib is imported inside)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_number
from wgsforecast.scenarios import compare, sensitivity

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.scenarios.compare import ScenarioComparison
    from wgsforecast.scenarios.sensitivity import TornadoResult

_PALETTE = (
    "#2c7bb6",
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
)
LATER, EARLIER = "#b2182b", "#2166ac"


def plot_fans(comparison: ScenarioComparison, ax: Axes | None = None, lang: Lang = "da") -> Axes:
    """Cumulative GE per scenario: the median line and the P10-P90 band, with the target."""
    from matplotlib.ticker import FuncFormatter

    from wgsforecast.plotting._style import footnote, new_axes, title

    ax = new_axes(ax)
    texts = compare.texts(lang)
    months, as_of, baseline = comparison.months, comparison.as_of, comparison.baseline
    x = months.to_timestamp(how="end")
    shown = months >= as_of
    # Two years of history are enough context; the earlier months are all near zero.
    history = (months <= as_of) & (months >= as_of - 24)
    for index, outcome in enumerate(comparison.outcomes):
        colour = _PALETTE[index % len(_PALETTE)]
        p10, p50, p90 = outcome.cumulative_quantiles
        ax.fill_between(x[shown], p10[shown], p90[shown], color=colour, alpha=0.12, lw=0)
        ax.plot(x[shown], p50[shown], color=colour, lw=2, label=outcome.label(lang))
    ax.plot(
        x[history],
        baseline.cumulative_quantiles[1][history],
        color="black",
        lw=2,
        label=label("actual", lang),
    )
    ax.axhline(baseline.target_ge, color="grey", ls="--", lw=1)
    ax.annotate(
        f"{label('target', lang)}: {format_number(baseline.target_ge, lang)}",
        (x[history][0], baseline.target_ge),
        xytext=(0, 3),
        textcoords="offset points",
        fontsize=9,
        color="grey",
    )
    deadline = baseline.deadline.to_timestamp(how="end")
    ax.axvline(cast(Any, deadline), color="grey", ls=":", lw=1)
    ax.set_ylabel(label("cumulative_ge", lang))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, lang)))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    title(ax, texts["fans_title"])
    ax.text(
        0.99,
        0.02,
        comparison.method_note(lang),
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=7,
        color="grey",
    )
    footnote(ax.figure, comparison.data_notes, lang)
    return ax


def plot_shifts(comparison: ScenarioComparison, ax: Axes | None = None, lang: Lang = "da") -> Axes:
    """Bar chart: months the median target month moves in each scenario (+ = later)."""
    from matplotlib.ticker import MaxNLocator

    from wgsforecast.plotting._style import footnote, new_axes, title

    ax = new_axes(ax)
    texts = compare.texts(lang)
    base = comparison.baseline.target_position_quantiles()[1]
    scenarios = comparison.outcomes[1:]
    names = [o.label(lang) for o in scenarios]
    shifts = [o.target_position_quantiles()[1] - base for o in scenarios]
    finite = [s if np.isfinite(s) else 0.0 for s in shifts]
    colours = [LATER if s > 0 else EARLIER for s in finite]
    bars = ax.barh(names, finite, color=colours)
    for bar, shift in zip(bars, shifts, strict=True):
        text = f"{shift:+.0f}" if np.isfinite(shift) else texts["not_reached"]
        ax.annotate(
            text,
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4 if bar.get_width() >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if bar.get_width() >= 0 else "right",
            va="center",
            fontsize=9,
        )
    ax.axvline(0, color="black", lw=1)
    reach = max([abs(s) for s in finite] + [2.0]) + 1.5
    ax.set_xlim(-reach, reach)  # symmetric, with room for the value labels
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.invert_yaxis()
    ax.set_xlabel(texts["shift_axis"].format(base=comparison.month_text(base, lang)))
    title(ax, texts["shifts_title"])
    footnote(ax.figure, comparison.data_notes, lang)
    return ax


def plot_tornado(result: TornadoResult, ax: Axes | None = None, lang: Lang = "da") -> Axes:
    """Horizontal bars from the baseline to the low and high values of each parameter."""
    from wgsforecast.plotting._style import footnote, new_axes, title

    ax = new_axes(ax)
    texts = sensitivity.texts(lang)
    frame = result.frame.iloc[::-1]
    y = np.arange(len(frame))
    base = result.base_value
    for value_column, colour, name in (
        ("metric_low", EARLIER, texts["low"]),
        ("metric_high", LATER, texts["high"]),
    ):
        values = frame[value_column].to_numpy(dtype=float)
        ax.barh(y, values - base, left=base, color=colour, alpha=0.8, label=name)
    show = sensitivity.format_value
    labels = [
        f"{texts[p]} ({show(lo, lang)} / {show(hi, lang)})"
        for p, lo, hi in zip(frame["parameter"], frame["low"], frame["high"], strict=True)
    ]
    ax.set_yticks(y, labels)
    ax.axvline(base, color="black", lw=1)
    ax.set_xlabel(texts[result.metric])
    group_name = result.group_name_da if lang == "da" else result.group_name_en
    title(ax, texts["title"].format(group=group_name))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    footnote(ax.figure, result.comparison.data_notes, lang)
    return ax
