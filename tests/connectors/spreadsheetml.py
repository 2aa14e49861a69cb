"""Test-only: a SpreadsheetML 2003 workbook (the XML that old Facebook exports save as `.xls`)
read into the sheets shape `connectors.base.Document` holds for a workbook.

The import engine reads these files itself once the workbook reader of the `intake` branch is
merged (`connectors/workbooks.py`); until then the legacy Facebook tests build the `Document`
with this helper, so that the formats are tested on the real files either way. Cells are typed
as the engine types them: `DateTime` -> datetime, `Number` -> int or float, `String` -> str,
a cell skipped by `ss:Index` -> None; rows are not padded (trailing cells without data are
absent); a byte that is not UTF-8 becomes U+FFFD (the LOK page export has one in a city name).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from connectors.base import Document, SourceFile

NS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _typed(kind: str | None, text: str) -> object:
    if kind == "Number":
        value = float(text)
        return int(value) if value.is_integer() else value
    if kind == "DateTime":
        return datetime.fromisoformat(text[:19])
    return text


def read_sheets(data: bytes) -> dict[str, list[list[object]]]:
    from defusedxml.ElementTree import fromstring

    root = fromstring(data.decode("utf-8", "replace").encode("utf-8"))
    sheets: dict[str, list[list[object]]] = {}
    for sheet in root.iter(f"{NS}Worksheet"):
        rows: list[list[object]] = []
        for row in sheet.iter(f"{NS}Row"):
            cells: list[object] = []
            col = 0
            for cell in row.iter(f"{NS}Cell"):
                index = cell.get(f"{NS}Index")
                col = int(index) if index else col + 1
                data_el = cell.find(f"{NS}Data")
                if data_el is not None:
                    cells.extend([None] * (col - 1 - len(cells)))
                    cells.append(_typed(data_el.get(f"{NS}Type"), "".join(data_el.itertext())))
            rows.append(cells)
        sheets[sheet.get(f"{NS}Name")] = rows
    return sheets


def document(path: Path) -> Document:
    """A real SpreadsheetML file as the Document the engine would hand a format."""
    data = path.read_bytes()
    source = SourceFile(name=path.name, data=data)
    return Document(source=source, sheets=read_sheets(data), kind="xlsx")
