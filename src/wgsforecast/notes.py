"""Engine notes about a group as data: a code and the facts its text needs.

The engines flag groups they could not project from the group's own data (no data yet, too
few months for a fit, a go-live that passed). They record a :class:`GroupNote`, not a
sentence; its words, in Danish or English, come from the one table in
:mod:`wgsforecast.note_texts`, so changing a text never breaks a translation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from string import Formatter

import pandas as pd

from wgsforecast._text import Text
from wgsforecast.note_texts import MEMBER_TEXT, NOTE_TEXTS, NoteCode
from wgsforecast.periods import Lang, format_month, format_number

__all__ = ["GroupNote", "NoteCode", "note_fields"]

_MONTH_FIELDS = ("start", "go_live")


def note_fields(template: str) -> frozenset[str]:
    """The placeholder names of a text template.

    Examples
    --------
    >>> sorted(note_fields("go-live {go_live} passed without data: starts {start}"))
    ['go_live', 'start']
    """
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


@dataclass(frozen=True)
class GroupNote:
    """One engine note about a group.

    Parameters
    ----------
    code
        What is noted (see :class:`~wgsforecast.note_texts.NoteCode`).
    start, go_live
        Months: when the group's projection starts; its planned go-live.
    months, needed
        Months of history the group has; months the engine's own fit needs.
    window
        Months of the run-rate window.
    member, weight
        Set by an ensemble on the notes of its members: the member's label and weight.

    Raises
    ------
    ValueError
        If a field the code's text needs is missing, or a field it does not use is given.

    Examples
    --------
    >>> note = GroupNote(NoteCode.NOT_LIVE, start=pd.Period("2023-06", "M"))
    >>> str(note)
    'not live yet: starts 2023-06'
    >>> note.text("da"), note.flag("da")
    ('ikke i drift endnu: starter juni 2023', 'ikke i drift endnu')
    """

    code: NoteCode
    start: pd.Period | None = None
    go_live: pd.Period | None = None
    months: int | None = None
    needed: int | None = None
    window: int | None = None
    member: str | None = None
    weight: float | None = None

    def __post_init__(self) -> None:
        needs = note_fields(NOTE_TEXTS[self.code].text.en)
        given = {
            name
            for name in ("start", "go_live", "months", "needed", "window")
            if getattr(self, name) is not None
        }
        if given != needs:
            missing, extra = sorted(needs - given), sorted(given - needs)
            raise ValueError(
                f"a {self.code.value!r} note takes the fields {sorted(needs)}; "
                f"missing {missing}, not used {extra}"
            )
        if (self.member is None) != (self.weight is None):
            raise ValueError("an ensemble member's note needs both member and weight")

    def in_member(self, member: str, weight: float) -> GroupNote:
        """This note as an ensemble reports it: from ``member``, which has ``weight``."""
        return replace(self, member=member, weight=weight)

    def text(self, lang: Lang = "da") -> str:
        """The whole note in ``lang``, with months as people write them (``juni 2023``)."""
        return self._render(NOTE_TEXTS[self.code].text.template(lang), lang, _written_month(lang))

    def flag(self, lang: Lang = "da") -> str:
        """The note's short flag in ``lang``, for a table cell (``ikke i drift endnu``)."""
        return self._fill(NOTE_TEXTS[self.code].flag.template(lang), lang, _written_month(lang))

    def __str__(self) -> str:
        """The note in English with ISO months: the engines' log and API text."""
        return self._render(NOTE_TEXTS[self.code].text.en, "en", str)

    def _render(self, template: str, lang: Lang, month: Callable[[pd.Period], str]) -> str:
        text = self._fill(template, lang, month)
        if self.member is not None:
            text += self._fill(MEMBER_TEXT.template(lang), lang, month)
        return text

    def _fill(self, template: str, lang: Lang, month: Callable[[pd.Period], str]) -> str:
        values: dict[str, str] = {}
        for name in note_fields(template):
            value = getattr(self, name)
            if name in _MONTH_FIELDS:
                values[name] = month(value)
            elif name == "weight":
                values[name] = format_number(value, lang, decimals=2)
            else:
                values[name] = str(value)
        return template.format(**values)


def _written_month(lang: Lang) -> Callable[[pd.Period], str]:
    return lambda month: format_month(month, lang)


WARNING_LINE = Text(da="advarsel: {message}", en="warning: {message}")
"""How the command line shows a warning (:func:`warning_text` fills ``message``)."""


def warning_text(warning: Warning | str, lang: Lang) -> str:
    """A warning in ``lang``: an engine's fallback warning through its group note.

    Parameters
    ----------
    warning
        A caught warning's message. A :class:`~wgsforecast.exceptions.PriorFallbackWarning`
        that carries its group and :class:`GroupNote` is worded from the note; any other
        warning keeps its own (English) text.
    lang
        ``"da"`` or ``"en"``.

    Returns
    -------
    str
        E.g. ``"udbredt-uhelbredelig-kraeft: bygger på fælles forudsætninger: 4 mdr.
        historik (6 krævet)"``.
    """
    note = getattr(warning, "note", None)
    group = getattr(warning, "group", "")
    if isinstance(note, GroupNote) and group:
        return f"{group}: {note.text(lang)}"
    return str(warning)
