"""The words of scenario comparisons and tornado results, shared by tables and figures.

Its own module so that the comparison, the tornado and their figures all import it and
none of them imports another for its words.
"""

from __future__ import annotations

from wgsforecast.labels import labels_with_prefix
from wgsforecast.periods import Lang, format_number


def comparison_texts(lang: Lang) -> dict[str, str]:
    """The comparison's texts: the ``scenario_*`` keys of :data:`wgsforecast.labels.LABELS`."""
    return labels_with_prefix("scenario_", lang)


def tornado_texts(lang: Lang) -> dict[str, str]:
    """The tornado's texts: the ``tornado_*`` keys of :data:`wgsforecast.labels.LABELS`."""
    return labels_with_prefix("tornado_", lang)


def format_value(value: float, lang: Lang) -> str:
    """A parameter value: whole numbers without decimals, others with two."""
    return format_number(value, lang, decimals=0 if float(value).is_integer() else 2)
