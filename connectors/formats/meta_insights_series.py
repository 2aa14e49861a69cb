"""Meta Business Suite insights time series: one CSV a metric, one row a day.

UTF-16 LE with BOM, every field quoted, a `sep=,` line first (consumed when the file is decoded,
connectors/sources.py), then the metric's title, then the table:

    sep=,
    "Facebook follows"
    "Date","Primary"
    "2025-08-01T00:00:00","20"

The title says which metric the file holds (`TITLES`); an unknown title is refused rather than
guessed. `... follows` are gross new follows. The series is sparse: Meta leaves out the days
whose value is 0, so a day missing between the file's first and last date is 0. Days before the
first row or after the last stay unknown, because the file does not say which period was asked.

The file does not name its page or account, and only some titles name the platform: the account
comes from a handle in the file name or from the user (`--account`).
"""

from __future__ import annotations

from datetime import date, timedelta

from connectors.base import (
    DailyValue,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    normalise,
    register,
)
from connectors.parse import dates_in_name, number, parse_date, text

DATE_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]
# Title as Meta writes it -> (DAILY_METRICS name, platform or None when the title names none).
TITLES = {
    "Facebook follows": ("new_follows", "facebook"),
    "Instagram follows": ("new_follows", "instagram"),
    "Views": ("views", None),
    "Viewers": ("reach", None),
    "Content interactions": ("engagements", None),
    "Facebook link clicks": ("link_clicks", "facebook"),
    "Facebook visits": ("profile_visits", "facebook"),
    "Instagram profile visits": ("profile_visits", "instagram"),
}
_BY_TITLE = {normalise(title): value for title, value in TITLES.items()}


@register
class MetaInsightsSeries(ExportFormat):
    id = "meta_insights_series"
    platform = None  # the title decides, or the account
    label = "Meta Business Suite insights (one metric a day)"

    def detect(self, doc: Document) -> bool:
        rows = doc.rows
        if doc.kind != "csv" or len(rows) < 2:
            return False
        title_cells = [c for c in rows[0] if str(c or "").strip()]
        return len(title_cells) == 1 and doc.header(1)[:2] == ["date", "primary"]

    def read(self, doc: Document) -> Parsed:
        title = text(doc.rows[0][0]) or ""
        if normalise(title) not in _BY_TITLE:
            raise ImportRefused("bad_title", title=title, known=", ".join(TITLES))
        metric, platform = _BY_TITLE[normalise(title)]

        tab = self.table(doc, header_row=1)
        c_date, c_value = tab.index("Date"), tab.index("Primary")
        values: dict[date, float | None] = {}
        for offset, row in enumerate(tab.rows):
            row_number = tab.first_data_row + offset
            day = parse_date(row[c_date], DATE_FORMATS, "Date", row_number)
            if day is None:
                raise ImportRefused("bad_date", column="Date", row=row_number, value="")
            value = number(row[c_value], "Primary", row_number)
            if day in values and values[day] != value:
                raise ImportRefused("duplicate_day", date=day.isoformat())
            values[day] = value
        if not values:
            raise ImportRefused("no_dates")

        first, last = min(values), max(values)
        daily = []
        day = first
        while day <= last:
            # A day Meta left out is a day with 0 (the series is sparse), not an unknown day.
            daily.append(DailyValue(day, metric, values.get(day, 0.0)))
            day += timedelta(days=1)
        named_dates = dates_in_name(doc.source.filename)
        return Parsed(
            platform=platform,
            as_of=named_dates[-1] if named_dates else None,
            period_start=first,
            period_end=last,
            daily=daily,
        )
