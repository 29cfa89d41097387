"""Frames built in code meet the readers' rules at the engine boundary (issue 10, items 6-8)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast._checks import describe_not_live, not_live_spans
from wgsforecast.engines import ENGINES
from wgsforecast.engines.base import history_from_actuals
from wgsforecast.exceptions import ConfigError, InputError
from wgsforecast.models import GroupRegistry, PatientGroup
from wgsforecast.scenarios.apply import _changed_group
from wgsforecast.scenarios.model import GroupOverrides


@pytest.fixture(scope="module")
def data() -> wf.ProgrammeData:
    return wf.load_bundled()


def _refused(frame: pd.DataFrame, data: wf.ProgrammeData) -> str:
    with pytest.raises(InputError) as caught:
        wf.forecast(frame, data.groups, data.assumptions, engine="runrate")
    return str(caught.value)


def test_the_bundled_actuals_are_read_as_before(data: wf.ProgrammeData) -> None:
    """The bundled file has no leading zeros: every row is kept, nothing is 'not live'."""
    raw = pd.read_csv(wf.io.bundled_actuals_path())
    assert len(data.actuals) == len(raw)
    assert int(data.actuals["ge"].sum()) == int(raw["ge"].sum()) == 7716
    assert data.actuals.attrs["not_live"] == ()
    history = history_from_actuals(data.actuals, data.groups, data.assumptions.as_of)
    first = data.actuals.groupby("group")["month"].min()
    for index, key in enumerate(data.groups.keys):
        expected = (first[key] - history.months[0]).n if key in first else -1
        assert history.started[index] == expected, key


def test_a_duplicated_group_month_is_refused(data: wf.ProgrammeData) -> None:
    frame = pd.concat([data.actuals, data.actuals.iloc[[5]]], ignore_index=True)
    message = _refused(frame, data)
    assert "the actuals frame" not in message  # it names the file the frame came from
    assert f"more than once (indexes 5, {len(data.actuals)})" in message
    assert "keep one row per group and month" in message


def test_negative_nan_fractional_and_huge_counts_are_refused(data: wf.ProgrammeData) -> None:
    frame = data.actuals.copy()
    frame.attrs = {}
    frame["ge"] = frame["ge"].astype(float)
    frame.loc[3, "ge"] = -1
    frame.loc[4, "ge"] = np.nan
    frame.loc[6, "ge"] = 2.5
    frame.loc[7, "ge"] = 5e18
    message = _refused(frame, data)
    assert message.startswith("4 problems in the actuals frame")
    assert "count is negative (index 3)" in message
    assert "count is blank (NaN) (index 4); write 0" in message
    assert "not a whole number (index 6)" in message
    assert "far too large" in message


@pytest.mark.parametrize(
    ("months", "words"),
    [
        (lambda m: m.astype(str), "is a str"),
        (lambda m: m.dt.to_timestamp(), "dt.to_period('M')"),
        (lambda m: m.dt.asfreq("D"), "not monthly periods"),
    ],
)
def test_months_must_be_monthly_periods(data: wf.ProgrammeData, months: object, words: str) -> None:
    frame = data.actuals.copy()
    frame["month"] = months(frame["month"])  # type: ignore[operator]
    message = _refused(frame, data)
    assert "column 'month'" in message
    assert words in message


def test_object_months_of_periods_are_accepted(data: wf.ProgrammeData) -> None:
    frame = data.actuals.copy()
    frame["month"] = pd.Series(list(frame["month"]), dtype=object)
    expected = wf.forecast(data.actuals, data.groups, data.assumptions).target_month()
    assert wf.forecast(frame, data.groups, data.assumptions).target_month() == expected


def test_a_skipped_month_and_an_unknown_group_are_refused(data: wf.ProgrammeData) -> None:
    frame = data.actuals.drop(index=10).reset_index(drop=True)
    message = _refused(frame, data)
    assert "missing month: group 'endokrinologi' has no row for 2023-01" in message
    unknown = data.actuals.copy()
    unknown.loc[0, "group"] = "endokrinologii"
    assert "did you mean endokrinologi" in _refused(unknown, data)


def test_a_missing_column_is_refused(data: wf.ProgrammeData) -> None:
    message = _refused(data.actuals.rename(columns={"ge": "GE"}), data)
    assert "missing column 'ge'" in message


def test_leading_zeros_before_go_live_do_not_start_a_group(data: wf.ProgrammeData) -> None:
    """A pivot export's zeros before go-live move no engine (the issue: May 2025 became
    September 2026): built in code they give the same prognosis as without them."""
    zeros = [
        {"group": key, "month": month, "ge": 0}
        for key in ("udbredt-uhelbredelig-kraeft", "haematologisk-cancer", "lever")
        for month in pd.period_range("2022-03", _go_live(data, key) - 1, freq="M")
        if month <= data.assumptions.as_of
    ]
    padded = pd.concat(
        [pd.DataFrame(zeros).astype({"ge": np.int64}), data.actuals], ignore_index=True
    )
    padded["month"] = pd.PeriodIndex(padded["month"], freq="M")
    plain = history_from_actuals(data.actuals, data.groups, data.assumptions.as_of)
    history = history_from_actuals(padded, data.groups, data.assumptions.as_of)
    for index, key in enumerate(data.groups.keys):
        before = plain.months[plain.started[index]] if plain.started[index] >= 0 else None
        after = history.months[history.started[index]] if history.started[index] >= 0 else None
        assert before == after, key
    for engine in ("runrate", "flat"):
        a = wf.forecast(data.actuals, data.groups, data.assumptions, engine=engine)
        b = wf.forecast(padded, data.groups, data.assumptions, engine=engine)
        assert a.target_month() == b.target_month()
        pd.testing.assert_frame_equal(a.yearly_table(), b.yearly_table())


def _go_live(data: wf.ProgrammeData, key: str) -> pd.Period:
    month = data.groups[key].go_live
    assert month is not None
    return month


def test_zeros_from_go_live_on_are_live_months(data: wf.ProgrammeData) -> None:
    group = data.groups["nyresvigt"]
    frame = pd.DataFrame(
        {
            "group": "nyresvigt",
            "month": pd.period_range("2022-07", "2022-11", freq="M"),
            "ge": np.array([0, 0, 0, 0, 5], dtype=np.int64),
        }
    )
    history = history_from_actuals(frame, wf.GroupRegistry([group]), pd.Period("2022-11", "M"))
    assert history.months[history.started[0]] == group.go_live == pd.Period("2022-09", "M")


def test_plausible_factor_must_be_positive() -> None:
    with pytest.raises(ValueError, match="plausible_factor must be above 0"):
        wf.read_actuals(wf.io.bundled_actuals_path(), plausible_factor=0)


def test_scenario_changes_are_validated(data: wf.ProgrammeData) -> None:
    """Item 8: a change is validated as a PatientGroup, not copied in unchecked."""
    group, start = data.groups["nyresvigt"], _go_live(data, "nyresvigt")
    change = GroupOverrides.model_construct(cap_share=1.5, plateau_share=None)
    with pytest.raises(ConfigError) as caught:
        _changed_group(group, change, True, start, {}, "s.toml", "all")
    message = str(caught.value)
    assert "s.toml: group 'nyresvigt'" in message
    assert "cap_share: Input should be less than or equal to 1 (got 1.5)" in message
    fine = GroupOverrides(declared_factor=0.5, plateau_share=0.5)
    changed, _ = _changed_group(group, fine, True, start, {}, "s.toml", "all")
    assert isinstance(changed, PatientGroup)
    assert changed.declared_per_year == 800
    assert changed.ramp.target_share == 0.5
    assert changed.go_live == group.go_live


def test_report_options_carry_the_plausible_factor_and_column_names(tmp_path: Path) -> None:
    """``report`` (and every command with the data options) reads as ``validate`` does."""
    from wgsforecast.cli import build_parser
    from wgsforecast.commands._options import load_data

    path = tmp_path / "egne.csv"
    path.write_text("Gruppe;Måned;Antal\nnyresvigt;2023-01;5000\nnyresvigt;2023-02;7\n")
    base = ["report", "--actuals", str(path), "--as-of", "2023-02"]
    base += ["--group-col", "gruppe", "--month-col", "måned", "--ge-col", "antal"]
    with pytest.raises(InputError, match=r"more than 10 times .* --plausible-factor"):
        load_data(build_parser().parse_args(base))
    for factor in ("40", "off"):
        data = load_data(build_parser().parse_args([*base, "--plausible-factor", factor]))
        assert data.actuals["ge"].tolist() == [5000, 7]
    with pytest.raises(SystemExit):
        build_parser().parse_args([*base, "--plausible-factor", "0"])


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_every_engine_refuses_string_months_with_the_same_message(
    data: wf.ProgrammeData, engine: str
) -> None:
    frame = data.actuals.copy()
    frame["month"] = frame["month"].astype(str)
    with pytest.raises(InputError, match="column 'month'"):
        ENGINES[engine]().fit(frame, data.groups, data.assumptions)


def test_not_live_spans_say_why_in_either_language(data: wf.ProgrammeData) -> None:
    frame = pd.DataFrame(
        {
            "group": ["nyresvigt", "nyresvigt", "lever"],
            "month": pd.PeriodIndex(["2022-07", "2022-08", "2022-08"], freq="M"),
            "ge": [0, 0, 0],
        }
    )
    undated = GroupRegistry(
        [g.model_copy(update={"go_live": None}) if g.key == "lever" else g for g in data.groups]
    )
    spans = not_live_spans(frame, np.ones(3, dtype=np.bool_), undated)
    assert [tuple(s) for s in spans] == [
        ("nyresvigt", "2022-07", "2022-08", "2022-09"),
        ("lever", "2022-08", "2022-08", None),
    ]
    english, danish = describe_not_live(spans, "en"), describe_not_live(spans, "da")
    assert "(before go-live 2022-09)" in english and "(before the first GE)" in english
    assert "(før idriftsættelse 2022-09)" in danish and "(før første GE)" in danish
