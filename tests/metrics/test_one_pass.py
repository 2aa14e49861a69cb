"""`overview` and `mission_numbers` give exactly what the separate calls they replace gave.

The Overview used to call `compare(by="network")`, `ranking` (`compute(by="mission")`) and,
for the map, `compute(by="country")` over the missions to a host country; the Mission page
`compare(by="network")`, `platform_mix` (`compute(by="platform")`) and `compute(by="owner")`
over both owners. Each now reads its sources once; its frames must be those of the old calls,
on the hand-built store of conftest.py, for several filters and both comparisons.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from metrics import engine
from metrics.scope import Scope

W = (date(2025, 3, 1), date(2025, 3, 14))  # as conftest.py

MISSIONS = ("emb-us", "emb-jp", "cg-vancouver")


# The columns `compare` gives each KPI k: k, then k_<suffix>.
SUFFIXES = ("", "_prev", "_change", "_lfl", "_lfl_prev", "_left_out", "_missing", "_reason")


def compared(frame: pd.DataFrame, kpis: tuple[str, ...]) -> pd.DataFrame:
    """`compare`'s frame with the columns of `kpis` only (and the group's own columns)."""
    of = {f"{k}{suffix}": k for k in engine.registry() for suffix in SUFFIXES}
    return frame[[c for c in frame.columns if c not in of or of[c] in kpis]]


def same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    # Sums of floats (er_followers averages ratios) may differ in their last bit with the
    # order DuckDB adds them in, from one run of the same statement to the next.
    pd.testing.assert_frame_equal(
        ours.reset_index(drop=True), theirs.reset_index(drop=True), rtol=1e-12, atol=0
    )


SCOPES = {
    "network": Scope(*W),
    "facebook": Scope(*W, platforms=("facebook",)),
    "mission accounts": Scope(*W, owners=("mission",)),
    "ambassadors": Scope(*W, owners=("ambassador",)),
    "two missions": Scope(*W, missions=("emb-us", "emb-jp")),
    "one day": Scope(date(2025, 3, 10), date(2025, 3, 10)),
    "no account": Scope(*W, platforms=("tiktok",)),
}


@pytest.mark.parametrize("against", ["previous", "year"])
@pytest.mark.parametrize("name", list(SCOPES))
def test_overview_is_compare_ranking_and_the_map_s_countries(con, name, against):
    scope = SCOPES[name]
    numbers = engine.overview(con, scope, against)
    # The cards' KPIs only: the changes of the others are not computed.
    shown = {c for c in numbers.network.columns if c in engine.registry()}
    assert shown == set(engine.OVERVIEW_KPIS)
    whole = engine.compare(con, scope, "network", against)
    same(numbers.network, compared(whole, engine.OVERVIEW_KPIS))
    same(numbers.missions, engine.compute(con, scope, "mission"))
    # No mission of this registry is to an international organisation: every country is shown.
    same(numbers.countries, engine.compute(con, scope, "country"))
    same(numbers.mission_platforms, engine.compute(con, scope, "mission_platform"))
    assert list(engine.rank(numbers.missions, "interactions")["mission_id"]) == list(
        engine.ranking(con, "interactions", scope)["mission_id"]
    )


@pytest.mark.parametrize("against", ["previous", "year"])
@pytest.mark.parametrize("name", list(SCOPES))
@pytest.mark.parametrize("mission", MISSIONS)
def test_mission_numbers_are_the_cards_the_platform_mix_and_the_owner_split(
    con, name, against, mission
):
    base = SCOPES[name]
    scope = Scope(base.start, base.end, (mission,), base.platforms, base.owners, base.regions)
    both = Scope(base.start, base.end, (mission,), base.platforms, None, base.regions)
    numbers = engine.mission_numbers(con, scope, against)
    whole = engine.compare(con, scope, "network", against)
    same(numbers.totals, whole)
    cards = ("posts", "er_reach", "host_audience_share")
    some = engine.mission_numbers(con, scope, against, cards).totals
    same(some, compared(whole, cards))
    same(numbers.platforms, engine.compute(con, scope, "platform"))
    same(numbers.owners, engine.compute(con, both, "owner"))
    # The Mission page's breakdown: those KPIs' columns only (in the registry's order), the
    # same values; the cards are the same whatever the breakdown (the statement reads fewer
    # partial aggregates).
    breakdown = ("reach", "posts", "interactions", "followers_end")
    narrow = engine.mission_numbers(con, scope, against, cards, breakdown)
    same(narrow.totals, some)
    for ours, whole in ((narrow.platforms, numbers.platforms), (narrow.owners, numbers.owners)):
        kept = [c for c in whole.columns if c not in engine.registry() or c in breakdown]
        assert [c for c in kept if c in engine.registry()] == [
            "posts",
            "interactions",
            "reach",
            "followers_end",
        ]
        same(ours, whole[kept])


def test_the_map_s_countries_leave_out_missions_to_international_organisations(kpi_store):
    # emb-jp made a permanent mission seated in the United States, as the UN mission in New York.
    with kpi_store.write() as cur:
        cur.execute(
            "UPDATE missions SET kind = 'permanent_mission', country = 'US' "
            "WHERE mission_id = 'emb-jp'"
        )
    with kpi_store.read() as con:
        numbers = engine.overview(con, Scope(*W))
        bilateral = engine.compute(con, Scope(*W, missions=("emb-us", "cg-vancouver")), "country")
        everyone = engine.compute(con, Scope(*W), "country").set_index("country")
        missions = numbers.missions.set_index("mission_id")
    same(numbers.countries, bilateral)
    assert list(numbers.countries["country"]) == ["CA", "US"]
    # The United States' values are the embassy's alone, not the embassy's with the UN mission's.
    us = numbers.countries.set_index("country").loc["US"]
    assert us["posts"] == missions.loc["emb-us", "posts"]
    assert us["posts"] != everyone.loc["US", "posts"]
    # The league table still ranks the permanent mission.
    assert "emb-jp" in missions.index


@pytest.mark.parametrize("name", list(SCOPES))
def test_compute_sets_are_compute_of_each_grouping(con, name):
    scope = SCOPES[name]
    sets = ("mission", "mission_platform", "platform", "host_country")
    frames = engine.compute_sets(con, scope, sets)
    for by, frame in zip(sets, frames, strict=True):
        same(frame, engine.compute(con, scope, "country" if by == "host_country" else by))


PICKS = {
    "two missions": Scope(*W, missions=("emb-us", "emb-jp")),
    "a region": Scope(*W, regions=("americas",)),
    "a region's mission, on facebook": Scope(
        *W, missions=("emb-us", "emb-jp"), platforms=("facebook",), regions=("americas",)
    ),
    "a mission without accounts there": Scope(*W, missions=("emb-jp",), platforms=("x",)),
}


@pytest.mark.parametrize("name", list(PICKS))
def test_sets_within_missions_of_picked_missions_are_their_rows_of_the_network(con, name):
    # By mission and by mission x platform, the picked missions' rows come from the whole
    # network's statement (cached, shared with the index): they must be what a statement over
    # the picked accounts alone gives, row for row (americas: emb-us and cg-vancouver).
    scope = PICKS[name]
    sets = ("mission", "mission_platform")
    frames = engine.compute_sets(con, scope, sets)
    for by, frame in zip(sets, frames, strict=True):
        theirs = engine.compute(con, scope, by)
        if theirs.empty:  # no row to compare: the same columns (an empty column's dtype aside)
            assert frame.empty and list(frame.columns) == list(theirs.columns)
        else:
            same(frame, theirs)
    if name == "a region":
        assert list(frames[0]["mission_id"]) == ["cg-vancouver", "emb-us"]


def test_a_mission_platform_key_survives_ids_with_separators(kpi_store):
    # The pair is one JSON key: an id holding quotes, commas or brackets is split back exactly.
    odd = 'emb-"us", [x]'
    with kpi_store.write() as cur:
        cur.execute("UPDATE accounts SET mission_id = ? WHERE mission_id = 'emb-us'", [odd])
        cur.execute("UPDATE missions SET mission_id = ? WHERE mission_id = 'emb-us'", [odd])
    with kpi_store.read() as con:
        (ours,) = engine.compute_sets(con, Scope(*W), ("mission_platform",))
        theirs = engine.compute(con, Scope(*W), "mission_platform")
    same(ours, theirs)
    assert odd in set(ours["mission_id"])


@pytest.mark.parametrize("only", [["host_audience_share"], ["posts", "net_follows"]])
def test_compute_windows_of_some_kpis_is_those_columns_of_every_kpi(con, only):
    windows = [W, (date(2025, 3, 10), date(2025, 3, 23))]
    every = engine.compute_windows(con, Scope(*W), "mission", windows)
    some = engine.compute_windows(con, Scope(*W), "mission", windows, only=only)
    assert [c for c in some.columns if c in only] == only
    same(some, every[[c for c in every.columns if c in some.columns]])
    with pytest.raises(ValueError, match="reech"):
        engine.compute_windows(con, Scope(*W), "mission", windows, only=["reech"])


def test_an_unknown_kpi_to_compare_is_refused(con):
    with pytest.raises(ValueError, match="unknown KPIs \\['likes'\\]"):
        engine.mission_numbers(con, Scope(*W, missions=("emb-us",)), "previous", ("likes",))
