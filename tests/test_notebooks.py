"""The analyst notebooks run top to bottom on the bundled data, and are stored clean.

Each notebook is executed with nbclient in the ``python3`` kernel. jupyter_client provides
that kernel natively from the installed ipykernel, running this interpreter
(``sys.executable``), so nothing needs installing; the test checks the kernel's interpreter.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_errors(path: Path, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    # A last cell reports the kernel's interpreter, so the test knows which one ran.
    notebook.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("output_type") == "error"
    ]
    assert not errors
    printed = notebook.cells[-1].outputs[0]["text"].strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()
