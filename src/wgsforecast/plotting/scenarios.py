"""Figures of scenario comparisons and tornado results (matplotlib is imported inside).

Drawn from :class:`~wgsforecast.scenarios.ScenarioComparison` and
:class:`~wgsforecast.scenarios.TornadoResult`; also importable from
:mod:`wgsforecast.scenarios.plots`, where they lived before. The scenario texts are imported
inside the functions too: importing :mod:`wgsforecast.plotting` must not load the scenario
machinery (engines, pydantic models) that a figure of a prognosis does not need.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_number

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
_BASELINE = _PALETTE[0]
LATER, EARLIER, NOT_REACHED = "#b2182b", "#2166ac", "#999999"
GID_NOT_REACHED = "not_reached"
"""The gid of a bar whose scenario (or baseline) does not reach the target in the horizon."""


def plot_fans(comparison: ScenarioComparison, ax: Axes | None = None, lang: Lang = "da") -> Axes:
    """Cumulative GE per scenario: each scenario's median, the baseline's with its 80% band.

    The baseline is a wide pale line under the scenarios' thin ones, so neither hides the
    other; only its band is shaded (overlapping bands of six scenarios read as one brown
    mass). The y-axis stops a little above the highest median (and at least at 1.5 x the
    target), so the region around the target is not squashed by the upper tails.
    """
    from wgsforecast.plotting._style import footnote, new_axes, thousands_axis, title
    from wgsforecast.scenarios.texts import comparison_texts

    ax = new_axes(ax)
    texts = comparison_texts(lang)
    months, as_of, baseline = comparison.months, comparison.as_of, comparison.baseline
    x = months.to_timestamp(how="end")
    shown = months >= as_of
    # Two years of history are enough context; the earlier months are all near zero.
    history = (months <= as_of) & (months >= as_of - 24)
    highest = float(baseline.target_ge) * 1.5
    for index, outcome in enumerate(comparison.outcomes):
        p10, p50, p90 = outcome.cumulative_quantiles
        highest = max(highest, float(np.nanmax(p50[shown])) * 1.1)
        if outcome is baseline:
            ax.fill_between(
                x[shown], p10[shown], p90[shown], color=_BASELINE, alpha=0.15, lw=0, zorder=1
            )
            # Wide and pale under the scenarios: a scenario whose median coincides with the
            # baseline's shows as a thin line on it instead of vanishing beneath it.
            ax.plot(
                x[shown],
                p50[shown],
                color=_BASELINE,
                lw=5,
                alpha=0.55,
                zorder=2,
                label=outcome.label(lang),
            )
        else:
            colour = _PALETTE[1 + (index - 1) % (len(_PALETTE) - 1)]
            ax.plot(x[shown], p50[shown], color=colour, lw=1.5, zorder=3, label=outcome.label(lang))
    ax.set_ylim(0, highest)
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
        (x[-1], baseline.target_ge),  # at the right end: the legend has the upper left
        xytext=(0, -3),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=9,
        color="grey",
    )
    deadline = baseline.deadline.to_timestamp(how="end")
    ax.axvline(cast(Any, deadline), color="grey", ls=":", lw=1)
    ax.set_ylabel(label("cumulative_ge", lang))
    thousands_axis(ax, lang)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    title(ax, texts["fans_title"])
    ax.text(
        0.99,
        0.02,
        # Wrapped, so it stays in the empty lower right and clear of the actual line.
        textwrap.fill(comparison.method_note(lang), 60),
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
    from wgsforecast.scenarios.texts import comparison_texts

    ax = new_axes(ax)
    texts = comparison_texts(lang)
    base = comparison.baseline.target_position_quantiles()[1]
    scenarios = comparison.outcomes[1:]
    names = [o.label(lang) for o in scenarios]
    positions = [o.target_position_quantiles()[1] for o in scenarios]
    shifts = [p - base for p in positions]
    finite = [s if np.isfinite(s) else 0.0 for s in shifts]
    reach = max([abs(s) for s in finite] + [2.0]) + 1.5
    # A scenario whose median never reaches the target is not "0 months": it gets a
    # hatched grey bar to the axis edge on the later side, labelled as not reached. (If
    # the baseline is the one not reaching it, the bar goes to the earlier side.)
    widths, colours, hatches = [], [], []
    for position, shift in zip(positions, shifts, strict=True):
        if np.isfinite(shift):
            widths.append(shift)
            colours.append(LATER if shift > 0 else EARLIER)
            hatches.append("")
        else:
            reached, base_reached = bool(np.isfinite(position)), bool(np.isfinite(base))
            # Later than any month: to the right edge; baseline not reached: to the left.
            widths.append(reach if base_reached else -reach if reached else 0.0)
            colours.append(NOT_REACHED)
            hatches.append("//")
    bars = ax.barh(names, widths, color=colours)
    for bar, hatch in zip(bars, hatches, strict=True):
        if hatch:
            bar.set_hatch(hatch)
            bar.set_edgecolor("white")
            bar.set_gid(GID_NOT_REACHED)
    for bar, position, shift in zip(bars, positions, shifts, strict=True):
        if np.isfinite(shift):
            text = f"{shift:+.0f}"
        elif np.isfinite(position):  # reached, but the baseline is not
            text = f"{comparison.month_text(position, lang)} ({texts['baseline']}: "
            text += f"{texts['not_reached_bar']})"
        else:
            text = texts["not_reached_bar"]
        width = bar.get_width()
        right = width >= 0
        inside = not np.isfinite(shift) and width != 0
        if inside:
            right = not right  # a bar to the axis edge carries its text inside
        ax.annotate(
            text,
            (width, bar.get_y() + bar.get_height() / 2),
            xytext=(4 if right else -4, 0),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            fontsize=9,
            # Readable over the hatching.
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1} if inside else None,
        )
    ax.axvline(0, color="black", lw=1)
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
    from wgsforecast.scenarios.texts import format_value, tornado_texts

    ax = new_axes(ax)
    texts = tornado_texts(lang)
    frame = result.frame.iloc[::-1]
    y = np.arange(len(frame))
    base = result.base_value
    for value_column, colour, name in (
        ("metric_low", EARLIER, texts["low"]),
        ("metric_high", LATER, texts["high"]),
    ):
        values = frame[value_column].to_numpy(dtype=float)
        # An unknown value (NaN) draws no bar; the row's note says why.
        ax.barh(y, np.nan_to_num(values - base), left=base, color=colour, alpha=0.8, label=name)
    show = format_value
    labels = [
        f"{texts[p]} ({show(lo, lang)} / {show(hi, lang)})"
        for p, lo, hi in zip(frame["parameter"], frame["low"], frame["high"], strict=True)
    ]
    # A zero swing that is not the parameter's real effect is said on the row, not left
    # to look like "does not matter".
    for row, note in zip(y, frame["note"], strict=True):
        if note:
            ax.annotate(
                texts[f"short_{note}"],
                (base, row),
                xytext=(6, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=8,
                color="grey",
                style="italic",
                gid=f"tornado_note_{note}",
            )
    ax.set_yticks(y, labels)
    ax.axvline(base, color="black", lw=1)
    ax.set_xlabel(texts[result.metric])
    title(ax, texts["title"].format(group=result.group_name.template(lang)))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    footnote(ax.figure, result.comparison.data_notes, lang)
    return ax
