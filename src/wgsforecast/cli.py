"""The ``wgsforecast`` command line: thin callers of the public functions.

Each subcommand lives in its own module under :mod:`wgsforecast.commands` and exposes
``add_parser(subparsers)``, which registers the subcommand and sets ``func`` to a function
taking the parsed arguments and returning an exit code.

Exit codes: 0 success; 2 a problem with the input, the options or the folders named (one
message, no traceback); 1 a bug (the message says so and where the traceback was written);
130 interrupted. A problem with the input is an error wgsforecast raised on purpose: a
:class:`~wgsforecast.exceptions.WgsForecastError`, or a ``ValueError``/``KeyError`` raised by
a ``raise`` statement in wgsforecast's own code (argument checks such as an unknown engine
name). An operating-system refusal naming a file (permission denied, disk full, read-only)
is also reported as such. Anything else (a ``TypeError``, an ``IndexError``, a
``ValueError`` from inside numpy or pandas) is a bug, never presented as bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import gc
import importlib
import linecache
import os
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from wgsforecast import __version__
from wgsforecast._text import Text
from wgsforecast.exceptions import EXIT_USER_ERROR, WgsForecastError
from wgsforecast.periods import Lang

COMMAND_MODULES = (
    "wgsforecast.commands.report",
    "wgsforecast.commands.validate",
    "wgsforecast.commands.backtest",
    "wgsforecast.commands.scenarios",
    "wgsforecast.commands.vintages",
)
EXIT_BUG = 1
_PACKAGE = Path(__file__).resolve().parent
_ENVIRONMENT_ERRNOS = {
    getattr(errno, name)
    for name in ("EACCES", "EPERM", "ENOSPC", "EROFS", "EDQUOT")
    if hasattr(errno, name)
}
"""Operating-system refusals that are the user's to fix (permissions, disk full, read-only)."""
INTERRUPTED = Text(da="afbrudt", en="interrupted")
USER_ERROR = Text(
    da="wgsforecast {command}: fejl: {message}", en="wgsforecast {command}: error: {message}"
)
CANNOT_USE = Text(da="kan ikke bruge {file}: {reason}", en="cannot use {file}: {reason}")
BUG = Text(
    da="wgsforecast {command}: intern fejl: {error}\n"
    "Det er en fejl i wgsforecast, ikke i dine data. Fejlsporet (traceback) står i {where}; "
    "meld den gerne med den kommando, du kørte (eller kør igen med --debug).",
    en="wgsforecast {command}: internal error: {error}\n"
    "This is a bug in wgsforecast, not a problem with your input. The traceback is in "
    "{where}; please report it with the command you ran (or rerun with --debug).",
)
TRACEBACK_PRINTED = Text(
    da="linjerne ovenfor (de kunne ikke skrives til en fil)",
    en="the lines above (it could not be written to a file)",
)


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
        0 on success, 2 for a problem with the input, options or folders, 1 for a bug
        (the traceback is written to a file named in the message), 130 when interrupted.
    """
    args = build_parser().parse_args(argv)
    lang: Lang = getattr(args, "lang", "da")
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warning_printer(lang)
            code: int = args.func(args)
    except KeyboardInterrupt:
        print(INTERRUPTED(lang), file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            raise
        message = user_message(error, lang)
        if message is not None:
            print(USER_ERROR(lang, command=args.command, message=message), file=sys.stderr)
            return EXIT_USER_ERROR
        where = write_traceback(error, sys.argv[:1] + list(argv or sys.argv[1:]), lang)
        problem = f"{type(error).__name__}: {error}"
        print(BUG(lang, command=args.command, error=problem, where=where), file=sys.stderr)
        return EXIT_BUG
    return code


def run() -> int:
    """The ``wgsforecast`` console command: :func:`main` on ``sys.argv``, then a quick exit.

    Returns
    -------
    int
        :func:`main`'s exit code.
    """
    code = main()
    # At exit the interpreter's garbage collector walks every object the run made (about
    # 0.5 s after a report) only to free memory the operating system takes back anyway.
    # Frozen objects are skipped. Every output is written and closed by now, and standard
    # output and error are flushed at exit whatever is frozen.
    gc.freeze()
    return code


def _warning_printer(lang: Lang) -> Callable[..., None]:
    """``warnings.showwarning`` for the command line: one line in ``lang``, with no source
    file and line of the library (which mean nothing to an analyst)."""
    from wgsforecast.notes import WARNING_LINE, warning_text

    def show(message: Warning | str, *_: object, **__: object) -> None:
        print(WARNING_LINE(lang, message=warning_text(message, lang)), file=sys.stderr)

    return show


def user_message(error: BaseException, lang: Lang = "en") -> str | None:
    """The one-line message of an error that is the user's to fix; ``None`` for a bug.

    The message is the error's own (English) text; only the wording added here for an
    operating-system refusal follows ``lang``.
    """
    if isinstance(error, WgsForecastError):
        return str(error)
    if isinstance(error, ValueError | KeyError) and _raised_on_purpose(error):
        return str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    if isinstance(error, OSError) and error.filename and error.errno in _ENVIRONMENT_ERRNOS:
        return CANNOT_USE(lang, file=error.filename, reason=error.strerror)
    return None


def _raised_on_purpose(error: BaseException) -> bool:
    """True when a ``raise`` statement in wgsforecast's own code raised ``error``."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return False
    last = frames[-1]
    try:
        inside = Path(last.filename).resolve().is_relative_to(_PACKAGE)
    except (OSError, ValueError):
        return False
    line = linecache.getline(last.filename, last.lineno or 0).strip()
    return inside and line.startswith("raise ")


def write_traceback(error: BaseException, argv: Sequence[str], lang: Lang = "en") -> Path | str:
    """Write the traceback of a bug to a file in the temporary folder; return its path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(
        [
            f"wgsforecast {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n",
            f"command: {' '.join(argv)}\n\n",
            *traceback.format_exception(error),
        ]
    )
    try:
        handle, name = tempfile.mkstemp(prefix=f"wgsforecast-bug-{stamp}-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError:
        print(text, file=sys.stderr)
        return TRACEBACK_PRINTED(lang)
    return Path(name)


if __name__ == "__main__":
    sys.exit(main())
