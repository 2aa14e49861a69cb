"""Damaged bytes never break an import (issue #5).

Every fixture (and a few real exports) is damaged a few hundred times with seeded random
mutations (bytes flipped, inserted, deleted, digits changed, the file cut, a piece of another
file spliced in) and imported together with one good file. Whatever the damage, no exception
escapes, the damaged file is imported or refused with a translated message, and the good file
is imported every time. The seed is fixed: a failure here is reproducible.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from connectors.base import SourceFile
from connectors.importer import Importer
from connectors.sources import expand
from data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MUTATIONS = 300
REAL = [
    "meta-bs-timeseries-excel-resaved/vintagerest-fb/Follows.csv",
    "meta-bs-timeseries-resaved-utf16-tab/mh4u-2024/Reach.csv",
    "meta-bs-content-excel-mangled/vintagerest/INSTAGRAM_RAW.csv",
    "linkedin-page-content-resaved/proefficient/pro-efficient-data-entry_content_1742193384396.xls",
    "linkedin-page-content-resaved/proefficient/pro-efficient-data-entry_content_1742193384396.xlsx",
    "facebook-legacy-xls-spreadsheetml-vi/lokvietnam/"
    "Facebook Insights Data Export (Post Level) - LOK - 2017-07-27.xls",
]


def _youtube_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted((FIXTURES / "youtube" / "channel").iterdir()):
            archive.writestr(file.name, file.read_bytes())
    return buffer.getvalue()


def corpus(real_exports: Path | None) -> list[tuple[str, bytes]]:
    files = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.rglob("*")) if p.is_file()]
    files.append(("Content 2025-01-01_2025-01-31 vnembassyjp.zip", _youtube_zip()))
    if real_exports is not None:
        files += [(Path(name).name, (real_exports / name).read_bytes()) for name in REAL]
    return files


def mutate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """One to three random damages of `data` (`other` gives bytes to splice in)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if not out:
            out.append(rng.randrange(256))
            continue
        at = rng.randrange(len(out))
        kind = rng.choice(["flip", "insert", "delete", "truncate", "splice", "digits"])
        if kind == "flip":
            for _ in range(rng.randint(1, 4)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif kind == "insert":
            special = [0, 10, 13, 34, 44, 59, 9, 0xFF, 0xFE, 0xEF]
            out[at:at] = bytes(
                rng.choice([rng.randrange(256), *special]) for _ in range(rng.randint(1, 8))
            )
        elif kind == "delete":
            del out[at : at + rng.randint(1, 64)]
        elif kind == "truncate":
            del out[at:]
        elif kind == "splice":
            start = rng.randrange(len(other))
            out[at : at + rng.randint(0, 64)] = other[start : start + rng.randint(1, 256)]
        else:  # digits changed: dates like 2026-02-31, numbers out of range
            near = range(max(0, at - 2000), min(len(out), at + 2000))
            digits = [i for i in near if 48 <= out[i] <= 57]
            for i in rng.sample(digits, min(len(digits), rng.randint(1, 6))):
                out[i] = rng.choice(b"0123456789")
    return bytes(out)


def good_file(n: int) -> SourceFile:
    """A valid baseline file, different each time so that it is imported, not unchanged."""
    day = date(2020, 1, 1) + timedelta(days=n)
    return SourceFile(f"good-{n}.csv", f"account_id,date,followers\nus-x,{day},{n}\n".encode())


@pytest.fixture
def real_or_none(request) -> Path | None:
    try:
        return request.getfixturevalue("real_exports")
    except pytest.skip.Exception:
        return None


def test_damaged_files_are_imported_or_refused_and_never_break_the_batch(
    tmp_path, registry_dir, real_or_none
):
    files = corpus(real_or_none)
    rng = random.Random(5)
    store = Store(tmp_path / "fuzz.duckdb")
    outcomes: Counter[str] = Counter()
    for n in range(MUTATIONS):
        name, data = rng.choice(files)
        damaged = mutate(rng, data, rng.choice(files)[1])
        sources = [*expand(name, damaged), good_file(n)]
        importer = Importer(store, registry_dir=registry_dir, origin="test")
        results = importer.import_sources(sources)  # nothing may escape
        assert len(results) == len(sources), (n, name)
        *damaged_results, good = results
        assert (good.file, good.status) == (f"good-{n}.csv", "imported"), (n, name, good)
        for result in damaged_results:
            assert result.status in ("imported", "unchanged", "refused"), (n, name, result)
            if result.status == "refused":
                code = result.refusal.code
                outcomes[code] += 1
                # an unexpected exception is a bug to fix with a proper refusal
                assert code != "internal_error", (n, name, result.refusal.params)
                for lang in ("en", "vi"):
                    message = result.message(lang)
                    assert "⟦" not in message and "\n" not in message, (n, name, message)
            else:
                outcomes[result.status] += 1
    # the mutations reach the decoders, not only the formats' checks
    for code in ("bad_encoding", "malformed_csv", "nul_bytes", "unreadable"):
        assert outcomes[code] > 0, outcomes


# -- what the fuzzer found, pinned ------------------------------------------------------


def test_an_iso_date_that_does_not_exist_is_bad_date_not_a_crash():
    from connectors.base import ImportRefused
    from connectors.parse import parse_date

    with pytest.raises(ImportRefused) as caught:
        parse_date("2026-02-31", ["%Y-%m-%d"], column="date", row=2)
    assert (caught.value.code, caught.value.params) == (
        "bad_date",
        {"column": "date", "row": 2, "value": "2026-02-31"},
    )
    assert parse_date("2026-02-28", ["%Y-%m-%d"]) == date(2026, 2, 28)


def test_a_baseline_with_a_day_that_does_not_exist_is_refused(store, registry_dir):
    data = b"account_id,date,followers\nus-x,2026-02-31,100\n"
    [result] = Importer(store, registry_dir=registry_dir).import_sources(
        [SourceFile("b.csv", data)]
    )
    assert result.refusal is not None and result.refusal.code == "bad_date"


def test_a_panic_in_the_xls_reader_is_a_refusal(real_exports):
    """A few flipped bytes made calamine panic (a BaseException) or abort on a 4 GiB
    allocation; it runs in a child process with a memory cap."""
    from connectors.base import ImportRefused
    from connectors.sources import read_document

    data = (real_exports / REAL[3]).read_bytes()
    with pytest.raises(ImportRefused) as caught:
        read_document(SourceFile("a.xls", data[:46_739]))  # cut off: calamine panics on it
    assert (caught.value.code, caught.value.params) == ("unreadable", {"detail": "PanicException"})
    damaged = bytearray(data)
    damaged[0x30:0x34] = b"\xff\xff\xff\x7f"  # the directory's first sector, far past the end
    with pytest.raises(ImportRefused) as caught:
        read_document(SourceFile("a.xls", bytes(damaged)))
    assert (caught.value.code, caught.value.params) == ("unreadable", {"detail": "CalamineError"})


def test_an_xls_reader_that_dies_is_a_refusal(monkeypatch):
    """What a failed 4 GiB allocation in calamine does: the child process aborts."""
    from connectors import workbooks
    from connectors.base import ImportRefused

    monkeypatch.setattr(workbooks, "_XLS_CHILD", "import os; os.abort()")
    with pytest.raises(ImportRefused) as caught:
        workbooks.read_xls(b"\xd0\xcf\x11\xe0")
    assert caught.value.code == "unreadable"
    assert caught.value.params["detail"].startswith("reader stopped (")
