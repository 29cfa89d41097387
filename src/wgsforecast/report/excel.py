"""The Excel workbook: an overview sheet, then the report's tables, formatted for a memo.

Number formats are stored as ``#,##0`` because the xlsx format always stores format codes in
the en-US notation; Excel shows them with the reader's separators, i.e. as ``#.##0`` and
``34.282`` in a Danish Excel. Each column has one format (whole numbers, or one decimal when
any value has decimals), dates are real Excel dates, header rows are frozen, filtered and
repeated on every printed page, and sheets print landscape on A4, one page wide.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from wgsforecast.labels import label, month_text
from wgsforecast.periods import format_month, format_number, format_percent
from wgsforecast.report.content import ReportContent, Section, is_reconstructed, sections
from wgsforecast.report.quarters import genomes_note
from wgsforecast.report.text import (
    interval_text,
    method_line,
    provenance_rows,
    target_month_text,
)

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
DATE_FORMAT = "mmm yyyy"
NOTE_FONT = Font(italic=True, color="7F6000")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)


def _value(value: Any) -> Any:
    """A cell value openpyxl writes: ``None`` for missing, Python scalars, real dates."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, pd.Period):
        return value.to_timestamp().to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _number_format(values: list[Any]) -> str | None:
    """One format per column: a date, whole numbers, or one decimal if any value needs it."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, dt.datetime) for v in present):
        return DATE_FORMAT
    numbers = [v for v in present if isinstance(v, int | float) and not isinstance(v, bool)]
    if not numbers:
        return None
    return DECIMAL_FORMAT if any(not float(v).is_integer() for v in numbers) else INTEGER_FORMAT


def _print_setup(sheet: Worksheet, header_row: int) -> None:
    """Landscape A4, one page wide, the header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _widths(sheet: Worksheet, first_row: int) -> None:
    """Size each column to its longest text, within 8 and 48 characters."""
    for column in sheet.iter_cols(min_row=first_row):
        texts = [
            f"{c.value:,.0f}" if isinstance(c.value, int | float) else str(c.value or "")
            for c in column
        ]
        letter = get_column_letter(column[0].column or 1)
        sheet.column_dimensions[letter].width = min(max(max(map(len, texts)) + 2, 8), 48)


def _table_sheet(workbook: Workbook, section: Section, total: str, note: str) -> Worksheet:
    """One section as a sheet: note row, header row, data rows, formats, filter, print."""
    frame = section.workbook if section.workbook is not None else section.frame
    sheet: Worksheet = workbook.create_sheet(title=section.sheet[:31])
    sheet.append([note])
    sheet["A1"].font = NOTE_FONT
    header = ([""] if section.index else []) + [str(c) for c in frame.columns]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    rows = [
        ([str(name)] if section.index else []) + [_value(v) for v in row]
        for name, row in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]
    for values in rows:
        sheet.append(values)
        if values and values[0] == total:
            for cell in sheet[sheet.max_row]:
                cell.font = HEADER_FONT
    for number, column in enumerate(zip(*rows, strict=True) if rows else [], start=1):
        fmt = _number_format(list(column))
        if fmt is not None:
            for row in range(3, 3 + len(rows)):
                sheet.cell(row=row, column=number).number_format = fmt
    for number, text in enumerate(section.notes, start=3 + len(rows) + 1):
        sheet.cell(row=number, column=1, value=text).font = NOTE_FONT
    sheet.freeze_panes = "B3" if section.index else "A3"
    if rows and not section.index:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(header))}{2 + len(rows)}"
    _print_setup(sheet, header_row=2)
    _widths(sheet, first_row=2)
    return sheet


def overview_rows(content: ReportContent) -> list[tuple[str, str]]:
    """The headline as (item, value) rows for the overview sheet, intervals as text.

    The GE by the deadline reads "36.539 (31.782-42.016)": median and 80 % interval over
    the paths (:meth:`Prognosis.deadline_summary`), as a memo quotes it.
    """
    h, lang, main = content.headline, content.lang, content.main
    deadline = format_month(h.deadline, lang)
    month = target_month_text(content)
    rows = [(label("xl_target_month", lang).format(target=format_number(h.target_ge, lang)), month)]
    if h.p_by_deadline is not None:
        rows.append(
            (
                label("xl_p_by", lang).format(month=deadline),
                format_percent(h.p_by_deadline, lang),
            )
        )
    rows.extend(
        (label("xl_p_by", lang).format(month=format_month(m, lang)), format_percent(p, lang))
        for m, p in h.p_later.items()
    )
    if main.n_paths > 1:
        summary = main.deadline_summary()
        low, high = summary.ge[0.1], summary.ge[0.9]
        done = interval_text(h.ge_by_deadline, low, high, lang)
    else:
        done = format_number(h.ge_by_deadline, lang)
    rows.append((label("xl_ge_by_deadline", lang).format(deadline=deadline), done))
    as_of = format_month(h.as_of, lang)
    rows.append(
        (label("xl_ge_to_date", lang).format(as_of=as_of), format_number(h.ge_to_date, lang))
    )
    rows.append(
        (
            label("xl_genomes_to_date", lang).format(as_of=as_of),
            format_number(h.genomes_to_date, lang),
        )
    )
    rows.append(
        (
            label("xl_genomes_by_deadline", lang).format(deadline=deadline),
            format_number(h.genomes_by_deadline, lang),
        )
    )
    if content.evidence is not None:
        rows.append(
            (label("xl_published_method", lang), month_text(h.published_method_target, lang))
        )
    return rows


def memo_table(content: ReportContent) -> pd.DataFrame | None:
    """Table 1 of the evidence forecast with each cell as text "median (p10-p90)"."""
    evidence = content.evidence
    if evidence is None or evidence.n_paths == 1:
        return None
    lang = content.lang
    intervals = evidence.yearly_intervals((0.1, 0.5, 0.9), lang)
    names = evidence.yearly_table(lang).index
    rows = {}
    for measure, name in zip(("per_period", "total"), names, strict=True):
        part = intervals[intervals["measure"] == measure]
        cells = zip(*(part[c].to_numpy(float) for c in ("p50", "p10", "p90")), strict=True)
        rows[name] = {
            str(period): "–"
            if np.isnan(mid)
            else format_number(mid, lang)
            if low == high  # actuals: no interval
            else interval_text(mid, low, high, lang)
            for period, (mid, low, high) in zip(part["period"], cells, strict=True)
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _overview(workbook: Workbook, content: ReportContent, note: str) -> None:
    """The first sheet: headline, as-of, method, change, memo table, assumptions, run."""
    lang, main = content.lang, content.main
    sheet = workbook.create_sheet(title=label("report_sheet_overview", lang))
    sheet.append([label("report_title", lang)])
    sheet["A1"].font = TITLE_FONT
    programme = main.programme.name(lang)
    sheet.append([programme])
    sheet.append([label("xl_data_until", lang), format_month(main.as_of, lang)])
    if note:
        sheet.append([note])
        sheet.cell(row=sheet.max_row, column=1).font = NOTE_FONT

    def heading(text: str) -> None:
        sheet.append([])
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).font = HEADING_FONT

    def pairs(rows: list[tuple[str, str]]) -> None:
        for key, value in rows:
            sheet.append([key, value])
            sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(horizontal="right")

    heading(label("report_headline", lang))
    pairs(overview_rows(content))
    sheet.append([method_line(content)])
    heading(label("xl_change", lang))
    for line in content.change:
        sheet.append([line])
    memo = memo_table(content)
    if memo is not None:
        heading(label("xl_memo_table", lang))
        sheet.append(["", *map(str, memo.columns)])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for name, row in memo.iterrows():
            sheet.append([str(name), *row.tolist()])
    if content.methods is not None:
        heading(label("report_methods", lang))
        sheet.append([str(c) for c in content.methods.columns])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for values in content.methods.itertuples(index=False):
            sheet.append([_value(v) for v in values])
    heading(label("xl_assumptions", lang))
    for line in [*content.quality, genomes_note(content.main, lang)]:
        if line != note:  # the reconstructed-data note stands at the top already
            sheet.append([line])
    heading(label("xl_run", lang))
    pairs(provenance_rows(content))
    sheet.column_dimensions["A"].width = 62
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 22
    _print_setup(sheet, header_row=1)
    sheet.print_title_rows = None


def write_workbook(content: ReportContent, path: Path) -> Path:
    """Write the report to one .xlsx workbook: an overview sheet, then one sheet per section.

    The overview gives the headline (intervals as text, e.g. "36.539 (31.782-42.016)"), the
    as-of month, the method, the change since the previous prognosis, the assumptions and
    the run details; the other sheets are :func:`sections` marked for the workbook, in
    their reading form (names for keys, real dates, the report's language).
    """
    lang = content.lang
    note = label("reconstructed", lang) if is_reconstructed(content.main) else ""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    _overview(workbook, content, note)
    total = label("report_total", lang)
    for section in sections(content):
        if section.shown_in("xlsx"):
            _table_sheet(workbook, section, total, note)
    workbook.save(path)
    return path
