"""DiploPulse's own follower baseline file `baselines.csv`: `account_id,date,followers`.

Known follower totals, as an analyst reads them off the accounts: they anchor the totals the
importer rebuilds from net daily changes (X overview, YouTube subscribers). Written here:
- X and YouTube: the total at the end of the period and, for every other account, also the
  total on the day before its net series starts (one or two totals an account);
- Facebook and Instagram: the total at the end of each month, since their current exports give
  gross follows only (no net series to rebuild from).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from data.generator.csvout import render, write
from data.generator.model import Simulation

HEADER = ["account_id", "date", "followers"]


def rows(
    sim: Simulation, series_start: date, end: date, first_month_end: date, every_other: bool
) -> list[list[object]]:
    """Baseline rows of one account."""
    account = sim.account
    days: list[date] = []
    if account.platform in ("x", "youtube"):
        if every_other:
            days.append(series_start - timedelta(days=1))
        days.append(end)
    else:
        day = first_month_end
        while day <= end:
            days.append(day)
            next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            day = date(
                next_month.year + next_month.month // 12, next_month.month % 12 + 1, 1
            ) - timedelta(days=1)
        if not days or days[-1] != end:
            days.append(end)
    return [[account.account_id, d.isoformat(), sim.followers[sim.index(d)]] for d in days]


def write_baselines(path: Path, all_rows: list[list[object]]) -> Path:
    ordered = sorted(all_rows, key=lambda r: (str(r[0]), str(r[1])))
    return write(path, render([HEADER, *ordered]))
