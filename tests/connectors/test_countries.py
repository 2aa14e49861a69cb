"""Country names and codes as exports write them, to ISO 3166-1 alpha-2."""

import pytest

from connectors.countries import country_code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("United States", "US"),  # Meta, English
        ("Hoa Kỳ", "US"),  # Vietnamese interface
        ("Estados Unidos", "US"),  # Spanish / Portuguese
        ("US", "US"),  # TikTok, YouTube, legacy Facebook
        ("Bulgaria (BG)", "BG"),  # Meta video exports: name and code
        ("Turkey", "TR"),  # an older name platforms still write
        ("Czech Republic", "CZ"),
        ("  viet   nam ", "VN"),
        ("Others", None),  # TikTok's remainder
        ("Pleven, Bulgaria", None),  # a city
        ("", None),
        (None, None),
    ],
)
def test_country_code(value, code):
    assert country_code(value) == code
