"""TikTok Studio Analytics, `Viewers`: unique viewers a day.

```
"Date","Total Viewers","New Viewers","Returning Viewers"
"February 28","undefined","0","0"
```
Real file: `tiktok-studio-en/haileytupy2.0/Viewers.csv` (365 days ending 2026-02-27; the first
25 days' Total Viewers are `"undefined"`). Days carry no year (see `connectors.monthday`).

Read: Total Viewers → `viewers`; `undefined` is unknown and left out, never 0. New and
Returning Viewers split the same people and have no daily metric: not read.
"""

from __future__ import annotations

from connectors.base import register
from connectors.formats.tiktok_common import StudioSeries


@register
class TikTokStudioViewers(StudioSeries):
    id = "tiktok_studio_viewers"
    label = "TikTok Studio analytics: Viewers (daily)"
    label_vi = "Phân tích TikTok Studio: Viewers (theo ngày)"
    metrics = (
        ("viewers", "Total Viewers", True),
        (None, "New Viewers", False),
        (None, "Returning Viewers", False),
    )
    signature = frozenset({"date", "total viewers", "new viewers", "returning viewers"})
