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

from connectors.base import register
from connectors.formats.linkedin_common import LinkedInDailyExport


@register
class LinkedInFollowers(LinkedInDailyExport):
    id = "linkedin_followers"
    label = "LinkedIn Page followers export"
    label_vi = "Trang LinkedIn: tệp xuất người theo dõi"
    required_columns = ("Date", "Organic followers", "Total followers")
    optional_columns = ("Sponsored followers", "Auto-invited followers", "Location")
    daily_column = "Total followers"
    daily_metric = "net_follows"
    value_column = "Total followers"
    audience_kind = "followers"
