"""Files read in worker processes import exactly as files read by the importer itself (issue
#6: the import parses on all cores). Read in workers or not, the same lines come out in the
same order and the store holds the same rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import connectors.reading as reading
from connectors.importer import Importer
from connectors.samples import SAMPLES
from data.store import Store

REGISTRY = SAMPLES.parent  # the sample registry: missions.csv, accounts.csv
TABLES = {
    "posts": "account_id, post_id",
    "post_metrics": "account_id, post_id, as_of",
    "account_daily": "account_id, date, metric, as_of",
    "post_daily": "account_id, post_id, date, metric, as_of",
    "audience": "ALL",
}


def import_samples(tmp_path: Path, name: str, workers: int) -> tuple[list[str], dict]:
    store = Store(tmp_path / f"{name}.duckdb")
    importer = Importer(
        store, registry_dir=REGISTRY, origin="sample", today=date(2026, 11, 1), workers=workers
    )
    lines = [result.message("en") for result in importer.import_paths([SAMPLES])]
    with store.read() as cur:
        rows = {
            table: cur.execute(
                f"SELECT * EXCLUDE (sha256) FROM {table} ORDER BY {order}"
                if table != "audience"
                else f"SELECT * FROM {table} ORDER BY ALL"
            ).fetchall()
            for table, order in TABLES.items()
        }
    return lines, rows


def test_files_read_in_workers_import_as_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = import_samples(tmp_path, "here", workers=1)
    sent: list[str] = []

    class Counting(reading.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            sent.append(args[1])
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(reading, "ProcessPoolExecutor", Counting)
    in_workers = import_samples(tmp_path, "workers", workers=2)
    assert len(sent) > 100  # the files on disk were read in the workers
    assert len(here[0]) > reading._FILES_FOR_WORKERS  # enough files for the workers to start
    assert in_workers[0] == here[0]
    assert in_workers[1] == here[1]
    assert len(here[1]["posts"]) > 1000


def test_a_refusal_read_in_a_worker_keeps_its_parameters(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for number in range(reading._FILES_FOR_WORKERS):
        (folder / f"empty-{number:02d}.csv").write_text('"Post ID","Page ID"\n')
    (folder / "zz-binary.csv").write_bytes(b"abc\x00def" * 10)
    store = Store(tmp_path / "refused.duckdb")
    results = Importer(store, registry_dir=REGISTRY, workers=2).import_paths([folder])
    assert [r.status for r in results] == ["refused"] * (reading._FILES_FOR_WORKERS + 1)
    last = results[-1]
    assert last.refusal.code == "nul_bytes" and last.refusal.params == {"position": 3}
    assert "zz-binary.csv" in last.message("en") and "byte 3" in last.message("en")
