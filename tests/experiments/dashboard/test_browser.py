"""The dashboard in a real headless browser (Debian's chromium, driven by Playwright).

The server runs as a user starts it (``python -m experiments.dashboard --port N``, what
``consortium-dashboard`` calls). The page must load, step years, answer a slider by
re-running the package's arm (a displayed and a plotted number change), switch to
Chinese, and show no error: no error box, no traceback, no console error, nothing on
the server's stderr.

Skipped only when no chromium is installed and ``CONSORTIUM_REQUIRE_BROWSER`` is unset;
CI sets it, so there a missing browser fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = bool(os.environ.get("CONSORTIUM_REQUIRE_BROWSER"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
FIRST_LOAD_S = 180  # the first model of a fresh machine compiles numba's kernels (about 20 s on 2 cores)
ACTION_S = 60

if CHROMIUM is None and not REQUIRED:
    pytest.skip(
        "no chromium (set CONSORTIUM_REQUIRE_BROWSER=1 to make this a failure)", allow_module_level=True
    )
if CHROMIUM is None:
    pytest.fail("CONSORTIUM_REQUIRE_BROWSER is set but chromium is not installed", pytrace=False)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402  (the test extra installs it)

from policies.levers import LEVERS  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard on a free port; its log is checked for tracebacks at the end."""
    port = _free_port()
    log_path = Path(tmp_path_factory.mktemp("dashboard")) / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "experiments.dashboard", "--port", str(port)],
                                   stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the dashboard did not start:\n{log_path.read_text()}")
            time.sleep(0.3)
    yield url, log_path
    process.terminate()
    process.wait(timeout=20)


def _settled_year(page, quiet_s: float = 2.0) -> int:
    """The year shown once it has stopped changing for ``quiet_s`` seconds (a loaded
    machine may finish a year already in flight when pause was pressed)."""
    deadline = time.monotonic() + ACTION_S
    year = int(page.locator("#current-year").get_attribute("data-year") or -1)
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_s * 1000)
        now = int(page.locator("#current-year").get_attribute("data-year") or -1)
        if now == year:
            return year
        year = now
    return year


def _number(page: Page, cell: str) -> str:
    return page.locator(f"#metric-{cell}").inner_text()


def _year(page: Page, year: int, timeout_s: float = ACTION_S) -> None:
    expect(page.locator(f"#current-year[data-year='{year}']")).to_be_attached(timeout=timeout_s * 1000)


def test_dashboard_in_a_browser(server, tmp_path):
    """Load, see every lever, step, move a slider, play and pause, switch language; no error anywhere."""
    url, log_path = server
    problems: list[str] = []
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on(
            "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.goto(url)

        # the page loads: both runs built at year 0 (default: the main job's city, package jczt)
        _year(page, 0, FIRST_LOAD_S)
        assert "City-level industry-education consortium" in page.locator("h2").inner_text()
        assert _number(page, "deep_share-policy") == "–"
        expect(page.locator(".v-navigation-drawer, body").first).to_contain_text("suzhou_robotics")
        for lever in LEVERS:  # every registry lever has its control, named by its row, and its years
            expect(page.locator(f".lever-{lever.name}")).to_contain_text(lever.label_en)
            expect(page.locator(f".years-{lever.name}")).to_contain_text("paid in years 1-15")

        # stepping advances the year, and the measures appear
        for year in (1, 2, 3):
            page.locator("button.step").click()
            _year(page, year)
        assert page.locator("#current-year").inner_text() == "Year 3 of 15"
        assert _number(page, "deep_share-policy").endswith("%")
        spent = _number(page, "fiscal_total-policy")
        assert spent != "0.00 million yuan", "jczt spends money within three years"
        assert _number(page, "fiscal_total-baseline") == "0.00 million yuan"
        figure = page.locator("img.measures-figure").get_attribute("src")

        # a slider: the budget to zero re-runs the package to year 3 with no money
        thumb = page.locator(".lever-budget [role=slider]")
        thumb.focus()
        thumb.press("Home")
        expect(page.locator(".lever-budget")).to_contain_text("Budget (yuan a year): 0 (changed)")
        expect(page.locator("#metric-fiscal_total-policy")).to_have_text(
            "0.00 million yuan", timeout=ACTION_S * 1000
        )
        _year(page, 3)
        expect(page.locator("img.measures-figure")).not_to_have_attribute("src", figure or "", timeout=10000)

        # a lever's years: the land discount's last year two years earlier
        upper = page.locator(".years-land [role=slider]").last
        upper.focus()
        upper.press("ArrowLeft")
        upper.press("ArrowLeft")
        expect(page.locator(".years-land")).to_contain_text("paid in years 1-13 (changed)")
        # re-run to year 3, where a window ending in year 13 changes nothing, and the page says so
        expect(page.locator(".rerun-note")).to_contain_text("nothing moved", timeout=ACTION_S * 1000)
        expect(page.locator("button.play")).to_be_enabled(timeout=ACTION_S * 1000)
        _year(page, 3)

        # play runs on by itself until paused
        page.locator("button.play").click()
        _year(page, 5)
        page.locator("button.play").click()  # now the pause button
        expect(page.locator("button.step")).to_be_enabled(timeout=ACTION_S * 1000)
        paused_at = _settled_year(page)  # a year stepped as pause was pressed may still be on its way
        assert paused_at >= 5
        page.wait_for_timeout(1500)
        assert int(page.locator("#current-year").get_attribute("data-year") or -1) == paused_at

        # a region of cities (issue 15): one column per city, each on its package
        page.locator("button.run-region").click()
        expect(page.locator("#region-changzhou-in_field_local")).to_have_text(
            re.compile(r"^[\d,]+$"), timeout=ACTION_S * 1000
        )
        for city in ("suzhou", "wuxi", "changzhou"):
            expect(page.locator(f"#region-{city}-package")).to_contain_text("jczt")
            expect(page.locator(f"#region-{city}-modes")).not_to_be_empty()

        # labels in Chinese
        page.get_by_role("button", name="zh", exact=True).click()
        expect(page.locator("h2")).to_have_text("市域产教联合体", timeout=10000)
        assert page.locator("#current-year").inner_text() == f"第 {paused_at} 年 / 共 15 年"
        for lever in LEVERS:
            expect(page.locator(f".lever-{lever.name}")).to_contain_text(lever.label_zh)
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

        # no error on the page
        assert page.locator(".model-error").count() == 0
        body = page.locator("body").inner_text()
        assert "Traceback" not in body and "Error" not in body
        browser.close()
    assert problems == []
    assert "Traceback" not in log_path.read_text()
    assert time.monotonic() - started < FIRST_LOAD_S + 60
