"""One-at-a-time sensitivity of the target month to one group's parameters."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pandas as pd

from wgsforecast.labels import labels_with_prefix
from wgsforecast.models import PatientGroup
from wgsforecast.periods import Lang, format_number
from wgsforecast.scenarios.compare import ScenarioComparison, compare_scenarios
from wgsforecast.scenarios.model import GroupOverrides, Scenario, ScenarioInfo
from wgsforecast.scenarios.runs import ScenarioOutcome

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.api import ProgrammeData

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
    (``|metric_high - metric_low|``), sorted by swing, largest first. The metric is the
    median target month's shift from the baseline in months (``target_month``) or
    P(target by deadline) (``p_by_deadline``).
    """

    group: str
    group_name_da: str
    group_name_en: str
    metric: Metric
    base_value: float
    frame: pd.DataFrame
    comparison: ScenarioComparison

    def plot(self, ax: Axes | None = None, lang: Lang = "da") -> Axes:
        """Horizontal bars from the baseline to the low and high values of each parameter."""
        from wgsforecast.scenarios.plots import plot_tornado

        return plot_tornado(self, ax, lang)

    def table(self, lang: Lang = "da") -> pd.DataFrame:
        """The frame with parameter names in the language asked for."""
        words = texts(lang)
        frame = self.frame.copy()
        frame["parameter"] = [words[p] for p in frame["parameter"]]
        return frame


def format_value(value: float, lang: Lang) -> str:
    """A parameter value: whole numbers without decimals, others with two."""
    return format_number(value, lang, decimals=0 if float(value).is_integer() else 2)


def texts(lang: Lang) -> dict[str, str]:
    """The tornado's texts: the ``tornado_*`` keys of :data:`wgsforecast.labels.LABELS`."""
    return labels_with_prefix("tornado_", lang)


def tornado(
    base: ProgrammeData,
    group_key: str,
    engine: str = "adoption",
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
        close = difflib.get_close_matches(unknown[0], TORNADO_PARAMETERS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
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
        if metric == "p_by_deadline":
            return outcome.p_by_deadline
        base_p50 = comparison.baseline.target_position_quantiles()[1]
        return outcome.target_position_quantiles()[1] - base_p50

    rows = []
    for parameter, (low, high) in chosen.items():
        metric_low = measure(comparison[f"{parameter}.low"])
        metric_high = measure(comparison[f"{parameter}.high"])
        rows.append(
            {
                "parameter": parameter,
                "low": low,
                "high": high,
                "metric_low": metric_low,
                "metric_high": metric_high,
                "swing": abs(metric_high - metric_low),
            }
        )
    frame = pd.DataFrame.from_records(rows)
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    return TornadoResult(
        group=key,
        group_name_da=group.name_da,
        group_name_en=group.name_en,
        metric=metric,
        base_value=measure(comparison.baseline),
        frame=frame,
        comparison=comparison,
    )


_INTEGER_PARAMETERS = ("go_live_shift_months", "ramp_months")
