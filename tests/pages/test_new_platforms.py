"""TikTok and LinkedIn exports of a mission show on its pages, as a new user would see them:
the real exports imported for one mission, then the Mission page opened on it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connectors.importer import Importer
from data.registry import DEFAULT_REGISTRY
from data.store import Store
from i18n import t
from tests.pages.conftest import APP, PAGE_FILES

MISSION = "emb-us-washington"
TIKTOK = "tiktok-studio-en/haileytupy2.0"
LINKEDIN = (
    "linkedin-page-content-resaved/proefficient/pro-efficient-data-entry_content_1742193384396.xlsx"
)


@pytest.fixture
def new_platforms_db(tmp_path: Path, real_exports: Path, monkeypatch) -> Path:
    """The ministry's registry with a TikTok and a LinkedIn account for the embassy in
    Washington, and their real exports imported (no sample data)."""
    registry = tmp_path / "registry"
    registry.mkdir()
    shutil.copy(DEFAULT_REGISTRY / "missions.csv", registry / "missions.csv")
    accounts = (DEFAULT_REGISTRY / "accounts.csv").read_text(encoding="utf-8")
    accounts += (
        f"us-tiktok-test,{MISSION},tiktok,mission,haileytupy2.0,,\n"
        f"us-linkedin-test,{MISSION},linkedin,mission,pro-efficient-data-entry,,\n"
    )
    (registry / "accounts.csv").write_text(accounts, encoding="utf-8")
    path = tmp_path / "platforms.duckdb"
    # Studio files do not name their account: given, as the Data page's account picker would.
    importer = Importer(
        Store(path),
        registry_dir=registry,
        origin="cli",
        account="us-tiktok-test",
        as_of=date(2026, 2, 28),
    )
    results = importer.import_paths(
        [real_exports / TIKTOK / "Overview.csv", real_exports / TIKTOK / "Content.csv"]
    )
    results += Importer(Store(path), registry_dir=registry, origin="cli").import_paths(
        [real_exports / LINKEDIN]
    )
    assert [r.status for r in results] == ["imported"] * 3, [r.message("en") for r in results]
    monkeypatch.setenv("DIPLOPULSE_DB", str(path))
    monkeypatch.delenv("DIPLOPULSE_LANG", raising=False)
    return path


def test_tiktok_and_linkedin_show_on_the_mission_page(new_platforms_db):
    at = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in {
        "mission": MISSION,
        "period": "custom",
        "from": "2025-02-01",
        "to": "2026-02-27",
    }.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(PAGE_FILES["mission"]).run()
    assert not at.exception
    assert not [e.value for e in at.error]
    cards = {m.label: m.value for m in at.metric}
    # 13 TikTok videos (Content.csv) and 8 LinkedIn posts (All posts) in the window
    assert cards[t("kpi.posts", lang="en")] == "21"
    # TikTok: 4,063 likes + 117 comments + 275 shares (tests/connectors/test_tiktok.py), and
    # LinkedIn's 8 posts: 8 likes, comments and reposts in all
    assert cards[t("kpi.interactions", lang="en")] == "4,463"
    # the platform picker offers the two platforms the registry now has
    assert at.sidebar.multiselect[0].options == [
        "Facebook",
        "Instagram",
        "X",
        "YouTube",
        "TikTok",
        "LinkedIn",
    ]
