"""What moved the bundled-data headline: the adoption engine with its parts added one by one.

Run from the repository root::

    .venv/bin/python benchmarks/headline_steps.py

Each row adds one part of the engine (same data, seed 2023, 2,000 paths, so the same random
numbers): the pooled prior alone, then the reference class, go-live slippage, the national
throughput walk and month shocks, each group's own level (its walk beyond its curve), and
the national capacity ceiling (the engine as shipped).
Prints a Markdown table: target month P50 and 80% interval, GE by mid-2024 (P50, P10-P90)
and P(target by June 2025).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

import wgsforecast as wf
from wgsforecast.engines import AdoptionEngine
from wgsforecast.engines._realisation import SlipPrior

PATHS = 2000
SEED = 2023


def main() -> int:
    """Print one table row per step."""
    warnings.simplefilter("ignore")
    data = wf.load_bundled()
    programme = data.assumptions.programme.model_copy(update={"capacity_wgs_per_year": None})
    no_ceiling = data.assumptions.model_copy(update={"programme": programme})
    no_slip = SlipPrior(median_months=1e-3, p_never=0.0)
    steps: list[tuple[str, dict[str, Any], wf.Assumptions]] = [
        (
            "pooled prior only",
            {
                "reference_weight": 0.0,
                "slip": no_slip,
                "throughput_sd_scale": 0.0,
                "group_level_scale": 0.0,
            },
            no_ceiling,
        ),
        (
            "+ reference class (prior weight 0.5, learned)",
            {"slip": no_slip, "throughput_sd_scale": 0.0, "group_level_scale": 0.0},
            no_ceiling,
        ),
        (
            "+ go-live slippage",
            {"throughput_sd_scale": 0.0, "group_level_scale": 0.0},
            no_ceiling,
        ),
        (
            "+ throughput random walk and month shocks",
            {"group_level_scale": 0.0},
            no_ceiling,
        ),
        ("+ each group's own level", {}, no_ceiling),
        ("+ national capacity ceiling (as shipped)", {}, data.assumptions),
    ]
    print("| step | P50 | 80% interval | GE by mid-2024, P50 (P10-P90) | P(by June 2025) |")
    print("|---|---|---|---|---:|")
    for name, options, assumptions in steps:
        engine = AdoptionEngine(**options).fit(data.actuals, data.groups, assumptions)
        prognosis = engine.forecast(n_paths=PATHS, seed=SEED)
        months = prognosis.target_month_quantiles()
        low, mid, high = np.percentile(
            prognosis.cumulative_at(pd.Period("2024-06", "M")), [10, 50, 90]
        )
        chance = prognosis.p_target_by("2025-06")
        print(
            f"| {name} | {months[0.5]} | {months[0.1]} to {months[0.9]} | "
            f"{mid:,.0f} ({low:,.0f}-{high:,.0f}) | {chance:.0%} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
