"""The Content page in a real browser, in both languages: no exception and no error box, the
two sections, the heat map drawn with its "fewer than 5 posts" legend.

Uses the server and browser of test_browser.py (run with `pytest -m browser tests/browser`).
"""

from __future__ import annotations

import pytest
from test_browser import _open, browser, server  # noqa: F401  (fixtures)

from i18n import t

pytestmark = pytest.mark.browser

# Streamlit draws st.exception as stException and st.error as an alert with this icon box.
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def test_content_page_opens_without_error_boxes(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        for lang in ("en", "vi"):
            suffix = "&lang=vi" if lang == "vi" else ""
            _open(page, f"{server}/content?mission=emb-jp-tokyo{suffix}")
            assert page.locator(ERRORS).count() == 0, lang
            assert page.locator("h1").first.inner_text().strip() == t("content.title", lang=lang)
            body = page.locator('[data-testid="stMain"]').inner_text()
            assert t("content.formats.title", lang=lang) in body
            assert t("content.best.title", lang=lang) in body
            # The heat map is drawn, its legend says what grey means.
            heat = page.locator(".js-plotly-plot").filter(has=page.locator("g.heatmaplayer"))
            assert heat.count() == 1, lang
            heat.first.scroll_into_view_if_needed()
            legend = " ".join(
                heat.first.locator("g.legend text").evaluate_all(
                    "els => els.map(e => e.textContent)"
                )
            )
            assert t("content.best.thin", lang=lang, n=5) in legend
    finally:
        page.close()
