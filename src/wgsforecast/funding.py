"""The funding view: how much of the target is left after the funding deadline, and its cost.

The NNF grant funds the target (60,000 GE) until the deadline (mid-2024); item 112/23 says a
decision is due on how to finance the GE done after it. :func:`funding_view` gives, from a
prognosis's paths, the GE done by the deadline and left after it (median and interval) and -
only when the user supplies a price per GE - what the remainder costs. No price is assumed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from wgsforecast._data_notes import is_reconstructed
from wgsforecast._markdown import markdown_table
from wgsforecast.labels import label, labels_with_prefix
from wgsforecast.periods import Lang, format_month, format_number, format_percent

if TYPE_CHECKING:
    from wgsforecast.prognosis import Prognosis

DEFAULT_QUANTILES: tuple[float, float, float] = (0.1, 0.5, 0.9)


@dataclass(frozen=True)
class FundingView:
    """GE done by and left after the funding deadline, with quantiles over paths.

    ``done`` and ``left`` (and ``cost`` when a price was given) map each quantile to a
    value; ``left`` is never negative (GE beyond the target are not counted as left).
    """

    target_ge: int
    deadline: pd.Period
    quantiles: tuple[float, ...]
    done: dict[float, float]
    left: dict[float, float]
    p_by_deadline: float
    price_per_ge: float | None = None
    currency: str = "DKK"
    cost: dict[float, float] | None = None
    n_paths: int = 1
    data_notes: tuple[str, ...] = ()

    def to_frame(self, lang: Lang = "da") -> pd.DataFrame:
        """One row per measure (done, left, and cost when priced), one column per quantile."""
        texts = _texts(lang)
        columns = [f"P{100 * q:g}" for q in self.quantiles]
        rows = {
            texts["done"]: [self.done[q] for q in self.quantiles],
            texts["left"]: [self.left[q] for q in self.quantiles],
        }
        if self.cost is not None:
            rows[texts["cost"].format(currency=self.currency)] = [
                self.cost[q] for q in self.quantiles
            ]
        return pd.DataFrame.from_dict(rows, orient="index", columns=columns)

    def table(self, lang: Lang = "da") -> pd.DataFrame:
        """The same as :meth:`to_frame` (the name the report looks for)."""
        return self.to_frame(lang)

    def to_markdown(self, lang: Lang = "da") -> str:
        """A Markdown table for reports, Danish number formats by default."""
        texts = _texts(lang)
        frame = self.to_frame(lang)
        header = [texts["measure"], *frame.columns]
        rows = [
            [str(name), *(format_number(float(v), lang) for v in values)]
            for name, values in frame.iterrows()
        ]
        intro = texts["intro"].format(
            target=format_number(self.target_ge, lang),
            deadline=format_month(self.deadline, lang),
            p=format_percent(self.p_by_deadline, lang),
        )
        parts = [intro, markdown_table(header, rows)]
        if self.price_per_ge is None:
            parts.append(texts["no_price"])
        else:
            parts.append(
                texts["price"].format(
                    price=format_number(self.price_per_ge, lang, decimals=2),
                    currency=self.currency,
                )
            )
        if self.n_paths == 1:
            parts.append(texts["deterministic"])
        if is_reconstructed(self.data_notes):
            parts.append(label("reconstructed", lang))
        return "\n\n".join(parts) + "\n"


def _texts(lang: Lang) -> dict[str, str]:
    """This module's texts: the ``funding_*`` keys of :data:`wgsforecast.labels.LABELS`."""
    return labels_with_prefix("funding_", lang)


def funding_view(
    prognosis: Prognosis,
    price_per_ge: float | None = None,
    currency: str = "DKK",
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
) -> FundingView:
    """GE done by and left after the funding deadline, and (given a price) their cost.

    Parameters
    ----------
    prognosis
        Any prognosis; its programme gives the target and the deadline.
    price_per_ge
        Price of one GE, supplied by the user. ``None`` (default) shows no cost: no price
        is assumed.
    currency
        The currency of the price, for labels.
    quantiles
        Quantiles over paths to report.

    Returns
    -------
    FundingView

    Examples
    --------
    >>> import wgsforecast as wf
    >>> data = wf.load_bundled()
    >>> view = funding_view(wf.forecast(data.actuals, data.groups, data.assumptions))
    >>> round(view.left[0.5])
    25740
    >>> view.cost is None
    True
    """
    if price_per_ge is not None and not (np.isfinite(price_per_ge) and price_per_ge > 0):
        raise ValueError(
            f"price_per_ge must be a positive number (the price of one GE); got {price_per_ge!r}"
        )
    qs = tuple(float(q) for q in quantiles)
    if not qs or any(not 0 <= q <= 1 for q in qs):
        raise ValueError(f"quantiles must be in [0, 1]; got {list(quantiles)}")
    programme = prognosis.programme
    try:
        summary = prognosis.deadline_summary(qs)
    except ValueError as error:  # the deadline is after the horizon: nothing to show
        raise ValueError(
            f"the deadline {programme.deadline} is beyond the prognosis horizon "
            f"({prognosis.months[-1]}); use a longer horizon_months"
        ) from error

    # The GE left fall as the GE done rise: P10 of what is left is P90 of what is done.
    done, left = dict(summary.ge), dict(summary.left)
    cost = None
    if price_per_ge is not None:
        cost = {q: value * price_per_ge for q, value in left.items()}
    return FundingView(
        target_ge=programme.target_ge,
        deadline=programme.deadline,
        quantiles=qs,
        done=done,
        left=left,
        p_by_deadline=summary.p_target_by_deadline,
        price_per_ge=price_per_ge,
        currency=currency,
        cost=cost,
        n_paths=prognosis.n_paths,
        data_notes=prognosis.data_notes,
    )
