"""Cell parsing shared by the formats: numbers, ids, dates, and the shape checks of a table.

Every function here is strict. A value it cannot read raises `ImportRefused` naming the column,
the row and the value, because a guessed number is worse than a refused file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from connectors.base import Cell, DailyValue, Document, ImportRefused, normalise

UNKNOWN = {"", "-", "--", "undefined", "n/a", "null", "none"}
_MANGLED_ID = re.compile(r"^\s*[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+\s*$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


@dataclass
class Table:
    """A header and data rows of one sheet, with column lookup by (case-insensitive) name."""

    columns: list[str]  # normalised names
    rows: list[list[Cell]]
    first_data_row: int  # 1-based row number of rows[0] in the file, for messages

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


def table(
    rows: Sequence[Sequence[Cell]], header_row: int = 0, *, skip: Iterable[int] = ()
) -> Table:
    """Rows below `header_row` as a `Table`; rows whose index is in `skip` are left out.

    Refuses a file whose data rows do not have the header's number of cells (cut off or damaged),
    allowing trailing empty cells that spreadsheets add or drop.
    """
    if header_row >= len(rows):
        raise ImportRefused("no_header")
    header = [normalise(c) for c in rows[header_row]]
    while header and header[-1] == "":
        header.pop()
    skipped = set(skip)
    data: list[list[Cell]] = []
    for i in range(header_row + 1, len(rows)):
        if i in skipped:
            continue
        row = list(rows[i])
        if not any(c not in (None, "") for c in row):
            continue  # blank line
        if len(row) > len(header):
            if any(c not in (None, "") for c in row[len(header) :]):
                raise ImportRefused("ragged_row", row=i + 1, found=len(row), expected=len(header))
            row = row[: len(header)]
        elif len(row) < len(header):
            raise ImportRefused("ragged_row", row=i + 1, found=len(row), expected=len(header))
        data.append(row)
    return Table(columns=header, rows=data, first_data_row=header_row + 2)


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
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
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
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ImportRefused("bad_date", column=column, row=row or "?", value=value)


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
            try:
                read[offset] = datetime.strptime(value, fmt).date()
            except ValueError:
                return read, (offset, value)
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
    for offset, (row, day) in enumerate(zip(tab.rows, days, strict=True)):
        if skip is not None and skip[offset]:
            continue
        row_number = tab.first_data_row + offset
        if day is None:
            raise ImportRefused("bad_date", column="Date", row=row_number, value="")
        values = tuple(number(row[col], tab.columns[col], row_number) for _, col in columns)
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
