"""Country names and codes as exports write them, to ISO 3166-1 alpha-2.

Audience files name countries in the interface language (`United States`, `Hoa Kỳ`, `Estados
Unidos`), by code (`US`), or both (`Bulgaria (BG)`). Names are looked up in Babel's territory
names of the languages exports come in (CLDR data, so no table typed by hand goes stale), plus
the few older names platforms still write (`Turkey`, `Czech Republic`, `Swaziland`).
"""

from __future__ import annotations

import re
from functools import cache

from connectors.base import normalise

# Interface languages whose country names are recognised (Babel locale ids).
LANGUAGES = ("en", "vi", "sv", "pt", "es", "fr", "de", "ru", "zh", "ja", "ko", "th", "id", "it")
# Names platforms write that CLDR has since changed (CLDR's current name is found anyway).
OLDER_NAMES = {
    "turkey": "TR",
    "czech republic": "CZ",
    "swaziland": "SZ",
    "macedonia": "MK",
    "the bahamas": "BS",
    "the gambia": "GM",
    "us virgin islands": "VI",
    "isle of man": "IM",
    "vietnam": "VN",
    "viet nam": "VN",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "ivory coast": "CI",
    "cape verde": "CV",
    "burma": "MM",
    "hong kong": "HK",
    "macau": "MO",
    "taiwan": "TW",
    "palestine": "PS",
}
_CODE = re.compile(r"^[A-Za-z]{2}$")
_NAME_AND_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2})\)\s*$")


@cache
def _names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for lang in LANGUAGES:
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(normalise(name), code)
    for name, code in OLDER_NAMES.items():
        names.setdefault(name, code)
    return names


@cache
def _codes() -> frozenset[str]:
    from babel import Locale

    return frozenset(
        code for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha()
    )


def country_code(value: object) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country as an export writes it, or None when the value
    is not a country (`Others`, a city, a region)."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    both = _NAME_AND_CODE.match(text)
    if both and both["code"].upper() in _codes():
        return both["code"].upper()
    if _CODE.match(text) and text.upper() in _codes() and text.upper() != "ZZ":
        return text.upper()
    return _names().get(normalise(text))
