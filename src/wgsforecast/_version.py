"""The package version: one number, the one in ``pyproject.toml``.

In a source checkout (tests, an editable install) ``pyproject.toml`` is read directly, so a
changed version shows without reinstalling; an installed wheel reports its metadata, which
was built from the same file. Neither found (the sources copied somewhere by hand): the
version is unknown and says so.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "wgsforecast"
UNKNOWN = "0+unknown"
"""A valid version (PEP 440) that sorts before every release and says what it is."""

_PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@cache
def package_version() -> str:
    """The version of wgsforecast: the checkout's ``pyproject.toml``, else the metadata.

    Returns
    -------
    str
        E.g. ``"0.1.0"``; :data:`UNKNOWN` when neither source is there.
    """
    checkout = _checkout_version(_PYPROJECT)
    if checkout is not None:
        return checkout
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return UNKNOWN


def _checkout_version(pyproject: Path) -> str | None:
    """The version in ``pyproject`` if it is wgsforecast's project file, else ``None``."""
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if project.get("name") != DISTRIBUTION or not isinstance(project.get("version"), str):
        return None
    version: str = project["version"]
    return version
