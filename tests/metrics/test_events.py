"""An event against the mission's baseline, on a tiny store whose numbers are worked out by hand.

Store (registry tests/fixtures/metrics/registry; only van-facebook of cg-vancouver has data):

  post  local day    reactions  reach       daily net follows (metric net_follows)
  p-0   2025-05-20   1          10          06-02  5
  p-1   2025-06-02   10         100         06-03  5
  p-2   2025-06-03   20         300         06-04  12
  p-3   2025-06-04   60         500         06-05  8
  p-4   2025-06-05   30         400
  (comments and shares 0: interactions = reactions)

Event "visit": 2025-06-04 .. 2025-06-05 (2 days). Default baseline: 06-02 .. 06-03.

  interactions  event 60 + 30 = 90; baseline 10 + 20 = 30; uplift 90 / 30 − 1 = 2.
                Bootstrap: 2 days drawn from {10, 20}: totals 20 (1/4), 30 (1/2), 40 (1/4),
                so the 2.5 % quantile is 20 and the 97.5 % quantile 40 (each end holds a
                quarter of the 2,000 draws, far more than 2.5 %, whatever the seed):
                low = 90 / 40 − 1 = 1.25, high = 90 / 20 − 1 = 3.5.
  reach         event 900; baseline 400; uplift 1.25; totals 200 / 400 / 600:
                low = 900 / 600 − 1 = 0.5, high = 900 / 200 − 1 = 3.5.
  posts         event 2; baseline 2; uplift 0; every draw 1 + 1 = 2: low = high = 0.
  net_follows   event 20; baseline 10; uplift 1; every draw 5 + 5: low = high = 1.

Baseline of 4 days (05-31 .. 06-03): 05-31 and 06-01 have no post (the account has post data:
0 interactions) and no known net follows (left out).
  interactions  known days {0, 0, 10, 20}: baseline 30 × 2 / 4 = 15; uplift 90 / 15 − 1 = 5.
                2-day totals: 0 (4/16), 10 (4/16), 20 (5/16), 30 (2/16), 40 (1/16): the
                2.5 % quantile is 0 (no upper bound: high None), the 97.5 % one 40
                (1/16 = 6.25 % of draws): low = 90 / 40 − 1 = 1.25.
  net_follows   known days {5, 5}: baseline 10 × 2 / 2 = 10 (the unknown days are not 0);
                uplift 1; low = high = 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from data.events import Event, starter_events, to_csv
from data.registry import load_registry, upsert_registry
from data.store import Store
from metrics import Scope, UnknownMission, event_series, event_uplift, events_in
from metrics.events import bootstrap_totals, uplift_interval

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "tests" / "fixtures" / "metrics" / "registry"
SHA = "0" * 64
VISIT = Event("visit", "Visit", "Chuyến thăm", "state_visit", date(2025, 6, 4), date(2025, 6, 5))
POSTS = [  # post, local day, reactions, reach
    ("p-0", date(2025, 5, 20), 1, 10),
    ("p-1", date(2025, 6, 2), 10, 100),
    ("p-2", date(2025, 6, 3), 20, 300),
    ("p-3", date(2025, 6, 4), 60, 500),
    ("p-4", date(2025, 6, 5), 30, 400),
]
NET = [(date(2025, 6, 2), 5), (date(2025, 6, 3), 5), (date(2025, 6, 4), 12), (date(2025, 6, 5), 8)]


def build(store: Store) -> Store:
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
        for post, day, reactions, reach in POSTS:
            local = datetime(day.year, day.month, day.day, 10, 0)
            cur.execute(
                "INSERT INTO posts VALUES ('van-facebook', ?, NULL, ?, ?, 'Photo', ?, ?, "
                "DATE '2025-06-30', ?)",
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
    result = event_uplift(con, "cg-vancouver", VISIT)
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


def test_a_longer_baseline_counts_quiet_days_as_0_and_unknown_days_not_at_all(con):
    result = event_uplift(con, "cg-vancouver", VISIT, baseline_days=4)
    assert result["interactions"] == {
        "event": 90,
        "baseline": 15.0,
        "uplift": pytest.approx(5.0),
        "low": pytest.approx(1.25),
        "high": None,
    }
    assert result["net_follows"]["baseline"] == 10.0
    assert result["net_follows"]["uplift"] == pytest.approx(1.0)


def test_the_interval_is_deterministic_and_follows_the_seed():
    days = [3.0, 8.0, 1.0, 14.0, 6.0, 0.0, 9.0]
    first = bootstrap_totals(days, 3, draws=500, seed=7)
    assert (first == bootstrap_totals(days, 3, draws=500, seed=7)).all()
    assert not (first == bootstrap_totals(days, 3, draws=500, seed=8)).all()
    assert uplift_interval(40.0, days, 3, seed=7) == uplift_interval(40.0, days, 3, seed=7)


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
        ("2025-06-02", 10.0, "baseline"),
        ("2025-06-03", 20.0, "baseline"),
        ("2025-06-04", 60.0, "event"),
        ("2025-06-05", 30.0, "event"),
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


def _cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "DIPLOPULSE_LANG": lang}
    env.pop("DIPLOPULSE_DB", None)
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
def registry(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    for name in ("missions.csv", "accounts.csv"):
        (folder / name).write_bytes((REGISTRY / name).read_bytes())
    (folder / "events.csv").write_text(to_csv([VISIT, *starter_events([2025])]), encoding="utf-8")
    return folder


def test_cli_json(event_store, registry):
    done = _cli(
        "event", "--mission", "cg-vancouver", "--event", "visit", "--db", str(event_store.path),
        "--registry", str(registry), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data) == ["kpis"]
    assert data["kpis"]["interactions"] == {
        "event": 90, "baseline": 30.0, "uplift": 2.0, "low": 1.25, "high": 3.5,
    }  # fmt: skip
    assert data["kpis"]["net_follows"]["uplift"] == pytest.approx(1.0)
    longer = _cli(
        "event", "--mission", "cg-vancouver", "--event", "visit", "--baseline-days", "4",
        "--db", str(event_store.path), "--registry", str(registry), "--json",
    )  # fmt: skip
    assert json.loads(longer.stdout)["kpis"]["interactions"]["high"] is None


def test_cli_refuses_an_unknown_event_in_one_line(event_store, registry):
    for lang, word in (("en", "unknown event"), ("vi", "không có sự kiện")):
        done = _cli(
            "event", "--mission", "cg-vancouver", "--event", "nope",
            "--db", str(event_store.path), "--registry", str(registry), "--json", lang=lang,
        )  # fmt: skip
        assert done.returncode == 2
        assert word in done.stderr and done.stderr.count("\n") == 1
