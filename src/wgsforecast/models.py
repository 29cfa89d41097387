"""The domain model: patient groups, the programme and the assumptions of one prognosis.

All models are frozen pydantic v2 models that reject unknown keys, so a typo in a settings
file is an error instead of a silently ignored value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)

from wgsforecast._suggest import closest
from wgsforecast._text import Text
from wgsforecast.periods import Lang, _fold, parse_month

Month = Annotated[pd.Period, BeforeValidator(parse_month), PlainSerializer(str, return_type=str)]
"""A month field: accepts anything :func:`~wgsforecast.periods.parse_month` accepts."""

Source = Literal["published", "assumed", "reconstructed", "derived"]
Kind = Literal["germline", "cancer"]
Status = Literal["live", "onboarding", "planned"]

PROGRAMME_CAP_SHARE = 0.75
"""Item 112/23: no group is assumed to exceed 75% of its declared volume."""

GENOMES_PER_GE: dict[str, float] = {"germline": 1.44, "cancer": 2.0}
"""Genomes per genome equivalent by kind of group: ASSUMED (no public definition of a GE).

Cancer: a tumour and a germline genome per case (Genomics England's practice). Germline:
derived so that the bundled history (7,044 GE germline, 672 GE cancer by February 2023,
a RECONSTRUCTED split) gives the minutes' 11,516 genomes for 7,716 GE (item 112/23).
Override per group with :attr:`PatientGroup.genomes_per_ge` (the optional ``genomes_per_ge``
column of a groups file); :func:`wgsforecast.genomes.observed_genomes_per_ge` sets observed
genomes per GE beside it."""

NATIONAL_WGS_PER_YEAR = 20_000
"""Item 111/23: the expected national need of 20,000 WGS a year after the handover to the
regions. The evidence engine takes it as the centre of an uncertain national capacity
ceiling (it is a planning figure, not a measured capacity)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Ramp(_Frozen):
    """How a group is expected to move from where it is to its expected level.

    The published method starts each live group at the mean of its last complete months
    and moves it in a straight line to ``target_share x declared / 12`` over ``months``
    months, beginning in ``start`` (default: the month after the as-of month, or the
    go-live month for a group not live yet).
    """

    target_share: float = Field(PROGRAMME_CAP_SHARE, gt=0, le=1)
    months: int = Field(12, ge=0, le=120)
    start: Month | None = None


class PatientGroup(_Frozen):
    """One of the programme's patient groups.

    ``go_live`` is the month the group went live, or, for a group not live yet, the month it
    is planned to. ``planned_go_live`` is the month a group that is live now had been planned
    to start (blank if not known): with the month its data start, it says how late this
    programme's go-lives come, which the adoption engine learns from.

    ``provenance`` says, field by field, where a value comes from: ``published`` (a public
    source), ``assumed`` (our assumption) or ``reconstructed``. Fields it does not name are
    assumptions.
    """

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name_da: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: Kind
    declared_per_year: float = Field(gt=0)
    go_live: Month | None = None
    planned_go_live: Month | None = None
    status: Status
    cap_share: float = Field(PROGRAMME_CAP_SHARE, gt=0, le=1)
    ramp: Ramp = Ramp()
    genomes_per_ge: float | None = Field(None, gt=0, le=10)
    provenance: dict[str, Source] = Field(default_factory=dict)

    @property
    def genomes_per_genome_equivalent(self) -> float:
        """Genomes per GE: the group's own value, else the default of its kind."""
        if self.genomes_per_ge is not None:
            return self.genomes_per_ge
        return GENOMES_PER_GE[self.kind]

    @property
    def cap_per_month(self) -> float:
        """The most GE a month may ever be projected at: cap share x declared / 12."""
        return self.cap_share * self.declared_per_year / 12

    def go_live_passed(self, as_of: pd.Period) -> bool:
        """True when the group's go-live is dated and falls in or before ``as_of``.

        For a group without data by ``as_of``, this means it is late: its start is no
        longer its go-live but at the earliest :meth:`first_month_after` ``as_of``.
        """
        return self.go_live is not None and self.go_live <= as_of

    def first_month_after(self, as_of: pd.Period) -> pd.Period | None:
        """The first month a group without data by ``as_of`` can start producing.

        Its go-live, or the month after ``as_of`` when the go-live has passed
        (:meth:`go_live_passed`); ``None`` when the go-live is not dated. The engines start
        a not-yet-live group's ramp (or its prior) from this month.

        Parameters
        ----------
        as_of
            The last month with data.

        Returns
        -------
        pandas.Period or None
            The month, or ``None`` for an undated group.
        """
        if self.go_live is None:
            return None
        return max(self.go_live, as_of + 1)

    @property
    def names(self) -> Text:
        """The group's Danish and English names, for results that show it in either."""
        return Text(da=self.name_da, en=self.name_en)

    def name(self, lang: Lang = "da") -> str:
        """Return the group's name in the language asked for (``"da"`` or ``"en"``)."""
        return self.names.template(lang)

    def source_of(self, field: str) -> Source:
        """Return where a field's value comes from (``assumed`` unless stated)."""
        return self.provenance.get(field, "assumed")


class GroupRegistry:
    """The programme's patient groups, in a fixed order, with name matching.

    Parameters
    ----------
    groups
        The groups; keys must be unique.
    """

    def __init__(self, groups: Sequence[PatientGroup]) -> None:
        keys = [g.key for g in groups]
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        if duplicated:
            raise ValueError(f"patient group keys must be unique; repeated: {duplicated}")
        if not groups:
            raise ValueError("a group registry needs at least one patient group")
        self._groups = tuple(groups)
        self._by_key = {g.key: g for g in self._groups}
        self._by_folded: dict[str, str] = {}
        for g in self._groups:
            for alias in (g.key, g.name_da, g.name_en):
                self._by_folded[_fold(alias)] = g.key

    def __iter__(self) -> Iterator[PatientGroup]:
        return iter(self._groups)

    def __len__(self) -> int:
        return len(self._groups)

    def __getitem__(self, key: str) -> PatientGroup:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(self.unknown_name_message(key)) from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __repr__(self) -> str:
        return f"GroupRegistry({len(self)} groups: {', '.join(self.keys)})"

    @property
    def keys(self) -> tuple[str, ...]:
        """The group keys in registry order."""
        return tuple(self._by_key)

    def genomes_per_ge(self) -> pd.Series:
        """Each group's genomes per GE (an assumption; see :data:`GENOMES_PER_GE`).

        Returns
        -------
        pandas.Series
            Indexed by group key in registry order, named ``genomes_per_ge``.
        """
        return pd.Series(
            [group.genomes_per_genome_equivalent for group in self._groups],
            index=pd.Index(self.keys, name="group"),
            name="genomes_per_ge",
            dtype="float64",
        )

    def match(self, name: str) -> str | None:
        """Return the key of the group called ``name`` (key, Danish or English name).

        Case and accents are ignored. Returns ``None`` when nothing matches.
        """
        return self._by_folded.get(_fold(str(name)))

    def nearest(self, name: str) -> str | None:
        """Return the known key or name closest to ``name``, for 'did you mean' messages."""
        close = closest(_fold(str(name)), self._by_folded, cutoff=0.0)
        if close is None:
            return None
        key = self._by_folded[close]
        group = self._by_key[key]
        return f"{group.key} ({group.name_da})"

    def unknown_name_message(self, name: str) -> str:
        """Say that ``name`` is no known group, naming the nearest one."""
        nearest = self.nearest(name)
        hint = f"; did you mean {nearest}?" if nearest else ""
        return f"unknown patient group {name!r}{hint}"

    def replace(self, groups: Sequence[PatientGroup]) -> GroupRegistry:
        """Return a registry with the given groups substituted by key (order kept)."""
        updates = {g.key: g for g in groups}
        unknown = [k for k in updates if k not in self._by_key]
        if unknown:
            raise KeyError(self.unknown_name_message(unknown[0]))
        return GroupRegistry([updates.get(g.key, g) for g in self._groups])


class TablePeriod(_Frozen):
    """A column of the yearly table.

    A ``span`` column shows GE done in the span (``first`` to ``last``; ``first=None`` means
    from the start of the programme) and the cumulative total at its end. A ``point`` column
    (the mid-year columns of Table 1) shows only the cumulative total.
    """

    label_da: str
    label_en: str
    last: Month
    first: Month | None = None
    kind: Literal["span", "point"] = "span"

    def label(self, lang: Lang = "da") -> str:
        """Return the column label in the language asked for (``"da"`` or ``"en"``)."""
        return Text(da=self.label_da, en=self.label_en).template(lang)


def _year(year: int) -> TablePeriod:
    return TablePeriod(
        label_da=str(year), label_en=str(year), first=f"{year}-01", last=f"{year}-12"
    )


TABLE1_PERIODS: tuple[TablePeriod, ...] = (
    TablePeriod(label_da="2019-2022", label_en="2019-2022", last="2022-12"),
    _year(2023),
    TablePeriod(label_da="Medio 2024", label_en="Mid-2024", last="2024-06", kind="point"),
    _year(2024),
    TablePeriod(label_da="Juni 2025", label_en="June 2025", last="2025-06", kind="point"),
    _year(2025),
)
"""The columns of the published Table 1 (item 112/23)."""


class Programme(_Frozen):
    """The funded programme: the target and the funding deadline (item 112/23).

    ``capacity_wgs_per_year`` is the national sequencing figure the evidence engine centres
    its capacity ceiling on (``None``, the default: no national ceiling; NGC's settings in
    ``data/assumptions/2023-03.toml`` state item 111/23's 20,000 WGS a year,
    :data:`NATIONAL_WGS_PER_YEAR`).
    """

    name_da: str = "De 60.000 NNF-finansierede genomækvivalenter"
    name_en: str = "The 60,000 NNF-funded genome equivalents"
    target_ge: int = Field(60_000, gt=0)
    deadline: Month = Field(default_factory=lambda: pd.Period("2024-06", "M"))
    capacity_wgs_per_year: float | None = Field(None, gt=0)
    table_periods: tuple[TablePeriod, ...] = TABLE1_PERIODS

    def name(self, lang: Lang = "da") -> str:
        """Return the programme's name in the language asked for (``"da"`` or ``"en"``)."""
        return Text(da=self.name_da, en=self.name_en).template(lang)

    @model_validator(mode="after")
    def _periods_present(self) -> Programme:
        if not self.table_periods:
            raise ValueError("table_periods must name at least one period")
        return self


class Assumptions(_Frozen):
    """The settings of one prognosis.

    Parameters
    ----------
    as_of
        The last complete month of data the prognosis uses.
    run_rate_window
        How many of the latest complete months make a group's run rate (3 in item 112/23).
    horizon_months
        How many months after ``as_of`` to project.
    label
        A name for the prognosis, shown in outputs.
    programme
        Target, deadline and table periods.
    """

    as_of: Month
    run_rate_window: int = Field(3, ge=1, le=24)
    horizon_months: int = Field(60, ge=1, le=240)
    label: str = ""
    programme: Programme = Field(default_factory=Programme)

    @property
    def horizon_end(self) -> pd.Period:
        """The last projected month."""
        end: pd.Period = self.as_of + self.horizon_months
        return end

    def with_as_of(self, as_of: Any) -> Assumptions:
        """Return a copy with another as-of month.

        The horizon keeps its length, so its end moves with the as-of month. The label is
        cleared when the month changes: it named the prognosis made at the old month.
        """
        new_as_of = parse_month(as_of)
        label = self.label if new_as_of == self.as_of else ""
        return self.model_copy(update={"as_of": new_as_of, "label": label})


@dataclass(frozen=True)
class ProgrammeData:
    """Actuals, patient groups and assumptions: everything one prognosis needs.

    Attributes
    ----------
    actuals
        Long frame (``group``, ``month``, ``ge``) as returned by
        :func:`wgsforecast.read_actuals`.
    groups
        The patient groups.
    assumptions
        As-of month, run-rate window, horizon and programme.
    national_genomes
        National genome counts when given (:func:`wgsforecast.io.read_national_genomes`);
        genomes per group and month are the actuals' optional ``genomes`` column.
    """

    actuals: pd.DataFrame
    groups: GroupRegistry
    assumptions: Assumptions
    national_genomes: pd.DataFrame | None = None
