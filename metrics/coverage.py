"""What data the store holds for each account: the first thing to read before trusting a KPI.

A KPI is unknown where its inputs are missing, so an empty card usually means "not imported";
`coverage` says per account which periods and metrics the store has, and from how many imports.
"""

from __future__ import annotations

import duckdb
import pandas as pd


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per registry account: account_id, mission_id, platform, owner, posts, first_post,
    last_post, snapshot_as_of (latest post-metrics snapshot), daily_first, daily_last,
    daily_metrics (comma list), follower_days_reported, follower_days_rebuilt, imports."""
    frame = con.execute(
        """
        WITH post_stats AS (
            SELECT account_id, count(*) AS posts, min(published_date) AS first_post,
                   max(published_date) AS last_post
            FROM posts GROUP BY account_id
        ),
        snapshots AS (
            SELECT account_id, max(as_of) AS snapshot_as_of FROM post_metrics GROUP BY account_id
        ),
        daily AS (
            SELECT account_id, min(date) AS daily_first, max(date) AS daily_last,
                   string_agg(DISTINCT metric, ',' ORDER BY metric) AS daily_metrics
            FROM account_daily WHERE value IS NOT NULL GROUP BY account_id
        ),
        followers AS (
            SELECT account_id,
                   count(*) FILTER (WHERE basis = 'reported') AS follower_days_reported,
                   count(*) FILTER (WHERE basis = 'rebuilt') AS follower_days_rebuilt
            FROM follower_totals GROUP BY account_id
        ),
        -- A baseline file covering several accounts is logged once with the ids joined by ', '.
        imported AS (
            SELECT trim(one) AS account_id, count(*) AS imports
            FROM (
                SELECT unnest(string_split(account_id, ',')) AS one
                FROM imports WHERE outcome = 'imported' AND account_id IS NOT NULL
            )
            GROUP BY ALL
        )
        SELECT a.account_id, a.mission_id, a.platform, a.owner,
               coalesce(p.posts, 0) AS posts, p.first_post, p.last_post, s.snapshot_as_of,
               d.daily_first, d.daily_last, d.daily_metrics,
               coalesce(f.follower_days_reported, 0) AS follower_days_reported,
               coalesce(f.follower_days_rebuilt, 0) AS follower_days_rebuilt,
               coalesce(i.imports, 0) AS imports
        FROM accounts a
        LEFT JOIN post_stats p USING (account_id)
        LEFT JOIN snapshots s USING (account_id)
        LEFT JOIN daily d USING (account_id)
        LEFT JOIN followers f USING (account_id)
        LEFT JOIN imported i USING (account_id)
        ORDER BY a.mission_id, a.platform, a.owner, a.account_id
        """
    ).df()
    for column in ("posts", "follower_days_reported", "follower_days_rebuilt", "imports"):
        frame[column] = frame[column].astype("int64")
    return frame
