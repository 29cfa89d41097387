"""Speed benchmark, all in one run (``make bench``):

1. adoption fit + 10,000 paths against Prophet fit + 1,000 samples, alternating with the
   adoption fit alone and with the paths' random-number floor (what 10,000 paths' random
   numbers alone cost, fresh in every path, group and month), with the ratio (issue 9's
   goal: Prophet at least 3x as long) and the part of that goal's budget the fit alone and
   the fit plus the floor take;
2. the README's main command cold: ``wgsforecast report --out DIR`` in a fresh process, five
   times, alternating with a floor process (imports pandas, scipy and matplotlib, saves one
   figure as PNG and SVG) and with a process that runs only the report's forecasts and
   figures; medians and their ratios to the floor (issue 12's goal: the report at most
   2.5x; skipped with a message if this build has no ``report`` subcommand);
3. a full rolling-origin backtest of the bundled data with every built-in engine (goal: under
   60 seconds);
4. fit + simulate time of our engines beside Prophet and statsforecast AutoETS on the same 17
   bundled series (the comparators only if the ``bench`` extra is installed). Each is timed
   twice: the first call includes one-off costs (imports, Stan model load, numba JIT).

Prints a Markdown table and writes it to ``benchmarks/results/speed.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

import comparators

import wgsforecast as wf
from wgsforecast.backtesting import backtest
from wgsforecast.engines import ENGINES, Engine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "speed.md"
BACKTEST_GOAL_SECONDS = 60.0


def _cli() -> list[str]:
    script = ROOT / ".venv" / "bin" / "wgsforecast"
    return [str(script)] if script.exists() else [sys.executable, "-m", "wgsforecast"]


REPORT_FLOOR_GOAL = 2.5
"""Issue 12: ``wgsforecast report`` within 2.5x of the floor process below."""

FLOOR_SCRIPT = """
import io

import matplotlib
import pandas
import scipy.special

matplotlib.use("Agg")
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
ax.plot(range(24), [m * m for m in range(24)])
ax.set_title("floor")
for fmt in ("png", "svg"):
    fig.savefig(io.BytesIO(), format=fmt, dpi=110)
"""
"""The floor: a fresh Python that imports pandas, scipy and matplotlib (the parts the report
itself imports: ``scipy.special`` and ``pyplot``) and saves one figure as PNG and SVG. No
report on this stack can start faster; the ratio to it does not depend on the machine."""


FORECASTS_AND_FIGURES_SCRIPT = """
import gc
import time
import warnings
from types import SimpleNamespace

from wgsforecast.cli import build_parser
from wgsforecast.engines import new_engine
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.inputs import load_bundled
from wgsforecast.plotting import pyplot
from wgsforecast.report.content import EVIDENCE_ENGINE, PUBLISHED_ENGINE
from wgsforecast.report.figures import figure_plans, render_all
from wgsforecast.report.methods import BASELINE_ENGINES

# The command's parser (it imports the subcommands' modules) and its defaults.
options = build_parser().parse_args(["report", "--out", "unused"])
pyplot()  # imported before the figures' timer: the floor pays this import too
data = load_bundled()
gc.freeze()  # as build_report does around its work
started = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", PriorFallbackWarning)  # as build_report does
    runs = {
        name: new_engine(name)
        .fit(data.actuals, data.groups, data.assumptions)
        .forecast(n_paths=options.paths, seed=options.seed, progress=False)
        for name in (PUBLISHED_ENGINE, EVIDENCE_ENGINE, *BASELINE_ENGINES)
    }
forecasts = time.perf_counter() - started
# All that figure_plans reads of the report's content: no table is made.
content = SimpleNamespace(
    lang=options.lang,
    main=runs[EVIDENCE_ENGINE],
    table1_published=True,
    scenario_comparison=None,
)
started = time.perf_counter()
render_all(figure_plans(content))
print(f"seconds {forecasts} {time.perf_counter() - started}")
gc.freeze()  # as the command does before the interpreter exits
"""
"""The report without its tables and files: a fresh Python that imports what the command
imports (its parser included), runs the report's four forecasts with the command's defaults
and draws and renders its figures as the report does (PNG and SVG), and prints the seconds
of the forecasts and of the figures. Left out, besides the tables, Markdown, HTML, workbook
and moving files into place: the memory check, the vintage look-up, the input hashes and
the output folder's lock. All of it is work the report does on top, so this process's ratio
to the floor is the lowest the report could reach with all of that free."""


def compile_package() -> None:
    """Byte-compile the package the report runs, as installing it does.

    The floor's libraries come with their bytecode. Without ours, an environment with
    ``PYTHONDONTWRITEBYTECODE`` set (sandboxes and CI often set it) compiles all of
    wgsforecast's modules anew in every cold run (about 0.4 s), which an installed copy
    never does. ``compileall`` writes the bytecode whatever that variable says; files that
    are up to date are left alone.
    """
    subprocess.run(
        [*_python(), "-m", "compileall", "-q", str(Path(wf.__file__).resolve().parent)],
        check=True,
    )


def _python() -> list[str]:
    """The Python that :func:`_cli` runs (the project's venv, else this one)."""
    python = ROOT / ".venv" / "bin" / "python"
    return [str(python)] if (ROOT / ".venv" / "bin" / "wgsforecast").exists() else [sys.executable]


def time_report_against_floor(runs: int) -> list[tuple[str, str]]:
    """``wgsforecast report`` cold against the floor process, side by side.

    The report, the floor and the report's forecasts and figures alone
    (:data:`FORECASTS_AND_FIGURES_SCRIPT`) alternate in fresh processes, ``runs`` times
    each, so a busy machine slows them alike; the rows give each median and the ratios of
    the medians to the floor's (issue 12's goal for the report: 2.5).
    """
    what = "README main command cold (`wgsforecast report --out DIR`)"
    probe = subprocess.run([*_cli(), "report", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        return [(what, "skipped: no report subcommand")]
    compile_package()
    kinds = ("report", "floor", "forecasts and figures")
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    # CPU seconds (user + system) of each child too: on a machine busy with other work the
    # wall times stretch, the CPU times much less.
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    # The forecasts' and the figures' own seconds, as the third process measures them.
    parts: list[tuple[float, float]] = []

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            started, cpu_before = time.perf_counter(), children_cpu()
            result = subprocess.run(
                [*_cli(), "report", "--out", out], capture_output=True, text=True
            )
            timings["report"].append(time.perf_counter() - started)
            cpu["report"].append(children_cpu() - cpu_before)
        if result.returncode != 0:
            return [(what, f"failed (exit {result.returncode}): {result.stderr.strip()[-200:]}")]
        for kind, script in (
            ("floor", FLOOR_SCRIPT),
            ("forecasts and figures", FORECASTS_AND_FIGURES_SCRIPT),
        ):
            started, cpu_before = time.perf_counter(), children_cpu()
            done = subprocess.run([*_python(), "-c", script], capture_output=True, text=True)
            timings[kind].append(time.perf_counter() - started)
            cpu[kind].append(children_cpu() - cpu_before)
            if done.returncode != 0:
                return [(kind, f"failed (exit {done.returncode}): {done.stderr.strip()[-200:]}")]
        # The last line the third process printed: "seconds <forecasts> <figures>".
        _, forecasts, figures = done.stdout.splitlines()[-1].split()
        parts.append((float(forecasts), float(figures)))
    report, floor, least = (statistics.median(timings[k]) for k in kinds)
    ratio = report / floor
    verdict = "meets" if ratio <= REPORT_FLOOR_GOAL else "misses"

    def cpu_ratio(kind: str) -> float:
        return statistics.median(cpu[kind]) / statistics.median(cpu["floor"])

    def spread(key: str) -> str:
        return (
            f"min {min(timings[key]):.2f}, max {max(timings[key]):.2f}; "
            f"CPU median {statistics.median(cpu[key]):.2f} s"
        )

    return [
        (f"{what}, median of {runs}", f"{report:.2f} s ({spread('report')})"),
        (
            "floor: fresh Python importing pandas, scipy.special and matplotlib, saving one "
            f"figure as PNG and SVG, median of {runs} (alternating with the report)",
            f"{floor:.2f} s ({spread('floor')})",
        ),
        (
            "report / floor",
            f"{ratio:.2f}x ({verdict} the goal of {REPORT_FLOOR_GOAL:g}x); "
            f"CPU time {cpu_ratio('report'):.2f}x",
        ),
        (
            "the report's forecasts and figures alone: fresh Python with the command's "
            "imports, its four forecasts and its figures (PNG and SVG), no tables, no files, "
            f"median of {runs} (alternating)",
            f"{least:.2f} s ({spread('forecasts and figures')}); inside it the forecasts "
            f"{statistics.median(p[0] for p in parts):.2f} s and the figures "
            f"{statistics.median(p[1] for p in parts):.2f} s (medians; pyplot imported "
            "before the figures' timer)",
        ),
        (
            "forecasts and figures alone / floor: the lowest ratio faster tables and "
            "writing could give",
            f"{least / floor:.2f}x; CPU time {cpu_ratio('forecasts and figures'):.2f}x",
        ),
    ]


def time_backtest(n_paths: int) -> tuple[str, str]:
    """Wall time of a full backtest of the bundled data with every built-in engine."""
    data = wf.load_bundled()
    engines = list(ENGINES)
    started = time.perf_counter()
    result = backtest(
        data.actuals, data.groups, data.assumptions, engines=engines, n_paths=n_paths, seed=0
    )
    seconds = time.perf_counter() - started
    verdict = "under" if seconds < BACKTEST_GOAL_SECONDS else "OVER"
    return (
        f"full backtest, bundled data, {len(result.origins)} origins x {len(engines)} engines "
        f"({', '.join(engines)}), {n_paths} paths",
        f"{seconds:.1f} s ({verdict} the {BACKTEST_GOAL_SECONDS:.0f} s goal)",
    )


def time_engines(n_paths: int) -> list[tuple[str, str]]:
    """Fit + simulate time per engine on the 17 bundled series, first and second call."""
    data = wf.load_bundled()
    rows = []
    for name in ENGINES:
        times = []
        for _ in range(2):
            started = time.perf_counter()
            ENGINES[name]().fit(data.actuals, data.groups, data.assumptions).forecast(
                n_paths=n_paths, seed=1, progress=False
            )
            times.append(time.perf_counter() - started)
        rows.append((f"engine `{name}`", f"{times[0]:.2f} s first, {times[1]:.2f} s second"))
    others = comparators.available()
    for name in ("prophet", "sf_autoets"):
        if name not in others:
            rows.append((f"comparator `{name}`", "skipped: not installed (bench extra)"))
            continue
        times = []
        for _ in range(2):
            started = time.perf_counter()
            comparators.forecast_with(
                name, others[name], data.actuals, data.groups, data.assumptions, n_paths, 1
            )
            times.append(time.perf_counter() - started)
        rows.append((f"comparator `{name}`", f"{times[0]:.2f} s first, {times[1]:.2f} s second"))
    return rows


ADOPTION_PATHS = 10_000
PROPHET_SAMPLES = 1_000
HEAD_TO_HEAD_GOAL = 3.0
"""Issue 9: adoption fit + 10,000 paths at least 3x faster than Prophet fit + 1,000 samples."""


def time_adoption_against_prophet(runs: int = 3) -> list[tuple[str, str]]:
    """Adoption (fit + 10,000 paths) against Prophet (fit + 1,000 samples), side by side.

    The two alternate with the adoption fit alone and with the paths' random-number floor
    (:func:`random_numbers_floor`), ``runs`` times each after one warm-up call of each, on
    the same 17 bundled series; the medians and their ratios come from this one run, so a
    busy machine slows them alike. The fit alone and the fit plus the floor are set against
    the goal's budget (Prophet's time / 3): what the fit leaves is all the 10,000 paths
    could take, and the floor is the least they take when every cell gets fresh numbers.
    """
    import warnings

    data = wf.load_bundled()
    others = comparators.available()
    what = (
        f"adoption fit + {ADOPTION_PATHS:,} paths against Prophet fit + {PROPHET_SAMPLES:,} "
        "samples, and the adoption fit alone, 17 bundled series (median of alternating runs)"
    )
    if "prophet" not in others:
        return [(what, "skipped: Prophet not installed (bench extra)")]

    def fit() -> Engine:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ENGINES["adoption"]().fit(data.actuals, data.groups, data.assumptions)

    def adoption() -> None:
        fit().forecast(n_paths=ADOPTION_PATHS, seed=1, progress=False)

    def prophet() -> None:
        comparators.forecast_with(
            "prophet",
            others["prophet"],
            data.actuals,
            data.groups,
            data.assumptions,
            PROPHET_SAMPLES,
            1,
        )

    projected = int(fit().forecast(n_paths=1, seed=1, progress=False).is_projected.sum())
    cells = np.empty((ADOPTION_PATHS, len(data.groups), projected), dtype=np.float32)
    rng = np.random.default_rng(1)
    calls: dict[str, Callable[[], object]] = {
        "adoption": adoption,
        "prophet": prophet,
        "adoption fit": fit,
        "random numbers": lambda: random_numbers_floor(cells, rng),
    }
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        call()  # warm-up: imports, Stan model load
    for _ in range(runs):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - started)
    ours, theirs, fit_alone, floor = (statistics.median(timings[k]) for k in calls)
    ratio = theirs / ours
    verdict = "meets" if ratio >= HEAD_TO_HEAD_GOAL else "misses"
    # The goal's whole budget, and what the fit alone leaves of it for the 10,000 paths.
    budget = theirs / HEAD_TO_HEAD_GOAL
    floor_what = (
        f"{ADOPTION_PATHS:,} paths' random numbers alone, fresh in every cell "
        f"({cells.size:,} cells: "
        f"{ADOPTION_PATHS:,} paths x {cells.shape[1]} groups x {projected} projected months; "
        "per cell one normal and one uniform draw, a running sum and an exp, float32; "
        "median of the same alternating runs)"
    )
    return [
        (
            what,
            f"{ours:.2f} s against {theirs:.2f} s: Prophet takes {ratio:.2f}x as long "
            f"({verdict} the goal of {HEAD_TO_HEAD_GOAL:g}x); the goal's budget for fit + "
            f"paths is {budget:.2f} s, of which the adoption fit alone takes {fit_alone:.2f} s",
        ),
        (
            floor_what,
            f"{floor:.2f} s; the fit alone plus this floor is {fit_alone + floor:.2f} s, "
            f"{(fit_alone + floor) / budget:.2f}x the goal's budget of {budget:.2f} s "
            f"(the paths themselves take {ours - fit_alone:.2f} s)",
        ),
    ]


def random_numbers_floor(cells: npt.NDArray[np.float32], rng: np.random.Generator) -> None:
    """The least work of paths with noise in every path, group and month, into ``cells``.

    A month's count is random in every path and group, and so is a walking level's step:
    that is one uniform (a count's quantile) and one normal (a step) per cell, a running
    sum along the months and an exp to turn log levels into factors. numpy's fastest
    generators, in place, float32; nothing else the paths need (ramps, counts from the
    quantiles, caps, the ceiling, totals) is done.
    """
    rng.random(dtype=np.float32, out=cells)
    rng.standard_normal(dtype=np.float32, out=cells)
    np.cumsum(cells, axis=2, out=cells)
    np.exp(cells, out=cells)


def main(argv: list[str] | None = None) -> int:
    """Run the timings, print them and write ``benchmarks/results/speed.md``."""
    parser = argparse.ArgumentParser(description="wgsforecast speed benchmark")
    parser.add_argument("--runs", type=int, default=5, help="cold report runs (5)")
    parser.add_argument("--paths", type=int, default=1000, help="paths per fit (1000)")
    parser.add_argument("--backtest-paths", type=int, default=500, help="backtest paths (500)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--head-to-head-only",
        action="store_true",
        help="only adoption against Prophet (printed, not written)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="only the report against the floor (printed, not written)",
    )
    args = parser.parse_args(argv)

    rows: list[tuple[str, str]] = []
    if not args.report_only:
        for row in time_adoption_against_prophet():
            rows.append(row)
            print(f"{row[0]}: {row[1]}", flush=True)
        if args.head_to_head_only:
            return 0
    for row in time_report_against_floor(args.runs):
        rows.append(row)
        print(f"{row[0]}: {row[1]}", flush=True)
    if args.report_only:
        return 0
    rows.append(time_backtest(args.backtest_paths))
    print(f"{rows[-1][0]}: {rows[-1][1]}", flush=True)
    for row in time_engines(args.paths):
        rows.append((f"{row[0]}, 17 bundled series, {args.paths} paths, fit + simulate", row[1]))
        print(f"{rows[-1][0]}: {rows[-1][1]}", flush=True)
    lines = [
        "# Speed benchmark",
        "",
        f"`.venv/bin/python benchmarks/speed.py` on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.machine()}.",
        "",
        "| what | time |",
        "|---|---|",
        *(f"| {what} | {value} |" for what, value in rows),
        "",
    ]
    text = "\n".join(lines)
    from wgsforecast.io import atomic_write_text

    atomic_write_text(args.out, text)
    print()
    print(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
