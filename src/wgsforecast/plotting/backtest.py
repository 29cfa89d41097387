"""The backtest figure: mean score by lead, one line per engine (matplotlib imported inside).

Drawn from a :class:`~wgsforecast.backtesting.BacktestResult`'s tidy scores; its
:meth:`~wgsforecast.backtesting.BacktestResult.plot` calls :func:`plot_backtest`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wgsforecast.labels import LABELS, label
from wgsforecast.periods import Lang
from wgsforecast.plotting._style import footnote, new_axes, tidy

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
    if f"bt_{metric}" not in LABELS:
        raise ValueError(f"{metric!r} is not a backtest metric; e.g. 'crps_pct' or 'abs_error'")
    ax = new_axes(ax, figsize=(8, 4.5))
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
    tidy(ax)
    footnote(ax.figure, result.data_notes, lang)
    return ax
