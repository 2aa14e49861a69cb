"""The Events page in a real browser, in both languages: no exception and no error box, the
uplift table, and the day-by-day chart with the baseline and the event shaded and named.

Uses the server and browser of test_browser.py (run with `pytest -m browser tests/browser`).
"""

from __future__ import annotations

import pytest
from test_browser import _open, browser, server  # noqa: F401  (fixtures)

from i18n import t

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_events_page(server, browser, lang):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    suffix = "&lang=vi" if lang == "vi" else ""
    try:
        _open(page, f"{server}/events?mission=emb-jp-tokyo&event=national-day-2026{suffix}")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert page.locator("h1").first.inner_text().strip() == t("events.title", lang=lang)
        assert page.locator('[data-testid="stDataFrame"]').count() >= 1
        chart = page.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        # Two shaded spans (baseline, event) and their names, upright at their left edges.
        assert chart.locator("g.layer-below path, g.shapelayer path").count() >= 2
        notes = chart.locator("g.annotation text").evaluate_all(
            "els => els.map(e => e.textContent)"
        )
        name = "Quốc khánh 2/9 2026" if lang == "vi" else "National Day (2 September) 2026"
        assert t("events.band.baseline", lang=lang) in notes and name in notes
    finally:
        page.close()
