"""Which export covers which days: the realistic mix of formats over the generated period.

Platforms changed their exports over the years, and a ministry's archive holds the old and the
new side by side. Over the period [start, end] the generator uses, per platform:

- Facebook: the legacy Page Insights export (page and post level) for the first ~40 %, then
  Meta Business Suite content exports (older `Impressions` variant for the first half of those
  months, `Views` after) plus the insights time series;
- Instagram: Meta Business Suite content exports throughout (`Impressions`, then `Views`) and
  the insights time series;
- X: the legacy tweet activity exports (per tweet, per day) for the first ~35 %, then account
  analytics content exports (2025 variant, then 2026 variant) and the daily overview;
- YouTube: one Studio export of the whole period.

Legacy exports are monthly, content exports cover two months each; one more, of the last 90 days, overlaps the last months, as an
analyst's end-of-period export would (its counts are as large or larger: same post, later or
equal as-of). Era boundaries fall on the first of a month when one is near, and every era gets
at least one export (a single month is cut in two), so that small test runs hold every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
OVERLAP_DAYS = 90
# Content exports (Meta Business Suite, X account analytics) cover two calendar months each.
CONTENT_MONTHS = 2


@dataclass(frozen=True)
class Window:
    """An export's period, both ends included."""

    start: date
    end: date
    variant: str = ""  # e.g. "impressions" / "views", "2025" / "2026"


@dataclass(frozen=True)
class Plan:
    """The exports' periods over [start, end]."""

    start: date
    end: date
    facebook_switch: date  # first day of the Meta Business Suite era
    x_switch: date  # first day of the account analytics era
    facebook_legacy: tuple[Window, ...]
    facebook_suite: tuple[Window, ...]
    instagram_suite: tuple[Window, ...]
    x_legacy: tuple[Window, ...]
    x_content: tuple[Window, ...]


def month_windows(first: date, last: date, months: int = 1) -> list[Window]:
    """Runs of `months` calendar months clipped to [first, last]; a single window of 2+ days
    is cut in two."""
    windows = []
    day = first
    while day <= last:
        month = day.year * 12 + day.month - 1 + months  # the month after the run
        end = min(last, date(month // 12, month % 12 + 1, 1) - ONE_DAY)
        windows.append(Window(day, end))
        day = end + ONE_DAY
    if len(windows) == 1 and (last - first).days >= 1:
        middle = first + timedelta(days=(last - first).days // 2)
        windows = [Window(first, middle), Window(middle + ONE_DAY, last)]
    return windows


def cut(start: date, end: date, fraction: float) -> date:
    """The first day of a later era: `fraction` into the period, moved to the nearest first of
    a month when that stays inside (start, end]."""
    span = (end - start).days
    raw = start + timedelta(days=max(1, min(span, round(span * fraction))))
    this_month = raw.replace(day=1)
    next_month = date(raw.year + raw.month // 12, raw.month % 12 + 1, 1)
    candidates = [d for d in (this_month, next_month) if start < d <= end]
    if not candidates:
        return raw
    return min(candidates, key=lambda d: (abs((d - raw).days), d))


def _variants(windows: list[Window], old: str, new: str) -> list[Window]:
    """The older variant for the first half of the windows (at least one), the newer after."""
    n_old = max(1, len(windows) // 2) if len(windows) > 1 else 0
    return [Window(w.start, w.end, old if i < n_old else new) for i, w in enumerate(windows)]


def _with_overlap(windows: list[Window], first: date, end: date, variant: str) -> list[Window]:
    overlap = Window(max(first, end - timedelta(days=OVERLAP_DAYS - 1)), end, variant)
    if overlap.start > windows[-1].start - timedelta(days=7):
        return windows  # hardly longer than the last export: nothing to add
    return [*windows, overlap]


def make_plan(start: date, end: date) -> Plan:
    """The plan for [start, end]; the period needs at least 4 days."""
    if (end - start).days < 3:
        raise ValueError("the generated period must be at least 4 days long")
    fb_switch = cut(start, end, 0.4)
    x_switch = cut(start, end, 0.35)
    fb_suite = _variants(month_windows(fb_switch, end, CONTENT_MONTHS), "impressions", "views")
    ig_suite = _variants(month_windows(start, end, CONTENT_MONTHS), "impressions", "views")
    x_content = _variants(month_windows(x_switch, end, CONTENT_MONTHS), "2025", "2026")
    return Plan(
        start=start,
        end=end,
        facebook_switch=fb_switch,
        x_switch=x_switch,
        facebook_legacy=tuple(month_windows(start, fb_switch - ONE_DAY)),
        facebook_suite=tuple(_with_overlap(fb_suite, fb_switch, end, "views")),
        instagram_suite=tuple(_with_overlap(ig_suite, start, end, "views")),
        x_legacy=tuple(month_windows(start, x_switch - ONE_DAY)),
        x_content=tuple(_with_overlap(x_content, x_switch, end, "2026")),
    )
