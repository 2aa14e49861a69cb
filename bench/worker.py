"""One benchmark phase, run in its own process so that its peak memory is its own.

    python -m bench.worker PHASE ARGS_JSON RESULT_JSON

PHASE is one of `PHASES` (`generate`, `import`, `replicate`, `query`, `themes`, ...); ARGS_JSON holds the keyword arguments of
the matching `run_*` function; the result (a JSON object) is written to RESULT_JSON. Peak memory
is the process's peak resident set size (`ru_maxrss`), baseline included: the interpreter and
the libraries (DuckDB, pandas, pyarrow) take ~150 MB before any work, reported as
`rss_baseline_mb`.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import statistics
import sys
import threading
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any

# Tables whose rows the import writes, for the row counts of a store.
DATA_TABLES = (
    "missions",
    "accounts",
    "imports",
    "posts",
    "post_metrics",
    "post_daily",
    "account_daily",
    "follower_totals",
    "post_languages",  # issue #7: decided at import
)


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def db_size_mb(db: Path) -> float:
    """The database file and its write-ahead log, in MB."""
    size = sum(p.stat().st_size for p in (db, Path(f"{db}.wal")) if p.exists())
    return round(size / 1e6, 1)


def _remove_db(db: Path) -> None:
    from data.store import remove_store

    remove_store(db)


def _vm_rss_kib(pid: int | str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int | str) -> list[str]:
    found: list[str] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            for child in (task / "children").read_text().split():
                found += [child, *_children(child)]
    return found


class ImportMemory:
    """The import's memory as the issue defines it (#6: "memory does not grow with the size of
    the folder given"): the resident set of this process and of its children (the worker
    processes that read files), summed, sampled every `every` seconds by a thread. `tenth(n)`
    closes the n-th tenth of the files: `by_tenth` holds the peak of each, so a memory that
    grows with the files imported shows as peaks that rise from tenth to tenth (Linux only;
    elsewhere nothing is sampled)."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        self.by_tenth: list[float] = []
        self.peak_kib = 0
        self._tenth_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        kib = _vm_rss_kib("self") + sum(_vm_rss_kib(c) for c in _children(os.getpid()))
        self._tenth_kib = max(self._tenth_kib, kib)
        self.peak_kib = max(self.peak_kib, kib)
        return kib

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def __enter__(self) -> ImportMemory:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def tenth(self, number: int) -> None:
        """Files up to the `number`-th tenth are imported: keep that tenth's peak."""
        while len(self.by_tenth) < number:
            self.sample()
            self.by_tenth.append(round(self._tenth_kib / 1024, 1))
            self._tenth_kib = 0

    def summary(self) -> dict[str, Any]:
        """The peak per tenth of the files and the growth: the peak of the second half of the
        import over that of the first (1.0: flat)."""
        tenths = self.by_tenth
        half = len(tenths) // 2
        first, second = max(tenths[:half], default=0), max(tenths[half:], default=0)
        return {
            "peak_mb": round(self.peak_kib / 1024, 1),
            "by_tenth_mb": tenths,
            "growth": round(second / first, 2) if first else None,
        }


def table_rows(store: Any) -> dict[str, int]:
    """Rows per table of the store's published version."""
    with store.read() as cur:
        return {
            name: cur.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            for name in DATA_TABLES
        }


def generator_fingerprint() -> str:
    """A hash of the generator's source: generated data are reused only while it is unchanged."""
    root = Path(__file__).resolve().parents[1] / "data"
    digest = hashlib.sha256()
    for path in sorted([root / "generate.py", *(root / "generator").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# -- phases -----------------------------------------------------------------------------------


def run_generate(out: str, missions: int, days: int) -> dict[str, Any]:
    """Write the exports of `missions` missions over `days` days (and their registry) to `out`."""
    from data.generate import generate

    baseline = peak_rss_mb()
    started = time.perf_counter()
    paths = generate(missions=missions, days=days, out=out)
    seconds = time.perf_counter() - started
    return {
        "missions": missions,
        "days": days,
        "fingerprint": generator_fingerprint(),
        "files": len(paths),
        "mb": round(sum(p.stat().st_size for p in paths) / 1e6, 1),
        "seconds": round(seconds, 2),
        "rss_baseline_mb": baseline,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_import(
    data: str,
    db: str,
    registry: str | None = None,
    budget_s: float | None = None,
    fresh: bool = True,
    languages: bool = True,
    workers: int | None = None,
) -> dict[str, Any]:
    """Import everything under `data/exports` into `db` (emptied first when `fresh`), with the
    registry of `registry` (default: `data`, where the generator writes it).

    With `budget_s`, stop once that many seconds have passed and at least one batch is written,
    and report the part written: the rate, and the time the whole would take at that rate
    (`estimated_total_s`). The importer writes files in batches (a few hundred files a
    transaction) and reports a batch's files once it is written, so the stop is made through its
    progress callback, before the next file is read: the unwritten part of the batch is dropped
    and the time is that of the last batch written. `languages=False` imports without deciding
    the posts' languages (issue #7), to measure what that costs.
    """
    from connectors.__main__ import IMPORT_MEMORY
    from connectors.importer import Importer
    from connectors.reading import default_workers
    from data.store import Store

    db_path, exports = Path(db), Path(data) / "exports"
    if fresh:
        _remove_db(db_path)
    before = table_rows(Store(db_path)) if not fresh else dict.fromkeys(DATA_TABLES, 0)
    on_disk = [p for p in exports.rglob("*") if p.is_file()]
    baseline = peak_rss_mb()

    store = Store(db_path)
    store.limit_memory(IMPORT_MEMORY)  # as `python -m connectors import` caps DuckDB's buffers
    statuses: Counter[str] = Counter()
    rows = 0
    refused: list[str] = []
    total = 0
    last_written = 0.0  # seconds from the start to the last result received

    class OverBudget(Exception):
        pass

    def progress(checked: int, of: int, name: str) -> None:
        nonlocal total
        total = of
        over = budget_s is not None and time.perf_counter() - started > budget_s
        if over and statuses and checked < of:  # checked == of: the last call, all written
            raise OverBudget

    started = time.perf_counter()
    # As the command line imports: files parsed on every core while this process writes.
    importer = Importer(
        store,
        registry_dir=registry or data,
        origin="bench",
        workers=default_workers() if workers is None else workers,
        detect_languages=languages,
    )
    stopped = False
    memory = ImportMemory()
    try:
        with memory:
            for result in importer.iter_import([exports], progress):
                last_written = time.perf_counter() - started
                statuses[result.status] += 1
                if result.status == "imported":
                    rows += result.rows
                elif result.status == "refused" and len(refused) < 20:
                    refused.append(result.message("en"))
                count = sum(statuses.values())
                memory.tenth(10 * count // max(total, count))
                if count % 500 == 0:
                    print(
                        f"  {count} files imported in {last_written:.0f} s",
                        file=sys.stderr,
                        flush=True,
                    )
    except OverBudget:
        stopped = True
    seconds = last_written if stopped else time.perf_counter() - started
    peak = peak_rss_mb()  # before counting rows

    done = sum(statuses.values())
    after = table_rows(store)
    result: dict[str, Any] = {
        "complete": not stopped,
        "languages": languages,
        # of `seconds`, deciding the posts' languages (in the files' transactions)
        "language_s": round(importer.language_seconds, 2),
        "files_on_disk": len(on_disk),
        "mb_on_disk": round(sum(p.stat().st_size for p in on_disk) / 1e6, 1),
        "files": done,  # files as the importer counts them: zip members one by one
        "files_total": total,
        "statuses": dict(statuses),
        "refused": refused,
        "rows": rows,  # data rows read from the imported files
        # publishing the read-only version at the end (included in `seconds`)
        "publish_s": round(store.last_publish_s, 2) if store.last_publish_s else None,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "files_per_s": round(done / seconds, 2) if seconds else None,
        "ms_per_file": round(1000 * seconds / done, 1) if done else None,
        "estimated_total_s": round(seconds * total / done) if stopped and done else None,
        "rss_baseline_mb": baseline,
        "peak_rss_mb": peak,
        # this process and the worker processes together, per tenth of the files (issue #6)
        "workers": importer.workers,
        "memory": memory.summary(),
        "db_mb": db_size_mb(db_path),
        "table_rows": after,
        "table_rows_before": before,
    }
    return result


def run_replicate(
    source: str, db: str, copies: int = 10, keep_original: bool = True
) -> dict[str, Any]:
    """A store `copies` times the size of `source`: its file, plus copies 2..N of every mission
    and account and their rows, ids suffixed `-r2` ... `-rN` (handles, page ids and names too, so
    that no file matches a copy).

    Without `keep_original`, the original accounts' rows (not their registry rows) are deleted
    afterwards: the store then holds N − 1 copies, and importing the original exports for real
    brings it to N (the last tenth of a 10× import, measured on a store of that size).
    """
    from data.store import Store

    source_path, db_path = Path(source), Path(db)
    _remove_db(db_path)
    baseline = peak_rss_mb()
    started = time.perf_counter()
    shutil.copyfile(source_path, db_path)
    if Path(f"{source_path}.wal").exists():
        shutil.copyfile(f"{source_path}.wal", f"{db_path}.wal")
    store = Store(db_path)
    suffix = "'-r' || k"
    per_table = {
        "missions": f"mission_id || {suffix} AS mission_id, name_en || ' (r' || k || ')' AS name_en, "
        "name_vi || ' (r' || k || ')' AS name_vi",
        "accounts": f"account_id || {suffix} AS account_id, mission_id || {suffix} AS mission_id, "
        f"handle || {suffix} AS handle, external_id || {suffix} AS external_id, "
        "display_name || ' (r' || k || ')' AS display_name",
        # A baseline file is logged once for several accounts, their ids joined by ", ".
        "imports": f"import_id || {suffix} AS import_id, array_to_string("
        f"[x || {suffix} FOR x IN string_split(account_id, ', ')], ', ') AS account_id",
    }
    with store.write() as cur:
        originals = [r[0] for r in cur.execute("SELECT account_id FROM accounts").fetchall()]
        for table in DATA_TABLES:
            replace = per_table.get(table, f"account_id || {suffix} AS account_id")
            # One statement per table: its scan sees the table as it was before the insert.
            cur.execute(
                f"INSERT INTO {table} SELECT t.* REPLACE ({replace}) "
                f"FROM {table} t, range(2, {copies + 1}) r(k)"
            )
        if not keep_original:
            cur.execute("CREATE TEMP TABLE original_accounts (account_id VARCHAR)")
            cur.executemany("INSERT INTO original_accounts VALUES (?)", [[a] for a in originals])
            for table in (
                "posts",
                "post_metrics",
                "post_daily",
                "account_daily",
                "follower_totals",
                # without it the import found the languages decided and decided none
                "post_languages",
            ):
                cur.execute(
                    f"DELETE FROM {table} WHERE account_id IN (SELECT account_id FROM original_accounts)"
                )
            cur.execute("DELETE FROM imports WHERE NOT regexp_matches(import_id, '-r[0-9]+$')")
            cur.execute("DROP TABLE original_accounts")
    seconds = time.perf_counter() - started
    return {
        "copies": copies,
        "keep_original": keep_original,
        "seconds": round(seconds, 2),
        "rss_baseline_mb": baseline,
        "peak_rss_mb": peak_rss_mb(),
        "db_mb": db_size_mb(db_path),
        "table_rows": table_rows(store),
    }


def _summary(samples: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest rank on the sorted samples), min and max, in ms."""
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[max(0, min(len(ordered) - 1, round(p * len(ordered) + 0.5) - 1))]

    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(rank(0.95), 2),
        "min_ms": round(ordered[0], 2),
        "max_ms": round(ordered[-1], 2),
    }


def _rss_mb() -> float:
    """This process's resident set size now, in MB (Linux), else its peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return peak_rss_mb()


def _timed(fn: Any, runs: int, warmup: int) -> list[float]:
    samples = []
    for n in range(warmup + runs):
        started = time.perf_counter()
        fn()
        if n >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def run_query(db: str, runs: int = 30, warmup: int = 3, days: int = 90) -> dict[str, Any]:
    """Time each page's reads (`bench.pages`) on the store's published version: **cold** (the
    read cache emptied before every render: every statement runs) with the time of each call,
    and **warm** (the cache filled by the render before: what a click that changes no filter
    costs); then the hand-written SQL giving the same numbers (`bench.handsql`) on the same
    version, on a plain read-only DuckDB connection, and whether its numbers are the same; and
    `metrics`' calls for those numbers alone, on that connection (`handsql.ENGINE`)."""
    import duckdb

    import metrics
    from bench import handsql, pages
    from data import queries
    from data.store import Store, version_path

    baseline = peak_rss_mb()
    store = Store(Path(db))
    started = time.perf_counter()
    store.refresh()  # opens the published version read-only: nothing is copied
    open_s = time.perf_counter() - started
    # As the dashboard does (ui/state.py): the presets' per-account partials and alerts, built
    # in the background once per version; the pages are timed once they are there.
    started = time.perf_counter()
    store.prepare_versions(*metrics.PREPARERS)
    store.wait_prepared()
    prepare_s = time.perf_counter() - started
    after_open = _rss_mb()
    context = pages.default_context(store, days)
    filters = context.filters

    results: dict[str, Any] = {}
    for name, page in pages.PAGES.items():
        totals: list[float] = []
        calls: dict[str, list[float]] = {}
        for n in range(warmup + runs):
            store.clear_cache()
            timer = pages.Timer()
            page(context, timer)
            if n >= warmup:
                totals.append(timer.total_ms)
                for call, ms in timer.calls.items():
                    calls.setdefault(call, []).append(ms)
        warm = _timed(lambda page=page: page(context, pages.Timer()), runs, 1)
        results[name] = _summary(totals) | {
            "warm": _summary(warm),
            "calls": {call: _summary(samples) for call, samples in calls.items()},
        }
    rss_after_pages = _rss_mb()
    peak_after_pages = peak_rss_mb()  # the yardsticks below, on an uncapped connection, aside

    # The same numbers by hand, on the same version file, without the store or its cache.
    number = int(store.version.split()[0]) if store.version != "empty" else 0
    raw = duckdb.connect(str(version_path(Path(db), number)), read_only=True)
    raw.execute("SET GLOBAL TimeZone = 'UTC'")
    hand: dict[str, Any] = {}
    scopes = {
        "overview": filters.scope(),
        "mission": filters.scope(missions=[context.default_mission()]),
        "compare": filters.scope(),
        # the Compare page of the first region, as bench/pages.py draws it
        "compare_region": filters.scope(regions=queries.regions(raw)[:1]),
    }
    engine: dict[str, Any] = {}
    for name, fn in handsql.PAGES.items():
        samples = _timed(lambda fn=fn, name=name: fn(raw, scopes[name]), runs, warmup)
        hand[name] = _summary(samples)
        # metrics' calls for the same numbers, on the same plain connection (nothing cached)
        mine = handsql.ENGINE[name]
        samples = _timed(lambda fn=mine, name=name: fn(raw, scopes[name]), runs, warmup)
        engine[name] = _summary(samples)
    hand_check = handsql.check(raw, filters.scope(), context.default_mission())
    raw.close()
    return {
        "runs": runs,
        "warmup": warmup,
        "window": [filters.start.isoformat(), filters.end.isoformat()],
        "mission": context.default_mission(),
        "version": store.version,
        "open_s": round(open_s, 3),
        "prepare_s": round(prepare_s, 3),
        "rss_baseline_mb": baseline,
        "rss_after_open_mb": after_open,
        "rss_after_pages_mb": rss_after_pages,
        "peak_rss_after_pages_mb": peak_after_pages,
        "peak_rss_mb": peak_rss_mb(),
        "cache": {"hits": store.cache.hits, "misses": store.cache.misses} if store.cache else {},
        "db_mb": db_size_mb(Path(db)),
        "version_mb": round(version_path(Path(db), number).stat().st_size / 1e6, 1)
        if number
        else None,
        "pages": results,
        "hand_sql": hand,
        "engine_same_numbers": engine,
        "hand_sql_differs": hand_check,
    }


def run_pandas(db: str, runs: int = 30, warmup: int = 3, days: int = 90) -> dict[str, Any]:
    """The Overview as a pandas-in-memory Streamlit app would compute it: the tables loaded
    into DataFrames once (what `st.cache_data` on a loader keeps), then every render filters
    and groups in pandas (`bench.pandas_overview`). Reports the load, the render p50, the
    process's memory, and which KPIs differ from `metrics`."""
    from bench import pages, pandas_overview
    from data.store import Store

    baseline = peak_rss_mb()
    store = Store(Path(db), cache_mb=0)
    context = pages.default_context(store, days)
    scope = context.filters.scope()
    started = time.perf_counter()
    with store.read() as con:
        tables = pandas_overview.load(con)
    load_s = time.perf_counter() - started
    after_load = _rss_mb()
    samples = _timed(lambda: pandas_overview.overview(tables, scope), runs, warmup)
    with store.read() as con:
        differs = pandas_overview.check(con, tables, scope)
    return {
        "runs": runs,
        "load_s": round(load_s, 2),
        "rss_baseline_mb": baseline,
        "rss_after_load_mb": after_load,
        "peak_rss_mb": peak_rss_mb(),
        "overview": _summary(samples),
        "differs": differs,
    }


def run_dashboard(db: str, renders: int = 3) -> dict[str, Any]:
    """The dashboard's own process: app.py run by Streamlit's AppTest (the script runner a
    server uses) on every page, `renders` times each, as one session. Reports the RSS after
    each page and the time of its renders (charts included; the first cold, the others warm)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:  # as tests/pages/conftest.py
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]
    os.environ["DIPLOPULSE_DB"] = db
    root = Path(__file__).resolve().parents[1]
    baseline = _rss_mb()
    at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
    pages_run: dict[str, Any] = {}
    for script in ("pages/overview.py", "pages/mission.py", "pages/compare.py", "pages/data.py"):
        seconds = []
        for n in range(renders):
            started = time.perf_counter()
            if n == 0 and script != "pages/overview.py":
                at.switch_page(script)
            at.run()
            seconds.append(time.perf_counter() - started)
            if at.exception:
                raise RuntimeError(f"{script}: {[e.value for e in at.exception]}")
        pages_run[Path(script).stem] = {
            "first_s": round(seconds[0], 3),
            "again_p50_s": round(statistics.median(seconds[1:]), 3) if renders > 1 else None,
            "rss_mb": _rss_mb(),
        }
    return {
        "renders": renders,
        "rss_baseline_mb": baseline,
        "pages": pages_run,
        "rss_mb": _rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
    }


def run_cli(db: str, runs: int = 5, days: int = 90) -> dict[str, Any]:
    """`python -m metrics kpis --json` for the first mission over the last `days` days, as a
    user would type it: wall time and the child's peak RSS, `runs` times."""
    import subprocess

    from bench import pages
    from data.store import Store

    store = Store(Path(db))
    context = pages.default_context(store, days)
    f = context.filters
    command = [
        sys.executable,
        "-m",
        "metrics",
        "kpis",
        "--mission",
        context.default_mission(),
        "--start",
        f.start.isoformat(),
        "--end",
        f.end.isoformat(),
        "--db",
        db,
        "--json",
    ]
    seconds, peaks = [], []
    root = Path(__file__).resolve().parents[1]
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        child.returncode = os.waitstatus_to_exitcode(status)
        output = child.stdout.read() if child.stdout else ""
        if child.returncode != 0:
            raise RuntimeError(f"metrics kpis failed: {output}")
    return {
        "runs": runs,
        "command": " ".join(command[1:]),
        "p50_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
        "peak_rss_mb": round(statistics.median(peaks), 1),
    }


def run_rawcsv(data: str, db: str) -> dict[str, Any]:
    """The limit for the import: DuckDB's own `read_csv` of the same export files into plain
    tables, one table per header layout, in a fresh database file. Zips are
    read member by member through a temporary folder (extraction timed); the few XLSX files
    are left out (DuckDB has no reader for them without an extension) and counted."""
    import tempfile
    import zipfile

    import duckdb

    db_path, exports = Path(db), Path(data) / "exports"
    _remove_db(db_path)
    baseline = peak_rss_mb()
    started = time.perf_counter()
    files = [p for p in exports.rglob("*") if p.is_file()]
    skipped = [p for p in files if p.suffix.lower() not in (".csv", ".zip")]
    with tempfile.TemporaryDirectory() as scratch:
        csvs = [p for p in files if p.suffix.lower() == ".csv"]
        for n, archive in enumerate(p for p in files if p.suffix.lower() == ".zip"):
            with zipfile.ZipFile(archive) as z:
                for member in z.namelist():
                    if member.lower().endswith(".csv"):
                        target = Path(scratch) / str(n) / member
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(z.read(member))
                        csvs.append(target)
                    else:
                        skipped.append(Path(member))
        layouts: dict[str, list[str]] = {}
        for path in csvs:
            with path.open("rb") as handle:
                head = handle.readline()
            layouts.setdefault(hashlib.sha1(head).hexdigest(), []).append(str(path))
        con = duckdb.connect(str(db_path))
        rows = 0
        failed = 0
        for n, paths in enumerate(layouts.values()):
            # The types sniffed from the first file, for all the files of the layout; where
            # a later file does not fit them, every file sniffed (union_by_name, slower); where
            # rows are short, padded (which DuckDB reads on one thread only).
            attempts = ("union_by_name = false", "union_by_name = true", "null_padding = true")
            for options in attempts:
                try:
                    con.execute(
                        f"CREATE OR REPLACE TABLE layout_{n} AS SELECT * FROM read_csv(?,"
                        f" {options}, ignore_errors = true"
                        f"{', parallel = false' if 'padding' in options else ''})",
                        [paths],
                    )
                    rows += con.execute(f"SELECT count(*) FROM layout_{n}").fetchall()[0][0]
                    break
                except duckdb.Error:
                    if options == attempts[-1]:
                        failed += len(paths)
        con.execute("CHECKPOINT")
        con.close()
    seconds = time.perf_counter() - started
    return {
        "files": len(csvs),
        "layouts": len(layouts),
        "failed_files": failed,
        "skipped_files": len(skipped),
        "mb_read": round(sum(Path(p).stat().st_size for p in files) / 1e6, 1),
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "files_per_s": round(len(csvs) / seconds, 1) if seconds else None,
        "rss_baseline_mb": baseline,
        "peak_rss_mb": peak_rss_mb(),
        "db_mb": db_size_mb(db_path),
    }


def run_themes(
    db: str, days: int = 90, runs: int = 5, scale: int = 10, missions: int = 10
) -> dict[str, Any]:
    """What tagging posts with themes costs (issue #7, part 11): `bench.themes.measure` on the
    store `db`, with the process's peak memory."""
    from bench.themes import measure

    baseline = peak_rss_mb()
    result = measure(db, days=days, runs=runs, scale=scale, missions=missions)
    return result | {"rss_baseline_mb": baseline, "peak_rss_mb": peak_rss_mb()}


PHASES = {
    "generate": run_generate,
    "import": run_import,
    "replicate": run_replicate,
    "query": run_query,
    "pandas": run_pandas,
    "cli": run_cli,
    "dashboard": run_dashboard,
    "rawcsv": run_rawcsv,
    "themes": run_themes,
}


def main(argv: list[str]) -> int:
    phase, args, out = argv
    result = PHASES[phase](**json.loads(args))
    Path(out).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
