"""Headless Chromium through Selenium, offline: the driver is Debian's /usr/bin/chromedriver.

Used by the report's browser tests (tests/test_report_browser.py) and the screenshot script
(benchmarks/report_screenshots.py). Selenium Manager is never asked to find or download
anything: both the browser and the driver are given by path, and ``SE_OFFLINE`` is set.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver",)


def find_chromium() -> tuple[str | None, str | None, str]:
    """``(browser, driver, why missing)``: the paths of Chromium and chromedriver, or why they cannot be used."""
    browser = next((p for p in CHROMIUM_CANDIDATES if Path(p).is_file()), None)
    driver = next((p for p in DRIVER_CANDIDATES if Path(p).is_file()), None)
    if browser is None or driver is None:
        return browser, driver, ("Chromium or chromedriver not installed (apt-get install chromium chromium-driver; "
                                 ".ci/run installs them)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return browser, driver, "selenium not installed (pip install -e '.[test]')"
    return browser, driver, ""


def start_chromium(width: int = 1200, height: int = 900):
    """A headless Chromium WebDriver that records the browser console (``driver.get_log("browser")``)."""
    os.environ["SE_OFFLINE"] = "true"
    # Selenium Manager is not needed with both paths given; pointing it at nothing makes any
    # attempt to run it (and so to download a browser or driver) fail loudly instead.
    os.environ["SE_MANAGER_PATH"] = "/nonexistent/selenium-manager-is-not-used"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver, why = find_chromium()
    if why:
        raise RuntimeError(why)
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)
