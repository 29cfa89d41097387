"""Prognosis vintages: each quarterly prognosis saved as an immutable folder, and scored later.

A vintage folder holds plain CSV and JSON files, so it can be read without wgsforecast:

``metadata.json``
    As-of month, engine, seed, number of paths, target, deadline, the target month (with its
    10 % and 90 % quantiles), GE done by the deadline, P(target by the deadline), data notes.
``table1.csv``
    The yearly table in the long form of ``table1_2023_03.csv`` (period, period end, GE in
    the period, cumulative GE), with 10 % and 90 % quantiles of the cumulative total.
``cumulative.csv``
    National cumulative GE per month (central value and quantiles): the paths summary.
``groups_monthly.csv``, ``groups.csv``
    Mean monthly GE per group and the per-group table (absent from the published vintage,
    which has national totals only).
``assumptions.json``
    The settings the prognosis was made with.
``manifest.json``
    Name, creation time, library version, the SHA-256 of every file above and a content
    hash over them. The content hash leaves out the name and time, so saving the same
    prognosis twice, under any name, is recognised and refused.

Where vintages live: the store is a folder the user owns, ``vintages/`` in the working
folder by default (``WGSFORECAST_VINTAGES`` or a ``root`` argument names another), never the
installed package. Its ``ledger.json`` lists every vintage saved there with the SHA-256 of
its manifest, so a vintage that is changed, deleted or renamed is detected: every function
that reads the store raises a :class:`VintageError` naming the folder or file. Saving holds
a lock on the store. The published March 2023 prognosis ships read-only with the package
(``data/vintages/2023-03-published``, checked against a content hash fixed in
:mod:`~wgsforecast.vintages.store`) and is always the first vintage, whichever store is used.

The package: :mod:`~wgsforecast.vintages.vintage` (the :class:`Vintage` object and its typed
JSON files), :mod:`~wgsforecast.vintages.store` (saving, reading, the ledger and its lock),
:mod:`~wgsforecast.vintages.files` (a prognosis's files), :mod:`~wgsforecast.vintages.published`
(the published vintage), :mod:`~wgsforecast.vintages.change` (:class:`Change`) and
:mod:`~wgsforecast.vintages.scoring` (vintages against actuals). The figure is
:func:`wgsforecast.plotting.plot_vintages`, also importable from here.

Examples
--------
>>> import wgsforecast as wf
>>> data = wf.load_bundled()
>>> prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
>>> folder = wf.save_vintage(prognosis, "2023-03-ours", root="vintages")  # doctest: +SKIP
>>> comparison = wf.compare_vintages(data.actuals, root="vintages")  # doctest: +SKIP
"""

from __future__ import annotations

from wgsforecast.plotting.vintages import plot_vintages
from wgsforecast.vintages.change import Change, change_since
from wgsforecast.vintages.published import (
    PublicationFacts,
    published_files,
    save_published_vintage,
)
from wgsforecast.vintages.scoring import VintageComparison, compare_vintages
from wgsforecast.vintages.store import (
    BUNDLED_CONTENT_HASHES,
    ENV_ROOT,
    LEDGER,
    LOCK,
    PUBLISHED_NAME,
    SAVE_WAIT_SECONDS,
    bundled_root,
    check_new_name,
    default_root,
    list_vintages,
    load_vintage,
    previous_vintage,
    reindex_vintages,
    save_vintage,
    scan_vintages,
)
from wgsforecast.vintages.vintage import (
    MANIFEST,
    VINTAGE_FORMAT,
    LedgerEntry,
    PathLike,
    Vintage,
    VintageError,
    VintageExistsError,
    VintageManifest,
    VintageMetadata,
    VintageWarning,
)

__all__ = [
    "BUNDLED_CONTENT_HASHES",
    "ENV_ROOT",
    "LEDGER",
    "LOCK",
    "MANIFEST",
    "PUBLISHED_NAME",
    "SAVE_WAIT_SECONDS",
    "VINTAGE_FORMAT",
    "Change",
    "LedgerEntry",
    "PathLike",
    "PublicationFacts",
    "Vintage",
    "VintageComparison",
    "VintageError",
    "VintageExistsError",
    "VintageManifest",
    "VintageMetadata",
    "VintageWarning",
    "bundled_root",
    "change_since",
    "check_new_name",
    "compare_vintages",
    "default_root",
    "list_vintages",
    "load_vintage",
    "plot_vintages",
    "previous_vintage",
    "published_files",
    "reindex_vintages",
    "save_published_vintage",
    "save_vintage",
    "scan_vintages",
]
