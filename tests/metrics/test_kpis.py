"""Every KPI pinned to a value worked out by hand on the store of conftest.py.

W = 2025-03-01 .. 2025-03-14, P (previous window) = 2025-02-15 .. 2025-02-28.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from metrics import KPI_NAMES, KPIS, Scope, UnknownMission, compare, compute, kpis, previous_window

W = (date(2025, 3, 1), date(2025, 3, 14))
P = (date(2025, 2, 15), date(2025, 2, 28))

# emb-us over W. Posts in W: fb-1 (03-02), fb-2 (03-10), fb-0 (03-11), fb-3 (03-12),
# fb-4 (03-13), x-7 (published 03-15 03:30 UTC = 03-14 23:30 in New York). fb-6 (03-15) and
# fb-5 (02-20) are outside; x-8 (03-01 04:30 UTC = 02-28 23:30 in New York) is in P.
# Latest snapshots: fb-1 10/2/1/200/300 (the 03-20 one, inserted first), fb-2 4/–/–/–/80 (the
# 03-20 one: its unknown comments and reach win over the older 9 and 50), fb-0 none, fb-3 all
# unknown, fb-4 all 0, x-7 3/1/2/–/500.
EMB_US = {
    "posts": 6,
    "reactions": 10 + 4 + 0 + 3,  # = 17; fb-0 and fb-3 unknown
    "comments": 2 + 0 + 1,  # = 3; fb-2's latest comments unknown
    "shares": 1 + 0 + 2,  # = 3
    "interactions": 13 + 4 + 0 + 6,  # per post: fb-1 10+2+1, fb-2 4, fb-4 0, x-7 3+1+2
    "reach": 200 + 0,  # fb-1, fb-4; X has no reach
    "impressions": 300 + 80 + 0 + 500,  # = 880
    "video_views": None,  # no post has a known value
    "er_reach": 13 / 200,  # only fb-1 has interactions known and reach > 0
    "er_impressions": (13 + 4 + 6) / (300 + 80 + 500),  # fb-4 (impressions 0) left out
    # us-facebook last total on or before 03-14: 1020 (03-03, reported);
    # us-x-ambassador: 300 (03-10, baseline)
    "followers_end": 1020 + 300,
    # us-facebook: 03-01 new − unfollows 10 − 2 = 8; 03-02 only new follows and no total on
    # 03-02: unknown; 03-03 4 − 1 = 3 (new_follows 4 from the latest export, not 40)
    "net_follows": 8 + 3,
    # mean of interactions / the account's total on or before the post's day:
    # fb-1 (03-02) 13 / 1008 (03-01, rebuilt 1000 + 10 − 2), fb-2 (03-10) 4 / 1020,
    # fb-4 (03-13) 0 / 1020, x-7 (03-14) 6 / 300; fb-0 and fb-3 (unknown interactions) left out
    "er_followers": (13 / 1008 + 4 / 1020 + 0 / 1020 + 6 / 300) / 4,
    "posts_per_week": 6 / (14 / 7),  # = 3.0
    "host_audience_share": None,  # no follower geography here (see test_host_audience.py)
    # The language KPIs: no post of this hand-made store has a decided language (its rows
    # are inserted directly, without post_languages; tests/metrics/test_language.py has them).
    "host_language_share": None,
    "vietnamese_share": None,
    "english_share": None,
    "host_language_lift": None,
}

# emb-jp over W: yt-1 (03-05) 20/5/–, 4000 impressions, 1000 views; yt-2 (03-08) 10/–/–,
# 500 views. jp-facebook has no post data, but the group has (jp-youtube).
EMB_JP = {
    "posts": 2,
    "reactions": 30,
    "comments": 5,
    "shares": None,  # neither video has shares: unknown, not 0
    "interactions": 25 + 10,
    "reach": None,
    "impressions": 4000,
    "video_views": 1500,
    "er_reach": None,
    "er_impressions": 25 / 4000,  # yt-2 has no impressions
    # jp-facebook: 560 (03-07); jp-youtube: 2002 (03-12, rebuilt 2000 + 2 + 0)
    "followers_end": 560 + 2002,
    # jp-facebook: 03-05 new − unfollows 20 − 5 = 15 (beats the net series 11 and the change of
    # totals 10), 03-06 net series 12 (beats the change of totals 20; no unfollows that day),
    # 03-07 change of totals 560 − 530 = 30, 03-04 unknown (no total on 03-03).
    # jp-youtube: net series 03-08..03-12 = 3 − 1 + 4 + 2 + 0 = 8.
    "net_follows": (15 + 12 + 30) + 8,
    # yt-1 (03-05) has no total on or before its day (the series starts 03-08): left out;
    # yt-2 (03-08): 10 / 1997 (rebuilt 2000 − 4 − (−1))
    "er_followers": 10 / 1997,
    "posts_per_week": 2 / 2,
    "host_audience_share": None,  # no follower geography here (see test_host_audience.py)
    # no decided language (see EMB_US)
    "host_language_share": None,
    "vietnamese_share": None,
    "english_share": None,
    "host_language_lift": None,
}

UNKNOWN = dict.fromkeys(KPI_NAMES)  # cg-vancouver: an account without any data


def assert_kpis(actual: dict, expected: dict) -> None:
    assert list(actual) == list(expected)
    for name, value in expected.items():
        if value is None:
            assert actual[name] is None, name
        elif KPIS[name].is_count:
            assert actual[name] == value and isinstance(actual[name], int), name
        else:
            assert actual[name] == pytest.approx(value, rel=1e-12), name


def test_key_names_and_order_are_fixed():
    assert KPI_NAMES == (
        "posts", "reactions", "comments", "shares", "interactions", "reach", "impressions",
        "video_views", "er_reach", "er_impressions", "followers_end", "net_follows",
        "er_followers", "posts_per_week", "host_audience_share", "host_language_share",
        "vietnamese_share", "english_share", "host_language_lift",
    )  # fmt: skip


def test_kpis_of_a_mission_with_posts_snapshots_and_follows(con):
    assert_kpis(kpis(con, "emb-us", *W), EMB_US)


def test_kpis_of_a_mission_with_rebuilt_followers_and_no_reach(con):
    assert_kpis(kpis(con, "emb-jp", *W), EMB_JP)


def test_a_mission_without_data_is_unknown_not_zero(con):
    assert_kpis(kpis(con, "cg-vancouver", *W), UNKNOWN)


def test_unknown_mission_raises(con):
    with pytest.raises(UnknownMission):
        kpis(con, "emb-zz", *W)


def test_posts_is_zero_when_the_accounts_have_post_data_but_none_in_the_window(con):
    result = kpis(con, "emb-us", date(2025, 4, 1), date(2025, 4, 7))
    assert result["posts"] == 0
    assert result["posts_per_week"] == 0.0
    # sums over zero posts have no known input: unknown
    assert result["reactions"] is None
    assert result["interactions"] is None
    assert result["er_reach"] is None
    assert result["followers_end"] == 1320  # last known totals, from March
    assert result["net_follows"] is None  # no day with a known change in April


def test_one_platform_of_a_mission(con):
    # jp-facebook alone: no post-level data at all, so posts is unknown, not 0
    expected = {**UNKNOWN, "followers_end": 560, "net_follows": 57}
    assert_kpis(kpis(con, "emb-jp", *W, platform="facebook"), expected)


def test_previous_window_has_equal_length_and_ends_the_day_before():
    assert previous_window(*W) == P
    assert previous_window(date(2025, 3, 1), date(2025, 3, 1)) == (
        date(2025, 2, 28),
        date(2025, 2, 28),
    )
    assert previous_window(date(2024, 3, 1), date(2024, 3, 31)) == (
        date(2024, 1, 30),
        date(2024, 2, 29),
    )


def test_kpis_of_the_previous_window(con):
    # fb-5 (02-20) 6/0/0/60/100 and x-8 (02-28 23:30 in New York) 7/0/0/–/200
    expected = {
        "posts": 2,
        "reactions": 13,
        "comments": 0,
        "shares": 0,
        "interactions": 13,
        "reach": 60,
        "impressions": 300,
        "video_views": None,
        "er_reach": 6 / 60,
        "er_impressions": 13 / 300,
        "followers_end": 1000,  # us-facebook 02-28; us-x-ambassador has none yet
        "net_follows": None,  # 02-28's change needs a total on 02-27
        "er_followers": None,  # neither post has a total on or before its day
        "posts_per_week": 1.0,
        "host_audience_share": None,  # no follower geography in this store
        **dict.fromkeys(
            ("host_language_share", "vietnamese_share", "english_share", "host_language_lift")
        ),  # no decided language (see EMB_US)
    }
    assert_kpis(kpis(con, "emb-us", *P), expected)


def test_compare_gives_current_previous_and_relative_change(con):
    frame = compare(con, Scope(*W, missions=("emb-us",)))
    row = frame.iloc[0]
    assert row["posts"] == 6 and row["posts_prev"] == 2
    assert row["posts_change"] == pytest.approx((6 - 2) / 2)
    assert row["interactions_change"] == pytest.approx((23 - 13) / 13)
    # like for like: the ambassador's total is unknown before, so Facebook's alone (1020/1000),
    # not (1320 − 1000) / 1000 (test_like_for_like.py has the rule's cases)
    assert row["followers_end_change"] == pytest.approx((1020 - 1000) / 1000)
    assert math.isnan(row["net_follows_change"])  # previous unknown
    assert math.isnan(row["video_views_change"])  # both unknown
    assert list(frame.columns[:4]) == ["accounts", "posts", "posts_prev", "posts_change"]
    assert len(frame.columns) == 1 + 8 * len(KPI_NAMES)


def test_compare_by_mission_keeps_groups(con):
    frame = compare(con, Scope(*W), by="mission").set_index("mission_id")
    assert frame.loc["emb-jp", "posts_prev"] == 0  # jp-youtube has post data, none in P
    assert math.isnan(frame.loc["emb-jp", "posts_change"])  # previous is 0
    assert math.isnan(frame.loc["cg-vancouver", "posts"])


def test_compare_change_of_a_negative_previous_uses_its_absolute_value(con):
    # jp-youtube net follows: 03-09 alone is −1; 03-10 alone is 4: (4 − (−1)) / |−1| = 5
    frame = compare(con, Scope(date(2025, 3, 10), date(2025, 3, 10), platforms=("youtube",)))
    assert frame.loc[0, "net_follows_prev"] == -1
    assert frame.loc[0, "net_follows_change"] == pytest.approx(5.0)


def test_network_sums_missions(con):
    row = compute(con, Scope(*W)).iloc[0]
    assert row["posts"] == 8
    assert row["interactions"] == 23 + 35
    assert row["reach"] == 200
    assert row["impressions"] == 880 + 4000
    assert row["video_views"] == 1500
    assert row["followers_end"] == 1320 + 2562
    assert row["net_follows"] == 11 + 65
    assert row["er_impressions"] == pytest.approx((23 + 25) / (880 + 4000))
    assert row["er_followers"] == pytest.approx(
        (13 / 1008 + 4 / 1020 + 0 + 6 / 300 + 10 / 1997) / 5
    )
    assert row["posts_per_week"] == 4.0


def test_filters_by_owner_and_region(con):
    mission_only = compute(con, Scope(*W, missions=("emb-us",), owners=("mission",))).iloc[0]
    assert mission_only["posts"] == 5  # x-7 is the ambassador's
    assert mission_only["followers_end"] == 1020
    ambassador = compute(con, Scope(*W, owners=("ambassador",))).iloc[0]
    assert ambassador["posts"] == 1 and ambassador["interactions"] == 6
    asia = compute(con, Scope(*W, regions=("asia_pacific",))).iloc[0]
    assert asia["posts"] == 2 and asia["followers_end"] == 2562


def test_compute_by_mission_equals_kpis_of_each_mission(con):
    """One definition, two call paths: the ranking's rows are the missions' own cards."""
    frame = compute(con, Scope(*W), by="mission")
    assert list(frame["mission_id"]) == ["cg-vancouver", "emb-jp", "emb-us"]
    for _, row in frame.iterrows():
        single = kpis(con, row["mission_id"], *W)
        for name in KPI_NAMES:
            if single[name] is None:
                assert pd.isna(row[name]), (row["mission_id"], name)
            else:
                assert row[name] == pytest.approx(single[name]), (row["mission_id"], name)


def test_compute_by_mission_platform_equals_kpis_with_platform(con):
    frame = compute(con, Scope(*W), by="mission_platform")
    assert list(zip(frame["mission_id"], frame["platform"], strict=True)) == [
        ("cg-vancouver", "facebook"),
        ("emb-jp", "facebook"),
        ("emb-jp", "youtube"),
        ("emb-us", "facebook"),
        ("emb-us", "x"),
    ]
    for _, row in frame.iterrows():
        single = kpis(con, row["mission_id"], *W, platform=row["platform"])
        for name in KPI_NAMES:
            assert (pd.isna(row[name]) and single[name] is None) or row[name] == pytest.approx(
                single[name]
            ), (row["mission_id"], row["platform"], name)


def test_mission_rows_carry_names_and_place(con):
    frame = compute(con, Scope(*W), by="mission").set_index("mission_id")
    assert frame.loc["emb-jp", "name_vi"] == "Đại sứ quán Việt Nam tại Nhật Bản"
    assert frame.loc["emb-jp", "country"] == "JP"
    assert frame.loc["cg-vancouver", "kind"] == "consulate"
    assert frame.loc["emb-us", "region"] == "americas"


def test_groupings_by_account_platform_owner(con):
    accounts = compute(con, Scope(*W), by="account").set_index("account_id")
    assert accounts.loc["us-x-ambassador", "posts"] == 1
    assert accounts.loc["us-x-ambassador", "owner"] == "ambassador"
    assert pd.isna(accounts.loc["jp-facebook", "posts"])
    assert accounts.loc["jp-facebook", "net_follows"] == 57
    platforms = compute(con, Scope(*W), by="platform").set_index("platform")
    assert platforms.loc["facebook", "posts"] == 5  # us-facebook only; jp/van have no posts
    assert platforms.loc["facebook", "followers_end"] == 1020 + 560
    owners = compute(con, Scope(*W), by="owner").set_index("owner")
    assert owners.loc["ambassador", "followers_end"] == 300
    assert owners.loc["mission", "posts"] == 7


def test_bad_by_is_refused(con):
    with pytest.raises(ValueError, match="by must be one of"):
        compute(con, Scope(*W), by="city")


def test_window_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        Scope(date(2025, 3, 2), date(2025, 3, 1))


def test_grouping_by_country_joins_missions_of_one_country(con):
    # one mission per country here: the country rows are the mission rows
    countries = compute(con, Scope(*W), by="country").set_index("country")
    missions = compute(con, Scope(*W), by="mission").set_index("country")
    assert list(countries.index) == ["CA", "JP", "US"]
    for name in KPI_NAMES:
        pd.testing.assert_series_equal(
            countries[name], missions[name], check_names=False, check_index=True
        )
