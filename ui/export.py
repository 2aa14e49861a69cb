"""What a downloaded table or chart says it shows, and how its files are written (CSV, Excel).

A file leaves the page that explained it: a CSV forwarded by e-mail no longer shows the sidebar.
So every file carries its scope (`ExportScope`: a title, then the period and its comparison,
the platforms, the accounts, the missions, and "sample data" when it is), as a footer under a
table and a subtitle under a chart's title.

Columns are declared once (`Column`: the frame's column, its header in the user's language and
its kind) and the same declaration serves the screen (`ui/tables.py`) and the files here:
counts and ranks are integers, ratios fractions (a percentage format in Excel), unknown an empty
cell, never 0. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first:
OWASP "CSV injection") is written behind a single quote; numbers stay numbers.

Pure functions of their arguments, the language included: the files are built on a server
thread after the click, where the page's language is not set. No Streamlit here.
"""

from __future__ import annotations

import csv
import html
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import pandas as pd

from i18n import t

# The kinds of column: how a value is stored, shown and formatted in Excel.
TEXT, LINK, COUNT, RANK, RATIO, RATE, NUMBER, DATE, DATETIME = (
    "text",
    "link",
    "count",
    "rank",
    "ratio",
    "rate",
    "number",
    "date",
    "datetime",
)
NUMERIC_KINDS = frozenset({COUNT, RANK, RATIO, RATE, NUMBER})
INTEGER_KINDS = frozenset({COUNT, RANK})
# Excel number formats; a ratio is stored as the fraction and shown as a percentage.
XLSX_FORMATS = {
    COUNT: "#,##0",
    RANK: "0",
    RATIO: "0.00%",
    RATE: "#,##0.0",
    NUMBER: "#,##0.##",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
}
# First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a table: `key` in the frame, `label` its header, `kind` (see above).

    `values` turns a text value into what is shown (a platform id into its name), as a mapping
    or a function; the frame keeps ids, so the table still sorts by what it shows.
    """

    key: str
    label: str
    kind: str = TEXT
    values: Mapping[Any, str] | Callable[[Any], str] | None = None
    help: str | None = None
    width: str | None = None  # on screen: "small", "medium", "large"
    link_text: str | None = None  # on screen, for a link: the words shown instead of the URL


@dataclass(frozen=True)
class ExportScope:
    """What a file shows: a title, then one line each for period, platforms, accounts...

    `sample` says whether the figures are the bundled made-up samples; it may be a function,
    asked only when a file is made (after the click), so that drawing a page runs no query
    for it. `sample_line` is what is then written.
    """

    title: str
    lines: tuple[str, ...] = ()
    sample: bool | Callable[[], bool] = False
    sample_line: str = ""

    def all_lines(self) -> tuple[str, ...]:
        """The scope lines, with the sample-data line when the figures are the samples."""
        flag = self.sample() if callable(self.sample) else self.sample
        return (*self.lines, self.sample_line) if flag and self.sample_line else self.lines

    def footer(self) -> list[str]:
        """The title and the scope lines, in order, as written under a table."""
        lines = list(self.all_lines())
        return [self.title, *lines] if self.title else lines

    def html_subtitle(self) -> str:
        """The scope lines for a chart's subtitle: escaped, one per line (plotly's `<br>`)."""
        return "<br>".join(html.escape(line, quote=False) for line in self.all_lines())

    def titled(self, title: str) -> ExportScope:
        """The same scope under another title."""
        return replace(self, title=title)


def describe_scope(
    title: str,
    *,
    period: str,
    platforms: Sequence[str] | None,
    accounts: str,
    missions: str | None = None,
    sample: bool | Callable[[], bool] = False,
    lang: str,
) -> ExportScope:
    """The scope of a file in the user's language.

    `period` is the period and its comparison as the page writes it; `platforms` their names
    (None for all of them); `accounts` whose accounts (mission, ambassador or both); `missions`
    which missions (a name, a region, "all"); `sample` whether the figures are the bundled
    made-up samples (or a function that tells, asked when a file is made).
    """
    lines = [t("export.scope.period", lang=lang, period=period)]
    lines.append(
        t(
            "export.scope.platforms",
            lang=lang,
            platforms=", ".join(platforms) if platforms else t("export.scope.all", lang=lang),
        )
    )
    lines.append(t("export.scope.accounts", lang=lang, accounts=accounts))
    if missions:
        lines.append(t("export.scope.missions", lang=lang, missions=missions))
    return ExportScope(
        title=title,
        lines=tuple(lines),
        sample=sample,
        sample_line=t("export.scope.sample", lang=lang),
    )


# -- values ------------------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, written behind a single quote.

    Only text: a negative number is a number, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _text(value: Any, values: Mapping[Any, str] | Callable[[Any], str] | None) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if values is None:
        return str(value)
    if callable(values):
        return values(value)
    return values.get(value, str(value))


def _date(value: Any) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def _datetime(value: Any) -> datetime | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        return None
    # Excel has no time zones: the stored UTC time, without its zone (the header says UTC).
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.to_pydatetime()


def column_values(frame: pd.DataFrame, column: Column) -> pd.Series:
    """One column's values as typed for the screen and the files.

    Counts and ranks are nullable integers (`143985`, not `143985.0`), other numbers floats,
    unknown is missing (never 0); text is mapped through `column.values`.
    """
    raw = frame[column.key] if column.key in frame else pd.Series([None] * len(frame))
    raw = raw.reset_index(drop=True)
    if column.kind in INTEGER_KINDS:
        numbers = [_number(v) for v in raw]
        return pd.Series([None if n is None else round(n) for n in numbers], dtype="Int64")
    if column.kind in NUMERIC_KINDS:
        return pd.Series([_number(v) for v in raw], dtype="float64")
    if column.kind == DATE:
        return pd.Series([_date(v) for v in raw], dtype="object")
    if column.kind == DATETIME:
        return pd.Series([_datetime(v) for v in raw], dtype="object")
    return pd.Series([_text(v, column.values) for v in raw], dtype="object")


def typed_frame(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """The table as shown: one column per declaration, headed by its label, values typed."""
    return pd.DataFrame({c.label: column_values(frame, c) for c in columns})


def _cells(frame: pd.DataFrame, columns: Sequence[Column]) -> list[list[Any]]:
    """The rows of the file: Python values, None for unknown, text neutralised."""
    typed = [column_values(frame, c) for c in columns]
    rows: list[list[Any]] = []
    for index in range(len(frame)):
        row: list[Any] = []
        for column, series in zip(columns, typed, strict=True):
            value = series.iloc[index]
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                row.append(None)
            elif column.kind in INTEGER_KINDS:
                row.append(int(value))
            elif column.kind in NUMERIC_KINDS:
                row.append(float(value))
            elif column.kind in (DATE, DATETIME):
                row.append(value)
            else:
                row.append(neutralise(str(value)))
        rows.append(row)
    return rows


# -- files -------------------------------------------------------------------------------------


def _csv_number(value: float) -> str:
    # 0.0123 stays 0.0123 (no float noise such as 0.012300000000000002), 12.0 is written 12.
    return f"{value:.10g}"


def csv_header(column: Column, lang: str) -> str:
    """A CSV header: the label, with `(%)` for a ratio (a CSV cannot carry a percent format)."""
    return (
        t("export.percent_header", lang=lang, label=column.label)
        if column.kind == RATIO
        else column.label
    )


def to_csv(frame: pd.DataFrame, columns: Sequence[Column], scope: ExportScope, lang: str) -> bytes:
    """The table as CSV: a header row, the rows, an empty row, then the scope (one per line).

    UTF-8 with a BOM, so that Excel shows Vietnamese names right. Ratios are percentages
    (`1.23` under `Engagement rate (%)`), counts integers, unknown an empty cell.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(csv_header(c, lang)) for c in columns])
    for row in _cells(frame, columns):
        cells: list[str] = []
        for column, value in zip(columns, row, strict=True):
            if value is None:
                cells.append("")
            elif column.kind == RATIO:
                cells.append(_csv_number(round(value * 100, 8)))
            elif column.kind in INTEGER_KINDS:
                cells.append(str(value))
            elif column.kind in NUMERIC_KINDS:
                cells.append(_csv_number(value))
            elif column.kind == DATETIME:
                cells.append(value.strftime("%Y-%m-%d %H:%M"))
            elif column.kind == DATE:
                cells.append(value.isoformat())
            else:
                cells.append(value)
        writer.writerow(cells)
    writer.writerow([])
    for line in [*scope.footer(), t("export.unknown_note", lang=lang)]:
        writer.writerow([neutralise(line)])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, columns: Sequence[Column], scope: ExportScope, lang: str) -> bytes:
    """The table as an Excel workbook: one sheet, a bold frozen header with filters, typed
    cells (counts `#,##0`, ratios `0.00%`, dates as dates), then the scope under the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = t("export.sheet", lang=lang)[:31]
    book.properties.title = scope.title
    book.properties.creator = "DiploPulse"
    sheet.append([neutralise(c.label) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    rows = _cells(frame, columns)
    for row in rows:
        sheet.append(row)
    for number, column in enumerate(columns, start=1):
        fmt = XLSX_FORMATS.get(column.kind)
        for (cell,) in sheet.iter_rows(
            min_row=2, max_row=len(rows) + 1, min_col=number, max_col=number
        ):
            if fmt and cell.value is not None:
                cell.number_format = fmt
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text is never a formula, even if it slipped through
                if column.kind == LINK and cell.value.startswith(("https://", "http://")):
                    cell.hyperlink = cell.value  # a post's link opens from the sheet
                    cell.style = "Hyperlink"
        widest = max([len(column.label), *(len(str(r[number - 1] or "")) for r in rows[:200])])
        sheet.column_dimensions[get_column_letter(number)].width = min(max(widest + 2, 8), 60)
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    footer = sheet.max_row + 2
    for offset, line in enumerate([*scope.footer(), t("export.unknown_note", lang=lang)]):
        cell = sheet.cell(row=footer + offset, column=1, value=neutralise(line))
        cell.data_type = "s"
        cell.font = Font(italic=True, bold=offset == 0, color="555555")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
