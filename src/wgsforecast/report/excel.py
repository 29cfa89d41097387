"""The Excel workbook: the report's tables, formatted for pasting into a memo.

Number formats are stored as ``#,##0`` because the xlsx format always stores format codes in
the en-US notation; Excel shows them with the reader's separators, i.e. as ``#.##0`` and
``34.282`` in a Danish Excel. Header rows are frozen and columns sized to their contents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from wgsforecast.labels import label
from wgsforecast.report.content import ReportContent, is_reconstructed, sections

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"


def _sheet(workbook: Any, title: str, frame: pd.DataFrame, index: bool, note: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([note])
    sheet["A1"].font = Font(italic=True, color="7F6000")
    columns = ([""] if index else []) + [str(c) for c in frame.columns]
    sheet.append(columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for name, row in frame.iterrows():
        values: list[Any] = [str(name)] if index else []
        for value in row.tolist():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                values.append(None)
            elif hasattr(value, "item"):
                values.append(value.item())
            else:
                values.append(value)
        sheet.append(values)
    for column_cells in sheet.iter_cols(min_row=3):
        for cell in column_cells:
            if isinstance(cell.value, float) and not cell.value.is_integer():
                cell.number_format = DECIMAL_FORMAT
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = INTEGER_FORMAT
    sheet.freeze_panes = "B3" if index else "A3"
    for number, title_text in enumerate(columns, start=1):
        letter = sheet.cell(row=2, column=number).column_letter
        longest = max(
            [len(title_text)]
            + [
                len(f"{c.value:,.0f}" if isinstance(c.value, int | float) else str(c.value or ""))
                for c in sheet[letter][2:]
            ]
        )
        sheet.column_dimensions[letter].width = min(max(longest + 2, 8), 48)


def write_workbook(content: ReportContent, path: Path) -> Path:
    """Write the report's tables to one .xlsx workbook (one sheet per section)."""
    from openpyxl import Workbook

    note = label("reconstructed", content.lang) if is_reconstructed(content.main) else ""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for section in sections(content):
        if section.shown_in("xlsx"):
            _sheet(workbook, section.sheet, section.frame, section.index, note)
    workbook.save(path)
    return path
