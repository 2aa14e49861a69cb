"""What the Overview and the Mission page read, listed once, so that each page can read it all
at once before it draws (`ReadCursor.read_ahead`) and `bench` times the same reads.

A page's statements are small: each keeps about one core busy (planned on one thread, few
parallel tasks), and one after the other they leave a second core idle. Read ahead two at a
time, the Mission page's reads took 200-225 ms instead of 285-305 at ministry scale. The page
then makes its own calls, with the same arguments, and finds their results in the cache; a
read listed here that the page does not make would be work for nothing, which
tests/pages/test_read_ahead.py rules out. Longest first: the last ones fill the gaps.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

import metrics
from ui import audience, goals
from ui.cards import MISSION_CARD_KPIS
from ui.events import chart_events
from ui.filters import Filters

Read = Callable[[duckdb.DuckDBPyConnection], object]

# The Mission page compares, like for like, its cards' KPIs and the host-country share the
# audience block reads from the same frame (the statement's time grows with the KPIs compared).
MISSION_TOTALS = (*MISSION_CARD_KPIS, audience.KPI)
# The owner split's KPIs; with the platform mix's, the KPIs per platform and per owner the
# Mission page reads (`metrics.mission_numbers(..., breakdown=MISSION_BREAKDOWN)`).
OWNER_KPIS = ("followers_end", "posts", "interactions", "reach")
MISSION_BREAKDOWN = tuple(dict.fromkeys((*metrics.PLATFORM_MIX_KPIS, *OWNER_KPIS)))


def overview(current: Filters, trend: str) -> list[Read]:
    """The Overview's reads for the filters `current` (its comparison chosen) and the network
    trend's metric `trend`. The index and the map read `metrics.overview`'s result."""
    scope = current.scope()
    return [
        lambda con: metrics.overview(con, scope, against=current.against),
        lambda con: metrics.alerts(con, goals.recent(scope)),
        lambda con: metrics.timeseries(
            con, scope, trend, by="platform", freq=trend_freq(trend, current)
        ),
        lambda con: metrics.accounts_in_scope(con, scope),
        lambda con: chart_events(con, scope),
    ]


def trend_freq(metric: str, current: Filters) -> str:
    """The Overview's network trend: followers by day (a total, not a flow), the others as
    `metrics.trend_freq` chooses for the period."""
    return "day" if metric == "followers" else metrics.trend_freq(current.scope())


def mission(current: Filters, mission_id: str) -> list[Read]:
    """The Mission page's reads for one mission and the filters `current` (its comparison
    chosen)."""
    scope = current.scope(missions=[mission_id])
    return [
        lambda con: metrics.mission_numbers(
            con, scope, current.against, MISSION_TOTALS, MISSION_BREAKDOWN
        ),
        lambda con: metrics.mission_standing(con, current.scope(), mission_id, MISSION_CARD_KPIS),
        lambda con: metrics.alerts(con, scope),
        lambda con: metrics.ambassador_themes(
            con, mission_id, scope.start, scope.end, platforms=scope.platforms
        ),
        *audience.mission_reads(scope),
        lambda con: metrics.timeseries(con, scope, "followers", by="platform", freq="day"),
        lambda con: metrics.timeseries(
            con, scope, "interactions", by="platform", freq=metrics.trend_freq(scope)
        ),
        lambda con: metrics.top_posts(con, scope, n=10, order_by="interactions"),
        lambda con: metrics.accounts_in_scope(con, scope),
        lambda con: chart_events(con, scope),
    ]
