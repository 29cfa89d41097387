"""Months, table periods, the national monthly series and Danish number formatting.

Months are :class:`pandas.Period` objects with monthly frequency throughout the library.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Literal

import pandas as pd

Lang = Literal["da", "en"]

_MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januar", "january", "jan"),
        ("februar", "february", "feb", "febr"),
        ("marts", "march", "mar", "mrt"),
        ("april", "apr"),
        ("maj", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _name in _names:
        _MONTH_NAMES[_name] = _number

MONTH_NAMES_DA = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MONTH_ABBR_DA = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTH_ABBR_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_abbreviations(lang: Lang) -> tuple[str, ...]:
    """The twelve short month names in ``lang``, January first (``maj``/``May``).

    Raises
    ------
    ValueError
        For a language other than ``"da"`` or ``"en"``.
    """
    if lang == "da":
        return MONTH_ABBR_DA
    if lang == "en":
        return MONTH_ABBR_EN
    raise ValueError(f"lang must be 'da' or 'en'; got {lang!r}")


# Excel stores dates as days since 1899-12-30 (the 1900 leap-year bug included).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers accepted as months: 1954-10-02 to 2119-01-10. A bare 2024 or 202302 is far
# more likely a month typed without quotes than a date in 1905 or 2453.
EXCEL_SERIAL_RANGE = (20_000, 80_000)
EXCEL_1904_OFFSET = 1462
"""Days between the 1904 date system of older Mac workbooks and the 1900 system."""
_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ T].*)?$")
_MONTH_YEAR_NUM = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_NAME_YEAR = re.compile(r"^([a-z]+)\.?[ \-/]*(\d{4})$")
# Excel's mmm-yy format as text ("sep-22", "Jan 23"): a two-digit year is 20yy.
_NAME_SHORT_YEAR = re.compile(r"^([a-z]+)\.?[ \-/.']*(\d{2})$")


def _fold(text: str) -> str:
    """Lower-case and strip accents, so 'Æ' and 'ae', 'é' and 'e' compare equal."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_month(value: Any) -> pd.Period:
    """Parse a month written the ways Danish analysts write it.

    Parameters
    ----------
    value
        ``"2023-02"``, ``"2023-02-01"``, ``"feb 2023"``, ``"febr. 2023"``, ``"februar 2023"``,
        ``"02-2023"``, ``"sep-22"`` (Excel's mmm-yy: a two-digit year is 20yy),
        a :class:`datetime.date`/:class:`pandas.Timestamp`, a :class:`pandas.Period`, or an
        Excel date serial number such as ``44958``.

    Returns
    -------
    pandas.Period
        The month, with frequency ``"M"``.

    Raises
    ------
    ValueError
        If the value is not a recognisable month; the message lists the accepted forms.

    Examples
    --------
    >>> parse_month("februar 2023")
    Period('2023-02', 'M')
    >>> parse_month(44958)
    Period('2023-02', 'M')
    """
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if isinstance(value, dt.date | pd.Timestamp):
        return pd.Period(year=value.year, month=value.month, freq="M")
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    low, high = EXCEL_SERIAL_RANGE
    if is_number and value == int(value) and low <= value <= high:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return pd.Period(year=day.year, month=day.month, freq="M")
    if isinstance(value, str):
        text = _fold(value)
        year, month = _split_month_text(text)
        if year is not None and month is not None and 1 <= month <= 12:
            return pd.Period(year=year, month=month, freq="M")
    hint = " (in a TOML file, put the month in quotes)" if is_number else ""
    raise ValueError(
        f"{value!r} is not a month; write it as 2023-02, feb 2023, februar 2023 or an Excel "
        f"date{hint}"
    )


def _split_month_text(text: str) -> tuple[int | None, int | None]:
    if match := _ISO_MONTH.match(text):
        return int(match[1]), int(match[2])
    if match := _MONTH_YEAR_NUM.match(text):
        return int(match[2]), int(match[1])
    if match := _NAME_YEAR.match(text):
        return int(match[2]), _MONTH_NAMES.get(match[1])
    if (match := _NAME_SHORT_YEAR.match(text)) and match[1] in _MONTH_NAMES:
        return 2000 + int(match[2]), _MONTH_NAMES[match[1]]
    return None, None


def month_range(first: pd.Period, last: pd.Period) -> pd.PeriodIndex:
    """Return every month from ``first`` to ``last`` inclusive."""
    return pd.period_range(first, last, freq="M")


def national_truth(actuals: pd.DataFrame) -> pd.Series:
    """National monthly GE from a long frame, every month from the first to the last.

    What backtests and vintage scores compare forecasts with. Months with no rows count as
    zero (no GE done), like the engines' history.

    Parameters
    ----------
    actuals
        Long frame (``group``, ``month``, ``ge``).

    Returns
    -------
    pandas.Series
        float GE indexed by month.

    Raises
    ------
    ValueError
        If the frame has no rows, or its months are not monthly periods (text months
        would otherwise match no month of the range and score as zeros).
    """
    if actuals.empty:
        raise ValueError("the actuals are empty; scoring needs monthly GE to compare with")
    if actuals["month"].dtype != pd.PeriodDtype("M") and not all(
        isinstance(month, pd.Period) and month.freqstr == "M" for month in actuals["month"]
    ):
        raise ValueError(
            "the actuals' months are not monthly periods; convert them with"
            " pd.PeriodIndex(frame['month'], freq='M'), or read the file with read_actuals"
        )
    monthly = actuals.groupby("month", sort=True)["ge"].sum()
    months = month_range(monthly.index.min(), monthly.index.max())
    return monthly.reindex(months, fill_value=0).astype("float64")


def format_month(month: pd.Period, lang: Lang = "da") -> str:
    """Return a month as people write it: ``juni 2025`` (da) or ``June 2025`` (en)."""
    if lang == "da":
        return f"{MONTH_NAMES_DA[month.month - 1]} {month.year}"
    return f"{month.strftime('%B')} {month.year}"


def format_number(value: float, lang: Lang = "da", decimals: int = 0) -> str:
    """Format a number with the thousands and decimal marks of the language.

    Examples
    --------
    >>> format_number(34282)
    '34.282'
    >>> format_number(34282, lang="en")
    '34,282'
    >>> format_number(0.8123, decimals=2)
    '0,81'
    """
    text = f"{value:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_signed(value: float, lang: Lang = "da") -> str:
    """A whole number with its sign always shown, as a change is written.

    Examples
    --------
    >>> format_signed(-7343)
    '-7.343'
    >>> format_signed(1200, lang="en")
    '+1,200'
    """
    return ("+" if value >= 0 else "-") + format_number(abs(value), lang)


def format_percent(share: float, lang: Lang = "da", decimals: int = 0) -> str:
    """Format a share in [0, 1] as a percentage: ``81 %`` (da) or ``81%`` (en)."""
    number = format_number(100 * share, lang, decimals)
    return f"{number} %" if lang == "da" else f"{number}%"
