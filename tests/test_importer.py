"""The import engine's rules, independent of any one format: follower rebuild, account
resolution, all-or-nothing writes, idempotency and the import log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import connectors.importer as importer
from connectors.base import AccountHints, ExportFormat, ImportRefused, Parsed, SourceFile
from connectors.importer import Importer, follower_totals_from, resolve_account
from data.store import Store

D = date


def counts(store: Store) -> dict[str, int]:
    with store.read() as cur:
        return {
            t: cur.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("posts", "post_metrics", "account_daily", "follower_totals")
        }


# -- follower totals rebuilt from a net series, worked by hand ------------------------------


def test_rebuild_forwards_from_a_known_total():
    # 100 known at the end of Jan 1; +5, -2, +3 on Jan 2..4 → 105, 103, 106
    totals = follower_totals_from(
        {D(2025, 1, 1): 100}, {D(2025, 1, 2): 5, D(2025, 1, 3): -2, D(2025, 1, 4): 3}
    )
    assert totals == {
        D(2025, 1, 1): (100, "reported"),
        D(2025, 1, 2): (105, "rebuilt"),
        D(2025, 1, 3): (103, "rebuilt"),
        D(2025, 1, 4): (106, "rebuilt"),
    }


def test_rebuild_backwards_from_a_later_known_total():
    # 200 known at the end of Jan 4; net Jan 2..4 = 1, 2, 3 → Jan 3 = 200-3 = 197, Jan 2 = 197-2 = 195
    totals = follower_totals_from(
        {D(2025, 1, 4): 200}, {D(2025, 1, 2): 1, D(2025, 1, 3): 2, D(2025, 1, 4): 3}
    )
    assert totals[D(2025, 1, 3)] == (197, "rebuilt")
    assert totals[D(2025, 1, 2)] == (195, "rebuilt")
    assert D(2025, 1, 1) not in totals  # the series does not cover Jan 1


def test_rebuild_takes_the_nearest_known_total_and_the_earlier_on_a_tie():
    # known 100 (Jan 1) and 200 (Jan 5); net +1 a day Jan 2..5
    totals = follower_totals_from(
        {D(2025, 1, 1): 100, D(2025, 1, 5): 200}, {D(2025, 1, d): 1 for d in range(2, 6)}
    )
    assert totals[D(2025, 1, 2)] == (101, "rebuilt")  # 1 day from Jan 1
    assert totals[D(2025, 1, 3)] == (102, "rebuilt")  # tie (2 days each): the earlier, Jan 1
    assert totals[D(2025, 1, 4)] == (199, "rebuilt")  # 1 day from Jan 5: 200 - net(Jan 5)
    assert totals[D(2025, 1, 5)] == (200, "reported")


def test_rebuild_stops_at_a_gap_in_the_series():
    totals = follower_totals_from({D(2025, 1, 1): 100}, {D(2025, 1, 2): 5, D(2025, 1, 4): 7})
    assert totals[D(2025, 1, 2)] == (105, "rebuilt")
    assert D(2025, 1, 4) not in totals  # Jan 3 is missing: Jan 4 cannot be reached


# -- account resolution ----------------------------------------------------------------------

ACCOUNTS = [
    {
        "account_id": "a-fb",
        "platform": "facebook",
        "handle": "VNEmbassyTH",
        "external_id": "111",
        "display_name": "Viet Nam in Thailand",
    },
    {
        "account_id": "b-fb",
        "platform": "facebook",
        "handle": "VNEmbassyJP",
        "external_id": "222",
        "display_name": "Viet Nam in Japan",
    },
    {
        "account_id": "a-x",
        "platform": "x",
        "handle": "VNinTH",
        "external_id": "",
        "display_name": "",
    },
]


class _Fmt(ExportFormat):
    id = "test_format"
    platform = "facebook"
    label = "Test"

    def detect(self, doc):
        return False

    def read(self, doc):
        raise NotImplementedError


NO_HINTS = AccountHints()


def _resolve(hints=NO_HINTS, name="export.csv", explicit=None, container=None):
    return resolve_account(
        Parsed(platform=None, hints=hints),
        _Fmt(),
        SourceFile(name, b"x", container),
        ACCOUNTS,
        explicit,
    )


def test_account_by_external_id_then_handle_then_name():
    assert _resolve(AccountHints(external_ids=frozenset({"222"}))) == "b-fb"
    assert _resolve(AccountHints(handles=frozenset({"vnembassyth"}))) == "a-fb"
    assert _resolve(name="VNEmbassyJP - Facebook follows.csv") == "b-fb"
    assert _resolve(name="Table data.csv", container="VNEmbassyJP.zip") == "b-fb"
    assert _resolve(AccountHints(display_names=frozenset({"Viet  Nam in Thailand"}))) == "a-fb"


def test_explicit_account_is_checked_against_the_file():
    assert _resolve(explicit="a-fb") == "a-fb"
    with pytest.raises(ImportRefused) as refused:
        _resolve(AccountHints(external_ids=frozenset({"222"})), explicit="a-fb")
    assert refused.value.code == "account_mismatch"
    with pytest.raises(ImportRefused) as refused:
        _resolve(explicit="a-x")
    assert refused.value.code == "platform_mismatch"
    with pytest.raises(ImportRefused) as refused:
        _resolve(explicit="nobody")
    assert refused.value.code == "unknown_account"


def test_no_decision_asks_for_the_account_option():
    with pytest.raises(ImportRefused) as refused:
        _resolve(name="Views.csv")
    assert refused.value.code == "no_account"
    assert "--account" in refused.value.message("en")
    with pytest.raises(ImportRefused) as refused:
        _resolve(name="VNEmbassyJP_VNEmbassyTH.csv")
    assert refused.value.code == "ambiguous_account"


# -- all or nothing, idempotent, logged ------------------------------------------------------

BASELINE = "account_id,date,followers\nus-x,2025-01-01,100\nus-x,2025-01-03,110\n"


def test_a_failure_while_writing_leaves_nothing(store, registry_dir, tmp_path, monkeypatch):
    file = tmp_path / "baseline.csv"
    file.write_text(BASELINE)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(
        importer, "rebuild_follower_totals", broken
    )  # after account_daily is written
    [result] = Importer(store, registry_dir=registry_dir).import_paths([file])
    assert result.status == "refused"
    assert result.refusal.code == "write_failed"
    assert "disk full" in result.message("en") and "Import it again" in result.message("en")
    assert counts(store) == {
        "posts": 0,
        "post_metrics": 0,
        "account_daily": 0,
        "follower_totals": 0,
    }
    with store.read() as cur:
        assert (
            cur.execute("SELECT count(*) FROM imports WHERE outcome = 'imported'").fetchall()[0][0]
            == 0
        )


def test_one_file_that_cannot_be_written_does_not_stop_the_others(
    store, registry_dir, tmp_path, monkeypatch
):
    for name, day in (("a.csv", "2025-01-01"), ("b.csv", "2025-01-02"), ("c.csv", "2025-01-03")):
        (tmp_path / name).write_text(f"account_id,date,followers\nus-x,{day},100\n")
    real_write_daily = importer._write_daily

    def fails_for_b(cur, files):
        if any(f.source.filename == "b.csv" for f in files):
            raise OSError("bad sector")
        return real_write_daily(cur, files)

    monkeypatch.setattr(importer, "_write_daily", fails_for_b)
    results = Importer(store, registry_dir=registry_dir).import_paths([tmp_path])
    assert [(Path(r.file).name, r.status) for r in results] == [
        ("a.csv", "imported"),
        ("b.csv", "refused"),
        ("c.csv", "imported"),
    ]
    with store.read() as cur:
        assert cur.execute(
            "SELECT date::VARCHAR FROM follower_totals ORDER BY date"
        ).fetchall() == [
            ("2025-01-01",),
            ("2025-01-03",),
        ]


X_HEADER = '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements","engagement rate","retweets","replies","likes","user profile clicks","url clicks"\n'


def _x_export(folder: Path, end: str, likes: str, text: str) -> Path:
    file = folder / f"tweet_activity_metrics_rOpenSci_20211101_{end}_en.csv"
    file.write_text(
        X_HEADER + f'"1","https://twitter.com/rOpenSci/status/1","{text}","2021-11-02 03:30 +0000",'
        f'"100.0","10.0","0.1","1.0","2.0","{likes}","0.0","0.0"\n'
    )
    return file


@pytest.mark.parametrize("order", ["older_first", "newer_first"])
def test_files_in_one_batch_merge_the_same_in_any_order(store, registry_dir, tmp_path, order):
    older = _x_export(tmp_path, "20211201", "5.0", "first text")
    newer = _x_export(tmp_path, "20211215", "9.0", "edited text")
    files = [older, newer] if order == "older_first" else [newer, older]
    results = Importer(store, registry_dir=registry_dir).import_sources(
        [SourceFile(f.name, f.read_bytes()) for f in files]
    )
    assert [r.status for r in results] == ["imported", "imported"]
    with store.read() as cur:
        # 03:30 UTC on Nov 2 is 23:30 on Nov 1 in New York (the mission's zone)
        assert cur.execute(
            "SELECT text, published_local::VARCHAR, published_date::VARCHAR, as_of::VARCHAR FROM posts"
        ).fetchall() == [("edited text", "2021-11-01 23:30:00", "2021-11-01", "2021-12-15")]
        assert cur.execute(
            "SELECT reactions, as_of::VARCHAR FROM post_latest_metrics"
        ).fetchall() == [(9.0, "2021-12-15")]
        assert cur.execute("SELECT count(*) FROM post_metrics").fetchall() == [(2,)]


def test_same_file_twice_changes_nothing(store, registry_dir, tmp_path):
    file = tmp_path / "baseline.csv"
    file.write_text(BASELINE)
    first = Importer(store, registry_dir=registry_dir).import_paths([file])
    before = counts(store)
    second = Importer(store, registry_dir=registry_dir).import_paths([file])
    assert [r.status for r in first] == ["imported"]
    assert [r.status for r in second] == ["unchanged"]
    assert (
        counts(store)
        == before
        == {"posts": 0, "post_metrics": 0, "account_daily": 2, "follower_totals": 2}
    )


def test_refused_files_are_logged_and_others_still_import(store, registry_dir, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(BASELINE)
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "notes.csv").write_text("hello,world\n1,2\n")
    results = Importer(store, registry_dir=registry_dir).import_paths([tmp_path])
    by_name = {Path(r.file).name: r for r in results}
    assert by_name["good.csv"].status == "imported"
    assert by_name["empty.csv"].refusal.code == "empty"
    assert by_name["notes.csv"].refusal.code == "unknown_format"
    assert "empty.csv" in by_name["empty.csv"].message("en")
    with store.read() as cur:
        log = cur.execute("SELECT file_name, outcome FROM imports ORDER BY file_name").fetchall()
    assert [(Path(n).name, o) for n, o in log] == [
        ("empty.csv", "refused"),
        ("good.csv", "imported"),
        ("notes.csv", "refused"),
    ]


def test_invalid_registry_stops_before_any_file(store, tmp_path):
    bad = tmp_path / "registry"
    bad.mkdir()
    (bad / "missions.csv").write_text("mission_id,name\nx,y\n")
    (bad / "accounts.csv").write_text("account_id\n")
    with pytest.raises(importer.RegistryError) as error:
        Importer(store, registry_dir=bad)
    assert "missions.csv" in str(error.value)


@pytest.mark.parametrize(
    "fixture",
    [
        "x/tweet_activity_metrics_HestysInvest_20240101_20240201_en.csv",
        "meta/Oct-01-2024_Oct-31-2024_541651602373282.csv",
    ],
)
def test_a_header_without_rows_is_refused_as_empty(store, registry_dir, tmp_path, fixture):
    # Both formats used to report such a file "imported, 0 rows".
    original = Path(__file__).parent / "fixtures" / fixture
    header_only = tmp_path / original.name
    header_only.write_bytes(original.read_bytes().split(b"\n", 1)[0] + b"\n")
    [result] = Importer(store, registry_dir=registry_dir).import_paths([header_only])
    assert result.status == "refused"
    assert result.refusal.code == "no_rows"
    assert result.message("en") == (
        f"REFUSED   {header_only.name}: the file has a header but no data rows. If the period had no "
        "posts there is nothing to import; otherwise export the report again from the platform "
        "and import the new file."
    )
    assert counts(store) == {
        "posts": 0,
        "post_metrics": 0,
        "account_daily": 0,
        "follower_totals": 0,
    }
    with store.read() as cur:
        log = cur.execute("SELECT file_name, outcome, message FROM imports").fetchall()
    assert [(Path(name).name, outcome) for name, outcome, _ in log] == [(original.name, "refused")]
    assert log[0][2] == result.refusal.message("en")
