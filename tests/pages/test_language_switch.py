"""Switching the language keeps every filter and picker (issue #6): the widgets' state is ids,
their labels follow the language, and the URL keeps the same parameters."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from ui.format import kpi_label, owner_label


def _switch(at: AppTest, lang: str) -> AppTest:
    at.segmented_control(key="ui_lang").set_value(lang).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _sent_to_browser(widget: object) -> str | None:
    """The label the run told the browser to show for a selectbox or radio, if it told it.

    The browser holds a choice as its label and sends it back on the next run; AppTest does
    not (it re-reads the value), so this is what a test without a browser can check.
    """
    proto = widget.proto
    return proto.raw_value if proto.set_value else None


def _params(at: AppTest) -> dict[str, str]:
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


@pytest.mark.parametrize(("first", "then"), [("en", "vi"), ("vi", "en")])
def test_overview_filters_hold_across_the_language_switch(run_app, first, then):
    at = run_app("overview", lang=first, period="ytd", kpi="reach", map="posts", against="year")
    at.radio(key="f_owner").set_value("mission").run()
    at.radio(key="ov_trend").set_value("posts").run()
    before = {k: v for k, v in _params(at).items() if k != "lang"}
    assert before == {
        "period": "ytd",
        "kpi": "reach",
        "map": "posts",
        "against": "year",
        "owner": "mission",
        "trend": "posts",
    }

    _switch(at, then)
    assert [title.value for title in at.title] == [t("ui.overview.title", lang=then)]
    assert at.selectbox(key="f_period").value == "ytd"
    assert at.selectbox(key="ov_kpi").value == "reach"
    assert at.radio(key="f_owner").value == "mission"
    assert at.radio(key="ov_trend").value == "posts"
    # The browser is told to show the chosen option in the new language.
    assert _sent_to_browser(at.selectbox(key="f_period")) == t("ui.filters.preset.ytd", lang=then)
    assert _sent_to_browser(at.selectbox(key="ov_kpi")) == kpi_label("reach", then)
    assert _sent_to_browser(at.radio(key="f_owner")) == owner_label("mission", then)
    assert _sent_to_browser(at.radio(key="ov_trend")) == t("ui.series.posts", lang=then)
    assert at.radio(key="p_against").value == "year"
    assert _sent_to_browser(at.radio(key="p_against")) == t("ui.filters.against.year", lang=then)
    assert {k: v for k, v in _params(at).items() if k != "lang"} == before

    # The next click changes that one picker and nothing else.
    at.radio(key="ov_trend").set_value("interactions").run()
    assert not at.exception
    assert at.selectbox(key="f_period").value == "ytd"
    assert at.selectbox(key="ov_kpi").value == "reach"
    assert at.selectbox(key="ov_map_kpi").value == "posts"
    assert at.radio(key="f_owner").value == "mission"
    assert {k: v for k, v in _params(at).items() if k != "lang"} == before | {
        "trend": "interactions"
    }
    assert _params(at).get("lang") == ("vi" if then == "vi" else None)


@pytest.mark.parametrize(("first", "then"), [("en", "vi"), ("vi", "en")])
def test_the_chosen_mission_holds_across_the_language_switch(run_app, first, then):
    at = run_app("mission", lang=first, mission="emb-jp-tokyo")
    assert at.selectbox(key="p_mission").value == "emb-jp-tokyo"
    names = {"en": "Embassy of Viet Nam in Japan", "vi": "Đại sứ quán Việt Nam tại Nhật Bản"}
    _switch(at, then)
    assert at.selectbox(key="p_mission").value == "emb-jp-tokyo"
    assert _sent_to_browser(at.selectbox(key="p_mission")) == names[then]
    at.radio(key="f_owner").set_value("ambassador").run()
    assert at.selectbox(key="p_mission").value == "emb-jp-tokyo"
    assert _params(at)["mission"] == "emb-jp-tokyo"
    assert [h.value for h in at.header] == [names[then]]


@pytest.mark.parametrize(("first", "then"), [("en", "vi"), ("vi", "en")])
def test_compare_and_data_pickers_hold_across_the_language_switch(run_app, first, then):
    at = run_app(
        "compare", lang=first, cmp="missions", missions="emb-fr-paris,emb-jp-tokyo", kpi="reach"
    )
    at.radio(key="cmp_er").set_value("er_reach").run()
    _switch(at, then)
    assert at.multiselect(key="p_missions").value == ["emb-fr-paris", "emb-jp-tokyo"]
    sent = at.multiselect(key="p_missions").proto
    assert sent.set_value
    assert sorted(sent.raw_values) == sorted(
        {
            "en": ["Embassy of Viet Nam in France", "Embassy of Viet Nam in Japan"],
            "vi": ["Đại sứ quán Việt Nam tại Pháp", "Đại sứ quán Việt Nam tại Nhật Bản"],
        }[then]
    )
    assert _sent_to_browser(at.radio(key="cmp_er")) == kpi_label("er_reach", then)
    at.selectbox(key="cmp_kpi").set_value("posts").run()
    assert at.multiselect(key="p_missions").value == ["emb-fr-paris", "emb-jp-tokyo"]
    assert at.radio(key="cmp_er").value == "er_reach"
    assert {k: v for k, v in _params(at).items() if k != "lang"} == {
        "cmp": "missions",
        "missions": "emb-fr-paris,emb-jp-tokyo",
        "kpi": "posts",
        "er": "er_reach",
    }

    at = run_app("data", lang=first)
    at.radio(key="data_registry").set_value("accounts").run()
    at.toggle(key="data_per_account").set_value(True).run()
    _switch(at, then)
    # The "" choice is labelled in words that change with the language.
    assert at.selectbox(key="upload_account").value == ""
    assert _sent_to_browser(at.selectbox(key="upload_account")) == t(
        "ui.data.account_auto", lang=then
    )
    # The registry's table and the per-account detail stay as chosen.
    assert at.radio(key="data_registry").value == "accounts"
    assert _params(at)["registry"] == "accounts"
    assert at.toggle(key="data_per_account").value is True
    assert any(t("ui.col.snapshot_as_of", lang=then) in f.value.columns for f in at.dataframe)


def test_the_mission_picker_lists_missions_in_vietnamese_order(run_app):
    at = run_app("mission", lang="vi")
    options = at.selectbox(key="p_mission").options
    # Đại sứ quán < Phái đoàn < Tổng Lãnh sự; within the embassies Ai Cập < Đức < Hàn Quốc.
    assert options[:3] == [
        "Đại sứ quán Việt Nam tại Ai Cập",
        "Đại sứ quán Việt Nam tại Đức",
        "Đại sứ quán Việt Nam tại Hàn Quốc",
    ]
    assert options[-2:] == [
        "Phái đoàn thường trực Việt Nam tại Liên hợp quốc, New York",
        "Tổng Lãnh sự quán Việt Nam tại Osaka",
    ]
    # The default mission is the first by id, the same in both languages (links stay stable).
    assert (
        at.selectbox(key="p_mission").value == run_app("mission").selectbox(key="p_mission").value
    )


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_streamlit_texts_follow_the_language(run_app, lang):
    at = run_app("overview", lang=lang)
    # Streamlit's own "Choose an option" placeholder, where Streamlit lets us set it.
    assert {s.proto.placeholder for s in at.selectbox} == {t("ui.widget.choose", lang=lang)}
    # <html lang> is set by a one-line script (Streamlit has no setting for it).
    assert any(f'documentElement.lang = "{lang}"' in h.proto.body for h in at.get("html"))


def test_a_shared_link_opens_the_same_view_in_either_language(run_app):
    link = {"period": "ytd", "kpi": "reach", "owner": "mission", "mission": "emb-jp-tokyo"}
    views = []
    for lang in ("en", "vi"):
        at = run_app("mission", lang=lang, **link)
        assert not at.exception
        views.append(
            (
                at.session_state["_ui_filters"].scope(),
                at.selectbox(key="p_mission").value,
                {k: v for k, v in _params(at).items() if k != "lang"},
            )
        )
    assert views[0] == views[1]
    assert views[0][1] == "emb-jp-tokyo"
    assert views[0][2] == link


@pytest.mark.parametrize(("lang", "shown"), [("en", "YYYY-MM-DD"), ("vi", "DD/MM/YYYY")])
def test_date_pickers_write_days_as_the_language_does(run_app, lang, shown):
    at = run_app("data", lang=lang)
    assert not at.exception
    assert at.date_input(key="upload_as_of").proto.format == shown
    at = run_app("overview", lang=lang, period="custom")
    assert at.date_input(key="f_range").proto.format == shown


@pytest.mark.parametrize(("first", "then"), [("en", "vi"), ("vi", "en")])
def test_the_page_being_attached_holds_across_the_language_switch(run_app, sample_db, first, then):
    # Two pages the registry does not know (a many-page export leaves dozens): one picker and
    # the chosen page's form, whose choices stay as they were in the other language.
    from datetime import datetime

    from data.store import Store

    with Store(sample_db).write() as cur:
        for external_id, name in (("1001", "Page one"), ("1002", "Page two")):
            cur.execute(
                "INSERT INTO unknown_accounts VALUES ('instagram', ?, ?, 'export.csv', 'x', 3, ?, "
                "NULL)",
                [external_id, name, datetime(2026, 11, 1)],
            )
    at = run_app("data", lang=first)
    assert at.selectbox(key="attach_page").options == [
        "Instagram 1001 (Page one)",
        "Instagram 1002 (Page two)",
    ]
    at.selectbox(key="attach_page").set_value("instagram_1002").run()
    at.selectbox(key="attach_mission_instagram_1002").set_value("emb-jp-tokyo").run()
    at.selectbox(key="attach_owner_instagram_1002").set_value("ambassador").run()
    _switch(at, then)
    assert at.selectbox(key="attach_page").value == "instagram_1002"
    assert at.selectbox(key="attach_mission_instagram_1002").value == "emb-jp-tokyo"
    assert at.selectbox(key="attach_owner_instagram_1002").value == "ambassador"
    assert _sent_to_browser(at.selectbox(key="attach_owner_instagram_1002")) == owner_label(
        "ambassador", then
    )
    proposal = at.text_input(key="attach_id_instagram_1002_emb-jp-tokyo_ambassador")
    assert proposal.value == "emb-jp-tokyo-instagram-ambassador"
