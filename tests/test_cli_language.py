"""One language per run: the CSVs and messages of every subcommand follow ``--lang``.

Each subcommand runs once in Danish and once in English on the bundled data (few paths, a
deterministic engine where there is a choice), so the two runs hold the same numbers. They
run through :func:`wgsforecast.cli.main` in this process: the same code as the console
script, without paying the imports for every run.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.api.types import is_numeric_dtype

import wgsforecast as wf
from wgsforecast import cli
from wgsforecast.io import bundled_actuals_path
from wgsforecast.scenarios.model import bundled_scenario_paths

BOM = b"\xef\xbb\xbf"
LANGS = ("da", "en")
CSV_FILES = {
    # file: (subcommand that writes it, its first column in English)
    "scenarios.csv": ("scenarios", "scenario"),
    "backtest_scores.csv": ("backtest", "origin"),
    "backtest_summary.csv": ("backtest", "engine"),
    "vintage_errors.csv": ("vintages", "vintage"),
    "vintage_targets.csv": ("vintages", "vintage"),
}
ENGLISH = re.compile(
    r"\b(wrote|written|saved|rows|patient groups|in all|as of|engine|target|error|warning|"
    r"note|cumulative|predicted|observed|months|files|shipped|read-only|lists|vintages?|"
    r"not live|before|actuals|yet|interrupted|forecasting|drawing|writing|removed)\b",
    re.IGNORECASE,
)
"""English words of the CLI's own messages; none may appear in a Danish run."""


@dataclass
class Runs:
    """Everything the subcommands printed, and the folders they wrote, in one language."""

    lang: str
    out: Path
    printed: list[str] = field(default_factory=list)

    def run(self, *args: str | Path) -> None:
        """Run ``wgsforecast ARGS --lang LANG`` in this process (the imports are paid once)."""
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main([*map(str, args), "--lang", self.lang])
        assert code == 0, (args, stderr.getvalue())
        # Paths are not messages: "<out>/vintages/vintages.png" holds no English sentence.
        printed = stdout.getvalue() + stderr.getvalue()
        self.printed.append(re.sub(r"\S*/\S*", "<path>", printed))

    def csv(self, name: str) -> Path:
        return self.out / CSV_FILES[name][0] / name


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vintage store with a prognosis as of June 2022, so later actuals score it."""
    root = tmp_path_factory.mktemp("vintages")
    data = wf.load_bundled()
    earlier = wf.forecast(data.actuals, data.groups, data.assumptions.with_as_of("2022-06"))
    wf.save_vintage(earlier, "2022-06", root=root)
    return root


def _not_live_file(folder: Path) -> Path:
    """A pivot export with zeros before go-live (nyresvigt) and for a planned group (lever)."""
    rows = ["2022-07;0;0", "2022-08;0;0", "2022-09;4;0", "2022-10;0;0", "2022-11;6;0"]
    path = folder / "pivot.csv"
    path.write_text("\n".join(["måned;Nyresvigt;Lever", *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def all_runs(tmp_path_factory: pytest.TempPathFactory, store: Path) -> dict[str, Runs]:
    """Every subcommand run once per language."""
    return {
        lang: _run_everything(lang, tmp_path_factory.mktemp(f"cli-{lang}"), store) for lang in LANGS
    }


@pytest.fixture(params=LANGS)
def runs(request: pytest.FixtureRequest, all_runs: dict[str, Runs]) -> Runs:
    return all_runs[request.param]


def _run_everything(lang: str, out: Path, store: Path) -> Runs:
    runs = Runs(lang, out)
    scenario = bundled_scenario_paths()[0]
    runs.run(
        "scenarios", scenario, "--engine", "runrate", "--paths", "20", "--out", out / "scenarios"
    )
    runs.run(
        "backtest",
        *("--engines", "runrate", "flat", "--origins", "2022-03", "2022-06"),
        *("--paths", "20", "--out", out / "backtest"),
    )
    runs.run("vintages", "--root", store, "compare", "--out", out / "vintages")
    runs.run("vintages", "--root", store, "list")
    saved = out / "saved"
    runs.run("vintages", "--root", saved, "save", "2023-03", "--paths", "20")
    runs.run("vintages", "--root", saved, "reindex")
    runs.run("validate", bundled_actuals_path())
    runs.run("validate", _not_live_file(out), "--as-of", "2022-11")
    return runs


def _rows(raw: bytes, sep: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=sep))


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_every_csv_follows_the_language(runs: Runs, name: str) -> None:
    raw = runs.csv(name).read_bytes()
    sep = ";" if runs.lang == "da" else ","
    assert raw.startswith(BOM)
    rows = _rows(raw, sep)
    assert len(rows) >= 2 and len(rows[0]) >= 5, rows[:2]  # columns, not one long field
    assert {len(row) for row in rows} == {len(rows[0])}
    assert (rows[0][0] == CSV_FILES[name][1]) == (runs.lang == "en")  # Danish headers
    cells = [cell for row in rows[1:] for cell in row]
    assert not {"True", "False", "true", "false"} & set(cells)
    wrong_decimal = r"-?\d+\.\d+" if runs.lang == "da" else r"-?\d+,\d+"
    assert not [c for c in cells if re.fullmatch(wrong_decimal, c)]
    assert not [c for c in cells if re.fullmatch(r"-?\d+[.,]0+", c)]  # never 5676,0


def test_yes_no_values_are_words_of_the_language(runs: Runs) -> None:
    frame = _read(runs.csv("vintage_errors.csv"), runs.lang)
    assert len(frame) > 0  # the June 2022 vintage is scored against the months after it
    column = {"da": "Slut på tabelperiode", "en": "is_period_end"}[runs.lang]
    words = {"da": {"ja", "nej"}, "en": {"yes", "no"}}[runs.lang]
    assert set(frame[column]) <= words and len(set(frame[column])) == 2


def _read(path: Path, lang: str) -> pd.DataFrame:
    if lang == "da":
        return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False)
    return pd.read_csv(path, keep_default_na=False)


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_both_languages_write_the_same_numbers(all_runs: dict[str, Runs], name: str) -> None:
    danish = _read(all_runs["da"].csv(name), "da")
    english = _read(all_runs["en"].csv(name), "en")
    assert danish.shape == english.shape
    numeric = [i for i in range(english.shape[1]) if is_numeric_dtype(english.iloc[:, i])]
    assert numeric
    for position in numeric:
        np.testing.assert_array_equal(
            danish.iloc[:, position].to_numpy(float), english.iloc[:, position].to_numpy(float)
        )


def test_danish_messages_have_no_english_words(runs: Runs) -> None:
    printed = "\n".join(runs.printed)
    found = sorted({m.group(0).lower() for m in ENGLISH.finditer(printed)})
    if runs.lang == "da":
        assert found == [], printed
    else:  # the check can fail: the English run uses these words
        assert {"wrote", "written", "saved", "rows", "in all", "before"} <= set(found)


@pytest.fixture(scope="module")
def danish_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``wgsforecast report`` in Danish: its folder and what it printed to stdout."""
    runs = Runs("da", tmp_path_factory.mktemp("report"))
    runs.run("report", "--engine", "runrate", "--paths", "20", "--out", runs.out)
    return runs.out, runs.printed[0]


def test_the_report_says_what_it_wrote_in_danish(danish_report: tuple[Path, str]) -> None:
    _, printed = danish_report
    assert re.search(r"^\d+ filer i <path>", printed, re.MULTILINE), printed
    assert "fremskriver med den offentliggjorte metode" in printed, printed
    assert "skriver HTML-rapporten" in printed, printed
    assert not ENGLISH.findall(printed), printed


def test_the_reports_csvs_follow_the_language(danish_report: tuple[Path, str]) -> None:
    out, _ = danish_report
    files = sorted(out.glob("*.csv"))
    assert files
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith(BOM), path
        cells = [cell for row in _rows(raw, ";")[1:] for cell in row]
        assert not {"True", "False"} & set(cells), path
        assert not [c for c in cells if re.fullmatch(r"-?\d+[.,]0+", c)], path
