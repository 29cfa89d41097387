"""Accuracy benchmark: our engines and the usual tools on simulated programmes and the bundled data.

Run from the repository root::

    .venv/bin/python benchmarks/accuracy.py            # 50 programmes, 300 paths
    .venv/bin/python benchmarks/accuracy.py --programmes 10 --paths 100   # quick look

Each simulated programme (:func:`wgsforecast.simulate.simulate_programme`, seeds 1..N) has a
known future: ramps that are fast, slow, delayed or stalled, plateaus at or below the cap,
July and December dips and (with probability 0.5) a capacity shock. Observed histories are 18,
24, 30 or 36 months long (by seed), so origins fall early and late in the ramp-up. Every
engine is fitted on the observed months only and scored on the cumulative national total
+3, +6, +12 and +24 months later (:func:`wgsforecast.backtesting.score_prognosis`). The bundled
(partly reconstructed) data are scored with the rolling-origin backtest at every quarter end.

Engines: runrate (the published method with its default assumptions), adoption, ets, flat,
and, when the optional ``bench`` extra is installed, Prophet (logistic growth, cap = cap share x
declared / 12) and statsforecast AutoETS (see ``benchmarks/comparators.py``). The results go
to ``benchmarks/results/accuracy.md`` and the terminal.

Information is not equal: runrate, adoption and ets start a group with no data yet at its
planned go-live month, which the programme knows from its onboarding plan; flat, Prophet and
AutoETS hold such groups at zero. The engine ``adoption, no go-lives`` is the adoption engine
fitted on a registry in which every group without data at the origin has its go-live
removed, so it knows exactly what the comparators know.

Each simulated programme's deadline is the month its true total reaches the target shifted
by a seeded offset of -6..+6 months (:data:`DEADLINE_OFFSETS`), so the truth meets it in
about half the programmes and the Brier score separates engines; the share that meets it
(the base rate) is reported beside the scores.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import comparators

import wgsforecast as wf
from wgsforecast.backtesting import default_origins, national_truth, score_prognosis
from wgsforecast.engines import ENGINES
from wgsforecast.engines.base import history_from_actuals
from wgsforecast.periods import format_number
from wgsforecast.simulate import simulate_programme

OURS = ("runrate", "adoption", "ets", "flat")
NO_GO_LIVES = "adoption, no go-lives"
"""The adoption engine without the planned go-lives of groups not live at the origin."""
RESULTS = Path(__file__).resolve().parent / "results" / "accuracy.md"
HISTORY_MONTHS = (18, 24, 30, 36)
SHOCK_PROBABILITY = 0.5
DEADLINE_OFFSETS = (-6, 6)
"""Deadline = true target month + a seeded offset drawn uniformly from this range (inclusive)."""


def _engines() -> tuple[list[str], dict[str, comparators.Kernel]]:
    ours = [name for name in OURS if name in ENGINES]
    if "adoption" in ours:
        ours.insert(ours.index("adoption") + 1, NO_GO_LIVES)
    return ours, comparators.available()


def without_planned_go_lives(
    actuals: pd.DataFrame, groups: wf.GroupRegistry, as_of: pd.Period
) -> wf.GroupRegistry:
    """The registry with the go-live removed from every group that has no data at ``as_of``.

    An engine then projects those groups at zero, as the comparators do, instead of starting
    them at their planned go-live month.
    """
    history = history_from_actuals(actuals, groups, as_of)
    return wf.GroupRegistry(
        [
            group.model_copy(update={"go_live": None}) if started < 0 else group
            for group, started in zip(groups, history.started, strict=True)
        ]
    )


def _truth_flags(truth: pd.Series, settings: wf.Assumptions) -> list[tuple[str, float]]:
    """Engine-free facts of a case: does the truth reach the target, meet the deadline?"""
    cumulative = truth.cumsum()
    programme, origin = settings.programme, settings.as_of
    reached = cumulative[cumulative >= programme.target_ge]
    flags = [("truth_reaches_target", float(not reached.empty and reached.index[0] > origin))]
    horizon_end = origin + settings.horizon_months
    if origin < programme.deadline <= min(cumulative.index[-1], horizon_end):
        done = float(cumulative.to_numpy()[(programme.deadline - cumulative.index[0]).n])
        flags.append(("deadline_met", float(done >= programme.target_ge)))
    return flags


def _score_all(
    label: str,
    actuals: pd.DataFrame,
    groups: wf.GroupRegistry,
    assumptions: wf.Assumptions,
    n_paths: int,
    seed: int,
) -> list[dict[str, Any]]:
    """Fit every engine at ``assumptions.as_of`` and score it on ``actuals`` after it."""
    ours, others = _engines()
    truth = national_truth(actuals)
    settings = assumptions.model_copy(update={"horizon_months": 36})
    records: list[dict[str, Any]] = []
    flags = _truth_flags(truth, settings)
    not_live = without_planned_go_lives(actuals, groups, settings.as_of)
    flags.append(("groups_not_live", float(sum(g.go_live is None for g in not_live))))
    flags.append(("groups", float(len(groups))))
    for name in [*ours, *others]:
        started = time.perf_counter()
        if name in others:
            prognosis = comparators.forecast_with(
                name, others[name], actuals, groups, settings, n_paths, seed
            )
        elif name == NO_GO_LIVES:
            prognosis = (
                ENGINES["adoption"]()
                .fit(actuals, not_live, settings)
                .forecast(n_paths=n_paths, seed=seed, progress=False)
            )
        else:
            prognosis = (
                ENGINES[name]()
                .fit(actuals, groups, settings)
                .forecast(n_paths=n_paths, seed=seed, progress=False)
            )
        seconds = time.perf_counter() - started
        scored = [*score_prognosis(prognosis, truth), *((None, m, v) for m, v in flags)]
        for lead, metric, value in scored:
            records.append(
                {
                    "case": label,
                    "origin": str(settings.as_of),
                    "engine": name,
                    "lead": lead,
                    "metric": metric,
                    "value": value,
                }
            )
        records.append(
            {
                "case": label,
                "origin": str(settings.as_of),
                "engine": name,
                "lead": None,
                "metric": "seconds",
                "value": seconds,
            }
        )
    return records


def simulated_case(seed: int, n_paths: int) -> list[dict[str, Any]]:
    """Score every engine on simulated programme ``seed`` at its as-of month."""
    import warnings

    warnings.simplefilter("ignore")
    # A stream of its own, so the offset never changes the simulated programme itself.
    low, high = DEADLINE_OFFSETS
    offset = int(np.random.default_rng([seed, 7]).integers(low, high + 1))
    sim = simulate_programme(
        seed,
        n_months=HISTORY_MONTHS[seed % len(HISTORY_MONTHS)],
        shock_probability=SHOCK_PROBABILITY,
        deadline_offset=offset,
    )
    actuals = pd.concat([sim.actuals, sim.future], ignore_index=True)
    return _score_all(f"sim{seed:02d}", actuals, sim.groups, sim.assumptions, n_paths, seed)


def bundled_case(origin: str, n_paths: int) -> list[dict[str, Any]]:
    """Score every engine on the bundled data cut at ``origin``."""
    import warnings

    warnings.simplefilter("ignore")
    data = wf.load_bundled()
    settings = data.assumptions.with_as_of(origin)
    return _score_all("bundled", data.actuals, data.groups, settings, n_paths, 2023)


def _table(scores: pd.DataFrame, engines: list[str]) -> pd.DataFrame:
    def mean(metric: str, lead: int | None) -> pd.Series:
        rows = scores[scores["metric"] == metric]
        rows = rows[rows["lead"].isna()] if lead is None else rows[rows["lead"] == lead]
        return rows.groupby("engine")["value"].mean()

    def median(metric: str, lead: int) -> pd.Series:
        rows = scores[(scores["metric"] == metric) & (scores["lead"] == lead)]
        return rows.groupby("engine")["value"].median()

    columns = {
        "CRPS % +3": mean("crps_pct", 3),
        "CRPS % +12": mean("crps_pct", 12),
        "CRPS % +12 (median)": median("crps_pct", 12),
        "CRPS % +24": mean("crps_pct", 24),
        "CRPS GE +12": mean("crps", 12),
        "abs error % +12": mean("abs_pct_error", 12),
        "error % +12 (bias)": mean("pct_error", 12),
        "80% cover +12": mean("cover80", 12),
        "80% cover, all leads": scores[scores["metric"] == "cover80"]
        .groupby("engine")["value"]
        .mean(),
        "95% cover +12": mean("cover95", 12),
        "80% width % +12": mean("width80_pct", 12),
        "seconds per fit": mean("seconds", None),
        "cases": scores.drop_duplicates(["engine", "case", "origin"]).groupby("engine").size(),
    }
    table = pd.DataFrame(columns).reindex(engines)
    table.index.name = "engine"
    return table


def _events(scores: pd.DataFrame, engines: list[str]) -> pd.DataFrame:
    """Target month and deadline scores per engine, with what was censored or left out."""
    events = scores[scores["lead"].isna()].pivot_table(
        index=["engine", "case", "origin"], columns="metric", values="value", aggfunc="first"
    )
    for metric in ("target_month_error", "target_month_censored", "brier_deadline"):
        if metric not in events:
            events[metric] = np.nan
    by_engine = events.groupby(level="engine")
    error = events["target_month_error"].abs()
    reached = events["target_month_censored"] == 0
    table = pd.DataFrame(
        {
            "target month: cases scored": by_engine["target_month_error"].count(),
            "forecast never reaches (censored)": by_engine["target_month_censored"].sum(),
            "truth never reaches (not scored)": (events["truth_reaches_target"] == 0)
            .groupby(level="engine")
            .sum(),
            "abs error, censored (months)": error.groupby(level="engine").mean(),
            "abs error, reached only (months)": error[reached].groupby(level="engine").mean(),
            "Brier (deadline)": by_engine["brier_deadline"].mean(),
            "base rate (truth meets deadline)": by_engine["deadline_met"].mean()
            if "deadline_met" in events
            else np.nan,
            "Brier cases": by_engine["brier_deadline"].count(),
        }
    ).reindex(engines)
    table.index.name = "engine"
    return table


EVENT_DECIMALS = {
    "target month: cases scored": 0,
    "forecast never reaches (censored)": 0,
    "truth never reaches (not scored)": 0,
    "Brier cases": 0,
    "Brier (deadline)": 3,
}


def _events_markdown(scores: pd.DataFrame, engines: list[str]) -> str:
    table = _events(scores, engines)
    if not table["target month: cases scored"].any() and not table["Brier cases"].any():
        never = int(table["truth never reaches (not scored)"].max())
        return (
            "No target month or deadline score: the known truth never reaches the target "
            f"after the origin ({never} origins) and no deadline lies inside the known truth.\n"
        )
    return _markdown(table, EVENT_DECIMALS)


def _not_live(scores: pd.DataFrame) -> str:
    """How many groups had no data at the origin (so go-live knowledge mattered)."""
    rows = scores[scores["metric"].isin(["groups_not_live", "groups"])].drop_duplicates(
        ["case", "origin", "metric"]
    )
    totals = rows.groupby("metric")["value"].sum()
    cases = rows.drop_duplicates(["case", "origin"])
    return (
        f"At the {len(cases)} origins, {int(totals.get('groups_not_live', 0))} of "
        f"{int(totals.get('groups', 0))} groups had no data yet."
    )


def _brier_reference(scores: pd.DataFrame) -> str:
    """The Brier score of always forecasting the base rate, for scale."""
    met = scores[scores["metric"] == "deadline_met"].drop_duplicates(["case", "origin"])
    if met.empty:
        return "- No case has a deadline inside both the horizon and the known truth."
    rate = float(met["value"].mean())
    return (
        f"- The truth meets the deadline in {int(met['value'].sum())} of {len(met)} cases "
        f"(base rate {rate:.2f}); always forecasting that rate would score Brier "
        f"{rate * (1 - rate):.3f} (known only in hindsight), always 0 or 1 would score "
        f"{rate:.2f} or {1 - rate:.2f}."
    )


def _wins(
    scores: pd.DataFrame, engines: list[str], base: str = "adoption", lead: int = 12
) -> pd.DataFrame:
    rows = scores[(scores["metric"] == "crps") & (scores["lead"] == lead)]
    wide = rows.pivot_table(index=["case", "origin"], columns="engine", values="value")
    out = {}
    for other in engines:
        if other == base or other not in wide or base not in wide:
            continue
        both = wide[[base, other]].dropna()
        ratio = both[base] / both[other].where(both[other] > 0)
        out[other] = {
            f"{base} better (share)": float((both[base] < both[other]).mean()),
            "median CRPS ratio": float(ratio.median()),
            "pairs": len(both),
        }
    return pd.DataFrame(out).T


def _markdown(table: pd.DataFrame, decimals: dict[str, int] | None = None) -> str:
    decimals = decimals or {}
    header = [str(table.index.name or ""), *map(str, table.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, row in table.iterrows():
        cells = [str(index)]
        for column, value in row.items():
            if pd.isna(value):
                cells.append("–")
                continue
            places = 3 if "cover" in str(column) else 1
            if str(column) in ("cases", "pairs") or "GE" in str(column):
                places = 0
            if any(word in str(column) for word in ("share", "Brier", "ratio", "rate")):
                places = 2
            places = decimals.get(str(column), places)
            cells.append(format_number(float(value), "en", places))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _misses(scores: pd.DataFrame, engine: str = "adoption", lead: int = 12) -> str:
    """Where the truth fell when the 80% interval missed it: above or below the interval."""
    rows = scores[(scores["engine"] == engine) & (scores["lead"] == lead)]
    wide = rows.pivot_table(index=["case", "origin"], columns="metric", values="value")
    missed = wide[wide["cover80"] == 0]
    above = int((missed["error"] < 0).sum())  # median below the truth and outside: above
    return (
        f"- Of the {len(missed)} misses at +{lead} months, the truth lay above the interval "
        f"{above} times and below it {len(missed) - above} times; the median error is "
        f"{wide['pct_error'].median():+.1f}% of the cumulative total and the median 80% "
        f"width {wide['width80_pct'].median():.1f}%."
    )


def _verdict(table: pd.DataFrame) -> list[str]:
    lines = []
    if "adoption" not in table.index:
        return ["The adoption engine is not available in this build; no verdict."]
    crps = table["CRPS % +12"]
    for other in ("flat", "ets"):
        if other in crps.index and not pd.isna(crps[other]):
            better = crps["adoption"] < crps[other]
            lines.append(
                f"- adoption vs {other}: mean CRPS of the 12-month cumulative total "
                f"{crps['adoption']:.2f}% vs {crps[other]:.2f}% of the truth -> "
                f"{'adoption better' if better else 'adoption WORSE'} "
                f"(by {abs(crps[other] - crps['adoption']):.2f} points, "
                f"{abs(1 - crps['adoption'] / crps[other]) * 100:.0f}%)."
            )
    if NO_GO_LIVES in crps.index:
        for other in ("adoption", "flat", "prophet", "sf_autoets"):
            if other in crps.index and not pd.isna(crps[other]):
                better = crps[NO_GO_LIVES] < crps[other]
                lines.append(
                    f"- {NO_GO_LIVES} vs {other}: {crps[NO_GO_LIVES]:.2f}% vs "
                    f"{crps[other]:.2f}% -> {'better' if better else 'WORSE'}."
                )
    for name in ("adoption", NO_GO_LIVES):
        if name not in table.index:
            continue
        cover = float(table.at[name, "80% cover +12"])
        overall = float(table.at[name, "80% cover, all leads"])
        inside = 0.72 <= cover <= 0.88
        lines.append(
            f"- {name} 80% interval coverage at +12 months: {cover:.1%} "
            f"({'inside' if inside else 'OUTSIDE'} the 72-88% target); over all leads "
            f"{overall:.1%}."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write the Markdown results and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=50, help="simulated programmes (50)")
    parser.add_argument("--paths", type=int, default=300, help="paths per stochastic fit (300)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    args = parser.parse_args(argv)

    ours, others = _engines()
    engines = [*ours, *others]
    missing = [name for name in ("prophet", "sf_autoets") if name not in others]
    if missing:
        print(
            f"comparators not installed, skipped: {', '.join(missing)} "
            "(install the bench extra: pip install -e '.[bench]')"
        )
    started = time.perf_counter()
    bundled = wf.load_bundled()
    origins = [str(o) for o in default_origins(bundled.actuals)]
    records: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [
            pool.submit(simulated_case, seed, args.paths) for seed in range(1, args.programmes + 1)
        ]
        futures += [pool.submit(bundled_case, origin, args.paths) for origin in origins]
        from tqdm.auto import tqdm

        for future in tqdm(futures, desc="cases", unit="case"):
            records.extend(future.result())
    elapsed = time.perf_counter() - started
    scores = pd.DataFrame.from_records(records)
    scores["lead"] = scores["lead"].astype("Int64")
    simulated = scores[scores["case"] != "bundled"]
    real = scores[scores["case"] == "bundled"]

    sim_table = _table(simulated, engines)
    bundled_table = _table(real, engines)
    versions = {"numpy": np.__version__, "pandas": pd.__version__, "wgsforecast": wf.__version__}
    for package in ("prophet", "statsforecast"):
        with contextlib.suppress(ImportError):
            versions[package] = __import__(package).__version__
    text = "\n".join(
        [
            "# Accuracy benchmark",
            "",
            f"Made by `.venv/bin/python benchmarks/accuracy.py --programmes {args.programmes} "
            f"--paths {args.paths}` in {elapsed / 60:.1f} min on {os.cpu_count()} cores "
            f"(Python {platform.python_version()}; "
            + ", ".join(f"{k} {v}" for k, v in versions.items())
            + ").",
            "",
            "Scores of the national cumulative total, from the sample paths "
            "(`wgsforecast.scoring`). CRPS % is the CRPS in % of the true cumulative total "
            "(scale-free, so programmes of different sizes weigh alike; lower is better). "
            "A one-path engine (runrate, flat) has CRPS = absolute error and no interval "
            "(coverage –). Coverage is the share of cases whose truth lies inside the central "
            "80% / 95% interval. "
            f"Seconds per fit: wall-clock time of one fit and forecast inside one of "
            f"{args.workers} worker processes running side by side on {os.cpu_count()} cores "
            "(not timed alone: the other worker, and any other job on the machine, compete "
            "for the cores, so read it as rough; `benchmarks/speed.py` times the engines "
            "alone).",
            "",
            "**Information is not equal.** runrate, adoption and ets start a group that has "
            "no data at the origin at its *planned go-live month* (and runrate/ets follow its "
            "planned ramp): the programme knows its onboarding plan, so this is legitimate, "
            "but flat, Prophet and AutoETS do not use it and hold such groups at zero. "
            f"`{NO_GO_LIVES}` is the adoption engine with the go-live removed from every "
            "group without data at the origin, so it knows exactly what the comparators know "
            "(declared volumes and caps, which all engines here use, and the data).",
            "",
            f"## Simulated programmes ({args.programmes}, seeds 1-{args.programmes})",
            "",
            f"Observed histories of {', '.join(map(str, HISTORY_MONTHS))} months (by seed), one "
            f"origin each (the last observed month); capacity shock probability "
            f"{SHOCK_PROBABILITY}; truth = the simulated future (36 months). "
            f"{_not_live(simulated)}",
            "",
            _markdown(sim_table),
            "Done-when check (adoption engine):",
            "",
            *_verdict(sim_table),
            *([_misses(simulated)] if "adoption" in engines else []),
            "",
            "Head to head, CRPS of the 12-month cumulative total, same programme:",
            "",
            _markdown(_wins(simulated, engines).rename_axis("other engine")),
            _markdown(_wins(simulated, engines, NO_GO_LIVES).rename_axis("other engine"))
            if NO_GO_LIVES in engines
            else "",
            "### Target month and deadline",
            "",
            "Target month error: the month the forecast median reaches the target minus "
            "the month the truth does, scored when the truth reaches the target after the "
            "origin within the known truth (cases where it does not are counted, not scored). "
            "When the forecast median does not reach the target within the 36-month horizon "
            "the error is censored: it is at least horizon end + 1 - true month, and that "
            "lower bound enters the mean (column 'censored'); dropping those cases, as the "
            "last column does for comparison, would reward forecasts too slow to get there. "
            "Brier: (P(target reached by the deadline) - outcome)^2, mean over cases; lower "
            "is better. Each simulated deadline is the true target month shifted by a seeded "
            f"offset of {DEADLINE_OFFSETS[0]}..+{DEADLINE_OFFSETS[1]} months, so the truth "
            "meets it in about half of the programmes.",
            "",
            _brier_reference(simulated),
            "",
            _events_markdown(simulated, engines),
            f"## Bundled data: rolling origins {origins[0]} to {origins[-1]} ({len(origins)})",
            "",
            "**The monthly counts per group are RECONSTRUCTED, not official** (see data/README.md);"
            " they end in February 2023, so +12 is scored only for origins up to February 2022 "
            "and +24 never. Few origins, early in the ramp-up: read these as a sanity check, "
            "not a ranking.",
            "",
            "**Hindsight.** Only the actuals are cut at each origin. The group registry is the "
            "one of March 2023: its declared volumes, go-live months and planned ramps were "
            "chosen so that the published method reproduces Table 1 of item 112/23, and it is "
            "used unchanged at the 2021-2022 origins. Engines that use go-lives and planned "
            "ramps (runrate, adoption, ets) therefore know, with hindsight, when groups not "
            f"yet live started; `{NO_GO_LIVES}` does not (but still uses the 2023 declared "
            f"volumes and caps, as all engines do). {_not_live(real)}",
            "",
            _markdown(bundled_table.drop(columns=["CRPS % +24"])),
            _events_markdown(real, engines),
        ]
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    from wgsforecast.io import atomic_write_text

    atomic_write_text(args.out, text)
    print(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
