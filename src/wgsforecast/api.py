"""Top-level convenience functions: the bundled data and one-call forecasts.

The user-facing facade: only the package root, the CLI and its commands import it. What it
offers beyond :func:`forecast` is defined in lower modules (the data in
:mod:`wgsforecast.inputs` and :mod:`wgsforecast.models`, the engine lookup in
:mod:`wgsforecast.engines`) and stays importable from here, as before.
"""

from __future__ import annotations

import pandas as pd

from wgsforecast.engines import Engine, MeanAdjustment, new_engine
from wgsforecast.engines.registry import engine_class
from wgsforecast.inputs import (
    bundled_assumptions,
    bundled_groups,
    input_paths,
    load_bundled,
    load_data,
)
from wgsforecast.models import Assumptions, GroupRegistry, ProgrammeData
from wgsforecast.prognosis import Prognosis

__all__ = ["ProgrammeData", "engine_class", "forecast", "input_paths", "load_bundled", "load_data"]


def forecast(
    actuals: pd.DataFrame,
    groups: GroupRegistry | None = None,
    assumptions: Assumptions | None = None,
    engine: str | Engine = "runrate",
    n_paths: int | None = None,
    seed: int | None = None,
    progress: bool | None = None,
    adjust: MeanAdjustment | None = None,
) -> Prognosis:
    """Fit an engine on the actuals and return its prognosis.

    Parameters
    ----------
    actuals
        Long frame as returned by :func:`wgsforecast.read_actuals`.
    groups
        The patient groups; default: NGC's 17 bundled groups.
    assumptions
        As-of month, run-rate window, horizon, programme; default: the bundled March 2023
        settings with the as-of month moved to the last month of ``actuals`` (so none of
        the analyst's months is ignored).
    engine
        ``"runrate"`` (the published method), another name in
        :data:`wgsforecast.engines.ENGINES`, or a configured engine such as
        ``ETSEngine(min_months=4)``; a copy of it is fitted, the instance is not changed.
    n_paths, seed, progress, adjust
        Passed to :meth:`wgsforecast.engines.Engine.forecast`.

    Returns
    -------
    Prognosis
        The sample paths and every view of them.

    Examples
    --------
    >>> data = load_bundled()
    >>> prognosis = forecast(data.actuals, data.groups, data.assumptions)
    >>> str(prognosis.target_month())
    '2025-06'
    >>> from wgsforecast.engines import TrendEngine
    >>> forecast(data.actuals, data.groups, data.assumptions, TrendEngine(window=6),
    ...          n_paths=20, seed=1).n_paths
    20
    >>> str(forecast(data.actuals).target_month())  # bundled groups and settings
    '2025-06'
    """
    if groups is None:
        groups = bundled_groups()
    if assumptions is None:
        assumptions = bundled_assumptions()
        # A frame without usable months keeps the bundled as-of month; fit() then names
        # what is wrong with it.
        months = actuals["month"].dropna() if "month" in actuals.columns else actuals.iloc[:0]
        if len(months):
            assumptions = assumptions.with_as_of(pd.Period(max(months), "M"))
    fitted = new_engine(engine).fit(actuals, groups, assumptions)
    return fitted.forecast(n_paths=n_paths, seed=seed, progress=progress, adjust=adjust)
