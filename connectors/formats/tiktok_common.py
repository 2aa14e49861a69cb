"""What the TikTok formats share: video links, TikTok Studio's daily series without a year, and
the numbers of a table read one column at a time.

No format is registered here. The layouts are in `tiktok_studio_*.py` (TikTok Studio's
Analytics "Download data": Overview, Viewers, FollowerHistory, Content, FollowerActivity,
FollowerGender, FollowerTopTerritories; CSV in a zip, or XLSX) and `tiktok_business_*.py` (a
business account's overview, audience and video exports, dates with a year).

TikTok Studio's files name neither the account nor the period: `Overview.csv` has days like
`"February 28"` and nothing else. The engine maps such a file by a handle in its name or its
zip's (`haileytupy2.0_analytics.zip`), else by `--account`; the year of its days comes from
the export's as-of date (`connectors.monthday`). Content files carry the handle in their video
links (`https://www.tiktok.com/@haileytupy2.0/video/7527623000473079054`), and the follower
files sit in a folder `Followers_<handle>/` (`Followers_haileytupy2.0/FollowerHistory.csv`),
which is read as a hint too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import ClassVar

from connectors.base import (
    AccountHints,
    Cell,
    DailyValue,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
)
from connectors.monthday import read_month_days, series_dates
from connectors.parse import Table, daily_values, text
from data.localtime import ministry_today

_VIDEO_LINK = re.compile(
    r"^https?://(?:www\.|m\.|vm\.)?tiktok\.com/@(?P<handle>[A-Za-z0-9_.]{1,64})/"
    r"(?:video|photo)/(?P<id>\d{6,25})(?:[/?#].*)?$",
    re.I,
)


def video_link(cell: Cell, column: str, row: int) -> tuple[str, str, str]:
    """(video id, account handle, link) of a TikTok video link; `tiktok_bad_link` otherwise.

    The id in the link is the post id TikTok uses everywhere; it is read from the link, which
    a spreadsheet cannot turn into `7.52762E+18` the way it does a number cell.
    """
    link = text(cell)
    m = _VIDEO_LINK.match(link or "")
    if m is None:
        raise ImportRefused("tiktok_bad_link", column=column, row=row, value=(link or "")[:80])
    return m["id"], m["handle"], link or ""


def video_post(
    link_cell: Cell,
    row: int,
    published: date | datetime | None,
    title: Cell,
    metrics: dict[str, float | None],
) -> tuple[PostRecord, str]:
    """(the post, its account's handle) of a row of a per-video export (Studio `Content`,
    business `Videos`): id and handle from the video link, a photo post when the link says
    `/photo/`, else a video."""
    post_id, handle, link = video_link(link_cell, "Video link", row)
    record = PostRecord(
        post_id=post_id,
        published=published,
        text=text(title),
        permalink=link,
        post_type="Photos" if "/photo/" in link else "Videos",
        **metrics,
    )
    return record, handle


# TikTok Studio puts the follower files in a folder `Followers_<handle>` (a copy of it may be
# `Followers_<handle>-2`; a handle has no `-`).
_FOLLOWERS_FOLDER = re.compile(r"(?:^|/)Followers_(?P<handle>[A-Za-z0-9_.]{1,64}?)(?:-\d+)?/")


def folder_hints(doc: Document) -> AccountHints:
    """The handle of a `Followers_<handle>/` folder the file sits in (loose or in a zip)."""
    found = {m["handle"] for m in _FOLLOWERS_FOLDER.finditer(doc.source.name.replace("\\", "/"))}
    return AccountHints(handles=frozenset(found))


def counts(tab: Table, col: int) -> list[float | None]:
    """A column of counts, read with one convention for the column (`Table.numbers`: plain,
    else English `1,234`). A count is a whole number: a value read as `1.234` (a thousands
    point of some interface language, or damage) refuses the file rather than being stored
    as one and a quarter."""
    values = tab.numbers(col)
    for offset, value in enumerate(values):
        if value is not None and not float(value).is_integer():
            raise ImportRefused(
                "bad_number",
                column=tab.columns[col],
                row=tab.row_number(offset),
                value=str(tab.rows[offset][col]).strip()[:40],
            )
    return values


def numeric_table(tab: Table, cols: Sequence[int]) -> Table:
    """`tab` with the cells of `cols` replaced by their counts (`counts`), for
    `connectors.parse.daily_values`."""
    rows = [list(row) for row in tab.rows]
    for col in cols:
        for offset, value in enumerate(counts(tab, col)):
            rows[offset][col] = value
    return Table(tab.columns, rows, tab.first_data_row, tab.language, list(tab.row_numbers))


def yearless_series(tab: Table, col: int, as_of: date | None) -> tuple[str | None, list]:
    """(interface language, date of each row) of a column of days without a year, the
    series ending on or before `as_of` (see `connectors.monthday`)."""
    language, values = read_month_days([row[col] for row in tab.rows], "Date", tab.row_number)
    days = series_dates(values, as_of or ministry_today(), "Date", tab.row_number)
    return language, days


class StudioSeries(ExportFormat):
    """A TikTok Studio file of one row a day: `Date` (no year) and counts.

    `metrics`: (DAILY_METRICS name or None when not read, column, required); `signature`: the
    normalised headers the file must have (with `date` first); `net_counts`: see below.
    """

    platform = "tiktok"
    metrics: ClassVar[tuple[tuple[str | None, str, bool], ...]]
    signature: ClassVar[frozenset[str]]
    #: metrics the file gives as a day's net change (added minus removed): a negative value
    #: says more were removed than added, not how many came; that day's value is left out
    net_counts: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "metrics" in cls.__dict__:
            cls.required_columns = ("Date", *(name for _, name, req in cls.metrics if req))
            cls.optional_columns = tuple(name for _, name, req in cls.metrics if not req)

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "date" and self.signature <= set(header)

    def values(self, tab: Table, days: list[date | None]) -> list[DailyValue]:
        """The day's values; formats override to read more than plain counts."""
        columns = [
            (metric, tab.index(name, required=required))
            for metric, name, required in self.metrics
            if metric is not None
        ]
        columns = [(metric, col) for metric, col in columns if col is not None]
        numeric = numeric_table(tab, [c for _, c in columns])
        self.removals = 0
        for metric, col in columns:
            if metric in self.net_counts:
                for row in numeric.rows:
                    if row[col] is not None and row[col] < 0:
                        row[col] = None  # a net removal: the day's count is not known
                        self.removals += 1
        return daily_values(numeric, days, columns)

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        for _, name, required in self.metrics:
            tab.index(name, required=required)
        # The dates' language is not the numbers': TikTok writes counts plainly whatever the
        # interface (`counts`).
        language, days = yearless_series(tab, tab.index("Date"), doc.as_of)
        daily = self.values(tab, days)
        known = [d for d in days if d is not None]
        removals = getattr(self, "removals", 0)
        return Parsed(
            platform="tiktok",
            hints=folder_hints(doc),
            period_start=min(known, default=None),
            period_end=max(known, default=None),
            daily=daily,
            language=language if language != "en" else None,
            # said on the import line: those days' counts are unknown, not lost in silence
            skipped={"tiktok_net_removal": removals} if removals else {},
        )
