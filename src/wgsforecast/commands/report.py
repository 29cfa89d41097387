"""``wgsforecast report``: the quarterly prognosis report (HTML, Excel, CSV, figures, Markdown)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wgsforecast.periods import parse_month


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
    parser.add_argument("--actuals", type=Path, help="monthly GE per group (CSV or XLSX)")
    parser.add_argument("--groups", type=Path, help="patient-group file (CSV or XLSX)")
    parser.add_argument("--assumptions", type=Path, help="assumptions TOML file")
    parser.add_argument("--as-of", type=parse_month, help="last complete month, e.g. 2023-02")
    parser.add_argument("--out", type=Path, default=Path("out"), help="output folder (out)")
    parser.add_argument("--lang", choices=("da", "en"), default="da", help="language (da)")
    parser.add_argument(
        "--engine",
        help="engine of the evidence-based table (default: adoption when available; "
        "'runrate' gives the published method only)",
    )
    parser.add_argument("--paths", type=int, default=2000, help="sample paths (2000)")
    parser.add_argument("--seed", type=int, default=2023, help="random seed (2023)")
    parser.add_argument(
        "--scenarios", type=Path, nargs="+", default=[], metavar="FILE", help="scenario files"
    )
    parser.add_argument("--price-per-ge", type=float, help="price of one GE (DKK): funding view")
    parser.add_argument("--save-vintage", metavar="NAME", help="save the prognosis as a vintage")
    parser.add_argument("--vintages", type=Path, help="vintages folder (default: data/vintages)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the report; print Table 1 and the list of files written."""
    from wgsforecast.api import ProgrammeData, load_bundled
    from wgsforecast.io import (
        bundled_actuals_path,
        bundled_assumptions_path,
        bundled_groups_path,
        read_actuals,
        read_assumptions,
        read_groups,
    )
    from wgsforecast.report import build_report

    if args.paths < 1:
        raise ValueError(f"--paths must be at least 1; got {args.paths}")
    if args.price_per_ge is not None and args.price_per_ge <= 0:
        raise ValueError(f"--price-per-ge must be positive; got {args.price_per_ge}")
    for path in args.scenarios:
        if not path.is_file():
            raise FileNotFoundError(f"scenario file {path} does not exist; check the path")
    inputs = {
        "actuals": args.actuals or bundled_actuals_path(),
        "groups": args.groups or bundled_groups_path(),
        "assumptions": args.assumptions or bundled_assumptions_path(),
    }
    if args.actuals is None and args.groups is None and args.assumptions is None:
        data = load_bundled()
    else:
        groups = read_groups(inputs["groups"])
        assumptions = read_assumptions(inputs["assumptions"])
        actuals = read_actuals(inputs["actuals"], groups)
        if args.actuals is None:
            actuals.attrs["notes"] = ("reconstructed",)
        data = ProgrammeData(actuals, groups, assumptions)
    if args.as_of is not None:
        data = ProgrammeData(data.actuals, data.groups, data.assumptions.with_as_of(args.as_of))
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
