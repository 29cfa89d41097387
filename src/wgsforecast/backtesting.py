"""Rolling-origin backtest: refit each engine at earlier cut-offs and score what followed.

For every origin (default: each quarter end with enough history before it and at least three
months of actuals after it) every engine is refitted on the actuals up to that origin only
(``assumptions.with_as_of(origin)``; engines ignore later rows) and its paths are scored
against the actuals that followed. All scores come from the sample paths via
:mod:`wgsforecast.scoring`, so deterministic and probabilistic engines are scored alike.

Scores (``metric`` in the tidy frame; ``lead`` is months after the origin):

``error``, ``abs_error``
    Central forecast (median over paths) minus the true cumulative total, in GE.
``pct_error``, ``abs_pct_error``
    The same in % of the true cumulative total.
``crps``, ``crps_pct``
    CRPS of the cumulative total from the paths, in GE and in % of the true total (the
    percentage makes programmes of different sizes comparable).
``cover80``, ``cover95``
    1 if the truth lies inside the central 80% / 95% interval, else 0; missing for
    one-path engines, which have no interval.
``width80_pct``
    Width of the 80% interval in % of the true total (sharpness).
``target_month_error`` (no lead)
    Forecast median month the target is reached minus the true month, in months; only when
    the truth reaches the target after the origin. When the forecast median does not reach
    the target within the horizon the error is censored: it is at least
    ``horizon end + 1 - true month``, and that bound (or 0, if the truth too comes after the
    horizon end + 1) is the value used: the smallest error the forecast can have. Dropping
    these cases instead would reward forecasts too slow to reach the target at all.
``target_month_censored`` (no lead)
    1 when ``target_month_error`` is such a censored lower bound, else 0 (its mean is the
    share of censored cases).
``brier_deadline`` (no lead)
    Brier score of P(target reached by the funding deadline); only when the deadline is after
    the origin, observed in the actuals and within the horizon.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast._data_notes import is_reconstructed
from wgsforecast._markdown import markdown_table
from wgsforecast._text import Text
from wgsforecast.engines.base import Engine
from wgsforecast.engines.registry import ENGINES, engine_labels, new_engine
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.labels import label
from wgsforecast.models import Assumptions, GroupRegistry
from wgsforecast.periods import Lang, format_number, month_range, national_truth, parse_month
from wgsforecast.prognosis import Prognosis
from wgsforecast.scoring import brier, covered, crps, interval

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DEFAULT_ENGINES: tuple[str, ...] = ("runrate", "adoption", "ets", "flat")
DEFAULT_LEADS: tuple[int, ...] = (3, 6, 12, 24)
MIN_HISTORY_MONTHS = 6
"""An origin needs at least this many months of national data up to and including it."""
MIN_MONTHS_AFTER = 3
"""An origin needs at least this many months of actuals after it to be scored."""
PROGRESS_AFTER_FITS = 20

LEAD_METRICS: tuple[str, ...] = (
    "error",
    "abs_error",
    "pct_error",
    "abs_pct_error",
    "crps",
    "crps_pct",
    "cover80",
    "cover95",
    "width80_pct",
)
EVENT_METRICS: tuple[str, ...] = ("target_month_error", "target_month_censored", "brier_deadline")


def default_origins(
    actuals: pd.DataFrame,
    min_history: int = MIN_HISTORY_MONTHS,
    min_after: int = MIN_MONTHS_AFTER,
) -> list[pd.Period]:
    """Every quarter end (March, June, September, December) that a backtest can score.

    Parameters
    ----------
    actuals
        Long frame (``group``, ``month``, ``ge``); may run past the assumptions' as-of month.
    min_history
        Months of national data an origin needs, itself included.
    min_after
        Months of actuals an origin needs after it.

    Returns
    -------
    list of pandas.Period
        The origins in time order (possibly empty).
    """
    truth = national_truth(actuals)
    first, last = truth.index[0], truth.index[-1]
    candidates = month_range(first + (min_history - 1), last - min_after)
    return [m for m in candidates if m.month % 3 == 0]


@dataclass(frozen=True)
class BacktestResult:
    """The scores of a backtest: one row per (origin, engine, lead, metric).

    Attributes
    ----------
    scores
        Tidy frame with columns ``origin``, ``engine``, ``lead`` (months after the origin;
        missing for ``target_month_error`` and ``brier_deadline``), ``metric``, ``value``.
    engines
        The engines scored, in the order asked for.
    origins
        The origins used.
    n_paths
        Paths asked for from each stochastic engine.
    data_notes
        Notes about the input data (e.g. ``"reconstructed"``), carried into every output.
    """

    scores: pd.DataFrame
    engines: tuple[str, ...]
    origins: tuple[pd.Period, ...]
    n_paths: int
    data_notes: tuple[str, ...] = field(default=())

    def summary(
        self, metrics: Sequence[str] | None = None, leads: Sequence[int] | None = None
    ) -> pd.DataFrame:
        """Mean of each score over origins: one row per engine, one column per score.

        Parameters
        ----------
        metrics
            Which metrics to show (default: all).
        leads
            Which leads to show for the lead metrics (default: all scored).

        Returns
        -------
        pandas.DataFrame
            Index ``engine``; columns such as ``crps_pct_12m`` (lead metrics) and
            ``brier_deadline`` (event metrics), then ``n_origins``. Missing values (e.g. the
            coverage of a one-path engine) are left out of the mean; a column with no value
            for an engine is NaN.
        """
        frame = self.scores
        if metrics is not None:
            unknown = sorted(set(metrics) - {*LEAD_METRICS, *EVENT_METRICS})
            if unknown:
                known = ", ".join((*LEAD_METRICS, *EVENT_METRICS))
                raise ValueError(f"unknown metric {unknown[0]!r}; choose from: {known}")
            frame = frame[frame["metric"].isin(list(metrics))]
        if leads is not None:
            frame = frame[frame["lead"].isna() | frame["lead"].isin(list(leads))]
        frame = frame.assign(
            column=[
                _column(m, lead) for m, lead in zip(frame["metric"], frame["lead"], strict=True)
            ]
        )
        if frame.empty:
            table = pd.DataFrame(index=pd.Index(list(self.engines), name="engine"))
        else:
            table = frame.pivot_table(
                index="engine", columns="column", values="value", aggfunc="mean", sort=False
            )
        present = set(frame["column"])
        order = [c for c in _column_order(self.scores) if c in present]
        table = table.reindex(index=list(self.engines), columns=order)
        counts = self.scores.groupby("engine")["origin"].nunique()
        table["n_origins"] = counts.reindex(table.index).fillna(0).astype(int)
        table.columns.name = None
        return table

    def to_markdown(
        self,
        metrics: Sequence[str] | None = None,
        leads: Sequence[int] | None = None,
        lang: Lang = "da",
    ) -> str:
        """The summary as a Markdown table with Danish (default) or English labels."""
        return summary_markdown(self.summary(metrics, leads), lang, self.data_notes)

    def plot(self, ax: Axes | None = None, lang: Lang = "da", metric: str = "crps_pct") -> Axes:
        """Mean score by lead, one line per engine (default: CRPS in % of the truth).

        Parameters
        ----------
        ax
            Axes to draw on (default: a new figure).
        lang
            ``"da"`` (default) or ``"en"`` labels.
        metric
            A lead metric, e.g. ``"crps_pct"`` or ``"abs_pct_error"``.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.
        """
        from wgsforecast.plotting.backtest import plot_backtest

        if metric not in LEAD_METRICS:
            raise ValueError(f"metric must be one of {', '.join(LEAD_METRICS)}; got {metric!r}")
        return plot_backtest(self, ax, lang, metric)


def _column(metric: str, lead: Any) -> str:
    return metric if pd.isna(lead) else f"{metric}_{int(lead)}m"


def _column_order(scores: pd.DataFrame) -> list[str]:
    leads = sorted({int(x) for x in scores["lead"].dropna()})
    ordered = [f"{m}_{lead}m" for m in LEAD_METRICS for lead in leads]
    return [*ordered, *EVENT_METRICS]


_MONTHS = Text(da="mdr.", en="months")
"""The unit of a lead in a metric's label."""


def metric_label(column: str, lang: Lang = "da") -> str:
    """Human label of a metric or summary column, e.g. ``crps_pct_12m`` -> CRPS (% ...), 12 mdr."""
    for metric in (*LEAD_METRICS, *EVENT_METRICS):
        if column == metric:
            return label(f"bt_{metric}", lang)
        if column.startswith(metric + "_") and column.endswith("m"):
            lead = column[len(metric) + 1 : -1]
            if lead.isdigit():
                return f"{label(f'bt_{metric}', lang)}, +{lead} {_MONTHS(lang)}"
    if column == "n_origins":
        return label("bt_n_origins", lang)
    return column


def summary_markdown(
    summary: pd.DataFrame, lang: Lang = "da", data_notes: Sequence[str] = ()
) -> str:
    """Format a summary table (engine x metric) as Markdown with localised numbers."""
    headers = [label("backtest_engine", lang), *(metric_label(c, lang) for c in summary.columns)]
    rows = [
        [str(engine), *(_format_cell(str(column), value, lang) for column, value in row.items())]
        for engine, row in summary.iterrows()
    ]
    text = markdown_table(headers, rows) + "\n"
    if is_reconstructed(data_notes):
        text += "\n" + label("reconstructed", lang) + "\n"
    return text


def _format_cell(column: str, value: Any, lang: Lang) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    number = float(value)
    if column == "n_origins":
        return format_number(number, lang)
    if column.startswith(("cover", "brier", "target_month_censored")):
        return format_number(number, lang, decimals=2)
    if "pct" in column or column.startswith("target_month"):
        return format_number(number, lang, decimals=1)
    return format_number(number, lang)


def backtest(
    actuals: pd.DataFrame,
    groups: GroupRegistry,
    assumptions: Assumptions,
    engines: Sequence[str | Engine] = DEFAULT_ENGINES,
    origins: Iterable[Any] | None = None,
    horizon: int = 36,
    n_paths: int = 500,
    seed: int | None = 0,
    progress: bool | None = None,
    leads: Sequence[int] = DEFAULT_LEADS,
) -> BacktestResult:
    """Refit each engine at each origin and score its paths against what followed.

    Parameters
    ----------
    actuals
        Long frame (``group``, ``month``, ``ge``). It is both the training data (rows up to
        each origin) and the truth (rows after it), so it may run past
        ``assumptions.as_of``, e.g. a simulated programme's actuals with its ``future``.
    groups
        The patient groups.
    assumptions
        Settings; each origin uses ``assumptions.with_as_of(origin)`` with ``horizon``.
    engines
        Names in :data:`wgsforecast.engines.ENGINES` (default settings) or configured
        :class:`~wgsforecast.engines.Engine` instances (a copy is fitted at each origin;
        the instance itself is never changed). Scores are labelled by engine name, with
        ``#2``, ``#3`` ... on a repeated name.
    origins
        Months to cut at (anything :func:`~wgsforecast.periods.parse_month` accepts);
        default :func:`default_origins`.
    horizon
        Months projected after each origin.
    n_paths
        Paths per stochastic engine and origin.
    seed
        Seed; origin ``i`` uses the ``i``-th child seed, shared by all engines (common random
        numbers), so results are reproducible and engine differences are not seed noise.
    progress
        Show a progress bar over origins x engines; ``None`` shows one on runs of more than
        20 fits.
    leads
        Months after the origin at which the cumulative total is scored: whole numbers of 1
        or more, at most ``horizon``.

    Returns
    -------
    BacktestResult
        Tidy scores, with :meth:`~BacktestResult.summary` and :meth:`~BacktestResult.plot`.

    Notes
    -----
    :class:`~wgsforecast.PriorFallbackWarning` is silenced during the refits: at early origins
    most groups are short, and falling back to the prior is part of what is scored.

    Only the actuals are cut at each origin; ``groups`` is used as given. The engines
    "runrate", "adoption" and "ets" start a group that has no data at the origin at its
    planned go-live month (and "runrate"/"ets" follow its planned ramp), so they use the
    onboarding plan of groups not yet live; "flat" and per-series tools hold such groups at
    zero. That is knowledge the programme has when it forecasts, but it is an advantage: to
    compare without it, pass a registry whose not-yet-live groups have ``go_live=None``.
    With the bundled data the registry is the one of March 2023 (declared volumes, go-lives
    and ramps chosen so the published method reproduces Table 1 of item 112/23), so a
    backtest at 2021-2022 origins uses it with hindsight; read its scores as a sanity
    check, not as the accuracy achievable at the time.

    Examples
    --------
    >>> import wgsforecast as wf
    >>> data = wf.load_bundled()
    >>> result = backtest(data.actuals, data.groups, data.assumptions,
    ...                   engines=["runrate", "flat"], progress=False)
    >>> list(result.summary().index)
    ['runrate', 'flat']
    """
    unknown = [name for name in engines if isinstance(name, str) and name not in ENGINES]
    if unknown:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown engine {unknown[0]!r} in engines; choose from: {known}")
    if not engines:
        raise ValueError("engines is empty; name at least one engine, e.g. ['runrate']")
    _check_leads(leads)
    if horizon < max(leads):
        raise ValueError(
            f"horizon ({horizon}) must be at least the longest lead ({max(leads)}); "
            "raise horizon or drop the longer leads"
        )
    truth = national_truth(actuals)
    chosen = _check_origins(origins, actuals, truth)
    children = np.random.SeedSequence(seed).spawn(len(chosen))
    seeds = [int(child.generate_state(1)[0]) for child in children]
    instances = [new_engine(engine) for engine in engines]
    configured = dict(zip(engine_labels(instances), instances, strict=True))
    tasks = [(i, o, name) for i, o in enumerate(chosen) for name in configured]
    records: list[dict[str, Any]] = []
    for index, origin, name in _progress(tasks, progress):
        settings = assumptions.with_as_of(origin).model_copy(update={"horizon_months": horizon})
        with warnings.catch_warnings():
            # Early origins have many short groups; a fallback per group and origin would
            # bury the summary. The fallbacks are what is being scored, not news.
            warnings.simplefilter("ignore", PriorFallbackWarning)
            prognosis = (
                configured[name]
                .clone()
                .fit(actuals, groups, settings)
                .forecast(n_paths=n_paths, seed=seeds[index], progress=False)
            )
        for lead, metric, value in score_prognosis(prognosis, truth, leads):
            records.append(
                {"origin": origin, "engine": name, "lead": lead, "metric": metric, "value": value}
            )
    scores = pd.DataFrame.from_records(
        records, columns=["origin", "engine", "lead", "metric", "value"]
    )
    scores["lead"] = scores["lead"].astype("Int64")
    scores["value"] = scores["value"].astype(np.float64)
    return BacktestResult(
        scores=scores,
        engines=tuple(configured),
        origins=tuple(chosen),
        n_paths=n_paths,
        data_notes=tuple(actuals.attrs.get("notes", ())),
    )


def _check_leads(leads: Sequence[int], allow_empty: bool = False) -> None:
    """Leads are whole months after the origin, 1 or more (lead 0 is the known origin)."""
    if not allow_empty and len(leads) == 0:
        raise ValueError(
            "leads is empty; give at least one lead in months after the origin, "
            f"e.g. leads={DEFAULT_LEADS}"
        )
    bad = [
        lead for lead in leads if isinstance(lead, bool) or not isinstance(lead, int | np.integer)
    ]
    if bad:
        raise ValueError(f"leads must be whole months, e.g. leads={DEFAULT_LEADS}; got {bad[0]!r}")
    early = [int(lead) for lead in leads if lead < 1]
    if early:
        raise ValueError(
            f"leads must be 1 or more months after the origin; got {early[0]} (the origin "
            f"itself is known data, not a forecast); use e.g. leads={DEFAULT_LEADS}"
        )


def _check_origins(
    origins: Iterable[Any] | None, actuals: pd.DataFrame, truth: pd.Series
) -> list[pd.Period]:
    first, last = truth.index[0], truth.index[-1]
    if origins is None:
        chosen = default_origins(actuals)
        if not chosen:
            raise ValueError(
                f"no quarter end from {first} to {last} has {MIN_HISTORY_MONTHS} months of "
                f"data before it and {MIN_MONTHS_AFTER} after it; pass origins= explicitly or "
                "supply more months of actuals"
            )
        return chosen
    chosen = sorted({parse_month(o) for o in origins})
    bad = [str(o) for o in chosen if not first <= o < last]
    if bad:
        raise ValueError(
            f"origins {', '.join(bad)} are outside the actuals ({first} to {last}); an origin "
            "needs data up to it and at least one month after it"
        )
    if not chosen:
        raise ValueError("origins is empty; leave it out to use every quarter end")
    return chosen


def _progress(
    tasks: list[tuple[int, pd.Period, str]], progress: bool | None
) -> Iterator[tuple[int, pd.Period, str]]:
    show = len(tasks) > PROGRESS_AFTER_FITS if progress is None else progress
    if not show:
        yield from tasks
        return
    from tqdm.auto import tqdm

    yield from tqdm(tasks, desc="backtest", unit="fit")


def score_prognosis(
    prognosis: Prognosis, truth: pd.Series, leads: Sequence[int] = DEFAULT_LEADS
) -> list[tuple[int | None, str, float]]:
    """Score one prognosis against the national monthly truth.

    Parameters
    ----------
    prognosis
        A forecast made at ``prognosis.as_of``.
    truth
        National monthly GE from the programme's first month (see :func:`national_truth`);
        it must start in the same month as the prognosis.
    leads
        Months after the as-of month at which to score the cumulative total.

    Returns
    -------
    list of tuple
        ``(lead, metric, value)``; ``lead`` is ``None`` for the event metrics. Leads beyond
        the truth or the horizon are left out.
    """
    _check_leads(leads, allow_empty=True)
    if truth.index[0] != prognosis.months[0]:
        raise ValueError(
            f"the truth starts in {truth.index[0]} but the prognosis in {prognosis.months[0]}; "
            "score against the same actuals the engine was fitted on"
        )
    truth_cumulative = truth.cumsum()
    origin, last = prognosis.as_of, truth.index[-1]
    rows: list[tuple[int | None, str, float]] = []
    for lead in leads:
        month = origin + lead
        if month > last or month > prognosis.months[-1]:
            continue
        samples = prognosis.cumulative_at(month)
        y = _at(truth_cumulative, month)
        rows.extend((lead, metric, value) for metric, value in _lead_scores(samples, y))
    rows.extend(
        (None, metric, value) for metric, value in _event_scores(prognosis, truth_cumulative)
    )
    return rows


def _at(series: pd.Series, month: pd.Period) -> float:
    """The value of a monthly series (consecutive months) at ``month``."""
    return float(series.to_numpy()[(month - series.index[0]).n])


def _lead_scores(samples: npt.NDArray[np.float64], y: float) -> Iterator[tuple[str, float]]:
    central = float(np.median(samples))
    error = central - y
    score = float(crps(samples, y))
    percent = 100.0 / y if y > 0 else float("nan")
    yield "error", error
    yield "abs_error", abs(error)
    yield "pct_error", error * percent
    yield "abs_pct_error", abs(error) * percent
    yield "crps", score
    yield "crps_pct", score * percent
    yield "cover80", float(covered(samples, y, 0.8))
    yield "cover95", float(covered(samples, y, 0.95))
    if samples.shape[0] > 1:
        low, high = interval(samples, 0.8)
        yield "width80_pct", float(high - low) * percent
    else:
        yield "width80_pct", float("nan")


def _event_scores(prognosis: Prognosis, truth_cumulative: pd.Series) -> Iterator[tuple[str, float]]:
    programme = prognosis.programme
    origin, last = prognosis.as_of, truth_cumulative.index[-1]
    reached = truth_cumulative[truth_cumulative >= programme.target_ge]
    if not reached.empty and reached.index[0] > origin:
        true_month: pd.Period = reached.index[0]
        forecast_month = prognosis.target_month(0.5)
        if forecast_month is None:
            # Censored: the median reaches the target after the horizon at the earliest, so
            # the error is at least this bound; 0 when the truth is that late too. Scoring
            # the bound keeps these cases in the mean instead of rewarding them.
            bound = (prognosis.months[-1] + 1 - true_month).n
            yield "target_month_error", float(max(bound, 0))
            yield "target_month_censored", 1.0
        else:
            yield "target_month_error", float((forecast_month - true_month).n)
            yield "target_month_censored", 0.0
    deadline = programme.deadline
    if origin < deadline <= min(last, prognosis.months[-1]):
        probability = float(np.mean(prognosis.cumulative_at(deadline) >= programme.target_ge))
        outcome = _at(truth_cumulative, deadline) >= programme.target_ge
        yield "brier_deadline", float(brier(probability, outcome))


__all__ = [
    "DEFAULT_ENGINES",
    "BacktestResult",
    "backtest",
    "default_origins",
    "metric_label",
    "national_truth",
    "score_prognosis",
    "summary_markdown",
]
