"""The Prognosis views of issue 11: quarters, genomes beside GE, one central value, and a
Prognosis that shows itself (HTML headline, repr, plot, xarray)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wgsforecast as wf
from wgsforecast.models import GENOMES_PER_GE
from wgsforecast.periods import format_month


def _two_group_prognosis(n_paths: int = 50, seed: int = 0) -> wf.Prognosis:
    """A hand-built prognosis: a germline and a cancer group, 2022-11 to 2024-07.

    Actuals up to 2023-02 (identical on every path), random projected months after it, so
    the as-of quarter 2023 Q1 mixes two actual months and one projected month and the last
    quarter (2024 Q3) is cut short by the horizon.
    """
    months = pd.period_range("2022-11", "2024-07", freq="M")
    groups = wf.GroupRegistry(
        [
            wf.PatientGroup(
                key="germ", name_da="Arvelig", name_en="Hereditary", kind="germline",
                declared_per_year=12_000, status="live",
            ),
            wf.PatientGroup(
                key="can", name_da="Kræft", name_en="Cancer", kind="cancer",
                declared_per_year=6_000, status="live",
            ),
        ]
    )  # fmt: skip
    rng = np.random.default_rng(seed)
    ge = rng.uniform(50, 150, size=(n_paths, 2, len(months)))
    actual = np.asarray(months <= pd.Period("2023-02", "M"))
    ge[:, :, actual] = ge[0][:, actual]
    programme = wf.Programme(target_ge=3_000, deadline="2024-03")
    return wf.Prognosis(
        ge=ge,
        capped=np.zeros(ge.shape, dtype=bool),
        months=months,
        groups=groups,
        assumptions=wf.Assumptions(as_of="2023-02", horizon_months=17, programme=programme),
        engine="test",
        seed=seed,
        data_notes=("RECONSTRUCTED test data",),
    )


@pytest.fixture(scope="module")
def prognosis() -> wf.Prognosis:
    return _two_group_prognosis()


# ---- quarterly ----------------------------------------------------------------------


def test_actual_quarters_equal_the_sum_of_their_months(prognosis: wf.Prognosis) -> None:
    table = prognosis.quarterly()
    monthly = prognosis.monthly()
    national = monthly.groupby("month")["ge"].sum()
    actual = table[table["kind"] == "actual"]
    assert list(actual["quarter"]) == ["2022 K4"]
    # 2022 Q4 has only two months of data (November, December): both are counted.
    expected = national[pd.period_range("2022-11", "2022-12", freq="M")].sum()
    row = actual.iloc[0]
    assert row["actual_months"] == 2
    assert row["actual"] == pytest.approx(expected)
    for column in ("ge_p10", "ge_p50", "ge_p90"):
        assert row[column] == pytest.approx(expected)


def test_partial_quarter_is_marked_and_adds_actual_and_projected_months(
    prognosis: wf.Prognosis,
) -> None:
    table = prognosis.quarterly().set_index("quarter")
    partial = table.loc["2023 K1"]
    assert partial["kind"] == "partial"
    assert partial["actual_months"] == 2
    january_february = prognosis.ge[0, :, 2:4].sum()
    assert partial["actual"] == pytest.approx(january_february)
    whole = prognosis.national_paths[:, 2:5].sum(axis=1)
    assert partial["ge_p50"] == pytest.approx(np.median(whole))
    assert partial["ge_p10"] < partial["ge_p50"] < partial["ge_p90"]
    assert (table["kind"] == "partial").sum() == 1


def test_projected_quarters_sum_paths_first_and_drop_a_cut_short_last_quarter(
    prognosis: wf.Prognosis,
) -> None:
    table = prognosis.quarterly((0.1, 0.5, 0.9))
    assert table["quarter"].iloc[-1] == "2024 K2"  # 2024 Q3 has only July: left out
    row = table.set_index("quarter").loc["2023 K3"]
    assert row["kind"] == "projected"
    assert np.isnan(row["actual"])
    inside = np.asarray(prognosis.months.asfreq("Q") == pd.Period("2023Q3", "Q"))
    totals = prognosis.national_paths[:, inside].sum(axis=1)
    assert row["ge_p10"] == pytest.approx(np.quantile(totals, 0.1))
    assert row["ge_p90"] == pytest.approx(np.quantile(totals, 0.9))


def test_cumulative_at_quarter_end_equals_cumulative_at(prognosis: wf.Prognosis) -> None:
    table = prognosis.quarterly()
    for period, p10, p50, p90 in zip(
        table["period"],
        table["cumulative_p10"],
        table["cumulative_p50"],
        table["cumulative_p90"],
        strict=True,
    ):
        end = prognosis.cumulative_at(period.asfreq("M", how="end"))
        assert [p10, p50, p90] == pytest.approx(list(np.quantile(end, [0.1, 0.5, 0.9])))


def test_quarter_labels_follow_lang(prognosis: wf.Prognosis) -> None:
    assert prognosis.quarterly(lang="en")["quarter"].iloc[1] == "2023 Q1"
    assert prognosis.quarterly(lang="da")["quarter"].iloc[1] == "2023 K1"
    with pytest.raises(ValueError, match="lang"):
        prognosis.quarterly(lang="de")  # type: ignore[arg-type]


def test_quarterly_of_the_published_method(published_method: wf.Prognosis) -> None:
    table = published_method.quarterly().set_index("quarter")
    assert table.loc["2023 K1", "kind"] == "partial"  # as of February 2023
    end_2022 = published_method.cumulative_at(pd.Period("2022-12", "M"))[0]
    assert table.loc["2022 K4", "cumulative_p50"] == pytest.approx(end_2022)
    assert table.loc["2022 K4", "cumulative_p50"] == pytest.approx(5_676)
    mid_2024 = published_method.yearly_table().loc["Total antal genomækvivalenter", "Medio 2024"]
    assert round(table.loc["2024 K2", "cumulative_p50"]) == mid_2024


# ---- genomes beside GE --------------------------------------------------------------


def test_genomes_per_ge_are_the_assumed_defaults_by_kind(prognosis: wf.Prognosis) -> None:
    factors = prognosis.genomes_per_ge()
    assert factors.to_dict() == {
        "germ": GENOMES_PER_GE["germline"],
        "can": GENOMES_PER_GE["cancer"],
    }


def test_genomes_are_ge_times_each_groups_factor(prognosis: wf.Prognosis) -> None:
    factors = prognosis.genomes_per_ge()
    ge = prognosis.monthly()
    genomes = prognosis.monthly(unit="genomes")
    assert list(genomes.columns) == ["group", "month", "kind", "genomes", "capped", "capped_share"]
    expected = ge["ge"] * ge["group"].map(factors)
    np.testing.assert_allclose(genomes["genomes"], expected)

    per_path = (prognosis.ge * factors.to_numpy()[None, :, None]).sum(axis=1)
    quarters = prognosis.quarterly(unit="genomes")
    assert "genomes_p50" in quarters.columns and "ge_p50" not in quarters.columns
    inside = np.asarray(prognosis.months.asfreq("Q") == pd.Period("2023Q2", "Q"))
    row = quarters.set_index("quarter").loc["2023 K2"]
    assert row["genomes_p50"] == pytest.approx(np.median(per_path[:, inside].sum(axis=1)))

    cumulative = prognosis.cumulative(unit="genomes")
    np.testing.assert_allclose(
        cumulative["cumulative_p90"], np.quantile(np.cumsum(per_path, axis=1), 0.9, axis=0)
    )
    fan = prognosis.fan("monthly", group="can", unit="genomes")
    np.testing.assert_allclose(fan["mean"], 2.0 * prognosis.ge[:, 1, :].mean(axis=0))


def test_a_groups_own_genomes_per_ge_overrides_its_kind(published_method: wf.Prognosis) -> None:
    key = published_method.groups.keys[0]
    group = published_method.groups[key]
    factors = published_method.genomes_per_ge()
    assert factors[key] == group.genomes_per_genome_equivalent


def test_unknown_unit_is_refused(prognosis: wf.Prognosis) -> None:
    with pytest.raises(ValueError, match="unit"):
        prognosis.monthly(unit="wgs")  # type: ignore[arg-type]


# ---- one central value (item 7) -----------------------------------------------------


def test_monthly_and_cumulative_use_the_median_over_paths(prognosis: wf.Prognosis) -> None:
    monthly = prognosis.monthly()
    germ = monthly[monthly["group"] == "germ"]["ge"].to_numpy()
    np.testing.assert_allclose(germ, np.median(prognosis.ge[:, 0, :], axis=0))
    cumulative = prognosis.cumulative()
    np.testing.assert_allclose(cumulative["ge"], np.median(prognosis.national_paths, axis=0))
    np.testing.assert_allclose(
        cumulative["cumulative"], np.median(prognosis.cumulative_paths, axis=0)
    )
    np.testing.assert_allclose(cumulative["cumulative"], cumulative["cumulative_p50"])


def test_one_path_monthly_adds_up_to_cumulative(published_method: wf.Prognosis) -> None:
    national = published_method.monthly().groupby("month")["ge"].sum()
    cumulative = published_method.cumulative().set_index("month")["cumulative"]
    np.testing.assert_allclose(national.cumsum().to_numpy(), cumulative.to_numpy())


# ---- showing itself -----------------------------------------------------------------


def test_repr_html_is_a_short_headline(prognosis: wf.Prognosis) -> None:
    text = prognosis._repr_html_()
    assert len(text) < 5_000
    median = prognosis.target_month()
    assert median is not None
    assert format_month(median, "da") in text
    assert "80 %-interval" in text
    assert "test" in text and "50 stier" in text
    assert "RECONSTRUCTED" in text
    assert "array(" not in text
    english = prognosis.to_html("en")
    assert format_month(median, "en") in english
    assert "Chance of 3,000 GE by the end of March 2024" in english


def test_repr_html_of_the_published_method(published_method: wf.Prognosis) -> None:
    text = published_method._repr_html_()
    assert len(text) < 5_000
    assert "juni 2025" in text  # the target month of Table 1's method
    assert "34.260" in text  # GE by mid-2024
    assert "1 sti)" in text


def test_repr_is_one_short_line(prognosis: wf.Prognosis) -> None:
    text = repr(prognosis)
    assert "\n" not in text and len(text) < 300
    assert "engine='test'" in text and "paths=50" in text and "as_of=2023-02" in text


def test_plot_dispatches_to_each_figure(prognosis: wf.Prognosis) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from wgsforecast.plotting import pyplot

    plt = pyplot()
    try:
        for kind in ("cumulative", "fan", "monthly", "target"):
            ax = prognosis.plot(kind, lang="en")  # type: ignore[arg-type]
            assert isinstance(ax, Axes)
            assert ax.lines or ax.collections or ax.patches, kind
        _, given = plt.subplots()
        assert prognosis.plot("cumulative", ax=given) is given
        figure = prognosis.plot("groups")
        assert isinstance(figure, Figure)
        assert len(figure.axes) >= len(prognosis.groups)
        with pytest.raises(ValueError, match="ax=None"):
            prognosis.plot("groups", ax=given)
        with pytest.raises(ValueError, match="kind must be one of"):
            prognosis.plot("pie")  # type: ignore[arg-type]
    finally:
        plt.close("all")


def test_to_xarray_has_named_dims_and_coordinates(prognosis: wf.Prognosis) -> None:
    xarray = pytest.importorskip("xarray")
    array = prognosis.to_xarray()
    assert isinstance(array, xarray.DataArray)
    assert array.dims == ("path", "group", "month")
    assert array.shape == prognosis.ge.shape
    assert list(array["group"].values) == ["germ", "can"]
    assert list(array["genomes_per_ge"].values) == [1.44, 2.0]
    assert pd.Timestamp(array["month"].values[0]) == pd.Timestamp("2022-11-01")
    assert array["projected"].sum() == prognosis.is_projected.sum()
    assert array.attrs["engine"] == "test" and array.attrs["as_of"] == "2023-02"
    # Quarterly by name: sum groups and months per path, then the median over paths.
    quarters = array.sum("group").resample(month="QS").sum().median("path")
    table = prognosis.quarterly().set_index("period")
    assert float(quarters.sel(month="2023-07-01")) == pytest.approx(
        table.loc[pd.Period("2023Q3", "Q"), "ge_p50"]
    )


def test_to_xarray_without_xarray_names_the_extra(
    prognosis: wf.Prognosis, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(ImportError, match=r"pip install 'wgsforecast\[xarray\]'"):
        prognosis.to_xarray()
