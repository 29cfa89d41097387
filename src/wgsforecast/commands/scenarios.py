"""``wgsforecast scenarios FILE...``: compare what-if scenarios with the baseline."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from wgsforecast._text import Text
from wgsforecast.commands._csv_tables import scenario_table, write_csv
from wgsforecast.commands._options import (
    add_data_options,
    add_output_options,
    add_simulation_options,
    check_run_options,
    load_checked_data,
)
from wgsforecast.notes import WARNING_LINE, warning_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WRITTEN = Text(da="skrevet:", en="written:")


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
    add_data_options(parser)
    add_simulation_options(
        parser, paths=10_000, seed=2023, engine_help="engine (default: adoption if available)"
    )
    add_output_options(parser, out="out/scenarios")
    parser.add_argument(
        "--price-per-ge", type=float, help="price of one GE (DKK); adds the cost of GE left"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes to run scenarios in (1)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compare the scenarios; print the table and the files written."""
    from wgsforecast.engines import ENGINES
    from wgsforecast.io import atomic_write_text
    from wgsforecast.plotting import pyplot, save_figure
    from wgsforecast.scenarios import compare_scenarios, read_scenarios

    check_run_options(args, out=args.out)
    engine = args.engine or ("adoption" if "adoption" in ENGINES else "runrate")
    scenarios = read_scenarios(args.files)
    data = load_checked_data(args, engine=engine, prognoses=1 + len(scenarios))
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
            run_progress=None,
        )
    # Every refit repeats the engine's warnings; show each message once, without source lines.
    for message in dict.fromkeys(warning_text(w.message, args.lang) for w in caught):
        print(WARNING_LINE(args.lang, message=message), file=sys.stderr)
    markdown = comparison.to_markdown(args.lang)
    print(comparison.to_text(args.lang))
    out: Path = args.out
    written = [
        write_csv(out / "scenarios.csv", scenario_table(comparison, args.lang), args.lang),
        atomic_write_text(out / "scenarios.md", markdown),
    ]
    plt = pyplot()
    figures = (("scenario_fans", comparison.plot_fans), ("scenario_shifts", comparison.plot_shifts))
    for name, draw in figures:
        ax = draw(lang=args.lang)
        figure = cast("Figure", ax.figure)
        written += save_figure(figure, out / name)
        plt.close(figure)
    print(WRITTEN(args.lang), *(str(path) for path in written), sep="\n  ", file=sys.stderr)
    return 0
