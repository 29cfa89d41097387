"""CSV files for spreadsheets: the one writer for every CSV wgsforecast writes.

Danish (``"da"``): ``;`` between fields and a decimal comma, so a Danish Excel opens the
file as columns of numbers. English (``"en"``): ``,`` between fields and a decimal point.
Both start with the UTF-8 byte-order mark, without which Excel (in any language) shows the
groups' "æøå" garbled.
:func:`wgsforecast.io.read_actuals` and friends read both forms.

In both languages a whole number is written as one (``5676``, never ``5676,0``), yes/no
values as ``ja``/``nej`` or ``yes``/``no`` and dates as ISO ``2023-02-28`` (months
``2023-02``); no value is rounded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from wgsforecast._text import Text
from wgsforecast.periods import Lang

BOM = "\ufeff"
SEPARATOR: dict[Lang, str] = {"da": ";", "en": ","}
DECIMAL: dict[Lang, str] = {"da": ",", "en": "."}
YES = Text(da="ja", en="yes")
NO = Text(da="nej", en="no")


def csv_bytes(frame: pd.DataFrame, lang: Lang) -> bytes:
    """A table as CSV for ``lang``'s spreadsheet (see the module docstring).

    Parameters
    ----------
    frame
        The table; its index is not written (reset it first to keep it). Column names are
        written as they are: translate them before.
    lang
        ``"da"``: ``;`` and decimal comma; ``"en"``: ``,`` and decimal point.

    Returns
    -------
    bytes
        The file's content, UTF-8 with a byte-order mark, lines ending in ``\\n``.

    Examples
    --------
    >>> frame = pd.DataFrame({"ge": [5676.0, 2.5], "live": [True, False]})
    >>> csv_bytes(frame, "da").decode("utf-8-sig")
    'ge;live\\n5676;ja\\n2,5;nej\\n'
    >>> csv_bytes(frame, "en").decode("utf-8-sig")
    'ge,live\\n5676,yes\\n2.5,no\\n'
    """
    if lang not in SEPARATOR:
        raise ValueError(f"lang must be 'da' or 'en'; got {lang!r}")
    # Each cell is formatted here, not by pandas, so that whole floats lose their ".0" and
    # booleans become words; numbers in text columns are left as they are.
    cells = frame.astype(object).map(lambda value: _cell(value, lang))
    text = cells.to_csv(index=False, sep=SEPARATOR[lang], lineterminator="\n")
    return (BOM + text).encode("utf-8")


def exact_float_reading() -> dict[str, Any]:
    """Keywords for :func:`pandas.read_csv` that read a CSV's floats back bit for bit.

    For the floats :func:`csv_bytes` and the vintages write: the shortest text that reads
    back as the same float.

    Returns
    -------
    dict
        ``{"float_precision": "round_trip"}`` before pandas 3.1, whose default float parser
        can be one unit in the last place off at extreme exponents; empty from 3.1 on, which
        reads floats exactly by default and deprecates the keyword.
    """
    major, minor = (int(part) for part in pd.__version__.split(".")[:2])
    return {} if (major, minor) >= (3, 1) else {"float_precision": "round_trip"}


def _cell(value: Any, lang: Lang) -> str:
    """The text of one value: whole numbers without decimals, yes/no words, ISO dates."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return (YES if value else NO)(lang)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return _number(float(value), lang)
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _number(value: float, lang: Lang) -> str:
    """A float exactly as stored (shortest round-trip form), a whole one without ``.0``."""
    if np.isnan(value):
        return ""
    if value.is_integer():
        return str(int(value))
    return repr(value).replace(".", DECIMAL[lang])
