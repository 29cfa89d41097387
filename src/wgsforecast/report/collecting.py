"""Collect the report: run the engines and gather every table, figure and note.

Nothing here computes a statistic: every number comes from a :class:`Prognosis` view, a
vintage comparison, or the scenarios and funding modules. Every part ships with the package,
so a part that fails is a bug and fails the report; nothing is silently left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from wgsforecast._version import package_version
from wgsforecast.engines import Engine, new_engine
from wgsforecast.funding import funding_view
from wgsforecast.io import PathLike, file_sha256
from wgsforecast.labels import label, method_name
from wgsforecast.models import ProgrammeData
from wgsforecast.periods import Lang, format_month, format_number, format_percent
from wgsforecast.prognosis import Prognosis
from wgsforecast.report import messages
from wgsforecast.report.content import (
    EVIDENCE_ENGINE,
    PUBLISHED_ENGINE,
    Headline,
    ReportContent,
    is_reconstructed,
)
from wgsforecast.report.figures import make_figures
from wgsforecast.report.methods import BASELINE_ENGINES, driver_lines, later_odds, methods_table
from wgsforecast.report.notes import note_text
from wgsforecast.report.output import Log, stderr_log
from wgsforecast.report.progress import progress_notes, progress_table
from wgsforecast.report.quarters import quarter_notes, quarter_table
from wgsforecast.report.tables import (
    cumulative_frame,
    cumulative_sheet,
    evidence_table,
    group_table,
    known_actuals,
    monthly_frame,
    monthly_sheet,
    published_table,
)
from wgsforecast.report.text import method_change_line
from wgsforecast.scenarios import ScenarioComparison, compare_scenarios, read_scenarios
from wgsforecast.vintages import Vintage, change_since, previous_vintage


def collect(
    data: ProgrammeData,
    *,
    lang: Lang = "da",
    engine: str | Engine | None = None,
    n_paths: int = 2000,
    seed: int = 2023,
    scenarios: Sequence[PathLike] = (),
    price_per_ge: float | None = None,
    vintages_root: PathLike | None = None,
    inputs: Mapping[str, PathLike] | None = None,
    log: Log = stderr_log,
    figures: bool = True,
) -> ReportContent:
    """Run the engines and gather every table, figure and note of the report.

    Parameters are those of :func:`build_report`; ``figures=False`` skips the figures.

    Returns
    -------
    ReportContent
    """
    # An unknown name fails here, before the slow runs.
    evidence_engine = new_engine(EVIDENCE_ENGINE if engine is None else engine)

    def run(chosen: str | Engine) -> Prognosis:
        fitted = new_engine(chosen).fit(data.actuals, data.groups, data.assumptions)
        return fitted.forecast(n_paths=n_paths, seed=seed, progress=False)

    log(messages.FORECAST_PUBLISHED(lang))
    published = run(PUBLISHED_ENGINE)  # deterministic: one path, no seed
    evidence = None
    if evidence_engine.name != PUBLISHED_ENGINE:
        method = method_name(evidence_engine.name, lang)
        log(messages.FORECAST_EVIDENCE(lang, method=method.lower(), paths=n_paths, seed=seed))
        evidence = run(evidence_engine)
    main = evidence if evidence is not None else published
    baselines = []
    if evidence is not None:
        log(messages.FORECAST_BASELINES(lang, engines=", ".join(BASELINE_ENGINES)))
        baselines = [run(name) for name in BASELINE_ENGINES]
    # A changed, deleted or renamed vintage raises: the report never silently compares
    # with an older prognosis than the latest one.
    previous = previous_vintage(main, vintages_root)
    change, change_groups = change_lines(main, previous, lang)
    content = ReportContent(
        lang=lang,
        data=data,
        published_method=published,
        evidence=evidence,
        headline=headline(main, published, lang),
        table1=published.yearly_table(lang),
        table1_published=published_table(published, lang),
        table1_evidence=None if evidence is None else evidence_table(evidence, lang),
        groups=group_table(main, lang),
        monthly=monthly_frame(main),
        cumulative=cumulative_frame(main),
        change=change,
        change_groups=change_groups,
        methods=None if evidence is None else methods_table([main, published, *baselines], lang),
        drivers=driver_lines(main, lang),
        quarters=quarter_table(main, previous, lang),
        quarter_notes=quarter_notes(main, previous, lang),
        progress=progress_table(main, lang),
        progress_notes=progress_notes(main, lang),
    )
    content.monthly_sheet = monthly_sheet(content.monthly, main, lang)
    content.cumulative_sheet = cumulative_sheet(content.cumulative, lang)
    if scenarios:
        log(messages.RUN_SCENARIOS(lang, n=len(scenarios)))
        comparison = _scenarios(data, scenarios, evidence_engine, n_paths, seed, price_per_ge)
        content.scenario_comparison = comparison
        content.scenarios = comparison.table(lang)
    if price_per_ge is not None:
        content.funding = _funding(main, price_per_ge, lang)
    content.quality = quality_notes(content)
    content.provenance = provenance(content, inputs or {})
    if figures:
        log(messages.DRAW_FIGURES(lang))
        content.figures = make_figures(content)
    return content


def headline(main: Prognosis, published: Prognosis, lang: Lang) -> Headline:
    """The headline numbers: target month with its interval, P(by deadline), GE by deadline.

    Genomes are GE x each group's ASSUMED genomes per GE (:meth:`Prognosis.genomes_per_ge`).
    """
    programme = main.programme
    p_by_deadline = float(main.p_target_by_deadline())
    ge, genomes = (
        dict(zip(frame["month"], frame["cumulative"].to_numpy(float), strict=True))
        for frame in (main.cumulative((), "ge"), main.cumulative((), "genomes"))
    )
    return Headline(
        engine=main.engine,
        n_paths=main.n_paths,
        seed=main.seed,
        as_of=main.as_of,
        target_ge=programme.target_ge,
        deadline=programme.deadline,
        target_month=main.target_month(0.5),
        target_low=main.target_month(0.1) if main.n_paths > 1 else None,
        target_high=main.target_month(0.9) if main.n_paths > 1 else None,
        p_by_deadline=p_by_deadline if main.n_paths > 1 else None,
        p_later=dict(later_odds(main)) if main.n_paths > 1 else {},
        ge_by_deadline=main.ge_by_deadline(),
        ge_left_after_deadline=main.ge_left_after_deadline(),
        ge_to_date=ge[main.as_of],
        genomes_to_date=genomes[main.as_of],
        genomes_by_deadline=genomes[programme.deadline],
        published_method_target=published.target_month(),
        published_method_by_deadline=published.ge_by_deadline(),
    )


def change_lines(
    main: Prognosis, previous: Vintage | None, lang: Lang
) -> tuple[list[str], pd.DataFrame | None]:
    """The "change since the previous prognosis" lines and the per-group shifts.

    A vintage of the same as-of month made by another method is worded as a change of
    method (:func:`~wgsforecast.report.text.method_change_line`), never as progress.
    """
    if previous is None:
        return [label("report_no_previous", lang)], None
    change = change_since(main, previous, lang)
    lines = change.describe(lang)
    if change.same_as_of and _method(str(previous.metadata.engine)) != _method(main.engine):
        lines[0] = method_change_line(change, main.engine, lang)
    return lines, change.groups


def _method(engine: str) -> str:
    """The method an engine name stands for: a published vintage is the published method."""
    return PUBLISHED_ENGINE if engine == "published" else engine


def _scenarios(
    data: ProgrammeData,
    files: Sequence[PathLike],
    engine: str | Engine,
    n_paths: int,
    seed: int,
    price_per_ge: float | None,
) -> ScenarioComparison:
    scenarios = read_scenarios([Path(f) for f in files])
    return compare_scenarios(
        data,
        scenarios,
        engine=engine,
        n_paths=n_paths,
        seed=seed,
        price_per_ge=price_per_ge,
    )


def _funding(prognosis: Prognosis, price_per_ge: float, lang: Lang) -> pd.DataFrame:
    """The funding view (GE done by / left after the deadline and their cost), rows indexed."""
    return funding_view(prognosis, price_per_ge=price_per_ge).table(lang)


# --------------------------------------------------------------------------- notes


def quality_notes(content: ReportContent) -> list[str]:
    """Data-quality notes: reconstructed data, missing months, groups without data, flags."""
    lang, main = content.lang, content.main
    notes = []
    if is_reconstructed(main):
        notes.append(label("reconstructed", lang))
    actuals = known_actuals(content.data.actuals, main.as_of)
    for group in content.data.groups:
        reported = actuals[actuals["group"] == group.key]
        rows = reported[reported["ge"] > 0]
        name = group.name(lang)
        if rows.empty:
            if group.go_live is not None and group.go_live <= main.as_of:
                notes.append(
                    label("report_note_no_data_live", lang).format(
                        group=name, go_live=format_month(group.go_live, lang)
                    )
                )
            elif not main.group_notes.get(group.key):
                # A group not live yet gets one note: the engine's, when it has one, says
                # so already (with its start month).
                notes.append(label("report_note_no_data", lang).format(group=name))
            continue
        first = rows["month"].min()
        if group.go_live is not None and first > group.go_live:
            gap = int((first - group.go_live).n)
            notes.append(
                label("report_note_late_start", lang).format(
                    group=name,
                    go_live=format_month(group.go_live, lang),
                    first=format_month(first, lang),
                    n=gap,
                )
            )
        # A month reported as 0 is a report, not a gap: stale means no row for the as-of
        # month (possible in frames built in code; the file readers require every month).
        if not (reported["month"] == main.as_of).any():
            last = reported["month"].max()
            notes.append(
                label("report_note_stale", lang).format(
                    group=name, last=format_month(last, lang), as_of=format_month(main.as_of, lang)
                )
            )
    for key, group_notes in main.group_notes.items():
        for note in group_notes:
            notes.append(f"{content.data.groups[key].name(lang)}: {note_text(note, lang)}")
    a = main.assumptions
    shares = {group.cap_share for group in content.data.groups}
    cap = (
        format_percent(shares.pop(), lang) if len(shares) == 1 else label("report_cap_varies", lang)
    )
    notes.append(
        label("report_note_assumptions", lang).format(
            cap=cap,
            as_of=format_month(a.as_of, lang),
            window=a.run_rate_window,
            horizon=a.horizon_months,
            target=format_number(a.programme.target_ge, lang),
            deadline=format_month(a.programme.deadline, lang),
        )
    )
    return notes


def provenance(content: ReportContent, inputs: Mapping[str, PathLike]) -> dict[str, str]:
    """Provenance lines: input files' hashes, engines (as they ran), version, date.

    The assumptions as used (which a scenario or an argument may have changed from their
    file) are hashed by :func:`~wgsforecast.report.text.provenance_rows`.

    The engine line records what ran, not what was asked: a deterministic engine runs one
    path and uses no seed, whatever was asked.
    """
    lines: dict[str, str] = {}
    for role, path in inputs.items():
        lines[role] = f"{Path(path).name} sha256:{file_sha256(path)}"
    engines = f"{PUBLISHED_ENGINE} ({_ran(content.published_method)})"
    if content.evidence is not None:
        engines += f", {content.evidence.engine} ({_ran(content.evidence)})"
    lines["engine"] = engines
    lines["wgsforecast"] = package_version()
    lines["date"] = dt.date.today().isoformat()
    return lines


def _ran(prognosis: Prognosis) -> str:
    """How a prognosis was made: its paths and seed, or "1 path, no seed" if deterministic."""
    paths = f"{prognosis.n_paths} path{'s' if prognosis.n_paths != 1 else ''}"
    seed = "no seed" if prognosis.seed is None else f"seed {prognosis.seed}"
    return f"{paths}, {seed}"
