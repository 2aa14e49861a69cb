"""TikTok Studio Analytics, `FollowerHistory` (in the Followers part of the Studio zip).

```
"Date","Followers","Difference in followers from previous day"
"February 28","undefined","0"
```
Real file: `tiktok-studio-en/haileytupy2.0/FollowerHistory.csv` (365 days ending 2026-02-27:
the first 25 rows' Followers are `"undefined"` with a difference of `"0"`; negative
differences `"-1"`). Days carry no year (see `connectors.monthday`).

Read: Followers → `followers` (a known end-of-day total) when not `undefined`; Difference →
`net_follows` (signed), from which the engine rebuilds totals around a known one, on the days
whose Followers is known. On a day whose total is `undefined`, TikTok had no follower data and
writes a difference of `"0"` all the same: that is not a measured change, and stored it would
let the engine rebuild 25 days of totals TikTok itself says it does not know.
"""

from __future__ import annotations

from datetime import date

from connectors.base import DailyValue, register
from connectors.formats.tiktok_common import StudioSeries
from connectors.parse import Table


@register
class TikTokStudioFollowerHistory(StudioSeries):
    id = "tiktok_studio_follower_history"
    label = "TikTok Studio analytics: FollowerHistory (daily followers)"
    label_vi = "Phân tích TikTok Studio: FollowerHistory (người theo dõi theo ngày)"
    metrics = (
        ("followers", "Followers", True),
        ("net_follows", "Difference in followers from previous day", True),
    )
    signature = frozenset({"date", "followers", "difference in followers from previous day"})

    def values(self, tab: Table, days: list[date | None]) -> list[DailyValue]:
        values = super().values(tab, days)
        known = {v.date for v in values if v.metric == "followers"}
        return [v for v in values if v.metric != "net_follows" or v.date in known]
