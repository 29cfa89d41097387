"""The report's figures: drawn by :mod:`wgsforecast.plotting`, rendered as PNG and SVG.

Rendering dominates the report's run time, so on Linux the (figure, format) pairs are
rendered in forked worker processes. An error while drawing is a bug and fails the report:
no figure is silently left out.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from wgsforecast.labels import label

if TYPE_CHECKING:
    from wgsforecast.report.build import ReportContent

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


# Figure plans for the worker processes; set just before forking, so the children inherit
# them (closures over the prognosis cannot be pickled, and need not be with fork).
_PLANS: list[Plan] = []


def _render_task(task: tuple[int, str]) -> bytes:
    """Draw plan ``task[0]`` and render it as ``task[1]``."""
    from wgsforecast.plotting import pyplot

    index, fmt = task
    fig = _PLANS[index][2]()
    try:
        freeze_date_ticks(fig)
        return render(fig, fmt)
    finally:
        pyplot().close(fig)


def freeze_date_ticks(fig: Any) -> None:
    """Replace date tick locators by the fixed ticks they give now.

    matplotlib's date locators rerun a calendar rule every time ticks are asked for (many
    times per render with constrained layout), which made the 17-panel figure take seconds.
    The x limits are final when a figure is handed over, so the fixed ticks are the same
    ticks and the rendered files are byte-identical, only faster.
    """
    from matplotlib.dates import DateLocator
    from matplotlib.ticker import FixedLocator

    for ax in fig.axes:
        axis = ax.xaxis
        if isinstance(axis.get_major_locator(), DateLocator):
            axis.set_major_locator(FixedLocator(axis.get_majorticklocs()))
        if isinstance(axis.get_minor_locator(), DateLocator):
            axis.set_minor_locator(FixedLocator(axis.get_minorticklocs()))


def use_fork() -> bool:
    """Whether to render in forked workers: only where ``fork`` is the start method in use.

    That is the platform default on Linux (up to Python 3.13). Where the default is
    ``spawn`` or ``forkserver`` (Windows, macOS, newer Pythons) forking is unsafe or not
    what the user chose, and spawned workers could not run the closures anyway, so the
    figures are rendered in this process instead. ``get_all_start_methods()[0]`` is the
    platform default; reading it, unlike ``get_start_method()``, does not fix the context.
    """
    method = multiprocessing.get_start_method(allow_none=True)
    if method is None:
        method = multiprocessing.get_all_start_methods()[0]
    return method == "fork"


def render_all(plans: list[Plan]) -> dict[tuple[str, str], bytes]:
    """Render every plan as PNG and SVG, in forked worker processes where that is safe.

    The figures are independent, so with several cores and ``fork`` (see :func:`use_fork`)
    each (figure, format) pair is drawn in a worker; otherwise all run in this process. An
    exception while drawing is raised here either way.
    """
    global _PLANS
    tasks = [(i, fmt) for i in range(len(plans)) for fmt in ("png", "svg")]
    # Slowest first (the small-multiples figure), so the workers finish together.
    tasks.sort(key=lambda t: plans[t[0]][0] != "group_ramps")
    workers = min(os.cpu_count() or 1, 4, len(tasks))
    _PLANS = plans
    try:
        if workers > 1 and use_fork():
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                results = list(pool.map(_render_task, tasks))
        else:
            results = [_render_task(t) for t in tasks]
    finally:
        _PLANS = []
    return {(plans[i][0], fmt): r for (i, fmt), r in zip(tasks, results, strict=True)}


def render(fig: Any, fmt: str) -> bytes:
    """Render a figure as ``png`` or ``svg`` bytes, the same bytes on every run."""
    import io

    import matplotlib

    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    # A fixed salt makes SVG element ids, and so the files, the same on every run.
    with matplotlib.rc_context({"svg.hashsalt": "wgsforecast"}):
        # The plotting module lays figures out (constrained layout); no tight-bbox pass.
        fig.savefig(buffer, format=fmt, dpi=110, metadata=metadata)
    return buffer.getvalue()
