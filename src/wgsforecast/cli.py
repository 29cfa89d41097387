"""The ``wgsforecast`` command line: thin callers of the public functions.

Each subcommand lives in its own module under :mod:`wgsforecast.commands` and exposes
``add_parser(subparsers)``, which registers the subcommand and sets ``func`` to a function
taking the parsed arguments and returning an exit code. Errors meant for the user print one
clear message and exit non-zero; they never show a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wgsforecast import __version__
from wgsforecast.exceptions import WgsForecastError

COMMAND_MODULES = (
    "wgsforecast.commands.report",
    "wgsforecast.commands.validate",
    "wgsforecast.commands.backtest",
    "wgsforecast.commands.scenarios",
    "wgsforecast.commands.vintages",
)
EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="wgsforecast",
        description="Forecast a national whole-genome-sequencing programme.",
    )
    parser.add_argument("--version", action="version", version=f"wgsforecast {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback when something fails"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 for a problem with the input or settings, 130 when interrupted.
    """
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except (WgsForecastError, ValueError, OSError, KeyError) as error:
        if args.debug:
            raise
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"wgsforecast {args.command}: error: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
