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


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_percent_ticks_differ_when_the_values_are_close(browser, lang):
    """Engagement rates are often a fraction of a percent: their axes and colour bars need more
    than one decimal to tell ticks apart (the best-time map's bar read "0.2%" three times)."""
    import re

    import pandas as pd

    import i18n
    from ui import charts, heatmap

    def percent_ticks(fig: object) -> list[str]:
        return re.findall(r">([^<>]*%)</text>", charts.render_svg(fig).decode())

    cells = pd.DataFrame(
        {"weekday": [1, 2, 3], "hour": [9, 10, 11], "posts": [6, 5, 7],
         "median": [0.0019, 0.0021, 0.0023], "enough": [True, True, True]}
    )  # fmt: skip
    rates = pd.DataFrame(
        {"date": pd.date_range("2026-10-01", periods=3), "value": [0.0005, 0.0031, 0.0012],
         "group": ["Facebook"] * 3}
    )  # fmt: skip
    i18n.set_language(lang)  # for this test only (tests/conftest.py: no_language_left_over)
    bar = percent_ticks(heatmap.best_time_figure(cells, 5))
    axis = percent_ticks(
        charts.line_chart(rates, x="date", y="value", series="group", percent=True)
    )
    comma = "," if lang == "vi" else "."
    assert bar == [f"0{comma}19%", f"0{comma}2%", f"0{comma}21%", f"0{comma}22%", f"0{comma}23%"]
    assert len(axis) >= 3 and len(set(axis)) == len(axis) and axis[0] == "0%"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_number_ticks_are_written_in_the_language(browser, lang):
    """plotly.js abbreviates large ticks with SI suffixes ("140k", "1.5M"), English words: a
    Vietnamese axis or colour bar writes the numbers whole, with its thousands separator."""
    import re

    import pandas as pd

    import i18n
    from ui import charts

    followers = pd.DataFrame(
        {"date": pd.date_range("2026-10-01", periods=3), "value": [120_000, 1_450_000, 900_000],
         "group": ["Facebook"] * 3}
    )  # fmt: skip
    i18n.set_language(lang)  # for this test only (tests/conftest.py: no_language_left_over)
    line = charts.render_svg(charts.line_chart(followers, x="date", y="value", series="group"))
    world = charts.render_svg(
        charts.choropleth(["JPN", "FRA"], [45_000, 140_000], ["Japan", "France"])
    )
    axis = re.findall(r'class="ytick"><text[^>]*>([^<>]+)</text>', line.decode())
    bar = re.findall(r'class="ycb\w*tick"><text[^>]*>([^<>]+)</text>', world.decode())
    assert len(axis) >= 3 and len(bar) >= 3
    if lang == "vi":
        assert "1.000.000" in axis and "140.000" in bar, (axis, bar)
        assert not [tick for tick in axis + bar if re.search(r"[kMG]", tick)]
    else:
        assert "1M" in axis and "140k" in bar, (axis, bar)


def test_donut_slices_show_one_decimal_each(browser):
    """Plotly's default wrote three significant digits: 35.4 %, 9.88 %, 3.96 % side by side."""
    import re

    from ui import charts

    fig = charts.donut(["Facebook", "Instagram", "X", "YouTube"], [354, 507, 98.8, 39.6])
    slices = re.findall(r">([^<>]*%)</text>", charts.render_svg(fig).decode())
    assert sorted(slices) == sorted(["35.4%", "50.7%", "9.9%", "4.0%"])


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


def _expect(text: str, body: str) -> None:
    """`text` is on the page; else the failure shows the page's whole text (an assertion's
    message cuts a long string in the middle, where the cards are)."""
    if text not in body:
        pytest.fail(f"{text!r} is not on the page, which reads:\n{body}")


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
        _expect("+0.07 pt" if lang == "en" else "+0,07 điểm %", body)
        _expect("+73.7%" if lang == "en" else "+73,7%", body)
        _expect(
            "28 of 55 accounts; left out:" if lang == "en" else "28/55 tài khoản; không tính:", body
        )
        _open(page, f"{server}/?against=year{suffix}")
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert t("ui.cards.reason.no_previous", lang=lang) in body  # no data a year earlier
        assert t("ui.filters.against.year", lang=lang) in body
        _open(page, f"{server}/mission?mission=emb-jp-tokyo{suffix}")
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert body.count(t("ui.cards.medians", lang=lang).split("{")[0]) == 12  # one per card
    finally:
        page.close()


# -- the language switch keeps the view (issue #6) -------------------------------------------


def _shown(page: object) -> dict[str, object]:
    """What every picker of the page shows, by its label: the selected option's label (or the
    list of them for a multiselect), as a user reads it."""
    shown: dict[str, object] = {}
    for box in page.locator('[data-testid="stSelectbox"]').all():
        label = box.locator('[data-testid="stWidgetLabel"]').inner_text().strip()
        shown[label] = box.locator('input[role="combobox"]').input_value()
    for box in page.locator('[data-testid="stMultiSelect"]').all():
        label = box.locator('[data-testid="stWidgetLabel"]').inner_text().strip()
        tags = box.locator(".react-aria-ComboBox [data-tag] span[title]").all()
        shown[label] = sorted(tag.get_attribute("title") for tag in tags)
    for group in page.locator('[data-testid="stRadio"]').all():
        label = group.locator('[data-testid="stWidgetLabel"]').inner_text().strip()
        chosen = group.locator('[data-testid="stRadioOption"][data-selected="true"]').all()
        shown[label] = [option.inner_text().strip() for option in chosen]
    return shown


def _params(page: object) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(page.url).query))


def _click_radio(page: object, label: str, option: str) -> None:
    group = page.locator('[data-testid="stRadio"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=label)
    )
    group.locator('[data-testid="stRadioOption"]').get_by_text(option, exact=True).click()
    _settle(page)


def _switch_language(page: object, lang: str) -> None:
    name = {"en": "English", "vi": "Tiếng Việt"}[lang]
    page.locator('[data-testid="stSidebar"]').get_by_text(name, exact=True).click()
    _settle(page)


def _expected_overview(lang: str, trend: str) -> dict[str, object]:
    from ui.format import kpi_label, owner_label

    return {
        t("ui.filters.period", lang=lang): t("ui.filters.preset.ytd", lang=lang),
        t("ui.overview.league_kpi", lang=lang): kpi_label("reach", lang),
        t("ui.overview.map_kpi", lang=lang): kpi_label("posts", lang),
        t("ui.filters.platforms", lang=lang): sorted(
            t(f"ui.platform.{p}", lang=lang) for p in ("facebook", "x")
        ),
        t("ui.filters.owner", lang=lang): [owner_label("mission", lang)],
        t("ui.overview.trend_metric", lang=lang): [t(f"ui.series.{trend}", lang=lang)],
        t("ui.filters.against", lang=lang): [t("ui.filters.against.year", lang=lang)],
    }


@pytest.mark.parametrize(("first", "then"), [("en", "vi"), ("vi", "en")])
def test_the_language_switch_keeps_every_filter_of_the_overview(server, browser, first, then):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        query = "period=ytd&kpi=reach&map=posts&platforms=facebook,x&against=year"
        _open(page, f"{server}/?{query}" + ("&lang=vi" if first == "vi" else ""))
        # Set two more by clicks, as a user does.
        from ui.format import owner_label

        _click_radio(page, t("ui.filters.owner", lang=first), owner_label("mission", first))
        _click_radio(page, t("ui.overview.trend_metric", lang=first), t("ui.series.posts", first))
        assert _shown(page) == _expected_overview(first, "posts")
        view = {k: v for k, v in _params(page).items() if k != "lang"}
        assert view == {
            "period": "ytd",
            "kpi": "reach",
            "map": "posts",
            "platforms": "facebook,x",
            "against": "year",
            "owner": "mission",
            "trend": "posts",
        }

        _switch_language(page, then)
        assert page.locator("h1").first.inner_text().strip() == t("ui.overview.title", lang=then)
        assert _shown(page) == _expected_overview(then, "posts")
        assert {k: v for k, v in _params(page).items() if k != "lang"} == view

        # The next click changes that one picker and nothing else.
        _click_radio(
            page, t("ui.overview.trend_metric", lang=then), t("ui.series.interactions", then)
        )
        assert _shown(page) == _expected_overview(then, "interactions")
        assert {k: v for k, v in _params(page).items() if k != "lang"} == view | {
            "trend": "interactions"
        }
        assert _params(page).get("lang") == ("vi" if then == "vi" else None)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


@pytest.mark.parametrize(("first", "then"), [("en", "vi"), ("vi", "en")])
def test_the_language_switch_keeps_the_mission_and_the_compared_missions(
    server, browser, first, then
):
    from ui.format import kpi_label, owner_label

    names = {
        "en": {
            "emb-jp-tokyo": "Embassy of Viet Nam in Japan",
            "emb-fr-paris": "Embassy of Viet Nam in France",
        },
        "vi": {
            "emb-jp-tokyo": "Đại sứ quán Việt Nam tại Nhật Bản",
            "emb-fr-paris": "Đại sứ quán Việt Nam tại Pháp",
        },
    }
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        lang_param = "&lang=vi" if first == "vi" else ""
        # Japan is neither the first mission by id nor in either language's order.
        _open(page, f"{server}/mission?mission=emb-jp-tokyo{lang_param}")
        picker = t("ui.mission.picker", lang=first)
        assert _shown(page)[picker] == names[first]["emb-jp-tokyo"]
        _switch_language(page, then)
        assert _shown(page)[t("ui.mission.picker", lang=then)] == names[then]["emb-jp-tokyo"]
        assert _params(page)["mission"] == "emb-jp-tokyo"
        _click_radio(page, t("ui.filters.owner", lang=then), owner_label("ambassador", then))
        assert _shown(page)[t("ui.mission.picker", lang=then)] == names[then]["emb-jp-tokyo"]
        assert _params(page)["mission"] == "emb-jp-tokyo"
        assert _params(page)["owner"] == "ambassador"
        assert page.locator("h2").first.inner_text().strip() == names[then]["emb-jp-tokyo"]

        query = "cmp=missions&missions=emb-fr-paris,emb-jp-tokyo&kpi=reach&er=er_reach"
        _open(page, f"{server}/compare?{query}{lang_param}")
        view = {k: v for k, v in _params(page).items() if k != "lang"}
        _switch_language(page, then)
        shown = _shown(page)
        both = sorted(names[then].values())
        assert shown[t("ui.compare.missions", lang=then)] == both
        assert shown[t("ui.compare.mode", lang=then)] == [t("ui.compare.mode.missions", lang=then)]
        assert shown[t("ui.compare.kpi", lang=then)] == kpi_label("reach", then)
        assert shown[t("ui.compare.er_choice", lang=then)] == [kpi_label("er_reach", then)]
        assert {k: v for k, v in _params(page).items() if k != "lang"} == view
        _click_radio(page, t("ui.compare.er_choice", lang=then), kpi_label("er_followers", then))
        shown = _shown(page)
        assert shown[t("ui.compare.missions", lang=then)] == both
        assert shown[t("ui.compare.kpi", lang=then)] == kpi_label("reach", then)
        # er_followers is the default, which links leave out.
        assert {k: v for k, v in _params(page).items() if k != "lang"} == {
            k: v for k, v in view.items() if k != "er"
        }
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def test_a_phone_starts_with_the_sidebar_folded_and_the_page_in_its_language(server, browser):
    for width, height, folded in ((390, 844, True), (1400, 900, False)):
        context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=folded, has_touch=folded
        )
        page = context.new_page()
        try:
            _open(page, f"{server}/?lang=vi")
            box = page.locator('[data-testid="stSidebar"]').bounding_box()
            shown = box is not None and box["x"] >= 0 and box["width"] > 0
            assert shown is not folded, (width, box)
            assert page.evaluate("document.documentElement.lang") == "vi"
            # The pages can still be reached: on a phone the navigation is in the sidebar.
            if folded:
                page.locator('[data-testid="stExpandSidebarButton"]').click()
                page.wait_for_timeout(1000)
                sidebar = page.locator('[data-testid="stSidebar"]')
                assert sidebar.get_by_text(t("ui.nav.compare", lang="vi")).is_visible()
            _switch_language(page, "en")
            assert page.evaluate("document.documentElement.lang") == "en"
        finally:
            context.close()


def test_an_open_expander_stays_open_across_the_language_switch(server, browser):
    """Streamlit tells an expander by its label: the same one labelled in the other language
    was drawn folded (an editor being filled in folded away). `ui.state.expander` keeps it."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})

    def accounts(lang: str) -> object:
        return page.locator('[data-testid="stExpander"]').filter(
            has_text=t("ui.mission.accounts", lang=lang)
        )

    def is_open(lang: str) -> bool:
        return accounts(lang).locator("details").get_attribute("open") is not None

    try:
        _open(page, f"{server}/mission?mission=emb-jp-tokyo")
        assert not is_open("en")
        accounts("en").locator("summary").click()
        _settle(page)
        assert is_open("en")
        _switch_language(page, "vi")
        assert is_open("vi")
        accounts("vi").locator("summary").click()
        _settle(page)
        assert not is_open("vi")
        _switch_language(page, "en")
        assert not is_open("en")
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()
