"""The two-language text type: the language picks the text, the fields fill it."""

from __future__ import annotations

import pytest

from wgsforecast._text import Text

STARTS = Text(da="starter {start}", en="starts {start}")


def test_the_template_is_the_text_as_written_and_the_call_fills_it() -> None:
    assert STARTS.template("da") == "starter {start}"
    assert STARTS("en", start="June 2023") == "starts June 2023"


@pytest.mark.parametrize("lang", ["de", "DA", ""])
def test_a_language_other_than_da_or_en_is_refused(lang: str) -> None:
    with pytest.raises(ValueError, match="lang must be 'da' or 'en'"):
        STARTS.template(lang)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lang must be 'da' or 'en'"):
        STARTS(lang, start="x")  # type: ignore[arg-type]
