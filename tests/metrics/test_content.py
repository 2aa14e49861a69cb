"""The Content page's numbers (`metrics.best_time`, `metrics.post_formats`, their CLI commands)
on a small store built by hand, every value worked out by hand below.

Registry: tests/fixtures/metrics/registry. Mission emb-us is in America/New_York, whose clocks
went forward on Sunday 2025-03-09 at 02:00 (EST, UTC−5, before; EDT, UTC−4, after).
Window W = Monday 2025-03-03 .. Sunday 2025-03-16. Follower totals: us-facebook 1000 and
us-x-ambassador 200, reported on 2025-03-01 (so every post's followers_at_post).

us-facebook (Meta: local times without a zone, stored as they are)
  post  local time         type        interactions  rate = interactions / 1000
  m1    Mon 03-03 09:05    Photos      10            0.010
  m2    Mon 03-03 09:40    Photo       30            0.030
  m3    Mon 03-10 09:10    Videos      20            0.020
  m4    Mon 03-10 09:59    Reels       50            0.050
  t1    Tue 03-04 18:00    Links        5            0.005
  t2    Tue 03-11 18:30    Status     100            0.100
  u1    Wed 03-05 10:00    Text        unknown       none (unrated)
  d1    03-06, no time     Story        7            (untimed: a date-only export)
  late  Mon 03-17 09:00    Photos      99            (after W)

us-x-ambassador (X legacy: UTC times, converted by data/localtime.py to New York time)
  post  UTC                local (New York)      interactions  rate = interactions / 200
  x1    Mon 03-03 14:30    Mon 09:30 EST         4             0.020
  x2    Mon 03-10 13:15    Mon 09:15 EDT        12             0.060  (UTC−5 would say 08:15)
  x3    Tue 03-11 22:45    Tue 18:45 EDT         3             0.015
  x4    Sun 03-09 07:30    Sun 03:30 EDT         2             0.010  (just after the change)
  x5    Mon 03-17 03:30    Sun 03-16 23:30 EDT   0             0.000  (in W by its local date)

Cells (ISO weekday, hour): posts, median
  (1, 9)   m1 m2 m3 m4 x1 x2: 0.010 0.020 0.020 | 0.030 0.050 0.060 → 6, (0.020 + 0.030) / 2 = 0.025
  (2, 18)  t1 t2 x3: 0.005 0.015 0.100 → 3, 0.015 (fewer than 5: not enough)
  (7, 3)   x4 → 1, 0.010
  (7, 23)  x5 → 1, 0.0 (a rate of 0 is a rate)
  rated 11, untimed 1 (d1), unrated 1 (u1)
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import metrics
from connectors.importer import rebuild_follower_totals
from data.localtime import local_times
from data.registry import load_registry, upsert_registry
from data.store import Store
from tests.metrics.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "tests" / "fixtures" / "metrics" / "registry"
NEW_YORK = ZoneInfo("America/New_York")
W = (date(2025, 3, 3), date(2025, 3, 16))
SHA = "0" * 64

# (account, post, publish time: naive local, aware UTC, or a date; type; interactions)
POSTS = [
    ("us-facebook", "m1", datetime(2025, 3, 3, 9, 5), "Photos", 10),
    ("us-facebook", "m2", datetime(2025, 3, 3, 9, 40), "Photo", 30),
    ("us-facebook", "m3", datetime(2025, 3, 10, 9, 10), "Videos", 20),
    ("us-facebook", "m4", datetime(2025, 3, 10, 9, 59), "Reels", 50),
    ("us-facebook", "t1", datetime(2025, 3, 4, 18, 0), "Links", 5),
    ("us-facebook", "t2", datetime(2025, 3, 11, 18, 30), "Status", 100),
    ("us-facebook", "u1", datetime(2025, 3, 5, 10, 0), "Text", None),
    ("us-facebook", "d1", date(2025, 3, 6), "Story", 7),
    ("us-facebook", "late", datetime(2025, 3, 17, 9, 0), "Photos", 99),
    ("us-x-ambassador", "x1", datetime(2025, 3, 3, 14, 30, tzinfo=UTC), None, 4),
    ("us-x-ambassador", "x2", datetime(2025, 3, 10, 13, 15, tzinfo=UTC), None, 12),
    ("us-x-ambassador", "x3", datetime(2025, 3, 11, 22, 45, tzinfo=UTC), None, 3),
    ("us-x-ambassador", "x4", datetime(2025, 3, 9, 7, 30, tzinfo=UTC), None, 2),
    ("us-x-ambassador", "x5", datetime(2025, 3, 17, 3, 30, tzinfo=UTC), None, 0),
]
CELLS = [
    {"weekday": 1, "hour": 9, "posts": 6, "median": 0.025, "enough": True},
    {"weekday": 2, "hour": 18, "posts": 3, "median": 0.015, "enough": False},
    {"weekday": 7, "hour": 3, "posts": 1, "median": 0.010, "enough": False},
    {"weekday": 7, "hour": 23, "posts": 1, "median": 0.0, "enough": False},
]


@pytest.fixture
def content_store(store: Store) -> Store:
    """The store of the module docstring, written as the importer writes posts: publish times
    through the importer's own local-time rule (`data.localtime.local_times`)."""
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
        for account, post, published, kind, interactions in POSTS:
            utc, local, day = local_times(published, NEW_YORK)
            cur.execute(
                # the columns named: the language column added by issue #7 is left NULL
                "INSERT INTO posts (account_id, post_id, published_utc, published_local, published_date, "
                "post_type, text, permalink, as_of, sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, DATE '2025-03-31', ?)",
                [account, post, utc, local, day, kind, SHA],
            )
            cur.execute(
                "INSERT INTO post_metrics (account_id, post_id, as_of, reactions, comments, "
                "shares, sha256) VALUES (?, ?, DATE '2025-03-31', ?, ?, ?, ?)",
                [
                    account,
                    post,
                    interactions,
                    None if interactions is None else 0,
                    None if interactions is None else 0,
                    SHA,
                ],
            )
        for account, followers in (("us-facebook", 1000), ("us-x-ambassador", 200)):
            cur.execute(
                "INSERT INTO account_daily VALUES (?, DATE '2025-03-01', 'followers', ?, "
                "DATE '2025-03-31', ?)",
                [account, followers, SHA],
            )
        rebuild_follower_totals(cur, ["us-facebook", "us-x-ambassador"])
    return store


@pytest.fixture
def con(content_store: Store):
    with content_store.read() as cur:
        yield cur


def _cells(result: metrics.BestTime) -> list[dict]:
    return [
        {
            "weekday": int(r.weekday),
            "hour": int(r.hour),
            "posts": int(r.posts),
            "median": pytest.approx(float(r.median)),
            "enough": bool(r.enough),
        }
        for r in result.cells.itertuples(index=False)
    ]


def test_stored_local_times_follow_the_mission_zone_across_the_clock_change(con):
    # The importer's rule: x2 (13:15 UTC, after the change) is 09:15 EDT, x1 (14:30 UTC,
    # before it) 09:30 EST: one hour apart in UTC, the same local hour.
    rows = dict(
        con.execute(
            "SELECT post_id, published_local FROM posts WHERE post_id IN ('x1', 'x2', 'x4', 'x5')"
        ).fetchall()
    )
    assert rows == {
        "x1": datetime(2025, 3, 3, 9, 30),
        "x2": datetime(2025, 3, 10, 9, 15),
        "x4": datetime(2025, 3, 9, 3, 30),
        "x5": datetime(2025, 3, 16, 23, 30),
    }


def test_best_time_cells_are_the_hand_worked_medians(con):
    result = metrics.best_time(con, metrics.Scope(*W, missions=("emb-us",)))
    assert _cells(result) == CELLS
    assert (result.rated, result.untimed, result.unrated) == (11, 1, 1)
    assert (result.rate, result.min_posts) == ("er_followers", 5)


def test_best_time_uses_the_posts_and_rate_of_er_followers(con):
    # The KPI averages the same per-post rates over the same posts, plus d1 (7 / 1000), which
    # has a rate but no time of day: (0.19 + 0.12 + 0.01 + 0 + 0.007) / 12 = 0.327 / 12.
    scope = metrics.Scope(*W, missions=("emb-us",))
    kpi = metrics.compute(con, scope).iloc[0]["er_followers"]
    assert kpi == pytest.approx(0.327 / 12)
    result = metrics.best_time(con, scope)
    assert result.rated + result.untimed == 12


def test_best_time_of_one_platform(con):
    # X only: (1, 9) x1 0.020 and x2 0.060 → 2 posts, median 0.040; d1 and u1 are Facebook's.
    result = metrics.best_time(con, metrics.Scope(*W, missions=("emb-us",), platforms=("x",)))
    assert _cells(result) == [
        {"weekday": 1, "hour": 9, "posts": 2, "median": pytest.approx(0.04), "enough": False},
        CELLS[1] | {"posts": 1},
        CELLS[2],
        CELLS[3],
    ]
    assert (result.rated, result.untimed, result.unrated) == (5, 0, 0)


def test_best_time_without_posts(con):
    result = metrics.best_time(con, metrics.Scope(*W, missions=("emb-jp",)))
    assert result.cells.empty
    assert list(result.cells.columns) == ["weekday", "hour", "posts", "median", "enough"]
    assert (result.rated, result.untimed, result.unrated) == (0, 0, 0)


def test_post_formats_by_hand(con):
    frame = metrics.post_formats(con, metrics.Scope(*W, missions=("emb-us",)))
    rows = {
        r.format: (
            r.posts,
            None if r.interactions != r.interactions else r.interactions,
            r.posts_with_interactions,
            r.interactions_per_post,
        )
        for r in frame.itertuples(index=False)
    }
    # photo m1 + m2 = 40 / 2; text t2 100 and u1 unknown → 100 over 1 post; d1's "Story" is
    # no type we know → other; X posts have no type → unknown: 4 + 12 + 3 + 2 + 0 = 21 / 5.
    assert rows == {
        "photo": (2, 40.0, 2, 20.0),
        "video": (1, 20.0, 1, 20.0),
        "reel": (1, 50.0, 1, 50.0),
        "link": (1, 5.0, 1, 5.0),
        "text": (2, 100.0, 1, 100.0),
        "other": (1, 7.0, 1, 7.0),
        "unknown": (5, 21.0, 5, pytest.approx(4.2)),
    }
    assert list(frame["format"]) == ["photo", "video", "reel", "link", "text", "other", "unknown"]
    assert frame["share_of_posts"].tolist() == pytest.approx(
        [2 / 13, *[1 / 13] * 3, 2 / 13, 1 / 13, 5 / 13]
    )


def test_both_are_read_once_per_version(content_store):
    # cached_per_version (metrics/__init__.py): the page drawn again runs no statement again,
    # and a caller changing its copy does not change the next caller's.
    scope = metrics.Scope(*W, missions=("emb-us",))
    with content_store.read() as cur:
        first = metrics.best_time(cur, scope)
        metrics.post_formats(cur, scope)
        first.cells["median"] = 0.0
        hits = content_store.cache.hits
        again = metrics.best_time(cur, scope)
        metrics.post_formats(cur, scope)
    assert content_store.cache.hits == hits + 2
    assert again.cells["median"].tolist() == pytest.approx([c["median"] for c in CELLS])


def test_weekday_names_come_from_babel_in_both_languages():
    from i18n import weekday_name

    assert [weekday_name(d, "en") for d in (1, 7)] == ["Monday", "Sunday"]
    assert [weekday_name(d, "vi") for d in (1, 7)] == ["Thứ Hai", "Chủ Nhật"]


# -- the command line ------------------------------------------------------------------------


WINDOW = ["--start", "2025-03-03", "--end", "2025-03-16"]


@pytest.mark.parametrize("tz", ["Asia/Ho_Chi_Minh", "America/Los_Angeles"])
def test_best_time_json_whatever_the_host_zone(content_store, tz):
    done = run(
        "best-time",
        "--mission",
        "emb-us",
        *WINDOW,
        "--db",
        str(content_store.path),
        "--json",
        tz=tz,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["cells"] == CELLS
    assert {k: data[k] for k in ("mission_id", "timezone", "rate", "min_posts")} == {
        "mission_id": "emb-us",
        "timezone": "America/New_York",
        "rate": "er_followers",
        "min_posts": 5,
    }
    assert (data["rated"], data["untimed"], data["unrated"]) == (11, 1, 1)


def test_best_time_table_in_vietnamese(content_store):
    done = run(
        "best-time", "--mission", "emb-us", *WINDOW, "--db", str(content_store.path), lang="vi"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].split() == ["Thứ", "Hai", "09:00", "6", "2,50%"]
    assert lines[2].split() == ["Thứ", "Ba", "18:00", "3", "1,50%", "n", "<", "5"]
    assert "1 bài trong kỳ không được tính" in done.stdout


def test_formats_json(content_store):
    done = run("formats", "--mission", "emb-us", *WINDOW, "--db", str(content_store.path), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data[0] == {
        "format": "photo",
        "posts": 2,
        "interactions": 40,
        "interactions_per_post": 20.0,
    }
    assert data[-1]["format"] == "unknown"
    assert data[-1]["interactions_per_post"] == pytest.approx(4.2)


def test_unknown_mission_is_one_line_and_exit_2(content_store):
    done = run("best-time", "--mission", "emb-xx", *WINDOW, "--db", str(content_store.path))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "emb-xx" in done.stderr


# -- through the real importer ----------------------------------------------------------------
#
# tests/fixtures/registry: gb-x (emb-gb-london, Europe/London; GMT in early March 2015) and
# gb-x-ambassador (HestysInvest). The X legacy tweet activity export gives UTC times:
#   575000000000000011  Mon 2015-03-09 08:30 +0000 → 08:30 London: likes 9 + replies 1 + reposts 2
#   578000000000000012  Wed 2015-03-18 17:05 +0000 → 17:05 London: 14 + 0 + 3
# with a follower baseline of 1000 on 2015-03-01: rates 12 / 1000 and 17 / 1000.
# The X account analytics content export gives a date only: its posts are untimed.

FIXTURES = ROOT / "tests" / "fixtures"


def test_time_of_day_through_the_importer(store):
    from connectors.base import SourceFile
    from connectors.importer import Importer

    registry = FIXTURES / "registry"
    legacy = FIXTURES / "x" / "tweet_activity_metrics_KaiaDevIntern_20150301_20150401_en.csv"
    content = FIXTURES / "x" / "account_analytics_content_2025-01-01_2025-01-31.csv"
    baseline = SourceFile("baseline.csv", b"account_id,date,followers\ngb-x,2015-03-01,1000\n")
    results = [
        *Importer(store, registry_dir=registry).import_sources([baseline]),
        *Importer(store, registry_dir=registry, account="gb-x").import_paths([legacy]),
        *Importer(store, registry_dir=registry, account="gb-x-ambassador").import_paths([content]),
    ]
    assert [r.status for r in results] == ["imported"] * 3, [r.message("en") for r in results]
    with store.read() as con:
        timed = metrics.best_time(con, metrics.Scope(date(2015, 3, 1), date(2015, 3, 31)))
        dated = metrics.best_time(con, metrics.Scope(date(2025, 1, 1), date(2025, 1, 31)))
        posts = con.execute(
            "SELECT count(*) FROM posts WHERE account_id = 'gb-x-ambassador' "
            "AND published_date BETWEEN DATE '2025-01-01' AND DATE '2025-01-31'"
        ).fetchall()[0][0]
    assert _cells(timed) == [
        {"weekday": 1, "hour": 8, "posts": 1, "median": pytest.approx(0.012), "enough": False},
        {"weekday": 3, "hour": 17, "posts": 1, "median": pytest.approx(0.017), "enough": False},
    ]
    assert (timed.untimed, timed.unrated) == (0, 0)
    assert posts > 0
    assert dated.cells.empty and (dated.untimed, dated.rated) == (posts, 0)
