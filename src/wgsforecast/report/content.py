"""What the report shows, as data: the collected content and its tables as a list of sections.

The writers (HTML, Markdown, Excel, CSV) import this module and render :func:`sections` in
order, so a new table is added here once and appears in every output that lists it. Nothing
here computes a statistic or formats a number; :mod:`wgsforecast.report.collecting` fills
:class:`ReportContent` and :mod:`wgsforecast.report.tables` builds its frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from wgsforecast._data_notes import is_reconstructed as has_reconstructed_note
from wgsforecast.labels import label, method_name
from wgsforecast.models import ProgrammeData
from wgsforecast.periods import Lang, format_number
from wgsforecast.prognosis import Prognosis
from wgsforecast.report.figures import Figure

if TYPE_CHECKING:
    from wgsforecast.scenarios import ScenarioComparison

PUBLISHED_ENGINE = "runrate"
"""The method NGC published (item 112/23): the report always shows it."""
EVIDENCE_ENGINE = "adoption"
"""The engine of the headline unless another is asked for."""

Output = Literal["html", "md", "xlsx", "csv"]
EVERYWHERE: frozenset[Output] = frozenset({"html", "md", "xlsx", "csv"})
TABLES: frozenset[Output] = frozenset({"html", "xlsx", "csv"})
DATA: frozenset[Output] = frozenset({"xlsx", "csv"})


def is_reconstructed(prognosis: Prognosis) -> bool:
    """True when the prognosis was made from reconstructed (not public) data."""
    return has_reconstructed_note(prognosis.data_notes)


class Headline(BaseModel):
    """The headline numbers, made by :func:`wgsforecast.report.collecting.headline`.

    Central values are medians over paths (the value itself for the published method).

    Attributes
    ----------
    engine, n_paths, seed
        The headline prognosis's engine, number of paths and seed (``None``: none).
    as_of, target_ge, deadline
        Its as-of month, the programme's target and funding-deadline month.
    target_month
        Median month the target is reached (``None``: not within the horizon).
    target_low, target_high
        That month at P10 and P90 (``None`` for one path, or beyond the horizon).
    p_by_deadline
        P(target by the end of the deadline month); ``None`` for one path.
    p_later
        P(target by each later month the report names); empty for one path.
    ge_by_deadline, ge_left_after_deadline
        Cumulative GE at the end of the deadline month, and the target's GE left after it.
    ge_to_date, genomes_to_date, genomes_by_deadline
        GE and genomes (GE x each group's ASSUMED genomes per GE) done to the as-of month,
        and genomes by the deadline.
    published_method_target, published_method_by_deadline
        The published method's target month and GE by the deadline, beside them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    engine: str
    n_paths: int
    seed: int | None
    as_of: pd.Period
    target_ge: int
    deadline: pd.Period
    target_month: pd.Period | None
    target_low: pd.Period | None
    target_high: pd.Period | None
    p_by_deadline: float | None
    p_later: dict[pd.Period, float]
    ge_by_deadline: float
    ge_left_after_deadline: float
    ge_to_date: float
    genomes_to_date: float
    genomes_by_deadline: float
    published_method_target: pd.Period | None
    published_method_by_deadline: float


@dataclass
class ReportContent:
    """Everything the report shows, ready for the HTML, Markdown and Excel writers.

    Built by :func:`wgsforecast.report.collecting.collect`; the writers only format it.
    ``quarters`` and ``progress`` are the quarterly view and the per-group progress table
    (:mod:`wgsforecast.report.tables`), ``previous`` names the vintage the quarterly view
    and the change lines compare with (``None``: there is none).
    """

    lang: Lang
    data: ProgrammeData
    published_method: Prognosis
    evidence: Prognosis | None
    headline: Headline
    table1: pd.DataFrame
    table1_published: pd.DataFrame | None
    table1_evidence: pd.DataFrame | None
    groups: pd.DataFrame
    monthly: pd.DataFrame
    cumulative: pd.DataFrame
    change: list[str]
    change_groups: pd.DataFrame | None
    figures: list[Figure] = field(default_factory=list)
    scenarios: pd.DataFrame | None = None
    scenario_comparison: ScenarioComparison | None = None
    funding: pd.DataFrame | None = None
    quality: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)
    methods: pd.DataFrame | None = None
    drivers: list[str] = field(default_factory=list)
    quarters: pd.DataFrame | None = None
    quarter_notes: list[str] = field(default_factory=list)
    progress: pd.DataFrame | None = None
    progress_notes: list[str] = field(default_factory=list)
    monthly_sheet: pd.DataFrame | None = None
    cumulative_sheet: pd.DataFrame | None = None

    @property
    def main(self) -> Prognosis:
        """The prognosis the headline is about: the evidence-based one when present."""
        return self.evidence if self.evidence is not None else self.published_method


@dataclass(frozen=True)
class Section:
    """One table of the report, as every writer shows it.

    Parameters
    ----------
    key
        File stem of its CSV (``quarters`` -> ``quarters.csv``) and its HTML id.
    chapter
        Heading of the part of the report it belongs to (consecutive sections of one
        chapter share the heading).
    title
        Its own heading (empty: the chapter heading is enough).
    frame
        The table; numbers stay numbers, formatted by each writer.
    index
        True when the frame's index holds row names (Table 1's rows) shown as a first column.
    notes
        Sentences shown under the table (and above it in the workbook).
    sheet
        Workbook sheet name.
    outputs
        Where it appears: ``html``, ``md`` (summary.md), ``xlsx``, ``csv``.
    cls
        CSS class of the HTML table.
    pair
        Shown beside the neighbouring ``pair`` sections in the HTML (Table 1 and its kin).
    figure
        Key of a figure the HTML shows right after the section, if any.
    workbook
        The table as the workbook shows it, when that differs from ``frame`` (names for
        keys, real dates, headers in the report's language); ``None``: ``frame``.
    """

    key: str
    chapter: str
    title: str
    frame: pd.DataFrame
    index: bool = False
    notes: tuple[str, ...] = ()
    sheet: str = ""
    outputs: frozenset[Output] = EVERYWHERE
    cls: str = ""
    pair: bool = False
    figure: str | None = None
    workbook: pd.DataFrame | None = None

    def shown_in(self, output: Output) -> bool:
        """True when the section appears in ``output``."""
        return output in self.outputs


def _rows(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """A frame with row names as its first column (for CSV, where there is no index)."""
    return frame.reset_index(names=label("report_row", lang))


def sections(content: ReportContent) -> list[Section]:
    """The report's tables in the order every writer shows them.

    Parameters
    ----------
    content
        The collected report.

    Returns
    -------
    list of Section
        Only the sections the content has (no scenarios without ``--scenarios`` ...).
    """
    lang = content.lang
    out: list[Section] = []
    if content.methods is not None:
        out.append(
            Section(
                "methods",
                label("report_methods", lang),
                "",
                content.methods,
                notes=(label("report_methods_note", lang),),
                # The workbook shows it on its first sheet, beside the headline.
                outputs=frozenset({"html", "md", "csv"}),
            )
        )
    tables_chapter = label("report_tables", lang)
    out.append(
        Section(
            "table1_published_method",
            tables_chapter,
            label("report_table1", lang),
            content.table1,
            index=True,
            sheet=label("report_sheet_table1", lang),
            pair=True,
        )
    )
    if content.table1_published is not None:
        out.append(
            Section(
                "table1_published",
                tables_chapter,
                label("report_table1_published", lang),
                content.table1_published,
                index=True,
                sheet=label("report_sheet_published", lang),
                pair=True,
            )
        )
    if content.table1_evidence is not None and content.evidence is not None:
        out.append(
            Section(
                "table1_evidence",
                tables_chapter,
                label("report_table1_evidence", lang).format(
                    engine=method_name(content.evidence.engine, lang),
                    paths=format_number(content.evidence.n_paths, lang),
                ),
                content.table1_evidence,
                index=True,
                sheet=label("report_sheet_evidence", lang),
                pair=True,
                figure="cumulative",
            )
        )
    else:
        out[-1] = _with_figure(out[-1], "cumulative")
    if content.quarters is not None:
        out.append(
            Section(
                "quarters",
                label("report_quarters", lang),
                "",
                content.quarters,
                notes=tuple(content.quarter_notes),
                sheet=label("report_sheet_quarters", lang),
                cls="quarters",
            )
        )
    groups_chapter = label("report_groups", lang)
    if content.progress is not None:
        out.append(
            Section(
                "progress",
                groups_chapter,
                label("report_progress", lang),
                content.progress,
                notes=tuple(content.progress_notes),
                sheet=label("report_sheet_progress", lang),
                outputs=TABLES,
                cls="progress",
            )
        )
    out.append(
        Section(
            "groups",
            groups_chapter,
            label("report_groups_projection", lang),
            content.groups,
            sheet=label("report_sheet_groups", lang),
            outputs=TABLES,
            cls="groups",
        )
    )
    if content.change_groups is not None:
        out.append(
            Section(
                "change_by_group",
                groups_chapter,
                label("report_change_groups", lang),
                content.change_groups,
                sheet=label("report_sheet_change", lang),
                outputs=TABLES,
            )
        )
    out.append(
        Section(
            "cumulative",
            label("report_data", lang),
            "",
            content.cumulative,
            sheet=label("report_sheet_cumulative", lang),
            outputs=DATA,
            workbook=content.cumulative_sheet,
        )
    )
    out.append(
        Section(
            "monthly",
            label("report_data", lang),
            "",
            content.monthly,
            sheet=label("report_sheet_monthly", lang),
            outputs=DATA,
            workbook=content.monthly_sheet,
        )
    )
    if content.scenarios is not None:
        out.append(
            Section(
                "scenarios",
                label("report_scenarios", lang),
                "",
                content.scenarios,
                sheet=label("report_sheet_scenarios", lang),
                outputs=TABLES,
                figure="scenarios",
            )
        )
    if content.funding is not None:
        out.append(
            Section(
                "funding",
                label("report_funding", lang),
                "",
                content.funding,
                index=True,
                sheet=label("report_sheet_funding", lang),
                outputs=TABLES,
            )
        )
    return out


def _with_figure(section: Section, figure: str) -> Section:
    return replace(section, figure=figure)


def csv_tables(content: ReportContent) -> dict[str, pd.DataFrame]:
    """The report's tables as flat frames (for CSV), keyed by file stem."""
    return {
        s.key: _rows(s.frame, content.lang) if s.index else s.frame
        for s in sections(content)
        if s.shown_in("csv")
    }
