"""host_audience_share, its trend and the other countries, on the hand-built store plus a
follower geography written by hand (and a permanent mission, which has no host country).

Window W = 2025-03-01 .. 2025-03-14. Followers at the end of W (tests/metrics/conftest.py):
us-facebook 1020, us-x-ambassador 300, jp-facebook 560, jp-youtube 2002.

audience rows (dimension country unless said):
  us-facebook      02-20 share   US 0.9                               (older: used for February)
                   03-10 share   US 0.5, VN 0.2, CA 0.1               (latest on or before 03-14)
                   03-20 share   US 0.1                               (after W: not used for W)
  us-x-ambassador  03-05 count   US 60, VN 30, FR 10  -> 0.6, 0.3, 0.1
                   03-05 city    New York 50                          (not a country: ignored)
  jp-facebook      03-01 share   VN 0.6, US 0.3                       (JP not listed: 0)
  jp-youtube       03-02 count   JP 100, kind video_views             (views, not followers)
  pm-facebook      03-01 share   US 0.7; followers 400 on 03-01       (pm-un: no host country)
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from metrics import Scope, audience_countries, compare, compute, host_audience_trend, kpis
from metrics.__main__ import main

W = (date(2025, 3, 1), date(2025, 3, 14))
SHA = "0" * 64

GEOGRAPHY = [
    ("us-facebook", date(2025, 2, 20), "country", "US", 0.9, "share", "followers"),
    ("us-facebook", date(2025, 3, 10), "country", "US", 0.5, "share", "followers"),
    ("us-facebook", date(2025, 3, 10), "country", "VN", 0.2, "share", "followers"),
    ("us-facebook", date(2025, 3, 10), "country", "CA", 0.1, "share", "followers"),
    ("us-facebook", date(2025, 3, 20), "country", "US", 0.1, "share", "followers"),
    ("us-x-ambassador", date(2025, 3, 5), "country", "US", 60, "count", "followers"),
    ("us-x-ambassador", date(2025, 3, 5), "country", "VN", 30, "count", "followers"),
    ("us-x-ambassador", date(2025, 3, 5), "country", "FR", 10, "count", "followers"),
    ("us-x-ambassador", date(2025, 3, 5), "city", "New York", 50, "count", "followers"),
    ("jp-facebook", date(2025, 3, 1), "country", "VN", 0.6, "share", "followers"),
    ("jp-facebook", date(2025, 3, 1), "country", "US", 0.3, "share", "followers"),
    ("jp-youtube", date(2025, 3, 2), "country", "JP", 100, "count", "video_views"),
    ("pm-facebook", date(2025, 3, 1), "country", "US", 0.7, "share", "followers"),
]


def add_geography(store) -> None:
    """The rows above, and the Permanent Mission to the UN (seat US) with one account."""
    with store.write() as cur:
        cur.execute(
            "INSERT INTO missions VALUES ('pm-un', 'Permanent Mission of Viet Nam to the UN', "
            "'Phái đoàn thường trực Việt Nam tại Liên hợp quốc', 'permanent_mission', 'US', "
            "'New York', 'multilateral', 'America/New_York', 'en;fr')"
        )
        cur.execute(
            "INSERT INTO accounts VALUES ('pm-facebook', 'pm-un', 'facebook', 'mission', "
            "'VNMissionUN', '100000000000009', NULL)"
        )
        cur.execute(
            "INSERT INTO follower_totals VALUES ('pm-facebook', DATE '2025-03-01', 400, 'reported')"
        )
        for row in GEOGRAPHY:
            cur.execute("INSERT INTO audience VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*row, SHA])


@pytest.fixture
def geo_store(kpi_store):
    add_geography(kpi_store)
    return kpi_store


@pytest.fixture
def geo(geo_store):
    with geo_store.read() as cur:
        yield cur


def test_follower_totals_columns_are_as_this_test_writes_them(geo):
    # The insert above writes follower_totals positionally: guard its column order.
    columns = [r[0] for r in geo.execute("DESCRIBE follower_totals").fetchall()]
    assert columns[:4] == ["account_id", "date", "followers", "basis"]


def test_host_share_is_weighted_by_each_accounts_followers(geo):
    # us-facebook 1020 × 0.5 (03-10, the latest on or before 03-14; 03-20 is after the end)
    # us-x-ambassador 300 × 60 / (60 + 30 + 10) = 300 × 0.6; city rows are not countries
    # (1020 × 0.5 + 300 × 0.6) / (1020 + 300) = 690 / 1320
    assert kpis(geo, "emb-us", *W)["host_audience_share"] == pytest.approx(690 / 1320)


def test_a_host_country_an_export_does_not_list_counts_zero_and_views_are_not_followers(geo):
    # jp-facebook lists VN and US only: JP counts 0 over its 560 followers. jp-youtube's
    # geography is of video views: not read, so its 2002 followers weigh nothing.
    assert kpis(geo, "emb-jp", *W)["host_audience_share"] == 0.0


def test_missions_without_geography_or_host_country_are_unknown(geo):
    assert kpis(geo, "cg-vancouver", *W)["host_audience_share"] is None  # no geography
    # pm-un sits in the US, but a mission to the UN has no host country: NULL, not 0.7
    assert kpis(geo, "pm-un", *W)["host_audience_share"] is None


def test_network_share_leaves_the_permanent_mission_out(geo):
    # (1020 × 0.5 + 300 × 0.6 + 560 × 0) / (1020 + 300 + 560) = 690 / 1880; pm-un left out
    network = compute(geo, Scope(*W)).iloc[0]
    assert network["host_audience_share"] == pytest.approx(690 / 1880)


def test_an_account_without_follower_geography_is_left_out_of_the_change(geo):
    # emb-jp over W against 02-15 .. 02-28: jp-facebook's geography (03-01) is known now only;
    # jp-youtube has none of followers in either window (its rows are of views), so the change
    # leaves both out, and says so, rather than claiming to cover the mission's two accounts.
    row = compare(geo, Scope(*W, missions=("emb-jp",))).iloc[0]
    assert row["host_audience_share"] == 0.0
    assert row["host_audience_share_left_out"] == ["jp-facebook", "jp-youtube"]
    assert row["host_audience_share_missing"] == ["jp-youtube"]
    assert pd.isna(row["host_audience_share_change"])
    assert row["host_audience_share_reason"] == "no_previous"


def test_before_any_geography_the_share_is_unknown(geo):
    assert kpis(geo, "emb-us", date(2025, 2, 1), date(2025, 2, 10))["host_audience_share"] is None


def test_trend_is_the_kpi_at_each_months_end(geo):
    trend = host_audience_trend(geo, Scope(date(2025, 2, 1), W[1], missions=("emb-us",)))
    assert list(trend["date"]) == [pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01")]
    assert list(trend["as_of"]) == [pd.Timestamp("2025-02-28"), pd.Timestamp("2025-03-14")]
    # 02-28: us-facebook 1000 followers × 0.9 (02-20); the ambassador has no total yet -> 0.9
    # 03-14: 690 / 1320 as above
    assert trend["value"].tolist() == pytest.approx([0.9, 690 / 1320])


def test_trend_of_a_permanent_mission_is_unknown(geo):
    trend = host_audience_trend(geo, Scope(date(2025, 2, 1), W[1], missions=("pm-un",)))
    assert trend["value"].isna().all()


def test_other_countries_are_weighted_like_the_kpi_and_leave_the_host_out(geo):
    countries = audience_countries(geo, Scope(*W, missions=("emb-us",)))
    # over 1020 + 300 = 1320 followers; US, the host, first (its share is the KPI's, 690)
    # VN: 1020 × 0.2 + 300 × 0.3 = 294; CA: 1020 × 0.1 = 102; FR: 300 × 0.1 = 30
    assert countries["country"].tolist() == ["US", "VN", "CA", "FR"]
    assert countries["is_host"].tolist() == [True, False, False, False]
    assert countries["share"].tolist() == pytest.approx(
        [690 / 1320, 294 / 1320, 102 / 1320, 30 / 1320]
    )
    assert countries["accounts"].tolist() == [2, 2, 1, 1]
    # as of the newest breakdown behind each row: us-facebook's 03-10, the ambassador's 03-05
    assert [d.date() for d in countries["as_of"]] == [date(2025, 3, 10)] * 3 + [date(2025, 3, 5)]
    top = audience_countries(geo, Scope(*W, missions=("emb-us",)), n=1)
    assert top["country"].tolist() == ["US", "VN"]  # the host, then one other


def test_a_permanent_missions_countries_include_its_seat(geo):
    countries = audience_countries(geo, Scope(*W, missions=("pm-un",)))
    assert countries["country"].tolist() == ["US"]  # no host country: the seat is an other
    assert countries["is_host"].tolist() == [False]
    assert countries["share"].tolist() == pytest.approx([0.7])


def test_cli_kpis_json_gives_the_share(geo_store, capsys):
    db = str(geo_store.path)
    assert main(["kpis", "--mission", "emb-us", "--start", "2025-03-01", "--end", "2025-03-14",
                 "--db", db, "--json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["host_audience_share"] == pytest.approx(690 / 1320)


# -- a real export: TikTok Studio's FollowerTopTerritories ------------------------------------
#
# /work/shared/real-exports/tiktok-studio-en/haileytupy2.0 (PROVENANCE), imported for the
# TikTok account of emb-us-washington (host US) of tests/fixtures/tiktok/registry, as of
# 2026-02-28: US 0.462, EG 0.219, TR 0.071, MX 0.019, GB 0.009, ... ("Others" 0.211 is not a
# country); FollowerHistory gives 5,013 followers on 2026-02-27.


def test_host_share_from_a_real_tiktok_export(store, real_exports):
    from connectors.importer import Importer

    studio = real_exports / "tiktok-studio-en" / "haileytupy2.0"
    registry = Path(__file__).resolve().parents[1] / "fixtures" / "tiktok" / "registry"
    importer = Importer(
        store, registry_dir=registry, account="us-tiktok", origin="test", as_of=date(2026, 2, 28)
    )
    results = importer.import_paths(
        [studio / "FollowerTopTerritories.csv", studio / "FollowerHistory.csv"]
    )
    assert [r.status for r in results] == ["imported", "imported"]
    window = (date(2026, 2, 1), date(2026, 2, 28))
    with store.read() as con:
        # one account: its share, whatever its followers (5,013 × 0.462 / 5,013)
        values = kpis(con, "emb-us-washington", *window, platform="tiktok")
        assert values["host_audience_share"] == pytest.approx(0.462)
        # before the export's as-of date, no geography is known
        early = kpis(con, "emb-us-washington", date(2026, 1, 1), date(2026, 1, 31))
        assert early["host_audience_share"] is None
        countries = audience_countries(con, Scope(*window, missions=("emb-us-washington",)), 3)
    assert countries["country"].tolist() == ["US", "EG", "TR", "MX"]
    assert countries["share"].tolist() == pytest.approx([0.462, 0.219, 0.071, 0.019])
