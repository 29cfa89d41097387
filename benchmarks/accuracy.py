"""Accuracy benchmark: our engines and the usual tools on two synthetic worlds and the bundled data.

Run from the repository root::

    .venv/bin/python benchmarks/accuracy.py            # both generators, 50 programmes each
    .venv/bin/python benchmarks/accuracy.py --programmes 4 --paths 100   # quick look
    .venv/bin/python benchmarks/accuracy.py --generators B --engines adoption,flat

Two generators of programmes with known truth, written apart and from different views of the
world, so an engine tuned on one is checked on the other:

* **A (ramps)**, :func:`wgsforecast.simulate.simulate_programme`: logistic or Gompertz ramps
  (fast, slow, delayed or stalled) from the planned go-live to a plateau at or below the cap,
  July and December dips and (with probability 0.5) a capacity shock. The registry's go-lives
  are the true ones.
* **B (shortfall)**, :func:`wgsforecast.simulate_shortfall.simulate_shortfall_programme`:
  declared volumes are claims (realised levels a lognormal share of them, median 0.25, up to
  the full declared volume), groups go live months after the *planned* go-live the registry
  carries (some never), linear, exponential, stalled or stepped growth, a national capacity
  ceiling in some programmes, and overdispersed counts with a shared month shock.

Seeds ``K+1..K+N`` (``--seed-offset K``, ``--programmes N``) of each generator; observed
histories are 18, 24, 30 or 36 months long (by seed), one origin each (the last observed
month), truth = the simulated 36 months after it. Every engine is fitted on the observed months
and scored on the cumulative national total +3, +6, +12 and +24 months later
(:func:`wgsforecast.backtesting.score_prognosis`), and on the month the target is reached.
The bundled (partly reconstructed) data are scored with the rolling-origin backtest at every
quarter end. Calibration (``benchmarks/calibrate_adoption.py``) uses seeds from 1001 on, so
the default seeds here stay held out.

Engines: every engine registered in :data:`wgsforecast.engines.ENGINES` (runrate, adoption,
ets, flat, and trend / ensemble when present) and, when the optional ``bench`` extra is
installed, Prophet (logistic growth, cap = cap share x declared / 12) and statsforecast
AutoETS (see ``benchmarks/comparators.py``). Each of our engines except flat is scored twice:
on the registry as the forecaster knows it (planned go-lives) and on the registry without the
planned go-live of every group that has no data at the origin (``..., no go-lives``), which
is what the comparators know.

Each simulated deadline is the true target month shifted by a seeded offset of -6..+6 months
(:data:`DEADLINE_OFFSETS`), so the truth meets it in about half the programmes and the Brier
score separates engines. Results go to ``benchmarks/results/accuracy.md`` and the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import sys
import time
from collections.abc import Callable
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
from wgsforecast.simulate import SimulatedProgramme, simulate_programme
from wgsforecast.simulate_shortfall import simulate_shortfall_programme

PREFERRED_ORDER = ("runrate", "adoption", "ets", "flat", "trend", "ensemble")
"""Our engines in table order; any other registered engine follows them."""
SAME_WITHOUT_GO_LIVES = ("flat", "trend")
"""Engines that never use a go-live month: scored once."""
NO_GO_LIVES = ", no go-lives"
"""Suffix of an engine fitted without the planned go-lives of groups not live at the origin."""
RESULTS = Path(__file__).resolve().parent / "results" / "accuracy.md"
HISTORY_MONTHS = (18, 24, 30, 36)
SHOCK_PROBABILITY = 0.5
DEADLINE_OFFSETS = (-6, 6)
"""Deadline = true target month + a seeded offset drawn uniformly from this range (inclusive)."""
HORIZON = 36
LEADS = (3, 6, 12, 24)
COVER_GOAL = (0.72, 0.88)
"""The goal for an 80% interval's coverage at every lead (issue 9)."""
MAX_WORKERS = 2

GENERATORS: dict[str, tuple[str, Callable[..., SimulatedProgramme]]] = {
    "A": ("A (ramps)", simulate_programme),
    "B": ("B (shortfall)", simulate_shortfall_programme),
}


def generate(generator: str, seed: int) -> SimulatedProgramme:
    """Programme ``seed`` of generator ``A`` or ``B``, as the benchmark and calibration use it."""
    low, high = DEADLINE_OFFSETS
    # A stream of its own, so the offset never changes the simulated programme itself.
    offset = int(np.random.default_rng([seed, 7]).integers(low, high + 1))
    n_months = HISTORY_MONTHS[seed % len(HISTORY_MONTHS)]
    if generator == "A":
        return simulate_programme(
            seed,
            n_months=n_months,
            horizon=HORIZON,
            shock_probability=SHOCK_PROBABILITY,
            deadline_offset=offset,
        )
    if generator == "B":
        return simulate_shortfall_programme(
            seed, n_months=n_months, horizon=HORIZON, deadline_offset=offset
        )
    raise ValueError(f"unknown generator {generator!r}; choose from {', '.join(GENERATORS)}")


def our_engines() -> list[str]:
    """Registered engines in table order (trend and ensemble are picked up when present)."""
    ordered = [name for name in PREFERRED_ORDER if name in ENGINES]
    return ordered + sorted(set(ENGINES) - set(ordered))


def engine_labels(ours: list[str], others: list[str], twins: bool = True) -> list[str]:
    """Table rows: each engine with planned go-lives, then (``twins``) its no-go-lives twin,
    then the comparators."""
    labels: list[str] = []
    for name in ours:
        labels.append(name)
        if twins and name not in SAME_WITHOUT_GO_LIVES:
            labels.append(name + NO_GO_LIVES)
    return labels + others


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
            group.model_copy(update={"go_live": None, "planned_go_live": None})
            if started < 0
            else group
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


def target_month_cover(
    prognosis: wf.Prognosis, truth: pd.Series, level: float = 0.8
) -> float | None:
    """Does the central ``level`` interval of the target month hold the true month?

    Censoring: an interval end that the paths do not reach within the horizon is "not
    reached" (later than any month of the horizon). When the truth reaches the target inside
    the horizon, the interval covers it iff its lower end is reached by then and its upper end
    is that month or later (an upper end "not reached" counts as later). When the truth does
    not reach the target inside the horizon, the interval covers it iff its upper end is "not
    reached". ``None`` (not scored): the target was met at or before the origin, the engine
    has one path, or the truth is not known over the whole horizon and has not reached the
    target within what is known.
    """
    if prognosis.n_paths < 2:
        return None
    origin, end = prognosis.as_of, prognosis.months[-1]
    cumulative = truth.cumsum()
    reached = cumulative[cumulative >= prognosis.programme.target_ge]
    tail = (1 - level) / 2
    low, high = prognosis.target_month(tail), prognosis.target_month(1 - tail)
    if not reached.empty and reached.index[0] <= origin:
        return None
    if not reached.empty and reached.index[0] <= end:
        month = reached.index[0]
        return float(low is not None and low <= month and (high is None or month <= high))
    if truth.index[-1] < end:
        return None  # the truth is not known far enough to say it is never reached
    return float(high is None)


def _records(
    case: dict[str, Any], engine: str, scored: list[tuple[int | None, str, float]]
) -> list[dict[str, Any]]:
    return [
        {**case, "engine": engine, "lead": lead, "metric": m, "value": v} for lead, m, v in scored
    ]


def _score_all(
    case: dict[str, Any],
    actuals: pd.DataFrame,
    groups: wf.GroupRegistry,
    assumptions: wf.Assumptions,
    n_paths: int,
    seed: int,
    wanted: list[str],
) -> list[dict[str, Any]]:
    """Fit every wanted engine at ``assumptions.as_of`` and score it on ``actuals`` after it."""
    others = comparators.available()
    truth = national_truth(actuals)
    settings = assumptions.model_copy(update={"horizon_months": HORIZON})
    case = {**case, "origin": str(settings.as_of)}
    records: list[dict[str, Any]] = []
    flags = _truth_flags(truth, settings)
    not_live = without_planned_go_lives(actuals, groups, settings.as_of)
    flags.append(("groups_not_live", float(sum(g.go_live is None for g in not_live))))
    flags.append(("groups", float(len(groups))))
    for label in wanted:
        name = label.removesuffix(NO_GO_LIVES)
        registry = not_live if label.endswith(NO_GO_LIVES) else groups
        started = time.perf_counter()
        if name in others:
            prognosis = comparators.forecast_with(
                name, others[name], actuals, groups, settings, n_paths, seed
            )
        else:
            prognosis = (
                ENGINES[name]()
                .fit(actuals, registry, settings)
                .forecast(n_paths=n_paths, seed=seed, progress=False)
            )
        seconds = time.perf_counter() - started
        scored: list[tuple[int | None, str, float]] = [
            *score_prognosis(prognosis, truth, LEADS),
            *((None, m, v) for m, v in flags),
            (None, "seconds", seconds),
        ]
        cover = target_month_cover(prognosis, truth)
        if cover is not None:
            scored.append((None, "target_cover80", cover))
        records.extend(_records(case, label, scored))
    return records


def simulated_case(
    generator: str, seed: int, n_paths: int, wanted: list[str]
) -> list[dict[str, Any]]:
    """Score every wanted engine on programme ``seed`` of ``generator`` at its as-of month."""
    import warnings

    warnings.simplefilter("ignore")
    sim = generate(generator, seed)
    actuals = pd.concat([sim.actuals, sim.future], ignore_index=True)
    case = {"generator": generator, "case": f"{generator}{seed:04d}", "seed": seed}
    return _score_all(case, actuals, sim.groups, sim.assumptions, n_paths, seed, wanted)


def bundled_case(origin: str, n_paths: int, wanted: list[str]) -> list[dict[str, Any]]:
    """Score every wanted engine on the bundled data cut at ``origin``."""
    import warnings

    warnings.simplefilter("ignore")
    data = wf.load_bundled()
    settings = data.assumptions.with_as_of(origin)
    case = {"generator": "bundled", "case": "bundled", "seed": 2023}
    return _score_all(case, data.actuals, data.groups, settings, n_paths, 2023, wanted)


def _table(scores: pd.DataFrame, engines: list[str]) -> pd.DataFrame:
    def mean(metric: str, lead: int | None) -> pd.Series:
        rows = scores[scores["metric"] == metric]
        rows = rows[rows["lead"].isna()] if lead is None else rows[rows["lead"] == lead]
        return rows.groupby("engine")["value"].mean()

    columns = {
        **{f"80% cover +{lead}": mean("cover80", lead) for lead in LEADS},
        "80% cover, mean of leads": pd.concat(
            [mean("cover80", lead) for lead in LEADS], axis=1
        ).mean(axis=1),
        "target-month 80% cover": mean("target_cover80", None),
        "CRPS % +3": mean("crps_pct", 3),
        "CRPS % +12": mean("crps_pct", 12),
        "CRPS % +24": mean("crps_pct", 24),
        "error % +12 (bias)": mean("pct_error", 12),
        "95% cover +12": mean("cover95", 12),
        "80% width % +12": mean("width80_pct", 12),
        "seconds per fit": mean("seconds", None),
        "cases": scores.drop_duplicates(["engine", "case", "origin"]).groupby("engine").size(),
    }
    table = pd.DataFrame(columns).reindex([e for e in engines if e in set(scores["engine"])])
    table.index.name = "engine"
    return table


def _events(scores: pd.DataFrame, engines: list[str]) -> pd.DataFrame:
    """Target month and deadline scores per engine, with what was censored or left out."""
    events = scores[scores["lead"].isna()].pivot_table(
        index=["engine", "case", "origin"], columns="metric", values="value", aggfunc="first"
    )
    for metric in (
        "target_month_error",
        "target_month_censored",
        "brier_deadline",
        "target_cover80",
        "deadline_met",
    ):
        if metric not in events:
            events[metric] = np.nan
    by_engine = events.groupby(level="engine")
    error = events["target_month_error"].abs()
    reached = events["target_month_censored"] == 0
    table = pd.DataFrame(
        {
            "target-month 80% cover": by_engine["target_cover80"].mean(),
            "cover cases": by_engine["target_cover80"].count(),
            "truth never reaches in horizon": (events["truth_reaches_target"] == 0)
            .groupby(level="engine")
            .sum(),
            "median error: cases": by_engine["target_month_error"].count(),
            "forecast never reaches (censored)": by_engine["target_month_censored"].sum(),
            "abs error, censored (months)": error.groupby(level="engine").mean(),
            "abs error, reached only (months)": error[reached].groupby(level="engine").mean(),
            "Brier (deadline)": by_engine["brier_deadline"].mean(),
            "base rate (truth meets deadline)": by_engine["deadline_met"].mean(),
            "Brier cases": by_engine["brier_deadline"].count(),
        }
    ).reindex([e for e in engines if e in set(scores["engine"])])
    table.index.name = "engine"
    return table


EVENT_DECIMALS = {
    "cover cases": 0,
    "truth never reaches in horizon": 0,
    "median error: cases": 0,
    "forecast never reaches (censored)": 0,
    "Brier cases": 0,
    "Brier (deadline)": 3,
    "target-month 80% cover": 3,
}


def _events_markdown(scores: pd.DataFrame, engines: list[str]) -> str:
    table = _events(scores, engines)
    if not table["median error: cases"].any() and not table["Brier cases"].any():
        never = int(table["truth never reaches in horizon"].max())
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
    if rows.empty:
        return ""
    wide = rows.pivot_table(index=["case", "origin"], columns="metric", values="value")
    missed = wide[wide["cover80"] == 0]
    above = int((missed["error"] < 0).sum())  # median below the truth and outside: above
    return (
        f"- {engine}: of the {len(missed)} misses at +{lead} months, the truth lay above the "
        f"interval {above} times and below it {len(missed) - above} times; the median error "
        f"is {wide['pct_error'].median():+.1f}% of the cumulative total and the median 80% "
        f"width {wide['width80_pct'].median():.1f}%."
    )


def _verdict(table: pd.DataFrame) -> list[str]:
    """The 72-88% goal, lead by lead, for every engine with an interval."""
    lines = []
    for name in table.index:
        covers = [table.at[name, f"80% cover +{lead}"] for lead in LEADS]
        if all(pd.isna(c) for c in covers):
            continue
        outside = [
            f"+{lead}"
            for lead, c in zip(LEADS, covers, strict=True)
            if not pd.isna(c) and not COVER_GOAL[0] <= c <= COVER_GOAL[1]
        ]
        shown = ", ".join(
            f"+{lead} {c:.1%}" for lead, c in zip(LEADS, covers, strict=True) if not pd.isna(c)
        )
        verdict = (
            "inside 72-88% at every lead" if not outside else f"OUTSIDE at {', '.join(outside)}"
        )
        lines.append(f"- {name}: {shown}: {verdict}.")
    return lines


def _precision_text(programmes: int, generators: int, blocks_per_generator: int) -> str:
    """How far an 80% coverage over ``programmes`` programmes strays by chance alone, for
    one lead and for every lead the run scores (``blocks_per_generator``: 2 with the
    no-go-lives twins, 1 without)."""
    from scipy.stats import binom

    low, high = math.ceil(COVER_GOAL[0] * programmes), math.floor(COVER_GOAL[1] * programmes)
    inside = float(binom.cdf(high, programmes, 0.8) - binom.cdf(low - 1, programmes, 0.8))
    leads = len(LEADS) * generators * blocks_per_generator
    parts = [f"{len(LEADS)} leads", f"{generators} generator{'s' if generators > 1 else ''}"]
    if blocks_per_generator > 1:
        parts.append("with and without go-lives")
    return (
        f"**How precise a coverage is.** With {programmes} programmes an 80% coverage has a "
        f"standard error of {100 * math.sqrt(0.16 / programmes):.1f} points: an interval that "
        f"holds the truth exactly 80% of the time lands inside 72-88% at one lead with "
        f"probability {inside:.3f} (binomial), and at all {leads} leads ({', '.join(parts)}) "
        f"with probability {inside**leads:.2f} if the leads were independent (they are not: "
        "leads of one programme move together, which raises it)."
    )


def _seeds_text(seeds: list[int]) -> str:
    if not seeds:
        return "none"
    if seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]}-{seeds[-1]}"
    return ", ".join(map(str, seeds))


def _generator_section(
    key: str, scores: pd.DataFrame, engines: list[str], seeds: list[int]
) -> list[str]:
    name = GENERATORS[key][0]
    planned = [e for e in engines if not e.endswith(NO_GO_LIVES)]
    without = [e + NO_GO_LIVES if e + NO_GO_LIVES in engines else e for e in planned]
    table = _table(scores, engines)
    return [
        f"## Generator {name}: {len(seeds)} programmes, seeds {_seeds_text(seeds)}",
        "",
        f"{_not_live(scores)}",
        "",
        "### With planned go-lives (the registry as the forecaster knows it)",
        "",
        _markdown(table.reindex([e for e in planned if e in table.index])),
        *(
            [
                "### Without planned go-lives (no go-live month for groups with no data yet)",
                "",
                "Comparators (Prophet, AutoETS) and flat never use go-lives, so they appear "
                "here as well as above with the same scores.",
                "",
                _markdown(table.reindex([e for e in without if e in table.index])),
            ]
            if any(e.endswith(NO_GO_LIVES) for e in engines)
            else []
        ),
        "80% coverage against the 72-88% goal:",
        "",
        *_verdict(table),
        *[
            line
            for line in (_misses(scores, e) for e in ("adoption", "adoption" + NO_GO_LIVES))
            if line
        ],
        "",
        "### Target month and deadline",
        "",
        _brier_reference(scores),
        "",
        _events_markdown(scores, engines),
    ]


def _parse_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write the Markdown results and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--generators", default="A,B", help="generators to score, comma-separated (A,B)"
    )
    parser.add_argument("--programmes", type=int, default=50, help="programmes per generator")
    parser.add_argument("--paths", type=int, default=300, help="paths per stochastic fit (300)")
    parser.add_argument(
        "--seed-offset",
        type=int,
        default=0,
        help="seeds are offset+1..offset+N (0; calibration uses 1000 and up)",
    )
    parser.add_argument(
        "--engines",
        default="",
        help="engines to score, comma-separated (default: every registered engine and "
        "comparator; 'adoption' brings 'adoption, no go-lives' with it)",
    )
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled backtest")
    parser.add_argument(
        "--planned-only",
        action="store_true",
        help="score each engine with the planned go-lives only (no 'no go-lives' twins)",
    )
    parser.add_argument("--workers", type=int, default=MAX_WORKERS, help="at most 2")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    args = parser.parse_args(argv)
    generators = [g.upper() for g in _parse_list(args.generators)]
    unknown = [g for g in generators if g not in GENERATORS]
    if unknown or not generators:
        parser.error(f"--generators: choose from {', '.join(GENERATORS)}; got {args.generators}")
    if args.programmes < 0 or args.paths < 2:
        parser.error("--programmes must be 0 or more and --paths at least 2")
    workers = max(1, min(args.workers, MAX_WORKERS, os.cpu_count() or 1))

    ours, others = our_engines(), list(comparators.available())
    if args.engines:
        asked = _parse_list(args.engines)
        known = set(ours) | set(others) | {"prophet", "sf_autoets"}
        bad = [e for e in asked if e not in known]
        if bad:
            parser.error(
                f"--engines: unknown {', '.join(bad)}; registered: {', '.join(ours)}; "
                f"comparators: prophet, sf_autoets"
            )
        ours = [e for e in ours if e in asked]
        others = [e for e in others if e in asked]
    engines = engine_labels(ours, others, twins=not args.planned_only)
    missing = [n for n in ("prophet", "sf_autoets") if n not in comparators.available()]
    if missing:
        print(
            f"comparators not installed, skipped: {', '.join(missing)} "
            "(install the bench extra: pip install -e '.[bench]')"
        )
    seeds = list(range(args.seed_offset + 1, args.seed_offset + args.programmes + 1))
    started = time.perf_counter()
    bundled = wf.load_bundled()
    origins = [] if args.no_bundled else [str(o) for o in default_origins(bundled.actuals)]
    records: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(simulated_case, generator, seed, args.paths, engines)
            for generator in generators
            for seed in seeds
        ]
        futures += [pool.submit(bundled_case, origin, args.paths, engines) for origin in origins]
        from tqdm.auto import tqdm

        for future in tqdm(futures, desc="cases", unit="case"):
            records.extend(future.result())
    elapsed = time.perf_counter() - started
    scores = pd.DataFrame.from_records(records)
    scores["lead"] = scores["lead"].astype("Int64")

    versions = {"numpy": np.__version__, "pandas": pd.__version__, "wgsforecast": wf.__version__}
    for package in ("prophet", "statsforecast"):
        with contextlib.suppress(ImportError):
            versions[package] = __import__(package).__version__
    command = (
        f".venv/bin/python benchmarks/accuracy.py --generators {','.join(generators)} "
        f"--programmes {args.programmes} --paths {args.paths} --seed-offset {args.seed_offset}"
        + (f" --engines {args.engines}" if args.engines else "")
        + (" --no-bundled" if args.no_bundled else "")
        + (" --planned-only" if args.planned_only else "")
    )
    sections: list[str] = []
    for generator in generators:
        subset = scores[scores["generator"] == generator]
        if not subset.empty:
            sections += _generator_section(generator, subset, engines, seeds)
    real = scores[scores["generator"] == "bundled"]
    if not real.empty:
        sections += [
            f"## Bundled data: rolling origins {origins[0]} to {origins[-1]} ({len(origins)})",
            "",
            "**The monthly counts per group are RECONSTRUCTED, not official** (see "
            "data/README.md); they end in February 2023, so +12 is scored only for origins up "
            "to February 2022 and +24 never. Few origins, early in the ramp-up: read these as "
            "a sanity check, not a ranking.",
            "",
            "**Hindsight.** Only the actuals are cut at each origin. The group registry is the "
            "one of March 2023: its declared volumes, go-live months and planned ramps were "
            "chosen so that the published method reproduces Table 1 of item 112/23, and it is "
            "used unchanged at the 2021-2022 origins. Engines that use go-lives and planned "
            "ramps therefore know, with hindsight, when groups not yet live started; the "
            f"`{NO_GO_LIVES.strip(', ')}` rows do not (but still use the 2023 declared volumes "
            f"and caps, as all engines do). {_not_live(real)}",
            "",
            _markdown(_table(real, engines).drop(columns=["CRPS % +24", "80% cover +24"])),
            _events_markdown(real, engines),
        ]
    text = "\n".join(
        [
            "# Accuracy benchmark",
            "",
            f"Made by `{command}` in {elapsed / 60:.1f} min with {workers} worker processes on "
            f"{os.cpu_count()} cores (Python {platform.python_version()}; "
            + ", ".join(f"{k} {v}" for k, v in versions.items())
            + f"). Seeds of each generator: {_seeds_text(seeds)}.",
            "",
            "Scores of the national cumulative total, from the sample paths "
            "(`wgsforecast.scoring`). CRPS % is the CRPS in % of the true cumulative total "
            "(scale-free, so programmes of different sizes weigh alike; lower is better). "
            "A one-path engine (runrate, flat) has CRPS = absolute error and no interval "
            "(coverage –). 80% cover +k: the share of programmes whose true cumulative total "
            "k months after the origin lies inside the central 80% interval (goal 72-88%). "
            "Seconds per fit: wall-clock time of one fit and forecast inside one of "
            f"{workers} worker processes running side by side (rough; `benchmarks/speed.py` "
            "times the engines alone).",
            "",
            "**Target-month 80% cover, with censoring.** The central 80% interval of the month "
            "the target is first reached (P10 to P90 over paths); an end the paths do not "
            f"reach within the {HORIZON}-month horizon is 'not reached'. If the truth reaches "
            "the target inside the horizon, the interval covers it iff its lower end is that "
            "month or earlier and its upper end that month or later ('not reached' counts as "
            "later). If the truth does not reach the target inside the horizon, the interval "
            "covers it iff its upper end is 'not reached'. Cases whose target was met at or "
            "before the origin are not scored, nor (bundled data) cases whose truth is known "
            "for less than the horizon and has not reached the target.",
            "",
            "**Information is not equal.** Engines that use the registry start a group with "
            "no data at the origin at its *planned go-live month*: the programme knows its "
            "onboarding plan, so this is legitimate, but flat, Prophet and AutoETS do not use "
            "it. Each engine `X, no go-lives` is X fitted on the registry with the go-live "
            "removed from every group without data at the origin, so it knows what the "
            "comparators know (declared volumes and caps, which all engines use, and the data)."
            " In generator A the planned go-live is the true one; in generator B groups slip "
            "behind it (and some never start), so the plan is itself a claim.",
            "",
            _precision_text(len(seeds), len(generators), 1 if args.planned_only else 2),
            "",
            *sections,
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
