"""Posts and interactions by language, for the Content page.

`languages(con, scope)` reads the same `posts` source as the KPIs (metrics/sql/posts.sql), so
its posts and interactions add up to the `posts` and `interactions` KPIs of the scope. How a
post's language is decided: data/languages.py; the rules: docs/METRICS.md, "Language of posts".
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.content import breakdowns, per_post
from metrics.scope import Scope

COLUMNS = (
    "language",
    "host_language",
    "posts",
    "share_of_posts",
    "interactions",
    "posts_with_interactions",
    "interactions_per_post",
)


def languages(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Per language of the scope's posts in its window: `language` (ISO 639-1; None for the
    posts whose language is undetermined, one row), `host_language` (True when it is a host
    language of every mission of the scope that posted in it, False when of none, None when
    undetermined, mixed or no host language), `posts`, `share_of_posts` (of the window's posts),
    `interactions` (Σ over the posts whose interactions are known; NaN when none is),
    `posts_with_interactions` and `interactions_per_post` (`metrics.content.per_post`): the
    columns of `post_formats`, per language. Most posts first; the undetermined row last."""
    frame = breakdowns(con, scope)
    frame = frame.loc[
        frame["part"] == "language",
        ["language", "host_language", "posts", "interactions", "posts_with_interactions"],
    ]
    frame = frame.assign(undetermined=frame["language"].isna()).sort_values(
        ["undetermined", "posts", "language"], ascending=[True, False, True], kind="stable"
    )
    frame = frame.drop(columns="undetermined").reset_index(drop=True)
    frame["host_language"] = frame["host_language"].astype(object)
    frame["posts"] = frame["posts"].astype("int64")
    frame["posts_with_interactions"] = frame["posts_with_interactions"].astype("int64")
    frame["interactions"] = pd.to_numeric(frame["interactions"], errors="coerce").astype("float64")
    total = frame["posts"].sum()
    frame["share_of_posts"] = frame["posts"] / total if total else float("nan")
    frame["interactions_per_post"] = per_post(
        frame["interactions"], frame["posts_with_interactions"]
    )
    frame = frame.astype({"language": object})
    frame["language"] = frame["language"].where(frame["language"].notna(), None)
    frame["host_language"] = frame["host_language"].where(frame["host_language"].notna(), None)
    return frame[list(COLUMNS)]
