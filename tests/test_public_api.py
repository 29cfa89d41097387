"""The public surface: lazy exports, no heavy imports, typed package."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import wgsforecast as wf
from wgsforecast import _version


def test_all_matches_the_lazy_exports() -> None:
    assert set(wf.__all__) - {"__version__"} == set(wf._EXPORTS)
    for name in wf.__all__:
        assert getattr(wf, name) is not None


def test_import_does_not_pull_in_matplotlib_or_statsmodels() -> None:
    code = (
        "import sys, wgsforecast as wf; wf.load_bundled; wf.forecast; wf.Prognosis; "
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'statsmodels')]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_ships_py_typed() -> None:
    assert (Path(wf.__file__).parent / "py.typed").exists()


def test_the_engines_do_not_pull_in_the_excel_reader() -> None:
    code = "import sys, wgsforecast.engines; print('openpyxl' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_version_is_the_one_in_pyproject() -> None:
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    stated = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    assert wf.__version__ == stated
    assert "__version__" in dir(wf)


def test_without_pyproject_the_version_comes_from_the_metadata_else_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "something-else"\nversion = "9.9"\n')
    monkeypatch.setattr(_version, "_PYPROJECT", other)
    monkeypatch.setattr(_version.metadata, "version", lambda name: f"{name} 1.2.3")
    _version.package_version.cache_clear()
    try:
        assert _version.package_version() == "wgsforecast 1.2.3"

        def missing(name: str) -> str:
            raise _version.metadata.PackageNotFoundError(name)

        monkeypatch.setattr(_version.metadata, "version", missing)
        _version.package_version.cache_clear()
        assert _version.package_version() == _version.UNKNOWN
    finally:
        monkeypatch.undo()
        _version.package_version.cache_clear()


def test_programme_data_is_one_class_wherever_it_is_imported_from() -> None:
    from wgsforecast import api, models

    assert wf.ProgrammeData is models.ProgrammeData is api.ProgrammeData
    assert wf.load_bundled is api.load_bundled


def test_forecast_from_actuals_alone_uses_the_bundled_groups_and_settings_up_to_its_data(
    bundled: wf.ProgrammeData,
) -> None:
    import pandas as pd

    actuals = bundled.actuals[bundled.actuals["month"] <= pd.Period("2022-12", "M")]
    alone = wf.forecast(actuals)
    explicit = wf.forecast(
        actuals, bundled.groups, bundled.assumptions.with_as_of(pd.Period("2022-12", "M"))
    )
    assert alone.as_of == pd.Period("2022-12", "M")
    assert (alone.ge == explicit.ge).all()


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ({"group": ["endokrinologi"], "ge": [3]}, "missing column 'month'"),
        ({"group": ["endokrinologi"], "month": [None], "ge": [3]}, "monthly pandas Periods"),
    ],
)
def test_forecast_from_a_bad_frame_alone_names_the_problem(
    frame: dict[str, list[object]], message: str
) -> None:
    import pandas as pd

    from wgsforecast.exceptions import InputError

    with pytest.raises(InputError, match=message):
        wf.forecast(pd.DataFrame(frame))
