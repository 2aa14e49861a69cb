"""An event against the mission's baseline, on a tiny store whose numbers are worked out by hand.

Store (registry tests/fixtures/metrics/registry; only van-facebook of cg-vancouver has data),
comments and shares 0 (interactions = reactions):

  post   local day    reactions  reach      daily net follows (metric net_follows)
  p-0    2025-05-20   1          10         06-02 .. 06-09  5 a day
  b-02 .. b-09: one post a day 06-02 .. 06-09,  06-10  12
         reactions 10, 20, 10, 20, ... (10 on   06-11   8
         even days), reach 100, 300, 100, ...
  e-10   2025-06-10   60         500
  e-11   2025-06-11   30         400

Event "visit": 2025-06-10 .. 2025-06-11 (2 days).

Baseline of 8 days (06-02 .. 06-09):
  interactions  event 60 + 30 = 90; baseline 4 × (10 + 20) = 120 on 2 days: 120 × 2 / 8 = 30;
                uplift 90 / 30 − 1 = 2. Bootstrap: 2 days drawn from {10, 20, ...} (half
                each): totals 20 (1/4), 30 (1/2), 40 (1/4), so the 2.5 % quantile is 20 and
                the 97.5 % one 40 (each end holds a quarter of the 2,000 draws, far more than
                2.5 %, whatever the seed): low = 90 / 40 − 1 = 1.25, high = 90 / 20 − 1 = 3.5.
  reach         event 900; baseline 1600 × 2 / 8 = 400; uplift 1.25; totals 200 / 400 / 600:
                low = 900 / 600 − 1 = 0.5, high = 900 / 200 − 1 = 3.5.
  posts         event 2; baseline 8 × 2 / 8 = 2; uplift 0; every draw 1 + 1: low = high = 0.
  net_follows   event 20; baseline 40 × 2 / 8 = 10; uplift 1; every draw 5 + 5: low = high = 1.

Default baseline (the event's 2 days, 06-08 .. 06-09): interactions baseline 10 + 20 = 30,
uplift 2, but no interval: 2 known days are fewer than MIN_BASELINE_DAYS (7).

Baseline of 12 days (05-29 .. 06-09): 05-29 .. 06-01 have no post (the account has post data:
0 interactions) and no known net follows (left out, not 0).
  interactions  known days {0 × 4, 10 × 4, 20 × 4}: baseline 120 × 2 / 12 = 20; uplift
                90 / 20 − 1 = 3.5. 2-day totals: 0 (1/9), 10 (2/9), 20 (3/9), 30 (2/9),
                40 (1/9): the 2.5 % quantile is 0 (no upper bound: high None), the 97.5 % one
                40: low = 90 / 40 − 1 = 1.25.
  net_follows   known days {5 × 8}: baseline 40 × 2 / 8 = 10; uplift 1; low = high = 1.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from data.events import Event, starter_events, to_csv
from data.registry import load_registry, upsert_registry
from data.store import Store
from metrics import Scope, UnknownMission, event_series, event_uplift, events_in
from metrics.events import bootstrap_totals, uplift_interval
from tests.metrics.test_cli import run as _cli

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "tests" / "fixtures" / "metrics" / "registry"
SHA = "0" * 64
VISIT = Event("visit", "Visit", "Chuyến thăm", "state_visit", date(2025, 6, 10), date(2025, 6, 11))
BASELINE_DAYS = [date(2025, 6, d) for d in range(2, 10)]
POSTS = [  # post, local day, reactions, reach
    ("p-0", date(2025, 5, 20), 1, 10),
    *(
        (f"b-{d.day:02}", d, 10 if d.day % 2 == 0 else 20, 100 if d.day % 2 == 0 else 300)
        for d in BASELINE_DAYS
    ),
    ("e-10", date(2025, 6, 10), 60, 500),
    ("e-11", date(2025, 6, 11), 30, 400),
]
NET = [*((d, 5) for d in BASELINE_DAYS), (date(2025, 6, 10), 12), (date(2025, 6, 11), 8)]


def build(store: Store) -> Store:
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
        for post, day, reactions, reach in POSTS:
            local = datetime(day.year, day.month, day.day, 10, 0)
            cur.execute(
                "INSERT INTO posts (account_id, post_id, published_utc, published_local, published_date, "
                "post_type, text, permalink, as_of, sha256) "
                "VALUES ('van-facebook', ?, NULL, ?, ?, 'Photo', ?, ?, DATE '2025-06-30', ?)",
                [post, local, day, f"text of {post}", f"https://x.test/{post}", SHA],
            )
            cur.execute(
                "INSERT INTO post_metrics (account_id, post_id, as_of, reactions, comments, "
                "shares, reach, impressions, video_views, sha256) VALUES ('van-facebook', ?, "
                "DATE '2025-06-30', ?, 0, 0, ?, NULL, NULL, ?)",
                [post, reactions, reach, SHA],
            )
        for day, value in NET:
            cur.execute(
                "INSERT INTO account_daily VALUES ('van-facebook', ?, 'net_follows', ?, "
                "DATE '2025-06-30', ?)",
                [day, value, SHA],
            )
    return store


@pytest.fixture
def event_store(store: Store) -> Store:
    return build(store)


@pytest.fixture
def con(event_store: Store):
    with event_store.read() as cur:
        yield cur


def test_uplift_and_interval_by_hand(con):
    result = event_uplift(con, "cg-vancouver", VISIT, baseline_days=8)
    assert list(result) == ["interactions", "reach", "posts", "net_follows"]
    assert result["interactions"] == {
        "event": 90,
        "baseline": 30.0,
        "uplift": pytest.approx(2.0),
        "low": pytest.approx(1.25),
        "high": pytest.approx(3.5),
    }
    assert result["reach"] == {
        "event": 900,
        "baseline": 400.0,
        "uplift": pytest.approx(1.25),
        "low": pytest.approx(0.5),
        "high": pytest.approx(3.5),
    }
    assert result["posts"] == {"event": 2, "baseline": 2.0, "uplift": 0.0, "low": 0.0, "high": 0.0}
    assert result["net_follows"] == {
        "event": 20,
        "baseline": 10.0,
        "uplift": pytest.approx(1.0),
        "low": pytest.approx(1.0),
        "high": pytest.approx(1.0),
    }


def test_the_default_baseline_is_as_long_as_the_event_and_too_short_for_an_interval(con):
    result = event_uplift(con, "cg-vancouver", VISIT)
    assert result["interactions"] == {
        "event": 90,
        "baseline": 30.0,
        "uplift": pytest.approx(2.0),
        "low": None,
        "high": None,
    }


def test_a_longer_baseline_counts_quiet_days_as_0_and_unknown_days_not_at_all(con):
    result = event_uplift(con, "cg-vancouver", VISIT, baseline_days=12)
    assert result["interactions"] == {
        "event": 90,
        "baseline": 20.0,
        "uplift": pytest.approx(3.5),
        "low": pytest.approx(1.25),
        "high": None,
    }
    assert result["net_follows"] == {
        "event": 20,
        "baseline": 10.0,
        "uplift": pytest.approx(1.0),
        "low": pytest.approx(1.0),
        "high": pytest.approx(1.0),
    }


def test_the_interval_is_deterministic_and_follows_the_seed():
    days = [3.0, 8.0, 1.0, 14.0, 6.0, 0.0, 9.0]
    first = bootstrap_totals(days, 3, draws=500, seed=7)
    assert (first == bootstrap_totals(days, 3, draws=500, seed=7)).all()
    assert not (first == bootstrap_totals(days, 3, draws=500, seed=8)).all()
    assert uplift_interval(40.0, days, 3, seed=7) == uplift_interval(40.0, days, 3, seed=7)
    assert uplift_interval(40.0, days[:6], 3) == (None, None)  # fewer than 7 days


def test_unknown_stays_unknown(con):
    # Before any data: posts are 0 (the account has post data), so the sums over posts are
    # 0 too; net follows are unknown and so is everything computed from them.
    quiet = Event("q", "Q", "Q", "other", date(2025, 1, 10), date(2025, 1, 11))
    result = event_uplift(con, "cg-vancouver", quiet)
    assert result["posts"] == {
        "event": 0,
        "baseline": 0.0,
        "uplift": None,
        "low": None,
        "high": None,
    }
    assert result["net_follows"] == dict.fromkeys(("event", "baseline", "uplift", "low", "high"))
    # A mission without any account data: everything unknown, never 0.
    assert event_uplift(con, "emb-jp", VISIT)["interactions"] == dict.fromkeys(
        ("event", "baseline", "uplift", "low", "high")
    )
    with pytest.raises(UnknownMission):
        event_uplift(con, "nowhere", VISIT)


def test_the_series_marks_baseline_and_event_days(con):
    series = event_series(con, "cg-vancouver", VISIT, "interactions")
    assert [(str(d.date()), v, p) for d, v, p in series.itertuples(index=False)] == [
        ("2025-06-08", 10.0, "baseline"),
        ("2025-06-09", 20.0, "baseline"),
        ("2025-06-10", 60.0, "event"),
        ("2025-06-11", 30.0, "event"),
    ]


def test_events_in_a_scope(con):
    events = [
        VISIT,
        Event("jp", "JP", "JP", "state_visit", date(2025, 6, 1), date(2025, 6, 3), (), ("JP",)),
        Event("us", "US", "US", "other", date(2025, 6, 1), date(2025, 6, 1), ("emb-us",)),
        Event("old", "Old", "Cũ", "other", date(2024, 1, 1), date(2024, 1, 2)),
    ]
    window = Scope(date(2025, 6, 1), date(2025, 6, 30))
    assert list(events_in(con, window, events)["event_id"]) == ["jp", "us", "visit"]
    japan = Scope(date(2025, 6, 1), date(2025, 6, 30), missions=("emb-jp",))
    assert list(events_in(con, japan, events)["event_id"]) == ["jp", "visit"]
    americas = Scope(date(2025, 5, 1), date(2025, 6, 30), regions=("americas",))
    assert list(events_in(con, americas, events)["event_id"]) == ["us", "visit"]


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    for name in ("missions.csv", "accounts.csv"):
        (folder / name).write_bytes((REGISTRY / name).read_bytes())
    (folder / "events.csv").write_text(to_csv([VISIT, *starter_events([2025])]), encoding="utf-8")
    return folder


def test_cli_json(event_store, registry):
    done = _cli(
        "event", "--mission", "cg-vancouver", "--event", "visit", "--baseline-days", "8",
        "--db", str(event_store.path), "--registry", str(registry), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data) == ["kpis"]
    assert data["kpis"]["interactions"] == {
        "event": 90, "baseline": 30.0, "uplift": 2.0, "low": 1.25, "high": 3.5,
    }  # fmt: skip
    assert data["kpis"]["net_follows"]["uplift"] == pytest.approx(1.0)
    longer = _cli(
        "event", "--mission", "cg-vancouver", "--event", "visit", "--baseline-days", "12",
        "--db", str(event_store.path), "--registry", str(registry), "--json",
    )  # fmt: skip
    assert json.loads(longer.stdout)["kpis"]["interactions"] == {
        "event": 90, "baseline": 20.0, "uplift": 3.5, "low": 1.25, "high": None,
    }  # fmt: skip
    default = _cli(
        "event", "--mission", "cg-vancouver", "--event", "visit",
        "--db", str(event_store.path), "--registry", str(registry), "--json",
    )  # fmt: skip
    assert json.loads(default.stdout)["kpis"]["posts"] == {
        "event": 2, "baseline": 2.0, "uplift": 0.0, "low": None, "high": None,
    }  # fmt: skip


def test_cli_refuses_an_unknown_event_in_one_line(event_store, registry):
    for lang, word in (("en", "unknown event"), ("vi", "không có sự kiện")):
        done = _cli(
            "event", "--mission", "cg-vancouver", "--event", "nope",
            "--db", str(event_store.path), "--registry", str(registry), "--json", lang=lang,
        )  # fmt: skip
        assert done.returncode == 2
        assert word in done.stderr and done.stderr.count("\n") == 1
