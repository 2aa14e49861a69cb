"""Events on the dashboard: the registry's events.csv as the pages read and edit it, the events
a chart marks, and the Events page's table and editor.

The events are read from the registry folder (`ui.importing.registry_folder`) at every run: an
analyst may edit the file by hand while the dashboard runs. A file with a bad row gives no
events to the charts (they stay as they were) and its one-line message to the Events page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import i18n
import metrics
from data.events import (
    EVENT_COLUMNS,
    EVENT_KINDS,
    Event,
    EventsError,
    load_events,
    read_rows,
    save_events,
)
from i18n import t
from ui import export, state
from ui.export import Column
from ui.format import kpi_label, period_text
from ui.importing import registry_folder


def registry_events() -> tuple[list[Event], EventsError | None]:
    """The events of the registry folder, and the error that refused the file (then none)."""
    try:
        return load_events(registry_folder()), None
    except EventsError as error:
        return [], error


def chart_events(con: duckdb.DuckDBPyConnection, scope: metrics.Scope) -> pd.DataFrame:
    """The events a time-series chart of `scope` marks (`metrics.events_in`)."""
    events, _ = registry_events()
    return metrics.events_in(con, scope, tuple(events))


def event_label(event: Event, lang: str | None = None) -> str:
    """`Quốc khánh 2/9 2026 · 02/09/2026 – 02/09/2026`."""
    lang = lang or i18n.language()
    return f"{event.name(lang)} · {period_text(event.start, event.end, lang)}"


def default_event(events: Sequence[Event], latest: date | None = None) -> Event:
    """The event a picker starts on: the newest that started by `latest` (the last day with
    data; next year's Tết has nothing to show yet), else the newest."""
    newest = sorted(events, key=lambda e: e.start, reverse=True)
    started = [e for e in newest if latest is None or e.start <= latest]
    return (started or newest)[0]


def event_picker(
    events: Sequence[Event],
    latest: date | None = None,
    key: str = "ev_event",
    param: str = "event",
) -> Event:
    """One of `events` (newest first), by name; its id is mirrored in `?event=`. The default
    is the newest that started by `latest` (the last day with data): next year's Tết has
    nothing to show yet."""
    by_id = {e.event_id: e for e in sorted(events, key=lambda e: e.start, reverse=True)}
    ids = list(by_id)
    default = default_event(events, latest).event_id
    state.seed(key, param, default, state.choice_parser(ids))
    if st.session_state.get(key) not in by_id:
        st.session_state[key] = default
    st.selectbox(
        t("events.picker"),
        ids,
        format_func=lambda i: event_label(by_id[i]),
        key=key,
        placeholder=t("ui.widget.choose"),
    )
    chosen = st.session_state[key]
    state.publish(param, chosen, default)
    return by_id[chosen]


def uplift_frame(result: Mapping[str, Mapping[str, float | int | None]]) -> pd.DataFrame:
    """`metrics.event_uplift`'s result as one row per KPI (the values as computed)."""
    rows = [{"kpi": kpi_label(name), **values} for name, values in result.items()]
    frame = pd.DataFrame(rows, columns=["kpi", "event", "baseline", "uplift", "low", "high"])
    for column in ("event", "baseline", "uplift", "low", "high"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def uplift_columns() -> list[Column]:
    """The columns of the uplift table, in the user's language."""
    return [
        Column("kpi", t("events.col.kpi"), export.TEXT),
        Column("event", t("events.col.event"), export.COUNT),
        Column("baseline", t("events.col.baseline"), export.NUMBER),
        Column("uplift", t("events.col.uplift"), export.RATIO, help=t("events.col.uplift_help")),
        Column("low", t("events.col.low"), export.RATIO, help=t("events.col.interval_help")),
        Column("high", t("events.col.high"), export.RATIO, help=t("events.col.interval_help")),
    ]


def events_frame(rows: Sequence[Mapping[str, str]]) -> pd.DataFrame:
    """Rows of events.csv as the editor's table: every column text, as in the file."""
    return pd.DataFrame(list(rows), columns=list(EVENT_COLUMNS), dtype="string")


def events_editor(key: str = "ev_editor") -> None:
    """The events.csv editor: a table to edit, add to and delete from, saved only when every
    row passes (one line saying which row and what to do otherwise), and a CSV import that
    replaces the table the same way. Saving writes events.csv atomically. The table shows the
    file as it is, a refused file included, so that it can be corrected here."""
    folder = registry_folder()
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash)
    st.caption(t("events.editor_help", kinds=", ".join(EVENT_KINDS)))
    edited = st.data_editor(
        events_frame(read_rows(folder)),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            "kind": st.column_config.SelectboxColumn("kind", options=list(EVENT_KINDS)),
        },
    )
    if st.button(t("events.save"), key=f"{key}_save", icon=":material/save:"):
        _save(folder, edited.to_dict("records"), "events.saved", key)
    upload = st.file_uploader(t("events.import"), type=["csv"], key=f"{key}_upload")
    if upload is not None and st.button(
        t("events.import_button"), key=f"{key}_import", icon=":material/upload:"
    ):
        from data.events import parse_events

        try:
            rows = [e.row() for e in parse_events(upload.getvalue().decode("utf-8-sig"))]
        except (EventsError, UnicodeDecodeError) as error:
            message = error.message() if isinstance(error, EventsError) else str(error)
            st.error(t("events.read_error", message=message))
            return
        _save(folder, rows, "events.imported", key)


_FLASH = "_events_saved"


def _save(folder: Path, rows: list[dict[str, object]], done: str, key: str) -> None:
    try:
        saved = save_events(folder, rows)
    except EventsError as error:
        st.error(error.message())
        return
    # Run the page again on the saved file (its pickers, table and charts), saying so once.
    st.session_state[_FLASH] = t(done, n=len(saved), file=str(folder / "events.csv"))
    st.session_state.pop(key, None)
    st.rerun()
