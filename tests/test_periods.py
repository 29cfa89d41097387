"""Months as analysts write them, and Danish number formatting."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from wgsforecast.periods import (
    format_month,
    format_number,
    format_percent,
    month_abbreviations,
    parse_month,
)

FEB_2023 = pd.Period("2023-02", "M")


@pytest.mark.parametrize(
    "value",
    [
        "2023-02",
        "2023-2",
        "2023-02-01",
        "feb 2023",
        "Feb. 2023",
        "februar 2023",
        "FEBRUARY 2023",
        "02-2023",
        "2/2023",
        dt.date(2023, 2, 17),
        pd.Timestamp("2023-02-28"),
        44958,
        44958.0,
        FEB_2023,
    ],
)
def test_parse_month_accepts_the_usual_spellings(value: object) -> None:
    assert parse_month(value) == FEB_2023


def test_danish_month_names_with_special_letters() -> None:
    assert parse_month("maj 2023") == pd.Period("2023-05", "M")
    assert parse_month("okt 2023") == pd.Period("2023-10", "M")


@pytest.mark.parametrize("value", ["2023-13", "februrar 2023", "", "abc", True, 1.5, 2024, 202302])
def test_parse_month_rejects_nonsense_with_the_accepted_forms(value: object) -> None:
    with pytest.raises(ValueError, match="2023-02, feb 2023"):
        parse_month(value)


def test_number_formatting() -> None:
    assert format_number(34_282) == "34.282"
    assert format_number(34_282, "en") == "34,282"
    assert format_number(1234.5, decimals=1) == "1.234,5"
    assert format_percent(0.805) == "80 %" or format_percent(0.805) == "81 %"
    assert format_percent(0.5, "en") == "50%"
    assert format_month(pd.Period("2025-06", "M")) == "juni 2025"
    assert format_month(pd.Period("2025-06", "M"), "en") == "June 2025"


def test_month_abbreviations_follow_the_language_and_refuse_others() -> None:
    assert month_abbreviations("da")[4] == "maj" and month_abbreviations("en")[4] == "May"
    assert len(month_abbreviations("da")) == len(month_abbreviations("en")) == 12
    with pytest.raises(ValueError, match="lang must be 'da' or 'en'"):
        month_abbreviations("de")  # type: ignore[arg-type]
