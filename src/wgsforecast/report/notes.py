"""The engines' per-group notes in the report's language.

The engines record notes as data (:class:`wgsforecast.notes.GroupNote`); their words in
both languages are in :mod:`wgsforecast.note_texts`. These are the report's two views.
"""

from __future__ import annotations

from wgsforecast.notes import GroupNote
from wgsforecast.periods import Lang


def note_text(note: GroupNote, lang: Lang) -> str:
    """The whole engine note in ``lang``, months as people write them.

    Examples
    --------
    >>> import pandas as pd
    >>> from wgsforecast.notes import NoteCode
    >>> note_text(GroupNote(NoteCode.NOT_LIVE, start=pd.Period("2023-06", "M")), "da")
    'ikke i drift endnu: starter juni 2023'
    """
    return note.text(lang)


def note_flag(note: GroupNote, lang: Lang) -> str:
    """The short flag of an engine note, in ``lang``, for the group table.

    Examples
    --------
    >>> from wgsforecast.notes import NoteCode
    >>> note_flag(GroupNote(NoteCode.PRIOR, months=2, needed=6), "da")
    'bygger på fælles forudsætninger'
    """
    return note.flag(lang)
