"""The adversarial input corpus (``tests/corpus/make_corpus.py``) through the readers.

Every file gives either the exact expected frame or a refusal naming the file, the row, the
column and the fix; nothing else may escape (no traceback), and no file changes by a byte.
A sample also goes through ``wgsforecast validate`` in a subprocess.
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
import tempfile
import unicodedata
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

from wgsforecast.exceptions import InputError, WgsForecastError
from wgsforecast.genomes import GenomesWarning
from wgsforecast.io import read_actuals, read_groups


def _load_builder() -> ModuleType:
    path = Path(__file__).parent / "corpus" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("make_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_builder()
EXIT_USER_ERROR = 2
MAX_MESSAGE = 20_000
"""No refusal may be longer than this many characters (10,000 unknown columns included)."""


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("corpus")
    cases = corpus.build(folder)
    return folder, {case.name: case for case in cases}


def _names() -> list[str]:
    """The case names, for parametrising (the files are built again for the tests)."""
    with tempfile.TemporaryDirectory() as folder:
        return [case.name for case in corpus.build(Path(folder))]


def test_the_corpus_is_large_and_mixed(built: tuple[Path, dict[str, Any]]) -> None:
    _, cases = built
    assert len(cases) >= 60
    suffixes = {Path(name).suffix for name in cases}
    assert {".csv", ".tsv", ".xlsx"} <= suffixes
    assert sum(case.refusal is not None for case in cases.values()) >= 25
    assert sum(case.refusal is None for case in cases.values()) >= 25


def _read(folder: Path, case: Any) -> Any:
    path = folder / case.name
    if case.reader == "groups":
        return read_groups(path, **case.options)
    registry = read_groups(folder / case.registry) if case.registry else None
    return read_actuals(path, registry, **case.options)


@pytest.mark.parametrize("name", _names())
def test_each_file_reads_exactly_or_is_refused_clearly(
    built: tuple[Path, dict[str, Any]], name: str
) -> None:
    folder, cases = built
    case = cases[name]
    before = _digests(folder)
    if case.refusal is None:
        with warnings.catch_warnings(record=True) as caught_warnings:
            warnings.simplefilter("always", GenomesWarning)
            result = _read(folder, case)
        said = [str(w.message) for w in caught_warnings if w.category is GenomesWarning]
        assert len(said) == (1 if case.warns else 0), (case.why, said)
        assert all(word in said[0] for word in case.warns), (case.why, said)
        if case.reader == "groups":
            assert {g.key: g.declared_per_year for g in result} == case.declared
            names = [g.name_da for g in result]
            assert all(n == unicodedata.normalize("NFC", n) for n in names)
        else:
            _assert_frame(result, case)
    else:
        with pytest.raises(WgsForecastError) as caught:
            _read(folder, case)
        _assert_refusal(caught.value, case)
    assert _digests(folder) == before, "a reader changed a corpus file"


def _assert_frame(frame: pd.DataFrame, case: Any) -> None:
    extra = [] if case.genomes is None else ["genomes"]
    assert list(frame.columns) == ["group", "month", "ge", *extra]
    if case.genomes is not None:
        assert frame["genomes"].dtype == np.int64
        assert tuple(frame.pop("genomes")) == case.genomes, case.why
    assert frame["month"].dtype == pd.PeriodDtype("M")
    assert frame["ge"].dtype == np.int64
    got = [(g, str(m), int(v)) for g, m, v in frame.itertuples(index=False)]
    assert got == [tuple(r) for r in case.rows], case.why
    spans = [(key, first, last) for key, first, last, _ in frame.attrs["not_live"]]
    assert spans == [tuple(s) for s in case.not_live], case.why


def _assert_refusal(error: WgsForecastError, case: Any) -> None:
    message = str(error)
    assert case.name in message, message
    assert len(message) <= MAX_MESSAGE, f"{case.name}: a {len(message):,}-character message"
    expected = case.refusal
    if isinstance(error, InputError):
        matches = [
            p
            for p in error.problems
            if p.row == expected.row
            and p.column == expected.column
            and all(w in p.message for w in expected.words)
        ]
        assert matches, (case.why, error.problems)
        if expected.row is not None:
            assert f"row {expected.row}" in message
        if expected.column is not None:
            assert f"column '{expected.column}'" in message
    else:
        assert expected.row is None and expected.column is None, message
        for word in expected.words:
            assert word in message, (case.why, message)


def test_ten_thousand_columns_give_a_short_listing(built: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = built
    with pytest.raises(InputError) as caught:
        read_actuals(folder / "ten_thousand_columns.csv")
    lines = str(caught.value).splitlines()
    assert len(lines) <= 15
    assert max(len(line) for line in lines) < 2_000
    assert "and 9990 more columns that are no patient group" in str(caught.value)


def test_not_live_months_leave_the_totals_and_the_engines_alone(
    built: tuple[Path, dict[str, Any]],
) -> None:
    """The pivot export's zeros before go-live change nothing an engine sees."""
    import wgsforecast as wf

    folder, _ = built
    with_zeros = read_actuals(folder / "pivot_leading_zeros.csv")
    data = wf.load_bundled()
    groups = data.groups
    settings = data.assumptions.with_as_of("2022-11")
    from wgsforecast.engines.base import history_from_actuals

    kept = with_zeros.copy()
    zeros = pd.DataFrame(
        {
            "group": ["nyresvigt", "nyresvigt", "lever"],
            "month": pd.PeriodIndex(["2022-07", "2022-08", "2022-07"], freq="M"),
            "ge": np.array([0, 0, 0], dtype=np.int64),
        }
    )
    in_code = pd.concat([zeros, kept], ignore_index=True)
    read = history_from_actuals(kept, groups, settings.as_of)
    built_in_code = history_from_actuals(in_code, groups, settings.as_of)
    index = list(groups.keys)
    for key in ("nyresvigt", "udbredt-uhelbredelig-kraeft", "lever"):
        month_read = read.started[index.index(key)]
        month_code = built_in_code.started[index.index(key)]
        first = read.months[month_read] if month_read >= 0 else None
        first_code = built_in_code.months[month_code] if month_code >= 0 else None
        assert first == first_code, key
    assert built_in_code.started[index.index("lever")] == -1


VALIDATE_FLAGS = {"as_of": "--as-of", "plausible_factor": "--plausible-factor"}


def test_validate_on_a_sample(built: tuple[Path, dict[str, Any]]) -> None:
    """``wgsforecast validate`` in one subprocess per sampled file: exit 0 or 2, no traceback."""
    folder, cases = built
    sample = [case for case in cases.values() if case.cli]
    assert len(sample) >= 8
    before = _digests(folder)
    for case in sample:
        args = [sys.executable, "-m", "wgsforecast", "validate", str(folder / case.name)]
        args += ["--lang", "en"]  # the messages checked below are the English ones
        for key, value in case.options.items():
            args += [VALIDATE_FLAGS[key], str(value)]
        result = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert "Traceback" not in result.stderr, (case.name, result.stderr)
        if case.refusal is None:
            assert result.returncode == 0, (case.name, result.stderr)
            assert "OK" in result.stdout
            if case.rows:
                assert f"{sum(r[2] for r in case.rows)} GE in all" in result.stdout
            if case.not_live:
                assert "not live yet" in result.stdout
        else:
            assert result.returncode == EXIT_USER_ERROR, (case.name, result.stdout, result.stderr)
            assert case.name in result.stderr
            for word in case.refusal.words:
                assert word in result.stderr, (case.name, word, result.stderr)
            if case.refusal.row is not None:
                assert f"row {case.refusal.row}" in result.stderr
    assert _digests(folder) == before, "validate changed a corpus file"
