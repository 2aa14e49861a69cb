"""Meta Business Suite insights time series: one metric a day, in any interface language.

UTF-16 LE with BOM, every field quoted, a `sep=,` line first (consumed when the file is decoded,
connectors/sources.py), then the metric's title, then the table:

    sep=,
    "Facebook follows"
    "Date","Primary"
    "2025-08-01T00:00:00","20"

What the real exports show (../shared/real-exports/meta-bs-timeseries-*):

- The title is in the interface language (`Lượt theo dõi trên Facebook`, `Người xem`) and says
  which metric the file holds; the date column is `Date` or `Ngày` (header aliases); the value
  column is `Primary` in every language. The table of titles is data, not code:
  `meta_insights_titles.csv` (`title,metric,platform,language`). An unknown title is refused
  rather than guessed.
- Only some titles name the platform (`Facebook reach`); `Views`, `Follows`, `Lượt xem`,
  `Content interactions` are written the same for both: the account decides.
- `Viewers` (`Người xem`) is read as `reach`: it is the number of distinct accounts that saw the
  page's content that day, the figure Meta called `Reach` until 2025 (and still calls reach on
  Instagram: `Reach`, `Số người tiếp cận`). One metric keeps a page's series continuous across
  the rename; `viewers` in DAILY_METRICS is TikTok's own count.
- `... follows` are gross new follows (`new_follows`), not net.
- The time part reads `T01:00:00` or `T00:00:00` depending on US daylight saving time: only the
  date part is read.
- Some files are sparse (mh4u-2024 `Follows`: 475 rows over 488 days; clickstudio-ig
  `Lượt theo dõi trên Instagram`): Meta leaves out the days whose value is 0, so a day missing
  between the file's first and last date is 0 (in a file of two series, the first and last
  date of either: one export is of one period). Others are dense (`"0"` rows present). Days
  before the first row or after the last stay unknown: the file does not say which period was
  asked for.
- The 2024 layout (tanya-2024) puts two series in one file, separated by a blank line, with the
  series' own name (sometimes a wrong one: `"Facebook visits"` over `"Date","Facebook Page
  likes"`) instead of `Primary`:

      "Facebook reach"
      "Date","Facebook reach"
      ...
      <blank>
      "Instagram reach"
      "Date","Instagram reach"

  The title above each table decides the metric, never the value column's name. The two
  series belong to two accounts, the Facebook page and the Instagram account of one mission:
  each value carries the platform of its series, and the engine sends it to the account given
  (`--account`) when that is its platform, else to the mission's account of the series'
  platform in the registry (`AccountIndex.platform_routes`). A Facebook series of zeros is
  data (0).

The file does not name its page or account: the account comes from a handle in the file name
or from the user (`--account`).
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path

from connectors.base import (
    Cell,
    DailyValue,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    normalise,
    register,
)
from connectors.parse import dates_in_name, text
from data.domain import DAILY_METRICS, PLATFORMS

TITLES_FILE = Path(__file__).with_name("meta_insights_titles.csv")
_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?\S*)?\s*$")


@cache
def title_languages() -> dict[str, str]:
    """Normalised title -> the interface language it is written in (ISO 639-1)."""
    with TITLES_FILE.open(encoding="utf-8", newline="") as handle:
        return {normalise(r["title"]): r["language"].strip() for r in csv.DictReader(handle)}


@cache
def titles() -> dict[str, tuple[str, str | None]]:
    """Normalised title -> (DAILY_METRICS name, platform or None when the title names none)."""
    out: dict[str, tuple[str, str | None]] = {}
    with TITLES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            metric, platform = row["metric"].strip(), row["platform"].strip() or None
            if metric not in DAILY_METRICS or (platform and platform not in PLATFORMS):
                raise ValueError(f"{TITLES_FILE.name}: bad row {row}")
            out[normalise(row["title"])] = (metric, platform)
    return out


def known_titles() -> str:
    """The English titles, for messages."""
    with TITLES_FILE.open(encoding="utf-8", newline="") as handle:
        return ", ".join(r["title"] for r in csv.DictReader(handle) if r["language"] == "en")


def blocks(rows: list[list[Cell]]) -> list[list[list[Cell]]]:
    """The file's tables: runs of rows separated by wholly empty rows."""
    out: list[list[list[Cell]]] = []
    current: list[list[Cell]] = []
    for row in rows:
        first = row[0] if row else None
        # A row that starts with text is not empty (most rows); others are looked at whole.
        if not (first.__class__ is str and first.strip()) and all(text(c) is None for c in row):
            if current:
                out.append(current)
                current = []
            continue
        current.append(row)
    if current:
        out.append(current)
    return out


def filled(row: list[Cell]) -> list[Cell]:
    """The row without its trailing empty cells (a re-saved file pads rows to one width)."""
    if row and row[-1].__class__ is str and row[-1].strip():
        return list(row)  # ends with text (most rows): nothing to drop
    cells = list(row)
    while cells and text(cells[-1]) is None:
        cells.pop()
    return cells


@lru_cache(maxsize=4096)
def _day_of_text(cell: str) -> date | None:
    """`day_of` of a text cell that holds a date, None for any other (refused by `day_of`).
    Remembered: every series file of an import repeats the same few hundred days."""
    m = _DAY.match(cell.strip())
    if m:
        try:
            return date.fromisoformat(m[1])
        except ValueError:
            pass
    return None


def day_of(cell: Cell, row: int) -> date:
    """The date part of `2025-03-09T01:00:00` (the hour flips with daylight saving time)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    day = _day_of_text(cell if cell.__class__ is str else text(cell) or "")
    if day is not None:
        return day
    raise ImportRefused("bad_date", column="Date", row=row, value=(text(cell) or "")[:40])


@register
class MetaInsightsSeries(ExportFormat):
    id = "meta_insights_series"
    platform = None  # the title decides, or the account
    label = "Meta Business Suite insights (one metric a day)"
    label_vi = "Meta Business Suite: thông tin chi tiết (một chỉ số mỗi ngày)"
    required_columns = ("Date", "Primary")

    def detect(self, doc: Document) -> bool:
        rows = doc.rows
        if doc.kind != "csv" or len(rows) < 2:
            return False
        if len(filled(rows[0])) != 1 or text(rows[0][0]) is None:
            return False
        header = self.header(doc, 1)
        if len(filled(rows[1])) != 2 or header[0] != "date":
            return False
        # `Primary`, or (2024 layout) the series' own name under a title DiploPulse knows.
        return header[1] == "primary" or normalise(rows[0][0]) in titles()

    def read(self, doc: Document) -> Parsed:
        series: list[tuple[str, str | None, dict[date, float | None]]] = []
        languages: set[str] = set()
        offset = 0  # rows of the file before the block, for messages
        for block in blocks(doc.rows):
            first_row = next(i for i in range(offset, len(doc.rows)) if doc.rows[i] is block[0])
            offset = first_row + len(block)
            title = text(block[0][0]) or ""
            if len(filled(block[0])) != 1 or normalise(title) not in titles():
                raise ImportRefused("bad_title", title=title[:80], known=known_titles())
            metric, platform = titles()[normalise(title)]
            languages.add(title_languages()[normalise(title)])
            if len(block) < 2:
                continue  # a title without a table: the series is not in the file (unknown)
            rows = [filled(r)[:2] for r in block[1:]]
            tab = self.table(doc, rows=[["Date", "Value"], *rows[1:]], pad_short_rows=True)
            if self.header(doc, first_row + 1)[0] != "date":
                raise ImportRefused("missing_columns", columns="Date")
            tab.row_numbers = [first_row + 3 + i for i in range(len(tab.rows))]
            numbers = tab.numbers(1)
            values: dict[date, float | None] = {}
            for i, row in enumerate(tab.rows):
                day = day_of(row[0], tab.row_number(i))
                value = numbers[i]
                if day in values and values[day] != value:
                    raise ImportRefused("duplicate_day", date=day.isoformat())
                values[day] = value
            if values:
                series.append((metric, platform, values))
        if not series:
            raise ImportRefused("no_dates")

        series = _platforms_of_unnamed(series)
        platforms = {p for _, p, _ in series if p}
        several = len(platforms) > 1
        daily: list[DailyValue] = []
        seen: set[tuple[str | None, str]] = set()
        # One export is of one period: in a file of several series, the period is all of the
        # file's days (mh4u-2024: the Instagram series leaves out its last day, a 0).
        start = min(min(values) for _, _, values in series)
        end = max(max(values) for _, _, values in series)
        for metric, platform, values in series:
            if (platform, metric) in seen:
                raise ImportRefused("duplicate_series", metric=metric)
            seen.add((platform, metric))
            first, last = start, end
            day = first
            while day <= last:
                # A day Meta left out is a day with 0 (the series is sparse), not an unknown day.
                value = values.get(day, 0.0)
                daily.append(DailyValue(day, metric, value, platform=platform if several else None))
                day += timedelta(days=1)
        named_dates = dates_in_name(doc.source.filename)
        return Parsed(
            platform=None if several else next(iter(platforms), None),
            as_of=named_dates[-1] if named_dates else None,
            period_start=min(v.date for v in daily),
            period_end=max(v.date for v in daily),
            daily=daily,
            language=next((lang for lang in sorted(languages) if lang != "en"), None),
        )


def _platforms_of_unnamed(
    series: list[tuple[str, str | None, dict[date, float | None]]],
) -> list[tuple[str, str | None, dict[date, float | None]]]:
    """The 2024 layout can title its first series without a platform word (mh4u-2024:
    `Follows` over `Instagram follows`). Meta's two series are a Facebook page's and an
    Instagram account's: a series without a platform beside a series of the same metric that
    names one is the other platform's. Anything else ambiguous is refused."""
    named = {(metric, platform) for metric, platform, _ in series if platform}
    out = []
    for metric, platform, values in series:
        if platform is None:
            others = {p for m, p in named if m == metric}
            if others:
                rest = {"facebook", "instagram"} - others
                if len(others) != 1 or len(rest) != 1:
                    raise ImportRefused("duplicate_series", metric=metric)
                platform = rest.pop()
        out.append((metric, platform, values))
    return out
