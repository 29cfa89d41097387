"""The single self-contained HTML report: figures embedded as base64 PNG, no network needed."""

from __future__ import annotations

import base64
from html import escape
from importlib import resources
from string import Template

import pandas as pd

from wgsforecast._version import package_version
from wgsforecast.labels import LABELS, label, month_text
from wgsforecast.periods import Lang, format_month, format_number, format_percent
from wgsforecast.report.content import (
    ReportContent,
    Section,
    is_reconstructed,
    sections,
)
from wgsforecast.report.text import (
    interval_suffixes,
    method_line,
    provenance_rows,
    target_interval_text,
)


def _template() -> Template:
    text = resources.files("wgsforecast.report").joinpath("template.html").read_text("utf-8")
    return Template(text)


def _cell(value: object, lang: Lang) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return '<td class="n">–</td>'
    if isinstance(value, bool):
        return f"<td>{escape(str(value))}</td>"
    if isinstance(value, int | float):
        decimals = 0 if float(value).is_integer() or abs(float(value)) >= 100 else 1
        return f'<td class="n">{format_number(float(value), lang, decimals)}</td>'
    return f"<td>{escape(str(value))}</td>"


def table_html(frame: pd.DataFrame, lang: Lang, index: bool = True, cls: str = "") -> str:
    """Render a frame as an HTML table with Danish/English number formatting.

    Parameters
    ----------
    frame
        The table; its index becomes the first column when ``index`` is true.
    lang
        Language of the number format.
    index
        Whether to show the index.
    cls
        CSS class of the table.

    Returns
    -------
    str
        The table inside a box that scrolls sideways on a narrow screen (never the page).
    """
    quantile_rows = interval_suffixes(lang)
    head = "<th></th>" if index else ""
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        head += f'<th class="{"n" if numeric else ""}">{escape(str(column))}</th>'
    rows = []
    for key, row in frame.iterrows():
        name = str(key)
        values = row.tolist()
        if name.endswith(quantile_rows):
            klass = ' class="sub"'
        elif values and values[0] == label("report_total", lang):
            klass = ' class="total"'
        else:
            klass = ""
        cells = f"<th>{escape(name)}</th>" if index else ""
        cells += "".join(_cell(v, lang) for v in values)
        rows.append(f"<tr{klass}>{cells}</tr>")
    return (
        f'<div class="wide"><table class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _card(key: str, value: str, sub: str = "") -> str:
    extra = f'<div class="s">{escape(sub)}</div>' if sub else ""
    return (
        f'<div class="card"><div class="k">{escape(key)}</div>'
        f'<div class="v">{escape(value)}</div>{extra}</div>'
    )


def _headline(content: ReportContent) -> str:
    h, lang = content.headline, content.lang
    interval = target_interval_text(content)
    cards = [
        _card(
            label("report_card_target", lang).format(target=format_number(h.target_ge, lang)),
            month_text(h.target_month, lang),
            interval,
        )
    ]
    deadline = format_month(h.deadline, lang)
    if h.p_by_deadline is not None:
        cards.append(
            _card(
                label("report_card_p", lang).format(deadline=deadline),
                format_percent(h.p_by_deadline, lang),
            )
        )
    cards.extend(
        _card(
            label("col_p_by", lang).format(month=format_month(month, lang)),
            format_percent(p, lang),
        )
        for month, p in h.p_later.items()
    )
    cards.append(
        _card(
            label("report_card_done", lang).format(deadline=deadline),
            format_number(h.ge_by_deadline, lang),
            label("report_card_left", lang).format(
                left=format_number(h.ge_left_after_deadline, lang)
            )
            + " · "
            + label("report_card_genomes", lang).format(
                genomes=format_number(h.genomes_by_deadline, lang)
            ),
        )
    )
    cards.append(
        _card(
            label("report_card_to_date", lang).format(as_of=format_month(h.as_of, lang)),
            f"{format_number(h.ge_to_date, lang)} GE",
            label("report_card_genomes", lang).format(
                genomes=format_number(h.genomes_to_date, lang)
            ),
        )
    )
    if content.evidence is not None:
        cards.append(
            _card(
                label("report_card_published", lang),
                month_text(h.published_method_target, lang),
                label("report_card_published_sub", lang).format(
                    done=format_number(h.published_method_by_deadline, lang),
                    deadline=deadline,
                ),
            )
        )
    change = "".join(f"<li>{escape(line)}</li>" for line in content.change)
    drivers = "".join(f"<p>{escape(line)}</p>" for line in content.drivers)
    return (
        f'<div class="headline">{"".join(cards)}</div>'
        f'<p class="method">{escape(method_line(content))}</p>{drivers}'
        f"<h3>{escape(label('report_change', lang))}</h3><ul>{change}</ul>"
    )


def _provenance(content: ReportContent) -> str:
    rows = "".join(
        f"<tr><th>{escape(key)}</th><td><code>{escape(value)}</code></td></tr>"
        for key, value in provenance_rows(content)
    )
    title = escape(label("report_provenance", content.lang))
    return f'<footer><h3>{title}</h3><table class="prov"><tbody>{rows}</tbody></table></footer>'


def _figure(content: ReportContent, key: str) -> str:
    for figure in content.figures:
        if figure.key == key:
            data = base64.b64encode(figure.png).decode("ascii")
            # The title is in the image; the caption says how to read it.
            caption = LABELS.get(f"report_caption_{key}", {}).get(content.lang, figure.title)
            if key == "group_ramps" and content.main.national_ceiling is not None:
                # Without this, every live group's falling median looks like an error.
                caption += " " + label("report_caption_group_ramps_ceiling", content.lang)
            return (
                f'<figure><img alt="{escape(figure.title)}" '
                f'src="data:image/png;base64,{data}"><figcaption>{escape(caption)}'
                "</figcaption></figure>"
            )
    return ""


def _section(section: Section, lang: Lang) -> str:
    """One table with its heading and notes."""
    heading = f"<h3>{escape(section.title)}</h3>" if section.title else ""
    notes = "".join(f'<p class="note">{escape(note)}</p>' for note in section.notes)
    table = table_html(section.frame, lang, index=section.index, cls=section.cls)
    return f'<section id="{section.key}">{heading}{table}{notes}</section>'


def _sections(content: ReportContent) -> list[str]:
    """The report's tables (:func:`sections`) with their chapters and figures.

    Sections marked ``pair`` sit side by side on a wide screen; the figures' chapter
    follows the patient groups.
    """
    lang = content.lang
    parts: list[str] = []
    chapter = ""
    pair_open = False
    figures_chapter = label("report_groups", lang)
    figures_done = False

    def figures() -> None:
        parts.append(f"<h2>{escape(label('report_figures', lang))}</h2>")
        for key in ("fan", "target_distribution", "monthly_by_group", "group_ramps"):
            parts.append(_figure(content, key))

    for section in (s for s in sections(content) if s.shown_in("html")):
        if pair_open and not section.pair:
            parts.append("</div>")
            pair_open = False
        if section.chapter != chapter:
            if chapter == figures_chapter:
                figures()
                figures_done = True
            chapter = section.chapter
            parts.append(f"<h2>{escape(chapter)}</h2>")
        if section.pair and not pair_open:
            parts.append("<div class='pair'>")
            pair_open = True
        parts.append(_section(section, lang))
        if section.figure is not None:
            if pair_open:
                parts.append("</div>")
                pair_open = False
            parts.append(_figure(content, section.figure))
    if pair_open:
        parts.append("</div>")
    if not figures_done:
        figures()
    return parts


def render_html(content: ReportContent) -> str:
    """Return the whole report as one HTML document (figures inline, no external links)."""
    lang, main = content.lang, content.main
    parts: list[str] = []
    title = label("report_title", lang)
    parts.append(f"<h1>{escape(title)}</h1>")
    programme = main.programme.name(lang)
    parts.append(
        f'<p class="sub">{escape(programme)}'
        f" · {escape(label('plot_data_until', lang))} {escape(format_month(main.as_of, lang))}</p>"
    )
    if is_reconstructed(main):
        parts.append(f'<div class="notice">{escape(label("reconstructed", lang))}</div>')
    parts.append(f"<h2>{escape(label('report_headline', lang))}</h2>{_headline(content)}")
    parts.extend(_sections(content))
    parts.append(f"<h2>{escape(label('report_quality', lang))}</h2><ul class='notes'>")
    parts.extend(f"<li>{escape(note)}</li>" for note in content.quality)
    parts.append("</ul>")
    parts.append(_provenance(content))
    return _template().substitute(
        lang=lang, title=escape(title), version=escape(package_version()), body="\n".join(parts)
    )
