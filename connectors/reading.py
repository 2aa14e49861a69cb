"""Reading one export file and checking it, writing nothing: the engine's work on a file
before it decides the file's account and writes it (`connectors/importer.py`).

For each file: decode it (a large CSV as a stream), detect its format by its headers, read
it, settle its as-of date, and refuse impossible values. Nothing here touches the store or
the registry, so files can be read in worker processes while the engine writes the ones
before them (`read_in_workers`, `default_workers`). What comes back from a worker is cheap to
send: the importer's `Router` decides there the file's account(s) and stages its records as
Arrow tables (`connectors/staging.py`).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from multiprocessing import get_context
from operator import attrgetter
from pathlib import Path

from connectors.aliases import book_for
from connectors.base import (
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
    SourceFile,
    formats,
)
from connectors.mapping import close_formats, format_by_id
from connectors.parse import period_in_name
from connectors.sources import (
    STREAM_BYTES,
    Listing,
    StreamFallback,
    file_source,
    read_document,
)

_LOG = logging.getLogger(__name__)


def detect_format(doc: Document) -> ExportFormat:
    """The one registered format whose `detect` accepts `doc`, or `ImportRefused`:
    `close_format` when the file nearly is one (`connectors.mapping.close_formats`: most of a
    format's required columns are there, some under headers no alias names yet), else
    `unknown_format`."""
    matches = [fmt for fmt in formats() if fmt.detect(doc)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ImportRefused("ambiguous_format", formats=", ".join(f.id for f in matches))
    close = close_formats(doc)
    if close:
        raise close[0].refusal()
    headers = ", ".join(h for h in (doc.header(0) + doc.header(1))[:6] if h) or "–"
    known = ", ".join(sorted(f.id for f in formats()))
    raise ImportRefused("unknown_format", headers=headers[:120], known_formats=known)


# -- impossible values ---------------------------------------------------------------------

POST_METRICS = (
    "reactions",
    "comments",
    "shares",
    "reach",
    "impressions",
    "video_views",
    "engagements",
    "clicks",
    "saves",
)

# The newest a value can be (a year of posts with a billion views each is not an export).
MAX_VALUE = 1e11
# The first day each platform could have data: earlier dates are damage.
PLATFORM_START = {
    "facebook": date(2004, 2, 4),
    "x": date(2006, 3, 21),
    "youtube": date(2005, 2, 14),
    "instagram": date(2010, 10, 6),
    "tiktok": date(2016, 9, 1),
    "linkedin": date(2003, 5, 5),
}
# Daily metrics that can be negative (a net change).
SIGNED_METRICS = {"net_follows"}


def check_values(parsed: Parsed, platform: str | None, as_of: date) -> None:
    """Refuse impossible values: negative counts, absurdly large ones, dates before the
    platform existed or after the export's end (one post dated 2099 would move every page's
    default window to 2099). A day of slack after the end, for time zones.

    Runs over every record of every file: the checks are plain comparisons, and the words of a
    refusal are only put together for the value that fails."""
    first = PLATFORM_START.get(platform or "", date(2003, 1, 1))
    last = as_of + timedelta(days=1)

    def bad_day(day: date | None) -> bool:
        return day is not None and not first <= day <= last

    def bad_count(value: float | None, signed: bool = False) -> bool:
        return value is not None and (
            value != value or abs(value) > MAX_VALUE or (value < 0 and not signed)
        )

    def refuse_day(day: date, what: str) -> ImportRefused:
        return ImportRefused(
            "impossible_date", what=what, date=day.isoformat(), first=first, last=last
        )

    def refuse_count(value: float, what: str) -> ImportRefused:
        return ImportRefused("impossible_value", what=what, value=f"{value:g}")

    counts = attrgetter(*POST_METRICS)
    for post in parsed.posts:
        published = post.published
        day = published.date() if isinstance(published, datetime) else published
        if bad_day(day):
            raise refuse_day(day, f"post {post.post_id}")
        # NaN fails every comparison, so it takes the slow path too.
        if not all(0 <= v <= MAX_VALUE for v in counts(post) if v is not None):
            for name in POST_METRICS:
                value = getattr(post, name)
                if bad_count(value):
                    raise refuse_count(value, f"{name} of post {post.post_id}")
    for item in parsed.daily:
        day, value = item.date, item.value
        if not first <= day <= last:
            raise refuse_day(day, item.metric)
        if (
            value is not None
            and not 0 <= value <= MAX_VALUE
            and bad_count(value, item.metric in SIGNED_METRICS)
        ):
            raise refuse_count(value, f"{item.metric} on {item.date}")
    for item in parsed.post_daily:
        if bad_day(item.date):
            raise refuse_day(item.date, item.metric)
        if bad_count(item.value):
            raise refuse_count(item.value, f"{item.metric} of {item.post_id} on {item.date}")
    for item in parsed.audience:
        if bad_count(item.value):
            raise refuse_count(item.value, f"{item.dimension} {item.key}")


# -- files read in parts -----------------------------------------------------------------

# The end date the parts of a large file are checked against before the file's end is known.
NO_END = date(9999, 12, 30)


@dataclass
class Survey:
    """What the importer keeps of a file's records to decide on it: their number (a post
    listed twice counted once) per owner, and for a file read in parts the latest-dated record
    and the posts that appear in more than one part."""

    total: int = 0
    owner_rows: dict[str | None, int] = field(default_factory=dict)
    latest_day: date | None = None
    in_parts: bool = False
    latest: Parsed | None = None  # read in parts: the latest-dated records, to check
    repeated: set[bytes] = field(default_factory=set)
    _seen: set[bytes] = field(default_factory=set)

    @classmethod
    def of(cls, parsed: Parsed) -> Survey:
        """The survey of a file read whole."""
        survey = cls(total=parsed.row_count)
        for record in (*parsed.posts, *parsed.audience):
            survey.owner_rows[record.owner] = survey.owner_rows.get(record.owner, 0) + 1
        return survey

    def add(self, part: Parsed) -> None:
        """One part of a file read in parts."""
        self.in_parts = True
        rows = self.owner_rows
        self.total += len(part.daily) + len(part.post_daily)
        for post in part.posts:
            key = post_key(post)
            if key in self._seen:
                self.repeated.add(key)
                continue
            self._seen.add(key)
            rows[post.owner] = rows.get(post.owner, 0) + 1
            self.total += 1
        for record in part.audience:
            rows[record.owner] = rows.get(record.owner, 0) + 1
            self.total += 1
        day = part.latest_date()
        if day is not None and (self.latest_day is None or day > self.latest_day):
            self.latest_day = day
            self.latest = latest_records(part, day)


def post_key(post: PostRecord) -> bytes:
    """A post's owner and id as a 16-byte digest: a million posts of a large file are
    remembered in tens of megabytes (as text, hundreds), and two digests of 128 bits do not
    collide in practice."""
    return hashlib.blake2b(f"{post.owner}\x1f{post.post_id}".encode(), digest_size=16).digest()


def latest_records(part: Parsed, day: date) -> Parsed:
    """The records of `part` dated `day` (the check of dates after the export's end)."""
    return Parsed(
        platform=part.platform,
        posts=[p for p in part.posts if _day(p.published) == day],
        daily=[d for d in part.daily if d.date == day],
        post_daily=[d for d in part.post_daily if d.date == day],
    )


def _day(published: date | datetime | None) -> date | None:
    return published.date() if isinstance(published, datetime) else published


# -- one file ----------------------------------------------------------------------------


@dataclass
class FileRead:
    """A file read and checked: what the engine needs to decide its account and write it."""

    sha: str
    format_id: str
    parsed: Parsed
    as_of: date
    as_of_basis: str
    survey: Survey
    #: what the importer decided about the file where it was read (`connectors.importer.Router`):
    #: its account(s) (`Route`) and its records as stage tables (`connectors.staging.Staged`),
    #: after which `parsed` holds no records
    route: object | None = None
    staged: object | None = None

    @property
    def fmt(self) -> ExportFormat:
        return format_by_id(self.format_id)


@dataclass
class FileRefused:
    """A file refused while read; `format_id` when its format was known by then."""

    sha: str
    format_id: str | None
    refusal: ImportRefused


class FileReader:
    """Reads files with one batch's settings: the header aliases, `--as-of`, the import day."""

    def __init__(self, aliases: object, as_of: date | None, today: date) -> None:
        self.aliases = aliases
        self.as_of = as_of  # `--as-of`: overrides every file's as-of date
        self.today = today

    def read(self, source: SourceFile) -> FileRead | FileRefused:
        """Read and check a file. Whatever goes wrong with it refuses that file only: the user
        gets one line, developers the traceback in the log."""
        sha = source.sha256()
        fmt: ExportFormat | None = None
        try:
            if source.missing:
                raise ImportRefused("not_found")
            for stream in (True, False):
                try:
                    # A large CSV streams through a format that reads in chunks; every other
                    # format is given the whole file.
                    doc = self.document(source, stream)
                    fmt = detect_format(doc)
                    if doc.more_rows is not None and fmt.reads_in_chunks:
                        parsed, survey = self._survey(fmt, doc)
                    else:
                        doc.materialise()
                        parsed, survey = fmt.read(doc), None
                    break
                except StreamFallback:
                    # Bytes that are not UTF-8 (or NUL) in the middle of a streamed file: reading
                    # it whole decides whether it is another encoding or damage, and says which.
                    if not stream:
                        raise
            if survey is None:
                survey = Survey.of(parsed)
            if survey.total == 0:  # a header and no rows: nothing to import, not "0 rows"
                raise ImportRefused("no_rows")
            as_of, basis, latest_possible = self._as_of(parsed, doc, survey.latest_day)
            platform = fmt.platform or parsed.platform
            if survey.in_parts:  # its parts were checked, but not against the end date
                check_values(survey.latest or Parsed(platform), platform, latest_possible)
            else:
                check_values(parsed, platform, latest_possible)
        except Exception as error:
            refusal = error if isinstance(error, ImportRefused) else None
            if refusal is None:
                _LOG.exception("reading %s failed", source.name)
                refusal = ImportRefused("internal_error", error=type(error).__name__)
            return FileRefused(sha, fmt.id if fmt else None, refusal)
        return FileRead(sha, fmt.id, parsed, as_of, basis, survey)

    def document(self, source: SourceFile, stream: bool = True) -> Document:
        """A file decoded, with this batch's aliases and default as-of."""
        doc = read_document(source, stream=stream)
        doc.aliases = self.aliases
        doc.as_of, doc.as_of_basis = self.default_as_of(source)
        return doc

    def default_as_of(self, source: SourceFile) -> tuple[date, str]:
        """The export's end date before its content is read (formats whose dates have no year
        need it): `--as-of`, else a period in the file or zip name, else the file's (or zip
        entry's) modification date, else the import day."""
        if self.as_of is not None:
            return self.as_of, "override"
        period = period_in_name(source.filename, source.container)
        if period:
            return period[1], "name"
        if source.modified is not None:
            return source.modified, "modified"
        return self.today, "import_day"

    def _as_of(
        self, parsed: Parsed, doc: Document, latest: date | None = None
    ) -> tuple[date, str, date]:
        """The as-of date of a read file, why, and the latest date its records may carry.

        `--as-of`; else the format's reading of its name (an X legacy name's end is
        exclusive, say); else `default_as_of`. A name or `--as-of` is an end date no record
        may pass. A modification date is only a hint (copies and clocks change it): records
        may reach the import day, and a file whose data ends after its modification date is
        as of its last day of data.
        """
        if self.as_of is not None:
            return self.as_of, "override", self.as_of
        if parsed.as_of is not None:
            return parsed.as_of, "name", parsed.as_of
        as_of, basis = doc.as_of, doc.as_of_basis
        if basis == "name":
            return as_of, basis, as_of
        latest = latest or parsed.latest_date()
        if latest is not None and latest > as_of:
            return latest, "data", max(as_of, self.today)
        return as_of, basis, max(as_of, self.today)

    def _survey(self, fmt: ExportFormat, doc: Document) -> tuple[Parsed, Survey]:
        """A large file read through once, in parts, keeping what deciding on it needs but
        none of its records (they are read again when written: `parts_again`): counts, the
        latest date, which posts appear in more than one part. Each part's values are checked
        as it comes; dates after the export's end once the end is known."""
        survey = Survey()
        platform = fmt.platform
        last: Parsed | None = None
        for part in fmt.read_parts(doc):
            check_values(part, platform or part.platform, NO_END)
            survey.add(part)
            last = part
        if last is None:
            raise ImportRefused("no_rows")
        last.posts, last.daily, last.post_daily, last.audience = [], [], [], []
        return last, survey

    def parts_again(
        self, source: SourceFile, fmt: ExportFormat, sha: str
    ) -> Callable[[], Iterator[Parsed]]:
        """The parts of a large file, read again to be written; the file must not have changed
        since it was checked."""

        def parts() -> Iterator[Parsed]:
            if source.sha256() != sha:
                raise ImportRefused("changed_while_importing")
            yield from fmt.read_parts(self.document(source))

        return parts


# -- on all cores --------------------------------------------------------------------------

# Files read ahead of the one being written, per worker: enough to keep the workers busy while
# the engine writes a batch (a few hundred files, up to a second), few enough that memory does
# not grow with the folder: a file read comes back as its stage tables (`connectors.staging`),
# tens of kilobytes for most exports, so a window of this many costs a few tens of megabytes.
_AHEAD_PER_WORKER = 500
# ... and at most this many bytes of files (as on disk) ahead, whatever their number.
_AHEAD_BYTES = 64 * 2**20
# Fewer files than this are read here: a worker process takes about a second to start.
_FILES_FOR_WORKERS = 32
#: What is done with a file once read, where it was read (the importer's `Router`): picklable,
#: sent once to each worker process.
Then = Callable[[SourceFile, "FileRead | FileRefused"], "FileRead | FileRefused"]
_worker_reader: FileReader | None = None
_worker_then: Then | None = None


def _unchanged(source: SourceFile, read: FileRead | FileRefused) -> FileRead | FileRefused:
    return read


def _start_worker(registry_dir: str, as_of: date | None, today: date, then: Then) -> None:
    global _worker_reader, _worker_then
    _worker_reader = FileReader(book_for(Path(registry_dir)), as_of, today)
    _worker_then = then


def _read_in_worker(path: str, name: str, modified: date | None) -> FileRead | FileRefused:
    assert _worker_reader is not None and _worker_then is not None
    source = file_source(Path(path), name, modified)
    return _worker_then(source, _worker_reader.read(source))


def _read_bytes_in_worker(
    name: str, data: bytes, container: str | None, modified: date | None
) -> FileRead | FileRefused:
    assert _worker_reader is not None and _worker_then is not None
    source = SourceFile(name, data, container, modified=modified)
    return _worker_then(source, _worker_reader.read(source))


def read_in_workers(
    reader: FileReader,
    sources: Sequence[SourceFile] | Listing,
    workers: int,
    registry_dir: Path,
    then: Then = _unchanged,
) -> Iterator[tuple[SourceFile, FileRead | FileRefused]]:
    """Each source with its reading, passed through `then`, in order. With `workers` ≥ 1,
    files below the streaming size are read by that many processes, up to a batch ahead of the
    caller, while it writes the ones before; large files, read in parts (which the engine reads
    again while writing), are read here. Zip members are loaded here (within the zip's limits)
    and read there. A worker that dies (a process that cannot be started here) only means the
    files are read here."""
    if len(sources) < _FILES_FOR_WORKERS:
        workers = 0  # starting a worker costs more than reading a few files
    pending = iter(sources)
    if workers > 0:
        yield from _read_ahead(reader, pending, workers, registry_dir, then)
    for source in pending:
        yield source, then(source, reader.read(source))


def _read_ahead(
    reader: FileReader,
    pending: Iterator[SourceFile],
    workers: int,
    registry_dir: Path,
    then: Then,
) -> Iterator[tuple[SourceFile, FileRead | FileRefused]]:
    context = get_context("spawn")  # no fork of a process that runs DuckDB's threads
    args = (str(registry_dir), reader.as_of, reader.today, then)
    with ProcessPoolExecutor(workers, context, _start_worker, args) as pool:
        window: deque[tuple[SourceFile, Future | None, int]] = deque()
        ahead = 0  # bytes of the files in the window

        def submit() -> bool:
            nonlocal ahead
            source = next(pending, None)
            if source is None:
                return False
            future, size = None, 0
            with suppress(BrokenProcessPool):  # then read here
                if source.path is not None:
                    size = _size(source.path)
                    if size < STREAM_BYTES:
                        args = (str(source.path), source.name, source.modified)
                        future = pool.submit(_read_in_worker, *args)
                elif not source.missing and source.refusal is None:
                    # A zip member (or an upload): its bytes are loaded here, within the zip's
                    # limits (`connectors/archives.py`), and read there.
                    try:
                        data = source.data
                    except Exception:  # read here, where it is refused with one line
                        data = b""
                    size = len(data)
                    if source.refusal is None and 0 < size < STREAM_BYTES:
                        args = (source.name, data, source.container, source.modified)
                        future = pool.submit(_read_bytes_in_worker, *args)
                        source.release()
            window.append((source, future, size))
            ahead += size
            return True

        def room() -> bool:
            return not window or (
                len(window) < workers * _AHEAD_PER_WORKER and ahead < _AHEAD_BYTES
            )

        while room() and submit():
            pass
        while window:
            source, future, size = window.popleft()
            ahead -= size
            while room() and submit():
                pass
            read = None
            if future is not None:
                try:
                    read = future.result()
                except BrokenProcessPool:
                    _LOG.warning("a worker process stopped: %s is read here", source.name)
            yield source, read or then(source, reader.read(source))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def default_workers() -> int:
    """Worker processes for a command-line import: none on one core, two on two, one per core
    but the writer's from three. Workers send a file back as its stage tables (a few Arrow
    buffers), not as Python records, whose pickling cost 40 % of reading them: on 2 cores the
    ministry's files took 28-30 s with two workers, 34 s with one, 35-36 s with none
    (BENCHMARKS.md, 27 November, evening)."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return 0
    return 2 if cores == 2 else cores - 1
