"""TikTok Studio Analytics, `FollowerGender`: the followers' genders as shares.

```
"Gender","Distribution"
"Female","0.59"
```
Real file: `tiktok-studio-en/haileytupy2.0/FollowerGender.csv` (`Female` 0.59, `Male` 0.41,
`Other` 0). `Distribution` is already a fraction (0.59 = 59 %).

Read: one `AudienceValue` a row: dimension `gender`, key the label as written (through the
`gender` value aliases, so a localised label can be mapped to its English word), unit `share`,
kind `followers`, as of the export's as-of date. A share of 0 is stored: the file says 0.
"""

from __future__ import annotations

from connectors.aliases import canonical_value
from connectors.base import AudienceValue, Document, ExportFormat, ImportRefused, Parsed, register
from connectors.formats.tiktok_common import folder_hints
from connectors.parse import text


@register
class TikTokStudioFollowerGender(ExportFormat):
    id = "tiktok_studio_follower_gender"
    platform = "tiktok"
    label = "TikTok Studio analytics: FollowerGender (audience)"
    label_vi = "Phân tích TikTok Studio: FollowerGender (khán giả)"
    required_columns = ("Gender", "Distribution")

    def detect(self, doc: Document) -> bool:
        return [h for h in self.header(doc) if h] == ["gender", "distribution"]

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_key, c_share = tab.index("Gender"), tab.index("Distribution")
        shares = tab.numbers(c_share)
        audience: list[AudienceValue] = []
        seen: set[str] = set()
        for offset, row in enumerate(tab.rows):
            label = text(row[c_key])
            if label is None:
                raise ImportRefused("missing_id", column="Gender", row=tab.row_number(offset))
            key = canonical_value("gender", label) or label
            if key in seen:
                raise ImportRefused("tiktok_duplicate_key", column="Gender", key=key)
            seen.add(key)
            audience.append(AudienceValue("gender", key, shares[offset], "share", "followers"))
        return Parsed(platform="tiktok", hints=folder_hints(doc), audience=audience)
