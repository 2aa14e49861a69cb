"""Facebook Page Insights legacy export, post level: one row a post, lifetime values.

File `Facebook Insights Data Export (Post Level) - <Page name> - YYYY-MM-DD.csv` (or `.xlsx`;
the table may sit on any sheet, `Key Metrics` or a metric's title cut at 31 characters, so the
sheet is found by its header). Quirks read here: a UTF-8 BOM; row 2 is a description row whose
first 8 cells are empty; `Post ID` is `<page id>_<post id>`; `Posted` is `07/15/2020 09:32:49
AM` in the page's local time, without a zone; texts keep their newlines, emoji and HTML entities
(`&quot;`) as exported.

Reactions, comments and shares are the `Lifetime Post Stories by action type - like / comment /
share` columns, which count actions. (`Talking About This` counts unique people: not read.)
That group is a breakdown: Facebook writes a column only for the action types that occur in
the export (`- answer` appears in some files) and leaves a cell empty when the post had none of
that type. So in a row where some cell of the group is filled, an empty or absent sub-column is
0; a row whose whole group is empty has unknown (None) actions.

The page id (from `Post ID`) is the account hint, with the page name in the file name. A file
whose posts belong to several pages has each post routed to its page's account.
"""

from __future__ import annotations

from connectors.base import (
    AccountHints,
    Cell,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
    register,
)
from connectors.formats.facebook_legacy_page import description_rows, page_name_in_filename
from connectors.parse import (
    Table,
    dates_in_name,
    identifier,
    number,
    parse_datetime,
    sheet_where,
    text,
)

POSTED_FORMATS = ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S"]
STORIES = "Lifetime Post Stories by action type - "
# PostRecord field -> the action type of the Stories breakdown it is read from.
ACTIONS = {"reactions": "like", "comments": "comment", "shares": "share"}
# PostRecord field -> column; the first three are required, the others are read when present.
METRICS = {
    "reach": "Lifetime Post Total Reach",
    "impressions": "Lifetime Post Total Impressions",
    "engagements": "Lifetime Engaged Users",
    "clicks": "Lifetime Post Consumers",
    "video_views": "Lifetime Post Total Video Views",
}
REQUIRED = ("Post ID", "Posted", *list(METRICS.values())[:3])


def _is_post_header(header: list[str]) -> bool:
    # `Post ID` and `Posted` with lifetime post metrics: the legacy post-level layout. (The Meta
    # Business Suite export says `Publish time`, not `Posted`.)
    names = set(header)
    return {"post id", "posted"} <= names and any(name.startswith("lifetime ") for name in names)


def _stories_group(tab: Table) -> dict[str, int]:
    """Action type -> column of the `Post Stories by action type` breakdown."""
    prefix = STORIES.lower()
    return {
        name[len(prefix) :].strip(): i
        for i, name in enumerate(tab.columns)
        if name.startswith(prefix)
    }


def _actions(row: list[Cell], group: dict[str, int], row_number: int) -> dict[str, float | None]:
    """Reactions, comments and shares of one post, by the breakdown rule in the docstring."""
    values = {
        action: number(row[col], STORIES + action, row_number) for action, col in group.items()
    }
    if all(value is None for value in values.values()):
        return dict.fromkeys(ACTIONS)
    return {field: values.get(action) or 0.0 for field, action in ACTIONS.items()}


@register
class FacebookLegacyPosts(ExportFormat):
    id = "facebook_legacy_posts"
    platform = "facebook"
    label = "Facebook Page Insights (legacy export, post level)"

    def detect(self, doc: Document) -> bool:
        return sheet_where(doc, _is_post_header) is not None

    def read(self, doc: Document) -> Parsed:
        rows = sheet_where(doc, _is_post_header) or []
        skip = description_rows(rows)
        tab = self.table(doc, rows, skip=skip, merge_copies=False)
        missing = [name for name in REQUIRED if not tab.has(name)]
        group = _stories_group(tab)
        if not group:
            missing += [STORIES + action for action in ACTIONS.values()]
        if missing:
            raise ImportRefused("missing_columns", columns=", ".join(missing))
        c_id = tab.index("Post ID")
        c_posted = tab.index("Posted")
        c_message = tab.index("Post Message", required=False)
        c_link = tab.index("Permalink", required=False)
        c_type = tab.index("Type", required=False)
        metric_columns = {
            field: col
            for field, name in METRICS.items()
            if (col := tab.index(name, required=False)) is not None
        }

        def cell(row: list[Cell], col: int | None) -> str | None:
            return text(row[col]) if col is not None else None

        posts: dict[str, PostRecord] = {}
        pages: set[str] = set()
        first_row = tab.first_data_row + len(skip)  # for messages
        for offset, row in enumerate(tab.rows):
            row_number = first_row + offset
            post_id = identifier(row[c_id], "Post ID", row_number)
            page_id, _, own_id = post_id.partition("_")
            if not (page_id.isdigit() and own_id.isdigit()):
                raise ImportRefused("bad_post_id", column="Post ID", row=row_number, value=post_id)
            pages.add(page_id)
            record = PostRecord(
                post_id=post_id,
                published=parse_datetime(row[c_posted], POSTED_FORMATS, "Posted", row_number),
                text=cell(row, c_message),
                permalink=cell(row, c_link),
                post_type=cell(row, c_type),
                **_actions(row, group, row_number),
                **{
                    field: number(row[col], METRICS[field], row_number)
                    for field, col in metric_columns.items()
                },
            )
            record.owner = page_id
            if post_id in posts and posts[post_id] != record:
                raise ImportRefused("duplicate_post", post=post_id)
            posts[post_id] = record

        name = page_name_in_filename(doc.source.filename)
        named_dates = dates_in_name(doc.source.filename)
        return Parsed(
            platform="facebook",
            hints=AccountHints(
                external_ids=frozenset(pages),
                display_names=frozenset({name} if name else ()),
            ),
            as_of=named_dates[-1] if named_dates else None,
            posts=list(posts.values()),
            # Several pages in one file: each post goes to its page's account (the engine
            # routes the rows by `owner` and reports pages the registry does not know).
            owners=dict.fromkeys(sorted(pages)) if len(pages) > 1 else {},
        )
