"""The KPI engine: every registered KPI for every group of a scope, in one SQL statement.

`compute` groups the scope's accounts (`by`) and, for each source (`metrics/sql/*.sql`),
aggregates all the KPIs reading that source for all groups at once: ranking 100 missions costs
one statement, not 100. A mission's card, the ranking of all missions and the network total are
the same statement with a different GROUP BY, so they cannot disagree. `compare` computes the
window and the previous one in the same statement (a `window_id` in every source), so the
snapshots of the posts are read once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from metrics.kpi import KPI, expand, registry
from metrics.scope import ATTRIBUTES, Scope, check_by, scope_accounts_sql

SQL_DIR = Path(__file__).with_name("sql")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


class UnknownMission(LookupError):
    """The mission id is not in the registry."""

    def __init__(self, mission_id: str) -> None:
        super().__init__(mission_id)
        self.mission_id = mission_id


@cache
def source_sql(name: str) -> str:
    """The SQL of a source (a SELECT over the CTEs `scope_accounts` and `windows`), from
    metrics/sql/."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"unknown metrics source {name!r} (no {path})")
    # End with a newline: callers wrap it in parentheses, and a last line could be a comment.
    return path.read_text(encoding="utf-8").rstrip() + "\n"


Window = tuple[date, date]


def run(
    con: duckdb.DuckDBPyConnection, scope: Scope, sql: str, windows: Sequence[Window] = ()
) -> pd.DataFrame:
    """Run `sql` behind the CTEs every source reads: `scope_accounts` (the scope's accounts)
    and `windows` (window_id, window_start, window_end: the scope's window, or `windows`, all of
    equal length). Parameters: $start and $end (the span of the windows), $days (their length)
    and the scope's filters; only those the SQL uses are passed, as DuckDB refuses extra ones."""
    windows = list(windows) or [(scope.start, scope.end)]
    lengths = {(end - start).days + 1 for start, end in windows}
    if len(lengths) != 1 or min(lengths) < 1:
        raise ValueError(f"windows must be of one length and end after they start: {windows}")
    accounts_sql, params = scope_accounts_sql(scope)
    rows = ", ".join(
        f"({i}, CAST($w{i}_start AS DATE), CAST($w{i}_end AS DATE))" for i in range(len(windows))
    )
    full = (
        f"WITH scope_accounts AS ({accounts_sql}),\n"
        f"windows AS (SELECT * FROM (VALUES {rows}) AS w(window_id, window_start, window_end))\n"
        f"{sql}"
    )
    params = {
        **params,
        "start": min(start for start, _ in windows),
        "end": max(end for _, end in windows),
        "days": lengths.pop(),
    }
    for i, (start, end) in enumerate(windows):
        params[f"w{i}_start"], params[f"w{i}_end"] = start, end
    used = set(_PARAM.findall(full))
    return con.execute(full, {k: v for k, v in params.items() if k in used}).df()


def source_rows(con: duckdb.DuckDBPyConnection, scope: Scope, source: str) -> pd.DataFrame:
    """The rows of one source for a scope (for series, top posts and tests)."""
    return run(con, scope, f", source_rows AS ({source_sql(source)}) SELECT * FROM source_rows")


def _groups_sql(by: str) -> tuple[str, list[str], list[str]]:
    """SQL of the groups of the scope (one row each, with their attributes), the group
    columns and the attribute columns."""
    group = list(check_by(by))
    if not group:
        return "SELECT 1 AS network", [], []
    attributes = [a for a in ATTRIBUTES.get(by, ()) if a not in group]
    table = {"mission_id": "s", "platform": "s", "owner": "s", "handle": "a", "country": "m"}
    select = [f"s.{c}" for c in group] + [f"{table.get(a, 'm')}.{a}" for a in attributes]
    sql = (
        f"SELECT DISTINCT {', '.join(select)} FROM scope_accounts s "
        "JOIN missions m ON m.mission_id = s.mission_id "
        "JOIN accounts a ON a.account_id = s.account_id"
    )
    return sql, group, attributes


def compute_windows(
    con: duckdb.DuckDBPyConnection, scope: Scope, by: str, windows: Sequence[Window]
) -> pd.DataFrame:
    """Every KPI for every group of the scope and every window, in one SQL statement: one
    aggregate per source (all KPIs of the source, all groups, all windows at once), joined to
    the groups. Columns: the group column(s), their attributes, window_id, the KPIs."""
    every = registry()
    groups_sql, group, attributes = _groups_sql(by)
    keys = ["window_id", *group]
    by_source: dict[str, list[KPI]] = {}
    for kpi in every.values():
        by_source.setdefault(kpi.source, []).append(kpi)
    ctes = [f"groups AS ({groups_sql})"]
    joins, columns = [], {}
    for n, (source, kpis) in enumerate(by_source.items()):
        exprs = ", ".join(f"{expand(k, every)} AS {k.name}" for k in kpis)
        ctes.append(
            f"agg{n} AS (SELECT {', '.join(keys)}, {exprs}\n"
            f"FROM ({source_sql(source)}) AS source_rows GROUP BY {', '.join(keys)})"
        )
        on = " AND ".join(
            [f"agg{n}.window_id = w.window_id"] + [f"agg{n}.{c} = g.{c}" for c in group]
        )
        joins.append(f"LEFT JOIN agg{n} ON {on}")
        columns.update({k.name: f"agg{n}.{k.name}" for k in kpis})
    select = [f"g.{c}" for c in group + attributes] + ["w.window_id"]
    select += [f"{columns[name]} AS {name}" for name in every]
    order = ", ".join(["w.window_id"] + [f"g.{c}" for c in group])
    sql = (
        ", " + ",\n".join(ctes) + f"\nSELECT {', '.join(select)}\n"
        "FROM groups g CROSS JOIN windows w\n" + "\n".join(joins) + f"\nORDER BY {order}"
    )
    frame = run(con, scope, sql, windows)
    for name in every:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return frame


def compute(con: duckdb.DuckDBPyConnection, scope: Scope, by: str = "network") -> pd.DataFrame:
    """Every KPI for every group of the scope: the group column(s), the group's attributes, then
    one float column per KPI in KPI_NAMES order (NaN = unknown). Groups are those with accounts
    in the scope; "network" is one row (all KPIs unknown when the scope has no account)."""
    frame = compute_windows(con, scope, by, [(scope.start, scope.end)])
    return _one_window(frame, 0)


def _one_window(frame: pd.DataFrame, window_id: int) -> pd.DataFrame:
    # "network" always has its row: the groups CTE is one constant row, crossed with windows
    return frame[frame["window_id"] == window_id].drop(columns="window_id").reset_index(drop=True)


def _plain(kpi: KPI, value: object) -> float | int | None:
    """A KPI value as the CLI's JSON gives it: None for unknown, an int for counts."""
    if value is None or pd.isna(value):
        return None
    number = float(value)
    if math.isinf(number):
        return None
    return round(number) if kpi.is_count else number


def mission_exists(con: duckdb.DuckDBPyConnection, mission_id: str) -> bool:
    """True when the registry has this mission."""
    rows = con.execute("SELECT count(*) FROM missions WHERE mission_id = ?", [mission_id])
    return rows.fetchall()[0][0] > 0


def kpis(
    con: duckdb.DuckDBPyConnection,
    mission_id: str,
    start: date,
    end: date,
    platform: str | None = None,
) -> dict[str, float | int | None]:
    """The KPIs of one mission (all its accounts, ambassadors' included; or one platform's),
    keyed exactly by KPI_NAMES. Raises `UnknownMission` for a mission not in the registry."""
    if not mission_exists(con, mission_id):
        raise UnknownMission(mission_id)
    scope = Scope(start, end, missions=(mission_id,), platforms=(platform,) if platform else None)
    row = compute(con, scope, by="network").iloc[0]
    return {name: _plain(kpi, row[name]) for name, kpi in registry().items()}


def previous_window(start: date, end: date) -> tuple[date, date]:
    """The window of equal length that ends the day before `start`."""
    length = (end - start).days + 1
    previous_end = start - timedelta(days=1)
    return previous_end - timedelta(days=length - 1), previous_end


def _change(current: float, previous: float) -> float:
    if pd.isna(current) or pd.isna(previous) or previous == 0:
        return math.nan
    return (current - previous) / abs(previous)


def compare(con: duckdb.DuckDBPyConnection, scope: Scope, by: str = "network") -> pd.DataFrame:
    """`compute` for the scope and for the previous window, side by side: for each KPI `k` the
    columns k, k_prev and k_change ((k − k_prev) / |k_prev|; NaN when k_prev is 0 or unknown)."""
    group = list(check_by(by))
    names = list(registry())
    both = compute_windows(
        con, scope, by, [(scope.start, scope.end), previous_window(scope.start, scope.end)]
    )
    current, previous = _one_window(both, 0), _one_window(both, 1)
    previous = previous[group + names].rename(columns={n: f"{n}_prev" for n in names})
    if group:
        joined = current.merge(previous, on=group, how="left")
    else:
        joined = pd.concat([current, previous], axis=1)
    columns = [c for c in current.columns if c not in names]
    for name in names:
        joined[f"{name}_change"] = [
            _change(c, p) for c, p in zip(joined[name], joined[f"{name}_prev"], strict=True)
        ]
        joined[f"{name}_change"] = joined[f"{name}_change"].astype("float64")
        columns += [name, f"{name}_prev", f"{name}_change"]
    return joined[columns]


def ranking(con: duckdb.DuckDBPyConnection, kpi: str, scope: Scope) -> pd.DataFrame:
    """Missions ranked by one KPI: best first (highest, or lowest when lower is better), unknown
    last with rank NA; ties share the better rank (1, 2, 2, 4). Columns: rank, mission_id,
    name_en, name_vi, region, country, kind, value, then every KPI."""
    return rank(compute(con, scope, by="mission"), kpi)


def rank(by_mission: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """`ranking` of a frame that `compute(by="mission")` already gave, without computing again
    (a page that shows the missions' KPIs and their ranking computes them once)."""
    every = registry()
    if kpi not in every:
        raise ValueError(f"unknown KPI {kpi!r}; known: {', '.join(every)}")
    frame = by_mission.copy()
    ascending = not every[kpi].higher_is_better
    frame["value"] = frame[kpi]
    frame["rank"] = frame["value"].rank(method="min", ascending=ascending).astype("Int64")
    frame = frame.sort_values(
        ["value", "mission_id"], ascending=[ascending, True], na_position="last", kind="stable"
    )
    head = ["rank", "mission_id", "name_en", "name_vi", "region", "country", "kind", "value"]
    return frame[head + list(every)].reset_index(drop=True)
