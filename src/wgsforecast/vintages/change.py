"""What changed between an earlier vintage and a new prognosis: :class:`Change`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import pandas as pd

from wgsforecast.labels import label as text_of
from wgsforecast.periods import Lang, format_month, format_number, format_signed
from wgsforecast.vintages.files import deadline_figures
from wgsforecast.vintages.vintage import Vintage, first_reach

if TYPE_CHECKING:
    from wgsforecast.prognosis import Prognosis


@dataclass(frozen=True)
class Change:
    """What moved between a previous vintage and a new prognosis.

    Parameters
    ----------
    previous
        The earlier vintage (or one with the same as-of month).
    previous_target, current_target
        The central target months (``None``: not reached within the horizon).
    shift_months
        ``current - previous`` in months (positive: later), ``None`` if either is missing.
    previous_by_deadline, current_by_deadline
        GE done by the funding deadline (``None``: unknown, the deadline is after the
        horizon).
    groups
        Per group, how many months the target month moves when only that group's projection
        changes from the previous vintage to the new one: ``group``, ``name``,
        ``shift_months`` (``<NA>`` when the target is not reached within the common horizon
        with or without the change), ``direction`` (``later``, ``earlier``, ``none``, or
        ``unknown`` when neither version reaches the target within the horizon),
        ``beyond_horizon`` (True when the shift cannot be counted in months because one
        version does not reach the target within the horizon), ``previous_ge`` and
        ``current_ge`` (over the months both cover); ``None`` when the previous vintage has
        no per-group data.
    current_as_of
        The new prognosis's as-of month (``None``: not known; the text then reads as a
        change over time).
    """

    previous: Vintage
    previous_target: pd.Period | None
    current_target: pd.Period | None
    shift_months: int | None
    previous_by_deadline: float | None
    current_by_deadline: float | None
    groups: pd.DataFrame | None
    current_as_of: pd.Period | None = None

    @property
    def same_as_of(self) -> bool:
        """True when both prognoses used data to the same month (a comparison, not a change)."""
        return self.current_as_of is not None and self.current_as_of == self.previous.as_of

    def describe(self, lang: Lang = "da") -> list[str]:
        """Return the change as short sentences for reports."""
        name = self.previous.label_in(lang)

        def month(m: pd.Period | None) -> str:
            return text_of("vintage_not_in_horizon", lang) if m is None else format_month(m, lang)

        if self.shift_months is None:
            move = "-"
        elif self.shift_months == 0:
            move = text_of("vintage_unchanged", lang)
        else:
            n = abs(self.shift_months)
            unit = text_of("vintage_month" if n == 1 else "vintage_months", lang)
            way = text_of("vintage_later" if self.shift_months > 0 else "vintage_earlier", lang)
            move = f"{n} {unit} {way}"
        if self.current_by_deadline is None or self.previous_by_deadline is None:
            deadline = text_of("vintage_deadline_unknown", lang)
        else:
            diff = self.current_by_deadline - self.previous_by_deadline
            deadline = text_of("vintage_deadline", lang).format(
                current=format_number(self.current_by_deadline, lang),
                previous=format_number(self.previous_by_deadline, lang),
                diff=format_signed(diff, lang),
            )
        lead = (
            text_of("vintage_compared_with", lang).format(
                name=name, as_of=format_month(self.previous.as_of, lang)
            )
            if self.same_as_of
            else text_of("vintage_since", lang).format(name=name)
        )
        texts = [
            text_of("vintage_change", lang).format(
                lead=lead,
                current=month(self.current_target),
                previous=month(self.previous_target),
                move=move,
                deadline=deadline,
            )
        ]
        if self.groups is None:
            texts.append(text_of("vintage_no_groups", lang))
            return texts
        rows = self.groups
        if (rows["direction"] == "unknown").all():
            texts.append(text_of("vintage_groups_not_reached", lang))
            return texts
        moved = rows[rows["direction"].isin(["later", "earlier"])]
        if moved.empty:
            texts.append(text_of("vintage_no_group_moves", lang))
        for row in moved.itertuples(index=False):
            way = text_of(f"vintage_{row.direction}", lang)
            if row.beyond_horizon:
                key = f"vintage_group_{row.direction}_horizon"
                texts.append(text_of(key, lang).format(group=row.name))
            else:
                texts.append(
                    text_of("vintage_group_moves", lang).format(
                        group=row.name, n=abs(int(cast(int, row.shift_months))), way=way
                    )
                )
        return texts


def change_since(prognosis: Prognosis, previous: Vintage, lang: Lang = "da") -> Change:
    """Compare a new prognosis with an earlier vintage.

    Parameters
    ----------
    prognosis
        The new prognosis.
    previous
        The earlier vintage (e.g. from :func:`previous_vintage`).
    lang
        Language of the group names in ``Change.groups``.

    Returns
    -------
    Change
        Target-month shift, GE-by-deadline change and, when the previous vintage has
        per-group data, the target-month shift each group causes on its own.

    Notes
    -----
    The per-group attribution swaps one group's mean monthly projection at a time from the
    previous vintage into the new one and reads off the national target month; the shifts
    need not add up to the total shift, because groups interact through the month the
    cumulative total crosses the target. When one version does not reach the target within
    the months both cover, the shift is not a number of months: it is reported as beyond
    the horizon (``shift_months`` missing, ``beyond_horizon`` True).
    """
    current_target = prognosis.target_month()
    previous_target = previous.target_month
    shift = None
    if current_target is not None and previous_target is not None:
        shift = int((current_target - previous_target).n)
    groups = None
    if previous.groups_monthly is not None:
        groups = _group_shifts(prognosis, previous.groups_monthly, lang)
    before = previous.metadata.ge_by_deadline
    now, _ = deadline_figures(prognosis)
    return Change(
        previous=previous,
        previous_target=previous_target,
        current_target=current_target,
        shift_months=shift,
        previous_by_deadline=before,
        current_by_deadline=now,
        groups=groups,
        current_as_of=prognosis.as_of,
    )


def _group_shifts(prognosis: Prognosis, before: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    now = prognosis.monthly()
    now["month"] = now["month"].astype(str)
    new = now.pivot(index="month", columns="group", values="ge")
    old = before.pivot(index="month", columns="group", values="ge")
    months = new.index.intersection(old.index)
    keys = [k for k in prognosis.groups.keys]
    new = new.reindex(index=months, columns=keys).fillna(0.0)
    old = old.reindex(index=months, columns=keys).fillna(0.0)
    target = prognosis.programme.target_ge
    base = first_reach(new.sum(axis=1).cumsum().to_numpy(), target)
    rows = []
    for key in keys:
        swapped = new.copy()
        swapped[key] = old[key]
        hit = first_reach(swapped.sum(axis=1).cumsum().to_numpy(), target)
        # Read as "how much later is the target because of this group's change": the
        # target month with the group as it was, subtracted from the month now. A version
        # that never reaches the target has no month, so its shift is not a number.
        shift: int | None = None
        if base >= 0 and hit >= 0:
            shift = base - hit
            direction = "later" if shift > 0 else "earlier" if shift < 0 else "none"
        elif base < 0 and hit < 0:
            direction = "unknown"
        else:
            direction = "later" if base < 0 else "earlier"
        rows.append(
            {
                "group": key,
                "name": prognosis.groups[key].name(lang),
                "shift_months": shift,
                "direction": direction,
                "beyond_horizon": shift is None,
                "previous_ge": float(old[key].sum()),
                "current_ge": float(new[key].sum()),
            }
        )
    frame = pd.DataFrame.from_records(rows)
    frame["shift_months"] = frame["shift_months"].astype("Int64")
    return frame
