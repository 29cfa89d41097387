"""Back-solving: what monthly level is needed to reach the target by a given month?

Two questions, both answered from a prognosis's sample paths:

* :func:`required_rate` - the constant national monthly GE from a given month on;
* :func:`required_group_level` - the constant monthly GE one patient group would need from
  a given month on, every other group as projected.

Under a probabilistic engine the answer comes with the probability asked for: the level
``L`` such that at least that share of paths reaches the target by the date. The months
before the start month (and every other group) keep their simulated values on each path,
so their uncertainty is in the answer; from the start month the level is taken as the
expected monthly GE, without count noise around it (for the chosen level this noise is
small next to the uncertainty of the rest: about ``sqrt(L x months)`` GE).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast._data_notes import is_reconstructed
from wgsforecast._markdown import markdown_table
from wgsforecast._text import Text
from wgsforecast.labels import label, labels_with_prefix
from wgsforecast.periods import Lang, format_month, format_number, format_percent, parse_month

if TYPE_CHECKING:
    from wgsforecast.prognosis import Prognosis

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RequiredLevel:
    """The monthly level needed to reach the target by a month, and what to compare it to.

    Attributes
    ----------
    group
        The patient group's key, or ``None`` for the national rate.
    start, by
        The level applies from ``start`` to ``by`` (both inclusive).
    probability
        The share of paths that reach the target at the required level (at least).
    per_month
        The required GE per month (0 when the target is reached anyway).
    current_per_month
        The mean over the run-rate window ending at the as-of month.
    projected_per_month
        The median projected GE in the start month (what the prognosis already expects).
    cap_per_month
        The group's cap (``None`` for the national rate).
    group_name
        The group's names in Danish and English (``None`` for the national rate).
    """

    group: str | None
    start: pd.Period
    by: pd.Period
    target_ge: int
    probability: float
    per_month: float
    current_per_month: float
    projected_per_month: float
    cap_per_month: float | None
    data_notes: tuple[str, ...] = ()
    group_name: Text | None = None

    @property
    def months(self) -> int:
        """Number of months from ``start`` to ``by``, inclusive."""
        return int((self.by - self.start).n) + 1

    @property
    def exceeds_cap(self) -> bool:
        """True when a group's required level is above its cap (the cap must be raised)."""
        return self.cap_per_month is not None and self.per_month > self.cap_per_month

    def to_frame(self, lang: Lang = "da") -> pd.DataFrame:
        """The result as a two-column table (what, value) with formatted values."""
        texts = _texts(lang)
        rows: list[tuple[str, str]] = [
            (texts["what"], self._who(lang)),
            (texts["period"], f"{format_month(self.start, lang)} - {format_month(self.by, lang)}"),
            (texts["target"], format_number(self.target_ge, lang)),
            (texts["probability"], format_percent(self.probability, lang)),
            (texts["required"], format_number(self.per_month, lang)),
            (texts["current"], format_number(self.current_per_month, lang)),
            (texts["projected"], format_number(self.projected_per_month, lang)),
        ]
        if self.cap_per_month is not None:
            rows.append((texts["cap"], format_number(self.cap_per_month, lang)))
        return pd.DataFrame(rows, columns=[texts["measure"], texts["value"]])

    def _who(self, lang: Lang) -> str:
        if self.group is None:
            return _texts(lang)["national"]
        return self.group_name.template(lang) if self.group_name else self.group

    def to_markdown(self, lang: Lang = "da") -> str:
        """The result as a Markdown table, with the reconstructed-data note when relevant."""
        frame = self.to_frame(lang)
        rows = [[str(a), str(b)] for a, b in frame.itertuples(index=False)]
        text = markdown_table([str(c) for c in frame.columns], rows) + "\n"
        if self.exceeds_cap:
            text += "\n" + _texts(lang)["above_cap"] + "\n"
        if is_reconstructed(self.data_notes):
            text += "\n" + label("reconstructed", lang) + "\n"
        return text


def _texts(lang: Lang) -> dict[str, str]:
    """This module's texts: the ``backsolve_*`` keys of :data:`wgsforecast.labels.LABELS`."""
    return labels_with_prefix("backsolve_", lang)


class _Window(NamedTuple):
    """The months a required level applies to, and the probability asked for."""

    start: pd.Period
    by: pd.Period
    months: int
    probability: float


def _window(prognosis: Prognosis, start: Any, by: Any, probability: float) -> _Window:
    """Check and resolve the arguments the two back-solvers share."""
    first_future = prognosis.as_of + 1
    start_month = first_future if start is None else parse_month(start)
    by_month = prognosis.programme.deadline if by is None else parse_month(by)
    if start_month < first_future:
        raise ValueError(
            f"start {start_month} is not after the as-of month {prognosis.as_of}: the past "
            f"cannot change; start in {first_future} or later"
        )
    last = prognosis.months[-1]
    if start_month > last:
        # The GE done before the start and the projected level there are unknown past the
        # horizon, so there would be no answer (NaN), not a level.
        raise ValueError(
            f"start {start_month} is beyond the prognosis horizon ({last}); start in "
            f"{first_future} to {last}, or use a longer horizon_months"
        )
    if by_month < start_month:
        raise ValueError(f"by {by_month} is before start {start_month}; choose a later month")
    if not 0 < probability <= 1:
        raise ValueError(f"probability must be in (0, 1]; got {probability!r}, e.g. 0.8")
    months = int((by_month - start_month).n) + 1
    return _Window(start_month, by_month, months, float(probability))


def _level(needed: FloatArray, probability: float) -> float:
    """The smallest level at which at least ``probability`` of the paths need no more."""
    value = float(np.quantile(needed, probability, method="inverted_cdf"))
    return max(value, 0.0)


def required_rate(
    prognosis: Prognosis, by: Any = None, start: Any = None, probability: float = 0.5
) -> RequiredLevel:
    """The constant national GE per month from ``start`` needed to reach the target by ``by``.

    Parameters
    ----------
    prognosis
        The baseline prognosis; its paths give the GE done before ``start``.
    by
        Last month the target may be reached in (default: the funding deadline).
    start
        First month of the constant rate (default: the month after the as-of month); it
        must be within the prognosis horizon.
    probability
        Share of paths that must reach the target (e.g. 0.8); deterministic engines have
        one path, so any probability gives the same answer.

    Returns
    -------
    RequiredLevel

    Examples
    --------
    >>> import wgsforecast as wf
    >>> data = wf.load_bundled()
    >>> prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
    >>> result = required_rate(prognosis)  # 60,000 by June 2024, from March 2023
    >>> round(result.per_month)  # 52,284 GE left over 16 months
    3268
    """
    start_month, by_month, months, probability = _window(prognosis, start, by, probability)
    before = prognosis.cumulative_at(start_month - 1)
    needed = (prognosis.programme.target_ge - before) / months
    projected = float(np.median(prognosis.ge_at(start_month)))  # within the horizon: _window
    return RequiredLevel(
        group=None,
        start=start_month,
        by=by_month,
        target_ge=prognosis.programme.target_ge,
        probability=probability,
        per_month=_level(needed, probability),
        current_per_month=float(prognosis.run_rate().sum()),
        projected_per_month=projected,
        cap_per_month=None,
        data_notes=prognosis.data_notes,
    )


def required_group_level(
    prognosis: Prognosis,
    group: str,
    by: Any = None,
    start: Any = None,
    probability: float = 0.5,
) -> RequiredLevel:
    """The constant GE per month one group needs from ``start`` to reach the target by ``by``.

    Every other group keeps its projected paths; the chosen group keeps its paths before
    ``start``. The answer may exceed the group's cap: :attr:`RequiredLevel.exceeds_cap`
    then says the cap would have to be raised.

    Parameters
    ----------
    prognosis
        The baseline prognosis.
    group
        The group's key, Danish or English name.
    by, start, probability
        As for :func:`required_rate`; ``by`` must be within the prognosis's horizon.

    Returns
    -------
    RequiredLevel

    Examples
    --------
    >>> import wgsforecast as wf
    >>> data = wf.load_bundled()
    >>> prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
    >>> result = required_group_level(prognosis, "udbredt-uhelbredelig-kraeft")
    >>> round(result.per_month), result.exceeds_cap
    (1642, False)
    """
    key = prognosis.groups.match(group)
    if key is None:
        raise KeyError(prognosis.groups.unknown_name_message(group))
    start_month, by_month, months, probability = _window(prognosis, start, by, probability)
    if by_month > prognosis.months[-1]:
        raise ValueError(
            f"by {by_month} is beyond the prognosis horizon ({prognosis.months[-1]}); "
            "choose an earlier month or a longer horizon_months"
        )
    others = prognosis.cumulative_at(by_month) - prognosis.cumulative_at(by_month, key)
    own_before = prognosis.cumulative_at(start_month - 1, key)
    needed = (prognosis.programme.target_ge - others - own_before) / months
    group_model = prognosis.groups[key]
    return RequiredLevel(
        group=key,
        start=start_month,
        by=by_month,
        target_ge=prognosis.programme.target_ge,
        probability=probability,
        per_month=_level(needed, probability),
        current_per_month=float(prognosis.run_rate()[key]),
        projected_per_month=float(np.median(prognosis.ge_at(start_month, key))),
        cap_per_month=group_model.cap_per_month,
        data_notes=prognosis.data_notes,
        group_name=group_model.names,
    )
