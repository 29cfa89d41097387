"""The funding view: GE left after the funding deadline and, given a price, their cost."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
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
    # Recomputed from the monthly paths with plain Python, not with the library's helpers:
    # GE per path summed over every group and month up to June 2024, then order statistics.
    deadline = list(prognosis.months).index(pd.Period("2024-06", "M"))
    per_path = [float(path[:, : deadline + 1].sum()) for path in prognosis.ge]
    left = sorted(max(60_000 - done, 0.0) for done in per_path)
    h = (len(left) - 1) * 0.9  # the linear-interpolation quantile, written out
    low = int(h)
    expected = left[low] + (h - low) * (left[low + 1] - left[low])
    assert view.left[0.9] == pytest.approx(expected)
    assert view.cost is not None and view.cost[0.9] == pytest.approx(expected)
    reached = sum(
        any(total >= 60_000 for total in np.cumsum(path.sum(axis=0))[: deadline + 1])
        for path in prognosis.ge
    )
    assert view.p_by_deadline == pytest.approx(reached / len(per_path))


def test_deadline_beyond_horizon(bundled: wf.ProgrammeData) -> None:
    assumptions = bundled.assumptions.model_copy(update={"horizon_months": 6})
    prognosis = wf.forecast(bundled.actuals, bundled.groups, assumptions)
    with pytest.raises(ValueError, match="beyond the prognosis horizon"):
        funding_view(prognosis)
