"""Facebook Page Insights legacy exports (page level and post level), read through the import
engine: the real Saku files, our fixtures with the same quirks, XLSX copies, and refusals.

Expected values were read off the files by hand (a spreadsheet would re-type them)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from connectors.base import SourceFile
from connectors.importer import Importer, ImportResult
from data.store import Store
from i18n import t

REAL = "facebook-legacy"
REAL_POSTS = "Facebook Insights Data Export (Post Level) - Saku - 2020-08-03.csv"
REAL_PAGE = "Facebook Insights Data Export - Saku - 2020-08-03.csv"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "facebook"
POSTS = FIXTURES / "Facebook Insights Data Export (Post Level) - Saku - 2020-09-01.csv"
PAGE = FIXTURES / "Facebook Insights Data Export - Saku - 2020-09-01.csv"
DATA_TABLES = ("posts", "post_metrics", "account_daily", "post_daily", "follower_totals")


def importer(store: Store, registry_dir: Path) -> Importer:
    return Importer(store, registry_dir=registry_dir, origin="test")


def import_bytes(store: Store, registry_dir: Path, name: str, data: bytes) -> ImportResult:
    [result] = importer(store, registry_dir).import_sources([SourceFile(name=name, data=data)])
    return result


def counts(store: Store) -> dict[str, int]:
    with store.read() as cur:
        return {
            table: cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            for table in (*DATA_TABLES, "imports")
        }


def post_row(store: Store, post_id: str) -> dict:
    with store.read() as cur:
        result = cur.execute(
            "SELECT p.*, m.as_of AS metrics_as_of, m.reactions, m.comments, m.shares, m.reach, "
            "m.impressions, m.video_views, m.engagements, m.clicks, m.saves "
            "FROM posts p JOIN post_latest_metrics m USING (account_id, post_id) "
            "WHERE p.post_id = ?",
            [post_id],
        )
        rows = result.fetchall()
        names = [d[0] for d in result.description]
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def daily(store: Store, account: str, day: date) -> dict[str, float | None]:
    with store.read() as cur:
        rows = cur.execute(
            "SELECT metric, value FROM account_daily_latest WHERE account_id = ? AND date = ?",
            [account, day],
        ).fetchall()
    return dict(rows)


# -- the real export ---------------------------------------------------------------------


def test_real_post_level_export(store, registry_dir, real_exports):
    [result] = importer(store, registry_dir).import_paths([real_exports / REAL / REAL_POSTS])
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "facebook_legacy_posts",
        "th-facebook",
    )
    assert result.rows == 15
    assert result.as_of == date(2020, 8, 3)
    assert counts(store)["posts"] == 15
    assert counts(store)["post_metrics"] == 15

    post = post_row(store, "108155540902749_146331823751787")
    assert post["account_id"] == "th-facebook"
    assert (post["reactions"], post["comments"], post["shares"]) == (43, 7, 10)
    assert (post["reach"], post["impressions"], post["engagements"]) == (2819, 3163, 184)
    assert (post["video_views"], post["clicks"], post["saves"]) == (None, None, None)
    assert post["post_type"] == "Photo"
    assert post["permalink"] == "https://www.facebook.com/sakubot/posts/146331823751787"
    assert post["text"].startswith("หนัง 9 เรื่องที่จะช่วยสร้างแรงบันดาลใจให้กับคนที่กำลังหางาน 📽🎞\n\n")
    assert "&quot;หางาน&quot;" in post["text"]  # entities are kept as exported
    # "06/15/2020 01:00:17 AM" is the page's local time: stored as it is, no zone.
    assert post["published_local"] == datetime(2020, 6, 15, 1, 0, 17)
    assert post["published_date"] == date(2020, 6, 15)
    assert post["published_utc"] is None
    assert post["metrics_as_of"] == date(2020, 8, 3)

    # 2 likes, and empty share and comment cells in the same breakdown group: 0, not unknown.
    first = post_row(store, "108155540902749_161573888894247")
    assert (first["reactions"], first["comments"], first["shares"]) == (2, 0, 0)
    assert (first["reach"], first["impressions"], first["engagements"]) == (142, 155, 6)
    assert first["published_local"] == datetime(2020, 7, 15, 9, 32, 49)
    # "11:43:14 PM" is the evening of May 14, not the next day.
    last = post_row(store, "108155540902749_108156064236030")
    assert last["published_date"] == date(2020, 5, 14)
    assert (last["reactions"], last["reach"], last["text"]) == (4, 0, "Saku")


def test_real_page_level_export(store, registry_dir, real_exports):
    [result] = importer(store, registry_dir).import_paths([real_exports / REAL / REAL_PAGE])
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "facebook_legacy_page",
        "th-facebook",
    )
    assert result.as_of == date(2020, 8, 3)
    # 89 days (2020-05-07 .. 2020-08-03), 6 metrics each; and the likes by country (25) and
    # by city (45) of 2020-08-02, the last day that has them (2020-08-03's cells are empty).
    assert result.rows == 89 * 6 + 25 + 45
    assert daily(store, "th-facebook", date(2020, 5, 28)) == {
        "followers": 594,
        "new_follows": 164,
        "unfollows": 5,
        "reach": 27572,
        "impressions": 31794,
        "engagements": 1280,
    }
    # An empty cell is unknown: 795 likes, 1 unlike, and no value for new likes.
    assert daily(store, "th-facebook", date(2020, 7, 10)) == {
        "followers": 795,
        "new_follows": None,
        "unfollows": 1,
        "reach": 63,
        "impressions": 87,
        "engagements": 1,
    }
    assert daily(store, "th-facebook", date(2020, 5, 7))["followers"] is None
    with store.read() as cur:
        totals = cur.execute(
            "SELECT basis, count(*), min(date), max(date) FROM follower_totals "
            "WHERE account_id = 'th-facebook' GROUP BY basis"
        ).fetchall()
        last = cur.execute(
            "SELECT followers FROM follower_totals WHERE account_id = 'th-facebook' "
            "AND date = DATE '2020-08-03'"
        ).fetchall()
        logged = cur.execute("SELECT period_start, period_end FROM imports").fetchall()
    # Lifetime Total Likes is known from 2020-05-24 to 2020-08-03: 8 + 30 + 31 + 3 days.
    assert totals == [("reported", 72, date(2020, 5, 24), date(2020, 8, 3))]
    assert last == [(807,)]
    assert logged == [(date(2020, 5, 7), date(2020, 8, 3))]

    with store.read() as cur:
        audience = cur.execute(
            "SELECT dimension, as_of, unit, kind, count(*), sum(value), max(value) FROM audience "
            "WHERE account_id = 'th-facebook' GROUP BY ALL ORDER BY dimension"
        ).fetchall()
        top = cur.execute(
            "SELECT dimension, key, value FROM audience WHERE key IN ('TH', 'US', "
            "'Bangkok, Thailand', 'Adelaide, SA, Australia') ORDER BY dimension, key"
        ).fetchall()
    # `Lifetime Likes by Country - XX` columns: 25 countries, 807 likes in all, which is the
    # page's `Lifetime Total Likes` of the next day; the cities are a top list (not all).
    assert audience == [
        ("city", date(2020, 8, 2), "count", "followers", 45, 709.0, 517.0),
        ("country", date(2020, 8, 2), "count", "followers", 25, 807.0, 752.0),
    ]
    # Adelaide has no value that day: not in the top list, so no record (not 0).
    assert top == [
        ("city", "Bangkok, Thailand", 517.0),
        ("country", "TH", 752.0),
        ("country", "US", 17.0),
    ]


def test_real_exports_imported_again_are_unchanged(store, registry_dir, real_exports):
    paths = [real_exports / REAL / REAL_PAGE, real_exports / REAL / REAL_POSTS]
    first = importer(store, registry_dir).import_paths(paths)
    assert [r.status for r in first] == ["imported", "imported"]
    before = counts(store)
    again = importer(store, registry_dir).import_paths(paths)
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert [r.account_id for r in again] == ["th-facebook", "th-facebook"]
    assert counts(store) == before


# -- our fixtures: the quirks, one by one ----------------------------------------------------


def test_fixture_post_level_quirks(store, registry_dir):
    [result] = importer(store, registry_dir).import_paths([POSTS])
    assert (result.status, result.account_id, result.rows) == ("imported", "th-facebook", 3)
    assert result.as_of == date(2020, 9, 1)

    national_day = post_row(store, "108155540902749_170000000000001")
    # Stories: answer "", like "12", share "3", comment "" → comments 0. Talking About This
    # (11, 3, 2) is people, not actions: not read.
    assert (national_day["reactions"], national_day["comments"], national_day["shares"]) == (
        12,
        0,
        3,
    )
    # "1938.0" and "2,210"; " Lifetime Engaged Users" has a leading space in the header.
    assert (national_day["reach"], national_day["impressions"]) == (1938, 2210)
    assert (national_day["engagements"], national_day["clicks"]) == (75, 40)
    assert national_day["video_views"] is None  # empty cell
    assert national_day["text"] == (
        "Chúc mừng Quốc khánh 2/9 🇻🇳\nĐại sứ quán &amp; cộng đồng người Việt tại Thái Lan\n\n#VietNam"
    )
    assert national_day["published_local"] == datetime(2020, 9, 1, 20, 5)

    # The whole Stories group empty: actions unknown; reach "-": unknown; video views read.
    video = post_row(store, "108155540902749_170000000000002")
    assert (video["reactions"], video["comments"], video["shares"]) == (None, None, None)
    assert (video["reach"], video["impressions"], video["video_views"]) == (None, 640, 503)
    assert video["post_type"] == "Video"

    # Only the `answer` sub-column filled: like, share and comment are 0.
    status = post_row(store, "108155540902749_170000000000003")
    assert (status["reactions"], status["comments"], status["shares"]) == (0, 0, 0)
    assert status["text"] is None
    assert status["published_local"] == datetime(2020, 8, 30, 23, 59, 59)


def test_fixture_page_level_quirks(store, registry_dir):
    [result] = importer(store, registry_dir).import_paths([PAGE])
    # 3 days x 6 metrics, and the 2 countries of the last day's likes by country
    assert (result.status, result.account_id, result.rows) == ("imported", "th-facebook", 20)
    # " Daily Total Reach " (spaces in the header) with "1938.0".
    assert daily(store, "th-facebook", date(2020, 8, 30)) == {
        "followers": 1936,
        "new_follows": 3,
        "unfollows": None,
        "reach": 1938,
        "impressions": 2210,
        "engagements": 41,
    }
    # "-" is unknown, like an empty cell.
    assert daily(store, "th-facebook", date(2020, 8, 31))["engagements"] is None
    assert daily(store, "th-facebook", date(2020, 9, 1)) == {
        "followers": 1937,
        "new_follows": None,
        "unfollows": 1,
        "reach": None,
        "impressions": None,
        "engagements": 12,
    }
    with store.read() as cur:
        totals = cur.execute(
            "SELECT date, followers, basis FROM follower_totals ORDER BY date"
        ).fetchall()
    assert totals == [
        (date(2020, 8, 30), 1936, "reported"),
        (date(2020, 8, 31), 1938, "reported"),
        (date(2020, 9, 1), 1937, "reported"),
    ]
    with store.read() as cur:
        audience = cur.execute(
            "SELECT as_of, dimension, key, value, kind FROM audience ORDER BY key"
        ).fetchall()
    assert audience == [
        (date(2020, 9, 1), "country", "TH", 1501, "followers"),
        (date(2020, 9, 1), "country", "VN", 400, "followers"),
    ]


# -- XLSX copies ---------------------------------------------------------------------------


def _typed(cell: str) -> object:
    """A CSV cell as Excel would type it: numbers as numbers, empty as None, dates as dates."""
    if cell == "":
        return None
    if re.fullmatch(r"\d+", cell):  # not int(): it would read "1081_1700" as 10811700
        return int(cell)
    if re.fullmatch(r"\d+\.\d+", cell):
        return float(cell)
    for fmt in ("%Y-%m-%d", "%m/%d/%Y %I:%M:%S %p"):
        try:
            return datetime.strptime(cell, fmt)
        except ValueError:
            pass
    return cell


def _xlsx(csv_path: Path, sheet: str, tmp_path: Path, *, before: str | None = None) -> Path:
    import csv

    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    book = openpyxl.Workbook()
    first = book.active
    if before:  # a sheet of another layout first: the format must find its sheet by header
        first.title = before
        first.append(["Post ID", "Lifetime Post Total Reach"])  # no `Posted`: not the table
        first.append(["108155540902749_170000000000001", 1])
        target = book.create_sheet(sheet)
    else:
        first.title = sheet
        target = first
    target.append(rows[0])
    target.append([None if c == "" else c for c in rows[1]])  # description row
    for row in rows[2:]:
        target.append([_typed(c) for c in row])
    out = tmp_path / csv_path.with_suffix(".xlsx").name
    book.save(out)
    return out


def test_xlsx_page_level_on_key_metrics_sheet(store, registry_dir, tmp_path):
    path = _xlsx(PAGE, "Key Metrics", tmp_path)
    [result] = importer(store, registry_dir).import_paths([path])
    assert (result.status, result.format, result.account_id) == (
        "imported",
        "facebook_legacy_page",
        "th-facebook",
    )
    assert (result.rows, result.as_of) == (18 + 2, date(2020, 9, 1))  # with 2 countries
    assert daily(store, "th-facebook", date(2020, 8, 30)) == {
        "followers": 1936,
        "new_follows": 3,
        "unfollows": None,
        "reach": 1938,
        "impressions": 2210,
        "engagements": 41,
    }


def test_xlsx_post_level_on_a_sheet_named_after_a_metric(store, registry_dir, tmp_path):
    # 31 characters: the sheet name Excel keeps of "Lifetime Post Stories by action type".
    path = _xlsx(POSTS, "Lifetime Post Stories by action", tmp_path, before="Key Metrics")
    [result] = importer(store, registry_dir).import_paths([path])
    assert (result.status, result.format, result.account_id, result.rows) == (
        "imported",
        "facebook_legacy_posts",
        "th-facebook",
        3,
    )
    national_day = post_row(store, "108155540902749_170000000000001")
    assert (national_day["reactions"], national_day["comments"], national_day["shares"]) == (
        12,
        0,
        3,
    )
    assert (national_day["reach"], national_day["impressions"]) == (1938, 2210)
    assert national_day["published_local"] == datetime(2020, 9, 1, 20, 5)
    video = post_row(store, "108155540902749_170000000000002")
    assert (video["reactions"], video["reach"], video["video_views"]) == (None, None, 503)


# -- order independence ----------------------------------------------------------------------


def test_newer_snapshot_wins_whatever_the_import_order(store, registry_dir):
    newer = POSTS.read_bytes()
    # The same page a day earlier: fewer likes and less reach, and a different text.
    older = (
        newer.replace(b',1938.0,1900,"2,210",', b',1500,1490,"1,700",')
        .replace(b",11,3,2,,12,3,\n", b",8,2,1,,9,2,\n")
        .replace("Chúc mừng Quốc khánh".encode(), "Mừng Quốc khánh".encode())
    )
    assert older.count(b",1500,") == 1 and older.count(b",9,2,") == 1  # the edits took
    older_name = POSTS.name.replace("2020-09-01", "2020-08-31")

    first = import_bytes(store, registry_dir, POSTS.name, newer)
    second = import_bytes(store, registry_dir, older_name, older)
    assert (first.status, first.as_of) == ("imported", date(2020, 9, 1))
    assert (second.status, second.as_of) == ("imported", date(2020, 8, 31))

    post = post_row(store, "108155540902749_170000000000001")
    assert post["metrics_as_of"] == date(2020, 9, 1)
    assert (post["reactions"], post["shares"], post["reach"], post["impressions"]) == (
        12,
        3,
        1938,
        2210,
    )
    assert post["text"].startswith("Chúc mừng Quốc khánh")  # the older file does not overwrite
    assert post["as_of"] == date(2020, 9, 1)
    with store.read() as cur:
        snapshots = cur.execute(
            "SELECT as_of, reactions, reach FROM post_metrics "
            "WHERE post_id = '108155540902749_170000000000001' ORDER BY as_of"
        ).fetchall()
    assert snapshots == [(date(2020, 8, 31), 9, 1500), (date(2020, 9, 1), 12, 1938)]


# -- refusals: nothing written, and the message says what to do ----------------------------------


def assert_refused(
    store: Store, registry_dir: Path, name: str, data: bytes, code: str
) -> ImportResult:
    importer(store, registry_dir).import_paths([PAGE])  # something in the store already
    before = counts(store)
    result = import_bytes(store, registry_dir, name, data)
    assert result.status == "refused"
    assert result.refusal is not None and result.refusal.code == code
    assert "⟦" not in result.message("en") and "⟦" not in result.message("vi")
    after = counts(store)
    assert {k: after[k] for k in DATA_TABLES} == {k: before[k] for k in DATA_TABLES}
    assert after["imports"] == before["imports"] + 1  # the refusal is logged, nothing else
    with store.read() as cur:
        [(outcome,)] = cur.execute(
            "SELECT outcome FROM imports WHERE file_name = ?", [name]
        ).fetchall()
    assert outcome == "refused"
    return result


def test_cut_off_post_file_is_refused(store, registry_dir):
    data = POSTS.read_bytes()
    # Cut in the last row, after its `Posted` cell: 7 cells where the header has 21.
    cut = data[: data.index(b"11:59:59 PM") + len(b"11:59:59 PM")]
    result = assert_refused(store, registry_dir, POSTS.name, cut, "ragged_row")
    assert result.refusal.params == {"row": 5, "found": 7, "expected": 21}
    assert "Export it again" in result.message("en")
    assert "Hãy xuất lại" in result.message("vi")


def test_post_file_cut_inside_a_text_is_refused(store, registry_dir):
    data = POSTS.read_bytes()
    cut = data[: data.index("cộng đồng".encode())]  # inside the quoted message
    result = assert_refused(store, registry_dir, POSTS.name, cut, "malformed_csv")
    assert "Export it again" in result.message("en")


def test_cut_off_page_file_is_refused(store, registry_dir, real_exports):
    data = (real_exports / REAL / REAL_PAGE).read_bytes()
    cut = data[: len(data) - 500]  # the last day's row loses its last columns
    result = assert_refused(store, registry_dir, REAL_PAGE, cut, "ragged_row")
    assert result.refusal.params["row"] == 91
    assert result.refusal.params["expected"] == 1995


def test_mangled_post_id_is_refused(store, registry_dir):
    data = POSTS.read_bytes().replace(b"108155540902749_170000000000002", b"1.08156E+14", 1)
    result = assert_refused(store, registry_dir, POSTS.name, data, "mangled_id")
    assert result.refusal.params == {"column": "Post ID", "row": 4, "value": "1.08156E+14"}
    assert "Import the original export" in result.message("en")


def test_post_id_without_page_is_refused(store, registry_dir):
    data = POSTS.read_bytes().replace(b"108155540902749_170000000000002", b"170000000000002", 1)
    result = assert_refused(store, registry_dir, POSTS.name, data, "bad_post_id")
    assert "Export the report again" in result.message("en")
    assert result.message("vi") == t(
        "import.line.refused",
        lang="vi",
        file=POSTS.name,
        reason=t(
            "refused.bad_post_id", lang="vi", column="Post ID", row=4, value="170000000000002"
        ),
    )


def test_missing_required_post_column_is_refused(store, registry_dir):
    data = POSTS.read_bytes().replace(b"Lifetime Post Total Reach", b"Lifetime Post Reach", 1)
    result = assert_refused(store, registry_dir, POSTS.name, data, "missing_columns")
    assert result.refusal.params == {"columns": "Lifetime Post Total Reach"}
    assert "Export the report again with its default columns" in result.message("en")


def test_missing_stories_group_is_refused(store, registry_dir):
    data = POSTS.read_bytes().replace(b"Lifetime Post Stories by action type", b"Stories", 4)
    result = assert_refused(store, registry_dir, POSTS.name, data, "missing_columns")
    assert "Lifetime Post Stories by action type - like" in result.refusal.params["columns"]


def test_missing_required_page_column_is_refused(store, registry_dir):
    data = PAGE.read_bytes().replace(b"Daily Unlikes", b"Daily Unlikes (gone)", 1)
    result = assert_refused(store, registry_dir, "other.csv", data, "missing_columns")
    assert result.refusal.params == {"columns": "Daily Unlikes"}
    assert "Export the report again" in result.message("en")


def test_posts_of_a_page_the_registry_does_not_know_are_left_out_and_reported(store, registry_dir):
    data = POSTS.read_bytes().replace(
        b"108155540902749_170000000000003", b"999999999999999_170000000000003", 1
    )
    result = import_bytes(store, registry_dir, POSTS.name, data)
    assert (result.status, result.account_id, result.rows) == ("imported", "th-facebook", 2)
    [left] = result.left_out
    assert (left.external_id, left.rows) == ("999999999999999", 1)
    assert "1 row(s) of 1 page(s) or account(s) not in the registry were left out" in (
        result.message("en")
    )
    with store.read() as cur:
        posts = cur.execute("SELECT account_id, count(*) FROM posts GROUP BY ALL").fetchall()
        unknown = cur.execute(
            "SELECT platform, external_id, row_count FROM unknown_accounts"
        ).fetchall()
    assert posts == [("th-facebook", 2)]
    assert unknown == [("facebook", "999999999999999", 1)]


def test_detection_is_by_header_not_by_name(store, registry_dir, tmp_path):
    # The page-level layout under the post-level file's name is still read as page level.
    renamed = tmp_path / "Facebook Insights Data Export (Post Level) - Saku - 2020-09-01.csv"
    renamed.write_bytes(PAGE.read_bytes())
    [result] = importer(store, registry_dir).import_paths([renamed])
    assert (result.status, result.format, result.rows) == ("imported", "facebook_legacy_page", 20)


@pytest.mark.parametrize("path", [PAGE, POSTS])
def test_renamed_file_still_imports_with_the_account_given(store, registry_dir, tmp_path, path):
    # Without the page name (and date) in the name: the page id, or --account, decides.
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(path.read_bytes())
    run = Importer(store, registry_dir=registry_dir, origin="test", account="th-facebook")
    [result] = run.import_paths([renamed])
    assert (result.status, result.account_id) == ("imported", "th-facebook")
    # No date in the name: the as-of is the file's modification date (UTC calendar day).
    modified = datetime.fromtimestamp(renamed.stat().st_mtime, UTC).date()
    assert (result.as_of, result.as_of_basis) == (modified, "modified")
