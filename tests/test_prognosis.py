"""Views of the result object: the Table 1 shape, target month, deadline, per-group table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.models import TablePeriod


def _flat_prognosis(
    values: np.ndarray,
    first: str = "2023-01",
    as_of: str = "2023-03",
    target: int = 100,
    deadline: str = "2023-06",
    periods: tuple[TablePeriod, ...] | None = None,
) -> wf.Prognosis:
    """A hand-built prognosis: values shaped [path, month] for one group."""
    months = pd.period_range(first, periods=values.shape[1], freq="M")
    group = wf.PatientGroup(
        key="g", name_da="G", name_en="G", kind="germline", declared_per_year=1_000, status="live"
    )
    programme = wf.Programme(
        target_ge=target, deadline=deadline, table_periods=periods or wf.Programme().table_periods
    )
    return wf.Prognosis(
        ge=values[:, None, :].astype(float),
        capped=np.zeros((values.shape[0], 1, values.shape[1]), dtype=bool),
        months=months,
        groups=wf.GroupRegistry([group]),
        assumptions=wf.Assumptions(
            as_of=as_of, horizon_months=values.shape[1] - 3, programme=programme
        ),
        engine="test",
    )


def test_yearly_table_has_the_published_shape(published_method: wf.Prognosis) -> None:
    table = published_method.yearly_table()
    assert list(table.columns) == ["2019-2022", "2023", "Medio 2024", "2024", "Juni 2025", "2025"]
    assert list(table.index) == ["Genomækvivalenter pr. år", "Total antal genomækvivalenter"]
    assert table.loc["Genomækvivalenter pr. år", ["Medio 2024", "Juni 2025"]].isna().all()
    english = published_method.yearly_table(lang="en")
    assert list(english.columns)[2] == "Mid-2024"
    assert list(english.index) == ["Genome equivalents per year", "Total genome equivalents"]


def test_table_periods_are_configurable() -> None:
    periods = (
        TablePeriod(label_da="K1 2023", label_en="Q1 2023", first="2023-01", last="2023-03"),
        TablePeriod(label_da="Ultimo maj", label_en="End of May", last="2023-05", kind="point"),
    )
    prognosis = _flat_prognosis(np.full((1, 6), 10), periods=periods)
    table = prognosis.yearly_table()
    assert list(table.columns) == ["K1 2023", "Ultimo maj"]
    assert table.loc["Genomækvivalenter pr. år", "K1 2023"] == 30
    assert table.loc["Total antal genomækvivalenter", "Ultimo maj"] == 50


def test_target_month_is_the_first_month_at_or_over_target() -> None:
    prognosis = _flat_prognosis(np.array([[20, 20, 20, 20, 20, 20]]))
    assert prognosis.target_month() == pd.Period("2023-05", "M")  # cumulative 100 in month 5
    assert prognosis.ge_by_deadline() == 120
    assert prognosis.ge_left_after_deadline() == 0


def test_target_not_reached_within_horizon_is_none() -> None:
    prognosis = _flat_prognosis(np.array([[1, 1, 1, 1, 1, 1]]))
    assert prognosis.target_month() is None
    assert prognosis.ge_left_after_deadline() == 94


def test_target_month_quantile_over_paths_counts_never_as_latest() -> None:
    paths = np.array([[50, 50, 0, 0, 0, 0], [25, 25, 25, 25, 0, 0], [1, 1, 1, 1, 1, 1]])
    prognosis = _flat_prognosis(paths)
    assert prognosis.target_month(0.0) == pd.Period("2023-02", "M")
    assert prognosis.target_month(0.5) == pd.Period("2023-04", "M")
    assert prognosis.target_month(1.0) is None


def test_deadline_beyond_horizon_gives_nan_not_a_guess() -> None:
    prognosis = _flat_prognosis(np.full((1, 6), 10), deadline="2030-01")
    assert np.isnan(prognosis.ge_by_deadline())


def test_group_table_has_declared_cap_run_rate_and_projection(
    published_method: wf.Prognosis,
) -> None:
    table = published_method.group_table().set_index("group")
    assert len(table) == 17
    cancer = table.loc["udbredt-uhelbredelig-kraeft"]
    group = published_method.groups["udbredt-uhelbredelig-kraeft"]
    assert cancer["cap_per_year"] == pytest.approx(0.75 * group.declared_per_year)
    as_of = published_method.month_position(published_method.as_of)
    keys = list(published_method.groups.keys)
    last_three = published_method.ge[0, keys.index("udbredt-uhelbredelig-kraeft"), as_of - 2 :]
    assert cancer["run_rate_per_month"] == pytest.approx(last_three[:3].mean())
    # Haematological cancer went live in January 2023, inside the window: its run rate is
    # the mean of its two months, as the published method starts it, not diluted by a zero.
    haem = published_method.ge[0, keys.index("haematologisk-cancer"), as_of - 1 : as_of + 1]
    assert table.loc["haematologisk-cancer", "run_rate_per_month"] == pytest.approx(haem.mean())
    engine = wf.RunRateEngine().fit(
        *(getattr(wf.load_bundled(), name) for name in ("actuals", "groups", "assumptions"))
    )
    np.testing.assert_allclose(table["run_rate_per_month"], engine.start_level_)
    assert table[["2023", "2024", "2025"]].sum().sum() == pytest.approx(
        float(
            published_method.yearly_table()
            .loc["Genomækvivalenter pr. år", ["2023", "2024", "2025"]]
            .sum()
        ),
        abs=3,  # the table rounds each cell to whole GE
    )


def test_shape_mismatch_is_rejected() -> None:
    with pytest.raises(ValueError, match="shaped"):
        _flat_prognosis(np.full((1, 6), 10)).__class__(
            ge=np.zeros((1, 2, 6)),
            capped=np.zeros((1, 2, 6), dtype=bool),
            months=pd.period_range("2023-01", periods=6, freq="M"),
            groups=_flat_prognosis(np.full((1, 6), 10)).groups,
            assumptions=wf.Assumptions(as_of="2023-03"),
            engine="test",
        )
