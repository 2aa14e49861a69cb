"""Themes of posts, per scope, and the ambassador's posts beside the mission's.

The rules and the matching are `data/themes.py` (`themes.csv` of the registry folder). Posts
are tagged when they are read, not at import (docs/METRICS.md, "Themes"): a change of
`themes.csv` applies at the next read, with no re-tagging step and no cost to imports; a read
tags only the posts of its scope and window, and its result is cached per store version and
rules file like every read function.

- `theme_summary(con, scope)`: per theme, the posts about it, their interactions and
  interactions per post (the Content page's chart; the CLI's `themes`).
- `ambassador_summary(con, mission_id, start, end)`: the ambassador's followers, posts and
  interactions beside the mission's, and the share of the ambassador's posts that share a theme
  with the mission's posts of the same ISO week; `ambassador_themes` is its theme part alone
  (the Mission page, whose owner split has the rest).
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from data.themes import ThemeRules, read_themes, themes_file
from metrics.content import per_post
from metrics.engine import UnknownMission, compute, mission_exists, plain_number, run, source_sql
from metrics.scope import Scope

SUMMARY_COLUMNS = (
    "theme",
    "posts",
    "share_of_posts",
    "interactions",
    "posts_with_interactions",
    "interactions_per_post",
)
OWNER_KPIS = ("followers_end", "posts", "interactions")


@functools.lru_cache(maxsize=8)
def _load(path: str, stamp: tuple[int, int]) -> ThemeRules:
    # One parse (and one matching index) per version of the file, not per page render.
    return read_themes(path)


def file_stamp(path: Path | None = None) -> tuple[str, int, int]:
    """(path, modification time, size) of a themes file (default: the shipped registry's):
    part of the cache key of the read functions, so that an edited file is read again."""
    path = path or themes_file()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (str(path), 0, 0)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def theme_rules(folder: Path | str | None = None) -> ThemeRules:
    """The rules of a registry folder's `themes.csv` (default: the shipped registry), read
    again only when the file changed. Raises `data.themes.ThemesError` for a bad file."""
    path = themes_file(folder)
    _, mtime, size = file_stamp(path)
    return _load(str(path), (mtime, size))


def tagged_posts(
    con: duckdb.DuckDBPyConnection, scope: Scope, rules: ThemeRules | None = None
) -> pd.DataFrame:
    """The scope's posts of the window with their themes: account_id, mission_id, platform,
    owner, post_id, date (local publish date), interactions (post_inputs' rule; NaN unknown),
    has_text (False: no text stored, so no theme can be known), themes (a tuple of theme ids,
    in the rules' order)."""
    rules = rules or theme_rules()
    # The KPIs' own source of posts (metrics/sql/posts.sql), so that a post and its
    # interactions are exactly those the KPIs count; the text is read for those posts only.
    frame = run(
        con,
        scope,
        f"""
        , source_rows AS ({source_sql("posts")})
        SELECT s.account_id, s.mission_id, s.platform, s.owner, s.post_id, s.date,
               s.interactions, p.text
        FROM source_rows s
        JOIN posts p ON p.account_id = s.account_id AND p.post_id = s.post_id
            AND p.published_date BETWEEN $start AND $end  -- data/store.py SORTED
        WHERE s.post_id IS NOT NULL
        ORDER BY s.date, s.account_id, s.post_id
        """,
    )
    order = {theme: n for n, theme in enumerate(rules.themes)}
    texts = frame["text"].tolist()
    frame["has_text"] = np.array([isinstance(t, str) and bool(t.strip()) for t in texts], bool)
    frame["themes"] = [tuple(sorted(found, key=order.__getitem__)) for found in rules.tag(texts)]
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame.drop(columns="text")


def summarise(posts: pd.DataFrame, rules: ThemeRules) -> pd.DataFrame:
    """`theme_summary` of posts `tagged_posts` gave: one row per theme of the rules, in their
    order (themes without a post included, posts 0)."""
    # One pass over the posts in plain Python, not a data frame filtered once per theme: 8.5 ->
    # 2 ms for a mission's 300 posts of 90 days, 21 -> 10 ms for the network's 30,000.
    posts_about = dict.fromkeys(rules.themes, 0)
    known_about = dict.fromkeys(rules.themes, 0)
    interactions_about = dict.fromkeys(rules.themes, 0.0)
    with_text = int(posts["has_text"].sum()) if len(posts) else 0
    interactions = posts["interactions"].to_numpy(dtype="float64", na_value=np.nan)
    for themes, value in zip(posts["themes"].tolist(), interactions.tolist(), strict=True):
        known = value == value  # NaN: unknown
        for theme in themes:
            posts_about[theme] += 1
            if known:
                known_about[theme] += 1
                interactions_about[theme] += value
    themes = list(rules.themes)
    # Columns made with their types (pandas' `astype` of a few small columns took 1-3 ms).
    frame = pd.DataFrame(
        {
            "theme": themes,
            "posts": np.array([posts_about[t] for t in themes], dtype="int64"),
            # of the posts whose themes can be known; a post about two themes is in both
            "share_of_posts": np.array(
                [posts_about[t] / with_text if with_text else np.nan for t in themes],
                dtype="float64",
            ),
            # Sums skip unknown values; unknown when no post of the theme has them.
            "interactions": np.array(
                [
                    interactions_about[t] if known_about[t] or not posts_about[t] else np.nan
                    for t in themes
                ],
                dtype="float64",
            ),
            "posts_with_interactions": np.array([known_about[t] for t in themes], dtype="int64"),
        },
        columns=list(SUMMARY_COLUMNS[:-1]),
    )
    frame["interactions_per_post"] = per_post(
        frame["interactions"], frame["posts_with_interactions"]
    )
    return frame


def theme_summary(
    con: duckdb.DuckDBPyConnection, scope: Scope, rules: ThemeRules | None = None
) -> pd.DataFrame:
    """Per theme: theme (id), posts (the scope's posts of the window about it), share_of_posts
    (posts / the window's posts whose text is stored; NaN when none is: the shares of the
    themes can add up to more than 1), interactions (Σ over those posts of their interactions,
    the known ones; NaN when none is known; 0 when there is no post), posts_with_interactions,
    interactions_per_post (interactions / posts_with_interactions; NaN when 0). A post about
    two themes counts in both. The columns of `metrics.post_formats`, per theme."""
    rules = rules or theme_rules()
    return summarise(tagged_posts(con, scope, rules), rules)


def _plain(value: object, integer: bool = False) -> float | int | None:
    number = plain_number(value)
    return round(number) if integer and number is not None else number


def theme_list(
    con: duckdb.DuckDBPyConnection,
    mission_id: str,
    start: date,
    end: date,
    platform: str | None = None,
    rules: ThemeRules | None = None,
) -> list[dict[str, object]]:
    """The CLI's `themes --json`: `[{"theme", "posts", "interactions",
    "interactions_per_post"}, ...]` for one mission (all its accounts, the ambassador's
    included, as `kpis`), in the rules' order. Raises UnknownMission."""
    if not mission_exists(con, mission_id):
        raise UnknownMission(mission_id)
    scope = Scope(start, end, missions=(mission_id,), platforms=(platform,) if platform else None)
    frame = theme_summary(con, scope, rules)
    return [
        {
            "theme": row.theme,
            "posts": int(row.posts),
            "interactions": _plain(row.interactions, integer=True),
            "interactions_per_post": _plain(row.interactions_per_post),
        }
        for row in frame.itertuples(index=False)
    ]


def iso_week(day: date) -> str:
    """The ISO week of a local date, as `2025-W10` (weeks start on Monday; the first week of a
    year is the one with its first Thursday)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def ambassador_summary(
    con: duckdb.DuckDBPyConnection,
    mission_id: str,
    start: date,
    end: date,
    platforms: tuple[str, ...] | None = None,
    rules: ThemeRules | None = None,
) -> dict[str, object]:
    """The ambassador beside the mission (docs/METRICS.md, "Ambassador and mission"): the
    CLI's `ambassador --json`.

    Returns `ambassador_themes`' keys and "owners": {"mission": {followers_end, posts,
    interactions}, "ambassador": {...} or None} (the KPIs, by owner; the Mission page has them
    in its owner split already). Raises UnknownMission.
    """
    themes = ambassador_themes(con, mission_id, start, end, platforms, rules)
    scope = Scope(start, end, missions=(mission_id,), platforms=platforms)
    by_owner = compute(con, scope, by="owner").set_index("owner")
    owners: dict[str, dict[str, object] | None] = {}
    for owner in ("mission", "ambassador"):
        if owner not in by_owner.index:
            owners[owner] = None
            continue
        row = by_owner.loc[owner]
        owners[owner] = {k: _plain(row[k], integer=True) for k in OWNER_KPIS}  # counts
    return {
        "mission_id": themes["mission_id"],
        "has_ambassador": themes["has_ambassador"],
        "owners": owners,
        **{k: v for k, v in themes.items() if k not in ("mission_id", "has_ambassador")},
    }


def ambassador_themes(
    con: duckdb.DuckDBPyConnection,
    mission_id: str,
    start: date,
    end: date,
    platforms: tuple[str, ...] | None = None,
    rules: ThemeRules | None = None,
) -> dict[str, object]:
    """The themes the ambassador shares with the mission (docs/METRICS.md, "Ambassador and
    mission"), what the Mission page shows beside its owner split.

    Returns {"mission_id", "has_ambassador" (the registry lists an ambassador account of the
    mission), "shared_theme": {"posts" (the ambassador's posts of the window), "with_text"
    (those whose text is stored), "sharing" (those with a theme that some mission post of the
    same ISO week also has), "share" (sharing / with_text; None when no post has text)},
    "weeks": [{"week", "mission_themes", "ambassador_posts", "sharing"}] (the ISO weeks of the
    ambassador's posts), "themes": [{"theme", "mission_posts",
    "mission_interactions_per_post", "ambassador_posts", "ambassador_interactions_per_post"}]
    (per theme, each owner's posts of the window, `theme_summary`'s rules)}.
    The mission's posts count over the whole ISO week of each ambassador post, days outside
    the window included, so that a post's answer does not depend on where the window starts.
    Raises UnknownMission.
    """
    # One statement says both whether the mission is known (a row) and if it has an ambassador.
    mission = con.execute(
        "SELECT count(a.account_id) FILTER (WHERE a.owner = 'ambassador') FROM missions m "
        "LEFT JOIN accounts a ON a.mission_id = m.mission_id WHERE m.mission_id = ? "
        "GROUP BY m.mission_id",
        [mission_id],
    ).fetchone()
    if mission is None:
        raise UnknownMission(mission_id)
    has_ambassador = bool(mission[0])
    rules = rules or theme_rules()
    scope = Scope(start, end, missions=(mission_id,), platforms=platforms)

    # Whole ISO weeks around the window: Monday of the first day's week to Sunday of the last.
    monday = start - timedelta(days=start.weekday())
    sunday = end + timedelta(days=6 - end.weekday())
    posts = tagged_posts(con, scope.with_window(monday, sunday), rules)
    # Plain lists, one pass each: a few hundred posts, where each pandas mask cost ~0.3 ms.
    owners, themes_of, days = (posts[c].tolist() for c in ("owner", "themes", "date"))
    weeks_of = [iso_week(day) for day in days]
    in_window = [start <= day <= end for day in days]
    week_themes: dict[str, set[str]] = {}
    for week, owner, themes in zip(weeks_of, owners, themes_of, strict=True):
        if owner == "mission":
            week_themes.setdefault(week, set()).update(themes)
    weeks: dict[str, dict[str, object]] = {}
    ambassador_posts = with_text = sharing = 0
    for week, owner, inside, has_text, themes in zip(
        weeks_of, owners, in_window, posts["has_text"].tolist(), themes_of, strict=True
    ):
        if owner != "ambassador" or not inside:
            continue
        ambassador_posts += 1
        entry = weeks.setdefault(
            week,
            {
                "week": week,
                "mission_themes": [t for t in rules.themes if t in week_themes.get(week, set())],
                "ambassador_posts": 0,
                "sharing": 0,
            },
        )
        entry["ambassador_posts"] += 1  # type: ignore[operator]
        if not has_text:
            continue  # its themes are unknown: neither sharing nor not
        with_text += 1
        if set(themes) & week_themes.get(week, set()):
            sharing += 1
            entry["sharing"] += 1  # type: ignore[operator]
    return {
        "mission_id": mission_id,
        "has_ambassador": has_ambassador,
        "shared_theme": {
            "posts": ambassador_posts,
            "with_text": with_text,
            "sharing": sharing,
            "share": sharing / with_text if with_text else None,
        },
        "weeks": [weeks[w] for w in sorted(weeks)],
        "themes": _by_owner(posts[np.array(in_window, dtype=bool)], rules),
    }


def _by_owner(posts: pd.DataFrame, rules: ThemeRules) -> list[dict[str, object]]:
    """Per theme, the mission's and the ambassador's posts and interactions per post (the
    rules of `theme_summary`, over each owner's posts of the window)."""
    mission = summarise(posts[posts["owner"] == "mission"], rules)
    ambassador = summarise(posts[posts["owner"] == "ambassador"], rules)
    # Both frames have a row per theme of the rules, in their order.
    return [
        {
            "theme": theme,
            "mission_posts": int(m_posts),
            "mission_interactions_per_post": _plain(m_per_post),
            "ambassador_posts": int(a_posts),
            "ambassador_interactions_per_post": _plain(a_per_post),
        }
        for theme, m_posts, m_per_post, a_posts, a_per_post in zip(
            rules.themes,
            mission["posts"].tolist(),
            mission["interactions_per_post"].tolist(),
            ambassador["posts"].tolist(),
            ambassador["interactions_per_post"].tolist(),
            strict=True,
        )
    ]
