"""The store lets the CLI import while the dashboard reads: no lock error on either side, and
the reader sees the new data on its next refresh."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from data.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _cli_import(db: Path, registry: Path, file: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "connectors",
            "import",
            str(file),
            "--db",
            str(db),
            "--registry",
            str(registry),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_import_while_a_reader_is_open_shows_up_on_refresh(tmp_path, registry_dir):
    db = tmp_path / "live.duckdb"
    dashboard = Store(db)
    file = tmp_path / "baseline.csv"
    file.write_text("account_id,date,followers\nus-x,2025-01-01,100\n")
    first = _cli_import(db, registry_dir, file)
    assert first.returncode == 0, first.stderr
    with dashboard.read() as cur:  # the dashboard copies the file into its replica
        assert cur.execute("SELECT followers FROM follower_totals").fetchall() == [(100.0,)]
    file.write_text("account_id,date,followers\nus-x,2025-01-01,100\nus-x,2025-01-02,120\n")
    second = _cli_import(
        db, registry_dir, file
    )  # the dashboard still has its cursor machinery open
    assert second.returncode == 0, second.stderr
    with dashboard.read() as cur:
        assert cur.execute("SELECT followers FROM follower_totals ORDER BY date").fetchall() == [
            (100.0,),
            (120.0,),
        ]


def test_cli_import_waits_while_the_dashboard_writes(tmp_path, registry_dir):
    db = tmp_path / "busy.duckdb"
    dashboard = Store(db)
    file = tmp_path / "baseline.csv"
    file.write_text("account_id,date,followers\nus-x,2025-01-01,100\n")
    held = threading.Event()

    def hold_the_file():
        with dashboard.write():
            held.set()
            time.sleep(2)  # an upload being written

    writer = threading.Thread(target=hold_the_file)
    writer.start()
    held.wait(10)
    result = _cli_import(db, registry_dir, file)
    writer.join()
    assert result.returncode == 0, result.stderr
    assert "lock" not in (result.stdout + result.stderr).lower()
    with dashboard.read() as cur:
        assert cur.execute("SELECT count(*) FROM follower_totals").fetchall() == [(1,)]


def test_a_reader_keeps_its_replica_while_another_process_writes(tmp_path):
    db = tmp_path / "held.duckdb"
    reader = Store(db, lock_wait_seconds=0.2)
    with Store(db).write() as cur:
        cur.execute("INSERT INTO store_info VALUES ('probe', '1')")
    assert reader.refresh() is True
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(3)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        Path(f"{db}.wal").touch()  # make the file look changed
        assert reader.refresh() is False  # busy: keep serving the current replica, no error
        with reader.read() as cur:
            assert cur.execute("SELECT value FROM store_info WHERE key = 'probe'").fetchall() == [
                ("1",)
            ]
    finally:
        holder.wait(10)


@pytest.fixture
def hanoi_clock(monkeypatch):
    """The host's zone set to Asia/Ho_Chi_Minh (UTC+7) for this test only."""
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_every_cursor_computes_in_utc_whatever_the_hosts_zone(hanoi_clock, tmp_path):
    zone = "SELECT current_setting('TimeZone')"
    # Without the store's setting DuckDB would take the host's zone.
    assert duckdb.connect(":memory:").execute(zone).fetchone() == ("Asia/Ho_Chi_Minh",)
    store = Store(tmp_path / "t.duckdb")
    # 23:30 UTC is already the next day in Hanoi: the date must stay the UTC one.
    late = "SELECT (TIMESTAMP '2026-10-31 23:30'::TIMESTAMPTZ)::DATE"
    with store.write() as cur:
        assert cur.execute(zone).fetchone() == ("UTC",)
        assert cur.execute(late).fetchone() == (date(2026, 10, 31),)
    with store.read() as cur:
        assert cur.execute(zone).fetchone() == ("UTC",)
        assert cur.execute(late).fetchone() == (date(2026, 10, 31),)
