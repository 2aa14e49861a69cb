"""TikTok Studio Analytics, `FollowerActivity`: followers active in each hour of the last week.

```
"Date","Hour","Active followers"
"February 21","0","491"
```
Real file: `tiktok-studio-en/haileytupy2.0/FollowerActivity.csv`: 7 days x 24 hours (168 rows),
and the hours of the last day after the export was made are `"0"`.

Recognised and **refused** with a message saying so and what to import instead. Why not read:

- no daily metric fits. The same follower is active in many hours, so the hours of a day do not
  add up to the day's active followers; storing their sum would invent a number.
- it is not an audience breakdown either: an audience share or count describes who the
  followers are (country, gender) as of a date, not when they are online;
- the last day's hours not yet measured are written `0`: stored, they would be zeros that mean
  "unknown", which DiploPulse never stores.

Accepting it and storing nothing is not an option: the engine refuses a file that gives no
record ("no rows"), which would tell the user the file is empty when it is not. So the file
is detected, then refused with `tiktok_follower_activity`, which names the files of the same
export that are read (Overview, FollowerHistory, Viewers, Content, FollowerGender,
FollowerTopTerritories). In a Studio zip, the other files are imported all the same.
"""

from __future__ import annotations

from connectors.base import Document, ExportFormat, ImportRefused, Parsed, register


@register
class TikTokStudioFollowerActivity(ExportFormat):
    id = "tiktok_studio_follower_activity"
    platform = "tiktok"
    label = "TikTok Studio analytics: FollowerActivity (by hour, not read)"
    required_columns = ("Date", "Hour", "Active followers")

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "date" and {"hour", "active followers"} <= set(header)

    def read(self, doc: Document) -> Parsed:
        raise ImportRefused("tiktok_follower_activity")
