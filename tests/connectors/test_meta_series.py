"""Meta Business Suite insights time series and audience files, read from the real exports
(../shared/real-exports/meta-bs-timeseries-*, see PROVENANCE.md) through the import engine,
mapped with `--account` to the accounts of tests/fixtures/meta_series/registry (the files do not
name their page).

Pinned per file: metric, account, first and last day, number of days and the sum, which the raw
text gives too (`raw_series` reads it with the csv module, independently of the connector)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from connectors.base import Document, ImportRefused, SourceFile
from connectors.formats.instagram_dyi_insights import fix_mojibake
from connectors.formats.meta_insights_audience import MetaInsightsAudience, date_damage
from connectors.formats.meta_insights_content_formats import MetaInsightsContentFormats
from connectors.formats.meta_insights_series import MetaInsightsSeries
from connectors.importer import Importer, ImportResult
from connectors.sources import read_document
from data.store import Store

REGISTRY = Path(__file__).resolve().parents[1] / "fixtures" / "meta_series" / "registry"
EN = "meta-bs-timeseries-en"
VI = "meta-bs-timeseries-vi"
RESAVED = "meta-bs-timeseries-excel-resaved/vintagerest-fb"
TAB = "meta-bs-timeseries-resaved-utf16-tab/mh4u-2024"


def run(
    store: Store, *paths: Path, account: str | None = None, as_of: date | None = None
) -> list[ImportResult]:
    importer = Importer(store, registry_dir=REGISTRY, origin="test", account=account, as_of=as_of)
    return importer.import_paths(paths)


def summary(store: Store) -> dict[tuple[str, str], tuple[date, date, int, float]]:
    """(account, metric) -> (first day, last day, days, sum) of what the store holds."""
    with store.read() as cur:
        rows = cur.execute(
            "SELECT account_id, metric, min(date), max(date), count(*), sum(value) "
            "FROM account_daily_latest GROUP BY ALL"
        ).fetchall()
    return {(r[0], r[1]): (r[2], r[3], r[4], r[5]) for r in rows}


def audience(store: Store, account: str, dimension: str) -> dict[str, float]:
    with store.read() as cur:
        rows = cur.execute(
            "SELECT key, value FROM audience WHERE account_id = ? AND dimension = ? "
            "AND kind = 'followers'",
            [account, dimension],
        ).fetchall()
    return dict(rows)


def raw_series(path: Path) -> list[tuple[str, dict[date, float]]]:
    """The file's series as its text says, read without the connector: (title, {day: value})."""
    data = path.read_bytes()
    text = data.decode("utf-16") if data[:2] == b"\xff\xfe" else data.decode("utf-8-sig")
    lines = text.splitlines()
    if lines[0].startswith("sep="):
        lines = lines[1:]
    out: list[tuple[str, dict[date, float]]] = []
    for row in csv.reader(lines):
        if not row or not "".join(row).strip():
            continue
        if len(row) == 1:
            out.append((row[0], {}))
        elif row[0][:4].isdigit():
            out[-1][1][date.fromisoformat(row[0][:10])] = float(row[1])
    return out


# -- time series, per real file ---------------------------------------------------------------

# (file, --account, {(account, metric): (first, last, days, sum)})
SERIES = [
    (
        f"{EN}/oigetit/Follows.csv",  # "Follows": no platform word, the account decides
        "za-facebook",
        {("za-facebook", "new_follows"): (date(2025, 1, 1), date(2025, 4, 15), 105, 66)},
    ),
    (
        f"{EN}/oigetit/Reach.csv",
        "za-facebook",
        {("za-facebook", "reach"): (date(2025, 1, 1), date(2025, 4, 15), 105, 10734)},
    ),
    (
        f"{EN}/oigetit/Views.csv",
        "za-facebook",
        {("za-facebook", "views"): (date(2025, 1, 1), date(2025, 4, 15), 105, 29981)},
    ),
    (
        f"{EN}/oigetit/Visits.csv",
        "za-facebook",
        {("za-facebook", "profile_visits"): (date(2025, 1, 1), date(2025, 4, 15), 105, 976)},
    ),
    (
        f"{EN}/oigetit/Interactions.csv",  # the Facebook one: 208
        "za-facebook",
        {("za-facebook", "engagements"): (date(2025, 1, 1), date(2025, 4, 15), 105, 208)},
    ),
    (
        f"{EN}/oigetit/Interactions (1).csv",  # the same title, the Instagram account's
        "za-instagram",
        {("za-instagram", "engagements"): (date(2025, 1, 1), date(2025, 4, 15), 105, 749)},
    ),
    (
        f"{EN}/oigetit/Visits (1).csv",
        "za-instagram",
        {("za-instagram", "profile_visits"): (date(2025, 1, 1), date(2025, 4, 15), 105, 449)},
    ),
    (
        # 2024: "Follows" (Facebook, dense) then "Instagram follows" (sparse: 229 rows); the
        # file's period is the Facebook series' 242 days: Instagram's 2024-03-05 is a 0 too
        f"{EN}/mh4u-2024/Follows.csv",
        "ua-facebook",
        {
            ("ua-facebook", "new_follows"): (date(2023, 7, 8), date(2024, 3, 5), 242, 4795),
            ("ua-instagram", "new_follows"): (date(2023, 7, 8), date(2024, 3, 5), 242, 1352),
        },
    ),
    (
        f"{EN}/mh4u-2024/Reach.csv",
        "ua-facebook",
        {
            ("ua-facebook", "reach"): (date(2023, 7, 8), date(2024, 3, 5), 242, 3897137),
            ("ua-instagram", "reach"): (date(2023, 7, 8), date(2024, 3, 5), 242, 150759),
        },
    ),
    (
        f"{EN}/mh4u-2024/Visits.csv",
        "ua-instagram",  # either account of the mission: the other is its sibling
        {
            ("ua-facebook", "profile_visits"): (date(2023, 7, 8), date(2024, 3, 5), 242, 81434),
            ("ua-instagram", "profile_visits"): (date(2023, 7, 8), date(2024, 3, 5), 242, 7101),
        },
    ),
    (
        # 2024 with the series' names as value columns; the Facebook series is all zeros: data
        f"{EN}/tanya-2024/Reach.csv",
        "in-instagram",
        {
            ("in-facebook", "reach"): (date(2023, 6, 15), date(2023, 9, 12), 90, 0),
            ("in-instagram", "reach"): (date(2023, 6, 15), date(2023, 9, 12), 90, 24964),
        },
    ),
    (
        # value columns mislabelled "Facebook Page likes" / "Instagram followers": visits
        f"{EN}/tanya-2024/Page and profile visits.csv",
        "in-facebook",
        {
            ("in-facebook", "profile_visits"): (date(2023, 6, 15), date(2023, 9, 12), 90, 0),
            ("in-instagram", "profile_visits"): (date(2023, 6, 15), date(2023, 9, 12), 90, 3627),
        },
    ),
    (
        f"{EN}/vintagerest-ig/IG VIEWS.csv",
        "bg-instagram",
        {("bg-instagram", "views"): (date(2025, 10, 31), date(2025, 12, 31), 62, 496243)},
    ),
    (
        f"{EN}/vintagerest-ig/IG_FOLLOWS.csv",  # sparse: 41 rows over 62 days
        "bg-instagram",
        {("bg-instagram", "new_follows"): (date(2025, 10, 31), date(2025, 12, 31), 62, 146)},
    ),
    (
        f"{EN}/vintagerest-ig/IG_INTERACTIONS.csv",
        "bg-instagram",
        {("bg-instagram", "engagements"): (date(2025, 10, 31), date(2025, 12, 31), 62, 7642)},
    ),
    (
        f"{EN}/vintagerest-ig/IG_LINK_CLICKS.csv",
        "bg-instagram",
        {("bg-instagram", "link_clicks"): (date(2025, 10, 31), date(2025, 12, 31), 62, 49)},
    ),
    (
        f"{EN}/vintagerest-ig/IG_REACH.csv",  # "Reach"
        "bg-instagram",
        {("bg-instagram", "reach"): (date(2025, 10, 31), date(2025, 12, 31), 62, 273471)},
    ),
    (
        f"{EN}/vintagerest-ig/IG_VISITS.csv",
        "bg-instagram",
        {("bg-instagram", "profile_visits"): (date(2025, 10, 31), date(2025, 12, 31), 62, 1887)},
    ),
    (
        f"{VI}/clickstudio-fb-2026-04-15/Lượt xem.csv",
        "za-facebook",
        {("za-facebook", "views"): (date(2026, 3, 17), date(2026, 4, 14), 29, 61459)},
    ),
    (
        f"{VI}/clickstudio-fb-2026-04-15/Người xem.csv",  # Viewers: reach
        "za-facebook",
        {("za-facebook", "reach"): (date(2026, 3, 17), date(2026, 4, 14), 29, 37395)},
    ),
    (
        f"{VI}/clickstudio-fb-2026-04-15/Lượt theo dõi.csv",
        "za-facebook",
        {("za-facebook", "new_follows"): (date(2026, 3, 17), date(2026, 4, 14), 29, 95)},
    ),
    (
        f"{VI}/clickstudio-fb-2026-04-15/Lượt truy cập.csv",
        "za-facebook",
        {("za-facebook", "profile_visits"): (date(2026, 3, 17), date(2026, 4, 14), 29, 2724)},
    ),
    (
        f"{VI}/clickstudio-fb-2026-04-15/Lượt tương tác.csv",
        "za-facebook",
        {("za-facebook", "engagements"): (date(2026, 3, 17), date(2026, 4, 14), 29, 915)},
    ),
    (
        f"{VI}/clickstudio-fb-2026-04-15/Lượt click vào liên kết.csv",
        "za-facebook",
        {("za-facebook", "link_clicks"): (date(2026, 3, 17), date(2026, 4, 14), 29, 5)},
    ),
    (
        f"{VI}/clickstudio-ig-2026-04-28/ig_luot_theo_doi.csv",  # sparse: 20 rows, 27 days
        "za-instagram",
        {("za-instagram", "new_follows"): (date(2026, 3, 31), date(2026, 4, 26), 27, 308)},
    ),
    (
        f"{VI}/clickstudio-ig-2026-04-28/ig_luot_truy_cap.csv",
        "za-instagram",
        {("za-instagram", "profile_visits"): (date(2026, 3, 29), date(2026, 4, 27), 30, 1194)},
    ),
    (
        f"{VI}/clickstudio-ig-2026-04-28/ig_luot_tuong_tac.csv",
        "za-instagram",
        {("za-instagram", "engagements"): (date(2026, 3, 29), date(2026, 4, 27), 30, 20230)},
    ),
    (
        f"{VI}/clickstudio-ig-2026-04-28/ig_luot_xem.csv",
        "za-instagram",
        {("za-instagram", "views"): (date(2026, 3, 29), date(2026, 4, 27), 30, 137084)},
    ),
    (
        f"{VI}/clickstudio-ig-2026-04-28/ig_so_nguoi_tiep_can.csv",
        "za-instagram",
        {("za-instagram", "reach"): (date(2026, 3, 29), date(2026, 4, 27), 30, 100535)},
    ),
]


@pytest.mark.parametrize(("name", "account", "expected"), SERIES, ids=[s[0] for s in SERIES])
def test_series_of_real_files(store, real_exports, name, account, expected):
    path = real_exports / name
    [result] = run(store, path, account=account)
    assert (result.status, result.format) == ("imported", "meta_insights_series"), result.message()
    assert result.account_id == ", ".join(sorted({a for a, _ in expected}))
    assert result.rows == sum(days for _, _, days, _ in expected.values())
    assert summary(store) == expected

    # The same numbers as the raw text: every written day, and 0 for the days Meta left out.
    raw = raw_series(path)
    assert sum(sum(values.values()) for _, values in raw) == sum(s for *_, s in expected.values())
    with store.read() as cur:
        stored = cur.execute(
            "SELECT account_id, date, value FROM account_daily_latest ORDER BY ALL"
        ).fetchall()
    by_account: dict[str, dict[date, float]] = {}
    for account_id, day, value in stored:
        by_account.setdefault(account_id, {})[day] = value
    for (account_id, _), (first, last, _, _) in expected.items():
        series = by_account[account_id]
        matching = [v for _, v in raw if v and min(v) == first and max(v) <= last]
        assert any(
            all(series.get(d) == v for d, v in values.items())
            and all(series[d] == 0 for d in series if d not in values)
            for values in matching
        )


def test_vietnamese_file_reads_as_its_raw_text(store, real_exports):
    path = real_exports / VI / "clickstudio-fb-2026-04-15" / "Lượt theo dõi.csv"
    [(title, values)] = raw_series(path)
    assert title == "Lượt theo dõi trên Facebook"
    [result] = run(store, path, account="za-facebook")
    assert result.status == "imported"
    with store.read() as cur:
        stored = dict(
            cur.execute(
                "SELECT date, value FROM account_daily_latest WHERE metric = 'new_follows'"
            ).fetchall()
        )
    assert stored == values  # dense: every day written
    assert stored[date(2026, 4, 14)] == 18 and stored[date(2026, 3, 17)] == 3


def test_daylight_saving_hour_is_ignored(store, real_exports):
    # oigetit: T01:00:00 up to 2025-03-09, T00:00:00 from 2025-03-10: one row a day either way.
    path = real_exports / EN / "oigetit" / "Views.csv"
    [result] = run(store, path, account="za-facebook")
    assert result.status == "imported"
    with store.read() as cur:
        days = cur.execute(
            "SELECT date, value FROM account_daily_latest WHERE date BETWEEN ? AND ? ORDER BY 1",
            [date(2025, 3, 8), date(2025, 3, 11)],
        ).fetchall()
    assert [d for d, _ in days] == [date(2025, 3, d) for d in (8, 9, 10, 11)]


def test_two_series_file_again_is_unchanged(store, real_exports):
    path = real_exports / EN / "mh4u-2024" / "Reach.csv"
    assert run(store, path, account="ua-facebook")[0].status == "imported"
    again = run(store, path, account="ua-facebook")[0]
    assert (again.status, again.account_id) == ("unchanged", "ua-facebook, ua-instagram")


def test_two_series_file_without_the_other_platform_account_is_refused(store, real_exports):
    [result] = run(store, real_exports / EN / "mh4u-2024" / "Reach.csv", account="fr-facebook")
    assert (result.status, result.refusal.code) == ("refused", "no_sibling_account")
    assert result.refusal.params == {"platform": "instagram", "account": "fr-facebook"}
    assert "accounts.csv" in result.message("en") and "⟦" not in result.message("vi")
    assert summary(store) == {}


def test_series_of_a_file_without_account_is_refused(store, real_exports):
    [result] = run(store, real_exports / EN / "oigetit" / "Reach.csv")
    assert (result.status, result.refusal.code) == ("refused", "no_account")


def test_facebook_titled_series_refused_for_an_instagram_account(store, real_exports):
    path = real_exports / VI / "clickstudio-fb-2026-04-15" / "Lượt truy cập.csv"
    [result] = run(store, path, account="za-instagram")
    assert (result.status, result.refusal.code) == ("refused", "platform_mismatch")


def _doc(rows: list[list[str]], name: str = "chart.csv") -> Document:
    return Document(source=SourceFile(name=name, data=b""), sheets={"": rows}, kind="csv")


def test_unnamed_series_beside_two_named_ones_is_refused():
    rows = [
        ["Follows"],
        ["Date", "Primary"],
        ["2025-01-01T00:00:00", "1"],
        [""],
        ["Instagram follows"],
        ["Date", "Primary"],
        ["2025-01-01T00:00:00", "2"],
        [""],
        ["Facebook follows"],
        ["Date", "Primary"],
        ["2025-01-01T00:00:00", "3"],
    ]
    with pytest.raises(ImportRefused) as refused:
        MetaInsightsSeries().read(_doc(rows))
    assert refused.value.code == "duplicate_series"


# -- re-saved copies: the same records as their originals ---------------------------------------


def _records(path: Path) -> tuple[list, list]:
    doc = read_document(SourceFile(name=path.name, data=path.read_bytes()))
    fmt = MetaInsightsAudience() if path.name == "Audience.csv" else MetaInsightsSeries()
    assert fmt.detect(doc)
    parsed = fmt.read(doc)
    return parsed.daily, parsed.audience


def _decoded(path: Path) -> Document:
    """The file as the engine decodes it (encoding, separator and `sep=` line guessed)."""
    return read_document(SourceFile(name=path.name, data=path.read_bytes()))


def _stored(store: Store) -> tuple[list, list]:
    with store.read() as cur:
        daily = cur.execute(
            "SELECT account_id, date, metric, value, as_of FROM account_daily ORDER BY ALL"
        ).fetchall()
        items = cur.execute(
            "SELECT account_id, as_of, dimension, key, value, unit, kind FROM audience ORDER BY ALL"
        ).fetchall()
    return daily, items


@pytest.mark.parametrize(
    ("resaved", "original", "fmt"),
    [
        (f"{TAB}/Reach.csv", f"{EN}/mh4u-2024/Reach.csv", MetaInsightsSeries),
        (f"{TAB}/Audience.csv", f"{EN}/mh4u-2024/Audience.csv", MetaInsightsAudience),
    ],
)
def test_utf16_tab_resaved_copy_gives_the_originals_records(
    store, tmp_path, real_exports, resaved, original, fmt
):
    # mh4u-2024 saved again as "Unicode text": UTF-16, tabs, no quotes, `sep=<TAB>` line, and
    # names split at their commas. Read by the engine, it gives the original's records.
    doc = _decoded(real_exports / resaved)
    assert fmt().detect(doc)
    parsed = fmt().read(doc)
    daily, items = _records(real_exports / original)
    assert (parsed.daily, parsed.audience) == (daily, items)
    assert len(daily) + len(items) in (484, 56)
    # And through the importer: the same rows stored.
    other = Store(tmp_path / "original.duckdb")
    as_of = date(2024, 3, 6)
    [first] = run(store, real_exports / resaved, account="ua-facebook", as_of=as_of)
    [second] = run(other, real_exports / original, account="ua-facebook", as_of=as_of)
    assert (first.status, second.status) == ("imported", "imported")
    assert first.rows == second.rows and _stored(store) == _stored(other)
    assert _stored(store) != ([], [])


@pytest.mark.parametrize(
    "name", ["Follows", "Viewers", "Views", "Visits", "Interactions", "Link clicks"]
)
def test_semicolon_resaved_series_read_with_the_hour_flip(real_exports, name):
    # vintagerest-fb, re-saved by a Bulgarian Excel: `;`, no quotes, the `sep=` line gone.
    doc = _decoded(real_exports / RESAVED / f"{name}.csv")
    parsed = MetaInsightsSeries().read(doc)
    days = [v.date for v in parsed.daily]
    assert (days[0], days[-1], len(days)) == (date(2025, 10, 31), date(2025, 12, 31), 62)
    text = (real_exports / RESAVED / f"{name}.csv").read_text(encoding="ascii")
    raw = {
        line[:10]: float(line.split(";")[1]) for line in text.splitlines() if line.startswith("20")
    }
    assert {v.date.isoformat(): v.value for v in parsed.daily} == raw


@pytest.mark.parametrize(
    ("name", "metric", "total"),
    [
        ("Follows", "new_follows", 401),
        ("Viewers", "reach", 429319),
        ("Views", "views", 761454),
        ("Visits", "profile_visits", 12871),
        ("Interactions", "engagements", 6492),
        ("Link clicks", "link_clicks", 980),
    ],
)
def test_semicolon_resaved_series_through_the_engine(store, real_exports, name, metric, total):
    [result] = run(store, real_exports / RESAVED / f"{name}.csv", account="bg-facebook")
    assert (result.status, result.format, result.rows) == ("imported", "meta_insights_series", 62)
    assert summary(store) == {
        ("bg-facebook", metric): (date(2025, 10, 31), date(2025, 12, 31), 62, total)
    }


def test_utf16_tab_resaved_reach_through_the_engine(store, real_exports):
    path = real_exports / TAB / "Reach.csv"
    [result] = run(store, path, account="ua-facebook")
    assert result.status == "imported"
    assert summary(store)[("ua-facebook", "reach")] == (
        date(2023, 7, 8),
        date(2024, 3, 5),
        242,
        3897137,
    )


# -- audience ---------------------------------------------------------------------------------


def test_audience_2025_layout(store, real_exports):
    [result] = run(store, real_exports / EN / "oigetit" / "Audience.csv", account="za-facebook")
    assert (result.status, result.format, result.rows) == (
        "imported",
        "meta_insights_audience",
        32,
    )
    ages = audience(store, "za-facebook", "age_gender")
    assert len(ages) == 12 and sum(ages.values()) == pytest.approx(1.0)
    assert ages["F.18-24"] == pytest.approx(0.106) and ages["M.65+"] == pytest.approx(0.02)
    countries = audience(store, "za-facebook", "country")
    assert sorted(countries, key=countries.get)[-3:] == ["US", "NG", "ZA"]
    assert len(countries) == 10
    assert countries["ZA"] == pytest.approx(0.751)
    assert sum(countries.values()) == pytest.approx(0.914)
    cities = audience(store, "za-facebook", "city")
    assert cities["Cape Town, South Africa"] == pytest.approx(0.137)
    assert cities["Maputo, Mozambique"] == pytest.approx(0.014) and len(cities) == 10
    with store.read() as cur:
        assert cur.execute("SELECT DISTINCT unit, as_of FROM audience").fetchall() == [
            ("share", result.as_of)
        ]


def test_audience_2024_layout_goes_to_both_accounts(store, real_exports):
    path = real_exports / EN / "mh4u-2024" / "Audience.csv"
    [result] = run(store, path, account="ua-facebook")
    assert (result.status, result.account_id, result.rows) == (
        "imported",
        "ua-facebook, ua-instagram",
        56,
    )
    fb_ages, ig_ages = (audience(store, a, "age_gender") for a in ("ua-facebook", "ua-instagram"))
    assert sum(fb_ages.values()) == pytest.approx(1.0) and fb_ages["F.35-44"] == 0.36
    assert sum(ig_ages.values()) == pytest.approx(1.0) and ig_ages["F.25-34"] == 0.391
    assert audience(store, "ua-facebook", "country")["UA"] == pytest.approx(0.864)
    assert audience(store, "ua-facebook", "country")["CZ"] == pytest.approx(0.008)
    assert audience(store, "ua-instagram", "country") == pytest.approx(
        {"UA": 0.8, "DE": 0.035, "PL": 0.034, "GB": 0.016, "US": 0.011}
    )
    assert audience(store, "ua-instagram", "city")["Kyiv, Ukraine"] == pytest.approx(0.201)
    assert len(audience(store, "ua-facebook", "city")) == 10
    assert audience(store, "ua-facebook", "other") == {"followers_total": 30222}
    assert audience(store, "ua-instagram", "other") == {"followers_total": 3098}
    # The day of the snapshot is not known (no --as-of, no date in the name): no follower total.
    assert summary(store) == {}


def test_audience_2024_totals_are_followers_on_a_known_day(store, real_exports):
    path = real_exports / EN / "mh4u-2024" / "Audience.csv"
    [result] = run(store, path, account="ua-instagram", as_of=date(2024, 3, 6))
    assert (result.status, result.as_of) == ("imported", date(2024, 3, 6))
    assert summary(store) == {
        ("ua-facebook", "followers"): (date(2024, 3, 6), date(2024, 3, 6), 1, 30222),
        ("ua-instagram", "followers"): (date(2024, 3, 6), date(2024, 3, 6), 1, 3098),
    }
    with store.read() as cur:
        assert cur.execute(
            "SELECT account_id, followers, basis FROM follower_totals ORDER BY 1"
        ).fetchall() == [("ua-facebook", 30222, "reported"), ("ua-instagram", 3098, "reported")]


def test_audience_2024_with_empty_facebook_sections(store, real_exports):
    path = real_exports / EN / "tanya-2024" / "Audience.csv"
    [result] = run(store, path, account="in-instagram")
    assert (result.status, result.rows) == ("imported", 24)
    # Facebook: a total of 0 (what the file says), no breakdowns (the sections are empty).
    assert audience(store, "in-facebook", "other") == {"followers_total": 0}
    assert audience(store, "in-facebook", "age_gender") == {}
    assert sum(audience(store, "in-instagram", "age_gender").values()) == pytest.approx(1.0)
    assert audience(store, "in-instagram", "city") == pytest.approx(
        {
            "Delhi, India": 0.156,
            "Kolkata, West Bengal, India": 0.04,
            "Mumbai, Maharashtra, India": 0.032,
            "Bangalore, Karnataka, India": 0.016,
            "Ghaziabad, Uttar Pradesh, India": 0.016,
        }
    )
    assert audience(store, "in-instagram", "country") == pytest.approx(
        {"IN": 0.627, "PK": 0.017, "US": 0.012, "AE": 0.01, "TR": 0.007}
    )


def _cp1251_audience(real_exports: Path) -> Document:
    return _decoded(real_exports / RESAVED / "Audience.csv")


def test_audience_with_decimals_turned_into_dates_is_refused(real_exports):
    doc = _cp1251_audience(real_exports)
    assert doc.rows[2][:3] == ["18-24", "3.апр", "1.юни"]
    fmt = MetaInsightsAudience()
    assert fmt.detect(doc)
    with pytest.raises(ImportRefused) as refused:
        fmt.read(doc)
    assert refused.value.code == "decimals_as_dates"
    assert refused.value.params == {"value": "3.апр"}
    message = refused.value.message("en")
    assert "a spreadsheet turned decimals such as 3.4 into dates (3.апр)" in message
    assert "the numbers are lost" in message and "original export" in message
    assert "⟦" not in refused.value.message("vi")


def test_damaged_audience_refused_through_the_engine(store, real_exports):
    path = real_exports / RESAVED / "Audience.csv"
    [result] = run(store, path, account="bg-facebook")
    assert (result.status, result.refusal.code) == ("refused", "decimals_as_dates")
    with store.read() as cur:
        assert cur.execute("SELECT count(*) FROM audience").fetchall() == [(0,)]


@pytest.mark.parametrize(
    "cell", ["3.апр", "17.юни", "8.яну", "17-Jun", "Apr-3", "3 avr.", "12.Mär", "4.мая"]
)
def test_decimals_as_dates_in_any_language(cell):
    assert date_damage(cell) == cell


@pytest.mark.parametrize("cell", ["3.4", "12.5%", "Kyiv, Ukraine", "65+", "18-24", "", "3.xyz"])
def test_numbers_and_names_are_not_damage(cell):
    assert date_damage(cell) is None


def test_audience_with_unknown_countries_is_refused():
    rows = [
        ["Top countries"],
        ["Atlantis", "Utopia", "Narnia", "Viet Nam"],
        ["40", "30", "20", "10"],
    ]
    with pytest.raises(ImportRefused) as refused:
        MetaInsightsAudience().read(_doc(rows, "Audience.csv"))
    assert refused.value.code == "unknown_countries"
    assert refused.value.params == {"count": 3, "names": "Atlantis, Utopia, Narnia"}


def test_audience_few_unknown_countries_are_left_out():
    rows = [["Top countries"], ["Atlantis", "Viet Nam", "France"], ["40", "30", "20"]]
    parsed = MetaInsightsAudience().read(_doc(rows, "Audience.csv"))
    assert [(a.key, a.value) for a in parsed.audience] == [("VN", 0.3), ("FR", 0.2)]


def test_audience_with_an_unknown_section_is_refused():
    rows = [["Age & gender"], ["", "Women", "Men"], ["18-24", "50", "50"], [], ["Top Pages"]]
    with pytest.raises(ImportRefused) as refused:
        MetaInsightsAudience().read(_doc(rows, "Audience.csv"))
    assert (refused.value.code, refused.value.params) == (
        "audience_section",
        {"title": "Top Pages"},
    )


# -- top content formats ------------------------------------------------------------------------


def test_top_content_formats_are_refused(real_exports):
    doc = _decoded(real_exports / RESAVED / "Top content formats.csv")
    fmt = MetaInsightsContentFormats()
    assert fmt.detect(doc)
    assert not MetaInsightsSeries().detect(doc) and not MetaInsightsAudience().detect(doc)
    with pytest.raises(ImportRefused) as refused:
        fmt.read(doc)
    assert refused.value.code == "content_formats"
    assert refused.value.params == {"sections": "Views, Content interactions, Published content"}
    assert "its numbers are in the content export" in refused.value.message("en")


def test_top_content_formats_refused_through_the_engine(store, real_exports):
    path = real_exports / RESAVED / "Top content formats.csv"
    [result] = run(store, path, account="bg-facebook")
    assert (result.status, result.format, result.refusal.code) == (
        "refused",
        "meta_insights_content_formats",
        "content_formats",
    )


# -- Instagram "Download your information" insights JSON ----------------------------------------

DYI = "instagram-dyi-insights-json/shorthills-ai"


def test_json_file_becomes_a_json_document(real_exports):
    path = real_exports / DYI / "posts.json"
    doc = read_document(SourceFile(name=path.name, data=path.read_bytes()))
    assert (doc.kind, doc.sheets, doc.rows) == ("json", {}, [])
    posts = doc.content["organic_insights_posts"]
    assert len(posts) == 13
    assert posts[0]["string_map_data"]["Creation timestamp"]["timestamp"] == 1764225211


def test_dyi_caption_mojibake_is_repaired(real_exports):
    path = real_exports / DYI / "posts.json"
    doc = read_document(SourceFile(name=path.name, data=path.read_bytes()))
    caption = doc.content["organic_insights_posts"][0]["media_map_data"]["Media thumbnail"]["title"]
    assert "India\u00e2\u0080\u0099s" in caption
    fixed = fix_mojibake(caption)
    assert "India’s DPDP rollout" in fixed and "🔗 Read the full article" in fixed
    assert fix_mojibake("Hà Nội") == "Hà Nội"  # text that is not mojibake stays


@pytest.mark.parametrize(
    ("name", "code", "params"),
    [
        ("posts.json", "dyi_posts", {"posts": 13}),
        (
            "audience_insights.json",
            "dyi_period_totals",
            {"what": "audience", "period": "Sep 22 - Dec 20"},
        ),
        (
            "content_interactions.json",
            "dyi_period_totals",
            {"what": "content interactions", "period": "Sep 22 - Dec 20"},
        ),
        (
            "profiles_reached.json",
            "dyi_period_totals",
            {"what": "accounts reached", "period": "Sep 22 - Dec 20"},
        ),
        ("live_videos.json", "dyi_period_totals", {"what": "live videos", "period": "–"}),
    ],
)
def test_dyi_insights_are_refused_with_the_reason(store, real_exports, name, code, params):
    [result] = run(store, real_exports / DYI / name, account="za-instagram")
    assert (result.status, result.format) == ("refused", "instagram_dyi_insights")
    assert (result.refusal.code, result.refusal.params) == (code, params)
    assert "Meta Business Suite" in result.message("en")
    assert "⟦" not in result.message("vi") and "Meta Business Suite" in result.message("vi")
    with store.read() as cur:
        assert cur.execute("SELECT count(*) FROM posts").fetchall() == [(0,)]


def test_other_json_is_an_unknown_format(store, real_exports):
    path = real_exports / "api-facebook-graph-json" / "ariffazeel99-sma" / "page_posts.json"
    [result] = run(store, path, account="za-facebook")
    assert (result.status, result.refusal.code) == ("refused", "unknown_format")


def test_audience_with_two_shares_for_one_country_is_refused():
    rows = [["Top countries"], ["Turkey", "Türkiye", "France"], ["4", "3", "2"]]
    with pytest.raises(ImportRefused) as refused:
        MetaInsightsAudience().read(_doc(rows, "Audience.csv"))
    assert (refused.value.code, refused.value.params) == ("audience_duplicate", {"key": "TR"})


def test_vietnamese_series_says_its_language(real_exports):
    path = real_exports / VI / "clickstudio-ig-2026-04-28" / "ig_luot_xem.csv"
    doc = read_document(SourceFile(name=path.name, data=path.read_bytes()))
    parsed = MetaInsightsSeries().read(doc)
    assert (parsed.language, parsed.platform, len(parsed.daily)) == ("vi", None, 30)
    english = real_exports / EN / "oigetit" / "Views.csv"
    doc = read_document(SourceFile(name=english.name, data=english.read_bytes()))
    assert MetaInsightsSeries().read(doc).language is None


def test_two_series_file_period_is_the_files(store, real_exports):
    # mh4u-2024 Follows.csv: the Instagram series' last row is 2024-03-04, the file's period
    # ends 2024-03-05 (the Facebook series): the day Meta left out is a 0, not unknown.
    [result] = run(store, real_exports / EN / "mh4u-2024" / "Follows.csv", account="ua-facebook")
    assert result.status == "imported"
    with store.read() as cur:
        rows = cur.execute(
            "SELECT account_id, value FROM account_daily_latest WHERE date = ? ORDER BY 1",
            [date(2024, 3, 5)],
        ).fetchall()
    assert rows == [("ua-facebook", 8), ("ua-instagram", 0)]
