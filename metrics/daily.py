"""The account-level daily values the store holds, as the KPIs read them.

`daily_values` answers "what does the store know about this account and metric on these days?"
before a KPI is trusted or questioned (`python -m metrics daily`). It applies the rule of the
view `account_daily_latest`: per day, the value of the newest export (`as_of`) wins, a NULL
included, so a day whose newest export says "unknown" is left out even if an older one had a
number. Metric names are those of `connectors.domain.DAILY_METRICS`; `followers` are the totals
exports reported (metric `followers`), never the totals DiploPulse rebuilt from daily changes.
"""

from __future__ import annotations

from datetime import date

import duckdb

from data import domain


class UnknownAccount(LookupError):
    """The account id is not in the registry."""

    def __init__(self, account_id: str) -> None:
        super().__init__(account_id)
        self.account_id = account_id


class UnknownMetric(LookupError):
    """The metric is not an account-level daily metric (`connectors.domain.DAILY_METRICS`)."""

    def __init__(self, metric: str) -> None:
        super().__init__(metric)
        self.metric = metric


def daily_metric_names() -> tuple[str, ...]:
    """The account-level daily metric names, read at call time: connectors may add some."""
    return tuple(domain.DAILY_METRICS)


def account_exists(con: duckdb.DuckDBPyConnection, account_id: str) -> bool:
    """True when the account is in the registry."""
    rows = con.execute("SELECT count(*) FROM accounts WHERE account_id = ?", [account_id])
    return rows.fetchall()[0][0] > 0


def daily_values(
    con: duckdb.DuckDBPyConnection, account_id: str, metric: str, start: date, end: date
) -> list[tuple[date, float]]:
    """(day, value) for each day in [start, end] whose newest stored value is known, by date.

    Raises `UnknownMetric` for a name not in DAILY_METRICS and `UnknownAccount` for an account
    not in the registry. An account without data in the period gives `[]`.
    """
    if metric not in daily_metric_names():
        raise UnknownMetric(metric)
    if not account_exists(con, account_id):
        raise UnknownAccount(account_id)
    # (account, date, metric, as_of) is the table's key: one value per as_of, so the newest
    # as_of picks one row, as in account_daily_latest. arg_max_null keeps a newest NULL (the
    # day is then left out) where arg_max would fall back to an older number. Filtering first
    # avoids ranking the whole table, which the view would do.
    rows = con.execute(
        """
        SELECT date, value FROM (
            SELECT date, arg_max_null(value, as_of) AS value
            FROM account_daily
            WHERE account_id = ? AND metric = ? AND date BETWEEN ? AND ?
            GROUP BY date
        )
        WHERE value IS NOT NULL
        ORDER BY date
        """,
        [account_id, metric, start, end],
    ).fetchall()
    return [(day, float(value)) for day, value in rows]
