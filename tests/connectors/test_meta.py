"""Meta Business Suite exports: the Facebook and Instagram content exports and the insights
time series, read through the import engine from fixtures that carry the real quirks (BOM,
UTF-16 with a `sep=,` line, `Views` or the older `Impressions`, "1938.0" and "5,431", `-`,
texts with newlines, emoji and `&amp;`, sparse days), and the refusals.

Expected values are worked out by hand from the fixture files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from connectors.base import SourceFile
from connectors.importer import Importer, ImportResult
from connectors.sources import read_document
from data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "meta"
FB = FIXTURES / "Jan-27-2025_Feb-23-2025_541651602373282.csv"
FB_OLD = FIXTURES / "Oct-01-2024_Oct-31-2024_541651602373282.csv"
IG = FIXTURES / "Jan-27-2025_Feb-23-2025_17841400000000002.csv"
IG_OLD = FIXTURES / "Oct-01-2024_Oct-31-2024_17841400000000002.csv"
FOLLOWS = FIXTURES / "Facebook follows.csv"
VIEWERS = FIXTURES / "Viewers.csv"
INTERACTIONS = FIXTURES / "VNEmbassyUSA Content interactions Aug-01-2025_Aug-31-2025.csv"
DATA_TABLES = ("posts", "post_metrics", "account_daily", "post_daily", "follower_totals")
METRICS = "reactions, comments, shares, reach, impressions, video_views, engagements, clicks, saves"


def run(store: Store, registry_dir: Path, *paths: Path, account: str | None = None) -> list:
    importer = Importer(store, registry_dir=registry_dir, origin="test", account=account)
    return importer.import_paths(paths)


def import_bytes(
    store: Store, registry_dir: Path, name: str, data: bytes, account: str | None = None
) -> ImportResult:
    importer = Importer(store, registry_dir=registry_dir, origin="test", account=account)
    [result] = importer.import_sources([SourceFile(name=name, data=data)])
    return result


def counts(store: Store) -> dict[str, int]:
    with store.read() as cur:
        return {
            table: cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            for table in (*DATA_TABLES, "imports")
        }


def post(store: Store, post_id: str) -> dict:
    with store.read() as cur:
        result = cur.execute(
            f"SELECT p.account_id, p.published_local, p.published_date, p.published_utc, "
            f"p.post_type, p.text, p.permalink, m.as_of, {METRICS} "
            "FROM posts p JOIN post_latest_metrics m USING (account_id, post_id) "
            "WHERE p.post_id = ?",
            [post_id],
        )
        rows = result.fetchall()
        names = [d[0] for d in result.description]
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def series(store: Store, account: str, metric: str) -> list[tuple[date, float | None]]:
    with store.read() as cur:
        return cur.execute(
            "SELECT date, value FROM account_daily_latest WHERE account_id = ? AND metric = ? "
            "ORDER BY date",
            [account, metric],
        ).fetchall()


# -- Facebook content --------------------------------------------------------------------------


def test_facebook_content_with_views(store, registry_dir):
    [result] = run(store, registry_dir, FB)
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "meta_content_facebook",
        "us-facebook",
    )
    assert (result.rows, result.as_of) == (3, date(2025, 2, 23))
    with store.read() as cur:
        logged = cur.execute("SELECT period_start, period_end FROM imports").fetchall()
    assert logged == [(date(2025, 1, 27), date(2025, 2, 23))]

    photo = post(store, "1827720132094663")
    assert photo["account_id"] == "us-facebook"
    # Views "5,431" stand in for impressions; Reach "1938.0".
    assert (photo["impressions"], photo["reach"]) == (5431, 1938)
    assert (photo["reactions"], photo["comments"], photo["shares"], photo["clicks"]) == (
        45,
        7,
        5,
        120,
    )
    assert (photo["video_views"], photo["engagements"], photo["saves"]) == (None, None, None)
    assert photo["text"] == (
        "Ambassador meets the Governor of Virginia 🇻🇳🇺🇸\n"
        "Trade &amp; education on the agenda.\n\n#VietNamUSA"
    )
    assert photo["post_type"] == "Photos"
    assert photo["permalink"] == "https://www.facebook.com/vnembassyusa/posts/pfbid0abc1"
    assert photo["published_local"] == datetime(2025, 2, 20, 9, 30)
    assert photo["published_date"] == date(2025, 2, 20)
    assert photo["published_utc"] is None
    assert photo["as_of"] == date(2025, 2, 23)

    # Empty Title: the text is the Description. Comments "-" and empty Total clicks: unknown.
    video = post(store, "1823209189212424")
    assert video["text"] == "Tết at the Embassy 🧧\nHappy New Year of the Snake"
    assert (video["comments"], video["clicks"], video["video_views"]) == (None, None, None)
    assert (video["reactions"], video["shares"], video["impressions"]) == (300, 40, 12000)
    assert video["published_local"] == datetime(2025, 2, 1, 22, 0)

    # Zeros the export writes are zeros.
    notice = post(store, "1820000000000001")
    assert (notice["reactions"], notice["reach"], notice["impressions"], notice["clicks"]) == (
        0,
        0,
        0,
        0,
    )


def test_facebook_content_with_impressions(store, registry_dir):
    # 2024 layout: `Impressions`, no `Views`; "Reactions, comments and shares" in lower case.
    [result] = run(store, registry_dir, FB_OLD)
    assert (result.status, result.account_id, result.rows) == ("imported", "us-facebook", 2)
    assert result.as_of == date(2024, 10, 31)
    reception = post(store, "1790000000000001")
    assert (reception["impressions"], reception["reach"], reception["clicks"]) == (3120, 2400, 66)
    assert (reception["reactions"], reception["comments"], reception["shares"]) == (70, 6, 5)
    assert reception["text"] == "National Day reception &amp; photo exhibition 🎉\nWashington, D.C."
    reel = post(store, "1790000000000002")
    assert (reel["reach"], reel["impressions"], reel["shares"]) == (None, 980, 0)
    assert reel["post_type"] == "Reels"


def test_facebook_content_impressions_win_over_views(store, registry_dir):
    # A transition-time export with both columns: impressions are read from `Impressions`.
    data = FB.read_bytes().replace(b",Views,", b",Impressions,Views,", 1)
    data = data.replace(b',Lifetime,"5,431",', b',Lifetime,"4,000","5,431",', 1)
    data = data.replace(b",Lifetime,12000,", b",Lifetime,9000,12000,", 1)
    data = data.replace(b",Lifetime,0,", b",Lifetime,0,0,", 1)
    result = import_bytes(store, registry_dir, FB.name, data)
    assert result.status == "imported"
    assert post(store, "1827720132094663")["impressions"] == 4000
    assert post(store, "1823209189212424")["impressions"] == 9000


def test_facebook_content_reimport_is_unchanged(store, registry_dir):
    assert [r.status for r in run(store, registry_dir, FB, FB_OLD)] == ["imported", "imported"]
    before = counts(store)
    assert before["posts"] == 5
    assert [r.status for r in run(store, registry_dir, FB, FB_OLD)] == ["unchanged", "unchanged"]
    assert counts(store) == before


def test_facebook_content_without_page_id_column_maps_by_the_file_name(store, registry_dir):
    # Page ID dropped (a trimmed copy) and the page renamed: the id ending the file name remains.
    data = FB.read_bytes()
    header, body = data.split(b"\n", 1)
    trimmed = header.replace(b'"Post ID","Page ID",', b'"Post ID",', 1)
    body = body.replace(b",541651602373282,Vietnam Embassy in USA,", b",Embassy page,")
    assert trimmed != header and body.count(b",Embassy page,") == 3
    result = import_bytes(store, registry_dir, FB.name, trimmed + b"\n" + body)
    assert (result.status, result.account_id, result.rows) == ("imported", "us-facebook", 3)


# -- Instagram content ------------------------------------------------------------------------


def test_instagram_content_with_views(store, registry_dir):
    [result] = run(store, registry_dir, IG)
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "meta_content_instagram",
        "us-instagram",
    )
    assert (result.rows, result.as_of) == (2, date(2025, 2, 23))
    carousel = post(store, "18182686576415017")
    assert (carousel["reactions"], carousel["comments"], carousel["shares"]) == (88, 9, 4)
    assert (carousel["saves"], carousel["reach"], carousel["impressions"]) == (13, 640, 1204)
    assert (carousel["video_views"], carousel["clicks"], carousel["engagements"]) == (
        None,
        None,
        None,
    )
    assert carousel["text"] == "Spring in Washington 🌸\nCherry blossoms &amp; áo dài"
    assert carousel["post_type"] == "IG carousel"
    assert carousel["published_local"] == datetime(2025, 2, 14, 17, 45)
    reel = post(store, "18182686576415018")
    # Comments "-" and empty Saves are unknown; an empty Description is no text.
    assert (reel["comments"], reel["saves"], reel["text"]) == (None, None, None)
    assert (reel["reactions"], reel["impressions"]) == (210, 4500)


def test_instagram_content_with_impressions(store, registry_dir):
    [result] = run(store, registry_dir, IG_OLD)
    assert (result.status, result.account_id, result.as_of) == (
        "imported",
        "us-instagram",
        date(2024, 10, 31),
    )
    image = post(store, "18100000000000001")
    assert (image["impressions"], image["reach"], image["reactions"], image["saves"]) == (
        2050,
        1500,
        120,
        17,
    )


def test_instagram_account_found_by_username_when_the_id_is_unknown(store, registry_dir):
    # Another account id in the rows and the name: the username still maps the file.
    data = IG.read_bytes().replace(b"17841400000000002", b"17841499999999999")
    result = import_bytes(store, registry_dir, "content.csv", data)
    assert (result.status, result.account_id) == ("imported", "us-instagram")


# -- insights time series ---------------------------------------------------------------------


def test_insights_file_is_decoded_with_its_sep_line_consumed():
    doc = read_document(SourceFile(name=FOLLOWS.name, data=FOLLOWS.read_bytes()))
    assert FOLLOWS.read_bytes()[:2] == b"\xff\xfe"  # UTF-16 LE with BOM
    assert doc.rows[:3] == [
        ["Facebook follows"],
        ["Date", "Primary"],
        ["2025-08-01T00:00:00", "20"],
    ]


def test_insights_follows_sparse_days_are_zero(store, registry_dir):
    [result] = run(store, registry_dir, FOLLOWS, account="us-facebook")
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "meta_insights_series",
        "us-facebook",
    )
    # No date in the name: the as-of is the file's modification date (a checkout's here), and
    # never before the series' last day.
    assert result.rows == 6
    assert result.as_of_basis == "modified" and result.as_of >= date(2025, 8, 6)
    assert series(store, "us-facebook", "new_follows") == [
        (date(2025, 8, 1), 20),
        (date(2025, 8, 2), 3),
        (date(2025, 8, 3), 0),  # left out by Meta: 0
        (date(2025, 8, 4), 0),
        (date(2025, 8, 5), 1),
        (date(2025, 8, 6), 1938),  # "1938.0"
    ]


def test_insights_without_platform_in_the_title_take_the_accounts(store, registry_dir):
    [result] = run(store, registry_dir, VIEWERS, account="us-instagram")
    assert (result.status, result.account_id) == ("imported", "us-instagram")
    assert series(store, "us-instagram", "reach") == [
        (date(2025, 8, 1), 512),
        (date(2025, 8, 2), 0),
        (date(2025, 8, 3), 7),
    ]


def test_insights_account_from_a_handle_in_the_file_name(store, registry_dir):
    [result] = run(store, registry_dir, INTERACTIONS)
    assert (result.status, result.account_id, result.as_of) == (
        "imported",
        "us-facebook",
        date(2025, 8, 31),
    )
    assert series(store, "us-facebook", "engagements") == [
        (date(2025, 8, 30), 44),
        (date(2025, 8, 31), 2),
    ]


def test_insights_follows_of_facebook_refused_for_an_instagram_account(store, registry_dir):
    [result] = run(store, registry_dir, FOLLOWS, account="us-instagram")
    assert (result.status, result.refusal.code) == ("refused", "platform_mismatch")


def test_insights_file_without_account_is_refused(store, registry_dir):
    [result] = run(store, registry_dir, FOLLOWS)
    assert (result.status, result.refusal.code) == ("refused", "no_account")
    assert "--account" in result.message("en")
    assert counts(store)["account_daily"] == 0


@pytest.mark.parametrize(
    ("title", "metric", "platform_account"),
    [
        ("Instagram follows", "new_follows", "us-instagram"),
        ("Views", "views", "us-facebook"),
        ("Facebook link clicks", "link_clicks", "us-facebook"),
        ("Facebook visits", "profile_visits", "us-facebook"),
        ("Instagram profile visits", "profile_visits", "us-instagram"),
    ],
)
def test_insights_titles(store, registry_dir, title, metric, platform_account):
    body = f'sep=,\r\n"{title}"\r\n"Date","Primary"\r\n"2025-08-01T00:00:00","5"\r\n'
    data = b"\xff\xfe" + body.encode("utf-16-le")
    result = import_bytes(store, registry_dir, "chart.csv", data, account=platform_account)
    assert (result.status, result.account_id) == ("imported", platform_account)
    assert series(store, platform_account, metric) == [(date(2025, 8, 1), 5)]


# -- refusals: nothing written, and the message says what to do ----------------------------------


def assert_refused(
    store: Store,
    registry_dir: Path,
    name: str,
    data: bytes,
    code: str,
    account: str | None = None,
) -> ImportResult:
    assert run(store, registry_dir, FB)[0].status == "imported"  # something stored already
    before = counts(store)
    result = import_bytes(store, registry_dir, name, data, account=account)
    assert result.status == "refused"
    assert result.refusal is not None and result.refusal.code == code
    assert "⟦" not in result.message("en") and "⟦" not in result.message("vi")
    after = counts(store)
    assert {k: after[k] for k in DATA_TABLES} == {k: before[k] for k in DATA_TABLES}
    assert after["imports"] == before["imports"] + 1  # only the refusal is logged
    return result


def test_cut_off_content_file_is_refused(store, registry_dir):
    data = FB_OLD.read_bytes()
    cut = data[: data.index(b"10/20/2024 12:00") + len(b"10/20/2024 12:00")]  # mid-row
    result = assert_refused(store, registry_dir, FB_OLD.name, cut, "ragged_row")
    assert result.refusal.params == {"row": 3, "found": 7, "expected": 20}
    assert "Export it again and import the new file" in result.message("en")


def test_cut_off_insights_file_is_refused(store, registry_dir):
    data = FOLLOWS.read_bytes()
    cut = data[: data.index('"1938'.encode("utf-16-le")) + 6]  # inside the last quoted value
    result = assert_refused(
        store, registry_dir, FOLLOWS.name, cut, "malformed_csv", account="us-facebook"
    )
    assert "Export it again" in result.message("en")


def test_mangled_page_id_is_refused(store, registry_dir):
    data = FB.read_bytes().replace(b"541651602373282,Vietnam", b"5.41652E+14,Vietnam", 1)
    result = assert_refused(store, registry_dir, "content.csv", data, "mangled_id")
    assert result.refusal.params == {"column": "Page ID", "row": 2, "value": "5.41652E+14"}
    assert "Import the original export" in result.message("en")


def test_mangled_post_id_is_refused(store, registry_dir):
    data = IG.read_bytes().replace(b"18182686576415018", b"1.81827E+16", 1)
    result = assert_refused(store, registry_dir, IG.name, data, "mangled_id")
    assert result.refusal.params["column"] == "Post ID"


def test_missing_required_column_is_refused(store, registry_dir):
    data = IG.read_bytes().replace(b",Likes,", b",Like count,", 1)
    result = assert_refused(store, registry_dir, IG.name, data, "missing_columns")
    assert result.refusal.params == {"columns": "Likes"}
    assert "Export the report again with its default columns" in result.message("en")


def test_a_file_of_two_known_pages_imports_each_row_to_its_page(store, registry_dir):
    data = FB.read_bytes().replace(
        b"1820000000000001,541651602373282", b"1820000000000001,108155540902749", 1
    )
    result = import_bytes(store, registry_dir, "content.csv", data)
    assert (result.status, result.account_id, result.rows) == (
        "imported",
        "th-facebook, us-facebook",
        3,
    )
    assert post(store, "1820000000000001")["account_id"] == "th-facebook"
    assert post(store, "1827720132094663")["account_id"] == "us-facebook"
    with store.read() as cur:
        logged = cur.execute(
            "SELECT account_id, row_count FROM imports ORDER BY account_id"
        ).fetchall()
    assert logged == [("th-facebook", 1), ("us-facebook", 2)]  # one line per account
    # Again: unchanged for both.
    again = import_bytes(store, registry_dir, "content.csv", data)
    assert (again.status, again.rows) == ("unchanged", 0)


def test_a_file_of_several_pages_with_account_given_is_refused(store, registry_dir):
    data = FB.read_bytes().replace(
        b"1820000000000001,541651602373282", b"1820000000000001,108155540902749", 1
    )
    result = assert_refused(
        store, registry_dir, "content.csv", data, "mixed_accounts", account="us-facebook"
    )
    assert result.refusal.params == {"ids": "108155540902749, 541651602373282"}
    assert "Leave out --account" in result.message("en")


def test_unknown_insights_title_is_refused(store, registry_dir):
    # `Facebook reach` is known since the 2024 layout (meta_insights_titles.csv): a title no
    # export writes is refused.
    body = 'sep=,\r\n"Page impressions"\r\n"Date","Primary"\r\n"2025-08-01T00:00:00","5"\r\n'
    data = b"\xff\xfe" + body.encode("utf-16-le")
    result = assert_refused(
        store, registry_dir, "Page impressions.csv", data, "bad_title", account="us-facebook"
    )
    assert result.refusal.params["title"] == "Page impressions"
    assert "Facebook follows" in result.refusal.params["known"]
    assert "Export one of those charts from Meta Business Suite" in result.message("en")
    assert "Hãy xuất một trong các biểu đồ" in result.message("vi")


def test_duplicate_day_with_two_values_is_refused(store, registry_dir):
    body = (
        'sep=,\r\n"Views"\r\n"Date","Primary"\r\n'
        '"2025-08-01T00:00:00","5"\r\n"2025-08-01T00:00:00","6"\r\n'
    )
    data = b"\xff\xfe" + body.encode("utf-16-le")
    result = assert_refused(
        store, registry_dir, "Views.csv", data, "duplicate_day", account="us-facebook"
    )
    assert result.refusal.params == {"date": "2025-08-01"}
