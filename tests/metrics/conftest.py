"""A small store built by hand, whose KPIs are worked out by hand in the tests.

Registry: tests/fixtures/metrics/registry (3 missions, 5 accounts; see its README). Rows are
inserted directly into the tables, as the importer would have written them, then the follower
totals are rebuilt by the importer's own `rebuild_follower_totals`.

Window of the tests: W = 2025-03-01 .. 2025-03-14 (14 days, 2 weeks);
previous window P = 2025-02-15 .. 2025-02-28.

us-facebook (emb-us, America/New_York; Facebook legacy: local times without zone)
  post   local publish       snapshots (as_of: reactions/comments/shares/reach/impressions)
  fb-0   2025-03-11 08:00    none (the post is described, no metrics)
  fb-1   2025-03-02 10:00    03-20: 10/2/1/200/300  and older 03-05: 5/1/0/100/150
  fb-2   2025-03-10 09:00    03-20: 4/–/–/–/80      and older 03-12: 2/9/–/50/40
  fb-3   2025-03-12 12:00    03-20: all unknown
  fb-4   2025-03-13 18:00    03-20: all 0
  fb-5   2025-02-20 10:00    03-20: 6/0/0/60/100
  fb-6   2025-03-15 00:10    03-20: 100/0/0/1000/1000     (the day after W)
  daily: followers 02-28 = 1000, 03-03 = 1020; new_follows 03-01 = 10, 03-02 = 5,
         03-03 = 4 (an older as_of said 40); unfollows 03-01 = 2, 03-03 = 1
  totals rebuilt: 02-28 1000 (reported), 03-01 1008 (rebuilt: 1000 + 10 − 2), 03-03 1020

us-x-ambassador (emb-us, ambassador; X legacy: UTC times, converted to New York time)
  x-7    2025-03-15 03:30 UTC = 2025-03-14 23:30 EDT -> in W     3/1/2/–/500
  x-8    2025-03-01 04:30 UTC = 2025-02-28 23:30 EST -> in P     7/0/0/–/200
  daily: followers 03-10 = 300 (baseline)

jp-youtube (emb-jp; YouTube Table data: publish date only)
  yt-1   2025-03-05    likes 20, comments 5, shares –, views 1000, impressions 4000
  yt-2   2025-03-08    likes 10, comments –, shares –, views 500, impressions –
  daily: followers 03-10 = 2000 (baseline); net_follows (Subscribers) 03-08..03-12 =
         3, −1, 4, 2, 0
  totals rebuilt from 03-10 backwards and forwards: 03-08 1997, 03-09 1996, 03-10 2000,
         03-11 2002, 03-12 2002

jp-facebook (emb-jp): no post at all
  daily: followers 03-04..03-07 = 500, 510, 530, 560; 03-05: new_follows 20, unfollows 5,
         net_follows 11; 03-06: net_follows 12, new_follows 30 (no unfollows)

van-facebook (cg-vancouver): nothing.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from connectors.importer import rebuild_follower_totals
from data.registry import load_registry, upsert_registry
from data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metrics"
REGISTRY = FIXTURES / "registry"
W = (date(2025, 3, 1), date(2025, 3, 14))
P = (date(2025, 2, 15), date(2025, 2, 28))
NEW_YORK = ZoneInfo("America/New_York")
SHA = "0" * 64

# (account, post, local naive publish time or aware UTC time or date)
POSTS = [
    ("us-facebook", "fb-0", datetime(2025, 3, 11, 8, 0)),
    ("us-facebook", "fb-1", datetime(2025, 3, 2, 10, 0)),
    ("us-facebook", "fb-2", datetime(2025, 3, 10, 9, 0)),
    ("us-facebook", "fb-3", datetime(2025, 3, 12, 12, 0)),
    ("us-facebook", "fb-4", datetime(2025, 3, 13, 18, 0)),
    ("us-facebook", "fb-5", datetime(2025, 2, 20, 10, 0)),
    ("us-facebook", "fb-6", datetime(2025, 3, 15, 0, 10)),
    ("us-x-ambassador", "x-7", datetime(2025, 3, 15, 3, 30, tzinfo=UTC)),
    ("us-x-ambassador", "x-8", datetime(2025, 3, 1, 4, 30, tzinfo=UTC)),
    ("jp-youtube", "yt-1", date(2025, 3, 5)),
    ("jp-youtube", "yt-2", date(2025, 3, 8)),
]

# (account, post, as_of, reactions, comments, shares, reach, impressions, video_views),
# in insertion order: fb-1's newest snapshot goes in first, fb-2's last.
N = None
SNAPSHOTS = [
    ("us-facebook", "fb-1", date(2025, 3, 20), 10, 2, 1, 200, 300, N),
    ("us-facebook", "fb-1", date(2025, 3, 5), 5, 1, 0, 100, 150, N),
    ("us-facebook", "fb-2", date(2025, 3, 12), 2, 9, N, 50, 40, N),
    ("us-facebook", "fb-2", date(2025, 3, 20), 4, N, N, N, 80, N),
    ("us-facebook", "fb-3", date(2025, 3, 20), N, N, N, N, N, N),
    ("us-facebook", "fb-4", date(2025, 3, 20), 0, 0, 0, 0, 0, N),
    ("us-facebook", "fb-5", date(2025, 3, 20), 6, 0, 0, 60, 100, N),
    ("us-facebook", "fb-6", date(2025, 3, 20), 100, 0, 0, 1000, 1000, N),
    ("us-x-ambassador", "x-7", date(2025, 4, 1), 3, 1, 2, N, 500, N),
    ("us-x-ambassador", "x-8", date(2025, 4, 1), 7, 0, 0, N, 200, N),
    ("jp-youtube", "yt-1", date(2025, 3, 31), 20, 5, N, N, 4000, 1000),
    ("jp-youtube", "yt-2", date(2025, 3, 31), 10, N, N, N, N, 500),
]

LATEST = date(2025, 3, 31)
# (account, date, metric, value, as_of)
DAILY = [
    ("us-facebook", date(2025, 2, 28), "followers", 1000, LATEST),
    ("us-facebook", date(2025, 3, 3), "followers", 1020, LATEST),
    ("us-facebook", date(2025, 3, 1), "new_follows", 10, LATEST),
    ("us-facebook", date(2025, 3, 2), "new_follows", 5, LATEST),
    ("us-facebook", date(2025, 3, 3), "new_follows", 4, LATEST),
    ("us-facebook", date(2025, 3, 3), "new_follows", 40, date(2025, 3, 5)),  # older export
    ("us-facebook", date(2025, 3, 1), "unfollows", 2, LATEST),
    ("us-facebook", date(2025, 3, 3), "unfollows", 1, LATEST),
    ("us-x-ambassador", date(2025, 3, 10), "followers", 300, LATEST),
    ("jp-youtube", date(2025, 3, 10), "followers", 2000, LATEST),
    ("jp-youtube", date(2025, 3, 8), "net_follows", 3, LATEST),
    ("jp-youtube", date(2025, 3, 9), "net_follows", -1, LATEST),
    ("jp-youtube", date(2025, 3, 10), "net_follows", 4, LATEST),
    ("jp-youtube", date(2025, 3, 11), "net_follows", 2, LATEST),
    ("jp-youtube", date(2025, 3, 12), "net_follows", 0, LATEST),
    ("jp-facebook", date(2025, 3, 4), "followers", 500, LATEST),
    ("jp-facebook", date(2025, 3, 5), "followers", 510, LATEST),
    ("jp-facebook", date(2025, 3, 6), "followers", 530, LATEST),
    ("jp-facebook", date(2025, 3, 7), "followers", 560, LATEST),
    ("jp-facebook", date(2025, 3, 5), "new_follows", 20, LATEST),
    ("jp-facebook", date(2025, 3, 5), "unfollows", 5, LATEST),
    ("jp-facebook", date(2025, 3, 5), "net_follows", 11, LATEST),
    ("jp-facebook", date(2025, 3, 6), "net_follows", 12, LATEST),
    ("jp-facebook", date(2025, 3, 6), "new_follows", 30, LATEST),
]


def post_times(published: datetime | date) -> tuple[datetime | None, datetime | None, date]:
    """(published_utc, published_local, published_date) as the importer stores them."""
    if isinstance(published, datetime) and published.tzinfo is not None:
        local = published.astimezone(NEW_YORK).replace(tzinfo=None)
        return published.replace(tzinfo=None), local, local.date()
    if isinstance(published, datetime):
        return None, published, published.date()
    return None, None, published


def fill(store: Store) -> Store:
    """Write the registry and the rows above into `store`, then rebuild follower totals."""
    with store.write() as cur:
        upsert_registry(cur, load_registry(REGISTRY))
        for account, post, published in POSTS:
            utc, local, day = post_times(published)
            cur.execute(
                "INSERT INTO posts (account_id, post_id, published_utc, published_local, published_date, "
                "post_type, text, permalink, as_of, sha256) "
                "VALUES (?, ?, ?, ?, ?, 'Photo', ?, ?, DATE '2025-03-31', ?)",
                [account, post, utc, local, day, f"text of {post}", f"https://x.test/{post}", SHA],
            )
        for row in SNAPSHOTS:
            cur.execute(
                "INSERT INTO post_metrics (account_id, post_id, as_of, reactions, comments, "
                "shares, reach, impressions, video_views, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                [*row, SHA],
            )
        for account, day, metric, value, as_of in DAILY:
            cur.execute(
                "INSERT INTO account_daily VALUES (?, ?, ?, ?, ?, ?)",
                [account, day, metric, value, as_of, SHA],
            )
        rebuild_follower_totals(
            cur, ["us-facebook", "us-x-ambassador", "jp-youtube", "jp-facebook"]
        )
    return store


@pytest.fixture
def kpi_store(store: Store) -> Store:
    """The hand-built store described in this module's docstring."""
    return fill(store)


@pytest.fixture
def con(kpi_store: Store):
    """A read cursor on the hand-built store."""
    with kpi_store.read() as cur:
        yield cur


@pytest.fixture(params=["hand-built", "samples"])
def prepared_store(request, tmp_path: Path) -> Store:
    """The hand-built store, or a copy of the bundled sample data's, with what a reading process
    prepares for a version (`metrics.PREPARERS`) built."""
    from metrics import PREPARERS

    if request.param == "hand-built":
        store = request.getfixturevalue("kpi_store")
    else:
        template = request.getfixturevalue("sample_db_template")
        shutil.copy(template, tmp_path / "samples.duckdb")
        store = Store(tmp_path / "samples.duckdb")
    store.prepare_versions(*PREPARERS)
    assert store.wait_prepared(120)
    assert not store._version.prepare_errors
    return store


# -- daily values imported through the connectors ---------------------------------------------
#
# `reach_store`: the Meta "Viewers" fixture (tests/fixtures/meta/Viewers.csv, no date in its
# name, so as of its last day 2025-08-03), then a newer export of the same series (as of
# 2025-08-10, from its name), both for us-facebook of the test registry (tests/fixtures/registry):
#
#   day     Viewers.csv (as of 08-03)      newer (as of 08-10)      stored value
#   08-01   512                            –                        512
#   08-02   0 (Meta leaves out 0 days)     40                       40   (newer wins)
#   08-03   7                              empty                    none (newest is NULL)
#   08-04   –                              9                        9

VIEWERS = Path(__file__).resolve().parents[1] / "fixtures" / "meta" / "Viewers.csv"
NEWER_VIEWERS_NAME = "Viewers 2025-08-02_2025-08-10.csv"
NEWER_VIEWERS = (
    'sep=,\r\n"Viewers"\r\n"Date","Primary"\r\n'
    '"2025-08-02T00:00:00","40"\r\n"2025-08-03T00:00:00",""\r\n"2025-08-04T00:00:00","9"\r\n'
)


@pytest.fixture
def reach_store(store: Store) -> Store:
    """The store of the table above, imported by the real importer."""
    from connectors.base import SourceFile
    from connectors.importer import Importer

    registry = Path(__file__).resolve().parents[1] / "fixtures" / "registry"
    sources = [
        # No date in its name: as of its file date, given here as a download would carry it.
        SourceFile(VIEWERS.name, VIEWERS.read_bytes(), modified=date(2025, 8, 3)),
        SourceFile(NEWER_VIEWERS_NAME, NEWER_VIEWERS.encode("utf-16")),  # with BOM, as Meta
    ]
    results = Importer(store, registry_dir=registry, account="us-facebook").import_sources(sources)
    assert [(r.status, r.as_of) for r in results] == [
        ("imported", date(2025, 8, 3)),
        ("imported", date(2025, 8, 10)),
    ]
    return store
