"""Exports in an interface language nobody configured: the near-miss refusal `close_format`,
the analyst's header aliases (the registry's `header_aliases.csv`), the mapping form's logic
(connectors/mapping.py) and `python -m connectors formats`.

The Portuguese fixture (tests/fixtures/mapping/) is the English Meta content fixture
tests/fixtures/meta/Jan-27-2025_Feb-23-2025_541651602373282.csv with every header translated,
`Lifetime` written `Vitalício`, and Views `5,431` (an English interface's grouping) written 5431.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from connectors.aliases import Alias, append_registry_aliases, book_for, read_registry_aliases
from connectors.base import SourceFile
from connectors.importer import Importer, ImportResult
from connectors.mapping import (
    MappingError,
    aliases_for,
    close_formats,
    csv_line,
    format_by_id,
    mapping_proposal,
    save_mapping,
)
from connectors.sources import read_document
from data.store import Store
from i18n import t

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
ENGLISH = FIXTURES / "meta" / "Jan-27-2025_Feb-23-2025_541651602373282.csv"
PORTUGUESE = FIXTURES / "mapping" / "Jan-27-2025_Feb-23-2025_541651602373282.csv"
REGISTRY = FIXTURES / "mapping" / "registry"
FB = "meta_content_facebook"
# Portuguese header -> the canonical column it is (the analyst's aliases)
PT = {
    "ID da publicação": "Post ID",
    "ID da Página": "Page ID",
    "Nome da Página": "Page name",
    "Descrição": "Description",
    "Horário de publicação": "Publish time",
    "Link permanente": "Permalink",
    "Tipo de publicação": "Post type",
    "Data": "Date",
    "Visualizações": "Views",
    "Reações": "Reactions",
    "Comentários": "Comments",
    "Compartilhamentos": "Shares",
    "Total de cliques": "Total clicks",
}
METRICS = "reactions, comments, shares, reach, impressions, video_views, engagements, clicks, saves"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A copy of the mapping tests' registry, which a test may append to."""
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY, folder)
    return folder


def english_header_file(renamed: dict[str, str]) -> bytes:
    """The English fixture with some headers replaced (English header -> new header)."""
    data = ENGLISH.read_bytes()
    head, rest = data.split(b"\n", 1)
    for old, new in renamed.items():
        for form in (f'"{old}"'.encode(), f",{old},".encode()):
            if form in head:
                head = head.replace(form, form.replace(old.encode(), new.encode()), 1)
                break
        else:
            raise AssertionError(old)
    return head + b"\n" + rest


def import_data(store: Store, registry: Path, name: str, data: bytes) -> ImportResult:
    [result] = Importer(store, registry_dir=registry, origin="test").import_sources(
        [SourceFile(name=name, data=data)]
    )
    return result


def stored_posts(store: Store) -> list[tuple]:
    with store.read() as cur:
        return cur.execute(
            f"SELECT p.account_id, p.post_id, p.published_local, p.text, p.permalink, p.post_type, "
            f"m.as_of, {METRICS} FROM posts p JOIN post_latest_metrics m "
            "USING (account_id, post_id) ORDER BY p.post_id"
        ).fetchall()


# -- near misses --------------------------------------------------------------------------------


def test_partly_translated_headers_are_refused_as_close_to_the_format(store, registry):
    # Post ID, Page ID and Publish time in Portuguese: 4 of the 6 required columns are still
    # found (Reach, Reactions, Comments, Shares), so the file is close to the Facebook export.
    data = english_header_file(
        {
            "Post ID": "ID da publicação",
            "Page ID": "ID da Página",
            "Publish time": "Horário de publicação",
        }
    )
    result = import_data(store, registry, ENGLISH.name, data)
    assert (result.status, result.refusal.code) == ("refused", "close_format")
    assert result.refusal.params == {
        "format": FB,  # named in the reader's language when shown
        "format_id": FB,
        "missing": "Post ID, Publish time",
        "unplaced": "ID da publicação, ID da Página, Horário de publicação",
        "example": "meta_content_facebook,Post ID,<header in your file>",
    }
    line = result.message("en")
    assert line.startswith(
        f"REFUSED   {ENGLISH.name}: this file looks like “Meta Business Suite content export "
        "(Facebook posts)”, but its column(s) Post ID, Publish time could not be found; "
        "headers DiploPulse does not recognise: ID da publicação, ID da Página, Horário de "
        "publicação."
    )
    assert '"meta_content_facebook,Post ID,<header in your file>"' in line
    assert "header_aliases.csv" in line and "Map its columns" in line
    assert "\n" not in line
    assert "Ghép các cột" in result.message("vi")
    assert "“Meta Business Suite: tệp xuất nội dung (bài đăng Facebook)”" in result.message("vi")
    with store.read() as cur:
        assert cur.execute("SELECT count(*) FROM posts").fetchall() == [(0,)]
        assert cur.execute("SELECT outcome FROM imports").fetchall() == [("refused",)]


def test_the_example_line_is_one_csv_line():
    assert csv_line(FB, "Reactions, Comments and Shares", "<header in your file>") == (
        'meta_content_facebook,"Reactions, Comments and Shares",<header in your file>'
    )


def test_a_recognised_file_missing_metric_columns_is_refused_by_the_format(store, registry):
    # Recognised by Post ID, Publish time and the page columns: the format itself names the
    # columns it lacks (the Data page offers the mapping form for this refusal too).
    data = english_header_file(
        {"Reactions": "Reações", "Comments": "Comentários", "Shares": "Compartilhamentos"}
    )
    result = import_data(store, registry, "content.csv", data)
    assert result.refusal.code == "missing_columns"
    assert result.refusal.params == {"columns": "Reactions, Comments, Shares"}


def test_mostly_translated_headers_stay_unknown(store, registry):
    # 2 of 6 required columns found (Reach, Shares): not close to the Facebook export; and
    # `Date` and `Views` are half of a YouTube chart's, in a row YouTube knows 2 headers of 26.
    data = english_header_file(
        {
            "Post ID": "ID da publicação",
            "Publish time": "Horário de publicação",
            "Reactions": "Reações",
            "Comments": "Comentários",
        }
    )
    result = import_data(store, registry, "content.csv", data)
    assert result.refusal.code == "unknown_format"
    assert result.refusal.params["headers"].startswith("id da publicação, page id, page name")


def test_a_file_that_is_no_export_stays_unknown(store, registry):
    result = import_data(store, registry, "notes.csv", b"hello,world\n1,2\n")
    assert result.refusal.code == "unknown_format"


def test_all_required_columns_without_the_page_columns_is_close_and_names_them(registry):
    # Page ID and Page name gone: every required column is there, but the Facebook export is
    # told by its page columns; the refusal names the optional columns not found.
    data = english_header_file({"Page ID": "ID da Página", "Page name": "Nome da Página"})
    doc = read_document(SourceFile("content.csv", data))
    doc.aliases = book_for(registry)
    [near, *_] = close_formats(doc)
    assert near.format.id == FB
    assert near.missing == ("Page ID", "Page name", "Impressions")


def test_headers_on_the_second_row_of_a_workbook_sheet_are_found(registry):
    # Any of the first 3 rows of every sheet: a title row above the header.
    data = english_header_file({"Post ID": "ID da publicação"})
    doc = read_document(SourceFile("content.csv", data))
    rows = doc.sheets[""]
    doc.sheets = {"Notes": [["nothing here"]], "Posts": [["Exported from Meta"], *rows]}
    doc.aliases = book_for(registry)
    [near, *_] = close_formats(doc)
    assert (near.format.id, near.header.sheet, near.header.row) == (FB, "Posts", 1)
    assert near.missing == ("Post ID",)


# -- the analyst's aliases, end to end --------------------------------------------------------


def test_portuguese_export_imports_once_its_aliases_are_in_the_registry(tmp_path, registry):
    english = Store(tmp_path / "english.duckdb")
    [reference] = Importer(english, registry_dir=registry, origin="test").import_paths([ENGLISH])
    assert (reference.status, reference.rows) == ("imported", 3)

    store = Store(tmp_path / "portuguese.duckdb")
    [refused] = Importer(store, registry_dir=registry, origin="test").import_paths([PORTUGUESE])
    assert refused.status == "refused"
    assert refused.refusal.code == "unknown_format"  # only `Alcance` (Spanish too) is known

    added = append_registry_aliases(registry, [Alias(FB, c, h) for h, c in PT.items()])
    assert len(added) == len(PT)
    text = (registry / "header_aliases.csv").read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["format,column,alias", f"{FB},Post ID,ID da publicação"]

    [result] = Importer(store, registry_dir=registry, origin="test").import_paths([PORTUGUESE])
    assert (result.status, result.format, result.account_id, result.rows) == (
        "imported",
        FB,
        "us-facebook",
        3,
    )
    assert result.as_of == reference.as_of
    posts = stored_posts(store)
    assert posts == stored_posts(english)
    # the numbers, worked out from the fixture: Views 5431 -> impressions, Reach 1938.0
    assert posts[2][1] == "1827720132094663"
    assert posts[2][7:] == (45, 7, 5, 1938, 5431, None, None, 120, None)


# -- the mapping form's logic -------------------------------------------------------------------


def portuguese_doc(registry: Path):
    doc = read_document(SourceFile(PORTUGUESE.name, PORTUGUESE.read_bytes()))
    doc.aliases = book_for(registry)
    return doc


def test_proposal_shows_sample_values_and_preselects_known_aliases(registry):
    proposal = mapping_proposal(portuguese_doc(registry), format_by_id(FB))
    assert proposal.header.row == 0
    assert proposal.headers[:3] == ["ID da publicação", "ID da Página", "Nome da Página"]
    assert proposal.samples["Horário de publicação"] == [
        "02/20/2025 09:30",
        "02/01/2025 22:00",
        "01/27/2025 08:00",
    ]
    assert proposal.samples["ID da Página"] == ["541651602373282"]
    assert proposal.option_label("Horário de publicação") == (
        "Horário de publicação — 02/20/2025 09:30, 02/01/2025 22:00, 01/27/2025 08:00"
    )
    assert proposal.option_label("Descrição").startswith("Descrição — Tết at the Embassy")
    chosen = {c.column: c.header for c in proposal.columns}
    # `Alcance` (Reach) and `Título` (Title) are Spanish built-in aliases; nothing else is known
    assert chosen["Reach"] == "Alcance" and chosen["Title"] == "Título"
    assert chosen["Post ID"] is None
    assert [c.column for c in proposal.columns if c.required] == [
        "Post ID",
        "Publish time",
        "Reach",
        "Reactions",
        "Comments",
        "Shares",
    ]


def test_a_saved_mapping_is_appended_and_the_file_then_imports(store, registry):
    doc = portuguese_doc(registry)
    fmt = format_by_id(FB)
    chosen = {c.column: c.header for c in mapping_proposal(doc, fmt).columns}
    chosen |= {column: header for header, column in PT.items()}
    added = save_mapping(registry, doc, fmt, chosen)
    assert {(a.column, a.alias) for a in added} == {(c, h) for h, c in PT.items()}
    assert len(read_registry_aliases(registry)) == len(PT)
    # saving again adds nothing
    assert save_mapping(registry, portuguese_doc(registry), fmt, chosen) == []
    result = import_data(store, registry, PORTUGUESE.name, PORTUGUESE.read_bytes())
    assert (result.status, result.rows) == ("imported", 3)


def test_mapping_errors(registry):
    doc = portuguese_doc(registry)
    fmt = format_by_id(FB)
    book = doc.aliases
    with pytest.raises(MappingError) as error:
        aliases_for(fmt, {"Post ID": "ID da publicação"}, book)
    assert error.value.code == "required"
    assert error.value.params["columns"] == "Publish time, Reach, Reactions, Comments, Shares"
    required = {
        "Post ID": "ID da publicação",
        "Publish time": "Horário de publicação",
        "Reach": "Alcance",
        "Reactions": "Reações",
        "Comments": "Comentários",
        "Shares": "Reações",
    }
    with pytest.raises(MappingError) as error:
        aliases_for(fmt, required, book)
    assert error.value.code == "twice"
    assert error.value.message("en") == (
        'The header "Reações" is chosen for both Reactions and Shares: choose it for one '
        "column only."
    )
    # `Título` is the built-in (Spanish) alias of Title: it cannot become another column
    with pytest.raises(MappingError) as error:
        aliases_for(fmt, required | {"Shares": "Título"}, book)
    assert (error.value.code, error.value.params["other"]) == ("taken", "Title")
    # every required column mapped, but no page id or name: not recognised, and nothing saved
    fine = required | {"Shares": "Compartilhamentos"}
    with pytest.raises(MappingError) as error:
        save_mapping(registry, doc, fmt, fine)
    assert error.value.code == "not_recognised"
    assert error.value.params["columns"].startswith("Page ID, Page name")
    assert read_registry_aliases(registry) == []
    assert len(save_mapping(registry, doc, fmt, fine | {"Page ID": "ID da Página"})) == 6


# -- python -m connectors formats -----------------------------------------------------------


def _cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "connectors", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DIPLOPULSE_LANG": lang},
    )


def test_formats_lists_columns_and_aliases_as_json(registry):
    append_registry_aliases(registry, [Alias("x_overview", "Impressions", "Impressões")])
    run = _cli("formats", "--json", "--registry", str(registry))
    assert run.returncode == 0, run.stderr
    listing = {item["id"]: item for item in json.loads(run.stdout)}
    assert listing["x_overview"] == {
        "id": "x_overview",
        "platform": "x",
        "label": "X account analytics: daily overview",
        "label_vi": "Phân tích tài khoản X: tổng quan theo ngày",
        "required_columns": [
            "Date",
            "Impressions",
            "Likes",
            "Engagements",
            "Reposts",
            "Replies",
            "New follows",
            "Unfollows",
            "Profile visits",
            "Create Post",
        ],
        "optional_columns": ["Video views"],
        "aliases": {},
        "registry_aliases": {"Impressions": ["Impressões"]},
    }
    facebook = listing[FB]
    assert facebook["required_columns"][:2] == ["Post ID", "Publish time"]
    assert sorted(facebook["aliases"]) == ["en", "es", "sv", "vi"]
    assert facebook["aliases"]["vi"]["Post ID"] == ["ID bài viết"]
    # a format without columns (a JSON file) is listed too, with empty lists
    assert all(isinstance(item["required_columns"], list) for item in listing.values())


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_formats_human_output(lang, registry):
    append_registry_aliases(registry, [Alias(FB, "Post ID", "ID da publicação")])
    run = _cli("formats", "--registry", str(registry), lang=lang)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    label = {
        "en": "Meta Business Suite content export (Facebook posts)",
        "vi": "Meta Business Suite: tệp xuất nội dung (bài đăng Facebook)",
    }[lang]
    start = lines.index(f"meta_content_facebook  (facebook)  {label}")
    required = t("mapping.cli.required", lang=lang)
    assert lines[start + 1] == (
        f"  {required}: Post ID, Publish time, Reach, Reactions, Comments, Shares"
    )
    assert f"  {t('mapping.cli.aliases', lang=lang, language='vi')}:" in lines
    assert "    Post ID = ID bài viết" in lines
    title = t("mapping.cli.registry_aliases", lang=lang, file=registry / "header_aliases.csv")
    assert f"  {title}:" in lines
    assert "    Post ID = ID da publicação" in lines
    assert lines[-1] == t("mapping.cli.hint", lang=lang, file=registry / "header_aliases.csv")


def test_the_import_command_reads_the_aliases_of_the_registry_given(tmp_path, registry):
    db = tmp_path / "cli.duckdb"
    run = _cli("import", str(PORTUGUESE), "--db", str(db), "--registry", str(registry))
    assert run.returncode == 1
    assert "this is not an export DiploPulse knows" in run.stdout
    append_registry_aliases(registry, [Alias(FB, c, h) for h, c in PT.items()])
    run = _cli("import", str(PORTUGUESE), "--db", str(db), "--registry", str(registry))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith(f"imported  {PORTUGUESE.name}: Meta Business Suite content export")
    assert "account us-facebook, 3 row(s), as of Feb 23, 2025 (from the file name)" in run.stdout


def test_a_real_portuguese_youtube_table_has_its_columns_preselected_and_imports(
    real_exports, store, tmp_path
):
    # YouTube Studio's Table data in Brazilian Portuguese (PROVENANCE.md: youtube-studio-pt),
    # 499 videos and the channel's `Total` row; publish dates `Jul 6, 2023`, the latest
    # 2025-06-28 (the name's `30-06` is the export day). Worked out from the file: the
    # videos' `Visualizações` sum to 151,805 and `Impressões` to 1,625,076. Portuguese is a
    # built-in language of this format: the mapping form pre-selects every column it has, and
    # saving that mapping adds nothing.
    path = real_exports / "youtube-studio-pt" / "ufscar-loose" / "Dados da tabela youtube 30-06.csv"
    registry = tmp_path / "registry"
    shutil.copytree(FIXTURES / "registry", registry)

    def run() -> ImportResult:
        importer = Importer(
            store, registry_dir=registry, account="jp-youtube", as_of=date(2025, 6, 30)
        )
        [result] = importer.import_paths([path])
        return result

    doc = read_document(SourceFile(path.name, path.read_bytes()))
    doc.aliases = book_for(registry)
    fmt = format_by_id("youtube_table")
    proposal = mapping_proposal(doc, fmt)
    assert proposal.headers[:3] == ["Conteúdo", "Título do vídeo", "Horário de publicação do vídeo"]
    assert proposal.samples["Conteúdo"] == ["Total", "Zo7Ll82R0oQ", "SYbcvVgQpVE"]
    assert proposal.option_label("Visualizações") == "Visualizações — 155407, 32969, 2201"
    chosen = {c.column: c.header for c in proposal.columns if c.header}
    assert chosen == {
        "Content": "Conteúdo",
        "Video title": "Título do vídeo",
        "Views": "Visualizações",
        "Video publish time": "Horário de publicação do vídeo",
        "Impressions": "Impressões",
    }
    assert save_mapping(registry, doc, fmt, chosen) == []
    assert not (registry / "header_aliases.csv").exists()

    result = run()
    assert (result.status, result.format, result.account_id, result.rows) == (
        "imported",
        "youtube_table",
        "jp-youtube",
        499,
    )
    with store.read() as cur:
        totals = cur.execute(
            "SELECT count(*), sum(video_views), sum(impressions), count(reactions) "
            "FROM post_latest_metrics WHERE account_id = 'jp-youtube'"
        ).fetchall()
        dated = cur.execute(
            "SELECT count(published_date), min(published_date), max(published_date) FROM posts"
        ).fetchall()
        first = cur.execute(
            "SELECT p.text, p.published_date, m.video_views, m.impressions FROM posts p "
            "JOIN post_latest_metrics m USING (account_id, post_id) WHERE post_id = 'Zo7Ll82R0oQ'"
        ).fetchall()
    assert totals == [(499, 151805.0, 1625076.0, 0)]  # likes are not in this column set
    assert dated == [(482, date(2020, 5, 12), date(2025, 6, 28))]
    assert first == [
        ("Quero saber: O que fazer se um carrapato me picar?", date(2023, 7, 6), 32969.0, 480137.0)
    ]
