"""The short Markdown summary (``summary.md``) of the quarterly report."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_month, format_number

if TYPE_CHECKING:
    from wgsforecast.report.build import ReportContent


def markdown_table(frame: pd.DataFrame, lang: Lang) -> str:
    """Render a frame (index = row names) as a Markdown table with localised numbers."""
    header = ["", *map(str, frame.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, row in frame.iterrows():
        cells = [_cell(v, lang) for v in row.tolist()]
        lines.append("| " + " | ".join([str(name), *cells]) + " |")
    return "\n".join(lines)


def _cell(value: object, lang: Lang) -> str:
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "–"
    return format_number(float(value), lang)  # type: ignore[arg-type]


def render_markdown(content: ReportContent) -> str:
    """Return the Markdown summary: headline, Table 1 (ours and published), notes."""
    from wgsforecast.report.build import headline_lines

    lang = content.lang
    main = content.main
    out = [
        f"# {label('report_title', lang)}",
        "",
        f"{label('plot_data_until', lang).capitalize()} {format_month(main.as_of, lang)}.",
        "",
    ]
    if any("reconstructed" in note for note in main.data_notes):
        out += [f"> **{label('reconstructed', lang)}**", ""]
    out += [f"## {label('report_headline', lang)}", ""]
    out += [f"- {line}" for line in headline_lines(content)]
    out += [f"- {line}" for line in content.drivers]
    out += [f"- {line}" for line in content.change]
    if content.methods is not None:
        methods = content.methods.set_index(content.methods.columns[0])
        out += ["", f"## {label('report_methods', lang)}", "", label("report_methods_note", lang)]
        out += ["", markdown_table(methods, lang)]
    out += ["", f"## {label('report_table1', lang)}", "", markdown_table(content.table1, lang)]
    if content.table1_published is not None:
        out += [
            "",
            f"## {label('report_table1_published', lang)}",
            "",
            markdown_table(content.table1_published, lang),
        ]
    if content.table1_evidence is not None and content.evidence is not None:
        caption = label("report_table1_evidence", lang).format(
            engine=content.evidence.engine, paths=format_number(content.evidence.n_paths, lang)
        )
        out += ["", f"## {caption}", "", markdown_table(content.table1_evidence, lang)]
    out += ["", f"## {label('report_quality', lang)}", ""]
    out += [f"- {note}" for note in content.quality]
    out += ["", f"## {label('report_provenance', lang)}", ""]
    out += [f"- {key}: `{value}`" for key, value in content.provenance.items()]
    return "\n".join(out) + "\n"
