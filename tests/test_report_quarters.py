"""The report's quarterly view and per-group progress table, in every output."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.models import GroupRegistry
from wgsforecast.report.collecting import collect
from wgsforecast.report.content import ReportContent, csv_tables
from wgsforecast.report.progress import group_status
from wgsforecast.report.quarters import (
    NEXT_QUARTERS,
    PAST_QUARTERS,
    quarter_notes,
    quarter_table,
    vintage_quarters,
)


def _quiet(_: str) -> None:
    pass


@pytest.fixture(scope="module")
def earlier_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, wf.Prognosis]:
    """A store holding a published-method vintage made with data to September 2022."""
    data = wf.load_bundled()
    september = data.assumptions.with_as_of("2022-09")
    earlier = wf.forecast(data.actuals, data.groups, september, engine="runrate")
    root = tmp_path_factory.mktemp("store") / "vintages"
    wf.save_vintage(earlier, "2022-09-runrate", root=root)
    return root, earlier


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> ReportContent:
    root = tmp_path_factory.mktemp("empty") / "vintages"  # the published vintage only
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return collect(
            wf.load_bundled(), n_paths=200, seed=3, vintages_root=root, figures=False, log=_quiet
        )


def test_quarters_show_done_the_previous_forecast_and_the_miss(
    content: ReportContent, earlier_store: tuple[Path, wf.Prognosis], bundled: wf.ProgrammeData
) -> None:
    # The report passes the vintage previous_vintage() finds; with the bundled data that
    # is the published one (no quarters), so an earlier vintage with months is given here.
    root, earlier = earlier_store
    previous = wf.load_vintage("2022-09-runrate", root=root)
    table = quarter_table(content.main, previous, "da")
    rows = table.set_index("Kvartal")
    # 2022 K4 is the only complete quarter after the earlier vintage's as-of month.
    actuals = bundled.actuals
    in_q4 = actuals[(actuals["month"] >= "2022-10") & (actuals["month"] <= "2022-12")]
    done = float(in_q4["ge"].sum())
    forecast = earlier.quarterly().set_index("quarter").at["2022 K4", "ge_p50"]
    assert rows.at["2022 K4", "GE gennemført"] == round(done)
    assert rows.at["2022 K4", "Forrige prognose"] == round(forecast)
    assert rows.at["2022 K4", "Afvigelse"] == round(done - forecast)
    assert rows.at["2022 K4", "Type"] == "faktisk"
    # Before the earlier vintage's data ended there was nothing to forecast.
    assert np.isnan(rows.at["2022 K3", "Forrige prognose"])
    # The partial quarter has a forecast before but no miss: it is not over.
    assert rows.at["2023 K1", "Type"] == "delvis faktisk"
    assert not np.isnan(rows.at["2023 K1", "Forrige prognose"])
    assert np.isnan(rows.at["2023 K1", "Afvigelse"])
    notes = quarter_notes(content.main, previous, "da")
    assert any("data til og med september 2022" in note for note in notes)


def test_quarters_ahead_are_the_prognosis_quarterly_view(content: ReportContent) -> None:
    table = content.quarters
    assert table is not None
    kinds = table["Type"].tolist()
    assert kinds.count("faktisk") == PAST_QUARTERS
    assert len(kinds) - kinds.count("faktisk") == NEXT_QUARTERS
    expected = content.main.quarterly().set_index("quarter")
    genomes = content.main.quarterly(unit="genomes").set_index("quarter")
    for row in table[table["Type"] != "faktisk"].itertuples(index=False):
        quarter = expected.loc[row[0]]
        assert row[table.columns.get_loc("GE i kvartalet (median)")] == round(quarter["ge_p50"])
        assert row[table.columns.get_loc("GE i kvartalet, 10 %")] == round(quarter["ge_p10"])
        assert row[table.columns.get_loc("Kumuleret, 90 %")] == round(quarter["cumulative_p90"])
        column = table.columns.get_loc("Genomer kumuleret (antaget)")
        assert row[column] == round(genomes.at[row[0], "cumulative_p50"])
    assert "quarters" in csv_tables(content) and "progress" in csv_tables(content)


def test_vintage_quarters_need_both_quarter_ends() -> None:
    published = wf.load_vintage("2023-03-published")
    assert vintage_quarters(published).empty  # half years only


def test_a_deterministic_method_has_no_interval_columns(bundled: wf.ProgrammeData) -> None:
    content = collect(bundled, engine="runrate", figures=False, log=_quiet)
    assert content.quarters is not None
    assert not any("10 %" in c or "90 %" in c for c in content.quarters.columns)
    assert any("kun halvårs- og årstal" in note for note in content.quarter_notes)


def test_progress_table_totals_and_statuses(bundled: wf.ProgrammeData) -> None:
    march = bundled.assumptions.with_as_of("2023-02")
    late = bundled.groups["lever"].model_copy(update={"go_live": pd.Period("2023-01", "M")})
    groups = GroupRegistry([late if g.key == "lever" else g for g in bundled.groups])
    content = collect(
        wf.ProgrammeData(bundled.actuals, groups, march),
        engine="runrate",
        figures=False,
        log=_quiet,
    )
    table = content.progress
    assert table is not None
    rows = table.set_index("Patientgruppe")
    assert rows.at[groups["lever"].name_da, "Status"] == "forsinket"
    assert rows.at[groups["hud"].name_da, "Status"] == "under opstart"
    assert rows.at[groups["endokrinologi"].name_da, "Status"] == "i drift"
    known = bundled.actuals[bundled.actuals["month"] <= "2023-02"]
    total = rows.loc["I alt"]
    assert total["GE til dato"] == round(float(known["ge"].sum()))
    q4 = known[(known["month"] >= "2022-10") & (known["month"] <= "2022-12")]
    key = "endokrinologi"
    done = float(q4.loc[q4["group"] == key, "ge"].sum())
    assert rows.at[groups[key].name_da, "GE 2022 K4"] == round(done)
    share = 100 * 4 * done / groups[key].declared_per_year
    assert rows.at[groups[key].name_da, "Takt i % af indmeldt"] == round(share)
    # The quarters ahead: per group the group's median, in the total row the national one.
    national = content.main.quarterly().set_index("quarter")
    assert total["2023 K2"] == round(national.at["2023 K2", "ge_p50"])
    factors = content.main.genomes_per_ge()
    genomes = sum(
        float(known.loc[known["group"] == g, "ge"].sum()) * factors[g] for g in groups.keys
    )
    assert total["Genomer til dato (antaget)"] == round(genomes)


def test_group_status_rules(bundled: wf.ProgrammeData) -> None:
    group = bundled.groups["hud"]  # onboarding, go-live July 2023
    as_of = pd.Period("2023-02", "M")
    assert group_status(group, 5.0, as_of) == "live"  # data decide over the registry
    assert group_status(group, 0.0, as_of) == "onboarding"
    assert group_status(group, 0.0, pd.Period("2023-08", "M")) == "slipped"
    planned = group.model_copy(update={"status": "planned"})
    assert group_status(planned, 0.0, as_of) == "planned"


def test_genomes_stand_beside_ge_in_the_headline(bundled: wf.ProgrammeData) -> None:
    from wgsforecast.periods import format_number
    from wgsforecast.report.html import render_html
    from wgsforecast.report.text import headline_lines

    content = collect(bundled, engine="runrate", figures=False, log=_quiet)
    known = bundled.actuals[bundled.actuals["month"] <= "2023-02"]
    factors = content.main.genomes_per_ge()
    by_group = known.groupby("group")["ge"].sum()
    genomes = float((by_group * factors.reindex(by_group.index)).sum())
    headline = content.headline
    assert headline.ge_to_date == pytest.approx(float(known["ge"].sum()))
    assert headline.genomes_to_date == pytest.approx(genomes)
    assert headline.genomes_by_deadline > headline.ge_by_deadline  # 1.44-2 per GE
    line = next(x for x in headline_lines(content) if "genomer" in x)
    assert format_number(genomes) in line and "ANTAGET" in line
    html = render_html(content).split("<h2>", 2)[1]  # the headline section
    assert f"≈ {format_number(genomes)} genomer (antaget omregning)" in html
    assert f"{format_number(float(known['ge'].sum()))} GE" in html


def _report_imports() -> dict[str, tuple[set[str], list[str]]]:
    """Per report module: the report modules it imports at module level, and the names of
    functions that import anything inside their body."""
    import ast

    import wgsforecast.report as package

    folder = Path(package.__file__).parent
    found: dict[str, tuple[set[str], list[str]]] = {}
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "wgsforecast.report."
            ):
                top.add(str(node.module).rsplit(".", 1)[1])
        inner = [
            f.name
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef)
            and any(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(f))
        ]
        found[path.stem] = (top, inner)
    return found


def test_the_report_modules_import_in_one_direction() -> None:
    found = _report_imports()
    # Writers render the content; they never import the modules that build it.
    for writer in ("html", "markdown", "excel", "writing", "content", "text", "tables"):
        assert not found[writer][0] & {"build", "collecting"}, writer
    # No cycle among the module-level imports.
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for imported in found.get(module, (set(), []))[0]:
            visit(imported, (*path, module))
        done.add(module)

    for module in found:
        visit(module, ())
    # No import deferred into a function to dodge a cycle (figures.py is being rewritten
    # by the figure-speed work and keeps its matplotlib imports for now).
    deferred = {m: inner for m, (_, inner) in found.items() if inner and m != "figures"}
    assert not deferred, deferred
