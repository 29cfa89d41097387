"""Vintages: immutable saved prognoses, the shipped published vintage, and later scoring."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.models import Programme
from wgsforecast.vintages import (
    PUBLISHED_NAME,
    VintageError,
    VintageExistsError,
    change_since,
    previous_vintage,
    save_published_vintage,
)

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data" / "vintages"


def test_saving_the_same_prognosis_twice_is_refused(
    published_method: wf.Prognosis, tmp_path: Path
) -> None:
    folder = wf.save_vintage(published_method, "2023-03-ours", root=tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(VintageExistsError, match="exists already"):
        wf.save_vintage(published_method, "2023-03-ours", root=tmp_path)
    with pytest.raises(VintageExistsError, match="already saved as vintage '2023-03-ours'"):
        wf.save_vintage(published_method, "another-name", root=tmp_path)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not (tmp_path / "another-name").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["2023-03-ours"]  # no staging left over


def test_a_saved_vintage_reads_back_with_its_numbers(
    published_method: wf.Prognosis, tmp_path: Path
) -> None:
    wf.save_vintage(published_method, "v1", root=tmp_path)
    vintage = wf.load_vintage("v1", root=tmp_path)
    assert vintage.target_month == published_method.target_month()
    assert vintage.as_of == published_method.as_of
    assert vintage.metadata["engine"] == "runrate"
    totals = vintage.table1.set_index("period_da")["ge_cumulative"]
    table = published_method.yearly_table()
    assert totals["Medio 2024"] == float(table.loc["Total antal genomækvivalenter", "Medio 2024"])
    national = published_method.cumulative()
    assert np.allclose(vintage.cumulative["cumulative"], national["cumulative"])
    assert vintage.has_groups
    assert set(vintage.groups_monthly["group"]) == set(published_method.groups.keys)
    assert [v.name for v in wf.list_vintages(tmp_path)] == ["v1"]


def test_a_changed_vintage_file_is_detected(published_method: wf.Prognosis, tmp_path: Path) -> None:
    folder = wf.save_vintage(published_method, "v1", root=tmp_path)
    table = folder / "table1.csv"
    table.chmod(0o644)
    table.write_text(table.read_text().replace("34", "35"))
    with pytest.raises(VintageError, match=r"table1\.csv does not match its hash"):
        wf.load_vintage("v1", root=tmp_path)


def test_bad_names_and_unknown_vintages_are_clear_errors(
    published_method: wf.Prognosis, tmp_path: Path
) -> None:
    with pytest.raises(VintageError, match="not usable as a folder name"):
        wf.save_vintage(published_method, "../escape", root=tmp_path)
    with pytest.raises(VintageError, match="no vintage 'nope'"):
        wf.load_vintage("nope", root=tmp_path)


def test_shipped_published_vintage_is_table1_and_intact(tmp_path: Path) -> None:
    shipped = wf.load_vintage(PUBLISHED_NAME, root=SHIPPED)
    assert shipped.target_month == pd.Period("2025-06", "M")
    assert shipped.metadata["ge_by_deadline"] == 34_282
    assert not shipped.has_groups
    reference = pd.read_csv(REPO / "data" / "table1_2023_03.csv")
    assert list(shipped.table1["ge_cumulative"]) == list(reference["ge_cumulative"])
    # The shipped folder is exactly what the documented function makes from the CSV.
    remade = wf.load_vintage(
        save_published_vintage(REPO / "data" / "table1_2023_03.csv", root=tmp_path)
    )
    assert remade.content_hash == shipped.content_hash


def _small_target(prognosis_as_of: str, target: int) -> tuple[wf.ProgrammeData, wf.Assumptions]:
    data = wf.load_bundled()
    programme = Programme(target_ge=target, deadline=pd.Period("2022-12", "M"))
    assumptions = data.assumptions.model_copy(
        update={"as_of": pd.Period(prognosis_as_of, "M"), "programme": programme}
    )
    return data, assumptions


def test_compare_reports_the_target_month_error_against_later_actuals(tmp_path: Path) -> None:
    # A prognosis made with data to June 2021 for a small target that the (reconstructed)
    # actuals reach before February 2023, so its target month can be scored.
    data, assumptions = _small_target("2021-06", target=3_000)
    prognosis = wf.forecast(data.actuals, data.groups, assumptions)
    wf.save_vintage(prognosis, "2021-06", root=tmp_path)
    comparison = wf.compare_vintages(data.actuals, root=tmp_path)

    national = data.actuals.groupby("month")["ge"].sum().cumsum()
    actual_month = national.index[national.to_numpy() >= 3_000][0]
    predicted = prognosis.target_month()
    assert predicted is not None
    row = comparison.targets.set_index("vintage").loc["2021-06"]
    assert row["actual_month"] == str(actual_month)
    assert row["predicted_month"] == str(predicted)
    assert row["error_months"] == (predicted - actual_month).n
    assert row["status"] == "scored"

    errors = comparison.errors[comparison.errors["vintage"] == "2021-06"].set_index("month")
    assert errors.index[0] == "2021-07" and errors.index[-1] == "2023-02"
    projected = prognosis.cumulative().assign(month=lambda f: f["month"].astype(str))
    expected = projected.set_index("month").loc["2022-12", "cumulative"] - national.loc["2022-12"]
    assert errors.loc["2022-12", "error"] == pytest.approx(expected)
    assert bool(errors.loc["2022-12", "is_period_end"])


def test_change_since_the_published_vintage_says_it_has_no_groups(
    published_method: wf.Prognosis,
) -> None:
    previous = previous_vintage(published_method, SHIPPED)
    assert previous is not None and previous.name == PUBLISHED_NAME
    change = change_since(published_method, previous)
    assert change.groups is None
    assert change.shift_months == (published_method.target_month() - previous.target_month).n
    text = " ".join(change.describe("en"))
    assert "national totals only" in text


def test_change_between_two_vintages_names_the_group_that_moved(tmp_path: Path) -> None:
    data = wf.load_bundled()
    before = wf.forecast(data.actuals, data.groups, data.assumptions)
    wf.save_vintage(before, "before", root=tmp_path)
    # The rare-disease group (the largest live one) declares half as much: the target should
    # come later, because of that group alone.
    key = "sjaeldne-sygdomme"
    group = data.groups[key]
    smaller = data.groups.replace(
        [group.model_copy(update={"declared_per_year": group.declared_per_year / 2})]
    )
    after = wf.forecast(data.actuals, smaller, data.assumptions)
    change = change_since(after, wf.load_vintage("before", root=tmp_path), lang="en")
    assert change.shift_months is not None and change.shift_months > 0
    assert change.groups is not None
    moved = change.groups.set_index("group")["shift_months"]
    assert moved[key] > 0
    assert (moved.drop(key) == 0).all()
    assert any(group.name_en in line for line in change.describe("en"))


def test_vintages_cli_save_list_compare(tmp_path: Path) -> None:
    root = tmp_path / "vintages"
    shutil.copytree(SHIPPED, root)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wgsforecast", "vintages", "--root", str(root), *args],
            capture_output=True,
            text=True,
            timeout=300,
        )

    saved = cli("save", "2023-03-runrate")
    assert saved.returncode == 0, saved.stderr
    again = cli("save", "2023-03-runrate")
    assert again.returncode == 2
    assert "exists already" in again.stderr and "Traceback" not in again.stderr
    listed = cli("list")
    assert "2023-03-published" in listed.stdout and "2023-03-runrate" in listed.stdout
    compared = cli("compare", "--out", str(tmp_path / "out"))
    assert compared.returncode == 0, compared.stderr
    assert "no actuals after its as-of month yet" in compared.stdout
    assert (tmp_path / "out" / "vintages.png").stat().st_size > 10_000
    targets = pd.read_csv(tmp_path / "out" / "vintage_targets.csv")
    assert set(targets["vintage"]) == {"2023-03-published", "2023-03-runrate"}
