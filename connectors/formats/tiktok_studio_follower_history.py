"""TikTok Studio Analytics, `FollowerHistory` (in the Followers part of the Studio zip).

```
"Date","Followers","Difference in followers from previous day"
"February 28","undefined","0"
```
Real file: `tiktok-studio-en/haileytupy2.0/FollowerHistory.csv` (365 days ending 2026-02-27:
the first 25 rows' Followers are `"undefined"` with a difference of `"0"`; negative
differences `"-1"`). Days carry no year (see `connectors.monthday`).

Read: Followers → `followers` (a known end-of-day total) when not `undefined`; Difference →
`net_follows` (signed), from which the engine rebuilds totals around a known one.
"""

from __future__ import annotations

from connectors.base import register
from connectors.formats.tiktok_common import StudioSeries


@register
class TikTokStudioFollowerHistory(StudioSeries):
    id = "tiktok_studio_follower_history"
    label = "TikTok Studio analytics: FollowerHistory (daily followers)"
    metrics = (
        ("followers", "Followers", True),
        ("net_follows", "Difference in followers from previous day", True),
    )
    signature = frozenset({"date", "followers", "difference in followers from previous day"})
