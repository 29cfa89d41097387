"""wgsforecast: forecast a national whole-genome-sequencing programme.

The public names are imported lazily, so ``import wgsforecast`` is fast and never imports
matplotlib or statsmodels.

Examples
--------
>>> import wgsforecast as wf
>>> data = wf.load_bundled()
>>> prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
>>> prognosis.yearly_table().loc["Total antal genomækvivalenter", "Medio 2024"] > 30_000
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Assumptions": "wgsforecast.models",
    "GroupRegistry": "wgsforecast.models",
    "PatientGroup": "wgsforecast.models",
    "Programme": "wgsforecast.models",
    "Ramp": "wgsforecast.models",
    "TablePeriod": "wgsforecast.models",
    "Prognosis": "wgsforecast.prognosis",
    "ProgrammeData": "wgsforecast.api",
    "forecast": "wgsforecast.api",
    "load_bundled": "wgsforecast.api",
    "read_actuals": "wgsforecast.io",
    "read_assumptions": "wgsforecast.io",
    "read_groups": "wgsforecast.io",
    "ENGINES": "wgsforecast.engines",
    "RunRateEngine": "wgsforecast.engines",
    "InputError": "wgsforecast.exceptions",
    "ConfigError": "wgsforecast.exceptions",
    "WgsForecastError": "wgsforecast.exceptions",
    "PriorFallbackWarning": "wgsforecast.exceptions",
}

__all__ = [
    "ENGINES",
    "Assumptions",
    "ConfigError",
    "GroupRegistry",
    "InputError",
    "PatientGroup",
    "PriorFallbackWarning",
    "Prognosis",
    "Programme",
    "ProgrammeData",
    "Ramp",
    "RunRateEngine",
    "TablePeriod",
    "WgsForecastError",
    "__version__",
    "forecast",
    "load_bundled",
    "read_actuals",
    "read_assumptions",
    "read_groups",
]
# Keep __all__ a literal (tools read it); tests check it matches _EXPORTS.

if TYPE_CHECKING:
    from wgsforecast.api import ProgrammeData, forecast, load_bundled
    from wgsforecast.engines import ENGINES, RunRateEngine
    from wgsforecast.exceptions import (
        ConfigError,
        InputError,
        PriorFallbackWarning,
        WgsForecastError,
    )
    from wgsforecast.io import read_actuals, read_assumptions, read_groups
    from wgsforecast.models import (
        Assumptions,
        GroupRegistry,
        PatientGroup,
        Programme,
        Ramp,
        TablePeriod,
    )
    from wgsforecast.prognosis import Prognosis


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wgsforecast' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
