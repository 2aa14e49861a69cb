"""TikTok Studio Analytics, `Content`: one row a video, its lifetime totals on the export day.

```
"Time","Video title","Video link","Post time","Total likes","Total comments","Total shares","Total views"
"February 28","BUXOM  PLUMPING LIP GLOSS","https://www.tiktok.com/@haileytupy2.0/video/7546034661705796877","September 3","109","7","31","154414"
```
Real files: `tiktok-studio-en/haileytupy2.0/Content.csv`, `Content 2.csv`, `Content 3.csv`,
`Content 4.csv` (four exports of different selections made the same day, sharing videos with
the same values; empty titles, emoji, titles with trailing spaces or line breaks).

- `Time` is the export day, `Post time` the publication day, both without a year, in the
  interface language (`connectors.monthday`; one language for the whole file). The export day
  is the latest such day on or before the day after the export's as-of date (an as-of taken
  from a period's end is the day before the export); a publication day the latest on or before
  its row's export day (a video shown on `"February 28"` and posted `"July 16"` was
  posted the July before). Publication is a date: the export gives no time of day.
- The post id is the number in the video link (never a number cell a spreadsheet could round),
  and the link's `@handle` is the account hint the engine maps the file by.
- Read: Total likes → reactions, Total comments → comments, Total shares → shares, Total views
  → video_views; the title is the post's text, the link its permalink, type `Videos` (`Photos`
  for a `/photo/` link).
"""

from __future__ import annotations

from datetime import date, timedelta

from connectors.base import (
    AccountHints,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
    register,
)
from connectors.formats.tiktok_common import counts, video_post
from connectors.monthday import latest_on_or_before, read_month_days
from connectors.parse import add_post
from data.localtime import ministry_today

METRICS = (
    ("reactions", "Total likes"),
    ("comments", "Total comments"),
    ("shares", "Total shares"),
    ("video_views", "Total views"),
)


@register
class TikTokStudioContent(ExportFormat):
    id = "tiktok_studio_content"
    platform = "tiktok"
    label = "TikTok Studio analytics: Content (per video)"
    label_vi = "Phân tích TikTok Studio: Content (theo video)"
    required_columns = ("Time", "Video link", "Post time", *(name for _, name in METRICS))
    optional_columns = ("Video title",)

    def detect(self, doc: Document) -> bool:
        header = set(self.header(doc))
        return {"time", "video link", "post time", "total views"} <= header

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_time, c_link, c_posted = (tab.index(n) for n in ("Time", "Video link", "Post time"))
        c_title = tab.index("Video title", required=False)
        metric_cols = [(metric, tab.index(name)) for metric, name in METRICS]
        n = len(tab.rows)

        # One language for both date columns of the file.
        cells = [row[c_time] for row in tab.rows] + [row[c_posted] for row in tab.rows]
        columns = ["Time"] * n + ["Post time"] * n
        language, values = read_month_days(
            cells, "Time / Post time", lambda offset: tab.row_number(offset % n)
        )
        # The export day is the day after the last day of data when the as-of is a period's
        # end (`Overview` of the same export ends the day before `Time`): a day of slack, as
        # the engine allows, so that "February 28" exported with a period ending February 27
        # is not read as the year before.
        last = (doc.as_of or ministry_today()) + timedelta(days=1)
        numbers = {metric: counts(tab, col) for metric, col in metric_cols}

        posts: dict[str, PostRecord] = {}
        handles: set[str] = set()
        for offset, row in enumerate(tab.rows):
            row_number = tab.row_number(offset)
            exported, posted = values[offset], values[n + offset]
            for value, column in ((exported, columns[offset]), (posted, columns[n + offset])):
                if value is None:
                    raise ImportRefused("bad_date", column=column, row=row_number, value="")
            day = exported if isinstance(exported, date) else latest_on_or_before(exported, last)
            published = posted if isinstance(posted, date) else latest_on_or_before(posted, day)
            record, handle = video_post(
                row[c_link],
                row_number,
                published,
                row[c_title] if c_title is not None else None,
                {metric: numbers[metric][offset] for metric, _ in metric_cols},
            )
            handles.add(handle)
            add_post(posts, record)
        return Parsed(
            platform="tiktok",
            hints=AccountHints(handles=frozenset(handles)),
            posts=list(posts.values()),
            language=language if language != "en" else None,
        )
