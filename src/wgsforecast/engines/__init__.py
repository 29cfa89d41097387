"""Forecasting engines; each turns history into monthly GE paths ``[path, group, month]``."""

from wgsforecast.engines.adoption import AdoptionEngine
from wgsforecast.engines.base import (
    Engine,
    Forecast,
    History,
    MeanAdjustment,
    history_from_actuals,
)
from wgsforecast.engines.ets import ETSEngine
from wgsforecast.engines.flat import FlatEngine
from wgsforecast.engines.runrate import RunRateEngine

ENGINES: dict[str, type[Engine]] = {
    RunRateEngine.name: RunRateEngine,
    FlatEngine.name: FlatEngine,
    AdoptionEngine.name: AdoptionEngine,
    ETSEngine.name: ETSEngine,
}
"""Engines by the name the CLI and :func:`wgsforecast.forecast` accept."""

__all__ = [
    "ENGINES",
    "AdoptionEngine",
    "ETSEngine",
    "Engine",
    "FlatEngine",
    "Forecast",
    "History",
    "MeanAdjustment",
    "RunRateEngine",
    "history_from_actuals",
]
