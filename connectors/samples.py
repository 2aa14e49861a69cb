"""The bundled sample exports: loaded on first run, through the real connectors.

When the store is empty, `ensure_sample_data` imports `data/samples/exports/` (synthetic exports
made by `python -m data.generate`) with the default registry, exactly as an analyst's import
would run. Imports made this way are logged with origin `sample`, so every page can say it shows
sample data.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from connectors.importer import ImportResult, ProgressCallback, import_paths
from data.store import Store

# The export files only: data/samples/ also holds its README and the registry of the samples.
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "exports"
# store_info key set when an analyst removed the bundled samples: an emptied store must then
# stay empty instead of being filled with the samples again on the next page load.
SAMPLES_REMOVED_KEY = "samples_removed"


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


def ensure_sample_data(
    store: Store, progress: ProgressCallback | None = None
) -> list[ImportResult]:
    """Import the sample exports on a first start (`should_load_samples`); returns what was
    imported."""
    if not should_load_samples(store):
        return []
    return import_paths(store, [SAMPLES], origin="sample", progress=progress)


def uses_sample_data(store: Store) -> bool:
    """True while the store holds data imported from the bundled samples."""
    with store.read() as cur:
        return (
            cur.execute(
                "SELECT count(*) FROM imports WHERE origin = 'sample' AND outcome = 'imported'"
            ).fetchall()[0][0]
            > 0
        )


def remove_sample_data(store: Store) -> None:
    """Delete everything imported from the samples (to start with the ministry's own exports),
    and remember it in the same transaction, so that they are never loaded again here."""
    with store.write() as cur:
        shas = [
            r[0]
            for r in cur.execute(
                "SELECT DISTINCT sha256 FROM imports WHERE origin = 'sample'"
            ).fetchall()
        ]
        for table in ("posts", "post_metrics", "post_daily", "account_daily", "audience"):
            cur.execute(
                f"DELETE FROM {table} WHERE sha256 IN (SELECT unnest(?::VARCHAR[]))", [shas]
            )
        cur.execute("DELETE FROM imports WHERE origin = 'sample'")
        accounts = [r[0] for r in cur.execute("SELECT account_id FROM accounts").fetchall()]
        from connectors.importer import rebuild_follower_totals

        rebuild_follower_totals(cur, accounts)
        cur.execute("DELETE FROM store_info WHERE key = ?", [SAMPLES_REMOVED_KEY])
        cur.execute("INSERT INTO store_info VALUES (?, ?)", [SAMPLES_REMOVED_KEY, "1"])
