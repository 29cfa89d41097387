"""Applying a scenario to the data: changed patient groups and the expected-value adjustment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ValidationError

from wgsforecast._validation import field_problems
from wgsforecast.exceptions import ConfigError
from wgsforecast.models import PatientGroup, Programme, ProgrammeData
from wgsforecast.scenarios.model import GroupOverrides, Scenario

if TYPE_CHECKING:
    from wgsforecast.engines import Engine, MeanAdjustment

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AppliedScenario:
    """A scenario applied to base data: the inputs to fit and the expected-value adjustment."""

    scenario: Scenario
    data: ProgrammeData
    adjust: MeanAdjustment | None


def scenario_engine(scenario: Scenario, engine: Engine) -> Engine:
    """The engine a scenario runs: ``engine`` with the settings of its ``[engine]`` table.

    Parameters
    ----------
    scenario
        The scenario; without an ``[engine]`` table ``engine`` is returned as it is.
    engine
        The comparison's engine (unfitted).

    Returns
    -------
    Engine
        A new, unfitted engine of the same kind with the scenario's settings.

    Raises
    ------
    ConfigError
        Naming the file and key: a setting the engine does not have, a value of the wrong
        kind, or one the engine refuses.
    """
    if not scenario.engine:
        return engine
    where = scenario.source or "(scenario in code)"
    current = engine.settings()
    for name, value in scenario.engine.items():
        if name not in current:
            raise ConfigError(f"{where}: engine.{name}: {engine.unknown_setting_message(name)}")
        problem = _setting_kind_problem(current[name], value)
        if problem:
            raise ConfigError(f"{where}: engine.{name}: {problem}")
    try:
        return engine.with_settings(**scenario.engine)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: engine: {exc}") from exc


def _setting_kind_problem(current: object, value: object) -> str:
    """Why ``value`` cannot replace the setting ``current`` (``""``: it can)."""
    if current is None:
        return ""
    if isinstance(current, bool):
        ok, kind = isinstance(value, bool), "true or false"
    elif isinstance(current, int):
        ok, kind = isinstance(value, int) and not isinstance(value, bool), "a whole number"
    elif isinstance(current, float):
        ok, kind = isinstance(value, int | float) and not isinstance(value, bool), "a number"
    elif isinstance(current, str):
        ok, kind = isinstance(value, str), "text"
    else:
        return (
            f"is a {type(current).__name__}, which a scenario file cannot set; "
            "set it on the engine in code"
        )
    return "" if ok else f"must be {kind} (now {current!r}); got {value!r}"


def apply_scenario(scenario: Scenario, base: ProgrammeData) -> AppliedScenario:
    """Apply a scenario to the base data.

    Parameters
    ----------
    scenario
        What changes (e.g. from :func:`~wgsforecast.scenarios.read_scenario`).
    base
        The data it changes.

    Returns
    -------
    AppliedScenario
        The changed data and the adjustment of expected values for the engines.

    Raises
    ------
    ConfigError
        Naming the file and key: an unknown group, or a go-live shift that moves a group
        before the data starts or that has no go-live month to shift.
    """
    where = scenario.source or "(scenario in code)"
    groups, assumptions, actuals = base.groups, base.assumptions, base.actuals
    known = actuals[actuals["month"] <= assumptions.as_of]
    data_start: pd.Period = known["month"].min()
    first_month: dict[str, pd.Period] = {
        str(k): v for k, v in known.groupby("group")["month"].min().items()
    }
    horizon = assumptions.horizon_months
    future_first = assumptions.as_of + 1

    overrides: dict[str, tuple[str, GroupOverrides]] = {}
    for name, own in scenario.groups.items():
        key = groups.match(name)
        if key is None:
            raise ConfigError(f"{where}: groups.{name}: {groups.unknown_name_message(name)}")
        if key in overrides:
            raise ConfigError(
                f"{where}: groups.{name}: the same group as groups.{overrides[key][0]}; "
                "merge the two tables"
            )
        overrides[key] = (name, own)

    changed: list[PatientGroup] = []
    shifts = np.zeros(len(groups), dtype=np.int64)
    ceilings = np.full(len(groups), np.inf)
    multiplier = np.ones((len(groups), horizon))
    for index, group in enumerate(groups):
        name, own = overrides.get(group.key, ("", GroupOverrides()))
        # Where a shift came from, for error messages: the group's table or [all].
        table = f"groups.{name}" if own.go_live_shift_months is not None else "all"
        effective = own.merged_over(scenario.all_groups)
        if effective.is_empty:
            continue
        live = group.key in first_month
        new_group, shift = _changed_group(
            group, effective, live, data_start, first_month, where, table
        )
        if new_group is not group:
            changed.append(new_group)
            group = new_group
        shifts[index] = shift
        if effective.plateau_share is not None:
            # Engines that fit their own ramps ignore ramp.target_share: the plateau is
            # also a ceiling on the expected monthly GE, so it binds for every engine.
            ceilings[index] = effective.plateau_share * group.declared_per_year / 12
        if effective.level is not None:
            key = f"{where}: {_table_of(name, own.level, 'level')}.from"
            start = _projection_position(effective.level.from_month, future_first, horizon, key)
            multiplier[index, start:] *= effective.level.factor
        for month in effective.pause or ():
            key = f"{where}: {_table_of(name, own.pause, 'pause')}"
            multiplier[index, _projection_position(month, future_first, horizon, key)] = 0.0

    new_groups = groups.replace(changed) if changed else groups
    programme_changes = {k: v for k, v in scenario.programme if v is not None}
    new_assumptions = assumptions
    if programme_changes:
        programme = _validated(
            Programme, assumptions.programme.model_dump() | programme_changes, f"{where}: programme"
        )
        new_assumptions = assumptions.model_copy(update={"programme": programme})
    adjust = None
    if shifts.any() or np.isfinite(ceilings).any() or (multiplier != 1.0).any():
        adjust = ScenarioAdjustment(shifts, ceilings, multiplier)
    data = ProgrammeData(base.actuals, new_groups, new_assumptions)
    return AppliedScenario(scenario, data, adjust)


def _table_of(name: str, own: object, key: str) -> str:
    """The key a value came from, for messages: the group's own table or ``[all]``."""
    return f"groups.{name}.{key}" if own is not None else f"all.{key}"


def _projection_position(month: pd.Period, first: pd.Period, horizon: int, key: str) -> int:
    """Position of ``month`` in the projection; a month outside it is a :class:`ConfigError`.

    A scenario can only change projected months: a month at or before the as-of month is
    history, and one after the horizon is never computed, so either would do nothing.
    """
    position = int((month - first).n)
    if not 0 <= position < horizon:
        last = first + horizon - 1
        where = "at or before the as-of month" if position < 0 else "after the horizon end"
        raise ConfigError(
            f"{key}: {month} is {where}, outside the projection ({first} to {last}), so it "
            f"would change nothing; use a month from {first} to {last}"
        )
    return position


def _changed_group(
    group: PatientGroup,
    change: GroupOverrides,
    live: bool,
    data_start: pd.Period,
    first_month: Mapping[str, pd.Period],
    where: str,
    table: str,
) -> tuple[PatientGroup, int]:
    """Return the changed group and the shift to apply to its projection (live groups)."""
    update: dict[str, Any] = {}
    ramp_update: dict[str, Any] = {}
    if change.declared_per_year is not None:
        update["declared_per_year"] = change.declared_per_year
    elif change.declared_factor is not None:
        update["declared_per_year"] = group.declared_per_year * change.declared_factor
    if change.cap_share is not None:
        update["cap_share"] = change.cap_share
    if change.ramp_months is not None:
        ramp_update["months"] = change.ramp_months
    if change.plateau_share is not None:
        ramp_update["target_share"] = change.plateau_share
    shift = change.go_live_shift_months or 0
    projection_shift = 0
    if shift:
        key = f"{where}: {table}.go_live_shift_months"
        start = group.go_live if group.go_live is not None else first_month.get(group.key)
        if start is None:
            raise ConfigError(
                f"{key}: group {group.key!r} has no go-live month and no data, so there is "
                "nothing to shift; give it a go_live month in the patient-group file"
            )
        if start + shift < data_start:
            raise ConfigError(
                f"{key}: a shift of {shift} months moves the go-live of {group.key!r} from "
                f"{start} to {start + shift}, before the data start in {data_start}; use a "
                f"shift of at least {(data_start - start).n}"
            )
        if live:
            projection_shift = shift
        else:
            update["go_live"] = start + shift
            if group.ramp.start is not None:
                ramp_update["start"] = group.ramp.start + shift
    if ramp_update:
        update["ramp"] = group.ramp.model_dump() | ramp_update
    if not update:  # only the timing of a live group moves: the model stays as it is
        return group, projection_shift
    # model_copy(update=...) would skip validation: build the group anew so the changed
    # values obey the same rules as the group registry file.
    fields = group.model_dump() | update
    return _validated(PatientGroup, fields, f"{where}: group {group.key!r}"), projection_shift


_Model = TypeVar("_Model", bound=BaseModel)


def _validated(model: type[_Model], fields: dict[str, Any], where: str) -> _Model:
    """Validate ``fields`` as ``model``; a :class:`ConfigError` naming the scenario if not."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        errors = [f"{p.where}: {p.message} (got {p.value!r})" for p in field_problems(exc)]
        raise ConfigError(
            f"{where}: the scenario makes an invalid {model.__name__}: {'; '.join(errors)};"
            " change the scenario's values so the result is valid"
        ) from exc


def shift_projection(values: npt.NDArray[np.floating], months: int) -> npt.NDArray[np.floating]:
    """Move the rise of projected monthly values ``months`` later (+) or earlier (-).

    ``values`` is ``[path, horizon]``. Each month is scaled by how far the running maximum
    (the envelope of the rise) had got ``months`` earlier (later): for a projection that
    only rises - the planned ramps of the published method - this is exactly the
    projection moved in time, holding the first value at the front (later) or the last
    value at the end (earlier). Two consequences of using the envelope, on purpose:

    * month-of-year effects stay on their calendar months (a delayed ramp does not move
      the July dip), and a plateau stays where it is;
    * a later start never raises any month and an earlier one never lowers any, so
      delaying onboarding can never make the target come earlier on any path.

    A projection that only falls (a group above its plateau) has a flat envelope and is
    left unchanged.

    Examples
    --------
    >>> shift_projection(np.array([[1.0, 2.0, 3.0, 4.0]]), 2)
    array([[1., 1., 1., 2.]])
    >>> shift_projection(np.array([[1.0, 2.0, 3.0, 4.0]]), -1)
    array([[2., 3., 4., 4.]])
    """
    horizon = values.shape[-1]
    k = min(abs(months), horizon)
    if k == 0:
        return values.copy()
    envelope = np.maximum.accumulate(values, axis=-1)
    if months > 0:
        moved = np.concatenate(
            [np.repeat(envelope[..., :1], k, axis=-1), envelope[..., : horizon - k]], axis=-1
        )
    else:
        moved = np.concatenate(
            [envelope[..., k:], np.repeat(envelope[..., -1:], k, axis=-1)], axis=-1
        )
    positive = envelope > 0
    ratio = np.divide(moved, envelope, out=np.ones(envelope.shape), where=positive)
    result: npt.NDArray[np.floating] = values * ratio
    if months < 0:
        # Nothing to scale where the projection is still zero: take the later value itself.
        pure = np.concatenate([values[..., k:], np.repeat(values[..., -1:], k, axis=-1)], axis=-1)
        result = np.where(positive, np.maximum(result, values), pure)
    else:
        result = np.minimum(result, values)  # guards against rounding in the ratio
    return result.astype(values.dtype, copy=False)


@dataclass(frozen=True, eq=False)
class ScenarioAdjustment:
    """A scenario's change of the expected monthly GE (the engines' ``adjust``).

    A plain object rather than a closure, so an applied scenario can be sent to the worker
    processes of a comparison.

    Attributes
    ----------
    shifts
        Per group, months its projected rise moves (+ later, - earlier; 0: unmoved).
    ceilings
        Per group, the highest expected GE per month (``inf``: no ceiling).
    multiplier
        Per group and projected month, the factor on the expected GE ``[group, horizon]``.
    """

    shifts: npt.NDArray[np.int64]
    ceilings: FloatArray
    multiplier: FloatArray

    def __call__(self, expected: npt.NDArray[np.floating]) -> npt.NDArray[np.floating]:
        """The adjusted copy of ``expected`` ``[path, group, horizon]``."""
        out = expected.copy()
        for index in np.flatnonzero(self.shifts):
            out[:, index, :] = shift_projection(expected[:, index, :], int(self.shifts[index]))
        if np.isfinite(self.ceilings).any():
            np.minimum(out, self.ceilings[None, :, None].astype(out.dtype), out=out)
        if (self.multiplier != 1.0).any():
            out *= self.multiplier[None, :, :].astype(out.dtype)
        return out


# --------------------------------------------------------------------------- comparison
