"""Meta Business Suite content exports: one row a post (or video), lifetime values.

File `Jan-27-2025_Feb-23-2025_541651602373282.csv` (`MMM-DD-YYYY_MMM-DD-YYYY_<id>.csv`): the end
date is the export's as-of. UTF-8 with BOM. `Publish time` is `03/25/2025 22:00` (month first in
every interface language), local time without a zone. `Date` holds the word for "lifetime" in
the interface language (`Lifetime`, `Trọn đời`, `Livstid`, `Total`): any other value is refused,
since a post's lifetime values are all this reader knows how to store.

Headers follow the interface language: they are read through the header aliases
(`connectors/header_aliases.csv`, plus the registry's `header_aliases.csv`), so a language is
supported by adding its names there. What real files do, and is read here:

- **many pages or accounts in one file** (a Business Manager export): each row names its page
  (`Page ID`) or account (`Account ID`); the rows are routed by it, and the engine reports rows
  of pages the registry does not know;
- wholly empty rows, and ragged rows whose trailing empty cells were dropped;
- a column written twice, or a localised column with its English copy appended later (values
  sometimes only in the copy): one column, the value from whichever copy carries it;
- raw metric keys (`IMPRESSION:UNIQUE_USERS`, unique users reached: a copy of `Reach`);
- localised post types (`Ảnh`, `Foton`, `IG-bild`) stored as the English word.

What is read: reactions, comments, shares, reach, total clicks; impressions from `Impressions`
where the export has it (2024 to early 2025), else from `Views`, which replaced it in 2025.
Video views are left unknown in post exports: `Views` counts views of every post type, not
video plays. `Reactions, comments and shares` is not read: it is the sum of three columns read.

The Instagram export (`meta_content_instagram`) and the Facebook video export
(`meta_content_facebook_video`) share the machinery (`MetaContentExport`).
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from connectors.aliases import canonical_value, is_lifetime
from connectors.base import (
    AccountHints,
    Cell,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
    combine_parts,
    normalise,
    register,
)
from connectors.parse import (
    Table,
    identifier,
    parse_datetime,
    period_in_name,
    text,
)
from data.languages import iso_code

PUBLISH_FORMATS = ["%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"]
_FILE_ID = re.compile(r"^[A-Za-z]{3}-\d{1,2}-\d{4}_[A-Za-z]{3}-\d{1,2}-\d{4}_(?P<id>\d+)\b")


def id_in_filename(filename: str) -> str | None:
    """The page or account id ending a content export's name `Jan-27-2025_Feb-23-2025_<id>`."""
    m = _FILE_ID.match(filename)
    return m["id"] if m else None


class MetaContentExport(ExportFormat):
    """The Meta Business Suite content layout; a subclass per export fills the tables.

    `columns` maps a key to the canonical column names it is read from (first: the name used
    in messages); `required` are keys a file must have; `owner` is the key of the page or
    account id column and `owner_name` of its name; `signature` are keys whose presence tells
    this layout from the others.
    """

    reads_in_chunks = True
    columns: ClassVar[dict[str, tuple[str, ...]]]
    required: ClassVar[tuple[str, ...]]
    owner: ClassVar[str]
    owner_name: ClassVar[str]
    signature: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "columns" in cls.__dict__:
            cls.required_columns = tuple(cls.columns[key][0] for key in cls.required)
            cls.optional_columns = tuple(
                name
                for key, names in cls.columns.items()
                if key not in cls.required
                for name in names
            )

    def merge_duplicate(
        self, first: PostRecord, again: PostRecord, skipped: dict[str, int]
    ) -> PostRecord:
        """One post listed twice (multi-page exports repeat some, one copy often with fewer
        cells): the values of both rows. Descriptions must agree; where both rows give a
        lifetime count and they differ (the Swedish export has 576,842 and 576,843 views of one
        post), the larger is kept: lifetime counts only grow, so it is the later reading."""
        skipped["listed_twice"] = skipped.get("listed_twice", 0) + 1
        return _merged(first, again)

    def _is_header(self, header: list[str]) -> bool:
        names = set(header)
        return all(
            any(normalise(variant) in names for variant in self.columns[key])
            for key in self.signature
        )

    def _sheet(self, doc: Document) -> list[list[Cell]] | None:
        for name, rows in doc.sheets.items():
            if rows and self._is_header(self.header(doc, 0, sheet=name)):
                return rows
        return None

    def detect(self, doc: Document) -> bool:
        return self._sheet(doc) is not None

    @abstractmethod
    def record(self, post_id: str, get: ContentRow) -> PostRecord:
        """One post from a row; `get` reads the row's cells by key."""

    @abstractmethod
    def hints(self, get: ContentRow) -> tuple[set[str], set[str]]:
        """(handles, display names) a row gives."""

    def read(self, doc: Document) -> Parsed:
        return combine_parts(self, self.read_parts(doc))

    def read_parts(self, doc: Document) -> Iterator[Parsed]:
        # A large export comes in chunks of rows (`tables`): a part per chunk with its posts,
        # then a last part describing the file (owners, names, repeats).
        owners: dict[str, str | None] = {}
        handles: set[str] = set()
        names: set[str] = set()
        skipped: dict[str, int] = {}
        language = None
        for tab in self.tables(doc, self._sheet(doc) or [], pad_short_rows=True):
            language = tab.language
            cols = {key: tab.index(*names, required=False) for key, names in self.columns.items()}
            missing = [self.columns[key][0] for key in self.required if cols[key] is None]
            if missing:
                raise ImportRefused("missing_columns", columns=", ".join(missing))
            posts: dict[tuple[str | None, str], PostRecord] = {}
            for offset, row in enumerate(tab.rows):
                get = ContentRow(self.columns, cols, row, tab, offset)
                if get.text("post_id") is None and get.text("data_comment") is not None:
                    # Meta's own error rows ("An error occurred while computing metadata for
                    # content with ID …"): no post id, page or time to store them under.
                    skipped["meta_error_row"] = skipped.get("meta_error_row", 0) + 1
                    continue
                post_id = get.id("post_id")
                owner = get.id(self.owner) if cols[self.owner] is not None else None
                if owner is not None:
                    owners.setdefault(owner, None)
                    owners[owner] = owners[owner] or get.text(self.owner_name)
                period = get.text("date")
                if period is not None and not is_lifetime(period):
                    raise ImportRefused(
                        "not_lifetime",
                        column=self.columns["date"][0],
                        row=get.row_number,
                        value=period,
                    )
                row_handles, row_names = self.hints(get)
                handles |= row_handles
                names |= row_names
                record = self.record(post_id, get)
                record.owner = owner
                key = (owner, post_id)
                posts[key] = (
                    self.merge_duplicate(posts[key], record, skipped) if key in posts else record
                )
            yield Parsed(platform=self.platform, posts=list(posts.values()))

        filename = doc.source.filename
        named_id = id_in_filename(filename)
        period = period_in_name(filename)
        several = len(owners) > 1
        yield Parsed(
            platform=self.platform,
            # The name's id is a hint beside the column's: a file re-saved without its id
            # column, or renamed, still has the other. A file of several pages is routed row by
            # row; its name's id is the business's, not a page's.
            hints=AccountHints(
                external_ids=frozenset(
                    set(owners) | ({named_id} if named_id and not owners else set())
                ),
                handles=frozenset() if several else frozenset(handles),
                display_names=frozenset() if several else frozenset(names),
            ),
            as_of=period[1] if period else None,
            period_start=period[0] if period else None,
            period_end=period[1] if period else None,
            owners=owners if several else {},
            language=language,
            skipped=skipped,
        )


_LIFETIME_COUNTS = frozenset(
    ("reactions", "comments", "shares", "reach", "impressions", "video_views", "clicks", "saves")
)


def _merged(first: PostRecord, again: PostRecord) -> PostRecord:
    merged = PostRecord(post_id=first.post_id, owner=first.owner)
    for name in PostRecord.__slots__:
        a, b = getattr(first, name), getattr(again, name)
        if a is not None and b is not None and a != b:
            if name not in _LIFETIME_COUNTS:
                raise ImportRefused("duplicate_post", post=first.post_id)
            a = max(a, b)
        setattr(merged, name, a if a is not None else b)
    return merged


class ContentRow:
    """The cells of one data row, read by column key, with the row number for messages."""

    def __init__(
        self,
        names: dict[str, tuple[str, ...]],
        cols: dict[str, int | None],
        row: list[Cell],
        tab: Table,
        offset: int,
    ) -> None:
        self._names = names
        self._cols = cols
        self._row = row
        self._tab = tab
        self._offset = offset
        self.row_number = tab.row_number(offset)

    def cell(self, key: str) -> Cell:
        col = self._cols.get(key)
        return self._row[col] if col is not None else None

    def has(self, key: str) -> bool:
        return self._cols.get(key) is not None

    def text(self, key: str) -> str | None:
        return text(self.cell(key))

    def number(self, key: str) -> float | None:
        col = self._cols.get(key)
        return None if col is None else self._tab.numbers(col)[self._offset]

    def id(self, key: str) -> str:
        return identifier(self.cell(key), self._names[key][0], self.row_number)

    def post_type(self) -> str | None:
        return canonical_value("post_type", self.text("post_type"))

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
    label = "Meta Business Suite content export (Facebook posts)"
    label_vi = "Meta Business Suite: tệp xuất nội dung (bài đăng Facebook)"

    # Key -> canonical column names; localised names are in connectors/header_aliases.csv.
    columns: ClassVar[dict[str, tuple[str, ...]]] = {
        "post_id": ("Post ID",),
        "page_id": ("Page ID",),
        "page_name": ("Page name",),
        "title": ("Title",),
        "description": ("Description",),
        "publish_time": ("Publish time",),
        "permalink": ("Permalink",),
        "post_type": ("Post type",),
        "languages": ("Languages",),
        "data_comment": ("Data comment",),
        "date": ("Date",),
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
    owner_name = "page_name"
    signature = ("post_id", "publish_time", "page_name")

    def _is_header(self, header: list[str]) -> bool:
        # Facebook posts: `Post ID` and `Publish time` with the page's id or name columns.
        names = set(header)
        return {"post id", "publish time"} <= names and bool({"page id", "page name"} & names)

    def record(self, post_id: str, get: ContentRow) -> PostRecord:
        return PostRecord(
            post_id=post_id,
            published=get.published(),
            text=get.text("title") or get.text("description"),
            permalink=get.text("permalink"),
            post_type=get.post_type(),
            reactions=get.number("reactions"),
            comments=get.number("comments"),
            shares=get.number("shares"),
            reach=get.number("reach"),
            impressions=get.number("impressions" if get.has("impressions") else "views"),
            clicks=get.number("clicks"),
            # Meta's `Languages`: the post's language when it names one (empty in every real
            # export seen so far; then the language is detected from the text).
            language=iso_code(get.text("languages")),
        )

    def hints(self, get: ContentRow) -> tuple[set[str], set[str]]:
        name = get.text("page_name")
        return set(), {name} if name else set()
