"""Small read queries the dashboard needs that are not KPIs.

The KPIs and their breakdowns live in `metrics/`; this module only lists what is in the store
(registry, import log, the latest date that has data) so that the pages and `ui/` never write SQL.
Every function takes a cursor from `store.read()` unless it says otherwise, and finishes each
result before the next statement (DuckDB 2 streams results).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from data.domain import PLATFORMS


def latest_data_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest local date that has a post or an account-level daily value; None if none."""
    rows = con.execute(
        "SELECT max(d) FROM ("
        " SELECT max(published_date) AS d FROM posts"
        " UNION ALL SELECT max(date) FROM account_daily"
        ")"
    ).fetchall()
    return rows[0][0] if rows and rows[0][0] is not None else None


def missions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The registry's missions with how many accounts each has, sorted by id."""
    return con.execute(
        "SELECT m.mission_id, m.name_en, m.name_vi, m.kind, m.country, m.city, m.region,"
        " m.timezone, m.languages, count(a.account_id) AS accounts"
        " FROM missions m LEFT JOIN accounts a USING (mission_id)"
        " GROUP BY ALL ORDER BY m.mission_id"
    ).df()


def missions_with_accounts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The missions that have at least one registered account (the ones that can have data)."""
    frame = missions(con)
    return frame[frame["accounts"] > 0].reset_index(drop=True)


def accounts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The registry's accounts, sorted by mission, platform and owner."""
    return con.execute(
        "SELECT account_id, mission_id, platform, owner, handle, external_id, display_name"
        " FROM accounts ORDER BY mission_id, platform, owner, account_id"
    ).df()


def platforms(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The platforms that registered accounts are on, in the product's platform order."""
    present = {r[0] for r in con.execute("SELECT DISTINCT platform FROM accounts").fetchall()}
    return [p for p in PLATFORMS if p in present] + sorted(present - set(PLATFORMS))


def regions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The reporting regions of the registry's missions, sorted."""
    return [r[0] for r in con.execute("SELECT DISTINCT region FROM missions ORDER BY 1").fetchall()]


IMPORT_LOG_COLUMNS = (
    "imported_at", "file_name", "outcome", "format", "account_id", "row_count", "as_of",
    "period_start", "period_end", "origin", "message", "message_code", "message_params",
)  # fmt: skip


def import_log(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """The latest `limit` files given to the importer, newest first (`IMPORT_LOG_COLUMNS`).

    A store not written since the message code was added has no message_code and
    message_params columns yet: they are then empty (the lines keep their English message)."""
    frame = con.execute(
        "SELECT * FROM imports ORDER BY imported_at DESC, file_name LIMIT ?", [limit]
    ).df()
    return frame.reindex(columns=list(IMPORT_LOG_COLUMNS))


def unknown_pages(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Pages and accounts whose rows imports left out because the registry does not know them
    (table `unknown_accounts`), without those attached since: one row per platform and id,
    with its latest name, the files that hold rows of it, the rows left out and when it was
    last seen, most recent first. `pending_files` lists the kept copies (paths relative to the
    database's folder) to import its rows from once it is attached."""
    return con.execute(
        "SELECT u.platform, u.external_id,"
        " arg_max(u.display_name, u.seen_at) FILTER (WHERE u.display_name IS NOT NULL)"
        "  AS display_name,"
        " count(DISTINCT u.sha256) AS files, sum(u.row_count) AS rows_left_out,"
        " max(u.seen_at) AS last_seen,"
        " list(DISTINCT u.pending_file ORDER BY u.pending_file)"
        "  FILTER (WHERE u.pending_file IS NOT NULL) AS pending_files"
        " FROM unknown_accounts u"
        " WHERE NOT EXISTS (SELECT 1 FROM accounts a"
        "  WHERE a.platform = u.platform AND a.external_id = u.external_id)"
        " GROUP BY u.platform, u.external_id"
        " ORDER BY last_seen DESC, u.platform, u.external_id"
    ).df()


def pending_files(con: duckdb.DuckDBPyConnection, platform: str, external_id: str) -> list[tuple]:
    """(file name as imported, kept copy relative to the database's folder or None) of every
    file that holds rows of a page the registry did not know, oldest first."""
    return con.execute(
        "SELECT file_name, pending_file FROM unknown_accounts"
        " WHERE platform = ? AND external_id = ? ORDER BY seen_at, file_name",
        [platform, external_id],
    ).fetchall()
