"""The events table: state visits, national days, Tết, campaigns, against which a mission's
numbers are compared (`metrics/events.py`).

`events.csv` in the registry folder (`data/registry/`, or `DIPLOPULSE_REGISTRY`) is kept by
analysts, by hand or on the Events page, with exactly the columns
`event_id,name_en,name_vi,kind,start,end,missions,countries`: `start` and `end` are local dates
(both included), `missions` and `countries` lists separated by `;` (empty = every mission, every
country). A bad row is refused whole with one line naming the file, the row, what is wrong and
what to do, in the reader's language (`EventsError.message`); a file is saved only when every row
passes, and atomically (a temporary file renamed over it), so a reader never sees half a file.

The starter set (`starter_events`) holds the recurring dates of the years the data covers:
Tết (the first three days of the lunar year), 30 April, ASEAN Day, 2 September, UN Day.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from i18n import t

EVENTS_FILE = "events.csv"
EVENT_COLUMNS = ("event_id", "name_en", "name_vi", "kind", "start", "end", "missions", "countries")
EVENT_KINDS = (
    "state_visit",
    "national_day",
    "tet",
    "asean",
    "un",
    "cultural_week",
    "crisis",
    "campaign",
    "other",
)
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

# The first day of the lunar year (Tết Nguyên đán) in Viet Nam (UTC+7). No lunar-calendar
# library is installed, so the dates are listed. Source: the Vietnamese government's annual
# Tết holiday announcements and the Hồ Ngọc Đức Vietnamese lunar calendar tables
# (https://www.informatik.uni-leipzig.de/~duc/amlich/): 22/01/2023, 10/02/2024, 29/01/2025,
# 17/02/2026, 06/02/2027.
TET_DATES = {
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
}
STARTER_YEARS = tuple(TET_DATES)


@dataclass(frozen=True)
class Event:
    """One row of events.csv, checked. `missions` / `countries`: empty tuple = all."""

    event_id: str
    name_en: str
    name_vi: str
    kind: str
    start: date
    end: date
    missions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        """The event window's length in days, both ends included."""
        return (self.end - self.start).days + 1

    def name(self, lang: str) -> str:
        """The event's name in the language (Vietnamese, else English)."""
        return self.name_vi if lang == "vi" and self.name_vi else self.name_en

    def row(self) -> dict[str, str]:
        """The event as a row of events.csv."""
        return {
            "event_id": self.event_id,
            "name_en": self.name_en,
            "name_vi": self.name_vi,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "missions": ";".join(self.missions),
            "countries": ";".join(self.countries),
        }


class EventsError(ValueError):
    """A row of events.csv is refused: `code` says what (i18n `events.error.<code>`) and the
    line says what to do (`events.todo.<code>`), with the file and the row."""

    def __init__(self, file: str, row: int | None, code: str, **params: object) -> None:
        self.file, self.row, self.code, self.params = file, row, code, params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        """One line: file, row, what is wrong and what to do, in `lang`."""
        what = t(f"events.error.{self.code}", lang=lang, **self.params)
        todo = t(f"events.todo.{self.code}", lang=lang, **self.params)
        if self.row is None:
            return t("events.error.line_file", lang=lang, file=self.file, what=what, todo=todo)
        return t("events.error.line", lang=lang, file=self.file, row=self.row, what=what, todo=todo)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def _date(cell: str) -> date | None:
    try:
        return date.fromisoformat(cell.strip())
    except ValueError:
        return None


def check_rows(
    rows: Iterable[Mapping[str, object]],
    file: str = EVENTS_FILE,
    missions: Iterable[str] | None = None,
    first_row: int = 2,
) -> list[Event]:
    """The rows as events, or `EventsError` for the first bad one (row numbers as a spreadsheet
    shows them: the header is row 1). `missions`: the known mission ids (None = not checked).
    Blank rows are skipped."""
    known = set(missions) if missions is not None else None
    events: list[Event] = []
    seen: set[str] = set()
    for number, raw in enumerate(rows, start=first_row):
        cells = {c: "" if raw.get(c) is None else str(raw.get(c)).strip() for c in EVENT_COLUMNS}
        # A cell a table editor left empty may come back as NaN / None / "nan".
        cells = {c: "" if v.lower() in ("nan", "none", "nat") else v for c, v in cells.items()}
        if not any(cells.values()):
            continue
        event_id = cells["event_id"]
        if not _ID.match(event_id):
            raise EventsError(file, number, "bad_id", value=event_id)
        if event_id in seen:
            raise EventsError(file, number, "duplicate_id", value=event_id)
        if not cells["name_en"] or not cells["name_vi"]:
            raise EventsError(file, number, "no_name")
        if cells["kind"] not in EVENT_KINDS:
            raise EventsError(
                file, number, "bad_kind", value=cells["kind"], kinds=", ".join(EVENT_KINDS)
            )
        start, end = _date(cells["start"]), _date(cells["end"])
        if start is None:
            raise EventsError(file, number, "bad_date", column="start", value=cells["start"])
        if end is None:
            raise EventsError(file, number, "bad_date", column="end", value=cells["end"])
        if end < start:
            raise EventsError(file, number, "end_before_start", start=start, end=end)
        chosen = _split(cells["missions"])
        unknown = [m for m in chosen if known is not None and m not in known]
        if unknown:
            raise EventsError(file, number, "unknown_mission", value=unknown[0])
        countries = _split(cells["countries"])
        bad = [c for c in countries if not _COUNTRY.match(c)]
        if bad:
            raise EventsError(file, number, "bad_country", value=bad[0])
        seen.add(event_id)
        events.append(
            Event(
                event_id,
                cells["name_en"],
                cells["name_vi"],
                cells["kind"],
                start,
                end,
                chosen,
                countries,
            )
        )
    return events


def parse_events(
    text: str, file: str = EVENTS_FILE, missions: Iterable[str] | None = None
) -> list[Event]:
    """Events from the text of an events.csv (a BOM and Windows line ends are fine)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    if not rows or tuple(c.strip() for c in rows[0]) != EVENT_COLUMNS:
        raise EventsError(file, None, "bad_header", columns=",".join(EVENT_COLUMNS))
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            records.append({})
            continue
        if len(row) != len(EVENT_COLUMNS):
            raise EventsError(file, number, "cells", found=len(row), expected=len(EVENT_COLUMNS))
        records.append(dict(zip(EVENT_COLUMNS, row, strict=True)))
    return check_rows(records, file, missions)


def _mission_ids(folder: Path) -> list[str] | None:
    path = folder / "missions.csv"
    if not path.is_file():
        return None
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return [row["mission_id"].strip() for row in reader if row.get("mission_id")]


def events_path(folder: Path | str) -> Path:
    """Where a registry folder keeps its events."""
    return Path(folder) / EVENTS_FILE


def load_events(folder: Path | str) -> list[Event]:
    """The events of a registry folder, checked (missions against its missions.csv); none when
    the folder has no events.csv. Raises `EventsError`."""
    folder = Path(folder)
    path = events_path(folder)
    if not path.is_file():
        return []
    return parse_events(path.read_text(encoding="utf-8"), str(path), _mission_ids(folder))


def to_csv(events: Sequence[Event]) -> str:
    """The text of an events.csv holding `events`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EVENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(event.row() for event in events)
    return buffer.getvalue()


def save_events(folder: Path | str, rows: Iterable[Mapping[str, object]]) -> list[Event]:
    """Check `rows` (dicts keyed by EVENT_COLUMNS: from a table editor or an imported CSV)
    and write them as the folder's events.csv, atomically. Raises `EventsError` (nothing
    written) for a bad row."""
    folder = Path(folder)
    path = events_path(folder)
    events = check_rows(rows, str(path), _mission_ids(folder))
    # Written beside the file, then renamed over it: a reader sees the old or the new file.
    handle, scratch = tempfile.mkstemp(prefix=".events-", suffix=".csv", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(to_csv(events))
        Path(scratch).replace(path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return events


def starter_events(years: Iterable[int] = STARTER_YEARS) -> list[Event]:
    """The recurring dates of `years`: Tết (first three days of the lunar year, for the years
    of TET_DATES), 30 April, ASEAN Day (8 August), National Day (2 September), UN Day
    (24 October). For every mission."""
    events = []
    for year in years:
        if year in TET_DATES:
            first = TET_DATES[year]
            events.append(
                Event(
                    f"tet-{year}",
                    f"Tết {year} (Lunar New Year)",
                    f"Tết Nguyên đán {year}",
                    "tet",
                    first,
                    first + timedelta(days=2),
                )
            )
        for event_id, name_en, name_vi, kind, month, day in (
            (
                "reunification",
                "Reunification Day (30 April)",
                "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)",
                "national_day",
                4,
                30,
            ),
            ("asean-day", "ASEAN Day", "Ngày ASEAN", "asean", 8, 8),
            ("national-day", "National Day (2 September)", "Quốc khánh 2/9", "national_day", 9, 2),
            ("un-day", "UN Day", "Ngày Liên hợp quốc", "un", 10, 24),
        ):
            day_of = date(year, month, day)
            events.append(
                Event(
                    f"{event_id}-{year}",
                    f"{name_en} {year}",
                    f"{name_vi} {year}",
                    kind,
                    day_of,
                    day_of,
                )
            )
    return sorted(events, key=lambda e: (e.start, e.event_id))


def read_rows(folder: Path | str) -> list[dict[str, str]]:
    """The rows of a folder's events.csv as they are, unchecked (for the editor to show a file
    that was refused, so the analyst can correct it); the cells of missing columns empty."""
    path = events_path(folder)
    if not path.is_file():
        return []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return [{c: (row.get(c) or "") for c in EVENT_COLUMNS} for row in reader]
