"""Turn what the user gives (files, folders, zips) into `SourceFile`s, and a file into a `Document`.

Decoding is total: every file either becomes a `Document` or is refused with one line saying
what is wrong and what to do (issue #5). Decoding is the same for every format:

- text: UTF-8 with or without BOM, UTF-16 LE/BE with BOM (Meta's insights time series) or LE
  without one, else a Windows/ISO single-byte code page an export re-saved by a spreadsheet
  can be in (detected by charset_normalizer among those only); a damaged or unknown encoding and
  NUL bytes are refused;
- delimiter: a `sep=X` first line, else sniffed among `,` `;` TAB (spreadsheets re-save with
  the locale's separator);
- lines that a spreadsheet wrapped whole in one quoted field are unwrapped when that is exact;
- workbooks: XLSX, BIFF8 `.xls` and SpreadsheetML `.xls` (see `connectors/workbooks.py`);
- zips: members read lazily and with limits (see `connectors/archives.py`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from connectors.archives import EMPTY_ZIP_MAGIC, ZIP_MAGIC, zip_members
from connectors.base import CHUNK_ROWS, Document, ImportRefused, SourceFile
from connectors.workbooks import (
    OLE2_MAGIC,
    is_spreadsheetml,
    read_spreadsheetml,
    read_xls,
    read_xlsx,
)

IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
# When a folder is walked, only files that can be exports are taken; a file named on its own is
# always tried, so that a wrong file gets a message instead of being passed over in silence.
EXPORT_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".zip"}
_XLSX_MAGIC = ZIP_MAGIC
# The code pages an export re-saved by a spreadsheet on Windows can be in (Western, Central and
# Eastern European, Baltic, Greek, Turkish; latin-1 for other tools). A multi-byte legacy
# encoding (Shift_JIS, GBK) is not guessed: such a file is refused with a request for UTF-8.
LEGACY_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1257", "cp1253", "cp1254", "latin_1"]
_SNIFF_CHARS = 16_384  # a legacy header of 2,000 columns is longer: its start decides
_SNIFF_LINES = 30
DELIMITERS = (",", ";", "\t")


def ignored(name: str) -> bool:
    """System files a folder or zip holds beside the exports (`.DS_Store`, `~$` lock files)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.startswith(("._", "~$")) or base.lower() in IGNORED_NAMES or name.endswith("/")


def _is_zip_archive(name: str, data: bytes) -> bool:
    """A zip of exports (not an XLSX, which is a zip too)."""
    return data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)) and name.lower().endswith(".zip")


def expand(name: str, data: bytes) -> Iterator[SourceFile]:
    """One uploaded file as the export files it holds: itself, or a zip's members (read with
    the limits of `connectors/archives.py`; a refused zip is one refused `SourceFile`)."""
    if not _is_zip_archive(name, data):
        yield SourceFile(name=name, data=data)
        return
    shown = name.replace("\\", "/").rsplit("/", 1)[-1]
    yield from zip_members(shown, lambda: io.BytesIO(data))


def _starts_like_zip(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(4) in (ZIP_MAGIC, EMPTY_ZIP_MAGIC)
    except OSError:
        return False


def _file_source(path: Path, shown: str) -> list[SourceFile]:
    if not path.exists():
        return [SourceFile(name=shown, data=b"", missing=True)]
    try:
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
    except (OSError, ValueError, OverflowError):
        modified = None
    if path.suffix.lower() == ".zip" and _starts_like_zip(path):
        members = zip_members(shown, lambda: path.open("rb"))
        for member in members:  # a member without a date of its own has the zip's
            member.modified = member.modified or modified
        return members
    return [file_source(path, shown, modified)]


def file_source(path: Path, name: str, modified: date | None = None) -> SourceFile:
    """A plain file on disk, shown as `name`: loaded or streamed when the importer gets to it."""
    return SourceFile(
        name=name,
        modified=modified,
        loader=lambda: _read_file(path),
        opener=lambda: path.open("rb"),
        path=path,
    )


def _read_file(path: Path) -> bytes:
    """A file's bytes; a file that vanished or cannot be read since it was listed is refused."""
    try:
        return path.read_bytes()
    except (OSError, MemoryError) as error:
        raise ImportRefused("unreadable", detail=type(error).__name__) from error


def from_paths(paths: Iterable[str | Path]) -> list[SourceFile]:
    """Every export file under the given files, folders (recursively) and zips, sorted by name.

    Nothing is read yet (a file's bytes are loaded when the importer gets to it), but every
    file is listed, so progress knows the total. Names are what the user recognises, never
    local paths: relative to a folder given (`sub/a.csv`), a file's base name, a zip member as
    `report.zip/Table data.csv`.
    """
    return list(Listing(paths))


class Listing:
    """`from_paths` without holding the list: `len` is the number of export files (zip members
    one by one), iterating gives each `SourceFile` as it is reached. A listed file costs about
    1.3 KB (the ministry's 8,800 files 11 MB, ten times as many 114 MB), so a folder's import
    would otherwise hold memory in proportion to the folder (issue #6); here only the sorted
    names of one folder's files are held, and each zip is listed when counted and again when
    reached."""

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self.paths = [Path(raw) for raw in paths]
        self._count: int | None = None

    def _entries(self) -> Iterator[tuple[Path, str]]:
        for path in self.paths:
            if path.is_dir():
                files = sorted(
                    str(p)
                    for p in path.rglob("*")
                    if p.is_file() and not ignored(p.name) and p.suffix.lower() in EXPORT_SUFFIXES
                )
                for file in map(Path, files):
                    yield file, file.relative_to(path).as_posix()
            else:
                yield path, path.name or str(path)

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(
                len(_file_source(path, shown)) if _is_zip(path) else 1
                for path, shown in self._entries()
            )
        return self._count

    def __iter__(self) -> Iterator[SourceFile]:
        for path, shown in self._entries():
            yield from _file_source(path, shown)


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and path.exists()


# -- text --------------------------------------------------------------------------------


def _looks_utf16(data: bytes, zero_at: int) -> bool:
    """UTF-16 without a BOM: most high bytes (at `zero_at` parity) of the start are 0."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    high = sample[zero_at::2]
    low = sample[1 - zero_at :: 2]
    # 40%: text in Vietnamese or Cyrillic has fewer zero high bytes than ASCII
    return high.count(0) >= 0.4 * len(high) and low.count(0) <= 0.1 * len(low)


def _decode_utf16(body: bytes, encoding: str, offset: int) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        # a cut-off download ends mid-character; a lone surrogate is damage
        raise ImportRefused(
            "bad_encoding", encoding="UTF-16", position=offset + error.start
        ) from error


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
    """Text of a CSV export, or `ImportRefused` (`bad_encoding`, `nul_bytes`,
    `unknown_encoding`): never a UnicodeDecodeError."""
    if data.startswith(b"\xff\xfe"):
        return _decode_utf16(data[2:], "utf-16-le", 2)
    if data.startswith(b"\xfe\xff"):
        return _decode_utf16(data[2:], "utf-16-be", 2)
    if data.startswith(b"\xef\xbb\xbf"):
        _refuse_nul(data)
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportRefused(
                "bad_encoding", encoding="UTF-8", position=3 + error.start
            ) from error
    if data[:1] != b"\x00" and _looks_utf16(data, zero_at=1):
        return _decode_utf16(data, "utf-16-le", 0)  # UTF-16 LE whose BOM was lost
    if data[:1] == b"\x00" and _looks_utf16(data, zero_at=0):
        return _decode_utf16(data, "utf-16-be", 0)
    _refuse_nul(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _refuse_nul(data: bytes) -> None:
    position = data.find(b"\x00")
    if position >= 0:
        raise ImportRefused("nul_bytes", position=position)


def _decode_legacy(data: bytes) -> str:
    """A file re-saved in a Windows code page (Excel's "CSV" on Windows): the most plausible of
    `LEGACY_ENCODINGS` by charset_normalizer, whose text must then read as text."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=LEGACY_ENCODINGS))
    if not matches:
        raise ImportRefused("unknown_encoding")
    # Code pages share most letters, so a short file often reads as well in several: among
    # the least chaotic, the most coherent, then the commonest (the order of LEGACY_ENCODINGS).
    least = min(match.chaos for match in matches)
    plausible = [match for match in matches if match.chaos <= least + 0.02]
    best = max(
        plausible,
        key=lambda m: (round(m.coherence, 2), -_preference(m.encoding, m.could_be_from_charset)),
    )
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise ImportRefused("unknown_encoding") from error


def _preference(encoding: str, equivalents: list[str]) -> int:
    """Rank of the commonest of the code pages that read the bytes the same way."""
    names = [encoding, *equivalents]
    return min((LEGACY_ENCODINGS.index(n) for n in names if n in LEGACY_ENCODINGS), default=99)


# -- CSV ---------------------------------------------------------------------------------

_SEP_LINE = re.compile(r'^\ufeff?"?sep=(.)"?', re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"?')


def split_sep_line(text: str) -> tuple[str | None, str]:
    """(delimiter, rest of text) when the first line is Excel's `sep=X` hint.

    A re-save may quote the line or pad it with delimiters (`sep=\\t\\t\\t`)."""
    first, _, rest = text.partition("\n")
    match = _SEP_LINE.match(first)
    if match is None:
        return None, text
    delimiter = match.group(1)
    tail = first[match.end() :].rstrip("\r")
    if tail.strip(delimiter + '"') or delimiter in '"\r\n':
        return None, text
    return delimiter, rest


def sniff_delimiter(text: str) -> str:
    """The delimiter among `,` `;` TAB that most of the first lines use outside quotes.

    A title line with one field (`Facebook follows;`) or free text with commas (`Pleven,
    Bulgaria;Sofia, Bulgaria`) does not decide alone: the delimiter found on the most lines
    wins, then the one found most often; `,` when none is found."""
    # The common case, decided on the first lines: commas and no other candidate.
    head = [line for line in _QUOTED.sub("", text[:4096]).split("\n")[:4] if line.strip()]
    if len(head) >= 2 and all("," in h and ";" not in h and "\t" not in h for h in head[:3]):
        return ","
    sample = _QUOTED.sub("", text[:_SNIFF_CHARS])
    lines = [line for line in sample.split("\n")[:_SNIFF_LINES] if line.strip()]
    if not lines:
        return ","

    def score(delimiter: str) -> tuple[int, int, int]:
        return (
            sum(delimiter in line for line in lines),
            sum(line.count(delimiter) for line in lines),
            delimiter == ",",
        )

    best = max(DELIMITERS, key=score)
    return best if score(best)[0] else ","


def unwrap_lines(text: str) -> str | None:
    """The original text of a file whose every line a spreadsheet wrapped in one quoted field,
    or None when the file is not like that.

    Excel, opening a comma file in a `;` locale, reads each physical line as one cell, and
    saving quotes a cell only if it holds a quote (or a `;`), doubling the quotes inside. So a
    wrapped line is `"<line with "" doubled>"`, and a line without quotes (a line inside a
    multi-line caption) is left as it was. Refuses (`wrapped_lines`) a file that has the sign of
    it but where a line does not follow this rule: it cannot be restored exactly."""
    head = [line.rstrip("\r") for line in text.split("\n", 20)[:20]]
    first = _one_quoted_field(head[0])
    if first is None or len(first.split(",")) < 3:
        return None
    # A title line can be one quoted field with commas too ("Reach, views, and interactions"):
    # a wrapped header has quoted names inside (`""Post ID""`), or the next line is wrapped too.
    second = next((line for line in head[1:] if line.strip()), "")
    if '"' not in first and not (_one_quoted_field(second) or "").count(","):
        return None
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        end = "\r" if line.endswith("\r") else ""
        body = line[: len(line) - len(end)]
        if body.startswith('"'):
            core = body[1:-1]
            if len(body) < 2 or not body.endswith('"') or '"' in core.replace('""', ""):
                raise ImportRefused("wrapped_lines", line=number)
            body = core.replace('""', '"')
        elif '"' in body or ";" in body:
            raise ImportRefused("wrapped_lines", line=number)
        lines.append(body + end)
    return "\n".join(lines)


def _one_quoted_field(line: str) -> str | None:
    """The content of a line that is exactly one quoted CSV field, else None."""
    if len(line) < 2 or not (line.startswith('"') and line.endswith('"')):
        return None
    core = line[1:-1]
    if '"' in core.replace('""', ""):
        return None
    return core.replace('""', '"')


def _check_unwrapped(rows: list[list[str]]) -> None:
    """An unwrapped file must be a table again: no row wider than its header."""
    width = len(rows[0]) if rows else 0
    for number, row in enumerate(rows, start=1):
        if len(row) > width:
            raise ImportRefused("wrapped_lines", line=number)


def _parse_csv(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error as error:
        raise ImportRefused("malformed_csv", detail=str(error), row=reader.line_num) from error


def read_csv(text: str) -> list[list[str]]:
    """Rows of a CSV text: `sep=` line consumed, delimiter sniffed, wrapped lines unwrapped."""
    text = text.removeprefix("\ufeff")
    delimiter, body = split_sep_line(text)
    unwrapped = unwrap_lines(body)
    if unwrapped is not None:
        rows = _parse_csv(unwrapped, ",")
        _check_unwrapped(rows)
        return rows
    return _parse_csv(body, delimiter or sniff_delimiter(body))


# -- documents ---------------------------------------------------------------------------


def read_document(source: SourceFile, *, stream: bool = True) -> Document:
    """Decode a file. Refuses empty, binary, damaged and hostile files with one line each.

    A large plain UTF-8 CSV is read as a stream (see `STREAM_BYTES`); `stream=False` reads it
    whole (what the importer does when a streamed read raises `StreamFallback`). The bytes of a
    lazily loaded file are dropped when this returns: only the file being imported is in
    memory."""
    try:
        if stream and source.refusal is None and not source.missing:
            streamed = _streamed_document(source)
            if streamed is not None:
                return streamed
        data = source.data
        if source.refusal is not None:
            raise source.refusal
        return _decode(source, data)
    finally:
        source.release()


# A plain UTF-8 CSV this large is read as a stream of rows, in chunks (`CHUNK_ROWS`), by the
# formats that can (`ExportFormat.reads_in_chunks`): neither its bytes nor its rows are ever
# held whole, so a 200 MB export takes the memory of a small one (issue #5). Decoded whole,
# one emoji made Python hold the text at 4 bytes a character.
STREAM_BYTES = 8 * 2**20


class StreamFallback(Exception):
    """A streamed CSV met what only reading it whole decides (bytes that are not UTF-8, which
    may be another encoding or damage; NUL bytes): read it again with `stream=False`."""


class _Guarded(io.RawIOBase):
    """A byte stream that raises `StreamFallback` at the first NUL byte."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        block = self._stream.read(len(buffer))
        if b"\x00" in block:
            raise StreamFallback("NUL byte")
        buffer[: len(block)] = block
        return len(block)

    def close(self) -> None:
        self._stream.close()
        super().close()


def _streamed_document(source: SourceFile) -> Document | None:
    """The document of a large plain UTF-8 CSV, its rows read while the format reads them; None
    when the file is small or needs the general path (a BOM of UTF-16, a `sep=` line, lines
    wrapped in quotes, JSON, a workbook or zip), which also gives every refusal its message."""
    try:
        with source.open() as stream:
            size = stream.seek(0, io.SEEK_END)
            if size < STREAM_BYTES:
                return None
            stream.seek(0)
            head = stream.read(_SNIFF_CHARS * 4)
            stream.seek(max(0, size - 64))
            tail = stream.read()
    except (ImportRefused, OSError):
        return None  # the general path refuses it with its message
    if (
        head.startswith((b"\xff\xfe", b"\xfe\xff", ZIP_MAGIC, EMPTY_ZIP_MAGIC, OLE2_MAGIC))
        or b"\x00" in head
        or is_spreadsheetml(head)
        or source.filename.lower().endswith(".zip")
    ):
        return None
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    prefix = head[start:].decode("utf-8", errors="ignore")
    first_line = prefix.partition("\n")[0].rstrip("\r")
    if (
        _SEP_LINE.match(first_line)
        or _one_quoted_field(first_line) is not None
        or prefix.lstrip().startswith(("{", "["))  # JSON
    ):
        return None
    rows = _stream_rows(source, start, sniff_delimiter(prefix))
    try:
        first = list(islice(rows, CHUNK_ROWS + 1))
    except StreamFallback:
        rows.close()
        return None
    if not first:
        raise ImportRefused("empty")
    return Document(
        source=source,
        sheets={"": first},
        kind="csv",
        ends_with_newline=tail.rstrip(b" \t").endswith((b"\n", b"\r")),
        more_rows=rows,
    )


def _stream_rows(source: SourceFile, start: int, delimiter: str) -> Iterator[list[str]]:
    """The rows of a UTF-8 CSV read from its stream, decoded line by line."""
    with source.open() as raw:
        raw.read(start)  # the BOM
        buffered = io.BufferedReader(_Guarded(raw), buffer_size=2**20)
        lines = io.TextIOWrapper(buffered, encoding="utf-8", errors="strict", newline="")
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            yield from reader
        except UnicodeDecodeError as error:
            raise StreamFallback("not UTF-8") from error
        except csv.Error as error:
            raise ImportRefused("malformed_csv", detail=str(error), row=reader.line_num) from error


def _decode(source: SourceFile, data: bytes) -> Document:
    if not data.strip(b"\x00\r\n\t \xef\xbb\xbf\xff\xfe"):
        raise ImportRefused("empty")
    is_zip_name = source.filename.lower().endswith(".zip")
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)) or is_zip_name:
        if is_zip_name:
            raise ImportRefused("unreadable", detail="damaged zip archive")
        return Document(source=source, sheets=read_xlsx(data), kind="xlsx")
    if data.startswith(OLE2_MAGIC):
        return Document(source=source, sheets=read_xls(data), kind="xlsx")
    if is_spreadsheetml(data):
        return Document(source=source, sheets=read_spreadsheetml(data), kind="xlsx")
    text = decode_text(data)
    if (value := json_value(text)) is not None:
        return Document(source=source, sheets={}, kind="json", content=value)
    rows = read_csv(text)
    if not rows:
        raise ImportRefused("empty")
    ending = text.rstrip(" \t\x00")
    return Document(
        source=source,
        sheets={"": rows},
        kind="csv",
        ends_with_newline=ending.endswith(("\n", "\r")),
    )
