"""How realistic are the two synthetic generators? Compare them with the reference class.

Run from the repository root::

    .venv/bin/python benchmarks/generator_realism.py [--programmes 200]

Generator A is :func:`wgsforecast.simulate.simulate_programme` (ramps to a plateau), B is
:func:`wgsforecast.simulate_shortfall.simulate_shortfall_programme` (claims, slips, stalls,
ceilings). Each is simulated for 36 observed + 36 future months on seeds 1..N, and four
statistics are compared with the figures of ``/work/shared/reference/reference_class.md``
(derivations next to the constants below). The reference figures are programme-level and
few, so they give ranges to land in, not values to hit. Writes
``benchmarks/results/generators.md`` and prints it.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from wgsforecast.simulate import SimulatedProgramme, simulate_programme
from wgsforecast.simulate_shortfall import simulate_shortfall_programme

RESULTS = Path(__file__).resolve().parent / "results" / "generators.md"

# ---- Reference class (reference_class.md), with the derivations ---------------------------

CUMULATIVE_VS_PLAN: dict[str, float] = {
    # 1,500 patients by end May 2022 against about 5,000 expected in 2021 alone, i.e. about
    # 7,000 pro rata by May 2022: 1,500 / 7,000.
    "NGC 2021 expectation": 1_500 / 7_000,
    # 7,716 GE by 28 Feb 2023 of 60,000 over three years from June 2021: 20 of 36 months gone,
    # 33,333 pro rata (the 7,716 include GE from before June 2021, so this is generous).
    "NGC 60,000 GE": 7_716 / (60_000 * 20 / 36),
    # "more than 30,000 whole genomes" by Dec 2022 with about half of the 500,000 period gone.
    "NHS GMS": 30_000 / 250_000,
    # 6,000 genomes by Dec 2015 of 100,000 due by the end of 2017: 3 of 5 years gone.
    "Genomics England 2015": 6_000 / 60_000,
    # 41,200 in total by the end of 2024 against 235,000 a year from 2020 (five years).
    "France PFMG 2024": 41_200 / (5 * 235_000),
}
"""Cumulative volume done / cumulative volume planned pro rata, two to five years in."""

RATE_VS_DECLARED: dict[str, float] = {
    # (7,716 - 5,676) GE in Jan-Feb 2023 = 1,020 a month = 12,240 a year, against 20,000 a
    # year (60,000 over three years).
    "NGC early 2023": (7_716 - 5_676) / 2 * 12 / 20_000,
    # 30,000 genomes over Nov 2020 - Dec 2022 (25 months) = 14,400 a year, against 100,000
    # a year (500,000 over five years).
    "NHS GMS 2022": 30_000 / 25 * 12 / 100_000,
    # About 5,900 genomes in 2015 (the 100th in 2014, 6,000 by Dec 2015) against 20,000 a
    # year (100,000 over five years).
    "Genomics England 2015": 5_900 / 20_000,
    # 14,603 prescriptions validated in 2024 against 235,000 a year.
    "France PFMG 2024": 14_603 / 235_000,
}
"""Yearly volume two to five years in / yearly volume declared."""

STARTUP_MONTHS: dict[str, float] = {
    # Announced Dec 2012; about the 100th genome in 2014.
    "Genomics England (to the 100th genome)": 24,
    # NHS Long Term Plan Jan 2019; live clinical WGS from Nov 2020.
    "NHS GMS (to live clinical WGS)": 22,
    # 2016 plan; 16 cases by end Sep 2019 against a 2019 goal of 2,000.
    "France SeqOIA (to first cases)": 36,
}
"""Months from the plan to a first real volume (programme-level, not group-level)."""

GROWTH_PER_YEAR: dict[str, float] = {
    "Sweden 2022 on 2021": 6_700 / 5_000 - 1,
    "France 2024 on 2023": 0.35,
    # 118 persons in 2012 and 3,531 in 2012-2016: doubling each year gives
    # 118 x (1 + 2 + 4 + 8 + 16) = 3,658, so about +100% a year early on.
    "Norway 2012-2016 (derived)": 1.0,
}
"""Year-on-year growth once under way."""

# ---- Statistics of a simulated programme ---------------------------------------------------

N_MONTHS, HORIZON = 36, 36
Generator = Callable[[int], SimulatedProgramme]
GENERATORS: dict[str, Generator] = {
    "A (ramps)": lambda seed: simulate_programme(seed, n_months=N_MONTHS, horizon=HORIZON),
    "B (shortfall)": lambda seed: simulate_shortfall_programme(
        seed, n_months=N_MONTHS, horizon=HORIZON
    ),
}


def programme_stats(sim: SimulatedProgramme) -> dict[str, float]:
    """The comparison statistics of one programme (months counted from its first month)."""
    counts = pd.concat([sim.actuals, sim.future], ignore_index=True)
    first = sim.actuals["month"].min()
    total = N_MONTHS + HORIZON
    position = np.asarray([(m - first).n for m in counts["month"]])
    keys = sim.groups.keys
    ge = np.zeros((len(keys), total))
    ge[pd.Index(keys).get_indexer(pd.Index(counts["group"])), position] = counts["ge"]
    national = ge.sum(axis=0)
    declared = np.array([g.declared_per_year for g in sim.groups])
    planned = np.array(
        [np.inf if g.go_live is None else float((g.go_live - first).n) for g in sim.groups]
    )
    months = np.arange(total)
    plan = ((months[None, :] >= planned[:, None]) * declared[:, None] / 12).sum(axis=0)
    stats = {
        "cumulative / plan, month 36": float(national[:36].sum() / plan[:36].sum()),
        "year 3 / declared of groups planned live by month 24": float(
            national[24:36].sum() / declared[planned <= 24].sum()
        ),
        "growth, year 3 on year 2": float(national[24:36].sum() / national[12:24].sum() - 1)
        if national[12:24].sum() > 0
        else float("nan"),
        "growth, year 4 on year 3": float(national[36:48].sum() / national[24:36].sum() - 1)
        if national[24:36].sum() > 0
        else float("nan"),
    }
    delays = []
    for index in range(len(keys)):
        if not np.isfinite(planned[index]) or planned[index] > 24:
            continue
        threshold = 0.1 * declared[index] / 12
        reached = np.flatnonzero((ge[index] >= threshold) & (months >= planned[index]))
        delays.append(float(reached[0] - planned[index]) if reached.size else np.inf)
    stats["group start-up, months (median)"] = float(np.median(delays))
    stats["group start-up > 12 months (share)"] = float(np.mean(np.asarray(delays) > 12))
    return stats


def _summary(values: pd.Series) -> str:
    finite = values.replace([np.inf, -np.inf], np.nan)
    if finite.notna().sum() == 0:
        return "never"
    q10, q50, q90 = np.nanquantile(values.to_numpy(dtype=np.float64), [0.1, 0.5, 0.9])

    def show(x: float) -> str:
        return "never" if not np.isfinite(x) else f"{x:.2f}"

    return f"{show(q50)} ({show(q10)}-{show(q90)})"


def _reference(figures: dict[str, float]) -> str:
    values = np.array(list(figures.values()))
    return f"{np.median(values):.2f} ({values.min():.2f}-{values.max():.2f}); " + ", ".join(
        f"{name} {value:.2f}" for name, value in figures.items()
    )


def main(argv: list[str] | None = None) -> int:
    """Simulate both generators, compare with the reference class, write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=200, help="programmes each (200)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    frames = {}
    for name, generate in GENERATORS.items():
        rows = [programme_stats(generate(seed)) for seed in range(1, args.programmes + 1)]
        frames[name] = pd.DataFrame.from_records(rows)
    references = {
        "cumulative / plan, month 36": _reference(CUMULATIVE_VS_PLAN),
        "year 3 / declared of groups planned live by month 24": _reference(RATE_VS_DECLARED),
        "growth, year 3 on year 2": _reference(GROWTH_PER_YEAR),
        "growth, year 4 on year 3": _reference(GROWTH_PER_YEAR),
        "group start-up, months (median)": _reference(STARTUP_MONTHS)
        + " (programme-level: plan to first real volume)",
        "group start-up > 12 months (share)": "–",
    }
    header = ["statistic", *frames, "reference class: median (range); figures"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for statistic, reference in references.items():
        cells = [_summary(frame[statistic]) for frame in frames.values()]
        lines.append("| " + " | ".join([statistic, *cells, reference]) + " |")
    text = "\n".join(
        [
            "# The synthetic generators beside the reference class",
            "",
            f"Made by `.venv/bin/python benchmarks/generator_realism.py --programmes "
            f"{args.programmes}`: seeds 1-{args.programmes} of each generator, "
            f"{N_MONTHS} observed + {HORIZON} future months. Generator cells: median over "
            "programmes (P10-P90). Months count from the programme's first month.",
            "",
            "- *cumulative / plan*: GE done by month 36 over GE planned by then (every group "
            "at its declared volume from its planned go-live).",
            "- *year 3 / declared*: GE in months 25-36 over the yearly declared volume of the "
            "groups planned live by month 24.",
            "- *growth*: national GE of one programme year over the year before, minus 1.",
            "- *group start-up*: months from a group's planned go-live (groups planned by "
            "month 24) to its first month at 10% of its declared monthly volume ('never' "
            "if not within 72 months); the reference figures are for whole programmes, from "
            "the plan to a first real volume, so they compare only loosely.",
            "",
            "Reference figures and their derivations: `benchmarks/generator_realism.py` "
            "(from `reference_class.md`).",
            "",
            *lines,
            "",
        ]
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
