"""One benchmark phase, run in its own process so that its peak memory is its own.

    python -m bench.worker PHASE ARGS_JSON RESULT_JSON

PHASE is `generate`, `import`, `replicate` or `query`; ARGS_JSON holds the keyword arguments of
the matching `run_*` function; the result (a JSON object) is written to RESULT_JSON. Peak memory
is the process's peak resident set size (`ru_maxrss`), baseline included: the interpreter and
the libraries (DuckDB, pandas, pyarrow) take ~150 MB before any work, reported as
`rss_baseline_mb`.
"""

from __future__ import annotations

import hashlib
import json
import resource
import shutil
import statistics
import sys
import time
from collections import Counter
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
)


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def db_size_mb(db: Path) -> float:
    """The database file and its write-ahead log, in MB."""
    size = sum(p.stat().st_size for p in (db, Path(f"{db}.wal")) if p.exists())
    return round(size / 1e6, 1)


def _remove_db(db: Path) -> None:
    for path in (db, Path(f"{db}.wal")):
        path.unlink(missing_ok=True)


def table_rows(store: Any) -> dict[str, int]:
    """Rows per table of the store's file. Read through a write session, not the replica, so
    that counting does not copy the whole file into this process's memory."""
    with store.write() as cur:
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
) -> dict[str, Any]:
    """Import everything under `data/exports` into `db` (emptied first when `fresh`), with the
    registry of `registry` (default: `data`, where the generator writes it).

    With `budget_s`, stop once that many seconds have passed and at least one batch is written,
    and report the part written: the rate, and the time the whole would take at that rate
    (`estimated_total_s`). The importer writes files in batches (a few hundred files a
    transaction) and reports a batch's files once it is written, so the stop is made through its
    progress callback, before the next file is read: the unwritten part of the batch is dropped
    and the time is that of the last batch written.
    """
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
        store, registry_dir=registry or data, origin="bench", workers=default_workers()
    )
    stopped = False
    try:
        for result in importer.iter_import([exports], progress):
            last_written = time.perf_counter() - started
            statuses[result.status] += 1
            if result.status == "imported":
                rows += result.rows
            elif result.status == "refused" and len(refused) < 20:
                refused.append(result.message("en"))
            count = sum(statuses.values())
            if count % 500 == 0:
                print(
                    f"  {count} files imported in {last_written:.0f} s", file=sys.stderr, flush=True
                )
    except OverBudget:
        stopped = True
    seconds = last_written if stopped else time.perf_counter() - started
    peak = peak_rss_mb()  # before counting rows, which attaches the file

    done = sum(statuses.values())
    after = table_rows(store)
    result: dict[str, Any] = {
        "complete": not stopped,
        "files_on_disk": len(on_disk),
        "mb_on_disk": round(sum(p.stat().st_size for p in on_disk) / 1e6, 1),
        "files": done,  # files as the importer counts them: zip members one by one
        "files_total": total,
        "statuses": dict(statuses),
        "refused": refused,
        "rows": rows,  # data rows read from the imported files
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "files_per_s": round(done / seconds, 2) if seconds else None,
        "ms_per_file": round(1000 * seconds / done, 1) if done else None,
        "estimated_total_s": round(seconds * total / done) if stopped and done else None,
        "rss_baseline_mb": baseline,
        "peak_rss_mb": peak,
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


def run_query(db: str, runs: int = 30, warmup: int = 3, days: int = 90) -> dict[str, Any]:
    """Time each page's reads (`bench.pages`) on the store's in-memory replica, warm: `warmup`
    renders first, then `runs` timed renders per page, in a `days`-day window ending on the
    latest date with data."""
    from bench import pages
    from data.store import Store

    baseline = peak_rss_mb()
    store = Store(Path(db))
    started = time.perf_counter()
    store.refresh()  # the first read copies the file into memory: once per file change
    replica_s = time.perf_counter() - started
    after_replica = peak_rss_mb()
    context = pages.default_context(store, days)
    filters = context.filters

    results: dict[str, Any] = {}
    for name, page in pages.PAGES.items():
        totals: list[float] = []
        calls: dict[str, list[float]] = {}
        for n in range(warmup + runs):
            timer = pages.Timer()
            page(context, timer)
            if n >= warmup:
                totals.append(timer.total_ms)
                for call, ms in timer.calls.items():
                    calls.setdefault(call, []).append(ms)
        results[name] = _summary(totals) | {
            "calls": {call: _summary(samples) for call, samples in calls.items()}
        }
    return {
        "runs": runs,
        "warmup": warmup,
        "window": [filters.start.isoformat(), filters.end.isoformat()],
        "mission": context.default_mission(),
        "replica_load_s": round(replica_s, 2),
        "rss_baseline_mb": baseline,
        "rss_after_replica_mb": after_replica,
        "peak_rss_mb": peak_rss_mb(),
        "db_mb": db_size_mb(Path(db)),
        "pages": results,
    }


PHASES = {
    "generate": run_generate,
    "import": run_import,
    "replicate": run_replicate,
    "query": run_query,
}


def main(argv: list[str]) -> int:
    phase, args, out = argv
    result = PHASES[phase](**json.loads(args))
    Path(out).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
