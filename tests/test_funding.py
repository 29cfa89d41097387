"""The funding view: GE left after the funding deadline and, given a price, their cost."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import wgsforecast as wf
from wgsforecast.engines import ENGINES
from wgsforecast.funding import funding_view


def test_published_method_left_after_deadline(published_method: wf.Prognosis) -> None:
    view = funding_view(published_method)
    done = published_method.ge_by_deadline()
    assert view.done[0.5] == pytest.approx(done)
    assert view.left[0.5] == pytest.approx(60_000 - done)
    assert view.left[0.5] == pytest.approx(published_method.ge_left_after_deadline())
    assert view.cost is None and view.p_by_deadline == 0.0
    text = view.to_markdown("da")
    assert "Ingen pris pr. GE" in text and "rekonstrueret" in text
    assert "No price per GE" in view.to_markdown("en")
    assert list(view.table().index) == ["Gennemført ved fristen (GE)", "Udestår efter fristen (GE)"]


def test_price_gives_cost(published_method: wf.Prognosis) -> None:
    view = funding_view(published_method, price_per_ge=12_500.0)
    assert view.cost is not None
    assert view.cost[0.5] == pytest.approx(view.left[0.5] * 12_500)
    frame = view.to_frame("en")
    assert "Cost of what is left (DKK)" in frame.index
    assert "12,500.00 DKK per GE" in view.to_markdown("en")
    for bad in (0, -5, float("nan")):
        with pytest.raises(ValueError, match="price_per_ge"):
            funding_view(published_method, price_per_ge=bad)


def test_probabilistic_interval(bundled: wf.ProgrammeData) -> None:
    if "adoption" not in ENGINES:
        pytest.skip("the adoption engine is not available in this build")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prognosis = wf.forecast(
            bundled.actuals, bundled.groups, bundled.assumptions, "adoption", n_paths=400, seed=1
        )
    view = funding_view(prognosis, price_per_ge=1.0)
    assert view.left[0.1] <= view.left[0.5] <= view.left[0.9]
    assert view.done[0.1] <= view.done[0.5] <= view.done[0.9]
    done = prognosis.cumulative_at(prognosis.programme.deadline)
    assert view.left[0.9] == pytest.approx(np.quantile(np.maximum(60_000 - done, 0), 0.9))
    assert view.p_by_deadline == pytest.approx(np.mean(done >= 60_000))


def test_deadline_beyond_horizon(bundled: wf.ProgrammeData) -> None:
    assumptions = bundled.assumptions.model_copy(update={"horizon_months": 6})
    prognosis = wf.forecast(bundled.actuals, bundled.groups, assumptions)
    with pytest.raises(ValueError, match="beyond the prognosis horizon"):
        funding_view(prognosis)
