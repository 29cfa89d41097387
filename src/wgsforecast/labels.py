"""Danish (default) and English texts for tables, figures and reports.

One place for every user-facing label, so the two languages stay in step.
"""

from __future__ import annotations

from wgsforecast.periods import Lang

LABELS: dict[str, dict[Lang, str]] = {
    "month": {"da": "Måned", "en": "Month"},
    "ge": {"da": "Genomækvivalenter", "en": "Genome equivalents"},
    "ge_per_month": {"da": "Genomækvivalenter pr. måned", "en": "Genome equivalents per month"},
    "cumulative_ge": {
        "da": "Akkumulerede genomækvivalenter",
        "en": "Cumulative genome equivalents",
    },
    "actual": {"da": "Faktisk", "en": "Actual"},
    "projected": {"da": "Prognose", "en": "Projected"},
    "target": {"da": "Mål", "en": "Target"},
    "deadline": {"da": "Finansieringsfrist", "en": "Funding deadline"},
    "group": {"da": "Patientgruppe", "en": "Patient group"},
    "declared_per_year": {"da": "Indmeldt pr. år", "en": "Declared per year"},
    "cap_per_year": {"da": "Loft pr. år (75 %)", "en": "Cap per year (75%)"},
    "run_rate_per_month": {"da": "Gns. seneste 3 mdr.", "en": "Mean of last 3 months"},
    "status": {"da": "Status", "en": "Status"},
    "notes": {"da": "Bemærkninger", "en": "Notes"},
    "capped_months": {"da": "Måneder ved loft", "en": "Months at cap"},
    "live": {"da": "i drift", "en": "live"},
    "onboarding": {"da": "under onboarding", "en": "onboarding"},
    "planned": {"da": "planlagt", "en": "planned"},
    "target_month": {"da": "Målet nås", "en": "Target reached"},
    "not_reached": {"da": "ikke inden for horisonten", "en": "not within the horizon"},
    "ge_by_deadline": {"da": "Gennemført ved fristen", "en": "Done by the deadline"},
    "ge_left_after_deadline": {"da": "Udestår efter fristen", "en": "Left after the deadline"},
    "reconstructed": {
        "da": (
            "Månedstal pr. patientgruppe er rekonstrueret (ikke offentlige): de rammer de "
            "offentlige totaler (5.676 GE i 2019-2022, 7.716 GE pr. 28. feb. 2023), men "
            "fordelingen på grupper og måneder er et skøn. Indmeldte volumener og ramper er "
            "antagelser. Ikke officielle tal."
        ),
        "en": (
            "Monthly counts per patient group are reconstructed (not public): they hit the "
            "public totals (5,676 GE in 2019-2022, 7,716 GE by 28 Feb 2023), but the split by "
            "group and month is an estimate. Declared volumes and ramps are assumptions. Not "
            "official figures."
        ),
    },
}


def label(key: str, lang: Lang = "da") -> str:
    """Return the text for ``key`` in ``lang``; an unknown key is a programming error."""
    return LABELS[key][lang]
