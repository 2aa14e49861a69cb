"""TikTok connectors: TikTok Studio's Analytics files (dates without a year, in the interface
language) and a business account's exports. Real files first (every expected value worked out
from the files by hand or with a plain csv reader), then the dates in every interface language
(month strings generated from Babel here, and strings seen in real exports), the New Year and
leap-day cases, zips and XLSX, refusals, and the KPIs of a mission with a TikTok account."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.dates import format_skeleton, get_month_names

from connectors.base import Document, SourceFile
from connectors.importer import Importer
from connectors.monthday import LANGUAGES, read_month_days, series_dates
from connectors.reading import detect_format
from connectors.sources import read_document
from data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tiktok"
REGISTRY = FIXTURES / "registry"
STUDIO = "tiktok-studio-en/haileytupy2.0"
BUSINESS = "tiktok-business-en/vintagerest"
# The day the haileytupy2.0 files were committed (PROVENANCE): Content's `Time` is
# "February 28", Overview's last day "February 27".
STUDIO_AS_OF = date(2026, 2, 28)


def run(store: Store, *paths: Path, account: str | None = None, as_of: date | None = None):
    importer = Importer(store, registry_dir=REGISTRY, account=account, origin="test", as_of=as_of)
    return importer.import_paths(paths)


def run_sources(store: Store, *sources: SourceFile, account: str | None = None):
    importer = Importer(store, registry_dir=REGISTRY, account=account, origin="test")
    return importer.import_sources(sources)


def rows(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    with store.read() as cur:
        return cur.execute(sql, params or []).fetchall()


def series(store: Store, account: str, metric: str) -> list[tuple[date, float]]:
    return rows(
        store,
        "SELECT date, value FROM account_daily_latest WHERE account_id = ? AND metric = ? "
        "AND value IS NOT NULL ORDER BY date",
        [account, metric],
    )


def imported(results) -> None:
    assert [r.status for r in results] == ["imported"] * len(results), [
        r.message("en") for r in results
    ]


# -- TikTok Studio, real files ------------------------------------------------------------------


def test_studio_overview_real(store, real_exports):
    results = run(
        store, real_exports / STUDIO / "Overview.csv", account="us-tiktok", as_of=STUDIO_AS_OF
    )
    imported(results)
    # 365 days x 5 metrics, less the 35 days of negative (net) Comments left out.
    assert results[0].rows == 365 * 5 - 35
    assert results[0].skipped == {"tiktok_net_removal": 35}  # and the import line says so
    assert "35 daily count(s) were negative" in results[0].message("en")
    views = series(store, "us-tiktok", "video_views")
    assert len(views) == 365
    assert views[0] == (date(2025, 2, 28), 0.0)
    assert views[-1] == (date(2026, 2, 27), 18237.0)
    assert sum(v for _, v in views) == 2946198
    # The year rolls over at "January 1" (row 309 of the file).
    days = [d for d, _ in views]
    assert days[306:308] == [date(2025, 12, 31), date(2026, 1, 1)]
    assert days == sorted(set(days)) and (days[-1] - days[0]).days == 364
    assert sum(v for _, v in series(store, "us-tiktok", "profile_visits")) == 9692
    assert sum(v for _, v in series(store, "us-tiktok", "reactions")) == 23673
    assert sum(v for _, v in series(store, "us-tiktok", "shares")) == 2372
    comments = dict(series(store, "us-tiktok", "comments"))
    # 3171 over the file = 3236 on 330 days + (-65) on 35 days, which are unknown, not stored.
    assert len(comments) == 330 and sum(comments.values()) == 3236
    assert date(2025, 8, 12) not in comments  # "-1" in the file
    assert comments[date(2026, 2, 26)] == 3
    assert dict(series(store, "us-tiktok", "video_views"))[date(2025, 8, 12)] == 10280


def test_studio_overview_as_of_its_last_day_gives_the_same_days(store, real_exports):
    # PROVENANCE's period ends 2026-02-27: an as-of on the last day reads the same dates.
    imported(
        run(
            store,
            real_exports / STUDIO / "Overview.csv",
            account="us-tiktok",
            as_of=date(2026, 2, 27),
        )
    )
    views = series(store, "us-tiktok", "video_views")
    assert (views[0][0], views[-1][0], len(views)) == (date(2025, 2, 28), date(2026, 2, 27), 365)


def test_studio_overview_dated_by_the_files_modification_date(store, real_exports):
    data = (real_exports / STUDIO / "Overview.csv").read_bytes()
    results = run_sources(
        store, SourceFile("Overview.csv", data, modified=date(2026, 2, 28)), account="us-tiktok"
    )
    imported(results)
    assert results[0].as_of == date(2026, 2, 28) and results[0].as_of_basis == "modified"
    views = series(store, "us-tiktok", "video_views")
    assert (views[0][0], views[-1][0]) == (date(2025, 2, 28), date(2026, 2, 27))


def test_studio_viewers_real(store, real_exports):
    imported(
        run(store, real_exports / STUDIO / "Viewers.csv", account="us-tiktok", as_of=STUDIO_AS_OF)
    )
    viewers = series(store, "us-tiktok", "viewers")
    # The first 25 days are "undefined": unknown, left out, never 0.
    assert len(viewers) == 340
    assert viewers[0] == (date(2025, 3, 25), 3.0)
    assert viewers[-1] == (date(2026, 2, 27), 15752.0)
    assert sum(v for _, v in viewers) == 2550981
    assert rows(store, "SELECT DISTINCT metric FROM account_daily") == [("viewers",)]


def test_studio_follower_history_real(store, real_exports):
    imported(
        run(
            store,
            real_exports / STUDIO / "FollowerHistory.csv",
            account="us-tiktok",
            as_of=STUDIO_AS_OF,
        )
    )
    followers = series(store, "us-tiktok", "followers")
    assert len(followers) == 340  # 25 "undefined" days left out
    assert followers[0] == (date(2025, 3, 25), 37.0)
    assert followers[-1] == (date(2026, 2, 27), 5013.0)
    net = dict(series(store, "us-tiktok", "net_follows"))
    # The "0" differences of the 25 "undefined" days are not measured changes: left out.
    assert len(net) == 340 and sum(net.values()) == 4976
    assert min(net) == date(2025, 3, 25)
    assert net[date(2026, 2, 20)] == -1.0  # negative differences are kept: a net change
    totals = dict(
        rows(store, "SELECT date, followers FROM follower_totals WHERE account_id = 'us-tiktok'")
    )
    assert totals[date(2026, 2, 27)] == 5013
    assert min(totals) == date(2025, 3, 25)  # no total rebuilt for the days TikTok does not know


def test_studio_content_real(store, real_exports):
    results = run(store, real_exports / STUDIO / "Content.csv", as_of=STUDIO_AS_OF)
    imported(results)
    # Mapped by the @handle of its video links, no --account needed.
    assert results[0].account_id == "us-tiktok"
    posts = rows(
        store,
        "SELECT post_id, published_date, published_local, text, permalink, "
        "post_type FROM posts ORDER BY post_id",
    )
    assert len(posts) == 13
    by_id = {p[0]: p for p in posts}
    # "July 16" shown on the export day "February 28" (2026): posted the July before.
    hairbrush = by_id["7527623000473079054"]
    assert hairbrush[1] == date(2025, 7, 16) and hairbrush[2] is None
    assert hairbrush[3] == "@Unbrush #unbrush #unbrushplus #unbrushhairbrush"  # trailing space
    assert hairbrush[4] == "https://www.tiktok.com/@haileytupy2.0/video/7527623000473079054"
    assert hairbrush[5] == "Videos"
    assert min(p[1] for p in posts) == date(2025, 4, 8)
    assert max(p[1] for p in posts) == date(2026, 2, 1)  # "February 1"
    assert by_id["7531345990947851551"][3] is None  # empty title
    metrics = rows(
        store,
        "SELECT reactions, comments, shares, video_views, saves, as_of "
        "FROM post_latest_metrics WHERE post_id = '7527623000473079054'",
    )
    assert metrics == [(533.0, 32.0, 16.0, 191265.0, None, STUDIO_AS_OF)]
    assert rows(store, "SELECT sum(video_views) FROM post_latest_metrics") == [(537161.0,)]


def test_studio_four_content_exports_share_videos(store, real_exports):
    files = ["Content.csv", "Content 2.csv", "Content 3.csv", "Content 4.csv"]
    results = run(store, *(real_exports / STUDIO / f for f in files), as_of=STUDIO_AS_OF)
    imported(results)
    assert [r.rows for r in results] == [13, 12, 6, 12]
    # 29 distinct videos; those in several files carry the same values in each.
    assert rows(store, "SELECT count(*) FROM posts") == [(29,)]
    assert rows(store, "SELECT count(*) FROM post_latest_metrics") == [(29,)]
    # Again: nothing changes.
    again = run(store, *(real_exports / STUDIO / f for f in files), as_of=STUDIO_AS_OF)
    assert {r.status for r in again} == {"unchanged"}


def test_studio_audience_real(store, real_exports):
    results = run(
        store,
        real_exports / STUDIO / "FollowerGender.csv",
        real_exports / STUDIO / "FollowerTopTerritories.csv",
        account="us-tiktok",
        as_of=STUDIO_AS_OF,
    )
    imported(results)
    gender = rows(
        store,
        "SELECT key, value, unit, kind, as_of FROM audience "
        "WHERE dimension = 'gender' ORDER BY key",
    )
    assert gender == [
        ("Female", 0.59, "share", "followers", STUDIO_AS_OF),
        ("Male", 0.41, "share", "followers", STUDIO_AS_OF),
        ("Other", 0.0, "share", "followers", STUDIO_AS_OF),
    ]
    countries = dict(rows(store, "SELECT key, value FROM audience WHERE dimension = 'country'"))
    # Ten countries; "Others" (0.211) is not a country and is left out.
    assert len(countries) == 10
    assert countries["US"] == 0.462 and countries["EG"] == 0.219 and countries["RO"] == 0.001
    assert round(sum(countries.values()), 3) == round(1 - 0.211, 3)


def test_studio_follower_activity_is_when_followers_are_online(store, real_exports):
    # 7 days x 24 hours, February 21..27; the last day's hours 18..23 are "0": not measured yet.
    results = run(
        store,
        real_exports / STUDIO / "FollowerActivity.csv",
        account="us-tiktok",
        as_of=STUDIO_AS_OF,
    )
    imported(results)
    assert (results[0].format, results[0].rows) == ("tiktok_studio_follower_activity", 168 - 6)
    assert results[0].skipped == {"unmeasured_hour": 6}
    assert "6 hour(s) of the export's own day" in results[0].message("en")
    by_hour = dict(
        rows(
            store,
            "SELECT key, value FROM audience WHERE dimension = 'hour' AND as_of = ?",
            [date(2026, 2, 21)],
        )
    )
    # first rows of the file: "February 21","0","491" / "1","364" / "2","310"
    assert (by_hour["00"], by_hour["01"], by_hour["02"]) == (491, 364, 310)
    assert len(by_hour) == 24
    assert rows(
        store,
        "SELECT min(as_of), max(as_of), max(key) FILTER (WHERE as_of = ?) FROM audience",
        [date(2026, 2, 27)],
    ) == [
        (date(2026, 2, 21), date(2026, 2, 27), "17")  # "February 27","17","1114"
    ]
    assert rows(store, "SELECT count(*) FROM account_daily") == [(0,)]


def test_studio_zip_gives_what_the_csvs_give(tmp_path, real_exports):
    folder = real_exports / STUDIO
    names = sorted(p.name for p in folder.glob("*.csv"))
    archive = tmp_path / "haileytupy2.0 analytics.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(2026, 2, 28, 9, 0, 0))
            zf.writestr(info, (folder / name).read_bytes())
    from_zip = Store(tmp_path / "zip.duckdb")
    zip_results = run(from_zip, archive)  # no --account, no --as-of: the zip names the handle
    loose = Store(tmp_path / "loose.duckdb")
    loose_results = run(
        loose, *(folder / n for n in names), account="us-tiktok", as_of=STUDIO_AS_OF
    )
    by_status = {r.file.rsplit("/", 1)[-1]: r.status for r in zip_results}
    assert by_status == dict.fromkeys(names, "imported")
    assert {r.account_id for r in zip_results if r.status == "imported"} == {"us-tiktok"}
    assert {r.as_of for r in zip_results if r.status == "imported"} == {STUDIO_AS_OF}
    assert [r.rows for r in zip_results] == [r.rows for r in loose_results]
    for sql in (
        "SELECT date, metric, value FROM account_daily_latest ORDER BY ALL",
        "SELECT post_id, published_date, text FROM posts ORDER BY ALL",
        "SELECT post_id, reactions, comments, shares, video_views FROM post_latest_metrics "
        "ORDER BY ALL",
        "SELECT dimension, key, value FROM audience ORDER BY ALL",
    ):
        assert rows(from_zip, sql) == rows(loose, sql)
    assert len(rows(from_zip, "SELECT * FROM account_daily_latest")) > 2000


def test_studio_overview_xlsx_real(store, real_exports):
    path = real_exports / "tiktok-studio-xlsx/bosszy27-a/Overview.xlsx"
    # Added to its repository 2026-04-23: days "April 12".."April 18" of 2026.
    results = run(store, path, account="ar-tiktok", as_of=date(2026, 4, 23))
    imported(results)
    assert results[0].format == "tiktok_studio_overview" and results[0].rows == 35
    views = series(store, "ar-tiktok", "video_views")
    assert views[0] == (date(2026, 4, 12), 1591.0) and views[-1] == (date(2026, 4, 18), 1484.0)
    assert sum(v for _, v in views) == 7919
    assert sum(v for _, v in series(store, "ar-tiktok", "reactions")) == 51
    assert dict(series(store, "ar-tiktok", "profile_visits"))[date(2026, 4, 18)] == 13


def test_studio_xlsx_reads_as_the_same_table_written_as_csv(real_exports):
    path = real_exports / "tiktok-studio-xlsx/bosszy27-a/Overview.xlsx"
    xlsx = read_document(SourceFile(path.name, path.read_bytes()))
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(xlsx.rows)
    as_csv = read_document(SourceFile("Overview.csv", ("\ufeff" + buffer.getvalue()).encode()))
    parsed = []
    for doc in (xlsx, as_csv):
        doc.as_of = date(2026, 4, 23)
        fmt = detect_format(doc)
        assert fmt.id == "tiktok_studio_overview"
        parsed.append(fmt.read(doc))
    assert parsed[0].daily == parsed[1].daily and len(parsed[0].daily) == 35


def test_studio_overview_spanish_real(store, real_exports):
    path = real_exports / "tiktok-studio-es/franco/Overview.csv"
    # Added to its repository 2026-03-16; the file's days are "8 de marzo".."14 de marzo".
    results = run(store, path, account="ar-tiktok", as_of=date(2026, 3, 16))
    imported(results)
    views = series(store, "ar-tiktok", "video_views")
    assert [d for d, _ in views] == [date(2026, 3, d) for d in range(8, 15)]
    assert [v for _, v in views] == [0, 0, 1, 1, 0, 0, 7]
    doc = read_document(SourceFile(path.name, path.read_bytes()))
    doc.as_of = date(2026, 3, 16)
    assert detect_format(doc).read(doc).language == "es"


# -- dates without a year -------------------------------------------------------------------------


def _row(offset: int) -> int:
    return offset + 2


# The languages the brief asks for at least, with Babel's locale names.
REQUIRED = ("en", "vi", "fr", "es", "pt", "de", "ru", "zh", "ja", "ko")


@pytest.mark.parametrize("language", REQUIRED)
def test_every_month_of_every_language_as_babel_writes_it(language):
    assert language in LANGUAGES
    for skeleton in ("MMMMd", "MMMd"):
        cells = [
            format_skeleton(skeleton, date(2025, m, 28), locale=language) for m in range(1, 13)
        ]
        read_as, values = read_month_days(cells, "Date", _row)
        assert values == [(m, 28) for m in range(1, 13)], (skeleton, cells)
        # Chinese and Japanese `M月d日` are the same string: read as Chinese.
        assert read_as == ("zh" if language == "ja" else language), cells


@pytest.mark.parametrize("language", REQUIRED)
@pytest.mark.parametrize("width", ["wide", "abbreviated"])
@pytest.mark.parametrize("context", ["format", "stand-alone"])
def test_month_names_of_both_contexts_either_order(language, width, context):
    names = get_month_names(width, context=context, locale=language)
    for cells in (
        [f"{day} {names[m]}" for m, day in zip(range(1, 13), range(3, 27, 2), strict=True)],
        [f"{names[m]} {day}" for m, day in zip(range(1, 13), range(3, 27, 2), strict=True)],
    ):
        _, values = read_month_days(cells, "Date", _row)
        assert values == [(m, d) for m, d in zip(range(1, 13), range(3, 27, 2), strict=True)]


def test_dates_seen_in_real_exports():
    with (FIXTURES / "dates_seen.csv").open(encoding="utf-8") as f:
        seen = list(csv.DictReader(f))
    assert len(seen) >= 11
    for item in seen:
        language, values = read_month_days([item["value"]], "Date", _row)
        assert values == [(int(item["month"]), int(item["day"]))], item
        assert language == item["language"], item


def test_one_language_per_file_and_unknown_words_refused():
    from connectors.base import ImportRefused

    # Each cell alone is some language's, but no language reads both: refused, not mixed.
    with pytest.raises(ImportRefused) as refused:
        read_month_days(["8 de marzo", "9 janvier"], "Date", _row)
    assert refused.value.code == "tiktok_date_language"
    assert refused.value.params["row"] in (2, 3)
    with pytest.raises(ImportRefused) as refused:
        read_month_days(["February 28", "Smarch 3"], "Date", _row)
    assert refused.value.params == {"column": "Date", "row": 3, "value": "Smarch 3"}
    with pytest.raises(ImportRefused):
        read_month_days(["February 30"], "Date", _row)


@pytest.mark.parametrize("as_of", [date(2026, 1, 3), date(2026, 2, 1), date(2026, 12, 27)])
def test_new_year_series(store, as_of):
    results = run(store, FIXTURES / "Overview_new_year.csv", account="ar-tiktok", as_of=as_of)
    imported(results)
    views = series(store, "ar-tiktok", "video_views")
    assert [d for d, _ in views] == [date(2025, 12, d) for d in range(28, 32)] + [
        date(2026, 1, d) for d in range(1, 4)
    ]
    assert [v for _, v in views] == [10, 20, 30, 40, 50, 60, 70]


def test_new_year_series_just_before_the_end_goes_a_year_back(store):
    # An as-of of January 2 cannot hold January 3: the whole run is a year earlier.
    imported(
        run(store, FIXTURES / "Overview_new_year.csv", account="ar-tiktok", as_of=date(2026, 1, 2))
    )
    days = [d for d, _ in series(store, "ar-tiktok", "video_views")]
    assert (days[0], days[-1]) == (date(2024, 12, 28), date(2025, 1, 3))


def test_newest_first_series_and_hourly_rows():
    cells = ["January 2", "January 1", "December 31"]
    _, values = read_month_days(cells, "Date", _row)
    assert series_dates(values, date(2026, 1, 10), "Date", _row) == [
        date(2026, 1, 2),
        date(2026, 1, 1),
        date(2025, 12, 31),
    ]
    hourly = ["December 31"] * 3 + ["January 1"] * 3
    _, values = read_month_days(hourly, "Date", _row)
    assert (
        series_dates(values, date(2026, 1, 1), "Date", _row)
        == [date(2025, 12, 31)] * 3 + [date(2026, 1, 1)] * 3
    )


def test_vietnamese_leap_day(store):
    path = FIXTURES / "Overview_vi_leap_day.csv"
    imported(run(store, path, account="ar-tiktok", as_of=date(2024, 3, 1)))
    views = series(store, "ar-tiktok", "video_views")
    assert views == [(date(2024, 2, 28), 100), (date(2024, 2, 29), 200), (date(2024, 3, 1), 300)]
    # In 2025 there is no February 29: the file cannot end on March 1, 2025.
    other = Store(store.path.parent / "other.duckdb")
    refused = run(other, path, account="ar-tiktok", as_of=date(2025, 3, 1))
    assert refused[0].refusal.code == "yearless_no_such_day"
    assert {"row": 3, "day": 29, "month": 2, "year": 2025}.items() <= refused[
        0
    ].refusal.params.items()
    assert "2025-03-01" in refused[0].message("vi")


# -- business account exports -----------------------------------------------------------------


def test_business_overview_real(store, real_exports):
    results = run(store, real_exports / BUSINESS / "TIKTOK_RAW.csv", account="bg-tiktok")
    imported(results)
    views = series(store, "bg-tiktok", "video_views")
    assert len(views) == 62
    assert views[0] == (date(2025, 10, 31), 715.0) and views[-1] == (date(2025, 12, 31), 38996.0)
    assert sum(v for _, v in views) == 521491
    reach = dict(series(store, "bg-tiktok", "reach"))
    assert len(reach) == 61 and date(2025, 10, 31) not in reach  # NAN: unknown
    assert sum(reach.values()) == 505414
    sums = {
        metric: sum(v for _, v in series(store, "bg-tiktok", metric))
        for metric in (
            "profile_visits",
            "reactions",
            "shares",
            "comments",
            "net_follows",
            "new_follows",
            "unfollows",
        )
    }
    assert sums == {
        "profile_visits": 2661,
        "reactions": 7178,
        "shares": 1926,
        "comments": 665,
        "net_follows": 402,
        "new_follows": 409,
        "unfollows": 7,
    }
    assert results[0].rows == 62 * 9 - 1


def test_business_audience_real(store, real_exports):
    results = run(store, real_exports / BUSINESS / "TIKTOK_AUDIENCE_RAW.csv", account="bg-tiktok")
    imported(results)
    assert results[0].rows == 62 + 61
    assert series(store, "bg-tiktok", "followers") == []  # `--` on every day: unknown
    assert sum(v for _, v in series(store, "bg-tiktok", "new_follows")) == 409
    assert rows(store, "SELECT DISTINCT metric FROM account_daily ORDER BY 1") == [
        ("new_follows",),
        ("reach",),
    ]


def test_business_videos_real(store, real_exports):
    results = run(store, real_exports / BUSINESS / "TIKTOK_VIDEO_RAW.csv")
    imported(results)
    assert results[0].account_id == "bg-tiktok"  # @vintagerest.bg in the links
    assert rows(store, "SELECT count(*) FROM posts") == [(51,)]
    first = rows(
        store,
        "SELECT published_local, published_date, text FROM posts "
        "WHERE post_id = '7567452112981069079'",
    )[0]
    assert first[0] == datetime(2025, 10, 31, 18, 19, 10)  # local time as written
    assert first[1] == date(2025, 10, 31)
    assert first[2].startswith("Нормален следобед в Плевен 🤷‍♂️🍝")
    metrics = rows(
        store,
        "SELECT video_views, reactions, comments, shares, saves "
        "FROM post_latest_metrics WHERE post_id = '7567452112981069079'",
    )
    assert metrics == [(172353.0, 1774.0, 42.0, 413.0, 180.0)]
    assert rows(store, "SELECT sum(video_views), sum(saves) FROM post_latest_metrics") == [
        (538938.0, 570.0)
    ]
    # A caption with commas, quoted, stays one post.
    multi = rows(store, "SELECT text FROM posts WHERE text LIKE '2025-а беше годината%'")
    assert len(multi) == 1 and multi[0][0].endswith("#Успех #емоция")


# -- refusals ---------------------------------------------------------------------------------


def _content(*lines: str) -> bytes:
    header = (
        '"Time","Video title","Video link","Post time","Total likes","Total comments",'
        '"Total shares","Total views"'
    )
    return ("\ufeff" + "\n".join([header, *lines]) + "\n").encode()


def test_content_bad_link_and_header_only(store):
    bad = _content('"February 28","x","https://example.com/v/1","July 16","1","2","3","4"')
    results = run_sources(
        store, SourceFile("Content.csv", bad, modified=date(2026, 2, 28)), account="us-tiktok"
    )
    assert results[0].status == "refused"
    assert "https://example.com/v/1" in results[0].message("en")
    empty = run_sources(
        store,
        SourceFile("Content.csv", _content(), modified=date(2026, 2, 28)),
        account="us-tiktok",
    )
    assert empty[0].refusal.code == "no_rows"


def test_content_dates_in_another_language(store):
    data = _content(
        '"28 de febrero","x","https://www.tiktok.com/@haileytupy2.0/video/7527623000473079054",'
        '"16 de julio","1","2","3","4"'
    )
    imported(run_sources(store, SourceFile("Content.csv", data, modified=date(2026, 3, 1))))
    assert rows(store, "SELECT published_date FROM posts") == [(date(2025, 7, 16),)]


def test_detection_is_unique_for_every_tiktok_file(real_exports):
    from connectors.base import formats

    for path in sorted(real_exports.glob("tiktok-*/*/*")):
        doc: Document = read_document(SourceFile(path.name, path.read_bytes()))
        assert len([f for f in formats() if f.detect(doc)]) == 1, path


# -- a mission's KPIs ---------------------------------------------------------------------------


def test_tiktok_exports_show_in_the_missions_kpis(store, real_exports):
    from metrics import kpis

    imported(
        run(
            store,
            real_exports / STUDIO / "Overview.csv",
            *(real_exports / STUDIO / f for f in ("Content.csv", "FollowerHistory.csv")),
            account="us-tiktok",
            as_of=STUDIO_AS_OF,
        )
    )
    with store.read() as con:
        values = kpis(
            con, "emb-us-washington", date(2025, 3, 1), date(2026, 2, 28), platform="tiktok"
        )
        every = kpis(con, "emb-us-washington", date(2025, 3, 1), date(2026, 2, 28))
    # Content.csv: 13 videos posted 2025-04-08..2026-02-01, all in the window.
    assert values["posts"] == 13
    # Sums of Content.csv's Total likes, comments and shares (read with a plain csv reader).
    assert values["reactions"] == 4063
    assert values["comments"] == 117 and values["shares"] == 275
    assert values["interactions"] == 4063 + 117 + 275
    assert values["video_views"] == 537161
    assert values["followers_end"] == 5013
    assert every["posts"] == 13  # the mission's Facebook account has no data here


def _overview(*lines: str) -> bytes:
    header = '"Date","Video Views","Profile Views","Likes","Comments","Shares"'
    return ("\ufeff" + "\n".join([header, *lines])).encode()


def test_thousands_separators_and_counts_that_are_not_whole(store):
    data = _overview(
        '"8 de marzo","1,234","0","0","0","0"', '"9 de marzo","12,345","1","2","3","4"'
    )
    imported(
        run_sources(
            store, SourceFile("Overview.csv", data, modified=date(2026, 3, 16)), account="ar-tiktok"
        )
    )
    assert series(store, "ar-tiktok", "video_views") == [
        (date(2026, 3, 8), 1234.0),
        (date(2026, 3, 9), 12345.0),
    ]
    # `1.234` read plainly is not a count: refused, never stored as 1.234 views.
    dotted = _overview('"8. März","1.234","0","0","0","0"')
    refused = run_sources(
        store, SourceFile("Overview 2.csv", dotted, modified=date(2026, 3, 16)), account="ar-tiktok"
    )
    assert refused[0].refusal.code == "bad_number"
    assert "1.234" in refused[0].message("en")


def test_content_with_an_as_of_on_the_periods_last_day(store, real_exports):
    # The same export's Overview ends February 27; Content's `Time` is the export day, February
    # 28: an as-of of February 27 (a period's end) still dates it 2026, not 2025.
    imported(run(store, real_exports / STUDIO / "Content.csv", as_of=date(2026, 2, 27)))
    published = dict(rows(store, "SELECT post_id, published_date FROM posts"))
    assert published["7527623000473079054"] == date(2025, 7, 16)
    assert max(published.values()) == date(2026, 2, 1)


def test_follower_files_mapped_by_their_followers_folder(tmp_path, store, real_exports):
    # TikTok Studio's zip holds the follower files in `Followers_<handle>/` (PROVENANCE: the
    # real files came from `Followers_haileytupy2.0/` and a copy `Followers_haileytupy2.0-2/`).
    archive = tmp_path / "analytics.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for folder, name in (
            ("Followers_haileytupy2.0", "FollowerHistory.csv"),
            ("Followers_haileytupy2.0-2", "FollowerGender.csv"),
        ):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2026, 2, 28, 9, 0, 0))
            zf.writestr(info, (real_exports / STUDIO / name).read_bytes())
    results = run(store, archive)
    imported(results)
    assert [r.account_id for r in results] == ["us-tiktok", "us-tiktok"]
    # Without the folder, nothing names the account: refused, saying to give it.
    loose = run(store, real_exports / STUDIO / "Viewers.csv", as_of=STUDIO_AS_OF)
    assert loose[0].refusal.code == "no_account"
