"""Observed genomes per GE beside the assumed ratio (issue 11 item 2), and the engines'
indifference to the genomes column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast._checks import check_actuals_frame
from wgsforecast.exceptions import InputError
from wgsforecast.genomes import NATIONAL, observed_genomes_per_ge
from wgsforecast.io import bundled_national_genomes_path, read_national_genomes
from wgsforecast.models import GENOMES_PER_GE

# Item 112/23: 7.716 GE done by the end of February 2023; item 114/23: 11.516 genomes in
# the National Genome Database on 28 February 2023.
MINUTES_GE = 7_716
MINUTES_GENOMES = 11_516


def _frame(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": pd.Series([r[0] for r in rows], dtype=object),
            "month": pd.PeriodIndex([r[1] for r in rows], freq="M"),
            "ge": np.array([r[2] for r in rows], dtype=np.int64),
            "genomes": np.array([r[3] for r in rows], dtype=np.int64),
        }
    )


ROWS = [
    ("nyresvigt", "2023-01", 10, 15),
    ("nyresvigt", "2023-02", 30, 45),
    ("haematologisk-cancer", "2023-01", 4, 8),
    ("haematologisk-cancer", "2023-02", 6, 11),
]


def test_observed_ratio_per_group_and_national_beside_the_assumption(
    bundled: wf.ProgrammeData,
) -> None:
    groups = bundled.groups
    table = observed_genomes_per_ge(_frame(ROWS), groups)
    assert list(table.index) == ["nyresvigt", "haematologisk-cancer", NATIONAL]
    assert table.loc["nyresvigt", "ge"] == 40
    assert table.loc["nyresvigt", "genomes"] == 60
    assert table.loc["nyresvigt", "observed"] == pytest.approx(1.5)
    assert table.loc["nyresvigt", "assumed"] == GENOMES_PER_GE["germline"]
    assert table.loc["haematologisk-cancer", "observed"] == pytest.approx(19 / 10)
    assert table.loc["haematologisk-cancer", "assumed"] == GENOMES_PER_GE["cancer"]
    assert table.loc[NATIONAL, "observed"] == pytest.approx(79 / 50)
    weighted = (40 * GENOMES_PER_GE["germline"] + 10 * GENOMES_PER_GE["cancer"]) / 50
    assert table.loc[NATIONAL, "assumed"] == pytest.approx(weighted)
    assert table.loc[NATIONAL, "first"] == pd.Period("2023-01", "M")
    assert table.loc[NATIONAL, "last"] == pd.Period("2023-02", "M")


def test_a_groups_own_genomes_per_ge_is_the_assumption_compared(
    bundled: wf.ProgrammeData,
) -> None:
    own = bundled.groups["nyresvigt"].model_copy(update={"genomes_per_ge": 1.2})
    groups = bundled.groups.replace([own])
    table = observed_genomes_per_ge(_frame(ROWS), groups)
    assert table.loc["nyresvigt", "assumed"] == 1.2


def test_the_bundled_history_against_the_minutes_genomes(bundled: wf.ProgrammeData) -> None:
    national = read_national_genomes(bundled_national_genomes_path())
    table = observed_genomes_per_ge(bundled.actuals, bundled.groups, national)
    assert list(table.index) == [NATIONAL]
    assert table.loc[NATIONAL, "ge"] == MINUTES_GE
    assert table.loc[NATIONAL, "genomes"] == MINUTES_GENOMES
    assert table.loc[NATIONAL, "observed"] == pytest.approx(MINUTES_GENOMES / MINUTES_GE)
    kinds = bundled.actuals["group"].map({g.key: g.kind for g in bundled.groups})
    by_kind = bundled.actuals.groupby(kinds)["ge"].sum()
    assumed = sum(by_kind[kind] * GENOMES_PER_GE[kind] for kind in by_kind.index) / MINUTES_GE
    assert table.loc[NATIONAL, "assumed"] == pytest.approx(assumed)


def test_national_totals_compare_with_ge_to_that_month(
    bundled: wf.ProgrammeData, tmp_path: Path
) -> None:
    to_date = tmp_path / "to_date.csv"
    to_date.write_text("month,genomes_to_date\n2023-01,50\n2023-03,999\n")
    table = observed_genomes_per_ge(_frame(ROWS), bundled.groups, read_national_genomes(to_date))
    # 2023-03 is after the actuals: the latest total at or before 2023-02 is 2023-01's.
    assert table.loc[NATIONAL, "last"] == pd.Period("2023-01", "M")
    assert table.loc[NATIONAL, "ge"] == 14
    assert table.loc[NATIONAL, "observed"] == pytest.approx(50 / 14)
    monthly = tmp_path / "monthly.csv"
    monthly.write_text("month,genomes\n2023-02,70\n")
    table = observed_genomes_per_ge(_frame(ROWS), bundled.groups, read_national_genomes(monthly))
    assert table.loc[NATIONAL, "ge"] == 36
    assert table.loc[NATIONAL, "observed"] == pytest.approx(70 / 36)
    # Per-group rows still come from the actuals' genomes column.
    assert table.loc["nyresvigt", "genomes"] == 60


def test_no_genomes_at_all_is_an_error(bundled: wf.ProgrammeData) -> None:
    with pytest.raises(ValueError, match="no genomes to compare"):
        observed_genomes_per_ge(bundled.actuals, bundled.groups)


def test_the_engine_boundary_checks_the_genomes_column(bundled: wf.ProgrammeData) -> None:
    frame = _frame(ROWS)
    check_actuals_frame(frame, bundled.groups, pd.Period("2023-02", "M"))
    frame.loc[1, "genomes"] = -3
    with pytest.raises(InputError) as caught:
        check_actuals_frame(frame, bundled.groups, pd.Period("2023-02", "M"))
    assert [(p.column, "negative" in p.message) for p in caught.value.problems] == [
        ("genomes", True)
    ]
    assert "index 1" in str(caught.value)


def test_engines_ignore_the_genomes_column(bundled: wf.ProgrammeData) -> None:
    with_genomes = bundled.actuals.assign(genomes=bundled.actuals["ge"] * 2)
    plain = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="runrate")
    other = wf.forecast(with_genomes, bundled.groups, bundled.assumptions, engine="runrate")
    np.testing.assert_array_equal(plain.ge, other.ge)


def test_a_frame_with_text_months_is_refused_by_name_not_by_a_comparison_error(
    bundled: wf.ProgrammeData,
) -> None:
    # Text and Period months mixed: max() over them would raise a bare TypeError.
    frame = _frame(ROWS).astype({"month": object})
    frame.loc[0, "month"] = "2023-01"
    with pytest.raises(InputError) as caught:
        observed_genomes_per_ge(frame, bundled.groups)
    assert [p.column for p in caught.value.problems] == ["month"]
    assert "index 0" in str(caught.value)
