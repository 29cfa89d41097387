"""Engine notes as data: every code has its words in both languages, filled from its fields."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.note_texts import MEMBER_TEXT, NOTE_TEXTS, NoteCode
from wgsforecast.notes import GroupNote, note_fields

JUNE, JANUARY = pd.Period("2023-06", "M"), pd.Period("2023-01", "M")
# One value per field a text may name; each is distinct, so a test can find it in the text.
SAMPLE: dict[str, object] = {"start": JUNE, "go_live": JANUARY, "months": 4, "needed": 7}
SAMPLE["window"] = 3
WRITTEN = {
    "start": {"da": "juni 2023", "en": "June 2023", "iso": "2023-06"},
    "go_live": {"da": "januar 2023", "en": "January 2023", "iso": "2023-01"},
}


def _note(code: NoteCode) -> GroupNote:
    fields = note_fields(NOTE_TEXTS[code].text.en)
    return GroupNote(code, **{name: SAMPLE[name] for name in fields})  # type: ignore[arg-type]


def test_the_table_has_exactly_one_entry_per_code() -> None:
    assert set(NOTE_TEXTS) == set(NoteCode)


@pytest.mark.parametrize("code", list(NoteCode))
def test_every_code_renders_in_both_languages_with_every_field_filled(code: NoteCode) -> None:
    texts = NOTE_TEXTS[code]
    fields = note_fields(texts.text.en)
    assert note_fields(texts.text.da) == fields, "both languages name the same fields"
    assert note_fields(texts.flag.da) == note_fields(texts.flag.en) <= fields
    note = _note(code)
    member = note.in_member("ets", 0.25)
    rendered = {
        "da": (note.text("da"), note.flag("da"), member.text("da")),
        "en": (note.text("en"), note.flag("en"), member.text("en")),
        "iso": (str(note), note.flag("en"), str(member)),
    }
    for lang, (text, flag, from_member) in rendered.items():
        for shown in (text, flag, from_member):
            assert shown.strip() and "{" not in shown and "}" not in shown, (lang, shown)
        for name in fields:
            value = WRITTEN[name][lang] if name in WRITTEN else str(SAMPLE[name])
            assert value in text, (lang, name, text)
        assert from_member.startswith(text)
    assert rendered["da"][0] != rendered["en"][0], "the Danish text is a translation"
    assert rendered["da"][2].endswith(" (i ets, vægt 0,25)")
    assert rendered["iso"][2].endswith(" (in ets, weight 0.25)")


@pytest.mark.parametrize(
    ("note", "english", "danish"),
    [
        (
            GroupNote(NoteCode.NOT_LIVE, start=JUNE),
            "not live yet: starts 2023-06",
            "ikke i drift endnu: starter juni 2023",
        ),
        (
            GroupNote(NoteCode.PRIOR, months=4, needed=6),
            "fell back to prior: 4 months of history (6 needed)",
            "bygger på fælles forudsætninger: 4 mdr. historik (6 krævet)",
        ),
        (
            GroupNote(
                NoteCode.PRIOR_LATE,
                start=pd.Period("2023-04", "M"),
                go_live=JANUARY,
                months=0,
                needed=6,
            ),
            "fell back to prior: not live yet (starts 2023-04; go-live 2023-01 passed without "
            "data); 0 months of history (6 needed)",
            "bygger på fælles forudsætninger: ikke i drift endnu (starter april 2023; planlagt "
            "opstart januar 2023 passeret uden data); 0 mdr. historik (6 krævet)",
        ),
        (
            GroupNote(NoteCode.NO_GO_LIVE),
            "no data and no go-live month: projected at 0",
            "ingen data og ingen planlagt opstartsmåned: fremskrevet med 0",
        ),
        (
            GroupNote(NoteCode.PLANNED_RAMP, months=2, needed=12),
            "fell back to planned ramp: 2 months of history (12 needed for ETS)",
            "bygger på den planlagte rampe: 2 mdr. historik (12 krævet til ETS)",
        ),
        (GroupNote(NoteCode.NO_DATA), "no data: projected at 0", "ingen data: fremskrevet med 0"),
    ],
)
def test_notes_read_as_the_engines_wrote_them(note: GroupNote, english: str, danish: str) -> None:
    # The English sentences (logs, CSV files, vintages) and the report's Danish as before.
    from wgsforecast.report.notes import note_flag, note_text

    assert str(note) == english
    assert note_text(note, "da") == danish
    assert danish.startswith(note_flag(note, "da"))
    assert note_text(note, "en").split(":")[0] == english.split(":")[0]


def test_a_note_takes_exactly_the_fields_its_text_names() -> None:
    with pytest.raises(ValueError, match=r"'not_live' note takes the fields \['start'\]"):
        GroupNote(NoteCode.NOT_LIVE)
    with pytest.raises(ValueError, match=r"not used \['window'\]"):
        GroupNote(NoteCode.NO_DATA, window=3)
    with pytest.raises(ValueError, match="both member and weight"):
        replace(GroupNote(NoteCode.NO_DATA), member="ets")


def test_member_text_names_member_and_weight_in_both_languages() -> None:
    texts = (MEMBER_TEXT.da, MEMBER_TEXT.en)
    assert all(note_fields(text) == {"member", "weight"} for text in texts)


def test_a_prognosis_refuses_notes_that_are_not_group_notes(
    published_method: wf.Prognosis,
) -> None:
    with pytest.raises(TypeError, match=r"group_notes\['a'\] holds a str"):
        replace(published_method, group_notes={"a": ("fell back to prior",)})


def test_fallback_warnings_are_worded_from_their_note_in_either_language() -> None:
    import warnings as stdlib_warnings

    from wgsforecast.engines import AdoptionEngine
    from wgsforecast.exceptions import PriorFallbackWarning
    from wgsforecast.notes import warning_text

    data = wf.load_bundled()
    with stdlib_warnings.catch_warnings(record=True) as caught:
        stdlib_warnings.simplefilter("always")
        AdoptionEngine().fit(data.actuals, data.groups, data.assumptions)
    fallbacks = [w.message for w in caught if isinstance(w.message, PriorFallbackWarning)]
    assert len(fallbacks) == 8
    for warning in fallbacks:
        danish, english = warning_text(warning, "da"), warning_text(warning, "en")
        assert danish.startswith(f"{warning.group}: bygger på fælles forudsætninger"), danish
        assert english.startswith(f"{warning.group}: fell back to prior"), english
    assert warning_text(UserWarning("plain"), "da") == "plain"
