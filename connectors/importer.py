"""The import engine: the same rules for every export format.

For each file: decode, detect its format by headers, read it, decide its account, then write
all of it in one transaction, or nothing. The rules (issue #2, "Import rules"):

- all or nothing per file; a refused file gets one line (file, what is wrong, what to do);
- idempotent: the same file for the same account again is reported `unchanged`;
- post metrics are snapshots as of the export's end date; the latest as-of wins at read time;
- post times are converted to the mission's local time;
- follower totals are rebuilt after each import (see `rebuild_follower_totals`);
- every file is logged in `imports`, imported or refused.

Reading and checking happen file by file and write nothing; the files that pass are then
written in batches (see "writing" below).
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from connectors import logmessages
from connectors.aliases import book_for
from connectors.base import (
    AccountHints,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
    SourceFile,
    display_text,
    format_label,
)
from connectors.mapping import format_by_id
from connectors.reading import (
    FileRead,
    FileReader,
    FileRefused,
    Survey,
    detect_format,
    post_key,
    read_in_workers,
)
from connectors.sources import Listing
from connectors.staging import Staged, stage
from data.languages import detect_post_languages, release_models
from data.localtime import ministry_today
from data.registry import (
    DEFAULT_REGISTRY,
    Registry,
    RegistryError,
    load_registry,
    upsert_registry,
)
from data.store import Store

ProgressCallback = Callable[[int, int, str], None]
_LOG = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What happened to one file."""

    file: str
    status: str  # imported | unchanged | refused
    format: str | None = None
    format_label: str | None = None
    account_id: str | None = None
    rows: int = 0
    as_of: date | None = None
    as_of_basis: str | None = None  # override | name | modified | import_day | data
    left_out: list[LeftOut] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # rows read but not imported, why
    refusal: ImportRefused | None = field(default=None, repr=False)
    sha256: str | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True unless the file was refused."""
        return self.status != "refused"

    def message(self, lang: str | None = None, markdown: bool = False) -> str:
        """One line for the user: the file, and what was imported or why it was refused.

        File names and refusal parameters come from the user's files: they are shown escaped
        (`display_text`); `markdown=True` for the dashboard, which renders markdown."""
        from i18n import format_date, format_number, t

        file = display_text(self.file, 160, markdown)
        if self.refusal is not None:
            reason = self.refusal.message(lang, markdown=markdown)
            return t("import.line.refused", lang=lang, file=file, reason=reason)
        line = t(
            f"import.line.{self.status}",
            lang=lang,
            file=file,
            format=format_label(self.format, lang) if self.format else self.format_label,
            account=display_text(self.account_id, 160, markdown),
            rows=format_number(self.rows, lang=lang),
            as_of=format_date(self.as_of, lang),  # "–" when unknown
            basis=t(f"import.as_of.{self.as_of_basis or 'data'}", lang=lang),
        )
        for reason, rows in sorted(self.skipped.items()):
            line += " " + t(
                f"import.skipped.{reason}", lang=lang, rows=format_number(rows, lang=lang)
            )
        if self.left_out:
            line += " " + left_out_message(self.left_out, lang, markdown)
        return line


def left_out_message(
    left_out: Sequence[LeftOut], lang: str | None = None, markdown: bool = False
) -> str:
    """`12 rows of 2 pages not in the registry were left out: 1234 (Name) 10 rows, ...`

    Page ids and names come from the file: shown escaped (`display_text`)."""
    from i18n import t

    pages = "; ".join(
        t(
            "import.left_out.page",
            lang=lang,
            id=display_text(item.external_id, markdown=markdown),
            name=display_text(item.name or "–", markdown=markdown),
            rows=item.rows,
        )
        for item in left_out[:10]
    )
    if len(left_out) > 10:
        pages += "; …"
    return t(
        "import.left_out.line",
        lang=lang,
        rows=sum(item.rows for item in left_out),
        pages=len(left_out),
        list=pages,
    )


# -- account resolution ------------------------------------------------------------------


_WORD = re.compile(r"[A-Za-z0-9]+")


def _name_candidates(name: str, max_words: int = 8) -> set[str]:
    """Every piece of a file name that a handle could be: runs of whole words (letters and
    digits) with what stands between them, e.g. `kaiadevintern`, `kaiadevintern_account`, …
    A handle matches a name when it is one of these, case aside: it is neither preceded nor
    followed by a letter or digit there."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(name)]
    return {
        name[start:end].casefold()
        for i, (start, _) in enumerate(words)
        for (_, end) in words[i : i + max_words]
    }


def _normal(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


class AccountIndex:
    """The registry's accounts, indexed for deciding whose a file is (built once per batch)."""

    def __init__(self, accounts: Sequence[dict]) -> None:
        self.by_id = {a["account_id"]: a for a in accounts}
        self.by_external: dict[str, list[dict]] = {}
        self.by_handle: dict[str, list[dict]] = {}
        self.by_display: dict[str, list[dict]] = {}
        for a in accounts:
            if a["external_id"]:
                self.by_external.setdefault(a["external_id"], []).append(a)
            if a["handle"]:
                self.by_handle.setdefault(a["handle"].casefold(), []).append(a)
            if a["display_name"]:
                self.by_display.setdefault(_normal(a["display_name"]), []).append(a)

    @staticmethod
    def _pick(index: dict[str, list[dict]], keys: Iterable[str], platform: str | None) -> set[str]:
        return {
            a["account_id"]
            for key in keys
            for a in index.get(key, ())
            if platform is None or a["platform"] == platform
        }

    def resolve(
        self, parsed: Parsed, fmt: ExportFormat, source: SourceFile, explicit: str | None = None
    ) -> str:
        """The account a file belongs to, decided in this order:

        `explicit` (`--account`, checked against what the file says), the external id in the
        file, handles in the file's content, a handle in the file or zip name, the display name.
        """
        platform = parsed.platform or fmt.platform
        hints = parsed.hints
        owners_of_ids = self._pick(self.by_external, hints.external_ids, platform)

        if explicit:
            account = self.by_id.get(explicit)
            if account is None:
                raise ImportRefused("unknown_account", account=explicit)
            if platform and account["platform"] != platform:
                raise ImportRefused(
                    "platform_mismatch",
                    platform=platform,
                    account=explicit,
                    account_platform=account["platform"],
                )
            others = owners_of_ids - {explicit}
            if others:
                raise ImportRefused(
                    "account_mismatch", found=", ".join(sorted(others)), account=explicit
                )
            return explicit

        names = [source.filename] + ([source.container] if source.container else [])
        named = self._pick(
            self.by_handle, set().union(*(_name_candidates(n) for n in names)), platform
        )
        steps = (
            ("content", lambda: owners_of_ids),
            (
                "content",
                lambda: self._pick(self.by_handle, {h.casefold() for h in hints.handles}, platform),
            ),
            ("name", lambda: named),
            (
                "name",
                lambda: self._pick(
                    self.by_display, {_normal(n) for n in hints.display_names}, platform
                ),
            ),
        )
        for origin, step in steps:
            candidates = step()
            if len(candidates) == 1:
                found = next(iter(candidates))
                if origin == "content" and named and found not in named:
                    # The name says one registered account, the ids or links inside another:
                    # a renamed or mixed-up file. Importing it would credit the wrong mission.
                    raise ImportRefused(
                        "name_mismatch", named=", ".join(sorted(named)), found=found
                    )
                return found
            if len(candidates) > 1:
                raise ImportRefused("ambiguous_account", accounts=", ".join(sorted(candidates)))
        described = []
        if hints.external_ids:
            described.append("id " + ", ".join(sorted(hints.external_ids)))
        if hints.handles:
            described.append("@" + ", @".join(sorted(hints.handles)))
        if hints.display_names:
            described.append(", ".join(sorted(hints.display_names)))
        raise ImportRefused("no_account", hints="; ".join(described) or source.filename)

    def platform_routes(self, parsed: Parsed, account_id: str) -> dict[str, str]:
        """Files holding records of two platforms (Meta's 2024 insights: a Facebook and an
        Instagram series in one file, records carrying `platform`): platform -> account. The
        file's account takes the records of its platform; the others go to the account of the
        same mission and owner on their platform, which the registry must know."""
        wanted = {r.platform for r in (*parsed.daily, *parsed.audience) if r.platform}
        if not wanted:
            return {}
        account = self.by_id[account_id]
        routes: dict[str, str] = {}
        for platform in sorted(wanted):
            siblings = {
                a["account_id"]
                for a in self.by_id.values()
                if a["mission_id"] == account["mission_id"]
                and a["platform"] == platform
                and a["owner"] == account["owner"]
            }
            if len(siblings) != 1:
                raise ImportRefused("no_sibling_account", platform=platform, account=account_id)
            routes[platform] = siblings.pop()
        return routes


@dataclass
class Route:
    """Whose a read file is, decided without the store (`route`)."""

    account_id: str | None = None  # None: the rows name their account, or their page does
    label: str = ""  # the account(s), as logged
    #: files of two platforms' records: platform -> account (`AccountIndex.platform_routes`)
    platforms: dict[str, str] = field(default_factory=dict)
    #: files of several pages: each page id the registry knows -> its account
    known: dict[str, str] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)  # pages the registry does not know
    refusal: ImportRefused | None = None


def route(
    index: AccountIndex,
    read: FileRead,
    source: SourceFile,
    explicit: str | None = None,
) -> Route:
    """The account(s) of a read file: a baseline file's rows name theirs, a file of one account
    is resolved (`AccountIndex.resolve`), a file of several pages routes each row by its page
    id. Raises `ImportRefused`; a file none of whose pages the registry knows gives a `Route`
    with its refusal and the pages left out (the importer notes them before refusing)."""
    parsed, fmt = read.parsed, read.fmt
    if parsed.daily and not parsed.posts and all(v.account_id for v in parsed.daily):
        for row, value in enumerate(parsed.daily, start=2):
            if value.account_id not in index.by_id:
                raise ImportRefused("baseline_account", account=value.account_id, row=row)
        return Route(None, ", ".join(sorted({v.account_id for v in parsed.daily})))
    if not parsed.owners:
        account_id = index.resolve(parsed, fmt, source, explicit)
        platforms = index.platform_routes(parsed, account_id)
        return Route(account_id, ", ".join(sorted({account_id, *platforms.values()})), platforms)

    # A file of several pages or accounts: each row goes to the account of its owner id.
    platform = parsed.platform or fmt.platform
    if explicit:
        raise ImportRefused("mixed_accounts", ids=", ".join(sorted(parsed.owners)))
    known: dict[str, str] = {}
    left_out: list[LeftOut] = []
    counts = read.survey.owner_rows
    for owner, name in sorted(parsed.owners.items()):
        accounts = index._pick(index.by_external, [owner], platform)
        if len(accounts) == 1:
            known[owner] = next(iter(accounts))
        else:
            left_out.append(LeftOut(platform or "", owner, name, counts.get(owner, 0)))
    if not known:
        refusal = ImportRefused(
            "unknown_pages",
            pages=len(left_out),
            list=", ".join(f"{item.external_id} ({item.name or '–'})" for item in left_out[:8])
            + (", …" if len(left_out) > 8 else ""),
        )
        return Route(left_out=left_out, refusal=refusal)
    return Route(None, ", ".join(sorted(set(known.values()))), known=known, left_out=left_out)


class Router:
    """What the importer decides about a file where it was read (a worker process, or the
    importer itself: `read_in_workers`' `then`): its route, and its records staged as Arrow
    tables (`connectors.staging`), so that the Python records never cross between processes.
    Nothing here depends on the store or on the files before: whether a file was imported
    already is the writer's to decide (`Importer._decide`)."""

    def __init__(self, index: AccountIndex, zones: dict[str, str], account: str | None) -> None:
        self.index = index
        self.zones = zones  # account -> its mission's time zone (a name: sent to workers)
        self.account = account  # `--account`
        self._zone_infos: dict[str, ZoneInfo] = {}

    def __getstate__(self) -> dict:
        return {"index": self.index, "zones": self.zones, "account": self.account}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["index"], state["zones"], state["account"])  # type: ignore[misc]

    def __call__(self, source: SourceFile, read: FileRead | FileRefused) -> FileRead | FileRefused:
        if isinstance(read, FileRefused):
            return read
        try:
            read.route = found = route(self.index, read, source, self.account)
            if found.refusal is None and not read.survey.in_parts:
                # A file read in parts is staged part by part while written (`_write_parts`).
                if not self._zone_infos:
                    self._zone_infos = {a: ZoneInfo(z) for a, z in self.zones.items()}
                parsed = read.parsed
                read.staged = stage(
                    parsed,
                    account_id=found.account_id,
                    routes=found.known,
                    platforms=found.platforms,
                    as_of=read.as_of,
                    sha=read.sha,
                    zones=self._zone_infos,
                )
                parsed.posts, parsed.daily, parsed.post_daily, parsed.audience = [], [], [], []
        except Exception as error:
            refusal = error if isinstance(error, ImportRefused) else None
            if refusal is None:
                _LOG.exception("routing %s failed", source.name)
                refusal = ImportRefused("internal_error", error=type(error).__name__)
            read.route, read.staged = Route(refusal=refusal), None
        return read


def resolve_account(
    parsed: Parsed,
    fmt: ExportFormat,
    source: SourceFile,
    accounts: Sequence[dict],
    explicit: str | None = None,
) -> str:
    """The account a file belongs to (see `AccountIndex.resolve`)."""
    return AccountIndex(accounts).resolve(parsed, fmt, source, explicit)


# -- writing -----------------------------------------------------------------------------
#
# Files that passed every check are written together, one transaction per batch (a few hundred
# files), because each statement has a fixed cost that dominates small files. The merges are
# aggregates over "what is stored + what comes", so their result does not depend on the order
# in which files arrive, within a batch or across batches. If a batch cannot be written, each of
# its files is written in a transaction of its own, so that one file can only fail itself.

_BATCH_MAX_FILES = 1000
_BATCH_MAX_ROWS = 600_000


@dataclass
class LeftOut:
    """Rows of a page or account that the registry does not know, left out of an import."""

    platform: str
    external_id: str
    name: str | None
    rows: int


@dataclass
class _Ready:
    """A file that passed every check and waits to be written."""

    source: SourceFile
    sha: str
    fmt: ExportFormat
    parsed: Parsed
    account_id: str | None  # None for files that name the account on each row
    label: str  # the account(s), as logged
    as_of: date
    as_of_basis: str = "data"
    #: files of several accounts: owner id -> account, for the accounts written now
    routes: dict[str, str] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)
    rows: int | None = None  # records written, when not all of the file's
    #: files of two platforms' records (`AccountIndex.platform_routes`): platform -> account
    platforms: dict[str, str] = field(default_factory=dict)
    #: records of the file (a post listed twice counted once), and per owner id
    total: int = 0
    owner_rows: dict[str | None, int] = field(default_factory=dict)
    #: a large file read in parts: its parts, read again when it is written (`parsed` then
    #: holds no records), and the posts that appear in more than one part (`post_key`)
    parts: Callable[[], Iterator[Parsed]] | None = None
    repeated: set[bytes] = field(default_factory=set)
    #: the file's records as stage tables (`connectors.staging`), made where it was read
    staged: Staged | None = None

    def account_of(self, owner: str | None) -> str | None:
        """The account a record of this file goes to (None: not written now)."""
        if owner is None or not self.parsed.owners:
            return self.account_id
        return self.routes.get(owner)

    def rows_of(self, account_id: str) -> int:
        """Records of the file that go to `account_id`."""
        if not self.parsed.owners:
            return self.total
        return sum(
            n for owner, n in self.owner_rows.items() if self.routes.get(owner) == account_id
        )

    def result(self) -> ImportResult:
        return ImportResult(
            self.source.name,
            "imported",
            self.fmt.id,
            self.fmt.label,
            self.label,
            self.total if self.rows is None else self.rows,
            self.as_of,
            as_of_basis=self.as_of_basis,
            left_out=self.left_out,
            skipped=self.parsed.skipped,
        )


# The follower totals' stage (`rebuild_follower_totals`); the files' stages are built where the
# files are read (`connectors/staging.py`).
_TYPES = {
    "account_id": pa.string(),
    "date": pa.date32(),
    "followers": pa.float64(),
    "basis": pa.string(),
}


def _arrow(columns: dict[str, list]) -> pa.Table:
    return pa.table({c: pa.array(v, type=_TYPES[c]) for c, v in columns.items()})


@contextmanager
def _staged(cur: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list]) -> Iterator[None]:
    """`columns` registered as a relation `name` for the statements inside the block."""
    cur.register(name, _arrow(columns))
    try:
        yield
    finally:
        cur.unregister(name)


def _replace_by_key(
    cur: duckdb.DuckDBPyConnection, table: str, stage: str, keys: Sequence[str]
) -> None:
    """Rows of `stage` replace the stored rows with the same key; within the stage, the row of
    the file that came last wins (its `seq`)."""
    on = " AND ".join(f"{table}.{k} = s.{k}" for k in keys)
    cur.execute(f"DELETE FROM {table} USING {stage} s WHERE {on}")
    cur.execute(
        f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (seq) FROM {stage} "
        f"QUALIFY row_number() OVER (PARTITION BY {', '.join(keys)} ORDER BY seq DESC) = 1"
    )


def _staged_of(files: Sequence[_Ready], kind: str) -> pa.Table | None:
    """The batch's rows of one kind: each file's staged table with its place in the batch
    (`seq`). The files' tables are put together first and numbered with one column: a column
    appended to each of a thousand small tables cost more than the statements reading them."""
    tables, places, rows = [], [], []
    for seq, file in enumerate(files):
        table = getattr(file.staged, kind) if file.staged is not None else None
        if table is not None and table.num_rows:
            tables.append(table)
            places.append(seq)
            rows.append(table.num_rows)
    if not tables:
        return None
    whole = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    return whole.append_column("seq", pa.array(np.repeat(np.array(places, np.int64), rows)))


@contextmanager
def _registered(cur: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    cur.register(name, table)
    try:
        yield
    finally:
        cur.unregister(name)


def _write_posts(cur: duckdb.DuckDBPyConnection, files: Sequence[_Ready]) -> None:
    """Merge the posts of `files` and replace their metric snapshots."""
    posts = _staged_of(files, "posts")
    if posts is not None:
        with _registered(cur, "stage_posts", posts):
            _merge_posts(cur)
    metrics = _staged_of(files, "metrics")
    if metrics is not None:
        with _registered(cur, "stage_metrics", metrics):
            _replace_by_key(
                cur, "post_metrics", "stage_metrics", ("account_id", "post_id", "as_of")
            )


def _merge_posts(cur: duckdb.DuckDBPyConnection) -> None:
    """Merge the relation `stage_posts` into `posts`."""
    newest = "epoch_ms(as_of) * 100000 + seq"  # newest export first; later file on a tie
    # The publish time is taken whole from the most precise export (with a zone > local
    # time > date only), newest first among equals; other fields from the newest export
    # that has them. Stored rows carry seq -1: a file of this batch wins a tie with them.
    precision = "(published_utc IS NOT NULL)::INT * 2 + (published_local IS NOT NULL)::INT"
    cur.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE merged_posts AS
        WITH combined AS (
            SELECT p.*, -1 AS seq FROM posts p
            SEMI JOIN stage_posts s ON p.account_id = s.account_id AND p.post_id = s.post_id
            UNION ALL BY NAME SELECT * FROM stage_posts
        ), picked AS (
            SELECT account_id, post_id,
                arg_max({{'utc': published_utc, 'local': published_local, 'day': published_date}},
                        ({precision}) * 1e15 + {newest}) FILTER (WHERE published_date IS NOT NULL) AS t,
                arg_max(post_type, {newest}) FILTER (WHERE post_type IS NOT NULL) AS post_type,
                arg_max(text, {newest}) FILTER (WHERE text IS NOT NULL) AS text,
                arg_max(platform_language, {newest}) FILTER (WHERE platform_language IS NOT NULL)
                    AS platform_language,
                arg_max(permalink, {newest}) FILTER (WHERE permalink IS NOT NULL) AS permalink,
                max(as_of) AS as_of,
                arg_max(sha256, {newest}) AS sha256
            FROM combined GROUP BY account_id, post_id
        )
        SELECT account_id, post_id, t.utc AS published_utc, t.local AS published_local,
               t.day AS published_date, post_type, text, platform_language, permalink, as_of,
               sha256
        FROM picked
        """
    )
    cur.execute(
        "DELETE FROM posts USING stage_posts s "
        "WHERE posts.account_id = s.account_id AND posts.post_id = s.post_id"
    )

    cur.execute("INSERT INTO posts BY NAME SELECT * FROM merged_posts")
    cur.execute("DROP TABLE merged_posts")


def _write_daily(cur: duckdb.DuckDBPyConnection, files: Sequence[_Ready]) -> set[str]:
    """Write account-level and per-post daily values; returns the accounts touched."""
    touched: set[str] = set()
    for file in files:
        if file.staged is not None:
            touched |= file.staged.daily_accounts()
    daily = _staged_of(files, "daily")
    if daily is not None:
        with _registered(cur, "stage_daily", daily):
            _replace_by_key(
                cur, "account_daily", "stage_daily", ("account_id", "date", "metric", "as_of")
            )
    per_post = _staged_of(files, "post_daily")
    if per_post is not None:
        with _registered(cur, "stage_post_daily", per_post):
            _replace_by_key(
                cur,
                "post_daily",
                "stage_post_daily",
                ("account_id", "post_id", "date", "metric", "as_of"),
            )
    return touched


def _write_audience(cur: duckdb.DuckDBPyConnection, files: Sequence[_Ready]) -> None:
    """Write audience breakdowns (country, city, gender, age shares or counts)."""
    audience = _staged_of(files, "audience")
    if audience is not None:
        with _registered(cur, "stage_audience", audience):
            _replace_by_key(
                cur,
                "audience",
                "stage_audience",
                ("account_id", "as_of", "dimension", "key", "kind"),
            )


def follower_totals_from(
    known: dict[date, float], net: dict[date, float]
) -> dict[date, tuple[float, str]]:
    """Daily follower totals from known end-of-day totals and a net daily change series.

    Known totals are kept (`reported`). Over each run of consecutive days that have a net change,
    a day's total is rebuilt from the nearest known total that the run connects it to (a known
    total inside the run, or on the day before it): forwards `T(d) = K(k) + Σ net(k+1..d)`,
    backwards `T(d) = K(k) − Σ net(d+1..k)`. Ties go to the earlier known total. Days the series
    does not reach stay unknown.
    """
    totals: dict[date, tuple[float, str]] = {d: (v, "reported") for d, v in known.items()}
    days = sorted(net)
    one = timedelta(days=1)
    i = 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + one:
            j += 1
        run = days[i : j + 1]
        start = run[0]
        # prefix[d] = Σ net(start..d); prefix(start - 1) = 0
        prefix: dict[date, float] = {start - one: 0.0}
        running = 0.0
        for d in run:
            running += net[d]
            prefix[d] = running
        anchors = sorted(d for d in prefix if d in known)
        if anchors:
            for d in run:
                if d in known:
                    continue
                pos = bisect.bisect_left(anchors, d)
                candidates = []
                if pos > 0:
                    candidates.append(anchors[pos - 1])
                if pos < len(anchors):
                    candidates.append(anchors[pos])
                k = min(candidates, key=lambda a: (abs((a - d).days), a))
                totals[d] = (known[k] + prefix[d] - prefix[k], "rebuilt")
        i = j + 1
    return totals


def rebuild_follower_totals(cur: duckdb.DuckDBPyConnection, account_ids: Iterable[str]) -> None:
    """Recompute `follower_totals` of these accounts from their latest daily values."""
    accounts = sorted(set(account_ids))
    if not accounts:
        return
    # The latest as-of per account, day and metric (the rule of view account_daily_latest),
    # read for these accounts only: the view would rank the whole table. One row per account
    # and day, in account order, with its known total and its net change: the same precedence
    # as the net_follows KPI (metrics/families/audience.py): new follows minus unfollows where
    # both are reported, else the net change series. (Pivoted here rather than in Python, as
    # Arrow: a row per day instead of one per metric, 1.09 -> 0.90 s for every account of the
    # ministry's store.)
    found = cur.sql(
        """
        WITH latest AS (
            SELECT account_id, date, metric, value FROM account_daily
            WHERE account_id IN (SELECT unnest(?::VARCHAR[]))
              AND metric IN ('followers', 'net_follows', 'new_follows', 'unfollows')
            QUALIFY row_number() OVER (PARTITION BY account_id, date, metric ORDER BY as_of DESC, sha256) = 1
        )
        SELECT account_id, date,
            max(value) FILTER (WHERE metric = 'followers') AS known,
            coalesce(
                max(value) FILTER (WHERE metric = 'new_follows')
                    - max(value) FILTER (WHERE metric = 'unfollows'),
                max(value) FILTER (WHERE metric = 'net_follows')
            ) AS net
        FROM latest GROUP BY account_id, date ORDER BY account_id
        """,
        params=[accounts],
    ).to_arrow_table()
    names = ("account_id", "date", "known", "net")
    rows = zip(*(found.column(name).to_pylist() for name in names), strict=True)
    columns: dict[str, list] = {"account_id": [], "date": [], "followers": [], "basis": []}
    for account_id, group in itertools.groupby(rows, key=lambda row: row[0]):  # account order
        days = list(group)
        known = {day: value for _, day, value, _ in days if value is not None}
        net = {day: value for _, day, _, value in days if value is not None}
        totals = sorted(follower_totals_from(known, net).items())
        columns["account_id"] += [account_id] * len(totals)
        columns["date"] += [day for day, _ in totals]
        columns["followers"] += [followers for _, (followers, _) in totals]
        columns["basis"] += [basis for _, (_, basis) in totals]
    cur.execute(
        "DELETE FROM follower_totals WHERE account_id IN (SELECT unnest(?::VARCHAR[]))", [accounts]
    )
    if columns["date"]:
        with _staged(cur, "stage_totals", columns):
            cur.execute("INSERT INTO follower_totals BY NAME SELECT * FROM stage_totals")


_LOG_COLUMNS = {
    "import_id": pa.string(),
    "file_name": pa.string(),
    "sha256": pa.string(),
    "format": pa.string(),
    "account_id": pa.string(),
    "row_count": pa.int64(),
    "as_of": pa.date32(),
    "period_start": pa.date32(),
    "period_end": pa.date32(),
    "imported_at": pa.timestamp("us"),
    "outcome": pa.string(),
    "message": pa.string(),
    "origin": pa.string(),
    "message_code": pa.string(),  # the message in the reader's language: connectors/logmessages
    "message_params": pa.string(),
}


def _log(cur: duckdb.DuckDBPyConnection, entries: Sequence[tuple]) -> None:
    """Append rows to `imports` (tuples in the table's column order), staged like the data:
    row-by-row inserts cost a millisecond each."""
    if not entries:
        return
    columns = {
        name: pa.array([entry[i] for entry in entries], type=kind)
        for i, (name, kind) in enumerate(_LOG_COLUMNS.items())
    }
    cur.register("stage_log", pa.table(columns))
    try:
        cur.execute("INSERT INTO imports BY NAME SELECT * FROM stage_log")
    finally:
        cur.unregister("stage_log")


def _log_entry(
    file_name: str,
    sha: str,
    origin: str,
    outcome: str,
    format_id: str | None = None,
    ready: _Ready | None = None,
    refusal: ImportRefused | None = None,
    account_id: str | None = None,
    rows: int | None = None,
) -> tuple:
    parsed = ready.parsed if ready else None
    message = code = params = None
    if refusal is not None:
        message = refusal.message("en")
        code, params = logmessages.from_refusal(refusal)
    elif ready is not None and ready.left_out:
        message = left_out_message(ready.left_out, "en")
        code, params = logmessages.from_left_out(ready.left_out)
    return (
        uuid.uuid4().hex,
        file_name,
        sha,
        format_id,
        account_id or (ready.label if ready else None),
        rows if rows is not None else (ready.total if ready else None),
        ready.as_of if ready else None,
        parsed.period_start if parsed else None,
        parsed.period_end if parsed else None,
        datetime.now(UTC).replace(tzinfo=None),
        outcome,
        message,
        origin,
        code,
        params,
    )


# -- the engine --------------------------------------------------------------------------


def _write_parts(
    cur: duckdb.DuckDBPyConnection, ready: _Ready, zones: dict[str, ZoneInfo]
) -> set[str]:
    """Write a file read in parts, in the caller's transaction, holding one part at a time.

    The parts' posts go to Parquet files in a temporary folder, merged into the store at the
    end by the same statements as any file's (`_merge_posts`): DuckDB keeps many small inserts
    of one transaction in memory, one large insert it streams to the database file. A post
    that appears in several parts is held back until its last copy and staged once, made one
    by the format's rule (`ExportFormat.merge_duplicate`)."""
    assert ready.parts is not None
    held: dict[tuple[str | None, str], PostRecord] = {}
    skipped: dict[str, int] = {}
    touched: set[str] = set()
    owners = ready.parsed.owners  # records are routed by the file's owners, not a part's
    with tempfile.TemporaryDirectory(prefix="diplopulse-import-") as folder:
        staged = {"stage_posts": Path(folder, "posts"), "stage_metrics": Path(folder, "metrics")}
        for path in staged.values():
            path.mkdir()

        def stage_part(parsed: Parsed, number: int) -> None:
            piece = replace(
                ready,
                parsed=parsed,
                staged=stage(
                    parsed,
                    account_id=ready.account_id,
                    routes=ready.routes,
                    platforms=ready.platforms,
                    as_of=ready.as_of,
                    sha=ready.sha,
                    zones=zones,
                ),
            )
            for kind, path in zip(("posts", "metrics"), staged.values(), strict=True):
                table = piece.staged.table(kind, 0) if piece.staged else None
                if table is not None:
                    pq.write_table(table, path / f"{number}.parquet")
            touched.update(_write_daily(cur, [piece]))
            _write_audience(cur, [piece])

        number = 0
        for number, part in enumerate(ready.parts()):
            alone = []
            for post in part.posts:
                key = (post.owner, post.post_id)
                if post_key(post) not in ready.repeated:
                    alone.append(post)
                elif key in held:
                    held[key] = ready.fmt.merge_duplicate(held[key], post, skipped)
                else:
                    held[key] = post
            part.posts, part.owners = alone, owners
            stage_part(part, number)
        stage_part(
            Parsed(ready.parsed.platform, posts=list(held.values()), owners=owners), number + 1
        )
        for name, path in staged.items():
            if not any(path.iterdir()):
                continue
            files = str(path / "*.parquet").replace("'", "''")
            cur.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM read_parquet('{files}')")
            try:
                if name == "stage_posts":
                    _merge_posts(cur)
                else:
                    keys = ("account_id", "post_id", "as_of")
                    _replace_by_key(cur, "post_metrics", name, keys)
            finally:
                cur.execute(f"DROP VIEW {name}")
    for reason, rows in skipped.items():
        ready.parsed.skipped[reason] = ready.parsed.skipped.get(reason, 0) + rows
    return touched


class Importer:
    """Imports files into a store; one instance per batch of files."""

    def __init__(
        self,
        store: Store,
        *,
        registry_dir: Path | str | None = None,
        account: str | None = None,
        origin: str = "cli",
        today: date | None = None,
        as_of: date | None = None,
        workers: int = 0,
        detect_languages: bool = True,
    ) -> None:
        self.store = store
        # False only to measure what detection costs (bench/): a store imported without it needs
        # `python -m metrics detect-languages` before its language KPIs mean anything.
        self.detect_languages = detect_languages
        self.language_seconds = 0.0  # time spent deciding languages, for the benchmark
        self.workers = workers  # processes that read files while this one writes (0: none)
        self.account = account
        self.origin = origin
        # The import day in the ministry's calendar, not the host's: the as-of fallback.
        self.today = today or ministry_today()
        self.as_of = as_of  # `--as-of`: overrides every file's as-of date
        self.registry_dir = Path(registry_dir) if registry_dir else DEFAULT_REGISTRY
        self.registry: Registry = load_registry(registry_dir)  # raises RegistryError
        self.aliases = book_for(self.registry_dir)  # raises AliasFileError
        self.reader = FileReader(self.aliases, as_of, self.today)
        self._unknown: list[tuple] = []
        self._index = AccountIndex([])
        self._zones: dict[str, ZoneInfo] = {}
        self._zone_names: dict[str, str] = {}
        self._imported: set[tuple[str, str]] = set()

    def _load_accounts(self, cur: duckdb.DuckDBPyConnection) -> None:
        upsert_registry(cur, self.registry)
        rows = cur.execute(
            "SELECT a.account_id, a.mission_id, a.platform, a.owner, a.handle, a.external_id, "
            "a.display_name, m.timezone FROM accounts a JOIN missions m USING (mission_id)"
        ).fetchall()
        names = (
            "account_id",
            "mission_id",
            "platform",
            "owner",
            "handle",
            "external_id",
            "display_name",
        )
        self._index = AccountIndex([dict(zip(names, r[:7], strict=True)) for r in rows])
        self._zone_names = {r[0]: r[7] for r in rows}
        self._zones = {r[0]: ZoneInfo(r[7]) for r in rows}
        self._imported = {
            (sha, account)
            for sha, account in cur.execute(
                "SELECT sha256, account_id FROM imports WHERE outcome = 'imported'"
            ).fetchall()
        }

    def iter_sources(
        self, sources: Iterable[SourceFile], progress: ProgressCallback | None = None
    ) -> Iterator[ImportResult]:
        """Import each file all or nothing; yields one result per file, in order."""
        # A `Listing` counts its files without holding them; anything else is listed here.
        pending = sources if isinstance(sources, Listing) else list(sources)
        batch: list[_Ready | ImportResult] = []
        rows = 0
        with self.store.write_batch():
            with self.store.write() as cur:
                self._load_accounts(cur)  # the registry is upserted once per batch, before any file
            router = Router(self._index, self._zone_names, self.account)
            reads = read_in_workers(
                self.reader, pending, self.workers, self.registry_dir, then=router
            )
            for number, (source, read) in enumerate(reads, start=1):
                if progress:
                    progress(number - 1, len(pending), source.name)
                checked = self._decide(source, read)
                batch.append(checked)
                if isinstance(checked, _Ready) and checked.parts is not None:
                    # A large file read in parts is written alone, part by part.
                    batch.pop()
                    yield from self._flush(batch)
                    yield from self._flush([checked])
                    batch, rows = [], 0
                    continue
                if isinstance(checked, _Ready):
                    rows += checked.total
                if len(batch) >= _BATCH_MAX_FILES or rows >= _BATCH_MAX_ROWS:
                    yield from self._flush(batch)
                    batch, rows = [], 0
            yield from self._flush(batch)
        if self.detect_languages:
            release_models()  # hundreds of MB once every mission's languages were read
        if progress:
            progress(len(pending), len(pending), "")

    def iter_import(
        self, paths: Iterable[str | Path], progress: ProgressCallback | None = None
    ) -> Iterator[ImportResult]:
        """`iter_sources` over files, folders (recursively) and zips."""
        return self.iter_sources(Listing(paths), progress)

    def import_sources(
        self, sources: Iterable[SourceFile], progress: ProgressCallback | None = None
    ) -> list[ImportResult]:
        """Import each file all or nothing; one result per file, in order."""
        return list(self.iter_sources(sources, progress))

    def import_paths(
        self, paths: Iterable[str | Path], progress: ProgressCallback | None = None
    ) -> list[ImportResult]:
        """Import files, folders (recursively) and zips."""
        return list(self.iter_import(paths, progress))

    def _decide(self, source: SourceFile, read: FileRead | FileRefused) -> _Ready | ImportResult:
        """Decide everything about a file read, checked and routed, writing nothing: ready, or
        a result (refused, or unchanged since it was imported)."""
        if isinstance(read, FileRefused):
            return self._refused(source, read.sha, read.format_id, read.refusal)
        fmt, sha = read.fmt, read.sha
        found = read.route
        assert isinstance(found, Route), "read_in_workers routes every file it reads"
        if found.refusal is not None:
            if found.refusal.code == "unknown_pages":
                self._note_unknown(source, sha, found.left_out)
            return self._refused(source, sha, fmt.id, found.refusal)
        ready = self._ready(
            read.survey,
            source,
            sha,
            fmt,
            read.parsed,
            found.account_id,
            found.label,
            read.as_of,
            read.as_of_basis,
        )
        ready.platforms = found.platforms
        ready.staged = read.staged if isinstance(read.staged, Staged) else None
        if found.known:
            # A file of several pages: the pages whose rows were imported from it before are
            # left alone; the pages the registry does not know are noted.
            routes = {o: a for o, a in found.known.items() if (sha, a) not in self._imported}
            ready.routes, ready.left_out = routes, found.left_out
            if found.left_out:
                self._note_unknown(source, sha, found.left_out)
            if not routes:
                result = ready.result()
                result.status = "unchanged"
                result.rows = 0
                return result
            if ready.staged is not None and routes != found.known:
                ready.staged = ready.staged.only(set(routes.values()))
            ready.label = ", ".join(sorted(set(routes.values())))
            ready.rows = sum(ready.rows_of(a) for a in set(routes.values()))
        elif (sha, ready.label) in self._imported:
            result = ready.result()
            result.status = "unchanged"
            return result
        self._imported.add((sha, ready.label))  # the same file twice in one batch: once
        for account_id in ready.routes.values():
            self._imported.add((sha, account_id))
        return ready

    @staticmethod
    def _refused(
        source: SourceFile, sha: str, format_id: str | None, refusal: ImportRefused
    ) -> ImportResult:
        fmt = format_by_id(format_id) if format_id else None
        return ImportResult(
            source.name,
            "refused",
            format_id,
            fmt.label if fmt else None,
            refusal=refusal,
            sha256=sha,
        )

    def _ready(self, survey: Survey, *args: Any) -> _Ready:
        ready = _Ready(*args)
        ready.total, ready.owner_rows = survey.total, survey.owner_rows
        if survey.in_parts:
            ready.parts = self.reader.parts_again(ready.source, ready.fmt, ready.sha)
            ready.repeated = survey.repeated
        return ready

    def _note_unknown(self, source: SourceFile, sha: str, left_out: Sequence[LeftOut]) -> None:
        """Remember pages the registry does not know (written with the batch), and keep a copy
        of the file, so that the Data page can attach them and import their rows later."""
        pending = keep_pending_copy(self.store, source, sha)
        for item in left_out:
            self._unknown.append(
                (
                    item.platform,
                    item.external_id,
                    item.name,
                    source.name,
                    sha,
                    item.rows,
                    datetime.now(UTC).replace(tzinfo=None),
                    pending,
                )
            )

    def _write(self, items: Sequence[_Ready | ImportResult]) -> None:
        """Write the ready files of `items` and log every file of it, in one transaction."""
        ready = [item for item in items if isinstance(item, _Ready)]
        # Pages the registry does not know, noted while checking: written with this batch, and
        # forgotten only once it is committed (a failed batch is written again file by file).
        unknown = list(self._unknown)
        with self.store.write() as cur:
            whole = [item for item in ready if item.parts is None]
            _write_posts(cur, whole)
            touched = _write_daily(cur, whole)
            _write_audience(cur, whole)
            for item in ready:
                if item.parts is not None:
                    touched |= _write_parts(cur, item, self._zones)
            touched |= {r.account_id for r in ready if r.account_id}
            touched |= {a for r in ready for a in r.routes.values()}
            rebuild_follower_totals(cur, touched)
            # The language of the posts written, in the same transaction: a file's posts are
            # never stored without it (data/languages.py; only new or changed posts are read).
            if self.detect_languages:
                started = time.perf_counter()
                detect_post_languages(cur, touched)
                self.language_seconds += time.perf_counter() - started
            _note_unknown_accounts(cur, unknown)
            entries = []
            for item in items:
                if isinstance(item, _Ready) and item.routes:
                    # One log line per account: idempotence is per file and account.
                    for account_id in sorted(set(item.routes.values())):
                        entries.append(
                            _log_entry(
                                item.source.name,
                                item.sha,
                                self.origin,
                                "imported",
                                item.fmt.id,
                                item,
                                account_id=account_id,
                                rows=item.rows_of(account_id),
                            )
                        )
                elif isinstance(item, _Ready):
                    entries.append(
                        _log_entry(
                            item.source.name, item.sha, self.origin, "imported", item.fmt.id, item
                        )
                    )
                elif item.refusal is not None:
                    entries.append(
                        _log_entry(
                            item.file,
                            item.sha256 or "",
                            self.origin,
                            "refused",
                            item.format,
                            refusal=item.refusal,
                        )
                    )
            _log(cur, entries)
        del self._unknown[: len(unknown)]

    def _flush(self, batch: list[_Ready | ImportResult]) -> Iterator[ImportResult]:
        if not batch:
            return
        try:
            self._write(batch)
        except Exception as error:
            if len(batch) > 1:
                # Something in the batch cannot be written: write file by file, so that only
                # the file at fault fails.
                for item in batch:
                    yield from self._flush([item])
                return
            item = batch[0]
            if not isinstance(item, _Ready):
                raise  # not even the log line of a refusal can be written
            self._imported.discard((item.sha, item.label))
            for account_id in item.routes.values():
                self._imported.discard((item.sha, account_id))
            failed = ImportResult(
                item.source.name,
                "refused",
                item.fmt.id,
                item.fmt.label,
                # A file read in parts is read again while written: its refusal is its own.
                refusal=error
                if isinstance(error, ImportRefused)
                else ImportRefused("write_failed", detail=f"{type(error).__name__}: {error}"[:300]),
                sha256=item.sha,
            )
            with suppress(Exception):  # log it if the database lets us; the user sees it anyway
                self._write([failed])
            yield failed
            return
        for item in batch:
            yield item.result() if isinstance(item, _Ready) else item


PENDING_FOLDER = "pending"


def keep_pending_copy(store: Store, source: SourceFile, sha: str) -> str | None:
    """Keep a copy of a file some of whose rows wait for their account (pages the registry
    does not know yet), beside the database: `pending/<sha256>/<file name>`. Returns its path
    relative to the database's folder, or None when it could not be written."""
    folder = store.path.parent / PENDING_FOLDER / sha
    target = folder / (source.filename or "export")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            with source.open() as stream, target.open("wb") as copy:
                shutil.copyfileobj(stream, copy, 2**20)  # a large file is not loaded whole
    except (OSError, ImportRefused):
        _LOG.warning("could not keep a pending copy of %s", source.name, exc_info=True)
        return None
    return str(target.relative_to(store.path.parent))


def _note_unknown_accounts(cur: duckdb.DuckDBPyConnection, rows: Sequence[tuple]) -> None:
    """Record pages and accounts seen in imports that the registry does not know."""
    if not rows:
        return
    columns = (
        "platform",
        "external_id",
        "display_name",
        "file_name",
        "sha256",
        "row_count",
        "seen_at",
        "pending_file",
    )
    for row in rows:
        cur.execute(
            "DELETE FROM unknown_accounts WHERE platform = ? AND external_id = ? AND sha256 = ?",
            [row[0], row[1], row[4]],
        )
        cur.execute(
            f"INSERT INTO unknown_accounts ({', '.join(columns)}) VALUES "
            f"({', '.join('?' for _ in columns)})",
            list(row),
        )


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    registry_dir: Path | str | None = None,
    account: str | None = None,
    origin: str = "cli",
    progress: ProgressCallback | None = None,
) -> list[ImportResult]:
    """Convenience: `Importer(...).import_paths(paths)`. Raises `RegistryError` for a bad registry."""
    return Importer(store, registry_dir=registry_dir, account=account, origin=origin).import_paths(
        paths, progress
    )


__all__ = [
    "AccountHints",
    "ImportResult",
    "Importer",
    "RegistryError",
    "detect_format",
    "follower_totals_from",
    "import_paths",
    "rebuild_follower_totals",
    "resolve_account",
]
