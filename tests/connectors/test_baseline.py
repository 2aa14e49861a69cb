"""The DiploPulse follower baseline (`account_id,date,followers`): known totals typed in by an
analyst, for several accounts in one file, and the anchors of the follower series the engine
rebuilds from net daily changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from connectors.importer import Importer
from data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OVERVIEW = FIXTURES / "x" / "hestysinvest_account_overview_analytics.csv"
TABLES = ("posts", "post_metrics", "account_daily", "post_daily", "follower_totals")


def run(store: Store, registry_dir: Path, *paths: Path):
    return Importer(store, registry_dir=registry_dir, origin="test").import_paths(paths)


def rows(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    with store.read() as cur:
        return cur.execute(sql, params or []).fetchall()


def counts(store: Store) -> dict[str, int]:
    return {t: rows(store, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def baseline(tmp_path: Path, *lines: str, name: str = "baseline.csv") -> Path:
    file = tmp_path / name
    file.write_text("\n".join(["account_id,date,followers", *lines]) + "\n", encoding="utf-8")
    return file


def totals(store: Store) -> list[tuple]:
    return rows(
        store,
        "SELECT account_id, date, followers, basis FROM follower_totals ORDER BY account_id, date",
    )


def test_one_file_for_several_accounts(store, registry_dir, tmp_path):
    file = baseline(
        tmp_path, "gb-x,2025-03-04,500", "jp-youtube,2025-01-31,2000", "gb-x,2025-03-11,503"
    )
    [result] = run(store, registry_dir, file)
    assert (result.status, result.format, result.account_id, result.rows) == (
        "imported",
        "diplopulse_baseline",
        "gb-x, jp-youtube",
        3,
    )
    assert totals(store) == [
        ("gb-x", date(2025, 3, 4), 500.0, "reported"),
        ("gb-x", date(2025, 3, 11), 503.0, "reported"),
        ("jp-youtube", date(2025, 1, 31), 2000.0, "reported"),
    ]


def test_the_rebuild_is_the_same_whichever_file_comes_first(registry_dir, tmp_path):
    file = baseline(tmp_path, "gb-x-ambassador,2025-01-06,1000")
    first, second = Store(tmp_path / "a.duckdb"), Store(tmp_path / "b.duckdb")
    run(first, registry_dir, OVERVIEW, file)
    run(second, registry_dir, file, OVERVIEW)
    expected = [
        ("gb-x-ambassador", date(2025, 1, 4), 992.0, "rebuilt"),
        ("gb-x-ambassador", date(2025, 1, 5), 990.0, "rebuilt"),
        ("gb-x-ambassador", date(2025, 1, 6), 1000.0, "reported"),
        ("gb-x-ambassador", date(2025, 1, 7), 999.0, "rebuilt"),
        ("gb-x-ambassador", date(2025, 1, 8), 1003.0, "rebuilt"),
    ]
    assert totals(first) == expected
    assert totals(second) == expected


def test_a_corrected_baseline_replaces_the_value_and_the_rebuild(store, registry_dir, tmp_path):
    run(store, registry_dir, OVERVIEW, baseline(tmp_path, "gb-x-ambassador,2025-01-06,1000"))
    [result] = run(
        store, registry_dir, baseline(tmp_path, "gb-x-ambassador,2025-01-06,1100", name="fixed.csv")
    )
    assert result.status == "imported"
    assert [(d, v) for _, d, v, _ in totals(store)] == [
        (date(2025, 1, 4), 1092.0),
        (date(2025, 1, 5), 1090.0),
        (date(2025, 1, 6), 1100.0),
        (date(2025, 1, 7), 1099.0),
        (date(2025, 1, 8), 1103.0),
    ]


def test_the_same_day_twice_with_the_same_value_is_accepted(store, registry_dir, tmp_path):
    [result] = run(
        store, registry_dir, baseline(tmp_path, "gb-x,2025-03-04,500", "gb-x,2025-03-04,500")
    )
    assert result.status == "imported"
    assert totals(store) == [("gb-x", date(2025, 3, 4), 500.0, "reported")]


def refused(store: Store, registry_dir: Path, path: Path, code: str) -> str:
    run(store, registry_dir, OVERVIEW)  # data already in the store, to show it is untouched
    before = counts(store)
    [result] = run(store, registry_dir, path)
    assert result.status == "refused"
    assert result.refusal is not None and result.refusal.code == code
    assert counts(store) == before
    return result.refusal.message("en")


def test_refuses_a_row_for_an_unknown_account(store, registry_dir, tmp_path):
    file = baseline(tmp_path, "gb-x,2025-03-04,500", "fr-x,2025-03-04,80")
    message = refused(store, registry_dir, file, "baseline_account")
    assert (
        message
        == 'account "fr-x" (row 3) is not in the registry. Add it to accounts.csv or fix the id.'
    )


def test_refuses_a_negative_total(store, registry_dir, tmp_path):
    message = refused(
        store, registry_dir, baseline(tmp_path, "gb-x,2025-03-04,-5"), "negative_total"
    )
    assert message.startswith("row 2: a follower total cannot be negative")


def test_refuses_the_same_day_with_two_values(store, registry_dir, tmp_path):
    file = baseline(tmp_path, "gb-x,2025-03-04,500", "gb-x,2025-03-04,501")
    message = refused(store, registry_dir, file, "duplicate_day")
    assert message.startswith("the date 2025-03-04 (gb-x) appears twice")


def test_refuses_a_date_that_is_not_iso(store, registry_dir, tmp_path):
    message = refused(store, registry_dir, baseline(tmp_path, "gb-x,04/03/2025,500"), "bad_date")
    assert message.startswith('column "date", row 2: "04/03/2025" is not a date')
