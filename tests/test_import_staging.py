"""A read file's records as stage tables, built where the file was read (issue #6: the import
parses on all cores and only Arrow tables cross between processes): each record goes to the
importer's account for it, with the local-time rule, and the writer keeps the pages it writes."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from connectors.base import AudienceValue, DailyValue, Parsed, PostRecord
from connectors.staging import stage

ZONES = {"us-facebook": ZoneInfo("America/New_York"), "jp-facebook": ZoneInfo("Asia/Tokyo")}
AS_OF = date(2026, 10, 31)


def several_pages() -> Parsed:
    return Parsed(
        "facebook",
        owners={"111": "Embassy USA", "222": "Embassy Japan", "999": "Unknown page"},
        posts=[
            # 2026-10-01 12:00 UTC: 08:00 in New York (EDT, UTC-4), 21:00 in Tokyo (UTC+9)
            PostRecord("p1", datetime(2026, 10, 1, 12, 0, tzinfo=UTC), reach=10.0, owner="111"),
            PostRecord("p2", datetime(2026, 10, 1, 12, 0, tzinfo=UTC), reach=None, owner="222"),
            PostRecord("p3", date(2026, 10, 2), owner="999"),  # a page the registry lacks
        ],
        audience=[AudienceValue("country", "US", 0.5, "share", "followers", owner="111")],
    )


def test_each_record_goes_to_its_pages_account_in_its_zone():
    staged = stage(
        several_pages(),
        account_id=None,
        routes={"111": "us-facebook", "222": "jp-facebook"},
        platforms={},
        as_of=AS_OF,
        sha="abc",
        zones=ZONES,
    )
    posts = staged.posts.to_pylist()
    assert [(p["account_id"], p["post_id"]) for p in posts] == [
        ("us-facebook", "p1"),
        ("jp-facebook", "p2"),
    ]
    assert [p["published_local"] for p in posts] == [
        datetime(2026, 10, 1, 8, 0),
        datetime(2026, 10, 1, 21, 0),
    ]
    assert {p["published_utc"] for p in posts} == {datetime(2026, 10, 1, 12, 0)}
    assert [m["reach"] for m in staged.metrics.to_pylist()] == [10.0, None]
    assert staged.audience.to_pylist()[0]["account_id"] == "us-facebook"
    assert staged.daily is None and staged.post_daily is None
    # The writer keeps the pages it writes now (the others were imported from this file before).
    only = pickle.loads(pickle.dumps(staged)).only({"jp-facebook"})
    assert [p["post_id"] for p in only.posts.to_pylist()] == ["p2"]
    assert only.audience.num_rows == 0
    # Each file's place in its batch: the later file wins a tie.
    assert staged.table("posts", 3).column("seq").to_pylist() == [3, 3]


def test_daily_values_go_to_their_own_or_their_platforms_account():
    parsed = Parsed(
        "facebook",
        daily=[
            DailyValue(date(2026, 10, 1), "followers", 100.0),
            DailyValue(date(2026, 10, 1), "followers", 7.0, platform="instagram"),
            DailyValue(date(2026, 10, 1), "followers", 5.0, account_id="jp-facebook"),
        ],
    )
    staged = stage(
        parsed,
        account_id="us-facebook",
        routes={},
        platforms={"instagram": "us-instagram"},
        as_of=AS_OF,
        sha="abc",
        zones=ZONES,
    )
    assert staged.daily.column("account_id").to_pylist() == [
        "us-facebook",
        "us-instagram",
        "jp-facebook",
    ]
    assert staged.daily_accounts() == {"us-facebook", "us-instagram", "jp-facebook"}
    assert set(staged.daily.column("as_of").to_pylist()) == {AS_OF}
