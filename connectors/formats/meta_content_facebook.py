"""Meta Business Suite content export, Facebook: one row a post, lifetime values.

File `Jan-27-2025_Feb-23-2025_541651602373282.csv` (`MMM-DD-YYYY_MMM-DD-YYYY_<page id>.csv`):
the end date is the export's as-of, the number the page's id. UTF-8 with BOM. `Publish time`
is `03/25/2025 22:00`, local time without a zone. `Date` holds the word `Lifetime` (not read).

Header names are matched case-insensitively (`Reactions, comments and shares` and `...Comments
and Shares` both occur) through `columns`, a table of the names each column is known by; the
interface language changes them, so a language is supported by adding its names there. Only
English is in it: the Vietnamese names found so far come from third-party code, not from a
raw export, and the date order of a Vietnamese export is not known.

What is read: reactions, comments, shares, reach, total clicks; impressions from `Impressions`
where the export has it (2024 to early 2025), else from `Views`, which replaced it in 2025.
Video views are left unknown: `Views` counts views of every post type, not video plays, and the
video-only columns (`3-second video views`, ...) are not in the default export.
`Reactions, comments and shares` is not read as engagements: it is the sum of three columns
already read, not Facebook's engaged users.

Hints: `Page ID` and the id ending the file name as external ids (the name's id suffices, so
`Page ID` is not required; when present, all rows must name one page), `Page name` as display
name.

The Instagram export shares the machinery (`MetaContentExport`); see `meta_content_instagram`.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from datetime import datetime
from typing import ClassVar

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
from connectors.parse import (
    identifier,
    number,
    parse_datetime,
    period_in_name,
    sheet_where,
    table,
    text,
)

PUBLISH_FORMATS = ["%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"]
_FILE_ID = re.compile(r"^[A-Za-z]{3}-\d{1,2}-\d{4}_[A-Za-z]{3}-\d{1,2}-\d{4}_(?P<id>\d+)\b")


def id_in_filename(filename: str) -> str | None:
    """The page or account id ending a content export's name `Jan-27-2025_Feb-23-2025_<id>`."""
    m = _FILE_ID.match(filename)
    return m["id"] if m else None


class MetaContentExport(ExportFormat):
    """The Meta Business Suite content layout; a subclass per platform fills the tables.

    `columns` maps a key to the header names it is known by (first: the name used in
    messages); `required` are keys a file must have; `owner` is the key of the page or account
    id column (read when present: all rows must name one owner); `layout_keys` are keys whose
    presence, with `owner`'s, tells this platform's layout from the other's.
    """

    columns: ClassVar[dict[str, tuple[str, ...]]]
    required: ClassVar[tuple[str, ...]]
    owner: ClassVar[str]
    layout_keys: ClassVar[tuple[str, ...]]

    def _has(self, names: set[str], key: str) -> bool:
        return any(normalise(variant) in names for variant in self.columns[key])

    def _is_header(self, header: list[str]) -> bool:
        names = set(header)
        return (
            self._has(names, "post_id")
            and self._has(names, "publish_time")
            and any(self._has(names, key) for key in (self.owner, *self.layout_keys))
        )

    def detect(self, doc: Document) -> bool:
        return sheet_where(doc, self._is_header) is not None

    @abstractmethod
    def record(self, post_id: str, get: ContentRow) -> PostRecord:
        """One post from a row; `get` reads the row's cells by key."""

    @abstractmethod
    def hints(self, get: ContentRow) -> tuple[set[str], set[str]]:
        """(handles, display names) a row gives."""

    def read(self, doc: Document) -> Parsed:
        tab = table(sheet_where(doc, self._is_header) or [])
        cols = {key: tab.index(*names, required=False) for key, names in self.columns.items()}
        missing = [self.columns[key][0] for key in self.required if cols[key] is None]
        if missing:
            raise ImportRefused("missing_columns", columns=", ".join(missing))

        posts: dict[str, PostRecord] = {}
        owners: set[str] = set()
        handles: set[str] = set()
        names: set[str] = set()
        for offset, row in enumerate(tab.rows):
            get = ContentRow(self.columns, cols, row, tab.first_data_row + offset)
            post_id = get.id("post_id")
            if cols[self.owner] is not None:
                owners.add(get.id(self.owner))
            row_handles, row_names = self.hints(get)
            handles |= row_handles
            names |= row_names
            record = self.record(post_id, get)
            if post_id in posts and posts[post_id] != record:
                raise ImportRefused("duplicate_post", post=post_id)
            posts[post_id] = record
        if len(owners) > 1:
            raise ImportRefused("mixed_accounts", ids=", ".join(sorted(owners)))

        filename = doc.source.filename
        named_id = id_in_filename(filename)
        period = period_in_name(filename)
        return Parsed(
            platform=self.platform,
            # The name's id is a hint beside the column's: a file re-saved without its id
            # column, or renamed, still has the other.
            hints=AccountHints(
                external_ids=frozenset(owners | ({named_id} if named_id else set())),
                handles=frozenset(handles),
                display_names=frozenset(names),
            ),
            as_of=period[1] if period else None,
            period_start=period[0] if period else None,
            period_end=period[1] if period else None,
            posts=list(posts.values()),
        )


class ContentRow:
    """The cells of one data row, read by column key, with the row number for messages."""

    def __init__(
        self,
        names: dict[str, tuple[str, ...]],
        cols: dict[str, int | None],
        row: list[Cell],
        row_number: int,
    ) -> None:
        self._names = names
        self._cols = cols
        self._row = row
        self.row_number = row_number

    def cell(self, key: str) -> Cell:
        col = self._cols.get(key)
        return self._row[col] if col is not None else None

    def has(self, key: str) -> bool:
        return self._cols.get(key) is not None

    def text(self, key: str) -> str | None:
        return text(self.cell(key))

    def number(self, key: str) -> float | None:
        return number(self.cell(key), self._names[key][0], self.row_number)

    def id(self, key: str) -> str:
        return identifier(self.cell(key), self._names[key][0], self.row_number)

    def published(self) -> datetime | None:
        return parse_datetime(
            self.cell("publish_time"),
            PUBLISH_FORMATS,
            self._names["publish_time"][0],
            self.row_number,
        )


@register
class MetaContentFacebook(MetaContentExport):
    id = "meta_content_facebook"
    platform = "facebook"
    label = "Meta Business Suite content export (Facebook)"

    # Key -> header names it is known by. Add a language's names to the tuples.
    columns: ClassVar[dict[str, tuple[str, ...]]] = {
        "post_id": ("Post ID",),
        "page_id": ("Page ID",),
        "page_name": ("Page name",),
        "title": ("Title",),
        "description": ("Description",),
        "publish_time": ("Publish time",),
        "permalink": ("Permalink",),
        "post_type": ("Post type",),
        "views": ("Views",),
        "impressions": ("Impressions",),
        "reach": ("Reach",),
        "reactions": ("Reactions",),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "clicks": ("Total clicks",),
    }
    required = ("post_id", "publish_time", "reach", "reactions", "comments", "shares")
    owner = "page_id"
    layout_keys = ("page_name",)

    def record(self, post_id: str, get: ContentRow) -> PostRecord:
        return PostRecord(
            post_id=post_id,
            published=get.published(),
            text=get.text("title") or get.text("description"),
            permalink=get.text("permalink"),
            post_type=get.text("post_type"),
            reactions=get.number("reactions"),
            comments=get.number("comments"),
            shares=get.number("shares"),
            reach=get.number("reach"),
            impressions=get.number("impressions" if get.has("impressions") else "views"),
            clicks=get.number("clicks"),
        )

    def hints(self, get: ContentRow) -> tuple[set[str], set[str]]:
        name = get.text("page_name")
        return set(), {name} if name else set()
