"""Report figures of a :class:`~wgsforecast.prognosis.Prognosis`.

Every function draws frames that the prognosis hands out through its public views
(``cumulative()``, ``monthly()``, ``fan()``, ``target_distribution()``, ...); nothing here
computes a statistic. matplotlib is imported inside the functions, so ``import
wgsforecast.plotting`` stays light and works without a display. When no matplotlib backend
has been chosen (no ``MPLBACKEND``, no ``matplotlib.use`` and pyplot not yet imported), the
non-interactive Agg backend is selected, so a script or CI job never tries to open a window;
choose another backend before the first call to get one. Nothing calls ``plt.show``.

Texts are Danish by default (month names, thousands separators ``34.282``) and English with
``lang="en"``. Colours come from Paul Tol's colour-blind-safe palettes. When the prognosis
was made from reconstructed data, every figure carries a footnote saying so.

Examples
--------
>>> import wgsforecast as wf
>>> from wgsforecast import plotting
>>> data = wf.load_bundled()
>>> prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
>>> ax = plotting.plot_cumulative(prognosis)
>>> paths = plotting.save_figure(ax.figure, "out/cumulative")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_month, format_number, format_percent, parse_month

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from wgsforecast.prognosis import Prognosis

__all__ = [
    "plot_cumulative",
    "plot_fan",
    "plot_group_ramps",
    "plot_monthly_by_group",
    "plot_target_distribution",
    "save_figure",
]

FIGSIZE = (9.0, 5.0)
"""Size in inches of a single-panel figure: fits a report page at full width."""

# Paul Tol's "bright" and "muted" schemes: distinguishable with the common colour-vision
# deficiencies and in greyscale print.
BLUE = "#4477AA"
RED = "#CC3311"
GREEN = "#228833"
PURPLE = "#AA3377"
GREY = "#555555"
LIGHT_GREY = "#BBBBBB"
ORANGE = "#EE7733"
GROUP_COLOURS = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
OTHER_COLOUR = "#DDDDDD"

# gid of each kind of artist, so callers and tests can find them without guessing.
GID_ACTUAL = "actual"
GID_PROJECTED = "projected"
GID_TARGET = "target"
GID_DEADLINE = "deadline"
GID_AS_OF = "as_of"
GID_BAND = "band"
GID_MEDIAN = "median"
GID_PUBLISHED = "published"
GID_CAP = "cap"
GID_FOOTNOTE = "wgsforecast-reconstructed"
GID_TARGET_MONTH = "target_month"

_FOOTNOTE_SIZE = 7.5  # points


# --------------------------------------------------------------------------- plumbing


def _pyplot() -> Any:
    """Import pyplot, selecting Agg first when nobody has chosen a backend."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND"):
        # rcParams keeps a sentinel until a backend is chosen; reading it through the
        # public accessor would resolve it (and may pick a GUI backend), hence the private
        # helper, which exists since matplotlib 3.5.
        chosen = getattr(matplotlib.rcParams, "_get_backend_or_none", lambda: None)()
        if chosen is None:
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _new_axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    if ax is not None:
        return ax
    plt = _pyplot()
    fig = plt.figure(figsize=figsize, layout="constrained")
    new: Axes = fig.add_subplot()
    return new


def _check_lang(lang: str) -> Lang:
    if lang not in ("da", "en"):
        raise ValueError(f"lang must be 'da' or 'en'; got {lang!r}")
    return lang  # type: ignore[return-value]


def _month_start(months: Any) -> npt.NDArray[np.datetime64]:
    """First instant of each month: where a monthly bar or step begins."""
    index = pd.PeriodIndex(months, freq="M")
    return np.asarray(index.to_timestamp().to_numpy())


def _month_end(months: Any) -> npt.NDArray[np.datetime64]:
    """End of each month (= start of the next): where a cumulative total is reached."""
    index = pd.PeriodIndex(months, freq="M") + 1
    return np.asarray(index.to_timestamp().to_numpy())


def _end_of(month: pd.Period) -> Any:
    """End of one month, as a value matplotlib's date axis accepts."""
    return _month_end([month])[0]


def _display_end(prognosis: Prognosis, until: Any) -> pd.Period:
    """Last month to draw: ``until``, else the December after the target is reached.

    The engines project five years ahead, far past the target; drawing all of it would
    squash the part a reader cares about. The window ends at the December at least six
    months after both the deadline and the late (P90) month the target is reached.
    """
    last: pd.Period = prognosis.months[-1]
    if until is not None:
        chosen = parse_month(until)
        if chosen <= prognosis.as_of:
            raise ValueError(
                f"until={until!r} is not after the as-of month {prognosis.as_of}; choose a "
                "later month so some of the projection shows"
            )
        return min(chosen, last)
    late = prognosis.target_month(0.9 if prognosis.n_paths > 1 else 0.5)
    if late is None:
        return last
    end = max(late, prognosis.programme.deadline) + 6
    return min(pd.Period(year=end.year, month=12, freq="M"), last)


def _in_window(frame: pd.DataFrame, end: pd.Period, column: str = "month") -> pd.DataFrame:
    return frame[frame[column] <= end]


def _format_axes(ax: Axes, lang: Lang, first: pd.Period, last: pd.Period) -> None:
    """Month ticks with Danish/English names, thousands separators, no chart junk."""
    from matplotlib.ticker import FuncFormatter

    _month_axis(ax, first, last, lang)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, lang)))
    _tidy(ax)


def _tidy(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)


def _month_axis(ax: Axes, first: pd.Period, last: pd.Period, lang: Lang) -> None:
    """Year labels for long spans; month-and-year labels for short ones."""
    from matplotlib.ticker import FuncFormatter

    from wgsforecast.periods import MONTH_ABBR_DA, MONTH_ABBR_EN

    # matplotlib.dates has no annotations; typed as Any rather than silencing each call.
    mdates: Any = importlib.import_module("matplotlib.dates")

    span = (last - first).n + 1
    # A little room right of the last month, so end-of-month markers are not cut.
    ax.set_xlim(_month_start([first])[0], _month_end([last])[0] + np.timedelta64(20, "D"))
    if span > 36:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        return
    step = 3 if span <= 24 else 6
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    names = MONTH_ABBR_DA if lang == "da" else MONTH_ABBR_EN

    def month_label(value: float, _: int) -> str:
        day = mdates.num2date(value)
        return f"{names[day.month - 1]}\n{day.year}"

    ax.xaxis.set_major_formatter(FuncFormatter(month_label))


def _footnote(fig: Any, prognosis: Prognosis, lang: Lang) -> None:
    """Say on the figure that the data are reconstructed (once per figure)."""
    if "reconstructed" not in prognosis.data_notes:
        return
    if any(text.get_gid() == GID_FOOTNOTE for text in fig.texts):
        return
    width, height = fig.get_size_inches()
    # About 2.2 characters per point of width at 7 pt; keeps the note inside the figure.
    wrapped = textwrap.fill(label("plot_reconstructed_note", lang), int(width * 72 / 4.0))
    lines = wrapped.count("\n") + 1
    engine = fig.get_layout_engine()
    if engine is not None and "rect" in engine.get():
        # Constrained layout ignores figure texts: keep room for the note below the axes.
        space = (lines * _FOOTNOTE_SIZE * 1.3 + 8) / 72 / height
        engine.set(rect=(0, space, 1, 1 - space))
    fig.text(
        0.01,
        4 / 72 / height,
        wrapped,
        fontsize=_FOOTNOTE_SIZE,
        color=GREY,
        ha="left",
        va="bottom",
        gid=GID_FOOTNOTE,
    )


def _title(ax: Axes, text: str) -> None:
    ax.set_title(text, loc="left", fontsize=13, fontweight="bold", pad=12)


def _target_line(ax: Axes, prognosis: Prognosis, lang: Lang) -> None:
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


def _deadline_line(ax: Axes, prognosis: Prognosis, lang: Lang, *, text_side: str = "left") -> None:
    deadline = prognosis.programme.deadline
    x = _end_of(deadline)
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


def _as_of_line(ax: Axes, prognosis: Prognosis, lang: Lang, *, fontsize: float = 9) -> None:
    x = _end_of(prognosis.as_of)
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


def _legend(ax: Axes, **kwargs: Any) -> None:
    ax.legend(frameon=False, fontsize=9, **kwargs)


def _band_label(low: float, high: float) -> str:
    return f"P{100 * low:g}–P{100 * high:g}"


def _column(q: float) -> str:
    from wgsforecast.prognosis import quantile_label

    return quantile_label(q)


def _check_quantiles(quantiles: Sequence[float], name: str) -> list[float]:
    values = sorted(float(q) for q in quantiles)
    if not values or any(not 0 < q < 1 for q in values):
        raise ValueError(
            f"{name} must be probabilities strictly between 0 and 1; got {quantiles!r}"
        )
    return values


def _percent_tick(share: float, lang: Lang) -> str:
    """A percentage tick label, with one decimal only when the tick needs it."""
    decimals = 0 if abs(100 * share - round(100 * share)) < 1e-6 else 1
    return format_percent(share, lang, decimals)


def _as_of_text(prognosis: Prognosis, lang: Lang) -> str:
    return f"{label('plot_data_until', lang)} {format_month(prognosis.as_of, lang)}"


# --------------------------------------------------------------------------- 1. cumulative


def plot_cumulative(
    prognosis: Prognosis,
    ax: Axes | None = None,
    lang: Lang = "da",
    quantiles: tuple[float, float] = (0.1, 0.9),
    published: pd.DataFrame | None = None,
    *,
    until: Any = None,
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

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> ax = plot_cumulative(prognosis)  # doctest: +SKIP
    """
    lang = _check_lang(lang)
    low, high = _check_quantiles(quantiles, "quantiles")
    ax = _new_axes(ax)
    end = _display_end(prognosis, until)
    frame = _in_window(prognosis.cumulative((low, high)), end)
    actual = frame[frame["kind"] == "actual"]
    # The projected line starts at the last actual month so the two lines join.
    projected = frame[frame["month"] >= prognosis.as_of]
    multi = prognosis.n_paths > 1

    if multi:
        band = _cumulative_band(prognosis, low, high, end)
        ax.fill_between(
            _month_end(band["month"]),
            band["low"].to_numpy(float),
            band["high"].to_numpy(float),
            color=BLUE,
            alpha=0.2,
            linewidth=0,
            label=f"{label('plot_interval', lang)} {_band_label(low, high)}",
            gid=GID_BAND,
        )
    ax.plot(
        _month_end(actual["month"]),
        actual["cumulative"].to_numpy(float),
        color="black",
        linewidth=2,
        label=f"{label('actual', lang)} ({_as_of_text(prognosis, lang)})",
        gid=GID_ACTUAL,
    )
    projected_label = label("projected", lang)
    if multi:
        projected_label += f" ({label('plot_median', lang).lower()})"
    ax.plot(
        _month_end(projected["month"]),
        projected["cumulative"].to_numpy(float),
        color=BLUE,
        linewidth=2,
        linestyle="--",
        label=projected_label,
        gid=GID_PROJECTED,
    )
    if published is not None:
        _published_markers(ax, published, end, lang)
    _target_line(ax, prognosis, lang)
    _deadline_line(ax, prognosis, lang)
    _target_month_marker(ax, prognosis, end, lang)

    target = prognosis.programme.target_ge
    _title(ax, label("plot_cumulative_title", lang).format(target=format_number(target, lang)))
    ax.set_ylabel(label("cumulative_ge", lang))
    top = max(float(np.nanmax(frame.iloc[:, 2:].to_numpy(float))), target) * 1.08
    ax.set_ylim(0, top)
    _format_axes(ax, lang, prognosis.months[0], end)
    _legend(ax, loc="upper left", bbox_to_anchor=(0.0, 0.93))
    _footnote(ax.figure, prognosis, lang)
    return ax


def _cumulative_band(prognosis: Prognosis, low: float, high: float, end: pd.Period) -> pd.DataFrame:
    """Band limits of cumulative GE from the as-of month on, from the prognosis's fan."""
    fan = _in_window(prognosis.fan("cumulative", quantiles=(low, high)), end)
    # The band only means something where the paths differ: from the as-of month on.
    fan = fan[fan["month"] >= prognosis.as_of]
    return pd.DataFrame(
        {"month": fan["month"], "low": fan[_column(low)], "high": fan[_column(high)]}
    )


def _published_markers(ax: Axes, published: pd.DataFrame, end: pd.Period, lang: Lang) -> None:
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
        _month_end(months[keep]),
        values[keep],
        linestyle="none",
        marker="D",
        markersize=7,
        markerfacecolor="white",
        markeredgecolor=ORANGE,
        markeredgewidth=2,
        label=label("plot_published", lang),
        gid=GID_PUBLISHED,
        zorder=5,
    )


def _target_month_marker(ax: Axes, prognosis: Prognosis, end: pd.Period, lang: Lang) -> None:
    month = prognosis.target_month()
    target = prognosis.programme.target_ge
    if month is None or month > end:
        text = f"{label('target_month', lang)} {label('not_reached', lang)}"
        ax.text(0.99, 0.02, text, transform=ax.transAxes, ha="right", va="bottom", fontsize=9)
        return
    x = _end_of(month)
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


# --------------------------------------------------------------------------- 2. by group


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
        The prognosis to draw (the mean over paths of each group's monthly GE).
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
    lang = _check_lang(lang)
    if top < 1:
        raise ValueError(f"top must be at least 1; got {top}")
    ax = _new_axes(ax)
    end = _display_end(prognosis, until)
    monthly = _in_window(prognosis.monthly(), end)
    table = monthly.pivot(index="month", columns="group", values="ge")
    table = table.reindex(columns=list(prognosis.groups.keys)).fillna(0.0)
    first = _first_active_month(table)
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
    edges = np.append(_month_start(table.index), _month_end(table.index[-1:]))
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
    _as_of_line(ax, prognosis, lang)
    _title(ax, label("plot_monthly_title", lang))
    ax.set_ylabel(label("ge_per_month", lang))
    ax.set_ylim(0, float(base.max()) * 1.1)
    _format_axes(ax, lang, first, end)
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
    _footnote(ax.figure, prognosis, lang)
    return ax


def _first_active_month(table: pd.DataFrame) -> pd.Period:
    """First month with any GE: months before the programme started are left out."""
    active = table.index[table.sum(axis=1).to_numpy() > 0]
    month: pd.Period = active[0] if len(active) else table.index[0]
    return month


# --------------------------------------------------------------------------- 3. fan


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
    lang = _check_lang(lang)
    qs = _check_quantiles(quantiles, "quantiles")
    if len(qs) % 2:
        raise ValueError(
            f"quantiles must come in low/high pairs (an even count); got {quantiles!r}"
        )
    ax = _new_axes(ax)
    end = _display_end(prognosis, until)
    asked = tuple(sorted({*qs, 0.5}))
    fan = _in_window(prognosis.fan("cumulative", quantiles=asked), end)
    actual = fan[fan["kind"] == "actual"]
    future = fan[fan["month"] >= prognosis.as_of]
    x = _month_end(future["month"])
    pairs = [(qs[i], qs[-1 - i]) for i in range(len(qs) // 2)]
    alphas = np.linspace(0.18, 0.45, len(pairs))
    for (low, high), alpha in zip(pairs, alphas, strict=True):
        ax.fill_between(
            x,
            future[_column(low)].to_numpy(float),
            future[_column(high)].to_numpy(float),
            color=BLUE,
            alpha=float(alpha),
            linewidth=0,
            label=f"{label('plot_interval', lang)} {_band_label(low, high)}",
            gid=GID_BAND,
        )
    ax.plot(
        _month_end(actual["month"]),
        actual[_column(0.5)].to_numpy(float),
        color="black",
        linewidth=2,
        label=f"{label('actual', lang)} ({_as_of_text(prognosis, lang)})",
        gid=GID_ACTUAL,
    )
    ax.plot(
        x,
        future[_column(0.5)].to_numpy(float),
        color=BLUE,
        linewidth=2,
        linestyle="--",
        label=label("plot_median", lang),
        gid=GID_MEDIAN,
    )
    _target_line(ax, prognosis, lang)
    _deadline_line(ax, prognosis, lang)
    _target_month_marker(ax, prognosis, end, lang)
    target = prognosis.programme.target_ge
    _title(ax, label("plot_fan_title", lang).format(paths=format_number(prognosis.n_paths, lang)))
    ax.set_ylabel(label("cumulative_ge", lang))
    top = max(float(future[_column(qs[-1])].max()), target) * 1.08
    ax.set_ylim(0, top)
    _format_axes(ax, lang, prognosis.months[0], end)
    _legend(ax, loc="upper left", bbox_to_anchor=(0.0, 0.93))
    _footnote(ax.figure, prognosis, lang)
    return ax


# --------------------------------------------------------------------------- 4. target month


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

    lang = _check_lang(lang)
    ax = _new_axes(ax)
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
    starts = _month_start(shown["month"])
    # Bars fill most of their month, so a bar reads as "reached during this month".
    widths = (_month_end(shown["month"]) - starts) * 0.85
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
        _month_end(shown["month"]),
        shown["cumulative_probability"].to_numpy(float),
        color=ORANGE,
        linewidth=2,
        marker="o",
        markersize=3,
        label=label("plot_p_cumulative", lang),
        gid="cumulative_probability",
    )
    percent = FuncFormatter(lambda v, _: _percent_tick(v, lang))
    twin.set_ylim(0, 1.05)
    twin.yaxis.set_major_formatter(percent)
    twin.set_ylabel(label("plot_p_cumulative_axis", lang), color=ORANGE)
    twin.spines["top"].set_visible(False)
    twin.spines["right"].set_color(ORANGE)
    twin.tick_params(axis="y", colors=ORANGE)
    _deadline_line(ax, prognosis, lang, text_side="right")

    # Steps of 1, 2 or 5 percentage points: no 2.5 % ticks rounded to "2 %".
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(percent)
    ax.set_ylabel(label("plot_p_month_axis", lang), color=BLUE)
    ax.tick_params(axis="y", colors=BLUE)
    peak = float(shown["probability"].max()) if len(shown) else 0.0
    ax.set_ylim(0, max(peak * 1.15, 0.05))
    _month_axis(ax, first, last, lang)
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
    title = label("plot_target_title", lang).format(target=format_number(target, lang))
    ax.set_title(title, loc="left", fontsize=13, fontweight="bold", pad=44)
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
    _footnote(ax.figure, prognosis, lang)
    return ax


# --------------------------------------------------------------------------- 5. small multiples


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
    lang = _check_lang(lang)
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1; got {ncols}")
    multi = prognosis.n_paths > 1
    plt = _pyplot()
    keys = list(prognosis.groups.keys)
    nrows = -(-len(keys) // ncols)
    fig: Figure = plt.figure(figsize=(3.0 * ncols, 2.3 * nrows + 1.0), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False).ravel()
    free = [extra.get_subplotspec() for extra in axes[len(keys) :]]
    for extra in axes[len(keys) :]:
        fig.delaxes(extra)
    end = _display_end(prognosis, until)
    monthly = _in_window(prognosis.monthly(), end)
    first = _first_active_month(monthly.pivot(index="month", columns="group", values="ge"))
    for ax, key in zip(axes, keys, strict=False):
        group = prognosis.groups[key]
        rows = monthly[(monthly["group"] == key) & (monthly["month"] >= first)]
        actual = rows[rows["kind"] == "actual"]
        projected = rows[rows["month"] >= prognosis.as_of]
        if multi:
            fan = _in_window(prognosis.fan("monthly", quantiles=(0.1, 0.5, 0.9), group=key), end)
            fan = fan[fan["month"] >= prognosis.as_of]
            ax.fill_between(
                _month_start(fan["month"]),
                fan[_column(0.1)].to_numpy(float),
                fan[_column(0.9)].to_numpy(float),
                color=BLUE,
                alpha=0.2,
                linewidth=0,
                label=f"{label('plot_interval', lang)} P10–P90",
                gid=GID_BAND,
            )
        ax.plot(
            _month_start(actual["month"]),
            actual["ge"].to_numpy(float),
            color="black",
            linewidth=1.3,
            label=label("actual", lang),
            gid=GID_ACTUAL,
        )
        ax.plot(
            _month_start(projected["month"]),
            projected["ge"].to_numpy(float),
            color=BLUE,
            linewidth=1.5,
            linestyle="--",
            label=label("projected", lang)
            + (" (" + label("plot_mean", lang).lower() + ")" if multi else ""),
            gid=GID_PROJECTED,
        )
        cap = group.cap_per_month
        ax.axhline(
            cap,
            color=RED,
            linestyle="--",
            linewidth=1.0,
            label=label("plot_cap", lang),
            gid=GID_CAP,
        )
        ax.axvline(
            _month_start([prognosis.as_of])[0],
            color=GREY,
            linestyle=":",
            linewidth=0.9,
            gid=GID_AS_OF,
        )
        ax.set_title(
            textwrap.shorten(group.name(lang), 38, placeholder=" …"), fontsize=9, loc="left"
        )
        top = max(cap, float(np.nanmax(ax.dataLim.intervaly[1:]))) * 1.15
        ax.set_ylim(0, top)
        _format_axes(ax, lang, first, end)
        ax.tick_params(labelsize=8)
    for index, ax in enumerate(axes[: len(keys)]):
        # sharex hides tick labels above other panels; a panel with none below shows them.
        if index + ncols >= len(keys):
            ax.xaxis.set_tick_params(labelbottom=True)
    handles, texts = axes[0].get_legend_handles_labels()
    title = label("plot_ramps_title", lang)
    fig.suptitle(
        f"{title} ({_as_of_text(prognosis, lang)})",
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
    _footnote(fig, prognosis, lang)
    return fig


# --------------------------------------------------------------------------- saving


def save_figure(
    fig: Figure,
    path_stem: str | os.PathLike[str],
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Write a figure in each format, atomically, creating folders as needed.

    Parameters
    ----------
    fig
        The figure (e.g. ``ax.figure``).
    path_stem
        Path without the suffix: ``"out/cumulative"`` writes ``out/cumulative.png`` and
        ``out/cumulative.svg``.
    formats
        File formats matplotlib can write (``png``, ``svg``, ``pdf``, ...).
    dpi
        Resolution of raster formats.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ValueError
        If a format is not one matplotlib can write; nothing is written then.
    """
    from wgsforecast.io import atomic_path

    supported = fig.canvas.get_supported_filetypes()
    wanted = [fmt.lower().lstrip(".") for fmt in formats]
    unknown = [fmt for fmt in wanted if fmt not in supported]
    if unknown or not wanted:
        raise ValueError(
            f"cannot save a figure as {', '.join(unknown) or 'no format'}; choose from "
            f"{', '.join(sorted(supported))}"
        )
    written = []
    for fmt in wanted:
        target = Path(f"{os.fspath(path_stem)}.{fmt}")
        # No timestamp in SVG files, so the same figure gives the same file twice.
        metadata = {"Date": None} if fmt == "svg" else None
        with atomic_path(target) as part:
            fig.savefig(part, format=fmt, dpi=dpi, bbox_inches="tight", metadata=metadata)
        written.append(target)
    return written
