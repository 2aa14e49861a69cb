"""Alerts: the robust baseline (median, MAD, and what happens when MAD = 0) on hand-made
series, and the spikes and drops found in a small store, through `alerts` and the CLI's JSON.

The store (`alert_store`): jp-youtube (emb-jp) publishes one post a day from 2025-01-01 to
01-28 with 8, 10, 12, 10, 8, 10, 12, 10, ... reactions (no comment, no share: interactions =
reactions; reach unknown), then two posts on 01-29 (25 and 5: 30 that day) and one on 01-30 (3).

  01-29: baseline 01-01..01-28 = 8 ×7, 10 ×14, 12 ×7. median 10; |x − 10| = 0 ×14, 2 ×14:
         MAD = (0 + 2) / 2 = 1; scale 1.4826; |30 − 10| = 20 > 3.5 × 1.4826 = 5.19: spike.
  01-30: baseline 01-02..01-29 = 8 ×6, 10 ×14, 12 ×7, 30: median 10 (14th and 15th are 10);
         deviations 0 ×14, 2 ×13, 20: MAD = (0 + 2) / 2 = 1; |3 − 10| = 7 > 5.19: drop.
  01-01..01-07 have fewer than 7 baseline days: not tested; 01-08..01-28 stay within 8..12 of
  a median of 10 and a scale of at least 1.4826: no alert.
"""

from __future__ import annotations

import importlib
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from data.registry import load_registry, upsert_registry
from metrics import Scope, alerts
from metrics.alerts import MIN_BASELINE_DAYS, K, baseline, detect, direction
from tests.metrics.test_cli import run as _cli

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "tests" / "fixtures" / "metrics" / "registry"
SHA = "0" * 64


def test_median_and_mad_of_a_hand_made_baseline():
    # 8, 10, 12, 10 seven times: median 10, deviations 0 ×14 and 2 ×14, MAD 1
    centre, mad, scale = baseline([8, 10, 12, 10] * 7)
    assert (centre, mad, scale) == (10, 1, 1.4826)
    assert K == 3.5 and MIN_BASELINE_DAYS == 7
    assert direction(30, centre, scale) == "spike"  # 20 > 5.1891
    assert direction(3, centre, scale) == "drop"  # 7 > 5.1891
    assert direction(15, centre, scale) is None  # 5 ≤ 5.1891
    assert direction(4.8, centre, scale) == "drop"  # 5.2 > 5.1891


def test_mad_zero_falls_back_to_the_mean_absolute_deviation():
    # 5 ×20 and 9 ×8: median 5; deviations 0 ×20, 4 ×8: MAD 0; mean deviation 32 / 28;
    # scale 1.2533 × 32 / 28 = 1.432343; threshold 3.5 × 1.432343 = 5.0132
    centre, mad, scale = baseline([5] * 20 + [9] * 8)
    assert (centre, mad) == (5, 0)
    assert scale == pytest.approx(1.2533 * 32 / 28)
    assert direction(11, centre, scale) == "spike"  # 6 > 5.0132
    assert direction(10, centre, scale) is None  # 5 ≤ 5.0132


def test_the_scale_is_at_least_one_unit():
    # every day 4: MAD 0 and mean deviation 0: scale 1, so a change of more than 3.5 counts
    assert baseline([4] * 10) == (4, 0, 1.0)
    # net follows 0, 0, 1, 1 (×2): median 0.5, MAD 0.5, 1.4826 × 0.5 = 0.74 < 1: scale 1;
    # 3 is no spike (2.5 ≤ 3.5), 5 is (4.5 > 3.5)
    assert baseline([0, 0, 1, 1] * 2) == (0.5, 0.5, 1.0)
    assert direction(3, 0.5, 1.0) is None
    assert direction(5, 0.5, 1.0) == "spike"
    assert direction(8, 4, 1.0) == "spike"  # 4 > 3.5
    assert direction(7, 4, 1.0) is None  # 3 ≤ 3.5
    assert direction(0, 4, 1.0) == "drop"  # 4 > 3.5


def test_detect_needs_enough_baseline_days_and_never_uses_the_day_itself():
    import pandas as pd

    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(8)]
    series = pd.DataFrame(
        {"date": days, "account_id": "a", "value": [10, 10, 10, 10, 10, 10, 100, 100]}
    )
    # 01-07: 6 baseline days, not tested. 01-08: baseline 10 ×6 and 100: median 10, MAD 0,
    # mean deviation 90 / 7 = 12.857, scale 1.2533 × 12.857 = 16.114; |100 − 10| = 90 >
    # 3.5 × 16.114 = 56.4: spike.
    found = detect(series, date(2025, 1, 1), date(2025, 1, 8))
    assert list(found["day"]) == [date(2025, 1, 8)]
    assert found.loc[0, "baseline_days"] == 7
    assert found.loc[0, "scale"] == pytest.approx(1.2533 * 90 / 7)
    assert found.loc[0, "direction"] == "spike"


@pytest.fixture
def alert_store(store):
    values = [
        (date(2025, 1, 1) + timedelta(days=i), f"d-{i}", [8, 10, 12, 10][i % 4]) for i in range(28)
    ]
    values += [
        (date(2025, 1, 29), "p-29a", 25),
        (date(2025, 1, 29), "p-29b", 5),
        (date(2025, 1, 30), "p-30", 3),
    ]
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
        for day, post, reactions in values:
            cur.execute(
                "INSERT INTO posts (account_id, post_id, published_utc, published_local, published_date, "
                "post_type, text, permalink, as_of, sha256) "
                "VALUES ('jp-youtube', ?, NULL, NULL, ?, 'Video', ?, ?, DATE '2025-02-01', ?)",
                [post, day, f"text of {post}", f"https://x.test/{post}", SHA],
            )
            cur.execute(
                "INSERT INTO post_metrics (account_id, post_id, as_of, reactions, comments, "
                "shares, reach, impressions, video_views, sha256) VALUES ('jp-youtube', ?, "
                "DATE '2025-02-01', ?, 0, 0, NULL, NULL, NULL, ?)",
                [post, reactions, SHA],
            )
    return store


def _post(post, interactions):
    return {
        "post_id": post,
        "published_date": "2025-01-" + post[2:4],
        "text": f"text of {post}",
        "permalink": f"https://x.test/{post}",
        "interactions": interactions,
        "reach": None,
    }


EXPECTED = [
    {
        "account_id": "jp-youtube",
        "mission_id": "emb-jp",
        "platform": "youtube",
        "owner": "mission",
        "day": "2025-01-29",
        "metric": "interactions",
        "value": 30.0,
        "median": 10.0,
        "mad": 1.0,
        "scale": 1.4826,
        "baseline_days": 28,
        "direction": "spike",
        "posts": [_post("p-29a", 25.0), _post("p-29b", 5.0)],
    },
    {
        "account_id": "jp-youtube",
        "mission_id": "emb-jp",
        "platform": "youtube",
        "owner": "mission",
        "day": "2025-01-30",
        "metric": "interactions",
        "value": 3.0,
        "median": 10.0,
        "mad": 1.0,
        "scale": 1.4826,
        "baseline_days": 28,
        "direction": "drop",
        "posts": [_post("p-30", 3.0)],
    },
]


def test_alerts_in_the_store(alert_store):
    with alert_store.read() as con:
        frame = alerts(con, Scope(date(2025, 1, 1), date(2025, 1, 30)))
    assert list(frame["day"]) == [date(2025, 1, 29), date(2025, 1, 30)]
    assert list(frame["direction"]) == ["spike", "drop"]
    assert list(frame["value"]) == [30, 3]
    assert [p["post_id"] for p in frame.loc[0, "posts"]] == ["p-29a", "p-29b"]


def test_alerts_json(alert_store):
    db = ["--db", str(alert_store.path)]
    window = ["--start", "2025-01-29", "--end", "2025-01-30"]
    done = _cli("alerts", *window, "--mission", "emb-jp", *db, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == EXPECTED
    done = _cli("alerts", *window, *db, "--json")  # every mission: the same two
    assert json.loads(done.stdout) == EXPECTED
    done = _cli("alerts", *window, "--mission", "emb-us", *db, "--json")
    assert json.loads(done.stdout) == []
    done = _cli("alerts", *window, "--mission", "emb-zz", *db, "--json")
    assert done.returncode == 2 and 'unknown mission "emb-zz"' in done.stderr
    done = _cli("alerts", "--start", "2025-01-30", "--end", "2025-01-29", *db, "--json")
    assert done.returncode == 2
    done = _cli("alerts", *window, *db)  # for people: one line per alert, its posts under it
    assert done.returncode == 0
    assert "Jan 29, 2025  jp-youtube  Interactions: 30 (Spike; median 10.0, MAD 1.0)" in done.stdout


def test_alerts_are_by_day_mission_account_and_metric(alert_store, monkeypatch):
    # Hand-made daily values, rows shuffled (alerts read the flows unordered): four accounts of
    # three missions, each metric 10 on the 28 days 01-01 .. 01-28 (median 10, MAD 0, mean
    # deviation 0: scale 1 unit); 01-29: every metric 20 (|20 − 10| = 10 > 3.5: spike);
    # 01-30: only jp-youtube's net follows are known, 0 (drop). Order: day, mission id
    # (cg-vancouver < emb-jp < emb-us), account id (us-facebook < us-x-ambassador), then
    # interactions, reach, followers.
    import numpy as np
    import pandas as pd

    module = importlib.import_module("metrics.alerts")  # the package rebinds `alerts`

    accounts = ["us-x-ambassador", "jp-youtube", "van-facebook", "us-facebook"]
    rows = [
        (date(2025, 1, 1) + timedelta(days=i), account, v, v, v)
        for account in accounts
        for i, v in enumerate([10.0] * 28 + [20.0])
    ]
    rows.append((date(2025, 1, 30), "jp-youtube", np.nan, np.nan, 0.0))
    daily = pd.DataFrame(
        rows, columns=["date", "account_id", "interactions", "reach", "net_follows"]
    )
    daily = daily.sample(frac=1, random_state=7).reset_index(drop=True)
    daily["date"] = pd.to_datetime(daily["date"])
    monkeypatch.setattr(module, "flows", lambda *args, **kwargs: daily)
    with alert_store.read() as con:
        frame = module.alerts(con, Scope(date(2025, 1, 29), date(2025, 1, 30)))
    metrics_ = ["interactions", "reach", "followers"]
    expected = [
        (date(2025, 1, 29), account, metric, "spike")
        for account in ["van-facebook", "jp-youtube", "us-facebook", "us-x-ambassador"]
        for metric in metrics_
    ] + [(date(2025, 1, 30), "jp-youtube", "followers", "drop")]
    got = list(
        zip(frame["day"], frame["account_id"], frame["metric"], frame["direction"], strict=True)
    )
    assert got == expected
    assert list(frame["mission_id"][:4]) == ["cg-vancouver"] * 3 + ["emb-jp"]
    assert frame.loc[3, "name_vi"] == "Đại sứ quán Việt Nam tại Nhật Bản"
    assert set(frame["scale"]) == {1.0} and set(frame["median"]) == {10.0}
    # the posts behind: jp-youtube's of 01-29, best first; none for the other accounts
    assert [p["post_id"] for p in frame.loc[3, "posts"]] == ["p-29a", "p-29b"]
    assert frame.loc[0, "posts"] == []
    assert frame.loc[12, "posts"] == [{**_post("p-30", 3.0), "published_date": date(2025, 1, 30)}]


def test_the_posts_behind_alerts_are_the_best_three_of_each_account_and_day(store):
    # jp-youtube's 01-29: a 5, b unknown, c 40, d 12 -> c, d, a (unknown last; three at most);
    # us-facebook's 01-27: e 1. The accounts' ids sort the other way round from their days, so
    # the days read span both (01-27 .. 01-29), not the first account's day only.
    import pandas as pd

    module = importlib.import_module("metrics.alerts")  # the package rebinds `alerts`
    posts = [
        ("jp-youtube", "a", date(2025, 1, 29), 5),
        ("jp-youtube", "b", date(2025, 1, 29), None),
        ("jp-youtube", "c", date(2025, 1, 29), 40),
        ("jp-youtube", "d", date(2025, 1, 29), 12),
        ("us-facebook", "e", date(2025, 1, 27), 1),
        ("us-facebook", "f", date(2025, 1, 28), 99),  # a day without an alert
    ]
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
        for account, post, day, reactions in posts:
            cur.execute(
                "INSERT INTO posts (account_id, post_id, published_date, text, permalink, as_of, "
                "sha256) VALUES (?, ?, ?, ?, ?, DATE '2025-02-01', ?)",
                [account, post, day, f"text of {post}", f"https://x.test/{post}", SHA],
            )
            cur.execute(
                "INSERT INTO post_metrics (account_id, post_id, as_of, reactions, sha256) "
                "VALUES (?, ?, DATE '2025-02-01', ?, ?)",
                [account, post, reactions, SHA],
            )
    frame = pd.DataFrame(
        {
            "account_id": ["us-facebook", "jp-youtube", "jp-youtube"],
            "day": [date(2025, 1, 27), date(2025, 1, 29), date(2025, 1, 30)],
        }
    )
    with store.read() as con:
        behind = module._posts_behind(con, frame)
    assert [[p["post_id"] for p in day] for day in behind] == [["e"], ["c", "d", "a"], []]
    assert behind[0] == [
        {
            "post_id": "e",
            "published_date": date(2025, 1, 27),
            "text": "text of e",
            "permalink": "https://x.test/e",
            "interactions": 1.0,
            "reach": None,
        }
    ]
