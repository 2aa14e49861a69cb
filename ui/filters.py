"""The pickers every page shares: period, platforms, owner (sidebar), mission(s), region, KPI.

The sidebar filters are drawn once per run by `app.py` and handed to the pages through
`current()`. Every picker mirrors its value in the URL (see `ui/state.py`), so a view can be
shared as a link. The period defaults to the 90 days that end on the latest date with data.
A picker's value is an id, never a label, so it holds when the language changes (`state.hold`);
missions and regions are listed in Vietnamese alphabetical order (`i18n.collation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from data import queries
from data.localtime import ministry_today
from i18n import format_date, t
from i18n.collation import sort_by_name
from metrics import (
    COMPARISONS,
    DEFAULT_PRESET,
    KPI_NAMES,
    PRESETS,
    Scope,
    comparison_window,
    period_window,
)
from ui import state
from ui.format import (
    date_input_format,
    kpi_label,
    labeller,
    mission_name,
    owner_label,
    period_text,
    platform_label,
    region_label,
)

OWNER_CHOICES = ("all", "mission", "ambassador")
_FILTERS_KEY = "_ui_filters"


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects: a window of local dates, platforms and owners."""

    start: date
    end: date
    preset: str = DEFAULT_PRESET
    platforms: tuple[str, ...] | None = None  # None = every platform
    owners: tuple[str, ...] | None = None  # None = mission and ambassador accounts
    latest: date | None = None  # latest date with data; None = the store has no data
    against: str = "previous"  # what the changes compare with: metrics.COMPARISONS

    @property
    def has_data(self) -> bool:
        """False while nothing has been imported."""
        return self.latest is not None

    @property
    def previous(self) -> tuple[date, date]:
        """The window the changes compare with (`against`): as long, just before, or the same
        period a year earlier."""
        return comparison_window(self.start, self.end, self.against)

    def scope(
        self,
        missions: Sequence[str] | None = None,
        regions: Sequence[str] | None = None,
        *,
        all_owners: bool = False,
    ) -> Scope:
        """The metrics scope of these filters, narrowed to missions / regions if given."""
        return Scope(
            start=self.start,
            end=self.end,
            missions=tuple(missions) if missions else None,
            platforms=self.platforms,
            owners=None if all_owners else self.owners,
            regions=tuple(regions) if regions else None,
        )

    def title(self, *parts: str) -> str:
        """A title for a chart file: `Interactions · Japan · 03/08/2026 – 31/10/2026`."""
        return " · ".join([*(p for p in parts if p), period_text(self.start, self.end)])

    def describe(self) -> str:
        """`03/08/2026 – 31/10/2026 · compared with 05/05/2026 – 02/08/2026`."""
        prev_start, prev_end = self.previous
        return t(
            "ui.filters.period_caption",
            period=period_text(self.start, self.end),
            previous=period_text(prev_start, prev_end),
        )


def _parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def sidebar_filters(con: duckdb.DuckDBPyConnection) -> Filters:
    """Draw the period, platform and owner pickers in the sidebar; returns what they select."""
    latest = queries.latest_data_date(con)
    available = queries.platforms(con)
    anchor = latest or ministry_today()

    st.sidebar.subheader(t("ui.filters.title"))
    preset = state.seed("f_period", "period", DEFAULT_PRESET, state.choice_parser(PRESETS))
    st.sidebar.selectbox(
        t("ui.filters.period"),
        PRESETS,
        format_func=labeller({p: t(f"ui.filters.preset.{p}") for p in PRESETS}),
        key="f_period",
        placeholder=t("ui.widget.choose"),
    )
    preset = st.session_state["f_period"]
    state.publish("period", preset, DEFAULT_PRESET)

    custom: tuple[date, date] | None = None
    if preset == "custom":
        raw_start, raw_end = state.url_param("from"), state.url_param("to")
        url_start, url_end = _parse_date(raw_start), _parse_date(raw_end)
        default_range = period_window(DEFAULT_PRESET, anchor)
        if "f_range" not in st.session_state:
            for param, raw, parsed in (("from", raw_start, url_start), ("to", raw_end, url_end)):
                if raw is not None and parsed is None:
                    state.link_notice(param, raw)
            st.session_state["f_range"] = (
                (url_start, url_end) if url_start and url_end else default_range
            )
        st.sidebar.date_input(
            t("ui.filters.custom_range"),
            key="f_range",
            format=date_input_format(),
        )
        chosen = st.session_state["f_range"]
        if isinstance(chosen, (tuple, list)) and len(chosen) == 2:
            custom = (chosen[0], chosen[1])
            state.set_url_param("from", custom[0].isoformat())
            state.set_url_param("to", custom[1].isoformat())
        else:
            # While the user has picked only the first day, keep the previous full range.
            custom = (url_start, url_end) if url_start and url_end else default_range
    else:
        state.set_url_param("from", None)
        state.set_url_param("to", None)
    start, end = period_window(preset, anchor, custom)

    state.seed("f_platforms", "platforms", [], state.list_parser(available))
    # Drop platforms no longer in the registry (the URL may be older than the registry).
    st.session_state["f_platforms"] = [p for p in st.session_state["f_platforms"] if p in available]
    st.sidebar.multiselect(
        t("ui.filters.platforms"),
        available,
        format_func=labeller(platform_label),
        key="f_platforms",
        placeholder=t("ui.filters.all_platforms"),
    )
    picked = list(st.session_state["f_platforms"])
    state.publish("platforms", picked, [], state.dump_list)

    state.seed("f_owner", "owner", "all", state.choice_parser(OWNER_CHOICES))
    st.sidebar.radio(
        t("ui.filters.owner"),
        OWNER_CHOICES,
        format_func=labeller(
            {o: t("ui.filters.owner_all") if o == "all" else owner_label(o) for o in OWNER_CHOICES}
        ),
        key="f_owner",
        help=t("ui.filters.owner_help"),
    )
    owner = st.session_state["f_owner"]
    state.publish("owner", owner, "all")

    filters = Filters(
        start=start,
        end=end,
        preset=preset,
        platforms=tuple(picked) if picked else None,
        owners=None if owner == "all" else (owner,),
        latest=latest,
    )
    if latest is not None:
        st.sidebar.caption(t("ui.filters.latest", date=format_date(latest)))
    st.session_state[_FILTERS_KEY] = filters
    return filters


def current() -> Filters:
    """The filters drawn by `app.py` in this run (a 90-day window ending today if none)."""
    filters = st.session_state.get(_FILTERS_KEY)
    if isinstance(filters, Filters):
        return filters
    start, end = period_window(DEFAULT_PRESET, ministry_today())
    return Filters(start=start, end=end)


# -- page pickers --------------------------------------------------------------------------


def mission_picker(
    missions: pd.DataFrame, key: str = "p_mission", param: str = "mission"
) -> str | None:
    """A mission, by translated name; its id is mirrored in `?mission=`."""
    if missions.empty:
        return None
    ids = list(missions["mission_id"])
    names = {r["mission_id"]: mission_name(r) for r in missions.to_dict("records")}
    ordered = sort_by_name(ids, names.__getitem__)  # Vietnamese order: Đ after D
    default = ids[0]  # by id: the same whatever the language, so links stay stable
    state.seed(key, param, default, state.choice_parser(ids))
    st.selectbox(
        t("ui.mission.picker"),
        ordered,
        format_func=labeller(names),
        key=key,
        placeholder=t("ui.widget.choose"),
    )
    chosen = st.session_state[key]
    state.publish(param, chosen, default)
    return chosen


def picked_mission(missions: pd.DataFrame) -> dict:
    """`mission_picker` on a page about one mission, and the chosen mission's row of
    `missions` (names, country, time zone, ...) with its `mission_id`."""
    mission_id = mission_picker(missions)
    return missions.set_index("mission_id").loc[mission_id].to_dict() | {"mission_id": mission_id}


def missions_picker(
    missions: pd.DataFrame, key: str = "p_missions", param: str = "missions"
) -> list[str]:
    """Several missions, by translated name; ids mirrored in `?missions=a,b`."""
    ids = list(missions["mission_id"])
    names = {r["mission_id"]: mission_name(r) for r in missions.to_dict("records")}
    ordered = sort_by_name(ids, names.__getitem__)
    state.seed(key, param, [], state.list_parser(ids))
    st.session_state[key] = [m for m in st.session_state[key] if m in ids]
    st.multiselect(
        t("ui.compare.missions"),
        ordered,
        format_func=labeller(names),
        key=key,
        placeholder=t("ui.compare.missions_placeholder"),
    )
    chosen = list(st.session_state[key])
    state.publish(param, chosen, [], state.dump_list)
    return chosen


def region_picker(
    regions: Sequence[str], key: str = "p_region", param: str = "region"
) -> str | None:
    """One reporting region; mirrored in `?region=`."""
    if not regions:
        return None
    default = regions[0]  # by id, as for the mission
    state.seed(key, param, default, state.choice_parser(regions))
    labels = {r: region_label(r) for r in regions}
    st.selectbox(
        t("ui.compare.region"),
        sort_by_name(regions, labels.__getitem__),
        format_func=labeller(labels),
        key=key,
        placeholder=t("ui.widget.choose"),
    )
    chosen = st.session_state[key]
    state.publish(param, chosen, default)
    return chosen


def kpi_picker(
    key: str,
    *,
    label: str | None = None,
    choices: Sequence[str] = KPI_NAMES,
    default: str = "interactions",
    param: str = "kpi",
) -> str:
    """A KPI, by translated label; mirrored in `?kpi=` (shared by the pages that rank)."""
    choices = list(choices)
    if default not in choices:
        default = choices[0]
    state.seed(key, param, default, state.choice_parser(choices))
    st.selectbox(
        label or t("ui.kpi.picker"),
        choices,
        format_func=labeller(kpi_label),
        key=key,
        placeholder=t("ui.widget.choose"),
    )
    chosen = st.session_state[key]
    state.publish(param, chosen, default)
    return chosen


def choice_picker(
    key: str,
    param: str,
    label: str,
    choices: Sequence[str],
    labels: dict[str, str],
    default: str | None = None,
    *,
    horizontal: bool = True,
) -> str:
    """A small choice among fixed options (radio), mirrored in the URL."""
    choices = list(choices)
    default = default or choices[0]
    choice_value(key, param, choices, default)
    st.radio(label, choices, format_func=labeller(labels), key=key, horizontal=horizontal)
    chosen = st.session_state[key]
    state.publish(param, chosen, default)
    return chosen


def choice_value(key: str, param: str, choices: Sequence[str], default: str | None = None) -> str:
    """The value `choice_picker(key, param, ..., choices)` will show, before it is drawn (for
    a page that reads ahead what the choice selects)."""
    return state.seed(key, param, default or choices[0], state.choice_parser(list(choices)))


def comparison_picker(filters: Filters, key: str = "p_against", param: str = "against") -> Filters:
    """What the changes compare with (previous period / a year earlier), mirrored in
    `?against=`; returns `filters` with that comparison."""
    against = choice_picker(
        key,
        param,
        t("ui.filters.against"),
        COMPARISONS,
        {c: t(f"ui.filters.against.{c}") for c in COMPARISONS},
    )
    return replace(filters, against=against)
