"""The Mission page's "Ambassador and mission" section in a real browser (headless Chromium)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from i18n import t
from tests.browser.test_browser import _open, _screenshot, browser, server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_ambassador_section_is_drawn(server, browser, tmp_path, lang):  # noqa: F811
    shots = Path(os.environ.get("DIPLOPULSE_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        suffix = "&lang=vi" if lang == "vi" else ""
        _open(page, f"{server}/mission?mission=emb-jp-tokyo{suffix}")
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.locator("body").inner_text()
        assert t("themes.mission.title", lang=lang) in body
        assert t("themes.mission.share", lang=lang) in body
        _screenshot(page, shots / f"{lang}-mission-themes.png")
    finally:
        context.close()
