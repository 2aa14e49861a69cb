"""A shared link whose values are not known here (a mission no longer in the registry, a
mistyped KPI, a platform the store has no account on) opens the page's default view and says
so at the top of the page, in the user's language, with what to do (issue #6: a shared link
opens the same view; nothing shown silently wrong)."""

from __future__ import annotations

import pytest

from i18n import t


def _params(at) -> dict[str, str]:
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def _notices(at) -> list[str]:
    return [w.value for w in at.warning if w.proto.icon == ":material/link_off:"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_unknown_mission_in_a_link_is_said_and_the_default_shown(run_app, lang):
    at = run_app("mission", lang=lang, mission="emb-xx-atlantis")
    assert not at.exception, [e.value for e in at.exception]
    assert _notices(at) == [
        t("ui.link.unknown", lang=lang, param="mission", value="emb-xx-atlantis")
    ]
    picked = at.selectbox(key="p_mission").value
    assert picked != "emb-xx-atlantis"
    assert "mission" not in _params(at)  # the default is left out of the address, as always


def test_a_link_of_known_values_says_nothing(run_app):
    at = run_app("mission", mission="emb-jp-tokyo", period="ytd", kpi="reach")
    assert not at.exception
    assert _notices(at) == []
    assert at.selectbox(key="p_mission").value == "emb-jp-tokyo"


def test_every_unknown_value_is_named_and_the_known_ones_kept(run_app):
    at = run_app("overview", period="fortnight", platforms="facebook,myspace", kpi="reach")
    assert not at.exception
    assert _notices(at) == [
        "\n\n".join(
            [
                t("ui.link.unknown", lang="en", param="period", value="fortnight"),
                t("ui.link.unknown", lang="en", param="platforms", value="myspace"),
            ]
        )
    ]
    assert at.session_state["f_platforms"] == ["facebook"]
    assert at.selectbox(key="ov_kpi").value == "reach"
    assert _params(at)["platforms"] == "facebook"


def test_a_custom_period_with_an_impossible_day_is_said(run_app):
    at = run_app("overview", period="custom", **{"from": "2026-13-01", "to": "2026-10-31"})
    assert not at.exception
    assert _notices(at) == [t("ui.link.unknown", lang="en", param="from", value="2026-13-01")]


def test_a_link_value_is_shown_as_text_not_markdown(run_app):
    at = run_app("overview", kpi="[x](http://example.invalid) *y*")
    (notice,) = _notices(at)
    assert r"\[x\]\(http://example.invalid\) \*y\*" in notice
    assert "[x](http" not in notice
