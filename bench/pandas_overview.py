"""The Overview as a pandas-in-memory Streamlit app would compute it: the alternative a user
would knock together.

`load` reads the tables into DataFrames once (in such an app: a loader under `st.cache_data`),
already reduced the way that app would keep them (each post's current snapshot, each account's
net follows per day); `overview` is what every render then does: filter the windows, group by
account, then by network, mission and country, with the same KPI rules as `metrics` (so that
`check` can show the numbers are the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from bench.handsql import KPIS
from metrics.engine import previous_window
from metrics.scope import Scope


@dataclass
class Tables:
    """The data of the app, in memory."""

    accounts: pd.DataFrame  # account_id, mission_id, platform, owner, region, country
    posts: pd.DataFrame  # post_current: one row per post with its latest snapshot
    totals: pd.DataFrame  # follower_totals, sorted by date
    net: pd.DataFrame  # account_id, date, v: each account's net follows per day
    with_posts: set[str]  # accounts with any post


def load(con: duckdb.DuckDBPyConnection) -> Tables:
    """Read what the Overview needs into memory."""
    accounts = con.execute(
        "SELECT a.account_id, a.mission_id, a.platform, a.owner, m.region, m.country"
        " FROM accounts a JOIN missions m USING (mission_id)"
    ).df()
    posts = con.execute(
        "SELECT account_id, post_id, published_date, reactions, comments, shares, reach,"
        " impressions, video_views FROM post_current"
    ).df()
    posts["published_date"] = pd.to_datetime(posts["published_date"])
    totals = con.execute("SELECT account_id, date, followers FROM follower_totals").df()
    totals["date"] = pd.to_datetime(totals["date"])
    totals = totals.sort_values("date").reset_index(drop=True)
    daily = con.execute(
        "SELECT account_id, date, metric, value, as_of FROM account_daily"
        " WHERE metric IN ('new_follows', 'unfollows', 'net_follows')"
    ).df()
    daily["date"] = pd.to_datetime(daily["date"])
    # The newest export wins, a NULL included (the rule of account_daily_latest).
    latest = daily.sort_values("as_of").groupby(["account_id", "date", "metric"]).tail(1)
    wide = latest.pivot_table(
        index=["account_id", "date"], columns="metric", values="value", dropna=False
    )
    wide = wide.reindex(columns=["new_follows", "unfollows", "net_follows"])
    keyed = totals.set_index(["account_id", "date"])["followers"]
    before = totals.assign(date=totals["date"] + pd.Timedelta(days=1)).set_index(
        ["account_id", "date"]
    )["followers"]
    diff = (keyed - before.reindex(keyed.index)).dropna()
    net = wide.join(diff.rename("diff"), how="outer")
    both = net["new_follows"].notna() & net["unfollows"].notna()
    value = net["diff"].copy()
    value[net["net_follows"].notna()] = net["net_follows"]
    value[both] = net["new_follows"] - net["unfollows"]
    net = value.rename("v").dropna().reset_index()
    return Tables(accounts, posts, totals, net, set(posts["account_id"].unique()))


def _scope_accounts(tables: Tables, scope: Scope) -> pd.DataFrame:
    acc = tables.accounts
    for column, values in (
        ("mission_id", scope.missions),
        ("platform", scope.platforms),
        ("owner", scope.owners),
        ("region", scope.regions),
    ):
        if values is not None:
            acc = acc[acc[column].isin(values)]
    return acc


def _per_account(tables: Tables, acc: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    ids = acc["account_id"]
    p = tables.posts
    p = p[(p["published_date"] >= lo) & (p["published_date"] <= hi) & p["account_id"].isin(ids)]
    p = p.copy()
    p["it"] = p[["reactions", "comments", "shares"]].sum(axis=1, min_count=1)
    days = p[["account_id", "published_date"]].drop_duplicates().sort_values("published_date")
    at = pd.merge_asof(
        days,
        tables.totals,
        left_on="published_date",
        right_on="date",
        by="account_id",
        direction="backward",
    )
    p = p.merge(at[["account_id", "published_date", "followers"]], how="left")
    reach = p["it"].notna() & (p["reach"] > 0)
    shown = p["it"].notna() & (p["impressions"] > 0)
    erf = p["it"].notna() & (p["followers"] > 0)
    p["it_r"], p["rc_r"] = p["it"].where(reach), p["reach"].where(reach)
    p["it_i"], p["im_i"] = p["it"].where(shown), p["impressions"].where(shown)
    p["erf_s"] = (p["it"] / p["followers"]).where(erf)
    p["erf_n"] = erf.astype("int64")
    sums = p.groupby("account_id")[
        [
            "reactions",
            "comments",
            "shares",
            "it",
            "reach",
            "impressions",
            "video_views",
            "it_r",
            "rc_r",
            "it_i",
            "im_i",
            "erf_s",
            "erf_n",
        ]
    ].sum(min_count=1)
    sums["n"] = p.groupby("account_id")["post_id"].count()
    t = tables.totals
    end_totals = t[(t["date"] <= hi) & t["account_id"].isin(ids)]
    sums = sums.reindex(ids.to_numpy())
    sums["f"] = end_totals.groupby("account_id")["followers"].last().reindex(ids.to_numpy())
    n = tables.net
    n = n[(n["date"] >= lo) & (n["date"] <= hi) & n["account_id"].isin(ids)]
    sums["nf"] = n.groupby("account_id")["v"].sum().reindex(ids.to_numpy())
    sums["has"] = [a in tables.with_posts for a in ids]
    return acc.set_index("account_id").join(sums)


def _kpis(groups: pd.core.groupby.DataFrameGroupBy | pd.DataFrame, days: int) -> pd.DataFrame:
    s = groups.sum(min_count=1, numeric_only=True)
    has = groups["has"].any()
    if isinstance(s, pd.Series):  # the network: one group
        s = s.to_frame().T.astype("float64")
        has = pd.Series([bool(has)], index=s.index)
    out = pd.DataFrame(index=s.index)
    posts = s["n"].fillna(0).where(has.astype(bool))
    out["posts"] = posts
    out["posts_per_week"] = posts / (days / 7.0)
    for kpi, column in (
        ("reactions", "reactions"),
        ("comments", "comments"),
        ("shares", "shares"),
        ("interactions", "it"),
        ("reach", "reach"),
        ("impressions", "impressions"),
        ("video_views", "video_views"),
        ("followers_end", "f"),
        ("net_follows", "nf"),
    ):
        out[kpi] = s[column]
    out["er_reach"] = s["it_r"] / s["rc_r"].replace(0, np.nan)
    out["er_impressions"] = s["it_i"] / s["im_i"].replace(0, np.nan)
    out["er_followers"] = s["erf_s"] / s["erf_n"].replace(0, np.nan)
    return out[list(KPIS)]


def overview(tables: Tables, scope: Scope) -> dict[str, pd.DataFrame]:
    """One render's numbers: the network in this window and the previous one, the missions
    and the countries in this window."""
    acc = _scope_accounts(tables, scope)
    current = _per_account(tables, acc, scope.start, scope.end)
    previous = _per_account(tables, acc, *previous_window(scope.start, scope.end))
    numeric = current.drop(columns=["mission_id", "platform", "owner", "region", "country"])
    network = _kpis(numeric, scope.days)
    network_prev = _kpis(
        previous.drop(columns=["mission_id", "platform", "owner", "region", "country"]),
        scope.days,
    )
    by_mission = _kpis(
        current.drop(columns=["platform", "owner", "region", "country"]).groupby("mission_id"),
        scope.days,
    )
    by_country = _kpis(
        current.drop(columns=["mission_id", "platform", "owner", "region"]).groupby("country"),
        scope.days,
    )
    return {
        "network": network,
        "network_previous": network_prev,
        "mission": by_mission,
        "country": by_country,
    }


def check(con: duckdb.DuckDBPyConnection, tables: Tables, scope: Scope) -> dict[str, list[str]]:
    """Which KPIs differ from `metrics` (empty lists: the same numbers)."""
    import metrics
    from bench.handsql import _same

    ours = overview(tables, scope)
    theirs = metrics.compare(con, scope, by="network")
    previous = theirs[[f"{k}_prev" for k in KPIS]].rename(columns=lambda c: c[: -len("_prev")])
    result = {
        "network": _same(theirs[list(KPIS)], ours["network"].reset_index(drop=True), None),
        "network_previous": _same(previous, ours["network_previous"].reset_index(drop=True), None),
    }
    for by, column in (("mission", "mission_id"), ("country", "country")):
        frame = ours[by].rename_axis(column).reset_index()
        result[by] = _same(metrics.compute(con, scope, by=by), frame, column)
    return result
