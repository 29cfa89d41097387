"""The report's sentences: the headline, a change of method, the terminal's Table 1.

Texts only: every number comes from the collected :class:`ReportContent`.
"""

from __future__ import annotations

import hashlib
import textwrap

import pandas as pd

from wgsforecast.labels import LABELS, label, method_name, month_text
from wgsforecast.periods import Lang, format_month, format_number, format_percent, format_signed
from wgsforecast.prognosis import Prognosis
from wgsforecast.report.content import ReportContent, is_reconstructed
from wgsforecast.vintages import Change


def interval_suffixes(lang: Lang) -> tuple[str, str]:
    """The row-name endings of the 10 % and 90 % quantile rows, e.g. ``" (10 %-fraktil)"``."""
    return f" ({label('report_row_low', lang)})", f" ({label('report_row_high', lang)})"


def run_rate_header(window: int, lang: Lang) -> str:
    """Header of the run-rate column: the mean over the assumptions' window of months."""
    if window == 1:
        return label("report_run_rate_last_month", lang)
    return label("report_run_rate_window", lang).format(n=window)


def target_interval_text(content: ReportContent) -> str:
    """The target month's 80% interval as words (``""`` without one)."""
    h, lang = content.headline, content.lang
    if h.target_low is None:
        return ""
    return label("report_interval", lang).format(
        low=month_text(h.target_low, lang), high=month_text(h.target_high, lang)
    )


def target_month_text(content: ReportContent) -> str:
    """The target month with its 80% interval, e.g. "november 2026 (80 %-interval: ...)"."""
    month = month_text(content.headline.target_month, content.lang)
    interval = target_interval_text(content)
    return f"{month} {interval}" if interval else month


def headline_lines(content: ReportContent) -> list[str]:
    """The headline as sentences in the report's language."""
    h, lang = content.headline, content.lang
    month = target_month_text(content)
    lines = [
        label("report_target_line", lang).format(
            target=format_number(h.target_ge, lang), month=month
        )
    ]
    if h.p_by_deadline is not None:
        lines.append(
            label("report_p_deadline_line", lang).format(
                deadline=format_month(h.deadline, lang),
                p=format_percent(h.p_by_deadline, lang),
            )
        )
    lines.extend(
        label("report_p_later_line", lang).format(
            month=format_month(month, lang), p=format_percent(p, lang)
        )
        for month, p in h.p_later.items()
    )
    lines.append(
        label("report_genomes_line", lang).format(
            as_of=format_month(h.as_of, lang),
            done=format_number(h.ge_to_date, lang),
            genomes=format_number(h.genomes_to_date, lang),
            by_deadline=format_number(h.genomes_by_deadline, lang),
        )
    )
    lines.append(
        label("report_by_deadline_line", lang).format(
            deadline=format_month(h.deadline, lang),
            done=format_number(h.ge_by_deadline, lang),
            left=format_number(h.ge_left_after_deadline, lang),
        )
    )
    if content.evidence is not None:
        lines.append(
            label("report_published_method_line", lang).format(
                month=month_text(h.published_method_target, lang),
                done=format_number(h.published_method_by_deadline, lang),
            )
        )
    return lines


def method_change_line(change: Change, engine: str, lang: Lang) -> str:
    """Word a comparison on the same data by another method as a change of method.

    Parameters
    ----------
    change
        The comparison with a vintage of the same as-of month made by another method.
    engine
        Engine of the new prognosis.
    lang
        Language of the sentence.

    Returns
    -------
    str
        One sentence naming the method and the vintage, never calling the shift progress.
    """
    previous = change.previous
    name = previous.label_in(lang)
    shift = change.shift_months
    if shift is None:
        relation = label("report_against", lang)
    elif shift == 0:
        relation = label("report_same_month_as", lang)
    else:
        unit = label("vintage_month" if abs(shift) == 1 else "vintage_months", lang)
        way = label("vintage_later" if shift > 0 else "vintage_earlier", lang)
        relation = f"{abs(shift)} {unit} {way} {label('report_than', lang)}"
    now, before = change.current_by_deadline, change.previous_by_deadline
    if now is None or before is None:
        deadline = label("vintage_deadline_unknown", lang)
    else:
        diff = now - before
        deadline = label("vintage_deadline", lang).format(
            current=format_number(now, lang),
            previous=format_number(before, lang),
            diff=format_signed(diff, lang),
        )
    return label("report_method_change", lang).format(
        as_of=format_month(previous.as_of, lang),
        method=method_name(engine, lang),
        current=month_text(change.current_target, lang),
        previous=month_text(change.previous_target, lang),
        name=name,
        relation=relation,
        deadline=deadline,
    )


TERMINAL_WIDTH = 100
"""Columns the terminal output fits in."""


def terminal_table(content: ReportContent) -> str:
    """Table 1 for the terminal: ours (published method) beside the published one."""
    lang = content.lang
    ours = content.table1
    published = content.table1_published
    columns = list(ours.columns)
    width = max(len(c) for c in columns) + 2
    names = [label("report_ours", lang), label("report_published", lang)]
    name_width = max(len(name) for name in names) + 4
    title = "report_terminal_title" if published is not None else "report_table1"
    lines = [label(title, lang)]
    lines.append(" " * name_width + "".join(c.rjust(width) for c in columns))
    for row in ours.index:
        lines.append(row)
        series = [(label("report_ours", lang), ours.loc[row])]
        if published is not None:
            series.append((label("report_published", lang), published.loc[row]))
        for name, values in series:
            cells = ["-" if pd.isna(v) else format_number(float(v), lang) for v in values]
            lines.append(f"  {name}".ljust(name_width) + "".join(c.rjust(width) for c in cells))
    prose = [*headline_lines(content), *content.drivers]
    if is_reconstructed(content.main):
        prose.append(label("report_terminal_reconstructed", lang))
    lines.extend(textwrap.fill(line, TERMINAL_WIDTH) for line in prose)
    return "\n".join(lines)


def method_line(content: ReportContent) -> str:
    """The line under the headline cards naming the method of their numbers.

    Parameters
    ----------
    content
        The report.

    Returns
    -------
    str
        E.g. "Kilde til hovedtallene: Evidensbaseret model, 2.000 simulerede forløb, startværdi
        (seed) 2023." (the last card, when present, names the published method itself).
    """
    main, lang = content.main, content.lang
    method = method_name(main.engine, lang)
    if main.n_paths == 1 or main.seed is None:
        return label("report_method_line_single", lang).format(method=method)
    return label("report_method_line", lang).format(
        method=method, paths=format_number(main.n_paths, lang), seed=main.seed
    )


def _ran(prognosis: Prognosis, lang: Lang) -> str:
    """A prognosis's method with its paths and seed, for the run details."""
    name = method_name(prognosis.engine, lang)
    if prognosis.n_paths == 1 or prognosis.seed is None:
        return label("prov_ran_single", lang).format(method=name)
    return label("prov_ran", lang).format(
        method=name, paths=format_number(prognosis.n_paths, lang), seed=prognosis.seed
    )


def provenance_rows(content: ReportContent) -> list[tuple[str, str]]:
    """The run details as (name, value) rows in the report's language.

    Parameters
    ----------
    content
        The report; its ``provenance`` gives the input files' hashes, version and date.

    Returns
    -------
    list of tuple of str
        Input files with their SHA-256, the assumptions as used (name and the SHA-256 of
        all their values; ``summary.md`` lists the values), the methods with paths and
        seed, the version and the date.
    """
    lang, main = content.lang, content.main
    known = {"engine", "wgsforecast", "date"}
    rows = [
        (label(f"prov_{role}", lang) if f"prov_{role}" in LABELS else role, value)
        for role, value in content.provenance.items()
        if role not in known
    ]
    dump = main.assumptions.model_dump_json()
    digest = hashlib.sha256(dump.encode("utf-8")).hexdigest()
    rows.append(
        (label("prov_assumptions_used", lang), f"{main.assumptions.label} · sha256:{digest}")
    )
    ran = [content.published_method]
    if content.evidence is not None:
        ran.append(content.evidence)
    rows.append((label("prov_engine", lang), "; ".join(_ran(p, lang) for p in ran)))
    for key in ("wgsforecast", "date"):
        if key in content.provenance:
            rows.append((label(f"prov_{key}", lang), content.provenance[key]))
    return rows


def interval_text(median: float, low: float, high: float, lang: Lang) -> str:
    """A central value with its interval as a memo writes it: ``36.539 (31.782-42.016)``."""
    return f"{format_number(median, lang)} ({format_number(low, lang)}-{format_number(high, lang)})"
