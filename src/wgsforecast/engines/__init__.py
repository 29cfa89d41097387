"""Forecasting engines; each turns history into monthly GE paths ``[path, group, month]``.

Importing this package registers the built-in engines and those that installed packages
declare under the ``wgsforecast.engines`` entry point (:mod:`~wgsforecast.engines.registry`).
"""

from wgsforecast.engines.adoption import AdoptionEngine
from wgsforecast.engines.base import (
    Engine,
    Forecast,
    History,
    MeanAdjustment,
    assemble,
    cap_expected,
    history_from_actuals,
)
from wgsforecast.engines.ensemble import EnsembleEngine
from wgsforecast.engines.ets import ETSEngine
from wgsforecast.engines.flat import FlatEngine
from wgsforecast.engines.registry import (
    ENGINES,
    engine_class,
    engine_labels,
    new_engine,
    register_engine,
    register_entry_points,
)
from wgsforecast.engines.runrate import RunRateEngine, planned_ramp
from wgsforecast.engines.trend import TrendEngine

for _engine in (
    RunRateEngine,
    FlatEngine,
    AdoptionEngine,
    ETSEngine,
    TrendEngine,
    EnsembleEngine,
):
    register_engine(_engine)
del _engine
register_entry_points()

__all__ = [
    "ENGINES",
    "AdoptionEngine",
    "ETSEngine",
    "Engine",
    "EnsembleEngine",
    "FlatEngine",
    "Forecast",
    "History",
    "MeanAdjustment",
    "RunRateEngine",
    "TrendEngine",
    "assemble",
    "cap_expected",
    "engine_class",
    "engine_labels",
    "history_from_actuals",
    "new_engine",
    "planned_ramp",
    "register_engine",
    "register_entry_points",
]
