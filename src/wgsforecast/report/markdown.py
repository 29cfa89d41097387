"""The short Markdown summary (``summary.md``) of the quarterly report."""

from __future__ import annotations

import pandas as pd

from wgsforecast._markdown import markdown_table
from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_month, format_number
from wgsforecast.report.content import ReportContent, Section, is_reconstructed, sections
from wgsforecast.report.text import headline_lines, provenance_rows


def frame_markdown(frame: pd.DataFrame, lang: Lang) -> str:
    """Render a frame (index = row names) as a Markdown table with localised numbers."""
    rows = [[str(name), *(_cell(v, lang) for v in row.tolist())] for name, row in frame.iterrows()]
    return markdown_table(["", *map(str, frame.columns)], rows)


def _cell(value: object, lang: Lang) -> str:
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "–"
    return format_number(float(value), lang)  # type: ignore[arg-type]


def _section(section: Section, lang: Lang) -> list[str]:
    """A section as a heading, its notes and its table (the first column as row names)."""
    frame = section.frame if section.index else section.frame.set_index(section.frame.columns[0])
    heading = section.title or section.chapter
    out = ["", f"## {heading}", ""]
    for note in section.notes:
        out += [note, ""]
    return [*out, frame_markdown(frame, lang)]


def render_markdown(content: ReportContent) -> str:
    """Return the Markdown summary: headline, the sections marked ``md``, notes."""
    lang = content.lang
    main = content.main
    out = [
        f"# {label('report_title', lang)}",
        "",
        f"{label('plot_data_until', lang).capitalize()} {format_month(main.as_of, lang)}.",
        "",
    ]
    if is_reconstructed(main):
        out += [f"> **{label('reconstructed', lang)}**", ""]
    out += [f"## {label('report_headline', lang)}", ""]
    out += [f"- {line}" for line in headline_lines(content)]
    out += [f"- {line}" for line in content.drivers]
    out += [f"- {line}" for line in content.change]
    for section in sections(content):
        if section.shown_in("md"):
            out += _section(section, lang)
    out += ["", f"## {label('report_quality', lang)}", ""]
    out += [f"- {note}" for note in content.quality]
    out += ["", f"## {label('report_provenance', lang)}", ""]
    out += [f"- {key}: `{value}`" for key, value in provenance_rows(content)]
    values = content.main.assumptions.model_dump_json()
    out += [f"- {label('prov_assumption_values', lang)}: `{values}`"]
    return "\n".join(out) + "\n"
