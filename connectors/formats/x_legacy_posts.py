"""X (Twitter) legacy per-post export, from the old analytics.twitter.com "Tweets" tab.

File `tweet_activity_metrics_<handle>_<YYYYMMDD>_<YYYYMMDD>_<lang>.csv`, every field quoted:
one row a tweet with its lifetime counts as of the export. Quirks read here: counts written
`"1938.0"`, promoted columns holding `-` (unknown), `time` as `2016-12-23 18:50 +0000` (UTC),
texts with newlines, emoji and `&amp;` left as exported, and `favorites` instead of `likes` in
older files. The end date of the name is exclusive: the file for `_20210801_20210901` holds
August only. It is the export's as-of date.

`media views` are not read as video views: X counts any view of a photo, GIF or video there,
so the number is not comparable with the other platforms' video views.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from connectors.base import (
    AccountHints,
    Document,
    ExportFormat,
    Parsed,
    PostRecord,
    register,
)
from connectors.parse import (
    add_post,
    identifier,
    number,
    parse_datetime,
    text,
    x_handle_from_link,
    x_legacy_file_name,
)

TIME_FORMATS = ["%Y-%m-%d %H:%M %z"]
# (field of PostRecord, column names, newest name first)
METRICS = (
    ("impressions", ("impressions",)),
    ("engagements", ("engagements",)),
    ("shares", ("retweets",)),
    ("comments", ("replies",)),
    ("reactions", ("likes", "favorites")),
    ("clicks", ("url clicks",)),
)


@register
class XLegacyPosts(ExportFormat):
    id = "x_legacy_posts"
    platform = "x"
    label = "X tweet activity (legacy, per tweet)"
    label_vi = "Hoạt động tweet trên X (bản cũ, theo tweet)"
    required_columns = (
        "Tweet id",
        "Tweet permalink",
        "Tweet text",
        "time",
        *(names[0] for _, names in METRICS),
    )

    def detect(self, doc: Document) -> bool:
        return {"tweet id", "tweet permalink", "time"} <= set(self.header(doc))

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_id = tab.index("Tweet id")
        c_link = tab.index("Tweet permalink")
        c_text = tab.index("Tweet text")
        c_time = tab.index("time")
        metric_columns = [(field, tab.index(*names)) for field, names in METRICS]

        posts: dict[str, PostRecord] = {}
        handles: set[str] = set()
        for offset, row in enumerate(tab.rows):
            row_number = tab.first_data_row + offset
            post_id = identifier(row[c_id], "Tweet id", row_number)
            published = parse_datetime(row[c_time], TIME_FORMATS, "time", row_number)
            if published is not None and published.tzinfo is None:
                published = published.replace(tzinfo=UTC)  # an XLSX copy lost the "+0000"
            link = text(row[c_link])
            handle = x_handle_from_link(link)
            if handle:
                handles.add(handle)
            record = PostRecord(
                post_id=post_id,
                published=published,
                text=text(row[c_text]),
                permalink=link,
                **{
                    field: number(row[col], tab.columns[col], row_number)
                    for field, col in metric_columns
                },
            )
            add_post(posts, record)

        parsed = Parsed(platform="x", posts=list(posts.values()))
        apply_file_name(parsed, doc.source.filename, handles)
        parsed.hints = AccountHints(handles=frozenset(handles))
        return parsed


def apply_file_name(parsed: Parsed, filename: str, handles: set[str]) -> None:
    """Period, as-of and handle from a legacy export's name (when it was not renamed).

    The name's end date is exclusive (`_20210801_20210901` holds August), so the period ends the
    day before, unless the file has records on the end date itself. The as-of is the end date.
    """
    named = x_legacy_file_name(filename)
    if named is None:
        return
    _, start, end = named  # the name's handle maps the file by name (importer), not content
    latest = parsed.latest_date()
    parsed.as_of = end
    parsed.period_start = start
    parsed.period_end = (
        latest if latest is not None and latest >= end else max(start, end - timedelta(days=1))
    )
