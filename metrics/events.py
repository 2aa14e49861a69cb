"""What an event did for a mission, against the mission's own baseline; the events of a scope.

`event_uplift` compares, for one mission, four KPIs in the event window (`Event.start` ..
`Event.end`, local dates) with the same KPIs in the baseline window: by default as many days
as the event, just before it; `baseline_days` makes it longer or shorter. Both windows are
computed by the KPI engine (`engine.compute_windows`, one statement when they are of equal
length), so "interactions" here is the KPI on the Mission page, never a second definition.
The baseline is put on the event's length (its value × event days / the baseline's days with
a known value) and `uplift` = event / baseline − 1.

The interval is a bootstrap over the baseline's days (docs/METRICS.md, "Events"): the daily
values of the baseline (`series.timeseries`, the same sources) are drawn with replacement,
as many as the event has days, `DRAWS` times with a fixed seed; each draw is a window of
ordinary days, and `low` / `high` are the uplifts the event shows against the 97.5 % and
2.5 % quantiles of those windows' totals. An interval that holds 0 says the event window is
within what ordinary days give. Same data, same seed, same interval: it is deterministic. With
fewer than `MIN_BASELINE_DAYS` known baseline days there is no interval (a one-day event's
default baseline is one day: choose a longer one).

`events_in` lists the events of a scope's window and missions, for the charts' annotations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from data.events import Event
from metrics.engine import UnknownMission, compute_windows, mission_exists
from metrics.kpi import registry
from metrics.scope import Scope
from metrics.series import flows, timeseries

# The KPIs an event is measured by: flows that add up day by day, so a window of ordinary days
# can be drawn from the baseline's days.
EVENT_KPIS = ("interactions", "reach", "posts", "net_follows")
DRAWS = 2000
# Fewer known baseline days than this give no interval (None): drawn from 1 or 2 days, every
# window looks alike and the interval would claim a certainty the data cannot give.
MIN_BASELINE_DAYS = 7
SEED = 20260902
LEVEL = 0.95
EVENT_COLUMNS = ("event_id", "name_en", "name_vi", "kind", "start", "end")


class UnknownEvent(LookupError):
    """The event id is not in events.csv."""

    def __init__(self, event_id: str) -> None:
        super().__init__(event_id)
        self.event_id = event_id


def find_event(events: Sequence[Event], event_id: str) -> Event:
    """The event of that id, or `UnknownEvent`."""
    for event in events:
        if event.event_id == event_id:
            return event
    raise UnknownEvent(event_id)


def baseline_window(event: Event, baseline_days: int | None = None) -> tuple[date, date]:
    """The baseline: `baseline_days` (default: the event's length) days just before the event."""
    days = event.days if baseline_days is None else int(baseline_days)
    if days < 1:
        raise ValueError(f"baseline_days must be at least 1, not {days}")
    return event.start - timedelta(days=days), event.start - timedelta(days=1)


def _windows(
    con: duckdb.DuckDBPyConnection, scope: Scope, windows: Sequence[tuple[date, date]]
) -> list[pd.Series]:
    """The network row of `compute` for each window: one statement when the windows are of
    one length (the engine's rule), else one each."""
    lengths = {(end - start).days for start, end in windows}
    if len(lengths) == 1:
        frame = compute_windows(con, scope, "network", windows, only=_READ)
        return [frame[frame["window_id"] == i].iloc[0] for i in range(len(windows))]
    return [compute_windows(con, scope, "network", [w], only=_READ).iloc[0] for w in windows]


# What `event_uplift` reads of `compute`: its KPIs, and `posts` (`_value`'s rule).
_READ = tuple(dict.fromkeys([*EVENT_KPIS, "posts"]))


def _value(row: pd.Series, name: str) -> float | None:
    value = row[name]
    if value is None or pd.isna(value) or math.isinf(float(value)):
        # A sum over posts is unknown only because there was no post to add (its `known_if`,
        # as in compare's like-for-like rule): with post data and no post, it is 0.
        if registry()[name].known_if and row["posts"] == 0:
            return 0.0
        return None
    return float(value)


def baseline_days_values(
    con: duckdb.DuckDBPyConnection, scope: Scope, metrics: Sequence[str] = EVENT_KPIS
) -> dict[str, list[float]]:
    """The known daily values of each of `metrics` (of EVENT_KPIS) over the scope's window
    (the days the bootstrap draws from), as `timeseries(by="network", freq="day")` gives them,
    read in two statements (`flows` for the flows, the `posts` series): a day without a post
    counts 0 for the sums over posts when the accounts have post data (the `posts` series says
    0), a day with no known value is left out."""
    wanted = [m for m in metrics if m != "posts"]
    daily: dict[str, dict[date, float]] = {m: {} for m in metrics}
    if wanted:
        frame = flows(con, scope, wanted, by="network", freq="day")
        days = [pd.Timestamp(d).date() for d in frame["date"]]
        for metric in wanted:
            values = frame[metric].to_numpy("float64")
            daily[metric] = {
                d: float(v) for d, v in zip(days, values, strict=True) if not math.isnan(v)
            }
    if "posts" in metrics or {"interactions", "reach"} & set(metrics):
        frame = timeseries(con, scope, "posts", by="network", freq="day")
        posts = {
            pd.Timestamp(d).date(): float(v)
            for d, v in zip(frame["date"], frame["value"], strict=True)
            if pd.notna(v)
        }
        if "posts" in metrics:
            daily["posts"] = posts
        for metric in {"interactions", "reach"} & set(metrics):
            for day, count in posts.items():
                if count == 0:
                    daily[metric].setdefault(day, 0.0)
    return {metric: [daily[metric][day] for day in sorted(daily[metric])] for metric in metrics}


def bootstrap_totals(
    days: Sequence[float], length: int, draws: int = DRAWS, seed: int = SEED
) -> np.ndarray:
    """`draws` totals of `length` days drawn with replacement from `days` (seeded: the same
    arguments give the same totals)."""
    values = np.asarray(days, dtype="float64")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(values), size=(draws, length))
    return values[picks].sum(axis=1)


def uplift_interval(
    event_value: float | None,
    days: Sequence[float],
    length: int,
    draws: int = DRAWS,
    seed: int = SEED,
    level: float = LEVEL,
) -> tuple[float | None, float | None]:
    """(low, high) of the uplift: the event's value against the (1 ± level)/2 quantiles of
    the bootstrap totals. None for an end with no finite value: fewer than MIN_BASELINE_DAYS
    known baseline days, no event value, or a quantile ≤ 0 (an uplift against 0 or a loss has
    no meaning: unbounded)."""
    if event_value is None or len(days) < MIN_BASELINE_DAYS or length < 1:
        return None, None
    totals = bootstrap_totals(days, length, draws, seed)
    q_low, q_high = np.quantile(totals, [(1 - level) / 2, (1 + level) / 2])
    # Against the highest ordinary windows the uplift is lowest, and the other way round.
    ends = [event_value / q - 1 if q > 0 else None for q in (float(q_high), float(q_low))]
    low, high = ends
    if event_value < 0 and low is not None and high is not None:
        low, high = high, low
    return low, high


def event_uplift(
    con: duckdb.DuckDBPyConnection,
    mission_id: str,
    event: Event,
    baseline_days: int | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
) -> dict[str, dict[str, float | int | None]]:
    """Per KPI of EVENT_KPIS: `event` (its value in the event window), `baseline` (in the
    baseline window, per known day × the event's days), `uplift` (event / baseline − 1; None when the
    baseline is unknown or ≤ 0), `low` and `high` (the bootstrap interval, `uplift_interval`);
    None for unknown. Raises `UnknownMission`."""
    if not mission_exists(con, mission_id):
        raise UnknownMission(mission_id)
    base_start, base_end = baseline_window(event, baseline_days)
    n_event = event.days
    scope = Scope(event.start, event.end, missions=(mission_id,))
    now, before = _windows(con, scope, [(event.start, event.end), (base_start, base_end)])
    known_days = baseline_days_values(con, scope.with_window(base_start, base_end))
    kinds = registry()
    out: dict[str, dict[str, float | int | None]] = {}
    for name in EVENT_KPIS:
        value, base = _value(now, name), _value(before, name)
        days = known_days[name]
        # Per known day, on the event's length: a baseline day the store knows nothing of (no
        # export reaches it) is left out, not taken for 0. The known days add up to the KPI.
        base = None if base is None or not days else base * n_event / len(days)
        uplift = value / base - 1 if value is not None and base is not None and base > 0 else None
        low, high = uplift_interval(value, days, n_event, draws, seed)
        count = kinds[name].is_count
        out[name] = {
            "event": None if value is None else (round(value) if count else value),
            "baseline": base,
            "uplift": uplift,
            "low": low,
            "high": high,
        }
    return out


def event_series(
    con: duckdb.DuckDBPyConnection,
    mission_id: str,
    event: Event,
    metric: str = "interactions",
    baseline_days: int | None = None,
) -> pd.DataFrame:
    """The mission's daily `metric` over the baseline and the event windows (the chart of the
    Events page): columns date, value, part ("baseline" | "event"); days as `timeseries`
    gives them (a day without a known value is left out; posts are 0 on a day without one)."""
    base_start, _ = baseline_window(event, baseline_days)
    scope = Scope(base_start, event.end, missions=(mission_id,))
    frame = timeseries(con, scope, metric, by="network", freq="day")[["date", "value"]].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["part"] = np.where(frame["date"] >= pd.Timestamp(event.start), "event", "baseline")
    return frame.reset_index(drop=True)


def events_in(
    con: duckdb.DuckDBPyConnection, scope: Scope, events: Sequence[Event]
) -> pd.DataFrame:
    """The events that overlap the scope's window and concern at least one of its missions (an
    event with neither missions nor countries concerns every mission; else those it names and
    those in the countries it names), by start date. Columns: EVENT_COLUMNS (start and end as
    dates)."""
    missions = con.execute("SELECT mission_id, country, region FROM missions").fetchall()
    chosen = [
        (m, c)
        for m, c, r in missions
        if (scope.missions is None or m in scope.missions)
        and (scope.regions is None or r in scope.regions)
    ]
    rows = []
    for event in events:
        if event.end < scope.start or event.start > scope.end:
            continue
        everyone = not event.missions and not event.countries
        if everyone or any(m in event.missions or c in event.countries for m, c in chosen):
            rows.append([getattr(event, c) for c in EVENT_COLUMNS])
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    return frame.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)
