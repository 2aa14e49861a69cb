"""Audience KPIs: rebuilt follower totals, the precedence of net follows, er_followers."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from connectors.importer import follower_totals_from
from data.registry import load_registry, upsert_registry
from data.store import Store
from metrics import Scope, kpis
from metrics.engine import source_rows

REGISTRY = Path(__file__).resolve().parents[1] / "fixtures" / "metrics" / "registry"
W = (date(2025, 3, 1), date(2025, 3, 14))
D = date(2025, 3, 1) - timedelta(days=1)  # D + n = 2025-03-n


def day(n: int) -> date:
    return D + timedelta(days=n)


def test_rebuilt_totals_are_stored_with_their_basis(con):
    rows = con.execute(
        "SELECT date, followers, basis FROM follower_totals WHERE account_id = 'jp-youtube' "
        "ORDER BY date"
    ).fetchall()
    # 2000 known on 03-10; net 3, −1, 4, 2, 0 on 03-08..03-12
    assert rows == [
        (day(8), 1997.0, "rebuilt"),  # 2000 − 4 − (−1)
        (day(9), 1996.0, "rebuilt"),  # 2000 − 4
        (day(10), 2000.0, "reported"),
        (day(11), 2002.0, "rebuilt"),  # 2000 + 2
        (day(12), 2002.0, "rebuilt"),  # 2002 + 0
    ]


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (day(7), None),  # the series starts on 03-08: nothing known before
        (day(9), 1996),  # rebuilt backwards from 03-10
        (day(10), 2000),  # reported
        (day(14), 2002),  # the last known day, 03-12, carried to the end of the window
    ],
)
def test_followers_end_reads_reported_and_rebuilt_totals(con, end, expected):
    result = kpis(con, "emb-jp", day(1), end, platform="youtube")
    assert result["followers_end"] == expected


def test_net_follows_takes_in_out_then_net_series_then_change_of_totals(con):
    rows = source_rows(con, Scope(*W, missions=("emb-jp",)), "account_days")
    got = {
        (r.account_id, r.date.date()): (r.net_follows, r.net_basis)
        for r in rows.itertuples()
        if pd.notna(r.date)
    }
    assert got == {
        # jp-facebook: 03-05 has all three (20 − 5 = 15; net series 11; totals 510 − 500 = 10)
        ("jp-facebook", day(5)): (15.0, "in_out"),
        # 03-06: new follows 30 but no unfollows; net series 12; totals 530 − 510 = 20
        ("jp-facebook", day(6)): (12.0, "net_series"),
        # 03-07: only totals, 560 − 530
        ("jp-facebook", day(7)): (30.0, "totals"),
        # 03-04 is absent: its change needs a total on 03-03
        ("jp-youtube", day(8)): (3.0, "net_series"),
        ("jp-youtube", day(9)): (-1.0, "net_series"),
        ("jp-youtube", day(10)): (4.0, "net_series"),
        ("jp-youtube", day(11)): (2.0, "net_series"),
        ("jp-youtube", day(12)): (0.0, "net_series"),
    }
    assert kpis(con, "emb-jp", *W)["net_follows"] == 15 + 12 + 30 + 8


def test_net_follows_uses_the_latest_export_of_a_day(con):
    # us-facebook 03-03: new_follows 4 (export of 03-31) replaces 40 (export of 03-05): 4 − 1
    rows = source_rows(con, Scope(day(3), day(3), missions=("emb-us",)), "account_days")
    assert rows.dropna(subset=["date"])["net_follows"].tolist() == [3.0]


def test_totals_rebuilt_from_a_net_series_feed_both_follower_kpis(store: Store):
    """Only follower totals, as follower_totals_from rebuilds them; no daily series stored, so
    net follows can only come from the change of totals."""
    known = {day(10): 2000.0}
    net = {day(8): 3.0, day(9): -1.0, day(10): 4.0, day(11): 2.0, day(12): 0.0}
    totals = follower_totals_from(known, net)
    assert totals == {
        day(8): (1997.0, "rebuilt"),
        day(9): (1996.0, "rebuilt"),
        day(10): (2000.0, "reported"),
        day(11): (2002.0, "rebuilt"),
        day(12): (2002.0, "rebuilt"),
    }
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
        for d, (followers, basis) in totals.items():
            cur.execute(
                "INSERT INTO follower_totals VALUES ('jp-youtube', ?, ?, ?)", [d, followers, basis]
            )
    with store.read() as con:
        result = kpis(con, "emb-jp", *W, platform="youtube")
    assert result["followers_end"] == 2002
    # changes of totals 03-09..03-12: −1, 4, 2, 0; 03-08 needs 03-07, which is unknown
    assert result["net_follows"] == -1 + 4 + 2 + 0
    assert result["posts"] is None  # no post data at all


def test_er_followers_uses_the_total_on_or_before_the_post_day(con):
    rows = source_rows(con, Scope(*W, missions=("emb-us", "emb-jp")), "posts")
    at_post = dict(zip(rows["post_id"], rows["followers_at_post"], strict=True))
    assert at_post["fb-1"] == 1008  # 03-02: the rebuilt total of 03-01
    assert at_post["fb-2"] == 1020  # 03-10: the reported total of 03-03
    assert at_post["x-7"] == 300  # 03-14: the baseline of 03-10
    assert at_post["yt-2"] == 1997  # 03-08: rebuilt that very day
    assert pd.isna(at_post["yt-1"])  # 03-05: before any total of jp-youtube
    assert kpis(con, "emb-jp", *W)["er_followers"] == pytest.approx(10 / 1997)
