"""When groups with neither data nor a go-live month start: at the programme's own pace.

A registered group without a go-live month is waiting its turn. The programme has been
bringing groups in at some pace since its first month; the waiting groups are taken to join
at that pace, one after another, rather than each after a fixed delay. Groups join as a
Poisson process whose rate (groups a month) has a gamma posterior: a prior pace, counted as
:data:`PRIOR_GROUPS` groups, updated by the groups that joined after the first month and the
months the programme has run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wgsforecast.engines._realisation import SlipPrior

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

PRIOR_MONTHS_PER_GROUP = 0.75
"""The prior pace: months between joining groups before the programme's record is counted,
weighted as :data:`PRIOR_GROUPS` groups. The gap at the posterior mean rate is then (0.75 +
months run) / (1 + groups joined): the programme's own record sets the pace almost at once,
and one with no group joined after its first month gets the months it has run plus 0.75.

How chosen: calibrated on the independent shortfall generator
(:mod:`wgsforecast.simulate_shortfall`, seeds 1001-1200) with the go-live of groups without
data removed, ``benchmarks/calibrate_adoption.py --param onboarding_months_per_group --grid
0.5,0.75,1.5,3,6,12 --on B --first 1001 --count 200 --no-go-lives --select crps``: mean CRPS
6.87% of the truth at 0.5, 0.75 and 1.5 (0.75 lowest unrounded), 6.88% at 3, 6.90% at 6,
6.98% at 12; all inside 72-88% coverage at every lead (at +12 months 82.5% at 0.75, 77.5% at
12). Reported on the other generator (:mod:`wgsforecast.simulate`) in
``benchmarks/results/calibration.md``. The score is flat from 0.5 to 1.5 (0.75 won by less than
0.01 points, noise): any value there would do; the data, not the prior, sets the pace.

History: 12 months (NGC's start-up record: groups chosen in February 2021 went live from
March 2022) until this calibration. That is a delay before the first group, read as the gap
between every two: waiting groups started too late on both generators (on calibration seeds
1001-1060, the median drawn start was on average 6.7 months after the first projected month
on A against 2.4 in truth, and on B the median group's 14 months against 8; ad hoc
script)."""


def check_prior_months(value: float, name: str) -> None:
    """Refuse a prior pace that is not a positive, finite number of months.

    Parameters
    ----------
    value
        The months between joining groups.
    name
        The keyword the value came in as, for the message.

    Raises
    ------
    ValueError
        If ``value`` is 0 or less, infinite or NaN.
    """
    if not 0 < value < math.inf:
        raise ValueError(f"{name} must be a positive, finite number of months; got {value}")


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
    2.6
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
        check_prior_months(self.prior_months_per_group, "prior_months_per_group")
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
    def _posterior(self) -> tuple[float, float]:
        """The gamma posterior on groups joining a month: its shape (groups joined, the
        prior's included) and the months they took (the inverse of its rate parameter)."""
        return (
            PRIOR_GROUPS + self.joined,
            PRIOR_GROUPS * self.prior_months_per_group + self.months,
        )

    @property
    def months_per_group(self) -> float:
        """The gap between joining groups at the posterior mean rate, in months."""
        groups, months = self._posterior
        return months / groups

    def draw(self, waiting: BoolArray, n_paths: int, rng: np.random.Generator) -> FloatArray:
        """Months from the first projected month to each group's start, per path.

        Each path draws a pace from its posterior and puts the ``waiting`` groups in a
        random order; the k-th waits for k gaps between joins. A group that never starts
        (``inf``) does not hold up the others. Groups not ``waiting`` get ``inf``. The
        number of random draws does not depend on ``waiting``, so dating one group shifts
        no other draw (common random numbers across scenarios).
        """
        n_groups = waiting.size
        shape, months = self._posterior
        rate = rng.gamma(shape, 1.0 / months, n_paths)
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
