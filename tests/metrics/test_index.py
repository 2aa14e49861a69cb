"""The Digital Diplomacy Index: percentiles with ties, renormalised weights, the weights file,
the peer groups, a component that appears when its KPI is registered, and the CLI's JSON.

Hand-worked values: see each test. Default weights: audience 20, growth 15, engagement 20,
activity 10, host_language 15, host_audience 10, breadth 10.
"""

from __future__ import annotations

import itertools
import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from test_host_audience import add_geography

import metrics.kpi as kpi_module
from data.registry import DEFAULT_REGISTRY
from metrics.__main__ import main
from metrics.engine import overview
from metrics.index import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    PeersError,
    WeightsError,
    component_values,
    contributions,
    diplomacy_index,
    index_note,
    index_of,
    index_records,
    load_weights,
    overview_index,
    parse_peers,
    parse_weights,
    percentiles,
    save_weights,
    score,
    weights_csv,
)
from metrics.kpi import KPI, register
from metrics.scope import Scope

W = ("2025-03-01", "2025-03-14")
START, END = date(2025, 3, 1), date(2025, 3, 14)
NAN = math.nan


# -- percentiles ---------------------------------------------------------------------------


def test_percentiles_share_the_mean_rank_on_ties_and_leave_unknown_out():
    # ranks from the lowest: 10 -> 1, 20 and 20 -> (2 + 3) / 2 = 2.5, 30 -> 4; k = 4 known
    # p = 100 × (r − 1) / 3: 0, 50, 50, 100
    got = percentiles(pd.Series([10.0, 20.0, NAN, 20.0, 30.0]))
    assert got.tolist()[:2] == [0.0, 50.0]
    assert math.isnan(got.iloc[2])
    assert got.tolist()[3:] == [50.0, 100.0]


def test_a_lone_value_is_the_middle_and_none_known_stays_unknown():
    assert percentiles(pd.Series([NAN, 7.0])).tolist()[1] == 50.0
    assert percentiles(pd.Series([NAN, NAN])).isna().all()


# -- score: renormalisation ------------------------------------------------------------------

VALUES = pd.DataFrame(
    {
        "mission_id": ["a", "b", "c"],
        "name_en": ["A", "B", "C"],
        "name_vi": ["A", "B", "C"],
        "region": ["europe", "europe", "americas"],
        "country": ["FR", "DE", "US"],
        "kind": ["embassy", "embassy", "consulate"],
        "audience": [100.0, 300.0, 200.0],
        "growth": [0.1, 0.1, -0.05],
        "engagement": [0.02, 0.01, 0.03],
        "activity": [5.0, 3.0, 1.0],
        "host_language": [NAN, NAN, NAN],
        "host_audience": [0.5, NAN, 0.2],
        "breadth": [0.5, 0.5, 1 / 6],
    }
)


def test_score_renormalises_the_weights_of_the_known_components():
    frame = score(VALUES, DEFAULT_WEIGHTS).set_index("mission_id")
    # percentiles: audience a 0, b 100, c 50; growth a = b (tie, mean rank 2.5) 75, c 0;
    # engagement a 50, b 0, c 100; activity a 100, b 50, c 0; host_audience (a, c known)
    # a 100, c 0; breadth a = b 75, c 0; host_language unknown for all: left out.
    # a: weights 20+15+20+10+10+10 = 85: (20×0 + 15×75 + 20×50 + 10×100 + 10×100 + 10×75) / 85
    #    = 4875 / 85
    # b: host_audience unknown too, 75: (20×100 + 15×75 + 20×0 + 10×50 + 10×75) / 75 = 4375 / 75
    # c: 85: (20×50 + 15×0 + 20×100 + 10×0 + 10×0 + 10×0) / 85 = 3000 / 85
    assert frame["score"].to_dict() == pytest.approx(
        {"b": 4375 / 75, "a": 4875 / 85, "c": 3000 / 85}
    )
    assert list(frame.index) == ["b", "a", "c"]  # best first
    assert frame.at["a", "engagement_weight"] == pytest.approx(20 / 85)
    assert frame.at["a", "engagement_contribution"] == pytest.approx(20 / 85 * 50)
    assert frame.at["b", "engagement_weight"] == pytest.approx(20 / 75)
    assert frame.at["a", "growth_percentile"] == 75.0
    assert math.isnan(frame.at["b", "host_audience_weight"])
    assert frame.at["b", "missing"] == ["host_language", "host_audience"]
    # the contributions add up to the score
    parts = [frame.loc["a", f"{c}_contribution"] for c in COMPONENTS]
    assert sum(p for p in parts if not math.isnan(p)) == pytest.approx(frame.at["a", "score"])


def test_a_weight_of_zero_leaves_a_component_out_without_calling_it_missing():
    weights = {**DEFAULT_WEIGHTS, "engagement": 0.0}
    frame = score(VALUES, weights).set_index("mission_id")
    # a: 65: (20×0 + 15×75 + 10×100 + 10×100 + 10×75) / 65 = 3875 / 65
    assert frame.at["a", "score"] == pytest.approx(3875 / 65)
    assert math.isnan(frame.at["a", "engagement_weight"])
    assert frame.at["a", "engagement_percentile"] == 50.0  # still shown
    assert "engagement" not in frame.at["a", "missing"]


def test_a_mission_without_any_component_has_no_score_and_comes_last():
    values = VALUES.copy()
    for c in COMPONENTS:
        values.loc[values["mission_id"] == "a", c] = NAN
    frame = score(values, DEFAULT_WEIGHTS)
    assert frame["mission_id"].tolist()[-1] == "a"
    assert math.isnan(frame["score"].iloc[-1])
    records = index_records(frame)
    assert records[-1]["score"] is None
    assert records[-1]["components"]["audience"] == {
        "value": None,
        "percentile": None,
        "weight": None,
        "contribution": None,
    }


def test_long_contributions_and_the_note():
    frame = score(VALUES, DEFAULT_WEIGHTS)
    long = contributions(frame)
    assert long[long["mission_id"] == "b"]["component"].tolist() == [
        "audience",
        "growth",
        "engagement",
        "activity",
        "breadth",
    ]
    note = index_note(frame)
    assert note.missing == {"host_language": 3, "host_audience": 1}
    assert note.ranked == 3 and note.small


# -- weights file ------------------------------------------------------------------------------


def test_the_shipped_weights_file_is_the_default():
    assert load_weights(DEFAULT_REGISTRY) == DEFAULT_WEIGHTS
    assert (DEFAULT_REGISTRY / "index_weights.csv").read_text(encoding="utf-8") == weights_csv(
        {k: int(v) for k, v in DEFAULT_WEIGHTS.items()}
    )


def test_without_a_file_the_defaults_apply(tmp_path):
    assert load_weights(tmp_path) == DEFAULT_WEIGHTS


def test_weights_are_saved_and_read_back(tmp_path):
    weights = {**DEFAULT_WEIGHTS, "engagement": 12.5, "breadth": 0.0}
    path = save_weights(weights, tmp_path)
    assert path == tmp_path / "index_weights.csv"
    assert "engagement,12.5\n" in path.read_text(encoding="utf-8")
    assert load_weights(tmp_path) == weights


@pytest.mark.parametrize(
    ("text", "row", "problem", "words_en", "words_vi"),
    [
        ("component;weight\n", 1, "bad_header", "the header must be exactly", "dòng tiêu đề"),
        ("component,weight\nreach,3\n", 2, "unknown_component", "unknown component", "không"),
        ("component,weight\naudience,-1\n", 2, "bad_weight", "is not a number ≥ 0", "không"),
        ("component,weight\naudience,abc\n", 2, "bad_weight", "“abc”", "“abc”"),
        ("component,weight\naudience,1\naudience,2\n", 3, "duplicate", "appears twice", "hai"),
        ("component,weight\naudience,1,2\n", 2, "bad_cells", "has 3 cells", "3 ô"),
        ("component,weight\naudience,1\n", None, "missing_component", "add a row", "thêm"),
    ],
)
def test_a_bad_weights_file_is_refused_with_one_line_in_both_languages(
    text, row, problem, words_en, words_vi
):
    with pytest.raises(WeightsError) as caught:
        parse_weights(text, "index_weights.csv")
    error = caught.value
    assert (error.row, error.problem) == (row, problem)
    for lang, words in (("en", words_en), ("vi", words_vi)):
        line = error.message(lang)
        assert "\n" not in line and line.startswith("index_weights.csv")
        assert words in line
    if row is not None:
        assert f"row {row}" in error.message("en") and f"dòng {row}" in error.message("vi")


def test_all_zero_weights_are_refused_and_the_file_is_left_as_it_was(tmp_path):
    save_weights(DEFAULT_WEIGHTS, tmp_path)
    before = (tmp_path / "index_weights.csv").read_text(encoding="utf-8")
    with pytest.raises(WeightsError) as caught:
        save_weights(dict.fromkeys(COMPONENTS, 0.0), tmp_path)
    assert caught.value.problem == "all_zero"
    assert (tmp_path / "index_weights.csv").read_text(encoding="utf-8") == before


# -- peers -----------------------------------------------------------------------------------


def test_peer_groups_are_parsed_and_a_bad_one_is_refused():
    assert parse_peers("all").text == "all"
    assert parse_peers("region:europe").text == "region:europe"
    assert parse_peers("kind:embassy").text == "kind:embassy"
    for bad in ("everyone", "kind:palace", "region:"):
        with pytest.raises(PeersError):
            parse_peers(bad)


# -- on the hand-built store -------------------------------------------------------------------
#
# W = 03-01..03-14, values from tests/metrics/test_kpis.py and test_host_audience.py:
#            audience  growth        engagement                                  activity
#   emb-us   1320      11 / 1320     (13/1008 + 4/1020 + 0/1020 + 6/300) / 4     3.0
#   emb-jp   2562      65 / 2562     10 / 1997                                   1.0
#            host_audience   breadth (platforms with a post / 6)
#   emb-us   690 / 1320      2 / 6 (facebook, x)
#   emb-jp   0.0             1 / 6 (youtube)
#   cg-vancouver and pm-un: nothing known (pm-un: followers 400 but no post, no host country;
#   its audience is 400, its breadth unknown).
# With two missions known per component, the percentiles are 0 and 100; pm-un alone has...
# an audience too: audience ranks 400 (pm-un) 0, 1320 (emb-us) 50, 2562 (emb-jp) 100.
#   emb-us: (20×50 + 15×0 + 20×100 + 10×100 + 10×100 + 10×100) / 85 = 6000 / 85
#   emb-jp: (20×100 + 15×100 + 20×0 + 10×0 + 10×0 + 10×0) / 85 = 3500 / 85
#   pm-un: audience only: 20×0 / 20 = 0
#   cg-vancouver: no score, last.


@pytest.fixture
def geo_store(kpi_store):
    add_geography(kpi_store)
    return kpi_store


def test_index_of_all_missions(geo_store):
    with geo_store.read() as con:
        frame = diplomacy_index(con, START, END, "all", DEFAULT_WEIGHTS)
    assert frame["mission_id"].tolist() == ["emb-us", "emb-jp", "pm-un", "cg-vancouver"]
    assert frame["score"].tolist()[:3] == pytest.approx([6000 / 85, 3500 / 85, 0.0])
    assert math.isnan(frame["score"].iloc[3])
    us = frame.iloc[0]
    assert us["growth_value"] == pytest.approx(11 / 1320)
    assert us["breadth_value"] == pytest.approx(2 / 6)
    assert us["host_audience_value"] == pytest.approx(690 / 1320)
    assert us["audience_percentile"] == 50.0


def test_index_of_a_kind_and_of_a_region(geo_store):
    with geo_store.read() as con:
        embassies = diplomacy_index(con, START, END, "kind:embassy", DEFAULT_WEIGHTS)
        americas = diplomacy_index(con, START, END, "region:americas", DEFAULT_WEIGHTS)
    # embassies: emb-us, emb-jp; audience percentiles 0 and 100 now
    # emb-us: (20×0 + 15×0 + 20×100 + 10×100 + 10×100 + 10×100) / 85 = 5000 / 85
    assert embassies["mission_id"].tolist() == ["emb-us", "emb-jp"]
    assert embassies["score"].tolist() == pytest.approx([5000 / 85, 3500 / 85])
    # americas: emb-us and cg-vancouver (no data): emb-us alone in every component -> 50
    assert americas["mission_id"].tolist() == ["emb-us", "cg-vancouver"]
    assert americas["score"].iloc[0] == pytest.approx(50.0)


def test_host_language_becomes_a_component_when_its_kpi_is_registered(geo_store, monkeypatch):
    monkeypatch.setattr(kpi_module, "_REGISTRY", dict(kpi_module._REGISTRY))
    # A stub in place of the language family's KPI (metrics/families/language.py, pinned in
    # tests/metrics/test_language.py): the share of posts on Facebook, per mission, so that the
    # index's arithmetic is checked on numbers this store has.
    kpi_module._REGISTRY.pop("host_language_share", None)
    register(
        KPI(
            name="host_language_share",
            family="stub",
            unit="ratio",
            higher_is_better=True,
            description_en="stub",
            formula="stub",
            source="posts",
            sql="avg(CASE WHEN platform = 'facebook' THEN 1.0 ELSE 0.0 END) "
            "FILTER (WHERE post_id IS NOT NULL)",
            order=150,
        )
    )
    with geo_store.read() as con:
        values = component_values(con, START, END).set_index("mission_id")
        frame = diplomacy_index(con, START, END, "kind:embassy", DEFAULT_WEIGHTS)
    # emb-us: fb-0..fb-4 and x-7 in W: 5 of 6 on Facebook; emb-jp: 2 YouTube videos: 0
    assert values.at["emb-us", "host_language"] == pytest.approx(5 / 6)
    assert values.at["emb-jp", "host_language"] == 0.0
    # emb-us: + 15×100, over 100: (5000 + 1500) / 100; emb-jp: 3500 / 100
    assert frame["score"].tolist() == pytest.approx([65.0, 35.0])
    assert frame["missing"].tolist() == [[], []]


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["index", "--start", W[0], "--end", W[1], *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_cli_json_is_sorted_by_score_with_every_component(geo_store, tmp_path, capsys):
    db = str(geo_store.path)
    status, out, _ = run_cli(capsys, "--db", db, "--registry", str(tmp_path), "--json")
    assert status == 0
    rows = json.loads(out)
    assert [r["mission_id"] for r in rows] == ["emb-us", "emb-jp", "pm-un", "cg-vancouver"]
    assert rows[0]["score"] == pytest.approx(6000 / 85)
    assert list(rows[0]["components"]) == list(COMPONENTS)
    engagement = rows[0]["components"]["engagement"]
    assert engagement == {
        "value": pytest.approx((13 / 1008 + 4 / 1020 + 0 / 1020 + 6 / 300) / 4),
        "percentile": 100.0,
        "weight": pytest.approx(20 / 85),
        "contribution": pytest.approx(2000 / 85),
    }
    assert rows[0]["missing"] == ["host_language"]
    assert rows[3]["score"] is None


def test_cli_reads_the_weights_file_of_the_registry_folder(geo_store, tmp_path, capsys):
    save_weights({**DEFAULT_WEIGHTS, "engagement": 0.0}, tmp_path)
    db = str(geo_store.path)
    status, out, _ = run_cli(
        capsys, "--db", db, "--registry", str(tmp_path), "--peers", "kind:embassy", "--json"
    )
    # without engagement, 65: emb-us (0 + 0 + 1000 + 1000 + 1000) / 65; emb-jp 3500 / 65
    assert status == 0
    rows = json.loads(out)
    assert [r["mission_id"] for r in rows] == ["emb-jp", "emb-us"]
    assert [r["score"] for r in rows] == pytest.approx([3500 / 65, 3000 / 65])


def test_cli_refuses_a_bad_peer_group_and_a_bad_weights_file(geo_store, tmp_path, capsys):
    db = str(geo_store.path)
    status, _, err = run_cli(capsys, "--db", db, "--peers", "kind:palace", "--json")
    assert status == 2 and "kind:palace" in err and err.count("\n") == 1
    Path(tmp_path, "index_weights.csv").write_text("component,weight\nreach,1\n", encoding="utf-8")
    status, _, err = run_cli(capsys, "--db", db, "--registry", str(tmp_path), "--json")
    assert status == 2 and "row 2" in err and "reach" in err


def test_cli_table_for_people(geo_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DIPLOPULSE_LANG", "vi")
    status, out, _ = run_cli(capsys, "--db", str(geo_store.path), "--registry", str(tmp_path))
    assert status == 0
    assert "Chỉ số Ngoại giao số" in out
    assert "70,6" in out  # 6000 / 85 = 70.59, written the Vietnamese way


def test_cli_says_when_a_peer_group_is_empty(geo_store, tmp_path, capsys):
    db = str(geo_store.path)
    status, out, _ = run_cli(capsys, "--db", db, "--registry", str(tmp_path), "--peers", "region:x")
    assert status == 0 and "No mission with accounts in this peer group." in out
    status, out, _ = run_cli(
        capsys, "--db", db, "--registry", str(tmp_path), "--peers", "region:x", "--json"
    )
    assert status == 0 and json.loads(out) == []


# -- the sidebar's platform and owner filters ----------------------------------------------------
#
# The mission's own accounts only (owner "mission"): emb-us loses its ambassador's X account
# (x-7, 300 followers, 6/300, no net follows, its audience 60 % in the US):
#            audience  growth      engagement                       activity  host_aud.  breadth
#   emb-us   1020      11 / 1020   (13/1008 + 4/1020 + 0/1020) / 3  2.5       0.5        1 / 6
#   emb-jp   2562      65 / 2562   10 / 1997                        1.0       0.0        1 / 6
#   pm-un    400 (audience only); cg-vancouver nothing.
# Percentiles: audience 400 → 0, 1020 → 50, 2562 → 100; growth us 0, jp 100 (0.0108 < 0.0254);
# engagement us 100, jp 0 (0.00561 > 0.00501); activity and host audience us 100, jp 0;
# breadth tied: 50 each.
#   emb-us: (20×50 + 15×0 + 20×100 + 10×100 + 10×100 + 10×50) / 85 = 5500 / 85
#   emb-jp: (20×100 + 15×100 + 20×0 + 10×0 + 10×0 + 10×50) / 85 = 4000 / 85


def test_the_index_counts_only_the_accounts_the_filters_choose(geo_store):
    with geo_store.read() as con:
        frame = diplomacy_index(con, START, END, "all", DEFAULT_WEIGHTS, owners=("mission",))
    assert frame["mission_id"].tolist() == ["emb-us", "emb-jp", "pm-un", "cg-vancouver"]
    assert frame["score"].tolist()[:3] == pytest.approx([5500 / 85, 4000 / 85, 0.0])
    us = frame.iloc[0]
    assert us["audience_value"] == 1020
    assert us["growth_value"] == pytest.approx(11 / 1020)
    assert us["engagement_value"] == pytest.approx((13 / 1008 + 4 / 1020 + 0 / 1020) / 3)
    assert us["activity_value"] == pytest.approx(2.5)
    assert us["host_audience_value"] == pytest.approx(0.5)
    assert us["breadth_value"] == pytest.approx(1 / 6)
    assert us["breadth_percentile"] == 50.0


def test_breadth_counts_the_platforms_the_filter_covers(geo_store):
    # Facebook only: emb-us posted on Facebook, 1 of the 1 platform covered (not 1 of 6).
    with geo_store.read() as con:
        frame = diplomacy_index(con, START, END, "all", DEFAULT_WEIGHTS, platforms=("facebook",))
    us = frame.set_index("mission_id").loc["emb-us"]
    assert us["breadth_value"] == 1.0
    assert us["audience_value"] == 1020


def test_the_overview_s_frames_give_the_index_its_own_reads_give(geo_store):
    # The Overview computes the index from its one statement's missions and missions × platforms:
    # the same frame as the index's own statement, for every filter and comparison.
    filters = ((None, None), (("facebook", "x"), None), (None, ("mission",)))
    for (platforms, owners), against in itertools.product(filters, ("previous", "year")):
        scope = Scope(START, END, platforms=platforms, owners=owners)
        with geo_store.read() as con:
            numbers = overview(con, scope, against)
            own = diplomacy_index(
                con, START, END, "all", DEFAULT_WEIGHTS, platforms=platforms, owners=owners
            )
            shared = overview_index(con, scope, DEFAULT_WEIGHTS, against)
        ours = index_of(
            numbers.missions, numbers.mission_platforms, "all", DEFAULT_WEIGHTS, platforms
        )
        pd.testing.assert_frame_equal(ours, own, rtol=1e-12)
        pd.testing.assert_frame_equal(shared, own, rtol=1e-12)


def test_cli_index_with_a_platform_and_an_owner(geo_store, tmp_path, capsys):
    db = str(geo_store.path)
    registry = str(tmp_path)
    status, out, _ = run_cli(
        capsys, "--db", db, "--registry", registry, "--owner", "mission", "--json"
    )
    assert status == 0
    rows = json.loads(out)
    assert rows[0]["mission_id"] == "emb-us"
    assert rows[0]["score"] == pytest.approx(5500 / 85)
    status, out, _ = run_cli(
        capsys,
        "--db",
        db,
        "--registry",
        registry,
        "--platform",
        "facebook",
        "--platform",
        "x",
        "--json",
    )
    assert status == 0
    us = next(r for r in json.loads(out) if r["mission_id"] == "emb-us")
    assert us["components"]["breadth"]["value"] == 1.0  # facebook and x, of the 2 covered
    with pytest.raises(SystemExit) as refused:  # argparse: exit 2, the choices listed
        run_cli(capsys, "--db", db, "--platform", "myspace", "--json")
    assert refused.value.code == 2 and "myspace" in capsys.readouterr().err
