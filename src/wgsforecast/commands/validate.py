"""``wgsforecast validate FILE``: check an input file and report every problem at once."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wgsforecast._text import Text
from wgsforecast.commands._options import add_lang_option, month_argument
from wgsforecast.commands._reading import add_reading_options, reading_options

GROUP_FILE_COLUMN = "declared_per_year"
ASSUMPTIONS_OK = Text(
    da="{path}: i orden - prognose pr. {as_of}", en="{path}: OK - prognosis as of {as_of}"
)
GROUPS_OK = Text(
    da="{path}: i orden - {n} patientgrupper ({keys})",
    en="{path}: OK - {n} patient groups ({keys})",
)
ACTUALS_OK = Text(
    da="{path}: i orden - {rows} rækker, {groups} patientgrupper, {first} til {last}, "
    "{ge} GE i alt",
    en="{path}: OK - {rows} rows, {groups} patient groups, {first} to {last}, {ge} GE in all",
)
NOTE = Text(da="{path}: bemærk - {text}", en="{path}: note - {text}")


def add_parser(subparsers: Any) -> None:
    """Register the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate",
        help="check an actuals, patient-group or assumptions file and list every problem",
        description=(
            "Check an input file (monthly GE per group, long or wide, CSV or XLSX; a "
            "patient-group file; or an assumptions TOML file) and report every problem with "
            "its row and column."
        ),
    )
    parser.add_argument("file", type=Path, help="the file to check")
    parser.add_argument(
        "--groups", type=Path, help="patient-group file to match names against (default: bundled)"
    )
    parser.add_argument("--as-of", type=month_argument, help="last complete month, e.g. 2023-02")
    parser.add_argument("--sheet", help="worksheet of a workbook (default: the first sheet)")
    add_reading_options(parser)
    add_lang_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate the file; raise :class:`~wgsforecast.InputError` listing every problem."""
    from wgsforecast._checks import describe_not_live
    from wgsforecast._tabular import read_table
    from wgsforecast.exceptions import MissingFileError
    from wgsforecast.io import bundled_groups_path, read_actuals, read_assumptions, read_groups

    path: Path = args.file
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise MissingFileError(f"{path} {what}; check the path")
    lang = args.lang
    if path.suffix.lower() == ".toml":
        assumptions = read_assumptions(path)
        print(ASSUMPTIONS_OK(lang, path=path, as_of=assumptions.as_of))
        return 0
    header = {name.strip().lower() for name in read_table(path, args.sheet).header}
    if GROUP_FILE_COLUMN in header:
        registry = read_groups(path, sheet=args.sheet)
        print(GROUPS_OK(lang, path=path, n=len(registry), keys=", ".join(registry.keys)))
        return 0
    groups = read_groups(args.groups or bundled_groups_path())
    options = reading_options(args)
    actuals = read_actuals(path, groups, as_of=args.as_of, sheet=args.sheet, **options)
    months = actuals["month"]
    print(
        ACTUALS_OK(
            lang,
            path=path,
            rows=len(actuals),
            groups=actuals["group"].nunique(),
            first=months.min(),
            last=months.max(),
            ge=int(actuals["ge"].sum()),
        )
    )
    not_live = actuals.attrs.get("not_live", ())
    if not_live:
        print(NOTE(lang, path=path, text=describe_not_live(not_live, lang)))
    return 0
