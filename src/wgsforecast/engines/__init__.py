"""Forecasting engines; each turns history into monthly GE paths ``[path, group, month]``."""

from wgsforecast.engines.base import (
    Engine,
    Forecast,
    History,
    MeanAdjustment,
    history_from_actuals,
)
from wgsforecast.engines.runrate import RunRateEngine

ENGINES: dict[str, type[Engine]] = {RunRateEngine.name: RunRateEngine}
"""Engines by the name the CLI and :func:`wgsforecast.forecast` accept."""

__all__ = [
    "ENGINES",
    "Engine",
    "Forecast",
    "History",
    "MeanAdjustment",
    "RunRateEngine",
    "history_from_actuals",
]
