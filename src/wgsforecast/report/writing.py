"""Write the collected report into its output folder: CSV, figures, Markdown, HTML, Excel.

The writers format :func:`wgsforecast.report.content.sections`; this module only decides the
file names and installs the files safely (:mod:`wgsforecast.report.output`).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from wgsforecast.csv_export import csv_bytes
from wgsforecast.io import PathLike
from wgsforecast.periods import Lang
from wgsforecast.report import messages
from wgsforecast.report.content import ReportContent, csv_tables
from wgsforecast.report.excel import write_workbook
from wgsforecast.report.html import render_html
from wgsforecast.report.markdown import render_markdown
from wgsforecast.report.output import Log, check_folder, clean_staging, install, locked, stderr_log

HTML_NAME: dict[Lang, str] = {"da": "rapport.html", "en": "report.html"}
WORKBOOK_NAME: dict[Lang, str] = {"da": "tabeller.xlsx", "en": "tables.xlsx"}
MAX_HTML_BYTES = 5_000_000


def write_report(content: ReportContent, out: PathLike, log: Log = stderr_log) -> tuple[Path, ...]:
    """Write every output of the report into ``out``; return the files written.

    ``out`` must be empty, missing, or hold an earlier report (see
    :mod:`wgsforecast.report.output`): a file the report did not write is never replaced,
    and a folder with files of other origin is refused before anything is written.
    Everything is first written into a staging folder inside ``out`` and then moved into
    place file by file with :func:`os.replace`, so a failure while building leaves the
    previous outputs untouched, and a kill while moving is completed by the next run.
    Files an earlier report wrote and this one did not are then removed. A lock refuses a
    second report into the same folder at the same time. CSV tables are written for the
    report's language (see :func:`csv_bytes`).

    Raises
    ------
    OutputFolderError
        If ``out`` is a file, holds files that are not an earlier report's, or a file the
        report writes exists and is not its own.
    BusyError
        If another report is being written into ``out``.
    """
    folder = Path(out)
    check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        clean_staging(folder, log, content.lang)
        check_folder(folder)  # again, now that no other run can change it
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".report-", suffix=".part"))
        try:
            files: dict[str, bytes] = {}
            for name, frame in csv_tables(content).items():
                files[f"{name}.csv"] = csv_bytes(frame, content.lang)
            for figure in content.figures:
                files[f"figures/{figure.key}.png"] = figure.png
                files[f"figures/{figure.key}.svg"] = figure.svg
            files["summary.md"] = render_markdown(content).encode("utf-8")
            log(messages.WRITE_HTML(content.lang))
            html = render_html(content).encode("utf-8")
            if len(html) > MAX_HTML_BYTES:
                raise RuntimeError(
                    f"the HTML report is {len(html):,} bytes, over the {MAX_HTML_BYTES:,} limit"
                )
            files[HTML_NAME[content.lang]] = html
            for relative, data in files.items():
                path = staging / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            log(messages.WRITE_WORKBOOK(content.lang))
            write_workbook(content, staging / WORKBOOK_NAME[content.lang])
            written = install(staging, folder, log, content.lang)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return written
