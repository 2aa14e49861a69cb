"""Permanent missions to international organisations are not host-country missions: the map
leaves them out and says so; the Compare page can rank them apart (sample data: the Permanent
Mission to the UN in New York, kind permanent_mission, country US)."""

from __future__ import annotations

from data import queries
from data.store import Store
from i18n import t
from ui import geo
from ui.filters import Filters, period_window

UN = "pm-un-new-york"


def _filters(con) -> Filters:
    latest = queries.latest_data_date(con)
    start, end = period_window("90d", latest)
    return Filters(start=start, end=end, latest=latest)


def test_the_map_leaves_out_the_un_mission(sample_db):
    with Store(sample_db).read() as con:
        filters = _filters(con)
        countries = geo.country_values(con, filters, "reach").set_index("country")
        off = geo.off_map_missions(con, filters)
    assert list(off["mission_id"]) == [UN]
    assert UN not in ", ".join(countries["mission_ids"])
    if "US" in countries.index:  # the embassy in Washington, without the UN mission
        assert "pm-" not in countries.loc["US", "mission_ids"]


def test_the_overview_says_the_map_leaves_it_out(run_app, sample_db):
    for lang in ("en", "vi"):
        at = run_app("overview", lang=lang)
        assert not at.exception
        with Store(sample_db).read() as con:
            name = queries.missions(con).set_index("mission_id").loc[UN, f"name_{lang}"]
        note = t("ui.overview.map_pm_note", lang=lang, names=name)
        assert note in [c.value for c in at.caption]


def test_the_compare_page_can_rank_permanent_missions_apart(run_app):
    at = run_app("compare")
    assert not at.exception
    toggle = next(x for x in at.toggle if x.label == t("ui.compare.pm_apart", lang="en"))
    toggle.set_value(True).run()
    assert not at.exception
    groups = [m.value for m in at.markdown]
    assert f"**{t('ui.compare.host_group', lang='en')}**" in groups
    assert f"**{t('ui.compare.pm_group', lang='en')}**" in groups
