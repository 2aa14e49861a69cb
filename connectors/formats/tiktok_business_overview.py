"""TikTok business account analytics, overview ("Download data" of a business account's
Analytics in TikTok Studio / Business Suite on the web): one row a day, dates WITH a year.

```
Date,Video views,Reached audience,Profile views,Likes,Shares,Comments,Phone number clicks ,Leads submission,Net growth,New followers,Lost followers
2025/10/31,715,NAN,25,26,4,7,0,0,10,10,0
```
Real file: `tiktok-business-en/vintagerest/TIKTOK_RAW.csv` (renamed by its owner; 62 days,
2025-10-31..2025-12-31; BOM, unquoted; `NAN` for unknown; `Phone number clicks ` with a
trailing space, which header normalisation removes).

Read: Video views → video_views, Reached audience → reach, Profile views → profile_visits,
Likes → reactions, Shares → shares, Comments → comments, Net growth → net_follows, New followers
→ new_follows, Lost followers → unfollows. `NAN`, `--` are unknown and left out. Phone number
clicks and Leads submission (business contact buttons) have no daily metric: not read. The file
names no account: the engine maps it by a handle in its name or `--account`.
"""

from __future__ import annotations

from connectors.base import Document, ExportFormat, Parsed, register
from connectors.formats.tiktok_common import numeric_table
from connectors.parse import daily_values, parse_date, period_in_name

DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d")
# (DAILY_METRICS name, column, required)
METRICS = (
    ("video_views", "Video views", True),
    ("reach", "Reached audience", True),
    ("profile_visits", "Profile views", False),
    ("reactions", "Likes", False),
    ("shares", "Shares", False),
    ("comments", "Comments", False),
    ("net_follows", "Net growth", False),
    ("new_follows", "New followers", False),
    ("unfollows", "Lost followers", False),
)
SIGNATURE = frozenset({"date", "video views", "reached audience", "net growth"})


def read_daily(fmt: ExportFormat, doc: Document, metrics: tuple) -> Parsed:
    """A business export of one row a day with dated `Date` cells, as `Parsed`."""
    tab = fmt.table(doc)
    c_date = tab.index("Date")
    columns = [(metric, tab.index(name, required=req)) for metric, name, req in metrics]
    columns = [(metric, col) for metric, col in columns if col is not None]
    days = [
        parse_date(row[c_date], DATE_FORMATS, "Date", tab.row_number(offset))
        for offset, row in enumerate(tab.rows)
    ]
    daily = daily_values(numeric_table(tab, [c for _, c in columns]), days, columns)
    known = [d for d in days if d is not None]
    parsed = Parsed(
        platform="tiktok",
        daily=daily,
        period_start=min(known, default=None),
        period_end=max(known, default=None),
    )
    period = period_in_name(doc.source.filename, doc.source.container)
    if period:
        parsed.period_start, parsed.period_end = period
        parsed.as_of = period[1]
    return parsed


@register
class TikTokBusinessOverview(ExportFormat):
    id = "tiktok_business_overview"
    platform = "tiktok"
    label = "TikTok business account analytics: overview (daily)"
    label_vi = "Phân tích tài khoản doanh nghiệp TikTok: tổng quan (theo ngày)"
    required_columns = ("Date", *(name for _, name, req in METRICS if req))
    optional_columns = tuple(name for _, name, req in METRICS if not req)

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "date" and set(header) >= SIGNATURE

    def read(self, doc: Document) -> Parsed:
        return read_daily(self, doc, METRICS)
