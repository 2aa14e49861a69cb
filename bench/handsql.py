"""Hand-written SQL giving the same numbers as each page's reads: the yardstick of "the limit".

What an engineer who knows the tables would write for one page, straight against the published
version and its derived tables (`post_inputs`: each post's current snapshot, interactions and
followers on its day; `account_net_follows`: each account's net follows per day; the same ones
the engine reads, built once per version): one statement for all the KPIs of all the groups a
page shows (GROUPING SETS over per-account partial sums), plus the page's series and lists,
with no engine, no registry, no pandas post-processing. `check` compares their numbers with `metrics`' so that the comparison
is of equal work; the Data page has none (its coverage tables are not KPIs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from metrics.engine import previous_window
from metrics.scope import Scope

KPIS = (
    "posts",
    "posts_per_week",
    "reactions",
    "comments",
    "shares",
    "interactions",
    "reach",
    "impressions",
    "video_views",
    "er_reach",
    "er_impressions",
    "followers_end",
    "net_follows",
    "er_followers",
)


def _accounts_filter(scope: Scope) -> tuple[str, dict]:
    where, params = [], {}
    for column, values, name in (
        ("a.mission_id", scope.missions, "f_missions"),
        ("a.platform", scope.platforms, "f_platforms"),
        ("a.owner", scope.owners, "f_owners"),
        ("m.region", scope.regions, "f_regions"),
    ):
        if values is not None:
            where.append(f"list_contains(${name}, {column})")
            params[name] = list(values)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def kpi_sql(
    scope: Scope, windows: Sequence[tuple[date, date]], columns: Sequence[str], sets: str
) -> tuple[str, dict]:
    """Every KPI for the grouping sets `sets` (over wid and `columns`, of mission_id, country,
    platform, owner) and every window, in one statement. `level` is GROUPING(columns)."""
    where, params = _accounts_filter(scope)
    values = ", ".join(f"({i}, $s{i}::DATE, $e{i}::DATE)" for i in range(len(windows)))
    for i, (start, end) in enumerate(windows):
        params[f"s{i}"], params[f"e{i}"] = start, end
    params["lo"] = min(s for s, _ in windows)
    params["hi"] = max(e for _, e in windows)
    params["days"] = (windows[0][1] - windows[0][0]).days + 1
    sql = f"""
WITH acc AS (
    SELECT a.account_id, a.mission_id, a.platform, a.owner, m.region, m.country
    FROM accounts a JOIN missions m USING (mission_id){where}
),
win AS (SELECT * FROM (VALUES {values}) w(wid, ws, we)),
p AS (
    SELECT w.wid, c.account_id, c.post_id, c.reactions, c.comments, c.shares, c.reach,
           c.impressions, c.video_views, c.interactions AS it, c.followers_at_post AS fol
    FROM post_inputs c JOIN win w ON c.published_date BETWEEN w.ws AND w.we
    WHERE c.published_date BETWEEN $lo AND $hi AND c.account_id IN (SELECT account_id FROM acc)
),
pa AS (
    SELECT wid, account_id, count(post_id) AS n, sum(reactions) AS re,
           sum(comments) AS co, sum(shares) AS sh, sum(it) AS it, sum(reach) AS rc,
           sum(impressions) AS im, sum(video_views) AS vv,
           sum(it) FILTER (WHERE it IS NOT NULL AND reach > 0) AS it_r,
           sum(reach) FILTER (WHERE it IS NOT NULL AND reach > 0) AS rc_r,
           sum(it) FILTER (WHERE it IS NOT NULL AND impressions > 0) AS it_i,
           sum(impressions) FILTER (WHERE it IS NOT NULL AND impressions > 0) AS im_i,
           sum(it / fol) FILTER (WHERE it IS NOT NULL AND fol > 0) AS erf_s,
           count(*) FILTER (WHERE it IS NOT NULL AND fol > 0) AS erf_n
    FROM p GROUP BY wid, account_id
),
fe AS (
    SELECT w.wid, t.account_id, arg_max(t.followers, t.date) AS f
    FROM follower_totals t JOIN win w ON t.date <= w.we
    WHERE t.account_id IN (SELECT account_id FROM acc)
    GROUP BY w.wid, t.account_id
),
na AS (
    SELECT w.wid, n.account_id, sum(n.net_follows) AS nf
    FROM account_net_follows n JOIN win w ON n.date BETWEEN w.ws AND w.we
    WHERE n.date BETWEEN $lo AND $hi AND n.net_follows IS NOT NULL
      AND n.account_id IN (SELECT account_id FROM acc)
    GROUP BY w.wid, n.account_id
),
hp AS (SELECT DISTINCT account_id FROM posts WHERE account_id IN (SELECT account_id FROM acc)),
per AS (
    SELECT acc.*, w.wid, pa.*EXCLUDE (wid, account_id), fe.f, na.nf,
           hp.account_id IS NOT NULL AS has
    FROM acc CROSS JOIN win w
    LEFT JOIN pa ON pa.account_id = acc.account_id AND pa.wid = w.wid
    LEFT JOIN fe ON fe.account_id = acc.account_id AND fe.wid = w.wid
    LEFT JOIN na ON na.account_id = acc.account_id AND na.wid = w.wid
    LEFT JOIN hp ON hp.account_id = acc.account_id
)
SELECT wid, {", ".join(columns)}, GROUPING({", ".join(columns)}) AS level,
       CASE WHEN bool_or(has) THEN sum(coalesce(n, 0)) END AS posts,
       CASE WHEN bool_or(has) THEN sum(coalesce(n, 0)) END / ($days / 7.0) AS posts_per_week,
       sum(re) AS reactions, sum(co) AS comments, sum(sh) AS shares, sum(it) AS interactions,
       sum(rc) AS reach, sum(im) AS impressions, sum(vv) AS video_views,
       sum(it_r) / nullif(sum(rc_r), 0) AS er_reach,
       sum(it_i) / nullif(sum(im_i), 0) AS er_impressions,
       sum(f) AS followers_end, sum(nf) AS net_follows,
       sum(erf_s) / nullif(sum(erf_n), 0) AS er_followers
FROM per
GROUP BY GROUPING SETS ({sets})
"""
    return sql, params


def followers_daily_sql(scope: Scope) -> tuple[str, dict]:
    """Followers per platform and day: each known total holds until the day before the next
    one (the last one on its own day only), summed over the accounts. Only the totals that can
    matter are read: the window's, and per account the last before it and the first after."""
    where, params = _accounts_filter(scope)
    params |= {"lo": scope.start, "hi": scope.end}
    sql = f"""
WITH acc AS (
    SELECT a.account_id, a.platform FROM accounts a JOIN missions m USING (mission_id){where}
),
mine AS (SELECT * FROM follower_totals WHERE account_id IN (SELECT account_id FROM acc)),
t AS (
    SELECT account_id, date, followers,
           lead(date) OVER (PARTITION BY account_id ORDER BY date) AS nxt
    FROM (
        SELECT account_id, date, followers FROM mine WHERE date BETWEEN $lo AND $hi
        UNION ALL
        SELECT account_id, max(date), arg_max(followers, date) FROM mine WHERE date < $lo
        GROUP BY account_id
        UNION ALL
        SELECT account_id, min(date), arg_min(followers, date) FROM mine WHERE date > $hi
        GROUP BY account_id
    )
),
days AS (
    SELECT account_id, followers,
           unnest(generate_series(greatest(date, $lo::DATE),
                                  least(coalesce(nxt - 1, date), $hi::DATE),
                                  INTERVAL 1 DAY))::DATE AS d
    FROM t WHERE date <= $hi
)
SELECT d AS date, acc.platform, sum(followers) AS value
FROM days JOIN acc USING (account_id)
GROUP BY ALL ORDER BY platform, date
"""
    return sql, params


def top_posts_sql(scope: Scope, n: int = 10) -> tuple[str, dict]:
    """The window's `n` posts with the most interactions, with their text and link."""
    where, params = _accounts_filter(scope)
    params |= {"lo": scope.start, "hi": scope.end, "n": n}
    sql = f"""
WITH acc AS (
    SELECT a.account_id, a.platform FROM accounts a JOIN missions m USING (mission_id){where}
)
SELECT c.account_id, c.post_id, c.published_date, p.text, p.permalink,
       c.reactions + c.comments + c.shares AS interactions, c.reach
FROM post_current c JOIN posts p USING (account_id, post_id)
WHERE c.published_date BETWEEN $lo AND $hi AND c.account_id IN (SELECT account_id FROM acc)
  AND p.published_date BETWEEN $lo AND $hi  -- posts are kept in date order (data/store.py)
ORDER BY interactions DESC NULLS LAST LIMIT $n
"""
    return sql, params


def _run(con: duckdb.DuckDBPyConnection, query: tuple[str, dict]) -> pd.DataFrame:
    return con.execute(*query).df()


def overview(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pd.DataFrame]:
    """The Overview: network (this window and the previous), missions, countries; followers
    per platform and day."""
    windows = [(scope.start, scope.end), previous_window(scope.start, scope.end)]
    sets = "(wid), (wid, mission_id), (wid, country)"
    return {
        "kpis": _run(con, kpi_sql(scope, windows, ("mission_id", "country"), sets)),
        "followers": _run(con, followers_daily_sql(scope)),
    }


def mission(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pd.DataFrame]:
    """The Mission page: the cards (two windows), the owner split, the platform mix, the
    followers series, the top posts; and every mission's KPIs (same platforms and owners),
    which the cards' rank and medians among all missions are computed from."""
    windows = [(scope.start, scope.end), previous_window(scope.start, scope.end)]
    every = Scope(scope.start, scope.end, scope.missions, scope.platforms, None, scope.regions)
    network = Scope(scope.start, scope.end, None, scope.platforms, scope.owners, None)
    return {
        "standing": compare(con, network)["kpis"],
        "kpis": _run(
            con,
            kpi_sql(every, windows, ("owner", "platform"), "(wid), (wid, owner), (wid, platform)"),
        ),
        "followers": _run(con, followers_daily_sql(scope)),
        "top": _run(con, top_posts_sql(scope)),
    }


def compare(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pd.DataFrame]:
    """The Compare page: every KPI of every mission."""
    windows = [(scope.start, scope.end)]
    return {"kpis": _run(con, kpi_sql(scope, windows, ("mission_id",), "(wid, mission_id)"))}


PAGES: dict[str, Callable[[duckdb.DuckDBPyConnection, Scope], dict[str, pd.DataFrame]]] = {
    "overview": overview,
    "mission": mission,
    "compare": compare,
    "compare_region": compare,  # the same statement over one region's missions
}


def engine_overview(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """`metrics`' calls for the numbers `overview` gives: the Overview's statement and its
    daily followers per platform."""
    import metrics

    metrics.overview(con, scope)
    metrics.timeseries(con, scope, "followers", by="platform", freq="day")


def engine_mission(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """`metrics`' calls for the numbers `mission` gives: the cards with the owner split and
    platform mix, the standing among all missions, the followers series, the top posts."""
    import metrics
    from ui.cards import MISSION_CARD_KPIS
    from ui.reads import MISSION_BREAKDOWN, MISSION_TOTALS

    (mission_id,) = scope.missions or ()
    metrics.mission_numbers(con, scope, "previous", MISSION_TOTALS, MISSION_BREAKDOWN)
    network = Scope(scope.start, scope.end, None, scope.platforms, scope.owners, None)
    metrics.mission_standing(con, network, mission_id, MISSION_CARD_KPIS)
    metrics.timeseries(con, scope, "followers", by="platform", freq="day")
    metrics.top_posts(con, scope, n=10, order_by="interactions")


def engine_compare(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """`metrics`' call for the numbers `compare` gives: every KPI of every mission."""
    import metrics

    metrics.compute(con, scope, by="mission")


# The engine's calls giving the numbers each page's hand-written SQL gives, and no more of what
# the page shows (alerts, index, audience, themes, events): the same numbers on both sides, so
# that their ratio is the engine's own cost (it still finds the like-for-like changes and the
# accounts they leave out, which the hand-written SQL does not).
ENGINE: dict[str, Callable[[duckdb.DuckDBPyConnection, Scope], None]] = {
    "overview": engine_overview,
    "mission": engine_mission,
    "compare": engine_compare,
    "compare_region": engine_compare,
}


def _same(ours: pd.DataFrame, theirs: pd.DataFrame, key: str | None) -> list[str]:
    """KPIs whose values differ between two frames of groups (relative tolerance 1e-9)."""
    if key:
        ours, theirs = ours.set_index(key), theirs.set_index(key)
        theirs = theirs.reindex(ours.index)
    wrong = []
    for kpi in KPIS:
        a = pd.to_numeric(ours[kpi], errors="coerce").to_numpy(dtype="float64")
        b = pd.to_numeric(theirs[kpi], errors="coerce").to_numpy(dtype="float64")
        if a.shape != b.shape or not np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True):
            wrong.append(kpi)
    return wrong


def check(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, list[str]]:
    """Which KPIs of the hand-written statement differ from `metrics` (empty lists: the same
    numbers), for the network (both windows), the missions, the countries and the missions
    of the first region (the Compare page of a region); and "followers": ["followers"] when
    the daily followers per platform differ."""
    import metrics

    hand = overview(con, scope)["kpis"]
    level = hand["level"]
    network = hand[level == 3].sort_values("wid").reset_index(drop=True)
    ours = metrics.compare(con, scope, by="network")
    previous = ours[[f"{k}_prev" for k in KPIS]].rename(columns=lambda c: c[: -len("_prev")])
    result = {
        "network": _same(ours[list(KPIS)], network.iloc[[0]].reset_index(drop=True), None),
        "network_previous": _same(previous, network.iloc[[1]].reset_index(drop=True), None),
    }
    for by, column, lvl in (("mission", "mission_id", 1), ("country", "country", 2)):
        rows = hand[(level == lvl) & (hand["wid"] == 0)]
        result[by] = _same(metrics.compute(con, scope, by=by), rows, column)
    ours = metrics.timeseries(con, scope, "followers", by="platform", freq="day")
    theirs = _run(con, followers_daily_sql(scope))
    ours, theirs = (
        f.assign(date=pd.to_datetime(f["date"])).set_index(["platform", "date"])["value"]
        for f in (ours, theirs)
    )
    same = ours.index.sort_values().equals(theirs.index.sort_values()) and np.allclose(
        ours.astype("float64").sort_index(), theirs.astype("float64").sort_index(), equal_nan=True
    )
    result["followers"] = [] if same else ["followers"]
    first_region = con.execute("SELECT min(region) FROM missions").fetchone()[0]
    region = Scope(scope.start, scope.end, None, scope.platforms, scope.owners, (first_region,))
    result["compare_region"] = _same(
        metrics.compute(con, region, by="mission"), compare(con, region)["kpis"], "mission_id"
    )
    return result
