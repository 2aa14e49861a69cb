"""The reads each dashboard page makes on one render with default filters, as in `pages/*.py`.

Each function below replays, in order, the calls its page script makes to `metrics`,
`data.queries` and the store (charts and widgets aside), with the page's defaults: the 90-day
window ending on the latest date with data, every platform, mission and ambassador accounts,
the first mission by id (Mission), "interactions" as the ranked KPI, the whole network (Compare).
Every render also runs the frame `app.py` draws around every page (`FRAME`). Keep these in step
with the page scripts when they change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import metrics
from connectors.samples import should_load_samples, uses_sample_data
from data import queries
from data.store import Store
from ui import geo, goals, reads
from ui.cards import MISSION_CARD_KPIS
from ui.events import chart_events, default_event, registry_events
from ui.filters import Filters


class Timer:
    """Times the calls of one page render; a call made twice is summed under its name."""

    def __init__(self) -> None:
        self.calls: dict[str, float] = {}
        self.total_ms = 0.0

    def __call__(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        value = fn(*args, **kwargs)
        ms = (time.perf_counter() - started) * 1000
        self.calls[name] = self.calls.get(name, 0.0) + ms
        self.total_ms += ms
        return value


@dataclass
class Context:
    """What the pages read with: the store and the sidebar's filters."""

    store: Store
    filters: Filters
    _mission: str | None = field(default=None, init=False)

    def default_mission(self) -> str:
        """The Mission page's default: the first mission (by id) that has accounts."""
        if self._mission is None:
            with self.store.read() as con:
                self._mission = str(queries.missions_with_accounts(con)["mission_id"].iloc[0])
        return self._mission


def default_context(store: Store, days: int = 90) -> Context:
    """The sidebar's defaults: the `days` days ending on the latest date with data, every
    platform, both owners."""
    with store.read() as con:
        latest = queries.latest_data_date(con)
    if latest is None:
        raise ValueError(f"{store.path} holds no data")
    start = latest - timedelta(days=days - 1)
    return Context(store=store, filters=Filters(start=start, end=latest, latest=latest))


MISSION_TOTALS = reads.MISSION_TOTALS
MISSION_BREAKDOWN = reads.MISSION_BREAKDOWN


def frame(ctx: Context, timed: Timer) -> None:
    """app.py on every page: first-run check, sidebar filters, the sample-data banner."""
    timed("frame: should_load_samples", should_load_samples, ctx.store)
    with ctx.store.read() as con:
        timed("frame: latest_data_date", queries.latest_data_date, con)
        timed("frame: platforms", queries.platforms, con)
    timed("frame: uses_sample_data", uses_sample_data, ctx.store)


def overview(ctx: Context, timed: Timer) -> None:
    """pages/overview.py: totals, league table, world map, network trend (followers, daily)."""
    frame(ctx, timed)
    f = ctx.filters
    with ctx.store.read() as con:
        scope = f.scope()
        # Its statements at once (ui/reads.py), the trend's default metric; the calls below
        # find their results in the cache.
        timed("read ahead", con.read_ahead, reads.overview(f, "followers"))
        # The totals, the league table and the map's countries: one statement.
        numbers = timed("overview", metrics.overview, con, scope, against=f.against)
        timed("cards: accounts_in_scope", metrics.accounts_in_scope, con, scope)
        timed("rank(interactions)", metrics.rank, numbers.missions, "interactions")
        # The Digital Diplomacy Index among all missions, from the statement's own missions and
        # missions × platforms (ui/index.py, issue #7 part 9).
        weights = metrics.load_weights()
        timed("overview_index", metrics.overview_index, con, scope, weights, f.against)
        # The map: the registry and metrics.overview's countries (ui/geo.py).
        timed("map: geo.country_values", geo.country_values, con, f, "interactions")
        timed("map: geo.off_map_missions", geo.off_map_missions, con, f)
        timed(
            "timeseries(followers, by=platform, day)",
            metrics.timeseries,
            con,
            scope,
            "followers",
            by="platform",
            freq="day",
        )
        # The events shaded on the trend chart (issue #7, ui/events.py).
        timed("events: chart_events", chart_events, con, scope)
        # Objectives off track and alerts (issue #7, ui/goals.py).
        objectives, _ = timed("objectives: read", goals.load, con)
        if objectives:
            timed("objectives: off_track", metrics.off_track, con, objectives, f.end)
        timed("alerts", metrics.alerts, con, goals.recent(scope))


def mission(ctx: Context, timed: Timer) -> None:
    """pages/mission.py for the default mission."""
    frame(ctx, timed)
    f = ctx.filters
    mission_id = ctx.default_mission()
    with ctx.store.read() as con:
        timed("missions_with_accounts", queries.missions_with_accounts, con)
        scope = f.scope(missions=[mission_id])
        everyone = f.scope(missions=[mission_id], all_owners=True)
        timed("read ahead", con.read_ahead, reads.mission(f, mission_id))
        # The cards, the platform mix and the owner split: one statement.
        numbers = timed(
            "mission_numbers",
            metrics.mission_numbers,
            con,
            scope,
            f.against,
            MISSION_TOTALS,
            MISSION_BREAKDOWN,
        )
        timed("cards: accounts_in_scope", metrics.accounts_in_scope, con, scope)
        timed(
            "cards: mission_standing",
            metrics.mission_standing,
            con,
            f.scope(),
            mission_id,
            MISSION_CARD_KPIS,
        )
        for metric, freq in (("followers", "day"), ("interactions", "week")):
            timed(
                f"timeseries({metric}, by=platform, {freq})",
                metrics.timeseries,
                con,
                scope,
                metric,
                by="platform",
                freq=freq,
            )
            timed("events: chart_events", chart_events, con, scope)
        # The host-country audience (ui/audience.py, issue #7 part 3); its share is the cards'.
        trend = timed(
            "host_audience_trend(month)", metrics.host_audience_trend, con, scope, "month"
        )
        if trend["value"].notna().sum() > 1:  # ui/audience.py draws it, with the events
            timed("events: chart_events", chart_events, con, scope)
        timed("audience_countries(10)", metrics.audience_countries, con, scope, 10)
        timed("top_posts(10)", metrics.top_posts, con, scope, n=10, order_by="interactions")
        timed("platform_shares", metrics.platform_shares, numbers.platforms)
        timed("accounts_in_scope", metrics.accounts_in_scope, con, everyone)
        # The ambassador beside the mission (issue #7, part 4): its themes are tagged when read;
        # followers, posts and interactions per owner are mission_numbers' owner split.
        timed(
            "ambassador_themes",
            metrics.ambassador_themes,
            con,
            mission_id,
            scope.start,
            scope.end,
            platforms=scope.platforms,
        )
        # Objectives and alerts (issue #7, ui/goals.py).
        objectives, _ = timed("objectives: read", goals.load, con)
        mine = tuple(o for o in objectives if o.mission_id == mission_id)
        if mine:
            timed("objectives: progress", metrics.progress, con, mine, f.end)
        timed("alerts", metrics.alerts, con, scope)


def _compare(ctx: Context, timed: Timer, *, region: bool) -> None:
    frame(ctx, timed)
    f = ctx.filters
    with ctx.store.read() as con:
        timed("missions_with_accounts", queries.missions_with_accounts, con)
        regions = None
        if region:
            regions = timed("regions", queries.regions, con)[:1]
        scope = f.scope(regions=regions)
        # One computation serves the ranking, the scatter, the table and the index's inputs.
        by_mission, _ = timed(
            "compute_sets(mission, mission_platform)",
            metrics.compute_sets,
            con,
            scope,
            metrics.INDEX_INPUTS,
        )
        timed("rank(interactions)", metrics.rank, by_mission, "interactions")
        # The Digital Diplomacy Index, peers "all" (ui/index.py, issue #7 part 9).
        weights = metrics.load_weights()
        timed(
            "diplomacy_index(all)",
            metrics.diplomacy_index,
            con,
            f.start,
            f.end,
            "all",
            weights,
            platforms=f.platforms,
            owners=f.owners,
        )
        # Objectives off track (ui/goals.py, issue #7 part 6).
        objectives, _ = timed("objectives: read", goals.load, con)
        if objectives:
            timed("objectives: off_track", metrics.off_track, con, objectives, f.end)


def compare(ctx: Context, timed: Timer) -> None:
    """pages/compare.py, default mode: the whole network."""
    _compare(ctx, timed, region=False)


def compare_region(ctx: Context, timed: Timer) -> None:
    """pages/compare.py in "region" mode, for the first region (its default)."""
    _compare(ctx, timed, region=True)


def content(ctx: Context, timed: Timer) -> None:
    """pages/content.py for the default mission: formats, languages (with the host-language
    KPIs), themes, best time to post."""
    frame(ctx, timed)
    f = ctx.filters
    mission_id = ctx.default_mission()
    with ctx.store.read() as con:
        timed("missions_with_accounts", queries.missions_with_accounts, con)
        scope = f.scope(missions=[mission_id])
        timed("post_formats", metrics.post_formats, con, scope)
        timed("languages", metrics.languages, con, scope)
        timed(
            "compute(by=network, host-language KPIs)",
            metrics.compute,
            con,
            scope,
            by="network",
            only=("host_language_share", "host_language_lift"),
        )
        timed("theme_summary", metrics.theme_summary, con, scope)
        timed("best_time", metrics.best_time, con, scope)


def events(ctx: Context, timed: Timer) -> None:
    """pages/events.py for the default mission and event (the newest that started by the last
    day with data), the baseline as long as the event, the interactions chart."""
    frame(ctx, timed)
    mission_id = ctx.default_mission()
    known, _ = registry_events()
    with ctx.store.read() as con:
        timed("missions_with_accounts", queries.missions_with_accounts, con)
        everything = metrics.Scope(
            min(e.start for e in known), max(e.end for e in known), missions=(mission_id,)
        )
        concerned = timed("events_in", metrics.events_in, con, everything, tuple(known))
        mine = [e for e in known if e.event_id in set(concerned["event_id"])]
        event = default_event(mine, ctx.filters.latest)
        timed("event_uplift", metrics.event_uplift, con, mission_id, event, event.days)
        timed(
            "event_series(interactions)",
            metrics.event_series,
            con,
            mission_id,
            event,
            "interactions",
            event.days,
        )


def ministry_today() -> date:
    """The date the Data page counts staleness to: today in Hà Nội."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def data(ctx: Context, timed: Timer) -> None:
    """pages/data.py: registry accounts, pages the registry does not know and the missions to
    attach them to, import log, coverage per mission and platform, sample check (the coverage
    per account is read when its switch is turned on, not by default)."""
    frame(ctx, timed)
    with ctx.store.read() as con:
        timed("accounts", queries.accounts, con)
    with ctx.store.read() as con:
        timed("unknown_pages", queries.unknown_pages, con)
        timed("missions", queries.missions, con)
    with ctx.store.read() as con:
        timed("import_log", queries.import_log, con)
        timed("mission_coverage", metrics.mission_coverage, con, ministry_today())
    timed("uses_sample_data", uses_sample_data, ctx.store)


PAGES: dict[str, Callable[[Context, Timer], None]] = {
    "overview": overview,
    "mission": mission,
    "compare": compare,
    "compare_region": compare_region,
    "data": data,
    "content": content,
    "events": events,
}
