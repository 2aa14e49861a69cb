"""LinkedIn Page content export: `<vanity name>_content_<epoch ms>.xls` (Page analytics →
Content → Export), two sheets read together.

Real files: `linkedin-page-xls-en/shorthills-ai/shorthills-ai_content_1766385907708 1.xls`
(pristine BIFF8: 365 days, 168 posts, a one-cell description above each header) and
`linkedin-page-content-resaved/proefficient/pro-efficient-data-entry_content_1742193384396`
`.xls` / `.xlsx` (re-saved by the owner without the description rows: 30 days, 8 posts). The
header row, dates, export day and account mapping are described in `linkedin_common`.

**`Metrics`**, a row a day (UTC) the Page's posts were seen: `Date, Impressions (organic),
Impressions (sponsored), Impressions (total), Unique impressions (organic), Clicks (…),
Reactions (…), Comments (…), Reposts (…), Engagement rate (…)`, each count split `(organic)`,
`(sponsored)`, `(total)`; older files say `Shares (…)` for `Reposts (…)` (header aliases). Read
as daily values, from the `(total)` columns:

- impressions = `Impressions (total)`; reactions, comments, shares = `Reactions (total)`,
  `Comments (total)`, `Reposts (total)`;
- link_clicks = `Clicks (total)`: LinkedIn counts clicks on the post, the Page's name or logo,
  the nearest the export has to link clicks;
- reach = `Unique impressions (organic)`, **only on days without sponsored impressions**:
  LinkedIn gives unique impressions of organic posts only, so on a day with sponsored
  impressions the Page's reach is not known (stored as unknown rather than undercounted);
- `Engagement rate (…)` is a ratio (it can exceed 1), not a count: not stored;
- **negative days**: LinkedIn's daily counts are changes of the posts' counts, and a day when
  more comments or reposts were deleted than made is negative (shorthills: comments -3 on
  2025-01-12, -1 on 01-31 and 09-16; reposts -1 on 01-12, 05-27, 07-05, 08-04). How many
  comments were made that day is then not known: the value is left out (unknown), not stored
  as a count, and the import line says how many such values there were. The other days are
  kept as LinkedIn gives them.

**`All posts`**, a row a post: `Post title, Post link, Post type, Campaign name, Posted by,
Created date, Campaign start date, Campaign end date, Audience, Impressions, Views, Offsite
Views, Clicks, Click through rate (CTR), Likes, Comments, Reposts, Follows, Engagement rate,
Content Type`; lifetime values as of the export day. Read:

- post id: the number of the link's `urn:li:activity:<id>`
  (`https://www.linkedin.com/feed/update/urn:li:activity:7407682070921207808`, every real
  link), or of a `/posts/<slug>-activity-<id>-…` link; a `urn:li:share:` / `urn:li:ugcPost:`
  link gives `share:<id>` / `ugcPost:<id>` (other numbers than the activity's);
- published = `Created date` (a UTC day, `MM/DD/YYYY`); text = `Post title` (the post's text);
  permalink = `Post link`; post_type = `Content Type` (`Video`; empty for other posts, unknown);
  `Post type` (`Organic`/`Sponsored`) says how it was distributed, not what it is: not read;
- impressions, clicks, comments = the columns of those names; reactions = `Likes` (LinkedIn
  counts all reactions there); shares = `Reposts`;
- video_views = `Views`: filled only for video posts (the 11 `Content Type` `Video` rows of
  the shorthills file, empty on the other 157), so these are video views;
- `Click through rate (CTR)` and `Engagement rate` are ratios (CTR `1.87` in the real file:
  clicks can outnumber impressions), not counts: not stored. `Offsite Views`, `Follows` (empty
  in every real file) are not read. Reach is not in the export: unknown.

Empty cells (`""` in the pristine file) are unknown, never 0.
"""

from __future__ import annotations

import re
from datetime import date

from connectors.base import (
    DailyValue,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
    register,
)
from connectors.formats.linkedin_common import (
    day,
    days_of,
    export_day,
    find_sheets,
    has_columns,
)
from connectors.parse import Table, add_post, daily_values, text

METRICS_KEY = ("Date", "Impressions (total)", "Clicks (total)")
POSTS_KEY = ("Post link", "Created date", "Likes")
# (daily metric, `Metrics` column): the `(total)` columns
DAILY_COLUMNS = (
    ("impressions", "Impressions (total)"),
    ("link_clicks", "Clicks (total)"),
    ("reactions", "Reactions (total)"),
    ("comments", "Comments (total)"),
    ("shares", "Reposts (total)"),
)
_ACTIVITY = re.compile(r"urn:li:activity:(?P<id>\d+)")
_OTHER_URN = re.compile(r"urn:li:(?P<kind>share|ugcPost):(?P<id>\d+)")
_POSTS_LINK = re.compile(r"/posts/[^/?#]*-activity-(?P<id>\d+)-")


def post_id_of(link: str) -> str | None:
    """The post id in a LinkedIn post link (see the module's docstring), or None."""
    m = _ACTIVITY.search(link) or _POSTS_LINK.search(link)
    if m:
        return m["id"]
    m = _OTHER_URN.search(link)
    return f"{m['kind']}:{m['id']}" if m else None


@register
class LinkedInContent(ExportFormat):
    id = "linkedin_content"
    platform = "linkedin"
    label = "LinkedIn Page content export"
    label_vi = "Trang LinkedIn: tệp xuất nội dung"
    required_columns = ("Date", *(column for _, column in DAILY_COLUMNS), *POSTS_KEY)
    optional_columns = (
        "Impressions (sponsored)",
        "Unique impressions (organic)",
        "Post title",
        "Content Type",
        "Impressions",
        "Views",
        "Clicks",
        "Comments",
        "Reposts",
    )

    def detect(self, doc: Document) -> bool:
        return bool(
            find_sheets(self, doc, has_columns(*METRICS_KEY))
            or find_sheets(self, doc, has_columns(*POSTS_KEY))
        )

    def read(self, doc: Document) -> Parsed:
        daily: list[DailyValue] = []
        days: list[date] = []
        removals = 0
        for sheet, at in find_sheets(self, doc, has_columns(*METRICS_KEY)):
            tab = self.table(doc, doc.sheets[sheet], header_row=at)
            sheet_daily, sheet_days, sheet_removals = self._metrics(tab)
            daily += sheet_daily
            days += sheet_days
            removals += sheet_removals
        posts: dict[str, PostRecord] = {}
        for sheet, at in find_sheets(self, doc, has_columns(*POSTS_KEY)):
            tab = self.table(doc, doc.sheets[sheet], header_row=at)
            for record in self._posts(tab):
                add_post(posts, record)
        return Parsed(
            platform="linkedin",
            as_of=export_day(doc.source.filename),
            period_start=min(days, default=None),
            period_end=max(days, default=None),
            posts=list(posts.values()),
            daily=daily,
            # said on the import line: those days' counts are unknown, not lost in silence
            skipped={"linkedin_net_removal": removals} if removals else {},
        )

    def _metrics(self, tab: Table) -> tuple[list[DailyValue], list[date], int]:
        """The daily values of a `Metrics` sheet, its days, and how many negative values
        were left out."""
        days = days_of(tab, "Date")
        columns = [(metric, tab.index(column)) for metric, column in DAILY_COLUMNS]
        # a negative day is a net removal, not a count of that day's events: unknown (the
        # import line says how many)
        read = daily_values(tab, days, columns)  # type: ignore[arg-type]
        daily = [value for value in read if value.value is None or value.value >= 0]
        removals = len(read) - len(daily)
        unique = tab.index("Unique impressions (organic)", required=False)
        sponsored = tab.index("Impressions (sponsored)", required=False)
        if unique is not None and sponsored is not None:
            reach: dict[date, float] = {}
            for when, organic_unique, paid in zip(
                days, tab.numbers(unique), tab.numbers(sponsored), strict=True
            ):
                # organic unique impressions are the day's reach only when nothing was sponsored
                if when is not None and organic_unique is not None and paid == 0:
                    reach[when] = organic_unique
            daily += [DailyValue(when, "reach", value) for when, value in reach.items()]
        return daily, [d for d in days if d is not None], removals

    def _posts(self, tab: Table) -> list[PostRecord]:
        c_link = tab.index("Post link")
        c_created = tab.index("Created date")
        c_title = tab.index("Post title", required=False)
        c_type = tab.index("Content Type", required=False)

        def column(*names: str) -> list[float | None]:
            col = tab.index(*names, required=False)
            return tab.numbers(col) if col is not None else [None] * len(tab.rows)

        impressions = column("Impressions")
        video_views = column("Views")
        clicks = column("Clicks")
        likes = column("Likes")
        comments = column("Comments")
        reposts = column("Reposts")
        records = []
        for i, row in enumerate(tab.rows):
            link = text(row[c_link])
            if link is None:
                raise ImportRefused("missing_id", column="Post link", row=tab.row_number(i))
            post_id = post_id_of(link)
            if post_id is None:
                raise ImportRefused(
                    "linkedin_bad_post_link", row=tab.row_number(i), value=link[:120]
                )
            records.append(
                PostRecord(
                    post_id=post_id,
                    published=day(row[c_created], "Created date", tab.row_number(i)),
                    text=text(row[c_title]) if c_title is not None else None,
                    permalink=link,
                    post_type=text(row[c_type]) if c_type is not None else None,
                    reactions=likes[i],
                    comments=comments[i],
                    shares=reposts[i],
                    impressions=impressions[i],
                    video_views=video_views[i],
                    clicks=clicks[i],
                )
            )
        return records
