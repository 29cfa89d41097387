"""What a prognosis says about the funding deadline, as one typed result."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, ConfigDict, NonNegativeFloat, model_validator

from wgsforecast.labels import quantile_label


class DeadlineSummary(BaseModel):
    """GE at the funding deadline and what is left of the target, over paths.

    Made by :meth:`wgsforecast.prognosis.Prognosis.deadline_summary`.

    Attributes
    ----------
    deadline
        The funding-deadline month.
    target_ge
        The programme's target.
    p_target_by_deadline
        Share of paths reaching the target by the end of the deadline month.
    ge_mean
        Mean over paths of the cumulative GE at the end of the deadline month.
    ge
        That cumulative GE at each quantile over paths (``{0.1: ..., 0.5: ..., 0.9: ...}``).
    expected_shortfall
        Mean over paths of ``max(target - GE, 0)``.
    left
        That shortfall at each quantile over paths (the same quantiles as ``ge``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    deadline: pd.Period
    target_ge: int
    p_target_by_deadline: float
    ge_mean: float
    ge: dict[float, float]
    expected_shortfall: NonNegativeFloat
    left: dict[float, NonNegativeFloat]

    @model_validator(mode="after")
    def _same_quantiles(self) -> DeadlineSummary:
        if list(self.ge) != list(self.left):
            raise ValueError(
                f"ge and left must hold the same quantiles; got {list(self.ge)} and "
                f"{list(self.left)}"
            )
        return self

    @property
    def quantiles(self) -> tuple[float, ...]:
        """The quantiles of :attr:`ge` and :attr:`left`, in order."""
        return tuple(self.ge)

    def as_dict(self) -> dict[str, object]:
        """The flat record of earlier versions: ``ge_p10`` ..., ``left_p10`` ... keys."""
        record: dict[str, object] = {
            "deadline": self.deadline,
            "target_ge": self.target_ge,
            "p_target_by_deadline": self.p_target_by_deadline,
            "ge_mean": self.ge_mean,
        }
        record.update({f"ge_{quantile_label(q)}": v for q, v in self.ge.items()})
        record["expected_shortfall"] = self.expected_shortfall
        record.update({f"left_{quantile_label(q)}": v for q, v in self.left.items()})
        return record
