"""Large exports are read as a stream, in chunks of rows, and written part by part (issue #5:
a 200 MB export in bounded memory). What is pinned here: a file read in chunks gives exactly
what the same file read whole gives, and a fault in any chunk refuses the whole file.

The thresholds are made small (`STREAM_BYTES`, `CHUNK_ROWS`) so that a file of a few hundred
rows takes the path of a file of millions; the memory itself is measured in BENCHMARKS.md.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import connectors.base as base
import connectors.importer as importer
import connectors.sources as sources
from connectors.base import ImportRefused, SourceFile
from connectors.importer import Importer
from connectors.parse import NumberStyles, column_numbers
from connectors.sources import decode_text, read_csv, read_document
from data.store import Store

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "tests" / "fixtures" / "mapping" / "registry"
PAGE, OTHER_PAGE = "541651602373282", "999000000000001"
NAME = "Jan-01-2025_Mar-31-2025_541651602373282.csv"
HEADER = (
    '"Post ID","Page ID","Page name",Title,"Publish time",Permalink,"Post type",Date,'
    "Views,Reach,Reactions,Comments,Shares\n"
)
CHUNK = 40  # rows a chunk in these tests


def post_row(i: int, views: str | None = None, title: str | None = None) -> str:
    page = PAGE if i % 3 else OTHER_PAGE
    published = f"{1 + i // 28 % 3:02d}/{1 + i % 28:02d}/2025 10:00"
    title = title or f"Post {i} 🇻🇳 “quoted”, with a comma"
    views = views or str(100 + i)
    return (
        f'{9_000_000 + i},{page},Page {page[-3:]},"{title}",{published},'
        f'https://www.facebook.com/p/{i},Photos,Lifetime,"{views}",{50 + i},{i % 7},{i % 5},{i % 3}\n'
    )


def export(rows: list[str]) -> bytes:
    return b"\xef\xbb\xbf" + (HEADER + "".join(rows)).encode("utf-8")


def normal_rows(count: int = 300) -> list[str]:
    rows = [post_row(i) for i in range(count)]
    # Meta repeats posts; here one is listed again four chunks later with a larger lifetime
    # count (the later reading is kept), and one within a chunk.
    rows.insert(200, post_row(7, views="5,431"))
    rows.insert(12, post_row(10))
    return rows


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY, folder)
    with (folder / "accounts.csv").open("a", encoding="utf-8") as file:
        file.write(f"us-facebook-2,emb-us-washington,facebook,ambassador,,{OTHER_PAGE},\n")
    return folder


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Files above 2 kB are streamed, 40 rows a chunk; returns a list that counts the files
    written in parts."""
    monkeypatch.setattr(sources, "STREAM_BYTES", 2_000)
    monkeypatch.setattr(sources, "CHUNK_ROWS", CHUNK)
    monkeypatch.setattr(base, "CHUNK_ROWS", CHUNK)
    written: list[int] = []
    original = importer._write_parts

    def counting(*args: object, **kwargs: object) -> set[str]:
        written.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "_write_parts", counting)
    return written


def run(tmp_path: Path, registry: Path, name: str, *files: tuple[str, bytes]) -> tuple:
    store = Store(tmp_path / f"{name}.duckdb")
    folder = tmp_path / name
    folder.mkdir()
    for filename, data in files:
        (folder / filename).write_bytes(data)
    results = Importer(store, registry_dir=registry, today=date(2025, 4, 15)).import_paths([folder])
    with store.read() as cur:
        posts = cur.execute(
            "SELECT account_id, post_id, published_local, text, permalink, post_type, as_of "
            "FROM posts ORDER BY ALL"
        ).fetchall()
        metrics = cur.execute(
            "SELECT account_id, post_id, as_of, impressions, reach, reactions, comments, shares "
            "FROM post_metrics ORDER BY account_id, post_id"
        ).fetchall()
    return results, posts, metrics


def test_a_file_read_in_chunks_imports_exactly_as_read_whole(
    tmp_path: Path, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = export(normal_rows())
    whole = run(tmp_path, registry, "whole", (NAME, data))
    written = []
    monkeypatch.setattr(sources, "STREAM_BYTES", 2_000)
    monkeypatch.setattr(sources, "CHUNK_ROWS", CHUNK)
    monkeypatch.setattr(base, "CHUNK_ROWS", CHUNK)
    original = importer._write_parts
    monkeypatch.setattr(importer, "_write_parts", lambda *a: written.append(1) or original(*a))
    chunked = run(tmp_path, registry, "chunked", (NAME, data))

    assert written == [1]  # the file did take the path of a large file
    (result,) = chunked[0]
    assert result.status == "imported" and result.rows == 300
    assert chunked[0][0].message("en") == whole[0][0].message("en")
    assert "2 post(s) were listed twice" in result.message("en")
    assert chunked[1] == whole[1] and len(chunked[1]) == 300
    assert chunked[2] == whole[2]
    by_post = {row[1]: row for row in chunked[2]}
    assert by_post["9000007"][3:5] == (5431.0, 57.0)  # the later, larger views; reach
    accounts = {row[0] for row in chunked[1]}
    assert accounts == {"us-facebook", "us-facebook-2"}


@pytest.mark.parametrize(
    ("damage", "code", "row"),
    [
        (lambda rows: rows.__setitem__(250, post_row(250, views="lots")), "bad_number", 252),
        # The same post again, with another title: the file contradicts itself.
        (lambda rows: rows.append(post_row(5, title="Another title")), "duplicate_post", None),
        (
            lambda rows: rows.__setitem__(280, post_row(280).replace("/2025 ", "/2027 ")),
            "impossible_date",
            None,
        ),
        # Short rows are padded (Meta drops trailing empty cells), but not the last row of
        # a file cut off in the middle of it.
        (lambda rows: rows.__setitem__(299, post_row(299)[:-40]), "ragged_row", 301),
    ],
)
def test_a_fault_in_a_late_chunk_refuses_the_whole_file(
    tmp_path: Path, registry: Path, small_chunks: list[int], damage, code: str, row: int | None
) -> None:
    rows = [post_row(i) for i in range(300)]
    damage(rows)
    good = export([post_row(i) for i in range(1000, 1010)])
    results, posts, _ = run(tmp_path, registry, "damaged", (NAME, export(rows)), ("good.csv", good))
    refused, imported = results[0], results[1]
    assert refused.status == "refused" and refused.refusal.code == code
    if row is not None:
        assert refused.refusal.params["row"] == row  # numbered as in the file
    assert imported.status == "imported" and imported.rows == 10
    assert {p[1] for p in posts} == {str(9_000_000 + i) for i in range(1000, 1010)}


def test_a_bad_byte_late_in_a_streamed_file_gets_the_whole_file_message(
    tmp_path: Path, registry: Path, small_chunks: list[int]
) -> None:
    data = export(normal_rows())
    broken = data[:-300] + b"\xff" + data[-300:]
    results, posts, _ = run(tmp_path, registry, "broken", (NAME, broken))
    assert results[0].refusal.code == "bad_encoding"  # as the whole-file reading says
    assert posts == []


def test_reimporting_a_file_read_in_chunks_is_unchanged(
    tmp_path: Path, registry: Path, small_chunks: list[int]
) -> None:
    store = Store(tmp_path / "again.duckdb")
    path = tmp_path / NAME
    path.write_bytes(export(normal_rows()))
    first = Importer(store, registry_dir=registry, today=date(2025, 4, 15)).import_paths([path])
    again = Importer(store, registry_dir=registry, today=date(2025, 4, 15)).import_paths([path])
    assert first[0].status == "imported" and again[0].status == "unchanged"
    assert small_chunks == [1]


def test_a_streamed_document_holds_one_chunk_and_reads_as_the_whole_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sources, "STREAM_BYTES", 2_000)
    monkeypatch.setattr(sources, "CHUNK_ROWS", CHUNK)
    data = export(normal_rows())
    doc = read_document(SourceFile("big.csv", data))
    assert doc.more_rows is not None and len(doc.rows) == CHUNK + 1
    doc.materialise()
    assert doc.rows == read_csv(decode_text(data)) and doc.ends_with_newline
    cut = read_document(SourceFile("cut.csv", data[:-5]))
    assert cut.more_rows is not None and cut.ends_with_newline is False
    small = read_document(SourceFile("small.csv", data[:1_500]))
    assert small.more_rows is None  # below the threshold: read whole


def test_number_conventions_hold_from_chunk_to_chunk() -> None:
    styles = NumberStyles()
    # A chunk that needs Vietnamese rules decides them for the chunks after it.
    assert column_numbers(["1.234,5", "7"], "reach", "vi", styles=styles) == [1234.5, 7.0]
    assert column_numbers(["2.500"], "reach", "vi", styles=styles) == [2500.0]
    # A plain fraction first, then a decimal comma: the two chunks cannot be read alike.
    styles = NumberStyles()
    assert column_numbers(["1.5"], "ctr", "vi", styles=styles) == [1.5]
    with pytest.raises(ImportRefused) as refused:
        column_numbers(["1,5"], "ctr", "vi", lambda offset: 40 + offset, styles)
    assert refused.value.code == "number_style_changed" and refused.value.params["row"] == 40
    # English rules read plain fractions the same: no conflict.
    styles = NumberStyles()
    assert column_numbers(["1.5"], "views", "en", styles=styles) == [1.5]
    assert column_numbers(["5,431"], "views", "en", styles=styles) == [5431.0]
