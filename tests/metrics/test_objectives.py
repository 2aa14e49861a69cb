"""Objectives: progress and on-track pinned by hand on the store of conftest.py, the CLI's JSON,
and the refusal of bad rows of objectives.csv (one line, file and row named, both languages).

emb-jp's KPIs over W = 2025-03-01 .. 2025-03-14 (hand-worked in test_kpis.py): posts 2
(yt-1 03-05, yt-2 03-08), net_follows 65, posts_per_week 1.0, er_impressions 25 / 4000 =
0.00625, followers_end 2562 (jp-youtube 2002 + jp-facebook 560).
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from data.objectives import (
    COLUMNS,
    Objective,
    ObjectivesError,
    check_rows,
    load_objectives,
    objectives_file,
    parse_target,
    write_objectives,
)
from metrics import KPIS, objective_reading, off_track, progress, read_objectives
from metrics.objectives import expected_value, kpi_units, on_track_for
from tests.metrics.test_cli import run as _cli

ON = date(2025, 3, 14)
D = date


def test_how_each_kind_of_kpi_target_is_read():
    assert objective_reading(KPIS["posts"]) == "sum"
    assert objective_reading(KPIS["net_follows"]) == "sum"
    assert objective_reading(KPIS["interactions"]) == "sum"
    assert objective_reading(KPIS["followers_end"]) == "stock"
    assert objective_reading(KPIS["posts_per_week"]) == "level"
    assert objective_reading(KPIS["er_reach"]) == "level"


def test_straight_line_arithmetic():
    # +5,000 follows over 2026 (365 days), on 2026-04-10 (day 100): 5000 × 100 / 365
    assert expected_value("sum", 5000, 100, 365) == pytest.approx(1369.863, abs=1e-3)
    # a level is expected at its target every day
    assert expected_value("level", 0.4, 1, 184) == 0.4
    # a stock from 40,000 to 50,000 over 100 days, on day 25: 40000 + 10000 × 25 / 100
    assert expected_value("stock", 50_000, 25, 100, baseline=40_000) == 42_500
    assert expected_value("stock", 50_000, 25, 100, baseline=None) is None
    # after the end the expectation is the target itself
    assert expected_value("sum", 5000, 400, 365) == 5000
    assert on_track_for(1200, 1369.86, higher_is_better=True) is False
    assert on_track_for(1400, 1369.86, higher_is_better=True) is True
    assert on_track_for(5, 4, higher_is_better=False) is False
    assert on_track_for(None, 4, higher_is_better=True) is None


def _rows(frame):
    return {row["kpi"] + "@" + row["start"].isoformat(): row for row in frame.to_dict("records")}


def test_progress_on_the_hand_built_store(con):
    objectives = (
        # sum: 03-01..03-28 (28 days), on 03-14 = day 14: expected 8 × 14 / 28 = 4; actual 2
        Objective("emb-jp", "posts", D(2025, 3, 1), D(2025, 3, 28), 8),
        # sum: expected 100 × 14 / 28 = 50; actual 65 → on track, progress 0.65
        Objective("emb-jp", "net_follows", D(2025, 3, 1), D(2025, 3, 28), 100),
        # level: 1.0 post a week held; actual 2 / (14 / 7) = 1.0 ≥ 1.0 → on track
        Objective("emb-jp", "posts_per_week", D(2025, 3, 1), D(2025, 3, 28), 1),
        # level (ratio): 25 / 4000 = 0.00625 against 1 % → progress 0.625, off track
        Objective("emb-jp", "er_impressions", D(2025, 3, 1), D(2025, 3, 28), 0.01),
        # stock: 03-09..03-28 (20 days); baseline = followers_end on 03-08 = jp-youtube 1997
        # (rebuilt) + jp-facebook 560 (03-07) = 2557; on 03-14 = day 6:
        # expected 2557 + (2657 − 2557) × 6 / 20 = 2587; actual 2562 → off track;
        # progress 2562 / 2657
        Objective("emb-jp", "followers_end", D(2025, 3, 9), D(2025, 3, 28), 2657),
        # stock without a baseline (no total on or before 02-28): on_track unknown
        Objective("emb-jp", "followers_end", D(2025, 3, 1), D(2025, 3, 28), 3000),
        # not started on 03-14
        Objective("emb-jp", "posts", D(2025, 4, 1), D(2025, 4, 30), 10),
    )
    rows = _rows(progress(con, objectives, ON))
    posts = rows["posts@2025-03-01"]
    assert (posts["actual"], posts["expected"], posts["progress"], posts["on_track"]) == (
        2,
        4,
        0.25,
        False,
    )
    assert (posts["elapsed_days"], posts["period_days"], posts["status"]) == (14, 28, "running")
    assert posts["as_of"] == ON and posts["reading"] == "sum"
    follows = rows["net_follows@2025-03-01"]
    assert (follows["actual"], follows["expected"], follows["on_track"]) == (65, 50, True)
    assert follows["progress"] == pytest.approx(0.65)
    rate = rows["posts_per_week@2025-03-01"]
    assert (rate["actual"], rate["expected"], rate["progress"], rate["on_track"]) == (
        1.0,
        1.0,
        1.0,
        True,
    )
    ratio = rows["er_impressions@2025-03-01"]
    assert ratio["actual"] == pytest.approx(0.00625)
    assert ratio["progress"] == pytest.approx(0.625)
    assert ratio["on_track"] is False
    stock = rows["followers_end@2025-03-09"]
    assert (stock["baseline"], stock["actual"], stock["expected"], stock["on_track"]) == (
        2557,
        2562,
        2587,
        False,
    )
    assert stock["progress"] == pytest.approx(2562 / 2657)
    blind = rows["followers_end@2025-03-01"]
    # unknown is NaN in the frame (null in the CLI's JSON)
    assert pd.isna(blind["baseline"]) and pd.isna(blind["expected"])
    assert blind["actual"] == 2562 and blind["on_track"] is None
    later = rows["posts@2025-04-01"]
    assert later["status"] == "not_started"
    assert pd.isna(later["actual"]) and pd.isna(later["progress"]) and later["on_track"] is None


def test_an_ended_objective_is_judged_on_its_whole_period(con):
    # 03-01..03-14, measured on 04-30: as_of 03-14, expected = the target 2; actual 2 → met
    (row,) = progress(
        con, (Objective("emb-jp", "posts", D(2025, 3, 1), D(2025, 3, 14), 2),), D(2025, 4, 30)
    ).to_dict("records")
    assert (row["status"], row["as_of"], row["expected"], row["on_track"]) == (
        "ended",
        D(2025, 3, 14),
        2,
        True,
    )


def test_off_track_lists_only_running_objectives_known_to_be_behind(con):
    objectives = (
        Objective("emb-jp", "posts", D(2025, 3, 1), D(2025, 3, 28), 8),  # off (2 < 4)
        Objective("emb-jp", "net_follows", D(2025, 3, 1), D(2025, 3, 28), 100),  # on
        Objective("emb-jp", "followers_end", D(2025, 3, 1), D(2025, 3, 28), 3000),  # unknown
        Objective("cg-vancouver", "posts", D(2025, 3, 1), D(2025, 3, 28), 8),  # no data
        Objective("emb-jp", "posts", D(2025, 3, 1), D(2025, 3, 7), 5),  # ended (1 < 5): missed
    )
    frame = off_track(con, objectives, ON)
    assert list(zip(frame["mission_id"], frame["kpi"], frame["end"], strict=True)) == [
        ("emb-jp", "posts", D(2025, 3, 28))
    ]
    assert frame.loc[0, "name_vi"] == "Đại sứ quán Việt Nam tại Nhật Bản"


# -- the file ----------------------------------------------------------------------------------

UNITS = {"posts": "count", "net_follows": "count", "er_reach": "ratio", "posts_per_week": "rate"}
MISSIONS = {"emb-jp", "emb-us"}


def _row(mission="emb-jp", kpi="posts", start="2025-03-01", end="2025-03-31", target="10"):
    return dict(zip(COLUMNS, (mission, kpi, start, end, target), strict=True))


def test_targets_as_analysts_type_them():
    assert parse_target("40%", "ratio") == pytest.approx(0.4)
    assert parse_target("40 %", "ratio") == pytest.approx(0.4)
    assert parse_target("0.4", "ratio") == 0.4
    assert parse_target("+5000", "count") == 5000
    assert parse_target("2.5", "rate") == 2.5
    assert parse_target("5000%", "count") is None  # % only for ratios
    assert parse_target("5,000", "count") is None
    assert parse_target("abc", "count") is None
    rows = [
        _row(kpi="er_reach", target="40%"),
        _row(kpi="net_follows", target="+5000"),
        _row(kpi="posts_per_week", target="3"),
    ]
    assert [o.target for o in check_rows(rows, UNITS, MISSIONS)] == pytest.approx([0.4, 5000, 3])


@pytest.mark.parametrize(
    ("row", "en", "vi"),
    [
        (
            _row(mission="emb-xx"),
            'objectives.csv, row 3: unknown mission "emb-xx". Use a mission_id from missions.csv',
            'objectives.csv, dòng 3: không có cơ quan đại diện "emb-xx". Dùng một mission_id',
        ),
        (
            _row(kpi="likes"),
            'objectives.csv, row 3: unknown KPI "likes". Use one of: er_reach, net_follows, '
            "posts, posts_per_week.",
            'objectives.csv, dòng 3: không có chỉ số "likes". Dùng một trong các chỉ số: '
            "er_reach, net_follows, posts, posts_per_week.",
        ),
        (
            _row(end="31/03/2025"),
            'objectives.csv, row 3: end "31/03/2025" is not a date. Write the date as YYYY-MM-DD',
            'objectives.csv, dòng 3: end "31/03/2025" không phải là ngày. Viết ngày theo dạng',
        ),
        (
            _row(start="2025-04-01"),
            "objectives.csv, row 3: the period ends (2025-03-31) before it starts (2025-04-01). "
            "Swap start and end.",
            "objectives.csv, dòng 3: kỳ kết thúc (2025-03-31) trước khi bắt đầu (2025-04-01). "
            "Đổi chỗ ngày bắt đầu và ngày kết thúc.",
        ),
        (
            _row(target="0"),
            'objectives.csv, row 3: target "0" is not a number greater than 0 for posts.',
            'objectives.csv, dòng 3: mục tiêu "0" của posts không phải là một số lớn hơn 0.',
        ),
        (
            _row(kpi="net_follows", target="5.000"),
            'objectives.csv, row 3: target "5.000" for net_follows (a count) is not a whole '
            "number.",
            'objectives.csv, dòng 3: mục tiêu "5.000" của net_follows (một số đếm) không phải '
            "là số nguyên.",
        ),
        (
            _row(kpi="er_reach", target="40"),
            'objectives.csv, row 3: target "40" for er_reach (a ratio) would mean more than '
            "100 %. Write a ratio as a fraction (0.4) or as a percentage with % (40%).",
            'objectives.csv, dòng 3: mục tiêu "40" của er_reach (một tỷ lệ) sẽ có nghĩa là hơn',
        ),
        (
            _row(),  # the same as row 2
            "objectives.csv, row 3: the same mission, KPI and period as row 2 (posts). Keep one "
            "of the two rows.",
            "objectives.csv, dòng 3: trùng cơ quan, chỉ số và kỳ với dòng 2 (posts). Chỉ giữ "
            "lại một trong hai dòng.",
        ),
    ],
)
def test_a_bad_row_is_refused_with_one_line_in_both_languages(row, en, vi):
    with pytest.raises(ObjectivesError) as refused:
        check_rows([_row(), row], UNITS, MISSIONS)
    assert refused.value.row == 3
    for lang, expected in (("en", en), ("vi", vi)):
        line = refused.value.message(lang)
        assert "\n" not in line
        assert line.startswith(expected), line
    assert str(refused.value) == refused.value.message("en")


def test_the_file_header_and_cells_are_checked(tmp_path):
    path = objectives_file(tmp_path)
    assert load_objectives(path, UNITS, MISSIONS) == []  # no file: no objectives
    path.write_text("mission,kpi,start,end,target\n", encoding="utf-8")
    with pytest.raises(ObjectivesError) as refused:
        load_objectives(path, UNITS, MISSIONS)
    assert refused.value.message("en") == (
        f"{path}, row 1: the first row must be exactly mission_id,kpi,start,end,target. "
        "Fix the header row (the column names, in that order) and save again."
    )
    path.write_text(
        "mission_id,kpi,start,end,target\n\nemb-jp,posts,2025-03-01,2025-03-31\n",
        encoding="utf-8",
    )
    with pytest.raises(ObjectivesError) as refused:
        load_objectives(path, UNITS, MISSIONS)
    assert refused.value.row == 3  # the blank line 2 still counts: the row is the file's
    assert "4 cells instead of 5" in refused.value.message("en")
    assert "có 4 ô thay vì 5" in refused.value.message("vi")


def test_writing_checks_first_and_replaces_the_file_whole(tmp_path):
    path = objectives_file(tmp_path)
    path.write_text("mission_id,kpi,start,end,target\nemb-jp,posts,2025-03-01,2025-03-31,10\n")
    before = path.read_bytes()
    with pytest.raises(ObjectivesError):
        write_objectives(path, [_row(), _row(kpi="likes")], UNITS, MISSIONS)
    assert path.read_bytes() == before  # refused: untouched
    written = write_objectives(
        path, [_row(kpi="er_reach", target="40%"), dict.fromkeys(COLUMNS, "")], UNITS, MISSIONS
    )
    assert [o.target for o in written] == [0.4]
    # the blank row is dropped, the cells are kept as typed, no temporary file is left
    assert path.read_text(encoding="utf-8") == (
        "mission_id,kpi,start,end,target\nemb-jp,er_reach,2025-03-01,2025-03-31,40%\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["objectives.csv"]


def test_read_objectives_checks_against_the_registered_kpis_and_the_stores_missions(con, tmp_path):
    path = objectives_file(tmp_path)
    path.write_text(
        "mission_id,kpi,start,end,target\nemb-jp,posts,2025-03-01,2025-03-28,8\n"
        "emb-zz,posts,2025-03-01,2025-03-28,8\n",
        encoding="utf-8",
    )
    with pytest.raises(ObjectivesError, match='row 3: unknown mission "emb-zz"'):
        read_objectives(con, path)
    assert set(kpi_units()) == set(KPIS)


# -- the command line --------------------------------------------------------------------------


def test_objectives_json(kpi_store, tmp_path):
    objectives_file(tmp_path).write_text(
        "mission_id,kpi,start,end,target\n"
        "emb-jp,posts,2025-03-01,2025-03-28,8\n"
        "emb-jp,net_follows,2025-03-01,2025-03-28,+100\n"
        "emb-us,posts,2025-03-01,2025-03-28,8\n"
        "emb-jp,followers_end,2025-03-01,2025-03-28,3000\n",
        encoding="utf-8",
    )
    common = ["--db", str(kpi_store.path), "--registry", str(tmp_path)]
    done = _cli("objectives", "--mission", "emb-jp", "--on", "2025-03-14", *common, "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    # as in test_progress_on_the_hand_built_store; emb-us's row is not emb-jp's
    assert [
        {k: r[k] for k in ("kpi", "actual", "target", "progress", "on_track", "expected")}
        for r in rows
    ] == [
        {
            "kpi": "posts",
            "actual": 2.0,
            "target": 8.0,
            "progress": 0.25,
            "on_track": False,
            "expected": 4.0,
        },
        {
            "kpi": "net_follows",
            "actual": 65.0,
            "target": 100.0,
            "progress": 0.65,
            "on_track": True,
            "expected": 50.0,
        },
        {
            "kpi": "followers_end",
            "actual": 2562.0,
            "target": 3000.0,
            "progress": 2562 / 3000,
            "on_track": None,
            "expected": None,
        },
    ]
    assert rows[0]["start"] == "2025-03-01" and rows[0]["as_of"] == "2025-03-14"
    # a bad file: exit 2, its one line in the user's language
    objectives_file(tmp_path).write_text(
        "mission_id,kpi,start,end,target\nemb-jp,likes,2025-03-01,2025-03-28,8\n",
        encoding="utf-8",
    )
    done = _cli("objectives", "--mission", "emb-jp", *common, "--json", lang="vi")
    assert done.returncode == 2
    assert done.stdout == ""
    assert f'{objectives_file(tmp_path)}, dòng 2: không có chỉ số "likes"' in done.stderr
    assert done.stderr.count("\n") == 1
    done = _cli("objectives", "--mission", "emb-zz", *common, "--json")
    assert done.returncode == 2 and 'unknown mission "emb-zz"' in done.stderr
