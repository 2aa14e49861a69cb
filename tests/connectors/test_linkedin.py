"""LinkedIn Page exports (content, followers, visitors) read from the real files.

Every expected value was worked out from the files themselves (sheet by sheet, with a
spreadsheet reader, not with this code): day and post counts, first and last dates, sums,
single posts and the top locations.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from connectors.base import Document, ImportRefused, Parsed, SourceFile
from connectors.formats.linkedin_common import export_day, location_country
from connectors.formats.linkedin_content import post_id_of
from connectors.importer import Importer
from connectors.reading import detect_format
from connectors.sources import read_document

REGISTRY = Path(__file__).resolve().parents[1] / "fixtures" / "linkedin" / "registry"
SHORTHILLS = "linkedin-page-xls-en/shorthills-ai"
CONTENT = f"{SHORTHILLS}/shorthills-ai_content_1766385907708 1.xls"
FOLLOWERS = f"{SHORTHILLS}/shorthills-ai_followers_1766385928211 1.xls"
VISITORS = f"{SHORTHILLS}/shorthills-ai_visitors_1766385917155 1.xls"
PROEFFICIENT = (
    "linkedin-page-content-resaved/proefficient/pro-efficient-data-entry_content_1742193384396"
)


def document(path: Path) -> Document:
    """A file as the engine decodes it (BIFF8 .xls and .xlsx alike)."""
    return read_document(SourceFile(path.name, path.read_bytes()))


def parse(path: Path) -> tuple[str, Parsed]:
    doc = document(path)
    fmt = detect_format(doc)
    return fmt.id, fmt.read(doc)


def daily(parsed: Parsed, metric: str) -> dict[date, float]:
    values = {v.date: v.value for v in parsed.daily if v.metric == metric}
    assert len(values) == sum(1 for v in parsed.daily if v.metric == metric)
    return values


def audience(parsed: Parsed, dimension: str) -> dict[str, float]:
    return {a.key: a.value for a in parsed.audience if a.dimension == dimension}


# -- content --------------------------------------------------------------------------------


def test_shorthills_content_metrics(real_exports):
    fmt, parsed = parse(real_exports / CONTENT)
    assert fmt == "linkedin_content"
    assert parsed.platform == "linkedin"
    # 1766385907708 ms = 2025-12-22 06:45 UTC: the export day, from the name.
    assert parsed.as_of == date(2025, 12, 22)
    assert (parsed.period_start, parsed.period_end) == (date(2024, 12, 21), date(2025, 12, 20))

    impressions = daily(parsed, "impressions")
    assert len(impressions) == 365
    assert min(impressions) == date(2024, 12, 21) and max(impressions) == date(2025, 12, 20)
    assert sum(impressions.values()) == 508103
    assert impressions[date(2024, 12, 21)] == 593  # row 3: 12/21/2024, 593, 0, 593, 179, ...
    assert impressions[date(2025, 1, 16)] == 25700  # 1018 organic + 24682 sponsored
    assert sum(daily(parsed, "reactions").values()) == 8530
    # Comments (total) add up to 329 and Reposts (total) to 55 over the 365 rows, but a few
    # days are negative (deleted comments and reposts): those days are unknown, not counts.
    comments = daily(parsed, "comments")
    assert len(comments) == 362 and sum(comments.values()) == 329 + 3 + 1 + 1
    assert all(date(*d) not in comments for d in ((2025, 1, 12), (2025, 1, 31), (2025, 9, 16)))
    shares = daily(parsed, "shares")  # Reposts (total)
    assert len(shares) == 361 and sum(shares.values()) == 55 + 4
    assert date(2025, 1, 12) not in shares and shares[date(2025, 1, 13)] == 0
    assert parsed.skipped == {"linkedin_net_removal": 3 + 4}
    assert sum(daily(parsed, "link_clicks").values()) == 154740  # Clicks (total)

    # Reach = Unique impressions (organic), only on days without sponsored impressions: the
    # four days of the campaign (2025-01-14..17) are unknown, not organic-only counts.
    reach = daily(parsed, "reach")
    assert len(reach) == 361
    assert sum(reach.values()) == 168267 - (143 + 134 + 441 + 690)
    assert reach[date(2024, 12, 21)] == 179
    assert all(date(2025, 1, d) not in reach for d in (14, 15, 16, 17))
    # Engagement rates are ratios (0.28 on the first day): never a daily count.
    assert {v.metric for v in parsed.daily} == {
        "impressions",
        "reach",
        "reactions",
        "comments",
        "shares",
        "link_clicks",
    }


def test_shorthills_content_posts(real_exports):
    _, parsed = parse(real_exports / CONTENT)
    posts = {p.post_id: p for p in parsed.posts}
    assert len(parsed.posts) == len(posts) == 168
    assert min(p.published for p in parsed.posts) == date(2024, 12, 24)
    assert max(p.published for p in parsed.posts) == date(2025, 12, 19)
    assert sum(p.impressions for p in parsed.posts) == 416917
    assert sum(p.reactions for p in parsed.posts) == 8352  # Likes
    assert sum(p.comments for p in parsed.posts) == 330
    assert sum(p.shares for p in parsed.posts) == 287  # Reposts
    assert sum(p.clicks for p in parsed.posts) == 149766

    # Row 3, the newest post: CTR 1.874 (1194 clicks on 637 impressions) is a rate, not stored.
    first = posts["7407682070921207808"]
    assert first.published == date(2025, 12, 19)
    assert first.permalink == (
        "https://www.linkedin.com/feed/update/urn:li:activity:7407682070921207808"
    )
    assert first.text.startswith("Stories travel further when the work connects.\nThis year,")
    assert (first.impressions, first.clicks, first.reactions, first.comments, first.shares) == (
        637,
        1194,
        16,
        0,
        2,
    )
    # `Views` and `Content Type` are empty ("") for a post that is not a video: unknown.
    assert (first.video_views, first.post_type, first.reach, first.engagements) == (
        None,
        None,
        None,
        None,
    )

    # Views are filled exactly on the 11 video posts: video views.
    videos = [p for p in parsed.posts if p.video_views is not None]
    assert len(videos) == 11
    assert {p.post_type for p in videos} == {"Video"}
    assert {p.post_type for p in parsed.posts} == {"Video", None}
    assert sum(p.video_views for p in videos) == 12730
    video = posts["7293593018694045696"]
    assert (video.published, video.impressions, video.video_views) == (
        date(2025, 2, 7),
        2779,
        2527,
    )
    # The most seen post: 9,353 impressions, 240 likes, 15 comments, 3 reposts.
    top = max(parsed.posts, key=lambda p: p.impressions)
    assert top.post_id == "7348667782667960320"
    assert (top.published, top.reactions, top.comments, top.shares, top.clicks) == (
        date(2025, 7, 9),
        240,
        15,
        3,
        6473,
    )


def test_proefficient_resaved_without_description_row_xls_and_xlsx_agree(real_exports):
    fmt_xls, xls = parse(real_exports / f"{PROEFFICIENT}.xls")
    fmt_xlsx, xlsx = parse(real_exports / f"{PROEFFICIENT}.xlsx")
    assert fmt_xls == fmt_xlsx == "linkedin_content"
    assert xls.posts == xlsx.posts
    assert sorted(xls.daily, key=repr) == sorted(xlsx.daily, key=repr)
    assert xls.as_of == xlsx.as_of == date(2025, 3, 17)

    impressions = daily(xlsx, "impressions")
    assert len(impressions) == 30
    assert (min(impressions), max(impressions)) == (date(2025, 2, 14), date(2025, 3, 15))
    assert sum(impressions.values()) == 306
    assert impressions[date(2025, 3, 15)] == 11
    # Nothing sponsored: reach is known every day.
    assert len(daily(xlsx, "reach")) == 30 and sum(daily(xlsx, "reach").values()) == 48
    assert sum(daily(xlsx, "reactions").values()) == 8
    assert sum(daily(xlsx, "link_clicks").values()) == 5

    assert xlsx.skipped == {}
    assert len(xlsx.posts) == 8
    assert sum(p.impressions for p in xlsx.posts) == 310
    assert sum(p.reactions for p in xlsx.posts) == 8
    posts = {p.post_id: p for p in xlsx.posts}
    holi = posts["7306192134921981953"]
    assert holi.published == date(2025, 3, 14)
    assert holi.text.startswith("Here's hoping your Holi brims with lively colors")
    assert (holi.impressions, holi.clicks, holi.reactions, holi.comments, holi.shares) == (
        26,
        2,
        0,
        0,
        0,
    )
    oldest = posts["7297880561568600064"]
    assert (oldest.published, oldest.impressions, oldest.clicks, oldest.reactions) == (
        date(2025, 2, 19),
        98,
        2,
        3,
    )
    # Views, Offsite Views, Follows are "" throughout: unknown, never 0.
    assert {p.video_views for p in xlsx.posts} == {None}


def _with_dates(doc: Document, convert) -> Document:
    sheets = {}
    for name, rows in doc.sheets.items():
        header = rows[0]
        col = next(
            (i for i, h in enumerate(header) if h in ("Date", "Created date")),
            None,
        )
        new_rows = [list(header)]
        for row in rows[1:]:
            row = list(row)
            if col is not None and isinstance(row[col], str):
                row[col] = convert(datetime.strptime(row[col], "%m/%d/%Y").date())
            new_rows.append(row)
        sheets[name] = new_rows
    return Document(doc.source, sheets, doc.kind)


def test_excel_serial_and_date_cells_read_as_the_same_days(real_exports):
    doc = document(real_exports / f"{PROEFFICIENT}.xlsx")
    fmt = detect_format(doc)
    expected = fmt.read(doc)
    # 2025-02-14 is Excel's day 45702.
    serial = _with_dates(doc, lambda d: (d - date(1899, 12, 30)).days)
    assert serial.sheets["Metrics"][1][0] == 45702
    as_text = _with_dates(doc, lambda d: str((d - date(1899, 12, 30)).days))  # saved as CSV
    as_cells = _with_dates(doc, lambda d: datetime(d.year, d.month, d.day))
    for variant in (serial, as_text, as_cells):
        assert detect_format(variant) is fmt
        parsed = fmt.read(variant)
        assert parsed.posts == expected.posts
        assert parsed.daily == expected.daily
    # A fraction of a day or a number far from any day is not a date.
    for bad in (45702.5, 123):
        broken = _with_dates(doc, lambda d, bad=bad: bad)
        with pytest.raises(ImportRefused) as refused:
            fmt.read(broken)
        assert refused.value.code == "bad_date"


def test_description_row_or_not_reads_the_same(real_exports):
    doc = document(real_exports / f"{PROEFFICIENT}.xlsx")
    fmt = detect_format(doc)
    described = Document(
        doc.source,
        {
            name: [
                [
                    "Aggregated engagement metrics for your organic and sponsored posts.",
                    *[None] * 19,
                ],
                *rows,
            ]
            for name, rows in doc.sheets.items()
        },
        doc.kind,
    )
    assert detect_format(described) is fmt
    assert fmt.read(described).posts == fmt.read(doc).posts
    assert fmt.read(described).daily == fmt.read(doc).daily
    # Two cells above the header are not LinkedIn's description: not this format.
    two = Document(
        doc.source,
        {name: [["a", "b"], *rows] for name, rows in doc.sheets.items()},
        doc.kind,
    )
    with pytest.raises(ImportRefused) as refused:
        detect_format(two)
    assert refused.value.code == "unknown_format"


def test_older_shares_columns_and_a_bad_post_link(real_exports):
    doc = document(real_exports / f"{PROEFFICIENT}.xlsx")
    fmt = detect_format(doc)
    metrics = [list(row) for row in doc.sheets["Metrics"]]
    metrics[0] = [h.replace("Reposts", "Shares") for h in metrics[0]]
    metrics[5][16] = 4  # Shares (total) on 02/18/2025
    older = Document(doc.source, {**doc.sheets, "Metrics": metrics}, doc.kind)
    assert daily(fmt.read(older), "shares")[date(2025, 2, 18)] == 4

    posts = [list(row) for row in doc.sheets["All posts"]]
    posts[2][1] = "https://www.linkedin.com/company/pro-efficient-data-entry/"
    broken = Document(doc.source, {**doc.sheets, "All posts": posts}, doc.kind)
    with pytest.raises(ImportRefused) as refused:
        fmt.read(broken)
    assert refused.value.code == "linkedin_bad_post_link"
    assert refused.value.params["row"] == 3


def test_post_ids_from_links():
    assert (
        post_id_of("https://www.linkedin.com/feed/update/urn:li:activity:7306192134921981953")
        == "7306192134921981953"
    )
    assert (
        post_id_of(
            "https://www.linkedin.com/posts/shorthills-ai_genai-activity-7277274341602422784-AbCd"
        )
        == "7277274341602422784"
    )
    assert post_id_of("https://www.linkedin.com/feed/update/urn:li:share:123/") == "share:123"
    assert post_id_of("https://www.linkedin.com/company/x/") is None


# -- followers and visitors -------------------------------------------------------------------


def test_shorthills_followers(real_exports):
    fmt, parsed = parse(real_exports / FOLLOWERS)
    assert fmt == "linkedin_followers"
    assert parsed.as_of == date(2025, 12, 22)
    net = daily(parsed, "net_follows")
    assert {v.metric for v in parsed.daily} == {"net_follows"}  # never a follower total
    assert len(net) == 365
    assert (min(net), max(net)) == (date(2024, 12, 21), date(2025, 12, 20))
    assert sum(net.values()) == 2597
    assert net[date(2024, 12, 21)] == 5
    assert net[date(2025, 2, 6)] == 55  # the best day
    # Seven days lost a follower: a net change, kept negative.
    assert sorted(d for d, v in net.items() if v < 0) == [
        date(2025, 1, 18),
        date(2025, 1, 24),
        date(2025, 5, 19),
        date(2025, 6, 15),
        date(2025, 8, 19),
        date(2025, 9, 27),
        date(2025, 11, 20),
    ]
    assert {net[d] for d in net if net[d] < 0} == {-1}

    assert {(a.unit, a.kind, a.as_of) for a in parsed.audience} == {("count", "followers", None)}
    cities = audience(parsed, "city")
    assert len(cities) == 100
    assert sum(cities.values()) == 26750
    top = sorted(cities.items(), key=lambda kv: -kv[1])[:3]
    assert top == [
        ("Greater Delhi Area, India", 11707),
        ("Greater Bengaluru Area, India", 3518),
        ("Noida, India", 2551),
    ]
    assert cities["New York City Metropolitan Area"] == 220
    countries = audience(parsed, "country")
    # 13 countries named by the locations; US metro areas name none, so no US.
    assert countries == {
        "IN": 25713,
        "CA": 98,
        "GB": 93,
        "AU": 64,
        "DE": 42,
        "IE": 39,
        "PK": 31,
        "SG": 25,
        "EG": 18,
        "QA": 17,
        "KE": 13,
        "NL": 12,
        "AE": 12,
    }
    other = audience(parsed, "other")
    assert len(other) == 26 + 10 + 100 + 9
    assert other["Job function: Engineering"] == 8031
    assert other["Seniority: Senior"] == 11953
    assert other["Company size: 10001+"] == 7814
    assert other["Industry: IT Services and IT Consulting"] == 7572
    assert sum(v for k, v in other.items() if k.startswith("Seniority: ")) == 26145


def test_shorthills_visitors(real_exports):
    fmt, parsed = parse(real_exports / VISITORS)
    assert fmt == "linkedin_visitors"
    assert parsed.as_of == date(2025, 12, 22)
    visits = daily(parsed, "profile_visits")
    assert {v.metric for v in parsed.daily} == {"profile_visits"}
    assert len(visits) == 365
    assert (min(visits), max(visits)) == (date(2024, 12, 21), date(2025, 12, 20))
    assert sum(visits.values()) == 70006
    assert visits[date(2024, 12, 21)] == 167  # Total page views (total), not 95 (Overview)
    assert visits[date(2025, 12, 20)] == 97
    assert visits[date(2025, 5, 21)] == 723

    assert {(a.unit, a.kind) for a in parsed.audience} == {("count", "page_views")}
    cities = audience(parsed, "city")
    assert len(cities) == 104
    assert sum(cities.values()) == 69989
    top = sorted(cities.items(), key=lambda kv: -kv[1])[:2]
    assert top == [("Greater Delhi Area, India", 35754), ("Noida, India", 6413)]
    assert audience(parsed, "country") == {"IN": 66087, "GB": 326, "CA": 261, "DE": 55}
    other = audience(parsed, "other")
    assert len(other) == 26 + 10 + 104 + 9
    assert other["Seniority: Entry"] == 21711


def test_each_real_file_is_one_format(real_exports):
    found = Counter()
    for path in sorted((real_exports / SHORTHILLS).glob("*.xls")):
        found[parse(path)[0]] += 1
    assert found == {"linkedin_content": 1, "linkedin_followers": 1, "linkedin_visitors": 1}


def test_export_day_and_location_country():
    assert export_day("shorthills-ai_followers_1766385928211 1.xls") == date(2025, 12, 22)
    assert export_day("pro-efficient-data-entry_content_1742193384396.xlsx") == date(2025, 3, 17)
    assert export_day("content.xls") is None
    assert location_country("Greater Delhi Area, India") == "IN"
    assert location_country("London Area, United Kingdom, United Kingdom") == "GB"
    assert location_country("Singapore") == "SG"
    assert location_country("New York City Metropolitan Area") is None
    assert location_country("Austin, Texas Metropolitan Area") is None
    assert location_country("Atlanta, Georgia") is None  # the US state, or the country
    assert location_country("Los Angeles, CA") is None  # California, not Canada


# -- through the importer, onto a mission's pages -------------------------------------------


def test_import_maps_the_file_name_to_the_page_and_shows_in_mission_kpis(store, real_exports):
    from metrics import kpis

    importer = Importer(store, registry_dir=REGISTRY, origin="test")
    results = importer.import_paths([real_exports / f"{PROEFFICIENT}.xlsx"])
    assert [(r.status, r.format, r.account_id) for r in results] == [
        ("imported", "linkedin_content", "us-linkedin")
    ]
    assert results[0].as_of == date(2025, 3, 17)
    with store.read() as con:
        assert con.execute(
            "SELECT count(*), min(published_date), max(published_date) FROM posts"
        ).fetchall() == [(8, date(2025, 2, 19), date(2025, 3, 14))]
        assert con.execute(
            "SELECT sum(value) FROM account_daily_latest WHERE metric = 'impressions'"
        ).fetchall() == [(306,)]
        values = kpis(con, "emb-us-washington", date(2025, 2, 14), date(2025, 3, 17))
        assert (values["posts"], values["reactions"], values["impressions"]) == (8, 8, 310)
        assert values == kpis(
            con, "emb-us-washington", date(2025, 2, 14), date(2025, 3, 17), platform="linkedin"
        )
        # Not another mission's
        assert kpis(con, "emb-in-newdelhi", date(2025, 2, 14), date(2025, 3, 17))["posts"] is None


def test_a_renamed_file_needs_its_account(store, real_exports, tmp_path):
    renamed = tmp_path / "content export.xlsx"
    renamed.write_bytes((real_exports / f"{PROEFFICIENT}.xlsx").read_bytes())
    importer = Importer(store, registry_dir=REGISTRY, origin="test")
    assert [r.refusal.code for r in importer.import_paths([renamed])] == ["no_account"]
    importer = Importer(store, registry_dir=REGISTRY, account="us-linkedin", origin="test")
    (result,) = importer.import_paths([renamed])
    assert (result.status, result.account_id) == ("imported", "us-linkedin")
    # No epoch in the name: the as-of is not the name's.
    assert result.as_of_basis != "name"


def test_dates_after_the_export_day_are_refused(real_exports, store, tmp_path):
    # The name says the export was made 2025-03-01 (1740787200000 ms): data up to 03-15 cannot
    # be in it.
    early = tmp_path / "pro-efficient-data-entry_content_1740787200000.xlsx"
    early.write_bytes((real_exports / f"{PROEFFICIENT}.xlsx").read_bytes())
    importer = Importer(store, registry_dir=REGISTRY, origin="test")
    (result,) = importer.import_paths([early])
    assert result.refusal is not None and result.refusal.code == "impossible_date"
    assert export_day(early.name) == date(2025, 3, 1)


def test_shorthills_files_import_onto_the_mission_pages(store, real_exports):
    from metrics import daily_values, kpis

    importer = Importer(store, registry_dir=REGISTRY, origin="test")
    results = importer.import_paths([real_exports / SHORTHILLS])
    assert sorted((r.status, r.format, r.account_id, r.as_of, r.as_of_basis) for r in results) == [
        ("imported", fmt, "in-linkedin", date(2025, 12, 22), "name")
        for fmt in ("linkedin_content", "linkedin_followers", "linkedin_visitors")
    ]
    # The import line says that 7 negative daily counts are unknown.
    content = next(r for r in results if r.format == "linkedin_content")
    assert "7 daily count(s) were negative" in content.message(lang="en")
    # 168 posts + 365 x 5 daily counts - 7 negative days + 361 days of reach
    assert {r.format: r.rows for r in results} == {
        "linkedin_content": 168 + 365 * 5 - 7 + 361,
        "linkedin_followers": 365 + 100 + 13 + 145,
        "linkedin_visitors": 365 + 104 + 4 + 149,
    }
    with store.read() as con:
        values = kpis(con, "emb-in-newdelhi", date(2024, 12, 21), date(2025, 12, 22))
        assert {k: values[k] for k in ("posts", "reactions", "comments", "shares")} == {
            "posts": 168,
            "reactions": 8352,
            "comments": 330,
            "shares": 287,
        }
        assert (values["impressions"], values["video_views"], values["net_follows"]) == (
            416917,
            12730,
            2597,
        )
        visits = daily_values(
            con, "in-linkedin", "profile_visits", date(2024, 12, 21), date(2025, 12, 20)
        )
        assert len(visits) == 365 and sum(v for _, v in visits) == 70006
        assert con.execute(
            "SELECT kind, dimension, count(*), sum(value) FROM audience "
            "WHERE account_id = 'in-linkedin' AND as_of = DATE '2025-12-22' "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall() == [
            ("followers", "city", 100, 26750),
            (
                "followers",
                "country",
                13,
                25713 + 98 + 93 + 64 + 42 + 39 + 31 + 25 + 18 + 17 + 13 + 12 + 12,
            ),
            ("followers", "other", 145, 24584 + 26145 + 28884 + 24670),
            ("page_views", "city", 104, 69989),
            ("page_views", "country", 4, 66087 + 326 + 261 + 55),
            ("page_views", "other", 149, 49306 + 52101 + 76740 + 50703),
        ]
    # Importing the same files again changes nothing.
    again = Importer(store, registry_dir=REGISTRY, origin="test").import_paths(
        [real_exports / SHORTHILLS]
    )
    assert {r.status for r in again} == {"unchanged"}


def _as_csv(doc: Document, sheet: str) -> Document:
    """One sheet saved alone as CSV: every cell text, "" for empty."""
    rows = [
        ["" if c is None else (f"{c:g}" if isinstance(c, float) else str(c)) for c in row]
        for row in doc.sheets[sheet]
    ]
    return Document(doc.source, {"": rows}, "csv")


def test_a_sheet_saved_alone_as_csv_reads_the_same(real_exports):
    content = document(real_exports / CONTENT)
    metrics = _as_csv(content, "Metrics")
    assert metrics.sheets[""][0][0].startswith("Aggregated engagement metrics")  # description
    fmt = detect_format(metrics)
    assert fmt.id == "linkedin_content"
    whole = fmt.read(content)
    assert fmt.read(metrics).daily == whole.daily
    assert fmt.read(metrics).posts == []
    assert fmt.read(_as_csv(content, "All posts")).posts == whole.posts

    followers = document(real_exports / FOLLOWERS)
    location = _as_csv(followers, "Location")
    fmt = detect_format(location)
    assert fmt.id == "linkedin_followers"
    parsed = fmt.read(location)
    assert parsed.daily == []
    assert audience(parsed, "city")["Greater Delhi Area, India"] == 11707
    assert audience(parsed, "country")["IN"] == 25713


def test_a_demographic_sheet_with_a_value_twice_or_without_a_name_is_refused(real_exports):
    doc = document(real_exports / VISITORS)
    fmt = detect_format(doc)
    seniority = [list(row) for row in doc.sheets["Seniority"]]
    twice = Document(doc.source, {**doc.sheets, "Seniority": [*seniority, ["Entry", 5]]}, "xlsx")
    with pytest.raises(ImportRefused) as refused:
        fmt.read(twice)
    assert (refused.value.code, refused.value.params) == (
        "linkedin_duplicate_value",
        {"sheet": "Seniority", "value": "Entry"},
    )
    nameless = Document(doc.source, {**doc.sheets, "Seniority": [*seniority, [None, 5]]}, "xlsx")
    with pytest.raises(ImportRefused) as refused:
        fmt.read(nameless)
    assert (refused.value.code, refused.value.params["row"]) == ("missing_id", 12)
    # An empty count is unknown: left out, the rest kept.
    seniority[1][1] = None  # Unpaid
    blank = Document(doc.source, {**doc.sheets, "Seniority": seniority}, "xlsx")
    other = audience(fmt.read(blank), "other")
    assert "Seniority: Unpaid" not in other and other["Seniority: Entry"] == 21711
