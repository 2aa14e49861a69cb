"""How values and names are written on screen, in the language in use.

Presentation only: numbers come from `metrics`, unchanged; this module turns them into text
(`1.234` in Vietnamese, `1,234` in English, `–` for unknown) and ids into translated names.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
from babel import Locale

import i18n
from i18n import format_date, format_number, format_percent, t

# The names' rules live in i18n.names (the command lines use them too); pages import them here.
from i18n.names import mission_name as mission_name
from i18n.names import owner_label as owner_label
from i18n.names import platform_label as platform_label


def plain(value: Any) -> float | None:
    """A number, or None for unknown (None, NaN, pandas NA)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def kpi_unit(name: str) -> str:
    """The unit of a KPI (count | ratio | rate); `count` for names metrics does not know."""
    from metrics import KPIS

    kpi = KPIS.get(name)
    return kpi.unit if kpi else "count"


def kpi_label(name: str, lang: str | None = None) -> str:
    """The short translated label of a KPI."""
    return t(f"kpi.{name}", lang=lang)


def kpi_help(name: str) -> str:
    """The one-line translated explanation of a KPI."""
    return t(f"kpi.{name}.help")


def format_kpi(name: str, value: Any, lang: str | None = None) -> str:
    """A KPI value the way its unit is read: 12.345 / 3,4% / 2,5 (per week); `–` if unknown."""
    number = plain(value)
    unit = kpi_unit(name)
    if unit == "ratio":
        return format_percent(number, 2, lang=lang)
    if unit == "rate":
        return format_number(number, 1, lang=lang)
    return format_number(None if number is None else round(number), lang=lang)


def format_change(change: Any, lang: str | None = None) -> str | None:
    """A relative change as a signed percentage (+12,3%), or None when unknown."""
    number = plain(change)
    if number is None:
        return None
    text = format_percent(number, 1, lang=lang)
    return text if number < 0 else f"+{text}"


def records(frame: Any, columns: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of `frame`'s `columns` as dicts, the values `to_dict("records")` gives, built
    column by column (`tolist`): `to_dict` boxes the cells of an Arrow-backed column one by
    one, which took half of the world map's 10 ms at 10x (950 missions, twice). A missing
    value of a nullable column (`pd.NA`) is None, as there."""
    values = [
        [None if value is pd.NA else value for value in frame[column].tolist()]
        for column in columns
    ]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def region_label(region: str, lang: str | None = None) -> str:
    """A reporting region in words."""
    return t(f"ui.region.{region}", lang=lang)


def kind_label(kind: str, lang: str | None = None) -> str:
    """A mission kind (embassy, consulate...) in words."""
    return t(f"ui.kind.{kind}", lang=lang)


def period_text(start: date, end: date, lang: str | None = None) -> str:
    """`03/08/2026 – 31/10/2026` (vi) / `Aug 3, 2026 – Oct 31, 2026` (en)."""
    return f"{format_date(start, lang=lang)} – {format_date(end, lang=lang)}"


def date_input_format(lang: str | None = None) -> str:
    """How a date picker writes its day: 31/10/2026 in Vietnamese, as `format_date` writes it;
    2026-10-31 in English (Streamlit's `date_input` knows numeric forms only)."""
    return "DD/MM/YYYY" if (lang or i18n.language()) == "vi" else "YYYY-MM-DD"


def labeller(labels: Callable[..., str] | Mapping[str, str]) -> Callable[[Any], str]:
    """A widget `format_func` fixed to the language of this run.

    Streamlit may call a `format_func` outside the script's thread (where the language is not
    set), so it must not depend on the current language.
    """
    if isinstance(labels, Mapping):
        fixed = dict(labels)
        return lambda value: fixed.get(value, str(value))
    lang = i18n.language()
    return lambda value: labels(value, lang=lang)


# How the registry names every embassy (data/registry/missions.csv): the host country follows.
_EMBASSY_PREFIXES = {"en": "Embassy of Viet Nam in ", "vi": "Đại sứ quán Việt Nam tại "}


def _named_country(row: Mapping[str, Any], lang: str) -> str | None:
    """The host country as the registry writes it in an embassy's name; None for other names."""
    name = str(row.get("name_vi" if lang == "vi" else "name_en") or "")
    prefix = _EMBASSY_PREFIXES["vi" if lang == "vi" else "en"]
    if name.startswith(prefix) and len(name) > len(prefix):
        country = name[len(prefix) :]
        return country[4:] if country.startswith("the ") else country
    return None


def country_names(missions: Any, lang: str | None = None) -> dict[str, str]:
    """The name of every host country in `missions`, by ISO 3166-1 alpha-2 code.

    The registry decides: a country is named as the registry's embassy there names it
    (`Đại sứ quán Việt Nam tại Ô-xtrây-li-a` → `Ô-xtrây-li-a`), which is the ministry's own
    spelling. Babel's (CLDR) name is only the fallback for a country where the registry has no
    embassy so named, because CLDR's wording changes between releases (Babel 2.19 calls
    Australia `Úc`). `missions` is a frame with country, name_en and name_vi.
    """
    lang = lang or i18n.language()
    # The three columns read, not the registry's every column: a tenth of the time at 10x.
    rows = records(missions, ["country", "name_en", "name_vi"])
    names: dict[str, str] = {}
    for row in rows:
        named = _named_country(row, lang)
        if named and row.get("country"):
            names.setdefault(str(row["country"]), named)
    territories = Locale.parse("vi" if lang == "vi" else "en").territories
    for row in rows:
        code = str(row.get("country") or "")
        if code and code not in names:
            names[code] = territories.get(code, code)
    return names


def mission_short_names(missions: Any, lang: str | None = None) -> dict[str, str]:
    """Short chart labels by mission id: the host country for an embassy (`country_names`),
    the city and kind for others (`Osaka (CG)`); the full name where two short
    labels would be the same.

    `missions` is a frame with mission_id, name_en, name_vi, kind, country, city.
    """
    lang = lang or i18n.language()
    rows = {r["mission_id"]: r for r in missions.to_dict("records")}
    countries = country_names(missions, lang)
    short: dict[str, str] = {}
    for mission_id, row in rows.items():
        city = row.get("city") or ""
        if row.get("kind") == "embassy" or not city:
            country = _named_country(row, lang) or countries.get(str(row.get("country") or ""))
            short[mission_id] = country or mission_name(row, lang)
        else:
            kind = t(f"ui.kind_short.{row.get('kind')}", lang=lang)
            short[mission_id] = f"{city} ({kind})"
    seen: dict[str, int] = {}
    for label in short.values():
        seen[label] = seen.get(label, 0) + 1
    return {
        mission_id: label if seen[label] == 1 else mission_name(rows[mission_id], lang)
        for mission_id, label in short.items()
    }
