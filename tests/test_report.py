"""The quarterly report: files written, their contents, the terminal table, and failures."""

from __future__ import annotations

import gc
import hashlib
import html
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.exceptions import OutputFolderError
from wgsforecast.io import bundled_actuals_path, bundled_assumptions_path, bundled_groups_path
from wgsforecast.periods import format_number
from wgsforecast.report.output import LOCK

REPO = Path(__file__).resolve().parents[1]
PATHS = "200"


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wgsforecast", "report", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def vintages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # An empty store: the published March 2023 vintage ships with the package.
    return tmp_path_factory.mktemp("vintages") / "vintages"


@pytest.fixture(scope="module")
def danish(tmp_path_factory: pytest.TempPathFactory, vintages: Path) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("rapport")
    result = run_cli("--out", out, "--paths", PATHS, "--vintages", vintages)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_report_writes_every_output(danish: tuple[Path, str]) -> None:
    out, _ = danish
    for name in (
        "rapport.html",
        "tabeller.xlsx",
        "summary.md",
        "table1_published_method.csv",
        "table1_published.csv",
        "table1_evidence.csv",
        "groups.csv",
        "monthly.csv",
        "cumulative.csv",
        "quarters.csv",
        "progress.csv",
    ):
        assert (out / name).stat().st_size > 100, name
    for figure in ("cumulative", "fan", "target_distribution", "monthly_by_group", "group_ramps"):
        assert (out / "figures" / f"{figure}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in (out / "figures" / f"{figure}.svg").read_bytes()[:2000]
    hidden = [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert hidden == [LOCK], "staging folder or journal left over"


def test_terminal_shows_our_table1_beside_the_published_one(
    danish: tuple[Path, str], published_method: wf.Prognosis
) -> None:
    _, stdout = danish
    table = published_method.yearly_table()
    ours = [format_number(v) for v in table.loc["Total antal genomækvivalenter"]]
    lines = stdout.splitlines()
    totals = lines.index("Total antal genomækvivalenter")
    assert lines[totals + 1].split()[1:] == ours
    assert lines[totals + 2].split()[1:] == [
        "5.676",
        "21.274",
        "34.282",
        "47.289",
        "61.098",
        "80.432",
    ]
    assert "rekonstrueret" in stdout


def test_the_terminal_output_fits_in_100_columns(danish: tuple[Path, str]) -> None:
    out, printed = danish
    # File paths are as long as the folder the user chose; everything else must fit.
    lines = [line for line in printed.splitlines() if str(out) not in line]
    assert len(lines) > 10
    assert max(len(line) for line in lines) <= 100, max(lines, key=len)


def test_every_figure_caption_says_how_to_read_it(danish: tuple[Path, str]) -> None:
    out, _ = danish
    html = (out / "rapport.html").read_text(encoding="utf-8")
    figures = re.findall(r'<img alt="([^"]*)"[^>]*><figcaption>([^<]*)</figcaption>', html)
    assert len(figures) == 5
    for title, caption in figures:
        assert caption != title and len(caption) > len(title), (title, caption)


def test_html_is_self_contained_small_and_complete(danish: tuple[Path, str]) -> None:
    out, _ = danish
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert len(html.encode()) < 5_000_000
    # No network: no external scripts, styles, images or fonts.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    images = re.findall(r'<img [^>]*src="([^"]{0,30})', html)
    assert len(images) == 5 and all(src.startswith("data:image/png;base64,") for src in images)
    for heading in (
        "Hovedtal",
        "Ændring siden forrige prognose",
        "Offentliggjort metode (genberegnet)",
        "Offentliggjort tabel 1",
        "Evidensbaseret model (",
        "Patientgrupper",
        "Datakvalitet og antagelser",
        "Proveniens",
    ):
        assert heading in html, heading
    assert "rekonstrueret" in html
    assert "kun nationale totaler" in html  # the published vintage has no per-group data
    assert "bygger på fælles forudsætninger" in html  # the adoption engine's flag, in Danish
    assert "ingen data endnu" in html  # groups not live in February 2023
    for path in (bundled_actuals_path(), bundled_groups_path()):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in html


def test_summary_provenance_has_the_reports_danish_keys_and_the_assumption_values(
    danish: tuple[Path, str],
) -> None:
    out, _ = danish
    summary = (out / "summary.md").read_text(encoding="utf-8")
    provenance = summary.split("## Proveniens", 1)[1]
    keys = re.findall(r"^- ([^:]+): `", provenance, flags=re.MULTILINE)
    assert keys[:4] == ["Månedstal", "Patientgrupper", "Antagelsesfil", "Antagelser"]
    assert "Metoder" in keys and "Kørt den" in keys
    assert bundled_assumptions_path().name in provenance
    assert hashlib.sha256(bundled_assumptions_path().read_bytes()).hexdigest() in provenance
    # The values as used, once, under a Danish key that says they are what was hashed.
    assert provenance.count('"run_rate_window":3') == 1
    assert "Antagelsernes værdier (JSON; det er dem, sha256 er taget af)" in provenance


def test_headline_names_its_method_and_a_method_change_is_not_progress(
    danish: tuple[Path, str],
) -> None:
    out, _ = danish
    html = (out / "rapport.html").read_text(encoding="utf-8")
    headline = html.split("<h2>Hovedtal</h2>", 1)[1].split("<h2>", 1)[0]
    # The cards' method, with its paths and seed, and the published method's own card.
    assert f"Kilde til hovedtallene: Evidensbaseret model, {PATHS} simulerede forløb" in headline
    assert "startværdi (seed) 2023" in headline
    assert 'Den offentliggjorte metode: målet nås</div><div class="v">juni 2025' in headline
    assert "34.260 GE ved udgangen af juni 2024" in headline
    # The published vintage has the same data (to February 2023): a change of method.
    change = headline.split("Ændring siden forrige prognose", 1)[1]
    assert "Metodeskift, ikke ny udvikling: samme data (til og med februar 2023)" in change
    assert re.search(
        r"Evidensbaseret model: målet nås \w+ \d{4}, \d+ måneder senere end "
        r"«Offentliggjort prognose marts 2023 \(punkt 112/23\)» \(juni 2025\)",
        change,
    ), change
    assert "Sammenlignet med" not in change
    # The run details are a small table with Danish keys, not a JSON dump.
    footer = html.split("<footer>", 1)[1]
    for key in ("Månedstal", "Patientgrupper", "Antagelser", "Metoder", "Kørt den"):
        assert f"<th>{key}</th>" in footer, key
    assert "&quot;run_rate_window&quot;" not in footer
    assert "startværdi (seed) 2023" in footer and "uden startværdi" in footer


def test_the_published_method_against_its_published_vintage_is_no_method_change(
    bundled: wf.ProgrammeData,
) -> None:
    from wgsforecast.report.collecting import change_lines
    from wgsforecast.vintages import previous_vintage

    # The recomputed published method against the published prognosis of the same
    # quarter: the same method on the same data, so a comparison, not a change of method.
    published = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, "runrate")
    lines, _ = change_lines(published, previous_vintage(published, None), "da")
    assert lines[0].startswith("Sammenlignet med «Offentliggjort prognose marts 2023")
    assert "(uændret)" in lines[0]
    assert not any("Metodeskift" in line for line in lines)


def test_workbook_is_formatted_for_a_memo(
    danish: tuple[Path, str], published_method: wf.Prognosis
) -> None:
    from openpyxl import load_workbook

    out, _ = danish
    book = load_workbook(out / "tabeller.xlsx")
    assert book.sheetnames[:4] == [
        "Oversigt",
        "Tabel 1",
        "Tabel 1 offentliggjort",
        "Evidensbaseret",
    ]
    assert {"Kvartaler", "Fremdrift pr. gruppe", "Patientgrupper"} <= set(book.sheetnames)
    sheet = book["Tabel 1"]
    assert sheet.freeze_panes == "B3"
    assert "rekonstrueret" in str(sheet["A1"].value)
    header = [c.value for c in sheet[2]][1:]
    assert header == list(published_method.yearly_table().columns)
    total = [c.value for c in sheet[4]]
    assert total[0] == "Total antal genomækvivalenter"
    expected = published_method.yearly_table().loc["Total antal genomækvivalenter"].tolist()
    assert total[1:] == pytest.approx([float(v) for v in expected])
    assert sheet["D4"].number_format == "#,##0"
    assert sheet.column_dimensions["A"].width > 20
    groups = book["Patientgrupper"]
    assert groups.freeze_panes == "A3"
    assert groups.max_row == 2 + len(published_method.groups)


def test_workbook_overview_long_sheets_and_print_setup(danish: tuple[Path, str]) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    out, _ = danish
    book = load_workbook(out / "tabeller.xlsx")
    overview = {row[0]: row[1] for row in book["Oversigt"].iter_rows(values_only=True) if row[0]}
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert overview["Data til og med"] == "februar 2023"
    # The GE by the deadline as a memo writes it: median (10 %-90 %), the median as in
    # the summary's headline.
    by_deadline = overview["GE ved udgangen af juni 2024 (median og 80 %-interval)"]
    match = re.fullmatch(r"([\d.]+) \(([\d.]+)-([\d.]+)\)", by_deadline)
    assert match, by_deadline
    median, low, high = (int(g.replace(".", "")) for g in match.groups())
    assert low <= median <= high and f"er {match.group(1)} GE gennemført" in summary
    assert overview["GE gennemført til og med februar 2023"] == "7.716"
    assert "Kørsel" in overview and "Antagelser" in overview
    # The long sheets: group names, real dates, Danish headers, a filter, print setup.
    monthly = book["Måned pr. gruppe"]
    header = [c.value for c in monthly[2]]
    assert header[:3] == ["Patientgruppe", "Måned", "Type"]
    first = [c.value for c in monthly[3]]
    assert first[0] == "Endokrinologiske patienter" and isinstance(first[1], dt.datetime)
    assert monthly["B3"].number_format == "mmm yyyy"
    assert monthly.auto_filter.ref == f"A2:F{monthly.max_row}"
    for sheet in (monthly, book["Kvartaler"], book["Fremdrift pr. gruppe"]):
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$2:$2"
    # One number format per column: a column with decimals has them in every row.
    rate = [c.value for c in book["Patientgrupper"][2]].index("Gns. seneste 3 mdr.") + 1
    formats = {book["Patientgrupper"].cell(row=r, column=rate).number_format for r in (3, 4, 5)}
    assert formats == {"#,##0.0"}
    # The progress sheet ends with its total row.
    progress = book["Fremdrift pr. gruppe"]
    last = [c.value for c in progress[2 + len(wf.load_bundled().groups) + 1]]
    assert last[0] == "I alt" and last[4] == 7716


def test_english_runrate_report_with_scenarios_funding_and_a_vintage(
    tmp_path: Path, vintages: Path, bundled: wf.ProgrammeData
) -> None:
    root = tmp_path / "vintages"
    scenario = REPO / "data" / "scenarios" / "kraeft_plateau_50_pct.toml"
    args = [
        "--out",
        tmp_path / "out",
        "--lang",
        "en",
        "--engine",
        "runrate",
        "--scenarios",
        scenario,
        "--price-per-ge",
        "10000",
        "--save-vintage",
        "2023-03-runrate",
        "--vintages",
        root,
    ]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Published method (recomputed)" in html and "reconstructed" in html
    assert "Evidence-based" not in html  # --engine runrate: the published method only
    assert "Scenarios" in html and "Funding" in html
    # The printed figures are the published method's, recomputed here independently.
    ours = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="runrate")
    lines = result.stdout.splitlines()
    totals = lines.index(ours.yearly_table("en").index[1])
    expected = [format_number(v, "en") for v in ours.yearly_table("en").iloc[1]]
    assert lines[totals + 1].split()[1:] == expected
    done = format_number(ours.ge_by_deadline(), "en")
    left = format_number(ours.ge_left_after_deadline(), "en")
    assert f"June 2024) {done} GE are done; {left} GE are left" in result.stdout
    scenarios = pd.read_csv(out / "scenarios.csv")
    assert len(scenarios) == 2  # baseline and the scenario
    assert (out / "funding.csv").exists() and (out / "tables.xlsx").exists()
    from openpyxl import load_workbook

    book = load_workbook(out / "tables.xlsx")
    assert book.sheetnames[0] == "Overview"
    assert {"Quarters", "Progress by group", "Scenarios", "Funding"} <= set(book.sheetnames)
    scenario_rows = [r for r in book["Scenarios"].iter_rows(min_row=3, values_only=True)]
    assert len(scenario_rows) == len(scenarios)
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "## Quarter by quarter" in summary and "| 2023 Q2 |" in summary
    assert "Progress by patient group" in html and "genomes (assumed conversion)" in html
    saved = wf.load_vintage("2023-03-runrate", root=root)
    assert saved.metadata.engine == "runrate"
    again = run_cli(*args)
    assert again.returncode == 2
    assert "exists already" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--paths", "0"), "--paths must be at least 1"),
        (("--engine", "crystal-ball"), "unknown engine 'crystal-ball'"),
        (("--scenarios", "missing.toml"), "scenario file missing.toml does not exist"),
        (("--price-per-ge", "-5"), "--price-per-ge must be positive"),
        (("--actuals", "nope.csv"), "nope.csv"),
    ],
)
def test_bad_options_are_clear_errors(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    result = run_cli("--out", tmp_path / "out", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "rapport.html").exists()


def test_a_failed_write_leaves_the_previous_report_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wgsforecast.report import build, collect, writing

    data = wf.load_bundled()
    content = collect(data, engine="runrate", figures=False, log=lambda _: None)
    out = tmp_path / "out"
    build.write_report(content, out, log=lambda _: None)
    before = (out / "rapport.html").read_bytes()

    def broken(_: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "render_html", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build.write_report(content, out, log=lambda _: None)
    assert (out / "rapport.html").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [LOCK]


def test_group_table_shows_last_three_months_and_flags(bundled: wf.ProgrammeData) -> None:
    from wgsforecast.report import collect

    content = collect(bundled, engine="runrate", figures=False, log=lambda _: None)
    table = content.groups.set_index("Patientgruppe")
    actuals = bundled.actuals
    group = bundled.groups["sjaeldne-sygdomme"]
    for month, column in (("2022-12", "dec 2022"), ("2023-02", "feb 2023")):
        expected = actuals[(actuals["group"] == group.key) & (actuals["month"] == month)]["ge"]
        assert table.loc[group.name_da, column] == float(expected.sum())
    assert table.loc[bundled.groups["lever"].name_da, "Bemærkning"].startswith("ingen data endnu")
    capped = content.published_method.group_table().set_index("group")["capped_months"]
    for key, months in capped.items():
        flag = table.loc[bundled.groups[key].name_da, "Bemærkning"]
        assert ("ved loft" in flag) == (months > 0)


def test_frozen_date_ticks_render_the_same_files(published_method: wf.Prognosis) -> None:
    # The report fixes date ticks before rendering, for speed; the files must not change.
    from wgsforecast import plotting
    from wgsforecast.report import figures

    def render(freeze: bool) -> tuple[bytes, bytes]:
        fig = plotting.plot_cumulative(published_method).figure
        if freeze:
            figures.freeze_date_ticks(fig)
        files = figures.render(fig, "png"), figures.render(fig, "svg")
        plotting.pyplot().close(fig)
        return files

    assert render(freeze=True) == render(freeze=False)


def test_minor_ticks_are_drawn_as_marks_at_the_same_places(
    published_method: wf.Prognosis,
) -> None:
    # For speed the report draws a figure's minor x ticks as one line of marks; the marks
    # must stand where matplotlib's minor ticks stood (the pixels are compared below).
    from wgsforecast import plotting
    from wgsforecast.report import figures

    fig = plotting.plot_cumulative(published_method).figure
    (ax,) = fig.axes
    low, high = ax.get_xlim()
    ticks = [x for x in ax.xaxis.get_minorticklocs() if low <= x <= high]
    assert len(ticks) > 10
    figures.render_formats(fig)
    assert len(ax.xaxis.get_minorticklocs()) == 0
    marks = [
        line
        for line in ax.get_lines()
        if line.get_transform() == ax.get_xaxis_transform() and line.get_linestyle() == "None"
    ]
    assert len(marks) == 1 and list(marks[0].get_xdata()) == ticks
    plotting.pyplot().close(fig)


def test_one_layout_renders_the_same_png_and_an_svg_with_the_pngs_ticks(
    published_method: wf.Prognosis,
) -> None:
    # The report lays each figure out once and draws PNG and SVG from that layout, with
    # ticks fixed, for speed: the PNG must be the file savefig's own layout gives, and the
    # SVG must show the PNG's ticks in every panel (its panels may move by under a point;
    # its own layout used to give a small panel other y ticks than the PNG's).
    from wgsforecast import plotting
    from wgsforecast.report import figures

    def svg_ticks(svg: bytes) -> list[tuple[int, list[str]]]:
        """Per axes: how many y ticks the SVG draws, and its texts (one per line of text)."""
        parts = re.split(rb'<g id="axes_', svg)[1:]
        return [
            (
                len(re.findall(rb'<g id="ytick_', part)),
                [html.unescape(t.decode()) for t in re.findall(rb"<text[^>]*>(.*?)</text>", part)],
            )
            for part in parts
        ]

    def png_ticks(fig: Any) -> list[tuple[int, list[str]]]:
        """Per axes: the y ticks the last render drew, and the tick labels it showed."""
        result = []
        for ax in fig.axes:
            low, high = sorted(ax.get_ylim())
            y_ticks = [
                tick
                for tick in ax.yaxis.get_major_ticks() + ax.yaxis.get_minor_ticks()
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9
            ]
            x_low, x_high = ax.get_xlim()
            x_ticks = [t for t in ax.xaxis.get_major_ticks() if x_low <= t.get_loc() <= x_high]
            labels = [t.label1 for t in y_ticks + x_ticks if t.label1.get_visible()]
            result.append((len(y_ticks), [text.get_text() for text in labels if text.get_text()]))
        return result

    for draw in (
        lambda: plotting.plot_cumulative(published_method).figure,
        lambda: plotting.plot_group_ramps(published_method),
    ):
        plain = draw()
        png = figures.render(plain, "png")
        fast = draw()
        fast_png, fast_svg = figures.render_formats(fast)
        assert fast_png == png
        in_svg = svg_ticks(fast_svg)
        assert len(in_svg) == len(plain.axes) > 0
        for (count, labels), (svg_count, svg_texts) in zip(png_ticks(plain), in_svg, strict=True):
            assert count == svg_count > 0
            lines = [line for label in labels for line in label.split("\n")]
            assert lines and all(line in svg_texts for line in lines)
        plotting.pyplot().close(plain)
        plotting.pyplot().close(fast)


def _quiet(_: str) -> None:
    pass


def test_danish_csv_files_open_in_a_danish_excel_and_read_back(danish: tuple[Path, str]) -> None:
    from wgsforecast._tabular import parse_decimal, read_table

    out, _ = danish
    raw = (out / "groups.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Patientgruppe;Status;Indmeldt pr. år;")
    frame = pd.read_csv(out / "groups.csv", sep=";", decimal=",", encoding="utf-8-sig")
    rate = "Gns. seneste 3 mdr."
    assert frame[rate].dtype == float and (frame[rate] % 1 != 0).any()  # decimal commas read
    # Our own reader (behind read_actuals/read_groups) detects the Danish format by itself.
    table = read_table(out / "groups.csv")
    assert table.danish is True
    column = table.header.index(rate)
    parsed = [float(parse_decimal(str(row.cells[column]), True)) for row in table.rows]
    assert parsed == pytest.approx(frame[rate].tolist())


def test_english_csv_keeps_comma_and_point(published_method: wf.Prognosis) -> None:
    from wgsforecast.csv_export import csv_bytes

    frame = pd.DataFrame({"a": [1.5, 2.0], "b": ["x", "y"]})
    assert csv_bytes(frame, "en").decode("utf-8-sig") == "a,b\n1.5,x\n2,y\n"
    assert csv_bytes(frame, "da").decode("utf-8-sig") == "a;b\n1,5;x\n2;y\n"


def test_group_table_headers_follow_the_window_and_the_cap_shares(
    bundled: wf.ProgrammeData,
) -> None:
    from wgsforecast.models import GroupRegistry
    from wgsforecast.report import collect

    six = bundled.assumptions.model_copy(update={"run_rate_window": 6})
    uniform = GroupRegistry([g.model_copy(update={"cap_share": 0.6}) for g in bundled.groups])
    content = collect(
        wf.ProgrammeData(bundled.actuals, uniform, six),
        engine="runrate",
        figures=False,
        log=_quiet,
    )
    columns = list(content.groups.columns)
    assert "Loft pr. år (60 %)" in columns and "Gns. seneste 6 mdr." in columns
    months = ["sep 2022", "okt 2022", "nov 2022", "dec 2022", "jan 2023", "feb 2023"]
    start = columns.index("sep 2022")
    assert columns[start : start + 6] == months
    assert not any("75" in c or "3 mdr" in c for c in columns)
    assert any("løbende niveau over 6 mdr." in n and "loft 60 %" in n for n in content.quality)

    mixed = GroupRegistry(
        [g.model_copy(update={"cap_share": 0.5}) if g.key == "lever" else g for g in bundled.groups]
    )
    content = collect(
        wf.ProgrammeData(bundled.actuals, mixed, bundled.assumptions),
        engine="runrate",
        lang="en",
        figures=False,
        log=_quiet,
    )
    table = content.groups.set_index("Patient group")
    assert "Cap per year" in table.columns and "Mean of last 3 months" in table.columns
    shares = table["Cap share (%)"]
    assert shares[mixed["lever"].name_en] == 50
    assert (shares.drop(mixed["lever"].name_en) == 75).all()
    assert (
        table.loc[mixed["lever"].name_en, "Cap per year"] == 0.5 * mixed["lever"].declared_per_year
    )


def test_data_after_the_as_of_month_does_not_leak_into_flags_and_notes(
    bundled: wf.ProgrammeData,
) -> None:
    from wgsforecast.exceptions import InputError
    from wgsforecast.report import collect

    actuals = bundled.actuals.copy()
    december = pd.Period("2022-12", "M")
    # A month reported as 0 is a report, not stale data.
    actuals.loc[(actuals["group"] == "oftalmologi") & (actuals["month"] == december), "ge"] = 0
    data = wf.ProgrammeData(actuals, bundled.groups, bundled.assumptions.with_as_of(december))
    content = collect(data, engine="runrate", figures=False, log=_quiet)
    # Hæmatologisk cancer has data from January 2023 only: after the as-of month.
    name = bundled.groups["haematologisk-cancer"].name_da
    flags = content.groups.set_index("Patientgruppe")["Bemærkning"]
    assert flags[name].startswith("ingen data endnu")
    # One note for a group not live yet: the engine's, which names its start month.
    assert [n for n in content.quality if n.startswith(f"{name}:")] == [
        f"{name}: ikke i drift endnu: starter januar 2023"
    ]
    assert not [n for n in content.quality if "seneste data" in n]
    assert "feb 2023" not in content.groups.columns
    # A live group without a row for the as-of month is refused at the engine boundary
    # (the same rule as the file readers), so the report never runs on stale data.
    missing = actuals[~((actuals["group"] == "nyresvigt") & (actuals["month"] == december))]
    stale = wf.ProgrammeData(missing, bundled.groups, bundled.assumptions.with_as_of(december))
    with pytest.raises(InputError, match="'nyresvigt' has no row for 2022-12"):
        collect(stale, engine="runrate", figures=False, log=_quiet)


@pytest.mark.parametrize("engine", ["runrate", "flat", "adoption"])
def test_every_engine_note_of_the_bundled_data_is_danish(
    bundled: wf.ProgrammeData, engine: str
) -> None:
    from wgsforecast.report.notes import note_text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the adoption engine warns of each prior fallback
        prognosis = wf.forecast(
            bundled.actuals, bundled.groups, bundled.assumptions, engine=engine, n_paths=20
        )
    notes = [n for group in prognosis.group_notes.values() for n in group]
    assert notes, "the bundled data has groups without data: every engine notes them"
    for note in notes:
        assert not re.search(r"months|fell back|not live|projected", note_text(note, "da"))


def test_danish_report_has_no_english_engine_notes(danish: tuple[Path, str]) -> None:
    out, _ = danish
    text = (out / "summary.md").read_text(encoding="utf-8") + (out / "rapport.html").read_text(
        encoding="utf-8"
    )
    assert "mdr. historik" in text
    assert not re.search(r"months of history|fell back|not live yet|needed\)", text)


def test_a_failed_report_saves_no_vintage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: wf.ProgrammeData
) -> None:
    from wgsforecast.report import build, collecting, writing
    from wgsforecast.vintages import VintageExistsError

    root = tmp_path / "vintages"
    root.mkdir()
    monkeypatch.setattr(collecting, "make_figures", lambda _: [])

    def broken(_: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "render_html", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build.build_report(
            bundled, tmp_path / "out", engine="runrate", save_vintage="v1", vintages_root=root
        )
    assert not (root / "v1").exists()
    monkeypatch.undo()
    monkeypatch.setattr(collecting, "make_figures", lambda _: [])
    result = build.build_report(
        bundled, tmp_path / "out", engine="runrate", save_vintage="v1", vintages_root=root, log=None
    )
    assert result.vintage == root / "v1" and result.html.is_file()
    # A taken name fails before any work: the output folder is not even created.
    with pytest.raises(VintageExistsError, match="exists already"):
        build.build_report(
            bundled, tmp_path / "new", engine="runrate", save_vintage="v1", vintages_root=root
        )
    assert not (tmp_path / "new").exists()


@pytest.mark.filterwarnings("ignore::wgsforecast.exceptions.PriorFallbackWarning")
def test_a_smaller_run_removes_the_earlier_reports_extra_files_only(
    tmp_path: Path, bundled: wf.ProgrammeData
) -> None:
    from wgsforecast.report import build, collect
    from wgsforecast.report.figures import Figure
    from wgsforecast.report.output import MANIFEST

    out = tmp_path / "out"
    first = collect(bundled, n_paths=30, figures=False, log=_quiet)  # adoption: more tables
    first.figures = [Figure("fan", "Fan", b"png", b"<svg/>")]
    build.write_report(first, out, log=_quiet)
    assert (out / "table1_evidence.csv").is_file() and (out / "figures" / "fan.svg").is_file()
    (out / "mine.txt").write_text("not the report's")
    (out / "figures" / "own.png").write_bytes(b"also not")
    (out / "summary.md").unlink()  # a report file already gone must not fail the cleanup

    second = collect(bundled, engine="runrate", figures=False, log=_quiet)
    written = build.write_report(second, out, log=_quiet)
    assert not (out / "table1_evidence.csv").exists()
    assert not (out / "figures" / "fan.png").exists() and not (out / "figures" / "fan.svg").exists()
    assert (out / "mine.txt").read_text() == "not the report's"
    assert (out / "figures" / "own.png").read_bytes() == b"also not"
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(listed) == sorted(p.relative_to(out).as_posix() for p in written)
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == {
        *listed,
        MANIFEST,
        LOCK,
        "mine.txt",
        "figures/own.png",
    }

    # A stale file someone changed after the report wrote it is left alone.
    (out / "rapport.html").write_text("my notes")
    third = collect(bundled, engine="runrate", lang="en", figures=False, log=_quiet)
    build.write_report(third, out, log=_quiet)
    assert (out / "rapport.html").read_text() == "my notes" and (out / "report.html").is_file()
    assert not (out / "tabeller.xlsx").exists() and (out / "tables.xlsx").is_file()
    assert (out / "monthly.csv").read_text(encoding="utf-8-sig").startswith("group,month")


def test_a_file_the_report_would_replace_must_be_its_own(
    tmp_path: Path, bundled: wf.ProgrammeData
) -> None:
    from wgsforecast.report import build, collect

    content = collect(bundled, engine="runrate", figures=False, log=_quiet)
    out = tmp_path / "out"
    build.write_report(content, out, log=_quiet)
    (out / "monthly.csv").write_text("edited by hand")
    (out / "groups.csv").unlink()
    (out / "groups.csv").write_text("the user's own groups file")
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(OutputFolderError) as error:
        build.write_report(content, out, log=_quiet)
    message = str(error.value)
    assert "monthly.csv (changed since an earlier report)" in message
    assert "groups.csv" in message and "nothing was written" in message
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_a_folder_of_someone_elses_files_is_refused_before_any_work(
    tmp_path: Path, bundled: wf.ProgrammeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wgsforecast.report import build_report, collecting

    monkeypatch.setattr(collecting, "make_figures", lambda _: [])
    out = tmp_path / "out"
    out.mkdir()
    (out / "monthly.csv").write_text("group,month,ge\n")  # the user's own input
    (out / "backtest").mkdir()  # another command's output folder does not count
    with pytest.raises(OutputFolderError, match=r"holds files that no earlier report wrote"):
        build_report(bundled, out, engine="runrate", log=None)
    assert sorted(p.name for p in out.iterdir()) == ["backtest", "monthly.csv"]
    result = run_cli("--out", out, "--engine", "runrate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "monthly.csv" in result.stderr and "choose another --out" in result.stderr
    (out / "monthly.csv").unlink()
    build_report(bundled, out, engine="runrate", log=None)  # only backtest/: allowed
    assert (out / "rapport.html").is_file()


def test_out_naming_a_file_fails_at_once(tmp_path: Path) -> None:
    target = tmp_path / "rapport.txt"
    target.write_text("mine")
    result = run_cli("--out", target, "--engine", "runrate")
    assert result.returncode == 2
    assert f"{target} is a file, not a folder" in result.stderr
    assert "forecasting" not in result.stderr  # refused before the run
    assert target.read_text() == "mine"


def _tiny_figure() -> object:
    from wgsforecast.plotting import pyplot

    fig = pyplot().figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    return fig


def test_figures_are_drawn_once_each_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures
    import multiprocessing

    from wgsforecast.report import figures

    def no_workers(*args: object, **kwargs: object) -> None:
        raise AssertionError("no worker processes: a killed report leaves none behind")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_workers)
    monkeypatch.setattr(multiprocessing, "Process", no_workers)
    drawn: list[str] = []

    def plan(name: str) -> tuple[str, str, object]:
        def draw() -> object:
            drawn.append(name)
            return _tiny_figure()

        return (name, name.upper(), draw)

    rendered = figures.render_all([plan("a"), plan("b")])  # type: ignore[list-item]
    assert drawn == ["a", "b"]
    assert rendered[("a", "png")].startswith(b"\x89PNG") and b"<svg" in rendered[("b", "svg")]


def test_a_plotting_bug_fails_the_report() -> None:
    from wgsforecast.report import figures

    def bug() -> object:
        raise TypeError("bad argument in a plotting function")

    with pytest.raises(TypeError, match="bad argument"):
        figures.render_all([("ok", "OK", _tiny_figure), ("bug", "Bug", bug)])


def test_a_plotting_bug_fails_build_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: wf.ProgrammeData
) -> None:
    from wgsforecast import plotting
    from wgsforecast.report import build_report

    def bug(*args: object, **kwargs: object) -> object:
        raise ValueError("plot_monthly_by_group broke")

    monkeypatch.setattr(plotting, "plot_monthly_by_group", bug)
    frozen = gc.get_freeze_count()
    with pytest.raises(ValueError, match="broke"):
        build_report(bundled, tmp_path / "out", engine="runrate", log=None)
    assert not (tmp_path / "out" / "rapport.html").exists()
    assert gc.get_freeze_count() == frozen  # a failed report unfreezes too


def test_build_report_spares_older_objects_from_the_collector_only_while_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: wf.ProgrammeData
) -> None:
    # For speed the objects that exist when build_report starts are frozen (gc.freeze), so
    # the collector's passes skip them; afterwards they must be collectable again.
    from wgsforecast import plotting
    from wgsforecast.report import build_report

    draw = plotting.plot_monthly_by_group
    during: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        during.append(gc.get_freeze_count())
        return draw(*args, **kwargs)

    monkeypatch.setattr(plotting, "plot_monthly_by_group", counting)
    before = gc.get_freeze_count()
    build_report(bundled, tmp_path / "out", engine="runrate", log=None)
    assert len(during) == 1 and during[0] > before
    assert gc.get_freeze_count() == before


def test_provenance_records_what_ran(bundled: wf.ProgrammeData) -> None:
    from wgsforecast.report import collect

    # A deterministic engine asked for 2000 paths and a seed runs one path and no seed.
    content = collect(bundled, engine="flat", n_paths=2000, seed=2023, figures=False, log=_quiet)
    assert content.provenance["engine"] == "runrate (1 path, no seed), flat (1 path, no seed)"
    content = collect(bundled, engine="trend", n_paths=40, seed=7, figures=False, log=_quiet)
    assert content.provenance["engine"] == "runrate (1 path, no seed), trend (40 paths, seed 7)"


def test_the_group_figure_caption_explains_falling_medians_only_under_a_ceiling(
    bundled: wf.ProgrammeData, danish: tuple[Path, str]
) -> None:
    from wgsforecast.report import collect
    from wgsforecast.report.figures import Figure
    from wgsforecast.report.html import _figure

    out, _ = danish
    html = (out / "rapport.html").read_text(encoding="utf-8")
    # The bundled assumptions state a national capacity: the evidence engine draws a ceiling.
    assert "Grupperne deler én national kapacitet (et usikkert loft)" in html
    # The published method draws none, so its caption says nothing of one.
    content = collect(bundled, engine="runrate", figures=False, log=_quiet)
    assert content.main.national_ceiling is None
    content.figures = [Figure("group_ramps", "title", b"png", b"svg")]
    caption = _figure(content, "group_ramps")
    assert "Et panel pr. patientgruppe" in caption and "national kapacitet" not in caption
