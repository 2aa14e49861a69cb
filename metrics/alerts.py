"""Alerts: a day on which an account's interactions, reach or net follows left its usual range.

The daily values are those of the charts (`metrics.series.timeseries(by="account",
freq="day")`, the same sources as the KPIs): interactions and reach of the posts published
that day, net follows of that day. Only days with a known value are tested or used as a
baseline (a day without a post has no interactions to judge).

For each tested day d, the baseline is the account's known values of the same metric on the
28 days before it (d − 28 .. d − 1, not d itself), when there are at least
`MIN_BASELINE_DAYS` of them:

    median  = median of the baseline values
    MAD     = median of |value − median| over the baseline
    spread  = 1.4826 × MAD     (estimates the standard deviation, for normal data)
              else, when MAD = 0 (more than half the baseline days equal the median),
              1.2533 × mean |value − median|   (the same estimate from the mean deviation)
    scale   = max(spread, 1)   (one unit: the values are counts; a constant baseline, or a
                                small account whose net follows are 0 or 1 a day, would
                                otherwise flag a change of 1 or 2)
    alert   when |x − median| > K × scale: "spike" above the median, "drop" below

K = 3.5 robust standard deviations: Iglewicz and Hoaglin's cut-off for outliers. Followers are
judged by their daily net follows (a flow), not the totals: a total moves a little each day,
so its deviations say nothing a net change does not, and a rebuilt total carries every earlier
day's gap.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from statistics import median

import duckdb
import pandas as pd

from metrics.scope import Scope
from metrics.series import timeseries, top_posts

# alert metric -> the series metric it reads
METRICS: dict[str, str] = {
    "interactions": "interactions",
    "reach": "reach",
    "followers": "net_follows",
}
BASELINE_DAYS = 28
MIN_BASELINE_DAYS = 7
# Iglewicz and Hoaglin's cut-off for the modified z-score 0.6745 (x − median) / MAD: 3.5, the
# same as |x − median| > 3.5 × 1.4826 × MAD.
K = 3.5
MAD_TO_SD = 1.4826  # 1 / Φ⁻¹(3/4): MAD × this estimates the standard deviation
MEAN_AD_TO_SD = 1.2533  # √(π/2): the mean absolute deviation × this does too
MIN_SCALE = 1.0  # one unit of a count
POSTS_PER_ALERT = 3
COLUMNS = [
    "account_id",
    "mission_id",
    "platform",
    "owner",
    "name_en",
    "name_vi",
    "day",
    "metric",
    "value",
    "median",
    "mad",
    "scale",
    "baseline_days",
    "direction",
    "posts",
]


def baseline(values: list[float]) -> tuple[float, float, float]:
    """(median, MAD, scale) of a baseline's values (module docstring). `values` non-empty."""
    centre = median(values)
    deviations = [abs(v - centre) for v in values]
    mad = median(deviations)
    # MAD = 0 (over half the days equal the median): the mean deviation still sees the others
    mean_ad = sum(deviations) / len(deviations)
    spread = MAD_TO_SD * mad if mad > 0 else MEAN_AD_TO_SD * mean_ad
    return centre, mad, max(spread, MIN_SCALE)


def direction(value: float, centre: float, scale: float, k: float | None = None) -> str | None:
    """ "spike", "drop", or None when |value − median| ≤ k × scale (k: K by default)."""
    k = K if k is None else k
    if abs(value - centre) <= k * scale:
        return None
    return "spike" if value > centre else "drop"


def detect(series: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """The alerts of one daily series (columns date, account_id, value), for the days in
    [start, end]; the series must reach BASELINE_DAYS before start. Columns: account_id, day,
    value, median, mad, scale, baseline_days, direction."""
    rows = []
    for account, group in series.groupby("account_id", sort=True):
        # the series comes by account and date: the baseline of a day is a slice before it
        days = [pd.Timestamp(d).date() for d in group["date"]]
        values = [float(v) for v in group["value"]]
        for i, day in enumerate(days):
            if not start <= day <= end:
                continue
            window = values[bisect_left(days, day - timedelta(days=BASELINE_DAYS)) : i]
            if len(window) < MIN_BASELINE_DAYS:
                continue
            centre, mad, scale = baseline(window)
            way = direction(values[i], centre, scale)
            if way:
                rows.append((account, day, values[i], centre, mad, scale, len(window), way))
    return pd.DataFrame(
        rows,
        columns=[
            "account_id",
            "day",
            "value",
            "median",
            "mad",
            "scale",
            "baseline_days",
            "direction",
        ],
    )


def alerts(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Every alert of the scope's accounts on the days of its window (COLUMNS), by day, then
    mission, account and metric. `posts`: a list of the account's posts of that day, best
    first by interactions (at most POSTS_PER_ALERT), each a dict (post_id, published_date,
    platform, text, permalink, interactions, reach)."""
    wide = scope.with_window(scope.start - timedelta(days=BASELINE_DAYS), scope.end)
    found = []
    for metric, series_metric in METRICS.items():
        series = timeseries(con, wide, series_metric, by="account", freq="day")
        frame = detect(series, scope.start, scope.end)
        if not frame.empty:
            found.append(frame.assign(metric=metric))
    if not found:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.concat(found, ignore_index=True)
    accounts = con.execute(
        "SELECT a.account_id, a.mission_id, a.platform, a.owner, m.name_en, m.name_vi "
        "FROM accounts a JOIN missions m ON m.mission_id = a.mission_id"
    ).df()
    frame = frame.merge(accounts, on="account_id", how="left", validate="many_to_one")
    order = {m: i for i, m in enumerate(METRICS)}
    frame = frame.sort_values(
        ["day", "mission_id", "account_id", "metric"],
        key=lambda c: c.map(order) if c.name == "metric" else c,
        kind="stable",
    ).reset_index(drop=True)
    frame["posts"] = _posts_behind(con, scope, frame)
    return frame[COLUMNS]


def _posts_behind(con: duckdb.DuckDBPyConnection, scope: Scope, frame: pd.DataFrame) -> list:
    # One read of the posts (the top posts' code, every post of the window for the missions
    # with an alert), then each alert takes its account's posts of its day: a read per alert
    # cost seconds over a network's two months.
    missions = tuple(sorted(set(frame["mission_id"].dropna())))
    first, last = min(frame["day"]), max(frame["day"])
    posts = top_posts(
        con,
        Scope(first, last, missions=missions, platforms=scope.platforms, owners=scope.owners),
        n=1_000_000,
        order_by="interactions",
    )
    posts["day"] = pd.to_datetime(posts["published_date"]).dt.date
    wanted = frame[["account_id", "day"]].drop_duplicates()
    # merge keeps the left frame's order: top_posts' (interactions, best first)
    posts = posts.merge(wanted, on=["account_id", "day"], how="inner")
    behind: dict[tuple[str, date], list[dict]] = {}
    for p in posts.to_dict("records"):
        kept = behind.setdefault((p["account_id"], p["day"]), [])
        if len(kept) < POSTS_PER_ALERT:
            kept.append(
                {
                    "post_id": p["post_id"],
                    "published_date": p["day"],
                    "text": p["text"],
                    "permalink": p["permalink"],
                    "interactions": _number(p["interactions"]),
                    "reach": _number(p["reach"]),
                }
            )
    return [
        behind.get((account, day), [])
        for account, day in zip(frame["account_id"], frame["day"], strict=True)
    ]


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
