"""Report figures of a :class:`~wgsforecast.prognosis.Prognosis`.

Every function draws frames that the prognosis hands out through its public views
(``cumulative()``, ``monthly()``, ``fan()``, ``target_distribution()``, ...); nothing here
computes a statistic. matplotlib is imported inside the functions, so ``import
wgsforecast.plotting`` stays light and works without a display. When no matplotlib backend
has been chosen (no ``MPLBACKEND``, no ``matplotlib.use`` and pyplot not yet imported), the
non-interactive Agg backend is selected, so a script or CI job never tries to open a window;
choose another backend before the first call to get one. Nothing calls ``plt.show``.

Texts are Danish by default (month names, thousands separators ``34.282``) and English with
``lang="en"``. Colours come from Paul Tol's colour-blind-safe palettes. When the prognosis
was made from reconstructed data, every figure carries a footnote saying so.

Modules: :mod:`~wgsforecast.plotting.cumulative` (cumulative GE and the fan chart),
:mod:`~wgsforecast.plotting.groups` (monthly GE by group, small multiples),
:mod:`~wgsforecast.plotting.distribution` (the target month), :mod:`~wgsforecast.plotting.save`
(files), :mod:`~wgsforecast.plotting.scenarios` (scenario fans and shifts, the tornado),
:mod:`~wgsforecast.plotting.backtest` (scores by lead) and
:mod:`~wgsforecast.plotting.vintages` (saved vintages over the actuals); the shared plumbing
is in ``_style`` and ``_marks``.

Examples
--------
>>> import wgsforecast as wf
>>> from wgsforecast import plotting
>>> data = wf.load_bundled()
>>> prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
>>> ax = plotting.plot_cumulative(prognosis)
>>> paths = plotting.save_figure(ax.figure, "out/cumulative")  # doctest: +SKIP
"""

from wgsforecast.plotting._style import (
    BLUE,
    FIGSIZE,
    GID_ACTUAL,
    GID_AS_OF,
    GID_BAND,
    GID_CAP,
    GID_DEADLINE,
    GID_FOOTNOTE,
    GID_MEDIAN,
    GID_PROJECTED,
    GID_PUBLISHED,
    GID_TARGET,
    GID_TARGET_MONTH,
    GREEN,
    GREY,
    GROUP_COLOURS,
    LIGHT_GREY,
    ORANGE,
    OTHER_COLOUR,
    PURPLE,
    RED,
    footnote,
    pyplot,
)
from wgsforecast.plotting.backtest import plot_backtest
from wgsforecast.plotting.cumulative import plot_cumulative, plot_fan
from wgsforecast.plotting.distribution import plot_target_distribution
from wgsforecast.plotting.groups import plot_group_ramps, plot_monthly_by_group
from wgsforecast.plotting.save import save_figure
from wgsforecast.plotting.scenarios import plot_fans, plot_shifts, plot_tornado
from wgsforecast.plotting.vintages import plot_vintages

__all__ = [
    "BLUE",
    "FIGSIZE",
    "GID_ACTUAL",
    "GID_AS_OF",
    "GID_BAND",
    "GID_CAP",
    "GID_DEADLINE",
    "GID_FOOTNOTE",
    "GID_MEDIAN",
    "GID_PROJECTED",
    "GID_PUBLISHED",
    "GID_TARGET",
    "GID_TARGET_MONTH",
    "GREEN",
    "GREY",
    "GROUP_COLOURS",
    "LIGHT_GREY",
    "ORANGE",
    "OTHER_COLOUR",
    "PURPLE",
    "RED",
    "footnote",
    "plot_backtest",
    "plot_cumulative",
    "plot_fan",
    "plot_fans",
    "plot_group_ramps",
    "plot_monthly_by_group",
    "plot_shifts",
    "plot_target_distribution",
    "plot_tornado",
    "plot_vintages",
    "pyplot",
    "save_figure",
]
