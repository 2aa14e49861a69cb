"""The bundled sample exports: loaded on first run, through the real connectors.

When the store is empty, `ensure_sample_data` imports `data/samples/exports/` (synthetic exports
made by `python -m data.generate`) with the default registry, exactly as an analyst's import
would run. Imports made this way are logged with origin `sample`, so every page can say it shows
sample data.
"""

from __future__ import annotations

from pathlib import Path

from connectors.importer import ImportResult, ProgressCallback, import_paths
from data.store import Store

# The export files only: data/samples/ also holds its README and the registry of the samples.
SAMPLES = Path(__file__).with_name("samples") / "exports"


def ensure_sample_data(
    store: Store, progress: ProgressCallback | None = None
) -> list[ImportResult]:
    """Import the sample exports when nothing was ever imported; returns what was imported."""
    if not store.is_empty() or not SAMPLES.is_dir():
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
    """Delete everything imported from the samples (to start with the ministry's own exports)."""
    with store.write() as cur:
        shas = [
            r[0]
            for r in cur.execute(
                "SELECT DISTINCT sha256 FROM imports WHERE origin = 'sample'"
            ).fetchall()
        ]
        for table in ("posts", "post_metrics", "post_daily", "account_daily"):
            cur.execute(
                f"DELETE FROM {table} WHERE sha256 IN (SELECT unnest(?::VARCHAR[]))", [shas]
            )
        cur.execute("DELETE FROM imports WHERE origin = 'sample'")
        accounts = [r[0] for r in cur.execute("SELECT account_id FROM accounts").fetchall()]
        from connectors.importer import rebuild_follower_totals

        rebuild_follower_totals(cur, accounts)
