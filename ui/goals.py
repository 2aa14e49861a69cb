"""Objectives and alerts on the pages: a mission's objectives with progress and on-track, the
analysts' editor of its rows of `objectives.csv`, the missions off track, and the alerts table.

Numbers come from `metrics` (progress, off_track, alerts); the file is read, checked and
written by `data.objectives` (atomically). The registry folder is the dashboard's
(`ui.importing.registry_folder`). A refused file is shown as its one translated line, never a
traceback; a page still draws when the file is bad.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import i18n
import metrics
from data import queries
from data.objectives import (
    COLUMNS,
    Objective,
    ObjectivesError,
    objectives_file,
    read_rows,
    write_objectives,
)
from i18n import t
from i18n.collation import ranked_rows, rows_by_name
from metrics.objectives import kpi_units
from ui import export, state, tables
from ui.export import Column, ExportScope
from ui.format import date_input_format, format_kpi, kpi_label, mission_name, platform_label
from ui.importing import registry_folder

# The Overview lists the network's alerts of the window's last week only: over 90 days the 95
# missions give thousands (3,050 on the generated data), which nobody reads on a landing page,
# and each costs a read of its posts. The Mission page lists its mission's for the whole window.
RECENT_ALERT_DAYS = 7


def objectives_path() -> Path:
    """The dashboard's objectives file."""
    return objectives_file(registry_folder())


def load(con: duckdb.DuckDBPyConnection) -> tuple[tuple[Objective, ...], str | None]:
    """The objectives of the file (checked), and the refusal's line when the file is bad
    (then no objectives)."""
    try:
        return metrics.read_objectives(con, objectives_path()), None
    except ObjectivesError as error:
        return (), error.message(i18n.language())


def _objective_table(frame: pd.DataFrame, with_mission: bool) -> tuple[pd.DataFrame, list]:
    lang = i18n.language()
    shown = frame.copy()
    # A column of targets mixes units (a share, a count): each value is written in its KPI's
    # format; progress, a fraction of the target whatever the unit, stays a sortable number.
    for column in ("target", "actual", "expected"):
        shown[column] = [
            format_kpi(k, v, lang=lang) for k, v in zip(shown["kpi"], shown[column], strict=True)
        ]
    shown["mission"] = [mission_name(r, lang=lang) for r in shown.to_dict("records")]
    if with_mission:  # by mission name, not id; a mission's objectives in metrics' order
        shown = rows_by_name(shown, shown["mission"].tolist())
    columns = [
        Column("mission", t("objectives.col.mission"), width="large") if with_mission else None,
        Column("kpi", t("objectives.col.kpi"), values=lambda k: kpi_label(k, lang=lang)),
        Column(
            "on_track",
            t("objectives.col.on_track"),
            values={True: t("objectives.on_track.true"), False: t("objectives.on_track.false")},
        ),
        Column("progress", t("objectives.col.progress"), export.RATIO),
        Column("actual", t("objectives.col.actual")),
        Column("expected", t("objectives.col.expected")),
        Column("target", t("objectives.col.target")),
        Column(
            "reading", t("objectives.col.reading"), values=lambda r: t(f"objectives.reading.{r}")
        ),
        Column("start", t("objectives.col.start"), export.DATE),
        Column("end", t("objectives.col.end"), export.DATE),
        Column("status", t("objectives.col.status"), values=lambda s: t(f"objectives.status.{s}")),
    ]
    return shown, [c for c in columns if c is not None]


def mission_objectives(
    con: duckdb.DuckDBPyConnection, mission_id: str, on: date, scope: ExportScope
) -> None:
    """The Mission page's block: the mission's objectives on day `on`, then the editor."""
    st.subheader(t("objectives.title"))
    objectives, refused = load(con)
    if refused:
        st.error(t("objectives.file_refused", message=refused))
    mine = tuple(o for o in objectives if o.mission_id == mission_id)
    if not mine:
        st.info(t("objectives.none"))
    else:
        st.caption(t("objectives.caption", date=i18n.format_date(on)))
        shown, columns = _objective_table(metrics.progress(con, mine, on), with_mission=False)
        tables.show_table(shown, columns, "objectives", scope)
    editor(con, mission_id)


def editor(con: duckdb.DuckDBPyConnection, mission_id: str) -> None:
    """The analysts' editor of this mission's rows of objectives.csv: checked as a whole file
    before it is written, in one step."""
    path = objectives_path()
    with state.expander(t("objectives.edit"), f"objectives_open_{mission_id}"):
        st.caption(t("objectives.edit_help"))
        try:
            rows = read_rows(path)
        except ObjectivesError as error:  # a broken header: fix the file by hand first
            st.error(error.message(i18n.language()))
            return
        others = [r for r in rows if r["mission_id"] != mission_id and any(r.values())]
        mine = pd.DataFrame(
            [r for r in rows if r["mission_id"] == mission_id], columns=COLUMNS
        ).drop(columns="mission_id")
        for column in ("start", "end"):
            mine[column] = pd.to_datetime(mine[column], errors="coerce").dt.date
        units = kpi_units()
        edited = st.data_editor(
            mine,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=f"objectives_editor_{mission_id}",
            column_config={
                "kpi": st.column_config.SelectboxColumn(
                    t("objectives.col.kpi"),
                    options=list(units),
                    # the label and the file's name: analysts also edit the file by hand
                    format_func=lambda k: f"{kpi_label(k)} ({k})",
                    required=True,
                ),
                # days written as the date pickers write them (31/10/2026 in Vietnamese)
                "start": st.column_config.DateColumn(
                    t("objectives.col.start"), format=date_input_format(), required=True
                ),
                "end": st.column_config.DateColumn(
                    t("objectives.col.end"), format=date_input_format(), required=True
                ),
                "target": st.column_config.TextColumn(t("objectives.col.target"), required=True),
            },
        )
        if st.button(t("objectives.save"), key=f"objectives_save_{mission_id}"):
            new = [
                {
                    "mission_id": mission_id,
                    "kpi": r.get("kpi") or "",
                    "start": _day_text(r.get("start")),
                    "end": _day_text(r.get("end")),
                    "target": "" if pd.isna(r.get("target")) else str(r.get("target")),
                }
                for r in edited.to_dict("records")
            ]
            # A row added and left empty is no objective (its mission id is implied, not typed).
            new = [r for r in new if any(r[c] for c in COLUMNS if c != "mission_id")]
            missions = list(queries.missions(con)["mission_id"])
            try:
                saved = write_objectives(path, others + new, units, missions)
            except ObjectivesError as error:
                st.error(error.message(i18n.language()))
            except OSError as error:
                st.error(t("objectives.save_failed", file=path, detail=error))
            else:
                count = sum(1 for o in saved if o.mission_id == mission_id)
                st.success(t("objectives.saved", count=count, file=path))


def _day_text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def off_track(con: duckdb.DuckDBPyConnection, on: date, scope: ExportScope) -> None:
    """The Overview's block: every objective off track on day `on`, by mission."""
    st.subheader(t("objectives.off_track_title"))
    objectives, refused = load(con)
    if refused:
        st.error(t("objectives.file_refused", message=refused))
    if not objectives:
        if not refused:
            st.info(t("objectives.no_file"))
        return
    frame = metrics.off_track(con, objectives, on)
    if frame.empty:
        st.info(t("objectives.off_track_none", date=i18n.format_date(on)))
        return
    st.caption(t("objectives.off_track_caption", date=i18n.format_date(on)))
    shown, columns = _objective_table(frame, with_mission=True)
    tables.show_table(shown, columns, "objectives_off_track", scope)


def recent(scope: metrics.Scope, days: int = RECENT_ALERT_DAYS) -> metrics.Scope:
    """The scope over the last `days` days of its window (the whole window when shorter)."""
    return scope.with_window(max(scope.start, scope.end - timedelta(days=days - 1)), scope.end)


def alerts(
    con: duckdb.DuckDBPyConnection,
    scope: metrics.Scope,
    files: ExportScope,
    with_mission: bool,
    name: str = "alerts",
    note: str | None = None,
) -> None:
    """The alerts of the scope's accounts and window, newest first, each with its day's best
    post (text and link); `note` says which days, when not the page's whole window."""
    st.subheader(t("alerts.title"))
    st.caption(t("alerts.caption"))
    if note:
        st.caption(note)
    frame = metrics.alerts(con, scope)
    if frame.empty:
        st.info(t("alerts.none"))
        return
    lang = i18n.language()
    frame = frame.assign(mission=[mission_name(r, lang=lang) for r in frame.to_dict("records")])
    # Newest first; a day's alerts by mission name (not id), each mission's in metrics' order.
    frame = ranked_rows(frame, "day", "mission").reset_index(drop=True)
    top = [posts[0] if posts else {} for posts in frame["posts"]]
    frame = frame.assign(
        post=[p.get("text") for p in top],
        link=[p.get("permalink") for p in top],
    ).drop(columns="posts")
    columns = [
        Column("day", t("alerts.col.day"), export.DATE),
        Column("mission", t("alerts.col.mission"), width="medium") if with_mission else None,
        Column("platform", t("alerts.col.platform"), values=lambda p: platform_label(p, lang=lang)),
        Column("metric", t("alerts.col.metric"), values=lambda m: t(f"alerts.metric.{m}")),
        Column("direction", t("alerts.col.direction"), values=lambda d: t(f"alerts.direction.{d}")),
        Column("value", t("alerts.col.value"), export.COUNT),
        Column("median", t("alerts.col.median"), export.NUMBER, help=t("alerts.col.median_help")),
        Column("mad", t("alerts.col.mad"), export.NUMBER, help=t("alerts.col.mad_help")),
        Column("post", t("alerts.col.post"), width="large"),
        Column("link", t("alerts.col.link"), export.LINK, link_text=t("alerts.open_post")),
        Column("account_id", t("alerts.col.account")),
    ]
    tables.show_table(frame, [c for c in columns if c is not None], name, files)
