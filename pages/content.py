"""Content: what one mission posts and when it works.

Sections: the formats of its posts (posts, interactions, interactions per post by format) and
the best time to post (a weekday x hour heat map of the median engagement rate, in the mission's
local time). The languages and themes sections join them in `more_sections` (see there). Every
number comes from `metrics` (`post_formats`, `best_time`); the mission and the sidebar's period,
platforms and owners are held like on the other pages (`ui.filters`, `ui.state`).
"""

import streamlit as st

import i18n
import metrics
from data import queries
from i18n import format_number, t
from ui import charts, export, filters, heatmap, state, tables
from ui.export import Column, ExportScope
from ui.filters import Filters
from ui.format import mission_name, period_text

state.require_frame()


def formats_section(
    con: object, scope: metrics.Scope, mission_id: str, title: str, files: ExportScope
) -> None:
    """Posts, interactions and interactions per post by format, as a table and a bar chart."""
    st.subheader(t("content.formats.title"))
    kinds = metrics.post_formats(con, scope)
    if kinds.empty:
        st.info(t("content.formats.none"))
        return
    lang = i18n.language()
    columns = [
        Column(
            "format", t("content.col.format"), values=lambda f: t(f"content.format.{f}", lang=lang)
        ),
        tables.kpi_column("posts"),
        Column("share_of_posts", t("content.col.share_of_posts"), export.RATIO),
        tables.kpi_column("interactions"),
        Column("interactions_per_post", t("content.col.interactions_per_post"), export.RATE),
        Column("posts_with_interactions", t("content.col.posts_with_interactions"), export.COUNT),
    ]
    st.caption(t("content.formats.note"))
    # The table at full width: six columns do not fit half a laptop's screen.
    tables.show_table(kinds, columns, "content_formats", files.titled(title))
    # A format whose interactions are unknown gets no bar (a bar would say 0).
    known = kinds[kinds["interactions_per_post"].notna()]
    if known.empty:
        return
    chart_title = t("content.formats.chart")
    st.markdown(f"**{chart_title}**")
    fig = charts.bar_ranking(
        [t(f"content.format.{f}") for f in known["format"]],
        list(known["interactions_per_post"]),
        texts=[format_number(v, 1) for v in known["interactions_per_post"]],
        x_title=t("content.col.interactions_per_post"),
    )
    charts.show_chart(
        fig,
        kinds,
        f"{mission_id}-formats",
        chart_title,
        scope=files.titled(chart_title),
        columns=columns,
    )


def best_time_section(
    con: object, scope: metrics.Scope, mission_id: str, zone: str, files: ExportScope
) -> None:
    """The weekday x hour heat map, with what it leaves out said under it."""
    st.subheader(t("content.best.title"))
    result = metrics.best_time(con, scope)
    st.caption(t("content.best.intro", zone=zone))
    if result.cells.empty:
        st.info(t("content.best.none"))
    else:
        title = t("content.best.chart")
        heatmap.show_best_time(
            result.cells,
            result.min_posts,
            f"{mission_id}-best-time",
            title,
            scope=files.titled(title),
        )
        st.caption(t("content.best.thin_note", n=result.min_posts))
    notes = [t("content.best.why_rate")]
    if result.untimed:
        notes.append(t("content.best.untimed", n=format_number(result.untimed)))
    if result.unrated:
        notes.append(t("content.best.unrated", n=format_number(result.unrated)))
    st.caption(" ".join(notes))


def more_sections(con: object, scope: metrics.Scope, mission: dict, current: Filters) -> None:
    """LEAD: THE LANGUAGES AND THEMES SECTIONS GO HERE after merging the `langs` and `themes`
    branches (issue #7 parts 1 and 2; e.g. host_language_share and the themes table of
    `metrics`). It draws nothing until then, on purpose: the page shows no empty section."""
    return None


current = filters.current()
with state.reader() as con:
    missions = queries.missions_with_accounts(con)
    st.title(t("content.title"))
    if missions.empty or not current.has_data:
        st.info(t("ui.app.no_data"))
        st.stop()

    mission_id = filters.mission_picker(missions)
    mission = missions.set_index("mission_id").loc[mission_id].to_dict() | {
        "mission_id": mission_id
    }
    zone = str(mission.get("timezone") or "")
    name = mission_name(mission)
    st.header(name)
    # Nothing here is compared with another period: the caption and the files give the period.
    period = period_text(current.start, current.end)
    st.caption(" · ".join([period, t("content.intro", zone=zone)]))
    scope = current.scope(missions=[mission_id])
    files = tables.page_scope(current, "", missions=name, period=period)

    formats_section(con, scope, mission_id, t("content.formats.title"), files)
    best_time_section(con, scope, mission_id, zone, files)
    more_sections(con, scope, mission, current)
