"""Writing figures to files, atomically."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def save_figure(
    fig: Figure,
    path_stem: str | os.PathLike[str],
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Write a figure in each format, atomically, creating folders as needed.

    Parameters
    ----------
    fig
        The figure (e.g. ``ax.figure``).
    path_stem
        Path without the suffix: ``"out/cumulative"`` writes ``out/cumulative.png`` and
        ``out/cumulative.svg``.
    formats
        File formats matplotlib can write (``png``, ``svg``, ``pdf``, ...).
    dpi
        Resolution of raster formats.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ValueError
        If a format is not one matplotlib can write; nothing is written then.
    """
    from wgsforecast.io import atomic_path

    supported = fig.canvas.get_supported_filetypes()
    wanted = [fmt.lower().lstrip(".") for fmt in formats]
    unknown = [fmt for fmt in wanted if fmt not in supported]
    if unknown or not wanted:
        raise ValueError(
            f"cannot save a figure as {', '.join(unknown) or 'no format'}; choose from "
            f"{', '.join(sorted(supported))}"
        )
    written = []
    for fmt in wanted:
        target = Path(f"{os.fspath(path_stem)}.{fmt}")
        # No timestamp in SVG files, so the same figure gives the same file twice.
        metadata = {"Date": None} if fmt == "svg" else None
        with atomic_path(target) as part:
            fig.savefig(part, format=fmt, dpi=dpi, bbox_inches="tight", metadata=metadata)
        written.append(target)
    return written
