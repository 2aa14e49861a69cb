"""Alerts: a day on which an account's interactions, reach or net follows left its usual range.

The daily values are those of the charts (`metrics.series.timeseries(by="account",
freq="day")`, the same sources as the KPIs; the three read in one statement, `flows`):
interactions and reach of the posts published that day, net follows of that day. Only days
with a known value are tested or used as a baseline (a day without a post has no interactions
to judge).

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

import warnings
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from metrics.engine import plain_number
from metrics.scope import Scope
from metrics.series import flows, top_posts

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


def baselines(windows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(median, MAD, scale, count) of each baseline along the last axis of `windows` (NaN:
    a day without a known value, left out); NaN where a baseline has no value."""
    count = np.sum(~np.isnan(windows), axis=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN baselines: NaN, as wanted
        centre = _median(windows, count)
        deviations = np.abs(windows - centre[..., None])
        mad = _median(deviations, count)
        # MAD = 0 (over half the days equal the median): the mean deviation still sees the others
        mean_ad = np.nanmean(deviations, axis=-1)
    spread = np.where(mad > 0, MAD_TO_SD * mad, MEAN_AD_TO_SD * mean_ad)
    return centre, mad, np.maximum(spread, MIN_SCALE), count


def _median(values: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The median along the last axis of the `count` known (not NaN) values: the middle one,
    or the mean of the two middle ones. np.nanmedian does the same, many times slower on
    small baselines."""
    ordered = np.sort(values, axis=-1)  # NaN last
    low = np.maximum((count - 1) // 2, 0)[..., None]
    high = np.maximum(count // 2, 0)[..., None]
    middle = (np.take_along_axis(ordered, low, -1) + np.take_along_axis(ordered, high, -1)) / 2
    return np.where(count > 0, middle[..., 0], np.nan)


def baseline(values: list[float]) -> tuple[float, float, float]:
    """(median, MAD, scale) of one baseline's values (module docstring). `values` non-empty."""
    centre, mad, scale, _ = baselines(np.asarray([values], dtype="float64"))
    return float(centre[0]), float(mad[0]), float(scale[0])


def directions(
    value: np.ndarray, centre: np.ndarray, scale: np.ndarray, k: float | None = None
) -> np.ndarray:
    """+1 (spike), -1 (drop) or 0 (|value − median| ≤ k × scale, or unknown); k: K by default."""
    k = K if k is None else k
    with np.errstate(invalid="ignore"):
        out = np.abs(value - centre) > k * scale
        return np.where(out, np.sign(value - centre), 0).astype("int8")


def direction(value: float, centre: float, scale: float, k: float | None = None) -> str | None:
    """ "spike", "drop", or None when |value − median| ≤ k × scale (k: K by default)."""
    way = int(directions(np.float64(value), np.float64(centre), np.float64(scale), k))
    return {1: "spike", -1: "drop"}.get(way)


# Accounts whose baselines are computed at once: bounds the arrays (accounts × days × 28).
ACCOUNTS_PER_PASS = 500


def detect(series: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """The alerts of one daily series (columns date, account_id, value), for the days in
    [start, end]; the series must reach BASELINE_DAYS before start. Columns: account_id, day,
    value, median, mad, scale, baseline_days, direction.

    Each account's known values are laid on a grid of days (NaN where unknown), so that the
    baseline of every day is the 28 cells before it, computed for all days at once."""
    columns = ["account_id", "day", "value", "median", "mad", "scale", "baseline_days"]
    known = series.loc[series["value"].notna(), ["account_id", "date", "value"]]
    if known.empty:
        return pd.DataFrame(columns=[*columns, "direction"])
    days = pd.to_datetime(known["date"]).to_numpy(dtype="datetime64[D]")
    first = days.min()
    row, accounts = pd.factorize(known["account_id"], sort=True)  # a hash, not a sort of text
    accounts = np.asarray(accounts, dtype=object)
    column = (days - first).astype("int64") + BASELINE_DAYS  # room for the first day's baseline
    width = int(column.max()) + 1
    first_tested = max(int((np.datetime64(start, "D") - first).astype("int64")), 0)
    found = []
    for lo in range(0, len(accounts), ACCOUNTS_PER_PASS):
        mine = (row >= lo) & (row < lo + ACCOUNTS_PER_PASS)
        grid = np.full((min(ACCOUNTS_PER_PASS, len(accounts) - lo), width), np.nan)
        grid[row[mine] - lo, column[mine]] = known["value"].to_numpy(dtype="float64")[mine]
        # day j (grid column j + 28): its baseline is the columns j .. j + 27, the 28 days before
        windows = np.lib.stride_tricks.sliding_window_view(grid, BASELINE_DAYS, axis=1)
        windows = windows[:, first_tested : width - BASELINE_DAYS]
        values = grid[:, BASELINE_DAYS + first_tested :]
        centre, mad, scale, count = baselines(windows)
        way = directions(values, centre, scale)
        way[count < MIN_BASELINE_DAYS] = 0
        hit_row, hit_day = np.nonzero(way)
        day = first + (hit_day + first_tested).astype("timedelta64[D]")
        found.append(
            pd.DataFrame(
                {
                    "account_id": accounts[hit_row + lo],
                    "day": [d.item() for d in day],
                    "value": values[hit_row, hit_day],
                    "median": centre[hit_row, hit_day],
                    "mad": mad[hit_row, hit_day],
                    "scale": scale[hit_row, hit_day],
                    "baseline_days": count[hit_row, hit_day],
                    "direction": np.where(way[hit_row, hit_day] > 0, "spike", "drop"),
                }
            )
        )
    frame = pd.concat(found, ignore_index=True)
    frame = frame[(frame["day"] >= start) & (frame["day"] <= end)]
    return frame.sort_values(["account_id", "day"], kind="stable").reset_index(drop=True)


def alerts(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Every alert of the scope's accounts on the days of its window (COLUMNS), by day, then
    mission, account and metric. `posts`: a list of the account's posts of that day, best
    first by interactions (at most POSTS_PER_ALERT), each a dict (post_id, published_date,
    platform, text, permalink, interactions, reach)."""
    wide = scope.with_window(scope.start - timedelta(days=BASELINE_DAYS), scope.end)
    daily = flows(con, wide, tuple(METRICS.values()), by="account", freq="day")
    found = []
    for metric, series_metric in METRICS.items():
        series = daily[["date", "account_id", series_metric]].rename(
            columns={series_metric: "value"}
        )
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
    # One read of the posts (the top posts' code: the POSTS_PER_ALERT best of each account and
    # day with an alert), then each alert takes its account's posts of its day: a read per
    # alert cost seconds over a network's two months.
    missions = tuple(sorted(set(frame["mission_id"].dropna())))
    first, last = min(frame["day"]), max(frame["day"])
    posts = top_posts(
        con,
        Scope(first, last, missions=missions, platforms=scope.platforms, owners=scope.owners),
        n=POSTS_PER_ALERT,
        order_by="interactions",
        per_account_day=sorted(set(zip(frame["account_id"], frame["day"], strict=True))),
    )
    posts["day"] = pd.to_datetime(posts["published_date"]).dt.date
    behind: dict[tuple[str, date], list[dict]] = {}
    # Column by column (`tolist`), not row by row (`to_dict("records")`): a tenth of the time
    # for the tens of thousands of posts behind a network's alerts at 10x.
    names = ("account_id", "day", "post_id", "text", "permalink", "interactions", "reach")
    columns = [posts[name].tolist() for name in names]
    for account, day, post_id, text, permalink, interactions, reach in zip(*columns, strict=True):
        kept = behind.setdefault((account, day), [])
        if len(kept) < POSTS_PER_ALERT:
            kept.append(
                {
                    "post_id": post_id,
                    "published_date": day,
                    "text": text,
                    "permalink": permalink,
                    "interactions": plain_number(interactions),
                    "reach": plain_number(reach),
                }
            )
    return [
        behind.get((account, day), [])
        for account, day in zip(frame["account_id"], frame["day"], strict=True)
    ]
