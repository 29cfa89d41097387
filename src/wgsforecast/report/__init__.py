"""The quarterly report: one self-contained HTML file, an Excel workbook, CSV tables,
figures (PNG and SVG) and a Markdown summary, all from the same collected content."""

from wgsforecast.report.build import ReportContent, ReportResult, build_report, collect

__all__ = ["ReportContent", "ReportResult", "build_report", "collect"]
