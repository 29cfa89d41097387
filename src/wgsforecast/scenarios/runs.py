"""Running scenarios on common random numbers and reducing each run to its outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast._text import Text
from wgsforecast.engines.registry import new_engine
from wgsforecast.periods import Lang
from wgsforecast.scenarios.apply import AppliedScenario, apply_scenario, scenario_engine
from wgsforecast.scenarios.model import Scenario

if TYPE_CHECKING:
    from wgsforecast.deadline import DeadlineSummary
    from wgsforecast.engines import Engine
    from wgsforecast.models import ProgrammeData
    from wgsforecast.prognosis import Prognosis

FloatArray = npt.NDArray[np.float64]
QUANTILES: tuple[float, float, float] = (0.1, 0.5, 0.9)


@dataclass(frozen=True, eq=False)
class ScenarioOutcome:
    """What one scenario run gives, reduced to what comparisons need.

    Attributes
    ----------
    target_positions
        Per path, the month position where the target is reached (-1: not in the horizon).
    cumulative_quantiles
        National cumulative GE per month at P10, P50 and P90, shape ``[3, month]``.
    period_quantiles
        Cumulative GE at the end of each table period at P10, P50, P90, ``[3, period]``.
    done_by_deadline
        Cumulative GE at the end of the deadline month, per path (NaN when the deadline
        is after the horizon).
    target_quantiles
        Month positions of the target month at P10, P50, P90, from
        :meth:`Prognosis.target_month_quantiles` (``inf``: not reached within the horizon).
    deadline_summary
        :meth:`Prognosis.deadline_summary` at P10, P50, P90; ``None`` when the deadline is
        after the horizon, so nothing is known about it.
    """

    name: str
    label_text: Text
    target_ge: int
    deadline: pd.Period
    target_positions: npt.NDArray[np.int64]
    cumulative_quantiles: FloatArray
    period_quantiles: FloatArray
    done_by_deadline: FloatArray
    target_quantiles: tuple[float, float, float]
    deadline_summary: DeadlineSummary | None

    def label(self, lang: Lang = "da") -> str:
        """The scenario's label in the language asked for."""
        return self.label_text.template(lang)

    @property
    def p_by_deadline(self) -> float | None:
        """P(target reached by the end of the deadline month); ``None``: beyond the horizon."""
        if self.deadline_summary is None:
            return None
        return self.deadline_summary.p_target_by_deadline

    def left_after_deadline(self) -> tuple[float, float, float] | None:
        """GE of the target left after the deadline at P10, P50, P90 (``None``: unknown)."""
        if self.deadline_summary is None:
            return None
        low, mid, high = (self.deadline_summary.left[q] for q in QUANTILES)
        return low, mid, high

    def target_position_quantiles(self) -> list[float]:
        """Month positions at P10, P50, P90 (``inf``: not reached within the horizon)."""
        return list(self.target_quantiles)


def _outcome(prognosis: Prognosis, name: str, label_text: Text) -> ScenarioOutcome:
    programme = prognosis.programme
    # Whole month positions stay ints, so the shift columns stay integers when known.
    low, mid, high = (
        int(v) if np.isfinite(v) else v for v in prognosis.target_reach.quantiles(QUANTILES)
    )
    try:
        summary: DeadlineSummary | None = prognosis.deadline_summary(QUANTILES)
    except ValueError:  # the deadline is after the horizon: unknown, not 0 %
        summary = None
    return ScenarioOutcome(
        name=name,
        label_text=label_text,
        target_ge=programme.target_ge,
        deadline=programme.deadline,
        target_positions=prognosis.target_positions.copy(),
        cumulative_quantiles=prognosis.cumulative_quantiles(QUANTILES),
        period_quantiles=prognosis.period_quantiles(QUANTILES)["cumulative"],
        done_by_deadline=prognosis.cumulative_at(programme.deadline).copy(),
        target_quantiles=(low, mid, high),
        deadline_summary=summary,
    )


def run_scenario(
    base: ProgrammeData,
    scenario: Scenario | None,
    engine: str | Engine = "adoption",
    n_paths: int = 10_000,
    seed: int | None = 2023,
    progress: bool | None = False,
) -> Prognosis:
    """Forecast one scenario (``None``: the baseline) with the given seed.

    Runs that share ``seed`` share their random numbers, so their difference is the
    scenario's effect.
    """
    if seed is None:
        raise ValueError("scenarios need a fixed seed to share random numbers; pass seed=2023")
    data, adjust, configured = base, None, new_engine(engine)
    if scenario is not None:
        applied = apply_scenario(scenario, base)
        data, adjust = applied.data, applied.adjust
        configured = scenario_engine(scenario, configured)
    fitted = configured.fit(data.actuals, data.groups, data.assumptions)
    return fitted.forecast(n_paths=n_paths, seed=seed, progress=progress, adjust=adjust)


@dataclass(frozen=True, eq=False)
class Run:
    """One run of a comparison: its name and label, the scenario applied and its engine.

    Attributes
    ----------
    name
        The scenario's name (``baseline`` for the baseline).
    label_text
        Its label in Danish and English.
    engine
        The unfitted engine the run needs: the comparison's, or a scenario's own settings
        of it (:func:`~wgsforecast.scenarios.apply.scenario_engine`).
    applied
        The scenario applied to the base data, once (``None``: the baseline).
    """

    name: str
    label_text: Text
    engine: Engine
    applied: AppliedScenario | None = None

    def shares_fit(self, base: ProgrammeData) -> bool:
        """True when the run can use the baseline's fit: same patient groups, same engine
        settings (a changed programme does not touch what engines fit)."""
        if self.applied is None:
            return True
        return not self.applied.scenario.engine and self.applied.data.groups is base.groups


def run_batch(
    base: ProgrammeData,
    runs: Sequence[Run],
    n_paths: int,
    seed: int,
    progress: bool | None,
) -> list[ScenarioOutcome]:
    """Run scenarios that share one fit: fit once, forecast each with its adjustment.

    The fit is the first run's (:func:`batches` puts only runs that share it together).
    """
    fitted: Engine | None = None
    results: list[ScenarioOutcome] = []
    for run in runs:
        data = run.applied.data if run.applied is not None else base
        if fitted is None:  # a copy: runs of other batches may hold the same engine
            fitted = new_engine(run.engine).fit(data.actuals, data.groups, data.assumptions)
        prognosis = fitted.with_assumptions(data.assumptions).forecast(
            n_paths=n_paths,
            seed=seed,
            progress=progress,
            adjust=run.applied.adjust if run.applied is not None else None,
        )
        results.append(_outcome(prognosis, run.name, run.label_text))
        del prognosis  # the paths are large; keep only the summaries
    return results


def batches(base: ProgrammeData, runs: Sequence[Run]) -> list[list[Run]]:
    """Group runs by the fit they need: the baseline's, or their own (other patient groups
    or other engine settings)."""
    shared = [run for run in runs if run.shares_fit(base)]
    own = [[run] for run in runs if not run.shares_fit(base)]
    return [shared, *own]
