"""Post languages in the store: decided at import in the file's transaction, re-decided when a
post's text or its mission's languages change, and by `python -m metrics detect-languages`.
Real Meta exports are read in place (never copied into the project)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from connectors.importer import Importer
from data.languages import DETECTOR_VERSION, detect_post_languages
from data.store import Store
from metrics import kpis
from metrics.__main__ import main

MISSIONS = """mission_id,name_en,name_vi,kind,country,city,region,timezone,languages
emb-se,Embassy of Viet Nam in Sweden,Đại sứ quán Việt Nam tại Thụy Điển,embassy,SE,Stockholm,europe,Europe/Stockholm,sv
emb-za,Embassy of Viet Nam in South Africa,Đại sứ quán Việt Nam tại Nam Phi,embassy,ZA,Pretoria,middle_east_africa,Africa/Johannesburg,en;zu;xh;af
"""
# Real pages standing in for mission accounts: Sveriges Radio's easy-Swedish and Arabic
# services, Click Studio (Vietnamese) and oigetit (English news from South Africa).
ACCOUNTS = """account_id,mission_id,platform,owner,handle,external_id,display_name
se-facebook,emb-se,facebook,mission,,100063753424746,
se-arabic,emb-se,facebook,ambassador,,100063585008247,
za-facebook,emb-za,facebook,mission,,100085878705330,
za-news,emb-za,facebook,ambassador,,1396269028466733,
"""
SR = "meta-bs-content-fb-sv/sverigesradio/FB Riks Jan-01-2026_Jan-31-2026_1909489173296485.csv"
CLICK = "meta-bs-content-fb-vi/clickstudio/Mar-17-2026_Apr-13-2026_952479047478341.csv"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "missions.csv").write_text(MISSIONS, encoding="utf-8")
    (folder / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    return folder


def rows(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    with store.read() as cur:
        return cur.execute(sql, params or []).fetchall()


def test_import_decides_every_posts_language_in_the_same_write(
    tmp_path: Path, registry: Path, real_exports: Path
):
    store = Store(tmp_path / "s.duckdb")
    results = Importer(store, registry_dir=registry, today=date(2026, 5, 1)).import_paths(
        [real_exports / SR, real_exports / CLICK]
    )
    assert [r.status for r in results] == ["imported", "imported"], [r.message() for r in results]
    # every post stored has its row, with this detector and its mission's candidates
    assert rows(
        store,
        "SELECT count(*) FROM posts p ANTI JOIN post_languages l USING (account_id, post_id)",
    ) == [(0,)]
    assert rows(store, "SELECT DISTINCT detector FROM post_languages") == [(DETECTOR_VERSION,)]
    assert set(rows(store, "SELECT DISTINCT account_id, candidates FROM post_languages")) == {
        ("se-facebook", "en;sv;vi"),
        ("se-arabic", "en;sv;vi"),
        ("za-facebook", "af;en;vi;xh;zu"),
    }
    # "Lillebror och Karlsson på taket i Barnradion!" is not on these pages; the easy-Swedish
    # service is Swedish, the Arabic service undetermined (no candidate writes Arabic), and
    # Click Studio's "CÁC CÔNG ĐOẠN ĐẰNG SAU MỘT BỘ PHIM HOẠT HÌNH CỦA PIXAR" Vietnamese.
    by_account = dict(
        rows(
            store,
            "SELECT account_id, list(DISTINCT coalesce(language, '-') ORDER BY 1) "
            "FROM post_languages WHERE account_id <> 'se-facebook' GROUP BY ALL",
        )
    )
    assert by_account["se-arabic"] == ["-"]
    assert rows(
        store, "SELECT language, source FROM post_languages WHERE post_id = '896136306592318'"
    ) == [("vi", "detected")]
    swedish = rows(
        store,
        "SELECT count(*) FILTER (WHERE language = 'sv'), count(*) FROM post_languages "
        "WHERE account_id = 'se-facebook'",
    )[0]
    assert swedish[1] == 98 and swedish[0] >= 0.9 * 98
    # The KPIs read them: for emb-se, host (sv) share among determined posts; the Arabic
    # service's 214 undetermined posts are left out of it.
    with store.read() as cur:
        values = kpis(cur, "emb-se", date(2026, 1, 1), date(2026, 1, 31))
        determined = cur.execute(
            "SELECT count(language), count(language) FILTER (WHERE language = 'sv') "
            "FROM post_languages WHERE account_id LIKE 'se-%'"
        ).fetchall()[0]
    assert values["host_language_share"] == pytest.approx(determined[1] / determined[0])

    # Nothing changed: nothing to decide again.
    with store.write() as cur:
        assert detect_post_languages(cur).posts == 0
    # A text edited (as a newer export would give it) is decided again; the others are not.
    with store.write() as cur:
        cur.execute(
            "UPDATE posts SET text = 'The Embassy of Viet Nam in Sweden welcomes you all "
            "to the Tet celebration' WHERE post_id = '896136306592318'"
        )
        counts = detect_post_languages(cur)
    assert counts.as_dict() == {"posts": 1, "platform": 0, "detected": 1, "undetermined": 0}
    assert rows(store, "SELECT language FROM post_languages WHERE post_id = '896136306592318'") == [
        ("en",)
    ]
    # A mission's languages changed in the registry: its posts are decided again among the
    # new candidates (Arabic added: most of the Arabic service's posts become Arabic; the
    # others stay undetermined: news digests half made of a Latin photo credit, "Fredrik
    # Sandberg/TT", are too little of either).
    with store.write() as cur:
        cur.execute("UPDATE missions SET languages = 'sv;ar' WHERE mission_id = 'emb-se'")
        counts = detect_post_languages(cur, ["se-arabic"])
    assert counts.posts == 214
    arabic = rows(
        store,
        "SELECT count(*) FILTER (WHERE language = 'ar'), count(*) FILTER (WHERE language IS NULL),"
        " count(*) FROM post_languages WHERE account_id = 'se-arabic'",
    )[0]
    assert arabic[2] == 214 and arabic[0] >= 0.8 * 214 and arabic[0] + arabic[1] == 214


def test_the_platform_language_field_is_used_first(
    tmp_path: Path, registry: Path, real_exports: Path
):
    # Click Studio's export with its (always empty) `Ngôn ngữ` column filled in for one post,
    # as Meta fills it when it knows the language: a copy in the test's temporary folder.
    source = real_exports / CLICK
    with source.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    column = table[0].index("Ngôn ngữ")
    table[1][column] = "English"
    copy = tmp_path / source.name
    with copy.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(table)
    store = Store(tmp_path / "s.duckdb")
    results = Importer(store, registry_dir=registry, today=date(2026, 5, 1)).import_paths([copy])
    assert results[0].status == "imported", results[0].message()
    assert rows(
        store,
        "SELECT p.platform_language, l.language, l.confidence, l.source FROM posts p "
        "JOIN post_languages l USING (account_id, post_id) WHERE post_id = ?",
        [table[1][0]],
    ) == [("en", "en", 1.0, "platform")]


def test_cli_detect_languages_json(tmp_path: Path, registry: Path, real_exports: Path, capsys):
    store = Store(tmp_path / "s.duckdb")
    Importer(store, registry_dir=registry, today=date(2026, 5, 1)).import_paths(
        [real_exports / CLICK]
    )
    store.close()
    # Click Studio: 16 posts of za-facebook (2 rows of another page are left out); all decided
    # at import, so nothing to do now; --all decides the 16 again.
    assert main(["detect-languages", "--db", str(store.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "posts": 0,
        "platform": 0,
        "detected": 0,
        "undetermined": 0,
        "detector": DETECTOR_VERSION,
    }
    assert main(["detect-languages", "--db", str(store.path), "--all", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["posts"] == 16
    assert out["detected"] + out["undetermined"] == 16 and out["platform"] == 0
    # a database that does not exist: one line, exit 2
    assert main(["detect-languages", "--db", str(tmp_path / "none.duckdb")]) == 2
    shutil.rmtree(tmp_path / "registry")


def test_a_version_published_before_the_language_columns_is_published_again(tmp_path: Path):
    """A version built by an older release has post_inputs without `language`: the first
    reader publishes the store again (data/store.py REQUIRED_COLUMNS), so the KPIs can read it."""
    import duckdb

    from data.registry import load_registry, upsert_registry
    from data.store import _read_pointer, version_path

    db = tmp_path / "old.duckdb"
    store = Store(db)
    with store.write() as cur:
        upsert_registry(cur, load_registry(Path(__file__).parent / "fixtures" / "registry"))
    store.close()
    number = _read_pointer(db)[1]
    with duckdb.connect(str(version_path(db, number))) as con:  # as an older release built it
        con.execute("CREATE TABLE old_inputs AS SELECT * EXCLUDE (language, host_language) "
                    "FROM post_inputs")  # fmt: skip
        con.execute("DROP TABLE post_inputs")
        con.execute("ALTER TABLE old_inputs RENAME TO post_inputs")
    reader = Store(db)
    with reader.read() as cur:
        columns = {r[0] for r in cur.execute("DESCRIBE post_inputs").fetchall()}
    assert {"language", "host_language"} <= columns
    assert _read_pointer(db)[1] == number + 1
    reader.close()
