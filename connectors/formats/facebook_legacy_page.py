"""Facebook Page Insights legacy export, page level: one row a day, up to ~2,000 columns.

File `Facebook Insights Data Export - <Page name> - YYYY-MM-DD.csv` (or `.xlsx`, the table on
sheet `Key Metrics`). Quirks read here: a UTF-8 BOM; row 2 is a description row whose first
cell is empty; some header names occur twice (only the description row tells them apart; none
of the columns read here is one of them); an empty cell is unknown.

Read: the page's total likes (its audience size in this era, a known follower total), new likes
and unlikes, reach, impressions and engaged users of each day. The file does not carry the
page id: the page name in the file name is the account hint, and the name's date the as-of.
The functions `page_name_in_filename` and `description_rows` are shared with the post-level
export (`facebook_legacy_posts`).
"""

from __future__ import annotations

import re
from datetime import date

from connectors.base import (
    AccountHints,
    Cell,
    DailyValue,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    register,
)
from connectors.parse import dates_in_name, number, parse_date, sheet_where

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

    def detect(self, doc: Document) -> bool:
        return sheet_where(doc, _is_page_header) is not None

    def read(self, doc: Document) -> Parsed:
        rows = sheet_where(doc, _is_page_header) or []
        tab = self.table(doc, rows, skip=description_rows(rows), merge_copies=False)
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
        if not days:
            raise ImportRefused("no_dates")

        # Every day and metric becomes a record, an empty cell a None: the export covered the
        # day and did not give the value, which is not the same as a day it did not cover.
        daily = [
            DailyValue(day, metric, value)
            for day, values in sorted(days.items())
            for metric, value in values.items()
        ]
        name = page_name_in_filename(doc.source.filename)
        named_dates = dates_in_name(doc.source.filename)
        return Parsed(
            platform="facebook",
            hints=AccountHints(display_names=frozenset({name} if name else ())),
            as_of=named_dates[-1] if named_dates else None,
            period_start=min(days),
            period_end=max(days),
            daily=daily,
        )
