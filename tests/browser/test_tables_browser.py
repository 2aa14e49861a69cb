"""Tables in a real browser: a click on a header sorts by value, unknown shows as "–", and the
download buttons hand over the files (`pytest -m browser tests/browser`)."""

from __future__ import annotations

import csv
import io

import pytest
from test_browser import _open, browser, server  # noqa: F401  (the fixtures, shared)

from i18n import t

pytestmark = pytest.mark.browser


def _values(grid: object, columns: int, index: int) -> list[str]:
    # The grid is drawn on a canvas; its cells are also in an accessible table, as values.
    return grid.locator("td").all_inner_texts()[index::columns]


def test_league_table_sorts_by_value_and_downloads(server, browser, tmp_path):  # noqa: F811
    # On the samples' YouTube accounts, 6 of 12 missions have no interactions known.
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        _open(page, f"{server}/?platforms=youtube&kpi=interactions")
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        shown = _values(grid, 4, 2)
        known = [int(v) for v in shown if v]
        assert len(known) == 6 and shown[6:] == [""] * 6  # unknown last, as the page ranks
        assert known == sorted(known, reverse=True)
        ranks = _values(grid, 4, 0)
        assert ranks[:6] == ["1", "2", "3", "4", "5", "6"]
        # A click on the value column's header sorts by the numbers (ascending), not as text.
        # The grid is a canvas: the header is found from the columns' set widths (75, 400,
        # 200, 200 px), the room left over shared evenly among the four.
        box = grid.bounding_box()
        extra = (box["width"] - 875) / 4
        header = (box["x"] + 475 + 2 * extra + (200 + extra) / 2, box["y"] + 18)
        page.mouse.click(*header)
        page.wait_for_timeout(800)
        ascending = [int(v) for v in _values(grid, 4, 2) if v]
        assert ascending == sorted(known)
        page.mouse.click(*header)
        page.wait_for_timeout(800)
        grid.screenshot(path=str(tmp_path / "sorted.png"))
        descending = _values(grid, 4, 2)
        assert [int(v) for v in descending[:6]] == known and descending[6:] == [""] * 6

        with page.expect_download() as download:
            page.get_by_role("button", name=t("export.csv", lang="en")).first.click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.name == "diplopulse-league-table.csv"
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
        assert rows[0] == ["Rank", "Mission", t("kpi.interactions", lang="en"), "Region"]
        assert [int(r[2]) for r in rows[1:7]] == known
        assert "Platforms: YouTube" in [r[0] for r in rows if r]
    finally:
        page.close()
