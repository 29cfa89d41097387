"""Tune the adoption engine's one calibrated constant, ``LEVEL_DRIFT_SD``, on held-out seeds.

The accuracy benchmark (``benchmarks/accuracy.py``) scores seeds 1-50; this script uses
simulated programmes with DIFFERENT seeds (default 1001-1050), built the same way (observed
histories of 18/24/30/36 months by seed, capacity shock probability 0.5), so the figure the
benchmark reports stays a held-out one. Each programme is fitted once; the forecast is then
repeated for every candidate drift, with the same forecast seed, and scored on the national
cumulative total at +3, +6, +12 and +24 months (80% coverage and CRPS in % of the truth).

The rule used for the constant: the smallest grid value whose 80% interval at +12 months
covers the truth in at least 80% of the programmes.

Run: ``.venv/bin/python benchmarks/calibrate_adoption.py [--first 1001 --count 50]``
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from wgsforecast.engines.adoption import AdoptionEngine
from wgsforecast.scoring import covered, crps
from wgsforecast.simulate import simulate_programme

HISTORY_MONTHS = (18, 24, 30, 36)  # as in benchmarks/accuracy.py
SHOCK_PROBABILITY = 0.5
LEADS = (3, 6, 12, 24)
GRID = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03)


def score_seed(seed: int, grid: tuple[float, ...], n_paths: int) -> list[dict[str, Any]]:
    """Fit programme ``seed`` once and score a forecast per candidate drift."""
    warnings.simplefilter("ignore")
    sim = simulate_programme(
        seed,
        n_months=HISTORY_MONTHS[seed % len(HISTORY_MONTHS)],
        shock_probability=SHOCK_PROBABILITY,
    )
    settings = sim.assumptions.model_copy(update={"horizon_months": 36})
    history = float(sim.actuals["ge"].sum())
    future = sim.future
    truth = {
        lead: history + float(future[future["month"] <= settings.as_of + lead]["ge"].sum())
        for lead in LEADS
    }
    engine = AdoptionEngine().fit(sim.actuals, sim.groups, settings)
    rows = []
    for drift in grid:
        engine.level_drift_sd = drift
        prognosis = engine.forecast(n_paths=n_paths, seed=seed, progress=False)
        monthly = prognosis.ge[:, :, prognosis.is_projected].sum(axis=1)
        row: dict[str, Any] = {"seed": seed, "level_drift_sd": drift}
        for lead, y in truth.items():
            total = history + monthly[:, :lead].sum(axis=1)
            row[f"cover80 +{lead}"] = float(covered(total, y, 0.8))
            row[f"CRPS % +{lead}"] = float(crps(total, y)) / y * 100
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Score the grid on the held-out seeds and print the table and the chosen value."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=1001, help="first seed (1001)")
    parser.add_argument("--count", type=int, default=50, help="programmes (50)")
    parser.add_argument("--paths", type=int, default=300, help="paths per forecast (300)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    if args.first <= 50:
        parser.error("seeds 1-50 are the accuracy benchmark's; tune on other seeds")
    seeds = range(args.first, args.first + args.count)
    records: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for rows in pool.map(score_seed, seeds, [GRID] * len(seeds), [args.paths] * len(seeds)):
            records.extend(rows)
    table = pd.DataFrame.from_records(records).drop(columns="seed")
    summary = table.groupby("level_drift_sd").mean()
    print(f"seeds {seeds.start}-{seeds.stop - 1}, {args.paths} paths")
    print(summary.round(3).to_string())
    good = summary.index[summary["cover80 +12"] >= 0.8]
    chosen = float(np.min(good)) if len(good) else float("nan")
    print(f"smallest drift with 80% coverage at +12 months >= 80%: {chosen}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
