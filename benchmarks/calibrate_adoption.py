"""Calibrate one AdoptionEngine keyword on one generator, report it on the other.

Run from the repository root::

    .venv/bin/python benchmarks/calibrate_adoption.py --param throughput_sd_scale \\
        --grid 0.5,1,1.5,2 --on A            # 50 + 50 programmes, 300 paths
    .venv/bin/python benchmarks/calibrate_adoption.py --param throughput_sd_scale \\
        --grid 0.5,1,2 --on B --count 4 --report-programmes 4 --paths 100   # quick look

The keyword ``--param`` is passed to :class:`wgsforecast.engines.adoption.AdoptionEngine` as a
float, one engine per grid value (fitted and forecast afresh, so a keyword that acts in the
fit is calibrated too); a keyword the engine does not accept, or a value it rejects, stops the
run with a message.

1. **Calibrate** on generator ``--on`` (A: ramps, :func:`wgsforecast.simulate.simulate_programme`;
   B: shortfall, :func:`wgsforecast.simulate_shortfall.simulate_shortfall_programme`), seeds
   ``--first`` .. ``--first + --count - 1`` (default 1001-1050: disjoint from the seeds
   ``benchmarks/accuracy.py`` reports, 1-50), built exactly as the accuracy benchmark builds
   them (:func:`accuracy.generate`). Each grid value is scored on the national cumulative
   total at +3, +6, +12 and +24 months: 80% interval coverage and CRPS in % of the truth.
   **Selection rule** (``--select``): ``coverage`` (default), the value whose mean 80%
   coverage over the four leads is closest to 80%, ties to the lower mean CRPS %; ``crps``,
   of the values inside 72-88% at every lead the one with the lowest mean CRPS %
   (:data:`SELECTION_RULES` says which suits which keyword). ``--no-go-lives`` scores with the
   registry of the accuracy benchmark's ``no go-lives`` rows, for keywords that act on groups
   without a go-live month.
2. **Report** the chosen value, beside the engine's default, on the OTHER generator, seeds
   1..``--report-programmes``: a world the value was not tuned on.

Writes ``benchmarks/results/calibration.md`` and prints it.
"""

from __future__ import annotations

import argparse
import inspect
import math
import os
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import (
    COVER_GOAL,
    GENERATORS,
    LEADS,
    generate,
    target_month_cover,
    without_planned_go_lives,
)

from wgsforecast.backtesting import national_truth, score_prognosis
from wgsforecast.engines.adoption import AdoptionEngine

RESULTS = Path(__file__).resolve().parent / "results" / "calibration.md"
MAX_WORKERS = 2
DEFAULT = "default"
"""Label of the engine built without the keyword (its own default)."""


def score_seed(
    generator: str,
    seed: int,
    param: str,
    values: list[float | None],
    n_paths: int,
    no_go_lives: bool = False,
) -> list[dict[str, Any]]:
    """Score programme ``seed`` of ``generator`` once per grid value.

    Parameters
    ----------
    generator, seed
        The synthetic programme (:func:`accuracy.generate`).
    param, values
        The engine keyword and its values (``None``: the engine's default).
    n_paths
        Paths per forecast.
    no_go_lives
        Use the registry of the accuracy benchmark's ``no go-lives`` rows
        (:func:`accuracy.without_planned_go_lives`).

    Returns
    -------
    list of dict
        One row per value: coverage and CRPS % per lead, and the target month's cover.
    """
    warnings.simplefilter("ignore")
    sim = generate(generator, seed)
    actuals = pd.concat([sim.actuals, sim.future], ignore_index=True)
    truth = national_truth(actuals)
    settings = sim.assumptions.model_copy(update={"horizon_months": 36})
    groups = (
        without_planned_go_lives(actuals, sim.groups, settings.as_of) if no_go_lives else sim.groups
    )
    rows = []
    for value in values:
        engine = AdoptionEngine() if value is None else AdoptionEngine(**{param: value})
        prognosis = engine.fit(actuals, groups, settings).forecast(
            n_paths=n_paths, seed=seed, progress=False
        )
        row: dict[str, Any] = {
            "generator": generator,
            "seed": seed,
            "value": DEFAULT if value is None else value,
        }
        for lead, metric, score in score_prognosis(prognosis, truth, LEADS):
            if metric in ("cover80", "crps_pct"):
                row[f"{metric} +{lead}"] = score
        cover = target_month_cover(prognosis, truth)
        row["target_cover80"] = np.nan if cover is None else cover
        rows.append(row)
    return rows


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    """Mean scores per value, with the means over the leads used by the selection rule."""
    covers = [f"cover80 +{lead}" for lead in LEADS]
    crpss = [f"crps_pct +{lead}" for lead in LEADS]
    table = rows.groupby("value", sort=False)[[*covers, *crpss, "target_cover80"]].mean()
    table["cover80 mean"] = table[covers].mean(axis=1)
    table["crps_pct mean"] = table[crpss].mean(axis=1)
    table["programmes"] = rows.groupby("value", sort=False).size()
    return table


SELECTION_RULES = {
    "coverage": (
        "the grid value whose mean 80% coverage over the four leads is closest to 80%; ties "
        "go to the lower mean CRPS %"
    ),
    "crps": (
        "of the grid values whose 80% coverage lies inside 72-88% at every lead, the one with "
        "the lowest mean CRPS % (if none does, the coverage rule)"
    ),
}
"""How a value is chosen. ``coverage`` suits a keyword that sets how wide the paths are:
the goal is stated in coverage, and where the paths' centre is off the CRPS can prefer
intervals narrower than those that cover. ``crps`` suits one that moves where the paths lie:
coverage is blind to which side the truth falls on, so a mean coverage near 80% can hide
misses nearly all on one side. Values whose scores differ by noise are told apart by it all
the same: read the table, not only the choice."""

Rule = Literal["coverage", "crps"]


def choose(summary: pd.DataFrame, rule: Rule = "coverage") -> Any:
    """The grid value a selection rule picks.

    Parameters
    ----------
    summary
        Mean scores per grid value, as :func:`summarise` gives them.
    rule
        ``"coverage"`` or ``"crps"`` (:data:`SELECTION_RULES`).

    Returns
    -------
    The chosen value (an index label of ``summary``).

    Raises
    ------
    ValueError
        For a rule not in :data:`SELECTION_RULES`.
    """
    if rule not in SELECTION_RULES:
        raise ValueError(f"rule must be one of {sorted(SELECTION_RULES)}; got {rule!r}")
    if rule == "crps":
        covers = summary[[f"cover80 +{lead}" for lead in LEADS]]
        inside = ((covers >= COVER_GOAL[0]) & (covers <= COVER_GOAL[1])).all(axis=1)
        if inside.any():
            return summary[inside]["crps_pct mean"].idxmin()
    distance = (summary["cover80 mean"] - 0.8).abs().round(9)
    ranked = summary.assign(distance=distance).sort_values(["distance", "crps_pct mean"])
    return ranked.index[0]


def _markdown(table: pd.DataFrame, index_name: str) -> str:
    columns = [
        *[f"cover80 +{lead}" for lead in LEADS],
        "cover80 mean",
        "target_cover80",
        "crps_pct +12",
        "crps_pct +24",
        "crps_pct mean",
        "programmes",
    ]
    labels = {
        **{f"cover80 +{lead}": f"80% cover +{lead}" for lead in LEADS},
        "cover80 mean": "80% cover, mean of leads",
        "target_cover80": "target-month 80% cover",
        "crps_pct +12": "CRPS % +12",
        "crps_pct +24": "CRPS % +24",
        "crps_pct mean": "CRPS %, mean of leads",
        "programmes": "programmes",
    }
    header = [index_name, *(labels[c] for c in columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for value, row in table.iterrows():
        cells = [str(value)]
        for column in columns:
            number = float(row[column])
            if math.isnan(number):
                cells.append("–")
            elif column == "programmes":
                cells.append(f"{number:.0f}")
            elif "cover" in column:
                cells.append(f"{number:.3f}")
            else:
                cells.append(f"{number:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _check_keyword(parser: argparse.ArgumentParser, param: str, grid: list[float]) -> None:
    """Fail early, with the engine's keywords, if it rejects the keyword or a value."""
    accepted = [name for name in inspect.signature(AdoptionEngine.__init__).parameters][1:]
    for value in grid:
        try:
            AdoptionEngine(**{param: value})
        except TypeError as error:
            parser.error(
                f"AdoptionEngine does not accept the keyword {param!r} ({error}); "
                f"its keywords: {', '.join(accepted)}"
            )
        except ValueError as error:
            parser.error(f"AdoptionEngine rejects {param}={value}: {error}")


def _run(
    pool: ProcessPoolExecutor,
    generator: str,
    seeds: range,
    param: str,
    values: list[float | None],
    n_paths: int,
    no_go_lives: bool,
) -> pd.DataFrame:
    from tqdm.auto import tqdm

    futures = [
        pool.submit(score_seed, generator, s, param, values, n_paths, no_go_lives) for s in seeds
    ]
    rows: list[dict[str, Any]] = []
    for future in tqdm(futures, desc=f"generator {generator}", unit="programme"):
        rows.extend(future.result())
    return pd.DataFrame.from_records(rows)


def main(argv: list[str] | None = None) -> int:
    """Calibrate on one generator, report on the other, write the Markdown and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--param", required=True, help="AdoptionEngine keyword to calibrate")
    parser.add_argument("--grid", required=True, help="candidate values, comma-separated floats")
    parser.add_argument("--on", default="A", choices=sorted(GENERATORS), help="calibrate on")
    parser.add_argument("--first", type=int, default=1001, help="first calibration seed (1001)")
    parser.add_argument("--count", type=int, default=50, help="calibration programmes (50)")
    parser.add_argument(
        "--report-programmes",
        type=int,
        default=50,
        help="report on seeds 1..N of the other generator (50)",
    )
    parser.add_argument("--paths", type=int, default=300, help="paths per forecast (300)")
    parser.add_argument(
        "--no-go-lives",
        action="store_true",
        help="calibrate and report without the go-live of groups with no data yet (the "
        "accuracy benchmark's 'no go-lives' rows), for keywords that act on those groups",
    )
    parser.add_argument(
        "--select",
        default="coverage",
        choices=sorted(SELECTION_RULES),
        help="selection rule: coverage (default; for keywords that set the width) or crps "
        "(for keywords that move the paths)",
    )
    parser.add_argument("--workers", type=int, default=MAX_WORKERS, help="at most 2")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    args = parser.parse_args(argv)
    try:
        grid = [float(v) for v in args.grid.split(",") if v.strip()]
    except ValueError:
        parser.error(f"--grid must be comma-separated numbers; got {args.grid!r}")
    if not grid:
        parser.error("--grid needs at least one value")
    if args.count < 1 or args.report_programmes < 1:
        parser.error("--count and --report-programmes must be at least 1")
    if args.first <= max(50, args.report_programmes):
        parser.error(
            f"calibration seeds must lie above the reported seeds (1-"
            f"{max(50, args.report_programmes)}); use --first 1001 or higher"
        )
    _check_keyword(parser, args.param, grid)
    other = next(g for g in GENERATORS if g != args.on)
    workers = max(1, min(args.workers, MAX_WORKERS, os.cpu_count() or 1))
    calibration_seeds = range(args.first, args.first + args.count)
    report_seeds = range(1, args.report_programmes + 1)

    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        tuned = _run(
            pool,
            args.on,
            calibration_seeds,
            args.param,
            [*grid, None],
            args.paths,
            args.no_go_lives,
        )
        summary = summarise(tuned)
        chosen = choose(summary.drop(index=DEFAULT), args.select)
        checked = _run(
            pool,
            other,
            report_seeds,
            args.param,
            [float(chosen), None],
            args.paths,
            args.no_go_lives,
        )
    elapsed = time.perf_counter() - started
    report = summarise(checked)
    report.index = [
        f"{args.param} = {chosen:g} (chosen)" if v != DEFAULT else "engine default"
        for v in report.index
    ]
    summary.index = [
        "engine default" if v == DEFAULT else f"{v:g}" + (" (chosen)" if v == chosen else "")
        for v in summary.index
    ]
    default_value = inspect.signature(AdoptionEngine.__init__).parameters.get(args.param)
    default_text = (
        f"{default_value.default!r}"
        if default_value is not None and default_value.default is not inspect.Parameter.empty
        else "unknown"
    )
    command = (
        f".venv/bin/python benchmarks/calibrate_adoption.py --param {args.param} "
        f"--grid {args.grid} --on {args.on} --first {args.first} --count {args.count} "
        f"--report-programmes {args.report_programmes} --paths {args.paths}"
        + (" --no-go-lives" if args.no_go_lives else "")
        + (f" --select {args.select}" if args.select != "coverage" else "")
    )
    registry = (
        "the registry without the go-live of groups that have no data at the origin (as the "
        "accuracy benchmark's 'no go-lives' rows)"
        if args.no_go_lives
        else "the registry as the forecaster knows it (planned go-lives)"
    )
    on_name, other_name = GENERATORS[args.on][0], GENERATORS[other][0]
    text = "\n".join(
        [
            f"# Calibration of AdoptionEngine({args.param}=...)",
            "",
            f"Made by `{command}` in {elapsed / 60:.1f} min with {workers} workers.",
            "",
            "Scores of the national cumulative total at +3, +6, +12 and +24 months (80% "
            "interval coverage, goal 72-88%; CRPS in % of the true total, lower is better) and "
            "the target month's 80% interval (censored rule as in `accuracy.md`). The engine "
            f"uses {registry}. Selection rule: {SELECTION_RULES[args.select]}. 'engine "
            f"default' is AdoptionEngine() as it is now ({args.param} default: "
            f"{default_text}).",
            "",
            f"## Calibrated on generator {on_name}, seeds {calibration_seeds.start}-"
            f"{calibration_seeds.stop - 1}",
            "",
            _markdown(summary, args.param),
            f"Chosen: **{args.param} = {chosen:g}**.",
            "",
            f"## Held out: generator {other_name}, seeds {report_seeds.start}-"
            f"{report_seeds.stop - 1}",
            "",
            _markdown(report, "engine"),
        ]
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
