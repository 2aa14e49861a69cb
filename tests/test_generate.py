"""The sample-data generator (`python -m data.generate`) and the committed sample set.

Small runs in tmp_path check determinism and that every export layout is written and detected;
the committed `data/samples` is checked to be the generator's output, to import without a single
refusal, and to hold consistent numbers (overlapping exports, follower totals and net changes).
Expected periods and names below were worked out by hand from the rules in data/generator/plan.py.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from connectors.base import formats
from connectors.importer import import_paths
from connectors.reading import detect_format
from connectors.sources import from_paths, read_document
from data.generate import generate, main
from data.generator import x
from data.generator.csvout import render
from data.generator.model import (
    DEFAULT_SEED,
    make_accounts,
    read_missions,
    select_missions,
    simulate,
)
from data.generator.plan import Window, make_plan
from data.registry import DEFAULT_REGISTRY, load_registry
from data.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
# Platforms the generator writes; formats of other platforms (TikTok, LinkedIn) are not expected.
GENERATED_PLATFORMS = {"facebook", "instagram", "x", "youtube", None}
# Formats of those platforms that the generator does not write (yet).
NOT_GENERATED = {
    "meta_content_facebook_video",
    "youtube_geography",
    "meta_insights_audience",
    "meta_insights_content_formats",
    "instagram_dyi_insights",
}


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_arguments_give_the_same_bytes(tmp_path):
    first = generate(2, 40, tmp_path / "a")
    second = generate(2, 40, tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert files_under(tmp_path / "a") == files_under(tmp_path / "b")
    other_seed = generate(2, 40, tmp_path / "c", seed=DEFAULT_SEED + 1)
    assert files_under(tmp_path / "c") != files_under(tmp_path / "a")
    # The same accounts' exports, other numbers (windows without posts give no post file, so
    # the count of files may differ).
    assert {p.relative_to(tmp_path / "c").parent for p in other_seed} == {
        p.relative_to(tmp_path / "a").parent for p in first
    }


def test_committed_samples_are_the_generators_output(tmp_path):
    # The documented command (README.md there), with the default seed and end date: regenerate
    # the samples with it after changing the generator.
    generate(12, 183, tmp_path)
    committed = {k: v for k, v in files_under(SAMPLES).items() if k != "README.md"}
    assert files_under(tmp_path) == committed
    assert (DEFAULT_REGISTRY / "accounts.csv").read_bytes() == (
        SAMPLES / "accounts.csv"
    ).read_bytes()


def test_every_file_is_detected_by_exactly_one_format_and_all_formats_appear(tmp_path):
    generate(2, 45, tmp_path)
    found: Counter[str] = Counter()
    for source in from_paths([tmp_path / "exports"]):
        doc = read_document(source)
        matches = [fmt.id for fmt in formats() if fmt.detect(doc)]
        assert len(matches) == 1, (source.name, matches)
        assert detect_format(doc).id == matches[0]
        found[matches[0]] += 1
    expected = {
        fmt.id
        for fmt in formats()
        if fmt.platform in GENERATED_PLATFORMS and fmt.id not in NOT_GENERATED
    }
    assert set(found) == expected


def test_plan_of_the_sample_period():
    plan = make_plan(date(2026, 5, 2), date(2026, 10, 31))
    # 40 % of 182 days is 73 days: 2026-07-14, nearest first of a month 2026-07-01.
    assert plan.facebook_switch == date(2026, 7, 1)
    # 35 %: 64 days, 2026-07-05, also 2026-07-01.
    assert plan.x_switch == date(2026, 7, 1)
    assert plan.facebook_legacy == (
        Window(date(2026, 5, 2), date(2026, 5, 31)),
        Window(date(2026, 6, 1), date(2026, 6, 30)),
    )
    assert plan.facebook_suite == (
        Window(date(2026, 7, 1), date(2026, 8, 31), "impressions"),
        Window(date(2026, 9, 1), date(2026, 10, 31), "views"),
        Window(date(2026, 8, 3), date(2026, 10, 31), "views"),  # the last 90 days
    )
    assert [w.variant for w in plan.instagram_suite] == ["impressions", "views", "views", "views"]
    assert plan.instagram_suite[0] == Window(date(2026, 5, 2), date(2026, 6, 30), "impressions")
    assert plan.x_legacy == plan.facebook_legacy
    assert [(w.start, w.variant) for w in plan.x_content] == [
        (date(2026, 7, 1), "2025"),
        (date(2026, 9, 1), "2026"),
        (date(2026, 8, 3), "2026"),
    ]


def test_missions_spread_over_regions():
    missions = select_missions(read_missions(DEFAULT_REGISTRY), 12, DEFAULT_SEED)
    assert [m.mission_id for m in missions] == [
        "emb-jp-tokyo", "emb-fr-paris", "emb-za-pretoria", "emb-us-washington", "pm-un-new-york",
        "emb-cn-beijing", "emb-de-berlin", "cg-jp-osaka", "emb-kr-seoul", "emb-gb-london",
        "emb-au-canberra", "emb-eg-cairo",
    ]  # fmt: skip
    assert Counter(m.region for m in missions) == {
        "asia_pacific": 5, "europe": 3, "middle_east_africa": 2, "americas": 1, "multilateral": 1,
    }  # fmt: skip


def test_clones_past_the_registry_size():
    rows = read_missions(DEFAULT_REGISTRY)
    missions = select_missions(rows, len(rows) + 2, DEFAULT_SEED)
    ids = [m.mission_id for m in missions]
    assert len(set(ids)) == len(rows) + 2
    assert ids[-2:] == ["emb-jp-tokyo-2", "emb-fr-paris-2"]
    handles = [a.handle.casefold() for a in make_accounts(missions, DEFAULT_SEED)]
    assert len(handles) == len(set(handles))


def test_registry_of_the_samples_validates():
    registry = load_registry(DEFAULT_REGISTRY)
    accounts = registry.accounts
    # 12 missions x 4 platforms, X ambassadors for missions 0, 3, 6, 9 and Facebook ambassadors
    # for missions 1, 5, 9 of the selection.
    assert len(accounts) == 12 * 4 + 4 + 3
    owners = Counter((a["platform"], a["owner"]) for a in accounts)
    assert owners == {
        ("facebook", "mission"): 12, ("instagram", "mission"): 12, ("x", "mission"): 12,
        ("youtube", "mission"): 12, ("x", "ambassador"): 4, ("facebook", "ambassador"): 3,
    }  # fmt: skip
    tokyo = {a["account_id"]: a for a in accounts if a["mission_id"] == "emb-jp-tokyo"}
    assert tokyo["emb-jp-tokyo-facebook"]["handle"] == "VNEmbassyJapan"
    assert tokyo["emb-jp-tokyo-instagram"]["handle"] == "vnembassy.japan"
    assert tokyo["emb-jp-tokyo-x"]["handle"] == "VNEmbassy_JP"
    assert tokyo["emb-jp-tokyo-youtube"]["handle"] == "VNEmbassyJapanTV"
    assert len(tokyo["emb-jp-tokyo-facebook"]["external_id"]) == 15
    assert tokyo["emb-jp-tokyo-facebook"]["display_name"] == "Embassy of Viet Nam in Japan"
    # Handles differ across platforms, so that a file named after one maps to one account.
    handles = [a["handle"].casefold() for a in accounts]
    assert len(handles) == len(set(handles))


def test_x_dates_and_facebook_quoting():
    assert x.date_2025(date(2025, 3, 20)) == "Thu Mar 20 2025"
    assert x.date_2025(date(2025, 3, 5)) == "Wed Mar 05 2025"
    assert x.date_2026(date(2026, 8, 15)) == "Sat, Aug 15, 2026"
    assert x.date_2026(date(2025, 3, 9)) == "Sun, Mar 9, 2025"
    assert (
        render([["Date", "Lifetime Total Likes", 807, ""]], quoting="facebook")
        == 'Date,"Lifetime Total Likes",807,\n'
    )
    assert render([["a", "1938.0", "-"]], quoting="all") == '"a","1938.0","-"\n'
    assert render([["x", "a,b", 'say "hi"']], final=False) == 'x,"a,b","say ""hi"""'


def test_post_counts_grow_and_stay_consistent():
    missions = select_missions(read_missions(DEFAULT_REGISTRY), 1, DEFAULT_SEED)
    for account in make_accounts(missions, DEFAULT_SEED):
        sim = simulate(account, date(2026, 9, 1), date(2026, 10, 31), DEFAULT_SEED)
        assert sim.posts, account.account_id
        for post in sim.posts:
            previous = None
            for as_of in range(post.day, post.day + 12):
                counts = post.at(as_of)
                if previous:
                    assert all(counts[k] >= previous[k] for k in counts)
                previous = counts
            final = post.at(post.day + 200)
            assert final == {k: int(v) for k, v in post.m.items()}
            interactions = sum(
                final.get(k, 0)
                for k in ("reactions", "comments", "shares", "likes", "retweets", "replies")
            )
            if account.platform in ("facebook", "instagram"):
                assert final["reach"] >= interactions
                assert final.get("impressions", final.get("views")) >= final["reach"]
            if account.platform == "x":
                assert final["impressions"] >= final["engagements"] >= interactions


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_overlapping_exports_agree():
    folder = SAMPLES / "exports" / "emb-jp-tokyo" / "facebook"
    ids = "103365761018623"
    by_file = {}
    for name in (
        f"Jul-01-2026_Aug-31-2026_{ids}.csv",
        f"Sep-01-2026_Oct-31-2026_{ids}.csv",
        f"Aug-03-2026_Oct-31-2026_{ids}.csv",
    ):
        rows = read_csv((folder / name).read_bytes())
        header = rows[0]
        reach = header.index("Reach")
        by_file[name] = {r[0]: [int(r[reach]), int(r[header.index("Reactions")])] for r in rows[1:]}
    july_august, september_october, last_90 = by_file.values()
    assert set(september_october) <= set(last_90)
    # Same as-of (Oct 31): the same counts.
    assert all(last_90[p] == september_october[p] for p in september_october)
    # August posts: the later export (as of Oct 31) shows as many or more than the one of Aug 31.
    august = set(july_august) & set(last_90)
    assert august
    assert all(last_90[p][i] >= july_august[p][i] for p in august for i in (0, 1))
    assert any(last_90[p][1] > july_august[p][1] for p in august)


def test_youtube_zip_quirks():
    zip_path = next((SAMPLES / "exports").glob("*/youtube/Content *.zip"))
    with zipfile.ZipFile(zip_path) as archive:
        assert sorted(archive.namelist()) == ["Chart data.csv", "Table data.csv", "Totals.csv"]
        table = read_csv(archive.read("Table data.csv"))
        chart = read_csv(archive.read("Chart data.csv"))
    assert table[1][0] == "Total"
    assert int(table[1][table[0].index("Views")]) >= sum(
        int(r[table[0].index("Views")]) for r in table[2:]
    )
    videos = {r[0]: int(r[table[0].index("Views")]) for r in table[2:]}
    per_video = Counter()
    for row in chart[1:]:
        per_video[row[1]] += int(row[5])
    assert len(per_video) == 5
    # Chart data (top videos, per day) adds up to the Table's views of each.
    assert all(per_video[v] == videos[v] for v in per_video)
    # Somewhere in the samples, an id that begins with '-' carries its leading space.
    spaced = [r[0] for z in (SAMPLES / "exports").glob("*/youtube/Content *.zip")
              for r in read_csv(zipfile.ZipFile(z).read("Table data.csv")) if r[0].startswith(" -")]  # fmt: skip
    assert spaced


def test_committed_samples_import_without_refusals(tmp_path):
    store = Store(tmp_path / "samples.duckdb")
    results = import_paths(store, [SAMPLES / "exports"], origin="sample")
    refused = [r.message("en") for r in results if r.status != "imported"]
    assert refused == []
    expected_files = 0
    for path in (SAMPLES / "exports").rglob("*"):
        if path.suffix == ".zip":
            expected_files += len(zipfile.ZipFile(path).namelist())
        elif path.is_file():
            expected_files += 1
    assert len(results) == expected_files
    assert {r.format for r in results} == {
        f.id for f in formats() if f.platform in GENERATED_PLATFORMS and f.id not in NOT_GENERATED
    }

    with store.read() as cur:
        # Every account of the registry received data.
        assert cur.execute("SELECT count(DISTINCT account_id) FROM posts").fetchall() == [(55,)]
        # impressions >= reach >= interactions on every post that has them.
        bad = cur.execute(
            "SELECT count(*) FROM post_latest_metrics WHERE impressions < reach OR "
            "reach < coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0)"
        ).fetchall()
        assert bad == [(0,)]
        # Known totals and net changes agree: for X accounts with two baselines, the net change
        # of the overview (new follows - unfollows) from Jul 1 to Oct 31 is the difference.
        rows = cur.execute(
            """
            WITH known AS (
                SELECT account_id, max(value) FILTER (WHERE date = DATE '2026-10-31') AS last,
                       max(value) FILTER (WHERE date = DATE '2026-06-30') AS first
                FROM account_daily_latest WHERE metric = 'followers' GROUP BY account_id),
            net AS (
                SELECT account_id, sum(CASE metric WHEN 'new_follows' THEN value ELSE -value END) AS net
                FROM account_daily_latest a JOIN accounts USING (account_id)
                WHERE platform = 'x' AND metric IN ('new_follows', 'unfollows')
                  AND date BETWEEN DATE '2026-07-01' AND DATE '2026-10-31'
                GROUP BY account_id)
            SELECT count(*), count(*) FILTER (WHERE last - first = net) FROM known JOIN net USING (account_id)
            WHERE first IS NOT NULL
            """
        ).fetchall()
        assert rows[0][0] >= 4 and rows[0][0] == rows[0][1]
        # The rebuilt X totals reach back to the first overview day and end on the baseline.
        rebuilt = cur.execute(
            "SELECT min(date), max(date) FROM follower_totals WHERE account_id = 'emb-jp-tokyo-x'"
        ).fetchall()
        assert rebuilt == [(date(2026, 6, 30), date(2026, 10, 31))]


def test_cli(tmp_path, capsys):
    assert (
        main(["--missions", "1", "--days", "10", "--out", str(tmp_path), "--end", "2025-01-31"])
        == 0
    )
    assert "export files" in capsys.readouterr().out
    assert (
        (tmp_path / "accounts.csv")
        .read_text(encoding="utf-8")
        .startswith("account_id,mission_id,platform,owner,handle,external_id,display_name\n")
    )
    assert main(["--missions", "0", "--out", str(tmp_path)]) == 2


@pytest.mark.parametrize("days", [4, 31])
def test_short_periods_still_import(tmp_path, days):
    generate(1, days, tmp_path)
    store = Store(tmp_path / "short.duckdb")
    results = import_paths(store, [tmp_path / "exports"], registry_dir=tmp_path, origin="sample")
    assert [r.message("en") for r in results if r.status != "imported"] == []
