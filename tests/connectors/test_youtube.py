"""YouTube Studio connectors: Table data, Chart data and Totals, loose or in a zip. Real files
first, then a fixture channel carrying their quirks, then date patterns, refusals and
idempotency. Every expected value was read off the files by hand."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from connectors.importer import Importer
from data.store import Store

CHANNEL = Path(__file__).resolve().parents[1] / "fixtures" / "youtube" / "channel"
TABLES = ("posts", "post_metrics", "account_daily", "post_daily", "follower_totals")


def run(store: Store, registry_dir: Path, *paths: Path, account: str | None = None):
    importer = Importer(store, registry_dir=registry_dir, account=account, origin="test")
    return importer.import_paths(paths)


def rows(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    with store.read() as cur:
        return cur.execute(sql, params or []).fetchall()


def counts(store: Store) -> dict[str, int]:
    return {t: rows(store, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def video(store: Store, post_id: str) -> dict:
    names = ("account_id", "published_date", "published_local", "text", "permalink", "post_type")
    found = rows(store, f"SELECT {', '.join(names)} FROM posts WHERE post_id = ?", [post_id])
    assert len(found) == 1, post_id
    return dict(zip(names, found[0], strict=True))


def metrics(store: Store, post_id: str) -> dict:
    names = (
        "video_views",
        "impressions",
        "reactions",
        "comments",
        "shares",
        "reach",
        "engagements",
    )
    found = rows(
        store, f"SELECT {', '.join(names)} FROM post_latest_metrics WHERE post_id = ?", [post_id]
    )
    assert len(found) == 1, post_id
    return dict(zip(names, found[0], strict=True))


def daily(store: Store, account: str, metric: str) -> dict[date, float]:
    found = rows(
        store,
        "SELECT date, value FROM account_daily_latest WHERE account_id = ? AND metric = ?",
        [account, metric],
    )
    return dict(found)


def zip_of(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name in ("Table data.csv", "Chart data.csv", "Totals.csv"):
            archive.write(folder / name, name)
    return target


# -- real exports ------------------------------------------------------------------------


def test_real_channel_a_table_chart_and_totals(store, registry_dir, real_exports):
    folder = real_exports / "youtube-studio" / "channel-a"
    results = run(store, registry_dir, folder, account="jp-youtube")
    assert [(r.file.rsplit("/", 1)[-1], r.status, r.format, r.account_id) for r in results] == [
        ("Chart data.csv", "imported", "youtube_chart", "jp-youtube"),
        ("Table data.csv", "imported", "youtube_table", "jp-youtube"),
        ("Totals.csv", "imported", "youtube_totals", "jp-youtube"),
    ]
    # Table: 443 rows under the header, the first of them the channel's Total.
    assert rows(store, "SELECT count(*) FROM post_metrics")[0][0] == 442
    assert rows(store, "SELECT count(*) FROM posts WHERE post_id = 'Total'")[0][0] == 0
    # The 5 videos of the chart are all in the table: no extra posts.
    assert rows(store, "SELECT count(*) FROM posts")[0][0] == 442

    # Line 75: " -i5vAKwX_bY,Life is unexpected journey || ...,"Mar 5, 2026",7,634,0.4615,0,194,1.03"
    assert video(store, "-i5vAKwX_bY") == {
        "account_id": "jp-youtube",
        "published_date": date(2026, 3, 5),
        "published_local": None,
        "text": "Life is unexpected journey || Lifelession #trending #viralshorts #ytshorts #motivation",
        "permalink": "https://www.youtube.com/watch?v=-i5vAKwX_bY",
        "post_type": "video",
    }
    assert metrics(store, "-i5vAKwX_bY") == {
        "video_views": 634.0,
        "impressions": 194.0,
        # Likes, Comments added, Shares were not exported: unknown, not 0.
        "reactions": None,
        "comments": None,
        "shares": None,
        "reach": None,
        "engagements": None,
    }
    assert rows(store, "SELECT count(*) FROM posts WHERE post_id LIKE ' %'")[0][0] == 0

    # Chart: 5 videos × 365 days of views.
    assert rows(store, "SELECT count(*), count(DISTINCT post_id) FROM post_daily") == [(1825, 5)]
    assert rows(
        store,
        "SELECT date, value FROM post_daily WHERE post_id = 'UWQNrpakgcA' AND date IN ('2025-08-28', '2025-08-29') ORDER BY date",
    ) == [(date(2025, 8, 28), 9102.0), (date(2025, 8, 29), 16366.0)]

    # Totals.csv with DD-MM-YYYY dates: 13-06-2025 … 12-06-2026.
    views = daily(store, "jp-youtube", "views")
    assert len(views) == 365
    assert (min(views), max(views)) == (date(2025, 6, 13), date(2026, 6, 12))
    assert views[date(2025, 6, 13)] == 1224.0
    assert views[date(2025, 6, 14)] == 147.0
    assert views[date(2026, 6, 12)] == 19.0


def test_real_channel_b_table_with_likes_and_shares(store, registry_dir, real_exports):
    file = real_exports / "youtube-studio" / "channel-b" / "Table data.csv"
    [result] = run(store, registry_dir, file, account="jp-youtube-b")
    assert (result.status, result.account_id, result.rows) == ("imported", "jp-youtube-b", 71)
    # "F3HVs95pagk,Pointallism Portrait of Lady Gaga  #art #ladygaga,"Mar 15, 2025",60,144,6,2,239,
    #  ,,,,,47.48,0:00:25,2766,2775,19.2306,7,728,4.12"
    assert metrics(store, "F3HVs95pagk") == {
        "video_views": 2775.0,  # Views, not Engaged views (2766) nor Premium views (239)
        "impressions": 728.0,
        "reactions": 144.0,
        "comments": None,  # no `Comments added` column
        "shares": 2.0,
        "reach": None,  # `Unique viewers` is empty for every video
        "engagements": None,
    }
    assert video(store, "F3HVs95pagk")["published_date"] == date(2025, 3, 15)
    # Line 26: leading space before an id that starts with "-", and a title with quotes.
    assert (
        video(store, "-JTnUJTN2aI")["text"]
        == '"Harry Styles by Harry Styles" by Art by Alison #art #painting'
    )
    assert metrics(store, "-JTnUJTN2aI")["reactions"] == 29.0
    # A private video has no publish time: unknown.
    assert video(store, "KNTGa8wQR04")["published_date"] is None
    assert metrics(store, "KNTGa8wQR04")["video_views"] == 7.0


# -- the fixture channel, zipped under the channel's handle --------------------------------


def test_zip_named_after_the_handle_maps_all_three_files(store, registry_dir, tmp_path):
    archive = zip_of(CHANNEL, tmp_path / "vnembassyjp.zip")
    results = run(store, registry_dir, archive)
    assert [(r.file, r.status, r.account_id, r.rows) for r in results] == [
        ("vnembassyjp.zip/Chart data.csv", "imported", "jp-youtube", 2 + 6),
        ("vnembassyjp.zip/Table data.csv", "imported", "jp-youtube", 3),
        ("vnembassyjp.zip/Totals.csv", "imported", "jp-youtube", 4 * 3),
    ]
    # Table: Total row skipped, " -AbCdEfGh1I" stripped.
    assert sorted(r[0] for r in rows(store, "SELECT post_id FROM posts")) == [
        "-AbCdEfGh1I",
        "Xy7_Q2pLm0s",
        "pRivAte0001",
    ]
    assert video(store, "-AbCdEfGh1I") == {
        "account_id": "jp-youtube",
        "published_date": date(2025, 1, 28),
        "published_local": None,
        "text": "Tết 2025 tại Tokyo 🎉 Lunar New Year, Embassy of Viet Nam",
        "permalink": "https://www.youtube.com/watch?v=-AbCdEfGh1I",
        "post_type": "video",
    }
    assert metrics(store, "-AbCdEfGh1I") == {
        "video_views": 3200.0,
        "impressions": 15000.0,
        "reactions": 52.0,
        "comments": 9.0,
        "shares": 6.0,
        "reach": None,
        "engagements": None,
    }
    # The private video: no publish date, and its zeros are real zeros.
    assert video(store, "pRivAte0001")["published_date"] is None
    assert metrics(store, "pRivAte0001")["reactions"] == 0.0
    # Chart: views per video and day, under the stripped id.
    assert rows(
        store, "SELECT date, value FROM post_daily WHERE post_id = '-AbCdEfGh1I' ORDER BY date"
    ) == [
        (date(2025, 1, 30), 410.0),
        (date(2025, 1, 31), 377.0),
        (date(2025, 2, 1), 0.0),
    ]
    # Totals (DD-MM-YYYY, CRLF): Subscribers is the net daily change.
    assert daily(store, "jp-youtube", "net_follows") == {
        date(2025, 1, 30): 3.0,
        date(2025, 1, 31): -2.0,
        date(2025, 2, 1): 5.0,
        date(2025, 2, 2): -1.0,
    }
    assert daily(store, "jp-youtube", "watch_time_hours")[date(2025, 2, 1)] == 0.0125
    assert daily(store, "jp-youtube", "views")[date(2025, 1, 31)] == 382.0


def test_totals_subscribers_and_a_baseline_rebuild_follower_totals(store, registry_dir, tmp_path):
    baseline = tmp_path / "baseline.csv"
    baseline.write_text("account_id,date,followers\njp-youtube,2025-01-31,2000\n", encoding="utf-8")
    results = run(store, registry_dir, CHANNEL / "Totals.csv", baseline, account="jp-youtube")
    assert [r.status for r in results] == ["imported", "imported"]
    # net: Jan 30 +3, Jan 31 −2, Feb 1 +5, Feb 2 −1
    assert rows(store, "SELECT date, followers, basis FROM follower_totals ORDER BY date") == [
        (date(2025, 1, 30), 2002.0, "rebuilt"),  # 2000 − net(Jan 31)
        (date(2025, 1, 31), 2000.0, "reported"),
        (date(2025, 2, 1), 2005.0, "rebuilt"),  # 2000 + 5
        (date(2025, 2, 2), 2004.0, "rebuilt"),  # 2005 − 1
    ]


def test_importing_the_same_zip_twice_changes_nothing(store, registry_dir, tmp_path):
    archive = zip_of(CHANNEL, tmp_path / "vnembassyjp.zip")
    first = run(store, registry_dir, archive)
    after_first = counts(store)
    second = run(store, registry_dir, archive)
    assert [r.status for r in first] == ["imported"] * 3
    assert [r.status for r in second] == ["unchanged"] * 3
    assert counts(store) == after_first


def test_period_in_the_zip_name_gives_the_as_of(store, registry_dir, tmp_path):
    archive = zip_of(CHANNEL, tmp_path / "Content 2025-01-30_2025-02-02 vnembassyjp.zip")
    results = run(store, registry_dir, archive)
    assert [(r.account_id, r.as_of) for r in results] == [("jp-youtube", date(2025, 2, 2))] * 3
    assert rows(store, "SELECT DISTINCT period_start, period_end FROM imports") == [
        (date(2025, 1, 30), date(2025, 2, 2))
    ]


# -- dates re-saved by a spreadsheet ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # ISO, as exported
        (["2025-06-13,5", "2025-06-14,7"], {date(2025, 6, 13): 5.0, date(2025, 6, 14): 7.0}),
        # day first: 13 cannot be a month
        (["13-06-2025,5", "14-06-2025,7"], {date(2025, 6, 13): 5.0, date(2025, 6, 14): 7.0}),
        # month first (US), no zero padding: only month first gives consecutive days
        (
            ["1/1/2022,5", "1/2/2022,7", "1/3/2022,9"],
            {date(2022, 1, 1): 5.0, date(2022, 1, 2): 7.0, date(2022, 1, 3): 9.0},
        ),
        # both patterns read 01-02 and 02-02; only day first gives consecutive days
        (["01-02-2025,5", "02-02-2025,7"], {date(2025, 2, 1): 5.0, date(2025, 2, 2): 7.0}),
    ],
    ids=["iso", "day-first", "month-first", "decided-by-run"],
)
def test_totals_date_pattern_is_decided_per_file(store, registry_dir, tmp_path, lines, expected):
    file = tmp_path / "Totals.csv"
    file.write_text("\n".join(["Date,Views", *lines]) + "\n", encoding="utf-8")
    [result] = run(store, registry_dir, file, account="jp-youtube")
    assert result.status == "imported"
    assert daily(store, "jp-youtube", "views") == expected


# -- refusals -------------------------------------------------------------------------------


def refused(store, registry_dir, path: Path, code: str, *, account: str | None = None) -> str:
    before = counts(store)
    [result] = run(store, registry_dir, path, account=account)
    assert result.status == "refused"
    assert result.refusal is not None and result.refusal.code == code
    assert counts(store) == before
    # a file given on its own is logged by its name, not its local path
    assert rows(store, "SELECT outcome FROM imports WHERE file_name = ?", [path.name]) == [
        ("refused",)
    ]
    return result.refusal.message("en")


def test_refuses_ambiguous_totals_dates(store, registry_dir, tmp_path):
    run(store, registry_dir, CHANNEL / "Table data.csv", account="jp-youtube")  # untouched below
    file = tmp_path / "Totals.csv"
    # 03-04-2025 and 04-05-2025: March 4 and April 5, or April 3 and May 4; neither is a run of days
    file.write_text("Date,Views\n03-04-2025,5\n04-05-2025,7\n", encoding="utf-8")
    message = refused(store, registry_dir, file, "ambiguous_dates", account="jp-youtube")
    assert message.startswith(
        'column "Date": dates such as "03-04-2025" can be read day first or month first'
    )
    assert "Import the original export" in message


def test_refuses_a_loose_youtube_file_without_an_account(store, registry_dir, tmp_path):
    message = refused(store, registry_dir, CHANNEL / "Totals.csv", "no_account")
    assert "--account ACCOUNT_ID" in message


def test_refuses_a_chart_of_another_metric(store, registry_dir, tmp_path):
    file = tmp_path / "Chart data.csv"
    file.write_text(
        "Date,Content,Video title,Video publish time,Duration,Watch time (hours)\n"
        '2025-01-30,Xy7_Q2pLm0s,National Day,"Sep 2, 2024",612,0.5\n',
        encoding="utf-8",
    )
    message = refused(store, registry_dir, file, "youtube_chart_metric", account="jp-youtube")
    assert message.startswith("this YouTube Chart data shows watch time (hours) per video")


def test_refuses_a_table_without_views(store, registry_dir, tmp_path):
    file = tmp_path / "Table data.csv"
    file.write_text(
        "Content,Video title,Video publish time,Duration,Watch time (hours)\n"
        "Total,,,,120.5\n"
        'Xy7_Q2pLm0s,National Day,"Sep 2, 2024",612,39.8\n',
        encoding="utf-8",
    )
    message = refused(store, registry_dir, file, "missing_columns", account="jp-youtube")
    assert message.startswith("the column(s) Views are missing")


def test_refuses_a_cut_off_table(store, registry_dir, tmp_path):
    text = (CHANNEL / "Table data.csv").read_text(encoding="utf-8")
    file = tmp_path / "Table data.csv"
    file.write_text(text[: text.index(",39.8")] + "\n", encoding="utf-8")
    message = refused(store, registry_dir, file, "ragged_row", account="jp-youtube")
    assert message.startswith("row 4 has 8 cells where the header has 12")


def test_a_copied_file_keeps_working_under_another_name(store, registry_dir, tmp_path):
    # Detection is by headers: a renamed Table data is still read as one.
    renamed = tmp_path / "vnembassyjp export.csv"
    shutil.copy(CHANNEL / "Table data.csv", renamed)
    [result] = run(store, registry_dir, renamed)
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "youtube_table",
        "jp-youtube",
    )


def test_refuses_totals_with_no_metric_it_reads(store, registry_dir, tmp_path):
    file = tmp_path / "Totals.csv"
    file.write_text("Date,Average view duration\n2025-01-30,0:00:21\n", encoding="utf-8")
    message = refused(store, registry_dir, file, "youtube_no_metric", account="jp-youtube")
    assert message.startswith(
        "this YouTube Totals file has none of the metrics DiploPulse reads (it has: average view duration)"
    )
