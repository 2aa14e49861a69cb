"""YouTube Studio Analytics export, `Totals.csv`: the channel's daily totals.

Header `Date,<metric>[,<metric>...]`, a row a day. Read: `Subscribers` → `net_follows` (the
day's net change, can be negative; with a known total the engine rebuilds follower totals),
`Subscribers gained`/`Subscribers lost` → `new_follows`/`unfollows`, `Views` → `views`,
`Watch time (hours)` → `watch_time_hours`, `Impressions`, `Likes` → `reactions`, `Comments added`
→ `comments`, `Shares`. Other YouTube metrics are recognised and not read.

Dates are ISO, but files re-saved by a spreadsheet show `13-06-2025` (day first) or `1/1/2022`
(month first): the pattern is decided once per file from all its dates, and a file whose dates
fit two patterns equally is refused rather than guessed (`parse.dates_one_pattern`).

In another interface language the metric names are header aliases (`header_aliases.csv`:
Portuguese `Data`, `Visualizações`, `Tempo de exibição (horas)`, `Inscritos`, ..., as the
pt-BR `Dados da tabela` export writes them), so `detect` compares `self.header(doc)`.
"""

from __future__ import annotations

from connectors.base import Document, ExportFormat, ImportRefused, Parsed, register
from connectors.formats.youtube_chart import DAY_FORMATS
from connectors.formats.youtube_table import apply_period
from connectors.parse import daily_values, dates_one_pattern, text

READ = {
    "subscribers": "net_follows",
    "subscribers gained": "new_follows",
    "subscribers lost": "unfollows",
    "views": "views",
    "watch time (hours)": "watch_time_hours",
    "impressions": "impressions",
    "likes": "reactions",
    "comments added": "comments",
    "shares": "shares",
}
# Studio's metric names (English interface) that may stand beside them; recognised, not read.
# Detection accepts a `Date` column followed only by known names, so that other platforms'
# `Date,...` files are never taken for a YouTube one.
KNOWN = set(READ) | {
    "impressions click-through rate (%)",
    "average view duration",
    "average percentage viewed (%)",
    "dislikes",
    "likes (vs. dislikes) (%)",
    "unique viewers",
    "new viewers",
    "returning viewers",
    "regular viewers",
    "casual viewers",
    "average views per viewer",
    "engaged views",
    "youtube premium views",
    "stayed to watch (%)",
    "estimated revenue (usd)",
    "your estimated revenue (usd)",
    "rpm (usd)",
    "cpm (usd)",
    "playback-based cpm (usd)",
    "videos published",
    "videos added",
}


@register
class YouTubeTotals(ExportFormat):
    id = "youtube_totals"
    platform = "youtube"
    label = "YouTube Studio: Totals (per day)"
    label_vi = "YouTube Studio: Totals (theo ngày)"
    # `Date` and any of the metrics read (at least one)
    required_columns = ("Date",)
    optional_columns = (
        "Subscribers",
        "Subscribers gained",
        "Subscribers lost",
        "Views",
        "Watch time (hours)",
        "Impressions",
        "Likes",
        "Comments added",
        "Shares",
    )

    def detect(self, doc: Document) -> bool:
        header = [h for h in self.header(doc) if h]  # aliases applied (`Data,Visualizações`)
        return len(header) >= 2 and header[0] == "date" and all(h in KNOWN for h in header[1:])

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_date = tab.index("Date")
        columns = [(READ[name], i) for i, name in enumerate(tab.columns) if name in READ]
        if not columns:
            raise ImportRefused(
                "youtube_no_metric", metrics=", ".join(c for c in tab.columns[1:] if c)
            )
        # A table by Date has the channel's `Total` row first, like any Table data.
        total = [text(row[c_date]) == "Total" for row in tab.rows]
        days = dates_one_pattern(
            [None if skip else row[c_date] for row, skip in zip(tab.rows, total, strict=True)],
            DAY_FORMATS,
            "Date",
            tab.first_data_row,
        )
        daily = daily_values(tab, days, columns, skip=total)
        parsed = Parsed(platform="youtube", daily=daily, language=tab.language)
        apply_period(parsed, doc)
        return parsed
