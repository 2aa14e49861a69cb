"""Instagram professional insights from "Download your information" (Accounts Center), JSON:
recognised, read, and refused with the reason.

Files (../shared/real-exports/instagram-dyi-insights-json/shorthills-ai/), one top key each:

- `organic_insights_audience` (audience_insights.json): `Date range` `Sep 22 - Dec 20` and
  `Followers` `66`: one number for a period, no breakdown;
- `organic_insights_interactions` (content_interactions.json), `organic_insights_reach`
  (profiles_reached.json): totals of the same period (`Content interactions` `396`, `Accounts
  reached` `207`, `Impressions` `3,781`, `Followers` `33%`) and deltas against the period
  before (`+1,274% vs Jun 24 - Sep 21`);
- `organic_insights_live` (live_videos.json): one entry a live video, here every value `--`;
- `organic_insights_posts` (posts.json): one entry a post, `creation_timestamp` (epoch seconds),
  the caption in `media_map_data.Media thumbnail.title` (UTF-8 bytes escaped as Latin-1, as in
  all Meta DYI JSON: `India\\u00e2\\u0080\\u0099s`), and lifetime `Impressions`, `Accounts
  reached`, `Likes`, `Comments`, `Shares`, `Saves`, `Profile visits`, `Follows`.

Every value is a string under `string_map_data.<name>.value`.

Why nothing is stored (each file is refused with one line that says why and what to export):

- The period files hold totals of a period whose year is not written, not values of days: the
  store keeps daily values (`account_daily`) and audience breakdowns, and a total cannot be
  spread over days without inventing them. `Followers` `66` is not said to be a total at a day.
- The posts carry no post id and no permalink: the only number is the name of the thumbnail
  image (`media/other/17901724011324528.jpg`), which nothing documents as the post id Meta
  Business Suite's content export writes (other Instagram objects, such as captions, have ids
  of the same form). Stored under it, a post also imported from Meta Business Suite would be
  counted twice. Their numbers are lifetime totals as of a download day the files do not write.

The Meta Business Suite exports carry the same figures per day and per post id; the messages
ask for those. The engine decodes JSON files into a `Document` of kind "json"
(`connectors.sources.json_value`); this format recognises them by their `organic_insights_*`
key, so that the user gets the reason rather than "unknown format".
"""

from __future__ import annotations

from connectors.base import Document, ExportFormat, ImportRefused, Parsed, register

KEYS = {
    "organic_insights_audience": "audience",
    "organic_insights_interactions": "content interactions",
    "organic_insights_reach": "accounts reached",
    "organic_insights_live": "live videos",
    "organic_insights_posts": "posts",
}


def fix_mojibake(value: str) -> str:
    """Text of Meta's DYI JSON, whose UTF-8 bytes are escaped one by one as Latin-1
    characters (`India\\u00e2\\u0080\\u0099s` -> `India’s`); other text is returned as is."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _key(doc: Document) -> str | None:
    content = doc.content
    if doc.kind != "json" or not isinstance(content, dict):
        return None
    found = [k for k in content if k in KEYS]
    return found[0] if len(found) == 1 else None


@register
class InstagramDyiInsights(ExportFormat):
    id = "instagram_dyi_insights"
    platform = "instagram"
    label = 'Instagram insights from "Download your information" (JSON)'
    label_vi = 'Thông tin chi tiết Instagram từ "Tải thông tin của bạn xuống" (JSON)'

    def detect(self, doc: Document) -> bool:
        return _key(doc) is not None

    def read(self, doc: Document) -> Parsed:
        key = _key(doc)
        entries = doc.content.get(key) if isinstance(doc.content, dict) else None
        if key == "organic_insights_posts":
            raise ImportRefused("dyi_posts", posts=len(entries) if isinstance(entries, list) else 0)
        period = "–"
        for entry in entries if isinstance(entries, list) else []:
            values = entry.get("string_map_data", {}) if isinstance(entry, dict) else {}
            found = values.get("Date range", {}) if isinstance(values, dict) else {}
            if isinstance(found, dict) and found.get("value"):
                period = fix_mojibake(str(found["value"]))[:40]
                break
        raise ImportRefused("dyi_period_totals", what=KEYS[key], period=period)
