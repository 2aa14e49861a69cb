"""Every table the dashboard shows, drawn one way: sorted by value, with CSV and Excel downloads.

The frame keeps its values typed (`ui/export.py` `Column`): counts and ranks as integers, ratios
as fractions, so that clicking a header sorts by value (18,921 before 143,985; rank 2 before
10), not as text. The language's way of writing them (`1.234` in Vietnamese, `3,4 %`) is a
display format laid over the values (a pandas Styler), and unknown shows as `–`
(`placeholder`), never 0. The initial order is the page's (unknown last).

Streamlit's header sort compares an unknown cell as empty text: it comes first in ascending
order and last in descending order (the way a ranking is read).

Downloads are made only when clicked (a callable `data`, on a server thread): the CSV and the
Excel workbook carry the table's scope under it (`ExportScope`).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

import i18n
from i18n import format_date, format_datetime, format_number, format_percent, t
from ui import export
from ui.export import Column, ExportScope

_LOG = logging.getLogger(__name__)
PLACEHOLDER = "–"  # unknown, on screen
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_stem(name: str) -> str:
    """A safe file name: `diplopulse-<name>` in lower-case letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "chart"
    return f"diplopulse-{slug}"


def safe(render: Callable[[], bytes], lang: str) -> bytes:
    """`render()`, or an explanatory text if it fails.

    Runs on a server thread after the click; an exception there would leave the user with a
    broken download and no message, so it is logged and a short text is handed back instead.
    """
    try:
        return render()
    except Exception:
        _LOG.exception("making a download failed")
        return t("ui.chart.render_failed", lang=lang).encode("utf-8")


# -- scope -------------------------------------------------------------------------------------


def uses_samples() -> Callable[[], bool]:
    """A function telling whether the store holds the bundled made-up sample data (the
    banner's rule), for a file's scope: asked when the file is made, not when the page is
    drawn, so that a page's render runs no query for it."""
    from connectors.samples import uses_sample_data
    from ui import state

    store = state.store()

    def ask() -> bool:
        try:
            return uses_sample_data(store)
        except Exception:  # the scope line is not worth a broken file
            _LOG.exception("could not tell whether the store holds sample data")
            return False

    return ask


def page_scope(
    filters: Any,
    title: str,
    *,
    missions: str | None = None,
    all_owners: bool = False,
    period: str | None = None,
) -> ExportScope:
    """The scope of a file made on a page: its title, then the sidebar's period (and the
    comparison), platforms and accounts, the `missions` the page narrowed to (a name, a list,
    a region), and "sample data" when it is. `filters` is `ui.filters.current()`;
    `all_owners` for a view that shows mission and ambassador accounts whatever the filter;
    `period` for a view that compares with nothing (the period alone, no comparison)."""
    from ui.format import owner_label, platform_label

    lang = i18n.language()
    platforms = getattr(filters, "platforms", None)
    owners = None if all_owners else getattr(filters, "owners", None)
    return export.describe_scope(
        title,
        period=period or filters.describe(),
        platforms=[platform_label(p, lang=lang) for p in platforms] if platforms else None,
        accounts=", ".join(owner_label(o, lang=lang) for o in owners)
        if owners
        else t("ui.filters.owner_all", lang=lang),
        missions=missions,
        sample=uses_samples(),
        lang=lang,
    )


def plain_scope(title: str) -> ExportScope:
    """The scope of a table that no filter narrows (the registry, the import log)."""
    return ExportScope(title=title, sample=uses_samples(), sample_line=t("export.scope.sample"))


# -- screen ------------------------------------------------------------------------------------


# Babel takes ~35 µs a number; a rerun shows the same numbers again, so they are remembered
# (the first render of a 95-mission table pays it once, later ones do not).
@functools.lru_cache(maxsize=65_536)
def _number_text(value: float, decimals: int, lang: str, trim: bool = False) -> str:
    return format_number(value, decimals, lang=lang, trim=trim)


@functools.lru_cache(maxsize=65_536)
def _percent_text(value: float, lang: str) -> str:
    return format_percent(value, 2, lang=lang)


def _formatter(column: Column, lang: str) -> Callable[[Any], str] | None:
    kind = column.kind
    if kind == export.COUNT:
        return lambda v: _number_text(int(v), 0, lang)
    if kind == export.RANK:
        return lambda v: str(int(v))
    if kind == export.RATIO:
        return lambda v: _percent_text(float(v), lang)
    if kind == export.RATE:
        return lambda v: _number_text(float(v), 1, lang)
    if kind == export.NUMBER:
        # Up to two decimals, as the Excel download's format: a median of 15 is not "15,00".
        return lambda v: _number_text(float(v), 2, lang, True)
    if kind == export.DATE:
        return lambda v: format_date(v, lang=lang)
    if kind == export.DATETIME:
        return lambda v: format_datetime(v, lang=lang)
    return None


def _column_config(column: Column) -> Any:
    config = st.column_config
    if column.kind in export.NUMERIC_KINDS:
        # No `format`: the Styler's localised text is shown; the value is what sorts.
        return config.NumberColumn(help=column.help, width=column.width)
    if column.kind == export.LINK:
        return config.LinkColumn(
            help=column.help, width=column.width, display_text=column.link_text
        )
    if column.kind == export.DATE:
        return config.DateColumn(help=column.help, width=column.width)
    if column.kind == export.DATETIME:
        return config.DatetimeColumn(help=column.help, width=column.width)
    return config.TextColumn(help=column.help, width=column.width)


def styled(frame: pd.DataFrame, columns: Sequence[Column], lang: str | None = None) -> Any:
    """The typed table with the language's display format over its values (a pandas Styler)."""
    lang = lang or i18n.language()
    typed = export.typed_frame(frame, columns)
    formats = {
        c.label: f for c in columns if (f := _formatter(c, lang)) is not None and c.label in typed
    }
    # Streamlit finds each cell's display value by its id (`row0_col1`): cell_ids stay on.
    return typed.style.format(formats, na_rep=PLACEHOLDER)


def show_table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    name: str,
    scope: ExportScope,
    *,
    height: int | str | None = None,
    downloads: bool = True,
) -> None:
    """Draw `frame` as declared by `columns` (sortable by value, unknown as `–`), then its
    CSV and Excel downloads (see `download_buttons`)."""
    if height is None:
        height = "content" if len(frame) <= 30 else 700
    st.dataframe(
        styled(frame, columns),
        hide_index=True,
        width="stretch",
        height=height,
        key=name,
        placeholder=PLACEHOLDER,
        column_config={c.label: _column_config(c) for c in columns},
    )
    if downloads:
        with st.container(horizontal=True, gap="small"):
            download_buttons(frame, columns, name, scope)


def download_buttons(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    name: str,
    scope: ExportScope,
    stem: str | None = None,
) -> None:
    """Two buttons: the table as CSV and as an Excel workbook, made only when clicked."""
    lang = i18n.language()  # the files are made on another thread, where it is not set
    frame = frame.copy()
    columns = tuple(columns)
    file = file_stem(stem or name)
    build_csv = functools.partial(export.to_csv, frame, columns, scope, lang)
    build_xlsx = functools.partial(export.to_xlsx, frame, columns, scope, lang)
    file_button(
        t("export.csv"),
        build_csv,
        f"{file}.csv",
        "text/csv",
        f"dl_{name}_csv",
        ":material/table:",
        lang,
    )
    file_button(
        t("export.xlsx"),
        build_xlsx,
        f"{file}.xlsx",
        XLSX_MIME,
        f"dl_{name}_xlsx",
        ":material/grid_on:",
        lang,
    )


def file_button(
    label: str,
    build: Callable[[], bytes],
    file_name: str,
    mime: str,
    key: str,
    icon: str,
    lang: str,
) -> None:
    """One download button whose file `build` makes only when it is clicked, without
    rerunning the page (`safe`: a failure gives an explanatory text instead of the file)."""
    st.download_button(
        label,
        data=functools.partial(safe, build, lang),
        file_name=file_name,
        mime=mime,
        key=key,
        on_click="ignore",
        icon=icon,
        type="tertiary",
    )


KIND_OF_UNIT = {"count": export.COUNT, "ratio": export.RATIO, "rate": export.RATE}


def kpi_column(
    name: str, key: str | None = None, label: str | None = None, width: str | None = None
) -> Column:
    """The column of a KPI's values: its label and explanation, its kind from its unit."""
    from ui.format import kpi_help, kpi_label, kpi_unit

    return Column(
        key or name,
        label or kpi_label(name),
        KIND_OF_UNIT.get(kpi_unit(name), export.NUMBER),
        help=kpi_help(name),
        width=width,
    )
