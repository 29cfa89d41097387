"""``wgsforecast scenarios FILE...``: compare what-if scenarios with the baseline."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def add_parser(subparsers: Any) -> None:
    """Register the ``scenarios`` subcommand."""
    parser = subparsers.add_parser(
        "scenarios",
        help="compare what-if scenario files with the baseline on the same random numbers",
        description=(
            "Run the baseline and every scenario file on the same random numbers, print the "
            "comparison (target month, shift, P(target by deadline), GE per table period) "
            "and write it as CSV and Markdown plus figures (PNG and SVG) into --out. "
            "Defaults to the bundled (partly reconstructed) data; the example scenarios are "
            "in data/scenarios/."
        ),
    )
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="scenario TOML files")
    parser.add_argument("--actuals", type=Path, help="monthly GE per group (CSV or XLSX)")
    parser.add_argument("--groups", type=Path, help="patient-group file (CSV or XLSX)")
    parser.add_argument("--assumptions", type=Path, help="assumptions TOML file")
    parser.add_argument("--engine", default=None, help="engine (default: adoption if available)")
    parser.add_argument("--paths", type=int, default=10_000, help="sample paths (10000)")
    parser.add_argument("--seed", type=int, default=2023, help="random seed (2023)")
    parser.add_argument(
        "--out", type=Path, default=Path("out/scenarios"), help="output folder (out/scenarios)"
    )
    parser.add_argument("--lang", choices=("da", "en"), default="da", help="language (da)")
    parser.add_argument(
        "--price-per-ge", type=float, help="price of one GE (DKK); adds the cost of GE left"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes to run scenarios in (1)")
    parser.set_defaults(func=run)


def _data(args: argparse.Namespace) -> Any:
    from wgsforecast.api import ProgrammeData, load_bundled
    from wgsforecast.io import (
        bundled_actuals_path,
        bundled_assumptions_path,
        bundled_groups_path,
        read_actuals,
        read_assumptions,
        read_groups,
    )

    if args.actuals is None and args.groups is None and args.assumptions is None:
        return load_bundled()
    groups = read_groups(args.groups or bundled_groups_path())
    assumptions = read_assumptions(args.assumptions or bundled_assumptions_path())
    actuals = read_actuals(args.actuals or bundled_actuals_path(), groups)
    if args.actuals is None:
        actuals.attrs["notes"] = ("reconstructed",)
    return ProgrammeData(actuals, groups, assumptions)


def run(args: argparse.Namespace) -> int:
    """Compare the scenarios; print the table and the files written."""
    from wgsforecast.engines import ENGINES
    from wgsforecast.io import atomic_write_text
    from wgsforecast.plotting import _pyplot, save_figure
    from wgsforecast.scenarios import compare_scenarios, read_scenarios

    if args.paths < 1:
        raise ValueError(f"--paths must be at least 1; got {args.paths}")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1; got {args.workers}")
    if args.price_per_ge is not None and not args.price_per_ge > 0:
        raise ValueError(f"--price-per-ge must be a positive number; got {args.price_per_ge}")
    engine = args.engine or ("adoption" if "adoption" in ENGINES else "runrate")
    scenarios = read_scenarios(args.files)
    data = _data(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        comparison = compare_scenarios(
            data,
            scenarios,
            engine=engine,
            n_paths=args.paths,
            seed=args.seed,
            price_per_ge=args.price_per_ge,
            workers=args.workers,
        )
    # Every refit repeats the engine's warnings; show each message once, without source lines.
    for message in dict.fromkeys(str(w.message) for w in caught):
        print(f"warning: {message}", file=sys.stderr)
    markdown = comparison.to_markdown(args.lang)
    print(markdown)
    out: Path = args.out
    written = [
        atomic_write_text(out / "scenarios.csv", comparison.table(args.lang).to_csv(index=False)),
        atomic_write_text(out / "scenarios.md", markdown),
    ]
    plt = _pyplot()
    figures = (("scenario_fans", comparison.plot_fans), ("scenario_shifts", comparison.plot_shifts))
    for name, draw in figures:
        ax = draw(lang=args.lang)
        figure = cast("Figure", ax.figure)
        written += save_figure(figure, out / name)
        plt.close(figure)
    print("written:", *(str(path) for path in written), sep="\n  ", file=sys.stderr)
    return 0
