"""The backtest figure: mean score by lead, one line per engine (matplotlib imported inside).

Drawn from a :class:`~wgsforecast.backtesting.BacktestResult`'s tidy scores; its
:meth:`~wgsforecast.backtesting.BacktestResult.plot` calls :func:`plot_backtest`.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from wgsforecast._data_notes import is_reconstructed
from wgsforecast.labels import LABELS, label
from wgsforecast.periods import Lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.backtesting import BacktestResult


def plot_backtest(
    result: BacktestResult, ax: Axes | None = None, lang: Lang = "da", metric: str = "crps_pct"
) -> Axes:
    """Mean score by lead, one line per engine (default: CRPS in % of the truth).

    Parameters
    ----------
    result
        The backtest.
    ax
        Axes to draw on (default: a new figure).
    lang
        ``"da"`` (default) or ``"en"`` labels.
    metric
        A lead metric (:data:`wgsforecast.backtesting.LEAD_METRICS`), e.g. ``"crps_pct"``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    import matplotlib.pyplot as plt

    if f"bt_{metric}" not in LABELS:
        raise ValueError(f"{metric!r} is not a backtest metric; e.g. 'crps_pct' or 'abs_error'")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    rows = result.scores[result.scores["metric"] == metric]
    means = rows.groupby(["engine", "lead"])["value"].mean()
    for engine in result.engines:
        if engine not in means.index.get_level_values(0):
            continue
        series = means.loc[engine].dropna()
        ax.plot(series.index.astype(int), series.to_numpy(), marker="o", label=engine)
    ax.set_xlabel(label("backtest_lead", lang))
    ax.set_ylabel(label(f"bt_{metric}", lang))
    ax.set_title(
        label("backtest_title", lang).format(
            origins=len(result.origins),
            first=result.origins[0] if result.origins else "",
            last=result.origins[-1] if result.origins else "",
        )
    )
    ax.set_xticks(sorted({int(lead) for lead in rows["lead"].dropna()}))
    ax.legend(title=label("backtest_engine", lang))
    if is_reconstructed(result.data_notes):
        # Below the x label, inside the saved area (savefig with bbox_inches="tight").
        ax.text(
            0.0,
            -0.2,
            textwrap.fill(label("plot_reconstructed_note", lang), 110),
            transform=ax.transAxes,
            fontsize=7,
            va="top",
        )
    return ax
