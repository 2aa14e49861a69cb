"""On a phone only a table's first columns fit: each page's tables put their key columns first
(who, then the figure), the long text and the region after."""

from __future__ import annotations

import pandas as pd

from i18n import t
from ui.format import kpi_label


def test_the_compare_table_starts_with_the_mission_and_the_chosen_kpi(run_app):
    at = run_app("compare", lang="vi", kpi="reach")
    table = next(f.value for f in at.dataframe if t("ui.col.mission", lang="vi") in f.value.columns)
    columns = list(table.columns)
    assert columns[:2] == [t("ui.col.mission", lang="vi"), kpi_label("reach", "vi")]
    assert columns[-1] == t("ui.col.region", lang="vi")
    assert len(columns) == 12  # mission, 10 KPIs, region


def test_the_top_posts_show_their_figures_before_the_text(run_app):
    at = run_app("mission", mission="emb-jp-tokyo")
    posts = next(f.value for f in at.dataframe if t("ui.col.text", lang="en") in f.value.columns)
    assert list(posts.columns) == [
        t("ui.col.date", lang="en"),
        t("ui.col.platform", lang="en"),
        kpi_label("interactions", "en"),
        kpi_label("reach", "en"),
        t("ui.col.text", lang="en"),
        t("ui.col.owner", lang="en"),
        t("ui.col.link", lang="en"),
    ]


def test_the_compare_table_opens_in_the_order_of_the_ranking(run_app):
    at = run_app("compare", lang="vi", kpi="reach")
    label = kpi_label("reach", "vi")
    table = next(f.value for f in at.dataframe if t("ui.col.mission", lang="vi") in f.value.columns)
    reach = pd.to_numeric(table[label], errors="coerce")
    known = reach.dropna().tolist()
    assert len(known) > 3 and known == sorted(known, reverse=True)
    assert reach.isna().sum() == 0 or reach.tail(int(reach.isna().sum())).isna().all()
