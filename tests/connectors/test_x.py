"""X connectors: the legacy per-tweet and per-day exports, and the account analytics content and
daily overview exports. Real files first, then fixtures carrying their quirks, then refusals,
idempotency and the order independence of snapshots. Every expected value was read off the
files by hand."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from connectors.importer import Importer
from data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "x"
LEGACY_A = FIXTURES / "tweet_activity_metrics_HestysInvest_20240101_20240201_en.csv"
LEGACY_B = FIXTURES / "tweet_activity_metrics_HestysInvest_20240115_20240215_en.csv"
OVERVIEW = FIXTURES / "hestysinvest_account_overview_analytics.csv"
TABLES = ("posts", "post_metrics", "account_daily", "post_daily", "follower_totals")


def run(store: Store, registry_dir: Path, *paths: Path, account: str | None = None):
    importer = Importer(store, registry_dir=registry_dir, account=account, origin="test")
    return importer.import_paths(paths)


def rows(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    with store.read() as cur:
        return cur.execute(sql, params or []).fetchall()


def counts(store: Store) -> dict[str, int]:
    return {t: rows(store, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def metrics(store: Store, post_id: str) -> dict:
    names = (
        "reactions",
        "comments",
        "shares",
        "reach",
        "impressions",
        "video_views",
        "engagements",
        "clicks",
        "saves",
        "as_of",
    )
    found = rows(
        store, f"SELECT {', '.join(names)} FROM post_latest_metrics WHERE post_id = ?", [post_id]
    )
    assert len(found) == 1
    return dict(zip(names, found[0], strict=True))


def post(store: Store, post_id: str) -> dict:
    names = (
        "account_id",
        "published_utc",
        "published_local",
        "published_date",
        "text",
        "permalink",
    )
    found = rows(store, f"SELECT {', '.join(names)} FROM posts WHERE post_id = ?", [post_id])
    assert len(found) == 1
    return dict(zip(names, found[0], strict=True))


def daily(store: Store, account: str, day: date) -> dict[str, float]:
    found = rows(
        store,
        "SELECT metric, value FROM account_daily_latest WHERE account_id = ? AND date = ?",
        [account, day],
    )
    return dict(found)


# -- real exports ------------------------------------------------------------------------


def test_legacy_posts_real_file_and_a_tweet_near_midnight_utc(store, registry_dir, real_exports):
    file = (
        real_exports / "x-legacy" / "tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv"
    )
    [result] = run(store, registry_dir, file)
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "x_legacy_posts",
        "us-x-ambassador",
    )
    assert (result.rows, result.as_of) == (356, date(2021, 9, 1))
    assert rows(store, "SELECT count(*) FROM posts")[0][0] == 356
    # The name's end date is exclusive: the file holds August 2021.
    assert rows(store, "SELECT period_start, period_end FROM imports") == [
        (date(2021, 8, 1), date(2021, 8, 31))
    ]

    # "2021-08-06 00:45 +0000" is 20:45 on Aug 5 in New York (EDT, UTC-4).
    tweet = post(store, "1423445172092866563")
    assert tweet == {
        "account_id": "us-x-ambassador",
        "published_utc": datetime(2021, 8, 6, 0, 45),
        "published_local": datetime(2021, 8, 5, 20, 45),
        "published_date": date(2021, 8, 5),
        "text": "Oh, this was fun! You think of the ten least-related nouns possible. "
        "I scored in the 94th percentile. \n\nhttps://t.co/FhR4DR38OU",
        "permalink": "https://twitter.com/LisaDeBruine/status/1423445172092866563",
    }
    assert metrics(store, "1423445172092866563") == {
        "reactions": 1190.0,  # likes "1190.0"
        "comments": 194.0,  # replies
        "shares": 1093.0,  # retweets
        "reach": None,
        "impressions": 1020329.0,
        "video_views": None,  # media views (4344) are not video views
        "engagements": 77718.0,
        "clicks": 33374.0,  # url clicks
        "saves": None,
        "as_of": date(2021, 9, 1),
    }


def test_legacy_posts_real_two_months_of_a_mission(store, registry_dir, real_exports):
    folder = real_exports / "x-legacy"
    results = run(
        store,
        registry_dir,
        folder / "tweet_activity_metrics_rOpenSci_20211101_20211201_en.csv",
        folder / "tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv",
    )
    assert [(r.status, r.account_id, r.rows, r.as_of) for r in results] == [
        ("imported", "us-x", 33, date(2021, 12, 1)),
        ("imported", "us-x", 17, date(2022, 1, 1)),
    ]
    assert rows(store, "SELECT count(*) FROM posts WHERE account_id = 'us-x'")[0][0] == 50
    # "2021-12-06 00:52 +0000" is 19:52 on Dec 5 in New York (EST, UTC-5).
    tweet = post(store, "1467658119945719811")
    assert (tweet["published_local"], tweet["published_date"]) == (
        datetime(2021, 12, 5, 19, 52),
        date(2021, 12, 5),
    )
    assert (
        tweet["text"]
        == "Come say hi and get your work done. This time tomorrow. https://t.co/KnvOwKveNF"
    )
    got = metrics(store, "1467658119945719811")
    assert (got["reactions"], got["comments"], got["shares"], got["impressions"]) == (
        4.0,
        0.0,
        1.0,
        3053.0,
    )
    assert got["as_of"] == date(2022, 1, 1)


def test_legacy_daily_real_file(store, registry_dir, real_exports):
    file = (
        real_exports
        / "x-legacy"
        / "daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv"
    )
    [result] = run(store, registry_dir, file)
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "x_legacy_daily",
        "us-x-ambassador",
    )
    assert result.rows == 31 * 7  # 31 days, 7 metrics each
    assert daily(store, "us-x-ambassador", date(2021, 8, 4)) == {
        "posts_published": 15.0,
        "impressions": 22394.0,
        "engagements": 1290.0,
        "shares": 5.0,
        "comments": 15.0,
        "reactions": 96.0,
        "new_follows": 0.0,
    }
    assert daily(store, "us-x-ambassador", date(2021, 8, 28))["new_follows"] == 2.0
    # Gross follows without unfollows give no net change: no follower totals are made up.
    assert counts(store)["follower_totals"] == 0


def test_content_real_files_both_variants(store, registry_dir, real_exports):
    folder = real_exports / "x-new"
    results = run(
        store,
        registry_dir,
        folder / "kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv",
        folder / "account_analytics_content_2026-08-10_2026-08-16.csv",
    )
    assert [(r.status, r.format, r.account_id, r.rows, r.as_of) for r in results] == [
        ("imported", "x_content", "gb-x", 173, date(2025, 3, 22)),
        # no handle in this name: the post links tell the account
        ("imported", "x_content", "gb-x-ambassador", 40, date(2026, 8, 16)),
    ]
    # 2025 variant: `Link`, `Share`, `Thu Jan 02 2025`; a date only, no local time.
    kaia = post(store, "1874645156370284876")
    assert (kaia["published_date"], kaia["published_local"], kaia["published_utc"]) == (
        date(2025, 1, 2),
        None,
        None,
    )
    assert kaia["text"] == "intern is back today fully charged"
    assert metrics(store, "1874645156370284876") == {
        "reactions": 9.0,
        "comments": 2.0,
        "shares": 1.0,
        "reach": None,
        "impressions": 213.0,
        "video_views": None,
        "engagements": 19.0,
        "clicks": 0.0,
        "saves": 0.0,
        "as_of": date(2025, 3, 22),
    }
    # 2026 variant: `Post Link`, `Shares`, `"Sat, Aug 15, 2026"`.
    hestys = post(store, "2088707180694323466")
    assert hestys["published_date"] == date(2026, 8, 15)
    assert hestys["text"] == (
        "@dmeinvestor Agreed ✅ both broke out of the decending trend line.. "
        "I have added $USAS as a proxy after good Q2 earnings"
    )
    got = metrics(store, "2088707180694323466")
    assert (
        got["impressions"],
        got["reactions"],
        got["engagements"],
        got["comments"],
        got["shares"],
    ) == (
        44.0,
        1.0,
        3.0,
        1.0,
        0.0,
    )


def test_overview_real_file_newest_day_first(store, registry_dir, real_exports):
    [result] = run(
        store, registry_dir, real_exports / "x-new" / "kaiadevintern_account_overview_analytics.csv"
    )
    assert (result.status, result.format, result.account_id) == ("imported", "x_overview", "gb-x")
    assert result.rows == 271 * 10  # 271 days (2024-06-24 … 2025-03-21), 10 metrics
    # no date in the name: the file's modification date, never before its latest day
    assert result.as_of_basis == "modified" and result.as_of >= date(2025, 3, 21)
    assert rows(store, "SELECT period_start, period_end FROM imports") == [
        (date(2024, 6, 24), date(2025, 3, 21))
    ]
    # first line of the file: "Fri, Mar 21, 2025",1070,11,32,0,0,0,0,2,1,6,0,0,0
    assert daily(store, "gb-x", date(2025, 3, 21)) == {
        "impressions": 1070.0,
        "reactions": 11.0,
        "engagements": 32.0,
        "shares": 1.0,
        "comments": 2.0,
        "new_follows": 0.0,
        "unfollows": 0.0,
        "profile_visits": 6.0,
        "posts_published": 0.0,
        "views": 0.0,
    }
    # last line: "Mon, Jun 24, 2024",0,0,1,0,0,1,0,0,0,0,0,0,0
    assert daily(store, "gb-x", date(2024, 6, 24)) == {
        "impressions": 0.0,
        "reactions": 0.0,
        "engagements": 1.0,
        "shares": 0.0,
        "comments": 0.0,
        "new_follows": 1.0,
        "unfollows": 0.0,
        "profile_visits": 0.0,
        "posts_published": 0.0,
        "views": 0.0,
    }


def test_overview_real_file_and_a_baseline_rebuild_follower_totals(
    store, registry_dir, real_exports, tmp_path
):
    baseline = tmp_path / "baseline.csv"
    baseline.write_text("account_id,date,followers\ngb-x,2025-03-04,500\n", encoding="utf-8")
    results = run(
        store,
        registry_dir,
        real_exports / "x-new" / "kaiadevintern_account_overview_analytics.csv",
        baseline,
    )
    assert [r.status for r in results] == ["imported", "imported"]
    totals = {
        d: (v, b)
        for d, v, b in rows(
            store,
            "SELECT date, followers, basis FROM follower_totals WHERE account_id = 'gb-x'",
        )
    }
    assert len(totals) == 271
    # New follows − Unfollows from the file: Mar 5 +1, Mar 6 +1, Mar 10 +1, Mar 14 −1, Mar 17 +3,
    # Mar 19 +1−1; the other days of March 5–21 are 0.
    assert totals[date(2025, 3, 4)] == (500.0, "reported")
    assert totals[date(2025, 3, 5)] == (501.0, "rebuilt")
    assert totals[date(2025, 3, 6)] == (502.0, "rebuilt")
    assert totals[date(2025, 3, 10)] == (503.0, "rebuilt")
    assert totals[date(2025, 3, 14)] == (502.0, "rebuilt")
    assert totals[date(2025, 3, 17)] == (505.0, "rebuilt")
    assert totals[date(2025, 3, 21)] == (505.0, "rebuilt")
    # Backwards, T(d) = T(d+1) − net(d+1): Mar 4 net 0, Mar 3 −1, Mar 2 +1, Mar 1 0, Feb 28 +1.
    assert totals[date(2025, 3, 3)] == (500.0, "rebuilt")
    assert totals[date(2025, 3, 2)] == (501.0, "rebuilt")
    assert totals[date(2025, 3, 1)] == (500.0, "rebuilt")
    assert totals[date(2025, 2, 28)] == (500.0, "rebuilt")
    assert totals[date(2025, 2, 27)] == (499.0, "rebuilt")


# -- fixtures with the real quirks -------------------------------------------------------


def test_legacy_fixture_quirks(store, registry_dir):
    [result] = run(store, registry_dir, LEGACY_A)
    assert (result.status, result.account_id, result.rows, result.as_of) == (
        "imported",
        "gb-x-ambassador",
        3,
        date(2024, 2, 1),
    )
    tweet = post(store, "1743000000000000001")
    # Newlines, emoji and HTML entities are kept as exported.
    assert tweet["text"] == (
        "Chúc mừng năm mới 2024! 🎉\n\nHappy New Year from London &amp; the whole team 🇻🇳🇬🇧\n"
        "https://t.co/AbCdEf1234"
    )
    # London is on GMT in January: the local time is the UTC time.
    assert tweet["published_local"] == datetime(2024, 1, 5, 0, 10)
    assert metrics(store, "1743000000000000001") == {
        "reactions": 48.0,
        "comments": 5.0,
        "shares": 12.0,
        "reach": None,
        "impressions": 1938.0,
        "video_views": None,
        "engagements": 101.0,
        "clicks": 9.0,
        "saves": None,
        "as_of": date(2024, 2, 1),
    }
    assert (
        post(store, "1748000000000000002")["text"]
        == 'Tết reception tonight: "Spring Homeland" 🌸 &gt; 300 guests'
    )


def test_legacy_fixture_older_favorites_header(store, registry_dir):
    [result] = run(
        store,
        registry_dir,
        FIXTURES / "tweet_activity_metrics_KaiaDevIntern_20150301_20150401_en.csv",
    )
    assert (result.status, result.account_id, result.rows) == ("imported", "gb-x", 2)
    got = metrics(store, "578000000000000012")
    assert (got["reactions"], got["shares"], got["comments"], got["clicks"]) == (
        14.0,
        3.0,
        0.0,
        8.0,
    )
    assert post(store, "578000000000000012")["text"] == "Spring & culture week, see you there!"


def test_legacy_daily_fixture(store, registry_dir):
    [result] = run(
        store,
        registry_dir,
        FIXTURES / "daily_tweet_activity_metrics_HestysInvest_20240101_20240104_en.csv",
    )
    assert (result.status, result.account_id, result.rows, result.as_of) == (
        "imported",
        "gb-x-ambassador",
        21,
        date(2024, 1, 4),
    )
    assert daily(store, "gb-x-ambassador", date(2024, 1, 2)) == {
        "posts_published": 2.0,
        "impressions": 1875.0,
        "engagements": 96.0,
        "reactions": 41.0,
        "comments": 3.0,
        "shares": 6.0,
        "new_follows": 2.0,
    }


def test_content_fixture_2025_variant_keeps_shares_by_link_out(store, registry_dir):
    [result] = run(
        store, registry_dir, FIXTURES / "account_analytics_content_2025-01-01_2025-01-31.csv"
    )
    assert (result.status, result.account_id, result.as_of) == (
        "imported",
        "gb-x-ambassador",
        date(2025, 1, 31),
    )
    assert (
        post(store, "1876000000000000101")["text"]
        == "Ambassador met students in Manchester 🎓\nThank you &amp; see you soon!"
    )
    # Share = 3 (sent by link or message) is not a repost: shares = Reposts = 11.
    assert metrics(store, "1876000000000000101") == {
        "reactions": 57.0,
        "comments": 8.0,
        "shares": 11.0,
        "reach": None,
        "impressions": 2210.0,
        "video_views": None,
        "engagements": 143.0,
        "clicks": 21.0,
        "saves": 6.0,
        "as_of": date(2025, 1, 31),
    }


def test_content_fixture_2026_variant(store, registry_dir):
    [result] = run(
        store,
        registry_dir,
        FIXTURES / "hestysinvest_account_analytics_content_2026-08-10_2026-08-16.csv",
    )
    assert (result.status, result.account_id, result.rows) == ("imported", "gb-x-ambassador", 1)
    assert post(store, "2088000000000000201")["published_date"] == date(2026, 8, 15)
    got = metrics(store, "2088000000000000201")
    # Shares = 2 is left out; Reposts = 6, Bookmarks = 3, URL Clicks = 5.
    assert (got["shares"], got["saves"], got["clicks"], got["comments"]) == (6.0, 3.0, 5.0, 4.0)


def test_overview_fixture_and_baseline_rebuild_forwards_and_backwards(
    store, registry_dir, tmp_path
):
    baseline = tmp_path / "baseline.csv"
    baseline.write_text(
        "account_id,date,followers\ngb-x-ambassador,2025-01-06,1000\n", encoding="utf-8"
    )
    results = run(store, registry_dir, OVERVIEW, baseline)
    assert [(r.status, r.account_id) for r in results] == [
        ("imported", "gb-x-ambassador"),
        ("imported", "gb-x-ambassador"),
    ]
    totals = rows(store, "SELECT date, followers, basis FROM follower_totals ORDER BY date")
    # net = New follows − Unfollows: Jan 4 +2, Jan 5 −2, Jan 6 +10, Jan 7 −1, Jan 8 +4
    assert totals == [
        (date(2025, 1, 4), 992.0, "rebuilt"),  # 990 − net(Jan 5) = 990 + 2
        (date(2025, 1, 5), 990.0, "rebuilt"),  # 1000 − net(Jan 6)
        (date(2025, 1, 6), 1000.0, "reported"),
        (date(2025, 1, 7), 999.0, "rebuilt"),  # 1000 + net(Jan 7)
        (date(2025, 1, 8), 1003.0, "rebuilt"),  # 999 + net(Jan 8)
    ]
    # Video views are daily views; Bookmarks, Shares and Media views are not read.
    assert daily(store, "gb-x-ambassador", date(2025, 1, 8)) == {
        "impressions": 1200.0,
        "reactions": 30.0,
        "engagements": 75.0,
        "shares": 3.0,
        "comments": 4.0,
        "new_follows": 5.0,
        "unfollows": 1.0,
        "profile_visits": 9.0,
        "posts_published": 2.0,
        "views": 40.0,
    }


def test_detection_is_by_headers_not_by_name(store, registry_dir, tmp_path):
    renamed = tmp_path / "export.csv"
    shutil.copy(LEGACY_A, renamed)
    [result] = run(store, registry_dir, renamed)
    # Detected as the legacy export; the handle comes from the permalinks, and without dates in
    # the name the as-of is the file's modification date.
    assert (result.status, result.format, result.account_id, result.as_of_basis) == (
        "imported",
        "x_legacy_posts",
        "gb-x-ambassador",
        "modified",
    )


# -- refusals: a status, a code, a message that says what to do, and nothing written ----------


def refused(store, registry_dir, path: Path, code: str, *, account: str | None = None) -> str:
    before = counts(store)
    [result] = run(store, registry_dir, path, account=account)
    assert result.status == "refused"
    assert result.refusal is not None and result.refusal.code == code
    assert counts(store) == before
    # a file given on its own is logged by its name, not its local path (two files of the same
    # name in different folders are logged under that same name)
    assert rows(store, "SELECT DISTINCT outcome FROM imports WHERE file_name = ?", [path.name]) == [
        ("refused",)
    ]
    return result.refusal.message("en")


def test_refuses_a_cut_off_file(store, registry_dir, tmp_path):
    run(store, registry_dir, LEGACY_B)  # something in the store, to show it is untouched
    text = LEGACY_A.read_text(encoding="utf-8")
    cut_in_a_text = tmp_path / LEGACY_A.name
    cut_in_a_text.write_text(text[: text.index("Happy New Year")], encoding="utf-8")
    message = refused(store, registry_dir, cut_in_a_text, "malformed_csv")
    assert "Export it again" in message

    cut_in_a_row = tmp_path / "cut" / LEGACY_A.name
    cut_in_a_row.parent.mkdir()
    cut_in_a_row.write_text(text[: text.index('"1.0","20.0"')] + "\n", encoding="utf-8")
    message = refused(store, registry_dir, cut_in_a_row, "ragged_row")
    assert "row 2 has 9 cells where the header has 40" in message


def test_refuses_an_id_a_spreadsheet_rounded(store, registry_dir, tmp_path):
    mangled = tmp_path / LEGACY_A.name
    mangled.write_text(
        LEGACY_A.read_text(encoding="utf-8").replace(
            '"1748000000000000002","https', '"1.75E+18","https'
        ),
        encoding="utf-8",
    )
    message = refused(store, registry_dir, mangled, "mangled_id")
    assert 'column "Tweet id", row 3: the id "1.75E+18"' in message
    assert "Import the original export" in message


def test_refuses_a_missing_column(store, registry_dir, tmp_path):
    table = list(csv.reader(io.StringIO(LEGACY_A.read_text(encoding="utf-8"), newline="")))
    replies = table[0].index("replies")
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [r[:replies] + r[replies + 1 :] for r in table]
    )
    missing = tmp_path / LEGACY_A.name
    missing.write_text(out.getvalue(), encoding="utf-8")
    message = refused(store, registry_dir, missing, "missing_columns")
    assert message.startswith("the column(s) replies are missing")


def test_refuses_a_file_no_account_matches_and_says_to_use_account(store, registry_dir, tmp_path):
    nameless = tmp_path / "account_overview_analytics.csv"
    shutil.copy(OVERVIEW, nameless)
    message = refused(store, registry_dir, nameless, "no_account")
    assert "--account ACCOUNT_ID" in message
    # With --account it is imported.
    [result] = run(store, registry_dir, nameless, account="gb-x")
    assert (result.status, result.account_id) == ("imported", "gb-x")


def test_refuses_an_x_file_given_to_a_youtube_account(store, registry_dir):
    refused(store, registry_dir, LEGACY_A, "platform_mismatch", account="jp-youtube")


# -- idempotency and order independence ----------------------------------------------------


@pytest.mark.parametrize("path", [LEGACY_A, OVERVIEW], ids=["posts", "daily"])
def test_importing_the_same_file_twice_changes_nothing(store, registry_dir, path):
    [first] = run(store, registry_dir, path)
    after_first = counts(store)
    [second] = run(store, registry_dir, path)
    assert (first.status, second.status) == ("imported", "unchanged")
    assert counts(store) == after_first


def test_overlapping_exports_give_the_same_latest_metrics_in_either_order(registry_dir, tmp_path):
    forwards, backwards = Store(tmp_path / "f.duckdb"), Store(tmp_path / "b.duckdb")
    run(forwards, registry_dir, LEGACY_A)
    run(forwards, registry_dir, LEGACY_B)
    run(backwards, registry_dir, LEGACY_B)
    run(backwards, registry_dir, LEGACY_A)
    query = "SELECT * FROM post_latest_metrics ORDER BY post_id"
    assert rows(forwards, query) == rows(backwards, query)
    posts_query = "SELECT * FROM posts ORDER BY post_id"
    assert rows(forwards, posts_query) == rows(backwards, posts_query)
    # The tweets in both files take the later export's values (as of Feb 15), the others their own.
    latest = {
        r[0]: (r[1], r[2])
        for r in rows(forwards, "SELECT post_id, as_of, impressions FROM post_latest_metrics")
    }
    assert latest == {
        "1743000000000000001": (date(2024, 2, 1), 1938.0),
        "1748000000000000002": (date(2024, 2, 15), 1710.0),
        "1749000000000000003": (date(2024, 2, 15), 905.0),
        "1754000000000000004": (date(2024, 2, 15), 640.0),
    }
    # Both snapshots are kept.
    assert rows(forwards, "SELECT count(*) FROM post_metrics")[0][0] == 6
