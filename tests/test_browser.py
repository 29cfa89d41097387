"""The HTML report in a real browser: headless Chromium loads it offline, shows every image,
logs no errors, and displays the headline numbers.

Chromium and chromedriver come from Debian's ``chromium`` and ``chromium-driver`` packages,
which ``.ci/run`` installs. Without them the test is skipped, unless
``WGSFORECAST_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which turns the skip into a failure.
Set ``WGSFORECAST_SCREENSHOTS=DIR`` to keep a copy of the screenshot.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,2400",
)


def _browser_or_skip() -> tuple[str, str]:
    if CHROMIUM and CHROMEDRIVER:
        return CHROMIUM, CHROMEDRIVER
    reason = (
        "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
    )
    if os.environ.get("WGSFORECAST_REQUIRE_BROWSER") == "1":
        pytest.fail(f"WGSFORECAST_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wgsforecast",
            "report",
            "--out",
            str(out),
            "--paths",
            "300",
            "--vintages",
            str(Path(__file__).parents[1] / "data" / "vintages"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    chromium, chromedriver = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    html = report / "rapport.html"
    assert html.stat().st_size < 5_000_000
    summary = (report / "summary.md").read_text(encoding="utf-8")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        driver.get(html.as_uri())
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);"
        )
        text = driver.find_element("tag name", "body").text
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1280, min(int(height) + 100, 16000))
        shot = tmp_path / "rapport.png"
        assert driver.save_screenshot(str(shot))
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()

    assert len(images) >= 3, images
    broken = [alt for alt, complete, width in images if not complete or width <= 0]
    assert not broken, f"images that did not load: {broken}"
    assert not errors, errors
    # The headline numbers, as summary.md states them, must be visible on the page.
    headline = summary.split("## Hovedtal", 1)[1].split("\n## ", 1)[0]
    numbers = re.findall(r"\d{1,3}(?:\.\d{3})+|\d+ %", headline)
    months = re.findall(
        r"(?:januar|februar|marts|april|maj|juni|juli|august|september|"
        r"oktober|november|december) \d{4}",
        headline,
    )
    assert numbers and months, headline
    missing = [value for value in numbers + months if value not in text]
    assert not missing, f"headline values not shown on the page: {missing}"
    assert "60.000" in text
    assert "rekonstrueret" in text
    assert "Tabel 1" in text and "Medio 2024" in text
    assert shot.stat().st_size > 20_000
    keep = os.environ.get("WGSFORECAST_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "rapport.png")
