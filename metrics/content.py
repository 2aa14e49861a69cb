"""What a mission posts and when it works: the formats of its posts, and the best time to post.

Both read the `posts` source (`metrics/sql/posts.sql`: the scope's posts of the window with
their latest snapshot, interactions and follower total on the day) and add, from the `posts`
table, the two descriptive fields the source leaves out: the post type and the local publish
time. They and `metrics.languages` take their part of one statement (`breakdowns`), so that
the Content page reads the window's posts once for its three sections. The rules they use are
defined elsewhere, once:

- the local time is `posts.published_local`, written by the importer with the one local-time
  rule (`data/localtime.py`): the publish time in the **mission's** time zone, daylight saving
  included; NULL when the export gives a date only (YouTube, X account analytics, TikTok Studio,
  LinkedIn), so those posts have no hour and are counted apart (`BestTime.untimed`);
- the engagement rate of a post is er_followers' per-post term (`metrics/families/audience.py`,
  interactions / followers_at_post of the view `post_inputs`).

Why er_followers and not er_reach: er_followers is the KPI defined post by post (a mean of
per-post rates), so its per-post term is the KPI's own; er_reach is a ratio of sums with no
per-post definition. Reach is itself an outcome of the hour a post goes out (the platforms show
a post to more people at some hours), so dividing by it would hide part of what the map is
looking for. And X exports carry no reach, so er_reach would leave every X post out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from metrics.engine import run, source_sql
from metrics.families.audience import ER_FOLLOWERS_KNOWN, ER_FOLLOWERS_POST
from metrics.scope import Scope

# A weekday-hour cell with fewer posts than this is shown as such, not coloured: the median of
# two or three posts says more about those posts than about the hour.
MIN_POSTS = 5
# The per-post rate the map takes the median of (a KPI of metrics/families/).
BEST_TIME_RATE = "er_followers"

# The post types the exports write (after connectors/value_aliases.csv made them English), and
# the format each one is. Compared in lower case; a type not listed is "other", no type at all
# (X exports) "unknown".
FORMAT_OF_TYPE: dict[str, str] = {
    "photo": "photo",
    "photos": "photo",
    "ig image": "photo",
    "video": "video",
    "videos": "video",
    "ig video": "video",
    "shared video": "video",
    "live": "video",
    "reel": "reel",
    "reels": "reel",
    "ig reel": "reel",
    "ig carousel": "carousel",
    "carousel": "carousel",
    "album": "carousel",
    "link": "link",
    "links": "link",
    "status": "text",
    "text": "text",
}
# The formats in the order pages list them (then "other", then "unknown").
FORMATS = ("photo", "video", "reel", "carousel", "link", "text", "other", "unknown")


@dataclass(frozen=True)
class BestTime:
    """The best time to post of a scope: one row per weekday and hour that has posts.

    cells    weekday (ISO: 1 = Monday ... 7 = Sunday), hour (0-23, local), posts (the posts
             behind the median), median (of their per-post rate), enough (posts >= MIN_POSTS);
             sorted by weekday and hour.
    rated    the posts in the cells (with a time of day and a rate).
    untimed  posts of the window whose export gives no time of day (left out).
    unrated  posts with a time of day but no rate: interactions unknown, or no follower total
             on their day (left out).
    """

    cells: pd.DataFrame
    rated: int
    untimed: int
    unrated: int
    rate: str = BEST_TIME_RATE
    min_posts: int = MIN_POSTS


def _posts_sql(select: str) -> str:
    """SQL over each post of the scope's window (the `posts` source) with its post type and
    local publish time from `posts`, then `select` over the relation `window_posts`."""
    return f"""
        , source_rows AS ({source_sql("posts")})
        , window_posts AS (
            SELECT s.*, p.post_type, p.published_local
            FROM source_rows s
            JOIN posts p ON p.account_id = s.account_id AND p.post_id = s.post_id
                AND p.published_date BETWEEN $start AND $end  -- data/store.py SORTED
            WHERE s.post_id IS NOT NULL
        )
        {select}"""


def breakdowns(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """The scope's posts of the window counted three ways in one statement, which reads the
    posts once for the three sections of the Content page (`post_formats`, `languages`,
    `best_time` each take their part; the statement's result is cached per version, so the
    second and third are not read again). One row per group: `part` ("format", "language",
    "cell", "untimed", "unrated"), `format`, `language` and `host_language`, `weekday` and
    `hour`, `posts`, `interactions` (Σ of the known ones), `posts_with_interactions`, `median`
    (of the per-post rate, cells only)."""
    sql = _posts_sql(f"""
        , timed AS (
            SELECT isodow(published_local) AS weekday, hour(published_local) AS hour,
                   CASE WHEN {ER_FOLLOWERS_KNOWN} THEN {ER_FOLLOWERS_POST} END AS rate
            FROM window_posts
            WHERE published_local IS NOT NULL
        )
        SELECT 'format' AS part, {_format_case("post_type")} AS format, count(post_id) AS posts,
               sum(interactions) AS interactions,
               count(interactions) AS posts_with_interactions
        FROM window_posts GROUP BY ALL
        UNION ALL BY NAME
        -- every post of the source, as the KPIs count them (window_posts only adds two fields)
        SELECT 'language' AS part, language,
               CASE WHEN bool_and(host_language) THEN TRUE
                    WHEN NOT bool_or(host_language) THEN FALSE END AS host_language,
               count(post_id) AS posts,
               sum(interactions) AS interactions,
               count(interactions) AS posts_with_interactions
        FROM source_rows
        WHERE post_id IS NOT NULL
        GROUP BY language
        UNION ALL BY NAME
        SELECT 'cell' AS part, weekday, hour, count(rate) AS posts,
               quantile_cont(rate, 0.5) AS median
        FROM timed WHERE rate IS NOT NULL GROUP BY weekday, hour
        UNION ALL BY NAME
        SELECT 'untimed' AS part, count(*) AS posts
        FROM window_posts WHERE published_local IS NULL
        UNION ALL BY NAME
        SELECT 'unrated' AS part, count(*) AS posts FROM timed WHERE rate IS NULL
        """)
    return run(con, scope, sql)


def best_time(con: duckdb.DuckDBPyConnection, scope: Scope) -> BestTime:
    """The median per-post engagement rate (er_followers' per-post term) of the scope's posts
    of the window, per weekday and hour of their local publish time (the mission's zone)."""
    frame = breakdowns(con, scope)
    counts = frame[frame["part"].isin(("untimed", "unrated"))].set_index("part")["posts"]
    cells = frame.loc[frame["part"] == "cell", ["weekday", "hour", "posts", "median"]]
    cells = cells.astype({"weekday": "int64", "hour": "int64", "posts": "int64"})
    cells["median"] = cells["median"].astype("float64")
    cells["enough"] = cells["posts"] >= MIN_POSTS
    cells = cells.sort_values(["weekday", "hour"]).reset_index(drop=True)
    return BestTime(
        cells=cells,
        rated=int(cells["posts"].sum()),
        untimed=int(counts.get("untimed", 0)),
        unrated=int(counts.get("unrated", 0)),
    )


def _format_case(column: str) -> str:
    # The FORMAT_OF_TYPE rule as one SQL expression (the keys are fixed strings of this module).
    whens = " ".join(
        f"WHEN '{raw}' THEN '{fmt}'" for raw, fmt in FORMAT_OF_TYPE.items() if "'" not in raw
    )
    return (
        f"CASE WHEN {column} IS NULL OR trim({column}) = '' THEN 'unknown' "
        f"ELSE CASE lower(trim({column})) {whens} ELSE 'other' END END"
    )


def per_post(interactions: pd.Series, posts_with_interactions: pd.Series) -> pd.Series:
    """Interactions per post of each row of a breakdown (by format, theme, language): the
    interactions over the posts whose interactions are known, so that a post without them is
    not counted as 0; NaN when no post of the row has them."""
    known = posts_with_interactions.where(posts_with_interactions > 0)
    return interactions.astype("float64") / known


def post_formats(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Per format of post (FORMATS order, formats without a post left out): format, posts,
    share_of_posts (of the window's posts), interactions (Σ over the posts whose interactions
    are known; NaN when none is), posts_with_interactions, interactions_per_post
    (interactions / posts_with_interactions, NaN when no post of the format has known
    interactions: a post without them is not counted as 0)."""
    frame = breakdowns(con, scope)
    part = frame[frame["part"] == "format"]
    order = {f: i for i, f in enumerate(FORMATS)}
    rows = sorted(
        zip(
            part["format"].tolist(),
            part["posts"].astype("int64").tolist(),
            part["interactions"].astype("float64").tolist(),
            part["posts_with_interactions"].astype("int64").tolist(),
            strict=True,
        ),
        key=lambda row: order[row[0]],
    )
    return breakdown_frame({"format": part["format"].dtype}, rows)


def breakdown_frame(keys: dict[str, object], rows: Sequence[tuple]) -> pd.DataFrame:
    """A breakdown of posts (by format, by language) from its rows (the values of `keys`,
    then posts, interactions, posts_with_interactions), in their order: the `keys` (each with
    its dtype), then posts, share_of_posts (of all the rows' posts; NaN when none),
    interactions, posts_with_interactions, interactions_per_post (`per_post`). Built at once
    from plain values: a few rows took milliseconds through a data frame changed column by
    column."""
    columns = list(zip(*rows, strict=True)) or [()] * (len(keys) + 3)
    *named, posts, interactions, known = columns
    total = sum(posts)
    frame = pd.DataFrame(
        {
            key: pd.Series(list(values), dtype=dtype)
            for (key, dtype), values in zip(keys.items(), named, strict=True)
        }
    )
    frame["posts"] = np.array(posts, dtype="int64")
    frame["share_of_posts"] = frame["posts"] / total if total else float("nan")
    frame["interactions"] = np.array(interactions, dtype="float64")
    frame["posts_with_interactions"] = np.array(known, dtype="int64")
    frame["interactions_per_post"] = per_post(
        frame["interactions"], frame["posts_with_interactions"]
    )
    return frame
