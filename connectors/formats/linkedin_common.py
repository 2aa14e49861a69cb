"""What the three LinkedIn Page analytics exports (content, followers, visitors) share.

LinkedIn gives a Page's analytics as a workbook per tab of the Page's analytics, named
`<vanity name>_<content|followers|visitors>_<export time in epoch milliseconds>.xls`, e.g.
`shorthills-ai_followers_1766385928211 1.xls` (` 1`: a copy the owner's system renamed). Real
files: `linkedin-page-xls-en/shorthills-ai/` (pristine BIFF8 .xls) and
`linkedin-page-content-resaved/proefficient/` (.xls and .xlsx re-saved by the page's owner).

- **The header row**: in the pristine content file, row 1 of each sheet is a one-cell
  description ("Aggregated engagement metrics for your organic and sponsored posts over time.
  …") and the header is row 2; the followers and visitors files, and a content file whose owner
  deleted that row, have the header in row 1. Both are read: the header is row 1, or row 2 when
  row 1 holds a single non-empty cell.
- **Dates** are `MM/DD/YYYY` text (LinkedIn writes them so in every interface language), a
  spreadsheet's date cell, or an Excel serial day number (a workbook converted by a tool that
  dropped the cells' date format): all three are read. The dates are UTC days.
- **The export day**: the 13-digit number of the file name is the export time in epoch
  milliseconds; its UTC day is the export's as-of (`1766385928211` → 2025-12-22), returned as
  `Parsed.as_of`. The data stops up to two days earlier ("Data is delayed by up to 2 days").
- **The account**: the files carry no page id, and the post links no page name; the file name
  begins with the Page's vanity name (`linkedin.com/company/<vanity name>`), which the engine
  matches against the registered accounts' `handle` (a handle like `shorthills-ai` is matched as
  a whole piece of the name, `-` included).
- **Demographic sheets** (`Location`, `Job function`, `Seniority`, `Industry`, `Company size`:
  `<Dimension>, Total followers` or `<Dimension>, Total views`): the Page's top values (at most
  100 locations or industries): followers on the export day, or page views over the export's
  period; see `demographics`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import ClassVar

from connectors.base import (
    AudienceValue,
    Cell,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    normalise,
)
from connectors.countries import country_code
from connectors.parse import Table, daily_values, parse_date, text

DATE_FORMATS = ("%m/%d/%Y",)
# Day 0 of Excel's serial day numbers (1900 system, after its phantom 29 Feb 1900).
EXCEL_EPOCH = date(1899, 12, 30)
# Serial day numbers of 2003-05-05 (LinkedIn's launch) .. 2099-12-31: anything else in a date
# column is not a day.
_SERIAL_RANGE = (37746, 73050)
_EXPORT_TIME = re.compile(r"_(?P<ms>\d{13})(?!\d)")

#: the demographic sheets, by their first column (normalised)
DEMOGRAPHICS = ("location", "job function", "seniority", "industry", "company size")
# A last part of a location that is a country name elsewhere but a US state in LinkedIn's
# `City, State` style: not read as a country.
_AMBIGUOUS_COUNTRY_NAMES = {"georgia"}


def export_day(filename: str) -> date | None:
    """The UTC day of the export time written in a LinkedIn file name, or None.

    `shorthills-ai_content_1766385907708 1.xls` → 2025-12-22 (06:45 UTC).
    """
    m = _EXPORT_TIME.search(filename)
    if not m:
        return None
    try:
        return datetime.fromtimestamp(int(m["ms"]) / 1000, UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def _is_description(row: list[Cell]) -> bool:
    # Only the first cell filled; stops at the second filled cell (a legacy Facebook header
    # of 2,000 columns is not read whole for every file).
    return bool(row) and text(row[0]) is not None and all(text(cell) is None for cell in row[1:])


def header_row(
    fmt: ExportFormat, doc: Document, sheet: str, accept: Callable[[list[str]], bool]
) -> int | None:
    """The row (0 or 1) of a sheet's header when `accept` takes it, else None; row 1 only
    below a one-cell description row."""
    rows = doc.sheets[sheet]
    if rows and accept(fmt.header(doc, 0, sheet)):
        return 0
    if len(rows) > 1 and _is_description(rows[0]) and accept(fmt.header(doc, 1, sheet)):
        return 1
    return None


def find_sheets(
    fmt: ExportFormat, doc: Document, accept: Callable[[list[str]], bool]
) -> list[tuple[str, int]]:
    """(sheet name, header row) of every sheet whose header `accept` takes, in file order.

    Sheets are found by their header, not their name, so that a sheet saved alone as a CSV (a
    document with one sheet named "") is read the same."""
    found = []
    for name in doc.sheets:
        row = header_row(fmt, doc, name, accept)
        if row is not None:
            found.append((name, row))
    return found


def has_columns(*names: str) -> Callable[[list[str]], bool]:
    """A header test: every one of `names` (canonical) is a column."""
    wanted = [normalise(n) for n in names]
    return lambda header: all(name in header for name in wanted)


def day(cell: Cell, column: str, row: int) -> date | None:
    """A LinkedIn date cell: `MM/DD/YYYY` text, a date cell, or an Excel serial day number
    (a whole number; also when written as text, as a workbook saved as CSV has it)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    serial: float | None = None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        serial = float(cell)
    elif isinstance(cell, str) and cell.strip().isdigit() and len(cell.strip()) == 5:
        serial = float(cell.strip())
    if serial is not None:
        if not serial.is_integer() or not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            raise ImportRefused("bad_date", column=column, row=row, value=f"{serial:g}")
        return EXCEL_EPOCH + timedelta(days=int(serial))
    return parse_date(cell, DATE_FORMATS, column, row)


def days_of(tab: Table, column: str) -> list[date | None]:
    """The dates of a table's date column, one a row."""
    col = tab.index(column)
    assert col is not None
    return [day(row[col], column, tab.row_number(i)) for i, row in enumerate(tab.rows)]


def location_country(location: str) -> str | None:
    """The ISO-2 country of a LinkedIn location, when its text names one, else None.

    LinkedIn writes `Greater Delhi Area, India`, `Noida, India`, `London Area, United Kingdom,
    United Kingdom`: the last comma-separated part is the country. A location that is itself a
    country's name (`Singapore`) is in that country. US metro areas carry no country (`New York
    City Metropolitan Area`, `Greater Seattle Area`, `Austin, Texas Metropolitan Area`): None.
    A two-letter last part is not taken for a country code (`CA` would be California as well as
    Canada), nor `Georgia` (a US state as well).
    """
    parts = [" ".join(part.split()) for part in location.split(",")]
    last = parts[-1]
    if len(last) <= 2 or last.casefold() in _AMBIGUOUS_COUNTRY_NAMES:
        return None
    return country_code(last)


def demographics(
    fmt: ExportFormat, doc: Document, value_column: str, kind: str
) -> list[AudienceValue]:
    """The demographic sheets of a followers or visitors export as audience counts.

    - `Location`: dimension `city`, key = the location as written (LinkedIn's locations are
      metro areas and cities); and, for the locations whose country `location_country` can
      tell, dimension `country`: per ISO-2 code, the sum of those locations' counts. LinkedIn
      lists only its top locations (100 at most), and some carry no country (US metro areas),
      so a country's count is the part of its audience in the listed locations that name it,
      a lower bound, never an estimate.
    - `Job function`, `Seniority`, `Industry`, `Company size`: dimension `other`, key
      `<Dimension>: <value>` (`Job function: Engineering`, `Company size: 10001+`).

    Unit `count`, kind `kind` (followers; page_views for the visitors' `Total views`). An empty
    count is unknown and left out.
    """
    accept = demographic_header(value_column)
    values: list[AudienceValue] = []
    for sheet, at in find_sheets(fmt, doc, accept):
        rows = doc.sheets[sheet]
        tab = fmt.table(doc, rows, header_row=at)
        label = text(rows[at][0]) or tab.columns[0]
        is_location = tab.columns[0] == "location"
        numbers = tab.numbers(1)
        countries: dict[str, float] = {}
        seen: set[str] = set()
        for offset, (row, value) in enumerate(zip(tab.rows, numbers, strict=True)):
            name = text(row[0])
            if name is None:
                raise ImportRefused("missing_id", column=label, row=tab.row_number(offset))
            if name in seen:
                raise ImportRefused("linkedin_duplicate_value", sheet=label, value=name[:80])
            seen.add(name)
            if value is None:
                continue
            if is_location:
                values.append(AudienceValue("city", name, value, "count", kind))
                code = location_country(name)
                if code is not None:
                    countries[code] = countries.get(code, 0.0) + value
            else:
                values.append(AudienceValue("other", f"{label}: {name}", value, "count", kind))
        values.extend(
            AudienceValue("country", code, total, "count", kind)
            for code, total in sorted(countries.items())
        )
    return values


def demographic_header(value_column: str) -> Callable[[list[str]], bool]:
    """A header test for a demographic sheet: `<Dimension>, <value_column>`."""
    wanted = normalise(value_column)

    def accept(header: list[str]) -> bool:
        return (
            bool(header)
            and header[0] in DEMOGRAPHICS
            and [name for name in header[1:] if name] == [wanted]
        )

    return accept


class LinkedInDailyExport(ExportFormat):
    """The followers and visitors exports: one sheet of a row a day, whose `daily_column` is
    read as the daily metric `daily_metric`, and demographic sheets (`<Dimension>,
    <value_column>`) read as audience of kind `audience_kind` (`demographics`). Subclasses fill
    the class attributes; `required_columns` are the daily sheet's key columns."""

    platform = "linkedin"
    daily_column: ClassVar[str]
    daily_metric: ClassVar[str]
    value_column: ClassVar[str]
    audience_kind: ClassVar[str]

    def detect(self, doc: Document) -> bool:
        return bool(
            find_sheets(self, doc, has_columns(*self.required_columns))
            or find_sheets(self, doc, demographic_header(self.value_column))
        )

    def read(self, doc: Document) -> Parsed:
        daily = []
        days = []
        for sheet, at in find_sheets(self, doc, has_columns(*self.required_columns)):
            tab = self.table(doc, doc.sheets[sheet], header_row=at)
            sheet_days = days_of(tab, "Date")
            column = [(self.daily_metric, tab.index(self.daily_column))]
            daily += daily_values(tab, sheet_days, column)
            days += [d for d in sheet_days if d is not None]
        return Parsed(
            platform="linkedin",
            as_of=export_day(doc.source.filename),
            period_start=min(days, default=None),
            period_end=max(days, default=None),
            daily=daily,
            audience=demographics(self, doc, self.value_column, self.audience_kind),
        )
