"""Turn what the user gives (files, folders, zips) into `SourceFile`s, and a file into a `Document`.

Decoding is the same for every format: UTF-8 with or without BOM, UTF-16 with BOM (Meta's
insights time series), a leading `sep=,` line, and XLSX workbooks read with openpyxl (the DuckDB
excel extension is not available offline).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from connectors.base import Document, ImportRefused, SourceFile

IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
# When a folder is walked, only files that can be exports are taken; a file named on its own is
# always tried, so that a wrong file gets a message instead of being passed over in silence.
EXPORT_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".zip"}
_XLSX_MAGIC = b"PK\x03\x04"


def _ignored(name: str) -> bool:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.startswith(("._", "~$")) or base.lower() in IGNORED_NAMES or name.endswith("/")


def _is_zip_archive(name: str, data: bytes) -> bool:
    """A zip of exports (not an XLSX, which is a zip too)."""
    return data.startswith(_XLSX_MAGIC) and name.lower().endswith(".zip")


def expand(name: str, data: bytes) -> Iterator[SourceFile]:
    """One uploaded file as the export files it holds: itself, or a zip's members."""
    if not _is_zip_archive(name, data):
        yield SourceFile(name=name, data=data)
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir() and not _ignored(m.filename)]
    except zipfile.BadZipFile:
        yield SourceFile(name=name, data=data)  # refused later as unreadable
        return
    container = name.replace("\\", "/").rsplit("/", 1)[-1]
    for member in sorted(members, key=lambda m: m.filename):
        try:
            content = archive.read(member)
        except (zipfile.BadZipFile, OSError, EOFError):
            content = b"PK\x03\x04broken"
        try:
            modified = date(*member.date_time[:3])
        except ValueError:
            modified = None
        yield SourceFile(
            name=f"{container}/{member.filename}",
            data=content,
            container=container,
            modified=modified,
        )


def from_paths(paths: Iterable[str | Path]) -> Iterator[SourceFile]:
    """Every export file under the given files, folders (recursively) and zips, sorted by name."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not _ignored(p.name) and p.suffix.lower() in EXPORT_SUFFIXES
            )
        else:
            files = [path]
        for file in files:
            if not file.exists():
                yield SourceFile(name=str(file), data=b"", missing=True)
                continue
            modified = datetime.fromtimestamp(file.stat().st_mtime, UTC).date()
            for source in expand(str(file), file.read_bytes()):
                yield source if source.modified else replace(source, modified=modified)


def json_value(text: str) -> object | None:
    """The value of a file that is JSON (a "Download your information" export, an API
    response), else None: text starting with `{` or `[` that parses whole."""
    if text.lstrip("\ufeff \t\r\n")[:1] not in ("{", "["):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def decode_text(data: bytes) -> str:
    """Text of a CSV export: UTF-16 and UTF-8 BOMs honoured, UTF-8 expected otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        return data.decode("utf-16-le")  # UTF-16 LE whose BOM was lost
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows re-saves CSVs in the ANSI code page; cp1252 decodes every byte
        # sequence, so such a file is read rather than refused, and its headers still must match.
        return data.decode("cp1252")


def _read_csv(text: str) -> list[list[str]]:
    delimiter = ","
    lines = text.split("\n", 1)
    first = lines[0].strip().strip('"').replace("\ufeff", "")
    if first.lower().startswith("sep=") and len(first) == 5:
        delimiter = first[4]
        text = lines[1] if len(lines) > 1 else ""
    elif delimiter not in lines[0] and "\t" in lines[0]:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error as error:
        raise ImportRefused("malformed_csv", detail=str(error), row=reader.line_num) from error


def _read_xlsx(data: bytes) -> dict[str, list[list[object]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise ImportRefused("unreadable", detail=type(error).__name__) from error
    try:
        return {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
    finally:
        book.close()


def read_document(source: SourceFile) -> Document:
    """Decode a file. Refuses empty, binary and damaged files."""
    data = source.data
    if not data.strip(b"\x00\r\n\t \xef\xbb\xbf\xff\xfe"):
        raise ImportRefused("empty")
    if data.startswith(_XLSX_MAGIC):
        if source.filename.lower().endswith(".zip"):
            raise ImportRefused("unreadable", detail="damaged zip archive")
        sheets = _read_xlsx(data)
        return Document(source=source, sheets=sheets, kind="xlsx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused("old_excel")
    utf16_without_bom = len(data) >= 4 and data[1] == 0 and data[3] == 0
    if (
        b"\x00" in data[:4096]
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        and not utf16_without_bom
    ):
        raise ImportRefused("unreadable", detail="binary file")
    text = decode_text(data)
    if (value := json_value(text)) is not None:
        return Document(source=source, sheets={}, kind="json", content=value)
    rows = _read_csv(text)
    if not rows:
        raise ImportRefused("empty")
    ending = text.rstrip(" \t\x00")
    return Document(
        source=source,
        sheets={"": rows},
        kind="csv",
        ends_with_newline=ending.endswith(("\n", "\r")),
    )
