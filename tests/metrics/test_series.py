"""Charts and lists: timeseries, top posts, platform mix, accounts in scope, coverage."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from metrics import (
    Scope,
    accounts_in_scope,
    coverage,
    kpis,
    periods,
    platform_mix,
    timeseries,
    top_posts,
    trend_freq,
)
from metrics.series import flows

W = (date(2025, 3, 1), date(2025, 3, 14))


def points(frame: pd.DataFrame, column: str) -> list[tuple[str, str, float]]:
    return [
        (str(r.date.date()), getattr(r, column), r.value) for r in frame.itertuples(index=False)
    ]


def test_daily_interactions_add_up_to_the_kpi(con):
    frame = timeseries(con, Scope(*W, missions=("emb-us",)), "interactions", by="network")
    # fb-1 13 (03-02), fb-2 4 (03-10), fb-4 0 (03-13), x-7 6 (03-14); fb-0 (03-11) and fb-3
    # (03-12) have unknown interactions: no point
    assert points(frame, "network") == [
        ("2025-03-02", "network", 13),
        ("2025-03-10", "network", 4),
        ("2025-03-13", "network", 0),
        ("2025-03-14", "network", 6),
    ]
    assert frame["value"].sum() == kpis(con, "emb-us", *W)["interactions"]


def test_weekly_posts_start_on_monday_and_are_zero_filled(con):
    frame = timeseries(con, Scope(*W), "posts", by="network", freq="week")
    # 03-01 is a Saturday: its week starts on Monday 02-24
    assert points(frame, "network") == [
        ("2025-02-24", "network", 1),  # fb-1
        ("2025-03-03", "network", 2),  # yt-1, yt-2
        ("2025-03-10", "network", 5),  # fb-2, fb-0, fb-3, fb-4, x-7
    ]


def test_daily_posts_by_platform_only_for_platforms_with_post_data(con):
    frame = timeseries(con, Scope(*W, missions=("emb-jp",)), "posts", by="platform")
    assert set(frame["platform"]) == {"youtube"}  # jp-facebook has no post data
    assert len(frame) == 14
    assert frame.set_index("date")["value"].to_dict() == {
        pd.Timestamp(f"2025-03-{d:02d}"): (1.0 if d in (5, 8) else 0.0) for d in range(1, 15)
    }


def test_followers_are_carried_forward_only_within_known_days(con):
    frame = timeseries(con, Scope(*W, missions=("emb-jp",)), "followers", by="account_id")
    assert points(frame, "account_id") == [
        ("2025-03-04", "jp-facebook", 500),
        ("2025-03-05", "jp-facebook", 510),
        ("2025-03-06", "jp-facebook", 530),
        ("2025-03-07", "jp-facebook", 560),  # its last known day: not carried to 03-14
        ("2025-03-08", "jp-youtube", 1997),
        ("2025-03-09", "jp-youtube", 1996),
        ("2025-03-10", "jp-youtube", 2000),
        ("2025-03-11", "jp-youtube", 2002),
        ("2025-03-12", "jp-youtube", 2002),
    ]
    # us-facebook: 1000 (02-28) carried to 03-01 where 1008 is known, 1008 carried over 03-02,
    # then 1020 (03-03), its last known day
    us = timeseries(con, Scope(*W, missions=("emb-us",)), "followers", by="account")
    assert points(us[us["account_id"] == "us-facebook"], "account_id") == [
        ("2025-03-01", "us-facebook", 1008),
        ("2025-03-02", "us-facebook", 1008),
        ("2025-03-03", "us-facebook", 1020),
    ]


def test_monthly_followers_take_the_last_day_of_the_period(con):
    frame = timeseries(con, Scope(*W, missions=("emb-jp",)), "followers", "account_id", "month")
    assert points(frame, "account_id") == [
        ("2025-03-01", "jp-facebook", 560),
        ("2025-03-01", "jp-youtube", 2002),
    ]


def test_net_follows_by_mission_add_up_to_the_kpi(con):
    frame = timeseries(con, Scope(*W), "net_follows", by="mission", freq="month")
    assert points(frame, "mission_id") == [
        ("2025-03-01", "emb-jp", 65),
        ("2025-03-01", "emb-us", 11),
    ]


def test_bad_series_arguments_are_refused(con):
    with pytest.raises(ValueError, match="metric"):
        timeseries(con, Scope(*W), "likes")
    with pytest.raises(ValueError, match="freq"):
        timeseries(con, Scope(*W), "posts", freq="year")
    with pytest.raises(ValueError, match="by"):
        timeseries(con, Scope(*W), "posts", by="country")


def test_top_posts_by_interactions(con):
    frame = top_posts(con, Scope(*W), n=3)
    assert list(frame["post_id"]) == ["yt-1", "fb-1", "yt-2"]  # 25, 13, 10
    first = frame.iloc[1]
    assert first["account_id"] == "us-facebook" and first["mission_id"] == "emb-us"
    assert first["text"] == "text of fb-1" and first["permalink"] == "https://x.test/fb-1"
    assert first["published_local"] == pd.Timestamp("2025-03-02 10:00")
    assert first["er_reach"] == pytest.approx(13 / 200)
    assert pd.isna(frame.iloc[0]["er_reach"])  # YouTube: no reach
    assert list(frame.columns) == [
        "account_id", "mission_id", "platform", "owner", "post_id", "published_date",
        "published_local", "post_type", "text", "permalink", "reactions", "comments", "shares",
        "interactions", "reach", "impressions", "video_views", "er_reach",
    ]  # fmt: skip


def test_top_posts_by_reach_puts_unknown_last(con):
    frame = top_posts(con, Scope(*W, missions=("emb-us",)), n=10, order_by="reach")
    assert list(frame["post_id"])[:2] == ["fb-1", "fb-4"]  # 200, 0
    assert frame["reach"].iloc[2:].isna().all() and len(frame) == 6


def test_platform_mix(con):
    frame = platform_mix(con, Scope(*W)).set_index("platform")
    # facebook: us-facebook 13 + 4 + 0; x: 6; youtube: 25 + 10; total 58
    assert frame["interactions"].to_dict() == {"facebook": 17, "x": 6, "youtube": 35}
    assert frame["posts"].to_dict() == {"facebook": 5, "x": 1, "youtube": 2}
    assert frame["followers_end"].to_dict() == {"facebook": 1020 + 560, "x": 300, "youtube": 2002}
    assert frame.loc["youtube", "share_of_interactions"] == pytest.approx(35 / 58)


def test_accounts_in_scope(con):
    frame = accounts_in_scope(con, Scope(*W, missions=("emb-us",)))
    assert list(frame["account_id"]) == ["us-facebook", "us-x-ambassador"]
    assert list(frame["owner"]) == ["mission", "ambassador"]
    assert frame.loc[1, "handle"] == "VNAmbassadorUS"
    assert frame.loc[0, "name_vi"] == "Đại sứ quán Việt Nam tại Hoa Kỳ"


def test_coverage_per_account(con):
    frame = coverage(con).set_index("account_id")
    us = frame.loc["us-facebook"]
    assert us["posts"] == 7  # fb-0 .. fb-6
    assert us["first_post"] == pd.Timestamp("2025-02-20")
    assert us["last_post"] == pd.Timestamp("2025-03-15")
    assert us["snapshot_as_of"] == pd.Timestamp("2025-03-20")
    assert (us["daily_first"], us["daily_last"]) == (
        pd.Timestamp("2025-02-28"),
        pd.Timestamp("2025-03-03"),
    )
    assert us["daily_metrics"] == "followers,new_follows,unfollows"
    assert (us["follower_days_reported"], us["follower_days_rebuilt"]) == (2, 1)
    assert us["imports"] == 0  # rows were inserted by hand
    van = frame.loc["van-facebook"]
    assert van["posts"] == 0 and pd.isna(van["first_post"]) and pd.isna(van["daily_metrics"])
    assert frame.loc["jp-youtube", "follower_days_rebuilt"] == 4


def test_a_window_starting_on_a_wednesday_has_a_partial_first_week():
    # 2026-07-29 is a Wednesday: its week (Mon 07-27 .. Sun 08-02) has 5 days in the window;
    # the window ends on Wednesday 08-19, 3 days into the week of Monday 08-17.
    frame = periods(date(2026, 7, 29), date(2026, 8, 19), "week")
    assert [
        (str(r.date.date()), str(r.first.date()), str(r.last.date()), r.days, r.period_days)
        for r in frame.itertuples(index=False)
    ] == [
        ("2026-07-27", "2026-07-29", "2026-08-02", 5, 7),
        ("2026-08-03", "2026-08-03", "2026-08-09", 7, 7),
        ("2026-08-10", "2026-08-10", "2026-08-16", 7, 7),
        ("2026-08-17", "2026-08-17", "2026-08-19", 3, 7),
    ]
    assert all(d.weekday() == 0 for d in frame["date"])  # every period starts on a Monday
    assert frame["days"].sum() == 22  # 07-29 .. 08-19


def test_months_and_days_as_periods():
    months = periods(date(2024, 1, 31), date(2024, 3, 1), "month")
    assert list(zip(months["days"], months["period_days"], strict=True)) == [
        (1, 31),
        (29, 29),  # a leap February, whole
        (1, 31),
    ]
    days = periods(date(2026, 3, 1), date(2026, 3, 3), "day")
    assert list(days["days"]) == [1, 1, 1] and list(days["period_days"]) == [1, 1, 1]


def test_weekly_series_say_how_much_of_each_week_the_window_covers(con):
    frame = timeseries(con, Scope(*W), "posts", by="network", freq="week")
    # W = Sat 03-01 .. Fri 03-14: the week of 02-24 has 2 days in W (Sat, Sun), 03-03 all 7,
    # the week of 03-10 5 (Mon..Fri).
    assert list(zip(frame["days"], frame["period_days"], strict=True)) == [(2, 7), (7, 7), (5, 7)]
    daily = timeseries(con, Scope(*W), "posts", by="network")
    assert "days" not in daily.columns


def test_short_windows_are_charted_by_day():
    assert trend_freq(Scope(date(2026, 3, 1), date(2026, 3, 31))) == "day"  # 31 days
    assert trend_freq(Scope(date(2026, 3, 1), date(2026, 4, 1))) == "week"  # 32 days


def test_weekly_posts_of_a_window_starting_on_a_wednesday(con):
    # 2025-03-05 is a Wednesday: its week (Monday 03-03) has 5 days in the window (03-05..03-09),
    # the week of Monday 03-10 also 5 (to Friday 03-14).
    frame = timeseries(con, Scope(date(2025, 3, 5), date(2025, 3, 14)), "posts", "network", "week")
    assert [
        (str(r.date.date()), r.value, r.days, r.period_days) for r in frame.itertuples(index=False)
    ] == [
        ("2025-03-03", 2, 5, 7),  # yt-1 (03-05), yt-2 (03-08); not fb-1 (03-02, before it)
        ("2025-03-10", 5, 5, 7),  # fb-2, fb-0, fb-3, fb-4, x-7
    ]


@pytest.mark.parametrize("freq", ["day", "week"])
@pytest.mark.parametrize("by", ["account", "platform", "network"])
def test_flows_are_each_metric_s_timeseries_from_one_statement(con, by, freq):
    # interactions and reach (posts), net follows (account_days): the three in one frame, each
    # column exactly the series timeseries gives of it (its periods, its values).
    scope = Scope(*W)
    names = ("interactions", "reach", "net_follows")
    together = flows(con, scope, names, by=by, freq=freq)
    key = {"account": "account_id"}.get(by, by)
    for name in names:
        alone = timeseries(con, scope, name, by=by, freq=freq)
        mine = together.loc[together[name].notna()].rename(columns={name: "value"})
        mine = mine[alone.columns].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.reset_index(drop=True), check_dtype=False)
        assert len(alone) > 0
    assert not together[list(names)].isna().all(axis=1).any()
    assert key in together.columns


@pytest.mark.parametrize("freq", ["day", "week"])
def test_unordered_flows_are_the_same_rows(con, freq):
    # ordered=False (alerts place the rows themselves) leaves out the sort only: the same rows,
    # the same values and types, in any order.
    scope, names = Scope(*W), ("interactions", "reach", "net_follows")
    ordered = flows(con, scope, names, by="account", freq=freq)
    unordered = flows(con, scope, names, by="account", freq=freq, ordered=False)
    again = unordered.sort_values(["account_id", "date"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(again, ordered, check_exact=True)
    assert len(ordered) > 0


def test_flows_refuse_posts_and_unknown_metrics(con):
    with pytest.raises(ValueError, match="net_follows"):
        flows(con, Scope(*W), ("posts",))
    with pytest.raises(ValueError):
        flows(con, Scope(*W), ("likes",))
