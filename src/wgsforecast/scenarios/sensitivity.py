"""One-at-a-time sensitivity of the target month to one group's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from wgsforecast._suggest import did_you_mean
from wgsforecast._text import Text
from wgsforecast.models import PatientGroup
from wgsforecast.periods import Lang
from wgsforecast.scenarios.compare import ScenarioComparison, compare_scenarios
from wgsforecast.scenarios.model import GroupOverrides, Scenario, ScenarioInfo
from wgsforecast.scenarios.runs import ScenarioOutcome
from wgsforecast.scenarios.texts import tornado_texts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.engines import Engine
    from wgsforecast.models import ProgrammeData

Metric = Literal["target_month", "p_by_deadline"]

TORNADO_PARAMETERS = (
    "go_live_shift_months",
    "declared_factor",
    "plateau_share",
    "cap_share",
    "ramp_months",
)


def default_tornado_values(group: PatientGroup) -> dict[str, tuple[float, float]]:
    """Low and high values tried for each parameter of ``group`` by :func:`tornado`.

    Go-live six months earlier/later; declared volume -25 %/+25 %; plateau and cap share a
    third lower/higher (at most 1); ramp half/one and a half times as long.
    """
    return {
        "go_live_shift_months": (-6, 6),
        "declared_factor": (0.75, 1.25),
        "plateau_share": (
            group.ramp.target_share * 2 / 3,
            min(1.0, group.ramp.target_share * 4 / 3),
        ),
        "cap_share": (group.cap_share * 2 / 3, min(1.0, group.cap_share * 4 / 3)),
        "ramp_months": (round(group.ramp.months / 2), round(group.ramp.months * 1.5)),
    }


@dataclass(frozen=True, eq=False)
class TornadoResult:
    """One-at-a-time sensitivity of one group's parameters.

    ``frame`` has one row per parameter: ``parameter``, ``low``, ``high`` (the values
    tried), ``metric_low``, ``metric_high`` (the metric with each), and ``swing``
    (``|metric_high - metric_low|``), sorted by swing, largest first, and ``note``: why a
    row shows no swing when that is not the parameter's true effect (``no_effect``: the
    engine does not use it or a limit clips it; ``unchanged_input``: the values tried are
    the group's own; ``undefined``: the metric is unknown, NaN, for a run; ``""``
    otherwise). The metric is the median target month's shift from the baseline in months
    (``target_month``) or P(target by deadline) (``p_by_deadline``).
    """

    group: str
    group_name: Text
    metric: Metric
    base_value: float
    frame: pd.DataFrame
    comparison: ScenarioComparison

    def plot(self, ax: Axes | None = None, lang: Lang = "da") -> Axes:
        """Horizontal bars from the baseline to the low and high values of each parameter."""
        from wgsforecast.plotting.scenarios import plot_tornado

        return plot_tornado(self, ax, lang)

    def table(self, lang: Lang = "da") -> pd.DataFrame:
        """The frame with parameter names and notes in the language asked for."""
        words = tornado_texts(lang)
        frame = self.frame.copy()
        frame["parameter"] = [words[p] for p in frame["parameter"]]
        frame["note"] = [words[f"note_{n}"] if n else "" for n in frame["note"]]
        return frame


def tornado(
    base: ProgrammeData,
    group_key: str,
    engine: str | Engine = "adoption",
    n_paths: int = 2_000,
    seed: int = 2023,
    metric: Metric = "target_month",
    values: Mapping[str, tuple[float, float]] | None = None,
) -> TornadoResult:
    """One-at-a-time sensitivity of the target month (or P(by deadline)) to one group.

    Parameters
    ----------
    base
        The base data.
    group_key
        The group (key, Danish or English name).
    engine, n_paths, seed
        As for :func:`compare_scenarios`; every run shares the seed.
    metric
        ``"target_month"``: shift of the median target month from the baseline (months);
        ``"p_by_deadline"``: P(target reached by the deadline).
    values
        Low and high value per parameter (names as in :data:`TORNADO_PARAMETERS`); default
        :func:`default_tornado_values`.

    Returns
    -------
    TornadoResult
        The table (largest swing first) and a plot.

    Examples
    --------
    >>> import wgsforecast as wf
    >>> result = tornado(wf.load_bundled(), "udbredt-uhelbredelig-kraeft", engine="runrate")
    >>> result.frame["parameter"].iloc[0] in TORNADO_PARAMETERS
    True
    """
    key = base.groups.match(group_key)
    if key is None:
        raise KeyError(base.groups.unknown_name_message(group_key))
    if metric not in ("target_month", "p_by_deadline"):
        raise ValueError(f"metric must be 'target_month' or 'p_by_deadline'; got {metric!r}")
    group = base.groups[key]
    chosen = dict(values) if values is not None else default_tornado_values(group)
    unknown = [p for p in chosen if p not in TORNADO_PARAMETERS]
    if unknown:
        hint = did_you_mean(unknown[0], TORNADO_PARAMETERS)
        raise ValueError(
            f"unknown tornado parameter {unknown[0]!r}{hint} (choose from "
            f"{', '.join(TORNADO_PARAMETERS)})"
        )
    scenarios = []
    for parameter, pair in chosen.items():
        for side, value in zip(("low", "high"), pair, strict=True):
            number: float | int = int(value) if parameter in _INTEGER_PARAMETERS else value
            scenarios.append(
                Scenario(
                    scenario=ScenarioInfo(name=f"{parameter}.{side}"),
                    groups={key: GroupOverrides.model_validate({parameter: number})},
                )
            )
    comparison = compare_scenarios(base, scenarios, engine=engine, n_paths=n_paths, seed=seed)

    def measure(outcome: ScenarioOutcome) -> float:
        # NaN, not 0, when the metric is unknown (deadline or target beyond the horizon).
        if metric == "p_by_deadline":
            p = outcome.p_by_deadline
            return float("nan") if p is None else p
        base_p50 = comparison.baseline.target_position_quantiles()[1]
        shift = outcome.target_position_quantiles()[1] - base_p50
        return shift if np.isfinite(shift) else float("nan")

    current = _current_values(group)
    rows = []
    for parameter, (low, high) in chosen.items():
        runs = (comparison[f"{parameter}.low"], comparison[f"{parameter}.high"])
        metric_low, metric_high = (measure(run) for run in runs)
        rows.append(
            {
                "parameter": parameter,
                "low": low,
                "high": high,
                "metric_low": metric_low,
                "metric_high": metric_high,
                "swing": abs(metric_high - metric_low),
                "note": _note(
                    (low, high),
                    current[parameter],
                    runs,
                    comparison.baseline,
                    (metric_low, metric_high),
                ),
            }
        )
    frame = pd.DataFrame.from_records(rows)
    frame = frame.sort_values(
        "swing", ascending=False, kind="stable", na_position="last"
    ).reset_index(drop=True)
    return TornadoResult(
        group=key,
        group_name=group.names,
        metric=metric,
        base_value=measure(comparison.baseline),
        frame=frame,
        comparison=comparison,
    )


_INTEGER_PARAMETERS = ("go_live_shift_months", "ramp_months")

NOTES = ("no_effect", "unchanged_input", "undefined")
"""The codes of :attr:`TornadoResult.frame`'s ``note`` column (``""``: none)."""


def _current_values(group: PatientGroup) -> dict[str, float]:
    """The group's own value of each tornado parameter (what "no change" means)."""
    return {
        "go_live_shift_months": 0,
        "declared_factor": 1.0,
        "plateau_share": group.ramp.target_share,
        "cap_share": group.cap_share,
        "ramp_months": group.ramp.months,
    }


def _same_run(one: ScenarioOutcome, other: ScenarioOutcome) -> bool:
    """True when two runs gave the same result (on shared random numbers: no effect)."""
    return bool(
        np.array_equal(one.target_positions, other.target_positions)
        and np.array_equal(one.cumulative_quantiles, other.cumulative_quantiles)
    )


def _note(
    values: tuple[float, float],
    current: float,
    runs: tuple[ScenarioOutcome, ScenarioOutcome],
    baseline: ScenarioOutcome,
    metrics: tuple[float, float],
) -> str:
    """Why a row shows no swing, when it is not because the parameter does not matter.

    ``unchanged_input``: both values tried equal the group's own (e.g. clipped at 1);
    ``no_effect``: both runs equal the baseline exactly, so the engine does not use the
    parameter (e.g. ``ramp_months`` under an engine that fits its ramps) or a limit
    (the cap) clips the change away; ``undefined``: the metric is unknown for a run.
    """
    if all(np.isclose(v, current) for v in values):
        return "unchanged_input"
    if all(_same_run(run, baseline) for run in runs):
        return "no_effect"
    if not all(np.isfinite(m) for m in metrics):
        return "undefined"
    return ""
