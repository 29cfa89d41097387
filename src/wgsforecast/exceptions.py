"""One error hierarchy for the whole library.

Every error says what is wrong, the offending value, and how to fix it. Errors about input
data subclass :class:`ValueError` as well, so ``except ValueError`` in analysts' notebooks
keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class WgsForecastError(Exception):
    """Base class of every error raised on purpose by wgsforecast."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can.

    Parameters
    ----------
    message
        What is wrong and how to fix it.
    row
        1-based row number as the analyst sees it in a spreadsheet (header is row 1), or
        ``None`` when the problem concerns the whole file.
    column
        Column name, or ``None`` when the problem concerns a whole row or file.
    """

    message: str
    row: int | None = None
    column: str | None = None

    def describe(self, source: str) -> str:
        """Return the problem as one line naming the file, row and column."""
        where = [source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class InputError(WgsForecastError, ValueError):
    """An input file (or frame) has one or more problems; all are reported at once."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [p.describe(source) for p in self.problems]
        count = len(lines)
        head = f"{count} problem{'s' if count != 1 else ''} in {source}:"
        super().__init__("\n".join([head, *("  - " + line for line in lines)]))


class MissingFileError(WgsForecastError, FileNotFoundError):
    """An input file or the data folder does not exist."""


class ConfigError(WgsForecastError, ValueError):
    """A settings file (assumptions, scenarios) is invalid; the message names file and key."""


class NotFittedError(WgsForecastError, RuntimeError):
    """An engine was asked to forecast before ``fit`` was called."""


class WgsForecastWarning(UserWarning):
    """Base class of the warnings that say a result deserves suspicion."""


class PriorFallbackWarning(WgsForecastWarning):
    """A group had too little history for its own fit and used the pooled prior instead.

    ``group`` and ``note`` (set by the engine that warns: the group's key and the
    :class:`~wgsforecast.notes.GroupNote` it also records) let a caller word the warning in
    the user's language (:func:`wgsforecast.notes.warning_text`).
    """

    group: str = ""
    note: object = None


class UsageError(WgsForecastError, ValueError):
    """An option or argument is invalid; the message names it and says what is allowed."""


class OutputFolderError(WgsForecastError, ValueError):
    """The output folder cannot be written safely (user files would be replaced, say)."""


class BusyError(WgsForecastError, RuntimeError):
    """Another wgsforecast run is writing into the same folder; try again when it is done."""


EXIT_USER_ERROR = 2
"""Exit code for a problem with the input, the options or the folders named."""
