"""The notes that travel with the data (``actuals.attrs["notes"]``, ``data_notes``).

The bundled actuals carry the note :data:`RECONSTRUCTED`; every output made from them says
so (a notice in tables and reports, a footnote on figures). :func:`is_reconstructed` is the
one test for it, so no output decides by its own spelling of the check.

Examples
--------
>>> is_reconstructed(("reconstructed",)), is_reconstructed(())
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable

RECONSTRUCTED = "reconstructed"
"""Data note on the bundled actuals: reconstructed, not official (see ``labels.LABELS``)."""


def is_reconstructed(data_notes: Iterable[str]) -> bool:
    """True when the data these notes describe are reconstructed (not public).

    Parameters
    ----------
    data_notes
        The notes of the data, e.g. ``prognosis.data_notes`` or ``actuals.attrs["notes"]``.

    Returns
    -------
    bool
        Whether :data:`RECONSTRUCTED` is among them.
    """
    return RECONSTRUCTED in tuple(data_notes)
