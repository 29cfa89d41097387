"""The quarterly report: files written, their contents, the terminal table, and failures."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.io import bundled_actuals_path, bundled_groups_path
from wgsforecast.periods import format_number

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
    root = tmp_path_factory.mktemp("vintages") / "vintages"
    shutil.copytree(REPO / "data" / "vintages", root)
    return root


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
    ):
        assert (out / name).stat().st_size > 100, name
    for figure in ("cumulative", "fan", "target_distribution", "monthly_by_group", "group_ramps"):
        assert (out / "figures" / f"{figure}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in (out / "figures" / f"{figure}.svg").read_bytes()[:2000]
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "staging folder left over"


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
        "Publiceret metode (genberegnet)",
        "Offentliggjort tabel 1",
        "Evidensbaseret prognose (adoption",
        "Patientgrupper",
        "Datakvalitet og antagelser",
        "Proveniens",
    ):
        assert heading in html, heading
    assert "rekonstrueret" in html
    assert "kun nationale totaler" in html  # the published vintage has no per-group data
    assert "faldt tilbage på prior" in html  # the adoption engine's flag, in Danish
    assert "ingen data endnu" in html  # groups not live in February 2023
    for path in (bundled_actuals_path(), bundled_groups_path()):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in html


def test_workbook_is_formatted_for_a_memo(
    danish: tuple[Path, str], published_method: wf.Prognosis
) -> None:
    from openpyxl import load_workbook

    out, _ = danish
    book = load_workbook(out / "tabeller.xlsx")
    assert book.sheetnames[:3] == ["Tabel 1", "Tabel 1 offentliggjort", "Evidensbaseret"]
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


def test_english_runrate_report_with_scenarios_funding_and_a_vintage(
    tmp_path: Path, vintages: Path
) -> None:
    root = tmp_path / "vintages"
    shutil.copytree(vintages, root)
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
    assert "34,177" in result.stdout or "Published" in result.stdout
    scenarios = pd.read_csv(out / "scenarios.csv")
    assert len(scenarios) == 2  # baseline and the scenario
    assert (out / "funding.csv").exists() and (out / "tables.xlsx").exists()
    saved = wf.load_vintage("2023-03-runrate", root=root)
    assert saved.metadata["engine"] == "runrate"
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
    from wgsforecast.report import build, collect, html

    data = wf.load_bundled()
    content = collect(data, engine="runrate", figures=False, log=lambda _: None)
    out = tmp_path / "out"
    build.write_report(content, out, log=lambda _: None)
    before = (out / "rapport.html").read_bytes()

    def broken(_: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(html, "render_html", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build.write_report(content, out, log=lambda _: None)
    assert (out / "rapport.html").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_group_table_shows_last_three_months_and_flags(bundled: wf.ProgrammeData) -> None:
    from wgsforecast.report import collect

    content = collect(bundled, engine="runrate", figures=False, log=lambda _: None)
    table = content.groups.set_index("Patientgruppe")
    actuals = bundled.actuals
    group = bundled.groups["sjaeldne-sygdomme"]
    for month, column in (("2022-12", "dec 2022"), ("2023-02", "feb 2023")):
        expected = actuals[(actuals["group"] == group.key) & (actuals["month"] == month)]["ge"]
        assert table.loc[group.name_da, column] == float(expected.sum())
    assert table.loc[bundled.groups["lever"].name_da, "Flag"].startswith("ingen data endnu")
    capped = content.published_method.group_table().set_index("group")["capped_months"]
    for key, months in capped.items():
        flag = table.loc[bundled.groups[key].name_da, "Flag"]
        assert ("ved loft" in flag) == (months > 0)


def test_frozen_date_ticks_render_the_same_files(published_method: wf.Prognosis) -> None:
    # The report fixes date ticks before rendering, for speed; the files must not change.
    from wgsforecast import plotting
    from wgsforecast.report import build

    def render(freeze: bool) -> tuple[bytes, bytes]:
        fig = plotting.plot_cumulative(published_method).figure
        if freeze:
            build._freeze_date_ticks(fig)
        files = build._render(fig, "png"), build._render(fig, "svg")
        plotting.pyplot().close(fig)
        return files

    assert render(freeze=True) == render(freeze=False)
