"""Meta Business Suite content export, Instagram: one row a post, lifetime values.

Same file naming, encoding and time format as the Facebook content export (see
`meta_content_facebook`, whose `MetaContentExport` reads both): `Jan-27-2025_Feb-23-2025_<id>.csv`,
`Publish time` `03/25/2025 22:00` in local time, `Date` = `Lifetime` (not read).

What is read: likes (as reactions), comments, shares, saves, reach; impressions from
`Impressions` where the export has it (before 2025), else from `Views`. Video views are left
unknown: `Views` counts views of every post type, not video plays. `Follows` (follows that a
post brought) is an account-level figure and is not read.

Hints: `Account ID` (and the id ending the file name) as external ids, `Account username` as a
handle, `Account name` as a display name. All rows must belong to one account.
"""

from __future__ import annotations

from typing import ClassVar

from connectors.base import PostRecord, register
from connectors.formats.meta_content_facebook import ContentRow, MetaContentExport


@register
class MetaContentInstagram(MetaContentExport):
    id = "meta_content_instagram"
    platform = "instagram"
    label = "Meta Business Suite content export (Instagram)"
    label_vi = "Meta Business Suite: tệp xuất nội dung (Instagram)"

    # Key -> header names it is known by. Add a language's names to the tuples.
    columns: ClassVar[dict[str, tuple[str, ...]]] = {
        "post_id": ("Post ID",),
        "account_id": ("Account ID",),
        "account_username": ("Account username",),
        "account_name": ("Account name",),
        "description": ("Description",),
        "publish_time": ("Publish time",),
        "permalink": ("Permalink",),
        "post_type": ("Post type",),
        "data_comment": ("Data comment",),
        "date": ("Date",),
        "views": ("Views",),
        "impressions": ("Impressions",),
        "reach": ("Reach",),
        "likes": ("Likes",),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "saves": ("Saves",),
    }
    required = ("post_id", "publish_time", "reach", "likes", "comments", "shares")
    owner = "account_id"
    owner_name = "account_name"
    signature = ("post_id", "publish_time", "account_username")

    def record(self, post_id: str, get: ContentRow) -> PostRecord:
        return PostRecord(
            post_id=post_id,
            published=get.published(),
            text=get.text("description"),
            permalink=get.text("permalink"),
            post_type=get.post_type(),
            reactions=get.number("likes"),
            comments=get.number("comments"),
            shares=get.number("shares"),
            saves=get.number("saves"),
            reach=get.number("reach"),
            impressions=get.number("impressions" if get.has("impressions") else "views"),
        )

    def hints(self, get: ContentRow) -> tuple[set[str], set[str]]:
        handle = get.text("account_username")
        name = get.text("account_name")
        return ({handle.lstrip("@")} if handle else set()), ({name} if name else set())
