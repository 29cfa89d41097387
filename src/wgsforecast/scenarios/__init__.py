"""What-if scenarios: changed patient-group settings compared on common random numbers.

A scenario file (TOML) names a scenario and overrides settings per patient group (or for all
groups) and for the programme. Applying it to the base data gives changed inputs plus an
``adjust`` function for the engines (see :meth:`wgsforecast.engines.Engine.forecast`):

* changes to a group's model (declared volume, cap share, ramp length, plateau share, the
  go-live of a group not live yet) change the :class:`~wgsforecast.PatientGroup` before
  fitting;
* changes in time (a shifted ramp for a group already live, a level multiplier from a month,
  pause months) act on the expected monthly GE, after the parameter draws and before the
  count noise and the cap.

Every scenario is run with the same seed as the baseline, so it shares the baseline's random
numbers: a scenario that changes nothing reproduces the baseline exactly, and differences
between scenarios are the scenario's effect, not Monte Carlo noise.

Example file::

    # Assumed: the advanced-cancer group starts its ramp six months later.
    [scenario]
    name = "kraeft-6-mdr-senere"
    label_da = "Udbredt kræft: onboarding 6 mdr. senere"
    label_en = "Advanced cancer: onboarding 6 months later"

    [groups.udbredt-uhelbredelig-kraeft]
    go_live_shift_months = 6

The package: :mod:`~wgsforecast.scenarios.model` (the file models, reading and errors),
:mod:`~wgsforecast.scenarios.apply` (a scenario applied to the data, :func:`apply_scenario`),
:mod:`~wgsforecast.scenarios.runs` (runs on common random numbers),
:mod:`~wgsforecast.scenarios.compare` (the comparison),
:mod:`~wgsforecast.scenarios.sensitivity` (the tornado),
:mod:`~wgsforecast.scenarios.texts` (the words of both) and
:mod:`~wgsforecast.scenarios.plots` (figures; imports matplotlib when drawing).
"""

from wgsforecast.scenarios.apply import AppliedScenario, apply_scenario, shift_projection
from wgsforecast.scenarios.compare import ScenarioComparison, compare_scenarios
from wgsforecast.scenarios.model import (
    BASELINE,
    MAX_SHIFT_MONTHS,
    GroupOverrides,
    LevelChange,
    ProgrammeOverrides,
    Scenario,
    ScenarioInfo,
    bundled_scenario_paths,
    read_scenario,
    read_scenarios,
)
from wgsforecast.scenarios.runs import QUANTILES, ScenarioOutcome, run_scenario
from wgsforecast.scenarios.sensitivity import (
    TORNADO_PARAMETERS,
    TornadoResult,
    default_tornado_values,
    tornado,
)

__all__ = [
    "BASELINE",
    "MAX_SHIFT_MONTHS",
    "QUANTILES",
    "TORNADO_PARAMETERS",
    "AppliedScenario",
    "GroupOverrides",
    "LevelChange",
    "ProgrammeOverrides",
    "Scenario",
    "ScenarioComparison",
    "ScenarioInfo",
    "ScenarioOutcome",
    "TornadoResult",
    "apply_scenario",
    "bundled_scenario_paths",
    "compare_scenarios",
    "default_tornado_values",
    "read_scenario",
    "read_scenarios",
    "run_scenario",
    "shift_projection",
    "tornado",
]
