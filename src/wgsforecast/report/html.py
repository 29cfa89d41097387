"""The single self-contained HTML report: figures embedded as base64 PNG, no network needed."""

from __future__ import annotations

import base64
from html import escape
from importlib import resources
from string import Template
from typing import TYPE_CHECKING

import pandas as pd

from wgsforecast.labels import label, month_text
from wgsforecast.periods import Lang, format_month, format_number, format_percent

if TYPE_CHECKING:
    from wgsforecast.report.build import ReportContent


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
    """Render a frame as an HTML table with Danish/English number formatting."""
    head = "<th></th>" if index else ""
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        head += f'<th class="{"n" if numeric else ""}">{escape(str(column))}</th>'
    rows = []
    for key, row in frame.iterrows():
        name = str(key)
        klass = ' class="sub"' if name.endswith(("(p10)", "(p90)")) else ""
        cells = f"<th>{escape(name)}</th>" if index else ""
        cells += "".join(_cell(v, lang) for v in row.tolist())
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
    interval = ""
    if h["target_low"] is not None:
        interval = label("report_interval", lang).format(
            low=month_text(h["target_low"], lang), high=month_text(h["target_high"], lang)
        )
    cards = [
        _card(
            label("report_card_target", lang).format(target=format_number(h["target_ge"], lang)),
            month_text(h["target_month"], lang),
            interval,
        )
    ]
    deadline = format_month(h["deadline"], lang)
    if h["p_by_deadline"] is not None:
        cards.append(
            _card(
                label("report_card_p", lang).format(deadline=deadline),
                format_percent(h["p_by_deadline"], lang),
            )
        )
    cards.extend(
        _card(
            label("col_p_by", lang).format(month=format_month(month, lang)),
            format_percent(p, lang),
        )
        for month, p in h["p_later"].items()
    )
    cards.append(
        _card(
            label("report_card_done", lang).format(deadline=deadline),
            format_number(h["ge_by_deadline"], lang),
            label("report_card_left", lang).format(
                left=format_number(h["ge_left_after_deadline"], lang)
            ),
        )
    )
    change = "".join(f"<li>{escape(line)}</li>" for line in content.change)
    drivers = "".join(f"<p>{escape(line)}</p>" for line in content.drivers)
    return (
        f'<div class="headline">{"".join(cards)}</div>{drivers}'
        f"<h3>{escape(label('report_change', lang))}</h3><ul>{change}</ul>"
    )


def _figure(content: ReportContent, key: str) -> str:
    for figure in content.figures:
        if figure.key == key:
            data = base64.b64encode(figure.png).decode("ascii")
            return (
                f'<figure><img alt="{escape(figure.title)}" '
                f'src="data:image/png;base64,{data}"><figcaption>{escape(figure.title)}'
                "</figcaption></figure>"
            )
    return ""


def render_html(content: ReportContent) -> str:
    """Return the whole report as one HTML document (figures inline, no external links)."""
    from wgsforecast import __version__

    lang, main = content.lang, content.main
    parts: list[str] = []
    title = label("report_title", lang)
    parts.append(f"<h1>{escape(title)}</h1>")
    programme = main.programme.name_da if lang == "da" else main.programme.name_en
    parts.append(
        f'<p class="sub">{escape(programme)}'
        f" · {escape(label('plot_data_until', lang))} {escape(format_month(main.as_of, lang))}</p>"
    )
    if any("reconstructed" in note for note in main.data_notes):
        parts.append(f'<div class="notice">{escape(label("reconstructed", lang))}</div>')
    parts.append(f"<h2>{escape(label('report_headline', lang))}</h2>{_headline(content)}")

    if content.methods is not None:
        parts.append(f"<h2>{escape(label('report_methods', lang))}</h2>")
        parts.append(f"<p>{escape(label('report_methods_note', lang))}</p>")
        parts.append(table_html(content.methods, lang, index=False))
    parts.append(f"<h2>{escape(label('report_tables', lang))}</h2><div class='pair'>")
    parts.append(
        f"<div><h3>{escape(label('report_table1', lang))}</h3>{table_html(content.table1, lang)}"
    )
    if content.table1_published is not None:
        parts.append(
            f"<h3>{escape(label('report_table1_published', lang))}</h3>"
            f"{table_html(content.table1_published, lang)}"
        )
    parts.append("</div>")
    if content.table1_evidence is not None and content.evidence is not None:
        caption = label("report_table1_evidence", lang).format(
            engine=content.evidence.engine, paths=format_number(content.evidence.n_paths, lang)
        )
        parts.append(
            f"<div><h3>{escape(caption)}</h3>{table_html(content.table1_evidence, lang)}</div>"
        )
    parts.append("</div>")
    parts.append(_figure(content, "cumulative"))

    parts.append(f"<h2>{escape(label('report_groups', lang))}</h2>")
    parts.append(table_html(content.groups, lang, index=False, cls="groups"))
    if content.change_groups is not None:
        parts.append(f"<h3>{escape(label('report_change_groups', lang))}</h3>")
        parts.append(table_html(content.change_groups, lang, index=False))

    parts.append(f"<h2>{escape(label('report_figures', lang))}</h2>")
    for key in ("fan", "target_distribution", "monthly_by_group", "group_ramps"):
        parts.append(_figure(content, key))

    if content.scenarios is not None:
        parts.append(f"<h2>{escape(label('report_scenarios', lang))}</h2>")
        parts.append(table_html(content.scenarios, lang, index=False))
        parts.append(_figure(content, "scenarios"))
    if content.funding is not None:
        parts.append(f"<h2>{escape(label('report_funding', lang))}</h2>")
        parts.append(table_html(content.funding, lang))

    parts.append(f"<h2>{escape(label('report_quality', lang))}</h2><ul class='notes'>")
    parts.extend(f"<li>{escape(note)}</li>" for note in content.quality)
    parts.append("</ul>")

    footer = "".join(
        f"<div><b>{escape(key)}</b>: <code>{escape(value)}</code></div>"
        for key, value in content.provenance.items()
    )
    parts.append(
        f"<footer><div><b>{escape(label('report_provenance', lang))}</b></div>{footer}</footer>"
    )
    return _template().substitute(
        lang=lang, title=escape(title), version=escape(__version__), body="\n".join(parts)
    )
