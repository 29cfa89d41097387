"""The report's figures: drawn by :mod:`wgsforecast.plotting`, rendered as PNG and SVG.

Each figure is drawn once, in this process, laid out once, and rendered as PNG and then
SVG from the same layout. (Forked worker processes were faster on Linux but outlived a
killed report; no process is started now.) An error while drawing is a bug and fails the
report: no figure is silently left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from wgsforecast.labels import label

if TYPE_CHECKING:
    from wgsforecast.report.build import ReportContent

DPI = 110
"""Resolution of the PNG files (dots per inch)."""

Plan = tuple[str, str, Callable[[], Any]]
"""A figure to draw: its file stem, its title, and a function returning the figure."""


@dataclass
class Figure:
    """One report figure: its file stem and the PNG and SVG bytes."""

    key: str
    title: str
    png: bytes
    svg: bytes


def figure_plans(content: ReportContent) -> list[Plan]:
    """The figures the report shows, as plans for :func:`render_all`."""
    from wgsforecast import plotting

    lang, main = content.lang, content.main
    published = None
    if content.table1_published is not None:
        from wgsforecast.io import bundled_data_dir

        published = pd.read_csv(bundled_data_dir() / "table1_2023_03.csv")
    plans: list[Plan] = [
        (
            "cumulative",
            label("report_fig_cumulative", lang),
            lambda: plotting.plot_cumulative(main, lang=lang, published=published).figure,
        ),
        ("fan", label("report_fig_fan", lang), lambda: plotting.plot_fan(main, lang=lang).figure),
        (
            "target_distribution",
            label("report_fig_target", lang),
            lambda: plotting.plot_target_distribution(main, lang=lang).figure,
        ),
        (
            "monthly_by_group",
            label("report_fig_monthly", lang),
            lambda: plotting.plot_monthly_by_group(main, lang=lang).figure,
        ),
        (
            "group_ramps",
            label("report_fig_ramps", lang),
            lambda: plotting.plot_group_ramps(main, lang=lang),
        ),
    ]
    if main.n_paths == 1:
        # A fan and a target distribution of one deterministic path carry no information.
        plans = [p for p in plans if p[0] not in ("fan", "target_distribution")]
    comparison = content.scenario_comparison
    if comparison is not None:
        plans.append(
            (
                "scenarios",
                label("report_fig_scenarios", lang),
                lambda: comparison.plot_fans(lang=lang).figure,
            )
        )
    return plans


def make_figures(content: ReportContent) -> list[Figure]:
    """Draw and render the report's figures; any drawing error propagates."""
    plans = figure_plans(content)
    rendered = render_all(plans)
    return [
        Figure(key, title, rendered[(key, "png")], rendered[(key, "svg")])
        for key, title, _ in plans
    ]


def _draw_and_render(plan: Plan) -> tuple[bytes, bytes]:
    """Draw one plan and render the figure as PNG and SVG."""
    from wgsforecast.plotting import pyplot

    fig = plan[2]()
    try:
        return render_formats(fig)
    finally:
        pyplot().close(fig)


def render_formats(fig: Any) -> tuple[bytes, bytes]:
    """Lay a finished figure out once and render it as PNG and SVG bytes.

    ``savefig`` lays a figure out anew for every file, and with constrained layout that
    measures every tick label of every panel twice before drawing (most of the time of the
    17-panel figure). Here the layout runs once, at the PNG's resolution, and both files
    are drawn from it, with the ticks fixed: the PNG is the file ``savefig`` gives, and
    the SVG shows the PNG's panels and ticks (its own layout put panels up to half a
    point elsewhere and gave one small panel other y ticks). The figure is left laid
    out, at :data:`DPI`, with fixed ticks and no layout engine.
    """
    for ax in fig.axes:
        minor_ticks_as_marks(ax)
    freeze_date_ticks(fig)
    lay_out(fig)
    freeze_ticks(fig)
    return render(fig, "png"), render(fig, "svg")


def lay_out(fig: Any) -> None:
    """Run the figure's layout engine once, at :data:`DPI`, and then switch it off."""
    import matplotlib

    engine = fig.get_layout_engine()
    if engine is None:
        return
    # Text is measured at the resolution it is drawn at, as savefig would.
    fig.set_dpi(DPI)
    engine.execute(fig)
    # No engine at all (not "none", which still makes savefig draw once to lay out).
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)


def freeze_date_ticks(fig: Any) -> None:
    """Replace date tick locators, and their formatters, by the fixed ticks they give now.

    matplotlib's date locators rerun a calendar rule every time ticks are asked for (many
    times per render with constrained layout), which made the 17-panel figure take seconds.
    The x limits are final when a figure is handed over, so the fixed ticks are the same
    ticks and the rendered files are byte-identical, only faster.
    """
    from matplotlib.dates import DateLocator

    for ax in fig.axes:
        for ticker in (ax.xaxis.major, ax.xaxis.minor):
            if isinstance(ticker.locator, DateLocator):
                _fix(ticker)


def minor_ticks_as_marks(ax: Any) -> None:
    """Draw the x axis's minor ticks as the same tick marks (``plotting._marks.tick_marks``).

    The month and quarter minor ticks are most of a figure's ticks. Minor ticks with
    labels, grid lines or marks above the axes are left to matplotlib. The limits are
    final when a figure is handed over, so the marks stay where the ticks would be.
    """
    from matplotlib.ticker import NullFormatter, NullLocator

    from wgsforecast.plotting._marks import tick_marks, ticks_in_view

    axis = ax.xaxis
    if not axis.get_visible() or isinstance(axis.get_minor_locator(), NullLocator):
        return
    tick = axis.get_minor_ticks(1)[0]
    mark = tick.tick1line
    plain = (
        mark.get_visible()
        and not tick.tick2line.get_visible()
        and not tick.gridline.get_visible()
        and not tick.label2.get_visible()
        and (not tick.label1.get_visible() or isinstance(axis.get_minor_formatter(), NullFormatter))
    )
    if not plain:
        return
    # get_minorticklocs leaves out the minor ticks that fall on major ones, as drawn.
    places = ticks_in_view(axis, axis.get_minorticklocs())
    tick_marks(
        ax,
        places,
        mark.get_marker(),
        mark.get_markersize(),
        mark.get_markeredgewidth(),
        mark.get_markeredgecolor(),
    )
    axis.set_minor_locator(NullLocator())


def _fix(ticker: Any) -> None:
    """Fix a ticker's locations and labels as its locator and formatter give them now."""
    from matplotlib.ticker import FixedFormatter, FixedLocator

    if not isinstance(ticker.locator, FixedLocator):
        ticker.locator = FixedLocator(ticker.locator())
    if not isinstance(ticker.formatter, FixedFormatter):
        texts = ticker.formatter.format_ticks(ticker.locator())
        # A formatter with an offset ("1e6") keeps it; few axes have one.
        if not ticker.formatter.get_offset():
            ticker.formatter = FixedFormatter(texts)


def freeze_ticks(fig: Any) -> None:
    """Fix every tick and tick label, and the place of empty axis labels, as they are now.

    Call it after the layout: how many ticks an automatic locator gives depends on the
    axes' size. A draw then asks no locator or formatter again (they run several times
    per draw and axis) and does not measure the tick labels of every panel to place an
    axis label that has no text and draws nothing. The drawn ticks are the same ticks.
    """
    from matplotlib.ticker import NullLocator

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for ticker in (axis.major, axis.minor):
                # Shared axes share their tickers: a fixed one is left as it is.
                if not isinstance(ticker.locator, NullLocator):
                    _fix(ticker)
            if not axis.label.get_text():
                x, y = axis.label.get_position()
                axis.set_label_coords(x, y, transform=axis.label.get_transform())


def render_all(plans: list[Plan]) -> dict[tuple[str, str], bytes]:
    """Draw every plan once, in this process, and render it as PNG and SVG.

    An exception while drawing propagates: a plotting bug fails the report.
    """
    rendered: dict[tuple[str, str], bytes] = {}
    for plan in plans:
        rendered[(plan[0], "png")], rendered[(plan[0], "svg")] = _draw_and_render(plan)
    return rendered


def render(fig: Any, fmt: str) -> bytes:
    """Render a figure as ``png`` or ``svg`` bytes, the same bytes on every run."""
    import io

    import matplotlib

    buffer = io.BytesIO()
    extra: dict[str, Any] = {"metadata": {"Date": None}}
    if fmt == "png":
        # zlib's fastest level: the same pixels, files about 7 % larger, a third less time
        # than the default level 6.
        extra = {"metadata": {"Software": None}, "pil_kwargs": {"compress_level": 1}}
    # A fixed salt makes SVG element ids, and so the files, the same on every run. Text is
    # written as text, not as glyph outlines: the files are 25-72% smaller, their text can
    # be selected and searched, and they take a third less time (readers without DejaVu
    # Sans see the text in the nearest sans-serif font).
    with matplotlib.rc_context({"svg.hashsalt": "wgsforecast", "svg.fonttype": "none"}):
        # The plotting module lays figures out (constrained layout); no tight-bbox pass.
        fig.savefig(buffer, format=fmt, dpi=DPI, **extra)
    return buffer.getvalue()
