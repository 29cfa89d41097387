"""wgsforecast: forecast a national whole-genome-sequencing programme.

The public names are imported lazily, so ``import wgsforecast`` is fast and never imports
matplotlib or statsmodels.

Examples
--------
>>> import wgsforecast as wf
>>> data = wf.load_bundled()
>>> prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
>>> int(prognosis.yearly_table().loc["Total antal genomækvivalenter", "Medio 2024"])
34260
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Assumptions": "wgsforecast.models",
    "GroupRegistry": "wgsforecast.models",
    "PatientGroup": "wgsforecast.models",
    "Programme": "wgsforecast.models",
    "Ramp": "wgsforecast.models",
    "TablePeriod": "wgsforecast.models",
    "Prognosis": "wgsforecast.prognosis",
    "ProgrammeData": "wgsforecast.models",
    "forecast": "wgsforecast.api",
    "load_bundled": "wgsforecast.inputs",
    "load_data": "wgsforecast.inputs",
    "backtest": "wgsforecast.backtesting",
    "fit_national": "wgsforecast.national",
    "read_actuals": "wgsforecast.io",
    "read_assumptions": "wgsforecast.io",
    "read_groups": "wgsforecast.io",
    "ENGINES": "wgsforecast.engines",
    "RunRateEngine": "wgsforecast.engines",
    "InputError": "wgsforecast.exceptions",
    "ConfigError": "wgsforecast.exceptions",
    "WgsForecastError": "wgsforecast.exceptions",
    "PriorFallbackWarning": "wgsforecast.exceptions",
    "GroupOverrides": "wgsforecast.scenarios",
    "Scenario": "wgsforecast.scenarios",
    "ScenarioComparison": "wgsforecast.scenarios",
    "read_scenario": "wgsforecast.scenarios",
    "read_scenarios": "wgsforecast.scenarios",
    "compare_scenarios": "wgsforecast.scenarios",
    "tornado": "wgsforecast.scenarios",
    "required_rate": "wgsforecast.backsolve",
    "required_group_level": "wgsforecast.backsolve",
    "funding_view": "wgsforecast.funding",
    "split_by_region": "wgsforecast.regions",
    "build_report": "wgsforecast.report",
    "save_vintage": "wgsforecast.vintages",
    "load_vintage": "wgsforecast.vintages",
    "list_vintages": "wgsforecast.vintages",
    "compare_vintages": "wgsforecast.vintages",
}

__all__ = [
    "ENGINES",
    "Assumptions",
    "ConfigError",
    "GroupOverrides",
    "GroupRegistry",
    "InputError",
    "PatientGroup",
    "PriorFallbackWarning",
    "Prognosis",
    "Programme",
    "ProgrammeData",
    "Ramp",
    "RunRateEngine",
    "Scenario",
    "ScenarioComparison",
    "TablePeriod",
    "WgsForecastError",
    "__version__",
    "backtest",
    "build_report",
    "compare_scenarios",
    "compare_vintages",
    "fit_national",
    "forecast",
    "funding_view",
    "list_vintages",
    "load_bundled",
    "load_data",
    "load_vintage",
    "read_actuals",
    "read_assumptions",
    "read_groups",
    "read_scenario",
    "read_scenarios",
    "required_group_level",
    "required_rate",
    "save_vintage",
    "split_by_region",
    "tornado",
]
# Keep __all__ a literal (tools read it); tests check it matches _EXPORTS.

if TYPE_CHECKING:
    from wgsforecast.api import forecast
    from wgsforecast.backsolve import required_group_level, required_rate
    from wgsforecast.backtesting import backtest
    from wgsforecast.engines import ENGINES, RunRateEngine
    from wgsforecast.exceptions import (
        ConfigError,
        InputError,
        PriorFallbackWarning,
        WgsForecastError,
    )
    from wgsforecast.funding import funding_view
    from wgsforecast.inputs import load_bundled, load_data
    from wgsforecast.io import read_actuals, read_assumptions, read_groups
    from wgsforecast.models import (
        Assumptions,
        GroupRegistry,
        PatientGroup,
        Programme,
        ProgrammeData,
        Ramp,
        TablePeriod,
    )
    from wgsforecast.national import fit_national
    from wgsforecast.prognosis import Prognosis
    from wgsforecast.regions import split_by_region
    from wgsforecast.report import build_report
    from wgsforecast.scenarios import (
        GroupOverrides,
        Scenario,
        ScenarioComparison,
        compare_scenarios,
        read_scenario,
        read_scenarios,
        tornado,
    )
    from wgsforecast.vintages import compare_vintages, list_vintages, load_vintage, save_vintage

    __version__: str


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # Looked up on first use: reading the version costs a file read at import time.
        from wgsforecast._version import package_version

        return package_version()
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wgsforecast' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
