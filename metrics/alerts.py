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
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from data.queries import latest_data_date
from data.store import prepared_fact
from metrics.engine import plain_number, preset_windows, run
from metrics.scope import Scope
from metrics.series import flows

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
    ordered = np.sort(values, axis=-1).reshape(-1, values.shape[-1])  # NaN last
    known = count.reshape(-1)
    # one baseline a row: plain indexing, half the time of take_along_axis at 10x
    row = np.arange(len(ordered))
    low, high = np.maximum((known - 1) // 2, 0), np.maximum(known // 2, 0)
    middle = (ordered[row, low] + ordered[row, high]) / 2
    return np.where(known > 0, middle, np.nan).reshape(count.shape)


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


# Cells (an account's value of one metric on one day) judged at once: bounds the arrays
# (cells × 28), a few megabytes.
CELLS_PER_PASS = 40_000


@dataclass(frozen=True)
class _Found:
    """The alerts found in several daily series, an array each, an element per alert, by
    series (metric, then account) and day."""

    metric: np.ndarray  # the series' column in the values given
    account: np.ndarray  # the account's code
    day: np.ndarray  # datetime64[D]
    value: np.ndarray
    median: np.ndarray
    mad: np.ndarray
    scale: np.ndarray
    baseline_days: np.ndarray
    way: np.ndarray  # +1 spike, -1 drop


def _find(
    days: np.ndarray, account: np.ndarray, values: np.ndarray, start: date, end: date
) -> _Found:
    """The alerts on the days in [start, end] of each account's daily series of each column of
    `values` (a row per account and day: `days` (datetime64[D]) and `account` (codes 0 .. n − 1)
    say which; NaN: unknown). The series must reach BASELINE_DAYS before start.

    Every series' values are laid on one grid of days (NaN where unknown): a row per metric and
    account, a column per day, so that the baseline of a cell is the 28 cells before it. Only
    the known cells of the tested days are judged: a day without a value has nothing to judge."""
    known = ~np.isnan(values)
    any_known = known.any(axis=1)
    accounts = int(account.max()) + 1 if len(account) else 0
    if not any_known.any():
        empty = np.empty(0)
        return _Found(*([empty.astype("int64")] * 2), empty.astype("datetime64[D]"), *[empty] * 6)
    first = days[any_known].min()
    column = (days - first).astype("int64") + BASELINE_DAYS  # room for the first day's baseline
    grid = np.full((values.shape[1] * accounts, int(column[any_known].max()) + 1), np.nan)
    for metric in range(values.shape[1]):
        mine = known[:, metric]
        grid[metric * accounts + account[mine], column[mine]] = values[mine, metric]
    tested = ~np.isnan(grid)
    tested[:, : BASELINE_DAYS + max(_days_after(first, start), 0)] = False
    tested[:, BASELINE_DAYS + max(_days_after(first, end) + 1, 0) :] = False
    cell_row, cell_column = np.nonzero(tested)  # by row (metric, account), then day
    # grid column c: its baseline is the columns c − 28 .. c − 1, the 28 days before, window
    # c − 28 of the view
    windows = np.lib.stride_tricks.sliding_window_view(grid, BASELINE_DAYS, axis=1)
    parts = []
    for lo in range(0, len(cell_row), CELLS_PER_PASS):
        rows, columns = cell_row[lo : lo + CELLS_PER_PASS], cell_column[lo : lo + CELLS_PER_PASS]
        value = grid[rows, columns]
        centre, mad, scale, count = baselines(windows[rows, columns - BASELINE_DAYS])
        way = directions(value, centre, scale)
        way[count < MIN_BASELINE_DAYS] = 0
        hit = np.flatnonzero(way)
        parts.append([a[hit] for a in (rows, columns, value, centre, mad, scale, count, way)])
    if not parts:
        parts.append([np.empty(0, dtype) for dtype in "iiffffii"])
    rows, columns, value, centre, mad, scale, count, way = (
        np.concatenate(arrays) for arrays in zip(*parts, strict=True)
    )
    return _Found(
        metric=rows // max(accounts, 1),
        account=rows % max(accounts, 1),
        day=first + (columns - BASELINE_DAYS).astype("timedelta64[D]"),
        value=value,
        median=centre,
        mad=mad,
        scale=scale,
        baseline_days=count,
        way=way,
    )


def _days_after(first: np.datetime64, day: date) -> int:
    return int((np.datetime64(day, "D") - first).astype("int64"))


def detect(series: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """The alerts of one daily series (columns date, account_id, value), for the days in
    [start, end]; the series must reach BASELINE_DAYS before start. Columns: account_id, day,
    value, median, mad, scale, baseline_days, direction; by account, then day."""
    columns = ["account_id", "day", "value", "median", "mad", "scale", "baseline_days"]
    known = series.loc[series["value"].notna(), ["account_id", "date", "value"]]
    if known.empty:
        return pd.DataFrame(columns=[*columns, "direction"])
    days = pd.to_datetime(known["date"]).to_numpy(dtype="datetime64[D]")
    code, accounts = pd.factorize(known["account_id"], sort=True)  # codes in the ids' order
    values = known["value"].to_numpy(dtype="float64")[:, None]
    found = _find(days, code, values, start, end)
    return pd.DataFrame(
        {
            "account_id": np.asarray(accounts, dtype=object)[found.account],
            "day": [d.item() for d in found.day],
            "value": found.value,
            "median": found.median,
            "mad": found.mad,
            "scale": found.scale,
            "baseline_days": found.baseline_days,
            "direction": np.where(found.way > 0, "spike", "drop"),
        }
    )


def _found(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[_Found, np.ndarray]:
    """The alerts of the scope's accounts on the days of its window, from their daily series,
    and the account ids their codes index (sorted)."""
    wide = scope.with_window(scope.start - timedelta(days=BASELINE_DAYS), scope.end)
    # unordered: `_find` places each row on its grid by account code and day
    daily = flows(con, wide, tuple(METRICS.values()), by="account", freq="day", ordered=False)
    # The three metrics at once, on one grid: a frame per metric, and the merge and sort of
    # frames, cost more than the baselines themselves.
    code, ids = pd.factorize(daily["account_id"], sort=True)  # codes in the ids' order
    found = _find(
        pd.to_datetime(daily["date"]).to_numpy(dtype="datetime64[D]"),
        code,
        daily[list(METRICS.values())].to_numpy(dtype="float64"),
        scope.start,
        scope.end,
    )
    return found, np.asarray(ids, dtype=object)


# The fact `prepare_alerts` gives the store: (table, first day, last day it holds alerts of).
ALERTS_FACT = "metrics.alerts"
# `_Found`'s columns kept, with their types (one for every chunk, an empty one's too).
_FOUND_COLUMNS = {
    "value": "float64",
    "median": "float64",
    "mad": "float64",
    "scale": "float64",
    "baseline_days": "int64",
    "way": "int8",
}
# Missions whose alerts `prepare_alerts` finds at once.
PREPARE_MISSIONS = 10


def prepare_alerts(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, object]:
    """Build, in `database` (`data.store.Store.prepare_versions`), every account's alerts on
    every day from the earliest start of the period presets to the version's latest day with
    data: a day's alert depends on its account's 28 days before it only, not on the window or
    the other accounts of a scope, so `alerts` of any scope whose window lies in those days
    reads its accounts' rows of its days here instead of their daily series (`_prepared`)."""
    latest = latest_data_date(con)
    if latest is None:
        return {}
    first = min(windows[0][0] for windows in preset_windows(latest))  # the presets' own windows
    missions = [
        row[0] for row in con.execute("SELECT mission_id FROM missions ORDER BY 1").fetchall()
    ]
    chunks = []
    # A few missions at a time: DuckDB's memory for the daily series of ten months grows with
    # the accounts read at once (peak +300 MB at 10x scale for all of them, +114 MB at ministry
    # scale for fifty missions, +48 for ten), and a reader keeps what it once took. Ten missions
    # a statement: 0.44 s at ministry scale, 3.1 s at 10x, in the background.
    for at in range(0, len(missions), PREPARE_MISSIONS):
        found, ids = _found(
            con, Scope(first, latest, missions=tuple(missions[at : at + PREPARE_MISSIONS]))
        )
        chunks.append(
            pa.table(
                {
                    "account_id": pa.array(ids[found.account].tolist(), pa.string()),
                    "day": pa.array(found.day, pa.date32()),
                    "metric": pa.array(found.metric, pa.int8()),
                    **{
                        name: np.asarray(getattr(found, name), dtype=dtype)
                        for name, dtype in _FOUND_COLUMNS.items()
                    },
                }
            )
        )
    if not chunks:  # no mission
        return {}
    rows = pa.concat_tables(chunks)
    table = f"{database}.alert_days"
    con.register("alert_days_built", rows)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {table} AS "
            "SELECT * FROM alert_days_built ORDER BY day, account_id, metric"
        )
    finally:
        con.unregister("alert_days_built")
    return {ALERTS_FACT: (table, first, latest)}


def _prepared(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[_Found, np.ndarray] | None:
    """`_found` from `prepare_alerts`' rows, when the cursor's version has them for every day
    of the scope's window; else None."""
    fact = prepared_fact(con, ALERTS_FACT)
    if fact is None:
        return None
    table, first, last = fact
    if scope.start < first or scope.end > last:
        return None
    rows = run(
        con,
        scope,
        f"""
        SELECT a.* FROM {table} a SEMI JOIN scope_accounts s ON s.account_id = a.account_id
        WHERE a.day BETWEEN $start AND $end
        """,
    )
    code, ids = pd.factorize(rows["account_id"], sort=True)  # codes in the ids' order
    found = _Found(
        metric=rows["metric"].to_numpy(dtype="int64"),
        account=code.astype("int64"),
        day=pd.to_datetime(rows["day"]).to_numpy(dtype="datetime64[D]"),
        **{name: rows[name].to_numpy(dtype=dtype) for name, dtype in _FOUND_COLUMNS.items()},
    )
    return found, np.asarray(ids, dtype=object)


def alerts(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Every alert of the scope's accounts on the days of its window (COLUMNS), by day, then
    mission, account and metric. `posts`: a list of the account's posts of that day, best
    first by interactions (at most POSTS_PER_ALERT), each a dict (post_id, published_date,
    text, permalink, interactions, reach: the alert's row has the platform)."""
    found, ids = _prepared(con, scope) or _found(con, scope)
    if not len(found.day):
        return pd.DataFrame(columns=COLUMNS)
    involved, account = np.unique(found.account, return_inverse=True)
    about = _accounts(con, list(ids[involved]))
    missions = [about[i][0] for i in ids[involved]]
    mission_rank = np.unique(np.asarray(missions, dtype=object), return_inverse=True)[1]
    # by day, mission, account (codes in the ids' order), metric (METRICS' order: its column)
    order = np.lexsort((found.metric, found.account, mission_rank[account], found.day))
    account = account[order]
    described = list(zip(*(about[i] for i in ids[involved]), strict=True))
    frame = pd.DataFrame(
        {
            "account_id": ids[involved][account],
            **{
                name: np.asarray(values, dtype=object)[account]
                for name, values in zip(COLUMNS[1:6], described, strict=True)
            },
            "day": [d.item() for d in found.day[order]],
            "metric": np.asarray(list(METRICS), dtype=object)[found.metric[order]],
            "value": found.value[order],
            "median": found.median[order],
            "mad": found.mad[order],
            "scale": found.scale[order],
            "baseline_days": found.baseline_days[order],
            "direction": np.where(found.way[order] > 0, "spike", "drop"),
        }
    )
    frame["posts"] = _posts_behind(con, frame)
    return frame


def _accounts(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, tuple]:
    # Only the accounts with an alert: rows, not a frame (the registry is 4,360 accounts at 10x).
    rows = con.execute(
        "SELECT a.account_id, a.mission_id, a.platform, a.owner, m.name_en, m.name_vi "
        "FROM accounts a JOIN missions m ON m.mission_id = a.mission_id "
        "WHERE list_contains($ids, a.account_id)",
        {"ids": ids},
    ).fetchall()
    found = {row[0]: row[1:] for row in rows}
    return {i: found.get(i, (None,) * 5) for i in ids}


# The POSTS_PER_ALERT best posts of each (account, day) with an alert, by interactions (unknown
# last), with their text and link. Straight from post_inputs, each post's one definition of its
# metrics (the KPIs' posts source reads the same table for a window and a scope; the alerts'
# accounts and days are both given here). Through the read cache, the network's alerts of a
# week: 39 -> 18 ms at 10x (1,350 account-days), 17 -> 7 at ministry scale.
_POSTS_BEHIND_SQL = f"""
WITH alert_days AS (
    SELECT unnest($accounts) AS account_id, CAST(unnest($days) AS DATE) AS day
),
best AS (
    SELECT p.account_id, p.post_id, p.published_date, p.interactions, p.reach
    FROM post_inputs p
    SEMI JOIN alert_days d ON d.account_id = p.account_id AND d.day = p.published_date
    WHERE p.published_date BETWEEN $first AND $last
    QUALIFY row_number() OVER (
        PARTITION BY p.account_id, p.published_date
        ORDER BY p.interactions DESC NULLS LAST, p.post_id
    ) <= {POSTS_PER_ALERT}
)
SELECT b.account_id, b.published_date, b.post_id, q.text, q.permalink, b.interactions, b.reach
FROM best b
JOIN posts q ON q.account_id = b.account_id AND q.post_id = b.post_id
    AND q.published_date BETWEEN $first AND $last  -- data/store.py SORTED
ORDER BY b.account_id, b.published_date, b.interactions DESC NULLS LAST, b.post_id
"""


def _posts_behind(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> list:
    # One read for all the alerts, then each alert takes its account's posts of its day: a read
    # per alert cost seconds over a network's two months.
    days = sorted(set(zip(frame["account_id"], frame["day"], strict=True)))
    rows = con.execute(
        _POSTS_BEHIND_SQL,
        {
            "accounts": [account for account, _ in days],
            "days": [day for _, day in days],
            "first": min(day for _, day in days),
            "last": max(day for _, day in days),
        },
    ).fetchall()
    behind: dict[tuple[str, date], list[dict]] = {}
    for account, day, post_id, text, permalink, interactions, reach in rows:
        behind.setdefault((account, day), []).append(
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
