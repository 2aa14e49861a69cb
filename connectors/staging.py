"""A read file's records as the columns the store's merges read (the `stage_*` relations of
`connectors/importer.py`), built where the file was read.

The records of a file (`PostRecord`, `DailyValue`, ...) are Python objects: sending them from a
worker process to the writer cost 40 % of reading them (pickling, BENCHMARKS.md). A file's
`Staged` tables are a few Arrow buffers instead, which cross between processes almost for free;
so the worker that read a file also decides its account(s) and stages its records, and the
writer only adds each file's place in its batch (`seq`) and merges (issue #6: "the import parses
files on all cores"). The rules applied here are the importer's: the account of each record,
the local-time rule (`data.localtime.local_times`), the as-of and the file's digest on each row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from connectors.base import Parsed
from connectors.reading import POST_METRICS
from data.localtime import local_times

# The columns of each stage relation and their types; `seq` is added by the writer.
POST_COLUMNS = {
    "account_id": pa.string(),
    "post_id": pa.string(),
    "published_utc": pa.timestamp("us"),
    "published_local": pa.timestamp("us"),
    "published_date": pa.date32(),
    "post_type": pa.string(),
    "text": pa.string(),
    "platform_language": pa.string(),
    "permalink": pa.string(),
    "as_of": pa.date32(),
    "sha256": pa.string(),
}
METRIC_COLUMNS = {
    "account_id": pa.string(),
    "post_id": pa.string(),
    "as_of": pa.date32(),
    **dict.fromkeys(POST_METRICS, pa.float64()),
    "sha256": pa.string(),
}
DAILY_COLUMNS = {
    "account_id": pa.string(),
    "date": pa.date32(),
    "metric": pa.string(),
    "value": pa.float64(),
    "as_of": pa.date32(),
    "sha256": pa.string(),
}
POST_DAILY_COLUMNS = {
    "account_id": pa.string(),
    "post_id": pa.string(),
    "date": pa.date32(),
    "metric": pa.string(),
    "value": pa.float64(),
    "as_of": pa.date32(),
    "sha256": pa.string(),
}
AUDIENCE_COLUMNS = {
    "account_id": pa.string(),
    "as_of": pa.date32(),
    "dimension": pa.string(),
    "key": pa.string(),
    "value": pa.float64(),
    "unit": pa.string(),
    "kind": pa.string(),
    "sha256": pa.string(),
}
KINDS = {
    "posts": POST_COLUMNS,
    "metrics": METRIC_COLUMNS,
    "daily": DAILY_COLUMNS,
    "post_daily": POST_DAILY_COLUMNS,
    "audience": AUDIENCE_COLUMNS,
}
# Kinds whose rows go to the account of their owner id (files of several pages): the writer
# keeps only the rows of the accounts it writes now (`Staged.only`).
ROUTED_BY_OWNER = ("posts", "metrics", "audience")


def _table(columns: dict[str, list], types: dict[str, pa.DataType]) -> pa.Table | None:
    if not next(iter(columns.values())):
        return None
    return pa.table({name: pa.array(columns[name], type=kind) for name, kind in types.items()})


@dataclass
class Staged:
    """A file's records as Arrow tables, one per stage relation (None: no rows of that kind)."""

    posts: pa.Table | None = None
    metrics: pa.Table | None = None
    daily: pa.Table | None = None
    post_daily: pa.Table | None = None
    audience: pa.Table | None = None

    def table(self, kind: str, seq: int) -> pa.Table | None:
        """The rows of `kind`, with `seq` (the file's place in its batch: the later file wins
        a tie)."""
        table = getattr(self, kind)
        if table is None or table.num_rows == 0:
            return None
        return table.append_column("seq", pa.repeat(pa.scalar(seq, pa.int64()), table.num_rows))

    def only(self, accounts: set[str]) -> Staged:
        """The rows routed by owner id kept for `accounts` only (the other pages' rows were
        imported from this file before)."""
        keep = pa.array(sorted(accounts), pa.string())
        kept = {}
        for kind in ROUTED_BY_OWNER:
            table = getattr(self, kind)
            if table is not None:
                table = table.filter(pc.is_in(table["account_id"], value_set=keep))
            kept[kind] = table
        return Staged(daily=self.daily, post_daily=self.post_daily, **kept)

    def daily_accounts(self) -> set[str]:
        """The accounts whose daily values are staged (their follower totals are rebuilt)."""
        if self.daily is None:
            return set()
        return {a for a in pc.unique(self.daily["account_id"]).to_pylist() if a is not None}


def stage(
    parsed: Parsed,
    *,
    account_id: str | None,
    routes: dict[str, str],
    platforms: dict[str, str],
    as_of: date,
    sha: str,
    zones: dict[str, ZoneInfo],
) -> Staged:
    """The records of `parsed` as stage tables.

    The account of a record: a daily value's own (baseline files) or its platform's
    (`platforms`: files of two platforms), else the file's; a post or an audience slice of a
    file of several pages (`parsed.owners`) goes to the account of its owner id (`routes`), and
    is left out when there is none. Posts' times are put in their account's zone."""

    def account_of(owner: str | None) -> str | None:
        if owner is None or not parsed.owners:
            return account_id
        return routes.get(owner)

    staged = Staged()
    if parsed.posts:
        staged.posts, staged.metrics = _posts(parsed, account_of, as_of, sha, zones)
    if parsed.daily:
        daily: dict[str, list] = {name: [] for name in DAILY_COLUMNS}
        accounts, dates, metrics, values = (
            daily["account_id"],
            daily["date"],
            daily["metric"],
            daily["value"],
        )
        for value in parsed.daily:
            accounts.append(value.account_id or platforms.get(value.platform) or account_id)
            dates.append(value.date)
            metrics.append(value.metric)
            values.append(value.value)
        daily["as_of"] = [as_of] * len(dates)
        daily["sha256"] = [sha] * len(dates)
        staged.daily = _table(daily, DAILY_COLUMNS)
    if parsed.post_daily:
        records = parsed.post_daily
        staged.post_daily = _table(
            {
                "account_id": [account_id] * len(records),
                "post_id": [r.post_id for r in records],
                "date": [r.date for r in records],
                "metric": [r.metric for r in records],
                "value": [r.value for r in records],
                "as_of": [as_of] * len(records),
                "sha256": [sha] * len(records),
            },
            POST_DAILY_COLUMNS,
        )
    if parsed.audience:
        audience: dict[str, list] = {name: [] for name in AUDIENCE_COLUMNS}
        for item in parsed.audience:
            account = platforms.get(item.platform) or account_of(item.owner)
            if account is None:
                continue
            audience["account_id"].append(account)
            audience["as_of"].append(item.as_of or as_of)
            audience["dimension"].append(item.dimension)
            audience["key"].append(item.key)
            audience["value"].append(item.value)
            audience["unit"].append(item.unit)
            audience["kind"].append(item.kind)
            audience["sha256"].append(sha)
        staged.audience = _table(audience, AUDIENCE_COLUMNS)
    return staged


def _posts(
    parsed: Parsed,
    account_of: Callable[[str | None], str | None],
    as_of: date,
    sha: str,
    zones: dict[str, ZoneInfo],
) -> tuple[pa.Table | None, pa.Table | None]:
    posts: dict[str, list] = {name: [] for name in POST_COLUMNS}
    metrics: dict[str, list] = {name: [] for name in METRIC_COLUMNS}
    p_account, p_id, p_utc, p_local, p_date, p_type, p_text, p_lang, p_link = (
        posts[name] for name in list(POST_COLUMNS)[:9]
    )
    m_account, m_id = metrics["account_id"], metrics["post_id"]
    m_values: Sequence[list] = [metrics[name] for name in POST_METRICS]
    for post in parsed.posts:
        account = account_of(post.owner)
        if account is None:
            continue  # a page the registry does not know (reported)
        utc, local, day = local_times(post.published, zones[account])
        p_account.append(account)
        p_id.append(post.post_id)
        p_utc.append(utc)
        p_local.append(local)
        p_date.append(day)
        p_type.append(post.post_type)
        p_text.append(post.text)
        p_lang.append(post.language)
        p_link.append(post.permalink)
        if post.has_metrics:
            m_account.append(account)
            m_id.append(post.post_id)
            for column, name in zip(m_values, POST_METRICS, strict=True):
                column.append(getattr(post, name))
    posts["as_of"], posts["sha256"] = [as_of] * len(p_id), [sha] * len(p_id)
    metrics["as_of"], metrics["sha256"] = [as_of] * len(m_id), [sha] * len(m_id)
    return _table(posts, POST_COLUMNS), _table(metrics, METRIC_COLUMNS)
