"""The weekly trend in a real browser: ticks on the weeks' Mondays in Vietnamese, the weeks the
period cuts hatched, and their hover says how many of their days are counted.

Uses the server and browser of test_browser.py (run with `pytest -m browser tests/browser`).
"""

from __future__ import annotations

import pytest
from test_browser import _open, browser, server  # noqa: F401  (fixtures)

from i18n import t

pytestmark = pytest.mark.browser

# Wed 2026-07-29 .. Sat 2026-10-31: 5 days of the week of Monday 07-27, 6 of the week of 10-26.
URL = "/?lang=vi&period=custom&from=2026-07-29&to=2026-10-31&trend=interactions"


def test_partial_weeks_are_marked_and_ticks_are_mondays(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        _open(page, server + URL)
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.locator("body").inner_text()
        assert t("ui.period.partial_note", lang="vi") in body
        # The trend is the chart with bars (the other one is the map).
        chart = page.locator(".js-plotly-plot").filter(has=page.locator("g.barlayer")).first
        chart.scroll_into_view_if_needed()
        ticks = chart.locator("g.xtick text").evaluate_all("els => els.map(e => e.textContent)")
        # Every 2nd Monday of the 14 weeks; the year written under the first.
        assert ticks == [
            "27/072026", "10/08", "24/08", "07/09", "21/09", "05/10", "19/10"
        ]  # fmt: skip
        # Hatched bars: plotly fills a patterned bar with an SVG pattern.
        bars = chart.locator("g.barlayer g.point path")
        hatched = [
            i for i in range(bars.count()) if "url(" in (bars.nth(i).get_attribute("style") or "")
        ]
        assert hatched, "no hatched bar"
        # Hover the tallest hatched bar of the last week (10-26: 6 of its days in the period).
        boxes = [bars.nth(i).bounding_box() for i in hatched]
        last = max(b["x"] for b in boxes)
        box = max((b for b in boxes if b["x"] == last), key=lambda b: b["height"])
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x - 20, y)
        page.mouse.move(x, y, steps=5)
        page.wait_for_timeout(800)
        hover = " ".join(
            page.locator("g.hoverlayer text").evaluate_all("els => els.map(e => e.textContent)")
        )
        # Said once, first under the week's Monday (not on every platform's line)
        note = t("ui.period.partial_week", lang="vi", days=6, period_days=7)
        assert hover.startswith("Tuần từ 26/10/2026") and hover.count(note) == 1
    finally:
        page.close()
