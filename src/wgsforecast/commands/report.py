"""``wgsforecast report``: the quarterly prognosis report (HTML, Excel, CSV, figures, Markdown)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wgsforecast._text import Text
from wgsforecast.commands._options import (
    add_data_options,
    add_output_options,
    add_simulation_options,
    add_vintages_option,
    check_run_options,
    load_checked_data,
)
from wgsforecast.exceptions import UsageError

FILES_IN = Text(da="{n} filer i {out}: {html}", en="{n} files in {out}: {html}")


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
    parser.add_argument(
        "--save-vintage", metavar="NAME", help="save the prognosis as a vintage in the store"
    )
    add_vintages_option(parser, dest="vintages")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the report; print Table 1 and the list of files written.

    Every option, the output folder and the vintage store are checked before the data are
    read and the engines run.
    """
    from wgsforecast.api import engine_class, input_paths
    from wgsforecast.report import build_report
    from wgsforecast.report.build import EVIDENCE_ENGINE
    from wgsforecast.report.methods import BASELINE_ENGINES
    from wgsforecast.report.output import check_folder
    from wgsforecast.vintages import check_new_name, list_vintages

    check_run_options(args)  # the folder by check_folder below, as the report writes it
    for path in args.scenarios:
        if not path.is_file():
            raise UsageError(f"scenario file {path} does not exist; check the path")
    if args.engine is not None:
        engine_class(args.engine)
    check_folder(args.out)
    if args.save_vintage is not None:
        check_new_name(args.save_vintage, args.vintages)
    else:
        list_vintages(args.vintages)
    # The files read, for the report's provenance section.
    inputs = input_paths(args.actuals, args.groups, args.assumptions)
    # The evidence engine and its stochastic baselines are held at once (scenarios one at a
    # time); deterministic engines run one path.
    stochastic = sum(getattr(engine_class(b), "stochastic", True) for b in BASELINE_ENGINES)
    data = load_checked_data(args, engine=args.engine or EVIDENCE_ENGINE, prognoses=1 + stochastic)
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
    print(FILES_IN(args.lang, n=len(result.files), out=args.out, html=result.html))
    return 0
