"""The dashboard in a real headless Chromium: every page in both languages, the offline map,
and the chart files (PNG through Kaleido, HTML that works without a network).

Run with `pytest -m browser tests/browser`; `DIPLOPULSE_SCREENSHOT_DIR=DIR` keeps the screenshots
of every page in DIR. Skipped when /usr/bin/chromium is missing, unless
`DIPLOPULSE_REQUIRE_BROWSER=1` (CI), which makes that a failure. With `DIPLOPULSE_SCREENSHOT=1`
the English Overview is also saved as `docs/screenshot.png` for the README.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from i18n import t

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {
    "": "ui.overview.title",
    "mission": "ui.mission.title",
    "compare": "ui.compare.title",
    "data": "ui.data.title",
}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is not installed (apt-get install chromium)"
    if os.environ.get("DIPLOPULSE_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; DIPLOPULSE_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _streamlit(folder: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free local port, on a copy of the sample database."""
    from connectors.samples import ensure_sample_data
    from data.store import Store

    db = folder / "dashboard.duckdb"
    ensure_sample_data(Store(db))
    port = _free_port()
    env = {**os.environ, "DIPLOPULSE_DB": str(db)}
    env.pop("DIPLOPULSE_LANG", None)
    log = (folder / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {folder / 'streamlit.log'}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One dashboard server for the tests of this module."""
    _require_chromium()
    with _streamlit(tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _settle(page: object) -> None:
    """Wait until the app's script has run to the end and the charts are drawn."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_timeout(700)  # a rerun may follow the first run (the URL written back)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_timeout(1500)  # plotly draws after the script has finished


def _open(page: object, url: str) -> None:
    page.goto(url)
    _settle(page)


def _screenshot(page: object, path: Path) -> None:
    # Streamlit scrolls inside its main block: grow the window to the content's height instead.
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(900, int(height) + 40)})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 900})


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_page_in_a_real_browser(server, browser, tmp_path, lang):
    shots = Path(os.environ.get("DIPLOPULSE_SCREENSHOT_DIR") or tmp_path)  # to look at them
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    # Nothing may be fetched from outside this machine (ministries' networks are closed).
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None
        ),
    )
    try:
        for path, title in PAGES.items():
            _open(page, f"{server}/{path}" + ("?lang=vi" if lang == "vi" else ""))
            assert page.locator('[data-testid="stException"]').count() == 0, path
            assert page.locator("h1").first.inner_text().strip() == t(title, lang=lang)
            assert t("ui.app.sample_title", lang=lang) in page.locator("body").inner_text()
            _screenshot(page, shots / f"{lang}-{path or 'overview'}.png")
            if path == "" and lang == "en" and os.environ.get("DIPLOPULSE_SCREENSHOT") == "1":
                (ROOT / "docs").mkdir(exist_ok=True)
                shutil.copy(shots / "en-overview.png", ROOT / "docs" / "screenshot.png")
            if path == "":
                # The world map is drawn from the bundled shapes: countries and land are there.
                page.wait_for_selector("path.choroplethlocation", timeout=30_000)
                assert page.locator("path.choroplethlocation").count() >= 5
    finally:
        context.close()
    assert outside == []


def test_filters_survive_a_page_change_and_the_language_switch(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        _open(page, f"{server}/?lang=vi&period=30d&kpi=posts")
        page.get_by_role("link", name=t("ui.nav.compare", lang="vi")).click()
        page.wait_for_url("**/compare?*")
        _settle(page)
        assert "lang=vi" in page.url and "period=30d" in page.url and "kpi=posts" in page.url
        assert page.locator("h1").first.inner_text().strip() == t("ui.compare.title", lang="vi")
        page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
        _settle(page)
        assert page.locator("h1").first.inner_text().strip() == t("ui.compare.title", lang="en")
        assert "lang=" not in page.url and "period=30d" in page.url
    finally:
        page.close()


def test_chart_files_render_offline(tmp_path, browser):
    """PNG through Kaleido (the system Chromium) and HTML that draws its map with no network."""
    from ui import charts

    fig = charts.choropleth(
        ["VNM", "FRA", "SGP"], [1.0, 2.0, 3.0], ["Viet Nam", "France", "Singapore"]
    )
    png = charts.render_png(fig)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 50_000  # a world map, not an empty frame
    html = tmp_path / "map.html"
    html.write_bytes(charts.render_html(fig, "map"))
    page = browser.new_page()
    fetched: list[str] = []
    page.route("http*://**", lambda route: (fetched.append(route.request.url), route.abort()))
    try:
        page.goto(html.as_uri())
        page.wait_for_selector("path.choroplethlocation", timeout=30_000)
        assert page.locator("path.choroplethlocation").count() == 3
        assert fetched == []
    finally:
        page.close()


def test_a_page_opened_first_on_a_fresh_server_has_the_frame(browser, tmp_path):
    # Streamlit runs a `pages/` folder as an old-style multipage app until st.navigation has
    # run once in the process; ui.state.require_frame() reroutes that first run through app.py.
    with _streamlit(tmp_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            _open(page, f"{url}/mission?lang=vi")
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator("h1").first.inner_text().strip() == t("ui.mission.title", lang="vi")
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            assert "English" in sidebar and t("ui.app.title", lang="vi") in sidebar
        finally:
            page.close()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_cards_say_what_a_change_covers(server, browser, lang):
    """The Overview's cards as a reader sees them: the engagement rate's change in points, the
    net follows' change like for like and which accounts it leaves out; a year-ago comparison
    that says why there is no change; the Mission page's ranks and medians."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    suffix = "&lang=vi" if lang == "vi" else ""
    try:
        _open(page, f"{server}/?period=90d{suffix}")
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert ("+0.07 pt" if lang == "en" else "+0,07 điểm %") in body
        assert ("+73.7%" if lang == "en" else "+73,7%") in body
        assert (
            "28 of 55 accounts; left out:" if lang == "en" else "28/55 tài khoản; không tính:"
        ) in body
        _open(page, f"{server}/?against=year{suffix}")
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert t("ui.cards.reason.no_previous", lang=lang) in body  # no data a year earlier
        assert t("ui.filters.against.year", lang=lang) in body
        _open(page, f"{server}/mission?mission=emb-jp-tokyo{suffix}")
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert body.count(t("ui.cards.medians", lang=lang).split("{")[0]) == 8
    finally:
        page.close()
