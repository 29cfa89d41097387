"""The one CSV writer (:mod:`wgsforecast.csv_export`) and the two-language :class:`Text`."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wgsforecast._text import Text
from wgsforecast.csv_export import csv_bytes, exact_float_reading

BOM = b"\xef\xbb\xbf"


def _mixed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gruppe": ["nyresvigt", "sjældne; syndromer"],
            "ge": [5676.0, np.nan],  # whole floats, e.g. after a sum over paths
            "andel": [0.25, -2.5],
            "antal": pd.array([3, None], dtype="Int64"),
            "i_drift": [True, False],
            "maaned": pd.period_range("2023-01", periods=2, freq="M"),
            "dato": pd.to_datetime(["2023-02-28", "2024-06-30"]),
            "dag": [dt.date(2023, 3, 1), None],
        }
    )


def test_danish_csv_is_for_danish_excel() -> None:
    raw = csv_bytes(_mixed(), "da")
    assert raw.startswith(BOM)
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "gruppe;ge;andel;antal;i_drift;maaned;dato;dag"
    assert lines[1] == "nyresvigt;5676;0,25;3;ja;2023-01;2023-02-28;2023-03-01"
    assert lines[2] == '"sjældne; syndromer";;-2,5;;nej;2023-02;2024-06-30;'


def test_english_csv_is_comma_csv_with_the_byte_order_mark() -> None:
    raw = csv_bytes(_mixed(), "en")
    assert raw.startswith(BOM)  # Excel needs it for "æøå" in English too
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "gruppe,ge,andel,antal,i_drift,maaned,dato,dag"
    assert lines[1] == "nyresvigt,5676,0.25,3,yes,2023-01,2023-02-28,2023-03-01"
    assert lines[2] == "sjældne; syndromer,,-2.5,,no,2023-02,2024-06-30,"


def test_booleans_and_whole_numbers_in_text_columns_are_words_and_integers() -> None:
    # Object columns (e.g. a value per row of mixed kind) get the same treatment per cell.
    frame = pd.DataFrame({"værdi": [np.True_, 2.0, 2.5, "tekst", np.int64(7)]})
    assert csv_bytes(frame, "da").decode("utf-8-sig").splitlines()[1:] == [
        "ja",
        "2",
        "2,5",
        "tekst",
        "7",
    ]


def test_the_index_is_not_written() -> None:
    frame = pd.DataFrame({"a": [1.5]}, index=pd.Index(["row"], name="name"))
    assert csv_bytes(frame, "en") == BOM + b"a\n1.5\n"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="lang must be 'da' or 'en'; got 'de'"):
        csv_bytes(pd.DataFrame({"a": [1]}), "de")  # type: ignore[arg-type]


@given(
    st.lists(
        # Up to 1e15: pandas' reader gives up on decimal commas beyond int64 (not the writer).
        st.floats(-1e15, 1e15) | st.integers(-(10**15), 10**15),
        min_size=1,
        max_size=20,
    )
)
def test_numbers_are_read_back_exactly_in_both_languages(values: list[float]) -> None:
    frame = pd.DataFrame({"x": [float(v) for v in values]})
    for lang, sep, decimal in (("da", ";", ","), ("en", ",", ".")):
        text = csv_bytes(frame, lang).decode("utf-8-sig")
        back = pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal, **exact_float_reading())
        assert back["x"].astype(float).tolist() == frame["x"].tolist(), (lang, text)
        cells = text.splitlines()[1:]
        for value, cell in zip(frame["x"], cells, strict=True):
            if value.is_integer():
                assert cell == str(int(value)), (lang, value, cell)  # never "5676,0"


def test_text_picks_the_language_and_fills_the_fields() -> None:
    wrote = Text(da="skrev {path}", en="wrote {path}")
    assert wrote("da", path="a.csv") == "skrev a.csv"
    assert wrote("en", path="a.csv") == "wrote a.csv"
    with pytest.raises(ValueError, match="lang must be 'da' or 'en'; got 'sv'"):
        wrote("sv", path="a.csv")  # type: ignore[arg-type]
