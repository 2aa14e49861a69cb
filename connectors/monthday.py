"""Dates written without a year, in the exporter's interface language, and the year they get.

TikTok Studio writes its dates as the interface shows them, with no year: `"February 28"`,
`"8 de marzo"`, `"9月13日"`, `"18 января"`, `"8 de setembro"`, `"28 août"`, `"28. August"`,
`"3월 8일"`, `"28 tháng 2"`. Nothing here is typed by hand per language: each language's reader is
built from Babel's (CLDR) calendar data, namely

- its month names, wide and abbreviated, in the format context (`"января"`, genitive) and the
  stand-alone one (`"январь"`), compared case-insensitively with or without a trailing period;
- its own day-and-month patterns (the `MMMMd` and `MMMd` skeletons: `d 'de' MMMM`, `M月d日`,
  `MMM d일`, `d. MMMM`), whose literal text (`de`, `月`, `일`, `.`) is kept;
- and, for exporters that do not follow CLDR to the letter, the day and the month name in either
  order with only spaces or punctuation between them (`28 tháng 2`, `August 28`).

A file is read with ONE language, the first of `LANGUAGES` whose reader reads every date cell of
the column with its own patterns, else loosely (`read_month_days`): a cell is never read in one
language and its neighbour in another. `9月13日` reads the same in Chinese and Japanese; it is
reported as Chinese.

The year comes from the export's as-of date (`Document.as_of`):

- a daily series (`series_dates`) is a run of days ending on or before the as-of. Walking back
  from its newest row, the newest day is the latest such month and day on or before the as-of
  (a month later than the as-of's belongs to the year before), and each older row that comes
  later in the calendar than the row after it is one year earlier: the series rolls over at
  January 1. Files written newest first are recognised by their steps of one day back.
- a single date that is at most some day (a post's publication, at most the export day) is the
  latest such month and day on or before that day (`latest_on_or_before`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise

from babel import Locale
from babel.dates import get_month_names, tokenize_pattern

from connectors.base import Cell, ImportRefused
from connectors.parse import UNKNOWN

#: interface languages tried, in this order (Babel locale names); English first, Vietnamese
#: next (the ministry's own). Adding a language is adding its name here.
LANGUAGES = (
    "en",
    "vi",
    "fr",
    "es",
    "pt",
    "de",
    "it",
    "nl",
    "ru",
    "uk",
    "pl",
    "tr",
    "id",
    "ms",
    "th",
    "ar",
    "zh",
    "zh_Hant",
    "ja",
    "ko",
)
_SKELETONS = ("MMMMd", "MMMd")
_WIDTHS = ("wide", "abbreviated")
_CONTEXTS = ("format", "stand-alone")
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"), None)

MonthDay = tuple[int, int]


def clean(value: str) -> str:
    """A cell or a month name as compared: NFKC (full-width digits become ASCII), without bidi
    marks, case folded, inner white space one space, trimmed."""
    value = unicodedata.normalize("NFKC", value).translate(_BIDI).casefold()
    return " ".join(value.split())


@dataclass(frozen=True)
class MonthDayReader:
    """Reads `"<day> <month>"` cells of one interface language into (month, day)."""

    language: str
    patterns: tuple[re.Pattern[str], ...]  # the language's own (CLDR) day-and-month patterns
    loose: tuple[re.Pattern[str], ...]  # day and month name in either order
    months: dict[str, int]  # cleaned month name (no trailing period) -> 1..12

    def read(self, value: str, strict: bool = False) -> MonthDay | None:
        """(month, day) of a cell, or None when this language does not read it; `strict`:
        with the language's own patterns only."""
        text = clean(value)
        for pattern in self.patterns if strict else (*self.patterns, *self.loose):
            m = pattern.fullmatch(text)
            if m is None:
                continue
            name = m["name"]
            month = self.months.get(name.rstrip(".")) if name else int(m["number"])
            day = int(m["day"])
            if month is None or not 1 <= month <= 12:
                continue
            try:
                date(2000, month, day)  # a leap year: February 29 is a day
            except ValueError:
                continue
            return month, day
        return None


def _month_names(language: str) -> dict[str, int]:
    """Every month name of a language (wide and abbreviated, both contexts), cleaned; a name
    two months share (none in CLDR today) is left out rather than guessed."""
    found: dict[str, set[int]] = {}
    for width in _WIDTHS:
        for context in _CONTEXTS:
            names = get_month_names(width, context=context, locale=language)
            for month, name in names.items():
                found.setdefault(clean(name).rstrip("."), set()).add(month)
    return {name: next(iter(months)) for name, months in found.items() if len(months) == 1}


def _literal(text: str) -> str:
    """A pattern's literal text as a regex: white space optional, the rest as written."""
    parts = [re.escape(part) for part in clean(text).split(" ")]
    return r"\s*" + r"\s*".join(p for p in parts if p) + r"\s*" if any(parts) else r"\s*"


@cache
def reader(language: str) -> MonthDayReader:
    """The reader of one interface language, built from Babel's calendar data."""
    months = _month_names(language)
    name = "(?P<name>" + "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
    name += r")\.?"
    day = r"(?P<day>\d{1,2})"
    number = r"(?P<number>\d{1,2})"
    sources: list[str] = []
    skeletons = Locale.parse(language).datetime_skeletons
    for skeleton in _SKELETONS:
        pattern = skeletons.get(skeleton)
        if pattern is None:
            continue
        regex = ""
        usable = True
        for kind, value in tokenize_pattern(pattern.pattern):
            if kind == "chars":
                regex += _literal(value)
            elif value[0] == "d":
                regex += day
            elif value[0] in "ML":
                regex += name if value[1] >= 3 else number
            else:  # a weekday or era: not a day-and-month pattern
                usable = False
        if usable and "(?P<day>" in regex:
            if "(?P<number>" not in regex:
                regex += "(?P<number>)?"
            if "(?P<name>" not in regex:
                regex += "(?P<name>)?"
            sources.append(regex)
    # The day and the month name in either order, only spaces or punctuation between them.
    loose = (rf"{day}[\s.,]+{name}(?P<number>)?", rf"{name}[\s.,]+{day}(?P<number>)?")
    patterns = tuple(dict.fromkeys(re.compile(s) for s in sources))
    return MonthDayReader(language, patterns, tuple(re.compile(s) for s in loose), months)


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and clean(cell) in UNKNOWN)


def read_month_days(
    cells: Sequence[Cell], column: str, row_of: Callable[[int], int]
) -> tuple[str | None, list[MonthDay | date | None]]:
    """A whole column of dates without a year, read with the one language that reads them all.

    Returns (language, values): each value is (month, day), a `date` when the cell already is
    one (a workbook's date cell), or None for an empty cell. `row_of(offset)` is the file row
    of a cell, for messages. No language reads every cell: `tiktok_date_language` on the first
    cell that the language reading the most cells cannot read.
    """
    texts = [
        (offset, str(cell))
        for offset, cell in enumerate(cells)
        if not isinstance(cell, date) and not _blank(cell)
    ]
    values: list[MonthDay | date | None] = [
        cell.date() if isinstance(cell, datetime) else cell if isinstance(cell, date) else None
        for cell in cells
    ]
    if not texts:
        return None, values
    best: tuple[int, int, str] | None = None  # (cells read, first failing offset, value)
    # Each language's own patterns first, so that `28. August` is German, not loose English.
    for strict, language in [(True, lang) for lang in LANGUAGES] + [
        (False, lang) for lang in LANGUAGES
    ]:
        read = reader(language)
        found: dict[int, MonthDay] = {}
        failed: tuple[int, str] | None = None
        for offset, text in texts:
            month_day = read.read(text, strict)
            if month_day is None:
                failed = (offset, text)
                break
            found[offset] = month_day
        if failed is None:
            for offset, month_day in found.items():
                values[offset] = month_day
            return language.split("_")[0], values
        if best is None or len(found) > best[0]:
            best = (len(found), failed[0], failed[1])
    assert best is not None
    _, offset, text = best
    raise ImportRefused(
        "tiktok_date_language", column=column, row=row_of(offset), value=text.strip()[:40]
    )


def latest_on_or_before(month_day: MonthDay, limit: date) -> date:
    """The latest date with this month and day on or before `limit` (February 29: the latest
    leap year's)."""
    month, day = month_day
    year = limit.year if (month, day) <= (limit.month, limit.day) else limit.year - 1
    for candidate in range(year, year - 8, -1):
        try:
            return date(candidate, month, day)
        except ValueError:
            continue
    raise ValueError(f"no date {month}-{day}")  # unreachable: readers check the day exists


def _step(a: MonthDay, b: MonthDay) -> int:
    """+1 when b is the calendar day after a, -1 when before, else 0 (ignoring the year)."""
    for year in (2000, 2001):  # a leap year and a common one, for February 29 / March 1
        try:
            first = date(year, *a)
            if (first + timedelta(days=1)).timetuple()[1:3] == b:
                return 1
            if (first - timedelta(days=1)).timetuple()[1:3] == b:
                return -1
        except ValueError:
            continue
    return 0


def series_dates(
    values: Sequence[MonthDay | date | None], as_of: date, column: str, row_of: Callable[[int], int]
) -> list[date | None]:
    """The dates of a daily series whose cells carry no year (see the module docstring).

    `values` in file order, as `read_month_days` gives them. Rows of the same day (an hourly
    file) get the same date. A (month, day) that does not exist in the year the walk gives
    (February 29 in a common year) refuses the file with `yearless_no_such_day`: the as-of
    date the years were counted from cannot be the export's.
    """
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    steps = sum(
        _step(a, b)
        for (_, a), (_, b) in pairwise(present)
        if not isinstance(a, date) and not isinstance(b, date)
    )
    order = list(range(len(values)))
    if steps >= 0:
        order.reverse()  # oldest first (TikTok's order): walk from the last row back
    result: list[date | None] = [None] * len(values)
    later: date | None = None
    for i in order:
        value = values[i]
        if value is None:
            continue
        if isinstance(value, date):
            result[i] = later = value
            continue
        limit = as_of if later is None else later
        year = limit.year if value <= (limit.month, limit.day) else limit.year - 1
        try:
            result[i] = later = date(year, *value)
        except ValueError:
            # February 29 in a common year: the as-of the year was counted from is wrong.
            raise ImportRefused(
                "yearless_no_such_day",
                column=column,
                row=row_of(i),
                day=value[1],
                month=value[0],
                year=year,
                as_of=as_of.isoformat(),
            ) from None
    return result
