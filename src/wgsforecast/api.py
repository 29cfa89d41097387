"""Top-level convenience functions: the bundled data and one-call forecasts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wgsforecast.engines import ENGINES, MeanAdjustment
from wgsforecast.models import Assumptions, GroupRegistry
from wgsforecast.prognosis import Prognosis

RECONSTRUCTED = "reconstructed"
"""Data note: the monthly counts are reconstructed, not official (see :mod:`wgsforecast.labels`)."""


@dataclass(frozen=True)
class ProgrammeData:
    """Actuals, patient groups and assumptions: everything one prognosis needs."""

    actuals: pd.DataFrame
    groups: GroupRegistry
    assumptions: Assumptions


def load_bundled() -> ProgrammeData:
    """Load the bundled data: NGC's 17 groups and the March 2023 prognosis settings.

    The monthly counts per group are RECONSTRUCTED (per-group counts are not public); they
    honour the public totals exactly. The returned actuals carry the note ``reconstructed``
    in ``attrs["notes"]``, and every prognosis made from them says so.

    Examples
    --------
    >>> data = load_bundled()
    >>> int(data.actuals["ge"].sum()), len(data.groups), str(data.assumptions.as_of)
    (7716, 17, '2023-02')
    """
    from wgsforecast.io import (
        bundled_actuals_path,
        bundled_assumptions_path,
        bundled_groups_path,
        read_actuals,
        read_assumptions,
        read_groups,
    )

    groups = read_groups(bundled_groups_path())
    actuals = read_actuals(bundled_actuals_path(), groups)
    actuals.attrs["notes"] = (RECONSTRUCTED,)
    return ProgrammeData(actuals, groups, read_assumptions(bundled_assumptions_path()))


def forecast(
    actuals: pd.DataFrame,
    groups: GroupRegistry,
    assumptions: Assumptions,
    engine: str = "runrate",
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
        The patient groups.
    assumptions
        As-of month, run-rate window, horizon, programme.
    engine
        ``"runrate"`` (the published method) or another name in
        :data:`wgsforecast.engines.ENGINES`.
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
    """
    try:
        engine_class = ENGINES[engine]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown engine {engine!r}; choose one of: {known}") from None
    fitted = engine_class().fit(actuals, groups, assumptions)
    return fitted.forecast(n_paths=n_paths, seed=seed, progress=progress, adjust=adjust)
