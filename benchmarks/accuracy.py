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
from wgsforecast.periods import format_number
from wgsforecast.simulate import simulate_programme

OURS = ("runrate", "adoption", "ets", "flat")
RESULTS = Path(__file__).resolve().parent / "results" / "accuracy.md"
HISTORY_MONTHS = (18, 24, 30, 36)
SHOCK_PROBABILITY = 0.5


def _engines() -> tuple[list[str], dict[str, comparators.Kernel]]:
    ours = [name for name in OURS if name in ENGINES]
    return ours, comparators.available()


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
    for name in [*ours, *others]:
        started = time.perf_counter()
        if name in others:
            prognosis = comparators.forecast_with(
                name, others[name], actuals, groups, settings, n_paths, seed
            )
        else:
            prognosis = (
                ENGINES[name]()
                .fit(actuals, groups, settings)
                .forecast(n_paths=n_paths, seed=seed, progress=False)
            )
        seconds = time.perf_counter() - started
        for lead, metric, value in score_prognosis(prognosis, truth):
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
    sim = simulate_programme(
        seed,
        n_months=HISTORY_MONTHS[seed % len(HISTORY_MONTHS)],
        shock_probability=SHOCK_PROBABILITY,
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
        "target month abs error (months)": scores[scores["metric"] == "target_month_error"]
        .assign(value=lambda f: f["value"].abs())
        .groupby("engine")["value"]
        .mean(),
        "Brier (deadline)": mean("brier_deadline", None),
        "seconds per fit": mean("seconds", None),
        "cases": scores.drop_duplicates(["engine", "case", "origin"]).groupby("engine").size(),
    }
    table = pd.DataFrame(columns).reindex(engines)
    table.index.name = "engine"
    return table


def _wins(scores: pd.DataFrame, engines: list[str], lead: int = 12) -> pd.DataFrame:
    rows = scores[(scores["metric"] == "crps") & (scores["lead"] == lead)]
    wide = rows.pivot_table(index=["case", "origin"], columns="engine", values="value")
    out = {}
    for other in engines:
        if other == "adoption" or other not in wide or "adoption" not in wide:
            continue
        both = wide[["adoption", other]].dropna()
        ratio = both["adoption"] / both[other].where(both[other] > 0)
        out[other] = {
            "adoption better (share)": float((both["adoption"] < both[other]).mean()),
            "median CRPS ratio adoption/other": float(ratio.median()),
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
            places = decimals.get(str(column), 3 if "cover" in str(column) else 1)
            if str(column) in ("cases", "pairs") or "GE" in str(column):
                places = 0
            if "share" in str(column) or "Brier" in str(column) or "ratio" in str(column):
                places = 2
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
    cover = table.loc["adoption", "80% cover +12"]
    inside = 0.72 <= cover <= 0.88
    lines.append(
        f"- adoption 80% interval coverage at +12 months: {cover:.1%} "
        f"({'inside' if inside else 'OUTSIDE'} the 72-88% target); over all leads "
        f"{table.loc['adoption', '80% cover, all leads']:.1%}."
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
            "80% / 95% interval. Target month error: forecast median month minus the true "
            "month the target was reached (mean of absolute values; only cases where both "
            "exist). Brier: P(target reached by the deadline).",
            "",
            f"## Simulated programmes ({args.programmes}, seeds 1-{args.programmes})",
            "",
            f"Observed histories of {', '.join(map(str, HISTORY_MONTHS))} months (by seed), one "
            f"origin each (the last observed month); capacity shock probability "
            f"{SHOCK_PROBABILITY}; truth = the simulated future.",
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
            f"## Bundled data: rolling origins {origins[0]} to {origins[-1]} ({len(origins)})",
            "",
            "**The monthly counts per group are RECONSTRUCTED, not official** (see data/README.md);"
            " they end in February 2023, so +12 is scored only for origins up to February 2022 "
            "and +24 never. Few origins, early in the ramp-up: read these as a sanity check, "
            "not a ranking.",
            "",
            _markdown(bundled_table.drop(columns=["CRPS % +24"])),
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
