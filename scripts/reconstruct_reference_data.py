"""Reconstruct plausible monthly GE per patient group, October 2020 to February 2023.

RECONSTRUCTED, NOT OFFICIAL. Per-group monthly counts are not public. This script builds a
deterministic stand-in that honours every public anchor (item 112/23 and the press):

* zero before October 2020 (first clinical WGS planned Oct-Nov 2020, pilot: rare diseases);
* about 1,500 cumulative by the end of May 2022 (press figure; we use exactly 1,500);
* exactly 5,676 GE in 2019-2022 and exactly 7,716 through February 2023;
* groups start at their public go-live months where known (data/patient_groups.csv says which
  go-lives are published and which are assumed);
* a ramp after go-live toward an assumed level in early 2023, dips in July and December, and
  fixed-seed Poisson noise.

The smooth shape is first multiplied by a factor that changes continuously over time (linear
between one knot per anchor segment), solved so that each segment (Oct 2020-May 2022, Jun-Dec
2022, Jan-Feb 2023) gets its public total; a factor per segment instead would put artificial
jumps at the segment borders, which a fitted model would then read as a seasonal effect. After
the noise, each segment is rescaled to its exact total and rounded with the largest-remainder
method, so the anchors hold to the unit.

Run from the repository root::

    .venv/bin/python scripts/reconstruct_reference_data.py

It rewrites ``data/actuals_monthly_reconstructed.csv``; running it twice gives the same file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GROUPS_CSV = ROOT / "data" / "patient_groups.csv"
OUTPUT_CSV = ROOT / "data" / "actuals_monthly_reconstructed.csv"

FIRST_MONTH = pd.Period("2020-10", "M")
LAST_MONTH = pd.Period("2023-02", "M")
SEGMENTS = (  # (last month of the segment, exact GE in the segment)
    (pd.Period("2022-05", "M"), 1_500),  # ~1,500 by end of May 2022 (ing.dk, 2022)
    (pd.Period("2022-12", "M"), 5_676 - 1_500),  # 5,676 in 2019-2022 (item 112/23)
    (pd.Period("2023-02", "M"), 7_716 - 5_676),  # 7,716 by 28 Feb 2023 (item 112/23)
)
SEED = 20230315  # the date of the meeting; any fixed seed would do

# ASSUMED monthly GE each group had reached by early 2023 (before segment scaling).
LEVEL_EARLY_2023 = {
    "endokrinologi": 40,
    "primaer-immundefekt": 14,
    "arvelige-hjertesygdomme": 50,
    "nyresvigt": 30,
    "neurogenetik": 120,
    "foetal-medicin": 25,
    "oftalmologi": 18,
    "sjaeldne-sygdomme": 380,
    "boern-unge-kraeft": 25,
    "unge-voksne-arvelig-kraeft": 100,
    "udbredt-uhelbredelig-kraeft": 80,
    "haematologisk-cancer": 40,
    "arvelig-haematologisk": 15,
}
# ASSUMED: the rare-disease pilot ran at a low level for children only until adults were
# added in 2021; its ramp to the 2023 level is slow.
RAMP_MONTHS = {"sjaeldne-sygdomme": 26}
DEFAULT_RAMP_MONTHS = 8
SEASONAL = {7: 0.75, 12: 0.8}  # ASSUMED holiday dips (July, December)


def expected_counts(groups: pd.DataFrame, months: pd.PeriodIndex) -> pd.DataFrame:
    """Smooth expected GE per group and month, before scaling to the anchors."""
    table = pd.DataFrame(0.0, index=months, columns=list(LEVEL_EARLY_2023))
    for key, level in LEVEL_EARLY_2023.items():
        go_live = pd.Period(groups.loc[key, "go_live"], "M")
        ramp = RAMP_MONTHS.get(key, DEFAULT_RAMP_MONTHS)
        for month in months[months >= go_live]:
            age = (month - go_live).n + 1
            # A logistic ramp: slow start, then up toward the level (half-way at ramp / 2).
            share = 1 / (1 + np.exp(-(age - ramp / 2) / (ramp / 6)))
            table.loc[month, key] = level * share * SEASONAL.get(month.month, 1.0)
    return table


def smooth_anchor_factor(expected: pd.Series) -> pd.Series:
    """A factor per month, linear between knots at the segment middles, that gives each
    anchor segment its public total when multiplied into the national ``expected`` counts."""
    months = expected.index
    position = np.arange(len(months), dtype=float)
    bounds, start = [], 0
    for end, _ in SEGMENTS:
        stop = (end - FIRST_MONTH).n + 1
        bounds.append((start, stop))
        start = stop
    knots = np.array([(lo + hi - 1) / 2 for lo, hi in bounds])
    # weights[k, m]: share of knot k's value in month m's factor (linear interpolation,
    # constant beyond the outer knots)
    weights = np.array(
        [np.interp(position, knots, np.eye(len(knots))[k]) for k in range(len(knots))]
    )
    system = np.array(
        [
            [(expected.to_numpy() * weights[k])[lo:hi].sum() for k in range(len(knots))]
            for lo, hi in bounds
        ]
    )
    values = np.linalg.solve(system, np.array([total for _, total in SEGMENTS], dtype=float))
    if np.any(values <= 0):
        raise ValueError(f"the anchors need a non-positive scale factor: {values}")
    return pd.Series(values @ weights, index=months)


def largest_remainder(values: np.ndarray, total: int) -> np.ndarray:
    """Round non-negative values to integers that add up to exactly ``total``."""
    scaled = values * total / values.sum()
    floors = np.floor(scaled)
    short = int(total - floors.sum())
    order = np.argsort(-(scaled - floors), kind="stable")
    floors[order[:short]] += 1
    return floors.astype(int)


def reconstruct() -> pd.DataFrame:
    """Return the reconstructed long frame (group, month, ge)."""
    groups = pd.read_csv(GROUPS_CSV).set_index("key")
    months = pd.period_range(FIRST_MONTH, LAST_MONTH, freq="M")
    expected = expected_counts(groups, months)
    expected = expected.mul(smooth_anchor_factor(expected.sum(axis=1)), axis=0)
    rng = np.random.default_rng(SEED)
    noisy = pd.DataFrame(
        rng.poisson(expected.to_numpy() * 10) / 10 + (expected.to_numpy() > 0) * 0.5,
        index=expected.index,
        columns=expected.columns,
    )
    counts = pd.DataFrame(0, index=months, columns=expected.columns)
    start = FIRST_MONTH
    for end, total in SEGMENTS:
        rows = (months >= start) & (months <= end)
        block = noisy.loc[rows].to_numpy()
        counts.loc[rows] = largest_remainder(block.ravel(), total).reshape(block.shape)
        start = end + 1
    records = []
    for key in groups.index:
        if key not in counts.columns:
            continue  # not live by February 2023: no rows
        go_live = pd.Period(groups.loc[key, "go_live"], "M")
        for month in months[months >= go_live]:
            records.append((key, str(month), int(counts.loc[month, key])))
    return pd.DataFrame.from_records(records, columns=["group", "month", "ge"])


def main() -> None:
    """Write the reconstructed actuals and print the anchors they honour."""
    frame = reconstruct()
    with OUTPUT_CSV.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["group", "month", "ge"])
        writer.writerows(frame.itertuples(index=False))
    month = frame["month"]
    print(f"wrote {OUTPUT_CSV.relative_to(ROOT)}: {len(frame)} rows (RECONSTRUCTED, NOT OFFICIAL)")
    print("through 2022-05:", frame.loc[month <= "2022-05", "ge"].sum())
    print("through 2022-12:", frame.loc[month <= "2022-12", "ge"].sum())
    print("through 2023-02:", frame["ge"].sum())
    print(frame.pivot(index="month", columns="group", values="ge").sum(axis=1).to_string())


if __name__ == "__main__":
    main()
