"""The calibration benchmark's selection rules (``benchmarks/calibrate_adoption.py``)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def calibrate() -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import calibrate_adoption
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return calibrate_adoption


def _summary(rows: dict[float, tuple[list[float], float]]) -> pd.DataFrame:
    """A summary as ``summarise`` gives it: coverage at the four leads and a mean CRPS %."""
    records = {}
    for value, (covers, crps) in rows.items():
        record = {f"cover80 +{lead}": c for lead, c in zip((3, 6, 12, 24), covers, strict=True)}
        record["cover80 mean"] = sum(covers) / len(covers)
        record["crps_pct mean"] = crps
        records[value] = record
    return pd.DataFrame.from_dict(records, orient="index")


def test_the_crps_rule_takes_the_best_score_among_values_inside_the_goal_at_every_lead(
    calibrate: ModuleType,
) -> None:
    summary = _summary(
        {
            3.0: ([0.82, 0.81, 0.81, 0.81], 6.0),  # inside, lowest CRPS
            6.0: ([0.80, 0.80, 0.80, 0.80], 6.5),  # inside, mean coverage exactly 80%
            12.0: ([0.86, 0.80, 0.70, 0.86], 5.0),  # lowest CRPS, but outside at +12
        }
    )
    assert calibrate.choose(summary, "coverage") == 6.0
    assert calibrate.choose(summary, "crps") == 3.0


def test_the_crps_rule_falls_back_to_coverage_when_no_value_is_inside(
    calibrate: ModuleType,
) -> None:
    summary = _summary(
        {
            1.0: ([0.60, 0.60, 0.60, 0.60], 4.0),
            2.0: ([0.70, 0.71, 0.70, 0.71], 5.0),
        }
    )
    assert calibrate.choose(summary, "crps") == 2.0


def test_an_unknown_rule_is_refused(calibrate: ModuleType) -> None:
    summary = _summary({1.0: ([0.8, 0.8, 0.8, 0.8], 4.0)})
    with pytest.raises(ValueError, match="rule must be one of"):
        calibrate.choose(summary, "closest")
