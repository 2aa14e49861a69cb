"""The import engine: the same rules for every export format.

For each file: decode, detect its format by headers, read it, decide its account, then write
all of it in one transaction, or nothing. The rules (issue #2, "Import rules"):

- all or nothing per file; a refused file gets one line (file, what is wrong, what to do);
- idempotent: the same file for the same account again is reported `unchanged`;
- post metrics are snapshots as of the export's end date; the latest as-of wins at read time;
- post times are converted to the mission's local time;
- follower totals are rebuilt after each import (see `rebuild_follower_totals`);
- every file is logged in `imports`, imported or refused.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from connectors.base import (
    AccountHints,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    SourceFile,
    formats,
)
from connectors.sources import from_paths, read_document
from data.registry import Registry, RegistryError, load_registry, upsert_registry
from data.store import Store

ProgressCallback = Callable[[int, int, str], None]


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
    refusal: ImportRefused | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True unless the file was refused."""
        return self.status != "refused"

    def message(self, lang: str | None = None) -> str:
        """One line for the user: the file, and what was imported or why it was refused."""
        from i18n import t

        if self.refusal is not None:
            return t(
                "import.line.refused", lang=lang, file=self.file, reason=self.refusal.message(lang)
            )
        return t(
            f"import.line.{self.status}",
            lang=lang,
            file=self.file,
            format=self.format_label or self.format,
            account=self.account_id,
            rows=self.rows,
            as_of=self.as_of.isoformat() if self.as_of else "–",
        )


# -- format detection --------------------------------------------------------------------


def detect_format(doc: Document) -> ExportFormat:
    """The one registered format whose `detect` accepts `doc`, or `ImportRefused`."""
    matches = [fmt for fmt in formats() if fmt.detect(doc)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ImportRefused("ambiguous_format", formats=", ".join(f.label for f in matches))
    headers = ", ".join(h for h in (doc.header(0) + doc.header(1))[:6] if h) or "–"
    known = "; ".join(sorted({f.label for f in formats()}))
    raise ImportRefused("unknown_format", headers=headers[:120], known=known)


# -- account resolution ------------------------------------------------------------------


def _handle_in_name(handle: str, name: str) -> bool:
    pattern = r"(?<![A-Za-z0-9])" + re.escape(handle) + r"(?![A-Za-z0-9])"
    return re.search(pattern, name, re.IGNORECASE) is not None


def _normal(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def resolve_account(
    parsed: Parsed,
    fmt: ExportFormat,
    source: SourceFile,
    accounts: Sequence[dict],
    explicit: str | None = None,
) -> str:
    """The account a file belongs to, decided in this order:

    `explicit` (`--account`, checked against what the file says), the external id in the file,
    handles in the file's content, a handle in the file or zip name, the display name.
    """
    platform = parsed.platform or fmt.platform
    hints = parsed.hints
    by_id = {a["account_id"]: a for a in accounts}
    pool = [a for a in accounts if platform is None or a["platform"] == platform]
    owners_of_ids = {
        a["account_id"] for a in pool if a["external_id"] and a["external_id"] in hints.external_ids
    }

    if explicit:
        account = by_id.get(explicit)
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

    def decide(candidates: set[str]) -> str | None:
        if len(candidates) == 1:
            return next(iter(candidates))
        if len(candidates) > 1:
            raise ImportRefused("ambiguous_account", accounts=", ".join(sorted(candidates)))
        return None

    handles = {h.casefold() for h in hints.handles}
    names = [source.filename] + ([source.container] if source.container else [])
    display_names = {_normal(n) for n in hints.display_names}
    steps = (
        owners_of_ids,
        {a["account_id"] for a in pool if a["handle"] and a["handle"].casefold() in handles},
        {
            a["account_id"]
            for a in pool
            if a["handle"] and any(_handle_in_name(a["handle"], n) for n in names)
        },
        {
            a["account_id"]
            for a in pool
            if a["display_name"] and _normal(a["display_name"]) in display_names
        },
    )
    for candidates in steps:
        found = decide(candidates)
        if found:
            return found
    described = []
    if hints.external_ids:
        described.append("id " + ", ".join(sorted(hints.external_ids)))
    if hints.handles:
        described.append("@" + ", @".join(sorted(hints.handles)))
    if hints.display_names:
        described.append(", ".join(sorted(hints.display_names)))
    raise ImportRefused("no_account", hints="; ".join(described) or source.filename)


# -- writing -----------------------------------------------------------------------------

_POST_METRICS = (
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


def _local_times(
    published: object, zone: ZoneInfo
) -> tuple[datetime | None, datetime | None, date | None]:
    """(utc, local, local date) of a post's publish time, per the rules in PostRecord."""
    if isinstance(published, datetime):
        if published.tzinfo is not None:
            local = published.astimezone(zone).replace(tzinfo=None)
            return published.astimezone(UTC).replace(tzinfo=None), local, local.date()
        return None, published, published.date()
    if isinstance(published, date):
        return None, None, published
    return None, None, None


def _stage(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    columns: dict[str, list],
    types: dict[str, pa.DataType],
) -> None:
    cur.register(name, pa.table({c: pa.array(v, type=types[c]) for c, v in columns.items()}))


def _write_posts(
    cur: duckdb.DuckDBPyConnection,
    account_id: str,
    parsed: Parsed,
    as_of: date,
    sha: str,
    zone: ZoneInfo,
) -> None:
    posts = parsed.posts
    if not posts:
        return
    times = [_local_times(p.published, zone) for p in posts]
    n = len(posts)
    _stage(
        cur,
        "stage_posts",
        {
            "account_id": [account_id] * n,
            "post_id": [p.post_id for p in posts],
            "published_utc": [t[0] for t in times],
            "published_local": [t[1] for t in times],
            "published_date": [t[2] for t in times],
            "post_type": [p.post_type for p in posts],
            "text": [p.text for p in posts],
            "permalink": [p.permalink for p in posts],
            "as_of": [as_of] * n,
            "sha256": [sha] * n,
        },
        {
            "account_id": pa.string(),
            "post_id": pa.string(),
            "published_utc": pa.timestamp("us"),
            "published_local": pa.timestamp("us"),
            "published_date": pa.date32(),
            "post_type": pa.string(),
            "text": pa.string(),
            "permalink": pa.string(),
            "as_of": pa.date32(),
            "sha256": pa.string(),
        },
    )
    fields = (
        "published_utc",
        "published_local",
        "published_date",
        "post_type",
        "text",
        "permalink",
    )
    # Newer (or same-date) export: its values win, the stored ones fill what it lacks.
    newer = ", ".join(f"{f} = COALESCE(s.{f}, posts.{f})" for f in fields)
    cur.execute(
        f"UPDATE posts SET {newer}, as_of = s.as_of, sha256 = s.sha256 FROM stage_posts s "
        "WHERE posts.account_id = s.account_id AND posts.post_id = s.post_id AND s.as_of >= posts.as_of"
    )
    # Older export imported later: it only fills what the stored row lacks.
    older = ", ".join(f"{f} = COALESCE(posts.{f}, s.{f})" for f in fields)
    cur.execute(
        f"UPDATE posts SET {older} FROM stage_posts s "
        "WHERE posts.account_id = s.account_id AND posts.post_id = s.post_id AND s.as_of < posts.as_of"
    )
    cur.execute(
        "INSERT INTO posts SELECT s.* FROM stage_posts s ANTI JOIN posts p "
        "ON p.account_id = s.account_id AND p.post_id = s.post_id"
    )
    cur.unregister("stage_posts")

    with_metrics = [p for p in posts if p.has_metrics]
    if not with_metrics:
        return
    m = len(with_metrics)
    columns: dict[str, list] = {
        "account_id": [account_id] * m,
        "post_id": [p.post_id for p in with_metrics],
        "as_of": [as_of] * m,
    }
    types: dict[str, pa.DataType] = {
        "account_id": pa.string(),
        "post_id": pa.string(),
        "as_of": pa.date32(),
    }
    for metric in _POST_METRICS:
        columns[metric] = [getattr(p, metric) for p in with_metrics]
        types[metric] = pa.float64()
    columns["sha256"] = [sha] * m
    types["sha256"] = pa.string()
    _stage(cur, "stage_metrics", columns, types)
    cur.execute(
        "DELETE FROM post_metrics USING stage_metrics s WHERE post_metrics.account_id = s.account_id "
        "AND post_metrics.post_id = s.post_id AND post_metrics.as_of = s.as_of"
    )
    cur.execute(f"INSERT INTO post_metrics ({', '.join(columns)}) SELECT * FROM stage_metrics")
    cur.unregister("stage_metrics")


def _write_daily(
    cur: duckdb.DuckDBPyConnection, account_id: str, parsed: Parsed, as_of: date, sha: str
) -> set[str]:
    """Write account-level daily values; returns the accounts touched."""
    rows = parsed.daily
    if not rows:
        return set()
    accounts = [v.account_id or account_id for v in rows]
    n = len(rows)
    _stage(
        cur,
        "stage_daily",
        {
            "account_id": accounts,
            "date": [v.date for v in rows],
            "metric": [v.metric for v in rows],
            "value": [v.value for v in rows],
            "as_of": [as_of] * n,
            "sha256": [sha] * n,
        },
        {
            "account_id": pa.string(),
            "date": pa.date32(),
            "metric": pa.string(),
            "value": pa.float64(),
            "as_of": pa.date32(),
            "sha256": pa.string(),
        },
    )
    cur.execute(
        "DELETE FROM account_daily USING stage_daily s WHERE account_daily.account_id = s.account_id "
        "AND account_daily.date = s.date AND account_daily.metric = s.metric AND account_daily.as_of = s.as_of"
    )
    cur.execute("INSERT INTO account_daily SELECT * FROM stage_daily")
    cur.unregister("stage_daily")
    return set(accounts)


def _write_post_daily(
    cur: duckdb.DuckDBPyConnection, account_id: str, parsed: Parsed, as_of: date, sha: str
) -> None:
    rows = parsed.post_daily
    if not rows:
        return
    n = len(rows)
    _stage(
        cur,
        "stage_post_daily",
        {
            "account_id": [account_id] * n,
            "post_id": [v.post_id for v in rows],
            "date": [v.date for v in rows],
            "metric": [v.metric for v in rows],
            "value": [v.value for v in rows],
            "as_of": [as_of] * n,
            "sha256": [sha] * n,
        },
        {
            "account_id": pa.string(),
            "post_id": pa.string(),
            "date": pa.date32(),
            "metric": pa.string(),
            "value": pa.float64(),
            "as_of": pa.date32(),
            "sha256": pa.string(),
        },
    )
    cur.execute(
        "DELETE FROM post_daily USING stage_post_daily s WHERE post_daily.account_id = s.account_id "
        "AND post_daily.post_id = s.post_id AND post_daily.date = s.date "
        "AND post_daily.metric = s.metric AND post_daily.as_of = s.as_of"
    )
    cur.execute("INSERT INTO post_daily SELECT * FROM stage_post_daily")
    cur.unregister("stage_post_daily")


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
    for account_id in sorted(set(account_ids)):
        rows = cur.execute(
            "SELECT date, metric, value FROM account_daily_latest WHERE account_id = ? "
            "AND metric IN ('followers', 'net_follows', 'new_follows', 'unfollows') AND value IS NOT NULL",
            [account_id],
        ).fetchall()
        series: dict[str, dict[date, float]] = {}
        for day, metric, value in rows:
            series.setdefault(metric, {})[day] = value
        known = series.get("followers", {})
        # The same precedence as the net_follows KPI (metrics/families/audience.py): new follows
        # minus unfollows where both are reported, else the net change series.
        gained, lost = series.get("new_follows", {}), series.get("unfollows", {})
        net = {day: gained[day] - lost[day] for day in gained.keys() & lost.keys()}
        for day, change in series.get("net_follows", {}).items():
            net.setdefault(day, change)
        totals = follower_totals_from(known, net)
        cur.execute("DELETE FROM follower_totals WHERE account_id = ?", [account_id])
        if totals:
            ordered = sorted(totals.items())
            _stage(
                cur,
                "stage_totals",
                {
                    "account_id": [account_id] * len(ordered),
                    "date": [d for d, _ in ordered],
                    "followers": [v for _, (v, _) in ordered],
                    "basis": [b for _, (_, b) in ordered],
                },
                {
                    "account_id": pa.string(),
                    "date": pa.date32(),
                    "followers": pa.float64(),
                    "basis": pa.string(),
                },
            )
            cur.execute("INSERT INTO follower_totals SELECT * FROM stage_totals")
            cur.unregister("stage_totals")


def _log(
    cur: duckdb.DuckDBPyConnection,
    source: SourceFile,
    sha: str,
    *,
    origin: str,
    outcome: str,
    fmt: ExportFormat | None = None,
    account_id: str | None = None,
    rows: int | None = None,
    as_of: date | None = None,
    parsed: Parsed | None = None,
    message: str | None = None,
) -> None:
    cur.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            uuid.uuid4().hex,
            source.name,
            sha,
            fmt.id if fmt else None,
            account_id,
            rows,
            as_of,
            parsed.period_start if parsed else None,
            parsed.period_end if parsed else None,
            datetime.now(UTC).replace(tzinfo=None),
            outcome,
            message,
            origin,
        ],
    )


# -- the engine --------------------------------------------------------------------------


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
    ) -> None:
        self.store = store
        self.account = account
        self.origin = origin
        self.today = today or date.today()
        self.registry: Registry = load_registry(registry_dir)  # raises RegistryError
        self._accounts: list[dict] = []
        self._zones: dict[str, ZoneInfo] = {}

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
        self._accounts = [dict(zip(names, r[:7], strict=True)) for r in rows]
        self._zones = {r[0]: ZoneInfo(r[7]) for r in rows}

    def iter_sources(
        self, sources: Iterable[SourceFile], progress: ProgressCallback | None = None
    ) -> Iterator[ImportResult]:
        """Import each file in its own transaction, yielding its result as soon as it is done."""
        pending = list(sources)
        with self.store.write() as cur:
            self._load_accounts(cur)  # the registry is upserted once per batch, before any file
        for number, source in enumerate(pending, start=1):
            if progress:
                progress(number - 1, len(pending), source.name)
            yield self.import_one(source)
        if progress:
            progress(len(pending), len(pending), "")

    def iter_import(
        self, paths: Iterable[str | Path], progress: ProgressCallback | None = None
    ) -> Iterator[ImportResult]:
        """`iter_sources` over files, folders (recursively) and zips."""
        return self.iter_sources(from_paths(paths), progress)

    def import_sources(
        self, sources: Iterable[SourceFile], progress: ProgressCallback | None = None
    ) -> list[ImportResult]:
        """Import each file in its own transaction; one result per file, in order."""
        return list(self.iter_sources(sources, progress))

    def import_paths(
        self, paths: Iterable[str | Path], progress: ProgressCallback | None = None
    ) -> list[ImportResult]:
        """Import files, folders (recursively) and zips."""
        return list(self.iter_import(paths, progress))

    def import_one(self, source: SourceFile) -> ImportResult:
        """Import one file, all or nothing."""
        sha = hashlib.sha256(source.data).hexdigest()
        fmt: ExportFormat | None = None
        try:
            if source.missing:
                raise ImportRefused("not_found")
            doc = read_document(source)
            fmt = detect_format(doc)
            parsed = fmt.read(doc)
            multi_account = (
                bool(parsed.daily) and all(v.account_id for v in parsed.daily) and not parsed.posts
            )
            if multi_account:
                account_id = None
                known = {a["account_id"] for a in self._accounts}
                for row, value in enumerate(parsed.daily, start=2):
                    if value.account_id not in known:
                        raise ImportRefused("baseline_account", account=value.account_id, row=row)
            else:
                account_id = resolve_account(parsed, fmt, source, self._accounts, self.account)
            as_of = parsed.as_of or parsed.latest_date() or self.today
            label = account_id or ", ".join(sorted({v.account_id for v in parsed.daily}))[:200]
            with self.store.write() as cur:
                if self._already_imported(cur, sha, label):
                    return ImportResult(
                        source.name, "unchanged", fmt.id, fmt.label, label, parsed.row_count, as_of
                    )
                touched = set()
                if account_id:
                    _write_posts(cur, account_id, parsed, as_of, sha, self._zones[account_id])
                    _write_post_daily(cur, account_id, parsed, as_of, sha)
                    touched.add(account_id)
                touched |= _write_daily(cur, account_id or "", parsed, as_of, sha)
                rebuild_follower_totals(cur, touched)
                _log(
                    cur,
                    source,
                    sha,
                    origin=self.origin,
                    outcome="imported",
                    fmt=fmt,
                    account_id=label,
                    rows=parsed.row_count,
                    as_of=as_of,
                    parsed=parsed,
                )
            return ImportResult(
                source.name, "imported", fmt.id, fmt.label, label, parsed.row_count, as_of
            )
        except ImportRefused as refusal:
            with self.store.write() as cur:
                _log(
                    cur,
                    source,
                    sha,
                    origin=self.origin,
                    outcome="refused",
                    fmt=fmt,
                    message=refusal.message("en"),
                )
            return ImportResult(
                source.name,
                "refused",
                fmt.id if fmt else None,
                fmt.label if fmt else None,
                refusal=refusal,
            )

    @staticmethod
    def _already_imported(cur: duckdb.DuckDBPyConnection, sha: str, account_label: str) -> bool:
        return (
            cur.execute(
                "SELECT count(*) FROM imports WHERE sha256 = ? AND account_id = ? AND outcome = 'imported'",
                [sha, account_label],
            ).fetchall()[0][0]
            > 0
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
