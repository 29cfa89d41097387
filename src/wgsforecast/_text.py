"""A user-facing text in Danish and English, picked by language at the point of use.

:class:`Text` replaces the ``*_da``/``*_en`` pairs and ``if lang == "da"`` branches: the two
versions of a message are written side by side, so they cannot drift apart unnoticed, and
the language is chosen once, where the text is shown.

Examples
--------
>>> WROTE = Text(da="skrev {path}", en="wrote {path}")
>>> WROTE("da", path="out/a.csv")
'skrev out/a.csv'
>>> WROTE("en", path="out/a.csv")
'wrote out/a.csv'
"""

from __future__ import annotations

from dataclasses import dataclass

from wgsforecast.periods import Lang


@dataclass(frozen=True)
class Text:
    """One message in Danish and English, with optional ``{name}`` fields.

    Parameters
    ----------
    da, en
        The message in each language; ``str.format`` fields are filled by :meth:`__call__`.
    """

    da: str
    en: str

    def __call__(self, lang: Lang, **fields: object) -> str:
        """The message in ``lang`` (``"da"`` or ``"en"``) with ``fields`` filled in.

        Parameters
        ----------
        lang
            ``"da"`` or ``"en"``; anything else is a programming error.
        **fields
            Values for the ``{name}`` fields of the message.

        Returns
        -------
        str
            The formatted message.
        """
        return self.template(lang).format(**fields)

    def template(self, lang: Lang) -> str:
        """The message in ``lang`` as written, its ``{name}`` fields not filled in.

        For a caller that fills the fields itself (an engine note formats months and
        weights per language) or a text that is no template (a name read from a file).

        Parameters
        ----------
        lang
            ``"da"`` or ``"en"``; anything else is a programming error.

        Returns
        -------
        str
            The Danish or the English text.
        """
        if lang == "da":
            return self.da
        if lang == "en":
            return self.en
        raise ValueError(f"lang must be 'da' or 'en'; got {lang!r}")
