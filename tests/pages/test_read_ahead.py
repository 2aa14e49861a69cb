"""The Overview and the Mission page read ahead (ui/reads.py) only what they then show.

A read listed in `ui.reads` with other arguments than the page's own call would run a statement
for nothing (and the page would run its own after it). So each page is drawn twice on the
same data, once without reading ahead and once with: every result the second render kept in
the cache must be one the first render computed too, and the second must have read ahead.
"""

from __future__ import annotations

import pytest

from data.store import ReadCache, ReadCursor
from ui import state


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("overview", {}),
        ("overview", {"trend": "reach", "against": "year"}),
        ("mission", {}),
        ("mission", {"period": "ytd"}),
    ],
)
def test_a_page_reads_ahead_only_what_it_shows(run_app, monkeypatch, page, params):
    kept: list[tuple] = []
    put = ReadCache.put

    def recording(self, version, key, value):
        kept.append(key)
        put(self, version, key, value)

    monkeypatch.setattr(ReadCache, "put", recording)
    read_ahead = ReadCursor.read_ahead
    ahead: list[int] = []

    def counting(self, calls):
        ahead.append(len(calls))
        read_ahead(self, calls)

    monkeypatch.setattr(ReadCursor, "read_ahead", lambda self, calls: None)
    # Both renders on the version prepared (its statements then read the presets' partials).
    assert state.store().wait_prepared(60)
    at = run_app(page=page, **params)
    assert not at.exception and not at.error
    without = set(kept)
    assert without  # the page read something

    state.store().clear_cache()
    kept.clear()
    monkeypatch.setattr(ReadCursor, "read_ahead", counting)
    at = run_app(page=page, **params)
    assert not at.exception and not at.error
    assert ahead and ahead[-1] >= 5  # it read ahead
    extra = set(kept) - without
    functions = sorted({key[2] for key in extra if key[0] == "call"})
    assert not extra, f"{len(extra)} results read ahead but not shown, of {functions}"


def test_the_dashboard_prepares_the_presets_partials_of_each_version(run_app, statements):
    # ui/state.py has every version the dashboard opens prepared: the Overview's statement then
    # reads the presets' per-account partials, not the sources (and its alerts, the prepared
    # alerts: tests/metrics/test_prepared_alerts.py).
    import sys

    from metrics import engine

    assert state.store().wait_prepared(60)
    with state.store().read() as cur:
        table = cur.prepared[engine.PARTS_FACT][0]
        assert sys.modules["metrics.alerts"].ALERTS_FACT in cur.prepared
    state.store().clear_cache()
    statements.clear()
    at = run_app()
    assert not at.exception and not at.error
    assert any(table in text for text in statements)
