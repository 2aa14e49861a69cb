"""The store lets the CLI import while the dashboard reads: no lock error on either side, and
the reader sees the new data once the writer has published it. Readers open published versions
read-only, never the file being written; old versions are deleted once nobody reads them."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import data.store as store_module
from data.store import Store, pointer_path, store_files, version_path

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
    with dashboard.read() as cur:  # the dashboard opens the published version
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


def test_a_reader_never_waits_while_another_process_holds_the_file(tmp_path):
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
        assert reader.refresh() is False  # nothing new published; the held file is not touched
        fresh = Store(db, lock_wait_seconds=0.2)  # a CLI read started now: no wait, no error
        with fresh.read() as cur:
            assert cur.execute("SELECT value FROM store_info WHERE key = 'probe'").fetchall() == [
                ("1",)
            ]
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


READER = """
import json, pathlib, sys, time
from data.store import Store
stop = pathlib.Path(sys.argv[1] + ".stop")
store = Store(sys.argv[1])
seen, errors, deadline = [], [], time.monotonic() + float(sys.argv[2])
print("reading", flush=True)
while time.monotonic() < deadline and not stop.exists():
    try:
        with store.read() as cur:
            n = cur.execute("SELECT count(*) FROM follower_totals").fetchall()[0][0]
        if not seen or seen[-1] != n:
            seen.append(n)
    except Exception as error:  # any error fails the test
        errors.append(repr(error))
    time.sleep(0.01)
print(json.dumps({"seen": seen, "errors": errors}), flush=True)
"""


def test_the_cli_imports_while_a_dashboard_process_reads_without_lock_errors(
    tmp_path, registry_dir
):
    # Two processes, as in production: a dashboard reading in a loop and two CLI imports.
    db = tmp_path / "two.duckdb"
    file = tmp_path / "baseline.csv"
    file.write_text("account_id,date,followers\nus-x,2025-01-01,100\n")
    assert _cli_import(db, registry_dir, file).returncode == 0
    dashboard = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), "60"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert dashboard.stdout.readline().strip() == "reading"
        time.sleep(0.5)
        file.write_text("account_id,date,followers\nus-x,2025-01-01,100\nus-x,2025-01-02,120\n")
        second = _cli_import(db, registry_dir, file)
        file.write_text(
            "account_id,date,followers\nus-x,2025-01-01,100\nus-x,2025-01-02,120\n"
            "us-x,2025-01-03,130\n"
        )
        third = _cli_import(db, registry_dir, file)
        time.sleep(0.3)
        Path(f"{db}.stop").touch()
        out, err = dashboard.communicate(timeout=60)
    finally:
        if dashboard.poll() is None:
            dashboard.kill()
    for result in (second, third):
        assert result.returncode == 0, result.stderr
        assert "lock" not in (result.stdout + result.stderr).lower()
    report = json.loads(out.strip().splitlines()[-1])
    assert report["errors"] == [], err
    assert report["seen"] == [1, 2, 3]  # each import seen once published, never a partial one


def _count(store: Store) -> int:
    with store.read() as cur:
        return cur.execute("SELECT count(*) FROM store_info WHERE key = 'probe'").fetchall()[0][0]


def _probe(store: Store, value: str) -> None:
    with store.write() as cur:
        cur.execute("INSERT INTO store_info VALUES ('probe', ?)", [value])


def test_a_batch_publishes_one_version_and_old_versions_go_once_unread(tmp_path):
    db = tmp_path / "v.duckdb"
    writer, reader = Store(db), Store(db)
    _probe(writer, "1")  # outside a batch: one write, one version
    assert pointer_path(db).read_text().split()[0] == "1"
    with writer.write_batch():
        _probe(writer, "2")
        _probe(writer, "3")
        assert _count(reader) == 1  # not published before the batch ends
    assert pointer_path(db).read_text().split()[0] == "2"
    assert _count(reader) == 3
    with reader.read() as held:  # a page's reads in progress on version 2
        for value in ("4", "5", "6"):
            _probe(writer, value)  # versions 3, 4, 5
        # version 2 stays readable while this reader holds it (deleted on POSIX, still open)
        assert held.execute("SELECT count(*) FROM store_info WHERE key = 'probe'").fetchall() == [
            (3,)
        ]
    assert _count(reader) == 6  # the next read switches to version 5
    assert not version_path(db, 2).exists() and not version_path(db, 3).exists()
    assert version_path(db, 4).exists() and version_path(db, 5).exists()  # current and one behind


def test_a_version_that_cannot_be_deleted_yet_is_deleted_later(tmp_path, monkeypatch):
    # On Windows a file open in another process cannot be deleted: publishing goes on, and the
    # deletion is tried again at the next publish.
    db = tmp_path / "win.duckdb"
    writer = Store(db)
    for value in ("1", "2"):
        _probe(writer, value)
    real_unlink = Path.unlink

    def refuse(path, missing_ok=False):
        if ".v" in path.name:
            raise PermissionError(13, "The process cannot access the file", str(path))
        return real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    _probe(writer, "3")  # version 3; version 1 cannot go
    assert version_path(db, 1).exists()
    monkeypatch.setattr(Path, "unlink", real_unlink)
    _probe(writer, "4")
    assert not version_path(db, 1).exists() and not version_path(db, 2).exists()
    assert _count(Store(db)) == 4


def test_reads_are_cached_per_version(tmp_path):
    db = tmp_path / "c.duckdb"
    store = Store(db)
    _probe(store, "1")
    query = "SELECT count(*) FROM store_info WHERE key = ?"
    with store.read() as cur:
        assert cur.execute(query, ["probe"]).fetchall() == [(1,)]
    hits = store.cache.hits
    with store.read() as cur:
        assert cur.execute(query, ["probe"]).fetchall() == [(1,)]
        frame = cur.execute("SELECT key, value FROM store_info WHERE key = 'probe'").df()
    assert store.cache.hits == hits + 1
    frame["value"] = "changed"  # a caller's change does not reach the cache
    with store.read() as cur:
        again = cur.execute("SELECT key, value FROM store_info WHERE key = 'probe'").df()
    assert again["value"].tolist() == ["1"]
    _probe(store, "2")  # a new version: the statement runs again
    with store.read() as cur:
        assert cur.execute(query, ["probe"]).fetchall() == [(2,)]


def test_statement_parameters_are_told_apart_by_value_and_type():
    # The cache key of a statement's parameters: a long list of one plain type is keyed at
    # once (the ids and days of a network's alerts), with the same distinctions as one value
    # at a time.
    from data.store import _frozen

    ids = [f"acc-{i}" for i in range(3000)]
    assert _frozen({"ids": ids}) == _frozen({"ids": list(ids)})
    assert _frozen({"ids": ids}) != _frozen({"ids": [*ids[:-1], "other"]})
    assert _frozen([1, 2]) != _frozen(["1", "2"]) != _frozen([1.0, 2.0])
    assert _frozen([date(2025, 1, 1)]) != _frozen(["2025-01-01"])
    assert _frozen([1, "1"]) != _frozen([1, 1])  # mixed types: value by value
    assert _frozen([]) == _frozen([])
    with pytest.raises(TypeError):
        _frozen([["a"], {"b"}, pd.DataFrame()])


def test_an_arrow_result_is_cached_per_version_too(tmp_path):
    # metrics.engine reads a comparison's wide result as an Arrow table: cached like a frame.
    store = Store(tmp_path / "a.duckdb")
    _probe(store, "1")
    query = "SELECT value FROM store_info WHERE key = ?"
    with store.read() as cur:
        assert cur.execute(query, ["probe"]).to_arrow_table().column("value").to_pylist() == ["1"]
    hits = store.cache.hits
    with store.read() as cur:
        table = cur.execute(query, ["probe"]).to_arrow_table()
    assert store.cache.hits == hits + 1
    assert table.column("value").to_pylist() == ["1"]
    _probe(store, "2")  # a new version, with a second row: the statement runs again
    with store.read() as cur:
        table = cur.execute(query, ["probe"]).to_arrow_table()
    assert sorted(table.column("value").to_pylist()) == ["1", "2"]


def test_a_store_written_before_versions_existed_is_published_on_first_read(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(store_module.SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute("INSERT INTO store_info VALUES ('probe', 'old')")
    con.close()
    assert _count(Store(db)) == 1
    assert pointer_path(db).exists()
    assert {p.name for p in store_files(db)} >= {"old.duckdb", "old.duckdb.v1.duckdb"}


def test_a_read_function_runs_once_per_version_and_arguments(tmp_path):
    from data.store import cached_per_version

    calls = []

    @cached_per_version
    def probes(con, key, *, times=1):
        calls.append(key)
        return con.execute(
            "SELECT count(*) * ? AS n FROM store_info WHERE key = ?", [times, key]
        ).df()

    store = Store(tmp_path / "f.duckdb")
    _probe(store, "1")
    with store.read() as cur:
        assert probes(cur, "probe")["n"].tolist() == [1]
        first = probes(cur, "probe")
        first["n"] = 99  # the caller's copy only
        assert probes(cur, "probe")["n"].tolist() == [1]
        assert probes(cur, "probe", times=2)["n"].tolist() == [2]  # other arguments: run
        # the same arguments spelled otherwise (by name, a default given): the same entry
        assert probes(cur, key="probe", times=1)["n"].tolist() == [1]
        assert probes(cur, "probe", times=2)["n"].tolist() == [2]
    assert calls == ["probe", "probe"]
    _probe(store, "2")  # a new version: run again
    with store.read() as cur:
        assert probes(cur, "probe")["n"].tolist() == [2]
    assert len(calls) == 3
    raw = duckdb.connect(str(store.path.with_name("f.duckdb.v2.duckdb")), read_only=True)
    assert probes(raw, "probe")["n"].tolist() == [2]  # a plain cursor: not cached
    assert len(calls) == 4


def test_a_statement_that_runs_out_of_memory_gets_more(tmp_path, monkeypatch):
    # Readers cap DuckDB's memory low (memory it has used is not given back); a statement that
    # needs more gets the cap doubled instead of an error.
    monkeypatch.setattr(store_module, "READ_MEMORY_MB", 16.0)
    store = Store(tmp_path / "m.duckdb")
    _probe(store, "1")
    big = "SELECT len(list(range)) FROM range(3000000)"  # a list aggregate cannot spill
    with store.read() as cur:
        assert cur.execute(big).fetchall() == [(3000000,)]
        limit = cur.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert not limit.startswith("15.") and not limit.startswith("16")  # grown from 16 MB


def test_frames_inside_a_cached_result_are_the_callers_own(tmp_path):
    from dataclasses import dataclass

    from data.store import cached_per_version

    @dataclass
    class Answer:
        table: object

    @cached_per_version
    def answer(con):
        return Answer(con.execute("SELECT value FROM store_info WHERE key = 'probe'").df())

    store = Store(tmp_path / "d.duckdb")
    _probe(store, "1")
    with store.read() as cur:
        first = answer(cur)
        first.table["value"] = "changed"  # a page adding or changing a column of its copy
        assert answer(cur).table["value"].tolist() == ["1"]


def test_a_pointer_to_a_deleted_version_is_published_again(tmp_path):
    db = tmp_path / "gone.duckdb"
    _probe(Store(db), "1")
    version_path(db, 1).unlink()  # e.g. removed by hand
    assert _count(Store(db)) == 1
    assert pointer_path(db).read_text().split()[0] == "2"


def test_a_published_version_keeps_the_posts_in_publish_date_order(tmp_path):
    # Pages read the texts of a window's posts: in date order they are a few stored vectors.
    db = tmp_path / "posts.duckdb"
    store = Store(db)
    with store.write() as cur:
        for post_id, day in (("p3", "2025-03-03"), ("p1", "2025-03-01"), ("p2", "2025-03-02")):
            cur.execute(
                "INSERT INTO posts (account_id, post_id, published_date, text, as_of, sha256) "
                "VALUES ('a', ?, ?, 'x', DATE '2025-03-04', 's')",
                [post_id, day],
            )
    version = duckdb.connect(str(version_path(db, 1)), read_only=True)
    version.execute("SET threads = 1")  # a scan in storage order
    assert [r[0] for r in version.execute("SELECT post_id FROM posts").fetchall()] == [
        "p1",
        "p2",
        "p3",
    ]
    version.close()


def test_a_version_built_without_a_derived_table_is_published_again(tmp_path):
    # A version published by an older DiploPulse lacks a table that today's reads expect.
    db = tmp_path / "older.duckdb"
    _probe(Store(db), "1")
    older = duckdb.connect(str(version_path(db, 1)))
    older.execute("DROP TABLE mission_platform_coverage")
    older.close()
    store = Store(db)
    with store.read() as cur:
        assert cur.execute("SELECT count(*) FROM mission_platform_coverage").fetchall() == [(0,)]
    assert pointer_path(db).read_text().split()[0] == "2"


def _daily(store: Store, day: str) -> None:
    with store.write() as cur:
        cur.execute("INSERT INTO account_daily VALUES ('a', ?, 'followers', 1, ?, 's')", [day, day])


@dataclass(frozen=True)
class _Window:
    start: date
    end: date


def test_warming_runs_the_last_reads_again_on_a_new_version(tmp_path):
    # The dashboard's first render after an import finds its reads done: a period that ended
    # on the latest day with data follows the data; other arguments are kept.
    from data.store import cached_per_version

    calls = []

    @cached_per_version
    def days(con, window):
        calls.append(window)
        return con.execute(
            "SELECT count(*) FROM account_daily WHERE date BETWEEN ? AND ?",
            [window.start, window.end],
        ).fetchall()[0][0]

    @cached_per_version
    def rows(con):
        calls.append("rows")
        return con.execute("SELECT count(*) FROM account_daily").fetchall()[0][0]

    db = tmp_path / "warm.duckdb"
    store = Store(db)
    _daily(store, "2025-03-10")
    with store.read() as cur:
        store._latest_day(cur)  # what the warming thread notes of every version it sees
        assert days(cur, _Window(date(2025, 3, 9), date(2025, 3, 10))) == 1
        assert rows(cur) == 1
    _daily(store, "2025-03-11")  # an import of a newer day
    assert store.warm() == 2
    assert calls[2:] == ["rows", _Window(date(2025, 3, 10), date(2025, 3, 11))]
    with store.read() as cur:  # the render after the import: nothing runs
        assert days(cur, _Window(date(2025, 3, 10), date(2025, 3, 11))) == 2
        assert rows(cur) == 2
    assert len(calls) == 4


def test_the_warming_thread_warms_a_version_published_by_another_process(tmp_path):
    from data.store import cached_per_version

    calls = []

    @cached_per_version
    def rows(con):
        calls.append(1)
        return con.execute("SELECT count(*) FROM account_daily").fetchall()[0][0]

    db = tmp_path / "thread.duckdb"
    _daily(Store(db), "2025-03-10")
    reader = Store(db)
    with reader.read() as cur:
        assert rows(cur) == 1
    reader.start_warming(poll_seconds=0.05)
    _daily(Store(db), "2025-03-11")  # the CLI
    deadline = time.monotonic() + 10
    while reader.warmed_version != reader.version and time.monotonic() < deadline:
        time.sleep(0.05)
    with reader.read() as cur:
        assert rows(cur) == 2
    assert len(calls) == 2  # run by the thread, not by this read


def test_warming_runs_a_call_in_its_callers_context(tmp_path):
    # The map's names are in the session's language (a context variable that `extra` reads):
    # warmed in another thread, the call still computes, and is kept, in that language.
    import contextvars

    from data.store import cached_per_version

    lang = contextvars.ContextVar("lang", default="en")
    calls = []

    @cached_per_version(extra=lang.get)
    def named(con):
        calls.append(lang.get())
        return lang.get()

    db = tmp_path / "lang.duckdb"
    store = Store(db)
    _daily(store, "2025-03-10")

    def session():
        lang.set("vi")
        with store.read() as cur:
            named(cur)

    contextvars.copy_context().run(session)
    _daily(store, "2025-03-11")
    warming = threading.Thread(target=store.warm)
    warming.start()
    warming.join()
    assert calls == ["vi", "vi"]
    contextvars.copy_context().run(session)  # the render after the import: from the cache
    assert calls == ["vi", "vi"]


def test_read_ahead_runs_reads_at_once_and_the_page_finds_them_cached(tmp_path):
    # Two reads that each wait for the other to have started can only both finish when they
    # run at the same time; then the page's own calls are answered from the cache, in the
    # caller's language; a read that fails is left for the page's own call to fail again.
    import contextvars

    from data.store import READ_AHEAD_THREADS, cached_per_version

    if READ_AHEAD_THREADS < 2:
        pytest.skip("one core: reads ahead run one after the other")
    lang = contextvars.ContextVar("lang", default="en")
    started = threading.Barrier(2, timeout=10)
    calls = []

    @cached_per_version(extra=lang.get)
    def slow(con, n):
        started.wait()  # a BrokenBarrierError after 10 s if the other read is not running
        calls.append((n, lang.get(), threading.current_thread().name))
        return con.execute("SELECT ? AS n", [n]).df()

    @cached_per_version
    def broken(con):
        calls.append(("broken",))
        raise ValueError("bad rules file")

    store = Store(tmp_path / "ahead.duckdb")
    _probe(store, "1")

    def page():
        lang.set("vi")
        with store.read() as cur:
            cur.read_ahead([lambda c: slow(c, 1), lambda c: slow(c, 2), broken])
            assert len(calls) == 3
            # With more than two threads the failing read can finish first: pick the slow ones.
            slow_calls = [c for c in calls if len(c) == 3]
            assert sorted(c[0] for c in slow_calls) == [1, 2]
            assert {c[1] for c in slow_calls} == {"vi"}
            assert len({c[2] for c in slow_calls}) == 2  # two threads
            assert slow(cur, 1)["n"].tolist() == [1]  # from the cache
            assert slow(cur, 2)["n"].tolist() == [2]
            assert len(calls) == 3
            with pytest.raises(ValueError, match="bad rules file"):
                broken(cur)  # the page's own call says what is wrong

    contextvars.copy_context().run(page)
    assert len(calls) == 4


def test_read_ahead_without_a_cache_reads_nothing(tmp_path):
    store = Store(tmp_path / "nocache.duckdb", cache_mb=0)
    _probe(store, "1")
    ran = []
    with store.read() as cur:
        cur.read_ahead([lambda c: ran.append(1), lambda c: ran.append(2)])
    assert ran == []


def test_a_cached_frames_size_is_estimated_from_its_columns():
    # Numbers by their width (and a nullable one's mask byte), text by its Arrow buffers, lists
    # of ids by the mean size of a few of them: all the same here, so the estimate is exact.
    import sys

    import numpy as np
    import pandas as pd

    from data.store import _size

    rows = 1000
    frame = pd.DataFrame(
        {
            "n": np.arange(rows, dtype="int64"),
            "share": np.ones(rows),
            "rank": pd.array(range(rows), dtype="Int64"),
            "account_id": pd.array([f"acc-{i}" for i in range(rows)], dtype="str"),
            "left_out": [["fb-a", "ig-b"]] * rows,
        }
    )
    # index 8 + int64 8 + float64 8 + Int64 (8 + 1) bytes a row
    expected = 33 * rows + frame["account_id"].array.nbytes + sys.getsizeof(["a", "b"]) * rows
    assert _size(frame) == expected
    assert _size(frame.iloc[:0]) == 0


def test_a_small_frames_size_is_a_bound_found_without_looking_at_its_columns():
    import pandas as pd

    from data.store import SMALL_CELL_BYTES, SMALL_FRAME_CELLS, _size

    frame = pd.DataFrame({"mission_id": ["embassy-jp", "embassy-fr"], "posts": [3, 4]})
    assert _size(frame) == 8 * 2 + SMALL_CELL_BYTES * 4
    # above the bound's reach, the columns are looked at: 8 bytes a number, 8 the index
    wide = pd.DataFrame({f"k{i}": range(2) for i in range(SMALL_FRAME_CELLS // 2 + 1)})
    assert _size(wide) == 8 * 2 + 8 * wide.size


def _probes_preparer(calls: list[str]):
    """A preparer that copies the probes of the version into its own database."""

    def prepare(cur, database: str) -> dict:
        calls.append(cur.read_version)
        cur.execute(
            f"CREATE TABLE {database}.probes AS SELECT value FROM store_info WHERE key = 'probe'"
        )
        rows = cur.execute(f"SELECT count(*) FROM {database}.probes").fetchall()[0][0]
        return {"probes": (f"{database}.probes", rows)}

    return prepare


def test_each_version_is_prepared_once_in_the_background_and_its_cursors_see_it(tmp_path):
    # Named as DuckDB would name the attached database if it were named after its file.
    db = tmp_path / "prepared.duckdb"
    writer, reader = Store(db), Store(db)
    _probe(writer, "1")
    with reader.read() as cur:
        assert cur.prepared == {}  # nothing asked for yet
    calls: list[str] = []
    reader.prepare_versions(_probes_preparer(calls))  # the version open now is prepared too
    assert reader.wait_prepared(30)
    with reader.read() as cur:
        first = cur.read_version
        table, rows = cur.prepared["probes"]
        assert rows == 1
        # every cursor of the version reads the tables, those of a read ahead too
        assert cur.execute(f"SELECT count(*) FROM {table}").fetchall() == [(1,)]
        file = reader._version.prepared_file
        assert file is not None and file.exists()
    _probe(writer, "2")
    with reader.read() as cur:
        assert cur.read_version != first
    assert reader.wait_prepared(30)
    with reader.read() as cur:
        table, rows = cur.prepared["probes"]
        assert rows == 2
        assert cur.execute(f"SELECT count(*) FROM {table}").fetchall() == [(2,)]
        second = reader._version.prepared_file
    assert calls == [first, reader.version]  # once per version
    assert not file.exists()  # the first version was let go of, and its file with it
    reader.close()
    assert second is not None and not second.exists()


def test_a_preparer_that_fails_leaves_the_reads_as_they_are(tmp_path):
    db = tmp_path / "failing.duckdb"
    store = Store(db)
    _probe(store, "1")

    def broken(cur, database):
        raise RuntimeError("no luck")

    store.prepare_versions(broken)
    assert store.wait_prepared(30)
    with store.read() as cur:
        assert cur.prepared == {}
        assert _count(store) == 1
    assert any("no luck" in error for error in store._version.prepare_errors)


def test_preparers_given_together_run_in_one_thread_and_one_failing_keeps_the_others(tmp_path):
    db = tmp_path / "several.duckdb"
    store = Store(db)
    _probe(store, "1")
    calls: list[str] = []

    def broken(cur, database):
        calls.append("broken")
        raise RuntimeError("no luck")

    def second(cur, database):
        calls.append("second")
        return {"second": cur.prepared.get("probes")}  # what the one before it built

    store.prepare_versions(_probes_preparer([]), broken, second)
    assert store.wait_prepared(30)
    with store.read() as cur:
        assert set(cur.prepared) == {"probes", "second"}
        assert cur.prepared["second"] == cur.prepared["probes"]
    assert calls == ["broken", "second"]
    assert any("no luck" in error for error in store._version.prepare_errors)
    store.prepare_versions(second)  # given again: nothing runs again
    assert store.wait_prepared(30) and calls == ["broken", "second"]


def test_prepared_files_go_at_the_end_of_the_process_or_later(tmp_path, monkeypatch):
    # A dashboard that ends without closing its versions deletes its prepared tables as it
    # ends; one that was killed leaves them to the next process that prepares a version.
    db = tmp_path / "exit.duckdb"
    _probe(Store(db), "1")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    script = (
        "import os, sys; from data.store import Store\n"
        "store = Store(sys.argv[1])\n"
        "store.prepare_versions(lambda cur, db: cur.execute(f'CREATE TABLE {db}.t AS SELECT 1')"
        " and {'t': 1})\n"
        "assert store.wait_prepared(30) and store._version.prepared_file.exists()\n"
        "print(store._version.prepared_file)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(db)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert not Path(done.stdout.strip()).exists()

    killed = tmp_path / "tmp" / "diplopulse-999999999"  # no such process
    killed.mkdir()
    (killed / "prepared_1_0123abcd.duckdb").write_bytes(b"")
    store = Store(db)
    monkeypatch.setattr(store_module.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    store.prepare_versions(lambda cur, database: {})
    assert store.wait_prepared(30)
    assert not killed.exists()
    store.close()
