"""TikTok business account analytics, followers / audience: one row a day, dates WITH a year.

```
Date,New followers,Total followers,Reached audience,Engaged audience
2025/10/31,10,--,NAN,NAN
```
Real file: `tiktok-business-en/vintagerest/TIKTOK_AUDIENCE_RAW.csv` (62 days,
2025-10-31..2025-12-31; `Total followers` is `--` on every day; `NAN` for unknown).

Read: New followers → new_follows, Total followers → followers (a known total; `--` is unknown
and left out, never 0), Reached audience → reach (the same series as the overview export's).
Engaged audience counts people who engaged, not engagements: no daily metric fits, not read.
"""

from __future__ import annotations

from connectors.base import Document, ExportFormat, Parsed, register
from connectors.formats.tiktok_business_overview import read_daily

METRICS = (
    ("new_follows", "New followers", True),
    ("followers", "Total followers", True),
    ("reach", "Reached audience", False),
    (None, "Engaged audience", False),
)
SIGNATURE = frozenset({"date", "new followers", "total followers", "engaged audience"})


@register
class TikTokBusinessAudience(ExportFormat):
    id = "tiktok_business_audience"
    platform = "tiktok"
    label = "TikTok business account analytics: followers and audience (daily)"
    label_vi = "Phân tích tài khoản doanh nghiệp TikTok: người theo dõi và khán giả (theo ngày)"
    required_columns = ("Date", "New followers", "Total followers")
    optional_columns = ("Reached audience", "Engaged audience")

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "date" and set(header) >= SIGNATURE

    def read(self, doc: Document) -> Parsed:
        return read_daily(self, doc, tuple(m for m in METRICS if m[0] is not None))
