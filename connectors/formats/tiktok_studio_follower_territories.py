"""TikTok Studio Analytics, `FollowerTopTerritories`: the followers' top countries as shares.

```
"Top territories","Distribution"
"US","0.462"
...
"Others","0.211"
```
Real file: `tiktok-studio-en/haileytupy2.0/FollowerTopTerritories.csv`: ten ISO-2 codes and
`Others`; the shares (fractions) add up to 1.

Read: one `AudienceValue` a territory: dimension `country` (ISO 3166-1 alpha-2 through
`connectors.countries.country_code`, so a country's name is read too), unit `share`, kind
`followers`. `Others` (the rest of the world together) is not a country and is left out; a
territory that is neither a country code nor a country name refuses the file, naming it.
"""

from __future__ import annotations

from connectors.base import AudienceValue, Document, ExportFormat, ImportRefused, Parsed, register
from connectors.countries import country_code
from connectors.formats.tiktok_common import folder_hints
from connectors.parse import text

# What TikTok writes for the rest of the world, compared normalised.
REST = {"others", "other"}


@register
class TikTokStudioFollowerTerritories(ExportFormat):
    id = "tiktok_studio_follower_territories"
    platform = "tiktok"
    label = "TikTok Studio analytics: FollowerTopTerritories (audience)"
    label_vi = "Phân tích TikTok Studio: FollowerTopTerritories (khán giả)"
    required_columns = ("Top territories", "Distribution")

    def detect(self, doc: Document) -> bool:
        return [h for h in self.header(doc) if h] == ["top territories", "distribution"]

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_key, c_share = tab.index("Top territories"), tab.index("Distribution")
        shares = tab.numbers(c_share)
        audience: list[AudienceValue] = []
        seen: set[str] = set()
        for offset, row in enumerate(tab.rows):
            label = text(row[c_key])
            if label is None or label.casefold() in REST:
                continue
            code = country_code(label)
            if code is None:
                raise ImportRefused(
                    "tiktok_territory", row=tab.row_number(offset), value=label[:40]
                )
            if code in seen:
                raise ImportRefused("tiktok_duplicate_key", column="Top territories", key=code)
            seen.add(code)
            audience.append(AudienceValue("country", code, shares[offset], "share", "followers"))
        return Parsed(platform="tiktok", hints=folder_hints(doc), audience=audience)
