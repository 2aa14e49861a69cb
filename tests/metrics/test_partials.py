"""`metrics/partials.py`: a KPI expression split into per-account partial aggregates and their
combination, checked on a small table by hand and against the expression over the rows."""

from __future__ import annotations

import duckdb
import pytest

from metrics.kpi import KPI
from metrics.partials import AGGREGATES, Partials, calls, filtered

# Two accounts' rows. a: x = 1, 2, NULL (flag on the 1); b: x = 10 (flag on), and a row
# with x NULL. The expressions below, over all rows, worked out by hand:
#   sum(x) = 13; count(x) = 3; avg(x) FILTER (WHERE flag) = (1 + 10) / 2 = 5.5;
#   count(x) FILTER (WHERE x > 100) = 0; bool_or(flag) = true; min(x) = 1; max(x) = 10.
ROWS = [("a", 1, True), ("a", 2, False), ("a", None, False), ("b", 10, True), ("b", None, None)]
EXPRESSIONS = {
    "sum(x)": 13,
    "count(x)": 3,
    "avg(x) FILTER (WHERE flag)": 5.5,
    "count(x) FILTER (WHERE x > 100)": 0,
    "sum(x) FILTER (x > 1)": 12,  # DuckDB's FILTER without the WHERE
    "bool_or(flag)": True,
    "min(x) + max(x)": 11,
    "sum(x) FILTER (WHERE x > 1) / nullif(count(x), 0)": 12 / 3,
}


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (account VARCHAR, x BIGINT, flag BOOLEAN)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", ROWS)
    return con


def _combined(con, expression, where=None):
    partials = Partials()
    combined = partials.combine(expression, where)
    sql = (
        f"WITH part AS (SELECT account, {partials.select()} FROM t GROUP BY account) "
        f"SELECT {combined} FROM part"
    )
    return con.execute(sql).fetchall()[0][0]


@pytest.mark.parametrize("expression", list(EXPRESSIONS))
def test_the_combination_of_the_partials_is_the_expression_over_the_rows(con, expression):
    assert con.execute(f"SELECT {expression} FROM t").fetchall()[0][0] == EXPRESSIONS[expression]
    assert _combined(con, expression) == pytest.approx(EXPRESSIONS[expression])


@pytest.mark.parametrize("expression", list(EXPRESSIONS))
def test_the_row_form_is_the_expression_over_one_accounts_rows(con, expression):
    # Per account, `row` over its one partial row equals the expression over its rows
    # (account b: sum 10, count 1, avg of the flagged 10, min + max 20, ...).
    partials = Partials()
    partials.combine(expression)  # names the partials, as the engine does first
    row = partials.row(expression)
    got = con.execute(
        f"WITH part AS (SELECT account, {partials.select()} FROM t GROUP BY account) "
        f"SELECT account, {row} FROM part ORDER BY account"
    ).fetchall()
    want = con.execute(
        f"SELECT account, {expression} FROM t GROUP BY account ORDER BY account"
    ).fetchall()
    assert got == [(a, pytest.approx(v) if isinstance(v, float) else v) for a, v in want]


def test_where_keeps_the_accounts_it_names_only(con):
    # account a only: sum 3, count 2; no account: the count is 0, the sum unknown
    assert _combined(con, "sum(x)", "account = 'a'") == 3
    assert _combined(con, "count(x)", "account = 'a'") == 2
    assert _combined(con, "count(x)", "account = 'z'") == 0
    assert _combined(con, "sum(x)", "account = 'z'") is None


def test_a_partial_used_twice_is_computed_once():
    partials = Partials()
    partials.combine("count(x) / nullif(count(x), 0)")
    partials.combine("sum(y) FILTER (WHERE z = 'a(b')")  # parentheses inside quotes
    assert partials.columns == {"p0": "count(x)", "p1": "sum(CASE WHEN z = 'a(b' THEN y END)"}


def test_distinct_cannot_be_combined():
    with pytest.raises(ValueError, match="DISTINCT"):
        calls("count(DISTINCT post_id)")
    with pytest.raises(ValueError, match="DISTINCT"):
        KPI(
            name="unique_posts",
            family="test",
            unit="count",
            higher_is_better=True,
            description_en="test",
            formula="test",
            source="posts",
            sql="count(DISTINCT post_id)",
            order=1,
        )


@pytest.mark.parametrize("function", AGGREGATES)
@pytest.mark.parametrize("condition", ["x > 1", "flag", "x > 100", "NOT flag"])
def test_a_filter_written_as_case_gives_what_filter_gives(con, function, condition):
    # The partials are written CASE WHEN (faster in DuckDB): the same value as FILTER over
    # rows where the condition is false or NULL (flag of b's second row), or over no row at
    # all (x > 100: count 0, the others NULL).
    argument = "flag" if function.startswith("bool_") else "x"
    want = con.execute(
        f"SELECT account, {function}({argument}) FILTER (WHERE {condition}) "
        "FROM t GROUP BY account ORDER BY account"
    ).fetchall()
    got = con.execute(
        f"SELECT account, {filtered(function, argument, condition)} "
        "FROM t GROUP BY account ORDER BY account"
    ).fetchall()
    assert got == want
    assert filtered(function, argument, None) == f"{function}({argument})"
