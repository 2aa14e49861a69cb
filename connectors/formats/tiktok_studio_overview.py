"""TikTok Studio Analytics, `Overview` (CSV in the Studio zip, or XLSX): one row a day.

```
"Date","Video Views","Profile Views","Likes","Comments","Shares"
"February 28","0","0","0","0","0"
```
Real files: `tiktok-studio-en/haileytupy2.0/Overview.csv` (365 days, 2025-02-28..2026-02-27,
UTF-8 BOM, every field quoted, no line break after the last row, the year rolling over at
`"January 1"`, zero days before the account was active), `tiktok-studio-es/franco/Overview.csv`
(Spanish interface: `"8 de marzo"`, English headers) and `tiktok-studio-xlsx/bosszy27-a/
Overview.xlsx` (written by SheetJS: one sheet `Overview`, every cell a string, `"April 12"`).

Days carry no year, in the interface language: read with `connectors.monthday`, the year from
the export's as-of date (a file's name or modification date, or `--as-of`). Read: Video Views
→ `video_views`, Profile Views → `profile_visits`, Likes → `reactions`, Comments → `comments`,
Shares → `shares`. The zeros before an account's first activity are stored as the file gives
them (TikTok writes `0`, not `undefined`, for those days).

Likes, Comments and Shares of a day are TikTok's net change of the totals: comments deleted
that day are subtracted, and the real file has 35 days of negative Comments (`"-1"` on August
12, `"-7"` on October 28). A negative value says more were removed than written, not how many
were written: that day's count is unknown and left out (the day's other values are kept),
rather than refusing a file exactly as TikTok writes it or storing an impossible count.
"""

from __future__ import annotations

from connectors.base import Document, register
from connectors.formats.tiktok_common import StudioSeries


@register
class TikTokStudioOverview(StudioSeries):
    id = "tiktok_studio_overview"
    label = "TikTok Studio analytics: Overview (daily)"
    label_vi = "Phân tích TikTok Studio: Overview (theo ngày)"
    metrics = (
        ("video_views", "Video Views", True),
        ("profile_visits", "Profile Views", True),
        ("reactions", "Likes", True),
        ("comments", "Comments", True),
        ("shares", "Shares", True),
    )
    # Not `Reached audience`: that is the business account's overview (tiktok_business_overview).
    signature = frozenset({"date", "video views", "profile views", "likes", "comments", "shares"})
    net_counts = frozenset({"reactions", "comments", "shares"})

    def detect(self, doc: Document) -> bool:
        return super().detect(doc) and "reached audience" not in self.header(doc)
