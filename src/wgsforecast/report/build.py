"""Make the quarterly report: :func:`build_report` collects it, writes it, saves a vintage.

Collecting is :mod:`wgsforecast.report.collecting`, the report's tables as data are
:mod:`wgsforecast.report.content`, and writing is :mod:`wgsforecast.report.writing`.
"""

from __future__ import annotations

import gc
import shutil
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wgsforecast.engines import Engine
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.inputs import input_paths, load_bundled
from wgsforecast.io import PathLike
from wgsforecast.models import ProgrammeData
from wgsforecast.periods import Lang
from wgsforecast.report import messages
from wgsforecast.report.collecting import collect
from wgsforecast.report.content import EVIDENCE_ENGINE, PUBLISHED_ENGINE, Headline, ReportContent
from wgsforecast.report.output import LOCK, Log, check_folder, locked, stderr_log
from wgsforecast.report.text import terminal_table
from wgsforecast.report.writing import HTML_NAME, write_report
from wgsforecast.vintages import check_new_name, list_vintages
from wgsforecast.vintages import save_vintage as save

__all__ = [
    "EVIDENCE_ENGINE",
    "PUBLISHED_ENGINE",
    "ReportContent",
    "ReportResult",
    "build_report",
    "collect",
    "write_report",
]


@dataclass(frozen=True)
class ReportResult:
    """What :func:`build_report` wrote and the numbers it led with."""

    out: Path
    files: tuple[Path, ...]
    html: Path
    headline: Headline
    terminal_table: str
    vintage: Path | None
    content: ReportContent


def build_report(
    data: ProgrammeData | None = None,
    out: PathLike = "out",
    *,
    lang: Lang = "da",
    engine: str | Engine | None = None,
    n_paths: int = 2000,
    seed: int = 2023,
    scenarios: Sequence[PathLike] = (),
    price_per_ge: float | None = None,
    save_vintage: str | None = None,
    vintages_root: PathLike | None = None,
    inputs: Mapping[str, PathLike] | None = None,
    log: Log | None = stderr_log,
) -> ReportResult:
    """Make the quarterly report and write it, with tables and figures, into ``out``.

    Parameters
    ----------
    data
        Actuals, groups and assumptions (default: :func:`wgsforecast.load_bundled`).
    out
        Output folder; created if needed. Files are written to a staging folder first and
        moved in at the end, so a failed run leaves earlier outputs as they were.
    lang
        ``"da"`` (default) or ``"en"``.
    engine
        Engine of the evidence-based table, a name or a configured engine instance:
        ``None`` uses ``"adoption"``; ``"runrate"`` makes a report with the published method
        only. The published-method table always comes from ``"runrate"``.
    n_paths, seed
        Sample paths and seed of the evidence-based engine.
    scenarios
        Scenario files to compare (needs :mod:`wgsforecast.scenarios`).
    price_per_ge
        Price of one GE in DKK; adds the funding view (needs :mod:`wgsforecast.funding`).
    save_vintage
        Save the main prognosis as a vintage of this name (refuses to overwrite). It is
        saved only after the report was written, so a failed report saves no vintage; a
        name that exists already fails before any work.
    vintages_root
        Folder of the vintages (default: the bundled ``data/vintages``).
    inputs
        Input files by role (``actuals``, ``groups``, ``assumptions``) for the provenance
        hashes (default: the bundled files when ``data`` is ``None``).
    log
        Where progress lines go (default: standard error); ``None`` for silence.

    Returns
    -------
    ReportResult

    Examples
    --------
    >>> result = build_report(out="out")  # doctest: +SKIP
    >>> result.html.name  # doctest: +SKIP
    'rapport.html'
    """
    say = log or (lambda _: None)
    if lang not in ("da", "en"):
        raise ValueError(f"lang must be 'da' or 'en'; got {lang!r}")
    folder = Path(out)
    check_folder(folder)  # a file, or a folder of someone else's files: refused before work
    if save_vintage:
        _check_vintage_free(save_vintage, vintages_root)
    else:
        _check_vintages(vintages_root)
    if data is None:
        data = load_bundled()
        if inputs is None:
            inputs = input_paths()
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with locked(folder), _old_objects_left_alone():
            with warnings.catch_warnings():
                # Groups that fell back to the pooled prior are flagged in the report's group
                # table and notes; a warning per group per engine run would only be noise.
                warnings.simplefilter("ignore", PriorFallbackWarning)
                content = collect(
                    data,
                    lang=lang,
                    engine=engine,
                    n_paths=n_paths,
                    seed=seed,
                    scenarios=scenarios,
                    price_per_ge=price_per_ge,
                    vintages_root=vintages_root,
                    inputs=inputs or {},
                    log=say,
                )
            result = write_report(content, folder, log=say)
    except BaseException:
        if created and [p.name for p in folder.iterdir()] in ([], [LOCK]):
            shutil.rmtree(folder, ignore_errors=True)  # leave no empty folder behind
        raise
    vintage = None
    if save_vintage:
        vintage = save(content.main, save_vintage, root=vintages_root)
        say(messages.SAVED_VINTAGE(lang, name=vintage))
    return ReportResult(
        out=folder,
        files=result,
        html=folder / HTML_NAME[lang],
        headline=content.headline,
        terminal_table=terminal_table(content),
        vintage=vintage,
        content=content,
    )


@contextmanager
def _old_objects_left_alone() -> Iterator[None]:
    """Keep the objects that exist now out of the garbage collector's passes meanwhile.

    The report makes many short-lived objects (matplotlib's above all), and every full
    pass of the collector walks all the modules and data loaded before; frozen, they are
    skipped, which takes about a seventh off drawing the figures. Unfrozen afterwards,
    so they are collected as usual again; a caller that froze objects itself (a server
    after preloading, another report running) keeps its freeze, and this one is skipped.
    """
    ours = gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    try:
        yield
    finally:
        if ours:
            gc.unfreeze()


def _check_vintage_free(name: str, root: PathLike | None) -> None:
    """Fail before the slow runs when the vintage name is unusable or taken."""
    check_new_name(name, root)


def _check_vintages(root: PathLike | None) -> None:
    """Fail before the slow runs when a vintage was changed, deleted or renamed."""
    list_vintages(root)
