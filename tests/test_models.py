"""The domain model: validation, defaults, name matching."""

from __future__ import annotations

import pandas as pd
import pydantic
import pytest

import wgsforecast as wf


def _group(**changes: object) -> wf.PatientGroup:
    fields: dict[str, object] = {
        "key": "nyresvigt",
        "name_da": "Nyresvigt",
        "name_en": "Kidney failure",
        "kind": "germline",
        "declared_per_year": 1_600,
        "status": "live",
    }
    fields.update(changes)
    return wf.PatientGroup.model_validate(fields)


def test_cap_share_defaults_to_the_programme_75_percent() -> None:
    group = _group()
    assert group.cap_share == 0.75
    assert group.cap_per_month == pytest.approx(100.0)


@pytest.mark.parametrize(
    "changes",
    [
        {"cap_share": 1.5},
        {"declared_per_year": 0},
        {"kind": "tumour"},
        {"key": "Has Space"},
        {"colour": "red"},
    ],
)
def test_invalid_or_unknown_fields_are_rejected(changes: dict[str, object]) -> None:
    with pytest.raises(pydantic.ValidationError):
        _group(**changes)


def test_models_are_frozen() -> None:
    with pytest.raises(pydantic.ValidationError):
        _group().declared_per_year = 5  # type: ignore[misc]


def test_months_accept_danish_spellings() -> None:
    assert str(_group(go_live="marts 2022").go_live) == "2022-03"


def test_provenance_defaults_to_assumed() -> None:
    group = _group(provenance={"go_live": "published"})
    assert group.source_of("go_live") == "published"
    assert group.source_of("declared_per_year") == "assumed"


def test_registry_matches_names_ignoring_case_and_accents(bundled: wf.ProgrammeData) -> None:
    groups = bundled.groups
    assert groups.match("PRIMAER IMMUNDEFEKT") == "primaer-immundefekt"
    assert groups.match("Primær immundefekt") == "primaer-immundefekt"
    assert groups.match("advanced and incurable cancer") == "udbredt-uhelbredelig-kraeft"
    assert groups.match("no such group") is None
    assert "udbredt-uhelbredelig-kraeft" in groups.unknown_name_message("Udbredt kræft")


def test_registry_rejects_duplicate_keys() -> None:
    with pytest.raises(ValueError, match="unique"):
        wf.GroupRegistry([_group(), _group()])


def test_assumptions_horizon_end() -> None:
    assumptions = wf.Assumptions(as_of="2023-02", horizon_months=34)
    assert str(assumptions.horizon_end) == "2025-12"
    assert str(assumptions.with_as_of("2023-06").as_of) == "2023-06"


@pytest.mark.parametrize(
    ("go_live", "passed", "first"),
    [
        ("2023-06", False, "2023-06"),  # planned after the as-of month: starts as planned
        ("2023-03", True, "2023-04"),  # planned for the as-of month itself: late
        ("2022-11", True, "2023-04"),  # long passed: at the earliest the next month
    ],
)
def test_a_group_without_data_starts_at_its_go_live_or_after_the_as_of_month(
    go_live: str, passed: bool, first: str
) -> None:
    group = _group(go_live=go_live, status="onboarding")
    as_of = pd.Period("2023-03", freq="M")
    assert group.go_live_passed(as_of) is passed
    assert group.first_month_after(as_of) == pd.Period(first, freq="M")


def test_an_undated_group_has_no_start_and_no_passed_go_live() -> None:
    group = _group(go_live=None, status="onboarding")
    as_of = pd.Period("2023-03", freq="M")
    assert group.first_month_after(as_of) is None
    assert not group.go_live_passed(as_of)


def test_names_and_labels_follow_the_language() -> None:
    programme = wf.Programme(name_da="Programmet", name_en="The programme")
    assert (programme.name("da"), programme.name("en")) == ("Programmet", "The programme")
    group = _group(name_da="Nyre {x}", name_en="Kidney {x}")  # braces are no template here
    assert (group.name("da"), group.name("en")) == ("Nyre {x}", "Kidney {x}")
    period = programme.table_periods[0]
    assert period.label("da") == period.label_da and period.label("en") == period.label_en
