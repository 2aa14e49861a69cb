"""Fixtures of the dashboard tests: a store holding the bundled sample data, and AppTest runs.

The samples are imported once per test session into a template database file (tests/conftest.py,
`sample_db_template`); each test gets its own copy of that file through `DIPLOPULSE_DB`, so a test
that imports or removes data does not change another's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGE_FILES = {
    "overview": "pages/overview.py",
    "mission": "pages/mission.py",
    "compare": "pages/compare.py",
    "data": "pages/data.py",
}


@pytest.fixture(autouse=True)
def _navigation_after_first_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the pages as the server does after its first run: through st.navigation.

    AppTest resets Streamlit's "pages/ folder means old-style multipage app" flag before every
    run, which a server does only once per process; each run would then detour through
    `ui.state.require_frame`'s rerun and lose a button click. The first run of a fresh server is
    covered by tests/browser (test_a_page_opened_first_on_a_fresh_server_has_the_frame).
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def sample_db(sample_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own copy of the sample database, in use through `DIPLOPULSE_DB`."""
    path = tmp_path / "dashboard.duckdb"
    shutil.copy(sample_db_template, path)
    monkeypatch.setenv("DIPLOPULSE_DB", str(path))
    monkeypatch.delenv("DIPLOPULSE_LANG", raising=False)
    return path


@pytest.fixture
def run_app(sample_db: Path) -> Callable[..., AppTest]:
    """`run_app(page="mission", lang="vi", **params)`: the app run once on that page."""

    def run(page: str = "overview", lang: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120)
        if lang:
            at.query_params["lang"] = lang
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if page != "overview":
            at.switch_page(PAGE_FILES[page]).run()
        return at

    return run
