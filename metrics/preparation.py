"""What a reading process builds once per version it opens (`Store.prepare_versions(*PREPARERS)`):
per-account rows that every page's statements would otherwise compute from the sources again
for whichever missions, platforms and owners it shows. Each builder keeps to the windows of the
period presets ending on the version's latest day; a read outside them uses the sources.

- `metrics.engine.prepare_parts`: every account's partial aggregates of every source (`parts`,
  what each KPI statement reads first), in the presets' windows and the ones compared with.
- `metrics.alerts.prepare_alerts`: every account's alerts on the days of the presets' windows.
"""

from __future__ import annotations

from metrics.alerts import prepare_alerts
from metrics.engine import prepare_parts

# In the order they run: the partials first, which every page's statements read.
PREPARERS = (prepare_parts, prepare_alerts)
