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

**Workbooks with breakdown sheets** (LOK Vietnam, `Facebook Insights Data Export (Post Level) -
LOK - 2017-07-27.xls` / `.xlsx`, 2017-10-22, 2017-11-19): `Key Metrics` holds no Stories
columns; the breakdown is its own worksheet, `Lifetime Post Stories by act...` (the title cut
at 31 characters), with `Description` in column A (the metric's description in the first post's
row, "Lifetime: The number of stories created about your Page post, by action type. (Total
Count)"), the post's `Post ID`, `Permalink`, ..., `Audience Targeting`, then one column per
action type (`share, like, comment`). Its rows are joined to `Key Metrics` by `Post ID`, and
the same breakdown rule applies. (The `Lifetime Talking About This(...` sheet has the same
columns but counts people: not read.) `Posted` is a real datetime there, still the page's
local time; `Audience Targeting` is a single space.

**Raw API metric keys.** The July 2017 LOK exports head `Key Metrics` with the Graph API's keys;
the October one of the same page has titles, and both files' description rows (row 2) say the
same for each pair, which is how the header aliases (`header_aliases.csv`) were checked:
`post_impressions_unique:lifetime` = `Lifetime Post Total Reach` ("Lifetime: The total number
of people your Page post was served to. (Unique Users)"), `post_impressions:lifetime` =
`Lifetime Post Total Impressions` ("Lifetime: The number of impressions of your Page post.
(Total Count)"), `post_engaged_users:lifetime` = `Lifetime Engaged Users` ("Lifetime: The
number of unique people who engaged in certain ways with your Page post, for example by
commenting on, liking, sharing, or clicking upon particular elements of the post. (Unique
Users)"), `post_consumptions_unique:lifetime` = `Lifetime Post Consumers` ("Lifetime: The
number of people who clicked anywhere in your post. (Unique Users)").

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
    normalise,
    register,
)
from connectors.formats.facebook_legacy_page import description_rows, page_name_in_filename
from connectors.parse import (
    Table,
    add_post,
    dates_in_name,
    identifier,
    number,
    parse_datetime,
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


# The workbook's Stories sheet (its name cut at 31 characters) and the columns that describe
# the post on every breakdown sheet; the other columns are the action types.
STORIES_SHEET = "lifetime post stories by act"
POST_COLUMNS = {
    "description",
    "post id",
    "permalink",
    "post message",
    "type",
    "countries",
    "languages",
    "posted",
    "audience targeting",
}


def _stories_sheet(doc: Document) -> dict[str, dict[str, float | None]] | None:
    """Post id -> {action type: count} from the workbook's Stories sheet, or None without one."""
    rows = next(
        (
            rows
            for name, rows in doc.sheets.items()
            if normalise(name).startswith(STORIES_SHEET) and rows
        ),
        None,
    )
    if rows is None:
        return None
    header = [normalise(c) for c in rows[0]]
    if "post id" not in header:
        raise ImportRefused("missing_columns", columns=f"{STORIES.strip(' -')}: Post ID")
    c_id = header.index("post id")
    actions = {i: name for i, name in enumerate(header) if name and name not in POST_COLUMNS}
    by_post: dict[str, dict[str, float | None]] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        if not row or all(c is None or str(c).strip() == "" for c in row):
            continue
        cell = row[c_id] if c_id < len(row) else None
        post_id = identifier(cell, "Post ID", row_number)
        values = {
            action: number(row[i] if i < len(row) else None, STORIES + action, row_number)
            for i, action in actions.items()
        }
        if by_post.setdefault(post_id, values) != values:
            raise ImportRefused("duplicate_post", post=post_id)
    return by_post


def _breakdown(values: dict[str, float | None]) -> dict[str, float | None]:
    """Reactions, comments and shares from one post's action counts, by the breakdown rule."""
    if all(value is None for value in values.values()):
        return dict.fromkeys(ACTIONS)
    return {field: values.get(action) or 0.0 for field, action in ACTIONS.items()}


def _actions(row: list[Cell], group: dict[str, int], row_number: int) -> dict[str, float | None]:
    """Reactions, comments and shares of one post from the Stories columns of its row."""
    return _breakdown(
        {action: number(row[col], STORIES + action, row_number) for action, col in group.items()}
    )


@register
class FacebookLegacyPosts(ExportFormat):
    id = "facebook_legacy_posts"
    platform = "facebook"
    label = "Facebook Page Insights (legacy export, post level)"
    label_vi = "Facebook Page Insights (bản xuất cũ, cấp bài đăng)"
    required_columns = REQUIRED
    # the Stories breakdown: at least one of its columns (see the docstring)
    optional_columns = (
        "Post Message",
        "Permalink",
        "Type",
        *list(METRICS.values())[3:],
        *(STORIES + action for action in ACTIONS.values()),
    )

    def _sheet(self, doc: Document) -> list[list[Cell]] | None:
        """The rows of the first sheet whose header (raw API keys read as their titles) is the
        post-level one."""
        for name, rows in doc.sheets.items():
            if rows and _is_post_header(self.header(doc, 0, name)):
                return rows
        return None

    def detect(self, doc: Document) -> bool:
        return self._sheet(doc) is not None

    def read(self, doc: Document) -> Parsed:
        rows = self._sheet(doc) or []
        skip = description_rows(rows)
        tab = self.table(
            doc, rows, skip=skip, merge_copies=False, pad_short_rows=doc.kind == "xlsx"
        )
        missing = [name for name in REQUIRED if not tab.has(name)]
        group = _stories_group(tab)
        stories = None if group else _stories_sheet(doc)
        if not group and stories is None:
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
                **(
                    _actions(row, group, row_number)
                    if group
                    else _breakdown((stories or {}).get(post_id, {}))
                ),
                **{
                    field: number(row[col], METRICS[field], row_number)
                    for field, col in metric_columns.items()
                },
            )
            record.owner = page_id
            add_post(posts, record)

        if stories is not None and (extra := sorted(set(stories) - set(posts))):
            # A breakdown row of a post Key Metrics does not have: the sheets do not belong
            # together (a workbook assembled by hand); nothing is joined by guess.
            raise ImportRefused("legacy_breakdown_post", post=extra[0], sheet=STORIES.strip(" -"))
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
