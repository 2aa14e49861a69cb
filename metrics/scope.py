"""Which accounts and which days a question is about, and how the answer is grouped.

A `Scope` selects registry accounts (by mission, platform, owner, region) and a window of local
dates. Every query of the package starts from the same relation, `scope_accounts`, built here,
so that a mission, a ranking and the network total all count the same accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

# The columns of `scope_accounts` that a result can be grouped by, per `by`.
GROUPINGS: dict[str, tuple[str, ...]] = {
    "network": (),
    "mission": ("mission_id",),
    "account": ("account_id",),
    "platform": ("platform",),
    "region": ("region",),
    "country": ("country",),  # several missions can share one (an embassy and consulates)
    "owner": ("owner",),
    "mission_platform": ("mission_id", "platform"),
}

# Descriptive columns added to the groups of some groupings (they do not split groups).
MISSION_ATTRIBUTES = ("name_en", "name_vi", "region", "country", "kind")
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "mission": MISSION_ATTRIBUTES,
    "mission_platform": MISSION_ATTRIBUTES,
    "account": ("mission_id", "platform", "owner", "handle", "name_en", "name_vi"),
}


# The periods the sidebar offers, each ending on the latest date with data (`period_window`).
PRESETS = ("30d", "90d", "ytd", "custom")
DEFAULT_PRESET = "90d"
# The presets that are a fixed window once the latest date is known (not `custom`).
FIXED_PRESETS = ("30d", "90d", "ytd")


def period_window(
    preset: str, latest: date, custom: tuple[date, date] | None = None
) -> tuple[date, date]:
    """The (start, end) of a period preset, ending on `latest` (the latest date with data).

    `30d` and `90d` are the last 30 / 90 days including `latest`; `ytd` runs from 1 January of
    `latest`'s year; `custom` is the given range (in either order), or the 90 days without one.
    """
    if preset == "30d":
        return latest - timedelta(days=29), latest
    if preset == "ytd":
        return date(latest.year, 1, 1), latest
    if preset == "custom" and custom:
        first, last = sorted(custom)
        return first, last
    return latest - timedelta(days=89), latest


@dataclass(frozen=True)
class Scope:
    """The accounts and the window of a question. `None` in a filter means no filter."""

    start: date  # inclusive, local dates
    end: date  # inclusive
    missions: tuple[str, ...] | None = None
    platforms: tuple[str, ...] | None = None
    owners: tuple[str, ...] | None = None  # ("mission",), ("ambassador",) or None = both
    regions: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the window ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        """Length of the window in days, both ends included."""
        return (self.end - self.start).days + 1

    def with_window(self, start: date, end: date) -> Scope:
        """The same accounts over another window."""
        return Scope(start, end, self.missions, self.platforms, self.owners, self.regions)


def check_by(by: str) -> tuple[str, ...]:
    """The group columns of `by`, or a ValueError that lists the valid values."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    return GROUPINGS[by]


def scope_accounts_sql(scope: Scope) -> tuple[str, dict[str, object]]:
    """SQL selecting the scope's accounts (account_id, mission_id, platform, owner, region,
    country, host_country), and its parameters. `host_country` is the mission's country, NULL
    for a mission to an international organisation (`data.domain.MULTILATERAL_KINDS`: its
    country is only its seat, it has no host country)."""
    from data.domain import MULTILATERAL_KINDS

    where = []
    params: dict[str, object] = {}
    for column, values, param in (
        ("a.mission_id", scope.missions, "scope_missions"),
        ("a.platform", scope.platforms, "scope_platforms"),
        ("a.owner", scope.owners, "scope_owners"),
        ("m.region", scope.regions, "scope_regions"),
    ):
        if values is not None:
            where.append(f"list_contains(${param}, {column})")
            params[param] = list(values)
    # The kinds are fixed names of data/domain.py, not user input: written into the text.
    multilateral = ", ".join(f"'{kind}'" for kind in MULTILATERAL_KINDS)
    sql = (
        "SELECT a.account_id, a.mission_id, a.platform, a.owner, m.region, m.country, "
        f"CASE WHEN m.kind IN ({multilateral}) THEN NULL ELSE m.country END AS host_country "
        "FROM accounts a JOIN missions m USING (mission_id)"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params


def accounts_in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """The registry accounts the scope selects, with their mission's names and place."""
    sql, params = scope_accounts_sql(scope)
    return con.execute(
        f"""
        WITH scope_accounts AS ({sql})
        SELECT s.account_id, s.mission_id, m.name_en, m.name_vi, s.platform, s.owner, a.handle,
               a.display_name, a.external_id, m.region, m.country, m.kind
        FROM scope_accounts s
        JOIN accounts a USING (account_id)
        JOIN missions m ON m.mission_id = s.mission_id
        ORDER BY s.mission_id, s.platform, s.owner, s.account_id
        """,
        params,
    ).df()
