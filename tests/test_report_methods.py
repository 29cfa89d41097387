"""The report's methods side by side, the odds after the deadline and what moves the date."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.report.collecting import collect
from wgsforecast.report.content import ReportContent, csv_tables
from wgsforecast.report.markdown import render_markdown
from wgsforecast.report.methods import later_months, method_name
from wgsforecast.report.text import headline_lines


@pytest.fixture(scope="module")
def content(bundled: wf.ProgrammeData) -> ReportContent:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return collect(bundled, lang="da", n_paths=400, seed=7, figures=False, log=lambda _: None)


def test_the_methods_table_names_every_method_and_its_odds(content: ReportContent) -> None:
    methods = content.methods
    assert methods is not None
    assert list(methods["Metode"]) == [
        method_name(name, "da") for name in ("adoption", "runrate", "trend", "flat")
    ]
    odds = [c for c in methods.columns if c.startswith("Sandsynlighed")]
    assert [c.rsplit(" ", 2)[-2:] for c in odds] == [
        ["juni", "2024"],
        ["juni", "2025"],
        ["december", "2025"],
    ]
    # The published method is one path: a month, no interval and no odds.
    published = methods.iloc[1]
    assert published["Målet nås (median)"] == "juni 2025"
    assert published["80 %-interval"] == "–"
    assert published["GE ved fristen (median)"] == round(content.published_method.ge_by_deadline())
    assert "methods" in csv_tables(content)


def test_the_headline_gives_the_odds_after_the_deadline(content: ReportContent) -> None:
    main = content.main
    assert list(content.headline.p_later) == [
        pd.Period("2025-06", "M"),
        pd.Period("2025-12", "M"),
    ]
    for month, p in content.headline.p_later.items():
        assert p == main.p_target_by(month)
    lines = headline_lines(content)
    assert any("senest ved udgangen af december 2025" in line for line in lines)


def test_the_report_says_what_moves_the_date(content: ReportContent) -> None:
    assert content.drivers, "the evidence engine draws its inputs; the report must name one"
    assert content.drivers[0].startswith("Det, der flytter datoen mest, er den nationale kapacitet")
    summary = render_markdown(content)
    assert content.drivers[0] in summary
    assert "## Metoderne side om side" in summary


def test_later_months_follow_the_deadline(bundled: wf.ProgrammeData) -> None:
    prognosis = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="runrate")
    assert later_months(prognosis) == [pd.Period("2025-06", "M"), pd.Period("2025-12", "M")]
    programme = prognosis.programme.model_copy(update={"deadline": pd.Period("2024-12", "M")})
    december = bundled.assumptions.model_copy(update={"programme": programme})
    shifted = wf.forecast(bundled.actuals, bundled.groups, december, engine="runrate")
    assert later_months(shifted) == [pd.Period("2025-12", "M")]
