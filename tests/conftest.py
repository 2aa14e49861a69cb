"""Shared fixtures: a fresh store per test, the test registry, the bundled sample data and the
real exports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import i18n
from connectors.samples import SAMPLES, ensure_sample_data
from data.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TEST_REGISTRY = FIXTURES / "registry"
REAL_EXPORTS = Path(
    os.environ.get("DIPLOPULSE_REAL_EXPORTS", ROOT.parent / "shared" / "real-exports")
)


@pytest.fixture(autouse=True)
def no_language_left_over() -> Iterator[None]:
    """Each test starts without a language set in its thread (then DIPLOPULSE_LANG, or the
    default, applies): a test that sets one (`i18n.set_language`) leaves it to itself. Left
    set, it decided another file's CLI output when files ran in another order."""
    token = i18n._current.set(None)
    yield
    i18n._current.reset(token)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty store in a temporary file."""
    return Store(tmp_path / "test.duckdb")


@pytest.fixture
def registry_dir() -> Path:
    """The small test registry (4 missions, accounts that the real exports map to)."""
    return TEST_REGISTRY


@pytest.fixture(scope="session")
def real_exports() -> Path:
    """`../shared/real-exports/`, or skip: those files are read in place, never copied in.

    With `DIPLOPULSE_REQUIRE_REAL_EXPORTS=1` (as CI sets it) a missing folder fails the test
    instead: a run that skipped them has not checked the connectors against real files.
    """
    if not REAL_EXPORTS.is_dir():
        message = f"real exports not found at {REAL_EXPORTS} (set DIPLOPULSE_REAL_EXPORTS)"
        if os.environ.get("DIPLOPULSE_REQUIRE_REAL_EXPORTS") == "1":
            pytest.fail(f"{message}; DIPLOPULSE_REQUIRE_REAL_EXPORTS=1 requires them")
        pytest.skip(message)
    return REAL_EXPORTS


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the bundled samples imported through the real connectors, as on a
    first start (built once per session; copy it before writing to it)."""
    if not SAMPLES.is_dir() or not any(SAMPLES.iterdir()):
        pytest.fail(f"no sample exports in {SAMPLES}: run `python -m data.generate` first")
    path = tmp_path_factory.mktemp("samples") / "samples.duckdb"
    results = ensure_sample_data(Store(path))
    refused = [r.message("en") for r in results if r.status == "refused"]
    assert not refused, refused
    return path


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every statement `metrics.engine` runs from now on."""
    from metrics import engine

    texts: list[str] = []
    original = engine.statement

    def spy(*args: object, **kwargs: object) -> tuple[str, dict[str, object]]:
        full, params = original(*args, **kwargs)
        texts.append(full)
        return full, params

    monkeypatch.setattr(engine, "statement", spy)
    return texts
