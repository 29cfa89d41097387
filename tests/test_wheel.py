"""The built wheel carries the bundled data and runs from any folder, writing nothing into
the install: built, installed into a fresh virtual environment, and run from an empty folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_the_wheel_lists_every_package_and_the_data_folders() -> None:
    from setuptools import find_packages

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    code = {p for p in listed if not p.startswith("wgsforecast.data")}
    assert code == set(find_packages(REPO / "src")), "add new sub-packages to pyproject.toml"
    assert config["setuptools"]["package-dir"]["wgsforecast.data"] == "data"
    folders = {p.name for p in (REPO / "data").iterdir() if p.is_dir()}
    assert listed - code == {"wgsforecast.data", *(f"wgsforecast.data.{f}" for f in folders)}


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (bytecode caches aside) with its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.wheel
def test_an_installed_wheel_runs_from_an_empty_folder(tmp_path: Path) -> None:
    # Build from a copy, so the shared tree gets no build/ folder.
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("src", "data"):
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    isolation = [] if int(version("setuptools").split(".")[0]) < 77 else ["--no-build-isolation"]
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    dist = tmp_path / "dist"
    subprocess.run(
        [*pip, "wheel", "--no-deps", *isolation, "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("wgsforecast-*.whl")

    # A fresh environment; the dependencies come from this one's site-packages (a path
    # line in a .pth file: none of this environment's own .pth files, such as an editable
    # install of wgsforecast, are read).
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    ours = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (site / "_dependencies.pth").write_text("\n".join(ours) + "\n")
    subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    installed = site / "wgsforecast"
    assert (installed / "data" / "vintages" / "2023-03-published" / "manifest.json").is_file()
    before = _snapshot(site)

    work = tmp_path / "empty"
    work.mkdir()
    environ = {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("WGSF")
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [python, *args], cwd=work, env=environ, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        return result

    loaded = run(
        "-c",
        "import wgsforecast as wf; d = wf.load_bundled(); "
        "print(wf.__file__); print(int(d.actuals['ge'].sum()), len(d.groups))",
    )
    where, numbers = loaded.stdout.split("\n")[:2]
    assert Path(where).is_relative_to(site) and numbers == "7716 17"
    report = run("-m", "wgsforecast", "report", "--paths", "100", "--out", "out")
    html = (work / "out" / "rapport.html").read_text(encoding="utf-8")
    # "Change since the previous prognosis" finds the published vintage in the package.
    assert "Offentliggjort prognose marts 2023" in html
    assert "Tabel 1" in report.stdout or "Total antal" in report.stdout
    saved = run("-m", "wgsforecast", "vintages", "save", "2023-03-runrate")
    assert str(work / "vintages" / "2023-03-runrate") in saved.stdout
    listed = run("-m", "wgsforecast", "vintages", "list").stdout
    assert "2023-03-published" in listed and "2023-03-runrate" in listed
    assert sorted(p.name for p in work.iterdir()) == ["out", "vintages"]
    assert _snapshot(site) == before, "something was written into the install"
