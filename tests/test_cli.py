"""The command line, run as a subprocess on files in a temporary folder."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXIT_USER_ERROR = 2
HEADER = "group,month,ge\n"


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wgsforecast", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_validate_accepts_the_bundled_actuals() -> None:
    from wgsforecast.io import bundled_actuals_path

    result = run_cli("validate", bundled_actuals_path())
    assert result.returncode == 0, result.stderr
    assert "7716 GE i alt" in result.stdout  # Danish by default
    english = run_cli("validate", bundled_actuals_path(), "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert "7716 GE in all" in english.stdout


def test_validate_accepts_the_bundled_groups_and_assumptions() -> None:
    from wgsforecast.io import bundled_assumptions_path, bundled_groups_path

    groups = run_cli("validate", bundled_groups_path())
    assert groups.returncode == 0, groups.stderr
    assert "17 patientgrupper" in groups.stdout
    assumptions = run_cli("validate", bundled_assumptions_path(), "--lang", "en")
    assert assumptions.returncode == 0, assumptions.stderr
    assert "as of 2023-02" in assumptions.stdout


BAD_ACTUALS = {
    # kind of bad input: (file content, extra CLI args, fragments the message must contain)
    "unknown group": (
        HEADER + "nyresvigt,2023-01,5\nnyresvigd,2023-02,5\n",
        (),
        ["row 3", "column 'group'", "nyresvigd", "did you mean nyresvigt"],
    ),
    "negative count": (
        HEADER + "nyresvigt,2023-01,-5\n",
        (),
        ["row 2", "column 'ge'", "-5"],
    ),
    "non-integer count": (
        HEADER + "nyresvigt,2023-01,12.5\n",
        (),
        ["row 2", "column 'ge'", "12.5"],
    ),
    "text count": (
        HEADER + "nyresvigt,2023-01,mange\n",
        (),
        ["row 2", "column 'ge'", "mange"],
    ),
    "duplicated group-month": (
        HEADER + "nyresvigt,2023-01,5\nnyresvigt,2023-01,6\n",
        (),
        ["row 3", "2023-01", "rows 2 and 3"],
    ),
    "missing month inside history": (
        HEADER + "nyresvigt,2022-11,5\nnyresvigt,2023-01,6\n",
        (),
        ["2022-12", "nyresvigt", "ge 0"],
    ),
    "month after the as-of month": (
        HEADER + "nyresvigt,2023-01,5\nnyresvigt,2023-02,6\nnyresvigt,2023-03,7\n",
        ("--as-of", "2023-02"),
        ["row 4", "2023-03", "as-of"],
    ),
    "unparseable month": (
        HEADER + "nyresvigt,13/2023,5\n",
        (),
        ["row 2", "column 'month'", "13/2023"],
    ),
    "empty file": ("", (), ["empty"]),
    "header only": (HEADER, (), ["no data"]),
    "missing column": ("group,month\nnyresvigt,2023-01\n", (), ["ge"]),
}


@pytest.mark.parametrize("kind", sorted(BAD_ACTUALS))
def test_validate_reports_bad_input_clearly(tmp_path: Path, kind: str) -> None:
    content, extra, fragments = BAD_ACTUALS[kind]
    path = tmp_path / "actuals.csv"
    path.write_text(content, encoding="utf-8")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run_cli("validate", path, *extra)
    assert result.returncode == EXIT_USER_ERROR, (kind, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "actuals.csv" in result.stderr
    for fragment in fragments:
        assert fragment.lower() in result.stderr.lower(), (kind, fragment, result.stderr)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # input never modified


def test_validate_reports_every_bad_row_at_once(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        HEADER + "nyresvigt,2023-01,-1\nnyresvigt,2023-02,x\nukendt,2023-01,3\n", encoding="utf-8"
    )
    result = run_cli("validate", path)
    assert result.returncode == EXIT_USER_ERROR
    assert "3 problems" in result.stderr
    for row in ("row 2", "row 3", "row 4"):
        assert row in result.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path / "findes-ikke.csv")
    assert result.returncode == EXIT_USER_ERROR
    assert "findes-ikke.csv does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_old_xls_workbook_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "gammel.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    result = run_cli("validate", path)
    assert result.returncode == EXIT_USER_ERROR
    assert ".xlsx" in result.stderr


def test_bad_assumptions_key_names_file_key_and_nearest(tmp_path: Path) -> None:
    path = tmp_path / "antagelser.toml"
    path.write_text('[prognosis]\nas_of = "2023-02"\nrun_rate_windw = 3\n', encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == EXIT_USER_ERROR
    for fragment in ("antagelser.toml", "run_rate_windw", "run_rate_window"):
        assert fragment in result.stderr


def test_bad_patient_group_file_names_row_and_column(tmp_path: Path) -> None:
    from wgsforecast.io import bundled_groups_path

    lines = bundled_groups_path().read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",0.75,", ",1.75,", 1)  # cap share above 1 in row 4
    path = tmp_path / "grupper.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == EXIT_USER_ERROR
    for fragment in ("grupper.csv", "row 4", "cap_share"):
        assert fragment in result.stderr


def test_module_and_console_script_agree() -> None:
    script = Path(sys.executable).with_name("wgsforecast")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    via_module = run_cli("--version")
    via_script = subprocess.run([script, "--version"], capture_output=True, text=True)
    assert via_module.stdout == via_script.stdout
    assert via_module.stdout.startswith("wgsforecast ")


def test_bad_as_of_month_says_how_to_write_one(tmp_path: Path) -> None:
    from wgsforecast.io import bundled_actuals_path

    result = run_cli("validate", bundled_actuals_path(), "--as-of", "2023-13")
    assert result.returncode == EXIT_USER_ERROR
    assert "'2023-13' is not a month; write it as 2023-02" in result.stderr


def test_as_of_after_the_last_data_month_is_refused(tmp_path: Path) -> None:
    result = run_cli("report", "--as-of", "2023-06", "--engine", "runrate", "--out", tmp_path)
    assert result.returncode == EXIT_USER_ERROR
    assert "Traceback" not in result.stderr
    assert "the actuals end in 2023-02 but the as-of month is 2023-06" in result.stderr


def test_unquoted_year_in_assumptions_is_not_read_as_an_excel_date(tmp_path: Path) -> None:
    path = tmp_path / "antagelser.toml"
    path.write_text('[prognosis]\nas_of = "2023-02"\n[programme]\ndeadline = 2024\n')
    result = run_cli("validate", path)
    assert result.returncode == EXIT_USER_ERROR
    assert "deadline" in result.stderr
    assert "put the month in quotes" in result.stderr


def test_debug_flag_shows_the_traceback(tmp_path: Path) -> None:
    result = run_cli("--debug", "validate", tmp_path / "findes-ikke.csv")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", ["internal error: KeyError", "This is a bug in wgsforecast"]),
        ("da", ["intern fejl: KeyError", "Det er en fejl i wgsforecast"]),
    ],
)
def test_a_bug_says_so_writes_the_traceback_and_exits_1(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    says: list[str],
) -> None:
    import tempfile

    from wgsforecast import cli
    from wgsforecast.commands import validate

    def buggy(args: object) -> int:
        return {"a": 1}["b"]  # a KeyError that is no message for the user

    monkeypatch.setattr(validate, "run", buggy)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert cli.main(["validate", "whatever.csv", "--lang", lang]) == 1
    err = capsys.readouterr().err
    assert all(text in err for text in says), err
    assert "Traceback" not in err
    (written,) = tmp_path.glob("wgsforecast-bug-*.txt")
    assert str(written) in err
    text = written.read_text(encoding="utf-8")
    assert "Traceback" in text and "buggy" in text and "validate whatever.csv" in text


@pytest.mark.parametrize(
    "error",
    [
        TypeError("unsupported operand"),
        ValueError("operands could not be broadcast together"),  # from numpy, not a raise of ours
        IndexError("index 3 is out of bounds"),
    ],
)
def test_only_the_librarys_own_errors_are_user_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    import tempfile

    from wgsforecast import cli
    from wgsforecast.commands import validate

    def buggy(args: object) -> int:
        import numpy as np

        if isinstance(error, ValueError):
            return int(np.ones(2) + np.ones(3))  # raises inside numpy
        raise error

    monkeypatch.setattr(validate, "run", buggy)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert cli.main(["validate", "x.csv"]) == 1


def test_deliberate_errors_of_the_library_stay_user_errors(tmp_path: Path) -> None:
    # engine_class raises a plain ValueError on purpose: a message for the user, exit 2.
    result = run_cli("report", "--engine", "crystal-ball", "--out", tmp_path / "o")
    assert result.returncode == EXIT_USER_ERROR
    assert "unknown engine 'crystal-ball'" in result.stderr and "bug" not in result.stderr


@pytest.mark.parametrize(
    ("lang", "says", "bug"),
    [
        ("en", "error: cannot use /srv/shared/out/rapport.html: Permission denied", "bug"),
        ("da", "fejl: kan ikke bruge /srv/shared/out/rapport.html: Permission denied", "intern"),
    ],
)
def test_an_os_refusal_naming_a_file_is_not_called_a_bug(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    says: str,
    bug: str,
) -> None:
    import errno

    from wgsforecast import cli
    from wgsforecast.commands import validate

    def refused(args: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/shared/out/rapport.html")

    monkeypatch.setattr(validate, "run", refused)
    assert cli.main(["validate", "x.csv", "--lang", lang]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert says in err
    assert bug not in err


def test_negative_seed_names_the_option(tmp_path: Path) -> None:
    result = run_cli("report", "--seed", "-1", "--out", tmp_path / "o")
    assert result.returncode == EXIT_USER_ERROR
    assert "--seed must be a whole number 0 or more; got -1" in result.stderr
    assert not (tmp_path / "o").exists()


def test_too_many_paths_is_refused_with_the_largest_that_fits(tmp_path: Path) -> None:
    result = run_cli("report", "--paths", "10000000000", "--out", tmp_path / "o")
    assert result.returncode == EXIT_USER_ERROR
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    match = re.search(
        r"the largest number of paths that fits is ([\d,]+): use --paths (\d+)", result.stderr
    )
    assert match is not None, result.stderr
    assert int(match.group(2)) == int(match.group(1).replace(",", "")) > 0
    assert "fremskriver med" not in result.stderr  # refused before the run


def test_the_largest_number_of_paths_fits_the_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    import wgsforecast as wf
    from wgsforecast.commands import _options
    from wgsforecast.exceptions import UsageError

    data = wf.load_bundled()
    monkeypatch.setattr(_options, "available_memory", lambda: 2_000_000_000)
    args = argparse.Namespace(paths=10_000_000, engine="adoption")
    with pytest.raises(UsageError) as error:
        _options.check_memory(args, data, prognoses=3)
    largest = int(re.findall(r"use --paths (\d+)", str(error.value))[0])
    _options.check_memory(argparse.Namespace(paths=largest, engine="adoption"), data, prognoses=3)
    with pytest.raises(UsageError):
        _options.check_memory(
            argparse.Namespace(paths=largest + 1, engine="adoption"), data, prognoses=3
        )
    # A deterministic engine runs one path whatever --paths says.
    _options.check_memory(argparse.Namespace(paths=10**12, engine="runrate"), data, prognoses=3)


def test_sheet_option_reads_the_named_worksheet(tmp_path: Path) -> None:
    import pandas as pd

    from wgsforecast.io import bundled_actuals_path

    actuals = pd.read_csv(bundled_actuals_path())
    path = tmp_path / "maanedstal.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["not the data"]}).to_excel(writer, sheet_name="Forside", index=False)
        actuals.to_excel(writer, sheet_name="Data", index=False)
    result = run_cli("validate", path, "--sheet", "Data")
    assert result.returncode == 0, result.stderr
    assert f"{int(actuals['ge'].sum())} GE i alt" in result.stdout
    report = run_cli(
        "report",
        "--actuals",
        path,
        "--sheet",
        "Data",
        "--engine",
        "runrate",
        "--out",
        tmp_path / "o",
    )
    assert report.returncode == 0, report.stderr


@pytest.mark.parametrize("command", ["report", "scenarios"])
def test_engine_option_lists_every_registered_engine(command: str) -> None:
    from wgsforecast.engines import ENGINES

    result = run_cli(command, "--help")
    assert result.returncode == 0
    listed = " ".join(result.stdout.split())
    assert "one of " + ", ".join(sorted(ENGINES)) in listed


def test_the_vintage_store_may_be_named_before_or_after_the_action(tmp_path: Path) -> None:
    store = tmp_path / "store"
    saved = run_cli("vintages", "save", "kvartal-1", "--root", store, cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    after = run_cli("vintages", "list", "--root", store, cwd=tmp_path)
    before = run_cli("vintages", "--vintages", store, "list", cwd=tmp_path)
    assert after.returncode == before.returncode == 0
    assert "kvartal-1" in after.stdout and after.stdout == before.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert "kvartal-1" not in run_cli("vintages", "list", cwd=elsewhere).stdout


def test_a_warning_is_one_line_in_the_language_without_the_librarys_source(
    tmp_path: Path,
) -> None:
    path = tmp_path / "genomes.csv"
    path.write_text("group,month,ge,genomes\nnyresvigt,2022-09,10,5\nnyresvigt,2022-10,12,20\n")
    for lang, word in (("da", "advarsel:"), ("en", "warning:")):
        result = run_cli("validate", path, "--as-of", "2022-10", "--lang", lang)
        assert result.returncode == 0, result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{word} {path}: 1 month with fewer")
        assert ".py:" not in result.stderr and "GenomesWarning" not in result.stderr


def test_console_entry_returns_mains_code_and_skips_the_exit_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from wgsforecast import cli

    monkeypatch.setattr(sys, "argv", ["wgsforecast", "validate", "no-such-file.csv"])
    assert gc.get_freeze_count() == 0
    try:
        assert cli.run() == cli.main(["validate", "no-such-file.csv"]) == EXIT_USER_ERROR
        assert gc.get_freeze_count() > 0  # the objects made so far are left to the OS
    finally:
        gc.unfreeze()
