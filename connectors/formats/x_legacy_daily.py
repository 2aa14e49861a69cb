"""X (Twitter) legacy per-day export, from the old analytics.twitter.com "Tweets" tab.

File `daily_tweet_activity_metrics_<handle>_<YYYYMMDD>_<YYYYMMDD>_<lang>.csv`: one row a day
(`Date` ISO), the account's totals over its tweets that day. `follows` are the follows gained
from tweets that day, gross: the file has no unfollows, so it gives no net follower change and
no follower totals are rebuilt from it. Promoted columns hold `-` and are not read.
"""

from __future__ import annotations

from connectors.base import (
    AccountHints,
    DailyValue,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    register,
)
from connectors.formats.x_legacy_posts import apply_file_name
from connectors.parse import number, parse_date, table

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

    def detect(self, doc: Document) -> bool:
        header = doc.header(0)
        return bool(header) and header[0] == "date" and "tweets published" in header

    def read(self, doc: Document) -> Parsed:
        tab = table(doc.rows)
        c_date = tab.index("Date")
        columns = [(metric, tab.index(*names)) for metric, names in METRICS]
        daily: list[DailyValue] = []
        seen: dict = {}
        for offset, row in enumerate(tab.rows):
            row_number = tab.first_data_row + offset
            day = parse_date(row[c_date], ["%Y-%m-%d"], "Date", row_number)
            if day is None:
                raise ImportRefused("bad_date", column="Date", row=row_number, value="")
            values = tuple(number(row[col], tab.columns[col], row_number) for _, col in columns)
            if day in seen:
                if seen[day] != values:
                    raise ImportRefused("duplicate_day", date=day.isoformat())
                continue
            seen[day] = values
            # An unknown value is left out rather than stored, so that it cannot hide a known
            # value of the same day from another export.
            daily.extend(
                DailyValue(day, metric, value)
                for (metric, _), value in zip(columns, values, strict=True)
                if value is not None
            )
        if not seen:
            raise ImportRefused("no_dates")
        parsed = Parsed(platform="x", daily=daily)
        handles: set[str] = set()
        apply_file_name(parsed, doc.source.filename, handles)
        parsed.hints = AccountHints(handles=frozenset(handles))
        return parsed
