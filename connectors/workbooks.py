"""Workbooks as sheets of rows: XLSX (openpyxl), BIFF8 `.xls` (calamine) and the SpreadsheetML
2003 XML that old Facebook exports save as `.xls`.

Every reader gives `{sheet name: rows}` with the same cell types, so that a format reads an
`.xls` exactly as the `.xlsx` of the same data: numbers as int (whole) or float, dates as
datetime/date, text as str, empty cells None. Whatever goes wrong inside a library while
reading a damaged or hostile workbook becomes one `ImportRefused` line, never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time

from connectors.base import Cell, ImportRefused

Sheets = dict[str, list[list[Cell]]]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
SPREADSHEETML_NS = "urn:schemas-microsoft-com:office:spreadsheet"
MAX_CELLS = 20_000_000  # a page-level Facebook export, 2,000 columns a day for years, is 2 million
_MAX_XLSX_INFLATED = 1 << 30  # the same budget as a zip of exports (connectors/archives.py)
_MAX_XLSX_RATIO = 1_000  # sheet XML compresses very well; 1,000 is beyond any real workbook


def _refuse_unreadable(error: BaseException) -> ImportRefused:
    """`unreadable` naming the error; openpyxl wraps defusedxml's refusal of an XML entity in a
    ValueError, so the cause is named when it is that."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return ImportRefused("unreadable", detail=type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    return ImportRefused("unreadable", detail=type(error).__name__)


# -- XLSX --------------------------------------------------------------------------------


_WORKBOOK_TYPE = re.compile(
    rb'<override[^>]*partname="/xl/workbook\.xml"[^>]*contenttype="([^"]*)"'
    rb'|<override[^>]*contenttype="([^"]*)"[^>]*partname="/xl/workbook\.xml"'
)


def _check_xlsx_container(data: bytes) -> None:
    """Refuse a macro workbook renamed `.xlsx` and a workbook that declares a bomb's sizes."""
    from connectors.archives import MAX_MEMBERS, declared_entries

    entries = declared_entries(io.BytesIO(data))
    if entries is not None and entries > MAX_MEMBERS:  # a workbook has tens of parts
        raise ImportRefused("zip_too_many", count=entries, limit=MAX_MEMBERS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            infos = book.infolist()
            names = {info.filename.lower() for info in infos}
            types = (
                book.read("[Content_Types].xml")[:200_000].lower()
                if "[content_types].xml" in names
                else b""
            )
    except Exception as error:  # zipfile raises several types for a damaged archive
        raise _refuse_unreadable(error) from error
    # The workbook part's own content type says "macro-enabled"; a `Default` entry for `.bin`
    # mentioning macros is boilerplate some writers (SheetJS) put in every file.
    found = _WORKBOOK_TYPE.search(types)
    workbook_type = (found[1] or found[2]) if found else b""
    if "xl/vbaproject.bin" in names or b"macroenabled" in workbook_type:
        raise ImportRefused("macro_workbook")
    inflated = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    if inflated > _MAX_XLSX_INFLATED or inflated > _MAX_XLSX_RATIO * max(compressed, 1 << 20):
        raise ImportRefused("zip_bomb", member="xl/", limit=f"{_MAX_XLSX_INFLATED >> 20} MiB")


def read_xlsx(data: bytes) -> Sheets:
    """An XLSX workbook's sheets. With defusedxml installed openpyxl refuses XML entity
    tricks; that and any other error while opening or iterating is one refusal."""
    import openpyxl

    _check_xlsx_container(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise _refuse_unreadable(error) from error
    try:
        sheets: Sheets = {}
        cells = 0
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            sheets[sheet.title] = []
            for row in rows:
                # a damaged <dimension> can make openpyxl pad rows to 16,384 columns and a
                # million rows: stop counting there instead of filling the memory
                cells += len(row)
                if cells > MAX_CELLS:
                    raise ImportRefused("too_many_cells", limit=MAX_CELLS)
                sheets[sheet.title].append(list(row))
        return sheets
    except ImportRefused:
        raise
    except Exception as error:  # the sheets are parsed lazily, while iterating
        raise _refuse_unreadable(error) from error
    finally:
        book.close()


# -- BIFF8 .xls --------------------------------------------------------------------------


def _calamine_cell(value: object) -> Cell:
    # calamine gives "" for an empty cell and a float for every number (BIFF stores doubles);
    # openpyxl gives None and an int for a whole number: keep the XLSX types.
    if value == "" or value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, datetime | date | int | str):
        return value
    return str(value)  # a timedelta or anything newer calamine may give


# calamine (Rust) reads a damaged .xls by trusting its sizes: a few flipped bytes can make it
# allocate gigabytes, and a failed allocation in Rust aborts the whole process, which no
# `except` can catch. So it runs in a child process with a memory cap and a time limit; the
# child sends the cells back as JSON (tagged dates), never as pickles.
XLS_MEMORY_LIMIT = 1 << 30
XLS_TIMEOUT_S = 120
_XLS_CHILD = r"""
import datetime, json, sys
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]),) * 2)
except (ImportError, ValueError, OSError):
    pass
from python_calamine import CalamineWorkbook

def cell(v):
    if isinstance(v, datetime.datetime):
        return ["dt", v.isoformat()]
    if isinstance(v, datetime.date):
        return ["d", v.isoformat()]
    if isinstance(v, (datetime.time, datetime.timedelta)):
        return str(v)
    return v

try:
    book = CalamineWorkbook.from_filelike(sys.stdin.buffer)
    sheets = [
        [name, [[cell(v) for v in row]
                for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]]
        for name in book.sheet_names
    ]
    out = {"sheets": sheets}
except BaseException as error:
    out = {"error": type(error).__name__}
sys.stdout.write(json.dumps(out))
"""


def _from_json(value: object) -> object:
    if isinstance(value, list) and len(value) == 2 and value[0] in ("dt", "d"):
        moment = datetime.fromisoformat(value[1])
        return moment if value[0] == "dt" else moment.date()
    return value


def read_xls(data: bytes) -> Sheets:
    """A BIFF8 (Excel 97-2003) workbook's sheets, read with calamine in a child process."""
    import json
    import subprocess
    import sys

    try:
        child = subprocess.run(
            [sys.executable, "-c", _XLS_CHILD, str(XLS_MEMORY_LIMIT)],
            input=data,
            capture_output=True,
            timeout=XLS_TIMEOUT_S,
            check=False,
        )
        payload = json.loads(child.stdout) if child.returncode == 0 else {}
    except subprocess.TimeoutExpired as error:
        raise ImportRefused("unreadable", detail="TimeoutExpired") from error
    except (OSError, ValueError) as error:
        raise _refuse_unreadable(error) from error
    if "sheets" not in payload:
        # a Python error in calamine, or the child killed (memory cap, a panic that aborts)
        detail = payload.get("error") or f"reader stopped ({child.returncode})"
        raise ImportRefused("unreadable", detail=str(detail)[:60])
    return {
        str(name): [[_calamine_cell(_from_json(v)) for v in row] for row in rows]
        for name, rows in payload["sheets"]
    }


# -- SpreadsheetML 2003 ------------------------------------------------------------------


def is_spreadsheetml(data: bytes) -> bool:
    """An XML workbook (Excel 2003 "XML Spreadsheet"), whatever its file name says."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<Workbook")) and SPREADSHEETML_NS.encode() in head


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _typed(kind: str, text: str) -> Cell:
    if kind == "Number":
        value = text.strip()
        if not _NUMBER.fullmatch(value):
            return value  # kept as text: the format refuses it with the cell named
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "DateTime":
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            return text
        return moment
    if kind == "Boolean":
        return int(text.strip() in ("1", "true", "True"))
    return text


def _index(element: object, current: int, last: int) -> int:
    """The 1-based position an element's `ss:Index` puts it at, else the next one."""
    raw = element.get(f"{{{SPREADSHEETML_NS}}}Index")  # type: ignore[attr-defined]
    if raw is None:
        return current + 1
    if not raw.isdigit() or not current < int(raw) <= last:
        raise ImportRefused("bad_xml", detail=f"ss:Index {raw[:20]}")
    return int(raw)


def read_spreadsheetml(data: bytes) -> Sheets:
    """The worksheets of a SpreadsheetML 2003 workbook, streamed (the page-level Facebook
    export is 38 sheets, 2 MB). defusedxml refuses entity declarations (a billion laughs)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    data = _valid_utf8(data)
    ns = f"{{{SPREADSHEETML_NS}}}"
    sheets: Sheets = {}
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    row_number = col = 0
    cell_at = cells = 0
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{ns}Worksheet":
                    rows, row_number = [], 0
                elif tag == f"{ns}Row":
                    row_number = _index(element, row_number, 1_048_576)
                    cells += max(row_number - 1 - len(rows), 0)
                    while len(rows) < row_number - 1:
                        rows.append([])  # rows skipped by ss:Index are empty
                    row, col = [], 0
                elif tag == f"{ns}Cell":
                    col = cell_at = _index(element, col, 16_384)
                    merge = element.get(f"{ns}MergeAcross")
                    if merge and merge.isdigit():
                        col += min(int(merge), 16_384)
                continue
            if tag == f"{ns}Data":
                cells += max(cell_at - len(row), 1)
                if cells > MAX_CELLS:
                    raise ImportRefused("too_many_cells", limit=MAX_CELLS)
                while len(row) < cell_at - 1:
                    row.append(None)
                value = "".join(element.itertext())
                row.append(_typed(element.get(f"{ns}Type", "String"), value))
            elif tag == f"{ns}Row":
                rows.append(row)
                element.clear()
            elif tag == f"{ns}Worksheet":
                name = element.get(f"{ns}Name") or f"Sheet{len(sheets) + 1}"
                sheets[name] = rows
                element.clear()
    except ImportRefused:
        raise
    except DefusedXmlException as error:
        raise ImportRefused("bad_xml", detail=type(error).__name__) from error
    except Exception as error:  # ParseError for broken XML, and anything a damaged file causes
        raise ImportRefused("bad_xml", detail=_xml_detail(error)) from error
    if not sheets:
        raise ImportRefused("bad_xml", detail="no Worksheet")
    return sheets


def _valid_utf8(data: bytes) -> bytes:
    """Facebook's SpreadsheetML exports declare UTF-8 but can hold a byte that is not (a city
    name in the LOK page-level export): that character was lost when the file was written, so
    it becomes U+FFFD rather than making the whole workbook unreadable."""
    declared = re.search(rb'encoding="([^"]+)"', data[:200])
    if declared and declared[1].lower().replace(b"-", b"") != b"utf8":
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace").encode("utf-8")
    return data


def _xml_detail(error: Exception) -> str:
    position = getattr(error, "position", None)
    if position:
        return f"{type(error).__name__} at line {position[0]}"
    return type(error).__name__
