"""DiploPulse's own follower baseline file: known follower totals typed in by an analyst.

Header exactly `account_id,date,followers`: the follower total of an account at the end of a
local day, e.g. read off a page by hand. One file may cover several accounts. These totals
anchor the follower series rebuilt from net daily changes (connectors/importer.py).
"""

from __future__ import annotations

from connectors.base import DailyValue, Document, ExportFormat, ImportRefused, Parsed, register
from connectors.parse import number, parse_date, text

HEADER = ["account_id", "date", "followers"]


@register
class FollowerBaseline(ExportFormat):
    id = "diplopulse_baseline"
    platform = None
    label = "DiploPulse follower baseline"
    label_vi = "Mốc người theo dõi của DiploPulse"
    required_columns = tuple(HEADER)

    def detect(self, doc: Document) -> bool:
        return doc.kind == "csv" and doc.header(0) == HEADER

    def read(self, doc: Document) -> Parsed:
        tab = self.table(doc)
        seen: dict[tuple[str, object], float | None] = {}
        daily = []
        for offset, row in enumerate(tab.rows):
            row_number = tab.first_data_row + offset
            account = text(row[0])
            if account is None:
                raise ImportRefused("missing_id", column="account_id", row=row_number)
            day = parse_date(row[1], ["%Y-%m-%d"], "date", row_number)
            if day is None:
                raise ImportRefused("bad_date", column="date", row=row_number, value="")
            followers = number(row[2], "followers", row_number)
            if followers is not None and followers < 0:
                raise ImportRefused("negative_total", row=row_number, value=row[2])
            key = (account, day)
            if key in seen and seen[key] != followers:
                raise ImportRefused("duplicate_day", date=f"{day} ({account})")
            seen[key] = followers
            daily.append(DailyValue(day, "followers", followers, account_id=account))
        return Parsed(platform=None, daily=daily)
