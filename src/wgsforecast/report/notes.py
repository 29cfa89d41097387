"""The engines' per-group notes in the report's language.

The engines write their group notes in English (they are also log and API text). The report
shows them in Danish by default, so the known note patterns are matched here and rewritten
through :mod:`wgsforecast.labels`; a note no pattern knows is shown verbatim rather than
dropped, so a new engine message is never lost from the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_month

_MONTH = r"\d{4}-\d{2}"


@dataclass(frozen=True)
class NotePattern:
    """One engine note: its regular expression and the label keys of its texts."""

    pattern: re.Pattern[str]
    key: str
    short_key: str


# The texts come from wgsforecast/engines/{runrate,adoption,ets,flat}.py.
PATTERNS: tuple[NotePattern, ...] = (
    NotePattern(
        re.compile(r"no data and no go-live month: projected at 0"),
        "report_engine_no_go_live",
        "report_engine_no_go_live_short",
    ),
    NotePattern(
        re.compile(r"no data: projected at 0"),
        "report_engine_no_data",
        "report_engine_no_data_short",
    ),
    NotePattern(
        re.compile(rf"not live yet: starts (?P<start>{_MONTH})"),
        "report_engine_not_live",
        "report_engine_not_live_short",
    ),
    NotePattern(
        re.compile(
            rf"go-live (?P<go_live>{_MONTH}) passed without data: starts (?P<start>{_MONTH})"
        ),
        "report_engine_passed",
        "report_engine_passed_short",
    ),
    NotePattern(
        re.compile(r"fell back to prior: (?P<n>\d+) months of history \((?P<needed>\d+) needed\)"),
        "report_engine_prior",
        "report_engine_prior_short",
    ),
    NotePattern(
        re.compile(
            rf"fell back to prior: not live yet \(starts (?P<start>{_MONTH})\); "
            r"(?P<n>\d+) months of history \((?P<needed>\d+) needed\)"
        ),
        "report_engine_prior_not_live",
        "report_engine_prior_short",
    ),
    NotePattern(
        re.compile(
            rf"fell back to prior: not live yet \(starts (?P<start>{_MONTH}); go-live "
            rf"(?P<go_live>{_MONTH}) passed without data\); "
            r"(?P<n>\d+) months of history \((?P<needed>\d+) needed\)"
        ),
        "report_engine_prior_late",
        "report_engine_prior_short",
    ),
    NotePattern(
        re.compile(
            rf"fell back to prior: no go-live month, start drawn from (?P<start>{_MONTH}); "
            r"(?P<n>\d+) months of history \((?P<needed>\d+) needed\)"
        ),
        "report_engine_prior_undated",
        "report_engine_prior_short",
    ),
    NotePattern(
        re.compile(
            r"fell back to planned ramp: (?P<n>\d+) months of history "
            r"\((?P<needed>\d+) needed for ETS\)"
        ),
        "report_engine_planned",
        "report_engine_planned_short",
    ),
)


def _match(note: str) -> tuple[NotePattern, dict[str, str]] | None:
    for known in PATTERNS:
        found = known.pattern.fullmatch(note.strip())
        if found is not None:
            return known, found.groupdict()
    return None


def _values(fields: dict[str, str], lang: Lang) -> dict[str, str]:
    # Months are shown as in the rest of the report ("juni 2023"), not as ISO text.
    return {
        name: format_month(pd.Period(value, freq="M"), lang)
        if name in ("start", "go_live")
        else value
        for name, value in fields.items()
    }


def note_text(note: str, lang: Lang) -> str:
    """The whole engine note in ``lang``; an unknown note is returned verbatim.

    Examples
    --------
    >>> note_text("not live yet: starts 2023-06", "da")
    'ikke i drift endnu: starter juni 2023'
    >>> note_text("something new", "da")
    'something new'
    """
    matched = _match(note)
    if matched is None:
        return note
    known, fields = matched
    return label(known.key, lang).format(**_values(fields, lang))


def note_flag(note: str, lang: Lang) -> str:
    """The short flag of an engine note (its part before the colon), in ``lang``.

    Examples
    --------
    >>> note_flag("fell back to prior: 2 months of history (6 needed)", "da")
    'bygger på fælles forudsætninger'
    >>> note_flag("something new: details", "da")
    'something new'
    """
    matched = _match(note)
    if matched is None:
        return note.split(":", 1)[0].strip()
    return label(matched[0].short_key, lang)
