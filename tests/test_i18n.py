"""Both languages carry every message, and numbers and dates follow the language."""

from __future__ import annotations

import re
from datetime import date, datetime

from i18n import catalog, format_date, format_datetime, format_number, format_percent, t, zone_name


def test_both_languages_have_the_same_keys_and_fields():
    en, vi = catalog("en"), catalog("vi")
    assert sorted(en) == sorted(vi)
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", vi[key])), key
        assert vi[key].strip(), key


def test_vietnamese_formats():
    assert format_number(1234.5, 1, lang="vi") == "1.234,5"
    assert format_number(1234.5, 1, lang="en") == "1,234.5"
    assert format_number(None, lang="vi") == "–"
    assert format_percent(0.0123, lang="vi") == "1,2%"
    assert format_date(date(2026, 11, 2), lang="vi") == "02/11/2026"
    assert format_date(date(2026, 11, 2), lang="en") == "Nov 2, 2026"
    at = datetime(2026, 11, 2, 17, 4)
    assert format_datetime(at, lang="vi") == "02/11/2026 17:04"
    assert format_datetime(at, lang="en") == "Nov 2, 2026, 5:04\u202fPM"  # CLDR's narrow space
    assert format_datetime(None, lang="vi") == "–"


def test_numbers_are_written_as_babel_writes_them():
    # format_number and format_percent keep Babel's parsed pattern and locale (i18n): the text
    # must be that of Babel's own functions, roundings and unknown values included.
    from babel.numbers import format_decimal
    from babel.numbers import format_percent as babel_percent

    values = [0.0, -0.0, 0.005, 0.015, 2.5, 3.5, -1234.5678, 1e15, 123456789.125]
    values += [float("nan"), float("inf"), 7, -42]
    for lang, locale in (("vi", "vi_VN"), ("en", "en_US")):
        for decimals in (0, 1, 2):
            digits = "." + "0" * decimals if decimals else ""
            for value in values:
                expected = format_decimal(value, format="#,##0" + digits, locale=locale)
                assert format_number(value, decimals, lang=lang) == expected
                expected = babel_percent(value, format="#,##0" + digits + "%", locale=locale)
                assert format_percent(value, decimals, lang=lang) == expected
                # at most `decimals`, as a spreadsheet's #,##0.## shows them
                trimmed = "." + "#" * decimals if decimals else ""
                expected = format_decimal(value, format="#,##0" + trimmed, locale=locale)
                assert format_number(value, decimals, lang=lang, trim=True) == expected
    assert format_number(15.0, 2, lang="vi", trim=True) == "15"
    assert format_number(2.5, 2, lang="vi", trim=True) == "2,5"
    assert format_number(1234.567, 2, lang="en", trim=True) == "1,234.57"


def test_messages_fill_their_fields():
    assert t("refused.ragged_row", lang="vi", row=7, found=3, expected=9).startswith(
        "dòng 7 có 3 ô"
    )
    assert t("no.such.key", lang="en") == "⟦no.such.key⟧"


def test_time_zones_are_named_as_people_call_them():
    # Babel's locale data, the label of the times the import log shows (ministry time)
    assert zone_name("Asia/Ho_Chi_Minh", "en") == "Vietnam Time"
    assert zone_name("Asia/Ho_Chi_Minh", "vi") == "Giờ Việt Nam"
