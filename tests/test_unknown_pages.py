"""Pages the registry does not know: the query that lists them, `append_account`, and attaching
one through the functions the Data page calls (`ui.importing.attach_page`), which imports
exactly its rows from the kept copy of the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from connectors.base import SourceFile
from connectors.importer import Importer
from data import queries
from data.registry import RegistryError, append_account, load_registry, propose_account_id
from data.store import Store
from i18n import t
from ui import importing

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "tests" / "fixtures" / "meta" / "Jan-27-2025_Feb-23-2025_541651602373282.csv"
REGISTRY = ROOT / "tests" / "fixtures" / "mapping" / "registry"
KNOWN, UNKNOWN = "541651602373282", "108155540902749"


def two_pages() -> bytes:
    """The content fixture (3 posts of page 541651602373282) with its last post moved to a
    page the mapping tests' registry does not know."""
    data = CONTENT.read_bytes()
    moved = data.replace(
        b"1820000000000001,541651602373282", b"1820000000000001," + UNKNOWN.encode()
    )
    assert moved != data
    return moved


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY, folder)
    return folder


def posts_per_account(store: Store) -> dict[str, int]:
    with store.read() as cur:
        return dict(cur.execute("SELECT account_id, count(*) FROM posts GROUP BY ALL").fetchall())


def test_a_page_left_out_is_listed_until_it_is_attached(store, registry):
    [result] = Importer(store, registry_dir=registry, origin="test").import_sources(
        [SourceFile("content.csv", two_pages())]
    )
    assert (result.status, result.account_id, result.rows) == ("imported", "us-facebook", 2)
    with store.read() as con:
        listed = queries.unknown_pages(con)
    assert len(listed) == 1
    page = listed.iloc[0]
    assert (page["platform"], page["external_id"], page["display_name"]) == (
        "facebook",
        UNKNOWN,
        "Vietnam Embassy in USA",
    )
    assert (page["files"], page["rows_left_out"]) == (1, 1)
    [pending] = page["pending_files"]
    assert pending.startswith("pending/") and pending.endswith("/content.csv")
    assert (store.path.parent / pending).read_bytes() == two_pages()

    # Another file of the same page: one row, two files.
    other = two_pages().replace(b"Lifetime,0,0,0", b"Lifetime,7,0,0")  # Views 7
    Importer(store, registry_dir=registry, origin="test").import_sources(
        [SourceFile("content again.csv", other)]
    )
    with store.read() as con:
        page = queries.unknown_pages(con).iloc[0]
        files = queries.pending_files(con, "facebook", UNKNOWN)
    assert (page["files"], page["rows_left_out"]) == (2, 2)
    assert [name for name, _ in files] == ["content.csv", "content again.csv"]

    lines = importing.attach_page(
        store,
        platform="facebook",
        external_id=UNKNOWN,
        display_name="Saku",
        mission_id="emb-th-bangkok",
        owner="mission",
        account_id="emb-th-bangkok-facebook",
        registry_dir=registry,
        lang="en",
    )
    assert [line.level for line in lines] == ["success", "success", "success"]
    assert lines[0].text == t(
        "unknown.added",
        lang="en",
        account="emb-th-bangkok-facebook",
        id=UNKNOWN,
        mission="emb-th-bangkok",
    )
    assert lines[1].text.startswith("imported  content.csv: ")
    assert "account emb-th-bangkok-facebook, 1 row(s)" in lines[1].text
    # Exactly the new page's rows: the known page's were imported before (per file, account).
    # Both files hold post 1820000000000001 (same as-of): the file imported later wins.
    assert posts_per_account(store) == {"us-facebook": 2, "emb-th-bangkok-facebook": 1}
    with store.read() as con:
        assert queries.unknown_pages(con).empty
        logged = con.execute(
            "SELECT file_name, account_id, row_count, origin FROM imports "
            "WHERE account_id = 'emb-th-bangkok-facebook' ORDER BY imported_at"
        ).fetchall()
        impressions = con.execute(
            "SELECT impressions FROM post_latest_metrics WHERE post_id = '1820000000000001'"
        ).fetchall()
    assert logged == [
        ("content.csv", "emb-th-bangkok-facebook", 1, "upload"),
        ("content again.csv", "emb-th-bangkok-facebook", 1, "upload"),
    ]
    assert impressions == [(7.0,)]
    accounts = load_registry(registry).accounts
    assert accounts[-1] == {
        "account_id": "emb-th-bangkok-facebook",
        "mission_id": "emb-th-bangkok",
        "platform": "facebook",
        "owner": "mission",
        "handle": "",
        "external_id": UNKNOWN,
        "display_name": "Saku",
    }
    # Importing the file again changes nothing.
    again = importing.import_uploads(store, [("content.csv", two_pages())], registry_dir=registry)
    assert [line.level for line in again] == ["info"]


def test_attaching_without_a_kept_copy_says_so(store, registry):
    Importer(store, registry_dir=registry, origin="test").import_sources(
        [SourceFile("content.csv", two_pages())]
    )
    with store.read() as con:
        [pending] = queries.unknown_pages(con).iloc[0]["pending_files"]
    (store.path.parent / pending).unlink()
    lines = importing.attach_page(
        store,
        platform="facebook",
        external_id=UNKNOWN,
        display_name=None,
        mission_id="emb-th-bangkok",
        owner="mission",
        account_id="th-facebook",
        registry_dir=registry,
        lang="en",
    )
    assert [line.level for line in lines] == ["success", "warning"]
    assert lines[1].text == t("unknown.copy_missing", lang="en", file="content.csv")
    with store.read() as con:
        assert queries.unknown_pages(con).empty  # attached: the registry is in the store
    assert posts_per_account(store) == {"us-facebook": 2}


def row(**values: str) -> dict[str, str]:
    return {
        "account_id": "th-facebook",
        "mission_id": "emb-th-bangkok",
        "platform": "facebook",
        "owner": "mission",
        "handle": "",
        "external_id": UNKNOWN,
        "display_name": "Saku",
    } | values


def test_append_account_writes_one_row(registry):
    before = (registry / "accounts.csv").read_text(encoding="utf-8")
    written = append_account(registry, row(handle="@VNEmbassyTH", display_name="Saku, Bangkok"))
    assert written["handle"] == "VNEmbassyTH"
    after = (registry / "accounts.csv").read_text(encoding="utf-8")
    assert after == before + (
        'th-facebook,emb-th-bangkok,facebook,mission,VNEmbassyTH,108155540902749,"Saku, Bangkok"\n'
    )


def test_append_account_to_a_file_without_a_final_line_break(registry):
    path = registry / "accounts.csv"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")
    append_account(registry, row())
    assert [a["account_id"] for a in load_registry(registry).accounts] == [
        "us-facebook",
        "us-x",
        "th-facebook",
    ]


@pytest.mark.parametrize(
    ("values", "detail"),
    [
        ({"account_id": "us-x"}, "account_id 'us-x' is already in the file"),
        ({"external_id": KNOWN}, f"facebook id {KNOWN} is already account 'us-facebook'"),
        ({"mission_id": "emb-xx-nowhere"}, "mission_id 'emb-xx-nowhere' is not in missions.csv"),
        ({"account_id": "TH Facebook"}, "account_id must be lower-case letters"),
        ({"owner": "consul"}, "owner must be mission or ambassador"),
        ({"external_id": "1.08156E+14"}, "external_id looks rounded by a spreadsheet"),
    ],
)
def test_append_account_refuses_what_load_registry_refuses(registry, values, detail):
    before = (registry / "accounts.csv").read_bytes()
    with pytest.raises(RegistryError) as error:
        append_account(registry, row(**values))
    assert detail in error.value.detail
    assert error.value.file == str(registry / "accounts.csv")
    assert (registry / "accounts.csv").read_bytes() == before


def test_account_id_proposals():
    taken = {"emb-th-bangkok-facebook", "emb-th-bangkok-facebook-2"}
    assert propose_account_id("emb-th-bangkok", "x", "mission", taken) == "emb-th-bangkok-x"
    assert (
        propose_account_id("emb-th-bangkok", "facebook", "mission", taken)
        == "emb-th-bangkok-facebook-3"
    )
    assert (
        propose_account_id("emb-th-bangkok", "facebook", "ambassador", taken)
        == "emb-th-bangkok-facebook-ambassador"
    )


def test_a_registry_the_dashboard_cannot_write_is_one_line(store, registry, monkeypatch):
    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(importing, "append_account", refuse)
    lines = importing.attach_page(
        store,
        platform="facebook",
        external_id=UNKNOWN,
        display_name=None,
        mission_id="emb-th-bangkok",
        owner="mission",
        account_id="th-facebook",
        registry_dir=registry,
        lang="en",
    )
    assert [line.level for line in lines] == ["error"]
    assert "could not be written (Permission denied); nothing was saved" in lines[0].text
