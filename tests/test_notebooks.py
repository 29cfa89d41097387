"""The analyst notebooks run top to bottom on the bundled data, and are stored clean.

Each notebook is executed with nbclient in the ``python3`` kernel. jupyter_client provides
that kernel natively from the installed ipykernel, running this interpreter
(``sys.executable``), so nothing needs installing; the test checks the kernel's interpreter.
Each executed notebook must draw at least one figure inline, show no warning twice and leave
the project's files as they were.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# How Python prints a warning: "<file>:<line>: <Category>Warning: <message>".
WARNING_LINE = re.compile(r"^\S+:\d+: (\w*Warning): (.*)$", re.MULTILINE)


def test_the_three_notebooks_exist() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_kvartalsprognose.ipynb",
        "02_scenarier_udbredt_kraeft.ipynb",
        "03_backtest.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs_and_uses_the_public_api(path: Path) -> None:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    source = "\n".join(cell.source for cell in code)
    assert "import wgsforecast as wf" in source
    # Only the public API: no private names or internal modules.
    assert "from wgsforecast" not in source and "wf._" not in source
    assert notebook.cells[0].source.startswith("# ")  # a Danish heading first
    # The bundled data are reconstructed, and every notebook says so before any result.
    assert "REKONSTRUEREDE" in notebook.cells[1].source


def repeated_warnings(stderr: str) -> dict[str, int]:
    """Warning texts printed more than once in ``stderr``, with their counts."""
    counts = Counter(f"{kind}: {text}" for kind, text in WARNING_LINE.findall(stderr))
    return {text: count for text, count in counts.items() if count > 1}


def test_repeated_warnings_finds_a_warning_printed_twice() -> None:
    once = "/x/api.py:168: PriorFallbackWarning: group 'hud' has 0 months\n  fitted = ...\n"
    other = "/x/ets.py:78: PriorFallbackWarning: group 'lever' has 0 months\n"
    assert repeated_warnings(once + other) == {}
    assert repeated_warnings(once + other + once) == {
        "PriorFallbackWarning: group 'hud' has 0 months": 2
    }


def project_files() -> dict[Path, float]:
    """Every file in the folders a careless notebook might write into, with its mtime."""
    return {
        path: path.stat().st_mtime
        for folder in (ROOT / "notebooks", ROOT / "data")
        for path in folder.rglob("*")
        if path.is_file() and ".ipynb_checkpoints" not in path.parts
    }


def outputs(notebook: Any, output_type: str) -> list[Any]:
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("output_type") == output_type
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_draws_and_warns_once(path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    import wgsforecast

    notebook = nbformat.read(path, as_version=4)
    before = project_files()
    # A last cell reports the kernel's interpreter and package, so the test knows what ran.
    notebook.cells.append(
        nbformat.v4.new_code_cell("import sys; print(sys.executable); print(wf.__file__)")
    )
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    assert not outputs(notebook, "error")
    interpreter, package = notebook.cells[-1].outputs[0]["text"].split()
    assert Path(interpreter).resolve() == Path(sys.executable).resolve()
    # The kernel runs in notebooks/, so a relative PYTHONPATH would import another copy.
    assert Path(package).resolve() == Path(wgsforecast.__file__).resolve(), (
        f"the kernel imported {package}, this test {wgsforecast.__file__}; "
        "give PYTHONPATH as an absolute path"
    )

    figures = [o for o in outputs(notebook, "display_data") if "image/png" in o.get("data", {})]
    assert figures, f"{path.name} drew no figure inline"
    stderr = "".join(o["text"] for o in outputs(notebook, "stream") if o["name"] == "stderr")
    assert not repeated_warnings(stderr), f"{path.name} repeats warnings: {stderr}"
    # Vintages, scenario files and workbooks go to temporary folders, never into the project.
    assert project_files() == before
