"""The one Markdown table writer: its lines, alignment rule and refusals."""

from __future__ import annotations

import pytest

from wgsforecast._markdown import markdown_table


def test_every_line_has_as_many_cells_as_the_header() -> None:
    text = markdown_table(["a", "b", "c"], [["1", "", "3"], ["", "", ""]], align="lrr")
    lines = text.splitlines()
    assert lines[1] == "|---|---:|---:|"
    assert {line.count("|") for line in lines} == {4}


@pytest.mark.parametrize("align", ["lr", "lrrl", "lxr"])
def test_an_align_that_does_not_fit_the_columns_is_refused(align: str) -> None:
    with pytest.raises(ValueError, match="one of l or r per column"):
        markdown_table(["a", "b", "c"], [], align=align)
