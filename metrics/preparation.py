"""What a reading process builds once per version it opens (`data.store.Store.prepare_versions`):
per-account rows that every page's statements would otherwise compute from the sources again
for whichever missions, platforms and owners it shows. Each builder keeps to the windows of the
period presets ending on the version's latest day; a read outside them uses the sources.

- `metrics.engine.prepare_parts`: every account's partial aggregates of every source (`parts`,
  what each KPI statement reads first), in the presets' windows and the ones compared with.
- `metrics.alerts.prepare_alerts`: every account's alerts on the days of the presets' windows.
"""

from __future__ import annotations

import duckdb

from metrics.alerts import prepare_alerts
from metrics.engine import prepare_parts


def prepare_version(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, object]:
    """Run every builder on the version of `con`, in `database` (a writable database of this
    process's own, attached to it); returns the facts the version's cursors then carry."""
    facts = dict(prepare_parts(con, database))
    facts.update(prepare_alerts(con, database))
    return facts
