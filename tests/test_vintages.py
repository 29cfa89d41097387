"""Vintages: immutable saved prognoses, the shipped published vintage, and later scoring."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.models import Programme
from wgsforecast.vintages import (
    BUNDLED_CONTENT_HASHES,
    LEDGER,
    PUBLISHED_NAME,
    VintageError,
    VintageExistsError,
    change_since,
    plot_vintages,
    previous_vintage,
    published_files,
    save_published_vintage,
    store,
)
from wgsforecast.vintages.vintage import (
    LedgerFile,
    Vintage,
    VintageManifest,
    VintageMetadata,
    content_hash,
    files_hash,
    sha256,
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
    # No staging folder left over: the vintage, the ledger and the lock file only.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".vintages.lock", "2023-03-ours", LEDGER]


def test_a_saved_vintage_reads_back_with_its_numbers(
    published_method: wf.Prognosis, tmp_path: Path
) -> None:
    wf.save_vintage(published_method, "v1", root=tmp_path)
    vintage = wf.load_vintage("v1", root=tmp_path)
    assert vintage.target_month == published_method.target_month()
    assert vintage.as_of == published_method.as_of
    assert vintage.metadata.engine == "runrate"
    totals = vintage.table1.set_index("period_da")["ge_cumulative"]
    table = published_method.yearly_table()
    assert totals["Medio 2024"] == float(table.loc["Total antal genomækvivalenter", "Medio 2024"])
    national = published_method.cumulative()
    assert np.allclose(vintage.cumulative["cumulative"], national["cumulative"])
    assert vintage.has_groups
    assert set(vintage.groups_monthly["group"]) == set(published_method.groups.keys)
    # The published March 2023 vintage ships with the package and is always the first.
    assert [v.name for v in wf.list_vintages(tmp_path)] == [PUBLISHED_NAME, "v1"]


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
    assert shipped.metadata.ge_by_deadline == 34_282
    assert not shipped.has_groups
    reference = pd.read_csv(REPO / "data" / "table1_2023_03.csv")
    assert list(shipped.table1["ge_cumulative"]) == list(reference["ge_cumulative"])
    assert shipped.bundled
    # The shipped folder is exactly what the documented function makes from the CSV.
    files = published_files(REPO / "data" / "table1_2023_03.csv")
    remade = files_hash(files)
    assert remade == shipped.content_hash == BUNDLED_CONTENT_HASHES[PUBLISHED_NAME]
    # A store does not take the shipped vintage's name, nor a copy of its content.
    with pytest.raises(VintageExistsError, match="taken by the vintage shipped"):
        save_published_vintage(REPO / "data" / "table1_2023_03.csv", root=tmp_path)
    with pytest.raises(VintageExistsError, match=f"already saved as vintage '{PUBLISHED_NAME}'"):
        save_published_vintage(REPO / "data" / "table1_2023_03.csv", "copy", root=tmp_path)


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


@pytest.mark.parametrize(
    ("reached", "predicted", "last", "english"),
    [
        (True, "2025-06", "2025-07", "scored"),
        (True, None, "2025-07", "prognosis did not reach the target; the actuals did"),
        (False, "2025-06", "2025-07", "actuals not at the target by 2025-07, later than predicted"),
        (False, "2025-08", "2025-07", "actuals have not reached the target yet"),
        (False, None, None, "actuals have not reached the target yet"),
    ],
)
def test_a_target_status_follows_one_rule_in_both_languages(
    reached: bool, predicted: str | None, last: str | None, english: str
) -> None:
    from wgsforecast.commands._csv_tables import target_status as csv_status
    from wgsforecast.vintages.scoring import target_status

    def month(text: str | None) -> pd.Period | None:
        return None if text is None else pd.Period(text, "M")

    assert target_status(reached, month(predicted), month(last)) == english
    danish = target_status(reached, month(predicted), month(last), "da")
    assert danish and danish != english
    if "later than predicted" in english:  # the Danish text names the month too
        assert f"i {last}," in danish
    # The CSV and terminal lines read the same facts back from a targets row.
    row = {"actual_month": "2025-05" if reached else None, "predicted_month": predicted}
    assert csv_status(row, last, "da") == danish
    assert csv_status(row, last, "en") == english


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
    # Both use data to February 2023: a comparison, not a change over time.
    assert change.same_as_of
    assert text.startswith("Compared with Published prognosis March 2023 (item 112/23)")
    assert "Since" not in text
    assert change.describe("da")[0].startswith("Sammenlignet med «Offentliggjort prognose")


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
    root = tmp_path / "vintages"  # an empty store: the published vintage ships with wgsforecast

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
    listed = cli("list", "--lang", "en")
    assert "2023-03-published" in listed.stdout and "2023-03-runrate" in listed.stdout
    assert "(shipped, read-only)" in listed.stdout
    compared = cli("compare", "--out", str(tmp_path / "out"), "--lang", "en")
    assert compared.returncode == 0, compared.stderr
    assert "no actuals after its as-of month yet" in compared.stdout
    assert (tmp_path / "out" / "vintages.png").stat().st_size > 10_000
    targets = pd.read_csv(tmp_path / "out" / "vintage_targets.csv")
    assert set(targets["vintage"]) == {"2023-03-published", "2023-03-runrate"}


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"{constant} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


def test_deadline_beyond_the_horizon_is_unknown_not_zero(
    bundled: wf.ProgrammeData, published_method: wf.Prognosis, tmp_path: Path
) -> None:
    # Six months from February 2023 ends before the June 2024 deadline.
    short = wf.forecast(
        bundled.actuals,
        bundled.groups,
        bundled.assumptions.model_copy(update={"horizon_months": 6}),
    )
    folder = wf.save_vintage(short, "short", root=tmp_path)
    metadata = _strict_json((folder / "metadata.json").read_text())
    assert isinstance(metadata, dict)
    assert metadata["p_target_by_deadline"] is None and metadata["ge_by_deadline"] is None
    # Within the horizon the vintage records what the prognosis itself says.
    folder = wf.save_vintage(published_method, "full", root=tmp_path)
    metadata = _strict_json((folder / "metadata.json").read_text())
    assert isinstance(metadata, dict)
    assert metadata["p_target_by_deadline"] == published_method.p_target_by_deadline()
    assert metadata["ge_by_deadline"] == round(published_method.ge_by_deadline(), 1)
    change = change_since(short, wf.load_vintage("full", root=tmp_path), lang="en")
    assert change.current_by_deadline is None
    assert change.previous_by_deadline == pytest.approx(published_method.ge_by_deadline())
    assert "cannot be compared" in change.describe("en")[0]


def test_vintage_outputs_say_the_actuals_are_reconstructed(
    published_method: wf.Prognosis, tmp_path: Path
) -> None:
    import matplotlib.pyplot as plt

    from wgsforecast.plotting import GID_FOOTNOTE

    folder = wf.save_vintage(published_method, "v1", root=tmp_path)
    for file in ("table1.csv", "cumulative.csv", "groups_monthly.csv"):
        assert set(pd.read_csv(folder / file)["data_notes"]) == {"reconstructed"}, file
    data = wf.load_bundled()
    comparison = wf.compare_vintages(data.actuals, root=SHIPPED)
    assert comparison.data_notes == ("reconstructed",)
    assert set(comparison.targets["data_notes"]) == {"reconstructed"}
    assert list(comparison.errors.columns)[-1] == "data_notes"
    for lang, actual in (("da", "Faktisk (rekonstrueret)"), ("en", "Actual (reconstructed)")):
        ax = plot_vintages(comparison, lang=lang)
        assert actual in [line.get_label() for line in ax.get_lines()]
        notes = [t.get_text() for t in ax.figure.texts if t.get_gid() == GID_FOOTNOTE]
        assert (
            len(notes) == 1 and ("rekonstrueret" if lang == "da" else "reconstructed") in notes[0]
        )
        plt.close(ax.figure)
    # Actuals without the note are drawn without it.
    official = data.actuals.copy()
    official.attrs = {}
    ax = plot_vintages(wf.compare_vintages(official, root=SHIPPED), lang="en")
    assert "Actual" in [line.get_label() for line in ax.get_lines()]
    assert not [t for t in ax.figure.texts if t.get_gid() == GID_FOOTNOTE]
    plt.close(ax.figure)


def test_published_vintage_takes_other_facts_and_checks_the_deadline_row(tmp_path: Path) -> None:
    source = REPO / "data" / "table1_2023_03.csv"
    folder = save_published_vintage(
        source,
        "other",
        root=tmp_path,
        as_of="2023-05",
        target_month=None,
        target_ge=50_000,
        deadline="2024-12",
        label="Anden prognose",
        label_en="Other prognosis",
        published=None,
    )
    vintage = wf.load_vintage(folder)
    assert vintage.as_of == pd.Period("2023-05", "M")
    assert vintage.target_month is None and vintage.target_ge == 50_000
    assert vintage.metadata.ge_by_deadline == 47_289  # the 2024-12 row of the file
    assert vintage.label == "Anden prognose" and vintage.metadata.label_en == "Other prognosis"
    with pytest.raises(VintageError) as error:
        save_published_vintage(source, "bad", root=tmp_path, deadline="2024-09")
    message = str(error.value)
    assert str(source) in message and "no row with period_end 2024-09" in message
    assert "2024-06" in message  # the months the file does have
    with pytest.raises(VintageError, match="months are written like 2024-06"):
        save_published_vintage(source, "bad", root=tmp_path, as_of="sometime")
    assert not (tmp_path / "bad").exists()


def test_group_shift_beyond_the_horizon_is_not_a_number_of_months(tmp_path: Path) -> None:
    data = wf.load_bundled()
    key = "sjaeldne-sygdomme"
    group = data.groups[key]
    smaller = data.groups.replace(
        [group.model_copy(update={"declared_per_year": group.declared_per_year / 2})]
    )
    before = wf.forecast(data.actuals, data.groups, data.assumptions)
    after = wf.forecast(data.actuals, smaller, data.assumptions)
    # A target between the two horizon-end totals: reached before, never after.
    end_before = float(before.cumulative_paths[0, -1])
    end_after = float(after.cumulative_paths[0, -1])
    assert end_after < end_before
    programme = Programme(target_ge=round((end_before + end_after) / 2), deadline="2024-06")
    assumptions = data.assumptions.model_copy(update={"programme": programme})
    before = wf.forecast(data.actuals, data.groups, assumptions)
    after = wf.forecast(data.actuals, smaller, assumptions)
    assert before.target_month() is not None and after.target_month() is None
    wf.save_vintage(before, "before", root=tmp_path)
    change = change_since(after, wf.load_vintage("before", root=tmp_path), lang="en")
    assert change.groups is not None
    rows = change.groups.set_index("group")
    assert pd.isna(rows.loc[key, "shift_months"]) and bool(rows.loc[key, "beyond_horizon"])
    assert rows.loc[key, "direction"] == "later"
    others = rows.drop(key)
    assert (others["direction"] == "unknown").all() and others["shift_months"].isna().all()
    text = change.describe("en")
    assert f"{group.name_en}: moves the target later, beyond the horizon." in text
    assert not any("months later" in line or "months earlier" in line for line in text[1:])


def test_a_broken_vintage_is_an_error_naming_it_everywhere(
    published_method: wf.Prognosis, bundled: wf.ProgrammeData, tmp_path: Path
) -> None:
    wf.save_vintage(published_method, "good", root=tmp_path)
    broken = wf.save_vintage(published_method, "broken", root=tmp_path, label="another label")
    manifest = broken / "manifest.json"
    manifest.chmod(0o644)
    manifest.write_text("{not json")
    with pytest.raises(VintageError) as error:
        wf.load_vintage("broken", root=tmp_path)
    message = str(error.value)
    assert "'broken'" in message and "not valid JSON" in message
    assert "restore the folder from version control" in message
    manifest.write_text("{}")
    with pytest.raises(VintageError, match="lacks 'files'"):
        wf.load_vintage("broken", root=tmp_path)
    # A damaged store is never silently skipped: listing, comparing, finding the previous
    # vintage and saving all refuse, naming the folder. Loading one intact vintage reads
    # and checks only that one.
    assert wf.load_vintage("good", root=tmp_path).name == "good"
    for call in (
        lambda: wf.list_vintages(tmp_path),
        lambda: wf.compare_vintages(bundled.actuals, root=tmp_path),
        lambda: previous_vintage(published_method, tmp_path),
    ):
        with pytest.raises(VintageError, match="'broken'"):
            call()
    other = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions.with_as_of("2022-06"))
    with pytest.raises(VintageError, match="'broken'"):
        wf.save_vintage(other, "2022-06", root=tmp_path)
    assert not (tmp_path / "2022-06").exists()
    result = _cli(tmp_path, "list")
    assert result.returncode == 2, result.stderr
    assert "'broken'" in result.stderr and "Traceback" not in result.stderr
    assert "good" in result.stdout  # the intact ones are still shown


def _cli(root: Path, *args: str, out: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "wgsforecast"]
    if args and args[0] == "report":
        command += [*args, "--vintages", str(root), "--out", str(out)]
    else:
        command += ["vintages", "--vintages", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_a_changed_vintage_fails_list_compare_and_report(
    published_method: wf.Prognosis, tmp_path: Path
) -> None:
    root = tmp_path / "vintages"
    folder = wf.save_vintage(published_method, "2023-03-runrate", root=root)
    table = folder / "cumulative.csv"
    table.chmod(0o644)
    table.write_text(table.read_text().replace("1", "2"))
    for args in (("list",), ("compare", "--out", str(tmp_path / "scores")), ("report",)):
        result = _cli(root, *args, out=tmp_path / "report")
        assert result.returncode == 2, (args, result.stderr)
        assert str(table) in result.stderr and "does not match its hash" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "report").exists()  # refused before the run


def test_a_deleted_or_renamed_vintage_is_detected(
    published_method: wf.Prognosis, bundled: wf.ProgrammeData, tmp_path: Path
) -> None:
    root = tmp_path / "vintages"
    folder = wf.save_vintage(published_method, "2023-03-runrate", root=root)
    earlier = wf.forecast(
        bundled.actuals, bundled.groups, bundled.assumptions.with_as_of("2022-06")
    )
    wf.save_vintage(earlier, "2022-06", root=root, label="June 2022")
    ledger = json.loads((root / LEDGER).read_text())["vintages"]
    assert set(ledger) == {"2023-03-runrate", "2022-06"}

    renamed = root / "2023-06"
    folder.rename(renamed)
    with pytest.raises(VintageError) as error:
        wf.list_vintages(root)
    message = str(error.value)
    assert "'2023-03-runrate' is listed in" in message and "was deleted or renamed" in message
    assert f"{renamed} is not in" in message
    renamed.rename(folder)
    assert [v.name for v in wf.list_vintages(root)] == [
        "2022-06",
        PUBLISHED_NAME,
        "2023-03-runrate",
    ]

    for path in folder.iterdir():
        path.chmod(0o644)
    shutil.rmtree(folder)
    with pytest.raises(VintageError, match=r"'2023-03-runrate' is listed in .* is missing"):
        previous_vintage(published_method, root)
    # Deleting the ledger too does not make the store trusted again.
    (root / LEDGER).unlink()
    with pytest.raises(VintageError, match=f"has no {LEDGER}"):
        wf.list_vintages(root)
    # After checking the folders, the ledger can be rebuilt from them.
    result = _cli(root, "reindex")
    assert result.returncode == 0, result.stderr
    assert [v.name for v in wf.list_vintages(root)] == ["2022-06", PUBLISHED_NAME]


@pytest.mark.parametrize("name", ["a/b", "v1\n", "../up", "", ".hidden", "with space", "x" * 81])
def test_vintage_names_are_checked_before_any_work(
    published_method: wf.Prognosis, tmp_path: Path, name: str
) -> None:
    with pytest.raises(VintageError, match="not usable as a folder name"):
        wf.save_vintage(published_method, name, root=tmp_path)
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_report_checks_the_vintage_name_before_the_run(tmp_path: Path) -> None:
    for name in ("a/b", "v1\n"):
        result = _cli(tmp_path / "vintages", "report", "--save-vintage", name, out=tmp_path / "o")
        assert result.returncode == 2
        assert "not usable as a folder name" in result.stderr
        assert "forecasting" not in result.stderr  # no slow run first
        assert not (tmp_path / "o").exists()
    saved = _cli(tmp_path / "vintages", "save", "a/b")
    assert saved.returncode == 2 and "not usable as a folder name" in saved.stderr


SAVE_ONE = """
import sys
import wgsforecast as wf
from wgsforecast.vintages import VintageExistsError

data = wf.load_bundled()
prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
print("ready", flush=True)
sys.stdin.readline()
try:
    wf.save_vintage(prognosis, sys.argv[1], root=sys.argv[2])
except VintageExistsError as error:
    print("refused:", error)
else:
    print("saved")
"""


def test_two_concurrent_saves_of_the_same_content_cannot_both_succeed(tmp_path: Path) -> None:
    root = tmp_path / "vintages"
    savers = [
        subprocess.Popen(
            [sys.executable, "-c", SAVE_ONE, name, str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for saver in savers:  # both ready: the forecast made, the save about to start
        assert saver.stdout is not None and saver.stdout.readline().strip() == "ready"
    for saver in savers:
        assert saver.stdin is not None
        saver.stdin.write("go\n")
        saver.stdin.flush()
    outputs = [saver.communicate(timeout=120)[0] for saver in savers]
    assert sorted(o.split(":")[0].strip() for o in outputs) == ["refused", "saved"], outputs
    assert len(wf.list_vintages(root)) == 2  # the published one and one of the two


def test_the_store_defaults_to_the_working_folder_never_the_package(
    published_method: wf.Prognosis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wgsforecast.vintages import bundled_root, default_root

    monkeypatch.delenv("WGSFORECAST_VINTAGES", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_root() == tmp_path / "vintages"
    assert [v.name for v in wf.list_vintages()] == [PUBLISHED_NAME]
    assert wf.load_vintage(PUBLISHED_NAME).bundled
    folder = wf.save_vintage(published_method, "2023-03-ours")
    assert folder == tmp_path / "vintages" / "2023-03-ours"
    assert not (bundled_root() / "2023-03-ours").exists()
    monkeypatch.setenv("WGSFORECAST_VINTAGES", str(tmp_path / "elsewhere"))
    assert default_root() == tmp_path / "elsewhere"
    assert [v.name for v in wf.list_vintages()] == [PUBLISHED_NAME]


def test_the_previous_vintage_is_never_the_prognosis_itself(
    bundled: wf.ProgrammeData, published_method: wf.Prognosis, tmp_path: Path
) -> None:
    # A saved prognosis is skipped (its content hash is its own), whatever its name; a
    # vintage of another run of the same month is not.
    wf.save_vintage(published_method, "itself", root=tmp_path)
    previous = previous_vintage(published_method, tmp_path)
    assert previous is not None and previous.name == PUBLISHED_NAME
    other = wf.forecast(
        bundled.actuals, bundled.groups, bundled.assumptions, engine="flat", n_paths=1
    )
    wf.save_vintage(other, "other", root=tmp_path)
    previous = previous_vintage(published_method, tmp_path)
    assert previous is not None and previous.name == "other"


def test_an_earlier_vintage_reads_as_a_change_over_time(
    bundled: wf.ProgrammeData, published_method: wf.Prognosis, tmp_path: Path
) -> None:
    earlier = wf.forecast(
        bundled.actuals, bundled.groups, bundled.assumptions.with_as_of("2022-06")
    )
    wf.save_vintage(earlier, "2022-06", root=tmp_path, label="June 2022")
    # The published vintage (same as-of month) is the latest before this prognosis.
    previous = previous_vintage(published_method, tmp_path)
    assert previous is not None and previous.name == PUBLISHED_NAME
    change = change_since(published_method, wf.load_vintage("2022-06", root=tmp_path))
    assert not change.same_as_of
    assert change.describe("en")[0].startswith("Since June 2022:")


def test_the_shipped_vintages_folder_is_read_only(published_method: wf.Prognosis) -> None:
    from wgsforecast.vintages import bundled_root

    with pytest.raises(VintageError, match="read-only"):
        wf.save_vintage(published_method, "mine", root=bundled_root())
    assert not (bundled_root() / "mine").exists()


def test_vintage_json_files_read_back_to_the_same_bytes(
    published_method: wf.Prognosis, tmp_path: Path
) -> None:
    # The typed models write exactly what they read, so stored content hashes stay valid.
    saved = wf.save_vintage(published_method, "v1", root=tmp_path)
    for folder in (SHIPPED / PUBLISHED_NAME, saved):
        metadata = (folder / "metadata.json").read_bytes()
        manifest = (folder / "manifest.json").read_bytes()
        assert VintageMetadata.model_validate_json(metadata).to_json() == metadata
        assert VintageManifest.model_validate_json(manifest).to_json() == manifest
    ledger = (tmp_path / LEDGER).read_bytes()
    assert LedgerFile.model_validate_json(ledger).to_json() == ledger
    # Only the published vintage has an English label and a publication date.
    assert "label_en" not in json.loads((saved / "metadata.json").read_text())
    assert wf.load_vintage(PUBLISHED_NAME).metadata.label_en is not None


def _rehash(folder: Path) -> None:
    """Make the manifest match the files again (a hand-edited vintage read by its path)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"] = {f: sha256((folder / f).read_bytes()) for f in manifest["files"]}
    manifest["content_hash"] = content_hash(manifest["files"])
    (folder / "manifest.json").chmod(0o644)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_a_metadata_field_that_does_not_fit_is_named(
    published_method: wf.Prognosis, tmp_path: Path
) -> None:
    folder = wf.save_vintage(published_method, "v1", root=tmp_path)
    path = folder / "metadata.json"
    metadata = json.loads(path.read_text())
    metadata["target_ge"] = "many"
    del metadata["as_of"]
    path.chmod(0o644)
    path.write_text(json.dumps(metadata))
    _rehash(folder)
    with pytest.raises(VintageError) as error:
        wf.load_vintage(folder)
    message = str(error.value)
    assert str(path) in message and "lacks 'as_of'" in message and "'target_ge'" in message
    (tmp_path / LEDGER).write_text(json.dumps({"format": 1}))
    with pytest.raises(VintageError, match=r"ledger\.json lacks 'vintages'.*reindex"):
        wf.list_vintages(tmp_path)


def test_an_unchanged_vintage_is_hashed_once_and_a_changed_one_again(
    published_method: wf.Prognosis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Freshly written files are always re-hashed (timestamp granularity); here they count
    # as settled at once.
    monkeypatch.setattr(store, "_SETTLED_NS", 0)
    reads: list[str] = []
    read_folder = store._read_folder

    def counting(folder: Path, *, bundled: bool) -> Vintage:
        reads.append(folder.name)
        return read_folder(folder, bundled=bundled)

    monkeypatch.setattr(store, "_read_folder", counting)
    folder = wf.save_vintage(published_method, "v1", root=tmp_path)
    first = wf.list_vintages(tmp_path)
    reads.clear()
    again = wf.list_vintages(tmp_path)
    assert reads == [] and [v.name for v in again] == [v.name for v in first]
    # A caller changing a vintage's frames does not change the next read.
    again[-1].cumulative.loc[:, "cumulative"] = 0.0
    assert wf.load_vintage("v1", root=tmp_path).cumulative["cumulative"].max() > 0
    time.sleep(0.05)  # past the file system's timestamp granularity
    table = folder / "cumulative.csv"
    table.chmod(0o644)
    text = table.read_text()
    table.write_text(text.replace("1", "2", 1))  # same size, other content
    with pytest.raises(VintageError, match=r"cumulative\.csv does not match its hash"):
        wf.load_vintage("v1", root=tmp_path)
    assert reads[-1] == "v1"


def test_a_half_saved_vintage_is_removed_by_the_next_save(
    published_method: wf.Prognosis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a save killed before its rename leaves: a staging folder of read-only files.
    left = tmp_path / ".v0.abc123.part"
    left.mkdir()
    (left / "table1.csv").write_text("period\n")
    (left / "table1.csv").chmod(0o444)
    keep = tmp_path / ".keep"
    keep.write_text("not a staging folder")
    # A save failing at the rename leaves no staging folder and the ledger as it was.
    wf.save_vintage(published_method, "v1", root=tmp_path)
    ledger = (tmp_path / LEDGER).read_bytes()

    def refuse(source: object, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store.os, "rename", refuse)
    with pytest.raises(VintageError, match=r"could not save vintage 'v2'.*disk full"):
        wf.save_vintage(published_method, "v2", root=tmp_path, label="another label")
    assert not left.exists() and keep.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".keep", ".vintages.lock", LEDGER, "v1"]
    assert (tmp_path / LEDGER).read_bytes() == ledger
