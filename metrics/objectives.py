"""Objectives: how far a mission has come towards each target, and whether it is on track.

The actual value of an objective is its KPI over [start, min(on, end)], computed by the KPI
engine (`compute`), the same number the KPI cards show for that window: no second definition.
How a target is read depends on what the KPI adds up to (`reading`, docs/METRICS.md):

- `sum`: a count added up over the period's days or posts (posts, interactions, reach,
  net_follows, ...). The target is the period's total (`net_follows` 5000 = "+5,000
  followers"). Expected by `on`: target × elapsed days / period days (a straight line from 0).
- `level`: a ratio or a rate (shares, engagement rates, posts_per_week). The target is the
  level to hold over the period; expected at any day: the target itself.
- `stock`: a count that is a state at the window's end (source `accounts`: followers_end).
  The target is the level to reach by the end. Expected by `on`: a straight line from the
  level the day before the start (baseline) to the target at the end.

progress = actual / target. on_track: actual ≥ expected (≤ for a KPI where lower is better);
null when actual or expected is unknown, or before the period starts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from data.objectives import Objective, load_objectives
from metrics.engine import compute, plain_number
from metrics.kpi import KPI, registry
from metrics.scope import Scope

READINGS = ("sum", "level", "stock")
# The source whose counts are states at the window's end, not sums over its days.
STOCK_SOURCES = frozenset({"accounts"})
COLUMNS = [
    "mission_id",
    "name_en",
    "name_vi",
    "kpi",
    "start",
    "end",
    "target",
    "reading",
    "status",
    "as_of",
    "elapsed_days",
    "period_days",
    "baseline",
    "actual",
    "expected",
    "progress",
    "on_track",
]


def reading(kpi: KPI) -> str:
    """How a target of this KPI is read: "sum", "level" or "stock" (module docstring)."""
    if kpi.unit != "count":
        return "level"
    return "stock" if kpi.source in STOCK_SOURCES else "sum"


def kpi_units() -> dict[str, str]:
    """Every registered KPI's unit, by name: what an objectives row may name."""
    return {name: kpi.unit for name, kpi in registry().items()}


def read_objectives(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[Objective, ...]:
    """The objectives of a file, checked against the registered KPIs and the store's
    missions (ObjectivesError on the first bad row; none when there is no file)."""
    missions = [row[0] for row in con.execute("SELECT mission_id FROM missions").fetchall()]
    return tuple(load_objectives(path, kpi_units(), missions))


def expected_value(
    how: str, target: float, elapsed: int, days: int, baseline: float | None = None
) -> float | None:
    """The straight-line expectation after `elapsed` of the period's `days` days."""
    if how == "level":
        return target
    share = min(elapsed, days) / days
    if how == "sum":
        return target * share
    if baseline is None:
        return None
    return baseline + (target - baseline) * share


def on_track_for(
    actual: float | None, expected: float | None, higher_is_better: bool
) -> bool | None:
    """actual ≥ expected (≤ when lower is better); None when either is unknown."""
    if actual is None or expected is None:
        return None
    return actual >= expected if higher_is_better else actual <= expected


def _values(
    con: duckdb.DuckDBPyConnection, start: date, end: date, missions: Sequence[str]
) -> dict[str, dict[str, float | None]]:
    # One engine statement per window for all the missions with an objective over it.
    frame = compute(con, Scope(start, end, missions=tuple(sorted(set(missions)))), by="mission")
    return {
        row["mission_id"]: {name: plain_number(row[name]) for name in registry()}
        for row in frame.to_dict("records")
    }


def progress(
    con: duckdb.DuckDBPyConnection, objectives: Iterable[Objective], on: date
) -> pd.DataFrame:
    """One row per objective (COLUMNS), in the given order, as of day `on`.

    status: "not_started" (on < start: nothing is measured, all null), "running" (start ≤ on ≤
    end) or "ended" (on > end: the whole period is measured, on_track says whether it was met). as_of = min(on, end); elapsed_days = days from
    start to as_of, both included; baseline = for a stock, its value the day before start.
    """
    every = registry()
    objectives = list(objectives)
    names = {
        m: (en, vi)
        for m, en, vi in con.execute("SELECT mission_id, name_en, name_vi FROM missions").fetchall()
    }
    # Which (window -> missions) to compute: each objective's measured window, and for stocks
    # the day before its start.
    windows: dict[tuple[date, date], list[str]] = {}
    for o in objectives:
        if on >= o.start:
            windows.setdefault((o.start, min(on, o.end)), []).append(o.mission_id)
            if reading(every[o.kpi]) == "stock":
                day = o.start - timedelta(days=1)
                windows.setdefault((day, day), []).append(o.mission_id)
    values = {window: _values(con, *window, missions) for window, missions in windows.items()}
    rows = []
    for o in objectives:
        kpi = every[o.kpi]
        how = reading(kpi)
        period_days = (o.end - o.start).days + 1
        row = {
            "mission_id": o.mission_id,
            "name_en": names.get(o.mission_id, (None, None))[0],
            "name_vi": names.get(o.mission_id, (None, None))[1],
            "kpi": o.kpi,
            "start": o.start,
            "end": o.end,
            "target": o.target,
            "reading": how,
            "status": "not_started",
            "as_of": None,
            "elapsed_days": 0,
            "period_days": period_days,
            "baseline": None,
            "actual": None,
            "expected": None,
            "progress": None,
            "on_track": None,
        }
        if on >= o.start:
            as_of = min(on, o.end)
            elapsed = (as_of - o.start).days + 1
            actual = values[(o.start, as_of)].get(o.mission_id, {}).get(o.kpi)
            baseline = None
            if how == "stock":
                day = o.start - timedelta(days=1)
                baseline = values[(day, day)].get(o.mission_id, {}).get(o.kpi)
            expected = expected_value(how, o.target, elapsed, period_days, baseline)
            row |= {
                "status": "ended" if on > o.end else "running",
                "as_of": as_of,
                "elapsed_days": elapsed,
                "baseline": baseline,
                "actual": actual,
                "expected": expected,
                "progress": None if actual is None else actual / o.target,
                "on_track": on_track_for(actual, expected, kpi.higher_is_better),
            }
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["on_track"] = frame["on_track"].astype("object")
    return frame


def off_track(
    con: duckdb.DuckDBPyConnection, objectives: Iterable[Objective], on: date
) -> pd.DataFrame:
    """The running objectives (start ≤ on ≤ end) that are not on track (on_track is False), by
    mission then KPI: the Overview's list. Unknown (null) is not "off track"; an objective
    that has ended is no longer "on track" or "off track" (the Mission page says whether it
    was met)."""
    frame = progress(con, objectives, on)
    behind = (frame["status"] == "running") & frame["on_track"].map(lambda v: v is False)
    frame = frame[behind]
    return frame.sort_values(["mission_id", "kpi", "start"], kind="stable").reset_index(drop=True)
