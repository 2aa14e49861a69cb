"""Every string a user sees, in English and Vietnamese, and locale-aware number and date formats.

`t("key", **params)` looks the key up in the catalog of the language (every `i18n/<lang>/*.json`
file, one per area of the product) and fills `{params}`. The language is
the one set with `set_language` for the current thread/session (the pages set it from the
language switch), else `DIPLOPULSE_LANG`, else English. Both catalogs must have the same keys
(tests/test_i18n.py checks it); a missing key shows itself as `⟦key⟧` instead of crashing.
"""

from __future__ import annotations

import contextvars
import json
import os
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "en"
_CATALOG_DIR = Path(__file__).parent
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("lang", default=None)


@cache
def catalog(lang: str) -> dict[str, str]:
    """The messages of one language, from all its area files."""
    messages: dict[str, str] = {}
    for file in sorted((_CATALOG_DIR / lang).glob("*.json")):
        for key, value in json.loads(file.read_text(encoding="utf-8")).items():
            if key in messages:
                raise ValueError(f"i18n key {key!r} is defined twice ({file.name})")
            messages[key] = value
    return messages


def set_language(lang: str) -> None:
    """Use `lang` for what this thread shows from now on."""
    _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def language() -> str:
    """The language in use."""
    lang = _current.get() or os.environ.get("DIPLOPULSE_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message `key` in the current (or given) language, with `{name}` fields filled."""
    lang = lang or language()
    message = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key)
    if message is None:
        return f"⟦{key}⟧"
    if not params:
        return message
    try:
        return message.format(**params)
    except (KeyError, IndexError, ValueError):
        return message


def _babel_locale(lang: str) -> str:
    return "vi_VN" if lang == "vi" else "en_US"


# Babel is imported where it is used, as before: the import's worker processes load this
# module and never format a number (the import CLI does, once per file's line).
@cache
def _number_locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(_babel_locale(lang))


@cache
def _number_pattern(decimals: int, percent: bool, trim: bool = False) -> NumberPattern:
    from babel.numbers import parse_pattern

    digit = "#" if trim else "0"
    return parse_pattern(
        "#,##0" + ("." + digit * decimals if decimals else "") + ("%" if percent else "")
    )


def format_number(
    value: float | None, decimals: int = 0, lang: str | None = None, trim: bool = False
) -> str:
    """`1.234,5` in Vietnamese, `1,234.5` in English; `–` for unknown. `trim`: `decimals` at
    most, without trailing zeros (15 and 2,5 rather than 15,00 and 2,50), as a spreadsheet's
    `#,##0.##` shows them.

    What Babel's `format_decimal` does, with its pattern and locale parsed once: it parsed
    both at every call, half of its 9 µs a number (tables format thousands)."""
    if value is None:
        return "–"
    pattern = _number_pattern(decimals, False, trim)
    return pattern.apply(value, _number_locale(lang or language()))


def format_percent(value: float | None, decimals: int = 1, lang: str | None = None) -> str:
    """A fraction as a percentage: 0.0123 → `1,2%` (vi) / `1.2%` (en); `–` for unknown.
    (Babel's `format_percent`, its pattern and locale parsed once.)"""
    if value is None:
        return "–"
    return _number_pattern(decimals, True).apply(value, _number_locale(lang or language()))


def format_date(value: date | None, lang: str | None = None) -> str:
    """A date the way the language writes it: 22/11/2026 (vi), Nov 22, 2026 (en)."""
    from babel.dates import format_date as babel_date

    if value is None:
        return "–"
    lang = lang or language()
    return babel_date(
        value, format="dd/MM/yyyy" if lang == "vi" else "medium", locale=_babel_locale(lang)
    )


def format_datetime(value: datetime | None, lang: str | None = None) -> str:
    """A date and time of day the way the language writes them: 29/11/2026 17:04 (vi),
    Nov 29, 2026, 5:04 PM (en); the clock as given (no time zone is converted). The date comes
    first in both, as in the date columns beside it (CLDR's Vietnamese glue puts the time
    first; Vietnamese file lists and statements put the date first)."""
    from babel.dates import format_time

    if value is None:
        return "–"
    lang = lang or language()
    time = format_time(value, format="short", locale=_babel_locale(lang))
    return f"{format_date(value.date(), lang)}{' ' if lang == 'vi' else ', '}{time}"


def zone_name(zone: str, lang: str | None = None) -> str:
    """A time zone (IANA name) as people call it, from Babel's locale data: `Vietnam Time` /
    `Giờ Việt Nam` for Asia/Ho_Chi_Minh."""
    from babel.dates import get_timezone, get_timezone_location

    return get_timezone_location(get_timezone(zone), locale=_babel_locale(lang or language()))


# -- issue #7 (Content page: best time to post) ---------------------------------------------


def language_name(code: str, lang: str | None = None) -> str:
    """The name of a language (ISO 639-1) in `lang`, from Babel's locale data: `tiếng Nhật` /
    `Japanese`; the code itself when Babel does not know it."""
    from babel import Locale

    name = Locale.parse(_babel_locale(lang or language())).languages.get(code)
    return name[:1].upper() + name[1:] if name else code


def weekday_name(iso_weekday: int, lang: str | None = None, width: str = "wide") -> str:
    """The name of an ISO weekday (1 = Monday ... 7 = Sunday) from Babel's locale data:
    `Thứ Hai` / `Monday` (width "wide"), `Thứ 2` / `Mon` ("abbreviated")."""
    from babel.dates import get_day_names

    names = get_day_names(width, locale=_babel_locale(lang or language()))
    return names[(int(iso_weekday) - 1) % 7]  # Babel counts from 0 = Monday
