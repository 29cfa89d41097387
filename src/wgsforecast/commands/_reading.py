"""Options that say how to read an actuals file: column names, genomes, plausibility limit."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wgsforecast._checks import DEFAULT_PLAUSIBLE_FACTOR


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--group-col``, ``--month-col``, ``--ge-col``, the genomes options and
    ``--plausible-factor``."""
    parser.add_argument(
        "--group-col", default="group", help="group column of a long actuals file (group)"
    )
    parser.add_argument(
        "--month-col", default="month", help="month column of a long actuals file (month)"
    )
    parser.add_argument("--ge-col", default="ge", help="count column of a long actuals file (ge)")
    parser.add_argument(
        "--genomes-col",
        default="genomes",
        help="optional genomes column of a long actuals file (genomes)",
    )
    parser.add_argument(
        "--genomes",
        type=Path,
        metavar="FILE",
        help="genomes per group and month laid out like the actuals (for a wide actuals file)",
    )
    parser.add_argument(
        "--genomes-sheet",
        metavar="SHEET",
        help="worksheet with the genomes (of --genomes, else of the actuals workbook)",
    )
    parser.add_argument(
        "--plausible-factor",
        type=factor_argument,
        default=DEFAULT_PLAUSIBLE_FACTOR,
        metavar="FACTOR",
        help="refuse a month above FACTOR times the group's declared monthly volume"
        f" ({DEFAULT_PLAUSIBLE_FACTOR:g}; 'off' turns the check off)",
    )


def factor_argument(text: str) -> float | None:
    """Parse ``--plausible-factor``: a number above 0, or ``off``; argparse shows the error."""
    if text.strip().lower() in ("off", "none"):
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise argparse.ArgumentTypeError(
            f"--plausible-factor must be a number above 0 (e.g. 10) or 'off'; got {text!r}"
        )
    return value


def reading_options(args: argparse.Namespace) -> dict[str, Any]:
    """The :func:`~wgsforecast.read_actuals` keywords of :func:`add_reading_options`.

    Options the subcommand does not have take the reader's defaults.
    """
    return {
        "group_col": getattr(args, "group_col", "group"),
        "month_col": getattr(args, "month_col", "month"),
        "ge_col": getattr(args, "ge_col", "ge"),
        "plausible_factor": getattr(args, "plausible_factor", DEFAULT_PLAUSIBLE_FACTOR),
        "genomes_col": getattr(args, "genomes_col", "genomes"),
        "genomes": getattr(args, "genomes", None),
        "genomes_sheet": getattr(args, "genomes_sheet", None),
    }
