"""The ministry's clock (`data.localtime`): what the store keeps as UTC is shown as people in
Hà Nội read it, whatever the zone of the host (the suite also runs under TZ=Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from data.localtime import ministry_time


def test_a_utc_moment_is_shown_on_the_ministrys_clock():
    # Viet Nam is UTC+7 all year (no summer time): 17:30 UTC is half past midnight next day.
    assert ministry_time(datetime(2026, 11, 29, 17, 30)) == datetime(2026, 11, 30, 0, 30)
    assert ministry_time(datetime(2026, 6, 1, 5, 7)) == datetime(2026, 6, 1, 12, 7)


def test_a_data_frames_timestamps_convert_alike():
    # the Data page maps the import log's column (pandas Timestamps) through the same rule
    shown = pd.Series(pd.to_datetime(["2026-11-29 05:07:00"])).map(ministry_time)
    assert shown.iloc[0] == pd.Timestamp("2026-11-29 12:07:00")
    assert shown.iloc[0].tzinfo is None
