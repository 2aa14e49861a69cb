"""X (Twitter) legacy per-day export, from the old analytics.twitter.com "Tweets" tab.

File `daily_tweet_activity_metrics_<handle>_<YYYYMMDD>_<YYYYMMDD>_<lang>.csv`: one row a day
(`Date` ISO), the account's totals over its tweets that day. `follows` are the follows gained
from tweets that day, gross: the file has no unfollows, so it gives no net follower change and
no follower totals are rebuilt from it. Promoted columns hold `-` and are not read.
"""

from __future__ import annotations

from connectors.base import (
    AccountHints,
    Document,
    ExportFormat,
    Parsed,
    register,
)
from connectors.formats.x_legacy_posts import apply_file_name
from connectors.parse import daily_values, parse_date

# (DAILY_METRICS name, column names, newest name first)
METRICS = (
    ("posts_published", ("Tweets published",)),
    ("impressions", ("impressions",)),
    ("engagements", ("engagements",)),
    ("reactions", ("likes", "favorites")),
    ("comments", ("replies",)),
    ("shares", ("retweets",)),
    ("new_follows", ("follows",)),
)


@register
class XLegacyDaily(ExportFormat):
    id = "x_legacy_daily"
    platform = "x"
    label = "X tweet activity (legacy, per day)"
    label_vi = "Hoạt động tweet trên X (bản cũ, theo ngày)"
    required_columns = ("Date", *(names[0] for _, names in METRICS))

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "date" and "tweets published" in header

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_date = tab.index("Date")
        columns = [(metric, tab.index(*names)) for metric, names in METRICS]
        days = [
            parse_date(row[c_date], ["%Y-%m-%d"], "Date", tab.first_data_row + offset)
            for offset, row in enumerate(tab.rows)
        ]
        daily = daily_values(tab, days, columns)
        parsed = Parsed(platform="x", daily=daily)
        handles: set[str] = set()
        apply_file_name(parsed, doc.source.filename, handles)
        parsed.hints = AccountHints(handles=frozenset(handles))
        return parsed
