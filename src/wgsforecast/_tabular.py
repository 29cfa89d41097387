"""Read raw tables from the CSV and Excel files analysts actually save.

This module knows about bytes, encodings, separators, Excel workbooks, Danish number
formatting and the ways a month or a count can sit in a cell. It knows nothing about
patient groups: :mod:`wgsforecast.io` turns the raw cells into validated data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from wgsforecast._checks import LISTED, MAX_COUNT
from wgsforecast.exceptions import InputError, Problem
from wgsforecast.models import GroupRegistry
from wgsforecast.periods import (
    EXCEL_1904_OFFSET,
    EXCEL_SERIAL_RANGE,
    _fold,
    month_range,
    parse_month,
)

Cell = str | int | float | dt.datetime | dt.date | dt.time | None
"""One cell as read: a stripped non-empty string (CSV and Excel text) or an Excel value."""

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEPARATORS = (";", "\t", ",")
_SPACES = str.maketrans({"\xa0": " ", "\u202f": " ", "\u2212": "-"})
_DANISH_DECIMAL = re.compile(r"^-?\d[\d.]*,\d+$")
_DOT_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_ENGLISH_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+(\.\d+)?|\d*\.(\d{1,2}|\d{4,}))$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[ T].*)?$")
_DAY_PREFIX = re.compile(r"^\d{1,2}\.?\s+(?=[^\W\d])")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:[.,]0+)?$")
_TOTALS = {
    "ialt",
    "total",
    "totalt",
    "totaler",
    "sum",
    "summa",
    "samlet",
    "hovedtotal",
    "grandtotal",
    "subtotal",
    "deltotal",
    "sumialt",
    "altialt",
}
_TOTAL_PREFIXES = ("hovedtotal", "grandtotal", "subtotal", "total", "sumaf", "sumof", "ialt")
_TOTAL_SUFFIXES = ("ialt", "total", "totalt")
_EXCEL_ERRORS = {"#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DIV/0!", "#SPILL!"}


@dataclass(frozen=True)
class RawRow:
    """One non-blank data row: its spreadsheet row number and one cell per column."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class RawTable:
    """A table as read from a file, before any interpretation.

    Attributes
    ----------
    header
        The header texts (``""`` for a column without a header), one per column.
    rows
        The non-blank rows after the header, each padded to the header's width.
    danish
        ``True`` if numbers use ``.`` for thousands and ``,`` for decimals (a ``;``-separated
        file), ``False`` for English numbers (a ``,``-separated file), ``None`` when the file
        does not say (tab-separated text, Excel text cells). Only a hint: the readers decide
        the convention from the cells themselves (:func:`decide_convention`).
    date1904
        ``True`` for a workbook that counts its dates from 1904 (older Mac Excel): a bare
        serial number in a month cell is then 1,462 days later than in the 1900 system.
    """

    header: tuple[str, ...]
    rows: tuple[RawRow, ...]
    danish: bool | None
    date1904: bool = False

    def column_name(self, index: int) -> str:
        """Return the column's header, or its spreadsheet letter when the header is blank."""
        return self.header[index] or get_column_letter(index + 1)


def read_table(path: Path, sheet: str | int | None = None) -> RawTable:
    """Read the first table of a CSV/text or ``.xlsx`` file without changing the file.

    Parameters
    ----------
    path
        The file. Its content, not its extension, decides how it is read.
    sheet
        For workbooks: the sheet name or 0-based index (default: the first sheet).

    Returns
    -------
    RawTable
        The header (first non-blank row) and the non-blank rows below it.

    Raises
    ------
    InputError
        If the file is empty, an old ``.xls`` workbook, the sheet does not exist, or a
        workbook holds formulas without a saved value.
    """
    source = str(path)
    data = path.read_bytes()
    if not data.strip():
        raise InputError(source, [Problem("the file is empty; it needs a header row and data")])
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            source,
            [Problem("this is an old Excel .xls workbook; save it as .xlsx or CSV and retry")],
        )
    if data.startswith(_ZIP_MAGIC):
        sheet_read = _read_xlsx(source, data, sheet)
        table = _to_table(source, sheet_read.grid, None, sheet_read.date1904)
        _refuse_unsaved_formulas(source, table, sheet_read.unsaved)
        return table
    grid, danish = _read_text(decode(data))
    return _to_table(source, grid, danish)


def decode(data: bytes) -> str:
    """Decode text as UTF-16 (with BOM), UTF-8 (BOM optional) or else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def sniff_separator(text: str) -> str:
    """Return the separator (``;``, tab or ``,``) that splits the header into most fields."""
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    best, best_count = ",", 1
    for sep in _SEPARATORS:
        count = len(next(csv.reader([header], delimiter=sep), []))
        if count > best_count:
            best, best_count = sep, count
    return best


def _read_text(text: str) -> tuple[list[list[Cell]], bool | None]:
    lines = text.splitlines(keepends=True)
    explicit = re.match(r"^sep=(.)\s*$", lines[0]) if lines else None
    if explicit:
        # Excel's "sep=;" hint line is hidden when Excel opens the file.
        sep, text = explicit[1], "".join(lines[1:])
    else:
        sep = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    grid: list[list[Cell]] = [[_text_cell(value) for value in record] for record in reader]
    danish = {";": True, ",": False}.get(sep)
    return grid, danish


def _text_cell(value: str) -> str | None:
    # NFC: macOS saves 'å' decomposed (a + ring), which looks the same but compares unequal.
    value = unicodedata.normalize("NFC", value.strip())
    return value or None


@dataclass(frozen=True)
class _Sheet:
    grid: list[list[Cell]]
    date1904: bool
    unsaved: list[tuple[int, int, str]]  # (row number, column index, formula)


def _open_workbook(source: str, data: bytes, values: bool) -> openpyxl.Workbook:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (data validation, styles).
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(io.BytesIO(data), data_only=values)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InputError(
            source, [Problem(f"cannot open the workbook ({exc}); save it again as .xlsx or CSV")]
        ) from exc


def _unsaved_formulas(
    source: str, data: bytes, chosen: str, grid: list[list[Cell]]
) -> list[tuple[int, int, str]]:
    """The formula cells whose saved value is missing (blank in ``grid``).

    A workbook written by a program (openpyxl, pandas) and never opened in Excel has
    formulas but no computed values: read for values, those cells are simply blank.
    """
    if all(cell is not None for row in grid for cell in row):
        return []
    book = _open_workbook(source, data, values=False)
    try:
        found = []
        for number, record in enumerate(book[chosen].iter_rows(values_only=True), start=1):
            for index, value in enumerate(record):
                formula = getattr(value, "text", value)  # ArrayFormula keeps it in .text
                blank = number > len(grid) or index >= len(grid[number - 1])
                is_formula = isinstance(formula, str) and formula.startswith("=")
                if is_formula and (blank or grid[number - 1][index] is None):
                    found.append((number, index, str(formula)))
        return found
    finally:
        book.close()


def _refuse_unsaved_formulas(
    source: str, table: RawTable, unsaved: list[tuple[int, int, str]]
) -> None:
    if not unsaved:
        return
    data_rows = {row.number for row in table.rows}
    problems = []
    for number, index, formula in unsaved[:LISTED]:
        in_table = number in data_rows and index < len(table.header)
        column = table.column_name(index) if in_table else get_column_letter(index + 1)
        problems.append(
            Problem(
                f"the cell holds the formula {formula!r} but no saved value (the workbook was"
                " written by a program and never opened in Excel), so its number is unknown;"
                " open the file in Excel and save it, or write the values instead of formulas",
                number,
                column,
            )
        )
    if len(unsaved) > LISTED:
        problems.append(
            Problem(
                f"and {len(unsaved) - LISTED} more formula cells without a saved value; open"
                " the file in Excel and save it"
            )
        )
    raise InputError(source, problems)


def _read_xlsx(source: str, data: bytes, sheet: str | int | None) -> _Sheet:
    book = _open_workbook(source, data, values=True)
    try:
        names = book.sheetnames
        if sheet is None:
            chosen = names[0]
        elif isinstance(sheet, int) and 0 <= sheet < len(names):
            chosen = names[sheet]
        elif isinstance(sheet, str) and sheet in names:
            chosen = sheet
        else:
            raise InputError(
                source,
                [Problem(f"no sheet {sheet!r}; the workbook has sheets {', '.join(names)}")],
            )
        grid: list[list[Cell]] = []
        for record in book[chosen].iter_rows(values_only=True):
            grid.append([_excel_cell(value) for value in record])
        date1904 = book.epoch == CALENDAR_MAC_1904
    finally:
        book.close()
    return _Sheet(grid, date1904, _unsaved_formulas(source, data, chosen, grid))


def _excel_cell(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, str):
        return _text_cell(value)
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float | dt.datetime | dt.date | dt.time):
        return value
    return _text_cell(str(value))


def _to_table(
    source: str, grid: list[list[Cell]], danish: bool | None, date1904: bool = False
) -> RawTable:
    numbered = [(number, cells) for number, cells in enumerate(grid, start=1)]
    non_blank = [(n, cells) for n, cells in numbered if any(c is not None for c in cells)]
    if not non_blank:
        raise InputError(source, [Problem("the file is empty; it needs a header row and data")])
    header_cells = non_blank[0][1]
    body = non_blank[1:]
    width = max(len(cells) for _, cells in non_blank)
    header = [_header_text(c) for c in header_cells] + [""] * (width - len(header_cells))
    # Trailing columns without header or values (Excel's ";;;" padding) are not columns.
    while (
        len(header) > 1
        and not header[-1]
        and all(len(cells) < len(header) or cells[len(header) - 1] is None for _, cells in body)
    ):
        header.pop()
    width = len(header)
    rows = tuple(
        RawRow(number, tuple(cells[:width]) + (None,) * (width - len(cells[:width])))
        for number, cells in body
    )
    return RawTable(tuple(header), rows, danish, date1904)


def _header_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat()[:10]
    return str(cell).strip()


def guess_danish(texts: list[str]) -> bool:
    """Decide, for a file that does not say, whether numbers are written the Danish way.

    A file is Danish when any number has a decimal comma (``12,5`` or ``1.234,0``), or when a
    number is grouped with thousands dots (``2.000``) and none is written the English way
    (``1,234`` or ``12.5``): read as English, ``2.000`` would silently become 2.
    """
    clean = [t.strip().translate(_SPACES) for t in texts]
    if any(_DANISH_DECIMAL.match(t) for t in clean):
        return True
    dot_thousands = any(_DOT_THOUSANDS.match(t) for t in clean)
    return dot_thousands and not any(_ENGLISH_NUMBER.match(t) for t in clean)


@dataclass(frozen=True)
class NumberText:
    """A number written as text, where it sits, and whether it must be a whole number."""

    text: str
    row: int
    column: str
    whole: bool = True


def _reading(text: str, danish: bool) -> Decimal | None:
    try:
        return parse_decimal(text, danish)
    except ValueError:
        return None


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _is_whole(number: Decimal) -> bool:
    return number == number.to_integral_value()


def decide_convention(cells: Sequence[NumberText], hint: bool | None) -> tuple[bool, list[Problem]]:
    """Decide from every number in a file whether it is written the Danish or English way.

    A cell is evidence for a convention when only that convention reads it (``12,5`` and
    ``1.234,5`` are Danish, ``12.5`` and ``1,234.5`` English), or, for a count, when only
    that convention makes it a whole number (``1.234`` is Danish, ``1,234`` English). A cell
    that both read as different whole numbers (``2,000``: 2 or 2000; ``2.000``: 2000 or
    2) is ambiguous: it takes the file's convention when other cells give one, and is
    refused when none does. The separator (``;`` or ``,``) is no evidence: Excel's
    ``Text (tab)`` export and hand-made ``;`` files come in both conventions.

    Parameters
    ----------
    cells
        The text cells holding numbers (other cells are ignored).
    hint
        The convention to report numbers in when no cell decides it (``None``: English).

    Returns
    -------
    tuple
        ``True`` for Danish, and the problems: the cells of one convention against the
        other's, or every ambiguous cell when nothing decides.
    """
    danish: list[NumberText] = []
    english: list[NumberText] = []
    ambiguous: list[tuple[NumberText, Decimal, Decimal]] = []
    for cell in cells:
        as_danish, as_english = _reading(cell.text, True), _reading(cell.text, False)
        if as_danish is None and as_english is None:
            continue
        if as_danish is None:
            english.append(cell)
        elif as_english is None:
            danish.append(cell)
        elif as_danish != as_english:
            if cell.whole and _is_whole(as_danish) != _is_whole(as_english):
                (danish if _is_whole(as_danish) else english).append(cell)
            else:
                ambiguous.append((cell, as_danish, as_english))
    if danish and english:
        few, many = (danish, english) if len(danish) <= len(english) else (english, danish)
        first, other = few[0], many[0]
        ways = {id(c): "Danish" if c in danish else "English" for c in (first, other)}
        return many is danish, [
            Problem(
                f"{first.text!r} is written the {ways[id(first)]} way but {other.text!r}"
                f" (row {other.row}, column {other.column!r}) the {ways[id(other)]} way, so"
                " the numbers of this file cannot all be read one way; write every number"
                " one way, best as a plain whole number without thousands separators"
                " (e.g. 1234)",
                first.row,
                first.column,
            )
        ]
    if danish or english:
        return bool(danish), []
    problems = []
    for cell, as_danish, as_english in ambiguous[:LISTED]:
        da, en = _plain(as_danish), _plain(as_english)
        mark = "comma" if "," in cell.text else "dot"
        roles = ("decimals", "thousands")
        da_role, en_role = roles if mark == "comma" else roles[::-1]
        problems.append(
            Problem(
                f"{cell.text!r} is {da} read the Danish way ({mark} for {da_role}) but {en}"
                f" read the English way ({mark} for {en_role}), and no other number in the"
                f" file says which; write it without the {mark} as the number you mean"
                f" ({da} or {en})",
                cell.row,
                cell.column,
            )
        )
    if len(ambiguous) > LISTED:
        rows = rows_text([c.row for c, _, _ in ambiguous[LISTED:]])
        problems.append(
            Problem(
                f"and {len(ambiguous) - LISTED} more numbers like these (rows {rows}); write"
                " them without thousands separators",
            )
        )
    return bool(hint), problems


def parse_decimal(text: str, danish: bool) -> Decimal:
    """Parse a number written with the thousands and decimal marks of the file.

    Parameters
    ----------
    text
        The number as written, e.g. ``"1.234"`` or ``"12,5"`` (Danish) or ``"1,234.5"``.
    danish
        ``True`` for ``.`` thousands and ``,`` decimals; ``False`` for the reverse.

    Returns
    -------
    decimal.Decimal
        The exact value.

    Raises
    ------
    ValueError
        If the text is not a number in that convention.
    """
    thousands, point = (".", ",") if danish else (",", ".")
    clean = text.strip().translate(_SPACES)
    if re.fullmatch(r"[-+]?\d{1,3}( \d{3})+([.,]\d+)?", clean):
        clean = clean.replace(" ", "")
    sign = ""
    if clean and clean[0] in "+-":
        sign, clean = clean[0].replace("+", ""), clean[1:]
    th, pt = re.escape(thousands), re.escape(point)
    plain = rf"\d+({pt}\d+)?|{pt}\d+"
    grouped = rf"\d{{1,3}}({th}\d{{3}})+({pt}\d+)?"
    if not re.fullmatch(rf"{plain}|{grouped}", clean):
        style = "1.234 or 12,5" if danish else "1,234 or 12.5"
        raise ValueError(f"{text!r} is not a number (this file writes numbers like {style})")
    try:
        return Decimal(sign + clean.replace(thousands, "").replace(point, "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise ValueError(f"{text!r} is not a number") from exc


def is_total(text: str) -> bool:
    """True when a row or column label is a total (``I alt``, ``Hovedtotal``, ``Sum af GE``)."""
    folded = re.sub(r"[^a-z]", "", _fold(text))
    return (
        folded in _TOTALS
        or folded.startswith(_TOTAL_PREFIXES)
        or (folded.endswith(_TOTAL_SUFFIXES) and len(folded) <= 16)
    )


def parse_month_cell(value: Cell, date1904: bool = False) -> pd.Period:
    """Parse a month cell: text, an Excel date, or an Excel serial number.

    Besides what :func:`~wgsforecast.periods.parse_month` accepts, this takes a Danish
    date (``01-02-2023``, day first), ``1. feb 2023`` and a serial number saved as text.
    ``date1904`` says that a number is a serial of a workbook in the 1904 date system.

    Raises
    ------
    ValueError
        If the cell holds no recognisable month; the message says how to write one.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Outside this range a number in a month cell is far more likely a count typed in
        # the wrong column than a date.
        low, high = EXCEL_SERIAL_RANGE
        if value == int(value) and low <= value <= high:
            return parse_month(int(value) + (EXCEL_1904_OFFSET if date1904 else 0))
    elif isinstance(value, str):
        text = value.strip()
        if _SERIAL_TEXT.match(text):
            return parse_month_cell(int(text[:5]))
        if match := _DAY_MONTH_YEAR.match(text):
            month, year = int(match[2]), int(match[3])
            if 1 <= month <= 12:
                return pd.Period(year=year, month=month, freq="M")
        if is_total(text):
            raise ValueError(
                f"{text!r} is a total row, not a month; delete the row (totals are computed"
                " from the months)"
            )
        return parse_month(_DAY_PREFIX.sub("", text))
    elif isinstance(value, dt.datetime | dt.date):
        return parse_month(value)
    raise ValueError(
        f"{value!r} is not a month; write it as 2023-02, feb 2023, februar 2023 or an Excel date"
    )


UNIT_NOUNS = {"GE": "genome equivalents", "genomes": "genomes"}
"""How messages name the unit of a count column."""


def parse_count(value: Cell, danish: bool, unit: str = "GE") -> int:
    """Parse a count of genome equivalents (or of genomes): a whole number, zero or more.

    ``unit`` (``GE`` or ``genomes``) only changes the wording of the messages.

    Raises
    ------
    ValueError
        If the cell is no number, not whole, or negative; the message says how to fix it.
    """
    number: Decimal
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a count; write a whole number such as 0 or 12")
    if isinstance(value, int | float):
        number = Decimal(value)
    elif isinstance(value, str) and value.upper() in _EXCEL_ERRORS:
        raise ValueError(
            f"{value!r} is an Excel error, not a count; correct the formula behind it or"
            " write the number"
        )
    elif isinstance(value, str):
        try:
            number = parse_decimal(value, danish)
        except ValueError as exc:
            raise ValueError(f"{exc}; write a whole number of {UNIT_NOUNS[unit]}") from exc
    else:
        raise ValueError(f"{value!r} is a date, not a count; write a whole number such as 12")
    if not number.is_finite() or number != number.to_integral_value():
        hint = ""
        if isinstance(value, str) and not danish and re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
            hint = f" (if you mean {value.replace('.', '')}, leave out the thousands dot)"
        raise ValueError(
            f"{value!r} is not a whole number{hint}; {unit} counts are whole numbers, so"
            " correct or round the value"
        )
    if number < 0:
        raise ValueError(
            f"{value!r} is negative; a count cannot be below 0, so correct the value"
            " (write 0 if nothing was sequenced)"
        )
    if number > MAX_COUNT:
        raise ValueError(
            f"{value!r} is far too large for a monthly count (the most any cell may hold is"
            f" {MAX_COUNT:,}); correct the value"
        )
    return int(number)


# --------------------------------------------------------------------------- actuals layouts


@dataclass(frozen=True)
class Observation:
    """One count as read: group key, month, count (``None`` if unreadable), where it sits.

    ``ge`` holds the count of the file's count column (genomes, for a file of genomes);
    ``genomes`` the optional genomes count beside it on the same row of a long file
    (``None`` when there is no such column or the cell is unreadable).
    """

    key: str
    month: pd.Period
    ge: int | None
    row: int
    column: str = ""
    genomes: int | None = None
    genomes_column: str = ""


def count_style(table: RawTable, indices: Sequence[int]) -> tuple[bool, list[Problem]]:
    """The number convention of the count cells (see :func:`decide_convention`)."""
    cells = [
        NumberText(cell, row.number, table.column_name(index))
        for row in table.rows
        for index in indices
        if isinstance(cell := row.cells[index], str)
    ]
    return decide_convention(cells, table.danish)


def names_text(names: Sequence[str], limit: int = LISTED) -> str:
    """Quote and list at most ``limit`` names, saying how many more there are."""
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def stray_cells(table: RawTable, used: Sequence[int], fix: str) -> list[Problem]:
    problems = []
    for index, header in enumerate(table.header):
        if header or index in used:
            continue
        for row in table.rows:
            if row.cells[index] is not None:
                problems.append(
                    Problem(
                        f"value {row.cells[index]!r} is in a column without a header; {fix}"
                        " (a number written with a thousands comma in a comma-separated file"
                        " splits into two cells: quote it or leave out the comma)",
                        row.number,
                        table.column_name(index),
                    )
                )
    return problems


_BLANK_COUNT = {
    "GE": "count is blank; write 0 if nothing was sequenced",
    "genomes": "count of genomes is blank; write 0 if no genome was added that month",
}


def count_or_problem(
    cell: Cell, danish: bool, unit: str, row: int, column: str, problems: list[Problem]
) -> int | None:
    """The count in ``cell``, or ``None`` with the problem added to ``problems``."""
    if cell is None:
        problems.append(Problem(_BLANK_COUNT[unit], row, column))
        return None
    try:
        return parse_count(cell, danish, unit)
    except ValueError as exc:
        problems.append(Problem(str(exc), row, column))
        return None


def read_long(
    table: RawTable,
    registry: GroupRegistry,
    names: tuple[str, str, str],
    *,
    genomes_col: str | None = None,
    unit: str = "GE",
) -> tuple[list[Observation], list[Problem], list[tuple[pd.Period, int]]]:
    """Read a long table: one row per group and month, columns ``names`` (group, month, count).

    ``genomes_col`` names an optional column of genomes beside the count, read with the same
    rules (blank, negative or unreadable cells are problems) into
    :attr:`Observation.genomes`. ``unit`` (``GE`` or ``genomes``) is what the count column
    holds, for the messages.
    """
    folded = [_fold(h) for h in table.header]
    option = "ge_col" if unit == "GE" else "genomes_col"
    problems: list[Problem] = []
    index: dict[str, int] = {}
    for name in names:
        hits = [i for i, h in enumerate(folded) if h == _fold(name)]
        if not hits:
            problems.append(
                Problem(
                    f"missing column {name!r}; the file has columns"
                    f" {names_text(table.header)} but a long file needs"
                    f" {', '.join(names)} (pass group_col=, month_col=, {option}= if yours"
                    " are named differently), or use the wide layout: months in the first column,"
                    f" one column per group{_transposed_hint(table)}",
                    1,
                    name,
                )
            )
        elif len(hits) > 1:
            problems.append(Problem(f"column {name!r} appears twice; delete one", 1, name))
        else:
            index[name] = hits[0]
    if problems:
        return [], problems, []
    gi, mi, vi = (index[n] for n in names)
    group_name, month_name, ge_name = (table.column_name(i) for i in (gi, mi, vi))
    genomes_hits = (
        []
        if genomes_col is None
        else [i for i, h in enumerate(folded) if h == _fold(genomes_col) and i != vi]
    )
    if len(genomes_hits) > 1:
        problems.append(
            Problem(f"column {genomes_col!r} appears twice; delete one", 1, genomes_col)
        )
    oi = genomes_hits[0] if len(genomes_hits) == 1 else None
    counted = [vi] if oi is None else [vi, oi]
    problems.extend(stray_cells(table, (gi, mi, *counted), "delete it or give the column a header"))
    # GE and genomes are written the same way in one file: one convention for both.
    danish, style_problems = count_style(table, counted)
    problems.extend(style_problems)
    obs: list[Observation] = []
    months: list[tuple[pd.Period, int]] = []
    unknown: dict[str, list[int]] = defaultdict(list)
    for row in table.rows:
        cell_group, cell_month, cell_ge = row.cells[gi], row.cells[mi], row.cells[vi]
        key: str | None = None
        month: pd.Period | None = None
        ge: int | None = None
        if cell_group is None:
            problems.append(
                Problem("group is blank; write the group's key or name", row.number, group_name)
            )
        else:
            key = registry.match(str(cell_group))
            if key is None:
                unknown[str(cell_group)].append(row.number)
        if cell_month is None:
            problems.append(Problem("month is blank; write it as 2023-02", row.number, month_name))
        else:
            try:
                month = parse_month_cell(cell_month, table.date1904)
                months.append((month, row.number))
            except ValueError as exc:
                problems.append(Problem(str(exc), row.number, month_name))
        ge = count_or_problem(cell_ge, danish, unit, row.number, ge_name, problems)
        genomes: int | None = None
        if oi is not None:
            genomes = count_or_problem(
                row.cells[oi], danish, "genomes", row.number, table.column_name(oi), problems
            )
        if key is not None and month is not None:
            obs.append(
                Observation(
                    key,
                    month,
                    ge,
                    row.number,
                    ge_name,
                    genomes,
                    "" if oi is None else table.column_name(oi),
                )
            )
    for name, rows in unknown.items():
        also = f" (rows {rows_text(rows)})" if len(rows) > 1 else ""
        problems.append(
            Problem(
                _unknown_group(
                    registry,
                    name,
                    also,
                    "write the group's key or its Danish or English name as in the group registry",
                ),
                rows[0],
                group_name,
            )
        )
    for (key, month), rows in _repeated(obs).items():
        problems.append(
            Problem(
                f"group {key!r} has month {month} on rows {rows_text(rows)}; keep one row"
                " per group and month (add the counts up if both are real)",
                rows[1],
                month_name,
            )
        )
    return obs, problems, months


def read_wide(
    table: RawTable, registry: GroupRegistry, names: tuple[str, str, str], *, unit: str = "GE"
) -> tuple[list[Observation], list[Problem], list[tuple[pd.Period, int]]]:
    """Read a wide table: months down the first column, one column per group.

    ``unit`` (``GE`` or ``genomes``) is what the cells count, for the messages.
    """
    problems: list[Problem] = []
    group_columns: list[tuple[int, str]] = []
    column_of: dict[str, str] = {}
    unknown: list[Problem] = []
    for index, header in enumerate(table.header[1:], start=1):
        if not header:
            continue
        key = registry.match(header)
        if key is None and len(unknown) >= LISTED:
            unknown.append(Problem(header, 1, header))  # summarised below
        elif key is None:
            unknown.append(
                Problem(
                    _unknown_group(
                        registry,
                        header,
                        "",
                        "head each column with a group's key or its Danish or English name",
                    ),
                    1,
                    header,
                )
            )
        elif key in column_of:
            problems.append(
                Problem(
                    f"columns {column_of[key]!r} and {header!r} are both group {key!r};"
                    " merge them into one column",
                    1,
                    header,
                )
            )
        else:
            column_of[key] = header
            group_columns.append((index, key))
    if not group_columns:
        return [], [_layout_problem(table, names)], []
    problems.extend(unknown[:LISTED])
    if len(unknown) > LISTED:
        rest = [p.message for p in unknown[LISTED:]]
        problems.append(
            Problem(
                f"and {len(rest)} more columns that are no patient group ({names_text(rest)});"
                " head each column with a group's key or its Danish or English name, or delete"
                " the columns",
                1,
            )
        )
    used = [0, *(i for i, _ in group_columns)]
    problems.extend(stray_cells(table, used, "delete it or head the column with a group name"))
    danish, style_problems = count_style(table, [i for i, _ in group_columns])
    problems.extend(style_problems)
    rows_of_month, month_problems = month_rows(table, 0)
    problems.extend(month_problems)
    months = [(month, row) for month, rows in rows_of_month.items() for row in rows]
    cells = {row.number: row.cells for row in table.rows}
    first_rows = sorted((month, rows[0]) for month, rows in rows_of_month.items())
    obs: list[Observation] = []
    for index, key in group_columns:
        header = table.column_name(index)
        started = False
        for month, number in first_rows:
            value = cells[number][index]
            if value is None:
                if started:
                    problems.append(
                        Problem(
                            f"no count for {month} although the group has counts before it;"
                            " write 0 if nothing was sequenced",
                            number,
                            header,
                        )
                    )
                continue
            started = True
            try:
                count = parse_count(value, danish, unit)
                obs.append(Observation(key, month, count, number, header))
            except ValueError as exc:
                problems.append(Problem(str(exc), number, header))
                obs.append(Observation(key, month, None, number, header))
    for row in table.rows:  # counts on duplicated or unreadable months are still checked
        if row.number in {n for _, n in first_rows}:
            continue
        for index, _ in group_columns:
            value = row.cells[index]
            if value is not None:
                try:
                    parse_count(value, danish, unit)
                except ValueError as exc:
                    problems.append(Problem(str(exc), row.number, table.column_name(index)))
    return obs, problems, months


def month_rows(table: RawTable, index: int) -> tuple[dict[pd.Period, list[int]], list[Problem]]:
    """Read a column of months, one month per row (the wide and the national layouts).

    Returns
    -------
    tuple
        The row numbers of each month (file order), and the problems: blank or unreadable
        months, and a month on more than one row.
    """
    name = table.column_name(index)
    rows_of_month: dict[pd.Period, list[int]] = defaultdict(list)
    problems: list[Problem] = []
    for row in table.rows:
        cell = row.cells[index]
        if cell is None:
            problems.append(Problem("month is blank; write it as 2023-02", row.number, name))
            continue
        try:
            rows_of_month[parse_month_cell(cell, table.date1904)].append(row.number)
        except ValueError as exc:
            problems.append(Problem(str(exc), row.number, name))
    for month, rows in rows_of_month.items():
        if len(rows) > 1:
            problems.append(
                Problem(
                    f"month {month} is on rows {rows_text(rows)}; keep one row per month",
                    rows[1],
                    name,
                )
            )
    return dict(rows_of_month), problems


def _unknown_group(registry: GroupRegistry, name: str, also: str, fix: str) -> str:
    if is_total(name):
        return f"{name!r} is a total, not a patient group{also}; delete it (totals are computed)"
    base = f"{registry.unknown_name_message(name)}{also}"
    return f"{base}{' ' if base.endswith(('?', ')')) else '. '}Fix: {fix}."


def _transposed_hint(table: RawTable) -> str:
    """A hint to transpose when most headers after the first are months."""
    parsed = 0
    for header in table.header[1:]:
        try:
            parse_month_cell(header, table.date1904)
            parsed += 1
        except ValueError:
            pass
    if parsed and parsed >= len(table.header[1:]) / 2:
        return " (the months seem to run across the columns: transpose the table)"
    return ""


def _layout_problem(table: RawTable, names: tuple[str, str, str]) -> Problem:
    headers = names_text([h for h in table.header if h]) or "none"
    transposed = _transposed_hint(table)
    return Problem(
        f"cannot tell the layout from the header (columns: {headers}); a long file needs"
        f" the columns {', '.join(names)} (or pass group_col=, month_col=, ge_col=), a wide"
        f" file has months in the first column and one column per patient group{transposed}",
        1,
    )


def _repeated(obs: Sequence[Observation]) -> dict[tuple[str, pd.Period], list[int]]:
    rows: dict[tuple[str, pd.Period], list[int]] = defaultdict(list)
    for o in obs:
        rows[(o.key, o.month)].append(o.row)
    return {k: v for k, v in rows.items() if len(v) > 1}


def check_months(
    obs: Sequence[Observation],
    months: Sequence[tuple[pd.Period, int]],
    as_of: pd.Period,
    month_name: str,
    wide: bool,
) -> list[Problem]:
    problems = [
        Problem(
            f"month {month} is after the as-of month {as_of}; delete the row or use a later"
            " as-of month",
            row,
            month_name,
        )
        for month, row in months
        if month > as_of
    ]
    if wide:
        # A missing month row is one problem, not one per group; blank cells inside a
        # group's history were reported where they are.
        first_row: dict[pd.Period, int] = {}
        for month, row in months:
            first_row.setdefault(month, row)
        present = {m for m in first_row if m <= as_of}
        if present:
            for run in _runs(set(month_range(min(present), as_of)) - present):
                before = run[0] - 1
                problems.append(
                    Problem(
                        f"no row for {_run_text(run)}; every month up to the as-of month"
                        f" {as_of} needs a row (add it after the row for {before}, with 0 for"
                        " groups that sequenced nothing)",
                        first_row[before],
                        month_name,
                    )
                )
        return problems
    by_group: dict[str, dict[pd.Period, Observation]] = defaultdict(dict)
    for o in obs:
        if o.month <= as_of:
            by_group[o.key].setdefault(o.month, o)
    for key, present_obs in by_group.items():
        first = min(present_obs)
        for run in _runs(set(month_range(first, as_of)) - set(present_obs)):
            previous = present_obs[run[0] - 1]
            problems.append(
                Problem(
                    f"missing month: group {key!r} has no row for {_run_text(run)} (its history"
                    f" starts {first} and runs to the as-of month {as_of}; the gap follows row"
                    f" {previous.row}); add a row with ge 0 for each month nothing was sequenced",
                    previous.row,
                    month_name,
                )
            )
    return problems


def _runs(months: set[pd.Period]) -> list[list[pd.Period]]:
    runs: list[list[pd.Period]] = []
    for month in sorted(months):
        if runs and runs[-1][-1] + 1 == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def _run_text(run: Sequence[pd.Period]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]} to {run[-1]}"


def rows_text(rows: Sequence[int]) -> str:
    shown = [str(r) for r in rows[:10]]
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}{more}" if not more else ", ".join(shown) + more
