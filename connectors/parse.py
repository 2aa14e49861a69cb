"""Cell parsing shared by the formats: numbers, ids, dates, and the shape checks of a table.

Every function here is strict. A value it cannot read raises `ImportRefused` naming the column,
the row and the value, because a guessed number is worse than a refused file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from connectors.base import Cell, ImportRefused, normalise

UNKNOWN = {"", "-", "--", "undefined", "n/a", "null", "none"}
_MANGLED_ID = re.compile(r"^\s*[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+\s*$")
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


def table(rows: Sequence[Sequence[Cell]], header_row: int = 0, *, skip: Iterable[int] = ()) -> Table:
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
                raise ImportRefused(
                    "ragged_row", row=i + 1, found=len(row), expected=len(header)
                )
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


def parse_date(cell: Cell, formats: Sequence[str], column: str = "", row: int | None = None) -> date | None:
    """A date from one of `formats` (strptime); datetime cells from XLSX pass through."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    value = text(cell)
    if value is None or value.lower() in UNKNOWN:
        return None
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


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
)}
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
