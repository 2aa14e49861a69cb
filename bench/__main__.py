"""Benchmark the import and the dashboard's reads on generated data.

    python -m bench [--scale ministry|10x|both] [--out bench/out] [--days 730] [--runs 30]
                    [--warmup 3] [--tenx replicate|import] [--tenx-import-budget SECONDS]

For each scale: generate the exports (`data/generate.py`), import them with the real importer
into a fresh store, then time every page's reads (`bench/pages.py`) on the store's in-memory
replica. Each phase runs in its own process, so each peak memory is its own. Results go to
OUT/results.json (merged with earlier scales) and OUT/results.md; BENCHMARKS.md quotes them.

Scales: `ministry` is 95 missions, the 10× scale 950, each with 4 mission accounts plus some
ambassador accounts, over `--days` days. At 10×, `--tenx replicate` (the default) builds the
store from the ministry store copied ten times, ids suffixed, and measures the import rate on
the last tenth: the ministry's real files imported into a store already holding 9 copies, for
at most `--tenx-import-budget` seconds. `--tenx import` generates 950 missions and imports them
all instead (about 15 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.worker import generator_fingerprint
from data.store import remove_store

ROOT = Path(__file__).resolve().parents[1]
MINISTRY_MISSIONS = 95
TENX = 10


def machine() -> dict[str, Any]:
    """The machine the numbers were taken on."""
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024**2, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import duckdb

        info["duckdb"] = duckdb.__version__
    except ImportError:
        pass
    try:
        git = ["git", "-C", str(ROOT)]
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        changed = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        )
        if commit.returncode == 0:
            info["commit"] = commit.stdout.strip() + (
                " + local changes" if changed.stdout.strip() else ""
            )
    except OSError:
        pass
    return info


def phase(name: str, folder: Path, **kwargs: Any) -> dict[str, Any]:
    """Run one phase in a fresh Python process; its result is also kept as FOLDER/NAME.json."""
    result_path = folder / f"{name}.json"
    result_path.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    load_before = os.getloadavg()[0]  # other work on the machine skews the times: say how much
    print(f"[bench] {folder.name}: {name} …", file=sys.stderr, flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.worker",
            name.split("-")[0],
            json.dumps(kwargs),
            str(result_path),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(
        f"[bench] {folder.name}: {name} done in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result["load_avg"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    result_path.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return result


def _load(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def generated(folder: Path, missions: int, days: int) -> dict[str, Any]:
    """Generate the exports, or reuse those of an earlier run with the same parameters and the
    same generator code (the generator is deterministic)."""
    folder.mkdir(parents=True, exist_ok=True)
    previous = _load(folder / "generate.json")
    if (
        previous
        and previous.get("missions") == missions
        and previous.get("days") == days
        and previous.get("fingerprint") == generator_fingerprint()
        and (folder / "exports").is_dir()
        and (folder / "accounts.csv").is_file()
    ):
        print(f"[bench] {folder.name}: reusing the generated exports", file=sys.stderr)
        return previous | {"reused": True}
    return phase("generate", folder, out=str(folder), missions=missions, days=days)


def ministry_store(folder: Path, missions: int, days: int, *, fresh: bool) -> dict[str, Any]:
    """Generate and import the ministry scale; with `fresh=False`, reuse a complete earlier
    import of the same data."""
    gen = generated(folder, missions, days)
    previous = _load(folder / "import.json")
    db = folder / "bench.duckdb"
    if not fresh and gen.get("reused") and previous and previous.get("complete") and db.exists():
        print(f"[bench] {folder.name}: reusing the imported store", file=sys.stderr)
        return {"generate": gen, "import": previous}
    imported = phase("import", folder, data=str(folder), db=str(db))
    return {"generate": gen, "import": imported}


def run_scale(scale: str, args: argparse.Namespace, done: dict[str, Any]) -> dict[str, Any]:
    """Every phase of one scale; returns its results."""
    out: Path = args.out
    ministry = out / "ministry"
    if scale == "ministry":
        result = ministry_store(ministry, args.missions, args.days, fresh=not args.reuse)
        if args.languages_ratio:
            # Issue #7: the same import without deciding the posts' languages; the aim is
            # with ≤ 1.3 × without.
            bare = ministry / "no-languages.duckdb"
            result["import_without_languages"] = phase(
                "import-without-languages", ministry, data=str(ministry), db=str(bare),
                languages=False,
            )  # fmt: skip
            remove_store(bare)
        if args.themes:
            # Issue #7: theme tagging's read cost, and tagging 10 stores' worth of distinct texts
            result["themes"] = phase(
                "themes", ministry, db=str(ministry / "bench.duckdb"), runs=5, scale=TENX
            )
        result |= side_by_side(ministry, ministry / "bench.duckdb", args)
        return result

    folder = out / "10x"
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.duckdb"
    if args.tenx == "import":
        result = {"mode": "import", "generate": generated(folder, args.missions * TENX, args.days)}
        result["import"] = phase(
            "import", folder, data=str(folder), db=str(db), budget_s=args.tenx_import_budget
        )
    else:
        base = done.get("ministry") or ministry_store(
            ministry, args.missions, args.days, fresh=False
        )
        source = str(ministry / "bench.duckdb")
        result = {"mode": "replicate", "source": {"import": base["import"]}}
        result["replicate"] = phase("replicate", folder, source=source, db=str(db), copies=TENX)
        # The last tenth for real: the ministry's files into a store holding the 9 other copies.
        marginal = folder / "marginal.duckdb"
        result["marginal_store"] = phase(
            "replicate-marginal",
            folder,
            source=source,
            db=str(marginal),
            copies=TENX,
            keep_original=False,
        )
        result["import"] = phase(
            "import",
            folder,
            data=str(ministry),
            db=str(marginal),
            fresh=False,
            budget_s=args.tenx_import_budget,
        )
        remove_store(marginal)  # as large as the 10× store; only its timing matters
        if args.languages_ratio:
            # Issue #7: the same last tenth without deciding the posts' languages, into a store
            # made the same way (the import changed the first one).
            phase(
                "replicate-marginal-bare", folder, source=source, db=str(marginal),
                copies=TENX, keep_original=False,
            )  # fmt: skip
            result["import_without_languages"] = phase(
                "import-without-languages", folder, data=str(ministry), db=str(marginal),
                fresh=False, budget_s=args.tenx_import_budget, languages=False,
            )  # fmt: skip
            remove_store(marginal)
    if args.themes:
        # Theme tagging's reads on the 10× store. Its copies repeat the ministry's texts, and a
        # read tags a text once: the tagging of 10x distinct texts is the ministry's `themes`.
        result["themes"] = phase("themes", folder, db=str(db), runs=5, scale=0)
    result |= side_by_side(folder, db, args, rawcsv=args.tenx == "import")
    return result


def side_by_side(
    folder: Path, db: Path, args: argparse.Namespace, *, rawcsv: bool = True
) -> dict[str, Any]:
    """On one store, in one run: the pages' reads (cold, warm) and the hand-written SQL giving
    the same numbers (`query`), the pandas-in-memory Overview (`pandas`), a CLI `kpis` call
    (`cli`), and DuckDB's own read_csv of the same export files (`rawcsv`)."""
    result = {
        "query": phase("query", folder, db=str(db), runs=args.runs, warmup=args.warmup),
        "pandas": phase("pandas", folder, db=str(db), runs=args.runs, warmup=args.warmup),
        "cli": phase("cli", folder, db=str(db)),
        "dashboard": phase("dashboard", folder, db=str(db)),
    }
    if rawcsv:
        raw = folder / "rawcsv.duckdb"
        result["rawcsv"] = phase("rawcsv", folder, data=str(folder), db=str(raw))
        remove_store(raw)
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("ministry", "10x", "both"), default="ministry")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "out", help="output folder (default bench/out)"
    )
    parser.add_argument(
        "--missions",
        type=int,
        default=MINISTRY_MISSIONS,
        help="missions at ministry scale (default 95)",
    )
    parser.add_argument("--days", type=int, default=730, help="days of data (default 730)")
    parser.add_argument("--runs", type=int, default=30, help="timed renders per page (default 30)")
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed renders per page first (default 3)"
    )
    parser.add_argument(
        "--tenx",
        choices=("replicate", "import"),
        default="replicate",
        help="how the 10× store is built",
    )
    parser.add_argument(
        "--tenx-import-budget",
        type=float,
        default=None,
        help="stop a 10× import after this many seconds and extrapolate (default: no limit)",
    )
    parser.add_argument(
        "--languages-ratio",
        action="store_true",
        help="import again without language detection, for the ratio (ministry; 10×: the "
        "last tenth)",
    )
    parser.add_argument(
        "--themes",
        action="store_true",
        help="measure theme tagging's reads at each scale (issue #7), and tagging 10× the posts",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the ministry store of an earlier run of the same data (no import)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    scales = ("ministry", "10x") if args.scale == "both" else (args.scale,)
    results = _load(args.out / "results.json") or {}
    results["scales"] = results.get("scales", {})
    # The machine and the code as they are when the run starts (the code may change meanwhile).
    results["machine"] = machine()
    done: dict[str, Any] = {}
    for scale in scales:
        done[scale] = run_scale(scale, args, done)
        done[scale]["missions"] = args.missions * (TENX if scale == "10x" else 1)
        done[scale]["days"] = args.days
        done[scale]["date"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["scales"][scale] = done[scale]
    (args.out / "results.json").write_text(
        json.dumps(results, indent=2, default=str), encoding="utf-8"
    )
    text = report.render(results)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
