"""The Mission page's section "Ambassador and mission" (issue #7, part 4), on the samples."""

from __future__ import annotations

from datetime import date

from data.store import Store
from i18n import t
from metrics import ambassador_summary


def _section(at, lang: str) -> int:
    titles = [s.value for s in at.subheader]
    assert t("themes.mission.title", lang=lang) in titles
    return titles.index(t("themes.mission.title", lang=lang))


def test_mission_with_an_ambassador_shows_the_shared_theme_share(run_app, sample_db):
    # emb-jp-tokyo has an ambassador account on X in the samples.
    at = run_app("mission", mission="emb-jp-tokyo")
    assert not at.exception
    _section(at, "en")
    label = t("themes.mission.share", lang="en")
    lines = [m.value for m in at.markdown if m.value.startswith(f"**{label}: ")]
    assert len(lines) == 1
    # The page shows what the metric function gives for the page's window (the default 90
    # days ending on the samples' latest day, 2026-08-03 .. 2026-10-31).
    captions = [c.value for c in at.caption]
    note = next(c for c in captions if "ambassador posts with text" in c)
    with Store(sample_db).read() as con:
        filters = at.session_state["_ui_filters"]
        start, end = filters.start, filters.end
        assert (start, end) == (date(2026, 8, 3), date(2026, 10, 31))
        shared = ambassador_summary(con, "emb-jp-tokyo", start, end)["shared_theme"]
    assert note == t("themes.mission.share_note", lang="en", **shared)
    assert shared["posts"] > 0
    assert not any(t("themes.mission.no_ambassador", lang="en") == i.value for i in at.info)


def test_mission_section_in_vietnamese(run_app):
    at = run_app("mission", lang="vi", mission="emb-jp-tokyo")
    assert not at.exception
    _section(at, "vi")
    label = t("themes.mission.share", lang="vi")
    assert any(m.value.startswith(f"**{label}: ") for m in at.markdown)


def test_mission_without_an_ambassador_says_so(run_app, sample_db):
    with Store(sample_db).read() as con:
        missions = con.execute(
            "SELECT mission_id FROM accounts GROUP BY mission_id "
            "HAVING count(*) FILTER (WHERE owner = 'ambassador') = 0 ORDER BY mission_id LIMIT 1"
        ).fetchone()
    at = run_app("mission", mission=missions[0])
    assert not at.exception
    _section(at, "en")
    assert t("themes.mission.no_ambassador", lang="en") in [i.value for i in at.info]


def test_a_bad_themes_file_is_shown_in_one_line(run_app, tmp_path, monkeypatch):
    bad = tmp_path / "themes.csv"
    bad.write_text("theme,language,pattern\nculture,vie,văn hóa\n", encoding="utf-8")
    monkeypatch.setattr("metrics.themes.themes_file", lambda folder=None: bad)
    at = run_app("mission", mission="emb-jp-tokyo")
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(f'{bad}, row 2: language "vie"' in e for e in errors), errors
