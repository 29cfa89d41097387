"""The report's output folder: a killed run is recovered, runs are locked, links not followed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import wgsforecast as wf
from wgsforecast.exceptions import BusyError, OutputFolderError
from wgsforecast.report import build, collect
from wgsforecast.report.output import JOURNAL, LOCK, MANIFEST


def _quiet(_: str) -> None:
    pass


@pytest.fixture(scope="module")
def danish(bundled: wf.ProgrammeData) -> build.ReportContent:
    return collect(bundled, engine="runrate", figures=False, log=_quiet)


@pytest.fixture(scope="module")
def english(bundled: wf.ProgrammeData) -> build.ReportContent:
    return collect(bundled, engine="runrate", lang="en", figures=False, log=_quiet)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != LOCK
    }


KILL_DURING_INSTALL = """
import os
import wgsforecast as wf
from wgsforecast.report import build, collect, output

content = collect(wf.load_bundled(), engine="runrate", lang="en", figures=False, log=print)
moves = 0
real_replace = os.replace

def replace_then_die(source, target):
    global moves
    real_replace(source, target)
    moves += 1
    if moves == 3:  # three English files are in place, the rest still staged
        os._exit(9)  # as a kill: no cleanup, no finally

output.os.replace = replace_then_die
build.write_report(content, {out!r}, log=print)
"""


def test_a_run_killed_while_installing_is_recovered_by_the_next(
    tmp_path: Path, danish: build.ReportContent
) -> None:
    out = tmp_path / "out"
    build.write_report(danish, out, log=_quiet)
    (out / "mine.txt").write_text("the user's")
    script = textwrap.dedent(KILL_DURING_INSTALL.format(out=str(out)))
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert killed.returncode == 9, killed.stderr
    # The kill left a journal and a staging folder; the manifest is still the Danish run's.
    assert (out / JOURNAL).is_file()
    assert [p for p in out.iterdir() if p.name.endswith(".part")]
    assert "rapport.html" in json.loads((out / MANIFEST).read_text())["files"]

    log: list[str] = []
    written = build.write_report(danish, out, log=log.append)
    assert any("efterladt af en afbrudt kørsel" in line for line in log)  # Danish run
    assert not (out / JOURNAL).exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
    listed = json.loads((out / MANIFEST).read_text())["files"]
    assert sorted(listed) == sorted(p.relative_to(out).as_posix() for p in written)
    # The English files the killed run had moved in were its own: removed, not left over.
    assert set(_files(out)) == {*listed, MANIFEST, "mine.txt"}
    assert not (out / "report.html").exists() and (out / "rapport.html").is_file()
    assert (out / "mine.txt").read_text() == "the user's"


def test_a_second_run_into_the_same_folder_is_refused_while_one_runs(
    tmp_path: Path, danish: build.ReportContent
) -> None:
    out = tmp_path / "out"
    build.write_report(danish, out, log=_quiet)
    before = _files(out)
    # Another process holds the lock (a lock held in this process would be re-entrant).
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pathlib\n"
            "from wgsforecast.report.output import locked\n"
            f"with locked(pathlib.Path({str(out)!r})):\n"
            "    print('locked', flush=True)\n"
            "    sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(BusyError, match=f"another report is being written into {out}"):
            build.write_report(danish, out, log=_quiet)
        assert _files(out) == before
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=60)
    build.write_report(danish, out, log=_quiet)  # the lock died with its holder


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links")
def test_removing_never_follows_a_symbolic_link(
    tmp_path: Path, danish: build.ReportContent, english: build.ReportContent
) -> None:
    from wgsforecast.report.figures import Figure

    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    danish.figures = [Figure("fan", "Fan", b"png", b"<svg/>")]
    try:
        build.write_report(danish, out, log=_quiet)
    finally:
        danish.figures = []
    # figures/ is replaced by a link to a folder holding files with the same names and bytes.
    for name in ("fan.png", "fan.svg"):
        (elsewhere / name).write_bytes((out / "figures" / name).read_bytes())
        (out / "figures" / name).unlink()
    (out / "figures").rmdir()
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    log: list[str] = []
    build.write_report(english, out, log=log.append)
    assert (elsewhere / "fan.png").read_bytes() == b"png"  # not removed through the link
    assert (elsewhere / "fan.svg").is_file()
    assert any("symbolic link" in line for line in log)

    # Writing through the link is refused too, before anything is written.
    danish.figures = [Figure("fan", "Fan", b"new png", b"<svg/>")]
    try:
        with pytest.raises(OutputFolderError, match=r"figures/fan\.png \(reached through the link"):
            build.write_report(danish, out, log=_quiet)
    finally:
        danish.figures = []
    assert (elsewhere / "fan.png").read_bytes() == b"png"


def test_a_manifest_entry_outside_the_folder_is_ignored(
    tmp_path: Path, danish: build.ReportContent
) -> None:
    out = tmp_path / "out"
    build.write_report(danish, out, log=_quiet)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    manifest = json.loads((out / MANIFEST).read_text())
    digest = manifest["files"]["summary.md"]
    manifest["files"]["../victim.txt"] = digest
    manifest["files"][str(victim)] = digest
    (out / MANIFEST).write_text(json.dumps(manifest))
    build.write_report(danish, out, log=_quiet)
    assert victim.read_text() == "keep me"


# The bytes an earlier version wrote: json.dumps({"files": ...}, indent=1) and a newline.
OLD_MANIFEST = (
    '{\n "files": {\n  "figures/kumulativ.png": "aa11",\n  "rapport.html": "bb22"\n }\n}\n'
)
OLD_JOURNAL = '{\n "files": {\n  "rapport.html": [\n   "bb22",\n   "cc33"\n  ]\n }\n}\n'


def test_an_earlier_versions_manifest_and_journal_are_still_read(tmp_path: Path) -> None:
    from wgsforecast.report.output import FileListing, check_folder, read_ownership

    (tmp_path / MANIFEST).write_text(OLD_MANIFEST, encoding="utf-8")
    (tmp_path / JOURNAL).write_text(OLD_JOURNAL, encoding="utf-8")
    (tmp_path / "rapport.html").write_text("<html></html>", encoding="utf-8")
    check_folder(tmp_path)  # an earlier report's folder: accepted
    ownership = read_ownership(tmp_path)
    assert ownership.is_report and ownership.problem is None
    assert ownership.files == {
        "figures/kumulativ.png": {"aa11"},
        "rapport.html": {"bb22", "cc33"},
    }
    # Written back, a listing is byte for byte what the earlier version wrote.
    again = tmp_path / "again.json"
    FileListing.read(tmp_path / MANIFEST).write(again)
    assert again.read_text(encoding="utf-8") == OLD_MANIFEST


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"file": {}}', "files: Field required"),
        ('{"files": {"a.html": 3}}', "files.a.html"),
        ("not json", "Invalid JSON"),
    ],
)
def test_a_broken_manifest_is_refused_naming_what_is_wrong(
    tmp_path: Path, text: str, said: str
) -> None:
    from wgsforecast.report.output import check_folder

    (tmp_path / MANIFEST).write_text(text, encoding="utf-8")
    (tmp_path / "rapport.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="not a readable report manifest") as error:
        check_folder(tmp_path)
    assert said in str(error.value)
