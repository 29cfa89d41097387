"""The "did you mean" hint of every message about an unknown name.

One place decides how close a misspelling must be to earn a suggestion and how the hint
reads, so an unknown engine, setting, group, scenario or column is answered alike.

Examples
--------
>>> did_you_mean("runrat", ["runrate", "adoption"])
"; did you mean 'runrate'?"
>>> did_you_mean("xyz", ["runrate", "adoption"])
''
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6
"""How alike (0 to 1, :func:`difflib.get_close_matches`) a name must be to be suggested."""


def closest(name: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """The choice most like ``name``, or ``None`` when none is at least ``cutoff`` alike.

    Parameters
    ----------
    name
        The name that was not found.
    choices
        The valid names.
    cutoff
        The least likeness (0 to 1) a suggestion needs; 0 always suggests one.

    Returns
    -------
    str or None
        The closest valid name.
    """
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(name: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str:
    """``"; did you mean 'x'?"`` naming the closest choice, or ``""`` when none is close.

    Parameters
    ----------
    name
        The name that was not found.
    choices
        The valid names.
    cutoff
        The least likeness (0 to 1) a suggestion needs.

    Returns
    -------
    str
        The hint, to append to the message that names the unknown ``name``.
    """
    match = closest(name, choices, cutoff=cutoff)
    return f"; did you mean {match!r}?" if match is not None else ""
