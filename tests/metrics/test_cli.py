"""`python -m metrics` as a user runs it: a subprocess on a database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from metrics import KPI_NAMES

ROOT = Path(__file__).resolve().parents[2]
WINDOW = ["--start", "2025-03-01", "--end", "2025-03-14"]


def run(*args: str, lang: str = "en", tz: str | None = None) -> subprocess.CompletedProcess:
    """`python -m metrics ARGS` in a fresh process, in `lang`, the clock's zone `tz` when given
    (the other test modules' CLI tests call it too)."""
    env = {**os.environ, "DIPLOPULSE_LANG": lang}
    env.pop("DIPLOPULSE_DB", None)
    if tz:
        env["TZ"] = tz
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def db(kpi_store) -> str:
    return str(kpi_store.path)


def test_kpis_json_has_exactly_the_keys_in_order(db):
    done = run("kpis", "--mission", "emb-jp", *WINDOW, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    data = json.loads(done.stdout)
    assert list(data) == list(KPI_NAMES)
    # hand-worked in test_kpis.py (EMB_JP)
    assert data == {
        "posts": 2,
        "reactions": 30,
        "comments": 5,
        "shares": None,
        "interactions": 35,
        "reach": None,
        "impressions": 4000,
        "video_views": 1500,
        "er_reach": None,
        "er_impressions": 0.00625,
        "followers_end": 2562,
        "net_follows": 65,
        "er_followers": pytest.approx(10 / 1997),
        "posts_per_week": 1.0,
        "host_audience_share": None,  # no follower geography in this store
        # no post of this hand-made store has a decided language (test_kpis.py, EMB_US)
        "host_language_share": None,
        "vietnamese_share": None,
        "english_share": None,
        "host_language_lift": None,
    }
    assert '"posts": 2,' in done.stdout  # counts are integers, not 2.0


def test_kpis_json_for_one_platform(db):
    done = run("kpis", "--mission", "emb-us", "--platform", "x", *WINDOW, "--db", db, "--json")
    data = json.loads(done.stdout)
    assert (data["posts"], data["interactions"], data["followers_end"]) == (1, 6, 300)


def test_kpis_table_in_vietnamese(db):
    done = run("kpis", "--mission", "emb-us", *WINDOW, "--db", db, lang="vi")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert (
        lines[0]
        == "Đại sứ quán Việt Nam tại Hoa Kỳ (emb-us), mọi nền tảng, từ 01/03/2025 đến 14/03/2025"
    )
    table = {line.rsplit(None, 1)[0].strip(): line.rsplit(None, 1)[1] for line in lines[1:]}
    assert table["Bài đăng"] == "6"
    assert table["Người theo dõi (cuối kỳ)"] == "1.320"
    assert table["Tỷ lệ tương tác (tiếp cận)"] == "6,50%"  # 13 / 200
    assert table["Lượt xem video"] == "–"
    assert table["Bài đăng mỗi tuần"] == "3,0"
    assert len(lines) == 1 + len(KPI_NAMES)


def test_unknown_mission_is_one_line_and_exit_2(db):
    done = run("kpis", "--mission", "emb-zz", *WINDOW, "--db", db, "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().count("\n") == 0
    assert "emb-zz" in done.stderr and "missions.csv" in done.stderr


def test_window_ending_before_it_starts_is_exit_2(db):
    done = run("kpis", "--mission", "emb-us", "--start", "2025-03-14", "--end", "2025-03-01",
               "--db", db)  # fmt: skip
    assert done.returncode == 2
    assert "before it starts" in done.stderr


def test_missing_database_is_exit_2(tmp_path):
    done = run("kpis", "--mission", "emb-us", *WINDOW, "--db", str(tmp_path / "none.duckdb"))
    assert done.returncode == 2
    assert "no database" in done.stderr


def test_rank_json(db):
    done = run("rank", "--kpi", "interactions", *WINDOW, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"rank": 1, "mission_id": "emb-jp", "name_en": "Embassy of Viet Nam in Japan",
         "name_vi": "Đại sứ quán Việt Nam tại Nhật Bản", "value": 35},
        {"rank": 2, "mission_id": "emb-us", "name_en": "Embassy of Viet Nam in the United States",
         "name_vi": "Đại sứ quán Việt Nam tại Hoa Kỳ", "value": 23},
        {"rank": None, "mission_id": "cg-vancouver",
         "name_en": "Consulate General of Viet Nam in Vancouver",
         "name_vi": "Tổng Lãnh sự quán Việt Nam tại Vancouver", "value": None},
    ]  # fmt: skip


def test_rank_table(db):
    done = run("rank", "--kpi", "er_reach", *WINDOW, "--db", db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Missions by Engagement rate (reach), all platforms")
    assert lines[1].split()[:3] == ["1", "6.50%", "emb-us"]
    assert lines[2].split()[:3] == ["–", "–", "cg-vancouver"]
    assert len(lines) == 4


# -- daily ---------------------------------------------------------------------------------

DAILY_AUGUST = ["--start", "2025-08-01", "--end", "2025-08-31"]


@pytest.fixture
def reach_db(reach_store) -> str:
    return str(reach_store.path)


def test_daily_json_is_the_newest_known_value_per_day(reach_db):
    # tests/metrics/conftest.py, reach_store: 08-02 newer 40 beats 0; 08-03 newest is empty
    done = run("daily", "--account", "us-facebook", "--metric", "reach", *DAILY_AUGUST,
               "--db", reach_db, "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        '[{"date": "2025-08-01", "value": 512.0}, {"date": "2025-08-02", "value": 40.0}, '
        '{"date": "2025-08-04", "value": 9.0}]\n'
    )


def test_daily_followers_are_the_reported_totals(db):
    done = run("daily", "--account", "us-facebook", "--metric", "followers", *WINDOW,
               "--db", db, "--json")  # fmt: skip
    assert json.loads(done.stdout) == [{"date": "2025-03-03", "value": 1020.0}]


def test_daily_table_in_vietnamese(reach_db):
    done = run("daily", "--account", "us-facebook", "--metric", "reach", *DAILY_AUGUST,
               "--db", reach_db, lang="vi")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "us-facebook, reach, từ 01/08/2025 đến 31/08/2025: 3 ngày có giá trị đã biết "
        "(mỗi ngày theo tệp xuất mới nhất)",
        "  01/08/2025             512",
        "  02/08/2025              40",
        "  04/08/2025               9",
    ]


def test_daily_table_says_when_nothing_is_known(reach_db):
    done = run("daily", "--account", "us-instagram", "--metric", "reach", *DAILY_AUGUST,
               "--db", reach_db)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith(": 0 day(s) with a known value (newest export per day)")
    assert lines[1].startswith("  no known value in this period")
    assert len(lines) == 2


def test_daily_unknown_account_is_one_line_and_exit_2(db):
    done = run("daily", "--account", "zz-facebook", "--metric", "reach", *WINDOW, "--db", db)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.strip().count("\n") == 0
    assert '"zz-facebook"' in done.stderr and "python -m connectors status" in done.stderr


def test_daily_unknown_metric_lists_the_names_and_exit_2(db):
    done = run("daily", "--account", "us-facebook", "--metric", "likes", *WINDOW, "--db", db,
               "--json")  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.strip().count("\n") == 0
    assert done.stderr.startswith('unknown daily metric "likes". Use one of: followers, ')
    assert "net_follows" in done.stderr and "link_clicks" in done.stderr


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (["--start", "2025-03-14", "--end", "2025-03-01"], "before it starts"),
        (["--start", "2025-02-30", "--end", "2025-03-01"], '"2025-02-30" is not a date'),
    ],
)
def test_daily_bad_window_or_date_is_exit_2(db, window, message):
    done = run("daily", "--account", "us-facebook", "--metric", "reach", *window, "--db", db)
    assert done.returncode == 2
    assert message in done.stderr


@pytest.fixture
def issue_db(kpi_store) -> str:
    """conftest's store plus jp-youtube's net series on 03-03..03-07 (1 a day): see
    test_like_for_like.py's `issue_store`."""
    from datetime import date

    from connectors.importer import rebuild_follower_totals

    with kpi_store.write() as cur:
        for day in range(3, 8):
            cur.execute(
                "INSERT INTO account_daily VALUES ('jp-youtube', ?, 'net_follows', 1, ?, ?)",
                [date(2025, 3, day), date(2025, 3, 31), "0" * 64],
            )
        rebuild_follower_totals(cur, ["jp-youtube"])
    return str(kpi_store.path)


def test_compare_json_gives_like_for_like_changes(issue_db):
    window = ["--start", "2025-03-08", "--end", "2025-03-12"]
    done = run("compare", "--mission", "emb-jp", *window, "--db", issue_db, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data) == ["current", "previous", "change", "left_out"]
    for part in data.values():
        assert list(part) == list(KPI_NAMES)
    # net follows: now YouTube 8 (Facebook unknown), before YouTube 5 + Facebook 57 = 62.
    # Not (8 − 62) / 62 = −87 %: YouTube against itself, (8 − 5) / 5 = +60 %.
    assert (data["current"]["net_follows"], data["previous"]["net_follows"]) == (8, 62)
    assert data["change"]["net_follows"] == pytest.approx(0.6)
    assert data["left_out"]["net_follows"] == ["jp-facebook"]
    # followers_end: jp-facebook 560 (03-07) in both; jp-youtube 2002 now, 1994 on 03-07
    # (rebuilt back from 03-10: 2000 − 4 − (−1) − 3 = 1994): (2562 − 2554) / 2554
    assert (data["current"]["followers_end"], data["previous"]["followers_end"]) == (2562, 2554)
    assert data["change"]["followers_end"] == pytest.approx(8 / 2554)
    assert data["left_out"]["followers_end"] == []
    # er_followers, a ratio: a difference. yt-2 (03-08) 10 / 1997 now; yt-1 (03-05) 25 / 1992
    # before (the total rebuilt for 03-05: 1994 − 1 − 1 = 1992); jp-facebook has no post.
    assert data["change"]["er_followers"] == pytest.approx(10 / 1997 - 25 / 1992)
    # comments: yt-2 has none known now: nothing comparable
    assert data["change"]["comments"] is None
    assert data["left_out"]["comments"] == ["jp-facebook", "jp-youtube"]


def test_compare_against_a_year_earlier_and_in_vietnamese(issue_db):
    done = run(
        "compare", "--mission", "emb-us", *WINDOW, "--against", "year", "--db", issue_db, lang="vi"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "cùng kỳ năm trước" in lines[0]
    followers = next(line for line in lines if line.strip().startswith("Người theo dõi (cuối kỳ)"))
    assert "không có dữ liệu trong kỳ so sánh" in followers
    bad = run("compare", "--mission", "emb-zz", *WINDOW, "--db", issue_db, "--json")
    assert bad.returncode == 2


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_command_has_help_in_both_languages(lang, monkeypatch, capsys):
    """argparse %-formats help texts: a translated "95 %" once made `--help` fail."""
    import i18n
    from metrics.__main__ import build_parser

    monkeypatch.setattr(i18n, "language", lambda: lang)
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"kpis", "compare", "event", "objectives", "alerts", "themes"} <= set(commands)
    for command in ["", *commands]:
        with pytest.raises(SystemExit) as done:
            parser.parse_args([command, "--help"] if command else ["--help"])
        assert done.value.code == 0, command
        assert "usage:" in capsys.readouterr().out
