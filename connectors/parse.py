"""Cell parsing shared by the formats: numbers, ids, dates, and the shape checks of a table.

Every function here is strict. A value it cannot read raises `ImportRefused` naming the column,
the row and the value, because a guessed number is worse than a refused file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from connectors.base import Cell, DailyValue, Document, ImportRefused, PostRecord, normalise

UNKNOWN = {"", "-", "--", "undefined", "n/a", "null", "none", "nan"}
_MANGLED_ID = re.compile(r"^\s*[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+\s*$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


@dataclass
class Table:
    """A header and data rows of one sheet, with column lookup by (case-insensitive) name.

    `columns` are normalised canonical names: a file's localised headers are replaced by the
    English names its format reads (header aliases), and a column the file writes twice is
    one column (see `table`). `language` is the interface language the headers are in.
    """

    columns: list[str]  # normalised names
    rows: list[list[Cell]]
    first_data_row: int  # 1-based row number of rows[0] in the file, for messages
    language: str | None = None
    row_numbers: list[int] = field(default_factory=list)  # 1-based file row of each data row
    #: a chunk of a file read in chunks: the conventions its earlier chunks chose
    number_styles: NumberStyles | None = None
    _numbers: dict[int, list[float | None]] = field(default_factory=dict, repr=False)

    def index(self, *names: str, required: bool = True) -> int | None:
        """Position of the first column whose normalised name is one of `names`."""
        wanted = [normalise(n) for n in names]
        for name in wanted:
            if name in self.columns:
                return self.columns.index(name)
        if required:
            raise ImportRefused("missing_columns", columns=", ".join(names))
        return None

    def has(self, *names: str) -> bool:
        """True when every one of `names` is a column."""
        return all(normalise(n) in self.columns for n in names)

    def row_number(self, offset: int) -> int:
        """The 1-based row in the file of data row `offset` (for messages)."""
        if offset < len(self.row_numbers):
            return self.row_numbers[offset]
        return self.first_data_row + offset

    def digit_numbers(self, col: int) -> list[float | None] | None:
        """Column `col` as `number` reads it cell by cell, in one pass, when every cell is empty
        or plain ASCII digits (most count columns of most exports); None otherwise, and the
        caller reads the column's cells with `number`, which refuses as it always did. Such a
        column cannot refuse, so reading it ahead changes no message and no order of checks."""
        return digit_numbers([row[col] for row in self.rows])

    def numbers(self, col: int) -> list[float | None]:
        """Column `col` read as numbers, one convention for the whole column (see
        `column_numbers`); computed once."""
        if col not in self._numbers:
            self._numbers[col] = column_numbers(
                [row[col] for row in self.rows],
                self.columns[col],
                self.language,
                self.row_number,
                self.number_styles,
            )
        return self._numbers[col]


def _blank(cell: Cell) -> bool:
    return cell is None or cell == "" or (isinstance(cell, str) and not cell.strip())


def table(
    rows: Sequence[Sequence[Cell]],
    header_row: int = 0,
    *,
    skip: Iterable[int] = (),
    aliases: object | None = None,
    format_id: str | None = None,
    ends_with_newline: bool = True,
    merge_copies: bool = True,
    pad_short_rows: bool = False,
    row_offset: int = 0,
    number_styles: NumberStyles | None = None,
) -> Table:
    """Rows below `header_row` as a `Table`; rows whose index is in `skip` are left out.

    - Header cells are normalised; with `aliases` (an `AliasBook`) and `format_id`, localised
      headers become the canonical names the format reads.
    - Wholly empty rows are skipped.
    - Ragged rows: a row with fewer cells than the header is refused (a cut-off file), unless
      `pad_short_rows`: then it is padded with empty cells (Meta drops a row's trailing empty
      cells), except the last row of a file that ends without a line break: that file was cut
      off mid-row. A row with more cells is refused unless the extra cells are empty.
    - A column written twice (`Views` twice; a localised column and its English copy appended
      after it) is one column: each row takes the value from whichever copy carries it; copies
      that carry two different values refuse the file.
    - A chunk of a file read in chunks (`ExportFormat.tables`): `row_offset` data rows of the
      file come before it (row numbers in messages are the file's), `number_styles` carries the
      number conventions between its chunks.
    """
    if header_row >= len(rows):
        raise ImportRefused("no_header")
    header = [normalise(c) for c in rows[header_row]]
    language = None
    if aliases is not None and format_id is not None:
        language = aliases.language(format_id, header)
        header = aliases.canonical(format_id, header)
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        if name:
            positions.setdefault(name, []).append(i)
    copies = (
        {name: cols for name, cols in positions.items() if len(cols) > 1} if merge_copies else {}
    )
    dropped = sorted(col for cols in copies.values() for col in cols[1:])

    skipped = set(skip)
    last = len(rows) - 1
    data: list[list[Cell]] = []
    numbers: list[int] = []
    body = rows[header_row + 1 :]
    if not skipped and not copies and _plain_rows(body, width):
        # The common file: every row a list of the header's width with a first cell: every row
        # is kept as it is (what the loop below does to each), checked in a few passes in C.
        return Table(
            columns=header,
            rows=list(body),
            first_data_row=header_row + 2 + row_offset,
            language=language,
            row_numbers=list(range(header_row + 2 + row_offset, len(rows) + 1 + row_offset)),
            number_styles=number_styles,
        )
    for i in range(header_row + 1, len(rows)):
        if i in skipped:
            continue
        row = rows[i]
        first = row[0] if row else None
        if (first is None or first == "" or (first.__class__ is str and first.isspace())) and all(
            _blank(c) for c in row
        ):
            continue  # a wholly empty row (most rows are told apart by their first cell)
        if len(row) != width:
            if len(row) > width:
                if any(not _blank(c) for c in row[width:]):
                    raise ImportRefused(
                        "ragged_row", row=i + 1 + row_offset, found=len(row), expected=width
                    )
                row = row[:width]
            else:
                if not pad_short_rows or (i == last and not ends_with_newline):
                    raise ImportRefused(
                        "ragged_row", row=i + 1 + row_offset, found=len(row), expected=width
                    )
                row = [*row, *([None] * (width - len(row)))]
        if copies:
            row = list(row)
            for name, cols in copies.items():
                values = {str(row[c]).strip() for c in cols if not _blank(row[c])}
                if len(values) > 1:
                    raise ImportRefused("duplicate_column", column=name, row=i + 1 + row_offset)
                if _blank(row[cols[0]]):
                    row[cols[0]] = next((row[c] for c in cols if not _blank(row[c])), None)
            for col in reversed(dropped):
                del row[col]
        elif not isinstance(row, list):
            row = list(row)
        data.append(row)
        numbers.append(i + 1 + row_offset)
    for col in reversed(dropped):
        del header[col]
    return Table(
        columns=header,
        rows=data,
        first_data_row=header_row + 2 + row_offset,
        language=language,
        row_numbers=numbers,
        number_styles=number_styles,
    )


def _plain_rows(rows: Sequence[Sequence[Cell]], width: int) -> bool:
    """True when every row is a list of `width` cells whose first cell is text that is not
    blank: `table` keeps such rows unchanged (no padding, cutting, or skipping)."""
    if not rows or width == 0 or set(map(type, rows)) != {list}:
        return False
    if set(map(len, rows)) != {width}:
        return False
    firsts = [row[0] for row in rows]
    return set(map(type, firsts)) == {str} and all(map(str.strip, firsts))


_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


@dataclass
class NumberStyles:
    """The number conventions of a file read in chunks, carried from chunk to chunk.

    `localised[column]`: the language whose rules a chunk had to read the column with; later
    chunks read it so too, as if the column were read whole. `fractions`: columns a chunk read
    as plain numbers with a fraction (`1.234`); a later chunk that needs rules whose decimal
    mark is not `.` would read those differently, so the file is refused rather than misread.
    """

    localised: dict[str, str] = field(default_factory=dict)
    fractions: set[str] = field(default_factory=set)


def column_numbers(
    cells: Sequence[Cell],
    column: str = "",
    language: str | None = None,
    row_of: Callable[[int], int] | None = None,
    styles: NumberStyles | None = None,
) -> list[float | None]:
    """A whole column of counts or amounts, read with ONE convention for all its cells.

    Exports write numbers plainly (`13739.06`, `1938.0`) whatever their interface language, so
    a column whose every value is plain is read so. Otherwise the column is read with Babel's
    rules for the file's language (`23,9%` and `1.234` in Vietnamese), else with English ones
    (`5,431`); a value none of them reads refuses the file. Never decided cell by cell: `1.234`
    means the same in every row of a column. Empty cells, `-`, `--`, `undefined`, `NAN` are
    unknown (None); a trailing `%` is dropped (the number is the percentage as written).
    `styles`: the column is a chunk of a longer one (see `NumberStyles`).
    """
    if styles is None or styles.localised.get(column) is None:
        plain = digit_numbers(cells)
        if plain is not None:
            return plain  # every cell plain digits or empty: read so whatever the language
    where = row_of or (lambda offset: offset + 2)
    result: list[float | None] = [None] * len(cells)
    pending: list[tuple[int, str]] = []
    fraction = False
    for offset, cell in enumerate(cells):
        if cell is None or cell == "":
            continue
        if cell.__class__ is str and cell.isdigit() and cell.isascii():
            result[offset] = float(cell)  # most cells: plain digits (same result as below)
            continue
        if isinstance(cell, bool):
            raise ImportRefused("bad_number", column=column, row=where(offset), value=str(cell))
        if isinstance(cell, int | float):
            if cell != cell:  # NaN from a workbook: unknown
                continue
            result[offset] = float(cell)
            continue
        raw = str(cell).strip().replace("\u00a0", "").replace("\u202f", "")
        if raw.lower() in UNKNOWN:
            continue
        if raw.endswith("%"):
            raw = raw[:-1].strip()
        if _PLAIN.match(raw):
            result[offset] = float(raw)
            fraction = fraction or not raw.lstrip("+-").isdigit()
        else:
            pending.append((offset, raw))
    chosen = styles.localised.get(column) if styles is not None else None
    if not pending and chosen is None:
        if fraction and styles is not None:
            styles.fractions.add(column)
        return result
    # Some values are not plain: the whole column is read with one locale's rules.
    plain = [
        (offset, str(cells[offset]).strip()) for offset, v in enumerate(result) if v is not None
    ]
    candidates = [chosen] if chosen else list(dict.fromkeys([language or "en", "en"]))
    for lang in candidates:
        parsed = _read_localised([*pending, *plain], lang)
        if parsed is not None:
            if styles is not None and chosen is None:
                _note_localised(styles, column, lang, where(pending[0][0]))
            for offset, value in parsed.items():
                result[offset] = value
            return result
    offset, raw = pending[0] if pending else plain[0]
    raise ImportRefused("bad_number", column=column, row=where(offset), value=raw)


def _note_localised(styles: NumberStyles, column: str, lang: str, row: int) -> None:
    """A chunk reads `column` with `lang`'s rules: so will the chunks after it. Chunks before it
    read plain fractions as `1.234`; if `lang` reads them otherwise, the file is refused."""
    from babel.numbers import get_decimal_symbol

    if column in styles.fractions and get_decimal_symbol(lang) != ".":
        raise ImportRefused("number_style_changed", column=column, row=row)
    styles.localised[column] = lang


def _read_localised(values: Sequence[tuple[int, str]], lang: str) -> dict[int, float] | None:
    """Every value read with Babel's number rules of `lang` (grouping checked), or None."""
    from babel.numbers import NumberFormatError, parse_decimal

    out: dict[int, float] = {}
    for offset, raw in values:
        value = raw.removesuffix("%").strip()
        try:
            out[offset] = float(parse_decimal(value, locale=lang, strict=True))
        except (NumberFormatError, ValueError, ArithmeticError):
            return None
    return out


_STR_OR_NONE = {str, type(None)}


def digit_numbers(cells: Sequence[Cell]) -> list[float | None] | None:
    """`[number(cell) for cell in cells]` when every cell is None, `""` or ASCII digits (for
    which `number` is `float(cell)`, or None when empty), checked for the whole column at once
    (joined, the check runs in C); None when any cell is anything else."""
    if not set(map(type, cells)) <= _STR_OR_NONE:
        return None
    joined = "".join(filter(None, cells))
    if joined and not (joined.isascii() and joined.isdigit()):
        return None
    return [float(cell) if cell else None for cell in cells]


def add_post(posts: dict[str, PostRecord], record: PostRecord) -> None:
    """Add a post read from a row; the same post on another row must say the same, else the
    file contradicts itself and is refused (`duplicate_post`)."""
    if record.post_id in posts and posts[record.post_id] != record:
        raise ImportRefused("duplicate_post", post=record.post_id)
    posts[record.post_id] = record


def text(cell: Cell) -> str | None:
    """A text cell: None when empty; HTML entities are left as exported."""
    if cell is None:
        return None
    value = str(cell).strip()
    return value or None


def number(cell: Cell, column: str = "", row: int | None = None) -> float | None:
    """A count or amount: None for an empty cell or `-`; accepts `1938.0`, `5,431`, `12.5%`."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ImportRefused("bad_number", column=column, row=row or "?", value=cell)
    if isinstance(cell, int | float):
        return float(cell)
    if isinstance(cell, str) and cell.isascii() and cell.isdigit():
        return float(cell)  # most cells: plain digits (a fast path, same result as below)
    raw = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if raw.lower() in UNKNOWN:
        return None
    if raw.endswith("%"):
        raw = raw[:-1]
    if _NUMBER.match(raw):
        return float(raw.replace(",", ""))
    raise ImportRefused("bad_number", column=column, row=row or "?", value=str(cell).strip())


def identifier(cell: Cell, column: str = "", row: int | None = None) -> str:
    """An id cell as text. Refuses ids a spreadsheet has turned into `1.22158E+17`."""
    if cell is None or str(cell).strip() == "":
        raise ImportRefused("missing_id", column=column, row=row or "?")
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < 2**53:
            return str(int(cell))
        raise ImportRefused("mangled_id", column=column, row=row or "?", value=repr(cell))
    value = str(cell).strip()
    if _MANGLED_ID.match(value):
        raise ImportRefused("mangled_id", column=column, row=row or "?", value=value)
    return value


def parse_date(
    cell: Cell, formats: Sequence[str], column: str = "", row: int | None = None
) -> date | None:
    """A date from one of `formats` (strptime); datetime cells from XLSX pass through."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    value = text(cell)
    if value is None or value.lower() in UNKNOWN:
        return None
    if "%Y-%m-%d" in formats and _ISO_DAY.match(value):
        try:
            return date.fromisoformat(value)  # a fast path for the commonest form; strptime is slow
        except ValueError:
            pass  # 2026-02-31: no such day; the formats below refuse it as bad_date
    for fmt in formats:
        day = strptime_date(value, fmt)
        if day is not None:
            return day
    raise ImportRefused("bad_date", column=column, row=row or "?", value=value)


def parse_datetime(
    cell: Cell, formats: Sequence[str], column: str = "", row: int | None = None
) -> datetime | None:
    """A date and time from one of `formats` (strptime; `%z` gives an aware datetime)."""
    if isinstance(cell, datetime):
        return cell
    value = text(cell)
    if value is None or value.lower() in UNKNOWN:
        return None
    for fmt in formats:
        moment = strptime_datetime(value, fmt)
        if moment is not None:
            return moment
    raise ImportRefused("bad_date", column=column, row=row or "?", value=value)


# The patterns `datetime.strptime` matches each directive with (CPython's `_strptime.TimeRE`,
# compiled the same way: white space matches any run of it, case ignored), for the directives
# whose reading does not depend on the locale. A format made of these and literal text is read
# with one regular expression and `datetime(...)`: the same result as strptime, which builds
# the same expression but costs two to three times more per value (a post's publish time is parsed
# once per row of every content export, and rarely twice).
_DIRECTIVES = {
    "d": r"(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])",
    "H": r"(?P<H>2[0-3]|[0-1]\d|\d)",
    "M": r"(?P<M>[0-5]\d|\d)",
    "S": r"(?P<S>6[0-1]|[0-5]\d|\d)",
    "m": r"(?P<m>1[0-2]|0[1-9]|[1-9])",
    "Y": r"(?P<Y>\d\d\d\d)",
    "z": r"(?P<z>[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z))",
}
_PLAIN_OFFSET = re.compile(r"[+-][0-9]{4}")


@lru_cache(maxsize=64)
def _datetime_pattern(fmt: str) -> re.Pattern[str] | None:
    """The expression strptime reads `fmt` with, when `fmt` has a year, month and day and only
    the directives above (each once); None otherwise (strptime reads it)."""
    directives = re.findall(r"%(.)", fmt)
    if (
        not {"Y", "m", "d"} <= set(directives)
        or not set(directives) <= _DIRECTIVES.keys()
        or len(set(directives)) != len(directives)
    ):
        return None
    pattern = re.sub(r"([\\.^$*+?\(\){}\[\]|])", r"\\\1", fmt)
    pattern = re.sub(r"\s+", r"\\s+", pattern)
    pattern = re.sub(r"%(.)", lambda m: _DIRECTIVES[m[1]], pattern)
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=256)
def _offset(zone: str) -> timezone:
    """`+0700` as strptime's `%z` reads it (a fixed offset; ValueError past ±24 h)."""
    minutes = int(zone[1:3]) * 60 + int(zone[3:5])
    return timezone(timedelta(minutes=-minutes if zone[0] == "-" else minutes))


def strptime_datetime(value: str, fmt: str) -> datetime | None:
    """`datetime.strptime(value, fmt)`, None when `value` does not fit `fmt`; the common
    formats without strptime (see `_datetime_pattern`), with the same result."""
    pattern = _datetime_pattern(fmt)
    if pattern is not None:
        found = pattern.match(value)
        if found is None or found.end() != len(value):
            return None  # strptime: "does not match format" / "unconverted data remains"
        zone = found["z"] if "z" in pattern.groupindex else None
        if zone is None or _PLAIN_OFFSET.fullmatch(zone):
            try:
                moment = datetime(
                    int(found["Y"]),
                    int(found["m"]),
                    int(found["d"]),
                    int(found["H"]) if "H" in pattern.groupindex else 0,
                    int(found["M"]) if "M" in pattern.groupindex else 0,
                    int(found["S"]) if "S" in pattern.groupindex else 0,
                )
                if zone is None:
                    return moment
                return moment.replace(tzinfo=_offset(zone))
            except ValueError:
                return None  # 02/31, +2400: strptime refuses them the same way
        # `Z`, `+01:00`, seconds in the offset: left to strptime
    try:
        return datetime.strptime(value, fmt)
    except ValueError:
        return None


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_NAME_DATE = re.compile(r"(?P<mon>[A-Za-z]{3})-(?P<day>\d{1,2})-(?P<year>\d{4})")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_COMPACT_DATE = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")


def dates_in_name(name: str) -> list[date]:
    """Dates written in a file name: `2020-08-03`, `20210801`, `Jan-27-2025`; in order."""
    found: list[tuple[int, date]] = []
    for m in _ISO_DATE.finditer(name):
        try:
            found.append((m.start(), date(int(m[1]), int(m[2]), int(m[3]))))
        except ValueError:
            pass
    for m in _COMPACT_DATE.finditer(name):
        try:
            found.append((m.start(), date(int(m[1]), int(m[2]), int(m[3]))))
        except ValueError:
            pass
    for m in _NAME_DATE.finditer(name):
        month = _MONTHS.get(m["mon"].lower())
        if month:
            try:
                found.append((m.start(), date(int(m["year"]), month, int(m["day"]))))
            except ValueError:
                pass
    return [d for _, d in sorted(found)]


_HANDLE_IN_LINK = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/(?P<handle>[A-Za-z0-9_]{1,15})/status", re.I
)


def x_handle_from_link(link: str | None) -> str | None:
    """The account handle in an X/Twitter post link, e.g. `KaiaDevIntern`."""
    if not link:
        return None
    m = _HANDLE_IN_LINK.search(link)
    return m["handle"] if m else None


# -- added for the X and YouTube formats ------------------------------------------------------

_X_LEGACY_NAME = re.compile(
    r"^(?:daily_)?tweet_activity_metrics_(?P<handle>[A-Za-z0-9_]{1,15})_(?P<start>\d{8})_(?P<end>\d{8})",
    re.I,
)


def x_legacy_file_name(name: str) -> tuple[str, date, date] | None:
    """(handle, first date, end date) from an X legacy export's name, or None.

    `tweet_activity_metrics_rOpenSci_20211101_20211201_en.csv` → ("rOpenSci", 2021-11-01,
    2021-12-01). `name` is the file's base name; a copy renamed by hand simply gives None.
    """
    m = _X_LEGACY_NAME.match(name)
    if not m:
        return None
    try:
        start = datetime.strptime(m["start"], "%Y%m%d").date()
        end = datetime.strptime(m["end"], "%Y%m%d").date()
    except ValueError:
        return None
    return m["handle"], start, end


def period_in_name(*names: str | None) -> tuple[date, date] | None:
    """(first, last) of the first name that writes at least two dates, e.g. a zip named
    `Content 2025-06-13_2026-06-12 Channel.zip`; None when no name does."""
    for name in names:
        if not name:
            continue
        found = dates_in_name(name)
        if len(found) >= 2:
            return found[0], found[-1]
    return None


def _is_daily_run(days: Iterable[date]) -> bool:
    ordered = sorted(set(days))
    return all((ordered[i + 1] - ordered[i]).days == 1 for i in range(len(ordered) - 1))


def dates_one_pattern(
    cells: Sequence[Cell], formats: Sequence[str], column: str = "", first_row: int = 2
) -> list[date | None]:
    """A whole date column read with the one pattern (of `formats`) that fits every value.

    For files a spreadsheet re-saved, where `03-04-2025` can be day first or month first: a
    pattern is a candidate when it reads every non-empty value. When several are, the ones under
    which the distinct dates form an unbroken run of days are kept, because the columns read
    this way are daily series. One candidate left: used. None at all: `bad_date` on the first
    value the best pattern cannot read. Several: `ambiguous_dates`, since picking one would
    silently swap days and months. Date cells from XLSX pass through unchanged.
    """
    values: list[tuple[int, str]] = []
    for offset, cell in enumerate(cells):
        if isinstance(cell, date):
            continue
        value = text(cell)
        if value is not None and value.lower() not in UNKNOWN:
            values.append((offset, value))

    def read_all(fmt: str) -> tuple[dict[int, date], tuple[int, str] | None]:
        read: dict[int, date] = {}
        for offset, value in values:
            day = strptime_date(value, fmt)
            if day is None:
                return read, (offset, value)
            read[offset] = day
        return read, None

    if not values:  # a header-only file: no date to read, nothing ambiguous
        return [cell if isinstance(cell, date) else None for cell in cells]
    attempts = {fmt: read_all(fmt) for fmt in formats}
    fitting = {fmt: read for fmt, (read, failed) in attempts.items() if failed is None}
    if len(fitting) > 1:
        daily = {fmt: read for fmt, read in fitting.items() if _is_daily_run(read.values())}
        if len(daily) == 1:
            fitting = daily
        else:
            # Both readings are valid dates and neither is ruled out: ask for the original file.
            first = values[0][1] if values else ""
            raise ImportRefused("ambiguous_dates", column=column, value=first)
    if not fitting:
        best = max(attempts.values(), key=lambda attempt: len(attempt[0]))
        offset, value = best[1] or (0, "")
        raise ImportRefused("bad_date", column=column, row=first_row + offset, value=value)
    read = next(iter(fitting.values()))
    result: list[date | None] = []
    for offset, cell in enumerate(cells):
        if isinstance(cell, datetime):
            result.append(cell.date())
        elif isinstance(cell, date):
            result.append(cell)
        else:
            result.append(read.get(offset))
    return result


@lru_cache(maxsize=2**16)
def strptime_date(value: str, fmt: str) -> date | None:
    """`value` read as a date with the strptime pattern `fmt`, None when it does not fit.
    Remembered: the same few hundred days recur in every daily file of an import, and
    strptime was a fifth of the ministry import's time."""
    moment = strptime_datetime(value, fmt)
    return None if moment is None else moment.date()


# -- added for the Facebook and Meta formats ----------------------------------------------------


def sheet_where(doc: Document, accept: Callable[[list[str]], bool]) -> list[list[Cell]] | None:
    """The rows of the first sheet whose first row (as normalised header names) `accept`s.

    A CSV has one sheet. An XLSX export puts its table on a sheet whose name varies (`Key
    Metrics`, or a metric's title cut at 31 characters), so formats find the sheet by its header.
    """
    for name, rows in doc.sheets.items():
        if rows and accept(doc.header(0, sheet=name)):
            return rows
    return None


def daily_values(
    tab: Table,
    days: Sequence[date | None],
    columns: Sequence[tuple[str, int]],
    skip: Sequence[bool] | None = None,
) -> list[DailyValue]:
    """A table of one row a day as `DailyValue`s: `days[i]` is the date of row i, `columns`
    pairs a DAILY_METRICS name with a column position, `skip[i]` leaves a row out (a total row).

    An unknown cell is left out rather than stored, so that it cannot hide a known value of the
    same day from another export. A day that comes twice with other values, a row without a
    date, or a file without any day refuse the file.
    """
    daily: list[DailyValue] = []
    seen: dict[date, tuple[float | None, ...]] = {}
    # Columns of plain digits read ahead in one pass each; the others cell by cell below, in
    # the same order as before, so a bad cell is refused with the same message.
    ahead = [tab.digit_numbers(col) for _, col in columns]
    whole = ahead and all(read is not None for read in ahead)
    rows_ahead = list(zip(*ahead, strict=True)) if whole else None
    for offset, (row, day) in enumerate(zip(tab.rows, days, strict=True)):
        if skip is not None and skip[offset]:
            continue
        row_number = tab.first_data_row + offset
        if day is None:
            raise ImportRefused("bad_date", column="Date", row=row_number, value="")
        if rows_ahead is not None:
            values = rows_ahead[offset]
        else:
            values = tuple(
                number(row[col], tab.columns[col], row_number) if read is None else read[offset]
                for read, (_, col) in zip(ahead, columns, strict=True)
            )
        if day in seen:
            if seen[day] != values:
                raise ImportRefused("duplicate_day", date=day.isoformat())
            continue
        seen[day] = values
        daily.extend(
            DailyValue(day, metric, value)
            for (metric, _), value in zip(columns, values, strict=True)
            if value is not None
        )
    if not seen:
        raise ImportRefused("no_dates")
    return daily
