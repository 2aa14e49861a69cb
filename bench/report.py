"""The benchmark results as Markdown tables (OUT/results.md, quoted in BENCHMARKS.md)."""

from __future__ import annotations

import os
from typing import Any

SCALE_ORDER = ("ministry", "10x")
# The aims of issue #6, per scale: (ministry, 10×); None = no aim at that scale.
AIMS = {
    "import_ratio": (0.5, None),  # DiploPulse's import throughput ÷ DuckDB's read_csv's, at least
    "page_ratio": (1.5, None),  # cold page reads ÷ hand-written SQL, at most
    "page_ms": (100.0, 300.0),  # cold page reads p50, under
    "warm_ms": (20.0, None),  # a warm (cached) render, under
    "dashboard_mb": (400.0, 1024.0),  # the dashboard process, under
    "cli_s": (1.0, None),  # a CLI `kpis` call, under
    # the import's memory (writer and workers) in the second half of its files ÷ the first, at
    # most: "memory does not grow with the size of the folder given", "import memory flat"
    "import_memory_growth": (1.1, 1.1),
    # issue #7: the import with language detection ÷ without, at most (10×: the last tenth)
    "languages_ratio": (1.3, 1.3),
}


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
        "| scale | missions × days | files imported (on disk) | rows read | import s "
        "(publishing) | rows/s | ms/file | peak MB | DB MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, scale in _scales(results):
        imp = scale["import"]
        files = f"{imp['files']:,} ({imp['files_on_disk']:,})"
        seconds = _n(imp["seconds"], 1)
        if imp.get("publish_s") is not None:
            seconds += f" ({imp['publish_s']:.1f})"
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
    for name, scale in _scales(results):
        if scale["import"].get("language_s"):
            lines.append(
                f"\n{name}: deciding the posts' languages took {scale['import']['language_s']:.1f}"
                f" s of the import's {_n(scale['import']['seconds'], 1)} s"
            )
        found = languages_ratio(scale)
        if found is not None:
            ratio, bare, how = found
            lines.append(
                f"\n{name}: without deciding the posts' languages the import took "
                f"{_n(bare['seconds'], 1)} s{how} (peak {_n(bare['peak_rss_mb'])} MB): with them "
                f"{ratio:.2f}× as long (aim ≤ {_aim('languages_ratio', name)}×) "
                f"{_mark(ratio <= (_aim('languages_ratio', name) or ratio))}"
            )
    return "\n".join(lines)


def languages_ratio(scale: dict[str, Any]) -> tuple[float, dict[str, Any], str] | None:
    """The import with language detection ÷ the same import without (issue #7), the import
    without, and how the ratio was taken: of the times when both imports are complete, else of
    their milliseconds per file (an import stopped at its budget; the ratio is extrapolated)."""
    imp, bare = scale.get("import"), scale.get("import_without_languages")
    if not imp or not bare or not bare.get("seconds") or not imp.get("seconds"):
        return None
    if imp.get("complete", True) and bare.get("complete", True):
        return imp["seconds"] / bare["seconds"], bare, ""
    if imp.get("ms_per_file") and bare.get("ms_per_file"):
        how = (
            f" for {bare['files']:,} of {bare['files_total']:,} files (stopped at the budget; "
            "ratio of ms per file, extrapolated)"
        )
        return imp["ms_per_file"] / bare["ms_per_file"], bare, how
    return None


def themes_table(results: dict[str, Any]) -> str:
    """Theme tagging's cost (issue #7): reads cold and warm, and tagging every post."""
    lines = [
        "| scale | posts | tag every post, CPU s | tag 10× the posts (distinct texts), CPU s | "
        "network theme_summary, cold s / warm ms | a mission's theme_summary, cold s / warm ms | "
        "ambassador_summary, cold s / warm ms (missions) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, scale in _scales(results):
        t = scale.get("themes")
        if not t:
            continue
        lines.append(
            f"| {name} | {t['posts']:,} ({t['distinct_texts']:,} distinct texts) | "
            f"{t['tag_every_post_cpu_s']:.2f} ({t['tag_us_per_post']:.1f} µs a post) | "
            f"{_n(t['tag_every_post_at_scale_cpu_s'], 2)} | "
            f"{t['network_theme_summary_s']:.3f} / {t['network_theme_summary_warm_ms']:.2f} | "
            f"{_n(t['mission_theme_summary_median_s'], 3)} / "
            f"{_n(t['mission_theme_summary_warm_ms'], 2)} | "
            f"{_n(t['ambassador_summary_median_s'], 3)} / {_n(t['ambassador_summary_warm_ms'], 2)}"
            f" ({t['missions_measured']} of {t['missions_with_ambassador']}) |"
        )
    if len(lines) == 2:
        return "Not measured (`python -m bench --themes`)."
    return "\n".join(lines) + (
        "\n\nReads of the last 90 days, medians; cold: the read cache emptied first (the statement"
        " runs and the posts are tagged); warm: the same call again on the same version. The"
        " 10× store's copies repeat the ministry's texts, which a read tags once: tagging 10×"
        " distinct texts is the ministry row's column."
    )


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


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def _aim(name: str, scale: str) -> float | None:
    return AIMS[name][0 if scale == "ministry" else 1]


def side_by_side_table(results: dict[str, Any]) -> str:
    """DiploPulse against the limit and the alternative, with the aims: one row per measure
    and scale."""
    lines = [
        "| scale | measure | DiploPulse | yardstick | ratio | aim | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, scale in _scales(results):
        imp, raw = scale.get("import"), scale.get("rawcsv")
        if imp and raw and imp.get("complete", True):
            ours = imp["mb_on_disk"] / imp["seconds"]
            theirs = raw["mb_read"] / raw["seconds"]
            aim = _aim("import_ratio", name)
            ratio = ours / theirs
            lines.append(
                f"| {name} | import of the export files: MB/s (s) | {ours:.2f} "
                f"({imp['seconds']:.1f} s) | DuckDB read_csv into plain tables: {theirs:.2f} "
                f"({raw['seconds']:.1f} s) | {ratio:.2f}× | ≥ {aim}× | "
                f"{_mark(None if aim is None else ratio >= aim)} |"
            )
        memory = (imp or {}).get("memory")
        if memory and memory.get("growth") is not None:
            aim = _aim("import_memory_growth", name)
            tenths = " / ".join(_n(mb) for mb in memory["by_tenth_mb"])
            lines.append(
                f"| {name} | import memory: peak MB of the importer and its {imp['workers']} "
                f"worker(s) in each tenth of the files | {tenths} | – | second half ÷ first "
                f"{memory['growth']:.2f}× | flat (≤ {aim}×) | {_mark(memory['growth'] <= aim)} |"
            )
        found = languages_ratio(scale)
        if found is not None:
            ratio, bare, how = found
            aim = _aim("languages_ratio", name)
            lines.append(
                f"| {name} | import with language detection: s | {imp['seconds']:.1f} | "
                f"the same without: {bare['seconds']:.1f}{' (ms per file)' if how else ''} | "
                f"{ratio:.2f}× | ≤ {aim}× | {_mark(None if aim is None else ratio <= aim)} |"
            )
        q = scale.get("query")
        if not q:
            continue
        hand = q.get("hand_sql", {})
        same = q.get("engine_same_numbers", {})
        for page, p in q["pages"].items():
            yard = hand.get(page)
            limit = _aim("page_ms", name)
            ratio_aim = _aim("page_ratio", name)
            if yard:
                ratio = p["p50_ms"] / yard["p50_ms"]
                ok = p["p50_ms"] < limit and (ratio_aim is None or ratio <= ratio_aim)
                lines.append(
                    f"| {name} | {page}: cold reads p50 ms | {p['p50_ms']:,.0f} | hand-written "
                    f"SQL of its KPIs, changes and series: {yard['p50_ms']:,.0f} | {ratio:.2f}× | "
                    f"< {limit:.0f} ms{f', ≤ {ratio_aim}×' if ratio_aim else ''} | {_mark(ok)} |"
                )
            if yard and page in same:
                # What the page shows beyond the hand-written SQL's numbers aside: the
                # engine's own cost for the same numbers, one call after the other.
                mine = same[page]["p50_ms"]
                lines.append(
                    f"| {name} | {page}: metrics' calls for those numbers only p50 ms | "
                    f"{mine:,.0f} | hand-written SQL: {yard['p50_ms']:,.0f} | "
                    f"{mine / yard['p50_ms']:.2f}× | – | – |"
                )
            else:
                lines.append(
                    f"| {name} | {page}: cold reads p50 ms | {p['p50_ms']:,.0f} | – | – | "
                    f"< {limit:.0f} ms | {_mark(p['p50_ms'] < limit)} |"
                )
        pandas = scale.get("pandas")
        if pandas:
            ours = q["pages"]["overview"]["p50_ms"]
            theirs = pandas["overview"]["p50_ms"]
            lines.append(
                f"| {name} | overview: a render's computation p50 ms | {ours:,.0f} cold, "
                f"{q['pages']['overview']['warm']['p50_ms']:,.1f} warm | pandas in memory: "
                f"{theirs:,.0f} (+ {pandas['load_s']:.1f} s load, {pandas['rss_after_load_mb']:,.0f}"
                f" MB) | {ours / theirs:.2f}× | – | – |"
            )
        warm_aim = _aim("warm_ms", name)
        worst = max(p["warm"]["p50_ms"] for p in q["pages"].values())
        lines.append(
            f"| {name} | warm (cached) render p50 ms, slowest page | {worst:,.1f} | – | – | "
            f"{f'< {warm_aim:.0f} ms' if warm_aim else '–'} | "
            f"{_mark(None if warm_aim is None else worst < warm_aim)} |"
        )
        mb_aim = _aim("dashboard_mb", name)
        rss = q.get("rss_after_pages_mb")
        if rss is not None:
            lines.append(
                f"| {name} | dashboard process RSS MB after every page (peak) | {rss:,.0f} "
                f"({q.get('peak_rss_after_pages_mb', q['peak_rss_mb']):,.0f}) | – | – | "
                f"< {mb_aim:,.0f} MB | {_mark(rss < mb_aim)} |"
            )
        dash = scale.get("dashboard")
        if dash:
            rss = max(p["rss_mb"] for p in dash["pages"].values())
            first = max(p["first_s"] for p in dash["pages"].values()) * 1000
            again = max((p["again_p50_s"] or 0) for p in dash["pages"].values()) * 1000
            lines.append(
                f"| {name} | dashboard (app.py under Streamlit's script runner, every page) RSS "
                f"MB, peak | {rss:,.0f}, {dash['peak_rss_mb']:,.0f} | – | – | < {mb_aim:,.0f} MB |"
                f" {_mark(dash['peak_rss_mb'] < mb_aim)} |"
            )
            lines.append(
                f"| {name} | dashboard: slowest page's whole script run ms, first / again "
                f"(charts included) | {first:,.0f} / {again:,.0f} | – | – | – | – |"
            )
        cli = scale.get("cli")
        if cli:
            cli_aim = _aim("cli_s", name)
            lines.append(
                f"| {name} | CLI `metrics kpis` s p50 (RSS MB) | {cli['p50_s']:.2f} "
                f"({cli['peak_rss_mb']:,.0f}) | – | – | {f'< {cli_aim} s' if cli_aim else '–'} | "
                f"{_mark(None if cli_aim is None else cli['p50_s'] < cli_aim)} |"
            )
    return "\n".join(lines)


def same_numbers(results: dict[str, Any]) -> str:
    """Whether the yardsticks gave the same numbers as `metrics` (the KPIs that differ)."""
    lines = []
    for name, scale in _scales(results):
        for label, what, found in (
            (
                "hand-written SQL",
                "the same numbers (all 19 KPIs; the cards' changes and accounts left out) for ",
                (scale.get("query") or {}).get("hand_sql_differs"),
            ),
            ("pandas", "the same 14 KPIs for ", (scale.get("pandas") or {}).get("differs")),
        ):
            if found is None:
                continue
            wrong = {k: v for k, v in found.items() if v}
            text = what + ", ".join(found) if not wrong else f"differ: {wrong}"
            lines.append(f"- {name}, {label}: {text}.")
    return "\n".join(lines)


def page_table(results: dict[str, Any]) -> str:
    """Cold p50 / p95 and warm p50 of each page's reads, per scale, against the aim."""
    scales = [(n, s) for n, s in _scales(results) if "query" in s]
    lines = [
        "| page | " + " | ".join(f"{n} cold p50 / p95, warm p50 ms" for n, _ in scales) + " |",
        "|---|" + "---|" * len(scales),
    ]
    pages = list(scales[0][1]["query"]["pages"]) if scales else []
    for page in pages:
        cells = []
        for name, scale in scales:
            p = scale["query"]["pages"][page]
            mark = "" if p["p50_ms"] < _aim("page_ms", name) else " ✗"  # 300 ms at 10×
            warm = p.get("warm", {}).get("p50_ms")
            cells.append(f"{_n(p['p50_ms'])} / {_n(p['p95_ms'])}{mark}, {_n(warm, 1)}")
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
    """The query process: opening the published version, and memory."""
    lines = [
        "| scale | open version s | presets' partials and alerts built s | RSS baseline / "
        "after open / after every page / peak MB | version file MB | runs (warm-up) | window |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, scale in _scales(results):
        q = scale.get("query")
        if not q or "open_s" not in q:
            continue
        lines.append(
            f"| {name} | {q['open_s']:.2f} | "
            f"{f'{prepared:.2f}' if (prepared := q.get('prepare_s')) is not None else '–'} | "
            f"{_n(q['rss_baseline_mb'])} / "
            f"{_n(q['rss_after_open_mb'])} / {_n(q['rss_after_pages_mb'])} / "
            f"{_n(q['peak_rss_mb'])} | {_n(q.get('version_mb'))} | {q['runs']} ({q['warmup']}) | "
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
    loads = "; ".join(
        f"{n}: "
        + ", ".join(
            f"{phase} {v['load_avg'][0]}→{v['load_avg'][1]}"
            for phase, v in s.items()
            if isinstance(v, dict) and "load_avg" in v
        )
        for n, s in _scales(results)
    )
    return "\n\n".join(
        [
            "# Benchmark results",
            head,
            f"Runs: {dates}.",
            f"Load average (1 min) before→after each phase, {os.cpu_count()} cores: {loads}.",
            "## Side by side (same run, same data)",
            side_by_side_table(results),
            same_numbers(results),
            "## Import",
            import_table(results),
            "## Store",
            store_table(results),
            "## Themes (issue #7)",
            themes_table(results),
            "## Pages (sum of a render's reads)",
            page_table(results),
            "## Query process",
            query_memory_table(results),
            "## Calls",
            call_table(results),
            "",
        ]
    )
