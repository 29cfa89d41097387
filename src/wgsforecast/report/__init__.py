"""The quarterly report: one self-contained HTML file, an Excel workbook, CSV tables,
figures (PNG and SVG) and a Markdown summary, all from the same collected content.

Modules, from the bottom up: :mod:`~wgsforecast.report.content` (the report as data: its
sections), :mod:`~wgsforecast.report.tables` and :mod:`~wgsforecast.report.text` (tables and
sentences), :mod:`~wgsforecast.report.collecting` (running the engines), the writers
(:mod:`~wgsforecast.report.html`, :mod:`~wgsforecast.report.markdown`,
:mod:`~wgsforecast.report.excel`, :mod:`~wgsforecast.report.writing`) and
:mod:`~wgsforecast.report.build` (the entry point).
"""

from wgsforecast.report.build import ReportResult, build_report
from wgsforecast.report.collecting import collect
from wgsforecast.report.content import ReportContent

__all__ = ["ReportContent", "ReportResult", "build_report", "collect"]
