"""Danish (default) and English texts for tables, figures and reports.

One place for every user-facing label, so the two languages stay in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wgsforecast._text import Text
from wgsforecast.periods import Lang, format_month

if TYPE_CHECKING:
    import pandas as pd

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
    "status": {"da": "Status", "en": "Status"},
    "notes": {"da": "Bemærkninger", "en": "Notes"},
    "capped_months": {"da": "Måneder ved loft", "en": "Months at cap"},
    "live": {"da": "i drift", "en": "live"},
    "onboarding": {"da": "under opstart", "en": "onboarding"},
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
    # Figures (wgsforecast.plotting)
    "plot_reconstructed_note": {
        "da": (
            "Bemærk: Månedstallene pr. patientgruppe er rekonstrueret, ikke offentlige; de "
            "rammer de offentlige totaler, men fordelingen er et skøn. Ikke officielle tal."
        ),
        "en": (
            "Note: the monthly counts per patient group are reconstructed, not public; they "
            "match the public totals, but the split is an estimate. Not official figures."
        ),
    },
    "plot_data_until": {"da": "data til og med", "en": "data up to"},
    "plot_interval": {"da": "Interval", "en": "Interval"},
    "plot_central_interval": {"da": "{share}-interval", "en": "{share} interval"},
    "plot_median": {"da": "Median", "en": "Median"},
    "plot_mean": {"da": "Gennemsnit", "en": "Mean"},
    "plot_cap": {"da": "Loft ({share} af indmeldt)", "en": "Cap ({share} of declared)"},
    "plot_cap_varies": {"da": "Loft (gruppens loft)", "en": "Cap (the group's cap)"},
    "plot_published": {
        "da": "Offentliggjort prognose (marts 2023)",
        "en": "Published prognosis (March 2023)",
    },
    "plot_other_groups": {"da": "Øvrige grupper", "en": "Other groups"},
    "plot_cumulative_title": {
        "da": "Akkumulerede genomækvivalenter mod målet på {target}",
        "en": "Cumulative genome equivalents towards the {target} target",
    },
    "plot_monthly_title": {
        "da": "Genomækvivalenter pr. måned fordelt på patientgrupper",
        "en": "Genome equivalents per month by patient group",
    },
    "plot_fan_title": {
        "da": "Usikkerhed om akkumulerede genomækvivalenter ({paths} simulerede forløb)",
        "en": "Uncertainty of cumulative genome equivalents ({paths} simulated paths)",
    },
    "plot_target_title": {
        "da": "Hvornår nås målet på {target} genomækvivalenter?",
        "en": "When is the target of {target} genome equivalents reached?",
    },
    "plot_p_month": {
        "da": "Sandsynlighed for at målet nås i måneden",
        "en": "Probability the target is reached that month",
    },
    "plot_p_cumulative": {
        "da": "Sandsynlighed for at målet er nået",
        "en": "Probability the target has been reached",
    },
    "plot_p_month_axis": {"da": "Sandsynlighed pr. måned", "en": "Probability per month"},
    "plot_p_cumulative_axis": {"da": "Kumuleret sandsynlighed", "en": "Cumulative probability"},
    "plot_p_by_deadline": {"da": "Nået ved fristen", "en": "Reached by the deadline"},
    "plot_p_never": {
        "da": "Når ikke målet inden for horisonten",
        "en": "Not reached within the horizon",
    },
    "plot_ramps_title": {
        "da": "Genomækvivalenter pr. måned pr. patientgruppe",
        "en": "Genome equivalents per month per patient group",
    },
    # Backtests (wgsforecast.backtesting)
    "backtest_title": {
        "da": "Backtest: {origins} prognosetidspunkter, {first} til {last}",
        "en": "Backtest: {origins} forecast origins, {first} to {last}",
    },
    "backtest_lead": {
        "da": "Måneder efter prognosetidspunktet",
        "en": "Months after the forecast origin",
    },
    "backtest_engine": {"da": "Metode", "en": "Engine"},
    "bt_error": {"da": "Fejl, akkumuleret (GE)", "en": "Error, cumulative (GE)"},
    "bt_abs_error": {"da": "Absolut fejl (GE)", "en": "Absolute error (GE)"},
    "bt_pct_error": {"da": "Fejl (%)", "en": "Error (%)"},
    "bt_abs_pct_error": {"da": "Absolut fejl (%)", "en": "Absolute error (%)"},
    "bt_crps": {"da": "CRPS (GE)", "en": "CRPS (GE)"},
    "bt_crps_pct": {"da": "CRPS (% af faktisk)", "en": "CRPS (% of actual)"},
    "bt_cover80": {"da": "Dækning 80 %-interval", "en": "80% interval coverage"},
    "bt_cover95": {"da": "Dækning 95 %-interval", "en": "95% interval coverage"},
    "bt_width80_pct": {"da": "Bredde 80 %-interval (%)", "en": "80% interval width (%)"},
    "bt_target_month_error": {
        "da": "Fejl i måned for målet (mdr.)",
        "en": "Error in target month (months)",
    },
    "bt_target_month_censored": {
        "da": "Andel hvor medianprognosen ikke når målet inden for horisonten",
        "en": "Share where the median forecast does not reach the target in the horizon",
    },
    "bt_brier_deadline": {
        "da": "Brier: mål nået ved fristen",
        "en": "Brier: target reached by deadline",
    },
    "bt_n_origins": {"da": "Antal tidspunkter", "en": "Origins"},
    # The quarterly report (wgsforecast.report)
    "report_title": {
        "da": "Kvartalsprognose for genomækvivalenter",
        "en": "Quarterly prognosis of genome equivalents",
    },
    "report_headline": {"da": "Hovedtal", "en": "Headline"},
    "report_interval": {
        "da": "(80 %-interval: {low} – {high})",
        "en": "(80% interval: {low} – {high})",
    },
    "report_target_line": {
        "da": "Målet på {target} genomækvivalenter nås {month}.",
        "en": "The target of {target} genome equivalents is reached in {month}.",
    },
    "report_p_deadline_line": {
        "da": "Sandsynligheden for at nå målet senest ved fristen (udgangen af {deadline}) er {p}.",
        "en": "The probability of reaching the target by the deadline ({deadline}) is {p}.",
    },
    "report_by_deadline_line": {
        "da": "Ved fristen ({deadline}) er {done} GE gennemført; {left} GE udestår.",
        "en": "By the deadline ({deadline}) {done} GE are done; {left} GE are left.",
    },
    "report_published_method_line": {
        "da": "Den offentliggjorte metode (løbende niveau) giver {month} og {done} GE ved fristen.",
        "en": "The published method (run rate) gives {month} and {done} GE by the deadline.",
    },
    # How a Prognosis shows itself in a notebook (_prognosis_display).
    "repr_title": {"da": "Prognose", "en": "Prognosis"},
    "repr_engine": {"da": "Metode", "en": "Engine"},
    "repr_paths": {"da": "stier", "en": "paths"},
    "repr_path": {"da": "sti", "en": "path"},
    "repr_as_of": {"da": "Data til og med", "en": "Actuals up to"},
    "repr_target_month": {"da": "{target} GE nås", "en": "{target} GE reached"},
    "repr_interval": {"da": "80 %-interval", "en": "80% interval"},
    "repr_p_deadline": {
        "da": "Sandsynlighed for {target} GE senest ved udgangen af {deadline}",
        "en": "Chance of {target} GE by the end of {deadline}",
    },
    "repr_ge_deadline": {
        "da": "GE ved udgangen af {deadline} (median)",
        "en": "GE by the end of {deadline} (median)",
    },
    "repr_beyond": {"da": "efter horisonten", "en": "beyond the horizon"},
    "repr_not_judged": {
        "da": "ikke vurderet (efter horisonten)",
        "en": "not judged (past horizon)",
    },
    "repr_per_period": {"da": "GE i perioden (median)", "en": "GE in the period (median)"},
    "repr_total": {"da": "GE i alt (median)", "en": "Total GE (median)"},
    "repr_total_interval": {"da": "GE i alt, 80 %-interval", "en": "Total GE, 80% interval"},
    "report_methods": {"da": "Metoderne side om side", "en": "The methods side by side"},
    "report_methods_note": {
        "da": (
            "Den evidensbaserede model er rapportens hovedprognose. Den offentliggjorte "
            "metode gentager regnestykket fra punkt 112/23. Lineær trend og fladt niveau er "
            "naive sammenligningsgrundlag for hele landet uden antagelser om grupperne: jo "
            "længere de ligger fra hovedprognosen, jo mere af svaret bygger på antagelser."
        ),
        "en": (
            "The evidence-based model is the report's main forecast. The published method "
            "repeats the calculation of item 112/23. Linear trend and flat level are naive "
            "national baselines with no assumptions about the groups: the further they lie "
            "from the main forecast, the more of the answer rests on assumptions."
        ),
    },
    "method_adoption": {"da": "Evidensbaseret model", "en": "Evidence-based model"},
    "method_runrate": {
        "da": "Den offentliggjorte metode (punkt 112/23)",
        "en": "The published method (item 112/23)",
    },
    "method_trend": {"da": "Lineær national trend", "en": "Linear national trend"},
    "method_flat": {
        "da": "Fladt niveau (de seneste måneder)",
        "en": "Flat level (the latest months)",
    },
    "method_ets": {"da": "Eksponentiel udglatning (ETS)", "en": "Exponential smoothing (ETS)"},
    "method_ensemble": {"da": "Vægtet kombination af modeller", "en": "Weighted model combination"},
    "col_method": {"da": "Metode", "en": "Method"},
    "col_target_p50": {"da": "Målet nås (median)", "en": "Target reached (median)"},
    "col_interval": {"da": "80 %-interval", "en": "80% interval"},
    "col_p_by": {
        "da": "Sandsynlighed senest ved udgangen af {month}",
        "en": "Probability by the end of {month}",
    },
    "col_ge_deadline": {"da": "GE ved fristen (median)", "en": "GE by the deadline (median)"},
    "report_p_later_line": {
        "da": "Sandsynligheden for at nå målet senest ved udgangen af {month} er {p}.",
        "en": "The probability of reaching the target by the end of {month} is {p}.",
    },
    "report_driver_first": {
        "da": (
            "Det, der flytter datoen mest, er {driver}: i den tredjedel af forløbene med de "
            "laveste værdier (median {low}) nås målet {target_low}, i den tredjedel med de "
            "højeste (median {high}) {target_high}."
        ),
        "en": (
            "What moves the date most is {driver}: in the third of the paths with the lowest "
            "values (median {low}) the target is reached {target_low}, in the third with the "
            "highest (median {high}) {target_high}."
        ),
    },
    "report_driver_next": {
        "da": (
            "Dernæst {driver}: {target_low} ved de laveste værdier ({low}), {target_high} ved "
            "de højeste ({high})."
        ),
        "en": (
            "Next, {driver}: {target_low} at the lowest values ({low}), {target_high} at the "
            "highest ({high})."
        ),
    },
    "driver_capacity": {
        "da": "den nationale kapacitet (et usikkert loft over antal WGS om året)",
        "en": "national capacity (an uncertain ceiling on WGS a year)",
    },
    "driver_capacity_value": {"da": "{value} WGS om året", "en": "{value} WGS a year"},
    "driver_throughput": {
        "da": "det nationale gennemløb (niveau om 12 måneder i forhold til nu)",
        "en": "national throughput (level in 12 months relative to now)",
    },
    "driver_plateau": {
        "da": "hvor stor en andel af den indmeldte volumen «{group}» når",
        "en": "how much of its declared volume “{group}” realises",
    },
    "driver_start": {
        "da": "hvornår «{group}» går i drift",
        "en": "when “{group}” goes live",
    },
    "driver_start_value": {"da": "om {value} mdr.", "en": "in {value} months"},
    "driver_never": {"da": "aldrig", "en": "never"},
    "report_card_target": {"da": "Målet på {target} GE nås", "en": "Target of {target} GE reached"},
    "report_card_p": {
        "da": "Sandsynlighed senest ved udgangen af {deadline} (fristen)",
        "en": "Probability of the target by {deadline}",
    },
    "report_card_done": {"da": "Gennemført ved udgangen af {deadline}", "en": "Done by {deadline}"},
    "report_card_left": {"da": "{left} GE udestår efter fristen", "en": "{left} GE left after it"},
    "report_card_to_date": {"da": "Gennemført til og med {as_of}", "en": "Done to {as_of}"},
    "report_card_genomes": {
        "da": "≈ {genomes} genomer (antaget omregning)",
        "en": "≈ {genomes} genomes (assumed conversion)",
    },
    "report_genomes_line": {
        "da": "Til og med {as_of} er {done} GE gennemført. Omregnet med et ANTAGET antal "
        "genomer pr. GE svarer det til {genomes} genomer, og ved fristen til {by_deadline} "
        "genomer.",
        "en": "To {as_of}, {done} GE are done. Converted with an ASSUMED number of genomes "
        "per GE, that is {genomes} genomes, and {by_deadline} genomes by the deadline.",
    },
    "report_change": {
        "da": "Ændring siden forrige prognose",
        "en": "Change since the previous prognosis",
    },
    "report_change_groups": {
        "da": "Målmånedens forskydning pr. patientgruppe (én gruppe ad gangen)",
        "en": "Target-month shift per patient group (one group at a time)",
    },
    "report_no_previous": {
        "da": "Ingen tidligere gemt prognose at sammenligne med.",
        "en": "No earlier prognosis (vintage) to compare with.",
    },
    "report_tables": {"da": "Tabel 1", "en": "Table 1"},
    "report_table1": {
        "da": "Offentliggjort metode (genberegnet)",
        "en": "Published method (recomputed)",
    },
    "report_table1_published": {
        "da": "Offentliggjort tabel 1 (punkt 112/23, marts 2023)",
        "en": "Published Table 1 (item 112/23, March 2023)",
    },
    "report_table1_evidence": {
        "da": "{engine} ({paths} forløb): median og 80 %-interval",
        "en": "{engine} ({paths} paths): median and 80% interval",
    },
    "report_groups": {"da": "Patientgrupper", "en": "Patient groups"},
    "report_row_low": {"da": "10 %-fraktil", "en": "10th percentile"},
    "report_row_high": {"da": "90 %-fraktil", "en": "90th percentile"},
    "report_method_line": {
        "da": "Kilde til hovedtallene: {method}, {paths} simulerede forløb, startværdi (seed) "
        "{seed}.",
        "en": "Source of the headline numbers: {method}, {paths} simulated paths, seed {seed}.",
    },
    "report_method_line_single": {
        "da": "Kilde til hovedtallene: {method}, ét forløb.",
        "en": "Source of the headline numbers: {method}, one path.",
    },
    "report_card_published": {
        "da": "Den offentliggjorte metode: målet nås",
        "en": "The published method: target reached",
    },
    "report_card_published_sub": {
        "da": "{done} GE ved udgangen af {deadline}; ét forløb uden interval",
        "en": "{done} GE by the end of {deadline}; one path, no interval",
    },
    "report_method_change": {
        "da": (
            "Metodeskift, ikke ny udvikling: samme data (til og med {as_of}), to metoder. "
            "{method}: målet nås {current}, {relation} «{name}» ({previous}); {deadline}."
        ),
        "en": (
            "A change of method, not progress: the same data (up to {as_of}), two methods. "
            "{method}: target reached {current}, {relation} “{name}” ({previous}); {deadline}."
        ),
    },
    "report_than": {"da": "end", "en": "than"},
    "report_same_month_as": {"da": "samme måned som", "en": "the same month as"},
    "report_against": {"da": "mod", "en": "against"},
    "report_flags": {"da": "Bemærkning", "en": "Notes"},
    "report_flag_capped": {"da": "ved loft ({n} mdr.)", "en": "capped ({n} months)"},
    "report_flag_no_data": {"da": "ingen data endnu", "en": "no data yet"},
    "report_figures": {"da": "Figurer", "en": "Figures"},
    "report_fig_cumulative": {
        "da": "Akkumulerede genomækvivalenter, faktisk og prognose",
        "en": "Cumulative genome equivalents, actual and projected",
    },
    "report_fig_fan": {"da": "Usikkerhedsvifte", "en": "Fan chart"},
    # Figure captions in the HTML: how to read the figure (its title is the image's alt text).
    "report_caption_cumulative": {
        "da": "Sådan læses figuren: den sorte linje er de gennemførte GE, den stiplede "
        "prognosens median i det lyse 80 %-interval; hvor den krydser den vandrette "
        "mållinje, nås målet. Den lodrette linje er finansieringsfristen, de orange ruder "
        "den offentliggjorte prognose, når den vises.",
        "en": "How to read it: the black line is the GE done, the dashed line the forecast's "
        "median within the light 80% interval; where it crosses the horizontal target line, "
        "the target is reached. The vertical line is the funding deadline, the orange "
        "diamonds the published prognosis where shown.",
    },
    "report_caption_fan": {
        "da": "Jo bredere viften, jo mere usikker prognosen: 8 af 10 simulerede forløb ligger "
        "i det lyse bånd (80 %-interval), halvdelen i det mørke (50 %-interval).",
        "en": "The wider the fan, the less certain the forecast: 8 in 10 simulated paths lie "
        "in the light band (80% interval), half in the dark one (50% interval).",
    },
    "report_caption_target_distribution": {
        "da": "Søjlerne er sandsynligheden for, at målet nås netop den måned; kurven er "
        "sandsynligheden for, at det er nået senest den måned.",
        "en": "The bars are the probability that the target is reached in that month; the "
        "curve is the probability that it has been reached by then.",
    },
    "report_caption_monthly_by_group": {
        "da": "Hvor meget hver patientgruppe bidrager måned for måned: faktisk, derefter "
        "prognosens median.",
        "en": "How much each patient group contributes month by month: actual, then the "
        "forecast's median.",
    },
    "report_caption_group_ramps": {
        "da": "Et panel pr. patientgruppe: de faktiske måneder, prognosens median og "
        "interval og gruppens loft. Loftet begrænser gruppens forventede niveau; enkelte "
        "måneder kan ligge over det. Bemærk, at akserne er forskellige.",
        "en": "One panel per patient group: the actual months, the forecast's median and "
        "interval, and the group's cap. The cap bounds the group's expected level; single "
        "months may lie above it. Note that the axes differ.",
    },
    "report_caption_group_ramps_ceiling": {
        "da": "Grupperne deler én national kapacitet (et usikkert loft): når nye grupper "
        "vokser, falder de øvrige gruppers median, også for grupper, der er i fuld drift.",
        "en": "The groups share one national capacity (an uncertain ceiling): as new groups "
        "grow, the other groups' medians fall, also for groups in full operation.",
    },
    "report_caption_scenarios": {
        "da": "Hver linje er et scenaries median; kun grundforløbet har sit 80 %-interval "
        "skraveret. Tabellen viser, hvor mange måneder hvert scenarie flytter målet.",
        "en": "Each line is a scenario's median; only the baseline has its 80% interval "
        "shaded. The table shows how many months each scenario moves the target.",
    },
    "report_fig_target": {
        "da": "Fordeling af måneden, hvor målet nås",
        "en": "Distribution of the month the target is reached",
    },
    "report_fig_monthly": {
        "da": "Genomækvivalenter pr. måned fordelt på patientgrupper",
        "en": "Genome equivalents per month by patient group",
    },
    "report_fig_ramps": {
        "da": "Hver patientgruppes faktiske og forventede forløb",
        "en": "Each patient group's actual and projected ramp",
    },
    "report_scenarios": {"da": "Scenarier", "en": "Scenarios"},
    "report_fig_scenarios": {
        "da": "Scenarier: akkumulerede genomækvivalenter (median og interval)",
        "en": "Scenarios: cumulative genome equivalents (median and interval)",
    },
    "report_funding": {"da": "Finansiering", "en": "Funding"},
    "report_quality": {"da": "Datakvalitet og antagelser", "en": "Data quality and assumptions"},
    "report_provenance": {"da": "Proveniens", "en": "Provenance"},
    "prov_actuals": {"da": "Månedstal", "en": "Monthly counts"},
    "prov_groups": {"da": "Patientgrupper", "en": "Patient groups"},
    "prov_assumptions": {"da": "Antagelsesfil", "en": "Assumptions file"},
    "prov_assumptions_used": {"da": "Antagelser", "en": "Assumptions"},
    "prov_assumption_values": {
        "da": "Antagelsernes værdier (JSON; det er dem, sha256 er taget af)",
        "en": "Assumption values (JSON; the sha256 is taken of these)",
    },
    "prov_engine": {"da": "Metoder", "en": "Methods"},
    "prov_wgsforecast": {"da": "wgsforecast-version", "en": "wgsforecast version"},
    "prov_date": {"da": "Kørt den", "en": "Run on"},
    "prov_ran": {
        "da": "{method}: {paths} forløb, startværdi (seed) {seed}",
        "en": "{method}: {paths} paths, seed {seed}",
    },
    "prov_ran_single": {
        "da": "{method}: ét forløb, uden startværdi (deterministisk)",
        "en": "{method}: one path, no seed (deterministic)",
    },
    "report_note_no_data_live": {
        "da": "{group}: i drift fra {go_live}, men uden data.",
        "en": "{group}: live since {go_live}, but without data.",
    },
    "report_note_no_data": {
        "da": "{group}: ingen data endnu (ikke i drift).",
        "en": "{group}: no data yet (not live).",
    },
    "report_note_late_start": {
        "da": "{group}: i drift fra {go_live}, første data {first} ({n} mdr. uden data).",
        "en": "{group}: live since {go_live}, first data {first} ({n} months without data).",
    },
    "report_note_stale": {
        "da": "{group}: seneste data {last}, ikke {as_of}.",
        "en": "{group}: latest data {last}, not {as_of}.",
    },
    "report_note_assumptions": {
        "da": (
            "Antagelser: data til og med {as_of}; løbende niveau over {window} mdr.; horisont "
            "{horizon} mdr.; mål {target} GE; frist {deadline}; loft {cap} af indmeldt volumen."
        ),
        "en": (
            "Assumptions: data up to {as_of}; run rate over {window} months; horizon "
            "{horizon} months; target {target} GE; deadline {deadline}; cap {cap} of declared "
            "volume."
        ),
    },
    "report_cap_varies": {"da": "pr. gruppe (se tabellen)", "en": "per group (see the table)"},
    "report_terminal_title": {
        "da": "Tabel 1: vores genberegning med den offentliggjorte metode og den offentliggjorte "
        "tabel",
        "en": "Table 1: our recomputation with the published method and the published table",
    },
    "report_ours": {"da": "Genberegnet", "en": "Recomputed"},
    "report_published": {"da": "Offentliggjort", "en": "Published"},
    "report_terminal_reconstructed": {
        "da": "Bemærk: data er rekonstrueret (månedstal pr. gruppe er ikke offentlige); ikke "
        "officielle tal.",
        "en": "Note: the data are reconstructed (monthly counts per group are not public); not "
        "official figures.",
    },
    "report_row": {"da": "Række", "en": "Row"},
    "report_sheet_table1": {"da": "Tabel 1", "en": "Table 1"},
    "report_sheet_published": {"da": "Tabel 1 offentliggjort", "en": "Table 1 published"},
    "report_sheet_evidence": {"da": "Evidensbaseret", "en": "Evidence-based"},
    "report_sheet_groups": {"da": "Patientgrupper", "en": "Patient groups"},
    "report_sheet_cumulative": {"da": "Akkumuleret", "en": "Cumulative"},
    "report_sheet_monthly": {"da": "Måned pr. gruppe", "en": "Monthly by group"},
    "report_sheet_change": {"da": "Ændring pr. gruppe", "en": "Change by group"},
    "report_sheet_scenarios": {"da": "Scenarier", "en": "Scenarios"},
    "report_sheet_funding": {"da": "Finansiering", "en": "Funding"},
    "report_sheet_quarters": {"da": "Kvartaler", "en": "Quarters"},
    "report_sheet_progress": {"da": "Fremdrift pr. gruppe", "en": "Progress by group"},
    "report_groups_projection": {
        "da": "Fremskrivning pr. patientgruppe",
        "en": "Projection by patient group",
    },
    "report_data": {"da": "Data", "en": "Data"},
    # Progress per patient group (wgsforecast.report.progress)
    "report_progress": {"da": "Fremdrift pr. patientgruppe", "en": "Progress by patient group"},
    "report_total": {"da": "I alt", "en": "Total"},
    "status_live": {"da": "i drift", "en": "live"},
    "status_onboarding": {"da": "under opstart", "en": "onboarding"},
    "status_planned": {"da": "planlagt", "en": "planned"},
    "status_slipped": {"da": "forsinket", "en": "slipped"},
    "col_ge_to_date": {"da": "GE til dato", "en": "GE to date"},
    "col_genomes_to_date": {"da": "Genomer til dato (antaget)", "en": "Genomes to date (assumed)"},
    "col_last_quarter": {"da": "GE {quarter}", "en": "GE {quarter}"},
    "col_share_declared": {"da": "Takt i % af indmeldt", "en": "Pace as % of declared"},
    "report_progress_note": {
        "da": "Status pr. {as_of}: i drift = har indberettet GE; forsinket = ingen GE, selv om "
        "den planlagte opstartsmåned er passeret; under opstart = ingen GE endnu, opstart "
        "senere og registreret som under opstart; planlagt = ingen GE endnu, opstart senere. "
        "Takt i % af indmeldt = GE i seneste hele kvartal x 4 / indmeldt pr. år. "
        "Kvartalerne fremover er medianen af gruppens GE i kvartalet; i rækken I alt er de "
        "den nationale median (medianer kan ikke lægges sammen).",
        "en": "Status at {as_of}: live = has reported GE; slipped = no GE although the planned "
        "go-live month has passed; onboarding = no GE yet, go-live later and registered as "
        "onboarding; planned = no GE yet, go-live later. Pace as % of declared = GE in the "
        "latest complete quarter x 4 / declared per year. The quarters ahead are the median "
        "of the group's GE in the quarter; in the Total row they are the national median "
        "(medians do not add up).",
    },
    # The workbook (wgsforecast.report.excel)
    "yes": {"da": "Ja", "en": "Yes"},
    "no": {"da": "Nej", "en": "No"},
    "col_ge_month_p50": {"da": "GE i måneden (median)", "en": "GE in month (median)"},
    "col_capped": {"da": "Ved loft", "en": "At cap"},
    "col_capped_share": {"da": "Forløb ved loft (%)", "en": "Paths at cap (%)"},
    "report_sheet_overview": {"da": "Oversigt", "en": "Overview"},
    "xl_data_until": {"da": "Data til og med", "en": "Data to"},
    "xl_target_month": {"da": "Målet på {target} GE nås", "en": "Target of {target} GE reached"},
    "xl_p_by": {"da": "Sandsynlighed for målet senest {month}", "en": "Probability by {month}"},
    "xl_ge_by_deadline": {
        "da": "GE ved udgangen af {deadline} (median og 80 %-interval)",
        "en": "GE by the end of {deadline} (median and 80% interval)",
    },
    "xl_ge_to_date": {"da": "GE gennemført til og med {as_of}", "en": "GE done to {as_of}"},
    "xl_genomes_to_date": {
        "da": "Genomer til og med {as_of} (ANTAGET omregning)",
        "en": "Genomes to {as_of} (ASSUMED conversion)",
    },
    "xl_genomes_by_deadline": {
        "da": "Genomer ved udgangen af {deadline} (ANTAGET omregning)",
        "en": "Genomes by the end of {deadline} (ASSUMED conversion)",
    },
    "xl_published_method": {
        "da": "Offentliggjort metode: målet nås",
        "en": "Published method: target reached",
    },
    "xl_memo_table": {
        "da": "Tabel 1, evidensbaseret: median (80 %-interval), til brug i et notat",
        "en": "Table 1, evidence-based: median (80% interval), for a memo",
    },
    "xl_change": {
        "da": "Ændring siden forrige prognose",
        "en": "Change since the previous prognosis",
    },
    "xl_assumptions": {"da": "Antagelser og datakvalitet", "en": "Assumptions and data quality"},
    "xl_run": {"da": "Kørsel", "en": "Run details"},
    # The quarterly view (wgsforecast.report.quarters)
    "report_quarters": {"da": "Kvartal for kvartal", "en": "Quarter by quarter"},
    "col_quarter": {"da": "Kvartal", "en": "Quarter"},
    "col_kind": {"da": "Type", "en": "Kind"},
    "quarter_actual": {"da": "faktisk", "en": "actual"},
    "quarter_partial": {"da": "delvis faktisk", "en": "partly actual"},
    "quarter_projected": {"da": "prognose", "en": "projected"},
    "col_done": {"da": "GE gennemført", "en": "GE done"},
    "col_previous_forecast": {"da": "Forrige prognose", "en": "Previous forecast"},
    "col_miss": {"da": "Afvigelse", "en": "Miss"},
    "col_quarter_p50": {"da": "GE i kvartalet (median)", "en": "GE in quarter (median)"},
    "col_quarter_p10": {"da": "GE i kvartalet, 10 %", "en": "GE in quarter, 10%"},
    "col_quarter_p90": {"da": "GE i kvartalet, 90 %", "en": "GE in quarter, 90%"},
    "col_cumulative_p50": {"da": "Kumuleret (median)", "en": "Cumulative (median)"},
    "col_cumulative_p10": {"da": "Kumuleret, 10 %", "en": "Cumulative, 10%"},
    "col_cumulative_p90": {"da": "Kumuleret, 90 %", "en": "Cumulative, 90%"},
    "col_genomes_quarter": {
        "da": "Genomer i kvartalet (antaget)",
        "en": "Genomes in quarter (assumed)",
    },
    "col_genomes_cumulative": {
        "da": "Genomer kumuleret (antaget)",
        "en": "Genomes cumulative (assumed)",
    },
    "report_quarters_note": {
        "da": "GE pr. kalenderkvartal. Hele kvartaler med data viser de gennemførte GE; "
        "kvartalerne fremover viser median og 80 %-interval (10 %- til 90 %-fraktil over "
        "{paths} simulerede forløb) for GE i kvartalet og kumuleret ved kvartalets udgang "
        "(metode: {method}). Et delvis faktisk kvartal tæller både de gennemførte og de "
        "fremskrevne måneder; «GE gennemført» er dets måneder indtil nu.",
        "en": "GE per calendar quarter. Complete quarters of data show the GE done; the "
        "quarters ahead show the median and the 80% interval (10th to 90th percentile over "
        "{paths} simulated paths) of the GE in the quarter and cumulative at its end "
        "(method: {method}). A partly actual quarter counts its months done and its projected "
        "months; «GE done» is its months so far.",
    },
    "report_quarters_note_single": {
        "da": "GE pr. kalenderkvartal. Hele kvartaler med data viser de gennemførte GE; "
        "kvartalerne fremover viser fremskrivningen (metode: {method}; én beregning, intet "
        "interval). Et delvis "
        "faktisk kvartal tæller både de gennemførte og de fremskrevne måneder; «GE "
        "gennemført» er dets måneder indtil nu.",
        "en": "GE per calendar quarter. Complete quarters of data show the GE done; the "
        "quarters ahead show the projection (method: {method}; one calculation, no "
        "interval). A partly actual "
        "quarter counts its months done and its projected months; «GE done» is its months "
        "so far.",
    },
    "report_quarters_previous": {
        "da": "Forrige prognose: «{name}» (data til og med {as_of}); dens GE i et kvartal er "
        "forskellen på dens akkumulerede median ved kvartalets start og udgang. Afvigelse = "
        "gennemført minus forrige prognose (kun hele kvartaler).",
        "en": "Previous forecast: «{name}» (data to {as_of}); its GE in a quarter is the "
        "difference of its cumulative median at the quarter's start and end. Miss = done "
        "less the previous forecast (complete quarters only).",
    },
    "report_quarters_previous_none": {
        "da": "Forrige prognose «{name}» (data til og med {as_of}) har kun halvårs- og "
        "årstal, ingen tal for kvartalerne efter {as_of}, så «Forrige prognose» og "
        "«Afvigelse» er tomme.",
        "en": "The previous prognosis «{name}» (data to {as_of}) has half-year and year "
        "figures only, none for the quarters after {as_of}, so «Previous forecast» and "
        "«Miss» are empty.",
    },
    "report_quarters_no_previous": {
        "da": "Der er ingen tidligere prognose at sammenligne med, så «Forrige prognose» og "
        "«Afvigelse» er tomme.",
        "en": "There is no earlier prognosis to compare with, so «Previous forecast» and "
        "«Miss» are empty.",
    },
    "report_genomes_note": {
        "da": "Genomer = GE gange et ANTAGET antal genomer pr. GE for hver patientgruppe "
        "({factor}; der findes ingen offentlig definition af en genomækvivalent). Det er "
        "en omregning, ikke en optælling.",
        "en": "Genomes = GE times an ASSUMED number of genomes per GE for each patient group "
        "({factor}; there is no public definition of a genome equivalent). It is a "
        "conversion, not a count.",
    },
    # Report group table headers filled from the assumptions (window, cap share).
    "report_cap_per_year_share": {"da": "Loft pr. år ({share})", "en": "Cap per year ({share})"},
    "report_cap_per_year": {"da": "Loft pr. år", "en": "Cap per year"},
    "report_cap_share": {"da": "Loftandel (%)", "en": "Cap share (%)"},
    "report_run_rate_window": {"da": "Gns. seneste {n} mdr.", "en": "Mean of last {n} months"},
    "report_run_rate_last_month": {"da": "Seneste måned", "en": "Last month"},
    # Scenarios, tornado, back-solving and funding (wgsforecast.scenarios, .backsolve, .funding)
    "tornado_go_live_shift_months": {
        "da": "Forskudt opstart (mdr.)",
        "en": "Onboarding shift (months)",
    },
    "tornado_declared_factor": {
        "da": "Indmeldt volumen (faktor)",
        "en": "Declared volume (factor)",
    },
    "tornado_plateau_share": {
        "da": "Plateau (andel af indmeldt)",
        "en": "Plateau (share of declared)",
    },
    "tornado_cap_share": {
        "da": "Loft (andel af indmeldt)",
        "en": "Cap (share of declared)",
    },
    "tornado_ramp_months": {
        "da": "Rampens længde (mdr.)",
        "en": "Ramp length (months)",
    },
    "tornado_low": {
        "da": "Lav værdi",
        "en": "Low value",
    },
    "tornado_high": {
        "da": "Høj værdi",
        "en": "High value",
    },
    "tornado_target_month": {
        "da": "Forskydning af måneden hvor målet nås (mdr., median)",
        "en": "Shift of the month the target is reached (months, median)",
    },
    "tornado_p_by_deadline": {
        "da": "Sandsynlighed for at nå målet ved fristen",
        "en": "Probability of reaching the target by the deadline",
    },
    "tornado_title": {
        "da": "Følsomhed: {group}",
        "en": "Sensitivity: {group}",
    },
    "scenario_scenario": {
        "da": "Scenarie",
        "en": "Scenario",
    },
    "scenario_baseline": {
        "da": "Grundforløb",
        "en": "Baseline",
    },
    "scenario_target_p50": {
        "da": "Målet nås (median)",
        "en": "Target reached (P50)",
    },
    "scenario_target_interval": {
        "da": "80 %-interval",
        "en": "P10 - P90",
    },
    "scenario_shift": {
        "da": "Forskydning (mdr.)",
        "en": "Shift (months)",
    },
    "scenario_p_deadline": {
        "da": "Sandsynlighed for målet ved fristen",
        "en": "P(target by deadline)",
    },
    "scenario_pp": {
        "da": "pct.-point",
        "en": "pp",
    },
    "scenario_cost": {
        "da": "Pris for GE efter fristen ({currency}, median [80 %-interval])",
        "en": "Cost of GE after the deadline ({currency}, P50 [P10-P90])",
    },
    "scenario_na": {
        "da": "-",
        "en": "-",
    },
    "scenario_not_reached": {
        "da": "ikke inden for horisonten",
        "en": "not within the horizon",
    },
    "scenario_method": {
        "da": (
            "Metode: {engine}; {paths} simulerede forløb; startværdi (seed) {seed}; alle "
            "scenarier bruger de samme tilfældige tal."
        ),
        "en": (
            "Engine: {engine}; {paths} simulated paths; seed {seed}; every scenario uses the "
            "same random numbers."
        ),
    },
    "scenario_fans_title": {
        "da": "Akkumulerede genomækvivalenter pr. scenarie (median og 80 %-interval)",
        "en": "Cumulative genome equivalents per scenario (median and 80% interval)",
    },
    "scenario_shifts_title": {
        "da": "Forskydning af måneden hvor målet nås (median)",
        "en": "Shift of the month the target is reached (median)",
    },
    "scenario_shift_axis": {
        "da": "Måneder senere (+) eller tidligere (-) end grundforløbet ({base})",
        "en": "Months later (+) or earlier (-) than the baseline ({base})",
    },
    "backsolve_measure": {
        "da": "Mål",
        "en": "Measure",
    },
    "backsolve_value": {
        "da": "Værdi",
        "en": "Value",
    },
    "backsolve_what": {
        "da": "Hvem",
        "en": "Who",
    },
    "backsolve_national": {
        "da": "Hele landet",
        "en": "National",
    },
    "backsolve_period": {
        "da": "Periode",
        "en": "Period",
    },
    "backsolve_target": {
        "da": "Mål (GE)",
        "en": "Target (GE)",
    },
    "backsolve_probability": {
        "da": "Sandsynlighed for at nå målet",
        "en": "Probability of reaching the target",
    },
    "backsolve_required": {
        "da": "Nødvendig GE pr. måned",
        "en": "Required GE per month",
    },
    "backsolve_current": {
        "da": "Gns. seneste måneder (GE pr. måned)",
        "en": "Mean of the latest months (GE per month)",
    },
    "backsolve_projected": {
        "da": "Forventet i startmåneden (GE pr. måned, median)",
        "en": "Projected in the start month (GE per month, median)",
    },
    "backsolve_cap": {
        "da": "Loft (GE pr. måned)",
        "en": "Cap (GE per month)",
    },
    "backsolve_above_cap": {
        "da": "Det nødvendige niveau ligger over gruppens loft; loftet skal hæves.",
        "en": "The required level is above the group's cap; the cap must be raised.",
    },
    "funding_measure": {
        "da": "Mål",
        "en": "Measure",
    },
    "funding_done": {
        "da": "Gennemført ved fristen (GE)",
        "en": "Done by the deadline (GE)",
    },
    "funding_left": {
        "da": "Udestår efter fristen (GE)",
        "en": "Left after the deadline (GE)",
    },
    "funding_cost": {
        "da": "Pris for det udestående ({currency})",
        "en": "Cost of what is left ({currency})",
    },
    "funding_intro": {
        "da": (
            "Af målet på {target} GE forventes følgende gennemført ved fristen ({deadline}); "
            "sandsynligheden for at nå hele målet inden fristen er {p}."
        ),
        "en": (
            "Of the {target} GE target, this much is expected done by the deadline "
            "({deadline}); the probability of reaching the whole target by then is {p}."
        ),
    },
    "funding_no_price": {
        "da": "Ingen pris pr. GE er angivet, så der vises ingen omkostning.",
        "en": "No price per GE was given, so no cost is shown.",
    },
    "funding_price": {
        "da": (
            "Omkostningen er beregnet med en pris på {price} {currency} pr. GE, som brugeren "
            "har angivet."
        ),
        "en": "Costs use a price of {price} {currency} per GE, as given by the user.",
    },
    "funding_deterministic": {
        "da": "Prognosen er deterministisk (ét forløb), så kvantilerne er ens.",
        "en": "The prognosis is deterministic (one path): the quantiles agree.",
    },
    "scenario_method_deterministic": {
        "da": "Metode: {engine} (deterministisk, ét forløb).",
        "en": "Engine: {engine} (deterministic, one path).",
    },
    "scenario_deadline_beyond": {
        "da": '"-" ved fristen: fristen ligger efter prognosens horisont, så tallet er ukendt.',
        "en": '"-" at the deadline: the deadline is after the prognosis horizon, so the '
        "figure is unknown.",
    },
    "scenario_not_reached_bar": {"da": "ikke nået", "en": "not reached"},
    "tornado_note": {"da": "Bemærkning", "en": "Note"},
    "tornado_note_no_effect": {
        "da": "ingen virkning i denne model (parameteren bruges ikke, eller værdien begrænses)",
        "en": "no effect in this engine (the parameter is not used, or the value is clipped)",
    },
    "tornado_note_unchanged_input": {
        "da": "værdien er den nuværende (begrænset), så intet er afprøvet",
        "en": "the value is the current one (clipped), so nothing was tried",
    },
    "tornado_short_no_effect": {"da": "ingen virkning i modellen", "en": "no effect in engine"},
    "tornado_short_unchanged_input": {
        "da": "værdien er uændret (begrænset)",
        "en": "value unchanged (clipped)",
    },
    "tornado_short_undefined": {
        "da": "ukendt (uden for horisonten)",
        "en": "unknown (beyond the horizon)",
    },
    "tornado_note_undefined": {
        "da": "målet nås ikke inden for horisonten, så forskydningen kan ikke tælles",
        "en": "the target is not reached within the horizon, so the shift cannot be counted",
    },
    # Vintages (wgsforecast.vintages)
    "vintage_plot_title": {
        "da": "Tidligere prognoser mod faktiske tal",
        "en": "Vintages against actuals",
    },
    "vintage_reconstructed_short": {"da": "rekonstrueret", "en": "reconstructed"},
    "vintage_not_in_horizon": {
        "da": "ikke inden for horisonten",
        "en": "not within the horizon",
    },
    "vintage_unchanged": {"da": "uændret", "en": "unchanged"},
    "vintage_month": {"da": "måned", "en": "month"},
    "vintage_months": {"da": "måneder", "en": "months"},
    "vintage_later": {"da": "senere", "en": "later"},
    "vintage_earlier": {"da": "tidligere", "en": "earlier"},
    "vintage_since": {"da": "Siden «{name}»", "en": "Since {name}"},
    "vintage_compared_with": {
        "da": "Sammenlignet med «{name}» (samme data, til og med {as_of})",
        "en": "Compared with {name} (the same data, up to {as_of})",
    },
    "vintage_change": {
        "da": "{lead}: målet nås {current} mod {previous} ({move}); {deadline}.",
        "en": "{lead}: target reached {current} against {previous} ({move}); {deadline}.",
    },
    "vintage_deadline": {
        "da": "ved fristen {current} GE mod {previous} ({diff})",
        "en": "by the deadline {current} GE against {previous} ({diff})",
    },
    "vintage_deadline_unknown": {
        "da": "GE ved fristen kan ikke sammenlignes, da fristen ligger efter en af "
        "prognosernes horisont",
        "en": "GE by the deadline cannot be compared, as the deadline is after one of the "
        "prognoses' horizons",
    },
    "vintage_no_groups": {
        "da": "Den forrige prognose har kun nationale totaler, så ændringen kan ikke fordeles "
        "på patientgrupper.",
        "en": "The previous prognosis has national totals only, so the change cannot be "
        "attributed to patient groups.",
    },
    "vintage_groups_not_reached": {
        "da": "Ingen af versionerne når målet inden for horisonten, så ændringen kan ikke "
        "fordeles på patientgrupper.",
        "en": "No version reaches the target within the horizon, so the change cannot be "
        "attributed to patient groups.",
    },
    "vintage_no_group_moves": {
        "da": "Ingen enkelt patientgruppe flytter målmåneden.",
        "en": "No single patient group moves the target month.",
    },
    "vintage_group_moves": {
        "da": "{group}: flytter målet {n} mdr. {way}.",
        "en": "{group}: moves the target {n} months {way}.",
    },
    "vintage_group_later_horizon": {
        "da": "{group}: flytter målet senere, ud over horisonten.",
        "en": "{group}: moves the target later, beyond the horizon.",
    },
    "vintage_group_earlier_horizon": {
        "da": "{group}: flytter målet tidligere, ind fra ud over horisonten.",
        "en": "{group}: moves the target earlier, from beyond the horizon.",
    },
}


def quantile_label(q: float) -> str:
    """Return the column label of a quantile: 0.1 -> ``p10``, 0.975 -> ``p97.5``."""
    return f"p{100 * q:g}"


def label(key: str, lang: Lang = "da") -> str:
    """Return the text for ``key`` in ``lang``; an unknown key is a programming error."""
    return LABELS[key][lang]


def label_text(key: str) -> Text:
    """The label ``key`` in both languages, for a result that is shown later in either."""
    return Text(da=LABELS[key]["da"], en=LABELS[key]["en"])


def method_name(engine: str, lang: Lang) -> str:
    """A method's name for readers (``method_<engine>`` in the labels, else the engine)."""
    key = f"method_{engine}"
    return LABELS[key][lang] if key in LABELS else engine


def labels_with_prefix(prefix: str, lang: Lang = "da") -> dict[str, str]:
    """Return every label whose key starts with ``prefix``, keyed without the prefix.

    Modules with many texts of their own (scenarios, funding, ...) keep them under one
    prefix in :data:`LABELS` and read them all at once with this.
    """
    return {k.removeprefix(prefix): v[lang] for k, v in LABELS.items() if k.startswith(prefix)}


def month_text(month: pd.Period | None, lang: Lang = "da") -> str:
    """A month for running text, or "not within the horizon" for ``None``."""
    return label("not_reached", lang) if month is None else format_month(month, lang)
