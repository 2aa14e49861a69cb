"""The benchmark machinery (`python -m bench`) end to end on a tiny scale: 2 missions × 7 days,
3 timed renders. Only the shape of the results and the row counts are checked, never timings:
speed and memory are measured by the benchmark itself, not asserted in tests."""

from __future__ import annotations

import inspect
import json
from collections import Counter
from pathlib import Path

import pytest

import metrics
from bench import pages
from bench.__main__ import main
from data import queries
from data.store import Store

ROOT = Path(__file__).resolve().parents[1]

FRAME_CALLS = {
    "frame: should_load_samples",
    "frame: latest_data_date",
    "frame: platforms",
    "frame: uses_sample_data",
}
SUMMARY_KEYS = {"p50_ms", "p95_ms", "min_ms", "max_ms"}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bench")
    args = ["--scale", "both", "--out", str(out), "--missions", "2", "--days", "7"]
    args.append("--languages-ratio")  # issue #7: the import again without language detection
    args.append("--themes")  # issue #7: theme tagging's reads at each scale
    assert main([*args, "--runs", "3", "--warmup", "1"]) == 0
    return out, json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_results_files_and_machine(results):
    out, data = results
    assert set(data) == {"machine", "scales"}
    assert set(data["scales"]) == {"ministry", "10x"}
    assert {"cores", "python", "memory_gib", "duckdb"} <= set(data["machine"])
    text = (out / "results.md").read_text(encoding="utf-8")
    for heading in ("## Import", "## Store", "## Pages", "## Query process", "## Calls"):
        assert heading in text


def test_ministry_import_reads_every_generated_file(results):
    _, data = results
    ministry = data["scales"]["ministry"]
    assert (ministry["missions"], ministry["days"]) == (2, 7)
    gen, imp = ministry["generate"], ministry["import"]
    assert imp["complete"] is True
    assert imp["files_on_disk"] == gen["files"]
    # The generator writes no header-only export (those are refused as empty): none refused.
    assert "refused" not in imp["statuses"], imp.get("refused")
    assert imp["files"] == imp["files_total"] == sum(imp["statuses"].values())
    assert imp["rows"] > 0 and imp["table_rows"]["posts"] > 0
    # 2 missions: 4 mission accounts each, an X ambassador for the first (i % 3 == 0) and a
    # Facebook ambassador for the second (i % 4 == 1): 10 accounts (data/generator/model.py).
    assert imp["table_rows"]["missions"] == 2
    assert imp["table_rows"]["accounts"] == 10
    for key in ("seconds", "rows_per_s", "ms_per_file", "peak_rss_mb", "db_mb"):
        assert imp[key] is not None
    # Issue #6, "import memory flat": the importer's and its workers' peak in each tenth of
    # the files, and the second half's over the first's.
    memory = imp["memory"]
    assert len(memory["by_tenth_mb"]) == 10 and memory["growth"] is not None
    assert memory["peak_mb"] >= max(memory["by_tenth_mb"]) > 0


def test_languages_are_decided_at_import_and_their_cost_is_measured(results):
    out, data = results
    ministry = data["scales"]["ministry"]
    imp, bare = ministry["import"], ministry["import_without_languages"]
    assert (imp["languages"], bare["languages"]) == (True, False)
    # every post has its language row with detection; none without
    assert imp["table_rows"]["post_languages"] == imp["table_rows"]["posts"]
    assert bare["table_rows"]["post_languages"] == 0
    assert bare["table_rows"]["posts"] == imp["table_rows"]["posts"]
    assert "without deciding the posts' languages" in (out / "results.md").read_text("utf-8")


def test_the_languages_ratio_is_set_against_its_aim_at_both_scales(results):
    out, data = results
    tenx = data["scales"]["10x"]
    imp, bare = tenx["import"], tenx["import_without_languages"]
    # The last tenth, with and without detection, each into a store holding the 9 copies.
    assert (imp["languages"], bare["languages"]) == (True, False)
    assert bare["table_rows_before"] == imp["table_rows_before"]
    assert bare["table_rows"]["posts"] == imp["table_rows"]["posts"]
    # The store held the 9 copies' language rows; with detection the last tenth's are decided
    # (10 of 10), without they are not (9 of 10).
    assert imp["table_rows_before"]["post_languages"] == imp["table_rows_before"]["posts"]
    assert imp["table_rows"]["post_languages"] == imp["table_rows"]["posts"]
    assert 10 * bare["table_rows"]["post_languages"] == 9 * imp["table_rows"]["post_languages"]
    text = (out / "results.md").read_text("utf-8")
    for scale in ("ministry", "10x"):
        row = next(
            line
            for line in text.splitlines()
            if line.startswith(f"| {scale} | import with language detection")
        )
        assert "| ≤ 1.3× |" in row and row.endswith(("✓ |", "✗ |"))


def test_a_stopped_import_gives_the_ratio_of_its_rate():
    from bench.report import languages_ratio

    # 100 of 400 files in 30 s (300 ms a file) against 150 in 30 s (200 ms): 1.5×, from the
    # rates, not from the times (equal: both stopped at the budget).
    scale = {
        "import": {"seconds": 30.0, "complete": False, "ms_per_file": 300.0},
        "import_without_languages": {
            "seconds": 30.0,
            "complete": False,
            "ms_per_file": 200.0,
            "files": 150,
            "files_total": 400,
        },
    }
    ratio, _, how = languages_ratio(scale)
    assert ratio == pytest.approx(1.5)
    assert "150 of 400 files" in how
    scale["import"]["complete"] = scale["import_without_languages"]["complete"] = True
    assert languages_ratio(scale)[0] == pytest.approx(1.0)  # 30 s / 30 s
    assert languages_ratio({"import": scale["import"]}) is None


@pytest.mark.parametrize("scale", ["ministry", "10x"])
def test_theme_reads_are_measured_cold_and_warm(results, scale):
    out, data = results
    themes = data["scales"][scale]["themes"]
    posts = data["scales"]["ministry"]["import"]["table_rows"]["posts"]
    assert themes["posts"] == posts * (10 if scale == "10x" else 1)
    for key in (
        "network_theme_summary_s",
        "network_theme_summary_warm_ms",
        "tag_every_post_cpu_s",
    ):
        assert themes[key] is not None and themes[key] >= 0
    # 2 missions, one with an ambassador account on each platform rule (data/generator/model.py)
    assert themes["missions_measured"] == min(10, themes["missions_with_ambassador"]) >= 1
    # 10x the posts tagged at ministry scale (distinct texts); not again on the 10x store
    assert (themes["tag_every_post_at_scale_cpu_s"] is None) == (scale == "10x")
    assert "## Themes (issue #7)" in (out / "results.md").read_text("utf-8")


def test_tenx_store_is_ten_copies_and_the_marginal_import_completes_it(results):
    _, data = results
    ministry, tenx = data["scales"]["ministry"], data["scales"]["10x"]
    assert tenx["mode"] == "replicate" and tenx["missions"] == 20
    base = ministry["import"]["table_rows"]
    assert tenx["replicate"]["table_rows"] == {table: 10 * n for table, n in base.items()}
    # 9 copies plus the ministry's files imported for real: the same rows as the 10 copies.
    marginal = tenx["import"]
    assert marginal["complete"] is True
    assert marginal["table_rows_before"]["posts"] == 9 * base["posts"]
    assert marginal["table_rows"] == tenx["replicate"]["table_rows"]


@pytest.mark.parametrize("scale", ["ministry", "10x"])
def test_query_results_cover_every_page(results, scale):
    _, data = results
    query = data["scales"][scale]["query"]
    assert (query["runs"], query["warmup"]) == (3, 1)
    assert query["window"] == ["2026-08-03", "2026-10-31"]  # 90 days ending on the latest day
    assert set(query["pages"]) == set(pages.PAGES)
    for page in query["pages"].values():
        assert set(page) == SUMMARY_KEYS | {"calls", "warm"}
        assert page["warm"]["p50_ms"] <= page["p50_ms"]  # a cached render runs no statement
        assert set(page["calls"]) > FRAME_CALLS
        for call in page["calls"].values():
            assert set(call) == SUMMARY_KEYS
            assert call["min_ms"] <= call["p50_ms"] <= call["p95_ms"] <= call["max_ms"]


@pytest.mark.parametrize("scale", ["ministry", "10x"])
def test_the_yardsticks_give_the_same_numbers(results, scale):
    # Hand-written SQL and the pandas Overview are only yardsticks if they compute the same
    # numbers. The hand SQL: every KPI of every mission, host country and mission × platform,
    # the cards with their like-for-like changes and the accounts left out, the daily followers
    # per platform, and the Mission page's cards, platform mix, owner split and standing; the
    # pandas Overview: 14 KPIs for the network (both windows), every mission and every country.
    _, data = results
    side = data["scales"][scale]
    assert side["query"]["hand_sql_differs"] == {
        key: []
        for key in (
            "network",
            "mission",
            "country",
            "mission_platform",
            "followers",
            "compare_region",
            "mission_cards",
            "mission_platforms",
            "mission_owners",
            "mission_standing",
        )
    }
    groups = {"network", "network_previous", "mission", "country"}
    assert side["pandas"]["differs"] == {key: [] for key in groups}
    assert set(side["query"]["hand_sql"]) == {"overview", "mission", "compare", "compare_region"}
    # metrics' calls for the same numbers, timed beside them
    assert set(side["query"]["engine_same_numbers"]) == set(side["query"]["hand_sql"])
    assert all(t["p50_ms"] > 0 for t in side["query"]["engine_same_numbers"].values())
    # the dashboard reads' own peak, before the yardsticks ran in the same process
    assert 0 < side["query"]["peak_rss_after_pages_mb"] <= side["query"]["peak_rss_mb"]
    assert side["cli"]["p50_s"] > 0 and side["cli"]["peak_rss_mb"] > 0


def test_the_raw_read_csv_reads_every_csv_file(results):
    _, data = results
    ministry = data["scales"]["ministry"]
    raw = ministry["rawcsv"]
    assert raw["failed_files"] == 0
    assert raw["files"] + raw["skipped_files"] >= ministry["import"]["files_on_disk"]
    assert raw["rows"] > 0


# -- bench/pages.py replays what the pages read ---------------------------------------------

# The bench's pages, as the dashboard opens them: page script and URL parameters.
DASHBOARD = {
    "overview": ("pages/overview.py", {}),
    "mission": ("pages/mission.py", {}),
    "compare": ("pages/compare.py", {}),
    "compare_region": ("pages/compare.py", {"cmp": "region"}),
    "data": ("pages/data.py", {}),
    "content": ("pages/content.py", {}),
    "events": ("pages/events.py", {}),
}


def record_reads(monkeypatch) -> list[str]:
    """Record every call of a `metrics` or `data.queries` function that reads the store (its
    first parameter is a cursor or the store), with its `by`, made through the module."""
    calls: list[str] = []
    for module in (metrics, queries):
        for name, fn in list(vars(module).items()):
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            first = next(iter(inspect.signature(fn).parameters), None)
            if first not in ("con", "store"):
                continue

            def wrapper(*args, _fn=fn, _label=f"{module.__name__}.{name}", **kwargs):
                calls.append(_label + (f"(by={kwargs['by']})" if "by" in kwargs else ""))
                return _fn(*args, **kwargs)

            monkeypatch.setattr(module, name, wrapper)
    return calls


@pytest.mark.parametrize("page", list(DASHBOARD))
def test_the_replay_reads_what_the_page_reads(results, monkeypatch, page):
    """Run the page with Streamlit's AppTest on the bench's ministry store and compare its reads
    with the replay in bench/pages.py: when a page changes what it reads, this fails until the
    replay follows."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    # As tests/pages/conftest.py: run the pages through st.navigation, as a running server does.
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    out, _ = results
    db = out / "ministry" / "bench.duckdb"
    monkeypatch.setenv("DIPLOPULSE_DB", str(db))
    calls = record_reads(monkeypatch)

    script, params = DASHBOARD[page]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if script != "pages/overview.py":
        calls.clear()  # the first run shows the Overview; only the page's own run counts
        at.switch_page(script).run()
    assert not at.exception, [e.value for e in at.exception]
    read_by_page = Counter(calls)

    context = pages.default_context(Store(db))
    context.default_mission()
    calls.clear()
    pages.PAGES[page](context, pages.Timer())
    assert Counter(calls) == read_by_page


def test_the_pages_table_marks_each_scale_against_its_own_aim():
    # 100 ms at ministry scale, 300 ms at 10×: a page of 120 ms misses the first only.
    from bench.report import page_table

    page = {"p50_ms": 120.0, "p95_ms": 130.0, "warm": {"p50_ms": 2.0}}
    results = {
        "scales": {
            "ministry": {"query": {"pages": {"compare": page}}},
            "10x": {"query": {"pages": {"compare": page}}},
        }
    }
    assert page_table(results).splitlines()[-1] == "| compare | 120 / 130 ✗, 2.0 | 120 / 130, 2.0 |"
