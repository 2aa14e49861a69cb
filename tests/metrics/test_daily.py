"""`metrics.daily_values`: the stored account-level daily values, newest export per day."""

from __future__ import annotations

from datetime import date

import pytest

from metrics import UnknownAccount, UnknownMetric, daily_metric_names, daily_values

D = date


def test_newest_export_wins_and_a_newest_null_is_left_out(reach_store):
    with reach_store.read() as con:
        values = daily_values(con, "us-facebook", "reach", D(2025, 7, 1), D(2025, 8, 31))
        # both snapshots of 08-03 are stored: 7 (older) and NULL (newer)
        stored = con.execute(
            "SELECT value FROM account_daily WHERE date = '2025-08-03' ORDER BY as_of"
        ).fetchall()
    assert stored == [(7.0,), (None,)]
    assert values == [(D(2025, 8, 1), 512.0), (D(2025, 8, 2), 40.0), (D(2025, 8, 4), 9.0)]


def test_the_window_and_the_metric_select_the_rows(reach_store):
    with reach_store.read() as con:
        assert daily_values(con, "us-facebook", "reach", D(2025, 8, 2), D(2025, 8, 3)) == [
            (D(2025, 8, 2), 40.0)
        ]
        assert daily_values(con, "us-facebook", "views", D(2025, 8, 1), D(2025, 8, 31)) == []
        # a registered account without data
        assert daily_values(con, "us-instagram", "reach", D(2025, 8, 1), D(2025, 8, 31)) == []


def test_followers_are_the_reported_totals_only(con):
    # tests/metrics/conftest.py: us-facebook reported 1000 (02-28) and 1020 (03-03); the
    # 1008 of 03-01 in follower_totals is rebuilt, not stored as a daily value.
    assert daily_values(con, "us-facebook", "followers", D(2025, 2, 1), D(2025, 3, 31)) == [
        (D(2025, 2, 28), 1000.0),
        (D(2025, 3, 3), 1020.0),
    ]
    # new_follows of 03-03: 4 as of 03-31, 40 in the older export as of 03-05
    assert daily_values(con, "us-facebook", "new_follows", D(2025, 3, 1), D(2025, 3, 3)) == [
        (D(2025, 3, 1), 10.0),
        (D(2025, 3, 2), 5.0),
        (D(2025, 3, 3), 4.0),
    ]


def test_unknown_account_and_metric_are_errors(con):
    with pytest.raises(UnknownAccount) as error:
        daily_values(con, "zz-facebook", "reach", D(2025, 3, 1), D(2025, 3, 3))
    assert error.value.account_id == "zz-facebook"
    with pytest.raises(UnknownMetric) as error:
        daily_values(con, "us-facebook", "likes", D(2025, 3, 1), D(2025, 3, 3))
    assert error.value.metric == "likes"


def test_metric_names_are_read_when_asked(con, monkeypatch):
    # Another connector adding a daily metric needs no change here.
    from data import domain

    assert "new_metric" not in daily_metric_names()
    monkeypatch.setitem(domain.DAILY_METRICS, "new_metric", "a metric a new connector adds")
    assert "new_metric" in daily_metric_names()
    assert daily_values(con, "us-facebook", "new_metric", D(2025, 3, 1), D(2025, 3, 3)) == []
