"""What data the store holds: the first thing to read before trusting a KPI.

A KPI is unknown where its inputs are missing, so an empty card usually means "not imported".
Two views of the same question:

- `mission_coverage`: the analyst's question, per mission and platform: since when and until
  when do we have data, how stale is it, and which missions have sent nothing at all;
- `coverage`: the technical one, per account: which periods and metrics, from how many imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from data.domain import PLATFORMS

# Staleness classes of `mission_coverage` (days since the last day with data, inclusive bounds):
# a weekly reporting rhythm is "fresh", a missed month is "very stale".
FRESH_DAYS = 7
STALE_DAYS = 30
STALENESS = ("no_data", "very_stale", "stale", "fresh")


@dataclass(frozen=True)
class MissionCoverage:
    """`mission_coverage`'s answer.

    `platforms`: one row per registry mission and platform it has accounts on, stalest first.
    `sent_nothing`: the missions without any data: those with accounts but no data on any
    platform (reason `no_data`) and those without an account (reason `no_account`).
    """

    platforms: pd.DataFrame
    sent_nothing: pd.DataFrame


def mission_coverage(con: duckdb.DuckDBPyConnection, today: date) -> MissionCoverage:
    """How far each mission's data reaches on each platform, relative to `today`.

    `platforms` columns: mission_id, name_en, name_vi, platform, accounts (on that platform,
    the ambassador's included), first_day, last_day (the first and last local day with a post
    or with a known account-level daily value; NULL when none), days_stale (today − last_day,
    0 when the data reaches today or later; NULL when no data), staleness (fresh ≤ FRESH_DAYS,
    stale ≤ STALE_DAYS, very_stale, no_data), posts (posts stored), daily_days (days with at
    least one known account-level daily value), geography_as_of and geography_countries (the
    latest audience-by-country breakdown stored for those accounts: its date and how many
    countries it names; NULL when none). Sorted by days_stale, NULL (no data) first,
    then mission_id and the platform order of `connectors.base.PLATFORMS`.
    `sent_nothing` columns: mission_id, name_en, name_vi, reason (no_data | no_account),
    sorted by mission_id.

    A daily value counts as the KPIs read it (newest export per day, metric: the rule of view
    account_daily_latest): a day whose newest export left every metric empty has no data. The
    rule is the view `mission_platform_coverage` of data/schema.sql, which a published version
    keeps as a table built once: this reads a few hundred rows, not every daily value.
    """
    # The coverage rule is the view mission_platform_coverage (data/schema.sql), kept as a
    # table in a published version: here only what depends on `today`, and the order.
    frame = con.execute(
        """
        SELECT *,
               -- A mission east of the ministry (Tokyo, Canberra) can already be a day ahead.
               -- greatest() skips NULLs, so no data must stay NULL explicitly, not become 0.
               CASE WHEN last_day IS NOT NULL THEN greatest($today - last_day, 0) END
                   AS days_stale,
               CASE
                   WHEN last_day IS NULL THEN 'no_data'
                   WHEN $today - last_day <= $fresh THEN 'fresh'
                   WHEN $today - last_day <= $stale THEN 'stale'
                   ELSE 'very_stale'
               END AS staleness
        FROM mission_platform_coverage
        ORDER BY days_stale DESC NULLS FIRST, mission_id,
                 list_position($platforms, platform), platform
        """,
        {"today": today, "fresh": FRESH_DAYS, "stale": STALE_DAYS, "platforms": list(PLATFORMS)},
    ).df()
    for column in ("first_day", "last_day", "geography_as_of"):
        frame[column] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in frame[column]]
    for column in ("posts", "daily_days", "days_stale", "geography_countries"):
        frame[column] = frame[column].astype("Int64")
    frame["accounts"] = frame["accounts"].astype("int64")
    nothing = (
        frame[frame["sent_nothing"].notna()]
        .drop_duplicates("mission_id")
        .sort_values("mission_id")[["mission_id", "name_en", "name_vi", "sent_nothing"]]
        .rename(columns={"sent_nothing": "reason"})
        .reset_index(drop=True)
    )
    platforms = (
        frame[frame["platform"].notna()].drop(columns=["sent_nothing"]).reset_index(drop=True)
    )
    return MissionCoverage(platforms=platforms, sent_nothing=nothing)


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per registry account: account_id, mission_id, platform, owner, posts, first_post,
    last_post, snapshot_as_of (latest post-metrics snapshot), daily_first, daily_last,
    daily_metrics (comma list), follower_days_reported, follower_days_rebuilt, imports."""
    # The rule is the view account_coverage (data/schema.sql), a table in a published version.
    frame = con.execute(
        "SELECT * FROM account_coverage ORDER BY mission_id, platform, owner, account_id"
    ).df()
    for column in ("posts", "follower_days_reported", "follower_days_rebuilt", "imports"):
        frame[column] = frame[column].astype("int64")
    return frame
