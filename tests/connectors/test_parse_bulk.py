"""The import's fast paths give exactly what the cell-by-cell reading gives (issue #6, part 6).

`digit_numbers` reads a column of plain digits in one pass where `number` read each cell;
`strptime_datetime` reads the common date-time formats with one regular expression where
`datetime.strptime` was called. Each is checked against the slow reading on the cases the real
exports and spreadsheet copies carry, and on the edge cases of both.
"""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from connectors.base import ImportRefused
from connectors.parse import (
    column_numbers,
    daily_values,
    digit_numbers,
    number,
    parse_datetime,
    strptime_datetime,
    table,
)


def _numbers_one_by_one(cells: list) -> list | None:
    try:
        return [number(cell) for cell in cells]
    except ImportRefused:
        return None


@pytest.mark.parametrize(
    "cells",
    [
        ["1", "20", "", None, "0007"],
        ["", None, ""],
        [],
        ["1938"] * 5,
    ],
)
def test_digit_columns_read_as_number_reads_each_cell(cells: list) -> None:
    assert digit_numbers(cells) == _numbers_one_by_one(cells)


@pytest.mark.parametrize(
    "cells",
    [
        ["1", "1938.0"],  # a fraction: read cell by cell
        ["1", "5,431"],  # a thousands separator
        ["1", " 2"],  # white space
        ["1", "-"],  # unknown written as a dash
        ["1", "12%"],
        ["1", "١٢"],  # Arabic-Indic digits: `isdigit` but not ASCII
        ["1", 2.0],  # a number from a workbook
        ["1", 0],  # falsy, but not empty: 0.0, never unknown
        ["1", True],  # a workbook's boolean: refused by `number`
        ["1", "abc"],  # refused by `number`, cell by cell, with its row
    ],
)
def test_columns_with_anything_else_are_left_to_number(cells: list) -> None:
    assert digit_numbers(cells) is None


def test_column_numbers_fast_path_keeps_a_chunks_chosen_rules() -> None:
    # A column a first chunk read with Vietnamese rules is read so in later chunks too, even
    # when the later chunk has only digits (see NumberStyles): the fast path is not taken.
    from connectors.parse import NumberStyles

    styles = NumberStyles(localised={"reach": "vi"})
    assert column_numbers(["1234", "", "5"], "reach", "vi", styles=styles) == [1234.0, None, 5.0]
    assert column_numbers(["1234", "", None], "reach") == [1234.0, None, None]


def test_daily_values_refuse_the_first_bad_cell_in_row_order() -> None:
    # Row 3's date is missing before row 4's bad number: bad_date on row 3, as cell by cell.
    from datetime import date

    tab = table([["date", "a", "b"], ["x", "1", "2"], ["y", "3", "4"], ["z", "5", "x"]])
    days = [date(2025, 1, 1), None, date(2025, 1, 3)]
    with pytest.raises(ImportRefused) as refused:
        daily_values(tab, days, [("views", 1), ("reach", 2)])
    assert refused.value.code == "bad_date" and refused.value.params["row"] == 3
    days = [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)]
    with pytest.raises(ImportRefused) as refused:
        daily_values(tab, days, [("views", 1), ("reach", 2)])
    assert refused.value.code == "bad_number" and refused.value.params["row"] == 4
    # Digit columns and a column read cell by cell give the same values as before.
    tab = table([["date", "a", "b"], ["x", "1", "1,000"], ["y", "", "2"]])
    read = daily_values(tab, days[:2], [("views", 1), ("reach", 2)])
    assert [(v.date.day, v.metric, v.value) for v in read] == [
        (1, "views", 1.0),
        (1, "reach", 1000.0),
        (2, "reach", 2.0),
    ]


FORMATS = [
    "%m/%d/%Y %H:%M",  # Meta content exports
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M %z",  # X legacy posts
    "%Y/%m/%d %H:%M:%S",  # TikTok Business
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M:%S %p",  # Facebook legacy posts: %p is left to strptime
    "%Y-%m-%dT%H:%M:%S",
]
EDGES = [
    "03/25/2025 22:00",
    "3/5/2025 2:07",
    "03/25/2025  22:00",
    "03/25/2025\t22:00",
    "03/25/2025 22:00 ",
    " 03/25/2025 22:00",
    "03/ 5/2025 22:00",
    "02/29/2024 10:00",
    "02/29/2025 10:00",
    "13/01/2025 10:00",
    "03/25/2025 24:00",
    "03/25/2025 22:00:59",
    "03/25/2025 22:00:60",
    "03/25/2025 22:0",
    "٠٣/٢٥/٢٠٢٥ 22:00",
    "2025-03-25 22:00 +0000",
    "2025-03-25 22:00 -0530",
    "2025-03-25 22:00 +2359",
    "2025-03-25 22:00 +2400",
    "2025-03-25 22:00 +05:30",
    "2025-03-25 22:00 Z",
    "2025-03-25 22:00 z",
    "2025-03-25 22:00 +000",
    "2025/03/25 22:00:00",
    "2025-03-25t22:00:00",
    "07/15/2020 09:32:49 AM",
    "",
]


def _strptime(value: str, fmt: str) -> datetime | None:
    try:
        return datetime.strptime(value, fmt)
    except ValueError:
        return None


def _same(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b and a.replace(tzinfo=None) == b.replace(tzinfo=None) and a.tzinfo == b.tzinfo


@pytest.mark.parametrize("fmt", FORMATS)
def test_strptime_datetime_reads_as_strptime(fmt: str) -> None:
    rng = random.Random(fmt)
    values = list(EDGES)
    for _ in range(3000):
        month = str(rng.randint(0, 13)).zfill(rng.choice([1, 2]))
        day = str(rng.randint(0, 32)).zfill(rng.choice([1, 2]))
        year = rng.randint(1999, 2030)
        clock = f"{rng.randint(0, 25)}:{rng.randint(0, 61):02d}"
        zone = f"{rng.choice('+-')}{rng.randint(0, 25):02d}{rng.randint(0, 61):02d}"
        values += [
            f"{month}/{day}/{year} {clock}",
            f"{month}/{day}/{year} {clock}:{rng.randint(0, 61):02d}",
            f"{year}-{month}-{day} {clock} {zone}",
            f"{year}/{month}/{day} {clock}:00",
            "".join(rng.choice("0123456789/:- +TZ") for _ in range(rng.randint(8, 22))),
        ]
    for value in values:
        assert _same(strptime_datetime(value, fmt), _strptime(value, fmt)), (value, fmt)


def test_parse_datetime_still_refuses_with_the_value() -> None:
    with pytest.raises(ImportRefused) as refused:
        parse_datetime("31/12/2025 10:00", ["%m/%d/%Y %H:%M"], "Publish time", 7)
    assert refused.value.code == "bad_date"
    assert refused.value.params == {
        "column": "Publish time",
        "row": 7,
        "value": "31/12/2025 10:00",
    }


def test_plain_tables_are_read_as_row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    # `table` keeps plain rows in a few passes; the row-by-row loop gives the same table, and
    # any row it would pad, cut, skip or refuse sends the whole table to that loop.
    import connectors.parse as parse

    cases = [
        [["Date", "Views"], ["2025-01-01", "1"], ["2025-01-02", ""]],
        [["Date", "Views"], ["2025-01-01", "1"], ["", ""], ["2025-01-02", "2"]],  # empty row
        [["Date", "Views"], ["2025-01-01", "1", ""]],  # an empty extra cell: cut
        [["Date", "Views"], [" ", "1"]],  # a blank first cell, kept: a value follows
        [["Date", "Views"], [1, "1"]],  # a workbook's number first
        [["Date", "Views"], ("2025-01-01", "1")],  # a tuple row: made a list
    ]
    fast = [table(rows) for rows in cases]
    monkeypatch.setattr(parse, "_plain_rows", lambda rows, width: False)
    slow = [table(rows) for rows in cases]
    assert fast == slow
    with pytest.raises(ImportRefused):
        table([["Date", "Views"], ["2025-01-01"]])  # a short row is still refused


def test_daily_values_are_built_as_the_dataclass_would() -> None:
    from dataclasses import FrozenInstanceError, replace
    from datetime import date

    from connectors.base import DailyValue, PostDaily

    value = DailyValue(date(2025, 1, 1), "views", 1.0)
    assert (value.account_id, value.platform) == (None, None)
    assert value == DailyValue(date=date(2025, 1, 1), metric="views", value=1.0)
    assert hash(value) == hash(replace(value))
    assert DailyValue(date(2025, 1, 1), "views", 1.0, platform="x").platform == "x"
    assert PostDaily("p", date(2025, 1, 1), "views", None).value is None
    with pytest.raises(FrozenInstanceError):
        value.value = 2.0  # type: ignore[misc]
