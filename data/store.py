"""The DuckDB store: one writer that publishes read-only versions, readers that never wait.

DuckDB lets one process at a time write a database file, and a process that has the file open
(even read-only) blocks writers. So that the command-line importer and the dashboard can run at
the same time, readers never open the file that is written:

- **The writer** attaches the database file (`<db>`) read-write for the length of a write or of
  a batch of writes (an import), then lets it go. When a batch ends it **publishes a version**:
  it checkpoints the file, copies it to `<db>.v<N>.duckdb`, builds the derived tables in the
  copy once (`MATERIALISED`: each post's current snapshot, the coverage per mission and
  platform and per account; `SORTED`: the daily tables in date order), and then points
  `<db>.current` at it by an atomic rename. Publishing happens while the file is still held,
  so two writers (CLI and an upload in the dashboard) publish one after the other. A version
  published by an older release, without a derived table of today's, is published again when
  a reader first opens it.
- **Readers** (dashboard sessions, CLI reads) open the current version read-only, each version
  once per process, and look at the pointer before every read: a newer version is opened for
  the next read while reads in progress finish on theirs. Nothing is copied into memory; DuckDB
  reads the pages a query needs from the file, within a memory cap (`READ_MEMORY_MB`). A reader
  never opens `<db>` itself, so it never waits for a writer, and a writer never waits for
  readers.
- **Old versions** are deleted once the pointer has moved on by two (a reader that has just read
  the pointer still finds its version) and no reader of this process holds them. On Windows a
  file that another process has open cannot be deleted: the attempt is repeated at every later
  publish and whenever a reader lets go of a version.

Reads are cached per (version, statement, parameters): a version never changes, so a repeated
statement returns the result of its first run (`ReadCursor`); read functions decorated with
`cached_per_version` (metrics', the map's) are cached per (version, arguments) the same way,
and the last calls are remembered: the dashboard's warming thread (`start_warming`) runs them
again on each new version as soon as it is published, a period that ended on the latest day
with data moved to the new latest day, so that the first render after an import is a cache
hit. A reading process may also build tables of its own for each version it opens, in the
background (`prepare_versions`: the dashboard has the metrics' per-account partials and alerts
of the period presets built, which the writer, below the metrics, cannot). A page whose reads are not
cached yet reads them all at once (`ReadCursor.read_ahead`, on
`READ_AHEAD_THREADS` cursors of its version): a page's statements are small and each keeps
about one core busy. A writer's lock error is waited out and retried instead of shown. Every
statement runs in UTC whatever the host's time zone.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextvars
import copy
import dataclasses
import datetime
import functools
import inspect
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

# Bound here, not looked up at each call: the warming thread's own reads are not the pages'
# (tests/test_bench.py counts what a page reads through data.queries).
from data.queries import latest_data_date

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
DEFAULT_DB = Path(__file__).with_name("diplopulse.duckdb")
SCHEMA_VERSION = "1"
_ATTACHED = "store"
# Views of the schema that a published version keeps as tables, built once at publishing, with
# the order of their rows (DuckDB skips row groups by their min/max, so date filters read less).
# post_current: each post's latest snapshot, found once and not in every query;
# post_inputs, account_net_follows and post_accounts: what the KPI sources (metrics/sql/) read
# per post, per account and day, and per account, with the as-of join to the follower totals and
# the choice of a day's net follows done once (they were most of the Overview's and the Mission
# page's statements);
# mission_platform_coverage and account_coverage: the Data page's coverage, which aggregates
# every daily value (550 of the page's 650 ms at ministry scale, most of 10.7 s at 10x).
MATERIALISED = {
    "post_current": "published_date, account_id",
    "post_inputs": "published_date, account_id",
    "account_net_follows": "date, account_id",
    "post_accounts": "account_id",
    "mission_platform_coverage": "mission_id, platform",
    "account_coverage": "mission_id, platform, owner, account_id",
}
# Columns added to a MATERIALISED view since versions were first published: a version built
# without one (by an older release) is published again, like one without the table.
REQUIRED_COLUMNS = {("post_inputs", "language"), ("post_inputs", "host_language")}
# Tables a published version keeps sorted by date, for the same reason: every page reads a
# window of days. At 10x (15 million daily values) the Overview's cold reads took 1.9 s instead
# of 2.8 s, for about 24 s more per publish (1-2 s at ministry scale). `posts` too: the pages
# read the texts of a window's posts only (top posts, themes, the posts behind alerts), and
# a text column is decoded a whole vector at a time: in publish-date order a week's posts are
# a few vectors, not a few rows of every vector (10.7 -> 1.5 ms for a week's texts at ministry
# scale, for about 0.7 s more per publish).
SORTED = {
    "account_daily": "date, account_id",
    "follower_totals": "date, account_id",
    "posts": "published_date, account_id, post_id",
}
# Memory the building of a version may use before spilling to disk: an import's memory stays
# that of its writes.
BUILD_MEMORY = "512MB"
# Versions kept behind the current one: a reader that read the pointer just before a publish
# still finds the version it read.
_KEEP_BEHIND = 1
# Memory for cached read results per process; a result above a quarter of it is not kept.
DEFAULT_CACHE_MB = 64.0
# Read-function calls remembered per process, to run again on a new version (`Store.warm`):
# a page's render makes 5-15.
RECENT_CALLS = 64
# Threads that read ahead for a page, its own included (`ReadCursor.read_ahead`). A small
# statement keeps about one core busy (it is planned on one thread, and small inputs make few
# parallel tasks): two at once on 2 cores took the Mission page's reads from 285-305 to
# 200-225 ms at ministry scale and from 340-364 to 266 ms at 10x; three were slower than two.
READ_AHEAD_THREADS = max(1, min(4, os.cpu_count() or 1))
# How often the dashboard's warming thread looks for a new version (`Store.start_warming`).
WARM_POLL_SECONDS = 2.0
# How long the end of the process waits for a warming thread's statement in progress: a thread
# still inside DuckDB when Python finalises aborts the process.
WARM_STOP_SECONDS = 30.0
# How long `Store.warm` waits for the derived tables of a new version (`prepare_versions`)
# before it runs the remembered calls without them.
PREPARE_WAIT_SECONDS = 30.0
# The least memory a reader's DuckDB may use (measured at ministry scale: a process that ran
# every page stayed near 300 MB with 200 MB, 440 MB without a limit, at no cost in time).
READ_MEMORY_MB = float(os.environ.get("DIPLOPULSE_READ_MEMORY_MB") or 200)
# A statement that runs out of it doubles it, up to this (then the error is shown).
MAX_READ_MEMORY_MB = 8192.0


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


def pointer_path(db: Path) -> Path:
    """The file naming the current published version of database `db`."""
    return Path(f"{db}.current")


def version_path(db: Path, number: int) -> Path:
    """The file of published version `number` of database `db`."""
    return Path(f"{db}.v{number}.duckdb")


def store_files(db: Path) -> list[Path]:
    """Every file of the store of `db` that exists: the database, its write-ahead log, the
    pointer and the published versions (to measure or remove a store whole)."""
    versions = re.compile(re.escape(db.name) + r"\.v\d+\.(duckdb|tmp)(\.wal)?$")
    found = [p for p in (db, Path(f"{db}.wal"), pointer_path(db)) if p.exists()]
    if db.parent.is_dir():
        found += sorted(p for p in db.parent.iterdir() if versions.match(p.name))
    return found


def remove_store(db: Path) -> None:
    """Delete every file of the store of `db` (see `store_files`)."""
    for path in store_files(db):
        path.unlink(missing_ok=True)


class StoreBusy(RuntimeError):
    """The database file stayed locked by another process for longer than we wait."""


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _utc(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # DuckDB takes the host's zone as its session zone, and a TIMESTAMP cast to TIMESTAMPTZ
    # (or a TIMESTAMPTZ cast to DATE) is read in that zone: the same data would give other
    # dates on a machine set to Hanoi time. Every computation here runs in UTC instead.
    # GLOBAL, because a plain SET is per session and cursors are new sessions.
    con.execute("SET GLOBAL TimeZone = 'UTC'")
    return con


# -- the read cache ----------------------------------------------------------------------------


_PLAIN = frozenset({str, int, float, bool, datetime.date, datetime.datetime})


def _frozen(value: Any) -> Any:
    """A hashable form of statement parameters or call arguments; raises TypeError for what
    cannot be one (a DataFrame, say: such a call is not cached)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple) and value:
        # A long list of one plain type (the ids and days of a network's alerts: thousands)
        # at once: the type said once, not per value.
        kinds = {type(v) for v in value}
        if len(kinds) == 1 and (kind := kinds.pop()) in _PLAIN:
            return (type(value).__name__, kind.__name__, tuple(value))
    if isinstance(value, list | tuple | set | frozenset):
        items = [_frozen(v) for v in value]
        return tuple(sorted(items, key=repr) if isinstance(value, set | frozenset) else items)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__qualname__, *(_frozen(getattr(value, f.name)) for f in fields))
    hash(value)
    return (type(value).__name__, value)


def _private(value: Any) -> Any:
    # What a caller gets from the cache is its own: frames are new objects (pandas'
    # copy-on-write keeps their shared data safe), containers are copied.
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_private(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # e.g. frames in it
        fields = {f.name: _private(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **fields)
    if isinstance(value, dict | list):
        return copy.deepcopy(value)
    return value


F = TypeVar("F", bound=Callable[..., Any])


def cached_per_version(fn: F | None = None, *, extra: Callable[[], Any] | None = None) -> Any:
    """Cache a read function per (store version, function, arguments).

    The function's first argument is a cursor from `Store.read()`; its result depends only on
    the data of that version and on the other arguments (and on `extra()`, e.g. the language
    of names it returns), so that a page drawn again, at every click, runs none of its
    statements nor the pandas work after them. Other cursors, and arguments that cannot be
    hashed, call the function as it is.
    """

    def decorate(function: F) -> F:
        name = (function.__module__, function.__qualname__)
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(con: Any, *args: Any, **kwargs: Any) -> Any:
            cache, version = getattr(con, "read_cache", None), getattr(con, "read_version", None)
            if cache is None or version is None:
                return function(con, *args, **kwargs)
            try:
                # The arguments by name, defaults filled in: `f(con, s, "mission")` and
                # `f(con, s, by="mission")` are one entry, whichever way a caller spells it.
                bound = signature.bind(con, *args, **kwargs)
                bound.apply_defaults()
                arguments = dict(list(bound.arguments.items())[1:])
                key = ("call", *name, _frozen(arguments), extra() if extra else None)
                hash(key)
            except TypeError:
                return function(con, *args, **kwargs)
            found = cache.get(version, key)
            if found is None:
                found = function(con, *args, **kwargs)
                cache.put(version, key, found)
            cache.note_call(key, version, wrapper, args, kwargs)
            return _private(found)

        return wrapper  # type: ignore[return-value]

    return decorate(fn) if fn is not None else decorate


# DuckDB warns that an Arrow result of `execute` costs one copy more than one of `sql`: for the
# few hundred rows a page reads that copy is nothing, and `sql` binds the statement again
# (56 against 39 ms for the Mission page's statement).
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)

_READ_STATEMENT = re.compile(r"\s*(\(|select\b|with\b|from\b)", re.IGNORECASE)


# Builds a process's own derived tables for a version (`Store.prepare_versions`): given a
# cursor on the version and the name of a writable database attached to it, returns facts.
Preparer = Callable[["ReadCursor", str], dict[str, Any]]


def prepared_fact(cur: Any, name: str) -> Any | None:
    """The fact `name` a preparer gave for the version the cursor `cur` reads
    (`ReadCursor.prepared`); None for a cursor of no store, or before it was prepared."""
    facts = getattr(cur, "prepared", None)
    return facts.get(name) if isinstance(facts, dict) else None


# A remembered call: version, the caller's context variables, function, args, kwargs.
_Call = tuple[str, contextvars.Context, Callable[..., Any], tuple, dict]


class ReadCache:
    """Results of read statements of one version, least recently used dropped first."""

    def __init__(self, budget_mb: float = DEFAULT_CACHE_MB) -> None:
        self.budget = int(budget_mb * 1e6)
        self._entries: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        # The read functions called lately (key -> version, the caller's context, function,
        # args, kwargs): what `Store.warm` runs again on a new version.
        self._calls: OrderedDict[tuple, _Call] = OrderedDict()

    def note_call(
        self, key: tuple, version: str, function: Callable[..., Any], args: tuple, kwargs: dict
    ) -> None:
        """Remember a call of a `cached_per_version` function (the last RECENT_CALLS), with
        the caller's context variables (the language of its session, which `extra` reads):
        run again in another thread, it computes what the caller would."""
        context = contextvars.copy_context()
        with self._lock:
            self._calls.pop(key, None)
            self._calls[key] = (version, context, function, args, kwargs)
            while len(self._calls) > RECENT_CALLS:
                self._calls.popitem(last=False)

    def recent_calls(self) -> list[_Call]:
        """The remembered calls, most recent first."""
        with self._lock:
            return list(reversed(self._calls.values()))

    def get(self, version: str, key: tuple) -> Any | None:
        with self._lock:
            if version != self._version:
                return None
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, version: str, key: tuple, value: Any) -> None:
        size = _size(value)
        if size > self.budget // 4:
            return
        with self._lock:
            if version != self._version:  # a new version: the old results are of no use
                self._entries.clear()
                self._bytes = 0
                self._version = version
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.budget and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


# How many values of an object column (spread evenly over it) estimate the column's size.
SIZE_SAMPLE = 16
# A frame of at most this many cells is sized as if every cell took SMALL_CELL_BYTES: pandas'
# per-column look-ups cost 20-50 µs each, 2-3 ms a page for its many small frames (the
# cards, a mission's platforms), for estimates of a few kB in a budget of megabytes.
SMALL_FRAME_CELLS = 4096
SMALL_CELL_BYTES = 64


def _size(value: Any) -> int:
    """About how many bytes a cached result holds (the cache's budget is an estimate)."""
    if isinstance(value, pa.Table):
        return value.nbytes
    if isinstance(value, pd.Series):
        value = value.to_frame()
    if isinstance(value, pd.DataFrame) and value.size <= SMALL_FRAME_CELLS:
        return 8 * len(value) + SMALL_CELL_BYTES * value.size  # an upper bound, found at once
    if isinstance(value, pd.DataFrame):
        # A column of numbers: its width times its length, from the dtypes alone. Any other
        # (lists of account ids, reasons): the mean size of SIZE_SAMPLE values spread over it,
        # read in one slice of the frame. `memory_usage(deep=True)` measured every object:
        # 25 ms for the Overview's statement at 10x (4,800 rows, 58 columns of lists); its
        # `deep=False` still made a Series of every column: 2-4 ms for a comparison's frame
        # of one row and 150 columns, at every statement kept.
        rows = len(value)
        size = 8 * rows  # the index
        others = []
        for position, dtype in enumerate(value.dtypes):
            width = getattr(dtype, "itemsize", 0) if dtype.kind in "biufcmM" else 0
            if width:
                size += (width + (not isinstance(dtype, np.dtype))) * rows  # + a mask byte
            elif isinstance(dtype, pd.StringDtype):  # ids and names: Arrow's compact buffers
                size += value.iloc[:, position].array.nbytes
            else:
                others.append(position)
        if others and rows:
            step = max(1, rows // SIZE_SAMPLE)
            sample = value.iloc[step // 2 :: step, others].to_numpy(dtype=object)
            size += sum(sys.getsizeof(v) for v in sample.flat) * rows // len(sample)
        return size
    if isinstance(value, tuple):
        return 64 + sum(_size(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return 64 + sum(_size(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, list):
        width = len(value[0]) if value and isinstance(value[0], tuple) else 1
        return 64 + 48 * len(value) * max(width, 1)
    return 64


_READ_AHEAD: list[concurrent.futures.ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _read_ahead_pool() -> concurrent.futures.ThreadPoolExecutor:
    """The threads that help `ReadCursor.read_ahead`, shared by the process's sessions."""
    with _POOL_LOCK:
        if not _READ_AHEAD:
            _READ_AHEAD.append(
                concurrent.futures.ThreadPoolExecutor(
                    max(1, READ_AHEAD_THREADS - 1), thread_name_prefix="read-ahead"
                )
            )
        return _READ_AHEAD[0]


class ReadCursor:
    """A cursor on a published version whose read statements are answered from the cache when
    the same statement with the same parameters ran before on this version.

    `execute` returns the cursor itself, as DuckDB's does; the statement runs when its result
    is fetched (`fetchall`, `fetchone`, `df`), or at once for anything that is not a SELECT.
    Any other method runs the statement uncached and hands over to the DuckDB cursor.
    """

    def __init__(
        self,
        cur: duckdb.DuckDBPyConnection,
        cache: ReadCache | None,
        version: str,
        more_memory: Callable[[], bool] | None = None,
        prepared: dict[str, Any] | None = None,
    ):
        self._cur = cur
        self._cache = cache
        self._prepared = prepared if prepared is not None else {}
        self._version = version
        self._more_memory = more_memory
        self._pending: tuple[tuple, str, Any] | None = None
        self._rows: list[tuple] | None = None
        self._at = 0

    def execute(self, query: str, parameters: Any = None) -> ReadCursor:
        """Run (or look up) a statement; fetch its result from this cursor."""
        self._rows, self._at, self._pending = None, 0, None
        key = None
        if self._cache is not None and _READ_STATEMENT.match(query):
            with suppress(TypeError):
                key = (query, _frozen(parameters))
        if key is None:
            self._run(query, parameters)
        else:
            self._pending = (key, query, parameters)
        return self

    def _run(self, query: str, parameters: Any) -> None:
        while True:
            try:
                if parameters is None:
                    self._cur.execute(query)
                else:
                    self._cur.execute(query, parameters)
                return
            except duckdb.OutOfMemoryException:
                # The reader's cap is low on purpose (memory used is kept); a statement that
                # needs more (a long window at 10x) gets it rather than an error.
                if self._more_memory is None or not self._more_memory():
                    raise

    def _result(self, kind: str) -> Any:
        assert self._pending is not None and self._cache is not None
        key, query, parameters = self._pending
        found = self._cache.get(self._version, (*key, kind))
        if found is None:
            self._run(query, parameters)
            if kind == "df":
                found = self._cur.df()
            elif kind == "arrow":
                found = self._cur.to_arrow_table()
            else:
                found = self._cur.fetchall()
            self._cache.put(self._version, (*key, kind), found)
        return found

    def read_ahead(self, calls: Sequence[Callable[[ReadCursor], object]]) -> None:
        """Run read functions (`cached_per_version` ones, each given a cursor) at the same
        time, on cursors of this cursor's version, and return when all are done: the calls a
        page then makes with the same arguments find their results in the cache instead of
        running one after the other. Give the longest first. Only a speed-up: without a
        cache it does nothing, and a call that fails is left to fail again when the page
        makes it, where the page says what went wrong."""
        if self._cache is None or not calls:
            return
        pending = list(reversed(calls))  # pop() takes them in the order given
        lock = threading.Lock()

        def drain() -> None:
            while True:
                # One thread at a time takes a call and opens or closes a cursor (the DuckDB
                # cursor `self._cur` keeps a list of the cursors made from it).
                with lock:
                    if not pending:
                        return
                    call = pending.pop()
                    sibling = ReadCursor(
                        self._cur.cursor(),
                        self._cache,
                        self._version,
                        self._more_memory,
                        self._prepared,
                    )
                try:
                    with suppress(Exception):
                        call(sibling)
                finally:
                    with lock:
                        sibling.close()

        # Each helper in a copy of the caller's context (the language some results depend
        # on); the caller drains too, so busy helpers (another session reading ahead) only
        # leave it more to do.
        helpers = [
            _read_ahead_pool().submit(contextvars.copy_context().run, drain)
            for _ in range(min(READ_AHEAD_THREADS, len(calls)) - 1)
        ]
        drain()
        for helper in helpers:
            if not helper.cancel():
                helper.result()

    @property
    def read_cache(self) -> ReadCache | None:
        """The cache of this cursor's reads (None when caching is off)."""
        return self._cache

    @property
    def read_version(self) -> str:
        """The version this cursor reads."""
        return self._version

    @property
    def prepared(self) -> dict[str, Any]:
        """What this process's preparers have built for the version so far
        (`Store.prepare_versions`): fact name -> value; empty until they are done."""
        return self._prepared

    def df(self) -> pd.DataFrame:
        """The result as a DataFrame (a new frame; pandas' copy-on-write guards the cache)."""
        if self._pending is None:
            return self._cur.df()
        frame = self._result("df")
        self._pending = None
        return _private(frame)

    fetchdf = df
    fetch_df = df

    def to_arrow_table(self) -> pa.Table:
        """The result as an Arrow table (immutable: the cached one itself)."""
        if self._pending is None:
            return self._cur.to_arrow_table()
        table = self._result("arrow")
        self._pending = None
        return table

    def _all_rows(self) -> list[tuple]:
        if self._rows is None:
            if self._pending is None:
                return self._cur.fetchall()
            self._rows = self._result("rows")
            self._pending = None
        return self._rows

    def fetchall(self) -> list[tuple]:
        """The remaining rows of the result."""
        rows = self._all_rows()
        rest, self._at = rows[self._at :], len(rows)
        return list(rest)

    def fetchone(self) -> tuple | None:
        """The next row of the result, or None."""
        if self._rows is None and self._pending is None:
            return self._cur.fetchone()
        rows = self._all_rows()
        if self._at >= len(rows):
            return None
        self._at += 1
        return rows[self._at - 1]

    def close(self) -> None:
        """Close the DuckDB cursor."""
        self._cur.close()

    def __getattr__(self, name: str) -> Any:
        if self._pending is not None:  # e.g. .arrow(): run it uncached, then hand over
            _, query, parameters = self._pending
            self._pending = None
            self._run(query, parameters)
        return getattr(self._cur, name)


# -- published versions --------------------------------------------------------------------------


@dataclass
class _Version:
    """One published version opened read-only in this process."""

    token: str  # the pointer's text: the version's number and a unique id
    number: int
    con: duckdb.DuckDBPyConnection
    users: int = 0
    retired: bool = False
    memory_mb: float = 0.0  # DuckDB's memory_limit on this version's connection; 0 = none
    complete: bool = True  # holds every MATERIALISED table (False: built by an older release)
    # What `Store.prepare_versions`' preparers built for this version in this process (their
    # facts, e.g. the windows a table holds), set once each is done; readers look it up.
    prepared: dict[str, Any] = dataclasses.field(default_factory=dict)
    prepared_file: Path | None = None  # the attached database of those tables
    prepared_name: str = ""  # and its name in the version's connection
    prepare_errors: list[str] = dataclasses.field(default_factory=list)  # for diagnosis
    ready: threading.Event = dataclasses.field(default_factory=threading.Event)
    # Statements of several sessions, and of one page reading ahead, run out of memory at once:
    # the cap is raised by one of them at a time, on a connection used by one thread at a time.
    _memory_lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def limit_memory(self, mb: float) -> None:
        """Set DuckDB's memory cap for this version's reads."""
        self.memory_mb = mb
        self.con.execute(f"SET memory_limit = '{mb:.0f}MB'")

    def more_memory(self) -> bool:
        """Double the cap after an out-of-memory error, up to MAX_READ_MEMORY_MB; False when
        it cannot grow."""
        with self._memory_lock:
            if not self.memory_mb or self.memory_mb >= MAX_READ_MEMORY_MB:
                return False
            self.limit_memory(min(self.memory_mb * 2, MAX_READ_MEMORY_MB))
            return True

    def reader(self, cur: duckdb.DuckDBPyConnection, cache: ReadCache | None) -> ReadCursor:
        """A `ReadCursor` of this version on its DuckDB cursor `cur`."""
        return ReadCursor(cur, cache, self.token, self.more_memory, self.prepared)

    def close(self) -> None:
        """Close the connection, and delete the file of what was prepared for it."""
        with suppress(Exception):
            self.con.close()
        self.remove_prepared_file()

    def remove_prepared_file(self) -> None:
        """Delete the file of what was prepared for this version (on POSIX also while it is
        open: at the end of the process)."""
        if self.prepared_file is not None:
            for path in (self.prepared_file, Path(f"{self.prepared_file}.wal")):
                with suppress(OSError):
                    path.unlink()


def _process_folder() -> Path:
    """This process's temporary folder: DuckDB's spill files, prepared tables."""
    return Path(tempfile.gettempdir()) / f"diplopulse-{os.getpid()}"


def _running(pid: int) -> bool:
    """Whether a process runs (on Windows: unknown, so no; a file it has open cannot be
    deleted there anyway)."""
    if os.name == "nt":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's
        return True
    return True


def _remove_prepared_files_left_behind() -> None:
    """Delete the prepared tables that processes which ended without closing their versions (a
    dashboard stopped by Ctrl+C or killed) left in their folders, and the folders once empty."""
    for folder in _process_folder().parent.glob("diplopulse-*"):
        pid = folder.name.removeprefix("diplopulse-")
        if not pid.isdigit() or int(pid) == os.getpid() or _running(int(pid)):
            continue
        for path in folder.glob("prepared_*"):
            with suppress(OSError):
                path.unlink()
        with suppress(OSError):
            folder.rmdir()  # not when it holds something else


def _read_pointer(db: Path) -> tuple[str, int] | None:
    for attempt in range(50):
        try:
            text = pointer_path(db).read_text(encoding="utf-8").strip()
            return text, int(text.split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None
        except PermissionError:  # Windows: the writer is replacing it this instant
            if attempt == 49:
                raise
            time.sleep(0.01)
    return None


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_text(text, encoding="utf-8")
    for attempt in range(20):
        try:
            temporary.replace(path)  # atomic on POSIX and Windows
            return
        except PermissionError:  # Windows: a reader is reading the old pointer this instant
            if attempt == 19:
                temporary.unlink(missing_ok=True)
                raise
            time.sleep(0.05)


def _version_numbers(db: Path) -> dict[int, list[Path]]:
    pattern = re.compile(re.escape(db.name) + r"\.v(\d+)\.(duckdb|tmp)(\.wal)?$")
    found: dict[int, list[Path]] = {}
    if db.parent.is_dir():
        for path in db.parent.iterdir():
            match = pattern.match(path.name)
            if match:
                found.setdefault(int(match.group(1)), []).append(path)
    return found


def _remove_versions_before(db: Path, number: int) -> None:
    """Delete the files of versions older than `number`; what cannot be deleted now (a file
    open in another process on Windows) is left for a later attempt."""
    for n, paths in _version_numbers(db).items():
        if n < number:
            for path in paths:
                with suppress(OSError):
                    path.unlink()


class Store:
    """Access to one DiploPulse database file. Create one per process (see `get_store`)."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        lock_wait_seconds: float = 60.0,
        batch_hold_seconds: float = 3.0,
        cache_mb: float = DEFAULT_CACHE_MB,
    ) -> None:
        self.path = Path(path) if path else default_db_path()
        self.lock_wait_seconds = lock_wait_seconds
        self.batch_hold_seconds = batch_hold_seconds
        # Two locks, so that a write in one thread (an upload) never holds up reads in others.
        self._mutex = threading.RLock()  # the writer's state
        self._rlock = threading.RLock()  # the readers' state
        # The writer's connection: the database file is attached to it only while written.
        self._con = _utc(duckdb.connect(":memory:"))
        self._writable_since: float | None = None  # set while the file is attached read-write
        self._batches = 0  # open write_batch() blocks
        self._unpublished = False  # committed writes not yet in a published version
        self.last_publish_s: float | None = None  # how long the last publish took
        # The reader's side: the version in use, and older ones still being read.
        self._version: _Version | None = None
        self._retired: list[_Version] = []
        self._rebuilt: set[int] = set()  # versions without every derived table, published again
        self._anchors: dict[str, Any] = {}  # version -> its latest day with data (`warm`)
        self._warming: threading.Thread | None = None
        self._stop_warming = threading.Event()
        self.warmed_version: str | None = None  # the last version the warming thread warmed
        # Derived tables each process builds for itself on every version it opens
        # (`prepare_versions`), and the threads building them now.
        self._preparers: list[Preparer] = []
        self._preparing: set[threading.Thread] = set()
        self.cache = ReadCache(cache_mb) if cache_mb > 0 else None

    def limit_memory(self, limit: str) -> None:
        """Cap the memory DuckDB's buffers may take in this process (e.g. "512MB"); beyond it,
        large operations spill to `<database>.tmp`. For a process that only writes, such as a
        command-line import: by default DuckDB keeps up to 80 % of the machine's memory."""
        temp = str(Path(f"{self.path}.tmp")).replace("'", "''")
        self._con.execute(f"SET GLOBAL memory_limit = '{limit}'")
        self._con.execute(f"SET GLOBAL temp_directory = '{temp}'")

    # -- the writer ----------------------------------------------------------------------

    def _attach(self) -> None:
        deadline = time.monotonic() + self.lock_wait_seconds
        delay = 0.05
        while True:
            try:
                self._con.execute(f"ATTACH '{self._sql_path()}' AS {_ATTACHED}")
                return
            except (duckdb.IOException, duckdb.ConnectionException) as error:
                if not _is_lock_error(error) or time.monotonic() > deadline:
                    if _is_lock_error(error):
                        raise StoreBusy(
                            f"{self.path} stayed in use by another DiploPulse process for "
                            f"{self.lock_wait_seconds:.0f} s; try again when its import has "
                            "finished"
                        ) from error
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def _sql_path(self) -> str:
        return str(self.path).replace("'", "''")

    def _ensure_file(self) -> None:
        """Create the file and its schema when missing; migrate nothing yet (version 1)."""
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
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._attach()
            self._ensure_file()
            self._writable_since = time.monotonic()

    def _close_for_writing(self, *, publish: bool) -> None:
        try:
            if publish and self._unpublished:
                self._open_for_writing()  # publishing holds the file: writers publish in turn
                self._publish()
        finally:
            if self._writable_since is not None:
                self._writable_since = None
                self._con.execute(f"DETACH {_ATTACHED}")

    def _publish(self) -> None:
        """Publish the attached file as the next version: checkpoint, copy, build the derived
        tables in the copy, point `<db>.current` at it, delete versions no longer needed."""
        self._con.execute(f"CHECKPOINT {_ATTACHED}")  # the whole database in the file, no WAL
        current = _read_pointer(self.path)
        number = max([current[1] if current else 0, *_version_numbers(self.path)]) + 1
        target = version_path(self.path, number)
        building = target.with_suffix(".tmp")
        started = time.perf_counter()
        shutil.copyfile(self.path, building)
        try:
            con = _utc(duckdb.connect(str(building)))
            try:
                con.execute(f"SET memory_limit = '{BUILD_MEMORY}'")
                # Building a large version takes seconds: no progress bar in the importer's output.
                con.execute("SET enable_progress_bar = false")
                con.execute("SET preserve_insertion_order = false")  # the ORDER BY decides
                for table, order in SORTED.items():
                    con.execute(
                        f"CREATE TABLE {table}_sorted AS SELECT * FROM {table} ORDER BY {order}"
                    )
                    con.execute(f"DROP TABLE {table}")
                    con.execute(f"ALTER TABLE {table}_sorted RENAME TO {table}")
                for view, order in MATERIALISED.items():
                    con.execute(
                        f"CREATE TABLE {view}_built AS SELECT * FROM {view} ORDER BY {order}"
                    )
                    con.execute(f"DROP VIEW {view}")
                    con.execute(f"ALTER TABLE {view}_built RENAME TO {view}")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            self.last_publish_s = time.perf_counter() - started
            building.replace(target)
        except BaseException:
            building.unlink(missing_ok=True)
            raise
        _write_atomically(pointer_path(self.path), f"{number} {uuid.uuid4().hex}\n")
        self._unpublished = False
        _remove_versions_before(self.path, number - _KEEP_BEHIND)

    def publish(self) -> None:
        """Publish the database file as a new version now (e.g. a file written by another
        program, or a store made before versions were published)."""
        with self._mutex:
            self._unpublished = True
            if self._batches == 0 and self._writable_since is None:  # else: when it ends
                self._close_for_writing(publish=True)

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the database file, attached read-write, inside one transaction.

        Everything done on the cursor is committed together when the block ends, or rolled back
        when it raises: a file's import is all or nothing. Outside a `write_batch`, the block
        publishes a new version and lets the file go when it ends. Reads (`read`) see what was
        written once it is published.
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
                    self._unpublished = True
                finally:
                    cur.close()
            finally:
                if self._batches == 0:
                    self._close_for_writing(publish=True)
                elif time.monotonic() - (self._writable_since or 0.0) > self.batch_hold_seconds:
                    # Attaching costs tens of milliseconds (schema check, checkpoint on detach),
                    # so a batch keeps the file; but it lets go every few seconds so that a
                    # writer in another process (an upload, the CLI) is never kept waiting long.
                    # Its writes are published when the batch ends.
                    self._close_for_writing(publish=False)

    @contextmanager
    def write_batch(self) -> Iterator[None]:
        """Keep the file attached across the `write()` blocks inside (a batch of imports), and
        publish one version when the batch ends."""
        with self._mutex:
            self._batches += 1
        try:
            yield
        finally:
            with self._mutex:
                self._batches -= 1
                if self._batches == 0:
                    self._close_for_writing(publish=True)

    # -- readers -------------------------------------------------------------------------

    def _empty_version(self) -> _Version:
        # Nothing published yet: an empty database with the schema, so that pages show "no data".
        con = _utc(duckdb.connect(":memory:"))
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        version = _Version("empty", 0, con)
        version.ready.set()  # nothing to prepare
        return version

    def _open(self, pointer: tuple[str, int]) -> _Version | None:
        path = version_path(self.path, pointer[1])
        try:
            con = duckdb.connect(str(path), read_only=True)
            size = path.stat().st_size
        except (duckdb.IOException, duckdb.ConnectionException, FileNotFoundError):
            return None  # deleted since the pointer was read (two publishes meanwhile)
        # DuckDB would let its caches and operators grow to 80 % of the machine's memory, and
        # memory it has used is not given back: cap a reader (the file's size, at least
        # READ_MEMORY_MB), and spill to a folder of this process's own beyond that.
        spill = _process_folder()
        con.execute(f"SET temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
        version = _Version(pointer[0], pointer[1], _utc(con))
        version.limit_memory(max(READ_MEMORY_MB, size / 1e6))
        built = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        columns = set(
            con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall()
        )
        version.complete = set(MATERIALISED) <= built and columns >= REQUIRED_COLUMNS
        return version

    def _current(self) -> _Version:
        """The newest published version, opened (the one in use while none is newer)."""
        for _ in range(20):
            pointer = _read_pointer(self.path)
            in_use = self._version
            if in_use is not None and pointer is not None and in_use.token == pointer[0]:
                return in_use
            if pointer is None:
                if self.path.exists():
                    self._publish_unpublished_file()
                pointer = _read_pointer(self.path)
                if pointer is None:
                    if in_use is None:
                        self._version = self._empty_version()
                    return self._version  # type: ignore[return-value]
            opened = self._open(pointer)
            if opened is None:
                if _read_pointer(self.path) == pointer and self.path.exists():
                    self._publish_unpublished_file()  # its file is gone: publish again
                continue
            if not opened.complete and self.path.exists() and pointer[1] not in self._rebuilt:
                # Published by an older DiploPulse, without a derived table that reads now
                # expect: publish again, once (a writer busy now publishes when it is done).
                self._rebuilt.add(pointer[1])
                opened.close()
                self._publish_unpublished_file()
                continue
            if in_use is not None:
                in_use.retired = True
                self._retired.append(in_use)
            self._version = opened
            self._start_preparing(opened, self._preparers)
            self._let_go_of_retired()
            return opened
        raise StoreBusy(f"no published version of {self.path} could be opened")

    def _publish_unpublished_file(self) -> None:
        """A database file without a published version (written before versions existed, or
        being written for the first time): publish it, unless a writer holds it (then it
        publishes itself when done, and until then the reader sees an empty store)."""
        if not self._mutex.acquire(blocking=False):
            return  # this process is writing: it publishes at the end
        wait, self.lock_wait_seconds = self.lock_wait_seconds, min(self.lock_wait_seconds, 1.0)
        try:
            self.publish()
        except StoreBusy:
            pass  # another process is writing: it publishes at the end
        finally:
            self.lock_wait_seconds = wait
            self._mutex.release()

    def _let_go_of_retired(self) -> None:
        keep = []
        for version in self._retired:
            if version.users > 0:
                keep.append(version)
            else:
                version.close()
        self._retired = keep
        pointer = _read_pointer(self.path)
        if pointer is not None:
            held = [v.number for v in keep if v.number]
            oldest_needed = min([pointer[1] - _KEEP_BEHIND, *held])
            _remove_versions_before(self.path, oldest_needed)

    def refresh(self) -> bool:
        """Switch to the newest published version now; True when it is another one than
        before. (Reads switch by themselves; this is for callers that want to know.)"""
        with self._rlock:
            before = self._version.token if self._version else None
            return self._current().token != before

    @property
    def version(self) -> str:
        """The published version reads see now (its number and a unique id; "empty" before the
        first publish). Results read from one version never change: a cache key."""
        with self._rlock:
            return self._current().token

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """`with store.read() as cur:` a cursor on the newest published version, read-only.

        Its read statements are cached per version (see `ReadCursor`); what was written is
        seen once published (at the end of a `write()` outside a batch, or of the batch).
        """
        with self._rlock:
            version = self._current()
            version.users += 1
            cur = version.con.cursor()
        try:
            yield version.reader(cur, self.cache)  # type: ignore[misc]
        finally:
            cur.close()
            with self._rlock:
                self._release(version)

    def _release(self, version: _Version) -> None:
        # Called with self._rlock held: one user (a read, a preparation) less.
        version.users -= 1
        if version.retired and version.users == 0:
            self._let_go_of_retired()

    def cursor(self) -> ReadCursor:
        """A cursor on the newest published version (uncounted: prefer `read`). Close it."""
        with self._rlock:
            version = self._current()
            return version.reader(version.con.cursor(), self.cache)

    # -- preparing: derived tables a reading process builds for itself -------------------

    def prepare_versions(self, *preparers: Preparer) -> None:
        """Run each `preparer(cursor, database)` on every version this process opens from now
        on (and on the one open now), in order, in a background thread, before anything else
        of that version is warmed: `database` is the name of a database of this process's own,
        attached to the version's connection, where it may create tables (the version itself
        is read-only); it returns facts about them, which the version's cursors then show
        (`ReadCursor.prepared`) as soon as it is done. Reads never wait for them: until then
        they read without (a preparer that fails leaves its facts out, the others' are kept,
        and reads go on without them). The file of those tables is deleted with the version's
        connection. Give them all in one call: a second call while a version is being
        prepared would prepare it in a second thread.

        For tables that depend on what reads look at (the metrics' per-account partials and
        alerts of the period presets), which the writer, below the metrics, cannot build when
        it publishes."""
        with self._rlock:
            new = [p for p in dict.fromkeys(preparers) if p not in self._preparers]
            if not new:
                return
            self._preparers += new
            version = self._version
            if version is not None and version.number and not version.retired:
                version.ready.clear()
                self._start_preparing(version, new)

    def wait_prepared(self, timeout: float | None = None) -> bool:
        """Wait until the current version's preparers are done; False after `timeout`."""
        with self._rlock:
            version = self._current()
        return version.ready.wait(timeout)

    def _start_preparing(self, version: _Version, preparers: Sequence[Preparer]) -> None:
        # Called with self._rlock held.
        if not preparers or not version.number:
            version.ready.set()
            return
        version.users += 1  # not closed while its tables are built
        thread = threading.Thread(
            target=self._prepare,
            args=(version, list(preparers)),
            name=f"store-preparing-{version.number}",
            daemon=True,
        )
        self._preparing.add(thread)
        _WARMING.add(self)
        thread.start()

    def _prepare(self, version: _Version, preparers: list[Preparer]) -> None:
        try:
            with self._rlock:
                cur = version.con.cursor()
            try:
                if version.prepared_file is None:
                    _remove_prepared_files_left_behind()
                    folder = _process_folder()
                    folder.mkdir(parents=True, exist_ok=True)
                    # A name of its own: DuckDB names the version's database after its file
                    # (a store called prepared.duckdb would be "prepared").
                    name = f"prepared_{version.number}_{uuid.uuid4().hex[:8]}"
                    path = folder / f"{name}.duckdb"
                    quoted = str(path).replace("'", "''")
                    cur.execute(f"ATTACH '{quoted}' AS {name} (READ_WRITE)")
                    version.prepared_file, version.prepared_name = path, name
                for preparer in preparers:
                    if self._stop_warming.is_set():
                        break
                    reader = version.reader(cur, None)  # uncached: it builds, once
                    try:
                        version.prepared.update(preparer(reader, version.prepared_name))
                    except Exception as error:  # reads go on without what it would have built
                        version.prepare_errors.append(f"{preparer!r}: {error}")
                # Everything in the file itself (no write-ahead log left to delete later).
                cur.execute(f"CHECKPOINT {version.prepared_name}")
            finally:
                cur.close()
        except Exception as error:  # a version that cannot be prepared is read as it is
            version.prepare_errors.append(str(error))
        finally:
            version.ready.set()
            with self._rlock:
                self._preparing.discard(threading.current_thread())
                self._release(version)

    def _join_preparing(self, timeout: float) -> None:
        for thread in list(self._preparing):
            if thread is not threading.current_thread():
                thread.join(timeout)

    # -- warming: the first render after an import finds its reads done --------------------

    def warm(self) -> int:
        """Run again, on the current version, the read functions called on earlier versions
        (the views people looked at), so that their next render is answered from the cache.

        A period that ended on the latest day with data of its version is moved to end on the
        current version's (the default "last 90 days" after an import of newer days); every
        other argument is kept. Stops when a newer version appears. Returns the calls run.
        """
        if self.cache is None:
            return 0
        ran = 0
        self.wait_prepared(PREPARE_WAIT_SECONDS)  # the calls run again read what it built
        with self.read() as cur:
            token = cur.read_version
            latest = self._latest_day(cur)
            for version, context, function, args, kwargs in self.cache.recent_calls():
                if version == token:
                    continue  # read on this version already
                if self.version != token or self._stop_warming.is_set():
                    break  # a newer one: warm that instead (or the process is ending)
                shift = None
                before = self._anchors.get(version)
                if before is not None and latest is not None and before != latest:
                    shift = (before, latest - before)
                with suppress(Exception):  # a call that fails now fails again when drawn
                    # in a copy of the caller's context: a context runs in one thread at once
                    context.copy().run(
                        function, cur, *_shifted(args, shift), **_shifted(kwargs, shift)
                    )
                    ran += 1
        return ran

    def _latest_day(self, cur: ReadCursor) -> Any:
        if cur.read_version not in self._anchors:
            self._anchors[cur.read_version] = latest_data_date(cur)
        return self._anchors[cur.read_version]

    def start_warming(self, poll_seconds: float = WARM_POLL_SECONDS) -> None:
        """Start (once per store) a background thread that looks for a new version every
        `poll_seconds` and `warm`s it: for a long-running reader such as the dashboard."""
        with self._rlock:
            if self._warming is not None:
                return
            self._warming = threading.Thread(
                target=self._warm_loop, args=(poll_seconds,), name="store-warming", daemon=True
            )
            _WARMING.add(self)
        self._warming.start()

    def stop_warming(self, timeout: float = WARM_STOP_SECONDS) -> None:
        """Stop the warming thread (at the end of the read in progress, if any)."""
        self._stop_warming.set()
        thread = self._warming
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _warm_loop(self, poll_seconds: float) -> None:
        while not self._stop_warming.wait(poll_seconds):
            with suppress(Exception):  # never let the thread die (a store being replaced)
                token = self.version
                if token != self.warmed_version:
                    with self.read() as cur:  # remember the latest day of each version read
                        self._latest_day(cur)
                    self.warm()
                    self.warmed_version = token

    def clear_cache(self) -> None:
        """Forget the cached read results (to measure cold reads)."""
        if self.cache is not None:
            self.cache.clear()

    def is_empty(self) -> bool:
        """True when nothing has ever been imported into the file."""
        with self.read() as cur:
            return cur.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 0

    def close(self) -> None:
        """Let go of every file: the writer's and the versions opened for reading."""
        self.stop_warming()
        self._join_preparing(WARM_STOP_SECONDS)
        with self._mutex:
            self._close_for_writing(publish=True)
        with self._rlock:
            for version in [*self._retired, *([self._version] if self._version else [])]:
                with suppress(Exception):
                    version.close()
            self._retired, self._version = [], None


def _shifted(value: Any, shift: tuple[Any, Any] | None) -> Any:
    """`value` (call arguments) with every date moved by shift[1] when the call holds a date
    equal to shift[0] (the old version's latest day): a period ending on it follows the data.
    Dates inside tuples, lists, dicts and dataclasses (a page's scope) are found too."""
    if shift is None or not _holds(value, shift[0]):
        return value
    return _moved(value, shift[1])


def _holds(value: Any, day: Any) -> bool:
    if isinstance(value, datetime.date):
        return value == day
    if isinstance(value, dict):
        return any(_holds(v, day) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds(v, day) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_holds(getattr(value, f.name), day) for f in dataclasses.fields(value))
    return False


def _moved(value: Any, delta: Any) -> Any:
    if isinstance(value, datetime.date):
        return value + delta
    if isinstance(value, dict):
        return {k: _moved(v, delta) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_moved(v, delta) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _moved(getattr(value, f.name), delta) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **fields)
    return value


# Stores whose warming or preparing threads run: stopped (or waited for) before the interpreter
# ends (atexit runs before daemon threads are stopped), so that none is stopped inside DuckDB.
_WARMING: weakref.WeakSet[Store] = weakref.WeakSet()


@atexit.register
def _stop_warming_threads() -> None:
    stores = list(_WARMING)
    for store in stores:
        store._stop_warming.set()
    for store in stores:
        store.stop_warming()
        store._join_preparing(WARM_STOP_SECONDS)
        for version in [*store._retired, *([store._version] if store._version else [])]:
            version.remove_prepared_file()  # what cannot be deleted now, a later process does


_STORES: dict[Path, Store] = {}
_STORES_LOCK = threading.Lock()


def get_store(path: Path | str | None = None) -> Store:
    """The process-wide `Store` for a database file (one connection per process)."""
    resolved = (Path(path) if path else default_db_path()).resolve()
    with _STORES_LOCK:
        if resolved not in _STORES:
            _STORES[resolved] = Store(resolved)
        return _STORES[resolved]
