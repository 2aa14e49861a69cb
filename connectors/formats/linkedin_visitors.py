"""LinkedIn Page visitors export: `<vanity name>_visitors_<epoch ms>.xls` (Page analytics →
Visitors → Export).

Real file: `linkedin-page-xls-en/shorthills-ai/shorthills-ai_visitors_1766385917155 1.xls`
(pristine BIFF8, header in row 1; a description row above it is accepted too). The header row,
dates, export day and account mapping are described in `linkedin_common`.

- **`Visitor metrics`**, a row a day (UTC), 25 columns: page views and unique visitors of each
  tab of the Page (`Overview`, `Life`, `Jobs`) and of all together (`Total`), each split
  `(desktop)`, `(mobile)`, `(total)`. Read: `profile_visits` = `Total page views (total)`, the
  views of every tab of the Page on every device, the nearest to Facebook's page visits (a
  member who opens two tabs counts twice). `Total unique visitors (total)` is not stored: no
  daily metric means unique page visitors, and unique counts do not add up across days.
- **`Location`, `Job function`, `Seniority`, `Industry`, `Company size`** (`<Dimension>, Total
  views`, in no particular order): the page views of the export's period (the days of
  `Visitor metrics`, not a snapshot: shorthills' 104 locations add up to 69,989 views, its
  365 days to 70,006) by the visitors' demographics, audience kind `page_views`, stored as of
  the export day and read by `linkedin_common.demographics` (locations as `city`, plus
  `country` where the location names its country; the others as `other`). The followers'
  demographics, by contrast, are the Page's whole following on the export day.
"""

from __future__ import annotations

from connectors.base import register
from connectors.formats.linkedin_common import LinkedInDailyExport


@register
class LinkedInVisitors(LinkedInDailyExport):
    id = "linkedin_visitors"
    label = "LinkedIn Page visitors export"
    label_vi = "Trang LinkedIn: tệp xuất khách truy cập"
    required_columns = ("Date", "Total page views (total)")
    optional_columns = ("Total unique visitors (total)", "Location")
    daily_column = "Total page views (total)"
    daily_metric = "profile_visits"
    value_column = "Total views"
    audience_kind = "page_views"
