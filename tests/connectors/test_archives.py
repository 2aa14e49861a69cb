"""Files, folders and zips as lazy `SourceFile`s: names the user recognises, zips read with
limits (a bomb is refused, never expanded), one level of nested zips, and one file in memory
at a time."""

from __future__ import annotations

import io
import zipfile

import pytest

import connectors.archives as archives
from connectors.base import ImportRefused, SourceFile
from connectors.importer import Importer
from connectors.sources import expand, from_paths, read_document
from ui import importing

BASELINE = b"account_id,date,followers\nus-x,2025-01-01,100\n"


def zip_of(members: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bomb() -> bytes:
    """12 MiB of zeros in a 12 KB zip: inflates 1,000 times its size, above the 10 MiB floor."""
    return zip_of({"zeros.csv": b"0" * (12 << 20)})


def refusal_of(source: SourceFile) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        read_document(source)
    return caught.value


# -- names -------------------------------------------------------------------------------


def test_names_are_relative_to_the_folder_given_and_never_local_paths(tmp_path):
    exports = tmp_path / "exports"
    (exports / "sub").mkdir(parents=True)
    (exports / "a.csv").write_bytes(BASELINE)
    (exports / "sub" / "b.csv").write_bytes(BASELINE)
    (exports / "sub" / "report.zip").write_bytes(zip_of({"Table data.csv": BASELINE}))
    (exports / "notes.md").write_text("passed over")
    sources = from_paths([exports, exports / "a.csv", tmp_path / "gone.csv"])
    assert [(s.name, s.container, s.missing) for s in sources] == [
        ("a.csv", None, False),
        ("sub/b.csv", None, False),
        ("sub/report.zip/Table data.csv", "report.zip", False),
        ("a.csv", None, False),  # a file argument: its base name
        ("gone.csv", None, True),
    ]
    assert all(str(tmp_path) not in s.name for s in sources)


def test_the_cli_log_shows_names_not_paths(store, registry_dir, tmp_path):
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "baseline.csv").write_bytes(BASELINE)
    [result] = Importer(store, registry_dir=registry_dir).import_paths([tmp_path / "exports"])
    assert result.file == "baseline.csv" and result.status == "imported"
    with store.read() as cur:
        assert cur.execute("SELECT file_name FROM imports").fetchall() == [("baseline.csv",)]


# -- laziness ----------------------------------------------------------------------------


def test_files_are_listed_without_being_read(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"first")
    [source] = from_paths([tmp_path])
    (tmp_path / "a.csv").write_bytes(BASELINE)  # changed after listing: what is read is new
    assert source.data == BASELINE


def test_a_loaded_file_is_dropped_after_decoding():
    loads = []

    def loader() -> bytes:
        loads.append(1)
        return BASELINE

    source = SourceFile("a.csv", loader=loader)
    assert source.data == BASELINE and source.data == BASELINE
    assert len(loads) == 1  # loaded once for the hash and the decoding
    read_document(source)
    assert source.data == BASELINE
    assert len(loads) == 2  # read_document let the bytes go


def test_progress_knows_the_total_before_the_first_file(store, registry_dir, tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.csv").write_bytes(BASELINE)
    (tmp_path / "z.zip").write_bytes(zip_of({"x.csv": BASELINE, "y.csv": BASELINE}))
    seen = []
    Importer(store, registry_dir=registry_dir).import_paths(
        [tmp_path], progress=lambda done, total, name: seen.append((done, total, name))
    )
    assert seen[0] == (0, 5, "0.csv")
    assert seen[-1] == (5, 5, "")


# -- zips --------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_the_cli_and_the_good_file_imported(
    store, registry_dir, tmp_path
):
    (tmp_path / "bomb.zip").write_bytes(bomb())
    (tmp_path / "baseline.csv").write_bytes(BASELINE)
    results = Importer(store, registry_dir=registry_dir).import_paths([tmp_path])
    assert [(r.file, r.status) for r in results] == [
        ("baseline.csv", "imported"),
        ("bomb.zip/zeros.csv", "refused"),
    ]
    assert results[1].refusal.code == "zip_bomb"
    assert (
        results[1]
        .message("en")
        .startswith(
            "REFUSED   bomb.zip/zeros.csv: the zip inflates beyond the limit (1024 MiB in all, or far "
            'more than its packed size) at "zeros.csv"'
        )
    )


def test_a_zip_bomb_is_refused_from_an_upload(tmp_path, registry_dir):
    from data.store import Store

    lines = importing.import_uploads(
        Store(tmp_path / "t.duckdb"),
        [("bomb.zip", bomb()), ("baseline.csv", BASELINE)],
        registry_dir=registry_dir,
        lang="vi",
    )
    assert [line.level for line in lines] == ["error", "success"]
    assert lines[0].text.startswith("TỪ CHỐI   bomb.zip/zeros.csv: tệp zip giải nén vượt quá")


def test_inflating_stops_at_the_limit_whatever_the_zip_declares(monkeypatch):
    [source] = expand("a.zip", zip_of({"big.csv": b"1," * (3 << 20)}))
    # the limit drops after listing: only what reading really produces can trip it now
    monkeypatch.setattr(archives, "MAX_TOTAL_BYTES", 2 << 20)
    monkeypatch.setattr(archives, "CHUNK_BYTES", 1 << 16)
    assert refusal_of(source).code == "zip_bomb"


def test_the_total_of_a_zip_is_limited_across_its_members(monkeypatch):
    members = {f"{n}.csv": b"x" * (400 << 10) for n in range(3)}
    monkeypatch.setattr(archives, "MAX_TOTAL_BYTES", 1 << 20)
    [whole] = expand("a.zip", zip_of(members))  # the declared sizes already say too much
    assert (whole.name, refusal_of(whole).code) == ("a.zip", "zip_bomb")


def test_too_many_members_refuse_the_zip_in_one_line(monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBERS", 3)
    [whole] = expand("many.zip", zip_of({f"{n}.csv": BASELINE for n in range(4)}))
    error = refusal_of(whole)
    assert (whole.name, error.code, error.params) == (
        "many.zip",
        "zip_too_many",
        {"count": 4, "limit": 3},
    )


def test_a_directory_declaring_millions_of_entries_is_refused_before_it_is_parsed(monkeypatch):
    data = bytearray(zip_of({"a.csv": BASELINE, "b.csv": BASELINE}))
    eocd = data.rindex(b"PK\x05\x06")
    data[eocd + 8 : eocd + 12] = (3_000_000).to_bytes(4, "little")[:2] * 2  # entries: 0xC6C0
    assert archives.declared_entries(io.BytesIO(bytes(data))) == 0xC6C0
    parsed = []
    monkeypatch.setattr(archives.zipfile.ZipFile, "infolist", lambda self: parsed.append(1))
    [whole] = expand("crafted.zip", bytes(data))
    assert refusal_of(whole).params == {"count": 0xC6C0, "limit": 5_000}
    assert parsed == []


def test_unsafe_member_names_are_refused_by_name():
    sources = list(
        expand(
            "evil.zip", zip_of({"../up.csv": BASELINE, "/abs.csv": BASELINE, "ok.csv": BASELINE})
        )
    )
    assert [s.name for s in sources] == [
        "evil.zip/../up.csv",
        "evil.zip//abs.csv",
        "evil.zip/ok.csv",
    ]
    assert [refusal_of(s).params for s in sources[:2]] == [
        {"member": "../up.csv"},
        {"member": "/abs.csv"},
    ]
    assert refusal_of(sources[0]).code == "zip_unsafe_name"
    assert read_document(sources[2]).rows[1] == ["us-x", "2025-01-01", "100"]


def test_a_zip_in_a_zip_is_read_one_level_deep():
    deepest = zip_of({"deep.csv": BASELINE})
    inner = zip_of({"file.csv": BASELINE, "deeper.zip": deepest})
    sources = list(expand("outer.zip", zip_of({"inner.zip": inner, "top.csv": BASELINE})))
    assert [(s.name, s.container) for s in sources] == [
        ("outer.zip/inner.zip/deeper.zip", None),
        ("outer.zip/inner.zip/file.csv", "inner.zip"),
        ("outer.zip/top.csv", "outer.zip"),
    ]
    error = refusal_of(sources[0])
    assert (error.code, error.params) == ("zip_nested", {"member": "deeper.zip"})
    assert read_document(sources[1]).rows[0] == ["account_id", "date", "followers"]


def test_a_damaged_zip_and_a_damaged_member_are_refused_in_one_line():
    [whole] = expand("broken.zip", b"PK\x03\x04" + b"\x00" * 50)
    assert refusal_of(whole).params == {"detail": "damaged zip archive"}
    good = zip_of({"a.csv": BASELINE * 50}, level=9)
    data = bytearray(good)
    start = data.index(b"a.csv") + len(b"a.csv")
    data[start + 5 : start + 25] = b"\xff" * 20  # inside the deflated data
    [member] = expand("bad.zip", bytes(data))
    error = refusal_of(member)
    assert error.code == "zip_member_unreadable" and error.params["member"] == "a.csv"


def test_a_folder_of_zips_holds_no_zip_open_after_listing(tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.zip").write_bytes(zip_of({"a.csv": BASELINE}))
    sources = from_paths([tmp_path])
    assert all(s._loader.archive._zip is None for s in sources)
    assert [read_document(s).rows[1][0] for s in sources] == ["us-x"] * 3
    assert all(s._loader.archive._zip is None for s in sources)  # closed after its last member


def test_refused_members_import_as_one_line_each(store, registry_dir):
    sources = list(expand("evil.zip", zip_of({"../up.csv": BASELINE, "ok.csv": BASELINE})))
    results = Importer(store, registry_dir=registry_dir).import_sources(sources)
    assert [(r.file, r.status) for r in results] == [
        ("evil.zip/../up.csv", "refused"),
        ("evil.zip/ok.csv", "imported"),
    ]
    assert results[0].message("en") == (
        'REFUSED   evil.zip/../up.csv: the zip member name "../up.csv" points outside the zip '
        "(.. or an absolute path); such an archive is not opened. Zip the exports again from "
        "their folder."
    )


def test_only_the_file_being_imported_is_in_memory(store, registry_dir, tmp_path):
    for n in range(4):
        (tmp_path / f"{n}.csv").write_bytes(BASELINE.replace(b"100", str(n).encode()))
    (tmp_path / "z.zip").write_bytes(zip_of({"x.csv": BASELINE, "y.csv": BASELINE}))
    sources = from_paths([tmp_path])
    loaded_at_each_start = []

    def progress(done: int, total: int, name: str) -> None:
        loaded_at_each_start.append(sum(s._cache is not None for s in sources))

    results = Importer(store, registry_dir=registry_dir).import_sources(sources, progress)
    assert [r.status for r in results] == ["imported"] * 5 + ["unchanged"]
    assert loaded_at_each_start == [0] * 7  # nothing held from the file before
    assert all(s._cache is None for s in sources)


def test_a_file_that_cannot_be_read_any_more_is_refused(store, registry_dir, tmp_path):
    (tmp_path / "a.csv").write_bytes(BASELINE)
    sources = from_paths([tmp_path])
    (tmp_path / "a.csv").unlink()  # gone between listing and reading
    [result] = Importer(store, registry_dir=registry_dir).import_sources(sources)
    assert (result.status, result.refusal.code) == ("refused", "unreadable")
    assert result.refusal.params == {"detail": "FileNotFoundError"}


def test_the_entry_count_of_a_zip64_directory_is_read(monkeypatch):
    assert archives.declared_entries(io.BytesIO(zip_of({"a.csv": BASELINE}))) == 1
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 1)  # write ZIP64 records for 3 files
    data = zip_of({f"{n}.csv": BASELINE for n in range(3)})
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data
    assert archives.declared_entries(io.BytesIO(data)) == 3
    assert [s.name for s in expand("z.zip", data)] == ["z.zip/0.csv", "z.zip/1.csv", "z.zip/2.csv"]
