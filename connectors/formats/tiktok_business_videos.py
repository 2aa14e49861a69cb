"""TikTok business account analytics, videos: one row a video, lifetime totals.

```
Video title,Video link,Post time,Video views,Likes,Comments,Shares,Add to Favorites
Нормален следобед в Плевен 🤷‍♂️🍝 ...,https://www.tiktok.com/@vintagerest.bg/video/7567452112981069079,2025/10/31 18:19:10,172353,1774,42,413,180
```
Real file: `tiktok-business-en/vintagerest/TIKTOK_VIDEO_RAW.csv` (51 videos; Bulgarian captions
with emoji, commas and line breaks, quoted only when needed).

`Post time` is a full local date and time with a year (`2025/10/31 18:19:10`, no zone): stored
as the mission's local time. The post id is the number in the video link, the link's `@handle`
the account hint. Read: Video views → video_views, Likes → reactions, Comments → comments,
Shares → shares, Add to Favorites → saves; the caption is the post's text.
"""

from __future__ import annotations

from connectors.base import (
    AccountHints,
    Document,
    ExportFormat,
    Parsed,
    PostRecord,
    register,
)
from connectors.formats.tiktok_common import counts, video_post
from connectors.parse import add_post, parse_datetime

POST_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
METRICS = (
    ("video_views", "Video views"),
    ("reactions", "Likes"),
    ("comments", "Comments"),
    ("shares", "Shares"),
    ("saves", "Add to Favorites"),
)


@register
class TikTokBusinessVideos(ExportFormat):
    id = "tiktok_business_videos"
    platform = "tiktok"
    label = "TikTok business account analytics: videos"
    label_vi = "Phân tích tài khoản doanh nghiệp TikTok: video"
    required_columns = ("Video link", "Post time", "Video views", "Likes", "Comments", "Shares")
    optional_columns = ("Video title", "Add to Favorites")

    def detect(self, doc: Document) -> bool:
        header = set(self.header(doc))
        return {"video link", "post time", "video views"} <= header and "time" not in header

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_link, c_posted = tab.index("Video link"), tab.index("Post time")
        c_title = tab.index("Video title", required=False)
        cols = [(metric, tab.index(name, required=metric != "saves")) for metric, name in METRICS]
        numbers = {metric: counts(tab, col) for metric, col in cols if col is not None}
        posts: dict[str, PostRecord] = {}
        handles: set[str] = set()
        for offset, row in enumerate(tab.rows):
            row_number = tab.row_number(offset)
            record, handle = video_post(
                row[c_link],
                row_number,
                parse_datetime(row[c_posted], POST_TIME_FORMATS, "Post time", row_number),
                row[c_title] if c_title is not None else None,
                {metric: values[offset] for metric, values in numbers.items()},
            )
            handles.add(handle)
            add_post(posts, record)
        return Parsed(
            platform="tiktok",
            hints=AccountHints(handles=frozenset(handles)),
            posts=list(posts.values()),
        )
