"""Tests of wgsforecast.io: every accepted input format, every reported problem, safe writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from wgsforecast.exceptions import ConfigError, InputError
from wgsforecast.io import (
    GROUP_COLUMNS,
    MissingFileError,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    bundled_actuals_path,
    bundled_assumptions_path,
    bundled_data_dir,
    bundled_groups_path,
    read_actuals,
    read_assumptions,
    read_groups,
)
from wgsforecast.models import GroupRegistry

# The same small history written many ways. Registry order: nyresvigt, foetal-medicin,
# boern-unge-kraeft, haematologisk-cancer. Føtal medicin goes live in February, Børn og
# unge med kræft in March.
MONTHS = ("2023-01", "2023-02", "2023-03")
DATA: dict[str, dict[str, int]] = {
    "nyresvigt": {"2023-01": 10, "2023-02": 0, "2023-03": 1234},
    "foetal-medicin": {"2023-02": 7, "2023-03": 3},
    "haematologisk-cancer": {"2023-01": 5, "2023-02": 6, "2023-03": 2100},
    "boern-unge-kraeft": {"2023-03": 1},
}
DANISH = {
    "nyresvigt": "Nyresvigt",
    "foetal-medicin": "Føtal medicin",
    "haematologisk-cancer": "Hæmatologisk cancer",
    "boern-unge-kraeft": "Børn og unge med kræft",
}
ENGLISH = {
    "nyresvigt": "Kidney failure",
    "foetal-medicin": "Fetal medicine",
    "haematologisk-cancer": "Haematological cancer",
    "boern-unge-kraeft": "Children and young people with cancer",
}
SPELLED = {"2023-01": "jan 2023", "2023-02": "februar 2023", "2023-03": "Marts 2023"}
SERIAL = {"2023-01": 44927, "2023-02": 44958, "2023-03": 44986}  # Excel day numbers
DANISH_NUMBER = {0: "0", 1: "1", 3: "3", 5: "5", 6: "6,0", 7: "7", 10: "10", 1234: "1.234"}
DANISH_NUMBER[2100] = "2.100"


def _records() -> list[tuple[str, str, int]]:
    return [(key, month, ge) for key, months in DATA.items() for month, ge in months.items()]


def _expected() -> pd.DataFrame:
    order = ["nyresvigt", "foetal-medicin", "boern-unge-kraeft", "haematologisk-cancer"]
    rows = [(k, m, DATA[k][m]) for k in order for m in sorted(DATA[k])]
    return pd.DataFrame(
        {
            "group": pd.Series([r[0] for r in rows], dtype=object),
            "month": pd.PeriodIndex([r[1] for r in rows], freq="M"),
            "ge": np.array([r[2] for r in rows], dtype=np.int64),
        }
    )


def _write(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- formats


def long_comma(tmp: Path) -> Path:
    lines = ["group,month,ge", *(f"{k},{m},{v}" for k, m, v in _records())]
    return _write(tmp / "long_comma.csv", lines)


def long_danish_bom(tmp: Path) -> Path:
    lines = ["Group;Month;GE"]
    lines += [f"{DANISH[k]};{SPELLED[m]};{DANISH_NUMBER[v]}" for k, m, v in _records()]
    return _write(tmp / "long_danish.csv", lines, encoding="utf-8-sig", newline="\r\n")


def long_cp1252(tmp: Path) -> Path:
    lines = ["group;month;ge", *(f"{DANISH[k]};{m};{DANISH_NUMBER[v]}" for k, m, v in _records())]
    return _write(tmp / "long_cp1252.csv", lines, encoding="cp1252")


def long_english_names_quoted(tmp: Path) -> Path:
    lines = ["group,month,ge"]
    lines += [f'"{ENGLISH[k].upper()}",{m}-01,"{v:,}"' for k, m, v in _records()]
    return _write(tmp / "long_english.csv", lines)


def long_tab_utf16(tmp: Path) -> Path:
    lines = ["group\tmonth\tge", *(f"{DANISH[k]}\t{m}\t{v}" for k, m, v in _records())]
    return _write(tmp / "long_tab.txt", lines, encoding="utf-16")


def long_xlsx_dates(tmp: Path) -> Path:
    rows: list[list[object]] = [["group", "month", "ge"]]
    for k, m, v in _records():
        month = pd.Period(m, "M")
        rows.append([DANISH[k], dt.datetime(month.year, month.month, 1), float(v)])
    return _xlsx(tmp / "long.xlsx", rows)


def _wide_rows(
    month_cell: Callable[[str], object], count: Callable[[int], object]
) -> list[list[object]]:
    keys = list(DATA)
    rows: list[list[object]] = [["", *(DANISH[k] for k in keys)]]
    for m in MONTHS:
        rows.append([month_cell(m), *(count(DATA[k][m]) if m in DATA[k] else None for k in keys)])
    return rows


def wide_xlsx_serials(tmp: Path) -> Path:
    return _xlsx(tmp / "wide_serial.xlsx", _wide_rows(lambda m: SERIAL[m], lambda v: v))


def wide_xlsx_datetimes(tmp: Path) -> Path:
    def first_day(m: str) -> object:
        return dt.date(int(m[:4]), int(m[5:]), 1)

    return _xlsx(tmp / "wide_dates.xlsx", _wide_rows(first_day, lambda v: v))


def wide_csv_danish(tmp: Path) -> Path:
    rows = _wide_rows(lambda m: SPELLED[m], lambda v: DANISH_NUMBER[v])
    lines = [";".join("" if c is None else str(c) for c in row) for row in rows]
    lines[0] = "måned" + lines[0]
    return _write(tmp / "wide_danish.csv", lines, encoding="cp1252")


def wide_csv_serial_text(tmp: Path) -> Path:
    rows = _wide_rows(lambda m: SERIAL[m], lambda v: v)
    lines = [",".join("" if c is None else str(c) for c in row) for row in rows]
    return _write(tmp / "wide_serial.csv", lines)


FORMATS = [
    long_comma,
    long_danish_bom,
    long_cp1252,
    long_english_names_quoted,
    long_tab_utf16,
    long_xlsx_dates,
    wide_xlsx_serials,
    wide_xlsx_datetimes,
    wide_csv_danish,
    wide_csv_serial_text,
]


@pytest.mark.parametrize("make", FORMATS, ids=[f.__name__ for f in FORMATS])
def test_every_format_gives_the_same_frame(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    path = make(tmp_path)
    before = _digest(path)
    frame = read_actuals(path)
    pd.testing.assert_frame_equal(frame, _expected())
    assert list(frame.columns) == ["group", "month", "ge"]
    assert frame["month"].dtype == pd.PeriodDtype("M")
    assert frame["ge"].dtype == np.int64
    assert frame.attrs["source"] == str(path)
    assert _digest(path) == before


def test_danish_file_reads_dots_as_thousands(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", ["group;month;ge", "nyresvigt;2023-01;12.345"])
    assert read_actuals(path, plausible_factor=None)["ge"].tolist() == [12345]


def test_renamed_columns_give_identical_frame(tmp_path: Path) -> None:
    lines = ["Gruppe;Måned;Antal GE", *(f"{k};{m};{v}" for k, m, v in _records())]
    path = _write(tmp_path / "renamed.csv", lines)
    frame = read_actuals(path, group_col="gruppe", month_col="MÅNED", ge_col="antal ge")
    pd.testing.assert_frame_equal(frame, _expected())
    with pytest.raises(InputError, match=r"renamed\.csv"):
        read_actuals(path)


def test_month_spellings(tmp_path: Path) -> None:
    spellings = ["2023-02", "feb 2023", "februar 2023", "Feb. 2023", "01-02-2023", "2023-02-01"]
    frames = []
    for i, spelling in enumerate(spellings):
        path = _write(tmp_path / f"m{i}.csv", ["group;month;ge", f"nyresvigt;{spelling};4"])
        frames.append(read_actuals(path))
    for frame in frames:
        assert frame["month"].tolist() == [pd.Period("2023-02", "M")]


def test_extra_columns_in_long_file_are_ignored_and_sheet_can_be_chosen(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    first.append(["not", "data"])
    sheet = book.create_sheet("GE")
    sheet.append(["note", "group", "month", "ge"])
    for k, m, v in _records():
        sheet.append(["x", k, m, v])
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)
    pd.testing.assert_frame_equal(read_actuals(path, sheet="GE"), _expected())
    pd.testing.assert_frame_equal(read_actuals(path, sheet=1), _expected())
    with pytest.raises(InputError, match="no sheet 'Data'; the workbook has sheets Notes, GE"):
        read_actuals(path, sheet="Data")


def test_explicit_registry_and_as_of(tmp_path: Path) -> None:
    registry = read_groups(bundled_groups_path())
    small = GroupRegistry([registry["nyresvigt"]])
    path = _write(tmp_path / "a.csv", ["group,month,ge", "Kidney failure,2023-01,3"])
    frame = read_actuals(path, small, as_of="2023-01")
    assert frame["group"].tolist() == ["nyresvigt"]
    with pytest.raises(InputError, match="unknown patient group 'Nyresvigtt'"):
        read_actuals(_write(tmp_path / "b.csv", ["group,month,ge", "Nyresvigtt,2023-01,3"]), small)


# --------------------------------------------------------------------------- problems


def _problems(path: Path, as_of: str | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_actuals(path, as_of=as_of)
    return caught.value


def _assert_located(error: InputError, path: Path, row: int | None, column: str | None) -> None:
    message = str(error)
    assert path.name in message
    assert any(p.row == row and p.column == column for p in error.problems), error.problems
    located = [line for line in message.splitlines() if path.name in line and "row" in line]
    if row is not None:
        assert any(f"row {row}," in line or f"row {row}:" in line for line in located), message
    if column is not None:
        assert f"column '{column}'" in message


LONG_HEADER = "group;month;ge"
GOOD = ["nyresvigt;2023-01;1", "nyresvigt;2023-02;2", "nyresvigt;2023-03;3"]


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        ("nyresvigt;2023-02;-3", "ge", "negative"),
        ("nyresvigt;2023-02;12,5", "ge", "not a whole number"),
        ("nyresvigt;2023-02;abc", "ge", "not a number"),
        ("nyresvigt;2023-02;", "ge", "blank; write 0"),
        ("nyresvigt;2023-14;2", "month", "not a month"),
        ("nyresvigt;;2", "month", "month is blank"),
        ("Nyresvikt;2023-02;2", "group", "did you mean nyresvigt"),
        (";2023-02;2", "group", "group is blank"),
    ],
)
def test_each_bad_cell_is_located(tmp_path: Path, bad_row: str, column: str, words: str) -> None:
    path = _write(tmp_path / "bad.csv", [LONG_HEADER, GOOD[0], bad_row, GOOD[2]])
    error = _problems(path)
    _assert_located(error, path, 3, column)
    assert words in str(error)


def test_duplicated_group_month_names_both_rows(tmp_path: Path) -> None:
    path = _write(tmp_path / "dup.csv", [LONG_HEADER, *GOOD, "Nyresvigt;feb 2023;9"])
    error = _problems(path)
    _assert_located(error, path, 5, "month")
    assert "rows 3 and 5" in str(error)
    assert len(error.problems) == 1


def test_missing_month_inside_history(tmp_path: Path) -> None:
    path = _write(tmp_path / "gap.csv", [LONG_HEADER, GOOD[0], GOOD[2]])
    error = _problems(path)
    _assert_located(error, path, 2, "month")
    assert "no row for 2023-02" in str(error)
    assert "add a row with ge 0" in str(error)


def test_missing_months_up_to_as_of(tmp_path: Path) -> None:
    path = _write(tmp_path / "short.csv", [LONG_HEADER, *GOOD])
    error = _problems(path, as_of="2023-05")
    _assert_located(error, path, 4, "month")
    assert "no row for 2023-04 to 2023-05" in str(error)


def test_months_after_as_of(tmp_path: Path) -> None:
    path = _write(tmp_path / "late.csv", [LONG_HEADER, *GOOD])
    error = _problems(path, as_of="2023-02")
    _assert_located(error, path, 4, "month")
    assert "after the as-of month 2023-02" in str(error)
    assert len(error.problems) == 1


def test_as_of_defaults_to_latest_month(tmp_path: Path) -> None:
    lines = [LONG_HEADER, *GOOD, "foetal-medicin;2023-01;1"]
    error = _problems(_write(tmp_path / "stops.csv", lines))
    assert "'foetal-medicin' has no row for 2023-02 to 2023-03" in str(error)


def test_three_bad_rows_are_reported_together(tmp_path: Path) -> None:
    lines = [LONG_HEADER, "nyresvigt;2023-01;-1", "nyresvigt;2023-02;x", "nyresvigt;maj;3"]
    path = _write(tmp_path / "three.csv", lines)
    error = _problems(path)
    assert [(p.row, p.column) for p in error.problems] == [(2, "ge"), (3, "ge"), (4, "month")]
    assert str(error).startswith(f"3 problems in {path}")


def test_missing_column_lists_expected_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "nocol.csv", ["group,month", "nyresvigt,2023-01"])
    error = _problems(path)
    _assert_located(error, path, 1, "ge")
    assert "needs group, month, ge" in str(error)


def test_unrecognised_header_explains_both_layouts(tmp_path: Path) -> None:
    path = _write(tmp_path / "what.csv", ["a,b,c", "1,2,3"])
    error = _problems(path)
    assert "cannot tell the layout" in str(error)
    assert "one column per patient group" in str(error)


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "the file is empty"), (b"\n \n", "the file is empty"), (b"group,month,ge\n", "no data")],
)
def test_empty_files(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    error = _problems(path)
    assert words in str(error)
    assert path.name in str(error)


def test_thousands_comma_in_comma_file_is_not_silently_split(tmp_path: Path) -> None:
    path = _write(tmp_path / "split.csv", ["group,month,ge", "nyresvigt,2023-01,1,234"])
    error = _problems(path)
    _assert_located(error, path, 2, "D")
    assert "thousands comma" in str(error)


def test_wide_blank_after_first_value_is_a_missing_month(tmp_path: Path) -> None:
    rows = _wide_rows(lambda m: m, lambda v: v)
    rows[2][1] = None  # Nyresvigt, 2023-02: after its first value
    path = _xlsx(tmp_path / "hole.xlsx", rows)
    error = _problems(path)
    _assert_located(error, path, 3, "Nyresvigt")
    assert len(error.problems) == 1
    assert "write 0" in str(error)


def test_wide_missing_month_row_is_one_problem(tmp_path: Path) -> None:
    rows = _wide_rows(lambda m: m, lambda v: v)
    del rows[2]  # no February row
    path = _xlsx(tmp_path / "norow.xlsx", rows)
    error = _problems(path)
    _assert_located(error, path, 2, "A")
    assert "no row for 2023-02" in str(error)
    assert len(error.problems) == 1


def test_wide_problems_name_cells(tmp_path: Path) -> None:
    rows = _wide_rows(lambda m: m, lambda v: v)
    rows[0].append("Nyresvikt")
    rows[1].append(1)
    rows[1][1] = -2
    rows[3][0] = "marts"
    rows.append(["2023-02", 1, 1, 1, 1, 1])
    path = _xlsx(tmp_path / "widebad.xlsx", rows)
    error = _problems(path)
    located = {(p.row, p.column) for p in error.problems}
    assert (1, "Nyresvikt") in located
    assert (2, "Nyresvigt") in located
    assert (4, "A") in located
    assert (5, "A") in located
    assert "rows 3 and 5" in str(error)


def test_total_column_is_called_a_total(tmp_path: Path) -> None:
    rows = _wide_rows(lambda m: m, lambda v: v)
    rows[0].append("I alt")
    path = _xlsx(tmp_path / "total.xlsx", rows)
    assert "'I alt' is a total" in str(_problems(path))


def test_input_file_is_unchanged_even_when_invalid(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", [LONG_HEADER, "nyresvigt;2023-01;-1"], encoding="cp1252")
    before = _digest(path)
    stat = path.stat()
    _problems(path)
    assert _digest(path) == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match=r"nope\.csv does not exist"):
        read_actuals(tmp_path / "nope.csv")
    with pytest.raises(FileNotFoundError):
        read_groups(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- groups


def test_bundled_registry_has_17_groups() -> None:
    registry = read_groups(bundled_groups_path())
    assert len(registry) == 17
    assert registry.keys[0] == "endokrinologi"
    late = registry["udbredt-uhelbredelig-kraeft"]
    assert late.ramp.months == 12
    assert late.ramp.start == pd.Period("2025-04", "M")
    assert registry["nyresvigt"].ramp.start is None
    assert registry["nyresvigt"].source_of("name_da") == "published"
    assert registry["nyresvigt"].source_of("go_live") == "assumed"


def test_groups_read_the_planned_go_live_of_a_live_group(tmp_path: Path) -> None:
    lines = [
        "key,name_da,name_en,kind,declared_per_year,go_live,status,planned_go_live",
        "a,A,A,germline,300,2022-09,live,sep 2021",
        "b,B,B,germline,300,2022-09,live,",
        "c,C,C,germline,300,2022-09,live,soon",
    ]
    with pytest.raises(InputError, match=r"row 4, column 'planned_go_live'.*not a month"):
        read_groups(_write(tmp_path / "bad.csv", lines))
    registry = read_groups(_write(tmp_path / "g.csv", lines[:3]))
    assert registry["a"].planned_go_live == pd.Period("2021-09", "M")
    assert registry["b"].planned_go_live is None


def test_groups_blank_cells_take_defaults_and_danish_numbers(tmp_path: Path) -> None:
    lines = [
        "key;name_da;name_en;kind;declared_per_year;status;cap_share;ramp_months;provenance",
        'a;Æble;Apple;cancer;24.000;planned;0,5;;"key=published;kind=derived"',
    ]
    group = next(iter(read_groups(_write(tmp_path / "g.csv", lines, encoding="cp1252"))))
    assert group.name_da == "Æble"
    assert group.declared_per_year == 24000
    assert group.cap_share == 0.5
    assert group.ramp.months == 12
    assert group.go_live is None
    assert group.provenance == {"key": "published", "kind": "derived"}


def test_groups_from_xlsx(tmp_path: Path) -> None:
    rows: list[list[object]] = [list(GROUP_COLUMNS)]
    rows.append(
        ["a", "A", "A", "cancer", 300, dt.datetime(2023, 4, 1), "live", 0.75, 0.5, 6, 45000, None]
    )
    group = next(iter(read_groups(_xlsx(tmp_path / "g.xlsx", rows))))
    assert group.go_live == pd.Period("2023-04", "M")
    assert group.ramp.target_share == 0.5
    assert group.ramp.start == pd.Period("2023-03", "M")


def test_groups_report_every_bad_field(tmp_path: Path) -> None:
    lines = [
        ",".join(GROUP_COLUMNS),
        "Bad Key,A,A,germ,0,2022-03,live,,,,,",
        "b,,B,cancer,100,xx,live,2,,,,",
        "b,B,B,cancer,100,,live,,,,,nme=published",
    ]
    path = _write(tmp_path / "groups.csv", lines)
    with pytest.raises(InputError) as caught:
        read_groups(path)
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {
        (2, "key"),
        (2, "kind"),
        (2, "declared_per_year"),
        (3, "name_da"),
        (3, "go_live"),
        (3, "cap_share"),
        (4, "provenance"),
        (4, "key"),
    }
    message = str(caught.value)
    assert "groups.csv, row 2, column 'kind'" in message
    assert "write germline or cancer" in message
    assert "did you mean 'name_en'" in message
    assert "rows 3 and 4" in message


def test_groups_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "g.csv", ["key,name_da,name_en,kind,declared,status", "a,A,A,cancer,1,live"]
    )
    with pytest.raises(InputError) as caught:
        read_groups(path)
    message = str(caught.value)
    assert "row 1, column 'declared': unknown column; did you mean 'declared_per_year'" in message
    assert "column 'declared_per_year': missing column" in message
    assert ", ".join(GROUP_COLUMNS) in message


# --------------------------------------------------------------------------- atomic writes


def test_atomic_write_creates_folders_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "out.txt"
    assert atomic_write_text(target, "æøå\n") == target
    assert target.read_bytes() == "æøå\n".encode()
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


def test_atomic_path_keeps_suffix_for_writers(tmp_path: Path) -> None:
    target = tmp_path / "table.xlsx"
    with atomic_path(target) as part:
        assert part.parent == tmp_path
        assert part.suffix == ".xlsx"
        assert not target.exists()
        pd.DataFrame({"a": [1, 2]}).to_excel(part, index=False)
    assert pd.read_excel(target)["a"].tolist() == [1, 2]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600


def test_atomic_path_failure_leaves_target_and_removes_temp(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="boom"), atomic_path(target) as part:
        part.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


# --------------------------------------------------------------------------- assumptions


def _toml(tmp: Path, text: str) -> Path:
    path = tmp / "assumptions.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_assumptions(tmp_path: Path) -> None:
    path = _toml(
        tmp_path,
        '[prognosis]\nas_of = "marts 2023"\nrun_rate_window = 4\nhorizon_months = 36\n'
        'label = "Q1"\n\n[programme]\ntarget_ge = 50000\ndeadline = "2025-06"\n',
    )
    settings = read_assumptions(path)
    assert settings.as_of == pd.Period("2023-03", "M")
    assert settings.run_rate_window == 4
    assert settings.horizon_months == 36
    assert settings.label == "Q1"
    assert settings.programme.target_ge == 50000
    assert settings.programme.deadline == pd.Period("2025-06", "M")


def test_assumptions_defaults(tmp_path: Path) -> None:
    settings = read_assumptions(_toml(tmp_path, '[prognosis]\nas_of = "2023-03"\n'))
    assert settings.run_rate_window == 3
    assert settings.programme.target_ge == 60000


def test_assumptions_report_every_bad_key(tmp_path: Path) -> None:
    path = _toml(
        tmp_path,
        '[prognosis]\nas_of = "2023-03"\nrun_rate_windw = 3\nhorizon_months = 0\n'
        "[programme]\ntarget_ge = -1\n",
    )
    with pytest.raises(ConfigError) as caught:
        read_assumptions(path)
    message = str(caught.value)
    assert message.startswith(f"3 problems in {path}")
    assert "prognosis.run_rate_windw; did you mean 'run_rate_window'" in message
    assert "prognosis.horizon_months: Input should be greater than or equal to 1" in message
    assert "programme.target_ge" in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[prognosis]\nas_of = 2023-03\n", "not valid TOML"),
        ("[prognosis]\nlabel = 'x'\n", "prognosis.as_of is missing"),
        ('[prognosis]\nas_of = "x"\n', "prognosis.as_of"),
        ('[progamme]\ntarget_ge = 1\n[prognosis]\nas_of = "2023-03"\n', "did you mean 'programme'"),
    ],
)
def test_assumption_errors_name_file_and_key(tmp_path: Path, text: str, words: str) -> None:
    path = _toml(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        read_assumptions(path)
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_assumptions_file(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match=r"2030-01\.toml does not exist"):
        read_assumptions(tmp_path / "2030-01.toml")


# --------------------------------------------------------------------------- bundled paths


def test_bundled_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WGSFORECAST_DATA", raising=False)
    assert (bundled_data_dir() / "patient_groups.csv").is_file()
    assert bundled_groups_path().name == "patient_groups.csv"
    assert bundled_actuals_path() == bundled_data_dir() / "actuals_monthly_reconstructed.csv"
    assert bundled_assumptions_path() == bundled_data_dir() / "assumptions" / "2023-03.toml"
    monkeypatch.setenv("WGSFORECAST_DATA", str(tmp_path))
    assert bundled_data_dir() == tmp_path
    monkeypatch.setenv("WGSFORECAST_DATA", str(tmp_path / "absent"))
    with pytest.raises(MissingFileError, match="WGSFORECAST_DATA"):
        bundled_data_dir()


def test_tab_file_with_thousands_dots_reads_as_danish(tmp_path: Path) -> None:
    """Danish Excel's "Unicode text" export says nothing about its number convention; a
    count written ``2.000`` must be 2000 when another number shows the file is Danish, and
    is refused when nothing does: never 2."""
    lines = ["group\tmonth\tge", "nyresvigt\t2023-01\t1.000", "nyresvigt\t2023-02\t15"]
    path = _write(tmp_path / "tusinder.txt", [*lines, "nyresvigt\t2023-03\t1.234"], "utf-16")
    assert read_actuals(path)["ge"].tolist() == [1000, 15, 1234]
    alone = _write(tmp_path / "alene.txt", lines, encoding="utf-16")
    error = _problems(alone)
    _assert_located(error, alone, 2, "ge")
    assert "'1.000' is 1000 read the Danish way" in str(error)


def test_bundled_actuals_are_marked_reconstructed_however_they_are_named() -> None:
    import os

    path = bundled_actuals_path()
    for name in (path, str(path), os.path.relpath(path)):
        assert read_actuals(name).attrs["notes"] == ("reconstructed",)


def test_other_actuals_carry_no_reconstructed_note(tmp_path: Path) -> None:
    path = _write(tmp_path / "egne.csv", ["group,month,ge", "nyresvigt,2023-01,5"])
    assert "notes" not in read_actuals(path).attrs


# --------------------------------------------------------------------------- genomes beside GE

# Genomes per record: twice the GE plus one, so never fewer than GE (no warning) and never
# equal to a GE by accident.
GENOMES = {key: {m: 2 * v + 1 for m, v in months.items()} for key, months in DATA.items()}


def _expected_with_genomes() -> pd.DataFrame:
    frame = _expected()
    frame["genomes"] = np.array(
        [GENOMES[k][str(m)] for k, m in zip(frame["group"], frame["month"], strict=True)],
        dtype=np.int64,
    )
    return frame


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without attrs, to compare values and dtypes only."""
    copy = frame.copy()
    copy.attrs = {}
    return copy


def test_a_genomes_column_is_read_beside_ge_in_both_number_conventions(tmp_path: Path) -> None:
    english = [f"{k},{m},{v},{GENOMES[k][m]}" for k, m, v in _records()]
    comma = _write(tmp_path / "en.csv", ["group,month,ge,genomes", *english])
    danish = [
        f"{DANISH[k]};{SPELLED[m]};{DANISH_NUMBER[v]};" + f"{GENOMES[k][m]:,}".replace(",", ".")
        for k, m, v in _records()
    ]
    semicolon = _write(tmp_path / "da.csv", ["Gruppe;Måned;GE;Genomer", *danish], "cp1252")
    expected = _expected_with_genomes()
    frame = read_actuals(comma)
    pd.testing.assert_frame_equal(_plain(frame), expected)
    assert frame.attrs["genomes_source"] == str(comma)
    read = read_actuals(semicolon, group_col="gruppe", month_col="måned", genomes_col="genomer")
    pd.testing.assert_frame_equal(_plain(read), expected)


def _wide_genome_rows() -> list[list[object]]:
    keys = list(DATA)
    rows: list[list[object]] = [["måned", *(DANISH[k] for k in keys)]]
    for m in MONTHS:
        rows.append([m, *(GENOMES[k].get(m) for k in keys)])
    return rows


def test_wide_genomes_come_from_a_second_sheet_or_file(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "GE"
    for row in _wide_rows(lambda m: m, lambda v: v):
        sheet.append(row)
    genomes_sheet = book.create_sheet("Genomer")
    for row in _wide_genome_rows():
        genomes_sheet.append(row)
    workbook = tmp_path / "pivot.xlsx"
    book.save(workbook)
    lines = [";".join("" if c is None else str(c) for c in row) for row in _wide_genome_rows()]
    separate = _write(tmp_path / "genomer.csv", lines)
    expected = _expected_with_genomes()
    from_sheet = read_actuals(workbook, genomes_sheet="Genomer")
    pd.testing.assert_frame_equal(_plain(from_sheet), expected)
    assert from_sheet.attrs["genomes_source"] == f"{workbook} (sheet 'Genomer')"
    from_file = read_actuals(workbook, genomes=separate)
    pd.testing.assert_frame_equal(_plain(from_file), expected)
    assert from_file.attrs["genomes_source"] == str(separate)


GENOMES_HEADER = "group;month;ge;genomes"


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("mange", "'mange' is not a number"),
        ("-4", "negative"),
        ("", "count of genomes is blank; write 0"),
        ("12,5", "not a whole number; genomes counts are whole numbers"),
        ("#REF!", "Excel error"),
    ],
)
def test_each_bad_genomes_cell_is_located(tmp_path: Path, bad: str, words: str) -> None:
    lines = [GENOMES_HEADER, "nyresvigt;2023-01;1;2", f"nyresvigt;2023-02;2;{bad}"]
    path = _write(tmp_path / "bad.csv", lines)
    error = _problems(path)
    _assert_located(error, path, 3, "genomes")
    assert words in str(error)


def test_fewer_genomes_than_ge_is_read_with_one_warning_naming_the_cells(tmp_path: Path) -> None:
    from wgsforecast.genomes import GenomesWarning

    lines = [
        GENOMES_HEADER,
        "nyresvigt;2023-01;10;4",
        "nyresvigt;2023-02;2;4",
        "nyresvigt;2023-03;8;7",
    ]
    path = _write(tmp_path / "few.csv", lines)
    with pytest.warns(GenomesWarning) as caught:
        frame = read_actuals(path)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith(f"{path}: 2 months with fewer genomes than GE")
    assert "row 2 column 'genomes': 4 genomes for 10 GE (nyresvigt 2023-01)" in message
    assert "row 4 column 'genomes': 7 genomes for 8 GE" in message
    assert frame["genomes"].tolist() == [4, 4, 7]


def test_genomes_without_ge_or_in_a_month_not_live_are_refused(tmp_path: Path) -> None:
    # Endokrinologi goes live 2022-03 in the bundled registry: 2022-01 and 2022-02 are not
    # live yet and left out, so genomes there would be lost.
    early = [
        GENOMES_HEADER,
        "endokrinologi;2022-01;0;2",
        "endokrinologi;2022-02;0;0",
        "endokrinologi;2022-03;5;10",
    ]
    path = _write(tmp_path / "early.csv", early)
    error = _problems(path)
    _assert_located(error, path, 2, "genomes")
    assert "2 genomes in 2022-01" in str(error)
    assert "before its go-live 2022-03" in str(error)
    assert len(error.problems) == 1

    ge = _write(tmp_path / "ge.csv", ["month;Nyresvigt", "2023-01;3", "2023-02;4"])
    extra = _write(tmp_path / "g.csv", ["month;Nyresvigt;Lever", "2023-01;6;", "2023-02;8;5"])
    error = _problems_with(ge, genomes=extra)
    _assert_located(error, extra, 3, "Lever")
    assert "5 genomes for group 'lever' in 2023-02, but the GE" in str(error)
    short = _write(tmp_path / "short.csv", ["month;Nyresvigt", "2023-01;6"])
    error = _problems_with(ge, genomes=short)
    assert "short.csv" in str(error)
    assert "no genomes for group 'nyresvigt' in 2023-02, which has 4 GE" in str(error)


def _problems_with(path: Path, **options: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        read_actuals(path, **options)
    return caught.value


def test_genomes_given_twice_or_national_genomes_by_group_are_refused(tmp_path: Path) -> None:
    long = _write(tmp_path / "long.csv", [GENOMES_HEADER, "nyresvigt;2023-01;1;2"])
    other = _write(tmp_path / "other.csv", ["month;Nyresvigt", "2023-01;2"])
    error = _problems_with(long, genomes=other)
    _assert_located(error, long, 1, "genomes")
    assert "keep one of them" in str(error)
    wide = _write(tmp_path / "wide.csv", ["month;Nyresvigt", "2023-01;1"])
    national = _write(tmp_path / "national.csv", ["month;genomes_to_date", "2023-01;2"])
    error = _problems_with(wide, genomes=national)
    assert "national genomes, which cannot be split by group" in str(error)
    assert "read_national_genomes" in str(error)
    with pytest.raises(MissingFileError):
        read_actuals(wide, genomes=tmp_path / "absent.csv")


def test_a_wide_file_with_genome_columns_is_told_where_genomes_go(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "blok.csv",
        ["måned;Nyresvigt;Nyresvigt genomer", "2023-01;3;6", "2023-02;4;8"],
    )
    error = _problems(path)
    message = str(error)
    assert "'Nyresvigt genomer' look like genomes" in message
    assert "another sheet (genomes_sheet=, --genomes-sheet)" in message


def test_groups_file_states_genomes_per_ge_or_takes_the_default(tmp_path: Path) -> None:
    from wgsforecast.models import GENOMES_PER_GE

    header = "key;name_da;name_en;kind;declared_per_year;status;genomes_per_ge;provenance"
    lines = [
        header,
        "a;A;A;cancer;1.000;live;2,5;genomes_per_ge=derived",
        "b;B;B;germline;1.000;live;;",
    ]
    registry = read_groups(_write(tmp_path / "g.csv", lines))
    assert registry["a"].genomes_per_genome_equivalent == 2.5
    assert registry["a"].source_of("genomes_per_ge") == "derived"
    assert registry["b"].genomes_per_genome_equivalent == GENOMES_PER_GE["germline"]
    bad = [header, "a;A;A;cancer;1000;live;0;", "b;B;B;cancer;1000;live;mange;"]
    with pytest.raises(InputError) as caught:
        read_groups(_write(tmp_path / "bad.csv", bad))
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {(2, "genomes_per_ge"), (3, "genomes_per_ge")}
    assert "write genomes per GE, a number above 0" in str(caught.value)


# The minutes (item 114/23): 11.516 genomes in the National Genome Database on 28 Feb 2023.
MINUTES_GENOMES = 11_516


def test_the_bundled_national_genomes_are_the_minutes_figure() -> None:
    from wgsforecast.io import bundled_national_genomes_path, read_national_genomes

    frame = read_national_genomes(bundled_national_genomes_path())
    assert list(frame.columns) == ["month", "genomes_to_date"]
    assert frame["month"].tolist() == [pd.Period("2023-02", "M")]
    assert frame["genomes_to_date"].tolist() == [MINUTES_GENOMES]
    assert frame["genomes_to_date"].dtype == np.int64


def test_load_bundled_is_unchanged_and_load_data_carries_national_genomes() -> None:
    import wgsforecast as wf
    from wgsforecast.io import bundled_national_genomes_path

    data = wf.load_bundled()
    assert list(data.actuals.columns) == ["group", "month", "ge"]
    assert data.national_genomes is None
    given = wf.load_data(national_genomes=bundled_national_genomes_path())
    assert given.national_genomes is not None
    assert given.national_genomes["genomes_to_date"].tolist() == [MINUTES_GENOMES]


def test_national_genomes_read_monthly_counts_in_danish(tmp_path: Path) -> None:
    from wgsforecast.io import read_national_genomes

    path = _write(
        tmp_path / "n.csv",
        ["Måned;Genomes;Kilde", "feb 2023;1.020;ngc.dk", "jan 2023;980;ngc.dk"],
    )
    frame = read_national_genomes(path, month_col="måned")
    assert frame["month"].tolist() == [pd.Period("2023-01", "M"), pd.Period("2023-02", "M")]
    assert frame["genomes"].tolist() == [980, 1020]


@pytest.mark.parametrize(
    ("lines", "row", "column", "words"),
    [
        (["month;genomes;genomes_to_date", "2023-01;1;1"], 1, None, "both columns"),
        (["month;antal", "2023-01;1"], 1, None, "no column genomes and genomes_to_date"),
        (["maaned;genomes", "2023-01;1"], 1, "month", "missing column 'month'"),
        (["month;genomes", "2023-01;1", "jan 2023;2"], 3, "month", "rows 2 and 3"),
        (["month;genomes", "2023-01;-1"], 2, "genomes", "negative"),
        (["month;genomes", "2023-01;"], 2, "genomes", "count of genomes is blank"),
        (["month;genomes", "2023-04;1"], 2, "month", "after the as-of month 2023-03"),
        (["month;genomes", "2023-01;1;9"], 2, "C", "column without a header"),
    ],
)
def test_national_genomes_problems_are_located(
    tmp_path: Path, lines: list[str], row: int, column: str | None, words: str
) -> None:
    from wgsforecast.io import read_national_genomes

    path = _write(tmp_path / "n.csv", lines)
    with pytest.raises(InputError) as caught:
        read_national_genomes(path, as_of="2023-03")
    _assert_located(caught.value, path, row, column)
    assert words in str(caught.value)


def test_a_falling_national_total_warns(tmp_path: Path) -> None:
    from wgsforecast.genomes import GenomesWarning
    from wgsforecast.io import read_national_genomes

    path = _write(tmp_path / "n.csv", ["month,genomes_to_date", "2023-01,11000", "2023-02,10900"])
    with pytest.warns(GenomesWarning, match=r"fall from 2023-01 to 2023-02 \(11,000 to 10,900\)"):
        frame = read_national_genomes(path)
    assert frame["genomes_to_date"].tolist() == [11000, 10900]


def test_cli_reading_options_pass_the_genomes_to_the_reader(tmp_path: Path) -> None:
    import argparse

    from wgsforecast.commands._reading import add_reading_options, reading_options

    parser = argparse.ArgumentParser()
    add_reading_options(parser)
    ge = _write(tmp_path / "ge.csv", ["month;Nyresvigt", "2023-01;3"])
    genomes = _write(tmp_path / "g.csv", ["month;Nyresvigt", "2023-01;6"])
    args = parser.parse_args(["--genomes", str(genomes)])
    frame = read_actuals(ge, **reading_options(args))
    assert frame["genomes"].tolist() == [6]
    assert reading_options(parser.parse_args([]))["genomes"] is None
