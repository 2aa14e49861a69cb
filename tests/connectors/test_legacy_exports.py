"""Facebook legacy workbooks (LOK Vietnam, 2017: SpreadsheetML saved as `.xls`, and `.xlsx`),
YouTube Studio in Portuguese, and audience geography from those exports.

Real files are read in place (`real_exports`); every expected value was read off the files by
hand (the XML of the `.xls`, the cells of the `.xlsx`, the lines of the CSV). The `.xls` files
go through the import engine, which reads SpreadsheetML itself (`connectors.workbooks`).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest

from connectors.base import Document, SourceFile, formats
from connectors.formats.youtube_table import localised_date
from connectors.importer import Importer, ImportResult
from connectors.sources import read_document
from data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"
REGISTRY = FIXTURES / "registry"
LOK = "1553363564876294"
XLS = "facebook-legacy-xls-spreadsheetml-vi/lokvietnam"
XLSX = "facebook-legacy-xlsx-vi/lokvietnam"
PAGE = "Facebook Insights Data Export - LOK - 2017-07-05.xls"
POSTS = "Facebook Insights Data Export (Post Level) - LOK - {}.{}"
PT_TABLE = "youtube-studio-pt/ufscar-loose/Dados da tabela youtube 30-06.csv"


@pytest.fixture
def engine():
    """Import paths with the legacy test registry."""

    def run(store: Store, *paths: Path, account: str | None = None) -> list[ImportResult]:
        importer = Importer(store, registry_dir=REGISTRY, account=account, origin="test")
        return importer.import_paths(paths)

    return run


def document(path: Path) -> Document:
    """The Document the engine hands a format for `path`."""
    return read_document(SourceFile(name=path.name, data=path.read_bytes()))


def fetch(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    with store.read() as cur:
        return cur.execute(sql, params or []).fetchall()


# -- Facebook legacy, page level (LOK, SpreadsheetML .xls, 38 worksheets, raw API keys) --------


def test_lok_page_level_xls_with_raw_metric_keys(store, real_exports, engine):
    [result] = engine(store, real_exports / XLS / PAGE)
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "facebook_legacy_page",
        "vn-facebook-lok",  # by the page name `LOK` in the file name
    )
    assert result.as_of == date(2017, 7, 5)
    # 27 days (2017-06-09 .. 2017-07-05) x 6 metrics, 45 countries and 45 cities of 07-04.
    # The sheet's last row, 2017-07-06, is after the export's date: 58200 likes and 0 for every
    # daily metric (its 28-day columns are filled): not measured yet, so not read.
    assert result.rows == 27 * 6 + 45 + 45
    assert result.skipped == {"day_after_export": 1}  # said on the import line
    days = fetch(
        store,
        "SELECT count(DISTINCT date), min(date), max(date) FROM account_daily "
        "WHERE account_id = 'vn-facebook-lok'",
    )
    assert days == [(27, date(2017, 6, 9), date(2017, 7, 5))]
    first = dict(
        fetch(
            store,
            "SELECT metric, value FROM account_daily_latest WHERE date = DATE '2017-06-09'",
        )
    )
    # Row 3 of `Key Metrics`: page_fans:lifetime 41883, page_fan_adds_unique:day 195,
    # page_fan_removes_unique:day 7, page_engaged_users:day 7122,
    # page_impressions_unique:day 135833, page_impressions:day 158285.
    assert first == {
        "followers": 41883,
        "new_follows": 195,
        "unfollows": 7,
        "engagements": 7122,
        "reach": 135833,
        "impressions": 158285,
    }
    last = fetch(
        store,
        "SELECT date, followers FROM follower_totals WHERE account_id = 'vn-facebook-lok' "
        "ORDER BY date DESC LIMIT 2",
    )
    assert last == [(date(2017, 7, 5), 58200), (date(2017, 7, 4), 58046)]
    last_day = fetch(
        store, "SELECT metric, value FROM account_daily_latest WHERE date = DATE '2017-07-05'"
    )
    assert dict(last_day) == {
        "followers": 58200,
        "new_follows": 149,
        "unfollows": 12,
        "engagements": 2344,
        "reach": 42701,
        "impressions": 54439,
    }


def test_lok_page_level_likes_by_country_and_city_sheets(store, real_exports, engine):
    engine(store, real_exports / XLS / PAGE)
    audience = fetch(
        store,
        "SELECT dimension, as_of, unit, kind, count(*) FROM audience GROUP BY ALL "
        "ORDER BY dimension",
    )
    # The `Lifetime Likes By Country` / `by City` sheets: 07-05 and 07-06 are empty, so the
    # breakdown of 2017-07-04 (45 of the 48 countries listed over the month have a value).
    assert audience == [
        ("city", date(2017, 7, 4), "count", "followers", 45),
        ("country", date(2017, 7, 4), "count", "followers", 45),
    ]
    top = fetch(
        store,
        "SELECT dimension, key, value FROM audience ORDER BY value DESC, key LIMIT 3",
    )
    assert top == [
        ("country", "VN", 53867),
        ("city", "Hanoi, Hà Nội, Vietnam", 16434),
        ("city", "Ho Chi Minh City, Vietnam", 16103),
    ]
    assert fetch(store, "SELECT value FROM audience WHERE key = 'AU'") == [(407,)]
    # `AT` had likes earlier in the month and none on 07-04: no record, not 0.
    assert fetch(store, "SELECT count(*) FROM audience WHERE key = 'AT'") == [(0,)]


# -- Facebook legacy, post level: .xls (July raw keys, October titles) and .xlsx -----------


@pytest.mark.parametrize(
    ("folder", "day", "ext", "posts"),
    [
        (XLS, "2017-07-27", "xls", 7),
        (XLS, "2017-10-22", "xls", 12),
        (XLSX, "2017-07-27", "xlsx", 7),
        (XLSX, "2017-10-22", "xlsx", 12),
        (XLSX, "2017-11-19", "xlsx", 47),
    ],
)
def test_lok_post_level_files(store, real_exports, engine, folder, day, ext, posts):
    [result] = engine(store, real_exports / folder / POSTS.format(day, ext))
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "facebook_legacy_posts",
        "vn-facebook-lok",  # by the page id in `Post ID`
    )
    assert (result.rows, result.as_of) == (posts, date.fromisoformat(day))
    counted = fetch(store, "SELECT count(*), count(reactions) FROM post_latest_metrics")
    assert counted == [(posts, posts)]  # every post has its Stories breakdown


POST_SQL = (
    "SELECT p.published_local, p.post_type, m.reactions, m.comments, m.shares, m.reach, "
    "m.impressions, m.engagements, m.clicks, m.video_views "
    "FROM posts p JOIN post_latest_metrics m USING (account_id, post_id) WHERE post_id = ?"
)


@pytest.mark.parametrize("ext", ["xls", "xlsx"])
def test_lok_july_post_values(store, real_exports, engine, ext):
    folder = XLS if ext == "xls" else XLSX
    engine(store, real_exports / folder / POSTS.format("2017-07-27", ext))
    # LOK #37: Key Metrics post_impressions_unique:lifetime 928703, post_impressions:lifetime
    # 1512518, post_engaged_users:lifetime 66363, post_consumptions_unique:lifetime 63042;
    # sheet `Lifetime Post Stories by act...`: share 1585, like 6091, comment 402.
    assert fetch(store, POST_SQL, [f"{LOK}_1903191989893448"]) == [
        (datetime(2017, 7, 8, 5, 30), "Video", 6091, 402, 1585, 928703, 1512518, 66363, 63042, None)
    ]


@pytest.mark.parametrize("ext", ["xls", "xlsx"])
def test_lok_october_post_values(store, real_exports, engine, ext):
    folder = XLS if ext == "xls" else XLSX
    engine(store, real_exports / folder / POSTS.format("2017-10-22", ext))
    # Titles this time (`Lifetime Post Total Reach` ...); Stories: like 154 with share and
    # comment empty, so 0 by the breakdown rule.
    assert fetch(store, POST_SQL, [f"{LOK}_1939999886212658"]) == [
        (datetime(2017, 9, 30, 10, 0), "Photo", 154, 0, 0, 4235, 7485, 341, 232, None)
    ]
    # The Stories sheet's columns, post by post (empty cells: 0, since each post has a like).
    likes = [346, 154, 1072, 217, 348, 282, 53, 6, 319, 534, 249, 131]
    comments = [5, 0, 172, 75, 35, 39, 2, 0, 18, 64, 31, 4]
    shares = [1, 0, 279, 11, 58, 42, 1, 0, 10, 25, 27, 0]
    sums = "SELECT sum(reactions), sum(comments), sum(shares), count(shares) FROM post_metrics"
    assert fetch(store, sums) == [(sum(likes), sum(comments), sum(shares), 12)]
    assert (sum(likes), sum(comments), sum(shares)) == (3711, 445, 454)


def test_lok_november_xlsx_post_values(store, real_exports, engine):
    engine(store, real_exports / XLSX / POSTS.format("2017-11-19", "xlsx"))
    assert fetch(store, POST_SQL, [f"{LOK}_1958383411040972"]) == [
        (datetime(2017, 11, 15, 4, 30), "Photo", 1886, 42, 55, 46693, 77248, 3168, 1595, None)
    ]


@pytest.mark.parametrize("day", ["2017-07-27", "2017-10-22"])
def test_xls_and_xlsx_of_one_export_give_the_same_records(real_exports, day):
    fmt = next(f for f in formats() if f.id == "facebook_legacy_posts")
    from_xls = fmt.read(document(real_exports / XLS / POSTS.format(day, "xls")))
    from_xlsx = fmt.read(document(real_exports / XLSX / POSTS.format(day, "xlsx")))

    def flat(post):
        return dataclasses.replace(post, text=" ".join((post.text or "").split()))

    assert [flat(p) for p in from_xls.posts] == [flat(p) for p in from_xlsx.posts]
    assert (from_xls.hints, from_xls.as_of) == (from_xlsx.hints, from_xlsx.as_of)
    # The one difference is in the files: the .xlsx (re-saved on a Mac) has each line break of
    # a post text as two spaces, the SpreadsheetML keeps them.
    assert from_xls.posts[0].text != from_xlsx.posts[0].text
    if day == "2017-07-27":
        assert "Winrar)\n\nCảnh giác" in from_xls.posts[0].text
        assert "Winrar)  Cảnh giác" in from_xlsx.posts[0].text


def test_xls_is_detected_by_exactly_one_format(real_exports):
    for name in (PAGE, POSTS.format("2017-07-27", "xls"), POSTS.format("2017-10-22", "xls")):
        doc = document(real_exports / XLS / name)
        assert [f.id for f in formats() if f.detect(doc)] in (
            ["facebook_legacy_page"],
            ["facebook_legacy_posts"],
        )


# -- YouTube Studio in Portuguese -------------------------------------------------------------


def test_real_portuguese_table_data(store, real_exports, engine):
    [result] = engine(store, real_exports / PT_TABLE, account="br-youtube")
    assert (result.status, result.format, result.rows) == ("imported", "youtube_table", 499)
    totals = fetch(
        store,
        "SELECT count(*), sum(video_views), sum(impressions), count(reactions) "
        "FROM post_latest_metrics",
    )
    # The `Total` row (155407 views) is the channel's, not a video: not stored; the 499
    # listed videos add up to 151805.
    assert totals == [(499, 151805, 1625076, 0)]
    posts = fetch(
        store,
        "SELECT count(*), count(published_date), min(published_date), max(published_date) "
        "FROM posts",
    )
    assert posts[0][:2] == (499, 482)  # 17 private videos without a publish date
    video = fetch(
        store,
        "SELECT p.text, p.published_date, m.video_views, m.impressions FROM posts p "
        "JOIN post_latest_metrics m USING (account_id, post_id) WHERE post_id = 'Zo7Ll82R0oQ'",
    )
    assert video == [
        ("Quero saber: O que fazer se um carrapato me picar?", date(2023, 7, 6), 32969, 480137)
    ]
    # `Visualizações` (2029) is read, not `Visualizações intencionais` (engaged views, 1767).
    assert fetch(
        store, "SELECT video_views FROM post_latest_metrics WHERE post_id = '3Rcl_u__Eko'"
    ) == [(2029,)]


def test_portuguese_fixture_dates_with_month_names(store, engine):
    [table, totals] = engine(
        store,
        FIXTURES / "youtube-pt" / "Dados da tabela.csv",
        FIXTURES / "youtube-pt" / "Totais.csv",
        account="br-youtube",
    )
    assert (table.status, table.format, table.rows) == ("imported", "youtube_table", 3)
    assert (totals.status, totals.format) == ("imported", "youtube_totals")
    published = fetch(store, "SELECT post_id, published_date FROM posts ORDER BY post_id")
    assert published == [
        ("-Zx9yWv8uTs", date(2025, 9, 2)),
        ("Ab3dEf6hIjK", date(2025, 8, 28)),
        ("Qq1Rr2Ss3Tt", None),
    ]
    daily = fetch(
        store,
        "SELECT date, metric, value FROM account_daily ORDER BY date, metric",
    )
    assert daily == [
        (date(2025, 9, 1), "net_follows", 2),
        (date(2025, 9, 1), "views", 120),
        (date(2025, 9, 1), "watch_time_hours", 4.5),
        (date(2025, 9, 2), "net_follows", -1),
        (date(2025, 9, 2), "views", 80),
        (date(2025, 9, 2), "watch_time_hours", 3.25),
    ]


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("28 de ago. de 2025", "pt", date(2025, 8, 28)),
        ("6 de julho de 2023", "pt", date(2023, 7, 6)),
        ("2 de set. de 2025", "pt", date(2025, 9, 2)),
        ("28 de ago. de 2025", None, None),  # no language known: not guessed
        ("31 de fev. de 2025", "pt", None),  # not a day
        ("28 de ago. de 25", "pt", None),  # no 4-digit year
        ("ago. set. 2025", "pt", None),  # two month names
    ],
)
def test_localised_publish_dates(value, language, expected):
    assert localised_date(value, language) == expected


# -- YouTube Studio Geography -----------------------------------------------------------------


def test_youtube_geography_views_by_country(store, engine):
    [result] = engine(
        store, FIXTURES / "youtube-geography" / "Table data.csv", account="br-youtube"
    )
    assert (result.status, result.format, result.rows) == ("imported", "youtube_geography", 4)
    audience = fetch(
        store,
        "SELECT dimension, key, value, unit, kind, as_of = ? FROM audience ORDER BY value DESC",
        [result.as_of],
    )
    # The `Total` row (1000) is not a country.
    assert audience == [
        ("country", "VN", 600, "count", "video_views", True),
        ("country", "BR", 250, "count", "video_views", True),
        ("country", "US", 100, "count", "video_views", True),
        ("country", "JP", 50, "count", "video_views", True),
    ]


# -- the Stories sheet joined by Post ID: what does not join ------------------------------------


def _october_xlsx(real_exports: Path) -> Document:
    return document(real_exports / XLSX / POSTS.format("2017-10-22", "xlsx"))


def test_post_missing_from_the_stories_sheet_has_unknown_actions(real_exports):
    doc = _october_xlsx(real_exports)
    stories = doc.sheets["Lifetime Post Stories by act..."]
    del stories[2]  # the second post's row (like 154)
    parsed = next(f for f in formats() if f.id == "facebook_legacy_posts").read(doc)
    post = next(p for p in parsed.posts if p.post_id == f"{LOK}_1939999886212658")
    assert (post.reactions, post.comments, post.shares) == (None, None, None)
    assert post.reach == 4235  # the Key Metrics values are still read


def test_stories_row_of_a_post_key_metrics_lacks_is_refused(store, real_exports, tmp_path):
    import openpyxl

    path = real_exports / XLSX / POSTS.format("2017-10-22", "xlsx")
    book = openpyxl.load_workbook(path)
    book["Lifetime Post Stories by act..."]["B3"] = f"{LOK}_1"  # a post no other sheet has
    copy = tmp_path / path.name
    book.save(copy)
    importer = Importer(store, registry_dir=REGISTRY, origin="test")
    [result] = importer.import_paths([copy])
    assert result.status == "refused"
    assert result.refusal.code == "legacy_breakdown_post"
    assert f"{LOK}_1" in result.message("en") and "Key Metrics" in result.message("en")
    assert "Key Metrics" in result.message("vi")


def test_portuguese_chart_data(store, engine):
    [chart] = engine(store, FIXTURES / "youtube-pt" / "Dados do gráfico.csv", account="br-youtube")
    assert (chart.status, chart.format, chart.rows) == ("imported", "youtube_chart", 3)
    assert fetch(store, "SELECT post_id, published_date FROM posts") == [
        ("Ab3dEf6hIjK", date(2025, 8, 28))
    ]
    assert fetch(store, "SELECT date, value FROM post_daily ORDER BY date") == [
        (date(2025, 9, 1), 40),
        (date(2025, 9, 2), 25),
    ]


def test_lok_files_imported_again_are_unchanged(store, real_exports, engine):
    paths = [
        real_exports / XLS / PAGE,
        real_exports / XLS / POSTS.format("2017-07-27", "xls"),
        real_exports / XLSX / POSTS.format("2017-11-19", "xlsx"),
    ]
    assert [r.status for r in engine(store, *paths)] == ["imported"] * 3
    tables = ("posts", "post_metrics", "account_daily", "audience")
    before = {t: fetch(store, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    assert [r.status for r in engine(store, *paths)] == ["unchanged"] * 3
    assert {t: fetch(store, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == before
    # The July .xlsx is the same export as the July .xls: its posts are not added twice.
    engine(store, real_exports / XLSX / POSTS.format("2017-07-27", "xlsx"))
    assert fetch(store, "SELECT count(*) FROM posts") == [(before["posts"],)]
    # The November export (posts of 2017-06-24 .. 11-15) holds the 7 July posts again, with
    # later lifetime values: two snapshots of them, and the newest is the one read.
    assert before == {"posts": 47, "post_metrics": 7 + 47, "account_daily": 162, "audience": 90}
    latest = fetch(
        store,
        "SELECT as_of, reach, reactions FROM post_latest_metrics WHERE post_id = ?",
        [f"{LOK}_1903191989893448"],
    )
    assert latest == [(date(2017, 11, 19), 971077, 6592)]  # July: 928703 and 6091
