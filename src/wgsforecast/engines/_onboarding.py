"""When groups with neither data nor a go-live month start: at the programme's own pace.

A registered group without a go-live month is waiting its turn. The programme has been
bringing groups in at some pace since its first month; the waiting groups are taken to join
at that pace, one after another, rather than each after a fixed delay. Groups join as a
Poisson process whose rate (groups a month) has a gamma posterior: a prior pace, counted as
:data:`PRIOR_GROUPS` groups, updated by the groups that joined after the first month and the
months the programme has run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wgsforecast.engines._realisation import SlipPrior

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

PRIOR_MONTHS_PER_GROUP = 12.0
"""The prior pace, 12 months between joining groups. With no record, the gap of a lone
waiting group is exponential at a gamma(1)-distributed rate, a heavy-tailed (Lomax)
distribution whose median is this: a median start a year on. Why a year: NGC's own record
(groups chosen in February 2021 went live from March 2022) and the reference class say
start-up takes about a year, often more."""

PRIOR_GROUPS = 1.0
"""How many joined groups the prior pace counts as. One: a programme that has brought in
a few groups after its first month soon sets its own pace. A judgement, not tuned."""


@dataclass(frozen=True)
class OnboardingPace:
    """The programme's onboarding record and the start months it implies for waiting groups.

    Parameters
    ----------
    joined
        Groups whose first data month came after the programme's first month.
    months
        Months from the programme's first month to the as-of month.
    p_never
        Chance that a waiting group never starts; by default a dated group's
        (:class:`~wgsforecast.engines._realisation.SlipPrior`), for how late it comes is
        the pace's business. The adoption engine passes its own slip prior's.
    prior_months_per_group
        The prior pace: months between joining groups before the record is counted
        (:data:`PRIOR_MONTHS_PER_GROUP`).

    Examples
    --------
    >>> pace = OnboardingPace(joined=8, months=23.0)
    >>> round(pace.months_per_group, 1)
    3.9
    >>> offsets = pace.draw(np.array([True, False, True]), 1000, np.random.default_rng(1))
    >>> bool(np.isinf(offsets[1]).all())
    True
    """

    joined: int = 0
    months: float = 0.0
    p_never: float = SlipPrior.p_never
    prior_months_per_group: float = PRIOR_MONTHS_PER_GROUP

    def __post_init__(self) -> None:
        if self.joined < 0 or self.months < 0:
            raise ValueError(
                f"joined and months must be 0 or more; got {self.joined}, {self.months}"
            )
        if not self.prior_months_per_group > 0:
            raise ValueError(
                f"prior_months_per_group must be positive; got {self.prior_months_per_group}"
            )
        if not 0 <= self.p_never < 1:
            raise ValueError(f"p_never must be in [0, 1); got {self.p_never}")

    @classmethod
    def from_history(
        cls,
        started: npt.NDArray[np.int64],
        n_months: int,
        p_never: float = SlipPrior.p_never,
        prior_months_per_group: float = PRIOR_MONTHS_PER_GROUP,
    ) -> OnboardingPace:
        """The record of a history: ``started`` is each group's first data month (index
        into the history's months; negative for a group without data)."""
        live = started[started >= 0]
        if live.size == 0:
            return cls(p_never=p_never, prior_months_per_group=prior_months_per_group)
        first = int(live.min())
        return cls(
            joined=int((live > first).sum()),
            months=float(n_months - 1 - first),
            p_never=p_never,
            prior_months_per_group=prior_months_per_group,
        )

    @property
    def months_per_group(self) -> float:
        """The gap between joining groups at the posterior mean rate, in months."""
        prior_months = PRIOR_GROUPS * self.prior_months_per_group
        return (prior_months + self.months) / (PRIOR_GROUPS + self.joined)

    def draw(self, waiting: BoolArray, n_paths: int, rng: np.random.Generator) -> FloatArray:
        """Months from the first projected month to each group's start, per path.

        Each path draws a pace from its posterior and puts the ``waiting`` groups in a
        random order; the k-th waits for k gaps between joins. A group that never starts
        (``inf``) does not hold up the others. Groups not ``waiting`` get ``inf``. The
        number of random draws does not depend on ``waiting``, so dating one group shifts
        no other draw (common random numbers across scenarios).
        """
        n_groups = waiting.size
        shape = PRIOR_GROUPS + self.joined
        scale = 1.0 / (PRIOR_GROUPS * self.prior_months_per_group + self.months)
        rate = rng.gamma(shape, scale, n_paths)
        gaps = rng.exponential(size=(n_groups, n_paths)) / rate
        never = rng.uniform(size=(n_groups, n_paths)) < self.p_never
        order_key = rng.uniform(size=(n_groups, n_paths))
        offsets = np.full((n_groups, n_paths), np.inf)
        queue = np.flatnonzero(waiting)
        if queue.size == 0:
            return offsets
        # Groups that never start go to the back of the queue, so they hold no place.
        keys = np.where(never[queue], 2.0, order_key[queue])
        position = np.argsort(np.argsort(keys, axis=0), axis=0)
        arrival = np.cumsum(gaps[: queue.size], axis=0)
        start = np.floor(np.take_along_axis(arrival, position, axis=0))
        offsets[queue] = np.where(never[queue], np.inf, start)
        return offsets
