"""Small read (and bookkeeping) queries the dashboard needs that are not KPIs.

The KPIs and their breakdowns live in `metrics/`; this module only lists what is in the store
(registry, import log, the latest date that has data) so that the pages and `ui/` never write SQL.
Every function takes a cursor from `store.read()` unless it says otherwise, and finishes each
result before the next statement (DuckDB 2 streams results).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from connectors.base import PLATFORMS
from connectors.importer import ProgressCallback
from data.sample_data import SAMPLES, ensure_sample_data, remove_sample_data
from data.store import Store

# store_info key set when an analyst removed the bundled samples: an emptied store must then
# stay empty instead of being filled with the samples again on the next page load.
SAMPLES_REMOVED_KEY = "samples_removed"


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


def import_log(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """The latest `limit` files given to the importer, newest first."""
    return con.execute(
        "SELECT imported_at, file_name, outcome, format, account_id, row_count, as_of,"
        " period_start, period_end, origin, message"
        " FROM imports ORDER BY imported_at DESC, file_name LIMIT ?",
        [limit],
    ).df()


def samples_removed(con: duckdb.DuckDBPyConnection) -> bool:
    """True when an analyst removed the bundled sample data from this store."""
    rows = con.execute(
        "SELECT count(*) FROM store_info WHERE key = ?", [SAMPLES_REMOVED_KEY]
    ).fetchall()
    return rows[0][0] > 0


def should_load_samples(store: Store) -> bool:
    """True on a first start: nothing imported yet, samples bundled and never removed here."""
    if not SAMPLES.is_dir() or not store.is_empty():
        return False
    with store.read() as con:
        return not samples_removed(con)


def load_samples_on_first_run(store: Store, progress: ProgressCallback | None = None) -> int:
    """Import the bundled samples into an empty store, unless they were removed before.

    Returns how many sample files were imported (0 when nothing was done).
    """
    with store.read() as con:
        if samples_removed(con):
            return 0
    results = ensure_sample_data(store, progress)
    return sum(1 for r in results if r.status == "imported")


def remove_samples(store: Store) -> None:
    """Delete the sample data and remember it, so that the next page load does not reload it."""
    remove_sample_data(store)
    with store.write() as cur:
        cur.execute("DELETE FROM store_info WHERE key = ?", [SAMPLES_REMOVED_KEY])
        cur.execute("INSERT INTO store_info VALUES (?, ?)", [SAMPLES_REMOVED_KEY, "1"])
