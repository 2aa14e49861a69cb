"""The local-time rule, in one place: a post's publish time in its mission's time zone.

An export gives a publish time with a zone (X legacy: `2016-12-23 18:50 +0000`), as a local
time without a zone (Meta: the page's local time), or as a date only. The store keeps the UTC
instant when there is one, the local time in the mission's zone, and the local date that every
date window filters on. The importer applies `local_times` to what it writes, and the registry
calls `relocalise` when a mission's (or an account's) time zone changes. Nothing here reads the
host's time zone: zones are named, and naive UTC values are made aware explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa


def local_times(
    published: object, zone: ZoneInfo
) -> tuple[datetime | None, datetime | None, date | None]:
    """(UTC instant, local time, local date) of a publish time, all naive.

    An aware datetime is converted to `zone`; a naive datetime is already local time (no UTC
    instant is known); a date gives only the date; anything else gives nothing.
    """
    if isinstance(published, datetime):
        if published.tzinfo is not None:
            local = published.astimezone(zone).replace(tzinfo=None)
            return published.astimezone(UTC).replace(tzinfo=None), local, local.date()
        return None, published, published.date()
    if isinstance(published, date):
        return None, None, published
    return None, None, None


def account_zones(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each registered account's time zone (its mission's)."""
    return dict(
        cur.execute(
            "SELECT a.account_id, m.timezone FROM accounts a JOIN missions m USING (mission_id)"
        ).fetchall()
    )


def relocalise(cur: duckdb.DuckDBPyConnection, account_ids: Iterable[str]) -> int:
    """Recompute the local time and date of these accounts' posts that carry a UTC instant,
    with `local_times` and each account's current zone. Returns the posts changed."""
    accounts = sorted(set(account_ids))
    if not accounts:
        return 0
    zones = {a: ZoneInfo(z) for a, z in account_zones(cur).items() if a in set(accounts)}
    rows = cur.execute(
        "SELECT account_id, post_id, published_utc, published_local FROM posts "
        "WHERE published_utc IS NOT NULL AND account_id IN (SELECT unnest(?::VARCHAR[]))",
        [accounts],
    ).fetchall()
    changed: dict[str, list] = {"account_id": [], "post_id": [], "local": [], "day": []}
    for account_id, post_id, utc, stored in rows:
        if account_id not in zones:
            continue
        _, local, day = local_times(utc.replace(tzinfo=UTC), zones[account_id])
        if local != stored:
            changed["account_id"].append(account_id)
            changed["post_id"].append(post_id)
            changed["local"].append(local)
            changed["day"].append(day)
    if not changed["post_id"]:
        return 0
    stage = pa.table(
        {
            "account_id": pa.array(changed["account_id"], pa.string()),
            "post_id": pa.array(changed["post_id"], pa.string()),
            "local": pa.array(changed["local"], pa.timestamp("us")),
            "day": pa.array(changed["day"], pa.date32()),
        }
    )
    cur.register("relocalised", stage)
    try:
        cur.execute(
            "UPDATE posts SET published_local = r.local, published_date = r.day "
            "FROM relocalised r WHERE posts.account_id = r.account_id AND posts.post_id = r.post_id"
        )
    finally:
        cur.unregister("relocalised")
    return len(changed["post_id"])


# The ministry's calendar: "today" for defaults and fallbacks is the day in Hà Nội, whatever
# the clock of the computer the dashboard or the command line runs on.
HOME_ZONE = "Asia/Ho_Chi_Minh"


def ministry_today() -> date:
    """Today's date in the ministry's time zone."""
    return datetime.now(ZoneInfo(HOME_ZONE)).date()


def ministry_time(utc: datetime) -> datetime:
    """A moment the store keeps as naive UTC (when a file was imported, when a page was last
    seen) as the ministry's clock shows it, naive: what people in Hà Nội read, whatever the
    zone of the host."""
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(HOME_ZONE)).replace(tzinfo=None)
