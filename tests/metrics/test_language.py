"""The language KPIs and the Content page's breakdown by language, on the hand-made store of
conftest.py with a language set by hand for each post (as `post_languages` rows).

Registry: emb-us hosts `en`, emb-jp `ja`, cg-vancouver `en;fr` (no post).
Window W = 2025-03-01..03-14, previous P = 2025-02-15..02-28. Interactions (latest snapshot):

  post  account          window  language          interactions   host (emb-us: en, emb-jp: ja)
  fb-1  us-facebook      W       en                13             yes
  fb-2  us-facebook      W       vi                4              no
  fb-4  us-facebook      W       en                0              yes
  fb-3  us-facebook      W       fr                unknown        no
  fb-0  us-facebook      W       undetermined      unknown        -
  x-7   us-x-ambassador  W       vi                6              no
  yt-1  jp-youtube       W       ja                25             yes
  yt-2  jp-youtube       W       en                10             no
  fb-5  us-facebook      P       en                6              yes
  x-8   us-x-ambassador  P       vi                7              no
"""

from __future__ import annotations

import json

import pytest

from data.store import Store
from metrics import Scope, compute, kpi_changes, kpis, languages
from metrics.__main__ import main
from tests.metrics.conftest import P, W

LANGUAGES = {
    ("us-facebook", "fb-1"): "en",
    ("us-facebook", "fb-2"): "vi",
    ("us-facebook", "fb-4"): "en",
    ("us-facebook", "fb-3"): "fr",
    ("us-facebook", "fb-0"): None,
    ("us-x-ambassador", "x-7"): "vi",
    ("jp-youtube", "yt-1"): "ja",
    ("jp-youtube", "yt-2"): "en",
    ("us-facebook", "fb-5"): "en",
    ("us-x-ambassador", "x-8"): "vi",
}
NAMES = ("host_language_share", "vietnamese_share", "english_share", "host_language_lift")


@pytest.fixture
def lang_store(kpi_store: Store) -> Store:
    with kpi_store.write() as cur:
        for (account, post), language in LANGUAGES.items():
            cur.execute(
                "INSERT INTO post_languages VALUES (?, ?, ?, ?, ?, ?, 'en;vi', 'x', 'test')",
                [
                    account,
                    post,
                    language,
                    None if language is None else 0.9,
                    "undetermined" if language is None else "detected",
                    "too_short" if language is None else None,
                ],
            )
    return kpi_store


@pytest.fixture
def lcon(lang_store: Store):
    with lang_store.read() as cur:
        yield cur


def language_kpis(con, mission: str, window=W) -> dict:
    values = kpis(con, mission, *window)
    return {name: values[name] for name in NAMES}


def test_language_kpis_of_a_mission(lcon):
    # emb-us in W: determined fb-1 en, fb-2 vi, fb-4 en, fb-3 fr, x-7 vi = 5 posts (fb-0 out).
    # Host (en): fb-1, fb-4 = 2 / 5. Vietnamese: fb-2, x-7 = 2 / 5. English = host here: 2 / 5.
    # Lift: host posts with interactions known fb-1 13, fb-4 0 -> 13 / 2 = 6.5 per post;
    # others fb-2 4, x-7 6 (fb-3 unknown, left out) -> 10 / 2 = 5; 6.5 / 5 = 1.3.
    assert language_kpis(lcon, "emb-us") == pytest.approx(
        {
            "host_language_share": 2 / 5,
            "vietnamese_share": 2 / 5,
            "english_share": 2 / 5,
            "host_language_lift": 1.3,
        }
    )
    # emb-jp: yt-1 ja (host, 25), yt-2 en (10): 1 / 2, 0, 1 / 2, 25 / 10.
    assert language_kpis(lcon, "emb-jp") == pytest.approx(
        {
            "host_language_share": 0.5,
            "vietnamese_share": 0.0,
            "english_share": 0.5,
            "host_language_lift": 2.5,
        }
    )
    # cg-vancouver: no post, nothing determined: unknown, not 0.
    assert language_kpis(lcon, "cg-vancouver") == dict.fromkeys(NAMES)


def test_network_uses_each_posts_own_mission_host_languages(lcon):
    # 7 determined posts in W; host: fb-1, fb-4 (en for emb-us), yt-1 (ja for emb-jp) = 3 / 7
    # (yt-2 is English but English is not a host language of emb-jp). Vietnamese fb-2, x-7 =
    # 2 / 7; English fb-1, fb-4, yt-2 = 3 / 7. Lift: host 13 + 0 + 25 = 38 over 3 posts;
    # others 4 + 6 + 10 = 20 over 3 posts (fb-3 unknown): (38 / 3) / (20 / 3) = 1.9.
    row = compute(lcon, Scope(*W)).iloc[0]
    assert [row[n] for n in NAMES] == pytest.approx([3 / 7, 2 / 7, 3 / 7, 1.9])
    # by mission: the same numbers as each mission's own
    by_mission = compute(lcon, Scope(*W), by="mission").set_index("mission_id")
    assert by_mission.loc["emb-us", "host_language_lift"] == pytest.approx(1.3)
    assert by_mission.loc["emb-jp", "host_language_share"] == pytest.approx(0.5)


def test_a_mission_without_host_language_has_no_host_share_nor_lift(lang_store):
    # Vietnamese is never a host language: a mission whose languages are only `vi`, or none,
    # has no host language. Its Vietnamese and English shares stay as they were.
    for languages_value in ("vi", None):
        with lang_store.write() as cur:
            cur.execute(
                "UPDATE missions SET languages = ? WHERE mission_id = 'emb-jp'", [languages_value]
            )
        with lang_store.read() as con:
            assert language_kpis(con, "emb-jp") == {
                "host_language_share": None,
                "vietnamese_share": 0.0,
                "english_share": 0.5,
                "host_language_lift": None,
            }
            # the network's host share leaves emb-jp out: fb-1, fb-4 of emb-us's 5 = 2 / 5
            row = compute(con, Scope(*W)).iloc[0]
            assert row["host_language_share"] == pytest.approx(2 / 5)


def test_lift_is_unknown_when_a_side_has_no_post(lcon):
    # emb-us on 2025-03-02 only: fb-1 (en, host) and nothing else -> no other-language post.
    day = (W[0].replace(day=2), W[0].replace(day=2))
    assert language_kpis(lcon, "emb-us", day) == {
        "host_language_share": 1.0,
        "vietnamese_share": 0.0,
        "english_share": 1.0,
        "host_language_lift": None,
    }


def test_changes_are_like_for_like_in_points_and_relative(lcon):
    changes = kpi_changes(lcon, "emb-us", *W)
    # P: fb-5 en (host, 6), x-8 vi (7): host share 1 / 2. Both accounts known in both windows
    # (us-facebook: 2 / 4 now, 1 / 1 before; us-x-ambassador: 0 / 1 and 0 / 1), so the change
    # is over all of emb-us: 2 / 5 − 1 / 2 = −0.1, in points.
    assert changes["previous"]["host_language_share"] == pytest.approx(0.5)
    assert changes["change"]["host_language_share"] == pytest.approx(-0.1)
    # Vietnamese: 2 / 5 now, 1 / 2 before: −0.1 points as well.
    assert changes["change"]["vietnamese_share"] == pytest.approx(-0.1)
    # Lift: P 6 / 7 for emb-us, but per account it is known in neither window for both:
    # us-facebook has no other-language post in P, us-x-ambassador no host post in W. No
    # account is known in both windows: no change, and the reason is said.
    assert changes["previous"]["host_language_lift"] == pytest.approx(6 / 7)
    assert changes["change"]["host_language_lift"] is None
    assert changes["reason"]["host_language_lift"] is not None


def test_languages_breakdown_adds_up_to_the_posts_and_interactions_kpis(lcon):
    frame = languages(lcon, Scope(*W, missions=("emb-us",)))
    rows = frame.to_dict("records")
    # en: fb-1 13, fb-4 0 -> 2 posts, 13, 6.5; vi: fb-2 4, x-7 6 -> 2 posts, 10, 5.0;
    # fr: fb-3 (unknown) -> 1 post, unknown; undetermined: fb-0 (unknown) -> 1 post, last.
    assert [r["language"] for r in rows] == ["en", "vi", "fr", None]
    assert [r["posts"] for r in rows] == [2, 2, 1, 1]
    assert [r["host_language"] for r in rows] == [True, False, False, None]
    assert rows[0]["interactions"] == 13 and rows[0]["interactions_per_post"] == 6.5
    assert rows[1]["interactions"] == 10 and rows[1]["interactions_per_post"] == 5.0
    assert rows[2]["interactions"] != rows[2]["interactions"]  # NaN: unknown
    assert [r["posts_with_interactions"] for r in rows] == [2, 2, 0, 0]
    assert [r["share_of_posts"] for r in rows] == [2 / 6, 2 / 6, 1 / 6, 1 / 6]
    totals = kpis(lcon, "emb-us", *W)
    assert frame["posts"].sum() == totals["posts"] == 6
    # 13 + 10 (fr and undetermined unknown) = 23 = the interactions KPI (13 + 4 + 0 + 6)
    assert frame["interactions"].sum() == totals["interactions"] == 23


def test_cli_kpis_json_carries_the_language_kpis(lang_store, capsys):
    window = ["--start", "2025-03-01", "--end", "2025-03-14", "--db", str(lang_store.path)]
    code = main(["kpis", "--mission", "emb-us", *window, "--json"])
    assert code == 0
    values = json.loads(capsys.readouterr().out)
    assert values["host_language_share"] == pytest.approx(0.4)
    assert values["host_language_lift"] == pytest.approx(1.3)
    code = main(["compare", "--mission", "emb-us", *window, "--json"])
    assert code == 0
    changes = json.loads(capsys.readouterr().out)
    assert changes["change"]["english_share"] == pytest.approx(2 / 5 - 1 / 2)


def test_previous_window_values(lcon):
    # P: fb-5 en (host, 6), x-8 vi (7): 1 / 2, 1 / 2, 1 / 2, 6 / 7.
    assert language_kpis(lcon, "emb-us", P) == pytest.approx(
        {
            "host_language_share": 0.5,
            "vietnamese_share": 0.5,
            "english_share": 0.5,
            "host_language_lift": 6 / 7,
        }
    )
