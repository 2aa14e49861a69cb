"""Meta Business Suite insights "Top content formats" breakdown: recognised, and refused.

Blocks of a title row, a row of content formats and a row of values
(../shared/real-exports/meta-bs-timeseries-excel-resaved/vintagerest-fb/Top content formats.csv,
re-saved with `;`):

    Views;;;;;
    Reels;Multi-photo;Links;Photos;Others;Text
    572681;86208;79536;22287;413;329
    ;;;;;
    Content interactions;;;;;
    ...
    Published content;;;;;
    Reels;Photos;Stories;Links;Text;

Why refused rather than read: these are totals of the export's period split by content format,
for no stated period (the file names neither its dates nor its page). They are not an audience
(who the followers are), so storing them as audience rows (`other`, `content_format: Reels`)
would put numbers where readers of the audience table do not expect them; and they are not
daily values. The same numbers follow from the content export, whose posts carry their type and
their views and interactions, and which DiploPulse reads: the user is told to import that.
Recognising the file gives that one clear line instead of "unknown format".
"""

from __future__ import annotations

from connectors.base import Document, ExportFormat, ImportRefused, Parsed, normalise, register
from connectors.formats.meta_insights_series import blocks, filled
from connectors.parse import text

# The breakdowns' titles (normalised), as Meta Business Suite writes them in English.
BREAKDOWNS = {"views", "content interactions", "published content"}


@register
class MetaInsightsContentFormats(ExportFormat):
    id = "meta_insights_content_formats"
    platform = None
    label = "Meta Business Suite insights, top content formats"
    label_vi = "Meta Business Suite: thông tin chi tiết, định dạng nội dung hàng đầu"

    def detect(self, doc: Document) -> bool:
        rows = doc.rows
        if doc.kind != "csv" or len(rows) < 3:
            return False
        first = filled(rows[0])
        if len(first) != 1 or normalise(first[0]) not in BREAKDOWNS:
            return False
        names, values = filled(rows[1]), filled(rows[2])
        # A row of names (not a `Date` header) over a row of as many numbers.
        return (
            len(names) >= 2
            and normalise(names[0]) != "date"
            and len(values) == len(names)
            and all((text(v) or "").replace(".", "", 1).isdigit() for v in values)
        )

    def read(self, doc: Document) -> Parsed:
        found = [text(filled(b[0])[0]) or "" for b in blocks(doc.rows) if filled(b[0])]
        raise ImportRefused("content_formats", sections=", ".join(found)[:120])
