"""`alerts` of a scope whose window lies in the days a reading process prepared alerts for
(`alerts.prepare_alerts`: the period presets' windows ending on the version's latest day) reads
its accounts' prepared rows instead of their daily series: the frames must be exactly those
found from the series, for any choice of missions, platforms, owners and regions and any window
inside those days, on the hand-built store of conftest.py and on the bundled sample data."""

from __future__ import annotations

import shutil
import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd

from data import queries
from data.store import Store
from metrics import PREPARERS, engine
from metrics.scope import Scope
from tests.metrics.test_prepared_parts import _scopes

# `metrics.alerts` is the cached read function; the module is this one.
alerts_module = sys.modules["metrics.alerts"]


def _windows(latest):
    """Every preset's window, the Overview's last days, and a custom period inside them."""
    windows = [group[0] for group in engine.preset_windows(latest)]
    start = min(s for s, _ in windows)
    return [
        *windows,
        (latest - timedelta(days=6), latest),
        (start + timedelta(days=3), latest - timedelta(days=5)),
    ]


def test_alerts_in_the_prepared_days_read_the_prepared_rows_and_are_the_same(
    prepared_store: Store, request
):
    found = 0
    with prepared_store.read() as cur:
        latest = queries.latest_data_date(cur)
        for start, end in _windows(latest):
            for scope in _scopes(cur, start, end):
                assert alerts_module._prepared(cur, scope) is not None
                prepared = alerts_module.alerts(cur, scope)
                plain = alerts_module.alerts(cur._cur, scope)  # the DuckDB cursor: no facts
                pd.testing.assert_frame_equal(prepared, plain)
                found += len(prepared)
    if request.node.callspec.params["prepared_store"] == "samples":
        assert found > 0  # the comparison saw alerts, not only empty frames


def test_windows_outside_the_prepared_days_read_the_series(prepared_store: Store):
    with prepared_store.read() as cur:
        _, first, last = cur.prepared[alerts_module.ALERTS_FACT]
        assert last == queries.latest_data_date(cur)
        before = Scope(first - timedelta(days=1), last)
        assert alerts_module._prepared(cur, before) is None
        assert alerts_module._prepared(cur, Scope(first, last)) is not None
        # and those give what the series give, prepared or not
        pd.testing.assert_frame_equal(
            alerts_module.alerts(cur, before), alerts_module.alerts(cur._cur, before)
        )


def test_alerts_prepared_a_mission_at_a_time_are_the_same(
    monkeypatch, sample_db_template, tmp_path: Path
):
    # Missions without any data make chunks of no alert: the table is the same all the same.
    monkeypatch.setattr(alerts_module, "PREPARE_MISSIONS", 1)
    shutil.copy(sample_db_template, tmp_path / "samples.duckdb")
    store = Store(tmp_path / "samples.duckdb")
    store.prepare_versions(*PREPARERS)
    assert store.wait_prepared(120)
    assert not store._version.prepare_errors
    with store.read() as cur:
        latest = queries.latest_data_date(cur)
        scope = Scope(latest - timedelta(days=89), latest)
        assert alerts_module._prepared(cur, scope) is not None
        prepared = alerts_module.alerts(cur, scope)
        assert len(prepared)
        pd.testing.assert_frame_equal(prepared, alerts_module.alerts(cur._cur, scope))
