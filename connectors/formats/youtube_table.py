"""YouTube Studio Analytics export, `Table data.csv` with the Content dimension.

A Studio export is a zip (or its loose files) of `Table data.csv`, `Chart data.csv` and
`Totals.csv`; nothing in them names the channel, so the engine maps them by a handle in the zip
or file name, or by `--account`. The Table has one row a video with its totals over the
exported period; **row 2 is a `Total` row** of the whole channel and is skipped.

- Ids that begin with `-` carry a leading space (` -HHGH-TTqYM`): stripped.
- `Video publish time` is `"Sep 27, 2024"`, a date; empty for private videos (unknown).
- `Views` are the video views; `Impressions` are thumbnail impressions. `Likes`, `Comments
  added`, `Shares` and `Unique viewers` (read as reach) only when chosen in Studio; unknown
  otherwise, never 0.
- As-of: the end date when the zip or file name carries the period (`... 2025-06-13_2026-06-12
  ...`), else the engine's fallback (the latest date in the file, here a publish date).
"""

from __future__ import annotations

from connectors.base import (
    Cell,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
    register,
)
from connectors.parse import number, parse_date, period_in_name, text

PUBLISH_FORMATS = ["%b %d, %Y"]
WATCH_URL = "https://www.youtube.com/watch?v={}"
# (PostRecord field, column); Views is required, the others are read when present.
METRICS = (
    ("video_views", "Views"),
    ("impressions", "Impressions"),
    ("reactions", "Likes"),
    ("comments", "Comments added"),
    ("shares", "Shares"),
    ("reach", "Unique viewers"),
)


def video_id(cell: Cell, row: int) -> str:
    """A video id from the `Content` column, without the space Studio puts before a leading `-`."""
    value = text(cell)
    if value is None:
        raise ImportRefused("missing_id", column="Content", row=row)
    return value


def apply_period(parsed: Parsed, doc: Document) -> None:
    """Period and as-of from the zip's or the file's name, when one carries two dates."""
    period = period_in_name(doc.source.container, doc.source.filename)
    if period:
        parsed.period_start, parsed.period_end = period
        parsed.as_of = period[1]


@register
class YouTubeTable(ExportFormat):
    id = "youtube_table"
    platform = "youtube"
    label = "YouTube Studio: Table data (content)"

    def detect(self, doc: Document) -> bool:
        header = doc.header(0)
        return bool(header) and header[0] == "content" and "video title" in header

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_title = tab.index("Video title")
        c_published = tab.index("Video publish time", required=False)
        tab.index("Views")  # required: refuse a table exported without views
        columns = [(field, tab.index(name, required=False)) for field, name in METRICS]
        posts: dict[str, PostRecord] = {}
        for offset, row in enumerate(tab.rows):
            row_number = tab.first_data_row + offset
            if text(row[0]) == "Total":
                continue  # the channel's total, not a video
            post_id = video_id(row[0], row_number)
            record = PostRecord(
                post_id=post_id,
                published=None
                if c_published is None
                else parse_date(
                    row[c_published], PUBLISH_FORMATS, "Video publish time", row_number
                ),
                text=text(row[c_title]),
                permalink=WATCH_URL.format(post_id),
                post_type="video",
                **{
                    field: None if col is None else number(row[col], tab.columns[col], row_number)
                    for field, col in columns
                },
            )
            if post_id in posts and posts[post_id] != record:
                raise ImportRefused("duplicate_post", post=post_id)
            posts[post_id] = record
        parsed = Parsed(platform="youtube", posts=list(posts.values()))
        apply_period(parsed, doc)
        return parsed
