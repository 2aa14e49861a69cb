"""Hand-written SQL giving the same numbers as each page's reads: the yardstick of "the limit".

What an engineer who knows the tables would write for one page, straight against the published
version and its derived tables (`post_inputs`: each post's current snapshot, interactions,
followers on its day and language; `account_net_follows`: each account's net follows per day;
`post_accounts`: the accounts with posts; the same ones the engine reads, built once per
version): one statement for all the KPIs of all the groups a page shows (GROUPING SETS over
per-account partial sums) and for the like-for-like changes its cards show (with the accounts
each leaves out), plus the page's series and lists, with no engine, no registry, no pandas
post-processing. `check` compares their numbers with `metrics`' so that the comparison is of
equal work: every KPI `metrics` gives for those groups (all 19), the changes and the accounts
left out. The Data page has none (its coverage tables are not KPIs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from data.domain import MULTILATERAL_KINDS
from metrics.engine import OVERVIEW_KPIS, previous_window
from metrics.scope import Scope

# The 14 KPIs the pandas Overview (`bench.pandas_overview`) computes.
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


# Every KPI over the rows of `per` (one row per account and window, holding that account's
# partial sums in the window), how it changes (relatively, or in points), and when ONE
# account's value of it is known (docs/METRICS.md, like-for-like changes: the sums over posts
# are known as 0 for an account with post data that published nothing). `{f}` is where a FILTER
# clause goes, so that the same expression gives the like-for-like value over the accounts kept.
_NO_POSTS = "(has AND coalesce(n, 0) = 0)"


def _ratio(numerator: str, denominator: str) -> str:
    return f"sum({numerator}){{f}} / nullif(sum({denominator}){{f}}, 0)"


HAND: dict[str, tuple[str, str, str]] = {
    "posts": ("CASE WHEN bool_or(has){f} THEN coalesce(sum(n){f}, 0) END", "relative", "has"),
    "posts_per_week": (
        "CASE WHEN bool_or(has){f} THEN coalesce(sum(n){f}, 0) END / ($days / 7.0)",
        "relative",
        "has",
    ),
    **{
        kpi: (f"sum({column}){{f}}", "relative", f"({column} IS NOT NULL OR {_NO_POSTS})")
        for kpi, column in (
            ("reactions", "re"),
            ("comments", "co"),
            ("shares", "sh"),
            ("interactions", "it"),
            ("reach", "rc"),
            ("impressions", "im"),
            ("video_views", "vv"),
        )
    },
    "er_reach": (_ratio("it_r", "rc_r"), "points", "rc_r > 0"),
    "er_impressions": (_ratio("it_i", "im_i"), "points", "im_i > 0"),
    "followers_end": ("sum(fol){f}", "relative", "fol IS NOT NULL"),
    "net_follows": ("sum(nf){f}", "relative", "nf IS NOT NULL"),
    "er_followers": (_ratio("erf_s", "erf_n"), "points", "erf_n > 0"),
    # a host country not in an account's breakdown counts 0 (docs/METRICS.md)
    "host_audience_share": (
        "coalesce(sum(hs_num){f}, 0) / nullif(sum(hs_w){f}, 0)",
        "points",
        "hs_w > 0",
    ),
    "host_language_share": (_ratio("hl_t", "hl_n"), "points", "hl_n > 0"),
    "vietnamese_share": (_ratio("vi", "ln"), "points", "ln > 0"),
    "english_share": (_ratio("en", "ln"), "points", "ln > 0"),
    "host_language_lift": (
        "(sum(h_s){f} / nullif(sum(h_n){f}, 0)) / nullif(sum(o_s){f} / nullif(sum(o_n){f}, 0), 0)",
        "relative",
        "(h_n > 0 AND o_n > 0 AND o_s <> 0)",
    ),
}

# The columns `kpi_sql`'s sets group by, in the order of its `level` (GROUPING of them).
GROUP_KEYS = ("mission_id", "host_country", "platform", "owner")


def _per_sql(scope: Scope, windows: Sequence[tuple[date, date]]) -> tuple[str, dict]:
    """The CTEs up to `per`: one row per scope account and window (wid 0, 1, ...) with the
    account's attributes and its partial sums in the window, straight from the published
    version's tables."""
    where, params = _accounts_filter(scope)
    values = ", ".join(f"({i}, $s{i}::DATE, $e{i}::DATE)" for i in range(len(windows)))
    for i, (start, end) in enumerate(windows):
        params[f"s{i}"], params[f"e{i}"] = start, end
    params["lo"] = min(s for s, _ in windows)
    params["hi"] = max(e for _, e in windows)
    params["days"] = (windows[0][1] - windows[0][0]).days + 1
    multilateral = ", ".join(f"'{kind}'" for kind in MULTILATERAL_KINDS)
    sql = f"""
WITH acc AS (
    SELECT a.account_id, a.mission_id, a.platform, a.owner, m.region, m.country,
           CASE WHEN m.kind IN ({multilateral}) THEN NULL ELSE m.country END AS host_country
    FROM accounts a JOIN missions m USING (mission_id){where}
),
win AS (SELECT * FROM (VALUES {values}) w(wid, ws, we)),
pa AS (
    SELECT w.wid, c.account_id, count(c.post_id) AS n, sum(c.reactions) AS re,
           sum(c.comments) AS co, sum(c.shares) AS sh, sum(c.interactions) AS it,
           sum(c.reach) AS rc, sum(c.impressions) AS im, sum(c.video_views) AS vv,
           sum(c.interactions) FILTER (WHERE c.interactions IS NOT NULL AND c.reach > 0) AS it_r,
           sum(c.reach) FILTER (WHERE c.interactions IS NOT NULL AND c.reach > 0) AS rc_r,
           sum(c.interactions) FILTER (WHERE c.interactions IS NOT NULL AND c.impressions > 0)
               AS it_i,
           sum(c.impressions) FILTER (WHERE c.interactions IS NOT NULL AND c.impressions > 0)
               AS im_i,
           sum(c.interactions / c.followers_at_post)
               FILTER (WHERE c.interactions IS NOT NULL AND c.followers_at_post > 0) AS erf_s,
           count(*) FILTER (WHERE c.interactions IS NOT NULL AND c.followers_at_post > 0)
               AS erf_n,
           count(*) FILTER (WHERE c.host_language) AS hl_t, count(c.host_language) AS hl_n,
           count(*) FILTER (WHERE c.language = 'vi') AS vi,
           count(*) FILTER (WHERE c.language = 'en') AS en, count(c.language) AS ln,
           sum(c.interactions) FILTER (WHERE c.host_language) AS h_s,
           count(c.interactions) FILTER (WHERE c.host_language) AS h_n,
           sum(c.interactions) FILTER (WHERE NOT c.host_language) AS o_s,
           count(c.interactions) FILTER (WHERE NOT c.host_language) AS o_n
    FROM post_inputs c JOIN win w ON c.published_date BETWEEN w.ws AND w.we
    WHERE c.published_date BETWEEN $lo AND $hi AND c.account_id IN (SELECT account_id FROM acc)
    GROUP BY w.wid, c.account_id
),
fe AS (
    SELECT w.wid, t.account_id, arg_max(t.followers, t.date) AS fol
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
geo_latest AS (
    -- each account's latest breakdown of its followers by country on or before a window's end
    SELECT w.wid, g.account_id, g.key, g.unit, g.value
    FROM audience g JOIN win w ON g.as_of <= w.we
    WHERE g.dimension = 'country' AND g.kind = 'followers' AND g.value IS NOT NULL
      AND g.account_id IN (SELECT account_id FROM acc)
    QUALIFY g.as_of = max(g.as_of) OVER (PARTITION BY w.wid, g.account_id)
),
geo AS (
    -- the followers in the host country, and the account's followers as their weight
    SELECT l.wid, l.account_id,
           sum(f.fol * l.share) FILTER (WHERE l.key = a.host_country AND f.fol > 0) AS hs_num,
           any_value(f.fol) FILTER (WHERE a.host_country IS NOT NULL AND f.fol > 0) AS hs_w
    FROM (
        SELECT wid, account_id, key,
               CASE WHEN unit = 'share' THEN value
                    ELSE value / nullif(sum(value) OVER (PARTITION BY wid, account_id, unit), 0)
               END AS share
        FROM geo_latest
    ) l
    JOIN acc a ON a.account_id = l.account_id
    LEFT JOIN fe f ON f.wid = l.wid AND f.account_id = l.account_id
    GROUP BY l.wid, l.account_id
),
per AS (
    SELECT acc.*, w.wid, pa.* EXCLUDE (wid, account_id), fe.fol, na.nf,
           geo.hs_num, geo.hs_w, pc.account_id IS NOT NULL AS has
    FROM acc CROSS JOIN win w
    LEFT JOIN pa ON pa.account_id = acc.account_id AND pa.wid = w.wid
    LEFT JOIN fe ON fe.account_id = acc.account_id AND fe.wid = w.wid
    LEFT JOIN na ON na.account_id = acc.account_id AND na.wid = w.wid
    LEFT JOIN geo ON geo.account_id = acc.account_id AND geo.wid = w.wid
    LEFT JOIN post_accounts pc ON pc.account_id = acc.account_id
)"""
    return sql, params


def kpi_sql(
    scope: Scope,
    windows: Sequence[tuple[date, date]],
    sets: Sequence[Sequence[str]],
    names: Sequence[str] = tuple(HAND),
    compared: Sequence[str] = (),
) -> tuple[str, dict]:
    """One statement: the KPIs `names` in the first window for each grouping of `sets` (of
    GROUP_KEYS; the rows' `level` is GROUPING() of the keys the sets use, in GROUP_KEYS' order;
    a host_country of NULL, a mission to an international organisation, is in no host country),
    and, with `compared`, a row of `level` -1: the whole scope's value of each KPI of
    `compared` in both windows (k, k_prev), its like-for-like change (k_change) and the
    accounts it leaves out (k_left_out)."""
    sql, params = _per_sql(scope, windows)
    keys = [k for k in GROUP_KEYS if any(k in group for group in sets)]
    kpis = ", ".join(f"{HAND[k][0].format(f='')} AS {k}" for k in names)
    grouping = ", ".join(f"({', '.join(group)})" for group in sets)
    selects = []
    if sets:
        having = (
            "HAVING GROUPING(host_country) = 1 OR host_country IS NOT NULL"
            if "host_country" in keys
            else ""
        )
        selects.append(
            f"""SELECT GROUPING({", ".join(keys)}) AS level, {", ".join(keys)}, {kpis}
FROM per WHERE wid = 0
GROUP BY GROUPING SETS ({grouping})
{having}"""
        )
    if compared:
        both = ", ".join(f"bool_and(coalesce({HAND[k][2]}, false)) AS b_{k}" for k in compared)
        by_window = ", ".join(
            f"{HAND[k][0].format(f='')} AS {k}, "
            f"{HAND[k][0].format(f=f' FILTER (WHERE b_{k})')} AS {k}__l, "
            f"count(*) FILTER (WHERE b_{k}) AS {k}__n"
            for k in compared
        )
        left_out = ", ".join(
            f"list(account_id ORDER BY account_id) FILTER (WHERE NOT b_{k}) AS {k}_left_out"
            for k in compared
        )
        network = []
        for k in compared:
            if HAND[k][1] == "relative":
                # accounts kept that all published nothing add up to 0, not to unknown
                now, before = (f"coalesce({w}.{k}__l, 0)" for w in ("a", "b"))
                change = (
                    f"CASE WHEN a.{k}__n > 0 THEN ({now} - {before}) / nullif(abs({before}), 0) END"
                )
            else:
                change = f"a.{k}__l - b.{k}__l"
            network.append(f"a.{k}, b.{k} AS {k}_prev, {change} AS {k}_change")
        sql += f""",
ok AS (SELECT account_id, {both} FROM per GROUP BY account_id),
by_window AS (SELECT wid, {by_window} FROM per JOIN ok USING (account_id) GROUP BY wid),
left_out AS (SELECT {left_out} FROM ok)"""
        selects.append(
            f"SELECT -1 AS level, {', '.join(network)}, left_out.*\n"
            "FROM by_window a JOIN by_window b ON a.wid = 0 AND b.wid = 1, left_out"
        )
    sql += "\n" + "\nUNION ALL BY NAME\n".join(f"({s})" for s in selects)
    return sql, {name: value for name, value in params.items() if f"${name}" in sql}


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
    # Through Arrow, as the engine makes its wide results frames: DuckDB's `df()` spends
    # about 0.1 ms a column, and the cards' rows are 40-60 columns wide.
    return con.execute(*query).to_arrow_table().to_pandas()


def _level(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The rows of one grouping of `kpi_sql`'s sets (by `keys`), by key."""
    present = [k for k in GROUP_KEYS if k in frame.columns]
    level = sum(1 << (len(present) - 1 - i) for i, k in enumerate(present) if k not in keys)
    rows = frame[frame["level"] == level]
    return rows.sort_values(list(keys)).reset_index(drop=True)


def overview(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pd.DataFrame]:
    """The Overview: the network's cards (OVERVIEW_KPIS now and before, like-for-like changes,
    accounts left out), every mission's KPIs (the league table), every host country's (the
    map), every mission's per platform (the index); followers per platform and day."""
    windows = [(scope.start, scope.end), previous_window(scope.start, scope.end)]
    sets = [("mission_id",), ("host_country",), ("mission_id", "platform")]
    return {
        "kpis": _run(con, kpi_sql(scope, windows, sets, compared=OVERVIEW_KPIS)),
        "followers": _run(con, followers_daily_sql(scope)),
    }


def mission(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pd.DataFrame]:
    """The Mission page: the cards (MISSION_TOTALS now and before, like-for-like changes,
    accounts left out), the platform mix and owner split (MISSION_BREAKDOWN), the followers
    series, the top posts; and every mission's KPIs of the cards (same platforms and owners),
    which the cards' rank and medians among all missions are computed from."""
    from ui.cards import MISSION_CARD_KPIS
    from ui.reads import MISSION_BREAKDOWN, MISSION_TOTALS

    if scope.owners is not None:
        raise ValueError("the hand-written Mission page reads both owners' accounts")
    windows = [(scope.start, scope.end), previous_window(scope.start, scope.end)]
    network = Scope(scope.start, scope.end, None, scope.platforms, scope.owners, None)
    cards = kpi_sql(scope, windows, [("platform",), ("owner",)], MISSION_BREAKDOWN, MISSION_TOTALS)
    return {
        "standing": _run(con, kpi_sql(network, windows[:1], [("mission_id",)], MISSION_CARD_KPIS)),
        "kpis": _run(con, cards),
        "followers": _run(con, followers_daily_sql(scope)),
        "top": _run(con, top_posts_sql(scope)),
    }


def compare(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pd.DataFrame]:
    """The Compare page: every KPI of every mission."""
    windows = [(scope.start, scope.end)]
    return {"kpis": _run(con, kpi_sql(scope, windows, [("mission_id",)]))}


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
# that their ratio is the engine's own cost.
ENGINE: dict[str, Callable[[duckdb.DuckDBPyConnection, Scope], None]] = {
    "overview": engine_overview,
    "mission": engine_mission,
    "compare": engine_compare,
    "compare_region": engine_compare,
}


def _same(
    ours: pd.DataFrame, theirs: pd.DataFrame, key: str | list[str] | None, kpis=KPIS
) -> list[str]:
    """Columns `kpis` whose values differ between two frames of groups (relative tolerance
    1e-9)."""
    if key:
        ours, theirs = ours.set_index(key), theirs.set_index(key)
        theirs = theirs.reindex(ours.index)
    wrong = []
    for kpi in kpis:
        a = pd.to_numeric(ours[kpi], errors="coerce").to_numpy(dtype="float64")
        b = pd.to_numeric(theirs[kpi], errors="coerce").to_numpy(dtype="float64")
        if a.shape != b.shape or not np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True):
            wrong.append(kpi)
    return wrong


def _same_cards(ours: pd.DataFrame, theirs: pd.DataFrame, kpis: Sequence[str]) -> list[str]:
    """The cards' columns (k, k_prev, k_change, k_left_out of each KPI) that differ between
    `metrics`' network frame and the hand-written row of level -1."""
    (row,) = theirs[theirs["level"] == -1].index
    wrong = _same(
        ours,
        theirs.loc[[row]].reset_index(drop=True),
        None,
        [f"{k}{suffix}" for k in kpis for suffix in ("", "_prev", "_change")],
    )
    for k in kpis:
        hand = theirs.at[row, f"{k}_left_out"]
        hand = [str(a) for a in hand] if isinstance(hand, list | np.ndarray) else []  # NULL: none
        if list(ours.at[0, f"{k}_left_out"]) != hand:
            wrong.append(f"{k}_left_out")
    return wrong


def _same_followers(ours: pd.DataFrame, theirs: pd.DataFrame) -> list[str]:
    ours, theirs = (
        f.assign(date=pd.to_datetime(f["date"])).set_index(["platform", "date"])["value"]
        for f in (ours, theirs)
    )
    same = ours.index.sort_values().equals(theirs.index.sort_values()) and np.allclose(
        ours.astype("float64").sort_index(), theirs.astype("float64").sort_index(), equal_nan=True
    )
    return [] if same else ["followers"]


def check(
    con: duckdb.DuckDBPyConnection, scope: Scope, mission_id: str | None = None
) -> dict[str, list[str]]:
    """Which numbers of the hand-written statements differ from `metrics`' (empty lists: the
    same numbers): the Overview's cards ("network": each KPI now, before, its change and the
    accounts left out), missions, host countries and missions × platforms (all 19 KPIs), and
    daily followers per platform; the Compare page of the first region; and, for `mission_id`
    (the first mission when None), the Mission page's cards, platform mix, owner split and
    every mission's KPIs of the cards."""
    import metrics
    from ui.cards import MISSION_CARD_KPIS
    from ui.reads import MISSION_BREAKDOWN, MISSION_TOTALS

    every = tuple(HAND)
    hand = overview(con, scope)
    ours = metrics.overview(con, scope)
    kpis = hand["kpis"]
    countries = _level(kpis, ["host_country"]).rename(columns={"host_country": "country"})
    result = {
        "network": _same_cards(ours.network, kpis, OVERVIEW_KPIS),
        "mission": _same(ours.missions, _level(kpis, ["mission_id"]), "mission_id", every),
        "country": _same(ours.countries, countries, "country", every),
        "mission_platform": _same(
            ours.mission_platforms,
            _level(kpis, ["mission_id", "platform"]),
            ["mission_id", "platform"],
            every,
        ),
        "followers": _same_followers(
            metrics.timeseries(con, scope, "followers", by="platform", freq="day"),
            hand["followers"],
        ),
    }
    first_region = con.execute("SELECT min(region) FROM missions").fetchone()[0]
    region = Scope(scope.start, scope.end, None, scope.platforms, scope.owners, (first_region,))
    result["compare_region"] = _same(
        metrics.compute(con, region, by="mission"),
        _level(compare(con, region)["kpis"], ["mission_id"]),
        "mission_id",
        every,
    )
    mission_id = mission_id or con.execute("SELECT min(mission_id) FROM missions").fetchone()[0]
    one = Scope(scope.start, scope.end, (mission_id,), scope.platforms, scope.owners, None)
    hand = mission(con, one)
    ours = metrics.mission_numbers(con, one, "previous", MISSION_TOTALS, MISSION_BREAKDOWN)
    result["mission_cards"] = _same_cards(ours.totals, hand["kpis"], MISSION_TOTALS)
    result["mission_platforms"] = _same(
        ours.platforms, _level(hand["kpis"], ["platform"]), "platform", MISSION_BREAKDOWN
    )
    result["mission_owners"] = _same(
        ours.owners, _level(hand["kpis"], ["owner"]), "owner", MISSION_BREAKDOWN
    )
    network = Scope(scope.start, scope.end, None, scope.platforms, scope.owners, None)
    result["mission_standing"] = _same(
        metrics.compute(con, network, by="mission"),
        _level(hand["standing"], ["mission_id"]),
        "mission_id",
        MISSION_CARD_KPIS,
    )
    return result
