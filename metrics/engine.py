"""The KPI engine: every registered KPI for every group of a scope, in one SQL statement.

`compute` groups the scope's accounts (`by`) and aggregates every KPI for all groups at once:
ranking 100 missions costs one statement, not 100. Each source (`metrics/sql/*.sql`) is read
once, into one row of partial aggregates per window and account (`metrics/partials.py`); the
sources' partial rows are joined side by side (`parts`, one row per window and account), and
every grouping is one aggregate over them for the KPIs of all sources. A mission's
card, the ranking of all missions and the network total are the same statement with a
different GROUP BY, so they cannot disagree. `compare` computes the window and the compared
one (previous, or a year earlier) in the same statement (a `window_id` in every source), so the
snapshots of the posts are read once; in that statement it also finds, per KPI, the accounts
known in both windows and combines the KPI again over those only, for a like-for-like change
(docs/METRICS.md). `standing` ranks a mission among the others from the
same `compute(by="mission")` frame the ranking uses. `overview` and `mission_numbers` add, to
`compare`'s statement, `compute` of other groupings of the current window (one aggregate over
the same per-account partial rows): a page's network, missions and countries in one pass.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from data.queries import latest_data_date
from data.store import cached_per_version, prepared_fact
from metrics.kpi import KPI, expand, registry
from metrics.partials import Partials, filtered
from metrics.scope import (
    ATTRIBUTES,
    FIXED_PRESETS,
    Scope,
    check_by,
    period_window,
    scope_accounts_sql,
)

SQL_DIR = Path(__file__).with_name("sql")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
# `{source:name}` in a source's SQL: another source's rows, as a subquery (a source built on
# another reads its definition, never a copy of it).
_INCLUDE = re.compile(r"\{source:([a-z_][a-z0-9_]*)\}")


class UnknownMission(LookupError):
    """The mission id is not in the registry."""

    def __init__(self, mission_id: str) -> None:
        super().__init__(mission_id)
        self.mission_id = mission_id


@cache
def source_sql(name: str, shared: frozenset[str] = frozenset()) -> str:
    """The SQL of a source (a SELECT over the CTEs `scope_accounts` and `windows`), from
    metrics/sql/. A source it includes that is in `shared` is read from the caller's CTE
    `source_<name>` (`source_ctes`) instead of being written out again."""

    def included(match: re.Match[str]) -> str:
        other = match.group(1)
        return f"source_{other}" if other in shared else f"({source_sql(other, shared)})"

    text = _INCLUDE.sub(included, _source_text(name))
    # End with a newline: callers wrap it in parentheses, and a last line could be a comment.
    return text.rstrip() + "\n"


@cache
def _includes(name: str) -> frozenset[str]:
    """The sources `name` includes, directly or through another."""
    direct = set(_INCLUDE.findall(_source_text(name)))
    return frozenset(direct.union(*(_includes(other) for other in direct)))


def _source_text(name: str) -> str:
    """The text of metrics/sql/<name>.sql, as written."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"unknown metrics source {name!r} (no {path})")
    return path.read_text(encoding="utf-8")


def source_ctes(names: Sequence[str]) -> list[str]:
    """The CTEs `source_<name>` of the sources `names`, each written out once: a source
    another one includes (geography reads accounts' follower totals) is computed once and
    read by both, MATERIALIZED so that its rows are not recomputed per reader. Included
    sources come first."""
    shared = frozenset(n for n in names if any(n in _includes(other) for other in names))
    ordered = sorted(names, key=lambda n: n not in shared)  # stable: the others keep their order
    return [
        f"source_{n} AS {'MATERIALIZED ' if n in shared else ''}({source_sql(n, shared)})"
        for n in ordered
    ]


Window = tuple[date, date]


def run(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    sql: str,
    windows: Sequence[Window] = (),
    extra: dict[str, object] | None = None,
    wide: bool = False,
) -> pd.DataFrame:
    """Run `sql` behind the CTEs every source reads: `scope_accounts` (the scope's accounts)
    and `windows` (window_id, window_start, window_end: the scope's window, or `windows`, all of
    equal length). Parameters: $start and $end (the span of the windows), $days (their length),
    the scope's filters and `extra`; only those the SQL uses are passed, as DuckDB refuses extra
    ones.

    `wide`: a result of many columns (a comparison's: 50-150) is made a frame through Arrow,
    which took 39 against 47 ms for the Mission page's 87 columns (DuckDB's `df()` spends
    0.1 ms a column); its whole numbers with a NULL come as floats, not as Int64."""
    full, params = statement(scope, sql, windows, extra)
    result = con.execute(full, params)
    return result.to_arrow_table().to_pandas() if wide else result.df()


def statement(
    scope: Scope,
    sql: str,
    windows: Sequence[Window] = (),
    extra: dict[str, object] | None = None,
) -> tuple[str, dict[str, object]]:
    """`run`'s whole statement and its parameters (those it uses only)."""
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
        **(extra or {}),
        "start": min(start for start, _ in windows),
        "end": max(end for _, end in windows),
        "days": lengths.pop(),
    }
    for i, (start, end) in enumerate(windows):
        params[f"w{i}_start"], params[f"w{i}_end"] = start, end
    used = set(_PARAM.findall(full))
    return full, {k: v for k, v in params.items() if k in used}


def source_rows(con: duckdb.DuckDBPyConnection, scope: Scope, source: str) -> pd.DataFrame:
    """The rows of one source for a scope (for series, top posts and tests)."""
    return run(con, scope, f", source_rows AS ({source_sql(source)}) SELECT * FROM source_rows")


def _groups_sql(by: str, accounts: str = "scope_accounts") -> tuple[str, list[str], list[str]]:
    """SQL of the groups of the scope's `accounts` relation (one row each, with their
    attributes), the group columns and the attribute columns."""
    group = list(check_by(by))
    if not group:
        return "SELECT 1 AS network", [], []
    attributes = [a for a in ATTRIBUTES.get(by, ()) if a not in group]
    table = {"mission_id": "s", "platform": "s", "owner": "s", "handle": "a", "country": "m"}
    select = [f"s.{c}" for c in group] + [f"{table.get(a, 'm')}.{a}" for a in attributes]
    sql = (
        f"SELECT DISTINCT {', '.join(select)} FROM {accounts} s "
        "JOIN missions m ON m.mission_id = s.mission_id "
        "JOIN accounts a ON a.account_id = s.account_id"
    )
    return sql, group, attributes


def _by_source(every: dict[str, KPI]) -> dict[str, list[KPI]]:
    """The KPIs of each source, sources in the order their first KPI is registered (the `<n>`
    of a statement's `part<n>` and of its partial columns `p<n>_<i>`)."""
    by_source: dict[str, list[KPI]] = {}
    for kpi in every.values():
        by_source.setdefault(kpi.source, []).append(kpi)
    return by_source


@dataclass(frozen=True)
class _Source:
    """One source a statement reads: its number (`part<n>`, `p<n>_...`), name, the KPIs read
    from it and their partial aggregates."""

    n: int
    name: str
    kpis: list[KPI]
    partials: Partials

    @property
    def rows(self) -> str:
        """The partial column that is TRUE on the account's row when the source has one."""
        return f"p{self.n}_rows"

    def value(self, kpi: KPI, every: dict[str, KPI], where: str | None = None) -> str:
        """The KPI over the partial rows of `parts` in one aggregate (of the rows that meet
        `where` only, when given); unknown for a group without a row of the source, as when
        the source was aggregated alone (a source may have no row for an account: geography)."""
        combined = self.partials.combine(expand(kpi, every), where)
        return f"(CASE WHEN bool_or({self.rows}) THEN {combined} END)"

    def known(self, kpi: KPI, every: dict[str, KPI]) -> str:
        """Whether one account's KPI in one window is known, from its one row of `parts` (no
        aggregate: `Partials.row`): its value is, or its `known_if` holds (an account without a
        row of the source: not known)."""
        test = f"({self.rows} AND ({self.partials.row(expand(kpi, every))}) IS NOT NULL)"
        if kpi.known_if:
            condition = self.partials.row(expand(kpi, every, kpi.known_if))
            test = f"({test} OR ({self.rows} AND ({condition})))"
        return f"coalesce({test}, false)"


def _sources(every: dict[str, KPI], wanted: set[str] | None = None) -> list[_Source]:
    """The sources of the KPIs named in `wanted` (all when None), each with the partial
    aggregates (`metrics/partials.py`) every value and `known_if` condition of its KPIs use,
    named as those of all the source's KPIs are (`_all_partials`): the same partial has the
    same column whichever KPIs a statement reads, in `parts` and in `prepare_parts`'s table."""
    every_partials = _all_partials(every)
    sources = []
    for n, (name, kpis) in enumerate(_by_source(every).items()):
        kpis = [k for k in kpis if wanted is None or k.name in wanted]
        if kpis:
            partials = _partials(kpis, every, f"p{n}_", every_partials[name])
            sources.append(_Source(n, name, kpis, partials))
    return sources


def _partials(
    kpis: Sequence[KPI], every: dict[str, KPI], prefix: str, names: Partials | None = None
) -> Partials:
    """The partials every value and `known_if` condition of `kpis` use."""
    partials = Partials(prefix=prefix, names=names)
    for k in kpis:
        partials.combine(expand(k, every))
        if k.known_if:
            partials.combine(expand(k, every, k.known_if))
    return partials


_ALL_PARTIALS: dict[tuple, dict[str, Partials]] = {}


def _all_partials(every: dict[str, KPI]) -> dict[str, Partials]:
    """Per source, the partials of all its KPIs (once per registry state)."""
    key = _registry_key(every)
    if key not in _ALL_PARTIALS:
        _ALL_PARTIALS[key] = {
            name: _partials(kpis, every, f"p{n}_")
            for n, (name, kpis) in enumerate(_by_source(every).items())
        }
    return _ALL_PARTIALS[key]


def _parts_ctes(
    sources: Sequence[_Source],
    con: duckdb.DuckDBPyConnection | None = None,
    windows: Sequence[Window] = (),
) -> list[str]:
    """The CTEs `part<n>`, one row per window and account with the partial aggregates of
    source `n` over the account's rows (the only step that reads the sources' rows), and
    `parts`, materialized: one row per window and scope account with every source's partial
    columns side by side. Every grouping and the like-for-like values combine the rows of
    `parts` (a few per account), in one aggregate for all the sources.

    When every window of the statement (`windows`) is one whose rows `prepare_parts` built
    for the version `con` reads, `parts` is those rows of the scope's accounts instead: the
    same values (the same SQL made them), without reading a source."""
    table = _prepared_parts(con, windows)
    if table is not None:
        columns = ", ".join(f"d.{c}" for s in sources for c in (s.rows, *s.partials.columns))
        return [
            f"parts AS MATERIALIZED (SELECT w.window_id, d.account_id, {columns}\n"
            f"FROM windows w JOIN {table} d\n"
            f"ON d.window_start = w.window_start AND d.window_end = w.window_end\n"
            f"SEMI JOIN scope_accounts s ON s.account_id = d.account_id)"
        ]
    ctes = source_ctes([s.name for s in sources])
    ctes += [
        f"part{s.n} AS (SELECT window_id, account_id, TRUE AS {s.rows}, {s.partials.select()}\n"
        f"FROM source_{s.name} GROUP BY window_id, account_id)"
        for s in sources
    ]
    columns = ", ".join(f"part{s.n}.* EXCLUDE (window_id, account_id)" for s in sources)
    joins = "\n".join(
        f"LEFT JOIN part{s.n} ON part{s.n}.window_id = w.window_id "
        f"AND part{s.n}.account_id = s.account_id"
        for s in sources
    )
    ctes.append(
        f"parts AS MATERIALIZED (SELECT w.window_id, s.account_id, {columns}\n"
        f"FROM scope_accounts s CROSS JOIN windows w\n{joins})"
    )
    return ctes


# The fact `prepare_parts` gives the store: (table, the windows it holds, the registry's
# key), read by `_parts_ctes` through the cursor's `prepared`.
PARTS_FACT = "metrics.window_parts"


def _prepared_parts(con: duckdb.DuckDBPyConnection | None, windows: Sequence[Window]) -> str | None:
    """The table of `prepare_parts` when it holds every window of `windows` for the KPIs
    registered now, else None (a cursor of no store, or of a version not prepared yet)."""
    fact = prepared_fact(con, PARTS_FACT)
    if not windows or fact is None:
        return None
    table, held, key = fact
    if key != _registry_key(registry()) or not set(windows) <= held:
        return None
    return table


def _registry_key(every: dict[str, KPI]) -> tuple:
    return tuple((k.name, k.source, k.sql, k.known_if) for k in every.values())


def preset_windows(latest: date) -> list[list[Window]]:
    """The windows of the fixed period presets ending on `latest`, each with the windows it is
    compared with (previous, a year earlier): one list per preset, its windows of one length."""
    groups = []
    for preset in FIXED_PRESETS:
        current = period_window(preset, latest)
        found = [current, *(comparison_window(*current, against) for against in COMPARISONS)]
        groups.append(list(dict.fromkeys(found)))
    return groups


def prepare_parts(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, object]:
    """Build, in `database` (one a reading process attaches to a version for itself:
    `data.store.Store.prepare_versions`), every account's partial aggregates of every source
    (`parts`, all KPIs) in the windows of the period presets ending on the version's latest
    day and in the windows they are compared with (`preset_windows`): what every page's
    statements read first, for whichever missions, platforms and owners. A statement over
    those windows then reads these rows (`_parts_ctes`): the Overview's cold reads took
    117 -> 81 ms at ministry scale and 283 -> 217 at 10x, the Mission page's 154 -> 115 and
    186 -> 138, for 0.15 s (0.7 s at 10x) of building per version. Returns the fact the
    cursors of the version carry."""
    latest = latest_data_date(con)
    if latest is None:
        return {}
    every = registry()
    sources = _sources(every)
    table = f"{database}.window_parts"
    everyone = Scope(latest, latest)
    held: list[Window] = []
    for n, windows in enumerate(preset_windows(latest)):
        sql = (
            ", "
            + ",\n".join(_parts_ctes(sources))
            + "\nSELECT w.window_start, w.window_end, parts.* EXCLUDE (window_id)\n"
            "FROM parts JOIN windows w USING (window_id)"
        )
        full, params = statement(everyone, sql, windows)
        into = f"CREATE OR REPLACE TABLE {table} AS" if n == 0 else f"INSERT INTO {table}"
        con.execute(f"{into} SELECT * FROM ({full}) ORDER BY window_start, account_id", params)
        held += windows
    return {PARTS_FACT: (table, frozenset(held), _registry_key(every))}


def _group_keys(group: Sequence[str]) -> str:
    """`r.window_id, s.<group column>, ...`: a partial row's window and its account's group."""
    return ", ".join(["r.window_id", *(f"s.{c}" for c in group)])


def compute_windows(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: str,
    windows: Sequence[Window],
    only: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every KPI (or the KPIs named in `only`, and only their sources are read) for every
    group of the scope and every window, in one SQL statement: one aggregate over the
    sources' partial rows (all KPIs, all groups, all windows at once), joined to the groups. Columns: the
    group column(s), their attributes, window_id, the KPIs."""
    every = registry()
    groups_sql, group, attributes = _groups_sql(by)
    names = _known_names(every, only)
    sources = _sources(every, set(names))
    values = {
        k.name: f"{source.value(k, every)} AS {k.name}" for source in sources for k in source.kpis
    }
    on = " AND ".join(["agg.window_id = w.window_id"] + [f"agg.{c} = g.{c}" for c in group])
    ctes = [
        f"groups AS ({groups_sql})",
        *_parts_ctes(sources, con, windows),
        f"agg AS (SELECT {_group_keys(group)}, {', '.join(values[name] for name in names)}\n"
        f"FROM parts r JOIN scope_accounts s ON s.account_id = r.account_id "
        f"GROUP BY {_group_keys(group)})",
    ]
    select = [f"g.{c}" for c in group + attributes] + ["w.window_id"]
    select += [f"agg.{name}" for name in names]
    order = ", ".join(["w.window_id"] + [f"g.{c}" for c in group])
    sql = (
        ", " + ",\n".join(ctes) + f"\nSELECT {', '.join(select)}\n"
        f"FROM groups g CROSS JOIN windows w\nLEFT JOIN agg ON {on}\nORDER BY {order}"
    )
    frame = run(con, scope, sql, windows)
    for name in names:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return frame


def compute(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: str = "network",
    only: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every KPI (or those of `only`) for every group of the scope: the group column(s), the
    group's attributes, then one float column per KPI in KPI_NAMES order (NaN = unknown).
    Groups are those with accounts in the scope; "network" is one row (all KPIs unknown when the
    scope has no account)."""
    frame = compute_windows(con, scope, by, [(scope.start, scope.end)], only)
    return _one_window(frame, 0)


def _one_window(frame: pd.DataFrame, window_id: int) -> pd.DataFrame:
    # "network" always has its row: the groups CTE is one constant row, crossed with windows
    return frame[frame["window_id"] == window_id].drop(columns="window_id").reset_index(drop=True)


def plain_number(value: object) -> float | None:
    """A value as JSON gives it: None for unknown (None, NaN, pandas NA), else a float."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def _plain(kpi: KPI, value: object) -> float | int | None:
    """A KPI value as the CLI's JSON gives it: None for unknown, an int for counts."""
    number = plain_number(value)
    if number is None or math.isinf(number):
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


# What a period is compared with: the window just before, or the same period a year earlier.
COMPARISONS = ("previous", "year")


def year_earlier_window(start: date, end: date) -> tuple[date, date]:
    """The window of equal length that starts on the same date a year earlier (28 February for
    29 February): 1–31 March 2026 → 1–31 March 2025."""
    try:
        first = start.replace(year=start.year - 1)
    except ValueError:  # 29 February
        first = start.replace(year=start.year - 1, day=28)
    return first, first + (end - start)


def comparison_window(start: date, end: date, against: str = "previous") -> tuple[date, date]:
    """The window a period is compared with: `previous` (`previous_window`) or `year`
    (`year_earlier_window`). Both have the period's length, so rates per day compare."""
    if against == "previous":
        return previous_window(start, end)
    if against == "year":
        return year_earlier_window(start, end)
    raise ValueError(f"against must be one of {', '.join(COMPARISONS)}, not {against!r}")


# Why a like-for-like change is unknown (the `{kpi}_reason` column of `compare`).
REASONS = ("no_data", "no_current", "no_previous", "no_overlap", "previous_zero")


def _compare_sql(
    con: duckdb.DuckDBPyConnection, scope: Scope, by: str, windows: Sequence[Window] = ()
) -> str:
    """The one statement of `compare` over the windows 0 (current) and 1 (compared with)."""
    ctes, select = _compare_parts(con, scope, by, windows=windows)
    return ", " + ",\n".join(ctes) + "\n" + select


def _compare_parts(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: str,
    where: str | None = None,
    kpis: Sequence[str] | None = None,
    sources: Sequence[_Source] | None = None,
    windows: Sequence[Window] = (),
) -> tuple[list[str], str]:
    """The CTEs and the SELECT of `compare`'s statement over the windows 0 (current) and 1
    (compared with); with `where` (a condition over the columns of `scope_accounts`), over the
    scope's accounts that meet it only (the others' rows are left to other groupings of the
    same statement, `_sets_parts`); with `kpis`, for those KPIs only (the statement's time
    grows with the KPIs compared: the Overview's cards show 6 of them); `sources`: those the
    statement's `parts` holds (`_sources`, with at least the KPIs compared; all by default);
    `windows`: the statement's two windows (`_parts_ctes`).

    `parts` (`_parts_ctes`): every source's partial aggregates per window and account, read
    by three steps and by `_sets_parts`; each account's KPIs per window, as known / not known
    (`acct`); per account, whether each KPI is known in each window (`ok`); per group and
    window, each KPI over all accounts (`k`) and over the accounts known in both windows
    (`k__lfl`: the same combination of the partial rows of those accounts only); per group, the
    accounts unknown now (`k__missing`) and those known now but not before
    (`k__missing_before`). Each step is one aggregate for all the sources."""
    every = registry()
    accounts = "scope_accounts" if where is None else "compared_accounts"
    groups_sql, group, attributes = _groups_sql(by, accounts)
    sources = _sources(every) if sources is None else sources
    compared = _known_names(every, kpis)
    kpis = [(source, k) for source in sources for k in source.kpis if k.name in compared]
    group_by = f"GROUP BY {', '.join('s.' + c for c in group)}" if group else ""
    ctes = (
        []
        if where is None
        else [f"compared_accounts AS (SELECT * FROM scope_accounts WHERE {where})"]
    )
    ctes += [
        f"groups AS ({groups_sql})",
        f"members AS (SELECT {''.join('s.' + c + ', ' for c in group)}"
        f"list(s.account_id ORDER BY s.account_id) AS accounts FROM {accounts} s {group_by})",
        *_parts_ctes(sources, con, windows),
    ]
    known = ", ".join(f"{source.known(k, every)} AS {k.name}" for source, k in kpis)
    ok = ", ".join(
        f"{filtered('bool_or', k.name, 'window_id = 0')} AS {k.name}__now, "
        f"{filtered('bool_or', k.name, 'window_id = 1')} AS {k.name}__before, "
        f"coalesce(bool_and({k.name}), false) AS {k.name}__both"
        for _, k in kpis
    )
    # Like for like: the same combination over the accounts known in both windows only.
    values = ", ".join(
        f"{source.value(k, every)} AS {k.name}, "
        f"{source.value(k, every, f'o.{k.name}__both')} AS {k.name}__lfl"
        for source, k in kpis
    )
    missing = ", ".join(
        f"list(s.account_id ORDER BY s.account_id) FILTER (WHERE NOT o.{k.name}__now) "
        f"AS {k.name}__missing, "
        f"list(s.account_id ORDER BY s.account_id) "
        f"FILTER (WHERE o.{k.name}__now AND NOT o.{k.name}__before) "
        f"AS {k.name}__missing_before"
        for _, k in kpis
    )
    # The compared accounts' rows only (`parts` has those of every scope account).
    rows = (
        "parts"
        if where is None
        else f"(SELECT * FROM parts WHERE account_id IN (SELECT account_id FROM {accounts}))"
    )
    ctes += [
        f"acct AS (SELECT window_id, account_id, {known} FROM {rows} AS src)",
        f"ok AS (SELECT account_id, {ok} FROM acct GROUP BY account_id)",
        f"agg AS (SELECT {_group_keys(group)}, {values}\n"
        f"FROM {rows} r JOIN {accounts} s ON s.account_id = r.account_id "
        f"JOIN ok o ON o.account_id = r.account_id GROUP BY {_group_keys(group)})",
        f"missing AS (SELECT {''.join('s.' + c + ', ' for c in group)}{missing} "
        f"FROM {accounts} s JOIN ok o ON o.account_id = s.account_id {group_by})",
    ]
    on_group = " AND ".join(f"{{t}}.{c} = g.{c}" for c in group) or "TRUE"
    joins = [f"LEFT JOIN members ON {on_group.format(t='members')}"]
    for alias, window in (("a", 0), ("p", 1)):
        on = " AND ".join(
            [f"{alias}.window_id = {window}"] + [f"{alias}.{c} = g.{c}" for c in group]
        )
        joins.append(f"LEFT JOIN agg {alias} ON {on}")
    joins.append(f"LEFT JOIN missing ON {on_group.format(t='missing')}")
    columns = {}
    for _, k in kpis:
        columns[k.name] = f"a.{k.name}"
        columns[f"{k.name}__prev"] = f"p.{k.name}"
        columns[f"{k.name}__lfl"] = f"a.{k.name}__lfl"
        columns[f"{k.name}__lfl_prev"] = f"p.{k.name}__lfl"
        columns[f"{k.name}__missing"] = f"missing.{k.name}__missing"
        columns[f"{k.name}__missing_before"] = f"missing.{k.name}__missing_before"
    select = [f"g.{c}" for c in group + attributes] + ["members.accounts"]
    select += [f"{expr} AS {name}" for name, expr in columns.items()]
    order = f"\nORDER BY {', '.join('g.' + c for c in group)}" if group else ""
    return ctes, f"SELECT {', '.join(select)}\nFROM groups g\n" + "\n".join(joins) + order


def _ids(value: object) -> list[str]:
    """A list column's value as a list (NULL when the group has no account: empty)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    return [str(v) for v in value]


def _change(kpi: KPI, current: float, previous: float) -> float:
    if pd.isna(current) or pd.isna(previous):
        return math.nan
    if kpi.change == "points":
        return current - previous
    if previous == 0:
        return math.nan
    return (current - previous) / abs(previous)


def _reason(
    kpi: KPI, current: float, previous: float, compared: int, lfl_prev: float
) -> str | None:
    if compared > 0 and kpi.change == "relative" and lfl_prev == 0:
        return "previous_zero"
    if pd.isna(current) and pd.isna(previous):
        return "no_data"
    if pd.isna(current):
        return "no_current"
    if pd.isna(previous):
        return "no_previous"
    return "no_overlap"


def compare(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: str = "network",
    against: str = "previous",
) -> pd.DataFrame:
    """`compute` for the scope and for the window it is compared with (`comparison_window`:
    the previous one, or the same period a year earlier), side by side, with each KPI's
    like-for-like change. One SQL statement.

    Columns: the group column(s) and attributes, `accounts` (the group's account ids), then
    for each KPI `k`: k and k_prev (over all the accounts, as `compute` gives them); k_change,
    the change over the accounts whose `k` is known in both windows: (now − before) / |before|
    for counts and rates, now − before for ratios (percentage points); NaN when no account is
    comparable or, for a relative change, its previous value is 0; k_lfl and k_lfl_prev, the
    values it compares; k_left_out, the accounts left out (sorted ids); k_missing, those of
    them unknown in the current window (the others are unknown in the earlier one); k_reason,
    why k_change is unknown (one of REASONS), None when it is known."""
    windows = [(scope.start, scope.end), comparison_window(scope.start, scope.end, against)]
    sql = _compare_sql(con, scope, by, windows)
    return _with_changes(run(con, scope, sql, windows, wide=True), list(registry()))


def _known_names(every: dict[str, KPI], kpis: Sequence[str] | None) -> list[str]:
    """The KPI names of `kpis` in registry order (all when None); ValueError for an unknown
    one."""
    if kpis is None:
        return list(every)
    unknown = sorted(set(kpis) - set(every))
    if unknown:
        raise ValueError(f"unknown KPIs {unknown}; known: {', '.join(every)}")
    return [name for name in every if name in kpis]


def _with_changes(joined: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """`compare`'s frame from the rows of its statement (`_compare_parts`), for the KPIs
    `names` it compared."""
    every = registry()
    accounts = [_ids(v) for v in joined["accounts"]]
    frame = joined[[c for c in joined.columns if c not in every and "__" not in c]].copy()
    frame["accounts"] = accounts
    columns: dict[str, object] = {}

    def numbers(column: str) -> np.ndarray:
        return pd.to_numeric(joined[column], errors="coerce").to_numpy(dtype="float64")

    for name in names:
        kpi = every[name]
        now, before = numbers(name), numbers(f"{name}__prev")
        lfl, lfl_prev = numbers(f"{name}__lfl"), numbers(f"{name}__lfl_prev")
        missing = [_ids(v) for v in joined[f"{name}__missing"]]
        left_out = [
            sorted(m + _ids(b))
            for m, b in zip(missing, joined[f"{name}__missing_before"], strict=True)
        ]
        compared = np.array([len(a) - len(o) for a, o in zip(accounts, left_out, strict=True)])
        if kpi.change == "relative":
            # Comparable accounts that all published nothing add up to 0, not to unknown.
            lfl = np.where(np.isnan(lfl) & (compared > 0), 0.0, lfl)
            lfl_prev = np.where(np.isnan(lfl_prev) & (compared > 0), 0.0, lfl_prev)
        changes = np.array(
            [_change(kpi, c, p) for c, p in zip(lfl, lfl_prev, strict=True)], dtype="float64"
        )
        columns[name] = now
        columns[f"{name}_prev"] = before
        columns[f"{name}_change"] = changes
        columns[f"{name}_lfl"] = lfl
        columns[f"{name}_lfl_prev"] = lfl_prev
        columns[f"{name}_left_out"] = left_out
        columns[f"{name}_missing"] = missing
        columns[f"{name}_reason"] = [
            None if not math.isnan(change) else _reason(kpi, c, p, int(n), lp)
            for change, c, p, n, lp in zip(changes, now, before, compared, lfl_prev, strict=True)
        ]
    return pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)


# The groupings a statement can add to `compare`'s (`_sets_parts`), as the columns of
# `scope_accounts` (joined to the missions) they group by. `host_country` is the country of the
# missions a map of host countries shows: not those to an international organisation
# (`data.domain.MULTILATERAL_KINDS`), whose country is only their seat (the Permanent Mission
# to the UN in New York is no reach in the United States); `scope_accounts` has the rule
# (`metrics.scope.scope_accounts_sql`), which host_audience_share reads too.
# `mission_platform` groups by two columns: its key is both, as a JSON array (unambiguous
# whatever the ids hold), split again into mission_id and platform in the frame.
SET_KEYS: dict[str, str] = {
    "mission": "mission_id",
    "platform": "platform",
    "owner": "owner",
    "region": "region",
    "country": "country",
    "host_country": "host_country",
    "mission_platform": "to_json([mission_id, platform])",
}

# The column a set's groups are named by in its frame (as compute's `by` names it).
SET_KEYS_COLUMN = {"mission": "mission_id", "host_country": "country"}
# The sets whose groups are missions (or within one): their frames carry the mission's
# attributes, as compute's do.
_MISSION_SETS = {"mission": "g.set_key", "mission_platform": "json_extract_string(g.set_key, 0)"}


def _quoted(values: Sequence[str]) -> str:
    """SQL string literals (for the few fixed values a statement's text names)."""
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _sets_parts(
    sets: Sequence[tuple[str, str | None]],
    sources: Sequence[_Source],
    names: Sequence[str],
) -> tuple[list[str], str]:
    """CTEs and a SELECT that add, to `compare`'s statement (`_compare_parts`, whose
    per-account partial rows `parts` they read again), `compute` in the current window (0) for
    each of `sets`: (grouping of SET_KEYS, condition over the columns of `scope_accounts` and
    the mission's `kind` selecting its accounts, or None for all), for the KPIs `names`, from
    the partial columns of `sources` (those `parts` was built with: a partial's column name
    depends on the KPIs its `Partials` was given). Rows: set_id (the set's position), set_key
    (its group), mission attributes (`attr_<name>`) when a set is by mission, and the KPIs.

    `set_members` has one row per set and account (its group's key): one plain aggregate over
    it gives every group of every set for all the sources, as fast as GROUPING SETS did and
    without one key column per set to tell apart. Every member has its row of `parts` (one per
    scope account and window), so every group with an account has its row."""
    every = registry()
    members = []
    for i, (by, condition) in enumerate(sets):
        key = SET_KEYS[by]
        # An account a set's condition (or host_country) rejects is in no group of it; a NULL
        # the data holds (a mission without a country) stays a group, as in compute.
        where = [condition] if condition is not None else []
        if by == "host_country":
            where.append(f"{key} IS NOT NULL")
        members.append(
            f"SELECT {i} AS set_id, CAST({key} AS VARCHAR) AS set_key, account_id AS set_account "
            "FROM (SELECT s.*, m.kind FROM scope_accounts s JOIN missions m USING (mission_id))"
            + (f" WHERE {' AND '.join(where)}" if where else "")
        )
    ctes = [f"set_members AS ({' UNION ALL '.join(members)})"]
    joins, select = [], ["g.set_id", "g.set_key"]
    by_mission = {i: _MISSION_SETS[by] for i, (by, _) in enumerate(sets) if by in _MISSION_SETS}
    if by_mission:
        mission_of = " ".join(f"WHEN {i} THEN {key}" for i, key in by_mission.items())
        joins.append(
            f"LEFT JOIN missions mm ON g.set_id IN ({', '.join(map(str, by_mission))}) "
            f"AND mm.mission_id = CASE g.set_id {mission_of} END"
        )
        select += [f"mm.{a} AS attr_{a}" for a in ATTRIBUTES["mission"]]
    values = {k.name: source.value(k, every) for source in sources for k in source.kpis}
    exprs = ", ".join(f"{values[name]} AS {name}" for name in names)
    ctes.append(
        f"sets AS (SELECT k.set_id, k.set_key, {exprs}\n"
        f"FROM parts JOIN set_members k ON k.set_account = parts.account_id "
        f"WHERE parts.window_id = 0 GROUP BY k.set_id, k.set_key)"
    )
    select += [f"g.{name} AS {name}" for name in names]
    sql = f"SELECT {', '.join(select)}\nFROM sets g\n" + "\n".join(joins)
    return ctes, sql


def compare_with_sets(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    sets: Sequence[tuple[str, str | None]],
    against: str = "previous",
    where: str | None = None,
    kpis: Sequence[str] | None = None,
    set_kpis: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """`compare(by="network")` over the scope's accounts that meet `where` (all when None),
    for the KPIs `kpis` (all when None), and `compute` of the current window for each of
    `sets` (see `_sets_parts`) for the KPIs `set_kpis` (all when None), in one SQL statement:
    every source is read once for all of them. The frames are those `compare` and `compute`
    give (a set's column is named as its grouping's, `country` for host_country), with the
    columns of `kpis` and of `set_kpis` only. The sources and partial aggregates the statement
    reads are those of these KPIs alone."""
    every = registry()
    names = _known_names(every, kpis)
    set_names = _known_names(every, set_kpis)
    sources = _sources(every, set(names) | set(set_names))
    windows = [(scope.start, scope.end), comparison_window(scope.start, scope.end, against)]
    ctes, compared = _compare_parts(con, scope, "network", where, kpis, sources, windows)
    set_ctes, grouped = _sets_parts(sets, sources, set_names)
    sql = (
        ", "
        + ",\n".join(ctes + set_ctes)
        # compare's row is told from the sets' rows by its set_id, -1.
        + f"\n({compared.replace('SELECT ', 'SELECT -1 AS set_id, ', 1)})"
        + f"\nUNION ALL BY NAME\n({grouped})"
    )
    rows = run(con, scope, sql, windows, wide=True)
    own = [c for c in rows.columns if c not in ("set_id", "set_key") and not c.startswith("attr_")]
    network = _with_changes(rows.loc[rows["set_id"] == -1, own].reset_index(drop=True), names)
    return network, _set_frames(rows, [by for by, _ in sets], set_names)


def _kpi_matrix(frame: pd.DataFrame, names: Sequence[str]) -> np.ndarray:
    """The KPI columns `names` of `frame` as one float matrix, a row per row (unknown: NaN)."""
    matrix = np.empty((len(frame), len(names)))
    for i, name in enumerate(names):
        matrix[:, i] = pd.to_numeric(frame[name], errors="coerce").to_numpy("float64")
    return matrix


def _set_frames(
    rows: pd.DataFrame, sets: Sequence[str], names: Sequence[str]
) -> list[pd.DataFrame]:
    """The frames `compute` gives for each grouping of `sets`, from `_sets_parts`'s rows of the
    KPIs `names` (those columns only)."""
    names = list(names)
    # Every KPI column made a number once for all the sets (a set's frame takes its rows).
    numbers = _kpi_matrix(rows, names)
    set_ids, set_keys = rows["set_id"].to_numpy(), rows["set_key"].to_numpy(object)
    frames = []
    for i, by in enumerate(sets):
        where = np.flatnonzero(set_ids == i)
        keys = set_keys[where]
        if by == "mission_platform":
            pairs = [tuple(json.loads(key)) for key in keys]
            order = np.array(sorted(range(len(pairs)), key=pairs.__getitem__), dtype="int64")
            frame = pd.DataFrame(
                {
                    "mission_id": np.array([pairs[o][0] for o in order], dtype=object),
                    "platform": np.array([pairs[o][1] for o in order], dtype=object),
                }
            )
        else:
            order = pd.Series(keys).sort_values(kind="stable").index.to_numpy()
            frame = pd.DataFrame({SET_KEYS_COLUMN.get(by, by): keys[order]})
        if by in _MISSION_SETS:
            for a in ATTRIBUTES[by]:
                frame[a] = rows[f"attr_{a}"].to_numpy(dtype=object)[where][order]
        kpis = pd.DataFrame(numbers[where][order], columns=names, index=frame.index)
        frames.append(pd.concat([frame, kpis], axis=1))
    return frames


def _sets_statement(
    con: duckdb.DuckDBPyConnection, scope: Scope, sets: Sequence[str]
) -> list[pd.DataFrame]:
    """`compute_sets`'s one statement over exactly the scope's accounts."""
    every = registry()
    sources = _sources(every)
    ctes = _parts_ctes(sources, con, [(scope.start, scope.end)])
    set_ctes, grouped = _sets_parts([(by, None) for by in sets], sources, list(every))
    sql = ", " + ",\n".join(ctes + set_ctes) + f"\n{grouped}"
    return _set_frames(run(con, scope, sql, wide=True), sets, list(every))


# Cached per store version: the whole network's frames serve every choice of missions.
_cached_sets_statement = cached_per_version(_sets_statement)

# The groupings whose every group is one mission, or part of one: a group's values do not
# depend on which other missions the scope holds.
WITHIN_MISSION = frozenset({"mission", "mission_platform"})


def compute_sets(
    con: duckdb.DuckDBPyConnection, scope: Scope, sets: Sequence[str]
) -> list[pd.DataFrame]:
    """`compute(scope, by)` for each grouping `by` of `sets` (of SET_KEYS), in one SQL
    statement: every source is read once for all of them (a page that shows the missions and
    the missions' platforms, and the index that needs both, compute them together).

    When the scope picks missions or regions and every set groups within a mission
    (`WITHIN_MISSION`), the frames are the picked missions' rows of the whole network's (same
    window, platforms and owners), cached per store version: the Compare page of a region and
    the index among all missions beside it share one statement."""
    sets = tuple(sets)
    picks = scope.missions is not None or scope.regions is not None
    if not picks or not set(sets) <= WITHIN_MISSION:
        return _cached_sets_statement(con, scope, sets)
    network = Scope(scope.start, scope.end, None, scope.platforms, scope.owners, None)
    frames = _cached_sets_statement(con, network, sets)
    kept = []
    for frame in frames:
        keep = np.ones(len(frame), dtype=bool)
        if scope.missions is not None:
            keep &= frame["mission_id"].isin(scope.missions).to_numpy()
        if scope.regions is not None:
            keep &= frame["region"].isin(scope.regions).to_numpy()
        kept.append(frame[keep].reset_index(drop=True))
    return kept


# The KPIs whose like-for-like changes the Overview shows (its cards): `overview` compares
# these only. Comparing all 19 took a quarter more time at ministry scale (96-106 against
# 131-171 ms for the statement), for changes no one sees.
OVERVIEW_KPIS = ("followers_end", "net_follows", "posts", "interactions", "reach", "er_reach")


@dataclass(frozen=True)
class OverviewNumbers:
    """What the Overview shows, from one statement (`overview`)."""

    network: pd.DataFrame  # compare(scope, by="network", against), OVERVIEW_KPIS only
    missions: pd.DataFrame  # compute(scope, by="mission"): the league table (`rank` it)
    countries: pd.DataFrame  # compute(by="country") over the missions to a host country
    # compute(scope, by="mission_platform"): with `missions`, the index's inputs
    mission_platforms: pd.DataFrame


def overview(
    con: duckdb.DuckDBPyConnection, scope: Scope, against: str = "previous"
) -> OverviewNumbers:
    """The Overview's numbers in one statement: the network's KPIs with their like-for-like
    changes (OVERVIEW_KPIS), every mission's KPIs and every host country's (its missions'
    accounts together, those of missions to international organisations left out: the map's
    countries), and every mission's per platform (the Digital Diplomacy Index's platform
    breadth). Each is exactly what `compare`, `compute(by="mission")`, `compute(by="country")`
    over the missions to a host country and `compute(by="mission_platform")` give, but every
    source is read once for all."""
    network, (missions, countries, mission_platforms) = compare_with_sets(
        con,
        scope,
        [("mission", None), ("host_country", None), ("mission_platform", None)],
        against,
        kpis=OVERVIEW_KPIS,
    )
    return OverviewNumbers(network, missions, countries, mission_platforms)


@dataclass(frozen=True)
class MissionNumbers:
    """What the Mission page shows of one scope, from one statement (`mission_numbers`)."""

    totals: pd.DataFrame  # compare(scope, by="network", against) of `kpis`: the cards
    # compute(scope, by="platform") of the KPIs `breakdown`: the platform mix
    platforms: pd.DataFrame
    # compute(scope with both owners, by="owner") of `breakdown`: the owner split
    owners: pd.DataFrame


def mission_numbers(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    against: str = "previous",
    kpis: Sequence[str] | None = None,
    breakdown: Sequence[str] | None = None,
) -> MissionNumbers:
    """The cards' KPIs (`kpis`, all when None) with their like-for-like changes, and the KPIs
    `breakdown` (all when None) per platform (over the scope's owners) and per owner (over
    both owners, whatever the scope's), in one statement. The Mission page's platform mix and
    owner split show four KPIs: with those alone, the statement reads 14 of the 19 KPIs'
    partial aggregates, and the call took 38-42 ms instead of 44-47 (ministry scale)."""
    both = Scope(scope.start, scope.end, scope.missions, scope.platforms, None, scope.regions)
    where = None if scope.owners is None else f"owner IN ({_quoted(scope.owners)})"
    totals, (platforms, owners) = compare_with_sets(
        con, both, [("platform", where), ("owner", None)], against, where, kpis, breakdown
    )
    return MissionNumbers(totals, platforms, owners)


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


def kpi_changes(
    con: duckdb.DuckDBPyConnection,
    mission_id: str,
    start: date,
    end: date,
    platform: str | None = None,
    against: str = "previous",
) -> dict[str, dict[str, object]]:
    """One mission's `compare` row as plain values (the CLI's `compare --json`): `current` and
    `previous` (as `kpis` gives them, over all accounts), `change` (like for like: a fraction
    for counts and rates, a difference for ratios; None when nothing is comparable),
    `left_out` (sorted account ids per KPI) and `reason` (why a change is None, else None),
    each keyed exactly by KPI_NAMES. Raises `UnknownMission`."""
    if not mission_exists(con, mission_id):
        raise UnknownMission(mission_id)
    scope = Scope(start, end, missions=(mission_id,), platforms=(platform,) if platform else None)
    row = compare(con, scope, by="network", against=against).iloc[0]
    every = registry()
    change = {}
    for name in every:
        value = row[f"{name}_change"]
        change[name] = None if pd.isna(value) or math.isinf(value) else float(value)
    return {
        "current": {name: _plain(kpi, row[name]) for name, kpi in every.items()},
        "previous": {name: _plain(kpi, row[f"{name}_prev"]) for name, kpi in every.items()},
        "change": change,
        "left_out": {name: list(row[f"{name}_left_out"]) for name in every},
        "reason": {name: row[f"{name}_reason"] for name in every},
    }


STANDING_COLUMNS = (
    "value",
    "rank",
    "ranked",
    "region",
    "region_rank",
    "region_ranked",
    "median",
    "region_median",
)


def standing(by_mission: pd.DataFrame, mission_id: str) -> pd.DataFrame:
    """Where one mission stands among the missions of a `compute(by="mission")` frame, KPI by
    KPI, with `rank`'s rule (best first, ties share the better rank, unknown unranked).

    One row per KPI (index: KPI_NAMES); columns: value (the mission's), rank (Int64, NA when its
    value is unknown) among `ranked` missions with a known value, region (the mission's),
    region_rank among region_ranked, median and region_median (of the known values of all the
    missions, and of the region's; NaN when none). A mission absent from the frame (no account
    in the scope) has every value unknown."""
    every = registry()
    names = [name for name in every if name in by_mission.columns]  # `mission_standing(kpis=)`
    values = _kpi_matrix(by_mission, names)
    at = np.flatnonzero(by_mission["mission_id"].to_numpy(object) == mission_id)
    region = by_mission["region"].iloc[at[0]] if len(at) else None
    in_region = (by_mission["region"] == region).to_numpy(bool)
    mine = values[at[0]] if len(at) else np.full(len(names), np.nan)
    # `rank`'s rule (best first, ties share the better rank) for all the KPIs at once, each
    # way in one call (a pandas rank per KPI and per region took 9 ms for the 12 cards).
    lower = np.array([not every[n].higher_is_better for n in names], dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a KPI no mission knows: NaN medians
        median = np.nanmedian(values, axis=0) if len(values) else np.full(len(names), np.nan)
        inside = values[in_region]
        region_median = np.nanmedian(inside, axis=0) if len(inside) else median * np.nan

    def ranks(rows: np.ndarray, position: int | None) -> pd.arrays.IntegerArray:
        """The rank of the mission (row `position` of `rows`) per KPI; NA when it has none."""
        ranked = np.full(len(names), np.nan)
        table = pd.DataFrame(rows)
        for ascending in (True, False):
            columns = np.flatnonzero(lower == ascending)
            if len(columns) and position is not None:
                by_kpi = table.iloc[:, columns].rank(method="min", ascending=ascending)
                ranked[columns] = by_kpi.to_numpy("float64")[position]
        return pd.array([None if np.isnan(r) else int(r) for r in ranked], dtype="Int64")

    found = int(at[0]) if len(at) else None
    frame = pd.DataFrame(
        {
            "value": mine,
            "rank": ranks(values, found),
            "ranked": (~np.isnan(values)).sum(axis=0).astype("int64"),
            "region": [region] * len(names),
            # the mission's row among its region's rows
            "region_rank": ranks(inside, None if found is None else int(in_region[:found].sum())),
            "region_ranked": (~np.isnan(inside)).sum(axis=0).astype("int64"),
            "median": median,
            "region_median": region_median,
        },
        index=pd.Index(names, name="kpi"),
    )
    return frame[list(STANDING_COLUMNS)]


def mission_standing(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    mission_id: str,
    kpis: Sequence[str] | None = None,
) -> pd.DataFrame:
    """`standing` of a mission among every mission of the scope (its platforms, owners and
    window; its mission and region filters are ignored, the comparison is with all missions):
    one grouped statement, `compute(by="mission")`, of the `kpis` a page shows (all when None;
    the sources no card needs are not read)."""
    everyone = Scope(scope.start, scope.end, None, scope.platforms, scope.owners, None)
    only = tuple(kpis) if kpis is not None else None
    return standing(compute(con, everyone, by="mission", only=only), mission_id)
