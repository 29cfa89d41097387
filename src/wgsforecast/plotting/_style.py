"""Shared figure plumbing: pyplot, axes, colours, month axes, titles and the data footnote.

The names here are for the modules of :mod:`wgsforecast.plotting` and
:mod:`wgsforecast.scenarios.plots`; matplotlib is imported inside the functions.
"""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast._data_notes import is_reconstructed
from wgsforecast.labels import label
from wgsforecast.periods import (
    Lang,
    format_month,
    format_number,
    format_percent,
    month_abbreviations,
    parse_month,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.prognosis import Prognosis

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

FOOTNOTE_SIZE = 7.5  # points


# --------------------------------------------------------------------------- plumbing


def pyplot() -> Any:
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


def new_axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    """Return ``ax``, or the axes of a new figure of ``figsize`` inches."""
    if ax is not None:
        return ax
    plt = pyplot()
    fig = plt.figure(figsize=figsize, layout="constrained")
    new: Axes = fig.add_subplot()
    return new


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``"da"`` or ``"en"``; raise :class:`ValueError` otherwise."""
    if lang not in ("da", "en"):
        raise ValueError(f"lang must be 'da' or 'en'; got {lang!r}")
    return lang  # type: ignore[return-value]


def month_start(months: Any) -> npt.NDArray[np.datetime64]:
    """First instant of each month: where a monthly bar or step begins."""
    index = pd.PeriodIndex(months, freq="M")
    return np.asarray(index.to_timestamp().to_numpy())


def month_end(months: Any) -> npt.NDArray[np.datetime64]:
    """End of each month (= start of the next): where a cumulative total is reached."""
    index = pd.PeriodIndex(months, freq="M") + 1
    return np.asarray(index.to_timestamp().to_numpy())


def end_of(month: pd.Period) -> Any:
    """End of one month, as a value matplotlib's date axis accepts."""
    return month_end([month])[0]


def display_end(prognosis: Prognosis, until: Any) -> pd.Period:
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


def in_window(frame: pd.DataFrame, end: pd.Period, column: str = "month") -> pd.DataFrame:
    """The rows of ``frame`` up to month ``end``."""
    return frame[frame[column] <= end]


def format_axes(ax: Axes, lang: Lang, first: pd.Period, last: pd.Period) -> None:
    """Month ticks with Danish/English names, thousands separators, no chart junk."""
    month_axis(ax, first, last, lang)
    thousands_axis(ax, lang)
    tidy(ax)


def thousands_axis(ax: Axes, lang: Lang) -> None:
    """Y tick labels with the language's thousands separator (``60.000`` / ``60,000``)."""
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, lang)))


def tidy(ax: Axes) -> None:
    """No top and right spines; light horizontal grid lines behind the data."""
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)


def month_axis(ax: Axes, first: pd.Period, last: pd.Period, lang: Lang) -> None:
    """Year labels for long spans; month-and-year labels for short ones."""
    from matplotlib.ticker import FuncFormatter

    # matplotlib.dates has no annotations; typed as Any rather than silencing each call.
    mdates: Any = importlib.import_module("matplotlib.dates")

    span = (last - first).n + 1
    # A little room right of the last month, so end-of-month markers are not cut.
    ax.set_xlim(month_start([first])[0], month_end([last])[0] + np.timedelta64(20, "D"))
    if span > 36:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        return
    step = 3 if span <= 24 else 6
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    names = month_abbreviations(lang)

    def month_label(value: float, _: int) -> str:
        day = mdates.num2date(value)
        return f"{names[day.month - 1]}\n{day.year}"

    ax.xaxis.set_major_formatter(FuncFormatter(month_label))


def footnote(fig: Any, data_notes: Sequence[str], lang: Lang) -> None:
    """Say on the figure that the data are reconstructed (once per figure).

    Parameters
    ----------
    fig
        The figure (``ax.figure``).
    data_notes
        The data notes of what is drawn (e.g. ``prognosis.data_notes``); the footnote is
        added only when they contain ``reconstructed``.
    lang
        ``"da"`` or ``"en"``.
    """
    if not is_reconstructed(data_notes):
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
        space = (lines * FOOTNOTE_SIZE * 1.3 + 8) / 72 / height
        engine.set(rect=(0, space, 1, 1 - space))
    fig.text(
        0.01,
        4 / 72 / height,
        wrapped,
        fontsize=FOOTNOTE_SIZE,
        color=GREY,
        ha="left",
        va="bottom",
        gid=GID_FOOTNOTE,
    )


_TITLE_SIZE = 13
_BOLD_CHAR_WIDTH_EM = 0.62
"""Mean width of a bold DejaVu Sans character, in ems (for wrapping titles)."""


def title(ax: Axes, text: str, pad: float = 12) -> None:
    """The axes title, bold and left-aligned, wrapped to the axes' width.

    Wrapped because a long title on one of two axes side by side (a 1x2 grid in a notebook)
    would otherwise run over its neighbour's title.
    """
    width_inches = ax.get_window_extent().width / ax.figure.dpi
    columns = int(width_inches * 72 / (_TITLE_SIZE * _BOLD_CHAR_WIDTH_EM))
    ax.set_title(
        textwrap.fill(text, max(columns, 20)),
        loc="left",
        fontsize=_TITLE_SIZE,
        fontweight="bold",
        pad=pad,
    )


def legend(ax: Axes, **kwargs: Any) -> None:
    """A legend without a frame (``kwargs`` go to :meth:`~matplotlib.axes.Axes.legend`)."""
    ax.legend(frameon=False, fontsize=9, **kwargs)


def band_label(low: float, high: float, lang: Lang) -> str:
    """The name of a band: ``80 %-interval (P10–P90)`` when central, else ``Interval P5–P50``.

    Central bands are named as the text names them ("80 %-interval"), with the quantiles.
    """
    quantiles = f"P{100 * low:g}–P{100 * high:g}"
    if abs(low + high - 1) < 1e-9:
        share = format_percent(high - low, lang)
        return f"{label('plot_central_interval', lang).format(share=share)} ({quantiles})"
    return f"{label('plot_interval', lang)} {quantiles}"


def check_quantiles(quantiles: Sequence[float], name: str) -> list[float]:
    """The quantiles sorted; each must be strictly between 0 and 1."""
    values = sorted(float(q) for q in quantiles)
    if not values or any(not 0 < q < 1 for q in values):
        raise ValueError(
            f"{name} must be probabilities strictly between 0 and 1; got {quantiles!r}"
        )
    return values


def percent_tick(share: float, lang: Lang) -> str:
    """A percentage tick label, with one decimal only when the tick needs it."""
    decimals = 0 if abs(100 * share - round(100 * share)) < 1e-6 else 1
    return format_percent(share, lang, decimals)


def as_of_text(prognosis: Prognosis, lang: Lang) -> str:
    """ "Data until <as-of month>", for legends and titles."""
    return f"{label('plot_data_until', lang)} {format_month(prognosis.as_of, lang)}"


def first_active_month(table: pd.DataFrame) -> pd.Period:
    """First month with any GE: months before the programme started are left out."""
    active = table.index[table.sum(axis=1).to_numpy() > 0]
    month: pd.Period = active[0] if len(active) else table.index[0]
    return month
