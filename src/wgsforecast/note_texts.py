"""What the engines can say about a group, and its words in Danish and English.

Every engine note (:class:`wgsforecast.notes.GroupNote`) has a :class:`NoteCode`; this
module is the one table of their texts. A new note is a new code here with its texts in
both languages (a test renders every code in each), never a sentence in an engine.

Placeholders name the note's fields: ``{start}`` and ``{go_live}`` (months), ``{months}``
(months of history), ``{needed}`` (months a fit needs), ``{window}`` (months of the
run-rate window), and in :data:`MEMBER_TEXT` ``{member}`` and ``{weight}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from wgsforecast._text import Text


class NoteCode(StrEnum):
    """What an engine notes about a group."""

    NO_DATA = "no_data"
    """No actuals: projected at 0 (flat, trend)."""
    NO_GO_LIVE = "no_go_live"
    """No actuals and no go-live month: projected at 0 (runrate)."""
    NOT_LIVE = "not_live"
    """Not live yet: the planned ramp starts at ``start`` (runrate)."""
    GO_LIVE_PASSED = "go_live_passed"
    """The go-live month passed without data: the ramp starts at ``start`` (runrate)."""
    NO_RECENT_GE = "no_recent_ge"
    """No GE in the run-rate window: projected at 0 (trend)."""
    PRIOR = "prior"
    """Too few months for the group's own fit: the pooled prior is used (adoption)."""
    PRIOR_NOT_LIVE = "prior_not_live"
    """Not live yet, so the pooled prior is used from ``start`` (adoption)."""
    PRIOR_LATE = "prior_late"
    """Go-live passed without data, so the pooled prior is used from ``start`` (adoption)."""
    PRIOR_UNDATED = "prior_undated"
    """No go-live month: the pooled prior, with a start drawn from ``start`` (adoption)."""
    PLANNED_RAMP = "planned_ramp"
    """Too few months for ETS: the planned ramp is used (ets)."""


@dataclass(frozen=True)
class NoteText:
    """The words of one note code: the whole note and its short flag, per language."""

    text: Text
    flag: Text


_PRIOR_FLAG = Text(da="bygger på fælles forudsætninger", en="fell back to prior")

NOTE_TEXTS: dict[NoteCode, NoteText] = {
    NoteCode.NO_DATA: NoteText(
        text=Text(da="ingen data: fremskrevet med 0", en="no data: projected at 0"),
        flag=Text(da="ingen data", en="no data"),
    ),
    NoteCode.NO_GO_LIVE: NoteText(
        text=Text(
            da="ingen data og ingen planlagt opstartsmåned: fremskrevet med 0",
            en="no data and no go-live month: projected at 0",
        ),
        flag=Text(
            da="ingen data og ingen planlagt opstartsmåned", en="no data and no go-live month"
        ),
    ),
    NoteCode.NOT_LIVE: NoteText(
        text=Text(da="ikke i drift endnu: starter {start}", en="not live yet: starts {start}"),
        flag=Text(da="ikke i drift endnu", en="not live yet"),
    ),
    NoteCode.GO_LIVE_PASSED: NoteText(
        text=Text(
            da="planlagt opstart {go_live} passeret uden data: starter {start}",
            en="go-live {go_live} passed without data: starts {start}",
        ),
        flag=Text(da="planlagt opstart passeret uden data", en="go-live passed"),
    ),
    NoteCode.NO_RECENT_GE: NoteText(
        text=Text(
            da="ingen GE i de seneste {window} mdr.: fremskrevet med 0",
            en="no GE in the last {window} months: projected at 0",
        ),
        flag=Text(da="ingen GE i de seneste {window} mdr.", en="no GE in the last {window} months"),
    ),
    NoteCode.PRIOR: NoteText(
        text=Text(
            da="bygger på fælles forudsætninger: {months} mdr. historik ({needed} krævet)",
            en="fell back to prior: {months} months of history ({needed} needed)",
        ),
        flag=_PRIOR_FLAG,
    ),
    NoteCode.PRIOR_NOT_LIVE: NoteText(
        text=Text(
            da="bygger på fælles forudsætninger: ikke i drift endnu (starter {start}); "
            "{months} mdr. historik ({needed} krævet)",
            en="fell back to prior: not live yet (starts {start}); {months} months of "
            "history ({needed} needed)",
        ),
        flag=_PRIOR_FLAG,
    ),
    NoteCode.PRIOR_LATE: NoteText(
        text=Text(
            da="bygger på fælles forudsætninger: ikke i drift endnu (starter {start}; "
            "planlagt opstart {go_live} passeret uden data); {months} mdr. historik "
            "({needed} krævet)",
            en="fell back to prior: not live yet (starts {start}; go-live {go_live} passed "
            "without data); {months} months of history ({needed} needed)",
        ),
        flag=_PRIOR_FLAG,
    ),
    NoteCode.PRIOR_UNDATED: NoteText(
        text=Text(
            da="bygger på fælles forudsætninger: ingen planlagt opstartsmåned, opstart "
            "trukket fra {start}; {months} mdr. historik ({needed} krævet)",
            en="fell back to prior: no go-live month, start drawn from {start}; {months} "
            "months of history ({needed} needed)",
        ),
        flag=_PRIOR_FLAG,
    ),
    NoteCode.PLANNED_RAMP: NoteText(
        text=Text(
            da="bygger på den planlagte rampe: {months} mdr. historik ({needed} krævet til ETS)",
            en="fell back to planned ramp: {months} months of history ({needed} needed for ETS)",
        ),
        flag=Text(da="bygger på den planlagte rampe", en="fell back to planned ramp"),
    ),
}

MEMBER_TEXT = Text(da=" (i {member}, vægt {weight})", en=" (in {member}, weight {weight})")
"""Appended to a note an ensemble took from one of its members."""
