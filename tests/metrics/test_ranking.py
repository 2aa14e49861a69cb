"""Ranking of missions: best first, unknown last, every KPI alongside."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from metrics import KPI_NAMES, Scope, ranking

W = (date(2025, 3, 1), date(2025, 3, 14))


def test_ranking_by_interactions_puts_unknown_last(con):
    frame = ranking(con, "interactions", Scope(*W))
    assert list(frame.columns) == [
        "rank", "mission_id", "name_en", "name_vi", "region", "country", "kind", "value",
        *KPI_NAMES,
    ]  # fmt: skip
    assert list(frame["mission_id"]) == ["emb-jp", "emb-us", "cg-vancouver"]
    assert frame["value"].tolist()[:2] == [35, 23]
    assert pd.isna(frame["value"].iloc[2])
    assert frame["rank"].tolist()[:2] == [1, 2]
    assert pd.isna(frame["rank"].iloc[2])
    assert frame.loc[0, "name_vi"] == "Đại sứ quán Việt Nam tại Nhật Bản"
    assert (frame["interactions"].fillna(-1) == frame["value"].fillna(-1)).all()


def test_ranking_by_posts_and_by_a_ratio(con):
    by_posts = ranking(con, "posts", Scope(*W))
    assert list(by_posts["mission_id"]) == ["emb-us", "emb-jp", "cg-vancouver"]
    by_er = ranking(con, "er_followers", Scope(*W))
    # emb-us (13/1008 + 4/1020 + 0 + 6/300) / 4 ≈ 0.0092 ; emb-jp 10/1997 ≈ 0.0050
    assert list(by_er["mission_id"]) == ["emb-us", "emb-jp", "cg-vancouver"]
    assert by_er["value"].iloc[1] == pytest.approx(10 / 1997)


def test_ranking_within_one_platform(con):
    frame = ranking(con, "followers_end", Scope(*W, platforms=("facebook",)))
    # us-facebook 1020, jp-facebook 560, van-facebook unknown
    assert list(frame["mission_id"]) == ["emb-us", "emb-jp", "cg-vancouver"]
    assert frame["value"].tolist()[:2] == [1020, 560]


def test_ranking_of_an_unknown_kpi_is_refused(con):
    with pytest.raises(ValueError, match="unknown KPI"):
        ranking(con, "likes", Scope(*W))


def test_rank_of_a_computed_frame_is_the_ranking(con):
    from metrics import compute, rank

    by_mission = compute(con, Scope(*W), by="mission")
    ranked = rank(by_mission, "interactions")
    pd.testing.assert_frame_equal(ranked, ranking(con, "interactions", Scope(*W)))
    assert list(ranked["mission_id"]) == ["emb-jp", "emb-us", "cg-vancouver"]
    assert "value" not in by_mission.columns  # the computed frame is left as it was
