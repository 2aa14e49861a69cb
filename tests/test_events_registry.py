"""events.csv: the shipped starter set, and a bad row refused with one line in both languages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from data.events import (
    EVENT_COLUMNS,
    TET_DATES,
    EventsError,
    load_events,
    parse_events,
    save_events,
    starter_events,
    to_csv,
)
from data.registry import DEFAULT_REGISTRY

HEADER = ",".join(EVENT_COLUMNS)
GOOD = (
    "visit-jp-2026,State visit to Japan,Thăm Nhật Bản,state_visit,2026-09-10,2026-09-12,emb-jp,JP"
)
OTHER = GOOD.replace("visit-jp-2026", "visit-jp-2027")
MISSIONS = ["emb-jp", "emb-us"]


def test_the_shipped_file_is_the_starter_set():
    events = load_events(DEFAULT_REGISTRY)
    assert events == starter_events()
    tet = {e.start.year: (e.start, e.end) for e in events if e.kind == "tet"}
    # Tết 2026 is 17 February (Mùng 1); its window is Mùng 1 to Mùng 3.
    assert tet[2026] == (date(2026, 2, 17), date(2026, 2, 19))
    assert {y: s for y, (s, _) in tet.items()} == TET_DATES
    days = {(e.kind, e.start.month, e.start.day) for e in events if e.start.year == 2026}
    assert ("national_day", 9, 2) in days and ("national_day", 4, 30) in days
    assert ("asean", 8, 8) in days and ("un", 10, 24) in days


def test_a_good_row():
    (event,) = parse_events(f"{HEADER}\n{GOOD}\n", missions=MISSIONS)
    assert event.missions == ("emb-jp",) and event.countries == ("JP",)
    assert event.days == 3 and event.name("vi") == "Thăm Nhật Bản"


@pytest.mark.parametrize(
    ("row", "en", "vi"),
    [
        (
            OTHER.replace("state_visit", "visit"),
            'events.csv, row 3: kind "visit" is not a known kind. Use one of: state_visit,',
            'events.csv, dòng 3: kind "visit" không phải loại đã biết. Dùng một trong các loại:',
        ),
        (
            OTHER.replace("2026-09-12", "12/09/2026"),
            'events.csv, row 3: end "12/09/2026" is not a date. Write dates as YYYY-MM-DD',
            'events.csv, dòng 3: end "12/09/2026" không phải là ngày. Viết ngày theo dạng',
        ),
        (
            OTHER.replace("2026-09-12", "2026-09-01"),
            "events.csv, row 3: the event ends (2026-09-01) before it starts (2026-09-10). Swap",
            "events.csv, dòng 3: sự kiện kết thúc (2026-09-01) trước khi bắt đầu (2026-09-10).",
        ),
        (
            OTHER.replace("emb-jp,", "emb-xx,"),
            'events.csv, row 3: mission "emb-xx" is not in missions.csv. Use mission_id',
            'events.csv, dòng 3: cơ quan "emb-xx" không có trong missions.csv. Dùng mission_id',
        ),
        (
            OTHER.replace(",JP", ",Japan"),
            'events.csv, row 3: country "Japan" is not an ISO code. Use two capital letters',
            'events.csv, dòng 3: quốc gia "Japan" không phải mã ISO. Dùng hai chữ in hoa',
        ),
        (
            OTHER.replace("Thăm Nhật Bản", ""),
            "events.csv, row 3: name_en or name_vi is empty. Give the event a name",
            "events.csv, dòng 3: name_en hoặc name_vi đang trống. Đặt tên sự kiện",
        ),
        (
            GOOD,  # the same id as row 2
            'events.csv, row 3: event_id "visit-jp-2026" appears twice. Give each event',
            'events.csv, dòng 3: event_id "visit-jp-2026" xuất hiện hai lần. Đặt cho mỗi',
        ),
        (
            OTHER + ",extra",
            "events.csv, row 3: the row has 9 cells, 8 expected.",
            "events.csv, dòng 3: dòng có 9 ô, cần 8 ô.",
        ),
    ],
)
def test_a_bad_row_is_refused_with_one_line_in_both_languages(row, en, vi):
    with pytest.raises(EventsError) as caught:
        parse_events(f"{HEADER}\n{GOOD}\n{row}\n", missions=MISSIONS)
    for lang, start in (("en", en), ("vi", vi)):
        line = caught.value.message(lang)
        assert line.startswith(start), line
        assert "\n" not in line


def test_a_bad_header():
    with pytest.raises(EventsError) as caught:
        parse_events("id,name\n")
    assert caught.value.message("en") == (
        f"events.csv: the header is not the expected one. Make the first line exactly: {HEADER}"
    )


def test_save_checks_every_row_then_writes_atomically(tmp_path: Path):
    (tmp_path / "missions.csv").write_bytes((DEFAULT_REGISTRY / "missions.csv").read_bytes())
    before = to_csv(starter_events([2026]))
    (tmp_path / "events.csv").write_text(before, encoding="utf-8")
    rows = [e.row() for e in starter_events([2026])]
    bad = [*rows, {**rows[0], "event_id": "new", "start": "2026-02-30"}]
    with pytest.raises(EventsError) as caught:
        save_events(tmp_path, bad)
    assert caught.value.row == len(bad) + 1
    assert (tmp_path / "events.csv").read_text(encoding="utf-8") == before  # nothing written
    # A table editor gives NaN for an empty cell and may add an empty row: both are fine.
    edited = [*rows, {**rows[0], "event_id": "new", "missions": float("nan")}, {}]
    saved = save_events(tmp_path, edited)
    assert [e.event_id for e in saved][-1] == "new"
    assert load_events(tmp_path) == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "missions.csv"]


def test_no_file_means_no_events(tmp_path: Path):
    assert load_events(tmp_path) == []
