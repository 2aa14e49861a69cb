"""What tagging posts with themes costs, on a store of generated data (issue #7, part 11).

    python -m bench.themes --db bench/out/ministry/bench.duckdb [--days 90] [--runs 5]
                           [--scale 10] [--missions 10]

`python -m bench --themes` runs it on each scale's store (the `themes` phase) and puts the
figures in results.md.

Themes are found when posts are read (metrics/themes.py), so an import pays nothing for them;
this measures what the reads pay instead, on the store's published version, with the read
cache emptied before each timed call (every call runs its statement and tags its posts):

- every post of the store tagged once (what tagging at import would have added to a full
  import of the same posts, and what a network-wide read of all time costs), in seconds of
  CPU (the machine is shared: wall time says more about the neighbours than about us), and
  `--scale N` times as many posts, each copy's texts made distinct (a number appended), as a
  store N times larger would hold (10x: 950 missions);
- `theme_summary` of the whole network for the last `--days` days (the Content page's view);
- `theme_summary` and `ambassador_summary` of the first `--missions` missions with an
  ambassador account (in id order), for the same days (the Content page's theme chart for one
  mission, and the Mission page's section).

Each read **cold** (the read cache emptied before each call: the statement runs and the posts
are tagged) and **warm** (called again on the same version: the cached result, what a click
that changes no data costs).

Prints one JSON object (seconds; medians of `--runs`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import timedelta
from typing import Any

from data.store import Store
from metrics import Scope, ambassador_summary, theme_rules, theme_summary


def _median(fn: Any, runs: int, clear: Any) -> float:
    times = []
    for _ in range(runs):
        clear()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _warm(fn: Any, runs: int) -> float:
    fn()  # fills the cache
    return _median(fn, runs, lambda: None)


def measure(
    db: str, days: int = 90, runs: int = 5, scale: int = 10, missions: int = 10
) -> dict[str, Any]:
    """The figures above, for the store file `db`."""
    store = Store(db)
    rules = theme_rules()
    rules.match("warm the matcher's index")
    with store.read() as con:
        cache = getattr(con, "read_cache", None)

        def clear() -> None:
            if cache is not None:
                cache.clear()

        texts = [row[0] for row in con.execute("SELECT text FROM posts").fetchall()]
        latest = con.execute("SELECT max(published_date) FROM posts").fetchone()[0]
        with_ambassador = [
            row[0]
            for row in con.execute(
                "SELECT DISTINCT mission_id FROM accounts WHERE owner = 'ambassador' "
                "ORDER BY mission_id"
            ).fetchall()
        ]
        chosen = with_ambassador[:missions]
        start = latest - timedelta(days=days - 1)
        started = time.process_time()
        tagged = rules.tag(texts)
        tag_all = time.process_time() - started
        # N stores' worth: copy k of a text ends with " k", so that no copy repeats another
        # (0: not measured; on a store that is already 10x).
        started = time.process_time()
        for copy in range(scale):
            rules.tag(None if text is None else f"{text} {copy}" for text in texts)
        tag_scaled = time.process_time() - started if scale else None

        def network_read() -> Any:
            return theme_summary(con, Scope(start, latest))

        def mission_read(m: str) -> Any:
            return theme_summary(con, Scope(start, latest, missions=(m,)))

        def ambassador_read(m: str) -> Any:
            return ambassador_summary(con, m, start, latest)

        network = _median(network_read, runs, clear)
        network_warm = _warm(network_read, runs)
        per_mission = [_median(lambda m=m: mission_read(m), runs, clear) for m in chosen]
        per_mission_warm = [_warm(lambda m=m: mission_read(m), runs) for m in chosen]
        ambassador = [_median(lambda m=m: ambassador_read(m), runs, clear) for m in chosen]
        ambassador_warm = [_warm(lambda m=m: ambassador_read(m), runs) for m in chosen]
    return {
        "posts": len(texts),
        "posts_with_a_theme": sum(1 for found in tagged if found),
        "distinct_texts": len(set(texts)),
        "tag_every_post_cpu_s": round(tag_all, 3),
        "tag_us_per_post": round(tag_all / max(len(texts), 1) * 1e6, 1),
        "scale": scale,
        "tag_every_post_at_scale_cpu_s": None if tag_scaled is None else round(tag_scaled, 3),
        "window": [start.isoformat(), latest.isoformat()],
        "network_theme_summary_s": round(network, 3),
        "network_theme_summary_warm_ms": round(network_warm * 1000, 2),
        "missions_with_ambassador": len(with_ambassador),
        "missions_measured": len(chosen),
        "mission_theme_summary_median_s": _rounded_median(per_mission, 1, 3),
        "mission_theme_summary_warm_ms": _rounded_median(per_mission_warm, 1000, 2),
        "ambassador_summary_median_s": _rounded_median(ambassador, 1, 3),
        "ambassador_summary_max_s": round(max(ambassador), 3) if ambassador else None,
        "ambassador_summary_warm_ms": _rounded_median(ambassador_warm, 1000, 2),
    }


def _rounded_median(values: list[float], factor: float, digits: int) -> float | None:
    return round(statistics.median(values) * factor, digits) if values else None


def main() -> None:
    """Entry point: print the figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.themes", description=__doc__)
    parser.add_argument("--db", required=True, help="a store file of generated data")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10, help="tag N stores' worth of posts")
    parser.add_argument("--missions", type=int, default=10, help="missions with an ambassador")
    args = parser.parse_args()
    figures = measure(args.db, args.days, args.runs, args.scale, args.missions)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
