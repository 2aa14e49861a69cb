"""Statements over a period preset read the per-account partials a reading process prepared for
the version (`engine.prepare_parts`, in `metrics.PREPARERS`) instead of the sources: the
numbers must be exactly those read from the sources, for every preset, both comparisons and any
choice of missions, platforms, owners and regions, on the hand-built store of conftest.py and on
the bundled sample data."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from data import queries
from data.store import Store
from metrics import engine
from metrics.scope import Scope
from tests.metrics.test_one_pass import same


def _scopes(con, start, end) -> list[Scope]:
    missions = queries.missions_with_accounts(con)["mission_id"].tolist()
    regions = queries.regions(con)
    return [
        Scope(start, end),
        Scope(start, end, missions=(missions[0],)),
        Scope(start, end, missions=tuple(missions[1:3])),
        Scope(start, end, platforms=("facebook",)),
        Scope(start, end, owners=("ambassador",)),
        Scope(start, end, regions=(regions[0],)),
    ]


def _numbers(con, scope: Scope, against: str) -> list[pd.DataFrame]:
    """What the pages read through the engine's statements that start from `parts`."""
    mission = (scope.missions or ("emb-us",))[0]
    numbers = engine.overview(con, scope, against)
    # Some KPIs only, as the pages ask: a statement's partials are a few of the table's columns.
    mission_numbers = engine.mission_numbers(
        con, scope, against, ("posts", "er_reach", "net_follows"), ("followers_end", "reach")
    )
    windows = [(scope.start, scope.end), engine.comparison_window(scope.start, scope.end, against)]
    return [
        numbers.network,
        numbers.missions,
        numbers.countries,
        numbers.mission_platforms,
        engine.compare(con, scope, by="mission", against=against),
        mission_numbers.totals,
        mission_numbers.platforms,
        mission_numbers.owners,
        engine.mission_standing(con, scope, mission),
        engine.mission_standing(con, scope, mission, ("reach", "host_language_share")),
        engine.compute_windows(con, scope, "platform", windows),
        engine.compute_windows(con, scope, "owner", windows, only=("interactions", "er_reach")),
        *engine._sets_statement(con, scope, ("mission", "region", "mission_platform")),
    ]


def test_statements_over_a_preset_read_the_prepared_partials_and_give_the_same_numbers(
    prepared_store: Store, statements: list[str]
):
    with prepared_store.read() as cur:
        table = cur.prepared[engine.PARTS_FACT][0]
        latest = queries.latest_data_date(cur)
        for windows in engine.preset_windows(latest):
            start, end = windows[0]
            for scope in _scopes(cur, start, end):
                for against in engine.COMPARISONS:
                    statements.clear()
                    prepared = _numbers(cur, scope, against)
                    assert statements and all(table in text for text in statements)
                    statements.clear()
                    plain = _numbers(cur._cur, scope, against)  # the DuckDB cursor: no facts
                    assert statements and not any(table in text for text in statements)
                    for ours, theirs in zip(prepared, plain, strict=True):
                        same(ours, theirs)


def test_other_windows_read_the_sources(prepared_store: Store, statements: list[str]):
    with prepared_store.read() as cur:
        table = cur.prepared[engine.PARTS_FACT][0]
        latest = queries.latest_data_date(cur)
        start, end = latest - timedelta(days=13), latest  # a custom period of two weeks
        engine.overview(cur, Scope(start, end))
        assert statements and not any(table in text for text in statements)
        # nor a preset's window compared with a window not prepared
        assert engine._prepared_parts(cur, [(start, end)]) is None
        assert engine._prepared_parts(cur, engine.preset_windows(latest)[0][:2]) == table


def test_a_version_without_data_prepares_nothing(store: Store):
    store.prepare_versions(engine.prepare_parts)
    assert store.wait_prepared(30)
    with store.read() as cur:
        assert cur.prepared == {}
