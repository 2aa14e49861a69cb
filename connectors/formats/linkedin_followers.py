"""LinkedIn Page followers export: `<vanity name>_followers_<epoch ms>.xls` (Page analytics →
Followers → Export).

Real file: `linkedin-page-xls-en/shorthills-ai/shorthills-ai_followers_1766385928211 1.xls`
(pristine BIFF8, header in row 1; a description row above it is accepted too). The header row,
dates, export day and account mapping are described in `linkedin_common`.

- **`New followers`**, a row a day (UTC): `Date, Sponsored followers, Organic followers,
  Auto-invited followers, Total followers`. `Total followers` is the day's new followers, all
  sources together (5 = 0 + 5 + 0), not the Page's follower total. It is a NET change: on
  days when the Page lost more followers than it gained it is negative (shorthills: `-1` on 7
  days, e.g. 2025-01-18, in `Organic followers` and `Total followers`), so it is read as
  `net_follows` (the signed daily change the net_follows KPI sums), not as `new_follows`
  (gross gains, never negative). The export gives no follower total and no unfollows.
- **`Location`, `Job function`, `Seniority`, `Industry`, `Company size`** (`<Dimension>, Total
  followers`): the followers' top values as of the export day, audience kind `followers`, read
  by `linkedin_common.demographics` (locations as `city`, plus `country` where the location
  names its country; the others as `other`, `<Dimension>: <value>`).
"""

from __future__ import annotations

from connectors.base import Document, ExportFormat, Parsed, register
from connectors.formats.linkedin_common import (
    days_of,
    demographic_header,
    demographics,
    export_day,
    find_sheets,
    has_columns,
)
from connectors.parse import daily_values

DAILY_KEY = ("Date", "Organic followers", "Total followers")
VALUE_COLUMN = "Total followers"


@register
class LinkedInFollowers(ExportFormat):
    id = "linkedin_followers"
    platform = "linkedin"
    label = "LinkedIn Page followers export"
    required_columns = DAILY_KEY
    optional_columns = ("Sponsored followers", "Auto-invited followers", "Location")

    def detect(self, doc: Document) -> bool:
        return bool(
            find_sheets(self, doc, has_columns(*DAILY_KEY))
            or find_sheets(self, doc, demographic_header(VALUE_COLUMN))
        )

    def read(self, doc: Document) -> Parsed:
        daily = []
        days = []
        for sheet, at in find_sheets(self, doc, has_columns(*DAILY_KEY)):
            tab = self.table(doc, doc.sheets[sheet], header_row=at)
            sheet_days = days_of(tab, "Date")
            daily += daily_values(tab, sheet_days, [("net_follows", tab.index(VALUE_COLUMN))])
            days += [d for d in sheet_days if d is not None]
        return Parsed(
            platform="linkedin",
            as_of=export_day(doc.source.filename),
            period_start=min(days, default=None),
            period_end=max(days, default=None),
            daily=daily,
            audience=demographics(self, doc, VALUE_COLUMN, "followers"),
        )
