"""The benchmark results as Markdown tables (OUT/results.md, quoted in BENCHMARKS.md)."""

from __future__ import annotations

from typing import Any

SCALE_ORDER = ("ministry", "10x")
IMPORT_AIM_S = 30.0
PAGE_AIM_MS = 150.0


def _n(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and digits:
        return f"{value:,.{digits}f}"
    return f"{round(value):,}"


def _scales(results: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    scales = results.get("scales", {})
    return [(s, scales[s]) for s in SCALE_ORDER if s in scales]


def import_table(results: dict[str, Any]) -> str:
    """Files, rows, seconds, rate and memory of each scale's import."""
    lines = [
        "| scale | missions × days | files imported (on disk) | rows read | import s | rows/s "
        "| ms/file | peak MB | DB MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, scale in _scales(results):
        imp = scale["import"]
        files = f"{imp['files']:,} ({imp['files_on_disk']:,})"
        seconds = _n(imp["seconds"], 1)
        if not imp.get("complete", True):
            files = f"{imp['files']:,} of {imp['files_total']:,}"
            seconds += f" (all {imp['files_total']:,}: ≈ {_n(imp['estimated_total_s'])})"
        db_mb = imp["db_mb"]
        if scale.get("mode") == "replicate":
            db_mb = scale["replicate"]["db_mb"]
            name = f"{name}: the last tenth, into a store holding the 9 others"
        lines.append(
            f"| {name} | {scale['missions']} × {scale['days']} | {files} | {imp['rows']:,} | "
            f"{seconds} | {_n(imp['rows_per_s'])} | {_n(imp['ms_per_file'], 1)} | "
            f"{_n(imp['peak_rss_mb'])} | {_n(db_mb)} |"
        )
    return "\n".join(lines)


def store_table(results: dict[str, Any]) -> str:
    """Rows per table of each scale's store."""
    scales = _scales(results)
    rows_of = {}
    for name, scale in scales:
        rows_of[name] = (scale.get("replicate") or scale["import"])["table_rows"]
    tables = list(next(iter(rows_of.values()))) if rows_of else []
    lines = [
        "| table | " + " | ".join(n for n, _ in scales) + " |",
        "|---|" + "---|" * len(scales),
    ]
    for table in tables:
        lines.append(
            f"| {table} | " + " | ".join(f"{rows_of[n][table]:,}" for n, _ in scales) + " |"
        )
    return "\n".join(lines)


def page_table(results: dict[str, Any]) -> str:
    """p50 / p95 of each page's reads, per scale, against the aim."""
    scales = [(n, s) for n, s in _scales(results) if "query" in s]
    lines = [
        "| page | " + " | ".join(f"{n} p50 / p95 ms" for n, _ in scales) + " |",
        "|---|" + "---|" * len(scales),
    ]
    pages = list(scales[0][1]["query"]["pages"]) if scales else []
    for page in pages:
        cells = []
        for _, scale in scales:
            p = scale["query"]["pages"][page]
            mark = "" if p["p50_ms"] < PAGE_AIM_MS else " ✗"
            cells.append(f"{_n(p['p50_ms'])} / {_n(p['p95_ms'])}{mark}")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def call_table(results: dict[str, Any]) -> str:
    """p50 / p95 of every call of every page, per scale."""
    scales = [(n, s) for n, s in _scales(results) if "query" in s]
    lines = [
        "| page | call | " + " | ".join(f"{n} p50 / p95 ms" for n, _ in scales) + " |",
        "|---|---|" + "---|" * len(scales),
    ]
    if not scales:
        return "\n".join(lines)
    for page, first in scales[0][1]["query"]["pages"].items():
        for call in first["calls"]:
            cells = []
            for _, scale in scales:
                c = scale["query"]["pages"].get(page, {}).get("calls", {}).get(call)
                cells.append(f"{c['p50_ms']:,.1f} / {c['p95_ms']:,.1f}" if c else "–")
            lines.append(f"| {page} | {call} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def query_memory_table(results: dict[str, Any]) -> str:
    """The query process: replica load time and memory."""
    lines = [
        "| scale | replica load s | RSS before / after replica / peak MB | runs (warm-up) | window |",
        "|---|---|---|---|---|",
    ]
    for name, scale in _scales(results):
        q = scale.get("query")
        if not q:
            continue
        lines.append(
            f"| {name} | {q['replica_load_s']:.2f} | {_n(q['rss_baseline_mb'])} / "
            f"{_n(q['rss_after_replica_mb'])} / {_n(q['peak_rss_mb'])} | {q['runs']} ({q['warmup']}) | "
            f"{q['window'][0]} – {q['window'][1]} |"
        )
    return "\n".join(lines)


def render(results: dict[str, Any]) -> str:
    """Every table, with the machine."""
    m = results.get("machine", {})
    head = (
        f"Machine: {m.get('cores')} cores ({m.get('cpu', '?')}), {m.get('memory_gib')} GiB, "
        f"{m.get('system')}, Python {m.get('python')}, DuckDB {m.get('duckdb')}; "
        f"code at {m.get('commit', '?')}."
    )
    dates = ", ".join(f"{n}: {s.get('date')}" for n, s in _scales(results))
    return "\n\n".join(
        [
            "# Benchmark results",
            head,
            f"Runs: {dates}.",
            "## Import",
            import_table(results),
            "## Store",
            store_table(results),
            "## Pages (sum of a render's reads)",
            page_table(results),
            "## Query process",
            query_memory_table(results),
            "## Calls",
            call_table(results),
            "",
        ]
    )
