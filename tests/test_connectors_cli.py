"""`python -m connectors`: one line per file, exit status 1 when any file was refused."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from data.localtime import ministry_today
from data.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, env_lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "connectors", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DIPLOPULSE_LANG": env_lang},
    )


def test_import_prints_a_line_per_file_and_fails_when_one_is_refused(tmp_path, registry_dir):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "baseline.csv").write_text("account_id,date,followers\nus-x,2025-01-01,100\n")
    (exports / "ids.csv").write_text("account_id,date,followers\nus-x,2025-01-02,1.2E+5\n")
    (exports / "README.md").write_text("not an export: passed over when a folder is walked\n")
    # No date in its name: the file's modification date is its as-of (UTC calendar day).
    os.utime(exports / "baseline.csv", (1735776000, 1735776000))  # 2025-01-02 00:00 UTC
    db = tmp_path / "cli.duckdb"
    run = _cli("import", str(exports), "--db", str(db), "--registry", str(registry_dir))
    assert run.returncode == 1
    # files are named relative to the folder given: the log never shows local paths
    assert run.stdout.splitlines() == [
        "imported  baseline.csv: DiploPulse follower baseline, account us-x, 1 row(s), as of Jan 2, 2025 (the file's date)",
        'REFUSED   ids.csv: column "followers", row 2: "1.2E+5" is not a number. '
        "Export the report again; do not edit it by hand.",
    ]
    assert str(tmp_path) not in run.stdout
    assert "2 file(s): 1 refused." in run.stderr

    again = _cli(
        "import",
        str(exports / "baseline.csv"),
        "--db",
        str(db),
        "--registry",
        str(registry_dir),
        env_lang="vi",
    )
    assert again.returncode == 0
    assert again.stdout.startswith("không đổi ")

    status = _cli("status", "--db", str(db))
    assert status.returncode == 0
    assert (
        "baseline.csv" in status.stdout and "refused" in status.stdout and "us-x" in status.stdout
    )
    # The store keeps UTC; the log shows the ministry's clock (UTC+7 all year) and says so.
    with Store(db).read() as cur:
        (newest,) = cur.execute("SELECT max(imported_at) FROM imports").fetchone()
    # ... written as the language writes a date and time (Nov 29, 2026, 5:04 PM; 29/11/2026 17:04)
    hanoi = newest + timedelta(hours=7)
    assert f"  {hanoi:%b} {hanoi.day}, {hanoi.year}, " in status.stdout
    assert f"{hanoi.hour % 12 or 12}:{hanoi:%M}\u202f{hanoi:%p}  " in status.stdout  # CLDR's space
    assert "(newest first; times in Vietnam Time)" in status.stdout.splitlines()[0]
    assert "  DiploPulse follower baseline  us-x  " in status.stdout  # the format's label, not id
    vi = _cli("status", "--db", str(db), "--lang", "vi")
    assert "tính đến" in vi.stdout and "bị từ chối" in vi.stdout and " rows " not in vi.stdout
    assert f"  {hanoi:%d/%m/%Y %H:%M}  " in vi.stdout
    assert "  Mốc người theo dõi của DiploPulse  us-x  " in vi.stdout  # the format in Vietnamese


def test_a_bad_registry_or_no_files_exit_1_with_what_to_do(tmp_path):
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "missions.csv").write_text("mission_id\n")
    (registry / "accounts.csv").write_text("account_id\n")
    run = _cli(
        "import", str(tmp_path), "--db", str(tmp_path / "x.duckdb"), "--registry", str(registry)
    )
    assert run.returncode == 1
    assert "missions.csv" in run.stderr and "nothing was imported" in run.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    run = _cli("import", str(empty), "--db", str(tmp_path / "x.duckdb"))
    assert run.returncode == 1
    assert "No files found" in run.stderr


def test_as_of_given_on_the_command_line_wins_and_is_said(tmp_path, registry_dir):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "baseline.csv").write_text("account_id,date,followers\nus-x,2025-01-01,100\n")
    db = tmp_path / "cli.duckdb"
    run = _cli(
        "import", str(exports), "--db", str(db), "--registry", str(registry_dir),
        "--as-of", "2025-01-05",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].endswith("1 row(s), as of Jan 5, 2025 (given with --as-of)")
    bad = _cli("import", str(exports), "--db", str(db), "--as-of", "05/01/2025")
    assert bad.returncode == 2
    assert '"05/01/2025" is not a date; write it as YYYY-MM-DD' in bad.stderr


def test_status_shows_coverage_per_mission_and_platform_in_the_language_asked(
    tmp_path, registry_dir
):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "baseline.csv").write_text(
        "account_id,date,followers\nus-x,2025-01-01,100\nus-x,2025-01-03,130\n"
    )
    db = tmp_path / "cli.duckdb"
    run = _cli("import", str(exports), "--db", str(db), "--registry", str(registry_dir))
    assert run.returncode == 0, run.stderr
    stale = (ministry_today() - date(2025, 1, 3)).days  # "today" is Hà Nội's, not the host's

    en = _cli("status", "--db", str(db)).stdout
    coverage = en[en.index("Coverage per mission and platform") :].splitlines()
    assert [c.strip() for c in coverage[1].split("  ") if c.strip()] == [
        "Mission",
        "Platform",
        "Last day",
        "Days since last data",
        "First day",
        "Posts",
        "Days with daily data",
        "Status",
    ]
    # us-x: two days of follower totals and no post; the other accounts have no data at all.
    cells = [[c.strip() for c in line.split("  ") if c.strip()] for line in coverage[2:9]]
    assert cells[-1] == [
        "Embassy of Viet Nam in the United States",
        "X",
        "Jan 3, 2025",
        f"{stale:,}",
        "Jan 1, 2025",
        "0",
        "2",
        "🔴 very stale (> 30 days)",
    ]  # stalest first: no data (unknown staleness, "–") before it
    # equally out of date (no data): by name, as the Data page lists them, not by id (by id
    # the UK's would come first)
    assert cells[0] == ["Embassy of Viet Nam in Japan", "YouTube", "–", "–", "–", "0", "0",
                        "⚪ no data"]  # fmt: skip
    assert [c[0].removeprefix("Embassy of Viet Nam in ") for c in cells] == [
        "Japan", "Thailand", "Thailand", "the United Kingdom", "the United States",
        "the United States", "the United States",
    ]  # fmt: skip
    assert "Missions that have sent nothing: 3" in en
    silent = en[en.index("Missions that have sent nothing: 3") :].splitlines()[1:4]
    assert silent == [  # by name, as the Data page lists them (by id the UK would come first)
        "  Embassy of Viet Nam in Japan: accounts registered, nothing imported",
        "  Embassy of Viet Nam in Thailand: accounts registered, nothing imported",
        "  Embassy of Viet Nam in the United Kingdom: accounts registered, nothing imported",
    ]
    assert "Technical detail per account" not in en  # only with --accounts

    vi = _cli("status", "--db", str(db), "--lang", "vi", "--accounts").stdout
    assert "tính đến ngày " in vi and "Ngày cuối cùng" in vi and "Tình trạng" in vi
    row = next(line for line in vi.splitlines() if "Hoa Kỳ" in line and "🔴" in line)
    assert "03/01/2025" in row and "01/01/2025" in row and " X " in row
    detail = vi[vi.index("Chi tiết kỹ thuật theo tài khoản") :].splitlines()
    assert detail[1].split()[0] == "Tài" and "us-x" in "\n".join(detail)
    assert "follower_days_reported" not in vi and "platform" not in vi.split("Phạm vi")[1]


def test_status_cells_write_counts_the_languages_way_whatever_their_type():
    # The import log's row counts come from a data frame: numpy integers, not Python ints.
    import numpy as np

    from connectors.__main__ import _cell
    from i18n import set_language

    set_language("vi")
    assert [_cell(np.int64(1830)), _cell(1830), _cell(np.float64(1830.0))] == ["1.830"] * 3
    set_language("en")
    assert _cell(np.int64(1830)) == "1,830"
