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
"""

from __future__ import annotations

import copy
import difflib
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from wgsforecast.exceptions import ConfigError, MissingFileError
from wgsforecast.labels import label
from wgsforecast.models import Month, PatientGroup
from wgsforecast.periods import (
    Lang,
    format_month,
    format_number,
    format_percent,
    month_range,
    parse_month,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.api import ProgrammeData
    from wgsforecast.engines import Engine, MeanAdjustment
    from wgsforecast.prognosis import Prognosis

FloatArray = npt.NDArray[np.float64]
QUANTILES: tuple[float, float, float] = (0.1, 0.5, 0.9)
BASELINE = "baseline"
MAX_SHIFT_MONTHS = 120


# --------------------------------------------------------------------------- the file model


def _months_or_range(value: Any) -> Any:
    """Accept ``pause = ["2023-07", ...]`` or ``pause = {from = "2023-07", to = "2023-08"}``."""
    if not isinstance(value, Mapping):
        return value
    unknown = [key for key in value if key not in ("from", "to")]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), ["from", "to"], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"unknown key {unknown[0]!r} in the pause range{hint} (write "
            '{from = "2023-07", to = "2023-08"} or a list of months)'
        )
    missing = [key for key in ("from", "to") if key not in value]
    if missing:
        raise ValueError(f'the pause range needs {" and ".join(missing)}, e.g. to = "2023-08"')
    first, last = parse_month(value["from"]), parse_month(value["to"])
    if last < first:
        raise ValueError(f"the pause range ends ({last}) before it starts ({first}); swap them")
    return list(pd.period_range(first, last, freq="M"))


PauseMonths = Annotated[tuple[Month, ...], BeforeValidator(_months_or_range)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", arbitrary_types_allowed=True, populate_by_name=True
    )


class LevelChange(_Strict):
    """Multiply a group's expected monthly GE by ``factor`` from month ``from`` on."""

    factor: float = Field(ge=0, le=10)
    from_month: Month = Field(alias="from")


class GroupOverrides(_Strict):
    """What a scenario changes for one patient group (``None``: unchanged).

    ``declared_per_year`` sets the declared volume; ``declared_factor`` scales it instead
    (give one of them); the cap scales with it. ``plateau_share`` is the share of the
    declared volume the group levels off at: the planned ramp's ``target_share`` and a
    ceiling on the expected monthly GE (so it also binds for engines that fit their own
    ramps). ``ramp_months`` is the planned ramp's length; engines that fit their ramps from
    the data (``adoption``) do not use it. ``go_live_shift_months`` moves the go-live of a
    group not live yet, and the projected rise of a group already live (see
    :func:`shift_projection`). ``level`` multiplies the expected monthly GE from a month
    on; ``pause`` sets months to zero. Months at or before the as-of month cannot change
    and are skipped.
    """

    go_live_shift_months: int | None = Field(None, ge=-MAX_SHIFT_MONTHS, le=MAX_SHIFT_MONTHS)
    declared_per_year: float | None = Field(None, gt=0, le=1_000_000)
    declared_factor: float | None = Field(None, gt=0, le=10)
    cap_share: float | None = Field(None, gt=0, le=1)
    ramp_months: int | None = Field(None, ge=0, le=120)
    plateau_share: float | None = Field(None, gt=0, le=1)
    level: LevelChange | None = None
    pause: PauseMonths | None = None

    @model_validator(mode="after")
    def _one_declared(self) -> GroupOverrides:
        if self.declared_per_year is not None and self.declared_factor is not None:
            raise ValueError(
                "give declared_per_year or declared_factor, not both; remove one of them"
            )
        return self

    def merged_over(self, general: GroupOverrides) -> GroupOverrides:
        """Return ``general`` with every value set here taking precedence."""
        values = {k: v for k, v in general if v is not None}
        own = {k: v for k, v in self if v is not None}
        if "declared_per_year" in own:
            values.pop("declared_factor", None)
        if "declared_factor" in own:
            values.pop("declared_per_year", None)
        return GroupOverrides.model_construct(**(values | own))

    @property
    def is_empty(self) -> bool:
        """True when nothing is changed."""
        return all(value is None for _, value in self)


class ProgrammeOverrides(_Strict):
    """Programme settings a scenario changes: the target and the funding deadline."""

    target_ge: int | None = Field(None, gt=0, le=10_000_000)
    deadline: Month | None = None


class ScenarioInfo(_Strict):
    """The ``[scenario]`` table: a short name, labels and what the scenario assumes."""

    name: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)
    label_da: str | None = Field(None, min_length=1)
    label_en: str | None = Field(None, min_length=1)
    description_da: str = ""
    description_en: str = ""


class Scenario(_Strict):
    """A what-if: overrides for patient groups and the programme.

    Build one in code (``Scenario(groups={"lever": GroupOverrides(cap_share=0.5)})``) or
    read it with :func:`read_scenario`. Group keys may be a group's key or its Danish or
    English name.
    """

    scenario: ScenarioInfo = ScenarioInfo()
    programme: ProgrammeOverrides = ProgrammeOverrides()
    all_groups: GroupOverrides = Field(GroupOverrides(), alias="all")
    groups: dict[str, GroupOverrides] = Field(default_factory=dict)
    _source: str | None = PrivateAttr(None)

    @property
    def name(self) -> str:
        """The scenario's short name (the file name without suffix if none is given)."""
        if self.scenario.name:
            return self.scenario.name
        return Path(self._source).stem if self._source else "scenario"

    @property
    def source(self) -> str | None:
        """The file the scenario was read from, if any."""
        return self._source

    def label(self, lang: Lang = "da") -> str:
        """The scenario's label in the language asked for (its name if none is given)."""
        text = self.scenario.label_da if lang == "da" else self.scenario.label_en
        return text or self.scenario.label_da or self.scenario.label_en or self.name

    def with_source(self, source: str) -> Scenario:
        """Return a copy that names ``source`` in its error messages."""
        copy = self.model_copy()
        copy._source = source
        return copy

    def apply(self, base: ProgrammeData) -> AppliedScenario:
        """Apply the scenario to the base data.

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
        return _apply(self, base)


_TOP_KEYS = ("scenario", "programme", "all", "groups")


def _valid_keys(location: Sequence[str]) -> tuple[str, ...]:
    """The keys valid at a location of the scenario file (for 'did you mean')."""
    group_keys = tuple((info.alias or name) for name, info in GroupOverrides.model_fields.items())
    level_keys = ("factor", "from")
    if not location:
        return _TOP_KEYS
    head, rest = location[0], list(location[1:])
    if head == "scenario":
        return tuple(ScenarioInfo.model_fields)
    if head == "programme":
        return tuple(ProgrammeOverrides.model_fields)
    if head == "groups":
        rest = rest[1:]
    elif head != "all":
        return ()
    if not rest:
        return group_keys
    return level_keys if rest == ["level"] else ()


def _messages(error: ValidationError) -> list[str]:
    lines = []
    for problem in error.errors():
        location = [str(part) for part in problem["loc"]]
        path = ".".join(location) or "(file)"
        if problem["type"] == "extra_forbidden":
            valid = _valid_keys(location[:-1])
            close = difflib.get_close_matches(location[-1], valid, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            lines.append(f"{path}: unknown key; {hint}(valid keys: {', '.join(valid)})")
        elif problem["type"] == "missing":
            lines.append(f"{path}: missing; add it")
        else:
            message = str(problem["msg"]).removeprefix("Value error, ")
            lines.append(f"{path}: {message} (got {problem.get('input')!r})")
    return lines


def read_scenario(path: str | Path) -> Scenario:
    """Read and validate one scenario file (TOML).

    Parameters
    ----------
    path
        TOML with optional tables ``[scenario]`` (``name``, ``label_da``, ``label_en``,
        ``description_da``, ``description_en``), ``[programme]`` (``target_ge``,
        ``deadline``), ``[all]`` and
        ``[groups.<group>]`` (``go_live_shift_months``, ``declared_per_year`` or
        ``declared_factor``, ``cap_share``, ``ramp_months``, ``plateau_share``,
        ``level = {factor, from}``, ``pause`` as a list of months or ``{from, to}``).

    Returns
    -------
    Scenario
        The validated scenario; its error messages name ``path``.

    Raises
    ------
    MissingFileError
        If the file does not exist.
    ConfigError
        Naming the file and the key path of every problem, with the nearest valid key for
        a misspelt one.

    Examples
    --------
    >>> from wgsforecast.io import bundled_data_dir
    >>> s = read_scenario(bundled_data_dir() / "scenarios" / "kraeft_onboarding_6_mdr_senere.toml")
    >>> s.groups["udbredt-uhelbredelig-kraeft"].go_live_shift_months
    6
    """
    file = Path(path)
    if not file.is_file():
        what = "is a folder, not a file" if file.is_dir() else "does not exist"
        raise MissingFileError(f"{file} {what}; check the path")
    try:
        content = tomllib.loads(file.read_bytes().decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{file}: not valid TOML ({exc}); quote months and group names with spaces, "
            'e.g. deadline = "2024-06"'
        ) from exc
    try:
        scenario = Scenario.model_validate(content)
    except ValidationError as exc:
        lines = _messages(exc)
        count = len(lines)
        listing = "\n".join(f"  - {file}: {line}" for line in lines)
        raise ConfigError(
            f"{count} problem{'s' if count != 1 else ''} in {file}:\n{listing}"
        ) from None
    return scenario.with_source(str(file))


def read_scenarios(paths: Iterable[str | Path]) -> list[Scenario]:
    """Read several scenario files; names must be unique.

    Raises
    ------
    ConfigError
        If a file is invalid or two scenarios share a name.
    """
    scenarios = [read_scenario(p) for p in paths]
    _check_unique(scenarios)
    return scenarios


def bundled_scenario_paths() -> list[Path]:
    """The example scenario files shipped in ``data/scenarios/``, sorted by name."""
    from wgsforecast.io import bundled_data_dir

    return sorted((bundled_data_dir() / "scenarios").glob("*.toml"))


def _check_unique(scenarios: Sequence[Scenario]) -> None:
    seen: dict[str, str] = {}
    for scenario in scenarios:
        where = scenario.source or "(in code)"
        if scenario.name == BASELINE:
            raise ConfigError(f"{where}: scenario.name: {BASELINE!r} is reserved; rename it")
        if scenario.name in seen:
            raise ConfigError(
                f"{where}: scenario.name: {scenario.name!r} is also the name of "
                f"{seen[scenario.name]}; give each scenario its own name"
            )
        seen[scenario.name] = where


# --------------------------------------------------------------------------- application


@dataclass(frozen=True)
class AppliedScenario:
    """A scenario applied to base data: the inputs to fit and the expected-value adjustment."""

    scenario: Scenario
    data: ProgrammeData
    adjust: MeanAdjustment | None


def _apply(scenario: Scenario, base: ProgrammeData) -> AppliedScenario:
    from wgsforecast.api import ProgrammeData

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
            start = max((effective.level.from_month - future_first).n, 0)
            multiplier[index, start:] *= effective.level.factor
        for month in effective.pause or ():
            position = (month - future_first).n
            if 0 <= position < horizon:  # months outside the projection cannot change
                multiplier[index, position] = 0.0

    new_groups = groups.replace(changed) if changed else groups
    programme_changes = {k: v for k, v in scenario.programme if v is not None}
    new_assumptions = assumptions
    if programme_changes:
        programme = assumptions.programme.model_copy(update=programme_changes)
        new_assumptions = assumptions.model_copy(update={"programme": programme})
    adjust = None
    if shifts.any() or np.isfinite(ceilings).any() or (multiplier != 1.0).any():
        adjust = _adjustment(shifts, ceilings, multiplier)
    data = ProgrammeData(base.actuals, new_groups, new_assumptions)
    return AppliedScenario(scenario, data, adjust)


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
        update["ramp"] = group.ramp.model_copy(update=ramp_update)
    if not update:  # only the timing of a live group moves: the model stays as it is
        return group, projection_shift
    return group.model_copy(update=update), projection_shift


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


def _adjustment(
    shifts: npt.NDArray[np.int64], ceilings: FloatArray, multiplier: FloatArray
) -> Callable[[npt.NDArray[np.floating]], npt.NDArray[np.floating]]:
    shifted = np.flatnonzero(shifts)
    capped = bool(np.isfinite(ceilings).any())
    scaled = not bool((multiplier == 1.0).all())

    def adjust(expected: npt.NDArray[np.floating]) -> npt.NDArray[np.floating]:
        out = expected.copy()
        for index in shifted:
            out[:, index, :] = shift_projection(expected[:, index, :], int(shifts[index]))
        if capped:
            np.minimum(out, ceilings[None, :, None].astype(out.dtype), out=out)
        if scaled:
            out *= multiplier[None, :, :].astype(out.dtype)
        return out

    return adjust


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True, eq=False)
class ScenarioOutcome:
    """What one scenario run gives, reduced to what comparisons need.

    Attributes
    ----------
    target_positions
        Per path, the month position where the target is reached (-1: not in the horizon).
    cumulative_quantiles
        National cumulative GE per month at P10, P50 and P90, shape ``[3, month]``.
    period_quantiles
        Cumulative GE at the end of each table period at P10, P50, P90, ``[3, period]``.
    done_by_deadline
        Cumulative GE at the end of the deadline month, per path.
    """

    name: str
    label_da: str
    label_en: str
    target_ge: int
    deadline: pd.Period
    target_positions: npt.NDArray[np.int64]
    cumulative_quantiles: FloatArray
    period_quantiles: FloatArray
    done_by_deadline: FloatArray

    def label(self, lang: Lang = "da") -> str:
        """The scenario's label in the language asked for."""
        return self.label_da if lang == "da" else self.label_en

    @property
    def p_by_deadline(self) -> float:
        """Share of paths that reach the target by the end of the deadline month."""
        return float(np.mean(self.done_by_deadline >= self.target_ge))

    def target_position_quantiles(self) -> list[float]:
        """Month positions at P10, P50, P90 (``inf``: not reached within the horizon)."""
        positions = self.target_positions.astype(np.float64)
        positions[positions < 0] = np.inf
        return [float(np.quantile(positions, q, method="inverted_cdf")) for q in QUANTILES]


def _outcome(prognosis: Prognosis, name: str, label_da: str, label_en: str) -> ScenarioOutcome:
    programme = prognosis.programme
    periods = prognosis.period_paths()["cumulative"]
    with np.errstate(invalid="ignore"):
        period_q = np.quantile(periods, QUANTILES, axis=0)
    return ScenarioOutcome(
        name=name,
        label_da=label_da,
        label_en=label_en,
        target_ge=programme.target_ge,
        deadline=programme.deadline,
        target_positions=prognosis.target_positions.copy(),
        cumulative_quantiles=np.quantile(prognosis.cumulative_paths, QUANTILES, axis=0),
        period_quantiles=period_q,
        done_by_deadline=prognosis.cumulative_at(programme.deadline).copy(),
    )


def _engine_class(engine: str) -> type[Engine]:
    from wgsforecast.engines import ENGINES

    try:
        return ENGINES[engine]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown engine {engine!r}; choose one of: {known}") from None


def run_scenario(
    base: ProgrammeData,
    scenario: Scenario | None,
    engine: str = "adoption",
    n_paths: int = 10_000,
    seed: int | None = 2023,
    progress: bool | None = False,
) -> Prognosis:
    """Forecast one scenario (``None``: the baseline) with the given seed.

    Runs that share ``seed`` share their random numbers, so their difference is the
    scenario's effect.
    """
    if seed is None:
        raise ValueError("scenarios need a fixed seed to share random numbers; pass seed=2023")
    data, adjust = base, None
    if scenario is not None:
        applied = scenario.apply(base)
        data, adjust = applied.data, applied.adjust
    fitted = _engine_class(engine)().fit(data.actuals, data.groups, data.assumptions)
    return fitted.forecast(n_paths=n_paths, seed=seed, progress=progress, adjust=adjust)


_Run = tuple["Scenario | None", str, str, str]


def _run_batch(
    base: ProgrammeData,
    runs: Sequence[_Run],
    engine: str,
    n_paths: int,
    seed: int,
    progress: bool | None,
) -> list[ScenarioOutcome]:
    """Run scenarios that share one fit: fit once, forecast each with its adjustment.

    Only scenarios whose patient groups are unchanged share the fit; a change of the
    programme (target, deadline) does not touch what engines fit, so it reuses the fit too.
    """
    fitted: Engine | None = None
    results: list[ScenarioOutcome] = []
    for scenario, name, label_da, label_en in runs:
        applied = scenario.apply(base) if scenario is not None else None
        data = applied.data if applied is not None else base
        if fitted is None:
            fitted = _engine_class(engine)().fit(data.actuals, data.groups, data.assumptions)
        engine_now = fitted
        if data.assumptions != fitted.assumptions_:
            engine_now = copy.copy(fitted)
            engine_now.assumptions_ = data.assumptions
        prognosis = engine_now.forecast(
            n_paths=n_paths,
            seed=seed,
            progress=progress,
            adjust=applied.adjust if applied is not None else None,
        )
        results.append(_outcome(prognosis, name, label_da, label_en))
        del prognosis  # the paths are large; keep only the summaries
    return results


def _batches(base: ProgrammeData, runs: Sequence[_Run]) -> list[list[_Run]]:
    """Group runs by the fit they need (the baseline's, or their own)."""
    shared: list[_Run] = []
    own: list[list[_Run]] = []
    for run in runs:
        scenario = run[0]
        same = scenario is None or scenario.apply(base).data.groups is base.groups
        if same:
            shared.append(run)
        else:
            own.append([run])
    return [shared, *own]


@dataclass(frozen=True, eq=False)
class ScenarioComparison:
    """The baseline and every scenario, run on the same random numbers.

    The first outcome is the baseline. Use :meth:`table` for numbers, :meth:`to_markdown`
    for a report, :meth:`plot_fans` and :meth:`plot_shifts` for figures.
    """

    outcomes: tuple[ScenarioOutcome, ...]
    months: pd.PeriodIndex
    as_of: pd.Period
    period_labels_da: tuple[str, ...]
    period_labels_en: tuple[str, ...]
    engine: str
    n_paths: int
    seed: int
    data_notes: tuple[str, ...] = ()
    price_per_ge: float | None = None
    currency: str = "DKK"
    descriptions: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @property
    def baseline(self) -> ScenarioOutcome:
        """The baseline outcome."""
        return self.outcomes[0]

    def __getitem__(self, name: str) -> ScenarioOutcome:
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        names = [o.name for o in self.outcomes]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"no scenario {name!r}{hint} (scenarios: {', '.join(names)})")

    def _month(self, position: float) -> pd.Period | None:
        return None if not np.isfinite(position) else self.months[int(position)]

    def path_shifts(self, name: str) -> FloatArray:
        """Per path, how many months later (positive) the scenario reaches the target.

        Paths where either run does not reach the target within the horizon are NaN.
        """
        base = self.baseline.target_positions.astype(np.float64)
        other = self[name].target_positions.astype(np.float64)
        result = other - base
        result[(base < 0) | (other < 0)] = np.nan
        return result

    def table(self, lang: Lang = "da") -> pd.DataFrame:
        """One row per scenario (baseline first): numbers, for CSV files and code.

        Columns: ``scenario``, ``label``, target month at ``p10``/``p50``/``p90`` (``None``
        when not reached within the horizon), ``shift_p50_months`` (scenario P50 minus
        baseline P50), ``p_by_deadline`` and ``p_change`` (percentage points / 100), then
        per table period the cumulative GE at P50, P10 and P90, and - when a price per GE
        was given - the cost of the GE left after the deadline at P50, P10 and P90; last
        ``data_notes`` (``reconstructed`` for the bundled data).
        """
        base_q = self.baseline.target_position_quantiles()
        labels = self.period_labels_da if lang == "da" else self.period_labels_en
        rows = []
        for outcome in self.outcomes:
            positions = outcome.target_position_quantiles()
            row: dict[str, object] = {"scenario": outcome.name, "label": outcome.label(lang)}
            for q, position in zip(QUANTILES, positions, strict=True):
                month = self._month(position)
                row[f"target_p{round(100 * q)}"] = None if month is None else str(month)
            shift = positions[1] - base_q[1]
            row["shift_p50_months"] = shift if np.isfinite(shift) else np.nan
            row["p_by_deadline"] = outcome.p_by_deadline
            row["p_change"] = outcome.p_by_deadline - self.baseline.p_by_deadline
            for column, name in enumerate(labels):
                for q_index, q in ((1, 50), (0, 10), (2, 90)):
                    row[f"{name} p{q}"] = outcome.period_quantiles[q_index, column]
            if self.price_per_ge is not None:
                left = np.maximum(outcome.target_ge - outcome.done_by_deadline, 0.0)
                cost = np.quantile(left * self.price_per_ge, QUANTILES)
                for q_index, q in ((1, 50), (0, 10), (2, 90)):
                    row[f"cost_left_p{q}"] = float(cost[q_index])
            row["data_notes"] = "; ".join(self.data_notes)
            rows.append(row)
        return pd.DataFrame.from_records(rows)

    def to_markdown(self, lang: Lang = "da") -> str:
        """A Markdown table for reports, with Danish number formats by default."""
        texts = _texts(lang)
        base_q = self.baseline.target_position_quantiles()
        labels = self.period_labels_da if lang == "da" else self.period_labels_en
        header = [
            texts["scenario"],
            texts["target_p50"],
            texts["target_interval"],
            texts["shift"],
            texts["p_deadline"],
            *(f"{name} (P50 [P10-P90])" for name in labels),
        ]
        if self.price_per_ge is not None:
            header.append(texts["cost"].format(currency=self.currency))
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for outcome in self.outcomes:
            positions = outcome.target_position_quantiles()
            shift = positions[1] - base_q[1]
            shift_text = (
                "-"
                if outcome is self.baseline
                else (f"{shift:+.0f}" if np.isfinite(shift) else texts["na"])
            )
            change = outcome.p_by_deadline - self.baseline.p_by_deadline
            p_text = format_percent(outcome.p_by_deadline, lang)
            if outcome is not self.baseline:
                points = format_number(100 * abs(change), lang)
                p_text += f" ({'+' if change >= 0 else '-'}{points} {texts['pp']})"
            cells = [
                outcome.label(lang),
                self._month_text(positions[1], lang),
                f"{self._month_text(positions[0], lang)} - {self._month_text(positions[2], lang)}",
                shift_text,
                p_text,
            ]
            for column in range(len(labels)):
                p10, p50, p90 = outcome.period_quantiles[:, column]
                cells.append(
                    f"{_num(p50, lang)} [{_num(p10, lang)}-{_num(p90, lang)}]"
                    if np.isfinite(p50)
                    else texts["na"]
                )
            if self.price_per_ge is not None:
                left = np.maximum(outcome.target_ge - outcome.done_by_deadline, 0.0)
                cost = np.quantile(left * self.price_per_ge, QUANTILES)
                cells.append(f"{_num(cost[1], lang)} [{_num(cost[0], lang)}-{_num(cost[2], lang)}]")
            lines.append("| " + " | ".join(cells) + " |")
        notes = [self._method_note(lang)]
        described = [
            (o.label(lang), self.descriptions.get((o.name, lang), "")) for o in self.outcomes
        ]
        bullets = [f"- {name}: {text}" for name, text in described if text]
        if bullets:
            notes.append("\n".join(bullets))
        if "reconstructed" in self.data_notes:
            notes.append(label("reconstructed", lang))
        return "\n".join(lines) + "\n\n" + "\n\n".join(notes) + "\n"

    def _month_text(self, position: float, lang: Lang) -> str:
        month = self._month(position)
        return _texts(lang)["not_reached"] if month is None else format_month(month, lang)

    def plot_fans(self, ax: Axes | None = None, lang: Lang = "da") -> Axes:
        """Cumulative GE per scenario: the median line and the P10-P90 band, with the target."""
        from wgsforecast.plotting import _new_axes, _title

        ax = _new_axes(ax)
        texts = _texts(lang)
        x = self.months.to_timestamp(how="end")
        shown = self.months >= self.as_of
        # Two years of history are enough context; the earlier months are all near zero.
        history = (self.months <= self.as_of) & (self.months >= self.as_of - 24)
        colours = _colours(len(self.outcomes))
        for outcome, colour in zip(self.outcomes, colours, strict=True):
            p10, p50, p90 = outcome.cumulative_quantiles
            ax.fill_between(x[shown], p10[shown], p90[shown], color=colour, alpha=0.12, lw=0)
            ax.plot(x[shown], p50[shown], color=colour, lw=2, label=outcome.label(lang))
        ax.plot(
            x[history],
            self.baseline.cumulative_quantiles[1][history],
            color="black",
            lw=2,
            label=label("actual", lang),
        )
        ax.axhline(self.baseline.target_ge, color="grey", ls="--", lw=1)
        ax.annotate(
            f"{label('target', lang)}: {format_number(self.baseline.target_ge, lang)}",
            (x[history][0], self.baseline.target_ge),
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=9,
            color="grey",
        )
        deadline = self.baseline.deadline.to_timestamp(how="end")
        ax.axvline(cast(Any, deadline), color="grey", ls=":", lw=1)
        ax.set_ylabel(label("cumulative_ge", lang))
        ax.yaxis.set_major_formatter(_thousands(lang))
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        _title(ax, texts["fans_title"])
        ax.text(
            0.99,
            0.02,
            self._method_note(lang),
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=7,
            color="grey",
        )
        _notes_footnote(ax, self.data_notes, lang)
        return ax

    def plot_shifts(self, ax: Axes | None = None, lang: Lang = "da") -> Axes:
        """Bar chart: months the median target month moves in each scenario (+ = later)."""
        from wgsforecast.plotting import _new_axes, _title

        ax = _new_axes(ax)
        texts = _texts(lang)
        base = self.baseline.target_position_quantiles()[1]
        scenarios = self.outcomes[1:]
        names = [o.label(lang) for o in scenarios]
        shifts = [o.target_position_quantiles()[1] - base for o in scenarios]
        finite = [s if np.isfinite(s) else 0.0 for s in shifts]
        colours = ["#b2182b" if s > 0 else "#2166ac" for s in finite]
        bars = ax.barh(names, finite, color=colours)
        for bar, shift in zip(bars, shifts, strict=True):
            text = f"{shift:+.0f}" if np.isfinite(shift) else texts["not_reached"]
            ax.annotate(
                text,
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(4 if bar.get_width() >= 0 else -4, 0),
                textcoords="offset points",
                ha="left" if bar.get_width() >= 0 else "right",
                va="center",
                fontsize=9,
            )
        ax.axvline(0, color="black", lw=1)
        from matplotlib.ticker import MaxNLocator

        reach = max([abs(s) for s in finite] + [2.0]) + 1.5
        ax.set_xlim(-reach, reach)  # symmetric, with room for the value labels
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.invert_yaxis()
        base_text = self._month_text(base, lang)
        ax.set_xlabel(texts["shift_axis"].format(base=base_text))
        _title(ax, texts["shifts_title"])
        _notes_footnote(ax, self.data_notes, lang)
        return ax

    def _method_note(self, lang: Lang) -> str:
        key = "method" if self.n_paths > 1 else "method_deterministic"
        return _texts(lang)[key].format(
            engine=self.engine, paths=format_number(self.n_paths, lang), seed=self.seed
        )


@dataclass(frozen=True)
class _NotesOnly:
    """Stands in for a prognosis: the plotting footnote only reads ``data_notes``."""

    data_notes: tuple[str, ...]


def _notes_footnote(ax: Axes, data_notes: tuple[str, ...], lang: Lang) -> None:
    """Put the shared 'reconstructed data' footnote of :mod:`wgsforecast.plotting` on the figure."""
    from wgsforecast.plotting import _footnote

    if "reconstructed" in data_notes:
        _footnote(ax.figure, cast("Prognosis", _NotesOnly(data_notes)), lang)


def _thousands(lang: Lang) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: format_number(value, lang))


def _colours(n: int) -> list[str]:
    palette = ["#2c7bb6", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
    palette += ["#a6761d", "#666666", "#1f78b4", "#b2df8a", "#fb9a99"]
    return [palette[i % len(palette)] for i in range(n)]


def _num(value: float, lang: Lang) -> str:
    return format_number(value, lang) if np.isfinite(value) else "-"


_SCENARIO_KEYS = (
    "scenario",
    "baseline",
    "target_p50",
    "target_interval",
    "shift",
    "p_deadline",
    "pp",
    "cost",
    "na",
    "not_reached",
    "method",
    "method_deterministic",
    "fans_title",
    "shifts_title",
    "shift_axis",
)


def _texts(lang: Lang) -> dict[str, str]:
    """This module's texts (kept in :data:`wgsforecast.labels.LABELS`) in ``lang``."""
    return {key: label(f"scenario_{key}", lang) for key in _SCENARIO_KEYS}


def compare_scenarios(
    base: ProgrammeData,
    scenarios: Sequence[Scenario],
    engine: str = "adoption",
    n_paths: int = 10_000,
    seed: int = 2023,
    price_per_ge: float | None = None,
    currency: str = "DKK",
    progress: bool | None = False,
    workers: int | None = 1,
) -> ScenarioComparison:
    """Run the baseline and every scenario on the same random numbers and compare them.

    Parameters
    ----------
    base
        The base data (e.g. :func:`wgsforecast.load_bundled`).
    scenarios
        Scenarios to compare (names must be unique and not ``"baseline"``).
    engine
        Engine name (``"adoption"`` by default; ``"runrate"`` is the published method).
    n_paths
        Sample paths per run (ignored by deterministic engines).
    seed
        One seed for every run, so the runs share their random numbers.
    price_per_ge
        Optional price of one GE; adds the cost of the GE left after the deadline. No
        default price is assumed.
    currency
        Currency of ``price_per_ge``, shown in labels.
    progress
        Show progress bars of the engine runs.
    workers
        Processes to run scenarios in (``None``: one per CPU). Scenarios that leave the
        patient groups unchanged share the baseline's fit; the others are fitted anew, and
        those fits run in parallel. Results do not depend on the number of workers.

    Returns
    -------
    ScenarioComparison
        Baseline first, then the scenarios in the order given.

    Raises
    ------
    ConfigError
        If a scenario does not fit the base data (unknown group, bad shift); every scenario
        is checked before any run starts.

    Examples
    --------
    >>> import wgsforecast as wf
    >>> data = wf.load_bundled()
    >>> later = Scenario(groups={"udbredt-uhelbredelig-kraeft": {"go_live_shift_months": 6}})
    >>> comparison = compare_scenarios(data, [later], engine="runrate")
    >>> float(comparison.table()["shift_p50_months"].iloc[1]) >= 0
    True
    """
    if price_per_ge is not None and not (np.isfinite(price_per_ge) and price_per_ge > 0):
        raise ValueError(f"price_per_ge must be a positive number; got {price_per_ge!r}")
    _engine_class(engine)
    _check_unique(scenarios)
    for scenario in scenarios:  # fail fast, before the slow runs
        scenario.apply(base)
    texts_da, texts_en = _texts("da"), _texts("en")
    runs: list[_Run] = [(None, BASELINE, texts_da["baseline"], texts_en["baseline"])]
    runs += [(s, s.name, s.label("da"), s.label("en")) for s in scenarios]
    batches = _batches(base, runs)
    arguments = (engine, n_paths, seed, progress)
    n_workers = min(workers or os.cpu_count() or 1, len(batches))
    if n_workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(n_workers, mp_context=context) as pool:
            # Largest batch first, so the pool's two queues end at about the same time.
            order = sorted(range(len(batches)), key=lambda i: -len(batches[i]))
            futures = {i: pool.submit(_run_batch, base, batches[i], *arguments) for i in order}
            done = [futures[i].result() for i in range(len(batches))]
    else:
        done = [_run_batch(base, batch, *arguments) for batch in batches]
    by_name = {outcome.name: outcome for batch in done for outcome in batch}
    outcomes = [by_name[name] for _, name, _, _ in runs]
    known = base.actuals[base.actuals["month"] <= base.assumptions.as_of]
    months = month_range(known["month"].min(), base.assumptions.horizon_end)
    periods = base.assumptions.programme.table_periods
    return ScenarioComparison(
        outcomes=tuple(outcomes),
        months=months,
        as_of=base.assumptions.as_of,
        period_labels_da=tuple(p.label("da") for p in periods),
        period_labels_en=tuple(p.label("en") for p in periods),
        engine=engine,
        n_paths=int(outcomes[0].target_positions.size),
        seed=seed,
        data_notes=tuple(base.actuals.attrs.get("notes", ())),
        price_per_ge=price_per_ge,
        currency=currency,
        descriptions={
            (s.name, lang): s.scenario.description_da if lang == "da" else s.scenario.description_en
            for s in scenarios
            for lang in ("da", "en")
        },
    )


# --------------------------------------------------------------------------- tornado

Metric = Literal["target_month", "p_by_deadline"]

TORNADO_PARAMETERS = (
    "go_live_shift_months",
    "declared_factor",
    "plateau_share",
    "cap_share",
    "ramp_months",
)


def default_tornado_values(group: PatientGroup) -> dict[str, tuple[float, float]]:
    """Low and high values tried for each parameter of ``group`` by :func:`tornado`.

    Go-live six months earlier/later; declared volume -25 %/+25 %; plateau and cap share a
    third lower/higher (at most 1); ramp half/one and a half times as long.
    """
    return {
        "go_live_shift_months": (-6, 6),
        "declared_factor": (0.75, 1.25),
        "plateau_share": (
            group.ramp.target_share * 2 / 3,
            min(1.0, group.ramp.target_share * 4 / 3),
        ),
        "cap_share": (group.cap_share * 2 / 3, min(1.0, group.cap_share * 4 / 3)),
        "ramp_months": (round(group.ramp.months / 2), round(group.ramp.months * 1.5)),
    }


@dataclass(frozen=True, eq=False)
class TornadoResult:
    """One-at-a-time sensitivity of one group's parameters.

    ``frame`` has one row per parameter: ``parameter``, ``low``, ``high`` (the values
    tried), ``metric_low``, ``metric_high`` (the metric with each), and ``swing``
    (``|metric_high - metric_low|``), sorted by swing, largest first. The metric is the
    median target month's shift from the baseline in months (``target_month``) or
    P(target by deadline) (``p_by_deadline``).
    """

    group: str
    group_name_da: str
    group_name_en: str
    metric: Metric
    base_value: float
    frame: pd.DataFrame
    comparison: ScenarioComparison

    def plot(self, ax: Axes | None = None, lang: Lang = "da") -> Axes:
        """Horizontal bars from the baseline to the low and high values of each parameter."""
        from wgsforecast.plotting import _new_axes, _title

        ax = _new_axes(ax)
        texts = _tornado_texts(lang)
        frame = self.frame.iloc[::-1]
        y = np.arange(len(frame))
        base = self.base_value
        for value_column, colour, name in (
            ("metric_low", "#2166ac", texts["low"]),
            ("metric_high", "#b2182b", texts["high"]),
        ):
            values = frame[value_column].to_numpy(dtype=float)
            ax.barh(y, values - base, left=base, color=colour, alpha=0.8, label=name)
        labels = [
            f"{texts[p]} ({_fmt(lo, lang)} / {_fmt(hi, lang)})"
            for p, lo, hi in zip(frame["parameter"], frame["low"], frame["high"], strict=True)
        ]
        ax.set_yticks(y, labels)
        ax.axvline(base, color="black", lw=1)
        ax.set_xlabel(texts[self.metric])
        group_name = self.group_name_da if lang == "da" else self.group_name_en
        _title(ax, texts["title"].format(group=group_name))
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        _notes_footnote(ax, self.comparison.data_notes, lang)
        return ax

    def table(self, lang: Lang = "da") -> pd.DataFrame:
        """The frame with parameter names in the language asked for."""
        texts = _tornado_texts(lang)
        frame = self.frame.copy()
        frame["parameter"] = [texts[p] for p in frame["parameter"]]
        return frame


def _fmt(value: float, lang: Lang) -> str:
    return format_number(value, lang, decimals=0 if float(value).is_integer() else 2)


_TORNADO_KEYS = (
    "go_live_shift_months",
    "declared_factor",
    "plateau_share",
    "cap_share",
    "ramp_months",
    "low",
    "high",
    "target_month",
    "p_by_deadline",
    "title",
)


def _tornado_texts(lang: Lang) -> dict[str, str]:
    """This module's texts (kept in :data:`wgsforecast.labels.LABELS`) in ``lang``."""
    return {key: label(f"tornado_{key}", lang) for key in _TORNADO_KEYS}


def tornado(
    base: ProgrammeData,
    group_key: str,
    engine: str = "adoption",
    n_paths: int = 2_000,
    seed: int = 2023,
    metric: Metric = "target_month",
    values: Mapping[str, tuple[float, float]] | None = None,
) -> TornadoResult:
    """One-at-a-time sensitivity of the target month (or P(by deadline)) to one group.

    Parameters
    ----------
    base
        The base data.
    group_key
        The group (key, Danish or English name).
    engine, n_paths, seed
        As for :func:`compare_scenarios`; every run shares the seed.
    metric
        ``"target_month"``: shift of the median target month from the baseline (months);
        ``"p_by_deadline"``: P(target reached by the deadline).
    values
        Low and high value per parameter (names as in :data:`TORNADO_PARAMETERS`); default
        :func:`default_tornado_values`.

    Returns
    -------
    TornadoResult
        The table (largest swing first) and a plot.

    Examples
    --------
    >>> import wgsforecast as wf
    >>> result = tornado(wf.load_bundled(), "udbredt-uhelbredelig-kraeft", engine="runrate")
    >>> result.frame["parameter"].iloc[0] in TORNADO_PARAMETERS
    True
    """
    key = base.groups.match(group_key)
    if key is None:
        raise KeyError(base.groups.unknown_name_message(group_key))
    if metric not in ("target_month", "p_by_deadline"):
        raise ValueError(f"metric must be 'target_month' or 'p_by_deadline'; got {metric!r}")
    group = base.groups[key]
    chosen = dict(values) if values is not None else default_tornado_values(group)
    unknown = [p for p in chosen if p not in TORNADO_PARAMETERS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], TORNADO_PARAMETERS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"unknown tornado parameter {unknown[0]!r}{hint} (choose from "
            f"{', '.join(TORNADO_PARAMETERS)})"
        )
    scenarios = []
    for parameter, pair in chosen.items():
        for side, value in zip(("low", "high"), pair, strict=True):
            number: float | int = int(value) if parameter in _INTEGER_PARAMETERS else value
            scenarios.append(
                Scenario(
                    scenario=ScenarioInfo(name=f"{parameter}.{side}"),
                    groups={key: GroupOverrides.model_validate({parameter: number})},
                )
            )
    comparison = compare_scenarios(base, scenarios, engine=engine, n_paths=n_paths, seed=seed)

    def measure(outcome: ScenarioOutcome) -> float:
        if metric == "p_by_deadline":
            return outcome.p_by_deadline
        base_p50 = comparison.baseline.target_position_quantiles()[1]
        return outcome.target_position_quantiles()[1] - base_p50

    rows = []
    for parameter, (low, high) in chosen.items():
        metric_low = measure(comparison[f"{parameter}.low"])
        metric_high = measure(comparison[f"{parameter}.high"])
        rows.append(
            {
                "parameter": parameter,
                "low": low,
                "high": high,
                "metric_low": metric_low,
                "metric_high": metric_high,
                "swing": abs(metric_high - metric_low),
            }
        )
    frame = pd.DataFrame.from_records(rows)
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    return TornadoResult(
        group=key,
        group_name_da=group.name_da,
        group_name_en=group.name_en,
        metric=metric,
        base_value=measure(comparison.baseline),
        frame=frame,
        comparison=comparison,
    )


_INTEGER_PARAMETERS = ("go_live_shift_months", "ramp_months")
