"""What a KPI is, and the registry KPI families join.

A KPI is a declaration, written once in a family module (`metrics/families/<family>.py`): its
name, unit, direction, description, the formula in words, and the SQL aggregate that computes
it over the rows of one *source* (`metrics/sql/<source>.sql`, a relation whose grain and
columns are described in its header). The engine (`metrics/engine.py`) runs one query per
source for all the KPIs that read it, grouped by whatever the caller asked for, so a KPI's
definition is the same for one mission, for every mission at once, and for the whole network.

Adding a KPI is adding one `KPI(...)` to a family's `register(...)` call (or one new family
module), a section in `docs/METRICS.md`, and the labels `kpi.<name>` / `kpi.<name>.help` in
`i18n/*/kpis.json`; `tests/metrics/test_declarations.py` checks the three agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from metrics.partials import calls

UNITS = ("count", "ratio", "rate")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_REFERENCE = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class KPI:
    """One key performance indicator.

    `sql` is an aggregate expression over the rows of `source`, built from sum, count, avg,
    min, max, bool_or and bool_and (each with an optional FILTER; no DISTINCT: the engine adds
    up per-account partials, `metrics/partials.py`); it may use the query parameters `$start`, `$end` and `$days` (window length in days), and `{other}` to reuse the
    expression of another KPI of the same source (so that a derived KPI repeats no formula).
    """

    name: str
    family: str
    unit: str  # count (an integer) | ratio (a fraction, e.g. 0.034) | rate (per unit of time)
    higher_is_better: bool
    description_en: str  # one or two sentences; the same text is the English `kpi.<name>.help`
    formula: str  # the formula in words and symbols, as docs/METRICS.md states it
    source: str  # name of a file in metrics/sql/ without `.sql`
    sql: str
    order: int  # position in tables, in the CLI's JSON and in KPI_NAMES
    # For a like-for-like change (engine.compare): an aggregate condition over one account's
    # rows in one window under which its unknown value still counts as known, because there is
    # nothing to add up (a sum over the posts of an account that published none). Empty: only a
    # known value counts.
    known_if: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"KPI name {self.name!r} must be lower_snake_case")
        if self.unit not in UNITS:
            raise ValueError(f"KPI {self.name}: unit must be one of {', '.join(UNITS)}")
        if "count(*)" in self.sql.replace(" ", "").lower():
            # A source has a row for an account without data (posts: post_id NULL), so that
            # every account is in every group: count(*) would count it.
            raise ValueError(f"KPI {self.name}: use count(column), not count(*)")
        # The engine combines per-account partial aggregates (metrics/partials.py): only the
        # aggregates that add up across accounts, and no DISTINCT.
        try:
            calls(self.sql)
        except ValueError as error:
            raise ValueError(f"KPI {self.name}: {error}") from None

    @property
    def is_count(self) -> bool:
        """True for KPIs shown and exported as whole numbers."""
        return self.unit == "count"

    @property
    def change(self) -> str:
        """How a period-over-period change of the KPI is given: `relative` (a fraction of the
        previous value, shown in %) for counts and rates, `points` (the difference, shown in
        percentage points) for ratios."""
        return "points" if self.unit == "ratio" else "relative"

    @property
    def label_key(self) -> str:
        """The i18n key of the KPI's short label."""
        return f"kpi.{self.name}"

    @property
    def help_key(self) -> str:
        """The i18n key of the KPI's one-line explanation."""
        return f"kpi.{self.name}.help"


# `known_if` of the sums over posts: an account that published nothing in a window adds 0 to
# them (its sum is unknown only because there is no post to add up).
NO_POSTS = "{posts} = 0"

_REGISTRY: dict[str, KPI] = {}


def register(*kpis: KPI) -> None:
    """Make KPIs known to the engine. Built-in families call it exactly as a new one would."""
    for kpi in kpis:
        if kpi.name in _REGISTRY:
            raise ValueError(f"KPI {kpi.name!r} is registered twice")
        _REGISTRY[kpi.name] = kpi


def registry() -> dict[str, KPI]:
    """Every registered KPI, by name, in display order (built-in families load on first call)."""
    import metrics.families  # noqa: F401 - importing registers the built-in families

    return dict(sorted(_REGISTRY.items(), key=lambda item: (item[1].order, item[0])))


def expand(kpi: KPI, kpis: dict[str, KPI], text: str | None = None) -> str:
    """The KPI's SQL (or `text`, e.g. its `known_if`) with every `{other}` replaced by the
    other KPI's (expanded) expression."""

    def substitute(match: re.Match[str]) -> str:
        other = kpis.get(match.group(1))
        if other is None or other.source != kpi.source:
            raise ValueError(
                f"KPI {kpi.name} refers to {{{match.group(1)}}}, which is not a KPI of source "
                f"{kpi.source!r}"
            )
        return f"({expand(other, kpis)})"

    return _REFERENCE.sub(substitute, kpi.sql if text is None else text)
