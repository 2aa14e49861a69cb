"""Post-level rules: latest snapshot, unknown vs zero per post, and local dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from connectors.importer import Importer
from data.store import Store
from metrics import Scope, coverage, kpis
from metrics.engine import source_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metrics"
W = (date(2025, 3, 1), date(2025, 3, 14))
P = (date(2025, 2, 15), date(2025, 2, 28))
METRICS = ["reactions", "comments", "shares", "reach", "impressions", "video_views"]


def post_rows(con, start=date(2025, 1, 1), end=date(2025, 12, 31)) -> pd.DataFrame:
    rows = source_rows(con, Scope(start, end), "posts")
    return rows[rows["post_id"].notna()].set_index("post_id").sort_index()


def test_latest_snapshot_wins_whatever_the_insertion_order(con):
    rows = post_rows(con)
    # fb-1: the 03-20 snapshot was inserted before the 03-05 one
    assert rows.loc["fb-1", METRICS[:5]].tolist() == [10, 2, 1, 200, 300]
    # fb-2: the 03-20 snapshot was inserted after the 03-12 one; its unknown comments and
    # reach stay unknown (the older 9 and 50 are not used)
    assert rows.loc["fb-2", "reactions"] == 4
    assert pd.isna(rows.loc["fb-2", "comments"]) and pd.isna(rows.loc["fb-2", "reach"])
    assert rows.loc["fb-2", "snapshot_as_of"] == pd.Timestamp("2025-03-20")


def test_source_reads_the_same_snapshot_as_the_view(con):
    """posts.sql applies the rule of the view post_latest_metrics; both must agree."""
    view = (
        con.execute("SELECT post_id, * EXCLUDE (account_id, post_id) FROM post_latest_metrics")
        .df()
        .set_index("post_id")
        .sort_index()
    )
    rows = post_rows(con).loc[view.index]
    pd.testing.assert_frame_equal(
        rows[METRICS], view[METRICS], check_dtype=False, check_names=False
    )
    assert list(rows["snapshot_as_of"]) == list(view["as_of"])


def test_unknown_and_zero_stay_apart_post_by_post(con):
    rows = post_rows(con)
    assert rows.loc["fb-4", "interactions"] == 0  # all zero: 0 interactions
    assert pd.isna(rows.loc["fb-3", "interactions"])  # all unknown: unknown
    assert pd.isna(rows.loc["fb-0", "interactions"])  # no snapshot at all: unknown
    assert rows.loc["fb-2", "interactions"] == 4  # only reactions known: 4
    assert pd.isna(rows.loc["yt-1", "shares"]) and rows.loc["yt-1", "interactions"] == 25


def test_a_post_at_2330_local_belongs_to_its_local_day(con):
    rows = post_rows(con)
    # x-7: 2025-03-15 03:30 UTC is 2025-03-14 23:30 in New York (EDT, UTC-4)
    assert rows.loc["x-7", "date"] == pd.Timestamp("2025-03-14")
    # x-8: 2025-03-01 04:30 UTC is 2025-02-28 23:30 in New York (EST, UTC-5)
    assert rows.loc["x-8", "date"] == pd.Timestamp("2025-02-28")
    x_now = kpis(con, "emb-us", *W, platform="x")
    x_before = kpis(con, "emb-us", *P, platform="x")
    assert (x_now["posts"], x_now["interactions"]) == (1, 6)  # x-7: 3 + 1 + 2
    assert (x_before["posts"], x_before["interactions"]) == (1, 7)  # x-8: 7 + 0 + 0
    last_day = kpis(con, "emb-us", date(2025, 3, 14), date(2025, 3, 14))
    next_day = kpis(con, "emb-us", date(2025, 3, 15), date(2025, 3, 15))
    assert (last_day["posts"], last_day["reactions"]) == (1, 3)  # x-7 only
    assert (next_day["posts"], next_day["reactions"]) == (1, 100)  # fb-6 only


def test_imported_x_legacy_export_lands_in_local_windows(tmp_path):
    """The same rules through the importer: an X legacy CSV (UTC times, "1938.0" counts, "-"
    promoted cells) and a follower baseline, for the ambassador of emb-us (New York)."""
    store = Store(tmp_path / "import.duckdb")
    importer = Importer(store, registry_dir=FIXTURES / "registry", today=date(2025, 4, 2))
    results = importer.import_paths(
        [
            FIXTURES / "tweet_activity_metrics_VNAmbassadorUS_20250301_20250401_en.csv",
            FIXTURES / "follower_baseline.csv",
        ]
    )
    assert [r.status for r in results] == ["imported", "imported"], [r.message() for r in results]
    with store.read() as con:
        # tweet 1: 2025-03-15 03:30 UTC = 03-14 23:30 EDT -> W. likes 3, replies 1, retweets 2,
        # impressions 500; `engagements` 12 and `url clicks` 1 are not interactions.
        assert kpis(con, "emb-us", *W, platform="x") == {
            "posts": 1,
            "reactions": 3,
            "comments": 1,
            "shares": 2,
            "interactions": 6,
            "reach": None,
            "impressions": 500,
            "video_views": None,
            "er_reach": None,
            "er_impressions": 6 / 500,
            "followers_end": 300,  # baseline 2025-03-10
            "net_follows": None,
            "er_followers": 6 / 300,
            "posts_per_week": 0.5,
            "host_audience_share": None,  # no follower geography imported
            # tweet 1 is Vietnamese ("Đại sứ gặp gỡ cộng đồng người Việt tại Washington ...",
            # detected at import among vi and en): 1 of 1 determined post is in Vietnamese, 0
            # in English, the host language of emb-us; no host-language post, so no lift.
            "host_language_share": 0.0,
            "vietnamese_share": 1.0,
            "english_share": 0.0,
            "host_language_lift": None,
        }
        # tweet 2: 2025-03-01 04:30 UTC = 02-28 23:30 EST -> the previous window
        before = kpis(con, "emb-us", *P, platform="x")
        assert (before["posts"], before["reactions"], before["followers_end"]) == (1, 7, None)
        # tweet 3: 2025-03-20 14:00 UTC; 10 + 2 + 4
        rest = kpis(con, "emb-us", date(2025, 3, 15), date(2025, 3, 31), platform="x")
        assert (rest["posts"], rest["interactions"], rest["impressions"]) == (1, 16, 1234)
        cov = coverage(con).set_index("account_id")
        assert cov.loc["us-x-ambassador", "imports"] == 2
        assert cov.loc["us-x-ambassador", "snapshot_as_of"] == pd.Timestamp("2025-04-01")
