"""Scenario files: the models of what a scenario changes, reading them and their errors."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

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

from wgsforecast._suggest import did_you_mean
from wgsforecast._text import Text
from wgsforecast._validation import field_problems
from wgsforecast.exceptions import ConfigError, MissingFileError
from wgsforecast.models import Month
from wgsforecast.periods import Lang, parse_month

BASELINE = "baseline"
"""The name of the baseline run; no scenario may take it."""
MAX_SHIFT_MONTHS = 120


def _months_or_range(value: Any) -> Any:
    """Accept ``pause = ["2023-07", ...]`` or ``pause = {from = "2023-07", to = "2023-08"}``."""
    if not isinstance(value, Mapping):
        return value
    unknown = [key for key in value if key not in ("from", "to")]
    if unknown:
        hint = did_you_mean(str(unknown[0]), ["from", "to"])
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
    on; ``pause`` sets months to zero. Both take months of the projection only (after the
    as-of month, up to the horizon end): any other month would change nothing, so applying
    the scenario raises a :class:`~wgsforecast.exceptions.ConfigError` naming the key.
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


EngineValue = bool | int | float | str
"""A value an ``[engine]`` table may set: the settings given by number, text or true/false."""


class Scenario(_Strict):
    """A what-if: overrides for patient groups and the programme, and engine settings.

    Build one in code (``Scenario(groups={"lever": GroupOverrides(cap_share=0.5)})``) or
    read it with :func:`read_scenario`. Group keys may be a group's key or its Danish or
    English name. ``engine`` changes settings of the comparison's engine for this scenario
    (e.g. ``{"reference_weight": 0.0}`` for the adoption engine); such a scenario is fitted
    on its own, still on the common random numbers.
    """

    scenario: ScenarioInfo = ScenarioInfo()
    programme: ProgrammeOverrides = ProgrammeOverrides()
    all_groups: GroupOverrides = Field(GroupOverrides(), alias="all")
    groups: dict[str, GroupOverrides] = Field(default_factory=dict)
    engine: dict[str, EngineValue] = Field(default_factory=dict)
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

    @property
    def label_text(self) -> Text:
        """The scenario's label in both languages: a missing one is the other, else the name."""
        info = self.scenario
        either = info.label_da or info.label_en or self.name
        return Text(da=info.label_da or either, en=info.label_en or either)

    def label(self, lang: Lang = "da") -> str:
        """The scenario's label in the language asked for (its name if none is given)."""
        return self.label_text.template(lang)

    @property
    def description_text(self) -> Text:
        """What the scenario assumes, in both languages (empty when the file says nothing)."""
        return Text(da=self.scenario.description_da, en=self.scenario.description_en)

    def with_source(self, source: str) -> Scenario:
        """Return a copy that names ``source`` in its error messages."""
        copy = self.model_copy()
        copy._source = source
        return copy


_TOP_KEYS = ("scenario", "programme", "all", "groups", "engine")


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
    for problem in field_problems(error):
        path = problem.where or "(file)"
        if problem.kind == "extra_forbidden":
            valid = _valid_keys(problem.location[:-1])
            hint = did_you_mean(problem.location[-1], valid, cutoff=0.5)
            lines.append(f"{path}: unknown key{hint} (valid keys: {', '.join(valid)})")
        elif problem.missing:
            lines.append(f"{path}: missing; add it")
        else:
            message = problem.message.removeprefix("Value error, ")
            lines.append(f"{path}: {message} (got {problem.value!r})")
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
        ``level = {factor, from}``, ``pause`` as a list of months or ``{from, to}``) and
        ``[engine]`` (settings of the comparison's engine, e.g. ``min_months = 4``).

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
    check_unique(scenarios)
    return scenarios


def bundled_scenario_paths() -> list[Path]:
    """The example scenario files shipped in ``data/scenarios/``, sorted by name."""
    from wgsforecast.io import bundled_data_dir

    return sorted((bundled_data_dir() / "scenarios").glob("*.toml"))


def check_unique(scenarios: Sequence[Scenario]) -> None:
    """Refuse the reserved name ``baseline`` and two scenarios with the same name."""
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
