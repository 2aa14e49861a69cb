"""X account analytics, "Content" export (x.com/i/account_analytics), both known variants.

File `account_analytics_content_<YYYY-MM-DD>_<YYYY-MM-DD>.csv` (sometimes with the handle put
in front by whoever saved it): one row a post, lifetime counts as of the export.

| variant | link column | shares-by-link column | `Date`               |
|---------|-------------|-----------------------|----------------------|
| 2026    | `Post Link` | `Shares`              | `"Sat, Aug 15, 2026"` |
| 2025    | `Link`      | `Share`               | `Thu Mar 20 2025`    |

`Date` is a date only, so `published` is a `date` (no local time can be derived). Reposts are
the shares. `Shares`/`Share` count posts sent by link or direct message: not reposts, not
clicks, so they are not read. `Bookmarks` are saves and `URL Clicks` clicks; both are read when
the columns are there and unknown otherwise.
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
from connectors.parse import (
    add_post,
    identifier,
    number,
    parse_date,
    period_in_name,
    text,
    x_handle_from_link,
)

DATE_FORMATS = ["%a, %b %d, %Y", "%a %b %d %Y"]
REQUIRED = (
    ("impressions", ("Impressions",)),
    ("reactions", ("Likes",)),
    ("engagements", ("Engagements",)),
    ("comments", ("Replies",)),
    ("shares", ("Reposts",)),
)
OPTIONAL = (
    ("saves", ("Bookmarks",)),
    ("clicks", ("URL Clicks",)),
)


@register
class XContent(ExportFormat):
    id = "x_content"
    platform = "x"
    label = "X account analytics: content"
    label_vi = "Phân tích tài khoản X: nội dung"
    # `Post Link` is also read as `Link` (older files)
    required_columns = (
        "Post id",
        "Date",
        "Post text",
        "Post Link",
        *(names[0] for _, names in REQUIRED),
    )
    optional_columns = tuple(names[0] for _, names in OPTIONAL)

    def detect(self, doc: Document) -> bool:
        header = set(self.header(doc))
        return {"post id", "date", "post text"} <= header and bool({"post link", "link"} & header)

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_id = tab.index("Post id")
        c_date = tab.index("Date")
        c_text = tab.index("Post text")
        c_link = tab.index("Post Link", "Link")
        columns = [(field, tab.index(*names)) for field, names in REQUIRED]
        columns += [(field, tab.index(*names, required=False)) for field, names in OPTIONAL]

        posts: dict[str, PostRecord] = {}
        handles: set[str] = set()
        for offset, row in enumerate(tab.rows):
            row_number = tab.first_data_row + offset
            post_id = identifier(row[c_id], "Post id", row_number)
            link = text(row[c_link])
            handle = x_handle_from_link(link)
            if handle:
                handles.add(handle)
            record = PostRecord(
                post_id=post_id,
                published=parse_date(row[c_date], DATE_FORMATS, "Date", row_number),
                text=text(row[c_text]),
                permalink=link,
                **{
                    field: None if col is None else number(row[col], tab.columns[col], row_number)
                    for field, col in columns
                },
            )
            add_post(posts, record)

        parsed = Parsed(
            platform="x", hints=AccountHints(handles=frozenset(handles)), posts=list(posts.values())
        )
        period = period_in_name(doc.source.filename, doc.source.container)
        if period:
            parsed.period_start, parsed.period_end = period
            parsed.as_of = period[1]
        return parsed
