"""Themes per mission and the ambassador beside the mission, on a store built by hand.

Registry: tests/fixtures/metrics/registry; emb-us has us-facebook (mission) and
us-x-ambassador (ambassador); emb-jp has no ambassador. Posts (local publish date, ISO week;
reactions/comments/shares of the latest snapshot; the themes the shipped themes.csv gives):

  us-facebook (mission)
  m0  2025-03-02 W09  "Hội An tourism"                         1/0/0   tourism   (before W)
  m1  2025-03-03 W10  "Chúc mừng năm mới! Vui đón TẾT cổ truyền" 10/2/1 = 13  national_days
  m2  2025-03-04 W10  "Trade & Investment forum with ASEAN partners" 20/0/0 = 20
                                                                   economy, multilateral
  m3  2025-03-11 W11  "Đêm văn hóa Việt Nam: áo dài"           all unknown  culture
  m4  2025-03-12 W11  "Tetanus vaccine campaign"               5/0/0 = 5  none (not the word tet)
  m5  2025-03-12 W11  no text                                  7/0/0 = 7  none
  m6  2025-03-17 W12  "Tết again"                              1/0/0     national_days (after W)
  us-x-ambassador (ambassador)
  a1  2025-03-05 W10  "Honoured to share: Tết celebration"     3/1/2 = 6  national_days
  a2  2025-03-06 W10  "Meeting students at the university"    4/0/0 = 4  education
  a3  2025-03-13 W11  "VĂN HOÁ night"                          1/0/0 = 1  culture
  a4  2025-03-14 W11  no text                                  2/0/0 = 2  none
  a5  2025-03-15 W11  "Good morning"                           0/0/0 = 0  none

Window W = 2025-03-03 (Monday, W10) .. 2025-03-16 (Sunday, W11).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from connectors.importer import rebuild_follower_totals
from data.registry import load_registry, upsert_registry
from data.store import Store
from data.themes import load_themes
from metrics import (
    UnknownMission,
    ambassador_summary,
    ambassador_themes,
    iso_week,
    theme_list,
    theme_summary,
)
from metrics.scope import Scope
from tests.metrics.conftest import REGISTRY, SHA
from tests.metrics.test_cli import run

W = (date(2025, 3, 3), date(2025, 3, 16))
N = None
# account, post, local date, text, reactions, comments, shares
POSTS = [
    ("us-facebook", "m0", date(2025, 3, 2), "Hội An tourism", 1, 0, 0),
    ("us-facebook", "m1", date(2025, 3, 3), "Chúc mừng năm mới! Vui đón TẾT cổ truyền", 10, 2, 1),
    (
        "us-facebook",
        "m2",
        date(2025, 3, 4),
        "Trade & Investment forum with ASEAN partners",
        20,
        0,
        0,
    ),
    ("us-facebook", "m3", date(2025, 3, 11), "Đêm văn hóa Việt Nam: áo dài", N, N, N),
    ("us-facebook", "m4", date(2025, 3, 12), "Tetanus vaccine campaign", 5, 0, 0),
    ("us-facebook", "m5", date(2025, 3, 12), None, 7, 0, 0),
    ("us-facebook", "m6", date(2025, 3, 17), "Tết again", 1, 0, 0),
    ("us-x-ambassador", "a1", date(2025, 3, 5), "Honoured to share: Tết celebration", 3, 1, 2),
    ("us-x-ambassador", "a2", date(2025, 3, 6), "Meeting students at the university", 4, 0, 0),
    ("us-x-ambassador", "a3", date(2025, 3, 13), "VĂN HOÁ night", 1, 0, 0),
    ("us-x-ambassador", "a4", date(2025, 3, 14), None, 2, 0, 0),
    ("us-x-ambassador", "a5", date(2025, 3, 15), "Good morning", 0, 0, 0),
]
# followers: us-facebook 1000 on 03-01 and 1100 on 03-16; the ambassador 300 on 03-10
FOLLOWERS = [
    ("us-facebook", date(2025, 3, 1), 1000),
    ("us-facebook", date(2025, 3, 16), 1100),
    ("us-x-ambassador", date(2025, 3, 10), 300),
]


@pytest.fixture
def theme_store(store: Store) -> Store:
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
        for account, post, day, text, reactions, comments, shares in POSTS:
            cur.execute(
                "INSERT INTO posts (account_id, post_id, published_utc, published_local, published_date, "
                "post_type, text, permalink, as_of, sha256) "
                "VALUES (?, ?, NULL, NULL, ?, 'Photo', ?, NULL, DATE '2025-03-31', ?)",
                [account, post, day, text, SHA],
            )
            cur.execute(
                "INSERT INTO post_metrics (account_id, post_id, as_of, reactions, comments, "
                "shares, sha256) VALUES (?, ?, DATE '2025-03-31', ?, ?, ?, ?)",
                [account, post, reactions, comments, shares, SHA],
            )
        for account, day, value in FOLLOWERS:
            cur.execute(
                "INSERT INTO account_daily VALUES (?, ?, 'followers', ?, DATE '2025-03-31', ?)",
                [account, day, value, SHA],
            )
        rebuild_follower_totals(cur, ["us-facebook", "us-x-ambassador"])
    return store


@pytest.fixture
def con(theme_store: Store):
    with theme_store.read() as cur:
        yield cur


def test_themes_of_a_mission_both_owners(con):
    rows = {row["theme"]: row for row in theme_list(con, "emb-us", *W)}
    assert list(rows) == list(load_themes().themes)  # every theme, in the file's order
    # Posts in W: m1..m5, a1..a5 (m0 before, m6 after).
    # culture: m3 (unknown) and a3 (1): 2 posts, 1 interaction, per post 1 / 1 known = 1.0
    assert rows["culture"] == {
        "theme": "culture",
        "posts": 2,
        "interactions": 1,
        "interactions_per_post": 1.0,
    }
    # economy and multilateral: m2 alone (20); one post, two themes
    for theme in ("economy", "multilateral"):
        assert (rows[theme]["posts"], rows[theme]["interactions"]) == (1, 20)
        assert rows[theme]["interactions_per_post"] == 20.0
    # national_days: m1 (13) and a1 (6): 19, 9.5 a post
    assert (rows["national_days"]["posts"], rows["national_days"]["interactions"]) == (2, 19)
    assert rows["national_days"]["interactions_per_post"] == 9.5
    # education: a2 (4)
    assert (rows["education"]["posts"], rows["education"]["interactions"]) == (1, 4)
    # tourism: m0 is before the window; no post: 0 posts, 0 interactions, per post unknown
    assert rows["tourism"] == {
        "theme": "tourism",
        "posts": 0,
        "interactions": 0,
        "interactions_per_post": None,
    }
    assert rows["visits"]["posts"] == rows["consular"]["posts"] == 0  # "Meeting students": no


def test_themes_of_the_mission_accounts_only_keep_unknown_apart(con):
    frame = theme_summary(con, Scope(*W, missions=("emb-us",), owners=("mission",)))
    assert list(frame.columns) == [
        "theme",
        "posts",
        "share_of_posts",
        "interactions",
        "posts_with_interactions",
        "interactions_per_post",
    ]
    themes = frame.set_index("theme")
    culture = themes.loc["culture"]
    # m3 alone, whose interactions are all unknown: 1 post, interactions unknown (not 0)
    assert (culture["posts"], culture["posts_with_interactions"]) == (1, 0)
    assert culture[["interactions", "interactions_per_post"]].isna().all()
    # The mission's posts in W with text: m1, m2, m3, m4 (m5 has none) = 4.
    # economy: m2 = 1 / 4; national_days: m1 = 1 / 4; culture 1 / 4; tourism 0 / 4.
    assert themes.loc["economy", "share_of_posts"] == 0.25
    assert themes.loc["multilateral", "share_of_posts"] == 0.25  # m2 is in both
    assert themes.loc["tourism", "share_of_posts"] == 0.0
    empty = theme_summary(con, Scope(date(2020, 1, 1), date(2020, 1, 31), missions=("emb-us",)))
    assert (empty["posts"] == 0).all() and empty["share_of_posts"].isna().all()


def test_iso_weeks():
    assert iso_week(date(2025, 3, 2)) == "2025-W09"  # a Sunday
    assert iso_week(date(2025, 3, 3)) == "2025-W10"  # the Monday after
    assert iso_week(date(2024, 12, 30)) == "2025-W01"  # the week of the year's first Thursday


def test_ambassador_beside_the_mission(con):
    result = ambassador_summary(con, "emb-us", *W)
    assert result["has_ambassador"] is True
    # Ambassador posts in W: a1..a5; with text: a1, a2, a3, a5 (a4 has none) = 4.
    # W10 mission themes: m1 national_days, m2 economy + multilateral.
    #   a1 national_days: shared; a2 education: not.
    # W11 mission themes: m3 culture (m4, m5 none).  a3 culture: shared; a5 none: not.
    # share = 2 / 4 = 0.5
    assert result["shared_theme"] == {"posts": 5, "with_text": 4, "sharing": 2, "share": 0.5}
    assert result["weeks"] == [
        {
            "week": "2025-W10",
            "mission_themes": ["economy", "multilateral", "national_days"],
            "ambassador_posts": 2,
            "sharing": 1,
        },
        {"week": "2025-W11", "mission_themes": ["culture"], "ambassador_posts": 3, "sharing": 1},
    ]
    # The KPIs by owner: mission posts m1..m5 = 5, interactions 13 + 20 + 5 + 7 = 45 (m3
    # unknown), followers at the end 1100; ambassador 5 posts, 6 + 4 + 1 + 2 + 0 = 13, 300.
    assert result["owners"] == {
        "mission": {"followers_end": 1100, "posts": 5, "interactions": 45},
        "ambassador": {"followers_end": 300, "posts": 5, "interactions": 13},
    }
    themes = {row["theme"]: row for row in result["themes"]}
    assert themes["national_days"] == {
        "theme": "national_days",
        "mission_posts": 1,
        "mission_interactions_per_post": 13.0,
        "ambassador_posts": 1,
        "ambassador_interactions_per_post": 6.0,
    }


def test_the_mission_posts_of_the_whole_week_count(con):
    # Window Wednesday 03-05 .. Wednesday 03-12: ambassador posts a1, a2 (both W10).
    # The mission's W10 posts m1 (Monday 03-03) and m2 (Tuesday 03-04) are before the window
    # but in the same ISO week: a1 (national_days) shares m1's theme. 1 of 2 = 0.5.
    # (Counting only the window's mission posts would give 0 of 2.)
    result = ambassador_summary(con, "emb-us", date(2025, 3, 5), date(2025, 3, 12))
    assert result["shared_theme"] == {"posts": 2, "with_text": 2, "sharing": 1, "share": 0.5}


def test_a_mission_without_ambassador(con):
    result = ambassador_summary(con, "emb-jp", *W)
    assert result["has_ambassador"] is False
    assert result["owners"]["ambassador"] is None
    assert result["shared_theme"] == {"posts": 0, "with_text": 0, "sharing": 0, "share": None}
    with pytest.raises(UnknownMission):
        ambassador_summary(con, "emb-xx", *W)
    with pytest.raises(UnknownMission):
        theme_list(con, "emb-xx", *W)


def test_cli_themes_json(theme_store):
    done = run("themes", "--mission", "emb-us", "--start", "2025-03-03", "--end", "2025-03-16",
               "--db", str(theme_store.path), "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data[0] == {"theme": "culture", "posts": 2, "interactions": 1,
                       "interactions_per_post": 1.0}  # fmt: skip
    assert '"posts": 2, "interactions": 1,' in done.stdout  # counts are integers
    assert {row["theme"]: row["posts"] for row in data}["national_days"] == 2


def test_cli_themes_table_in_vietnamese(theme_store):
    done = run("themes", "--mission", "emb-us", "--start", "2025-03-03", "--end", "2025-03-16",
               "--db", str(theme_store.path), lang="vi")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Ngày lễ quốc gia và Tết" in done.stdout
    line = next(x for x in done.stdout.splitlines() if "Ngày lễ quốc gia và Tết" in x)
    assert line.split()[-3:] == ["2", "19", "9,5"]


def test_cli_ambassador_json(theme_store):
    done = run("ambassador", "--mission", "emb-us", "--start", "2025-03-03", "--end",
               "2025-03-16", "--db", str(theme_store.path), "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["shared_theme"] == {"posts": 5, "with_text": 4, "sharing": 2, "share": 0.5}
    assert data["owners"]["ambassador"] == {"followers_end": 300, "posts": 5, "interactions": 13}


def test_cli_unknown_mission_and_bad_window(theme_store):
    done = run("themes", "--mission", "emb-xx", "--start", "2025-03-03", "--end", "2025-03-16",
               "--db", str(theme_store.path), "--json")  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    done = run("ambassador", "--mission", "emb-us", "--start", "2025-03-16", "--end",
               "2025-03-03", "--db", str(theme_store.path))  # fmt: skip
    assert done.returncode == 2


def test_cli_ambassador_table_in_vietnamese(theme_store):
    done = run("ambassador", "--mission", "emb-us", "--start", "2025-03-03", "--end",
               "2025-03-16", "--db", str(theme_store.path), lang="vi")  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Đại sứ và cơ quan đại diện emb-us, từ 03/03/2025 đến 16/03/2025"
    followers = next(x for x in lines if x.strip().startswith("Người theo dõi (cuối kỳ)"))
    assert followers.split()[-2:] == ["1.100", "300"]
    assert lines[-1].strip() == (
        "Bài của Đại sứ có chung chủ đề với bài của cơ quan đại diện trong cùng tuần: 50,0% "
        "(2 trên 4 bài có nội dung; tổng cộng 5 bài)"
    )


def test_cli_refuses_a_bad_themes_file_in_one_line(theme_store, tmp_path, monkeypatch, capsys):
    # The registry folder of DIPLOPULSE_REGISTRY, as the dashboard reads it.
    from metrics.__main__ import main

    bad = tmp_path / "themes.csv"
    bad.write_text("theme,language,pattern\nculture,vi,văn hóa\nculture,vi,\n", encoding="utf-8")
    monkeypatch.setenv("DIPLOPULSE_REGISTRY", str(tmp_path))
    monkeypatch.setenv("DIPLOPULSE_LANG", "vi")
    args = ["themes", "--mission", "emb-us", "--start", "2025-03-03", "--end", "2025-03-16"]
    assert main([*args, "--db", str(theme_store.path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f'{bad}, dòng 3: mẫu "" không có chữ cái hay chữ số nào. Hãy viết một từ khóa, một '
        "#hashtag hoặc một cụm từ, hoặc xóa dòng này.\n"
    )


def test_the_mission_page_s_theme_part_is_the_summary_without_owners(con):
    # The Mission page reads ambassador_themes (its owner split has followers, posts and
    # interactions per owner): the same values as ambassador_summary, less "owners".
    for mission in ("emb-us", "emb-jp"):
        summary = ambassador_summary(con, mission, *W)
        themes = ambassador_themes(con, mission, *W)
        assert "owners" not in themes
        assert themes == {k: v for k, v in summary.items() if k != "owners"}
    with pytest.raises(UnknownMission):
        ambassador_themes(con, "emb-xx", *W)
