"""The DuckDB store: one connection per process, the database file attached only while in use.

DuckDB lets one process at a time write a database file, and a process that has the file open
read-only still blocks writers. So that the command-line importer and the dashboard can run at
the same time, no process keeps the file open:

- Readers (the dashboard) query an in-memory **replica**. It is refreshed from the file when the
  file has changed since the last copy: the file is attached read-only, copied, detached. The
  replica also keeps the costliest view, `post_current`, as a table (MATERIALISED).
- Writers (imports) attach the file read-write for the length of a write, then detach.

When the other process holds the file, attaching fails with a lock error; we wait and retry
instead of showing it. Every query runs on its own `cursor()` of the one connection, in UTC
whatever the host's time zone.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
DEFAULT_DB = Path(__file__).with_name("diplopulse.duckdb")
SCHEMA_VERSION = "1"
_ATTACHED = "store"
# Views of the schema that the replica keeps as tables, rebuilt at every refresh, with the order
# of their rows (DuckDB skips row groups by their min/max, so date filters read less). Sorting
# the large copied tables as well cost gigabytes at 10x scale for no measurable gain.
MATERIALISED = {"post_current": "published_date, account_id"}


def default_db_path() -> Path:
    """The database file: `DIPLOPULSE_DB` when set, else `data/diplopulse.duckdb`."""
    return Path(os.environ.get("DIPLOPULSE_DB") or DEFAULT_DB)


def table_names() -> list[str]:
    """The store's tables, in schema order."""
    names = []
    for line in SCHEMA_SQL.read_text(encoding="utf-8").splitlines():
        if line.startswith("CREATE TABLE IF NOT EXISTS "):
            names.append(line.split()[5])
    return names


class StoreBusy(RuntimeError):
    """The database file stayed locked by another process for longer than we wait."""


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


class Store:
    """Access to one DiploPulse database file. Create one per process (see `get_store`)."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        lock_wait_seconds: float = 60.0,
        batch_hold_seconds: float = 3.0,
    ) -> None:
        self.path = Path(path) if path else default_db_path()
        self.lock_wait_seconds = lock_wait_seconds
        self.batch_hold_seconds = batch_hold_seconds
        self._con = duckdb.connect(":memory:")
        # DuckDB takes the host's zone as its session zone, and a TIMESTAMP cast to TIMESTAMPTZ
        # (or a TIMESTAMPTZ cast to DATE) is read in that zone: the same data would give other
        # dates on a machine set to Hanoi time. Every computation here runs in UTC instead.
        # GLOBAL, because a plain SET is per session and the cursors below are new sessions.
        self._con.execute("SET GLOBAL TimeZone = 'UTC'")
        self._mutex = threading.RLock()
        self._replica_signature: tuple | None = None
        self._writable_since: float | None = None  # set while the file is attached read-write
        self._batches = 0  # open write_batch() blocks
        self._con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        # The replica materialises the views listed in MATERIALISED (see refresh).
        for view in MATERIALISED:
            self._con.execute(f"ALTER VIEW {view} RENAME TO {view}_view")
            self._con.execute(f"CREATE TABLE {view} AS SELECT * FROM {view}_view LIMIT 0")

    def limit_memory(self, limit: str) -> None:
        """Cap the memory DuckDB's buffers may take in this process (e.g. "512MB"); beyond it,
        large operations spill to `<database>.tmp`. For a process that only writes, such as a
        command-line import: by default DuckDB keeps up to 80 % of the machine's memory."""
        temp = str(Path(f"{self.path}.tmp")).replace("'", "''")
        self._con.execute(f"SET GLOBAL memory_limit = '{limit}'")
        self._con.execute(f"SET GLOBAL temp_directory = '{temp}'")

    # -- file access ---------------------------------------------------------------------

    def _file_signature(self) -> tuple:
        parts = []
        for candidate in (self.path, Path(f"{self.path}.wal")):
            try:
                st = candidate.stat()
                parts.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                parts.append(None)
        return tuple(parts)

    def _attach(self, *, read_only: bool) -> None:
        mode = " (READ_ONLY)" if read_only else ""
        # A refresh must not hold up a page: it waits briefly, then serves the current replica.
        wait = min(self.lock_wait_seconds, 1.0) if read_only else self.lock_wait_seconds
        deadline = time.monotonic() + wait
        delay = 0.05
        while True:
            try:
                self._con.execute(f"ATTACH '{self._sql_path()}' AS {_ATTACHED}{mode}")
                return
            except (duckdb.IOException, duckdb.ConnectionException) as error:
                if not _is_lock_error(error) or time.monotonic() > deadline:
                    if _is_lock_error(error):
                        raise StoreBusy(
                            f"{self.path} stayed in use by another DiploPulse process for "
                            f"{wait:.0f} s; try again when its import has finished"
                        ) from error
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def _detach(self) -> None:
        self._con.execute(f"DETACH {_ATTACHED}")

    def _sql_path(self) -> str:
        return str(self.path).replace("'", "''")

    def _ensure_file(self) -> None:
        """Create the file and its schema when missing; migrate nothing yet (version 1)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        cur = self._con.cursor()
        try:
            cur.execute(f"USE {_ATTACHED}")
            cur.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
            cur.execute(
                "INSERT INTO store_info SELECT 'schema_version', ? "
                "WHERE NOT EXISTS (SELECT 1 FROM store_info WHERE key = 'schema_version')",
                [SCHEMA_VERSION],
            )
        finally:
            cur.close()

    def _open_for_writing(self) -> None:
        if self._writable_since is None:
            self._attach(read_only=False)
            self._ensure_file()
            self._writable_since = time.monotonic()

    def _close_for_writing(self) -> None:
        if self._writable_since is not None:
            self._writable_since = None
            self._detach()

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the database file, attached read-write, inside one transaction.

        Everything done on the cursor is committed together when the block ends, or rolled back
        when it raises: a file's import is all or nothing. Outside a `write_batch`, the file is
        let go at the end of the block.
        """
        with self._mutex:
            self._open_for_writing()
            try:
                cur = self._con.cursor()
                try:
                    cur.execute(f"USE {_ATTACHED}")
                    cur.execute("BEGIN TRANSACTION")
                    try:
                        yield cur
                    except BaseException:
                        cur.execute("ROLLBACK")
                        raise
                    cur.execute("COMMIT")
                finally:
                    cur.close()
            finally:
                held = time.monotonic() - (self._writable_since or 0.0)
                if self._batches == 0 or held > self.batch_hold_seconds:
                    # Attaching costs tens of milliseconds (schema check, checkpoint on detach),
                    # so a batch keeps the file; but it lets go every few seconds so that the
                    # other process (dashboard or CLI) is never kept waiting long.
                    self._close_for_writing()
                self._replica_signature = None

    @contextmanager
    def write_batch(self) -> Iterator[None]:
        """Keep the file attached across the `write()` blocks inside (a batch of imports)."""
        with self._mutex:
            self._batches += 1
        try:
            yield
        finally:
            with self._mutex:
                self._batches -= 1
                if self._batches == 0:
                    self._close_for_writing()

    # -- reading -------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Copy the file into the in-memory replica when it changed. Returns True if copied.

        When another process is writing the file, the current replica is kept and served: the
        dashboard shows the new data on the refresh after that import.
        """
        with self._mutex:
            signature = self._file_signature()
            if signature == self._replica_signature:
                return False
            if not self.path.exists():
                self._replica_signature = signature
                return False
            attached_here = self._writable_since is None
            if attached_here:
                try:
                    self._attach(read_only=True)
                except StoreBusy:
                    return False
            try:
                cur = self._con.cursor()
                try:
                    cur.execute("BEGIN TRANSACTION")
                    existing = {
                        row[0]
                        for row in cur.execute(
                            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                            [_ATTACHED],
                        ).fetchall()
                    }
                    for name in table_names():
                        if name in existing:
                            cur.execute(
                                f"CREATE OR REPLACE TABLE memory.main.{name} AS "
                                f"SELECT * FROM {_ATTACHED}.main.{name}"
                            )
                    for view, order in MATERIALISED.items():
                        cur.execute(
                            f"CREATE OR REPLACE TABLE memory.main.{view} AS "
                            f"SELECT * FROM memory.main.{view}_view ORDER BY {order}"
                        )
                    cur.execute("COMMIT")
                finally:
                    cur.close()
            finally:
                if attached_here:
                    self._detach()
            # Read the signature after detaching: detaching checkpoints and may touch the file.
            self._replica_signature = self._file_signature()
            return True

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the replica, refreshed first if the file changed. Close it when done."""
        self.refresh()
        return self._con.cursor()

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """`with store.read() as cur:` a cursor on the up-to-date replica."""
        cur = self.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def is_empty(self) -> bool:
        """True when nothing has ever been imported into the file."""
        with self.read() as cur:
            return cur.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 0


_STORES: dict[Path, Store] = {}
_STORES_LOCK = threading.Lock()


def get_store(path: Path | str | None = None) -> Store:
    """The process-wide `Store` for a database file (one connection per process)."""
    resolved = (Path(path) if path else default_db_path()).resolve()
    with _STORES_LOCK:
        if resolved not in _STORES:
            _STORES[resolved] = Store(resolved)
        return _STORES[resolved]
