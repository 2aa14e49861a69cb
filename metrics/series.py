"""Series for charts and lists: KPIs day by day, the best posts, the mix of platforms.

They read the same sources as the KPIs (`metrics/sql/`), so a chart's points add up to the card
beside it: the daily interactions of a window sum to its `interactions` KPI, the daily net
follows to its `net_follows`.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

import duckdb
import pandas as pd

from metrics.engine import compute, run, source_sql
from metrics.scope import Scope

# metric -> (source, SQL aggregate per day over the source's rows)
_FLOW_METRICS: dict[str, tuple[str, str]] = {
    "posts": ("posts", "count(post_id)"),
    "interactions": ("posts", "sum(interactions)"),
    "reach": ("posts", "sum(reach)"),
    "impressions": ("posts", "sum(impressions)"),
    "video_views": ("posts", "sum(video_views)"),
    "net_follows": ("account_days", "sum(net_follows)"),
}
SERIES_METRICS = ("followers", *_FLOW_METRICS)
SERIES_BY = {
    "platform": "platform",
    "account_id": "account_id",
    "account": "account_id",
    "mission_id": "mission_id",
    "mission": "mission_id",
    "owner": "owner",
    "region": "region",
    "network": None,
}
FREQS = {"day": None, "week": "week", "month": "month"}
# A window this short (in days) is charted day by day: in weeks it would be two to five bars,
# the first and last of them partial.
DAILY_UP_TO_DAYS = 31
TOP_POSTS_ORDER = (
    "interactions",
    "reactions",
    "comments",
    "shares",
    "reach",
    "impressions",
    "video_views",
    "er_reach",
    "published_date",
)


def _period(freq: str, column: str) -> str:
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    unit = FREQS[freq]
    # date_trunc gives the period's first day: Monday for weeks (ISO), the 1st for months.
    return column if unit is None else f"CAST(date_trunc('{unit}', {column}) AS DATE)"


def trend_freq(scope: Scope) -> str:
    """The period a chart of flows over the scope's window uses: "day" for a window of at most
    `DAILY_UP_TO_DAYS` days, else "week"."""
    return "day" if scope.days <= DAILY_UP_TO_DAYS else "week"


def periods(start: date, end: date, freq: str) -> pd.DataFrame:
    """The periods of `freq` that overlap the window `start`..`end` (both included), in order.

    Columns: date (the period's first day: a Monday for weeks, the 1st for months, as
    `timeseries` dates it), first and last (its first and last day inside the window), days
    (how many of its days are inside the window) and period_days (its full length: 7 for a
    week). A period is partial when days < period_days: its value counts only `days` days.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    rows = []
    day = start
    while day <= end:
        if freq == "day":
            begin, length = day, 1
        elif freq == "week":
            begin, length = day - timedelta(days=day.weekday()), 7
        else:
            begin, length = day.replace(day=1), calendar.monthrange(day.year, day.month)[1]
        last = min(begin + timedelta(days=length - 1), end)
        rows.append((begin, day, last, (last - day).days + 1, length))
        day = last + timedelta(days=1)
    frame = pd.DataFrame(rows, columns=["date", "first", "last", "days", "period_days"])
    for column in ("date", "first", "last"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def timeseries(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    metric: str,
    by: str = "platform",
    freq: str = "day",
) -> pd.DataFrame:
    """One value per period and group: columns date (period start), <by column>, value.

    Flows (posts, interactions, reach, impressions, video_views by publish date; net_follows by
    day) are summed over the period; periods without a known value are left out, except for
    `posts`, which is 0 for every period of a group whose accounts have post data.
    `followers` is a stock: per account the last known total carried forward, but never past
    the account's last known day; summed over accounts; a period shows its last day's value.
    Weekly and monthly frames also have the columns days and period_days of `periods`: a first
    or last period that the window cuts (days < period_days) counts only its days inside it.
    """
    if by not in SERIES_BY:
        raise ValueError(f"by must be one of {', '.join(SERIES_BY)}, not {by!r}")
    column = SERIES_BY[by]
    name = by if column is None else column
    group = f"'network' AS {name}" if column is None else f"{column} AS {name}"
    if metric == "followers":
        frame = run(con, scope, _followers_sql(group, name, freq))
    elif metric == "posts":
        frame = run(con, scope, _posts_sql(group, name, freq))
    elif metric in _FLOW_METRICS:
        frame = flows(con, scope, (metric,), by, freq).rename(columns={metric: "value"})
        return frame[frame["value"].notna()].reset_index(drop=True)  # with its periods' lengths
    else:
        raise ValueError(f"metric must be one of {', '.join(SERIES_METRICS)}, not {metric!r}")
    frame["value"] = frame["value"].astype("float64")
    if freq == "day":
        return frame
    return _with_lengths(frame, scope, freq)


def _with_lengths(frame: pd.DataFrame, scope: Scope, freq: str) -> pd.DataFrame:
    # How much of each period the window covers, so a chart can mark a cut week as partial.
    lengths = periods(scope.start, scope.end, freq)[["date", "days", "period_days"]]
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.merge(lengths, on="date", how="left", validate="many_to_one")


def flows(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    metrics: Sequence[str],
    by: str = "platform",
    freq: str = "day",
    *,
    ordered: bool = True,
) -> pd.DataFrame:
    """Several flows (of `_FLOW_METRICS`, posts aside) as `timeseries` gives each, from one
    statement (each source read once): columns date (period start), <by column>, then one per
    metric (NaN where `timeseries` leaves that period out); a period where none is known is left
    out. Weekly and monthly frames have days and period_days too. Rows by group, then date;
    `ordered=False`: in no particular order, for a caller that places them itself (the sort of
    a network's accounts × 35 days by account id was a third of the statement at 10x)."""
    if by not in SERIES_BY:
        raise ValueError(f"by must be one of {', '.join(SERIES_BY)}, not {by!r}")
    wrong = [m for m in metrics if m not in _FLOW_METRICS or m == "posts"]
    if wrong or not metrics:
        known = ", ".join(m for m in _FLOW_METRICS if m != "posts")
        raise ValueError(f"metrics must be some of {known}, not {list(metrics)!r}")
    column = SERIES_BY[by]
    name = by if column is None else column
    group = f"'network' AS {name}" if column is None else f"{column} AS {name}"
    by_source: dict[str, dict[str, str]] = {}
    for metric in metrics:
        source, aggregate = _FLOW_METRICS[metric]
        by_source.setdefault(source, {})[metric] = aggregate
    ctes = [
        f"daily{n} AS ({_daily_sql(source, aggregates, group, freq)})"
        for n, (source, aggregates) in enumerate(by_source.items())
    ]
    joined = "daily0" + "".join(
        f" FULL JOIN daily{n} USING (date, {name})" for n in range(1, len(by_source))
    )
    known = " OR ".join(f"{m} IS NOT NULL" for m in metrics)
    sql = (
        ", " + ",\n".join(ctes) + f"\nSELECT date, {name}, {', '.join(metrics)} FROM {joined}"
        f"\nWHERE {known}" + (f" ORDER BY {name}, date" if ordered else "")
    )
    frame = run(con, scope, sql)
    for metric in metrics:
        frame[metric] = frame[metric].astype("float64")
    return frame if freq == "day" else _with_lengths(frame, scope, freq)


def _daily_sql(
    source: str, aggregates: dict[str, str], group: str, freq: str, rows: str | None = None
) -> str:
    """Per period and group, each of `aggregates` (column -> aggregate) over the source's rows
    of that period (by their `date`); `rows`: a relation holding them, when the statement has
    one already."""
    values = ", ".join(f"{aggregate} AS {column}" for column, aggregate in aggregates.items())
    relation = rows or f"({source_sql(source)})"
    return (
        f"SELECT {_period(freq, 'date')} AS date, {group}, {values} "
        f"FROM {relation} AS source_rows WHERE date IS NOT NULL GROUP BY ALL"
    )


def _posts_sql(group: str, name: str, freq: str) -> str:
    # A group whose accounts have post data published nothing on a day without rows: 0.
    source, aggregate = _FLOW_METRICS["posts"]
    daily = _daily_sql(source, {"value": aggregate}, group, freq, rows="source_rows")
    return f"""
        , source_rows AS ({source_sql(source)})
        , daily AS ({daily})
        , groups AS (SELECT DISTINCT {group} FROM source_rows WHERE has_post_data)
        , periods AS (
            SELECT DISTINCT {_period(freq, "CAST(d AS DATE)")} AS date
            FROM range($start::TIMESTAMP, $end::TIMESTAMP + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
        )
        SELECT p.date, g.{name}, coalesce(d.value, 0) AS value
        FROM groups g CROSS JOIN periods p
        LEFT JOIN daily d ON d.date = p.date AND d.{name} = g.{name}
        ORDER BY g.{name}, p.date"""


def _followers_sql(group: str, name: str, freq: str) -> str:
    # Each known total holds from its day to the day before the next known total; the last
    # known total of an account holds on its own day only. Only the totals that can matter are
    # read: those of the window, and per account the last one before it and the first after.
    return f"""
        , in_window AS (
            SELECT t.account_id, t.date, t.followers
            FROM follower_totals t SEMI JOIN scope_accounts s ON s.account_id = t.account_id
            WHERE t.date BETWEEN $start AND $end
        )
        , spans AS (
            SELECT s.account_id, min(w.date) AS first, max(w.date) AS last
            FROM scope_accounts s LEFT JOIN in_window w ON w.account_id = s.account_id
            GROUP BY s.account_id
        )
        -- Outside the window, only accounts without a total on its first (last) day need one:
        -- usually none (rebuilt series are daily), and then the rest of the table is not read.
        , before AS (
            SELECT t.account_id, max(t.date) AS date
            FROM follower_totals t
            SEMI JOIN (SELECT account_id FROM spans WHERE coalesce(first > $start, true)) n
              ON n.account_id = t.account_id
            WHERE t.date < $start GROUP BY t.account_id
        )
        , after AS (
            SELECT t.account_id, min(t.date) AS date
            FROM follower_totals t
            SEMI JOIN (SELECT account_id FROM spans WHERE coalesce(last < $end, true)) n
              ON n.account_id = t.account_id
            WHERE t.date > $end GROUP BY t.account_id
        )
        , totals AS (
            SELECT account_id, date, followers,
                   lead(date) OVER (PARTITION BY account_id ORDER BY date) AS next_date
            FROM (
                SELECT * FROM in_window
                UNION ALL
                SELECT t.account_id, t.date, t.followers FROM follower_totals t
                JOIN (SELECT * FROM before UNION ALL SELECT * FROM after) e
                  ON e.account_id = t.account_id AND e.date = t.date
            )
        )
        -- A total followed by the next day's, or by none, holds on its own day only: most of
        -- them (rebuilt series are daily); only those before a gap are carried over its days
        -- (unnesting a one-day series for every total took half the statement at 10x).
        , carried AS (
            SELECT account_id, followers, date
            FROM totals
            WHERE date BETWEEN $start AND $end AND coalesce(next_date = date + 1, true)
            UNION ALL
            SELECT account_id, followers,
                   CAST(unnest(generate_series(
                       greatest(date, $start), least(next_date - 1, $end), INTERVAL 1 DAY
                   )) AS DATE) AS date
            FROM totals
            WHERE date <= $end AND next_date > date + 1
        )
        , daily AS (
            SELECT c.date, {group}, sum(c.followers) AS value
            FROM carried c JOIN scope_accounts USING (account_id)
            GROUP BY ALL
        )
        SELECT {_period(freq, "date")} AS date, {name}, arg_max(value, date) AS value
        FROM daily GROUP BY ALL ORDER BY {name}, date"""


def top_posts(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    n: int = 10,
    order_by: str = "interactions",
) -> pd.DataFrame:
    """The scope's `n` best posts of the window by `order_by` (unknown values last), with their
    latest metrics and er_reach (interactions / reach when both are known and reach > 0)."""
    if order_by not in TOP_POSTS_ORDER:
        raise ValueError(f"order_by must be one of {', '.join(TOP_POSTS_ORDER)}, not {order_by!r}")
    order = (
        f"{'date' if order_by == 'published_date' else order_by} DESC NULLS LAST, "
        "date DESC, account_id, post_id"
    )
    sql = f"""
        , source_rows AS ({source_sql("posts")})
        , best AS (
            SELECT *,
                   CASE WHEN interactions IS NOT NULL AND reach > 0 THEN interactions / reach
                   END AS er_reach
            FROM source_rows
            WHERE post_id IS NOT NULL
            ORDER BY {order} LIMIT $limit
        )
        -- descriptive fields are read for the n posts only: the source stays narrow
        SELECT b.account_id, b.mission_id, b.platform, b.owner, b.post_id,
               b.date AS published_date, p.published_local, p.post_type, p.text, p.permalink,
               b.reactions, b.comments, b.shares, b.interactions, b.reach, b.impressions,
               b.video_views, b.er_reach
        FROM best b
        JOIN posts p ON p.account_id = b.account_id AND p.post_id = b.post_id
            AND p.published_date BETWEEN $start AND $end  -- data/store.py SORTED
        ORDER BY {"b.date" if order_by == "published_date" else "b." + order_by} DESC NULLS LAST,
                 b.date DESC, b.account_id, b.post_id
    """
    return _run_limited(con, scope, sql, n)


def _run_limited(con: duckdb.DuckDBPyConnection, scope: Scope, sql: str, n: int) -> pd.DataFrame:
    # `run` passes the scope's parameters; LIMIT's value is inlined as a checked integer.
    return run(con, scope, sql.replace("$limit", str(max(int(n), 0))))


def platform_mix(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Per platform: posts, interactions, followers_end, and the platform's share of the
    interactions of all platforms (NaN when the total is unknown or 0)."""
    return platform_shares(compute(con, scope, by="platform"))


# The KPIs of the platform mix (`platform_shares` reads these columns only).
PLATFORM_MIX_KPIS = ("posts", "interactions", "followers_end")


def platform_shares(by_platform: pd.DataFrame) -> pd.DataFrame:
    """`platform_mix` of a frame `compute(by="platform")` already gave (the Mission page has
    it from `mission_numbers`, of PLATFORM_MIX_KPIS)."""
    frame = by_platform[["platform", *PLATFORM_MIX_KPIS]].copy()
    total = frame["interactions"].sum(min_count=1)
    if pd.isna(total) or total == 0:
        frame["share_of_interactions"] = float("nan")
    else:
        frame["share_of_interactions"] = frame["interactions"] / total
    return frame.reset_index(drop=True)
