"""YouTube Studio Analytics export, `Table data.csv` of the **Geography** tab: views by country.

Header `Geography,Views,Watch time (hours),Average view duration` (FORMATS.md, "YouTube
Studio"; no real file of this tab has been seen yet, so the test fixture follows that
description); the first column holds ISO 3166-1 alpha-2 codes, and **row 2 is the channel's
`Total` row**, skipped like in the Content table. Nothing in the file names the channel: the
engine maps it by a handle in the zip or file name, or by `--account`.

Read: each country's `Views` over the exported period, as
`AudienceValue(country, <code>, views, unit count, kind video_views)` as of the export's as-of
(the period's end, from the zip or file name when it carries one). Watch time and average view
duration per country are recognised, not read: the audience table keeps one count per slice.
A place Studio cannot attribute to a country is kept under dimension `other` with the code as
written, so that the per-country counts still add up to what the file says; an empty `Views`
cell is unknown and gives no record.
"""

from __future__ import annotations

from connectors.base import AudienceValue, Document, ExportFormat, ImportRefused, Parsed, register
from connectors.countries import country_code
from connectors.formats.youtube_table import apply_period
from connectors.parse import text


@register
class YouTubeGeography(ExportFormat):
    id = "youtube_geography"
    platform = "youtube"
    label = "YouTube Studio: Table data (geography)"
    label_vi = "YouTube Studio: Table data (địa lý)"
    required_columns = ("Geography", "Views")
    optional_columns = ("Watch time (hours)", "Average view duration")

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "geography" and "views" in header

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_place = tab.index("Geography")
        views = tab.numbers(tab.index("Views"))
        audience: list[AudienceValue] = []
        seen: dict[str, float | None] = {}
        for offset, row in enumerate(tab.rows):
            place = text(row[c_place])
            if place == "Total":
                continue  # the channel's total, not a country
            if place is None:
                raise ImportRefused("missing_id", column="Geography", row=tab.row_number(offset))
            if place in seen:
                if seen[place] != views[offset]:
                    raise ImportRefused("duplicate_place", place=place[:40])
                continue
            seen[place] = views[offset]
            if views[offset] is None:
                continue
            code = country_code(place)
            dimension, key = ("country", code) if code else ("other", place)
            audience.append(AudienceValue(dimension, key, views[offset], "count", "video_views"))
        if not seen:
            raise ImportRefused("no_rows")
        parsed = Parsed(platform="youtube", audience=audience, language=tab.language)
        apply_period(parsed, doc)
        return parsed
