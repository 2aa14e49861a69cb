"""Data, the analyst's page: import exports, map the columns of exports in a language not
known yet, attach pages the registry does not know, read the import log, see how far each
mission's data reaches per platform and which missions sent nothing (the per-account detail
folded away), see the registry, and remove the sample data."""

import streamlit as st

import metrics
from connectors.base import display_text, format_label
from connectors.samples import remove_sample_data, uses_sample_data
from data import queries
from data.localtime import HOME_ZONE, ministry_time, ministry_today
from data.registry import OWNERS, propose_account_id
from i18n import format_date, format_number, t, zone_name
from i18n.collation import ranked_rows, rows_by_name, sort_by_name
from ui import export, filters, importing, mapping, state, tables
from ui.export import Column
from ui.format import (
    date_input_format,
    kind_label,
    labeller,
    mission_name,
    owner_label,
    platform_label,
    region_label,
)

state.require_frame()

st.title(t("ui.data.title"))
store = state.store()

# -- upload --------------------------------------------------------------------------------
st.subheader(t("ui.data.upload"))
st.markdown(t("ui.data.upload_help"))
with state.reader() as con:
    registry_accounts = queries.accounts(con)
account_ids = ["", *registry_accounts["account_id"]]

with st.form("upload_form", clear_on_submit=True, border=True):
    uploads = st.file_uploader(
        t("ui.data.files"),
        # .xls is BIFF8 (LinkedIn) or SpreadsheetML (old Facebook exports): both are read.
        # .tsv/.txt are what some tools name a tab-separated export.
        type=["csv", "tsv", "txt", "xlsx", "xls", "zip"],
        accept_multiple_files=True,
        key="upload_files",
    )
    account_column, as_of_column = st.columns([2, 1])
    state.hold("upload_account")  # its "" option is labelled in the user's language
    account = account_column.selectbox(
        t("ui.data.account"),
        account_ids,
        format_func=labeller({a: a for a in account_ids} | {"": t("ui.data.account_auto")}),
        help=t("ui.data.account_help"),
        key="upload_account",
        placeholder=t("ui.widget.choose"),
    )
    as_of = as_of_column.date_input(
        t("mapping.ui.as_of"),
        value=None,
        format=date_input_format(),
        help=t("mapping.ui.as_of_help"),
        key="upload_as_of",
    )
    submitted = st.form_submit_button(t("ui.data.import"), type="primary", icon=":material/upload:")

if submitted:
    if not uploads:
        st.session_state["import_report"] = [importing.Line("warning", t("ui.data.no_files"))]
    else:
        bar = st.progress(0.0, text=t("ui.data.importing"))

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(
                min(done / total, 1.0) if total else 1.0,
                text=t(
                    "ui.data.importing_file",
                    n=done,
                    total=total,
                    file=display_text(name, markdown=True),
                )
                if name
                else t("ui.data.importing"),
            )

        refused: list = []
        report = importing.import_uploads(
            store,
            [(f.name, f.getvalue()) for f in uploads],
            account=account or None,
            registry_dir=importing.registry_folder(),
            as_of=as_of,
            lang=state.language(),
            progress=progress,
            refused=refused,
        )
        bar.empty()
        # Files no format recognised wait for the mapping form (a few, each under a size cap).
        kept, too_big = mapping.keep(
            st.session_state.get(mapping.SESSION_KEY), mapping.unmapped(refused, as_of)
        )
        st.session_state[mapping.SESSION_KEY] = kept
        report += [
            importing.Line("warning", t("mapping.ui.too_big", file=display_text(f, markdown=True)))
            for f in too_big
        ]
        st.session_state["import_report"] = report

report = st.session_state.get("import_report")
if report:
    with st.container(border=True, key="import_report"):
        st.markdown(f"**{t('ui.data.report')}** — {importing.summary(report)}")
        for line in report:
            {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}[
                line.level
            ](line.text)

# -- mapping the columns of files no format recognised ---------------------------------------
registry_folder = importing.registry_folder()
page_language = state.language()
kept = st.session_state.get(mapping.SESSION_KEY) or []
if kept:
    st.subheader(t("mapping.ui.title"))
    aliases_file = display_text(registry_folder / "header_aliases.csv", 300, markdown=True)
    st.markdown(t("mapping.ui.help", file=aliases_file))
for item in kept:
    shown_name = display_text(item.source.name, markdown=True)
    with state.expander(
        t("mapping.ui.expander", file=shown_name), f"map_open_{item.key}", expanded=True
    ):
        try:
            candidates = mapping.candidate_formats(item, mapping.document(item, registry_folder))
        except Exception as error:  # a registry alias file broken since, say: never a traceback
            st.error(t("mapping.ui.unreadable", error=type(error).__name__))
            candidates = []
        if candidates:
            labels = {fmt.id: fmt.label_in() for fmt in candidates}
            format_id = st.selectbox(
                t("mapping.ui.format"),
                list(labels),
                format_func=labels.__getitem__,
                help=t("mapping.ui.format_help"),
                key=f"map_format_{item.key}",
                placeholder=t("ui.widget.choose"),
            )
            proposal = mapping.form_for(item, registry_folder, format_id)
            options = ["", *proposal.headers]
            chosen: dict[str, str | None] = {}
            with st.form(f"map_form_{item.key}_{format_id}", border=False):
                for required in (True, False):
                    group = [c for c in proposal.columns if c.required == required]
                    if not group:
                        continue
                    title = t("mapping.ui.required" if required else "mapping.ui.optional")
                    st.markdown(f"**{title}**")
                    grid = st.columns(2)  # two selects a row: a format has up to 16 columns
                    for number, choice in enumerate(group):
                        chosen[choice.column] = grid[number % 2].selectbox(
                            t("mapping.ui.column", column=choice.column),
                            options,
                            index=options.index(choice.header) if choice.header in options else 0,
                            format_func=lambda header, p=proposal: mapping.header_label(
                                p, header, page_language
                            ),
                            key=f"map_{item.key}_{format_id}_{choice.column}",
                            placeholder=t("ui.widget.choose"),
                        )
                save = st.form_submit_button(
                    t("mapping.ui.save"), type="primary", icon=":material/save:"
                )
            if save:
                lines, done = mapping.save_and_import(
                    store, item, registry_folder, format_id, chosen, lang=state.language()
                )
                st.session_state["import_report"] = lines
                if done:
                    st.session_state[mapping.SESSION_KEY] = mapping.forget(kept, item.key)
                st.rerun()
        if st.button(t("mapping.ui.discard"), key=f"map_discard_{item.key}"):
            st.session_state[mapping.SESSION_KEY] = mapping.forget(kept, item.key)
            st.rerun()

# -- pages the registry does not know --------------------------------------------------------
with state.reader() as con:
    unknown = queries.unknown_pages(con)
    all_missions = queries.missions(con)
if not unknown.empty:
    st.subheader(t("unknown.title"))
    accounts_file = display_text(registry_folder / "accounts.csv", 300, markdown=True)
    st.markdown(t("unknown.help", file=accounts_file))
    tables.show_table(
        unknown.assign(last_seen=unknown["last_seen"].map(ministry_time, na_action="ignore")),
        [
            Column("platform", t("unknown.col.platform"), values=labeller(platform_label)),
            Column("external_id", t("unknown.col.external_id")),
            Column("display_name", t("unknown.col.name")),
            Column("files", t("unknown.col.files"), export.COUNT),
            Column("rows_left_out", t("unknown.col.rows"), export.COUNT),
            Column(
                "last_seen",
                t("unknown.col.last_seen", zone=zone_name(HOME_ZONE)),
                export.DATETIME,
            ),
        ],
        "unknown_pages",
        tables.plain_scope(t("unknown.title")),
    )
    names = {m["mission_id"]: mission_name(m) for m in all_missions.to_dict("records")}
    by_name = sort_by_name(names, names.__getitem__)  # in the user's language and its order
    taken = set(registry_accounts["account_id"])
    # One picker of the pages and the form of the one chosen, not an expander per page: a
    # many-page export leaves dozens, and an expander's state follows its label (a language
    # switch would fold it away). The pages by key, listed in the table's order.
    pages_by_key = {f"{p['platform']}_{p['external_id']}": p for p in unknown.to_dict("records")}

    def page_title(key: str) -> str:
        page = pages_by_key[key]
        name = page["display_name"] if isinstance(page["display_name"], str) else "–"
        # names come from files: a newline in one is shown as \n
        return (
            f"{platform_label(page['platform'])} {display_text(page['external_id'], 80)} "
            f"({display_text(name, 80)})"
        )

    state.hold("attach_page")
    if st.session_state.get("attach_page") not in pages_by_key:
        # none chosen yet, or the one chosen was attached: the first (the only one, often)
        st.session_state["attach_page"] = next(iter(pages_by_key))
    page_key = st.selectbox(
        t("unknown.attach_pick"), list(pages_by_key), format_func=page_title, key="attach_page"
    )
    page = pages_by_key[page_key]
    page_name = page["display_name"] if isinstance(page["display_name"], str) else None
    with st.container(border=True):
        mission_column, owner_column = st.columns(2)
        # Labelled in the user's language: keep the choice when it changes.
        state.hold(f"attach_mission_{page_key}")
        state.hold(f"attach_owner_{page_key}")
        mission_id = mission_column.selectbox(
            t("unknown.mission"),
            by_name,
            index=None,
            placeholder=t("unknown.mission_placeholder"),
            format_func=names.__getitem__,
            key=f"attach_mission_{page_key}",
        )
        owner = owner_column.selectbox(
            t("unknown.owner"),
            OWNERS,
            format_func=labeller({o: owner_label(o) for o in OWNERS}),
            key=f"attach_owner_{page_key}",
            placeholder=t("ui.widget.choose"),
        )
        proposed = (
            propose_account_id(mission_id, page["platform"], owner, taken) if mission_id else ""
        )
        account_id = st.text_input(
            t("unknown.account_id"),
            value=proposed,
            help=t("unknown.account_id_help"),
            key=f"attach_id_{page_key}_{mission_id}_{owner}",
        )
        if st.button(
            t("unknown.add"),
            type="primary",
            icon=":material/add_link:",
            disabled=not (mission_id and account_id.strip()),
            key=f"attach_{page_key}",
        ):
            st.session_state["import_report"] = importing.attach_page(
                store,
                platform=page["platform"],
                external_id=page["external_id"],
                display_name=page_name,
                mission_id=mission_id,
                owner=owner,
                account_id=account_id.strip(),
                registry_dir=registry_folder,
                lang=state.language(),
                mission_label=names[mission_id],
            )
            st.rerun()

# -- import log ------------------------------------------------------------------------------
with state.reader() as con:
    st.subheader(t("ui.data.log"))
    log = queries.import_log(con)
    if log.empty:
        st.info(t("ui.data.log_empty"))
    else:
        outcomes = {o: t(f"ui.data.outcome.{o}") for o in log["outcome"].unique()}
        origins = {o: t(f"ui.data.origin.{o}") for o in log["origin"].dropna().unique() if o}
        tables.show_table(
            # The store keeps UTC; people read the ministry's clock.
            log.assign(
                imported_at=log["imported_at"].map(ministry_time, na_action="ignore"),
                message=importing.log_messages(log),
            ),
            [
                Column(
                    "imported_at",
                    t("ui.col.imported_at", zone=zone_name(HOME_ZONE)),
                    export.DATETIME,
                ),
                # names come from files and zips: a newline in one is shown as \n
                Column("file_name", t("ui.col.file"), values=lambda n: display_text(n, 160)),
                Column("outcome", t("ui.col.outcome"), values=outcomes),
                Column("format", t("ui.col.format"), values=format_label),
                Column("account_id", t("ui.col.account")),
                Column("row_count", t("ui.col.rows"), export.COUNT),
                Column("as_of", t("ui.col.as_of"), export.DATE),
                Column("origin", t("ui.col.origin"), values=origins),
                Column("message", t("ui.col.message")),
            ],
            "import_log",
            tables.plain_scope(t("ui.data.log")),
        )
        st.caption(t("ui.data.log_note"))

    # -- coverage ---------------------------------------------------------------------------
    # "Today" is the ministry's date, whatever the zone of the host the dashboard runs on.
    today = ministry_today()
    st.subheader(t("coverage.title"))
    st.markdown(t("coverage.help", today=format_date(today)))
    by_mission = metrics.mission_coverage(con, today)
    if by_mission.platforms.empty and by_mission.sent_nothing.empty:
        st.info(t("coverage.empty"))
    else:
        table = by_mission.platforms
        marker = {
            name: t(
                f"coverage.staleness.{name}", fresh=metrics.FRESH_DAYS, stale=metrics.STALE_DAYS
            )
            for name in metrics.STALENESS
        }
        # The most out of date first, as the metric orders them, but a tie (every mission
        # exported on the same day) by name in the user's language, not by id.
        table = table.assign(
            mission=[mission_name(r) for r in table.to_dict("records")],
            geography=[
                t("coverage.geography", n=format_number(n), date=format_date(d))
                if d is not None
                else None
                for d, n in zip(table["geography_as_of"], table["geography_countries"], strict=True)
            ],
        )
        tables.show_table(
            ranked_rows(table, "days_stale", "mission", unknown_first=True),
            [
                Column("mission", t("coverage.col.mission")),
                Column("platform", t("coverage.col.platform"), values=labeller(platform_label)),
                Column("staleness", t("coverage.col.status"), values=marker),
                Column("days_stale", t("coverage.col.days_stale"), export.COUNT),
                Column("last_day", t("coverage.col.last_day"), export.DATE),
                Column("first_day", t("coverage.col.first_day"), export.DATE),
                Column("posts", t("coverage.col.posts"), export.COUNT),
                Column("daily_days", t("coverage.col.daily_days"), export.COUNT),
                Column("geography", t("coverage.col.geography")),
            ],
            "mission_coverage",
            tables.plain_scope(f"{t('coverage.title')} · {format_date(today)}"),
        )
        st.caption(t("coverage.note"))

        silent = by_mission.sent_nothing
        silent = rows_by_name(silent, [mission_name(r) for r in silent.to_dict("records")])
        st.markdown(f"**{t('coverage.sent_nothing', n=format_number(len(silent)))}**")
        if silent.empty:
            st.success(t("coverage.sent_nothing_none"))
        else:
            st.caption(t("coverage.sent_nothing_help"))
            tables.show_table(
                silent.assign(mission=[mission_name(r) for r in silent.to_dict("records")]),
                [
                    Column("mission", t("coverage.col.mission")),
                    Column(
                        "reason",
                        t("coverage.col.reason"),
                        values={r: t(f"coverage.reason.{r}") for r in silent["reason"].unique()},
                    ),
                ],
                "sent_nothing",
                tables.plain_scope(
                    f"{t('coverage.sent_nothing', n=format_number(len(silent)))} · "
                    f"{format_date(today)}"
                ),
            )

    # The per-account detail (snapshots, daily series, follower totals, imports) is for
    # analysts checking an import, not for reading coverage: behind a switch, and read and
    # drawn only when it is on (a table of every account: a third of the page's run, and of a
    # click on it; 1 s a click at 10x the ministry). A keyed switch, not an expander, whose
    # state Streamlit keys by its label: switching the language would fold it away.
    state.hold("data_per_account")
    if st.toggle(t("coverage.per_account_show"), key="data_per_account"):
        coverage = metrics.coverage(con)
        if coverage.empty:
            st.info(t("ui.data.coverage_empty"))
        else:
            dates = ("first_post", "last_post", "snapshot_as_of", "daily_first", "daily_last")
            follower_days = t("ui.col.follower_days")
            tables.show_table(
                coverage,
                [
                    Column("account_id", t("ui.col.account")),
                    Column("mission_id", t("ui.col.mission_id")),
                    Column("platform", t("ui.col.platform"), values=labeller(platform_label)),
                    Column("owner", t("ui.col.owner"), values=labeller(owner_label)),
                    Column("posts", t("ui.col.posts"), export.COUNT),
                    *(Column(c, t(f"ui.col.{c}"), export.DATE) for c in dates),
                    Column("daily_metrics", t("ui.col.daily_metrics")),
                    Column(
                        "follower_days_reported",
                        t("export.col.reported", column=follower_days),
                        export.COUNT,
                    ),
                    Column(
                        "follower_days_rebuilt",
                        t("export.col.rebuilt", column=follower_days),
                        export.COUNT,
                    ),
                ],
                "coverage",
                tables.plain_scope(t("coverage.per_account")),
            )
            st.caption(t("ui.data.coverage_note"))

    # -- registry -------------------------------------------------------------------------
    st.subheader(t("ui.data.registry"))
    st.markdown(t("ui.data.registry_help"))
    missions = all_missions  # read above, with the unknown pages
    # One table at a time, chosen by id (`?registry=`), not tabs: a tab's content is drawn
    # whether it is shown or not, and the registry's accounts are as many rows as the
    # per-account detail above.
    registry_labels = {
        "missions": t("ui.data.missions_tab", n=len(missions)),
        "accounts": t("ui.data.accounts_tab", n=len(registry_accounts)),
    }
    registry_view = filters.choice_picker(
        "data_registry",
        "registry",
        t("ui.data.registry_view"),
        list(registry_labels),
        registry_labels,
    )
    if registry_view == "missions":
        tables.show_table(
            missions.assign(mission=[mission_name(r) for r in missions.to_dict("records")]),
            [
                Column("mission_id", t("ui.col.mission_id")),
                Column("mission", t("ui.col.mission")),
                Column("kind", t("ui.col.kind"), values=labeller(kind_label)),
                Column("country", t("ui.col.country")),
                Column("city", t("ui.col.city")),
                Column("region", t("ui.col.region"), values=labeller(region_label)),
                Column("timezone", t("ui.col.timezone")),
                Column("accounts", t("ui.col.accounts"), export.COUNT),
            ],
            "registry_missions",
            tables.plain_scope(registry_labels["missions"]),
        )
    else:
        tables.show_table(
            registry_accounts,
            [
                Column("account_id", t("ui.col.account")),
                Column("mission_id", t("ui.col.mission_id")),
                Column("platform", t("ui.col.platform"), values=labeller(platform_label)),
                Column("owner", t("ui.col.owner"), values=labeller(owner_label)),
                Column("handle", t("ui.col.handle")),
                Column("external_id", t("ui.col.external_id")),
            ],
            "registry_accounts",
            tables.plain_scope(registry_labels["accounts"]),
        )

# -- sample data -------------------------------------------------------------------------------
if uses_sample_data(store):
    st.subheader(t("ui.data.samples"))
    st.markdown(t("ui.data.samples_help"))
    confirm = st.checkbox(t("ui.data.samples_confirm"), key="samples_confirm")
    if st.button(
        t("ui.data.samples_remove"),
        disabled=not confirm,
        icon=":material/delete:",
        key="samples_remove",
    ):
        try:
            remove_sample_data(store)
        except Exception as error:  # never a traceback on screen
            st.error(t("ui.data.unexpected_error", error=type(error).__name__))
        else:
            st.session_state["import_report"] = [
                importing.Line("success", t("ui.data.samples_removed"))
            ]
            st.rerun()
