"""The "ensemble" engine: a mixture of other engines, weighted by how well they forecast here.

Weights
    At the last few quarter ends before the as-of month (at most ``max_origins``, each with
    at least ``min_history`` months of data before it and the shortest lead after it), every
    member is refitted on the actuals known at that origin and its paths are scored against
    the national running total that followed, at the leads that fit inside the data
    (3, 6 and 12 months by default), with the CRPS (:func:`wgsforecast.scoring.crps`; for a
    one-path member it is the absolute error). Only data up to the as-of month is used.

    Each CRPS is divided by the mean CRPS of all members at the same origin and lead (1 = an
    average member), and these relative scores are averaged per member: ``r``. The weights
    are ``exp(-(r - min r) / temperature)``, normalised to sum to 1. We chose this over
    inverse-mean-CRPS weights because

    * relative scores put origins and leads of very different sizes (a 3-month total and a
      12-month total) on one scale; a mean of raw CRPS would be decided by the longest lead;
    * a member that is much worse than the others gets almost no weight, while inverse
      weights give it a share of 1/(ratio) however bad it is, and divide by zero when a
      member happens to be exact;
    * the temperature says how far to trust a few correlated origins: scores from four
      origins are noisy, and equal weights are notoriously hard to beat (the "forecast
      combination puzzle"), so the default 0.5 keeps the weights near equal unless the
      differences are large (a member 20% worse than the best keeps two thirds of the best
      weight, one 100% worse keeps 14%). ``temperature -> 0`` picks the best member;
      a large temperature gives equal weights.

    When no origin can be scored (too little history), the weights are equal and
    :attr:`EnsembleEngine.weighting_` and :meth:`EnsembleEngine.parameters` say so.

Paths
    Every member is then fitted on all the data. A forecast of ``n`` paths gives each member
    its share of the paths by the largest-remainder method (a deterministic allocation; see
    :meth:`EnsembleEngine.allocation`) and stacks the members' paths in member order. Each
    member's rows get that member's own noise (negative-binomial counts for "adoption", ETS
    innovations for "ets", none for the deterministic "flat"), so a deterministic member
    contributes its expectation. Each member draws from its own child of the parameter and
    noise streams, so the same seed gives the same paths and a scenario adjustment keeps the
    common random numbers of every member.

Group notes are the members' own notes, with the member and its weight appended.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.engines.base import Engine, Forecast
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.notes import GroupNote

DEFAULT_MEMBERS: tuple[str, ...] = ("adoption", "ets", "flat", "trend")
DEFAULT_LEADS: tuple[int, ...] = (3, 6, 12)


def largest_remainder(weights: npt.NDArray[np.float64], total: int) -> npt.NDArray[np.int64]:
    """Share ``total`` whole units out in proportion to ``weights`` (largest remainder).

    Every member first gets the whole part of its quota ``weight x total``; the units left
    go to the largest fractional parts, ties to the earlier member.

    Examples
    --------
    >>> largest_remainder(np.array([0.5, 0.3, 0.2]), 7).tolist()
    [4, 2, 1]
    """
    quotas = np.asarray(weights, dtype=np.float64) * total
    counts = np.floor(quotas).astype(np.int64)
    left = total - int(counts.sum())
    # A stable sort keeps ties in member order.
    order = np.argsort(-(quotas - counts), kind="stable")
    counts[order[:left]] += 1
    return counts


class EnsembleEngine(Engine):
    """A weighted mixture of engines, weighted by their recent rolling-origin CRPS.

    Parameters
    ----------
    members
        Engine names in :data:`wgsforecast.engines.ENGINES` or configured engine instances
        (copied, never changed); default "adoption", "ets", "flat" and "trend".
    temperature
        How sharply the weights follow the relative CRPS (see the module notes); positive.
    max_origins
        The most recent origins to score, at most.
    leads
        Months after each origin at which the running national total is scored; leads
        that run past the as-of month are left out.
    backtest_paths
        Paths per stochastic member and origin when scoring.
    min_history
        Months of national data an origin needs (itself included).
    seed
        Seed of the scoring runs; origin ``i`` uses the ``i``-th child seed for every member
        (common random numbers).
    progress
        Show a progress bar over the fits; ``None`` shows one on runs of more than 20 fits.

    Attributes
    ----------
    weights_
        The weight of each member (a Series by member label, summing to 1).
    scores_
        The scores behind the weights: ``origin``, ``lead``, ``member``, ``crps`` (GE) and
        ``crps_pct`` (% of the true running total).
    members_
        The members fitted on all the data, in member order.

    Examples
    --------
    >>> from wgsforecast.simulate import simulate_programme
    >>> sim = simulate_programme(seed=3, n_groups=3)
    >>> engine = EnsembleEngine(members=["flat", "trend"])
    >>> prognosis = engine.fit(sim.actuals, sim.groups, sim.assumptions).forecast(100, seed=1)
    >>> round(float(engine.weights_.sum()), 6), prognosis.n_paths
    (1.0, 100)
    """

    name = "ensemble"

    def __init__(
        self,
        members: Sequence[str | Engine] | None = None,
        temperature: float = 0.5,
        max_origins: int = 4,
        leads: Sequence[int] = DEFAULT_LEADS,
        backtest_paths: int = 200,
        min_history: int = 6,
        seed: int | None = 0,
        progress: bool | None = None,
    ) -> None:
        from wgsforecast.engines.registry import ENGINES

        chosen = list(DEFAULT_MEMBERS if members is None else members)
        if not chosen:
            raise ValueError("members is empty; name at least one engine, e.g. ['flat']")
        engines: list[Engine] = []
        for member in chosen:
            if isinstance(member, Engine):
                engines.append(member)
            elif member in ENGINES:
                engines.append(ENGINES[member]())
            else:
                known = ", ".join(sorted(ENGINES))
                raise ValueError(f"unknown member engine {member!r}; choose from: {known}")
        if not temperature > 0:
            raise ValueError(f"temperature must be positive; got {temperature}")
        if max_origins < 0:
            raise ValueError(f"max_origins must be 0 or more; got {max_origins}")
        if not leads or any(isinstance(x, bool) or int(x) != x or x < 1 for x in leads):
            raise ValueError(f"leads must be whole months of 1 or more; got {list(leads)}")
        if backtest_paths < 1:
            raise ValueError(f"backtest_paths must be at least 1; got {backtest_paths}")
        if min_history < 1:
            raise ValueError(f"min_history must be at least 1; got {min_history}")
        self.members = tuple(engines)
        self.temperature = temperature
        self.max_origins = max_origins
        self.leads = tuple(int(x) for x in leads)
        self.backtest_paths = backtest_paths
        self.min_history = min_history
        self.seed = seed
        self.progress = progress

    @property
    def labels(self) -> tuple[str, ...]:
        """The member labels: engine names, with ``#2``, ``#3`` ... on repeated names."""
        from wgsforecast.engines.registry import engine_labels

        return engine_labels(self.members)

    def _fit(self) -> None:
        from wgsforecast.backtesting import default_origins

        labels = self.labels
        known = self.known_
        origins = default_origins(known, self.min_history, min(self.leads))
        origins = origins[len(origins) - self.max_origins :] if self.max_origins else []
        tasks: list[tuple[int, pd.Period | None]] = [
            (index, origin) for origin in origins for index in range(len(labels))
        ]
        tasks += [(index, None) for index in range(len(labels))]
        children = np.random.SeedSequence(self.seed).spawn(len(origins))
        seeds = {o: int(c.generate_state(1)[0]) for o, c in zip(origins, children, strict=True)}
        records: list[dict[str, object]] = []
        fitted: list[Engine] = []
        for index, origin in _progress(tasks, self.progress):
            member = self.members[index].clone()
            if origin is None:
                fitted.append(member.fit(known, self.groups_, self.assumptions_))
                continue
            records.extend(
                {"origin": origin, "member": labels[index], **score}
                for score in self._score(member, origin, seeds[origin])
            )
        self.members_ = tuple(fitted)
        self.scores_ = pd.DataFrame.from_records(
            records, columns=["origin", "lead", "member", "crps", "crps_pct"]
        )
        self._set_weights(origins)
        self.notes_ = self._notes()

    def _score(self, member: Engine, origin: pd.Period, seed: int) -> Iterator[dict[str, object]]:
        from wgsforecast.backtesting import national_truth, score_prognosis

        settings = self.assumptions_.with_as_of(origin).model_copy(
            update={"horizon_months": max(self.leads)}
        )
        with warnings.catch_warnings():
            # Early origins have short groups; their fallbacks are what is being scored.
            warnings.simplefilter("ignore", PriorFallbackWarning)
            prognosis = member.fit(self.known_, self.groups_, settings).forecast(
                n_paths=self.backtest_paths, seed=seed, progress=False
            )
        scores: dict[int, dict[str, float]] = {}
        for lead, metric, value in score_prognosis(
            prognosis, national_truth(self.known_), self.leads
        ):
            if lead is not None and metric in ("crps", "crps_pct"):
                scores.setdefault(lead, {})[metric] = value
        for lead, values in scores.items():
            yield {"lead": lead, **values}

    def _set_weights(self, origins: Sequence[pd.Period]) -> None:
        labels = list(self.labels)
        table = self.scores_.pivot_table(
            index=["origin", "lead"], columns="member", values="crps", aggfunc="first"
        ).reindex(columns=labels)
        # A cell counts when every member was scored there and not every member was exact.
        table = table.dropna()
        mean = table.mean(axis=1)
        table = table[mean > 0]
        self.relative_crps_: pd.Series[float]
        if table.empty:
            self.relative_crps_ = pd.Series(np.nan, index=labels, dtype=np.float64)
            weights = np.full(len(labels), 1.0 / len(labels))
            self.weighting_ = (
                f"equal weights: no origin could be scored (an origin needs {self.min_history} "
                f"months of data and {min(self.leads)} months after it before the as-of month)"
            )
        else:
            relative = table.div(table.mean(axis=1), axis=0).mean(axis=0)
            self.relative_crps_ = relative.astype(float)
            logits = -(relative.to_numpy() - relative.min()) / self.temperature
            weights = np.exp(logits) / np.exp(logits).sum()
            scored = sorted({origin for origin, _ in table.index})
            leads = sorted({int(lead) for _, lead in table.index})
            self.weighting_ = (
                f"weights from the CRPS at {len(scored)} origins ({scored[0]} to {scored[-1]}), "
                f"leads {', '.join(str(lead) for lead in leads)} months, temperature "
                f"{self.temperature:g}"
            )
        self.origins_ = tuple(origins)
        self.weights_ = pd.Series(weights, index=pd.Index(labels, name="member"), name="weight")

    def _notes(self) -> dict[str, tuple[GroupNote, ...]]:
        notes: dict[str, list[GroupNote]] = {}
        for label, member, weight in zip(self.labels, self.members_, self.weights_, strict=True):
            if weight <= 0:
                continue
            # Deterministic members' notes do not depend on the stream; stochastic members
            # take their notes from fitting, so one path is enough to read them.
            member_notes = member._expected(1, np.random.default_rng(0), False).group_notes
            for key, said in member_notes.items():
                notes.setdefault(key, []).extend(
                    note.in_member(label, float(weight)) for note in said
                )
        return {key: tuple(said) for key, said in notes.items()}

    def parameters(self) -> pd.DataFrame:
        """The members, their weights and the scores behind them.

        Returns
        -------
        pandas.DataFrame
            One row per member: ``member`` (label), ``engine`` (name), ``weight``,
            ``relative_crps`` (mean CRPS relative to the members' mean at the same origin and
            lead; missing with equal weights), ``mean_crps_pct`` (mean CRPS in % of the true
            running total), ``n_scores`` (origin-lead pairs scored) and ``weighting`` (how
            the weights were set).
        """
        by_member = self.scores_.groupby("member")
        mean_pct = by_member["crps_pct"].mean()
        counts = by_member["crps"].count()
        labels = list(self.labels)
        return pd.DataFrame(
            {
                "member": labels,
                "engine": [m.name for m in self.members],
                "weight": self.weights_.to_numpy(),
                "relative_crps": self.relative_crps_.reindex(labels).to_numpy(),
                "mean_crps_pct": mean_pct.reindex(labels).to_numpy(dtype=np.float64),
                "n_scores": counts.reindex(labels, fill_value=0).to_numpy(dtype=np.int64),
                "weighting": self.weighting_,
            }
        )

    def allocation(self, n_paths: int) -> npt.NDArray[np.int64]:
        """Paths per member for a forecast of ``n_paths`` paths (largest remainder)."""
        return largest_remainder(self.weights_.to_numpy(dtype=np.float64), n_paths)

    def _expected(self, n_paths: int, rng: np.random.Generator, progress: bool | None) -> Forecast:
        counts = self.allocation(n_paths)
        # One child stream per member, drawn whether or not the member gets paths, so one
        # member's allocation never shifts another member's random numbers.
        streams = rng.spawn(len(self.members_))
        blocks: list[npt.NDArray[np.float64]] = []
        ceilings: list[npt.NDArray[np.float64] | None] = []
        for member, count, stream in zip(self.members_, counts, streams, strict=True):
            if count == 0:
                continue
            result = member._expected(int(count) if member.stochastic else 1, stream, progress)
            rows = np.asarray(result.ge, dtype=np.float64)
            ceiling = result.national_ceiling
            if not member.stochastic:
                rows = np.repeat(rows, count, axis=0)
                ceiling = None if ceiling is None else np.repeat(ceiling, count)
            blocks.append(rows)
            ceilings.append(ceiling)
        national_ceiling = None
        if any(c is not None for c in ceilings):
            # A member's national capacity ceiling bounds its own rows only.
            national_ceiling = np.concatenate(
                [
                    np.full(block.shape[0], np.inf) if c is None else c.astype(np.float64)
                    for block, c in zip(blocks, ceilings, strict=True)
                ]
            )
        return Forecast(
            ge=np.concatenate(blocks, axis=0),
            group_notes=dict(self.notes_),
            national_ceiling=national_ceiling,
        )

    def _noise(
        self, expected: npt.NDArray[np.floating], rng: np.random.Generator, progress: bool | None
    ) -> npt.NDArray[np.floating]:
        """Apply each member's own noise to its own rows (deterministic members: none)."""
        counts = self.allocation(expected.shape[0])
        streams = rng.spawn(len(self.members_))
        out = np.empty(expected.shape, dtype=np.float64)
        start = 0
        for member, count, stream in zip(self.members_, counts, streams, strict=True):
            stop = start + int(count)
            if count:
                out[start:stop] = member._noise(expected[start:stop], stream, progress)
            start = stop
        return out


def _progress(
    tasks: list[tuple[int, pd.Period | None]], progress: bool | None
) -> Iterable[tuple[int, pd.Period | None]]:
    from wgsforecast.backtesting import PROGRESS_AFTER_FITS

    show = len(tasks) > PROGRESS_AFTER_FITS if progress is None else progress
    if not show:
        return tasks
    from tqdm.auto import tqdm

    return tqdm(tasks, desc="ensemble", unit="fit")


__all__ = ["DEFAULT_MEMBERS", "EnsembleEngine", "largest_remainder"]
