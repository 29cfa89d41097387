"""A programme's input files: each one given, else the bundled one, read into one object."""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from wgsforecast.models import Assumptions, GroupRegistry, ProgrammeData


def load_bundled() -> ProgrammeData:
    """Load the bundled data: NGC's 17 groups and the March 2023 prognosis settings.

    The monthly counts per group are RECONSTRUCTED (per-group counts are not public); they
    honour the public totals exactly. The returned actuals carry the note ``reconstructed``
    in ``attrs["notes"]``, and every prognosis made from them says so.

    Examples
    --------
    >>> data = load_bundled()
    >>> int(data.actuals["ge"].sum()), len(data.groups), str(data.assumptions.as_of)
    (7716, 17, '2023-02')
    """
    return load_data()


def load_data(
    actuals: str | PathLike[str] | None = None,
    groups: str | PathLike[str] | None = None,
    assumptions: str | PathLike[str] | None = None,
    as_of: Any = None,
    groups_sheet: str | int | None = None,
    national_genomes: str | PathLike[str] | None = None,
    **read_options: Any,
) -> ProgrammeData:
    """Read the programme data from files, using the bundled file for each one not given.

    Parameters
    ----------
    actuals
        Monthly GE per group (CSV or XLSX, long or wide); default: the bundled,
        partly reconstructed counts.
    groups
        Patient-group file (CSV or XLSX); default: NGC's 17 bundled groups.
    assumptions
        Assumptions TOML file; default: the bundled March 2023 settings.
    as_of
        Last complete month (e.g. ``"2023-02"``), replacing the assumptions' as-of month;
        all actuals are still read (later months are ignored by the engines).
    groups_sheet
        Worksheet of a groups workbook (name or 0-based position; default: the first).
    national_genomes
        A file of national genome counts (:func:`wgsforecast.io.read_national_genomes`);
        default: none (the bundled published figure is
        :func:`wgsforecast.io.bundled_national_genomes_path`).
    **read_options
        Passed to :func:`wgsforecast.read_actuals` (``sheet``, ``group_col``,
        ``month_col``, ``ge_col``, ``plausible_factor``, ``genomes_col``, ``genomes``,
        ``genomes_sheet``).

    Returns
    -------
    ProgrammeData
        The actuals carry the note ``reconstructed`` in ``attrs["notes"]`` when they are
        the bundled file (given or by default).

    Examples
    --------
    >>> data = load_data(as_of="2022-12")
    >>> str(data.assumptions.as_of), data.actuals.attrs["notes"]
    ('2022-12', ('reconstructed',))
    """
    from wgsforecast.io import read_actuals, read_assumptions, read_groups, read_national_genomes

    files = input_paths(actuals, groups, assumptions)
    registry = read_groups(files["groups"], sheet=groups_sheet)
    settings = read_assumptions(files["assumptions"])
    # Notes the bundled file as reconstructed.
    frame = read_actuals(files["actuals"], registry, **read_options)
    if as_of is not None:
        settings = settings.with_as_of(as_of)
    genomes = read_national_genomes(national_genomes) if national_genomes is not None else None
    return ProgrammeData(frame, registry, settings, genomes)


def input_paths(
    actuals: str | PathLike[str] | None = None,
    groups: str | PathLike[str] | None = None,
    assumptions: str | PathLike[str] | None = None,
) -> dict[str, Path]:
    """The files :func:`load_data` reads: each one given, else the bundled one.

    Returns
    -------
    dict
        Path by role: ``actuals``, ``groups``, ``assumptions`` (for provenance records).
    """
    from wgsforecast.io import bundled_actuals_path, bundled_assumptions_path, bundled_groups_path

    return {
        "actuals": Path(actuals) if actuals is not None else bundled_actuals_path(),
        "groups": Path(groups) if groups is not None else bundled_groups_path(),
        "assumptions": Path(assumptions) if assumptions is not None else bundled_assumptions_path(),
    }


def bundled_groups() -> GroupRegistry:
    """NGC's 17 bundled patient groups (``data/patient_groups.csv``)."""
    from wgsforecast.io import read_groups

    return read_groups(input_paths()["groups"])


def bundled_assumptions() -> Assumptions:
    """The bundled March 2023 settings (``data/assumptions/2023-03.toml``)."""
    from wgsforecast.io import read_assumptions

    return read_assumptions(input_paths()["assumptions"])
