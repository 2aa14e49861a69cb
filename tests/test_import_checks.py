"""What the engine refuses whatever the format: impossible values and dates, a duplicated
column, a file whose name and content name different accounts. One line each, nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from connectors.base import SourceFile
from connectors.importer import Importer
from data.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FB = FIXTURES / "meta" / "Jan-27-2025_Feb-23-2025_541651602373282.csv"
X_POSTS = FIXTURES / "x" / "tweet_activity_metrics_HestysInvest_20240101_20240201_en.csv"


def one(store: Store, registry_dir: Path, name: str, data: bytes, **kwargs) -> object:
    importer = Importer(store, registry_dir=registry_dir, origin="test", **kwargs)
    [result] = importer.import_sources([SourceFile(name=name, data=data)])
    return result


def stored(store: Store) -> int:
    with store.read() as cur:
        return cur.execute(
            "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM post_metrics)"
            " + (SELECT count(*) FROM account_daily)"
        ).fetchall()[0][0]


def refused(store, registry_dir, name, data, code, **kwargs) -> str:
    result = one(store, registry_dir, name, data, **kwargs)
    assert (result.status, result.refusal.code) == ("refused", code), result.message("en")
    assert stored(store) == 0
    line = result.message("en")
    assert "\n" not in line and "⟦" not in line and "⟦" not in result.message("vi")
    return line


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        (b',Lifetime,"5,431",1938.0,', b',Lifetime,"5,431",-1938.0,', "reach of post"),
        (b",Lifetime,12000,8000,", b",Lifetime,1e30,8000,", "impressions of post"),
    ],
)
def test_impossible_counts_are_refused(store, registry_dir, old, new, what):
    data = FB.read_bytes().replace(old, new, 1)
    assert data != FB.read_bytes()
    line = refused(store, registry_dir, FB.name, data, "impossible_value")
    assert what in line and "is not a possible count" in line


def test_a_post_dated_after_the_exports_end_is_refused(store, registry_dir):
    # The name says the export ends 2025-02-23: a post of 2099 cannot be in it.
    data = FB.read_bytes().replace(b"02/20/2025 09:30", b"02/20/2099 09:30", 1)
    line = refused(store, registry_dir, FB.name, data, "impossible_date")
    assert "2099-02-20" in line and "the export ends 2025-02-24" in line


def test_a_post_dated_before_the_platform_existed_is_refused(store, registry_dir):
    data = FB.read_bytes().replace(b"02/20/2025 09:30", b"02/20/1999 09:30", 1)
    line = refused(store, registry_dir, FB.name, data, "impossible_date")
    assert "1999-02-20" in line and "starts 2004-02-04" in line


def test_without_a_date_in_the_name_the_import_day_bounds_the_dates(store, registry_dir):
    data = FB.read_bytes().replace(b"02/20/2025 09:30", b"02/20/2099 09:30", 1)
    line = refused(
        store, registry_dir, "content.csv", data, "impossible_date", today=date(2025, 3, 1)
    )
    assert "2099-02-20" in line
    # The same file with an as-of the user gives: that date bounds them.
    ok = one(store, registry_dir, "content.csv", FB.read_bytes(), as_of=date(2025, 2, 23))
    assert (ok.status, ok.as_of, ok.as_of_basis) == ("imported", date(2025, 2, 23), "override")


def test_a_duplicated_column_with_two_values_is_refused(store, registry_dir):
    header, body = FB.read_bytes().split(b"\n", 1)
    data = (
        header.replace(b",Reach,", b",Reach,Reach,", 1)
        + b"\n"
        + body.replace(b',Lifetime,"5,431",1938.0,', b',Lifetime,"5,431",1938.0,2000,', 1)
    )
    # the other rows get a copy that agrees (or is empty): only the first row disagrees
    data = data.replace(b",Lifetime,12000,8000,", b",Lifetime,12000,8000,8000,", 1)
    data = data.replace(b",Lifetime,0,0,", b",Lifetime,0,0,,", 1)
    line = refused(store, registry_dir, FB.name, data, "duplicate_column")
    assert 'the column "reach" appears twice with different values (row 2)' in line


def test_a_file_whose_name_names_another_account_than_its_links_is_refused(store, registry_dir):
    # The name says KaiaDevIntern (gb-x); the permalinks inside are HestysInvest's (gb-x-ambassador).
    data = X_POSTS.read_bytes()
    name = "tweet_activity_metrics_KaiaDevIntern_20240101_20240201_en.csv"
    line = refused(store, registry_dir, name, data, "name_mismatch")
    assert (
        "the file's name says it belongs to gb-x, but its ids or links belong to gb-x-ambassador"
        in line
    )


def test_a_cell_with_a_line_break_cannot_forge_a_line(store, registry_dir):
    data = FB.read_bytes().replace(
        b',Lifetime,"5,431",', b',Lifetime,"5,431\nimported  fake.csv",', 1
    )
    result = one(store, registry_dir, FB.name, data)
    assert result.status == "refused"
    assert "\n" not in result.message("en")
