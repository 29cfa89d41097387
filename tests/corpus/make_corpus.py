"""Build the adversarial input corpus: files a new user might hand the readers.

Every case is a file (CSV, TSV or ``.xlsx``) and its expected outcome: either a correct read
with the exact numbers, or a refusal naming the row, the column and words of the fix.
``tests/test_corpus.py`` builds the corpus into a temporary folder and checks every case;
nothing generated is committed. Run as a script to look at the files::

    python tests/corpus/make_corpus.py /tmp/corpus      # writes the files and expected.json
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

Record = tuple[str, str, int]
"""An expected row of the frame: group key, month (``YYYY-MM``) and GE."""


@dataclass(frozen=True)
class Refusal:
    """The problem a refused file must report: where (``None``: the whole file) and words."""

    row: int | None
    column: str | None
    words: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """One corpus file and what reading it must give.

    Attributes
    ----------
    name
        The file name in the corpus folder.
    why
        What the file tries (the issue item it covers).
    reader
        ``actuals`` (:func:`wgsforecast.read_actuals`) or ``groups``
        (:func:`wgsforecast.read_groups`).
    options
        Keywords for the reader (``as_of``, ``sheet``, ``plausible_factor``, ...).
    registry
        A groups file of the corpus to read the actuals against (default: bundled).
    rows
        The exact frame expected (actuals), in registry order then month.
    declared
        The declared volume per key expected (groups).
    not_live
        The ``attrs["not_live"]`` expected: ``(key, first, last)`` per group.
    refusal
        The problem expected instead of a read.
    genomes
        The ``genomes`` column expected beside ``rows`` (``None``: no such column).
    warns
        Words of the :class:`~wgsforecast.genomes.GenomesWarning` the read must give
        (empty: the read gives none).
    cli
        Also run ``wgsforecast validate`` on the file in a subprocess.
    """

    name: str
    why: str
    reader: str = "actuals"
    options: dict[str, Any] = field(default_factory=dict)
    registry: str | None = None
    rows: tuple[Record, ...] | None = None
    declared: dict[str, float] | None = None
    not_live: tuple[tuple[str, str, str], ...] = ()
    refusal: Refusal | None = None
    genomes: tuple[int, ...] | None = None
    warns: tuple[str, ...] = ()
    cli: bool = False


# --------------------------------------------------------------------------- writers


def _text(
    folder: Path, name: str, lines: Sequence[str], encoding: str = "utf-8", newline: str = "\n"
) -> None:
    (folder / name).write_bytes((newline.join(lines) + newline).encode(encoding))


def _xlsx(
    folder: Path,
    name: str,
    rows: Sequence[Sequence[object]],
    *,
    date1904: bool = False,
    sheets: dict[str, Sequence[Sequence[object]]] | None = None,
) -> None:
    book = openpyxl.Workbook()
    if date1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for title, extra in (sheets or {}).items():
        other = book.create_sheet(title)
        for row in extra:
            other.append(list(row))
    book.save(folder / name)


def _long(sep: str, records: Sequence[tuple[str, str, str]], header: str = "") -> list[str]:
    head = header or sep.join(("group", "month", "ge"))
    return [head, *(sep.join(r) for r in records)]


def nfd(text: str) -> str:
    """The text decomposed, as macOS saves it (``å`` becomes ``a`` and a ring)."""
    return unicodedata.normalize("NFD", text)


NY, UDB, NEURO = "nyresvigt", "udbredt-uhelbredelig-kraeft", "neurogenetik"
"""Groups with room for large counts: 1,600, 28,000 and 4,000 GE a year."""
UNGE_DA = "Unge voksne med kræft (18-30 år) samt arvelig kræft hos voksne"
SERIAL_1900 = {"2023-01": 44927, "2023-02": 44958, "2023-03": 44986}
GROUP_HEADER = "key,name_da,name_en,kind,declared_per_year,go_live,status,cap_share"


# --------------------------------------------------------------------------- cases


def _number_conventions(folder: Path) -> list[Case]:
    """Item 1: a thousands separator or a decimal mark; decided per file, else refused."""
    cases = []
    _text(
        folder,
        "tab_english.tsv",
        _long("\t", [(UDB, "2023-01", "2,368"), (UDB, "2023-02", "2,000")]),
    )
    cases.append(
        Case(
            "tab_english.tsv",
            "1: tab export, English thousands; 2,368 decides 2,000",
            rows=((UDB, "2023-01", 2368), (UDB, "2023-02", 2000)),
            cli=True,
        )
    )
    _text(
        folder,
        "tab_ambiguous.tsv",
        _long("\t", [(UDB, "2023-01", "2,000"), (UDB, "2023-02", "386")]),
    )
    cases.append(
        Case(
            "tab_ambiguous.tsv",
            "1: 2,000 alone could be 2 or 2000",
            refusal=Refusal(
                2,
                "ge",
                (
                    "'2,000' is 2 read the Danish way",
                    "2000 read the English way",
                    "write it without the comma",
                ),
            ),
            cli=True,
        )
    )
    _text(
        folder,
        "tab_ambiguous_dot.tsv",
        _long("\t", [(UDB, "2023-01", "1.000"), (UDB, "2023-02", "5")]),
    )
    cases.append(
        Case(
            "tab_ambiguous_dot.tsv",
            "1: 1.000 alone could be 1000 or 1",
            refusal=Refusal(2, "ge", ("'1.000' is 1000 read the Danish way", "without the dot")),
        )
    )
    _text(
        folder,
        "semicolon_ambiguous.csv",
        _long(";", [(UDB, "2023-01", "3,000"), (UDB, "2023-02", "12")]),
    )
    cases.append(
        Case(
            "semicolon_ambiguous.csv",
            "1: a ; file is no proof of Danish numbers",
            refusal=Refusal(
                2, "ge", ("'3,000' is 3 read the Danish way", "3000 read the English way")
            ),
        )
    )
    _text(
        folder,
        "semicolon_english.csv",
        _long(";", [(UDB, "2023-01", "1,234"), (UDB, "2023-02", "1,000")]),
    )
    cases.append(
        Case(
            "semicolon_english.csv",
            "1: 1,234 can only be 1234, so 1,000 is 1000",
            rows=((UDB, "2023-01", 1234), (UDB, "2023-02", 1000)),
        )
    )
    _text(
        folder,
        "semicolon_danish.csv",
        _long(";", [(NY, "2023-01", "1.234"), (NY, "2023-02", "6,0"), (NY, "2023-03", "1.000")]),
        encoding="cp1252",
    )
    cases.append(
        Case(
            "semicolon_danish.csv",
            "1: Danish thousands dots and a decimal comma",
            rows=((NY, "2023-01", 1234), (NY, "2023-02", 6), (NY, "2023-03", 1000)),
        )
    )
    _text(
        folder,
        "mixed_conventions.tsv",
        _long("\t", [(UDB, "2023-01", "1.234"), (UDB, "2023-02", "1,234"), (UDB, "2023-03", "7")]),
    )
    cases.append(
        Case(
            "mixed_conventions.tsv",
            "1: one cell each way",
            refusal=Refusal(
                2, "ge", ("written the Danish way", "the English way", "write every number one way")
            ),
        )
    )
    _text(
        folder,
        "comma_quoted_ambiguous.csv",
        _long(",", [(UDB, "2023-01", '"1,000"'), (UDB, "2023-02", "4")]),
    )
    cases.append(
        Case(
            "comma_quoted_ambiguous.csv",
            "1: a quoted 1,000 in a comma file, nothing else",
            refusal=Refusal(2, "ge", ("'1,000' is 1 read the Danish way",)),
        )
    )
    _text(
        folder,
        "comma_dot_thousand.csv",
        _long(",", [(NY, "2023-01", "2.000"), (NY, "2023-02", "3")]),
    )
    cases.append(
        Case(
            "comma_dot_thousand.csv",
            "1: 2.000 in a comma file was read as 2",
            refusal=Refusal(
                2, "ge", ("'2.000' is 2000 read the Danish way", "2 read the English way")
            ),
        )
    )
    _text(
        folder,
        "comma_quoted_english.csv",
        _long(",", [(UDB, "2023-01", '"1,000"'), (UDB, "2023-02", '"2,500"')]),
    )
    cases.append(
        Case(
            "comma_quoted_english.csv",
            "1: 2,500 decides 1,000",
            rows=((UDB, "2023-01", 1000), (UDB, "2023-02", 2500)),
        )
    )
    _text(folder, "danish_decimal_count.csv", _long(";", [(NY, "2023-01", "12,5")]))
    cases.append(
        Case(
            "danish_decimal_count.csv",
            "1: a real fraction is still no count",
            refusal=Refusal(2, "ge", ("'12,5' is not a whole number", "correct or round")),
        )
    )
    _text(
        folder,
        "danish_full.csv",
        _long(";", [(NY, "2023-01", "1.234,0"), (NY, "2023-02", "1.000")]),
    )
    cases.append(
        Case(
            "danish_full.csv",
            "1: 1.234,0 is Danish only",
            rows=((NY, "2023-01", 1234), (NY, "2023-02", 1000)),
        )
    )
    _text(
        folder,
        "english_full.tsv",
        _long("\t", [(NY, "2023-01", "1,234.0"), (NY, "2023-02", "1,000")]),
    )
    cases.append(
        Case(
            "english_full.tsv",
            "1: 1,234.0 is English only",
            rows=((NY, "2023-01", 1234), (NY, "2023-02", 1000)),
        )
    )
    wide = [
        "month\tNyresvigt\tUdbredt og uhelbredelig kræft",
        "2023-01\t1,000\t2,368",
        "2023-02\t5\t2,000",
    ]
    _text(folder, "wide_tab_english_utf16.txt", wide, encoding="utf-16")
    cases.append(
        Case(
            "wide_tab_english_utf16.txt",
            "1: wide Unicode-text export, English",
            rows=(
                (NY, "2023-01", 1000),
                (NY, "2023-02", 5),
                (UDB, "2023-01", 2368),
                (UDB, "2023-02", 2000),
            ),
        )
    )
    _xlsx(
        folder,
        "xlsx_text_ambiguous.xlsx",
        [["group", "month", "ge"], [UDB, "2023-01", "2,000"], [UDB, "2023-02", 40]],
    )
    cases.append(
        Case(
            "xlsx_text_ambiguous.xlsx",
            "1: a text cell in a workbook",
            refusal=Refusal(2, "ge", ("'2,000' is 2 read the Danish way",)),
            cli=True,
        )
    )
    _xlsx(
        folder,
        "xlsx_text_english.xlsx",
        [["group", "month", "ge"], [UDB, "2023-01", "2,000"], [UDB, "2023-02", "1,234"]],
    )
    cases.append(
        Case(
            "xlsx_text_english.xlsx",
            "1: text cells decided by 1,234",
            rows=((UDB, "2023-01", 2000), (UDB, "2023-02", 1234)),
        )
    )
    _text(
        folder,
        "nbsp_thousands.csv",
        _long(";", [(NY, "2023-01", "1\xa0234"), (NY, "2023-02", "1 000")]),
    )
    cases.append(
        Case(
            "nbsp_thousands.csv",
            "1: space and no-break-space thousands are neither",
            rows=((NY, "2023-01", 1234), (NY, "2023-02", 1000)),
        )
    )
    return cases


def _formulas(folder: Path) -> list[Case]:
    """Item 2: formulas a program wrote and Excel never computed."""
    rows: list[list[object]] = [["month", "Nyresvigt", "Neurogenetiske patienter"]]
    rows += [["2023-01", 5, 7], ["2023-02", 6, "=C2+1"], ["2023-03", 7, "=C3+1"]]
    _xlsx(folder, "formula_wide.xlsx", rows)
    long: list[list[object]] = [
        ["group", "month", "ge"],
        [NY, "2023-01", 4],
        [NY, "2023-02", "=B2*2"],
    ]
    _xlsx(folder, "formula_long.xlsx", long)
    total: list[list[object]] = [["month", "Nyresvigt"], ["2023-01", 5], ["2023-02", "=SUM(B2:B2)"]]
    _xlsx(folder, "formula_sum.xlsx", total)
    fix = ("no saved value", "open the file in Excel and save it")
    return [
        Case(
            "formula_wide.xlsx",
            "2: a group's column of formulas",
            refusal=Refusal(3, "Neurogenetiske patienter", fix),
            cli=True,
        ),
        Case("formula_long.xlsx", "2: one formula count", refusal=Refusal(3, "ge", fix)),
        Case(
            "formula_sum.xlsx",
            "2: a SUM formula",
            refusal=Refusal(3, "Nyresvigt", ("=SUM(B2:B2)", *fix)),
        ),
    ]


def _groups_files(folder: Path) -> list[Case]:
    """Item 3: declared volumes read through the wrong convention."""
    row = "a,Aa,Aa,germline,{declared},2023-01,live,{cap}"
    _text(
        folder, "groups_dot_comma.csv", [GROUP_HEADER, row.format(declared='"1.600"', cap="0.75")]
    )
    _text(folder, "groups_dot_only.csv", [GROUP_HEADER, row.format(declared="1.600", cap="")])
    tab = [
        GROUP_HEADER.replace(",", "\t"),
        row.format(declared="1.600", cap="0.75").replace(",", "\t"),
    ]
    _text(folder, "groups_tab_english.tsv", tab)
    semi = [
        GROUP_HEADER.replace(",", ";"),
        row.replace(",", ";").format(declared="1.600", cap="0,75"),
    ]
    _text(folder, "groups_semicolon_danish.csv", semi)
    semi_amb = [
        GROUP_HEADER.replace(",", ";"),
        row.format(declared="1.600", cap="").replace(",", ";"),
    ]
    _text(folder, "groups_semicolon_dot.csv", semi_amb)
    _text(folder, "groups_tiny.csv", [GROUP_HEADER, row.format(declared="5", cap="")])
    header = GROUP_HEADER.split(",")
    _xlsx(
        folder,
        "groups_numbers.xlsx",
        [header, ["a", "Aa", "Aa", "germline", 1600.0, "2023-01", "live", 0.75]],
    )
    decomposed = [GROUP_HEADER, f"b,{nfd('Småbørn')},Toddlers,germline,900,,live,"]
    _text(folder, "groups_nfd.csv", decomposed)
    _text(folder, "groups_decimal_small.csv", [GROUP_HEADER, row.format(declared="1.6", cap="")])
    _text(folder, "groups_ambiguous.csv", [GROUP_HEADER, row.format(declared="2.000", cap="")])
    small = ("implausibly small", "without thousands separators")
    mixed = ("written the Danish way", "the English way", "write every number one way")
    return [
        Case(
            "groups_dot_comma.csv",
            "3: 1.600 (a whole number only the Danish way) beside English 0.75",
            reader="groups",
            refusal=Refusal(2, "declared_per_year", mixed),
            cli=True,
        ),
        Case(
            "groups_dot_only.csv",
            "3: 1.600 alone in a comma file: 1.6 GE a year is no volume, 1600 is",
            reader="groups",
            declared={"a": 1600.0},
        ),
        Case(
            "groups_tab_english.tsv",
            "3: tab file, 1.600 beside English 0.75",
            reader="groups",
            refusal=Refusal(2, "declared_per_year", mixed),
        ),
        Case(
            "groups_semicolon_danish.csv",
            "3: Danish 0,75 and 1.600",
            reader="groups",
            declared={"a": 1600.0},
        ),
        Case(
            "groups_semicolon_dot.csv",
            "3: a ; file with 1.600 alone",
            reader="groups",
            declared={"a": 1600.0},
        ),
        Case(
            "groups_ambiguous.csv",
            "3: 2.000 is 2000 or 2, both whole",
            reader="groups",
            refusal=Refusal(2, "declared_per_year", ("'2.000' is 2000 read the Danish way",)),
        ),
        Case(
            "groups_decimal_small.csv",
            "3: 1.6 GE a year",
            reader="groups",
            refusal=Refusal(2, "declared_per_year", small),
        ),
        Case(
            "groups_tiny.csv",
            "3: 5 GE a year",
            reader="groups",
            refusal=Refusal(2, "declared_per_year", small),
        ),
        Case(
            "groups_numbers.xlsx",
            "3: numbers in a workbook",
            reader="groups",
            declared={"a": 1600.0},
        ),
        Case(
            "groups_nfd.csv",
            "NFC: a decomposed name is stored composed",
            reader="groups",
            declared={"b": 900.0},
        ),
    ]


def _limits(folder: Path) -> list[Case]:
    """Item 4: counts far above the declared volume, and counts that do not fit."""
    _text(
        folder, "huge_count.csv", _long(",", [(NY, "2023-01", "5"), (NY, "2023-02", "1000000000")])
    )
    _text(
        folder,
        "wrap_int64.csv",
        _long(
            ",", [(NY, "2023-01", "5000000000000000000"), (NY, "2023-02", "5000000000000000000")]
        ),
    )
    _text(folder, "overflow.csv", _long(",", [(NY, "2023-01", "1e20")]))
    _text(folder, "overflow_plain.csv", _long(",", [(NY, "2023-01", "100000000000000000000")]))
    _xlsx(folder, "overflow_float.xlsx", [["group", "month", "ge"], [NY, "2023-01", 1e20]])
    _text(folder, "at_limit.csv", _long(",", [(NY, "2023-01", "1333"), (NY, "2023-02", "1334")]))
    _text(
        folder, "factor_raised.csv", _long(",", [(NY, "2023-01", "1334"), (NY, "2023-02", "10000")])
    )
    _text(folder, "text_inf.csv", _long(",", [(NY, "2023-01", "inf"), (NY, "2023-02", "nan")]))
    big = ("more than 10 times the declared monthly volume", "plausible_factor")
    return [
        Case(
            "huge_count.csv",
            "4: 1e9 in a group declaring 1,600 a year",
            refusal=Refusal(3, "ge", ("1,000,000,000 GE in 2023-02", *big)),
            cli=True,
        ),
        Case(
            "wrap_int64.csv",
            "4: two 5e18 would wrap the int64 sum",
            refusal=Refusal(2, "ge", ("far too large",)),
        ),
        Case(
            "overflow.csv",
            "4: 1e20 written as an exponent",
            refusal=Refusal(2, "ge", ("'1e20' is not a number",)),
        ),
        Case(
            "overflow_plain.csv",
            "4: 1e20 written out",
            refusal=Refusal(2, "ge", ("far too large",)),
        ),
        Case(
            "overflow_float.xlsx",
            "4: 1e20 as a workbook number",
            refusal=Refusal(2, "ge", ("far too large",)),
        ),
        Case(
            "at_limit.csv",
            "4: 1333 is at most 10 x 1600 / 12, 1334 is not",
            refusal=Refusal(3, "ge", ("1,334 GE", *big)),
        ),
        Case(
            "factor_raised.csv",
            "4: the limit is overridable",
            options={"plausible_factor": 100},
            rows=((NY, "2023-01", 1334), (NY, "2023-02", 10000)),
        ),
        Case(
            "text_inf.csv",
            "4: inf and nan as text",
            refusal=Refusal(2, "ge", ("'inf' is not a number",)),
        ),
    ]


def _dates(folder: Path) -> list[Case]:
    """Item 5 and the month spellings: 1904 workbooks, febr., sep-22."""
    serial_1904 = {m: s - 1462 for m, s in SERIAL_1900.items()}
    header = ["month", "Nyresvigt"]
    _xlsx(
        folder,
        "serial_1904.xlsx",
        [header, *([serial_1904[m], i + 1] for i, m in enumerate(SERIAL_1900))],
        date1904=True,
    )
    _xlsx(
        folder,
        "serial_1900.xlsx",
        [header, *([SERIAL_1900[m], i + 1] for i, m in enumerate(SERIAL_1900))],
    )
    dated = [[dt.datetime(2023, month, 1), month] for month in (1, 2, 3)]
    _xlsx(folder, "dates_1904.xlsx", [header, *dated], date1904=True)
    _text(
        folder,
        "febr.csv",
        _long(";", [(NY, "jan. 2023", "1"), (NY, "febr. 2023", "2"), (NY, "marts 2023", "3")]),
    )
    _text(
        folder,
        "mmm_yy.csv",
        _long(",", [(NY, "nov-22", "1"), (NY, "dec-22", "2"), (NY, "jan-23", "3")]),
    )
    _xlsx(folder, "mmm_yy_text.xlsx", [header, ["Sep-22", 4], ["Oct-22", 5]])
    _text(folder, "day_month_no_year.csv", _long(",", [(NY, "22-sep", "1")]))
    three = tuple((NY, m, i + 1) for i, m in enumerate(SERIAL_1900))
    return [
        Case("serial_1904.xlsx", "5: bare serials in a 1904 workbook", rows=three, cli=True),
        Case("serial_1900.xlsx", "5: the same serials in a 1900 workbook", rows=three),
        Case("dates_1904.xlsx", "5: date cells in a 1904 workbook", rows=three),
        Case("febr.csv", "febr. is a Danish abbreviation", rows=three),
        Case(
            "mmm_yy.csv",
            "sep-22: Excel's mmm-yy as text",
            rows=((NY, "2022-11", 1), (NY, "2022-12", 2), (NY, "2023-01", 3)),
        ),
        Case(
            "mmm_yy_text.xlsx",
            "Sep-22 in a workbook text cell",
            rows=((NY, "2022-09", 4), (NY, "2022-10", 5)),
        ),
        Case(
            "day_month_no_year.csv",
            "22-sep has no year",
            refusal=Refusal(2, "month", ("'22-sep' is not a month", "write it as 2023-02")),
        ),
    ]


def _not_live(folder: Path) -> list[Case]:
    """Item 6: a pivot table writes 0 for the months before a group started."""
    months = ["2022-07", "2022-08", "2022-09", "2022-10", "2022-11"]
    pivot = ["måned;Nyresvigt;Udbredt og uhelbredelig kræft;Lever"]
    ny = ["0", "0", "4", "0", "6"]  # go-live 2022-09: the 0 in 2022-10 is a live month
    udb = ["0", "0", "0", "0", "10"]  # go-live 2022-11
    pivot += [f"{m};{a};{b};0" for m, a, b in zip(months, ny, udb, strict=True)]
    _text(folder, "pivot_leading_zeros.csv", pivot)
    expected = ((NY, "2022-09", 4), (NY, "2022-10", 0), (NY, "2022-11", 6), (UDB, "2022-11", 10))
    not_live = (  # registry order
        (NY, "2022-07", "2022-08"),
        ("lever", "2022-07", "2022-11"),
        (UDB, "2022-07", "2022-10"),
    )
    long = [(NY, m, v) for m, v in zip(months, ny, strict=True)]
    _text(folder, "long_leading_zeros.csv", _long(",", long))
    _text(
        folder,
        "own_groups.csv",
        [GROUP_HEADER, "x,Ex,Ex,germline,1200,,live,", "y,Why,Why,cancer,1200,2022-08,live,"],
    )
    _text(
        folder,
        "no_go_live_zeros.csv",
        ["month,Ex,Why", "2022-07,0,0", "2022-08,0,0", "2022-09,3,0"],
    )
    return [
        Case(
            "pivot_leading_zeros.csv",
            "6: zeros before go-live are not live",
            rows=expected,
            not_live=not_live,
            cli=True,
        ),
        Case(
            "long_leading_zeros.csv",
            "6: the same in the long layout",
            rows=expected[:3],
            not_live=not_live[:1],
        ),
        Case(
            "no_go_live_zeros.csv",
            "6: no go-live known: zeros before the first GE; with one, zeros from it are live",
            registry="own_groups.csv",
            rows=(("x", "2022-09", 3), ("y", "2022-08", 0), ("y", "2022-09", 0)),
            not_live=(("x", "2022-07", "2022-08"), ("y", "2022-07", "2022-07")),
        ),
    ]


def _totals_and_names(folder: Path) -> list[Case]:
    """Totals, decomposed letters, a directory, ten thousand unknown columns."""
    wide = ["month,Nyresvigt,Neurogenetiske patienter", "2023-01,1,2", "2023-02,3,4"]
    _text(folder, "total_row.csv", [*wide, "Hovedtotal,4,6"])
    _text(folder, "grand_total_row.csv", [*wide, "Grand Total,4,6"])
    _text(folder, "total_column.csv", [f"{wide[0]},Hovedtotal", "2023-01,1,2,3", "2023-02,3,4,7"])
    _xlsx(
        folder,
        "i_alt_row.xlsx",
        [["måned", "Nyresvigt"], ["2023-01", 1], ["2023-02", 2], ["I alt", 3]],
    )
    _text(
        folder,
        "total_group_long.csv",
        _long(",", [(NY, "2023-01", "1"), ("I alt", "2023-01", "1")]),
    )
    _text(
        folder,
        "nfd_long.csv",
        _long(",", [(nfd(UNGE_DA), "2023-01", "5"), (nfd(UNGE_DA), "2023-02", "6")]),
    )
    _text(
        folder,
        "nfd_header.csv",
        [nfd("måned;Unge voksne med kræft (18-30 år) samt arvelig kræft hos voksne"), "2023-01;7"],
    )
    (folder / "a_folder.csv").mkdir()
    unknown = ",".join(f"Kolonne {i}" for i in range(10_000))
    _text(
        folder,
        "ten_thousand_columns.csv",
        [f"month,Nyresvigt,{unknown}", "2023-01,1" + ",0" * 10_000],
    )
    unknown_long = ",".join(f"x{i}" for i in range(10_000))
    _text(folder, "ten_thousand_no_layout.csv", [unknown_long, ",".join("1" * 10_000)])
    unge = "unge-voksne-arvelig-kraeft"
    total = ("is a total", "delete it")
    return [
        Case(
            "total_row.csv",
            "a Hovedtotal row",
            refusal=Refusal(4, "month", ("'Hovedtotal' is a total row", "delete the row")),
            cli=True,
        ),
        Case(
            "grand_total_row.csv",
            "a Grand Total row",
            refusal=Refusal(4, "month", ("'Grand Total' is a total row",)),
        ),
        Case("total_column.csv", "a Hovedtotal column", refusal=Refusal(1, "Hovedtotal", total)),
        Case(
            "i_alt_row.xlsx",
            "an I alt row in a workbook",
            refusal=Refusal(4, "måned", ("'I alt' is a total row",)),
        ),
        Case(
            "total_group_long.csv",
            "an I alt group in the long layout",
            refusal=Refusal(3, "group", total),
        ),
        Case(
            "nfd_long.csv",
            "decomposed å in group names",
            rows=((unge, "2023-01", 5), (unge, "2023-02", 6)),
        ),
        Case("nfd_header.csv", "decomposed å in the header", rows=((unge, "2023-01", 7),)),
        Case(
            "a_folder.csv",
            "a folder, not a file",
            refusal=Refusal(None, None, ("is a folder, not a file",)),
            cli=True,
        ),
        Case(
            "ten_thousand_columns.csv",
            "10,000 unknown columns: a short message",
            refusal=Refusal(1, "Kolonne 0", ("unknown patient group",)),
            cli=True,
        ),
        Case(
            "ten_thousand_no_layout.csv",
            "10,000 columns and no layout",
            refusal=Refusal(1, None, ("cannot tell the layout", "and 9990 more")),
        ),
    ]


def _classics(folder: Path) -> list[Case]:
    """The mistakes the readers already caught: they must stay caught, with no traceback."""
    good = [(NY, "2023-01", "1"), (NY, "2023-02", "2"), (NY, "2023-03", "3")]
    three = tuple((NY, m, int(v)) for _, m, v in good)
    (folder / "empty.csv").write_bytes(b"")
    _text(folder, "header_only.csv", ["group,month,ge"])
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"not a zip at all" * 10)
    _text(folder, "negative.csv", _long(",", [*good[:2], (NY, "2023-03", "-3")]))
    _text(folder, "unicode_minus.csv", _long(";", [*good[:2], (NY, "2023-03", "\u22125")]))
    _text(folder, "duplicate.csv", _long(",", [*good, (NY, "feb 2023", "9")]))
    _text(folder, "gap.csv", _long(",", [good[0], good[2]]))
    _text(folder, "unknown_group.csv", _long(",", [*good, ("Nyresvikt", "2023-03", "1")]))
    _text(folder, "blank_count.csv", _long(",", [good[0], (NY, "2023-02", ""), good[2]]))
    _text(folder, "wide_missing_row.csv", ["month,Nyresvigt", "2023-01,1", "2023-03,3"])
    _xlsx(folder, "excel_error.xlsx", [["group", "month", "ge"], [NY, "2023-01", "#REF!"]])
    _xlsx(
        folder,
        "two_sheets.xlsx",
        [["notes"], ["see the other sheet"]],
        sheets={"GE": [["group", "month", "ge"], *[[k, m, int(v)] for k, m, v in good]]},
    )
    _text(
        folder,
        "excel_padding.csv",
        [";".join(("group", "month", "ge")) + ";;;", *(";".join(r) + ";;;" for r in good)],
        newline="\r\n",
    )
    _text(folder, "sep_hint.csv", ["sep=;", *_long(";", good)])
    _text(
        folder,
        "bom_crlf.csv",
        _long(";", good, header="Group;Month;GE"),
        encoding="utf-8-sig",
        newline="\r\n",
    )
    _text(
        folder,
        "cp1252_names.csv",
        ["group;month;ge", "Føtal medicin;2023-01;3", "Føtal medicin;2023-02;4"],
        encoding="cp1252",
    )
    _text(folder, "utf16_tab.txt", _long("\t", good), encoding="utf-16")
    _xlsx(folder, "bool_count.xlsx", [["group", "month", "ge"], [NY, "2023-01", True]])
    _xlsx(
        folder,
        "date_count.xlsx",
        [["group", "month", "ge"], [NY, "2023-01", dt.datetime(2023, 1, 5)]],
    )
    _text(folder, "after_as_of.csv", _long(",", good))
    _text(folder, "transposed.csv", ["group,2023-01,2023-02", "Nyresvigt,1,2"])
    _text(folder, "split_thousands.csv", ["group,month,ge", "nyresvigt,2023-01,1,234"])
    _text(folder, "renamed_columns.csv", _long(";", good, header="Gruppe;Måned;Antal"))
    foetal = (("foetal-medicin", "2023-01", 3), ("foetal-medicin", "2023-02", 4))
    return [
        Case("empty.csv", "an empty file", refusal=Refusal(None, None, ("the file is empty",))),
        Case(
            "header_only.csv",
            "a header and no rows",
            refusal=Refusal(None, None, ("no data rows",)),
        ),
        Case(
            "old.xls",
            "an old .xls workbook",
            refusal=Refusal(None, None, ("save it as .xlsx or CSV",)),
            cli=True,
        ),
        Case(
            "broken.xlsx",
            "a damaged workbook",
            refusal=Refusal(None, None, ("cannot open the workbook",)),
        ),
        Case("negative.csv", "a negative count", refusal=Refusal(4, "ge", ("negative", "write 0"))),
        Case(
            "unicode_minus.csv",
            "a negative count with a Unicode minus",
            refusal=Refusal(4, "ge", ("negative",)),
        ),
        Case(
            "duplicate.csv",
            "a group-month twice",
            refusal=Refusal(5, "month", ("rows 3 and 5", "keep one row")),
        ),
        Case(
            "gap.csv",
            "a missing month",
            refusal=Refusal(2, "month", ("no row for 2023-02", "add a row with ge 0")),
        ),
        Case(
            "unknown_group.csv",
            "a misspelt group",
            refusal=Refusal(5, "group", ("did you mean nyresvigt",)),
        ),
        Case(
            "blank_count.csv",
            "a blank count",
            refusal=Refusal(3, "ge", ("count is blank", "write 0")),
        ),
        Case(
            "wide_missing_row.csv",
            "a missing month row",
            refusal=Refusal(2, "month", ("no row for 2023-02",)),
        ),
        Case(
            "excel_error.xlsx",
            "an Excel error value",
            refusal=Refusal(2, "ge", ("'#REF!' is an Excel error", "correct the formula")),
        ),
        Case("two_sheets.xlsx", "data on the second sheet", options={"sheet": "GE"}, rows=three),
        Case("excel_padding.csv", "Excel's ;;; padding and CRLF", rows=three),
        Case("sep_hint.csv", "Excel's sep=; line", rows=three),
        Case("bom_crlf.csv", "a BOM, CRLF and capitalised headers", rows=three),
        Case("cp1252_names.csv", "Windows-1252 Danish names", rows=foetal),
        Case("utf16_tab.txt", "UTF-16 tab-separated", rows=three),
        Case(
            "bool_count.xlsx",
            "TRUE as a count",
            refusal=Refusal(2, "ge", ("'TRUE' is not a number",)),
        ),
        Case(
            "date_count.xlsx",
            "a date as a count",
            refusal=Refusal(2, "ge", ("is a date, not a count",)),
        ),
        Case(
            "after_as_of.csv",
            "months after the as-of month",
            options={"as_of": "2023-02"},
            refusal=Refusal(4, "month", ("after the as-of month 2023-02",)),
        ),
        Case(
            "transposed.csv",
            "months across the columns",
            refusal=Refusal(1, "month", ("transpose the table",)),
        ),
        Case(
            "split_thousands.csv",
            "1,234 unquoted in a comma file",
            refusal=Refusal(2, "D", ("thousands comma",)),
        ),
        Case(
            "renamed_columns.csv",
            "own column names",
            options={"group_col": "gruppe", "month_col": "måned", "ge_col": "antal"},
            rows=three,
        ),
    ]


def _genomes(folder: Path) -> list[Case]:
    """Issue 11 item 2: genomes beside GE, read with the rigour of GE."""
    header = "group;month;ge;genomes"
    rows = [f"{UDB};2023-01;1.200;2.400", f"{UDB};2023-02;1.100;2.250", f"{NY};2023-02;3;6"]
    _text(folder, "genomes_danish.csv", [header, *rows])
    _text(folder, "genomes_text.csv", [header, rows[0], f"{UDB};2023-02;1.100;mange"])
    _text(folder, "genomes_negative.csv", [header, rows[0], f"{UDB};2023-02;1.100;-4"])
    _text(folder, "genomes_blank.csv", [header, rows[0], f"{UDB};2023-02;1.100;"])
    _text(folder, "genomes_below_ge.csv", [header, rows[0], f"{UDB};2023-02;1.100;900"])
    wide_ge = [["måned", "Nyresvigt", "Udbredt og uhelbredelig kræft"]]
    wide_ge += [["2023-01", None, 1200], ["2023-02", 3, 1100]]
    wide_genomes = [wide_ge[0], ["2023-01", None, 2400], ["2023-02", 6, 2250]]
    _xlsx(folder, "genomes_sheet.xlsx", wide_ge, sheets={"Genomer": wide_genomes})
    _xlsx(
        folder,
        "genomes_sheet_gap.xlsx",
        wide_ge,
        sheets={"Genomer": [*wide_genomes[:2], ["2023-02", None, 2250]]},  # no 6 for NY
    )
    expected = ((NY, "2023-02", 3), (UDB, "2023-01", 1200), (UDB, "2023-02", 1100))
    return [
        Case(
            "genomes_danish.csv",
            "2: a genomes column beside GE, Danish thousands dots decided by both columns",
            rows=expected,
            genomes=(6, 2400, 2250),
            cli=True,
        ),
        Case(
            "genomes_text.csv",
            "2: a genomes cell that is no number",
            refusal=Refusal(3, "genomes", ("'mange' is not a number", "whole number of genomes")),
            cli=True,
        ),
        Case(
            "genomes_negative.csv",
            "2: negative genomes",
            refusal=Refusal(3, "genomes", ("negative", "cannot be below 0")),
        ),
        Case(
            "genomes_blank.csv",
            "2: a blank genomes cell is no silent zero",
            refusal=Refusal(3, "genomes", ("count of genomes is blank", "write 0")),
        ),
        Case(
            "genomes_below_ge.csv",
            "2: fewer genomes than GE is read, with a warning naming the cell",
            rows=((UDB, "2023-01", 1200), (UDB, "2023-02", 1100)),
            genomes=(2400, 900),
            warns=("1 month with fewer genomes than GE", "row 3 column 'genomes'", "swapped"),
        ),
        Case(
            "genomes_sheet.xlsx",
            "2: a wide GE pivot with the genomes pivot on a second sheet",
            options={"genomes_sheet": "Genomer"},
            rows=expected,
            genomes=(6, 2400, 2250),
        ),
        Case(
            "genomes_sheet_gap.xlsx",
            "2: the genomes sheet lacks a month the GE have",
            options={"genomes_sheet": "Genomer"},
            refusal=Refusal(
                None,
                None,
                (
                    "no genomes for group 'nyresvigt' in 2023-02, which has 3 GE",
                    "add the month's genomes (0 if no genome was added",
                ),
            ),
        ),
    ]


BUILDERS: tuple[Callable[[Path], list[Case]], ...] = (
    _number_conventions,
    _formulas,
    _groups_files,
    _limits,
    _dates,
    _not_live,
    _totals_and_names,
    _classics,
    _genomes,
)


def build(folder: Path) -> list[Case]:
    """Write every corpus file into ``folder`` (created if missing) and return the cases."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = [case for builder in BUILDERS for case in builder(folder)]
    names = [case.name for case in cases]
    assert len(names) == len(set(names)), "corpus file names must be unique"
    return cases


def main(argv: Sequence[str]) -> int:
    """Write the corpus and ``expected.json`` into the folder named on the command line."""
    if len(argv) != 1:
        print("usage: python tests/corpus/make_corpus.py FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    cases = build(folder)
    expected = [asdict(case) for case in cases]
    (folder / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False))
    print(f"{len(cases)} files in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
