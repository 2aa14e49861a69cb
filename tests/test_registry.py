"""The registry files: the committed network of missions is valid, and a broken registry is
refused with a line that names the file, the row and the problem."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from data.registry import (
    ACCOUNT_COLUMNS,
    DEFAULT_REGISTRY,
    MISSION_COLUMNS,
    RegistryError,
    load_registry,
    upsert_registry,
)


def test_committed_registry_is_the_real_network():
    registry = load_registry(DEFAULT_REGISTRY)
    with (DEFAULT_REGISTRY / "missions.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == MISSION_COLUMNS
    with (DEFAULT_REGISTRY / "accounts.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == ACCOUNT_COLUMNS
    missions = {m["mission_id"]: m for m in registry.missions}
    assert 90 <= len(missions) <= 110
    kinds = {m["kind"] for m in missions.values()}
    assert kinds == {"embassy", "consulate", "permanent_mission", "other"}
    washington = missions["emb-us-washington"]
    assert (washington["country"], washington["timezone"]) == ("US", "America/New_York")
    assert washington["name_vi"] == "Đại sứ quán Việt Nam tại Hoa Kỳ"
    assert missions["pm-un-new-york"]["kind"] == "permanent_mission"


def _write(folder: Path, missions: str, accounts: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "missions.csv").write_text(missions, encoding="utf-8")
    (folder / "accounts.csv").write_text(accounts, encoding="utf-8")
    return folder


HEADER_M = ",".join(MISSION_COLUMNS) + "\n"
HEADER_A = ",".join(ACCOUNT_COLUMNS) + "\n"
TOKYO = "emb-jp-tokyo,Embassy of Viet Nam in Japan,Đại sứ quán Việt Nam tại Nhật Bản,embassy,JP,Tokyo,asia_pacific,Asia/Tokyo,ja\n"


@pytest.mark.parametrize(
    ("missions", "accounts", "expected"),
    [
        (HEADER_M + TOKYO.replace("Asia/Tokyo", "Tokyo/Japan"), HEADER_A, "timezone 'Tokyo/Japan'"),
        (HEADER_M + TOKYO.replace(",JP,", ",JPN,"), HEADER_A, "ISO 3166-1 alpha-2"),
        (HEADER_M + TOKYO + TOKYO, HEADER_A, "mission_id appears twice"),
        (
            HEADER_M + TOKYO,
            HEADER_A + "jp-fb,emb-xx,facebook,mission,h,1,n\n",
            "'emb-xx' is not in missions.csv",
        ),
        (
            HEADER_M + TOKYO,
            HEADER_A + "jp-fb,emb-jp-tokyo,myspace,mission,h,1,n\n",
            "platform must be one of",
        ),
        (
            HEADER_M + TOKYO,
            HEADER_A + "jp-fb,emb-jp-tokyo,facebook,mission,h,1.08E+14,n\n",
            "rounded by a spreadsheet",
        ),
        ("mission_id,name\n", HEADER_A, "the header must be exactly"),
    ],
)
def test_broken_registry_is_refused_with_the_row_and_problem(
    tmp_path, missions, accounts, expected
):
    with pytest.raises(RegistryError) as error:
        load_registry(_write(tmp_path / "reg", missions, accounts))
    assert expected in str(error.value)


def test_upsert_updates_rows_and_keeps_local_dates_right(store, tmp_path):
    folder = _write(
        tmp_path / "reg", HEADER_M + TOKYO, HEADER_A + "jp-x,emb-jp-tokyo,x,mission,@VNinJapan,,\n"
    )
    registry = load_registry(folder)
    assert registry.accounts[0]["handle"] == "VNinJapan"  # a typed @ is dropped
    with store.write() as cur:
        upsert_registry(cur, registry)
        # 2025-01-01 20:00 UTC is 2025-01-02 05:00 in Tokyo
        cur.execute(
            "INSERT INTO posts (account_id, post_id, published_utc, published_local, published_date, "
            "post_type, text, permalink, as_of, sha256) VALUES ('jp-x', 'p1', TIMESTAMP '2025-01-01 20:00', TIMESTAMP '2025-01-02 05:00', "
            "DATE '2025-01-02', NULL, NULL, NULL, DATE '2025-01-31', 'sha')"
        )
    # The mission moves to a zone 10 hours behind UTC: the post's local date becomes Jan 1.
    moved = _write(
        tmp_path / "reg",
        HEADER_M + TOKYO.replace("Asia/Tokyo", "Pacific/Honolulu"),
        HEADER_A + "jp-x,emb-jp-tokyo,x,mission,VNinJapan,,\n",
    )
    with store.write() as cur:
        upsert_registry(cur, load_registry(moved))
        upsert_registry(cur, load_registry(moved))  # twice: an upsert, not an append
    with store.read() as cur:
        assert cur.execute("SELECT count(*) FROM missions").fetchall() == [(1,)]
        assert cur.execute(
            "SELECT published_local::VARCHAR, published_date::VARCHAR FROM posts"
        ).fetchall() == [("2025-01-01 10:00:00", "2025-01-01")]
