"""Assemble the quarterly report: run the engines, collect tables and figures, write files.

Nothing here computes a statistic: every number comes from a :class:`Prognosis` view, a
vintage comparison, or the scenarios and funding modules. Every part ships with the package,
so a part that fails is a bug and fails the report; nothing is silently left out.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wgsforecast.engines import Engine, new_engine
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.io import file_sha256
from wgsforecast.labels import label, month_text
from wgsforecast.models import ProgrammeData
from wgsforecast.periods import (
    MONTH_ABBR_DA,
    MONTH_ABBR_EN,
    Lang,
    format_month,
    format_number,
    format_percent,
)
from wgsforecast.prognosis import Prognosis
from wgsforecast.report.figures import Figure, make_figures
from wgsforecast.report.methods import (
    BASELINE_ENGINES,
    driver_lines,
    later_odds,
    method_name,
    methods_table,
)
from wgsforecast.report.notes import note_flag, note_text

if TYPE_CHECKING:
    from wgsforecast.scenarios import ScenarioComparison
    from wgsforecast.vintages import Change

PUBLISHED_ENGINE = "runrate"
EVIDENCE_ENGINE = "adoption"
HTML_NAME: dict[Lang, str] = {"da": "rapport.html", "en": "report.html"}
MAX_HTML_BYTES = 5_000_000
PathLike = str | os.PathLike[str]
Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class ReportContent:
    """Everything the report shows, ready for the HTML, Markdown and Excel writers.

    Built by :func:`collect`; the writers only format it.
    """

    lang: Lang
    data: ProgrammeData
    published_method: Prognosis
    evidence: Prognosis | None
    headline: dict[str, Any]
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
    skipped: list[str] = field(default_factory=list)
    methods: pd.DataFrame | None = None
    drivers: list[str] = field(default_factory=list)

    @property
    def main(self) -> Prognosis:
        """The prognosis the headline is about: the evidence-based one when present."""
        return self.evidence if self.evidence is not None else self.published_method


@dataclass(frozen=True)
class ReportResult:
    """What :func:`build_report` wrote and the numbers it led with."""

    out: Path
    files: tuple[Path, ...]
    html: Path
    headline: dict[str, Any]
    terminal_table: str
    vintage: Path | None
    content: ReportContent


# --------------------------------------------------------------------------- public entry


def build_report(
    data: ProgrammeData | None = None,
    out: PathLike = "out",
    *,
    lang: Lang = "da",
    engine: str | Engine | None = None,
    n_paths: int = 2000,
    seed: int = 2023,
    scenarios: Sequence[PathLike] = (),
    price_per_ge: float | None = None,
    save_vintage: str | None = None,
    vintages_root: PathLike | None = None,
    inputs: Mapping[str, PathLike] | None = None,
    log: Log | None = _stderr,
) -> ReportResult:
    """Make the quarterly report and write it, with tables and figures, into ``out``.

    Parameters
    ----------
    data
        Actuals, groups and assumptions (default: :func:`wgsforecast.load_bundled`).
    out
        Output folder; created if needed. Files are written to a staging folder first and
        moved in at the end, so a failed run leaves earlier outputs as they were.
    lang
        ``"da"`` (default) or ``"en"``.
    engine
        Engine of the evidence-based table, a name or a configured engine instance:
        ``None`` uses ``"adoption"``; ``"runrate"`` makes a report with the published method
        only. The published-method table always comes from ``"runrate"``.
    n_paths, seed
        Sample paths and seed of the evidence-based engine.
    scenarios
        Scenario files to compare (needs :mod:`wgsforecast.scenarios`).
    price_per_ge
        Price of one GE in DKK; adds the funding view (needs :mod:`wgsforecast.funding`).
    save_vintage
        Save the main prognosis as a vintage of this name (refuses to overwrite). It is
        saved only after the report was written, so a failed report saves no vintage; a
        name that exists already fails before any work.
    vintages_root
        Folder of the vintages (default: the bundled ``data/vintages``).
    inputs
        Input files by role (``actuals``, ``groups``, ``assumptions``) for the provenance
        hashes (default: the bundled files when ``data`` is ``None``).
    log
        Where progress lines go (default: standard error); ``None`` for silence.

    Returns
    -------
    ReportResult

    Examples
    --------
    >>> result = build_report(out="out")  # doctest: +SKIP
    >>> result.html.name  # doctest: +SKIP
    'rapport.html'
    """
    from wgsforecast.inputs import input_paths, load_bundled
    from wgsforecast.report.output import LOCK, check_folder, locked

    say = log or (lambda _: None)
    if lang not in ("da", "en"):
        raise ValueError(f"lang must be 'da' or 'en'; got {lang!r}")
    folder = Path(out)
    check_folder(folder)  # a file, or a folder of someone else's files: refused before work
    if save_vintage:
        _check_vintage_free(save_vintage, vintages_root)
    else:
        _check_vintages(vintages_root)
    if data is None:
        data = load_bundled()
        if inputs is None:
            inputs = input_paths()
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with locked(folder):
            with warnings.catch_warnings():
                # Groups that fell back to the pooled prior are flagged in the report's group
                # table and notes; a warning per group per engine run would only be noise.
                warnings.simplefilter("ignore", PriorFallbackWarning)
                content = collect(
                    data,
                    lang=lang,
                    engine=engine,
                    n_paths=n_paths,
                    seed=seed,
                    scenarios=scenarios,
                    price_per_ge=price_per_ge,
                    vintages_root=vintages_root,
                    inputs=inputs or {},
                    log=say,
                )
            result = write_report(content, folder, log=say)
    except BaseException:
        if created and [p.name for p in folder.iterdir()] in ([], [LOCK]):
            shutil.rmtree(folder, ignore_errors=True)  # leave no empty folder behind
        raise
    vintage = None
    if save_vintage:
        from wgsforecast.vintages import save_vintage as save

        vintage = save(content.main, save_vintage, root=vintages_root)
        say(f"saved vintage {vintage}")
    return ReportResult(
        out=folder,
        files=result,
        html=folder / HTML_NAME[lang],
        headline=content.headline,
        terminal_table=terminal_table(content),
        vintage=vintage,
        content=content,
    )


def _check_vintage_free(name: str, root: PathLike | None) -> None:
    """Fail before the slow runs when the vintage name is unusable or taken."""
    from wgsforecast.vintages import check_new_name

    check_new_name(name, root)


def _check_vintages(root: PathLike | None) -> None:
    """Fail before the slow runs when a vintage was changed, deleted or renamed."""
    from wgsforecast.vintages import list_vintages

    list_vintages(root)


# --------------------------------------------------------------------------- collecting


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
    log: Log = _stderr,
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

    log("forecasting with the published method (runrate) ...")
    published = run(PUBLISHED_ENGINE)  # deterministic: one path, no seed
    evidence = None
    skipped: list[str] = []
    if evidence_engine.name != PUBLISHED_ENGINE:
        log(
            f"forecasting with the {evidence_engine.name} engine ({n_paths} paths, seed {seed}) ..."
        )
        evidence = run(evidence_engine)
    main = evidence if evidence is not None else published
    baselines = []
    if evidence is not None:
        log(f"forecasting the baselines ({', '.join(BASELINE_ENGINES)}) ...")
        baselines = [run(name) for name in BASELINE_ENGINES]
    change, change_groups = _change(main, vintages_root, lang, skipped)
    content = ReportContent(
        lang=lang,
        data=data,
        published_method=published,
        evidence=evidence,
        headline=headline(main, published, lang),
        table1=published.yearly_table(lang),
        table1_published=_published_table(published, lang),
        table1_evidence=None if evidence is None else evidence_table(evidence, lang),
        groups=group_table(main, data.actuals, lang),
        monthly=_monthly(main),
        cumulative=_cumulative(main),
        change=change,
        change_groups=change_groups,
        skipped=skipped,
        methods=None if evidence is None else methods_table([main, published, *baselines], lang),
        drivers=driver_lines(main, lang),
    )
    if scenarios:
        log(f"running {len(scenarios)} scenario(s) ...")
        comparison = _scenarios(data, scenarios, evidence_engine, n_paths, seed, price_per_ge)
        content.scenario_comparison = comparison
        content.scenarios = comparison.table(lang)
    if price_per_ge is not None:
        content.funding = _funding(main, price_per_ge, lang)
    content.quality = quality_notes(content)
    content.provenance = provenance(content, inputs or {}, seed, n_paths)
    if figures:
        log("drawing figures ...")
        content.figures = make_figures(content)
    return content


def _published_table(prognosis: Prognosis, lang: Lang) -> pd.DataFrame | None:
    """The published Table 1, in our table's shape, when the prognosis is as of Feb 2023."""
    from wgsforecast.io import bundled_data_dir

    if str(prognosis.as_of) != "2023-02":
        return None
    path = bundled_data_dir() / "table1_2023_03.csv"
    if not path.is_file():
        return None
    published = pd.read_csv(path)
    ours = prognosis.yearly_table(lang)
    column = "period_da" if lang == "da" else "period"
    values = published.set_index(column)
    if lang == "en":
        values = values.rename(index={"mid-2024": "Mid-2024"})
    if list(values.index) != list(ours.columns):
        return None
    table = pd.DataFrame(
        [values["ge_in_period"].to_numpy(float), values["ge_cumulative"].to_numpy(float)],
        index=ours.index,
        columns=ours.columns,
    )
    return table.astype("Float64")


def evidence_table(prognosis: Prognosis, lang: Lang) -> pd.DataFrame:
    """Table 1's shape with each cell as median and 80 % interval (p10, p50, p90 rows).

    The p10 and p90 rows are named with the measure and :func:`interval_suffixes`.
    """
    intervals = prognosis.yearly_intervals((0.1, 0.5, 0.9), lang)
    rows = []
    names = prognosis.yearly_table(lang).index
    low, high = interval_suffixes(lang)
    for measure, name in zip(("per_period", "total"), names, strict=True):
        part = intervals[intervals["measure"] == measure].set_index("period")
        for column, suffix in (("p50", ""), ("p10", low), ("p90", high)):
            rows.append(part[column].rename(f"{name}{suffix}"))
    return pd.DataFrame(rows).round().astype("Float64")


def interval_suffixes(lang: Lang) -> tuple[str, str]:
    """The row-name endings of the 10 % and 90 % quantile rows, e.g. ``" (10 %-fraktil)"``."""
    return f" ({label('report_row_low', lang)})", f" ({label('report_row_high', lang)})"


def headline(main: Prognosis, published: Prognosis, lang: Lang) -> dict[str, Any]:
    """The headline numbers: target month with its interval, P(by deadline), GE by deadline."""
    programme = main.programme
    p_by_deadline = float(main.p_target_by_deadline())
    return {
        "engine": main.engine,
        "n_paths": main.n_paths,
        "seed": main.seed,
        "as_of": main.as_of,
        "target_ge": programme.target_ge,
        "deadline": programme.deadline,
        "target_month": main.target_month(0.5),
        "target_low": main.target_month(0.1) if main.n_paths > 1 else None,
        "target_high": main.target_month(0.9) if main.n_paths > 1 else None,
        "p_by_deadline": p_by_deadline if main.n_paths > 1 else None,
        "p_later": dict(later_odds(main)) if main.n_paths > 1 else {},
        "ge_by_deadline": main.ge_by_deadline(),
        "ge_left_after_deadline": main.ge_left_after_deadline(),
        "published_method_target": published.target_month(),
        "published_method_by_deadline": published.ge_by_deadline(),
    }


def headline_lines(content: ReportContent) -> list[str]:
    """The headline as sentences in the report's language."""
    h, lang = content.headline, content.lang
    month = month_text(h["target_month"], lang)
    if h["target_low"] is not None:
        month += " " + label("report_interval", lang).format(
            low=month_text(h["target_low"], lang), high=month_text(h["target_high"], lang)
        )
    lines = [
        label("report_target_line", lang).format(
            target=format_number(h["target_ge"], lang), month=month
        )
    ]
    if h["p_by_deadline"] is not None:
        lines.append(
            label("report_p_deadline_line", lang).format(
                deadline=format_month(h["deadline"], lang),
                p=format_percent(h["p_by_deadline"], lang),
            )
        )
    lines.extend(
        label("report_p_later_line", lang).format(
            month=format_month(month, lang), p=format_percent(p, lang)
        )
        for month, p in h["p_later"].items()
    )
    lines.append(
        label("report_by_deadline_line", lang).format(
            deadline=format_month(h["deadline"], lang),
            done=format_number(h["ge_by_deadline"], lang),
            left=format_number(h["ge_left_after_deadline"], lang),
        )
    )
    if content.evidence is not None:
        lines.append(
            label("report_published_method_line", lang).format(
                month=month_text(h["published_method_target"], lang),
                done=format_number(h["published_method_by_deadline"], lang),
            )
        )
    return lines


def known_actuals(actuals: pd.DataFrame, as_of: pd.Period) -> pd.DataFrame:
    """The actuals up to the as-of month: later rows were not known to the prognosis."""
    return actuals[actuals["month"] <= as_of]


def _cap_columns(prognosis: Prognosis, base: pd.DataFrame, lang: Lang) -> dict[str, Any]:
    """The cap column, headed by the cap share; with shares differing, a share column too."""
    shares = {group.cap_share for group in prognosis.groups}
    if len(shares) == 1:
        share = format_percent(shares.pop(), lang)
        return {label("report_cap_per_year_share", lang).format(share=share): base["cap_per_year"]}
    return {
        label("report_cap_per_year", lang): base["cap_per_year"],
        label("report_cap_share", lang): [100 * g.cap_share for g in prognosis.groups],
    }


def run_rate_header(window: int, lang: Lang) -> str:
    """Header of the run-rate column: the mean over the assumptions' window of months."""
    if window == 1:
        return label("report_run_rate_last_month", lang)
    return label("report_run_rate_window", lang).format(n=window)


def group_table(prognosis: Prognosis, actuals: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Per-group table: declared, cap, the run-rate window's months, status, projected, flags.

    Only actuals up to the prognosis' as-of month count; a later row (e.g. a file with more
    months than ``--as-of``) neither shows nor clears the "no data yet" flag.
    """
    base = prognosis.group_table(lang)
    window = prognosis.assumptions.run_rate_window
    last = pd.period_range(prognosis.as_of - (window - 1), prognosis.as_of, freq="M")
    known = known_actuals(actuals, prognosis.as_of)
    counts = known.pivot_table(index="group", columns="month", values="ge", aggfunc="sum")
    with_data = set(known.loc[known["ge"] > 0, "group"])
    spans = [p.label(lang) for p in prognosis.programme.table_periods if p.kind == "span"]
    table = pd.DataFrame(
        {
            label("group", lang): base["name"],
            label("status", lang): [label(s, lang) for s in base["status"]],
            label("declared_per_year", lang): base["declared_per_year"],
            **_cap_columns(prognosis, base, lang),
        }
    )
    abbr = MONTH_ABBR_DA if lang == "da" else MONTH_ABBR_EN
    for month in last:
        values = [
            counts.at[g, month] if g in counts.index and month in counts.columns else np.nan
            for g in base["group"]
        ]
        table[f"{abbr[month.month - 1]} {month.year}"] = (
            pd.Series(values, dtype=float).fillna(0).to_numpy()
        )
    table[run_rate_header(window, lang)] = base["run_rate_per_month"].round(1)
    for span in spans:
        table[span] = base[span].round()
    flags = []
    for key, capped in zip(base["group"].tolist(), base["capped_months"].tolist(), strict=True):
        flag = []
        if capped > 0:
            flag.append(label("report_flag_capped", lang).format(n=capped))
        if key not in with_data:
            flag.append(label("report_flag_no_data", lang))
        flag.extend(note_flag(note, lang) for note in prognosis.group_notes.get(key, ()))
        flags.append("; ".join(flag))
    table[label("report_flags", lang)] = flags
    return table


def _monthly(prognosis: Prognosis) -> pd.DataFrame:
    frame = prognosis.monthly()
    frame["month"] = frame["month"].astype(str)
    return frame


def _cumulative(prognosis: Prognosis) -> pd.DataFrame:
    frame = prognosis.cumulative((0.1, 0.5, 0.9))
    frame["month"] = frame["month"].astype(str)
    return frame


def _change(
    main: Prognosis, root: PathLike | None, lang: Lang, skipped: list[str]
) -> tuple[list[str], pd.DataFrame | None]:
    from wgsforecast.vintages import change_since, previous_vintage

    # A changed, deleted or renamed vintage raises: the report never silently compares
    # with an older prognosis than the latest one.
    previous = previous_vintage(main, root)
    if previous is None:
        return [label("report_no_previous", lang)], None
    change = change_since(main, previous, lang)
    lines = change.describe(lang)
    if change.same_as_of and _method(str(previous.metadata.get("engine"))) != _method(main.engine):
        lines[0] = method_change_line(change, main.engine, lang)
    return lines, change.groups


def _method(engine: str) -> str:
    """The method an engine name stands for: a published vintage is the published method."""
    return PUBLISHED_ENGINE if engine == "published" else engine


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
    name = (previous.metadata.get("label_en") if lang == "en" else None) or previous.label
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
            diff=("+" if diff >= 0 else "-") + format_number(abs(diff), lang),
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


def _scenarios(
    data: ProgrammeData,
    files: Sequence[PathLike],
    engine: str | Engine,
    n_paths: int,
    seed: int,
    price_per_ge: float | None,
) -> ScenarioComparison:
    from wgsforecast.scenarios import compare_scenarios, read_scenarios

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
    from wgsforecast.funding import funding_view

    return funding_view(prognosis, price_per_ge=price_per_ge).table(lang)


# --------------------------------------------------------------------------- notes


def quality_notes(content: ReportContent) -> list[str]:
    """Data-quality notes: reconstructed data, missing months, groups without data, flags."""
    lang, main = content.lang, content.main
    notes = []
    if any("reconstructed" in note for note in main.data_notes):
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
    notes.extend(content.skipped)
    return notes


def provenance(
    content: ReportContent, inputs: Mapping[str, PathLike], seed: int, n_paths: int
) -> dict[str, str]:
    """Provenance lines: input hashes, engines (as they ran), version, date.

    ``seed`` and ``n_paths`` are what was asked for; the engine line records what ran: a
    deterministic engine runs one path and uses no seed, whatever was asked.
    """
    from wgsforecast._version import package_version

    lines: dict[str, str] = {}
    for role, path in inputs.items():
        lines[f"{role}"] = f"{Path(path).name} sha256:{file_sha256(path)}"
    engines = f"{PUBLISHED_ENGINE} ({_ran(content.published_method)})"
    if content.evidence is not None:
        engines += f", {content.evidence.engine} ({_ran(content.evidence)})"
    lines["engine"] = engines
    lines["assumptions"] = content.main.assumptions.model_dump_json()
    lines["wgsforecast"] = package_version()
    lines["date"] = dt.date.today().isoformat()
    return lines


def _ran(prognosis: Prognosis) -> str:
    """How a prognosis was made: its paths and seed, or "1 path, no seed" if deterministic."""
    paths = f"{prognosis.n_paths} path{'s' if prognosis.n_paths != 1 else ''}"
    seed = "no seed" if prognosis.seed is None else f"seed {prognosis.seed}"
    return f"{paths}, {seed}"


# --------------------------------------------------------------------------- writing


def terminal_table(content: ReportContent) -> str:
    """Table 1 for the terminal: ours (published method) beside the published one."""
    lang = content.lang
    ours = content.table1
    published = content.table1_published
    columns = list(ours.columns)
    width = max(len(c) for c in columns) + 2
    name_width = 34
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
    lines.extend(headline_lines(content))
    lines.extend(content.drivers)
    if any("reconstructed" in note for note in content.main.data_notes):
        lines.append(label("report_terminal_reconstructed", lang))
    return "\n".join(lines)


def write_report(content: ReportContent, out: PathLike, log: Log = _stderr) -> tuple[Path, ...]:
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
    from wgsforecast.report.excel import write_workbook
    from wgsforecast.report.html import render_html
    from wgsforecast.report.markdown import render_markdown
    from wgsforecast.report.output import check_folder, clean_staging, install, locked

    folder = Path(out)
    check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        clean_staging(folder, log)
        check_folder(folder)  # again, now that no other run can change it
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".report-", suffix=".part"))
        try:
            files: dict[str, bytes] = {}
            for name, frame in tables(content).items():
                files[f"{name}.csv"] = csv_bytes(frame, content.lang)
            for figure in content.figures:
                files[f"figures/{figure.key}.png"] = figure.png
                files[f"figures/{figure.key}.svg"] = figure.svg
            files["summary.md"] = render_markdown(content).encode("utf-8")
            log("writing the HTML report ...")
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
            log("writing the Excel workbook ...")
            workbook = "tabeller.xlsx" if content.lang == "da" else "tables.xlsx"
            write_workbook(content, staging / workbook)
            written = install(staging, folder, log)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return written


def csv_bytes(frame: pd.DataFrame, lang: Lang) -> bytes:
    """A table as CSV for ``lang``'s spreadsheet: Danish ``;`` and decimal comma, or English.

    A Danish Excel splits fields on ``;`` and reads ``2,5`` as a number, and it needs the
    UTF-8 byte-order mark to show "æøå" right; the English file keeps ``,`` and ``.`` (with
    the mark too, which English Excel also needs). :func:`wgsforecast.io.read_actuals` and
    friends read both forms.
    """
    if lang == "da":
        text = frame.to_csv(index=False, sep=";", decimal=",", lineterminator="\n")
    else:
        text = frame.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


def tables(content: ReportContent) -> dict[str, pd.DataFrame]:
    """The report's tables as flat frames (for CSV), keyed by file stem."""
    lang = content.lang
    result: dict[str, pd.DataFrame] = {}
    table1 = content.table1.reset_index(names=label("report_row", lang))
    result["table1_published_method"] = table1
    if content.table1_published is not None:
        result["table1_published"] = content.table1_published.reset_index(
            names=label("report_row", lang)
        )
    if content.table1_evidence is not None:
        result["table1_evidence"] = content.table1_evidence.reset_index(
            names=label("report_row", lang)
        )
    result["groups"] = content.groups
    result["monthly"] = content.monthly
    result["cumulative"] = content.cumulative
    if content.change_groups is not None:
        result["change_by_group"] = content.change_groups
    if content.scenarios is not None:
        result["scenarios"] = content.scenarios
    if content.funding is not None:
        result["funding"] = content.funding.reset_index(names=label("report_row", lang))
    if content.methods is not None:
        result["methods"] = content.methods
    return result
