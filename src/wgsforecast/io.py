"""Read the programme's input files and write output files safely.

Readers accept what analysts actually save: CSV with ``,`` or ``;`` (Danish decimal comma
and thousands dots), UTF-8 or Windows-1252, and ``.xlsx`` workbooks. They never change the
input file, never drop a row silently, and report every problem of a file at once as one
:class:`~wgsforecast.exceptions.InputError` naming file, row, column and a fix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources
import os
import tempfile
import tomllib
import warnings
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import ValidationError

from wgsforecast._checks import (
    DEFAULT_PLAUSIBLE_FACTOR,
    LISTED,
    not_live_rows,
    not_live_spans,
)
from wgsforecast._data_notes import RECONSTRUCTED
from wgsforecast._suggest import did_you_mean
from wgsforecast._tabular import (
    Cell,
    NumberText,
    Observation,
    RawTable,
    check_months,
    count_or_problem,
    count_style,
    decide_convention,
    month_rows,
    names_text,
    parse_decimal,
    parse_month_cell,
    read_long,
    read_table,
    read_wide,
    rows_text,
    stray_cells,
)
from wgsforecast.exceptions import (
    ConfigError,
    InputError,
    MissingFileError,
    Problem,
)
from wgsforecast.genomes import GenomesWarning
from wgsforecast.models import Assumptions, GroupRegistry, PatientGroup
from wgsforecast.periods import _fold, parse_month

__all__ = [
    "GROUP_COLUMNS",
    "MissingFileError",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "bundled_actuals_path",
    "bundled_assumptions_path",
    "bundled_data_dir",
    "bundled_groups_path",
    "bundled_national_genomes_path",
    "read_actuals",
    "read_assumptions",
    "read_groups",
    "read_national_genomes",
]

PathLike = str | os.PathLike[str]
MonthLike = str | pd.Period | dt.date | int

GROUP_COLUMNS = (
    "key",
    "name_da",
    "name_en",
    "kind",
    "declared_per_year",
    "go_live",
    "status",
    "cap_share",
    "ramp_target_share",
    "ramp_months",
    "ramp_start",
    "provenance",
    "genomes_per_ge",
    "planned_go_live",
)
"""The columns of a group registry file, in the order of ``data/patient_groups.csv``, which
leaves out the two optional last ones: ``genomes_per_ge`` (blank or absent, a group takes the
ASSUMED default of its kind, :data:`~wgsforecast.models.GENOMES_PER_GE`) and
``planned_go_live`` (the month a live group had been planned to start; not known for the
bundled groups)."""

_REQUIRED_GROUP_COLUMNS = ("key", "name_da", "name_en", "kind", "declared_per_year", "status")
_RAMP_COLUMNS = {
    "ramp_target_share": "target_share",
    "ramp_months": "months",
    "ramp_start": "start",
}
_MONTH_COLUMNS = ("go_live", "planned_go_live", "ramp_start")
_GROUP_FIXES = {
    "key": "use lower-case letters, digits and hyphens, e.g. 'nyresvigt'",
    "name_da": "write the group's Danish name",
    "name_en": "write the group's English name",
    "kind": "write germline or cancer",
    "declared_per_year": "write the declared GE per year, a number above 0",
    "go_live": "write the month as 2023-02, or leave the cell blank if not known yet",
    "planned_go_live": (
        "write the month the group was planned to go live as 2021-09, or leave it blank"
    ),
    "status": "write live, onboarding or planned",
    "cap_share": "write a share above 0 and at most 1, e.g. 0.75",
    "ramp_target_share": "write a share above 0 and at most 1, e.g. 0.75 (blank: 0.75)",
    "ramp_months": "write a whole number of months from 0 to 120 (blank: 12)",
    "ramp_start": "write the month as 2023-02, or leave the cell blank for the default",
    "provenance": (
        "write field=source pairs separated by ';', with source published, assumed,"
        " reconstructed or derived"
    ),
    "genomes_per_ge": (
        "write genomes per GE, a number above 0 and at most 10, e.g. 2 (blank: the default"
        " of the group's kind)"
    ),
}
_ASSUMPTION_KEYS = {
    "prognosis": ("as_of", "run_rate_window", "horizon_months", "label"),
    "programme": ("target_ge", "deadline", "capacity_wgs_per_year"),
}

MIN_DECLARED_PER_YEAR = 10
"""A declared volume below this many GE a year is refused as a misread (``1.600`` read the
English way is 1.6)."""
MAX_PROBLEMS = 100
"""An error lists at most this many problems, then says how many more there are."""


# --------------------------------------------------------------------------- bundled data


def bundled_data_dir() -> Path:
    """Return the folder with the bundled data (``WGSFORECAST_DATA`` overrides it).

    An installed wheel carries the data in the package (``wgsforecast/data``, read with
    :mod:`importlib.resources`); a source checkout reads the top-level ``data/`` folder,
    which is what the wheel is built from. The folder is only ever read.

    Raises
    ------
    MissingFileError
        If the folder does not exist.
    """
    override = os.environ.get("WGSFORECAST_DATA")
    if override:
        folder = Path(override)
    else:
        packaged = importlib.resources.files("wgsforecast") / "data"
        checkout = Path(__file__).resolve().parents[2] / "data"
        folder = packaged if isinstance(packaged, Path) and packaged.is_dir() else checkout
    if not folder.is_dir():
        origin = "WGSFORECAST_DATA points to" if override else "the bundled data folder"
        raise MissingFileError(
            f"{origin} {folder}, which does not exist; set WGSFORECAST_DATA to the folder"
            " holding patient_groups.csv, or reinstall wgsforecast"
        )
    return folder


def bundled_groups_path() -> Path:
    """Return the path of the bundled patient-group registry (``patient_groups.csv``)."""
    return bundled_data_dir() / "patient_groups.csv"


def bundled_actuals_path() -> Path:
    """Return the path of the bundled monthly actuals (RECONSTRUCTED, not official)."""
    return bundled_data_dir() / "actuals_monthly_reconstructed.csv"


def bundled_national_genomes_path() -> Path:
    """Return the path of the bundled national genome count (published, item 114/23).

    One figure: 11,516 genomes in the national genome database on 28 February 2023, read
    with :func:`read_national_genomes`. :func:`~wgsforecast.load_bundled` does not read it.
    """
    return bundled_data_dir() / "genomes_national.csv"


def bundled_assumptions_path() -> Path:
    """Return the path of the bundled assumptions (``assumptions/2023-03.toml``)."""
    return bundled_data_dir() / "assumptions" / "2023-03.toml"


def _existing_file(path: PathLike) -> Path:
    file = Path(path)
    if not file.is_file():
        what = "is a folder, not a file" if file.is_dir() else "does not exist"
        raise MissingFileError(f"{file} {what}; check the path")
    return file


# --------------------------------------------------------------------------- group registry


def read_groups(path: PathLike, *, sheet: str | int | None = None) -> GroupRegistry:
    """Read a patient-group registry from CSV or ``.xlsx``.

    Parameters
    ----------
    path
        A file with the columns of ``data/patient_groups.csv`` (see :data:`GROUP_COLUMNS`);
        ``ramp_*`` build the group's :class:`~wgsforecast.models.Ramp`, ``provenance`` is
        ``field=source;field=source``. Blank cells take the default.
    sheet
        For workbooks: the sheet name or 0-based index (default: the first sheet).

    Returns
    -------
    GroupRegistry
        The groups in file order.

    Raises
    ------
    MissingFileError
        If the file does not exist.
    InputError
        Listing every bad row and field, with row numbers as a spreadsheet shows them.
    """
    file = _existing_file(path)
    source = str(file)
    table = read_table(file, sheet)
    columns, problems = _group_columns(table)
    if any(p.row == 1 and p.column in _REQUIRED_GROUP_COLUMNS for p in problems):
        raise InputError(source, problems)
    if not table.rows:
        problems.append(Problem("the file has a header but no data rows; add one row per group"))
    numbers = [
        NumberText(cell, r.number, table.column_name(columns[c]), c in _WHOLE_GROUP_COLUMNS)
        for c in _NUMERIC_GROUP_COLUMNS
        if c in columns
        for r in table.rows
        if isinstance(cell := r.cells[columns[c]], str)
    ]
    danish, style_problems = decide_convention(numbers, table.danish)
    problems.extend(style_problems)
    styled = {(p.row, p.column) for p in style_problems}
    groups: list[PatientGroup] = []
    rows_of_key: dict[str, list[int]] = defaultdict(list)
    for row in table.rows:
        values = {name: row.cells[index] for name, index in columns.items()}
        fields, row_problems = _group_fields(
            values, danish, row.number, table, columns, table.date1904
        )
        declared = fields.get("declared_per_year")
        if isinstance(declared, int | float) and 0 < declared < MIN_DECLARED_PER_YEAR:
            row_problems.append(
                Problem(
                    f"a declared volume of {declared:g} GE a year is implausibly small (less"
                    f" than {MIN_DECLARED_PER_YEAR}); write the GE per year as a whole number"
                    " without thousands separators (1.600 read the English way is 1.6)",
                    row.number,
                    table.column_name(columns["declared_per_year"]),
                )
            )
            fields.pop("declared_per_year")
        row_problems = [p for p in row_problems if (p.row, p.column) not in styled]
        try:
            group = PatientGroup.model_validate(fields)
        except ValidationError as exc:
            # Fields already reported were left out; their 'missing' errors are noise.
            reported = {p.column for p in row_problems}
            for problem in _validation_problems(exc, row.number, table, columns):
                if problem.column not in reported:
                    row_problems.append(problem)
        else:
            if not row_problems:
                groups.append(group)
        if isinstance(fields.get("key"), str):
            rows_of_key[fields["key"]].append(row.number)
        problems.extend(row_problems)
    for key, rows in rows_of_key.items():
        if len(rows) > 1:
            problems.append(
                Problem(
                    f"key {key!r} is used on rows {rows_text(rows)}; give each group its own key",
                    rows[1],
                    table.column_name(columns["key"]),
                )
            )
    if problems:
        raise InputError(source, _sorted(problems))
    return GroupRegistry(groups)


_NUMERIC_GROUP_COLUMNS = (
    "declared_per_year",
    "cap_share",
    "ramp_target_share",
    "ramp_months",
    "genomes_per_ge",
)
_WHOLE_GROUP_COLUMNS = ("declared_per_year", "ramp_months")


def _group_columns(table: RawTable) -> tuple[dict[str, int], list[Problem]]:
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    unknown: list[str] = []
    for index, header in enumerate(table.header):
        name = header.strip().lower()
        if not name:
            rows = [r.number for r in table.rows if r.cells[index] is not None]
            if rows:
                problems.append(
                    Problem(
                        f"column has values (rows {rows_text(rows)}) but no header; name it"
                        f" one of {', '.join(GROUP_COLUMNS)} or delete the values",
                        1,
                        table.column_name(index),
                    )
                )
        elif name in columns:
            problems.append(Problem(f"column {header!r} appears twice; delete one", 1, header))
        elif name in GROUP_COLUMNS:
            columns[name] = index
        else:
            unknown.append(header)
            if len(unknown) <= LISTED:
                problems.append(
                    Problem(f"unknown column{_did_you_mean(name, GROUP_COLUMNS)}", 1, header)
                )
    if len(unknown) > LISTED:
        problems.append(
            Problem(
                f"and {len(unknown) - LISTED} more unknown columns"
                f" ({names_text(unknown[LISTED:])}); a group registry has the columns"
                f" {', '.join(GROUP_COLUMNS)}: rename or delete the others",
                1,
            )
        )
    for name in _REQUIRED_GROUP_COLUMNS:
        if name not in columns:
            problems.append(
                Problem(
                    f"missing column {name!r}; a group registry has the columns"
                    f" {', '.join(GROUP_COLUMNS)}",
                    1,
                    name,
                )
            )
    return columns, problems


def _group_fields(
    values: dict[str, Cell],
    danish: bool,
    row: int,
    table: RawTable,
    columns: dict[str, int],
    date1904: bool = False,
) -> tuple[dict[str, Any], list[Problem]]:
    fields: dict[str, Any] = {}
    ramp: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, cell in values.items():
        if cell is None:
            continue  # blank: pydantic supplies the default or reports a missing value
        column = table.column_name(columns[name])
        value: Any = cell
        try:
            if name in _MONTH_COLUMNS:
                value = parse_month_cell(cell, date1904)
            elif name in _NUMERIC_GROUP_COLUMNS:
                if isinstance(cell, str):
                    number = parse_decimal(cell, danish)
                    value = int(number) if number == int(number) else float(number)
            elif name == "provenance":
                value = _provenance(str(cell))
            else:
                value = cell if isinstance(cell, str) else str(cell)
        except ValueError as exc:
            fix = "or leave the cell blank" if name in _MONTH_COLUMNS else _GROUP_FIXES[name]
            problems.append(Problem(f"{exc}; {fix}", row, column))
            continue
        if name in _RAMP_COLUMNS:
            ramp[_RAMP_COLUMNS[name]] = value
        else:
            fields[name] = value
    if ramp:
        fields["ramp"] = ramp
    return fields, problems


def _provenance(text: str) -> dict[str, str]:
    known = (*GROUP_COLUMNS, "ramp")
    result: dict[str, str] = {}
    for item in text.replace(",", ";").split(";"):
        if not item.strip():
            continue
        field, sep, origin = item.partition("=")
        field = field.strip().lower()
        if not sep:
            raise ValueError(f"{item.strip()!r} is not a field=source pair")
        if field not in known:
            raise ValueError(f"{field!r} is no field{_did_you_mean(field, known)}")
        result[field] = origin.strip().lower()
    return result


def _validation_problems(
    exc: ValidationError, row: int, table: RawTable, columns: dict[str, int]
) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        name = f"ramp_{loc[1]}" if loc[0] == "ramp" and len(loc) > 1 else loc[0]
        fix = _GROUP_FIXES.get(name, "correct the value")
        column = table.column_name(columns[name]) if name in columns else name
        if error["type"] == "missing":
            message = f"{name} is blank; {fix}"
        else:
            got = error.get("input")
            message = f"{error['msg']} (got {got!r}); {fix}"
        problems.append(Problem(message, row, column))
    return problems


# --------------------------------------------------------------------------- actuals


def read_actuals(
    path: PathLike,
    groups: GroupRegistry | None = None,
    *,
    as_of: MonthLike | None = None,
    group_col: str = "group",
    month_col: str = "month",
    ge_col: str = "ge",
    sheet: str | int | None = None,
    plausible_factor: float | None = DEFAULT_PLAUSIBLE_FACTOR,
    genomes_col: str = "genomes",
    genomes: PathLike | None = None,
    genomes_sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read monthly genome equivalents (GE) per patient group, long or wide, and genomes.

    Parameters
    ----------
    path
        CSV (``,``, ``;`` or tab; UTF-8 or Windows-1252) or ``.xlsx``. Either *long*, one
        row per group and month with the columns ``group_col``, ``month_col``, ``ge_col``
        (names matched ignoring case), or *wide* as exported from Excel: months down the
        first column and one column per group, headed by the group's name. In the wide
        layout a blank cell before a group's first value means the group was not live yet.
        In either layout, months of 0 before a group's go-live month (or, when the registry
        gives none, before its first GE) are read as not live yet and left out, as a pivot
        table writes them: ``attrs["not_live"]`` lists them as ``(key, first month, last
        month, go-live month)`` tuples (the go-live ``None`` where the zeros precede the
        group's first GE; ``.reason(lang)`` says why in words).
    groups
        The patient groups that names are matched against (key, Danish or English name,
        ignoring case and accents). ``None`` reads the bundled registry.
    as_of
        The last month of data; every group needs a row for each month from its first
        month to this one, and no row may be later. ``None`` means the file's last month.
    group_col, month_col, ge_col
        Column names of the long layout.
    sheet
        For workbooks: the sheet name or 0-based index (default: the first sheet).
    plausible_factor
        Refuse a month holding more than this many times the group's declared monthly
        volume (``declared_per_year / 12``), as a typo; ``None`` turns the check off. Counts
        above :data:`~wgsforecast._checks.MAX_COUNT` are refused regardless.
    genomes_col
        The optional column of a long file with the genomes of each group and month (the
        count added to the national genome database), read with the same rules as GE.
    genomes, genomes_sheet
        Where the genomes of a wide file are: a second file (``genomes``) and/or a sheet
        (``genomes_sheet``; of the actuals workbook when ``genomes`` is not given) laid out
        like the GE, months down the first column and one column per group (or long:
        ``group_col``, ``month_col``, ``genomes_col``). Every month with GE then needs its
        genomes. A file of national genomes only is read with :func:`read_national_genomes`.

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (registry key), ``month`` (``period[M]``) and ``ge`` (int64),
        and ``genomes`` (int64) when genomes were given, sorted by registry order then
        month; ``attrs["source"]`` is the file path, ``attrs["genomes_source"]`` the file
        of the genomes (when given) and ``attrs["not_live"]`` the leading zero months left
        out (see ``path``). A month of genomes at a not-live month is refused.

    Warns
    -----
    GenomesWarning
        When a month has fewer genomes than GE (listing the cells): unusual, since a GE
        counts whole-genome equivalents and a cancer case is two genomes, but not refused,
        as the GE weights are not published and a genome may reach the database in a later
        month than its GE.

    Raises
    ------
    MissingFileError
        If the file does not exist.
    InputError
        Listing every problem in the file (bad, duplicated or missing months, bad counts,
        counts above the plausible limit, numbers that read differently in Danish and
        English, unknown groups, missing columns), each with row, column and a fix.
    """
    if plausible_factor is not None and not plausible_factor > 0:
        raise ValueError(
            f"plausible_factor must be above 0 (or None to turn the check off); got"
            f" {plausible_factor!r}"
        )
    file = _existing_file(path)
    source = str(file)
    registry = groups if groups is not None else read_groups(bundled_groups_path())
    cutoff = parse_month(as_of) if as_of is not None else None
    table = read_table(file, sheet)
    names = (group_col, month_col, ge_col)
    found = {_fold(name) for name in names} & {_fold(h) for h in table.header if h}
    if _fold(group_col) in found or _fold(ge_col) in found:
        obs, problems, months = read_long(table, registry, names, genomes_col=genomes_col)
        wide = False
    else:
        obs, problems, months = read_wide(table, registry, names)
        problems.extend(_genomes_in_wide(table, registry))
        wide = True
    month_index = next((i for i, h in enumerate(table.header) if _fold(h) == _fold(month_col)), 0)
    month_name = table.column_name(0 if wide else month_index)
    if not table.rows and not problems:
        problems.append(Problem("the file has a header but no data rows; add the monthly rows"))
    if cutoff is None and months:
        cutoff = max(m for m, _ in months)
    if cutoff is not None:
        problems.extend(check_months(obs, months, cutoff, month_name, wide))
    if plausible_factor is not None:
        problems.extend(_implausible(obs, registry, plausible_factor))
    if problems:
        raise InputError(source, _sorted(problems))
    order = {key: i for i, key in enumerate(registry.keys)}
    obs.sort(key=lambda o: (order[o.key], o.month.ordinal))
    frame = pd.DataFrame(
        {
            "group": pd.Series([o.key for o in obs], dtype=object),
            "month": pd.PeriodIndex([o.month for o in obs], freq="M"),
            "ge": np.array([o.ge for o in obs], dtype=np.int64),
        }
    )
    waiting = not_live_rows(list(frame["group"]), list(frame["month"]), frame["ge"], registry)
    counted = _genomes_beside(
        file, obs, registry, names, genomes_col, genomes, genomes_sheet, waiting
    )
    if counted is not None:
        frame["genomes"] = counted[1]
    spans = not_live_spans(frame, waiting, registry)
    frame = frame[~waiting].reset_index(drop=True)
    if frame.empty:
        raise InputError(
            source,
            [
                Problem(
                    "every count is a 0 before its group's go-live, so no group is live yet;"
                    " add the months with GE, or correct go_live in the group registry"
                )
            ],
        )
    frame.attrs["source"] = source
    if counted is not None:
        frame.attrs["genomes_source"] = counted[0]
    frame.attrs["not_live"] = spans
    if _is_bundled_actuals(file):
        frame.attrs["notes"] = (RECONSTRUCTED,)
    return frame


def _genomes_beside(
    file: Path,
    obs: Sequence[Observation],
    registry: GroupRegistry,
    names: tuple[str, str, str],
    genomes_col: str,
    genomes: PathLike | None,
    genomes_sheet: str | int | None,
    waiting: npt.NDArray[np.bool_],
) -> tuple[str, npt.NDArray[np.int64]] | None:
    """The genomes of each GE observation (same order), and the file they come from.

    ``None`` when no genomes were given. Refuses a kept GE month without genomes, genomes
    without GE, and genomes in a month read as not live yet (it would be left out with its
    zero GE); warns about months with fewer genomes than GE.
    """
    in_file = bool(obs) and bool(obs[0].genomes_column)
    separate = genomes is not None or genomes_sheet is not None
    if not (in_file or separate):
        return None
    if in_file and separate:
        raise InputError(
            str(file),
            [
                Problem(
                    "the file has a genomes column and genomes= (--genomes, --genomes-sheet)"
                    " names other genomes as well; keep one of them",
                    1,
                    obs[0].genomes_column,
                )
            ],
        )
    if in_file:
        source = str(file)
        cells = [Observation(o.key, o.month, o.genomes, o.row, o.genomes_column) for o in obs]
    else:
        genomes_file = _existing_file(genomes) if genomes is not None else file
        source = str(genomes_file)
        if genomes_sheet is not None:
            source = f"{source} (sheet {genomes_sheet!r})"
        cells, problems = _genome_cells(genomes_file, genomes_sheet, registry, names, genomes_col)
        if problems:
            raise InputError(source, _sorted(problems))
    by_month = {(c.key, c.month): c for c in cells}
    counts = np.zeros(len(obs), dtype=np.int64)
    problems = []
    fewer: list[tuple[Observation, Observation]] = []
    for position, o in enumerate(obs):
        cell = by_month.pop((o.key, o.month), None)
        ge = int(o.ge or 0)  # unreadable cells were refused above: no count is None here
        if cell is None:
            if not waiting[position]:
                problems.append(
                    Problem(
                        f"no genomes for group {o.key!r} in {o.month}, which has {ge:,} GE"
                        f" ({file}, row {o.row}); add the month's genomes (0 if no genome was"
                        " added that month)"
                    )
                )
            continue
        genome_count = int(cell.ge or 0)
        counts[position] = genome_count
        if waiting[position] and genome_count > 0:
            go_live = registry[o.key].go_live
            before = (
                f"before its go-live {go_live}" if go_live is not None else "before its first GE"
            )
            problems.append(
                Problem(
                    f"{genome_count:,} genomes in {o.month}, where group {o.key!r} has 0 GE"
                    f" {before}, a month read as not live yet and left out; correct go_live"
                    " in the group registry, or the count of genomes or of GE",
                    cell.row,
                    cell.column,
                )
            )
        elif genome_count < ge:
            fewer.append((cell, o))
    for cell in by_month.values():
        if cell.ge:
            problems.append(
                Problem(
                    f"{cell.ge:,} genomes for group {cell.key!r} in {cell.month}, but the GE"
                    f" ({file}) have no row for that group and month; add the GE, or delete"
                    " the genomes",
                    cell.row,
                    cell.column,
                )
            )
    if problems:
        raise InputError(source, _sorted(problems))
    if fewer:
        _warn_fewer_genomes(source, fewer)
    return source, counts


def _genomes_in_wide(table: RawTable, registry: GroupRegistry) -> list[Problem]:
    """Say where a wide file's genomes go when its columns look like genomes."""
    headers = [h for h in table.header[1:] if "genom" in _fold(h) and registry.match(h) is None]
    if not headers:
        return []
    return [
        Problem(
            f"{names_text(headers)} look like genomes, but the columns of a wide file are"
            " patient groups; put the genomes in a second table laid out like the GE (months"
            " down, one column per group) on another sheet (genomes_sheet=, --genomes-sheet)"
            " or in another file (genomes=, --genomes)",
            1,
        )
    ]


def _genome_cells(
    file: Path,
    sheet: str | int | None,
    registry: GroupRegistry,
    names: tuple[str, str, str],
    genomes_col: str,
) -> tuple[list[Observation], list[Problem]]:
    """The genomes of a separate table, laid out like the GE (wide, or long by group)."""
    table = read_table(file, sheet)
    group_col, month_col, _ = names
    layout = (group_col, month_col, genomes_col)
    headers = {_fold(h) for h in table.header if h}
    if _fold(group_col) in headers:
        obs, problems, _ = read_long(table, registry, layout, unit="genomes")
    elif headers & {_fold(genomes_col), *NATIONAL_GENOMES_COLUMNS}:
        return [], [
            Problem(
                f"the table has a genomes column but no {group_col!r} column, so it holds"
                " national genomes, which cannot be split by group; read it with"
                " read_national_genomes (load_data(national_genomes=...)), or lay it out like"
                " the GE: months down the first column, one column per group",
                1,
            )
        ]
    else:
        obs, problems, _ = read_wide(table, registry, layout, unit="genomes")
    if not table.rows and not problems:
        problems.append(Problem("the table has a header but no data rows; add the months"))
    return obs, problems


def _warn_fewer_genomes(source: str, fewer: Sequence[tuple[Observation, Observation]]) -> None:
    listed = "; ".join(
        f"row {cell.row} column {cell.column!r}: {cell.ge:,} genomes for {o.ge:,} GE"
        f" ({o.key} {o.month})"
        for cell, o in fewer[:LISTED]
    )
    more = f" and {len(fewer) - LISTED} more" if len(fewer) > LISTED else ""
    warnings.warn(
        f"{source}: {len(fewer)} month{'s' if len(fewer) != 1 else ''} with fewer genomes"
        f" than GE ({listed}{more}). A GE counts whole-genome equivalents and a cancer case"
        " is two genomes (tumour and normal), so this is unusual: check that the genomes and"
        " GE columns are not swapped, and whether genomes reach the database a month after"
        " their GE",
        GenomesWarning,
        stacklevel=4,
    )


def _is_bundled_actuals(file: Path) -> bool:
    """True when ``file`` is the bundled, reconstructed actuals, however it was named."""
    try:
        return file.resolve() == bundled_actuals_path().resolve()
    except MissingFileError:
        return False


def _implausible(
    obs: Sequence[Observation], registry: GroupRegistry, factor: float
) -> list[Problem]:
    """Counts above ``factor`` times their group's declared monthly volume."""
    problems = []
    for o in obs:
        monthly = registry[o.key].declared_per_year / 12
        if o.ge is not None and o.ge > factor * monthly:
            problems.append(
                Problem(
                    f"{o.ge:,} GE in {o.month} is more than {factor:g} times the declared"
                    f" monthly volume of {o.key!r} ({registry[o.key].declared_per_year:g} a"
                    f" year, {monthly:,.0f} a month), so it looks like a typo; correct the"
                    " count, correct declared_per_year in the group registry, or raise the"
                    " limit (plausible_factor=, on the command line --plausible-factor)",
                    o.row,
                    o.column,
                )
            )
    return problems


def _sorted(problems: Sequence[Problem]) -> list[Problem]:
    """Problems by row, one per cell (the first found: a cause before its consequences)."""
    seen: set[tuple[int, str]] = set()
    unique = []
    for problem in problems:
        if problem.row is not None and problem.column is not None:
            if (problem.row, problem.column) in seen:
                continue
            seen.add((problem.row, problem.column))
        unique.append(problem)
    ordered = sorted(unique, key=lambda p: (p.row is not None, p.row or 0))
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    rest = len(ordered) - MAX_PROBLEMS
    return [
        *ordered[:MAX_PROBLEMS],
        Problem(f"and {rest} more problems not listed; correct the ones above and check again"),
    ]


def _did_you_mean(name: str, valid: Sequence[str]) -> str:
    """The "did you mean" hint followed by the valid names (only the names when none is close)."""
    listing = f"valid names are {', '.join(valid)}"
    hint = did_you_mean(name, valid)
    return f"{hint} ({listing})" if hint else f"; {listing}"


# --------------------------------------------------------------------------- national genomes

NATIONAL_GENOMES_COLUMNS = ("genomes", "genomes_to_date")
"""The count columns of a national genomes file: genomes added in the month, or the total in
the national genome database at the end of the month (as ngc.dk publishes it)."""


def read_national_genomes(
    path: PathLike,
    *,
    sheet: str | int | None = None,
    as_of: MonthLike | None = None,
    month_col: str = "month",
) -> pd.DataFrame:
    """Read national genome counts: one row per month, for all patient groups together.

    Parameters
    ----------
    path
        CSV or ``.xlsx`` with a month column and one count column: ``genomes`` (genomes
        added in the month) or ``genomes_to_date`` (the total in the national genome
        database at the end of the month, as ngc.dk publishes it monthly). Months may skip
        (a total known only now and then); other columns (a source, a note) are ignored.
        Numbers follow the same conventions as :func:`read_actuals`.
    sheet
        For workbooks: the sheet name or 0-based index (default: the first sheet).
    as_of
        The last month of data; a later month is refused. ``None``: no limit.
    month_col
        The name of the month column.

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (``period[M]``) and the count column as written (int64), sorted
        by month; ``attrs["source"]`` is the file path.

    Raises
    ------
    MissingFileError
        If the file does not exist.
    InputError
        Listing every problem (missing or doubled columns, bad or repeated months, blank,
        negative or unreadable counts), each with row, column and a fix.

    Warns
    -----
    GenomesWarning
        When a total to date falls from one month to a later one (genomes can leave the
        database, so this is not refused, but it is more often a typo).
    """
    file = _existing_file(path)
    source = str(file)
    cutoff = parse_month(as_of) if as_of is not None else None
    table = read_table(file, sheet)
    folded = [_fold(h) for h in table.header]
    hits = {
        name: [i for i, h in enumerate(folded) if h == _fold(name)]
        for name in (month_col, *NATIONAL_GENOMES_COLUMNS)
    }
    counts_found = [name for name in NATIONAL_GENOMES_COLUMNS if hits[name]]
    problems = [
        Problem(f"column {name!r} appears twice; delete one", 1, name)
        for name, found in hits.items()
        if len(found) > 1
    ]
    if not hits[month_col]:
        problems.append(
            Problem(
                f"missing column {month_col!r}; the file has columns"
                f" {names_text(table.header)} but national genomes need a month column"
                " (pass month_col= if yours is named differently)",
                1,
                month_col,
            )
        )
    if len(counts_found) != 1:
        what = "both columns" if counts_found else "no column"
        problems.append(
            Problem(
                f"{what} {' and '.join(NATIONAL_GENOMES_COLUMNS)}; national genomes need one"
                " of them: genomes (added in the month) or genomes_to_date (the total in the"
                " national genome database at the end of the month)",
                1,
            )
        )
    if problems:
        raise InputError(source, problems)
    name = counts_found[0]
    mi, ci = hits[month_col][0], hits[name][0]
    month_name, count_name = table.column_name(mi), table.column_name(ci)
    problems.extend(stray_cells(table, (mi, ci), "delete it or give the column a header"))
    danish, style_problems = count_style(table, [ci])
    problems.extend(style_problems)
    if not table.rows:
        problems.append(Problem("the file has a header but no data rows; add the months"))
    rows_of_month, month_problems = month_rows(table, mi)
    problems.extend(month_problems)
    month_of = {row: month for month, rows in rows_of_month.items() for row in rows}
    values: dict[pd.Period, int] = {}
    for row in table.rows:
        count = count_or_problem(row.cells[ci], danish, "genomes", row.number, count_name, problems)
        month = month_of.get(row.number)
        if month is not None and count is not None:
            values[month] = count
    if cutoff is not None:
        problems.extend(
            Problem(
                f"month {month} is after the as-of month {cutoff}; delete the row or use a"
                " later as-of month",
                rows[0],
                month_name,
            )
            for month, rows in rows_of_month.items()
            if month > cutoff
        )
    if problems:
        raise InputError(source, _sorted(problems))
    months = sorted(values)
    frame = pd.DataFrame(
        {
            "month": pd.PeriodIndex(months, freq="M"),
            name: np.array([values[m] for m in months], dtype=np.int64),
        }
    )
    if name == "genomes_to_date":
        falls = [
            f"{before} to {after} ({values[before]:,} to {values[after]:,})"
            for before, after in pairwise(months)
            if values[after] < values[before]
        ]
        if falls:
            warnings.warn(
                f"{source}: the genomes to date fall from {'; '.join(falls[:LISTED])};"
                " a total in the database falls only when genomes are withdrawn, so check"
                " the figures",
                GenomesWarning,
                stacklevel=2,
            )
    frame.attrs["source"] = source
    return frame


# --------------------------------------------------------------------------- atomic writes


@contextmanager
def atomic_path(path: PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path`` that replaces ``path`` when all went well.

    For writers that want a file name (``DataFrame.to_excel``, ``Figure.savefig``): the
    temporary name ends in the target's suffix, so format detection works. On an exception
    the temporary file is removed and the target is left as it was. Parent folders are
    created.

    Examples
    --------
    >>> with atomic_path(tmp / "table.xlsx") as part:  # doctest: +SKIP
    ...     frame.to_excel(part)
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}.", suffix=f".part{target.suffix}"
    )
    os.close(handle)
    part = Path(name)
    try:
        yield part
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(part, mode)
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


@cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_sha256(path: PathLike) -> str:
    """Return the SHA-256 of a file's bytes (read in blocks, so large files are fine)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    target = Path(path)
    with atomic_path(target) as part, part.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return target


def atomic_write_text(path: PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    return atomic_write_bytes(path, text.encode(encoding))


# --------------------------------------------------------------------------- assumptions


def read_assumptions(path: PathLike) -> Assumptions:
    """Read the settings of one prognosis from a TOML file.

    Parameters
    ----------
    path
        TOML with a ``[prognosis]`` table (``as_of``, ``run_rate_window``,
        ``horizon_months``, ``label``) and an optional ``[programme]`` table
        (``target_ge``, ``deadline``).

    Returns
    -------
    Assumptions
        The validated settings.

    Raises
    ------
    MissingFileError
        If the file does not exist.
    ConfigError
        Naming the file and every bad or unknown key (with the nearest valid key).
    """
    file = _existing_file(path)
    try:
        content = tomllib.loads(file.read_bytes().decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f'{file}: not valid TOML ({exc}); write months in quotes, e.g. as_of = "2023-03"'
        ) from exc
    errors: list[str] = []
    for table, values in content.items():
        if table not in _ASSUMPTION_KEYS:
            errors.append(f"unknown table [{table}]{_did_you_mean(table, list(_ASSUMPTION_KEYS))}")
        elif not isinstance(values, dict):
            errors.append(f"{table} must be a table: write [{table}] on its own line")
        else:
            for key in values:
                if key not in _ASSUMPTION_KEYS[table]:
                    hint = _did_you_mean(key, _ASSUMPTION_KEYS[table])
                    errors.append(f"unknown key {table}.{key}{hint}")
    if "prognosis" not in content:
        errors.append('missing table [prognosis]; add it with at least as_of = "2023-03"')
    if "prognosis" in content and all(isinstance(v, dict) for v in content.values()):
        # Validate the known keys even when others are wrong, to report everything at once.
        fields: dict[str, Any] = _known(content["prognosis"], "prognosis")
        if "programme" in content:
            fields["programme"] = _known(content["programme"], "programme")
        try:
            assumptions = Assumptions.model_validate(fields)
        except ValidationError as exc:
            for error in exc.errors():
                loc = [str(part) for part in error["loc"]]
                key = ".".join(loc) if loc[0] == "programme" else f"prognosis.{loc[0]}"
                if error["type"] == "missing":
                    errors.append(f"{key} is missing; add it")
                else:
                    errors.append(f"{key}: {error['msg']} (got {error.get('input')!r})")
        else:
            if not errors:
                return assumptions
    count = len(errors)
    lines = "\n".join(f"  - {file}: {e}" for e in errors)
    raise ConfigError(f"{count} problem{'s' if count != 1 else ''} in {file}:\n{lines}")


def _known(values: dict[str, Any], table: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in _ASSUMPTION_KEYS[table]}
