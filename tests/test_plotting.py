"""Plot tests: assert on what the axes contain (Agg backend), and on the files written."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D

import wgsforecast as wf
from wgsforecast import plotting
from wgsforecast.periods import format_month

DEADLINE_X = mdates.date2num(pd.Timestamp("2024-07-01"))  # end of June 2024
AS_OF_X = mdates.date2num(pd.Timestamp("2023-03-01"))  # end of February 2023

# Table 1 of item 112/23 (reference/table1_2023_03.csv), the cumulative column.
TABLE1 = pd.DataFrame(
    {
        "period_end": ["2022-12", "2023-12", "2024-06", "2024-12", "2025-06", "2025-12"],
        "ge_cumulative": [5676, 21274, 34282, 47289, 61098, 80432],
    }
)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def noisy(published_method: wf.Prognosis) -> wf.Prognosis:
    """A 60-path prognosis made by hand: the run-rate path with noise on projected months.

    It needs no probabilistic engine, so the band drawing is tested even without one.
    """
    rng = np.random.default_rng(7)
    base = published_method.ge[0]
    noise = np.exp(rng.normal(0, 0.15, size=(60, *base.shape)))
    noise[:, :, ~published_method.is_projected] = 1.0
    ge = base[None] * noise
    return dataclasses.replace(
        published_method, ge=ge, capped=np.zeros(ge.shape, dtype=bool), seed=7
    )


@pytest.fixture(scope="module")
def adoption(bundled: wf.ProgrammeData) -> wf.Prognosis:
    """200 paths of the probabilistic adoption engine (skipped until it exists)."""
    if "adoption" not in wf.ENGINES:
        pytest.skip("engine 'adoption' is not in wgsforecast.engines.ENGINES yet")
    with warnings.catch_warnings():
        # Groups with short histories fall back to the pooled prior; expected here.
        warnings.simplefilter("ignore", wf.PriorFallbackWarning)
        return wf.forecast(
            bundled.actuals,
            bundled.groups,
            bundled.assumptions,
            engine="adoption",
            n_paths=200,
            seed=11,
        )


def by_gid(ax: Axes, gid: str) -> list[object]:
    return [a for a in ax.get_children() if a.get_gid() == gid]


def lines(ax: Axes, gid: str) -> list[Line2D]:
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def tick_texts(ax: Axes, axis: str = "y") -> list[str]:
    ax.figure.canvas.draw()
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def all_texts(ax: Axes) -> str:
    texts = [t.get_text() for t in ax.texts]
    texts += [t.get_text() for t in ax.figure.texts]
    legend = ax.get_legend()
    if legend is not None:
        texts += [t.get_text() for t in legend.get_texts()]
    return "\n".join(texts)


def footnote(fig: object) -> list[str]:
    return [t.get_text() for t in fig.texts if t.get_gid() == plotting.GID_FOOTNOTE]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- import


def test_import_does_not_load_matplotlib_until_a_plot_is_drawn() -> None:
    script = textwrap.dedent(
        """
        import sys
        import wgsforecast as wf
        import wgsforecast.plotting as wp
        assert "matplotlib" not in sys.modules, "imported at module import"
        data = wf.load_bundled()
        prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
        assert "matplotlib" not in sys.modules, "imported by forecasting"
        wp.plot_cumulative(prognosis)
        import matplotlib
        print(matplotlib.get_backend())
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    # No backend was chosen, so the plot must have selected the non-interactive one.
    assert result.stdout.strip().lower() == "agg"


# --------------------------------------------------------------------------- cumulative


def test_cumulative_danish(published_method: wf.Prognosis) -> None:
    ax = plotting.plot_cumulative(published_method)
    actual, projected = lines(ax, "actual"), lines(ax, "projected")
    assert len(actual) == 1 and len(projected) == 1
    assert projected[0].get_linestyle() == "--" and actual[0].get_linestyle() == "-"
    # The lines draw the prognosis's own cumulative view, unchanged.
    frame = published_method.cumulative()
    at_as_of = frame.loc[frame["month"] == published_method.as_of, "cumulative"].item()
    assert actual[0].get_ydata()[-1] == pytest.approx(at_as_of)
    assert projected[0].get_ydata()[0] == pytest.approx(at_as_of)
    assert not by_gid(ax, "band"), "a single path has no band"

    (target,) = lines(ax, "target")
    assert list(target.get_ydata()) == [60_000, 60_000]
    (deadline,) = lines(ax, "deadline")
    assert list(mdates.date2num(deadline.get_xdata())) == [DEADLINE_X, DEADLINE_X]

    assert "60.000" in tick_texts(ax)
    assert ax.get_ylabel() == "Akkumulerede genomækvivalenter"
    assert "60.000" in ax.get_title(loc="left")
    texts = all_texts(ax)
    reached = published_method.target_month()
    assert reached is not None
    assert f"Målet nås: {format_month(reached, 'da')}" in texts
    assert "Finansieringsfrist" in texts and "juni 2024" in texts
    assert "februar 2023" in texts
    (note,) = footnote(ax.figure)
    assert "rekonstrueret" in note and "Ikke officielle tal" in note


def test_cumulative_english(published_method: wf.Prognosis) -> None:
    ax = plotting.plot_cumulative(published_method, lang="en")
    assert "60,000" in tick_texts(ax)
    assert ax.get_ylabel() == "Cumulative genome equivalents"
    texts = all_texts(ax)
    assert "Funding deadline" in texts and "June 2024" in texts
    assert "Målet" not in texts and "rekonstrueret" not in texts
    (note,) = footnote(ax.figure)
    assert "reconstructed" in note


def test_cumulative_published_markers(published_method: wf.Prognosis) -> None:
    ax = plotting.plot_cumulative(published_method, published=TABLE1)
    (markers,) = lines(ax, "published")
    assert list(markers.get_ydata()) == list(TABLE1["ge_cumulative"])
    expected = pd.PeriodIndex(TABLE1["period_end"], freq="M") + 1
    assert list(markers.get_xdata()) == list(expected.to_timestamp().to_numpy())
    assert "Offentliggjort prognose (marts 2023)" in all_texts(ax)


def test_cumulative_published_needs_its_columns(published_method: wf.Prognosis) -> None:
    with pytest.raises(ValueError, match="period_end"):
        plotting.plot_cumulative(published_method, published=TABLE1.rename(columns=str.upper))


def test_cumulative_band_for_many_paths(noisy: wf.Prognosis) -> None:
    ax = plotting.plot_cumulative(noisy)
    (band,) = by_gid(ax, "band")
    assert isinstance(band, PolyCollection)
    # The band spans the prognosis's own P10 and P90 at the deadline.
    frame = noisy.cumulative((0.1, 0.9)).set_index("month")
    low = frame.loc[noisy.programme.deadline, "cumulative_p10"]
    high = frame.loc[noisy.programme.deadline, "cumulative_p90"]
    vertices = band.get_paths()[0].vertices
    at_deadline = vertices[np.isclose(vertices[:, 0], DEADLINE_X), 1]
    assert at_deadline.min() == pytest.approx(low)
    assert at_deadline.max() == pytest.approx(high)
    assert low < high
    assert "P10–P90" in all_texts(ax)


def test_cumulative_draws_on_given_axes_and_stops_at_until(
    published_method: wf.Prognosis,
) -> None:
    _, ax = plt.subplots()
    returned = plotting.plot_cumulative(published_method, ax=ax, until="2024-12")
    assert returned is ax
    assert ax.get_xlim()[1] < mdates.date2num(pd.Timestamp("2025-02-01"))
    with pytest.raises(ValueError, match="as-of"):
        plotting.plot_cumulative(published_method, until="2022-01")


def test_cumulative_says_when_target_is_not_reached(published_method: wf.Prognosis) -> None:
    programme = published_method.programme.model_copy(update={"target_ge": 10_000_000})
    assumptions = published_method.assumptions.model_copy(update={"programme": programme})
    unreachable = dataclasses.replace(published_method, assumptions=assumptions)
    ax = plotting.plot_cumulative(unreachable)
    assert "Målet nås ikke inden for horisonten" in all_texts(ax)
    assert not lines(ax, "target_month")
    # With no month to aim for, the whole horizon is drawn.
    horizon_end = mdates.date2num((published_method.months[-1] + 1).to_timestamp())
    assert ax.get_xlim()[1] >= horizon_end


def test_no_footnote_without_reconstructed_data(published_method: wf.Prognosis) -> None:
    official = dataclasses.replace(published_method, data_notes=())
    ax = plotting.plot_cumulative(official)
    assert footnote(ax.figure) == []


def test_rejects_unknown_language(published_method: wf.Prognosis) -> None:
    with pytest.raises(ValueError, match="'da' or 'en'"):
        plotting.plot_cumulative(published_method, lang="de")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- by group


def test_monthly_by_group_stacks_top_groups_and_the_rest(published_method: wf.Prognosis) -> None:
    ax = plotting.plot_monthly_by_group(published_method, top=5)
    layers = [c for c in ax.collections if str(c.get_gid()).startswith("group:")]
    assert len(layers) == 6  # five named groups and "Øvrige grupper"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "Øvrige grupper"
    biggest = published_method.monthly().groupby("group")["ge"].sum().idxmax()
    assert published_method.groups[biggest].name_da in legend
    # The top of the stack is the national monthly total (the groups' sum).
    top_edge = layers[-1].get_paths()[0].vertices[:, 1].max()
    months = ax.get_xlim()
    assert top_edge > 0 and months[0] < AS_OF_X < months[1]
    (as_of,) = lines(ax, "as_of")
    assert list(mdates.date2num(as_of.get_xdata())) == [AS_OF_X, AS_OF_X]
    assert ax.get_ylabel() == "Genomækvivalenter pr. måned"
    assert any("." in t for t in tick_texts(ax)), "thousands are separated with a dot"


def test_monthly_by_group_total_matches_national(published_method: wf.Prognosis) -> None:
    ax = plotting.plot_monthly_by_group(published_method, until="2023-12")
    layers = [c for c in ax.collections if str(c.get_gid()).startswith("group:")]
    vertices = layers[-1].get_paths()[0].vertices
    december = mdates.date2num(pd.Timestamp("2023-12-01"))
    tops = vertices[np.isclose(vertices[:, 0], december), 1]
    national = published_method.cumulative().set_index("month").loc["2023-12", "ge"]
    assert tops.max() == pytest.approx(national)


def test_monthly_by_group_english_and_all_groups(published_method: wf.Prognosis) -> None:
    n_groups = len(published_method.groups)
    ax = plotting.plot_monthly_by_group(published_method, lang="en", top=n_groups)
    layers = [c for c in ax.collections if str(c.get_gid()).startswith("group:")]
    assert len(layers) == n_groups
    texts = all_texts(ax)
    assert "Other groups" not in texts and "Øvrige grupper" not in texts
    assert "Projected" in texts and "Actual" in texts
    ax = plotting.plot_monthly_by_group(published_method, lang="en", top=3)
    assert "Other groups" in all_texts(ax)


# --------------------------------------------------------------------------- fan


def test_fan_nested_bands_and_median(adoption: wf.Prognosis) -> None:
    ax = plotting.plot_fan(adoption)
    bands = by_gid(ax, "band")
    assert len(bands) == 2
    outer, inner = (b.get_paths()[0].vertices[:, 1] for b in bands)  # type: ignore[attr-defined]
    assert np.ptp(outer) >= np.ptp(inner)
    (median,) = lines(ax, "median")
    # The median line is the fan's P50 from the as-of month on, unchanged.
    fan = adoption.fan("cumulative", quantiles=(0.1, 0.5, 0.9))
    p50 = fan.loc[fan["month"] >= adoption.as_of, "p50"].to_numpy(float)
    drawn = np.asarray(median.get_ydata(), float)
    assert 12 < len(drawn) <= len(p50)
    np.testing.assert_allclose(drawn, p50[: len(drawn)])
    (target,) = lines(ax, "target")
    assert list(target.get_ydata()) == [60_000, 60_000]
    (deadline,) = lines(ax, "deadline")
    assert list(mdates.date2num(deadline.get_xdata())) == [DEADLINE_X, DEADLINE_X]
    assert "60.000" in tick_texts(ax)
    assert "P25–P75" in all_texts(ax)


def test_fan_rejects_odd_quantiles(adoption: wf.Prognosis) -> None:
    with pytest.raises(ValueError, match="pairs"):
        plotting.plot_fan(adoption, quantiles=(0.1, 0.5, 0.9))


# --------------------------------------------------------------------------- target month


def test_target_distribution(adoption: wf.Prognosis) -> None:
    ax = plotting.plot_target_distribution(adoption)
    bars = [p for p in ax.patches if p.get_gid() == "probability"]
    dist = adoption.target_distribution()
    assert len(bars) > 0
    heights = [b.get_height() for b in bars]
    assert max(heights) == pytest.approx(dist["probability"].max())
    # Every month with a chance of reaching the target is shown.
    assert sum(heights) == pytest.approx(dist["probability"].sum())
    twin = ax.wgs_cumulative_axes  # type: ignore[attr-defined]
    (line,) = [x for x in twin.get_lines() if x.get_gid() == "cumulative_probability"]
    assert max(line.get_ydata()) == pytest.approx(dist["cumulative_probability"].max())
    (deadline,) = lines(ax, "deadline")
    assert list(mdates.date2num(deadline.get_xdata())) == [DEADLINE_X, DEADLINE_X]
    # Percent tick labels say the value of their tick (no 2.5 % shown as "2 %").
    ax.figure.canvas.draw()
    for tick in ax.get_yticklabels():
        shown = float(tick.get_text().replace(" %", "").replace(",", "."))
        assert shown == pytest.approx(100 * tick.get_position()[1])
    summary = "\n".join(t.get_text() for t in ax.texts if t.get_gid() == "summary")
    quantiles = adoption.target_month_quantiles((0.1, 0.5, 0.9))
    median = quantiles[0.5]
    assert median is not None and f"P50: {format_month(median, 'da')}" in summary
    assert "Når ikke målet" in summary and "%" in summary


# --------------------------------------------------------------------------- small multiples


def test_group_ramps_one_panel_per_group(published_method: wf.Prognosis) -> None:
    fig = plotting.plot_group_ramps(published_method)
    groups = list(published_method.groups)
    assert len(fig.axes) == len(groups)
    for ax, group in zip(fig.axes, groups, strict=True):
        (cap,) = lines(ax, "cap")
        assert cap.get_ydata()[0] == pytest.approx(group.cap_per_month)
        assert len(lines(ax, "projected")) == 1 and len(lines(ax, "as_of")) == 1
        assert ax.get_title(loc="left").rstrip(" …") in group.name_da
    assert "februar 2023" in fig._suptitle.get_text()  # type: ignore[union-attr]
    assert "rekonstrueret" in footnote(fig)[0]


@pytest.mark.parametrize("span", ["long", "short"])
def test_group_ramps_tick_marks_draw_matplotlibs_ticks(
    published_method: wf.Prognosis, monkeypatch: pytest.MonkeyPatch, span: str
) -> None:
    # The panels' minor ticks, and the major ticks of panels without x tick labels, are
    # drawn as one line of marks per panel, for speed; the picture must be the one
    # matplotlib's own ticks (labels hidden where a panel is below) give, pixel for pixel
    # (yearly ticks with quarter marks over a long window, every month over a short one).
    import io

    from wgsforecast.plotting import groups

    until = None if span == "long" else "2023-06"  # 33 months from the first data

    def png() -> bytes:
        fig = plotting.plot_group_ramps(published_method, until=until)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=60, metadata={"Software": None})
        plt.close(fig)
        return buffer.getvalue()

    def own_ticks(axes: list[Axes], labelled: list[bool]) -> None:
        for ax, shown in zip(axes, labelled, strict=True):
            ax.xaxis.set_tick_params(labelbottom=shown)

    marks = png()
    monkeypatch.setattr(groups, "_ticks_as_marks", own_ticks)
    assert marks == png()


def test_group_ramps_bands_when_many_paths(adoption: wf.Prognosis) -> None:
    fig = plotting.plot_group_ramps(adoption, lang="en", ncols=3)
    assert len(fig.axes) == len(adoption.groups)
    assert all(len(by_gid(ax, "band")) == 1 for ax in fig.axes)
    assert "Cap (75% of declared)" in [t.get_text() for t in fig.legends[0].get_texts()]


# --------------------------------------------------------------------------- saving


def test_save_figure_writes_each_format(published_method: wf.Prognosis, tmp_path: Path) -> None:
    ax = plotting.plot_cumulative(published_method)
    paths = plotting.save_figure(ax.figure, tmp_path / "figures" / "cumulative", dpi=60)
    assert paths == [
        tmp_path / "figures" / "cumulative.png",
        tmp_path / "figures" / "cumulative.svg",
    ]
    png, svg = (p.read_bytes() for p in paths)
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    assert b"<svg" in svg[:500]
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == [
        "cumulative.png",
        "cumulative.svg",
    ], "no temporary files are left behind"


def test_save_figure_rejects_unknown_format(published_method: wf.Prognosis, tmp_path: Path) -> None:
    ax = plotting.plot_cumulative(published_method)
    with pytest.raises(ValueError, match="docx"):
        plotting.save_figure(ax.figure, tmp_path / "fig", formats=("png", "docx"))
    assert list(tmp_path.iterdir()) == []


def test_cap_legend_says_the_share_only_when_every_group_has_it(
    published_method: wf.Prognosis,
) -> None:
    # Give one group another cap share: one legend cannot state one share for all panels.
    key = published_method.groups.keys[0]
    group = published_method.groups[key]
    other = published_method.groups.replace([group.model_copy(update={"cap_share": 0.5})])
    mixed = dataclasses.replace(published_method, groups=other)
    fig = plotting.plot_group_ramps(mixed, lang="en")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Cap (the group's cap)" in legend
    assert not any("75%" in text for text in legend)
    (cap,) = lines(fig.axes[0], "cap")
    assert cap.get_ydata()[0] == pytest.approx(0.5 * group.declared_per_year / 12)
    plt.close(fig)


def test_published_markers_take_their_label(published_method: wf.Prognosis) -> None:
    ax = plotting.plot_cumulative(
        published_method, published=TABLE1, published_label="Prognose juni 2023 (test)"
    )
    (markers,) = lines(ax, "published")
    assert markers.get_label() == "Prognose juni 2023 (test)"
    assert "Offentliggjort prognose (marts 2023)" not in all_texts(ax)
    plt.close(ax.figure)


def test_scenario_figures_live_under_plotting_and_keep_their_old_import() -> None:
    from wgsforecast.plotting import scenarios as moved
    from wgsforecast.scenarios import plots as old_place

    for name in ("plot_fans", "plot_shifts", "plot_tornado", "GID_NOT_REACHED"):
        assert getattr(old_place, name) is getattr(moved, name)
        assert name in old_place.__all__
    assert plotting.plot_fans is moved.plot_fans


def test_importing_plotting_leaves_the_scenario_machinery_unloaded() -> None:
    # Figures of a prognosis must not pay for the scenarios' engines and models.
    code = "import sys, wgsforecast.plotting; print('wgsforecast.scenarios' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert result.stdout.strip() == "False"
