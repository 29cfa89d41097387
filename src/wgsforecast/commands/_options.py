"""Options shared by the subcommands, so every one spells and loads them the same way."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from wgsforecast.periods import parse_month

if TYPE_CHECKING:
    from wgsforecast.api import ProgrammeData


def add_data_options(
    parser: argparse.ArgumentParser, *, assumptions: bool = True, as_of: bool = False
) -> None:
    """Add ``--actuals``, ``--groups`` and (optionally) ``--assumptions`` and ``--as-of``.

    Parameters
    ----------
    parser
        The subcommand's parser.
    assumptions
        Add ``--assumptions``.
    as_of
        Add ``--as-of`` (the subcommands that score against later months leave it out).
    """
    parser.add_argument(
        "--actuals", type=Path, help="monthly GE per group, CSV or XLSX (default: bundled)"
    )
    parser.add_argument(
        "--groups", type=Path, help="patient-group file, CSV or XLSX (default: bundled)"
    )
    if assumptions:
        parser.add_argument(
            "--assumptions", type=Path, help="assumptions TOML file (default: bundled)"
        )
    if as_of:
        parser.add_argument(
            "--as-of", type=month_argument, help="last complete month, e.g. 2023-02"
        )


def month_argument(text: str) -> pd.Period:
    """Parse a month given on the command line; argparse shows the message on failure."""
    try:
        return parse_month(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_output_options(parser: argparse.ArgumentParser, *, out: str = "out") -> None:
    """Add ``--out`` (the output folder, default ``out``) and ``--lang`` (``da`` or ``en``)."""
    parser.add_argument("--out", type=Path, default=Path(out), help=f"output folder ({out})")
    parser.add_argument("--lang", choices=("da", "en"), default="da", help="language (da)")


def add_simulation_options(
    parser: argparse.ArgumentParser,
    *,
    paths: int,
    seed: int,
    engine: str | None = None,
    engine_help: str | None = None,
    paths_help: str = "sample paths",
) -> None:
    """Add ``--engine``, ``--paths`` and ``--seed``.

    Parameters
    ----------
    parser
        The subcommand's parser.
    paths, seed
        Defaults of ``--paths`` and ``--seed``.
    engine
        Default of ``--engine`` (``None``: the subcommand picks one).
    engine_help
        Help of ``--engine``; ``None`` leaves ``--engine`` out (the backtest takes
        ``--engines`` instead).
    paths_help
        Help of ``--paths``, before the default in brackets.
    """
    if engine_help is not None:
        parser.add_argument("--engine", default=engine, help=engine_help)
    parser.add_argument("--paths", type=int, default=paths, help=f"{paths_help} ({paths})")
    parser.add_argument("--seed", type=int, default=seed, help=f"random seed ({seed})")


def check_paths(args: argparse.Namespace) -> None:
    """Refuse ``--paths`` below 1 with a message naming the option."""
    if args.paths < 1:
        raise ValueError(f"--paths must be at least 1; got {args.paths}")


def load_data(args: argparse.Namespace) -> ProgrammeData:
    """Load the data named by the data options, falling back to the bundled files.

    Options a subcommand does not have count as not given.
    """
    from wgsforecast.api import load_data as load

    return load(
        actuals=args.actuals,
        groups=args.groups,
        assumptions=getattr(args, "assumptions", None),
        as_of=getattr(args, "as_of", None),
    )
