"""`metrics.mission_coverage`: per mission and platform, how far the data reaches and how stale
it is, on the hand-built store of tests/metrics/conftest.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data.registry import load_registry, upsert_registry
from metrics import mission_coverage

REGISTRY = Path(__file__).resolve().parents[1] / "fixtures" / "metrics" / "registry"

D = date
COLUMNS = ["mission_id", "platform", "accounts", "first_day", "last_day", "days_stale",
           "staleness", "posts", "daily_days"]  # fmt: skip


@pytest.fixture
def cov_store(kpi_store):
    """The hand-built store, plus a mission without accounts, and for jp-facebook a day whose
    newest export left the value empty (03-08: 600 as of 03-10, NULL as of 03-31)."""
    with kpi_store.write() as cur:
        cur.execute(
            "INSERT INTO missions VALUES ('emb-zz', 'Embassy of Viet Nam in Nowhere', "
            "'Đại sứ quán Việt Nam tại Không Nơi', 'embassy', 'ZZ', NULL, 'europe', "
            "'Europe/Paris', NULL)"
        )
        cur.execute(
            "INSERT INTO account_daily VALUES "
            "('jp-facebook', DATE '2025-03-08', 'followers', 600, DATE '2025-03-10', 'a'), "
            "('jp-facebook', DATE '2025-03-08', 'followers', NULL, DATE '2025-03-31', 'b')"
        )
    return kpi_store


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [
        tuple(None if pd.isna(v) else v for v in row)
        for row in frame[COLUMNS].itertuples(index=False)
    ]


def test_per_mission_and_platform_stalest_first(cov_store):
    with cov_store.read() as con:
        result = mission_coverage(con, today=D(2025, 3, 20))
    # worked by hand from the conftest docstring:
    # us-facebook: posts 02-20 .. 03-15 (fb-5, fb-6), 7 of them; daily days 02-28, 03-01,
    #   03-02, 03-03. us-x-ambassador: x-8 02-28 (local), x-7 03-14 (local); followers 03-10.
    # jp-facebook: no post; days 03-04 .. 03-07 (03-08's newest value is NULL: no data).
    # jp-youtube: yt-1 03-05, yt-2 03-08; days 03-08 .. 03-12 (net_follows), 03-10 followers.
    assert rows(result.platforms) == [
        ("cg-vancouver", "facebook", 1, None, None, None, "no_data", 0, 0),
        ("emb-jp", "facebook", 1, D(2025, 3, 4), D(2025, 3, 7), 13, "stale", 0, 4),
        ("emb-jp", "youtube", 1, D(2025, 3, 5), D(2025, 3, 12), 8, "stale", 2, 5),
        ("emb-us", "x", 1, D(2025, 2, 28), D(2025, 3, 14), 6, "fresh", 2, 1),
        ("emb-us", "facebook", 1, D(2025, 2, 20), D(2025, 3, 15), 5, "fresh", 7, 4),
    ]
    assert result.platforms.loc[0, "name_vi"] == "Tổng Lãnh sự quán Việt Nam tại Vancouver"
    assert result.sent_nothing.to_dict("records") == [
        {
            "mission_id": "cg-vancouver",
            "name_en": "Consulate General of Viet Nam in Vancouver",
            "name_vi": "Tổng Lãnh sự quán Việt Nam tại Vancouver",
            "reason": "no_data",
        },
        {
            "mission_id": "emb-zz",
            "name_en": "Embassy of Viet Nam in Nowhere",
            "name_vi": "Đại sứ quán Việt Nam tại Không Nơi",
            "reason": "no_account",
        },
    ]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # the bounds: 7 days is still fresh, 30 still stale, 31 very stale
        (D(2025, 3, 22), {"emb-us/facebook": (7, "fresh"), "emb-us/x": (8, "stale")}),
        (D(2025, 4, 14), {"emb-us/facebook": (30, "stale"), "emb-us/x": (31, "very_stale")}),
        # data dated after `today` (a mission ahead of the ministry's clock) is 0 days old
        (D(2025, 3, 14), {"emb-us/facebook": (0, "fresh"), "emb-us/x": (0, "fresh")}),
    ],
)
def test_staleness_bounds(cov_store, today, expected):
    with cov_store.read() as con:
        frame = mission_coverage(con, today=today).platforms
    found = {
        f"{r.mission_id}/{r.platform}": (r.days_stale, r.staleness)
        for r in frame.itertuples()
        if r.mission_id == "emb-us"
    }
    assert found == expected


def test_an_empty_store_lists_every_mission_as_sent_nothing(store):
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
    with store.read() as con:
        result = mission_coverage(con, today=D(2025, 3, 20))
    assert list(result.platforms["staleness"]) == ["no_data"] * 5
    assert list(result.platforms["last_day"]) == [None] * 5
    assert list(result.sent_nothing["reason"]) == ["no_data"] * 3


def test_audience_geography_is_the_latest_breakdown_per_mission_and_platform(cov_store):
    # us-facebook: 3 countries as of 03-01, then 2 as of 03-15 (the latest); a city does not
    # count. Every other platform has none: NULL, not 0.
    with cov_store.write() as cur:
        cur.execute(
            "INSERT INTO audience VALUES "
            "('us-facebook', DATE '2025-03-01', 'country', 'US', 0.5, 'share', 'followers', 'a'),"
            "('us-facebook', DATE '2025-03-01', 'country', 'VN', 0.3, 'share', 'followers', 'a'),"
            "('us-facebook', DATE '2025-03-01', 'country', 'CA', 0.1, 'share', 'followers', 'a'),"
            "('us-facebook', DATE '2025-03-15', 'country', 'US', 0.6, 'share', 'followers', 'b'),"
            "('us-facebook', DATE '2025-03-15', 'country', 'VN', 0.2, 'share', 'followers', 'b'),"
            "('us-facebook', DATE '2025-03-15', 'city', 'Hanoi', 0.1, 'share', 'followers', 'b')"
        )
    with cov_store.read() as con:
        frame = mission_coverage(con, today=D(2025, 3, 20)).platforms
    geography = {
        (r.mission_id, r.platform): (
            r.geography_as_of,
            None if pd.isna(r.geography_countries) else int(r.geography_countries),
        )
        for r in frame.itertuples()
    }
    assert geography[("emb-us", "facebook")] == (D(2025, 3, 15), 2)
    assert geography[("emb-us", "x")] == (None, None)


@pytest.mark.parametrize(
    ("name", "rows"),
    # the 5 (mission, platform) rows and emb-zz without an account; the registry's 5 accounts
    [("mission_platform_coverage", 6), ("account_coverage", 5)],
)
def test_the_published_table_is_the_view_of_the_written_file(cov_store, name, rows):
    # One rule: a published version keeps the coverage views of data/schema.sql as tables,
    # built at publishing; the database file still has them as views.
    query = f"SELECT * FROM {name} ORDER BY ALL"
    with cov_store.read() as con:
        kind = con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()
        published = con.execute(query).fetchall()
    assert kind == [("BASE TABLE",)]
    written = duckdb.connect(str(cov_store.path), read_only=True)
    try:
        assert written.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall() == [("VIEW",)]
        from_view = written.execute(query).fetchall()
    finally:
        written.close()
    assert published == from_view
    assert len(published) == rows
