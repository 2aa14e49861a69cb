"""X account analytics, daily "Overview" export (x.com/i/account_analytics).

File `account_overview_analytics.csv`, one row a day, **newest day first**, `Date` written
`"Fri, Mar 21, 2025"`. Nothing in it names the account: the engine maps it by a handle in the
file name (`kaiadevintern_account_overview_analytics.csv`) or by `--account`.

`New follows` − `Unfollows` is the day's net follower change, from which the engine rebuilds
follower totals around a known total. `Shares` (sent by link or message), `Bookmarks` and
`Media views` have no daily metric and are not read.
"""

from __future__ import annotations

from connectors.base import Document, ExportFormat, Parsed, register
from connectors.parse import daily_values, parse_date, period_in_name

DATE_FORMATS = ["%a, %b %d, %Y", "%a %b %d %Y"]
# (DAILY_METRICS name, column, required)
METRICS = (
    ("impressions", "Impressions", True),
    ("reactions", "Likes", True),
    ("engagements", "Engagements", True),
    ("shares", "Reposts", True),
    ("comments", "Replies", True),
    ("new_follows", "New follows", True),
    ("unfollows", "Unfollows", True),
    ("profile_visits", "Profile visits", True),
    ("posts_published", "Create Post", True),
    ("views", "Video views", False),
)
SIGNATURE = {"date", "impressions", "new follows", "unfollows", "create post"}


@register
class XOverview(ExportFormat):
    id = "x_overview"
    platform = "x"
    label = "X account analytics: daily overview"
    label_vi = "Phân tích tài khoản X: tổng quan theo ngày"
    required_columns = ("Date", *(name for _, name, required in METRICS if required))
    optional_columns = tuple(name for _, name, required in METRICS if not required)

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "date" and set(header) >= SIGNATURE

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_date = tab.index("Date")
        columns = [
            (metric, tab.index(name, required=required)) for metric, name, required in METRICS
        ]
        columns = [(metric, col) for metric, col in columns if col is not None]
        days = [
            parse_date(row[c_date], DATE_FORMATS, "Date", tab.first_data_row + offset)
            for offset, row in enumerate(tab.rows)
        ]
        daily = daily_values(tab, days, columns)
        parsed = Parsed(platform="x", daily=daily)
        period = period_in_name(doc.source.filename, doc.source.container)
        if period:
            parsed.period_start, parsed.period_end = period
            parsed.as_of = period[1]
        else:
            parsed.period_start, parsed.period_end = (
                min(v.date for v in daily),
                max(v.date for v in daily),
            )
        return parsed
