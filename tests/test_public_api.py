"""The public surface: lazy exports, no heavy imports, typed package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import wgsforecast as wf


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
