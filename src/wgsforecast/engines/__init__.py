"""Forecasting engines; each turns history into monthly GE paths ``[path, group, month]``."""

from typing import TypeVar

from wgsforecast.engines.adoption import AdoptionEngine
from wgsforecast.engines.base import (
    Engine,
    Forecast,
    History,
    MeanAdjustment,
    history_from_actuals,
)
from wgsforecast.engines.ensemble import EnsembleEngine
from wgsforecast.engines.ets import ETSEngine
from wgsforecast.engines.flat import FlatEngine
from wgsforecast.engines.runrate import RunRateEngine
from wgsforecast.engines.trend import TrendEngine

ENGINES: dict[str, type[Engine]] = {}
"""Engines by the name the CLI and :func:`wgsforecast.forecast` accept."""


E = TypeVar("E", bound=type[Engine])


def register_engine(cls: E) -> E:
    """Make an engine class available by its ``name`` (CLI ``--engine``, ``forecast``).

    Usable as a class decorator. Registering the same class again is harmless; another
    class under a name already taken is refused.

    Parameters
    ----------
    cls
        A concrete subclass of :class:`Engine` with a ``name``.

    Returns
    -------
    type
        ``cls`` itself.

    Raises
    ------
    ValueError
        If the name is already taken by another class.
    TypeError
        If ``cls`` is not an :class:`Engine` subclass with a name.
    """
    if not (isinstance(cls, type) and issubclass(cls, Engine)) or not hasattr(cls, "name"):
        raise TypeError(f"register_engine needs an Engine subclass with a name; got {cls!r}")
    taken = ENGINES.get(cls.name)
    if taken is not None and taken is not cls:
        raise ValueError(
            f"an engine named {cls.name!r} is already registered ({taken.__qualname__}); "
            "give the new engine another name"
        )
    ENGINES[cls.name] = cls
    return cls


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
    "history_from_actuals",
    "register_engine",
]
