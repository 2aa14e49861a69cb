"""Meta Business Suite insights audience (`Audience.csv`): who follows a page or account.

UTF-16 LE with BOM, `sep=,`, sections separated by empty lines; each section is a title row
and its table. Two layouts are seen (../shared/real-exports/meta-bs-timeseries-en/*/Audience.csv):

2025 (oigetit), no platform word: the account decides.

    "Age & gender"
    "","Women","Men"
    "18-24","10.6","6.5"            percent numbers
    <blank>
    "Top countries"
    "South Africa","Nigeria",...     names row
    "75.1","5.9",...                 values row (horizontal)
    <blank>
    "Top cities"  (or "Top towns/cities"), horizontal as countries

2024 (mh4u-2024, tanya-2024), both platforms in one file:

    "Facebook followers"
    "FB_PAGE,FOLLOW,UNIQUE_USERS"    Meta's metric key (three cells once re-saved)
    "30222"                          the page's follower total when exported
    "Instagram followers" ... the same
    "Facebook followers by gender and age"
    "Age","Women","Men"
    "18-24","2.5%","0.3%"            percent with `%`
    "Facebook followers by top cities"  ("... top towns/cities")
    "Top cities","Value"             vertical: one row a city
    "Kyiv, Ukraine","15.3%"
    "Facebook followers by top countries" ... vertical
    (and the same for Instagram; tanya-2024's Facebook sections are a title and blank lines)

Section titles are data (`meta_audience_sections.csv`: `title,section,platform,language`), the
gender words value aliases (`audience_gender` in value_aliases.csv). A section DiploPulse does
not know refuses the file (nothing is dropped in silence).

What is stored, as `AudienceValue`s of kind `followers` (Meta's audience is the followers), as
of the export's as-of date (the engine's: `--as-of`, a date in the name, else the file's date):

- age_gender `F.18-24` / `M.18-24`, country (ISO-2 via `connectors.countries`), city (the text as
  written, `Kyiv, Ukraine`): shares, as fractions (10.6 % -> 0.106). A country name that cannot
  be mapped is left out; more than `MAX_UNKNOWN_COUNTRIES` refuse the file, naming them.
- the 2024 follower totals: `other` / `followers_total`, a count. They are a snapshot of the day
  of the export, which the file does not write: they are also stored as the day's `followers`
  (a known total that anchors the follower history) only when that day is known for sure
  (`--as-of` or a date in the file name); a file's modification date, which copies change,
  must not become a reported follower total.
- In the 2024 layout each value carries its section's platform: the engine sends Facebook
  values to the mission's Facebook page and Instagram values to its Instagram account
  (`AccountIndex.platform_routes`), whichever of the two was given with `--account`.

Re-saved copies: a spreadsheet that read the file splitting at every comma (mh4u-2024 saved
again as UTF-16 "Unicode text" with tabs) writes `Kyiv` | ` Ukraine` | `15.3%` and the metric key
in three cells: names are put together again exactly (a cell starting with a space continues
the name before it), so the copy gives the original's records.

Damage: a spreadsheet re-saving the file in a locale whose decimal separator is a comma turns
`3.4` into a date, written `3.апр` (vintagerest-fb, Bulgarian Excel). The numbers are lost: such
a file is refused, asking for the original export. Any cell made of a day number, a separator
and a month name or abbreviation of any Babel locale is that damage.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from connectors.aliases import canonical_value
from connectors.base import (
    AudienceValue,
    Cell,
    DailyValue,
    Document,
    ExportFormat,
    ImportRefused,
    Parsed,
    normalise,
    register,
)
from connectors.countries import country_code
from connectors.formats.meta_insights_series import blocks, filled
from connectors.parse import column_numbers, dates_in_name, text
from data.domain import PLATFORMS

SECTIONS_FILE = Path(__file__).with_name("meta_audience_sections.csv")
MAX_UNKNOWN_COUNTRIES = 2
_DATE_LIKE = re.compile(
    r"^\s*(?:(?P<day>\d{1,2})\s*[./\- ]\s*(?P<month>[^\W\d_]{2,})\.?"
    r"|(?P<month2>[^\W\d_]{2,})\.?\s*[./\- ]\s*(?P<day2>\d{1,2}))\s*$"
)


@cache
def sections() -> dict[str, tuple[str, str | None]]:
    """Normalised section title -> (section, platform or None)."""
    out: dict[str, tuple[str, str | None]] = {}
    with SECTIONS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            platform = row["platform"].strip() or None
            if platform and platform not in PLATFORMS:
                raise ValueError(f"{SECTIONS_FILE.name}: bad row {row}")
            out[normalise(row["title"])] = (row["section"].strip(), platform)
    return out


@cache
def month_words() -> frozenset[str]:
    """Every month name and abbreviation of every Babel locale, lower case, without dots."""
    from babel.dates import get_month_names
    from babel.localedata import locale_identifiers

    words: set[str] = set()
    for locale in locale_identifiers():
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                try:
                    names = get_month_names(width, context, locale=locale)
                except Exception:  # a locale Babel lists but cannot load
                    continue
                words.update(str(v).lower().strip(".") for v in names.values())
    return frozenset(w for w in words if w)


def date_damage(cell: Cell) -> str | None:
    """The cell when it is a number a spreadsheet turned into a day and month (`3.апр`,
    `17-Jun`, `Apr-3`), else None."""
    if not isinstance(cell, str):
        return None
    m = _DATE_LIKE.match(cell)
    if not m:
        return None
    word = (m["month"] or m["month2"]).lower()
    words = month_words()
    if word in words or (len(word) >= 3 and any(w.startswith(word) for w in words)):
        return cell.strip()
    return None


def _share_values(cells: list[Cell], column: str, language: str | None) -> list[float | None]:
    """Percentages (`10.6`, `2.5%`) as fractions."""
    return [None if v is None else v / 100 for v in column_numbers(cells, column, language)]


@register
class MetaInsightsAudience(ExportFormat):
    id = "meta_insights_audience"
    platform = None  # the section titles decide (2024), or the account
    label = "Meta Business Suite insights audience"
    label_vi = "Meta Business Suite: thông tin chi tiết về đối tượng"

    def detect(self, doc: Document) -> bool:
        rows = doc.rows
        if doc.kind != "csv" or len(rows) < 2:
            return False
        first = filled(rows[0])
        return len(first) == 1 and normalise(first[0]) in sections()

    def read(self, doc: Document) -> Parsed:
        for row in doc.rows:
            for cell in row:
                damaged = date_damage(cell)
                if damaged:
                    raise ImportRefused("decimals_as_dates", value=damaged[:20])

        audience: list[AudienceValue] = []
        totals: list[tuple[str | None, float]] = []
        unknown_countries: list[str] = []
        platforms: set[str] = set()
        for block in blocks(doc.rows):
            title = text(filled(block[0])[0]) if filled(block[0]) else ""
            key = normalise(title)
            if len(filled(block[0])) != 1 or key not in sections():
                raise ImportRefused("audience_section", title=(title or "")[:80])
            section, platform = sections()[key]
            if platform:
                platforms.add(platform)
            rows = [filled(r) for r in block[1:]]
            if not rows:
                continue  # a title and nothing under it: Meta has no data (unknown)
            if section == "followers_total":
                if len(rows) != 2 or len(rows[1]) != 1:
                    raise ImportRefused("audience_section", title=title[:80])
                [value] = column_numbers(rows[1], title)
                if value is not None:
                    totals.append((platform, value))
                continue
            if section == "age_gender":
                audience.extend(self._age_gender(rows, title, platform))
                continue
            pairs = self._ranking(rows, title)
            for name, value in pairs:
                if section == "country":
                    code = country_code(name)
                    if code is None:
                        unknown_countries.append(name)
                        continue
                    item_key = code
                else:
                    item_key = name
                audience.append(
                    AudienceValue(section, item_key, value, "share", "followers", platform=platform)
                )
        if len(unknown_countries) > MAX_UNKNOWN_COUNTRIES:
            raise ImportRefused(
                "unknown_countries",
                count=len(unknown_countries),
                names=", ".join(n[:40] for n in unknown_countries[:6]),
            )

        seen: dict[tuple[str | None, str, str], float | None] = {}
        for item in audience:
            where = (item.platform, item.dimension, item.key)
            if where in seen and seen[where] != item.value:
                # Two shares for one slice (two names of one country): which is right is unknown.
                raise ImportRefused("audience_duplicate", key=item.key[:60])
            seen[where] = item.value
        audience = list({(a.platform, a.dimension, a.key): a for a in audience}.values())

        daily: list[DailyValue] = []
        for platform, value in totals:
            audience.append(
                AudienceValue(
                    "other", "followers_total", value, "count", "followers", platform=platform
                )
            )
            if doc.as_of is not None and doc.as_of_basis in ("override", "name"):
                daily.append(DailyValue(doc.as_of, "followers", value, platform=platform))

        several = len(platforms) > 1
        if not several:
            # One platform (or none): the file's platform; records need no routing.
            audience = [_without_platform(a) for a in audience]
            daily = [DailyValue(d.date, d.metric, d.value) for d in daily]
        named_dates = dates_in_name(doc.source.filename)
        return Parsed(
            platform=None if several else next(iter(platforms), None),
            as_of=named_dates[-1] if named_dates else None,
            audience=audience,
            daily=daily,
        )

    def _age_gender(
        self, rows: list[list[Cell]], title: str, platform: str | None
    ) -> list[AudienceValue]:
        header = rows[0]
        genders = [canonical_value("audience_gender", text(c) or "") for c in header[1:] if text(c)]
        if not genders or any(not g for g in genders):
            raise ImportRefused("audience_section", title=title[:80])
        out: list[AudienceValue] = []
        columns = [
            _share_values([r[i + 1] if i + 1 < len(r) else None for r in rows[1:]], title, None)
            for i in range(len(genders))
        ]
        for offset, row in enumerate(rows[1:]):
            age = text(row[0]) if row else None
            if age is None:
                raise ImportRefused("audience_section", title=title[:80])
            for gender, values in zip(genders, columns, strict=True):
                out.append(
                    AudienceValue(
                        "age_gender",
                        f"{gender}.{age}",
                        values[offset],
                        "share",
                        "followers",
                        platform=platform,
                    )
                )
        return out

    def _ranking(self, rows: list[list[Cell]], title: str) -> list[tuple[str, float | None]]:
        """(name, share) of a top countries or cities section, vertical or horizontal."""
        if len(rows[0]) == 2 and normalise(rows[0][1]) == "value":
            # 2024: a header row ("Top cities","Value") then one row a name.
            body = [r if len(r) == 2 else [*_rejoined(r[:-1]), r[-1]] for r in rows[1:]]
            if any(len(r) != 2 or text(r[0]) is None for r in body):
                raise ImportRefused("audience_section", title=title[:80])
            values = _share_values([r[1] for r in body], title, None)
            return [(str(text(r[0])), v) for r, v in zip(body, values, strict=True)]
        # 2025: a row of names and a row of values.
        if len(rows) == 2 and len(rows[0]) > len(rows[1]):
            rows = [_rejoined(rows[0]), rows[1]]
        if len(rows) != 2 or len(rows[0]) != len(rows[1]) or any(text(c) is None for c in rows[0]):
            raise ImportRefused("audience_section", title=title[:80])
        values = _share_values(list(rows[1]), title, None)
        return [(str(text(n)), v) for n, v in zip(rows[0], values, strict=True)]


def _without_platform(item: AudienceValue) -> AudienceValue:
    return AudienceValue(
        item.dimension, item.key, item.value, item.unit, item.kind, item.as_of, item.owner
    )


def _rejoined(cells: list[Cell]) -> list[Cell]:
    """Names a re-save split at their commas put together again (mh4u-2024 re-saved as
    "Unicode text": `Kyiv` | ` Ukraine` | `15.3%`). Meta writes `City, Region, Country`: a
    cell that starts with a space continues the name before it, exactly."""
    out: list[Cell] = []
    for cell in cells:
        if out and isinstance(cell, str) and cell.startswith(" ") and cell.strip():
            out[-1] = f"{out[-1]},{cell}"
        else:
            out.append(cell)
    return out
