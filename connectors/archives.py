"""Zip archives of exports, read with limits: a zip bomb is refused, never expanded.

A zip's members become lazy `SourceFile`s: listing a zip reads only its directory, and a
member is inflated when the importer gets to it, in chunks, stopping as soon as a limit is
passed. The sizes a zip declares are checked first (cheap, catches an honest bomb) but never
trusted: what counts is what inflating really produces.

- at most `MAX_MEMBERS` files in one zip;
- at most `MAX_TOTAL_BYTES` inflated from one zip (its nested zip included);
- a member above `RATIO_FLOOR_BYTES` may not inflate more than `MAX_RATIO` times its
  compressed size (exports compress 5 to 50 times; deflate bombs near 1,000);
- member names with `..` or an absolute path are refused by name (they are never written
  anywhere, but such a name is a sign of a crafted archive);
- a zip inside a zip is read one level deep (`outer.zip/inner.zip/file.csv`); deeper nesting is
  refused by name.

Any problem becomes a `SourceFile` that carries its refusal, so the importer reports it as one
line, like any refused file.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from datetime import date
from typing import BinaryIO

from connectors.base import ImportRefused, SourceFile

MAX_MEMBERS = 5_000
MAX_TOTAL_BYTES = 1 << 30  # 1 GiB
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 10 << 20  # below this a member cannot hurt, whatever its ratio
CHUNK_BYTES = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"

# What zipfile and zlib raise for a damaged or unsupported archive or member.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # a compression method zipfile lacks
    KeyError,
)


def unsafe_member_name(name: str) -> bool:
    """A member name that points outside the archive: absolute, a drive, or a `..` part."""
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return True
    return ".." in path.split("/")


def _base(name: str) -> str:
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"


def declared_entries(stream: BinaryIO) -> int | None:
    """How many entries a zip's end-of-directory record says it has (ZIP64 too), read from
    its last 64 KiB; None when the record is not found (zipfile then decides)."""
    size = stream.seek(0, io.SEEK_END)
    tail_start = max(0, size - (1 << 16) - 22)
    stream.seek(tail_start)
    tail = stream.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 12:
        return None
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    if entries != 0xFFFF:
        return entries
    locator = tail.rfind(_ZIP64_LOCATOR, 0, at)
    if locator < 0 or len(tail) < locator + 16:
        return None
    stream.seek(int.from_bytes(tail[locator + 8 : locator + 16], "little") + 32)
    count = stream.read(8)
    return int.from_bytes(count, "little") if len(count) == 8 else None


class _Budget:
    """What one outer zip has inflated so far (each member counted once)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    @property
    def used(self) -> int:
        return sum(self.seen.values())


class _Archive:
    """One zip, opened when a member is first read and closed after its last member."""

    def __init__(self, shown: str, opener: Callable[[], BinaryIO], budget: _Budget) -> None:
        self.shown = shown  # the zip as the user sees it: "exports/report.zip"
        self.opener = opener
        self.budget = budget
        self._zip: zipfile.ZipFile | None = None
        self._unread: set[str] = set()

    def open(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = zipfile.ZipFile(self.opener())
        return self._zip

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The member's bytes, inflated in chunks; refused once a limit is passed."""
        key = f"{self.shown}/{info.filename}"
        budget_left = MAX_TOTAL_BYTES - self.budget.used + self.budget.seen.get(key, 0)
        ratio_cap = max(RATIO_FLOOR_BYTES, MAX_RATIO * max(info.compress_size, 1))
        cap = min(budget_left, ratio_cap)
        chunks: list[bytes] = []
        size = 0
        try:
            with self.open().open(info) as member:
                while chunk := member.read(CHUNK_BYTES):
                    size += len(chunk)
                    if size > cap:
                        raise ImportRefused(
                            "zip_bomb", member=info.filename, limit=_mib(MAX_TOTAL_BYTES)
                        )
                    chunks.append(chunk)
        except ImportRefused:
            self.close()
            raise
        except _ZIP_ERRORS as error:
            self.close()
            raise ImportRefused(
                "zip_member_unreadable", member=info.filename, detail=type(error).__name__
            ) from error
        self.budget.seen[key] = size
        self._unread.discard(info.filename)
        if not self._unread:
            self.close()  # the last member: the file (or the inner zip's bytes) can go
        return b"".join(chunks)

    def members(self, depth: int) -> list[SourceFile]:
        """The archive's export files, or one refused `SourceFile` for the whole archive."""
        try:
            with self.opener() as stream:
                entries = declared_entries(stream)
        except _ZIP_ERRORS:
            entries = None
        if entries is not None and entries > MAX_MEMBERS:
            # refused before zipfile builds an object per entry of a crafted directory
            return [_refused(self.shown, "zip_too_many", count=entries, limit=MAX_MEMBERS)]
        try:
            infos = [
                info
                for info in self.open().infolist()
                if not info.is_dir() and not _ignored(info.filename)
            ]
        except _ZIP_ERRORS:
            self.close()
            return [_refused(self.shown, "unreadable", detail="damaged zip archive")]
        if len(infos) > MAX_MEMBERS:
            self.close()
            return [_refused(self.shown, "zip_too_many", count=len(infos), limit=MAX_MEMBERS)]
        declared = sum(info.file_size for info in infos)
        if declared > MAX_TOTAL_BYTES - self.budget.used:
            self.close()
            return [_refused(self.shown, "zip_bomb", member=_base(self.shown), limit=_mib())]
        container = _base(self.shown)
        files: list[SourceFile] = []
        for info in sorted(infos, key=lambda i: i.filename):
            shown = f"{self.shown}/{info.filename}"
            if unsafe_member_name(info.filename):
                files.append(_refused(shown, "zip_unsafe_name", member=info.filename))
            elif info.filename.lower().endswith(".zip"):
                if depth >= 1:
                    files.append(_refused(shown, "zip_nested", member=info.filename))
                else:
                    files.extend(self._inner(info, shown))
            else:
                self._unread.add(info.filename)
                files.append(
                    SourceFile(
                        shown,
                        container=container,
                        modified=_member_date(info),
                        loader=_Loader(self, info),
                    )
                )
        self.close()  # opened again when a member is read: a folder of zips holds no files open
        return files

    def _inner(self, info: zipfile.ZipInfo, shown: str) -> list[SourceFile]:
        """A zip inside this zip: listed now (its bytes are dropped after), read later."""
        try:
            data = self.read(info)
        except ImportRefused as refusal:
            return [SourceFile(shown, refusal=refusal)]
        if not data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
            return [_refused(shown, "unreadable", detail="damaged zip archive")]
        del data  # inflated again when its members are read: one zip in memory at a time
        inner = _Archive(shown, lambda: io.BytesIO(self.read(info)), self.budget)
        return inner.members(depth=1)


class _Loader:
    """Loads one member (a callable, so SourceFile stays unaware of zips)."""

    def __init__(self, archive: _Archive, info: zipfile.ZipInfo) -> None:
        self.archive = archive
        self.info = info

    def __call__(self) -> bytes:
        return self.archive.read(self.info)


def _member_date(info: zipfile.ZipInfo) -> date | None:
    """The day a member was last modified, as the zip records it (formats may need it)."""
    try:
        return date(*info.date_time[:3])
    except (ValueError, TypeError):
        return None


def _mib(limit: int = MAX_TOTAL_BYTES) -> str:
    return f"{limit >> 20} MiB"


def _refused(name: str, code: str, **params: object) -> SourceFile:
    return SourceFile(name, refusal=ImportRefused(code, **params))


def _ignored(name: str) -> bool:
    from connectors.sources import ignored

    return ignored(name)


def zip_members(shown: str, opener: Callable[[], BinaryIO]) -> list[SourceFile]:
    """The export files of the zip shown to the user as `shown`, each loaded on demand.

    `opener` gives a fresh binary stream of the zip each time (the file on disk, or the bytes
    of an upload)."""
    return _Archive(shown, opener, _Budget()).members(depth=0)
