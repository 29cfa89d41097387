"""Figures of scenario comparisons and tornado results: now in
:mod:`wgsforecast.plotting.scenarios`, re-exported here so earlier imports keep working."""

from wgsforecast.plotting.scenarios import (
    EARLIER,
    GID_NOT_REACHED,
    LATER,
    NOT_REACHED,
    plot_fans,
    plot_shifts,
    plot_tornado,
)

__all__ = [
    "EARLIER",
    "GID_NOT_REACHED",
    "LATER",
    "NOT_REACHED",
    "plot_fans",
    "plot_shifts",
    "plot_tornado",
]
