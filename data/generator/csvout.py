"""Byte-exact CSV writing in the styles the platforms use.

The real exports differ in ways a parser must survive, so the generator copies them exactly:
quoting (every field; only where needed; or, as Facebook does, also any field with a space),
BOM or not, LF or CRLF, a final line break or not, UTF-8 or UTF-16. Rows are rendered to one
string and written once: faster than `csv.writer` for the many small files of a sample set.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

Row = Sequence[object]
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
_NEEDS_QUOTES_FB = re.compile(r'[,"\r\n ]')
# Zip members get this fixed time stamp, so that the same arguments give the same bytes.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def render(
    rows: Iterable[Row], quoting: str = "minimal", newline: str = "\n", final: bool = True
) -> str:
    """Rows as CSV text.

    quoting: "all" (X legacy, Meta insights), "minimal" (only fields with a comma, quote or line
    break: X analytics, YouTube), "facebook" (minimal plus any field with a space: Facebook and
    Meta Business Suite exports). `final`: end the last row with a line break.
    """
    lines = []
    if quoting == "all":
        for row in rows:
            lines.append(",".join(_quote(_cell(v)) for v in row))
    else:
        needs_quotes = (_NEEDS_QUOTES_FB if quoting == "facebook" else _NEEDS_QUOTES).search
        for row in rows:
            out = []
            for value in row:
                cls = value.__class__
                if cls is int:  # the most common cell: never quoted
                    out.append(str(value))
                    continue
                text = value if cls is str else _cell(value)
                if needs_quotes(text):
                    text = '"' + text.replace('"', '""') + '"'
                out.append(text)
            lines.append(",".join(out))
    text = newline.join(lines)
    return text + newline if final and lines else text


def write(path: Path, text: str, *, encoding: str = "utf-8", bom: bool = False) -> Path:
    """Write text with the given encoding; `bom` adds the encoding's byte order mark."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if encoding == "utf-16-le":
        data = (b"\xff\xfe" if bom else b"") + text.encode("utf-16-le")
    else:
        data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    path.write_bytes(data)
    return path


def write_zip(path: Path, members: Sequence[tuple[str, bytes]]) -> Path:
    """A zip of (name, bytes) members with fixed time stamps and permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Row]]]) -> bytes:
    """A workbook of (sheet title, rows), with fixed document times and zip time stamps.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; both are replaced
    so that the same arguments give the same bytes.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title=title[:31])  # Excel's limit: Facebook cuts names there
        for row in rows:
            sheet.append(list(row))
    raw = io.BytesIO()
    book.save(raw)
    year, month, day, hour, minute, second = ZIP_TIME
    stamp = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"
    members = []
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as archive:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\2", text
                )
                data = text.encode("utf-8")
            members.append((info.filename, data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()
