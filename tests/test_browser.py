"""The HTML report in a real browser: headless Chromium loads it offline, shows every image,
logs no errors, and displays the headline numbers; at desktop (1280 px) and phone (390 px)
width the page never scrolls sideways; printed to A4 PDF it keeps every table column.

Chromium and chromedriver come from Debian's ``chromium`` and ``chromium-driver`` packages,
which ``.ci/run`` installs. Without them the test is skipped, unless
``WGSFORECAST_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which turns the skip into a failure.
Set ``WGSFORECAST_SCREENSHOTS=DIR`` to keep a copy of the screenshots and the PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[Any]:
    """A headless Chromium driven by selenium (skipped when the browser is missing)."""
    chromium, chromedriver = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def _keep(path: Path, name: str) -> None:
    keep = os.environ.get("WGSFORECAST_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)


# Elements wider than the viewport, for a readable failure message.
WIDER = """
const w = window.innerWidth;
return Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.wide, figure'))
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right);
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_report_never_scrolls_sideways(
    report: Path, tmp_path: Path, driver: Any, width: int
) -> None:
    # The viewport itself is set (not the window), as a phone of that width shows it;
    # mobile=False keeps the layout viewport at that width, so overflow is not zoomed away.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.get((report / "rapport.html").as_uri())
    inner = driver.execute_script("return window.innerWidth")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert inner == width
    assert scroll <= inner, driver.execute_script(WIDER)
    # Every table keeps all its columns: the group table's year columns and notes too.
    headers = driver.execute_script(
        "return Array.from(document.querySelectorAll('table.groups thead th'))"
        ".map(th => th.textContent);"
    )
    assert "2024" in headers and "2025" in headers and "Bemærkning" in headers, headers
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": min(int(height), 16000),
            "deviceScaleFactor": 1,
            "mobile": False,
        },
    )
    shot = tmp_path / f"rapport-{width}.png"
    assert driver.save_screenshot(str(shot))
    _keep(shot, shot.name)


def test_report_prints_to_a4_with_every_column(report: Path, tmp_path: Path, driver: Any) -> None:
    import base64

    driver.get((report / "rapport.html").as_uri())
    tables = driver.execute_script(
        "return Array.from(document.querySelectorAll('table')).map(t => "
        "Array.from(t.querySelectorAll('thead th')).map(th => th.textContent));"
    )
    # In print layout on A4 (210 mm less 2 x 11 mm margins = about 710 CSS px) no table
    # is wider than the page, and nothing is cut by a scrolling box.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 710, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
    )
    cut = driver.execute_script(
        "return Array.from(document.querySelectorAll('table')).filter(t => "
        "t.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1"
        " || (t.parentElement.scrollWidth > t.parentElement.clientWidth + 1))"
        ".map(t => t.className + ': ' + t.getBoundingClientRect().width);"
    )
    assert not cut, f"tables wider than an A4 page: {cut}"
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    pdf = driver.execute_cdp_cmd(
        "Page.printToPDF",
        {
            "paperWidth": 8.27,
            "paperHeight": 11.69,
            "printBackground": True,
            "preferCSSPageSize": True,
            "displayHeaderFooter": False,
        },
    )
    path = tmp_path / "rapport.pdf"
    path.write_bytes(base64.b64decode(pdf["data"]))
    _keep(path, path.name)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 1 <= pages <= 7, pages
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip(
            f"PDF printed ({pages} pages), but pdftotext (poppler-utils) is not installed, "
            "so the column headers in it cannot be checked"
        )
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = set(re.findall(r"\w+", text))
    missing = [
        header
        for headers in tables
        for header in headers
        if not set(re.findall(r"\w+", header)) <= words
    ]
    assert not missing, f"table columns missing from the printed PDF: {missing}"
    assert "Bemærkning" in text and "Proveniens" in text
