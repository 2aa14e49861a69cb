"""Posts and interactions by language, for the Content page.

`languages(con, scope)` reads the same `posts` source as the KPIs (metrics/sql/posts.sql), so
its posts and interactions add up to the `posts` and `interactions` KPIs of the scope. How a
post's language is decided: data/languages.py; the rules: docs/METRICS.md, "Language of posts".
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.content import breakdown_frame, breakdowns
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
    part = frame[frame["part"] == "language"]
    rows = [
        (None if pd.isna(language) else language, None if pd.isna(host) else bool(host), *rest)
        for language, host, *rest in zip(
            part["language"].tolist(),
            part["host_language"].tolist(),
            part["posts"].astype("int64").tolist(),
            pd.to_numeric(part["interactions"], errors="coerce").astype("float64").tolist(),
            part["posts_with_interactions"].astype("int64").tolist(),
            strict=True,
        )
    ]
    # Most posts first, then by language; the undetermined row (language None) last.
    rows.sort(key=lambda row: (row[0] is None, -row[2], row[0] or ""))
    return breakdown_frame({"language": object, "host_language": object}, rows)
