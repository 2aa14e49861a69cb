"""TikTok Studio Analytics, `FollowerActivity`: followers active in each hour of the last week.

```
"Date","Hour","Active followers"
"February 21","0","491"
```
Real file: `tiktok-studio-en/haileytupy2.0/FollowerActivity.csv`: 7 days x 24 hours (168 rows),
and the hours of the last day after the export was made (18..23) are `"0"`.

Read as an audience breakdown of **when the followers are online**: dimension `hour`, key the
hour `00`..`23` (the account's time as TikTok shows it), a count of followers, as of each
row's day. It is what a mission needs to choose when to post. No daily metric is derived: the
same follower is active in many hours, so the hours of a day do not add up to anything.

The day the export was made is written up to the hour it was made, then `0`: those trailing
zeros are hours not measured yet, unknowns that would be stored as values, so they are left
out, and the import line says so.
Dates carry no year: see `connectors.monthday` (the year comes from the export's as-of).
"""

from __future__ import annotations

from connectors.base import AudienceValue, Document, ExportFormat, Parsed, register
from connectors.formats.tiktok_common import counts, folder_hints, yearless_series


@register
class TikTokStudioFollowerActivity(ExportFormat):
    id = "tiktok_studio_follower_activity"
    platform = "tiktok"
    label = "TikTok Studio analytics: FollowerActivity (followers online by hour)"
    label_vi = "Phân tích TikTok Studio: FollowerActivity (người theo dõi trực tuyến theo giờ)"
    required_columns = ("Date", "Hour", "Active followers")

    def detect(self, doc: Document) -> bool:
        header = self.header(doc)
        return bool(header) and header[0] == "date" and {"hour", "active followers"} <= set(header)

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        c_hour, c_active = tab.index("Hour"), tab.index("Active followers")
        language, days = yearless_series(tab, tab.index("Date"), doc.as_of)
        hours, active = counts(tab, c_hour), counts(tab, c_active)
        by_day: dict = {}
        for day, hour, value in zip(days, hours, active, strict=True):
            if day is not None and hour is not None and 0 <= hour <= 23:
                by_day.setdefault(day, {})[f"{int(hour):02d}"] = value
        # The export's own day is written up to the hour it was made, then "0": those trailing
        # zeros of the last day are hours not measured yet.
        unmeasured = 0
        if by_day:
            last = max(by_day)
            for key in sorted(by_day[last], reverse=True):
                if by_day[last][key]:
                    break
                del by_day[last][key]
                unmeasured += 1
        audience = [
            AudienceValue("hour", key, value, "count", "followers", as_of=day)
            for day, values in sorted(by_day.items())
            for key, value in sorted(values.items())
        ]
        known = sorted(day for day, values in by_day.items() if values)
        return Parsed(
            platform="tiktok",
            hints=folder_hints(doc),
            period_start=known[0] if known else None,
            period_end=known[-1] if known else None,
            audience=audience,
            language=language if language != "en" else None,
            skipped={"unmeasured_hour": unmeasured} if unmeasured else {},
        )
