"""Where a scope's followers are: the host-country share over time and the other countries.

Both read the source `geography` (metrics/sql/geography.sql: each account's latest follower
geography on or before a window's end, as shares per country), the one the KPI
`host_audience_share` (metrics/families/host_audience.py) aggregates: the trend *is* that KPI
computed at each period's last day, and the countries are weighted by followers as it is.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.engine import compute_windows, run, source_sql
from metrics.scope import Scope
from metrics.series import periods

HOST_KPI = "host_audience_share"


def host_audience_trend(
    con: duckdb.DuckDBPyConnection, scope: Scope, freq: str = "month"
) -> pd.DataFrame:
    """`host_audience_share` of the scope's accounts (all together) at the last day of each
    period of `freq` ("week" | "month") in the window: columns date (the period's first day, as
    `timeseries` dates it), as_of (its last day inside the window), value (NaN = unknown).

    The KPI depends only on the window's end (the latest follower total and geography on or
    before it), so each period is the KPI over the one-day window of its last day, all periods
    in one statement."""
    frame = periods(scope.start, scope.end, freq)
    ends = [day.date() for day in frame["last"]]
    values = compute_windows(con, scope, "network", [(end, end) for end in ends], only=[HOST_KPI])
    by_window = dict(zip(values["window_id"], values[HOST_KPI], strict=True))
    return pd.DataFrame(
        {
            "date": frame["date"],
            "as_of": frame["last"],
            "value": [float(by_window.get(i, float("nan"))) for i in range(len(ends))],
        }
    )


def audience_countries(con: duckdb.DuckDBPyConnection, scope: Scope, n: int = 10) -> pd.DataFrame:
    """The countries of the scope's followers: its missions' host countries (`is_host`), then
    at most `n` others (Viet Nam and the diaspora's countries included), largest first.
    Columns: country (ISO-2), share (Σ over accounts of followers_end × the country's share /
    Σ followers_end over the accounts with a geography and followers_end > 0: the weighting of
    `host_audience_share`, here over every such account, missions to organisations included),
    accounts (how many of them list the country), as_of (the newest geography date behind the
    row), is_host. Ties by country code."""
    sql = f"""
        , geo AS ({source_sql("geography")}),
        total AS (
            SELECT sum(followers_end) FILTER (WHERE account_row AND followers_end > 0) AS weight
            FROM geo
        ),
        hosts AS (SELECT DISTINCT host_country FROM scope_accounts WHERE host_country IS NOT NULL),
        countries AS (
            SELECT key AS country,
                   sum(followers_end * share) FILTER (WHERE followers_end > 0)
                       / nullif((SELECT weight FROM total), 0) AS share,
                   count(DISTINCT account_id) FILTER (WHERE followers_end > 0) AS accounts,
                   max(geography_as_of) FILTER (WHERE followers_end > 0) AS as_of,
                   key IN (SELECT host_country FROM hosts) AS is_host
            FROM geo
            GROUP BY key
            HAVING share IS NOT NULL
        )
        SELECT * FROM countries
        QUALIFY is_host OR row_number() OVER (PARTITION BY is_host ORDER BY share DESC, country) <= $n
        ORDER BY is_host DESC, share DESC, country
    """
    frame = run(con, scope, sql.replace("$n", str(max(int(n), 0))))
    frame["share"] = pd.to_numeric(frame["share"]).astype("float64")
    frame["accounts"] = frame["accounts"].astype("int64")
    frame["is_host"] = frame["is_host"].astype(bool)
    return frame.reset_index(drop=True)
