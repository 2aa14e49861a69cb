"""The Data page's mapping form, its export end date (as of) and attaching a page the registry
does not know, run headless with AppTest on the sample data; and the form's logic
(ui/mapping.py) without Streamlit."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.base import ImportRefused, SourceFile, display_text
from connectors.importer import ImportResult
from connectors.mapping import mappable_formats
from data.registry import DEFAULT_REGISTRY
from data.store import Store
from i18n import t
from ui import mapping

ROOT = Path(__file__).resolve().parents[2]
PORTUGUESE = ROOT / "tests" / "fixtures" / "mapping" / "Jan-27-2025_Feb-23-2025_541651602373282.csv"
ENGLISH = ROOT / "tests" / "fixtures" / "meta" / "Jan-27-2025_Feb-23-2025_541651602373282.csv"
PAGE, UNKNOWN = "541651602373282", "108155540902749"
ACCOUNT = "emb-us-washington-facebook-ambassador"
FB = "meta_content_facebook"
SHOWN = display_text(PORTUGUESE.name, markdown=True)  # as the page shows it (markdown)


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard's registry copied, with the page of the fixtures as the Washington
    ambassador's account, in use through DIPLOPULSE_REGISTRY."""
    folder = tmp_path / "registry"
    shutil.copytree(DEFAULT_REGISTRY, folder)
    with (folder / "accounts.csv").open("a", encoding="utf-8") as out:
        out.write(
            f"{ACCOUNT},emb-us-washington,facebook,ambassador,,{PAGE},Vietnam Embassy in USA\n"
        )
    monkeypatch.setenv("DIPLOPULSE_REGISTRY", str(folder))
    return folder


def upload(at: AppTest, name: str, data: bytes, lang: str = "en") -> None:
    at.file_uploader[0].set_value((name, data, "text/csv"))
    next(b for b in at.button if b.label == t("ui.data.import", lang=lang)).click().run()


def posts_of(db: Path) -> dict[str, int]:
    with Store(db).read() as cur:
        return dict(
            cur.execute(
                "SELECT account_id, count(*) FROM posts WHERE account_id IN (?, ?) GROUP BY ALL",
                [ACCOUNT, "emb-th-bangkok-facebook"],
            ).fetchall()
        )


def test_a_portuguese_export_is_mapped_on_the_page_and_imported(
    run_app: Callable[..., AppTest], sample_db: Path, registry: Path
):
    at = run_app("data")
    upload(at, PORTUGUESE.name, PORTUGUESE.read_bytes())
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith(f"REFUSED   {SHOWN}: this is not an export DiploPulse knows")
    [form] = [e for e in at.expander if e.label.startswith("Map its columns")]
    assert form.label == f"Map its columns: {SHOWN}"
    [item] = at.session_state[mapping.SESSION_KEY]
    key = item.key
    # No header of the Facebook export is known but `Alcance` (Reach); its name is Meta's
    # content export name: the Facebook export is pre-selected.
    assert at.selectbox(key=f"map_format_{key}").value == FB
    # the columns' selects show values of each header
    publish = at.selectbox(key=f"map_{key}_{FB}_Publish time")
    assert publish.value == ""  # not known yet
    assert "Horário de publicação — 02/20/2025 09:30, 02/01/2025 22:00, 01/27/2025 08:00" in (
        publish.options
    )
    assert at.selectbox(key=f"map_{key}_{FB}_Reach").value == "Alcance"  # a known alias
    for column, header in {
        "Post ID": "ID da publicação",
        "Publish time": "Horário de publicação",
        "Reactions": "Reações",
        "Comments": "Comentários",
        "Shares": "Compartilhamentos",
        "Page ID": "ID da Página",
        "Views": "Visualizações",
        "Total clicks": "Total de cliques",
    }.items():
        at.selectbox(key=f"map_{key}_{FB}_{column}").set_value(header)
    next(b for b in at.button if b.label == t("mapping.ui.save", lang="en")).click().run()
    assert not at.exception
    infos = [i.value for i in at.info]
    aliases_file = display_text(registry / "header_aliases.csv", 300, markdown=True)
    assert t("mapping.ui.saved", lang="en", n=8, file=aliases_file) in infos
    [line] = [s.value for s in at.success]
    assert line.startswith(f"imported  {SHOWN}: Meta Business Suite content export")
    assert f"account {ACCOUNT}, 3 row(s), as of Feb 23, 2025" in line
    assert posts_of(sample_db) == {ACCOUNT: 3}
    # the file is done with: its form is gone; the aliases are the registry's now
    assert not [e for e in at.expander if e.label.startswith("Map its columns")]
    aliases = (registry / "header_aliases.csv").read_text(encoding="utf-8").splitlines()
    assert aliases[0] == "format,column,alias"
    assert f"{FB},Publish time,Horário de publicação" in aliases
    with Store(sample_db).read() as cur:
        impressions = cur.execute(
            "SELECT impressions, clicks FROM post_latest_metrics WHERE post_id = '1827720132094663'"
        ).fetchall()
    assert impressions == [(5431.0, 120.0)]


def test_a_mapping_that_cannot_be_saved_says_why_and_keeps_the_form(
    run_app: Callable[..., AppTest], registry: Path
):
    at = run_app("data", lang="vi")
    upload(at, PORTUGUESE.name, PORTUGUESE.read_bytes(), lang="vi")
    [item] = at.session_state[mapping.SESSION_KEY]
    next(b for b in at.button if b.label == t("mapping.ui.save", lang="vi")).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        t(
            "mapping.error.required",
            lang="vi",
            columns="Post ID, Publish time, Reactions, Comments, Shares",
        )
    ]
    assert [e.label for e in at.expander if e.label.startswith("Ghép các cột")] == [
        f"Ghép các cột: {SHOWN}"
    ]
    assert not (registry / "header_aliases.csv").exists()
    at.button(key=f"map_discard_{item.key}").click().run()
    assert not at.session_state[mapping.SESSION_KEY]


def test_the_export_end_date_is_passed_to_the_import(
    run_app: Callable[..., AppTest], sample_db: Path, registry: Path
):
    at = run_app("data")
    [as_of] = [d for d in at.date_input if d.label == t("mapping.ui.as_of", lang="en")]
    assert as_of.value is None
    as_of.set_value(date(2025, 2, 28))
    upload(at, "content.csv", ENGLISH.read_bytes())
    [line] = [s.value for s in at.success]
    assert "3 row(s), as of Feb 28, 2025 (given with --as-of)" in line
    with Store(sample_db).read() as cur:
        assert cur.execute(
            "SELECT DISTINCT as_of FROM post_metrics WHERE account_id = ?", [ACCOUNT]
        ).fetchall() == [(date(2025, 2, 28),)]


def test_a_page_the_registry_does_not_know_is_attached_on_the_page(
    run_app: Callable[..., AppTest], sample_db: Path, registry: Path
):
    two_pages = ENGLISH.read_bytes().replace(
        f"1820000000000001,{PAGE}".encode(), f"1820000000000001,{UNKNOWN}".encode()
    )
    at = run_app("data", lang="vi")
    upload(at, "content.csv", two_pages, lang="vi")
    assert not at.exception
    assert posts_of(sample_db) == {ACCOUNT: 2}
    [listed] = [f.value for f in at.dataframe if "Số dòng bị bỏ qua" in f.value.columns]
    assert list(listed["Mã trên nền tảng"]) == [UNKNOWN]
    assert list(listed["Số dòng bị bỏ qua"]) == [1]  # a number: the table sorts by it
    attach = f"facebook_{UNKNOWN}"
    # one picker of the pages, the only one chosen, and its form (not an expander per page)
    assert at.selectbox(key="attach_page").value == attach
    assert at.selectbox(key="attach_page").options == [
        f"Facebook {UNKNOWN} (Vietnam Embassy in USA)"
    ]
    at.selectbox(key=f"attach_mission_{attach}").set_value("emb-th-bangkok").run()
    proposal = at.text_input(key=f"attach_id_{attach}_emb-th-bangkok_mission")
    assert proposal.value == "emb-th-bangkok-facebook"
    at.button(key=f"attach_{attach}").click().run()
    assert not at.exception
    success = [s.value for s in at.success]
    assert success[0] == t(
        "unknown.added",
        lang="vi",
        account="emb-th-bangkok-facebook",
        id=UNKNOWN,
        mission="Đại sứ quán Việt Nam tại Thái Lan",  # by name, not id
    )
    assert len(success) == 2
    assert "content.csv" in success[1] and "emb-th-bangkok-facebook, 1 " in success[1]
    # exactly the new page's row; the page is no longer listed
    assert posts_of(sample_db) == {ACCOUNT: 2, "emb-th-bangkok-facebook": 1}
    assert not [f for f in at.dataframe if "Số dòng bị bỏ qua" in f.value.columns]
    assert "emb-th-bangkok-facebook,emb-th-bangkok,facebook,mission,," in (
        registry / "accounts.csv"
    ).read_text(encoding="utf-8")


# -- ui/mapping.py ------------------------------------------------------------------------------


def refused(name: str, code: str, size: int = 10, **params: object) -> tuple:
    source = SourceFile(name, name.encode() * size)
    return source, ImportResult(name, "refused", refusal=ImportRefused(code, **params))


def test_only_unrecognised_files_are_kept_and_the_kept_files_are_bounded(monkeypatch):
    items = mapping.unmapped(
        [
            refused("a.csv", "unknown_format"),
            refused("b.csv", "close_format", format_id=FB),
            refused("c.csv", "ragged_row"),
        ]
    )
    assert [(i.source.name, i.code, i.format_id) for i in items] == [
        ("a.csv", "unknown_format", None),
        ("b.csv", "close_format", FB),
    ]
    monkeypatch.setattr(mapping, "MAX_BYTES", 100)
    big = mapping.unmapped([refused("big.csv", "unknown_format", size=50)])
    kept, too_big = mapping.keep(items, big)
    assert (kept, too_big) == (items, ["big.csv"])
    many = mapping.unmapped([refused(f"{n}.csv", "unknown_format") for n in range(7)])
    kept, _ = mapping.keep(items, many)
    assert [i.source.name for i in kept] == ["0.csv", "1.csv", "2.csv", "3.csv", "4.csv"]
    # the same file again replaces its older copy
    kept, _ = mapping.keep(items, items[:1])
    assert [i.source.name for i in kept] == ["a.csv", "b.csv"]
    assert mapping.forget(kept, items[0].key) == items[1:]


def test_candidate_formats_put_the_closest_first(registry):
    item = mapping.Unmapped(SourceFile(PORTUGUESE.name, PORTUGUESE.read_bytes()), "x", None)
    doc = mapping.document(item, registry)
    candidates = [f.id for f in mapping.candidate_formats(item, doc)]
    # Meta's content export name: a Meta content format first, the closest of them
    assert candidates[:2] == [FB, "youtube_chart"]
    # renamed, most required columns found come first: Date and Views of a YouTube chart
    renamed = mapping.Unmapped(SourceFile("export.csv", PORTUGUESE.read_bytes()), "x", None)
    assert mapping.candidate_formats(renamed, doc)[0].id == "youtube_chart"
    # every format that declares its required columns, once
    assert len(candidates) == len(set(candidates)) == len(mappable_formats())
    # the format a refusal names comes first
    named = mapping.Unmapped(item.source, "close_format", "meta_content_instagram")
    assert mapping.candidate_formats(named, doc)[0].id == "meta_content_instagram"
    # Post ID and Publish time in Portuguese: 4 of the Facebook export's 6 are found
    partly = ENGLISH.read_bytes().replace(b'"Post ID"', "ID da publicação".encode(), 1)
    partly = partly.replace(b'"Publish time"', "Horário de publicação".encode(), 1)
    close = mapping.Unmapped(SourceFile("content.csv", partly), "close_format", None)
    assert mapping.candidate_formats(close, mapping.document(close, registry))[0].id == FB
    proposal = mapping.form_for(item, registry)
    assert mapping.header_label(proposal, "") == t("mapping.ui.no_header")
    assert mapping.header_label(proposal, "ID da Página") == "ID da Página — 541651602373282"


def test_a_registry_the_dashboard_cannot_write_is_one_line(registry, monkeypatch, tmp_path):
    import connectors.mapping

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(connectors.mapping, "append_registry_aliases", refuse)
    item = mapping.Unmapped(SourceFile(PORTUGUESE.name, PORTUGUESE.read_bytes()), "x", None)
    chosen = {
        "Post ID": "ID da publicação",
        "Publish time": "Horário de publicação",
        "Reach": "Alcance",
        "Reactions": "Reações",
        "Comments": "Comentários",
        "Shares": "Compartilhamentos",
        "Page ID": "ID da Página",
    }
    lines, done = mapping.save_and_import(
        Store(tmp_path / "x.duckdb"), item, registry, FB, chosen, lang="en"
    )
    assert not done
    assert [line.level for line in lines] == ["error"]
    assert "could not be written (Permission denied); nothing was saved" in lines[0].text
