"""The Digital Diplomacy Index: one 0-100 score per mission and period, with its parts shown.

Seven published components, each a KPI of the metric modules (or a ratio of two), computed by
`compute(by="mission")` (and, for platform breadth, `compute(by="mission_platform")`) over the
accounts the sidebar's platform and owner filters choose: the index has no definition of its
own of any number, it only ranks and weighs them.

| component       | value                                                    |
| --------------- | -------------------------------------------------------- |
| audience        | followers_end                                            |
| growth          | net_follows / followers_end (followers_end > 0)          |
| engagement      | er_followers                                             |
| activity        | posts_per_week                                           |
| host_language   | host_language_share (when that KPI is registered)        |
| host_audience   | host_audience_share                                      |
| breadth         | platforms with a post in the period / platforms covered  |

Method (docs/METRICS.md, "The Digital Diplomacy Index"): within the peer group (all missions,
a region, or the missions of a kind), each component is percentile-ranked among the missions
whose value is known: p = 100 × (r − 1) / (k − 1), r the mission's rank from the lowest value
(ties share the mean of their ranks), k the missions ranked; 50 when k = 1. A mission's score is
Σ w_c × p_c / Σ w_c over its known components with a weight > 0: a missing component is left out
and the others' weights are renormalised. `contribution` = w_c / Σ w × p_c; they add up to the
score.

The weights are the analyst's: `index_weights.csv` in the registry folder
(`component,weight`, one row per component), validated by `load_weights`, written by
`save_weights`; without the file, `DEFAULT_WEIGHTS`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from data.domain import PLATFORMS
from data.registry import MISSION_KINDS, registry_folder
from data.store import cached_per_version
from i18n import t
from metrics.engine import compute_sets, overview, plain_number
from metrics.kpi import registry
from metrics.scope import Scope

# `compute_sets` cached per store version under its own name: the same entries as
# `metrics.compute_sets` (the Compare page, which shows the missions and their platforms,
# computes them once for itself and the index).
_compute_sets = cached_per_version(compute_sets)
_overview = cached_per_version(overview)  # the same entries as `metrics.overview`
# The groupings the index reads, in one statement: the missions, and each on each platform.
INDEX_INPUTS = ("mission", "mission_platform")
MISSION_COLUMNS = ["mission_id", "name_en", "name_vi", "region", "country", "kind"]

# component -> the KPI it is (None: derived below from other KPIs).
COMPONENTS: dict[str, str | None] = {
    "audience": "followers_end",
    "growth": None,
    "engagement": "er_followers",
    "activity": "posts_per_week",
    "host_language": "host_language_share",
    "host_audience": "host_audience_share",
    "breadth": None,
}
# Reach and audience first: a mission is there to be heard, and heard in its host country.
DEFAULT_WEIGHTS: dict[str, float] = {
    "audience": 20.0,
    "growth": 15.0,
    "engagement": 20.0,
    "activity": 10.0,
    "host_language": 15.0,
    "host_audience": 10.0,
    "breadth": 10.0,
}
WEIGHTS_FILE = "index_weights.csv"
WEIGHTS_COLUMNS = ["component", "weight"]
PEER_KINDS = ("all", "region", "kind")
# Below this many ranked missions, a percentile moves in big steps: the pages say so.
SMALL_PEER_GROUP = 5


class WeightsError(ValueError):
    """`index_weights.csv` is not valid: one line naming the file, the row, what is wrong and
    what to do (`message(lang)`: in English or Vietnamese)."""

    def __init__(self, file: str, row: int | None, problem: str, **params: object) -> None:
        self.file, self.row, self.problem, self.params = file, row, problem, params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        """The line in `lang` (the current language when None)."""
        where = t("index.weights.where_row", lang=lang, file=self.file, row=self.row)
        if self.row is None:
            where = t("index.weights.where_file", lang=lang, file=self.file)
        return f"{where}: {t(f'index.weights.{self.problem}', lang=lang, **self.params)}"


class PeersError(ValueError):
    """A peer group that is not `all`, `region:NAME` or `kind:KIND`."""

    def __init__(self, peers: str) -> None:
        super().__init__(peers)
        self.peers = peers

    def message(self, lang: str | None = None) -> str:
        """One line in `lang`, listing what is accepted."""
        kinds = ", ".join(MISSION_KINDS)
        return t("index.bad_peers", lang=lang, peers=self.peers, kinds=kinds)


def weights_path(folder: Path | str | None = None) -> Path:
    """The weights file of a registry folder (the default folder when None)."""
    return (Path(folder) if folder else registry_folder()) / WEIGHTS_FILE


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_weights(text: str, file: str = WEIGHTS_FILE) -> dict[str, float]:
    """The weights of a weights file's text, in COMPONENTS order; `WeightsError` for the first
    problem: a wrong header, an unknown component, a weight that is not a number ≥ 0, a component
    twice or missing, or all weights 0."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    if not rows or [c.strip() for c in rows[0]] != WEIGHTS_COLUMNS:
        raise WeightsError(file, 1, "bad_header", columns=",".join(WEIGHTS_COLUMNS))
    found: dict[str, float] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(WEIGHTS_COLUMNS):
            raise WeightsError(file, number, "bad_cells", cells=len(row))
        name, weight = row[0].strip(), row[1].strip()
        if name not in COMPONENTS:
            raise WeightsError(
                file, number, "unknown_component", name=name, components=", ".join(COMPONENTS)
            )
        if name in found:
            raise WeightsError(file, number, "duplicate", name=name)
        value = _number(weight)
        if value is None or value < 0:
            raise WeightsError(file, number, "bad_weight", name=name, weight=weight)
        found[name] = value
    for name in COMPONENTS:
        if name not in found:
            raise WeightsError(file, None, "missing_component", name=name)
    if sum(found.values()) <= 0:
        raise WeightsError(file, None, "all_zero")
    return {name: found[name] for name in COMPONENTS}


def load_weights(folder: Path | str | None = None) -> dict[str, float]:
    """The weights of the registry folder's `index_weights.csv` (validated), or
    DEFAULT_WEIGHTS when there is no such file."""
    path = weights_path(folder)
    if not path.is_file():
        return dict(DEFAULT_WEIGHTS)
    return parse_weights(path.read_text(encoding="utf-8"), str(path))


def weights_csv(weights: Mapping[str, float]) -> str:
    """The text of a weights file (COMPONENTS order, `\\n` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(WEIGHTS_COLUMNS)
    for name in COMPONENTS:
        writer.writerow([name, format(float(weights.get(name, 0.0)), "g")])
    return out.getvalue()


def save_weights(weights: Mapping[str, float], folder: Path | str | None = None) -> Path:
    """Validate `weights` as the file would be read, then write the file (whole, via a
    temporary file, so that a reader never sees half of it). Returns its path."""
    path = weights_path(folder)
    text = weights_csv(weights)
    parse_weights(text, str(path))
    temporary = path.with_suffix(".csv.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path


@dataclass(frozen=True)
class Peers:
    """A peer group: every mission, those of a region, or those of a kind."""

    kind: str = "all"  # all | region | kind
    name: str | None = None

    @property
    def text(self) -> str:
        """As the CLI writes it: `all`, `region:europe`, `kind:embassy`."""
        return "all" if self.kind == "all" else f"{self.kind}:{self.name}"


def parse_peers(peers: str | Peers) -> Peers:
    """`all`, `region:NAME` or `kind:KIND` (KIND one of the registry's kinds) as `Peers`;
    `PeersError` otherwise."""
    if isinstance(peers, Peers):
        return peers
    text = (peers or "").strip()
    if text == "all":
        return Peers()
    kind, _, name = text.partition(":")
    if kind == "region" and name:
        return Peers("region", name)
    if kind == "kind" and name in MISSION_KINDS:
        return Peers("kind", name)
    raise PeersError(text)


def percentiles(values: pd.Series) -> pd.Series:
    """Percentile ranks 0-100 of the known values (NaN stays NaN): 100 × (r − 1) / (k − 1),
    r the rank from the lowest (ties: the mean of their ranks), k the known values; 50 when
    only one is known. [10, 20, 20, 30] → [0, 50, 50, 100]."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    known = int(numbers.notna().sum())
    ranks = numbers.rank(method="average", ascending=True)
    if known == 1:
        return ranks.where(ranks.isna(), 50.0)
    return 100.0 * (ranks - 1.0) / (known - 1) if known else ranks


def components(
    by_mission: pd.DataFrame,
    by_mission_platform: pd.DataFrame,
    peers: str | Peers = "all",
    platforms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The components' values of the peer group's missions, from the frames
    `compute(by="mission")` and `compute(by="mission_platform")` give of one scope (all the
    missions of its platforms and owners): mission_id, name_en, name_vi, region, country, kind,
    then one column per component (NaN = unknown; a component whose KPI is not registered is all
    NaN). A mission's components depend on its own accounts only, so a peer group is the rows
    of its missions. Breadth counts the `platforms` the scope covers (all when None)."""
    group = parse_peers(peers)
    frame = by_mission
    if group.kind in ("region", "kind"):
        frame = frame[frame[group.kind] == group.name]
    frame = frame.reset_index(drop=True)
    known = registry()
    out: dict[str, object] = {c: frame[c].to_numpy(dtype=object) for c in MISSION_COLUMNS}
    for name, kpi in COMPONENTS.items():
        if kpi is not None:
            out[name] = frame[kpi].to_numpy("float64") if kpi in known else math.nan
    followers = frame["followers_end"].where(frame["followers_end"] > 0)
    out["growth"] = (frame["net_follows"] / followers).to_numpy("float64")
    posts = by_mission_platform["posts"]
    per_mission = by_mission_platform.assign(active=posts > 0, known=posts.notna()).groupby(
        "mission_id"
    )
    active, seen = per_mission["active"].sum(), per_mission["known"].any()
    covered = len(platforms) if platforms else len(PLATFORMS)
    breadth = (active / covered).where(seen)
    out["breadth"] = frame["mission_id"].map(breadth).to_numpy("float64")
    return pd.DataFrame(out, index=frame.index)[[*MISSION_COLUMNS, *COMPONENTS]]


def component_values(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    peers: str | Peers = "all",
    *,
    platforms: Sequence[str] | None = None,
    owners: Sequence[str] | None = None,
) -> pd.DataFrame:
    """`components` of the peer group's missions (those with accounts) in the window, over
    their accounts on `platforms` owned by `owners` (all when None: ambassadors' included, as
    `kpis`), as the sidebar's filters choose them. The missions' and their platforms' KPIs are
    computed in one statement, for every mission whatever the group (cached per version: the
    Compare page's own call gives them)."""
    scope = Scope(
        start,
        end,
        platforms=tuple(platforms) if platforms else None,
        owners=tuple(owners) if owners else None,
    )
    by_mission, by_mission_platform = _compute_sets(con, scope, INDEX_INPUTS)
    return components(by_mission, by_mission_platform, peers, scope.platforms)


def score(values: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """The index of a `components` frame (its rows are the peer group): the mission columns,
    `score` (NaN when no component with a weight is known), then per component c: c_value,
    c_percentile, c_weight (renormalised over the mission's known components; NaN when
    missing), c_contribution (c_weight × c_percentile), and `missing` (the components with a
    weight whose value is unknown). Sorted by score, best first, unknown last, then mission_id."""
    frame = values.reset_index(drop=True)
    active = [c for c in COMPONENTS if float(weights.get(c, 0.0)) > 0]
    present = {c: frame[c].notna().to_numpy() for c in COMPONENTS}
    total = np.zeros(len(frame))
    for c in active:
        total += present[c] * float(weights[c])
    total = np.where(total > 0, total, np.nan)
    out: dict[str, object] = {c: frame[c] for c in frame.columns if c not in COMPONENTS}
    score_ = np.zeros(len(frame))
    for c in COMPONENTS:
        ranks = percentiles(frame[c]).to_numpy("float64")
        share = np.full(len(frame), np.nan)
        if c in active:
            share = np.where(present[c], float(weights[c]) / total, np.nan)
        out[f"{c}_value"] = frame[c].to_numpy("float64")
        out[f"{c}_percentile"] = ranks
        out[f"{c}_weight"] = share
        out[f"{c}_contribution"] = share * ranks
        score_ += np.nan_to_num(share * ranks)
    out["score"] = np.where(np.isnan(total), np.nan, score_)
    out["missing"] = [[c for c in active if not present[c][i]] for i in range(len(frame))]
    result = pd.DataFrame(out, index=frame.index)
    result = result.sort_values(
        ["score", "mission_id"], ascending=[False, True], na_position="last", kind="stable"
    )
    return result.reset_index(drop=True)


def index_of(
    by_mission: pd.DataFrame,
    by_mission_platform: pd.DataFrame,
    peers: str | Peers,
    weights: Mapping[str, float],
    platforms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """`diplomacy_index` from the frames a page computed already (`components`' arguments):
    the Overview's one statement gives them, and the index costs no statement of its own."""
    return score(components(by_mission, by_mission_platform, peers, platforms), weights)


def overview_index(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    weights: Mapping[str, float],
    against: str = "previous",
) -> pd.DataFrame:
    """The Overview's index: every mission of the scope's platforms and owners ranked among all
    (`index_of` of `overview(con, scope, against)`'s missions and missions × platforms). It
    takes the Overview's `against` only to share that statement's cached result: the index
    itself reads the current window alone, and is `diplomacy_index` of the same filters."""
    numbers = _overview(con, scope, against)
    return index_of(numbers.missions, numbers.mission_platforms, "all", weights, scope.platforms)


def diplomacy_index(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    peers: str | Peers,
    weights: Mapping[str, float],
    *,
    platforms: Sequence[str] | None = None,
    owners: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The index of the peer group's missions for the window (see `score`) over their accounts
    on `platforms` owned by `owners` (all when None), with `weights` (`load_weights()`: the
    analyst's). The weights are an argument, not read here, so that the result depends only on
    the data and the arguments (cached per store version)."""
    values = component_values(con, start, end, peers, platforms=platforms, owners=owners)
    return score(values, weights)


def index_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """`score`'s frame as the CLI's JSON: `[{"mission_id", "score", "components": {c: {"value",
    "percentile", "weight", "contribution"}}, "missing": [...]}, ...]` in its order; None for
    unknown (a missing component: all four None)."""
    return [
        {
            "mission_id": row["mission_id"],
            "score": plain_number(row["score"]),
            "components": {
                c: {
                    part: plain_number(row[f"{c}_{part}"])
                    for part in ("value", "percentile", "weight", "contribution")
                }
                for c in COMPONENTS
            },
            "missing": list(row["missing"]),
        }
        for row in frame.to_dict("records")
    ]


def contributions(frame: pd.DataFrame) -> pd.DataFrame:
    """`score`'s frame in long form, for the contribution bars: mission_id, component,
    contribution (missing components left out), in the frame's order and COMPONENTS order."""
    rows = [
        (row["mission_id"], c, row[f"{c}_contribution"])
        for row in frame.to_dict("records")
        for c in COMPONENTS
        if pd.notna(row[f"{c}_contribution"])
    ]
    return pd.DataFrame(rows, columns=["mission_id", "component", "contribution"])


@dataclass(frozen=True)
class IndexNote:
    """What a page says under the index: components left out for some missions, small groups."""

    missing: dict[str, int] = field(default_factory=dict)  # component -> missions without it
    ranked: int = 0  # missions with a score
    small: bool = False


def index_note(frame: pd.DataFrame) -> IndexNote:
    """How many missions miss each component, and whether the group is small to rank."""
    missing: dict[str, int] = {}
    for names in frame["missing"]:
        for name in names:
            missing[name] = missing.get(name, 0) + 1
    ranked = int(frame["score"].notna().sum())
    return IndexNote(missing, ranked, ranked < SMALL_PEER_GROUP)
