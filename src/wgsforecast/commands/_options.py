"""Options shared by the subcommands, so every one spells and loads them the same way."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from wgsforecast.commands._reading import add_reading_options, reading_options
from wgsforecast.exceptions import OutputFolderError, UsageError
from wgsforecast.periods import parse_month

if TYPE_CHECKING:
    from wgsforecast.api import ProgrammeData

BYTES_PER_CELL = 16
"""Memory one sample path needs per group and month in one prognosis, with headroom: the
adoption engine peaks at about 10 bytes per cell (1,439 MB for 100,000 paths of 17 groups
and 89 months, ``benchmarks/simulate_speed.py``)."""


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
    parser.add_argument(
        "--sheet", help="worksheet of an --actuals workbook (default: the first sheet)"
    )
    parser.add_argument(
        "--groups-sheet", help="worksheet of a --groups workbook (default: the first sheet)"
    )
    if assumptions:
        parser.add_argument(
            "--assumptions", type=Path, help="assumptions TOML file (default: bundled)"
        )
    if as_of:
        parser.add_argument(
            "--as-of", type=month_argument, help="last complete month, e.g. 2023-02"
        )
    add_reading_options(parser)


def month_argument(text: str) -> pd.Period:
    """Parse a month given on the command line; argparse shows the message on failure."""
    try:
        return parse_month(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_output_options(parser: argparse.ArgumentParser, *, out: str = "out") -> None:
    """Add ``--out`` (the output folder, default ``out``) and ``--lang`` (``da`` or ``en``)."""
    parser.add_argument("--out", type=Path, default=Path(out), help=f"output folder ({out})")
    add_lang_option(parser)


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--lang``: the language of the messages, tables and files (``da`` or ``en``)."""
    parser.add_argument(
        "--lang",
        choices=("da", "en"),
        default="da",
        help="language of messages, tables and files: da (default) or en",
    )


def add_vintages_option(
    parser: argparse.ArgumentParser, *flags: str, dest: str, default: Any = None
) -> None:
    """Add the option naming the vintage store (``--vintages``; see :mod:`wgsforecast.vintages`)."""
    parser.add_argument(
        *(flags or ("--vintages",)),
        dest=dest,
        default=default,
        type=Path,
        metavar="DIR",
        help="vintage store (default: $WGSFORECAST_VINTAGES, else ./vintages); the published "
        "March 2023 vintage ships with wgsforecast and is always included",
    )


def check_out_is_folder(out: Path) -> None:
    """Refuse an ``--out`` that names an existing file, before any work."""
    if os.path.lexists(out) and not out.is_dir():
        raise OutputFolderError(
            f"--out {out} is a file, not a folder; name a folder (it is created when missing)"
        )


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
        from wgsforecast.engines import ENGINES

        parser.add_argument(
            "--engine",
            default=engine,
            metavar="ENGINE",
            help=f"{engine_help}; one of {', '.join(sorted(ENGINES))}",
        )
    parser.add_argument("--paths", type=int, default=paths, help=f"{paths_help} ({paths})")
    parser.add_argument("--seed", type=int, default=seed, help=f"random seed ({seed})")


def check_simulation_options(args: argparse.Namespace) -> None:
    """Refuse ``--paths`` below 1 and a negative ``--seed``, naming the option."""
    if args.paths < 1:
        raise UsageError(f"--paths must be at least 1; got {args.paths}")
    if args.seed < 0:
        raise UsageError(f"--seed must be a whole number 0 or more; got {args.seed}")


def check_run_options(args: argparse.Namespace, *, out: Path | None = None) -> None:
    """Refuse a run's options before any data are read or engines run.

    ``--paths`` and ``--seed`` (:func:`check_simulation_options`), and, where the
    subcommand has them, ``--price-per-ge`` (positive) and ``--workers`` (at least 1).

    Parameters
    ----------
    args
        The parsed options of a subcommand with :func:`add_simulation_options`.
    out
        The output folder to check (:func:`check_out_is_folder`); ``None`` for a subcommand
        that checks its folder itself.

    Raises
    ------
    UsageError
        Naming the first option that is wrong and what it must be.
    """
    check_simulation_options(args)
    price = getattr(args, "price_per_ge", None)
    if price is not None and not price > 0:
        raise UsageError(f"--price-per-ge must be positive; got {price}")
    workers = getattr(args, "workers", None)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1; got {workers}")
    if out is not None:
        check_out_is_folder(out)


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux: ``MemAvailable``), or ``None``."""
    try:
        with open("/proc/meminfo", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return None


def check_memory(
    args: argparse.Namespace,
    data: ProgrammeData,
    prognoses: int = 1,
    *,
    engine: str | None = None,
) -> None:
    """Refuse ``--paths`` whose sample paths would not fit in memory, before the run.

    Parameters
    ----------
    args
        With ``paths`` and (optionally) ``engine``; a deterministic engine runs one path.
    data
        The data to forecast: its groups and months size each path.
    prognoses
        How many prognoses of ``--paths`` paths are held at once (the report keeps the
        evidence-based one and its baselines).
    engine
        The engine that will run, when the subcommand picks one for a missing ``--engine``
        (default: ``args.engine``).

    Raises
    ------
    UsageError
        Naming the largest ``--paths`` that fits.
    """
    from wgsforecast.api import engine_class

    engine = engine if engine is not None else getattr(args, "engine", None)
    if engine is not None and not getattr(engine_class(engine), "stochastic", True):
        return
    available = available_memory()
    if available is None:
        return
    first = data.actuals["month"].min() if len(data.actuals) else data.assumptions.as_of
    months = int((data.assumptions.as_of - first).n) + 1 + data.assumptions.horizon_months
    per_path = BYTES_PER_CELL * max(len(data.groups), 1) * max(months, 1) * prognoses
    if args.paths * per_path <= available:
        return
    largest = max(available // per_path, 0)
    raise UsageError(
        f"--paths {args.paths:,} needs about {args.paths * per_path / 1e9:,.1f} GB of memory "
        f"({len(data.groups)} groups x {months} months per path, {prognoses} prognosis(es) at "
        f"once) but {available / 1e9:,.1f} GB is available; the largest number of paths that "
        f"fits is {largest:,}: use --paths {largest} or fewer"
    )


def load_data(args: argparse.Namespace) -> ProgrammeData:
    """Load the data named by the data options, falling back to the bundled files.

    Options a subcommand does not have count as not given; ``--sheet`` and
    ``--groups-sheet`` pick the worksheets of workbooks, ``--group-col``,
    ``--month-col``, ``--ge-col`` and ``--plausible-factor`` say how to read the actuals.
    A thin caller of :func:`wgsforecast.api.load_data`.
    """
    from wgsforecast.api import load_data as load

    return load(
        args.actuals,
        args.groups,
        getattr(args, "assumptions", None),
        as_of=getattr(args, "as_of", None),
        groups_sheet=args.groups_sheet,
        sheet=args.sheet,
        **reading_options(args),
    )


def load_checked_data(
    args: argparse.Namespace, *, engine: str | None = None, prognoses: int = 1
) -> ProgrammeData:
    """:func:`load_data`, then :func:`check_memory`: the data of a run that will fit.

    Parameters
    ----------
    args
        The parsed options (data options, ``--paths`` and optionally ``--engine``).
    engine
        The engine that will run when ``--engine`` was not given (default: ``args.engine``).
    prognoses
        How many prognoses of ``--paths`` paths are held at once.

    Returns
    -------
    ProgrammeData
        The data read.
    """
    data = load_data(args)
    check_memory(args, data, prognoses, engine=engine)
    return data
