"""Like-for-like changes (`compare`), the year-ago comparison and a mission's standing, pinned
to values worked out by hand on the store of conftest.py (see its docstring).

W = 2025-03-01 .. 2025-03-14, P = 2025-02-15 .. 2025-02-28.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from connectors.importer import rebuild_follower_totals
from metrics import (
    KPI_NAMES,
    KPIS,
    Scope,
    compare,
    comparison_window,
    compute,
    mission_standing,
    standing,
    year_earlier_window,
)
from metrics.kpi import KPI

W = (date(2025, 3, 1), date(2025, 3, 14))
# The issue's case: 03-08..03-12 against 03-03..03-07.
W2 = (date(2025, 3, 8), date(2025, 3, 12))
SHA = "0" * 64


@pytest.fixture
def issue_store(kpi_store):
    """conftest's store plus a YouTube net series on 03-03..03-07 (1 a day), so that emb-jp's
    net follows are known on YouTube in both 03-03..03-07 and 03-08..03-12, and on Facebook only
    in the earlier window (as Facebook in the issue: known before, unknown now)."""
    with kpi_store.write() as cur:
        for day in range(3, 8):
            cur.execute(
                "INSERT INTO account_daily VALUES ('jp-youtube', ?, 'net_follows', 1, ?, ?)",
                [date(2025, 3, day), date(2025, 3, 31), SHA],
            )
        rebuild_follower_totals(cur, ["jp-youtube"])
    return kpi_store


def test_change_kind_sits_on_the_declaration():
    assert {k.name for k in KPIS.values() if k.change == "points"} == {
        "er_reach",
        "er_impressions",
        "er_followers",
        "host_audience_share",
        "host_language_share",
        "vietnamese_share",
        "english_share",
    }
    assert KPIS["posts_per_week"].change == "relative"
    assert KPIS["host_language_lift"].change == "relative"  # a multiple, not a share


def test_a_kpi_counting_every_row_is_refused():
    # Like-for-like blanks the rows of left-out accounts: count(*) would still count them.
    with pytest.raises(ValueError, match=r"count\(\*\)"):
        KPI("x", "volume", "count", True, "d", "f", "posts", "count(*)", 1)


def test_issue_case_a_platform_known_only_before_is_left_out_not_counted_as_a_fall(issue_store):
    with issue_store.read() as con:
        row = compare(con, Scope(*W2, missions=("emb-jp",))).iloc[0]
    # All accounts: now jp-youtube 3 − 1 + 4 + 2 + 0 = 8 (jp-facebook: no known day);
    # before: jp-youtube 5 × 1 = 5 plus jp-facebook 15 + 12 + 30 = 57 (see conftest): 62.
    assert (row["net_follows"], row["net_follows_prev"]) == (8, 62)
    # (8 − 62) / 62 = −87 % is what the old rule said. Like for like: YouTube alone, 8 against 5.
    assert row["net_follows_change"] == pytest.approx((8 - 5) / 5)
    assert (row["net_follows_lfl"], row["net_follows_lfl_prev"]) == (8, 5)
    assert row["net_follows_left_out"] == ["jp-facebook"]
    assert row["net_follows_missing"] == ["jp-facebook"]  # unknown in the current window
    assert row["net_follows_reason"] is None
    assert row["accounts"] == ["jp-facebook", "jp-youtube"]


def test_no_account_known_in_both_windows_gives_no_change_and_a_reason(con):
    # Without the extra series: YouTube is known only now, Facebook only before.
    row = compare(con, Scope(*W2, missions=("emb-jp",))).iloc[0]
    assert (row["net_follows"], row["net_follows_prev"]) == (8, 57)
    assert math.isnan(row["net_follows_change"])
    assert row["net_follows_reason"] == "no_overlap"
    assert row["net_follows_left_out"] == ["jp-facebook", "jp-youtube"]
    assert row["net_follows_missing"] == ["jp-facebook"]


def test_compare_of_a_mission_over_w(con):
    row = compare(con, Scope(*W, missions=("emb-us",))).iloc[0]
    # posts: both accounts have post data; us-facebook 5 + x 1 = 6 now, fb-5 + x-8 = 2 before
    assert (row["posts"], row["posts_prev"], row["posts_change"]) == (6, 2, 2.0)
    assert row["posts_left_out"] == []
    # interactions: every account posted in both windows: (23 − 13) / 13
    assert row["interactions_change"] == pytest.approx(10 / 13)
    # followers_end: the ambassador's first total is 03-10, so it is left out: 1020 against
    # 1000 (not 1320 against 1000, +32 %)
    assert row["followers_end_change"] == pytest.approx(0.02)
    assert row["followers_end_left_out"] == ["us-x-ambassador"]
    assert row["followers_end_missing"] == []  # known now, unknown before
    # er_reach is a ratio: a difference, in points. X has no reach (left out, in both windows);
    # Facebook 13 / 200 now, 6 / 60 before.
    assert row["er_reach_change"] == pytest.approx(13 / 200 - 6 / 60)
    assert row["er_reach_left_out"] == ["us-x-ambassador"]
    # net follows: us-facebook known now only (02-28 needs 02-27's total), X never
    assert math.isnan(row["net_follows_change"])
    assert row["net_follows_reason"] == "no_previous"
    assert row["video_views_reason"] == "no_data"
    # the values over all accounts are unchanged: compute's
    assert row["followers_end"] == 1320 and row["followers_end_prev"] == 1000


def test_a_count_whose_previous_value_is_zero_has_no_relative_change(con):
    row = compare(con, Scope(*W), by="mission").set_index("mission_id").loc["emb-jp"]
    # jp-youtube: 2 posts now, 0 in P; jp-facebook has no post data: left out
    assert (row["posts_lfl"], row["posts_lfl_prev"]) == (2, 0)
    assert math.isnan(row["posts_change"])
    assert row["posts_reason"] == "previous_zero"
    assert row["posts_left_out"] == ["jp-facebook"]


def test_an_account_that_published_nothing_adds_zero_not_a_gap(con):
    # us-x-ambassador over 03-15..03-28 has no post (x-7 is 03-14 in New York), over
    # 03-01..03-14 one: its interactions go from 6 to 0, a known fall, not a gap.
    frame = compare(con, Scope(date(2025, 3, 15), date(2025, 3, 28), platforms=("x",)))
    row = frame.iloc[0]
    assert math.isnan(row["interactions"])  # compute's rule: a sum over no post is unknown
    assert row["interactions_left_out"] == []
    assert (row["interactions_lfl"], row["interactions_lfl_prev"]) == (0, 6)
    assert row["interactions_change"] == pytest.approx(-1.0)
    # a ratio over no post stays unknown: nothing to compare
    assert row["er_impressions_reason"] == "no_current"


def test_compare_by_mission_keeps_every_group(con):
    frame = compare(con, Scope(*W), by="mission").set_index("mission_id")
    assert list(frame.index) == ["cg-vancouver", "emb-jp", "emb-us"]
    assert frame.loc["cg-vancouver", "posts_reason"] == "no_data"
    assert frame.loc["cg-vancouver", "posts_left_out"] == ["van-facebook"]
    assert frame.loc["cg-vancouver", "accounts"] == ["van-facebook"]


def test_the_network_change_is_like_for_like_per_account(con):
    row = compare(con, Scope(*W)).iloc[0]
    # followers_end: now 1320 + 2562; before (on or before 02-28) us-facebook 1000 only.
    # Like for like: us-facebook alone, 1020 against 1000.
    assert row["followers_end_change"] == pytest.approx(0.02)
    assert row["followers_end_left_out"] == [
        "jp-facebook",
        "jp-youtube",
        "us-x-ambassador",
        "van-facebook",
    ]


def test_year_earlier_window():
    assert year_earlier_window(date(2026, 3, 1), date(2026, 3, 31)) == (
        date(2025, 3, 1),
        date(2025, 3, 31),
    )
    # 29 February has no date a year earlier: 28 February, and the same length (29 days)
    assert year_earlier_window(date(2024, 2, 29), date(2024, 3, 28)) == (
        date(2023, 2, 28),
        date(2023, 3, 28),
    )
    assert comparison_window(*W) == (date(2025, 2, 15), date(2025, 2, 28))
    assert comparison_window(*W, against="year") == (date(2024, 3, 1), date(2024, 3, 14))
    with pytest.raises(ValueError):
        comparison_window(*W, against="month")


def test_compare_against_a_year_earlier(con):
    # Nothing in March 2024: posts are 0 (the accounts have post data), the rest unknown
    row = compare(con, Scope(*W, missions=("emb-us",)), against="year").iloc[0]
    assert (row["posts"], row["posts_prev"]) == (6, 0)
    assert all(pd.isna(row[f"{k}_prev"]) for k in KPI_NAMES if k not in ("posts", "posts_per_week"))
    assert row["posts_reason"] == "previous_zero"
    # interactions: nothing published then, so 0 over the same accounts: no relative change
    assert (row["interactions_lfl"], row["interactions_lfl_prev"]) == (23, 0)
    assert row["interactions_reason"] == "previous_zero"
    assert row["followers_end_reason"] == "no_previous"
    # and 2026-03 against 2025-03 finds March 2025
    row = compare(
        con, Scope(date(2026, 3, 1), date(2026, 3, 14), missions=("emb-us",)), against="year"
    ).iloc[0]
    assert row["posts_prev"] == 6
    assert row["followers_end"] == 1320  # last known totals, from March 2025


# -- standing: rank and medians -------------------------------------------------------------
#
# Over W, by mission: emb-us interactions 23, emb-jp 35, cg-vancouver unknown; followers_end
# emb-us 1320, emb-jp 2562; regions: emb-us and cg-vancouver americas, emb-jp asia_pacific.


def test_standing_of_a_mission(con):
    frame = standing(compute(con, Scope(*W), by="mission"), "emb-us")
    assert list(frame.index) == list(KPI_NAMES)
    row = frame.loc["interactions"]
    assert (row["value"], row["rank"], row["ranked"]) == (23, 2, 2)
    assert row["median"] == (23 + 35) / 2
    # americas: emb-us and cg-vancouver (unknown, unranked)
    assert (row["region"], row["region_rank"], row["region_ranked"]) == ("americas", 1, 1)
    assert row["region_median"] == 23
    row = frame.loc["er_reach"]  # only emb-us has one
    assert (row["rank"], row["ranked"], row["median"]) == (1, 1, 13 / 200)


def test_standing_of_a_mission_without_a_value(con):
    frame = mission_standing(con, Scope(*W, missions=("cg-vancouver",)), "cg-vancouver")
    row = frame.loc["followers_end"]
    assert math.isnan(row["value"]) and pd.isna(row["rank"])
    assert row["ranked"] == 2  # the mission filter is ignored: all missions
    assert row["median"] == (1320 + 2562) / 2
    assert (row["region_ranked"], row["region_median"]) == (1, 1320)
    assert pd.isna(row["region_rank"])


def test_standing_follows_the_platform_filter(con):
    frame = mission_standing(con, Scope(*W, platforms=("facebook",)), "emb-jp")
    # Facebook only: emb-us 1020, emb-jp 560
    row = frame.loc["followers_end"]
    assert (row["value"], row["rank"], row["ranked"], row["median"]) == (560, 2, 2, 790)
    assert (row["region_rank"], row["region_ranked"]) == (1, 1)


def test_standing_of_some_kpis_is_those_rows_of_the_whole_standing(con):
    # The Mission page asks for its cards' KPIs only: the same rows, the others absent.
    cards = ("followers_end", "posts", "er_reach", "vietnamese_share")
    some = mission_standing(con, Scope(*W), "emb-us", cards)
    every = mission_standing(con, Scope(*W), "emb-us")
    assert sorted(some.index) == sorted(cards)  # in KPI_NAMES order
    pd.testing.assert_frame_equal(some, every.loc[list(some.index)])


def test_a_scope_without_accounts_has_no_change_and_no_one_left_out(con):
    row = compare(con, Scope(*W, platforms=("tiktok",))).iloc[0]
    assert row["accounts"] == []
    assert math.isnan(row["posts"]) and math.isnan(row["posts_change"])
    assert row["posts_left_out"] == [] and row["posts_reason"] == "no_data"
