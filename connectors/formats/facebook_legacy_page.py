"""Facebook Page Insights legacy export, page level: one row a day, up to ~2,000 columns.

File `Facebook Insights Data Export - <Page name> - YYYY-MM-DD.csv` (or `.xlsx`, the table on
sheet `Key Metrics`). Quirks read here: a UTF-8 BOM; row 2 is a description row whose first
cell is empty; some header names occur twice (only the description row tells them apart; none
of the columns read here is one of them); an empty cell is unknown.

Read: the page's total likes (its audience size in this era, a known follower total), new likes
and unlikes, reach, impressions and engaged users of each day. The file does not carry the
page id: the page name in the file name is the account hint, and the name's date the as-of.
The functions `page_name_in_filename` and `description_rows` are shared with the post-level
export (`facebook_legacy_posts`). A row dated after the file name's date is left out: that day
had not been measured when the file was exported (LOK's 2017-07-06 row: the like total and 0
for every daily metric), and its zeros would read as a day without reach.

**Raw API metric keys.** Some exports (LOK Vietnam, `Facebook Insights Data Export - LOK -
2017-07-05.xls`, SpreadsheetML saved as `.xls`, 38 worksheets) head the columns with the Graph
API's metric keys instead of their titles. They are header aliases (`header_aliases.csv`,
language `en`), each checked against the description row (row 2) of that file and of the Saku
CSV (`Facebook Insights Data Export - Saku - 2020-08-03.csv`, human titles):

| raw key (LOK) | title (Saku) | description row, both files |
|---|---|---|
| `page_fans:lifetime` | Lifetime Total Likes | "Lifetime: The total number of people who have liked your Page. (Unique Users)" |
| `page_fan_adds_unique:day` | Daily New Likes | "Daily: The number of new people who have liked your Page (Unique Users)" |
| `page_fan_removes_unique:day` | Daily Unlikes | "Daily: The number of Unlikes of your Page (Unique Users)" |
| `page_engaged_users:day` | Daily Page Engaged Users | "Daily: The number of people who engaged with your Page. Engagement includes any click or story created. (Unique Users)" |
| `page_impressions_unique:day` | Daily Total Reach | LOK 2017: "Daily: The number of people who have seen any content associated with your Page. (Unique Users)"; Saku 2020: "... who had any content from your Page or about your Page enter their screen ... (Unique Users)" (the same metric, re-worded when Facebook moved to "on screen" counting) |
| `page_impressions:day` | Daily Total Impressions | LOK: "Daily: The number of impressions seen of any content associated with your Page. (Total Count)"; Saku: "Daily: The number of times any content from your Page or about your Page entered a person's screen ... (Total Count)" |

**Audience geography.** `Lifetime Likes by Country` and `Lifetime Likes by City` count the
people who like the page by place, a top-50 list each day. The CSV writes them as columns
`Lifetime Likes by Country - AT` / `Lifetime Likes by City - Adelaide, SA, Australia` on the one
sheet; a workbook puts each on its own worksheet (`Lifetime Likes By Country`: `Description,
Date, AE, AO, ...`, the description in column A of the first day's row). Only the latest day that
has values is stored (a follower breakdown as of that day: `AudienceValue(country|city, ...,
unit count, kind followers, as_of=that day)`); the last day of a file is often empty (Saku
2020-08-03, LOK 2017-07-05 and 07-06). An empty cell is a place not in that day's top list:
no record, not 0. A country code Babel does not know is kept under dimension `other`.
"""

from __future__ import annotations

import re
from datetime import date

from connectors.base import (
    AccountHints,
    AudienceValue,
    Cell,
    DailyValue,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    normalise,
    register,
)
from connectors.countries import country_code
from connectors.parse import dates_in_name, number, parse_date

DATE_FORMATS = ["%Y-%m-%d"]
# DAILY_METRICS name -> the legacy column it is read from.
METRICS = {
    "followers": "Lifetime Total Likes",
    "new_follows": "Daily New Likes",
    "unfollows": "Daily Unlikes",
    "reach": "Daily Total Reach",
    "impressions": "Daily Total Impressions",
    "engagements": "Daily Page Engaged Users",
}
_SIGNATURE = {name.lower() for name in METRICS.values()}
# Audience dimension -> the breakdown's title (a column prefix in a CSV, a sheet name in a
# workbook; compared normalised, since the workbook writes `By Country` and the CSV `by Country`).
GEOGRAPHY = {"country": "lifetime likes by country", "city": "lifetime likes by city"}

_FILE_NAME = re.compile(
    r"^Facebook Insights Data Export(?: \(Post Level\))? - (?P<page>.+) - \d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)


def page_name_in_filename(filename: str) -> str | None:
    """The page name in `Facebook Insights Data Export[ (Post Level)] - <Page> - YYYY-MM-DD`."""
    m = _FILE_NAME.match(filename)
    return (m["page"].strip() or None) if m else None


def description_rows(rows: list[list[Cell]]) -> tuple[int, ...]:
    """(1,) when row 2 is the legacy description row (its first cell empty), else ()."""
    if len(rows) > 1 and rows[1] and str(rows[1][0] or "").strip() == "":
        return (1,)
    return ()


def _is_page_header(header: list[str]) -> bool:
    # `Date` first and at least one of the metrics read here: enough to tell it from any other
    # layout; a file missing some of them is refused by `read` with their names.
    return bool(header) and header[0] == "date" and bool(_SIGNATURE & set(header))


@register
class FacebookLegacyPage(ExportFormat):
    id = "facebook_legacy_page"
    platform = "facebook"
    label = "Facebook Page Insights (legacy export, page level)"
    label_vi = "Facebook Page Insights (bản xuất cũ, cấp trang)"
    required_columns = ("Date", *METRICS.values())

    def _sheet(self, doc: Document) -> list[list[Cell]] | None:
        """The rows of the first sheet whose header (raw API keys read as their titles) is the
        page-level one."""
        for name, rows in doc.sheets.items():
            if rows and _is_page_header(self.header(doc, 0, name)):
                return rows
        return None

    def detect(self, doc: Document) -> bool:
        return self._sheet(doc) is not None

    def read(self, doc: Document) -> Parsed:
        rows = self._sheet(doc) or []
        tab = self.table(
            doc,
            rows,
            skip=description_rows(rows),
            merge_copies=False,
            pad_short_rows=doc.kind == "xlsx",
        )
        missing = [name for name in METRICS.values() if not tab.has(name)]
        if missing:
            raise ImportRefused("missing_columns", columns=", ".join(missing))
        c_date = tab.index("Date")
        columns = {metric: tab.index(name) for metric, name in METRICS.items()}

        first_row = tab.first_data_row + len(description_rows(rows))  # for messages
        days: dict[date, dict[str, float | None]] = {}
        for offset, row in enumerate(tab.rows):
            row_number = first_row + offset
            day = parse_date(row[c_date], DATE_FORMATS, "Date", row_number)
            if day is None:
                raise ImportRefused("bad_date", column="Date", row=row_number, value="")
            values = {
                metric: number(row[col], METRICS[metric], row_number)
                for metric, col in columns.items()
            }
            if day in days and days[day] != values:
                raise ImportRefused("duplicate_day", date=day.isoformat())
            days[day] = values
        named_dates = dates_in_name(doc.source.filename)
        if named_dates:
            # A day after the export's date was not measured yet: Facebook writes it with the
            # last like total and 0 for every daily metric (LOK 2017-07-05.xls has 2017-07-06
            # so, while its 28-day columns are filled). Those zeros are unknowns, not values.
            later = [day for day in days if day > named_dates[-1]]
            days = {day: values for day, values in days.items() if day <= named_dates[-1]}
        if not days:
            raise ImportRefused("no_dates")

        # Every day and metric becomes a record, an empty cell a None: the export covered the
        # day and did not give the value, which is not the same as a day it did not cover.
        daily = [
            DailyValue(day, metric, value)
            for day, values in sorted(days.items())
            for metric, value in values.items()
        ]
        audience = []
        for dimension, title in GEOGRAPHY.items():
            series = _breakdown_columns(rows, tab, title, c_date, first_row)
            series.update(_breakdown_sheet(doc, title))
            if named_dates:
                series = {day: v for day, v in series.items() if day <= named_dates[-1]}
            audience += _latest_breakdown(dimension, series)
        name = page_name_in_filename(doc.source.filename)
        return Parsed(
            platform="facebook",
            hints=AccountHints(display_names=frozenset({name} if name else ())),
            as_of=named_dates[-1] if named_dates else None,
            period_start=min(days),
            period_end=max(days),
            daily=daily,
            audience=audience,
            skipped={"day_after_export": len(later)} if named_dates and later else {},
        )


# A breakdown as {day: {key: value}}: the places of each day that have a value.
Breakdown = dict[date, dict[str, float]]


def _breakdown_columns(
    rows: list[list[Cell]], tab: object, title: str, c_date: int, first_row: int
) -> Breakdown:
    """A breakdown written as `<title> - <key>` columns of the daily table (CSV era)."""
    prefix = f"{title} - "
    columns = {
        i: str(rows[0][i]).split(" - ", 1)[1].strip()
        for i, name in enumerate(tab.columns)
        if name.startswith(prefix) and " - " in str(rows[0][i])
    }
    series: Breakdown = {}
    for offset, row in enumerate(tab.rows):
        day = parse_date(row[c_date], DATE_FORMATS, "Date", first_row + offset)
        for i, key in columns.items():
            value = number(row[i], str(rows[0][i]), first_row + offset)
            if value is not None and day is not None:
                series.setdefault(day, {})[key] = value
    return series


def _breakdown_sheet(doc: Document, title: str) -> Breakdown:
    """A breakdown on its own worksheet (workbook era). Facebook's layout: `Description, Date,
    <key>, ...`, the description in column A of the first day's row (LOK 2017). Also read: a
    `Date, <title> - <key>, ...` sheet with the description row 2 (DiploPulse's sample files)."""
    rows = next(
        (rows for name, rows in doc.sheets.items() if normalise(name) == title and rows), None
    )
    if rows is None:
        return {}
    header = [normalise(c) for c in rows[0]]
    if "date" not in header:
        raise ImportRefused("missing_columns", columns=f"{title}: Date")
    c_date = header.index("date")
    prefix = f"{title} - "
    keys = {
        i: str(rows[0][i]).strip()[len(prefix) :]
        if name.startswith(prefix)
        else str(rows[0][i]).strip()
        for i, name in enumerate(header)
        if name and name not in ("date", "description")
    }
    series: Breakdown = {}
    for number_, row in enumerate(rows[1:], start=2):
        if not row or all(c is None or str(c).strip() == "" for c in row):
            continue
        cell = row[c_date] if c_date < len(row) else None
        if number_ == 2 and (cell is None or str(cell).strip() == ""):
            continue  # the description row
        day = parse_date(cell, DATE_FORMATS, "Date", number_)
        if day is None:
            raise ImportRefused("bad_date", column="Date", row=number_, value="")
        for i, key in keys.items():
            value = number(row[i] if i < len(row) else None, key, number_)
            if value is not None:
                series.setdefault(day, {})[key] = value
    return series


def _latest_breakdown(dimension: str, series: Breakdown) -> list[AudienceValue]:
    """The breakdown of the latest day that has one, as audience records as of that day."""
    if not series:
        return []
    day = max(series)
    records = []
    for key, value in sorted(series[day].items()):
        if dimension == "country":
            code = country_code(key)
            dim, key = ("country", code) if code else ("other", key)
        else:
            dim = dimension
        records.append(AudienceValue(dim, key, value, "count", "followers", as_of=day))
    return records
