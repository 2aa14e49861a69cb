"""YouTube Studio Analytics export, `Table data.csv` with the Content dimension.

A Studio export is a zip (or its loose files) of `Table data.csv`, `Chart data.csv` and
`Totals.csv`; nothing in them names the channel, so the engine maps them by a handle in the zip
or file name, or by `--account`. The Table has one row a video with its totals over the
exported period; **row 2 is a `Total` row** of the whole channel and is skipped.

- Ids that begin with `-` carry a leading space (` -HHGH-TTqYM`): stripped.
- `Video publish time` is `"Sep 27, 2024"`, a date; empty for private videos (unknown).
- `Views` are the video views; `Impressions` are thumbnail impressions. `Likes`, `Comments
  added`, `Shares` and `Unique viewers` (read as reach) only when chosen in Studio; unknown
  otherwise, never 0.
- As-of: the end date when the zip or file name carries the period (`... 2025-06-13_2026-06-12
  ...`), else the engine's fallback (the latest date in the file, here a publish date).

**Other interface languages.** Studio writes the headers in the user's language and names the
file after it (`Dados da tabela.csv` is the Portuguese `Table data.csv`); the headers are
header aliases (`header_aliases.csv`), so `detect` compares `self.header(doc)`. Seen in a real
pt-BR export (`youtube-studio-pt/ufscar-loose/Dados da tabela youtube 30-06.csv`, 499 videos):
`Conteúdo,Título do vídeo,Horário de publicação do vídeo,Duração,Visualizações intencionais,
Duração média da visualização,Continuaram assistindo (%),Média de visualizações por espectador,
Novos espectadores,Espectadores recorrentes,Visualizações,Tempo de exibição (horas),Inscritos,
Impressões,Taxa de cliques de impressões (%)`; the `Total` row keeps the word `Total`, and the
publish dates stay English there (`"Jul 6, 2023"`). A publish date written in the interface
language (`"6 de jul. de 2023"`) is read with Babel's month names of that language
(`Table.language`), never a table typed here.

`Engaged views` (`Visualizações intencionais`, 2025) is recognised and not read: it counts
only views past the first seconds, a different measure from `Views`, which is what every
older export and the other YouTube files carry; storing both as video views would mix them.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from connectors.base import (
    Cell,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    PostRecord,
    register,
)
from connectors.parse import UNKNOWN, add_post, number, parse_date, period_in_name, text

PUBLISH_FORMATS = ["%b %d, %Y"]
WATCH_URL = "https://www.youtube.com/watch?v={}"
# (PostRecord field, column); Views is required, the others are read when present.
METRICS = (
    ("video_views", "Views"),
    ("impressions", "Impressions"),
    ("reactions", "Likes"),
    ("comments", "Comments added"),
    ("shares", "Shares"),
    ("reach", "Unique viewers"),
)


@cache
def _month_numbers(language: str) -> dict[str, int]:
    """Month names and abbreviations of `language` (Babel/CLDR, format and stand-alone forms),
    lower case without a final dot -> month number."""
    from babel.core import UnknownLocaleError
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    try:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, language).items():
                    names.setdefault(name.lower().rstrip("."), month)
    except (UnknownLocaleError, ValueError):
        return {}
    return names


_TOKENS = re.compile(r"\d+|[^\W\d_]+")


def localised_date(value: str, language: str | None) -> date | None:
    """A date written with a month name of `language` and a day and a 4-digit year in any
    order (`6 de jul. de 2023`, `jul 6, 2023`), or None when it is not one. Words that are not
    month names (`de`) are ignored; exactly one month name, one day, one year are required."""
    if not language:
        return None
    months = _month_numbers(language)
    tokens = _TOKENS.findall(value.lower())
    found = [months[t] for t in tokens if not t.isdigit() and t in months]
    numbers = [t for t in tokens if t.isdigit()]
    years = [int(t) for t in numbers if len(t) == 4]
    days = [int(t) for t in numbers if len(t) <= 2]
    if len(found) != 1 or len(years) != 1 or len(days) != 1 or len(numbers) != 2:
        return None
    try:
        return date(years[0], found[0], days[0])
    except ValueError:
        return None


def publish_date(cell: Cell, language: str | None, row: int) -> date | None:
    """`Video publish time`: `"Sep 27, 2024"` (English, also in other interfaces), else the
    month name of the file's language; empty for private videos (unknown)."""
    value = text(cell)
    if value is not None and value.lower() not in UNKNOWN and language:
        try:
            return parse_date(value, PUBLISH_FORMATS, "Video publish time", row)
        except ImportRefused:
            day = localised_date(value, language)
            if day is None:
                raise
            return day
    return parse_date(cell, PUBLISH_FORMATS, "Video publish time", row)


def video_id(cell: Cell, row: int) -> str:
    """A video id from the `Content` column, without the space Studio puts before a leading `-`."""
    value = text(cell)
    if value is None:
        raise ImportRefused("missing_id", column="Content", row=row)
    return value


def apply_period(parsed: Parsed, doc: Document) -> None:
    """Period and as-of from the zip's or the file's name, when one carries two dates."""
    period = period_in_name(doc.source.container, doc.source.filename)
    if period:
        parsed.period_start, parsed.period_end = period
        parsed.as_of = period[1]


@register
class YouTubeTable(ExportFormat):
    id = "youtube_table"
    platform = "youtube"
    label = "YouTube Studio: Table data (content)"
    label_vi = "YouTube Studio: Table data (nội dung)"
    # `Content` is read in the first column
    required_columns = ("Content", "Video title", "Views")
    optional_columns = ("Video publish time", *(name for _, name in METRICS[1:]))

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "content" and "video title" in header

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_title = tab.index("Video title")
        c_published = tab.index("Video publish time", required=False)
        tab.index("Views")  # required: refuse a table exported without views
        columns = [(field, tab.index(name, required=False)) for field, name in METRICS]
        posts: dict[str, PostRecord] = {}
        for offset, row in enumerate(tab.rows):
            row_number = tab.first_data_row + offset
            if text(row[0]) == "Total":
                continue  # the channel's total, not a video
            post_id = video_id(row[0], row_number)
            record = PostRecord(
                post_id=post_id,
                published=None
                if c_published is None
                else publish_date(row[c_published], tab.language, row_number),
                text=text(row[c_title]),
                permalink=WATCH_URL.format(post_id),
                post_type="video",
                **{
                    field: None if col is None else number(row[col], tab.columns[col], row_number)
                    for field, col in columns
                },
            )
            add_post(posts, record)
        parsed = Parsed(platform="youtube", posts=list(posts.values()), language=tab.language)
        apply_period(parsed, doc)
        return parsed
