"""YouTube Studio Analytics export, `Chart data.csv`: one row a day and video.

Header `Date,Content,Video title,Video publish time,Duration,<metric>`. Each video becomes a
post record without metrics (title, publish date, link: `has_metrics=False`) and each row a
`PostDaily` value of the video's views that day. Only a chart of `Views` is read: the store
keeps no other per-video daily metric, and a chart of another metric is refused with a message
that says so. Dates are ISO; a copy re-saved by a spreadsheet (`13-06-2025`, `6/13/2025`) is
read when every date of the file fits one pattern (see `parse.dates_one_pattern`).
"""

from __future__ import annotations

from connectors.base import (
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostDaily,
    PostRecord,
    register,
)
from connectors.formats.youtube_table import WATCH_URL, apply_period, publish_date, video_id
from connectors.parse import dates_one_pattern, number, text

DAY_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%m-%d-%Y", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y"]


@register
class YouTubeChart(ExportFormat):
    id = "youtube_chart"
    platform = "youtube"
    label = "YouTube Studio: Chart data (per video and day)"
    label_vi = "YouTube Studio: Chart data (theo video và ngày)"
    # `Views` is the one metric read: a chart of another metric is refused
    required_columns = ("Date", "Content", "Video title", "Views")
    optional_columns = ("Video publish time",)

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)  # aliases applied: `Data,Conteúdo,...` in Portuguese
        return header[:2] == ["date", "content"] and "video title" in header

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_date = tab.index("Date")
        c_content = tab.index("Content")
        c_title = tab.index("Video title")
        c_published = tab.index("Video publish time", required=False)
        c_views = tab.index("Views", required=False)
        if c_views is None:
            shown = ", ".join(
                c
                for c in tab.columns
                if c not in {"date", "content", "video title", "video publish time", "duration"}
            )
            raise ImportRefused("youtube_chart_metric", metric=shown or "–")
        days = dates_one_pattern(
            [row[c_date] for row in tab.rows], DAY_FORMATS, "Date", tab.first_data_row
        )

        views_ahead = tab.digit_numbers(c_views)  # None: read cell by cell below
        posts: dict[str, PostRecord] = {}
        values: dict[tuple[str, object], float | None] = {}
        post_daily: list[PostDaily] = []
        for offset, (row, day) in enumerate(zip(tab.rows, days, strict=True)):
            row_number = tab.first_data_row + offset
            if day is None:
                raise ImportRefused("bad_date", column="Date", row=row_number, value="")
            post_id = video_id(row[c_content], row_number)
            if post_id not in posts:
                posts[post_id] = PostRecord(
                    post_id=post_id,
                    published=None
                    if c_published is None
                    else publish_date(row[c_published], tab.language, row_number),
                    text=text(row[c_title]),
                    permalink=WATCH_URL.format(post_id),
                    post_type="video",
                    has_metrics=False,
                )
            views = (
                number(row[c_views], "Views", row_number)
                if views_ahead is None
                else views_ahead[offset]
            )
            key = (post_id, day)
            if key in values:
                if values[key] != views:
                    raise ImportRefused("duplicate_day", date=f"{day} ({post_id})")
                continue
            values[key] = views
            post_daily.append(PostDaily(post_id, day, "views", views))
        parsed = Parsed(
            platform="youtube",
            posts=list(posts.values()),
            post_daily=post_daily,
            language=tab.language,
        )
        apply_period(parsed, doc)
        return parsed
