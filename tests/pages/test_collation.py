"""Names are listed in Vietnamese alphabetical order (i18n.collation): Đ after D, the letters with
their own place (ă â ê ô ơ ư), tones only as a tie-break, in the order of the dictionaries."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from i18n.collation import name_key, sort_by_name

ROOT = Path(__file__).resolve().parents[2]


def test_letters_follow_the_vietnamese_alphabet():
    # Python's own order puts Đ (U+0110) after Z and Ô after every plain letter.
    shuffled = ["Zoo", "Đức", "Ô-xtrây-li-a", "Dan", "Ơ", "Ai Cập", "Ăn", "Ấn", "Bra", "Ốc"]
    assert sorted(shuffled, key=name_key) == [
        "Ai Cập",
        "Ăn",
        "Ấn",
        "Bra",
        "Dan",
        "Đức",
        "Ô-xtrây-li-a",
        "Ốc",  # ô with sắc: the same letter as Ô-, and "-" comes before "c"
        "Ơ",
        "Zoo",
    ]


def test_tones_only_break_ties_in_dictionary_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng; then lower case before upper case.
    assert sorted(["mạ", "Ma", "má", "mã", "mả", "mà", "ma"], key=name_key) == [
        "ma",
        "Ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
    # A tone never outweighs a letter: "lá" before "lăng", "Hàn" before "Hoa".
    assert sorted(["lăng", "lá", "Hoa Kỳ", "Hàn Quốc", "Hoai"], key=name_key) == [
        "Hàn Quốc",
        "Hoa Kỳ",  # the space before any letter
        "Hoai",
        "lá",
        "lăng",
    ]


def test_the_sample_missions_in_vietnamese_order():
    # Worked out by hand from the alphabet: Đại < Phái < Tổng; Ai < Đức < Hàn < Hoa < Nam < Nhật
    # < Ô < Pháp < Trung < Vương.
    names = [
        "Đại sứ quán Việt Nam tại Hoa Kỳ",
        "Đại sứ quán Việt Nam tại Ô-xtrây-li-a",
        "Đại sứ quán Việt Nam tại Trung Quốc",
        "Đại sứ quán Việt Nam tại Nhật Bản",
        "Tổng Lãnh sự quán Việt Nam tại Osaka",
        "Đại sứ quán Việt Nam tại Hàn Quốc",
        "Đại sứ quán Việt Nam tại Đức",
        "Đại sứ quán Việt Nam tại Pháp",
        "Đại sứ quán Việt Nam tại Vương quốc Anh",
        "Đại sứ quán Việt Nam tại Ai Cập",
        "Đại sứ quán Việt Nam tại Nam Phi",
        "Phái đoàn thường trực Việt Nam tại Liên hợp quốc, New York",
    ]
    ordered = sort_by_name(names, str)
    assert [n.removeprefix("Đại sứ quán Việt Nam tại ") for n in ordered] == [
        "Ai Cập",
        "Đức",
        "Hàn Quốc",
        "Hoa Kỳ",
        "Nam Phi",
        "Nhật Bản",
        "Ô-xtrây-li-a",
        "Pháp",
        "Trung Quốc",
        "Vương quốc Anh",
        "Phái đoàn thường trực Việt Nam tại Liên hợp quốc, New York",
        "Tổng Lãnh sự quán Việt Nam tại Osaka",
    ]


def test_the_same_order_as_icu_vietnamese_collation_on_every_registry_name():
    """DuckDB's ICU extension (CLDR's `vi` tailoring) is the reference for the written rule."""
    con = duckdb.connect()
    try:
        con.execute("SELECT 'a' COLLATE vi")
    except duckdb.Error:  # pragma: no cover - a DuckDB build without ICU
        pytest.skip("DuckDB's ICU extension is not available")
    with (ROOT / "data" / "registry" / "missions.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    names = sorted(
        {r[c] for r in rows for c in ("name_vi", "name_en", "city") if r[c]}
        | {"Đà Nẵng", "Da", "Zürich", "São Paulo", "Québec", "Lạng", "Lang", "Lăng", "Lâng"}
    )
    assert len(names) > 250
    con.execute("CREATE TABLE names (n VARCHAR)")
    con.executemany("INSERT INTO names VALUES (?)", [[n] for n in names])
    icu = [r[0] for r in con.execute("SELECT n FROM names ORDER BY n COLLATE vi").fetchall()]
    assert sorted(names, key=name_key) == icu
