"""Meta Business Suite content export of Facebook **videos**: one row a video, lifetime values.

Same file naming, encoding, `Publish time` and lifetime `Date` as the post export (see
`meta_content_facebook`, whose `MetaContentExport` reads both), but the header starts with
`Video asset ID` (`Identificador de la pieza de vídeo` in Spanish) and carries video metrics:
`3-second video views` (read as the video's views), `1-minute video views`, `Seconds viewed`,
audience-retention intervals and per-country views (not read). Reach, reactions, comments and
shares are read as in the post export. Rows are routed by `Page ID`, as there.
"""

from __future__ import annotations

from typing import ClassVar

from connectors.base import PostRecord, register
from connectors.formats.meta_content_facebook import ContentRow, MetaContentExport


@register
class MetaContentFacebookVideo(MetaContentExport):
    id = "meta_content_facebook_video"
    platform = "facebook"
    label = "Meta Business Suite content export (Facebook videos)"
    label_vi = "Meta Business Suite: tệp xuất nội dung (video Facebook)"

    # Key -> canonical column names; localised names are in connectors/header_aliases.csv.
    columns: ClassVar[dict[str, tuple[str, ...]]] = {
        "post_id": ("Video asset ID",),
        "page_id": ("Page ID",),
        "page_name": ("Page name",),
        "title": ("Title",),
        "description": ("Description",),
        "publish_time": ("Publish time",),
        "permalink": ("Permalink",),
        "data_comment": ("Data comment",),
        "date": ("Date",),
        "reach": ("Reach",),
        "video_views": ("3-second video views",),
        "reactions": ("Reactions",),
        "comments": ("Comments",),
        "shares": ("Shares",),
    }
    required = (
        "post_id",
        "publish_time",
        "reach",
        "video_views",
        "reactions",
        "comments",
        "shares",
    )
    owner = "page_id"
    owner_name = "page_name"
    signature = ("post_id", "publish_time")

    def record(self, post_id: str, get: ContentRow) -> PostRecord:
        return PostRecord(
            post_id=post_id,
            published=get.published(),
            text=get.text("title") or get.text("description"),
            permalink=get.text("permalink"),
            post_type="Videos",
            reactions=get.number("reactions"),
            comments=get.number("comments"),
            shares=get.number("shares"),
            reach=get.number("reach"),
            video_views=get.number("video_views"),
        )

    def hints(self, get: ContentRow) -> tuple[set[str], set[str]]:
        name = get.text("page_name")
        return set(), {name} if name else set()
