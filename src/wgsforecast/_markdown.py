"""Markdown tables, written one way for every output that has them.

Examples
--------
>>> print(markdown_table(["Region", "GE"], [["Nord", "1.200"], ["Total", ""]], align="lr"))
| Region | GE |
|---|---:|
| Nord | 1.200 |
| Total | |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_RULE = {"l": "---", "r": "---:"}


def markdown_row(cells: Sequence[str]) -> str:
    """One table row: ``| a | b |``; an empty cell is written ``| |``."""
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def markdown_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, align: str | None = None
) -> str:
    """A Markdown (GitHub) table of already formatted cells, without a final newline.

    Parameters
    ----------
    header
        The column headings.
    rows
        The rows' cells, as many as headings each; a cell must not contain ``|``.
    align
        One letter per column, ``l`` (left) or ``r`` (right, for numbers); default all left.

    Returns
    -------
    str
        The heading line, the rule line and one line per row.

    Raises
    ------
    ValueError
        When ``align`` has another length than ``header`` or a letter other than l or r.
    """
    letters = align if align is not None else "l" * len(header)
    if len(letters) != len(header) or set(letters) - set(_RULE):
        raise ValueError(f"align needs one of l or r per column ({len(header)}); got {align!r}")
    rule = "|" + "".join(_RULE[letter] + "|" for letter in letters)
    return "\n".join([markdown_row(header), rule, *(markdown_row(row) for row in rows)])
