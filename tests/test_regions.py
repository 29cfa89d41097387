"""Splitting the national annual volume (item 111/23: 20,000 WGS) across the regions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wgsforecast.exceptions import InputError
from wgsforecast.regions import largest_remainder, read_regions, region_markdown, split_by_region

# public_facts.md: Statistics Denmark, 1 January 2023; Nordjylland derived from the total.
POPULATIONS = {
    "Hovedstaden": 1_891_871,
    "Midtjylland": 1_358_879,
    "Syddanmark": 1_237_413,
    "Sjælland": 849_857,
    "Nordjylland": 594_634,
}


def test_bundled_populations_and_sources() -> None:
    frame = read_regions()
    assert dict(zip(frame["region"], frame["population"], strict=True)) == POPULATIONS
    assert frame["population"].sum() == 5_932_654  # the national total quoted
    assert frame["source"].str.contains("Statistics Denmark").all()
    assert frame.set_index("region").loc["Nordjylland", "source"].startswith("Derived")


def test_national_split_by_population() -> None:
    table = split_by_region()
    assert table["volume"].sum() == 20_000
    exact = 20_000 * np.array(list(POPULATIONS.values())) / 5_932_654
    assert np.abs(table["volume"].to_numpy() - exact).max() < 1
    assert list(table["volume"]) == [6378, 4581, 4171, 2865, 2005]
    assert "Statistics Denmark" in table.loc[0, "source"]
    assert "20.000" in region_markdown(table, "da") and "20,000" in region_markdown(table, "en")


def test_other_keys(tmp_path: Path) -> None:
    table = split_by_region(100, {"a": 1, "b": 1, "c": 1})
    assert list(table["volume"]) == [34, 33, 33]
    path = tmp_path / "key.csv"
    path.write_text("region,births,population\nA,30,1\nB,10,1\n", encoding="utf-8")
    table = split_by_region(1000, path, column="births")
    assert list(table["volume"]) == [750, 250]
    with pytest.raises(InputError, match="no column 'deaths'; choose one of births, population"):
        split_by_region(1000, path, column="deaths")
    path.write_text("region,births\nA,-3\nB,x\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        split_by_region(1000, path, column="births")
    assert "row 2" in str(error.value) and "row 3" in str(error.value)
    path.write_text("region,births\nA,1\nA,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="appears twice"):
        split_by_region(1000, path, column="births")


def test_bad_weights() -> None:
    with pytest.raises(ValueError, match="all be zero"):
        largest_remainder(10, [0, 0])
    with pytest.raises(ValueError, match=">= 0"):
        largest_remainder(10, [1, -1])
    with pytest.raises(ValueError, match="whole number"):
        largest_remainder(10.5, [1, 1])  # type: ignore[arg-type]


@given(
    total=st.integers(0, 10**7),
    weights=st.lists(st.floats(0, 1e9, allow_nan=False), min_size=1, max_size=12).filter(
        lambda w: sum(w) > 0
    ),
)
def test_largest_remainder_sums_exactly(total: int, weights: list[float]) -> None:
    volumes = largest_remainder(total, weights)
    assert volumes.sum() == total
    exact = total * np.asarray(weights) / np.sum(weights)
    assert (np.abs(volumes - exact) < 1 + 1e-9).all()
    assert (volumes >= 0).all()


def test_markdown_shows_the_source_so_a_derived_population_is_flagged() -> None:
    text = region_markdown(split_by_region(), "en")
    header = text.splitlines()[0]
    assert header.endswith("| Source |")
    nordjylland = next(line for line in text.splitlines() if line.startswith("| Nordjylland"))
    assert "Derived: the national total 5,932,654" in nordjylland
    assert "| Kilde |" in region_markdown(split_by_region(), "da")
    # Every row, the total included, has as many cells as the header.
    assert len({line.count("|") for line in text.splitlines()}) == 1
    # A split key without sources has no source column.
    assert "Source" not in region_markdown(split_by_region(10, {"a": 1, "b": 2}), "en")
