"""DiploPulse metrics: every number a page or the CLI shows, defined once.

The public API is fixed in `metrics/API.md`; the KPI definitions, their sources per platform
and their caveats are in `docs/METRICS.md`. Pages never write SQL or KPI arithmetic: they call
these functions with a cursor of the store (`with store.read() as con:`).
"""

from data.store import cached_per_version as _cached
from metrics.alerts import alerts
from metrics.content import (  # issue #7: the Content page's formats and best time to post
    BEST_TIME_RATE,
    FORMATS,
    MIN_POSTS,
    BestTime,
    best_time,
    post_formats,
)
from metrics.coverage import (
    FRESH_DAYS,
    STALE_DAYS,
    STALENESS,
    MissionCoverage,
    coverage,
    mission_coverage,
)
from metrics.daily import (
    UnknownAccount,
    UnknownMetric,
    account_exists,
    daily_metric_names,
    daily_values,
)
from metrics.engine import (
    COMPARISONS,
    OVERVIEW_KPIS,
    REASONS,
    MissionNumbers,
    OverviewNumbers,
    UnknownMission,
    compare,
    comparison_window,
    compute,
    compute_sets,
    kpi_changes,
    kpis,
    mission_exists,
    mission_numbers,
    mission_standing,
    overview,
    previous_window,
    rank,
    ranking,
    standing,
    year_earlier_window,
)
from metrics.events import (
    EVENT_KPIS,
    MIN_BASELINE_DAYS,
    UnknownEvent,
    baseline_window,
    event_series,
    event_uplift,
    events_in,
    find_event,
)
from metrics.geography import audience_countries, host_audience_trend
from metrics.index import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    INDEX_INPUTS,
    Peers,
    PeersError,
    WeightsError,
    component_values,
    components,
    contributions,
    diplomacy_index,
    index_note,
    index_of,
    index_records,
    load_weights,
    overview_index,
    parse_peers,
    save_weights,
)
from metrics.kpi import KPI, register, registry
from metrics.languages import languages
from metrics.objectives import off_track, progress, read_objectives
from metrics.objectives import reading as objective_reading
from metrics.preparation import PREPARERS
from metrics.scope import (
    DEFAULT_PRESET,
    FIXED_PRESETS,
    GROUPINGS,
    PRESETS,
    Scope,
    accounts_in_scope,
    period_window,
)
from metrics.series import (
    PLATFORM_MIX_KPIS,
    periods,
    platform_mix,
    platform_shares,
    timeseries,
    top_posts,
    trend_freq,
)
from metrics.themes import (
    ambassador_summary,
    ambassador_themes,
    file_stamp,
    iso_week,
    tagged_posts,
    theme_list,
    theme_rules,
    theme_summary,
)

# Hook: a store version never changes, so what these read from one is cached per (version,
# arguments) (data/store.py): a page drawn again at the next click runs no statement again.
accounts_in_scope = _cached(accounts_in_scope)
compare = _cached(compare)
compute = _cached(compute)
compute_sets = _cached(compute_sets)
coverage = _cached(coverage)
languages = _cached(languages)
mission_coverage = _cached(mission_coverage)
mission_numbers = _cached(mission_numbers)
mission_standing = _cached(mission_standing)
overview = _cached(overview)
platform_mix = _cached(platform_mix)
ranking = _cached(ranking)
timeseries = _cached(timeseries)
top_posts = _cached(top_posts)
alerts = _cached(alerts)  # objectives and alerts (issue #7): hashable arguments only
off_track = _cached(off_track)
progress = _cached(progress)
audience_countries = _cached(audience_countries)
diplomacy_index = _cached(diplomacy_index)
overview_index = _cached(overview_index)
host_audience_trend = _cached(host_audience_trend)
# Themes: the key also holds the shipped themes.csv's time and size, so that an analyst's edit
# is read at the next render (the rules, when given, are an argument and so in the key too).
ambassador_summary = _cached(ambassador_summary, extra=file_stamp)
ambassador_themes = _cached(ambassador_themes, extra=file_stamp)
theme_summary = _cached(theme_summary, extra=file_stamp)
event_uplift = _cached(event_uplift)
event_series = _cached(event_series)
# The events a chart marks: every time-series chart asks, three times on the Mission page (the
# events are an argument, in the key: an edit of the registry's file is a new key).
events_in = _cached(events_in)
best_time = _cached(best_time)  # issue #7, Content page
post_formats = _cached(post_formats)  # issue #7, Content page

KPIS: dict[str, KPI] = registry()
KPI_NAMES: tuple[str, ...] = tuple(KPIS)

__all__ = [
    "COMPARISONS",
    "COMPONENTS",
    "DEFAULT_PRESET",
    "DEFAULT_WEIGHTS",
    "EVENT_KPIS",
    "FIXED_PRESETS",
    "FRESH_DAYS",
    "GROUPINGS",
    "INDEX_INPUTS",
    "KPI",
    "KPIS",
    "KPI_NAMES",
    "MIN_BASELINE_DAYS",
    "OVERVIEW_KPIS",
    "PLATFORM_MIX_KPIS",
    "PREPARERS",
    "PRESETS",
    "REASONS",
    "STALENESS",
    "STALE_DAYS",
    "MissionCoverage",
    "MissionNumbers",
    "OverviewNumbers",
    "Peers",
    "PeersError",
    "Scope",
    "UnknownAccount",
    "UnknownEvent",
    "UnknownMetric",
    "UnknownMission",
    "WeightsError",
    "account_exists",
    "accounts_in_scope",
    "alerts",
    "ambassador_summary",
    "ambassador_themes",
    "audience_countries",
    "baseline_window",
    "compare",
    "comparison_window",
    "component_values",
    "components",
    "compute",
    "compute_sets",
    "contributions",
    "coverage",
    "daily_metric_names",
    "daily_values",
    "diplomacy_index",
    "event_series",
    "event_uplift",
    "events_in",
    "file_stamp",
    "find_event",
    "host_audience_trend",
    "index_note",
    "index_of",
    "index_records",
    "iso_week",
    "kpi_changes",
    "kpis",
    "languages",
    "load_weights",
    "mission_coverage",
    "mission_exists",
    "mission_numbers",
    "mission_standing",
    "objective_reading",
    "off_track",
    "overview",
    "overview_index",
    "parse_peers",
    "period_window",
    "periods",
    "platform_mix",
    "platform_shares",
    "previous_window",
    "progress",
    "rank",
    "ranking",
    "read_objectives",
    "register",
    "registry",
    "save_weights",
    "standing",
    "tagged_posts",
    "theme_list",
    "theme_rules",
    "theme_summary",
    "timeseries",
    "top_posts",
    "trend_freq",
    "year_earlier_window",
]
# issue #7, the Content page
__all__ += ["BEST_TIME_RATE", "FORMATS", "MIN_POSTS", "BestTime", "best_time", "post_formats"]
