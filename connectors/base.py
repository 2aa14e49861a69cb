"""The interface every export format implements, the canonical records it produces, and the
registry formats join.

A format module (one per export layout, in `connectors/formats/`) defines a subclass of
`ExportFormat` decorated with `@register`. The import engine (`connectors/importer.py`) gives
each format a decoded `Document`; the formats whose `detect` says yes read it into a `Parsed`
batch of canonical records. The engine then maps the file to an account, converts times to the
mission's zone and merges the records into the store, the same way for every format:

| record        | table          | merge key                        | when it exists already         |
|---------------|----------------|----------------------------------|--------------------------------|
| `PostRecord`  | posts          | account, post                    | newest as-of fills the fields  |
|               | post_metrics   | account, post, as-of             | replaced (same snapshot)       |
| `DailyValue`  | account_daily  | account, date, metric, as-of     | replaced; readers take newest  |
| `PostDaily`   | post_daily     | account, post, date, metric, as-of | replaced                     |
| `AudienceValue` | audience     | account, as-of, dimension, key, kind | replaced                     |

A file may hold several pages or accounts (a Meta Business Suite export of a whole Business
Manager): its records then carry `owner`, the page or account id of their row, and the engine
routes each to its account; rows of ids the registry does not know are reported, never dropped
in silence.
"""

from __future__ import annotations

import hashlib
import io
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar

# The domain's names live at the bottom layer (data/domain.py); formats read them from here too.

if TYPE_CHECKING:
    from connectors.parse import Table

Cell = str | int | float | datetime | date | None


# How much of a parameter a message shows: a cell or a file name can be anything, and a message
# is one line. Lists that DiploPulse builds from its own names (the known formats, the columns
# a format expects, registry accounts) may be longer, so that the message still names them all.
PARAM_LIMIT = 80
#: rows of a large CSV read at a time (`ExportFormat.tables`): about 50 MB of cells for Meta's
#: widest exports, whatever the size of the file
CHUNK_ROWS = 20_000
_LONG_PARAMS = {
    "format": 120,
    "known": 600,
    "known_formats": 600,
    "formats": 300,
    "columns": 400,
    "accounts": 200,
    "found": 200,
    "headers": 120,
    "detail": 200,
}
# Characters markdown (and Streamlit's extensions: `$` maths) give a meaning to inside a line.
# `.` `-` `+` `!` only matter at the start of a line or before `[`, which a parameter never is.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#|~$])")


def display_text(value: object, limit: int = PARAM_LIMIT, markdown: bool = False) -> str:
    """`value` safe to show in one line of the CLI or the dashboard.

    Control characters (a newline in a cell could forge a second CLI line) are shown escaped
    (`\\n`, `\\x07`), the length is capped with `…`, and with `markdown=True` every character
    markdown gives a meaning to is escaped, so that `[x](http://evil)` stays text on the page.
    """
    text = str(value)
    if any(ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029" for ch in text):
        text = "".join(_escape_control(ch) for ch in text)
    if len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    if markdown:
        text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text


def _escape_control(ch: str) -> str:
    if ch >= " " and not ("\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029"):
        return ch
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or ascii(ch)[1:-1]


# Message parameters that name formats by id (`formats`, `known_formats`: several ids, ", "
# between them): a message names them by their label in the reader's language
# (`display_params`).
FORMAT_PARAMS = ("format", "formats", "known_formats")


def display_params(
    params: dict[str, object], markdown: bool = False, lang: str | None = None
) -> dict[str, object]:
    """Every str parameter of a message made safe by `display_text`; numbers as they are; the
    formats of FORMAT_PARAMS named in `lang` (the current language when None)."""
    shown = dict(params)
    for key in FORMAT_PARAMS:
        if isinstance(shown.get(key), str):
            shown[key] = format_labels(str(shown[key]), lang)
    return {
        key: display_text(value, _LONG_PARAMS.get(key, PARAM_LIMIT), markdown)
        if isinstance(value, str)
        else value
        for key, value in shown.items()
    }


def format_label(format_id: str, lang: str | None = None) -> str:
    """What people read for a format stored by id (the import log, a message): its label in
    `lang` (the current language when None), or the text itself when it is no id of a format
    this version reads (a retired format, or a label an older version stored)."""
    formats()  # the built-in formats registered
    fmt = _REGISTRY.get(format_id)
    return fmt.label_in(lang) if fmt is not None else format_id


def format_labels(format_ids: str, lang: str | None = None) -> str:
    """`format_label` of each id of a ", "-separated list, "; " between them (labels hold
    commas); the text as it is unless every part is a format id (an older version stored
    labels)."""
    formats()
    ids = format_ids.split(", ")
    if not all(i in _REGISTRY for i in ids):
        return format_ids
    return "; ".join(format_label(i, lang) for i in ids)


class ImportRefused(Exception):
    """A file cannot be imported. `code` names a message in i18n (`refused.<code>`).

    The message says what is wrong and what to do; the engine adds which file. Raise it from
    `ExportFormat.read` with the parameters the message needs. Parameters often come from the
    file (a cell, a header): `message` shows them escaped and shortened (see `display_text`).
    """

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __reduce__(self) -> tuple:
        # Files are read in worker processes: a refusal crosses back with its parameters.
        return (_refusal, (self.code, self.params))

    def message(self, lang: str | None = None, markdown: bool = False) -> str:
        """The message in `lang`; `markdown=True` for text that st.error & co. render."""
        from i18n import t

        return t(f"refused.{self.code}", lang=lang, **display_params(self.params, markdown, lang))


def _refusal(code: str, params: dict[str, object]) -> ImportRefused:
    return ImportRefused(code, **params)


class SourceFile:
    """One file handed to the importer: loose, or a member of a zip.

    Its bytes are either given (`SourceFile(name, data)`, an upload) or loaded on demand by
    `loader` (a file on disk, a zip member), so that a folder of exports is never all in
    memory: `read_document` drops the loaded bytes when it is done with them. A file that could
    not even be listed or loaded (a zip bomb, an unsafe member name) carries its `refusal`,
    which `read_document` raises.
    """

    __slots__ = (
        "_cache",
        "_data",
        "_loader",
        "_opener",
        "container",
        "missing",
        "modified",
        "name",
        "path",
        "refusal",
    )

    def __init__(
        self,
        name: str,
        data: bytes | None = None,
        container: str | None = None,
        missing: bool = False,
        modified: date | None = None,
        *,
        loader: Callable[[], bytes] | None = None,
        opener: Callable[[], BinaryIO] | None = None,
        refusal: ImportRefused | None = None,
        path: Path | None = None,
    ) -> None:
        self.name = name  # what the user sees: "report.zip/Table data.csv" or "export.csv"
        self.container = container  # the zip's file name, when the file came from one
        self.missing = missing  # the path given does not exist
        self.modified = modified  # the file's (or zip entry's) modification date, when known
        self.refusal = refusal
        self.path = path  # a file on disk (not a zip member): where it is, to read it elsewhere
        self._data = data
        self._loader = loader
        self._opener = opener
        self._cache: bytes | None = None

    @property
    def data(self) -> bytes:
        """The file's bytes (b"" when it cannot be loaded: `refusal` then says why)."""
        if self._data is not None:
            return self._data
        if self._cache is None:
            if self._loader is None or self.refusal is not None:
                return b""
            try:
                self._cache = self._loader()
            except ImportRefused as refusal:
                self.refusal = refusal
                return b""
        return self._cache

    def release(self) -> None:
        """Forget loaded bytes (they are loaded again if asked for)."""
        self._cache = None

    def open(self) -> BinaryIO:
        """The file's bytes as a stream: read from disk for a file on disk (never loaded whole),
        else over the bytes given or loaded."""
        if self._opener is not None and self._data is None and self.refusal is None:
            try:
                return self._opener()
            except OSError as error:
                raise ImportRefused("unreadable", detail=type(error).__name__) from error
        data = self.data
        if self.refusal is not None:
            raise self.refusal
        return io.BytesIO(data)

    def sha256(self) -> str:
        """The SHA-256 of the file's bytes, read in blocks (a file on disk is not loaded)."""
        digest = hashlib.sha256()
        try:
            with self.open() as stream:
                while block := stream.read(2**20):
                    digest.update(block)
        except ImportRefused:
            return hashlib.sha256(b"").hexdigest()
        return digest.hexdigest()

    @property
    def streams(self) -> bool:
        """True when the file is read from disk as a stream rather than loaded whole."""
        return self._opener is not None and self._data is None and self.refusal is None

    @property
    def filename(self) -> str:
        """The file's own base name, without any folder or zip."""
        return self.name.replace("\\", "/").rsplit("/", 1)[-1]

    def __repr__(self) -> str:
        return f"SourceFile({self.name!r}, container={self.container!r})"


@dataclass
class Document:
    """A decoded file: CSV as one sheet named "", a workbook as its sheets, every row a list of
    cells.

    CSV cells are strings. Workbook cells (XLSX, BIFF8 and SpreadsheetML `.xls`, all of kind
    "xlsx") have openpyxl's types: str, int, float, datetime, None for an empty cell.
    A leading `sep=,` line of a CSV has been consumed, the delimiter found, and lines a
    spreadsheet wrapped in one quoted field unwrapped (see `connectors/sources.py`).
    """

    source: SourceFile
    sheets: dict[str, list[list[Cell]]]
    kind: str  # "csv" | "xlsx" | "json"
    #: False when a CSV's last line has no line break: a short last row is then a cut-off file
    ends_with_newline: bool = True
    #: header aliases to read the file with (`connectors.aliases.AliasBook`); None: built-ins
    aliases: object | None = None
    #: the export's end date as the engine sees it before reading (`--as-of`, a period in the
    #: file or zip name, the file's modification date, else the import day), and why; formats
    #: whose dates carry no year take the year from it
    as_of: date | None = None
    as_of_basis: str = "import_day"
    #: kind "json": the file's parsed JSON value (`sheets` is empty)
    content: object | None = None
    #: a large CSV read as a stream: the rows after those in `sheets[""]` (its first
    #: `CHUNK_ROWS`), produced while they are read (see `ExportFormat.tables`); None: all in
    more_rows: Iterator[list[Cell]] | None = field(default=None, repr=False, compare=False)
    _headers: dict = field(default_factory=dict, repr=False, compare=False)

    def materialise(self) -> None:
        """Read the rest of a streamed CSV into `sheets[""]`, for formats that read it whole."""
        if self.more_rows is not None:
            rest, self.more_rows = self.more_rows, None
            self.sheets[""].extend(rest)

    @property
    def rows(self) -> list[list[Cell]]:
        """The rows of the first sheet."""
        return next(iter(self.sheets.values()), [])

    def header(self, row: int = 0, sheet: str | None = None) -> list[str]:
        """Row `row` as normalised header names: stripped, lower case. Computed once per row:
        every registered format looks at the same few rows to detect its layout."""
        key = (row, sheet)
        cached = self._headers.get(key)
        if cached is None:
            rows = self.sheets[sheet] if sheet is not None else self.rows
            cached = [normalise(cell) for cell in rows[row]] if row < len(rows) else []
            self._headers[key] = cached
        return list(cached)


def normalise(cell: Cell) -> str:
    """A header cell as compared by formats: text, surrounding white space removed, lower case."""
    if cell is None:
        return ""
    return " ".join(str(cell).replace("\ufeff", "").split()).lower()


@dataclass(frozen=True)
class AccountHints:
    """What a file says about whose it is. The engine decides; see importer.resolve_account."""

    external_ids: frozenset[str] = frozenset()  # page id, account id, channel id
    handles: frozenset[str] = frozenset()  # from post links or the file's naming pattern
    display_names: frozenset[str] = frozenset()  # e.g. the page name in a Facebook file name


@dataclass(slots=True)
class PostRecord:
    """A post and its lifetime metrics as of the export's as-of date.

    `published`: an aware datetime (converted to the mission's zone), a naive datetime (already
    the mission's local time), or a date (date-only exports), or None when unknown.
    Metrics: None when the export does not carry them; 0 only when it says 0.
    `has_metrics=False` for records that only describe the post (no snapshot is written).
    """

    post_id: str
    published: datetime | date | None = None
    text: str | None = None
    permalink: str | None = None
    post_type: str | None = None
    reactions: float | None = None
    comments: float | None = None
    shares: float | None = None
    reach: float | None = None
    impressions: float | None = None
    video_views: float | None = None
    engagements: float | None = None
    clicks: float | None = None
    saves: float | None = None
    has_metrics: bool = True
    owner: str | None = None  # the page/account id of the row, in files that hold several
    language: str | None = None  # ISO 639-1, when the export names the post's one language


@dataclass(frozen=True, slots=True)
class DailyValue:
    """An account-level value for one local calendar day (metric from DAILY_METRICS)."""

    date: date
    metric: str
    value: float | None
    account_id: str | None = None  # only for files that name the account on each row (baseline)
    #: files holding the series of two platforms (Meta's 2024 insights layout): the platform of
    #: this value's series; the engine sends it to the mission's account of that platform
    platform: str | None = None


@dataclass(frozen=True, slots=True)
class AudienceValue:
    """One slice of an account's audience as of a date: the share or count a file gives for a
    country, city, gender or age group (`dimension`, `key`), and what it counts (`kind`).

    Countries are ISO 3166-1 alpha-2 codes; shares are fractions (0.462 for 46.2 %).
    `as_of` None: the export's as-of date.
    """

    dimension: str  # AUDIENCE_DIMENSIONS
    key: str
    value: float | None
    unit: str  # share | count
    kind: str  # AUDIENCE_KINDS
    as_of: date | None = None
    owner: str | None = None
    #: as `DailyValue.platform`: files holding the audiences of two platforms (Meta 2024)
    platform: str | None = None


@dataclass(frozen=True, slots=True)
class PostDaily:
    """A per-post value for one day (metric from POST_DAILY_METRICS)."""

    post_id: str
    date: date
    metric: str
    value: float | None


# Creating the ministry import's 1.8 million `DailyValue`s and `PostDaily`s cost twice what it
# needs to: a frozen dataclass's generated `__init__` calls `object.__setattr__` once per field
# (freezing forbids plain assignment). These fill the slots through their descriptors instead:
# the same parameters, defaults and values, and the instances stay frozen.
_DV_DATE, _DV_METRIC, _DV_VALUE, _DV_ACCOUNT, _DV_PLATFORM = (
    getattr(DailyValue, name).__set__
    for name in ("date", "metric", "value", "account_id", "platform")
)
_PD_POST, _PD_DATE, _PD_METRIC, _PD_VALUE = (
    getattr(PostDaily, name).__set__ for name in ("post_id", "date", "metric", "value")
)


def _daily_value_init(
    self: DailyValue,
    date: date,
    metric: str,
    value: float | None,
    account_id: str | None = None,
    platform: str | None = None,
) -> None:
    _DV_DATE(self, date)
    _DV_METRIC(self, metric)
    _DV_VALUE(self, value)
    _DV_ACCOUNT(self, account_id)
    _DV_PLATFORM(self, platform)


def _post_daily_init(
    self: PostDaily, post_id: str, date: date, metric: str, value: float | None
) -> None:
    _PD_POST(self, post_id)
    _PD_DATE(self, date)
    _PD_METRIC(self, metric)
    _PD_VALUE(self, value)


DailyValue.__init__ = _daily_value_init  # type: ignore[method-assign]
PostDaily.__init__ = _post_daily_init  # type: ignore[method-assign]


@dataclass
class Parsed:
    """What a format read from one file."""

    platform: str | None  # None when the file does not tell (the account decides)
    hints: AccountHints = field(default_factory=AccountHints)
    as_of: date | None = None  # the export's end date from its name; None: engine decides
    period_start: date | None = None
    period_end: date | None = None
    posts: list[PostRecord] = field(default_factory=list)
    daily: list[DailyValue] = field(default_factory=list)
    post_daily: list[PostDaily] = field(default_factory=list)
    audience: list[AudienceValue] = field(default_factory=list)
    #: page/account id -> its name, for files whose rows carry `owner` (several accounts)
    owners: dict[str, str | None] = field(default_factory=dict)
    #: the interface language the file was written in (ISO 639-1), when not English
    language: str | None = None
    #: rows read but not imported, by reason (`import.skipped.<reason>` says why): the import
    #: line reports them, so that nothing is left out in silence
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        """Records read, all kinds together."""
        return len(self.posts) + len(self.daily) + len(self.post_daily) + len(self.audience)

    def latest_date(self) -> date | None:
        """The latest date any record carries (for the as-of fallback)."""
        dates: list[date] = [d.date for d in self.daily] + [d.date for d in self.post_daily]
        for post in self.posts:
            if isinstance(post.published, datetime):
                dates.append(post.published.date())
            elif isinstance(post.published, date):
                dates.append(post.published)
        return max(dates, default=None)


class ExportFormat(ABC):
    """One export layout of one platform. Subclass, fill the class attributes, `@register`."""

    #: stable identifier stored with every import, e.g. "facebook_legacy_posts"
    id: ClassVar[str]
    #: platform of the files, or None when the file decides (Parsed.platform)
    platform: ClassVar[str | None]
    #: what the user sees in messages and the import log, in English and in Vietnamese
    #: (`label_in`); the platform's own names (products, file and report names) stay as the
    #: platform writes them in both, so that people find the export they mean
    label: ClassVar[str]
    label_vi: ClassVar[str]
    #: canonical (English) columns a file must have, and may have; `python -m connectors
    #: formats` lists them, and the Data page's mapping form asks for the required ones
    required_columns: ClassVar[tuple[str, ...]] = ()
    optional_columns: ClassVar[tuple[str, ...]] = ()
    #: True when `read` takes its rows through `tables`, so that a large CSV is read in chunks
    #: of rows and never held whole; other formats are given the whole file
    reads_in_chunks: ClassVar[bool] = False

    def label_in(self, lang: str | None = None) -> str:
        """The label in `lang` (the current language when None)."""
        from i18n import language

        return self.label_vi if (lang or language()) == "vi" else self.label

    def header(self, doc: Document, row: int = 0, sheet: str | None = None) -> list[str]:
        """Row `row` of a sheet as canonical column names (header aliases applied)."""
        return alias_book(doc).canonical(self.id, doc.header(row, sheet))

    def table(
        self,
        doc: Document,
        rows: list[list[Cell]] | None = None,
        header_row: int = 0,
        *,
        skip: tuple[int, ...] = (),
        merge_copies: bool = True,
        pad_short_rows: bool = False,
    ) -> Table:
        """`rows` (default: the document's first sheet) as a `connectors.parse.Table` under
        this format's canonical column names, with the document's cut-off rule."""
        from connectors.parse import table

        return table(
            doc.rows if rows is None else rows,
            header_row,
            skip=skip,
            aliases=alias_book(doc),
            format_id=self.id,
            ends_with_newline=doc.ends_with_newline,
            merge_copies=merge_copies,
            pad_short_rows=pad_short_rows,
        )

    def tables(
        self,
        doc: Document,
        rows: list[list[Cell]] | None = None,
        header_row: int = 0,
        *,
        merge_copies: bool = True,
        pad_short_rows: bool = False,
    ) -> Iterator[Table]:
        """`table`, in chunks of rows for a large CSV read as a stream (one table otherwise).

        Each chunk is a `Table` with the file's header, its rows numbered as in the file, and
        its numbers read with the conventions earlier chunks chose (`parse.column_numbers`), so
        a reader that keeps its state across the tables reads the file exactly as whole.
        """
        from connectors.parse import NumberStyles, table

        rows = doc.rows if rows is None else rows
        if doc.more_rows is None or rows is not doc.rows:
            yield self.table(
                doc, rows, header_row, merge_copies=merge_copies, pad_short_rows=pad_short_rows
            )
            return
        head, chunk = rows[: header_row + 1], rows[header_row + 1 :]
        styles = NumberStyles()
        offset = 0  # data rows of the file before this chunk
        while chunk:
            following = list(islice(doc.more_rows, CHUNK_ROWS))
            yield table(
                [*head, *chunk],
                header_row,
                aliases=alias_book(doc),
                format_id=self.id,
                # Only the file's last row can be a row cut off in the middle.
                ends_with_newline=doc.ends_with_newline if not following else True,
                merge_copies=merge_copies,
                pad_short_rows=pad_short_rows,
                row_offset=offset,
                number_styles=styles,
            )
            offset += len(chunk)
            chunk = following
            if doc.sheets[""] is rows:
                rows.clear()  # the first chunk is no longer needed either

    @abstractmethod
    def detect(self, doc: Document) -> bool:
        """True when `doc` has this format's headers. Never decide by file name alone."""

    @abstractmethod
    def read(self, doc: Document) -> Parsed:
        """Read the whole file into canonical records, or raise `ImportRefused`."""

    def read_parts(self, doc: Document) -> Iterator[Parsed]:
        """The file read in parts, so that a large file is never held whole: the parts' records
        are the file's, and the LAST part carries what is known only at the end (owners,
        account hints, skipped rows, the as-of of the name). A post may appear in two parts;
        `merge_duplicate` makes them one (see `combine_parts`). By default, one part: `read`.
        Formats that read in chunks (`reads_in_chunks`) yield a part per chunk of rows."""
        yield self.read(doc)

    def merge_duplicate(
        self, first: PostRecord, again: PostRecord, skipped: dict[str, int]
    ) -> PostRecord:
        """One post that a file lists twice (same owner and post id). By default both rows must
        say the same, else the file contradicts itself and is refused. A format whose exports
        repeat posts with differences it can settle overrides this (and counts the repeats in
        `skipped`)."""
        if first != again:
            raise ImportRefused("duplicate_post", post=first.post_id)
        return first


def combine_parts(fmt: ExportFormat, parts: Iterable[Parsed]) -> Parsed:
    """The parts of `ExportFormat.read_parts` as one `Parsed`: the last part's description of
    the file, every part's records, a post listed in two parts made one by `merge_duplicate`."""
    posts: dict[tuple[str | None, str], PostRecord] = {}
    last: Parsed | None = None
    records: dict[str, list] = {"daily": [], "post_daily": [], "audience": []}
    skipped: dict[str, int] = {}
    for part in parts:
        last = part
        for post in part.posts:
            key = (post.owner, post.post_id)
            posts[key] = fmt.merge_duplicate(posts[key], post, skipped) if key in posts else post
        for name, values in records.items():
            values.extend(getattr(part, name))
    if last is None:
        raise ImportRefused("no_rows")
    for reason, rows in skipped.items():
        last.skipped[reason] = last.skipped.get(reason, 0) + rows
    last.posts = list(posts.values())
    for name, values in records.items():
        setattr(last, name, values)
    return last


_REGISTRY: dict[str, ExportFormat] = {}


def register(cls: type[ExportFormat]) -> type[ExportFormat]:
    """Class decorator: make an export format known to the importer."""
    if cls.id in _REGISTRY:
        raise ValueError(f"export format id {cls.id!r} is registered twice")
    _REGISTRY[cls.id] = cls()
    return cls


def alias_book(doc: Document) -> object:
    """The header aliases a document is read with: its own, else the built-in ones."""
    if doc.aliases is not None:
        return doc.aliases
    from connectors.aliases import builtin_book

    return builtin_book()


def formats() -> list[ExportFormat]:
    """Every registered format (built-ins are loaded on first call)."""
    import connectors.formats  # noqa: F401 - importing registers the built-in formats

    return list(_REGISTRY.values())
