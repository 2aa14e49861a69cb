"""Events: what a state visit, a national day or a campaign did for a mission, against the
mission's own baseline (the days just before it), with an honest interval; the day-by-day series
with the event and the baseline marked; and the editor of the registry's events.csv."""

import streamlit as st

import i18n
import metrics
from data import queries
from i18n import format_number, t
from ui import charts, export, filters, state, tables
from ui.events import (
    event_picker,
    events_editor,
    registry_events,
    uplift_columns,
    uplift_frame,
)
from ui.export import Column
from ui.format import kpi_label, mission_name, period_text

state.require_frame()

current = filters.current()
events, error = registry_events()
lang = i18n.language()

st.title(t("events.title"))
st.caption(t("events.intro"))
if error is not None:
    st.error(t("events.read_error", message=error.message()))

with state.reader() as con:
    missions = queries.missions_with_accounts(con)
    if missions.empty or not current.has_data:
        st.info(t("ui.app.no_data"))
    elif not events:
        st.info(t("events.none"))
    else:
        mission = filters.picked_mission(missions)
        mission_id = mission["mission_id"]
        everything = metrics.Scope(
            min(e.start for e in events), max(e.end for e in events), missions=(mission_id,)
        )
        concerned = set(metrics.events_in(con, everything, tuple(events))["event_id"])
        mine = [e for e in events if e.event_id in concerned]
        if not mine:
            st.info(t("events.none_for_mission"))
        else:
            event = event_picker(mine, current.latest)
            baseline_days = int(
                st.number_input(
                    t("events.baseline_days"),
                    min_value=1,
                    max_value=366,
                    value=event.days,
                    step=1,
                    help=t("events.baseline_days_help"),
                    key=f"ev_baseline_{event.event_id}",
                )
            )
            base_start, base_end = metrics.baseline_window(event, baseline_days)
            st.caption(
                t(
                    "events.windows",
                    event=period_text(event.start, event.end),
                    days=format_number(event.days),
                    baseline=period_text(base_start, base_end),
                )
            )
            title = f"{event.name(lang)} · {mission_name(mission)}"

            st.subheader(t("events.results"))
            result = metrics.event_uplift(con, mission_id, event, baseline_days)
            tables.show_table(
                uplift_frame(result),
                uplift_columns(),
                "event_uplift",
                tables.plain_scope(title),
            )
            if baseline_days < metrics.MIN_BASELINE_DAYS:
                st.info(t("events.short_baseline", n=metrics.MIN_BASELINE_DAYS))
            st.caption(t("events.method"))

            st.subheader(t("events.chart"))
            metric = filters.choice_picker(
                "ev_metric",
                "metric",
                t("events.chart_metric"),
                metrics.EVENT_KPIS,
                {m: kpi_label(m) for m in metrics.EVENT_KPIS},
            )
            series = metrics.event_series(con, mission_id, event, metric, baseline_days)
            if series["value"].notna().sum() == 0:
                st.info(t("ui.chart.no_data"))
            else:
                fig = charts.line_chart(
                    series,
                    x="date",
                    y="value",
                    series=None,
                    y_title=kpi_label(metric),
                    markers=True,
                )
                charts.add_spans(
                    fig,
                    [
                        (base_start, base_end, t("events.band.baseline"), charts.BASELINE_COLOR),
                        (event.start, event.end, event.name(lang), charts.EVENT_COLOR),
                    ],
                )
                charts.show_chart(
                    fig,
                    series,
                    f"event-{metric}",
                    f"{title} · {kpi_label(metric)}",
                    scope=tables.plain_scope(title),
                    columns=[
                        Column("date", t("ui.col.date"), export.DATE),
                        Column("value", kpi_label(metric), export.COUNT),
                        Column(
                            "part",
                            t("events.col.event"),
                            values=lambda p: t(f"events.band.{p}"),
                        ),
                    ],
                )

st.divider()
with state.expander(
    t("events.editor"), "events_editor_open", expanded=not events, force_open=error is not None
):
    events_editor()
