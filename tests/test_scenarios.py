"""Scenario files, their application, common random numbers, comparison and tornado."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wgsforecast as wf
from wgsforecast.engines import ENGINES, Engine
from wgsforecast.exceptions import ConfigError
from wgsforecast.labels import label
from wgsforecast.scenarios import (
    AppliedScenario,
    GroupOverrides,
    Scenario,
    ScenarioInfo,
    apply_scenario,
    bundled_scenario_paths,
    compare_scenarios,
    read_scenario,
    read_scenarios,
    run_scenario,
    shift_projection,
    tornado,
)

CANCER = "udbredt-uhelbredelig-kraeft"
AS_OF = pd.Period("2023-02", "M")


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def group_index(data: wf.ProgrammeData, key: str) -> int:
    return data.groups.keys.index(key)


def positions_or_inf(prognosis: wf.Prognosis) -> np.ndarray:
    positions = prognosis.target_positions.astype(float)
    positions[positions < 0] = np.inf
    return positions


@pytest.fixture(scope="module")
def stochastic() -> str:
    """The probabilistic engine the scenarios are meant for."""
    if "adoption" not in ENGINES:
        pytest.skip("the adoption engine is not available in this build")
    return "adoption"


@pytest.fixture(scope="module")
def fitted_adoption(bundled: wf.ProgrammeData, stochastic: str) -> Iterator[Engine]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # prior-fallback warnings are expected here
        yield ENGINES[stochastic]().fit(bundled.actuals, bundled.groups, bundled.assumptions)


@pytest.fixture(scope="module")
def fitted_without_ceiling(bundled: wf.ProgrammeData, stochastic: str) -> Iterator[Engine]:
    """The stochastic engine on the bundled data with no national capacity stated."""
    programme = bundled.assumptions.programme.model_copy(update={"capacity_wgs_per_year": None})
    assumptions = bundled.assumptions.model_copy(update={"programme": programme})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield ENGINES[stochastic]().fit(bundled.actuals, bundled.groups, assumptions)


# --------------------------------------------------------------------------- files


def test_shipped_scenarios_read_and_apply(bundled: wf.ProgrammeData) -> None:
    paths = bundled_scenario_paths()
    scenarios = read_scenarios(paths)
    assert len(scenarios) == 5
    for path, scenario in zip(paths, scenarios, strict=True):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#") and "Assumed" in text  # each file says what it assumes
        assert set(scenario.groups) == {CANCER}
        applied = apply_scenario(scenario, bundled)
        assert applied.data.actuals is bundled.actuals
    pancreas = next(s for s in scenarios if "pancreas" in s.name)
    assert "118/23" in pancreas.label("da") and "118/23" in pancreas.label("en")
    assert pancreas.groups[CANCER].go_live_shift_months < 0  # earlier sampling, same volume
    assert pancreas.groups[CANCER].declared_factor is None


def test_pause_range_and_level_are_parsed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[all]
pause = {from = "2023-07", to = "2023-09"}

[groups.lever]
level = {factor = 1.5, from = "2024-01"}
pause = ["2023-12"]
""",
    )
    scenario = read_scenario(path)
    assert [str(m) for m in scenario.all_groups.pause or ()] == ["2023-07", "2023-08", "2023-09"]
    lever = scenario.groups["lever"]
    assert lever.level is not None and lever.level.factor == 1.5
    assert scenario.name == "scenario"  # the file name when [scenario] gives none


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[grups.lever]\ncap_share = 0.5\n", ["grups: unknown key", "did you mean 'groups'"]),
        (
            f"[groups.{CANCER}]\ngo_live_shift_month = 6\n",
            [
                f"groups.{CANCER}.go_live_shift_month: unknown key",
                "did you mean 'go_live_shift_months'",
            ],
        ),
        ("[all]\ncap_share = 1.5\n", ["all.cap_share:", "less than or equal to 1", "1.5"]),
        (
            f"[groups.{CANCER}]\ngo_live_shift_months = 500\n",
            [f"groups.{CANCER}.go_live_shift_months:", "120"],
        ),
        ('[programme]\ndeadline = "juni"\n', ["programme.deadline:", "not a month"]),
        (
            '[all]\npause = {from = "2023-09", to = "2023-07"}\n',
            ["all.pause:", "before it starts"],
        ),
        ('[all]\npause = {form = "2023-09", to = "2023-10"}\n', ["did you mean 'from'"]),
        (
            "[all]\ndeclared_factor = 0.5\ndeclared_per_year = 100\n",
            ["all:", "not both"],
        ),
        ('[all]\nlevel = {factor = 2, frm = "2024-01"}\n', ["all.level.frm", "'from'"]),
        ('[scenario]\nname = "has space"\n', ["scenario.name:"]),
    ],
)
def test_bad_files_name_file_and_key(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        read_scenario(path)
    message = str(error.value)
    assert str(path) in message
    for part in expected:
        assert part in message


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_scenario(write(tmp_path, "[all\ncap_share = 0.5\n"))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_scenario(tmp_path / "missing.toml")


def test_unknown_group_names_nearest(tmp_path: Path, bundled: wf.ProgrammeData) -> None:
    path = write(tmp_path, "[groups.udbredt-uhelbredelig-kraft]\nramp_months = 3\n")
    scenario = read_scenario(path)
    with pytest.raises(ConfigError) as error:
        apply_scenario(scenario, bundled)
    message = str(error.value)
    assert str(path) in message
    assert "groups.udbredt-uhelbredelig-kraft" in message
    assert f"did you mean {CANCER}" in message


def test_group_may_be_named_in_danish(tmp_path: Path, bundled: wf.ProgrammeData) -> None:
    path = write(tmp_path, '[groups."Udbredt og uhelbredelig kræft"]\ndeclared_factor = 2\n')
    applied = apply_scenario(read_scenario(path), bundled)
    assert (
        applied.data.groups[CANCER].declared_per_year
        == 2 * bundled.groups[CANCER].declared_per_year
    )


def test_shift_before_data_start_is_an_error(tmp_path: Path, bundled: wf.ProgrammeData) -> None:
    # Rare diseases went live in October 2020, the first month of the bundled data.
    path = write(tmp_path, "[groups.sjaeldne-sygdomme]\ngo_live_shift_months = -1\n")
    with pytest.raises(ConfigError) as error:
        apply_scenario(read_scenario(path), bundled)
    message = str(error.value)
    assert f"{path}: groups.sjaeldne-sygdomme.go_live_shift_months" in message
    assert "before the data start in 2020-10" in message
    # The same shift from [all] names the [all] table.
    path = write(tmp_path, "[all]\ngo_live_shift_months = -2\n", "all.toml")
    with pytest.raises(ConfigError, match=r"all\.go_live_shift_months"):
        apply_scenario(read_scenario(path), bundled)


def test_duplicate_and_reserved_names(tmp_path: Path) -> None:
    a = write(tmp_path, '[scenario]\nname = "x"\n', "a.toml")
    b = write(tmp_path, '[scenario]\nname = "x"\n', "b.toml")
    with pytest.raises(ConfigError, match="also the name of"):
        read_scenarios([a, b])
    reserved = write(tmp_path, '[scenario]\nname = "baseline"\n', "c.toml")
    with pytest.raises(ConfigError, match="reserved"):
        read_scenarios([reserved])


# --------------------------------------------------------------------------- effects


def test_null_scenario_reproduces_the_baseline_exactly(
    bundled: wf.ProgrammeData, stochastic: str, fitted_adoption: Engine
) -> None:
    neutral_timing = GroupOverrides(
        go_live_shift_months=0, level={"factor": 1.0, "from": "2023-03"}, pause=[]
    )
    neutral = Scenario(
        scenario=ScenarioInfo(name="neutral"),
        all_groups=neutral_timing,
        groups={CANCER: GroupOverrides(declared_factor=1.0)},  # a refit with equal values
    )
    base = fitted_adoption.forecast(n_paths=300, seed=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        other = run_scenario(bundled, neutral, stochastic, n_paths=300, seed=7)
    np.testing.assert_array_equal(other.ge, base.ge)
    # The runs really are random: another seed gives other paths.
    assert not np.array_equal(fitted_adoption.forecast(n_paths=300, seed=8).ge, base.ge)


@settings(max_examples=12, deadline=None)
@given(
    group=st.sampled_from(
        [CANCER, "sjaeldne-sygdomme", "neurogenetik", "haematologisk-cancer", "nyresvigt"]
    ),
    shift=st.integers(1, 24),
    extra=st.integers(0, 12),
    seed=st.integers(0, 2**16),
)
def test_later_go_live_never_brings_the_target_forward(
    bundled: wf.ProgrammeData,
    fitted_without_ceiling: Engine,
    group: str,
    shift: int,
    extra: int,
    seed: int,
) -> None:
    # Path by path this holds without a national ceiling. Under one, a group that starts
    # later frees capacity that the others share, and the count noise on their larger
    # expectations can bring a path's crossing a month earlier.
    def run(months: int) -> wf.Prognosis:
        scenario = Scenario(groups={group: GroupOverrides(go_live_shift_months=months)})
        applied = apply_scenario(scenario, bundled)
        assert applied.data.groups is bundled.groups  # a live group: only the timing moves
        return fitted_without_ceiling.forecast(n_paths=150, seed=seed, adjust=applied.adjust)

    base = fitted_without_ceiling.forecast(n_paths=150, seed=seed)
    later, even_later = run(shift), run(shift + extra)
    assert (positions_or_inf(later) >= positions_or_inf(base)).all()
    assert (positions_or_inf(even_later) >= positions_or_inf(later)).all()
    index = group_index(bundled, group)
    assert (later.ge[:, index, :].cumsum(axis=1) <= base.ge[:, index, :].cumsum(axis=1)).all()


@pytest.mark.parametrize("group", ["psykiatri-boern-unge"])
def test_later_go_live_of_a_group_not_live_yet(
    bundled: wf.ProgrammeData, stochastic: str, fitted_adoption: Engine, group: str
) -> None:
    scenario = Scenario(groups={group: GroupOverrides(go_live_shift_months=6)})
    applied = apply_scenario(scenario, bundled)
    assert applied.data.groups[group].go_live == bundled.groups[group].go_live + 6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = fitted_adoption.forecast(n_paths=200, seed=3)
        later = run_scenario(bundled, scenario, stochastic, n_paths=200, seed=3)
    assert (positions_or_inf(later) >= positions_or_inf(base)).all()
    index = group_index(bundled, group)
    first = later.month_position(bundled.groups[group].go_live + 6)
    assert (later.ge[:, index, :first] == 0).all()
    assert later.ge[:, index, :].sum() < base.ge[:, index, :].sum()


def test_runrate_effects_are_exact(bundled: wf.ProgrammeData) -> None:
    base = run_scenario(bundled, None, "runrate")
    index = group_index(bundled, CANCER)
    future = base.month_position(AS_OF + 1)
    declared = bundled.groups[CANCER].declared_per_year

    later = run_scenario(bundled, Scenario(groups={CANCER: {"go_live_shift_months": 6}}), "runrate")
    projected_base = base.ge[0, index, future:]
    projected_later = later.ge[0, index, future:]
    np.testing.assert_allclose(projected_later[6:], projected_base[:-6])
    np.testing.assert_allclose(projected_later[:6], projected_base[0])
    np.testing.assert_array_equal(later.ge[0, :, :future], base.ge[0, :, :future])  # history

    plateau = run_scenario(bundled, Scenario(groups={CANCER: {"plateau_share": 0.5}}), "runrate")
    assert plateau.ge[0, index, future:].max() == pytest.approx(0.5 * declared / 12)

    bigger = run_scenario(bundled, Scenario(groups={CANCER: {"declared_factor": 1.25}}), "runrate")
    assert bigger.ge[0, index, -1] == pytest.approx(1.25 * base.ge[0, index, -1])

    paused = run_scenario(
        bundled,
        Scenario(
            all_groups=GroupOverrides.model_validate(
                {"pause": ["2023-07", "2023-08"], "level": {"factor": 0.5, "from": "2024-01"}}
            )
        ),
        "runrate",
    )
    july = base.month_position(pd.Period("2023-07", "M"))
    january = base.month_position(pd.Period("2024-01", "M"))
    assert (paused.ge[0, :, july : july + 2] == 0).all()
    np.testing.assert_allclose(
        paused.ge[0, :, july + 2 : january], base.ge[0, :, july + 2 : january]
    )
    np.testing.assert_allclose(paused.ge[0, :, january:], 0.5 * base.ge[0, :, january:])

    smaller_target = run_scenario(bundled, Scenario(programme={"target_ge": 50_000}), "runrate")
    before = smaller_target.target_month()
    assert before is not None and before < pd.Period("2025-06", "M")
    assert smaller_target.programme.target_ge == 50_000


def test_shift_projection_keeps_seasonality_and_plateaus() -> None:
    season = 1 + 0.2 * np.sin(np.arange(36) * 2 * np.pi / 12)
    plateau = 100 * season[None, :]
    # Once the envelope has seen a full season there is nothing left to move: the months
    # keep their own seasonal factors instead of taking those of six months earlier.
    np.testing.assert_allclose(shift_projection(plateau, 6)[:, 12:], plateau[:, 12:])
    falling = np.linspace(10, 1, 12)[None, :]
    np.testing.assert_array_equal(shift_projection(falling, 3), falling)
    zero_start = np.array([[0.0, 0.0, 5.0, 10.0]])
    np.testing.assert_array_equal(shift_projection(zero_start, -2), [[5.0, 10.0, 10.0, 10.0]])
    rising = (np.linspace(0, 100, 36) * season)[None, :]
    later, earlier = shift_projection(rising, 4), shift_projection(rising, -4)
    assert (later <= rising).all() and (earlier >= rising).all()
    assert later.sum() < rising.sum() < earlier.sum()


# --------------------------------------------------------------------------- comparison


def test_comparison_table_markdown_and_plots(bundled: wf.ProgrammeData) -> None:
    scenarios = read_scenarios(bundled_scenario_paths())
    comparison = compare_scenarios(bundled, scenarios, engine="runrate", price_per_ge=1000.0)
    table = comparison.table()
    assert table["scenario"].iloc[0] == "baseline"
    assert len(table) == 1 + len(scenarios)
    for lang in ("da", "en"):
        text = comparison.to_text(lang)
        assert max(len(line) for line in text.splitlines()) <= 100
        for outcome in comparison.outcomes:  # every scenario named, as in the Markdown
            assert outcome.label(lang) in text and outcome.label(lang) in comparison.to_markdown(
                lang
            )
    row = table.set_index("scenario").loc["kraeft-onboarding-6-mdr-senere"]
    assert row["shift_p50_months"] >= 0
    assert row["Juni 2025 p50"] < table.set_index("scenario").loc["baseline", "Juni 2025 p50"]
    # Cost of the GE left after June 2024 by the published method, at 1,000 DKK each.
    baseline = wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="runrate")
    done = baseline.ge_by_deadline()
    assert 30_000 < done < 40_000
    assert table.loc[0, "cost_left_p50"] == pytest.approx((60_000 - done) * 1000)
    assert (table["data_notes"] == "reconstructed").all()
    for lang in ("da", "en"):
        text = comparison.to_markdown(lang)
        assert label("reconstructed", lang) in text
    assert "juni 2025" in comparison.to_markdown("da")
    assert "June 2025" in comparison.to_markdown("en")

    import matplotlib.pyplot as plt

    ax = comparison.plot_fans(lang="en")
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert "Baseline" in labels and len(labels) == len(scenarios) + 2  # + the actuals
    plt.close(ax.figure)
    ax = comparison.plot_shifts()
    assert len(ax.patches) == len(scenarios)
    widths = {p.get_width() for p in ax.patches}
    assert -1 in widths  # the pancreatic scenario: a month earlier under the published method
    plt.close(ax.figure)


def test_workers_do_not_change_results(bundled: wf.ProgrammeData) -> None:
    scenarios = read_scenarios(bundled_scenario_paths())
    serial = compare_scenarios(bundled, scenarios, engine="runrate", workers=1)
    parallel = compare_scenarios(bundled, scenarios, engine="runrate", workers=2)
    pd.testing.assert_frame_equal(serial.table(), parallel.table())


def test_a_comparison_applies_each_scenario_once(
    bundled: wf.ProgrammeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wgsforecast.scenarios.compare as compare_module
    import wgsforecast.scenarios.runs as runs_module

    applied: list[str] = []
    real = compare_module.apply_scenario

    def counted(scenario: Scenario, base: wf.ProgrammeData) -> AppliedScenario:
        applied.append(scenario.name)
        return real(scenario, base)

    monkeypatch.setattr(compare_module, "apply_scenario", counted)
    monkeypatch.setattr(runs_module, "apply_scenario", counted)
    scenarios = read_scenarios(bundled_scenario_paths())
    compare_scenarios(bundled, scenarios, engine="runrate", workers=1)
    assert sorted(applied) == sorted(s.name for s in scenarios)


def test_compare_checks_every_scenario_before_running(
    tmp_path: Path, bundled: wf.ProgrammeData
) -> None:
    good = Scenario(scenario=ScenarioInfo(name="good"))
    bad = read_scenario(write(tmp_path, "[groups.nope]\ncap_share = 0.5\n"))
    with pytest.raises(ConfigError, match="unknown patient group 'nope'"):
        compare_scenarios(bundled, [good, bad], engine="runrate")
    with pytest.raises(ValueError, match="unknown engine"):
        compare_scenarios(bundled, [good], engine="nope")
    with pytest.raises(ValueError, match="price_per_ge"):
        compare_scenarios(bundled, [good], engine="runrate", price_per_ge=-1)


def test_tornado(bundled: wf.ProgrammeData) -> None:
    result = tornado(bundled, CANCER, engine="runrate")
    frame = result.frame
    assert set(frame["parameter"]) == {
        "go_live_shift_months",
        "declared_factor",
        "plateau_share",
        "cap_share",
        "ramp_months",
    }
    assert list(frame["swing"]) == sorted(frame["swing"], reverse=True)
    shift = frame.set_index("parameter").loc["go_live_shift_months"]
    # The shifts are what separate runs of the scenarios give, counted independently.
    base_month = run_scenario(bundled, None, "runrate").target_month()
    for side, months in (("metric_low", -6), ("metric_high", 6)):
        moved = Scenario(groups={CANCER: {"go_live_shift_months": months}})
        month = run_scenario(bundled, moved, "runrate").target_month()
        assert base_month is not None and month is not None
        assert shift[side] == (month - base_month).n
    assert shift["metric_low"] < 0  # earlier onboarding, earlier target
    import matplotlib.pyplot as plt

    ax = result.plot(lang="en")
    assert len(ax.patches) == 2 * len(frame)
    plt.close(ax.figure)
    with pytest.raises(KeyError, match="did you mean"):
        tornado(bundled, "udbredt-kraeft", engine="runrate")


def test_adoption_comparison_on_shipped_scenarios(
    bundled: wf.ProgrammeData, stochastic: str, fitted_adoption: Engine
) -> None:
    scenarios = read_scenarios(bundled_scenario_paths())
    names = {"kraeft-onboarding-6-mdr-senere", "kraeft-pancreas-tidligere-proevetagning"}
    chosen = [s for s in scenarios if s.name in names]
    neutral_timing = GroupOverrides(
        go_live_shift_months=0, level={"factor": 1.0, "from": "2023-03"}, pause=[]
    )
    empty = Scenario(scenario=ScenarioInfo(name="empty"))
    timing = Scenario(scenario=ScenarioInfo(name="timing"), all_groups=neutral_timing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        comparison = compare_scenarios(
            bundled, [*chosen, empty, timing], stochastic, n_paths=400, seed=11
        )
    # Scenarios that change nothing give exactly the baseline ...
    base = fitted_adoption.forecast(n_paths=400, seed=11)
    np.testing.assert_array_equal(comparison.baseline.target_positions, base.target_positions)
    assert comparison.baseline.p_by_deadline == base.p_target_by_deadline()
    expected = base.target_month_quantiles((0.1, 0.5, 0.9))
    months = comparison.months
    positions = comparison.baseline.target_position_quantiles()
    assert [months[int(p)] if np.isfinite(p) else None for p in positions] == [
        expected[q] for q in (0.1, 0.5, 0.9)
    ]
    table = comparison.table().set_index("scenario")
    for name in ("empty", "timing"):
        assert table.loc[name, "shift_p50_months"] == 0 and table.loc[name, "p_change"] == 0
        outcome = comparison[name]
        np.testing.assert_array_equal(outcome.target_positions, base.target_positions)
        np.testing.assert_array_equal(
            outcome.cumulative_quantiles, comparison.baseline.cumulative_quantiles
        )
    # ... and the shipped scenarios move the paths the way they should. Not every path:
    # where the national capacity ceiling binds, the groups share it, so more or less of
    # the advanced-cancer group (two genomes per GE) changes what the others get, and a
    # path may end a month either way (80-94% of paths moved the right way or not at all,
    # seeds 11-13). On average the dates move the right way.
    later = comparison.path_shifts("kraeft-onboarding-6-mdr-senere")
    earlier = comparison.path_shifts("kraeft-pancreas-tidligere-proevetagning")
    assert np.nanmean(later >= 0) >= 0.75 and np.nanmean(earlier <= 0) >= 0.75
    assert np.nanmean(later) > 0 and np.nanmean(earlier) < 0


# --------------------------------------------------------------------------- CLI


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wgsforecast", "scenarios", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_cli_writes_table_and_figures(tmp_path: Path) -> None:
    files = [str(p) for p in bundled_scenario_paths()]
    out = tmp_path / "out"
    result = cli(*files, "--engine", "runrate", "--out", str(out), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Advanced cancer: onboarding 6 months later" in result.stdout
    assert "reconstructed" in result.stdout
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "scenario_fans.png",
        "scenario_fans.svg",
        "scenario_shifts.png",
        "scenario_shifts.svg",
        "scenarios.csv",
        "scenarios.md",
    ]
    table = pd.read_csv(out / "scenarios.csv")
    assert len(table) == len(files) + 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"[groups.{CANCER}]\ngo_live_shift_month = 6\n", "did you mean 'go_live_shift_months'"),
        ("[groups.udbredt-kraeft]\ncap_share = 0.5\n", f"did you mean {CANCER}"),
        ("[groups.sjaeldne-sygdomme]\ngo_live_shift_months = -3\n", "before the data start"),
        ("[all]\nplateau_share = 2\n", "all.plateau_share"),
    ],
)
def test_cli_reports_bad_files(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text, "bad.toml")
    result = cli(str(path), "--engine", "runrate", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert str(path) in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # nothing written for a bad file


def test_deadline_beyond_the_horizon_is_unknown_not_zero(bundled: wf.ProgrammeData) -> None:
    # Six months from February 2023 end before the June 2024 deadline.
    short = wf.ProgrammeData(
        bundled.actuals,
        bundled.groups,
        bundled.assumptions.model_copy(update={"horizon_months": 6}),
    )
    later = Scenario(groups={CANCER: {"declared_factor": 0.5}})
    comparison = compare_scenarios(short, [later], engine="runrate", price_per_ge=1000.0)
    assert comparison.baseline.p_by_deadline is None
    assert comparison.baseline.left_after_deadline() is None
    table = comparison.table()
    for column in ("p_by_deadline", "p_change", "cost_left_p50", "cost_left_p10"):
        assert table[column].isna().all(), column
    text = comparison.to_markdown("en")
    assert "0%" not in text and "the deadline is after the prognosis horizon" in text
    # Within the horizon the cost column is filled.
    full = compare_scenarios(bundled, [later], engine="runrate", price_per_ge=1000.0)
    assert full.table()["cost_left_p50"].notna().all()


@pytest.mark.parametrize(
    ("text", "key", "where"),
    [
        (f'[groups.{CANCER}]\npause = ["2022-12"]\n', f"groups.{CANCER}.pause", "at or before"),
        ('[all]\npause = {from = "2023-02", to = "2023-04"}\n', "all.pause", "at or before"),
        ('[all]\nlevel = {factor = 0.5, from = "2040-01"}\n', "all.level.from", "after the"),
        (
            f'[groups.{CANCER}]\nlevel = {{factor = 0.5, from = "2020-01"}}\n',
            f"groups.{CANCER}.level.from",
            "at or before",
        ),
    ],
)
def test_months_outside_the_projection_are_errors(
    tmp_path: Path, bundled: wf.ProgrammeData, text: str, key: str, where: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        apply_scenario(read_scenario(path), bundled)
    message = str(error.value)
    assert f"{path}: {key}:" in message and where in message
    assert "use a month from 2023-03 to" in message


def test_tornado_marks_rows_the_engine_ignores_or_that_change_nothing(
    bundled: wf.ProgrammeData, stochastic: str
) -> None:
    cap = bundled.groups[CANCER].cap_share
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tornado(
            bundled,
            CANCER,
            engine=stochastic,
            n_paths=100,
            values={
                "ramp_months": (3, 24),  # the adoption engine fits its own ramps
                "cap_share": (cap, cap),  # e.g. a value clipped to the current one
                "go_live_shift_months": (-6, 6),
            },
        )
    notes = result.frame.set_index("parameter")["note"]
    assert notes["ramp_months"] == "no_effect"
    assert notes["cap_share"] == "unchanged_input"
    assert notes["go_live_shift_months"] == ""
    table = result.table("en").set_index("parameter")
    assert table.loc["Ramp length (months)", "note"].startswith("no effect in this engine")
    import matplotlib.pyplot as plt

    ax = result.plot(lang="en")
    marks = [t for t in ax.texts if str(t.get_gid()).startswith("tornado_note_")]
    assert sorted(t.get_text() for t in marks) == [
        "no effect in engine",
        "value unchanged (clipped)",
    ]
    plt.close(ax.figure)


def test_tornado_base_value_is_the_baseline_metric(bundled: wf.ProgrammeData) -> None:
    # With the deadline in December 2025 the published method reaches the target in time.
    programme = bundled.assumptions.programme.model_copy(
        update={"deadline": pd.Period("2025-12", "M")}
    )
    base = wf.ProgrammeData(
        bundled.actuals,
        bundled.groups,
        bundled.assumptions.model_copy(update={"programme": programme}),
    )
    result = tornado(
        base, CANCER, engine="runrate", metric="p_by_deadline", values={"declared_factor": (0.5, 2)}
    )
    prognosis = run_scenario(base, None, "runrate")
    reached = prognosis.cumulative_paths[:, prognosis.month_position(programme.deadline)]
    assert result.base_value == float(np.mean(reached >= programme.target_ge)) == 1.0


def test_a_scenario_that_never_reaches_the_target_is_drawn_as_not_reached(
    bundled: wf.ProgrammeData,
) -> None:
    import matplotlib.pyplot as plt

    from wgsforecast.scenarios.plots import GID_NOT_REACHED

    never = Scenario(scenario=ScenarioInfo(name="never"), all_groups={"declared_factor": 0.1})
    later = Scenario(
        scenario=ScenarioInfo(name="later"), groups={CANCER: {"go_live_shift_months": 6}}
    )
    comparison = compare_scenarios(bundled, [never, later], engine="runrate")
    assert comparison["never"].target_position_quantiles()[1] == np.inf
    ax = comparison.plot_shifts(lang="en")
    flagged = [p for p in ax.patches if p.get_gid() == GID_NOT_REACHED]
    assert len(flagged) == 1
    bar = flagged[0]
    assert bar.get_hatch() == "//" and bar.get_width() == ax.get_xlim()[1] > 0
    texts = [t.get_text() for t in ax.texts]
    assert "not reached" in texts
    other = next(p for p in ax.patches if p is not bar)
    assert other.get_hatch() is None and other.get_width() >= 0
    plt.close(ax.figure)


def test_a_bar_counts_the_runs_when_asked(
    bundled: wf.ProgrammeData, capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios = read_scenarios(bundled_scenario_paths())
    compare_scenarios(bundled, scenarios, "runrate", seed=1, run_progress=True)
    err = capsys.readouterr().err
    assert f"{len(scenarios) + 1}/{len(scenarios) + 1}" in err
    compare_scenarios(bundled, scenarios, "runrate", seed=1, run_progress=False)
    assert capsys.readouterr().err == ""
