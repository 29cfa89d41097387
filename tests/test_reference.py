"""The bundled data honours the public anchors, and the published Table 1 is reproduced.

Golden numbers: Table 1 of item 112/23 (minutes of 15 March 2023, NGC), bundled in
../shared/reference/table1_2023_03.csv; anchors 5,676 and 7,716 from the same item.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf

PUBLISHED_TABLE1 = {  # period: (GE in the period, cumulative total); None = not published
    "2019-2022": (5_676, 5_676),
    "2023": (15_598, 21_274),
    "Medio 2024": (None, 34_282),
    "2024": (26_015, 47_289),
    "Juni 2025": (None, 61_098),
    "2025": (33_143, 80_432),
}


def test_reconstructed_actuals_hit_the_public_anchors_exactly(
    bundled: wf.ProgrammeData,
) -> None:
    actuals = bundled.actuals
    through = {
        m: int(actuals.loc[actuals["month"] <= pd.Period(m, "M"), "ge"].sum())
        for m in ("2020-09", "2022-05", "2022-12", "2023-02")
    }
    assert through["2020-09"] == 0  # nothing before October 2020
    assert through["2022-12"] == 5_676
    assert through["2023-02"] == 7_716
    assert 1_300 <= through["2022-05"] <= 1_700  # "about 1,500" by the end of May 2022


def test_groups_start_at_their_published_go_live(bundled: wf.ProgrammeData) -> None:
    first = bundled.actuals.groupby("group")["month"].min()
    for group in bundled.groups:
        published = group.go_live is not None and group.source_of("go_live") == "published"
        if published and group.key in first.index:
            assert first[group.key] == group.go_live, group.key


def test_bundled_data_says_it_is_reconstructed(bundled: wf.ProgrammeData) -> None:
    assert "reconstructed" in bundled.actuals.attrs["notes"]


def test_published_table1_is_reproduced_within_two_percent(
    published_method: wf.Prognosis,
) -> None:
    table = published_method.yearly_table()
    for period, (per_period, total) in PUBLISHED_TABLE1.items():
        ours_total = float(table.loc["Total antal genomækvivalenter", period])
        assert ours_total == pytest.approx(total, rel=0.02), period
        ours_period = table.loc["Genomækvivalenter pr. år", period]
        if per_period is None:
            assert pd.isna(ours_period), period  # mid-year columns carry only the total
        else:
            assert float(ours_period) == pytest.approx(per_period, rel=0.02), period


def test_published_target_month_june_2025_is_reproduced(published_method: wf.Prognosis) -> None:
    assert published_method.target_month() == pd.Period("2025-06", "M")


def test_bundled_table1_matches_our_golden_numbers() -> None:
    """The golden numbers above are the ones in the bundled copy of Table 1."""
    from wgsforecast.io import bundled_data_dir

    frame = pd.read_csv(bundled_data_dir() / "table1_2023_03.csv")
    assert len(frame) == len(PUBLISHED_TABLE1)
    for row in frame.itertuples():
        per_period, total = PUBLISHED_TABLE1[row.period_da]
        assert row.ge_cumulative == total
        if per_period is not None:
            assert row.ge_in_period == per_period
        else:
            assert np.isnan(row.ge_in_period)


def test_bundled_table1_is_an_unchanged_copy_of_the_reference() -> None:
    from pathlib import Path

    from wgsforecast.io import bundled_data_dir

    reference = Path(__file__).resolve().parents[2] / "shared" / "reference" / "table1_2023_03.csv"
    if not reference.exists():
        pytest.skip(f"{reference} is not beside this checkout")
    assert (bundled_data_dir() / "table1_2023_03.csv").read_bytes() == reference.read_bytes()
