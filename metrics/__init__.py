"""DiploPulse metrics: every number a page or the CLI shows, defined once.

The public API is fixed in `metrics/API.md`; the KPI definitions, their sources per platform
and their caveats are in `docs/METRICS.md`. Pages never write SQL or KPI arithmetic: they call
these functions with a cursor of the store (`with store.read() as con:`).
"""

from data.store import cached_per_version as _cached
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
    REASONS,
    MissionNumbers,
    OverviewNumbers,
    UnknownMission,
    compare,
    comparison_window,
    compute,
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
from metrics.geography import audience_countries, host_audience_trend
from metrics.index import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    Peers,
    PeersError,
    WeightsError,
    component_values,
    contributions,
    diplomacy_index,
    index_note,
    index_records,
    load_weights,
    parse_peers,
    save_weights,
)
from metrics.kpi import KPI, register, registry
from metrics.scope import GROUPINGS, Scope, accounts_in_scope
from metrics.series import (
    periods,
    platform_mix,
    platform_shares,
    timeseries,
    top_posts,
    trend_freq,
)

# Hook: a store version never changes, so what these read from one is cached per (version,
# arguments) (data/store.py): a page drawn again at the next click runs no statement again.
accounts_in_scope = _cached(accounts_in_scope)
compare = _cached(compare)
compute = _cached(compute)
coverage = _cached(coverage)
mission_coverage = _cached(mission_coverage)
mission_numbers = _cached(mission_numbers)
mission_standing = _cached(mission_standing)
overview = _cached(overview)
platform_mix = _cached(platform_mix)
ranking = _cached(ranking)
timeseries = _cached(timeseries)
top_posts = _cached(top_posts)
audience_countries = _cached(audience_countries)
diplomacy_index = _cached(diplomacy_index)
host_audience_trend = _cached(host_audience_trend)

KPIS: dict[str, KPI] = registry()
KPI_NAMES: tuple[str, ...] = tuple(KPIS)

__all__ = [
    "COMPARISONS",
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "FRESH_DAYS",
    "GROUPINGS",
    "KPI",
    "KPIS",
    "KPI_NAMES",
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
    "UnknownMetric",
    "UnknownMission",
    "WeightsError",
    "account_exists",
    "accounts_in_scope",
    "audience_countries",
    "compare",
    "comparison_window",
    "component_values",
    "compute",
    "contributions",
    "coverage",
    "daily_metric_names",
    "daily_values",
    "diplomacy_index",
    "host_audience_trend",
    "index_note",
    "index_records",
    "kpi_changes",
    "kpis",
    "load_weights",
    "mission_coverage",
    "mission_exists",
    "mission_numbers",
    "mission_standing",
    "overview",
    "parse_peers",
    "periods",
    "platform_mix",
    "platform_shares",
    "previous_window",
    "rank",
    "ranking",
    "register",
    "registry",
    "save_weights",
    "standing",
    "timeseries",
    "top_posts",
    "trend_freq",
    "year_earlier_window",
]
