"""``wgsforecast report``: the quarterly prognosis report (HTML, Excel, CSV, figures, Markdown)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wgsforecast.commands._options import (
    add_data_options,
    add_output_options,
    add_simulation_options,
    check_paths,
    load_data,
)


def add_parser(subparsers: Any) -> None:
    """Register the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="make the quarterly prognosis report and print Table 1",
        description=(
            "Forecast with the published method (and the evidence-based engine when "
            "available), print Table 1 beside the published one, and write the HTML report, "
            "an Excel workbook, CSV tables, figures (PNG and SVG) and summary.md into --out. "
            "Defaults to the bundled (partly reconstructed) data."
        ),
    )
    add_data_options(parser, as_of=True)
    add_output_options(parser)
    add_simulation_options(
        parser,
        paths=2000,
        seed=2023,
        engine_help="engine of the evidence-based table (default: adoption when available; "
        "'runrate' gives the published method only)",
    )
    parser.add_argument(
        "--scenarios", type=Path, nargs="+", default=[], metavar="FILE", help="scenario files"
    )
    parser.add_argument("--price-per-ge", type=float, help="price of one GE (DKK): funding view")
    parser.add_argument("--save-vintage", metavar="NAME", help="save the prognosis as a vintage")
    parser.add_argument("--vintages", type=Path, help="vintages folder (default: data/vintages)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the report; print Table 1 and the list of files written."""
    from wgsforecast.api import input_paths
    from wgsforecast.report import build_report

    check_paths(args)
    if args.price_per_ge is not None and args.price_per_ge <= 0:
        raise ValueError(f"--price-per-ge must be positive; got {args.price_per_ge}")
    for path in args.scenarios:
        if not path.is_file():
            raise FileNotFoundError(f"scenario file {path} does not exist; check the path")
    # The files read, for the report's provenance section.
    inputs = input_paths(args.actuals, args.groups, args.assumptions)
    data = load_data(args)
    result = build_report(
        data,
        args.out,
        lang=args.lang,
        engine=args.engine,
        n_paths=args.paths,
        seed=args.seed,
        scenarios=args.scenarios,
        price_per_ge=args.price_per_ge,
        save_vintage=args.save_vintage,
        vintages_root=args.vintages,
        inputs=inputs,
    )
    print(result.terminal_table)
    print()
    print(f"{len(result.files)} files in {args.out}: {result.html}", file=sys.stdout)
    return 0
